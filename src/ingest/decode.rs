//! Bytes to text: BOM sniffing, binary detection, UTF-8, UTF-16 and legacy
//! encodings.
//!
//! Scraped folders mix UTF-8 (with and without a BOM), UTF-16 saved by
//! Windows tools, and legacy code pages (cp1252, koi8-r, windows-1256,
//! gb18030, shift_jis, ...). The order of the checks matters:
//!
//! 1. A BOM is authoritative (UTF-8, UTF-16LE, UTF-16BE).
//! 2. Magic numbers and NUL density catch images, PDFs and archives that
//!    carry a text extension; those are reported, never decoded to garbage.
//! 3. UTF-16 without a BOM is recognised by its NUL pattern.
//! 4. Valid UTF-8 is UTF-8. Mostly-valid UTF-8 with a few broken bytes stays
//!    UTF-8 with replacements rather than being misread as cp1252.
//! 5. Otherwise chardetng guesses and encoding_rs decodes.
//!
//! Invalid sequences are replaced with U+FFFD and counted; decoding never
//! fails and never panics.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// Text decoded from a file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The WHATWG name of the encoding used, e.g. `UTF-8`, `windows-1252`.
    pub encoding: &'static str,
    /// Number of invalid sequences replaced with U+FFFD.
    pub replaced: usize,
}

/// What the bytes turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoding {
    Text(Decoded),
    /// Not text: the reason names what it looks like (`pdf`, `png`, `nul bytes`).
    Binary(&'static str),
}

/// How many leading bytes the binary and UTF-16 sniffers look at.
const SNIFF_LEN: usize = 8192;

/// Decode a file's bytes to text. See the module docs for the order of checks.
pub fn decode(bytes: &[u8]) -> Decoding {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Decoding::Text(decode_with(encoding, &bytes[bom_len..]));
    }
    if let Some(kind) = binary_magic(bytes) {
        return Decoding::Binary(kind);
    }
    if let Some(encoding) = sniff_utf16(bytes) {
        return Decoding::Text(decode_with(encoding, bytes));
    }
    if looks_binary(bytes) {
        return Decoding::Binary("nul or control bytes");
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoding::Text(Decoded {
            text: text.to_owned(),
            encoding: UTF_8.name(),
            replaced: 0,
        });
    }
    if mostly_utf8(bytes) {
        return Decoding::Text(decode_with(UTF_8, bytes));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    Decoding::Text(decode_with(encoding, bytes))
}

/// Decode without BOM handling and count the replacements.
fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let replaced = if had_errors {
        // The source may hold genuine U+FFFD too; count only what decoding
        // added by comparing against the count a clean decode would give.
        let total = text.chars().filter(|&c| c == '\u{FFFD}').count();
        let genuine = if encoding == UTF_8 {
            count_genuine_replacement_chars(bytes)
        } else {
            0
        };
        total.saturating_sub(genuine).max(1)
    } else {
        0
    };
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        replaced,
    }
}

/// Count U+FFFD characters that are encoded validly in the UTF-8 input.
fn count_genuine_replacement_chars(bytes: &[u8]) -> usize {
    bytes
        .utf8_chunks()
        .map(|chunk| chunk.valid().matches('\u{FFFD}').count())
        .sum()
}

/// Recognise common binary formats by their leading bytes.
fn binary_magic(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "pdf"),
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"\xFF\xD8\xFF", "jpeg"),
        (b"GIF87a", "gif"),
        (b"GIF89a", "gif"),
        (b"PK\x03\x04", "zip"),
        (b"PK\x05\x06", "zip"),
        (b"\x1F\x8B", "gzip"),
        (b"BZh", "bzip2"),
        (b"\xFD7zXZ\x00", "xz"),
        (b"7z\xBC\xAF\x27\x1C", "7z"),
        (b"Rar!\x1A\x07", "rar"),
        (b"\x7FELF", "elf"),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "ole"),
        (b"SQLite format 3\x00", "sqlite"),
        (b"\x28\xB5\x2F\xFD", "zstd"),
        (b"OggS", "ogg"),
        (b"ID3", "mp3"),
        (b"wOFF", "woff"),
        (b"wOF2", "woff2"),
    ];
    for (magic, kind) in MAGIC {
        if bytes.starts_with(magic) {
            return Some(kind);
        }
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some("webp");
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some("mp4");
    }
    None
}

