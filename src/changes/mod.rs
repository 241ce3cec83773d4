//! The change log (修订对照) of one audience: what changed between two of
//! its versions, as plain data. Both sides are that audience's own
//! [`Snapshot`]s — an earlier version's `data.json` (`crate::history`)
//! and, usually, the version being built (`Snapshot::of` its filtered
//! site) — so the log holds nothing a wider audience's data would add: an
//! item it no longer sees is `Removed` under its old title, with nothing
//! of what it became.
//!
//! [`ChangeLog::compare`] lists every kind and every field ([`compare`]);
//! [`words`] is the word-level diff of texts. `render::Context` builds
//! the log once per audience; `changes.html`, `register.xlsx`'s 修订对照
//! sheet and `gongshi diff` read it ([`rows`] gives the sheet's and the
//! terminal's wording).

mod compare;
mod rows;
pub mod words;

pub use rows::{kind_label, row, Row};

use crate::config::Config;
use crate::history::Snapshot;
use crate::kind::Kind;
use serde::Serialize;
use words::Token;

/// What changed about an item: it came, it went, or one of its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    /// New, or newly visible to this audience (新增).
    Added,
    /// Gone, or no longer visible to this audience (撤回).
    Removed,
    /// Renamed (更名).
    Title,
    Body,
    Scope,
    Grade,
    Type,
    Likelihood,
    Impact,
    Tier,
    Department,
    Posts,
    Power,
    Owner,
    Measures,
    Basis,
    Category,
    TimeLimit,
    Materials,
    Fee,
    Flow,
    Head,
    Parent,
    Level,
    Key,
    HighRisk,
    ReportsTo,
    Incompatible,
    Rotation,
    Holders,
    Phase,
    Weight,
    DocNo,
    Issuer,
    Date,
    Period,
    Feedback,
    StepAdded,
    StepRemoved,
    /// A step's arrows lead elsewhere.
    StepRelinked,
    /// A step's label, shape, post, risks or time limit.
    StepChanged,
}

/// One change: an item (the notice has no id) and what changed about it,
/// with the field's text before and after (empty for an item added or
/// removed on that side).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub kind: Kind,
    pub id: String,
    /// The title now; for a removed item, the title it had.
    pub title: String,
    pub what: What,
    pub before: String,
    pub after: String,
    /// For texts (bodies, measures): `before` → `after` word by word.
    pub words: Vec<Token>,
}

/// The changes of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub kind: Kind,
    /// How many items changed (an item may have several entries).
    pub items: usize,
    pub entries: Vec<Entry>,
}

/// Every change from version `from` to version `to` of one audience,
/// grouped by kind in the model's order; kinds without changes left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChangeLog {
    /// The earlier version's folder name and label (when it had one).
    pub from: String,
    pub from_label: Option<String>,
    pub to: String,
    pub to_label: Option<String>,
    /// The audience sees every item, so a removed item was deleted (删除);
    /// otherwise it may only have been withdrawn from it (撤回).
    pub complete: bool,
    pub groups: Vec<Group>,
}

impl ChangeLog {
    /// The changes from `old` to `new`, two versions of audience
    /// `audience` (scope labels and yes/no in `cfg`'s language).
    pub fn compare(cfg: &Config, audience: usize, old: &Snapshot, new: &Snapshot) -> ChangeLog {
        let entries = compare::all(cfg, old, new);
        let mut groups: Vec<Group> = Vec::new();
        for e in entries {
            match groups.last_mut() {
                Some(g) if g.kind == e.kind => g.entries.push(e),
                _ => groups.push(Group {
                    kind: e.kind,
                    items: 0,
                    entries: vec![e],
                }),
            }
        }
        for g in &mut groups {
            let mut ids: Vec<&str> = g.entries.iter().map(|e| e.id.as_str()).collect();
            ids.dedup();
            g.items = ids.len();
        }
        ChangeLog {
            from: old.version.clone(),
            from_label: old.version_label.clone(),
            to: new.version.clone(),
            to_label: new.version_label.clone(),
            complete: audience + 1 >= cfg.scopes.len(),
            groups,
        }
    }

    /// Every entry, kind by kind.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.groups.iter().flat_map(|g| g.entries.iter())
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> (Config, Snapshot) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked = crate::pipeline::check(root).expect("example config");
        let public = crate::scope::filter(&checked.site, 0);
        (checked.site.config.clone(), Snapshot::of(&public))
    }

    fn whats(log: &ChangeLog) -> Vec<(Kind, &str, What)> {
        log.entries()
            .map(|e| (e.kind, e.id.as_str(), e.what))
            .collect()
    }

    #[test]
    fn the_same_version_has_no_changes() {
        let (cfg, snap) = example();
        assert!(ChangeLog::compare(&cfg, 0, &snap, &snap).is_empty());
    }

    /// A department renamed is one change: the posts and risks in it did
    /// not move (references are compared by id, shown by title).
    #[test]
    fn a_rename_is_one_change_of_the_renamed_item() {
        let (cfg, old) = example();
        let mut new = old.clone();
        new.departments[1].meta.title = "改名后的科室".into();
        let log = ChangeLog::compare(&cfg, 0, &old, &new);
        let id = new.departments[1].meta.id.as_str();
        assert_eq!(whats(&log), [(Kind::Department, id, What::Title)]);
        assert_eq!(log.groups[0].items, 1);
    }

    /// An item gone from a narrower-than-everything audience is withdrawn
    /// under the title it had; the log names nothing else of it.
    #[test]
    fn an_item_gone_is_removed_under_its_old_title() {
        let (cfg, old) = example();
        let mut new = old.clone();
        let gone = new.risks.remove(0);
        let log = ChangeLog::compare(&cfg, 0, &old, &new);
        let e = log.entries().next().expect("one entry");
        assert_eq!(
            (e.what, e.id.as_str()),
            (What::Removed, gone.meta.id.as_str())
        );
        assert_eq!(
            (e.title.as_str(), e.after.as_str()),
            (gone.meta.title.as_str(), "")
        );
        assert!(!log.complete);
        let row = row(crate::i18n::Lang::Zh, &log, e);
        assert!(row.item.ends_with("：撤回（不再公示）"), "{}", row.item);
        assert!(ChangeLog::compare(&cfg, 1, &old, &new).complete);
    }
}
