//! The scraper's plain-text format: optional header lines, then paragraphs.
//!
//! ```text
//!  date 2024-11-18
//! title: Turkey denies Hamas moved its office
//!
//! First paragraph, possibly hard-wrapped
//! over several lines.
//!
//! Second paragraph.
//! ```
//!
//! Header lines are `key: value`, or `key value` for the keys whose value can
//! be recognised on sight (a date starting with a digit, a URL, a language
//! code); so "Date palms grow..." opening a body is not mistaken for a header.
//! Markdown files may also carry `---` front matter and a leading `# Title`.
//!
//! The body comes back as paragraphs joined by a blank line. Hard-wrapped
//! lines (Reuters wraps at 70 columns) are joined with a space; an indented
//! line or a line after a long one starts a new paragraph.

/// Metadata found in a header block. Unknown keys are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub date: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub lang: Option<String>,
}

/// Lines longer than this are not hard-wrapped prose: each one is a paragraph.
const WRAPPED_LINE_MAX: usize = 100;

/// Split a text file into its header and its body paragraphs.
pub fn parse(text: &str, markdown: bool) -> (Header, String) {
    let mut header = Header::default();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = skip_blank(&lines, 0);

    if markdown && lines.get(i).map(|l| l.trim()) == Some("---") {
        if let Some(end) = lines[i + 1..].iter().position(|l| l.trim() == "---") {
            for line in &lines[i + 1..i + 1 + end] {
                set_header_line(&mut header, line, false);
            }
            i = skip_blank(&lines, i + end + 2);
        }
    }
    while i < lines.len() && set_header_line(&mut header, lines[i], true) {
        i += 1;
    }
    i = skip_blank(&lines, i);
    if markdown && header.title.is_none() {
        if let Some(title) = lines.get(i).and_then(|l| l.trim().strip_prefix("# ")) {
            header.title = Some(title.trim().to_owned());
            i = skip_blank(&lines, i + 1);
        }
    }
    (header, paragraphs(&lines[i.min(lines.len())..]))
}

fn skip_blank(lines: &[&str], mut i: usize) -> usize {
    while i < lines.len() && lines[i].trim().is_empty() {
        i += 1;
    }
    i
}

/// Parse one header line into `header`. Returns false when it is not one.
fn set_header_line(header: &mut Header, line: &str, strict: bool) -> bool {
    let line = line.trim();
    let Some(split) = line.find(|c: char| c == ':' || c.is_whitespace()) else {
        return false;
    };
    let key = line[..split].to_ascii_lowercase();
    let rest = &line[split..];
    let (with_colon, value) = match rest.strip_prefix(':') {
        Some(v) => (true, v.trim()),
        None => (false, rest.trim()),
    };
    if value.is_empty() {
        return false;
    }
    // Without a colon, the value must identify itself, or a body sentence
    // starting with "Date", "Title" or "Source" would vanish into the header.
    let recognisable = match key.as_str() {
        "date" => value.starts_with(|c: char| c.is_ascii_digit()),
        "url" => value.starts_with("http://") || value.starts_with("https://"),
        "lang" | "language" => is_lang_code(value),
        _ => false,
    };
    if !with_colon && !recognisable {
        return false;
    }
    // With a colon, an unknown key ends the header in strict mode ("Note: ...").
    let slot = match key.as_str() {
        "date" | "published" => &mut header.date,
        "title" | "headline" => &mut header.title,
        "url" | "link" => &mut header.url,
        "source" | "outlet" | "site" => &mut header.source,
        "lang" | "language" => &mut header.lang,
        _ => return !strict,
    };
    *slot = Some(value.to_owned());
    true
}

fn is_lang_code(value: &str) -> bool {
    let mut parts = value.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Join the body lines into paragraphs separated by one blank line.
pub fn paragraphs(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut para = String::new();
    let mut prev_len = 0usize;
    for raw in lines {
        let line = raw.trim();
        if line.is_empty() {
            push_paragraph(&mut out, &mut para);
            continue;
        }
        let indented = raw.starts_with("  ") || raw.starts_with('\t');
        if !para.is_empty() && (indented || prev_len > WRAPPED_LINE_MAX) {
            push_paragraph(&mut out, &mut para);
        }
        if !para.is_empty() {
            para.push(' ');
        }
        para.push_str(line);
        prev_len = line.chars().count();
    }
    push_paragraph(&mut out, &mut para);
    out
}

fn push_paragraph(out: &mut String, para: &mut String) {
    if para.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(para);
    para.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        // (input, markdown, date, title, url, body)
        type Case = (
            &'static str,
            bool,
            Option<&'static str>,
            Option<&'static str>,
            &'static str,
        );
        let cases: Vec<Case> = vec![
            (
                " date 2024-11-18 \n\n\n\nBody one.\n\nBody two.",
                false,
                Some("2024-11-18"),
                None,
                "Body one.\n\nBody two.",
            ),
            (
                "date: 2024-11-18\ntitle: A title\nurl: https://x.example/a\n\nText.",
                false,
                Some("2024-11-18"),
                Some("A title"),
                "Text.",
            ),
            (
                "Date palms grow in the oasis.\n\nMore.",
                false,
                None,
                None,
                "Date palms grow in the oasis.\n\nMore.",
            ),
            (
                "Title of the piece is unknown.",
                false,
                None,
                None,
                "Title of the piece is unknown.",
            ),
            (
                "No header at all.\nSecond wrapped line.",
                false,
                None,
                None,
                "No header at all. Second wrapped line.",
            ),
            (
                "---\ntitle: Front\ndate: 2024-01-02\n---\n\nBody.",
                true,
                Some("2024-01-02"),
                Some("Front"),
                "Body.",
            ),
            (
                "# Markdown title\n\nBody.",
                true,
                None,
                Some("Markdown title"),
                "Body.",
            ),
            (
                "source: Rheinblatt\nlang de\n\nDer Text.",
                false,
                None,
                None,
                "Der Text.",
            ),
        ];
        for (input, md, date, title, body) in cases {
            let (h, b) = parse(input, md);
            assert_eq!(h.date.as_deref(), date, "{input:?}");
            assert_eq!(h.title.as_deref(), title, "{input:?}");
            assert_eq!(b, body, "{input:?}");
        }
        let (h, _) = parse("source: Rheinblatt\nlang de\n\nDer Text.", false);
        assert_eq!(h.source.as_deref(), Some("Rheinblatt"));
        assert_eq!(h.lang.as_deref(), Some("de"));
    }

    #[test]
    fn wrapped_and_indented_lines() {
        let reuters = "Showers continued throughout the week in\nthe Bahia cocoa zone.\n    The dry period means the temporao will be late.\n    Arrivals were 155,221 bags.";
        let (_, body) = parse(reuters, false);
        assert_eq!(
            body,
            "Showers continued throughout the week in the Bahia cocoa zone.\n\nThe dry period means the temporao will be late.\n\nArrivals were 155,221 bags."
        );
        let long = "x".repeat(150);
        let (_, body) = parse(&format!("{long}\nNext paragraph on its own line."), false);
        assert_eq!(body, format!("{long}\n\nNext paragraph on its own line."));
    }

    #[test]
    fn empty_inputs() {
        assert_eq!(parse("", false), (Header::default(), String::new()));
        assert_eq!(parse("\n\n  \n", false).1, "");
        let (h, b) = parse("date 2024-11-18\n", false);
        assert_eq!((h.date.as_deref(), b.as_str()), (Some("2024-11-18"), ""));
    }
}
