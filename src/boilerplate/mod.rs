//! Boilerplate: find the site furniture glued into article text and cut it
//! out, inline as well as on lines of its own.
//!
//! In: a document's cleaned text (and, for the learned detector, the whole
//! corpus first). Out: the text without the furniture, and one [`Removal`]
//! per span taken out, so the user can audit every cut.
//!
//! Two detectors work together, and removal is a separate step:
//! - the **lexicon** ([`Lexicon`], `lexicon.rs`): promo, teaser, share,
//!   copyright, "continue reading" and paywall phrases of many languages,
//!   each grown by its scope to the sentence boundary (a teaser's headline
//!   before "Learn more", the title after "Lire aussi :");
//! - the **learned** detector ([`Learned`], `learned.rs`): word n-grams
//!   that recur in many distinct articles of one source, such as a site's
//!   own newsletter promo that no lexicon knows.
//!
//! [`Model::learn`] builds both from the corpus (stage 2 of the pipeline):
//! it pre-clusters the documents on their lexicon-cleaned text, so that
//! copies of one article count as one *article*; counts n-grams per source
//! and article; and learns the context that stops lexicon scopes at article
//! text (`context.rs`: text shared with another source's copy, and the
//! words that start sentences in each language). Each document is
//! tokenized once for all of this and for [`Model::find`] (within the
//! budget of [`ModelConfig::token_cache_bytes`]): the cache changes the
//! cost, never the model. [`Model::find`] proposes
//! the spans of one document (stage 3); where a lexicon phrase lies inside
//! a learned run, the run gives the exact extent of the furniture. [`apply`]
//! merges spans, enforces the guard rails and cuts:
//! - a span longer than [`MAX_SPAN_WORDS`] words is article prose unless the
//!   source statistics are twice as confident as usual;
//! - a document that would lose more than half of its text is kept whole
//!   and flagged, because then a detector is more likely wrong than the
//!   page.
//!
//! [`Model::find`] also measures how much of the page the lexicon's wall
//! notices take ([`Found::wall`]: consent banners, bot checks, registration
//! forms, paywalls), from the phrase matches it has anyway. At
//! [`WALL_SHARE`] the page is only a wall: the driver flags it and keeps it
//! out of comparison, and no cut takes a wall phrase, so the headline glued
//! to the notice stays with it.
//!
//! Detection never sees the driver: [`Model`] takes plain [`Input`]s, so
//! any driver (or a fuzz target) can call it, and [`Lexicon::find`] with
//! [`apply`] works on a single text with no corpus at all.

mod context;
mod labels;
mod learned;
mod lexicon;
mod text;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use rayon::prelude::*;

pub use context::Starters;
pub use labels::Labels;
pub use learned::{EDGE_TOKENS, LearnConfig, Learned, SourceStats, source_key};
pub use lexicon::{KINDS, Lexicon, Pattern, Scope};
pub use text::{Tokenizer, approx_words};

use crate::cluster::{self, ClusterConfig, RepKey, Sketch};
use crate::minhash::{self, LshConfig};
use crate::normalize::{Keyed, is_nfc, match_key, match_key_into};
use crate::shingle::{ShingleConfig, Shingler};
use text::{TokenCache, merge_ranges};

/// A stretch of text a detector believes is furniture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub range: Range<usize>,
    /// The rule that fired, e.g. `lexicon:teaser` or `learned`.
    pub kind: String,
}

/// One cut, for `removed.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub kind: String,
    pub text: String,
}

/// The result of boilerplate removal on one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub text: String,
    pub removals: Vec<Removal>,
    /// True when the guard kept the document whole (it would lose too much).
    pub kept_whole: bool,
}

/// A span longer than this many words is prose, not furniture (unless the
/// learned statistics are twice as confident as their threshold).
pub const MAX_SPAN_WORDS: usize = 45;

/// The `kind` of a cut made by the learned detector.
pub const LEARNED_KIND: &str = "learned";

/// The `kind` of a teaser found by a learned label or call to action.
pub const LEARNED_TEASER_KIND: &str = "learned:teaser";

/// What the corpus knows about one document that helps a lexicon scope stop
/// at article text (see `context.rs`). The default knows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// Byte ranges shared with another source's copy of the article.
    pub protected: &'a [Range<usize>],
    /// Words that start sentences in the document's language.
    pub starters: Option<&'a Starters>,
}

/// One document as boilerplate detection sees it. A document that takes no
/// part (a problem, or no text) has an empty `text`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Input<'a> {
    pub source: &'a str,
    pub language: &'a str,
    pub text: &'a str,
}

/// Settings for [`Model::learn`]: the learned detector's, and the
/// similarity used to pre-cluster documents into articles (the run's own).
#[derive(Debug, Clone, Copy)]
pub struct ModelConfig {
    pub learn: LearnConfig,
    pub shingle: ShingleConfig,
    pub lsh: LshConfig,
    pub cluster: ClusterConfig,
    /// n-gram length for protected text.
    pub protect_words: usize,
    /// Bytes of word tokens learning keeps to share among its passes (see
    /// [`TOKEN_CACHE_BYTES`]).
    pub token_cache_bytes: usize,
}

/// Bytes of word tokens [`Model::learn`] keeps by default, so that each
/// document is tokenized once rather than once per learning pass and once
/// more in [`Model::find_with`]. A cached token takes 16 bytes, about two
/// per byte of text (the 27.5 MB of the 20,000-document speed corpus take
/// about 58 MB, judged by peak memory): this holds the tokens of some 60
/// MiB of text; documents beyond it are tokenized again in each
/// pass, as before, so the budget bounds memory and never changes what is
/// learned or found.
pub const TOKEN_CACHE_BYTES: usize = 128 << 20;

impl Default for ModelConfig {
    fn default() -> ModelConfig {
        ModelConfig {
            learn: LearnConfig::default(),
            shingle: ShingleConfig::default(),
            lsh: LshConfig::default(),
            cluster: ClusterConfig::default(),
            // Shingle length: long enough not to match by chance.
            protect_words: 5,
            token_cache_bytes: TOKEN_CACHE_BYTES,
        }
    }
}

/// Both detectors and the per-document context, learned from a corpus.
#[derive(Debug, Clone)]
pub struct Model {
    lexicon: Lexicon,
    learned: Learned,
    labels: Labels,
    starters: HashMap<String, Starters>,
    /// Per document (by input index): protected byte ranges.
    protected: Vec<Vec<Range<usize>>>,
    /// Per document (by input index): the lexicon's phrase matches, found
    /// while learning and grown again with the document's context.
    matches: Vec<Vec<(Range<usize>, usize)>>,
    /// Per document (by input index, up to the cache's budget): its tokens,
    /// made while learning and read again by [`Model::find_with`].
    tokens: TokenCache,
}

