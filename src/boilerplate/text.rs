//! Text geometry shared by the boilerplate detectors: paragraphs, sentence
//! breaks and word tokens with their byte offsets.
//!
//! In: a document's cleaned text (NFC, paragraphs separated by one blank
//! line, as [`crate::normalize::Normalizer::clean`] makes it). Out: byte
//! ranges into that text. Every range starts and ends on a `char` boundary.
//!
//! Tokens are words (runs of letters, digits and combining marks) or, in
//! scripts written without spaces, single characters, like the shingles of
//! [`crate::shingle`]. Each token carries the hash of its match key, so a
//! detector compares `Erdoğan`, `ERDOGAN` and `erdogan` as one word while it
//! cuts the text where the word really is. [`TokenCache`] keeps the tokens
//! of the documents a model learns from, within a memory budget, so that
//! each is tokenized once for every pass of learning and for detection.

use std::ops::Range;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::normalize::{is_unspaced_script, match_key_into};
use crate::shingle::mix64;

/// Characters that end a sentence.
pub(crate) fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '。' | '！' | '？' | '؟' | '…' | '۔' | '।'
    )
}

/// Characters that may close a sentence after its final punctuation.
pub(crate) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '」' | '』'
    )
}

/// Characters that may open a sentence or a quoted headline.
pub(crate) fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '„' | '«' | '‹' | '(' | '[' | '「' | '『' | '¿' | '¡'
    )
}

/// True for a character that can start a new sentence glued to the text
/// before it: a capital, a digit, an opening quote or dash, the copyright
/// sign, or a letter of a script without case.
pub(crate) fn starts_anew(c: char) -> bool {
    (c.is_alphabetic() && !c.is_lowercase())
        || c.is_numeric()
        || is_opener(c)
        || matches!(c, '–' | '—' | '-' | '•' | '©')
}

/// `char::is_alphanumeric`, by the table of [`crate::normalize::chars`]
/// (the standard library searches a Unicode table for every character
/// outside ASCII).
#[inline]
fn is_alphanumeric(c: char) -> bool {
    use crate::normalize::chars::{ALPHA, NUMERIC, class};
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        class(c) & (ALPHA | NUMERIC) != 0
    }
}

/// A word character for word-boundary checks of spaced scripts.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_unspaced_script(c)
}

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// A character the tokenizer splits off on its own (see [`Tokenizer`]).
const UNSPACED: u8 = 2;
/// A character of a word.
const WORD: u8 = 1;

/// A letter or digit of a script written with spaces.
const SPACED_ALNUM: u8 = 4;

fn char_class(c: char) -> u8 {
    if is_unspaced_script(c) {
        UNSPACED
    } else if c.is_alphanumeric() {
        WORD | SPACED_ALNUM
    } else if is_token_char(c) {
        WORD
    } else {
        0
    }
}

/// The class of `c` (a table look-up inside the BMP).
#[inline]
fn class_of(c: char) -> u8 {
    match bmp_classes().get(c as usize) {
        Some(&k) => k,
        None => char_class(c),
    }
}

/// `c.is_alphanumeric() && !is_unspaced_script(c)`, by table.
#[inline]
pub(crate) fn is_spaced_alnum(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        class_of(c) & SPACED_ALNUM != 0
    }
}

/// The class of every character of the Basic Multilingual Plane, built on
/// first use (64 KiB): the tokenizer's hot loop then looks a character up
/// instead of walking Unicode property tables, which took a tenth of a
/// whole run on texts outside ASCII.
fn bmp_classes() -> &'static [u8] {
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..=0xFFFFu32)
            .map(|u| char::from_u32(u).map_or(0, char_class))
            .collect()
    })
}

/// A rough word count that also works for scripts without spaces (two
/// characters count as one word).
///
/// One pass over the bytes: ASCII (most of the text in most scripts) is
/// judged without decoding. The same count as splitting on whitespace and
/// counting each piece's characters (see the test's reference), at a
/// fraction of the cost: guarded removal counts the words of every text
/// that loses a span, and lexicon scopes those of every paragraph they
/// grow into.
pub fn approx_words(s: &str) -> usize {
    count_words_until(s, |_| false)
}

