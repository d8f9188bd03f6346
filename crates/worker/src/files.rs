//! The worker's view of dropped files: each `File` arrives as a handle (structured clone, no
//! copy) and is read in slices with `FileReaderSync` (synchronous reads are allowed in workers),
//! so a 300 MB export is never held in memory whole.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{File, FileReaderSync};

use member_engine::import::load::FileSource;

pub struct BrowserFiles {
    files: Vec<File>,
    reader: FileReaderSync,
}

fn js_error(context: &str, e: JsValue) -> String {
    let detail = e
        .as_string()
        .or_else(|| js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()))
        .unwrap_or_else(|| "unknown error".into());
    format!("{context}: {detail}")
}

impl BrowserFiles {
    /// The `File`s of a JS array (other values are ignored); `None` without any, or when this
    /// browser cannot read files in a worker (the engine answers that no files came).
    pub fn from_js(files: &JsValue) -> Option<Self> {
        let files: Vec<File> = js_sys::Array::from(files).iter().filter_map(|f| f.dyn_into::<File>().ok()).collect();
        if files.is_empty() {
            return None;
        }
        let reader = FileReaderSync::new().ok()?;
        Some(BrowserFiles { files, reader })
    }
}

impl FileSource for BrowserFiles {
    fn len(&self) -> usize {
        self.files.len()
    }

    fn name(&self, file: usize) -> String {
        self.files[file].name()
    }

    fn size(&self, file: usize) -> u64 {
        self.files[file].size() as u64
    }

    fn read(&mut self, file: usize, offset: u64, len: u64) -> Result<Vec<u8>, String> {
        let f = &self.files[file];
        let end = (offset + len).min(f.size() as u64);
        let blob = f.slice_with_f64_and_f64(offset as f64, end as f64).map_err(|e| js_error(&f.name(), e))?;
        let buffer = self.reader.read_as_array_buffer(&blob).map_err(|e| js_error(&f.name(), e))?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }
}
