//! Explain: why two documents were, or were not, put together.
//!
//! In: either a run's output folder and two of its documents (by `doc_id` or
//! path), or two files. Out: an [`Explanation`]: the MinHash estimate and the
//! exact Jaccard similarity and containment, whether their figures agree,
//! whether banding proposes the pair, the verdict of the copy rule, the
//! longest spans of text the two share, and which boilerplate cuts and name
//! variants touched each document.
//!
//! With an output folder, the texts compared are the run's own cleaned texts
//! when it has them (`documents.csv`, written with `--documents`, or
//! `articles.csv` for a representative). Otherwise the document is read from
//! its input again and cleaned the same way, except for what the run learned
//! from the whole corpus (give the run's inputs with `--input`); the
//! explanation says so. The similarity settings
//! are the run's (from `summary.json`). With two files, both are read and
//! cleaned with the default settings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::cluster::{ClusterConfig, PairScore, Sketch, TitleWeights};
use crate::minhash::{self, LshConfig, Signer};
use crate::normalize::{Keyed, match_key};
use crate::output::unneutralize;
use crate::pipeline::{self, RunConfig};
use crate::shingle::{self, ShingleConfig, Shingler};

/// Where a document's compared text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextSource {
    /// The run's `documents.csv`: exactly what the run compared.
    Documents,
    /// The run's `articles.csv` (the document is a representative).
    Articles,
    /// Read from the input again and cleaned without corpus-learned models.
    Input,
}

/// One document's side of an explanation.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Side {
    /// `doc_id` in the run, or the file as given.
    pub id: String,
    pub path: String,
    pub language: String,
    pub status: String,
    /// From `clusters.csv`, when explaining a run.
    pub cluster: Option<String>,
    pub representative: Option<String>,
    /// The document's title, if it has one.
    pub title: String,
    pub text_source: Option<TextSource>,
    pub chars: usize,
    pub tokens: usize,
    pub shingles: usize,
    pub figures: usize,
    /// Whether the document takes part in clustering at all.
    pub comparable: bool,
    /// Boilerplate cuts: (rule, text).
    pub removed: Vec<(String, String)>,
    /// Name variants that touched it: (variant, canonical, rule).
    pub variants: Vec<(String, String, String)>,
    #[serde(skip)]
    text: String,
}

/// A stretch of text both documents contain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SharedSpan {
    /// Shingles in the run.
    pub shingles: usize,
    /// The span as it reads in document A.
    pub text: String,
}

/// Everything `dedup explain` reports.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Explanation {
    pub a: Side,
    pub b: Side,
    pub estimate: f64,
    pub jaccard: f64,
    pub containment: f64,
    pub containment_applies: bool,
    /// Share of the smaller set of figures found in the other document, when
    /// both have enough figures to judge.
    pub figures: Option<f64>,
    pub is_copy: bool,
    /// Bands (of the whole texts and prefixes) in which the two agree: the
    /// pair is proposed to the exact check when this is not zero.
    pub agreeing_bands: usize,
    /// The verdict in words.
    pub verdict: Vec<String>,
    /// Same cluster in the run, when explaining a run.
    pub same_cluster: Option<bool>,
    /// Share of each document's tokens inside a shared span.
    pub shared_a: f64,
    pub shared_b: f64,
    pub spans: Vec<SharedSpan>,
    /// Notes about how the explanation was made.
    pub notes: Vec<String>,
}

/// The similarity settings a run used.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    pub shingle: ShingleConfig,
    pub lsh: LshConfig,
    pub cluster: ClusterConfig,
}

