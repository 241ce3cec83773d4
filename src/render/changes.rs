//! `changes.html` and the home page's summary line, read from the
//! audience's change log (`crate::changes::ChangeLog`, built once by
//! `render::Context`): every kind, grouped with counts, each change with
//! its 修订前/修订后 and, for texts, the word-level diff. The wording of
//! kinds and changes is the catalogue's (`changes.kind.*`,
//! `changes.what.*`), the same the 修订对照 sheet and `gongshi diff` use.

use super::view::Views;
use crate::changes::words::Token;
use crate::changes::{kind_label, row, ChangeLog, Entry, What};
use crate::i18n::tr;
use crate::model::{Kind, Site};
use serde::Serialize;

/// The page's view of the log.
#[derive(Debug, Serialize)]
pub struct ChangesView<'a> {
    /// The earlier version as shown: its label, else its folder name.
    pub previous: String,
    /// "与 … 版相比：…", as on the home page.
    pub summary: String,
    pub groups: Vec<GroupView<'a>>,
}

/// The changes of one kind.
#[derive(Debug, Serialize)]
pub struct GroupView<'a> {
    /// The kind's name in files (`risk`, `measure`…), for anchors.
    pub kind: &'static str,
    /// The kind's name in words (风险点).
    pub label: String,
    /// How many items changed.
    pub items: usize,
    pub entries: Vec<EntryView<'a>>,
}

/// One change.
#[derive(Debug, Serialize)]
pub struct EntryView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The item's page while the audience still sees it.
    pub href: Option<String>,
    /// What changed, in words (风险等级, 新增, 撤回（不再公示）).
    pub what: String,
    /// `added`, `removed` or `field`.
    pub change: &'static str,
    pub before: &'a str,
    pub after: &'a str,
    /// For texts: the word-level diff (`op`: same, del, ins).
    pub words: &'a [Token],
}

/// The previous version as pages name it.
fn previous(log: &ChangeLog) -> String {
    log.from_label.clone().unwrap_or_else(|| log.from.clone())
}

fn entry<'a>(site: &Site, v: &Views, log: &ChangeLog, e: &'a Entry) -> EntryView<'a> {
    let lang = site.config.lang();
    let change = match e.what {
        What::Added => "added",
        What::Removed => "removed",
        _ => "field",
    };
    let href = match (e.kind, e.what) {
        (_, What::Removed) => None,
        (Kind::Notice, _) => Some("index.html".to_string()),
        (k, _) => v.r(k, &e.id).map(|r| r.href),
    };
    EntryView {
        id: &e.id,
        title: &e.title,
        href,
        what: row(lang, log, e).what,
        change,
        before: &e.before,
        after: &e.after,
        words: &e.words,
    }
}

/// `changes.html`'s data from the audience's log.
pub fn view<'a>(site: &Site, v: &Views, log: &'a ChangeLog) -> ChangesView<'a> {
    let lang = site.config.lang();
    let groups = log
        .groups
        .iter()
        .map(|g| GroupView {
            kind: g.kind.name(),
            label: kind_label(lang, g.kind),
            items: g.items,
            entries: g.entries.iter().map(|e| entry(site, v, log, e)).collect(),
        })
        .collect();
    ChangesView {
        previous: previous(log),
        summary: summary(site, log),
        groups,
    }
}

/// "与 2024 版相比：风险点 3 项，岗位 1 项有变化。", empty when nothing changed.
pub fn summary(site: &Site, log: &ChangeLog) -> String {
    let lang = site.config.lang();
    let parts: Vec<String> = log
        .groups
        .iter()
        .map(|g| {
            tr(
                lang,
                "ui.changes_n_kind",
                &[
                    ("kind", kind_label(lang, g.kind)),
                    ("n", g.items.to_string()),
                ],
            )
        })
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    tr(
        lang,
        "ui.changes_summary",
        &[
            ("previous", previous(log)),
            ("parts", parts.join(&tr(lang, "ui.list_sep", &[]))),
        ],
    )
}
