//! The phrase lexicon: promo and call-to-action phrases of many languages,
//! matched with one Aho-Corasick automaton over match keys.
//!
//! In: a document's cleaned text and its [`Context`]. Out: one [`Hit`] per
//! phrase found, grown to the furniture around it by the phrase's
//! [`Scope`].
//!
//! The patterns live in `data/boilerplate/<lang>.tsv` (format in its
//! README) and are embedded at build time. Matching runs on match keys, so
//! case, diacritics and full-width forms of a phrase all match, and a match
//! must start and end on word boundaries in spaced scripts.
//!
//! How far a scope reaches is the hard part, because scraped furniture is
//! glued into paragraphs without punctuation. A scope grows to the
//! sentence boundary, and stops earlier at what the context knows to be
//! article text: text shared with another source's copy of the article
//! ([`Context::protected`]), the closing quote of a quoted headline, and a
//! word that starts sentences in this language ([`Context::starters`]),
//! such as "The" in "Read also: Markets Slide The company said ...".
//! Without a context (as [`Lexicon::find`] runs) only the sentence boundary
//! counts.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use anyhow::{Context as _, bail};

use super::text::{
    approx_words, is_closer, is_opener, is_sentence_end, is_word_char, paragraph_at,
    sentence_breaks, starts_anew, words_over,
};
use super::{Context, MAX_SPAN_WORDS, Span};
use crate::normalize::{Keyed, match_key};

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
    /// Written with a capital initial: the words also occur in prose, so
    /// only a capitalized match (a button label) counts.
    pub capitalized: bool,
}

impl Pattern {
    /// A wall phrase: a `paywall` notice with the `sentence` scope, one that
    /// stands in for the article (a consent banner, a captcha or bot check,
    /// a registration or trial form, a subscriber or log-in wall) rather
    /// than a label beside it (`Advertisement`, `download our app`, which
    /// have other scopes). See [`super::wall_share`].
    pub fn is_wall(&self) -> bool {
        self.kind == "paywall" && self.scope == Scope::Sentence
    }
}

/// The promo and call-to-action phrases of every language, as one automaton.
#[derive(Debug, Clone)]
pub struct Lexicon {
    patterns: Vec<Pattern>,
    automaton: AhoCorasick,
}

/// A lexicon match grown to its furniture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit {
    /// The furniture to cut.
    pub range: Range<usize>,
    /// The matched phrase itself.
    pub core: Range<usize>,
    pub pattern: usize,
}

/// A `paragraph`-scope phrase cuts a paragraph of at most this many words
/// beyond the phrase itself.
const PARAGRAPH_EXTRA_WORDS: usize = 8;

/// Text after an `after` label longer than this many words is not a
/// headline (headlines rarely pass 20 words).
const HEADLINE_WORDS: usize = 20;

/// A headline that text shared with another source's copy bounds (the
/// article resumes right after it, or ends right before it) may be this
/// long. Real headlines pass 20 words now and then (2 to 4% of BBC
/// Afrique's and of the tgnews English titles) but none of the 2,500 we
/// measured passed 28 (`masakhanews_fra_eng` headlines, tgnews `og:title`);
/// a bounded stretch is known on both sides, so it may be that long.
const BOUNDED_HEADLINE_WORDS: usize = 30;

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
        // A DFA: a few hundred KiB for a lexicon of this size, and the
        // fastest scan (every document is scanned once).
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
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

    /// Find the furniture spans in `text`, knowing nothing else about it.
    pub fn find(&self, text: &str) -> Vec<Span> {
        self.find_in(text, &Context::default())
    }

    /// Find the furniture spans in `text` of a document with `context`.
    pub fn find_in(&self, text: &str, context: &Context<'_>) -> Vec<Span> {
        self.hits(text, context)
            .into_iter()
            .map(|h| Span {
                range: h.range,
                kind: format!("lexicon:{}", self.patterns[h.pattern].kind),
            })
            .collect()
    }

    pub(crate) fn pattern(&self, i: usize) -> &Pattern {
        &self.patterns[i]
    }

    /// Every phrase match in `text`, grown by its scope.
    pub(crate) fn hits(&self, text: &str, context: &Context<'_>) -> Vec<Hit> {
        self.grow(text, &self.matches(text), context)
    }

    /// Where the phrases are in `text`: `(match, pattern)`, before scopes.
    /// Matching needs the text's match key; growing does not, so a caller
    /// that grows the same matches twice (with and without a context)
    /// matches once.
    pub(crate) fn matches(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        self.matches_with(text, &mut Keyed::default())
    }

    /// [`Lexicon::matches`] with a reusable key buffer (one per worker
    /// thread: the key and its offsets take five bytes per text byte).
    pub(crate) fn matches_with(&self, text: &str, keyed: &mut Keyed) -> Vec<(Range<usize>, usize)> {
        keyed.rebuild(text);
        let key = keyed.key.as_str();
        let mut out = Vec::new();
        for m in self.automaton.find_iter(key) {
            if !on_word_boundary(key, m.start(), m.end()) {
                continue;
            }
            let pattern = m.pattern().as_usize();
            let core = keyed.span(text, m.start(), m.end());
            if self.patterns[pattern].capitalized
                && text[core.clone()]
                    .chars()
                    .find(|c| c.is_alphabetic())
                    .is_some_and(char::is_lowercase)
            {
                continue;
            }
            out.push((core, pattern));
        }
        out
    }

    /// Grow `matches` (from [`Lexicon::matches`] on the same text) by their
    /// scopes.
    pub(crate) fn grow(
        &self,
        text: &str,
        matches: &[(Range<usize>, usize)],
        context: &Context<'_>,
    ) -> Vec<Hit> {
        matches
            .iter()
            .filter_map(|(core, pattern)| {
                let range = extend(text, core.clone(), &self.patterns[*pattern], context)?;
                Some(Hit {
                    range,
                    core: core.clone(),
                    pattern: *pattern,
                })
            })
            .collect()
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
        capitalized: phrase.chars().next().is_some_and(char::is_uppercase),
    })
}

/// Grow a teaser label or call to action found by another detector (the
/// learned one) by `scope`, as if it were a lexicon phrase.
pub(crate) fn grow_teaser(
    text: &str,
    core: Range<usize>,
    scope: Scope,
    context: &Context<'_>,
) -> Option<Range<usize>> {
    let pattern = Pattern {
        lang: String::new(),
        kind: "teaser".to_owned(),
        scope,
        phrase: String::new(),
        words: approx_words(&text[core.clone()]),
        capitalized: false,
    };
    extend(text, core, &pattern, context)
}

