//! Learned teaser templates: the short constant part of a site's teasers.
//!
//! In (learning): every document's source, language and text, its article
//! (pre-cluster) and the sentence starters of each language. Out: per
//! source, the *labels* that open its teasers ("İLGİLİ HABER: <headline>")
//! and the *calls to action* that close them ("<headline> Découvrir",
//! "“<headline>” – mehr dazu hier"). In (detection): one document. Out: the
//! label and call-to-action matches, which the lexicon's `after` and
//! `before` scopes then grow to the whole teaser, headline included.
//!
//! A teaser's headline changes with every article, so the n-gram learner
//! (`learned.rs`) sees only its one to four constant words, too short for
//! an n-gram. These are learned from *where* they stand instead:
//! - a **label** starts a sentence or paragraph and is followed by a
//!   separator (`:`, `|`, `–`, `»`, ...), then a headline;
//! - a **call to action** is glued to the end of a headline (no sentence
//!   punctuation before it), starts with a capital or follows a closing
//!   quote or separator, and ends its paragraph without a full stop or is
//!   followed by a word that starts sentences in the language ("The",
//!   "Les"), that is, by the next sentence glued to it.
//!
//! A sequence qualifies for a source when it stands in that position in at
//! least the source's threshold of distinct articles (as for n-grams), the
//! words around it vary (half or more of its neighbours differ: a headline
//! is different every time, while "Prime Minister" is followed by a name),
//! and at least [`PURITY`] of all its occurrences in the source are in that
//! position ("He said:" opens a quote now and then, but mostly not).
//! For purity, a call to action set off from its headline by a separator
//! or closing quote but followed by no sentence start ("— see more on X -
//! ...", or by text of a script without case) also counts as in position:
//! it is no evidence for learning, yet no use of the words outside a
//! teaser either. Measured on the three benchmark seeds, an outlet's "—
//! <call> on <site>" that is mostly followed by such text was otherwise
//! never learned.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;

use super::context::Starters;
use super::learned::{LearnConfig, source_key, source_keys};
use super::text::{
    FastMap, FastSet, GRAM_SEED, Token, TokenCache, Tokenizer, find_blank_line, gram_finish,
    gram_hash, gram_step, is_closer, is_sentence_end, mostly_unspaced, sentence_breaks_into,
};
use super::{Context, Input};
use crate::normalize::chars::is_alphabetic;
use crate::normalize::is_unspaced_script;

/// Words in a label or call to action, for spaced scripts ...
const MAX_WORDS: usize = 4;
/// ... and characters, for scripts without spaces.
const MAX_CHARS: usize = 8;
/// A label or call to action has at least this many words: one word
/// ("Q:", "Photo:"; the Arabic "و" where a page cut a sentence) is too
/// often ordinary. Scripts without spaces need one more character. The
/// exception is a capitalized one-word call to action of a cased script
/// ("Weiterlesen"; four letters or more: "A" in "Influenza A" is no call),
/// with stricter evidence: a third of its occurrences end
/// a paragraph or precede a sentence starter, and [`SINGLE_PURITY`] of all
/// its occurrences stand there ("Net" ends many wire headlines, but starts
/// more table rows).
const MIN_WORDS: usize = 2;
/// Share of a sequence's occurrences that must stand in the position ...
pub const PURITY: f64 = 0.8;
/// ... and of a one-word call to action's.
pub const SINGLE_PURITY: f64 = 0.9;
/// Distinct neighbours tracked per sequence (enough to judge variety).
const NEIGHBOURS: usize = 8;

/// The neighbour of a call to action that ends its paragraph.
const PARA_END: u64 = 0x9A8A_E4D0_0000_0001;
/// The (absent) neighbour before a label.
const NONE: u64 = 0x9A8A_E4D0_0000_0002;

/// Which end of a teaser a learned sequence marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Side {
    /// Opens the teaser: grow like an `after` lexicon phrase.
    Label,
    /// Closes the teaser: grow like a `before` lexicon phrase.
    Cta,
}

/// One sequence standing in a teaser position in a document.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    side: Side,
    key: u64,
    /// Token range of the sequence.
    first: usize,
    last: usize,
    prev: u64,
    next: u64,
    /// A call to action that ends its paragraph or is followed by a word
    /// that starts sentences: the clearest evidence of its position.
    anchored: bool,
    /// A one-word call to action: needs stronger evidence.
    single: bool,
    /// A call to action right after a full sentence, not glued to a
    /// headline.
    standalone: bool,
    /// A call to action set in its place by what stands before it, but not
    /// followed by a sentence start (a lower-case word, a hyphen, a word of
    /// a script without case): no evidence for learning it, yet no use of
    /// the words outside a teaser either, so it counts for purity.
    loose: bool,
    /// A loose call to action followed by a lower-case word: it may go on
    /// as prose ("Przeczytaj e/ PAP"), so nothing says where the teaser
    /// ends; or a one-word call to action followed by a page or section
    /// code ("Page A8", "(Page B1, Jan. 15)"): a reference to print, not a
    /// button. Either is never a hit.
    prose_after: bool,
}

