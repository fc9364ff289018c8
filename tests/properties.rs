//! Property tests (proptest) for issue 6:
//!
//! - normalize is idempotent and never panics, on any text and on text
//!   dense in the characters it treats specially;
//! - the number of documents in a generated corpus (text, JSONL, CSV, bad
//!   and good, bytes and text) equals the number of rows in `clusters.csv`,
//!   each document exactly once;
//! - the output bytes do not depend on the thread count;
//! - figures and title words are read from any text without a panic.
//!
//! The corpus generator knows how many documents each file holds, so the
//! count is checked against the input, not against another run.

use std::path::Path;

use dedup::normalize::{NormalizeConfig, Normalizer, PunctStyle, match_key};
use dedup::pipeline::{self, RunConfig};
use dedup::shingle::{ShingleConfig, Shingler, title_words};
use proptest::prelude::*;

/// Characters normalize handles specially, over-represented on purpose.
const SPECIAL: &[char] = &[
    ' ',
    ' ',
    '\n',
    '\n',
    '\t',
    '\r',
    '\0',
    '\u{00A0}',
    '\u{202F}',
    '\u{2007}',
    '\u{00AD}',
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{FEFF}',
    '\u{202E}',
    '\u{2066}',
    '\u{FFFD}',
    '"',
    '\'',
    '“',
    '”',
    '‘',
    '’',
    '„',
    '«',
    '»',
    '‹',
    '›',
    '—',
    '–',
    '-',
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    ',',
    '.',
    ';',
    ':',
    '!',
    '?',
    'a',
    'Z',
    'İ',
    'ı',
    'ß',
    'ς',
    'e',
    '\u{0301}',
    '\u{0308}',
    '\u{0654}',
    'ي',
    'أ',
    'ة',
    'ـ',
    '\u{064B}',
    '中',
    '文',
    'ｃ',
    '２',
    'ア',
    '\u{1100}',
    '\u{1161}',
    '가',
    'ก',
    '\u{0E31}',
    'ॐ',
    '\u{094D}',
    '😀',
    '\u{1F3FD}',
    '\u{2028}',
    '\u{0085}',
];

fn text_strategy() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        3 => proptest::sample::select(SPECIAL),
        1 => any::<char>(),
    ];
    proptest::collection::vec(ch, 0..160).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn normalize_is_idempotent_and_total(text in text_strategy()) {
        for punct in [PunctStyle::Straight, PunctStyle::Curly, PunctStyle::Keep] {
            let n = Normalizer::new(NormalizeConfig { punct });
            let once = n.clean(&text);
            prop_assert_eq!(&n.clean(&once), &once, "{:?}", punct);
        }
        let _ = match_key(&text);
    }

    #[test]
    fn normalize_is_idempotent_on_any_string(text in any::<String>()) {
        let n = Normalizer::default();
        let once = n.clean(&text);
        prop_assert_eq!(n.clean(&once), once);
    }

    /// Figures are read whole from any mix of digits, separators and
    /// letters: never more figures than runs of digits, never a
    /// panic, and a title's words likewise.
    #[test]
    fn figures_are_total_and_bounded(text in figure_text()) {
        let key = match_key(&text);
        let config = ShingleConfig::default();
        let s = Shingler::default().shingle(&key, &config);
        // Figures are disjoint and each holds a run of digits.
        let mut digit_runs = 0;
        let mut in_run = false;
        for c in key.chars() {
            digit_runs += usize::from(c.is_numeric() && !in_run);
            in_run = c.is_numeric();
        }
        prop_assert!(s.numbers.len() <= digit_runs, "{:?}", key);
        let mut title = Vec::new();
        title_words(&text, &mut title);
        prop_assert!(title.windows(2).all(|w| w[0] < w[1]));
    }
}

/// Text dense in digits and the separators a figure may hold.
fn figure_text() -> impl Strategy<Value = String> {
    let ch = proptest::sample::select(
        &[
            '0', '1', '7', '9', '-', '/', '.', ',', ':', '\'', ' ', 'a', 'Z', '\u{0662}',
            '\u{FF13}', '\u{00A0}', '年',
        ][..],
    );
    proptest::collection::vec(ch, 0..60).prop_map(|v| v.into_iter().collect())
}

/// One generated input file: its name, bytes, and how many documents it holds.
#[derive(Debug, Clone)]
struct GenFile {
    name: String,
    bytes: Vec<u8>,
    docs: usize,
}

/// A sentence of made-up words from a small vocabulary, so that some
/// documents share shingles and cluster.
fn sentence() -> impl Strategy<Value = String> {
    let words = proptest::sample::select(vec![
        "port",
        "strike",
        "Erdoğan",
        "Kyiv",
        "ministre",
        "Türkiye",
        "中文",
        "bridge",
        "=SUM(A1)",
        "\"quoted\"",
        "comma,",
        "-5",
        "@user",
        "haber",
        "новости",
        "خبر",
    ]);
    proptest::collection::vec(words, 0..30).prop_map(|w| w.join(" "))
}

