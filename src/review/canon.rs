//! An item's substantive content in canonical form, field by field: what a
//! review stamp's fingerprint is made of.
//!
//! Read from the model, so key order, quoting, comments in the front
//! matter and the way a list is written never count. Text has its white
//! space normalised (runs of spaces and single line breaks are one space,
//! paragraphs stay apart) and its HTML comments stripped, but scope markers
//! are kept (what an audience sees is substance). Lists keep their order.
//! A risk's measures include the title, phase, category and text of every
//! shared measure it cites, so editing a shared measure unreviews the risks
//! that cite it. Post holders are not content to review (personnel changes
//! need no new sign-off).

use crate::model::body::{comments, markers, MarkerKind};
use crate::model::{Department, Flow, Kind, MeasureUse, Meta, Post, Power, Risk, Site};

/// One field's canonical text, by its front-matter key.
pub type Fields = Vec<(&'static str, String)>;

/// The fingerprinted fields of each stamped kind, in the order their
/// digests are written in a stamp. Changing a list unreviews every item
/// of the kind.
pub fn field_names(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Risk => &[
            "title",
            "type",
            "grade",
            "likelihood",
            "impact",
            "tier",
            "department",
            "posts",
            "power",
            "owner",
            "measures",
            "basis",
            "body",
            "scope",
        ],
        Kind::Measure => &["title", "phase", "category", "body", "scope"],
        Kind::Power => &[
            "title",
            "category",
            "basis",
            "department",
            "posts",
            "time_limit",
            "materials",
            "fee",
            "flow",
            "body",
            "scope",
        ],
        Kind::Flow => &["title", "power", "steps", "body", "scope"],
        Kind::Post => &[
            "title",
            "department",
            "level",
            "key",
            "high_risk",
            "reports_to",
            "incompatible",
            "rotation_years",
            "body",
            "scope",
        ],
        Kind::Department => &["title", "head", "parent", "body", "scope"],
        Kind::Notice | Kind::Page => &[],
    }
}

/// Separates list items and parts of a record (never in normalised text).
const ITEM: char = '\u{1f}';
const PART: char = '\u{1e}';

/// Text with white space normalised: each paragraph's runs of white space
/// one space, paragraphs (split at blank lines) joined by one blank line.
pub fn text(s: &str) -> String {
    if !s.contains(char::is_whitespace) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for para in s.split("\n\n") {
        let words: Vec<&str> = para.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&words.join(" "));
    }
    out
}

/// A Markdown field: HTML comments out (scope markers stay), then [`text`].
pub fn markdown(s: &str) -> String {
    let found = comments(s);
    if found.is_empty() {
        return text(s);
    }
    let kept: Vec<(usize, usize)> = markers(s)
        .into_iter()
        .filter(|m| m.kind != MarkerKind::Malformed)
        .map(|m| m.at)
        .collect();
    let mut out = String::with_capacity(s.len());
    let mut pos = 0;
    for (a, b) in found {
        if kept.contains(&(a, b)) {
            continue;
        }
        out.push_str(&s[pos..a]);
        pos = b;
    }
    out.push_str(&s[pos..]);
    text(&out)
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(text).unwrap_or_default()
}

fn list(v: &[String]) -> String {
    v.iter()
        .map(|s| text(s))
        .collect::<Vec<_>>()
        .join(&ITEM.to_string())
}

fn parts(v: &[String]) -> String {
    v.join(&PART.to_string())
}

/// Title, body and scope (by name): what every kind has.
fn common(site: &Site, m: &Meta, out: &mut Fields) {
    out.push(("title", text(&m.title)));
    out.push(("body", markdown(&m.body)));
    let scope = site.config.scopes.get(m.scope).map(|s| s.name.clone());
    out.push(("scope", scope.unwrap_or_default()));
}