/// Whether `s` holds more than `limit` words ([`approx_words`]), counted
/// only as far as needed: most callers compare a paragraph or a span with
/// a small limit, and a long one is decided after `limit + 1` words.
#[inline]
pub(crate) fn words_over(s: &str, limit: usize) -> bool {
    count_words_until(s, |n| n > limit) > limit
}

/// [`approx_words`], stopping at the first word after which `enough` holds
/// for the count so far (checked after every word; the count returned is
/// then a lower bound of the total). With an `enough` that stays true
/// once true (a threshold), `enough(count)` is `enough(approx_words(s))`.
pub(crate) fn count_words_until(s: &str, enough: impl Fn(usize) -> bool) -> usize {
    let bytes = s.as_bytes();
    let mut words = 0;
    // Whether a word is being read, and its characters of scripts without
    // spaces.
    let mut in_word = false;
    let mut unspaced = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, len) = if b < 0x80 {
            // `char::is_whitespace` on ASCII: tab, line feed, vertical
            // tab, form feed, carriage return and space.
            (matches!(b, b'\t'..=b'\r' | b' '), 1)
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            let space = c.is_whitespace();
            if !space {
                unspaced += usize::from(is_unspaced_script(c));
            }
            (space, c.len_utf8())
        };
        if !space {
            in_word = true;
        } else if in_word {
            words += word_weight(unspaced);
            in_word = false;
            unspaced = 0;
            if enough(words) {
                return words;
            }
        }
        i += len;
    }
    if in_word {
        words += word_weight(unspaced);
    }
    words
}

/// What one word counts for: one, or half its characters of a script
/// without spaces (rounded up).
#[inline]
fn word_weight(unspaced: usize) -> usize {
    if unspaced > 0 {
        unspaced.div_ceil(2)
    } else {
        1
    }
}

/// True when `gap` holds a blank line (`"\n\n"`, a paragraph break):
/// `gap.contains("\n\n")` without a substring searcher, which cost more
/// to set up than the test itself on the short gaps between words.
#[inline]
pub(crate) fn has_blank_line(gap: &str) -> bool {
    gap.as_bytes().windows(2).any(|w| w == b"\n\n")
}

/// The byte offset of the first blank line (`"\n\n"`) in `s`: what
/// `s.find("\n\n")` gives, by a vectorized search (paragraphs are found
/// once per paragraph of every learned document).
#[inline]
pub(crate) fn find_blank_line(s: &str) -> Option<usize> {
    memchr::memmem::find(s.as_bytes(), b"\n\n")
}

/// The paragraph (between blank lines) that holds byte `pos`.
pub(crate) fn paragraph_at(text: &str, pos: usize) -> Range<usize> {
    let start = memchr::memmem::rfind(&text.as_bytes()[..pos], b"\n\n").map_or(0, |i| i + 2);
    let end = find_blank_line(&text[pos..]).map_or(text.len(), |i| pos + i);
    start..end
}

/// Sentence ends in `para`: `(end of the sentence, start of the next)`.
///
/// A period after a lone capital ("U.S.", "J. Smith") or before a
/// lower-case word is not an end; full-width punctuation ends a sentence
/// without a following space.
pub(crate) fn sentence_breaks(text: &str, para: Range<usize>) -> Vec<(usize, usize)> {
    let mut breaks = Vec::new();
    sentence_breaks_into(text, para, &mut breaks);
    breaks
}

