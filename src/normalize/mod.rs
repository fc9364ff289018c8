//! Normalize: clean Unicode text for output, and match keys for comparing.
//!
//! Two products, with different jobs:
//!
//! - **Output text** ([`Normalizer::clean`]) is what an analyst reads: NFC,
//!   with invisible characters removed (soft hyphens, zero-width spaces,
//!   stray BOMs, bidi controls, C0/C1 controls), whitespace runs collapsed,
//!   no space before a closing bracket or comma ("AKP )" → "AKP)"), and one
//!   quote and dash style ([`PunctStyle`]). No-break spaces become plain
//!   spaces except where French typography wants them: before `; : ! ? »`
//!   and after `«`, where they are kept as they are. Paragraphs stay
//!   separated by one blank line. `clean` is idempotent.
//! - **Match keys** ([`match_key`], [`Keyed`]) are what shingling and the
//!   lexicons compare: NFKC (full-width ＣＯＰ２９ → cop29), full case folding
//!   (ß → ss, final ς → σ, Turkish İ/ı → i), diacritics stripped (Erdoğan →
//!   erdogan), Arabic letter variants unified (أ إ آ ٱ → ا, ى → ي, ة → ه,
//!   tashkil and tatweel dropped), Hebrew niqqud dropped. Digits are kept:
//!   COP28 and COP29 stay apart. A key never goes back into output text.
//!
//! Keys are built character by character so that every key byte knows the
//! byte of the text it came from ([`Keyed::span`]); that lets a lexicon hit
//! on the key remove the right span of the original text.
//!
//! **Mixed-script confusables.** A word that mixes Latin letters with
//! Cyrillic or Greek look-alikes ("Тurkey" with a Cyrillic Т) is written in
//! one script, in keys and in output text alike ([`confusables`]). `clean`
//! reports each repair ([`CleanReport`]) so the run can flag the document
//! and list the repair in `variants.csv`.
//!
//! Submodules: [`aliases`] (the shipped and user name tables and their
//! matcher) and [`variants`] (name spellings counted over the corpus, the
//! learned variants, and applying all of it to a document).

pub mod aliases;
pub(crate) mod chars;
pub(crate) mod confusables;
pub mod variants;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

use confusables::ScriptCounts;

/// How quotes and dashes are written in output text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PunctStyle {
    /// ASCII: curly quotes become `"` and `'`, every dash and hyphen `-`.
    #[default]
    Straight,
    /// Typographic: straight quotes become curly by position (“ ” ‘ ’),
    /// apostrophes inside words become ’. Dashes are left as they are.
    Curly,
    /// Leave quotes and dashes as they are.
    Keep,
}

/// Options for output-text normalization.
#[derive(Debug, Clone, Default)]
pub struct NormalizeConfig {
    pub punct: PunctStyle,
}

/// Cleans output text. Cheap to share across threads.
#[derive(Debug, Clone, Default)]
pub struct Normalizer {
    config: NormalizeConfig,
}

impl Normalizer {
    pub fn new(config: NormalizeConfig) -> Normalizer {
        Normalizer { config }
    }

    /// The quote and dash style this normalizer writes.
    pub fn punct(&self) -> PunctStyle {
        self.config.punct
    }

    /// Clean text for output. See the module docs for what changes.
    pub fn clean(&self, text: &str) -> String {
        self.clean_report(text, &mut CleanReport::default())
    }

    /// [`clean`](Self::clean), and add what it repaired to `report`.
    pub fn clean_report(&self, text: &str, report: &mut CleanReport) -> String {
        let check = nfc_check(text);
        let nfc: std::borrow::Cow<str> = if check != NfcCheck::No {
            text.into()
        } else {
            text.nfc().collect::<String>().into()
        };
        let mut out = String::with_capacity(nfc.len());
        for para in split_paragraphs(&nfc) {
            let start = out.len();
            if start > 0 {
                out.push_str("\n\n");
            }
            let body_start = out.len();
            clean_paragraph(para, self.config.punct, &mut out, report);
            if out.len() == body_start {
                out.truncate(start);
            }
        }
        // Removing an invisible character can leave combining marks out of
        // canonical order or newly composable ("\u{301}\r\u{64B}",
        // "e\u{200B}\u{301}"): compose again, so that the output is NFC and
        // `clean` idempotent. Safe starters alone stay NFC (see
        // [`nfc_check`]).
        if check != NfcCheck::Safe && !is_nfc(&out) {
            out = out.nfc().collect();
        }
        out
    }
}

/// What [`Normalizer::clean_report`] repaired beyond invisible characters
/// and spacing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanReport {
    /// Mixed-script words written in one script: (as found, as written).
    pub confusables: Vec<(String, String)>,
}

/// True when the NFC quick check says `text` is NFC (`Yes`; `Maybe` and
/// `No` are false), the same answer as `is_nfc_quick(text.chars()) == Yes`.
///
/// Most text is made of starters whose quick check is Yes (ASCII, Latin
/// letters with precomposed diacritics, Cyrillic, Arabic letters, Han); the
/// quick check learns nothing from them but has to look each one up in two
/// tables. They are skipped with one lookup in [`chars::class`], and the
/// quick check runs from the first other character on: after a safe starter
/// its state (last combining class 0, result Yes) is the one it starts in,
/// so the answer is the same.
pub(crate) fn is_nfc(text: &str) -> bool {
    nfc_check(text) != NfcCheck::No
}

/// What [`nfc_check`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NfcCheck {
    /// Only safe starters ([`chars::NFC_SAFE`], ASCII among them): NFC,
    /// and so is any text made of such characters alone.
    Safe,
    /// NFC by the quick check, with other characters too.
    Yes,
    /// Not NFC by the quick check (`No` or `Maybe`).
    No,
}

