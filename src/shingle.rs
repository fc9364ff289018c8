//! Shingling: a document's match key becomes a set of 32-bit shingle hashes.
//!
//! In: a match key (see [`crate::normalize`]). Out: the sorted, deduplicated
//! hashes of its shingles, and the same for its first half (the *prefix*,
//! what a copy cut short keeps).
//!
//! Words are runs of letters, digits and combining marks; punctuation and
//! spacing never count, so re-paragraphing or a changed quote style does not
//! change a shingle. Scripts written without spaces (Han, kana, Thai, Lao,
//! Khmer, Myanmar) have no words to split on; each of their characters is a
//! token, and such a document is shingled by character n-grams instead of
//! word n-grams. Which of the two applies is decided per document by the
//! majority of its tokens. Hangul is written with spaces and is shingled by
//! words like Latin or Cyrillic text.
//!
//! **Why n = 3, for words and for characters.** Measured on the evaluation
//! corpus (`bench/`, 10 languages; see BENCHMARKS.md): every typo, inserted
//! promo or leftover teaser destroys up to n shingles of a copy, so the
//! similarity of true copies falls as n grows (median Jaccard of gold pairs
//! 0.80 at n = 3, 0.76 at n = 5, 0.72 at n = 7), while the similarity of
//! different articles stays far below any threshold at n = 3 (the highest
//! Jaccard between two different articles, Reuters earnings briefs and
//! same-story SemEval pairs included, is 0.19; at n = 2 it rises to 0.29).
//! At n = 3, 99.4% of gold pairs reach the copy rule against 98.0% at
//! n = 5, with no false pair at either. The same holds for Chinese character
//! n-grams (n = 2 lets unrelated texts share common two-character words;
//! n = 3 keeps them apart and keeps 98.6% of gold pairs).
//!
//! Tokens are hashed straight to `u64` with xxh3, shingles are combined from
//! token hashes and kept as 32 bits: two different shingles of a pair of
//! 1,000-shingle documents collide with probability about 1e-4, far below
//! what moves a similarity. Nothing is allocated per token or per shingle,
//! and the buffers are reused from document to document.

use std::ops::Range;

use xxhash_rust::xxh3::xxh3_64;

use crate::normalize::chars::{self, NUMERIC, UNSPACED, WORD};

/// Shingle sizes and limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShingleConfig {
    /// Words per shingle for spaced scripts.
    pub word_n: usize,
    /// Characters per shingle for scripts written without spaces.
    pub char_n: usize,
    /// At most this many tokens are read from one document; the rest is
    /// ignored and the document is flagged.
    pub max_tokens: usize,
}

impl Default for ShingleConfig {
    fn default() -> ShingleConfig {
        ShingleConfig {
            word_n: 3,
            char_n: 3,
            max_tokens: 100_000,
        }
    }
}

/// The shingles of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shingles {
    /// Sorted, deduplicated shingle hashes.
    pub hashes: Vec<u32>,
    /// Sorted, deduplicated hashes of the first half of the shingles in text
    /// order: what a copy cut short at about half its length keeps.
    pub prefix: Vec<u32>,
    /// Sorted, deduplicated hashes of the tokens that hold a digit: the
    /// figures of the text (years, amounts, scores, COP29).
    pub numbers: Vec<u32>,
    /// Number of tokens read.
    pub tokens: usize,
    /// True when the token cap cut the document short.
    pub capped: bool,
    /// True when the document was shingled by character n-grams.
    pub by_chars: bool,
}

impl Shingles {
    /// The shingle size that applied.
    pub fn n(&self, config: &ShingleConfig) -> usize {
        if self.by_chars {
            config.char_n
        } else {
            config.word_n
        }
    }
}

/// Reusable shingling state; one per worker thread.
#[derive(Debug, Default)]
pub struct Shingler {
    tokens: Vec<u64>,
    numbers: Vec<u32>,
    unspaced: usize,
}

