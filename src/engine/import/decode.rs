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

/// Decodes a byte stream chunk by chunk into UTF-8.
pub struct TextDecoder {
    decoder: Decoder,
    /// Whether any byte could not be decoded (and became U+FFFD).
    pub had_errors: bool,
}

impl TextDecoder {
    pub fn new(encoding: TextEncoding) -> Self {
        TextDecoder { decoder: encoding.encoding().new_decoder_with_bom_removal(), had_errors: false }
    }

    /// Appends the decoded text of `bytes` to `out`; `last` on the final chunk flushes.
    pub fn decode(&mut self, bytes: &[u8], last: bool, out: &mut String) {
        let needed = self.decoder.max_utf8_buffer_length(bytes.len()).unwrap_or(bytes.len() * 3 + 16);
        out.reserve(needed);
        let mut input = bytes;
        loop {
            let (result, read, had_errors) = self.decoder.decode_to_string(input, out, last);
            self.had_errors |= had_errors;
            input = &input[read..];
            match result {
                encoding_rs::CoderResult::InputEmpty => break,
                encoding_rs::CoderResult::OutputFull => out.reserve(input.len() * 3 + 16),
            }
        }
    }
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
