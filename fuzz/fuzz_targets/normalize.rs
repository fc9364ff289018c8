//! Normalize: output text and match keys of arbitrary text.
//!
//! Checks, for every punctuation style: `clean` never panics, is idempotent,
//! and its output holds no invisible characters; the whole per-document
//! normalization of `run` (clean, language, shipped aliases) never panics
//! and is idempotent; `match_key` never panics; on cleaned (NFC) text
//! `Keyed` builds the same key as `match_key`, and its offsets always land
//! on character boundaries of the text.
#![no_main]

use std::sync::OnceLock;

use dedup::normalize::aliases::{AliasMatcher, AliasTable};
use dedup::normalize::variants::VariantModel;
use dedup::normalize::{Keyed, NormalizeConfig, Normalizer, PunctStyle, match_key};
use dedup::pipeline::normalize_text;
use libfuzzer_sys::fuzz_target;

/// The shipped alias model, built once.
fn model() -> &'static VariantModel {
    static MODEL: OnceLock<VariantModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        let table = AliasTable::builtin().expect("the shipped tables load");
        VariantModel::aliases_only(AliasMatcher::new(table, Normalizer::default()), true)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for punct in [PunctStyle::Straight, PunctStyle::Curly, PunctStyle::Keep] {
        let normalizer = Normalizer::new(NormalizeConfig { punct });
        let once = normalizer.clean(&text);
        let twice = normalizer.clean(&once);
        assert_eq!(once, twice, "clean is not idempotent ({punct:?})");
        assert!(
            !once.chars().any(|c| c != '\n' && dedup::normalize::is_invisible(c)),
            "invisible character left in {once:?}"
        );
    }
    // A declared language, as in `run` with a `lang` field: detection on
    // the changed text could legitimately pick another language's aliases.
    const LANGS: [&str; 10] = ["en", "de", "fr", "es", "tr", "ru", "zh", "ar", "el", "ja"];
    let lang = LANGS[data.first().map_or(0, |&b| usize::from(b) % LANGS.len())];
    let normalizer = Normalizer::default();
    let once = normalize_text(&text, Some(lang), &normalizer, model());
    let twice = normalize_text(&once.text, Some(lang), &normalizer, model());
    assert_eq!(once.text, twice.text, "normalize_text is not idempotent ({lang})");
    let _ = match_key(&text);
    // `Keyed` expects NFC text (it does not compose, so that offsets refer to
    // the text's own characters); the pipeline hands it cleaned text.
    let text = Normalizer::default().clean(&text);
    let keyed = Keyed::new(&text);
    assert_eq!(keyed.key, match_key(&text), "Keyed and match_key disagree");
    // Callers ask for the text range of a non-empty key match.
    for start in 0..keyed.key.len() {
        if !keyed.key.is_char_boundary(start) {
            continue;
        }
        let range = keyed.span(&text, start, keyed.key.len());
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        assert!(range.start <= range.end && range.end <= text.len());
    }
});
