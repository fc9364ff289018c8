//! Learned boilerplate: word n-grams that recur in many distinct articles of
//! one source.
//!
//! In (learning): every document's source, text and *article* (the
//! pre-cluster it belongs to, see [`super::Model::learn`]). Out: per source,
//! the n-grams of its furniture with the number of distinct articles that
//! carry each. In (detection): one document's source and text. Out: the
//! maximal runs of learned n-grams, cut back to sentence boundaries.
//!
//! Why it works: a site's own promo ("Abonnez-vous à notre newsletter Le Sud
//! Matin ..."), its footer and its follow line recur word for word in
//! articles about anything, while article text recurs only in copies of the
//! same article. So:
//! - **Distinct articles, not documents.** An n-gram counts once per
//!   article (pre-cluster), so ten copies of one article never make its
//!   sentences look like furniture.
//! - **Per source.** Counts are kept per source (outlet), and the threshold
//!   grows with the source: `max(min_articles, sqrt_factor * sqrt(articles))`
//!   distinct articles. That is 3 for a source of a handful of documents,
//!   4 for 50 articles and 19 for 1,400 (see BENCHMARKS for the
//!   measurements behind the constants).
//! - **Syndication is never furniture.** An n-gram that also occurs in
//!   another source, in an article that source does not share with this
//!   one, is ordinary language or syndicated copy and is dropped. (An
//!   aggregator that republishes this source's own pages, furniture
//!   included, shares those articles, so it does not veto the furniture.)
//! - **Whole units only.** A run of learned n-grams is cut only where it
//!   forms a unit of its own: it starts at a paragraph or sentence start
//!   (or after a separator such as `:` or `|`) and ends at a sentence end,
//!   a paragraph end, or right before a new sentence glued to it (a
//!   capitalized word, a digit, an opening quote, or any word of a script
//!   without case). A stock phrase inside a sentence ("l'invasion de
//!   l'Ukraine par la Russie") recurs too, but never forms such a unit. A
//!   run glued to a word without punctuation needs twice the evidence
//!   (twice the n-gram length, or twice the threshold of articles). Up to
//!   [`EDGE_TOKENS`] varying figures at either edge (the year in "© 2024
//!   Harbor Ledger Media Ltd.") join the run.
//! - **Long runs need more evidence.** A run longer than
//!   [`super::MAX_SPAN_WORDS`] words is cut only if it recurs in twice the
//!   threshold of distinct articles.
//!
//! Counting is exact while the per-source table fits in `max_entries`
//! n-grams; beyond that, n-grams seen in only one article so far are
//! dropped (lossy counting), which can only undercount.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;

use super::text::{
    FastMap, FastSet, Token, TokenCache, Tokenizer, gram_hash, has_blank_line, is_opener,
    is_sentence_end, paragraph_at, sentence_breaks, starts_anew, words_over,
};
use super::{Input, MAX_SPAN_WORDS};

/// Settings of the learned detector. The defaults were chosen by
/// measurement on the boilerplate benchmark and read on real corpora (see
/// BENCHMARKS.md, "Boilerplate removal").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LearnConfig {
    /// Words per n-gram for spaced scripts.
    pub gram_words: usize,
    /// Characters per n-gram for scripts written without spaces.
    pub gram_chars: usize,
    /// No source learns from fewer distinct articles than this.
    pub min_articles: usize,
    /// The threshold grows as `sqrt_factor * sqrt(distinct articles)`.
    pub sqrt_factor: f64,
    /// Per-source table size before lossy counting starts.
    pub max_entries: usize,
}

impl Default for LearnConfig {
    fn default() -> LearnConfig {
        LearnConfig {
            gram_words: 6,
            gram_chars: 10,
            min_articles: 3,
            sqrt_factor: 0.5,
            max_entries: 16_000_000,
        }
    }
}

impl LearnConfig {
    /// Distinct articles an n-gram needs in a source of `articles` articles.
    pub fn threshold(&self, articles: usize) -> u32 {
        let grown = (self.sqrt_factor * (articles as f64).sqrt()).ceil() as usize;
        self.min_articles.max(grown) as u32
    }

    /// The n-gram length of a window of tokens: `gram_words` for words of
    /// a spaced script, `gram_chars` where the window takes in characters
    /// of a script without spaces.
    fn len_of(&self, all_spaced: bool) -> usize {
        if all_spaced {
            self.gram_words
        } else {
            self.gram_chars
        }
        .max(1)
    }

    /// The length of the n-gram that starts at token `i` (see
    /// [`LearnConfig::windows`]).
    fn len_at(&self, tokens: &[Token], i: usize) -> usize {
        let words = self.len_of(true);
        let spaced = tokens
            .get(i..i + words)
            .is_some_and(|w| w.iter().all(|t| !t.unspaced));
        if spaced { words } else { self.len_of(false) }
    }

    /// The n-grams of `tokens`: `(first token, window)`. A window is
    /// measured in its own script, not the document's: `gram_words` words
    /// where that many spaced words follow, `gram_chars` tokens otherwise.
    ///
    /// Why: an aggregator or a multilingual outlet glues the same English
    /// promo ("Download the <site> app for personalised alerts.") into its
    /// Chinese pages. Measured by the document's majority script, that
    /// promo was a 10-token window in a Chinese page and a 6-word window in
    /// an English one: no n-gram matched across them, and a seven-word
    /// promo had no 10-token window at all. Documents in one script get
    /// the same windows as before.
    pub(crate) fn windows<'t>(
        &self,
        tokens: &'t [Token],
    ) -> impl Iterator<Item = (usize, &'t [Token])> + 't {
        let words = self.len_of(true);
        let chars = self.len_of(false);
        // The first token at or after `i` of a script without spaces.
        let mut unspaced = 0usize;
        (0..tokens.len()).filter_map(move |i| {
            unspaced = unspaced.max(i);
            while unspaced < tokens.len() && !tokens[unspaced].unspaced {
                unspaced += 1;
            }
            let n = if unspaced - i >= words { words } else { chars };
            tokens.get(i..i + n).map(|w| (i, w))
        })
    }
}