/// [`is_nfc`], telling apart a text of safe starters alone.
///
/// Why: [`Normalizer::clean_report`] checks its output again, because
/// removing a character can bring a mark next to a letter it composes
/// with. A text of safe starters has no mark to bring anywhere, and what
/// cleaning writes in its place (a space, straight or curly quotes, a
/// hyphen, a look-alike letter) is a safe starter too (a unit test checks
/// each), so its output needs no second look.
pub(crate) fn nfc_check(text: &str) -> NfcCheck {
    let bytes = text.as_bytes();
    let classes = chars::bmp_classes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Runs of ASCII are skipped without decoding, many bytes at a time.
        if b < 0x80 {
            i += ascii_run(&bytes[i..]);
            continue;
        }
        // Characters of the Basic Multilingual Plane (two or three bytes;
        // `text` is valid UTF-8) are decoded here, for one table lookup.
        let (code, len) = match (b, bytes.get(i + 1), bytes.get(i + 2)) {
            (0xC0..=0xDF, Some(&b1), _) => {
                ((usize::from(b & 0x1F) << 6) | usize::from(b1 & 0x3F), 2)
            }
            (0xE0..=0xEF, Some(&b1), Some(&b2)) => (
                (usize::from(b & 0x0F) << 12)
                    | (usize::from(b1 & 0x3F) << 6)
                    | usize::from(b2 & 0x3F),
                3,
            ),
            _ => (usize::MAX, 0),
        };
        if classes.get(code).is_some_and(|&k| k & chars::NFC_SAFE != 0) {
            i += len;
            continue;
        }
        return if is_nfc_quick(text[i..].chars()) == unicode_normalization::IsNormalized::Yes {
            NfcCheck::Yes
        } else {
            NfcCheck::No
        };
    }
    NfcCheck::Safe
}

/// Bytes of ASCII at the start of `bytes`, counted by `encoding_rs` many
/// at a time (a text in a Latin script is mostly ASCII: runs of tens of
/// bytes between accented letters, and whole texts in English).
#[inline]
pub(crate) fn ascii_run(bytes: &[u8]) -> usize {
    encoding_rs::Encoding::ascii_valid_up_to(bytes)
}

/// Paragraphs are separated by a line that is empty or only whitespace.
fn split_paragraphs(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut search = 0;
        while let Some(nl) = rest[search..].find('\n') {
            let at = search + nl;
            let after = &rest[at + 1..];
            let line_end = after.find('\n');
            let next_line = line_end.map_or(after, |e| &after[..e]);
            if next_line.trim().is_empty() && line_end.is_some() {
                let para = &rest[..at];
                // Skip the blank line(s).
                let mut skip = at + 1;
                while let Some(e) = rest[skip..].find('\n') {
                    if rest[skip..skip + e].trim().is_empty() {
                        skip += e + 1;
                    } else {
                        break;
                    }
                }
                rest = &rest[skip..];
                return Some(para);
            }
            search = at + 1;
        }
        let para = rest;
        rest = "";
        Some(para)
    })
}

/// True for characters of scripts written without spaces between words.
#[inline]
pub fn is_unspaced_script(c: char) -> bool {
    // Everything below Thai (ASCII, Latin, Greek, Cyrillic, Arabic, Hebrew,
    // Indic scripts) answers with one comparison.
    c >= '\u{0E00}' && unspaced_range(c)
}

#[inline]
fn unspaced_range(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{0E00}'..='\u{0EFF}' // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}') // Khmer
}

/// Characters removed from output text: invisible format characters that
/// scrapers leave behind and that break matching and counting.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}'            // soft hyphen
        | '\u{180E}'          // Mongolian vowel separator (old zero-width space)
        | '\u{200B}'          // zero-width space
        | '\u{2060}'          // word joiner
        | '\u{FEFF}'          // BOM / zero-width no-break space in mid-text
        | '\u{200E}' | '\u{200F}' // LRM, RLM
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{FFFE}' | '\u{FFFF}')
        // ZWNJ and ZWJ (U+200C, U+200D) are kept: Persian, Indic scripts and
        // emoji sequences need them.
        || (c.is_control() && c != '\n' && c != '\t')
}

fn is_closing(c: char) -> bool {
    matches!(c, ')' | ']' | '}')
}

fn is_opening(c: char) -> bool {
    matches!(c, '(' | '[' | '{')
}

/// French typography puts a no-break space before these and after `«`.
fn wants_nbsp_before(c: char) -> bool {
    matches!(c, ';' | ':' | '!' | '?' | '»' | '›')
}

/// True for characters that make up words: letters, digits and combining
/// marks.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        chars::class(c) & chars::WORD != 0
    }
}

/// The word being written at the end of `out`, for the confusables check.
#[derive(Default)]
struct WordTracker {
    start: Option<usize>,
    scripts: ScriptCounts,
}

impl WordTracker {
    #[inline]
    fn push(&mut self, c: char, at: usize) {
        if is_word_char(c) {
            if self.start.is_none() {
                self.start = Some(at);
                self.scripts = ScriptCounts::default();
            }
            self.scripts.note(c);
        } else {
            self.start = None;
        }
    }

    /// [`push`](Self::push) for a character known to be a word character.
    #[inline]
    fn push_word_char(&mut self, c: char, at: usize) {
        if self.start.is_none() {
            self.start = Some(at);
            self.scripts = ScriptCounts::default();
        }
        self.scripts.note(c);
    }

    /// The rest of an ASCII word already begun with `push`: `run` is ASCII
    /// letters and digits, written right after the word's first character.
    /// The same as pushing each of its characters.
    #[inline]
    fn extend_ascii(&mut self, run: &[u8]) {
        self.scripts.note_ascii(run);
    }

    /// The word ended: repair it in place if it is a confusable mix.
    fn end(&mut self, out: &mut String, report: &mut CleanReport) {
        if let Some(start) = self.start.take() {
            if self.scripts.is_mixed() {
                if let Some(fixed) = confusables::repair_word(&out[start..]) {
                    report
                        .confusables
                        .push((out[start..].to_owned(), fixed.clone()));
                    out.truncate(start);
                    out.push_str(&fixed);
                }
            }
        }
    }
}

