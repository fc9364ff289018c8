//! Language identification with whatlang.
//!
//! In: a document's cleaned text and the language its input declared, if
//! any. Out: an ISO 639-1 code (`en`, `tr`, `zh`) where one exists, else
//! the ISO 639-3 code, or `und` when the guess is not reliable.
//!
//! A declared language (a `lang` header or field) wins when it is a
//! well-formed code: the publisher knows better than trigram statistics on a
//! short text. Detection reads only the start of the text; a few hundred
//! characters decide as well as the whole article and cost far less.
//!
//! **Cost.** whatlang scores a text against the trigram profile of every
//! language of its script (37 for Latin), which costs about as much as all
//! the other per-document stages together. Measured on the evaluation corpus
//! (10 languages, gold labels), 384 bytes are almost as accurate as 1,200
//! (1,925 against 1,934 correct of 1,964; the misses are machine-translated
//! texts; 256 bytes fall to 1,910) and cut the time by about a third. A large corpus is written in a few
//! languages: [`Identifier::narrowed`] scores only the languages that a
//! sample of the corpus showed, which cuts the time by another two thirds.
//! A text that the narrowed scoring does not call reliably (a language the
//! sample missed, say) is scored again against every language, so a rare
//! language costs time, not accuracy, unless it closely resembles one of
//! the sample's languages.
//! Copies share their opening more often than not, so answers are
//! remembered by the hash of the sample they came from (see `Memo`); on the
//! 20,000-document speed corpus that cuts the time of this stage by about
//! a seventh, and changes no answer.

use whatlang::Lang;

use crate::normalize::chars::is_alphabetic;

/// Code for "undetermined", as in BCP 47.
pub const UNDETERMINED: &str = "und";

/// How many bytes of text detection looks at (see the module docs).
const SAMPLE_BYTES: usize = 384;

/// Fewer letters than this are too few to guess from.
const MIN_LETTERS: usize = 12;

/// The document's language code, scored against every language. See the
/// module docs.
pub fn detect(text: &str, hint: Option<&str>) -> String {
    Identifier::all().detect(text, hint)
}

/// Language identification, against every language or a corpus's own.
#[derive(Debug, Clone)]
pub struct Identifier {
    /// Scores only the corpus's languages; `None` scores every language.
    narrow: Option<whatlang::Detector>,
    /// For each of the corpus's languages, the letters outside ASCII that
    /// its sample texts use, sorted.
    letters: Vec<(Lang, Vec<char>)>,
    /// Answers already given, by sample (see [`Memo`]).
    memo: Memo,
    /// Scripts that whatlang shares among several languages but the corpus
    /// writes in one only (Cyrillic in a corpus whose only Cyrillic
    /// language is Russian), with that language. See [`Identifier::score`].
    alone: Vec<(whatlang::Script, Lang)>,
}

/// The scripts whatlang splits among several languages by scoring.
const SHARED_SCRIPTS: [whatlang::Script; 5] = [
    whatlang::Script::Latin,
    whatlang::Script::Cyrillic,
    whatlang::Script::Arabic,
    whatlang::Script::Devanagari,
    whatlang::Script::Hebrew,
];

/// The answers of [`Identifier::detect_text`] by the 128-bit hash of the
/// sample they were computed from.
///
/// Why: a corpus of news copies holds many documents whose first
/// [`SAMPLE_BYTES`] are the same (a syndicated story re-scraped, the same
/// wire text at several outlets), and scoring a sample costs tens of
/// microseconds against a hash of well under one. The answer is a function
/// of the sample alone, so a remembered one is the one scoring would give
/// (two different samples sharing a 128-bit hash is not a practical
/// concern). Shared by the threads (shards under mutexes, held for a
/// lookup only), so the answer never depends on which thread saw a sample
/// first. At most [`MEMO_ENTRIES`] answers are kept (about 40 MB); beyond
/// that, new samples are scored without being remembered.
#[derive(Debug, Default)]
struct Memo {
    shards: Vec<std::sync::Mutex<std::collections::HashMap<u128, Option<Lang>>>>,
    entries: std::sync::atomic::AtomicUsize,
}

/// Most answers [`Memo`] keeps.
const MEMO_ENTRIES: usize = 1 << 20;
/// Independently locked parts of [`Memo`].
const MEMO_SHARDS: usize = 16;

impl Memo {
    fn new() -> Memo {
        Memo {
            shards: (0..MEMO_SHARDS).map(|_| Default::default()).collect(),
            entries: Default::default(),
        }
    }

    fn shard(
        &self,
        key: u128,
    ) -> Option<std::sync::MutexGuard<'_, std::collections::HashMap<u128, Option<Lang>>>> {
        // A poisoned shard (a panic elsewhere) is only a lost shortcut.
        self.shards
            .get(key as usize % MEMO_SHARDS.max(1))?
            .lock()
            .ok()
    }

    fn get(&self, key: u128) -> Option<Option<Lang>> {
        self.shard(key)?.get(&key).copied()
    }

    fn put(&self, key: u128, lang: Option<Lang>) {
        use std::sync::atomic::Ordering::Relaxed;
        if self.entries.load(Relaxed) >= MEMO_ENTRIES {
            return;
        }
        if let Some(mut shard) = self.shard(key) {
            if shard.insert(key, lang).is_none() {
                self.entries.fetch_add(1, Relaxed);
            }
        }
    }
}

impl Clone for Memo {
    /// A clone starts with nothing remembered.
    fn clone(&self) -> Memo {
        Memo::new()
    }
}

