//! YAML behind one door: the pre-scan for typists' mistakes, parsing with
//! serde_yaml, and an index from field paths to byte spans.
//!
//! serde_yaml reports a full-width colon at the *next* line and a tab at the
//! line before, and it keeps no spans for values. So we scan the text first
//! for the mistakes Chinese typists make (full-width `：` after a key,
//! U+3000 or tabs in indentation) and report them where they are; and
//! [`SpanIndex`] maps `measures.1.phase`-style paths to the text, so later
//! stages can point at a field's line and column.

use crate::diag::{Code, Diagnostic, Location};
use serde_yaml::Value;

/// A YAML document's text inside a file: `offset` is where it starts in the
/// file's text, so spans and lines refer to the whole file.
pub struct YamlText<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub offset: usize,
}

impl YamlText<'_> {
    fn yaml(&self) -> &str {
        &self.text[self.offset..]
    }

    fn at(&self, start: usize, end: usize) -> Location {
        Location::in_text(self.file, self.text, self.offset + start, self.offset + end)
    }

    /// Scans for the mistakes serde_yaml would report at the wrong line.
    pub fn prescan(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut pos = 0;
        for line in self.yaml().split_inclusive('\n') {
            let start = pos;
            pos += line.len();
            let body = line.trim_end_matches(['\n', '\r']);
            let indent_len = body.len() - body.trim_start_matches([' ', '\t', '\u{3000}']).len();
            let indent = &body[..indent_len];
            if body.trim_start().starts_with('#') {
                continue;
            }
            if let Some(i) = indent.find('\u{3000}') {
                out.push(Diagnostic::new(
                    Code::FullWidthSpace,
                    Some(self.at(start + i, start + i + 3)),
                ));
                continue;
            }
            if let Some(i) = indent.find('\t') {
                out.push(Diagnostic::new(
                    Code::TabIndent,
                    Some(self.at(start + i, start + i + 1)),
                ));
                continue;
            }
            let mut rest = &body[indent_len..];
            let mut rest_at = start + indent_len;
            while let Some(r) = rest.strip_prefix("- ") {
                let r2 = r.trim_start_matches(' ');
                rest_at += rest.len() - r2.len();
                rest = r2;
            }
            if let Some(i) = fullwidth_colon_after_key(rest) {
                let key = rest[..i].trim_end();
                out.push(
                    Diagnostic::new(
                        Code::FullWidthColon,
                        Some(self.at(rest_at + i, rest_at + i + '：'.len_utf8())),
                    )
                    .arg("key", key),
                );
            } else if let Some(i) = rest.find(":\u{3000}") {
                if is_key(&rest[..i]) {
                    out.push(Diagnostic::new(
                        Code::FullWidthSpace,
                        Some(self.at(rest_at + i + 1, rest_at + i + 4)),
                    ));
                }
            }
        }
        self.tab_fix(&mut out);
        out
    }

    /// The tab hint names how many spaces make the document parse (tried,
    /// not guessed: two per level is wrong when a tab stood for four).
    /// The same for a full-width space (U+3000) in the indentation.
    fn tab_fix(&self, out: &mut [Diagnostic]) {
        for (code, ch) in [(Code::TabIndent, '\t'), (Code::FullWidthSpace, '\u{3000}')] {
            let in_indent = |d: &Diagnostic| {
                d.code == code
                    && d.at.as_ref().is_some_and(|a| {
                        a.source_line
                            .chars()
                            .take(a.column - 1)
                            .all(char::is_whitespace)
                    })
            };
            if !out.iter().any(in_indent) {
                continue;
            }
            let Some(n) = super::syntax::width_that_parses(self.yaml(), ch) else {
                continue;
            };
            for d in out.iter_mut().filter(|d| in_indent(d)) {
                *d = d.clone().arg("n", n.to_string()).hint_variant("spaces");
            }
        }
    }

    /// Parses the document. Syntax errors come back located in the file.
    pub fn parse(&self) -> Result<Value, Diagnostic> {
        serde_yaml::from_str::<Value>(self.yaml()).map_err(|e| self.syntax_error(&e))
    }

    /// Turns a serde_yaml error into a located diagnostic.
    pub fn syntax_error(&self, e: &serde_yaml::Error) -> Diagnostic {
        let detail = e.to_string();
        let detail = detail
            .split(" at line ")
            .next()
            .unwrap_or(&detail)
            .to_string();
        let full = e.to_string();
        let problem = super::syntax::problem_name(&full);
        let (name, expected) = super::syntax::named(&full);
        if problem == "escape" {
            if let Some(d) = self.backslash(&full) {
                return d;
            }
        }
        let mut fix = None;
        let at = match e.location() {
            Some(loc) => {
                if problem == "mapping_values" {
                    let i = loc.index().min(self.yaml().len());
                    let line_start = self.yaml()[..i].rfind('\n').map_or(0, |j| j + 1);
                    fix = super::syntax::quoted_value_fix(self.yaml(), line_start);
                }
                let i = self
                    .opening_of_unclosed(&full, loc.line())
                    .or_else(|| self.duplicate_key(&full))
                    .unwrap_or(loc.index())
                    .min(self.yaml().len());
                self.at(i, i + 1)
            }
            None => self.at(0, 0),
        };
        let d = Diagnostic::new(Code::YamlSyntax, Some(at))
            .arg("detail", detail)
            .arg("problem", format!("yaml.{problem}"))
            .arg("name", name)
            .arg("expected", expected);
        match fix {
            Some(fixed) => d.arg("fixed", fixed).hint_variant("quote"),
            None => d.hint_variant(problem),
        }
    }

    /// A bad escape in a double-quoted scalar (a Windows path typed in
    /// double quotes): located at its backslash, with the two ways of
    /// writing the value that were tried, if both give the text as typed.
    fn backslash(&self, message: &str) -> Option<Diagnostic> {
        let (_, context) = message.split_once(", while ")?;
        if !context.starts_with("parsing a quoted scalar") {
            return None;
        }
        let open = self.mark_index(context)?;
        let b = super::syntax::backslash_fix(self.yaml(), open)?;
        let d = Diagnostic::new(Code::YamlSyntax, Some(self.at(b.at, b.at + b.escape.len())))
            .arg("problem", "yaml.backslash")
            .arg("escape", b.escape);
        Some(match (b.single, b.slashes) {
            (Some(single), Some(slashes)) => d
                .arg("single", single)
                .arg("slashes", slashes)
                .hint_variant("backslash"),
            _ => d.hint_variant("escape"),
        })
    }

    /// The byte index of the mark ending `text` ("… at line 3 column 7").
    fn mark_index(&self, text: &str) -> Option<usize> {
        let (line, column) = text.rsplit_once(" at line ")?.1.split_once(" column ")?;
        let line: usize = line.trim().parse().ok()?;
        let column: usize = column.trim().parse().ok()?;
        let yaml = self.yaml();
        let line_start = if line <= 1 {
            0
        } else {
            yaml.match_indices('\n').nth(line - 2)?.0 + 1
        };
        let col = yaml[line_start..]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(0, |(i, _)| i);
        Some(line_start + col)
    }

    /// libyaml reports an unclosed quote or bracket where it gave up (the end
    /// of the text, or the next line); the mistake is where it was opened,
    /// which the message names as its context ("while scanning a quoted
    /// scalar at line 3 column 7"). The byte index of that opening, if so.
    fn opening_of_unclosed(&self, message: &str, problem_line: usize) -> Option<usize> {
        let (problem, context) = message.split_once(", while ")?;
        let unclosed = (context.starts_with("scanning a quoted scalar")
            && problem.starts_with("found unexpected end of stream"))
            || (context.starts_with("parsing a flow")
                && problem.starts_with("did not find expected ','"));
        if !unclosed {
            return None;
        }
        let line: usize = context
            .split_once(" at line ")?
            .1
            .split_once(" column ")?
            .0
            .trim()
            .parse()
            .ok()?;
        if line >= problem_line {
            return None;
        }
        self.mark_index(context)
    }

    /// serde_yaml reports a key written twice at the start of its mapping;
    /// the mistake is the second one. Its byte index, if found.
    fn duplicate_key(&self, message: &str) -> Option<usize> {
        let key = message
            .strip_prefix("duplicate entry with key \"")?
            .split('"')
            .next()?;
        let spans = SpanIndex::build(self.yaml(), 0);
        let mut seen: Vec<&str> = Vec::new();
        for (path, span) in &spans.entries {
            if path.rsplit('.').next() != Some(key) {
                continue;
            }
            if seen.contains(&path.as_str()) {
                return Some(span.key.0);
            }
            seen.push(path);
        }
        None
    }
}

