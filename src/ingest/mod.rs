//! Ingest: walk the inputs, read each file, decode it and parse it into
//! documents.
//!
//! In: the INPUT paths. Out: [`RawDoc`]s in a deterministic order (inputs in
//! the order given, each walked in sorted order, records in file order).
//!
//! Invariants:
//! - Every document found becomes exactly one `RawDoc`, whatever happens to
//!   it: an unreadable file, a binary file, a JSONL line that does not parse
//!   all come back with a non-`ok` status instead of vanishing.
//! - Only a missing INPUT is fatal (a usage error): anything below an INPUT
//!   that fails is reported and the walk goes on.
//! - Symbolic links are followed, loops are detected and skipped.

pub mod decode;
pub mod records;
pub mod txt;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::doc::{DocMeta, RawDoc, Status, StatusKind};
use decode::Decoding;
pub use records::FieldMap;

/// The file formats dedup reads, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.txt`: optional header lines, then paragraphs.
    Text,
    /// `.md`/`.markdown`: as text, plus front matter and a `# Title` line.
    Markdown,
    /// `.jsonl`/`.ndjson`: one JSON object per line.
    Jsonl,
    /// `.csv`: one document per row, RFC 4180.
    Csv,
    /// `.tsv`: one document per row, tab-separated, no quoting.
    Tsv,
}

impl Format {
    /// The format for a file name, or `None` for files dedup does not read.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "jsonl" | "ndjson" => Format::Jsonl,
            "csv" => Format::Csv,
            "tsv" | "tab" => Format::Tsv,
            _ => return None,
        })
    }
}

/// One file to read, as found by the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path to open.
    pub path: PathBuf,
    /// Path relative to its INPUT, `/`-separated, lossy if not UTF-8.
    pub rel: String,
    /// The exact bytes of `rel`, escaped, when it is not valid UTF-8.
    pub rel_bytes: Option<String>,
    pub format: Format,
    /// The first folder level under the INPUT (the outlet, by convention),
    /// or the INPUT's own name for files directly inside it.
    pub folder: String,
}

/// Something the walk found: a file to read, or a path it could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    File(InputFile),
    /// A folder or file that could not be listed or opened.
    Unreadable {
        rel: String,
        message: String,
    },
}

/// The result of walking all inputs.
#[derive(Debug, Default)]
pub struct Walk {
    pub entries: Vec<Entry>,
    /// Files skipped because dedup does not read their extension.
    pub skipped: usize,
    /// Symlink loops and similar, reported but not documents.
    pub warnings: Vec<String>,
}

/// Walk every INPUT in order; each folder recursively in sorted order.
///
/// Fails only when an INPUT does not exist. Hidden files and folders (names
/// starting with `.`) are skipped, as are paths under `exclude` (the output
/// folder, should it sit inside an input).
pub fn walk(inputs: &[PathBuf]) -> anyhow::Result<Walk> {
    let mut out = Walk::default();
    for input in inputs {
        let meta = std::fs::metadata(input)
            .with_context(|| format!("cannot read input {}", input.display()))?;
        if meta.is_file() {
            let name = input.file_name().map(Path::new).unwrap_or(input);
            let (rel, rel_bytes) = rel_path(name);
            out.entries.push(Entry::File(InputFile {
                path: input.clone(),
                rel,
                rel_bytes,
                // An explicitly named file is read even without a known extension.
                format: Format::from_path(input).unwrap_or(Format::Text),
                folder: String::new(),
            }));
            continue;
        }
        if !meta.is_dir() {
            bail!("input {} is neither a file nor a folder", input.display());
        }
        walk_dir(input, &mut out);
    }
    Ok(out)
}

