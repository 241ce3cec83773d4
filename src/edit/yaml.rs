//! Where a front-matter value sits in the text, and how a new value is
//! written there in the file's own style: the key's line and the lines
//! indented under it are the value; a scalar keeps its quoting (plain
//! when it can, else double quotes), a list its indentation and flow or
//! block form, a comment after an inline value stays.

/// Where a key's value is: after the colon on the key's line, and the
/// lines under it.
#[derive(Debug, Clone, Copy)]
pub struct Extent {
    /// Start of the key's line, and the key's column in it.
    pub line: usize,
    pub col: usize,
    /// After the colon (spaces before the value included).
    pub colon_end: usize,
    /// The inline value (empty when the value is on the lines below).
    pub inline: (usize, usize),
    /// End of the key's line (its `\n`, or the end of the text).
    pub line_end: usize,
    /// End of the last line of the value below the key's line (=
    /// `line_end` when there is none).
    pub end: usize,
    /// Column of the first `- ` item below, if any.
    pub item_col: Option<usize>,
}

fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i)
}

/// The extent of the value of the key at `key` (its byte span), with the
/// inline value span `value`, in `text` (the front matter up to its
/// closing `---`).
pub fn extent(text: &str, key: (usize, usize), value: (usize, usize)) -> Extent {
    let line = line_start(text, key.0);
    let col = key.0 - line;
    let le = line_end(text, key.0);
    // the colon: the first `:` after the key (a quoted key ends before its quote)
    let colon = text[key.1..le].find(':').map_or(key.1, |i| key.1 + i + 1);
    let inline = if value.0 < value.1 { value } else { (le, le) };
    let mut end = le;
    let mut item_col = None;
    let mut pos = le;
    while pos < text.len() {
        let next = pos + 1;
        if next >= text.len() {
            break;
        }
        let e = line_end(text, next);
        let l = &text[next..e];
        let t = l.trim_start_matches(' ');
        let indent = l.len() - t.len();
        if t.is_empty() || t.starts_with('#') {
            pos = e;
            continue;
        }
        let item_here = indent == col && (t == "-" || t.starts_with("- ")) && inline.0 == inline.1;
        if indent > col || item_here {
            if item_col.is_none() && (t == "-" || t.starts_with("- ")) {
                item_col = Some(indent);
            }
            end = e;
            pos = e;
            continue;
        }
        break;
    }
    Extent {
        line,
        col,
        colon_end: colon,
        inline,
        line_end: le,
        end,
        item_col,
    }
}

/// Whether `s` can be written as a plain YAML scalar and read back as the
/// same string.
pub fn plain_ok(s: &str) -> bool {
    if s.is_empty() || s.trim() != s || s.contains('\n') {
        return false;
    }
    let mut chars = s.chars();
    let first = chars.next().unwrap_or(' ');
    let second = chars.next();
    if ",[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if "-?:".contains(first) && second.is_none_or(|c| c == ' ' || c == '-') {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t') {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    let special = [
        "true", "false", "null", "~", "yes", "no", "on", "off", "y", "n",
    ];
    if special.contains(&lower.as_str()) {
        return false;
    }
    // numbers (and things serde_yaml may read as numbers)
    let numberish = s
        .chars()
        .all(|c| c.is_ascii_digit() || "+-._eExXoObB".contains(c) || c.is_ascii_hexdigit());
    let lead = s.trim_start_matches(['+', '-']);
    let starts_numeric = lead.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if numberish && starts_numeric {
        return false;
    }
    !matches!(lower.as_str(), ".inf" | "-.inf" | "+.inf" | ".nan")
}

/// A double-quoted YAML scalar.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A one-line scalar for `s`, in the style of `old` (the value as it was
/// written, if any): single or double quotes kept, else plain when that
/// reads back the same, else double quotes.
pub fn scalar(old: Option<&str>, s: &str) -> String {
    match old.and_then(|o| o.chars().next()) {
        Some('\'') if !s.contains('\n') => format!("'{}'", s.replace('\'', "''")),
        Some('"') => double_quoted(s),
        _ if plain_ok(s) => s.to_string(),
        _ => double_quoted(s),
    }
}

/// A list item: plain when it can be, else double-quoted.
pub fn item(s: &str) -> String {
    scalar(None, s)
}

/// A one-line flow list `[a, b]`.
pub fn flow_list(items: &[String]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|s| {
            if plain_ok(s) && !s.contains([',', '[', ']', '{', '}']) {
                s.clone()
            } else {
                double_quoted(s)
            }
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// A literal block scalar `|-` for multi-line text, indented by `indent`.
pub fn literal(s: &str, indent: usize) -> (String, String) {
    let pad = " ".repeat(indent);
    let lines: Vec<String> = s
        .split('\n')
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect();
    let keep = if s.starts_with(' ') { "|2-" } else { "|-" };
    (keep.to_string(), lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_only_when_it_reads_back() {
        for s in ["二级", "R-001", "P-10", "《依据》", "a b"] {
            assert!(plain_ok(s), "{s}");
        }
        for s in [
            "",
            "3",
            "2025",
            "true",
            "否认: x",
            "# x",
            "- a",
            " a",
            "a:",
            "1.5",
        ] {
            assert!(!plain_ok(s), "{s}");
        }
    }

    #[test]
    fn extent_covers_the_lines_under_a_key() {
        let t = "a: 1\nposts:\n  - P-1\n  # note\n  - P-2\n\nb: 2\n";
        let k = t.find("posts").unwrap();
        let e = extent(t, (k, k + 5), (k + 6, k + 6));
        assert_eq!(&t[e.line_end..e.end], "\n  - P-1\n  # note\n  - P-2");
        assert_eq!(e.item_col, Some(2));
        let t = "posts:\n- P-1\n- P-2\nb: 2\n";
        let e = extent(t, (0, 5), (6, 6));
        assert_eq!(&t[e.line_end..e.end], "\n- P-1\n- P-2");
    }
}