fn is_key(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Byte index of a `：` that follows a key-like word at the start of `rest`.
fn fullwidth_colon_after_key(rest: &str) -> Option<usize> {
    let rest = rest.strip_prefix('{').unwrap_or(rest);
    let i = rest.find('：')?;
    let before = &rest[..i];
    if before.contains(": ") || before.ends_with(':') {
        return None;
    }
    is_key(before).then_some(i)
}

/// Where each field's key and value sit in the file, by path
/// (`title`, `measures.1.phase`, `steps.0.next.2`).
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    entries: Vec<(String, Span)>,
}

/// Byte spans of one field in the file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub key: (usize, usize),
    pub value: (usize, usize),
}

struct Frame {
    col: usize,
    item: bool,
    path: String,
    items: usize,
}

impl SpanIndex {
    /// Indexes block-style YAML (what people write by hand); flow-style
    /// `[a, b]` and `{k: v}` values are indexed one level deep.
    pub fn build(text: &str, offset: usize) -> SpanIndex {
        let mut idx = SpanIndex::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut pos = offset;
        for line in text[offset..].split_inclusive('\n') {
            let start = pos;
            pos += line.len();
            let body = line.trim_end_matches(['\n', '\r']);
            let trimmed = body.trim_start_matches(' ');
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
                continue;
            }
            let mut col = body.len() - trimmed.len();
            let mut rest = trimmed;
            loop {
                if rest == "-" || rest.starts_with("- ") {
                    while stack
                        .last()
                        .is_some_and(|f| f.col > col || (f.col == col && f.item))
                    {
                        stack.pop();
                    }
                    let (parent, n) = match stack.last_mut() {
                        Some(f) => {
                            f.items += 1;
                            (f.path.clone(), f.items - 1)
                        }
                        None => (String::new(), 0),
                    };
                    let path = join(&parent, &n.to_string());
                    let after = rest[1..].trim_start_matches(' ');
                    let skip = rest.len() - after.len();
                    stack.push(Frame {
                        col,
                        item: true,
                        path: path.clone(),
                        items: 0,
                    });
                    col += skip;
                    rest = after;
                    if !rest.is_empty() && key_of(rest).is_none() {
                        let vs = start + col;
                        idx.push_value(&path, (vs, vs), (vs, vs + value_len(rest)));
                        idx.flow(&path, rest, vs);
                        break;
                    }
                    continue;
                }
                if let Some((key, vstart)) = key_of(rest) {
                    while stack.last().is_some_and(|f| f.col >= col) {
                        stack.pop();
                    }
                    let parent = stack.last().map(|f| f.path.clone()).unwrap_or_default();
                    let path = join(&parent, key);
                    let ks = start + col;
                    let value = &rest[vstart..];
                    let vs = start + col + vstart;
                    idx.push_value(&path, (ks, ks + key.len()), (vs, vs + value_len(value)));
                    idx.flow(&path, value, vs);
                    stack.push(Frame {
                        col,
                        item: false,
                        path,
                        items: 0,
                    });
                }
                break;
            }
        }
        idx
    }

    fn push_value(&mut self, path: &str, key: (usize, usize), value: (usize, usize)) {
        self.entries.push((path.to_string(), Span { key, value }));
    }

    /// Indexes the items of a one-line `[a, b]` or `{k: v}` value.
    fn flow(&mut self, path: &str, value: &str, at: usize) {
        let v = value.trim_end();
        let (open, close, map) = match v.chars().next() {
            Some('[') => ('[', ']', false),
            Some('{') => ('{', '}', true),
            _ => return,
        };
        if !v.ends_with(close) || v.len() < 2 {
            return;
        }
        let inner = &v[open.len_utf8()..v.len() - close.len_utf8()];
        let mut p = at + 1;
        for (n, part) in inner.split(',').enumerate() {
            let lead = part.len() - part.trim_start().len();
            let s = p + lead;
            let item = part.trim();
            if map {
                if let Some((key, vs)) = key_of(item) {
                    let sub = join(path, key);
                    let val = item[vs..].trim();
                    self.push_value(&sub, (s, s + key.len()), (s + vs, s + vs + val.len()));
                }
            } else {
                let sub = join(path, &n.to_string());
                self.push_value(&sub, (s, s + item.len()), (s, s + item.len()));
            }
            p += part.len() + 1;
        }
    }

    /// Every recorded path with its spans, in the order of the text.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Span)> {
        self.entries.iter().map(|(p, s)| (p.as_str(), *s))
    }

    /// The spans recorded for `path`, if its line was found.
    pub fn get(&self, path: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, s)| *s)
    }

    /// The value span of `path`, or of its nearest recorded ancestor.
    pub fn value_or_parent(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path;
        loop {
            if let Some(s) = self.get(p) {
                let (a, b) = s.value;
                return Some(if a == b { s.key } else { (a, b) });
            }
            p = &p[..p.rfind('.')?];
        }
    }

    /// The key span of `path`, or of its nearest recorded ancestor.
    pub fn key_or_parent(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path;
        loop {
            if let Some(s) = self.get(p) {
                return Some(s.key);
            }
            p = &p[..p.rfind('.')?];
        }
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// `key: value` or `key:` at the start of `s`: the key and where the value starts.
fn key_of(s: &str) -> Option<(&str, usize)> {
    let (key, after) = if let Some(q) = s.strip_prefix('"') {
        let end = q.find('"')?;
        (&q[..end], end + 2)
    } else {
        let i = s.find(':')?;
        (&s[..i], i)
    };
    let rest = &s[after..];
    let rest = rest.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) || key.is_empty() || key.starts_with(['[', '{'])
    {
        return None;
    }
    let key = key.trim_end();
    let vstart = s.len() - rest.trim_start_matches(' ').len();
    Some((key, vstart))
}

