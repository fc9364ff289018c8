//! Character tables for the hot loops of normalization.
//!
//! In: a character. Out: its class (word character, letter, case, written
//! without spaces) and, for most of the Basic Multilingual Plane, its match
//! key, each in one table lookup.
//!
//! Why: cleaning, keying and tokenizing look at every character of every
//! document several times. For non-ASCII text the standard library answers
//! `is_alphabetic` with a binary search, and the key of a character needs an
//! NFKC iterator; on a corpus in ten languages those two were the largest
//! items of the profile. The tables are computed once per process (a few
//! milliseconds) from the same functions they replace, so they can never
//! disagree with them; a unit test checks every code point.

use std::sync::OnceLock;

use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
use unicode_normalization::{IsNormalized, is_nfc_quick};

/// A letter, digit or combining mark.
pub(crate) const WORD: u8 = 1;
/// A letter (`char::is_alphabetic`).
pub(crate) const ALPHA: u8 = 2;
pub(crate) const UPPER: u8 = 4;
pub(crate) const LOWER: u8 = 8;
/// A script written without spaces (Han, kana, Thai, ...).
pub(crate) const UNSPACED: u8 = 16;
/// A numeric character (`char::is_numeric`).
pub(crate) const NUMERIC: u8 = 32;
/// A starter (canonical combining class 0) whose NFC quick check is Yes:
/// a run of such characters is NFC whatever surrounds it, so
/// [`super::is_nfc`] can skip it without asking the NFC tables.
pub(crate) const NFC_SAFE: u8 = 64;

/// Classes of the Basic Multilingual Plane.
static CLASSES: OnceLock<Box<[u8]>> = OnceLock::new();

/// The class bits of `c`, computed from the standard library.
fn compute_class(c: char) -> u8 {
    let mut bits = 0;
    if c.is_alphanumeric() || (!c.is_ascii() && is_combining_mark(c)) {
        bits |= WORD;
    }
    if c.is_alphabetic() {
        bits |= ALPHA;
    }
    if c.is_uppercase() {
        bits |= UPPER;
    }
    if c.is_lowercase() {
        bits |= LOWER;
    }
    if super::unspaced_range(c) {
        bits |= UNSPACED;
    }
    if c.is_numeric() {
        bits |= NUMERIC;
    }
    if canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes {
        bits |= NFC_SAFE;
    }
    bits
}

/// The class bits of `c` (see the constants).
#[inline]
pub(crate) fn class(c: char) -> u8 {
    let i = c as usize;
    if i < 0x10000 {
        bmp_classes()[i]
    } else {
        compute_class(c)
    }
}

/// The class bits of every code point of the Basic Multilingual Plane, by
/// code point (surrogates have none): for loops that look up many
/// characters and fetch the table once.
#[inline]
pub(crate) fn bmp_classes() -> &'static [u8] {
    CLASSES.get_or_init(|| {
        (0..0x10000u32)
            .map(|i| char::from_u32(i).map_or(0, compute_class))
            .collect()
    })
}

/// `char::is_alphabetic`, by the table.
#[inline]
pub(crate) fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        class(c) & ALPHA != 0
    }
}

/// Key of one character, for the part of the BMP where most text lives.
/// `KEY_NONE` means the character has no key (a dropped mark), `KEY_SLOW`
/// that its key is longer than one character (ß → ss) and must be
/// computed.
static KEYS: OnceLock<Box<[u32]>> = OnceLock::new();
const KEY_TABLE_END: u32 = 0x3100;
const KEY_NONE: u32 = u32::MAX - 1;
const KEY_SLOW: u32 = u32::MAX;

/// The one-character key of `c`, `Some(None)` for no key at all, or `None`
/// when the caller must compute it.
#[inline]
pub(crate) fn fast_key(c: char) -> Option<Option<char>> {
    let i = c as u32;
    if i >= KEY_TABLE_END {
        return None;
    }
    let table = KEYS.get_or_init(|| {
        let mut buf = String::new();
        (0..KEY_TABLE_END)
            .map(|i| {
                let Some(c) = char::from_u32(i) else {
                    return KEY_SLOW;
                };
                buf.clear();
                super::push_key_char_slow(c, &mut buf);
                let mut chars = buf.chars();
                match (chars.next(), chars.next()) {
                    (None, _) => KEY_NONE,
                    (Some(k), None) => k as u32,
                    _ => KEY_SLOW,
                }
            })
            .collect()
    });
    match table[i as usize] {
        KEY_SLOW => None,
        KEY_NONE => Some(None),
        k => Some(char::from_u32(k)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_agree_with_the_functions_they_replace() {
        let mut buf = String::new();
        let mut fast = String::new();
        for i in 0..0x11000u32 {
            let Some(c) = char::from_u32(i) else { continue };
            assert_eq!(class(c), compute_class(c), "class of U+{i:04X}");
            buf.clear();
            super::super::push_key_char_slow(c, &mut buf);
            fast.clear();
            super::super::push_key_char(c, &mut fast);
            assert_eq!(fast, buf, "key of U+{i:04X}");
        }
    }
}