fn walk_dir(root: &Path, out: &mut Walk) {
    let root_name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for item in walker {
        match item {
            Ok(entry) => {
                if !entry.file_type().is_file() {
                    continue;
                }
                let Some(format) = Format::from_path(entry.path()) else {
                    out.skipped += 1;
                    continue;
                };
                let rel_path_buf = entry.path().strip_prefix(root).unwrap_or(entry.path());
                let (rel, rel_bytes) = rel_path(rel_path_buf);
                let folder = if rel_path_buf.components().count() > 1 {
                    rel.split('/').next().unwrap_or_default().to_owned()
                } else {
                    root_name.clone()
                };
                out.entries.push(Entry::File(InputFile {
                    path: entry.path().to_path_buf(),
                    rel,
                    rel_bytes,
                    format,
                    folder,
                }));
            }
            Err(err) => {
                let path = err.path().unwrap_or(root);
                let rel_path_buf = path.strip_prefix(root).unwrap_or(path);
                let (rel, _) = rel_path(rel_path_buf);
                if let Some(ancestor) = err.loop_ancestor() {
                    out.warnings.push(format!(
                        "{}: symbolic link loop back to {}, not followed",
                        path.display(),
                        ancestor.display()
                    ));
                    continue;
                }
                let message = err
                    .io_error()
                    .map_or_else(|| err.to_string(), |io| io.to_string());
                out.entries.push(Entry::Unreadable { rel, message });
            }
        }
    }
}

/// A relative path as a `/`-separated string, and its escaped bytes when it
/// is not valid UTF-8.
fn rel_path(path: &Path) -> (String, Option<String>) {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let rel = parts.join("/");
    let bytes = if path.to_str().is_none() {
        Some(escape_bytes(path))
    } else {
        None
    };
    (rel, bytes)
}

#[cfg(unix)]
fn escape_bytes(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str()
        .as_bytes()
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() && b != b'\\' {
                (b as char).to_string()
            } else {
                format!("\\x{b:02x}")
            }
        })
        .collect()
}

#[cfg(not(unix))]
fn escape_bytes(path: &Path) -> String {
    format!("{path:?}")
}

/// Read, decode and parse one walk entry into its documents.
pub fn read_entry(entry: &Entry, fields: &FieldMap) -> Vec<RawDoc> {
    match entry {
        Entry::Unreadable { rel, message } => vec![RawDoc {
            meta: DocMeta {
                doc_id: rel.clone(),
                path: rel.clone(),
                status: Status::problem(StatusKind::Unreadable, message.clone()),
                ..DocMeta::default()
            },
            text: String::new(),
        }],
        Entry::File(file) => match std::fs::read(&file.path) {
            Ok(bytes) => parse_bytes(file, &bytes, fields),
            Err(e) => vec![failed(
                file,
                &file.rel,
                StatusKind::Unreadable,
                e.to_string(),
            )],
        },
    }
}

/// Decode and parse the bytes of one file.
pub fn parse_bytes(file: &InputFile, bytes: &[u8], fields: &FieldMap) -> Vec<RawDoc> {
    let decoded = match decode::decode(bytes) {
        Decoding::Binary(kind) => {
            return vec![failed(
                file,
                &file.rel,
                StatusKind::Binary,
                format!("looks like {kind}"),
            )];
        }
        Decoding::Text(d) => d,
    };
    let mut docs = match file.format {
        Format::Text | Format::Markdown => {
            let (header, body) = txt::parse(&decoded.text, file.format == Format::Markdown);
            let fields = records::Fields {
                text: body,
                title: header.title,
                date: header.date,
                url: header.url,
                source: header.source,
                lang: header.lang,
                replaced: 0,
            };
            vec![make_doc(file, file.rel.clone(), fields)]
        }
        Format::Jsonl => records_to_docs(file, records::parse_jsonl(&decoded.text, fields)),
        Format::Csv | Format::Tsv => {
            let delimiter = if file.format == Format::Tsv {
                b'\t'
            } else {
                b','
            };
            match records::parse_table(&decoded.text, delimiter, fields) {
                Ok(recs) => records_to_docs(file, recs),
                Err(e) => vec![failed(file, &file.rel, StatusKind::Parse, e.0)],
            }
        }
    };
    if docs.is_empty() {
        // A record file with no records still has to appear in the output.
        docs.push(failed(
            file,
            &file.rel,
            StatusKind::Empty,
            "no records".to_owned(),
        ));
    }
    for doc in &mut docs {
        doc.meta.encoding = decoded.encoding.to_owned();
        if decoded.replaced > 0 {
            doc.meta
                .status
                .flag(format!("replaced={}", decoded.replaced));
            let chars = decoded.text.chars().count().max(1);
            if doc.meta.status.is_ok() && decoded.replaced * 3 > chars {
                doc.meta.status.kind = StatusKind::Decode;
                doc.meta.status.detail = format!(
                    "{} of {chars} characters could not be decoded",
                    decoded.replaced
                );
            }
        }
    }
    docs
}

