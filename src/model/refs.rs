//! The references of every item, listed once: each field that names
//! another item by id. `check` reports the dangling and narrower ones,
//! the scope filter drops those the audience does not see, and the
//! back-links ([`super::Links`]) are computed from them.
//!
//! Each kind's fields are destructured without `..` in both [`Refs`]
//! methods, so a field added to an item does not compile until it is
//! named here (as a reference, with its [`Field`], or as `_`). A new
//! [`Field`] in turn does not compile until the back-links' exhaustive
//! `match` says what it links. `[[ID]]` links in Markdown fields are
//! references too; they live in text, so `model/texts.rs` lists those.

use super::{
    item_lists, Department, Flow, Kind, Measure, MeasureUse, Meta, Page, Post, Power, Risk, Site,
    Step,
};
use std::fmt;

/// One field that names another item, with its place in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    DepartmentHead,
    DepartmentParent,
    PostDepartment,
    PostReportsTo,
    PostIncompatible(usize),
    PowerDepartment,
    PowerPost(usize),
    PowerFlow,
    FlowPower,
    /// `steps.<step>.post`
    StepPost(usize),
    /// `steps.<step>.risks.<i>`
    StepRisk(usize, usize),
    RiskDepartment,
    RiskPost(usize),
    RiskPower,
    /// `measures.<i>.ref`: a shared measure.
    RiskMeasure(usize),
}

impl Field {
    /// The kind of item the field names.
    pub fn kind(self) -> Kind {
        use Field::*;
        match self {
            DepartmentParent | PostDepartment | PowerDepartment | RiskDepartment => {
                Kind::Department
            }
            DepartmentHead | PostReportsTo | PostIncompatible(_) | PowerPost(_) | StepPost(_)
            | RiskPost(_) => Kind::Post,
            FlowPower | RiskPower => Kind::Power,
            PowerFlow => Kind::Flow,
            StepRisk(..) => Kind::Risk,
            RiskMeasure(_) => Kind::Measure,
        }
    }
}

/// The field's path in its source file (`steps.2.risks.0`), as
/// diagnostics locate it.
impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Field::*;
        match self {
            DepartmentHead => f.write_str("head"),
            DepartmentParent => f.write_str("parent"),
            PostDepartment | PowerDepartment | RiskDepartment => f.write_str("department"),
            PostReportsTo => f.write_str("reports_to"),
            PostIncompatible(i) => write!(f, "incompatible.{i}"),
            PowerPost(i) | RiskPost(i) => write!(f, "posts.{i}"),
            PowerFlow => f.write_str("flow"),
            FlowPower | RiskPower => f.write_str("power"),
            StepPost(s) => write!(f, "steps.{s}.post"),
            StepRisk(s, i) => write!(f, "steps.{s}.risks.{i}"),
            RiskMeasure(i) => write!(f, "measures.{i}.ref"),
        }
    }
}

/// The references of one item.
pub trait Refs {
    /// Calls `v` with each reference, in the order the fields are written.
    fn refs<'a>(&'a self, v: &mut dyn FnMut(Field, &'a str));
    /// Keeps the references `keep` accepts: a single one it refuses
    /// becomes `None`, a listed one leaves its list. `keep` sees each
    /// reference once, with its place before anything was removed.
    fn retain_refs(&mut self, keep: &mut dyn FnMut(Field, &str) -> bool);
}

fn one<'a>(v: &mut dyn FnMut(Field, &'a str), f: Field, id: &'a Option<String>) {
    if let Some(id) = id {
        v(f, id);
    }
}

fn many<'a>(v: &mut dyn FnMut(Field, &'a str), f: fn(usize) -> Field, ids: &'a [String]) {
    for (i, id) in ids.iter().enumerate() {
        v(f(i), id);
    }
}

fn keep_one(keep: &mut dyn FnMut(Field, &str) -> bool, f: Field, id: &mut Option<String>) {
    if id.as_deref().is_some_and(|x| !keep(f, x)) {
        *id = None;
    }
}

fn keep_many(
    keep: &mut dyn FnMut(Field, &str) -> bool,
    f: fn(usize) -> Field,
    ids: &mut Vec<String>,
) {
    let mut i = 0;
    ids.retain(|x| {
        i += 1;
        keep(f(i - 1), x)
    });
}

