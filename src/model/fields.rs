//! Reading typed fields out of a YAML mapping, with located diagnostics:
//! wrong types, missing fields, values outside the config's lists (with
//! the nearest allowed one) and unknown fields (with did-you-mean).

use crate::diag::{Code, Diagnostic};
use crate::load::SourceFile;
use serde_yaml::{Mapping, Value};

/// A reader over one mapping (the front matter, or an item of a list in it).
pub struct Fields<'a> {
    map: &'a Mapping,
    src: &'a SourceFile,
    /// Path of this mapping in the front matter (`""`, `steps.2`).
    prefix: String,
    diags: &'a mut Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    pub fn new(
        map: &'a Mapping,
        src: &'a SourceFile,
        prefix: String,
        diags: &'a mut Vec<Diagnostic>,
    ) -> Self {
        Fields {
            map,
            src,
            prefix,
            diags,
        }
    }

    /// The full path of a field of this mapping.
    pub fn path(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    pub fn src(&self) -> &'a SourceFile {
        self.src
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    fn wrong_type(&mut self, key: &str, expected: &'static str) {
        let at = self.src.field(&self.path(key));
        let d = Diagnostic::new(Code::WrongType, Some(at))
            .arg("field", key)
            .arg("expected", expected);
        self.diags.push(d);
    }

    /// A scalar field as text (numbers and booleans are written back as text).
    pub fn text(&mut self, key: &str) -> Option<String> {
        let v = self.get(key)?;
        match scalar(v) {
            Some(s) => Some(s),
            None => {
                self.wrong_type(key, "text");
                None
            }
        }
    }

    /// A text field that must be present.
    pub fn required(&mut self, key: &str) -> Option<String> {
        let v = self.text(key);
        if v.is_none() && self.get(key).is_none() {
            self.missing(key);
        }
        v.filter(|s| !s.trim().is_empty())
    }

    /// Reports a required field as missing (at the mapping itself).
    pub fn missing(&mut self, key: &str) {
        let at = if self.prefix.is_empty() {
            self.src.locate(0, 3)
        } else {
            self.src.field_key(&self.prefix)
        };
        self.diags
            .push(Diagnostic::new(Code::MissingField, Some(at)).arg("field", key));
    }

    /// Whether a field is present and not null.
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// A list of texts; a single value is taken as a list of one.
    pub fn texts(&mut self, key: &str) -> Vec<String> {
        match self.get(key) {
            None => Vec::new(),
            Some(Value::Sequence(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match scalar(item) {
                        Some(s) => out.push(s),
                        None if item.is_null() => {}
                        None => self.wrong_type(&format!("{key}.{i}"), "text"),
                    }
                }
                out
            }
            Some(v) => match scalar(v) {
                Some(s) => vec![s],
                None => {
                    self.wrong_type(key, "list");
                    Vec::new()
                }
            },
        }
    }

    pub fn bool(&mut self, key: &str) -> bool {
        match self.get(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if matches!(s.trim(), "是" | "true" | "yes") => true,
            Some(Value::String(s)) if matches!(s.trim(), "否" | "false" | "no") => false,
            Some(_) => {
                self.wrong_type(key, "bool");
                false
            }
        }
    }

    /// A whole number in `lo..=hi`.
    pub fn number(&mut self, key: &str, lo: i64, hi: i64) -> Option<i64> {
        let v = self.get(key)?;
        let n = match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        match n {
            Some(n) if (lo..=hi).contains(&n) => Some(n),
            Some(n) => {
                let at = self.src.field(&self.path(key));
                let d = Diagnostic::new(Code::OutOfRange, Some(at))
                    .arg("field", key)
                    .arg("value", n.to_string())
                    .arg("range", format!("{lo}–{hi}"));
                self.diags.push(d);
                None
            }
            None => {
                self.wrong_type(key, "number");
                None
            }
        }
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&mut self, key: &str) -> Option<String> {
        let s = self.text(key)?;
        if is_date(&s) {
            Some(s)
        } else {
            let at = self.src.field(&self.path(key));
            self.diags.push(
                Diagnostic::new(Code::BadDate, Some(at))
                    .arg("field", key)
                    .arg("value", s),
            );
            None
        }
    }

    /// A text that must be one of `allowed` (returned as written, trimmed).
    pub fn choice(&mut self, key: &str, allowed: &[String]) -> Option<String> {
        let s = self.text(key)?;
        let t = s.trim();
        if allowed.iter().any(|a| a == t) {
            return Some(t.to_string());
        }
        self.not_allowed(key, t, allowed);
        None
    }

    /// Reports `value` of `key` as outside `allowed`, naming the nearest.
    pub fn not_allowed(&mut self, key: &str, value: &str, allowed: &[String]) {
        let at = self.src.field(&self.path(key));
        let mut d = Diagnostic::new(Code::NotAllowed, Some(at))
            .arg("field", key)
            .arg("value", value)
            .arg("allowed", allowed.join("、"));
        d = d.arg("nearest", nearest(value, allowed).unwrap_or_default());
        self.diags.push(d);
    }

    /// The items of a list of mappings, each with its path.
    pub fn list(&mut self, key: &str) -> Vec<(String, &'a Value)> {
        match self.get(key) {
            None => Vec::new(),
            Some(Value::Sequence(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (self.path(&format!("{key}.{i}")), v))
                .collect(),
            Some(_) => {
                self.wrong_type(key, "list");
                Vec::new()
            }
        }
    }

    /// A nested mapping field.
    pub fn mapping(&mut self, key: &str) -> Option<&'a Mapping> {
        match self.get(key)? {
            Value::Mapping(m) => Some(m),
            _ => {
                self.wrong_type(key, "mapping");
                None
            }
        }
    }

    /// The raw items of a list field (a single value counts as one item).
    pub fn raw_list(&mut self, key: &str) -> Vec<&'a Value> {
        match self.get(key) {
            None => Vec::new(),
            Some(Value::Sequence(items)) => items.iter().collect(),
            Some(v) => vec![v],
        }
    }

    /// A reader for a nested mapping at `path`.
    pub fn nested<'b>(&'b mut self, map: &'b Mapping, path: String) -> Fields<'b> {
        Fields {
            map,
            src: self.src,
            prefix: path,
            diags: self.diags,
        }
    }

    /// Warns about keys not in `known`, suggesting the nearest.
    pub fn unknown(&mut self, known: &[&str]) {
        for k in self.map.keys() {
            let Some(k) = k.as_str() else { continue };
            if known.contains(&k) || k == "kind" {
                continue;
            }
            let at = self.src.field_key(&self.path(k));
            let list: Vec<String> = known.iter().map(|s| s.to_string()).collect();
            let d = Diagnostic::new(Code::UnknownField, Some(at))
                .arg("field", k)
                .arg("nearest", nearest(k, &list).unwrap_or_default())
                .arg("known", known.join(", "));
            self.diags.push(d);
        }
    }
}