/// [`sentence_breaks`] into a reused buffer (replacing its contents).
///
/// Only the bytes that can start a sentence end ([`END_LEADS`]) are looked
/// at closely: the text between them is skipped byte by byte, without
/// decoding characters (this ran for every paragraph of every learned
/// document, a few percent of a whole run).
pub(crate) fn sentence_breaks_into(
    text: &str,
    para: Range<usize>,
    breaks: &mut Vec<(usize, usize)>,
) {
    let s = &text[para.clone()];
    breaks.clear();
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(skip) = bytes[i..].iter().position(|&b| END_LEADS[usize::from(b)]) {
        i += skip;
        // An ASCII byte or the lead byte of a character: a boundary.
        let c = s[i..].chars().next().unwrap_or_default();
        if !is_sentence_end(c) {
            i += c.len_utf8();
            continue;
        }
        // The two characters before the stop: every one the stop can
        // follow is read in order (a stop right after another, or after a
        // closer that follows one, joins that one's break).
        let mut back = s[..i].chars().rev();
        let prev = back.next();
        let prev2 = back.next();
        let abbreviation = c == '.'
            && prev.is_some_and(char::is_uppercase)
            && prev2.is_none_or(|p| !is_alphanumeric(p));
        let mut end = i + c.len_utf8();
        for n in s[end..].chars() {
            if is_closer(n) || is_sentence_end(n) {
                end += n.len_utf8();
            } else {
                break;
            }
        }
        let fullwidth = matches!(c, '。' | '！' | '？');
        let rest = &s[end..];
        let trimmed = rest.trim_start();
        let next_start = end + rest.len() - trimmed.len();
        let next = trimmed.chars().next();
        // Scripts without spaces glue the next sentence to the stop.
        let spaced = next_start > end
            || rest.is_empty()
            || next.is_some_and(crate::normalize::is_unspaced_script);
        let lower_next = c == '.' && next.is_some_and(char::is_lowercase);
        if !abbreviation && !lower_next && (spaced || fullwidth) {
            breaks.push((para.start + end, para.start + next_start));
        }
        i = end;
    }
}

/// The first bytes of the characters that end a sentence
/// ([`is_sentence_end`]): `.`, `!`, `?` and the lead bytes of the others.
const END_LEADS: [bool; 256] = {
    let mut table = [false; 256];
    let ends = ['.', '!', '?', '。', '！', '？', '؟', '…', '۔', '।'];
    let mut k = 0;
    while k < ends.len() {
        let mut buf = [0u8; 4];
        let encoded = ends[k].encode_utf8(&mut buf);
        table[encoded.as_bytes()[0] as usize] = true;
        k += 1;
    }
    table
};

/// One word token: where it is in the text and the hash of its match key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: u32,
    pub end: u32,
    pub hash: u64,
    /// A single character of a script written without spaces.
    pub unspaced: bool,
}

impl Token {
    #[cfg(test)]
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Reusable tokenizer state: the token list, a key buffer, and a cache of
/// the key hashes of words outside ASCII (building a match key costs far
/// more than looking one up, and most words of a corpus repeat).
#[derive(Debug, Default)]
pub struct Tokenizer {
    pub(crate) tokens: Vec<Token>,
    key: String,
    /// Hash of a word's bytes → hash of its match key.
    cache: FastMap<u64, u64>,
}

/// What a word is made of, as far as its key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Lower-case ASCII letters and digits: the word is its own key.
    Lower,
    /// ASCII with a capital: the key is its lower case.
    Upper,
    /// Something outside ASCII: the full match key.
    Wide,
}

/// The key cache is emptied when it grows past this many words.
const KEY_CACHE_WORDS: usize = 200_000;