impl Refs for Department {
    fn refs<'a>(&'a self, v: &mut dyn FnMut(Field, &'a str)) {
        let Department {
            meta: _,
            head,
            parent,
        } = self;
        one(v, Field::DepartmentHead, head);
        one(v, Field::DepartmentParent, parent);
    }
    fn retain_refs(&mut self, keep: &mut dyn FnMut(Field, &str) -> bool) {
        let Department {
            meta: _,
            head,
            parent,
        } = self;
        keep_one(keep, Field::DepartmentHead, head);
        keep_one(keep, Field::DepartmentParent, parent);
    }
}

impl Refs for Post {
    fn refs<'a>(&'a self, v: &mut dyn FnMut(Field, &'a str)) {
        #[rustfmt::skip]
        let Post {
            meta: _, level: _, key: _, high_risk: _, rotation_years: _, holders: _,
            department, reports_to, incompatible,
        } = self;
        one(v, Field::PostDepartment, department);
        one(v, Field::PostReportsTo, reports_to);
        many(v, Field::PostIncompatible, incompatible);
    }
    fn retain_refs(&mut self, keep: &mut dyn FnMut(Field, &str) -> bool) {
        #[rustfmt::skip]
        let Post {
            meta: _, level: _, key: _, high_risk: _, rotation_years: _, holders: _,
            department, reports_to, incompatible,
        } = self;
        keep_one(keep, Field::PostDepartment, department);
        keep_one(keep, Field::PostReportsTo, reports_to);
        keep_many(keep, Field::PostIncompatible, incompatible);
    }
}

impl Refs for Power {
    fn refs<'a>(&'a self, v: &mut dyn FnMut(Field, &'a str)) {
        #[rustfmt::skip]
        let Power {
            meta: _, category: _, basis: _, time_limit: _, materials: _, fee: _,
            department, posts, flow,
        } = self;
        one(v, Field::PowerDepartment, department);
        many(v, Field::PowerPost, posts);
        one(v, Field::PowerFlow, flow);
    }
    fn retain_refs(&mut self, keep: &mut dyn FnMut(Field, &str) -> bool) {
        #[rustfmt::skip]
        let Power {
            meta: _, category: _, basis: _, time_limit: _, materials: _, fee: _,
            department, posts, flow,
        } = self;
        keep_one(keep, Field::PowerDepartment, department);
        keep_many(keep, Field::PowerPost, posts);
        keep_one(keep, Field::PowerFlow, flow);
    }
}

impl Refs for Flow {
    fn refs<'a>(&'a self, v: &mut dyn FnMut(Field, &'a str)) {
        let Flow {
            meta: _,
            power,
            steps,
        } = self;
        one(v, Field::FlowPower, power);
        for (s, step) in steps.iter().enumerate() {
            #[rustfmt::skip]
            let Step { id: _, label: _, kind: _, next: _, time_limit: _, post, risks } = step;
            one(v, Field::StepPost(s), post);
            for (i, id) in risks.iter().enumerate() {
                v(Field::StepRisk(s, i), id);
            }
        }
    }
    fn retain_refs(&mut self, keep: &mut dyn FnMut(Field, &str) -> bool) {
        let Flow {
            meta: _,
            power,
            steps,
        } = self;
        keep_one(keep, Field::FlowPower, power);
        for (s, step) in steps.iter_mut().enumerate() {
            #[rustfmt::skip]
            let Step { id: _, label: _, kind: _, next: _, time_limit: _, post, risks } = step;
            keep_one(keep, Field::StepPost(s), post);
            let mut i = 0;
            risks.retain(|x| {
                i += 1;
                keep(Field::StepRisk(s, i - 1), x)
            });
        }
    }
}

/// The shared measure a measure use names, if it is one.
fn shared(m: &MeasureUse) -> Option<&str> {
    match m {
        MeasureUse::Shared { id } => Some(id),
        #[rustfmt::skip]
        MeasureUse::Inline { phase: _, category: _, text: _ } => None,
    }
}

