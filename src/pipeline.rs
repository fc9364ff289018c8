//! The driver: orders the stages and owns the threads.
//!
//! ingest → normalize → lang → variants → boilerplate → shingle/minhash → cluster → output
//!
//! Stages are plain functions over documents; this module is the only place
//! that knows their order, runs them on rayon's pool and collects results.
//! A different driver (a distributed one, say) can call the same stages.
//!
//! The stages, in order:
//! 1. per document ([`clean_text`]): read, decode, normalize, identify the
//!    language; the text goes to a spill file, the metadata stays, and each
//!    document adds to the [`CorpusStats`];
//! 2. over the corpus ([`CorpusModels::learn`]): models that need every
//!    document first, built from the stats;
//! 3. per document ([`finish`]): read the text back, apply the models
//!    (boilerplate), shingle and sign; the final text and the shingles go to
//!    spill files, the band keys stay;
//! 4. LSH candidates, exact checks (reading shingles back) and clusters;
//! 5. output, reading the texts back in document order.
//!
//! **Memory.** No stage holds every text: what stays in memory per document
//! is its metadata, its counts and its band keys (about 0.5 KB); texts and
//! shingle sets live in spill files ([`crate::spill`]) inside the output's
//! staging folder, where the page cache keeps them close.
//!
//! Determinism: documents keep the walk order (sorted) throughout; rayon's
//! ordered collections preserve it; hash seeds are constants; clusters are
//! numbered by their first document. The thread count changes nothing in
//! the output.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;

use crate::boilerplate::{self, LearnConfig, Lexicon, ModelConfig, Removal, ReportRow};
use crate::cluster::{self, Assignment, ClusterConfig, RepKey, Sketch, Sketches};
use crate::doc::{DocMeta, RawDoc, StatusKind};
use crate::ingest::{self, FieldMap, Limits};
use crate::lang;
use crate::minhash::{self, LshConfig};
use crate::normalize::aliases::{AliasMatcher, AliasTable};
use crate::normalize::variants::{
    Applied, ApplyScratch, CountScratch, NameCounts, VariantModel, VariantReport, VariantRow,
    VariantsConfig, WordSketch,
};
use crate::normalize::{CleanReport, NormalizeConfig, Normalizer, is_nfc, match_key_into};
use crate::output;
use crate::shingle::{ShingleConfig, Shingler, Shingles};
use crate::spill::{Loc, Spill, codec};

/// Everything `dedup run` needs, validated. Built from the CLI arguments by
/// the binary; stages never see clap types.
#[derive(Debug, Clone)]
pub struct RunConfig {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    /// Replace an existing output folder.
    pub force: bool,
    /// Also write `documents.csv`.
    pub write_documents: bool,
    /// Worker threads; `None` lets rayon choose (one per core).
    pub threads: Option<usize>,
    pub fields: FieldMap,
    /// Size limits for reading files (text cap, longest record).
    pub limits: Limits,
    /// Skip boilerplate removal.
    pub keep_boilerplate: bool,
    /// Also report the learned boilerplate spans per source.
    pub boilerplate_report: bool,
    /// Settings of the learned boilerplate detector.
    pub learn: LearnConfig,
    /// Bytes of stage-1 text the boilerplate detector learns from at most
    /// (see [`learning_sample`]).
    pub learn_budget: usize,
    /// A document losing more than this share of its words to
    /// boilerplate removal is kept whole and flagged.
    pub max_removed_share: f64,
    pub normalize: NormalizeConfig,
    /// Name variants: alias tables, learning, fuzzy suggestions.
    pub variants: VariantsConfig,
    pub shingle: ShingleConfig,
    pub lsh: LshConfig,
    pub cluster: ClusterConfig,
    /// Write CSV cells exactly, without formula neutralization.
    pub raw_csv: bool,
    /// Score every document against every language, even in a large corpus.
    pub all_languages: bool,
}

impl RunConfig {
    /// A configuration with every default, for `inputs` and `output`.
    pub fn new(inputs: Vec<PathBuf>, output: PathBuf) -> RunConfig {
        RunConfig {
            inputs,
            output,
            force: false,
            write_documents: false,
            threads: None,
            fields: FieldMap::default(),
            limits: Limits::default(),
            keep_boilerplate: false,
            boilerplate_report: false,
            learn: LearnConfig::default(),
            learn_budget: LEARN_BUDGET,
            max_removed_share: 0.5,
            normalize: NormalizeConfig::default(),
            variants: VariantsConfig::default(),
            shingle: ShingleConfig::default(),
            lsh: LshConfig::default(),
            cluster: ClusterConfig::default(),
            raw_csv: false,
            all_languages: false,
        }
    }
}

/// One document in flight through a per-document stage: what stage 1
/// produces and stage 3 finishes. Only one stage holds a given document's
/// text at a time; between stages it lives in a spill file.
#[derive(Debug, Clone, Default)]
pub struct Processed {
    pub meta: DocMeta,
    pub language: String,
    /// Cleaned, normalized text (boilerplate removed after stage 3); empty
    /// for problems.
    pub text: String,
    /// Characters in the decoded input text.
    pub chars_raw: usize,
    /// Characters in `text`.
    pub chars_clean: usize,
    pub removals: Vec<Removal>,
    /// Mixed-script words repaired in stage 1: (as found, as written).
    pub confusables: Vec<(String, String)>,
    /// Name variants rewritten in stage 3.
    pub variants: usize,
    /// What the learned boilerplate detectors found, `(learned text, span
    /// text)` (only with `boilerplate_report`).
    pub learned: Vec<(String, String)>,
}

/// A document as the run keeps it in memory: metadata, counts, and where
/// its text is.
#[derive(Debug, Clone, Default)]
pub struct DocRecord {
    /// Boxed, so that moving records about costs a pointer. Its `title` and
    /// `url` are empty after stage 3: they live in the text record (see
    /// [`DocText`]), as output is the only stage that reads them.
    pub meta: Box<DocMeta>,
    pub language: String,
    pub chars_raw: usize,
    pub chars_clean: usize,
    /// Boilerplate spans removed.
    pub removed_spans: usize,
    /// Name variants rewritten.
    pub variants: usize,
    /// Mixed-script words repaired in stage 1, until stage 3 reports them.
    pub confusables: Vec<(String, String)>,
    /// What the learned boilerplate detectors found in stage 3, `(learned
    /// text, span text)`, until the report is built (only with
    /// `boilerplate_report`).
    pub learned: Vec<(String, String)>,
    /// After stage 1, the stage-1 text; after stage 3, the final record
    /// (text and removals, see [`RunResult::text`]).
    pub text: Loc,
}

/// A document's final text, removals, title and URL, read back from the
/// spill.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocText {
    pub text: String,
    pub removals: Vec<Removal>,
    pub title: String,
    pub url: String,
}

/// The whole result of a run, before it is written.
pub struct RunResult {
    pub docs: Vec<DocRecord>,
    pub assignments: Vec<Assignment>,
    /// Rows of variants.csv.
    pub variants: Vec<VariantRow>,
    pub summary: Summary,
    /// Learned boilerplate spans per source (only with `boilerplate_report`).
    pub boilerplate_report: Vec<ReportRow>,
    texts: Spill,
}

impl RunResult {
    /// Document `doc`'s cleaned text and removals; `buf` is scratch space.
    pub fn text(&self, doc: usize, buf: &mut Vec<u8>) -> io::Result<DocText> {
        self.texts.read(self.docs[doc].text, buf)?;
        decode_text(buf)
    }
}

fn encode_text(doc: &Processed, out: &mut Vec<u8>) {
    out.clear();
    codec::put_bytes(out, doc.text.as_bytes());
    out.extend_from_slice(&(doc.removals.len() as u32).to_le_bytes());
    for r in &doc.removals {
        codec::put_bytes(out, r.kind.as_bytes());
        codec::put_bytes(out, r.text.as_bytes());
    }
    codec::put_bytes(out, doc.meta.title.as_bytes());
    codec::put_bytes(out, doc.meta.url.as_bytes());
}

