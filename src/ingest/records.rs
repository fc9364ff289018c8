//! Record formats: JSONL/NDJSON (one object per line) and CSV/TSV (one row
//! per document, with a header).
//!
//! Each record keeps the line it starts on, so `doc_id` can be `path:line`.
//! A line or row that does not parse becomes a record with an error; the
//! other records of the file go on. Only a file-level problem (a table with
//! no text column) fails the whole file.

use serde_json::Value;

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
}

/// Parse JSONL: one JSON object per non-blank line.
pub fn parse_jsonl(text: &str, map: &FieldMap) -> Vec<Record> {
    let mut records = Vec::new();
    for (idx, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        records.push(Record {
            line: idx as u64 + 1,
            fields: parse_json_line(line, map),
        });
    }
    records
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

/// A file-level failure of a table: it has no usable header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError(pub String);

/// Parse CSV (`delimiter` `,`, RFC 4180 quoting) or TSV (tab, no quoting).
pub fn parse_table(text: &str, delimiter: u8, map: &FieldMap) -> Result<Vec<Record>, TableError> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(delimiter != b'\t')
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| TableError(format!("cannot read the header row: {e}")))?
        .clone();
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
        return Err(TableError(format!(
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
    let mut records = Vec::new();
    let mut row = csv::StringRecord::new();
    loop {
        let line = rdr.position().line();
        match rdr.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                let line = row.position().map_or(line, |p| p.line());
                let get = |c: Option<usize>| {
                    c.and_then(|c| row.get(c))
                        .map(str::to_owned)
                        .filter(|s| !s.trim().is_empty())
                };
                let fields = match row.get(text_col) {
                    None => Err(format!(
                        "row has {} fields; the text column is number {}",
                        row.len(),
                        text_col + 1
                    )),
                    Some(text) => Ok(Fields {
                        text: text.to_owned(),
                        title: get(cols[0]),
                        date: get(cols[1]),
                        url: get(cols[2]),
                        source: get(cols[3]),
                        lang: get(cols[4]),
                        replaced: 0,
                    }),
                };
                records.push(Record { line, fields });
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                records.push(Record {
                    line,
                    fields: Err(format!("invalid row: {e}")),
                });
                // The csv reader resynchronises at the next record.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
            }
        }
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
        let err = parse_table("a,b\n1,2\n", b',', &map).unwrap_err();
        assert!(err.0.contains("no text column"), "{}", err.0);
    }
}
