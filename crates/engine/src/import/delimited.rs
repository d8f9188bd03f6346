//! Delimited text: which delimiter a file uses (comma, tab, semicolon, pipe, runs of spaces),
//! where its header is (title rows above it are skipped), and a streaming record reader that
//! honours quotes, fed decoded text chunk by chunk.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delimiter {
    Comma,
    Tab,
    Semicolon,
    Pipe,
    /// One or more spaces or tabs between fields, no quoting (fixed-width-ish exports, CDNOW).
    Whitespace,
}

impl Delimiter {
    pub const ALL: [Delimiter; 5] =
        [Delimiter::Comma, Delimiter::Tab, Delimiter::Semicolon, Delimiter::Pipe, Delimiter::Whitespace];

    fn byte(self) -> Option<u8> {
        match self {
            Delimiter::Comma => Some(b','),
            Delimiter::Tab => Some(b'\t'),
            Delimiter::Semicolon => Some(b';'),
            Delimiter::Pipe => Some(b'|'),
            Delimiter::Whitespace => None,
        }
    }
}

/// A quoted field spanning more line breaks than this is taken for a quote that was never
/// closed: exports put short notes in quotes, not pages of text.
pub const MAX_QUOTED_LINES: u64 = 100;

/// Raw text of an unfinished record kept for re-reading it (a record longer than this that
/// turns out to be an unclosed quote is reported, but its lines cannot be re-read).
const RAW_KEEP: usize = 1 << 20;

/// Bytes handed to csv_core at a time, so the line breaks of an open record are counted as
/// they come rather than after megabytes.
const STEP: usize = 64 * 1024;

/// Streams records out of text fed in chunks. Each record is handed to the callback with its
/// 1-based record number (blank lines are not records).
///
/// A quote that is opened and never closed would swallow the rest of the file into one field.
/// When a record runs over [`MAX_QUOTED_LINES`] line breaks, or is still inside quotes at the end
/// of the input, its first line is read as plain text (without quoting) and reading resumes on
/// the line after it; the row is listed in [`RecordReader::unclosed_quotes`].
pub struct RecordReader {
    core: Option<Reader>,
    delimiter: Delimiter,
    /// Whitespace mode: text of an unfinished line.
    pending: String,
    /// csv_core resumes a record across calls: the fields written so far stay in `output`.
    output: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    record_no: u64,
    /// Fields of the last record handed on: the width rows of the table have.
    last_fields: usize,
    /// Raw bytes of the unfinished record (up to [`RAW_KEEP`]), its full length, and the line
    /// breaks in it.
    raw: Vec<u8>,
    raw_len: usize,
    raw_lines: u64,
    /// Rows (record numbers) where a quote was opened and never closed.
    pub unclosed_quotes: Vec<u64>,
}

impl RecordReader {
    pub fn new(delimiter: Delimiter) -> Self {
        RecordReader {
            core: csv_reader(delimiter),
            delimiter,
            pending: String::new(),
            output: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            record_no: 0,
            last_fields: 0,
            raw: Vec::new(),
            raw_len: 0,
            raw_lines: 0,
            unclosed_quotes: Vec::new(),
        }
    }

    /// Records read so far.
    pub fn records(&self) -> u64 {
        self.record_no
    }

    /// Feeds text; calls `on_record(record_no, fields)` for every complete record.
    pub fn feed(&mut self, text: &str, on_record: &mut dyn FnMut(u64, &[&str])) {
        match self.core {
            Some(_) => self.read_csv(text.as_bytes(), false, on_record),
            None => self.read_whitespace(text, false, on_record),
        }
    }

    /// Ends the input: the last record, even without a final newline.
    pub fn finish(&mut self, on_record: &mut dyn FnMut(u64, &[&str])) {
        match self.core {
            Some(_) => self.read_csv(&[], true, on_record),
            None => self.read_whitespace("", true, on_record),
        }
    }

