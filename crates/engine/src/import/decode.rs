//! Text encodings of exports: UTF-8 with or without BOM, GBK / GB18030 (most Chinese POS
//! systems), UTF-16 LE/BE (Excel's "Unicode text"). Detected from the first bytes, decoded in
//! chunks (a character split across two chunks is carried over), never failing: bytes that are
//! not valid in the encoding become U+FFFD and the load report says so.

use encoding_rs::{Decoder, Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    /// GB18030, a superset of GBK and GB2312.
    Gb18030,
    Utf16Le,
    Utf16Be,
}

impl TextEncoding {
    fn encoding(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 => UTF_8,
            TextEncoding::Gb18030 => GB18030,
            TextEncoding::Utf16Le => UTF_16LE,
            TextEncoding::Utf16Be => UTF_16BE,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Gb18030 => "GBK/GB18030",
            TextEncoding::Utf16Le => "UTF-16 LE",
            TextEncoding::Utf16Be => "UTF-16 BE",
        }
    }
}

/// Guesses the encoding from the first bytes of a file.
pub fn sniff_encoding(head: &[u8]) -> TextEncoding {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return TextEncoding::Utf8;
    }
    if head.starts_with(b"\xFF\xFE") {
        return TextEncoding::Utf16Le;
    }
    if head.starts_with(b"\xFE\xFF") {
        return TextEncoding::Utf16Be;
    }
    // UTF-16 without BOM: ASCII-heavy text has a zero byte in every other position.
    let sample = &head[..head.len().min(4096)];
    if sample.len() >= 4 {
        let zeros_odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        let zeros_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
        let half = sample.len() / 2;
        if zeros_odd * 3 > half && zeros_even * 10 < half {
            return TextEncoding::Utf16Le;
        }
        if zeros_even * 3 > half && zeros_odd * 10 < half {
            return TextEncoding::Utf16Be;
        }
    }
    match std::str::from_utf8(head) {
        Ok(_) => TextEncoding::Utf8,
        // Valid up to a character cut by the end of the sample.
        Err(e) if e.error_len().is_none() => TextEncoding::Utf8,
        Err(_) => TextEncoding::Gb18030,
    }
}

/// A change of encoding inside a file (two exports pasted together, or a head that was plain
/// ASCII in a GBK file): from `line` on, lines read in `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodingChange {
    pub from: TextEncoding,
    pub to: TextEncoding,
    /// 1-based line of the file where the new encoding starts.
    pub line: u64,
}

/// Decodes a byte stream chunk by chunk into UTF-8.
///
/// UTF-16 is decoded as a stream. UTF-8 and GBK/GB18030 are decoded in blocks of whole lines (a
/// line break never falls inside a character of either), each block at once; a block that does
/// not read cleanly in the current encoding is read again line by line, so a file that changes
/// from one to the other is followed: a line that is not valid in the current encoding but valid
/// in the other is read in the other, and from there on the other is current. The change is recorded in `changes`
/// when lines with Chinese text were read before it (a head of plain ASCII proves nothing).
pub struct TextDecoder {
    /// UTF-16's streaming decoder.
    stream: Option<Decoder>,
    /// UTF-8 or GB18030: the encoding lines are read in now.
    current: TextEncoding,
    /// Bytes of an unfinished line.
    pending: Vec<u8>,
    /// Lines decoded so far.
    lines: u64,
    /// Whether the start of the file (and its BOM) has been seen.
    started: bool,
    /// Whether a non-ASCII line was read in the current encoding (evidence for it).
    evidence: bool,
    /// Whether any byte could not be decoded (and became U+FFFD).
    pub had_errors: bool,
    /// The first line with bytes that could not be decoded.
    pub first_invalid_line: Option<u64>,
    /// Where the encoding changed.
    pub changes: Vec<EncodingChange>,
}

