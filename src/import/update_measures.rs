//! A risk's measures from an office's ledger (one cell of text, maybe
//! several lines, read as plain import reads it) against the file's: the
//! inline measures are compared by their text, in order. The same number
//! of them: each text that differs is edited in place (a phase or
//! category only when the sheet names one). Another number: the sheet's
//! measures take the inline ones' places in order (the rest after the
//! last of them, or dropped with their places), each keeping the file's
//! phase and category when its text is unchanged and the sheet names none. Shared measure uses (`ref:`) always stay where they are; a
//! shared measure the sheet cites and the file lacks is added at the end.
//! A sheet with no inline measure leaves the inline ones as they are.

use crate::edit::{Edit, NewValue};
use crate::i18n::{tr, Lang};
use crate::import::ledger::plan::{show, Change};
use crate::model::MeasureUse;

/// The edits that make the file's measures the sheet's.
#[derive(Debug)]
pub struct MeasurePlan {
    pub edits: Vec<Edit>,
    pub changes: Vec<Change>,
    /// The whole list after the change, for a file whose list cannot be
    /// edited field by field.
    pub whole: Vec<MeasureUse>,
}

type Parts<'a> = (&'a Option<String>, &'a Option<String>, &'a String);

fn inline(m: &MeasureUse) -> Option<Parts<'_>> {
    match m {
        MeasureUse::Inline {
            phase,
            category,
            text,
        } => Some((phase, category, text)),
        MeasureUse::Shared { .. } => None,
    }
}

