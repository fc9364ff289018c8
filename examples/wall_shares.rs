//! Print the wall share of every text file under the given folders: the
//! share of its words that consent banners, bot checks, registration forms
//! and paywalls take (`boilerplate::WALL_SHARE` and up is a `wall` page).
//!
//! In: folders (or files) of `.txt` documents, read and cleaned as
//! `dedup run` reads and cleans them. Out: one line per document that
//! holds a wall phrase, `share<TAB>path`, highest first, on stdout.
//! `bench/walls.py` runs it on real pages to measure the threshold; it is
//! an example rather than a subcommand because only that measurement needs
//! the share of pages below the line.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use dedup::boilerplate::{Input, Lexicon, Model};
use dedup::normalize::Normalizer;
use dedup::pipeline::{self, RunConfig};

fn main() -> anyhow::Result<()> {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    anyhow::ensure!(!roots.is_empty(), "usage: wall_shares DIR...");
    let model = Model::lexicon_only(Lexicon::builtin()?);
    let normalizer = Normalizer::new(RunConfig::new(Vec::new(), PathBuf::new()).normalize);
    let mut files = Vec::new();
    for root in &roots {
        collect(root, &mut files).with_context(|| format!("{}", root.display()))?;
    }
    files.sort();
    let mut rows = Vec::new();
    for path in &files {
        let raw = match pipeline::read_record(path, None) {
            Ok(raw) => raw,
            Err(e) => {
                eprintln!("{}: {e:#}", path.display());
                continue;
            }
        };
        let mut doc = pipeline::clean_text(raw, &normalizer);
        pipeline::identify_language(&mut doc);
        let input = Input {
            source: "",
            language: &doc.language,
            text: &doc.text,
        };
        let share = model.find(0, &input).wall;
        if share > 0.0 {
            rows.push((share, path.display().to_string()));
        }
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    for (share, path) in rows {
        println!("{share:.3}\t{path}");
    }
    Ok(())
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            collect(&entry?.path(), out)?;
        }
    } else if path.extension().is_some_and(|e| e == "txt") {
        out.push(path.to_path_buf());
    }
    Ok(())
}
