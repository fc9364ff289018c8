//! The driver: orders the stages and owns the threads.
//!
//! ingest → normalize → lang → boilerplate → shingle/minhash → cluster → output
//!
//! Stages are plain functions over documents; this module is the only place
//! that knows their order, runs them on rayon's pool and collects results.
//! A different driver (a distributed one, say) can call the same stages.
//!
//! Determinism: documents keep the walk order (sorted) throughout; rayon's
//! indexed collections preserve it; hash seeds are constants; clusters are
//! numbered by their first document. The thread count changes nothing in
//! the output.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;

use crate::boilerplate::{self, Lexicon, Removal};
use crate::cluster::{self, Assignment, ClusterConfig, ClusterInput};
use crate::doc::{DocMeta, StatusKind};
use crate::ingest::{self, FieldMap};
use crate::lang;
use crate::minhash::{self, LshConfig};
use crate::normalize::{NormalizeConfig, Normalizer, match_key_into};
use crate::output;
use crate::shingle::{ShingleConfig, Shingler};

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
    /// Skip boilerplate removal.
    pub keep_boilerplate: bool,
    /// A document losing more than this share of its characters to
    /// boilerplate removal is kept whole and flagged.
    pub max_removed_share: f64,
    pub normalize: NormalizeConfig,
    pub shingle: ShingleConfig,
    pub lsh: LshConfig,
    pub cluster: ClusterConfig,
    /// Write CSV cells exactly, without formula neutralization.
    pub raw_csv: bool,
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
            keep_boilerplate: false,
            max_removed_share: 0.5,
            normalize: NormalizeConfig::default(),
            shingle: ShingleConfig::default(),
            lsh: LshConfig::default(),
            cluster: ClusterConfig::default(),
            raw_csv: false,
        }
    }
}

/// One document after every per-document stage.
#[derive(Debug, Clone, Default)]
pub struct Processed {
    pub meta: DocMeta,
    pub language: String,
    /// Cleaned, normalized text (boilerplate removed); empty for problems.
    pub text: String,
    /// Characters in the decoded input text.
    pub chars_raw: usize,
    /// Characters in `text`.
    pub chars_clean: usize,
    pub removals: Vec<Removal>,
    /// Sorted shingle hashes; empty when the document takes no part in
    /// clustering.
    pub shingles: Vec<u64>,
    pub signature: Vec<u32>,
}

/// The whole result of a run, before it is written.
#[derive(Debug, Default)]
pub struct RunResult {
    pub docs: Vec<Processed>,
    pub assignments: Vec<Assignment>,
    pub summary: Summary,
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
    pub candidate_pairs: usize,
    pub skipped_files: usize,
    pub warnings: Vec<String>,
    pub threads: usize,
    pub seconds: f64,
}

/// Run the whole pipeline and write the output folder.
pub fn run(config: &RunConfig) -> anyhow::Result<Summary> {
    let pool = thread_pool(config.threads)?;
    let mut result = pool.install(|| process(config))?;
    let started = Instant::now();
    output::write(config, &mut result)
        .with_context(|| format!("cannot write output to {}", config.output.display()))?;
    result.summary.seconds += started.elapsed().as_secs_f64();
    Ok(result.summary)
}

/// A rayon pool with `threads` workers (or rayon's default).
pub fn thread_pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n);
    }
    builder.build().context("cannot start worker threads")
}

/// Every stage but output: read, clean, sign and cluster.
pub fn process(config: &RunConfig) -> anyhow::Result<RunResult> {
    let started = Instant::now();
    let walk = ingest::walk(&config.inputs)?;
    let raw: Vec<_> = walk
        .entries
        .par_iter()
        .map(|entry| ingest::read_entry(entry, &config.fields))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();

    // Stage 1, per document: normalize the text and identify its language.
    let normalizer = Normalizer::new(config.normalize.clone());
    let mut docs: Vec<Processed> = raw
        .into_par_iter()
        .map(|doc| clean_text(doc, &normalizer))
        .collect();
    make_ids_unique(&mut docs);

    // Stage 2, over the corpus: models that need every document first.
    let models = CorpusModels::learn(config)?;

    // Stage 3, per document: apply the models, then shingle and sign.
    docs.par_iter_mut().for_each_init(
        || (Shingler::default(), String::new()),
        |(shingler, key), doc| finish(doc, &normalizer, &models, config, shingler, key),
    );

    let signatures: Vec<&[u32]> = docs.iter().map(|d| d.signature.as_slice()).collect();
    let pairs = minhash::candidates(&signatures, &config.lsh);
    let inputs: Vec<ClusterInput<'_>> = docs
        .iter()
        .map(|d| ClusterInput {
            shingles: &d.shingles,
            signature: &d.signature,
            chars: d.chars_clean,
            date: d.meta.date.as_deref(),
            path: &d.meta.path,
            doc_id: &d.meta.doc_id,
        })
        .collect();
    let assignments = cluster::cluster(&inputs, &pairs, &config.cluster);
    let mut summary = summarize(&docs, &assignments);
    summary.candidate_pairs = pairs.len();
    summary.skipped_files = walk.skipped;
    summary.warnings = walk.warnings;
    summary.threads = rayon::current_num_threads();
    summary.seconds = started.elapsed().as_secs_f64();
    for doc in &mut docs {
        doc.signature = Vec::new();
    }
    Ok(RunResult {
        docs,
        assignments,
        summary,
    })
}

