//! One ledger row to one content file's front matter and body. Every value
//! read by a guess (a close title, a grade written as `高风险`, a name
//! nothing matched) leaves a [`Note`]; names that match nothing are left
//! out of the front matter and recorded as a YAML comment in the file,
//! never turned into an id of their own.

use super::cells::{
    choose, clean, date, grade, holders, number, split_basis, split_items, split_names, tag, yes_no,
};
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
    /// The cell it is about (`C9`), when it is about one.
    pub cell: Option<String>,
}

impl Note {
    pub fn new(key: &'static str, args: Vec<(&'static str, String)>, doubt: bool) -> Note {
        Note {
            key,
            args,
            doubt,
            cell: None,
        }
    }
    /// The note, about `cell`.
    pub fn at(mut self, cell: Option<String>) -> Note {
        self.cell = cell;
        self
    }
    pub fn text(&self, lang: Lang) -> String {
        let text = tr(lang, self.key, &self.args);
        match &self.cell {
            Some(cell) => tr(
                lang,
                "import.at_cell",
                &[("text", text), ("cell", cell.clone())],
            ),
            None => text,
        }
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
    /// The sheet column (from 0) of each field, to name a cell.
    pub columns: BTreeMap<Col, u32>,
}

impl Lookups<'_> {
    /// The address (`C9`) of `field`'s cell in sheet row `row`.
    pub fn cell(&self, field: Field, row: usize) -> Option<String> {
        let col = self.columns.get(&Col::Field(field))?;
        let row = u32::try_from(row.checked_sub(1)?).ok()?;
        Some(super::table::address(row, *col))
    }
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

    /// A guess (or a value left out) about `field`'s cell.
    fn doubt(
        &mut self,
        lk: &Lookups,
        field: Field,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    ) {
        let cell = lk.cell(field, self.row);
        self.notes.push(Note::new(key, args, true).at(cell));
    }

    fn unmatched(&mut self, lk: &Lookups, field: Field, name: &str, found: &Found) {
        let what = heading(lk.lang, lk.kind, field);
        let key = match found {
            Found::Ambiguous(_) => "import.note.ambiguous",
            _ => "import.note.unmatched",
        };
        let ids = match found {
            Found::Ambiguous(ids) => ids.join(", "),
            _ => String::new(),
        };
        self.doubt(
            lk,
            field,
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
                    lk,
                    field,
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
                self.unmatched(lk, field, name, &other);
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

    fn department(&mut self, lk: &Lookups, rec: &Record) -> Option<String> {
        let m = &lk.departments;
        self.one(lk, rec, Field::Department, m, "department", None)
    }

    /// The department, then the posts, told apart by that department.
    fn department_and_posts(&mut self, lk: &Lookups, rec: &Record) {
        let dept = self.department(lk, rec);
        self.many(lk, rec, Field::Posts, &lk.posts, "posts", dept.as_deref());
    }

    /// A value the row cannot do without (a risk's type, its grade), read
    /// by `read` and noted when guessed; missing or unreadable, it skips
    /// the row.
    fn required(
        &mut self,
        lk: &Lookups,
        rec: &Record,
        field: Field,
        allowed: &[String],
        read: impl Fn(&str) -> Option<(String, bool)>,
    ) -> Result<Option<String>, Note> {
        let what = heading(lk.lang, lk.kind, field);
        let cell = lk.cell(field, rec.row);
        let v = clean(rec.get(field));
        if v.is_empty() {
            let note = Note::new("import.skip.missing", vec![("what", what)], false);
            return Err(note.at(cell));
        }
        match read(&v) {
            Some((c, guessed)) => {
                if guessed {
                    let args = vec![("what", what), ("value", v), ("as", c.clone())];
                    self.doubt(lk, field, "import.note.read_as", args);
                }
                Ok(Some(c))
            }
            None => Err(Note::new(
                "import.skip.not_allowed",
                vec![
                    ("what", what),
                    ("value", v),
                    ("allowed", allowed.join("、")),
                ],
                false,
            )
            .at(cell)),
        }
    }

    fn text(&mut self, rec: &Record, field: Field, key: &str) {
        let v = clean(rec.get(field));
        if !v.is_empty() {
            self.set(key, v);
        }
    }

    fn list(&mut self, rec: &Record, field: Field, key: &str) {
        let split = match field {
            Field::Basis => split_basis,
            _ => split_items,
        };
        let items: Vec<Value> = split(rec.get(field)).into_iter().map(Value::from).collect();
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
                    lk,
                    field,
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
            lk,
            field,
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
    let risk_type = d.required(lk, rec, Field::Type, &cfg.risk_types, |v| {
        choose(v, &cfg.risk_types)
    })?;
    d.set("type", risk_type.unwrap_or_default());
    let has_score =
        !rec.get(Field::Likelihood).trim().is_empty() && !rec.get(Field::Impact).trim().is_empty();
    let name = |i: usize| cfg.grades[i].name.clone();
    let read = |v: &str| grade(cfg, v).map(|(i, guessed)| (name(i), guessed));
    let grade_index = if has_score && rec.get(Field::Grade).trim().is_empty() {
        None
    } else {
        let g = d.required(lk, rec, Field::Grade, &cfg.grade_names(), read)?;
        g.and_then(|g| cfg.grade_index(&g))
    };
    if let Some(i) = grade_index {
        d.set("grade", name(i));
    }
    d.choice(lk, rec, Field::Tier, "tier", &cfg.tiers);
    d.department_and_posts(lk, rec);
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

fn power(lk: &Lookups, rec: &Record, d: &mut Draft) {
    let cfg = lk.config;
    d.choice(lk, rec, Field::Category, "category", &cfg.power_categories);
    d.list(rec, Field::Basis, "basis");
    d.department_and_posts(lk, rec);
    d.text(rec, Field::TimeLimit, "time_limit");
    d.list(rec, Field::Materials, "materials");
    d.text(rec, Field::Fee, "fee");
    d.one(lk, rec, Field::Flow, &lk.flows, "flow", None);
}

fn post(lk: &Lookups, rec: &Record, d: &mut Draft) {
    let cfg = lk.config;
    let dept = d.department(lk, rec);
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
