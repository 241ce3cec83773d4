//! View data: the filtered model turned into what templates show —
//! titles instead of ids, hrefs, grade colours, Markdown as HTML. Built
//! once per audience and shared by every page that shows an item.

use super::markdown;
use crate::color::badge_text;
use crate::model::{Kind, MeasureUse, Site};
use serde::Serialize;
use std::collections::BTreeMap;

/// A link to another item; `href` is relative to the version root.
#[derive(Debug, Clone, Serialize)]
pub struct Ref {
    pub id: String,
    pub title: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GradeView {
    pub rank: usize,
    pub name: String,
    pub color: String,
    /// Badge text colour with enough contrast on `color`.
    pub text: String,
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasureItem {
    pub category: Option<String>,
    pub html: String,
    /// Set for a shared measure.
    pub shared: Option<Ref>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseGroup {
    pub phase: String,
    pub items: Vec<MeasureItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepPlace {
    pub flow: Ref,
    pub step: String,
    pub label: String,
}

/// A risk as templates show it. Templates read `link`'s fields at the top
/// level (`r.id`, `r.title`, `r.href`).
#[derive(Debug, Clone)]
pub struct RiskView {
    pub link: Ref,
    pub risk_type: String,
    pub grade: GradeView,
    pub likelihood: Option<u8>,
    pub impact: Option<u8>,
    pub score: Option<u32>,
    pub tier: Option<String>,
    pub department: Option<Ref>,
    pub posts: Vec<Ref>,
    pub power: Option<Ref>,
    pub powers: Vec<Ref>,
    pub owner: Option<String>,
    pub phases: Vec<PhaseGroup>,
    pub measure_count: usize,
    pub basis: Vec<String>,
    pub reviewed: Option<String>,
    /// The 待复核 badge (audiences that see review state only).
    pub review: Option<ReviewMark>,
    pub places: Vec<StepPlace>,
    /// The risk's register row as pages one folder down show it (the
    /// theme's `risk_row`), made once; `None` without that component.
    pub row: Option<Html>,
    /// The body (风险表现) as HTML for a page one folder down; not a
    /// template value (`risk.html` gets it as `html`).
    pub body_html: String,
    /// The template value list pages place for the risk when the theme's
    /// list templates read no more than its entry (see [`Listing`]), made
    /// once; `None`: they get the whole view.
    pub listed: Option<tera::Value>,
}

/// Written field by field, as a struct of known size: the template
/// engine's serialiser then sizes each map once (a flattened `link` made
/// it grow a map key by key, on every page that lists the risk).
impl Serialize for RiskView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let RiskView {
            link,
            risk_type,
            grade,
            likelihood,
            impact,
            score,
            tier,
            department,
            posts,
            power,
            powers,
            owner,
            phases,
            measure_count,
            basis,
            reviewed,
            review,
            places,
            row,
            body_html: _,
            listed: _,
        } = self;
        let mut m = s.serialize_struct("RiskView", 21)?;
        m.serialize_field("id", &link.id)?;
        m.serialize_field("title", &link.title)?;
        m.serialize_field("href", &link.href)?;
        m.serialize_field("risk_type", risk_type)?;
        m.serialize_field("grade", grade)?;
        m.serialize_field("likelihood", likelihood)?;
        m.serialize_field("impact", impact)?;
        m.serialize_field("score", score)?;
        m.serialize_field("tier", tier)?;
        m.serialize_field("department", department)?;
        m.serialize_field("posts", posts)?;
        m.serialize_field("power", power)?;
        m.serialize_field("powers", powers)?;
        m.serialize_field("owner", owner)?;
        m.serialize_field("phases", phases)?;
        m.serialize_field("measure_count", measure_count)?;
        m.serialize_field("basis", basis)?;
        m.serialize_field("reviewed", reviewed)?;
        m.serialize_field("review", review)?;
        m.serialize_field("places", places)?;
        m.serialize_field("row", row)?;
        m.end()
    }
}

/// The fields of a [`RiskView`] that the built-in register templates read
/// (the `risk_row` component and `booklet-department.html`), under the same
/// names: not the measures, places or prepared row, the largest parts of a
/// view. A site's own copy of those templates gets the whole view.
#[derive(Serialize)]
pub struct RiskHead<'a> {
    id: &'a str,
    title: &'a str,
    href: &'a str,
    grade: &'a GradeView,
    risk_type: &'a str,
    tier: &'a Option<String>,
    likelihood: Option<u8>,
    impact: Option<u8>,
    score: Option<u32>,
    department: &'a Option<Ref>,
    posts: &'a [Ref],
    powers: &'a [Ref],
    owner: &'a Option<String>,
    measure_count: usize,
    basis: &'a [String],
    review: &'a Option<ReviewMark>,
}

impl RiskView {
    /// What the built-in register templates read of it.
    pub fn head(&self) -> RiskHead<'_> {
        RiskHead {
            id: &self.link.id,
            title: &self.link.title,
            href: &self.link.href,
            grade: &self.grade,
            risk_type: &self.risk_type,
            tier: &self.tier,
            likelihood: self.likelihood,
            impact: self.impact,
            score: self.score,
            department: &self.department,
            posts: &self.posts,
            powers: &self.powers,
            owner: &self.owner,
            measure_count: self.measure_count,
            basis: &self.basis,
            review: &self.review,
        }
    }
}

