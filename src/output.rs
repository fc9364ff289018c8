//! Output: the CSV files and `summary.json`, written atomically.
//!
//! In: the run's processed documents and cluster assignments. Out: an output
//! folder holding `clusters.csv`, `articles.csv`, `removed.csv`,
//! `variants.csv`, `summary.json` and, on request, `documents.csv` and
//! `boilerplate.csv`.
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
//! - **Streaming.** Texts are read back from the run's spill files, block by
//!   block in document order; blocks are formatted in parallel and written
//!   in order, so memory stays bounded and the bytes do not depend on the
//!   thread count.

use std::borrow::Cow;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rayon::prelude::*;

use crate::pipeline::{Progress, RunConfig, RunResult, Summary};

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
    "status",
];

/// Column names of `documents.csv`.
pub const DOCUMENTS_HEADER: &[&str] =
    &["doc_id", "path", "cluster_id", "language", "title", "text"];

/// Column names of `removed.csv`.
pub const REMOVED_HEADER: &[&str] = &["doc_id", "path", "kind", "text"];

/// Column names of `boilerplate.csv` (with `--boilerplate-report`).
pub const BOILERPLATE_HEADER: &[&str] = &[
    "source",
    "documents",
    "articles",
    "words",
    "text",
    "example",
];

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
struct SafeWriter<W: Write> {
    wtr: csv::Writer<W>,
    raw: bool,
    row: Vec<String>,
}

/// A cell of a row: text (neutralized) or a number (written as it is).
enum Cell<'a> {
    Text(&'a str),
    Num(String),
}

impl<W: Write> SafeWriter<W> {
    fn new(out: W, raw: bool) -> SafeWriter<W> {
        SafeWriter {
            wtr: csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(out),
            raw,
            row: Vec::new(),
        }
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

    fn into_inner(mut self) -> anyhow::Result<W> {
        self.wtr.flush()?;
        self.wtr
            .into_inner()
            .map_err(|e| anyhow::anyhow!("{}", e.error()))
    }
}

/// An output file: its header is written at once, then blocks of rows.
struct OutFile {
    path: PathBuf,
    out: std::io::BufWriter<fs::File>,
}

impl OutFile {
    fn create(path: &Path, header: &[&str]) -> anyhow::Result<OutFile> {
        let file =
            fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        let mut wtr = csv::Writer::from_writer(Vec::new());
        wtr.write_record(header)?;
        out.write_all(
            &wtr.into_inner()
                .map_err(|e| anyhow::anyhow!("{}", e.error()))?,
        )
        .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(OutFile {
            path: path.to_path_buf(),
            out,
        })
    }