impl Identifier {
    /// Score every language whatlang knows.
    pub fn all() -> Identifier {
        Identifier {
            narrow: None,
            letters: Vec::new(),
            memo: Memo::new(),
            alone: Vec::new(),
        }
    }

    /// Learn a corpus's languages from a sample of its texts (each scored
    /// against every language): score those first, and fall back to every
    /// language when that is not reliable, or when a text uses a letter
    /// that the sample never showed in the language found (a Turkish ğ in a
    /// text scored as French).
    pub fn from_sample<'a>(texts: impl IntoIterator<Item = &'a str>) -> Identifier {
        use rayon::prelude::*;
        let all = Identifier::all();
        let texts: Vec<&str> = texts.into_iter().collect();
        // Scored in parallel (every language, tens of microseconds a text),
        // gathered in the sample's order.
        let found: Vec<Option<Lang>> = texts.par_iter().map(|t| all.detect_text(t)).collect();
        let mut letters: Vec<(Lang, Vec<char>)> = Vec::new();
        for (text, lang) in texts.iter().zip(found) {
            let Some(lang) = lang else {
                continue;
            };
            let sample = sample(text);
            let slot = match letters.iter().position(|(l, _)| *l == lang) {
                Some(i) => i,
                None => {
                    letters.push((lang, Vec::new()));
                    letters.len() - 1
                }
            };
            letters[slot].1.extend(foreign_letters(sample));
        }
        if letters.is_empty() {
            return all;
        }
        for (_, set) in &mut letters {
            set.sort_unstable();
            set.dedup();
        }
        letters.sort_by(|a, b| a.0.code().cmp(b.0.code()));
        let langs: Vec<Lang> = letters.iter().map(|(l, _)| *l).collect();
        let alone = SHARED_SCRIPTS
            .iter()
            .filter_map(|&script| {
                let mut of_script = langs.iter().filter(|l| script.langs().contains(l));
                match (of_script.next(), of_script.next()) {
                    (Some(&lang), None) => Some((script, lang)),
                    _ => None,
                }
            })
            .collect();
        Identifier {
            narrow: Some(whatlang::Detector::with_allowlist(langs)),
            letters,
            memo: Memo::new(),
            alone,
        }
    }

    /// The document's language code. See the module docs.
    pub fn detect(&self, text: &str, hint: Option<&str>) -> String {
        if let Some(code) = hint.and_then(normalize_code) {
            return code;
        }
        self.detect_text(text)
            .map_or_else(|| UNDETERMINED.to_owned(), |l| iso639_1(l).to_owned())
    }

    /// The language of a text, if the guess is good enough.
    pub fn detect_text(&self, text: &str) -> Option<Lang> {
        let sample = sample(text);
        let key = xxhash_rust::xxh3::xxh3_128(sample.as_bytes());
        if let Some(known) = self.memo.get(key) {
            return known;
        }
        let lang = self.score(sample);
        self.memo.put(key, lang);
        lang
    }

    /// [`detect_text`](Self::detect_text) on a sample, without the memo:
    /// whatlang's answer, checked against the language's function words
    /// (see [`function_words`]).
    fn score(&self, sample: &str) -> Option<Lang> {
        let lang = self.score_trigrams(sample)?;
        let lang = cyrillic_letters(lang, sample)?;
        function_words(lang, sample)
    }

    /// whatlang's answer for a sample.
    fn score_trigrams(&self, sample: &str) -> Option<Lang> {
        let japanese;
        let sample = match without_latin_letters_if_cjk(sample) {
            Some(rest) => {
                japanese = rest;
                japanese.as_str()
            }
            None => sample,
        };
        if sample.chars().filter(|&c| is_alphabetic(c)).count() < MIN_LETTERS {
            return None;
        }
        if let Some(narrow) = &self.narrow {
            // A text in a script that only one of the corpus's languages
            // uses needs no scoring: whatlang, allowed one language of the
            // text's script, scores that one alone and answers it with
            // confidence 1 (its alphabet and trigram tables list the same
            // languages per script as `Script::langs`). Scripts of one
            // language (Greek, Hangul, Thai, ...) and Han are answered by
            // whatlang without scoring anyway.
            let shortcut = whatlang::detect_script(sample)
                .and_then(|script| self.alone.iter().find(|(s, _)| *s == script))
                .map(|&(_, lang)| lang);
            let found = match shortcut {
                Some(lang) => Some(lang),
                None => narrow
                    .detect(sample)
                    .filter(whatlang::Info::is_reliable)
                    .map(|info| info.lang()),
            };
            if let Some(lang) = found {
                if self.letters_fit(lang, sample) {
                    return Some(lang);
                }
            }
        }
        match whatlang::detect(sample) {
            Some(info) if info.is_reliable() || info.confidence() >= 0.5 => Some(info.lang()),
            _ => None,
        }
    }

    /// Whether every non-ASCII letter of `sample` was seen in `lang`'s sample.
    fn letters_fit(&self, lang: Lang, sample: &str) -> bool {
        let Some((_, known)) = self.letters.iter().find(|(l, _)| *l == lang) else {
            return false;
        };
        let mut seen: Vec<char> = foreign_letters(sample).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.iter().all(|c| known.binary_search(c).is_ok())
    }
}

