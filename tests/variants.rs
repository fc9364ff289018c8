//! Name variants and normalization, end to end: the real binary on the
//! fixture corpus `tests/data/variants/` (each file's title says what it
//! tests) and on stdin.

mod util;

use std::collections::BTreeMap;

use util::{Row, Workdir};

/// Run `dedup run` on the variants fixture and return the documents by id.
fn run_fixture(wd: &Workdir, extra: &[&str]) -> BTreeMap<String, Row> {
    wd.copy_fixture("variants", "in");
    let mut args = vec!["run", "in", "-o", "out", "--documents"];
    args.extend_from_slice(extra);
    wd.run(&args).expect_code(0);
    wd.rows("out/documents.csv")
        .into_iter()
        .map(|r| (r["doc_id"].clone(), r))
        .collect()
}

/// The variants.csv rows as (lang, variant, canonical, rule, applied).
fn variant_rows(wd: &Workdir) -> Vec<(String, String, String, String, String)> {
    wd.rows("out/variants.csv")
        .into_iter()
        .map(|r| {
            (
                r["lang"].clone(),
                r["variant"].clone(),
                r["canonical"].clone(),
                r["rule"].clone(),
                r["applied"].clone(),
            )
        })
        .collect()
}

fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|w| w == word)
}

#[test]
fn variants_are_unified_in_text_and_listed_with_their_rules() {
    let wd = Workdir::new();
    let docs = run_fixture(&wd, &[]);
    // (doc, spellings that must be there, spellings that must be gone)
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "wire-a/2024-11-18-ankara-talks.txt",
            &["Türkiye", "Kyiv", "Erdoğan", "COP29", "Kılıçdaroğlu"],
            &["Turkey", "Тurkey", "Kiev", "Erdogan", "Kilicdaroglu"],
        ),
        (
            "wire-c/2024-11-19-alliance-budget.txt",
            &["NATO", "Austria", "Australia"],
            &["Nato"],
        ),
        (
            "rhein-post/2024-11-21-nato-gipfel.txt",
            &["Nato", "Kiew", "Erdoğan", "Mütter", "Mutter", "USA"],
            &["NATO", "Kyjiw", "Erdogan", "Vereinigten"],
        ),
        (
            "le-quotidien/2024-11-22-otan-budget.txt",
            &["OTAN", "Turquie", "Kiev"],
            &["NATO", "Türkiye", "Kyiv"],
        ),
        (
            "ege-gazete/2024-11-23-abd-ziyaret.txt",
            // An acronym is not written out in a language that declines it.
            &["Zelenskiy", "Erdoğan", "ABD"],
            &["Zelensky", "Amerika"],
        ),
        // A suggestion is listed, not applied.
        (
            "wire-b/2024-11-18-grain-talks.txt",
            &["Kowalcyzk", "Kowalczyk"],
            &[],
        ),
    ];
    for &(doc, present, absent) in cases {
        let text = &docs[doc]["text"];
        for w in present {
            assert!(has_word(text, w), "{doc}: {w} missing in {text}");
        }
        for w in absent {
            assert!(!has_word(text, w), "{doc}: {w} left in {text}");
        }
    }
    // Titles are unified too.
    let title = &docs["wire-a/2024-11-18-ankara-talks.txt"]["title"];
    assert!(title.contains("(Türkiye, Erdoğan, Kyiv, COP29)"), "{title}");

    let rows = variant_rows(&wd);
    let row = |lang: &str, variant: &str, canonical: &str, rule: &str, applied: &str| {
        (
            lang.into(),
            variant.into(),
            canonical.into(),
            rule.into(),
            applied.into(),
        )
    };
    for want in [
        row("en", "Turkey", "Türkiye", "alias", "true"),
        row("en", "COP 29", "COP29", "alias", "true"),
        row("en", "Nato", "NATO", "case", "true"),
        row("en", "Kilicdaroglu", "Kılıçdaroğlu", "diacritics", "true"),
        row("en", "Тurkey", "Turkey", "confusable", "true"),
        row("en", "Kowalcyzk", "Kowalczyk", "suggested", "false"),
        row("de", "NATO", "Nato", "case", "true"),
        row("de", "Kyjiw", "Kiew", "alias", "true"),
        row("fr", "NATO", "OTAN", "alias", "true"),
        row("de", "Vereinigten Staaten", "USA", "alias", "true"),
    ] {
        assert!(rows.contains(&want), "missing {want:?} in {rows:#?}");
    }
    // Austria and Australia are never one name, not even as a suggestion.
    assert!(
        !rows
            .iter()
            .any(|r| r.1.contains("Austr") || r.2.contains("Austr")),
        "{rows:#?}"
    );
    assert_eq!(
        wd.header("out/variants.csv")[..4],
        ["variant", "canonical", "count", "rule"]
    );

    // The confusable is flagged on its document, and each document counts
    // its unified variants.
    let clusters: BTreeMap<String, Row> = wd
        .rows("out/clusters.csv")
        .into_iter()
        .map(|r| (r["doc_id"].clone(), r))
        .collect();
    let a = &clusters["wire-a/2024-11-18-ankara-talks.txt"];
    assert_eq!(a["status"], "ok;confusables=1");
    assert!(a["variants"].parse::<u32>().unwrap() >= 8, "{a:?}");
    assert_eq!(
        clusters["wire-c/2024-11-20-harbour-dredging.txt"]["variants"],
        "0"
    );

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wd.path().join("out/summary.json")).unwrap())
            .unwrap();
    assert!(
        summary["variants_unified"].as_u64().unwrap() >= 20,
        "{summary}"
    );
    for phase in [
        "read", "clean", "lang", "names", "learn", "variants", "finish", "output",
    ] {
        assert!(
            summary["timings"][phase].as_f64().is_some(),
            "{phase}: {summary}"
        );
    }
}