impl Tokenizer {
    /// Split `text` into tokens (replacing the previous list).
    pub(crate) fn tokenize(&mut self, text: &str) -> &[Token] {
        self.tokens.clear();
        let mut start: Option<usize> = None;
        // What the current word holds so far, noted while scanning so that
        // `push` need not look at its bytes again.
        let mut shape = Shape::Lower;
        let bytes = text.as_bytes();
        let classes = bmp_classes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            // ASCII, most of most texts: no Unicode tables.
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    if start.is_none() {
                        start = Some(i);
                        shape = Shape::Lower;
                    }
                    if b.is_ascii_uppercase() && shape == Shape::Lower {
                        shape = Shape::Upper;
                    }
                } else if let Some(s) = start.take() {
                    self.push(text, s, i, false, shape);
                }
                i += 1;
                continue;
            }
            let c = text[i..].chars().next().unwrap_or_default();
            let len = c.len_utf8();
            let class = match classes.get(c as usize) {
                Some(&k) => k,
                None => char_class(c),
            };
            if class & UNSPACED != 0 {
                if let Some(s) = start.take() {
                    self.push(text, s, i, false, shape);
                }
                self.push(text, i, i + len, true, Shape::Wide);
            } else if class & WORD != 0 {
                if start.is_none() {
                    start = Some(i);
                }
                shape = Shape::Wide;
            } else if let Some(s) = start.take() {
                self.push(text, s, i, false, shape);
            }
            i += len;
        }
        if let Some(s) = start {
            self.push(text, s, text.len(), false, shape);
        }
        &self.tokens
    }

    fn push(&mut self, text: &str, start: usize, end: usize, unspaced: bool, shape: Shape) {
        let word = &text[start..end];
        let hash = if shape == Shape::Lower {
            // A lower-case ASCII word is its own key.
            xxh3_64(word.as_bytes())
        } else if shape == Shape::Upper {
            // The key of an ASCII word is its lower case (on the stack
            // when short, as nearly every word is).
            let mut buf = [0u8; 32];
            if let Some(short) = buf.get_mut(..word.len()) {
                short.copy_from_slice(word.as_bytes());
                short.make_ascii_lowercase();
                xxh3_64(short)
            } else {
                self.key.clear();
                self.key
                    .extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
                xxh3_64(self.key.as_bytes())
            }
        } else {
            let raw = xxh3_64(word.as_bytes());
            match self.cache.get(&raw) {
                Some(&h) => h,
                None => {
                    self.key.clear();
                    match_key_into(word, &mut self.key);
                    // A word of combining marks alone has an empty key.
                    let h = if self.key.is_empty() {
                        0
                    } else {
                        xxh3_64(self.key.as_bytes())
                    };
                    if self.cache.len() >= KEY_CACHE_WORDS {
                        self.cache.clear();
                    }
                    self.cache.insert(raw, h);
                    h
                }
            }
        };
        if hash == 0 {
            return;
        }
        self.tokens.push(Token {
            start: start as u32,
            end: end as u32,
            hash,
            unspaced,
        });
    }
}

/// The tokens of the documents a model learns from, tokenized once and
/// shared by every learning pass (n-gram counts, the syndication veto,
/// teaser positions and their purity, protected text) instead of once per
/// pass, up to a memory budget.
///
/// In: the learning inputs' texts, in input order, and a budget in bytes.
/// Out: per document, its tokens if they fit the budget (the first
/// documents in input order, so the choice never depends on threads), or
/// nothing, and the caller tokenizes that document itself. Either way a
/// caller sees exactly the tokens [`Tokenizer::tokenize`] makes, so the
/// budget changes the cost of learning, never what is learned.
///
/// Tokens are kept in 16 bytes ([`Packed`]) rather than the 24 of a
/// [`Token`] and unpacked into the caller's buffer, which costs far less
/// than tokenizing again.
#[derive(Debug, Clone, Default)]
pub(crate) struct TokenCache {
    docs: Vec<Option<Vec<Packed>>>,
    /// What the budget had left after the tokens (see [`TokenCache::spare`]).
    spare: usize,
}

/// A [`Token`] in 16 bytes: the `unspaced` flag is the top bit of `end`
/// (a document of 2 GiB or more is not cached).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Packed {
    hash: u64,
    start: u32,
    end: u32,
}

const UNSPACED_BIT: u32 = 1 << 31;

impl Packed {
    #[inline]
    fn pack(t: &Token) -> Packed {
        Packed {
            hash: t.hash,
            start: t.start,
            end: t.end | if t.unspaced { UNSPACED_BIT } else { 0 },
        }
    }

    #[inline]
    fn unpack(&self) -> Token {
        Token {
            start: self.start,
            end: self.end & !UNSPACED_BIT,
            hash: self.hash,
            unspaced: self.end & UNSPACED_BIT != 0,
        }
    }
}

/// Documents tokenized together (in parallel) while the cache is built:
/// the budget is checked between batches.
const CACHE_BATCH: usize = 1024;

