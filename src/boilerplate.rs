//! Boilerplate: find the site furniture glued into article text and cut it
//! out, inline as well as on lines of its own.
//!
//! In: a document's cleaned text. Out: the text without the furniture, and
//! one [`Removal`] per span taken out, so the user can audit every cut.
//!
//! Detection and removal are separate steps. A detector (today the shipped
//! [`Lexicon`]) proposes [`Span`]s; [`apply`] merges them, enforces the guard
//! rails and cuts. The guard rails:
//! - a span that is long enough to be article prose is not cut;
//! - a document that would lose more than half of its text is kept whole and
//!   flagged, because then the detector is more likely wrong than the page.
//!
//! The lexicon matches one Aho-Corasick automaton over match keys, so case,
//! diacritics and full-width forms of a phrase all match. Each pattern's
//! *scope* says how far around the phrase the furniture reaches, up to the
//! sentence boundary: a teaser headline before "Learn more", the headline
//! after "Lire aussi :", the rest of the paragraph after "Continue reading".

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use anyhow::{Context, bail};

use crate::normalize::{Keyed, is_unspaced_script, match_key};

/// How much text around a matched phrase is furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The phrase ends the furniture: cut from the previous sentence boundary.
    Before,
    /// The phrase starts the furniture: cut to the next sentence boundary.
    After,
    /// Cut the whole sentence that holds the phrase.
    Sentence,
    /// Cut from the phrase to the end of the paragraph.
    Tail,
    /// Cut the paragraph, only when it is short (a lone "Share this" line).
    Paragraph,
}

impl Scope {
    fn parse(s: &str) -> Option<Scope> {
        Some(match s {
            "before" => Scope::Before,
            "after" => Scope::After,
            "sentence" => Scope::Sentence,
            "tail" => Scope::Tail,
            "paragraph" => Scope::Paragraph,
            _ => return None,
        })
    }
}

/// The kinds a lexicon pattern may have.
pub const KINDS: &[&str] = &[
    "promo",
    "teaser",
    "share",
    "copyright",
    "continue",
    "paywall",
];

/// One lexicon pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub lang: String,
    pub kind: String,
    pub scope: Scope,
    pub phrase: String,
    /// Words in the phrase, for the paragraph-scope length check.
    words: usize,
}

/// The promo and call-to-action phrases of every language, as one automaton.
#[derive(Debug, Clone)]
pub struct Lexicon {
    patterns: Vec<Pattern>,
    automaton: AhoCorasick,
}

/// A stretch of text a detector believes is furniture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub range: Range<usize>,
    /// The rule that fired, e.g. `lexicon:teaser`.
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

/// A span longer than this many words is prose, not furniture.
pub const MAX_SPAN_WORDS: usize = 45;

/// A `paragraph`-scope phrase cuts a paragraph of at most this many words
/// beyond the phrase itself.
const PARAGRAPH_EXTRA_WORDS: usize = 8;

/// After a `before` match, a remainder this short without sentence
/// punctuation before the paragraph ends is the promo's own tail
/// ("... the latest news and analysis on").
const DANGLING_WORDS: usize = 4;

impl Lexicon {
    /// The lexicon shipped in `data/boilerplate/`, embedded at build time.
    pub fn builtin() -> anyhow::Result<Lexicon> {
        Lexicon::from_sources(
            crate::embedded::BOILERPLATE
                .iter()
                .map(|(lang, text)| (*lang, *text)),
        )
    }

    /// Build a lexicon from `(lang, file text)` pairs in the `kind<TAB>scope<TAB>phrase` format.
    pub fn from_sources<'a>(
        sources: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> anyhow::Result<Lexicon> {
        let mut patterns = Vec::new();
        for (lang, text) in sources {
            for (n, line) in text.lines().enumerate() {
                let line = line.trim_end_matches('\r');
                if line.trim().is_empty() || line.trim_start().starts_with('#') {
                    continue;
                }
                let pattern = parse_line(lang, line)
                    .with_context(|| format!("boilerplate lexicon {lang}, line {}", n + 1))?;
                patterns.push(pattern);
            }
        }
        let keys: Vec<String> = patterns.iter().map(|p| match_key(&p.phrase)).collect();
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&keys)
            .context("cannot build the boilerplate automaton")?;
        Ok(Lexicon {
            patterns,
            automaton,
        })
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Languages with at least one pattern, sorted.
    pub fn languages(&self) -> Vec<&str> {
        let mut langs: Vec<&str> = self.patterns.iter().map(|p| p.lang.as_str()).collect();
        langs.sort_unstable();
        langs.dedup();
        langs
    }

