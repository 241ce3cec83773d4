//! `import --update`: a row of an office's own ledger that is an existing
//! item (by id, else by title within its department) changes that item's
//! file in place, through [`crate::edit`], and only in the fields whose
//! columns the sheet has. An empty cell, or one whose names or values
//! could not be read, leaves its field as it is: an update never deletes a
//! value, a body or a measure. The scope guard of `--force` holds
//! ([`super::guard`]): a wider scope, or a body losing its scope blocks,
//! skips the row. Measures: the item's inline measures are replaced only
//! where the sheet's text differs; its shared measure uses (`ref:`) stay.

use super::headers::Col;
use super::rows::{self, Lookups, Note, Record};
use crate::edit::{self, Edit, EditError, NewValue, TextFile};
use crate::import::ledger::plan::{order, show, Change, Write};
use crate::model::{body::scope_blocks, Kind, MeasureUse, Meta, Site};
use crate::render::export::{heading, Field};
use serde_yaml::{Mapping, Value};
use std::path::Path;

/// What a matched row does to its item's file.
#[derive(Debug, Default)]
pub struct Update {
    pub changes: Vec<Change>,
    /// The file's new bytes; `None` when nothing changes.
    pub write: Option<Write>,
    pub notes: Vec<Note>,
}

/// The existing item a row is.
pub struct Target<'a> {
    pub id: &'a str,
    /// Its file, relative to the site root.
    pub rel: &'a str,
    /// Matched by its title (the title cell is then not an edit).
    pub by_title: bool,
}

/// The fields a column of each kind writes, in the order of the report.
fn fields(kind: Kind) -> &'static [(Field, &'static str)] {
    use Field::*;
    match kind {
        Kind::Risk => &[
            (Title, "title"),
            (Type, "type"),
            (Grade, "grade"),
            (Likelihood, "likelihood"),
            (Impact, "impact"),
            (Tier, "tier"),
            (Department, "department"),
            (Posts, "posts"),
            (Power, "power"),
            (Owner, "owner"),
            (Basis, "basis"),
            (Reviewed, "reviewed"),
            (Scope, "scope"),
        ],
        Kind::Power => &[
            (Title, "title"),
            (Category, "category"),
            (Basis, "basis"),
            (Department, "department"),
            (Posts, "posts"),
            (TimeLimit, "time_limit"),
            (Materials, "materials"),
            (Fee, "fee"),
            (Flow, "flow"),
            (Scope, "scope"),
        ],
        _ => &[
            (Title, "title"),
            (Department, "department"),
            (Level, "level"),
            (Key, "key"),
            (HighRisk, "high_risk"),
            (ReportsTo, "reports_to"),
            (Incompatible, "incompatible"),
            (Rotation, "rotation_years"),
            (Holders, "holders"),
            (Scope, "scope"),
        ],
    }
}

fn item<'a>(site: &'a Site, kind: Kind, id: &str) -> Option<&'a Meta> {
    match kind {
        Kind::Risk => site.risk(id).map(|x| &x.meta),
        Kind::Power => site.power(id).map(|x| &x.meta),
        _ => site.post(id).map(|x| &x.meta),
    }
}

/// The row with a risk's type and grade taken from the item when the
/// sheet gives none (no column, or an empty cell), so the row reads.
fn filled(site: &Site, kind: Kind, rec: &Record, id: &str) -> Record {
    let mut rec = rec.clone();
    if let (Kind::Risk, Some(r)) = (kind, site.risk(id)) {
        let grade = site.config.grades.get(r.grade).map(|g| g.name.clone());
        for (f, v) in [
            (Field::Type, Some(r.risk_type.clone())),
            (Field::Grade, grade),
        ] {
            let cell = rec.cells.entry(Col::Field(f)).or_default();
            if cell.trim().is_empty() {
                *cell = v.unwrap_or_default();
            }
        }
    }
    rec
}

