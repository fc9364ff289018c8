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

use whatlang::Lang;

/// Code for "undetermined", as in BCP 47.
pub const UNDETERMINED: &str = "und";

/// How many bytes of text detection looks at.
const SAMPLE_BYTES: usize = 1200;

/// Fewer letters than this are too few to guess from.
const MIN_LETTERS: usize = 12;

/// The document's language code. See the module docs.
pub fn detect(text: &str, hint: Option<&str>) -> String {
    if let Some(code) = hint.and_then(normalize_code) {
        return code;
    }
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return UNDETERMINED.to_owned();
    }
    match whatlang::detect(sample) {
        Some(info) if info.is_reliable() || info.confidence() >= 0.5 => {
            iso639_1(info.lang()).to_owned()
        }
        _ => UNDETERMINED.to_owned(),
    }
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