/// A stage-1 record: the text's bytes, then the title's and the URL's, then
/// the two lengths (`u32`, little-endian). The text comes first and whole,
/// so that [`decode_stage1`] leaves it in place in the buffer.
fn encode_stage1(text: &str, title: &str, url: &str, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(title.as_bytes());
    out.extend_from_slice(url.as_bytes());
    out.extend_from_slice(&(title.len() as u32).to_le_bytes());
    out.extend_from_slice(&(url.len() as u32).to_le_bytes());
}

/// Split a stage-1 record: returns the title and URL and truncates `record`
/// to the text's bytes.
fn decode_stage1(record: &mut Vec<u8>) -> io::Result<(String, String)> {
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "truncated stage-1 record");
    let n = record.len();
    if n < 8 {
        return Err(bad());
    }
    let len = |at: usize| {
        u32::from_le_bytes([record[at], record[at + 1], record[at + 2], record[at + 3]]) as usize
    };
    let (title_len, url_len) = (len(n - 8), len(n - 4));
    let text_len = (n - 8).checked_sub(title_len + url_len).ok_or_else(bad)?;
    let utf8 = |b: &[u8]| crate::spill::utf8_str(b).map(str::to_owned);
    let title = utf8(&record[text_len..text_len + title_len])?;
    let url = utf8(&record[text_len + title_len..n - 8])?;
    record.truncate(text_len);
    Ok((title, url))
}

fn decode_text(record: &[u8]) -> io::Result<DocText> {
    let mut r = codec::Reader::new(record);
    let text = r.str()?.to_owned();
    let n = r.u32()? as usize;
    let mut removals = Vec::with_capacity(n.min(1024));
    for _ in 0..n {
        let kind = r.str()?.to_owned();
        let text = r.str()?.to_owned();
        removals.push(Removal { kind, text });
    }
    let title = r.str()?.to_owned();
    let url = r.str()?.to_owned();
    Ok(DocText {
        text,
        removals,
        title,
        url,
    })
}

/// Counts for the stderr summary and `summary.json`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub documents: usize,
    pub processed: usize,
    pub clusters: usize,
    /// Documents that are copies of another (members that are not the
    /// representative).
    pub duplicates: usize,
    /// Clusters with more than one member.
    pub duplicate_clusters: usize,
    pub languages: BTreeMap<String, usize>,
    /// Documents per status kind other than `ok`.
    pub problems: BTreeMap<String, usize>,
    /// Documents per warning flag (`replaced`, `boilerplate-kept`, ...).
    pub flags: BTreeMap<String, usize>,
    pub boilerplate_removed: usize,
    pub boilerplate_by_kind: BTreeMap<String, usize>,
    /// Name-variant rewrites, in total and by rule.
    pub variants_unified: u64,
    pub variants_by_rule: BTreeMap<String, u64>,
    /// Variants found but kept (guarded, or `--keep-variants`).
    pub variants_kept: u64,
    /// Fuzzy suggestions listed, not applied.
    pub variants_suggested: usize,
    /// Sources for which the learned detector found furniture n-grams.
    pub boilerplate_learned_sources: usize,
    /// Documents the boilerplate detector learned from (all of them unless
    /// the corpus is larger than the learning budget).
    pub boilerplate_learned_from: usize,
    /// Rows of `boilerplate.csv` (with `boilerplate_report`).
    pub boilerplate_report_rows: usize,
    pub candidate_pairs: usize,
    pub skipped_files: usize,
    pub warnings: Vec<String>,
    pub threads: usize,
    pub seconds: f64,
    /// Wall-clock seconds of each phase.
    pub timings: Timings,
    /// The similarity settings of the run.
    pub settings: Settings,
}

/// The similarity settings of a run, as `summary.json` records them.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Settings {
    pub word_n: usize,
    pub char_n: usize,
    pub max_tokens: usize,
    pub min_shingles: usize,
    pub signature: usize,
    pub bands: usize,
    pub rows: usize,
    pub jaccard: f64,
    pub containment: f64,
    pub min_containment_shingles: usize,
    pub min_containment_ratio: f64,
    pub min_figures: usize,
    pub min_figures_short: usize,
    pub figure_agreement: f64,
    pub title_agreement: f64,
    pub title_containment: f64,
}

impl Settings {
    pub fn of(config: &RunConfig) -> Settings {
        Settings {
            word_n: config.shingle.word_n,
            char_n: config.shingle.char_n,
            max_tokens: config.shingle.max_tokens,
            min_shingles: MIN_SHINGLES,
            signature: config.lsh.k(),
            bands: config.lsh.bands,
            rows: config.lsh.rows,
            jaccard: config.cluster.jaccard,
            containment: config.cluster.containment,
            min_containment_shingles: config.cluster.min_containment_shingles,
            min_containment_ratio: config.cluster.min_containment_ratio,
            min_figures: config.cluster.min_numbers,
            min_figures_short: config.cluster.min_numbers_short,
            figure_agreement: config.cluster.number_agreement,
            title_agreement: config.cluster.title_agreement,
            title_containment: config.cluster.title_containment,
        }
    }
}

/// Seconds per phase of a run, in pipeline order; they add up to the run's
/// wall-clock time. Stage 1 reads, cleans, identifies languages and counts
/// names in one pass over the documents: its wall-clock time is split over
/// `read`, `clean`, `lang` and `names` in proportion to the time each step
/// took, summed over documents.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Timings {
    /// Walk the inputs, read, decode and parse the files.
    pub read: f64,
    /// Stage 1: clean the text (normalize).
    pub clean: f64,
    /// Stage 1: identify the language.
    pub lang: f64,
    /// Stage 1: count name spellings.
    pub names: f64,
    /// Stage 2: load the alias tables, learn name variants.
    pub learn: f64,
    /// Stage 2: read the learning sample back, load the lexicon, learn the
    /// boilerplate model.
    pub learn_boilerplate: f64,
    /// Stage 3: remove boilerplate (split from stage 3 like stage 1).
    pub boilerplate: f64,
    /// Stage 3: unify name variants.
    pub variants: f64,
    /// Stage 3: read back, shingle and sign.
    pub finish: f64,
    /// LSH candidate pairs.
    pub candidates: f64,
    /// Exact checks and clusters.
    pub cluster: f64,
    /// Write the output folder.
    pub output: f64,
    /// The share of the run spent normalizing: clean, names, learn and
    /// variants over the total.
    pub normalize_share: f64,
}

/// The share of `total` seconds spent in the normalization phases.
pub(crate) fn normalize_share(t: &Timings, total: f64) -> f64 {
    if total > 0.0 {
        (t.clean + t.names + t.learn + t.variants) / total
    } else {
        0.0
    }
}

/// Progress of a run, for a progress bar. The library never prints; the
/// binary implements this (or not).
pub trait Progress: Sync {
    /// A phase starts with `total` units of work (documents, files).
    fn start(&self, _phase: &'static str, _total: u64) {}
    /// `n` more units are done.
    fn advance(&self, _n: u64) {}
    /// The current phase is over.
    fn finish(&self) {}
}

/// No progress reporting.
pub struct Silent;

impl Progress for Silent {}

/// Run the whole pipeline and write the output folder.
pub fn run(config: &RunConfig, progress: &dyn Progress) -> anyhow::Result<Summary> {
    let pool = thread_pool(config.threads)?;
    let staging = output::Staging::create(config)?;
    let mut result = pool.install(|| process(config, &staging.spill_dir(), progress))?;
    let started = Instant::now();
    pool.install(|| output::write_files(staging.path(), config, &result, progress))
        .with_context(|| format!("cannot write output to {}", config.output.display()))?;
    let s = &mut result.summary;
    s.timings.output = started.elapsed().as_secs_f64();
    s.seconds += s.timings.output;
    s.timings.normalize_share = normalize_share(&s.timings, s.seconds);
    output::write_summary(staging.path(), s)?;
    let summary = result.summary.clone();
    drop(result);
    staging
        .commit()
        .with_context(|| format!("cannot write output to {}", config.output.display()))?;
    Ok(summary)
}

/// Hand the heap that stages 1 and 2 freed (the walk, the learning sample's
/// texts and counts) back to the system. glibc keeps freed small blocks for
/// reuse, but the large tables that come next (LSH band keys) are fresh
/// mappings that cannot reuse them, so without this the peak RSS of a
/// million-document run counts both.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own free lists; it takes no
    // pointer from us and is safe to call at any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A rayon pool with `threads` workers (or rayon's default).
pub fn thread_pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n);
    }
    builder.build().context("cannot start worker threads")
}