impl TextDecoder {
    pub fn new(encoding: TextEncoding) -> Self {
        let stream = matches!(encoding, TextEncoding::Utf16Le | TextEncoding::Utf16Be)
            .then(|| encoding.encoding().new_decoder_with_bom_removal());
        TextDecoder {
            stream,
            current: encoding,
            pending: Vec::new(),
            lines: 0,
            started: false,
            evidence: false,
            had_errors: false,
            first_invalid_line: None,
            changes: Vec::new(),
        }
    }

    /// Appends the decoded text of `bytes` to `out`; `last` on the final chunk flushes. Text
    /// comes out whole lines at a time (an unfinished line waits for the next chunk).
    pub fn decode(&mut self, bytes: &[u8], last: bool, out: &mut String) {
        if let Some(decoder) = self.stream.as_mut() {
            self.had_errors |= decode_stream(decoder, bytes, last, out);
            return;
        }
        let mut bytes = bytes;
        let head: Vec<u8>;
        if !self.started {
            // Wait for three bytes, to see a BOM even when the chunks are tiny.
            self.pending.extend_from_slice(bytes);
            if self.pending.len() < 3 && !last {
                return;
            }
            self.started = true;
            let all = std::mem::take(&mut self.pending);
            head = match all.strip_prefix(b"\xEF\xBB\xBF") {
                Some(rest) => rest.to_vec(),
                None => all,
            };
            bytes = &head;
        }
        // Complete the pending line first.
        if !self.pending.is_empty() {
            match bytes.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    let mut line = std::mem::take(&mut self.pending);
                    line.extend_from_slice(&bytes[..=i]);
                    self.decode_lines(&line, out);
                    bytes = &bytes[i + 1..];
                }
                None => {
                    self.pending.extend_from_slice(bytes);
                    bytes = &[];
                }
            }
        }
        let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        self.decode_lines(&bytes[..complete], out);
        self.pending.extend_from_slice(&bytes[complete..]);
        if last && !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            self.decode_lines(&line, out);
        }
    }

    /// [`decode`](Self::decode) without copying what needs no decoding: text that must be
    /// decoded (the end of a line begun in the previous chunk, or any other encoding) goes to
    /// `out`, and the rest of the chunk's whole lines, when they are valid UTF-8 read as UTF-8,
    /// is returned as it is. The text of the chunk is `out` followed by the returned text.
    pub fn decode_borrowing<'a>(&mut self, bytes: &'a [u8], last: bool, out: &mut String) -> &'a str {
        if self.stream.is_some() || !self.started || self.current != TextEncoding::Utf8 {
            self.decode(bytes, last, out);
            return "";
        }
        let mut bytes = bytes;
        if !self.pending.is_empty() {
            let Some(i) = bytes.iter().position(|&b| b == b'\n') else {
                self.decode(bytes, last, out);
                return "";
            };
            let mut line = std::mem::take(&mut self.pending);
            line.extend_from_slice(bytes.get(..=i).unwrap_or_default());
            self.decode_lines(&line, out);
            bytes = bytes.get(i + 1..).unwrap_or_default();
        }
        let complete = if last { bytes.len() } else { bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) };
        let (lines, rest) = bytes.split_at(complete);
        // Reading the lines decodes nothing only as long as they stay UTF-8 (a block that is not
        // valid is read line by line, to follow a change of encoding).
        match std::str::from_utf8(lines) {
            Ok(text) if self.current == TextEncoding::Utf8 => {
                self.evidence |= !text.is_ascii();
                self.lines += bytecount_newlines(lines);
                self.pending.extend_from_slice(rest);
                text
            }
            _ => {
                self.decode(bytes, last, out);
                ""
            }
        }
    }

    /// Decodes whole lines (the last may lack its line break at the end of the file), in blocks
    /// of about [`BLOCK`] bytes: each block at once with one decoder, and only a block that cannot
    /// be read that way (bytes invalid in the current encoding, or UTF-8 lines in a GBK file) line
    /// by line, to follow a change of encoding.
    fn decode_lines(&mut self, mut bytes: &[u8], out: &mut String) {
        while !bytes.is_empty() {
            let (block, rest) = bytes.split_at(block_len(bytes));
            if !self.decode_block(block, out) {
                for line in block.split_inclusive(|&b| b == b'\n') {
                    self.lines += 1;
                    self.decode_line(line, out);
                }
            }
            bytes = rest;
        }
    }

    /// Appends a block of whole lines decoded in the current encoding, when every line of it
    /// reads without error and none would make [`decode_line`](Self::decode_line) switch;
    /// false (and nothing appended) otherwise.
    fn decode_block(&mut self, block: &[u8], out: &mut String) -> bool {
        match self.current {
            TextEncoding::Utf8 => {
                let Ok(text) = std::str::from_utf8(block) else { return false };
                self.evidence |= !text.is_ascii();
                out.push_str(text);
            }
            TextEncoding::Gb18030 => {
                if has_utf8_chinese_line(block) || !gb18030_strict_into(block, out) {
                    return false;
                }
                self.evidence = self.evidence || !block.is_ascii();
            }
            // UTF-16 is decoded as a stream, never here.
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => return false,
        }
        self.lines += bytecount_newlines(block);
        true
    }

    fn decode_line(&mut self, line: &[u8], out: &mut String) {
        if line.is_ascii() {
            out.push_str(std::str::from_utf8(line).unwrap_or_default());
            return;
        }
        let utf8 = std::str::from_utf8(line).ok();
        match self.current {
            TextEncoding::Gb18030 => {
                let gb_valid = gb18030_valid(line);
                match utf8 {
                    // Valid UTF-8 that GBK cannot read, or Chinese text as UTF-8 writes it:
                    // GBK text is almost never valid UTF-8 with several 3-byte characters.
                    Some(text) if !gb_valid || three_byte_sequences(line) >= 2 => {
                        self.switch_to(TextEncoding::Utf8);
                        out.push_str(text);
                    }
                    _ if gb_valid => {
                        self.evidence = true;
                        gb18030_into(line, out);
                    }
                    _ => {
                        self.invalid();
                        gb18030_into(line, out);
                    }
                }
            }
            _ => match utf8 {
                Some(text) => {
                    self.evidence = true;
                    out.push_str(text);
                }
                None if gb18030_valid(line) => {
                    self.switch_to(TextEncoding::Gb18030);
                    gb18030_into(line, out);
                }
                None => {
                    self.invalid();
                    out.push_str(&String::from_utf8_lossy(line));
                }
            },
        }
    }

    /// Lines from the current one on are read in `to`.
    fn switch_to(&mut self, to: TextEncoding) {
        if self.evidence {
            self.changes.push(EncodingChange { from: self.current, to, line: self.lines });
        }
        self.current = to;
        // The line that caused the switch is evidence for the new encoding.
        self.evidence = true;
    }

    fn invalid(&mut self) {
        self.had_errors = true;
        self.first_invalid_line.get_or_insert(self.lines);
    }
}

