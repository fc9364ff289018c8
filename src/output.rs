//! Output: the CSV files and `summary.json`, written atomically.
//!
//! In: the run's processed documents and cluster assignments. Out: an output
//! folder holding `clusters.csv`, `articles.csv`, `removed.csv`,
//! `variants.csv`, `summary.json` and, on request, `documents.csv`.
//!
//! This module is the one place that writes files. Its promises:
//! - **Atomic.** Everything is written into a hidden temporary folder beside
//!   the target and renamed into place only when every file is complete and
//!   flushed. An interrupted run leaves the old output or none, never a
//!   half-written CSV. An existing folder is replaced only with `--force`;
//!   on Linux the old and new folders are then exchanged atomically
//!   (`renameat2` with `RENAME_EXCHANGE`), so the target always holds one
//!   complete output. Files and the rename are synced to disk.
//! - **Safe to open.** A text cell that a spreadsheet would run as a formula
//!   (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
//!   leading apostrophe, as OWASP advises against CSV injection. Numeric
//!   columns are written as numbers and never touched. `--raw-csv` turns
//!   this off.
//! - **RFC 4180.** The csv crate quotes fields with commas, quotes and
//!   newlines; writers are flushed explicitly so errors are not lost in Drop.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::pipeline::{RunConfig, RunResult};

/// Column names of `clusters.csv`. Columns may be added, never renamed.
pub const CLUSTERS_HEADER: &[&str] = &[
    "doc_id",
    "path",
    "cluster_id",
    "cluster_size",
    "is_representative",
    "similarity",
    "language",
    "status",
    "representative",
    "jaccard",
    "containment",
    "estimate",
    "date",
    "source",
    "title",
    "url",
    "encoding",
    "chars_raw",
    "chars_clean",
    "removed_spans",
    "detail",
    "path_bytes",
    "variants",
];

/// Column names of `articles.csv`.
pub const ARTICLES_HEADER: &[&str] = &[
    "cluster_id",
    "doc_id",
    "path",
    "copies",
    "language",
    "date",
    "source",
    "title",
    "text",
    "sources",
    "members",
];

/// Column names of `documents.csv`.
pub const DOCUMENTS_HEADER: &[&str] =
    &["doc_id", "path", "cluster_id", "language", "title", "text"];

/// Column names of `removed.csv`.
pub const REMOVED_HEADER: &[&str] = &["doc_id", "path", "kind", "text"];

/// Column names of `variants.csv`.
pub const VARIANTS_HEADER: &[&str] = &[
    "variant",
    "canonical",
    "count",
    "rule",
    "lang",
    "applied",
    "documents",
    "detail",
];

/// Make a text cell safe to open in a spreadsheet (see the module docs).
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Undo [`neutralize`], for tools that read dedup's own output back.
pub fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest)
            if matches!(
                rest.as_bytes().first(),
                Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
            ) =>
        {
            rest
        }
        _ => cell,
    }
}

/// A CSV writer that neutralizes text cells unless told not to.
struct SafeWriter {
    wtr: csv::Writer<fs::File>,
    raw: bool,
    row: Vec<String>,
}

/// A cell of a row: text (neutralized) or a number (written as it is).
enum Cell<'a> {
    Text(&'a str),
    Num(String),
}

impl SafeWriter {
    fn create(path: &Path, header: &[&str], raw: bool) -> anyhow::Result<SafeWriter> {
        let file =
            fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut wtr = csv::WriterBuilder::new().from_writer(file);
        wtr.write_record(header)?;
        Ok(SafeWriter {
            wtr,
            raw,
            row: Vec::new(),
        })
    }

    fn write(&mut self, cells: &[Cell<'_>]) -> anyhow::Result<()> {
        self.row.clear();
        for cell in cells {
            self.row.push(match cell {
                Cell::Text(s) if self.raw => (*s).to_owned(),
                Cell::Text(s) => neutralize(s).into_owned(),
                Cell::Num(n) => n.clone(),
            });
        }
        self.wtr.write_record(&self.row)?;
        Ok(())
    }

    fn finish(mut self) -> anyhow::Result<()> {
        self.wtr.flush()?;
        let file = self
            .wtr
            .into_inner()
            .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
        file.sync_all()?;
        Ok(())
    }
}

fn num(x: impl ToString) -> Cell<'static> {
    Cell::Num(x.to_string())
}

/// A similarity with four decimals, enough to read and stable to compare.
fn sim(x: f64) -> Cell<'static> {
    Cell::Num(format!("{x:.4}"))
}