    fn read_csv(&mut self, mut input: &[u8], at_end: bool, on_record: &mut dyn FnMut(u64, &[&str])) {
        // Lines to read again after an unclosed quote, before the rest of `input`.
        let mut replay: Vec<u8> = Vec::new();
        let mut replay_pos = 0;
        loop {
            let from_replay = replay_pos < replay.len();
            let source: &[u8] = if from_replay { &replay[replay_pos..] } else { input };
            let step = &source[..source.len().min(STEP)];
            // An empty input tells csv_core the data has ended.
            let final_flush = step.is_empty();
            if final_flush && !at_end {
                return;
            }
            let Some(core) = self.core.as_mut() else { return };
            let (result, read, written, n_ends) =
                core.read_record(step, &mut self.output[self.out_len..], &mut self.ends[self.ends_len..]);
            self.out_len += written;
            self.ends_len += n_ends;
            let consumed = &step[..read];
            if !matches!(result, ReadRecordResult::Record | ReadRecordResult::End) {
                self.keep_raw(consumed);
            }
            if from_replay {
                replay_pos += read;
            } else {
                input = &input[read..];
            }
            let unclosed = match result {
                ReadRecordResult::InputEmpty => false,
                ReadRecordResult::OutputFull => {
                    let n = self.output.len() * 2;
                    self.output.resize(n, 0);
                    false
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                    false
                }
                ReadRecordResult::Record if final_flush && self.open_at_end() => true,
                ReadRecordResult::Record if self.stray_quote(consumed) => true,
                ReadRecordResult::Record => {
                    if emit(&self.output[..self.out_len], &self.ends[..self.ends_len], self.record_no + 1, on_record) {
                        self.record_no += 1;
                        self.last_fields = self.ends_len;
                    }
                    self.clear_record();
                    false
                }
                ReadRecordResult::End => return,
            };
            if unclosed || self.raw_lines > MAX_QUOTED_LINES {
                let again = self.recover_unclosed_quote(on_record);
                let rest = replay.get(replay_pos..).unwrap_or_default();
                replay = [again.as_slice(), rest].concat();
                replay_pos = 0;
            }
        }
    }

    /// Whether a record just read holds a quote opened by mistake that a later quote closed
    /// (within one read step, so [`keep_raw`](Self::keep_raw) never saw it run long): its fields
    /// span more than [`MAX_QUOTED_LINES`] line breaks, or the lines after its first look like
    /// rows of the table. Only a record with a line break in a field pays for the check.
    fn stray_quote(&mut self, consumed: &[u8]) -> bool {
        let breaks = count_newlines(&self.output[..self.out_len]);
        if breaks == 0 {
            return false;
        }
        self.keep_raw(consumed);
        let separator = self.delimiter.byte().unwrap_or(b',');
        let raw_complete = self.raw.len() == self.raw_len;
        breaks > MAX_QUOTED_LINES || (raw_complete && continues_as_rows(&self.raw, separator, self.last_fields))
    }

    /// Adds bytes of the unfinished record (line breaks before it starts are the end of the
    /// previous record).
    fn keep_raw(&mut self, mut consumed: &[u8]) {
        if self.raw_len == 0 {
            let start = consumed.iter().position(|&b| b != b'\n' && b != b'\r').unwrap_or(consumed.len());
            consumed = &consumed[start..];
        }
        self.raw_len += consumed.len();
        self.raw_lines += count_newlines(consumed);
        if self.raw.len() + consumed.len() <= RAW_KEEP {
            self.raw.extend_from_slice(consumed);
        } else if !self.raw.is_empty() {
            self.raw = Vec::new();
        }
    }

    fn clear_record(&mut self) {
        self.out_len = 0;
        self.ends_len = 0;
        self.raw.clear();
        self.raw_len = 0;
        self.raw_lines = 0;
    }

