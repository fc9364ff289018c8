//! The driver: orders the stages and owns the threads.
//!
//! ingest → normalize → lang → variants → boilerplate → shingle/minhash →
//! cluster → output
//!
//! Stages are plain functions over documents; this module is the only place
//! that knows their order, runs them on rayon's pool and collects results.
//! A different driver (a distributed one, say) can call the same stages.
//!
//! Three phases, because some models need the whole corpus first:
//! 1. per document: clean the text, find its language ([`clean_text`]);
//!    then count the name spellings ([`NameCounts::add_document`]);
//! 2. over the corpus: [`CorpusModels::learn`] (the boilerplate lexicon, the
//!    name variants learned from the counts);
//! 3. per document: unify name variants ([`unify_variants`]), remove
//!    boilerplate, shingle and sign ([`finish`]).
//!
//! Each phase is timed (`timings` in `summary.json`). `dedup normalize`
//! runs the same per-document functions on stdin ([`normalize_text`]).
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
use crate::ingest::{self, FieldMap, Limits};
use crate::lang;
use crate::minhash::{self, LshConfig};
use crate::normalize::aliases::{AliasMatcher, AliasTable};
use crate::normalize::variants::{
    Applied, ApplyScratch, CountScratch, NameCounts, VariantModel, VariantReport, VariantRow,
    VariantsConfig, WordSketch,
};
use crate::normalize::{CleanReport, NormalizeConfig, Normalizer, match_key_into};
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
    /// Size limits for reading files (text cap, longest record).
    pub limits: Limits,
    /// Skip boilerplate removal.
    pub keep_boilerplate: bool,
    /// A document losing more than this share of its characters to
    /// boilerplate removal is kept whole and flagged.
    pub max_removed_share: f64,
    pub normalize: NormalizeConfig,
    /// Name variants: the user's aliases, whether to rewrite, fuzzy settings.
    pub variants: VariantsConfig,
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
            limits: Limits::default(),
            keep_boilerplate: false,
            max_removed_share: 0.5,
            normalize: NormalizeConfig::default(),
            variants: VariantsConfig::default(),
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
    /// Mixed-script words repaired by cleaning (text and title): (as found,
    /// as written). Moved into the variants report in stage 3.
    pub confusables: Vec<(String, String)>,
    /// Name variants unified in this document (text and title).
    pub variants: usize,
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
    /// The rows of `variants.csv`.
    pub variants: Vec<VariantRow>,
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
    /// Name variants unified (or, with `--keep-variants`, found).
    pub variants_unified: u64,
    /// The same, per rule (`alias`, `user`, `case`, `diacritics`, `confusable`).
    pub variants_by_rule: BTreeMap<String, u64>,
    /// Variants found and left as they are by a guard (a number or a URL
    /// next to them, an ambiguous full stop), listed with `applied=false`.
    pub variants_kept: u64,
    /// Fuzzy candidates listed in `variants.csv` and not applied.
    pub variants_suggested: usize,
    pub candidate_pairs: usize,
    pub skipped_files: usize,
    pub warnings: Vec<String>,
    pub threads: usize,
    pub seconds: f64,
    /// Wall-clock seconds of each phase.
    pub timings: Timings,
}

/// Wall-clock seconds per phase of a run, in pipeline order. The phases run
/// one after the other (each one in parallel over the documents), so they
/// add up to the run's time.
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
    /// Stage 2: load the lexicon and the alias tables, learn name variants.
    pub learn: f64,
    /// Stage 3: unify name variants.
    pub variants: f64,
    /// Stage 3: remove boilerplate, shingle and sign.
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