impl Shingler {
    /// Shingle a match key.
    pub fn shingle(&mut self, key: &str, config: &ShingleConfig) -> Shingles {
        let mut out = Shingles::default();
        self.shingle_into(key, config, &mut out);
        out
    }

    /// Shingle a match key into `out`, reusing its buffers.
    pub fn shingle_into(&mut self, key: &str, config: &ShingleConfig, out: &mut Shingles) {
        out.capped = self.tokenize(key, config.max_tokens);
        out.tokens = self.tokens.len();
        out.by_chars = self.unspaced * 2 > self.tokens.len();
        let n = out.n(config).max(1);
        out.hashes.clear();
        out.prefix.clear();
        if !self.tokens.is_empty() {
            let n = n.min(self.tokens.len());
            out.hashes.extend(self.tokens.windows(n).map(combine));
        }
        let half = out.hashes.len().div_ceil(2);
        out.prefix.extend_from_slice(&out.hashes[..half]);
        out.prefix.sort_unstable();
        out.prefix.dedup();
        out.hashes.sort_unstable();
        out.hashes.dedup();
        out.numbers.clear();
        out.numbers.extend_from_slice(&self.numbers);
        out.numbers.sort_unstable();
        out.numbers.dedup();
    }

    /// Split `key` into token hashes, and collect its figures (see
    /// [`Figures`]). Returns true if the cap was reached.
    fn tokenize(&mut self, key: &str, max_tokens: usize) -> bool {
        self.tokens.clear();
        self.numbers.clear();
        self.unspaced = 0;
        let bytes = key.as_bytes();
        let (tokens, unspaced) = (&mut self.tokens, &mut self.unspaced);
        let mut figures = Figures::new(key, &mut self.numbers);
        let capped = scan(key, max_tokens, |range, digit, is_unspaced| {
            tokens.push(xxh3_64(&bytes[range.clone()]));
            figures.token(range, digit);
            *unspaced += usize::from(is_unspaced);
        });
        figures.finish();
        capped
    }
}

/// The figures of a text, whole: "7-1/4", "101-1/8", "2024-11-25", "3:2"
/// and "7.1" are one figure each, not the digit runs the word tokens split
/// them into, and a thousands separator is dropped ("40,000", "40.000" and
/// "40000" are one figure).
///
/// Why: the figures rule of [`crate::cluster`] keeps apart briefs written
/// from one template, whose figures differ. Split at every punctuation
/// mark, two eurobond notices ("7-1/4 pct, priced at 101-1/8" against
/// "8-1/8 pct, priced at 101-1/2", Reuters-21578) share the pieces 1, 8
/// and 101 and agreed on 60% of their figures; whole, they share 2 of 8.
///
/// A figure is a run of tokens that hold a digit, each joined to the next
/// by one of `- / . , : '` and nothing else.
struct Figures<'a> {
    key: &'a [u8],
    out: &'a mut Vec<u32>,
    /// The byte range of the figure being read.
    current: Option<Range<usize>>,
    scratch: Vec<u8>,
}

impl<'a> Figures<'a> {
    fn new(key: &'a str, out: &'a mut Vec<u32>) -> Figures<'a> {
        Figures {
            key: key.as_bytes(),
            out,
            current: None,
            scratch: Vec::new(),
        }
    }

    /// The next token of the text, and whether it holds a digit.
    fn token(&mut self, range: Range<usize>, digit: bool) {
        if !digit {
            self.finish();
            return;
        }
        if let Some(cur) = &mut self.current {
            let joined = range.start == cur.end + 1
                && matches!(self.key[cur.end], b'-' | b'/' | b'.' | b',' | b':' | b'\'');
            if joined {
                cur.end = range.end;
                return;
            }
        }
        self.finish();
        self.current = Some(range);
    }

    /// Hash the figure being read, if any.
    fn finish(&mut self) {
        let Some(range) = self.current.take() else {
            return;
        };
        let figure = &self.key[range];
        self.scratch.clear();
        for (i, &b) in figure.iter().enumerate() {
            // A separator before exactly three digits that end the figure
            // or meet another separator groups thousands.
            let thousands = matches!(b, b'.' | b',' | b'\'')
                && figure.len() >= i + 4
                && figure[i + 1..i + 4].iter().all(u8::is_ascii_digit)
                && figure.get(i + 4).is_none_or(|c| !c.is_ascii_alphanumeric());
            if !thousands {
                self.scratch.push(b);
            }
        }
        self.out.push((xxh3_64(&self.scratch) >> 32) as u32);
    }
}