impl Refs for Risk {
    fn refs<'a>(&'a self, v: &mut dyn FnMut(Field, &'a str)) {
        #[rustfmt::skip]
        let Risk {
            meta: _, risk_type: _, grade: _, likelihood: _, impact: _, tier: _, owner: _,
            basis: _, reviewed: _,
            department, posts, power, measures,
        } = self;
        one(v, Field::RiskDepartment, department);
        many(v, Field::RiskPost, posts);
        one(v, Field::RiskPower, power);
        for (i, m) in measures.iter().enumerate() {
            if let Some(id) = shared(m) {
                v(Field::RiskMeasure(i), id);
            }
        }
    }
    fn retain_refs(&mut self, keep: &mut dyn FnMut(Field, &str) -> bool) {
        #[rustfmt::skip]
        let Risk {
            meta: _, risk_type: _, grade: _, likelihood: _, impact: _, tier: _, owner: _,
            basis: _, reviewed: _,
            department, posts, power, measures,
        } = self;
        keep_one(keep, Field::RiskDepartment, department);
        keep_many(keep, Field::RiskPost, posts);
        keep_one(keep, Field::RiskPower, power);
        let mut i = 0;
        measures.retain(|m| {
            i += 1;
            shared(m).is_none_or(|id| keep(Field::RiskMeasure(i - 1), id))
        });
    }
}

/// Shared measures and pages name no other item (yet: a field added to
/// them is named here, like the others').
impl Refs for Measure {
    fn refs<'a>(&'a self, _: &mut dyn FnMut(Field, &'a str)) {
        let Measure {
            meta: _,
            phase: _,
            category: _,
        } = self;
    }
    fn retain_refs(&mut self, _: &mut dyn FnMut(Field, &str) -> bool) {
        let Measure {
            meta: _,
            phase: _,
            category: _,
        } = self;
    }
}

impl Refs for Page {
    fn refs<'a>(&'a self, _: &mut dyn FnMut(Field, &'a str)) {
        let Page { meta: _, weight: _ } = self;
    }
    fn retain_refs(&mut self, _: &mut dyn FnMut(Field, &str) -> bool) {
        let Page { meta: _, weight: _ } = self;
    }
}

impl Site {
    /// Every reference of the site with the item making it, in kind
    /// order, then id order, then field order.
    pub fn refs<'a>(&'a self, mut v: impl FnMut(&'a Meta, Field, &'a str)) {
        macro_rules! each {
            ($($kind:ident $list:ident),*) => {$(
                for x in &self.$list {
                    x.refs(&mut |f, id| v(&x.meta, f, id));
                }
            )*};
        }
        item_lists!(each);
    }

    /// Keeps only the references to items `keep` accepts (by kind and
    /// id), in every item (in parallel).
    pub fn retain_refs(&mut self, keep: impl Fn(Kind, &str) -> bool + Sync) {
        use rayon::prelude::*;
        macro_rules! each {
            ($($kind:ident $list:ident),*) => {$(
                self.$list
                    .par_iter_mut()
                    .for_each(|x| x.retain_refs(&mut |f, id| keep(f.kind(), id)));
            )*};
        }
        item_lists!(each);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn risk() -> Risk {
        let inline = MeasureUse::Inline {
            phase: None,
            category: None,
            text: "t".into(),
        };
        Risk {
            meta: Meta {
                id: "R-1".into(),
                title: "t".into(),
                scope: 0,
                body: String::new(),
                src: 0,
                review: None,
            },
            risk_type: "x".into(),
            grade: 0,
            likelihood: None,
            impact: None,
            tier: None,
            department: Some("D".into()),
            posts: vec!["P1".into(), "P2".into()],
            power: Some("Q".into()),
            owner: Some("张三".into()),
            measures: vec![inline, MeasureUse::Shared { id: "M".into() }],
            basis: vec!["《条例》".into()],
            reviewed: None,
        }
    }

    fn listed(r: &Risk) -> Vec<String> {
        let mut out = Vec::new();
        r.refs(&mut |f, id| out.push(format!("{f}={id}")));
        out
    }

    #[test]
    fn both_methods_see_the_same_references() {
        let mut r = risk();
        let read = listed(&r);
        assert_eq!(
            read,
            [
                "department=D",
                "posts.0=P1",
                "posts.1=P2",
                "power=Q",
                "measures.1.ref=M"
            ]
        );
        let mut seen = Vec::new();
        r.retain_refs(&mut |f, id| {
            seen.push(format!("{f}={id}"));
            true
        });
        assert_eq!(seen, read);
        assert_eq!(listed(&r), read, "keeping all changed nothing");
    }

    #[test]
    fn refused_references_go_and_nothing_else() {
        let mut r = risk();
        r.retain_refs(&mut |f, id| f.kind() == Kind::Post && id == "P2");
        assert_eq!(listed(&r), ["posts.0=P2"]);
        assert_eq!(r.owner.as_deref(), Some("张三"), "not a reference");
        assert_eq!(r.measures.len(), 1, "the inline measure stays");
        assert_eq!(r.basis, ["《条例》"]);
    }
}
