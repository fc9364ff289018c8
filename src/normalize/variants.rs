//! Name variants: one spelling for one name in each language.
//!
//! Three steps, one per pipeline stage, so that a driver can run the first
//! and the last per document in parallel:
//!
//! 1. **Count** ([`NameCounts::add_document`], stage 1). Every capitalised
//!    word that is not the first word of a sentence is a spelling of a name;
//!    its mentions and documents are counted per language. Lower-case words
//!    go into a [`WordSketch`], a fixed-size counting sketch, so that step 2
//!    can tell names from ordinary words. Counts are merged by addition, so
//!    the result does not depend on the order or the threads.
//! 2. **Learn** ([`VariantModel::learn`], stage 2). Spellings of one name
//!    that differ only in case (Cop29/COP29, Nato/NATO) or diacritics
//!    (Erdogan/Erdoğan) are grouped by match key, per language. The group
//!    takes the alias table's canonical if one of its spellings is an alias
//!    variant or canonical, else the dominant spelling: the majority, on a
//!    tie the one with diacritics, then one with an inner capital
//!    (PowerPoint), then the one with fewer capitals. Near
//!    spellings with different keys (Jaro-Winkler, see [`FuzzyConfig`]) are
//!    only *suggested*, unless the user asks to apply them.
//! 3. **Apply** ([`VariantModel::apply`], stage 3). The alias matcher
//!    ([`super::aliases`]) rewrites its spans first; learned spellings are
//!    then rewritten word by word outside those spans. Every change is
//!    returned as an [`Applied`], for `variants.csv`.
//!
//! What keeps the learned rules from touching ordinary words:
//! - A group is left alone when its lower-case form is common in the same
//!   language: at least [`LOWERCASE_SHARE`] of the capitalised mentions.
//!   "Who"/"WHO" (who), "El"/"Él" (el, él), "Dana"/"DANA" (dana), Italian
//!   "Nato"/"NATO" (nato, "born") stay as written.
//! - Sentence-initial words are not counted, and words inside a run of
//!   capitals (a shouted headline) are neither counted nor rewritten.
//! - German capitalises nouns, and umlauts tell words apart there
//!   (Mutter/Mütter, Bar/Bär): in `de` and `lb`, spellings that differ in ä,
//!   ö, ü or ß are different names.
//! - Words glued into URLs, e-mail addresses, handles and paths are skipped.
//!
//! Hash maps are only looked up, never iterated into the output: the model
//! and the report are built from sorted collections.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::atomic::{AtomicU32, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use super::aliases::{AliasMatcher, Hit, UserAliases, is_capitals};
use super::{Keyed, chars, match_key, push_key_char};

/// Why a spelling was rewritten (the `rule` column of `variants.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A row of the shipped alias tables.
    Alias,
    /// A row of the user's `--aliases` file (or a shipped row redirected to
    /// a user canonical).
    User,
    /// Learned: the spellings differ only in case.
    Case,
    /// Learned: the spellings differ in diacritics (and maybe case).
    Diacritics,
    /// A word mixing scripts with look-alike letters, written in one script.
    Confusable,
    /// A near spelling found by Jaro-Winkler: listed, applied only on request.
    Suggested,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Alias => "alias",
            Rule::User => "user",
            Rule::Case => "case",
            Rule::Diacritics => "diacritics",
            Rule::Confusable => "confusable",
            Rule::Suggested => "suggested",
        }
    }
}

/// A group whose lower-case form has at least this share of its
/// capitalised mentions is an ordinary word, not a name. Names are rarely
/// written in lower case (a "covid" among many "Covid"s); words written
/// capitalised mid-sentence are (Who in a title, El/Él in Spanish, Italian
/// nato "born"), and then their lower-case form is far more common. Chosen
/// on the eval corpus of `bench/make_corpus.py` (10 languages): 0.1 and
/// 0.25 learn the same spellings; 0.5 adds 7, among them Turkish
/// BİLİM → Bilim (bilim, "science") and Agreg → AGREG, but also Italian
/// Covid → COVID (3 lower-case of 11 mentions). 0.25 keeps the words out.
pub const LOWERCASE_SHARE: f64 = 0.25;

/// Words in capitals longer than this are not learned as spellings of a
/// name. Acronyms that news writes both ways are short (NATO, COVID,
/// UNICEF, UNESCO); longer ones in capitals are emphasis or styling.
pub const MAX_ACRONYM_LETTERS: u16 = 6;

/// Capitalised words shorter than this are not learned as names: two and
/// three letters are too often an acronym beside an unrelated word (LA/La,
/// OS/Os, CAF/Caf, COL/Col), which the lower-case test cannot tell apart.
pub const MIN_NAME_LETTERS: u16 = 4;

/// Settings of the variants step.
#[derive(Debug, Clone)]
pub struct VariantsConfig {
    /// The user's alias table (`--aliases FILE`), if any.
    pub user_aliases: Option<UserAliases>,
    /// Rewrite the text. `false` (`--keep-variants`) only lists what would
    /// change.
    pub apply: bool,
    /// Learn case and diacritic variants from the corpus.
    pub learn: bool,
    pub fuzzy: FuzzyConfig,
}

impl Default for VariantsConfig {
    fn default() -> VariantsConfig {
        VariantsConfig {
            user_aliases: None,
            apply: true,
            learn: true,
            fuzzy: FuzzyConfig::default(),
        }
    }
}

/// Fuzzy (Jaro-Winkler) candidates. The thresholds were chosen by reading
/// the candidates found in the shared corpora (see BENCHMARKS.md): below
/// 0.93 most pairs are different names (Salah/Saleh, Bashir/Basher), and two
/// edits allow the typical transliteration pairs (Zelenskiy/Zelenskyy) while
/// stopping word forms that happen to look alike.
#[derive(Debug, Clone)]
pub struct FuzzyConfig {
    /// Apply the suggestions that pass the stricter `apply_*` guards.
    pub apply: bool,
    /// Minimum Jaro-Winkler similarity of the match keys to suggest.
    pub min_similarity: f64,
    /// At most this many edits (optimal string alignment) between the keys.
    pub max_edits: usize,
    /// Names shorter than this (in characters of the key) are never
    /// compared: Iran/Iraq, Mali/Bali.
    pub min_chars: usize,
    /// A name needs this many mentions to be anyone's canonical.
    pub min_mentions: u64,
    /// Only the most mentioned names of each language are canonicals...
    pub max_names: usize,
    /// ... and variants (to bound the time on huge corpora).
    pub max_variants: usize,
    /// To be suggested, the canonical needs this many times the variant's
    /// mentions: a typo is a rare accident beside a common spelling, while
    /// two spellings that both recur are mostly two names (Davis/Davies,
    /// Gardner/Gardiner, Carson/Carlson). Hand-labelled random samples of
    /// the suggestions on Reuters-21578, MasakhaNEWS en/fr, SemEval and
    /// tgnews: at a ratio of 2, 12 of 60 were typos and the five corpora
    /// gave 1,898 rows; at 20, 22 of 40 were typos (Okalhoma, Commerice,
    /// Lehamn, Égpyte) and 363 rows.
    pub min_ratio: f64,
    /// To be applied, the canonical needs this many times the variant's
    /// mentions...
    pub apply_ratio: f64,
    /// ... and this similarity...
    pub apply_similarity: f64,
    /// ... and at most this many edits: a typo (a dropped or swapped letter)
    /// is one edit; two edits also turn Angela into Angelina.
    pub apply_max_edits: usize,
}

impl Default for FuzzyConfig {
    fn default() -> FuzzyConfig {
        FuzzyConfig {
            apply: false,
            min_similarity: 0.93,
            max_edits: 2,
            min_chars: 5,
            min_mentions: 2,
            max_names: 5000,
            max_variants: 200_000,
            min_ratio: 20.0,
            apply_ratio: 20.0,
            apply_similarity: 0.95,
            apply_max_edits: 1,
        }
    }
}

// ---------------------------------------------------------------------------
// Words.

/// A word of a text: a run of letters, digits and marks, not counting
/// scripts written without spaces (which separate words here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: u32,
    pub end: u32,
    /// First word of a sentence, a paragraph or a quotation.
    pub initial: bool,
    /// Part of a URL, an address, a handle or a path.
    pub glued: bool,
    pub upper: bool,
    pub lower: bool,
    pub letters: u16,
}

impl Token {
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Written in capitals: two letters or more, none lower case.
    fn is_capitals(&self) -> bool {
        self.upper && !self.lower && self.letters >= 2
    }
}

/// The class bits of a character, with a shortcut for ASCII.
#[inline]
fn class(c: char) -> u8 {
    if c.is_ascii() {
        match c {
            'a'..='z' => chars::WORD | chars::ALPHA | chars::LOWER,
            'A'..='Z' => chars::WORD | chars::ALPHA | chars::UPPER,
            '0'..='9' => chars::WORD,
            _ => 0,
        }
    } else {
        chars::class(c)
    }
}

fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | ':' | '\n' | '。' | '！' | '？' | '؟' | '।' | '•' | '·'
    )
}

fn opens_quote(c: char) -> bool {
    matches!(c, '“' | '„' | '«' | '‘' | '‚' | '‹' | '「' | '『')
}

fn glues(c: char) -> bool {
    matches!(c, '/' | '\\' | '@' | '_')
}

