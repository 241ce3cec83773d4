//! Editing a content file in place: only the values that change are
//! rewritten, through the spans the loader records (`load::yaml::SpanIndex`);
//! comments, key order, quoting, blank lines and the body stay as they
//! were. serde_yaml never writes the file: it only reads the result back,
//! and an edit is refused unless the front matter then reads as before
//! with exactly the edited values changed.
//!
//! A file keeps its encoding (UTF-8 with or without BOM, GB18030) and its
//! line ends (CRLF stays CRLF).

pub mod yaml;

use crate::load::decode::{self, Encoding};
use crate::load::frontmatter;
use crate::load::yaml::{Span, SpanIndex, YamlText};
use crate::model::MeasureUse;
use serde_yaml::{Mapping, Value};

/// The new value of a field.
#[derive(Debug, Clone, PartialEq)]
pub enum NewValue {
    /// Text, quoted as it needs (a `|-` block when it has line breaks).
    Text(String),
    /// Written as is: a number or `true`/`false`.
    Raw(String),
    List(Vec<String>),
    Measures(Vec<MeasureUse>),
    /// The key is removed.
    Absent,
}

/// One change: `path` is `grade`, or `measures.1.text` inside a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub path: String,
    pub value: NewValue,
}

/// Why a file was not edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// No `---` front matter.
    NoFrontMatter,
    /// A field inside a list that is not written in the file.
    NotFound(String),
    /// The front matter would not read back as intended.
    Verify(String),
    /// A UTF-16 file (never edited in place).
    Encoding,
}

/// A content file's text with how it was stored.
pub struct TextFile {
    /// Decoded, line ends LF.
    pub text: String,
    crlf: bool,
    bom: bool,
    encoding: Encoding,
}

impl TextFile {
    pub fn decode(bytes: &[u8]) -> Result<TextFile, EditError> {
        let (text, encoding) = decode::decode(bytes).map_err(|_| EditError::Encoding)?;
        if encoding == Encoding::Utf16 {
            return Err(EditError::Encoding);
        }
        Ok(TextFile {
            text,
            crlf: bytes.windows(2).any(|w| w == b"\r\n"),
            bom: bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
            encoding,
        })
    }

    /// `text` stored as this file was.
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let text = if self.crlf {
            text.replace('\n', "\r\n")
        } else {
            text.to_string()
        };
        let mut out = Vec::new();
        match self.encoding {
            Encoding::Gb18030 => out.extend_from_slice(&encoding_rs::GB18030.encode(&text).0),
            _ => {
                if self.bom {
                    out.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
                }
                out.extend_from_slice(text.as_bytes());
            }
        }
        out
    }
}

/// The span of a field: `path` as written, or a top-level key written by
/// its Chinese name (风险等级 for `grade`). Returns the key as written too.
fn find(spans: &SpanIndex, path: &str) -> Option<(String, Span)> {
    if let Some(s) = spans.get(path) {
        return Some((path.to_string(), s));
    }
    if path.contains('.') {
        return None;
    }
    spans
        .iter()
        .find(|(p, _)| {
            !p.contains('.') && crate::model::fields::field_by_chinese_name(p) == Some(path)
        })
        .map(|(p, s)| (p.to_string(), s))
}

/// The new value as inline text and lines below the key.
fn render(
    value: &NewValue,
    old_inline: Option<&str>,
    col: usize,
    item_col: Option<usize>,
) -> (String, String) {
    let items = item_col.unwrap_or(col + 2);
    let pad = " ".repeat(items);
    match value {
        NewValue::Text(s) if s.contains('\n') => yaml::literal(s, col + 2),
        NewValue::Text(s) => (yaml::scalar(old_inline, s), String::new()),
        NewValue::Raw(s) => (s.clone(), String::new()),
        NewValue::List(v) if v.is_empty() => ("[]".into(), String::new()),
        NewValue::List(v) if old_inline.is_some_and(|o| o.starts_with('[')) => {
            (yaml::flow_list(v), String::new())
        }
        NewValue::List(v) => {
            let lines: Vec<String> = v
                .iter()
                .map(|s| format!("{pad}- {}", yaml::item(s)))
                .collect();
            (String::new(), lines.join("\n"))
        }
        NewValue::Measures(ms) if ms.is_empty() => ("[]".into(), String::new()),
        NewValue::Measures(ms) => (String::new(), measure_lines(ms, items)),
        NewValue::Absent => (String::new(), String::new()),
    }
}

