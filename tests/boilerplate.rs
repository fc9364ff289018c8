//! Boilerplate removal end to end: the real binary on small corpora built
//! for each rule (a site's own promo, ten copies of one article, text
//! syndicated across sources, a handful of documents), the seed, the
//! sample, the report and `--keep-boilerplate`.

mod util;

use std::collections::BTreeMap;

use util::Workdir;

/// Distinct stories, one to a document, each two sentences that share no
/// five words with another.
const STORIES: [(&str, &str); 6] = [
    (
        "Port workers voted to end the strike on Monday after a week of talks.",
        "Cranes were moving again by the evening shift, the harbour master said.",
    ),
    (
        "The council approved a new cycle lane along the river on Tuesday.",
        "Work on the lane starts in the spring and should last four months.",
    ),
    (
        "A storm closed the coastal road overnight and cut power to two villages.",
        "Engineers expect the road to reopen on Friday if the wind drops.",
    ),
    (
        "The museum reopened its west wing after two years of repairs.",
        "Visitors queued around the block to see the restored ceiling.",
    ),
    (
        "Grain prices fell for a third week as the harvest came in early.",
        "Farmers said storage was the main worry for the coming months.",
    ),
    (
        "The ferry company ordered two electric boats for the island route.",
        "The first boat should enter service before the summer season.",
    ),
];

/// A promo that no lexicon knows, glued between two sentences without a
/// full stop.
const PROMO: &str = "Get the Harbour Morning Brief in your inbox every weekday before breakfast";

fn removed_by_doc(wd: &Workdir) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for r in wd.rows("out/removed.csv") {
        out.entry(r["doc_id"].clone())
            .or_default()
            .push((r["kind"].clone(), r["text"].clone()));
    }
    out
}

fn texts(wd: &Workdir) -> BTreeMap<String, String> {
    wd.rows("out/documents.csv")
        .into_iter()
        .map(|r| (r["doc_id"].clone(), r["text"].clone()))
        .collect()
}

#[test]
fn a_sites_own_inline_promo_is_learned_removed_and_reported() {
    let wd = Workdir::new();
    // A source with a handful of documents: four articles, each with the
    // promo glued into the middle of its paragraph.
    for (i, (a, b)) in STORIES[..4].iter().enumerate() {
        wd.write(&format!("in/ledger/{i}.txt"), format!("{a} {PROMO} {b}"));
    }
    // Another source without the promo.
    for (i, (a, b)) in STORIES[4..].iter().enumerate() {
        wd.write(&format!("in/courier/{i}.txt"), format!("{a} {b}"));
    }
    wd.run(&[
        "run",
        "in",
        "-o",
        "out",
        "--documents",
        "--boilerplate-report",
    ])
    .expect_code(0);
    let texts = texts(&wd);
    let removed = removed_by_doc(&wd);
    for (i, (a, b)) in STORIES[..4].iter().enumerate() {
        let id = format!("ledger/{i}.txt");
        assert_eq!(texts[&id], format!("{a} {b}"), "{id}");
        assert_eq!(
            removed[&id],
            vec![("learned".to_owned(), PROMO.to_owned())],
            "{id}"
        );
    }
    for i in 0..2 {
        assert!(!removed.contains_key(&format!("courier/{i}.txt")));
    }
    let report = wd.rows("out/boilerplate.csv");
    assert_eq!(report.len(), 1, "{report:?}");
    assert_eq!(report[0]["source"], "ledger");
    assert_eq!(report[0]["documents"], "4");
    assert_eq!(report[0]["articles"], "4");
    assert_eq!(report[0]["text"], PROMO);
}

