//! Every kind and every field compared: each kind names its fields as
//! texts ([`super::sides`]: `Side::risk`…, references by the titles that
//! side shows), and one loop turns the differing ones into entries. Flow
//! steps are compared step by step ([`steps`]).

use super::sides::{Fields, Side};
use super::words::word_diff;
use super::{Entry, What};
use crate::config::Config;
use crate::history::{RiskRecord, Snapshot};
use crate::kind::Kind;
use crate::model::{Flow, Meta, Site, Step};
use std::collections::{BTreeMap, BTreeSet};

/// Every change from `old` to `new`: the notice, then each kind in the
/// model's order, items by id.
pub(super) fn all(cfg: &Config, old: &Snapshot, new: &Snapshot) -> Vec<Entry> {
    let (o, n) = (Side::new(cfg, old), Side::new(cfg, new));
    let mut out = Vec::new();
    fields(
        &mut out,
        Kind::Notice,
        "",
        &new.notice.title,
        o.notice(),
        n.notice(),
    );
    items(
        &mut out,
        Kind::Department,
        (&o, &old.departments),
        (&n, &new.departments),
        |x| &x.meta,
        Side::department,
    );
    items(
        &mut out,
        Kind::Post,
        (&o, &old.posts),
        (&n, &new.posts),
        |x| &x.meta,
        Side::post,
    );
    items(
        &mut out,
        Kind::Power,
        (&o, &old.powers),
        (&n, &new.powers),
        |x| &x.meta,
        Side::power,
    );
    flows(&mut out, (&o, &old.flows), (&n, &new.flows));
    items(
        &mut out,
        Kind::Risk,
        (&o, &old.risks),
        (&n, &new.risks),
        |x| &x.meta,
        Side::risk,
    );
    items(
        &mut out,
        Kind::Measure,
        (&o, &old.measures),
        (&n, &new.measures),
        |x| &x.meta,
        Side::measure,
    );
    items(
        &mut out,
        Kind::Page,
        (&o, &old.pages),
        (&n, &new.pages),
        |x| &x.meta,
        Side::page,
    );
    out
}

/// The entries of risk `new` of `site` against `old` (the same as
/// [`all`] would give for it): for the preview's edit of one risk.
pub(super) fn risk(cfg: &Config, old: &Snapshot, site: &Site, new: &RiskRecord) -> Vec<Entry> {
    let (o, n) = (Side::new(cfg, old), Side::site(cfg, site));
    let was: Vec<RiskRecord> = old
        .risks
        .iter()
        .filter(|r| r.meta.id == new.meta.id)
        .cloned()
        .collect();
    let mut out = Vec::new();
    let now = std::slice::from_ref(new);
    items(
        &mut out,
        Kind::Risk,
        (&o, &was),
        (&n, now),
        |x| &x.meta,
        Side::risk,
    );
    out
}

fn entry(kind: Kind, id: &str, title: &str, what: What, before: String, after: String) -> Entry {
    let words = match what {
        What::Body | What::Measures => word_diff(&before, &after),
        _ => Vec::new(),
    };
    Entry {
        kind,
        id: id.to_string(),
        title: title.to_string(),
        what,
        before,
        after,
        words,
    }
}

/// The differing fields of one item, title first.
fn fields(out: &mut Vec<Entry>, kind: Kind, id: &str, title: &str, old: Fields, new: Fields) {
    for ((what, before), (_, after)) in old.into_iter().zip(new) {
        if before.differs(&after) {
            out.push(entry(kind, id, title, what, before.text, after.text));
        }
    }
}

/// One kind's items: added, removed, and the changed fields of the rest,
/// by id.
fn items<'s, T>(
    out: &mut Vec<Entry>,
    kind: Kind,
    (o, old): (&Side<'s>, &'s [T]),
    (n, new): (&Side<'s>, &'s [T]),
    meta: impl Fn(&T) -> &Meta,
    describe: impl Fn(&Side<'s>, &T) -> Fields,
) {
    let by_id = |list: &'s [T]| -> BTreeMap<&'s str, &'s T> {
        list.iter().map(|x| (meta(x).id.as_str(), x)).collect()
    };
    let (ob, nb) = (by_id(old), by_id(new));
    let ids: BTreeSet<&str> = ob.keys().chain(nb.keys()).copied().collect();
    for id in ids {
        match (ob.get(id), nb.get(id)) {
            (None, Some(x)) => {
                let title = &meta(x).title;
                out.push(entry(
                    kind,
                    id,
                    title,
                    What::Added,
                    String::new(),
                    title.clone(),
                ));
            }
            (Some(x), None) => {
                let title = &meta(x).title;
                out.push(entry(
                    kind,
                    id,
                    title,
                    What::Removed,
                    title.clone(),
                    String::new(),
                ));
            }
            (Some(a), Some(b)) => {
                let (ma, mb) = (meta(a), meta(b));
                let mut fo: Fields = vec![(What::Title, ma.title.clone().into())];
                let mut fnew: Fields = vec![(What::Title, mb.title.clone().into())];
                fo.extend(describe(o, a));
                fnew.extend(describe(n, b));
                fields(out, kind, id, &mb.title, fo, fnew);
            }
            (None, None) => {}
        }
    }
}

/// Flows: as every kind, then their steps.
fn flows<'s>(
    out: &mut Vec<Entry>,
    (o, old): (&Side<'s>, &'s [Flow]),
    (n, new): (&Side<'s>, &'s [Flow]),
) {
    let mut flow_entries = Vec::new();
    items(
        &mut flow_entries,
        Kind::Flow,
        (o, old),
        (n, new),
        |x| &x.meta,
        Side::flow,
    );
    let mut steps_of: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for f in new {
        if let Some(of) = old.iter().find(|x| x.meta.id == f.meta.id) {
            steps_of.insert(f.meta.id.clone(), steps(o, of, n, f));
        }
    }
    // Each flow's own entries, then its steps'.
    let mut by_flow: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for e in flow_entries {
        by_flow.entry(e.id.clone()).or_default().push(e);
    }
    for (id, mut list) in steps_of {
        by_flow.entry(id).or_default().append(&mut list);
    }
    out.extend(by_flow.into_values().flatten());
}

/// The steps of a flow in both versions: added, removed, relinked or
/// changed, by step id.
fn steps(o: &Side, old: &Flow, n: &Side, new: &Flow) -> Vec<Entry> {
    let mut out = Vec::new();
    let (id, title) = (new.meta.id.as_str(), new.meta.title.as_str());
    let e = |what, before, after| entry(Kind::Flow, id, title, what, before, after);
    for s in &new.steps {
        match old.steps.iter().find(|x| x.id == s.id) {
            None => out.push(e(What::StepAdded, String::new(), n.step(s).text)),
            Some(was) => {
                let (a, b) = (o.step(was), n.step(s));
                if a.differs(&b) {
                    out.push(e(What::StepChanged, a.text, b.text));
                }
                let targets = |s: &Step| -> Vec<(String, Option<String>)> {
                    s.next
                        .iter()
                        .map(|x| (x.to.clone(), x.label.clone()))
                        .collect()
                };
                if targets(was) != targets(s) {
                    out.push(e(What::StepRelinked, o.links(old, was), n.links(new, s)));
                }
            }
        }
    }
    for s in &old.steps {
        if !new.steps.iter().any(|x| x.id == s.id) {
            out.push(e(What::StepRemoved, o.step(s).text, String::new()));
        }
    }
    out
}