/// A risk's measures as block lines, each item at column `at`.
pub fn measure_lines(ms: &[MeasureUse], at: usize) -> String {
    let pad = " ".repeat(at);
    let mut lines = Vec::new();
    for m in ms {
        match m {
            MeasureUse::Shared { id } => lines.push(format!("{pad}- ref: {}", yaml::item(id))),
            MeasureUse::Inline {
                phase,
                category,
                text,
            } => {
                let mut first = true;
                let mut push = |key: &str, v: String| {
                    let lead = if first { "- " } else { "  " };
                    first = false;
                    lines.push(format!("{pad}{lead}{key}: {v}"));
                };
                if let Some(p) = phase {
                    push("phase", yaml::item(p));
                }
                if let Some(c) = category {
                    push("category", yaml::item(c));
                }
                if text.contains('\n') {
                    let (head, block) = yaml::literal(text, at + 4);
                    push("text", format!("{head}\n{block}"));
                } else {
                    push("text", yaml::item(text));
                }
            }
        }
    }
    lines.join("\n")
}

/// What the front matter should read as after an edit.
fn expected(v: &NewValue) -> Option<Value> {
    Some(match v {
        NewValue::Text(s) => Value::String(s.clone()),
        NewValue::Raw(s) => {
            let y = YamlText {
                file: "",
                text: s,
                offset: 0,
            };
            y.parse().unwrap_or(Value::Null)
        }
        NewValue::List(v) => Value::Sequence(v.iter().cloned().map(Value::String).collect()),
        NewValue::Measures(ms) => Value::Sequence(
            ms.iter()
                .map(|m| {
                    let mut map = Mapping::new();
                    match m {
                        MeasureUse::Shared { id } => {
                            map.insert("ref".into(), id.clone().into());
                        }
                        MeasureUse::Inline {
                            phase,
                            category,
                            text,
                        } => {
                            if let Some(p) = phase {
                                map.insert("phase".into(), p.clone().into());
                            }
                            if let Some(c) = category {
                                map.insert("category".into(), c.clone().into());
                            }
                            map.insert("text".into(), text.clone().into());
                        }
                    }
                    Value::Mapping(map)
                })
                .collect(),
        ),
        NewValue::Absent => return None,
    })
}