/// A word starting with `first` after `p1` (and `p2` before it) is glued
/// into a URL, an address, a handle or a path: "@Nato", "www.kiev".
fn glued_before(p1: Option<char>, p2: Option<char>, first: char) -> bool {
    p1.is_some_and(glues)
        || (p1 == Some('.') && p2.is_some_and(char::is_alphanumeric) && !first.is_uppercase())
}

/// A word followed by `n1`, `n2` is glued: "kiev.example", "Nato/".
fn glued_after(n1: Option<char>, n2: Option<char>) -> bool {
    n1.is_some_and(glues)
        || (n1 == Some('.') && n2.is_some_and(|n| n.is_alphanumeric() && !n.is_uppercase()))
}

#[inline]
fn is_token_char(c: char) -> bool {
    class(c) & (chars::WORD | chars::UNSPACED) == chars::WORD
}

/// `text[range]` is a whole word: no word character touches it.
fn is_token_bounded(text: &str, range: &Range<usize>) -> bool {
    !text[..range.start]
        .chars()
        .next_back()
        .is_some_and(is_token_char)
        && !text[range.end..].chars().next().is_some_and(is_token_char)
}

/// The word `text[range]` is glued into a URL, an address, a handle or a path.
fn is_glued(text: &str, range: &Range<usize>) -> bool {
    let mut before = text[..range.start].chars().rev();
    let mut after = text[range.end..].chars();
    let first = text[range.clone()].chars().next().unwrap_or(' ');
    glued_before(before.next(), before.next(), first) || glued_after(after.next(), after.next())
}

/// The words before and after `text[range]` (skipping anything between
/// words): is either written in capitals? Then the word is part of a run of
/// capitals, like [`in_capitals_run`].
fn next_to_capitals(text: &str, range: &Range<usize>) -> bool {
    let capitals = |word: &mut dyn Iterator<Item = char>| {
        let (mut letters, mut upper) = (0, false);
        for c in word {
            if c.is_lowercase() {
                return false;
            }
            letters += usize::from(c.is_alphabetic());
            upper |= c.is_uppercase();
        }
        upper && letters >= 2
    };
    let mut before = text[..range.start]
        .chars()
        .rev()
        .skip_while(|&c| !is_token_char(c))
        .take_while(|&c| is_token_char(c));
    let mut after = text[range.end..]
        .chars()
        .skip_while(|&c| !is_token_char(c))
        .take_while(|&c| is_token_char(c));
    capitals(&mut before) || capitals(&mut after)
}