    /// Find the furniture spans in `text`.
    pub fn find(&self, text: &str) -> Vec<Span> {
        let keyed = Keyed::new(text);
        let key = keyed.key.as_str();
        let mut spans = Vec::new();
        for m in self.automaton.find_iter(key) {
            if !on_word_boundary(key, m.start(), m.end()) {
                continue;
            }
            let pattern = &self.patterns[m.pattern().as_usize()];
            let hit = keyed.span(text, m.start(), m.end());
            if let Some(range) = extend(text, hit, pattern) {
                spans.push(Span {
                    range,
                    kind: format!("lexicon:{}", pattern.kind),
                });
            }
        }
        spans
    }
}

fn parse_line(lang: &str, line: &str) -> anyhow::Result<Pattern> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [kind, scope, phrase] = fields[..] else {
        bail!(
            "expected kind<TAB>scope<TAB>phrase, found {} fields",
            fields.len()
        );
    };
    let kind = kind.trim();
    if !KINDS.contains(&kind) {
        bail!(
            "unknown kind {kind:?} (expected one of {})",
            KINDS.join(", ")
        );
    }
    let scope = Scope::parse(scope.trim()).with_context(|| format!("unknown scope {scope:?}"))?;
    let phrase = phrase.trim();
    if match_key(phrase).trim().is_empty() {
        bail!("empty phrase");
    }
    Ok(Pattern {
        lang: lang.to_owned(),
        kind: kind.to_owned(),
        scope,
        phrase: phrase.to_owned(),
        words: approx_words(phrase),
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_unspaced_script(c)
}

/// A match must not start or end inside a word (for spaced scripts).
fn on_word_boundary(key: &str, start: usize, end: usize) -> bool {
    let first = key[start..].chars().next();
    let last = key[..end].chars().next_back();
    let before = key[..start].chars().next_back();
    let after = key[end..].chars().next();
    let left_ok = !(first.is_some_and(is_word_char) && before.is_some_and(is_word_char));
    let right_ok = !(last.is_some_and(is_word_char) && after.is_some_and(is_word_char));
    left_ok && right_ok
}

/// A rough word count that also works for scripts without spaces.
pub fn approx_words(s: &str) -> usize {
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

fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '。' | '！' | '？' | '؟' | '…' | '۔' | '।'
    )
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '」' | '』'
    )
}

/// The paragraph (between blank lines) that holds byte `pos`.
fn paragraph_at(text: &str, pos: usize) -> Range<usize> {
    let start = text[..pos].rfind("\n\n").map_or(0, |i| i + 2);
    let end = text[pos..].find("\n\n").map_or(text.len(), |i| pos + i);
    start..end
}