/// The sentence that holds a phrase match at `core`, within its paragraph:
/// what a `sentence` scope cuts, but with no context and no length limit.
/// It measures how much of a page a wall notice takes
/// ([`super::wall_share`]), where a banner's long legal sentence counts as
/// much as a short one.
pub(crate) fn sentence_at(text: &str, core: Range<usize>) -> Range<usize> {
    let para = paragraph_at(text, core.start);
    let breaks = sentence_breaks(text, para.clone());
    let start = breaks
        .iter()
        .map(|&(_, next)| next)
        .filter(|&n| n <= core.start)
        .max()
        .unwrap_or(para.start);
    let end = breaks
        .iter()
        .map(|&(end, _)| end)
        .filter(|&e| e >= core.end)
        .min()
        .unwrap_or(para.end)
        .max(core.end);
    start..end
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

/// Grow a phrase hit to the furniture around it, by the pattern's scope.
/// `None` when the scope's conditions do not hold or the span is too long.
fn extend(
    text: &str,
    hit: Range<usize>,
    pattern: &Pattern,
    context: &Context<'_>,
) -> Option<Range<usize>> {
    if pattern.phrase == "©" && !copyright_sign(text, hit.clone()) {
        return None;
    }
    let para = paragraph_at(text, hit.start);
    let breaks = sentence_breaks(text, para.clone());
    // Text shared with another source's copy is article text: no scope
    // reaches into it.
    let left_wall = context
        .protected
        .iter()
        .filter(|r| r.end <= hit.start)
        .map(|r| r.end)
        .max()
        .unwrap_or(0);
    let right_wall = context
        .protected
        .iter()
        .filter(|r| r.start >= hit.end)
        .map(|r| r.start)
        .min()
        .unwrap_or(usize::MAX);
    let prev_start = breaks
        .iter()
        .map(|&(_, next)| next)
        .filter(|&n| n <= hit.start)
        .max()
        .unwrap_or(para.start)
        .max(left_wall.min(hit.start));
    let next_end = breaks
        .iter()
        .map(|&(end, _)| end)
        .filter(|&e| e >= hit.end)
        .min()
        .unwrap_or(para.end)
        .min(right_wall.max(hit.end));
    // A call to action followed by a colon and more text introduces what
    // it asks to read ("Devamını oku: <headline>"): it is a label there. So
    // is one that opens its sentence and is followed by a bar ("LEE MÁS |
    // <headline>"); after other words the bar more often separates links
    // ("Click to Learn More | Buy from Amazon").
    let opens = text[prev_start..hit.start].trim().is_empty();
    let separators: &[char] = if opens {
        &[':', '：', '|']
    } else {
        &[':', '：']
    };
    let colon = pattern.kind == "teaser"
        && pattern.scope == Scope::Before
        && text[hit.end..para.end]
            .trim_start()
            .strip_prefix(separators)
            .is_some_and(|rest| !rest.trim().is_empty());
    let range = match pattern.scope {
        Scope::Before if colon => {
            let at = hit.end + text[hit.end..].find(separators).unwrap_or(0);
            let colon_end = at + text[at..].chars().next().map_or(0, char::len_utf8);
            let next_end = next_end.max(colon_end);
            hit.start..after_end(text, colon_end, next_end, para.end, true, context)
        }
        Scope::Before => {
            // A call to action ends its teaser: what follows starts a new
            // sentence, or the paragraph ends. "... to learn more about the
            // plan" and "travel, read more, live life" go on as prose,
            // unless only a few dangling words of the promo are left
            // ("... the latest news and analysis on").
            let rest = &text[hit.end..para.end];
            let next = rest.trim_start().chars().next();
            let ends = next.is_none_or(|c| {
                starts_anew(c)
                    || is_sentence_end(c)
                    || is_closer(c)
                    || matches!(c, ':' | '»' | '›' | '>' | '→' | '|')
            });
            if !ends && !is_dangling(rest) {
                return None;
            }
            let mut end = hit.end;
            // Take trailing punctuation of the call to action ("Learn more.", "Read more »").
            let rest = &text[end..para.end];
            // A straight quote right before a word opens the next sentence
            // ("Leggi di più \"Non è ...\""): it is not the call's.
            let opens = |i: usize, c: char| {
                matches!(c, '"' | '\'')
                    && rest[i + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
            };
            let punct: usize = rest
                .char_indices()
                .take_while(|&(i, c)| {
                    (matches!(c, '.' | ':' | '!' | '»' | '›' | '>' | '…')
                        || is_closer(c)
                        || c == ' ')
                        && !opens(i, c)
                })
                .last()
                .map_or(0, |(i, c)| i + c.len_utf8());
            if !rest[..punct].trim().is_empty() {
                end += rest[..punct].trim_end().len();
            }
            // A dangling promo tail goes on in lower case; a capitalized
            // remainder ("Fatal Case Comparison") is a unit of its own.
            let tail = &text[end..para.end];
            let lower = tail
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            if lower && is_dangling(tail) && right_wall >= para.end {
                end = para.end;
            }
            let mut start = prev_start.max(quoted_headline_start(text, prev_start, hit.start));
            if pattern.kind == "teaser" {
                if let Some(from) = unshared_start(text, para.clone(), hit.start, context) {
                    start = start.min(from);
                }
                // Only separators between the sentence end and the call
                // to action ("« ... ? » : en savoir plus").
                // A closing quote after a space ("? »") still closes the
                // headline before it.
                let gap = text[prev_start..hit.start].trim_matches(|c: char| {
                    c.is_whitespace()
                        || is_closer(c)
                        || matches!(
                            c,
                            ':' | '：' | '|' | '-' | '–' | '—' | '>' | '→' | '•' | '·'
                        )
                });
                if gap.is_empty() {
                    if let Some(from) =
                        headline_before_break(text, &breaks, para.start, prev_start, context)
                    {
                        start = start.min(from);
                    }
                }
            }
            // Reported speech is prose, never a headline: no cut reaches
            // back across it.
            start = start.max(after_reported_speech(text, start, hit.start));
            start..end
        }
        Scope::After => {
            let headline = pattern.kind == "teaser";
            let mut end = after_end(text, hit.end, next_end, para.end, headline, context);
            if headline {
                if let Some(to) = unshared_end(text, para.clone(), hit.end, context) {
                    end = end.max(to);
                }
                // A label that is a paragraph of its own ("Leggi anche", a
                // blank line, then the headline): its headline is the next
                // paragraph, when that one reads as a headline.
                let alone = text[para.start..hit.start].trim().is_empty()
                    && text[hit.end..para.end]
                        .trim_matches(|c: char| {
                            c.is_whitespace()
                                || matches!(
                                    c,
                                    ':' | '：'
                                        | '-'
                                        | '–'
                                        | '—'
                                        | '|'
                                        | '>'
                                        | '»'
                                        | '›'
                                        | '⇩'
                                        | '↓'
                                )
                        })
                        .is_empty();
                if alone {
                    if let Some(to) = headline_paragraph_after(text, para.end, right_wall) {
                        end = to;
                    }
                }
            }
            hit.start..end
        }
        Scope::Sentence => prev_start..next_end,
        Scope::Tail => hit.start..para.end.min(right_wall.max(hit.end)),
        Scope::Paragraph => {
            if !words_over(&text[para.clone()], pattern.words + PARAGRAPH_EXTRA_WORDS) {
                para
            } else if pattern.kind == "teaser"
                && text[hit.end..].trim_start().starts_with([':', '：'])
            {
                // "Related: <headline>" inside a paragraph: a teaser label
                // with a colon introduces a headline, as an `after` phrase.
                let colon = hit.end + text[hit.end..].find([':', '：']).unwrap_or(0);
                let colon_end = colon + text[colon..].chars().next().map_or(0, char::len_utf8);
                let next_end = next_end.max(colon_end);
                hit.start..after_end(text, colon_end, next_end, para.end, true, context)
            } else {
                return None;
            }
        }
    };
    let limit = match pattern.scope {
        Scope::Paragraph => usize::MAX,
        _ => MAX_SPAN_WORDS,
    };
    (!words_over(&text[range.clone()], limit)).then_some(range)
}

/// The headline of a call to action that starts a sentence, when the
/// sentence before it (which ends at `at`) reads as one: a question or an
/// exclamation ("Trump peut-il envoyer l'armée ? Découvrir"), or a quoted
/// headline ending in its own punctuation ("“Muhsin Yazıcıoğlu,
/// aydınlatılsın!” Devamı için tıklayın"), of at most [`HEADLINE_WORDS`]
/// words and sharing nothing with another source's copy. A full stop
/// before a call to action ends an article sentence: the page dropped the
/// link text, and only the call to action goes.
fn headline_before_break(
    text: &str,
    breaks: &[(usize, usize)],
    para_start: usize,
    at: usize,
    context: &Context<'_>,
) -> Option<usize> {
    let from = breaks
        .iter()
        .map(|&(_, next)| next)
        .filter(|&n| n < at)
        .max()
        .unwrap_or(para_start);
    if from >= at {
        return None;
    }
    let sentence = text[from..at].trim_end();
    let quoted = if sentence.chars().next_back().is_some_and(is_closer) {
        // A quoted headline: from its opening quote (which may open the
        // sentence itself), whatever article text stands before it.
        let q = quoted_headline_start(text, from, at);
        (q > from || sentence.starts_with(is_opener)).then_some(q)
    } else {
        None
    };
    let start = match quoted {
        Some(q) => q,
        None if sentence
            .trim_end_matches(is_closer)
            .ends_with(['?', '!', '？', '！', '؟']) =>
        {
            from
        }
        None => return None,
    };
    let shared = context
        .protected
        .iter()
        .any(|r| r.start < at && r.end > start);
    (!shared && !words_over(&text[start..at], HEADLINE_WORDS)).then_some(start)
}

/// Where a teaser that ends with a call to action at `cta` starts, when
/// the copies of the article say so: right after the last text this
/// document shares with another source's copy, if that shared text ends a
/// sentence in the same paragraph. `None` when nothing is shared before it
/// in the paragraph, or the unshared stretch is longer than a headline.
/// (The paragraph start is no such wall: a short article sentence that
/// opens a paragraph shares no n-gram of its own; measured, it cost an
/// article sentence and removed no furniture.)
///
/// Why: headlines carry their own sentence punctuation ("Koniec finansowania
/// WHO? Trump stawia warunek Przeczytaj", "Covid-19 : La ligue reprend.
/// Découvrir"), so the sentence boundary before a call to action often
/// lies inside the headline. The article's own text is what the copies of
/// it share; the teaser, made by this outlet, is what they do not.
fn unshared_start(
    text: &str,
    para: Range<usize>,
    cta: usize,
    context: &Context<'_>,
) -> Option<usize> {
    let wall = context
        .protected
        .iter()
        .filter(|r| r.end <= cta)
        .map(|r| r.end)
        .max()?;
    if wall < para.start {
        return None;
    }
    // The shared text must end a sentence: an unshared stretch inside a
    // sentence is this copy's edit of the article, not a headline.
    let after = text[wall..cta].trim_start_matches(is_closer);
    if !after.starts_with(is_sentence_end) {
        return None;
    }
    let gap = text[wall..cta]
        .char_indices()
        .find(|&(_, c)| !(is_sentence_end(c) || is_closer(c) || c.is_whitespace()))
        .map_or(cta - wall, |(i, _)| i);
    let from = wall + gap;
    // A stretch that ends with a full stop is a sentence of this copy (an
    // update's new sentence, say), not a headline: as in
    // [`headline_before_break`], only the call to action goes.
    let full_stop = text[from..cta]
        .trim_end()
        .trim_end_matches(is_closer)
        .ends_with(['.', '。', '۔', '।']);
    (from < cta && !full_stop && bounded_headline(text, para, from..cta, true)).then_some(from)
}

/// Where a teaser that a label starts at `from` ends, when the copies of
/// the article say so: where the next text shared with another source's
/// copy begins in the same paragraph (a new sentence: its first letter is
/// not lower case), or the paragraph end when the document shares text
/// before the label and after the paragraph (so the copies are not merely
/// cut short there). `None` when nothing is shared around, the stretch is
/// longer than a headline, or it ends with a full stop (a sentence after a
/// label is taken for article text, as in [`after_end`]).
fn unshared_end(
    text: &str,
    para: Range<usize>,
    from: usize,
    context: &Context<'_>,
) -> Option<usize> {
    let wall = context
        .protected
        .iter()
        .filter(|r| r.start >= from)
        .map(|r| r.start)
        .min()?;
    let to = if wall <= para.end {
        if text[wall..]
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_none_or(char::is_lowercase)
        {
            return None;
        }
        wall
    } else if context.protected.iter().any(|r| r.end <= from) {
        para.end
    } else {
        return None;
    };
    let stretch = text[from..to].trim_end();
    let full_stop = stretch
        .trim_end_matches(is_closer)
        .ends_with(['.', '。', '۔', '।']);
    let end = from + stretch.len();
    // Shared text that starts with a figure may start inside a sentence
    // that this copy edited ("... Covid-19 Du côté des importations, la
    // Styrie (+[6,4 % ...]"): only a capital (or the paragraph end) is a
    // sure sentence start for a long stretch.
    let long_ok = to == para.end
        || text[to..]
            .trim_start_matches(is_opener)
            .starts_with(char::is_uppercase);
    (!full_stop && bounded_headline(text, para, from..end, long_ok)).then_some(end)
}

/// True when the unshared stretch `range` of `para` can be one headline:
/// some words, at most [`HEADLINE_WORDS`] of them (separators counted),
/// or at most [`BOUNDED_HEADLINE_WORDS`] words (separators not counted:
/// "Maria Felipa : l'esclave ...") in one sentence when `long_ok` (the
/// shared text after it surely starts a sentence). A long stretch with a
/// sentence break inside is rather a sentence of this copy's own (an
/// edit, a fragment) next to a headline ("... Soleimani, ermordet. „Per
/// Livestream ...“ - mehr dazu hier"): it stays, as before.
fn bounded_headline(text: &str, para: Range<usize>, range: Range<usize>, long_ok: bool) -> bool {
    let words = headline_words(&text[range.clone()]);
    if words == 0 || words > BOUNDED_HEADLINE_WORDS {
        return false;
    }
    // Up to 20 words, separators counted, as always; beyond that only on
    // the stronger evidence.
    !words_over(&text[range.clone()], HEADLINE_WORDS)
        || long_ok
            && !sentence_breaks(text, para)
                .iter()
                .any(|&(end, _)| end > range.start && end < range.end)
}

/// The words of a headline: [`approx_words`] without the separators that
/// stand alone between its parts ("Maria Felipa : l'esclave ...", "À LIRE
/// AUSSI – ...").
fn headline_words(s: &str) -> usize {
    approx_words(s)
        - s.split_whitespace()
            .filter(|w| !w.chars().any(char::is_alphanumeric))
            .count()
}

/// Where the text after the last piece of reported speech in
/// `text[from..cta]` starts: after a full stop that closes a quotation and
/// is followed by a lower-case word ('... yararlanıyoruz." şeklinde',
/// '... partir.» a-t-il dit', '... gehen." sagte er'). The sentence goes on
/// there, so [`sentence_breaks`] does not split it, but a headline never
/// quotes a whole sentence: what comes before is article text. `from`
/// when there is none.
fn after_reported_speech(text: &str, from: usize, cta: usize) -> usize {
    // Closing quotes, with the German “ and a French space before ».
    let quote = |c: char| matches!(c, '"' | '\'' | '”' | '“' | '’' | '»' | '›' | '」' | '』');
    let s = &text[from..cta];
    let mut at = from;
    // A French « ... partir. » leaves its closing quote after the sentence
    // break, at `from` itself.
    let stop_before = text[..from].trim_end().ends_with('.');
    let stops = s.match_indices('.').map(|(i, _)| i + 1);
    for i in stop_before.then_some(0).into_iter().chain(stops) {
        let rest = s[i..].trim_start();
        let closed = rest.trim_start_matches(quote);
        if closed.len() == rest.len() {
            continue;
        }
        let next = closed.trim_start();
        if next.len() < closed.len() && next.chars().next().is_some_and(char::is_lowercase) {
            at = from + (s.len() - next.len());
        }
    }
    at
}

/// Where a quoted headline right before a call to action starts
/// ("... 3.68 dlrs “Deutsche Babcock Sees Higher Profits” Read more"): at
/// its opening quote, if the text before the call to action ends with a
/// closing quote. Otherwise `from`.
fn quoted_headline_start(text: &str, from: usize, cta: usize) -> usize {
    let before = text[from..cta].trim_end();
    let before = before.trim_end_matches([':', '-', '–', '—', ' ']);
    let Some(close) = before.chars().next_back() else {
        return from;
    };
    let open: &[char] = match close {
        '”' => &['“', '„'],
        '“' => &['„'],
        '»' => &['«'],
        '›' => &['‹'],
        '’' => &['‘'],
        '」' => &['「'],
        '』' => &['『'],
        '"' => &['"'],
        '\'' => &['\''],
        _ => return from,
    };
    let inner = &before[..before.len() - close.len_utf8()];
    if open.contains(&close) {
        // Straight quotes cannot nest.
        return inner.rfind(open).map_or(from, |i| from + i);
    }
    // Guillemets and curly quotes nest: «В Лошице у магазина «Соседи» ...».
    let mut depth = 0usize;
    for (i, c) in inner.char_indices().rev() {
        if c == close {
            depth += 1;
        } else if open.contains(&c) {
            if depth == 0 {
                return from + i;
            }
            depth -= 1;
        }
    }
    from
}

/// Where the furniture that a label starts ends: the end of the headline
/// after it (see [`headline_end`]), or the label alone when what follows
/// is not a headline. Scraped pages drop link text, so a teaser label is
/// often followed straight by an article sentence ("Lire aussi : La France
/// rejette les accusations."). What follows a label is taken for article
/// text when it runs over [`HEADLINE_WORDS`] words, or, after a teaser
/// label (`headline`), when it ends with a full stop: headlines do not.
fn after_end(
    text: &str,
    from: usize,
    next_end: usize,
    para_end: usize,
    headline: bool,
    context: &Context<'_>,
) -> usize {
    let end = headline_end(text, from, next_end, context);
    let full_stop = text[from..end]
        .trim_end()
        .trim_end_matches(is_closer)
        .ends_with(['.', '。', '۔', '।']);
    if words_over(&text[from..end], HEADLINE_WORDS) || (headline && full_stop) {
        label_end(text, from, para_end)
    } else {
        end
    }
}

/// The end of the paragraph after `para_end` when it reads as a headline:
/// one unit of at most [`HEADLINE_WORDS`] words, with no sentence break
/// inside and no full stop at its end (headlines end bare, or with `?` or
/// `!`), and no text shared with another source's copy before `wall`.
fn headline_paragraph_after(text: &str, para_end: usize, wall: usize) -> Option<usize> {
    let rest = &text[para_end..];
    let start = para_end + (rest.len() - rest.trim_start().len());
    if start >= text.len() {
        return None;
    }
    let next = paragraph_at(text, start);
    let body = text[next.clone()].trim_end();
    let words = approx_words(body);
    let full_stop = body
        .trim_end_matches(is_closer)
        .ends_with(['.', '。', '۔', '।']);
    let body_end = next.start + body.len();
    // A `?` or `!` may end it; nothing may follow a sentence end inside.
    let one_unit = sentence_breaks(text, next.clone())
        .iter()
        .all(|&(_, after)| after >= body_end);
    (words > 0 && words <= HEADLINE_WORDS && !full_stop && one_unit && next.end <= wall)
        .then_some(body_end)
}

/// The end of a label phrase with its trailing separators (`:`, `-`, `»`).
fn label_end(text: &str, from: usize, limit: usize) -> usize {
    let rest = &text[from..limit];
    let taken = rest
        .char_indices()
        .take_while(|&(_, c)| {
            c == ' ' || matches!(c, ':' | '-' | '–' | '—' | '|' | '>' | '»' | '›' | '•' | '·')
        })
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    from + rest[..taken].trim_end().len()
}

/// Where the headline (or promo text) after a label such as "Lire aussi :"
/// ends, at most at `limit` (the sentence boundary). Headlines rarely end
/// with a full stop, so the next sentence is often glued to them. Two
/// signals end a headline earlier:
/// - a quoted headline ends at its closing quote;
/// - a capitalized word that starts sentences in this language ("The",
///   "Les", "Der"), when the text around it is in sentence case: it is
///   followed by a lower-case word, or a lower-case word came before it
///   in the headline (so the headline is not in title case).
fn headline_end(text: &str, from: usize, limit: usize, context: &Context<'_>) -> usize {
    if limit <= from {
        return limit;
    }
    let s = &text[from..limit];
    let lead = s.len()
        - s.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '|' | '>' | '•' | '·')
        })
        .len();
    let body = &s[lead..];
    if let Some(open) = body
        .chars()
        .next()
        .filter(|&c| is_opener(c) && !matches!(c, '(' | '[' | '¿' | '¡'))
    {
        let close: &[char] = match open {
            '“' => &['”', '“'],
            '„' => &['“', '”'],
            '«' => &['»'],
            '‹' => &['›'],
            '‘' => &['’'],
            '「' => &['」'],
            '『' => &['』'],
            '\'' => &['\''],
            _ => &['"', '”'],
        };
        let after_open = open.len_utf8();
        if let Some(p) = body[after_open..].find(close) {
            let q = after_open + p;
            let q_end = q + body[q..].chars().next().map_or(0, char::len_utf8);
            return from + lead + q_end;
        }
    }
    let Some(starters) = context.starters else {
        return limit;
    };
    let mut words = body
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - body.as_ptr() as usize, w))
        .peekable();
    let mut seen_lower = false;
    let mut first = true;
    // A headline does not end with a short lower-case word ("les",
    // "the", "de"): a capital after one is a name inside the sentence.
    let mut after_function_word = false;
    while let Some((offset, word)) = words.next() {
        let bare = word.trim_start_matches(is_opener);
        let bare = bare.trim_end_matches(|c: char| !c.is_alphanumeric());
        let initial = bare.chars().next();
        if !first
            && !after_function_word
            && initial.is_some_and(char::is_uppercase)
            && starters.contains(bare)
        {
            let next_lower = words
                .peek()
                .and_then(|(_, w)| w.trim_start_matches(is_opener).chars().next())
                .is_some_and(char::is_lowercase);
            if next_lower || seen_lower {
                return from + lead + offset;
            }
        }
        let lower = initial.is_some_and(char::is_lowercase);
        if lower && bare.chars().count() > 3 {
            seen_lower = true;
        }
        after_function_word = lower && bare.chars().count() <= 3 && bare == word;
        first = false;
    }
    limit
}