/// A learned label or call to action found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LabelHit {
    pub side: Side,
    pub core: Range<usize>,
    /// A call to action that mostly stands alone after a full sentence
    /// (a share button): cut alone, with no headline before it.
    pub standalone: bool,
}

/// The learned teaser labels and calls to action of every source.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// Source key → (id, threshold).
    sources: HashMap<String, u32>,
    /// `(source id, side, key)` → distinct articles.
    learned: FastMap<(u32, Side, u64), Learned>,
    /// The hits of the documents [`Labels::learn`] read, found while
    /// learning, sorted by document (its input index): [`Labels::find`]
    /// takes them instead of finding them again in the same text.
    cached: Vec<Cached>,
    /// Documents [`Labels::learn`] read (the cache covers indices below).
    cached_docs: usize,
    /// The source ids with at least one learned sequence: a document of
    /// any other source cannot have a hit, so [`Labels::find`] skips it.
    active: FastSet<u32>,
}

/// Shards of the sequence statistics in [`Labels::learn`]: a few per
/// thread of a small machine (each shard reads every occurrence).
const STAT_SHARDS: usize = 4;

/// The statistics shard of sequence key `key`: its top bits.
#[inline]
fn stat_shard(key: u64) -> usize {
    (key >> 62) as usize
}

/// `occ` grouped by statistics shard ([`stat_shard`]), each shard's in
/// their order in `occ`: `shards[s]..shards[s + 1]` of the result are
/// shard `s`'s. Each shard's counter then reads its own occurrences
/// instead of all of them (a document's few are read once per shard here,
/// while they are in cache).
fn by_shard(occ: &[Occurrence]) -> (Vec<Occurrence>, [u32; STAT_SHARDS + 1]) {
    let mut out = Vec::with_capacity(occ.len());
    let mut shards = [0u32; STAT_SHARDS + 1];
    for s in 0..STAT_SHARDS {
        out.extend(occ.iter().filter(|o| stat_shard(o.key) == s).copied());
        shards[s + 1] = out.len() as u32;
    }
    (out, shards)
}

/// Per-worker buffers of [`Labels::find`] for documents it did not learn
/// from (one per thread, reused from document to document).
#[derive(Debug, Default)]
pub(crate) struct FindScratch {
    scratch: Scratch,
    occ: Vec<Occurrence>,
}

/// A hit found while learning: `(document, side, first token, last token,
/// standalone)`, kept compact (a few per document, for the whole run).
#[derive(Debug, Clone, Copy)]
struct Cached {
    doc: u32,
    side: Side,
    first: u32,
    last: u32,
    standalone: bool,
}

/// What is kept of a learned label or call to action.
#[derive(Debug, Clone, Copy)]
struct Learned {
    articles: u32,
    standalone: bool,
}

#[derive(Debug, Default, Clone)]
struct Stat {
    articles: u32,
    last_article: u32,
    occurrences: u32,
    anchored: u32,
    standalone: u32,
    para_ends: u32,
    /// Loose occurrences (see [`Occurrence::loose`]).
    loose: u32,
    single: bool,
    /// Tokens in the sequence.
    len: usize,
    prevs: Neighbours,
    nexts: Neighbours,
}

/// The first [`NEIGHBOURS`] distinct neighbours of a sequence, in the
/// order seen, kept inline: a [`Stat`] is made for every sequence in a
/// teaser position, and two heap buffers each cost more than the counting.
#[derive(Debug, Default, Clone, Copy)]
struct Neighbours {
    seen: [u64; NEIGHBOURS],
    len: usize,
}

impl Neighbours {
    /// Note `v` unless it is known or the list is full.
    #[inline]
    fn note(&mut self, v: u64) {
        if self.len < NEIGHBOURS && !self.seen[..self.len].contains(&v) {
            self.seen[self.len] = v;
            self.len += 1;
        }
    }

    fn len(&self) -> usize {
        self.len
    }
}

impl Stat {
    fn add(&mut self, article: u32, o: &Occurrence) {
        let (prev, next) = (o.prev, o.next);
        if self.articles == 0 || self.last_article != article {
            self.articles += 1;
            self.last_article = article;
        }
        self.occurrences += 1;
        self.anchored += u32::from(o.anchored);
        self.standalone += u32::from(o.standalone);
        self.para_ends += u32::from(o.next == PARA_END);
        self.single = o.single;
        self.len = o.last + 1 - o.first;
        self.prevs.note(prev);
        self.nexts.note(next);
    }

    /// Half or more of the neighbours seen differ: the headline after a
    /// label, the headline before a call to action. A call to action must
    /// also end its paragraph or precede a sentence starter in a quarter of
    /// its occurrences: glued before a capitalized word alone, "Prime
    /// Minister" before a name would look the same.
    fn qualifies(&self, side: Side) -> bool {
        let seen = (self.occurrences as usize).min(NEIGHBOURS);
        let enough = |set: &Neighbours| 2 * set.len() >= seen;
        match side {
            Side::Label => enough(&self.nexts),
            Side::Cta => {
                // One word needs a third of its occurrences anchored.
                let share = if self.single { 3 } else { 4 };
                // What follows varies too (the next sentence), unless the
                // call nearly always ends its paragraph: "Nine mths" is
                // always followed by "Shr" in a wire table.
                let ends = 5 * self.para_ends >= 4 * self.occurrences;
                enough(&self.prevs)
                    && (enough(&self.nexts) || ends)
                    && self.anchored >= 2
                    && share * self.anchored >= self.occurrences
            }
        }
    }
}

