//! What an import of a ledger workbook would do, row by row: rows matched
//! by id, else by title within the department, else new; each changed
//! cell compared with the file's current value and the value recorded at
//! export (a cell changed in both is a conflict); each file's new bytes
//! made by the in-place editor. Nothing is written here ([`super::apply`]).

use super::cols::{Cells, Col, Sheet};
use super::read::{Ledger, RowIn, SheetIn};
use super::values::Reader;
use super::AllLabels;
use crate::edit::NewValue;
use crate::i18n::{tr, Lang};
use crate::import::headers::norm;
use crate::import::rows::Note;
use crate::model::{Kind, Meta, Site};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What became of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Updated,
    Unchanged,
    New,
    Conflict,
    Skipped(Note),
    Blank,
}

/// A field changed: its heading, old and new values as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone)]
pub struct RowPlan {
    /// The tab's name.
    pub sheet: String,
    pub row: usize,
    pub id: String,
    pub title: String,
    /// The file, relative to the site root.
    pub path: String,
    pub status: Status,
    pub changes: Vec<Change>,
    /// Fields changed both in the workbook and in the file since the
    /// export: (field, file's value, workbook's value).
    pub conflicts: Vec<Change>,
}

/// A file to write.
#[derive(Debug, Clone)]
pub struct Write {
    pub rel: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub rows: Vec<RowPlan>,
    pub writes: Vec<Write>,
}

impl Plan {
    pub fn count(&self, f: impl Fn(&Status) -> bool) -> usize {
        self.rows.iter().filter(|r| f(&r.status)).count()
    }
}

/// The order keys are written in a new file (and where a new key goes).
pub fn order(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Risk => &[
            "id",
            "title",
            "type",
            "grade",
            "likelihood",
            "impact",
            "tier",
            "department",
            "posts",
            "power",
            "owner",
            "measures",
            "basis",
            "reviewed",
            "scope",
        ],
        Kind::Power => &[
            "id",
            "title",
            "category",
            "basis",
            "department",
            "posts",
            "time_limit",
            "materials",
            "fee",
            "flow",
            "scope",
        ],
        _ => &[
            "id",
            "title",
            "department",
            "level",
            "key",
            "high_risk",
            "reports_to",
            "incompatible",
            "rotation_years",
            "holders",
            "scope",
        ],
    }
}

/// A value as the report shows it: one line, cut at 60 characters.
pub fn show(s: &str) -> String {
    let one = s.trim().replace('\n', " / ");
    if one.chars().count() > 60 {
        let cut: String = one.chars().take(59).collect();
        format!("{cut}…")
    } else {
        one
    }
}

pub(super) struct Planner<'a> {
    pub root: &'a Path,
    pub site: &'a Site,
    pub ledger: &'a Ledger,
    pub labels: &'a AllLabels,
    pub force: bool,
    pub lang: Lang,
    /// Ids in use (content, published versions, this import's new ones).
    pub taken: BTreeSet<String>,
    /// Items already claimed by a row: (kind, id) → row.
    pub claimed: BTreeMap<(Kind, String), usize>,
    pub plan: Plan,
}

/// Plans the import of `ledger` into the site at `root`.
pub fn plan(root: &Path, site: &Site, ledger: &Ledger, force: bool) -> Plan {
    let labels = AllLabels::of(site);
    let mut p = Planner {
        root,
        site,
        ledger,
        labels: &labels,
        force,
        lang: site.config.lang(),
        taken: super::apply::taken_ids(root, site),
        claimed: BTreeMap::new(),
        plan: Plan::default(),
    };
    let measures = ledger.sheets.iter().find(|s| s.sheet == Sheet::Measures);
    let mut mrows = super::plan_measures::MeasureRows::new(measures);
    for s in &ledger.sheets {
        if s.sheet != Sheet::Measures {
            p.sheet(s, &mut mrows);
        }
    }
    if let Some(m) = measures {
        p.plan.rows.extend(mrows.unclaimed(&m.name));
    }
    p.plan
}