/// Models learned from the whole corpus (or loaded once) and applied to
/// every document in stage 3.
pub struct CorpusModels {
    /// The phrase lexicon; `None` with `--keep-boilerplate`.
    pub lexicon: Option<Lexicon>,
}

impl CorpusModels {
    pub fn learn(config: &RunConfig) -> anyhow::Result<CorpusModels> {
        let lexicon = if config.keep_boilerplate {
            None
        } else {
            Some(Lexicon::builtin()?)
        };
        Ok(CorpusModels { lexicon })
    }
}

/// Stage 1 on one document: clean its text and title, find its language.
fn clean_text(doc: crate::doc::RawDoc, normalizer: &Normalizer) -> Processed {
    let mut meta = doc.meta;
    let chars_raw = doc.text.chars().count();
    meta.title = normalizer.clean(&meta.title);
    if !meta.status.is_ok() {
        return Processed {
            meta,
            language: lang::UNDETERMINED.to_owned(),
            chars_raw,
            ..Processed::default()
        };
    }
    let text = normalizer.clean(&doc.text);
    let language = lang::detect(&text, meta.lang_hint.as_deref());
    Processed {
        meta,
        language,
        chars_clean: text.chars().count(),
        text,
        chars_raw,
        ..Processed::default()
    }
}

/// Stage 3 on one document: remove boilerplate, shingle and sign.
fn finish(
    doc: &mut Processed,
    normalizer: &Normalizer,
    models: &CorpusModels,
    config: &RunConfig,
    shingler: &mut Shingler,
    key: &mut String,
) {
    if !doc.meta.status.is_ok() {
        return;
    }
    if let Some(lexicon) = &models.lexicon {
        let cleaned =
            boilerplate::apply(&doc.text, lexicon.find(&doc.text), config.max_removed_share);
        if cleaned.kept_whole {
            doc.meta.status.flag("boilerplate-kept");
        }
        if !cleaned.removals.is_empty() {
            doc.text = normalizer.clean(&cleaned.text);
            doc.removals = cleaned.removals;
        }
    }
    let meta = &mut doc.meta;
    if doc.text.is_empty() {
        meta.status.kind = StatusKind::Empty;
        meta.status.detail = "no text after cleaning".to_owned();
    }
    doc.chars_clean = doc.text.chars().count();
    key.clear();
    match_key_into(&doc.text, key);
    let shingles = shingler.shingle(key, &config.shingle);
    if shingles.capped {
        meta.status.flag("shingles-capped");
    }
    let n = if shingles.by_chars {
        config.shingle.char_n
    } else {
        config.shingle.word_n
    };
    // Fewer tokens than one shingle: too little text to compare safely.
    if shingles.tokens < n {
        if meta.status.is_ok() {
            meta.status.flag("too-short");
        }
        return;
    }
    doc.signature = minhash::signature(&shingles.hashes, config.lsh.k());
    doc.shingles = shingles.hashes;
}

/// Two inputs can hold the same relative path; suffix later ones `#2`, `#3`.
fn make_ids_unique(docs: &mut [Processed]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for doc in docs.iter_mut() {
        let count = seen.entry(doc.meta.doc_id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            doc.meta.doc_id = format!("{}#{}", doc.meta.doc_id, count);
        }
    }
}

fn summarize(docs: &[Processed], assignments: &[Assignment]) -> Summary {
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
        s.boilerplate_removed += doc.removals.len();
        for r in &doc.removals {
            *s.boilerplate_by_kind.entry(r.kind.clone()).or_default() += 1;
        }
    }
    s.clusters = sizes.len();
    s.duplicate_clusters = sizes.values().filter(|&&n| n > 1).count();
    s.duplicates = docs.len() - s.clusters;
    s
}