/// What list pages need of each risk they list, as the theme says
/// (`Theme::listing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// The whole view: a site's own template may read any field.
    Whole,
    /// Its entry: id, title, href, grade and the prepared `row` (what the
    /// built-in list templates read of a listed risk).
    Entry,
}

/// A risk in a page's list: its entry made once when the theme lists by
/// entry, else the whole view.
pub struct Listed<'a>(pub &'a RiskView);

impl Serialize for Listed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0.listed {
            Some(entry) => entry.serialize(s),
            None => self.0.serialize(s),
        }
    }
}

/// A listed risk's entry (see [`Listing::Entry`]).
#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    title: &'a str,
    href: &'a str,
    grade: &'a GradeView,
    row: &'a Html,
}

/// HTML made once per build and placed by many pages (a risk's register
/// row): the template engine's value of it is shared by every page that
/// places it, not copied into each.
#[derive(Debug, Clone)]
pub struct Html(tera::Value);

impl Html {
    pub fn new(html: &str) -> Html {
        Html(tera::Value::safe_string(html))
    }
}

impl Serialize for Html {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// Makes a risk's register row (see [`RiskView::row`]).
pub type RowMaker<'a> = &'a (dyn Fn(&RiskView) -> Option<Html> + Sync);

/// A 待复核 badge: an unreviewed item, on an audience that sees review
/// state (`Site::reviews` is `None` for the widest, so never there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewMark {
    /// `never`, `unverified` or `changed`.
    pub state: &'static str,
    /// The badge's words: 待复核, or 待复核：风险等级、正文已改动.
    pub text: String,
}

/// The 待复核 badge of item `id` of `kind`; `None` when reviewed, not
/// stamped, or the audience does not see review state.
pub fn review_mark(site: &Site, kind: Kind, id: &str) -> Option<ReviewMark> {
    use crate::i18n::tr;
    use crate::model::ReviewState;
    let lang = site.config.lang();
    let plain = || tr(lang, "pending.badge", &[]);
    let (state, text) = match site.reviews.as_ref()?.state(kind, id)? {
        ReviewState::Current => return None,
        ReviewState::Never => ("never", plain()),
        ReviewState::Unverified => ("unverified", plain()),
        ReviewState::Changed { fields } if fields.is_empty() => ("changed", plain()),
        ReviewState::Changed { fields } => {
            let names: Vec<String> = fields
                .iter()
                .map(|f| tr(lang, &format!("pending.field.{f}"), &[]))
                .collect();
            let sep = tr(lang, "pending.field_sep", &[]);
            let fields = names.join(&sep);
            (
                "changed",
                tr(lang, "pending.badge_changed", &[("fields", fields)]),
            )
        }
    };
    Some(ReviewMark { state, text })
}

