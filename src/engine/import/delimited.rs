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

/// Streams records out of text fed in chunks. Each record is handed to the callback with its
/// 1-based record number (blank lines are not records).
pub struct RecordReader {
    core: Option<Reader>,
    /// Whitespace mode: text of an unfinished line.
    pending: Vec<u8>,
    /// csv_core resumes a record across calls: the fields written so far stay in `output`.
    output: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    record_no: u64,
}

impl RecordReader {
    pub fn new(delimiter: Delimiter) -> Self {
        let core = delimiter.byte().map(|b| ReaderBuilder::new().delimiter(b).build());
        RecordReader {
            core,
            pending: Vec::new(),
            output: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            record_no: 0,
        }
    }

    /// Records read so far.
    pub fn records(&self) -> u64 {
        self.record_no
    }

    /// Feeds text; calls `on_record(record_no, fields)` for every complete record.
    pub fn feed(&mut self, text: &str, on_record: &mut dyn FnMut(u64, &[&str])) {
        match self.core {
            Some(_) => self.read_csv(text.as_bytes(), on_record),
            None => self.read_whitespace(text.as_bytes(), false, on_record),
        }
    }

    /// Ends the input: the last record, even without a final newline.
    pub fn finish(&mut self, on_record: &mut dyn FnMut(u64, &[&str])) {
        match self.core {
            // An empty input tells csv_core the data has ended.
            Some(_) => self.read_csv(&[], on_record),
            None => self.read_whitespace(&[], true, on_record),
        }
    }

    fn read_csv(&mut self, mut input: &[u8], on_record: &mut dyn FnMut(u64, &[&str])) {
        let at_end = input.is_empty();
        let Some(core) = self.core.as_mut() else { return };
        loop {
            let (result, read, written, n_ends) =
                core.read_record(input, &mut self.output[self.out_len..], &mut self.ends[self.ends_len..]);
            input = &input[read..];
            self.out_len += written;
            self.ends_len += n_ends;
            match result {
                ReadRecordResult::InputEmpty => {
                    if !at_end {
                        return;
                    }
                }
                ReadRecordResult::OutputFull => {
                    let n = self.output.len() * 2;
                    self.output.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    if emit(&self.output[..self.out_len], &self.ends[..self.ends_len], self.record_no + 1, on_record) {
                        self.record_no += 1;
                    }
                    self.out_len = 0;
                    self.ends_len = 0;
                }
                ReadRecordResult::End => return,
            }
        }
    }

    fn read_whitespace(&mut self, input: &[u8], last: bool, on_record: &mut dyn FnMut(u64, &[&str])) {
        self.pending.extend_from_slice(input);
        let text = std::mem::take(&mut self.pending);
        let mut start = 0;
        for (i, &b) in text.iter().enumerate() {
            if b == b'\n' {
                self.whitespace_line(&text[start..i], on_record);
                start = i + 1;
            }
        }
        if last {
            self.whitespace_line(&text[start..], on_record);
        } else {
            self.pending = text[start..].to_vec();
        }
    }

    fn whitespace_line(&mut self, line: &[u8], on_record: &mut dyn FnMut(u64, &[&str])) {
        let line = String::from_utf8_lossy(line);
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            return;
        }
        self.record_no += 1;
        on_record(self.record_no, &fields);
    }
}

/// Hands a csv record to the callback; false for a blank line (no record).
fn emit(output: &[u8], ends: &[usize], record_no: u64, on_record: &mut dyn FnMut(u64, &[&str])) -> bool {
    let text = String::from_utf8_lossy(output);
    let mut fields = Vec::with_capacity(ends.len());
    let mut start = 0;
    for &end in ends {
        fields.push(text.get(start..end).unwrap_or(""));
        start = end;
    }
    // A blank line is no record.
    if fields.len() == 1 && fields[0].trim().is_empty() {
        return false;
    }
    on_record(record_no, &fields);
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
