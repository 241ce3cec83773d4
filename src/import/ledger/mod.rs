//! The ledger workbook (台账工作簿): the register as a source for editing
//! in a spreadsheet, and back. `gongshi export --format ledger` writes it
//! ([`book`]); `gongshi import` recognises it by its hidden identity sheet
//! and updates the content files in place ([`read`], [`plan`], [`apply`]).
//!
//! Unlike `register.xlsx`, every cell holds the source value: ids,
//! canonical grades, scope labels, bodies as Markdown with their scope
//! markers. Departments, posts, powers, flows and shared measures are
//! shown by name (the hidden list sheet maps each name to its id). The
//! hidden identity sheet records each row's exported values as short
//! hashes, so an import tells a cell changed in the workbook from a value
//! changed in the file since the export.

pub mod apply;
pub mod book;
mod book_guide;
pub mod cols;
pub mod plan;
mod plan_measures;
mod plan_update;
pub mod read;
pub mod values;

pub use cols::{Col, Form, Sheet};

use crate::model::{Kind, MeasureUse, Site};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The hidden sheet naming the workbook a gongshi ledger.
pub const ID_SHEET: &str = "gongshi";
/// The hidden sheet holding the dropdowns' lists.
pub const LIST_SHEET: &str = "lists";
/// The first cell of the identity sheet.
pub const MARK: &str = "gongshi-ledger";

/// A short hash of a cell's value (as compared: see [`norm_cell`]).
pub fn hash(form: Form, value: &str) -> String {
    let d = Sha256::digest(norm_cell(form, value).as_bytes());
    d[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// A cell's value made comparable: trimmed, line ends and the spaces at
/// line ends set aside (a body keeps its indentation).
pub fn norm_cell(form: Form, s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    match form {
        Form::Body => {
            let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
            lines.join("\n").trim_matches('\n').to_string()
        }
        _ => crate::import::cells::clean(&s),
    }
}

/// Names shown for the items of a kind: the title, or `title（id）` when
/// another item of the kind has the same title. Both ways.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    by_id: BTreeMap<String, String>,
    by_label: BTreeMap<String, String>,
    /// Labels in id order, for the list sheet.
    pub ordered: Vec<(String, String)>,
}

impl Labels {
    pub fn new<'a>(items: impl Iterator<Item = (&'a str, &'a str)>) -> Labels {
        let items: Vec<(&str, &str)> = items.collect();
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, t) in &items {
            *count.entry(t).or_default() += 1;
        }
        let mut l = Labels::default();
        for (id, t) in items {
            let label = if count[t] > 1 || t.is_empty() {
                format!("{t}（{id}）")
            } else {
                t.to_string()
            };
            l.insert(id, &label);
        }
        l
    }

    pub fn insert(&mut self, id: &str, label: &str) {
        self.by_id.insert(id.to_string(), label.to_string());
        self.by_label.insert(label.to_string(), id.to_string());
        self.ordered.push((label.to_string(), id.to_string()));
    }

    /// The label of `id` (the id itself when unknown).
    pub fn label(&self, id: &str) -> String {
        self.by_id
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// The id a label (or an id) names.
    pub fn id(&self, label: &str) -> Option<String> {
        let l = label.trim();
        if let Some(id) = self.by_label.get(l) {
            return Some(id.clone());
        }
        if self.by_id.contains_key(l) {
            return Some(l.to_string());
        }
        let n = crate::import::headers::norm(l);
        let hits: Vec<&String> = self
            .by_label
            .iter()
            .filter(|(k, _)| crate::import::headers::norm(k) == n)
            .map(|(_, v)| v)
            .collect();
        (hits.len() == 1).then(|| hits[0].clone())
    }
}

/// The labels of every kind a cell may name.
#[derive(Debug, Clone, Default)]
pub struct AllLabels {
    pub map: BTreeMap<Kind, Labels>,
}

impl AllLabels {
    pub fn of(site: &Site) -> AllLabels {
        let mut map = BTreeMap::new();
        fn m(x: &crate::model::Meta) -> (&str, &str) {
            (x.id.as_str(), x.title.as_str())
        }
        map.insert(
            Kind::Department,
            Labels::new(site.departments.iter().map(|x| m(&x.meta))),
        );
        map.insert(
            Kind::Post,
            Labels::new(site.posts.iter().map(|x| m(&x.meta))),
        );
        map.insert(
            Kind::Power,
            Labels::new(site.powers.iter().map(|x| m(&x.meta))),
        );
        map.insert(
            Kind::Flow,
            Labels::new(site.flows.iter().map(|x| m(&x.meta))),
        );
        map.insert(
            Kind::Measure,
            Labels::new(site.measures.iter().map(|x| m(&x.meta))),
        );
        AllLabels { map }
    }

    pub fn get(&self, kind: Kind) -> &Labels {
        static EMPTY: std::sync::OnceLock<Labels> = std::sync::OnceLock::new();
        self.map
            .get(&kind)
            .unwrap_or_else(|| EMPTY.get_or_init(Labels::default))
    }
}

/// One measure of a risk as the cells of its row on the measures sheet:
/// phase, category, text, shared measure (by label).
pub fn measure_cells(m: &MeasureUse, labels: &AllLabels) -> [String; 4] {
    match m {
        MeasureUse::Inline {
            phase,
            category,
            text,
        } => [
            phase.clone().unwrap_or_default(),
            category.clone().unwrap_or_default(),
            text.clone(),
            String::new(),
        ],
        MeasureUse::Shared { id } => [
            String::new(),
            String::new(),
            String::new(),
            labels.get(Kind::Measure).label(id),
        ],
    }
}

/// The key of a measure's row: the risk's id and the measure's number.
pub fn measure_key(risk: &str, n: usize) -> String {
    format!("{risk}#{n}")
}