    /// At the end of the input: whether the last record spans lines and is still inside a
    /// quoted field (its quote was never closed).
    fn open_at_end(&self) -> bool {
        let raw_complete = self.raw.len() == self.raw_len;
        let separator = self.delimiter.byte().unwrap_or(b',');
        self.raw_lines > 0 && (!raw_complete || ends_inside_quotes(&self.raw, separator))
    }

    /// Reports the record being read as an unclosed quote, hands its first line on as a
    /// record read without quoting, and returns the bytes after that line to read again.
    fn recover_unclosed_quote(&mut self, on_record: &mut dyn FnMut(u64, &[&str])) -> Vec<u8> {
        let row = self.record_no + 1;
        self.unclosed_quotes.push(row);
        self.core = csv_reader(self.delimiter);
        let raw = std::mem::take(&mut self.raw);
        let complete = raw.len() == self.raw_len;
        self.clear_record();
        if !complete {
            // Too long to keep: the lines in it are lost; reading goes on from here.
            return Vec::new();
        }
        let first_end = raw.iter().position(|&b| b == b'\n').unwrap_or(raw.len());
        let line = String::from_utf8_lossy(&raw[..first_end]);
        let line = line.trim_end_matches('\r');
        let separator = self.delimiter.byte().map_or(',', char::from);
        let fields: Vec<&str> = line.split(separator).map(|f| f.trim_matches('"')).collect();
        if !(fields.len() == 1 && fields[0].trim().is_empty()) {
            self.record_no += 1;
            on_record(self.record_no, &fields);
        }
        raw.get(first_end + 1..).unwrap_or_default().to_vec()
    }

    fn read_whitespace(&mut self, input: &str, last: bool, on_record: &mut dyn FnMut(u64, &[&str])) {
        let mut rest = input;
        // Complete the line left unfinished by the previous chunk.
        if !self.pending.is_empty() {
            let end = rest.find('\n').unwrap_or(rest.len());
            self.pending.push_str(rest.get(..end).unwrap_or(""));
            rest = rest.get(end..).unwrap_or("");
            if let Some(after) = rest.strip_prefix('\n') {
                let line = std::mem::take(&mut self.pending);
                self.whitespace_line(&line, on_record);
                self.pending = line;
                self.pending.clear();
                rest = after;
            }
        }
        // Each byte is looked at once: words and line ends in one pass.
        let mut words: Vec<&str> = Vec::with_capacity(STACK_FIELDS);
        while let Some(len) = line_words(rest, &mut words) {
            self.hand_on_words(&words, on_record);
            rest = rest.get(len..).unwrap_or("");
        }
        self.pending.push_str(rest);
        if last && !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            self.whitespace_line(&line, on_record);
        }
    }

    fn whitespace_line(&mut self, line: &str, on_record: &mut dyn FnMut(u64, &[&str])) {
        let words: Vec<&str> = line.split_whitespace().collect();
        self.hand_on_words(&words, on_record);
    }

    /// A line's words as a record (a blank line is none).
    fn hand_on_words(&mut self, words: &[&str], on_record: &mut dyn FnMut(u64, &[&str])) {
        if words.is_empty() {
            return;
        }
        self.record_no += 1;
        on_record(self.record_no, words);
    }
}

/// What a byte is to [`line_words`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum ByteClass {
    Word,
    /// ASCII whitespace other than the line break: 9..=13 and the space.
    Space,
    LineBreak,
    /// Part of a character beyond ASCII.
    Wide,
}

const fn byte_classes() -> [ByteClass; 256] {
    let mut table = [ByteClass::Word; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b {
            0x0A => ByteClass::LineBreak,
            0x09..=0x0D | 0x20 => ByteClass::Space,
            0x80.. => ByteClass::Wide,
            _ => ByteClass::Word,
        };
        b += 1;
    }
    table
}

static BYTE_CLASS: [ByteClass; 256] = byte_classes();

fn class_at(bytes: &[u8], i: usize) -> Option<ByteClass> {
    bytes.get(i).map(|&b| BYTE_CLASS[b as usize])
}