/// The most frequent short words of some Latin-script languages: articles,
/// prepositions, conjunctions, pronouns and auxiliaries. Written for dedup
/// from common knowledge of each language; only the languages that
/// whatlang gives to text without prose are listed (see
/// [`function_words`]). Sorted, lower case.
const FUNCTION_WORDS: &[(Lang, &[&str])] = &[
    (
        Lang::Eng,
        &[
            "a", "after", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from",
            "had", "has", "have", "he", "her", "his", "in", "is", "it", "its", "not", "of", "on",
            "or", "said", "she", "that", "the", "their", "they", "this", "to", "was", "were",
            "which", "who", "will", "with",
        ],
    ),
    (
        Lang::Fra,
        &[
            "a", "au", "aux", "avec", "ce", "cette", "dans", "de", "des", "du", "elle", "en",
            "est", "et", "il", "la", "le", "les", "ne", "ont", "par", "pas", "plus", "pour", "que",
            "qui", "sa", "se", "ses", "son", "sont", "sur", "un", "une", "à", "été",
        ],
    ),
    (
        Lang::Spa,
        &[
            "a", "al", "como", "con", "de", "del", "el", "en", "es", "fue", "ha", "han", "la",
            "las", "le", "lo", "los", "más", "no", "para", "por", "que", "se", "su", "sus", "un",
            "una", "y",
        ],
    ),
    (
        Lang::Por,
        &[
            "a", "ao", "as", "com", "da", "das", "de", "do", "dos", "e", "em", "foi", "mais", "na",
            "nas", "no", "nos", "não", "o", "os", "para", "por", "que", "se", "seu", "sua", "um",
            "uma", "é",
        ],
    ),
    (
        Lang::Ita,
        &[
            "al", "alla", "che", "con", "da", "dei", "del", "della", "di", "e", "gli", "ha", "i",
            "il", "in", "la", "le", "lo", "nel", "nella", "non", "per", "si", "sono", "un", "una",
            "è",
        ],
    ),
    (
        Lang::Cat,
        &[
            "al", "als", "amb", "de", "del", "dels", "el", "els", "en", "es", "ha", "i", "la",
            "les", "no", "per", "que", "un", "una", "va", "és",
        ],
    ),
    (
        Lang::Deu,
        &[
            "an", "auch", "auf", "aus", "bei", "das", "dass", "dem", "den", "der", "des", "die",
            "ein", "eine", "er", "es", "für", "hat", "im", "in", "ist", "mit", "nach", "nicht",
            "sich", "sie", "und", "von", "wie", "wird", "zu",
        ],
    ),
    (
        Lang::Nld,
        &[
            "aan", "als", "bij", "dat", "de", "die", "door", "een", "en", "er", "het", "in", "is",
            "met", "naar", "niet", "om", "ook", "op", "te", "van", "voor", "zijn",
        ],
    ),
    (
        Lang::Nob,
        &[
            "at", "av", "de", "den", "det", "en", "er", "et", "for", "fra", "har", "i", "ikke",
            "med", "og", "om", "på", "som", "til", "var",
        ],
    ),
    (
        Lang::Dan,
        &[
            "af", "at", "de", "den", "der", "det", "en", "er", "et", "for", "har", "i", "ikke",
            "med", "og", "om", "på", "som", "til", "var",
        ],
    ),
    (
        Lang::Swe,
        &[
            "att", "av", "de", "den", "det", "en", "ett", "för", "har", "i", "inte", "med", "och",
            "om", "på", "som", "till", "var", "är",
        ],
    ),
    (
        Lang::Afr,
        &[
            "aan", "die", "en", "het", "in", "is", "met", "nie", "op", "sy", "te", "van", "vir",
            "wat", "word",
        ],
    ),
    (
        Lang::Ron,
        &[
            "a", "au", "care", "ce", "cu", "de", "din", "este", "la", "mai", "nu", "o", "pe",
            "pentru", "să", "un", "în", "și",
        ],
    ),
    (
        Lang::Pol,
        &[
            "a", "dla", "do", "i", "jak", "jest", "na", "nie", "o", "od", "oraz", "po", "przez",
            "się", "to", "w", "z", "że",
        ],
    ),
    (
        Lang::Ind,
        &[
            "ada", "akan", "dalam", "dan", "dari", "dengan", "di", "ini", "itu", "juga", "ke",
            "pada", "tidak", "untuk", "yang",
        ],
    ),
];

/// Call `f` with each word (run of letters) of `sample`, lower-cased in
/// `buf`, which is reused from word to word.
fn for_each_word(sample: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    buf.clear();
    for c in sample.chars() {
        if c.is_ascii() {
            // ASCII needs neither the Unicode tables nor full lower-casing.
            if c.is_ascii_alphabetic() {
                buf.push(c.to_ascii_lowercase());
                continue;
            }
        } else if is_alphabetic(c) {
            buf.extend(c.to_lowercase());
            continue;
        }
        if !buf.is_empty() {
            f(buf);
            buf.clear();
        }
    }
    if !buf.is_empty() {
        f(buf);
        buf.clear();
    }
}

