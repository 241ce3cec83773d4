//! One ledger row to one content file's front matter and body. Every value
//! read by a guess (a close title, a grade written as `高风险`, a name
//! nothing matched) leaves a [`Note`]; names that match nothing are left
//! out of the front matter and recorded as a YAML comment in the file,
//! never turned into an id of their own.

use super::cells::{clean, date, holders, number, split_items, split_names, yes_no};
use super::headers::{norm, Col};
use super::matcher::{Found, Matcher};
use crate::config::Config;
use crate::i18n::{tr, Lang};
use crate::model::Kind;
use crate::render::export::{heading, Field};
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;

/// Something the report says about a row, as a catalogue message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// A guess the writer should check (the row is "in doubt").
    pub doubt: bool,
}

impl Note {
    pub fn new(key: &'static str, args: Vec<(&'static str, String)>, doubt: bool) -> Note {
        Note { key, args, doubt }
    }
    pub fn text(&self, lang: Lang) -> String {
        tr(lang, self.key, &self.args)
    }
}

/// One data row: its number in the sheet and its cells by column.
#[derive(Debug, Clone)]
pub struct Record {
    pub row: usize,
    pub cells: BTreeMap<Col, String>,
}

impl Record {
    pub fn get(&self, f: Field) -> &str {
        self.cells.get(&Col::Field(f)).map_or("", |s| s.as_str())
    }
    pub fn is_blank(&self) -> bool {
        self.cells.values().all(|v| v.trim().is_empty())
    }
}

/// What the rows are matched against.
pub struct Lookups<'a> {
    pub config: &'a Config,
    pub lang: Lang,
    pub kind: Kind,
    pub departments: Matcher,
    pub posts: Matcher,
    pub powers: Matcher,
    pub flows: Matcher,
    /// Shared measures: (id, title).
    pub measures: Matcher,
}

/// A content file to be written.
#[derive(Debug, Clone)]
pub struct Draft {
    pub row: usize,
    pub id: String,
    pub title: String,
    pub front: Mapping,
    pub comments: Vec<String>,
    pub body: String,
    pub notes: Vec<Note>,
}

impl Draft {
    fn set(&mut self, key: &str, v: impl Into<Value>) {
        self.front.insert(Value::from(key), v.into());
    }

    fn doubt(&mut self, key: &'static str, args: Vec<(&'static str, String)>) {
        self.notes.push(Note::new(key, args, true));
    }

    fn unmatched(&mut self, lk: &Lookups, what: &str, name: &str, found: &Found) {
        let key = match found {
            Found::Ambiguous(_) => "import.note.ambiguous",
            _ => "import.note.unmatched",
        };
        let ids = match found {
            Found::Ambiguous(ids) => ids.join(", "),
            _ => String::new(),
        };
        self.doubt(
            key,
            vec![
                ("what", what.to_string()),
                ("name", name.to_string()),
                ("ids", ids),
            ],
        );
        self.comments.push(tr(
            lk.lang,
            "import.comment.unmatched",
            &[("what", what.to_string()), ("name", name.to_string())],
        ));
    }

    /// Resolves one name; `Some(id)` when it names exactly one item.
    fn resolve(
        &mut self,
        lk: &Lookups,
        field: Field,
        m: &Matcher,
        name: &str,
        group: Option<&str>,
    ) -> Option<String> {
        let what = heading(lk.lang, lk.kind, field);
        match m.find(name, group) {
            Found::Exact(id) | Found::ById(id) => Some(id),
            Found::Normalised(id) => {
                let title = m.title(&id).unwrap_or_default().to_string();
                self.doubt(
                    "import.note.close",
                    vec![
                        ("what", what),
                        ("name", name.to_string()),
                        ("id", id.clone()),
                        ("title", title),
                    ],
                );
                Some(id)
            }
            other => {
                self.unmatched(lk, &what, name, &other);
                None
            }
        }
    }

    fn one(
        &mut self,
        lk: &Lookups,
        rec: &Record,
        field: Field,
        m: &Matcher,
        key: &str,
        group: Option<&str>,
    ) -> Option<String> {
        let name = clean(rec.get(field));
        if name.is_empty() {
            return None;
        }
        let id = self.resolve(lk, field, m, &name, group)?;
        self.set(key, id.clone());
        Some(id)
    }

    fn many(
        &mut self,
        lk: &Lookups,
        rec: &Record,
        field: Field,
        m: &Matcher,
        key: &str,
        group: Option<&str>,
    ) {
        let ids: Vec<Value> = split_names(rec.get(field))
            .iter()
            .filter_map(|n| self.resolve(lk, field, m, n, group))
            .map(Value::from)
            .collect();
        if !ids.is_empty() {
            self.set(key, Value::Sequence(ids));
        }
    }

    fn text(&mut self, rec: &Record, field: Field, key: &str) {
        let v = clean(rec.get(field));
        if !v.is_empty() {
            self.set(key, v);
        }
    }

    fn list(&mut self, rec: &Record, field: Field, key: &str) {
        let items: Vec<Value> = split_items(rec.get(field))
            .into_iter()
            .map(Value::from)
            .collect();
        if !items.is_empty() {
            self.set(key, Value::Sequence(items));
        }
    }

    /// A value from a config list (tier, level, category…): exact, or
    /// guessed from a close spelling (noted), or left out (noted).
    fn choice(&mut self, lk: &Lookups, rec: &Record, field: Field, key: &str, allowed: &[String]) {
        let v = clean(rec.get(field));
        if v.is_empty() {
            return;
        }
        match choose(&v, allowed) {
            Some((c, false)) => self.set(key, c),
            Some((c, true)) => {
                self.doubt(
                    "import.note.read_as",
                    vec![
                        ("what", heading(lk.lang, lk.kind, field)),
                        ("value", v),
                        ("as", c.clone()),
                    ],
                );
                self.set(key, c);
            }
            None => self.not_allowed(lk, field, &v, allowed),
        }
    }

    fn not_allowed(&mut self, lk: &Lookups, field: Field, v: &str, allowed: &[String]) {
        self.doubt(
            "import.note.not_allowed",
            vec![
                ("what", heading(lk.lang, lk.kind, field)),
                ("value", v.to_string()),
                ("allowed", allowed.join("、")),
            ],
        );
    }

    fn bounded(&mut self, lk: &Lookups, rec: &Record, field: Field, key: &str, max: u32) {
        let v = clean(rec.get(field));
        if v.is_empty() {
            return;
        }
        match number(&v).filter(|n| (1..=max).contains(n)) {
            Some(n) => self.set(key, n),
            None => self.not_allowed(lk, field, &v, &[format!("1–{max}")]),
        }
    }

    fn scope(&mut self, lk: &Lookups, rec: &Record) {
        let v = clean(rec.get(Field::Scope));
        if v.is_empty() {
            return;
        }
        let found = lk
            .config
            .scopes
            .iter()
            .find(|s| norm(&s.name) == norm(&v) || norm(&s.label) == norm(&v));
        match found {
            Some(s) => self.set("scope", s.name.clone()),
            None => {
                let names: Vec<String> = lk.config.scopes.iter().map(|s| s.label.clone()).collect();
                self.not_allowed(lk, Field::Scope, &v, &names);
            }
        }
    }
}