/// The words of the first line of `text` (as `split_whitespace` gives them) into `words`; returns
/// the length of the line with its line break, or `None` when `text` has no line break.
fn line_words<'a>(text: &'a str, words: &mut Vec<&'a str>) -> Option<usize> {
    words.clear();
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        while class_at(bytes, i) == Some(ByteClass::Space) {
            i += 1;
        }
        let start = i;
        while class_at(bytes, i) == Some(ByteClass::Word) {
            i += 1;
        }
        if i > start {
            words.push(text.get(start..i).unwrap_or(""));
        }
        match class_at(bytes, i)? {
            ByteClass::LineBreak => return Some(i + 1),
            ByteClass::Wide => {
                // Not ASCII: the line's words as Unicode splits them (U+3000 is whitespace too).
                let end = i + bytes.get(i..)?.iter().position(|&c| c == b'\n')?;
                words.clear();
                words.extend(text.get(..end).unwrap_or("").split_whitespace());
                return Some(end + 1);
            }
            ByteClass::Space | ByteClass::Word => {}
        }
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Whether the lines of a multi-line record after its first look like rows of a table `fields`
/// wide (each with `fields - 1` separators): at least two of them, and at least half. A note
/// that really spans lines rarely has a table row's separators on two of its lines; the rows
/// swallowed after a stray quote do.
fn continues_as_rows(raw: &[u8], separator: u8, fields: usize) -> bool {
    if fields < 2 {
        return false;
    }
    let (mut lines, mut row_like) = (0usize, 0usize);
    for line in raw.split(|&b| b == b'\n').skip(1) {
        if line.iter().all(|&b| b == b'\r') {
            continue;
        }
        lines += 1;
        if line.iter().filter(|&&b| b == separator).count() + 1 == fields {
            row_like += 1;
        }
    }
    row_like >= 2 && row_like * 2 >= lines
}