/// Every stage but output: read, clean, sign and cluster. Texts and shingle
/// sets are spilled into `spill_dir`, which must be private to this run.
pub fn process(
    config: &RunConfig,
    spill_dir: &Path,
    progress: &dyn Progress,
) -> anyhow::Result<RunResult> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let mut clock = Instant::now();
    let lap = |clock: &mut Instant, slot: &mut f64| {
        *slot = clock.elapsed().as_secs_f64();
        *clock = Instant::now();
    };
    let threads = rayon::current_num_threads();
    let spill_error = || format!("cannot write scratch files in {}", spill_dir.display());
    let walk = ingest::walk(&config.inputs)?;

    // Stage 1, per document: read, normalize the text and identify its
    // language. Texts go to the stage-1 spill; each document adds to the
    // corpus stats (merged by addition, so the order of merging is free).
    let normalizer = Normalizer::new(config.normalize.clone());
    let (languages, sampled) = language_sample(&walk.entries, config, &normalizer);
    let stage1 = Spill::create(spill_dir, "stage1", threads).with_context(spill_error)?;
    progress.start("reading", walk.entries.len() as u64);
    // Per file, in walk order; a file's own records in parallel too (one
    // JSONL file may hold a whole corpus). Every vector here is exactly as
    // long as it needs to be, so the records cost their size and no more.
    let sketch = WordSketch::new();
    let pieces: Vec<(Vec<Part>, CorpusStats)> = walk
        .entries
        .par_iter()
        .enumerate()
        .try_fold(
            || {
                (
                    Vec::new(),
                    CorpusStats::default(),
                    (CountScratch::default(), Vec::new()),
                )
            },
            |(mut parts, mut stats, mut scratch), (index, entry)| -> io::Result<_> {
                let started = Instant::now();
                // A file the language sample kept is taken (and its memory
                // freed as stage 1 goes), not read again.
                let kept = sampled
                    .get(&index)
                    .and_then(|docs| docs.lock().ok()?.take());
                let raw = match kept {
                    Some(docs) => docs,
                    None => ingest::read_entry(entry, &config.fields, &config.limits),
                };
                stats.nanos[0] += started.elapsed().as_nanos() as u64;
                let stage = |raw: RawDoc,
                             stats: &mut CorpusStats,
                             (scratch, record): &mut (CountScratch, Vec<u8>)|
                 -> io::Result<DocRecord> {
                    let mut doc = stage_one(raw, &normalizer, &languages, &sketch, stats, scratch);
                    // Title and URL wait on disk with the text: only stage 3
                    // needs them again.
                    encode_stage1(&doc.text, &doc.meta.title, &doc.meta.url, record);
                    doc.meta.title = String::new();
                    doc.meta.url = String::new();
                    let text = stage1.write(record)?;
                    Ok(DocRecord {
                        chars_raw: doc.chars_raw,
                        chars_clean: doc.chars_clean,
                        removed_spans: 0,
                        variants: 0,
                        confusables: doc.confusables,
                        learned: Vec::new(),
                        text,
                        meta: Box::new(doc.meta),
                        language: doc.language,
                    })
                };
                progress.advance(1);
                if raw.len() == 1 {
                    let record = raw
                        .into_iter()
                        .next()
                        .map(|r| stage(r, &mut stats, &mut scratch))
                        .transpose()?;
                    parts.push(Part::One(record));
                } else {
                    // One file may hold a whole corpus (JSONL): its records
                    // go through stage 1 in parallel too.
                    let (records, part): (Vec<io::Result<DocRecord>>, CorpusStats) = {
                        let done: Vec<(io::Result<DocRecord>, CorpusStats)> = raw
                            .into_par_iter()
                            .map_init(
                                || (CountScratch::default(), Vec::new()),
                                |scratch, r| {
                                    let mut one = CorpusStats::default();
                                    let rec = stage(r, &mut one, scratch);
                                    (rec, one)
                                },
                            )
                            .collect();
                        let mut part = CorpusStats::default();
                        let mut records = Vec::with_capacity(done.len());
                        for (rec, one) in done {
                            records.push(rec);
                            part.merge(one);
                        }
                        (records, part)
                    };
                    stats.merge(part);
                    parts.push(Part::Many(records.into_iter().collect::<io::Result<_>>()?));
                }
                Ok((parts, stats, scratch))
            },
        )
        .map(|r| r.map(|(parts, stats, _)| (parts, stats)))
        .collect::<io::Result<Vec<_>>>()
        .with_context(spill_error)?;
    progress.finish();
    drop(sampled);
    let (skipped, warnings) = (walk.skipped, walk.warnings);
    drop(walk.entries);
    let total = pieces
        .iter()
        .flat_map(|(parts, _)| parts.iter().map(Part::len))
        .sum();
    let mut docs: Vec<DocRecord> = Vec::with_capacity(total);
    let mut stats = CorpusStats::default();
    for (parts, part) in pieces {
        for p in parts {
            match p {
                Part::One(record) => docs.extend(record),
                Part::Many(records) => docs.extend(records),
            }
        }
        stats.merge(part);
    }
    make_ids_unique(&mut docs);
    {
        // Split stage 1's wall-clock time over its steps.
        let elapsed = clock.elapsed().as_secs_f64();
        let sum: u64 = stats.nanos.iter().sum::<u64>().max(1);
        let share = |i: usize| elapsed * stats.nanos[i] as f64 / sum as f64;
        timings.read = share(0);
        timings.clean = share(1);
        timings.lang = share(2);
        timings.names = share(3);
        clock = Instant::now();
    }

    // Stage 2, over the corpus: models that need every document first.
    let variants = learn_variants(config, &normalizer, stats.names, &sketch)?;
    drop(sketch);
    lap(&mut clock, &mut timings.learn);
    stage1.flush().with_context(spill_error)?;
    let (boilerplate, sample) =
        learn_boilerplate(config, &docs, &stage1).with_context(spill_error)?;
    let learned_from = sample.iter().filter(|&&i| i != NOT_LEARNED).count();
    let mut models = CorpusModels {
        boilerplate,
        variants,
    };
    lap(&mut clock, &mut timings.learn_boilerplate);
    release_freed_memory();

    // Stage 3, per document: read the text back, remove boilerplate (first,
    // on the text the boilerplate model learned from), unify name variants,
    // shingle and sign. The final text and the shingles are spilled; the
    // band keys stay in memory for LSH.
    let texts = Spill::create(spill_dir, "texts", threads).with_context(spill_error)?;
    let sketches = Spill::create(spill_dir, "sketches", threads).with_context(spill_error)?;
    let per_doc = config.lsh.keys_per_doc();
    let mut band_keys = vec![minhash::NO_KEY; docs.len() * per_doc];
    let mut sketch_locs = vec![Loc::default(); docs.len()];
    progress.start("signing", docs.len() as u64);
    let (removed, report, nanos, title_weights) = docs
        .par_iter_mut()
        .enumerate()
        .zip(band_keys.par_chunks_mut(per_doc.max(1)))
        .zip(sketch_locs.par_iter_mut())
        .try_fold(
            Stage3::default,
            |mut acc, (((index, record), keys), sketch_loc)| -> io::Result<Stage3> {
                let scratch = &mut acc.scratch;
                stage1.read(record.text, &mut scratch.bytes)?;
                let (title, url) = decode_stage1(&mut scratch.bytes)?;
                let text = crate::spill::utf8_string(std::mem::take(&mut scratch.bytes))?;
                record.meta.title = title;
                record.meta.url = url;
                let mut doc = Processed {
                    meta: std::mem::take(&mut *record.meta),
                    language: std::mem::take(&mut record.language),
                    text,
                    chars_raw: record.chars_raw,
                    chars_clean: record.chars_clean,
                    removals: Vec::new(),
                    confusables: std::mem::take(&mut record.confusables),
                    variants: 0,
                    learned: Vec::new(),
                };
                let started = Instant::now();
                remove_boilerplate(
                    sample.get(index).copied().unwrap_or(NOT_LEARNED),
                    &mut doc,
                    &normalizer,
                    &models,
                    config,
                    &mut acc.tokenizer,
                );
                let cleaned = Instant::now();
                let mut key_ready = false;
                unify_variants_keyed(
                    &mut doc,
                    &models.variants,
                    &mut acc.apply,
                    &mut acc.applied,
                    Some((&mut acc.scratch.key, &mut key_ready)),
                );
                acc.report.add_document(&doc.language, &acc.applied);
                let unified = Instant::now();
                acc.nanos[0] += (cleaned - started).as_nanos() as u64;
                acc.nanos[1] += (unified - cleaned).as_nanos() as u64;
                let scratch = &mut acc.scratch;
                // Every document's final title counts for the title weights
                // (the same titles `clusters.csv` shows, so `explain` can
                // count them again).
                crate::shingle::title_words(&doc.meta.title, &mut scratch.title);
                acc.titles.add(&scratch.title);
                if finish_keyed(&mut doc, config, scratch, key_ready) {
                    sign(&config.lsh, scratch, keys);
                    encode_sketch(&scratch.shingles, &scratch.title, &mut scratch.record);
                    *sketch_loc = sketches.write(&scratch.record)?;
                }
                encode_text(&doc, &mut scratch.record);
                record.text = texts.write(&scratch.record)?;
                // The text's buffer reads the next document's text.
                scratch.bytes = std::mem::take(&mut doc.text).into_bytes();
                acc.nanos[2] += unified.elapsed().as_nanos() as u64;
                record.chars_clean = doc.chars_clean;
                record.removed_spans = doc.removals.len();
                record.variants = doc.variants;
                record.learned = doc.learned;
                for r in doc.removals {
                    *acc.removed.entry(r.kind).or_default() += 1;
                }
                *record.meta = doc.meta;
                record.meta.title = String::new();
                record.meta.url = String::new();
                record.language = doc.language;
                progress.advance(1);
                Ok(acc)
            },
        )
        .map(|acc| acc.map(|a| (a.removed, a.report, a.nanos, a.titles)))
        .try_reduce(
            || {
                (
                    BTreeMap::new(),
                    VariantReport::default(),
                    [0; 3],
                    cluster::TitleWeights::default(),
                )
            },
            |mut a, b| {
                for (k, n) in b.0 {
                    *a.0.entry(k).or_default() += n;
                }
                a.1 = VariantReport::merge(a.1, b.1);
                for (x, y) in a.2.iter_mut().zip(b.2) {
                    *x += y;
                }
                Ok((a.0, a.1, a.2, a.3.merge(b.3)))
            },
        )
        .with_context(spill_error)?;
    progress.finish();
    drop(stage1);
    drop(sample);
    texts.flush().with_context(spill_error)?;
    sketches.flush().with_context(spill_error)?;
    let boilerplate_report = match (&models.boilerplate, config.boilerplate_report) {
        (Some(model), true) => model.report(docs.iter().flat_map(|d| {
            d.learned
                .iter()
                .map(move |(t, span)| (d.meta.source.as_str(), t.as_str(), span.as_str()))
        })),
        _ => Vec::new(),
    };
    for d in &mut docs {
        d.learned = Vec::new();
    }
    // The boilerplate model (its learning sample's counts and context) is
    // done with: free it before the band tables of LSH are built, where the
    // run's memory peaks.
    // Sources with learned n-grams or learned teaser labels: both make the
    // `learned` cuts the summary counts.
    let learned_sources = models.boilerplate.take().map_or(0, |m| {
        let mut keys: std::collections::HashSet<&str> = m
            .learned()
            .sources()
            .iter()
            .filter(|(_, s)| s.grams > 0)
            .map(|(k, _)| k.as_str())
            .collect();
        keys.extend(m.labels().counts().into_keys());
        keys.len()
    });
    // What the model held (its counts, and the tokens it kept for stage 3)
    // goes back to the system too, not only to the allocator.
    release_freed_memory();
    {
        let elapsed = clock.elapsed().as_secs_f64();
        let sum = nanos.iter().sum::<u64>().max(1) as f64;
        timings.boilerplate = elapsed * nanos[0] as f64 / sum;
        timings.variants = elapsed * nanos[1] as f64 / sum;
        timings.finish = elapsed * nanos[2] as f64 / sum;
        clock = Instant::now();
    }

    // LSH candidates in representative order, then the exact check of each
    // (reading shingles back) and non-chaining clusters.
    let keys: Vec<RepKey<'_>> = docs
        .iter()
        .map(|d| RepKey {
            chars: d.chars_clean,
            date: d.meta.date.as_deref(),
            path: &d.meta.path,
            doc_id: &d.meta.doc_id,
        })
        .collect();
    let (order, rank) = cluster::representative_order(&keys);
    drop(keys);
    let pairs = minhash::candidates(&band_keys, &rank, &config.lsh);
    drop(band_keys);
    drop(rank);
    lap(&mut clock, &mut timings.candidates);
    progress.start("checking", pairs.len() as u64);
    let source = SpilledSketches {
        spill: &sketches,
        locs: &sketch_locs,
        k: config.lsh.k(),
    };
    let edges = cluster::verify(
        &pairs,
        &order,
        &source,
        &config.cluster,
        &title_weights,
        config.lsh.k(),
    )
    .context("cannot read back document sketches")?;
    progress.advance(pairs.len() as u64);
    progress.finish();
    let assignments = cluster::assign(&order, &edges);
    lap(&mut clock, &mut timings.cluster);

    let mut summary = summarize(&docs, &assignments);
    let variants = report.rows(models.variants.applies(), models.variants.suggestions());
    summary.variants_by_rule = report
        .by_rule()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    summary.variants_unified = summary.variants_by_rule.values().sum();
    summary.variants_kept = report.kept();
    summary.variants_suggested = models
        .variants
        .suggestions()
        .iter()
        .filter(|s| !s.applied)
        .count();
    summary.boilerplate_report_rows = boilerplate_report.len();
    summary.boilerplate_learned_sources = learned_sources;
    summary.boilerplate_learned_from = learned_from;
    summary.boilerplate_removed = removed.values().sum();
    summary.boilerplate_by_kind = removed;
    summary.candidate_pairs = pairs.len();
    summary.skipped_files = skipped;
    summary.warnings = warnings;
    summary.threads = threads;
    summary.settings = Settings::of(config);
    summary.timings = timings;
    summary.seconds = started.elapsed().as_secs_f64();
    summary.timings.normalize_share = normalize_share(&summary.timings, summary.seconds);
    Ok(RunResult {
        docs,
        assignments,
        variants,
        summary,
        boilerplate_report,
        texts,
    })
}