impl TokenCache {
    /// Tokenize `texts` (in order) while their packed tokens fit `budget`
    /// bytes.
    pub(crate) fn build(texts: &[&str], budget: usize) -> TokenCache {
        let mut docs: Vec<Option<Vec<Packed>>> = Vec::with_capacity(texts.len());
        let mut used = 0usize;
        let mut full = false;
        for batch in texts.chunks(CACHE_BATCH) {
            if full {
                docs.extend(batch.iter().map(|_| None));
                continue;
            }
            let packed: Vec<Option<Vec<Packed>>> = batch
                .par_iter()
                .map_init(Tokenizer::default, |tok, text| {
                    if text.len() >= UNSPACED_BIT as usize {
                        return None;
                    }
                    if text.is_empty() {
                        return Some(Vec::new());
                    }
                    Some(tok.tokenize(text).iter().map(Packed::pack).collect())
                })
                .collect();
            for p in packed {
                let bytes = p.as_ref().map_or(0, |p| p.len() * size_of::<Packed>());
                if full || used + bytes > budget {
                    full = true;
                    docs.push(None);
                } else {
                    used += bytes;
                    docs.push(p);
                }
            }
        }
        TokenCache {
            docs,
            spare: budget.saturating_sub(used),
        }
    }

    /// Bytes of the budget the tokens left: learning may keep other
    /// per-document data in them (the n-gram lists of the syndication
    /// veto), so that everything kept stays within the one budget.
    pub(crate) fn spare(&self) -> usize {
        self.spare
    }

    /// The tokens of document `doc` (whose text is `text`), made by `tok`
    /// or unpacked from the cache into its buffer.
    #[inline]
    pub(crate) fn get<'a>(&self, doc: usize, text: &str, tok: &'a mut Tokenizer) -> &'a [Token] {
        match self.docs.get(doc) {
            Some(Some(packed)) => {
                tok.tokens.clear();
                tok.tokens.extend(packed.iter().map(Packed::unpack));
                &tok.tokens
            }
            _ => tok.tokenize(text),
        }
    }

    /// Documents whose tokens are cached.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.docs.iter().filter(|d| d.is_some()).count()
    }
}

/// True when most tokens are characters of scripts without spaces: such a
/// document is compared by character n-grams.
pub(crate) fn mostly_unspaced(tokens: &[Token]) -> bool {
    tokens.iter().filter(|t| t.unspaced).count() * 2 > tokens.len()
}

/// Hash of the n-gram of tokens `window`.
#[inline]
pub(crate) fn gram_hash(window: &[Token]) -> u64 {
    gram_finish(window.iter().fold(GRAM_SEED, gram_step))
}

/// The state of [`gram_hash`] before its first token ...
pub(crate) const GRAM_SEED: u64 = 0x6A09_E667_F3BC_C908;

