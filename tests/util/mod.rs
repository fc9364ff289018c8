//! Test helpers: run the real `dedup` binary in a scratch folder and read
//! its CSV output back as rows. On failure, the panic message carries the
//! command, its stdout and stderr, and the folder listing.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch folder that is removed when the test ends.
pub struct Workdir {
    dir: tempfile::TempDir,
}

/// The result of one run of the binary.
pub struct Run {
    pub output: Output,
    pub description: String,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Panic with the full context unless the exit code is `want`.
    pub fn expect_code(&self, want: i32) -> &Run {
        assert_eq!(self.code(), want, "exit code\n{}", self.description);
        self
    }
}

/// One CSV row as a map from column name to value.
pub type Row = BTreeMap<String, String>;

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("cannot create a scratch folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write `contents` to `rel`, creating folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Copy a fixture folder from `tests/data/<name>` to `rel`.
    pub fn copy_fixture(&self, name: &str, rel: &str) -> PathBuf {
        let src = fixture(name);
        let dst = self.path().join(rel);
        copy_tree(&src, &dst);
        dst
    }

    /// Run `dedup` with `args` in this folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, None)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&[u8]>) -> Run {
        use std::io::Write;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dedup"));
        cmd.args(args).current_dir(self.path());
        cmd.stdin(std::process::Stdio::piped());
        cmd.stdout(std::process::Stdio::piped());
        cmd.stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("cannot start dedup");
        {
            let mut pipe = child.stdin.take().unwrap();
            if let Some(bytes) = stdin {
                // A command may exit before it reads stdin (a usage error).
                if let Err(e) = pipe.write_all(bytes) {
                    assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
                }
            }
        }
        let output = child.wait_with_output().unwrap();
        let description = format!(
            "command: dedup {}\nfolder: {}\nfiles:\n{}\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            self.path().display(),
            self.listing(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
        Run {
            output,
            description,
        }
    }

    /// Every file under the folder, one per line.
    pub fn listing(&self) -> String {
        let mut out = String::new();
        for entry in walkdir::WalkDir::new(self.path()).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(self.path()).unwrap();
                out.push_str(&format!("  {}\n", rel.display()));
            }
        }
        out
    }

    /// Read `rel` (a CSV file) as rows.
    pub fn rows(&self, rel: &str) -> Vec<Row> {
        read_rows(&self.path().join(rel))
    }

    /// The header of the CSV file `rel`.
    pub fn header(&self, rel: &str) -> Vec<String> {
        let mut rdr = csv::Reader::from_path(self.path().join(rel)).unwrap();
        rdr.headers().unwrap().iter().map(str::to_owned).collect()
    }
}

/// The path of a fixture under `tests/data`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Read a CSV file as rows keyed by column name.
pub fn read_rows(path: &Path) -> Vec<Row> {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_owned).collect();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn copy_tree(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Pairwise precision and recall of `predicted` clusters against `gold`,
/// both keyed by doc_id.
pub fn pairwise(
    gold: &BTreeMap<String, String>,
    predicted: &BTreeMap<String, String>,
) -> (f64, f64, Vec<String>) {
    let ids: Vec<&String> = gold.keys().collect();
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut notes = Vec::new();
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            let g = gold[*a] == gold[*b];
            let p = predicted.get(*a).is_some() && predicted.get(*a) == predicted.get(*b);
            match (g, p) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    notes.push(format!("false merge: {a} + {b}"));
                }
                (true, false) => {
                    fn_ += 1;
                    notes.push(format!("missed: {a} + {b}"));
                }
                (false, false) => {}
            }
        }
    }
    let precision = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if tp + fn_ == 0 {
        1.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    (precision, recall, notes)
}