/// Plans the update of the item `t` from `rec`; `Err` skips the row.
pub fn plan(
    root: &Path,
    site: &Site,
    lk: &Lookups,
    rec: &Record,
    t: &Target,
    title: &str,
) -> Result<Update, Note> {
    let kind = lk.kind;
    let path = || ("path", t.rel.to_string());
    let meta = item(site, kind, t.id)
        .ok_or_else(|| Note::new("import.skip.unreadable", vec![path()], false))?;
    if let Some((link, to)) = super::paths::link_out_of_content(root, t.rel) {
        let args = vec![("path", link), ("target", to)];
        return Err(Note::new("import.skip.symlink", args, false));
    }
    let present = |f: Field| lk.columns.contains_key(&Col::Field(f));
    let d = rows::draft(lk, &filled(site, kind, rec, t.id), t.id, title)?;
    // the body: an empty cell, or the file's text without its scope
    // blocks, is no change; anything else must keep the blocks
    let body = (present(Field::Body) && !d.body.is_empty())
        .then(|| d.body.clone())
        .filter(|b| !same_body(&meta.body, b));
    let mut guarded = d.clone();
    guarded.body = body.clone().unwrap_or_else(|| meta.body.clone());
    super::guard::overwrite(site, kind, t.rel, &mut guarded)?;

    let fail = |detail: String| {
        let args = vec![path(), ("detail", detail)];
        Note::new("ledger.skip.edit", args, false)
    };
    let bytes = std::fs::read(root.join(t.rel)).map_err(|e| fail(e.to_string()))?;
    let file = TextFile::decode(&bytes).map_err(|e| fail(format!("{e:?}")))?;
    let old = english_keys(&edit::front(&file.text).unwrap_or_default());
    let unread: Vec<String> = d
        .notes
        .iter()
        .filter(|n| n.key.ends_with(".unmatched") || n.key.ends_with(".ambiguous"))
        .chain(d.notes.iter().filter(|n| n.key.ends_with(".not_allowed")))
        .filter_map(|n| n.cell.clone())
        .collect();
    let mut up = Update {
        notes: d.notes.clone(),
        ..Update::default()
    };
    let mut edits = Vec::new();
    for (field, key) in fields(kind) {
        let cell = lk.cell(*field, rec.row);
        if !present(*field)
            || (*key == "title" && t.by_title)
            || cell.is_some_and(|c| unread.contains(&c))
        {
            continue;
        }
        let Some(new) = d.front.get(*key) else {
            continue; // an empty cell keeps the value
        };
        let was = old.get(*key);
        if same(site, key, was, new) {
            continue;
        }
        let Some(value) = new_value(new) else {
            let what = heading(lk.lang, kind, *field);
            up.notes.push(Note::new(
                "import.note.not_in_place",
                vec![("what", what)],
                false,
            ));
            continue;
        };
        up.changes.push(Change {
            field: heading(lk.lang, kind, *field),
            old: show(&shown(was)),
            new: show(&shown(Some(new))),
        });
        edits.push(Edit {
            path: key.to_string(),
            value,
        });
    }
    let mut whole = None;
    let measured =
        present(Field::Measures) || lk.columns.keys().any(|c| matches!(c, Col::Phase(_)));
    if kind == Kind::Risk && measured {
        let sheet = measures(d.front.get("measures"));
        let file = measures(old.get("measures"));
        if let Some(m) = super::update_measures::plan(lk.lang, &file, &sheet) {
            edits.extend(m.edits);
            up.changes.extend(m.changes);
            whole = Some(m.whole);
        }
    }
    if let Some(b) = &body {
        up.changes.push(Change {
            field: heading(lk.lang, kind, Field::Body),
            old: show(&meta.body),
            new: show(b),
        });
    }
    if edits.is_empty() && body.is_none() {
        return Ok(up);
    }
    let mut text = edit::apply(&file.text, &edits, order(kind), body.as_deref());
    if let (Err(EditError::NotFound(_)), Some(w)) = (&text, whole) {
        // a measure field the file does not write: the list is rewritten
        let mut e: Vec<Edit> = edits
            .into_iter()
            .filter(|e| !e.path.starts_with("measures"))
            .collect();
        e.push(Edit {
            path: "measures".into(),
            value: NewValue::Measures(w),
        });
        text = edit::apply(&file.text, &e, order(kind), body.as_deref());
    }
    let text = text.map_err(|e| fail(format!("{e:?}")))?;
    let new = file.encode(&text);
    if new == bytes {
        up.changes.clear();
    } else {
        up.write = Some(Write {
            rel: t.rel.to_string(),
            bytes: new,
        });
    }
    Ok(up)
}

