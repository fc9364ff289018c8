//! Record formats: JSONL/NDJSON (one object per line) and CSV/TSV (one row
//! per document, with a header).
//!
//! Each record keeps the line it starts on, so `doc_id` can be `path:line`.
//! A line or row that does not parse becomes a record with an error; the
//! other records of the file go on. Only a file-level problem (a table with
//! no text column) fails the whole file.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

use encoding_rs::UTF_8;
use serde_json::Value;

use super::decode::Transcoder;

/// Which field or column holds each piece of a record.
///
/// Each slot lists candidate names, tried in order. The defaults accept the
/// usual spellings (`text`, `content`, `body`, ...); a user-supplied name
/// replaces the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    pub text: Vec<String>,
    pub title: Vec<String>,
    pub date: Vec<String>,
    pub url: Vec<String>,
    pub source: Vec<String>,
    pub lang: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for FieldMap {
    fn default() -> FieldMap {
        FieldMap {
            text: names(&["text", "content", "body", "article", "maintext"]),
            title: names(&["title", "headline"]),
            date: names(&["date", "published", "date_publish", "pubdate"]),
            url: names(&["url", "link"]),
            source: names(&["source", "outlet", "site", "domain"]),
            lang: names(&["lang", "language"]),
        }
    }
}

/// The fields of one parsed record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub text: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub lang: Option<String>,
    /// Unpaired surrogates and similar damage replaced with U+FFFD.
    pub replaced: usize,
}

/// One record: the line it starts on (1-based) and its fields or an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: u64,
    pub fields: Result<Fields, String>,
    /// Invalid byte sequences the decoder replaced inside this record.
    pub replaced: usize,
    /// NUL bytes removed from the raw line before parsing (JSONL only).
    pub nul: usize,
}

impl Record {
    fn new(line: u64, fields: Result<Fields, String>) -> Record {
        Record {
            line,
            fields,
            replaced: 0,
            nul: 0,
        }
    }
}

/// Reads JSONL records one line at a time from decoded text.
///
/// Memory is bounded by `max_line`: a longer line is skipped as it streams
/// past (never held whole) and comes back as a record with an error.
pub struct JsonlReader<'m, R> {
    src: Transcoder<R>,
    map: &'m FieldMap,
    max_line: usize,
    line_no: u64,
    buf: Vec<u8>,
    /// Replacements on blank lines, charged to the next record.
    pending: usize,
}

impl<'m, R: Read> JsonlReader<'m, R> {
    pub fn new(src: Transcoder<R>, map: &'m FieldMap, max_line: usize) -> Self {
        JsonlReader {
            src,
            map,
            max_line,
            line_no: 0,
            buf: Vec::new(),
            pending: 0,
        }
    }

    /// The next record, `None` at the end; `Err` only for I/O errors.
    pub fn next_record(&mut self) -> io::Result<Option<Record>> {
        loop {
            let Some(read) = read_line_bounded(&mut self.src, &mut self.buf, self.max_line)? else {
                return Ok(None);
            };
            self.line_no += 1;
            let end = self.src.position();
            let replaced =
                std::mem::take(&mut self.pending) + self.src.take_replacements_before(end);
            if read.too_long {
                let mut rec = Record::new(
                    self.line_no,
                    Err(format!(
                        "line of {} is longer than the limit of {}; not parsed",
                        human_bytes(read.bytes),
                        human_bytes(self.max_line as u64)
                    )),
                );
                rec.replaced = replaced;
                return Ok(Some(rec));
            }
            // The transcoder only ever yields UTF-8.
            let line = String::from_utf8_lossy(&self.buf);
            let mut line = line.strip_suffix('\r').unwrap_or(&line).to_owned();
            let nul = line.matches('\0').count();
            if nul > 0 {
                line.retain(|c| c != '\0');
            }
            if line.trim().is_empty() {
                self.pending = replaced;
                continue;
            }
            let mut rec = Record::new(self.line_no, parse_json_line(&line, self.map));
            rec.replaced = replaced;
            rec.nul = nul;
            return Ok(Some(rec));
        }
    }
}

/// What [`read_line_bounded`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRead {
    /// Bytes of the line, without its `\n`.
    pub bytes: u64,
    /// True when the line was longer than the limit: `buf` is then empty.
    pub too_long: bool,
}