/// Varying words at the edge of a run that may join it.
pub const EDGE_TOKENS: usize = 2;

/// What was learned about one source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceStats {
    pub id: u32,
    /// Documents of the source that took part.
    pub documents: u32,
    /// Distinct articles among them.
    pub articles: u32,
    /// Distinct articles an n-gram needed.
    pub threshold: u32,
    /// N-grams learned as furniture.
    pub grams: u32,
    /// Frequent n-grams dropped because another source has them.
    pub shared: u32,
}

/// The learned n-grams of every source.
#[derive(Debug, Clone, Default)]
pub struct Learned {
    config: LearnConfig,
    sources: HashMap<String, SourceStats>,
    /// `(source id, n-gram hash)` → distinct articles.
    grams: FastMap<(u32, u64), u32>,
}

/// The key a source is learned under. Case, punctuation, a URL's scheme,
/// `www.` and the domain suffix do not count, so `harbour-ledger.example`,
/// `www.harbour-ledger.co.uk`, `Harbour Ledger` and the folder
/// `harbour-ledger` are one outlet (ingest takes the source from a field,
/// a URL or a folder, whichever a document has).
pub fn source_key(source: &str) -> String {
    let s = source.trim().to_lowercase();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(&s);
    let s = s.split('/').next().unwrap_or(s);
    let name = if s.contains('.') && !s.contains(char::is_whitespace) {
        let mut labels: Vec<&str> = s.split('.').filter(|l| !l.is_empty()).collect();
        if labels.first() == Some(&"www") && labels.len() > 1 {
            labels.remove(0);
        }
        if labels.len() >= 2 {
            labels.pop();
            const SECOND_LEVEL: &[&str] =
                &["co", "com", "org", "net", "gov", "ac", "edu", "gob", "gouv"];
            if labels.len() >= 2 && labels.last().is_some_and(|l| SECOND_LEVEL.contains(l)) {
                labels.pop();
            }
        }
        labels.last().copied().unwrap_or(s)
    } else {
        s
    };
    let key: String = name.chars().filter(|c| c.is_alphanumeric()).collect();
    if key.is_empty() { s.to_owned() } else { key }
}

/// The [`source_key`] of every input, made once per distinct source (a
/// corpus has far fewer sources than documents).
pub(crate) fn source_keys(inputs: &[Input<'_>]) -> Vec<String> {
    let mut known: HashMap<&str, String> = HashMap::new();
    inputs
        .iter()
        .map(|d| {
            known
                .entry(d.source)
                .or_insert_with(|| source_key(d.source))
                .clone()
        })
        .collect()
}

/// A run of learned n-grams, cut to a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub range: Range<usize>,
    /// The fewest distinct articles of any n-gram in the run.
    pub articles: u32,
}

/// The n-gram hashes of `tokens` (see [`all_grams`]) grouped by count
/// shard ([`shard_of`]), repeats included: `shards[s]..shards[s + 1]` of
/// `out` are shard `s`'s. Grouping is a counting sort, linear where a full
/// sort was not; repeats cost nothing, since a table counts a document's
/// article once however often the document repeats an n-gram.
fn grams_by_shard(
    text: &str,
    tokens: &[Token],
    config: &LearnConfig,
    scratch: &mut Vec<u64>,
    out: &mut Vec<u64>,
) -> [u32; COUNT_SHARDS + 1] {
    all_grams(text, tokens, config, scratch);
    let mut shards = [0u32; COUNT_SHARDS + 1];
    for &g in scratch.iter() {
        shards[shard_of(g) + 1] += 1;
    }
    for s in 1..=COUNT_SHARDS {
        shards[s] += shards[s - 1];
    }
    let mut at = shards;
    out.clear();
    out.resize(scratch.len(), 0);
    for &g in scratch.iter() {
        let slot = &mut at[shard_of(g)];
        out[*slot as usize] = g;
        *slot += 1;
    }
    shards
}

/// The n-gram keys of `tokens` in text order, repeats included, with the
/// short paragraphs at the edges of the document as keys of their own (see
/// [`edge_paragraphs`]) (for look-ups,
/// where order and repeats do not matter and sorting would only cost).
fn all_grams(text: &str, tokens: &[Token], config: &LearnConfig, out: &mut Vec<u64>) {
    out.clear();
    out.extend(config.windows(tokens).map(|(_, w)| gram_hash(w)));
    out.extend(edge_paragraphs(text, tokens, config).map(|(_, key)| key));
}

/// Salt of the keys of whole short paragraphs, apart from n-gram keys.
const PARAGRAPH_SALT: u64 = 0x5A17_0000_BEEF_0001;
/// Paragraphs this close to the end of a document are at its edge (the
/// first one is, too): share lines, follow lines, "continue reading"
/// tails and footers live there.
const EDGE_PARAGRAPHS: usize = 3;
/// A short edge paragraph has at least this many tokens ("Nine mths",
/// a table header, has two).
const MIN_PARAGRAPH_TOKENS: usize = 3;

/// The short paragraphs (from [`MIN_PARAGRAPH_TOKENS`] tokens to fewer than
/// an n-gram's length, too short for an n-gram) at the edges of a
/// document: `(token range, key)`. A site's "Share via Facebook | X" or
/// "Poursuivre la lecture" recurs there whole; headings inside the article
/// do not count.
///
/// Near the end, a longer paragraph's last sentence counts too, under the
/// same key as a paragraph of its own: scraped pages glue the "continue
/// reading" tail to the last article sentence as often as they set it
/// apart ("... précisait-il alors. Poursuivre la lecture"), and the two
/// placements of one tail then add up to the same evidence.
fn edge_paragraphs<'a>(
    text: &'a str,
    tokens: &'a [Token],
    config: &'a LearnConfig,
) -> impl Iterator<Item = (Range<usize>, u64)> + 'a {
    let mut paras: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for (t, tok) in tokens.iter().enumerate() {
        if t > 0 && has_blank_line(&text[tokens[t - 1].end as usize..tok.start as usize]) {
            paras.push(start..t);
            start = t;
        }
    }
    if !tokens.is_empty() {
        paras.push(start..tokens.len());
    }
    let count = paras.len();
    let short = move |r: &Range<usize>| {
        r.len() >= MIN_PARAGRAPH_TOKENS
            && r.len() < config.len_of(tokens[r.clone()].iter().all(|t| !t.unspaced))
    };
    paras
        .into_iter()
        .enumerate()
        .filter(move |(i, _)| (*i == 0 || i + EDGE_PARAGRAPHS >= count) && count > 1)
        .filter_map(move |(i, r)| {
            let r = if short(&r) {
                r
            } else if i + EDGE_PARAGRAPHS >= count {
                let lookback = config.len_of(true).max(config.len_of(false));
                let last = last_sentence(text, tokens, r, lookback);
                short(&last).then_some(last)?
            } else {
                return None;
            };
            let key = gram_hash(&tokens[r.clone()]) ^ PARAGRAPH_SALT;
            Some((r, key))
        })
}

