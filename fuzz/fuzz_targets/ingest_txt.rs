//! Text and Markdown files end to end through ingest (sniff, decode, cap,
//! header and paragraphs), and the header parser on its own.
//!
//! The first byte picks the format. Checks: exactly one document per file,
//! and the shared invariants of `ingest_common`.
#![no_main]

#[path = "ingest_common.rs"]
mod ingest_common;

use dedup::ingest::{FieldMap, Format, parse_bytes, txt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let markdown = first & 1 == 1;
    let format = if markdown { Format::Markdown } else { Format::Text };
    let docs = parse_bytes(
        &ingest_common::file(format),
        bytes,
        &FieldMap::default(),
        &ingest_common::LIMITS,
    );
    assert_eq!(docs.len(), 1, "a text file is one document");
    ingest_common::check(&docs);
    let text = String::from_utf8_lossy(bytes);
    let (_, body) = txt::parse(&text, markdown);
    assert!(!body.starts_with(char::is_whitespace) || body.is_empty());
});
