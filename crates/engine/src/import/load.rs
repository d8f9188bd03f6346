//! A whole load: every planned table of every file, members tables first (so transactions can
//! be checked against them), delimited text streamed in slices, workbooks and JSON read whole.
//! The files come through [`FileSource`], so the browser (a `File` read in slices) and native
//! tests and benchmarks (bytes in memory) share this code.

use super::error::{LoadError, TableProblem};
use std::collections::HashMap;

use crate::model::Dataset;

use super::decode::TextDecoder;
use super::delimited::RecordReader;
use super::fields::Role;
use super::ingest::{Loader, TableIngest};
use super::plan::{inspect, needs_whole_file, refused_combination, DraftProblem, Source, TablePlan, TablePreview, PREVIEW_BYTES};
use super::refuse::{check_head, check_previews};
use super::report::{FileReport, TableNote};
use super::tables::{read_excel, read_json, Table};

/// The files of a load, read by index.
pub trait FileSource {
    fn len(&self) -> usize;
    fn name(&self, file: usize) -> String;
    fn size(&self, file: usize) -> u64;
    /// Bytes `offset .. offset + len` (fewer at the end of the file).
    fn read(&mut self, file: usize, offset: u64, len: u64) -> Result<Vec<u8>, String>;
}

/// Files already in memory.
pub struct MemoryFiles(pub Vec<(String, Vec<u8>)>);

impl FileSource for MemoryFiles {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn name(&self, file: usize) -> String {
        self.0[file].0.clone()
    }
    fn size(&self, file: usize) -> u64 {
        self.0[file].1.len() as u64
    }
    fn read(&mut self, file: usize, offset: u64, len: u64) -> Result<Vec<u8>, String> {
        let bytes = &self.0[file].1;
        let start = (offset as usize).min(bytes.len());
        let end = (offset.saturating_add(len) as usize).min(bytes.len());
        Ok(bytes[start..end].to_vec())
    }
}

/// Bytes read per slice of a delimited file.
pub const SLICE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads every plan into one data set. `progress(done, total)` is called after each slice, in
/// bytes over all the plans' files.
pub fn load(
    name: &str,
    plans: &[TablePlan],
    files: &mut dyn FileSource,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(Dataset, Vec<FileReport>), LoadError> {
    read_tables(Loader::new(name), plans, files, progress).map(Loader::finish)
}

/// [`load`] into a given loader (tests read with and without the quick way through rows).
fn read_tables(
    mut loader: Loader,
    plans: &[TablePlan],
    files: &mut dyn FileSource,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Loader, LoadError> {
    if plans.is_empty() {
        return Err(LoadError::NoTable);
    }
    for p in plans {
        if let Some(&field) = p.missing_fields().first() {
            return Err(LoadError::Unmapped { table: p.name.clone(), field });
        }
    }
    match refused_combination(plans) {
        Some(DraftProblem::SummaryWithTransactions { summary, transactions }) => return Err(LoadError::SummaryWithTransactions { summary, transactions }),
        Some(DraftProblem::MonthlyWithoutSummary { table }) => return Err(LoadError::MonthlyWithoutSummary { table }),
        _ => {}
    }
    let mut ordered: Vec<&TablePlan> = plans.iter().collect();
    ordered.sort_by_key(|p| (p.role != Role::Members, p.file_index));
    let total: u64 = ordered.iter().map(|p| files.size(p.file_index)).sum();
    let mut done = 0;
    // Workbooks and JSON documents are parsed once per file, whatever the number of tables.
    let mut whole: HashMap<usize, Vec<Table>> = HashMap::new();
    for plan in ordered {
        let size = files.size(plan.file_index);
        let mut ingest = loader.table(plan);
        match &plan.source {
            Source::Delimited { encoding, delimiter } => {
                let mut decoder = TextDecoder::new(*encoding);
                let mut records = RecordReader::new(*delimiter);
                let mut text = String::new();
                let mut offset = 0;
                let mut estimated = false;
                loop {
                    let bytes = files.read(plan.file_index, offset, SLICE_BYTES).map_err(|detail| LoadError::Read { file: files.name(plan.file_index), detail })?;
                    offset += bytes.len() as u64;
                    let last = bytes.is_empty() || offset >= size;
                    text.clear();
                    let lines = decoder.decode_borrowing(&bytes, last, &mut text);
                    records.feed(&text, &mut |row, fields| ingest.record(row, fields));
                    records.feed(lines, &mut |row, fields| ingest.record(row, fields));
                    if !estimated && !last {
                        // The first slice tells how long rows are: room for the rest at once.
                        estimated = true;
                        ingest.expect_rows(rows_to_come(records.records(), offset, size));
                    }
                    progress(done + offset, total);
                    if last {
                        break;
                    }
                }
                records.finish(&mut |row, fields| ingest.record(row, fields));
                note_reading(&mut ingest, &decoder, &records, encoding.label());
            }
            Source::Excel { sheet } => {
                let tables = whole_tables(&mut whole, files, plan.file_index, read_excel)?;
                feed_table(&mut ingest, tables.iter().find(|t| t.name.as_deref() == Some(sheet.as_str())), &plan.name)?;
            }
            Source::Json { key } => {
                let tables = whole_tables(&mut whole, files, plan.file_index, read_json)?;
                feed_table(&mut ingest, tables.iter().find(|t| &t.name == key), &plan.name)?;
            }
        }
        ingest.finish();
        done += size;
        progress(done, total);
    }
    Ok(loader)
}

/// The rows still to come in a file of `size` bytes, `records` having been read from its first
/// `read` bytes, with 3% to spare (rows vary in length).
fn rows_to_come(records: u64, read: u64, size: u64) -> u64 {
    if read == 0 {
        return 0;
    }
    let per_byte = records as f64 / read as f64;
    (size.saturating_sub(read) as f64 * per_byte * 1.03) as u64
}

/// Notes listed per table at most (a broken file could have an unclosed quote on every row).
const MAX_NOTES_OF_A_KIND: usize = 20;

/// What the decoder and the record reader met: encoding changes, undecodable bytes, quotes
/// never closed.
fn note_reading(ingest: &mut TableIngest<'_>, decoder: &TextDecoder, records: &RecordReader, encoding: &str) {
    for change in decoder.changes.iter().take(MAX_NOTES_OF_A_KIND) {
        ingest.note(TableNote::EncodingChanged {
            from: change.from.label().to_string(),
            to: change.to.label().to_string(),
            row: change.line,
        });
    }
    if decoder.had_errors {
        ingest.note(TableNote::InvalidBytes { encoding: encoding.to_string() });
    }
    for &row in records.unclosed_quotes.iter().take(MAX_NOTES_OF_A_KIND) {
        ingest.note(TableNote::UnclosedQuote { row });
    }
}

/// Previews every table of every file: the head of delimited text, workbooks and JSON whole.
/// Why files could not be previewed: a file that is not data (typed, so the page can say it in
/// its language), or another failure (a read error, an unreadable workbook).
#[derive(Clone, Debug, PartialEq)]
pub enum InspectError {
    NotData { file: String, reason: super::refuse::NotData },
    Load(LoadError),
}

impl std::fmt::Display for InspectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InspectError::NotData { file, reason } => f.write_str(&reason.message(file)),
            InspectError::Load(e) => write!(f, "{e}"),
        }
    }
}

