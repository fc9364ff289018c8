//! Shingling: a document's match key becomes a set of 64-bit shingle hashes.
//!
//! In: a match key (see [`crate::normalize`]). Out: the sorted, deduplicated
//! hashes of its shingles.
//!
//! Words are runs of letters, digits and combining marks; punctuation and
//! spacing never count, so re-paragraphing or a changed quote style does not
//! change a shingle. Scripts written without spaces (Han, kana, Thai, Lao,
//! Khmer, Myanmar) have no words to split on; each of their characters is a
//! token, and such a document is shingled by character n-grams instead of
//! word n-grams. Which of the two applies is decided per document by the
//! majority of its tokens.
//!
//! Tokens are hashed straight to `u64` with xxh3 and shingles are combined
//! from token hashes: nothing is allocated per token or per shingle.

use xxhash_rust::xxh3::xxh3_64;

use crate::normalize::is_unspaced_script;

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
            word_n: 5,
            char_n: 5,
            max_tokens: 100_000,
        }
    }
}

/// The shingles of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shingles {
    /// Sorted, deduplicated shingle hashes.
    pub hashes: Vec<u64>,
    /// Number of tokens read.
    pub tokens: usize,
    /// True when the token cap cut the document short.
    pub capped: bool,
    /// True when the document was shingled by character n-grams.
    pub by_chars: bool,
}

/// Reusable shingling state; one per worker thread.
#[derive(Debug, Default)]
pub struct Shingler {
    tokens: Vec<u64>,
    unspaced: usize,
}

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

impl Shingler {
    /// Shingle a match key.
    pub fn shingle(&mut self, key: &str, config: &ShingleConfig) -> Shingles {
        let capped = self.tokenize(key, config.max_tokens);
        let by_chars = self.unspaced * 2 > self.tokens.len();
        let n = if by_chars {
            config.char_n
        } else {
            config.word_n
        }
        .max(1);
        let mut hashes = Vec::with_capacity(self.tokens.len());
        if !self.tokens.is_empty() {
            let n = n.min(self.tokens.len());
            for window in self.tokens.windows(n) {
                hashes.push(combine(window));
            }
        }
        hashes.sort_unstable();
        hashes.dedup();
        Shingles {
            hashes,
            tokens: self.tokens.len(),
            capped,
            by_chars,
        }
    }

    /// Split `key` into token hashes. Returns true if the cap was reached.
    fn tokenize(&mut self, key: &str, max_tokens: usize) -> bool {
        self.tokens.clear();
        self.unspaced = 0;
        let bytes = key.as_bytes();
        let mut start: Option<usize> = None;
        for (i, c) in key.char_indices() {
            if self.tokens.len() >= max_tokens {
                return true;
            }
            if is_unspaced_script(c) {
                if let Some(s) = start.take() {
                    self.tokens.push(xxh3_64(&bytes[s..i]));
                }
                self.tokens.push(xxh3_64(&bytes[i..i + c.len_utf8()]));
                self.unspaced += 1;
            } else if is_token_char(c) {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                self.tokens.push(xxh3_64(&bytes[s..i]));
            }
        }
        if let Some(s) = start {
            if self.tokens.len() < max_tokens {
                self.tokens.push(xxh3_64(&bytes[s..]));
            } else {
                return true;
            }
        }
        false
    }
}

/// Combine the token hashes of one window into a shingle hash.
#[inline]
fn combine(window: &[u64]) -> u64 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for &t in window {
        h = (h.rotate_left(27) ^ t).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    mix64(h)
}

/// The splitmix64 finalizer: spreads every input bit over the output.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Exact Jaccard similarity of two sorted, deduplicated sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let inter = intersection(a, b);
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// |A ∩ B| / min(|A|, |B|) for two sorted, deduplicated sets.
pub fn containment(a: &[u64], b: &[u64]) -> f64 {
    let min = a.len().min(b.len());
    if min == 0 {
        0.0
    } else {
        intersection(a, b) as f64 / min as f64
    }
}

/// Size of the intersection of two sorted, deduplicated sets.
pub fn intersection(a: &[u64], b: &[u64]) -> usize {
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