/// Bytes decoded at once: a block with a bad line is read again line by line, so it is kept
/// small enough for that to cost little.
const BLOCK: usize = 64 * 1024;

/// Length of the first block of `bytes`: whole lines, about [`BLOCK`] bytes (more when one line
/// is longer).
fn block_len(bytes: &[u8]) -> usize {
    if bytes.len() <= BLOCK {
        return bytes.len();
    }
    let (head, tail) = bytes.split_at(BLOCK);
    match head.iter().rposition(|&b| b == b'\n') {
        Some(i) => i + 1,
        None => tail.iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| BLOCK + i + 1),
    }
}

/// Whether a line of the block is Chinese text as UTF-8 writes it, which GBK decoding could
/// read as other characters without an error (the test [`decode_line`](TextDecoder::decode_line)
/// switches on).
fn has_utf8_chinese_line(block: &[u8]) -> bool {
    block.split(|&b| b == b'\n').any(|line| !line.is_ascii() && three_byte_sequences(line) >= 2 && std::str::from_utf8(line).is_ok())
}

/// Appends `bytes` decoded as GB18030 when they are valid; false (and nothing appended) when not.
fn gb18030_strict_into(bytes: &[u8], out: &mut String) -> bool {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let needed = decoder.max_utf8_buffer_length_without_replacement(bytes.len()).unwrap_or(bytes.len().saturating_mul(3).saturating_add(16));
    out.reserve(needed);
    let start = out.len();
    let (result, _) = decoder.decode_to_string_without_replacement(bytes, out, true);
    if matches!(result, encoding_rs::DecoderResult::InputEmpty) {
        return true;
    }
    out.truncate(start);
    false
}