/// `--learn-budget-mib 0`: the detector learns from no document, so the
/// site's promo stays, and the lexicon still works on every document.
#[test]
fn a_learning_budget_of_zero_learns_nothing_and_still_uses_the_lexicon() {
    let wd = Workdir::new();
    for (i, (a, b)) in STORIES[..4].iter().enumerate() {
        wd.write(
            &format!("in/ledger/{i}.txt"),
            format!("{a} {PROMO} {b}\n\nAll rights reserved."),
        );
    }
    for (out, budget, learned_from) in [("full", "256", 4), ("none", "0", 0)] {
        wd.run(&["run", "in", "-o", out, "--learn-budget-mib", budget])
            .expect_code(0);
        let summary: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(wd.path().join(out).join("summary.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(summary["boilerplate_learned_from"], learned_from, "{out}");
        let kinds: Vec<String> = wd
            .rows(&format!("{out}/removed.csv"))
            .into_iter()
            .map(|r| r["kind"].clone())
            .collect();
        // Learned runs name the cut where they cover a lexicon phrase, so
        // with learning every cut (promo and footer) is `learned`.
        let want = if learned_from > 0 {
            "learned"
        } else {
            "lexicon:copyright"
        };
        assert_eq!(
            kinds.iter().filter(|k| *k == want).count(),
            if learned_from > 0 { 8 } else { 4 },
            "{out}: {kinds:?}"
        );
        assert_eq!(
            kinds.len(),
            if learned_from > 0 { 8 } else { 4 },
            "{out}: {kinds:?}"
        );
    }
}

#[test]
fn ten_copies_of_one_article_are_not_boilerplate() {
    let wd = Workdir::new();
    let (a, b) = STORIES[0];
    for i in 0..10 {
        wd.write(&format!("in/ledger/copy-{i}.txt"), format!("{a} {b}"));
    }
    for (i, (a, b)) in STORIES[1..4].iter().enumerate() {
        wd.write(&format!("in/ledger/other-{i}.txt"), format!("{a} {b}"));
    }
    wd.run(&["run", "in", "-o", "out", "--documents"])
        .expect_code(0);
    assert!(
        wd.rows("out/removed.csv").is_empty(),
        "{:?}",
        wd.rows("out/removed.csv")
    );
    for (id, text) in texts(&wd) {
        if id.contains("copy-") {
            assert_eq!(text, format!("{a} {b}"));
        }
    }
}

#[test]
fn text_shared_across_sources_is_syndication_not_boilerplate() {
    let wd = Workdir::new();
    // A background sentence that recurs in four articles of one source, and
    // in an article of another source that the first does not carry.
    let background = "The harbour authority has run the port since the reform of 1998 and reports to the regional government.";
    for (i, (a, b)) in STORIES[..4].iter().enumerate() {
        wd.write(
            &format!("in/ledger/{i}.txt"),
            format!("{a} {background} {b}"),
        );
    }
    let (a, b) = STORIES[5];
    wd.write("in/wire/0.txt", format!("{a} {background} {b}"));
    wd.run(&[
        "run",
        "in",
        "-o",
        "out",
        "--documents",
        "--boilerplate-report",
    ])
    .expect_code(0);
    assert!(wd.rows("out/removed.csv").is_empty());
    assert!(wd.rows("out/boilerplate.csv").is_empty());
    for text in texts(&wd).values() {
        assert!(text.contains(background), "{text}");
    }
}

#[test]
fn keep_boilerplate_removes_nothing_and_refuses_a_report() {
    let wd = Workdir::new();
    wd.write(
        "in/a.txt",
        "The council approved the budget on Monday after a long debate about schools and roads. \
         Sign up for our newsletter\n\nAll rights reserved.",
    );
    wd.run(&[
        "run",
        "in",
        "-o",
        "out",
        "--keep-boilerplate",
        "--documents",
    ])
    .expect_code(0);
    assert!(wd.rows("out/removed.csv").is_empty());
    assert!(!wd.path().join("out/boilerplate.csv").exists());
    assert!(texts(&wd)["a.txt"].contains("All rights reserved."));
    wd.run(&[
        "run",
        "in",
        "-o",
        "out2",
        "--keep-boilerplate",
        "--boilerplate-report",
    ])
    .expect_code(2);
    // Without the flag, both pieces go and nothing else.
    wd.run(&["run", "in", "-o", "out", "--force", "--documents"])
        .expect_code(0);
    assert_eq!(
        texts(&wd)["a.txt"],
        "The council approved the budget on Monday after a long debate about schools and roads."
    );
}

/// The sample's French outlet glues a promo no lexicon phrase ends to the
/// next sentence, without a full stop: the promo goes, the sentence stays.
#[test]
fn sample_promo_glued_to_the_next_sentence_keeps_that_sentence() {
    let wd = Workdir::new();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    wd.run(&[
        "run",
        sample.to_str().unwrap(),
        "-o",
        "out",
        "--documents",
        "-q",
    ])
    .expect_code(0);
    let texts = texts(&wd);
    let doc = &texts["le-courrier-du-sud/2024-11-14-vignes-arrachees-bordelais.txt"];
    assert!(!doc.contains("Abonnez-vous"), "{doc}");
    assert!(
        doc.contains("La filière traverse une crise profonde"),
        "{doc}"
    );
    // The harbour outlet's promo is learned across its articles and cut
    // to its exact extent, even where a sentence without a full stop
    // follows it.
    let altamira = &texts["harbour-ledger/2024-10-24-altamira-results.txt"];
    assert!(!altamira.contains("Morning Brief"), "{altamira}");
    assert!(
        altamira.contains("Analysts had on average forecast a net profit"),
        "{altamira}"
    );
}

/// The real seed (../shared/seeds), when it is there: its promo and its
/// teaser go, and every article sentence stays. tests/data/seed_like covers
/// the same shape in CI (tests/run.rs).
#[test]
fn shared_seed_loses_promo_and_teaser_and_keeps_every_sentence() {
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seeds/000_c43f90a0b5cc6760.txt");
    let Ok(raw) = std::fs::read_to_string(&seed) else {
        eprintln!("skipped: {} is not there", seed.display());
        return;
    };
    let wd = Workdir::new();
    wd.write("in/seed.txt", &raw);
    // Name variants stay as written, so sentences compare as they are.
    wd.run(&["run", "in", "-o", "out", "--documents", "--keep-variants"])
        .expect_code(0);
    let text = &texts(&wd)["seed.txt"];
    for furniture in [
        "New MEE newsletter",
        "Sign up to get the latest news",
        "Telephone diplomacy",
        "Learn more",
    ] {
        assert!(!text.contains(furniture), "kept {furniture}: {text}");
    }
    let straight = |s: &str| {
        s.replace(['“', '”'], "\"")
            .replace(['‘', '’'], "'")
            .replace(" )", ")")
    };
    let body = raw.split_once("\n\n").map_or(raw.as_str(), |(_, b)| b);
    let mut sentences = 0;
    for para in body.split("\n\n") {
        let para = para.split_whitespace().collect::<Vec<_>>().join(" ");
        for sentence in para.split_inclusive(". ") {
            let sentence = sentence.trim();
            // Furniture glued to a sentence: check the sentence part alone.
            let sentence = sentence
                .rsplit_once("analysis on ")
                .map_or(sentence, |(_, s)| s)
                .rsplit_once("Learn more ")
                .map_or(sentence, |(_, s)| s);
            if sentence.is_empty() || sentence.contains("Sign up to get") {
                continue;
            }
            sentences += 1;
            assert!(
                text.contains(&straight(sentence)),
                "lost: {sentence}\ntext: {text}"
            );
        }
    }
    assert!(sentences >= 15, "{sentences}");
}

/// Words, furniture and the characters the detectors treat specially
/// (sentence ends, quotes, separators, scripts without spaces or case,
/// combining marks), for the property test.
const PIECES: &[&str] = &[
    "the",
    "The",
    "council",
    "said",
    "on",
    "Monday",
    ".",
    ". ",
    "? ",
    "! ",
    ", ",
    ": ",
    " - ",
    " – ",
    "\n\n",
    "\n",
    "“",
    "”",
    "«",
    "»",
    "\"",
    "'",
    "(",
    ")",
    "Read more",
    "Learn more",
    "Lire aussi :",
    "Sign up to get the latest news",
    "All rights reserved.",
    "©",
    "2024",
    "Share this article",
    "Get the Harbour Morning Brief in your inbox every weekday",
    "相关阅读：",
    "版权所有",
    "。",
    "新闻",
    "اقرأ أيضا",
    "جميع الحقوق محفوظة",
    "Türkiye",
    "İ",
    "e\u{301}",
    "\u{200B}",
    "\u{00A0}",
    "  ",
    "Devamını oku",
    "Читайте также:",
    "U.S.",
];

fn document() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    proptest::collection::vec(
        prop_oneof![
            proptest::sample::select(PIECES).prop_map(str::to_owned),
            "[a-zA-Z]{1,8}",
            any::<char>().prop_map(String::from),
        ],
        0..60,
    )
    .prop_map(|parts| parts.join(" "))
}

/// The shipped lexicon, built once: building its automaton for every case
/// would be most of the test's time in a debug build.
fn lexicon() -> &'static dedup::boilerplate::Lexicon {
    static LEXICON: std::sync::OnceLock<dedup::boilerplate::Lexicon> = std::sync::OnceLock::new();
    LEXICON.get_or_init(|| dedup::boilerplate::Lexicon::builtin().unwrap())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

    /// Learning and finding never panic; every span lies on character
    /// boundaries inside its text; removal never makes a text longer, and a
    /// document kept whole is unchanged.
    #[test]
    fn model_spans_are_well_formed(docs in proptest::collection::vec(document(), 1..8)) {
        use dedup::boilerplate::{Input, Model, ModelConfig, apply};
        let normalizer = dedup::normalize::Normalizer::default();
        let texts: Vec<String> = docs.iter().map(|d| normalizer.clean(d)).collect();
        let inputs: Vec<Input<'_>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Input { source: if i % 2 == 0 { "a" } else { "b" }, language: "en", text: t })
            .collect();
        let model = Model::learn(&inputs, lexicon().clone(), &ModelConfig::default());
        for (i, input) in inputs.iter().enumerate() {
            let found = model.find(i, input);
            for span in &found.spans {
                proptest::prop_assert!(span.range.start <= span.range.end && span.range.end <= input.text.len());
                proptest::prop_assert!(input.text.is_char_boundary(span.range.start));
                proptest::prop_assert!(input.text.is_char_boundary(span.range.end));
            }
            let out = apply(input.text, found.spans, 0.5);
            proptest::prop_assert!(out.text.len() <= input.text.len());
            if out.kept_whole {
                proptest::prop_assert_eq!(&out.text, input.text);
            }
        }
    }
}