/// True when the copyright sign at `sign` starts a notice, not a letter
/// of mis-decoded text. UTF-8 read as Latin-1 turns "é" into "Ã©" (and
/// case folding or a stray space into "ã ©"): "lorsque le premier
/// candidat Clarã ©, Guillaume Soro, a été accusé ..." is an article
/// sentence, and the sentence scope of the lone sign took it whole. A
/// notice's sign stands before a year, a name or a word, never before a
/// comma or a semicolon.
fn copyright_sign(text: &str, sign: Range<usize>) -> bool {
    let before = text[..sign.start].trim_end().chars().next_back();
    let after = text[sign.end..].trim_start().chars().next();
    !matches!(before, Some('Ã' | 'ã')) && !matches!(after, Some(',' | ';'))
}

/// A short remainder without sentence punctuation before the paragraph ends.
/// A dot inside a word ("on example.com") breaks no sentence, so a
/// "continue reading on <site>" tail dangles too.
fn is_dangling(rest: &str) -> bool {
    let rest = rest.trim_end();
    let breaks = rest.char_indices().any(|(i, c)| {
        is_sentence_end(c)
            && rest[i + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|n| n.is_whitespace() || is_closer(n) || is_sentence_end(n))
    });
    !breaks && !words_over(rest, DANGLING_WORDS)
}