/// The tokens of the last sentence of the paragraph made of `para`
/// (token indices), if it starts within its last `lookback` tokens, or
/// `para` itself. Only the paragraph's tail is read: a longer last
/// sentence is never short enough to count.
fn last_sentence(
    text: &str,
    tokens: &[Token],
    para: Range<usize>,
    lookback: usize,
) -> Range<usize> {
    let first = tokens[para.start.max(para.end.saturating_sub(lookback))].start as usize;
    let last = tokens[para.end - 1].start as usize;
    let bytes = first..paragraph_at(text, first).end;
    let Some(next) = sentence_breaks(text, bytes)
        .into_iter()
        .map(|(_, next)| next)
        .filter(|&next| next > first && next <= last)
        .max()
    else {
        return para;
    };
    let from = para.start + tokens[para.clone()].partition_point(|t| (t.start as usize) < next);
    from..para.end
}

impl Learned {
    /// Learn from `inputs`; `articles[i]` is document `i`'s article (`u32::MAX`
    /// for documents that take no part). `cache` holds the tokens of some
    /// or all of them (the others are tokenized here).
    pub(crate) fn learn(
        inputs: &[Input<'_>],
        articles: &[u32],
        cache: &TokenCache,
        config: LearnConfig,
    ) -> Learned {
        // Sources, numbered in name order so the result never depends on
        // input order or threads.
        let keys = source_keys(inputs);
        let mut names: Vec<&str> = keys
            .iter()
            .zip(articles)
            .filter(|(_, a)| **a != u32::MAX)
            .map(|(k, _)| k.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        let id_of: HashMap<&str, u32> = names
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, i as u32))
            .collect();
        let source_of: Vec<u32> = keys
            .iter()
            .zip(articles)
            .map(|(k, &a)| {
                if a == u32::MAX {
                    u32::MAX
                } else {
                    id_of[k.as_str()]
                }
            })
            .collect();
        let mut by_source: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
        for (i, &s) in source_of.iter().enumerate() {
            if s != u32::MAX {
                by_source[s as usize].push(i);
            }
        }
        let mut sources: HashMap<String, SourceStats> = HashMap::new();
        let mut frequent: FastMap<u64, Vec<(u32, u32)>> = FastMap::default();
        // The n-grams counted per document, kept for the syndication veto
        // below while they fit what the token cache left of its budget
        // (the others are hashed again there).
        let mut kept = Kept {
            grams: vec![None; inputs.len()],
            spare: cache.spare(),
        };
        for (sid, docs) in by_source.iter_mut().enumerate() {
            docs.sort_by_key(|&i| (articles[i], i));
            let mut distinct: Vec<u32> = docs.iter().map(|&i| articles[i]).collect();
            distinct.dedup();
            let threshold = config.threshold(distinct.len());
            let stats = SourceStats {
                id: sid as u32,
                documents: docs.len() as u32,
                articles: distinct.len() as u32,
                threshold,
                ..SourceStats::default()
            };
            if distinct.len() >= threshold as usize {
                let counted = count_source(inputs, docs, articles, cache, &config, &mut kept);
                for (gram, count) in counted {
                    if count >= threshold {
                        frequent.entry(gram).or_default().push((sid as u32, count));
                    }
                }
            }
            sources.insert(names[sid].to_owned(), stats);
        }
        // Which sources each article appears in.
        let mut article_sources: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, &s) in source_of.iter().enumerate() {
            if s != u32::MAX {
                article_sources.entry(articles[i]).or_default().push(s);
            }
        }
        for v in article_sources.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        // Syndication veto: a frequent n-gram of source s that occurs in
        // another source, in an article s does not have.
        let vetoed: FastSet<(u32, u64)> = if frequent.is_empty() {
            FastSet::default()
        } else {
            (0..inputs.len())
                .into_par_iter()
                .filter(|&i| articles[i] != u32::MAX)
                .fold(
                    || (Tokenizer::default(), Vec::new(), FastSet::default()),
                    |(mut tok, mut buf, mut out), i| {
                        let own = source_of[i];
                        let present = &article_sources[&articles[i]];
                        // Inserting into a set: order and repeats do not matter.
                        let grams: &[u64] = match &kept.grams[i] {
                            Some(g) => g,
                            None => {
                                let tokens = cache.get(i, inputs[i].text, &mut tok);
                                all_grams(inputs[i].text, tokens, &config, &mut buf);
                                &buf
                            }
                        };
                        for g in grams {
                            if let Some(owners) = frequent.get(g) {
                                for &(s, _) in owners {
                                    if s != own && present.binary_search(&s).is_err() {
                                        out.insert((s, *g));
                                    }
                                }
                            }
                        }
                        (tok, buf, out)
                    },
                )
                .map(|(_, _, out)| out)
                .reduce(FastSet::default, |mut a, b| {
                    a.extend(b);
                    a
                })
        };
        let mut grams = FastMap::default();
        let mut counts: Vec<(u32, u32)> = vec![(0, 0); names.len()];
        for (g, owners) in frequent {
            for (s, count) in owners {
                if vetoed.contains(&(s, g)) {
                    counts[s as usize].1 += 1;
                } else {
                    counts[s as usize].0 += 1;
                    grams.insert((s, g), count);
                }
            }
        }
        for stats in sources.values_mut() {
            let (kept, shared) = counts[stats.id as usize];
            stats.grams = kept;
            stats.shared = shared;
        }
        Learned {
            config,
            sources,
            grams,
        }
    }

    /// What was learned per source, by [`source_key`].
    pub fn sources(&self) -> &HashMap<String, SourceStats> {
        &self.sources
    }

    /// True when nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.grams.is_empty()
    }

    /// True when n-grams were learned for the source with key `key`
    /// ([`source_key`]): otherwise [`Learned::runs`] finds nothing in its
    /// documents.
    pub(crate) fn has_source(&self, key: &str) -> bool {
        self.sources.get(key).is_some_and(|s| s.grams > 0)
    }

    /// The runs of learned furniture in `text` of a document of the source
    /// with key `key` ([`source_key`], which the caller makes once per
    /// document); `protected` is the text it shares with another source's
    /// copy of the article (sorted byte ranges).
    pub(crate) fn runs(
        &self,
        key: &str,
        text: &str,
        tokens: &[Token],
        protected: &[Range<usize>],
    ) -> Vec<Run> {
        if self.grams.is_empty() {
            return Vec::new();
        }
        let Some(stats) = self.sources.get(key) else {
            return Vec::new();
        };
        if stats.grams == 0 {
            return Vec::new();
        }
        if tokens.is_empty() {
            return Vec::new();
        }
        // The articles of the learned n-gram starting at each token, and
        // the most articles among the learned n-grams covering each token.
        let mut at: Vec<u32> = vec![0; tokens.len()];
        let mut cover: Vec<u32> = vec![0; tokens.len()];
        for (i, window) in self.config.windows(tokens) {
            if let Some(&count) = self.grams.get(&(stats.id, gram_hash(window))) {
                at[i] = count;
                for c in &mut cover[i..i + window.len()] {
                    *c = (*c).max(count);
                }
            }
        }
        let mut runs = Vec::new();
        for (r, key) in edge_paragraphs(text, tokens, &self.config) {
            if let Some(&articles) = self.grams.get(&(stats.id, key)) {
                // The whole paragraph, or its last sentence to its end.
                let from = tokens[r.start].start as usize;
                let para = paragraph_at(text, from);
                let range = if text[para.start..from].trim().is_empty() {
                    para
                } else {
                    from..para.end
                };
                runs.push(Run { range, articles });
            }
        }
        let mut i = 0;
        while i < tokens.len() {
            if at[i] == 0 {
                i += 1;
                continue;
            }
            // A run is a chain of learned n-grams, each starting one token
            // after the last: two pieces that merely touch are two runs
            // (a teaser label next to a stock name such as "l'Organisation
            // mondiale de la santé"). A chain also breaks where its
            // support jumps: furniture recurs in a steady set of articles,
            // and a piece carried by half (or twice) as many is something
            // else, such as a sentence of an article copied twice that the
            // pre-clustering did not join.
            let mut j = i + 1;
            while j < tokens.len() && at[j] != 0 && !jumps(at[j - 1], at[j]) {
                j += 1;
            }
            let articles = at[i..j].iter().copied().min().unwrap_or(0);
            // The n-gram length of the chain's script.
            let n = self.config.len_at(tokens, i);
            // The chain's tokens, cut at paragraph breaks.
            let end = (j - 1 + self.config.len_at(tokens, j - 1)).min(tokens.len());
            let mut a = i;
            for b in i + 1..=end {
                let broken = b == end
                    || has_blank_line(&text[tokens[b - 1].end as usize..tokens[b].start as usize]);
                if !broken {
                    continue;
                }
                if b - a >= n {
                    // A run glued to its neighbours without punctuation
                    // needs more evidence: twice the n-gram length, or one
                    // and a half times that length in twice the threshold
                    // of articles. (Articles alone are not enough: a stock
                    // name such as "Organisation mondiale de la santé
                    // (OMS)" recurs in many articles, but is short.)
                    let len = b - a;
                    let strong =
                        len >= 2 * n || (2 * len >= 3 * n && articles >= 2 * stats.threshold);
                    if let Some(range) = unit(text, tokens, &cover, protected, a..b, n, strong) {
                        let long = words_over(&text[range.clone()], MAX_SPAN_WORDS);
                        if !long || articles >= 2 * stats.threshold {
                            runs.push(Run { range, articles });
                        }
                    }
                }
                a = b;
            }
            i = j;
        }
        runs
    }

    /// The fewest distinct articles among the learned n-grams of `text`
    /// for `source` (0 when it holds none): the evidence behind a cut.
    pub fn articles_of(&self, source: &str, text: &str) -> u32 {
        let Some(stats) = self.sources.get(&source_key(source)) else {
            return 0;
        };
        let mut tok = Tokenizer::default();
        let tokens = tok.tokenize(text);
        let whole = gram_hash(tokens) ^ PARAGRAPH_SALT;
        self.config
            .windows(tokens)
            .map(|(_, w)| gram_hash(w))
            .chain(std::iter::once(whole))
            .filter_map(|g| self.grams.get(&(stats.id, g)).copied())
            .min()
            .unwrap_or(0)
    }
}

