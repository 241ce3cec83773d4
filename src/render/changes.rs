//! `changes.html`: what changed since the previous version of the same
//! audience, from that version's snapshot in the typed history
//! (`crate::history`) and this one's.

use super::view::GradeView;
use crate::history::{MeasureRecord, Named, RiskRecord, Snapshot};
use crate::i18n::tr;
use crate::model::Site;
use serde::Serialize;
use std::collections::BTreeMap;

/// A risk as named in a change.
#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Regrade {
    pub risk: Brief,
    pub from: GradeView,
    pub to: GradeView,
    /// Raised to a higher grade (调升).
    pub up: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Retype {
    pub risk: Brief,
    pub from: String,
    pub to: String,
}

/// One token of a word-level diff: `op` is "same", "del" or "ins".
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Token {
    pub op: &'static str,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasureChange {
    pub risk: Brief,
    pub diff: Vec<Token>,
}

/// Everything `changes.html` and the home page's summary line show.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Changes {
    pub previous: Option<String>,
    pub added: Vec<Brief>,
    pub removed: Vec<Brief>,
    pub regraded: Vec<Regrade>,
    pub retyped: Vec<Retype>,
    pub measures: Vec<MeasureChange>,
    pub posts_added: Vec<Brief>,
    pub posts_removed: Vec<Brief>,
    pub powers_added: Vec<Brief>,
    pub powers_removed: Vec<Brief>,
    /// "新增 3 个风险点，调升等级 2 个…", empty when nothing changed.
    pub summary: String,
}

fn brief(id: &str, title: Option<&String>) -> Brief {
    Brief {
        id: id.to_string(),
        title: title.map_or(id, String::as_str).to_string(),
    }
}

/// Added and removed items of one kind, as (id, title) pairs.
fn added_removed<'a>(
    old: impl Iterator<Item = (&'a String, Option<&'a String>)>,
    new: impl Iterator<Item = (&'a String, Option<&'a String>)>,
) -> (Vec<Brief>, Vec<Brief>) {
    let (o, n): (BTreeMap<_, _>, BTreeMap<_, _>) = (old.collect(), new.collect());
    let added = n
        .iter()
        .filter(|(k, _)| !o.contains_key(*k))
        .map(|(k, t)| brief(k, *t))
        .collect();
    let removed = o
        .iter()
        .filter(|(k, _)| !n.contains_key(*k))
        .map(|(k, t)| brief(k, *t))
        .collect();
    (added, removed)
}

fn named(list: &[Named]) -> impl Iterator<Item = (&String, Option<&String>)> {
    list.iter().map(|x| (&x.id, x.title.as_ref()))
}

fn risk_named(r: &RiskRecord) -> (&String, Option<&String>) {
    (&r.id, r.title.as_ref())
}

fn risks(s: &Snapshot) -> BTreeMap<&String, &RiskRecord> {
    s.risks.iter().map(|r| (&r.id, r)).collect()
}