/// Check an answer for Cyrillic text against the letters of its alphabet.
///
/// Why: whatlang scores Cyrillic among Russian, Ukrainian, Belarusian,
/// Bulgarian, Serbian and Macedonian only, and short Russian text often
/// comes out Bulgarian (10 Russian articles of the first evaluation seed
/// did), while Uzbek in Cyrillic, which it does not score at all, came out
/// Bulgarian (70 of tgnews' 75 "Bulgarian" pages). The alphabets settle
/// both: Bulgarian, Ukrainian, Serbian and Macedonian have no ы and no э,
/// so a text holding them is re-scored between Russian and Belarusian; and
/// қ, ғ or ҳ is Uzbek unless a letter of another alphabet that has them
/// stands beside it (Tajik ӣ ӯ ҷ, Kazakh ң ә ө ұ ү һ і, Bashkir and Tatar
/// ҡ ҙ ҫ җ); Russian, Belarusian and the Slavic alphabets have none of
/// them.
fn cyrillic_letters(lang: Lang, sample: &str) -> Option<Lang> {
    // Every letter looked at below is of the Cyrillic block (U+0400 to
    // U+04FF), whose characters all start with one of four bytes in UTF-8:
    // a sample without those (most samples) keeps its answer, with no
    // search for each set.
    if !sample.bytes().any(|b| (0xD0..=0xD3).contains(&b)) {
        return Some(lang);
    }
    let has = |set: &[char]| sample.chars().any(|c| set.contains(&c));
    const OTHERS: [char; 30] = [
        'ӣ', 'Ӣ', 'ӯ', 'Ӯ', 'ҷ', 'Ҷ', 'ң', 'Ң', 'ә', 'Ә', 'ө', 'Ө', 'ұ', 'Ұ', 'ү', 'Ү', 'һ', 'Һ',
        'і', 'І', 'ҡ', 'Ҡ', 'ҙ', 'Ҙ', 'ҫ', 'Ҫ', 'җ', 'Җ', 'ҝ', 'Ҝ',
    ];
    if has(&['қ', 'Қ', 'ғ', 'Ғ', 'ҳ', 'Ҳ']) && !has(&OTHERS) {
        return Some(Lang::Uzb);
    }
    if matches!(lang, Lang::Bul | Lang::Ukr | Lang::Srp | Lang::Mkd) && has(&['ы', 'Ы', 'э', 'Э'])
    {
        return whatlang::Detector::with_allowlist(vec![Lang::Rus, Lang::Bel])
            .detect_lang(sample)
            .or(Some(Lang::Rus));
    }
    Some(lang)
}

/// Words a sample needs before its function words are counted.
const FUNCTION_MIN_WORDS: usize = 12;
/// Prose has at least one listed function word per this many words ...
const FUNCTION_RATE: usize = 40;
/// ... and at least two from this many words on (one below).
const FUNCTION_SHORT_WORDS: usize = 25;

/// Check whatlang's answer `lang` for `sample` against the language's
/// function words; `None` when the sample is no prose at all.
///
/// Why: trigram statistics answer for any letters, and text without prose
/// gets a language it is not in. Reuters-21578's earnings tables ("Shr 45
/// cts vs 58 cts / Net 1.1 mln vs 829,000 / Revs ...") come out French,
/// Catalan or Norwegian, some with whatlang's confidence 1.0 (635 of the
/// 19,043 stories were `fr`), and a rainfall report in English capitals
/// full of Brazilian place names Portuguese. Prose holds function words:
/// on SemEval, 10kGNAD, MasakhaNEWS, tgnews and the evaluation corpus the
/// listed words are a quarter to a third of a sample's words (median), and
/// 4% at the lowest (a German list of headlines), while those tables hold
/// none, or one that is also an English abbreviation's neighbour ("no
/// quote", "cents per lb"). So a sample of at least [`FUNCTION_MIN_WORDS`]
/// words in a listed language with fewer than two of its function words
/// (one below [`FUNCTION_SHORT_WORDS`] words: a headline-like snippet has
/// few), or fewer than one per [`FUNCTION_RATE`] words, is not that
/// language: it
/// goes to the listed language whose function words it does hold at that
/// rate (counting words of two letters or more; the most wins), else it is
/// undetermined. Languages without a list are taken as whatlang gives them.
fn function_words(lang: Lang, sample: &str) -> Option<Lang> {
    let listed = |l: Lang| {
        FUNCTION_WORDS
            .iter()
            .find(|(x, _)| *x == l)
            .map(|(_, w)| *w)
    };
    let Some(own) = listed(lang) else {
        return Some(lang);
    };
    let mut buf = String::new();
    let (mut words, mut own_hits) = (0usize, 0usize);
    for_each_word(sample, &mut buf, |w| {
        words += 1;
        own_hits += usize::from(own.binary_search(&w).is_ok());
    });
    if words < FUNCTION_MIN_WORDS {
        return Some(lang);
    }
    // A headline-like sample of a few words may hold one function word
    // only ("State media spotlights deep flaws in PLA readiness ...").
    let needed = if words < FUNCTION_SHORT_WORDS {
        1
    } else {
        words.div_ceil(FUNCTION_RATE).max(2)
    };
    if own_hits >= needed {
        return Some(lang);
    }
    // Rare (no prose, or whatlang wrong): count every list, words of two
    // letters or more.
    let mut hits = [0usize; FUNCTION_WORDS.len()];
    for_each_word(sample, &mut buf, |w| {
        if w.chars().nth(1).is_some() {
            for (n, (_, list)) in hits.iter_mut().zip(FUNCTION_WORDS) {
                *n += usize::from(list.binary_search(&w).is_ok());
            }
        }
    });
    hits.iter()
        .zip(FUNCTION_WORDS)
        .map(|(&n, (l, _))| (n, *l))
        .filter(|&(n, _)| n >= needed)
        // Most hits; on a tie, the first listed.
        .fold(None, |best: Option<(usize, Lang)>, (n, l)| match best {
            Some((m, _)) if m >= n => best,
            _ => Some((n, l)),
        })
        .map(|(_, l)| l)
}