fn clean_paragraph(para: &str, punct: PunctStyle, out: &mut String, report: &mut CleanReport) {
    // `pending` holds whitespace seen but not yet written: ' ' or a no-break
    // space, so a run collapses to one and trailing space is dropped.
    let mut pending: Option<char> = None;
    // The last character written to this paragraph.
    let mut prev: Option<char> = None;
    let mut word = WordTracker::default();
    // Invisible characters go first, so that look-ahead sees the next
    // visible character (else "e .\0" keeps its space and a second pass
    // removes it: not idempotent).
    let mut chars = Visible { rest: para };
    while let Some(c) = chars.next() {
        // Most characters are ASCII letters and digits inside a word: the
        // rest of such a run is copied in one go.
        if c.is_ascii_alphanumeric() && pending.is_none() {
            word.push(c, out.len());
            out.push(c);
            let run = chars.take_ascii_alphanumeric();
            word.extend_ascii(run.as_bytes());
            out.push_str(run);
            prev = Some(run.as_bytes().last().map_or(c, |&b| char::from(b)));
            continue;
        }
        // Other letters, digits and marks inside a word: no space to
        // write, and no quote or dash to restyle.
        if !c.is_ascii() && pending.is_none() && is_word_char(c) {
            word.push_word_char(c, out.len());
            out.push(c);
            prev = Some(c);
            continue;
        }
        if !is_word_char(c) {
            word.end(out, report);
        }
        if c.is_whitespace() {
            let nb = matches!(c, '\u{00A0}' | '\u{202F}' | '\u{2007}');
            let next = chars.peek();
            let keep_nb =
                nb && (next.is_some_and(wants_nbsp_before) || matches!(prev, Some('«' | '‹')));
            pending = match pending {
                Some(p) if p != ' ' => Some(p),
                _ if keep_nb => Some(c),
                _ => Some(' '),
            };
            continue;
        }
        if let Some(space) = pending.take() {
            let drop = prev.is_none()
                || is_closing(c)
                || prev.is_some_and(is_opening)
                || (matches!(c, ',' | '.') && chars.peek().is_none_or(|n| n.is_whitespace()));
            if !drop {
                out.push(space);
                prev = Some(space);
            }
        }
        let c = match punct {
            PunctStyle::Keep => c,
            PunctStyle::Straight => straighten(c),
            PunctStyle::Curly => curl(c, prev, chars.peek()),
        };
        word.push(c, out.len());
        out.push(c);
        prev = Some(c);
    }
    word.end(out, report);
}

/// The characters of a paragraph without its invisible ones (see
/// [`is_invisible`]), with a look at the next one and a shortcut over runs
/// of ASCII letters and digits.
struct Visible<'a> {
    rest: &'a str,
}

impl<'a> Visible<'a> {
    #[inline]
    fn next(&mut self) -> Option<char> {
        loop {
            // ASCII is judged without decoding: only C0 controls but tab
            // and line feed, and DEL, are invisible there.
            let &b = self.rest.as_bytes().first()?;
            if b < 0x80 {
                self.rest = &self.rest[1..];
                if (b >= 0x20 && b != 0x7F) || b == b'\n' || b == b'\t' {
                    return Some(char::from(b));
                }
                continue;
            }
            let c = self.rest.chars().next()?;
            self.rest = &self.rest[c.len_utf8()..];
            if !is_invisible(c) {
                return Some(c);
            }
        }
    }

    /// The next visible character, without taking it.
    #[inline]
    fn peek(&self) -> Option<char> {
        self.rest.chars().find(|&c| !is_invisible(c))
    }

    /// Take the ASCII letters and digits that come next (none of them is
    /// invisible).
    #[inline]
    fn take_ascii_alphanumeric(&mut self) -> &'a str {
        let n = self
            .rest
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(self.rest.len());
        let (run, rest) = self.rest.split_at(n);
        self.rest = rest;
        run
    }
}

fn straighten(c: char) -> char {
    match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{301D}'
        | '\u{301E}' | '\u{FF02}' => '"',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{FF07}' => '\'',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        _ => c,
    }
}

fn curl(c: char, prev: Option<char>, next: Option<char>) -> char {
    let opens = prev.is_none_or(|p| {
        p.is_whitespace() || is_opening(p) || matches!(p, '"' | '“' | '‘' | '«' | '—' | '–')
    });
    match straighten(c) {
        '"' if c == '"' || c == '\u{FF02}' => {
            if opens {
                '“'
            } else {
                '”'
            }
        }
        '\'' if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{FF07}') => {
            let in_word =
                prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric);
            if in_word || !opens { '’' } else { '‘' }
        }
        _ => c,
    }
}

/// A match key with, for each key byte, the byte of the text it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keyed {
    pub key: String,
    /// `origin[i]` is the text byte offset of the character that produced key
    /// byte `i`; one extra entry at the end holds the text's length.
    origin: Vec<u32>,
    /// Byte length of the text, so spans can be closed.
    text_len: u32,
}

impl Keyed {
    /// Build the key of `text`, remembering where each key byte came from.
    /// `text` should be NFC (as [`Normalizer::clean`] makes it): offsets refer
    /// to its own characters, so it is not composed first.
    pub fn new(text: &str) -> Keyed {
        let mut keyed = Keyed::default();
        keyed.rebuild(text);
        keyed
    }

    /// Make this the key of `text`, reusing the buffers.
    pub fn rebuild(&mut self, text: &str) {
        self.key.clear();
        self.origin.clear();
        self.key.reserve(text.len());
        self.origin.reserve(text.len() + 1);
        build_key(text, &mut self.key, Some(&mut self.origin));
        self.text_len = text.len() as u32;
    }

    /// The text byte range covered by key bytes `start..end`: from the first
    /// contributing character to the end of the last one.
    pub fn span(&self, text: &str, start: usize, end: usize) -> std::ops::Range<usize> {
        let from = self.origin[start] as usize;
        if end == 0 {
            return from..from;
        }
        let last = self.origin[end - 1] as usize;
        let last_len = text[last..].chars().next().map_or(0, char::len_utf8);
        from..(last + last_len).min(self.text_len as usize)
    }

    /// True when key bytes `start..end` cover whole text characters: a match
    /// that starts inside the key of one character ("ss" of "ß") is not a
    /// match of the text.
    pub fn is_char_aligned(&self, start: usize, end: usize) -> bool {
        let o = &self.origin;
        (start == 0 || o[start - 1] != o[start]) && (end >= self.key.len() || o[end] != o[end - 1])
    }

    /// The key byte offset where text byte `offset` starts (or the next one).
    pub fn key_offset(&self, offset: usize) -> usize {
        self.origin.partition_point(|&o| (o as usize) < offset)
    }
}

/// The match key of `text`. See the module docs.
pub fn match_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    match_key_into(text, &mut key);
    key
}

/// Append the match key of `text` to `key` (reuses the caller's buffer).
///
/// Text that is not NFC (Hangul or kana in NFD, say) is composed first, so
/// NFC and NFD spellings of one text share a key.
pub fn match_key_into(text: &str, key: &mut String) {
    if is_nfc(text) {
        build_key(text, key, None);
    } else {
        let nfc: String = text.nfc().collect();
        build_key(&nfc, key, None);
    }
}