fn bytecount_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// UTF-8 sequences of three or four bytes (CJK characters are three bytes in UTF-8).
fn three_byte_sequences(line: &[u8]) -> usize {
    line.iter().filter(|&&b| b >= 0xE0).count()
}

fn gb18030_valid(line: &[u8]) -> bool {
    GB18030.decode_without_bom_handling_and_without_replacement(line).is_some()
}

/// Appends a line decoded as GB18030 (bytes it cannot read become U+FFFD).
fn gb18030_into(line: &[u8], out: &mut String) {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    decode_stream(&mut decoder, line, true, out);
}

/// Runs an encoding_rs decoder over `bytes`; whether any byte was replaced.
fn decode_stream(decoder: &mut Decoder, bytes: &[u8], last: bool, out: &mut String) -> bool {
    let needed = decoder.max_utf8_buffer_length(bytes.len()).unwrap_or(bytes.len().saturating_mul(3).saturating_add(16));
    out.reserve(needed);
    let mut input = bytes;
    let mut errors = false;
    loop {
        let (result, read, had_errors) = decoder.decode_to_string(input, out, last);
        errors |= had_errors;
        input = &input[read..];
        match result {
            encoding_rs::CoderResult::InputEmpty => break,
            encoding_rs::CoderResult::OutputFull => out.reserve(input.len().saturating_mul(3).saturating_add(16)),
        }
    }
    errors
}