/// A value from `allowed`: `(value, guessed)`. Exact; or equal once
/// normalised or without a 风险/岗位/层面 suffix, or one allowed value
/// containing it (or contained in it) — those are guesses.
pub fn choose(v: &str, allowed: &[String]) -> Option<(String, bool)> {
    let v = v.trim();
    if let Some(a) = allowed.iter().find(|a| a.as_str() == v) {
        return Some((a.clone(), false));
    }
    let strip = |s: &str| -> String {
        let n = norm(s);
        ["风险", "层面", "类"].iter().fold(n, |acc, suf| {
            acc.strip_suffix(suf).map_or(acc.clone(), str::to_string)
        })
    };
    let sv = strip(v);
    if sv.is_empty() {
        return None;
    }
    if let Some(a) = allowed.iter().find(|a| strip(a) == sv) {
        return Some((a.clone(), true));
    }
    let near: Vec<&String> = allowed
        .iter()
        .filter(|a| {
            let sa = strip(a);
            sa.contains(&sv) || sv.contains(&sa)
        })
        .collect();
    (near.len() == 1).then(|| (near[0].clone(), true))
}

/// The grade a cell names: `(index, guessed)`.
fn grade(config: &Config, v: &str) -> Option<(usize, bool)> {
    if let Some(i) = config.grade_index(v) {
        return Some((i, false));
    }
    let n = norm(v);
    let mut tries = vec![n.clone()];
    let bare = n.trim_end_matches("风险").to_string();
    tries.push(bare.clone());
    tries.push(bare.trim_end_matches('级').to_string());
    tries.push(bare.trim_end_matches("等").to_string());
    tries
        .iter()
        .find_map(|t| config.grade_index(t))
        .or_else(|| {
            // "Ⅰ级", "A级" in full-width or Latin lookalikes
            let names: Vec<String> = config.grade_names();
            names
                .iter()
                .find(|g| norm(g) == bare || norm(g) == bare.trim_end_matches('级'))
                .and_then(|g| config.grade_index(g))
        })
        .map(|i| (i, true))
}