/// Length of a scalar value, without a trailing comment.
fn value_len(v: &str) -> usize {
    let v = match v.find(" #") {
        Some(i) if !v.starts_with(['"', '\'']) => &v[..i],
        _ => v,
    };
    v.trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(yaml: &str) -> Vec<(String, usize, usize)> {
        let t = YamlText {
            file: "f.md",
            text: yaml,
            offset: 0,
        };
        t.prescan()
            .into_iter()
            .map(|d| {
                let at = d.at.unwrap();
                (d.code.as_str().to_string(), at.line, at.column)
            })
            .collect()
    }

    #[test]
    fn fullwidth_colon_is_reported_on_its_own_line() {
        assert_eq!(
            scan("id: R-1\ntitle：审批\ntype: x\n"),
            vec![("E011".into(), 2, 6)]
        );
        assert_eq!(
            scan("measures:\n  - phase：前期预防\n"),
            vec![("E011".into(), 2, 10)]
        );
        // a full-width colon inside a value is text, not a mistake
        assert!(scan("title: 注意：审批\nbasis:\n  - 《条例》第三条：规定\n").is_empty());
    }

    #[test]
    fn fullwidth_space_and_tab_in_indentation() {
        assert_eq!(scan("posts:\n\u{3000}- P-1\n"), vec![("E012".into(), 2, 1)]);
        assert_eq!(scan("posts:\n\t- P-1\n"), vec![("E013".into(), 2, 1)]);
        assert_eq!(scan("title:\u{3000}审批\n"), vec![("E012".into(), 1, 7)]);
    }

    #[test]
    fn spans_by_path() {
        let y = "id: R-1\nmeasures:\n  - phase: 前期预防\n    text: 教育\n  - ref: M-01\nposts: [P-01, P-02]\nsteps:\n- id: s1\n  next:\n    - s2\n    - {to: s3, label: 退回}\n";
        let idx = SpanIndex::build(y, 0);
        let val = |p: &str| {
            let (a, b) = idx.get(p).unwrap_or_else(|| panic!("{p}")).value;
            &y[a..b]
        };
        assert_eq!(val("id"), "R-1");
        assert_eq!(val("measures.0.phase"), "前期预防");
        assert_eq!(val("measures.0.text"), "教育");
        assert_eq!(val("measures.1.ref"), "M-01");
        assert_eq!(val("posts.1"), "P-02");
        assert_eq!(val("steps.0.id"), "s1");
        assert_eq!(val("steps.0.next.0"), "s2");
        assert_eq!(val("steps.0.next.1.to"), "s3");
        assert!(idx.value_or_parent("steps.0.next.9").is_some());
    }
}
