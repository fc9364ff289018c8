//! The document model shared by every stage.
//!
//! Ingest turns files into [`RawDoc`]s: metadata plus the decoded body text.
//! Every input document becomes exactly one `RawDoc`, including the ones that
//! could not be read or parsed: those carry a non-`ok` [`Status`] and an empty
//! body, so the output can account for them. Later stages never drop a
//! document; they only add to its status.

use std::fmt;

/// Metadata of one input document, as found by ingest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocMeta {
    /// Unique id: the path, or `path:line` for a record of a JSONL or CSV file.
    pub doc_id: String,
    /// Path relative to the INPUT it was found under, `/`-separated.
    pub path: String,
    /// The exact bytes of the path, hex-escaped, when it is not valid UTF-8.
    pub path_bytes: Option<String>,
    /// Outlet: the `source` field, else the URL host, else the first folder.
    pub source: String,
    pub date: Option<String>,
    pub title: String,
    pub url: String,
    /// Language declared by the input (header, field), if any.
    pub lang_hint: Option<String>,
    /// Encoding used to decode the file (`UTF-8`, `windows-1252`, ...).
    pub encoding: &'static str,
    pub status: Status,
}

/// A document as read from disk: metadata and the decoded, unnormalized body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawDoc {
    pub meta: DocMeta,
    pub text: String,
}

/// Why a document was or was not processed.
///
/// `kind` is the primary outcome; `flags` are warnings that did not stop
/// processing (replaced bytes, boilerplate guard, shingle cap). `detail` is
/// a human-readable message, for example a parse error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub flags: Vec<String>,
    pub detail: String,
}

/// The primary outcome for a document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusKind {
    /// Read, decoded and processed.
    #[default]
    Ok,
    /// No text after decoding (or only whitespace).
    Empty,
    /// Looks like a binary file (image, PDF, archive) despite its extension.
    Binary,
    /// Could not be read from disk (permissions, vanished, I/O error).
    Unreadable,
    /// A JSONL line or CSV row that does not parse, or lacks the text field.
    Parse,
    /// The bytes could not be decoded as text at all.
    Decode,
}

impl StatusKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Ok => "ok",
            StatusKind::Empty => "empty",
            StatusKind::Binary => "binary",
            StatusKind::Unreadable => "unreadable",
            StatusKind::Parse => "parse",
            StatusKind::Decode => "decode",
        }
    }
}

impl Status {
    pub fn ok() -> Status {
        Status::default()
    }

    pub fn problem(kind: StatusKind, detail: impl Into<String>) -> Status {
        Status {
            kind,
            flags: Vec::new(),
            detail: detail.into(),
        }
    }

    /// True when the document's text went through the pipeline.
    pub fn is_ok(&self) -> bool {
        self.kind == StatusKind::Ok
    }

    /// True when something is worth reporting: a failure or any warning flag.
    pub fn is_problem(&self) -> bool {
        !self.is_ok() || !self.flags.is_empty()
    }

    /// True when the status carries the warning `flag` (by name: `nul`
    /// also finds `nul=3`).
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| {
            f.strip_prefix(flag)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
        })
    }

    pub fn flag(&mut self, flag: impl Into<String>) {
        let flag = flag.into();
        if !self.flags.contains(&flag) {
            self.flags.push(flag);
        }
    }
}

/// `ok`, or `ok;replaced=3`, or `parse`: the kind, then `;`-separated flags.
impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.as_str())?;
        for flag in &self.flags {
            write!(f, ";{flag}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_display() {
        let cases: Vec<(Status, &str)> = vec![
            (Status::ok(), "ok"),
            (Status::problem(StatusKind::Parse, "bad json"), "parse"),
            (
                {
                    let mut s = Status::ok();
                    s.flag("replaced=3");
                    s.flag("replaced=3");
                    s.flag("boilerplate-kept");
                    s
                },
                "ok;replaced=3;boilerplate-kept",
            ),
        ];
        for (status, want) in cases {
            assert_eq!(status.to_string(), want);
        }
    }

    #[test]
    fn problems() {
        assert!(!Status::ok().is_problem());
        assert!(Status::problem(StatusKind::Binary, "").is_problem());
        let mut s = Status::ok();
        s.flag("x");
        assert!(s.is_problem() && s.is_ok());
    }

    #[test]
    fn has_flag_matches_whole_names() {
        let mut s = Status::ok();
        s.flag("nul=3");
        s.flag("wall");
        // (flag, present)
        let cases = [
            ("nul", true),
            ("wall", true),
            ("wal", false),
            ("nu", false),
            ("too-short", false),
        ];
        for (flag, want) in cases {
            assert_eq!(s.has_flag(flag), want, "{flag}");
        }
    }
}