/// A view together with the template engine's value of it, made once per
/// build: every page that shows the view gets a clone of that value, whose
/// lists, maps and long strings are shared, instead of serialising the view
/// again. Used for what every page gets (`page_data::Common`). Not for the
/// risks: a value per risk held a second copy of every view (70 MB at
/// 10,000 risks) and cost more than serialising them where listed, now
/// that list tables place each risk's prepared `row`. Reads as the view.
#[derive(Debug, Clone)]
pub struct Shown<T> {
    view: T,
    value: tera::Value,
}

impl<T: Serialize> Shown<T> {
    pub fn new(view: T) -> Shown<T> {
        // A view is plain data (strings, numbers, lists, structs): the
        // template engine's serialiser takes every such value.
        let value = tera::Value::from_serializable(&view);
        Shown { view, value }
    }

    /// The template engine's value of the view.
    pub fn value(&self) -> &tera::Value {
        &self.value
    }
}

impl<T> std::ops::Deref for Shown<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.view
    }
}

/// Serialised into a template context, the stored value is cloned (shared);
/// into anything else (`data.json`, tests), it writes the same fields.
impl<T> Serialize for Shown<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

/// Everything templates may show, by kind and id.
#[derive(Clone)]
pub struct Views {
    pub grades: Vec<GradeView>,
    pub risks: Vec<RiskView>,
    refs: BTreeMap<(Kind, String), Ref>,
}

/// The href of an item's page, relative to the version root.
pub fn href(kind: Kind, id: &str) -> String {
    format!("{}/{id}.html", kind.folder())
}

/// The config's grades as templates show them.
pub fn grade_views(config: &crate::config::Config) -> Vec<GradeView> {
    config
        .grades
        .iter()
        .enumerate()
        .map(|(rank, g)| GradeView {
            rank,
            name: g.name.clone(),
            color: g.color.clone(),
            text: badge_text(&g.color).1.to_string(),
            owner: g.owner.clone(),
        })
        .collect()
}

impl Views {
    pub fn build(site: &Site, row: RowMaker, listing: Listing) -> Views {
        let grades = grade_views(&site.config);
        let mut refs = BTreeMap::new();
        for (kind, m) in site.metas() {
            refs.insert(
                (kind, m.id.clone()),
                Ref {
                    id: m.id.clone(),
                    title: m.title.clone(),
                    href: href(kind, &m.id),
                },
            );
        }
        let mut v = Views {
            grades,
            risks: Vec::new(),
            refs,
        };
        // Markdown is the costly part; every risk's is rendered once, in parallel.
        v.risks = {
            use rayon::prelude::*;
            site.risks
                .par_iter()
                .map(|r| v.risk(site, r, row, listing))
                .collect()
        };
        v
    }

    /// Rebuilds the view of `site.risks[i]` after that risk was edited
    /// (same id and title; see `serve::patch`).
    pub fn set_risk(&mut self, site: &Site, i: usize, row: RowMaker, listing: Listing) {
        self.risks[i] = self.risk(site, &site.risks[i], row, listing);
    }

    /// A link to the item `id` of `kind`, if the audience sees it.
    pub fn r(&self, kind: Kind, id: &str) -> Option<Ref> {
        self.refs.get(&(kind, id.to_string())).cloned()
    }

    pub fn rs(&self, kind: Kind, ids: &[String]) -> Vec<Ref> {
        ids.iter().filter_map(|id| self.r(kind, id)).collect()
    }

    pub fn ro(&self, kind: Kind, id: &Option<String>) -> Option<Ref> {
        id.as_deref().and_then(|id| self.r(kind, id))
    }

    /// Markdown for a page at depth `root` ("" or "../").
    pub fn md(&self, site: &Site, body: &str, root: &str) -> String {
        let resolve = |id: &str| {
            let (kind, title) = site.lookup(id)?;
            Some((title.to_string(), href(kind, id)))
        };
        markdown::render(body, root, site.config.unsafe_html, &resolve)
    }