/// Whether a record's raw text ends inside a quoted field, quoting as csv_core does: a quote
/// opens a field only at its start, `""` inside is a quote, another quote closes it.
fn ends_inside_quotes(raw: &[u8], separator: u8) -> bool {
    let mut in_quotes = false;
    let mut field_start = true;
    let mut bytes = raw.iter().peekable();
    while let Some(&b) = bytes.next() {
        if in_quotes {
            if b == b'"' {
                if bytes.peek() == Some(&&b'"') {
                    bytes.next();
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && field_start {
            in_quotes = true;
            field_start = false;
        } else {
            field_start = b == separator || b == b'\n' || b == b'\r';
        }
    }
    in_quotes
}

fn csv_reader(delimiter: Delimiter) -> Option<Reader> {
    delimiter.byte().map(|b| ReaderBuilder::new().delimiter(b).build())
}

/// The fields of one record, on the stack for the usual row (no allocation per row).
struct Fields<'a> {
    stack: [&'a str; STACK_FIELDS],
    n: usize,
    /// Every field, when there are more than [`STACK_FIELDS`].
    spilled: Vec<&'a str>,
}

const STACK_FIELDS: usize = 32;

impl<'a> Fields<'a> {
    fn new() -> Self {
        Fields { stack: [""; STACK_FIELDS], n: 0, spilled: Vec::new() }
    }

    fn fill(&mut self, mut fields: impl Iterator<Item = &'a str>) {
        for slot in self.stack.iter_mut() {
            match fields.next() {
                Some(f) => {
                    *slot = f;
                    self.n += 1;
                }
                None => return,
            }
        }
        if let Some(f) = fields.next() {
            self.spilled = self.stack.to_vec();
            self.spilled.push(f);
            self.spilled.extend(fields);
        }
    }

    fn as_slice(&self) -> &[&'a str] {
        if self.spilled.is_empty() {
            self.stack.get(..self.n).unwrap_or_default()
        } else {
            &self.spilled
        }
    }
}

/// Hands a csv record to the callback; false for a blank line (no record).
fn emit(output: &[u8], ends: &[usize], record_no: u64, on_record: &mut dyn FnMut(u64, &[&str])) -> bool {
    // The input was text, and csv_core only takes out ASCII quotes and separators: the output
    // is text too (the lossy path only guards against a broken invariant).
    let text = match std::str::from_utf8(output) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(output),
    };
    let starts = std::iter::once(0).chain(ends.iter().copied());
    let mut fields = Fields::new();
    fields.fill(starts.zip(ends.iter().copied()).map(|(start, end)| text.get(start..end).unwrap_or("")));
    let fields = fields.as_slice();
    // A blank line is no record.
    if fields.len() == 1 && fields.first().is_some_and(|f| f.trim().is_empty()) {
        return false;
    }
    on_record(record_no, fields);
    true
}

/// The first `max` records of `text` read with `delimiter`. When `text` is only the head of a
/// file, its last record may be cut: `complete = false` drops it.
pub fn sample_records(text: &str, delimiter: Delimiter, max: usize, complete: bool) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut reader = RecordReader::new(delimiter);
    let mut take = |_: u64, fields: &[&str]| {
        if out.len() <= max {
            out.push(fields.iter().map(|f| f.to_string()).collect());
        }
    };
    // Read no further than needed: a sample's worth of lines.
    let end = text.match_indices('\n').nth(max * 4 + 10).map_or(text.len(), |(i, _)| i + 1);
    reader.feed(&text[..end], &mut take);
    // Records end at a newline; only a complete file's unterminated last line is a record too.
    if complete && end == text.len() {
        reader.finish(&mut take);
    }
    out.truncate(max);
    out
}

/// The delimiter that splits the sample's rows into the same number (≥ 2) of fields most
/// consistently; comma when nothing does.
pub fn sniff_delimiter(text: &str, complete: bool) -> Delimiter {
    let mut best = (0.0f64, Delimiter::Comma);
    for d in Delimiter::ALL {
        let records = sample_records(text, d, 30, complete);
        let counts: Vec<usize> = records.iter().map(Vec::len).collect();
        let Some(mode) = mode(&counts) else { continue };
        if mode < 2 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == mode).count() as f64 / counts.len() as f64;
        // More fields break ties (a date "2024-03-05 14:22" splits on spaces into two, too).
        let mut score = consistent + (mode as f64).min(50.0) * 1e-3;
        if d == Delimiter::Whitespace {
            score -= 0.05;
        }
        if score > best.0 {
            best = (score, d);
        }
    }
    best.1
}

