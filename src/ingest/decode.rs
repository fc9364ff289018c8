//! Bytes to text: BOM sniffing, binary detection, UTF-8, UTF-16 and legacy
//! encodings, streamed so that a file of any size is decoded in bounded
//! memory.
//!
//! Scraped folders mix UTF-8 (with and without a BOM), UTF-16 saved by
//! Windows tools, and legacy code pages (cp1252, koi8-r, windows-1256,
//! gb18030, shift_jis, ...). Decoding happens in two steps:
//!
//! 1. [`sniff`] looks at the bytes and decides what they are. The order of
//!    the checks matters:
//!    1. A BOM is authoritative (UTF-8, UTF-16LE, UTF-16BE).
//!    2. Magic numbers and control-byte density in the first 8 KiB catch
//!       images, PDFs and archives that carry a text extension; those are
//!       reported, never decoded to garbage.
//!    3. UTF-16 without a BOM is recognised by its NUL pattern.
//!    4. Valid UTF-8 is UTF-8. Mostly-valid UTF-8 with a few broken bytes
//!       stays UTF-8 with replacements rather than being misread as cp1252.
//!    5. Otherwise chardetng guesses.
//!
//!    Steps 4 and 5 look at every byte up to a limit (the whole file for
//!    record files, the part that will be used for a text file), a chunk at
//!    a time, so the verdict is the one a whole-file look would give while
//!    memory stays at one chunk. They read the source again from the start
//!    when chardetng is needed, hence `Read + Seek`.
//! 2. [`Transcoder`] decodes the stream with encoding_rs into UTF-8, one
//!    chunk at a time, as a [`BufRead`]. It replaces each invalid sequence
//!    with U+FFFD and remembers where in its output it did so, so that a
//!    record parser can charge each replacement to the record it fell in.
//!
//! Invariants: decoding never fails on bad bytes and never panics; only I/O
//! errors are errors. Every replacement is counted exactly once (a U+FFFD
//! that was valid in the input is not a replacement). [`decode`] is the same
//! two steps on a byte slice.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read, Seek, SeekFrom};

use encoding_rs::{DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE};

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

/// The verdict of [`sniff`]: how to decode a stream, or why not to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// Text in `encoding`; the first `bom` bytes are a byte order mark.
    Text {
        encoding: &'static Encoding,
        bom: u64,
    },
    /// Not text (see [`Decoding::Binary`]).
    Binary(&'static str),
}

/// How many leading bytes the binary and UTF-16 sniffers look at.
const SNIFF_LEN: usize = 8192;

/// Bytes read from the source per step, by the sniffer and the transcoder.
const CHUNK: usize = 64 * 1024;

/// Decode a whole byte slice to text. See the module docs for the checks.
pub fn decode(bytes: &[u8]) -> Decoding {
    let mut cursor = io::Cursor::new(bytes);
    // Reading from memory cannot fail.
    let Ok(sniffed) = sniff(&mut cursor, u64::MAX) else {
        return Decoding::Binary("unreadable");
    };
    let (encoding, bom) = match sniffed {
        Sniffed::Binary(kind) => return Decoding::Binary(kind),
        Sniffed::Text { encoding, bom } => (encoding, bom as usize),
    };
    let mut transcoder = Transcoder::new(&bytes[bom.min(bytes.len())..], encoding);
    let mut text = String::with_capacity(bytes.len());
    match transcoder.read_to_string(&mut text) {
        Ok(_) => Decoding::Text(Decoded {
            text,
            encoding: encoding.name(),
            replaced: transcoder.replaced(),
        }),
        Err(_) => Decoding::Binary("unreadable"),
    }
}

/// Decide how to decode `src`, looking at no more than `limit` bytes of it.
///
/// Reads from the start of `src` and leaves its position anywhere: seek to
/// `bom` before decoding. `limit` bounds the work, not the memory (which is
/// one chunk): pass the number of bytes that will be used.
pub fn sniff<R: Read + Seek>(src: &mut R, limit: u64) -> io::Result<Sniffed> {
    sniff_sized(src, limit, u64::MAX)
}

