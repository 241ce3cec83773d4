//! `changes.html`: what changed since the previous version of the same
//! audience, as the page shows it, taken from the audience's change log
//! (`crate::changes::ChangeLog`, built once by `render::Context`).

use super::view::GradeView;
use crate::changes::words::Token;
use crate::changes::{ChangeLog, Entry, What};
use crate::i18n::tr;
use crate::model::{Kind, Site};
use serde::Serialize;

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

fn brief(e: &Entry) -> Brief {
    Brief {
        id: e.id.clone(),
        title: e.title.clone(),
    }
}

/// The page's view of the audience's change log: risks added, removed,
/// regraded, retyped, their measures, posts and powers added or removed.
pub fn compare(site: &Site, log: &ChangeLog) -> Changes {
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
        previous: Some(log.from.clone()),
        ..Changes::default()
    };
    for e in log.entries() {
        match (e.kind, e.what) {
            (Kind::Risk, What::Added) => c.added.push(brief(e)),
            (Kind::Risk, What::Removed) => c.removed.push(brief(e)),
            (Kind::Risk, What::Grade) => {
                let ((oi, from), (ni, to)) = (grade(&e.before), grade(&e.after));
                let up = matches!((oi, ni), (Some(a), Some(b)) if b < a);
                c.regraded.push(Regrade {
                    risk: brief(e),
                    from,
                    to,
                    up,
                });
            }
            (Kind::Risk, What::Type) => c.retyped.push(Retype {
                risk: brief(e),
                from: e.before.clone(),
                to: e.after.clone(),
            }),
            (Kind::Risk, What::Measures) => c.measures.push(MeasureChange {
                risk: brief(e),
                diff: e.words.clone(),
            }),
            (Kind::Post, What::Added) => c.posts_added.push(brief(e)),
            (Kind::Post, What::Removed) => c.posts_removed.push(brief(e)),
            (Kind::Power, What::Added) => c.powers_added.push(brief(e)),
            (Kind::Power, What::Removed) => c.powers_removed.push(brief(e)),
            _ => {}
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