/// Run the whole pipeline and write the output folder.
pub fn run(config: &RunConfig) -> anyhow::Result<Summary> {
    let pool = thread_pool(config.threads)?;
    let mut result = pool.install(|| process(config))?;
    let started = Instant::now();
    output::write(config, &mut result)
        .with_context(|| format!("cannot write output to {}", config.output.display()))?;
    let s = &mut result.summary;
    s.timings.output = started.elapsed().as_secs_f64();
    s.seconds += s.timings.output;
    s.timings.normalize_share = normalize_share(&s.timings, s.seconds);
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
    let mut timings = Timings::default();
    let mut clock = Instant::now();
    let mut lap = |slot: &mut f64| {
        *slot = clock.elapsed().as_secs_f64();
        clock = Instant::now();
    };
    let walk = ingest::walk(&config.inputs)?;
    let raw: Vec<_> = walk
        .entries
        .par_iter()
        .map(|entry| ingest::read_entry(entry, &config.fields, &config.limits))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();
    lap(&mut timings.read);

    // Stage 1, per document: normalize the text and identify its language,
    // then count name spellings (merged by addition: order-free).
    let normalizer = Normalizer::new(config.normalize.clone());
    let mut docs: Vec<Processed> = raw
        .into_par_iter()
        .map(|doc| clean_text(doc, &normalizer))
        .collect();
    make_ids_unique(&mut docs);
    lap(&mut timings.clean);
    docs.par_iter_mut().for_each(identify_language);
    lap(&mut timings.lang);
    let sketch = WordSketch::new();
    let names = docs
        .par_iter()
        .fold(
            || (NameCounts::default(), CountScratch::default()),
            |(mut names, mut scratch), doc| {
                if doc.meta.status.is_ok() {
                    names.add_document(&doc.text, &doc.language, &sketch, &mut scratch);
                }
                (names, scratch)
            },
        )
        .map(|(names, _)| names)
        .reduce(NameCounts::default, NameCounts::merge);
    lap(&mut timings.names);

    // Stage 2, over the corpus: models that need every document first.
    let models = CorpusModels::learn(config, &normalizer, names, &sketch)?;
    drop(sketch);
    lap(&mut timings.learn);

    // Stage 3, per document: unify name variants, then remove boilerplate,
    // shingle and sign.
    let report = docs
        .par_iter_mut()
        .fold(
            || {
                (
                    VariantReport::default(),
                    ApplyScratch::default(),
                    Vec::new(),
                )
            },
            |(mut report, mut scratch, mut applied), doc| {
                unify_variants(doc, &models.variants, &mut scratch, &mut applied);
                report.add_document(&doc.language, &applied);
                (report, scratch, applied)
            },
        )
        .map(|(report, _, _)| report)
        .reduce(VariantReport::default, VariantReport::merge);
    lap(&mut timings.variants);
    docs.par_iter_mut().for_each_init(
        || (Shingler::default(), String::new()),
        |(shingler, key), doc| finish(doc, &normalizer, &models, config, shingler, key),
    );
    lap(&mut timings.finish);

    let signatures: Vec<&[u32]> = docs.iter().map(|d| d.signature.as_slice()).collect();
    let pairs = minhash::candidates(&signatures, &config.lsh);
    lap(&mut timings.candidates);
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
    lap(&mut timings.cluster);
    let mut summary = summarize(&docs, &assignments);
    summary.candidate_pairs = pairs.len();
    summary.skipped_files = walk.skipped;
    summary.warnings = walk.warnings;
    summary.threads = rayon::current_num_threads();
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
    summary.seconds = started.elapsed().as_secs_f64();
    summary.timings = timings;
    summary.timings.normalize_share = normalize_share(&summary.timings, summary.seconds);
    for doc in &mut docs {
        doc.signature = Vec::new();
    }
    Ok(RunResult {
        docs,
        assignments,
        variants,
        summary,
    })
}

/// The share of `total` seconds spent in the normalization phases.
pub(crate) fn normalize_share(t: &Timings, total: f64) -> f64 {
    if total > 0.0 {
        (t.clean + t.names + t.learn + t.variants) / total
    } else {
        0.0
    }
}

/// Models learned from the whole corpus (or loaded once) and applied to
/// every document in stage 3.
pub struct CorpusModels {
    /// The phrase lexicon; `None` with `--keep-boilerplate`.
    pub lexicon: Option<Lexicon>,
    /// The alias tables and the name variants learned from the corpus.
    pub variants: VariantModel,
}

impl CorpusModels {
    /// Stage 2: `names` are the spellings counted in stage 1, `sketch` the
    /// lower-case words.
    pub fn learn(
        config: &RunConfig,
        normalizer: &Normalizer,
        names: NameCounts,
        sketch: &WordSketch,
    ) -> anyhow::Result<CorpusModels> {
        let lexicon = if config.keep_boilerplate {
            None
        } else {
            Some(Lexicon::builtin()?)
        };
        let aliases = variant_aliases(&config.variants, normalizer)?;
        let variants = VariantModel::learn(aliases, names, sketch, &config.variants);
        Ok(CorpusModels { lexicon, variants })
    }
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
