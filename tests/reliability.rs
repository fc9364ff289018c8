//! Issue 6, reliability and safety, end to end on the real binary: every
//! input accounted for, exit codes, atomic output, determinism, CSV that
//! round-trips, and a walk that survives loops, odd names and closed folders.
//!
//! Tests are named `issue6_*` after the issue they guard. The bad-input
//! fixture is `tests/data/bad_inputs/` (text files, committed) plus the files
//! [`generated_bad_inputs`] writes at test time (binary and legacy-encoded
//! bytes, which do not belong in a text diff); `tests/data/bad_inputs.md`
//! lists them all.

mod util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use util::{Row, Workdir, fixture};

/// An article long enough to be compared (more words than one shingle).
const ARTICLE: &str = "The port authority said on Tuesday that container traffic rose by a fifth in October, \
     the busiest month since the new quay opened, and that it expected the growth to last into spring.";

/// True when this process can read files whatever their permissions (root,
/// or CAP_DAC_OVERRIDE): then chmod 000 does not make anything unreadable.
fn permissions_are_enforced(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("permission-probe");
    std::fs::write(&probe, "x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let enforced = std::fs::read(&probe).is_err();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::remove_file(&probe).unwrap();
    enforced
}

fn encode(label: &str, text: &str) -> Vec<u8> {
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{label} cannot encode {text:?}");
    bytes.into_owned()
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if big_endian {
            &[0xFE, 0xFF]
        } else {
            &[0xFF, 0xFE]
        });
    }
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

/// One generated bad input: file name, bytes, expected status and encoding.
struct Generated {
    name: &'static str,
    bytes: Vec<u8>,
    status: &'static str,
    /// Acceptable encodings, `|`-separated.
    encoding: &'static str,
}

/// Bad inputs that are bytes rather than text, written at test time.
fn generated_bad_inputs() -> Vec<Generated> {
    let fr = "Le président a été reçu à l'Élysée mardi, a indiqué la présidence, qui a salué des échanges francs.";
    let ru = "Президент заявил журналистам, что переговоры продолжатся в Москве на этой неделе при участии министров.";
    let ar = "قال الرئيس إن المفاوضات ستستمر في القاهرة هذا الأسبوع بحضور الوزراء والسفراء من عدة دول عربية.";
    let zh = "中国国家主席在北京会见了来访的外国领导人，双方就经济合作和地区安全交换了意见，并签署了多项协议。";
    let ja = "日本の首相は東京で記者会見を開き、経済対策と物価高への対応について詳しく説明した。";
    let tr = "Cumhurbaşkanı Erdoğan, İstanbul'da gazetecilere açıklama yaptı ve ekonomik reformların süreceğini söyledi.";
    let mut broken = ARTICLE.replace("October", "Octo\u{e9}ber").into_bytes();
    // Two invalid bytes inside otherwise valid, multi-byte UTF-8.
    broken.splice(10..10, [0xFF]);
    broken.extend_from_slice(" Ölçüm çok güzel \u{2014} ".as_bytes());
    broken.push(0xC3);
    broken.extend_from_slice(b" end.");
    let mut nul_inside = ARTICLE.as_bytes().to_vec();
    nul_inside.splice(20..20, [0, 0, 0]);
    // 10 KiB of text, then 10 KiB of NUL padding (a crashed writer).
    let mut nul_tail = format!("{ARTICLE}\n\n").repeat(48).into_bytes();
    nul_tail.truncate(10 * 1024);
    nul_tail.extend(std::iter::repeat_n(0u8, 10 * 1024));
    // UTF-16 with a BOM but mostly lone surrogates: undecodable.
    let mut damaged16 = vec![0xFF, 0xFE];
    for unit in "ab"
        .encode_utf16()
        .chain(std::iter::repeat_n(0xD800u16, 12))
    {
        damaged16.extend_from_slice(&unit.to_le_bytes());
    }
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let mut utf8_bom = b"\xEF\xBB\xBF".to_vec();
    utf8_bom.extend_from_slice(tr.as_bytes());
    vec![
        Generated {
            name: "enc/utf8-bom.txt",
            bytes: utf8_bom,
            status: "ok",
            encoding: "UTF-8",
        },
        Generated {
            name: "enc/utf16le-bom.txt",
            bytes: utf16(ru, false, true),
            status: "ok",
            encoding: "UTF-16LE",
        },
        Generated {
            name: "enc/utf16be-bom.txt",
            bytes: utf16(ar, true, true),
            status: "ok",
            encoding: "UTF-16BE",
        },
        Generated {
            name: "enc/utf16le-nobom.txt",
            bytes: utf16(ARTICLE, false, false),
            status: "ok",
            encoding: "UTF-16LE",
        },
        Generated {
            name: "enc/cp1252.txt",
            bytes: encode("windows-1252", fr),
            status: "ok",
            encoding: "windows-1252",
        },
        Generated {
            name: "enc/latin1.txt",
            // WHATWG maps the ISO-8859-1 label to windows-1252, its superset.
            bytes: encode(
                "iso-8859-1",
                "Der Bürgermeister von Köln hat am Montag die neue Brücke über den Rhein eröffnet, sagte die Stadt.",
            ),
            status: "ok",
            encoding: "windows-1252",
        },
        Generated {
            name: "enc/koi8-r.txt",
            bytes: encode("koi8-r", ru),
            status: "ok",
            // chardetng cannot tell KOI8-R from KOI8-U on Russian text; both
            // decode it the same.
            encoding: "KOI8-R|KOI8-U",
        },
        Generated {
            name: "enc/windows-1256.txt",
            bytes: encode("windows-1256", ar),
            status: "ok",
            encoding: "windows-1256",
        },
        Generated {
            name: "enc/gb18030.txt",
            bytes: encode("gb18030", zh),
            status: "ok",
            // chardetng names the family GBK; WHATWG decodes GBK with the
            // gb18030 decoder, so the text is the same.
            encoding: "gb18030|GBK",
        },
        Generated {
            name: "enc/shift_jis.txt",
            bytes: encode("shift_jis", ja),
            status: "ok",
            encoding: "Shift_JIS",
        },
        Generated {
            name: "enc/broken-utf8.txt",
            bytes: broken,
            status: "ok;replaced=2",
            encoding: "UTF-8",
        },
        Generated {
            name: "enc/utf16-damaged.txt",
            bytes: damaged16,
            status: "decode;replaced=12",
            encoding: "UTF-16LE",
        },
        Generated {
            name: "nul/inside.txt",
            bytes: nul_inside,
            status: "ok;nul=3",
            encoding: "UTF-8",
        },
        Generated {
            name: "nul/padded-tail.txt",
            bytes: nul_tail,
            status: "ok;nul=10240",
            encoding: "UTF-8",
        },
        Generated {
            name: "bin/image.txt",
            bytes: b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06".to_vec(),
            status: "binary",
            encoding: "",
        },
        Generated {
            name: "bin/paper.md",
            bytes: b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\n".to_vec(),
            status: "binary",
            encoding: "",
        },
        Generated {
            name: "bin/archive.jsonl",
            bytes: b"PK\x03\x04\x14\0\0\0\x08\0\x1c\x7b".to_vec(),
            status: "binary",
            encoding: "",
        },
        Generated {
            name: "bin/noise.csv",
            bytes: noise,
            status: "binary",
            encoding: "",
        },
    ]
}