/// Whether the sheet's body is the file's, or the file's without its
/// scope blocks (the text an office's ledger holds).
fn same_body(old: &str, new: &str) -> bool {
    let n = |s: &str| crate::import::ledger::norm_cell(crate::import::ledger::Form::Body, s);
    if n(old) == n(new) {
        return true;
    }
    let Ok(blocks) = scope_blocks(old) else {
        return false;
    };
    let mut open = String::new();
    let mut at = 0;
    for b in &blocks {
        open.push_str(&old[at..b.open.0]);
        at = b.close.1;
    }
    open.push_str(&old[at..]);
    let squeeze = |s: &str| {
        s.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    !blocks.is_empty() && squeeze(&open) == squeeze(new)
}

/// The front matter with keys written by their Chinese names (风险等级)
/// under their field names.
fn english_keys(m: &Mapping) -> Mapping {
    m.iter()
        .map(|(k, v)| {
            let key = k.as_str().unwrap_or_default();
            let key = crate::model::fields::field_by_chinese_name(key).unwrap_or(key);
            (Value::from(key), v.clone())
        })
        .collect()
}

/// A value made comparable: text trimmed, numbers and lists as text.
fn canon(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|x| canon(Some(x)))
            .collect::<Vec<_>>()
            .join("\u{1}"),
        Some(Value::Mapping(m)) => {
            let mut parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}={}", canon(Some(k)), canon(Some(v))))
                .collect();
            parts.sort();
            parts.join("\u{2}")
        }
        Some(Value::Tagged(t)) => canon(Some(&t.value)),
    }
}

/// Whether the file's value and the sheet's are the same: grades and
/// scopes by what they name (an alias, a label), the rest as text.
fn same(site: &Site, key: &str, old: Option<&Value>, new: &Value) -> bool {
    let cfg = &site.config;
    let (o, n) = (canon(old), canon(Some(new)));
    match key {
        "grade" => {
            crate::import::ledger::values::grade(cfg, &o)
                == crate::import::ledger::values::grade(cfg, &n)
        }
        "scope" => cfg.scope_by_name_or_label(&o) == cfg.scope_by_name_or_label(&n),
        _ => o == n,
    }
}

/// A value as the report shows it.
fn shown(v: Option<&Value>) -> String {
    match v {
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|x| canon(Some(x)))
            .collect::<Vec<_>>()
            .join("、"),
        other => canon(other),
    }
}

/// The editor's value for a draft's: text, a number or yes/no, a list of
/// texts. `None` for what is not edited in place (a post's holders).
fn new_value(v: &Value) -> Option<NewValue> {
    Some(match v {
        Value::String(s) => NewValue::Text(s.clone()),
        Value::Number(n) => NewValue::Raw(n.to_string()),
        Value::Bool(b) => NewValue::Raw(b.to_string()),
        Value::Sequence(items) => NewValue::List(
            items
                .iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    })
}

/// A `measures` list (the draft's or the file's) as measure uses.
fn measures(v: Option<&Value>) -> Vec<MeasureUse> {
    let Some(Value::Sequence(items)) = v else {
        return Vec::new();
    };
    let text = |m: &Mapping, k: &str| m.get(k).map(|x| canon(Some(x))).filter(|s| !s.is_empty());
    items
        .iter()
        .map(|x| match x.as_mapping() {
            Some(m) => match text(m, "ref") {
                Some(id) => MeasureUse::Shared { id },
                None => MeasureUse::Inline {
                    phase: text(m, "phase"),
                    category: text(m, "category"),
                    text: text(m, "text").unwrap_or_default(),
                },
            },
            None => MeasureUse::Inline {
                phase: None,
                category: None,
                text: canon(Some(x)),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_without_the_files_scope_blocks_is_no_change() {
        let old = "公开的说明。\n\n<!-- scope: internal -->\n内部掌握的情况。\n<!-- /scope -->\n\n再一段。\n";
        assert!(same_body(old, "公开的说明。\n再一段。"));
        assert!(same_body(old, old));
        assert!(!same_body(old, "公开的说明，改过。\n再一段。"));
        assert!(!same_body("没有块。", "没有块，改过。"));
    }

    #[test]
    fn values_compare_as_text_and_lists_item_by_item() {
        let v = |y: &str| serde_yaml::from_str::<Value>(y).unwrap();
        assert_eq!(canon(Some(&v("3"))), canon(Some(&v("'3'"))));
        assert_eq!(
            canon(Some(&v("[P-10, P-09]"))),
            canon(Some(&v("- P-10\n- P-09")))
        );
        assert_ne!(
            canon(Some(&v("[P-10, P-09]"))),
            canon(Some(&v("[P-09, P-10]")))
        );
        assert_eq!(new_value(&v("[{name: 张三}]")), None);
        assert_eq!(new_value(&v("4")), Some(NewValue::Raw("4".into())));
    }
}
