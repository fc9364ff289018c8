//! Confusables: words that mix Latin letters with Cyrillic or Greek
//! look-alikes, such as "Тurkey" with a Cyrillic "Т" (U+0422).
//!
//! In: one word (a run of letters, digits and combining marks). Out: the
//! word written in one script, or `None` when it is not such a mix.
//!
//! Scraped text gets these from OCR, from keyboard layouts switched mid-word
//! and from spam that dodges filters. The word looks right on screen but
//! matches nothing: not the alias table, not a search, not a count. A word is
//! repaired when
//! - its letters come from exactly two of Latin, Cyrillic and Greek, one of
//!   them Latin, and no other script;
//! - one of the two scripts has strictly more letters (the word's script);
//! - every letter of the other script has a look-alike in the word's script
//!   (see [`LOOKALIKES`]).
//!
//! Anything else is left alone: "iPhoneом" (Cyrillic "м" has no Latin twin
//! in lower case), a tie such as "Тo", units such as "μm" (μ is not in the
//! table). The repair is letter for letter, so the word keeps its length in
//! characters and its case.
//!
//! The table is hand-written because Unicode's own data (UTS #39
//! confusables) maps characters to *prototypes* for comparing (`I` → `l`,
//! `m` → `rn`), which are not spellings. A unit test checks every pair of
//! the table against the UTS #39 skeletons of the `unicode-security` crate.

/// A script a confusable word can mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    Latin,
    Cyrillic,
    Greek,
    /// A letter of any other script.
    Other,
}

/// The script of a letter, or `None` for digits, marks and non-letters.
#[inline]
pub(crate) fn script_of(c: char) -> Option<Script> {
    if c.is_ascii() {
        return c.is_ascii_alphabetic().then_some(Script::Latin);
    }
    if super::chars::class(c) & super::chars::ALPHA == 0 {
        return None;
    }
    Some(match c {
        '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' | '\u{2C60}'..='\u{2C7F}' => {
            Script::Latin
        }
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => Script::Greek,
        '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{A640}'..='\u{A69F}' => {
            Script::Cyrillic
        }
        _ => Script::Other,
    })
}

/// Cyrillic and Greek letters and the Latin letter each looks like, upper
/// and lower case. Only letters that are the same glyph in common fonts are
/// here; `к`, `м`, `т`, `п` are not (their lower-case shapes differ).
pub(crate) const LOOKALIKES: &[(char, char)] = &[
    // Cyrillic
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
    ('У', 'Y'),
    ('Ү', 'Y'),
    ('Ѕ', 'S'),
    ('І', 'I'),
    ('Ӏ', 'I'),
    ('Ј', 'J'),
    ('Ԛ', 'Q'),
    ('Ԝ', 'W'),
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('ѕ', 's'),
    ('і', 'i'),
    ('ј', 'j'),
    ('һ', 'h'),
    ('ԁ', 'd'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
    // Greek
    ('Α', 'A'),
    ('Β', 'B'),
    ('Ε', 'E'),
    ('Ζ', 'Z'),
    ('Η', 'H'),
    ('Ι', 'I'),
    ('Κ', 'K'),
    ('Μ', 'M'),
    ('Ν', 'N'),
    ('Ο', 'O'),
    ('Ρ', 'P'),
    ('Τ', 'T'),
    ('Υ', 'Y'),
    ('Χ', 'X'),
    ('ο', 'o'),
    ('ν', 'v'),
    ('ρ', 'p'),
    ('ϲ', 'c'),
    ('ϳ', 'j'),
];

/// The look-alike of `c` in `target`, if the table has one.
fn lookalike(c: char, target: Script) -> Option<char> {
    let from = script_of(c)?;
    if from == target {
        return Some(c);
    }
    match target {
        Script::Latin => LOOKALIKES
            .iter()
            .find(|&&(other, _)| other == c)
            .map(|&(_, latin)| latin),
        Script::Cyrillic | Script::Greek if from == Script::Latin => LOOKALIKES
            .iter()
            .find(|&&(other, latin)| latin == c && script_of(other) == Some(target))
            .map(|&(other, _)| other),
        _ => None,
    }
}

/// Letters per script in one word, gathered one character at a time so
/// that callers building text or keys can test cheaply whether a word needs
/// a second look.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ScriptCounts {
    latin: u32,
    cyrillic: u32,
    greek: u32,
    other: u32,
}

impl ScriptCounts {
    #[inline]
    pub(crate) fn note(&mut self, c: char) {
        match script_of(c) {
            Some(Script::Latin) => self.latin += 1,
            Some(Script::Cyrillic) => self.cyrillic += 1,
            Some(Script::Greek) => self.greek += 1,
            Some(Script::Other) => self.other += 1,
            None => {}
        }
    }

    /// [`note`](Self::note) each byte of `run`, which is ASCII: its letters
    /// are Latin, its other characters of no script.
    #[inline]
    pub(crate) fn note_ascii(&mut self, run: &[u8]) {
        debug_assert!(run.is_ascii());
        let letters = run.iter().filter(|b| b.is_ascii_alphabetic()).count();
        self.latin += letters as u32;
    }