/// Append the key of `text` to `key`, and to `origin` the text offset of each
/// key byte plus a final entry for the text's end. Words that mix scripts
/// with look-alikes are keyed in their own script (see [`confusables`]).
fn build_key(text: &str, key: &mut String, mut origin: Option<&mut Vec<u32>>) {
    key.reserve(text.len());
    if let Some(o) = origin.as_deref_mut() {
        o.reserve(text.len() + 1);
    }
    let bytes = text.as_bytes();
    // The current word: where it starts in the text and in the key.
    let mut word: Option<(usize, usize)> = None;
    let mut scripts = ScriptCounts::default();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at].is_ascii() {
            // A run of ASCII, most of any text in a Latin script: its key is
            // itself in lower case, one key byte per text byte, copied in
            // one go. Only the word boundaries are looked at byte by byte.
            let start = at;
            let end = start + ascii_run(&bytes[start..]);
            push_ascii_run(text, start..end, key, origin.as_deref_mut());
            // Words wholly inside the run are ASCII: never a script mix.
            // Only a word reaching into the run from before it, and the
            // word the run ends in, are tracked.
            let mut p = start;
            if word.is_some() {
                while p < end && in_ascii_word(bytes[p]) {
                    scripts.note(bytes[p] as char);
                    p += 1;
                }
                if p < end {
                    if let Some((text_start, key_start)) = word.take() {
                        if scripts.is_mixed() {
                            // Rekey the word, then key the rest of the run
                            // again after it (the run is the key's tail:
                            // byte q is keyed at `key.len() - (end - q)`).
                            let cut = key.len() - (end - p);
                            key.truncate(cut);
                            if let Some(o) = origin.as_deref_mut() {
                                o.truncate(cut);
                            }
                            rekey_word(text, text_start..p, key_start, key, origin.as_deref_mut());
                            push_ascii_run(text, p..end, key, origin.as_deref_mut());
                        }
                    }
                }
            }
            if p < end {
                let tail = bytes[p..end]
                    .iter()
                    .rposition(|&b| !in_ascii_word(b))
                    .map_or(p, |n| p + n + 1);
                if let Some(first) = (tail..end).find(|&q| bytes[q].is_ascii_alphanumeric()) {
                    word = Some((first, key.len() - (end - first)));
                    scripts = ScriptCounts::default();
                    bytes[first..end]
                        .iter()
                        .for_each(|&b| scripts.note(b as char));
                }
            }
            at = end;
            continue;
        }
        let offset = at;
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        if is_word_char(c) {
            if word.is_none() {
                word = Some((offset, key.len()));
                scripts = ScriptCounts::default();
            }
            scripts.note(c);
        } else if !is_invisible(c) {
            if let Some((text_start, key_start)) = word.take() {
                if scripts.is_mixed() {
                    rekey_word(
                        text,
                        text_start..offset,
                        key_start,
                        key,
                        origin.as_deref_mut(),
                    );
                }
            }
        }
        let before = key.len();
        push_key_char(c, key);
        if let Some(o) = origin.as_deref_mut() {
            o.resize(o.len() + (key.len() - before), offset as u32);
        }
    }
    if let Some((text_start, key_start)) = word {
        if scripts.is_mixed() {
            rekey_word(
                text,
                text_start..text.len(),
                key_start,
                key,
                origin.as_deref_mut(),
            );
        }
    }
    if let Some(o) = origin {
        o.push(text.len() as u32);
    }
}

/// An ASCII byte that neither ends nor starts a word in [`build_key`]: a
/// letter or digit, or a control character (invisible, see
/// [`is_invisible`]), which does not end one.
#[inline]
fn in_ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || (b.is_ascii_control() && b != b'\n' && b != b'\t')
}

/// Append the key of the ASCII text `text[range]` (itself in lower case)
/// to `key`, and each byte's text offset to `origin`.
#[inline]
fn push_ascii_run(
    text: &str,
    range: std::ops::Range<usize>,
    key: &mut String,
    origin: Option<&mut Vec<u32>>,
) {
    let from = key.len();
    key.push_str(&text[range.clone()]);
    key[from..].make_ascii_lowercase();
    if let Some(o) = origin {
        o.extend(range.start as u32..range.end as u32);
    }
}

/// [`clean_paragraph`] one character at a time, before runs of ASCII
/// letters and digits were copied whole: the reference the fast path is
/// tested against.
#[cfg(test)]
fn clean_paragraph_per_char(
    para: &str,
    punct: PunctStyle,
    out: &mut String,
    report: &mut CleanReport,
) {
    // `pending` holds whitespace seen but not yet written: ' ' or a no-break
    // space, so a run collapses to one and trailing space is dropped.
    let mut pending: Option<char> = None;
    // The last character written to this paragraph.
    let mut prev: Option<char> = None;
    let mut word = WordTracker::default();
    // Invisible characters go first, so that look-ahead sees the next
    // visible character (else "e .\0" keeps its space and a second pass
    // removes it: not idempotent).
    let mut chars = para
        .chars()
        .filter(|&c| !is_invisible(c) || c == '\t')
        .peekable();
    while let Some(c) = chars.next() {
        // Most characters are ASCII letters and digits inside a word.
        if c.is_ascii_alphanumeric() && pending.is_none() {
            word.push(c, out.len());
            out.push(c);
            prev = Some(c);
            continue;
        }
        if !is_word_char(c) {
            word.end(out, report);
        }
        if c.is_whitespace() {
            let nb = matches!(c, '\u{00A0}' | '\u{202F}' | '\u{2007}');
            let next = chars.peek().copied();
            let keep_nb =
                nb && (next.is_some_and(wants_nbsp_before) || matches!(prev, Some('«' | '‹')));
            pending = match pending {
                Some(p) if p != ' ' => Some(p),
                _ if keep_nb => Some(c),
                _ => Some(' '),
            };
            continue;
        }
        if let Some(space) = pending.take() {
            let drop = prev.is_none()
                || is_closing(c)
                || prev.is_some_and(is_opening)
                || (matches!(c, ',' | '.') && chars.peek().is_none_or(|n| n.is_whitespace()));
            if !drop {
                out.push(space);
                prev = Some(space);
            }
        }
        let c = match punct {
            PunctStyle::Keep => c,
            PunctStyle::Straight => straighten(c),
            PunctStyle::Curly => curl(c, prev, chars.peek().copied()),
        };
        word.push(c, out.len());
        out.push(c);
        prev = Some(c);
    }
    word.end(out, report);
}

