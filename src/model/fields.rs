//! Reading typed fields out of a YAML mapping, with located diagnostics:
//! wrong types, missing fields, values outside the config's lists (with
//! the nearest allowed one) and unknown fields (with did-you-mean).

use crate::config::Config;
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
        // A front matter has a handful of keys: comparing them is cheaper
        // than hashing (the mapping's hasher is SipHash) on every lookup.
        let found = self.map.iter().find(|(k, _)| k.as_str() == Some(key));
        match found.map(|(_, v)| v) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    fn wrong_type(&mut self, key: &str, expected: &'static str) {
        let at = self.src.field(&self.path(key));
        let d = Diagnostic::new(Code::WrongType, Some(at))
            .arg("field", self.path(key))
            .arg("expected", expected)
            .arg("problem", format!("type.{expected}"));
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
            .push(Diagnostic::new(Code::MissingField, Some(at)).arg("field", self.path(key)));
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
                    .arg("field", self.path(key))
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
                    .arg("field", self.path(key))
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

    /// Reports `value` of `key` as outside `allowed`, naming the nearest
    /// when one is close and unambiguous, or a full-width character in it.
    pub fn not_allowed(&mut self, key: &str, value: &str, allowed: &[String]) {
        let d = self.not_allowed_diag(key, value, allowed);
        let d = match nearest(value, allowed) {
            Some(n) => d.arg("nearest", n).hint_variant("nearest"),
            None => d,
        };
        self.diags.push(d);
    }

    /// The plain "not one of the allowed values" diagnostic, naming a
    /// full-width character (，：　) if the value holds one.
    pub fn not_allowed_diag(&self, key: &str, value: &str, allowed: &[String]) -> Diagnostic {
        let at = self.src.field(&self.path(key));
        let d = Diagnostic::new(Code::NotAllowed, Some(at))
            .arg("field", self.path(key))
            .arg("value", value)
            .arg("allowed", allowed.join("、"));
        match fullwidth_char(value) {
            Some(c) => d.arg("char", c.to_string()).hint_variant("fullwidth"),
            None => d,
        }
    }

    /// Reports a grade outside the config's grades. A grade is an ordered
    /// list: "3级" is never "corrected" to another grade; a number that
    /// names a position is explained with the list in order.
    pub fn not_a_grade(&mut self, value: &str, allowed: &[String], ordered: &[String]) {
        let d = self.not_allowed_diag("grade", value, allowed);
        let d = if grade_position(value).is_some() {
            d.arg("order", ordered.join(" > "))
                .arg("count", ordered.len().to_string())
                .hint_variant("position")
        } else {
            // a misspelt grade (一极) may be suggested, never one of another
            // number: the suggestion must hold the same numerals
            let numerals = |s: &str| s.chars().filter_map(numeral).collect::<Vec<_>>();
            match nearest(value, allowed).filter(|n| numerals(n) == numerals(value)) {
                Some(n) => d.arg("nearest", n).hint_variant("nearest"),
                None => d,
            }
        };
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

    /// A field as a mapping when it is one (nothing said when it is not).
    pub fn mapping_if(&self, key: &str) -> Option<&'a Mapping> {
        match self.get(key)? {
            Value::Mapping(m) => Some(m),
            _ => None,
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

    /// Warns about keys not in `known`, suggesting the nearest (by
    /// spelling, or a Chinese name of the field such as 风险等级 → grade).
    pub fn unknown(&mut self, known: &[&str]) {
        for k in self.map.keys() {
            let Some(k) = k.as_str() else { continue };
            if known.contains(&k) || k == "kind" {
                continue;
            }
            let at = self.src.field_key(&self.path(k));
            let list: Vec<String> = known.iter().map(|s| s.to_string()).collect();
            let by_name = field_by_chinese_name(k).filter(|f| known.contains(f));
            let suggestion = by_name.map(str::to_string).or_else(|| nearest(k, &list));
            let mut d = Diagnostic::new(Code::UnknownField, Some(at))
                .arg("field", k)
                .arg("known", known.join(", "));
            if let Some(n) = suggestion {
                d = d.arg("nearest", n).hint_variant("nearest");
            }
            self.diags.push(d);
        }
    }
}

/// The field a writer means by a Chinese name (the words of the ledger
/// and of the pages): 风险等级 → grade.
pub fn field_by_chinese_name(name: &str) -> Option<&'static str> {
    const NAMES: &[(&str, &[&str])] = &[
        ("id", &["编号", "序号"]),
        (
            "title",
            &["标题", "名称", "风险点", "风险点名称", "事项名称"],
        ),
        ("grade", &["风险等级", "等级", "级别"]),
        ("type", &["风险类型", "类型", "类别"]),
        ("likelihood", &["发生可能性", "可能性"]),
        ("impact", &["危害程度", "影响程度"]),
        ("tier", &["风险层级", "层级"]),
        ("department", &["科室", "部门", "责任科室", "所属科室"]),
        ("posts", &["岗位", "责任岗位", "涉及岗位"]),
        ("power", &["职权", "职权事项"]),
        ("owner", &["责任人", "防控责任人"]),
        ("measures", &["防控措施", "措施"]),
        ("basis", &["依据", "设定依据", "法律依据"]),
        ("reviewed", &["复核日期", "审核日期", "更新日期"]),
        ("scope", &["公示范围", "范围"]),
        ("phase", &["阶段", "防控阶段"]),
        ("category", &["措施类别", "职权类别"]),
        ("text", &["内容", "措施内容"]),
        ("steps", &["步骤", "流程步骤"]),
        ("head", &["负责人", "负责岗位"]),
        ("parent", &["上级", "上级科室"]),
        ("level", &["岗位层级"]),
        ("holders", &["在岗人员", "人员"]),
        ("time_limit", &["时限", "办理时限"]),
        ("materials", &["申请材料", "材料"]),
        ("fee", &["收费", "收费标准"]),
        ("flow", &["流程", "流程图"]),
    ];
    let n = name.trim().trim_end_matches(['：', ':']);
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&n))
        .map(|(f, _)| *f)
}