/// The front matter and body of one row, or why the row is skipped.
pub fn draft(lk: &Lookups, rec: &Record, id: &str, title: &str) -> Result<Draft, Note> {
    let mut d = Draft {
        row: rec.row,
        id: id.to_string(),
        title: title.to_string(),
        front: Mapping::new(),
        comments: Vec::new(),
        body: clean(rec.get(Field::Body)),
        notes: Vec::new(),
    };
    d.set("id", id);
    d.set("title", title);
    match lk.kind {
        Kind::Risk => risk(lk, rec, &mut d)?,
        Kind::Power => power(lk, rec, &mut d),
        Kind::Post => post(lk, rec, &mut d),
        _ => {}
    }
    d.scope(lk, rec);
    Ok(d)
}

fn risk(lk: &Lookups, rec: &Record, d: &mut Draft) -> Result<(), Note> {
    let cfg = lk.config;
    let what = |f: Field| heading(lk.lang, Kind::Risk, f);
    let t = clean(rec.get(Field::Type));
    let risk_type = match choose(&t, &cfg.risk_types) {
        _ if t.is_empty() => {
            return Err(Note::new(
                "import.skip.missing",
                vec![("what", what(Field::Type))],
                false,
            ))
        }
        Some((c, guessed)) => {
            if guessed {
                d.doubt(
                    "import.note.read_as",
                    vec![
                        ("what", what(Field::Type)),
                        ("value", t.clone()),
                        ("as", c.clone()),
                    ],
                );
            }
            c
        }
        None => {
            return Err(Note::new(
                "import.skip.not_allowed",
                vec![
                    ("what", what(Field::Type)),
                    ("value", t),
                    ("allowed", cfg.risk_types.join("、")),
                ],
                false,
            ))
        }
    };
    d.set("type", risk_type);
    let g = clean(rec.get(Field::Grade));
    let has_score =
        !rec.get(Field::Likelihood).trim().is_empty() && !rec.get(Field::Impact).trim().is_empty();
    if g.is_empty() && !has_score {
        return Err(Note::new(
            "import.skip.missing",
            vec![("what", what(Field::Grade))],
            false,
        ));
    }
    let mut grade_index = None;
    if !g.is_empty() {
        match grade(cfg, &g) {
            Some((i, guessed)) => {
                grade_index = Some(i);
                let name = cfg.grades[i].name.clone();
                if guessed {
                    d.doubt(
                        "import.note.read_as",
                        vec![
                            ("what", what(Field::Grade)),
                            ("value", g.clone()),
                            ("as", name.clone()),
                        ],
                    );
                }
                d.set("grade", name);
            }
            None => {
                return Err(Note::new(
                    "import.skip.not_allowed",
                    vec![
                        ("what", what(Field::Grade)),
                        ("value", g),
                        ("allowed", cfg.grade_names().join("、")),
                    ],
                    false,
                ))
            }
        }
    }
    d.choice(lk, rec, Field::Tier, "tier", &cfg.tiers);
    let dept = d.one(
        lk,
        rec,
        Field::Department,
        &lk.departments,
        "department",
        None,
    );
    d.many(lk, rec, Field::Posts, &lk.posts, "posts", dept.as_deref());
    d.one(lk, rec, Field::Power, &lk.powers, "power", None);
    d.bounded(lk, rec, Field::Likelihood, "likelihood", 5);
    d.bounded(lk, rec, Field::Impact, "impact", 5);
    // an owner equal to the grade's default is left to the config
    let owner = clean(rec.get(Field::Owner));
    let default_owner = grade_index.and_then(|i| cfg.grades[i].owner.as_deref());
    if !owner.is_empty() && default_owner != Some(owner.as_str()) {
        d.set("owner", owner);
    }
    let measures = measures(lk, rec);
    if !measures.is_empty() {
        d.set("measures", Value::Sequence(measures));
    }
    d.list(rec, Field::Basis, "basis");
    let r = clean(rec.get(Field::Reviewed));
    if !r.is_empty() {
        match date(&r) {
            Some(x) => d.set("reviewed", x),
            None => d.not_allowed(lk, Field::Reviewed, &r, &["YYYY-MM-DD".to_string()]),
        }
    }
    Ok(())
}

/// The measures of a row: the 防控措施 cell split into items, then the
/// per-phase columns. `【前期预防·制度】` before an item sets its phase
/// and category; an item that is a shared measure's title cites it.
fn measures(lk: &Lookups, rec: &Record) -> Vec<Value> {
    let cfg = lk.config;
    let mut cells: Vec<(Option<String>, &str)> = vec![(None, rec.get(Field::Measures))];
    for (col, v) in &rec.cells {
        if let Col::Phase(i) = col {
            cells.push((cfg.phases.get(*i).cloned(), v.as_str()));
        }
    }
    let mut out = Vec::new();
    for (col_phase, cell) in cells {
        for item in split_items(cell) {
            let (mut phase, category, text) = tag(cfg, &item);
            if phase.is_none() {
                phase = col_phase.clone();
            }
            let mut m = Mapping::new();
            if let Found::Exact(id) = lk.measures.find(&text, None) {
                m.insert("ref".into(), id.into());
            } else {
                if let Some(p) = phase {
                    m.insert("phase".into(), p.into());
                }
                if let Some(c) = category {
                    m.insert("category".into(), c.into());
                }
                m.insert("text".into(), text.into());
            }
            out.push(Value::Mapping(m));
        }
    }
    out
}