/// Decodes a whole buffer (for previews and small files).
pub fn decode_all(bytes: &[u8], encoding: TextEncoding) -> (String, bool) {
    let mut d = TextDecoder::new(encoding);
    let mut s = String::new();
    d.decode(bytes, true, &mut s);
    (s, d.had_errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "会员卡号,消费时间,实收金额\n8800001,2024-03-05,128.00\n";

    fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
        }
        for u in text.encode_utf16() {
            out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn decoding_borrowed_gives_the_text_and_notes_of_decoding_copied() {
        let (gbk, _, _) = encoding_rs::GBK.encode("张敏,2024-03-06,35\r\n王静,2024-03-07,12\n");
        let mut mixed = b"\xEF\xBB\xBFid,date,amount\r\n".to_vec();
        for i in 0..300 {
            mixed.extend_from_slice(format!("{i},2024-03-05,1.00\n").as_bytes());
        }
        mixed.extend_from_slice("李强,2024-03-05,5\n".as_bytes());
        mixed.extend_from_slice(&gbk);
        mixed.extend_from_slice(b"bad \xFF byte\nlast line without a break");
        for encoding in [TextEncoding::Utf8, TextEncoding::Gb18030] {
            for chunk in [1, 2, 7, 100, 4096, 1 << 20] {
                let (mut copied, mut borrowed) = (TextDecoder::new(encoding), TextDecoder::new(encoding));
                let (mut a, mut b) = (String::new(), String::new());
                let pieces: Vec<&[u8]> = mixed.chunks(chunk).collect();
                for (i, piece) in pieces.iter().enumerate() {
                    let last = i + 1 == pieces.len();
                    copied.decode(piece, last, &mut a);
                    let mut out = String::new();
                    let rest = borrowed.decode_borrowing(piece, last, &mut out);
                    b.push_str(&out);
                    b.push_str(rest);
                }
                assert_eq!(a, b, "{encoding:?} chunk {chunk}");
                assert!(b.ends_with("last line without a break") && b.contains("张敏"), "{encoding:?} chunk {chunk}");
                assert_eq!((copied.changes, copied.had_errors, copied.lines), (borrowed.changes, borrowed.had_errors, borrowed.lines), "{encoding:?} chunk {chunk}");
            }
        }
    }

    #[test]
    fn detects_and_decodes_every_encoding() {
        let (gbk, _, _) = encoding_rs::GBK.encode(TEXT);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(TEXT.as_bytes());
        let cases: Vec<(Vec<u8>, TextEncoding)> = vec![
            (TEXT.as_bytes().to_vec(), TextEncoding::Utf8),
            (bom, TextEncoding::Utf8),
            (gbk.into_owned(), TextEncoding::Gb18030),
            (utf16(TEXT, true, true), TextEncoding::Utf16Le),
            (utf16(TEXT, false, true), TextEncoding::Utf16Be),
            (utf16("id,date,amount\n1,2024-01-01,5\n", true, false), TextEncoding::Utf16Le),
        ];
        for (bytes, expected) in cases {
            assert_eq!(sniff_encoding(&bytes), expected);
            // Decoded in chunks of every size, the text comes out whole.
            for chunk in [1, 2, 3, 7, 4096] {
                let mut d = TextDecoder::new(expected);
                let mut out = String::new();
                let pieces: Vec<&[u8]> = bytes.chunks(chunk).collect();
                for (i, p) in pieces.iter().enumerate() {
                    d.decode(p, i + 1 == pieces.len(), &mut out);
                }
                assert!(!d.had_errors);
                assert!(out == TEXT || out.starts_with("id,date"), "{expected:?} chunk {chunk}: {out:?}");
            }
        }
    }

    /// Lines of a members table, `n` of them, with Chinese names.
    fn lines(from: usize, n: usize) -> String {
        (from..from + n).map(|i| format!("{i},王静{i},2024-03-05,张三丰\n")).collect()
    }

    fn decode_in_chunks(bytes: &[u8], encoding: TextEncoding, chunk: usize) -> (String, TextDecoder) {
        let mut d = TextDecoder::new(encoding);
        let mut out = String::new();
        let pieces: Vec<&[u8]> = bytes.chunks(chunk).collect();
        for (i, p) in pieces.iter().enumerate() {
            d.decode(p, i + 1 == pieces.len(), &mut out);
        }
        (out, d)
    }

    #[test]
    fn gbk_turning_into_utf8_is_followed_and_recorded() {
        let (first, second) = (lines(1, 10_000), lines(10_001, 100));
        let mut bytes = encoding_rs::GBK.encode(&first).0.into_owned();
        bytes.extend_from_slice(second.as_bytes());
        assert!(encoding_rs::GBK.encode(&first).0.len() > 256 * 1024);
        let sniffed = sniff_encoding(&bytes[..256 * 1024]);
        assert_eq!(sniffed, TextEncoding::Gb18030);
        for chunk in [7, 4096, 1 << 20] {
            let (out, d) = decode_in_chunks(&bytes, sniffed, chunk);
            assert_eq!(out, format!("{first}{second}"), "chunk {chunk}");
            assert_eq!(d.changes, vec![EncodingChange { from: TextEncoding::Gb18030, to: TextEncoding::Utf8, line: 10_001 }]);
            assert!(!d.had_errors);
        }
    }

    #[test]
    fn utf8_lines_that_gbk_could_read_are_still_taken_for_utf8() {
        // Two-character names in UTF-8 (6 bytes each) are also valid GBK, as other characters.
        let first = lines(1, 5_000);
        let second: String = (5_001..5_101).map(|i| format!("{i},王静,2024-03-05,面膜\n")).collect();
        let mut bytes = encoding_rs::GBK.encode(&first).0.into_owned();
        bytes.extend_from_slice(second.as_bytes());
        assert!(encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(second.as_bytes()).is_some());
        for chunk in [4096, 1 << 20] {
            let (out, d) = decode_in_chunks(&bytes, TextEncoding::Gb18030, chunk);
            assert_eq!(out, format!("{first}{second}"), "chunk {chunk}");
            assert_eq!(d.changes, vec![EncodingChange { from: TextEncoding::Gb18030, to: TextEncoding::Utf8, line: 5_001 }]);
        }
    }

    #[test]
    fn a_bad_byte_deep_in_a_gbk_file_is_found_on_its_line() {
        let text = lines(1, 20_000);
        let mut bytes = encoding_rs::GBK.encode(&text).0.into_owned();
        // Line 12,345 starts after the first 12,344 lines; its first byte becomes one GBK
        // cannot read (0xFF is never a lead byte).
        let start: usize = text.split_inclusive('\n').take(12_344).map(|l| encoding_rs::GBK.encode(l).0.len()).sum();
        bytes[start] = 0xFF;
        let (out, d) = decode_in_chunks(&bytes, TextEncoding::Gb18030, 1 << 20);
        assert!(d.had_errors);
        assert_eq!(d.first_invalid_line, Some(12_345));
        assert!(d.changes.is_empty());
        assert_eq!(out.lines().count(), 20_000);
        assert_eq!(out.lines().nth(12_345), Some("12346,王静12346,2024-03-05,张三丰"));
        assert!(out.lines().nth(12_344).is_some_and(|l| l.starts_with('\u{FFFD}')));
    }

    #[test]
    fn utf8_turning_into_gbk_is_followed_and_recorded() {
        let (first, second) = (lines(1, 300), lines(301, 50));
        let mut bytes = first.as_bytes().to_vec();
        bytes.extend_from_slice(&encoding_rs::GBK.encode(&second).0);
        let (out, d) = decode_in_chunks(&bytes, TextEncoding::Utf8, 1000);
        assert_eq!(out, format!("{first}{second}"));
        assert_eq!(d.changes, vec![EncodingChange { from: TextEncoding::Utf8, to: TextEncoding::Gb18030, line: 301 }]);
    }

    #[test]
    fn an_ascii_head_then_gbk_is_read_without_a_change_note() {
        let ascii: String = (1..100).map(|i| format!("{i},2024-03-05,5\n")).collect();
        let mut bytes = ascii.as_bytes().to_vec();
        bytes.extend_from_slice(&encoding_rs::GBK.encode("100,王静,5\n").0);
        let (out, d) = decode_in_chunks(&bytes, TextEncoding::Utf8, 64);
        assert!(out.ends_with("100,王静,5\n"));
        assert!(d.changes.is_empty());
        assert!(!d.had_errors);
    }

    #[test]
    fn bytes_valid_in_neither_are_counted_with_their_line() {
        let (out, d) = decode_in_chunks(b"a,b\n\xE4\xB8\xADok\n1,\xFF\xFF\xFF\n", TextEncoding::Utf8, 2);
        assert!(d.had_errors);
        assert_eq!(d.first_invalid_line, Some(3));
        assert!(out.starts_with("a,b\n中ok\n1,"));
    }

    #[test]
    fn utf8_cut_mid_character_is_still_utf8() {
        let bytes = TEXT.as_bytes();
        assert_eq!(sniff_encoding(&bytes[..2]), TextEncoding::Utf8);
    }

    #[test]
    fn bad_bytes_become_replacement_characters_not_panics() {
        let (text, had_errors) = decode_all(b"ok,\xFF\xFE\xFD,\x81", TextEncoding::Utf8);
        assert!(had_errors);
        assert!(text.starts_with("ok,"));
    }
}
