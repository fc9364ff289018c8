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
//! - Symbolic links are followed; a link back to one of its own ancestor
//!   folders (a loop) is reported as a walk warning and not followed.
//! - A folder that cannot be listed becomes one `unreadable` document named
//!   after the folder, and the walk goes on with its siblings.
//! - Paths that are not UTF-8 are kept lossy in `rel` and exactly, escaped,
//!   in `rel_bytes`.
//! - Memory: files are streamed; see [`Limits`] for the caps and why.

pub mod decode;
pub mod records;
pub mod txt;

use std::io::{BufRead, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::doc::{DocMeta, RawDoc, Status, StatusKind};
use decode::{Sniffed, Transcoder};
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
        /// The exact bytes of `rel`, escaped, when it is not valid UTF-8.
        rel_bytes: Option<String>,
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
                let kind = entry.file_type();
                if kind.is_dir() {
                    continue;
                }
                if !kind.is_file() {
                    // A FIFO would block a reader forever; sockets and
                    // devices are not documents either.
                    out.warnings.push(format!(
                        "{}: not a regular file (a pipe, socket or device), not read",
                        entry.path().display()
                    ));
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
                let (rel, rel_bytes) = rel_path(rel_path_buf);
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
                out.entries.push(Entry::Unreadable {
                    rel,
                    rel_bytes,
                    message,
                });
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

/// Size limits that keep memory bounded whatever the input.
///
/// A document's text is cut at `max_text_bytes` (UTF-8) and flagged
/// `truncated`; a JSONL line or CSV row longer than `max_record_bytes` is
/// reported as a `parse` problem without ever being held whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_text_bytes: usize,
    pub max_record_bytes: usize,
}

/// Default text cap: 8 MiB. The longest article in the shared evaluation
/// corpora (scrapinghub AEB, masakhanews, Reuters, SemEval, newspaper4k,
/// sadedegel) is 96 KB and the 99th percentile is under 22 KB, so 8 MiB is
/// over 80 times the longest real article: a file beyond it is a dump or a
/// mistake, not a story. Shingling already reads at most 100,000 tokens
/// (about 700 KB of text), so the cap never changes a comparison; it bounds
/// the memory each worker needs (a few times the cap, see README).
pub const DEFAULT_MAX_TEXT_BYTES: usize = 8 << 20;

impl Limits {
    /// Limits for a text cap; records may be 8 times as long, to leave room
    /// for metadata and markup fields beside the text.
    pub fn for_text(max_text_bytes: usize) -> Limits {
        Limits {
            max_text_bytes,
            max_record_bytes: max_text_bytes.saturating_mul(8),
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::for_text(DEFAULT_MAX_TEXT_BYTES)
    }
}

/// Read, decode and parse one walk entry into its documents.
///
/// Files are streamed: memory per call is bounded by [`Limits`] and the
/// documents returned, never by the size of the file.
pub fn read_entry(entry: &Entry, fields: &FieldMap, limits: &Limits) -> Vec<RawDoc> {
    match entry {
        Entry::Unreadable {
            rel,
            rel_bytes,
            message,
        } => vec![RawDoc {
            meta: DocMeta {
                doc_id: rel.clone(),
                path: rel.clone(),
                path_bytes: rel_bytes.clone(),
                status: Status::problem(StatusKind::Unreadable, message.clone()),
                ..DocMeta::default()
            },
            text: String::new(),
        }],
        Entry::File(file) => {
            let opened = std::fs::File::open(&file.path).and_then(|f| {
                let meta = f.metadata()?;
                Ok((f, meta.len(), meta.is_file()))
            });
            match opened {
                // A small file is read once, whole: sniffing and decoding
                // then look at memory instead of reading the file three
                // times. Same bytes, same verdicts.
                Ok((mut f, len, true)) if len <= SMALL_FILE => match read_small(&mut f, len) {
                    Ok(bytes) => {
                        read_stream(file, std::io::Cursor::new(bytes), len, fields, limits)
                    }
                    Err(e) => vec![unreadable(file, &file.rel, &e)],
                },
                Ok((f, len, _)) => read_stream(file, f, len, fields, limits),
                Err(e) => vec![failed(
                    file,
                    &file.rel,
                    StatusKind::Unreadable,
                    e.to_string(),
                )],
            }
        }
    }
}

/// The whole of a file whose size was `len` when it was opened.
///
/// Why not `read_to_end`: on a `File` it asks the system for the size and
/// the position again (two more system calls per file, a tenth of a small
/// file's cost); the size is known. A file that grew since is still read
/// to its end.
fn read_small(f: &mut std::fs::File, len: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = vec![0u8; len as usize + 1];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            bytes.resize(bytes.len() * 2, 0);
        }
        match f.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// Files up to this size are read into memory in one go (see
/// [`read_entry`]); larger ones are streamed.
const SMALL_FILE: u64 = 1 << 20;

/// Decode and parse the bytes of one file held in memory; the same path as
/// [`read_entry`] takes for a file on disk.
pub fn parse_bytes(
    file: &InputFile,
    bytes: &[u8],
    fields: &FieldMap,
    limits: &Limits,
) -> Vec<RawDoc> {
    read_stream(
        file,
        std::io::Cursor::new(bytes),
        bytes.len() as u64,
        fields,
        limits,
    )
}

/// Sniff, decode and parse a stream of `len` bytes into documents.
fn read_stream<R: Read + Seek>(
    file: &InputFile,
    mut src: R,
    len: u64,
    fields: &FieldMap,
    limits: &Limits,
) -> Vec<RawDoc> {
    let text_file = matches!(file.format, Format::Text | Format::Markdown);
    // A text file is used up to the cap, so only that part decides its
    // encoding; a record file is used whole.
    let sniff_limit = if text_file {
        limits.max_text_bytes as u64
    } else {
        u64::MAX
    };
    let sniffed = decode::sniff_sized(&mut src, sniff_limit, len);
    let (encoding, bom) = match sniffed {
        Ok(Sniffed::Text { encoding, bom }) => (encoding, bom),
        Ok(Sniffed::Binary(kind)) => {
            return vec![failed(
                file,
                &file.rel,
                StatusKind::Binary,
                format!("looks like {kind}"),
            )];
        }
        Err(e) => return vec![unreadable(file, &file.rel, &e)],
    };
    if let Err(e) = src.seek(SeekFrom::Start(bom)) {
        return vec![unreadable(file, &file.rel, &e)];
    }
    let transcoder = Transcoder::sized(src, encoding, len.saturating_sub(bom));
    let mut docs = if text_file {
        read_text(file, transcoder, len, limits)
    } else {
        read_records(file, transcoder, fields, limits)
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
        doc.meta.encoding = encoding.name();
    }
    docs
}

/// A `.txt` or `.md` file: one document, its text cut at the cap.
fn read_text<R: Read>(
    file: &InputFile,
    mut src: Transcoder<R>,
    len: u64,
    limits: &Limits,
) -> Vec<RawDoc> {
    let mut bytes = Vec::new();
    let max = limits.max_text_bytes;
    let read = src
        .by_ref()
        .take(max as u64)
        .read_to_end(&mut bytes)
        .and_then(|_| src.fill_buf().map(|rest| !rest.is_empty()));
    let truncated = match read {
        Ok(more) => more,
        Err(e) => return vec![unreadable(file, &file.rel, &e)],
    };
    // The transcoder yields UTF-8; only the cut can split a character.
    let mut text = crate::spill::utf8_prefix_string(bytes);
    let nul = strip_nul(&mut text);
    let (header, body) = txt::parse(&text, file.format == Format::Markdown);
    drop(text);
    let fields = records::Fields {
        text: body,
        title: header.title,
        date: header.date,
        url: header.url,
        source: header.source,
        lang: header.lang,
        replaced: 0,
    };
    let damage = Damage {
        replaced: src.replaced(),
        nul,
        truncated: truncated.then_some(len),
    };
    vec![make_doc(file, file.rel.clone(), fields, damage, limits)]
}

/// A JSONL, CSV or TSV file: one document per record, streamed.
fn read_records<R: Read>(
    file: &InputFile,
    src: Transcoder<R>,
    fields: &FieldMap,
    limits: &Limits,
) -> Vec<RawDoc> {
    let mut docs = Vec::new();
    let mut push = |rec: records::Record| {
        let doc_id = format!("{}:{}", file.rel, rec.line);
        let damage = Damage {
            replaced: rec.replaced,
            nul: rec.nul,
            truncated: None,
        };
        docs.push(match rec.fields {
            Ok(f) => make_doc(file, doc_id, f, damage, limits),
            Err(message) => {
                let mut doc = failed(file, &doc_id, StatusKind::Parse, message);
                damage.flag(&mut doc.meta.status);
                doc
            }
        });
    };
    let error = match file.format {
        Format::Jsonl => {
            let mut reader = records::JsonlReader::new(src, fields, limits.max_record_bytes);
            loop {
                match reader.next_record() {
                    Ok(Some(rec)) => push(rec),
                    Ok(None) => break None,
                    Err(e) => break Some(e),
                }
            }
        }
        _ => {
            let delimiter = if file.format == Format::Tsv {
                b'\t'
            } else {
                b','
            };
            match records::TableReader::new(src, delimiter, fields, limits.max_record_bytes) {
                Ok(mut reader) => loop {
                    match reader.next_record() {
                        Ok(Some(rec)) => push(rec),
                        Ok(None) => break None,
                        Err(e) => break Some(e),
                    }
                },
                Err(records::TableError::Header(message)) => {
                    return vec![failed(file, &file.rel, StatusKind::Parse, message)];
                }
                Err(records::TableError::Io(e)) => Some(e),
            }
        }
    };
    if let Some(e) = error {
        // The records read so far stand; the rest of the file is one
        // unreadable entry, so the loss is visible.
        let id = format!("{}:unread", file.rel);
        let after = docs.len();
        docs.push(failed(
            file,
            &id,
            StatusKind::Unreadable,
            format!("read error after {after} records: {e}"),
        ));
    }
    docs
}

/// What ingest had to repair or leave out of one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Damage {
    /// Invalid byte sequences replaced with U+FFFD.
    replaced: usize,
    /// NUL characters removed.
    nul: usize,
    /// The text was cut at the cap; the file's size in bytes, if known.
    truncated: Option<u64>,
}

impl Damage {
    fn flag(&self, status: &mut Status) {
        if self.replaced > 0 {
            status.flag(format!("replaced={}", self.replaced));
        }
        if self.nul > 0 {
            status.flag(format!("nul={}", self.nul));
        }
        if self.truncated.is_some() {
            status.flag("truncated");
        }
    }
}

/// Remove NUL characters (they break CSV tools and C-string consumers);
/// returns how many there were.
fn strip_nul(text: &mut String) -> usize {
    let n = memchr::memchr_iter(0, text.as_bytes()).count();
    if n > 0 {
        text.retain(|c| c != '\0');
    }
    n
}

/// Cut `text` to at most `max` bytes on a character boundary; true if cut.
fn truncate_to(text: &mut String, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    true
}

fn make_doc(
    file: &InputFile,
    doc_id: String,
    mut fields: records::Fields,
    mut damage: Damage,
    limits: &Limits,
) -> RawDoc {
    damage.replaced += fields.replaced;
    damage.nul += strip_nul(&mut fields.text);
    for value in [
        &mut fields.title,
        &mut fields.date,
        &mut fields.url,
        &mut fields.source,
        &mut fields.lang,
    ]
    .into_iter()
    .flatten()
    {
        damage.nul += strip_nul(value);
        // Metadata is short by nature; a huge title is a broken record.
        truncate_to(value, 64 * 1024);
    }
    let original_len = fields.text.len() as u64;
    if truncate_to(&mut fields.text, limits.max_text_bytes) {
        damage.truncated = Some(original_len);
    }
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
    damage.flag(&mut status);
    if status.is_ok() {
        let chars = fields.text.chars().count().max(1);
        if damage.replaced * 3 > chars {
            status.kind = StatusKind::Decode;
            status.detail = format!(
                "{} of {chars} characters could not be decoded",
                damage.replaced
            );
        } else if let Some(size) = damage.truncated {
            status.detail = format!(
                "only the first {} of {} were read",
                records::human_bytes(limits.max_text_bytes as u64),
                records::human_bytes(size)
            );
        }
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
            encoding: "",
            status,
        },
        text: fields.text,
    }
}

fn unreadable(file: &InputFile, doc_id: &str, e: &std::io::Error) -> RawDoc {
    failed(file, doc_id, StatusKind::Unreadable, e.to_string())
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