/// The first full-width comma, colon, semicolon, enumeration comma or
/// space in `s`: typed by a Chinese input method where YAML wants its own.
pub fn fullwidth_char(s: &str) -> Option<char> {
    s.trim()
        .chars()
        .find(|c| matches!(c, '，' | '：' | '；' | '、' | '\u{3000}'))
}

fn numeral(c: char) -> Option<usize> {
    match c {
        '0'..='9' => c.to_digit(10).map(|d| d as usize),
        '０'..='９' => Some(c as usize - '０' as usize),
        _ => "〇一二三四五六七八九十"
            .chars()
            .position(|x| x == c)
            .or_else(|| "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ".chars().position(|x| x == c).map(|i| i + 1)),
    }
}

/// A grade written by its position (3, ３, 3级, 三, 第三级, Ⅲ级): the
/// 1-based position, if the value is one number and nothing else but the
/// words 第/级/等.
pub fn grade_position(s: &str) -> Option<usize> {
    let t = s.trim();
    let core = t.trim_start_matches('第').trim_end_matches(['级', '等']);
    let mut chars = core.chars();
    let first = chars.next()?;
    if chars.next().is_some() {
        return core.parse::<usize>().ok().filter(|n| *n > 0);
    }
    numeral(first).filter(|n| *n > 0)
}

/// A grade written by its position in the config's list (3级, ３, 三 → the
/// third), when that reading is unambiguous: the position exists and no
/// grade's own name reads as a different position (a list written from
/// low to high, 三级 first, would make "3级" mean two grades). `check`
/// reads `grade:` with it and `import` a ledger's grade cell.
pub fn grade_by_position(config: &Config, s: &str) -> Option<usize> {
    let p = grade_position(s)?;
    if p == 0 || p > config.grades.len() {
        return None;
    }
    let clash = config.grades.iter().enumerate().any(|(i, g)| {
        std::iter::once(&g.name)
            .chain(&g.aliases)
            .any(|n| grade_position(n).is_some_and(|q| q == p && q != i + 1))
    });
    (!clash).then_some(p - 1)
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

/// The allowed value closest to `value`, if one is close enough to
/// suggest and no other is as close: a suggestion must never send the
/// writer to a different value than the one they meant.
pub fn nearest(value: &str, allowed: &[String]) -> Option<String> {
    let v = value.trim().to_lowercase();
    if v.is_empty() {
        return None;
    }
    let mut scored: Vec<(f64, &String)> = allowed
        .iter()
        .filter(|a| !a.is_empty())
        .map(|a| {
            let a_l = a.to_lowercase();
            (strsim::normalized_damerau_levenshtein(&v, &a_l), a)
        })
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0));
    let (best, a) = *scored.first()?;
    let runner_up = scored.get(1).map_or(0.0, |s| s.0);
    // close: at most about one edit in three characters (one in two for a
    // two-character Chinese word: 一极 → 一级); unambiguous: clearly
    // closer than any other value.
    (best >= 0.5 && best - runner_up >= 0.15).then(|| a.clone())
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
        let risk: Vec<String> = ["id", "title", "reviewed", "grade"]
            .map(String::from)
            .to_vec();
        assert_eq!(nearest("reviwed", &risk).as_deref(), Some("reviewed"));
        // 3级 is as near to 一级 as to 二级 and 三级: no suggestion
        assert_eq!(nearest("3级", &grades), None);
        assert_eq!(nearest("", &grades), None);
        assert_eq!(field_by_chinese_name("风险等级"), Some("grade"));
    }

    #[test]
    fn grades_by_position() {
        for s in ["3", "３", "3级", "三", "第三级", "Ⅲ级", "三等"] {
            assert_eq!(grade_position(s), Some(3), "{s}");
        }
        assert_eq!(grade_position("一级"), Some(1));
        assert_eq!(grade_position("高"), None);
        assert_eq!(grade_position("3级风险"), None);
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