impl Labels {
    /// Learn from `inputs`; `articles[i]` is document `i`'s article
    /// (`u32::MAX` for documents that take no part).
    pub(crate) fn learn(
        inputs: &[Input<'_>],
        articles: &[u32],
        starters: &HashMap<String, Starters>,
        protected: &[Vec<Range<usize>>],
        cache: &TokenCache,
        config: &LearnConfig,
    ) -> Labels {
        let keys = source_keys(inputs);
        let mut by_source: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            if articles[i] != u32::MAX {
                by_source.entry(k.as_str()).or_default().push(i);
            }
        }
        let mut names: Vec<&str> = by_source.keys().copied().collect();
        names.sort_unstable();
        let mut out = Labels {
            cached_docs: inputs.len(),
            ..Labels::default()
        };
        for (sid, name) in names.iter().enumerate() {
            let sid = sid as u32;
            out.sources.insert((*name).to_owned(), sid);
            let docs = by_source
                .get_mut(name)
                .map(std::mem::take)
                .unwrap_or_default();
            let mut docs = docs;
            docs.sort_by_key(|&i| (articles[i], i));
            let mut distinct: Vec<u32> = docs.iter().map(|&i| articles[i]).collect();
            distinct.dedup();
            let threshold = config.threshold(distinct.len());
            if distinct.len() < threshold as usize {
                continue;
            }
            // Positions: count sequences standing in teaser positions.
            // Each document's occurrences grouped by statistics shard.
            let found: Vec<(Vec<Occurrence>, [u32; STAT_SHARDS + 1])> = docs
                .par_iter()
                .map_init(
                    || (Tokenizer::default(), Scratch::default(), Vec::new()),
                    |(tok, scratch, occ), &i| {
                        let d = &inputs[i];
                        let tokens = cache.get(i, d.text, tok);
                        let shared = protected.get(i).map_or(&[][..], Vec::as_slice);
                        let starters = starters.get(d.language);
                        occurrences(d.text, tokens, starters, shared, scratch, occ);
                        by_shard(occ)
                    },
                )
                .collect();
            // Counted in shards by the key's top bits, in parallel: each
            // shard sees its keys' occurrences in document order, so every
            // count is the one a single table would hold.
            let candidates: FastMap<(Side, u64), Stat> = (0..STAT_SHARDS)
                .into_par_iter()
                .map(|shard| {
                    let mut stats: FastMap<(Side, u64), Stat> = FastMap::default();
                    for (&i, (occ, shards)) in docs.iter().zip(&found) {
                        let (lo, hi) = (shards[shard] as usize, shards[shard + 1] as usize);
                        for o in &occ[lo..hi] {
                            let stat = stats.entry((o.side, o.key)).or_default();
                            if o.loose {
                                stat.loose += 1;
                            } else {
                                stat.add(articles[i], o);
                            }
                        }
                    }
                    stats
                        .into_iter()
                        .filter(|((side, _), s)| s.articles >= threshold && s.qualifies(*side))
                        .collect::<Vec<_>>()
                })
                .flatten_iter()
                .collect();
            if candidates.is_empty() {
                continue;
            }
            // Purity: all occurrences of the candidates, anywhere.
            let wanted: FastSet<u64> = candidates.keys().map(|(_, k)| *k).collect();
            let mut lengths: Vec<usize> = candidates.values().map(|s| s.len).collect();
            lengths.sort_unstable();
            lengths.dedup();
            let longest = lengths.last().copied().unwrap_or(0);
            let mut wanted_len = vec![false; longest + 1];
            for &k in &lengths {
                wanted_len[k] = true;
            }
            let totals: FastMap<u64, u32> = docs
                .par_iter()
                .fold(
                    || (Tokenizer::default(), FastMap::default()),
                    |(mut tok, mut acc): (Tokenizer, FastMap<u64, u32>), &i| {
                        let text = inputs[i].text;
                        let tokens = cache.get(i, text, &mut tok);
                        // Every window of every wanted length, each start's
                        // hashes grown a token at a time.
                        for (a, first) in tokens.iter().enumerate() {
                            let mut h = GRAM_SEED;
                            for (k, t) in (1..=longest).zip(&tokens[a..]) {
                                h = gram_step(h, t);
                                if !wanted_len[k] {
                                    continue;
                                }
                                // A one-word call to action is a capitalized
                                // word: only its capitalized uses count.
                                if k == 1
                                    && !text[first.start as usize..]
                                        .chars()
                                        .next()
                                        .is_some_and(char::is_uppercase)
                                {
                                    continue;
                                }
                                let g = gram_finish(h);
                                if wanted.contains(&g) {
                                    *acc.entry(g).or_default() += 1;
                                }
                            }
                        }
                        (tok, acc)
                    },
                )
                .map(|(_, acc)| acc)
                .reduce(FastMap::default, |mut a, b| {
                    for (k, v) in b {
                        *a.entry(k).or_default() += v;
                    }
                    a
                });
            for ((side, key), stat) in candidates {
                // A loose occurrence stands after a headline too: it is no
                // use of the words elsewhere.
                let placed = stat.occurrences + stat.loose;
                let total = totals.get(&key).copied().unwrap_or(0).max(placed);
                let purity = if stat.single { SINGLE_PURITY } else { PURITY };
                if f64::from(placed) >= purity * f64::from(total) {
                    let learned = Learned {
                        articles: stat.articles,
                        standalone: 2 * stat.standalone >= stat.occurrences,
                    };
                    out.learned.insert((sid, side, key), learned);
                }
            }
            for (&i, (occ, _)) in docs.iter().zip(&found) {
                let hits = out.hits(sid, occ);
                out.cached
                    .extend(hits.into_iter().map(|(side, a, b, standalone)| Cached {
                        doc: i as u32,
                        side,
                        first: a as u32,
                        last: b as u32,
                        standalone,
                    }));
            }
        }
        out.active = out.learned.keys().map(|&(sid, _, _)| sid).collect();
        // Sources come in name order: put the cache in document order.
        out.cached.sort_by_key(|c| c.doc);
        out.cached.shrink_to_fit();
        out
    }

