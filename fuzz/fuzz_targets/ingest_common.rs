//! Shared by the ingest targets: a fake input file and the invariants every
//! document ingest returns must hold.

use dedup::doc::{RawDoc, StatusKind};
use dedup::ingest::{Format, InputFile, Limits};

/// Small limits, so that the fuzzer reaches the caps.
pub const LIMITS: Limits = Limits {
    max_text_bytes: 2048,
    max_record_bytes: 8192,
};

pub fn file(format: Format) -> InputFile {
    InputFile {
        path: "fuzz".into(),
        rel: "fuzz".to_owned(),
        rel_bytes: None,
        format,
        folder: "outlet".to_owned(),
    }
}

/// At least one document; unique ids; text within the cap and free of NUL;
/// a document without text is not `ok`; problems carry a detail.
pub fn check(docs: &[RawDoc]) {
    assert!(!docs.is_empty(), "a file vanished without a row");
    let mut ids: Vec<&str> = docs.iter().map(|d| d.meta.doc_id.as_str()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate doc ids");
    for doc in docs {
        assert!(doc.text.len() <= LIMITS.max_text_bytes, "text over the cap");
        assert!(!doc.text.contains('\0'), "NUL left in the text");
        assert!(!doc.meta.title.contains('\0'), "NUL left in the title");
        let status = &doc.meta.status;
        if doc.text.trim().is_empty() {
            assert_ne!(status.kind, StatusKind::Ok, "ok without text");
        }
        if !status.is_ok() {
            assert!(!status.detail.is_empty(), "a problem without a detail");
        }
        assert!(!doc.meta.encoding.is_empty() || status.kind == StatusKind::Binary);
    }
}