/// Explain two documents of the run written to `out`.
pub fn explain_run(
    out: &Path,
    inputs: &[PathBuf],
    a: &str,
    b: &str,
    spans: usize,
) -> anyhow::Result<Explanation> {
    let mut run = RunFolder::open(out)?;
    run.inputs = inputs.to_vec();
    let settings = run.settings();
    let mut notes = Vec::new();
    let mut sides = Vec::new();
    // Both names first, so a wrong one is reported before any reading.
    let rows = [run.find(a)?, run.find(b)?];
    for row in rows {
        let (text, source) = run.text(&row, &mut notes)?;
        let removed = run.removed(&row.doc_id)?;
        let mut side = Side {
            id: row.doc_id.clone(),
            path: row.path.clone(),
            language: row.language.clone(),
            status: row.status.clone(),
            cluster: Some(row.cluster.clone()),
            representative: Some(row.representative.clone()),
            title: row.title.clone(),
            text_source: Some(source),
            removed,
            text,
            ..Side::default()
        };
        side.variants = run.variants_in(&side.text, run.input_text(&row).as_deref())?;
        sides.push(side);
    }
    // Title words weigh what they weighed in the run: their rarity among
    // the titles `clusters.csv` shows, which are the ones the run counted.
    let mut titles = TitleWeights::default();
    let mut words = Vec::new();
    for row in &run.rows {
        crate::shingle::title_words(&row.title, &mut words);
        titles.add(&words);
    }
    let (sa, sb) = (sides.remove(0), sides.remove(0));
    let same = sa.cluster == sb.cluster;
    let mut e = compare(sa, sb, &settings, &titles, spans);
    e.same_cluster = Some(same);
    e.notes.extend(notes);
    e.verdict.push(cluster_reason(&e, same));
    Ok(e)
}

/// Explain two files, cleaned with the default settings.
pub fn explain_files(a: &Path, b: &Path, spans: usize) -> anyhow::Result<Explanation> {
    let config = RunConfig::new(vec![a.to_path_buf(), b.to_path_buf()], PathBuf::new());
    let models = pipeline::CorpusModels::alone(&config)?;
    let mut sides = Vec::new();
    for path in [a, b] {
        let doc = pipeline::prepare_file(path, &config, &models)?;
        sides.push(Side {
            id: path.display().to_string(),
            path: doc.meta.path.clone(),
            language: doc.language.clone(),
            status: doc.meta.status.to_string(),
            title: doc.meta.title.clone(),
            removed: doc
                .removals
                .iter()
                .map(|r| (r.kind.clone(), r.text.clone()))
                .collect(),
            text: doc.text,
            ..Side::default()
        });
    }
    let settings = Settings {
        shingle: config.shingle,
        lsh: config.lsh,
        cluster: config.cluster,
    };
    let (sa, sb) = (sides.remove(0), sides.remove(0));
    let mut e = compare(sa, sb, &settings, &TitleWeights::uniform(), spans);
    e.notes.push(
        "files cleaned alone: boilerplate learned from a corpus and corpus-wide name variants do not apply".to_owned(),
    );
    Ok(e)
}

/// Compare two cleaned texts under `settings`.
fn compare(
    mut a: Side,
    mut b: Side,
    settings: &Settings,
    titles: &TitleWeights,
    spans: usize,
) -> Explanation {
    let mut shingler = Shingler::default();
    let mut signer = Signer::default();
    let lsh = &settings.lsh;
    let mut sketches = Vec::new();
    let mut keys = Vec::new();
    for side in [&mut a, &mut b] {
        let key = match_key(&side.text);
        let s = shingler.shingle(&key, &settings.shingle);
        side.chars = side.text.chars().count();
        side.tokens = s.tokens;
        side.shingles = s.hashes.len();
        side.figures = s.numbers.len();
        side.comparable = side.status.starts_with("ok")
            && !has_flag(&side.status, "too-short")
            && !has_flag(&side.status, pipeline::WALL_FLAG)
            && s.tokens >= s.n(&settings.shingle)
            && s.hashes.len() >= pipeline::MIN_SHINGLES;
        let mut sig = Vec::new();
        let mut prefix_sig = Vec::new();
        signer.sign_into(&s.hashes, lsh.k(), &mut sig);
        signer.sign_into(&s.prefix, lsh.k(), &mut prefix_sig);
        let mut bands = vec![minhash::NO_KEY; lsh.keys_per_doc()];
        minhash::band_keys(&sig, lsh, &mut bands[..lsh.bands]);
        minhash::band_keys(&prefix_sig, lsh, &mut bands[lsh.bands..]);
        keys.push(bands);
        let mut title = Vec::new();
        crate::shingle::title_words(&side.title, &mut title);
        sketches.push(Sketch {
            shingles: s.hashes,
            signature: sig,
            numbers: s.numbers,
            title,
        });
    }
    let score = PairScore::of(&sketches[0], &sketches[1], &settings.cluster, titles);
    let estimate = minhash::estimate(&sketches[0].signature, &sketches[1].signature);
    // Band tables mix whole and prefix keys: any agreement in one band counts.
    let agreeing_bands = (0..lsh.bands)
        .filter(|&band| {
            let ka = [keys[0][band], keys[0][lsh.bands + band]];
            let kb = [keys[1][band], keys[1][lsh.bands + band]];
            ka.iter().any(|k| *k != minhash::NO_KEY && kb.contains(k))
        })
        .count();
    let is_copy = a.comparable && b.comparable && score.is_copy(&settings.cluster);
    let (spans_found, shared_a, shared_b) = shared_spans(
        &a.text,
        &b.text,
        &sketches[1].shingles,
        &sketches[0].shingles,
        settings,
        spans,
    );
    let mut e = Explanation {
        estimate,
        jaccard: score.jaccard,
        containment: score.containment,
        containment_applies: score.containment_applies,
        figures: score.numbers,
        is_copy,
        agreeing_bands,
        shared_a,
        shared_b,
        spans: spans_found,
        ..Explanation::default()
    };
    e.verdict = verdict(&a, &b, &score, &settings.cluster, agreeing_bands, lsh);
    e.a = a;
    e.b = b;
    e
}