    /// The occurrences in `occ` that are learned sequences of source `sid`:
    /// `(side, first token, last token, standalone)`.
    fn hits(&self, sid: u32, occ: &[Occurrence]) -> Vec<(Side, usize, usize, bool)> {
        occ.iter()
            .filter(|o| !o.prose_after)
            .filter_map(|o| {
                let l = self.learned.get(&(sid, o.side, o.key))?;
                Some((o.side, o.first, o.last, l.standalone))
            })
            .collect()
    }

    /// True when nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.learned.is_empty()
    }

    /// True when something was learned for the source with key `key`
    /// ([`source_key`]): otherwise [`Labels::find`] finds nothing in its
    /// documents.
    pub(crate) fn has_source(&self, key: &str) -> bool {
        self.sources
            .get(key)
            .is_some_and(|sid| self.active.contains(sid))
    }

    /// The distinct articles behind `text` as a learned label or call to
    /// action of `source` (0 when it is neither).
    pub fn articles_of(&self, source: &str, text: &str) -> u32 {
        let Some(&sid) = self.sources.get(&source_key(source)) else {
            return 0;
        };
        let mut tok = Tokenizer::default();
        let key = gram_hash(tok.tokenize(text));
        [Side::Label, Side::Cta]
            .iter()
            .filter_map(|&side| self.learned.get(&(sid, side, key)).map(|l| l.articles))
            .max()
            .unwrap_or(0)
    }

    /// Learned labels and calls to action per source key: `(labels, ctas)`.
    pub fn counts(&self) -> HashMap<&str, (usize, usize)> {
        let names: HashMap<u32, &str> =
            self.sources.iter().map(|(n, &i)| (i, n.as_str())).collect();
        let mut out: HashMap<&str, (usize, usize)> = HashMap::new();
        for (sid, side, _) in self.learned.keys() {
            let e = out.entry(names[sid]).or_default();
            match side {
                Side::Label => e.0 += 1,
                Side::Cta => e.1 += 1,
            }
        }
        out
    }

    /// The learned labels and calls to action in `text` of a document of
    /// the source with key `key` ([`source_key`], which the caller makes
    /// once per document), the longest at each position. `doc` is the
    /// document's index among [`Labels::learn`]'s inputs, if it was one
    /// (then `text`, `context` must be the ones it learned with).
    pub(crate) fn find(
        &self,
        doc: Option<usize>,
        key: &str,
        text: &str,
        tokens: &[Token],
        context: &Context<'_>,
        buf: &mut FindScratch,
    ) -> Vec<LabelHit> {
        if self.learned.is_empty() {
            return Vec::new();
        }
        let Some(&sid) = self.sources.get(key) else {
            return Vec::new();
        };
        // Every hit, cached or found, is a learned sequence of `sid`.
        if !self.active.contains(&sid) {
            return Vec::new();
        }
        let mut hits = match doc.filter(|&d| d < self.cached_docs) {
            Some(d) => {
                let lo = self.cached.partition_point(|c| (c.doc as usize) < d);
                let hi = self.cached.partition_point(|c| (c.doc as usize) <= d);
                self.cached[lo..hi]
                    .iter()
                    .map(|c| (c.side, c.first as usize, c.last as usize, c.standalone))
                    .collect()
            }
            None => {
                occurrences(
                    text,
                    tokens,
                    context.starters,
                    context.protected,
                    &mut buf.scratch,
                    &mut buf.occ,
                );
                self.hits(sid, &buf.occ)
            }
        };
        // The longest at each position: labels share their first token,
        // calls to action their last.
        hits.sort_by_key(|&(side, a, b, _)| (side == Side::Cta, a, std::cmp::Reverse(b)));
        let mut out: Vec<LabelHit> = Vec::new();
        let mut taken: HashSet<(Side, usize)> = HashSet::new();
        for (side, a, b, standalone) in hits {
            let anchor = if side == Side::Label { a } else { b };
            if taken.insert((side, anchor)) {
                out.push(LabelHit {
                    side,
                    core: tokens[a].start as usize..tokens[b].end as usize,
                    standalone,
                });
            }
        }
        out.sort_by_key(|h| (h.core.start, h.core.end));
        out
    }
}