/// Refuse an output folder that exists (without `--force`) or that sits
/// inside an input folder. Called before any work, so a mistake costs nothing.
pub fn check_target(config: &RunConfig) -> anyhow::Result<()> {
    let target = absolute(&config.output);
    for input in &config.inputs {
        let input = absolute(input);
        if input.is_dir() && target.starts_with(&input) {
            bail!(
                "output folder {} is inside input folder {}; dedup never writes into its inputs",
                config.output.display(),
                input.display()
            );
        }
    }
    if config.output.exists() && !config.force {
        bail!(
            "output folder {} already exists; pass --force to replace it",
            config.output.display()
        );
    }
    if config.output.exists() && !config.output.is_dir() {
        bail!(
            "output path {} exists and is not a folder",
            config.output.display()
        );
    }
    probe_writable(&config.output)
}

/// Fail now, not after the work, when the output folder cannot be created:
/// find the nearest existing ancestor of its parent and create (then remove)
/// a probe folder in it. Leaves nothing behind.
fn probe_writable(target: &Path) -> anyhow::Result<()> {
    let name = target
        .file_name()
        .map_or_else(|| "dedup-out".into(), |n| n.to_string_lossy().into_owned());
    let mut dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    loop {
        match fs::metadata(&dir) {
            Ok(meta) if meta.is_dir() => break,
            Ok(_) => bail!(
                "cannot create output folder {}: {} is not a folder",
                target.display(),
                dir.display()
            ),
            Err(_) => match dir.parent() {
                Some(p) if !p.as_os_str().is_empty() => dir = p.to_path_buf(),
                _ => {
                    dir = PathBuf::from(".");
                    break;
                }
            },
        }
    }
    let probe = dir.join(format!(".{name}.dedup-probe-{}", std::process::id()));
    fs::create_dir(&probe).with_context(|| {
        format!(
            "cannot create output folder {}: {} is not writable",
            target.display(),
            dir.display()
        )
    })?;
    fs::remove_dir(&probe).with_context(|| format!("cannot remove {}", probe.display()))?;
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    // The output folder may not exist yet: resolve its parent.
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// Write every output file into a temporary folder, then move it into place.
pub fn write(config: &RunConfig, result: &mut RunResult) -> anyhow::Result<()> {
    check_target(config)?;
    let target = &config.output;
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = target
        .file_name()
        .map_or_else(|| "dedup-out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{name}.dedup-tmp-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp)
            .with_context(|| format!("cannot remove stale {}", tmp.display()))?;
    }
    fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let written = write_files(&tmp, config, result);
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if target.exists() {
        // --force. Where the OS can swap two folders atomically, the target
        // holds a complete output (old, then new) at every instant.
        if swap(&tmp, target).is_ok() {
            // `tmp` now holds the old output. Failing to remove it does not
            // make the new output less complete: warn, do not fail.
            if let Err(e) = fs::remove_dir_all(&tmp) {
                result.summary.warnings.push(format!(
                    "cannot remove the old output, now at {}: {e}",
                    tmp.display()
                ));
            }
        } else {
            // Elsewhere, move the old output aside first, so that a failure
            // still leaves a complete folder at one of the two names.
            let old = parent.join(format!(".{name}.dedup-old-{}", std::process::id()));
            fs::rename(target, &old)
                .with_context(|| format!("cannot move old output {} aside", target.display()))?;
            if let Err(e) = fs::rename(&tmp, target) {
                let _ = fs::rename(&old, target);
                let _ = fs::remove_dir_all(&tmp);
                return Err(e)
                    .with_context(|| format!("cannot move output into {}", target.display()));
            }
            if let Err(e) = fs::remove_dir_all(&old) {
                result.summary.warnings.push(format!(
                    "cannot remove the old output, now at {}: {e}",
                    old.display()
                ));
            }
        }
    } else {
        fs::rename(&tmp, target)
            .with_context(|| format!("cannot move output into {}", target.display()))?;
    }
    // Make the rename itself durable; not every file system can sync a
    // folder, and the output is complete either way.
    if let Ok(dir) = fs::File::open(&parent) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Exchange two folders atomically (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// No atomic exchange here: the caller falls back to two renames.
#[cfg(not(target_os = "linux"))]
fn swap(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

fn write_files(dir: &Path, config: &RunConfig, result: &RunResult) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let raw = config.raw_csv;
    let docs = &result.docs;
    let assignments = &result.assignments;

    let mut members: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, a) in assignments.iter().enumerate() {
        members.entry(a.cluster).or_default().push(i);
    }

    let mut wtr = SafeWriter::create(&dir.join("clusters.csv"), CLUSTERS_HEADER, raw)?;
    for (i, (doc, a)) in docs.iter().zip(assignments).enumerate() {
        let rep = &docs[a.representative as usize];
        let m = &doc.meta;
        let date = m.date.clone().unwrap_or_default();
        let status = m.status.to_string();
        wtr.write(&[
            Cell::Text(&m.doc_id),
            Cell::Text(&m.path),
            num(a.cluster),
            num(members[&a.cluster].len()),
            Cell::Num((a.representative as usize == i).to_string()),
            sim(a.similarity),
            Cell::Text(&doc.language),
            Cell::Text(&status),
            Cell::Text(&rep.meta.doc_id),
            sim(a.jaccard),
            sim(a.containment),
            sim(a.estimate),
            Cell::Text(&date),
            Cell::Text(&m.source),
            Cell::Text(&m.title),
            Cell::Text(&m.url),
            Cell::Text(&m.encoding),
            num(doc.chars_raw),
            num(doc.chars_clean),
            num(doc.removals.len()),
            Cell::Text(&m.status.detail),
            Cell::Text(m.path_bytes.as_deref().unwrap_or("")),
            num(doc.variants),
        ])?;
    }
    wtr.finish()?;

    let mut wtr = SafeWriter::create(&dir.join("articles.csv"), ARTICLES_HEADER, raw)?;
    for (cluster, idxs) in &members {
        let rep_idx = assignments[idxs[0]].representative as usize;
        let rep = &docs[rep_idx];
        if !rep.meta.status.is_ok() {
            // No text to offer: problems are listed in clusters.csv only.
            continue;
        }
        let earliest = idxs
            .iter()
            .filter_map(|&i| docs[i].meta.date.as_deref())
            .min()
            .unwrap_or("");
        let mut sources: Vec<&str> = idxs
            .iter()
            .map(|&i| docs[i].meta.source.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        sources.sort_unstable();
        sources.dedup();
        let ids: Vec<&str> = idxs.iter().map(|&i| docs[i].meta.doc_id.as_str()).collect();
        let (sources, ids) = (sources.join("|"), ids.join("|"));
        wtr.write(&[
            num(cluster),
            Cell::Text(&rep.meta.doc_id),
            Cell::Text(&rep.meta.path),
            num(idxs.len()),
            Cell::Text(&rep.language),
            Cell::Text(earliest),
            Cell::Text(&rep.meta.source),
            Cell::Text(&rep.meta.title),
            Cell::Text(&rep.text),
            Cell::Text(&sources),
            Cell::Text(&ids),
        ])?;
    }
    wtr.finish()?;

    if config.write_documents {
        let mut wtr = SafeWriter::create(&dir.join("documents.csv"), DOCUMENTS_HEADER, raw)?;
        for (doc, a) in docs.iter().zip(assignments) {
            wtr.write(&[
                Cell::Text(&doc.meta.doc_id),
                Cell::Text(&doc.meta.path),
                num(a.cluster),
                Cell::Text(&doc.language),
                Cell::Text(&doc.meta.title),
                Cell::Text(&doc.text),
            ])?;
        }
        wtr.finish()?;
    }

    let mut wtr = SafeWriter::create(&dir.join("removed.csv"), REMOVED_HEADER, raw)?;
    for doc in docs {
        for r in &doc.removals {
            wtr.write(&[
                Cell::Text(&doc.meta.doc_id),
                Cell::Text(&doc.meta.path),
                Cell::Text(&r.kind),
                Cell::Text(&r.text),
            ])?;
        }
    }
    wtr.finish()?;

    let mut wtr = SafeWriter::create(&dir.join("variants.csv"), VARIANTS_HEADER, raw)?;
    for v in &result.variants {
        wtr.write(&[
            Cell::Text(&v.variant),
            Cell::Text(&v.canonical),
            num(v.count),
            Cell::Text(v.rule.as_str()),
            Cell::Text(&v.lang),
            Cell::Num(v.applied.to_string()),
            num(v.documents),
            Cell::Text(&v.detail),
        ])?;
    }
    wtr.finish()?;

    // The summary is written last, so it can hold the time the CSVs took.
    let mut summary = result.summary.clone();
    summary.timings.output = started.elapsed().as_secs_f64();
    summary.seconds += summary.timings.output;
    summary.timings.normalize_share =
        crate::pipeline::normalize_share(&summary.timings, summary.seconds);
    let json = serde_json::to_string_pretty(&summary)?;
    let mut file =
        fs::File::create(dir.join("summary.json")).context("cannot write summary.json")?;
    std::io::Write::write_all(&mut file, (json + "\n").as_bytes())
        .and_then(|()| file.sync_all())
        .context("cannot write summary.json")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells() {
        let cases = [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+33 1 23", "'+33 1 23"),
            ("-5 degrees", "'-5 degrees"),
            ("@user", "'@user"),
            ("\tindent", "'\tindent"),
            ("\rcr", "'\rcr"),
            ("plain", "plain"),
            ("", ""),
            ("'quoted", "'quoted"),
        ];
        for (cell, want) in cases {
            assert_eq!(neutralize(cell), want, "{cell:?}");
            assert_eq!(unneutralize(&neutralize(cell)), cell, "{cell:?}");
        }
    }
}