/// The measures of a risk as one text, a line each.
fn measures_text(risk: &RiskRecord) -> String {
    risk.measures
        .iter()
        .map(|m| match m {
            MeasureRecord::Shared { id } => format!("[{id}]"),
            MeasureRecord::Inline {
                phase,
                category,
                text,
            } => {
                let head: Vec<&str> = [phase, category]
                    .into_iter()
                    .filter_map(|s| s.as_deref())
                    .filter(|s| !s.is_empty())
                    .collect();
                if head.is_empty() {
                    text.clone()
                } else {
                    format!("{}：{}", head.join("·"), text)
                }
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Compares `old` (the previous version, from `history`) with `new` (this
/// one, `Snapshot::of` the filtered site).
pub fn compare(site: &Site, previous: &str, old: &Snapshot, new: &Snapshot) -> Changes {
    let cfg = &site.config;
    let views = super::view::grade_views(cfg);
    let grade = |name: &str| -> (Option<usize>, GradeView) {
        match cfg.grade_index(name) {
            Some(i) => (Some(i), views[i].clone()),
            None => (
                None,
                GradeView {
                    rank: usize::MAX,
                    name: name.to_string(),
                    color: "#616161".into(),
                    text: "#ffffff".into(),
                    owner: None,
                },
            ),
        }
    };
    let mut c = Changes {
        previous: Some(previous.to_string()),
        ..Changes::default()
    };
    (c.added, c.removed) = added_removed(
        old.risks.iter().map(risk_named),
        new.risks.iter().map(risk_named),
    );
    (c.posts_added, c.posts_removed) = added_removed(named(&old.posts), named(&new.posts));
    (c.powers_added, c.powers_removed) = added_removed(named(&old.powers), named(&new.powers));
    let (o, n) = (risks(old), risks(new));
    for (id, nv) in &n {
        let Some(ov) = o.get(id) else { continue };
        let (og, ng) = (ov.grade.as_str(), nv.grade.as_str());
        if og != ng {
            let ((oi, from), (ni, to)) = (grade(og), grade(ng));
            let up = matches!((oi, ni), (Some(a), Some(b)) if b < a);
            c.regraded.push(Regrade {
                risk: brief(id, nv.title.as_ref()),
                from,
                to,
                up,
            });
        }
        let (ot, nt) = (ov.risk_type.as_str(), nv.risk_type.as_str());
        if ot != nt {
            c.retyped.push(Retype {
                risk: brief(id, nv.title.as_ref()),
                from: ot.into(),
                to: nt.into(),
            });
        }
        let (om, nm) = (measures_text(ov), measures_text(nv));
        if om != nm {
            c.measures.push(MeasureChange {
                risk: brief(id, nv.title.as_ref()),
                diff: word_diff(&om, &nm),
            });
        }
    }
    c.summary = summary(site, &c);
    c
}

fn summary(site: &Site, c: &Changes) -> String {
    let lang = site.config.lang();
    let up = c.regraded.iter().filter(|r| r.up).count();
    let parts: Vec<(&str, usize)> = vec![
        ("ui.changes_n_added", c.added.len()),
        ("ui.changes_n_removed", c.removed.len()),
        ("ui.changes_n_up", up),
        ("ui.changes_n_down", c.regraded.len() - up),
        ("ui.changes_n_retyped", c.retyped.len()),
        ("ui.changes_n_measures", c.measures.len()),
        (
            "ui.changes_n_posts",
            c.posts_added.len() + c.posts_removed.len(),
        ),
        (
            "ui.changes_n_powers",
            c.powers_added.len() + c.powers_removed.len(),
        ),
    ];
    let said: Vec<String> = parts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| tr(lang, k, &[("n", n.to_string())]))
        .collect();
    if said.is_empty() {
        return String::new();
    }
    tr(
        lang,
        "ui.changes_summary",
        &[
            ("previous", c.previous.clone().unwrap_or_default()),
            ("parts", said.join(&tr(lang, "ui.list_sep", &[]))),
        ],
    )
}

/// Tokens for a Chinese-aware word diff: each CJK character alone, runs of
/// Latin letters and digits together, anything else alone.
fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        out.push(c.to_string());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// A word-level diff (longest common subsequence), merged into runs.
pub fn word_diff(old: &str, new: &str) -> Vec<Token> {
    let (a, b) = (tokens(old), tokens(new));
    let mut raw: Vec<(&'static str, &str)> = Vec::new();
    if a.len().saturating_mul(b.len()) > 4_000_000 {
        raw.extend(a.iter().map(|t| ("del", t.as_str())));
        raw.extend(b.iter().map(|t| ("ins", t.as_str())));
    } else {
        let (n, m) = (a.len(), b.len());
        let mut lcs = vec![vec![0u32; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if a[i] == b[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j] {
                raw.push(("same", &a[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
                raw.push(("del", &a[i]));
                i += 1;
            } else {
                raw.push(("ins", &b[j]));
                j += 1;
            }
        }
    }
    let mut out: Vec<Token> = Vec::new();
    for (op, text) in raw {
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => out.push(Token {
                op,
                text: text.to_string(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_words() {
        let d = word_diff("严格执行双人审核制度", "严格执行三人审核和回避制度");
        let ins: Vec<_> = d
            .iter()
            .filter(|t| t.op == "ins")
            .map(|t| t.text.as_str())
            .collect();
        let del: Vec<_> = d
            .iter()
            .filter(|t| t.op == "del")
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(ins, ["三", "和回避"]);
        assert_eq!(del, ["双"]);
        assert_eq!(
            word_diff("abc 12", "abc 13")[1],
            Token {
                op: "del",
                text: "12".into()
            }
        );
    }
}
