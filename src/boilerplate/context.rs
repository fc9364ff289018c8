//! Context: what the corpus knows about a document that tells a lexicon
//! scope where the furniture ends and the article resumes.
//!
//! In: every document (source, language, text), its article (pre-cluster)
//! and its raw lexicon spans. Out: per language, the words that start
//! sentences ([`Starters`]); per document, the byte ranges of text it
//! shares with another source's copy of the same article (*protected*
//! text).
//!
//! Why: scraped teasers glue a headline without a full stop to the next
//! article sentence ("Lire aussi : Grève à Fos Les syndicats ont voté ...").
//! The sentence boundary is then too far, and the scope would eat article
//! text. Two corpus facts stop it earlier:
//! - **Protected text.** A copy of the article from another outlet holds
//!   the article sentence but not this outlet's teaser. Text shared with
//!   such a copy (outside that copy's own lexicon spans, so a copy that
//!   carries the same teaser does not count) is article text.
//! - **Sentence starters.** Words such as "The", "Les", "Der", "Bu" are
//!   capitalized at the start of sentences and almost never inside one.
//!   They are counted per language over the corpus, so nothing is listed
//!   by hand and proper names ("Le Caire", "Jack") never qualify.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;

use super::Input;
use super::text::{
    FastMap, TokenCache, Tokenizer, gram_hash, has_blank_line, is_sentence_end, merge_ranges,
};

/// A hash set of words with foldhash, fixed seed: looked up for every
/// glued word of a document, where SipHash cost more than the test around
/// it. The keys are the corpus's own words in a local run, so the hash
/// needs no defence against chosen collisions.
type WordSet = std::collections::HashSet<String, foldhash::fast::FixedState>;
/// A hash map of words, as [`WordSet`].
type WordMap<V> = HashMap<String, V, foldhash::fast::FixedState>;

/// Words that start sentences in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Starters {
    words: WordSet,
}

/// Function words that start sentences, per language: the seed list that
/// a small corpus cannot teach. A seed the corpus shows inside sentences
/// as often as at their start (and twice or more) is dropped, so a corpus
/// about "La Paz" vetoes "La"; rarer names ("Le Monde") do not, and the
/// scope rule itself wants a lower-case word after the starter. Scripts
/// without case need none.
const SEEDS: &[(&str, &str)] = &[
    (
        "en",
        "The A An He She It They We This That These Those His Her Its Their Our There However But According After Before When While Meanwhile Earlier Last Some Many Most Officials",
    ),
    (
        "fr",
        "Le La Les Un Une Des Il Elle Ils Elles Nous On Ce Cette Ces Selon Dans Pour Mais Depuis Après Avant Lors Alors Pourtant Cependant Par Sur Au Aux",
    ),
    (
        "de",
        "Der Die Das Ein Eine Er Sie Es Wir Diese Dieser Dieses Im Am Auf Nach Laut Auch Doch Aber Zudem Bei Mit Seit Vor Wie Nun Dabei",
    ),
    (
        "es",
        "El La Los Las Un Una En Según Por Para Pero Este Esta Estos Estas Además Sin Tras Con Desde Ante Así",
    ),
    (
        "it",
        "Il Lo La Gli Le Un Una Uno Per Secondo Ma Questo Questa Dopo Nel Nella Dal Dalla Con Anche",
    ),
    (
        "pt",
        "O Os As Um Uma Em No Na Segundo Para Mas Este Esta Esse Essa Após Com Também",
    ),
    (
        "nl",
        "De Het Een Volgens Op Maar Dit Deze Ook Bij Met Hij Zij Ze We Na",
    ),
    (
        "pl",
        "W Na To Ten Ta Jak Według Po Od Do Nie Jest Jednak Także Już Jego Jej",
    ),
    (
        "ru",
        "В На По С Это Он Она Они Как Также Однако При После До Для Но Из Его Их",
    ),
    (
        "uk",
        "В У На По З Це Він Вона Вони Як Також Однак Після Для Але Його Їх",
    ),
    (
        "tr",
        "Bu Bir Ancak Ayrıca Öte Daha Şu Son Her Yani Bunun Bunlar Böylece Açıklamada",
    ),
    (
        "sv",
        "Det Den En Ett Han Hon De Vi Enligt Men Efter Under Som",
    ),
    ("ro", "În La Pe Un O Acesta Aceasta Potrivit Dar După Cu"),
    (
        "id",
        "Ini Itu Dia Mereka Menurut Namun Selain Dalam Pada Untuk",
    ),
    ("cs", "V Na To Ten Ta Podle Ale Po Je Jeho Její"),
    ("el", "Ο Η Το Οι Τα Στο Στη Στην Σύμφωνα Όμως Με Από"),
];