/// `sample` without its Latin letters, when it is Japanese or Chinese
/// that a few Latin words would otherwise hide.
///
/// Why: Japanese is written in three scripts (kanji, hiragana, katakana),
/// and whatlang counts each on its own and takes the most frequent one for
/// the text's script. A Japanese article with names in Latin letters
/// ("ボルノ（Borno）州") and an English promo line glued before it can hold
/// more Latin letters than kanji or kana alone, and is then scored as a
/// Latin-script language. When that is the case but the sample has more
/// Japanese words than Latin ones (two kanji or kana count as a word, as
/// in the boilerplate guard, since a letter of a script without spaces
/// carries far more than a Latin letter), the Latin letters are left out.
/// Nothing else changes: a sample where kanji or kana already lead gets
/// the same answer without its Latin letters (whatlang decides between
/// Chinese and Japanese on kanji and kana counts alone).
///
/// Chinese is the same case with kanji (hanzi) alone: a Chinese article
/// about "ATLAS Mara Limited" and "ACCESSWIRE" holds more Latin letters than
/// Chinese characters in its first 384 bytes and came out Spanish,
/// Javanese or Tagalog (on the three evaluation seeds, 6 to 8 of their
/// Chinese documents; the rest of the Chinese errors are `und`).
fn without_latin_letters_if_cjk(sample: &str) -> Option<String> {
    let is_latin = |c: char| {
        c.is_ascii_alphabetic() || (('\u{00C0}'..='\u{024F}').contains(&c) && is_alphabetic(c))
    };
    let (mut kana, mut kanji, mut latin, mut latin_words) = (0usize, 0usize, 0usize, 0usize);
    let mut in_word = false;
    for c in sample.chars() {
        let letter = is_latin(c);
        match c {
            '\u{3040}'..='\u{30FF}' => kana += 1,
            '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' => kanji += 1,
            _ if letter => {
                latin += 1;
                latin_words += usize::from(!in_word);
            }
            _ => {}
        }
        in_word = letter;
    }
    (kana + kanji > 0 && latin >= kana.max(kanji) && (kana + kanji) / 2 > latin_words)
        .then(|| sample.chars().filter(|&c| !is_latin(c)).collect())
}

/// The start of a text that detection reads.
fn sample(text: &str) -> &str {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The lowercase letters of a text outside ASCII.
fn foreign_letters(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|&c| !c.is_ascii() && is_alphabetic(c))
        .flat_map(char::to_lowercase)
}

/// Normalize a declared language tag to its primary subtag: `en-GB` → `en`,
/// `TUR` → `tr`. `None` if it is not a language code.
pub fn normalize_code(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    if primary.len() == 3 {
        if let Some(lang) = Lang::from_code(&primary) {
            return Some(iso639_1(lang).to_owned());
        }
        // Bibliographic and other 639-2 codes whatlang does not know.
        let mapped = match primary.as_str() {
            "ger" => "de",
            "fre" => "fr",
            "chi" | "zho" => "zh",
            "dut" => "nl",
            "per" | "fas" => "fa",
            "gre" => "el",
            "cze" => "cs",
            "rum" => "ro",
            "arm" => "hy",
            "geo" => "ka",
            "may" | "msa" => "ms",
            "nor" => "no",
            _ => return Some(primary),
        };
        return Some(mapped.to_owned());
    }
    Some(primary)
}

