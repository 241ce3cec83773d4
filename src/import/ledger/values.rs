//! A ledger cell to the value written in the file, and the rule that a
//! body keeps its scope blocks.

use super::cols::{Form, Sheet};
use super::read::Ledger;
use super::AllLabels;
use crate::config::Config;
use crate::edit::NewValue;
use crate::import::cells;
use crate::import::rows::Note;
use crate::model::body::scope_blocks;
use crate::model::Kind;

/// What a cell is read with.
pub struct Reader<'a> {
    pub config: &'a Config,
    pub labels: &'a AllLabels,
    pub ledger: &'a Ledger,
}

fn bad(heading: &str, value: &str, key: &'static str) -> Note {
    Note::new(
        key,
        vec![
            ("heading", heading.to_string()),
            ("value", value.to_string()),
        ],
        false,
    )
}

impl Reader<'_> {
    /// The id an item's name (as shown in the workbook, or its id) stands for.
    pub fn id_of(&self, kind: Kind, shown: &str) -> Option<String> {
        let s = shown.trim();
        if let Some(list) = self.ledger.lists.get(kind.name()) {
            if let Some((_, id)) = list.iter().find(|(l, _)| l == s) {
                return Some(id.clone());
            }
        }
        self.labels.get(kind).id(s)
    }

    /// The value of a cell of `form` under `heading`. Empty cells are
    /// [`NewValue::Absent`].
    pub fn value(&self, form: Form, heading: &str, raw: &str) -> Result<NewValue, Note> {
        let s = super::norm_cell(form, raw);
        if s.is_empty() {
            return Ok(NewValue::Absent);
        }
        let cfg = self.config;
        Ok(match form {
            Form::Id | Form::Text => NewValue::Text(s),
            Form::Body => NewValue::Text(s),
            Form::Choice(list) => match cells::choose(&s, list.values(cfg)) {
                Some((v, _)) => NewValue::Text(v),
                None => {
                    let mut n = bad(heading, &s, "ledger.bad.choice");
                    n.args.push(("allowed", list.values(cfg).join("、")));
                    return Err(n);
                }
            },
            Form::Grade => match grade(cfg, &s) {
                Some(i) => NewValue::Text(cfg.grades[i].name.clone()),
                None => {
                    let mut n = bad(heading, &s, "ledger.bad.choice");
                    n.args.push(("allowed", cfg.grade_names().join("、")));
                    return Err(n);
                }
            },
            Form::Ref(kind) => match self.id_of(kind, &s) {
                Some(id) => NewValue::Text(id),
                None => return Err(bad(heading, &s, "ledger.bad.ref")),
            },
            Form::Refs(kind) => {
                let mut ids = Vec::new();
                for name in cells::split_names(&s) {
                    match self.id_of(kind, &name) {
                        Some(id) => ids.push(id),
                        None => return Err(bad(heading, &name, "ledger.bad.ref")),
                    }
                }
                NewValue::List(ids)
            }
            Form::Lines => NewValue::List(
                s.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            Form::Number => match cells::number(&s) {
                Some(n) => NewValue::Raw(n.to_string()),
                None => return Err(bad(heading, &s, "ledger.bad.number")),
            },
            Form::Bool => match cells::yes_no(&s) {
                Some(b) => NewValue::Raw(b.to_string()),
                None => return Err(bad(heading, &s, "ledger.bad.yes_no")),
            },
            Form::Date => match cells::date(&s) {
                Some(d) => NewValue::Raw(d),
                None => return Err(bad(heading, &s, "ledger.bad.date")),
            },
            Form::Scope => match cfg.scope_by_name_or_label(&s) {
                Some(i) => NewValue::Text(cfg.scopes[i].name.clone()),
                None => {
                    let mut n = bad(heading, &s, "ledger.bad.choice");
                    let labels: Vec<String> = cfg.scopes.iter().map(|x| x.label.clone()).collect();
                    n.args.push(("allowed", labels.join("、")));
                    return Err(n);
                }
            },
        })
    }
}

/// A grade by name, alias or position (2级, 二, Ⅱ).
pub fn grade(cfg: &Config, s: &str) -> Option<usize> {
    if let Some((i, _)) = cells::grade(cfg, s) {
        return Some(i);
    }
    crate::model::fields::grade_position(s)
        .map(|p| p - 1)
        .filter(|i| *i < cfg.grades.len())
}

/// Whether the sheet's body keeps the file's scope blocks: every block
/// still there (as many, each as narrow), and no line that was inside a
/// block now outside one or in a wider one. `Err` names how many blocks
/// would be lost or widened.
pub fn body_keeps_blocks(cfg: &Config, old: &str, new: &str) -> Result<(), usize> {
    let Ok(before) = scope_blocks(old) else {
        // a broken block in the file: its text cannot be told apart
        return if old.trim() == new.trim() {
            Ok(())
        } else {
            Err(1)
        };
    };
    if before.is_empty() {
        return Ok(());
    }
    let Ok(after) = scope_blocks(new) else {
        return Err(before.len());
    };
    let rank = |s: &str| cfg.scope_index(s).unwrap_or(usize::MAX);
    let mut lost = before.len().saturating_sub(after.len());
    for (b, a) in before.iter().zip(&after) {
        if rank(&a.scope) < rank(&b.scope) {
            lost += 1;
        }
    }
    // where each line of the new body is: the scope rank of its block
    let where_new = |pos: usize| -> usize {
        after
            .iter()
            .find(|a| a.open.1 <= pos && pos < a.close.0)
            .map_or(0, |a| rank(&a.scope))
    };
    for b in &before {
        let inner = &old[b.open.1..b.close.0];
        for line in inner.lines().map(str::trim).filter(|l| l.len() > 6) {
            let mut from = 0;
            while let Some(i) = new[from..].find(line) {
                if where_new(from + i) < rank(&b.scope) {
                    lost += 1;
                    break;
                }
                from += i + line.len();
            }
        }
    }
    if lost > 0 {
        Err(lost)
    } else {
        Ok(())
    }
}

/// The sheet of a kind's items.
pub fn sheet_of(kind: Kind) -> Sheet {
    match kind {
        Kind::Power => Sheet::Powers,
        Kind::Post => Sheet::Posts,
        _ => Sheet::Risks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        let y = "title: t\nunit: u\nversion: '1'\nscopes:\n  - {name: public, label: 社会公开}\n  - {name: internal, label: 单位内部}\n";
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("gongshi.yaml"), y).unwrap();
        Config::load(dir.path()).unwrap()
    }

    #[test]
    fn a_body_keeps_its_blocks() {
        let c = cfg();
        let old = "公开。\n\n<!-- scope: internal -->\n内部掌握的情况说明。\n<!-- /scope -->\n";
        assert!(body_keeps_blocks(&c, old, &old.replace("公开。", "公开，改过。")).is_ok());
        assert!(body_keeps_blocks(&c, old, &old.replace("情况说明", "情况")).is_ok());
        assert_eq!(
            body_keeps_blocks(&c, old, "公开。\n内部掌握的情况说明。\n"),
            Err(2)
        );
        let wider = old.replace("scope: internal", "scope: public");
        assert!(body_keeps_blocks(&c, old, &wider).is_err());
        assert!(body_keeps_blocks(
            &c,
            "无块。",
            "有了\n<!-- scope: internal -->\nx\n<!-- /scope -->"
        )
        .is_ok());
    }
}