/// A JSONL line and whether it is a record (blank lines are not).
fn jsonl_line() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        sentence().prop_map(|s| (serde_json::json!({ "text": s }).to_string(), true)),
        sentence().prop_map(|s| (serde_json::json!({ "title": s }).to_string(), true)),
        sentence().prop_map(|s| (format!("{{\"text\": \"{s}"), true)),
        Just(("[1, 2]".to_owned(), true)),
        Just(("   ".to_owned(), false)),
        Just((String::new(), false)),
    ]
}

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A CSV row and the number of records it makes (always one: short rows are
/// records with a parse problem).
fn csv_row() -> impl Strategy<Value = String> {
    prop_oneof![
        (sentence(), sentence()).prop_map(|(t, x)| format!("{},{}", csv_cell(&t), csv_cell(&x))),
        sentence().prop_map(|t| csv_cell(&t)),
        (sentence(), sentence()).prop_map(|(t, x)| format!(
            "{},{}",
            csv_cell(&t),
            csv_cell(&format!("{x}\n\n{x}"))
        )),
    ]
}

fn gen_file(index: usize) -> impl Strategy<Value = GenFile> {
    prop_oneof![
        // A text file: one document, whatever its bytes.
        sentence().prop_map(move |s| GenFile {
            name: format!("t{index}.txt"),
            bytes: s.into_bytes(),
            docs: 1,
        }),
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(move |b| GenFile {
            name: format!("b{index}.md"),
            bytes: b,
            docs: 1,
        }),
        // JSONL: one document per non-blank line, or one for an empty file.
        proptest::collection::vec(jsonl_line(), 0..6).prop_map(move |lines| {
            let records = lines.iter().filter(|(_, r)| *r).count();
            let text: Vec<String> = lines.into_iter().map(|(l, _)| l).collect();
            GenFile {
                name: format!("j{index}.jsonl"),
                bytes: (text.join("\n") + "\n").into_bytes(),
                docs: records.max(1),
            }
        }),
        // CSV with a text column: one document per row, or one if none.
        proptest::collection::vec(csv_row(), 0..6).prop_map(move |rows| GenFile {
            name: format!("c{index}.csv"),
            docs: rows.len().max(1),
            bytes: format!("title,text\n{}\n", rows.join("\n")).into_bytes(),
        }),
        // CSV without a text column: one document with a parse problem.
        csv_row().prop_map(move |row| GenFile {
            name: format!("n{index}.csv"),
            bytes: format!("title,summary\n{row}\n").into_bytes(),
            docs: 1,
        }),
    ]
}

fn corpus() -> impl Strategy<Value = Vec<GenFile>> {
    (1usize..10).prop_flat_map(|n| (0..n).map(gen_file).collect::<Vec<_>>())
}

/// Write the corpus, run the pipeline with `threads`, return clusters.csv
/// and articles.csv.
fn run_pipeline(dir: &Path, files: &[GenFile], threads: usize) -> (Vec<u8>, Vec<u8>) {
    let input = dir.join("in");
    if !input.exists() {
        std::fs::create_dir_all(&input).unwrap();
        for f in files {
            std::fs::write(input.join(&f.name), &f.bytes).unwrap();
        }
    }
    let output = dir.join(format!("out{threads}"));
    let mut config = RunConfig::new(vec![input], output.clone());
    config.threads = Some(threads);
    pipeline::run(&config, &pipeline::Silent).unwrap();
    (
        std::fs::read(output.join("clusters.csv")).unwrap(),
        std::fs::read(output.join("articles.csv")).unwrap(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_document_is_one_row_and_threads_change_nothing(files in corpus()) {
        let dir = tempfile::tempdir().unwrap();
        let (clusters, articles) = run_pipeline(dir.path(), &files, 1);
        let mut rdr = csv::Reader::from_reader(clusters.as_slice());
        let ids: Vec<String> = rdr
            .records()
            .map(|r| r.unwrap().get(0).unwrap().to_owned())
            .collect();
        let want: usize = files.iter().map(|f| f.docs).sum();
        prop_assert_eq!(ids.len(), want, "files: {:?}", files);
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), ids.len(), "doc ids repeat");
        // Each file's documents all appear.
        for f in &files {
            let n = ids
                .iter()
                .filter(|id| id.as_str() == f.name || id.starts_with(&format!("{}:", f.name)))
                .count();
            prop_assert_eq!(n, f.docs, "{}", f.name);
        }
        let (clusters3, articles3) = run_pipeline(dir.path(), &files, 3);
        prop_assert!(clusters == clusters3, "clusters.csv depends on threads");
        prop_assert!(articles == articles3, "articles.csv depends on threads");
    }
}