/// UTF-16 without a BOM: ASCII-range text leaves a NUL in every other byte.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    let pairs = head.len() / 2;
    if pairs < 8 {
        return None;
    }
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        even_nul += usize::from(pair[0] == 0);
        odd_nul += usize::from(pair[1] == 0);
    }
    // Latin text in UTF-16 has a NUL high byte in most code units; require a
    // clear majority on one side and almost none on the other.
    if odd_nul * 10 >= pairs * 4 && even_nul * 20 <= pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 4 && odd_nul * 20 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Text has almost no NULs or C0 controls other than whitespace and ESC.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if head.is_empty() {
        return false;
    }
    let suspicious = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    suspicious * 10 > head.len()
}

/// Invalid UTF-8 with many valid multi-byte sequences is damaged UTF-8, not a
/// legacy code page: cp1252 text almost never forms valid UTF-8 sequences.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    multibyte > 0 && multibyte >= 2 * invalid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: Decoding) -> Decoded {
        match d {
            Decoding::Text(t) => t,
            Decoding::Binary(kind) => panic!("unexpected binary: {kind}"),
        }
    }

    #[test]
    fn encodings_round_trip() {
        // (label, sample text, encoding used to produce the bytes)
        let cases: &[(&str, &str)] = &[
            (
                "windows-1252",
                "Le président français a été reçu à l'Élysée. Déjà vu, café, naïve, où.",
            ),
            (
                "KOI8-R",
                "Президент России заявил журналистам, что переговоры продолжатся в Москве на этой неделе.",
            ),
            (
                "windows-1256",
                "قال الرئيس إن المفاوضات ستستمر في القاهرة هذا الأسبوع بحضور الوزراء والسفراء.",
            ),
            (
                "gb18030",
                "中国国家主席在北京会见了来访的外国领导人，双方就经济合作交换了意见。",
            ),
            (
                "Shift_JIS",
                "日本の首相は東京で記者会見を開き、経済対策について説明した。",
            ),
            (
                "windows-1254",
                "Türkiye Cumhurbaşkanı Erdoğan, İstanbul'da gazetecilere açıklama yaptı. Güneşli ağaç.",
            ),
        ];
        for (label, sample) in cases {
            let encoding = Encoding::for_label(label.as_bytes()).unwrap();
            let (bytes, _, unmappable) = encoding.encode(sample);
            assert!(!unmappable, "{label} cannot encode the sample");
            let decoded = text(decode(&bytes));
            assert_eq!(
                decoded.text, *sample,
                "{label} decoded as {}",
                decoded.encoding
            );
            assert_eq!(decoded.replaced, 0);
        }
    }

    #[test]
    fn boms() {
        let mut utf8 = b"\xEF\xBB\xBF".to_vec();
        utf8.extend_from_slice("Türkiye".as_bytes());
        let d = text(decode(&utf8));
        assert_eq!((d.text.as_str(), d.encoding), ("Türkiye", "UTF-8"));

        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in "Кипр и Türkiye".encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(text(decode(&le)).text, "Кипр и Türkiye");
        assert_eq!(text(decode(&le)).encoding, "UTF-16LE");
        assert_eq!(text(decode(&be)).text, "Кипр и Türkiye");
        assert_eq!(text(decode(&be)).encoding, "UTF-16BE");
    }

    #[test]
    fn utf16_without_bom() {
        let mut le = Vec::new();
        for unit in "The minister said on Monday that talks would go on.".encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
        }
        let d = text(decode(&le));
        assert_eq!(d.encoding, "UTF-16LE");
        assert!(d.text.starts_with("The minister"));
    }

    #[test]
    fn binaries() {
        let cases: &[(&[u8], &str)] = &[
            (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", "pdf"),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "png"),
            (b"PK\x03\x04\x14\0\0\0\x08\0", "zip"),
            (b"\x1F\x8B\x08\0\0\0\0\0", "gzip"),
        ];
        for (bytes, want) in cases {
            assert_eq!(decode(bytes), Decoding::Binary(want));
        }
        let noise: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
        assert!(matches!(decode(&noise), Decoding::Binary(_)));
    }

    #[test]
    fn damaged_utf8_is_replaced_and_counted() {
        let mut bytes = "Erdoğan ve Türkiye: çok güzel bir gün.".as_bytes().to_vec();
        bytes.push(0xFF);
        bytes.extend_from_slice(" Şimdi".as_bytes());
        let d = text(decode(&bytes));
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replaced, 1);
        assert!(d.text.contains("Erdoğan") && d.text.contains('\u{FFFD}'));
    }

    #[test]
    fn empty_and_ascii() {
        assert_eq!(text(decode(b"")).text, "");
        assert_eq!(text(decode(b"plain ascii")).encoding, "UTF-8");
    }
}
