//! YAML syntax errors in the writer's words: libyaml's English problem
//! becomes a catalogue message (`yaml.<problem>`), and for the two
//! mistakes a writer makes most — a tab in the indentation and a second
//! `: ` inside a value — the hint shows a fix that was tried and parses.

/// The libyaml problem (the start of serde_yaml's message) as the name of
/// a catalogue message `yaml.<name>` and of a hint `diag.E010.hint.<name>`.
pub fn problem_name(detail: &str) -> &'static str {
    const PROBLEMS: &[(&str, &str)] = &[
        ("mapping values are not allowed", "mapping_values"),
        ("did not find expected key", "expected_key"),
        ("did not find expected '-' indicator", "expected_dash"),
        ("did not find expected ',' or", "unclosed_bracket"),
        ("found unexpected end of stream", "unclosed_quote"),
        (
            "found character that cannot start any plain token",
            "bad_start",
        ),
        ("duplicate entry with key", "duplicate_key"),
        ("could not find expected ':'", "expected_colon"),
        ("found a tab character", "tab"),
        ("block sequence entries are not allowed", "sequence_here"),
        ("found unknown escape character", "escape"),
        ("did not find expected hexadecimal number", "escape"),
        ("found invalid Unicode character escape code", "escape"),
        ("found undefined tag handle", "tag"),
        (
            "did not find expected alphabetic or numeric character",
            "anchor",
        ),
        ("found unexpected ':'", "expected_colon"),
        ("control characters are not allowed", "control"),
        ("did not find expected node content", "expected_node"),
        ("unknown field", "unknown_field"),
        ("missing field", "missing_field"),
        ("invalid type", "invalid_type"),
        ("invalid value", "invalid_type"),
        ("unknown variant", "unknown_field"),
    ];
    PROBLEMS
        .iter()
        .find(|(p, _)| detail.contains(p))
        .map_or("other", |(_, n)| n)
}

/// The name a serde message quotes (`risk_type` in "unknown field
/// `risk_type`, expected one of `risk_types`, …", the key of "duplicate
/// entry with key \"title\"") and the names it expects, joined with 、.
pub fn named(detail: &str) -> (String, String) {
    let quoted = |s: &str| -> Vec<String> {
        s.split(['`', '"'])
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let (head, expected) = detail.split_once("expected").unwrap_or((detail, ""));
    let name = quoted(head).into_iter().next().unwrap_or_default();
    let expected = expected.split(" at line ").next().unwrap_or("");
    (name, quoted(expected).join("、"))
}

/// Whether `yaml` parses.
fn parses(yaml: &str) -> bool {
    serde_yaml::from_str::<serde_yaml::Value>(yaml).is_ok()
}

/// How many spaces each `ch` (a tab or U+3000) in the indentation must
/// become for the document to parse (tried: 2, 4, 8, 1, 3, 6), if any does.
pub fn width_that_parses(yaml: &str, ch: char) -> Option<usize> {
    [2, 4, 8, 1, 3, 6]
        .into_iter()
        .find(|&n| parses(&untab(yaml, ch, n)))
}

/// `yaml` with every `ch` in the indentation of a line replaced by `n` spaces.
pub fn untab(yaml: &str, ch: char, n: usize) -> String {
    let mut out = String::with_capacity(yaml.len());
    for line in yaml.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t', '\u{3000}']).len();
        out.push_str(&line[..indent].replace(ch, &" ".repeat(n)));
        out.push_str(&line[indent..]);
    }
    out
}

/// For a line `key: value with: colon` (or `- key: …`): the line with the
/// value in double quotes, if the document then parses.
pub fn quoted_value_fix(yaml: &str, line_start: usize) -> Option<String> {
    let line_end = yaml[line_start..]
        .find('\n')
        .map_or(yaml.len(), |i| line_start + i);
    let line = &yaml[line_start..line_end];
    let indent = line.len() - line.trim_start_matches([' ', '-']).len();
    let rest = &line[indent..];
    let colon = rest.find(": ")?;
    let (key, value) = (&rest[..colon], rest[colon + 2..].trim());
    if key.is_empty() || key.contains(' ') || value.starts_with(['"', '\'']) {
        return None;
    }
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    let fixed = format!("{}{key}: \"{quoted}\"", &line[..indent]);
    let doc = format!("{}{fixed}{}", &yaml[..line_start], &yaml[line_end..]);
    parses(&doc).then(|| fixed.trim_start().to_string())
}