fn risk(site: &Site, r: &Risk) -> Fields {
    let grade = site.config.grades.get(r.grade);
    // an owner that is the grade's own (from the config) follows the
    // grade, and a changed grade is named as such
    let owner = match grade {
        Some(g) if g.owner == r.owner => String::new(),
        _ => opt(&r.owner),
    };
    let grade = grade.map(|g| g.name.clone());
    let num = |n: Option<u8>| n.map(|n| n.to_string()).unwrap_or_default();
    let measures: Vec<String> = r
        .measures
        .iter()
        .map(|m| match m {
            MeasureUse::Inline {
                phase,
                category,
                text: t,
            } => parts(&["inline".into(), opt(phase), opt(category), markdown(t)]),
            MeasureUse::Shared { id } => match site.measure(id) {
                Some(s) => parts(&[
                    "shared".into(),
                    id.clone(),
                    text(&s.meta.title),
                    opt(&s.phase),
                    opt(&s.category),
                    markdown(&s.meta.body),
                ]),
                None => parts(&["shared".into(), id.clone()]),
            },
        })
        .collect();
    let mut out = vec![
        ("type", text(&r.risk_type)),
        ("grade", grade.unwrap_or_default()),
        ("likelihood", num(r.likelihood)),
        ("impact", num(r.impact)),
        ("tier", opt(&r.tier)),
        ("department", opt(&r.department)),
        ("posts", list(&r.posts)),
        ("power", opt(&r.power)),
        ("owner", owner),
        ("measures", measures.join(&ITEM.to_string())),
        ("basis", list(&r.basis)),
    ];
    common(site, &r.meta, &mut out);
    out
}

fn power(site: &Site, p: &Power) -> Fields {
    let mut out = vec![
        ("category", opt(&p.category)),
        ("basis", list(&p.basis)),
        ("department", opt(&p.department)),
        ("posts", list(&p.posts)),
        ("time_limit", opt(&p.time_limit)),
        ("materials", list(&p.materials)),
        ("fee", opt(&p.fee)),
        ("flow", opt(&p.flow)),
    ];
    common(site, &p.meta, &mut out);
    out
}

fn flow(site: &Site, f: &Flow) -> Fields {
    let steps: Vec<String> = f
        .steps
        .iter()
        .map(|s| {
            let next: Vec<String> = s
                .next
                .iter()
                .map(|n| format!("{}>{}", n.to, opt(&n.label)))
                .collect();
            parts(&[
                s.id.clone(),
                text(&s.label),
                opt(&s.post),
                format!("{:?}", s.kind),
                list(&s.risks),
                list(&next),
                opt(&s.time_limit),
            ])
        })
        .collect();
    let mut out = vec![
        ("power", opt(&f.power)),
        ("steps", steps.join(&ITEM.to_string())),
    ];
    common(site, &f.meta, &mut out);
    out
}

fn post(site: &Site, p: &Post) -> Fields {
    let mut out = vec![
        ("department", opt(&p.department)),
        ("level", opt(&p.level)),
        ("key", p.key.to_string()),
        ("high_risk", p.high_risk.to_string()),
        ("reports_to", opt(&p.reports_to)),
        ("incompatible", list(&p.incompatible)),
        (
            "rotation_years",
            p.rotation_years.map(|n| n.to_string()).unwrap_or_default(),
        ),
    ];
    common(site, &p.meta, &mut out);
    out
}

fn department(site: &Site, d: &Department) -> Fields {
    let mut out = vec![("head", opt(&d.head)), ("parent", opt(&d.parent))];
    common(site, &d.meta, &mut out);
    out
}

/// The canonical fields of item `id` of `kind`, in [`field_names`] order;
/// `None` when there is no such stamped item.
pub fn fields(site: &Site, kind: Kind, id: &str) -> Option<Fields> {
    let found = match kind {
        Kind::Risk => risk(site, site.risk(id)?),
        Kind::Measure => {
            let m = site.measure(id)?;
            let mut out = vec![("phase", opt(&m.phase)), ("category", opt(&m.category))];
            common(site, &m.meta, &mut out);
            out
        }
        Kind::Power => power(site, site.power(id)?),
        Kind::Flow => flow(site, site.flow(id)?),
        Kind::Post => post(site, site.post(id)?),
        Kind::Department => department(site, site.department(id)?),
        Kind::Notice | Kind::Page => return None,
    };
    let names = field_names(kind);
    let mut ordered: Fields = Vec::with_capacity(names.len());
    for name in names {
        let value = found
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone());
        ordered.push((name, value.unwrap_or_default()));
    }
    Some(ordered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_and_comments_do_not_count_but_markers_do() {
        assert_eq!(text("  a  b\nc\n\n\n d "), "a b c\n\nd");
        assert_eq!(markdown("甲<!-- 备注 -->乙"), markdown("甲乙"));
        let marked = "甲<!-- scope: internal -->乙<!-- /scope -->";
        assert_ne!(markdown(marked), markdown("甲乙"));
    }
}