/// Read one `\n`-terminated line into `buf` (without the `\n`), holding at
/// most `max` bytes: the rest of a longer line is read and dropped. `None`
/// at the end of the input.
pub fn read_line_bounded(
    src: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Option<LineRead>> {
    buf.clear();
    let mut total: u64 = 0;
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = match src.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (part, used, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..i], i + 1, true),
            None => (available, available.len(), false),
        };
        total += part.len() as u64;
        if !too_long {
            if buf.len() + part.len() <= max {
                buf.extend_from_slice(part);
            } else {
                too_long = true;
                buf.clear();
                buf.shrink_to(max.min(1 << 20));
            }
        }
        src.consume(used);
        if done {
            break;
        }
    }
    Ok(any.then_some(LineRead {
        bytes: total,
        too_long,
    }))
}

/// Parse JSONL text: one JSON object per non-blank line.
pub fn parse_jsonl(text: &str, map: &FieldMap) -> Vec<Record> {
    let mut reader = JsonlReader::new(Transcoder::new(text.as_bytes(), UTF_8), map, usize::MAX);
    let mut records = Vec::new();
    // Reading from memory cannot fail.
    while let Ok(Some(rec)) = reader.next_record() {
        records.push(rec);
    }
    records
}

/// `1.5 MiB`, `300 bytes`: sizes in messages.
pub fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1 << 20;
    if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

fn parse_json_line(line: &str, map: &FieldMap) -> Result<Fields, String> {
    let (value, replaced) = match serde_json::from_str::<Value>(line) {
        Ok(v) => (v, 0),
        Err(_) if line.contains("\\u") && replace_lone_surrogates(line).1 > 0 => {
            // serde_json rejects lone surrogates in \u escapes; scraped JSON
            // has them (truncated emoji). Replace them and try again.
            let (fixed, n) = replace_lone_surrogates(line);
            let v =
                serde_json::from_str::<Value>(&fixed).map_err(|e| format!("invalid JSON: {e}"))?;
            (v, n)
        }
        Err(e) => return Err(format!("invalid JSON: {e}")),
    };
    let Value::Object(obj) = value else {
        return Err("not a JSON object".to_owned());
    };
    let get = |names: &[String]| -> Option<String> {
        names
            .iter()
            .find_map(|n| obj.get(n).and_then(json_text).filter(|s| !s.is_empty()))
    };
    let Some(text) = get(&map.text)
        .or_else(|| names_present(&map.text, |n| obj.contains_key(n)).then(String::new))
    else {
        return Err(format!(
            "no text field (looked for {})",
            map.text.join(", ")
        ));
    };
    Ok(Fields {
        text,
        title: get(&map.title),
        date: get(&map.date),
        url: get(&map.url),
        source: get(&map.source),
        lang: get(&map.lang),
        replaced,
    })
}

fn names_present(names: &[String], present: impl Fn(&str) -> bool) -> bool {
    names.iter().any(|n| present(n))
}

/// A JSON value as text: strings as they are, arrays of strings as
/// paragraphs, numbers and booleans printed; null and objects are absent.
fn json_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(json_text).collect();
            Some(parts.join("\n\n"))
        }
        Value::Null | Value::Object(_) => None,
    }
}

/// Replace `\uD800`–`\uDFFF` escapes that do not form a pair with `\uFFFD`.
fn replace_lone_surrogates(line: &str) -> (String, usize) {
    fn escape_at(b: &[u8], i: usize) -> Option<u16> {
        if b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u') {
            let hex = std::str::from_utf8(b.get(i + 2..i + 6)?).ok()?;
            u16::from_str_radix(hex, 16).ok()
        } else {
            None
        }
    }
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut replaced = 0;
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            // An escaped backslash cannot start a \u escape.
            if b.get(i + 1) == Some(&b'\\') {
                i += 2;
                continue;
            }
            if let Some(unit) = escape_at(b, i) {
                let high = (0xD800..0xDC00).contains(&unit);
                let low = (0xDC00..0xE000).contains(&unit);
                if high && escape_at(b, i + 6).is_some_and(|n| (0xDC00..0xE000).contains(&n)) {
                    i += 12;
                    continue;
                }
                if high || low {
                    out.push_str(&line[last..i]);
                    out.push_str("\\uFFFD");
                    replaced += 1;
                    i += 6;
                    last = i;
                    continue;
                }
            }
        }
        i += 1;
    }
    out.push_str(&line[last..]);
    (out, replaced)
}

/// A file-level failure of a table: no usable header, or a read error.
#[derive(Debug)]
pub enum TableError {
    /// The header row cannot be read or has no text column.
    Header(String),
    Io(io::Error),
}