fn max_len(tokens: &[Token]) -> usize {
    if mostly_unspaced(tokens) {
        MAX_CHARS
    } else {
        MAX_WORDS
    }
}

fn min_len(tokens: &[Token]) -> usize {
    if mostly_unspaced(tokens) {
        MIN_WORDS + 1
    } else {
        MIN_WORDS
    }
}

/// True when `before` ends with a closing quote or a separator (a hyphen
/// counts when a space stands before it: straight punctuation turns dashes
/// into hyphens).
fn set_off(before: &str) -> bool {
    let before = before.trim_end();
    let mut back = before.chars().rev();
    match back.next() {
        Some('-') => back.next().is_some_and(char::is_whitespace),
        Some(c) => is_closer(c) || is_separator(c),
        None => false,
    }
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ':' | '：' | '|' | '–' | '—' | '»' | '›' | '>' | '→' | '•' | '·'
    )
}

/// What [`occurrences`] knows about a token as the first of a call to
/// action.
#[derive(Debug, Clone, Copy)]
struct CtaStart {
    /// One past the last token at or before this one that starts a unit
    /// (0 for none).
    last_unit: usize,
    /// A closing quote, a separator or a headline's own `?`/`!` before it.
    quoted: bool,
    /// A capitalized word of a spaced, cased script.
    button: bool,
    /// A capitalized word of four letters or more, not of a script
    /// without spaces: may be a one-word call to action.
    single_ok: bool,
    /// One past the last token at or before this one that is `quoted` (0
    /// for none).
    last_quoted: usize,
}

/// Per-token buffers of [`occurrences`], reused from one document to the
/// next.
#[derive(Debug, Default)]
struct Scratch {
    unit_start: Vec<bool>,
    para_end_of: Vec<usize>,
    starts: Vec<CtaStart>,
    breaks: Vec<(usize, usize)>,
}