/// Call `emit(range, has_digit, unspaced)` for each token of `key`, at most
/// `max_tokens` of them; returns true if the cap was reached. The one
/// definition of a token, shared by shingling and by `explain`.
#[inline]
fn scan(key: &str, max_tokens: usize, mut emit: impl FnMut(Range<usize>, bool, bool)) -> bool {
    let bytes = key.as_bytes();
    let mut count = 0usize;
    // The current word: its start, and whether it holds a digit.
    let mut start: Option<usize> = None;
    let mut digit = false;
    let mut i = 0;
    while i < bytes.len() {
        if count >= max_tokens {
            return true;
        }
        let b = bytes[i];
        // ASCII needs no decoding: the common case in most scripts' keys
        // (spaces, digits, punctuation) and all of English.
        if b < 0x80 {
            if b.is_ascii_alphanumeric() {
                start.get_or_insert(i);
                digit |= b.is_ascii_digit();
            } else if let Some(s) = start.take() {
                emit(s..i, std::mem::take(&mut digit), false);
                count += 1;
            }
            i += 1;
            continue;
        }
        let c = key[i..].chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        // One table lookup answers the three questions (see
        // `normalize::chars`): written without spaces, part of a word
        // (letters, digits, combining marks), a digit.
        let class = chars::class(c);
        if class & UNSPACED != 0 {
            if let Some(s) = start.take() {
                emit(s..i, std::mem::take(&mut digit), false);
                count += 1;
                if count >= max_tokens {
                    return true;
                }
            }
            emit(i..i + len, false, true);
            count += 1;
        } else if class & WORD != 0 {
            start.get_or_insert(i);
            digit |= class & NUMERIC != 0;
        } else if let Some(s) = start.take() {
            emit(s..i, std::mem::take(&mut digit), false);
            count += 1;
        }
        i += len;
    }
    if let Some(s) = start {
        if count < max_tokens {
            emit(s..bytes.len(), digit, false);
        } else {
            return true;
        }
    }
    false
}

/// The shingles of a match key in text order, with where their tokens are:
/// what `explain` needs to show the spans two documents share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Windows {
    /// Byte range of each token in the key.
    pub tokens: Vec<Range<usize>>,
    /// `hashes[i]` is the shingle of tokens `i .. i + n` (the same hash as in
    /// [`Shingles::hashes`]).
    pub hashes: Vec<u32>,
    /// Tokens per shingle.
    pub n: usize,
}

/// The words of a title, as sorted, deduplicated 32-bit hashes of its
/// match key's tokens: what [`crate::cluster`] compares the titles of two
/// short texts by.
pub fn title_words(title: &str, out: &mut Vec<u32>) {
    out.clear();
    if title.trim().is_empty() {
        return;
    }
    let key = crate::normalize::match_key(title);
    let bytes = key.as_bytes();
    scan(&key, usize::MAX, |range, _, _| {
        out.push((xxh3_64(&bytes[range]) >> 32) as u32);
    });
    out.sort_unstable();
    out.dedup();
}