/// Split `text` into words (see [`Token`]).
pub(crate) fn tokenize(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    let mut sentence_start = true;
    // The two characters before the current one.
    let (mut p1, mut p2): (Option<char>, Option<char>) = (None, None);
    let mut current: Option<Token> = None;
    let bytes = text.as_bytes();
    let mut offset = 0;
    while let Some(c) = text[offset..].chars().next() {
        let bits = class(c);
        if bits & (chars::WORD | chars::UNSPACED) == chars::WORD {
            let t = current.get_or_insert_with(|| Token {
                start: offset as u32,
                end: offset as u32,
                initial: sentence_start,
                glued: glued_before(p1, p2, c),
                upper: false,
                lower: false,
                letters: 0,
            });
            let next = offset + c.len_utf8();
            t.end = next as u32;
            if bits & chars::ALPHA != 0 {
                t.letters = t.letters.saturating_add(1);
                t.upper |= bits & chars::UPPER != 0;
                t.lower |= bits & chars::LOWER != 0;
            }
            // The ASCII letters and digits that go on with the word (most
            // of a word in a Latin script) are taken in one go: each is
            // what the loop would make of it one at a time.
            let run = bytes[next..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(bytes.len() - next);
            if run > 0 {
                let word = &bytes[next..next + run];
                let letters = word.iter().filter(|b| b.is_ascii_alphabetic()).count();
                t.letters = t
                    .letters
                    .saturating_add(u16::try_from(letters).unwrap_or(u16::MAX));
                t.upper |= word.iter().any(u8::is_ascii_uppercase);
                t.lower |= word.iter().any(u8::is_ascii_lowercase);
                t.end = (next + run) as u32;
                p2 = Some(if run >= 2 {
                    char::from(word[run - 2])
                } else {
                    c
                });
                p1 = Some(char::from(word[run - 1]));
                offset = next + run;
                continue;
            }
        } else {
            if let Some(mut t) = current.take() {
                let mut after = text[t.end as usize..].chars();
                let (n1, n2) = (after.next(), after.next());
                t.glued |= glued_after(n1, n2);
                tokens.push(t);
                sentence_start = false;
            }
            let stop = match c {
                // A full stop ends a sentence when a space follows, not
                // inside "www.kiev.example" or "3.5".
                '.' => text[offset + 1..]
                    .chars()
                    .next()
                    .is_none_or(|n| n.is_whitespace() || !n.is_alphanumeric()),
                c => ends_sentence(c),
            };
            if stop || opens_quote(c) || (c == '"' && p1.is_none_or(char::is_whitespace)) {
                sentence_start = true;
            } else if bits & (chars::WORD | chars::UNSPACED) == chars::WORD | chars::UNSPACED {
                sentence_start = false;
            }
        }
        p2 = p1;
        p1 = Some(c);
        offset += c.len_utf8();
    }
    if let Some(t) = current {
        tokens.push(t);
    }
}

/// Token `i` is in a run of capitals: it and a neighbour are both written
/// in capitals ("BREAKING NEWS FROM KIEV").
fn in_capitals_run(tokens: &[Token], i: usize) -> bool {
    tokens[i].is_capitals()
        && ((i > 0 && tokens[i - 1].is_capitals())
            || tokens.get(i + 1).is_some_and(Token::is_capitals))
}

// ---------------------------------------------------------------------------
// Stage 1: counting.

/// A counting sketch of lower-case words per language: a fixed table of
/// counters, two per word in one cache line, read as the smaller of the
/// two. Collisions can only raise a count, which only makes a group look
/// more like a common word (safe). Adding is commutative, so the counts do
/// not depend on the threads.
pub struct WordSketch {
    cells: Vec<AtomicU32>,
}

/// 2^21 counters (8 MiB): a corpus of millions of distinct words still
/// leaves most pairs of counters free of the frequent words.
const SKETCH_CELLS: usize = 1 << 21;
/// Counters per block: one 64-byte cache line.
const SKETCH_BLOCK: usize = 16;

impl Default for WordSketch {
    fn default() -> WordSketch {
        WordSketch::new()
    }
}

impl WordSketch {
    pub fn new() -> WordSketch {
        WordSketch {
            cells: (0..SKETCH_CELLS).map(|_| AtomicU32::new(0)).collect(),
        }
    }

    /// The hash seed of a language.
    pub fn seed(lang: &str) -> u64 {
        xxh3_64(lang.as_bytes())
    }

    #[inline]
    fn slots(seed: u64, key: &str) -> (usize, usize) {
        let h = xxh3_64_with_seed(key.as_bytes(), seed);
        let block = ((h >> 32) as usize % (SKETCH_CELLS / SKETCH_BLOCK)) * SKETCH_BLOCK;
        let a = (h & 15) as usize;
        let mut b = ((h >> 4) & 15) as usize;
        if b == a {
            b ^= 1;
        }
        (block + a, block + b)
    }

    /// Count one lower-case word (by its match key) of language `seed`.
    #[inline]
    pub fn add(&self, seed: u64, key: &str) {
        let (a, b) = Self::slots(seed, key);
        self.cells[a].fetch_add(1, Ordering::Relaxed);
        self.cells[b].fetch_add(1, Ordering::Relaxed);
    }

    /// Count many words at once, by their [`slots`](Self::slots): the same
    /// counts as [`add`](Self::add) on each.
    ///
    /// Why: the table is far larger than the processor's caches, so each
    /// word's block is a cache miss, and an atomic add waits for its miss
    /// before the next add may start. Plain loads of every block first let
    /// the misses overlap; the adds then find their blocks in cache.
    fn add_slots(&self, slots: &[(usize, usize)]) {
        let mut touched = 0u32;
        for &(a, _) in slots {
            touched = touched.wrapping_add(self.cells[a].load(Ordering::Relaxed));
        }
        std::hint::black_box(touched);
        for &(a, b) in slots {
            self.cells[a].fetch_add(1, Ordering::Relaxed);
            self.cells[b].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// How often a lower-case word with match key `key` was seen (never
    /// less than the truth).
    pub fn count(&self, seed: u64, key: &str) -> u32 {
        let (a, b) = Self::slots(seed, key);
        self.cells[a]
            .load(Ordering::Relaxed)
            .min(self.cells[b].load(Ordering::Relaxed))
    }
}

/// Mentions and documents of one spelling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpellingCount {
    pub mentions: u64,
    pub documents: u64,
}

/// The spellings of one language and their counts. Hashed with foldhash
/// (fixed seed): each document looks up every name it holds, and the keys
/// are the corpus's own words in a local run, so the hash needs no defence
/// against chosen collisions. Nothing depends on the order of the map:
/// learning sorts what it reads from it.
type SpellingMap = HashMap<String, SpellingCount, foldhash::fast::FixedState>;

/// Spellings of capitalised words, per language.
#[derive(Debug, Clone, Default)]
pub struct NameCounts {
    langs: HashMap<String, SpellingMap>,
}

/// Buffers reused from one document to the next.
#[derive(Debug, Default)]
pub struct CountScratch {
    tokens: Vec<Token>,
    names: Vec<Range<usize>>,
    key: String,
    /// Sketch slots of the document's lower-case words.
    slots: Vec<(usize, usize)>,
}

impl NameCounts {
    /// Count the spellings of one document's text (stage 1).
    pub fn add_document(
        &mut self,
        text: &str,
        lang: &str,
        sketch: &WordSketch,
        scratch: &mut CountScratch,
    ) {
        tokenize(text, &mut scratch.tokens);
        let seed = WordSketch::seed(lang);
        scratch.names.clear();
        scratch.slots.clear();
        for (i, t) in scratch.tokens.iter().enumerate() {
            if t.glued || t.letters < 2 {
                continue;
            }
            let word = &text[t.range()];
            if t.upper {
                // Long words in capitals are emphasis or a brand's styling
                // (DER STANDARD), not an acronym: never a spelling to learn.
                let styled = t.is_capitals() && t.letters > MAX_ACRONYM_LETTERS;
                if !t.initial
                    && !styled
                    && t.letters >= MIN_NAME_LETTERS
                    && !in_capitals_run(&scratch.tokens, i)
                {
                    scratch.names.push(t.range());
                }
            } else if t.lower {
                if word.is_ascii() {
                    scratch.slots.push(WordSketch::slots(seed, word));
                } else {
                    scratch.key.clear();
                    word.chars()
                        .for_each(|c| push_key_char(c, &mut scratch.key));
                    scratch.slots.push(WordSketch::slots(seed, &scratch.key));
                }
            }
        }
        sketch.add_slots(&scratch.slots);
        if scratch.names.is_empty() {
            return;
        }
        scratch
            .names
            .sort_unstable_by(|a, b| text[a.clone()].cmp(&text[b.clone()]));
        if !self.langs.contains_key(lang) {
            self.langs.insert(lang.to_owned(), SpellingMap::default());
        }
        let Some(map) = self.langs.get_mut(lang) else {
            return;
        };
        let mut i = 0;
        while i < scratch.names.len() {
            let word = &text[scratch.names[i].clone()];
            let mut n = 1;
            while scratch
                .names
                .get(i + n)
                .is_some_and(|r| &text[r.clone()] == word)
            {
                n += 1;
            }
            let count = match map.get_mut(word) {
                Some(c) => c,
                None => map.entry(word.to_owned()).or_default(),
            };
            count.mentions += n as u64;
            count.documents += 1;
            i += n;
        }
    }

    /// Add two counts (commutative and associative, so any merge order
    /// gives the same result).
    pub fn merge(mut self, other: NameCounts) -> NameCounts {
        if self.langs.is_empty() {
            return other;
        }
        for (lang, spellings) in other.langs {
            let map = self.langs.entry(lang).or_default();
            for (word, c) in spellings {
                let e = map.entry(word).or_default();
                e.mentions += c.mentions;
                e.documents += c.documents;
            }
        }
        self
    }

    /// The count of `spelling` in `lang`.
    pub fn get(&self, lang: &str, spelling: &str) -> SpellingCount {
        self.langs
            .get(lang)
            .and_then(|m| m.get(spelling))
            .copied()
            .unwrap_or_default()
    }

    /// Distinct spellings counted, over all languages.
    pub fn len(&self) -> usize {
        self.langs.values().map(HashMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

// ---------------------------------------------------------------------------
// Stage 2: learning.

/// A learned rewrite of one spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Learned {
    canonical: String,
    rule: Rule,
    detail: String,
}

/// The learned spellings of one language, with an automaton that finds them
/// in text (faster than splitting every document into words).
#[derive(Debug)]
struct LangLearned {
    map: HashMap<String, Learned>,
    automaton: Option<AhoCorasick>,
}

impl LangLearned {
    fn new(map: HashMap<String, Learned>) -> LangLearned {
        let mut patterns: Vec<&str> = map.keys().map(String::as_str).collect();
        patterns.sort_unstable();
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        LangLearned { map, automaton }
    }
}

/// A fuzzy candidate: `variant` may be a misspelling of `canonical`.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub lang: String,
    pub variant: String,
    pub canonical: String,
    /// Mentions and documents of the variant's spellings.
    pub count: SpellingCount,
    pub canonical_mentions: u64,
    pub similarity: f64,
    /// Applied (only with the fuzzy `apply` setting and its guards).
    pub applied: bool,
}

/// All spellings of one match key in one language.
struct Group {
    /// The match key of the spellings (the language's own letters with
    /// diacritics folded too, unlike the key they were grouped by).
    fold: String,
    forms: Vec<(String, SpellingCount)>,
    /// The spelling the group is written in.
    target: String,
    total: SpellingCount,
    /// The lower-case form is common: an ordinary word.
    word: bool,
    /// The alias table knows a spelling of the group.
    alias: bool,
    /// The alias table chose the spelling (a spelling is one of its
    /// variants).
    by_alias: bool,
}

/// The name variants of a run: the alias matcher and what was learned from
/// the corpus, ready to apply to each document.
#[derive(Debug)]
pub struct VariantModel {
    aliases: AliasMatcher,
    learned: HashMap<String, LangLearned>,
    suggestions: Vec<Suggestion>,
    apply: bool,
}

impl VariantModel {
    /// Aliases only, nothing learned: what `dedup normalize` uses, having
    /// no corpus.
    pub fn aliases_only(aliases: AliasMatcher, apply: bool) -> VariantModel {
        VariantModel {
            aliases,
            learned: HashMap::new(),
            suggestions: Vec::new(),
            apply,
        }
    }

    /// Learn the corpus's variants (stage 2). See the module docs.
    pub fn learn(
        aliases: AliasMatcher,
        counts: NameCounts,
        sketch: &WordSketch,
        config: &VariantsConfig,
    ) -> VariantModel {
        let mut model = VariantModel::aliases_only(aliases, config.apply);
        if !config.learn {
            return model;
        }
        let mut langs: Vec<(String, SpellingMap)> = counts.langs.into_iter().collect();
        langs.sort_by(|a, b| a.0.cmp(&b.0));
        // Languages are learned independently, in parallel, and added in
        // the order of their codes.
        let per_lang: Vec<(String, HashMap<String, Learned>, Vec<Suggestion>)> = langs
            .into_par_iter()
            .map(|(lang, spellings)| {
                let (learned, suggestions) = model.learn_lang(&lang, spellings, sketch, config);
                (lang, learned, suggestions)
            })
            .collect();
        for (lang, learned, suggestions) in per_lang {
            model.suggestions.extend(suggestions);
            if !learned.is_empty() {
                model.learned.insert(lang, LangLearned::new(learned));
            }
        }
        model
    }

    /// What [`learn`](Self::learn) finds in one language: the spellings to
    /// rewrite, and the fuzzy suggestions.
    fn learn_lang(
        &self,
        lang: &str,
        spellings: SpellingMap,
        sketch: &WordSketch,
        config: &VariantsConfig,
    ) -> (HashMap<String, Learned>, Vec<Suggestion>) {
        let groups = self.groups(lang, spellings, sketch);
        let mut learned = HashMap::new();
        let table = self.aliases.for_lang(lang);
        for g in &groups {
            if g.word || g.forms.len() < 2 {
                continue;
            }
            for (form, _) in &g.forms {
                if *form == g.target || table.lookup(form).is_some() {
                    continue;
                }
                let (rule, detail) = relation(form, g, lang);
                learned.insert(
                    form.clone(),
                    Learned {
                        canonical: g.target.clone(),
                        rule,
                        detail,
                    },
                );
            }
        }
        let suggestions = self.suggest(lang, &groups, &config.fuzzy);
        for s in &suggestions {
            if !s.applied {
                continue;
            }
            let Some(g) = groups.iter().find(|g| g.target == s.variant) else {
                continue;
            };
            for (form, _) in &g.forms {
                learned.insert(
                    form.clone(),
                    Learned {
                        canonical: s.canonical.clone(),
                        rule: Rule::Suggested,
                        detail: format!("jaro-winkler {:.3}", s.similarity),
                    },
                );
            }
        }
        (learned, suggestions)
    }

    /// Group the spellings of `lang` by match key and choose each group's
    /// spelling.
    fn groups(&self, lang: &str, spellings: SpellingMap, sketch: &WordSketch) -> Vec<Group> {
        let table = self.aliases.for_lang(lang);
        let seed = WordSketch::seed(lang);
        // Keys and groups are computed in parallel (German alone counts
        // tens of thousands of capitalised spellings); the groups come out
        // in key order either way.
        let keyed: Vec<(String, String, SpellingCount)> = spellings
            .into_par_iter()
            .map(|(spelling, count)| (group_key(&spelling, lang), spelling, count))
            .collect();
        let mut by_key: BTreeMap<String, Vec<(String, SpellingCount)>> = BTreeMap::new();
        for (key, spelling, count) in keyed {
            by_key.entry(key).or_default().push((spelling, count));
        }
        let by_key: Vec<Vec<(String, SpellingCount)>> = by_key.into_values().collect();
        by_key
            .into_par_iter()
            .map(|mut forms| {
                forms.sort_by(|a, b| a.0.cmp(&b.0));
                let total =
                    forms
                        .iter()
                        .fold(SpellingCount::default(), |t, (_, c)| SpellingCount {
                            mentions: t.mentions + c.mentions,
                            documents: t.documents + c.documents,
                        });
                let std_key = match_key(&forms[0].0);
                let lower = u64::from(sketch.count(seed, &std_key));
                // An ordinary word, or spellings the user keeps as they are.
                let word = lower as f64 >= LOWERCASE_SHARE * total.mentions as f64
                    || table.is_pinned(&std_key);
                // The alias table decides a group it has a variant of. A
                // group holding only a canonical takes the corpus's capitals
                // when they differ in case alone (de "Nato" where the table
                // writes NATO: the tables leave capitals to this rule), but
                // never the corpus's diacritics over the table's.
                let known = table.has_key(&std_key);
                let variant_target = forms
                    .iter()
                    .filter(|_| known)
                    .find_map(|(s, _)| table.lookup(s).map(|r| r.canonical.clone()));
                let canonical = forms
                    .iter()
                    .filter(|_| known)
                    .find_map(|(s, _)| table.canonical(s).map(str::to_owned));
                let alias = variant_target.is_some() || canonical.is_some();
                let by_alias = variant_target.is_some();
                let majority = dominant(&forms).to_owned();
                let target = match (variant_target, canonical) {
                    (Some(t), _) => t,
                    (None, Some(c)) if c.to_lowercase() == majority.to_lowercase() => majority,
                    (None, Some(c)) => c,
                    (None, None) => majority,
                };
                Group {
                    fold: std_key,
                    forms,
                    target,
                    total,
                    word,
                    alias,
                    by_alias,
                }
            })
            .collect()
    }

    /// Fuzzy candidates among the groups of one language.
    fn suggest(&self, lang: &str, groups: &[Group], config: &FuzzyConfig) -> Vec<Suggestion> {
        // German capitalises every noun, so a capitalised word is no sign of
        // a name, and near spellings of nouns are other nouns. On 10kGNAD
        // (1,028 articles) the German suggestions were 650 rows, led by
        // Gründen/Grünen, Service/Serie, Schnitt/Schritt, Studien/Stunden,
        // Schulden/Schulen: a list no reviewer can use. None are made.
        if matches!(lang, "de" | "lb") {
            return Vec::new();
        }
        // Every name may be a variant (a typo is usually seen once); only
        // names seen `min_mentions` times may be canonicals.
        let mut names: Vec<&Group> = groups
            .iter()
            .filter(|g| !g.word && g.fold.chars().count() >= config.min_chars)
            .collect();
        names.sort_by(|a, b| {
            b.total
                .mentions
                .cmp(&a.total.mentions)
                .then(a.fold.cmp(&b.fold))
        });
        names.truncate(config.max_variants);
        // Jaro-Winkler weighs the first letters most; names whose keys start
        // differently are not compared.
        // Within a block, names sorted by length, so only the lengths within
        // `max_edits` are looked at.
        let mut blocks: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for (i, g) in names
            .iter()
            .enumerate()
            .take(config.max_names)
            .take_while(|(_, g)| g.total.mentions >= config.min_mentions)
        {
            blocks
                .entry(g.fold.chars().take(2).collect())
                .or_default()
                .push((g.fold.chars().count(), i));
        }
        for block in blocks.values_mut() {
            block.sort_unstable();
        }
        // Which characters each name has, as 64 hashed bits: one edit
        // changes at most two bits, so names more than `max_edits` apart
        // are dismissed before Jaro-Winkler.
        let letters: Vec<u64> = names
            .iter()
            .map(|g| g.fold.chars().fold(0u64, |m, c| m | 1 << (c as u32 % 64)))
            .collect();
        let inflect = inflects_names(lang);
        // Each name looks for its canonical alone: in parallel, in order.
        let mut out: Vec<Suggestion> = names
            .par_iter()
            .enumerate()
            .filter_map(|(i, v)| {
                // A canonical name is nobody's variant: Austria is not a
                // misspelling of Australia. Names the alias table knows are its
                // business.
                if v.alias || self.aliases.is_any_canonical_key(&v.fold) {
                    return None;
                }
                let block = blocks.get(&v.fold.chars().take(2).collect::<String>())?;
                let mut best: Option<(f64, usize, usize)> = None;
                let len = v.fold.chars().count();
                let from = block.partition_point(|&(l, _)| l + config.max_edits < len);
                for &(l, j) in &block[from..] {
                    if l > len + config.max_edits {
                        break;
                    }
                    let c = names[j];
                    // The canonical is the more mentioned name (earlier in
                    // `names`).
                    if j >= i
                        || c.total.mentions <= v.total.mentions
                        || (letters[i] ^ letters[j]).count_ones() as usize > 2 * config.max_edits
                    {
                        continue;
                    }
                    // A name plus an ending is a word form (Putin/Putina,
                    // Trump/Trumps), not a spelling; so is a changed ending in
                    // a language that inflects names.
                    if c.fold.starts_with(&v.fold)
                        || v.fold.starts_with(&c.fold)
                        || (inflect && differ_in_ending(&v.fold, &c.fold))
                    {
                        continue;
                    }
                    // A suggestion is a rare spelling beside a common one; two
                    // common spellings are more likely two names.
                    if (c.total.mentions as f64) < config.min_ratio * v.total.mentions as f64 {
                        continue;
                    }
                    let sim = strsim::jaro_winkler(&v.fold, &c.fold);
                    if sim < config.min_similarity {
                        continue;
                    }
                    let edits = strsim::osa_distance(&v.fold, &c.fold);
                    if edits > config.max_edits {
                        continue;
                    }
                    if best.is_none_or(|(s, _, _)| sim > s) {
                        best = Some((sim, j, edits));
                    }
                }
                best.map(|(similarity, j, edits)| {
                    let c = names[j];
                    let applied = config.apply
                        && edits <= config.apply_max_edits
                        && similarity >= config.apply_similarity
                        && c.total.mentions as f64 >= config.apply_ratio * v.total.mentions as f64;
                    Suggestion {
                        lang: lang.to_owned(),
                        variant: v.target.clone(),
                        canonical: c.target.clone(),
                        count: v.total,
                        canonical_mentions: c.total.mentions,
                        similarity,
                        applied,
                    }
                })
            })
            .collect();
        out.sort_by(|a, b| a.variant.cmp(&b.variant));
        out
    }

    /// The fuzzy candidates found in stage 2.
    pub fn suggestions(&self) -> &[Suggestion] {
        &self.suggestions
    }

    /// Spellings learned for `lang`, sorted: (variant, canonical, rule).
    pub fn learned(&self, lang: &str) -> Vec<(&str, &str, Rule)> {
        let mut v: Vec<_> = self
            .learned
            .get(lang)
            .map(|m| {
                m.map
                    .iter()
                    .map(|(k, l)| (k.as_str(), l.canonical.as_str(), l.rule))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// True when this model rewrites text (not `--keep-variants`).
    pub fn applies(&self) -> bool {
        self.apply
    }

    /// Unify the name variants of `text` in `lang` (stage 3). Every change
    /// is added to `applied`. Returns the new text, or `None` when nothing
    /// changes (or the model only reports).
    pub fn apply(
        &self,
        text: &str,
        lang: &str,
        scratch: &mut ApplyScratch,
        applied: &mut Vec<Applied>,
    ) -> Option<String> {
        let aliases = self.aliases.for_lang(lang);
        let learned = self.learned.get(lang);
        scratch.hits.clear();
        scratch.keyed_fresh = false;
        if !aliases.is_empty() {
            scratch.keyed.rebuild(text);
            scratch.keyed_fresh = true;
            aliases.find(text, &scratch.keyed, &mut scratch.hits);
        }
        scratch.edits.clear();
        for hit in &scratch.hits {
            if let Some((r, why)) = hit.kept {
                let row = aliases.row(r);
                applied.push(Applied {
                    variant: text[hit.range.clone()].to_owned(),
                    canonical: row.canonical.clone(),
                    rule: row.rule,
                    detail: why.to_owned(),
                    kept: true,
                });
            }
            if let Some((r, replacement)) = &hit.rewrite {
                let row = aliases.row(*r);
                // The corpus may have re-cased the canonical (see `groups`).
                let (canonical, replacement) =
                    match learned.and_then(|l| recased(&l.map, replacement)) {
                        Some(recased) => (
                            learned
                                .and_then(|l| l.map.get(&row.canonical))
                                .map_or_else(|| row.canonical.clone(), |l| l.canonical.clone()),
                            recased,
                        ),
                        None => (row.canonical.clone(), replacement.clone()),
                    };
                scratch.edits.push((hit.range.clone(), replacement));
                applied.push(Applied {
                    variant: text[hit.range.clone()].to_owned(),
                    canonical,
                    rule: row.rule,
                    detail: row.origin.clone(),
                    kept: false,
                });
            }
        }
        if let Some(automaton) = learned.and_then(|l| l.automaton.as_ref()) {
            let map = learned.map(|l| &l.map);
            let hits: &[Hit] = &scratch.hits;
            let mut h = 0;
            for m in automaton.find_iter(text) {
                let range = m.range();
                if !is_token_bounded(text, &range) || is_glued(text, &range) {
                    continue;
                }
                while h < hits.len() && hits[h].range.end <= range.start {
                    h += 1;
                }
                // Words inside a hit are the alias table's, except a word
                // that is a whole canonical the corpus re-cased.
                if hits.get(h).is_some_and(|hit| {
                    hit.range.start < range.end && (hit.rewrite.is_some() || hit.range != range)
                }) {
                    continue;
                }
                let word = &text[range.clone()];
                let Some(l) = map.and_then(|map| map.get(word)) else {
                    continue;
                };
                if is_capitals(word) && next_to_capitals(text, &range) {
                    continue;
                }
                scratch.edits.push((range, l.canonical.clone()));
                applied.push(Applied {
                    variant: word.to_owned(),
                    canonical: l.canonical.clone(),
                    rule: l.rule,
                    detail: l.detail.clone(),
                    kept: false,
                });
            }
        }
        if scratch.edits.is_empty() || !self.apply {
            return None;
        }
        scratch.edits.sort_by_key(|(r, _)| r.start);
        let mut out = String::with_capacity(text.len() + 16 * scratch.edits.len());
        let mut at = 0;
        for (range, replacement) in &scratch.edits {
            out.push_str(&text[at..range.start]);
            out.push_str(replacement);
            at = range.end;
        }
        out.push_str(&text[at..]);
        Some(out)
    }
}

/// `replacement` as the learned spellings write it, if they change it
/// (a trailing full stop kept by the alias step stays).
fn recased(learned: &HashMap<String, Learned>, replacement: &str) -> Option<String> {
    if let Some(l) = learned.get(replacement) {
        return Some(l.canonical.clone());
    }
    let stem = replacement.strip_suffix('.')?;
    learned.get(stem).map(|l| format!("{}.", l.canonical))
}

/// The letters with diacritics that belong to a language's own alphabet.
/// In a text of that language, two spellings that differ in one of them are
/// two words, not two spellings: German Mutter/Mütter (nouns are capitalised
/// there), Polish Fundacja/Fundacją (case endings), Czech, Hungarian,
/// Scandinavian and Romance pairs alike. A diacritic foreign to the language
/// (ğ in Erdoğan in an English or German text) marks a transliterated or
/// ASCII-fied name, which is what the diacritics rule unifies. Turkish,
/// Azerbaijani, Romanian, Greek and Cyrillic texts are not listed: there,
/// text that lost its diacritics (ASCII keyboards, ş/ș, unaccented capitals)
/// is common and the spellings are one name.
pub(crate) fn native_letters(lang: &str) -> &'static str {
    match lang {
        "de" | "lb" => "äöüß",
        "pl" => "ąćęłńóśźż",
        "cs" => "áčďéěíňóřšťúůýž",
        "sk" => "áäčďéíĺľňóôŕšťúýž",
        "hu" => "áéíóöőúüű",
        "sl" | "hr" | "bs" | "sr" => "čćđšž",
        "lt" => "ąčęėįšųūž",
        "lv" => "āčēģīķļņšūž",
        "et" => "äöõüšž",
        "fi" => "äöå",
        "sv" => "åäö",
        "da" | "nb" | "nn" | "no" => "æøå",
        "is" => "áðéíóúýþæö",
        "fr" => "àâæçéèêëîïôœùûüÿ",
        "es" => "áéíóúñü",
        "pt" => "áâãàçéêíóôõú",
        "it" => "àèéìíîòóùú",
        "ca" => "àçéèíïóòúü",
        "vi" => "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ",
        _ => "",
    }
}

/// The key spellings are grouped by: the match key, except that the
/// language's own letters with diacritics stay apart ([`native_letters`]).
///
/// German writes both sexes with a capital I inside the word (the
/// Binnen-I: ArbeitnehmerInnen, LehrerIn), and lowering it changes the
/// meaning: Arbeitnehmerinnen are women only. In `de` and `lb` such a
/// spelling is kept apart from the one without it.
fn group_key(spelling: &str, lang: &str) -> String {
    let mut key = native_key(spelling, lang);
    if matches!(lang, "de" | "lb") && has_binnen_i(spelling) {
        // Not a character any match key holds.
        key.push('\u{1}');
    }
    key
}

/// [`group_key`] without the Binnen-I mark.
fn native_key(spelling: &str, lang: &str) -> String {
    let native = native_letters(lang);
    let is_native = |c: char| c.to_lowercase().any(|l| native.contains(l));
    if native.is_empty() || !spelling.chars().any(is_native) {
        return match_key(spelling);
    }
    let mut key = String::with_capacity(spelling.len());
    for c in spelling.chars() {
        if is_native(c) {
            key.extend(c.to_lowercase());
        } else {
            push_key_char(c, &mut key);
        }
    }
    key
}

/// A word that ends in a Binnen-I form: a lower-case letter, then "Innen"
/// ("ArbeitnehmerInnen"), or "In" after a stem ending like the nouns for
/// persons ("LehrerIn", "AutorIn", "StudentIn", "JournalistIn",
/// "KandidatIn"). A bare "In" after any letter would also take brand names
/// (LinkedIn, which German text writes Linkedin too).
fn has_binnen_i(word: &str) -> bool {
    let lower_before = |stem: &str| stem.chars().next_back().is_some_and(char::is_lowercase);
    if word.strip_suffix("Innen").is_some_and(lower_before) {
        return true;
    }
    word.strip_suffix("In").is_some_and(|stem| {
        lower_before(stem)
            && ["er", "or", "ent", "ant", "ist", "at"]
                .iter()
                .any(|end| stem.ends_with(end))
    })
}

/// Languages whose capitalised words take case or number endings (German
/// nouns, Slavic, Baltic and Finno-Ugric names, Greek, Turkish...). There, two
/// names that differ only in their last two letters are word forms
/// (Kandidatin/Kandidaten, Putina/Putinem), not spellings of one name.
fn inflects_names(lang: &str) -> bool {
    matches!(
        lang,
        "de" | "lb"
            | "pl"
            | "cs"
            | "sk"
            | "sl"
            | "hr"
            | "bs"
            | "sr"
            | "ru"
            | "uk"
            | "be"
            | "bg"
            | "mk"
            | "lt"
            | "lv"
            | "et"
            | "fi"
            | "hu"
            | "el"
            | "tr"
            | "az"
            | "ro"
            | "is"
            | "ka"
            | "hy"
    )
}

/// The two keys differ only in their last two characters.
fn differ_in_ending(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    common + 2 >= a.chars().count().max(b.chars().count())
}

/// Letters with diacritics in `s`: those whose key differs from their lower
/// case. The Turkish capital İ is not one: its dot is the capital form of
/// i's, which has none (else "ŞİŞLİ" would outweigh "Şişli" on a tie).
fn marks(s: &str) -> usize {
    s.chars()
        .filter(|&c| !c.is_ascii() && c != 'İ')
        .filter(|&c| {
            let lower: String = c.to_lowercase().collect();
            match_key(&lower) != lower
        })
        .count()
}

/// A capital right after a lower-case letter ("ProSieben", "McCain",
/// "GmbH", "YouTube"): an inner capital is written on purpose, while its
/// absence ("Prosieben") is the usual slip or a style that flattens names.
/// The name must start with a capital: "eNcryption" is a slip, not a style.
fn inner_capital(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
        && s.chars()
            .zip(s.chars().skip(1))
            .any(|(a, b)| a.is_lowercase() && b.is_uppercase())
}

/// The dominant spelling: most mentions, then most diacritics, then a
/// spelling with an inner capital ([`inner_capital`]), then fewest
/// capitals, then the first in code-point order.
///
/// Why the inner capital: read on 10kGNAD and MasakhaNEWS en, where it
/// decides 9 ties. 8 go to the name's own spelling (LuxLeaks, VentureBeat,
/// WebKit, PLoS, PowerPoint, MasterCard, ...), which "fewest capitals" had
/// flattened, and 1 to a slip ("GuildFord" for the town of Guildford).
fn dominant(forms: &[(String, SpellingCount)]) -> &str {
    let score = |s: &str, c: &SpellingCount| {
        (
            c.mentions,
            marks(s),
            inner_capital(s),
            std::cmp::Reverse(s.chars().filter(|c| c.is_uppercase()).count()),
        )
    };
    let mut best = &forms[0];
    for f in &forms[1..] {
        // `forms` is sorted, so on a full tie the first stays.
        if score(&f.0, &f.1) > score(&best.0, &best.1) {
            best = f;
        }
    }
    &best.0
}

/// How `form` relates to its group's spelling, for the report.
fn relation(form: &str, group: &Group, _lang: &str) -> (Rule, String) {
    let lower = |s: &str| s.to_lowercase();
    let same_case_fold = group.forms.iter().any(|(other, _)| {
        *other != form && lower(other) == lower(form) && (other == &group.target || group.alias)
    });
    let rule = if lower(form) == lower(&group.target) || same_case_fold {
        Rule::Case
    } else {
        Rule::Diacritics
    };
    let target_mentions = group
        .forms
        .iter()
        .find(|(s, _)| *s == group.target)
        .map_or(0, |(_, c)| c.mentions);
    let detail = if group.by_alias {
        format!("spelling of an alias-table variant of {}", group.target)
    } else {
        format!(
            "{} of {} mentions written {}",
            target_mentions, group.total.mentions, group.target
        )
    };
    (rule, detail)
}

// ---------------------------------------------------------------------------
// Stage 3: applying, and the report.

/// Buffers reused from one document to the next.
#[derive(Debug, Default)]
pub struct ApplyScratch {
    keyed: Keyed,
    /// True when `keyed` holds the key of the text last given to
    /// [`VariantModel::apply`].
    keyed_fresh: bool,
    hits: Vec<Hit>,
    edits: Vec<(Range<usize>, String)>,
}

impl ApplyScratch {
    /// If the last [`VariantModel::apply`] built the key of its text (it
    /// does when the language has alias rows), swap that key into `key` and
    /// return true. The key is built from the text as it is, without
    /// composing it to NFC first (see [`Keyed::new`]).
    pub(crate) fn take_key(&mut self, key: &mut String) -> bool {
        if !std::mem::take(&mut self.keyed_fresh) {
            return false;
        }
        std::mem::swap(&mut self.keyed.key, key);
        true
    }
}

/// One rewrite in one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The span as it was written.
    pub variant: String,
    pub canonical: String,
    pub rule: Rule,
    /// Where the rule comes from: an alias row (`countries.csv:17`), the
    /// counts behind a learned spelling, a similarity; for a kept variant,
    /// why it was kept.
    pub detail: String,
    /// Found but kept as it is by a guard (a number or URL next to it, an
    /// ambiguous full stop): listed in the report with `applied=false`.
    pub kept: bool,
}

/// One row of `variants.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantRow {
    pub variant: String,
    pub canonical: String,
    /// Mentions rewritten (for `suggested` rows not applied: mentions of
    /// the variant in the corpus).
    pub count: u64,
    pub rule: Rule,
    pub lang: String,
    pub applied: bool,
    pub documents: u64,
    pub detail: String,
}

/// What the variants step did over the corpus, merged from per-document
/// counts (by addition, so any order gives the same report).
#[derive(Debug, Clone, Default)]
pub struct VariantReport {
    rows: BTreeMap<ReportKey, ReportCount>,
}

/// Language, variant, canonical, rule, kept.
type ReportKey = (String, String, String, Rule, bool);
/// Mentions, documents, detail.
type ReportCount = (u64, u64, String);

impl VariantReport {
    /// Add one document's rewrites.
    pub fn add_document(&mut self, lang: &str, applied: &[Applied]) {
        let mut seen: Vec<(&str, &str, Rule, bool)> = Vec::new();
        for a in applied {
            let key = (
                lang.to_owned(),
                a.variant.clone(),
                a.canonical.clone(),
                a.rule,
                a.kept,
            );
            let e = self.rows.entry(key).or_insert((0, 0, a.detail.clone()));
            e.0 += 1;
            if e.2 > a.detail {
                e.2 = a.detail.clone();
            }
            let id = (a.variant.as_str(), a.canonical.as_str(), a.rule, a.kept);
            if !seen.contains(&id) {
                seen.push(id);
                e.1 += 1;
            }
        }
    }

    pub fn merge(mut self, other: VariantReport) -> VariantReport {
        if self.rows.is_empty() {
            return other;
        }
        for (k, (n, d, detail)) in other.rows {
            let e = self.rows.entry(k).or_insert((0, 0, detail.clone()));
            e.0 += n;
            e.1 += d;
            if e.2 > detail {
                e.2 = detail;
            }
        }
        self
    }

    /// Rewrites counted, per rule (variants kept by a guard not counted).
    pub fn by_rule(&self) -> BTreeMap<&'static str, u64> {
        let mut m = BTreeMap::new();
        for ((_, _, _, rule, kept), (n, _, _)) in &self.rows {
            if !kept {
                *m.entry(rule.as_str()).or_default() += n;
            }
        }
        m
    }

    /// Variants found and kept as they are by a guard.
    pub fn kept(&self) -> u64 {
        self.rows
            .iter()
            .filter(|((.., kept), _)| *kept)
            .map(|(_, (n, _, _))| n)
            .sum()
    }

    /// The rows of `variants.csv`: what was rewritten (`applied` says
    /// whether the text was changed), then the fuzzy suggestions not
    /// applied. Sorted by language, then most mentions first.
    pub fn rows(&self, applied: bool, suggestions: &[Suggestion]) -> Vec<VariantRow> {
        let mut rows: Vec<VariantRow> = self
            .rows
            .iter()
            .map(
                |((lang, variant, canonical, rule, kept), (n, d, detail))| VariantRow {
                    variant: variant.clone(),
                    canonical: canonical.clone(),
                    count: *n,
                    rule: *rule,
                    lang: lang.clone(),
                    applied: applied && !kept,
                    documents: *d,
                    detail: detail.clone(),
                },
            )
            .collect();
        rows.extend(
            suggestions
                .iter()
                .filter(|s| !s.applied)
                .map(|s| VariantRow {
                    variant: s.variant.clone(),
                    canonical: s.canonical.clone(),
                    count: s.count.mentions,
                    rule: Rule::Suggested,
                    lang: s.lang.clone(),
                    applied: false,
                    documents: s.count.documents,
                    detail: format!(
                        "jaro-winkler {:.3}; {} mentions of {}",
                        s.similarity, s.canonical_mentions, s.canonical
                    ),
                }),
        );
        rows.sort_by(|a, b| {
            a.lang
                .cmp(&b.lang)
                .then(b.count.cmp(&a.count))
                .then(a.variant.cmp(&b.variant))
                .then(a.canonical.cmp(&b.canonical))
                .then(a.rule.cmp(&b.rule))
        });
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Normalizer;
    use crate::normalize::aliases::AliasTable;

    /// [`tokenize`] one character at a time, before the ASCII rest of a
    /// word was taken in one go: the reference it is tested against.
    fn tokenize_per_char(text: &str, tokens: &mut Vec<Token>) {
        tokens.clear();
        let mut sentence_start = true;
        // The two characters before the current one.
        let (mut p1, mut p2): (Option<char>, Option<char>) = (None, None);
        let mut current: Option<Token> = None;
        for (offset, c) in text.char_indices() {
            let bits = class(c);
            if bits & (chars::WORD | chars::UNSPACED) == chars::WORD {
                let t = current.get_or_insert_with(|| Token {
                    start: offset as u32,
                    end: offset as u32,
                    initial: sentence_start,
                    glued: glued_before(p1, p2, c),
                    upper: false,
                    lower: false,
                    letters: 0,
                });
                t.end = (offset + c.len_utf8()) as u32;
                if bits & chars::ALPHA != 0 {
                    t.letters = t.letters.saturating_add(1);
                    t.upper |= bits & chars::UPPER != 0;
                    t.lower |= bits & chars::LOWER != 0;
                }
            } else {
                if let Some(mut t) = current.take() {
                    let mut after = text[t.end as usize..].chars();
                    let (n1, n2) = (after.next(), after.next());
                    t.glued |= glued_after(n1, n2);
                    tokens.push(t);
                    sentence_start = false;
                }
                let stop = match c {
                    // A full stop ends a sentence when a space follows, not
                    // inside "www.kiev.example" or "3.5".
                    '.' => text[offset + 1..]
                        .chars()
                        .next()
                        .is_none_or(|n| n.is_whitespace() || !n.is_alphanumeric()),
                    c => ends_sentence(c),
                };
                if stop || opens_quote(c) || (c == '"' && p1.is_none_or(char::is_whitespace)) {
                    sentence_start = true;
                } else if bits & (chars::WORD | chars::UNSPACED) == chars::WORD | chars::UNSPACED {
                    sentence_start = false;
                }
            }
            p2 = p1;
            p1 = Some(c);
        }
        if let Some(t) = current {
            tokens.push(t);
        }
    }

    #[test]
    fn ascii_runs_tokenize_as_the_reference() {
        // (what, text): words of ASCII letters and digits next to every
        // kind of character the loop looks at.
        let cases = [
            ("empty", ""),
            (
                "english",
                "The Council met in Ankara. NATO said: \"COP29 is on\".",
            ),
            ("one letter words", "a I x9 7 Q."),
            (
                "glued",
                "www.kiev.example @Nato user_name path/To/File a@b.org",
            ),
            ("capitals run", "BREAKING NEWS FROM KIEV today"),
            (
                "turkish",
                "Erdo\u{11F}an T\u{FC}rkiye'de \u{130}stanbul KIZILAY",
            ),
            ("mixed script", "\u{422}urkey Moskv\u{430} N\u{391}TO"),
            ("marks", "cafe\u{301} Erdog\u{306}an"),
            ("han", "\u{5317}\u{4EAC}COP29\u{4F1A}\u{8BAE} Beijing"),
            (
                "arabic",
                "\u{642}\u{627}\u{644} Erdogan \u{627}\u{644}\u{64A}\u{648}\u{645}",
            ),
            ("quotes", "\u{201C}Kyiv\u{201D} \u{AB}Kiev\u{BB} 'Kiew'"),
            ("figures", "3.5 percent, 2024-11-25 and 40,000 people"),
            ("long word", &"Ab".repeat(40_000)),
        ];
        for (what, text) in cases {
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            tokenize(text, &mut fast);
            tokenize_per_char(text, &mut slow);
            assert_eq!(fast, slow, "{what}: {text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_runs_tokenize_as_the_reference_on_any_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "B", "z", "Q", "0", "7", " ", ".", ". ", ",", "!", ":", "\"", "'", "/",
                    "@", "_", "-", "\n", "\u{201C}", "\u{AB}", "\u{11F}", "\u{130}", "\u{436}",
                    "\u{416}", "\u{391}", "\u{301}", "\u{5317}", "\u{3042}", "\u{627}",
                ]),
                0..40,
            )
        ) {
            let text: String = parts.concat();
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            tokenize(&text, &mut fast);
            tokenize_per_char(&text, &mut slow);
            proptest::prop_assert_eq!(fast, slow, "{:?}", text);
        }
    }

    fn aliases() -> AliasMatcher {
        AliasMatcher::new(AliasTable::builtin().unwrap(), Normalizer::default())
    }

    #[test]
    fn key_built_on_the_way_is_the_match_key() {
        // (lang, text): texts the alias tables leave alone (and one they
        // change); when apply leaves a text as it is, the key it built is
        // the text's match key, handed over once.
        let cases = [
            ("en", "The council met on Monday in Ankara, said the mayor."),
            ("tr", "Belediye meclisi İstanbul'da toplandı; KIZILAY ılık."),
            ("de", "Straße GROẞ, sagte der Bürgermeister."),
            ("ru", "Совет собрался в понедельник в Москве."),
            ("zh", "市议会周一开会，市长表示满意。"),
            ("ar", "وافق المجلس البلدي على الميزانية الجديدة."),
            ("en", "Тurkey and Erdogan met in Kiev."),
        ];
        let model = VariantModel::aliases_only(aliases(), true);
        let mut scratch = ApplyScratch::default();
        let mut key = String::new();
        for (lang, text) in cases {
            let mut applied = Vec::new();
            let out = model.apply(text, lang, &mut scratch, &mut applied);
            if out.is_some() {
                continue;
            }
            assert!(scratch.take_key(&mut key), "{lang}: no key built");
            assert_eq!(key, match_key(text), "{lang}: {text}");
            assert!(!scratch.take_key(&mut key), "{lang}: handed over twice");
        }
    }

    /// For each (language, corpus, text, expected): learn from the corpus
    /// and check what applying the model to the text gives.
    fn assert_learned_rewrites(cases: &[(&str, &[&str], &str, &str)]) {
        for &(lang, corpus, text, want) in cases {
            let model = learn(lang, corpus, FuzzyConfig::default());
            assert_eq!(
                apply(&model, lang, text),
                want,
                "{lang}: {text}\n{:?}",
                model.learned(lang)
            );
        }
    }

    /// Count `docs` of one language, learn, and return the model.
    fn learn(lang: &str, docs: &[&str], fuzzy: FuzzyConfig) -> VariantModel {
        let sketch = WordSketch::new();
        let mut counts = NameCounts::default();
        let mut scratch = CountScratch::default();
        for d in docs {
            counts.add_document(d, lang, &sketch, &mut scratch);
        }
        let config = VariantsConfig {
            fuzzy,
            ..VariantsConfig::default()
        };
        VariantModel::learn(aliases(), counts, &sketch, &config)
    }

    fn apply(model: &VariantModel, lang: &str, text: &str) -> String {
        let mut applied = Vec::new();
        model
            .apply(text, lang, &mut ApplyScratch::default(), &mut applied)
            .unwrap_or_else(|| text.to_owned())
    }

    #[test]
    fn tokens_know_sentence_starts_and_glue() {
        let text = "The NATO summit. Nato said: «Kyiv» www.kiev.example and @Nato, x.Kiev 中国Nato";
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let got: Vec<(&str, bool, bool)> = tokens
            .iter()
            .map(|t| (&text[t.range()], t.initial, t.glued))
            .collect();
        let want = [
            ("The", true, false),
            ("NATO", false, false),
            ("summit", false, false),
            ("Nato", true, false),
            ("said", false, false),
            ("Kyiv", true, false),
            ("www", false, true),
            ("kiev", false, true),
            ("example", false, true),
            ("and", false, false),
            ("Nato", false, true),
            ("x", false, false),
            ("Kiev", false, false),
            ("Nato", false, false),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn learns_case_and_diacritic_spellings_per_language() {
        // (lang, corpus, text to apply to, expected)
        let cases: &[(&str, &[&str], &str, &str)] = &[
            (
                "en",
                &[
                    "The summit of NATO opened.",
                    "Leaders of NATO met.",
                    "A Nato spokesman said.",
                ],
                "A Nato spokesman and the NATO chief.",
                "A NATO spokesman and the NATO chief.",
            ),
            (
                "de",
                &[
                    "Die Nato tagt.",
                    "Der Nato-Gipfel beginnt.",
                    "Die NATO sagt nichts.",
                ],
                "Die NATO und die Nato.",
                "Die Nato und die Nato.",
            ),
            (
                "de",
                &["Die Mutter kam.", "Zwei Mütter kamen.", "Die Mutter ging."],
                "Zwei Mütter kamen.",
                "Zwei Mütter kamen.",
            ),
            (
                "tr",
                &["Bugün Kılıçdaroğlu konuştu.", "Dün Kilicdaroglu geldi."],
                "Dün Kilicdaroglu geldi.",
                "Dün Kılıçdaroğlu geldi.",
            ),
            (
                "fr",
                &["Le président Macron et la NATO.", "Selon la Nato hier."],
                "Selon la Nato hier.",
                "Selon la OTAN hier.",
            ),
            (
                "es",
                &["la dana llegó", "la DANA llegó", "otra dana", "la dana"],
                "la DANA llegó",
                "la DANA llegó",
            ),
            (
                "en",
                &["Covid cases rose.", "More Covid cases.", "New COVID rules."],
                "BREAKING COVID NEWS and new COVID rules.",
                "BREAKING COVID NEWS and new Covid rules.",
            ),
            (
                "ru",
                &["Глава НАТО и Нато.", "Саммит НАТО."],
                "Саммит Нато.",
                "Саммит НАТО.",
            ),
            (
                "el",
                &[
                    "Ο πρωθυπουργός Μητσοτάκης είπε.",
                    "Ο πρωθυπουργός Μητσοτακης είπε.",
                    "Ο κ. Μητσοτάκης",
                ],
                "Ο πρωθυπουργός Μητσοτακης είπε.",
                "Ο πρωθυπουργός Μητσοτάκης είπε.",
            ),
        ];
        assert_learned_rewrites(cases);
        for &(lang, corpus, _, want) in cases {
            let model = learn(lang, corpus, FuzzyConfig::default());
            assert_eq!(apply(&model, lang, want), want, "{lang} again: {want}");
        }
    }

    #[test]
    fn german_binnen_i_is_not_a_case_variant() {
        // (lang, corpus, text to apply to, expected)
        let cases: &[(&str, &[&str], &str, &str)] = &[
            (
                "de",
                &[
                    "Alle ArbeitnehmerInnen streiken.",
                    "Die Arbeitnehmerinnen der Fabrik streiken.",
                    "Viele Arbeitnehmerinnen kamen.",
                ],
                "Alle ArbeitnehmerInnen streiken.",
                "Alle ArbeitnehmerInnen streiken.",
            ),
            (
                "de",
                &[
                    "Jede LehrerIn weiß es.",
                    "Die Lehrerin sagt es.",
                    "Eine Lehrerin kam.",
                ],
                "Jede LehrerIn weiß es.",
                "Jede LehrerIn weiß es.",
            ),
            (
                "lb",
                &[
                    "All d'SchülerInnen kommen.",
                    "D'Schülerinnen kommen.",
                    "Vill Schülerinnen.",
                ],
                "All d'SchülerInnen kommen.",
                "All d'SchülerInnen kommen.",
            ),
            // Other inner capitals are still case variants in German, and
            // other languages have no Binnen-I.
            (
                "de",
                &[
                    "Auf LinkedIn gepostet.",
                    "Mehr auf LinkedIn lesen.",
                    "Bei Linkedin aktiv.",
                ],
                "Bei Linkedin aktiv.",
                "Bei LinkedIn aktiv.",
            ),
            (
                "de",
                &[
                    "Auf Youtube gesehen.",
                    "Bei Youtube online.",
                    "Das YouTube-Video.",
                ],
                "Auf YouTube gesehen.",
                "Auf Youtube gesehen.",
            ),
            (
                "en",
                &[
                    "Posted on LinkedIn today.",
                    "More on LinkedIn now.",
                    "Saw Linkedin posts.",
                ],
                "Saw Linkedin posts.",
                "Saw LinkedIn posts.",
            ),
        ];
        assert_learned_rewrites(cases);
    }

    #[test]
    fn a_tie_goes_to_the_diacritic_spelling() {
        let model = learn(
            "en",
            &["said Erdogan.", "said Erdoğan."],
            FuzzyConfig::default(),
        );
        // Erdogan is also an alias row; a name the table does not know:
        let model2 = learn(
            "en",
            &["said Kılıç today.", "said Kilic today."],
            FuzzyConfig::default(),
        );
        assert_eq!(apply(&model, "en", "said Erdogan"), "said Erdoğan");
        assert_eq!(apply(&model2, "en", "said Kilic"), "said Kılıç");
        assert_eq!(
            model2.learned("en"),
            vec![("Kilic", "Kılıç", Rule::Diacritics)]
        );
    }

    #[test]
    fn turkish_capital_i_is_no_diacritic_on_a_tie() {
        // (lang, corpus, text to apply to, expected)
        let cases: &[(&str, &[&str], &str, &str)] = &[
            (
                "tr",
                &["Dün ŞİŞLİ yolu kapandı.", "Bugün Şişli yolu açıldı."],
                "Dün ŞİŞLİ yolu kapandı.",
                "Dün Şişli yolu kapandı.",
            ),
            (
                "tr",
                &["Vali KİLİS için konuştu.", "Vali Kilis için geldi."],
                "Vali KİLİS için konuştu.",
                "Vali Kilis için konuştu.",
            ),
            // A real diacritic still wins the tie.
            (
                "en",
                &["said Kılıç today.", "said Kilic today."],
                "said Kilic today.",
                "said Kılıç today.",
            ),
        ];
        assert_learned_rewrites(cases);
    }

    #[test]
    fn a_tie_goes_to_the_inner_capital() {
        // (lang, corpus, text to apply to, expected)
        let cases: &[(&str, &[&str], &str, &str)] = &[
            (
                "de",
                &["Der Sender ProSieben zeigt.", "Der Sender Prosieben zeigt."],
                "Der Sender Prosieben zeigt.",
                "Der Sender ProSieben zeigt.",
            ),
            (
                "en",
                &["said Senator McCain today.", "said Senator Mccain today."],
                "said Senator Mccain today.",
                "said Senator McCain today.",
            ),
            (
                "fr",
                &[
                    "selon la société YouTube hier.",
                    "selon la société Youtube hier.",
                ],
                "selon la société Youtube hier.",
                "selon la société YouTube hier.",
            ),
            // A lower-case start is a slip, not a style.
            (
                "en",
                &["the Zorvax encryption.", "the zOrvax encryption."],
                "the zOrvax encryption.",
                "the Zorvax encryption.",
            ),
            // Without an inner capital, fewer capitals still win the tie.
            (
                "en",
                &["said the Zorvax group.", "said the ZORVAX group."],
                "said the ZORVAX group.",
                "said the Zorvax group.",
            ),
            // A majority still wins over an inner capital.
            (
                "en",
                &[
                    "said Senator Mccain today.",
                    "and Senator Mccain later.",
                    "said Senator McCain today.",
                ],
                "said Senator McCain today.",
                "said Senator Mccain today.",
            ),
        ];
        assert_learned_rewrites(cases);
    }

    #[test]
    fn common_words_are_not_names() {
        let mut corpus = vec![
            "She asked who came.",
            "Fans of Doctor Who cheered.",
            "Experts from the WHO said.",
        ];
        corpus.extend(["And we know who did it."; 5]);
        let model = learn("en", &corpus, FuzzyConfig::default());
        assert_eq!(
            apply(&model, "en", "Doctor Who returns"),
            "Doctor Who returns"
        );
        assert!(model.learned("en").is_empty(), "{:?}", model.learned("en"));
    }

    #[test]
    fn the_user_keeps_a_spelling_with_a_row_to_itself() {
        use crate::normalize::aliases::parse_user;
        let user = parse_user(b"Caf,Caf,fr\nKiev,Kiev,fr\n", "keep.csv").unwrap();
        let table = AliasTable::builtin().unwrap().with_user(user);
        let aliases = AliasMatcher::new(table, Normalizer::default());
        let sketch = WordSketch::new();
        let mut counts = NameCounts::default();
        for d in [
            "Selon la CAF hier.",
            "Selon la CAF hier.",
            "Selon la Caf hier.",
            "A Kyiv et Kiev.",
        ] {
            counts.add_document(d, "fr", &sketch, &mut CountScratch::default());
        }
        let model = VariantModel::learn(aliases, counts, &sketch, &VariantsConfig::default());
        assert_eq!(apply(&model, "fr", "la Caf et Kiev"), "la Caf et Kiev");
        assert_eq!(apply(&model, "fr", "la NATO"), "la OTAN");
    }

    #[test]
    fn word_forms_are_not_suggested_in_inflecting_languages() {
        let mut corpus = Vec::new();
        corpus.extend(["Wywiad z ministrem Kowalskiego zespołu."; 40]);
        corpus.extend(["Dzięki ministrowi Kowalskiemu wszystko."; 2]);
        corpus.extend(["Powiedział minister Kowalczyk wczoraj."; 20]);
        corpus.extend(["Powiedział minister Kowalcyzk wczoraj."; 1]);
        let model = learn("pl", &corpus, FuzzyConfig::default());
        let pairs: Vec<(&str, &str)> = model
            .suggestions()
            .iter()
            .map(|s| (s.variant.as_str(), s.canonical.as_str()))
            .collect();
        assert_eq!(pairs, vec![("Kowalcyzk", "Kowalczyk")]);
        assert!(differ_in_ending("kowalskiemu", "kowalskiego"));
        assert!(!differ_in_ending("kowalcyzk", "kowalczyk"));
    }

    #[test]
    fn german_gets_no_suggestions() {
        // Every German noun is capitalised: near spellings are other nouns.
        let mut corpus = Vec::new();
        corpus.extend(["Die Schulen bleiben geschlossen."; 40]);
        corpus.extend(["Die Schulden steigen weiter."; 2]);
        corpus.extend(["Der Minister Kowalczyk sprach."; 20]);
        corpus.extend(["Der Minister Kowalcyzk sprach."; 1]);
        for lang in ["de", "lb"] {
            let model = learn(lang, &corpus, FuzzyConfig::default());
            assert!(model.suggestions().is_empty(), "{lang}");
        }
        // The same corpus in another language still gets its typo listed.
        let model = learn("nl", &corpus, FuzzyConfig::default());
        assert!(
            model
                .suggestions()
                .iter()
                .any(|s| s.variant == "Kowalcyzk" && s.canonical == "Kowalczyk")
        );
    }

    #[test]
    fn fuzzy_suggestions_never_merge_austria_and_australia() {
        let mut corpus = Vec::new();
        corpus.extend(["Trade with Australia grew."; 40]);
        corpus.extend(["Trade with Austria grew."; 2]);
        corpus.extend(["Minister Kowalczyk said."; 40]);
        corpus.extend(["Minister Kowalcyzk said."; 2]);
        let fuzzy = FuzzyConfig {
            apply: true,
            ..FuzzyConfig::default()
        };
        let model = learn("en", &corpus, fuzzy);
        let pairs: Vec<(&str, &str, bool)> = model
            .suggestions()
            .iter()
            .map(|s| (s.variant.as_str(), s.canonical.as_str(), s.applied))
            .collect();
        assert_eq!(pairs, vec![("Kowalcyzk", "Kowalczyk", true)]);
        assert_eq!(
            apply(&model, "en", "Trade with Austria"),
            "Trade with Austria"
        );
        assert_eq!(
            apply(&model, "en", "Minister Kowalcyzk"),
            "Minister Kowalczyk"
        );
        // Not applied without the setting.
        let model = learn("en", &corpus, FuzzyConfig::default());
        assert_eq!(
            apply(&model, "en", "Minister Kowalcyzk"),
            "Minister Kowalcyzk"
        );
        assert_eq!(model.suggestions().len(), 1);
    }

    #[test]
    fn counts_merge_in_any_order() {
        let sketch = WordSketch::new();
        let docs = [
            "Hello NATO and Nato.",
            "The Nato summit.",
            "Kyiv, Kiev and KYIV.",
        ];
        let mut parts = Vec::new();
        for d in docs {
            let mut c = NameCounts::default();
            c.add_document(d, "en", &sketch, &mut CountScratch::default());
            parts.push(c);
        }
        let forward = parts
            .iter()
            .cloned()
            .fold(NameCounts::default(), NameCounts::merge);
        let backward = parts
            .iter()
            .rev()
            .cloned()
            .fold(NameCounts::default(), NameCounts::merge);
        for w in ["NATO", "Nato", "Kiev", "KYIV", "Kyiv", "Hello"] {
            assert_eq!(forward.get("en", w), backward.get("en", w), "{w}");
        }
        assert_eq!(
            forward.get("en", "Nato"),
            SpellingCount {
                mentions: 2,
                documents: 2
            }
        );
        // "Hello" opens a sentence: not counted.
        assert_eq!(forward.get("en", "Hello").mentions, 0);
    }

    #[test]
    fn report_rows_are_sorted_and_counted_per_document() {
        let mut r1 = VariantReport::default();
        let a = |v: &str, c: &str, rule| Applied {
            variant: v.into(),
            canonical: c.into(),
            rule,
            detail: String::new(),
            kept: false,
        };
        r1.add_document(
            "en",
            &[
                a("Kiev", "Kyiv", Rule::Alias),
                a("Kiev", "Kyiv", Rule::Alias),
            ],
        );
        let mut r2 = VariantReport::default();
        r2.add_document("en", &[a("Nato", "NATO", Rule::Case)]);
        r2.add_document("de", &[a("Kyjiw", "Kiew", Rule::Alias)]);
        let rows = r1.merge(r2).rows(true, &[]);
        let got: Vec<(&str, &str, u64, u64)> = rows
            .iter()
            .map(|r| (r.lang.as_str(), r.variant.as_str(), r.count, r.documents))
            .collect();
        assert_eq!(
            got,
            vec![
                ("de", "Kyjiw", 1, 1),
                ("en", "Kiev", 2, 1),
                ("en", "Nato", 1, 1)
            ]
        );
    }
}