/// Every sequence of `tokens` standing in a label or call-to-action
/// position (see the module docs).
fn occurrences(
    text: &str,
    tokens: &[Token],
    starters: Option<&Starters>,
    protected: &[Range<usize>],
    scratch: &mut Scratch,
    out: &mut Vec<Occurrence>,
) {
    out.clear();
    if tokens.is_empty() {
        return;
    }
    let max = max_len(tokens);
    let min = min_len(tokens);
    // Per token: the paragraph it is in, and whether it starts a unit
    // (paragraph or sentence).
    let Scratch {
        unit_start,
        para_end_of,
        starts,
        breaks,
    } = scratch;
    unit_start.clear();
    unit_start.resize(tokens.len(), false);
    para_end_of.clear();
    para_end_of.resize(tokens.len(), text.len());
    let mut para_start = 0;
    let mut t = 0;
    while para_start <= text.len() && t < tokens.len() {
        let para_end = find_blank_line(&text[para_start..]).map_or(text.len(), |i| para_start + i);
        sentence_breaks_into(text, para_start..para_end, breaks);
        let mut b = 0;
        let mut first = true;
        while t < tokens.len() && (tokens[t].start as usize) < para_end {
            let at = tokens[t].start as usize;
            while b < breaks.len() && breaks[b].1 <= at {
                b += 1;
                first = true;
            }
            unit_start[t] = first;
            first = false;
            para_end_of[t] = para_end;
            t += 1;
        }
        para_start = para_end + 2;
    }
    let same_unit = |a: usize, b: usize| {
        (a + 1..=b).all(|k| !unit_start[k]) && para_end_of[a] == para_end_of[b]
    };
    let token_text = |k: usize| &text[tokens[k].start as usize..tokens[k].end as usize];
    let hash_of = |a: usize, b: usize| gram_hash(&tokens[a..=b]);
    // Per token, what a call to action starting there needs, computed once
    // rather than once per sequence length: the last unit start at or
    // before it (plus one; 0 for none), whether a quote or separator sets
    // it off, whether it is a capitalized word of a cased script, and
    // whether it may be a one-word call to action.
    starts.clear();
    let bytes = text.as_bytes();
    let mut last_unit = 0;
    let mut last_quoted = 0;
    for (k, tok) in tokens.iter().enumerate() {
        if unit_start[k] {
            last_unit = k + 1;
        }
        // Most words follow a word and a space: nothing sets them off.
        let at = tok.start as usize;
        let quoted = if at >= 2 && bytes[at - 1] == b' ' && bytes[at - 2].is_ascii_alphanumeric() {
            false
        } else {
            let before = text[..at].trim_end();
            set_off(before) || before.ends_with(['?', '!', '？', '！'])
        };
        let word = token_text(k);
        let initial = word.chars().next();
        let unspaced = tok.unspaced || initial.is_some_and(is_unspaced_script);
        // (`is_alphabetic` by table: the standard library searches a
        // Unicode table for every letter outside ASCII.)
        let capital = initial.is_some_and(|c| is_alphabetic(c) && !c.is_lowercase());
        let single_ok =
            !tok.unspaced && initial.is_some_and(char::is_uppercase) && word.chars().count() >= 4;
        if quoted {
            last_quoted = k + 1;
        }
        starts.push(CtaStart {
            last_unit,
            quoted,
            button: !unspaced && capital,
            single_ok,
            last_quoted,
        });
    }

    for i in 0..tokens.len() {
        // Labels: at a unit start, followed by a separator.
        if unit_start[i] {
            for k in min..=max {
                let j = i + k - 1;
                if j >= tokens.len() || !same_unit(i, j) {
                    break;
                }
                let after = text[tokens[j].end as usize..].trim_start_matches([' ', '\u{a0}']);
                let sep = after
                    .chars()
                    .next()
                    .is_some_and(|c| is_separator(c) || (c == '-' && after[1..].starts_with(' ')));
                if sep && (j + 1 < tokens.len()) && para_end_of[j + 1] == para_end_of[j] {
                    out.push(Occurrence {
                        side: Side::Label,
                        key: hash_of(i, j),
                        first: i,
                        last: j,
                        prev: NONE,
                        next: tokens[j + 1].hash,
                        anchored: true,
                        single: false,
                        standalone: false,
                        loose: false,
                        prose_after: false,
                    });
                }
            }
        }
        // Calls to action: token `i` ends one.
        let para_end = para_end_of[i];
        let rest_start = tokens[i].end as usize;
        let last_in_para = i + 1 >= tokens.len() || para_end_of[i + 1] != para_end;
        let (next, anchored, loose) = if last_in_para {
            let rest = &text[rest_start..para_end];
            if rest.chars().any(|c| is_sentence_end(c) && c != '…') {
                (PARA_END, false, true)
            } else {
                (PARA_END, true, false)
            }
        } else {
            // Glued to the next sentence: a capital (or figure, or opening
            // quote) after a space. Scripts without case, or without
            // spaces, show no such glue: there only a paragraph end (or,
            // below, a quote or separator before the call) counts.
            let gap = &text[rest_start..tokens[i + 1].start as usize];
            let following = token_text(i + 1);
            // Text shared with another source's copy resumes right after
            // it: the article goes on, whatever its script or case.
            let next_start = tokens[i + 1].start as usize;
            let shared_next = !gap.is_empty()
                && gap.chars().all(char::is_whitespace)
                && protected
                    .binary_search_by(|r| r.start.cmp(&next_start))
                    .is_ok();
            let glued = if tokens[i].unspaced {
                true
            } else {
                shared_next
                    || (gap.starts_with(char::is_whitespace)
                        && gap.trim_start().chars().all(super::text::is_opener)
                        && following.chars().next().is_some_and(|c| {
                            c.is_uppercase() || c.is_numeric() || !gap.trim().is_empty()
                        }))
            };
            // (The starter look-up is the dearest test: last.)
            let anchored =
                glued && (shared_next || starters.is_some_and(|s| s.contains(following)));
            (tokens[i + 1].hash, anchored, !glued)
        };
        // A code of letters and figures right after it ("A8", "B1") makes
        // one capitalized word a reference ("Page A8"), not a call to
        // action: a letter to the editor's "Re. “<headline>,” Page A8"
        // lost its headline to a "Page" learned from "Home Page" links.
        // Sentences do not start with such a code, so no teaser is lost.
        // (Asked only of a one-word call to action that is kept: most
        // tokens end none, and this reads the next word.)
        let code_after = || {
            !anchored
                && !last_in_para
                && token_text(i + 1).chars().any(|c| c.is_ascii_digit())
                && token_text(i + 1).chars().any(is_alphabetic)
        };
        // A loose call to action of two words or more needs a quoted
        // first word (see below): with none among the tokens it could
        // start at, nothing is found here.
        if loose && (i == 0 || starts[i - 1].last_quoted <= (i + 1).saturating_sub(max)) {
            continue;
        }
        let prose_after = loose
            && text[rest_start..]
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
        // The tests below only skip a length (`continue`) or stop at a
        // unit start or paragraph break (`break`), which holds for every
        // longer length too: so the cheapest tests, on what was noted per
        // token, come first.
        for k in 1..=max.min(i + 1) {
            let s = i + 1 - k;
            let st = &starts[s];
            // Glued to the headline before it: not at a unit start, or
            // right after a closing quote or a separator.
            // (A headline that is a question or an exclamation ends with
            // its own mark: "Qui sont-ils ? Découvrir".)
            let quoted = st.quoted;
            // A loose call to action needs a separator or closing quote
            // before it (or a headline's own "?"): after an ordinary word
            // ("... en Afrique."), a capitalized word is just a name.
            if loose && (k == 1 || !quoted) {
                continue;
            }
            // A button label: capitalized (or of a script without case),
            // unless a quote or separator sets it off.
            if !quoted && !st.button {
                continue;
            }
            // One capitalized word of a cased script may be a call to
            // action ("Weiterlesen"); otherwise the minimum length holds.
            if k < min && !(k == 1 && st.single_ok) {
                continue;
            }
            // A unit start among tokens s+1..=i, or another paragraph.
            if para_end_of[s] != para_end || starts[i].last_unit > s + 1 {
                break;
            }
            // Something stands before it in its paragraph (a short
            // paragraph of its own is a heading, such as "Nine mths").
            if s == 0 || para_end_of[s - 1] != para_end {
                continue;
            }
            // Right after a full sentence: a button that stands alone
            // ("... bitti. PAYLAŞ A"), counted apart.
            let standalone = unit_start[s] && !quoted;
            out.push(Occurrence {
                side: Side::Cta,
                key: hash_of(s, i),
                first: s,
                last: i,
                prev: tokens[s - 1].hash,
                next,
                anchored,
                single: k == 1,
                standalone,
                loose,
                prose_after: (loose && prose_after) || (k == 1 && code_after()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(source: &'a str, text: &'a str) -> Input<'a> {
        Input {
            source,
            language: "xx",
            text,
        }
    }

    const HEADS: [&str; 6] = [
        "Port strike ends after two weeks",
        "New bridge opens to traffic",
        "Council approves the budget",
        "Rail line to close for repairs",
        "School year starts on Monday",
        "Museum reopens its west wing",
    ];
    const BODY: [&str; 6] = [
        "harbour", "railway", "school", "hospital", "library", "market",
    ];
    const OPENERS: [&str; 6] = ["The", "Its", "The", "Every", "The", "Each"];

    fn corpus(template: impl Fn(&str) -> String) -> Vec<String> {
        (0..6)
            .map(|i| {
                format!(
                    "The {b} board met on day {i}. {} {o} {b} chief said the {b} plan was final.",
                    template(HEADS[(i + 1) % 6]),
                    b = BODY[i],
                    o = OPENERS[i]
                )
            })
            .collect()
    }

    fn learn(texts: &[String]) -> Labels {
        let inputs: Vec<Input<'_>> = texts.iter().map(|t| input("ledger", t)).collect();
        let articles: Vec<u32> = (0..texts.len() as u32).collect();
        let starters = HashMap::from([("xx".to_owned(), Starters::from_words(["The"]))]);
        Labels::learn(
            &inputs,
            &articles,
            &starters,
            &[],
            &TokenCache::default(),
            &LearnConfig::default(),
        )
    }

    fn found(labels: &Labels, text: &str) -> Vec<(Side, String)> {
        let starters = Starters::from_words(["The"]);
        let tokens = Tokenizer::default().tokenize(text).to_vec();
        labels
            .find(
                None,
                "ledger",
                text,
                &tokens,
                &Context {
                    protected: &[],
                    starters: Some(&starters),
                },
                &mut FindScratch::default(),
            )
            .into_iter()
            .map(|h| (h.side, text[h.core].to_owned()))
            .collect()
    }

    /// Grouping by shard keeps every occurrence, each shard's in document
    /// order (the order the statistics depend on).
    #[test]
    fn occurrences_are_grouped_by_shard_in_order() {
        let occ: Vec<Occurrence> = (0..40u64)
            .map(|n| Occurrence {
                side: if n % 3 == 0 { Side::Label } else { Side::Cta },
                // Every shard, in a scrambled order.
                key: (n.wrapping_mul(0x9E37_79B9_7F4A_7C15) & !(3 << 62)) | ((n * 7 % 4) << 62),
                first: n as usize,
                last: n as usize + 1,
                prev: NONE,
                next: PARA_END,
                anchored: false,
                single: false,
                standalone: false,
                loose: false,
                prose_after: false,
            })
            .collect();
        for len in [0, 1, 5, 40] {
            let (grouped, shards) = by_shard(&occ[..len]);
            assert_eq!(shards[STAT_SHARDS] as usize, len);
            for s in 0..STAT_SHARDS {
                let got: Vec<usize> = grouped[shards[s] as usize..shards[s + 1] as usize]
                    .iter()
                    .map(|o| o.first)
                    .collect();
                let want: Vec<usize> = occ[..len]
                    .iter()
                    .filter(|o| stat_shard(o.key) == s)
                    .map(|o| o.first)
                    .collect();
                assert_eq!(got, want, "shard {s} of {len}");
            }
        }
    }

    /// Neighbours keep the first distinct values, in order, up to the cap.
    #[test]
    fn neighbours_keep_the_first_distinct_values() {
        // (values noted, distinct kept)
        let cases: [(&[u64], &[u64]); 4] = [
            (&[], &[]),
            (&[5, 5, 5], &[5]),
            (&[3, 1, 3, 2, 1], &[3, 1, 2]),
            (
                &[1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 10],
                &[1, 2, 3, 4, 5, 6, 7, 8],
            ),
        ];
        for (noted, kept) in cases {
            let mut n = Neighbours::default();
            for &v in noted {
                n.note(v);
            }
            assert_eq!(&n.seen[..n.len()], kept, "{noted:?}");
        }
    }

    #[test]
    fn a_sites_own_labels_and_calls_to_action_are_learned() {
        // (template, what is found in the first document)
        type Template = Box<dyn Fn(&str) -> String>;
        let cases: Vec<(Template, (Side, &str))> = vec![
            (
                Box::new(|h| format!("SEE ALSO: {h}")),
                (Side::Label, "SEE ALSO"),
            ),
            (
                Box::new(|h| format!("{h} Discover more")),
                (Side::Cta, "Discover more"),
            ),
            (
                Box::new(|h| format!("{h} Discover")),
                (Side::Cta, "Discover"),
            ),
            (
                Box::new(|h| format!("“{h}” – more here")),
                (Side::Cta, "more here"),
            ),
        ];
        for (template, want) in cases {
            let texts = corpus(&template);
            let labels = learn(&texts);
            assert_eq!(
                found(&labels, &texts[0]),
                vec![(want.0, want.1.to_owned())],
                "{}",
                texts[0]
            );
        }
    }

    #[test]
    fn ordinary_words_in_those_positions_are_not_learned() {
        // "He said:" opens a quote in some articles, but stands in prose in more.
        let texts: Vec<String> = (0..6)
            .map(|i| {
                let quote = if i < 3 { format!("He said: \"{}\".", HEADS[i]) } else { String::new() };
                format!(
                    "The {b} board met. {quote} He said the plan would wait. He said it twice. He said so on day {i}.",
                    b = BODY[i]
                )
            })
            .collect();
        assert!(learn(&texts).is_empty());
        // Capitalized words glued to a name inside a sentence are no call
        // to action: they never end a paragraph or precede a sentence.
        let names = ["Smith", "Jones", "Brown", "Green", "White", "Black"];
        let texts: Vec<String> = (0..6)
            .map(|i| {
                format!(
                    "The {b} board met. It held talks with Prime Minister {n} on day {i}. {o} {b} chief agreed.",
                    b = BODY[i],
                    n = names[i],
                    o = OPENERS[i]
                )
            })
            .collect();
        assert!(learn(&texts).is_empty());
    }

    /// A call to action set off from its headline but followed by no
    /// sentence start (a hyphen, text of a script without case) is no
    /// evidence, but no use of the words elsewhere either: it counts for
    /// purity, so the call is learned, and found there when no lower-case
    /// word follows it.
    #[test]
    fn loose_calls_to_action_count_for_purity() {
        let texts: Vec<String> = (0..6)
            .map(|i| {
                let after = match i {
                    0..=3 => format!("{} {} chief said", OPENERS[i], BODY[i]),
                    4 => format!("- the {} chief said", BODY[i]),
                    _ => "港口周一重新开放".to_owned(),
                };
                format!(
                    "The {b} board met on day {i}. “{h}” – more here {after} the plan was final.",
                    b = BODY[i],
                    h = HEADS[(i + 1) % 6],
                )
            })
            .collect();
        let labels = learn(&texts);
        for text in &texts[4..] {
            assert_eq!(
                found(&labels, text),
                vec![(Side::Cta, "more here".to_owned())],
                "{text}"
            );
        }
        // Followed by a lower-case word, it may go on as prose: not found.
        let prose = "The port board met. “Strike ends” – more here and there the plan held.";
        assert!(found(&labels, prose).is_empty());
    }

    /// A one-word call to action is not found before a page or section
    /// code ("Page A8"); it is before a sentence start, at its paragraph's
    /// end, and before other capitalized words.
    #[test]
    fn a_one_word_call_to_action_before_a_page_code_is_a_reference() {
        let labels = learn(&corpus(|h| format!("{h} Discover")));
        // (text, found)
        let cases = [
            (
                "The port board met. Rail line to close Discover The chief said so.",
                true,
            ),
            (
                "The port board met. Rail line to close Discover\n\nThe chief said so.",
                true,
            ),
            (
                "The port board met. “Rail line to close,” Discover A8, said the chief.",
                false,
            ),
            (
                "The port board met. Rail line to close Discover Smith said so.",
                true,
            ),
            (
                "The port board met. (Discover B12, Jan. 15) was the source.",
                false,
            ),
        ];
        for (text, want) in cases {
            let got = found(&labels, text);
            assert_eq!(
                got == vec![(Side::Cta, "Discover".to_owned())],
                want,
                "{text}: {got:?}"
            );
        }
    }

    /// A call to action glued to lower-case text, or to a script without
    /// case, is anchored when the text after it is shared with another
    /// source's copy (the article resumes there); not otherwise.
    #[test]
    fn shared_text_after_a_call_to_action_anchors_it() {
        // (text, where the shared text starts)
        let cases = [
            (
                "The port reopened on Monday. Harbour Guide Tour See more here the cranes moved again at dawn.",
                "the cranes",
            ),
            (
                "أعيد فتح الميناء يوم الاثنين. دليل الميناء اقرأ المزيد هنا عادت الرافعات إلى العمل فجرا.",
                "عادت",
            ),
        ];
        for (text, shared) in cases {
            let tokens = Tokenizer::default().tokenize(text).to_vec();
            let at = text.find(shared).unwrap();
            let protected = std::slice::from_ref(&(at..text.len() - 1)).to_vec();
            let cta_before = |protected: &[Range<usize>]| {
                let mut occ = Vec::new();
                occurrences(
                    text,
                    &tokens,
                    None,
                    protected,
                    &mut Scratch::default(),
                    &mut occ,
                );
                occ.iter().any(|o| {
                    o.side == Side::Cta && o.anchored && tokens[o.last].end as usize + 1 == at
                })
            };
            assert!(cta_before(&protected), "{text}");
            assert!(!cta_before(&[]), "{text}");
        }
    }
}