/// The spans [`Model::find`] proposes for one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    /// Every span, for [`apply`].
    pub spans: Vec<Span>,
    /// What the learned detectors found, for the report: `(what was
    /// learned, the span it makes)`. For an n-gram run both are the run;
    /// for a teaser label or call to action, the label and the teaser.
    pub learned: Vec<(Range<usize>, Range<usize>)>,
    /// The share of the document's words that wall notices take
    /// ([`wall_share`]): 0 when it has none.
    pub wall: f64,
}

/// One learned span in the report (`boilerplate.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub source: String,
    /// Documents of the source where the span was found.
    pub documents: usize,
    /// Distinct articles behind the weakest of its n-grams.
    pub articles: u32,
    /// What was learned, as found in the first document (in input order).
    pub text: String,
    /// The span it made there (a teaser label grows to the whole teaser).
    pub example: String,
}

impl Model {
    /// The lexicon alone, with no corpus: what [`Lexicon::find`] does.
    pub fn lexicon_only(lexicon: Lexicon) -> Model {
        Model {
            lexicon,
            learned: Learned::default(),
            labels: Labels::default(),
            starters: HashMap::new(),
            protected: Vec::new(),
            matches: Vec::new(),
            tokens: TokenCache::default(),
        }
    }

    /// Learn from every document of the corpus. `inputs` is indexed like the
    /// driver's documents; [`Model::find`] takes the same index.
    pub fn learn(inputs: &[Input<'_>], lexicon: Lexicon, config: &ModelConfig) -> Model {
        // One pass per document: the lexicon's matches, their spans grown
        // with no context (the raw spans), and the document's sketch for
        // the pre-clustering, which reuses the match key the lexicon built
        // where no span is cut out.
        let per_doc = config.lsh.keys_per_doc();
        let mut keys = vec![minhash::NO_KEY; inputs.len() * per_doc];
        type Found = (
            Vec<(Range<usize>, usize)>,
            Vec<Range<usize>>,
            (Sketch, usize),
        );
        let found: Vec<Found> = inputs
            .par_iter()
            .zip(keys.par_chunks_mut(per_doc.max(1)))
            .map_init(
                || (Keyed::default(), SketchScratch::default()),
                |(keyed, scratch), (d, keys)| {
                    if d.text.is_empty() {
                        return (Vec::new(), Vec::new(), (Sketch::default(), 0));
                    }
                    let matches = lexicon.matches_with(d.text, keyed);
                    let mut raw: Vec<Range<usize>> = lexicon
                        .grow(d.text, &matches, &Context::default())
                        .into_iter()
                        .map(|h| h.range)
                        .collect();
                    merge_ranges(&mut raw);
                    let sketch = sketch_article(d.text, &raw, keyed, scratch, keys, config);
                    (matches, raw, sketch)
                },
            )
            .collect();
        let mut matches = Vec::with_capacity(found.len());
        let mut raw = Vec::with_capacity(found.len());
        let mut sketches = Vec::with_capacity(found.len());
        for (m, r, sketch) in found {
            matches.push(m);
            raw.push(r);
            sketches.push(sketch);
        }
        let articles = articles(inputs, sketches, &keys, config);
        // Every pass below reads the same tokens: make them once.
        let texts: Vec<&str> = inputs.iter().map(|d| d.text).collect();
        let tokens = TokenCache::build(&texts, config.token_cache_bytes);
        let learned = Learned::learn(inputs, &articles, &tokens, config.learn);
        let protected = context::protection(
            inputs,
            &articles,
            &raw,
            &tokens,
            config.protect_words.max(2),
        );
        let starters = Starters::learn(inputs);
        let labels = Labels::learn(
            inputs,
            &articles,
            &starters,
            &protected,
            &tokens,
            &config.learn,
        );
        Model {
            lexicon,
            learned,
            labels,
            starters,
            protected,
            matches,
            tokens,
        }
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    pub fn learned(&self) -> &Learned {
        &self.learned
    }

    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    /// The context of document `doc`.
    pub fn context(&self, doc: usize, language: &str) -> Context<'_> {
        Context {
            protected: self.protected.get(doc).map_or(&[][..], Vec::as_slice),
            starters: self.starters.get(language),
        }
    }

    /// The furniture spans of document `doc` (its index in [`Model::learn`]'s
    /// inputs; any index works for a model without a corpus).
    pub fn find(&self, doc: usize, input: &Input<'_>) -> Found {
        self.find_with(doc, input, &mut Worker::default())
    }

    /// [`Model::find`] with reusable buffers (one [`Worker`] per thread).
    pub fn find_with(&self, doc: usize, input: &Input<'_>, worker: &mut Worker) -> Found {
        let context = self.context(doc, input.language);
        let fresh;
        let matches = match self.matches.get(doc) {
            Some(m) => m.as_slice(),
            None => {
                fresh = self.lexicon.matches_with(input.text, &mut worker.keyed);
                fresh.as_slice()
            }
        };
        let hits = self.lexicon.grow(input.text, matches, &context);
        let wall = wall_share(input.text, matches, &self.lexicon);
        // The learned detectors only know the sources they learned
        // something for: other documents are not even tokenized.
        let key = if self.learned.is_empty() && self.labels.is_empty() {
            None
        } else {
            let key = source_key(input.source);
            (self.learned.has_source(&key) || self.labels.has_source(&key)).then_some(key)
        };
        let (runs, teasers) = if let Some(key) = key {
            // The tokens made while learning, for a document learned from.
            let tokens = self.tokens.get(doc, input.text, &mut worker.tok);
            (
                self.learned
                    .runs(&key, input.text, tokens, context.protected),
                self.labels.find(
                    Some(doc),
                    &key,
                    input.text,
                    tokens,
                    &context,
                    &mut worker.labels,
                ),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let mut learned: Vec<(Range<usize>, Range<usize>)> = runs
            .iter()
            .map(|r| (r.range.clone(), r.range.clone()))
            .collect();
        // Learned runs first: where a lexicon span covers the same text,
        // the cut is named `learned`, since the run fixed its extent.
        let mut spans: Vec<Span> = runs
            .iter()
            .map(|r| Span {
                range: r.range.clone(),
                kind: LEARNED_KIND.to_owned(),
            })
            .collect();
        for hit in hits {
            let pattern = self.lexicon.pattern(hit.pattern);
            let mut range = hit.range;
            // The learned run is what recurs word for word around the
            // phrase: the furniture's exact extent. Teasers are the
            // exception: their headline changes with every article.
            if pattern.kind != "teaser" {
                if let Some(run) = runs
                    .iter()
                    .find(|r| r.range.start <= hit.core.start && hit.core.end <= r.range.end)
                {
                    range = run.range.clone();
                }
            }
            spans.push(Span {
                range,
                kind: format!("lexicon:{}", pattern.kind),
            });
        }
        for hit in teasers {
            let scope = match hit.side {
                labels::Side::Label => Scope::After,
                labels::Side::Cta => Scope::Before,
            };
            let core = hit.core.clone();
            let grown = if hit.standalone {
                Some(hit.core)
            } else {
                lexicon::grow_teaser(input.text, hit.core, scope, &context)
            };
            if let Some(range) = grown {
                learned.push((core, range.clone()));
                spans.push(Span {
                    range,
                    kind: LEARNED_TEASER_KIND.to_owned(),
                });
            }
        }
        // On a wall page the notice (and the headline glued to it) is all
        // there is of the page: no cut takes a wall phrase, so the
        // sentence cut that would take the headline with the notice goes.
        // Other furniture (a share line, a newsletter promo glued into the
        // notice) is cut as on any page.
        if wall >= WALL_SHARE {
            spans.retain(|s| {
                !matches.iter().any(|(core, p)| {
                    self.lexicon.pattern(*p).is_wall()
                        && s.range.start < core.end
                        && core.start < s.range.end
                })
            });
        }
        Found {
            learned,
            spans,
            wall,
        }
    }

    /// Group what the learned detectors found in documents, `(source,
    /// learned text, span text)` in input order, into report rows: one per
    /// source and learned text (compared on match keys), most frequent first
    /// within each source.
    pub fn report<'a>(
        &self,
        found: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Vec<ReportRow> {
        let mut rows: BTreeMap<(String, String), ReportRow> = BTreeMap::new();
        for (source, text, span) in found {
            let key = match_key(text);
            rows.entry((source.to_owned(), key))
                .or_insert_with(|| ReportRow {
                    source: source.to_owned(),
                    documents: 0,
                    articles: self
                        .learned
                        .articles_of(source, text)
                        .max(self.labels.articles_of(source, text)),
                    text: text.trim().to_owned(),
                    example: span.trim().to_owned(),
                })
                .documents += 1;
        }
        let mut rows: Vec<ReportRow> = rows.into_values().collect();
        rows.sort_by(|a, b| {
            a.source
                .cmp(&b.source)
                .then(b.documents.cmp(&a.documents))
                .then(a.text.cmp(&b.text))
        });
        rows
    }
}

/// A document whose wall notices ([`wall_share`]) take at least this share
/// of its words is a wall page: the site's consent banner, captcha, trial
/// form or paywall, plus at most the headline, stands where the article
/// should be. The pipeline flags it `wall` and keeps it as a singleton,
/// since every page of a site that hit the same wall would otherwise be a
/// copy of every other.
///
/// Measured with `bench/walls.py` (BENCHMARKS.md, "Wall pages"): of the
/// 5,132 SemEval-2022 Task 8 pages, 64 hold a wall phrase; the 48 that
/// score 0.5 or more are all wall pages and score 0.76 to 1.00 (a Hindi
/// headline over an English cookie banner scores least), the real
/// articles at most 0.34 (a story under a newsletter and log-in box).
/// Whole pages with menus, banners and footers score at most 0.31
/// (trafilatura's 1,032 evaluation pages, 175 with a wall phrase) and 0.10
/// (Scrapinghub's 181 article pages, 32). Half lies in the middle of the
/// gap, and it is the line the boilerplate guard draws too (a page that
/// would lose more than half its words is furniture, not an article with
/// furniture).
pub const WALL_SHARE: f64 = 0.5;

/// Text of at most this many words before, between and after wall
/// sentences is part of the notice: a banner's sentences do not all hold a
/// wall phrase ("Sie können auch zu Analysezwecken gesetzt werden."), and
/// its buttons, links and headline ("OK", "Datenschutz") sit around them.
/// The article text around a consent line or paywall teaser on the real
/// pages measured is longer than this: they score at most 0.34 with it.
pub const WALL_GAP_WORDS: usize = 20;

/// The share of `text`'s words ([`approx_words`]) that its wall notices
/// take: the sentences holding a wall phrase ([`Pattern::is_wall`]), whole
/// however long, and the stretches of at most [`WALL_GAP_WORDS`] words
/// before, between and after them. `matches` are the lexicon's phrase
/// matches in `text` (those boilerplate removal grows anyway): a document
/// without a wall phrase costs one look at each match and no pass over its
/// text.
pub(crate) fn wall_share(text: &str, matches: &[(Range<usize>, usize)], lexicon: &Lexicon) -> f64 {
    let mut wall: Vec<Range<usize>> = matches
        .iter()
        .filter(|(_, p)| lexicon.pattern(*p).is_wall())
        .map(|(core, _)| lexicon::sentence_at(text, core.clone()))
        .collect();
    if wall.is_empty() {
        return 0.0;
    }
    merge_ranges(&mut wall);
    let stretch = |s: &str| {
        let n = approx_words(s);
        if n <= WALL_GAP_WORDS { n } else { 0 }
    };
    let mut words = 0;
    let mut last = 0;
    for r in &wall {
        words += stretch(&text[last..r.start]) + approx_words(&text[r.clone()]);
        last = r.end;
    }
    words += stretch(&text[last..]);
    (words as f64 / approx_words(text).max(1) as f64).min(1.0)
}

/// Buffers [`Model::find_with`] reuses from document to document: one per
/// worker thread, so that stage 3 allocates no key, token or teaser
/// buffer per document.
#[derive(Debug, Default)]
pub struct Worker {
    tok: Tokenizer,
    keyed: Keyed,
    labels: labels::FindScratch,
}

/// Per-worker buffers of [`sketch_article`].
#[derive(Debug, Default)]
struct SketchScratch {
    shingler: Shingler,
    key: String,
    signer: minhash::Signer,
    sig: Vec<u32>,
}

/// The sketch of one document for the pre-clustering, on its text without
/// the `spans` (sorted, disjoint): its shingles and their band keys (into
/// `keys`), and the length of its match key. `keyed` holds the match key
/// of the whole text (the lexicon built it): where nothing is cut out and
/// the text is NFC, that is the key, and it is not built again.
fn sketch_article(
    text: &str,
    spans: &[Range<usize>],
    keyed: &Keyed,
    scratch: &mut SketchScratch,
    keys: &mut [u32],
    config: &ModelConfig,
) -> (Sketch, usize) {
    let SketchScratch {
        shingler,
        key,
        signer,
        sig,
    } = scratch;
    let key: &str = if spans.is_empty() && is_nfc(text) {
        &keyed.key
    } else {
        key.clear();
        let mut last = 0;
        for r in spans {
            match_key_into(&text[last..r.start], key);
            key.push(' ');
            last = r.end;
        }
        match_key_into(&text[last..], key);
        key
    };
    let s = shingler.shingle(key, &config.shingle);
    if s.hashes.is_empty() {
        return (Sketch::default(), 0);
    }
    let k = config.lsh.k();
    let (whole, prefix) = keys.split_at_mut(config.lsh.bands);
    signer.sign_into(&s.hashes, k, sig);
    minhash::band_keys(sig, &config.lsh, whole);
    signer.sign_into(&s.prefix, k, sig);
    minhash::band_keys(sig, &config.lsh, prefix);
    (
        Sketch {
            shingles: s.hashes,
            numbers: s.numbers,
            signature: Vec::new(),
            // Learning sees texts only; the title rule is for the run's
            // own clusters.
            title: Vec::new(),
        },
        key.len(),
    )
}

/// Pre-cluster the corpus into articles on lexicon-cleaned text, with the
/// run's own similarity (whole text and prefix bands, exact check, no
/// chaining), from each document's [`sketch_article`] and band keys:
/// `u32::MAX` for documents without text.
fn articles(
    inputs: &[Input<'_>],
    sketches: Vec<(Sketch, usize)>,
    keys: &[u32],
    config: &ModelConfig,
) -> Vec<u32> {
    let k = config.lsh.k();
    let rep_keys: Vec<RepKey<'_>> = sketches
        .iter()
        .map(|(_, chars)| RepKey {
            chars: *chars,
            date: None,
            path: "",
            doc_id: "",
        })
        .collect();
    let sketches: Vec<Sketch> = sketches.into_iter().map(|(s, _)| s).collect();
    let assignments = match cluster::cluster(
        &rep_keys,
        |rank| minhash::candidates(keys, rank, &config.lsh),
        &sketches,
        &config.cluster,
        k,
    ) {
        Ok((a, _)) => a,
        // In-memory sketches cannot fail to read; were it to happen, every
        // document is its own article, which only makes learning stricter.
        Err(_) => (0..inputs.len() as u32)
            .map(|i| cluster::Assignment {
                cluster: i,
                representative: i,
                similarity: 1.0,
                jaccard: 1.0,
                containment: 1.0,
                estimate: 1.0,
            })
            .collect(),
    };
    inputs
        .iter()
        .zip(assignments)
        .map(|(d, a)| {
            if d.text.is_empty() {
                u32::MAX
            } else {
                a.cluster
            }
        })
        .collect()
}

/// Cut the spans out of `text`, with the guard rails of the module docs.
///
/// `max_removed_share` is the share of words ([`approx_words`]) a document
/// may lose before it is kept whole (0.5 by default).
pub fn apply(text: &str, mut spans: Vec<Span>, max_removed_share: f64) -> Cleaned {
    spans.retain(|s| s.range.start < s.range.end && s.range.end <= text.len());
    if spans.is_empty() {
        return Cleaned {
            text: text.to_owned(),
            ..Cleaned::default()
        };
    }
    spans.sort_by(|a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then(b.range.end.cmp(&a.range.end))
    });
    // Merge overlapping spans; the first (outermost) kind names the merged cut.
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.range.start < last.range.end => {
                last.range.end = last.range.end.max(span.range.end);
            }
            _ => merged.push(span),
        }
    }
    // Measured in words ([`approx_words`]: two characters of a script
    // without spaces make a word), not characters: a Chinese page with an
    // aggregator's English promo and footer is mostly article, yet Latin
    // letters outnumber its Han characters; by characters it lost "more
    // than half" (measured on the benchmark's aggregator pages: 0.52 of
    // the characters, 0.37 of the words).
    let removed_words: usize = merged
        .iter()
        .map(|s| approx_words(&text[s.range.clone()]))
        .sum();
    // The text's words are counted only until they are enough to make the
    // cut (with a share of zero or more, a count that makes it says the
    // same as every larger count).
    let total_words = if max_removed_share >= 0.0 {
        text::count_words_until(text, |words| {
            removed_words as f64 <= words.max(1) as f64 * max_removed_share
        })
    } else {
        approx_words(text)
    }
    .max(1);
    if removed_words as f64 > total_words as f64 * max_removed_share {
        return Cleaned {
            text: text.to_owned(),
            removals: Vec::new(),
            kept_whole: true,
        };
    }
    let mut out = String::with_capacity(text.len());
    let mut removals = Vec::with_capacity(merged.len());
    let mut last = 0;
    for span in merged {
        out.push_str(&text[last..span.range.start]);
        // A cut never glues two words of a spaced script together
        // ("Android 10" + "Non è" is not "Android 10Non è").
        let before = out.chars().next_back();
        let after = text[span.range.end..].chars().next();
        if before.is_some_and(text::is_word_char) && after.is_some_and(text::is_word_char) {
            out.push(' ');
        }
        removals.push(Removal {
            kind: span.kind,
            text: text[span.range.clone()].trim().to_owned(),
        });
        last = span.range.end;
    }
    out.push_str(&text[last..]);
    Cleaned {
        text: out,
        removals,
        kept_whole: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped lexicon in many languages: a teaser (label and headline)
    /// glued to the end of a paragraph and a copyright line go; the article
    /// sentences stay.
    #[test]
    fn builtin_lexicon_across_languages() {
        // (lang, sentence 1, teaser, sentence 2, footer)
        let cases = [
            (
                "en",
                "The city council approved the new budget on Monday after a long debate.",
                "Read also: Rail strike enters its second week",
                "The mayor said the vote was a relief for local schools.",
                "© 2024 Example News. All rights reserved.",
            ),
            (
                "fr",
                "Le conseil municipal a adopté le budget lundi après un long débat.",
                "Lire aussi : La grève des cheminots entre dans sa deuxième semaine",
                "Le maire a salué un vote important pour les écoles.",
                "Tous droits réservés.",
            ),
            (
                "de",
                "Der Stadtrat hat den Haushalt am Montag nach langer Debatte beschlossen.",
                "Lesen Sie auch: Bahnstreik geht in die zweite Woche",
                "Der Bürgermeister sprach von einer Erleichterung für die Schulen.",
                "Alle Rechte vorbehalten.",
            ),
            (
                "tr",
                "Belediye meclisi yeni bütçeyi pazartesi günü uzun bir tartışmanın ardından onayladı.",
                "İlginizi çekebilir: Demiryolu grevi ikinci haftasına girdi",
                "Belediye başkanı oylamanın okullar için bir rahatlama olduğunu söyledi.",
                "Tüm hakları saklıdır.",
            ),
            (
                "es",
                "El ayuntamiento aprobó el nuevo presupuesto el lunes tras un largo debate.",
                "Lee también: La huelga ferroviaria entra en su segunda semana",
                "El alcalde dijo que la votación era un alivio para las escuelas.",
                "Todos los derechos reservados.",
            ),
            (
                "es",
                "El ayuntamiento aprobó el nuevo presupuesto el lunes tras un largo debate.",
                "Lea más: Concejales proponen cerrar el centro a los coches",
                "El alcalde dijo que la votación era un alivio para las escuelas.",
                "Todos los derechos reservados.",
            ),
            (
                "it",
                "Il consiglio comunale ha approvato il bilancio lunedì dopo un lungo dibattito.",
                "Leggi anche: Lo sciopero dei treni entra nella seconda settimana",
                "Il sindaco ha detto che il voto è un sollievo per le scuole.",
                "Tutti i diritti riservati.",
            ),
            (
                "pl",
                "Rada miasta przyjęła w poniedziałek nowy budżet po długiej debacie.",
                "Zobacz także: Strajk kolejarzy trwa już drugi tydzień",
                "Burmistrz powiedział, że głosowanie to ulga dla szkół.",
                "Wszelkie prawa zastrzeżone.",
            ),
            (
                "ru",
                "Городской совет в понедельник утвердил новый бюджет после долгих споров.",
                "Читайте также: Забастовка железнодорожников идёт вторую неделю",
                "Мэр назвал голосование облегчением для школ.",
                "Все права защищены.",
            ),
            (
                "ar",
                "وافق المجلس البلدي يوم الاثنين على الميزانية الجديدة بعد نقاش طويل.",
                "اقرأ أيضا: إضراب السكك الحديدية يدخل أسبوعه الثاني",
                "وقال رئيس البلدية إن التصويت يمثل ارتياحا للمدارس.",
                "جميع الحقوق محفوظة.",
            ),
            (
                "zh",
                "市议会周一在长时间辩论后批准了新预算。",
                "相关阅读：铁路罢工进入第二周",
                "市长表示，这次投票让学校松了一口气。",
                "版权所有。",
            ),
            (
                "pt",
                "A câmara municipal aprovou o novo orçamento na segunda-feira após um longo debate.",
                "Leia também: Greve ferroviária entra na segunda semana",
                "O prefeito disse que a votação é um alívio para as escolas.",
                "Todos os direitos reservados.",
            ),
            (
                "nl",
                "De gemeenteraad keurde maandag na een lang debat de nieuwe begroting goed.",
                "Gerelateerde artikelen: Spoorstaking gaat tweede week in",
                "De burgemeester noemde de stemming een opluchting voor de scholen.",
                "Alle rechten voorbehouden.",
            ),
            (
                "uk",
                "Міська рада в понеділок ухвалила новий бюджет після довгої дискусії.",
                "Читайте також: Страйк залізничників триває другий тиждень",
                "Мер назвав голосування полегшенням для шкіл.",
                "Усі права захищені.",
            ),
            (
                "ja",
                "市議会は月曜日、長い議論の末に新しい予算を承認した。",
                "関連記事：鉄道ストが2週目に突入",
                "市長は、投票は学校にとって安心材料だと述べた。",
                "無断転載を禁じます。",
            ),
        ];
        let lexicon = Lexicon::builtin().unwrap();
        let normalizer = crate::normalize::Normalizer::default();
        for (lang, s1, teaser, s2, footer) in cases {
            assert!(lexicon.languages().contains(&lang), "{lang}");
            let sep = if matches!(lang, "zh" | "ja") { "" } else { " " };
            let text = normalizer.clean(&format!("{s1}{sep}{teaser}\n\n{s2}\n\n{footer}"));
            let cleaned = apply(&text, lexicon.find(&text), 0.5);
            let out = normalizer.clean(&cleaned.text);
            assert_eq!(
                out,
                format!("{s1}\n\n{s2}"),
                "{lang}: {:?}",
                cleaned.removals
            );
            let kinds: Vec<&str> = cleaned.removals.iter().map(|r| r.kind.as_str()).collect();
            assert!(kinds.contains(&"lexicon:teaser"), "{lang}: {kinds:?}");
            assert!(kinds.contains(&"lexicon:copyright"), "{lang}: {kinds:?}");
        }
    }

    /// The shipped lexicon on the furniture families a review of real
    /// extracted pages found left in (cookie notices, comment log-in
    /// prompts, share-button rows, newsletter lines), in several languages;
    /// and ordinary news sentences on the same topics that must stay.
    #[test]
    fn builtin_lexicon_cuts_consent_comment_share_and_newsletter_furniture() {
        // (lang, text, expected): `{a}` and `{b}` stand for two article
        // sentences of the language.
        let a_b = |lang: &str| match lang {
            "de" => (
                "Der Stadtrat hat den Haushalt am Montag nach langer Debatte beschlossen.",
                "Der Bürgermeister sprach von einer Erleichterung für die Schulen.",
            ),
            "fr" => (
                "Le conseil municipal a adopté le budget lundi après un long débat.",
                "Le maire a salué un vote important pour les écoles.",
            ),
            "es" => (
                "El ayuntamiento aprobó el nuevo presupuesto el lunes tras un largo debate.",
                "El alcalde dijo que la votación era un alivio para las escuelas.",
            ),
            "it" => (
                "Il consiglio comunale ha approvato il bilancio lunedì dopo un lungo dibattito.",
                "Il sindaco ha detto che il voto è un sollievo per le scuole.",
            ),
            "pt" => (
                "A câmara municipal aprovou o novo orçamento na segunda-feira após longo debate.",
                "O prefeito disse que a votação foi um alívio para as escolas.",
            ),
            "pl" => (
                "Rada miasta przyjęła w poniedziałek nowy budżet po długiej debacie.",
                "Burmistrz powiedział, że głosowanie to ulga dla szkół.",
            ),
            "ru" => (
                "Городской совет в понедельник принял новый бюджет после долгих споров.",
                "Мэр назвал голосование облегчением для школ.",
            ),
            _ => (
                "The city council approved the new budget on Monday after a long debate.",
                "The mayor said the vote was a relief for local schools.",
            ),
        };
        let cut = [
            // Comment log-in prompts, inline after the article.
            (
                "en",
                "{a} You must be logged in to post a comment.\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "en",
                "{a} Learn how your comment data is processed.\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "de",
                "{a} Du musst angemeldet sein, um einen Kommentar abzugeben.\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "de",
                "{a}\n\nGib hier deinen Kommentar ein ...\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "fr",
                "{a} Vous devez être connecté pour publier un commentaire.\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "es",
                "{a} Debes iniciar sesión para comentar.\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "it",
                "{a} Devi essere connesso per inviare un commento.\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "pt",
                "{a} Você precisa estar logado para comentar.\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "pl",
                "{a} Zaloguj się, aby dodać komentarz.\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "ru",
                "{a} Чтобы оставить комментарий, войдите на сайт.\n\n{b}",
                "{a}\n\n{b}",
            ),
            // Cookie and consent notices.
            (
                "en",
                "{a} By staying here you agree to our use of cookies.\n\n{b}",
                "{a}\n\n{b}",
            ),
            ("en", "{a}\n\nCookie Preferences\n\n{b}", "{a}\n\n{b}"),
            (
                "de",
                "{a} Diese Webseite verwendet Cookies, damit alles läuft.\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "fr",
                "{a} En poursuivant, vous acceptez l'utilisation de traceurs.\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "es",
                "{a} Si continúas navegando, aceptas el uso de cookies.\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "it",
                "{a} Continuando la navigazione acconsenti all'uso dei cookie.\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "pt",
                "{a} Ao navegar, você concorda com o uso de cookies.\n\n{b}",
                "{a}\n\n{b}",
            ),
            // Share-button rows.
            ("en", "{a}\n\nShare Tweet\n\n{b}", "{a}\n\n{b}"),
            (
                "de",
                "{a}\n\nTEILEN TWITTERN TEILEN MAILEN\n\n{b}",
                "{a}\n\n{b}",
            ),
            (
                "de",
                "{a} Teilen Teilen Weiterleiten Tweeten Weiterleiten Drucken {b}",
                "{a} {b}",
            ),
            (
                "fr",
                "{a} Partager Partager Transférer Tweet Transférer Imprimer {b}",
                "{a} {b}",
            ),
            ("ru", "{a} Поделиться Твитнуть\n\n{b}", "{a}\n\n{b}"),
            // Newsletter lines.
            (
                "en",
                "{a}\n\nGet the Evening Brief and other email newsletters\n\n{b}",
                "{a}\n\n{b}",
            ),
            ("en", "{a}\n\nSign up for newsletters\n\n{b}", "{a}\n\n{b}"),
        ];
        // Article sentences on the same topics, with the same words.
        let keep = [
            (
                "en",
                "Users must be logged in to vote in the online poll, officials said.",
            ),
            (
                "en",
                "The regulator said the company's use of cookies broke consumer law.",
            ),
            (
                "en",
                "Readers can post a comment below each article until midnight, the editors said, and every comment is read before it appears.",
            ),
            (
                "de",
                "Die Datenschutzbehörde prüft die Verwendung von Cookies durch große Plattformen.",
            ),
            (
                "de",
                "Wähler müssen angemeldet sein, um per Brief abstimmen zu können.",
            ),
            (
                "fr",
                "La CNIL a sanctionné l'utilisation de cookies sans consentement par trois sites.",
            ),
            (
                "es",
                "El regulador investiga el uso de cookies por parte de varias tiendas en línea.",
            ),
            (
                "it",
                "Il Garante ha chiarito le regole sull'uso dei cookie per i siti pubblici.",
            ),
            (
                "pt",
                "A autoridade investiga o uso de cookies por grandes plataformas digitais.",
            ),
        ];
        let lexicon = Lexicon::builtin().unwrap();
        let normalizer = crate::normalize::Normalizer::default();
        let run = |text: &str| {
            let text = normalizer.clean(text);
            let cleaned = apply(&text, lexicon.find(&text), 0.5);
            (normalizer.clean(&cleaned.text), cleaned.removals)
        };
        for (lang, text, expected) in cut {
            let (a, b) = a_b(lang);
            let fill = |t: &str| t.replace("{a}", a).replace("{b}", b);
            let (input, want) = (fill(text), fill(expected));
            let (out, removals) = run(&input);
            assert_eq!(out, normalizer.clean(&want), "{lang}: {removals:?}");
            assert!(!removals.is_empty(), "{lang}: {text}");
        }
        for (lang, sentence) in keep {
            let (a, _) = a_b(lang);
            let input = format!("{a}\n\n{sentence}");
            let (out, removals) = run(&input);
            assert_eq!(out, normalizer.clean(&input), "{lang}: {removals:?}");
        }
    }

    #[test]
    fn a_model_learns_a_sites_promo_and_keeps_everything_else() {
        let promo = "Get the Harbour Morning Brief in your inbox every weekday before breakfast";
        let bodies = [
            (
                "Port workers voted to end the strike on Monday.",
                "Cranes were moving again by the evening shift.",
            ),
            (
                "The council approved a new cycle lane on Tuesday.",
                "Work on the lane starts in the spring.",
            ),
            (
                "A storm closed the coastal road overnight.",
                "Engineers expect it to reopen on Friday.",
            ),
            (
                "The museum reopened its west wing after repairs.",
                "Visitors queued around the block to see it.",
            ),
        ];
        let texts: Vec<String> = bodies
            .iter()
            .map(|(a, b)| format!("{a} {promo} {b}"))
            .collect();
        let other =
            "Port workers voted to end the strike on Monday. The union called it a fair deal."
                .to_owned();
        let mut inputs: Vec<Input<'_>> = texts
            .iter()
            .map(|t| Input {
                source: "harbour-ledger.example",
                language: "en",
                text: t,
            })
            .collect();
        inputs.push(Input {
            source: "Northgate Wire",
            language: "en",
            text: &other,
        });
        let model = Model::learn(
            &inputs,
            Lexicon::builtin().unwrap(),
            &ModelConfig::default(),
        );
        for (i, (a, b)) in bodies.iter().enumerate() {
            let found = model.find(i, &inputs[i]);
            let cleaned = apply(inputs[i].text, found.spans, 0.5);
            assert_eq!(
                cleaned.removals,
                vec![Removal {
                    kind: LEARNED_KIND.into(),
                    text: promo.into()
                }],
                "{}",
                inputs[i].text
            );
            assert!(cleaned.text.contains(a) && cleaned.text.contains(b));
        }
        // The other source learned nothing, and its article stays whole.
        assert!(model.find(4, &inputs[4]).spans.is_empty());
        let sources = model.learned().sources();
        assert_eq!(sources["harbourledger"].articles, 4);
        assert!(sources["harbourledger"].grams > 0);
    }

    /// The token cache changes the cost of learning, never the model: a
    /// model learned with no cache, a partial one or a whole one finds the
    /// same spans in every document (learned n-grams, teaser labels and
    /// calls to action, protected text), in several scripts.
    #[test]
    fn the_token_cache_never_changes_the_model() {
        let furniture = [
            (
                "harbour-ledger.example",
                "en",
                "Get the Harbour Morning Brief in your inbox every weekday before breakfast",
                "Read also: ",
            ),
            (
                "gazete.example",
                "tr",
                "Günün en önemli haberleri için bültenimize hemen ücretsiz abone olun",
                "İLGİLİ HABER: ",
            ),
            (
                "xinwen.example",
                "zh",
                "订阅我们的新闻简报每天早上获取最新的地方新闻和天气预报",
                "相关阅读：",
            ),
        ];
        let topics = [
            (
                "The port reopened on Monday after the strike.",
                "Cranes moved again",
            ),
            (
                "The council approved a new cycle lane.",
                "Rail strike enters week two",
            ),
            (
                "A storm closed the coastal road overnight.",
                "Museum wing reopens",
            ),
            ("The museum reopened its west wing.", "Budget vote delayed"),
            (
                "Schools will stay open during the heat wave.",
                "Bridge works start",
            ),
        ];
        let mut docs: Vec<(&str, &str, String)> = Vec::new();
        for (source, lang, promo, label) in furniture {
            for (i, (body, headline)) in topics.iter().enumerate() {
                let sep = if lang == "zh" { "" } else { " " };
                docs.push((
                    source,
                    lang,
                    format!("{body}{sep}{label}{headline}\n\n{promo}\n\nStory {i} of {source}."),
                ));
            }
        }
        // A copy of one article in another source: protected text.
        docs.push((
            "Northgate Wire",
            "en",
            format!("{} The union called it fair.", topics[0].0),
        ));
        let inputs: Vec<Input<'_>> = docs
            .iter()
            .map(|(source, language, text)| Input {
                source,
                language,
                text,
            })
            .collect();
        let learn = |budget: usize| {
            let config = ModelConfig {
                token_cache_bytes: budget,
                ..ModelConfig::default()
            };
            let model = Model::learn(&inputs, Lexicon::builtin().unwrap(), &config);
            let found: Vec<Found> = (0..inputs.len())
                .map(|i| model.find(i, &inputs[i]))
                .collect();
            (found, model.protected.clone())
        };
        let whole = learn(TOKEN_CACHE_BYTES);
        assert!(
            whole.0.iter().any(|f| !f.learned.is_empty()),
            "learns something"
        );
        for budget in [0, 2_000, 4_000] {
            assert!(learn(budget) == whole, "budget {budget}");
        }
    }

    /// The pre-clustering sketch that reuses the lexicon's match key is
    /// the one made from the text's own key, spans or none, in NFC and NFD
    /// texts of several scripts.
    #[test]
    fn sketches_reuse_the_lexicon_key_faithfully() {
        let config = ModelConfig::default();
        let per_doc = config.lsh.keys_per_doc();
        // The sketch the old way: the match key of the text without the
        // spans, shingled and signed.
        let plain = |text: &str, spans: &[Range<usize>]| {
            let mut key = String::new();
            let mut last = 0;
            for r in spans {
                match_key_into(&text[last..r.start], &mut key);
                key.push(' ');
                last = r.end;
            }
            match_key_into(&text[last..], &mut key);
            let s = Shingler::default().shingle(&key, &config.shingle);
            let mut keys = vec![minhash::NO_KEY; per_doc];
            if s.hashes.is_empty() {
                return (Sketch::default(), 0, keys);
            }
            let (mut signer, mut sig) = (minhash::Signer::default(), Vec::new());
            let (whole, prefix) = keys.split_at_mut(config.lsh.bands);
            signer.sign_into(&s.hashes, config.lsh.k(), &mut sig);
            minhash::band_keys(&sig, &config.lsh, whole);
            signer.sign_into(&s.prefix, config.lsh.k(), &mut sig);
            minhash::band_keys(&sig, &config.lsh, prefix);
            let sketch = Sketch {
                shingles: s.hashes,
                numbers: s.numbers,
                signature: Vec::new(),
                title: Vec::new(),
            };
            (sketch, key.len(), keys)
        };
        let texts = [
            "The council approved the budget on Monday after a long debate. Read also: Rail strike",
            "Belediye meclisi bütçeyi pazartesi günü onayladı ve ERDOĞAN konuştu 2024",
            "市议会周一在长时间辩论后批准了新预算，市长表示这次投票让学校松了一口气",
            // Hangul in NFD: the lexicon's key is not the text's key here.
            "Le conseil a adopte\u{301} le budget \u{1112}\u{1161}\u{11ab}\u{1100}\u{116e}\u{11a8} lundi apre\u{300}s un long de\u{301}bat",
            "short",
        ];
        let mut scratch = SketchScratch::default();
        assert!(!is_nfc(texts[3]) && Keyed::new(texts[3]).key != match_key(texts[3]));
        for text in texts {
            let keyed = Keyed::new(text);
            let cut = text.find(' ').map_or(0..0, |i| i..i + 1);
            for spans in [vec![], vec![cut]] {
                let mut keys = vec![minhash::NO_KEY; per_doc];
                let (sketch, len) =
                    sketch_article(text, &spans, &keyed, &mut scratch, &mut keys, &config);
                assert_eq!((sketch, len, keys), plain(text, &spans), "{text} {spans:?}");
            }
        }
    }

    #[test]
    fn guard_keeps_mostly_furniture_documents_whole() {
        let lex =
            Lexicon::from_sources([("xx", "copyright\tsentence\tall rights reserved\n")]).unwrap();
        let text = "Short. All rights reserved by the publisher and its partners worldwide.";
        let cleaned = apply(text, lex.find(text), 0.5);
        assert!(cleaned.kept_whole);
        assert_eq!(cleaned.text, text);
        assert!(cleaned.removals.is_empty());
    }

    /// The guard counts words, not characters: English furniture in a
    /// Chinese or Japanese page takes more characters than words, and
    /// such a page is mostly article.
    #[test]
    fn guard_counts_words_across_scripts() {
        // (article, furniture, kept whole)
        let cases = [
            (
                "市议会周一在长时间辩论后批准了新预算。市长表示这次投票让学校松了一口气。",
                "Download the Hub app for personalised alerts.",
                false,
            ),
            (
                "市議会は月曜日、長い議論の末に新しい予算を承認した。",
                "Follow Hub for updates from thousands of sources.",
                false,
            ),
            // Mostly furniture by words too: kept whole.
            (
                "市议会批准了预算。",
                "Download the Hub app for personalised alerts and follow us.",
                true,
            ),
            (
                "Short. Very short.",
                "Download the Hub app for personalised alerts.",
                true,
            ),
        ];
        for (article, furniture, whole) in cases {
            let text = format!("{article}{furniture}");
            let spans = vec![Span {
                range: article.len()..text.len(),
                kind: LEARNED_KIND.into(),
            }];
            let cleaned = apply(&text, spans, 0.5);
            assert_eq!(cleaned.kept_whole, whole, "{text}");
            let want = if whole { text.as_str() } else { article };
            assert_eq!(cleaned.text, want);
        }
    }

    #[test]
    fn a_cut_never_glues_two_words() {
        // (text, cut, expected output)
        let cases = [
            (
                "Android 10 Leggi di più Non è",
                " Leggi di più ",
                "Android 10 Non è",
            ),
            (
                "Android 10 Leggi di più Non è",
                " Leggi di più",
                "Android 10 Non è",
            ),
            (
                "Prices rose.Read more The end",
                "Read more ",
                "Prices rose.The end",
            ),
            (
                "市场上涨。阅读更多价格下跌",
                "阅读更多",
                "市场上涨。价格下跌",
            ),
            (
                "Ceny wzrosły, Czytaj także, spadły",
                "Czytaj także",
                "Ceny wzrosły, , spadły",
            ),
        ];
        for (text, cut, want) in cases {
            let at = text.find(cut).unwrap();
            let spans = vec![Span {
                range: at..at + cut.len(),
                kind: "lexicon:teaser".into(),
            }];
            assert_eq!(apply(text, spans, 1.0).text, want, "{text}");
        }
    }

    #[test]
    fn apply_merges_overlaps_and_names_the_outer_rule() {
        let text = "Keep this. Cut this and this. Keep that.";
        let a = text.find("Cut").unwrap();
        let b = text.find(" Keep that").unwrap();
        let spans = vec![
            Span {
                range: a + 4..b,
                kind: "learned".into(),
            },
            Span {
                range: a..b,
                kind: "lexicon:promo".into(),
            },
            Span {
                range: 3..3,
                kind: "empty".into(),
            },
        ];
        let cleaned = apply(text, spans, 1.0);
        assert_eq!(cleaned.text, "Keep this.  Keep that.");
        assert_eq!(
            cleaned.removals,
            vec![Removal {
                kind: "lexicon:promo".into(),
                text: "Cut this and this.".into()
            }]
        );
    }

    /// The share of a page that wall notices take, with the shipped
    /// lexicon: pages that are only a consent banner, bot check,
    /// registration form or paywall (with at most a headline glued on)
    /// reach [`WALL_SHARE`]; articles with one consent line, a paywall
    /// teaser or prose about such notices stay far below it.
    #[test]
    fn wall_share_across_languages() {
        // (lang, text, is a wall page)
        let cases = [
            (
                "de",
                "Stadtrat beschließt neuen Radweg Wir setzen auf unserer Website Cookies und ähnliche Technologien ein, damit die Seite funktioniert. Manche davon setzen auch Partner ein. Durch die weitere Nutzung der Seite erklären Sie sich mit dem Einsatz von Cookies einverstanden. Akzeptieren und schließen",
                true,
            ),
            (
                "en",
                "Ferry terminal approved Are you a robot? We have noticed unusual traffic from your computer network. Please confirm you are not a robot by ticking the box below.",
                true,
            ),
            (
                "en",
                "Oil prices to climb TAKE A FREE TRIAL Registered users can read up to five reports a month. Enter your details below for immediate access. Email address First Name Last Name Company Job Title Country",
                true,
            ),
            (
                "en",
                "Subscribers only. Already a subscriber? Log in to continue. Subscribe now and get unlimited access to all our journalism.",
                true,
            ),
            (
                "pl",
                "Nowy most otwarty Przykro nam, z Twojego adresu IP zauważyliśmy bardzo dużo połączeń. Podejrzewamy, że ktoś nadużył adresu IP, z którego korzystasz. Zaznacz pole \"Nie jestem robotem\".\n\nTwój adres IP: 192.0.2.44",
                true,
            ),
            (
                "fr",
                "Le tramway arrive lundi Nous utilisons des cookies pour mesurer l'audience et vous proposer des contenus adaptés. En poursuivant votre navigation, vous acceptez l'utilisation de ces traceurs. Accepter et fermer",
                true,
            ),
            (
                "es",
                "Abre el nuevo hospital Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Si continúa navegando, consideramos que acepta su uso. Aceptar y cerrar",
                true,
            ),
            (
                "it",
                "Il nuovo ponte apre domani Questo sito utilizza cookie tecnici e di profilazione. Chiudendo questo banner acconsenti all'uso dei cookie. Accetta e chiudi",
                true,
            ),
            (
                "ru",
                "Новый мост открыт Подтвердите, что вы не робот. Мы заметили подозрительный трафик из вашей сети. Я не робот",
                true,
            ),
            (
                "tr",
                "Yeni köprü açıldı Sitemizde çerez kullanıyoruz. Siteyi kullanmaya devam ederek çerez kullanımına izin vermiş olursunuz. Kabul et ve kapat",
                true,
            ),
            (
                "zh",
                "新大桥今日通车 我们使用Cookie来改善您的浏览体验。继续浏览即表示您同意。接受并关闭",
                true,
            ),
            (
                "en",
                "The council approved the new budget on Monday after a debate that ran late into the night. Spending on schools rises by four percent, and two libraries that were to close will stay open. The opposition voted against, saying the plan relies on optimistic tax forecasts. The mayor said the vote was a relief for parents across the city. We use cookies to improve your experience on our site.",
                false,
            ),
            (
                "de",
                "Der Stadtrat hat den Haushalt am Montag nach langer Debatte beschlossen. Für die Schulen gibt es vier Prozent mehr Geld, zwei Bibliotheken bleiben geöffnet. Die Opposition stimmte dagegen und sprach von zu optimistischen Steuerschätzungen. Der Bürgermeister sprach von einer Erleichterung für die Familien der Stadt. Jetzt abonnieren und weiterlesen.",
                false,
            ),
            (
                "fr",
                "Article réservé aux abonnés. Le conseil municipal a adopté lundi un budget en hausse de quatre pour cent, après un débat qui s'est prolongé tard dans la soirée. Les écoles en sont les premières bénéficiaires, et deux bibliothèques promises à la fermeture resteront ouvertes. L'opposition a voté contre, en dénonçant des prévisions fiscales trop optimistes.",
                false,
            ),
            (
                "en",
                "Researchers said the box that asks visitors to confirm you are not a robot now fails to stop most automated programs. Their study tested twelve popular websites over six months and found that software solved the puzzles faster than people did. The authors want sites to drop the checks, which they say mostly annoy readers, and to look for other ways to block scraping.",
                false,
            ),
            (
                "pl",
                "Rada miasta przyjęła w poniedziałek nowy budżet po długiej debacie. Na szkoły przeznaczono o cztery procent więcej, a dwie biblioteki nie zostaną zamknięte. Opozycja głosowała przeciw, mówiąc o zbyt optymistycznych prognozach podatkowych. Używamy plików cookie.",
                false,
            ),
        ];
        let model = Model::lexicon_only(Lexicon::builtin().unwrap());
        for (lang, text, wall) in cases {
            let input = Input {
                source: "test",
                language: lang,
                text,
            };
            let share = model.find(0, &input).wall;
            assert_eq!(
                share >= WALL_SHARE,
                wall,
                "{lang}: share {share:.2}: {text}"
            );
        }
    }

    /// A long stretch between two notices is article text, not part of the
    /// wall; short ones (a button, a link) are.
    #[test]
    fn wall_share_bridges_short_gaps_only() {
        let lex = Lexicon::builtin().unwrap();
        let notice = "We use cookies on this site.";
        let short = format!("{notice} OK Privacy {notice}");
        let article = "The council approved the new budget on Monday after a debate that ran late into the night, and the mayor said the vote was a relief. ".repeat(3);
        let long = format!("{notice} {article}{notice}");
        let share = |t: &str| wall_share(t, &lex.matches(t), &lex);
        assert_eq!(share(&short), 1.0);
        let s = share(&long);
        assert!(s < 0.3, "{s}");
        assert_eq!(share("No notice here at all."), 0.0);
        assert_eq!(share(""), 0.0);
    }
}