/// True when a status as written in `clusters.csv` (`ok;wall;nul=3`)
/// carries the warning `flag`.
fn has_flag(status: &str, flag: &str) -> bool {
    status
        .split(';')
        .skip(1)
        .any(|f| f.split('=').next() == Some(flag))
}

fn verdict(
    a: &Side,
    b: &Side,
    score: &PairScore,
    c: &ClusterConfig,
    agreeing_bands: usize,
    lsh: &LshConfig,
) -> Vec<String> {
    let mut v = Vec::new();
    for side in [a, b] {
        if has_flag(&side.status, pipeline::WALL_FLAG) {
            v.push(format!(
                "{} is a wall page: a consent banner, captcha, registration form or paywall takes most of its text (status {}), so it is kept as a singleton and never compared: every page of a site that hit the same wall would otherwise be a copy of every other",
                side.id, side.status
            ));
        } else if !side.comparable {
            v.push(format!(
                "{} is not compared with anything (status {}, {} shingles): it is a singleton",
                side.id, side.status, side.shingles
            ));
        }
    }
    let j = score.jaccard;
    let similar_by_j = j >= c.jaccard;
    let similar_by_c = score.containment_applies && score.containment >= c.containment;
    if similar_by_j {
        v.push(format!(
            "Jaccard {j:.3} ≥ {}: similar enough to be copies",
            c.jaccard
        ));
    } else if similar_by_c {
        v.push(format!(
            "Jaccard {j:.3} < {}, but the shorter text is {:.0}% contained in the longer (≥ {:.0}%): a copy cut short or padded",
            c.jaccard,
            100.0 * score.containment,
            100.0 * c.containment
        ));
    } else {
        let mut why = format!(
            "Jaccard {j:.3} < {} and containment {:.3}",
            c.jaccard, score.containment
        );
        if !score.containment_applies && score.containment >= c.containment {
            why.push_str(&format!(
                " does not count: the shorter text needs at least {} shingles and {:.0}% of the longer",
                c.min_containment_shingles,
                100.0 * c.min_containment_ratio
            ));
        } else {
            why.push_str(&format!(" < {}", c.containment));
        }
        v.push(format!("{why}: not copies"));
    }
    if let Some(t) = score.titles {
        let why = if score.jaccard >= c.jaccard || !score.containment_applies {
            format!(
                "the shorter text has fewer than {} shingles",
                c.min_containment_shingles
            )
        } else {
            format!(
                "the texts overlap by containment only, below {:.0}%",
                100.0 * c.title_containment
            )
        };
        if t < c.title_agreement {
            v.push(format!(
                "{why}, and only {:.0}% of the lighter title's words occur in the other title (needs {:.0}%; words weighted by how rare they are among the run's titles): not copies",
                100.0 * t,
                100.0 * c.title_agreement
            ));
        } else {
            v.push(format!(
                "{why}: the titles agree ({:.0}% of the lighter title's words, weighted by rarity)",
                100.0 * t
            ));
        }
    }
    if let Some(f) = score.numbers {
        if f < c.number_agreement {
            v.push(format!(
                "figures disagree: only {:.0}% of the smaller set of figures occurs in the other (needs {:.0}%): not copies",
                100.0 * f,
                100.0 * c.number_agreement
            ));
        } else {
            v.push(format!("figures agree ({:.0}%)", 100.0 * f));
        }
    }
    if agreeing_bands == 0 {
        v.push(format!(
            "no LSH band agrees, so the pair is never checked (chance of at least one band at Jaccard {j:.2}: {:.2})",
            lsh.probability(j)
        ));
    } else {
        v.push(format!(
            "{agreeing_bands} LSH band(s) agree: the pair is proposed to the exact check"
        ));
    }
    v
}