/// Files in a corpus above which language identification is narrowed to
/// the languages of a sample (see [`crate::lang`]); below it every document
/// is scored against every language, which a small corpus can afford.
pub const LANGUAGE_SAMPLE_FILES: usize = 2000;

/// The language identifier for a corpus: for a large one, narrowed to the
/// languages of about a thousand files spread evenly over the walk (their
/// first 16 documents each; see [`crate::lang`]). Deterministic: the sample
/// depends on the walk order only.
///
/// Also returns the documents of the files the sample read, by walk
/// index, so that stage 1 does not read and decode them a second time
/// (on the 20,000-document speed corpus, one file in twenty). Only files
/// of a few small documents are kept ([`SAMPLE_KEEP_BYTES`] of text at
/// most), so this holds a few megabytes whatever the corpus.
fn language_sample(
    entries: &[ingest::Entry],
    config: &RunConfig,
    normalizer: &Normalizer,
) -> (lang::Identifier, SampledFiles) {
    if config.all_languages || entries.len() <= LANGUAGE_SAMPLE_FILES {
        return (lang::Identifier::all(), HashMap::new());
    }
    let step = entries.len().div_ceil(LANGUAGE_SAMPLE_FILES / 2);
    let read: Vec<(usize, Vec<String>, Option<Vec<RawDoc>>)> = entries
        .par_iter()
        .enumerate()
        .step_by(step)
        .map(|(index, entry)| {
            let docs = ingest::read_entry(entry, &config.fields, &config.limits);
            let texts = docs
                .iter()
                .filter(|d| d.meta.status.is_ok())
                .take(16)
                .map(|d| normalizer.clean(&d.text))
                .collect();
            let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
            let keep = docs.len() <= 16 && bytes <= SAMPLE_KEEP_BYTES;
            (index, texts, keep.then_some(docs))
        })
        .collect();
    let identifier = lang::Identifier::from_sample(
        read.iter()
            .flat_map(|(_, texts, _)| texts.iter().map(String::as_str)),
    );
    let kept = read
        .into_iter()
        .filter_map(|(index, _, docs)| Some((index, std::sync::Mutex::new(Some(docs?)))))
        .collect();
    (identifier, kept)
}

