//! Review stamps (签字备案) as plain data: what an item's `reviewed:`
//! says ([`Stamp`]), and what `check` found of it ([`ReviewState`], one per
//! stamped item in [`Reviews`], which the pipeline puts on [`super::Site`]).
//!
//! A stamp is written by `gongshi review` as one line,
//! `reviewed: {date: 2025-05-20, by: 局党组, fingerprint: …, fields: …}`;
//! the older bare date `reviewed: 2025-05-01` still reads, as a stamp with
//! no fingerprint (it cannot be verified, so the item counts as unreviewed).

use super::fields::Fields;
use super::Kind;
use serde::Serialize;
use serde_yaml::Value;
use std::collections::BTreeMap;

/// An item's review stamp as written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stamp {
    pub date: String,
    pub by: Option<String>,
    /// The fingerprint of the content when it was stamped (`None` for a
    /// bare date).
    pub fingerprint: Option<String>,
    /// One short digest per fingerprinted field, to tell which changed.
    pub fields: Option<String>,
}

/// What an item's review stamp says of its content now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReviewState {
    /// Stamped, and nothing substantive changed since.
    Current,
    /// No stamp.
    Never,
    /// A bare date without a fingerprint: whether it changed since cannot
    /// be known, so it counts as unreviewed.
    Unverified,
    /// Changed since its stamp: the fields that changed (`fields` keys,
    /// e.g. `grade`, `body`), empty when they cannot be told.
    Changed { fields: Vec<&'static str> },
}

impl ReviewState {
    /// Whether the item needs a (new) review: everything but [`Current`](ReviewState::Current).
    pub fn is_unreviewed(&self) -> bool {
        *self != ReviewState::Current
    }
}

/// Every stamped item's review state, by kind and id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reviews(BTreeMap<Kind, BTreeMap<String, ReviewState>>);

impl Reviews {
    pub fn set(&mut self, kind: Kind, id: &str, state: ReviewState) {
        self.0
            .entry(kind)
            .or_default()
            .insert(id.to_string(), state);
    }

    /// The state of item `id` of `kind`; `None` for an item that is not stamped.
    pub fn state(&self, kind: Kind, id: &str) -> Option<&ReviewState> {
        self.0.get(&kind)?.get(id)
    }

    /// Whether item `id` of `kind` is unreviewed (never, unverifiable or
    /// changed since its stamp): what shows 待复核.
    pub fn is_unreviewed(&self, kind: Kind, id: &str) -> bool {
        self.state(kind, id).is_some_and(ReviewState::is_unreviewed)
    }

    /// The unreviewed items, in kind then id order.
    pub fn unreviewed(&self) -> impl Iterator<Item = (Kind, &str, &ReviewState)> {
        self.0.iter().flat_map(|(k, m)| {
            m.iter()
                .filter(|(_, s)| s.is_unreviewed())
                .map(|(id, s)| (*k, id.as_str(), s))
        })
    }

    /// How many items are unreviewed (the 未复核 count).
    pub fn unreviewed_count(&self) -> usize {
        self.unreviewed().count()
    }

    /// Keeps only the items `keep` accepts (the scope filter's cut).
    pub fn retain(&mut self, mut keep: impl FnMut(Kind, &str) -> bool) {
        for (k, m) in &mut self.0 {
            m.retain(|id, _| keep(*k, id));
        }
    }
}

/// The text of a flow-mapping value as a string, however it was typed.
fn text(v: &Value) -> Option<String> {
    super::fields::scalar(v).map(|s| s.trim().to_string())
}

/// Reads `reviewed` (a bare date, or the stamp `review` writes); problems
/// are reported as any field's.
pub fn read_stamp(f: &mut Fields) -> Option<Stamp> {
    if !f.has("reviewed") {
        return None;
    }
    let path = f.path("reviewed");
    let Some(m) = f.mapping_if("reviewed") else {
        let date = f.date("reviewed")?;
        return Some(Stamp {
            date,
            ..Stamp::default()
        });
    };
    let mut g = f.nested(m, path);
    let date = g.date("date");
    if date.is_none() && !g.has("date") {
        g.missing("date");
    }
    let by = g.text("by").filter(|s| !s.trim().is_empty());
    let fingerprint = m.get("fingerprint").and_then(text);
    let fields = m.get("fields").and_then(text);
    g.unknown(&["date", "by", "fingerprint", "fields"]);
    Some(Stamp {
        date: date?,
        by: by.map(|s| s.trim().to_string()),
        fingerprint,
        fields,
    })
}
