//! The measures sheet: each risk's rows (by the risk's id, or by its title
//! for a new risk), compared with the risk's measures field by field; a
//! change of how many there are, or of a measure's kind (inline ↔ shared),
//! rewrites the risk's `measures` list.

use super::cols::{Col, Sheet};
use super::plan::{show, Change, Planner, RowPlan, Status};
use super::read::{RowIn, SheetIn};
use super::{hash, measure_cells, measure_key, norm_cell};
use crate::edit::{Edit, NewValue};
use crate::i18n::tr;
use crate::import::cells::{clean, number};
use crate::import::headers::norm;
use crate::import::rows::Note;
use crate::model::{MeasureUse, Risk};
use std::collections::{BTreeMap, BTreeSet};

/// The measure rows with content, indexed by risk id and (for rows
/// without one) by normalised risk title, and which a risk has taken.
pub struct MeasureRows<'a> {
    rows: Vec<&'a RowIn>,
    by_id: BTreeMap<String, Vec<usize>>,
    by_title: BTreeMap<String, Vec<usize>>,
    used: BTreeSet<usize>,
}

const FIELDS: [(Col, &str); 4] = [
    (Col::Phase, "phase"),
    (Col::MCategory, "category"),
    (Col::Text, "text"),
    (Col::Shared, "ref"),
];

impl<'a> MeasureRows<'a> {
    pub fn new(sheet: Option<&'a SheetIn>) -> MeasureRows<'a> {
        let rows: Vec<&RowIn> = sheet
            .map(|s| {
                s.rows
                    .iter()
                    .filter(|r| FIELDS.iter().any(|(c, _)| !r.get(*c).trim().is_empty()))
                    .collect()
            })
            .unwrap_or_default();
        let mut by_id: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut by_title: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, r) in rows.iter().enumerate() {
            let rid = clean(r.get(Col::RiskId));
            if rid.is_empty() {
                by_title
                    .entry(norm(r.get(Col::RiskTitle)))
                    .or_default()
                    .push(i);
            } else {
                by_id.entry(rid).or_default().push(i);
            }
        }
        MeasureRows {
            rows,
            by_id,
            by_title,
            used: BTreeSet::new(),
        }
    }

    /// The rows of a risk: its id in the first column, or (for rows
    /// without one) its title; in the order of their numbers.
    pub fn take(&mut self, id: Option<&str>, title: &str) -> Vec<&'a RowIn> {
        let mut idx: Vec<usize> = id
            .and_then(|id| self.by_id.get(id))
            .cloned()
            .unwrap_or_default();
        idx.extend(self.by_title.get(&norm(title)).cloned().unwrap_or_default());
        let mut out: Vec<(usize, &RowIn)> = Vec::new();
        for i in idx {
            if self.used.insert(i) {
                out.push((i, self.rows[i]));
            }
        }
        out.sort_by_key(|(i, r)| (number(r.get(Col::No)).unwrap_or(u32::MAX), *i));
        out.into_iter().map(|(_, r)| r).collect()
    }

    /// Rows no risk took.
    pub fn unclaimed(&self, tab: &str) -> Vec<RowPlan> {
        self.rows
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.used.contains(i))
            .map(|(_, r)| RowPlan {
                sheet: tab.to_string(),
                row: r.row,
                id: clean(r.get(Col::RiskId)),
                title: clean(r.get(Col::RiskTitle)),
                path: String::new(),
                status: Status::Skipped(Note::new("ledger.skip.no_risk", Vec::new(), false)),
                changes: Vec::new(),
                conflicts: Vec::new(),
            })
            .collect()
    }
}

/// What the measures sheet changes in one risk.
#[derive(Debug, Default)]
pub struct MeasureEdit {
    pub edits: Vec<Edit>,
    /// The whole list, for when a field edit cannot be made in place.
    pub whole: Option<Vec<MeasureUse>>,
    pub changes: Vec<Change>,
    pub conflicts: Vec<Change>,
}

