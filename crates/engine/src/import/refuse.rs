//! Files that are not data, refused before they are read with the reason named: an image or
//! another known binary format (by its magic bytes), binary content, a file too short to hold a
//! table, a first slice without any line break, a header without rows, text in which no row has
//! two fields or a number.

use serde::{Deserialize, Serialize};

use super::decode::{decode_all, sniff_encoding, TextEncoding};
use super::plan::{Source, TablePreview};
use super::values::{parse_date, parse_money, DateOrder};

/// Why a file is not read (the page may translate by the code; `text` gives English).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum NotData {
    /// A known binary format, by its first bytes (`PNG image`, `PDF document`, `ZIP archive`).
    Format { format: String },
    /// Control characters, NUL bytes or undecodable bytes where text should be.
    Binary,
    /// No bytes at all.
    Empty,
    /// Fewer bytes than any table needs.
    TooShort { bytes: u64 },
    /// The first `bytes` bytes hold no line break: not a table, or a line far too long.
    NoLineBreak { bytes: u64 },
    /// A header and nothing below it.
    HeaderOnly,
    /// No row has two fields or any number or date.
    NoTable,
}

impl NotData {
    /// The reason in English words.
    pub fn text(&self) -> String {
        match self {
            NotData::Format { format } => format!("this is a {format}, not a table of data"),
            NotData::Empty => "the file is empty".into(),
            NotData::Binary => "this is binary content, not text or a workbook".into(),
            NotData::TooShort { bytes } => format!("the file has only {bytes} byte(s), too few for a table"),
            NotData::NoLineBreak { bytes } => {
                format!("the first {} KB hold no line break: not a table, or a line far too long", bytes / 1024)
            }
            NotData::HeaderOnly => "the file has a header but no rows".into(),
            NotData::NoTable => "no row has two fields or a number: not a table of data".into(),
        }
    }

    /// `<file name>: <reason>`, the error `inspect_files` returns.
    pub fn message(&self, file_name: &str) -> String {
        format!("{file_name}: {}", self.text())
    }
}

/// Files shorter than this are refused outright.
const MIN_BYTES: u64 = 3;

/// Known binary formats by their first bytes. Workbooks (ZIP, OLE2) and JSON are not here.
fn known_format(head: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 24] = [
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"\x1F\x8B", "gzip archive"),
        (b"7z\xBC\xAF\x27\x1C", "7-Zip archive"),
        (b"Rar!\x1A\x07", "RAR archive"),
        (b"\xFD7zXZ\x00", "xz archive"),
        (b"\x28\xB5\x2F\xFD", "Zstandard archive"),
        (b"PK\x05\x06", "ZIP archive"),
        (b"PK\x07\x08", "ZIP archive"),
        (b"II*\x00", "TIFF image"),
        (b"MM\x00*", "TIFF image"),
        (b"\x7FELF", "program"),
        (b"\xCA\xFE\xBA\xBE", "program"),
        (b"\xCF\xFA\xED\xFE", "program"),
        (b"\x00asm", "WebAssembly module"),
        (b"SQLite format 3\x00", "SQLite database"),
        (b"ID3", "MP3 audio"),
        (b"OggS", "Ogg audio"),
        (b"fLaC", "FLAC audio"),
        (b"\x00\x00\x01\x00", "icon"),
        (b"{\\rtf", "RTF document"),
    ];
    if let Some((_, name)) = MAGIC.iter().find(|(m, _)| head.starts_with(m)) {
        return Some(name);
    }
    if head.len() >= 12 && head.starts_with(b"RIFF") {
        return Some(match &head[8..12] {
            b"WEBP" => "WebP image",
            b"WAVE" => "WAV audio",
            b"AVI " => "AVI video",
            _ => "RIFF media file",
        });
    }
    if head.get(4..8) == Some(b"ftyp") {
        return Some("video or HEIC image");
    }
    if head.starts_with(b"BZh") && head.get(4..10) == Some(b"1AY&SY") {
        return Some("bzip2 archive");
    }
    // BMP: "BM", then the size of its info header at byte 14.
    if head.starts_with(b"BM") && head.len() >= 18 && matches!(head[14], 12 | 40 | 52 | 56 | 64 | 108 | 124) && head[15..18] == [0, 0, 0] {
        return Some("BMP image");
    }
    None
}

/// How much of the head the binary test looks at.
const BINARY_SAMPLE: usize = 64 * 1024;