/// [`sniff`] for a source of about `size` bytes: its buffers are no larger
/// than the source needs (a news article is a few KiB, the buffers 64 KiB).
/// The verdict does not depend on `size`; a source longer than `size` is
/// still read to its end (or `limit`).
pub fn sniff_sized<R: Read + Seek>(src: &mut R, limit: u64, size: u64) -> io::Result<Sniffed> {
    src.seek(SeekFrom::Start(0))?;
    let mut head = Vec::with_capacity(SNIFF_LEN);
    src.by_ref()
        .take((SNIFF_LEN as u64).min(limit))
        .read_to_end(&mut head)?;
    if let Some((encoding, bom_len)) = Encoding::for_bom(&head) {
        return Ok(Sniffed::Text {
            encoding,
            bom: bom_len as u64,
        });
    }
    if let Some(kind) = binary_magic(&head) {
        return Ok(Sniffed::Binary(kind));
    }
    if let Some(encoding) = sniff_utf16(&head) {
        return Ok(Sniffed::Text { encoding, bom: 0 });
    }
    if looks_binary(&head) {
        return Ok(Sniffed::Binary("nul or control bytes"));
    }
    // Steps 4 and 5 over everything up to the limit.
    src.seek(SeekFrom::Start(0))?;
    let utf8 = Utf8Census::of(src.by_ref().take(limit), chunk_for(size.min(limit)))?;
    if utf8.invalid == 0 || utf8.mostly_utf8() {
        return Ok(Sniffed::Text {
            encoding: UTF_8,
            bom: 0,
        });
    }
    src.seek(SeekFrom::Start(0))?;
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    let mut buf = vec![0u8; CHUNK];
    let mut rest = src.by_ref().take(limit);
    loop {
        let n = read_full(&mut rest, &mut buf)?;
        detector.feed(&buf[..n], n < buf.len());
        if n < buf.len() {
            break;
        }
    }
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    Ok(Sniffed::Text { encoding, bom: 0 })
}

/// The read size for a source of `size` bytes: one read takes it whole
/// (and the next finds its end), up to [`CHUNK`].
fn chunk_for(size: u64) -> usize {
    usize::try_from(size.saturating_add(1)).map_or(CHUNK, |s| s.clamp(1, CHUNK))
}

/// Fill `buf` as far as the source allows; fewer bytes means end of input.
fn read_full(src: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match src.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Counts of valid non-ASCII characters and invalid sequences in a UTF-8
/// reading of a stream, taken a chunk at a time.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Utf8Census {
    /// Valid multi-byte characters.
    multibyte: usize,
    /// Maximal invalid subsequences (what a decoder would replace).
    invalid: usize,
}

impl Utf8Census {
    /// The census of `src`, read `chunk` bytes at a time (any size gives
    /// the same counts).
    fn of(mut src: impl Read, chunk: usize) -> io::Result<Utf8Census> {
        let mut census = Utf8Census::default();
        let chunk = chunk.max(1);
        let mut buf = vec![0u8; chunk + 4];
        // Bytes of a sequence cut by the chunk boundary, carried over.
        let mut carry = 0usize;
        loop {
            let n = read_full(&mut src, &mut buf[carry..carry + chunk])?;
            let end = carry + n;
            let at_end = n < chunk;
            let mut rest = &buf[..end];
            loop {
                match simdutf8::compat::from_utf8(rest) {
                    Ok(valid) => {
                        census.count_valid(valid.as_bytes());
                        rest = &[];
                        break;
                    }
                    Err(e) => {
                        census.count_valid(&rest[..e.valid_up_to()]);
                        match e.error_len() {
                            Some(len) => {
                                census.invalid += 1;
                                rest = &rest[e.valid_up_to() + len..];
                            }
                            None if at_end => {
                                // A sequence cut by the end: by the limit it
                                // is no evidence either way, and a file cut
                                // short is still UTF-8 (the transcoder
                                // counts the replacement).
                                rest = &[];
                                break;
                            }
                            None => {
                                rest = &rest[e.valid_up_to()..];
                                break;
                            }
                        }
                    }
                }
            }
            if at_end {
                return Ok(census);
            }
            carry = rest.len();
            let from = end - carry;
            buf.copy_within(from..end, 0);
        }
    }

    fn count_valid(&mut self, bytes: &[u8]) {
        // Every multi-byte character has exactly one lead byte >= 0xC0.
        self.multibyte += bytes.iter().filter(|&&b| b >= 0xC0).count();
    }

    /// Invalid UTF-8 with many valid multi-byte sequences is damaged UTF-8,
    /// not a legacy code page: cp1252 text almost never forms valid UTF-8
    /// sequences.
    fn mostly_utf8(&self) -> bool {
        self.multibyte > 0 && self.multibyte >= 2 * self.invalid
    }
}

/// A streaming decoder: reads bytes in one encoding, yields UTF-8.
///
/// Invalid sequences become U+FFFD; [`Transcoder::replaced`] counts them and
/// [`Transcoder::take_replacements_before`] tells which output bytes they
/// fell in. The caller skips the BOM (see [`Sniffed::Text`]) before handing
/// the source over. Memory: one input chunk and one output chunk.
pub struct Transcoder<R> {
    src: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    src_done: bool,
    finished: bool,
    out: Vec<u8>,
    out_pos: usize,
    /// Output offset of `out[0]`.
    base: u64,
    /// Output offsets of replacement characters not yet taken.
    replacements: VecDeque<u64>,
    replaced: usize,
}