/// Expected status of each committed file in `tests/data/bad_inputs/`.
const COMMITTED: &[(&str, &str)] = &[
    ("blank.md", "empty"),
    ("empty.jsonl", "empty"),
    ("empty.txt", "empty"),
    ("feed.jsonl:1", "ok"),
    ("feed.jsonl:2", "parse"),
    ("feed.jsonl:3", "parse"),
    ("feed.jsonl:4", "parse"),
    ("feed.jsonl:5", "parse"),
    ("feed.jsonl:7", "empty"),
    ("feed.jsonl:8", "ok;replaced=1"),
    ("feed.jsonl:9", "ok;nul=1"),
    ("feed.jsonl:10", "ok"),
    ("header-only.txt", "empty"),
    ("notext.csv", "parse"),
    ("outlet/good.txt", "ok"),
    ("table.csv:2", "ok"),
    ("table.csv:3", "parse"),
    ("table.csv:4", "ok"),
    ("table.csv:6", "ok"),
    ("table.tsv:2", "ok"),
    ("unclosed.csv:2", "ok"),
    // An unclosed quote takes the rest of the file as one cell (RFC 4180).
    ("unclosed.csv:3", "ok"),
    ("whitespace.txt", "empty"),
];

fn by_id(rows: &[Row]) -> BTreeMap<&str, &Row> {
    rows.iter().map(|r| (r["doc_id"].as_str(), r)).collect()
}

/// The bad-input fixture, committed and generated files together, in `rel`.
fn bad_inputs(wd: &Workdir, rel: &str) -> PathBuf {
    let dir = wd.copy_fixture("bad_inputs", rel);
    for g in generated_bad_inputs() {
        wd.write(&format!("{rel}/{}", g.name), &g.bytes);
    }
    dir
}

#[test]
fn issue6_bad_inputs_each_have_their_status_and_one_row() {
    let wd = Workdir::new();
    bad_inputs(&wd, "in");
    let run = wd.run(&["run", "in", "-o", "out"]);
    run.expect_code(0);
    let rows = wd.rows("out/clusters.csv");
    let ids = by_id(&rows);
    let generated = generated_bad_inputs();
    assert_eq!(
        rows.len(),
        COMMITTED.len() + generated.len(),
        "one row per document\n{}",
        run.description
    );
    assert_eq!(ids.len(), rows.len(), "doc_ids are unique");
    for (id, status) in COMMITTED {
        let row = ids
            .get(id)
            .unwrap_or_else(|| panic!("no row for {id}\n{}", run.description));
        assert_eq!(row["status"], *status, "{id}: {row:?}");
    }
    for g in &generated {
        let row = ids
            .get(g.name)
            .unwrap_or_else(|| panic!("no row for {}\n{}", g.name, run.description));
        assert_eq!(row["status"], g.status, "{}: {row:?}", g.name);
        assert!(
            g.encoding.split('|').any(|e| e == row["encoding"]),
            "{}: {row:?}",
            g.name
        );
    }
    // Problems are explained, ok documents are not.
    for row in &rows {
        let ok = row["status"].starts_with("ok");
        assert_eq!(row["detail"].is_empty(), ok, "{row:?}");
    }
    // Legacy encodings decode to the right language.
    for (id, lang) in [
        ("enc/cp1252.txt", "fr"),
        ("enc/koi8-r.txt", "ru"),
        ("enc/windows-1256.txt", "ar"),
        ("enc/gb18030.txt", "zh"),
        ("enc/shift_jis.txt", "ja"),
        ("enc/utf16le-bom.txt", "ru"),
        ("enc/latin1.txt", "de"),
    ] {
        assert_eq!(ids[id]["language"], lang, "{id}");
    }
    // The summary counts the problems on stderr and in summary.json.
    let stderr = run.stderr();
    assert!(
        stderr.contains(&format!("{} documents", rows.len())),
        "{stderr}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wd.path().join("out/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["documents"], rows.len());
    assert_eq!(summary["problems"]["binary"], 4);
    assert_eq!(summary["problems"]["decode"], 1);
    assert_eq!(summary["flags"]["nul"], 3);
    // --strict: the same output, exit code 1.
    let strict = wd.run(&["run", "in", "-o", "strict", "--strict"]);
    strict.expect_code(1);
    assert!(
        strict.stderr().contains("--strict"),
        "{}",
        strict.description
    );
    assert_eq!(
        std::fs::read(wd.path().join("out/clusters.csv")).unwrap(),
        std::fs::read(wd.path().join("strict/clusters.csv")).unwrap()
    );
}

