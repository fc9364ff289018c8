//! CSV and TSV files end to end through ingest, with small caps, and the
//! in-memory table parser.
//!
//! The first byte picks the delimiter. Checks: the shared invariants of
//! `ingest_common`; row line numbers only grow.
#![no_main]

#[path = "ingest_common.rs"]
mod ingest_common;

use dedup::ingest::{FieldMap, Format, parse_bytes, records};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let format = if first & 1 == 1 { Format::Tsv } else { Format::Csv };
    let docs = parse_bytes(
        &ingest_common::file(format),
        bytes,
        &FieldMap::default(),
        &ingest_common::LIMITS,
    );
    ingest_common::check(&docs);
    let text = String::from_utf8_lossy(bytes);
    let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
    if let Ok(recs) = records::parse_table(&text, delimiter, &FieldMap::default()) {
        for pair in recs.windows(2) {
            assert!(pair[0].line < pair[1].line, "line numbers go back");
        }
    }
});