impl From<LoadError> for InspectError {
    fn from(e: LoadError) -> Self {
        InspectError::Load(e)
    }
}

pub fn inspect_files(files: &mut dyn FileSource) -> Result<Vec<TablePreview>, InspectError> {
    let mut previews = Vec::new();
    for file in 0..files.len() {
        let name = files.name(file);
        let size = files.size(file);
        let mut bytes = read_fully(files, file, PREVIEW_BYTES as u64)?;
        if needs_whole_file(&bytes) && (bytes.len() as u64) < size {
            bytes = read_fully(files, file, size)?;
        }
        let whole = needs_whole_file(&bytes);
        let not_data = |reason| InspectError::NotData { file: name.clone(), reason };
        check_head(&bytes, size, !whole).map_err(not_data)?;
        let complete = bytes.len() as u64 >= size;
        let found = inspect(file, &name, &bytes, complete)?;
        check_previews(&found.iter().collect::<Vec<_>>()).map_err(not_data)?;
        previews.extend(found);
    }
    Ok(previews)
}

/// The first `len` bytes of a file (or all of it), however the source slices its reads.
fn read_fully(files: &mut dyn FileSource, file: usize, len: u64) -> Result<Vec<u8>, LoadError> {
    let len = len.min(files.size(file));
    let mut bytes = Vec::with_capacity(len as usize);
    while (bytes.len() as u64) < len {
        let more = files.read(file, bytes.len() as u64, len - bytes.len() as u64).map_err(|detail| LoadError::Read { file: files.name(file), detail })?;
        if more.is_empty() {
            break;
        }
        bytes.extend_from_slice(&more);
    }
    Ok(bytes)
}

fn whole_tables<'a>(
    cache: &'a mut HashMap<usize, Vec<Table>>,
    files: &mut dyn FileSource,
    file: usize,
    parse: fn(&[u8]) -> Result<Vec<Table>, TableProblem>,
) -> Result<&'a Vec<Table>, LoadError> {
    if !cache.contains_key(&file) {
        let size = files.size(file);
        let bytes = read_fully(files, file, size)?;
        let tables = parse(&bytes).map_err(|problem| LoadError::Unreadable { file: files.name(file), problem })?;
        cache.insert(file, tables);
    }
    Ok(&cache[&file])
}

fn feed_table(ingest: &mut TableIngest<'_>, table: Option<&Table>, name: &str) -> Result<(), LoadError> {
    let table = table.ok_or_else(|| LoadError::TableGone { table: name.to_string() })?;
    for (i, row) in table.rows.iter().enumerate() {
        let fields: Vec<&str> = row.iter().map(String::as_str).collect();
        ingest.record(i as u64 + 1, &fields);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