/// Sentence ends in `para`: `(end of the sentence, start of the next)`.
fn sentence_breaks(text: &str, para: Range<usize>) -> Vec<(usize, usize)> {
    let s = &text[para.clone()];
    let mut breaks = Vec::new();
    let mut iter = s.char_indices().peekable();
    let mut prev: Option<char> = None;
    let mut prev2: Option<char> = None;
    while let Some((i, c)) = iter.next() {
        if is_sentence_end(c) {
            // "U.S." and "J. Smith": a period after a lone capital is not an end.
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
            let spaced = next_start > end || rest.is_empty();
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
    breaks
}

/// Grow a phrase hit to the furniture around it, by the pattern's scope.
/// `None` when the scope's conditions do not hold or the span is too long.
fn extend(text: &str, hit: Range<usize>, pattern: &Pattern) -> Option<Range<usize>> {
    let para = paragraph_at(text, hit.start);
    let breaks = sentence_breaks(text, para.clone());
    let prev_start = breaks
        .iter()
        .map(|&(_, next)| next)
        .filter(|&n| n <= hit.start)
        .max()
        .unwrap_or(para.start);
    let next_end = breaks
        .iter()
        .map(|&(end, _)| end)
        .filter(|&e| e >= hit.end)
        .min()
        .unwrap_or(para.end);
    let range = match pattern.scope {
        Scope::Before => {
            // A call to action ends its teaser: what follows starts a new
            // sentence or the paragraph ends. "... to learn more about the
            // plan" goes on in lower case: that is prose, not furniture,
            // unless only a few dangling words of the promo are left
            // ("... the latest news and analysis on").
            let rest = &text[hit.end..para.end];
            if continues_in_lower_case(rest) && !is_dangling(rest) {
                return None;
            }
            let mut end = hit.end;
            // Take trailing punctuation of the call to action ("Learn more.", "Read more »").
            let rest = &text[end..para.end];
            let punct: usize = rest
                .char_indices()
                .take_while(|&(_, c)| {
                    matches!(c, '.' | ':' | '!' | '»' | '›' | '>' | '…') || is_closer(c) || c == ' '
                })
                .last()
                .map_or(0, |(i, c)| i + c.len_utf8());
            if rest[..punct].trim().is_empty() {
                // only spaces: leave them
            } else {
                end += rest[..punct].trim_end().len();
            }
            if is_dangling(&text[end..para.end]) {
                end = para.end;
            }
            prev_start..end
        }
        Scope::After => hit.start..next_end,
        Scope::Sentence => prev_start..next_end,
        Scope::Tail => hit.start..para.end,
        Scope::Paragraph => {
            if approx_words(&text[para.clone()]) > pattern.words + PARAGRAPH_EXTRA_WORDS {
                return None;
            }
            para
        }
    };
    let limit = match pattern.scope {
        Scope::Paragraph => usize::MAX,
        _ => MAX_SPAN_WORDS,
    };
    (approx_words(&text[range.clone()]) <= limit).then_some(range)
}

/// A short remainder without sentence punctuation before the paragraph ends.
fn is_dangling(rest: &str) -> bool {
    !rest.chars().any(is_sentence_end) && approx_words(rest) <= DANGLING_WORDS
}

/// True when the text after a phrase goes on with a lower-case word, as
/// prose does ("learn more about"), rather than ending or starting anew.
fn continues_in_lower_case(rest: &str) -> bool {
    rest.trim_start_matches(|c: char| c.is_whitespace())
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// Cut the spans out of `text`, with the guard rails of the module docs.
///
/// `max_removed_share` is the share of characters a document may lose before
/// it is kept whole (0.5 by default).
pub fn apply(text: &str, mut spans: Vec<Span>, max_removed_share: f64) -> Cleaned {
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
    let removed_chars: usize = merged
        .iter()
        .map(|s| text[s.range.clone()].chars().count())
        .sum();
    let total_chars = text.chars().count().max(1);
    if removed_chars as f64 > total_chars as f64 * max_removed_share {
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

    fn lexicon(lines: &str) -> Lexicon {
        Lexicon::from_sources([("xx", lines)]).unwrap()
    }

    fn clean(lex: &Lexicon, text: &str) -> (String, Vec<String>) {
        // The share guard has its own test; these short texts are mostly furniture.
        let cleaned = apply(text, lex.find(text), 1.0);
        let out = crate::normalize::Normalizer::default().clean(&cleaned.text);
        (out, cleaned.removals.into_iter().map(|r| r.text).collect())
    }

    #[test]
    fn scopes() {
        let lex = lexicon(
            "teaser\tbefore\tlearn more\n\
             teaser\tafter\tread also\n\
             promo\tbefore\tsign up to get the latest news\n\
             copyright\tsentence\tall rights reserved\n\
             copyright\tsentence\t©\n\
             continue\ttail\tcontinue reading\n\
             share\tparagraph\tshare this article\n",
        );
        // (input, output, removed)
        let cases: Vec<(&str, &str, Vec<&str>)> = vec![
            (
                "Leaders met in Ankara. \"Telephone diplomacy\": Erdogan wants ties Learn more The group never set up an office.",
                "Leaders met in Ankara. The group never set up an office.",
                vec!["\"Telephone diplomacy\": Erdogan wants ties Learn more"],
            ),
            (
                "Talks resumed. New newsletter: Dispatch Sign up to get the latest news and analysis on\n\nNext paragraph stays.",
                "Talks resumed.\n\nNext paragraph stays.",
                vec!["New newsletter: Dispatch Sign up to get the latest news and analysis on"],
            ),
            (
                "Prices rose. Read also: Markets Slide As Rates Climb. Analysts expect more.",
                "Prices rose. Analysts expect more.",
                vec!["Read also: Markets Slide As Rates Climb."],
            ),
            (
                "The vote is on Sunday. © 2024 Example News. All rights reserved.",
                "The vote is on Sunday.",
                vec!["© 2024 Example News.", "All rights reserved."],
            ),
            (
                "The first half of the story. Continue reading on Example News",
                "The first half of the story.",
                vec!["Continue reading on Example News"],
            ),
            (
                "Body text here.\n\nShare this article\n\nMore body text.",
                "Body text here.\n\nMore body text.",
                vec!["Share this article"],
            ),
            (
                "Residents who want to learn more about the plan can visit the town hall on Monday.",
                "Residents who want to learn more about the plan can visit the town hall on Monday.",
                vec![],
            ),
            (
                "We will share this article with every reader who asks for it, the editor told the board on Monday.",
                "We will share this article with every reader who asks for it, the editor told the board on Monday.",
                vec![],
            ),
        ];
        for (input, want, removed) in cases {
            let (out, cut) = clean(&lex, input);
            assert_eq!(out, want, "{input}");
            assert_eq!(cut, removed, "{input}");
        }
    }

    #[test]
    fn matching_folds_case_diacritics_and_needs_word_boundaries() {
        let lex = lexicon("teaser\tafter\tlire aussi\nteaser\tafter\tdevamını oku\n");
        let (out, _) = clean(&lex, "Le texte. LIRE AUSSI : Un Titre. La suite.");
        assert_eq!(out, "Le texte. La suite.");
        let (out, _) = clean(&lex, "Metin burada. DEVAMINI OKU: Başlık. Son cümle.");
        assert_eq!(out, "Metin burada. Son cümle.");
        let (out, cut) = clean(&lex, "Il faut relire aussitôt la loi.");
        assert_eq!(
            (out.as_str(), cut.len()),
            ("Il faut relire aussitôt la loi.", 0)
        );
    }

    #[test]
    fn guard_keeps_mostly_furniture_documents_whole() {
        let lex = lexicon("copyright\tsentence\tall rights reserved\n");
        let text = "Short. All rights reserved by the publisher and its partners worldwide.";
        let cleaned = apply(text, lex.find(text), 0.5);
        assert!(cleaned.kept_whole);
        assert_eq!(cleaned.text, text);
    }

    #[test]
    fn long_spans_are_prose() {
        let lex = lexicon("teaser\tbefore\tlearn more\n");
        let long = format!("{} to learn more about it.", "word ".repeat(60));
        assert!(lex.find(&long).is_empty());
    }

    #[test]
    fn bad_lexicon_lines_are_refused_with_line_numbers() {
        for bad in [
            "promo\tbefore",
            "nonsense\tbefore\tx",
            "promo\tsideways\tx",
            "promo\tbefore\t  ",
        ] {
            let err = Lexicon::from_sources([("en", bad)]).unwrap_err();
            assert!(format!("{err:#}").contains("line 1"), "{err:#}");
        }
    }

    #[test]
    fn cjk_phrases_match_without_spaces() {
        let lex = lexicon("teaser\tafter\t相关阅读\ncopyright\tsentence\t版权所有\n");
        let body = "土耳其政府否认了巴勒斯坦运动已将其政治办公室迁至该国的报道。外交消息人士周一表示，相关说法不符合事实。";
        let (out, cut) = clean(&lex, &format!("{body}相关阅读：新的标题。版权所有。"));
        assert_eq!(out, body);
        assert_eq!(cut.len(), 2);
    }

    #[test]
    fn builtin_lexicon_loads() {
        let lex = Lexicon::builtin().unwrap();
        assert!(lex.languages().contains(&"en"), "{:?}", lex.languages());
    }
}