/// Whether the head of a text-looking file is binary content: NUL bytes or control characters
/// beyond what text has, or mostly undecodable bytes. UTF-16 text (which has a NUL in every
/// other byte) is judged on its decoded characters.
fn is_binary(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(BINARY_SAMPLE)];
    if sample.is_empty() {
        return false;
    }
    let encoding = sniff_encoding(sample);
    let (text, _) = decode_all(sample, encoding);
    let chars = text.chars().count().max(1);
    let odd = text.chars().filter(|&c| is_control(c) || c == '\u{FFFD}').count();
    if matches!(encoding, TextEncoding::Utf16Le | TextEncoding::Utf16Be) {
        return odd * 10 > chars;
    }
    let nul = sample.iter().filter(|&&b| b == 0).count();
    nul * 1000 > sample.len() || odd * 20 > chars
}

/// Control characters that text files do not contain (tab, line breaks and form feed do occur).
fn is_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r' | '\x0C')) || c == '\x7F'
}

/// Checks the first bytes of a file before it is previewed. `head` is the start of the file
/// (the whole file for a workbook or JSON), `size` its full size.
pub fn check_head(head: &[u8], size: u64, is_text: bool) -> Result<(), NotData> {
    if size == 0 {
        return Err(NotData::Empty);
    }
    if size < MIN_BYTES {
        return Err(NotData::TooShort { bytes: size });
    }
    if let Some(format) = known_format(head) {
        return Err(NotData::Format { format: format.to_string() });
    }
    if !is_text {
        return Ok(());
    }
    if is_binary(head) {
        return Err(NotData::Binary);
    }
    if (head.len() as u64) < size && !head.iter().any(|&b| b == b'\n' || b == b'\r') {
        return Err(NotData::NoLineBreak { bytes: head.len() as u64 });
    }
    Ok(())
}

/// Checks what the preview found in one file: some table must have rows, and a text file some
/// row with two fields or a number.
pub fn check_previews(previews: &[&TablePreview]) -> Result<(), NotData> {
    if previews.is_empty() {
        return Err(NotData::NoTable);
    }
    if previews.iter().all(|p| p.sample.is_empty()) {
        let any_header = previews.iter().any(|p| p.has_header);
        return Err(if any_header { NotData::HeaderOnly } else { NotData::NoTable });
    }
    let text_only = previews.iter().all(|p| matches!(p.source, Source::Delimited { .. }));
    if text_only && !previews.iter().any(has_table_shape) {
        return Err(NotData::NoTable);
    }
    Ok(())
}

/// Some row (the header included) has two filled fields, or some cell a number or a date.
fn has_table_shape(p: &&TablePreview) -> bool {
    let two_fields = |r: &Vec<String>| r.iter().filter(|c| !c.trim().is_empty()).count() >= 2;
    let typed = |c: &String| parse_money(c).is_some() || parse_date(c, DateOrder::DayFirst).is_some();
    let header = p.has_header.then_some(&p.columns);
    header.into_iter().chain(p.sample.iter()).any(|r| two_fields(r) || r.iter().any(typed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_formats_are_named() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        assert_eq!(check_head(png, 1000, true), Err(NotData::Format { format: "PNG image".into() }));
        assert_eq!(check_head(b"%PDF-1.7\n", 1000, true), Err(NotData::Format { format: "PDF document".into() }));
        assert_eq!(check_head(b"\x1F\x8B\x08\x00", 1000, true), Err(NotData::Format { format: "gzip archive".into() }));
        assert!(NotData::Format { format: "PNG image".into() }.message("a.csv").starts_with("a.csv: this is a PNG image"));
    }

    #[test]
    fn binary_is_refused_but_utf16_text_is_not() {
        let mut noise = Vec::new();
        let mut x: u32 = 12345;
        for _ in 0..4096 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            noise.push((x >> 16) as u8);
        }
        assert_eq!(check_head(&noise, 4096, true), Err(NotData::Binary));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "会员卡号,消费时间,实收金额\n8800001,2024-03-05,128.00\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(check_head(&utf16, utf16.len() as u64, true), Ok(()));
        let plain = "id,date,amount\n1,2024-01-01,5\n".as_bytes();
        assert_eq!(check_head(plain, plain.len() as u64, true), Ok(()));
    }

    #[test]
    fn too_short_and_no_line_break() {
        assert_eq!(check_head(b"a", 1, true), Err(NotData::TooShort { bytes: 1 }));
        assert_eq!(check_head(b"ab", 2, true), Err(NotData::TooShort { bytes: 2 }));
        let line = vec![b'x'; 1024];
        assert_eq!(check_head(&line, 50_000_000, true), Err(NotData::NoLineBreak { bytes: 1024 }));
        // The same bytes as a whole file are not refused for the missing line break.
        assert_eq!(check_head(&line, 1024, true), Ok(()));
    }
}