impl Planner<'_> {
    pub(super) fn reader(&self) -> Reader<'_> {
        Reader {
            config: &self.site.config,
            labels: self.labels,
            ledger: self.ledger,
        }
    }

    pub(super) fn heading(&self, sheet: Sheet, col: Col) -> String {
        tr(self.lang, col.heading_key(sheet), &[])
    }

    fn sheet(&mut self, s: &SheetIn, mrows: &mut super::plan_measures::MeasureRows) {
        let cells = Cells {
            site: self.site,
            labels: self.labels,
        };
        let current: BTreeMap<String, Vec<String>> =
            cells.rows(s.sheet, None).into_iter().collect();
        for r in &s.rows {
            let plan = self.row(s, r, &current, mrows);
            self.plan.rows.push(plan);
        }
    }

    /// The item of `kind` with `id`: its meta and department.
    pub(super) fn item(&self, kind: Kind, id: &str) -> Option<(&Meta, Option<&str>)> {
        let s = self.site;
        match kind {
            Kind::Risk => s.risk(id).map(|x| (&x.meta, x.department.as_deref())),
            Kind::Power => s.power(id).map(|x| (&x.meta, x.department.as_deref())),
            _ => s.post(id).map(|x| (&x.meta, x.department.as_deref())),
        }
    }

    /// Items of `kind` titled `title` (normalised) in `dept`.
    fn by_title(&self, kind: Kind, title: &str, dept: Option<&str>) -> Vec<String> {
        let n = norm(title);
        let s = self.site;
        let hit = |m: &Meta, d: &Option<String>| norm(&m.title) == n && d.as_deref() == dept;
        match kind {
            Kind::Risk => s
                .risks
                .iter()
                .filter(|x| hit(&x.meta, &x.department))
                .map(|x| x.meta.id.clone())
                .collect(),
            Kind::Power => s
                .powers
                .iter()
                .filter(|x| hit(&x.meta, &x.department))
                .map(|x| x.meta.id.clone())
                .collect(),
            _ => s
                .posts
                .iter()
                .filter(|x| hit(&x.meta, &x.department))
                .map(|x| x.meta.id.clone())
                .collect(),
        }
    }

    fn row(
        &mut self,
        s: &SheetIn,
        r: &RowIn,
        current: &BTreeMap<String, Vec<String>>,
        mrows: &mut super::plan_measures::MeasureRows,
    ) -> RowPlan {
        let kind = s.sheet.kind();
        let id = crate::import::cells::clean(r.get(Col::Id));
        let title = crate::import::cells::clean(r.get(Col::Title));
        let mut out = RowPlan {
            sheet: s.name.clone(),
            row: r.row,
            id: id.clone(),
            title: title.clone(),
            path: String::new(),
            status: Status::Unchanged,
            changes: Vec::new(),
            conflicts: Vec::new(),
        };
        let skip = |mut out: RowPlan, n: Note| {
            out.status = Status::Skipped(n);
            out
        };
        if id.is_empty() && title.is_empty() {
            let filled = r
                .cells
                .iter()
                .any(|(c, v)| !v.trim().is_empty() && !matches!(c, Col::Department | Col::Scope));
            if !filled {
                out.status = Status::Blank;
                return out;
            }
            let what = self.heading(s.sheet, Col::Title);
            return skip(
                out,
                Note::new("ledger.skip.required", vec![("heading", what)], false),
            );
        }
        let dept = match self.reader().value(
            Col::Department.form(s.sheet),
            &self.heading(s.sheet, Col::Department),
            r.get(Col::Department),
        ) {
            Ok(NewValue::Text(d)) => Some(d),
            Ok(_) => None,
            Err(n) => return skip(out, n),
        };
        let found = if !id.is_empty() {
            match self.item(kind, &id) {
                Some(_) => Some(id.clone()),
                None => {
                    return skip(
                        out,
                        Note::new("ledger.skip.no_item", vec![("id", id)], false),
                    )
                }
            }
        } else {
            let hits = self.by_title(kind, &title, dept.as_deref());
            match hits.len() {
                0 => None,
                1 => hits.into_iter().next(),
                _ => {
                    return skip(
                        out,
                        Note::new(
                            "ledger.skip.ambiguous",
                            vec![("ids", hits.join("、"))],
                            false,
                        ),
                    )
                }
            }
        };
        let key_id = found
            .clone()
            .unwrap_or_else(|| format!("new:{}", norm(&title)));
        let claim = (
            kind,
            format!("{}@{}", key_id, dept.clone().unwrap_or_default()),
        );
        if let Some(first) = self.claimed.get(&claim) {
            return skip(
                out,
                Note::new(
                    "ledger.skip.duplicate",
                    vec![("row", first.to_string())],
                    false,
                ),
            );
        }
        self.claimed.insert(claim, r.row);
        match found {
            Some(id) => {
                out.id = id.clone();
                let cur = current.get(&id).cloned().unwrap_or_default();
                self.update(s, r, &id, &cur, out, mrows)
            }
            None => self.create(s, r, out, mrows),
        }
    }
}
