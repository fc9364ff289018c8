//! Inputs that fuzzing (see `fuzz/README.md`) found to break an invariant,
//! kept as regression tests. Each case names its target and what broke.

use dedup::normalize::{NormalizeConfig, Normalizer, PunctStyle};

/// Target `normalize`: `clean` was not idempotent when an invisible
/// character followed a period ("e .\0": the space before the period was
/// kept on the first pass, because look-ahead saw the NUL, and dropped on the
/// second).
#[test]
fn normalize_space_before_period_then_invisible() {
    let cases: &[&str] = &[
        "e .\0",
        "e .\u{200B}",
        "a ,\u{00AD}",
        "x .\u{200B}\u{FEFF} y",
    ];
    for punct in [PunctStyle::Straight, PunctStyle::Curly, PunctStyle::Keep] {
        let normalizer = Normalizer::new(NormalizeConfig { punct });
        for input in cases {
            let once = normalizer.clean(input);
            assert_eq!(normalizer.clean(&once), once, "{input:?} ({punct:?})");
        }
    }
    assert_eq!(Normalizer::default().clean("e .\0"), "e.");
}

/// Found by the property test `normalize_is_idempotent_and_total`: removing
/// an invisible character between two combining marks left them out of
/// canonical order, and the second pass reordered them.
#[test]
fn normalize_marks_around_a_removed_invisible() {
    let cases: &[(&str, &str)] = &[
        ("\u{301}\r\u{64b}", "\u{64b}\u{301}"),
        ("e\u{200B}\u{301}", "\u{e9}"),
        ("a\u{0308}\u{00AD}\u{0301}", "\u{e4}\u{301}"),
    ];
    let normalizer = Normalizer::default();
    for (input, want) in cases {
        let once = normalizer.clean(input);
        assert_eq!(once, *want, "{input:?}");
        assert_eq!(normalizer.clean(&once), once, "{input:?}");
    }
}

/// Target `ingest_csv`: a lone `\r` (classic Mac line end) inside a CSV ends
/// a record, but the csv crate counts lines at `\n` only, so two records
/// claimed the same line and the same `doc_id`. Lines now count every
/// terminator the csv reader splits on.
#[test]
fn ingest_csv_lone_carriage_return_gives_distinct_ids() {
    use dedup::ingest::{FieldMap, Format, InputFile, Limits, parse_bytes};
    let file = InputFile {
        path: "t.csv".into(),
        rel: "t.csv".to_owned(),
        rel_bytes: None,
        format: Format::Csv,
        folder: String::new(),
    };
    let input: &[u8] =
        b"title,date,text\n# - A row only fixe\xff\xff\xff\relling: it never joins\nx,y,z\n";
    let docs = parse_bytes(&file, input, &FieldMap::default(), &Limits::default());
    let ids: Vec<&str> = docs.iter().map(|d| d.meta.doc_id.as_str()).collect();
    assert_eq!(ids, ["t.csv:2", "t.csv:3", "t.csv:4"]);
    let status: Vec<String> = docs.iter().map(|d| d.meta.status.to_string()).collect();
    assert_eq!(status, ["parse", "parse", "ok"]);
}