/// The shingles of `key` in text order (see [`Windows`]).
pub fn windows(key: &str, config: &ShingleConfig) -> Windows {
    let mut tokens = Vec::new();
    let mut token_hashes = Vec::new();
    let mut unspaced = 0usize;
    scan(key, config.max_tokens, |range, _, is_unspaced| {
        token_hashes.push(xxh3_64(&key.as_bytes()[range.clone()]));
        tokens.push(range);
        unspaced += usize::from(is_unspaced);
    });
    let n = if unspaced * 2 > tokens.len() {
        config.char_n
    } else {
        config.word_n
    }
    .max(1)
    .min(tokens.len().max(1));
    let hashes = token_hashes.windows(n).map(combine).collect();
    Windows { tokens, hashes, n }
}

/// Combine the token hashes of one window into a 32-bit shingle hash.
#[inline]
fn combine(window: &[u64]) -> u32 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for &t in window {
        h = (h.rotate_left(27) ^ t).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    (mix64(h) >> 32) as u32
}

/// The splitmix64 finalizer: spreads every input bit over the output.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Exact Jaccard similarity of two sorted, deduplicated sets.
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let inter = intersection(a, b);
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// |A ∩ B| / min(|A|, |B|) for two sorted, deduplicated sets.
pub fn containment(a: &[u32], b: &[u32]) -> f64 {
    let min = a.len().min(b.len());
    if min == 0 {
        0.0
    } else {
        intersection(a, b) as f64 / min as f64
    }
}

