//! Stage 3, check: everything SPEC §7 asks of a site, over the whole
//! (unfiltered) model. Field-level problems were already found while the
//! model was built; here are references, flows, people and bodies.

mod body;
mod flows;
mod refs;
pub mod review;
mod unfinished;

use crate::diag::{Code, Diagnostic, Location};
use crate::model::Site;

/// Runs every cross-item check.
pub fn run(site: &Site) -> Vec<Diagnostic> {
    // Bodies are most of the work: they are checked in parallel, beside
    // the rest; the findings keep one order either way.
    let one = |f: fn(&Site, &mut Vec<Diagnostic>)| {
        let mut out = Vec::new();
        f(site, &mut out);
        out
    };
    let (mut out, bodies) = rayon::join(
        || {
            let mut out = one(refs::check);
            out.extend(one(flows::check));
            out
        },
        || body::check(site),
    );
    out.extend(bodies);
    people(site, &crate::today(), &mut out);
    risks(site, &mut out);
    unfinished::check(site, &mut out);
    contrast(site, &mut out);
    portal(site, &mut out);
    review::check(site, &mut out);
    out
}

/// A government site's footer fields left empty (W120), its badge image
/// missing (W121).
fn portal(site: &Site, out: &mut Vec<Diagnostic>) {
    let p = &site.config.portal;
    for key in p.missing() {
        let at = p.at.get(key).cloned();
        let at = at.unwrap_or_else(|| Location::file_only(crate::config::FILE));
        out.push(
            Diagnostic::new(Code::PortalMissing, Some(at))
                .arg("field", key)
                .arg(
                    "name",
                    crate::i18n::tr(site.config.lang(), &format!("ui.portal_{key}"), &[]),
                ),
        );
    }
    if let Some(at) = &p.badge_missing {
        out.push(
            Diagnostic::new(Code::PortalBadgeMissing, Some(at.clone()))
                .arg("path", p.badge.clone().unwrap_or_default()),
        );
    }
}

/// A person holding two incompatible posts; holders due for rotation.
fn people(site: &Site, today: &str, out: &mut Vec<Diagnostic>) {
    for p in &site.posts {
        let src = &site.sources[p.meta.src];
        for (i, other_id) in p.incompatible.iter().enumerate() {
            let Some(other) = site.post(other_id) else {
                continue;
            };
            // Report each pair once, from the post with the smaller id,
            // unless only the other side lists the pair.
            let listed_both = other.incompatible.iter().any(|x| x == &p.meta.id);
            if listed_both && other.meta.id < p.meta.id {
                continue;
            }
            for h in &p.holders {
                if other.holders.iter().any(|o| o.name == h.name) {
                    out.push(
                        Diagnostic::new(
                            Code::IncompatibleHeld,
                            Some(src.field(&format!("incompatible.{i}"))),
                        )
                        .arg("name", h.name.clone())
                        .arg("post", p.meta.title.clone())
                        .arg("other", other.meta.title.clone()),
                    );
                }
            }
        }
        let Some(years) = p.rotation_years else {
            continue;
        };
        for (i, h) in p.holders.iter().enumerate() {
            let Some(since) = &h.since else { continue };
            if let Some(due) = add_years(since, years) {
                if due.as_str() <= today {
                    out.push(
                        Diagnostic::new(
                            Code::RotationDue,
                            Some(src.field(&format!("holders.{i}.since"))),
                        )
                        .arg("name", h.name.clone())
                        .arg("since", since.clone())
                        .arg("years", years.to_string()),
                    );
                }
            }
        }
    }
}

fn add_years(date: &str, years: u32) -> Option<String> {
    let y: u32 = date.get(0..4)?.parse().ok()?;
    Some(format!("{:04}{}", y + years, date.get(4..)?))
}

/// The checks that concern one risk's own text: its Markdown fields and
/// [`risk`]'s. `serve` runs them on an edited risk whose references, and
/// so every other check's findings, stay as they were.
pub fn one_risk(site: &Site, r: &crate::model::Risk) -> Vec<Diagnostic> {
    use crate::model::{Markdown, Text};
    let mut out = Vec::new();
    let fields: Vec<Text> = r
        .markdown()
        .into_iter()
        .map(|(place, text)| Text {
            src: r.meta.src,
            scope: r.meta.scope,
            place,
            text,
        })
        .collect();
    for t in &fields {
        body::one(site, t, &mut out);
    }
    body::front_matter(site, r.meta.src, &fields, &mut out);
    risk(site, r, &mut out);
    unfinished::one(site, r.meta.src, &mut out);
    out
}

fn risks(site: &Site, out: &mut Vec<Diagnostic>) {
    for r in &site.risks {
        risk(site, r, out);
    }
}

/// A risk with no measure; a top-grade risk with no owner.
fn risk(site: &Site, r: &crate::model::Risk, out: &mut Vec<Diagnostic>) {
    let src = &site.sources[r.meta.src];
    if r.measures.is_empty() {
        out.push(
            Diagnostic::new(Code::NoMeasure, Some(src.field_key("measures")))
                .arg("id", r.meta.id.clone()),
        );
    }
    // the grade as written, or the score it follows from
    let grade_field = match src.spans.get("grade") {
        Some(_) => "grade",
        None => "likelihood",
    };
    if r.grade == 0 && r.owner.as_deref().is_none_or(|o| o.trim().is_empty()) {
        out.push(
            Diagnostic::new(Code::TopGradeNoOwner, Some(src.field(grade_field)))
                .arg("id", r.meta.id.clone())
                .arg("grade", site.config.grades[0].name.clone()),
        );
    }
}

/// Grade colours whose badge text cannot reach 4.5:1 with black or white.
fn contrast(site: &Site, out: &mut Vec<Diagnostic>) {
    for g in &site.config.grades {
        let (ratio, _) = crate::color::badge_text(&g.color);
        if ratio < 4.5 {
            out.push(
                Diagnostic::new(
                    Code::LowContrast,
                    Some(
                        g.color_at
                            .clone()
                            .unwrap_or_else(|| Location::file_only(crate::config::FILE)),
                    ),
                )
                .arg("grade", g.name.clone())
                .arg("color", g.color.clone())
                .arg("ratio", format!("{ratio:.2}")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_due_date() {
        assert_eq!(add_years("2019-03-01", 5).as_deref(), Some("2024-03-01"));
    }
}
