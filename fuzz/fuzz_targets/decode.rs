//! The decoder on arbitrary bytes, streamed in arbitrary pieces.
//!
//! The first byte picks how many bytes the source hands out per read (1 to
//! 256), so sequences get cut between reads. Checks: sniffing and decoding
//! never panic; the streamed text equals encoding_rs's one-shot decoding of
//! the same bytes; every counted replacement sits on a U+FFFD of the output;
//! `decode` agrees with the streamed result.
#![no_main]

use std::io::{Cursor, Read, Seek, SeekFrom};

use dedup::ingest::decode::{Decoding, Sniffed, Transcoder, decode, sniff};
use libfuzzer_sys::fuzz_target;

/// Hands out at most `step` bytes per read.
struct Pieces<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let step = usize::from(first) + 1;
    let mut cursor = Cursor::new(bytes);
    let sniffed = sniff(&mut cursor, u64::MAX).expect("reading memory cannot fail");
    // A limit must never make sniffing fail either.
    let _ = sniff(&mut cursor, u64::from(first) * 7).expect("reading memory cannot fail");
    cursor.seek(SeekFrom::Start(0)).unwrap();
    match sniffed {
        Sniffed::Binary(kind) => assert_eq!(decode(bytes), Decoding::Binary(kind)),
        Sniffed::Text { encoding, bom } => {
            let body = &bytes[bom as usize..];
            let mut t = Transcoder::new(Pieces { data: body, step }, encoding);
            let mut text = String::new();
            t.read_to_string(&mut text).expect("transcoder output is UTF-8");
            let (whole, _) = encoding.decode_without_bom_handling(body);
            assert_eq!(text, whole, "streamed and one-shot decoding differ");
            let replaced = t.replaced();
            // Offsets are taken in order; each one is a U+FFFD.
            let mut seen = 0;
            for (at, _) in text.match_indices('\u{FFFD}') {
                seen += t.take_replacements_before(at as u64 + 1);
            }
            assert_eq!(seen, replaced, "a replacement is not on a U+FFFD");
            assert_eq!(t.take_replacements_before(u64::MAX), 0);
            match decode(bytes) {
                Decoding::Text(d) => {
                    assert_eq!(d.text, text);
                    assert_eq!(d.replaced, replaced);
                    assert_eq!(d.encoding, encoding.name());
                }
                Decoding::Binary(kind) => panic!("decode says {kind}, sniff says text"),
            }
        }
    }
});