impl<R: Read> Transcoder<R> {
    pub fn new(src: R, encoding: &'static Encoding) -> Transcoder<R> {
        Transcoder::sized(src, encoding, u64::MAX)
    }

    /// A transcoder for a source of about `size` bytes, with buffers no
    /// larger than it needs; the output does not depend on `size`.
    pub fn sized(src: R, encoding: &'static Encoding, size: u64) -> Transcoder<R> {
        let chunk = chunk_for(size);
        Transcoder {
            src,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; chunk],
            in_start: 0,
            in_end: 0,
            src_done: false,
            finished: false,
            out: Vec::with_capacity(chunk * 3 + 16),
            out_pos: 0,
            base: 0,
            replacements: VecDeque::new(),
            replaced: 0,
        }
    }

    /// Invalid sequences replaced so far.
    pub fn replaced(&self) -> usize {
        self.replaced
    }

    /// Output bytes handed out so far (consumed by the reader).
    pub fn position(&self) -> u64 {
        self.base + self.out_pos as u64
    }

    /// How many of the replacements not yet taken lie before output offset
    /// `offset`; they are taken.
    pub fn take_replacements_before(&mut self, offset: u64) -> usize {
        let mut n = 0;
        while self.replacements.front().is_some_and(|&at| at < offset) {
            self.replacements.pop_front();
            n += 1;
        }
        n
    }

    /// Decode the next stretch of input into `out`. Leaves `out` empty only
    /// at the end of the stream.
    fn refill(&mut self) -> io::Result<()> {
        self.base += self.out.len() as u64;
        self.out.clear();
        self.out_pos = 0;
        while self.out.is_empty() && !self.finished {
            if self.in_start == self.in_end && !self.src_done {
                let n = loop {
                    match self.src.read(&mut self.input) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                self.in_start = 0;
                self.in_end = n;
                self.src_done = n == 0;
            }
            self.decode_input();
        }
        Ok(())
    }

    /// Decode what is buffered in `input` into `out`.
    fn decode_input(&mut self) {
        loop {
            let start = self.out.len();
            let room = (self.in_end - self.in_start) * 3 + 16;
            self.out.resize(start + room, 0);
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.in_start..self.in_end],
                &mut self.out[start..],
                self.src_done,
            );
            self.out.truncate(start + written);
            self.in_start += read;
            match result {
                DecoderResult::InputEmpty => {
                    if self.src_done {
                        self.finished = true;
                    }
                    return;
                }
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(_, _) => {
                    self.replacements
                        .push_back(self.base + self.out.len() as u64);
                    self.replaced += 1;
                    self.out.extend_from_slice("\u{FFFD}".as_bytes());
                }
            }
        }
    }
}