fn mode(values: &[usize]) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for &v in values {
        match counts.iter_mut().find(|(x, _)| *x == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    // Most frequent; among equals, the larger value.
    counts.into_iter().max_by_key(|&(v, n)| (n, v)).map(|(v, _)| v)
}

/// Title or banner rows above the table: leading records with far fewer filled cells than the
/// table's usual row. Returns how many to skip.
pub fn leading_title_rows(records: &[Vec<String>]) -> usize {
    let filled: Vec<usize> = records.iter().map(|r| r.iter().filter(|c| !c.trim().is_empty()).count()).collect();
    let Some(typical) = mode(&filled[filled.len().min(3)..].to_vec()).or_else(|| mode(&filled)) else { return 0 };
    let needed = ((typical as f64) * 0.6).ceil() as usize;
    filled.iter().take_while(|&&n| n < needed.max(2)).count().min(records.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str, d: Delimiter, chunk: usize) -> Vec<(u64, Vec<String>)> {
        let mut out = Vec::new();
        let mut r = RecordReader::new(d);
        let mut take = |n: u64, f: &[&str]| out.push((n, f.iter().map(|s| s.to_string()).collect::<Vec<_>>()));
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let mut j = (i + chunk).min(bytes.len());
            while !text.is_char_boundary(j) {
                j += 1;
            }
            r.feed(&text[i..j], &mut take);
            i = j;
        }
        r.finish(&mut take);
        out
    }

    #[test]
    fn quoted_fields_across_chunks() {
        let text = "a,b,c\r\n1,\"x, \"\"y\"\"\",3\n\n2,\"multi\nline\",4";
        for chunk in [1, 2, 5, 100] {
            let recs = read_all(text, Delimiter::Comma, chunk);
            assert_eq!(recs.len(), 3, "chunk {chunk}");
            assert_eq!(recs[1], (2, vec!["1".into(), "x, \"y\"".into(), "3".into()]));
            assert_eq!(recs[2], (3, vec!["2".into(), "multi\nline".into(), "4".into()]));
        }
    }

    /// `n` rows of `id,name,amount`, with a quote opened and never closed on row `bad`.
    fn with_unclosed_quote(n: usize, bad: usize) -> String {
        (1..=n).map(|i| if i == bad { format!("{i},\"Zhang,5\n") } else { format!("{i},Li,5\n") }).collect()
    }

    #[test]
    fn an_unclosed_quote_is_reported_and_the_rows_after_it_are_read() {
        let text = with_unclosed_quote(10_000, 102);
        for chunk in [3, 1000, 1 << 20] {
            let mut r = RecordReader::new(Delimiter::Comma);
            let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
            let mut take = |n: u64, f: &[&str]| rows.push((n, f.iter().map(|s| s.to_string()).collect()));
            let mut i = 0;
            while i < text.len() {
                let j = (i + chunk).min(text.len());
                r.feed(&text[i..j], &mut take);
                i = j;
            }
            r.finish(&mut take);
            assert_eq!(r.unclosed_quotes, vec![102], "chunk {chunk}");
            assert_eq!(rows.len(), 10_000, "chunk {chunk}");
            assert_eq!(rows[101], (102, vec!["102".to_string(), "Zhang".into(), "5".into()]));
            assert_eq!(rows[9_999], (10_000, vec!["10000".to_string(), "Li".into(), "5".into()]));
        }
    }

    #[test]
    fn an_unclosed_quote_near_the_end_is_reported_at_the_end() {
        let text = with_unclosed_quote(50, 45);
        let recs = read_all(&text, Delimiter::Comma, 7);
        assert_eq!(recs.len(), 50);
        assert_eq!(recs[44].1, vec!["45", "Zhang", "5"]);
        let mut r = RecordReader::new(Delimiter::Comma);
        r.feed(&text, &mut |_, _| {});
        r.finish(&mut |_, _| {});
        assert_eq!(r.unclosed_quotes, vec![45]);
    }

    #[test]
    fn closed_multi_line_fields_are_not_unclosed_quotes() {
        let text = "a,b\n1,\"two\nlines\"\n2,\"last\nfield\"";
        let mut r = RecordReader::new(Delimiter::Comma);
        let mut n = 0;
        r.feed(text, &mut |_, _| n += 1);
        r.finish(&mut |_, _| n += 1);
        assert_eq!(n, 3);
        assert!(r.unclosed_quotes.is_empty());
    }

    /// A header and `n` rows of `id,name,amount`; row `bad` opens a quote by mistake and row
    /// `bad + gap` has a quoted cell, whose opening quote closes the stray one.
    fn stray_quote_closed_later(n: usize, bad: usize, gap: usize) -> String {
        let mut text = String::from("id,name,amount\n");
        for i in 1..=n {
            let name = if i == bad { "\"oops".to_string() } else if i == bad + gap { "\"fine\"".into() } else { "Li".into() };
            text.push_str(&format!("{i},{name},5\n"));
        }
        text
    }

    #[test]
    fn a_stray_quote_closed_within_one_step_is_reported_and_no_row_is_lost() {
        for gap in [150, 50, 2] {
            let text = stray_quote_closed_later(3_000, 12, gap);
            for chunk in [100, 1 << 20] {
                let mut r = RecordReader::new(Delimiter::Comma);
                let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
                let mut take = |n: u64, f: &[&str]| rows.push((n, f.iter().map(|s| s.to_string()).collect()));
                for piece in text.as_bytes().chunks(chunk) {
                    r.feed(std::str::from_utf8(piece).unwrap(), &mut take);
                }
                r.finish(&mut take);
                // Record 1 is the header: data row i is record i + 1.
                assert_eq!(r.unclosed_quotes, vec![13], "gap {gap} chunk {chunk}");
                assert_eq!(rows.len(), 3_001, "gap {gap} chunk {chunk}");
                assert_eq!(rows[12], (13, vec!["12".to_string(), "oops".into(), "5".into()]));
                assert_eq!(rows[12 + gap].1, vec![(12 + gap).to_string(), "fine".into(), "5".into()]);
                assert!(rows.iter().all(|(_, f)| f.len() == 3 && !f[1].contains('\n')), "gap {gap} chunk {chunk}");
            }
        }
    }

    #[test]
    fn notes_of_several_lines_are_not_stray_quotes() {
        let text = "id,note,amount\n1,\"first line\nsecond, with a comma\nthird\",5\n2,\"a\nb\nc\nd\",6\n3,x,7\n";
        let recs = read_all(text, Delimiter::Comma, 1 << 20);
        assert_eq!(recs.len(), 4);
        assert_eq!(recs[1].1[1], "first line\nsecond, with a comma\nthird");
        let mut r = RecordReader::new(Delimiter::Comma);
        r.feed(text, &mut |_, _| {});
        r.finish(&mut |_, _| {});
        assert!(r.unclosed_quotes.is_empty());
    }

    #[test]
    fn whitespace_runs() {
        let text = "00001 19970101  1   11.77\n00002 19970112 1 12.00\r\n\n00003\t19970102 2 20.76";
        let recs = read_all(text, Delimiter::Whitespace, 3);
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[2].1, vec!["00003", "19970102", "2", "20.76"]);
    }

    #[test]
    fn sniffs_each_delimiter() {
        let rows = [["会员卡号", "消费时间", "实收金额"], ["8800001", "2024-03-05 14:22", "1,280.00"], ["8800002", "2024-03-06 09:00", "35"]];
        for (d, sep) in [(Delimiter::Tab, "\t"), (Delimiter::Semicolon, ";"), (Delimiter::Pipe, "|")] {
            let text: String = rows.iter().map(|r| r.join(sep) + "\n").collect();
            assert_eq!(sniff_delimiter(&text, true), d);
        }
        let csv = "会员卡号,消费时间,实收金额\n8800001,2024-03-05 14:22,\"1,280.00\"\n8800002,2024-03-06,35\n";
        assert_eq!(sniff_delimiter(csv, true), Delimiter::Comma);
        let cdnow = "00001 19970101 1 11.77\n00002 19970112 1 12.00\n00002 19970112 5 77.00\n";
        assert_eq!(sniff_delimiter(cdnow, true), Delimiter::Whitespace);
    }

    #[test]
    fn title_rows_are_skipped() {
        let text = "丽颜美容 2024 年消费明细\n导出时间：2024-12-31,,\n会员卡号,消费时间,实收金额\n1,2024-01-01,5\n2,2024-01-02,6\n";
        let recs = sample_records(text, Delimiter::Comma, 20, true);
        assert_eq!(leading_title_rows(&recs), 2);
        let plain = sample_records("a,b\n1,2\n3,4\n", Delimiter::Comma, 20, true);
        assert_eq!(leading_title_rows(&plain), 0);
    }

    #[test]
    fn a_head_sample_drops_its_cut_last_record() {
        let recs = sample_records("a,b\n1,2\n3,4", Delimiter::Comma, 20, false);
        assert_eq!(recs.len(), 2);
    }
}