/// A YAML scalar as text.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar(&t.value),
        _ => None,
    }
}

/// Whether `s` is a real calendar date `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Whether `s` is a valid id: `[A-Za-z0-9][A-Za-z0-9_.-]*`.
pub fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// The allowed value closest to `value`, if any is close enough to suggest.
pub fn nearest(value: &str, allowed: &[String]) -> Option<String> {
    let v = value.trim().to_lowercase();
    let mut best: Option<(f64, &String)> = None;
    for a in allowed {
        let a_l = a.to_lowercase();
        let mut score = strsim::normalized_damerau_levenshtein(&v, &a_l);
        // One wrong character in a two- or three-character Chinese word
        // (一极 → 一级) scores 0.5; shared characters count too.
        let shared = a.chars().filter(|c| v.contains(*c)).count();
        if shared > 0 {
            score = score.max(shared as f64 / a.chars().count().max(1) as f64 * 0.9);
        }
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, a));
        }
    }
    best.filter(|(s, _)| *s >= 0.4).map(|(_, a)| a.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean() {
        let fields: Vec<String> = ["grade", "title", "type"].map(String::from).to_vec();
        assert_eq!(nearest("grdae", &fields).as_deref(), Some("grade"));
        let grades: Vec<String> = ["一级", "二级", "三级"].map(String::from).to_vec();
        assert_eq!(nearest("一极", &grades).as_deref(), Some("一级"));
        assert_eq!(nearest("zzzzzz", &grades), None);
    }

    #[test]
    fn dates_and_ids() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-13-01"));
        assert!(!is_date("2024/01/01"));
        assert!(is_id("R-001") && is_id("a.b_c") && !is_id("-x") && !is_id("风险"));
    }
}
