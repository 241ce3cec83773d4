//! The booklet's closing parts: the 审定签字备案 page and the appendix
//! 修订对照表, as data both booklets (`booklet.html`, `booklet.docx`) lay out.
//!
//! The sign-off page closes the text, before the appendix, as a 发文机关署名
//! and 成文日期 close an official document and its 附件 follow (GB/T
//! 9704-2012 §7.3): the signatures attest to the register as printed above
//! them. Who reviewed what and when comes from the items' review stamps,
//! which the scope filter keeps only for audiences narrower than the
//! widest: the public booklet has the blank signature block alone.

use crate::changes::{row, ChangeLog};
use crate::i18n::tr;
use crate::model::{item_lists, Kind, Site};
use serde::Serialize;
use std::collections::BTreeMap;

/// The sign-off page's anchor, listed in the contents.
pub const SIGN_OFF: &str = "s-sign-off";
/// The appendix's anchor, listed in the contents.
pub const APPENDIX: &str = "s-appendix";

/// The 审定签字备案 page.
#[derive(Serialize)]
pub struct SignOff {
    pub title: String,
    pub note: String,
    /// Stamps still current, grouped by who and when (empty for the
    /// widest audience).
    pub reviews: Vec<ReviewGroup>,
    /// Items whose stamp is missing or out of date (0 for the widest
    /// audience).
    pub unreviewed: usize,
    /// One ruled line each.
    pub signatures: Vec<String>,
}

/// Items one reviewer stamped on one day.
#[derive(Serialize)]
pub struct ReviewGroup {
    pub by: String,
    pub date: String,
    pub count: usize,
    /// `风险点 12 项、防控措施 3 项`.
    pub items: String,
}

/// The sign-off page of `site` (an audience's filtered site).
pub fn sign_off(site: &Site) -> SignOff {
    let lang = site.config.lang();
    let cfg = &site.config.booklet.sign_off;
    let t = |k: &str| tr(lang, k, &[]);
    let signatures = cfg.signatures.clone().unwrap_or_else(|| {
        t("ui.sign_off_signatures")
            .split('|')
            .map(str::to_string)
            .collect()
    });
    let (reviews, unreviewed) = match &site.reviews {
        Some(states) => (groups(site, states), states.unreviewed_count()),
        None => (Vec::new(), 0),
    };
    SignOff {
        title: cfg.title.clone().unwrap_or_else(|| t("ui.sign_off_title")),
        note: cfg.note.clone().unwrap_or_else(|| t("ui.sign_off_note")),
        reviews,
        unreviewed,
        signatures,
    }
}

/// Current stamps grouped by (date, reviewer), counted by kind.
fn groups(site: &Site, states: &crate::model::Reviews) -> Vec<ReviewGroup> {
    let lang = site.config.lang();
    let mut by: BTreeMap<(String, String), BTreeMap<usize, (Kind, usize)>> = BTreeMap::new();
    let mut order = 0;
    macro_rules! stamps {
        ($($kind:ident $list:ident),*) => {$(
            for x in &site.$list {
                let Some(s) = &x.meta.review else { continue };
                if states.is_unreviewed(Kind::$kind, &x.meta.id) {
                    continue;
                }
                let who = s.by.clone().unwrap_or_else(|| tr(lang, "ui.sign_off_by_unknown", &[]));
                let n = by.entry((s.date.clone(), who)).or_default();
                n.entry(order).or_insert((Kind::$kind, 0)).1 += 1;
            }
            order += 1;
        )*};
    }
    item_lists!(stamps);
    let _ = order;
    by.into_iter()
        .map(|((date, who), kinds)| {
            let items: Vec<String> = kinds
                .values()
                .map(|(k, n)| {
                    tr(
                        lang,
                        "ui.sign_off_items",
                        &[
                            ("kind", crate::changes::kind_label(lang, *k)),
                            ("n", n.to_string()),
                        ],
                    )
                })
                .collect();
            ReviewGroup {
                by: who,
                date,
                count: kinds.values().map(|(_, n)| n).sum(),
                items: items.join("、"),
            }
        })
        .collect()
}

/// The appendix 修订对照表: the change log against the previous version.
#[derive(Serialize)]
pub struct Appendix {
    pub title: String,
    /// `与 2024 版相比`.
    pub note: String,
    pub rows: Vec<AppendixRow>,
}

/// One line of the 修订对照表: 序号 / 编号 / 事项 / 修订前 / 修订后.
#[derive(Serialize)]
pub struct AppendixRow {
    pub n: usize,
    pub id: String,
    pub item: String,
    pub before: String,
    pub after: String,
}

/// The appendix when there is a previous version (`log`).
pub fn appendix(site: &Site, log: Option<&ChangeLog>) -> Option<Appendix> {
    let log = log?;
    let lang = site.config.lang();
    let from = log.from_label.clone().unwrap_or_else(|| log.from.clone());
    let rows = log
        .entries()
        .enumerate()
        .map(|(i, e)| {
            let r = row(lang, log, e);
            AppendixRow {
                n: i + 1,
                id: r.id,
                item: r.item,
                before: r.before,
                after: r.after,
            }
        })
        .collect::<Vec<_>>();
    let note = if rows.is_empty() {
        "ui.appendix_none"
    } else {
        "ui.appendix_note"
    };
    Some(Appendix {
        title: tr(lang, "ui.appendix_title", &[]),
        note: tr(lang, note, &[("from", from)]),
        rows,
    })
}