/// The key as [`build_key`] built it one character at a time, before its
/// ASCII runs were copied whole: the reference the fast path is tested
/// against.
#[cfg(test)]
fn build_key_per_char(text: &str, key: &mut String, mut origin: Option<&mut Vec<u32>>) {
    // The current word: where it starts in the text and in the key.
    let mut word: Option<(usize, usize)> = None;
    let mut scripts = ScriptCounts::default();
    for (offset, c) in text.char_indices() {
        if c.is_ascii_alphanumeric() {
            // The common case, kept short.
            if word.is_none() {
                word = Some((offset, key.len()));
                scripts = ScriptCounts::default();
            }
            scripts.note(c);
            key.push(c.to_ascii_lowercase());
            if let Some(o) = origin.as_deref_mut() {
                o.push(offset as u32);
            }
            continue;
        }
        if is_word_char(c) {
            if word.is_none() {
                word = Some((offset, key.len()));
                scripts = ScriptCounts::default();
            }
            scripts.note(c);
        } else if !is_invisible(c) {
            if let Some((text_start, key_start)) = word.take() {
                if scripts.is_mixed() {
                    rekey_word(
                        text,
                        text_start..offset,
                        key_start,
                        key,
                        origin.as_deref_mut(),
                    );
                }
            }
        }
        let before = key.len();
        push_key_char(c, key);
        if let Some(o) = origin.as_deref_mut() {
            o.resize(o.len() + (key.len() - before), offset as u32);
        }
    }
    if let Some((text_start, key_start)) = word {
        if scripts.is_mixed() {
            rekey_word(
                text,
                text_start..text.len(),
                key_start,
                key,
                origin.as_deref_mut(),
            );
        }
    }
    if let Some(o) = origin {
        o.push(text.len() as u32);
    }
}

/// Key the word `text[range]` again with its look-alikes in the word's own
/// script, replacing what `key[key_start..]` holds for it.
fn rekey_word(
    text: &str,
    range: std::ops::Range<usize>,
    key_start: usize,
    key: &mut String,
    mut origin: Option<&mut Vec<u32>>,
) {
    let word = &text[range.clone()];
    let Some(target) = confusables::repair_target(word) else {
        return;
    };
    key.truncate(key_start);
    if let Some(o) = origin.as_deref_mut() {
        o.truncate(key_start);
    }
    for (i, c) in word.char_indices() {
        let before = key.len();
        push_key_char(confusables::to_script(c, target), key);
        if let Some(o) = origin.as_deref_mut() {
            o.resize(o.len() + (key.len() - before), (range.start + i) as u32);
        }
    }
}

/// Append the key of one character to `key`.
#[inline]
pub(crate) fn push_key_char(c: char, key: &mut String) {
    if c.is_ascii() {
        key.push(c.to_ascii_lowercase());
        return;
    }
    if ('\u{3400}'..='\u{9FFF}').contains(&c) || ('\u{AC00}'..='\u{D7A3}').contains(&c) {
        // Han and Hangul syllables have no case, marks or compatibility
        // forms: their key is themselves.
        key.push(c);
        return;
    }
    match chars::fast_key(c) {
        Some(Some(k)) => key.push(k),
        Some(None) => {}
        None => push_key_char_slow(c, key),
    }
}

/// [`push_key_char`] without the tables (which are built from it).
fn push_key_char_slow(c: char, key: &mut String) {
    if c.is_ascii() {
        key.push(c.to_ascii_lowercase());
        return;
    }
    if is_invisible(c) {
        return;
    }
    if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
        // Hangul syllables: NFKD would split them into jamo; keep them whole.
        key.push(c);
        return;
    }
    for k in std::iter::once(c).nfkc() {
        if k.is_ascii() {
            key.push(k.to_ascii_lowercase());
            continue;
        }
        if let Some(folded) = fold_special(k) {
            key.push_str(folded);
            continue;
        }
        for lower in k.to_lowercase() {
            if strips_marks(lower) {
                for base in std::iter::once(lower).nfd() {
                    if !is_strippable_mark(base) {
                        push_letter(base, key);
                    }
                }
            } else if !is_strippable_mark(lower) {
                push_letter(lower, key);
            }
        }
    }
}

/// Letters whose key is not their lowercase form.
fn fold_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'ı' => "i",
        'ς' => "σ",
        'ſ' => "s",
        'ﬅ' | 'ﬆ' => "st",
        '\u{00A0}' | '\u{202F}' | '\u{2007}' | '\u{3000}' => " ",
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        // Hebrew geresh and gershayim, typed as ASCII quotes as often as not.
        '\u{05F3}' => "'",
        '\u{05F4}' => "\"",
        // Arabic letter variants.
        'أ' | 'إ' | 'آ' | 'ٱ' => "ا",
        'ى' | 'ی' => "ي",
        'ة' => "ه",
        'ک' => "ك",
        'ـ' => "",
        _ => return None,
    })
}

#[inline]
fn push_letter(c: char, key: &mut String) {
    match fold_special(c) {
        Some(s) => key.push_str(s),
        None => key.push(c),
    }
}

/// Scripts whose diacritics are dropped in keys: Latin, Greek, Cyrillic.
fn strips_marks(c: char) -> bool {
    // й is a letter of its own in Russian and Ukrainian, not и with a breve.
    c != 'й'
        && matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' | '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' | '\u{0400}'..='\u{04FF}')
}