/// Reads CSV (`delimiter` `,`, RFC 4180 quoting) or TSV (tab, no quoting)
/// rows one at a time from decoded text.
///
/// Memory is bounded by `max_record`: a row that grows past it (typically
/// an unclosed quote swallowing the rest of the file) ends the file with a
/// record carrying an error, because the csv reader cannot resynchronise
/// after it.
pub struct TableReader<R> {
    rdr: csv::Reader<Limited<R>>,
    text_col: usize,
    /// title, date, url, source, lang.
    cols: [Option<usize>; 5],
    row: csv::StringRecord,
    max_record: usize,
    /// Replacements in the header, charged to the first row.
    pending: usize,
    done: bool,
}

/// Stops a row from growing without bound: reading fails once the reader
/// is `max_record` bytes past the start of the current row. Also counts
/// lines as the csv reader splits records: at `\n`, `\r\n` and a lone `\r`
/// (classic Mac files), where the csv crate's own line count only sees
/// `\n`, so that two records never claim the same line.
struct Limited<R> {
    inner: Transcoder<R>,
    allowed_until: u64,
    tripped: bool,
    lines: LineIndex,
}

/// Line numbers of byte offsets in a stream that goes by once.
///
/// Holds the line terminators read but not yet passed by a query: the csv
/// reader's read-ahead plus the lines inside the row being read. A row that
/// spans more than [`MAX_PENDING_LINES`] lines stops the table (see
/// [`Limited`]), so this stays small.
#[derive(Debug, Default)]
struct LineIndex {
    /// Terminators not yet passed: offset, and whether it breaks a line
    /// (the `\n` of a `\r\n` does not; its `\r` did).
    terms: VecDeque<(u64, bool)>,
    /// Line breaks passed so far.
    passed: u64,
    /// Offset of the next byte to scan.
    scanned: u64,
    /// The last byte scanned was a `\r`.
    last_was_cr: bool,
}

/// More pending line breaks than this in one row is not a table any more.
const MAX_PENDING_LINES: usize = 1 << 20;

impl LineIndex {
    fn scan(&mut self, bytes: &[u8]) {
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let after_cr = match i.checked_sub(1) {
                Some(j) => bytes[j] == b'\r',
                None => self.last_was_cr,
            };
            let breaks = bytes[i] == b'\r' || !after_cr;
            self.terms.push_back((self.scanned + i as u64, breaks));
        }
        if let Some(&last) = bytes.last() {
            self.last_was_cr = last == b'\r';
        }
        self.scanned += bytes.len() as u64;
    }

    /// The 1-based line of the record the csv reader placed at `offset`.
    /// It may place a record on the blank lines (or the `\n` of a `\r\n`)
    /// it skips before it; those count. Offsets must not go back.
    fn line_of(&mut self, offset: u64) -> u64 {
        let mut content = offset;
        while let Some(&(at, breaks)) = self.terms.front() {
            if at > content {
                break;
            }
            if at == content {
                content += 1;
            }
            self.terms.pop_front();
            self.passed += u64::from(breaks);
        }
        self.passed + 1
    }

    fn overflowing(&self) -> bool {
        self.terms.len() > MAX_PENDING_LINES
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let pos = self.inner.position();
        if pos >= self.allowed_until {
            self.tripped = true;
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "row longer than the limit",
            ));
        }
        let room = (self.allowed_until - pos).min(buf.len() as u64) as usize;
        let n = self.inner.read(&mut buf[..room])?;
        self.lines.scan(&buf[..n]);
        if self.lines.overflowing() {
            self.tripped = true;
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "row spans too many lines",
            ));
        }
        Ok(n)
    }
}