/// `【前期预防·制度】text` → (phase, category, text), when every part of
/// the tag is a configured phase or category; otherwise the item as it is.
fn tag(cfg: &Config, item: &str) -> (Option<String>, Option<String>, String) {
    let none = (None, None, item.to_string());
    let Some(rest) = item.strip_prefix('【') else {
        return none;
    };
    let Some(close) = rest.find('】') else {
        return none;
    };
    let (inner, text) = (&rest[..close], rest[close + '】'.len_utf8()..].trim());
    let (mut phase, mut category) = (None, None);
    for part in inner.split(['·', '、', '/', ' ']).filter(|p| !p.is_empty()) {
        if cfg.phases.iter().any(|p| p == part) {
            phase = Some(part.to_string());
        } else if cfg.measure_categories.iter().any(|c| c == part) {
            category = Some(part.to_string());
        } else {
            return none;
        }
    }
    (phase, category, text.to_string())
}

fn power(lk: &Lookups, rec: &Record, d: &mut Draft) {
    let cfg = lk.config;
    d.choice(lk, rec, Field::Category, "category", &cfg.power_categories);
    d.list(rec, Field::Basis, "basis");
    let dept = d.one(
        lk,
        rec,
        Field::Department,
        &lk.departments,
        "department",
        None,
    );
    d.many(lk, rec, Field::Posts, &lk.posts, "posts", dept.as_deref());
    d.text(rec, Field::TimeLimit, "time_limit");
    d.list(rec, Field::Materials, "materials");
    d.text(rec, Field::Fee, "fee");
    d.one(lk, rec, Field::Flow, &lk.flows, "flow", None);
}

fn post(lk: &Lookups, rec: &Record, d: &mut Draft) {
    let cfg = lk.config;
    let dept = d.one(
        lk,
        rec,
        Field::Department,
        &lk.departments,
        "department",
        None,
    );
    d.choice(lk, rec, Field::Level, "level", &cfg.post_levels);
    for (field, key) in [(Field::Key, "key"), (Field::HighRisk, "high_risk")] {
        let v = clean(rec.get(field));
        if v.is_empty() {
            continue;
        }
        match yes_no(&v) {
            Some(b) => d.set(key, b),
            None => d.not_allowed(
                lk,
                field,
                &v,
                &[
                    tr(lk.lang, "export.yes", &[]),
                    tr(lk.lang, "export.no", &[]),
                ],
            ),
        }
    }
    d.one(
        lk,
        rec,
        Field::ReportsTo,
        &lk.posts,
        "reports_to",
        dept.as_deref(),
    );
    d.many(
        lk,
        rec,
        Field::Incompatible,
        &lk.posts,
        "incompatible",
        None,
    );
    d.bounded(lk, rec, Field::Rotation, "rotation_years", 50);
    let people: Vec<Value> = holders(rec.get(Field::Holders))
        .into_iter()
        .map(|(name, since)| {
            let mut m = Mapping::new();
            m.insert("name".into(), name.into());
            if let Some(s) = since {
                m.insert("since".into(), s.into());
            }
            Value::Mapping(m)
        })
        .collect();
    if !people.is_empty() {
        d.set("holders", Value::Sequence(people));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_and_grades() {
        let cfg = Config::default();
        assert_eq!(
            choose("业务流程", &cfg.risk_types),
            Some(("业务流程".into(), false))
        );
        assert_eq!(
            choose("业务流程风险", &cfg.risk_types),
            Some(("业务流程".into(), true))
        );
        assert_eq!(choose("廉洁", &cfg.risk_types), None);
        assert_eq!(grade(&cfg, "一级"), Some((0, false)));
        assert_eq!(grade(&cfg, "高风险"), Some((0, true)));
        assert_eq!(grade(&cfg, "二级风险"), Some((1, true)));
        assert_eq!(grade(&cfg, "Ｃ"), Some((2, true)));
        assert_eq!(grade(&cfg, "极高"), None);
    }

    #[test]
    fn measure_tags() {
        let cfg = Config::default();
        assert_eq!(
            tag(&cfg, "【前期预防·制度】公开清单"),
            (
                Some("前期预防".into()),
                Some("制度".into()),
                "公开清单".into()
            )
        );
        assert_eq!(
            tag(&cfg, "【注意】别的"),
            (None, None, "【注意】别的".into())
        );
    }
}
