//! Property tests of normalization, through the library's public API:
//! - cleaning and the whole per-document normalization (`dedup normalize`:
//!   clean, language, aliases) are idempotent;
//! - cleaned text is NFC, without invisible characters or space runs;
//! - match keys do not change under NFC/NFD or under case.
//!
//! 256 cases per property by default; `PROPTEST_CASES=5000 cargo test
//! --test normalize_properties` runs more. Inputs are drawn from fragments that exercise the rules: name variants
//! and canonicals of several languages, abbreviations, numbers after
//! names, look-alike letters, invisible characters, no-break spaces,
//! quotes, brackets, decomposed letters, full-width forms and several
//! scripts.

use dedup::normalize::aliases::{AliasMatcher, AliasTable};
use dedup::normalize::variants::VariantModel;
use dedup::normalize::{NormalizeConfig, Normalizer, PunctStyle, is_invisible, match_key};
use dedup::pipeline::normalize_text;
use std::sync::OnceLock;

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

const FRAGMENTS: &[&str] = &[
    "Kiev",
    "Kyiv",
    "KIEV",
    "kiev",
    "Turkey",
    "Türkiye",
    "Turkiye",
    "TURKEY",
    "Тurkey",
    "Erdogan",
    "Erdoğan",
    "ERDOGAN",
    "Erdog\u{0306}an",
    "Recep Tayyip Erdogan",
    "COP 29",
    "COP29",
    "Cop29",
    "COP 29.000",
    "COP 29,5",
    "ＣＯＰ２９",
    "U.S.",
    "US",
    "US$",
    "U.K.",
    "NATO",
    "Nato",
    "N.A.T.O.",
    "OTAN",
    "UNO",
    "Kyjiw",
    "Zelensky",
    "ZELENSKY",
    "Zelenskyy",
    "Czech Republic",
    "Ivory Coast",
    "Côte d'Ivoire",
    "Cote d’Ivoire",
    "U.S. Virgin Islands",
    "Hong Kong",
    "ABD",
    "ABD'nin",
    "İstanbul",
    "ISTANBUL",
    "ß",
    "Straße",
    "kiev.example",
    "@Kiev",
    "/kiev/",
    "捷克共和国",
    "会议",
    "英国",
    "ガザ",
    "체코 공화국",
    "ประเทศไทย",
    "हिन्दी",
    "جمهورية التشيك",
    "أحمد",
    "שָׁלוֹם",
    "Αθήνα",
    "ΗΠΑ",
    "Москвa",
    "Британия",
    "e\u{0301}",
    "\u{00AD}",
    "\u{200B}",
    "\u{FEFF}",
    "\u{00A0}",
    "\u{202F}",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\n \n",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "(",
    ")",
    "[",
    "]",
    "«",
    "»",
    "“",
    "”",
    "‘",
    "’",
    "\"",
    "'",
    "-",
    "–",
    "—",
    "$",
    "5",
    "2024",
    "the",
    "The",
    "and",
    "a",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..24).prop_map(|parts| parts.concat())
}

/// Words in one script each, for the case property: a word mixing scripts
/// is a confusable, repaired by its letters' shapes, which differ by case.
fn single_script_text() -> impl Strategy<Value = String> {
    let alphabets: [&str; 5] = [
        "abcdefghijklmnopqrstuvwxyzàáâãäåçèéêëìíîïñòóôõöùúûüýÿğışœøłßđ",
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς",
        "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
        "0123456789",
    ];
    let word = (0..alphabets.len(), 1..8usize).prop_flat_map(move |(a, n)| {
        let letters: Vec<char> = alphabets[a].chars().collect();
        prop::collection::vec(prop::sample::select(letters), n)
            .prop_map(|cs| cs.into_iter().collect::<String>())
    });
    prop::collection::vec(word, 0..10).prop_map(|words| words.join(" "))
}

fn normalizer(punct: PunctStyle) -> Normalizer {
    Normalizer::new(NormalizeConfig { punct })
}

/// The alias model for a quote style, built once (building it for every
/// case would dominate the test's time).
fn model(punct: PunctStyle) -> &'static VariantModel {
    static MODELS: OnceLock<[VariantModel; 2]> = OnceLock::new();
    let build = |p| {
        let table = AliasTable::builtin().expect("shipped tables");
        VariantModel::aliases_only(AliasMatcher::new(table, normalizer(p)), true)
    };
    let models = MODELS.get_or_init(|| [build(PunctStyle::Straight), build(PunctStyle::Curly)]);
    &models[usize::from(punct == PunctStyle::Curly)]
}

proptest! {
    #[test]
    fn clean_is_idempotent_and_tidy(s in text(), punct in prop::sample::select(&[PunctStyle::Straight, PunctStyle::Curly, PunctStyle::Keep][..])) {
        let n = normalizer(punct);
        let once = n.clean(&s);
        prop_assert_eq!(&n.clean(&once), &once);
        prop_assert!(unicode_normalization::is_nfc(&once));
        prop_assert!(!once.chars().any(|c| c != '\n' && is_invisible(c)), "{:?}", once);
        prop_assert!(!once.contains("  ") && !once.starts_with(' ') && !once.ends_with(' '), "{:?}", once);
    }

    #[test]
    fn normalize_is_idempotent(s in text(), lang in prop::sample::select(&["en", "de", "fr", "es", "tr", "ru", "zh", "ar", "el", "ja"][..]), punct in prop::sample::select(&[PunctStyle::Straight, PunctStyle::Curly][..])) {
        let n = normalizer(punct);
        let m = model(punct);
        let once = normalize_text(&s, Some(lang), &n, m);
        let twice = normalize_text(&once.text, Some(lang), &n, m);
        prop_assert_eq!(&twice.text, &once.text, "input {:?}", s);
        // Nothing left to rewrite; variants kept by a guard are kept again.
        prop_assert!(twice.applied.iter().all(|a| a.kept), "{:?} on {:?}", twice.applied, once.text);
    }

    #[test]
    fn keys_are_stable_under_nfc_and_nfd(s in any::<String>(), t in text()) {
        for s in [s, t] {
            let nfd: String = s.nfd().collect();
            let nfc: String = s.nfc().collect();
            prop_assert_eq!(match_key(&nfd), match_key(&s));
            prop_assert_eq!(match_key(&nfc), match_key(&s));
        }
    }

    #[test]
    fn keys_are_stable_under_case(s in single_script_text()) {
        let key = match_key(&s);
        prop_assert_eq!(match_key(&s.to_uppercase()), key.clone(), "upper of {:?}", s);
        prop_assert_eq!(match_key(&s.to_lowercase()), key, "lower of {:?}", s);
    }
}