impl<R: Read> TableReader<R> {
    pub fn new(
        src: Transcoder<R>,
        delimiter: u8,
        map: &FieldMap,
        max_record: usize,
    ) -> Result<Self, TableError> {
        let limited = Limited {
            inner: src,
            allowed_until: max_record as u64,
            tripped: false,
            lines: LineIndex::default(),
        };
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .quoting(delimiter != b'\t')
            .flexible(true)
            .has_headers(true)
            .from_reader(limited);
        let headers = rdr.headers().cloned();
        let headers = match headers {
            Ok(h) => h,
            Err(_) if rdr.get_ref().tripped => {
                return Err(TableError::Header(format!(
                    "the header row is longer than the limit of {} or {MAX_PENDING_LINES} lines",
                    human_bytes(max_record as u64)
                )));
            }
            Err(e) => {
                let message = format!("cannot read the header row: {e}");
                return Err(match e.into_kind() {
                    csv::ErrorKind::Io(io) => TableError::Io(io),
                    _ => TableError::Header(message),
                });
            }
        };
        let column = |names: &[String]| -> Option<usize> {
            names.iter().find_map(|n| {
                headers.iter().position(|h| {
                    h.trim()
                        .trim_start_matches('\u{FEFF}')
                        .eq_ignore_ascii_case(n)
                })
            })
        };
        let Some(text_col) = column(&map.text) else {
            let found: Vec<&str> = headers.iter().collect();
            return Err(TableError::Header(format!(
                "no text column (looked for {}; the header has {})",
                map.text.join(", "),
                found.join(", ")
            )));
        };
        let cols = [
            column(&map.title),
            column(&map.date),
            column(&map.url),
            column(&map.source),
            column(&map.lang),
        ];
        let end = rdr.position().byte();
        let limited = rdr.get_mut();
        let pending = limited.inner.take_replacements_before(end);
        limited.allowed_until = end.saturating_add(max_record as u64);
        Ok(TableReader {
            rdr,
            text_col,
            cols,
            row: csv::StringRecord::new(),
            max_record,
            pending,
            done: false,
        })
    }

    /// The next row, `None` at the end; `Err` only for I/O errors.
    pub fn next_record(&mut self) -> io::Result<Option<Record>> {
        if self.done {
            return Ok(None);
        }
        let start = self.rdr.position().byte();
        let read = self.rdr.read_record(&mut self.row);
        let end = self.rdr.position().byte();
        let start = match &read {
            Ok(true) => self.row.position().map_or(start, |p| p.byte()),
            Err(e) => e.position().map_or(start, |p| p.byte()),
            Ok(false) => start,
        };
        let limited = self.rdr.get_mut();
        let line = limited.lines.line_of(start);
        let replaced =
            std::mem::take(&mut self.pending) + limited.inner.take_replacements_before(end);
        limited.allowed_until = end.saturating_add(self.max_record as u64);
        let mut rec = match read {
            Ok(false) => return Ok(None),
            Ok(true) => {
                let row = &self.row;
                let get = |c: Option<usize>| {
                    c.and_then(|c| row.get(c))
                        .map(str::to_owned)
                        .filter(|s| !s.trim().is_empty())
                };
                let fields = match row.get(self.text_col) {
                    None => Err(format!(
                        "row has {} fields; the text column is number {}",
                        row.len(),
                        self.text_col + 1
                    )),
                    Some(text) => Ok(Fields {
                        text: text.to_owned(),
                        title: get(self.cols[0]),
                        date: get(self.cols[1]),
                        url: get(self.cols[2]),
                        source: get(self.cols[3]),
                        lang: get(self.cols[4]),
                        replaced: 0,
                    }),
                };
                Record::new(line, fields)
            }
            Err(_) if self.rdr.get_ref().tripped => {
                self.done = true;
                Record::new(
                    line,
                    Err(format!(
                        "row longer than the limit of {} or {MAX_PENDING_LINES} lines (an unclosed quote?); the rest of the file was not read",
                        human_bytes(self.max_record as u64)
                    )),
                )
            }
            Err(e) => {
                let message = format!("invalid row: {e}");
                match e.into_kind() {
                    csv::ErrorKind::Io(io) => return Err(io),
                    // The csv reader resynchronises at the next record.
                    _ => Record::new(line, Err(message)),
                }
            }
        };
        rec.replaced = replaced;
        Ok(Some(rec))
    }
}