/// ... after one more token ...
#[inline]
pub(crate) fn gram_step(h: u64, t: &Token) -> u64 {
    (h.rotate_left(29) ^ t.hash).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// ... and the hash of the tokens stepped in: so the n-grams of every
/// length from one start are hashed a token at a time.
#[inline]
pub(crate) fn gram_finish(h: u64) -> u64 {
    mix64(h)
}

/// A hasher for keys that are hashes already (n-gram and word hashes, and
/// small tuples of them): a multiply per word instead of SipHash, which
/// matters in tables of millions of n-grams.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_isize(&mut self, n: isize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A hash map over pre-hashed keys.
pub(crate) type FastMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<PreHashed>>;
/// A hash set over pre-hashed keys.
pub(crate) type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<PreHashed>>;

/// Merge sorted-by-start ranges that overlap or touch.
pub(crate) fn merge_ranges(ranges: &mut Vec<Range<usize>>) {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges.drain(..) {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    *ranges = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`approx_words`] as it was first written: the reference its
    /// one-pass count is tested against.
    fn approx_words_reference(s: &str) -> usize {
        s.split_whitespace()
            .map(|w| {
                let unspaced = w.chars().filter(|&c| is_unspaced_script(c)).count();
                if unspaced > 0 {
                    unspaced.div_ceil(2)
                } else {
                    1
                }
            })
            .sum()
    }

    #[test]
    fn word_counts_agree_with_the_reference() {
        // (what, text, words)
        let cases = [
            ("empty", "", 0),
            ("spaces only", " \t\n\u{B}\u{C}\r \u{A0}\u{3000}", 0),
            ("english", "The quick brown fox, 2024.", 5),
            ("leading and trailing", "  two  words\n", 2),
            ("no-break space", "100\u{A0}km de Paris", 4),
            ("narrow no-break space", "Oui\u{202F}! Non", 3),
            ("unit separators", "a\u{1F}b c", 2),
            ("turkish", "Erdo\u{11F}an T\u{FC}rkiye'de konu\u{15F}tu", 3),
            (
                "russian",
                "\u{41C}\u{43E}\u{441}\u{43A}\u{432}\u{430} \u{438} \u{41A}\u{438}\u{435}\u{432}",
                3,
            ),
            (
                "arabic",
                "\u{642}\u{627}\u{644} \u{623}\u{631}\u{62F}\u{648}\u{63A}\u{627}\u{646}",
                2,
            ),
            ("chinese", "\u{5317}\u{4EAC}\u{5E02}\u{653F}\u{5E9C}", 3),
            ("chinese and latin", "COP29\u{4F1A}\u{8BAE} in Baku", 3),
            (
                "japanese",
                "\u{6771}\u{4EAC}\u{3067}\u{3059}\u{3002} Tokyo",
                3,
            ),
            (
                "thai",
                "\u{E20}\u{E32}\u{E29}\u{E32}\u{E44}\u{E17}\u{E22}",
                4,
            ),
            ("ideographic space", "\u{4E2D}\u{3000}\u{6587}", 2),
            ("emoji", "ok \u{1F44D}\u{1F3FD} done", 3),
            ("control characters", "a\u{7}b\u{85}c", 2),
        ];
        for (what, text, want) in cases {
            assert_eq!(approx_words_reference(text), want, "{what}: reference");
            assert_eq!(approx_words(text), want, "{what}: {text:?}");
        }
    }

    #[test]
    fn counts_stop_when_enough_and_agree_on_thresholds() {
        let texts = [
            "",
            "  ",
            "one",
            "The quick brown fox, 2024.",
            "Erdo\u{11F}an T\u{FC}rkiye'de konu\u{15F}tu \u{41C}\u{43E}\u{441}\u{43A}\u{432}\u{430}",
            "\u{5317}\u{4EAC}\u{5E02}\u{653F}\u{5E9C} COP29\u{4F1A}\u{8BAE} in Baku\u{3000}\u{4E2D}",
            "\u{642}\u{627}\u{644}\u{A0}\u{623}\u{631}\u{62F}\u{648}\u{63A}\u{627}\u{646} \n\n next",
        ];
        for text in texts {
            let total = approx_words(text);
            assert_eq!(count_words_until(text, |_| false), total, "{text:?}");
            for limit in 0..=total + 2 {
                assert_eq!(
                    words_over(text, limit),
                    total > limit,
                    "{text:?} over {limit}"
                );
                // A threshold: the count where it stops passes it, and
                // never exceeds the total.
                let n = count_words_until(text, |n| n >= limit);
                assert!(n <= total, "{text:?}");
                assert_eq!(n >= limit, total >= limit, "{text:?} at {limit}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn word_counts_agree_with_the_reference_on_any_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", "7", " ", "\t", "\n", "\u{B}", "\u{1F}", ".", "\u{A0}",
                    "\u{85}", "\u{2009}", "\u{3000}", "\u{11F}", "\u{436}", "\u{5317}",
                    "\u{3042}", "\u{E20}", "\u{627}", "\u{1F600}", "\u{20000}",
                ]),
                0..40,
            )
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(approx_words(&text), approx_words_reference(&text), "{:?}", text);
        }
    }

    #[test]
    fn tokens_fold_case_and_diacritics_and_split_cjk() {
        let mut t = Tokenizer::default();
        let a: Vec<u64> = t.tokenize("ERDOĞAN said").iter().map(|t| t.hash).collect();
        let b: Vec<u64> = t.tokenize("erdogan SAID").iter().map(|t| t.hash).collect();
        assert_eq!(a, b);
        let text = "新闻简报 COP29 会议";
        let toks = t.tokenize(text);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.range()]).collect();
        assert_eq!(words, ["新", "闻", "简", "报", "COP29", "会", "议"]);
        assert!(mostly_unspaced(toks));
        let text = "Ankara'da «toplantı» yapıldı.";
        let toks = t.tokenize(text);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.range()]).collect();
        assert_eq!(words, ["Ankara", "da", "toplantı", "yapıldı"]);
    }

    /// Cached tokens are the tokenizer's own, in every script, whatever
    /// the budget; the budget takes documents in input order.
    #[test]
    fn token_cache_gives_the_tokenizers_tokens() {
        let texts = [
            "Port workers voted to end the strike.\n\nRead more: COP29",
            "",
            "Belediye meclisi bütçeyi onayladı. ERDOĞAN konuştu.",
            "市议会周一批准了新预算。相关阅读：铁路罢工",
            "Городской совет утвердил бюджет. Читайте также",
            "وافق المجلس البلدي على الميزانية. اقرأ أيضا",
            "市議会は予算を承認した。関連記事：鉄道スト",
        ];
        let mut tok = Tokenizer::default();
        let want: Vec<Vec<Token>> = texts.iter().map(|t| tok.tokenize(t).to_vec()).collect();
        let bytes: Vec<usize> = want.iter().map(|t| t.len() * size_of::<Packed>()).collect();
        // (budget, documents cached)
        let cases = [
            (0, 0),
            (bytes[0], 2),
            (bytes[0] + bytes[2] - 1, 2),
            (bytes[0] + bytes[2], 3),
            (usize::MAX, texts.len()),
        ];
        for (budget, cached) in cases {
            let cache = TokenCache::build(&texts, budget);
            assert_eq!(cache.len(), cached, "budget {budget}");
            let mut buf = Tokenizer::default();
            for (i, text) in texts.iter().enumerate() {
                assert_eq!(cache.get(i, text, &mut buf), &want[i][..], "{text}");
            }
        }
        assert!(want[3].iter().any(|t| t.unspaced));
        assert!(want[0].iter().all(|t| !t.unspaced));
    }

    /// The plain char-by-char scan [`sentence_breaks_into`] replaced: the
    /// oracle it must agree with.
    fn reference_breaks(text: &str, para: Range<usize>, breaks: &mut Vec<(usize, usize)>) {
        let s = &text[para.clone()];
        breaks.clear();
        let mut iter = s.char_indices().peekable();
        let mut prev: Option<char> = None;
        let mut prev2: Option<char> = None;
        while let Some((i, c)) = iter.next() {
            if is_sentence_end(c) {
                let abbreviation = c == '.'
                    && prev.is_some_and(char::is_uppercase)
                    && prev2.is_none_or(|p| !p.is_alphanumeric());
                let mut end = i + c.len_utf8();
                while let Some(&(j, n)) = iter.peek() {
                    if is_closer(n) || is_sentence_end(n) {
                        end = j + n.len_utf8();
                        iter.next();
                    } else {
                        break;
                    }
                }
                let fullwidth = matches!(c, '。' | '！' | '？');
                let rest = &s[end..];
                let next_start = end + rest.len() - rest.trim_start().len();
                let next = rest.trim_start().chars().next();
                // Scripts without spaces glue the next sentence to the stop.
                let spaced = next_start > end
                    || rest.is_empty()
                    || next.is_some_and(crate::normalize::is_unspaced_script);
                let lower_next = c == '.' && next.is_some_and(char::is_lowercase);
                if !abbreviation && !lower_next && (spaced || fullwidth) {
                    breaks.push((para.start + end, para.start + next_start));
                }
                prev2 = None;
                prev = Some(c);
                continue;
            }
            prev2 = prev;
            prev = Some(c);
        }
    }

    /// The byte scan finds the breaks the char-by-char scan found, on
    /// random mixes of stops, closers, capitals, spaces and scripts.
    #[test]
    fn sentence_breaks_agree_with_the_char_scan() {
        let pieces = [
            "A", "a", "J", "U", ".", ".", "!", "?", "。", "！", "？", "؟", "…", "۔", "।", " ", " ",
            "  ", "\"", "'", "”", "’", "»", ")", "]", "」", "』", "é", "É", "1", "市", "ก", "\n",
            "x", "Ω", "ω", "“", "—", "\u{a0}", "ß", "İ", "ǅ",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut got = Vec::new();
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let mut want = Vec::new();
            reference_breaks(&text, 0..text.len(), &mut want);
            sentence_breaks_into(&text, 0..text.len(), &mut got);
            assert_eq!(got, want, "{text:?}");
            // A paragraph inside a longer text: offsets are the text's.
            let padded = format!("Intro. {text}");
            reference_breaks(&padded, 7..padded.len(), &mut want);
            sentence_breaks_into(&padded, 7..padded.len(), &mut got);
            assert_eq!(got, want, "{padded:?}");
        }
    }

    #[test]
    fn alphanumeric_by_table_is_the_standard_one() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                is_alphanumeric(c),
                c.is_alphanumeric(),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn sentence_breaks_skip_abbreviations_and_lower_case() {
        // (text, sentences found)
        let cases = [
            ("One. Two! Three? Four", 3),
            ("The U.S. envoy met J. Smith. Then left.", 2),
            ("Prices rose 2.5 pct. analysts said so.", 1),
            ("第一句。第二句。", 2),
            ("在 Ventura Blvd.加州大学宣布。", 2),
            ("«Oui.» Puis non.", 2),
            ("هل انتهى؟ نعم.", 2),
        ];
        for (text, n) in cases {
            let breaks = sentence_breaks(text, 0..text.len());
            assert_eq!(breaks.len(), n, "{text}: {breaks:?}");
        }
    }

    /// Hashing a token at a time gives every prefix's [`gram_hash`].
    #[test]
    fn gram_hashes_grow_a_token_at_a_time() {
        let mut tok = Tokenizer::default();
        for text in ["one two three four five", "市议会周一批准了新预算", "a", ""] {
            let tokens = tok.tokenize(text).to_vec();
            let mut h = GRAM_SEED;
            for k in 1..=tokens.len() {
                h = gram_step(h, &tokens[k - 1]);
                assert_eq!(gram_finish(h), gram_hash(&tokens[..k]), "{text} {k}");
            }
            assert_eq!(gram_finish(GRAM_SEED), gram_hash(&[]));
        }
    }

    #[test]
    fn blank_lines_are_found_like_contains() {
        for gap in [
            "",
            " ",
            "\n",
            "\n\n",
            " \n \n",
            "a\n\nb",
            " \n\n",
            "\n\n ",
            "\r\n\r\n",
            "\n\u{a0}\n",
        ] {
            assert_eq!(has_blank_line(gap), gap.contains("\n\n"), "{gap:?}");
        }
    }

    #[test]
    fn paragraphs_are_found_like_str_find() {
        let texts = [
            "",
            "one",
            "a\n\nb",
            "\n\n",
            "x\n\n\ny\n\nz",
            "é\n\n市\n\n",
            "a\nb\n",
        ];
        for text in texts {
            assert_eq!(find_blank_line(text), text.find("\n\n"), "{text:?}");
            for pos in (0..=text.len()).filter(|&p| text.is_char_boundary(p)) {
                let start = text[..pos].rfind("\n\n").map_or(0, |i| i + 2);
                let end = text[pos..].find("\n\n").map_or(text.len(), |i| pos + i);
                assert_eq!(paragraph_at(text, pos), start..end, "{text:?} {pos}");
            }
        }
    }

    #[test]
    fn ranges_merge() {
        let mut r = vec![5..7, 0..2, 1..3, 7..9, 12..13];
        merge_ranges(&mut r);
        assert_eq!(r, vec![0..3, 5..9, 12..13]);
    }
}
