//! Boilerplate removal on arbitrary text, as the pipeline calls it: clean
//! the text, find lexicon spans, cut them with the guard rails.
//!
//! Checks: no panic; every span lies on character boundaries inside the
//! text; the result never grows, and a document kept whole is unchanged.
#![no_main]

use std::sync::OnceLock;

use dedup::boilerplate::{Lexicon, apply};
use dedup::normalize::Normalizer;
use libfuzzer_sys::fuzz_target;

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::builtin().expect("the builtin lexicon loads"))
}

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    // Both the raw text (what a detector may be handed by a future caller)
    // and the cleaned text (what the pipeline hands it today).
    let cleaned = Normalizer::default().clean(&raw);
    for text in [raw.as_ref(), cleaned.as_str()] {
        let spans = lexicon().find(text);
        for span in &spans {
            assert!(span.range.start <= span.range.end && span.range.end <= text.len());
            assert!(text.is_char_boundary(span.range.start));
            assert!(text.is_char_boundary(span.range.end));
        }
        for share in [0.0, 0.5, 1.0] {
            let out = apply(text, spans.clone(), share);
            assert!(out.text.len() <= text.len(), "removal made the text longer");
            if out.kept_whole {
                assert_eq!(out.text, text);
                assert!(out.removals.is_empty());
            }
        }
    }
});