/// The documents of the files [`language_sample`] read, by walk index,
/// each taken once by stage 1.
type SampledFiles = HashMap<usize, std::sync::Mutex<Option<Vec<RawDoc>>>>;

/// Text bytes of a sampled file above which [`language_sample`] lets
/// stage 1 read it again rather than keep its documents: a file of a few
/// news articles fits, a file holding a corpus does not.
const SAMPLE_KEEP_BYTES: usize = 64 << 10;

/// Stage 1's output for one file: most files hold one document, and that
/// case allocates nothing beyond the record.
enum Part {
    One(Option<DocRecord>),
    Many(Vec<DocRecord>),
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::One(r) => usize::from(r.is_some()),
            Part::Many(v) => v.len(),
        }
    }
}

/// What stage 1 learns about the corpus for stage 2, one document at a
/// time: name spellings, and the time each step took. Merged by addition,
/// so the order of merging never matters.
#[derive(Default)]
pub struct CorpusStats {
    pub names: NameCounts,
    /// Nanoseconds spent reading, cleaning, identifying languages and
    /// counting names, summed over documents.
    nanos: [u64; 4],
}

impl CorpusStats {
    /// Add another part's counts.
    pub fn merge(&mut self, other: CorpusStats) {
        self.names = NameCounts::merge(std::mem::take(&mut self.names), other.names);
        for (a, b) in self.nanos.iter_mut().zip(other.nanos) {
            *a += b;
        }
    }
}

/// Stage 1 on one document: clean, identify the language, count names.
fn stage_one(
    raw: RawDoc,
    normalizer: &Normalizer,
    languages: &lang::Identifier,
    sketch: &WordSketch,
    stats: &mut CorpusStats,
    scratch: &mut CountScratch,
) -> Processed {
    let t0 = Instant::now();
    let mut doc = clean_text(raw, normalizer);
    let t1 = Instant::now();
    if doc.meta.status.is_ok() {
        doc.language = languages.detect(&doc.text, doc.meta.lang_hint.as_deref());
    }
    let t2 = Instant::now();
    if doc.meta.status.is_ok() {
        stats
            .names
            .add_document(&doc.text, &doc.language, sketch, scratch);
    }
    stats.nanos[1] += (t1 - t0).as_nanos() as u64;
    stats.nanos[2] += (t2 - t1).as_nanos() as u64;
    stats.nanos[3] += t2.elapsed().as_nanos() as u64;
    doc
}

/// Per-thread state of stage 3, folded over documents.
#[derive(Default)]
struct Stage3 {
    scratch: Scratch,
    tokenizer: boilerplate::Worker,
    apply: ApplyScratch,
    applied: Vec<Applied>,
    report: VariantReport,
    removed: BTreeMap<String, usize>,
    /// Nanoseconds in boilerplate removal, variants, and the rest.
    nanos: [u64; 3],
    /// Title words counted over every document's final title.
    titles: cluster::TitleWeights,
}

/// Models learned from the whole corpus (or loaded once) and applied to
/// every document in stage 3.
pub struct CorpusModels {
    /// Boilerplate detection: the phrase lexicon and what was learned from
    /// the corpus; `None` with `--keep-boilerplate`.
    pub boilerplate: Option<boilerplate::Model>,
    /// The alias tables and the name variants learned from the corpus.
    pub variants: VariantModel,
}

impl CorpusModels {
    /// The models for documents taken alone, without a corpus (as for
    /// `dedup explain` on two files): the lexicon and the alias tables.
    pub fn alone(config: &RunConfig) -> anyhow::Result<CorpusModels> {
        let normalizer = Normalizer::new(config.normalize.clone());
        // With `keep_boilerplate` the lexicon still finds wall pages.
        let boilerplate = Some(boilerplate::Model::lexicon_only(Lexicon::builtin()?));
        Ok(CorpusModels {
            boilerplate,
            variants: learn_variants(
                config,
                &normalizer,
                NameCounts::default(),
                &WordSketch::new(),
            )?,
        })
    }
}

/// Stage 2, name variants: the alias tables and what is learned from the
/// spellings counted in stage 1 (`names`; `sketch` holds the lower-case
/// words).
pub fn learn_variants(
    config: &RunConfig,
    normalizer: &Normalizer,
    names: NameCounts,
    sketch: &WordSketch,
) -> anyhow::Result<VariantModel> {
    let aliases = variant_aliases(&config.variants, normalizer)?;
    Ok(VariantModel::learn(
        aliases,
        names,
        sketch,
        &config.variants,
    ))
}

/// Stage-1 text the boilerplate detector learns from at most, by default:
/// 256 MiB, about 180,000 news articles. Learning holds its sample's text,
/// shingles and n-gram counts in memory at once; above this, it learns from
/// a sample that is fair to every source (see [`learning_sample`]).
pub const LEARN_BUDGET: usize = 256 << 20;

/// In [`learning_sample`]'s map: a document the model did not learn from.
/// It is still searched with the lexicon and what was learned from its
/// source.
pub const NOT_LEARNED: usize = usize::MAX;