/// A list of measures as the report shows it.
fn list_text(ms: &[MeasureUse], p: &Planner) -> String {
    ms.iter()
        .enumerate()
        .map(|(i, m)| {
            let c = measure_cells(m, p.labels);
            let body = if c[3].is_empty() {
                c[2].clone()
            } else {
                c[3].clone()
            };
            format!("{}. {body}", i + 1)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Planner<'_> {
    fn measure_heading(&self, col: Col) -> String {
        tr(self.lang, col.heading_key(Sheet::Measures), &[])
    }

    /// One row's measure.
    fn measure(&self, r: &RowIn) -> Result<Option<MeasureUse>, Note> {
        let rd = self.reader();
        let v = |c: Col| rd.value(c.form(Sheet::Measures), &self.measure_heading(c), r.get(c));
        if let NewValue::Text(id) = v(Col::Shared)? {
            return Ok(Some(MeasureUse::Shared { id }));
        }
        let text = match v(Col::Text)? {
            NewValue::Text(t) => t,
            _ => return Ok(None),
        };
        let opt = |x: NewValue| match x {
            NewValue::Text(t) => Some(t),
            _ => None,
        };
        Ok(Some(MeasureUse::Inline {
            phase: opt(v(Col::Phase)?),
            category: opt(v(Col::MCategory)?),
            text,
        }))
    }

    /// The measures of the sheet's rows.
    pub(super) fn measure_list(&self, rows: &[&RowIn]) -> Result<Vec<MeasureUse>, Note> {
        let mut out = Vec::new();
        for r in rows {
            match self.measure(r) {
                Ok(Some(m)) => out.push(m),
                Ok(None) => {}
                Err(n) => {
                    return Err(Note::new(
                        "ledger.skip.measure_row",
                        vec![("row", r.row.to_string()), ("reason", n.text(self.lang))],
                        false,
                    ))
                }
            }
        }
        Ok(out)
    }

    /// The changes the measure rows make to an existing risk.
    pub(super) fn measure_edits(&self, risk: &Risk, rows: &[&RowIn]) -> Result<MeasureEdit, Note> {
        let mut out = MeasureEdit::default();
        if rows.is_empty() {
            return Ok(out);
        }
        let new = self.measure_list(rows)?;
        let cur = &risk.measures;
        let id = &risk.meta.id;
        let cur_cells: Vec<[String; 4]> =
            cur.iter().map(|m| measure_cells(m, self.labels)).collect();
        let same_shape = new.len() == cur.len()
            && new
                .iter()
                .zip(cur)
                .all(|(a, b)| std::mem::discriminant(a) == std::mem::discriminant(b));
        let recorded = |n: usize, c: Col| {
            self.ledger
                .recorded(Sheet::Measures, &measure_key(id, n), c)
                .map(str::to_string)
        };
        let heading = tr(self.lang, "export.col.measures", &[]);
        if !same_shape {
            let file_changed = cur_cells.iter().enumerate().any(|(i, cells)| {
                FIELDS.iter().zip(cells).any(|((c, _), v)| {
                    recorded(i + 1, *c).is_some_and(|h| h != hash(c.form(Sheet::Measures), v))
                })
            });
            let change = Change {
                field: heading,
                old: list_text(cur, self),
                new: list_text(&new, self),
            };
            if file_changed && !self.force {
                out.conflicts.push(change);
            } else {
                out.edits.push(Edit {
                    path: "measures".into(),
                    value: NewValue::Measures(new.clone()),
                });
                out.whole = Some(new);
                out.changes.push(change);
            }
            return Ok(out);
        }
        let mut whole = cur.clone();
        for (i, r) in rows.iter().enumerate() {
            let n = number(r.get(Col::No)).map_or(i + 1, |n| n as usize);
            for (k, (col, key)) in FIELDS.iter().enumerate() {
                let form = col.form(Sheet::Measures);
                let (s, c) = (r.get(*col), &cur_cells[i][k]);
                if norm_cell(form, s) == norm_cell(form, c) {
                    continue;
                }
                let rec = recorded(n, *col);
                if rec.as_deref() == Some(hash(form, s).as_str()) {
                    continue;
                }
                let field = format!("{heading} {}·{}", i + 1, self.measure_heading(*col));
                let change = Change {
                    field,
                    old: show(c),
                    new: show(s),
                };
                if rec.is_some_and(|h| h != hash(form, c)) && !self.force {
                    out.conflicts.push(change);
                    continue;
                }
                let v = self.reader().value(form, &self.measure_heading(*col), s)?;
                set_field(&mut whole[i], key, &v);
                out.edits.push(Edit {
                    path: format!("measures.{i}.{key}"),
                    value: v,
                });
                out.changes.push(change);
            }
        }
        // a field emptied cannot be cut out of a list item in place
        if out.edits.iter().any(|e| e.value == NewValue::Absent) {
            out.edits = vec![Edit {
                path: "measures".into(),
                value: NewValue::Measures(whole.clone()),
            }];
        }
        out.whole = Some(whole);
        Ok(out)
    }
}

fn set_field(m: &mut MeasureUse, key: &str, v: &NewValue) {
    let text = match v {
        NewValue::Text(t) => Some(t.clone()),
        _ => None,
    };
    match m {
        MeasureUse::Inline {
            phase,
            category,
            text: t,
        } => match key {
            "phase" => *phase = text,
            "category" => *category = text,
            "text" => *t = text.unwrap_or_default(),
            _ => {}
        },
        MeasureUse::Shared { id } => {
            if let (Some(x), "ref") = (text, key) {
                *id = x;
            }
        }
    }
}