/// Combining marks dropped in keys: general diacritics, Cyrillic titlos,
/// Hebrew points and cantillation, Arabic tashkil. Marks of Indic, Thai and
/// kana scripts are letters' parts there and are kept.
fn is_strippable_mark(c: char) -> bool {
    is_combining_mark(c)
        && matches!(c,
            '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05C7}'
            | '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key and origins of `text` from the fast path and from the
    /// per-character reference.
    fn both_keys(text: &str) -> ((String, Vec<u32>), (String, Vec<u32>)) {
        let (mut fast, mut fast_origin) = (String::new(), Vec::new());
        build_key(text, &mut fast, Some(&mut fast_origin));
        let (mut slow, mut slow_origin) = (String::new(), Vec::new());
        build_key_per_char(text, &mut slow, Some(&mut slow_origin));
        ((fast, fast_origin), (slow, slow_origin))
    }

    #[test]
    fn ascii_runs_key_as_the_per_character_reference() {
        // (what, text): word edges at run edges, look-alike words that end
        // inside an ASCII run (rekeyed there), controls inside words.
        let cases = [
            ("plain", "The AKP ) said on Monday, 3.5% of U.S. votes."),
            ("empty", ""),
            (
                "latin",
                "Erdoğan met Zelensky in Kyiv; Türkiye's COP29 bid.",
            ),
            ("cyrillic a in latin", "P\u{430}ris is big, and Berlin too"),
            ("latin o in cyrillic", "Мoсква, 2024: Киев"),
            ("mixed word at end", "visit Lond\u{43E}n"),
            ("mixed word then ascii", "Lond\u{43E}n, Paris and Rome"),
            ("greek omicron", "G\u{3BF}\u{3BF}gle and Apple"),
            ("two mixed words", "P\u{430}ris P\u{430}ris."),
            ("control inside word", "Ber\u{7}lin is a city"),
            ("soft hyphen", "Bundes\u{AD}regierung tagt"),
            ("nfd", "Erdog\u{306}an"),
            ("han and ascii", "北京2024年COP29会议"),
            ("arabic", "قال أردوغان (Erdogan) اليوم"),
            ("newlines", "Line one.\nLine\ttwo.\r\n"),
        ];
        for (what, text) in cases {
            let (fast, slow) = both_keys(text);
            assert_eq!(fast, slow, "{what}: {text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_runs_key_as_the_reference_on_any_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "B", "z", "0", "7", " ", ".", ")", "\u{7}", "\n", "-",
                    "\u{430}", "\u{43E}", "\u{41C}", "\u{3BF}", "ğ", "é", "e\u{301}",
                    "\u{AD}", "\u{200B}", "北", "ا", "ß", "İ", "ﬁ", "\u{FF21}",
                ]),
                0..40,
            )
        ) {
            let text: String = parts.concat();
            let (fast, slow) = both_keys(&text);
            proptest::prop_assert_eq!(fast, slow, "{:?}", text);
        }
    }

    /// Paragraphs cleaned with the ASCII shortcut and one character at a
    /// time, in every punctuation style.
    fn both_cleans(text: &str) -> Vec<(String, CleanReport, String, CleanReport)> {
        [PunctStyle::Straight, PunctStyle::Curly, PunctStyle::Keep]
            .into_iter()
            .map(|punct| {
                let (mut fast, mut fast_report) = (String::new(), CleanReport::default());
                clean_paragraph(text, punct, &mut fast, &mut fast_report);
                let (mut slow, mut slow_report) = (String::new(), CleanReport::default());
                clean_paragraph_per_char(text, punct, &mut slow, &mut slow_report);
                (fast, fast_report, slow, slow_report)
            })
            .collect()
    }

    #[test]
    fn visible_characters_are_the_ones_not_invisible() {
        // Every ASCII character, and others of many scripts and kinds.
        let mut chars: Vec<char> = (0u8..0x80).map(char::from).collect();
        chars.extend([
            '\u{80}',
            '\u{85}',
            '\u{9F}',
            '\u{A0}',
            '\u{AD}',
            '\u{E9}',
            '\u{11F}',
            '\u{436}',
            '\u{3B1}',
            '\u{627}',
            '\u{5D0}',
            '\u{915}',
            '\u{180E}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{202A}',
            '\u{2066}',
            '\u{3000}',
            '\u{5317}',
            '\u{FEFF}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{1F600}',
        ]);
        for c in chars {
            let text = format!("{c}x");
            let mut visible = Visible { rest: &text };
            assert_eq!(
                visible.peek(),
                Some(c).filter(|&c| !is_invisible(c)).or(Some('x')),
                "{c:?}"
            );
            let want: Vec<char> = text.chars().filter(|&c| !is_invisible(c)).collect();
            let got: Vec<char> = std::iter::from_fn(|| visible.next()).collect();
            assert_eq!(got, want, "{c:?}");
        }
    }

    #[test]
    fn ascii_runs_clean_as_the_reference() {
        // (what, paragraph): ASCII words next to every kind of character
        // the slow path handles.
        let cases = [
            ("empty", ""),
            ("ascii prose", "The quick brown fox, 2024 (AKP ) jumps ."),
            ("spaces", "  two   spaces\there  "),
            ("confusable start", "\u{422}urkey and Erd\u{43E}gan met"),
            ("confusable end", "Moskv\u{430} 2024"),
            ("soft hyphen in word", "Tur\u{AD}key Kyi\u{200B}v"),
            ("control in word", "ab\u{7}cd\re"),
            (
                "french spaces",
                "Oui\u{A0}! \u{AB}\u{A0}Non\u{A0}\u{BB} d\u{E9}j\u{E0}",
            ),
            (
                "quotes",
                "\"Hello\" it's 'quoted' \u{201C}curly\u{201D} don\u{2019}t",
            ),
            ("dashes", "2019\u{2013}2020 \u{2014} Erdo\u{11F}an-Putin"),
            (
                "cyrillic",
                "\u{41C}\u{43E}\u{441}\u{43A}\u{432}\u{430} COP29 \u{41A}\u{438}\u{457}\u{432}",
            ),
            (
                "greek",
                "NATO \u{391}\u{3B8}\u{3AE}\u{3BD}\u{3B1} N\u{391}TO",
            ),
            ("han", "\u{5317}\u{4EAC}2024\u{5E74}COP29\u{4F1A}\u{8BAE}"),
            (
                "arabic",
                "\u{642}\u{627}\u{644} Erdogan \u{627}\u{644}\u{64A}\u{648}\u{645}",
            ),
            ("full-width", "\u{FF23}\u{FF2F}\u{FF30}29 abc"),
            ("trailing comma", "one ,two , three ."),
        ];
        for (what, text) in cases {
            for (fast, fast_report, slow, slow_report) in both_cleans(text) {
                assert_eq!(fast, slow, "{what}: {text:?}");
                assert_eq!(fast_report, slow_report, "{what}: {text:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_runs_clean_as_the_reference_on_any_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "B", "z", "0", "7", " ", ".", ",", ")", "(", "\u{7}", "\t", "-",
                    "\u{A0}", "!", "\u{AB}", "\"", "'", "\u{2019}", "\u{2014}",
                    "\u{430}", "\u{43E}", "\u{41C}", "\u{3BF}", "\u{391}", "\u{11F}", "\u{E9}",
                    "e\u{301}", "\u{AD}", "\u{200B}", "\u{5317}", "\u{627}", "\u{DF}", "\u{FF21}",
                ]),
                0..40,
            )
        ) {
            let text: String = parts.concat();
            for (fast, fast_report, slow, slow_report) in both_cleans(&text) {
                proptest::prop_assert_eq!(fast, slow, "{:?}", text);
                proptest::prop_assert_eq!(fast_report, slow_report, "{:?}", text);
            }
        }
    }

    #[test]
    fn ascii_runs_end_at_the_first_other_byte() {
        // (what, text), in many scripts, short and longer than a machine
        // word, with the first non-ASCII byte at many offsets.
        let long = "Ankara and Brussels agreed on Tuesday that ".repeat(3);
        let cases = [
            ("empty", String::new()),
            ("ascii", long.clone()),
            ("latin", format!("{long}Erdo\u{11F}an")),
            ("latin short", "Erdo\u{11F}an".to_owned()),
            ("cyrillic first", "\u{41C}oscow".to_owned()),
            (
                "han after 17",
                "COP29 summit 2024\u{4F1A}\u{8BAE}".to_owned(),
            ),
            (
                "arabic after 9",
                "Erdogan: \u{642}\u{627}\u{644}".to_owned(),
            ),
            ("mark after long", format!("{long}cafe\u{301}")),
            ("nbsp at 8", "12345678\u{A0}x".to_owned()),
            ("emoji at 7", "1234567\u{1F600}".to_owned()),
        ];
        for (what, text) in cases {
            let want = text
                .bytes()
                .position(|b| !b.is_ascii())
                .unwrap_or(text.len());
            for from in 0..=want {
                assert_eq!(
                    ascii_run(&text.as_bytes()[from..]),
                    want - from,
                    "{what} from {from}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn nfc_check_agrees_with_the_quick_check_on_any_text(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", " ", ".", "\u{E9}", "e\u{301}", "\u{301}", "\u{323}", "\u{11F}",
                    "\u{436}", "\u{3B1}\u{301}", "\u{627}", "\u{64E}", "\u{5D0}\u{5B8}",
                    "\u{915}\u{93C}", "\u{5317}", "\u{F900}", "\u{30AB}\u{3099}", "\u{1100}",
                    "\u{1161}", "\u{D55C}", "\u{212B}", "\u{2019}", "\u{FFFD}", "\u{1F600}",
                    "\u{1D165}", "\u{20000}",
                ]),
                0..30,
            )
        ) {
            let text: String = parts.concat();
            let want = is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes;
            proptest::prop_assert_eq!(is_nfc(&text), want, "{:?}", text);
            let safe = text.chars().all(|c| {
                c.is_ascii() || (c < '\u{10000}' && chars::class(c) & chars::NFC_SAFE != 0)
            });
            proptest::prop_assert_eq!(nfc_check(&text) == NfcCheck::Safe, safe, "{:?}", text);
        }
    }

    #[test]
    fn nfc_check_tells_safe_starters_apart() {
        // (what, text, check)
        let cases = [
            ("empty", "", NfcCheck::Safe),
            ("ascii", "Plain ASCII text, 2024.", NfcCheck::Safe),
            (
                "latin precomposed",
                "Erdo\u{11F}an, T\u{FC}rkiye, fa\u{E7}ade",
                NfcCheck::Safe,
            ),
            (
                "cyrillic",
                "\u{41C}\u{43E}\u{441}\u{43A}\u{432}\u{430}",
                NfcCheck::Safe,
            ),
            ("han", "\u{5317}\u{4EAC}", NfcCheck::Safe),
            ("arabic letters", "\u{642}\u{627}\u{644}", NfcCheck::Safe),
            (
                "curly quotes",
                "\u{201C}Kyiv\u{201D} \u{2018}x\u{2019}",
                NfcCheck::Safe,
            ),
            (
                "arabic tashkil",
                "\u{639}\u{64E}\u{631}\u{64E}\u{628}",
                NfcCheck::Yes,
            ),
            ("mark that cannot compose", "x\u{301}", NfcCheck::No),
            ("astral letter", "\u{20000}", NfcCheck::Yes),
            ("decomposed", "Erdog\u{306}an", NfcCheck::No),
            ("angstrom sign", "\u{212B}", NfcCheck::No),
        ];
        for (what, text, want) in cases {
            assert_eq!(nfc_check(text), want, "{what}: {text:?}");
            assert_eq!(is_nfc(text), want != NfcCheck::No, "{what}");
        }
    }

    /// What cleaning writes in place of a character is a safe starter, so
    /// a text of safe starters cleans into one (see [`nfc_check`]).
    #[test]
    fn what_cleaning_writes_is_a_safe_starter() {
        let safe = |c: char| nfc_check(c.encode_utf8(&mut [0; 4])) == NfcCheck::Safe;
        let mut written = vec![' ', '\u{A0}', '\u{202F}', '\u{2007}'];
        for c in (0u32..0x3000)
            .filter_map(char::from_u32)
            .filter(|&c| safe(c))
        {
            written.push(straighten(c));
            for around in [None, Some(' '), Some('a'), Some('(')] {
                written.push(curl(c, around, Some('a')));
                written.push(curl(c, Some('a'), around));
            }
        }
        for &(other, latin) in confusables::LOOKALIKES {
            written.extend([other, latin]);
        }
        for c in written {
            assert!(safe(c), "{c:?} U+{:04X}", c as u32);
        }
        // And so the output of cleaning text of safe starters.
        let texts = [
            "The \"quick\" fox \u{2014} it's (AKP ) here .",
            "\u{422}urkey and Erd\u{43E}gan met in Kyi\u{3BD}",
            "Oui\u{A0}! \u{AB}\u{A0}Non\u{A0}\u{BB}  d\u{E9}j\u{E0}\n\n\n second",
        ];
        for text in texts {
            assert_eq!(nfc_check(text), NfcCheck::Safe, "{text:?}");
            for punct in [PunctStyle::Straight, PunctStyle::Curly, PunctStyle::Keep] {
                let out = Normalizer::new(NormalizeConfig { punct }).clean(text);
                assert_eq!(nfc_check(&out), NfcCheck::Safe, "{punct:?}: {out:?}");
            }
        }
    }

    #[test]
    fn nfc_check_agrees_with_the_quick_check() {
        // (what, text): NFC and not, in many scripts, with the first
        // character that is not a safe starter at the start, middle and end.
        let cases = [
            ("ascii", "Plain ASCII text, 2024."),
            ("empty", ""),
            ("latin nfc", "Erdoğan, Türkiye, façade, Straße"),
            ("latin nfd", "Erdog\u{306}an"),
            ("nfd at start", "\u{301}e"),
            ("mark after ascii", "cafe\u{301}"),
            (
                "mark after a long ascii run",
                "The summit opened in Baku on Monday, said the cafe\u{301}",
            ),
            (
                "nfc after a long ascii run",
                "The summit opened in Baku on Monday, said Erdo\u{11F}an",
            ),
            ("marks out of order", "a\u{323}\u{301}b"),
            ("marks in order", "a\u{301}\u{323}b"),
            ("cyrillic", "Москва и Київ"),
            ("greek tonos", "Αθήνα"),
            ("arabic", "العربية"),
            ("arabic tashkil", "عَرَبِيّ"),
            ("hebrew niqqud", "שָׁלוֹם"),
            ("han", "中华人民共和国"),
            ("compatibility ideograph", "豈"),
            ("kana nfd", "\u{30AB}\u{3099}"),
            ("hangul jamo", "\u{1100}\u{1161}"),
            ("hangul syllable", "한국어"),
            ("devanagari", "हिन्दी"),
            ("thai", "ภาษาไทย"),
            ("emoji", "ok 👍🏽 done"),
            ("astral mark", "x\u{1D165}\u{1D16D}"),
            ("angstrom sign", "\u{212B}"),
        ];
        for (what, text) in cases {
            let want = is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes;
            assert_eq!(is_nfc(text), want, "{what}: {text:?}");
            let composed: String = text.nfc().collect();
            let want = is_nfc_quick(composed.chars()) == unicode_normalization::IsNormalized::Yes;
            assert_eq!(is_nfc(&composed), want, "{what}, composed");
        }
    }

    #[test]
    fn keys_across_languages_and_scripts() {
        // (language/script, input, key)
        let cases = [
            ("tr latin", "TÜRKİYE", "turkiye"),
            ("tr latin", "Türkiye", "turkiye"),
            ("tr latin", "turkiye", "turkiye"),
            ("tr dotless", "KIZILAY ılık", "kizilay ilik"),
            ("tr", "Erdoğan", "erdogan"),
            ("de", "Straße GROẞ", "strasse gross"),
            ("fr", "Élysée Côte d’Ivoire", "elysee cote d'ivoire"),
            ("es", "Sánchez ÑANDÚ", "sanchez nandu"),
            ("pl", "Łódź żółć", "łodz zołc"),
            ("el greek", "ΟΔΥΣΣΕΥΣ Αθήνα", "οδυσσευσ αθηνα"),
            ("ru cyrillic", "Ёлка МОСКВА", "елка москва"),
            ("uk cyrillic", "Київ", "ки\u{0456}в"),
            ("ru short i kept", "Мой край", "мой край"),
            ("ar arabic", "أحمد إلى مدرسةٌ آمنة", "احمد الي مدرسه امنه"),
            ("ar tatweel", "العـــربية", "العربيه"),
            ("he hebrew", "שָׁלוֹם", "שלום"),
            ("zh han fullwidth", "ＣＯＰ２９会议", "cop29会议"),
            ("ja kana", "ガザ地区", "ガザ地区"),
            ("ko hangul", "서울 대한민국", "서울 대한민국"),
            ("hi devanagari", "हिन्दी", "हिन्दी"),
            ("th thai", "ประเทศไทย", "ประเทศไทย"),
            ("digits", "COP28 vs COP29", "cop28 vs cop29"),
            ("ligature", "ﬁnance", "finance"),
        ];
        for (what, input, want) in cases {
            assert_eq!(match_key(input), want, "{what}: {input}");
        }
    }

    #[test]
    fn keys_are_stable_under_nfd_and_case() {
        for s in [
            "Erdoğan",
            "Türkiye",
            "Côte d’Ivoire",
            "Αθήνα",
            "Ёлка",
            "한국",
            "が",
        ] {
            let nfd: String = s.nfd().collect();
            assert_eq!(match_key(&nfd), match_key(s), "{s}");
            assert_eq!(match_key(&s.to_uppercase()), match_key(s), "{s}");
        }
    }

    #[test]
    fn clean_repairs() {
        let n = Normalizer::default();
        // (input, cleaned)
        let cases = [
            (
                "Justice Party (AKP ) in power",
                "Justice Party (AKP) in power",
            ),
            (
                "soft\u{00AD}hyphen and zero\u{200B}width",
                "softhyphen and zerowidth",
            ),
            ("too    many   spaces\there", "too many spaces here"),
            ("  leading and trailing  ", "leading and trailing"),
            ("no-break\u{00A0}space", "no-break space"),
            (
                "Quoi\u{00A0}? «\u{00A0}Oui\u{00A0}»",
                "Quoi\u{00A0}? «\u{00A0}Oui\u{00A0}»",
            ),
            (
                "“Telephone diplomacy” – it’s",
                "\"Telephone diplomacy\" - it's",
            ),
            ("costs .5 percent , he said .", "costs .5 percent, he said."),
            ("para one\n\n\n\npara two", "para one\n\npara two"),
            ("line\nbreak", "line break"),
            ("a\u{0000}b\u{0007}c", "abc"),
            ("mid\u{FEFF}text BOM", "midtext BOM"),
            ("NFD: Erdog\u{0306}an", "NFD: Erdoğan"),
            ("\n\n  \n", ""),
        ];
        for (input, want) in cases {
            assert_eq!(n.clean(input), want, "{input:?}");
        }
    }

    #[test]
    fn punct_styles() {
        let input = "He said \"it's 'fine'\" — “yes”";
        let cases = [
            (PunctStyle::Straight, "He said \"it's 'fine'\" - \"yes\""),
            (PunctStyle::Curly, "He said “it’s ‘fine’” — “yes”"),
            (PunctStyle::Keep, input),
        ];
        for (punct, want) in cases {
            let n = Normalizer::new(NormalizeConfig { punct });
            assert_eq!(n.clean(input), want, "{punct:?}");
            assert_eq!(n.clean(want), want, "{punct:?} idempotent");
        }
    }

    #[test]
    fn keyed_spans_map_back() {
        let text = "Hello ＣＯＰ２９ and Erdoğan said";
        let k = Keyed::new(text);
        assert_eq!(k.key, "hello cop29 and erdogan said");
        let at = k.key.find("erdogan").unwrap();
        let span = k.span(text, at, at + "erdogan".len());
        assert_eq!(&text[span], "Erdoğan");
        let at = k.key.find("cop29").unwrap();
        assert_eq!(&text[k.span(text, at, at + 5)], "ＣＯＰ２９");
        assert_eq!(
            k.key_offset(text.find("and").unwrap()),
            k.key.find("and").unwrap()
        );
    }
}