/// Which documents the boilerplate detector learns from, as a map from
/// document to its index among the model's inputs ([`NOT_LEARNED`] for
/// others). Every processed document while their stage-1 text fits in
/// `budget` bytes; above that, each source's first `c` documents (in walk
/// order), with `c` the largest cap that fits. A source with a handful of
/// documents keeps all of them, and a source with thousands keeps as many
/// as the budget allows; the sample depends on the walk order only.
pub fn learning_sample(docs: &[DocRecord], budget: usize) -> Vec<usize> {
    let usable = |d: &DocRecord| d.meta.status.is_ok() && d.text.len > 0;
    let mut per_source: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for d in docs.iter().filter(|d| usable(d)) {
        per_source
            .entry(d.meta.source.as_str())
            .or_default()
            .push(d.text.len as usize);
    }
    // Prefix sums per source: bytes of its first c documents.
    for sizes in per_source.values_mut() {
        let mut sum = 0;
        for s in sizes.iter_mut() {
            sum += *s;
            *s = sum;
        }
    }
    let total = |cap: usize| -> usize {
        per_source
            .values()
            .map(|p| if cap == 0 { 0 } else { p[cap.min(p.len()) - 1] })
            .sum()
    };
    let most = per_source.values().map(Vec::len).max().unwrap_or(0);
    let cap = if total(most) <= budget {
        most
    } else {
        // The largest cap whose sample fits (total is monotone in cap).
        let (mut lo, mut hi) = (0, most);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if total(mid) <= budget {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    };
    let mut taken: BTreeMap<&str, usize> = BTreeMap::new();
    let mut next = 0;
    docs.iter()
        .map(|d| {
            if !usable(d) {
                return NOT_LEARNED;
            }
            let n = taken.entry(d.meta.source.as_str()).or_default();
            if *n >= cap {
                return NOT_LEARNED;
            }
            *n += 1;
            next += 1;
            next - 1
        })
        .collect()
}

/// Stage 2, boilerplate: the lexicon, and what it learns from the
/// documents of [`learning_sample`] (their stage-1 text read back from
/// `stage1`). Returns the model (`None` with `--keep-boilerplate`) and the
/// sample's map, which [`boilerplate::Model::find`] needs in stage 3.
pub fn learn_boilerplate(
    config: &RunConfig,
    docs: &[DocRecord],
    stage1: &Spill,
) -> io::Result<(Option<boilerplate::Model>, Vec<usize>)> {
    let lexicon = Lexicon::builtin().map_err(io::Error::other)?;
    if config.keep_boilerplate {
        // Nothing is learned or cut, but the lexicon still finds wall pages
        // (see `remove_boilerplate`): text an extractor has cleaned is
        // often the consent banner it found instead of the article.
        return Ok((Some(boilerplate::Model::lexicon_only(lexicon)), Vec::new()));
    }
    let sample = learning_sample(docs, config.learn_budget);
    let chosen: Vec<&DocRecord> = docs
        .iter()
        .zip(&sample)
        .filter(|(_, i)| **i != NOT_LEARNED)
        .map(|(d, _)| d)
        .collect();
    let texts: Vec<String> = chosen
        .par_iter()
        .map_init(Vec::new, |buf, d| -> io::Result<String> {
            stage1.read(d.text, buf)?;
            decode_stage1(buf)?;
            crate::spill::utf8_string(std::mem::take(buf))
        })
        .collect::<io::Result<_>>()?;
    let inputs: Vec<boilerplate::Input<'_>> = chosen
        .iter()
        .zip(&texts)
        .map(|(d, text)| boilerplate::Input {
            source: &d.meta.source,
            language: &d.language,
            text,
        })
        .collect();
    let model_config = ModelConfig {
        learn: config.learn,
        shingle: config.shingle,
        lsh: config.lsh,
        cluster: config.cluster,
        ..ModelConfig::default()
    };
    let model = boilerplate::Model::learn(&inputs, lexicon, &model_config);
    Ok((Some(model), sample))
}

/// The shipped alias tables with the user's rows, cleaned by `normalizer`.
pub fn variant_aliases(
    config: &VariantsConfig,
    normalizer: &Normalizer,
) -> anyhow::Result<AliasMatcher> {
    let mut table = AliasTable::builtin()?;
    if let Some(user) = &config.user_aliases {
        table = table.with_user(user.clone());
    }
    Ok(AliasMatcher::new(table, normalizer.clone()))
}

/// Stage 1 on one document: clean its text and title. Mixed-script words
/// repaired on the way are flagged `confusables=N`.
pub fn clean_text(doc: crate::doc::RawDoc, normalizer: &Normalizer) -> Processed {
    let mut meta = doc.meta;
    let chars_raw = doc.text.chars().count();
    let mut report = CleanReport::default();
    meta.title = normalizer.clean_report(&meta.title, &mut report);
    if !meta.status.is_ok() {
        return Processed {
            meta,
            language: lang::UNDETERMINED.to_owned(),
            chars_raw,
            ..Processed::default()
        };
    }
    let text = normalizer.clean_report(&doc.text, &mut report);
    let language = String::new();
    if !report.confusables.is_empty() {
        meta.status
            .flag(format!("confusables={}", report.confusables.len()));
    }
    Processed {
        meta,
        language,
        chars_clean: text.chars().count(),
        text,
        chars_raw,
        confusables: report.confusables,
        ..Processed::default()
    }
}

/// Stage 1 on one document: identify the language of its cleaned text (a
/// declared language wins).
pub fn identify_language(doc: &mut Processed) {
    if doc.meta.status.is_ok() {
        doc.language = lang::detect(&doc.text, doc.meta.lang_hint.as_deref());
    }
}

/// Stage 3, first step, on one document: unify the name variants of its
/// text and title. `applied` is filled with what changed (and the
/// confusables stage 1 repaired), for the report.
pub fn unify_variants(
    doc: &mut Processed,
    model: &VariantModel,
    scratch: &mut ApplyScratch,
    applied: &mut Vec<Applied>,
) {
    unify_variants_keyed(doc, model, scratch, applied, None);
}

/// [`unify_variants`]; when the text is left as it was and its match key
/// was built on the way, that key is swapped into `key` (then `Some(true)`),
/// so that [`finish`] need not build it again.
fn unify_variants_keyed(
    doc: &mut Processed,
    model: &VariantModel,
    scratch: &mut ApplyScratch,
    applied: &mut Vec<Applied>,
    mut key: Option<(&mut String, &mut bool)>,
) {
    if let Some((_, ready)) = key.as_mut() {
        **ready = false;
    }
    applied.clear();
    for (found, written) in doc.confusables.drain(..) {
        applied.push(Applied {
            detail: confusable_detail(&found),
            variant: found,
            canonical: written,
            rule: crate::normalize::variants::Rule::Confusable,
            kept: false,
        });
    }
    if !doc.meta.status.is_ok() {
        return;
    }
    let before = applied.len();
    if let Some(text) = model.apply(&doc.text, &doc.language, scratch, applied) {
        doc.text = text;
        doc.chars_clean = doc.text.chars().count();
    } else if let Some((key, ready)) = key {
        *ready = scratch.take_key(key);
    }
    if let Some(title) = model.apply(&doc.meta.title, &doc.language, scratch, applied) {
        doc.meta.title = title;
    }
    doc.variants = applied[before..].iter().filter(|a| !a.kept).count();
}

/// Which letters of a repaired word were of another script, for the report:
/// "U+0422 Т (Cyrillic)".
fn confusable_detail(word: &str) -> String {
    use crate::normalize::confusables::{Script, repair_target, script_of};
    let Some(target) = repair_target(word) else {
        return String::new();
    };
    let parts: Vec<String> = word
        .chars()
        .filter_map(|c| match script_of(c) {
            Some(s) if s != target => Some(format!(
                "U+{:04X} {c} ({})",
                c as u32,
                match s {
                    Script::Cyrillic => "Cyrillic",
                    Script::Greek => "Greek",
                    Script::Latin => "Latin",
                    Script::Other => "other",
                }
            )),
            _ => None,
        })
        .collect();
    parts.join(", ")
}

/// Text normalized the way `run` normalizes a document, for `dedup
/// normalize`: clean, identify the language (or take `lang`), unify name
/// variants with the alias tables (no corpus, so nothing learned).
#[derive(Debug, Clone, Default)]
pub struct NormalizedText {
    pub text: String,
    pub language: String,
    pub applied: Vec<Applied>,
    /// Mixed-script words repaired.
    pub confusables: usize,
}

/// Normalize one text with the same per-document functions as `run`.
pub fn normalize_text(
    text: &str,
    lang: Option<&str>,
    normalizer: &Normalizer,
    model: &VariantModel,
) -> NormalizedText {
    let raw = crate::doc::RawDoc {
        meta: DocMeta {
            lang_hint: lang.map(str::to_owned),
            ..DocMeta::default()
        },
        text: text.to_owned(),
    };
    let mut doc = clean_text(raw, normalizer);
    identify_language(&mut doc);
    let confusables = doc.confusables.len();
    let mut applied = Vec::new();
    unify_variants(&mut doc, model, &mut ApplyScratch::default(), &mut applied);
    NormalizedText {
        text: doc.text,
        language: doc.language,
        applied,
        confusables,
    }
}

/// Per-thread buffers for stage 3.
#[derive(Default)]
pub struct Scratch {
    key: String,
    shingler: Shingler,
    shingles: Shingles,
    signer: minhash::Signer,
    sig: Vec<u32>,
    title: Vec<u32>,
    /// A document's stage-1 record as read back (then its text's buffer).
    bytes: Vec<u8>,
    /// The records written for a document (sketch, then text): kept from
    /// one document to the next, so that writing them allocates nothing.
    record: Vec<u8>,
}

/// Stage 3, first step, on one document: remove its boilerplate. `index`
/// is the document's place among the boilerplate model's inputs
/// ([`NOT_LEARNED`] if it was not one of them). It runs before name
/// variants are unified, on the text the model learned from, so the
/// model's per-document offsets hold.
pub fn remove_boilerplate(
    index: usize,
    doc: &mut Processed,
    normalizer: &Normalizer,
    models: &CorpusModels,
    config: &RunConfig,
    tokenizer: &mut boilerplate::Worker,
) {
    if !doc.meta.status.is_ok() {
        return;
    }
    let Some(model) = &models.boilerplate else {
        return;
    };
    let input = boilerplate::Input {
        source: &doc.meta.source,
        language: &doc.language,
        text: &doc.text,
    };
    let found = model.find_with(index, &input, tokenizer);
    if config.boilerplate_report {
        doc.learned = found
            .learned
            .iter()
            .map(|(core, span)| {
                (
                    doc.text[core.clone()].to_owned(),
                    doc.text[span.clone()].to_owned(),
                )
            })
            .collect();
    }
    // A wall page keeps its notice and the headline glued to it, all the
    // page has (`Model::find` proposes no cut into them), and `finish`
    // keeps it out of comparison.
    if found.wall >= boilerplate::WALL_SHARE {
        doc.meta.status.flag(WALL_FLAG);
        if doc.meta.status.detail.is_empty() {
            doc.meta.status.detail =
                format!("wall notices take {:.0}% of the words", 100.0 * found.wall);
        }
    }
    // `--keep-boilerplate`: wall pages are flagged, nothing is cut. Nothing
    // to cut (most documents): `apply` would only copy the text.
    if config.keep_boilerplate || found.spans.is_empty() {
        return;
    }
    let cleaned = boilerplate::apply(&doc.text, found.spans, config.max_removed_share);
    if cleaned.kept_whole {
        doc.meta.status.flag("boilerplate-kept");
    }
    if !cleaned.removals.is_empty() {
        doc.text = normalizer.clean(&cleaned.text);
        doc.chars_clean = doc.text.chars().count();
        doc.removals = cleaned.removals;
    }
}

/// Stage 3, last step, on one document: shingle. Returns true when the
/// document takes part in clustering; its shingles are then in `scratch`.
pub fn finish(doc: &mut Processed, config: &RunConfig, scratch: &mut Scratch) -> bool {
    finish_keyed(doc, config, scratch, false)
}

/// [`finish`]; `key_ready` says that `scratch.key` already holds the key of
/// the document's text as it is, built without composing it first (see
/// [`unify_variants_keyed`]). That is its match key when the text is NFC,
/// which cleaned text always is (checked, not assumed).
fn finish_keyed(
    doc: &mut Processed,
    config: &RunConfig,
    scratch: &mut Scratch,
    key_ready: bool,
) -> bool {
    if !doc.meta.status.is_ok() {
        return false;
    }
    let meta = &mut doc.meta;
    if doc.text.is_empty() {
        meta.status.kind = StatusKind::Empty;
        meta.status.detail = "no text after cleaning".to_owned();
    }
    doc.chars_clean = doc.text.chars().count();
    if !(key_ready && is_nfc(&doc.text)) {
        scratch.key.clear();
        match_key_into(&doc.text, &mut scratch.key);
    }
    let shingles = &mut scratch.shingles;
    scratch
        .shingler
        .shingle_into(&scratch.key, &config.shingle, shingles);
    if shingles.capped {
        meta.status.flag("shingles-capped");
    }
    // A wall page is not compared: every page of a site that hit the same
    // consent banner or captcha would be a copy of every other.
    if meta.status.has_flag(WALL_FLAG) {
        return false;
    }
    // Too little text to compare safely: fewer tokens than one shingle, or
    // fewer distinct shingles than MIN_SHINGLES. Such a document would match
    // any other that shares a stock phrase.
    if shingles.tokens < shingles.n(&config.shingle) || shingles.hashes.len() < MIN_SHINGLES {
        if meta.status.is_ok() {
            meta.status.flag("too-short");
        }
        return false;
    }
    true
}

/// Band keys of a document's whole text and prefix into `keys`.
fn sign(lsh: &LshConfig, scratch: &mut Scratch, keys: &mut [u32]) {
    let (whole, prefix) = keys.split_at_mut(lsh.bands);
    let Scratch {
        shingles,
        signer,
        sig,
        ..
    } = scratch;
    signer.sign_into(&shingles.hashes, lsh.k(), sig);
    minhash::band_keys(sig, lsh, whole);
    signer.sign_into(&shingles.prefix, lsh.k(), sig);
    minhash::band_keys(sig, lsh, prefix);
}

fn encode_sketch(shingles: &Shingles, title: &[u32], out: &mut Vec<u8>) {
    out.clear();
    codec::put_u32s(out, &shingles.hashes);
    codec::put_u32s(out, &shingles.numbers);
    codec::put_u32s(out, title);
}

/// Sketches read back from the spill for the exact check.
struct SpilledSketches<'a> {
    spill: &'a Spill,
    locs: &'a [Loc],
    k: usize,
}