    /// True when the word mixes Latin with Cyrillic or Greek and nothing
    /// else: only then can [`target`](Self::target) find a repair.
    #[inline]
    pub(crate) fn is_mixed(&self) -> bool {
        self.other == 0 && self.latin > 0 && (self.cyrillic > 0) != (self.greek > 0)
    }

    /// The script the word should be written in: the one with strictly more
    /// letters.
    fn target(&self) -> Option<Script> {
        if !self.is_mixed() {
            return None;
        }
        let other = self.cyrillic.max(self.greek);
        let other_script = if self.cyrillic > 0 {
            Script::Cyrillic
        } else {
            Script::Greek
        };
        match self.latin.cmp(&other) {
            std::cmp::Ordering::Greater => Some(Script::Latin),
            std::cmp::Ordering::Less => Some(other_script),
            std::cmp::Ordering::Equal => None,
        }
    }
}

/// The script `word` should be written in, when it is a repairable mix.
pub(crate) fn repair_target(word: &str) -> Option<Script> {
    let mut counts = ScriptCounts::default();
    word.chars().for_each(|c| counts.note(c));
    let target = counts.target()?;
    word.chars()
        .filter(|&c| script_of(c).is_some())
        .all(|c| lookalike(c, target).is_some())
        .then_some(target)
}

/// `c` written in `target`; characters that are not letters, or have no
/// look-alike, come back unchanged. Use after [`repair_target`].
#[inline]
pub(crate) fn to_script(c: char, target: Script) -> char {
    lookalike(c, target).unwrap_or(c)
}

/// The repaired spelling of `word`, or `None` when it needs none.
pub(crate) fn repair_word(word: &str) -> Option<String> {
    let target = repair_target(word)?;
    Some(word.chars().map(|c| to_script(c, target)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_mixed_words_only() {
        // (what, word, repaired)
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("Cyrillic Т in Latin", "Тurkey", Some("Turkey")),
            ("Cyrillic а, о in Latin", "Erdоgаn", Some("Erdogan")),
            ("Cyrillic і in Latin", "Kyіv", Some("Kyiv")),
            ("Greek Α in Latin", "NΑTO", Some("NATO")),
            ("Greek ν in Latin", "Kyiν", Some("Kyiv")),
            ("Latin a in Cyrillic", "Москвa", Some("Москва")),
            ("Latin C, o in Cyrillic", "Cобянин", Some("Собянин")),
            ("Latin o in Greek", "Αθήνοo", Some("Αθήνοο")),
            ("Latin O in Greek", "ΑθήναO", Some("ΑθήναΟ")),
            ("digits are neutral", "CОP29", Some("COP29")),
            ("Latin with diacritic", "Erdoğаn", Some("Erdoğan")),
            ("plain Latin", "Turkey", None),
            ("plain Cyrillic", "Москва", None),
            ("plain Greek", "Αθήνα", None),
            ("no look-alike (м)", "iPhoneом", None),
            ("tie", "Тo", None),
            ("three scripts", "Tαм", None),
            ("micro sign unit", "µm", None),
            ("Greek mu unit", "μm", None),
            ("Han and Latin", "COP29会议", None),
            ("Arabic", "أردوغان", None),
        ];
        for &(what, word, want) in cases {
            assert_eq!(repair_word(word).as_deref(), want, "{what}: {word}");
        }
    }

    #[test]
    fn ascii_runs_count_as_their_characters() {
        // (what, word begun before the run, run)
        let cases = [
            ("empty run", "T", ""),
            ("letters", "T", "urkey"),
            ("digits", "COP", "29"),
            ("letters and digits", "x", "86abc4"),
            ("after Cyrillic", "\u{422}", "urkey"),
            ("after Greek", "\u{391}", "TO"),
            ("after Han", "\u{5317}", "2024abc"),
        ];
        for (what, begun, run) in cases {
            let mut fast = ScriptCounts::default();
            begun.chars().for_each(|c| fast.note(c));
            let mut slow = fast;
            fast.note_ascii(run.as_bytes());
            run.chars().for_each(|c| slow.note(c));
            assert_eq!(
                (fast.latin, fast.cyrillic, fast.greek, fast.other),
                (slow.latin, slow.cyrillic, slow.greek, slow.other),
                "{what}"
            );
            assert_eq!(fast.is_mixed(), slow.is_mixed(), "{what}");
        }
    }

    #[test]
    fn table_pairs_are_uts39_confusables() {
        use unicode_security::confusable_detection::skeleton;
        for &(other, latin) in LOOKALIKES {
            let a: String = skeleton(&other.to_string()).collect();
            let b: String = skeleton(&latin.to_string()).collect();
            assert_eq!(a, b, "{other} (U+{:04X}) vs {latin}", other as u32);
            assert_eq!(script_of(latin), Some(Script::Latin));
            assert!(matches!(
                script_of(other),
                Some(Script::Cyrillic | Script::Greek)
            ));
        }
    }
}
