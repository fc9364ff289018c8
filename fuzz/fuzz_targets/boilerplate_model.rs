//! The learned boilerplate detector on an arbitrary small corpus: the
//! input is cut into documents, given sources, syndicated copies and a
//! language, and [`Model::learn`] and [`Model::find`] run over it as the
//! pipeline runs them (stage 2, then stage 3 per document).
//!
//! The first byte picks the layout: how many sources share the documents,
//! whether each document also appears at another source with more text
//! after it (syndication, which feeds the protected ranges), and the
//! language. The rest is split into documents at U+001E.
//!
//! Checks: no panic; every span and every learned range lies on character
//! boundaries inside its document; removal never grows a text, and a
//! document kept whole is unchanged; the report builds.
#![no_main]

use std::sync::OnceLock;

use dedup::boilerplate::{Input, Lexicon, Model, ModelConfig, apply};
use dedup::normalize::Normalizer;
use libfuzzer_sys::fuzz_target;

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::builtin().expect("the builtin lexicon loads"))
}

fn on_boundaries(text: &str, r: &std::ops::Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

fuzz_target!(|data: &[u8]| {
    let Some((&layout, rest)) = data.split_first() else {
        return;
    };
    let sources = 1 + usize::from(layout & 3);
    let syndicate = layout & 4 != 0;
    let language = ["en", "fr", "tr", "zh", "ar", "ru", "de", "ja"][usize::from(layout >> 5)];
    let raw = String::from_utf8_lossy(rest);
    let normalizer = Normalizer::default();
    let pieces: Vec<String> = raw
        .split('\u{1e}')
        .take(24)
        .map(|p| normalizer.clean(p))
        .collect();
    let mut docs: Vec<(String, String)> = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        docs.push((format!("s{}", i % sources), piece.clone()));
        if syndicate {
            let next = &pieces[(i + 1) % pieces.len()];
            docs.push(("wire".to_owned(), normalizer.clean(&format!("{piece}\n\n{next}"))));
        }
    }
    let inputs: Vec<Input<'_>> = docs
        .iter()
        .map(|(source, text)| Input {
            source,
            language,
            text,
        })
        .collect();
    let model = Model::learn(&inputs, lexicon().clone(), &ModelConfig::default());
    let mut found_all = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let found = model.find(i, input);
        let text = input.text;
        for span in &found.spans {
            assert!(on_boundaries(text, &span.range), "span {:?}", span.range);
        }
        for (core, span) in &found.learned {
            assert!(on_boundaries(text, core) && on_boundaries(text, span));
            found_all.push((input.source, &text[core.clone()], &text[span.clone()]));
        }
        let out = apply(text, found.spans, 0.5);
        assert!(out.text.len() <= text.len(), "removal made the text longer");
        if out.kept_whole {
            assert_eq!(out.text, text);
            assert!(out.removals.is_empty());
        }
    }
    let _ = model.report(found_all);
});