impl Sketches for SpilledSketches<'_> {
    fn get<'a>(&'a self, doc: u32, buf: &'a mut Sketch) -> io::Result<&'a Sketch> {
        let _ = self.k;
        buf.shingles.clear();
        buf.numbers.clear();
        buf.title.clear();
        buf.signature.clear();
        let loc = self.locs[doc as usize];
        if loc.len == 0 {
            return Ok(buf);
        }
        SCRATCH.with(|bytes| {
            let mut bytes = bytes.borrow_mut();
            self.spill.read(loc, &mut bytes)?;
            let mut r = codec::Reader::new(&bytes);
            r.u32s_into(&mut buf.shingles)?;
            r.u32s_into(&mut buf.numbers)?;
            r.u32s_into(&mut buf.title)
        })?;
        Ok(buf)
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The warning of a wall page ([`boilerplate::WALL_SHARE`]): most of its
/// words are a consent banner, captcha, registration form or paywall.
pub const WALL_FLAG: &str = "wall";

/// A document with fewer distinct shingles than this is `too-short`: it is
/// kept as a singleton instead of being compared. Five word 3-shingles are
/// seven words, one short sentence; below that, two unrelated snippets that
/// share a stock phrase ("read more on our website") would be copies, and an
/// empty or nearly empty document could be a copy of anything.
pub const MIN_SHINGLES: usize = 5;

/// Read one document of a file: the record starting at `line` of a JSONL or
/// CSV file, or the first document.
pub fn read_record(path: &Path, line: Option<usize>) -> anyhow::Result<RawDoc> {
    let walk = ingest::walk(&[path.to_path_buf()])?;
    let docs: Vec<RawDoc> = walk
        .entries
        .iter()
        .flat_map(|e| ingest::read_entry(e, &FieldMap::default(), &Limits::default()))
        .collect();
    let wanted = line.map(|l| format!("{}:{l}", docs.first().map_or("", |d| d.meta.path.as_str())));
    let doc = match wanted {
        Some(id) => docs.into_iter().find(|d| d.meta.doc_id == id),
        None => docs.into_iter().next(),
    };
    doc.with_context(|| format!("{}: no such document", path.display()))
}

/// Stages 1 and 3 on one document, alone (no corpus): what `dedup explain`
/// compares for a file.
pub fn prepare_record(
    path: &Path,
    line: Option<usize>,
    config: &RunConfig,
    models: &CorpusModels,
) -> anyhow::Result<Processed> {
    let raw = read_record(path, line)?;
    let normalizer = Normalizer::new(config.normalize.clone());
    let mut doc = clean_text(raw, &normalizer);
    identify_language(&mut doc);
    remove_boilerplate(
        NOT_LEARNED,
        &mut doc,
        &normalizer,
        models,
        config,
        &mut boilerplate::Worker::default(),
    );
    let mut applied = Vec::new();
    unify_variants(
        &mut doc,
        &models.variants,
        &mut ApplyScratch::default(),
        &mut applied,
    );
    finish(&mut doc, config, &mut Scratch::default());
    Ok(doc)
}

/// [`prepare_record`] for the first document of a file.
pub fn prepare_file(
    path: &Path,
    config: &RunConfig,
    models: &CorpusModels,
) -> anyhow::Result<Processed> {
    prepare_record(path, None, config, models)
}

/// Two inputs can hold the same relative path; suffix later ones `#2`, `#3`.
fn make_ids_unique(docs: &mut [DocRecord]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for doc in docs.iter_mut() {
        let count = seen.entry(doc.meta.doc_id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            doc.meta.doc_id = format!("{}#{}", doc.meta.doc_id, count);
        }
    }
}

fn summarize(docs: &[DocRecord], assignments: &[Assignment]) -> Summary {
    let mut s = Summary {
        documents: docs.len(),
        ..Summary::default()
    };
    let mut sizes: BTreeMap<u32, usize> = BTreeMap::new();
    for (doc, a) in docs.iter().zip(assignments) {
        *sizes.entry(a.cluster).or_default() += 1;
        if doc.meta.status.is_ok() {
            s.processed += 1;
            *s.languages.entry(doc.language.clone()).or_default() += 1;
        } else {
            *s.problems
                .entry(doc.meta.status.kind.as_str().to_owned())
                .or_default() += 1;
        }
        for flag in &doc.meta.status.flags {
            let name = flag.split('=').next().unwrap_or(flag).to_owned();
            *s.flags.entry(name).or_default() += 1;
        }
    }
    s.clusters = sizes.len();
    s.duplicate_clusters = sizes.values().filter(|&&n| n > 1).count();
    s.duplicates = docs.len() - s.clusters;
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage1_records_round_trip_and_reject_truncation() {
        let cases = [
            ("Türkiye'de seçim.", "Seçim", "https://a.example/x"),
            ("", "", ""),
            ("北京消息。", "", "https://b.example/"),
            ("نص عربي", "عنوان", ""),
        ];
        let mut buf = Vec::new();
        for (text, title, url) in cases {
            encode_stage1(text, title, url, &mut buf);
            let (t, u) = decode_stage1(&mut buf).unwrap();
            assert_eq!((t.as_str(), u.as_str()), (title, url));
            assert_eq!(buf, text.as_bytes());
        }
        encode_stage1("text", "a title", "", &mut buf);
        let mut cut = buf[..buf.len() - 3].to_vec();
        assert!(decode_stage1(&mut cut).is_err());
        let mut lying = b"ab".to_vec();
        lying.extend_from_slice(&9u32.to_le_bytes());
        lying.extend_from_slice(&0u32.to_le_bytes());
        assert!(decode_stage1(&mut lying).is_err());
    }

    /// The files the language sample read and kept are the ones stage 1
    /// would read, document for document; files of many documents or much
    /// text are left to stage 1.
    #[test]
    fn language_sample_keeps_small_files_as_read() {
        let dir = tempfile::tempdir().unwrap();
        let texts = [
            "The council met on Monday and approved the new budget for the port.",
            "Le conseil municipal s'est réuni lundi et a approuvé le budget du port.",
            "Belediye meclisi pazartesi toplandı ve liman bütçesini onayladı.",
            "Городской совет собрался в понедельник и утвердил бюджет порта.",
            "قال المجلس البلدي إنه وافق على ميزانية الميناء يوم الاثنين.",
            "市议会周一开会并批准了港口的新预算。",
        ];
        // Sorted first in the walk, and sampled (every third file of 2,100):
        // a JSONL file of many records and a long text file.
        let records: String = (0..20)
            .map(|i| format!("{{\"id\": \"r{i}\", \"text\": \"{} {i}\"}}\n", texts[0]))
            .collect();
        std::fs::write(dir.path().join("a0-records.jsonl"), records).unwrap();
        for name in ["a1.txt", "a2.txt"] {
            std::fs::write(dir.path().join(name), texts[1]).unwrap();
        }
        std::fs::write(dir.path().join("a3-long.txt"), texts[2].repeat(2000)).unwrap();
        for i in 0..2100 {
            let text = format!("Title {i}\n\n{}", texts[i % texts.len()]);
            std::fs::write(dir.path().join(format!("b{i:04}.txt")), text).unwrap();
        }
        let config = RunConfig::new(vec![dir.path().to_path_buf()], dir.path().join("out"));
        let walk = ingest::walk(&config.inputs).unwrap();
        let (_, kept) = language_sample(&walk.entries, &config, &Normalizer::default());
        assert!(kept.len() > 500, "{}", kept.len());
        assert!(!kept.contains_key(&0), "many records");
        assert!(!kept.contains_key(&3), "long text");
        for (&index, docs) in &kept {
            let docs = docs.lock().unwrap().take().unwrap();
            let again = ingest::read_entry(&walk.entries[index], &config.fields, &config.limits);
            assert_eq!(docs.len(), again.len(), "{index}");
            for (a, b) in docs.iter().zip(&again) {
                assert_eq!((&a.meta, &a.text), (&b.meta, &b.text), "{index}");
            }
        }
        let small = RunConfig::new(vec![dir.path().join("a1.txt")], dir.path().join("out"));
        let walk = ingest::walk(&small.inputs).unwrap();
        assert!(
            language_sample(&walk.entries, &small, &Normalizer::default())
                .1
                .is_empty()
        );
    }

    fn record(source: &str, bytes: u32) -> DocRecord {
        DocRecord {
            meta: Box::new(DocMeta {
                source: source.to_owned(),
                ..DocMeta::default()
            }),
            text: Loc {
                file: 0,
                len: bytes,
                offset: 0,
            },
            ..DocRecord::default()
        }
    }

    #[test]
    fn learning_sample_takes_everything_that_fits() {
        let docs = vec![record("a", 10), record("b", 10), record("a", 10)];
        assert_eq!(learning_sample(&docs, 30), vec![0, 1, 2]);
    }

    #[test]
    fn learning_sample_is_fair_to_small_sources() {
        // Source "big" has ten documents, "small" two; 60 bytes allow a cap
        // of three documents per source (3 + 2 = 5 documents, 50 bytes),
        // not four (60 bytes would need 4 + 2).
        let mut docs: Vec<DocRecord> = (0..10).map(|_| record("big", 10)).collect();
        docs.insert(3, record("small", 10));
        docs.push(record("small", 10));
        let sample = learning_sample(&docs, 55);
        let learned: Vec<(&str, usize)> = docs
            .iter()
            .zip(&sample)
            .filter(|(_, i)| **i != NOT_LEARNED)
            .map(|(d, i)| (d.meta.source.as_str(), *i))
            .collect();
        assert_eq!(
            learned,
            vec![
                ("big", 0),
                ("big", 1),
                ("big", 2),
                ("small", 3),
                ("small", 4)
            ]
        );
    }

    #[test]
    fn learning_sample_skips_problems_and_empty_texts() {
        let mut bad = record("a", 10);
        bad.meta.status.kind = StatusKind::Binary;
        let docs = vec![bad, record("a", 0), record("a", 10)];
        assert_eq!(
            learning_sample(&docs, 1 << 20),
            vec![NOT_LEARNED, NOT_LEARNED, 0]
        );
    }
}