/// A huge text file, a huge single line and a huge JSONL record are read in
/// bounded memory: cut at the text cap and flagged, or refused by the
/// record cap, and the documents around them go on.
#[test]
fn issue6_huge_files_and_lines_are_capped_and_flagged() {
    let wd = Workdir::new();
    let mib = 1usize << 20;
    // 2.5 MiB on one line, no newline at all.
    let line = "word ".repeat(mib / 2);
    wd.write("in/one-line.txt", &line);
    // 3 MiB of paragraphs, UTF-8 with multi-byte characters at the cut.
    let para = "Ğüzel bir gün için çok çalışan işçiler ödüllendirildi ve şehir kutladı.\n\n";
    wd.write("in/long.txt", para.repeat(3 * mib / para.len()));
    // JSONL: a record with a 1.5 MiB text (cut), a 9 MiB line (over the
    // 8 MiB record cap: refused without being held), then a normal record.
    let big_text = "a".repeat(3 * mib / 2);
    let huge_line = format!("{{\"text\": \"{}\"}}", "b".repeat(9 * mib));
    wd.write(
        "in/feed.jsonl",
        format!("{{\"text\": \"{big_text}\"}}\n{huge_line}\n{{\"text\": \"{ARTICLE}\"}}\n"),
    );
    let run = wd.run(&["run", "in", "-o", "out", "--max-text-mib", "1"]);
    run.expect_code(0);
    let rows = wd.rows("out/clusters.csv");
    let ids = by_id(&rows);
    assert_eq!(rows.len(), 5, "{}", run.description);
    for id in ["one-line.txt", "long.txt", "feed.jsonl:1"] {
        let row = ids[id];
        assert!(row["status"].contains("truncated"), "{id}: {row:?}");
        assert!(row["detail"].contains("1.0 MiB"), "{id}: {row:?}");
        let chars: usize = row["chars_raw"].parse().unwrap();
        assert!(chars > 0 && chars <= mib, "{id}: {chars} characters");
    }
    assert_eq!(ids["feed.jsonl:2"]["status"], "parse");
    assert!(
        ids["feed.jsonl:2"]["detail"].contains("longer than the limit"),
        "{:?}",
        ids["feed.jsonl:2"]
    );
    assert_eq!(ids["feed.jsonl:3"]["status"], "ok");
    // --strict counts a truncated document as a problem.
    wd.run(&[
        "run",
        "in",
        "-o",
        "strict",
        "--max-text-mib",
        "1",
        "--strict",
    ])
    .expect_code(1);
}

/// A CSV row that never ends (an unclosed quote) is bounded by the record
/// cap; the rows before it stand.
#[test]
fn issue6_endless_csv_row_is_bounded() {
    let wd = Workdir::new();
    let mut csv = format!("title,text\nFirst,\"{ARTICLE}\"\nSecond,\"never closed ");
    csv.push_str(&"filler text, ".repeat(700_000)); // about 9 MiB
    wd.write("in/table.csv", csv);
    let run = wd.run(&["run", "in", "-o", "out", "--max-text-mib", "1"]);
    run.expect_code(0);
    let rows = wd.rows("out/clusters.csv");
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["doc_id"].as_str(), r["status"].as_str()))
        .collect();
    assert_eq!(
        got,
        vec![("table.csv:2", "ok"), ("table.csv:3", "parse")],
        "{}",
        run.description
    );
    assert!(
        rows[1]["detail"].contains("unclosed quote"),
        "{:?}",
        rows[1]
    );
}

