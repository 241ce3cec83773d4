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
mod sides;
pub mod words;

pub use rows::{kind_label, row, Row};

use crate::config::Config;
use crate::history::{RiskRecord, Snapshot};
use crate::kind::Kind;
use crate::model::Site;
use serde::Serialize;
use words::Token;

/// The order of kinds in the log: the notice, then the model's order.
const ORDER: [Kind; 8] = [
    Kind::Notice,
    Kind::Department,
    Kind::Post,
    Kind::Power,
    Kind::Flow,
    Kind::Risk,
    Kind::Measure,
    Kind::Page,
];

/// Entries in kind order grouped by kind, with each group's item count.
fn groups(entries: Vec<Entry>) -> Vec<Group> {
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
    groups
}

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
        ChangeLog {
            from: old.version.clone(),
            from_label: old.version_label.clone(),
            to: new.version.clone(),
            to_label: new.version_label.clone(),
            complete: audience + 1 >= cfg.scopes.len(),
            groups: groups(compare::all(cfg, old, new)),
        }
    }

    /// Risk `new` of `site` (the audience's filtered site, `old` its earlier
    /// version) edited: its entries made again, as [`ChangeLog::compare`]
    /// of the whole site would make them (the preview's fast path).
    pub fn replace_risk(&mut self, cfg: &Config, old: &Snapshot, site: &Site, new: &RiskRecord) {
        let id = new.meta.id.as_str();
        let mine = |e: &Entry| e.kind == Kind::Risk && e.id == id;
        let mut entries: Vec<Entry> = std::mem::take(&mut self.groups)
            .into_iter()
            .flat_map(|g| g.entries)
            .filter(|e| !mine(e))
            .collect();
        // Entries are in kind order, then by id.
        let key = |e: &Entry| (ORDER.iter().position(|k| *k == e.kind), e.id.clone());
        let here = (ORDER.iter().position(|k| *k == Kind::Risk), id.to_string());
        let at = entries.partition_point(|e| key(e) < here);
        entries.splice(at..at, compare::risk(cfg, old, site, new));
        self.groups = groups(entries);
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

    /// The preview's edit of one risk gives the log a whole comparison
    /// gives, whether the risk had entries before or not.
    #[test]
    fn replacing_a_risk_gives_the_whole_comparison() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked = crate::pipeline::check(root).expect("example config");
        let cfg = checked.site.config.clone();
        let mut site = crate::scope::filter(&checked.site, 0).clone_site();
        let old = Snapshot::of(&site);
        site.risks[0].meta.body.push_str("\n补充。");
        site.risks[2].owner = Some("另一位负责人".into());
        let whole = ChangeLog::compare(&cfg, 0, &old, &Snapshot::of(&site));
        assert_eq!(whole.entries().count(), 2);
        let mut log = ChangeLog::compare(&cfg, 0, &old, &old);
        for i in [2, 0, 2] {
            let r = RiskRecord::of(&cfg, &site.risks[i]);
            log.replace_risk(&cfg, &old, &site, &r);
        }
        assert_eq!(log, whole);
    }
}