/// At most this many documents per language are read to learn starters:
/// the counts settle long before.
const STARTER_DOCS: usize = 20_000;
/// A starter is seen at least this often at a sentence start ...
const STARTER_MIN: u32 = 3;
/// ... and at most once inside a sentence per this many starts. Glued
/// furniture makes the sentence after it look like the inside of a
/// sentence, so real starters show some inside uses; a wrong starter only
/// ends a headline early (the furniture stays), never cuts article text.
const STARTER_RATIO: u32 = 4;
/// A seed is vetoed when it stands inside sentences at least as often as
/// it starts them.
const SEED_VETO_RATIO: u32 = 1;

impl Starters {
    /// A fixed list, for tests and callers that know their language.
    pub fn from_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Starters {
        Starters {
            words: words.into_iter().map(str::to_owned).collect(),
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Count, per language, how often each capitalized word starts a
    /// sentence and how often it stands inside one.
    pub(crate) fn learn(inputs: &[Input<'_>]) -> HashMap<String, Starters> {
        let mut per_lang: HashMap<&str, usize> = HashMap::new();
        let chosen: Vec<usize> = (0..inputs.len())
            .filter(|&i| {
                let d = &inputs[i];
                if d.text.is_empty() {
                    return false;
                }
                let n = per_lang.entry(d.language).or_default();
                *n += 1;
                *n <= STARTER_DOCS
            })
            .collect();
        type Counts<'a> = HashMap<&'a str, WordMap<(u32, u32)>>;
        let counts: Counts<'_> = chosen
            .par_iter()
            .fold(HashMap::new, |mut acc: Counts<'_>, &i| {
                let d = &inputs[i];
                count_words(d.text, acc.entry(d.language).or_default());
                acc
            })
            .reduce(HashMap::new, |mut a, b| {
                for (lang, words) in b {
                    let into = a.entry(lang).or_default();
                    for (w, (s, m)) in words {
                        let e = into.entry(w).or_default();
                        e.0 += s;
                        e.1 += m;
                    }
                }
                a
            });
        let mut out: HashMap<String, Starters> = HashMap::new();
        let empty = WordMap::default();
        let langs = counts
            .keys()
            .map(|l| l.to_string())
            .chain(SEEDS.iter().map(|(l, _)| l.to_string()))
            .collect::<std::collections::BTreeSet<String>>();
        for lang in langs {
            let words = counts.get(lang.as_str()).unwrap_or(&empty);
            let vetoed = |w: &str| {
                words
                    .get(w)
                    .is_some_and(|&(s, m)| m >= 2 && m * SEED_VETO_RATIO > s)
            };
            let mut set: WordSet = words
                .iter()
                .filter(|(_, (s, m))| *s >= STARTER_MIN && m * STARTER_RATIO <= *s)
                .map(|(w, _)| w.clone())
                .collect();
            if let Some((_, seeds)) = SEEDS.iter().find(|(l, _)| *l == lang) {
                set.extend(
                    seeds
                        .split_whitespace()
                        .filter(|w| !vetoed(w))
                        .map(str::to_owned),
                );
            }
            out.insert(lang, Starters { words: set });
        }
        out
    }
}

/// Add one text's capitalized words to `counts`: `(starts, inside)`.
///
/// Words are runs of letters and digits of spaced scripts; ASCII is read
/// byte by byte, without decoding characters, and a word that starts with
/// a lower-case ASCII letter or a digit (most words) is dropped at its
/// first byte.
fn count_words(text: &str, counts: &mut WordMap<(u32, u32)>) {
    let bytes = text.as_bytes();
    // The end of the previous word (its last character is a letter or a
    // digit, as every word's is).
    let mut prev_end: Option<usize> = None;
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (alnum, len) = if b.is_ascii_alphanumeric() {
            // A run of ASCII letters and digits in one go.
            let run = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(bytes.len() - i);
            (true, run)
        } else if b.is_ascii() {
            (false, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            (super::text::is_spaced_alnum(c), c.len_utf8())
        };
        if alnum {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            count_word(text, s..i, prev_end, counts);
            prev_end = Some(i);
        }
        i += len;
    }
    if let Some(s) = start {
        count_word(text, s..text.len(), prev_end, counts);
    }
}

/// Count the word at `range` of `text` if it is capitalized and starts a
/// sentence or stands inside one (after the previous word, which ends at
/// `prev_end`, and spaces).
fn count_word(
    text: &str,
    range: Range<usize>,
    prev_end: Option<usize>,
    counts: &mut WordMap<(u32, u32)>,
) {
    if text.as_bytes()[range.start].is_ascii() && !text.as_bytes()[range.start].is_ascii_uppercase()
    {
        return;
    }
    let s = range.start;
    let word = &text[range];
    let mut chars = word.chars();
    let Some(first) = chars.next() else { return };
    // Capitalized, and not an acronym.
    if !first.is_uppercase() || (word.chars().count() > 1 && !chars.any(char::is_lowercase)) {
        return;
    }
    let gap = prev_end.map_or("", |p| &text[p..s]);
    let at_start = prev_end.is_none() || has_blank_line(gap) || gap.chars().any(is_sentence_end);
    let inside = !at_start && gap.chars().all(|c| c == ' ');
    if !at_start && !inside {
        return;
    }
    let e = match counts.get_mut(word) {
        Some(e) => e,
        None => counts.entry(word.to_owned()).or_default(),
    };
    if at_start {
        e.0 += 1;
    } else {
        e.1 += 1;
    }
}

/// Per document, the byte ranges shared with a copy of the same article
/// from another source, outside that copy's lexicon spans. Only documents
/// with lexicon spans of their own get ranges (the others need none).
/// `cache` holds the tokens of some or all documents.
pub(crate) fn protection(
    inputs: &[Input<'_>],
    articles: &[u32],
    raw: &[Vec<Range<usize>>],
    cache: &TokenCache,
    n: usize,
) -> Vec<Vec<Range<usize>>> {
    let mut groups: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, &a) in articles.iter().enumerate() {
        if a != u32::MAX {
            groups.entry(a).or_default().push(i);
        }
    }
    let mut groups: Vec<Vec<usize>> = groups
        .into_values()
        .filter(|g| {
            g.iter().any(|&i| !raw[i].is_empty())
                && g.iter().any(|&i| inputs[i].source != inputs[g[0]].source)
        })
        .collect();
    groups.sort_unstable();
    let found: Vec<(usize, Vec<Range<usize>>)> = groups
        .par_iter()
        .flat_map_iter(|group| protect_group(inputs, raw, cache, group, n))
        .collect();
    let mut out = vec![Vec::new(); inputs.len()];
    for (i, ranges) in found {
        out[i] = ranges;
    }
    out
}

fn protect_group(
    inputs: &[Input<'_>],
    raw: &[Vec<Range<usize>>],
    cache: &TokenCache,
    group: &[usize],
    n: usize,
) -> Vec<(usize, Vec<Range<usize>>)> {
    let mut tok = Tokenizer::default();
    // The group's sources, numbered in order of appearance.
    let mut sources: Vec<&str> = Vec::new();
    // n-gram → (first source seen, seen in a second source)
    let mut seen: FastMap<u64, (usize, bool)> = FastMap::default();
    // Per member with lexicon spans: its source, the byte range and the
    // hash of each n-gram, for the second pass.
    type Grams = Vec<(Range<usize>, u64)>;
    let mut spanned: Vec<(usize, usize, Grams)> = Vec::new();
    for &i in group {
        let source = match sources.iter().position(|&s| s == inputs[i].source) {
            Some(s) => s,
            None => {
                sources.push(inputs[i].source);
                sources.len() - 1
            }
        };
        let tokens = cache.get(i, inputs[i].text, &mut tok);
        let mut grams = Vec::new();
        // The first span that ends after the current n-gram starts (the
        // spans are sorted and disjoint, and the n-grams move forward).
        let mut next_span = 0;
        for w in tokens.windows(n) {
            let span = w[0].start as usize..w[n - 1].end as usize;
            let h = gram_hash(w);
            if !raw[i].is_empty() {
                grams.push((span.clone(), h));
            }
            while raw[i].get(next_span).is_some_and(|r| r.end <= span.start) {
                next_span += 1;
            }
            if raw[i].get(next_span).is_some_and(|r| r.start < span.end) {
                continue;
            }
            let e = seen.entry(h).or_insert((source, false));
            if e.0 != source {
                e.1 = true;
            }
        }
        if !raw[i].is_empty() {
            spanned.push((i, source, grams));
        }
    }
    let mut out = Vec::new();
    for (i, source, grams) in spanned {
        let mut ranges: Vec<Range<usize>> = grams
            .into_iter()
            .filter(|(_, h)| {
                seen.get(h)
                    .is_some_and(|&(first, multi)| multi || first != source)
            })
            .map(|(span, _)| span)
            .collect();
        merge_ranges(&mut ranges);
        if !ranges.is_empty() {
            out.push((i, ranges));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Add one text's capitalized words to `counts`: `(starts, inside)`.
    fn reference_counts(text: &str, counts: &mut WordMap<(u32, u32)>) {
        let mut prev_end: Option<usize> = None;
        let mut prev_last: Option<char> = None;
        let mut start: Option<usize> = None;
        let mut flush = |s: usize, e: usize, prev_end: Option<usize>, prev_last: Option<char>| {
            let word = &text[s..e];
            let mut chars = word.chars();
            let Some(first) = chars.next() else { return };
            // Capitalized, and not an acronym.
            if !first.is_uppercase() || (word.chars().count() > 1 && !chars.any(char::is_lowercase))
            {
                return;
            }
            let gap = prev_end.map_or("", |p| &text[p..s]);
            let at_start =
                prev_end.is_none() || has_blank_line(gap) || gap.chars().any(is_sentence_end);
            let inside = !at_start
                && gap.chars().all(|c| c == ' ')
                && prev_last.is_some_and(char::is_alphanumeric);
            if !at_start && !inside {
                return;
            }
            let e = match counts.get_mut(word) {
                Some(e) => e,
                None => counts.entry(word.to_owned()).or_default(),
            };
            if at_start {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        };
        for (i, c) in text.char_indices() {
            if crate::boilerplate::text::is_spaced_alnum(c) {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                flush(s, i, prev_end, prev_last);
                prev_end = Some(i);
                prev_last = text[s..i].chars().next_back();
            }
        }
        if let Some(s) = start {
            flush(s, text.len(), prev_end, prev_last);
        }
    }

    /// The byte scan counts what the char-by-char scan counted, in many
    /// scripts and on random mixes of words, stops, spaces and breaks.
    #[test]
    fn word_counts_agree_with_the_char_scan() {
        let mut texts: Vec<String> = [
            "The port reopened. The mayor said so. Then the board met The Hague envoy.",
            "Die Regierung tagte. Die Opposition schwieg.\n\nGestern sagte Die Regierung nichts.",
            "Belediye meclisi toplandı. Bu karar İstanbul için önemli. Öte yandan ÇALIŞMA sürüyor.",
            "Городской совет утвердил бюджет. Он сказал Это важно.",
            "市议会批准了预算。The mayor agreed。Ça va? Él dijo: «Sí». Ǆemal je došao.",
            "وافق المجلس البلدي. وقال رئيس البلدية",
            "",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        let pieces = [
            "The", "the", "NASA", "A", "a", "É", "é", "Ölçü", "öl", "1", "2024", "市", ".", "!",
            "?", " ", " ", "  ", "\n", "\n\n", "«", "»", "\u{a0}", "-", "Ω", "ω", "ǅ", "'s",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..3_000 {
            let mut text = String::new();
            for _ in 0..(state % 20) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            state = state.wrapping_add(0x2545_F491_4F6C_DD1D);
            texts.push(text);
        }
        for text in &texts {
            let (mut got, mut want) = (WordMap::default(), WordMap::default());
            count_words(text, &mut got);
            reference_counts(text, &mut want);
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn starters_are_learned_per_language() {
        let en = "The port reopened. The mayor said so. Then the board met. \
                  The unions agreed. Officials met The Hague envoy. Then it rained. \
                  Envoys left The Hague. Envoys flew to The Hague. Envoys met in The Hague. \
                  Then it stopped. Jack Wilson spoke. Later Jack Wilson left.";
        let de = "Die Regierung tagte. Die Opposition schwieg. Die Lage ist ernst. \
                  Gestern sagte die Regierung nichts.";
        let inputs = [
            Input {
                source: "a",
                language: "en",
                text: en,
            },
            Input {
                source: "b",
                language: "de",
                text: de,
            },
        ];
        let starters = Starters::learn(&inputs);
        assert!(starters["en"].contains("Then"));
        // "Then" was learned; "The" is a seed, but the corpus shows it
        // inside sentences as often as at their start ("The Hague"),
        // which vetoes it.
        assert!(!starters["en"].contains("The"));
        assert!(starters["en"].contains("However"), "a seed");
        assert!(!starters["en"].contains("Jack"));
        assert!(starters["de"].contains("Die"));
        assert!(!starters["de"].contains("Regierung"));
    }

    /// The plain protected-text pass [`protect_group`] replaced: every
    /// n-gram hashed twice, spans tested one by one.
    fn reference_group(
        inputs: &[Input<'_>],
        raw: &[Vec<Range<usize>>],
        group: &[usize],
        n: usize,
    ) -> Vec<(usize, Vec<Range<usize>>)> {
        let mut tok = Tokenizer::default();
        let tokens: Vec<Vec<crate::boilerplate::text::Token>> = group
            .iter()
            .map(|&i| tok.tokenize(inputs[i].text).to_vec())
            .collect();
        let mut seen: FastMap<u64, (&str, bool)> = FastMap::default();
        for (k, &i) in group.iter().enumerate() {
            let source = inputs[i].source;
            for w in tokens[k].windows(n) {
                let span = w[0].start as usize..w[n - 1].end as usize;
                if raw[i]
                    .iter()
                    .any(|r| r.start < span.end && span.start < r.end)
                {
                    continue;
                }
                let e = seen.entry(gram_hash(w)).or_insert((source, false));
                if e.0 != source {
                    e.1 = true;
                }
            }
        }
        let mut out = Vec::new();
        for (k, &i) in group.iter().enumerate() {
            if raw[i].is_empty() {
                continue;
            }
            let source = inputs[i].source;
            let toks = &tokens[k];
            let mut ranges = Vec::new();
            for (j, w) in toks.windows(n).enumerate() {
                if let Some(&(first, multi)) = seen.get(&gram_hash(w)) {
                    if multi || first != source {
                        ranges.push(toks[j].start as usize..toks[j + n - 1].end as usize);
                    }
                }
            }
            merge_ranges(&mut ranges);
            if !ranges.is_empty() {
                out.push((i, ranges));
            }
        }
        out
    }

    /// Spans at the start, in the middle and at the end, several per
    /// document, in three sources: the one-pass version agrees.
    #[test]
    fn protection_agrees_with_the_plain_pass() {
        let body = "Prices rose on Monday. The central bank kept its rate at four percent. \
                    Analysts had expected a cut after the data.";
        let texts = [
            format!("Read also: Markets fell {body} Share this article now"),
            format!("{body} Subscribe to our newsletter today"),
            format!("Advertisement {body}"),
            body.to_owned(),
        ];
        let inputs: Vec<Input<'_>> = ["a", "b", "a", "c"]
            .iter()
            .zip(&texts)
            .map(|(source, text)| Input {
                source,
                language: "en",
                text,
            })
            .collect();
        let span = |t: &str, what: &str| {
            let at = t.find(what).unwrap();
            at..at + what.len()
        };
        let raw = vec![
            vec![
                span(&texts[0], "Read also: Markets fell"),
                span(&texts[0], "Share this article now"),
            ],
            vec![span(&texts[1], "Subscribe to our newsletter today")],
            vec![
                span(&texts[2], "Advertisement"),
                span(&texts[2], "after the data."),
            ],
            vec![],
        ];
        let group = [0, 1, 2, 3];
        assert_eq!(reference_group(&inputs, &raw, &group, 5).len(), 3);
        for n in [2, 4, 5] {
            for cache in [
                TokenCache::default(),
                TokenCache::build(
                    &texts.iter().map(String::as_str).collect::<Vec<_>>(),
                    usize::MAX,
                ),
            ] {
                assert_eq!(
                    protect_group(&inputs, &raw, &cache, &group, n),
                    reference_group(&inputs, &raw, &group, n),
                    "n = {n}"
                );
            }
        }
    }

    #[test]
    fn text_shared_with_another_sources_copy_is_protected() {
        let a = "Prices rose on Monday. Read also: Why markets fell The central bank kept its rate at four percent.";
        let b = "Prices rose on Monday. The central bank kept its rate at four percent. Share this article";
        let c = "Prices rose on Monday. Read also: Why markets fell The central bank kept its rate at four percent.";
        let inputs = [
            Input {
                source: "a",
                language: "en",
                text: a,
            },
            Input {
                source: "b",
                language: "en",
                text: b,
            },
            Input {
                source: "a",
                language: "en",
                text: c,
            },
        ];
        let raw = vec![vec![23..a.len()], vec![], vec![23..c.len()]];
        let out = protection(&inputs, &[7, 7, 7], &raw, &TokenCache::default(), 4);
        let shared: Vec<&str> = out[0].iter().map(|r| &a[r.clone()]).collect();
        assert_eq!(
            shared,
            [
                "Prices rose on Monday",
                "The central bank kept its rate at four percent"
            ]
        );
        // The same-source copy shares the teaser, but that does not protect it.
        assert!(out[0].iter().all(|r| !a[r.clone()].contains("markets")));
        // A document without lexicon spans needs no protection.
        assert!(out[1].is_empty());
    }
}