/// Sets `path` (dotted, list indexes as numbers) in `v`.
fn set_path(v: &mut Value, path: &str, to: Option<Value>) -> bool {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    match (v, rest) {
        (Value::Mapping(m), None) => {
            match to {
                Some(x) => {
                    m.insert(head.into(), x);
                }
                None => {
                    m.remove(head);
                }
            }
            true
        }
        (Value::Mapping(m), Some(r)) => m.get_mut(head).is_some_and(|c| set_path(c, r, to)),
        (Value::Sequence(s), Some(r)) => head
            .parse::<usize>()
            .ok()
            .and_then(|i| s.get_mut(i))
            .is_some_and(|c| set_path(c, r, to)),
        (Value::Sequence(s), None) => match (head.parse::<usize>().ok(), to) {
            (Some(i), Some(x)) if i < s.len() => {
                s[i] = x;
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// A file's front matter as it reads now (keys as written), for comparing
/// a value with the one an edit would write; `None` when it does not read.
pub fn front(text: &str) -> Option<Mapping> {
    let split = frontmatter::split(text).ok()?;
    match parse_front(text, &split)? {
        Value::Mapping(m) => Some(m),
        _ => None,
    }
}

fn parse_front(text: &str, split: &frontmatter::Split) -> Option<Value> {
    YamlText {
        file: "",
        text: &text[..split.yaml_end],
        offset: split.yaml_start,
    }
    .parse()
    .ok()
}

/// The file's text with `edits` made and, when given, the body's text
/// replaced (its blank lines before and after kept). `order` is the order
/// keys are usually written in: a new key goes after the last one before
/// it that the file has.
pub fn apply(
    text: &str,
    edits: &[Edit],
    order: &[&str],
    body: Option<&str>,
) -> Result<String, EditError> {
    let split = frontmatter::split(text).map_err(|_| EditError::NoFrontMatter)?;
    let fm = &text[..split.yaml_end];
    let spans = SpanIndex::build(fm, split.yaml_start);
    let mut reps: Vec<(usize, usize, String)> = Vec::new();
    let mut written: Vec<(String, Option<Value>)> = Vec::new();
    for e in edits {
        match find(&spans, &e.path) {
            Some((key, span)) => {
                let ext = yaml::extent(fm, span.key, span.value);
                written.push((key, expected(&e.value)));
                if e.value == NewValue::Absent {
                    let end = (ext.end + 1).min(fm.len());
                    reps.push((ext.line, end, String::new()));
                    continue;
                }
                let old = (ext.inline.0 < ext.inline.1).then(|| &fm[ext.inline.0..ext.inline.1]);
                let (inline, block) = render(&e.value, old, ext.col, ext.item_col);
                let head = if inline.is_empty() {
                    String::new()
                } else {
                    format!(" {inline}")
                };
                match old {
                    Some(_) => reps.push((ext.colon_end, ext.inline.1, head)),
                    None => reps.push((ext.colon_end, ext.colon_end, head)),
                }
                let below = if block.is_empty() {
                    String::new()
                } else {
                    format!("\n{block}")
                };
                reps.push((ext.line_end, ext.end, below));
            }
            None if e.value == NewValue::Absent => {}
            None if e.path.contains('.') => return Err(EditError::NotFound(e.path.clone())),
            None => {
                let (inline, block) = render(&e.value, None, 0, None);
                let mut line = format!("{}:", e.path);
                if !inline.is_empty() {
                    line.push(' ');
                    line.push_str(&inline);
                }
                if !block.is_empty() {
                    line.push('\n');
                    line.push_str(&block);
                }
                line.push('\n');
                let at = insert_at(fm, &spans, order, &e.path).unwrap_or(split.yaml_end);
                reps.push((at, at, line));
                written.push((e.path.clone(), expected(&e.value)));
            }
        }
    }
    reps.sort_by_key(|r| (r.0, r.1));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for (a, b, s) in &reps {
        if *a < pos {
            return Err(EditError::Verify(String::from("overlap")));
        }
        out.push_str(&text[pos..*a]);
        out.push_str(s);
        pos = *b;
    }
    out.push_str(&text[pos..split.body_start]);
    out.push_str(&new_body(&text[split.body_start..], body));
    verify(text, &split, &out, &written)?;
    Ok(out)
}

/// Where a new top-level key goes: after the value of the last key of
/// `order` before it that the file has.
fn insert_at(fm: &str, spans: &SpanIndex, order: &[&str], key: &str) -> Option<usize> {
    let i = order.iter().position(|k| *k == key)?;
    order[..i].iter().rev().find_map(|k| {
        let (_, s) = find(spans, k)?;
        let ext = yaml::extent(fm, s.key, s.value);
        Some((ext.end + 1).min(fm.len()))
    })
}

/// The body with its text replaced, the blank lines around it kept.
fn new_body(old: &str, new: Option<&str>) -> String {
    let Some(new) = new else {
        return old.to_string();
    };
    let new = new.trim_matches('\n');
    let core = old.trim_matches(['\n', ' ']);
    if core.is_empty() {
        return if new.is_empty() {
            old.to_string()
        } else {
            format!("{new}\n")
        };
    }
    let lead = old.find(core).unwrap_or(0);
    let trail = &old[lead + core.len()..];
    format!("{}{new}{trail}", &old[..lead])
}

/// The edited front matter must read as the old one with exactly the
/// edited values changed.
fn verify(
    old: &str,
    split: &frontmatter::Split,
    new: &str,
    written: &[(String, Option<Value>)],
) -> Result<(), EditError> {
    let fail = |what: &str| EditError::Verify(what.to_string());
    let mut want = parse_front(old, split).ok_or_else(|| fail("old"))?;
    for (path, v) in written {
        if !set_path(&mut want, path, v.clone()) {
            return Err(fail(path));
        }
    }
    let split2 = frontmatter::split(new).map_err(|_| EditError::NoFrontMatter)?;
    let got = parse_front(new, &split2).ok_or_else(|| fail("new"))?;
    if got != want {
        let which = written
            .iter()
            .map(|(p, _)| p.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(fail(&which));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