/// True when two neighbouring tokens' support differs by a factor of two
/// or more.
fn jumps(a: u32, b: u32) -> bool {
    a.max(b) >= 2 * a.min(b)
}

/// Count distinct articles per n-gram over the documents of one source,
/// given in article order. Returns `(n-gram, articles)`.
fn count_source(
    inputs: &[Input<'_>],
    docs: &[usize],
    articles: &[u32],
    cache: &TokenCache,
    config: &LearnConfig,
    kept: &mut Kept,
) -> Vec<(u64, u32)> {
    // n-gram → (distinct articles, last article counted), split into
    // shards by the n-gram's top bits so that threads count apart. Each
    // shard sees the documents in order, so the counts are the ones a
    // single table would hold, at any thread count.
    let mut tables: Vec<FastMap<u64, (u32, u32)>> =
        (0..COUNT_SHARDS).map(|_| FastMap::default()).collect();
    for chunk in docs.chunks(512) {
        let grams: Vec<(Vec<u64>, [u32; COUNT_SHARDS + 1])> = chunk
            .par_iter()
            .map_init(
                || (Tokenizer::default(), Vec::new()),
                |(tok, scratch), &i| {
                    let tokens = cache.get(i, inputs[i].text, tok);
                    let mut out = Vec::new();
                    let shards = grams_by_shard(inputs[i].text, tokens, config, scratch, &mut out);
                    (out, shards)
                },
            )
            .collect();
        tables
            .par_iter_mut()
            .enumerate()
            .for_each(|(shard, table)| {
                // Room for every n-gram of the chunk at once, rather than
                // growing the table (and moving its entries) step by step.
                let incoming: usize = grams
                    .iter()
                    .map(|(_, shards)| (shards[shard + 1] - shards[shard]) as usize)
                    .sum();
                table.reserve(incoming);
                for (&i, (grams, shards)) in chunk.iter().zip(&grams) {
                    let article = articles[i];
                    let (lo, hi) = (shards[shard] as usize, shards[shard + 1] as usize);
                    for &g in &grams[lo..hi] {
                        let e = table.entry(g).or_insert((0, u32::MAX));
                        if e.1 != article {
                            e.0 += 1;
                            e.1 = article;
                        }
                    }
                }
            });
        for (&i, (grams, _)) in chunk.iter().zip(grams) {
            kept.keep(i, grams);
        }
        if tables.iter().map(|t| t.len()).sum::<usize>() > config.max_entries {
            tables.par_iter_mut().for_each(|t| t.retain(|_, e| e.0 > 1));
        }
    }
    // Each shard holds the n-grams of its top bits, so the shards sorted
    // apart (in parallel) and joined in shard order are sorted as a whole.
    let sorted: Vec<Vec<(u64, u32)>> = tables
        .into_par_iter()
        .map(|t| {
            let mut v: Vec<(u64, u32)> = t.into_iter().map(|(g, (c, _))| (g, c)).collect();
            v.sort_unstable();
            v
        })
        .collect();
    sorted.concat()
}

/// The n-grams of each document [`count_source`] read, kept for the
/// syndication veto while they fit `spare` bytes.
struct Kept {
    grams: Vec<Option<Vec<u64>>>,
    spare: usize,
}

impl Kept {
    /// Keep document `doc`'s n-grams if they fit.
    fn keep(&mut self, doc: usize, grams: Vec<u64>) {
        let bytes = grams.len() * size_of::<u64>();
        if bytes <= self.spare {
            self.spare -= bytes;
            self.grams[doc] = Some(grams);
        }
    }
}

/// Shards of the n-gram count table in [`count_source`].
const COUNT_SHARDS: usize = 16;

/// The shard of n-gram `g`: its top bits (the tables hash on the low bits
/// and on the top seven, and n-gram hashes are mixed, so every shard is
/// a fair share).
#[inline]
fn shard_of(g: u64) -> usize {
    (g >> 60) as usize
}

/// Cut the token run `run` (indices into `tokens`) to a unit of its own, or
/// `None` if it is not one. See the module docs.
///
/// Each edge tries, in order: the run already sits at a sentence or
/// paragraph boundary (perhaps after a few varying figures); a separator
/// (`:`, `|`, `»`, ...) or sentence punctuation; a glued new sentence (only
/// for a `strong` run, next to a figure, or where text shared with another
/// source's copy of the article meets the run: the article resumes there,
/// so the boundary is known however short the run); a boundary among the run's
/// first (last) few tokens, for a run that took in a constant word of its
/// neighbour ("... every day. The"), or a glued sentence start there; any
/// sentence boundary inside the run.
fn unit(
    text: &str,
    tokens: &[Token],
    cover: &[u32],
    protected: &[Range<usize>],
    run: Range<usize>,
    n: usize,
    strong: bool,
) -> Option<Range<usize>> {
    let run_start = tokens[run.start].start as usize;
    let run_end = tokens[run.end - 1].end as usize;
    let para = paragraph_at(text, run_start);
    let breaks = sentence_breaks(text, para.clone());
    let between = |a: usize, b: usize| {
        tokens
            .iter()
            .filter(move |t| t.start as usize >= a && t.end as usize <= b)
    };
    // The words that vary at the edge of a piece of furniture are figures
    // (the year in "© 2024 Harbor Ledger", a date, a count), or learned
    // words of the source split off by a jump in support ("Copyright" in
    // "Copyright © 2020 Gazeta Bursztynowa", carried by the year's n-grams).
    let varying_figures = |a: usize, b: usize| {
        let mut count = 0;
        let all = tokens.iter().enumerate().all(|(k, t)| {
            if (t.start as usize) < a || t.end as usize > b {
                return true;
            }
            count += 1;
            cover[k] > 0
                || text[t.start as usize..t.end as usize]
                    .chars()
                    .any(char::is_numeric)
        });
        all && count <= EDGE_TOKENS
    };
    let edge = (EDGE_TOKENS + 1).min(run.len());
    // Text shared with another source's copy of the article starts at
    // token `k` or ends right before it: the article meets the run there,
    // whatever the run's length ("... öğrenin ve Doğu Afrika ..." where
    // "Doğu Afrika ..." is in every copy).
    let shared_edge = |k: usize| {
        let at = tokens[k].start as usize;
        let prev_end = k.checked_sub(1).map(|p| tokens[p].end as usize);
        protected.binary_search_by(|r| r.start.cmp(&at)).is_ok()
            || prev_end.is_some_and(|e| protected.iter().any(|r| r.end == e))
    };
    // A glued edge: a token that starts anew after a space, in a strong
    // run, after a figure ("Net 406,000 vs 426,000 Markets newsletter"),
    // or where shared text meets the run.
    let glued_at = |k: usize| {
        let at = tokens[k].start as usize;
        let first = text[at..].chars().next();
        let pre = text[..at].trim_end_matches(is_opener);
        // Scripts without spaces glue every sentence.
        let spaced = pre.ends_with(char::is_whitespace) || tokens[k].unspaced;
        let before = pre.trim_end().chars().next_back();
        spaced
            && first.is_some_and(starts_anew)
            && (strong || before.is_some_and(char::is_numeric) || shared_edge(k))
    };

    // Left edge.
    let unit_start = breaks
        .iter()
        .map(|&(_, next)| next)
        .filter(|&next| next <= run_start)
        .max()
        .unwrap_or(para.start);
    let before = text[unit_start..run_start].trim_end().chars().next_back();
    let separated =
        before.is_some_and(|c| matches!(c, ':' | '|' | '–' | '—' | '•' | '·' | '/' | '>' | '»'));
    let breaks_in = |lo: usize, hi: usize| {
        breaks
            .iter()
            .map(|&(_, next)| next)
            .filter(move |&next| next > lo && next < hi)
    };
    let head_end = tokens[run.start + edge - 1].end as usize;
    let start = if between(unit_start, run_start).next().is_none()
        || varying_figures(unit_start, run_start)
    {
        unit_start
    } else if separated || glued_at(run.start) {
        run_start
    } else if let Some(next) = breaks_in(run_start, head_end + 1).next() {
        next
    } else if let Some(k) = (run.start..run.start + edge).find(|&k| glued_at(k)) {
        tokens[k].start as usize
    } else {
        breaks_in(run_start, run_end).next()?
    };

    // Right edge.
    let unit_end = breaks
        .iter()
        .map(|&(e, _)| e)
        .filter(|&e| e >= run_end)
        .min()
        .unwrap_or(para.end);
    let rest = &text[run_end..para.end];
    let trailing = rest
        .char_indices()
        .take_while(|&(_, c)| !c.is_whitespace() && !c.is_alphanumeric())
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    let ends_sentence = rest[..trailing].chars().any(is_sentence_end);
    let next_token = run.end < tokens.len() && (tokens[run.end].start as usize) < para.end;
    let ends_before = |lo: usize, hi: usize| {
        breaks
            .iter()
            .map(|&(e, _)| e)
            .filter(move |&e| e > lo && e < hi)
    };
    let tail_start = tokens[run.end - edge].start as usize;
    let end = if between(run_end, unit_end).next().is_none() || varying_figures(run_end, unit_end) {
        unit_end
    } else if ends_sentence || (next_token && glued_at(run.end)) {
        run_end + trailing
    } else if let Some(e) = ends_before(tail_start.max(start), run_end).next_back() {
        e
    } else if let Some(k) = (run.end - edge + 1..run.end)
        .rev()
        .find(|&k| glued_at(k) && k > run.start)
    {
        // Cut before the glued token, with the punctuation that closes the run.
        let cut = tokens[k - 1].end as usize;
        let close = text[cut..tokens[k].start as usize]
            .char_indices()
            .take_while(|&(_, c)| !c.is_whitespace())
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
        cut + close
    } else {
        ends_before(start, run_end).next_back()?
    };
    let inside = between(start, end).count();
    (inside >= n && start < end).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Token> {
        Tokenizer::default().tokenize(text).to_vec()
    }

    fn input<'a>(source: &'a str, text: &'a str) -> Input<'a> {
        Input {
            source,
            language: "xx",
            text,
        }
    }

    fn units(text: &str, run_text: &str, strong: bool) -> Option<String> {
        units_in(text, run_text, strong, &[])
    }

    fn units_in(
        text: &str,
        run_text: &str,
        strong: bool,
        protected: &[Range<usize>],
    ) -> Option<String> {
        let mut tok = Tokenizer::default();
        let tokens = tok.tokenize(text).to_vec();
        let cover = vec![0; tokens.len()];
        let at = text.find(run_text).unwrap();
        let a = tokens.iter().position(|t| t.start as usize >= at).unwrap();
        let b = tokens
            .iter()
            .rposition(|t| t.end as usize <= at + run_text.len())
            .unwrap();
        unit(text, &tokens, &cover, protected, a..b + 1, 3, strong).map(|r| text[r].to_owned())
    }

    /// Grouping by shard keeps every n-gram (repeats too), each in its
    /// shard, in many scripts.
    #[test]
    fn grams_are_grouped_by_shard() {
        let texts = [
            "Get the Harbour Morning Brief in your inbox every weekday before breakfast. \
             Get the Harbour Morning Brief in your inbox every weekday before breakfast.",
            "订阅我们的新闻简报每天早上获取最新的地方新闻和天气预报",
            "Port workers voted.\n\nShare via Facebook | X\n\nFollow us on X",
            "short",
            "",
        ];
        let config = LearnConfig::default();
        let (mut scratch, mut out) = (Vec::new(), Vec::new());
        for text in texts {
            let tokens = toks(text);
            let shards = grams_by_shard(text, &tokens, &config, &mut scratch, &mut out);
            let mut want = Vec::new();
            all_grams(text, &tokens, &config, &mut want);
            assert_eq!(shards[COUNT_SHARDS] as usize, want.len(), "{text}");
            for s in 0..COUNT_SHARDS {
                let slice = &out[shards[s] as usize..shards[s + 1] as usize];
                assert!(slice.iter().all(|&g| shard_of(g) == s), "{text}");
            }
            let mut got = out.clone();
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn runs_are_cut_to_units() {
        // (text, run of recurring words, unit cut or None), for a strong run
        let cases: Vec<(&str, &str, Option<&str>)> = vec![
            // A promo glued between two sentences without punctuation.
            (
                "Prices rose. Get the Daily Brief in your inbox every morning The rise was small.",
                "Get the Daily Brief in your inbox every morning",
                Some("Get the Daily Brief in your inbox every morning"),
            ),
            // A footer with a varying year in front.
            (
                "The end.\n\n© 2024 Harbor Ledger Media Ltd. All rights reserved.",
                "Harbor Ledger Media Ltd. All rights reserved",
                Some("© 2024 Harbor Ledger Media Ltd. All rights reserved."),
            ),
            // A stock phrase inside a sentence is not a unit.
            (
                "Prices have soared since the invasion of Ukraine by Russia in 2022, traders said.",
                "since the invasion of Ukraine by Russia",
                None,
            ),
            // Followed by lower case: the phrase goes on as prose.
            (
                "The plan. Sign up for the daily briefing and you will see more.",
                "Sign up for the daily briefing",
                None,
            ),
            // A recurring run that starts inside a sentence keeps what follows the break.
            (
                "He left on Monday. Follow Harbor Ledger on X for breaking news.",
                "on Monday. Follow Harbor Ledger on X for breaking news",
                Some("Follow Harbor Ledger on X for breaking news."),
            ),
            // Scripts without case: a glued promo before another sentence.
            (
                "ارتفعت الأسعار. اشترك في نشرتنا لتصلك أهم الأخبار يوميا وقال الوزير إن الخطة جاهزة.",
                "اشترك في نشرتنا لتصلك أهم الأخبار يوميا",
                Some("اشترك في نشرتنا لتصلك أهم الأخبار يوميا"),
            ),
        ];
        for (text, run, want) in cases {
            assert_eq!(units(text, run, true).as_deref(), want, "{text}");
        }
        // A weak run (short, near the threshold) must not be glued to a
        // word without punctuation on either side ...
        let glued =
            "Prices rose. According to the figures released by the Eurostat office, prices rose.";
        assert_eq!(
            units(glued, "According to the figures released by the", false),
            None
        );
        // ... but may follow a figure, as in a table row.
        let row =
            "Net 406,000 vs 426,000 Markets newsletter: sign up for our briefing.\n\nRevs 12.3 mln";
        assert_eq!(
            units(row, "Markets newsletter: sign up for our briefing", false).as_deref(),
            Some("Markets newsletter: sign up for our briefing.")
        );
        // ... or meet text shared with another source's copy of the
        // article, which is where the article resumes (or leaves off).
        let promo = "Join our list and hear the news first and";
        let cases = [
            "Prices rose. Join our list and hear the news first and Markets fell on Monday.",
            "Prices rose on Monday Join our list and hear the news first and",
        ];
        for text in cases {
            let at = text.find(promo).unwrap();
            let shared = if at > 13 {
                0..at - 1
            } else {
                at + promo.len() + 1..text.len()
            };
            assert_eq!(units(text, promo, false), None, "{text}");
            assert_eq!(
                units_in(text, promo, false, &[shared]).as_deref(),
                Some(promo),
                "{text}"
            );
        }
    }

    fn learn(docs: &[(&'static str, String, u32)]) -> Learned {
        let inputs: Vec<Input<'_>> = docs.iter().map(|(s, t, _)| input(s, t)).collect();
        let articles: Vec<u32> = docs.iter().map(|d| d.2).collect();
        Learned::learn(
            &inputs,
            &articles,
            &TokenCache::default(),
            LearnConfig::default(),
        )
    }

    const PROMO: &str =
        "Subscribe to the Ledger Morning Brief for the stories that matter to you every day";

    fn article(topic: &str, i: usize) -> String {
        format!(
            "The {topic} council met on day {i} to discuss the {topic} budget. \
             Members of the {topic} group voted {i} times on the {topic} plan. {PROMO} \
             The {topic} mayor said the {topic} vote number {i} was final."
        )
    }

    const TOPICS: [&str; 6] = [
        "harbour", "railway", "school", "hospital", "library", "market",
    ];

    #[test]
    fn a_promo_in_a_few_articles_of_one_source_is_learned() {
        let docs: Vec<(&str, String, u32)> = (0..3)
            .map(|i| ("ledger", article(TOPICS[i], i), i as u32))
            .collect();
        let learned = learn(&docs);
        let runs = learned.runs("ledger", &docs[0].1, &toks(&docs[0].1), &[]);
        let cut: Vec<&str> = runs.iter().map(|r| &docs[0].1[r.range.clone()]).collect();
        assert_eq!(cut, [PROMO]);
        assert_eq!(runs[0].articles, 3);
        assert_eq!(learned.sources()["ledger"].threshold, 3);
        // Another source learns nothing from it.
        assert!(
            learned
                .runs("other", &docs[0].1, &toks(&docs[0].1), &[])
                .is_empty()
        );
    }

    /// An aggregator glues the same English promo into its pages in every
    /// language: its n-grams are words wherever it stands, so the Chinese
    /// and Japanese pages count for it and lose it too.
    #[test]
    fn a_promo_in_another_script_is_counted_in_its_own_words() {
        let promo = "Download the Hub app for personalised alerts.";
        let docs: Vec<(&str, String, u32)> = vec![
            (
                "hub",
                format!("Prices rose on Monday. {promo} The rise was small."),
                0,
            ),
            (
                "hub",
                format!(
                    "市议会周一在长时间辩论后批准了新预算。{promo}市长表示这次投票让学校松了一口气。"
                ),
                1,
            ),
            (
                "hub",
                format!(
                    "警方周二逮捕了三名嫌疑人，调查仍在进行。{promo}目击者说事发时街上人很多。"
                ),
                2,
            ),
            (
                "hub",
                format!(
                    "市議会は月曜日、長い議論の末に新しい予算を承認した。{promo}市長は安心したと述べた。"
                ),
                3,
            ),
        ];
        let learned = learn(&docs);
        for (_, text, _) in &docs {
            let runs = learned.runs("hub", text, &toks(text), &[]);
            let cut: Vec<&str> = runs.iter().map(|r| &text[r.range.clone()]).collect();
            assert_eq!(cut, [promo], "{text}");
        }
        // Windows: six words where six spaced words follow, ten tokens
        // otherwise (and none past the end).
        let config = LearnConfig::default();
        let text = &docs[1].1;
        let tokens = toks(text);
        let lens: Vec<(String, usize)> = config
            .windows(&tokens)
            .map(|(i, w)| (text[tokens[i].range()].to_owned(), w.len()))
            .collect();
        let at = |word: &str| lens.iter().find(|(w, _)| w == word).map(|l| l.1);
        assert_eq!(at("Download"), Some(6));
        assert_eq!(at("the"), Some(6));
        assert_eq!(at("Hub"), Some(10));
        assert_eq!(at("市"), Some(10));
        let en = toks(&docs[0].1);
        assert_eq!(config.windows(&en).count(), en.len() + 1 - 6);
    }

    /// A "continue reading" tail glued to the last sentence and the same
    /// tail on a line of its own count as one piece of evidence: two of
    /// each make four articles, where neither placement alone reaches the
    /// threshold of three.
    #[test]
    fn a_tail_counts_glued_and_on_its_own_line() {
        let tails = [
            ("fr", "Poursuivre la lecture"),
            ("en", "View the full article"),
            ("tr", "Haberin devamı için tıklayın"),
            ("ru", "Продолжение доступно подписчикам."),
        ];
        let bodies = [
            (
                "The rail strike entered its second week on Monday.",
                "Unions rejected the latest offer from the company",
            ),
            (
                "The museum reopened its west wing after two years of work.",
                "Visitors queued from eight in the morning",
            ),
            (
                "A storm closed the coastal road overnight.",
                "Engineers hope to reopen it by Friday",
            ),
            (
                "The port resumed work on Tuesday after the dispute.",
                "Cranes were turning again by the evening shift",
            ),
        ];
        for (lang, tail) in tails {
            let docs: Vec<(&str, String, u32)> = bodies
                .iter()
                .enumerate()
                .map(|(i, (a, b))| {
                    let text = if i < 2 {
                        format!("{a}\n\nThe {lang} desk said so. {b}. {tail}")
                    } else {
                        format!("{a}\n\nThe {lang} desk said so. {b}.\n\n{tail}")
                    };
                    ("desk", text, i as u32)
                })
                .collect();
            let learned = learn(&docs);
            for (_, text, _) in &docs {
                let runs = learned.runs("desk", text, &toks(text), &[]);
                let cut: Vec<&str> = runs.iter().map(|r| &text[r.range.clone()]).collect();
                assert_eq!(cut, [tail], "{text}");
            }
            // In two articles only, the same tail is not learned.
            let learned = learn(&docs[1..3]);
            let text = &docs[1].1;
            assert!(learned.runs("desk", text, &toks(text), &[]).is_empty());
        }
    }

    #[test]
    fn ten_copies_of_one_article_teach_nothing() {
        // Ten copies (one article) plus two other articles: every sentence
        // of the copied article is in 1 article, the promo in 3.
        let mut docs: Vec<(&str, String, u32)> = (0..10)
            .map(|_| ("ledger", article("harbour", 1), 0))
            .collect();
        docs.push(("ledger", article("railway", 2), 1));
        docs.push(("ledger", article("school", 3), 2));
        let learned = learn(&docs);
        let runs = learned.runs("ledger", &docs[0].1, &toks(&docs[0].1), &[]);
        let cut: Vec<&str> = runs.iter().map(|r| &docs[0].1[r.range.clone()]).collect();
        assert_eq!(cut, [PROMO]);
        // Counted as documents, the copies would have made the article's
        // own sentences look like furniture.
        let as_docs: Vec<(&str, String, u32)> = docs
            .iter()
            .enumerate()
            .map(|(i, (s, t, _))| (*s, t.clone(), i as u32))
            .collect();
        let wrong = learn(&as_docs);
        let cut: usize = wrong
            .runs("ledger", &docs[0].1, &toks(&docs[0].1), &[])
            .iter()
            .map(|r| r.range.len())
            .sum();
        assert!(cut > PROMO.len(), "{cut}");
    }

    #[test]
    fn text_shared_with_another_source_is_syndication() {
        // The same "promo" sentence also appears in an article of another
        // source that this source does not have: it is shared language.
        let mut docs: Vec<(&str, String, u32)> = (0..3)
            .map(|i| ("ledger", article(TOPICS[i], i), i as u32))
            .collect();
        docs.push(("courier", article(TOPICS[4], 9), 7));
        let learned = learn(&docs);
        assert!(
            learned
                .runs("ledger", &docs[0].1, &toks(&docs[0].1), &[])
                .is_empty()
        );
        assert!(learned.sources()["ledger"].shared > 0);
        // But a copy of one of this source's own articles elsewhere (an
        // aggregator republishing the page) does not veto it.
        let mut docs: Vec<(&str, String, u32)> = (0..3)
            .map(|i| ("ledger", article(TOPICS[i], i), i as u32))
            .collect();
        docs.push(("aggregator", article(TOPICS[0], 0), 0));
        let learned = learn(&docs);
        assert_eq!(
            learned
                .runs("ledger", &docs[0].1, &toks(&docs[0].1), &[])
                .len(),
            1
        );
    }

    /// Keys made once per source are the keys of each document.
    #[test]
    fn source_keys_are_made_once_per_source() {
        let sources = [
            "harbour-ledger.example",
            "Harbour Ledger",
            "",
            "https://www.x.co.uk/a",
            "harbour-ledger.example",
        ];
        let inputs: Vec<Input<'_>> = sources.iter().map(|s| input(s, "text")).collect();
        let want: Vec<String> = sources.iter().map(|s| source_key(s)).collect();
        assert_eq!(source_keys(&inputs), want);
    }

    #[test]
    fn source_keys_unify_the_spellings_of_one_outlet() {
        // (source, key)
        let cases = [
            ("harbour-ledger", "harbourledger"),
            ("harbour-ledger.example", "harbourledger"),
            ("Harbour Ledger", "harbourledger"),
            ("https://www.harbour-ledger.co.uk/news", "harbourledger"),
            ("news.bbc.co.uk", "bbc"),
            ("bbc.com", "bbc"),
            ("Le Courrier du Sud", "lecourrierdusud"),
            ("Волжский вестник", "волжскийвестник"),
            ("", ""),
        ];
        for (source, key) in cases {
            assert_eq!(source_key(source), key, "{source}");
        }
    }

    #[test]
    fn thresholds_grow_with_the_source() {
        let c = LearnConfig::default();
        // (distinct articles, threshold)
        for (n, k) in [
            (1, 3),
            (5, 3),
            (36, 3),
            (50, 4),
            (400, 10),
            (1400, 19),
            (10_000, 50),
        ] {
            assert_eq!(c.threshold(n), k, "{n}");
        }
    }
}