impl<R: Read> Read for Transcoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Transcoder<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.out_pos >= self.out.len() {
            self.refill()?;
        }
        Ok(&self.out[self.out_pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.out_pos = (self.out_pos + amt).min(self.out.len());
    }
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
///
/// A few stray NULs in text (a padded record, a bad copy) stay below the
/// 10% bar; ingest removes them and flags the document.
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
    fn genuine_replacement_characters_are_not_counted() {
        // (input, replaced): a U+FFFD written validly is text, not damage.
        let cases: &[(&[u8], usize)] = &[
            ("Ölçüm � tamam.".as_bytes(), 0),
            (b"\xC3\xA7ok \xEF\xBF\xBD ve \xFF son \xC3\xBC", 1),
            (b"\xC3\xA7\xC3\xBC\xC3\xB6 \xE2\x82", 1), // cut at the end
        ];
        for (bytes, want) in cases {
            let d = text(decode(bytes));
            assert_eq!((d.encoding, d.replaced), ("UTF-8", *want), "{bytes:?}");
        }
    }

    #[test]
    fn empty_and_ascii() {
        assert_eq!(text(decode(b"")).text, "");
        assert_eq!(text(decode(b"plain ascii")).encoding, "UTF-8");
    }

    /// A reader that hands out one byte at a time, the worst case for
    /// sequences cut between reads.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.is_empty()) {
                (Some((&b, rest)), false) => {
                    buf[0] = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn streaming_matches_whole_decoding_and_places_replacements() {
        let samples: &[(&str, &[u8])] = &[
            ("UTF-8", "Ça va? Ğüzel — 中文 😀".as_bytes()),
            ("UTF-8", b"ab\xFFcd\xC3\xA7\xE2\x82x\xF0\x9F\x98"),
            ("windows-1252", b"caf\xe9 \x80 na\xefve"),
            ("UTF-16LE", b"a\0b\0\x3D\xD8\x00\xDEc\0\x00\xD8"),
            ("Shift_JIS", b"\x93\xfa\x96\x7b\x82\xa0"),
        ];
        for (label, bytes) in samples {
            let encoding = Encoding::for_label(label.as_bytes()).unwrap();
            let (whole, _) = encoding.decode_without_bom_handling(bytes);
            let mut t = Transcoder::new(Trickle(bytes), encoding);
            let mut streamed = String::new();
            t.read_to_string(&mut streamed).unwrap();
            assert_eq!(streamed, whole, "{label}");
            // Every recorded offset holds a U+FFFD in the output.
            let offsets: Vec<u64> = t.replacements.iter().copied().collect();
            assert_eq!(offsets.len(), t.replaced(), "{label}");
            for at in offsets {
                assert!(
                    streamed[at as usize..].starts_with('\u{FFFD}'),
                    "{label}: {at}"
                );
            }
            let total = t.replaced();
            assert_eq!(t.take_replacements_before(u64::MAX), total);
        }
    }

    #[test]
    fn buffer_sizes_change_nothing() {
        // (what, bytes): the census, the sniffer's verdict and the decoded
        // text are the same whatever size the buffers are given.
        let cases: &[(&str, &[u8])] = &[
            ("utf-8", "Ça va? Ğüzel — 中文 😀 Москва".as_bytes()),
            ("damaged utf-8", b"ab\xFFcd\xC3\xA7\xE2\x82x\xF0\x9F\x98"),
            ("windows-1252", b"caf\xe9 \x80 na\xefve cr\xe8me"),
            ("utf-16le bom", b"\xFF\xFEa\0b\0\x3D\xD8\x00\xDEc\0"),
            ("empty", b""),
        ];
        for (what, bytes) in cases {
            let whole = Utf8Census::of(*bytes, CHUNK).unwrap();
            let verdict = sniff(&mut io::Cursor::new(bytes), u64::MAX).unwrap();
            let Sniffed::Text { encoding, bom } = verdict else {
                panic!("{what}: binary");
            };
            let mut want = String::new();
            Transcoder::new(&bytes[bom as usize..], encoding)
                .read_to_string(&mut want)
                .unwrap();
            for size in [0u64, 1, 2, 3, 5, 16, bytes.len() as u64, 1 << 40] {
                let chunk = chunk_for(size);
                assert_eq!(
                    Utf8Census::of(*bytes, chunk).unwrap(),
                    whole,
                    "{what} {size}"
                );
                let sized = sniff_sized(&mut io::Cursor::new(bytes), u64::MAX, size).unwrap();
                assert_eq!(sized, verdict, "{what} {size}");
                let mut t = Transcoder::sized(&bytes[bom as usize..], encoding, size);
                let mut got = String::new();
                t.read_to_string(&mut got).unwrap();
                assert_eq!(got, want, "{what} {size}");
            }
        }
    }

    #[test]
    fn census_across_chunk_boundaries() {
        // A multi-byte character straddling the 64 KiB chunk boundary is
        // valid, not two invalid halves.
        let mut bytes = vec![b'a'; CHUNK - 1];
        bytes.extend_from_slice("ğ".as_bytes());
        bytes.extend_from_slice(b" tail");
        let census = Utf8Census::of(&bytes[..], CHUNK).unwrap();
        assert_eq!(
            census,
            Utf8Census {
                multibyte: 1,
                invalid: 0
            }
        );
        bytes.push(0xFF);
        assert_eq!(Utf8Census::of(&bytes[..], CHUNK).unwrap().invalid, 1);
    }

    #[test]
    fn sniff_limit_bounds_the_look() {
        // Latin-1 bytes after the limit do not change the verdict.
        let mut bytes = "plain ascii text. ".repeat(1000).into_bytes();
        let cut = bytes.len() as u64;
        bytes.extend_from_slice(b"caf\xe9 cr\xe8me br\xfbl\xe9e");
        let mut cursor = io::Cursor::new(&bytes);
        assert_eq!(
            sniff(&mut cursor, cut).unwrap(),
            Sniffed::Text {
                encoding: UTF_8,
                bom: 0
            }
        );
        let Sniffed::Text { encoding, .. } = sniff(&mut cursor, u64::MAX).unwrap() else {
            panic!("binary");
        };
        assert_eq!(encoding.name(), "windows-1252");
    }
}