#[test]
fn issue6_exit_0_when_documents_have_problems() {
    let wd = Workdir::new();
    wd.write("in/good.txt", ARTICLE);
    wd.write("in/image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let run = wd.run(&["run", "in", "-o", "out"]);
    run.expect_code(0);
    assert!(run.stderr().contains("binary 1"), "{}", run.description);
    assert_eq!(wd.rows("out/clusters.csv").len(), 2);
}

#[test]
fn issue6_exit_1_with_strict_and_a_problem_only() {
    let wd = Workdir::new();
    wd.write("in/good.txt", ARTICLE);
    wd.run(&["run", "in", "-o", "clean", "--strict"])
        .expect_code(0);
    // Notes on sound documents are not problems under --strict.
    wd.write("in/short.txt", "Too short.");
    wd.run(&["run", "in", "-o", "short", "--strict"])
        .expect_code(0);
    wd.write("in/empty.txt", "");
    let run = wd.run(&["run", "in", "-o", "out", "--strict"]);
    run.expect_code(1);
    assert!(run.stderr().contains("1 empty"), "{}", run.description);
    // The output is written all the same.
    assert_eq!(wd.rows("out/clusters.csv").len(), 3);
}

#[test]
fn an_input_without_documents_is_warned_about_and_strict_fails() {
    let wd = Workdir::new();
    wd.write("in/notes.docx", "not a format dedup reads");
    wd.write("in/photo.jpeg", "neither");
    let run = wd.run(&["run", "in", "-o", "out"]);
    run.expect_code(0);
    let err = run.stderr();
    assert!(err.contains("0 documents"), "{}", run.description);
    assert!(
        err.contains(
            "warning: no documents found in the input (2 files with other extensions skipped)"
        ),
        "{}",
        run.description
    );
    assert!(wd.rows("out/clusters.csv").is_empty());
    let run = wd.run(&["run", "in", "-o", "strict", "--strict"]);
    run.expect_code(1);
    assert!(run.stderr().contains("no documents"), "{}", run.description);
    // A folder with documents gets no such warning.
    wd.write("in/story.txt", ARTICLE);
    let run = wd.run(&["run", "in", "-o", "some"]);
    run.expect_code(0);
    assert!(
        !run.stderr().contains("no documents found"),
        "{}",
        run.description
    );
}

#[test]
fn issue6_exit_2_on_usage_and_fatal_errors_naming_the_path() {
    let wd = Workdir::new();
    wd.write("in/a.txt", ARTICLE);
    wd.write("a-file", "not a folder");
    let cases: &[(&[&str], &str)] = &[
        (&["run", "missing-folder", "-o", "out"], "missing-folder"),
        (&["run", "in", "-o", "a-file/out"], "a-file"),
        (&["run", "in", "-o", "a-file"], "a-file"),
        (&["run", "in", "-o", "in/out"], "in/out"),
        (&["run", "in", "--max-text-mib", "0"], "max-text-mib"),
        (&["run", "in", "--no-such-flag"], "--no-such-flag"),
        (&["run"], "INPUT"),
    ];
    for (args, named) in cases {
        let run = wd.run(args);
        run.expect_code(2);
        assert!(run.stderr().contains(named), "{}", run.description);
    }
    assert!(!wd.path().join("out").exists());
    assert!(!wd.path().join("in/out").exists());
    // An existing output without --force.
    wd.run(&["run", "in", "-o", "out"]).expect_code(0);
    let run = wd.run(&["run", "in", "-o", "out"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("out") && run.stderr().contains("--force"),
        "{}",
        run.description
    );
}

/// An output folder whose parent may not be written to fails before the
/// work, with exit code 2 and a message naming it.
#[test]
fn issue6_exit_2_on_an_unwritable_output_folder() {
    use std::os::unix::fs::PermissionsExt;
    let wd = Workdir::new();
    wd.write("in/a.txt", ARTICLE);
    let locked = wd.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let args = ["run", "in", "-o", "locked/out"];
    let result = if permissions_are_enforced(wd.path()) {
        let run = wd.run(&args);
        Some((run.code(), run.stderr()))
    } else {
        run_unprivileged(&wd, &args).map(|out| {
            (
                out.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        })
    };
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let Some((code, stderr)) = result else {
        eprintln!(
            "SKIPPED the read-only folder case: this process ignores file permissions (root) \
             and cannot drop them with setpriv; the not-a-folder parent case is covered by \
             issue6_exit_2_on_usage_and_fatal_errors_naming_the_path"
        );
        return;
    };
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("locked") && stderr.contains("not writable"),
        "{stderr}"
    );
    assert_eq!(names(&locked), Vec::<String>::new(), "nothing written");
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Names in `dir` (hidden ones too), sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn issue6_refused_or_failed_run_leaves_old_output_untouched() {
    let wd = Workdir::new();
    wd.write("in/a.txt", ARTICLE);
    wd.run(&["run", "in", "-o", "out"]).expect_code(0);
    let before = snapshot(&wd.path().join("out"));
    assert!(before.contains_key(Path::new("clusters.csv")));
    wd.write("in/b.txt", format!("{ARTICLE} And another sentence."));
    // Refused: no --force.
    wd.run(&["run", "in", "-o", "out"]).expect_code(2);
    assert_eq!(snapshot(&wd.path().join("out")), before);
    // Failed: --force, but an input is missing.
    wd.run(&["run", "in", "missing", "-o", "out", "--force"])
        .expect_code(2);
    assert_eq!(snapshot(&wd.path().join("out")), before);
    // No temporary folders are left beside it.
    assert_eq!(names(wd.path()), vec!["in", "out"]);
    // --force replaces it.
    wd.run(&["run", "in", "-o", "out", "--force"])
        .expect_code(0);
    assert_eq!(wd.rows("out/clusters.csv").len(), 2);
    assert_eq!(names(wd.path()), vec!["in", "out"]);
}

/// `n` distinct articles (made-up words from a fixed generator), so that
/// nothing clusters and every document is written out in full.
fn distinct_corpus(wd: &Workdir, rel: &str, n: usize) {
    const SYLLABLES: [&str; 12] = [
        "ka", "to", "ri", "mu", "ne", "sa", "lo", "pe", "di", "vu", "ha", "zo",
    ];
    let mut x: u64 = 12345;
    let mut next = move || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) as usize
    };
    for i in 0..n {
        let words: Vec<String> = (0..150)
            .map(|_| {
                (0..1 + next() % 3)
                    .map(|_| SYLLABLES[next() % 12])
                    .collect()
            })
            .collect();
        wd.write(&format!("{rel}/d{i:05}.txt"), words.join(" ") + ".");
    }
}

/// Run dedup in a shell that caps the size of any file it writes
/// (RLIMIT_FSIZE): the first output file to pass the cap gets the process
/// killed by SIGXFSZ in the middle of writing it, as a full disk or a kill
/// would. Returns the exit status.
fn run_with_file_size_cap(wd: &Workdir, args: &[&str], blocks: u32) -> std::process::ExitStatus {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -f {blocks} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_dedup"))
        .args(args)
        .current_dir(wd.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap()
}

/// A run that dies in the middle of writing a CSV leaves the old complete
/// output (with --force) or nothing (without), never a partial CSV.
#[test]
fn issue6_interrupted_write_leaves_old_output_or_nothing() {
    use std::os::unix::process::ExitStatusExt;
    let wd = Workdir::new();
    wd.write("old-in/a.txt", ARTICLE);
    wd.run(&["run", "old-in", "-o", "out"]).expect_code(0);
    let old = snapshot(&wd.path().join("out"));
    // 300 articles of about 1 KB: documents.csv and articles.csv are about
    // 300 KB each, clusters.csv about 30 KB; the cap is 128 blocks (64 or
    // 128 KB depending on the shell's block size).
    distinct_corpus(&wd, "in", 300);
    for (target, force) in [("out", true), ("fresh", false)] {
        let mut args = vec!["run", "in", "-o", target, "--documents"];
        if force {
            args.push("--force");
        }
        let status = run_with_file_size_cap(&wd, &args, 128);
        assert!(!status.success(), "the cap did not stop dedup: {status:?}");
        if let Some(signal) = status.signal() {
            assert_eq!(signal, 25, "killed by SIGXFSZ"); // 25 on Linux
        }
        // It died while writing: a partial file is left in the hidden
        // temporary folder, and only there.
        let leftovers: Vec<String> = names(wd.path())
            .into_iter()
            .filter(|n| n.starts_with(&format!(".{target}.dedup-tmp-")))
            .collect();
        if status.signal().is_some() {
            assert_eq!(leftovers.len(), 1, "{:?}", names(wd.path()));
            // Scratch files (`.spill/`) come first, then the CSVs: whatever
            // was being written when the cap hit, it is in there.
            let tmp = snapshot(&wd.path().join(&leftovers[0]));
            assert!(!tmp.is_empty(), "{:?}", tmp.keys());
            assert!(
                !tmp.contains_key(Path::new("summary.json")),
                "{:?}",
                tmp.keys()
            );
        }
        let target_dir = wd.path().join(target);
        if force {
            assert_eq!(snapshot(&target_dir), old, "the old output changed");
        } else {
            assert!(!target_dir.exists(), "a partial output at {target}");
        }
        for tmp in leftovers {
            std::fs::remove_dir_all(wd.path().join(tmp)).unwrap();
        }
    }
    // Without the cap the same run completes.
    wd.run(&["run", "in", "-o", "out", "--documents", "--force", "-q"])
        .expect_code(0);
    assert_eq!(wd.rows("out/clusters.csv").len(), 300);
}

/// Kill -9 at several moments of a run: whenever it lands, the target holds
/// the old complete output or the new complete one.
#[test]
fn issue6_killed_run_leaves_a_complete_output() {
    let wd = Workdir::new();
    wd.write("old-in/a.txt", ARTICLE);
    wd.run(&["run", "old-in", "-o", "out"]).expect_code(0);
    let old = snapshot(&wd.path().join("out"));
    distinct_corpus(&wd, "in", 200);
    for delay_ms in [0u64, 5, 20, 50, 100, 200, 400, 800] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dedup"))
            .args(["run", "in", "-o", "out", "--force", "-q", "--documents"])
            .current_dir(wd.path())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = snapshot(&wd.path().join("out"));
        if status.success() {
            // It finished first: the new output is complete.
            assert_eq!(wd.rows("out/clusters.csv").len(), 200);
            assert!(now.contains_key(Path::new("summary.json")));
            break;
        }
        assert_eq!(
            now, old,
            "killed after {delay_ms} ms: the old output changed"
        );
    }
    // A later run to the same target clears the staging folders the killed
    // runs left behind (their processes are gone).
    wd.run(&["run", "in", "-o", "out", "--force", "-q"])
        .expect_code(0);
    let leftovers: Vec<String> = names(wd.path())
        .into_iter()
        .filter(|n| n.starts_with(".out.dedup-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A staging folder of a process that is gone is removed by the next run to
/// that target; one of a live process (a concurrent run) is left alone.
#[test]
fn stale_staging_folders_are_cleared_live_ones_kept() {
    let wd = Workdir::new();
    wd.write("in/a.txt", ARTICLE);
    // Above Linux's largest pid (2^22): no such process.
    wd.write(".out.dedup-tmp-99999999/clusters.csv", "partial");
    let live = format!(".out.dedup-tmp-{}", std::process::id());
    wd.write(&format!("{live}/clusters.csv"), "partial");
    wd.write(".other.dedup-tmp-99999999/clusters.csv", "another target");
    wd.run(&["run", "in", "-o", "out", "-q"]).expect_code(0);
    let left = names(wd.path());
    if Path::new("/proc/self").exists() {
        assert!(
            !left.contains(&".out.dedup-tmp-99999999".to_owned()),
            "{left:?}"
        );
    }
    assert!(left.contains(&live), "{left:?}");
    assert!(
        left.contains(&".other.dedup-tmp-99999999".to_owned()),
        "{left:?}"
    );
}

/// dedup never writes inside an input folder, however the output is named.
#[test]
fn issue6_never_writes_inside_inputs() {
    let wd = Workdir::new();
    bad_inputs(&wd, "in");
    wd.write("other/x.txt", ARTICLE);
    std::os::unix::fs::symlink(wd.path().join("in/enc"), wd.path().join("link-into-input"))
        .unwrap();
    let before = snapshot(&wd.path().join("in"));
    for out in [
        "in/out",
        "in/enc/out",
        "in/../in/out2",
        "link-into-input/out",
    ] {
        let run = wd.run(&["run", "other", "in", "-o", out]);
        run.expect_code(2);
        assert!(run.stderr().contains("inside input"), "{}", run.description);
    }
    wd.run(&["run", "in", "-o", "out", "--documents"])
        .expect_code(0);
    wd.run(&["run", "in", "-o", "out", "--force"])
        .expect_code(0);
    assert_eq!(snapshot(&wd.path().join("in")), before);
}

/// Every CSV file of an output folder, and summary.json without the fields
/// that describe the run rather than the data (time and threads).
fn output_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for name in names(dir) {
        let bytes = std::fs::read(dir.join(&name)).unwrap();
        if name == "summary.json" {
            let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let obj = v.as_object_mut().unwrap();
            for run_dependent in ["seconds", "threads", "timings"] {
                assert!(obj.remove(run_dependent).is_some(), "{run_dependent}");
            }
            out.insert(name, serde_json::to_vec(&v).unwrap());
        } else {
            out.insert(name, bytes);
        }
    }
    out
}

/// A mixed corpus: the sample (8 languages, copies), the record fixtures
/// and the bad inputs.
fn mixed_corpus(wd: &Workdir, rel: &str) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let dst = wd.path().join(rel).join("sample");
    for entry in walkdir::WalkDir::new(&sample) {
        let entry = entry.unwrap();
        let target = dst.join(entry.path().strip_prefix(&sample).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    wd.copy_fixture("records", &format!("{rel}/records"));
    wd.copy_fixture("copies", &format!("{rel}/copies"));
    bad_inputs(wd, &format!("{rel}/bad"));
}

#[test]
fn issue6_output_is_byte_identical_across_thread_counts() {
    let wd = Workdir::new();
    mixed_corpus(&wd, "in");
    let mut outputs = Vec::new();
    for (out, threads) in [
        ("d", None),
        ("j1", Some("1")),
        ("j2", Some("2")),
        ("j3", Some("3")),
    ] {
        let mut args = vec!["run", "in", "-o", out, "--documents", "-q"];
        if let Some(t) = threads {
            args.extend(["-j", t]);
        }
        wd.run(&args).expect_code(0);
        outputs.push((out, output_bytes(&wd.path().join(out))));
    }
    let (first, reference) = &outputs[0];
    assert!(reference.len() >= 6, "{:?}", reference.keys());
    for (name, other) in &outputs[1..] {
        for (file, bytes) in reference {
            assert!(
                other.get(file) == Some(bytes),
                "{file} differs between {first} and {name}"
            );
        }
    }
}

/// The same files created in opposite orders (so directory listings may come
/// back in different orders) give the same bytes.
#[test]
fn issue6_output_does_not_depend_on_file_system_order() {
    let wd = Workdir::new();
    mixed_corpus(&wd, "source");
    let files: Vec<(PathBuf, Vec<u8>)> = snapshot(&wd.path().join("source")).into_iter().collect();
    // Same folder name ("in") in both places: the top folder's name is the
    // source of files directly inside it.
    for (root, reverse) in [("a/in", false), ("b/in", true)] {
        let mut order: Vec<&(PathBuf, Vec<u8>)> = files.iter().collect();
        if reverse {
            order.reverse();
        }
        for (rel, bytes) in order {
            wd.write(&format!("{root}/{}", rel.display()), bytes);
        }
    }
    wd.run(&["run", "a/in", "-o", "out-a", "-q"]).expect_code(0);
    wd.run(&["run", "b/in", "-o", "out-b", "-q"]).expect_code(0);
    assert_eq!(
        output_bytes(&wd.path().join("out-a")),
        output_bytes(&wd.path().join("out-b"))
    );
}

/// Cells with newlines, quotes, commas, formula prefixes and odd Unicode
/// survive the trip through dedup's CSV, read back by the csv crate and, if
/// python3 is installed, by Python's csv module.
#[test]
fn issue6_csv_round_trips_through_csv_crate_and_python() {
    let wd = Workdir::new();
    let titles = [
        "Plain title",
        "Comma, inside",
        "Quote \"inside\" twice \"\"",
        "=HYPERLINK(\"http://x.example\",\"click\")",
        "+33 1 23 45 67 89",
        "-5 degrees overnight",
        "@mention at the start",
        "Tab\tinside",
        "Ünïcödé — “curly” ‘quotes’ 中文 العربية",
        "Trailing space ",
        "'apostrophe first",
    ];
    let mut jsonl = String::new();
    for (i, title) in titles.iter().enumerate() {
        let text = format!(
            "{title}\n\nStory {i}: {} Second line, with \"quotes\", commas; and =formula-like text.",
            ARTICLE.replace("October", &format!("month {i}"))
        );
        jsonl.push_str(
            &serde_json::json!({ "title": title, "text": text, "url": format!("https://n{i}.example/a,b\"c") })
                .to_string(),
        );
        jsonl.push('\n');
    }
    wd.write("in/feed.jsonl", &jsonl);
    for (out, raw) in [("safe", false), ("raw", true)] {
        let mut args = vec![
            "run",
            "in",
            "-o",
            out,
            "--documents",
            "--keep-boilerplate",
            "--punct",
            "keep",
        ];
        if raw {
            args.push("--raw-csv");
        }
        wd.run(&args).expect_code(0);
        let rows = wd.rows(&format!("{out}/documents.csv"));
        assert_eq!(rows.len(), titles.len());
        for (row, title) in rows.iter().zip(titles) {
            let got = if raw {
                row["title"].as_str()
            } else {
                dedup::output::unneutralize(&row["title"])
            };
            // Output text is normalized: tabs become spaces, ends trimmed.
            let want = dedup::normalize::Normalizer::new(dedup::normalize::NormalizeConfig {
                punct: dedup::normalize::PunctStyle::Keep,
            })
            .clean(title);
            assert_eq!(got, want, "{out}: {row:?}");
            assert!(row["text"].contains("\n\n"), "{out}: newlines kept");
            let first = row["title"].chars().next().unwrap_or(' ');
            if !raw {
                assert!(
                    !matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r'),
                    "{row:?}"
                );
            }
        }
        let urls: Vec<String> = wd
            .rows(&format!("{out}/clusters.csv"))
            .into_iter()
            .map(|r| r["url"].clone())
            .collect();
        assert_eq!(urls[3], "https://n3.example/a,b\"c");
        python_reads_back(&wd, out);
    }
}

/// Python's csv module reads every CSV file of `out` and gets the same cells
/// as the csv crate.
fn python_reads_back(wd: &Workdir, out: &str) {
    let probe = std::process::Command::new("python3")
        .arg("--version")
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED the Python csv round trip: python3 is not installed");
        return;
    }
    for file in [
        "clusters.csv",
        "articles.csv",
        "documents.csv",
        "removed.csv",
    ] {
        let path = wd.path().join(out).join(file);
        let script = "import csv, json, sys\n\
                      with open(sys.argv[1], newline='', encoding='utf-8') as f:\n\
                      \x20   json.dump(list(csv.reader(f, strict=True)), sys.stdout)\n";
        let py = std::process::Command::new("python3")
            .args(["-c", script])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            py.status.success(),
            "{}",
            String::from_utf8_lossy(&py.stderr)
        );
        let from_python: Vec<Vec<String>> = serde_json::from_slice(&py.stdout).unwrap();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(&path)
            .unwrap();
        let from_rust: Vec<Vec<String>> = rdr
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(from_python, from_rust, "{out}/{file}");
    }
}

#[test]
fn issue6_walk_reports_non_utf8_paths_exactly() {
    use std::os::unix::ffi::OsStrExt;
    let wd = Workdir::new();
    let dir = wd.path().join("in/caf\u{e9}-outlet");
    std::fs::create_dir_all(&dir).unwrap();
    let name = std::ffi::OsStr::from_bytes(b"r\xe9sum\xe9.txt");
    if std::fs::write(dir.join(name), ARTICLE).is_err() {
        eprintln!("SKIPPED: this file system refuses names that are not UTF-8");
        return;
    }
    let other = std::ffi::OsStr::from_bytes(b"r\xe8sum\xe8.txt");
    std::fs::write(dir.join(other), format!("{ARTICLE} Other.")).unwrap();
    // An unreadable entry (a dangling link) keeps its exact bytes too.
    let gone = std::ffi::OsStr::from_bytes(b"gon\xe9.txt");
    std::os::unix::fs::symlink("nowhere", dir.join(gone)).unwrap();
    let run = wd.run(&["run", "in", "-o", "out"]);
    run.expect_code(0);
    let rows = wd.rows("out/clusters.csv");
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["doc_id"].as_str(),
                r["path"].as_str(),
                r["path_bytes"].as_str(),
            )
        })
        .collect();
    // Sorted by bytes: \xe8 before \xe9. Both lossy names are the same, so
    // the second doc_id gets a suffix; path_bytes tells them apart.
    assert_eq!(
        got,
        vec![
            (
                "café-outlet/gon\u{FFFD}.txt",
                "café-outlet/gon\u{FFFD}.txt",
                "caf\\xc3\\xa9-outlet/gon\\xe9.txt"
            ),
            (
                "café-outlet/r\u{FFFD}sum\u{FFFD}.txt",
                "café-outlet/r\u{FFFD}sum\u{FFFD}.txt",
                "caf\\xc3\\xa9-outlet/r\\xe8sum\\xe8.txt"
            ),
            (
                "café-outlet/r\u{FFFD}sum\u{FFFD}.txt#2",
                "café-outlet/r\u{FFFD}sum\u{FFFD}.txt",
                "caf\\xc3\\xa9-outlet/r\\xe9sum\\xe9.txt"
            ),
        ],
        "{}",
        run.description
    );
    let status: Vec<&str> = rows.iter().map(|r| r["status"].as_str()).collect();
    assert_eq!(status, ["unreadable", "ok", "ok"]);
}