/// The ISO 639-1 code of a whatlang language, or its 639-3 code if it has none.
pub fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        Lang::Cym => "cy",
        #[allow(unreachable_patterns)]
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_word_lists_are_sorted_lower_case() {
        for (lang, list) in FUNCTION_WORDS {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{lang:?}");
            assert!(list.iter().all(|w| w.to_lowercase() == *w), "{lang:?}");
        }
    }

    #[test]
    fn cyrillic_answers_fit_their_alphabet() {
        // (whatlang's answer, sample, expected). Written for this test.
        let cases: &[(Lang, &str, Option<Lang>)] = &[
            // Russian has ы and э, which Bulgarian lacks.
            (
                Lang::Bul,
                "Тело пропавшего мальчика нашли в реке, сообщили в полиции. Это был сын местного музыканта.",
                Some(Lang::Rus),
            ),
            // Bulgarian stays Bulgarian.
            (
                Lang::Bul,
                "Президентът на лигата е уверен, че отборите ще започнат тренировки през май.",
                Some(Lang::Bul),
            ),
            // Uzbek in Cyrillic: қ, ғ, ҳ, ў.
            (
                Lang::Bul,
                "Тошкент вилоятида янги мактаб қурилди, деб хабар берди ҳокимлик матбуот хизмати.",
                Some(Lang::Uzb),
            ),
            (
                Lang::Rus,
                "Фарғона вилоятида ўтказилган йиғилишда қишлоқ хўжалиги масалалари кўриб чиқилди.",
                Some(Lang::Uzb),
            ),
            // Kazakh has қ and ғ too, but also ә, ө, ұ, ү, і: not Uzbek.
            (
                Lang::Rus,
                "Қазақстан үкіметі жаңа бағдарламаны бекітті, деп хабарлады министрлік.",
                Some(Lang::Rus),
            ),
            // Belarusian has ў, but none of the others.
            (
                Lang::Bel,
                "Урад абвясціў новую праграму падтрымкі вёсак і гарадоў краіны ў гэтым годзе.",
                Some(Lang::Bel),
            ),
            // Samples without a Cyrillic letter keep their answer.
            (Lang::Eng, "The council met on Monday.", Some(Lang::Eng)),
            (
                Lang::Bul,
                "Ankara'da toplanti yapildi, Erdoğan konuştu.",
                Some(Lang::Bul),
            ),
            (Lang::Cmn, "北京市政府今天宣布", Some(Lang::Cmn)),
            (Lang::Ell, "Η κυβέρνηση ανακοίνωσε", Some(Lang::Ell)),
        ];
        for &(lang, sample, want) in cases {
            assert_eq!(cyrillic_letters(lang, sample), want, "{sample}");
        }
    }

    #[test]
    fn words_are_runs_of_letters_in_lower_case() {
        // (text, words)
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            (
                "The Council, 2024: NATO's",
                &["the", "council", "nato", "s"],
            ),
            (
                "Erdoğan İstanbul'da ÇOK",
                &["erdoğan", "i\u{307}stanbul", "da", "çok"],
            ),
            ("Москва и КИЕВ", &["москва", "и", "киев"]),
            ("Αθήνα ΣΟΦΙΑ", &["αθήνα", "σοφια"]),
            ("Straße STRASSE", &["straße", "strasse"]),
            ("北京 COP29会议", &["北京", "cop", "会议"]),
            ("قال أردوغان", &["قال", "أردوغان"]),
        ];
        for &(text, want) in cases {
            let mut got = Vec::new();
            for_each_word(text, &mut String::new(), |w| got.push(w.to_owned()));
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn text_without_prose_is_no_language() {
        // (whatlang's answer, sample, expected). Written for this test.
        let cases: &[(Lang, &str, Option<Lang>)] = &[
            // Earnings tables: no function word of any language.
            (
                Lang::Fra,
                "Shr 45 cts vs 58 cts\n\nNet 1.1 mln vs 829,000\n\nSales 7.9 mln vs 9.4 mln\n\nAvg shrs 2,332,397 vs 1,428,112\n\nNine mths\n\nShr 1.02 dlrs vs 88 cts",
                None,
            ),
            (
                Lang::Cat,
                "Oper shr 17 cts vs 19 cts\nOper net 636,000 vs 358,000\nRevs 10.6 mln vs 7,024,000\nAvg shrs 3,808,000 vs 3,700,000",
                None,
            ),
            (
                Lang::Nob,
                "Qtr ended Jan 31\nShr 12 cts vs 19 cts\nNet 369,000 vs 358,000\nRevs 7,076,000 vs 6,712,000\nAvg shrs 2.9 mln vs 2.8 mln",
                None,
            ),
            // A menu is no prose either.
            (
                Lang::Eng,
                "Home\nNews\nSport\nFinance\nWeather\nVideo\nPodcasts\nNewsletters\nMarkets\nOpinion\nCulture\nTravel\nScience",
                None,
            ),
            // English in capitals with foreign place names: English.
            (
                Lang::Por,
                "THE FOLLOWING RAINFALL WAS RECORDED IN THE LAST 24 HOURS: SANTA MARIA 12 MM, CAMPO ALEGRE NIL, PONTA GROSSA 4 MM, RIO VERDE 7 MM, TRES BARRAS 2 MM",
                Some(Lang::Eng),
            ),
            // Prose keeps whatlang's answer, in every listed language.
            (
                Lang::Fra,
                "Le conseil municipal a voté mardi soir le budget de la ville pour l'année prochaine, après un long débat sur les transports.",
                Some(Lang::Fra),
            ),
            (
                Lang::Deu,
                "Die Stadtwerke haben am Dienstag angekündigt, dass die Preise für Strom und Gas im kommenden Jahr nicht steigen werden.",
                Some(Lang::Deu),
            ),
            (
                Lang::Spa,
                "El gobierno regional anunció el lunes un plan para reducir las listas de espera en los hospitales de la provincia.",
                Some(Lang::Spa),
            ),
            (
                Lang::Pol,
                "Rada miasta przyjęła we wtorek budżet na przyszły rok, a prezydent zapowiedział nowe inwestycje w transport publiczny.",
                Some(Lang::Pol),
            ),
            (
                Lang::Ind,
                "Pemerintah daerah mengumumkan rencana untuk memperbaiki jalan yang rusak di kawasan pesisir pada tahun depan.",
                Some(Lang::Ind),
            ),
            // Short samples are left alone ...
            (Lang::Fra, "Shr 45 cts vs 58 cts", Some(Lang::Fra)),
            // ... and so are languages without a list.
            (
                Lang::Tur,
                "Shr 45 cts vs 58 cts Net 1.1 mln vs 829,000 Sales 7.9 mln vs 9.4 mln Avg shrs 2,332,397",
                Some(Lang::Tur),
            ),
        ];
        for &(lang, sample, want) in cases {
            assert_eq!(function_words(lang, sample), want, "{sample}");
        }
    }

    #[test]
    fn detects_languages() {
        let cases = [
            (
                "en",
                "The Turkish government has denied that the Palestinian movement has moved its political office to the country.",
            ),
            (
                "fr",
                "Le gouvernement turc a démenti que le mouvement palestinien ait déménagé son bureau politique dans le pays.",
            ),
            (
                "de",
                "Die türkische Regierung hat bestritten, dass die palästinensische Bewegung ihr politisches Büro verlegt hat.",
            ),
            (
                "tr",
                "Türk hükümeti, Filistin hareketinin siyasi bürosunu ülkeye taşıdığı iddialarını yalanladı ve açıklama yaptı.",
            ),
            (
                "es",
                "El gobierno turco ha negado que el movimiento palestino haya trasladado su oficina política al país.",
            ),
            (
                "ru",
                "Правительство Турции опровергло сообщения о том, что палестинское движение перенесло свой политический офис.",
            ),
            (
                "ar",
                "نفت الحكومة التركية أن تكون الحركة الفلسطينية قد نقلت مكتبها السياسي إلى البلاد في الأسابيع الماضية.",
            ),
            (
                "zh",
                "土耳其政府否认巴勒斯坦运动已将其政治办公室迁至该国，并表示相关报道不符合事实。",
            ),
            (
                "ja",
                "トルコ政府は、パレスチナの運動が政治事務所を同国に移転したとの報道を否定した。",
            ),
            (
                "ko",
                "터키 정부는 팔레스타인 운동이 정치 사무소를 자국으로 옮겼다는 보도를 부인했다.",
            ),
            (
                "el",
                "Η τουρκική κυβέρνηση διέψευσε ότι το παλαιστινιακό κίνημα μετέφερε το πολιτικό του γραφείο στη χώρα.",
            ),
            (
                "he",
                "ממשלת טורקיה הכחישה כי התנועה הפלסטינית העבירה את משרדה המדיני למדינה בשבועות האחרונים.",
            ),
            (
                "hi",
                "तुर्की सरकार ने इस बात से इनकार किया है कि फ़िलिस्तीनी आंदोलन ने अपना राजनीतिक कार्यालय देश में स्थानांतरित कर दिया है।",
            ),
        ];
        for (want, text) in cases {
            assert_eq!(detect(text, None), want, "{text}");
        }
    }

    #[test]
    fn japanese_with_latin_words_is_japanese() {
        // (what, text): Japanese whose Latin letters outnumber its kanji and
        // its kana taken one by one, but not together; written for this test.
        let cases = [
            (
                "english promo glued before the article",
                "Sign up for our newsletter to get the latest news. 【東京】政府（Government）は金曜日、新しい経済対策（Economic Package）を発表した。首相は記者会見で、物価高への対応を急ぐと述べた。",
            ),
            (
                "names in parentheses",
                "ナイジェリア北東部ボルノ（Borno）州で、武装組織（Boko Haram）による攻撃（attack）があり、地元当局者（local officials）が明らかにした。",
            ),
        ];
        let corpus = Identifier::from_sample([
            "The government said on Monday that the talks would continue next week in the capital, officials said.",
            "Le gouvernement a indiqué lundi que les discussions se poursuivraient la semaine prochaine dans la capitale.",
        ]);
        for (what, text) in cases {
            assert!(
                without_latin_letters_if_cjk(sample(text)).is_some(),
                "{what}: the case must have Latin letters in the lead"
            );
            assert_eq!(detect(text, None), "ja", "{what}");
            assert_eq!(corpus.detect(text, None), "ja", "{what}, narrowed");
        }
        // Chinese whose Latin names outnumber its characters is Chinese.
        for text in [
            "ATLAS Mara Limited 宣布交易更新（ACCESSWIRE Newswire）TORTOLA Atlas Mara Limited 今日表示，公司已与 Banque Populaire du Rwanda 签订协议，交易预计在年底前完成。",
            "Kerrisdale Estate 的新住宅位于 Beaconsfield Mod Crescent 六号。Download the NewsMirror app 开发商表示，房屋将于下月开放参观。",
        ] {
            assert!(
                without_latin_letters_if_cjk(sample(text)).is_some(),
                "{text}"
            );
            assert_eq!(detect(text, None), "zh", "{text}");
            assert_eq!(corpus.detect(text, None), "zh", "{text}, narrowed");
        }
        // Japanese led by kanji or kana, Chinese led by its characters, and
        // English quoting a few Japanese words are left as they are.
        for text in [
            "トルコ政府は、パレスチナの運動が政治事務所を同国に移転したとの報道を否定した。",
            "土耳其政府（Turkish government）否认巴勒斯坦运动已将其政治办公室迁至该国。",
            "The restaurant, called 寿司の店 in Japanese, opened on Monday in the centre of the old town.",
        ] {
            assert_eq!(without_latin_letters_if_cjk(sample(text)), None, "{text}");
        }
    }

    #[test]
    fn narrowed_scoring_agrees_and_falls_back() {
        // A corpus of English and French: its texts come out the same, and
        // texts in languages the sample never showed still get their own
        // language (through the letter check or the fallback).
        let id = Identifier::from_sample([
            "The government said on Monday that the talks would continue next week in the capital, officials said.",
            "Officials said the new bridge would open to traffic in the spring after two years of delays and rising costs.",
            "Le gouvernement a déclaré lundi que les discussions se poursuivraient la semaine prochaine dans la capitale.",
            "Les autorités ont indiqué que le nouveau pont ouvrirait au printemps après deux ans de retard et de surcoûts.",
        ]);
        assert!(id.narrow.is_some());
        let cases = [
            (
                "en",
                "The minister told reporters in the capital that the agreement would be signed before the end of the year.",
            ),
            (
                "fr",
                "Le ministre a déclaré aux journalistes que l'accord serait signé avant la fin de l'année, selon des sources.",
            ),
            (
                "ru",
                "Правительство Турции опровергло сообщения о том, что палестинское движение перенесло свой политический офис.",
            ),
            (
                "tr",
                "Türk hükümeti, Filistin hareketinin siyasi bürosunu ülkeye taşıdığı iddialarını yalanladı ve açıklama yaptı.",
            ),
            (
                "de",
                "Die türkische Regierung hat bestritten, dass die palästinensische Bewegung ihr politisches Büro verlegt hat.",
            ),
            (
                "pl",
                "Rząd Turcji zaprzeczył doniesieniom, że palestyński ruch przeniósł swoje biuro polityczne do tego kraju.",
            ),
            (
                "ja",
                "トルコ政府は、パレスチナの運動が政治事務所を同国に移転したとの報道を否定した。",
            ),
        ];
        for (want, text) in cases {
            assert_eq!(id.detect(text, None), want, "{text}");
        }
    }

    #[test]
    fn remembered_answers_are_the_scored_ones() {
        // (language, text): the second look at a sample comes from the memo
        // and must be the answer scoring gives, for every script and for
        // texts too short to call.
        let cases = [
            (
                "en",
                "The city council approved the new budget on Monday after a long debate about schools.",
            ),
            (
                "de",
                "Der Stadtrat hat den Haushalt am Montag nach langer Debatte beschlossen, sagte der Sprecher.",
            ),
            (
                "tr",
                "Belediye meclisi yeni bütçeyi pazartesi günü uzun bir tartışmanın ardından onayladı.",
            ),
            (
                "ru",
                "Городской совет в понедельник утвердил новый бюджет после долгих споров о школах.",
            ),
            (
                "ar",
                "وافق المجلس البلدي يوم الاثنين على الميزانية الجديدة بعد نقاش طويل حول المدارس.",
            ),
            (
                "zh",
                "市议会周一在长时间辩论后批准了新预算，市长表示这次投票让学校松了一口气。",
            ),
            ("short", "Hi."),
        ];
        let narrowed = Identifier::from_sample(cases.iter().map(|(_, t)| *t));
        for id in [Identifier::all(), narrowed] {
            for (what, text) in cases {
                let scored = id.score(sample(text));
                assert_eq!(id.detect_text(text), scored, "{what}, first");
                assert_eq!(id.detect_text(text), scored, "{what}, remembered");
                assert_eq!(id.clone().detect_text(text), scored, "{what}, clone");
            }
        }
    }

    #[test]
    fn one_language_of_a_script_needs_no_scoring() {
        // (what, text): a corpus with one Cyrillic, one Arabic, one Hebrew
        // and one Devanagari language, and several Latin ones. The shortcut
        // must give whatlang's narrowed answer for every text, including
        // texts in a language the corpus does not have.
        let corpus = [
            "Городской совет в понедельник утвердил новый бюджет после долгих споров о школах.",
            "وافق المجلس البلدي يوم الاثنين على الميزانية الجديدة بعد نقاش طويل حول المدارس.",
            "The city council approved the new budget on Monday after a long debate about schools.",
            "Der Stadtrat hat den Haushalt am Montag nach langer Debatte beschlossen, sagte der Sprecher.",
            "האקדמיה ללשון העברית קבעה היום כללים חדשים לכתיב מלא ולניקוד.",
            "नगर परिषद ने सोमवार को लंबी बहस के बाद नया बजट मंजूर किया और स्कूलों को राहत दी।",
        ];
        let id = Identifier::from_sample(corpus);
        let Some(narrow) = &id.narrow else {
            panic!("no narrowed detector");
        };
        let scripts: Vec<whatlang::Script> = id.alone.iter().map(|(s, _)| *s).collect();
        assert!(scripts.contains(&whatlang::Script::Cyrillic), "{scripts:?}");
        assert!(scripts.contains(&whatlang::Script::Arabic), "{scripts:?}");
        assert!(!scripts.contains(&whatlang::Script::Latin), "{scripts:?}");
        let others = [
            (
                "ukrainian",
                "Міська рада в понеділок ухвалила новий бюджет після довгої дискусії про школи.",
            ),
            (
                "persian",
                "شورای شهر روز دوشنبه پس از بحثی طولانی بودجه جدید را تصویب کرد و مدارس راضی بودند.",
            ),
            (
                "yiddish",
                "די שטאָט־ראַט האָט מאָנטיק באַשטעטיקט דעם נייעם בודזשעט נאָך אַ לאַנגער דעבאַטע.",
            ),
            (
                "marathi",
                "नगर परिषदेने सोमवारी दीर्घ चर्चेनंतर नवीन अर्थसंकल्प मंजूर केला आणि शाळांना दिलासा मिळाला.",
            ),
        ];
        for (what, text) in corpus.iter().map(|t| ("corpus", *t)).chain(others) {
            let s = sample(text);
            let shortcut = whatlang::detect_script(s)
                .and_then(|script| id.alone.iter().find(|(x, _)| *x == script));
            if let Some(&(_, lang)) = shortcut {
                let info = narrow.detect(s).expect(what);
                assert_eq!(info.lang(), lang, "{what}");
                assert!(info.is_reliable(), "{what}");
            }
        }
    }

    #[test]
    fn hints_and_short_texts() {
        let cases = [
            (
                "Some English text that is long enough.",
                Some("de-AT"),
                "de",
            ),
            ("Some English text that is long enough.", Some("TUR"), "tr"),
            (
                "The government said on Monday that the talks would continue next week in the capital.",
                Some("not a code!"),
                "en",
            ),
            ("Ok.", None, UNDETERMINED),
            ("", None, UNDETERMINED),
            ("12345 67890 !!!", None, UNDETERMINED),
        ];
        for (text, hint, want) in cases {
            assert_eq!(detect(text, hint), want, "{text} {hint:?}");
        }
    }
}