    fn risk(
        &self,
        site: &Site,
        r: &crate::model::Risk,
        row: RowMaker,
        listing: Listing,
    ) -> RiskView {
        let mut groups: Vec<PhaseGroup> = site
            .config
            .phases
            .iter()
            .map(|p| PhaseGroup {
                phase: p.clone(),
                items: Vec::new(),
            })
            .collect();
        let mut other = PhaseGroup {
            phase: String::new(),
            items: Vec::new(),
        };
        for m in &r.measures {
            let (phase, item) = match m {
                MeasureUse::Inline {
                    phase,
                    category,
                    text,
                } => (
                    phase.clone(),
                    MeasureItem {
                        category: category.clone(),
                        html: self.md(site, text, "../"),
                        shared: None,
                    },
                ),
                MeasureUse::Shared { id } => {
                    let Some(sm) = site.measure(id) else { continue };
                    (
                        sm.phase.clone(),
                        MeasureItem {
                            category: sm.category.clone(),
                            html: String::new(),
                            shared: self.r(Kind::Measure, id),
                        },
                    )
                }
            };
            match groups.iter_mut().find(|g| Some(&g.phase) == phase.as_ref()) {
                Some(g) => g.items.push(item),
                None => other.items.push(item),
            }
        }
        if !other.items.is_empty() {
            groups.push(other);
        }
        groups.retain(|g| !g.items.is_empty());
        let places = site
            .links
            .risk_steps
            .get(&r.meta.id)
            .map(|steps| {
                steps
                    .iter()
                    .filter_map(|s| {
                        let flow = site.flow(&s.flow)?;
                        let step = flow.steps.iter().find(|x| x.id == s.step)?;
                        Some(StepPlace {
                            flow: self.r(Kind::Flow, &s.flow)?,
                            step: s.step.clone(),
                            label: step.label.clone(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let powers = site
            .links
            .risk_powers
            .get(&r.meta.id)
            .map(|p| self.rs(Kind::Power, p))
            .unwrap_or_default();
        let mut view = RiskView {
            link: Ref {
                id: r.meta.id.clone(),
                title: r.meta.title.clone(),
                href: href(Kind::Risk, &r.meta.id),
            },
            risk_type: r.risk_type.clone(),
            grade: self.grades[r.grade].clone(),
            likelihood: r.likelihood,
            impact: r.impact,
            score: r.score(),
            tier: r.tier.clone(),
            department: self.ro(Kind::Department, &r.department),
            posts: self.rs(Kind::Post, &r.posts),
            power: self.ro(Kind::Power, &r.power),
            powers,
            owner: r.owner.clone(),
            measure_count: r.measures.len(),
            phases: groups,
            basis: r.basis.clone(),
            reviewed: r.reviewed.clone(),
            review: review_mark(site, Kind::Risk, &r.meta.id),
            places,
            row: None,
            body_html: self.md(site, &r.meta.body, "../"),
            listed: None,
        };
        view.row = row(&view);
        if listing == Listing::Entry {
            view.listed = view.row.as_ref().map(|row| {
                tera::Value::from_serializable(&Entry {
                    id: &view.link.id,
                    title: &view.link.title,
                    href: &view.link.href,
                    grade: &view.grade,
                    row,
                })
            });
        }
        view
    }

    /// The risks with these ids as a page lists them.
    pub fn listed(&self, ids: &[String]) -> Vec<Listed<'_>> {
        self.risks_of(ids).into_iter().map(Listed).collect()
    }

    /// Views of the risks with these ids (in the given order).
    pub fn risks_of(&self, ids: &[String]) -> Vec<&RiskView> {
        ids.iter()
            .filter_map(|id| {
                self.risks
                    .binary_search_by(|r| r.link.id.as_str().cmp(id))
                    .ok()
                    .map(|i| &self.risks[i])
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{tr_opt, Lang};
    use crate::model::Kind;

    /// A 待复核 badge names every field a stamp fingerprints, in both
    /// languages.
    #[test]
    fn every_fingerprinted_field_has_a_name() {
        let kinds = [
            Kind::Risk,
            Kind::Measure,
            Kind::Power,
            Kind::Flow,
            Kind::Post,
            Kind::Department,
        ];
        for kind in kinds {
            for f in crate::review::canon::field_names(kind) {
                for lang in [Lang::Zh, Lang::En] {
                    let key = format!("pending.field.{f}");
                    assert!(tr_opt(lang, &key, &[]).is_some(), "{lang:?}: no {key}");
                }
            }
        }
    }
}