#[test]
fn issue6_walk_never_follows_a_symlink_loop() {
    use std::os::unix::fs::symlink;
    let wd = Workdir::new();
    wd.write("in/outlet/a.txt", ARTICLE);
    // A link back to an ancestor, a link to itself, a dangling link, and a
    // second link to a real file.
    symlink("..", wd.path().join("in/outlet/up")).unwrap();
    symlink("self.txt", wd.path().join("in/outlet/self.txt")).unwrap();
    symlink("nowhere.txt", wd.path().join("in/outlet/gone.txt")).unwrap();
    symlink("a.txt", wd.path().join("in/outlet/b.txt")).unwrap();
    let started = Instant::now();
    let run = wd.run(&["run", "in", "-o", "out", "--strict"]);
    assert!(started.elapsed() < Duration::from_secs(60));
    run.expect_code(1);
    let stderr = run.stderr();
    assert!(stderr.contains("symbolic link loop"), "{}", run.description);
    let rows = wd.rows("out/clusters.csv");
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["doc_id"].as_str(), r["status"].as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("outlet/a.txt", "ok"),
            ("outlet/b.txt", "ok"),
            ("outlet/gone.txt", "unreadable"),
            ("outlet/self.txt", "unreadable"),
        ],
        "{}",
        run.description
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wd.path().join("out/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["warnings"].as_array().unwrap().len(), 1);
}