#[cfg(test)]
mod tests {
    use super::super::{Starters, apply};
    use super::*;

    fn lexicon(lines: &str) -> Lexicon {
        Lexicon::from_sources([("xx", lines)]).unwrap()
    }

    fn clean_in(lex: &Lexicon, text: &str, context: &Context<'_>) -> (String, Vec<String>) {
        // The share guard has its own test; these short texts are mostly furniture.
        let cleaned = apply(text, lex.find_in(text, context), 1.0);
        let out = crate::normalize::Normalizer::default().clean(&cleaned.text);
        (out, cleaned.removals.into_iter().map(|r| r.text).collect())
    }

    fn clean(lex: &Lexicon, text: &str) -> (String, Vec<String>) {
        clean_in(lex, text, &Context::default())
    }

    #[test]
    fn calls_to_action_do_not_reach_back_across_reported_speech() {
        // (language, text, call to action, cut). A full stop closing a
        // quotation, then a lower-case word: the quote is article text.
        let cases = [
            (
                "tr",
                "Üretime devam ediyor. Başkan belediyemize destek veriyoruz.\" şeklinde MANİSA Kaynak: İHA",
                "Kaynak: İHA",
                "şeklinde MANİSA Kaynak: İHA",
            ),
            (
                "fr",
                "Les prix montent. « Nous allons partir. » a-t-il dit En savoir plus",
                "En savoir plus",
                "a-t-il dit En savoir plus",
            ),
            (
                "de",
                "Die Preise steigen. „Wir werden gehen.“ sagte er Mehr erfahren",
                "Mehr erfahren",
                "sagte er Mehr erfahren",
            ),
            (
                "en",
                "Talks went on. 'We will stay.' he said Learn more",
                "Learn more",
                "he said Learn more",
            ),
            // Not reported speech: a quoted headline, an abbreviation, a
            // sentence that ends.
            (
                "en",
                "Talks went on. \"Rates Climb Again\" Learn more",
                "Learn more",
                "\"Rates Climb Again\" Learn more",
            ),
            (
                "en",
                "Talks went on. Markets in the U.S. rally on Learn more",
                "Learn more",
                "Markets in the U.S. rally on Learn more",
            ),
            (
                "es",
                "Los precios suben. \"Nos vamos.\" Lee también",
                "Lee también",
                "\"Nos vamos.\" Lee también",
            ),
        ];
        for (lang, text, cta, want) in cases {
            let at = text.find(cta).unwrap();
            let range = grow_teaser(text, at..at + cta.len(), Scope::Before, &Context::default())
                .unwrap_or_else(|| panic!("{lang}: no cut in {text}"));
            assert_eq!(&text[range], want, "{lang}: {text}");
        }
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
             continue\tbefore\tkeep reading\n\
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
                "Prices rose. Read also: Markets Slide As Rates Climb Analysts expect more",
                "Prices rose.",
                vec!["Read also: Markets Slide As Rates Climb Analysts expect more"],
            ),
            // A call to action before a bar is a label for the headline
            // after it.
            (
                "Prices rose.\n\nLEARN MORE | Markets Slide As Rates Climb\n\nNext.",
                "Prices rose.\n\nNext.",
                vec!["LEARN MORE | Markets Slide As Rates Climb"],
            ),
            (
                "Prices rose.\n\nClick to Learn More | Buy Now\n\nNext.",
                "Prices rose.\n\n| Buy Now\n\nNext.",
                vec!["Click to Learn More"],
            ),
            // A full stop ends a sentence, not a headline: the page dropped
            // the link text, and only the label goes.
            (
                "Prices rose. Read also: Analysts expect more cuts this year. Rates fell.",
                "Prices rose. Analysts expect more cuts this year. Rates fell.",
                vec!["Read also:"],
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
            // A question or a quoted headline before a call to action is
            // its headline; a sentence with a full stop is article text.
            (
                "Prices rose. Will Rates Fall Again? Learn more\n\nNext.",
                "Prices rose.\n\nNext.",
                vec!["Will Rates Fall Again? Learn more"],
            ),
            (
                "Prices rose. \"Rates, again!\" Learn more\n\nNext.",
                "Prices rose.\n\nNext.",
                vec!["\"Rates, again!\" Learn more"],
            ),
            // Guillemets nest: the headline starts at the outer one.
            (
                "Prices rose at the «Sosedi» shop. «Parking at the «Sosedi» shop» Learn more\n\nNext.",
                "Prices rose at the «Sosedi» shop.\n\nNext.",
                vec!["«Parking at the «Sosedi» shop» Learn more"],
            ),
            // French spacing: the closing quote after a space, a colon
            // before the call to action.
            (
                "Prices rose. « Will rates fall ? » : Learn more\n\nNext.",
                "Prices rose.\n\nNext.",
                vec!["« Will rates fall ? » : Learn more"],
            ),
            (
                "Prices rose in May. Learn more\n\nNext.",
                "Prices rose in May.\n\nNext.",
                vec!["Learn more"],
            ),
            // A `before` call to action with a site's address after it: a
            // dot inside a word breaks no sentence.
            (
                "The first half of the story. Keep reading at news.example.org\n\nLast line.",
                "The first half of the story.\n\nLast line.",
                vec!["Keep reading at news.example.org"],
            ),
            (
                "The first half of the story. Keep reading at home. Then rest.",
                "The first half of the story. Keep reading at home. Then rest.",
                vec![],
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
    fn context_stops_a_scope_at_article_text() {
        let lex = lexicon("teaser\tafter\tread also:\nteaser\tafter\tlire aussi :\n");
        let starters = Starters::from_words(["The", "Les", "Der"]);
        let with = Context {
            protected: &[],
            starters: Some(&starters),
        };
        // (input, output with starters)
        let cases = [
            // Title-case headline, then a sentence in sentence case.
            (
                "Prices rose. Read also: Markets Slide As Rates Climb The company said it would wait.",
                "Prices rose. The company said it would wait.",
            ),
            // Sentence-case headline: the capitalized starter ends it.
            (
                "Le port est fermé. Lire aussi : Grève des dockers à Fos Les syndicats ont voté la reprise.",
                "Le port est fermé. Les syndicats ont voté la reprise.",
            ),
            // A quoted headline ends at its closing quote.
            (
                "Le port est fermé. Lire aussi : « Fos à l'arrêt » Selon les syndicats, le vote est acquis.",
                "Le port est fermé. Selon les syndicats, le vote est acquis.",
            ),
            // A starter inside a title-case headline does not end it.
            (
                "Prices rose. Read also: Why The Fed Waits\n\nAnalysts agree.",
                "Prices rose.\n\nAnalysts agree.",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(clean_in(&lex, input, &with).0, want, "{input}");
        }
        // Without a context the scope runs to the sentence end, and a full
        // stop there means an article sentence: only the label goes.
        let (out, _) = clean(&lex, cases[0].0);
        assert_eq!(
            out,
            "Prices rose. Markets Slide As Rates Climb The company said it would wait."
        );
        // Protected text (shared with another source's copy) stops it too.
        let text = cases[0].0;
        let at = text.find("The company").unwrap();
        let protected = std::slice::from_ref(&(at..text.len() - 1)).to_vec();
        let ctx = Context {
            protected: protected.as_slice(),
            starters: None,
        };
        assert_eq!(clean_in(&lex, text, &ctx).0, cases[0].1);
    }

    /// Headlines with their own sentence punctuation: text shared with
    /// another source's copy (marked `[...]` here) bounds the teaser, in
    /// several languages; unshared text inside a sentence, a stretch
    /// longer than a headline, or one that ends with a full stop stays.
    #[test]
    fn shared_text_bounds_teasers_with_punctuated_headlines() {
        let lex = lexicon(
            "teaser\tbefore\tPrzeczytaj\nteaser\tbefore\tDécouvrir\nteaser\tbefore\tmehr dazu hier\n\
             teaser\tafter\tczytaj także\nteaser\tafter\tlire aussi\nteaser\tafter\tà lire aussi\n\
             teaser\tafter\tlea también\n\
             teaser\tafter\tlesen sie auch\n",
        );
        // (text with shared spans in brackets, expected output)
        let cases = [
            (
                "[Ceny wzrosły w marcu]. Koniec finansowania WHO? Trump stawia warunek Przeczytaj [Rząd nie skomentował sprawy].",
                "Ceny wzrosły w marcu. Rząd nie skomentował sprawy.",
            ),
            (
                "[Le conseil a voté lundi]. Covid-19 : la ligue reprend. Est-ce prudent ? Découvrir",
                "Le conseil a voté lundi.",
            ),
            (
                "[Ceny wzrosły w marcu]. Czytaj także: Sukces firmy. Akcje idą w górę [Rząd nie skomentował sprawy].",
                "Ceny wzrosły w marcu. Rząd nie skomentował sprawy.",
            ),
            (
                "[Les prix montent]. Lire aussi : Grève. Les trains roulent [Rien ne change].\n\n[Fin du texte ici.]",
                "Les prix montent. Rien ne change.\n\nFin du texte ici.",
            ),
            // The shared text does not end a sentence: this copy's own edit.
            (
                "[Ceny wzrosły w] marcu i kwietniu. Pierwsze dane Przeczytaj",
                "Ceny wzrosły w marcu i kwietniu.",
            ),
            // Ends with a full stop: an article sentence after the label.
            (
                "[Ceny wzrosły]. Czytaj także: Sukces firmy. Akcje poszły w górę. [Rząd milczy].",
                "Ceny wzrosły. Sukces firmy. Akcje poszły w górę. Rząd milczy.",
            ),
            // An update's own sentence, ending with a full stop, before a
            // call to action stays: only the call to action goes.
            (
                "[Die Übung begann um zehn Uhr]. Sie endete um halb zwölf. Découvrir\n\n[Fin.]",
                "Die Übung begann um zehn Uhr. Sie endete um halb zwölf.\n\nFin.",
            ),
            // A long headline (over 20 words, 30 at most), its separators
            // not counted as words, goes whole when shared text bounds it.
            (
                "[Les prix montent à Paris]. À lire aussi – Facebook, Instagram et WhatsApp : ce que l'on sait de la panne qui a affecté ces plateformes pendant des heures dans le monde [La famille du chanteur a annoncé son décès].",
                "Les prix montent à Paris. La famille du chanteur a annoncé son décès.",
            ),
            (
                "[El avión aterrizó ayer]. Lea también: Izaron la bandera de Irán en las Torres de El Silencio por traer la gasolina que Pdvsa no produce en sus refinerías (FOTO) [El avión estaba en la pista].",
                "El avión aterrizó ayer. El avión estaba en la pista.",
            ),
            // Over 20 words with a sentence break inside: this copy's own
            // sentence next to a headline, so the long stretch stays.
            (
                "[Die Lage blieb ruhig]. Zudem sprach sich der Präsident der Spezialeinheit am Abend gegen neue Gespräche mit der Regierung aus. „Per Livestream können die User die Pressekonferenzen verfolgen“ - mehr dazu hier [Der Verband schwieg].",
                "Die Lage blieb ruhig. Zudem sprach sich der Präsident der Spezialeinheit am Abend gegen neue Gespräche mit der Regierung aus. Der Verband schwieg.",
            ),
            (
                "[Die Lage blieb ruhig]. Lesen Sie auch: Cheech und Chong übertreffen die Erwartungen der Fans und landen auf mehreren Listen der besten neuen Spiele B. beim Haushaltsrecht. Abonnieren Sie den kostenlosen Newsletter [Der Verband schwieg].",
                "Die Lage blieb ruhig. Cheech und Chong übertreffen die Erwartungen der Fans und landen auf mehreren Listen der besten neuen Spiele B. beim Haushaltsrecht. Abonnieren Sie den kostenlosen Newsletter Der Verband schwieg.",
            ),
            // Shared text that starts with a figure may start inside an
            // edited sentence: a long stretch before it stays.
            (
                "[Les exportations ont reculé]. À lire aussi – Vaccin contre le coronavirus : comment Johnson & Johnson se compare aux autres vaccins Covid-19 Du côté des importations, la Styrie (+[6,4 % ou + 0,61 milliard d'euros)].",
                "Les exportations ont reculé. Vaccin contre le coronavirus : comment Johnson & Johnson se compare aux autres vaccins Covid-19 Du côté des importations, la Styrie (+6,4 % ou + 0,61 milliard d'euros).",
            ),
            // Over 30 words is no headline, bounded or not.
            (
                "[Ceny wzrosły]. Czytaj także: jeden dwa trzy cztery pięć sześć siedem osiem dziewięć dziesięć jedenaście dwanaście trzynaście czternaście piętnaście szesnaście siedemnaście osiemnaście dziewiętnaście dwadzieścia raz dwa trzy cztery pięć sześć siedem osiem dziewięć dziesięć jedenaście [Rząd milczy].",
                "Ceny wzrosły. jeden dwa trzy cztery pięć sześć siedem osiem dziewięć dziesięć jedenaście dwanaście trzynaście czternaście piętnaście szesnaście siedemnaście osiemnaście dziewiętnaście dwadzieścia raz dwa trzy cztery pięć sześć siedem osiem dziewięć dziesięć jedenaście Rząd milczy.",
            ),
            // A call to action with a colon introduces its headline, like
            // a label: the headline goes, the sentence before it stays.
            (
                "[Tatbikat başladı]. Tatbikat on bir buçukta sona erdi. Przeczytaj: Kentsel dönüşümde yeni dönem\n\n[Son.]",
                "Tatbikat başladı. Tatbikat on bir buçukta sona erdi.\n\nSon.",
            ),
        ];
        for (marked, want) in cases {
            let mut text = String::new();
            let mut protected = Vec::new();
            let mut open = 0;
            for c in marked.chars() {
                match c {
                    '[' => open = text.len(),
                    ']' => protected.push(open..text.len()),
                    c => text.push(c),
                }
            }
            let ctx = Context {
                protected: &protected,
                starters: None,
            };
            assert_eq!(clean_in(&lex, &text, &ctx).0, want, "{marked}");
        }
    }

    #[test]
    fn matching_folds_case_diacritics_and_needs_word_boundaries() {
        let lex = lexicon("teaser\tafter\tlire aussi\nteaser\tafter\tdevamını oku\n");
        let (out, _) = clean(&lex, "Le texte. LIRE AUSSI : Un Titre\n\nLa suite.");
        assert_eq!(out, "Le texte.\n\nLa suite.");
        let (out, _) = clean(&lex, "Metin burada. DEVAMINI OKU: Başlık\n\nSon cümle.");
        assert_eq!(out, "Metin burada.\n\nSon cümle.");
        let (out, cut) = clean(&lex, "Il faut relire aussitôt la loi.");
        assert_eq!(
            (out.as_str(), cut.len()),
            ("Il faut relire aussitôt la loi.", 0)
        );
    }

    #[test]
    fn a_label_alone_in_its_paragraph_takes_the_headline_paragraph_after_it() {
        let lex = lexicon(
            "teaser\tafter\tleggi anche\nteaser\tafter\tlire aussi\nteaser\tafter\tчитайте также\nteaser\tafter\tread also\n",
        );
        // (what, text, expected output); texts written for this test.
        let cases = [
            (
                "italian, headline ending in a question mark",
                "Il sindaco ha parlato ieri.\n\nLeggi anche\n\nChi vincerà le elezioni regionali in Toscana?\n\nLa seduta è finita alle otto.",
                "Il sindaco ha parlato ieri.\n\nLa seduta è finita alle otto.",
            ),
            (
                "french, label with a colon",
                "Le maire a parlé hier.\n\nLire aussi :\n\nLe budget de la ville en cinq chiffres\n\nLa séance a été levée.",
                "Le maire a parlé hier.\n\nLa séance a été levée.",
            ),
            (
                "russian",
                "Мэр выступил вчера.\n\nЧитайте также\n\nЧто изменится в городе с первого марта\n\nЗаседание закончилось вечером.",
                "Мэр выступил вчера.\n\nЗаседание закончилось вечером.",
            ),
            (
                "the next paragraph is a sentence: kept",
                "The mayor spoke.\n\nRead also\n\nThe council met on Monday and approved the budget.\n\nThe end.",
                "The mayor spoke.\n\nThe council met on Monday and approved the budget.\n\nThe end.",
            ),
            (
                "the next paragraph holds two sentences: kept",
                "The mayor spoke.\n\nRead also\n\nWho pays? The city does\n\nThe end.",
                "The mayor spoke.\n\nWho pays? The city does\n\nThe end.",
            ),
            (
                "a label with its headline takes nothing after it",
                "Le maire a parlé hier.\n\nLire aussi : Le budget en cinq chiffres\n\nQui paiera la facture ?\n\nLa séance a été levée.",
                "Le maire a parlé hier.\n\nQui paiera la facture ?\n\nLa séance a été levée.",
            ),
        ];
        for (what, text, want) in cases {
            assert_eq!(clean(&lex, text).0, want, "{what}");
        }
    }

    #[test]
    fn a_mis_decoded_letter_is_no_copyright_sign() {
        let lex = Lexicon::builtin().unwrap();
        // (text, expected output)
        let cases = [
            (
                "La tension est montée en décembre, lorsque le premier candidat Clarã ©, Guillaume Soro, a été accusé. Le vote a eu lieu.",
                "La tension est montée en décembre, lorsque le premier candidat Clarã ©, Guillaume Soro, a été accusé. Le vote a eu lieu.",
            ),
            (
                "O presidente da cÃ©mara falou; ningué©; disse. O voto foi adiado.",
                "O presidente da cÃ©mara falou; ningué©; disse. O voto foi adiado.",
            ),
            (
                "Le vote a eu lieu.\n\n© 2024 Le Courrier du Sud",
                "Le vote a eu lieu.",
            ),
            (
                "Die Abstimmung fand statt. © picture alliance / Foto: Max Muster\n\nEnde.",
                "Die Abstimmung fand statt.\n\nEnde.",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(clean(&lex, text).0, want, "{text}");
        }
    }

    #[test]
    fn a_call_to_action_leaves_the_next_sentences_opening_quote() {
        let lex = lexicon("teaser\tbefore\tLeggi di più\nteaser\tbefore\tRead more\n");
        // (text, expected output)
        let cases = [
            (
                "Il re è tornato. Leggi di più \"Non è finita\", ha detto.",
                "Il re è tornato. \"Non è finita\", ha detto.",
            ),
            (
                "Prices rose. \"Rail Strike Ends\" Read more \"We are pleased\", he said.",
                "Prices rose. \"We are pleased\", he said.",
            ),
            // The call's own closing punctuation still goes.
            (
                "Prices rose. \"Rail Strike Ends\" Read more.\" The end.",
                "Prices rose. The end.",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(clean(&lex, text).0, want, "{text}");
        }
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
        let (out, cut) = clean(&lex, &format!("{body}相关阅读：新的标题\n\n版权所有。"));
        assert_eq!(out, body);
        assert_eq!(cut.len(), 2);
    }

    #[test]
    fn builtin_lexicon_loads() {
        let lex = Lexicon::builtin().unwrap();
        assert!(lex.languages().contains(&"en"), "{:?}", lex.languages());
    }

    /// The sentence around a match, within its paragraph, however long;
    /// a headline glued on without punctuation is part of it.
    #[test]
    fn sentence_at_takes_the_whole_sentence() {
        // (text, phrase, sentence)
        let long = format!("We use cookies{}.", " and more words".repeat(40));
        let cases = [
            (
                "First one. Headline We use cookies here. Last one.",
                "We use",
                "Headline We use cookies here.",
            ),
            (
                "Title\n\nWe use cookies. Next.",
                "We use",
                "We use cookies.",
            ),
            (
                "Nous utilisons des cookies",
                "utilisons",
                "Nous utilisons des cookies",
            ),
            ("接受并关闭。新闻正文", "接受", "接受并关闭。"),
            (long.as_str(), "We use", long.as_str()),
        ];
        for (text, phrase, want) in cases {
            let at = text.find(phrase).unwrap();
            let r = sentence_at(text, at..at + phrase.len());
            assert_eq!(&text[r], want, "{text}");
        }
    }

    /// Every language that has wall notices (consent banners, bot checks,
    /// registration forms) has at least two of them.
    #[test]
    fn wall_phrases_in_many_languages() {
        let lex = Lexicon::builtin().unwrap();
        for lang in [
            "en", "de", "fr", "es", "it", "pl", "ru", "tr", "ar", "zh", "pt", "nl", "uk",
        ] {
            let n = lex
                .patterns()
                .iter()
                .filter(|p| p.lang == lang && p.is_wall())
                .count();
            assert!(n >= 2, "{lang}: {n} wall phrases");
        }
    }
}