/// Why the run did or did not put the two in one cluster.
fn cluster_reason(e: &Explanation, same: bool) -> String {
    let (a, b) = (&e.a, &e.b);
    let rep_a = a.representative.as_deref().unwrap_or("");
    let rep_b = b.representative.as_deref().unwrap_or("");
    match (same, e.is_copy) {
        (true, _) if rep_b == a.id || rep_a == b.id => {
            "the run put them in one cluster: one is the other's representative".to_owned()
        }
        (true, _) => format!(
            "the run put them in one cluster: both are copies of its representative {rep_a} (clusters do not chain, so each was checked against it, not against each other)"
        ),
        (false, true) if e.agreeing_bands == 0 => {
            "the run kept them apart: they would be copies, but no band proposed the pair"
                .to_owned()
        }
        (false, true) => format!(
            "the run kept them apart although they are copies: clusters do not chain, and each joined its own representative first ({} → {rep_a}, {} → {rep_b})",
            a.id, b.id
        ),
        (false, false) => "the run kept them apart".to_owned(),
    }
}

/// The longest spans of `a_text` whose shingles occur in `b_set`, and the
/// share of each document covered by shared shingles.
fn shared_spans(
    a_text: &str,
    b_text: &str,
    b_set: &[u32],
    a_set: &[u32],
    settings: &Settings,
    max: usize,
) -> (Vec<SharedSpan>, f64, f64) {
    let keyed = Keyed::new(a_text);
    let w = shingle::windows(&keyed.key, &settings.shingle);
    let mut runs: Vec<(usize, usize)> = Vec::new(); // first window, windows
    let mut i = 0;
    while i < w.hashes.len() {
        if b_set.binary_search(&w.hashes[i]).is_ok() {
            let start = i;
            while i < w.hashes.len() && b_set.binary_search(&w.hashes[i]).is_ok() {
                i += 1;
            }
            runs.push((start, i - start));
        } else {
            i += 1;
        }
    }
    let covered = |w: &shingle::Windows, set: &[u32]| {
        if w.tokens.is_empty() {
            return 0.0;
        }
        let mut inside = vec![false; w.tokens.len()];
        for (i, h) in w.hashes.iter().enumerate() {
            if set.binary_search(h).is_ok() {
                for flag in &mut inside[i..(i + w.n).min(w.tokens.len())] {
                    *flag = true;
                }
            }
        }
        inside.iter().filter(|&&f| f).count() as f64 / w.tokens.len() as f64
    };
    let shared_a = covered(&w, b_set);
    let shared_b = covered(
        &shingle::windows(&match_key(b_text), &settings.shingle),
        a_set,
    );
    runs.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    let spans = runs
        .iter()
        .take(max)
        .map(|&(first, len)| {
            let start = w.tokens[first].start;
            let end = w.tokens[(first + len - 1 + w.n - 1).min(w.tokens.len() - 1)].end;
            let range = keyed.span(a_text, start, end);
            SharedSpan {
                shingles: len,
                text: abbreviate(&a_text[range], 240),
            }
        })
        .collect();
    (spans, shared_a, shared_b)
}