/// A list as the report shows it: `1. text`, one a line.
fn list_text(ms: &[MeasureUse]) -> String {
    ms.iter()
        .enumerate()
        .map(|(i, m)| match m {
            MeasureUse::Inline { text, .. } => format!("{}. {text}", i + 1),
            MeasureUse::Shared { id } => format!("{}. {id}", i + 1),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the sheet's measures change in the file's; `None` when nothing.
pub fn plan(lang: Lang, file: &[MeasureUse], sheet: &[MeasureUse]) -> Option<MeasurePlan> {
    let old: Vec<(usize, Parts)> = file
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((i, inline(m)?)))
        .collect();
    let new: Vec<Parts> = sheet.iter().filter_map(inline).collect();
    let cited: Vec<&MeasureUse> = sheet
        .iter()
        .filter(|m| matches!(m, MeasureUse::Shared { .. }) && !file.contains(m))
        .collect();
    let heading = tr(lang, "export.col.measures", &[]);
    if new.is_empty() && cited.is_empty() {
        return None;
    }
    if new.len() == old.len() && cited.is_empty() {
        return in_place(&heading, file, &old, &new);
    }
    let kept = |(p, c, t): Parts| {
        let was = old
            .iter()
            .find(|(_, o)| o.2.trim() == t.trim())
            .map(|x| x.1);
        MeasureUse::Inline {
            phase: p.clone().or_else(|| was.and_then(|w| w.0.clone())),
            category: c.clone().or_else(|| was.and_then(|w| w.1.clone())),
            text: t.clone(),
        }
    };
    let mut whole: Vec<MeasureUse> = Vec::new();
    if new.is_empty() {
        whole.extend(file.iter().cloned());
    } else {
        // the sheet's measures take the inline ones' places in order,
        // the rest go after the last of them; refs stay where they are
        let mut next = new.iter();
        let last = old.last().map(|(i, _)| *i);
        for (i, m) in file.iter().enumerate() {
            match m {
                MeasureUse::Shared { .. } => whole.push(m.clone()),
                MeasureUse::Inline { .. } => whole.extend(next.next().map(|x| kept(*x))),
            }
            if Some(i) == last {
                whole.extend(next.by_ref().map(|x| kept(*x)));
            }
        }
        whole.extend(next.map(|x| kept(*x)));
    }
    whole.extend(cited.into_iter().cloned());
    Some(MeasurePlan {
        changes: vec![Change {
            field: heading,
            old: show(&list_text(file)),
            new: show(&list_text(&whole)),
        }],
        edits: vec![Edit {
            path: "measures".into(),
            value: NewValue::Measures(whole.clone()),
        }],
        whole,
    })
}

/// As many inline measures in the sheet as in the file: the texts (and
/// the phases and categories the sheet names) that differ, edited.
fn in_place(
    heading: &str,
    file: &[MeasureUse],
    old: &[(usize, Parts)],
    new: &[Parts],
) -> Option<MeasurePlan> {
    let mut plan = MeasurePlan {
        edits: Vec::new(),
        changes: Vec::new(),
        whole: file.to_vec(),
    };
    for ((i, (op, oc, ot)), (np, nc, nt)) in old.iter().zip(new) {
        let fields = [
            ("text", Some(*ot), Some(*nt)),
            ("phase", op.as_ref(), np.as_ref()),
            ("category", oc.as_ref(), nc.as_ref()),
        ];
        for (key, was, now) in fields {
            let Some(now) = now.filter(|n| was.map(|w| w.trim()) != Some(n.trim())) else {
                continue;
            };
            plan.edits.push(Edit {
                path: format!("measures.{i}.{key}"),
                value: NewValue::Text(now.clone()),
            });
            let n = old.iter().position(|(j, _)| j == i).unwrap_or(0) + 1;
            plan.changes.push(Change {
                field: format!("{heading} {n}"),
                old: show(was.map_or("", String::as_str)),
                new: show(now),
            });
            if let MeasureUse::Inline {
                phase,
                category,
                text,
            } = &mut plan.whole[*i]
            {
                match key {
                    "text" => *text = now.clone(),
                    "phase" => *phase = Some(now.clone()),
                    _ => *category = Some(now.clone()),
                }
            }
        }
    }
    (!plan.edits.is_empty()).then_some(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> MeasureUse {
        MeasureUse::Inline {
            phase: Some("前期预防".into()),
            category: None,
            text: text.into(),
        }
    }
    fn shared(id: &str) -> MeasureUse {
        MeasureUse::Shared { id: id.into() }
    }
    fn plain(text: &str) -> MeasureUse {
        MeasureUse::Inline {
            phase: None,
            category: None,
            text: text.into(),
        }
    }

    #[test]
    fn a_changed_text_is_edited_in_place_and_refs_stay() {
        let file = [m("甲"), shared("M-04"), m("乙")];
        assert!(plan(Lang::Zh, &file, &[plain("甲"), plain("乙")]).is_none());
        let p = plan(Lang::Zh, &file, &[plain("甲"), plain("丙")]).unwrap();
        assert_eq!(p.edits.len(), 1);
        assert_eq!(p.edits[0].path, "measures.2.text");
        assert_eq!(p.changes[0].field, "防控措施 2");
        assert_eq!(p.whole, [m("甲"), shared("M-04"), m("丙")]);
    }

    #[test]
    fn another_number_replaces_the_inline_ones_and_keeps_refs() {
        let file = [shared("M-01"), m("甲"), m("乙"), shared("M-04")];
        let p = plan(Lang::Zh, &file, &[plain("甲"), plain("丁"), plain("戊")]).unwrap();
        assert_eq!(
            p.whole,
            [
                shared("M-01"),
                m("甲"),
                plain("丁"),
                plain("戊"),
                shared("M-04")
            ]
        );
        // only refs in the sheet: the inline measures stay, the new ref is added
        let p = plan(Lang::Zh, &file, &[shared("M-02")]).unwrap();
        assert_eq!(
            p.whole,
            [
                shared("M-01"),
                m("甲"),
                m("乙"),
                shared("M-04"),
                shared("M-02")
            ]
        );
        assert!(plan(Lang::Zh, &file, &[]).is_none());
        // a ref between inline measures keeps its place
        let file = [m("甲"), shared("M-04"), m("乙")];
        let p = plan(Lang::Zh, &file, &[plain("甲"), plain("丙"), plain("丁")]).unwrap();
        assert_eq!(p.whole, [m("甲"), shared("M-04"), plain("丙"), plain("丁")]);
        let p = plan(Lang::Zh, &file, &[plain("乙")]).unwrap();
        assert_eq!(p.whole, [m("乙"), shared("M-04")]);
    }
}
