//! JSONL files end to end through ingest, with small caps.
//!
//! Checks: the shared invariants of `ingest_common`; and, for input that is
//! plain UTF-8 (no BOM, no NUL, no caps reached), one document per non-blank
//! line: nothing is lost.
#![no_main]

#[path = "ingest_common.rs"]
mod ingest_common;

use dedup::ingest::{FieldMap, Format, parse_bytes, records};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let docs = parse_bytes(
        &ingest_common::file(Format::Jsonl),
        data,
        &FieldMap::default(),
        &ingest_common::LIMITS,
    );
    ingest_common::check(&docs);
    if let Ok(text) = std::str::from_utf8(data) {
        let plain = !text.starts_with('\u{FEFF}')
            && !text.contains('\0')
            && !docs.iter().any(|d| d.meta.status.kind == dedup::doc::StatusKind::Binary)
            && docs.iter().all(|d| d.meta.encoding == "UTF-8");
        if plain {
            let lines = text
                .split('\n')
                .filter(|l| !l.trim_end_matches('\r').trim().is_empty())
                .count();
            assert_eq!(docs.len(), lines.max(1), "records lost or invented");
            // The in-memory parser agrees.
            let recs = records::parse_jsonl(text, &FieldMap::default());
            assert_eq!(recs.len(), lines);
        }
    }
});