/// Parse CSV or TSV text (see [`TableReader`]).
pub fn parse_table(text: &str, delimiter: u8, map: &FieldMap) -> Result<Vec<Record>, TableError> {
    let src = Transcoder::new(text.as_bytes(), UTF_8);
    let mut reader = TableReader::new(src, delimiter, map, usize::MAX)?;
    let mut records = Vec::new();
    while let Some(rec) = reader.next_record().map_err(TableError::Io)? {
        records.push(rec);
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_records() {
        let map = FieldMap::default();
        let input = concat!(
            "{\"text\": \"Erdoğan spoke.\", \"title\": \"T\", \"date\": \"2024-11-18\", \"source\": \"wire\"}\n",
            "\n",
            "{\"content\": [\"Para one.\", \"Para two.\"], \"lang\": \"en\"}\n",
            "not json\n",
            "[1, 2]\n",
            "{\"title\": \"no text\"}\n",
            "{\"text\": \"broken \\ud83d emoji\"}\n",
            "{\"text\": \"pair \\ud83d\\ude00 ok\"}\n",
        );
        let recs = parse_jsonl(input, &map);
        let lines: Vec<u64> = recs.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 3, 4, 5, 6, 7, 8]);
        let first = recs[0].fields.as_ref().unwrap();
        assert_eq!(first.text, "Erdoğan spoke.");
        assert_eq!(first.source.as_deref(), Some("wire"));
        assert_eq!(
            recs[1].fields.as_ref().unwrap().text,
            "Para one.\n\nPara two."
        );
        assert!(
            recs[2]
                .fields
                .as_ref()
                .unwrap_err()
                .starts_with("invalid JSON")
        );
        assert_eq!(recs[3].fields.as_ref().unwrap_err(), "not a JSON object");
        assert!(
            recs[4]
                .fields
                .as_ref()
                .unwrap_err()
                .starts_with("no text field")
        );
        let broken = recs[5].fields.as_ref().unwrap();
        assert_eq!(
            (broken.text.as_str(), broken.replaced),
            ("broken \u{FFFD} emoji", 1)
        );
        assert_eq!(recs[6].fields.as_ref().unwrap().text, "pair 😀 ok");
    }

    #[test]
    fn lone_surrogates() {
        let cases = [
            (r#""\ud800""#, r#""\uFFFD""#, 1),
            (r#""\udc00x""#, r#""\uFFFDx""#, 1),
            (r#""\ud83d\ude00""#, r#""\ud83d\ude00""#, 0),
            (r#""\\ud800""#, r#""\\ud800""#, 0),
        ];
        for (input, want, n) in cases {
            assert_eq!(
                replace_lone_surrogates(input),
                (want.to_owned(), n),
                "{input}"
            );
        }
    }

    #[test]
    fn csv_records() {
        let map = FieldMap::default();
        let input = "title,date,text\nA,2024-01-01,\"Line one.\n\nLine two.\"\nB,2024-01-02\nC,2024-01-03,Plain\n";
        let recs = parse_table(input, b',', &map).unwrap();
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[0].line, 2);
        assert_eq!(
            recs[0].fields.as_ref().unwrap().text,
            "Line one.\n\nLine two."
        );
        assert!(recs[1].fields.is_err());
        assert_eq!(recs[2].line, 6);
        assert_eq!(recs[2].fields.as_ref().unwrap().title.as_deref(), Some("C"));
    }

    #[test]
    fn tsv_without_quoting_and_missing_column() {
        let map = FieldMap::default();
        let recs = parse_table(
            "headline\ttext\nA \"quoted\"\tSome \"text\" here\n",
            b'\t',
            &map,
        )
        .unwrap();
        let f = recs[0].fields.as_ref().unwrap();
        assert_eq!(
            (f.title.as_deref(), f.text.as_str()),
            (Some("A \"quoted\""), "Some \"text\" here")
        );
        let Err(TableError::Header(message)) = parse_table("a,b\n1,2\n", b',', &map) else {
            panic!("a table without a text column parsed");
        };
        assert!(message.contains("no text column"), "{message}");
    }

    #[test]
    fn table_lines_count_every_terminator() {
        let map = FieldMap::default();
        // (input, lines of the records): LF, CRLF, classic Mac CR, a mix,
        // and a quoted cell spanning lines.
        let cases: &[(&str, &[u64])] = &[
            ("title,text\nA,a\nB,b\n", &[2, 3]),
            ("title,text\r\nA,a\r\nB,b\r\n", &[2, 3]),
            ("title,text\rA,a\rB,b\r", &[2, 3]),
            ("title,text\r\nA,\"x\ry\"\rB,b\nC,c", &[2, 4, 5]),
            ("title,text\nA,x\r\rB,y", &[2, 4]),
        ];
        for (input, want) in cases {
            let recs = parse_table(input, b',', &map).unwrap();
            let lines: Vec<u64> = recs.iter().map(|r| r.line).collect();
            assert_eq!(&lines, want, "{input:?}");
        }
        // Line numbers survive reads of any size (the scan is incremental).
        let input = "title,text\r".to_owned() + &"A,a\r\nB,b\r".repeat(20_000);
        let recs = parse_table(&input, b',', &map).unwrap();
        assert_eq!(recs.len(), 40_000);
        assert!(recs.windows(2).all(|w| w[1].line == w[0].line + 1));
    }
}
