//! The change log in words, the usual form of a 修订对照表: 序号 / 编号 /
//! 事项 / 修订前 / 修订后. The workbook's sheet and `gongshi diff` both
//! word entries through [`row`].

use super::{ChangeLog, Entry, What};
use crate::i18n::{tr, Lang};
use crate::kind::Kind;

/// One entry as the 修订对照表 shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 编号: the item's id (empty for the notice).
    pub id: String,
    /// 事项: kind, title and what changed (`风险点“…”：风险等级`).
    pub item: String,
    /// What changed, alone (`风险等级`, `新增`, `撤回（不再公示）`).
    pub what: String,
    pub before: String,
    pub after: String,
}

/// The catalogue key of a change's name.
pub fn what_key(log: &ChangeLog, what: What) -> String {
    if what == What::Removed && !log.complete {
        return "changes.what.withdrawn".into();
    }
    let name = serde_json::to_value(what)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    format!("changes.what.{name}")
}

/// The catalogue key of a kind's name in the log.
pub fn kind_key(kind: Kind) -> String {
    format!("changes.kind.{}", kind.name())
}

/// A kind's name in the log (风险点, 共用防控措施…).
pub fn kind_label(lang: Lang, kind: Kind) -> String {
    tr(lang, &kind_key(kind), &[])
}

/// An entry in words.
pub fn row(lang: Lang, log: &ChangeLog, e: &Entry) -> Row {
    let what = tr(lang, &what_key(log, e.what), &[]);
    let item = tr(
        lang,
        "changes.item",
        &[
            ("kind", kind_label(lang, e.kind)),
            ("title", e.title.clone()),
            ("what", what.clone()),
        ],
    );
    Row {
        id: e.id.clone(),
        item,
        what,
        before: e.before.clone(),
        after: e.after.clone(),
    }
}