    fn append(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.out
            .write_all(bytes)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    fn finish(self) -> anyhow::Result<()> {
        let path = self.path;
        let file = self
            .out
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error()))?;
        file.sync_all()
            .with_context(|| format!("cannot write {}", path.display()))?;
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

/// The hidden folder beside the target where a run writes its output (and
/// its spill files) before moving it into place. Dropped without
/// [`Staging::commit`], it is removed: a failed run leaves no half output.
pub struct Staging {
    tmp: PathBuf,
    target: PathBuf,
    parent: PathBuf,
    name: String,
    committed: bool,
}

impl Staging {
    /// Check the target (see [`check_target`]) and create the staging folder.
    pub fn create(config: &RunConfig) -> anyhow::Result<Staging> {
        check_target(config)?;
        let target = config.output.clone();
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = target
            .file_name()
            .map_or_else(|| "dedup-out".into(), |n| n.to_string_lossy().into_owned());
        remove_stale_staging(&parent, &name);
        let tmp = parent.join(format!(".{name}.dedup-tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp)
                .with_context(|| format!("cannot remove stale {}", tmp.display()))?;
        }
        fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        Ok(Staging {
            tmp,
            target,
            parent,
            name,
            committed: false,
        })
    }

    /// The staging folder, where the output files are written.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Where the run's spill files go: inside the staging folder, so they
    /// are on the output's disk and vanish with it.
    pub fn spill_dir(&self) -> PathBuf {
        self.tmp.join(".spill")
    }

    /// Move the finished output into place.
    pub fn commit(mut self) -> anyhow::Result<()> {
        let spill = self.spill_dir();
        if spill.exists() {
            fs::remove_dir_all(&spill)
                .with_context(|| format!("cannot remove {}", spill.display()))?;
        }
        let (tmp, target) = (&self.tmp, &self.target);
        if target.exists() {
            // --force. Where the OS can swap two folders atomically, the
            // target holds a complete output (old, then new) at every
            // instant; `tmp` then holds the old output, removed below.
            if swap(tmp, target).is_ok() {
                self.committed = true;
                let _ = fs::remove_dir_all(tmp);
            } else {
                // Elsewhere, move the old output aside first, so that a
                // failure still leaves a complete folder at one of the two
                // names.
                let old =
                    self.parent
                        .join(format!(".{}.dedup-old-{}", self.name, std::process::id()));
                fs::rename(target, &old).with_context(|| {
                    format!("cannot move old output {} aside", target.display())
                })?;
                if let Err(e) = fs::rename(tmp, target) {
                    let _ = fs::rename(&old, target);
                    return Err(e)
                        .with_context(|| format!("cannot move output into {}", target.display()));
                }
                self.committed = true;
                let _ = fs::remove_dir_all(&old);
            }
        } else {
            fs::rename(tmp, target)
                .with_context(|| format!("cannot move output into {}", target.display()))?;
            self.committed = true;
        }
        // Make the rename itself durable; not every file system can sync a
        // folder, and the output is complete either way.
        if let Ok(dir) = fs::File::open(&self.parent) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// Remove the staging folders that killed runs (`kill -9`, power loss) left
/// beside this target: `.NAME.dedup-tmp-PID` whose process is gone. A folder
/// whose process still runs belongs to a concurrent run and stays; so does
/// every folder where liveness cannot be checked (no `/proc`), since a
/// leftover costs disk space and a wrong removal costs another run's output.
fn remove_stale_staging(parent: &Path, name: &str) {
    let proc_root = Path::new("/proc/self");
    if !proc_root.exists() {
        return;
    }
    let prefix = format!(".{name}.dedup-tmp-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = Path::new("/proc").join(pid.to_string()).exists();
        if !alive && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
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

/// Documents per block of output: formatted by one thread, written in order.
const BLOCK: usize = 1024;

/// The formatted rows of one block, per file.
#[derive(Default)]
struct BlockOut {
    clusters: Vec<u8>,
    articles: Vec<u8>,
    documents: Vec<u8>,
    removed: Vec<u8>,
}

/// Write every CSV file of the run into `dir`.
pub fn write_files(
    dir: &Path,
    config: &RunConfig,
    result: &RunResult,
    progress: &dyn Progress,
) -> anyhow::Result<()> {
    let assignments = &result.assignments;
    let n = result.docs.len();
    // Members of each cluster in document order (CSR: offsets into `members`).
    let clusters = assignments.iter().map(|a| a.cluster).max().unwrap_or(0) as usize;
    let mut offsets = vec![0usize; clusters + 2];
    for a in assignments {
        offsets[a.cluster as usize + 1] += 1;
    }
    for i in 1..offsets.len() {
        offsets[i] += offsets[i - 1];
    }
    let mut members = vec![0u32; n];
    let mut fill = offsets.clone();
    for (i, a) in assignments.iter().enumerate() {
        members[fill[a.cluster as usize]] = i as u32;
        fill[a.cluster as usize] += 1;
    }
    drop(fill);
    let index = ClusterIndex { offsets, members };

    let mut files = vec![
        OutFile::create(&dir.join("clusters.csv"), CLUSTERS_HEADER)?,
        OutFile::create(&dir.join("articles.csv"), ARTICLES_HEADER)?,
    ];
    if config.write_documents {
        files.push(OutFile::create(
            &dir.join("documents.csv"),
            DOCUMENTS_HEADER,
        )?);
    }
    files.push(OutFile::create(&dir.join("removed.csv"), REMOVED_HEADER)?);
    progress.start("writing", n as u64);
    let blocks = n.div_ceil(BLOCK);
    let window = rayon::current_num_threads().max(1) * 4;
    for first in (0..blocks).step_by(window) {
        let outs: Vec<anyhow::Result<BlockOut>> = (first..(first + window).min(blocks))
            .into_par_iter()
            .map(|b| format_block(b * BLOCK..((b + 1) * BLOCK).min(n), config, result, &index))
            .collect();
        for out in outs {
            let out = out?;
            let mut f = files.iter_mut();
            let mut next = || f.next().context("output file list");
            next()?.append(&out.clusters)?;
            next()?.append(&out.articles)?;
            if config.write_documents {
                next()?.append(&out.documents)?;
            }
            next()?.append(&out.removed)?;
        }
        progress
            .advance(((first + window).min(blocks) * BLOCK).min(n) as u64 - (first * BLOCK) as u64);
    }
    progress.finish();
    for f in files {
        f.finish()?;
    }
    let mut variants = OutFile::create(&dir.join("variants.csv"), VARIANTS_HEADER)?;
    let mut rows = SafeWriter::new(Vec::new(), config.raw_csv);
    for v in &result.variants {
        rows.write(&[
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
    variants.append(&rows.into_inner()?)?;
    variants.finish()?;
    if config.boilerplate_report {
        let mut report = OutFile::create(&dir.join("boilerplate.csv"), BOILERPLATE_HEADER)?;
        let mut rows = SafeWriter::new(Vec::new(), config.raw_csv);
        for row in &result.boilerplate_report {
            rows.write(&[
                Cell::Text(&row.source),
                num(row.documents),
                num(row.articles),
                num(crate::boilerplate::approx_words(&row.text)),
                Cell::Text(&row.text),
                Cell::Text(&row.example),
            ])?;
        }
        report.append(&rows.into_inner()?)?;
        report.finish()?;
    }
    Ok(())
}

/// Write `summary.json` into `dir`.
pub fn write_summary(dir: &Path, summary: &Summary) -> anyhow::Result<()> {
    let json = serde_json::to_string_pretty(summary)?;
    let mut file =
        fs::File::create(dir.join("summary.json")).context("cannot write summary.json")?;
    file.write_all((json + "\n").as_bytes())
        .and_then(|()| file.sync_all())
        .context("cannot write summary.json")
}

/// The members of each cluster, in document order.
struct ClusterIndex {
    offsets: Vec<usize>,
    members: Vec<u32>,
}

impl ClusterIndex {
    fn members(&self, cluster: u32) -> &[u32] {
        let c = cluster as usize;
        &self.members[self.offsets[c]..self.offsets[c + 1]]
    }
}

fn format_block(
    range: std::ops::Range<usize>,
    config: &RunConfig,
    result: &RunResult,
    index: &ClusterIndex,
) -> anyhow::Result<BlockOut> {
    let raw = config.raw_csv;
    let docs = &result.docs;
    let assignments = &result.assignments;
    let mut clusters = SafeWriter::new(Vec::new(), raw);
    let mut articles = SafeWriter::new(Vec::new(), raw);
    let mut documents = SafeWriter::new(Vec::new(), raw);
    let mut removed = SafeWriter::new(Vec::new(), raw);
    let mut buf = Vec::new();
    let read_error = || "cannot read back a document's text from the scratch files";
    for i in range {
        let doc = &docs[i];
        let a = &assignments[i];
        let rep = &docs[a.representative as usize];
        let m = &doc.meta;
        let own = result.text(i, &mut buf).with_context(read_error)?;
        let date = m.date.clone().unwrap_or_default();
        let status = m.status.to_string();
        let members = index.members(a.cluster);
        clusters.write(&[
            Cell::Text(&m.doc_id),
            Cell::Text(&m.path),
            num(a.cluster),
            num(members.len()),
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
            Cell::Text(&own.title),
            Cell::Text(&own.url),
            Cell::Text(m.encoding),
            num(doc.chars_raw),
            num(doc.chars_clean),
            num(doc.removed_spans),
            Cell::Text(&m.status.detail),
            Cell::Text(m.path_bytes.as_deref().unwrap_or("")),
            num(doc.variants),
        ])?;
        // A cluster's article row comes with its first document, so the rows
        // are in cluster order. Clusters whose representative could not be
        // read have no text to offer and no article.
        if members.first() == Some(&(i as u32)) && rep.meta.status.is_ok() {
            let rep_text = if a.representative as usize == i {
                None
            } else {
                Some(
                    result
                        .text(a.representative as usize, &mut buf)
                        .with_context(read_error)?,
                )
            };
            let text = rep_text.as_ref().unwrap_or(&own);
            let earliest = members
                .iter()
                .filter_map(|&j| docs[j as usize].meta.date.as_deref())
                .min()
                .unwrap_or("");
            let mut sources: Vec<&str> = members
                .iter()
                .map(|&j| docs[j as usize].meta.source.as_str())
                .filter(|s| !s.is_empty())
                .collect();
            sources.sort_unstable();
            sources.dedup();
            let ids: Vec<&str> = members
                .iter()
                .map(|&j| docs[j as usize].meta.doc_id.as_str())
                .collect();
            let (sources, ids) = (sources.join("|"), ids.join("|"));
            // The representative's status, so that an analyst can drop the
            // rows that are not articles (`wall`, `too-short`) by one column.
            let rep_status = rep.meta.status.to_string();
            articles.write(&[
                num(a.cluster),
                Cell::Text(&rep.meta.doc_id),
                Cell::Text(&rep.meta.path),
                num(members.len()),
                Cell::Text(&rep.language),
                Cell::Text(earliest),
                Cell::Text(&rep.meta.source),
                Cell::Text(&text.title),
                Cell::Text(&text.text),
                Cell::Text(&sources),
                Cell::Text(&ids),
                Cell::Text(&rep_status),
            ])?;
        }
        {
            let text = &own;
            if config.write_documents {
                documents.write(&[
                    Cell::Text(&m.doc_id),
                    Cell::Text(&m.path),
                    num(a.cluster),
                    Cell::Text(&doc.language),
                    Cell::Text(&text.title),
                    Cell::Text(&text.text),
                ])?;
            }
            for r in &text.removals {
                removed.write(&[
                    Cell::Text(&m.doc_id),
                    Cell::Text(&m.path),
                    Cell::Text(&r.kind),
                    Cell::Text(&r.text),
                ])?;
            }
        }
    }
    Ok(BlockOut {
        clusters: clusters.into_inner()?,
        articles: articles.into_inner()?,
        documents: documents.into_inner()?,
        removed: removed.into_inner()?,
    })
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