/// Run dedup as the unprivileged user 65534 (`nobody`) through `setpriv`,
/// when this process is root: then chmod 000 means something again. `None`
/// when that is not possible here.
fn run_unprivileged(wd: &Workdir, args: &[&str]) -> Option<std::process::Output> {
    use std::os::unix::fs::PermissionsExt;
    let probe = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        return None;
    }
    // The scratch folder is private to root; let the user in.
    std::fs::set_permissions(wd.path(), std::fs::Permissions::from_mode(0o777)).ok()?;
    std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_dedup"))
        .args(args)
        .current_dir(wd.path())
        .output()
        .ok()
}

#[test]
fn issue6_walk_continues_past_folders_and_files_it_may_not_read() {
    use std::os::unix::fs::PermissionsExt;
    let wd = Workdir::new();
    wd.write("in/a-open/a.txt", ARTICLE);
    wd.write("in/b-closed/hidden.txt", ARTICLE);
    wd.write("in/c-open/locked.txt", ARTICLE);
    wd.write("in/c-open/z.txt", format!("{ARTICLE} Again."));
    // A FIFO with a text extension must not block the run.
    let fifo = std::process::Command::new("mkfifo")
        .arg(wd.path().join("in/c-open/pipe.txt"))
        .status()
        .is_ok_and(|s| s.success());
    let closed = wd.path().join("in/b-closed");
    let locked = wd.path().join("in/c-open/locked.txt");
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let args = ["run", "in", "-o", "out", "--strict"];
    // (exit code, stderr, whether permissions held for the run)
    let (code, stderr, enforced) = if permissions_are_enforced(wd.path()) {
        let run = wd.run(&args);
        (run.code(), run.stderr(), true)
    } else if let Some(out) = run_unprivileged(&wd, &args) {
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code().unwrap_or(-1), stderr, true)
    } else {
        let run = wd.run(&args);
        (run.code(), run.stderr(), false)
    };
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    let rows = wd.rows("out/clusters.csv");
    let status: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| (r["doc_id"].as_str(), r["status"].as_str()))
        .collect();
    assert_eq!(status["a-open/a.txt"], "ok", "{stderr}");
    assert_eq!(status["c-open/z.txt"], "ok");
    if fifo {
        assert!(stderr.contains("not a regular file"), "{stderr}");
        assert!(!status.contains_key("c-open/pipe.txt"));
    } else {
        eprintln!("SKIPPED the FIFO case: mkfifo is not available");
    }
    if enforced {
        assert_eq!(code, 1, "--strict with problems: {stderr}");
        assert_eq!(status["b-closed"], "unreadable", "{rows:?}");
        assert_eq!(status["c-open/locked.txt"], "unreadable");
        assert!(
            rows.iter()
                .any(|r| r["detail"].contains("ermission denied"))
        );
        assert!(!status.contains_key("b-closed/hidden.txt"));
    } else {
        eprintln!(
            "SKIPPED the unreadable folder and file assertions: this process ignores file \
             permissions (root) and cannot drop them with setpriv, so chmod 000 does not stop it"
        );
        assert_eq!(status["b-closed/hidden.txt"], "ok");
    }
    assert_eq!(rows.len(), 4);
}

#[test]
fn issue6_bad_inputs_fixture_is_documented() {
    // Every committed fixture file is in the expectation table, and the
    // description lists every generated one.
    let dir = fixture("bad_inputs");
    let doc = std::fs::read_to_string(fixture("bad_inputs.md")).unwrap();
    for (rel, _) in snapshot(&dir) {
        let rel = rel.to_string_lossy().into_owned();
        assert!(
            COMMITTED
                .iter()
                .any(|(id, _)| id.split(':').next() == Some(rel.as_str())),
            "{rel} has no expectation"
        );
        assert!(doc.contains(&format!("`{rel}`")), "{rel} is not described");
    }
    for g in generated_bad_inputs() {
        assert!(
            doc.contains(&format!("`{}`", g.name)),
            "{} is not described",
            g.name
        );
    }
}