/// Size of the intersection of two sorted, deduplicated sets.
pub fn intersection(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::match_key;

    fn shingles(text: &str, n: usize) -> Shingles {
        let config = ShingleConfig {
            word_n: n,
            char_n: n,
            ..ShingleConfig::default()
        };
        Shingler::default().shingle(&match_key(text), &config)
    }

    #[test]
    fn punctuation_and_layout_do_not_matter() {
        let a = shingles("The minister said, on Monday: “talks will go on”.", 3);
        let b = shingles("the minister said on monday\n\ntalks will go on", 3);
        assert_eq!(a.hashes, b.hashes);
        assert_eq!(a.tokens, 9);
        assert_eq!(a.hashes.len(), 7);
    }

    #[test]
    fn token_counts_by_script() {
        // (text, tokens, by_chars)
        let cases = [
            ("Erdoğan met Putin in Sochi", 5, false),
            ("Президент встретился с премьером", 4, false),
            ("الرئيس التقى رئيس الوزراء", 4, false),
            ("土耳其政府否认", 7, true),
            ("トルコ政府は否定した", 10, true),
            ("터키 정부는 보도를 부인했다", 4, false),
            ("ประเทศไทย", 9, true),
            ("हिन्दी समाचार पत्र", 3, false),
            ("", 0, false),
        ];
        for (text, tokens, by_chars) in cases {
            let s = shingles(text, 3);
            assert_eq!((s.tokens, s.by_chars), (tokens, by_chars), "{text}");
        }
    }

    #[test]
    fn short_documents_get_one_shingle() {
        assert_eq!(shingles("two words", 5).hashes.len(), 1);
        assert!(shingles("", 5).hashes.is_empty());
    }

    #[test]
    fn prefix_is_the_first_half() {
        // 10 words, n = 3: 8 shingles; the prefix holds the first 4.
        let config = ShingleConfig::default();
        let full = Shingler::default().shingle("a b c d e f g h i j", &config);
        let head = Shingler::default().shingle("a b c d e f", &config);
        assert_eq!(full.hashes.len(), 8);
        assert_eq!(full.prefix, head.hashes);
        assert!(full.prefix.iter().all(|h| full.hashes.contains(h)));
    }

    #[test]
    fn ascii_fast_path_matches_the_general_rule() {
        // Tokens must be the same whether a word is reached through the ASCII
        // path or the general one: mixed scripts, digits, marks.
        let cases = [
            ("cop29会议 opened", vec!["cop29", "会", "议", "opened"]),
            ("erdogan-putin talks", vec!["erdogan", "putin", "talks"]),
            ("hello, мир 123", vec!["hello", "мир", "123"]),
            ("kiyiv's", vec!["kiyiv", "s"]),
            ("नमस्ते दुनिया", vec!["नमस्ते", "दुनिया"]),
            ("x\u{0301}y z", vec!["x\u{0301}y", "z"]),
        ];
        for (key, words) in cases {
            let mut sh = Shingler::default();
            sh.tokenize(key, usize::MAX);
            let want: Vec<u64> = words.iter().map(|w| xxh3_64(w.as_bytes())).collect();
            assert_eq!(sh.tokens, want, "{key}");
        }
    }

    #[test]
    fn numbers_are_the_tokens_with_digits() {
        let s = shingles(
            "COP29 opened on 11 November 2024; Cop29 had 40,000 guests.",
            3,
        );
        let want: Vec<u32> = {
            let mut v: Vec<u32> = ["cop29", "11", "2024", "40000"]
                .iter()
                .map(|w| (xxh3_64(w.as_bytes()) >> 32) as u32)
                .collect();
            v.sort_unstable();
            v
        };
        assert_eq!(s.numbers, want);
        // Arabic-Indic and full-width digits count too.
        assert_eq!(shingles("عام ٢٠٢٤ و ２０２５", 3).numbers.len(), 2);
        assert!(shingles("no figures here", 3).numbers.is_empty());
    }

    #[test]
    fn figures_are_read_whole() {
        // (text, its figures)
        let cases: &[(&str, &[&str])] = &[
            (
                "paying 7-1/4 pct, priced at 101-1/8 pct",
                &["7-1/4", "101-1/8"],
            ),
            ("40,000 dlrs, 40.000 Euro, 40000 yen", &["40000"]),
            ("1,250,000 people on 2024-11-25", &["1250000", "2024-11-25"]),
            (
                "won 3:2, a 7.1 pct rise, 7,1 Prozent",
                &["3:2", "7.1", "7,1"],
            ),
            ("Qtly div 12-1/2 cts vs 12-1/2 cts", &["12-1/2"]),
            ("COVID-19 at COP29, 5 - 6 May", &["19", "cop29", "5", "6"]),
            ("l'an 2024, 15 000 personnes", &["2024", "15", "000"]),
            ("в 2024 году 1,5 млн", &["2024", "1,5"]),
            ("عام ٢٠٢٤", &["٢٠٢٤"]),
            ("no figures here", &[]),
        ];
        for (text, want) in cases {
            let mut want: Vec<u32> = want
                .iter()
                .map(|w| (xxh3_64(w.as_bytes()) >> 32) as u32)
                .collect();
            want.sort_unstable();
            want.dedup();
            assert_eq!(shingles(text, 3).numbers, want, "{text}");
        }
    }

    #[test]
    fn windows_agree_with_shingles() {
        let config = ShingleConfig::default();
        for text in [
            "The minister said on Monday that talks would go on.",
            "土耳其政府否认了这一报道，称其毫无根据。",
            "Erdoğan and Putin met in Sochi on 17 September 2018.",
            "two words",
        ] {
            let key = match_key(text);
            let w = windows(&key, &config);
            let s = Shingler::default().shingle(&key, &config);
            let mut sorted = w.hashes.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted, s.hashes, "{text}");
            assert_eq!(w.tokens.len(), s.tokens, "{text}");
        }
    }

    #[test]
    fn cap_is_reported() {
        let config = ShingleConfig {
            max_tokens: 10,
            ..ShingleConfig::default()
        };
        let s = Shingler::default().shingle(&"word ".repeat(50), &config);
        assert!(s.capped);
        assert_eq!(s.tokens, 10);
    }

    #[test]
    fn set_similarities() {
        let a = [1, 2, 3, 4];
        let b = [3, 4, 5, 6, 7, 8];
        assert_eq!(intersection(&a, &b), 2);
        assert!((jaccard(&a, &b) - 0.25).abs() < 1e-12);
        assert!((containment(&a, &b) - 0.5).abs() < 1e-12);
        assert_eq!(jaccard(&[], &[]), 0.0);
    }
}