#[test]
fn keep_variants_changes_no_text_and_reports_what_it_would_do() {
    let kept = Workdir::new();
    let kept_docs = run_fixture(&kept, &["--keep-variants"]);
    let unified = Workdir::new();
    let unified_docs = run_fixture(&unified, &[]);
    let text = &kept_docs["wire-a/2024-11-18-ankara-talks.txt"]["text"];
    assert!(
        has_word(text, "Kiev") && has_word(text, "Erdogan"),
        "{text}"
    );
    let rows = variant_rows(&kept);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.4 == "false"), "{rows:#?}");
    // Text that holds no variant is the same either way.
    let id = "wire-c/2024-11-20-harbour-dredging.txt";
    assert_eq!(kept_docs[id]["text"], unified_docs[id]["text"]);
    // And the same words are listed, with the same counts.
    let key = |wd: &Workdir| -> Vec<(String, String, String)> {
        wd.rows("out/variants.csv")
            .into_iter()
            .map(|r| {
                (
                    r["variant"].clone(),
                    r["canonical"].clone(),
                    r["count"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(key(&kept), key(&unified));
}

#[test]
fn user_aliases_override_the_shipped_canonical() {
    let wd = Workdir::new();
    wd.write(
        "names.csv",
        "# English as our newsroom writes it\nvariant,canonical,lang,case\nTürkiye,Turkey,en\nKyiv,Kiev,en,i\nKowalcyzk,Kowalczyk\n",
    );
    let docs = run_fixture(&wd, &["--aliases", "names.csv"]);
    let a = &docs["wire-a/2024-11-18-ankara-talks.txt"]["text"];
    let b = &docs["wire-b/2024-11-18-grain-talks.txt"]["text"];
    for (text, present, absent) in [
        (a, ["Turkey", "Kiev"], ["Türkiye", "Kyiv"]),
        (b, ["Turkey", "Kiev"], ["Türkiye", "Kyiv"]),
        (b, ["Kowalczyk", "Kowalczyk"], ["Kowalcyzk", "Kowalcyzk"]),
    ] {
        for w in present {
            assert!(has_word(text, w), "{w} missing in {text}");
        }
        for w in absent {
            assert!(!has_word(text, w), "{w} left in {text}");
        }
    }
    // Other languages keep the shipped names.
    let fr = &docs["le-quotidien/2024-11-22-otan-budget.txt"]["text"];
    assert!(has_word(fr, "Turquie") && has_word(fr, "Kiev"), "{fr}");
    let rows = variant_rows(&wd);
    for want in [
        ("en", "Türkiye", "Turkey", "user"),
        ("en", "Kyiv", "Kiev", "user"),
        ("en", "Kowalcyzk", "Kowalczyk", "user"),
    ] {
        assert!(
            rows.iter()
                .any(|r| (r.0.as_str(), r.1.as_str(), r.2.as_str(), r.3.as_str()) == want),
            "missing {want:?} in {rows:#?}"
        );
    }
}

#[test]
fn a_broken_alias_file_is_refused_with_its_line_and_nothing_is_written() {
    let cases: &[(&str, &str)] = &[
        ("variant,canonical\nKiev,Kyiv\nonly-one-field\n", "line 3"),
        ("Kiev,Kyiv\nTurkey,Türkiye,english\n", "line 2"),
        ("A,B\nB,A\n", "line 1"),
    ];
    for &(file, line) in cases {
        let wd = Workdir::new();
        wd.copy_fixture("variants", "in");
        wd.write("bad.csv", file);
        let run = wd.run(&["run", "in", "-o", "out", "--aliases", "bad.csv"]);
        run.expect_code(2);
        let err = run.stderr();
        assert!(
            err.contains("bad.csv") && err.contains(line),
            "{}",
            run.description
        );
        assert!(!wd.path().join("out").exists(), "{}", run.description);
        let stray: Vec<_> = std::fs::read_dir(wd.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("dedup-tmp"))
            .collect();
        assert!(stray.is_empty(), "{}", run.description);
        let normalize = wd.run_with_stdin(&["normalize", "--aliases", "bad.csv"], Some(b"Kiev"));
        normalize.expect_code(2);
        assert!(
            normalize.stderr().contains(line),
            "{}",
            normalize.description
        );
        assert!(normalize.stdout().is_empty(), "{}", normalize.description);
    }
    // A missing file is an error too.
    let wd = Workdir::new();
    wd.copy_fixture("variants", "in");
    let run = wd.run(&["run", "in", "-o", "out", "--aliases", "missing.csv"]);
    run.expect_code(2);
    assert!(run.stderr().contains("missing.csv"), "{}", run.description);
}

#[test]
fn normalize_uses_the_alias_tables_and_is_idempotent() {
    let wd = Workdir::new();
    wd.write("names.csv", "Odessa,Odesa,en,i\n");
    // (args, input, output)
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["normalize", "--lang", "en"],
            "Erdogan flew from Kiev to the COP 29 talks in Turkey (AKP ) .",
            "Erdoğan flew from Kyiv to the COP29 talks in Türkiye (AKP).",
        ),
        (
            &["normalize", "--lang", "de"],
            "Selensky reiste nach Kyjiw; die UNO schwieg.",
            "Selenskyj reiste nach Kiew; die UN schwieg.",
        ),
        (
            &["normalize", "--lang", "fr"],
            "La NATO et la Türkiye\u{00A0}: Kyiv attend.",
            "La OTAN et la Turquie\u{00A0}: Kiev attend.",
        ),
        (
            &["normalize", "--lang", "ru"],
            "Саммит NATO в Москвa.",
            "Саммит НАТО в Москва.",
        ),
        (
            &["normalize", "--lang", "zh"],
            "捷克共和国代表出席了ＣＯＰ 29会议。",
            "捷克代表出席了ＣＯＰ 29会议。",
        ),
        (
            &["normalize", "--lang", "en", "--aliases", "names.csv"],
            "ODESSA, Odessa and Kiev",
            "ODESA, Odesa and Kyiv",
        ),
        (
            &["normalize", "--lang", "en", "--keep-variants"],
            "Тurkey and Kiev",
            "Turkey and Kiev",
        ),
        // Detected language (English): the English names.
        (
            &["normalize"],
            "The president of Turkey, Recep Tayyip Erdogan, spoke with the mayor of Kiev on Monday about the winter.",
            "The president of Türkiye, Recep Tayyip Erdoğan, spoke with the mayor of Kyiv on Monday about the winter.",
        ),
    ];
    for &(args, input, want) in cases {
        let once = wd.run_with_stdin(args, Some(input.as_bytes()));
        once.expect_code(0);
        assert_eq!(once.stdout(), format!("{want}\n"), "{}", once.description);
        let twice = wd.run_with_stdin(args, Some(once.stdout().trim_end().as_bytes()));
        assert_eq!(twice.stdout(), once.stdout(), "{}", twice.description);
    }
    // Keys are the keys of the normalized text.
    let keys = wd.run_with_stdin(
        &["normalize", "--lang", "en", "--keys"],
        Some("KIEV and Тurkey".as_bytes()),
    );
    assert_eq!(keys.stdout(), "kyiv and turkiye\n", "{}", keys.description);
}

#[test]
fn invalid_utf8_and_lone_surrogates_are_replaced_and_counted() {
    let wd = Workdir::new();
    // Invalid bytes and a surrogate encoded as UTF-8 (CESU), on stdin.
    let input = "Kiev \u{FFFF}city “café” Erdoğan’s Türkiye \u{FFFE}end, by Zürich, Köln, München, Málaga and São Paulo."
        .replace('\u{FFFF}', "\u{1}")
        .replace('\u{FFFE}', "\u{2}")
        .into_bytes()
        .into_iter()
        .flat_map(|b| match b {
            1 => vec![0xff],
            2 => vec![0xed, 0xa0, 0x80],
            b => vec![b],
        })
        .collect::<Vec<u8>>();
    let input = input.as_slice();
    let run = wd.run_with_stdin(&["normalize", "--lang", "en"], Some(input));
    run.expect_code(0);
    assert!(run.stdout().contains("Kyiv"), "{}", run.description);
    assert!(run.stdout().contains('\u{FFFD}'), "{}", run.description);
    assert!(run.stderr().contains("replaced"), "{}", run.description);

    // The same damage in files of a run: counted in the status.
    let mut txt = "lang: en\n\nThe mayor of Kiev said “the grid held” in Türkiye’s café"
        .as_bytes()
        .to_vec();
    txt.extend_from_slice(b" \xff and \xed\xa0\x80 repairs went on through the night.\n");
    txt.extend_from_slice(
        "Crews came from Zürich, Köln, München, Málaga and São Paulo.\n".as_bytes(),
    );
    txt.extend_from_slice(b"A second paragraph with more words so it is a document.\n");
    wd.write("in/damaged.txt", txt);
    wd.write(
        "in/feed.jsonl",
        "{\"text\": \"Officials in Kiev said \\ud800 the grid held through the night and repairs went on.\", \"lang\": \"en\"}\n{\"text\": \"A lone low \\udc00 surrogate in Erdogan text with enough words to count.\", \"lang\": \"en\"}\n",
    );
    wd.run(&["run", "in", "-o", "out", "--documents"])
        .expect_code(0);
    let rows = wd.rows("out/clusters.csv");
    assert_eq!(rows.len(), 3);
    for r in &rows {
        assert!(r["status"].starts_with("ok;replaced="), "{r:?}");
    }
    for d in wd.rows("out/documents.csv") {
        assert!(d["text"].contains('\u{FFFD}'), "{d:?}");
        assert!(
            !d["text"].contains("Kiev") && !d["text"].contains("Erdogan"),
            "{d:?}"
        );
    }
}

#[test]
fn variants_output_is_identical_across_thread_counts() {
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let wd = Workdir::new();
        wd.copy_fixture("variants", "in");
        wd.run(&["run", "in", "-o", "out", "--documents", "-j", threads])
            .expect_code(0);
        let read = |f: &str| std::fs::read(wd.path().join("out").join(f)).unwrap();
        outputs.push((
            read("variants.csv"),
            read("documents.csv"),
            read("clusters.csv"),
        ));
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]));
}