fn records_to_docs(file: &InputFile, recs: Vec<records::Record>) -> Vec<RawDoc> {
    recs.into_iter()
        .map(|rec| {
            let doc_id = format!("{}:{}", file.rel, rec.line);
            match rec.fields {
                Ok(fields) => make_doc(file, doc_id, fields),
                Err(message) => failed(file, &doc_id, StatusKind::Parse, message),
            }
        })
        .collect()
}

fn make_doc(file: &InputFile, doc_id: String, fields: records::Fields) -> RawDoc {
    let url = fields.url.unwrap_or_default();
    let source = fields
        .source
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| url_host(&url))
        .unwrap_or_else(|| file.folder.clone());
    let mut status = if fields.text.trim().is_empty() {
        Status::problem(StatusKind::Empty, "no text")
    } else {
        Status::ok()
    };
    if fields.replaced > 0 {
        status.flag(format!("replaced={}", fields.replaced));
    }
    RawDoc {
        meta: DocMeta {
            doc_id,
            path: file.rel.clone(),
            path_bytes: file.rel_bytes.clone(),
            source,
            date: fields
                .date
                .map(|d| d.trim().to_owned())
                .filter(|d| !d.is_empty()),
            title: fields
                .title
                .map(|t| t.trim().to_owned())
                .unwrap_or_default(),
            url,
            lang_hint: fields
                .lang
                .map(|l| l.trim().to_ascii_lowercase())
                .filter(|l| !l.is_empty()),
            encoding: String::new(),
            status,
        },
        text: fields.text,
    }
}

fn failed(file: &InputFile, doc_id: &str, kind: StatusKind, detail: String) -> RawDoc {
    RawDoc {
        meta: DocMeta {
            doc_id: doc_id.to_owned(),
            path: file.rel.clone(),
            path_bytes: file.rel_bytes.clone(),
            source: file.folder.clone(),
            status: Status::problem(kind, detail),
            ..DocMeta::default()
        },
        text: String::new(),
    }
}

/// The host of a URL, lowercased and without `www.`; `None` if there is none.
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host
        .split(':')
        .next()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (host.contains('.') && !url.trim().is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let cases = [
            (
                "https://www.middleeasteye.net/news/x",
                Some("middleeasteye.net"),
            ),
            ("http://user@News.Example:8080/a?b", Some("news.example")),
            ("//cdn.example/x", Some("cdn.example")),
            ("not a url", None),
            ("", None),
        ];
        for (url, want) in cases {
            assert_eq!(url_host(url).as_deref(), want, "{url}");
        }
    }

    #[test]
    fn formats() {
        let cases = [
            ("a.txt", Some(Format::Text)),
            ("a.MD", Some(Format::Markdown)),
            ("a.ndjson", Some(Format::Jsonl)),
            ("a.csv", Some(Format::Csv)),
            ("a.tsv", Some(Format::Tsv)),
            ("a.html", None),
            ("README", None),
        ];
        for (name, want) in cases {
            assert_eq!(Format::from_path(Path::new(name)), want, "{name}");
        }
    }
}