/// `text` on one line, cut in the middle to at most `max` characters.
fn abbreviate(text: &str, max: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let n = one_line.chars().count();
    if n <= max {
        return one_line;
    }
    let head: String = one_line.chars().take(max / 2).collect();
    let tail: String = one_line.chars().skip(n - max / 2).collect();
    format!("{head} … {tail}")
}

/// One row of `clusters.csv`.
#[derive(Debug, Clone, Default)]
struct Row {
    doc_id: String,
    path: String,
    cluster: String,
    representative: String,
    is_representative: bool,
    language: String,
    status: String,
    title: String,
}

/// A run's output folder, read lazily.
struct RunFolder {
    dir: PathBuf,
    rows: Vec<Row>,
    summary: serde_json::Value,
    /// The run's inputs, as the user gives them to `explain --input`.
    inputs: Vec<PathBuf>,
}

impl RunFolder {
    fn open(dir: &Path) -> anyhow::Result<RunFolder> {
        let clusters = dir.join("clusters.csv");
        let mut rdr = csv::Reader::from_path(&clusters).with_context(|| {
            format!(
                "{} is not a dedup output folder (no clusters.csv)",
                dir.display()
            )
        })?;
        let header = rdr.headers()?.clone();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .with_context(|| format!("{} has no {name} column", clusters.display()))
        };
        let cols = [
            col("doc_id")?,
            col("path")?,
            col("cluster_id")?,
            col("representative")?,
            col("is_representative")?,
            col("language")?,
            col("status")?,
        ];
        // Older runs may lack the column: no title, no title rule.
        let title_col = header.iter().position(|h| h == "title");
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.with_context(|| format!("cannot read {}", clusters.display()))?;
            let cell = |i: usize| unneutralize(rec.get(cols[i]).unwrap_or("")).to_owned();
            rows.push(Row {
                doc_id: cell(0),
                path: cell(1),
                cluster: cell(2),
                representative: cell(3),
                is_representative: cell(4) == "true",
                language: cell(5),
                status: cell(6),
                title: title_col
                    .and_then(|i| rec.get(i))
                    .map(|t| unneutralize(t).to_owned())
                    .unwrap_or_default(),
            });
        }
        let summary = std::fs::read_to_string(dir.join("summary.json"))
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(serde_json::Value::Null);
        Ok(RunFolder {
            dir: dir.to_path_buf(),
            rows,
            summary,
            inputs: Vec::new(),
        })
    }

    /// The run's similarity settings (defaults for what summary.json lacks).
    fn settings(&self) -> Settings {
        let s = &self.summary["settings"];
        let get = |k: &str| s[k].as_f64();
        let mut out = Settings::default();
        if let Some(x) = get("word_n") {
            out.shingle.word_n = x as usize;
        }
        if let Some(x) = get("char_n") {
            out.shingle.char_n = x as usize;
        }
        if let Some(x) = get("bands") {
            out.lsh.bands = x as usize;
        }
        if let Some(x) = get("rows") {
            out.lsh.rows = x as usize;
        }
        if let Some(x) = get("jaccard") {
            out.cluster.jaccard = x;
        }
        if let Some(x) = get("containment") {
            out.cluster.containment = x;
        }
        out
    }

    /// The row of a document named by doc_id, or by a path that names one.
    fn find(&self, name: &str) -> anyhow::Result<Row> {
        if let Some(r) = self.rows.iter().find(|r| r.doc_id == name) {
            return Ok(r.clone());
        }
        let by_path: Vec<&Row> = self.rows.iter().filter(|r| r.path == name).collect();
        match by_path.len() {
            1 => Ok(by_path[0].clone()),
            0 => bail!(
                "{name} is not a doc_id or path in {}",
                self.dir.join("clusters.csv").display()
            ),
            n => bail!("{name} names {n} documents (records of one file); give a doc_id"),
        }
    }

    /// The document's cleaned text, and where it came from.
    fn text(&self, row: &Row, notes: &mut Vec<String>) -> anyhow::Result<(String, TextSource)> {
        if let Some(t) = self.lookup("documents.csv", "doc_id", &row.doc_id, "text")? {
            return Ok((t, TextSource::Documents));
        }
        if row.is_representative {
            if let Some(t) = self.lookup("articles.csv", "doc_id", &row.doc_id, "text")? {
                return Ok((t, TextSource::Articles));
            }
        }
        let Some(path) = self.input_path(row) else {
            bail!(
                "no cleaned text for {}: the run has no documents.csv (run with --documents), or give the run's input folders with --input",
                row.doc_id
            );
        };
        let config = RunConfig::new(vec![path.clone()], PathBuf::new());
        let models = pipeline::CorpusModels::alone(&config)?;
        let line = record_line(&row.doc_id);
        let doc = pipeline::prepare_record(&path, line, &config, &models)?;
        notes.push(format!(
            "{}: text read again from {} and cleaned without what the run learned from the corpus; run with --documents for the exact text",
            row.doc_id,
            path.display()
        ));
        Ok((doc.text, TextSource::Input))
    }

    /// The raw input text of a document, if its file can be found.
    fn input_text(&self, row: &Row) -> Option<String> {
        let path = self.input_path(row)?;
        let raw = pipeline::read_record(&path, record_line(&row.doc_id)).ok()?;
        Some(raw.text)
    }

    /// The input file of a row: each input of the run (given with
    /// `--input`) joined with the row's path, or the input itself when it is
    /// a file.
    fn input_path(&self, row: &Row) -> Option<PathBuf> {
        for input in &self.inputs {
            let input = input.as_path();
            let candidate = if input.is_file() {
                input.to_path_buf()
            } else {
                input.join(&row.path)
            };
            let name_matches = input.is_dir()
                || input.file_name().map(|n| n.to_string_lossy() == row.path) == Some(true);
            if name_matches && candidate.is_file() {
                return Some(candidate);
            }
        }
        None
    }

    /// One cell of a CSV in the folder, by key column; `None` when the file
    /// or the row is absent.
    fn lookup(
        &self,
        file: &str,
        key_col: &str,
        key: &str,
        value_col: &str,
    ) -> anyhow::Result<Option<String>> {
        let path = self.dir.join(file);
        if !path.exists() {
            return Ok(None);
        }
        let mut rdr = csv::Reader::from_path(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let header = rdr.headers()?.clone();
        let (Some(k), Some(v)) = (
            header.iter().position(|h| h == key_col),
            header.iter().position(|h| h == value_col),
        ) else {
            return Ok(None);
        };
        for rec in rdr.records() {
            let rec = rec.with_context(|| format!("cannot read {}", path.display()))?;
            if unneutralize(rec.get(k).unwrap_or("")) == key {
                return Ok(Some(unneutralize(rec.get(v).unwrap_or("")).to_owned()));
            }
        }
        Ok(None)
    }

    /// The boilerplate cuts of a document, from removed.csv.
    fn removed(&self, doc_id: &str) -> anyhow::Result<Vec<(String, String)>> {
        let path = self.dir.join("removed.csv");
        let mut out = Vec::new();
        if !path.exists() {
            return Ok(out);
        }
        let mut rdr = csv::Reader::from_path(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let header = rdr.headers()?.clone();
        let pos = |n: &str| header.iter().position(|h| h == n);
        let (Some(d), Some(k), Some(t)) = (pos("doc_id"), pos("kind"), pos("text")) else {
            return Ok(out);
        };
        for rec in rdr.records() {
            let rec = rec.with_context(|| format!("cannot read {}", path.display()))?;
            if unneutralize(rec.get(d).unwrap_or("")) == doc_id {
                out.push((
                    unneutralize(rec.get(k).unwrap_or("")).to_owned(),
                    unneutralize(rec.get(t).unwrap_or("")).to_owned(),
                ));
            }
        }
        Ok(out)
    }

    /// Rows of variants.csv that touched a document: its cleaned text holds
    /// the canonical form and its input held the variant (when the input can
    /// be read; otherwise the canonical form alone decides).
    fn variants_in(
        &self,
        text: &str,
        input: Option<&str>,
    ) -> anyhow::Result<Vec<(String, String, String)>> {
        let path = self.dir.join("variants.csv");
        let mut out = Vec::new();
        if !path.exists() {
            return Ok(out);
        }
        let mut rdr = csv::Reader::from_path(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let header = rdr.headers()?.clone();
        let pos = |n: &str| header.iter().position(|h| h == n);
        let (Some(v), Some(c), Some(r)) = (pos("variant"), pos("canonical"), pos("rule")) else {
            return Ok(out);
        };
        let mut seen = BTreeMap::new();
        for rec in rdr.records() {
            let rec = rec.with_context(|| format!("cannot read {}", path.display()))?;
            let cell = |i: usize| unneutralize(rec.get(i).unwrap_or("")).to_owned();
            let (variant, canonical, rule) = (cell(v), cell(c), cell(r));
            if variant.is_empty() || variant == canonical || !text.contains(&canonical) {
                continue;
            }
            if input.is_some_and(|raw| !raw.contains(&variant)) {
                continue;
            }
            seen.entry((variant, canonical)).or_insert(rule);
        }
        out.extend(seen.into_iter().map(|((v, c), r)| (v, c, r)));
        Ok(out)
    }
}

/// The record line of a `path:line` doc id, if it has one.
fn record_line(doc_id: &str) -> Option<usize> {
    let (_, line) = doc_id.rsplit_once(':')?;
    line.split('#').next()?.parse().ok()
}

impl Explanation {
    /// The explanation as a person reads it.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        for (label, side) in [("A", &self.a), ("B", &self.b)] {
            let _ = writeln!(s, "{label}: {}", side.id);
            let mut line = format!(
                "   language {}, status {}, {} characters, {} tokens, {} shingles, {} figures",
                side.language, side.status, side.chars, side.tokens, side.shingles, side.figures
            );
            if let (Some(c), Some(r)) = (&side.cluster, &side.representative) {
                line.push_str(&format!("; cluster {c}, representative {r}"));
            }
            let _ = writeln!(s, "{line}");
            if let Some(src) = side.text_source {
                let _ = writeln!(
                    s,
                    "   text from {}",
                    match src {
                        TextSource::Documents => "documents.csv (the run's own)",
                        TextSource::Articles => "articles.csv (the run's own)",
                        TextSource::Input => "the input, cleaned again",
                    }
                );
            }
            if side.removed.is_empty() {
                let _ = writeln!(s, "   boilerplate: nothing removed");
            } else {
                let _ = writeln!(s, "   boilerplate: {} cut(s)", side.removed.len());
                for (kind, text) in &side.removed {
                    let _ = writeln!(s, "     {kind}: {}", abbreviate(text, 120));
                }
            }
            if side.variants.is_empty() {
                let _ = writeln!(s, "   name variants: none");
            } else {
                for (v, c, r) in &side.variants {
                    let _ = writeln!(s, "   name variant: {v} → {c} ({r})");
                }
            }
        }
        let _ = writeln!(
            s,
            "similarity: estimate {:.3}, Jaccard {:.3}, containment {:.3}{}",
            self.estimate,
            self.jaccard,
            self.containment,
            if self.containment_applies {
                ""
            } else {
                " (does not count: the shorter text is too short)"
            }
        );
        if let Some(f) = self.figures {
            let _ = writeln!(s, "figures: {:.0}% of the smaller set shared", 100.0 * f);
        }
        let _ = writeln!(
            s,
            "shared: {:.0}% of A and {:.0}% of B lie in shared shingles",
            100.0 * self.shared_a,
            100.0 * self.shared_b
        );
        let _ = writeln!(
            s,
            "verdict: {}",
            if self.is_copy { "copies" } else { "not copies" }
        );
        for v in &self.verdict {
            let _ = writeln!(s, "  - {v}");
        }
        if !self.spans.is_empty() {
            let _ = writeln!(s, "longest shared spans (as in A):");
            for span in &self.spans {
                let _ = writeln!(s, "  [{} shingles] {}", span.shingles, span.text);
            }
        }
        for n in &self.notes {
            let _ = writeln!(s, "note: {n}");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(id: &str, text: &str) -> Side {
        Side {
            id: id.to_owned(),
            status: "ok".to_owned(),
            text: text.to_owned(),
            ..Side::default()
        }
    }

    const STORY: &str = "The central bank raised its key interest rate by half a point on Thursday, \
        the third increase this year, citing stubborn inflation in services and housing. \
        Economists had expected a smaller move. The bank's governor said further increases \
        could not be ruled out if wage growth stayed strong through the summer months.";

    #[test]
    fn a_copy_with_a_promo_is_explained() {
        let b = format!("{STORY} Sign up for our newsletter to get the news first.");
        let e = compare(
            side("a", STORY),
            side("b", &b),
            &Settings::default(),
            &TitleWeights::uniform(),
            3,
        );
        assert!(e.is_copy, "{}", e.render());
        assert!(e.jaccard > 0.8 && e.containment > 0.99);
        assert!(e.agreeing_bands > 0);
        assert!(e.shared_a > 0.99);
        assert!(
            e.spans[0].text.starts_with("The central bank"),
            "{:?}",
            e.spans
        );
        assert!(e.render().contains("verdict: copies"));
    }

    #[test]
    fn different_stories_are_explained() {
        let other = "Heavy rain flooded the old town overnight and closed two bridges; \
            firefighters pumped water out of cellars until the morning and the mayor asked \
            residents to stay away from the river banks while the level keeps rising.";
        let e = compare(
            side("a", STORY),
            side("b", other),
            &Settings::default(),
            &TitleWeights::uniform(),
            3,
        );
        assert!(!e.is_copy);
        assert!(e.spans.is_empty());
        assert!(e.verdict.iter().any(|v| v.contains("not copies")));
    }

    #[test]
    fn too_short_documents_are_singletons() {
        let e = compare(
            side("a", STORY),
            side("b", "Read more"),
            &Settings::default(),
            &TitleWeights::uniform(),
            3,
        );
        assert!(!e.is_copy);
        assert!(!e.b.comparable);
        assert!(e.verdict[0].contains("singleton"));
    }

    /// A wall page is a singleton even when its text is a copy: the
    /// verdict says why, for either side.
    #[test]
    fn wall_pages_are_singletons() {
        for (sa, sb) in [
            ("ok;wall", "ok"),
            ("ok", "ok;wall"),
            ("ok;nul=2;wall", "ok"),
        ] {
            let mut a = side("a", STORY);
            let mut b = side("b", STORY);
            a.status = sa.to_owned();
            b.status = sb.to_owned();
            let e = compare(a, b, &Settings::default(), &TitleWeights::uniform(), 3);
            assert!(!e.is_copy, "{sa} {sb}");
            assert!(
                e.verdict.iter().any(|v| v.contains("is a wall page")),
                "{:?}",
                e.verdict
            );
        }
        let e = compare(
            side("a", STORY),
            side("b", STORY),
            &Settings::default(),
            &TitleWeights::uniform(),
            3,
        );
        assert!(e.is_copy);
        assert!(!e.verdict.iter().any(|v| v.contains("wall")));
    }

    #[test]
    fn status_flags() {
        // (status, flag, present)
        let cases = [
            ("ok;wall", "wall", true),
            ("ok;too-short", "too-short", true),
            ("ok;nul=3", "nul", true),
            ("wall", "wall", false),
            ("ok;walls", "wall", false),
            ("ok", "wall", false),
        ];
        for (status, flag, want) in cases {
            assert_eq!(has_flag(status, flag), want, "{status} {flag}");
        }
    }

    #[test]
    fn record_lines() {
        assert_eq!(record_line("feed.jsonl:12"), Some(12));
        assert_eq!(record_line("feed.jsonl:12#2"), Some(12));
        assert_eq!(record_line("a/b.txt"), None);
    }

    #[test]
    fn abbreviations() {
        assert_eq!(abbreviate("a\nb", 10), "a b");
        let long = "x".repeat(50) + &"y".repeat(50);
        let short = abbreviate(&long, 20);
        assert!(short.starts_with("xxxxxxxxxx … ") && short.ends_with("yyyyyyyyyy"));
    }
}