/// A backslash in a double-quoted value that starts no YAML escape (a
/// Windows path such as `"C:\Program Files\Google\…"`), and the two ways
/// of writing the value that were tried and give the text as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Backslash {
    /// Byte index of the backslash in the YAML text.
    pub at: usize,
    /// The backslash and the character after it (`\G`).
    pub escape: String,
    /// The value in single quotes, where a backslash is plain text.
    pub single: Option<String>,
    /// The value in double quotes with forward slashes.
    pub slashes: Option<String>,
}

/// For the double-quoted scalar opened at byte `open` of `yaml`: its first
/// backslash that is no valid escape, and the fixes of [`Backslash`]. A
/// fix is offered only for a value on one line, and only if it parses to
/// the text as typed (backslashes kept, or made forward slashes).
pub fn backslash_fix(yaml: &str, open: usize) -> Option<Backslash> {
    let body = yaml.get(open..)?.strip_prefix('"')?;
    let mut chars = body.char_indices();
    let mut bad = None;
    let mut end = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                end = Some(i);
                break;
            }
            '\\' => {
                let rest = &body[i + 1..];
                if bad.is_none() && !valid_escape(rest) {
                    bad = Some(i);
                }
                chars.next();
            }
            _ => {}
        }
    }
    let i = bad?;
    let next = body[i + 1..].chars().next().map_or(0, char::len_utf8);
    let typed = end.map(|e| &body[..e]).filter(|t| !t.contains('\n'));
    let tried = |fixed: String, meant: String| {
        let ok = serde_yaml::from_str::<String>(&fixed).is_ok_and(|v| v == meant);
        ok.then_some(fixed)
    };
    Some(Backslash {
        at: open + 1 + i,
        escape: body[i..i + 1 + next].to_string(),
        single: typed.and_then(|t| tried(format!("'{}'", t.replace('\'', "''")), t.into())),
        slashes: typed.and_then(|t| {
            let s = t.replace('\\', "/");
            tried(format!("\"{s}\""), s)
        }),
    })
}

/// Whether `rest` (the text after a backslash in a double-quoted scalar)
/// starts a YAML escape: one of its letters, or `x`, `u`, `U` with 2, 4,
/// 8 hexadecimal digits.
fn valid_escape(rest: &str) -> bool {
    let Some(c) = rest.chars().next() else {
        return false;
    };
    let hex = |n: usize| {
        let digits = rest.bytes().skip(1).take(n);
        digits.clone().count() == n && digits.into_iter().all(|b| b.is_ascii_hexdigit())
    };
    match c {
        'x' => hex(2),
        'u' => hex(4),
        'U' => hex(8),
        _ => "0abt\tnvfre \"/\\N_LP\r\n".contains(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_fix_parses() {
        let y = "measures:\n  - phase: a\n\ttext: b\n";
        assert!(!parses(y));
        let n = width_that_parses(y, '\t').unwrap();
        assert_eq!(n, 4);
        assert!(parses(&untab(y, '\t', n)));
    }

    #[test]
    fn colon_fix_parses() {
        let y = "measures:\n  - phase: a\n    text: 要求: 双人执法\n";
        let at = y.find("    text").unwrap();
        let fixed = quoted_value_fix(y, at).unwrap();
        assert_eq!(fixed, "text: \"要求: 双人执法\"");
    }

    #[test]
    fn backslash_fixes_parse_to_the_path_as_typed() {
        let y = "booklet:\n  chromium: \"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\"\n";
        assert!(!parses(y));
        let open = y.find('"').unwrap();
        let b = backslash_fix(y, open).unwrap();
        assert_eq!(b.escape, "\\G");
        assert_eq!(&y[b.at..b.at + 2], "\\G");
        let single = b.single.unwrap();
        assert_eq!(
            single,
            "'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'"
        );
        assert_eq!(
            b.slashes.as_deref(),
            Some("\"C:/Program Files/Google/Chrome/Application/chrome.exe\"")
        );
        // \U needs eight hex digits: C:\Users is no escape either
        let u = backslash_fix("p: \"C:\\Users\\张三\"\n", 3).unwrap();
        assert_eq!(u.escape, "\\U");
        // valid escapes are left alone
        assert_eq!(backslash_fix("p: \"a\\n\\t\\\\ \\x41\"\n", 3), None);
    }

    #[test]
    fn problems_have_names() {
        assert_eq!(
            problem_name("mapping values are not allowed in this context"),
            "mapping_values"
        );
        assert_eq!(problem_name("something new"), "other");
    }
}
