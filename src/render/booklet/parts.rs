//! The register part of the booklet: the risks grouped by department, then
//! grade, each department rendered on its own with
//! [`DEPARTMENT_TEMPLATE`]. The built-in template reads only a risk's head
//! ([`RiskHead`]); a site's own gets the whole view.

use super::{RegisterPart, DEPARTMENT_TEMPLATE, PATH};
use crate::i18n::tr;
use crate::model::{Kind, Site};
use crate::render::page_data::Common;
use crate::render::pages::render_sized;
use crate::render::theme::Theme;
use crate::render::view::{GradeView, Ref, RiskHead, RiskView, Shown, Views};
use crate::render::RenderError;
use serde::Serialize;

/// One department's part of the register (`None`: risks without a
/// visible department).
pub(super) struct Department<'a> {
    pub anchor: String,
    pub title: String,
    risks: Vec<&'a RiskView>,
}

/// The register grouped by department (in id order, risks without a
/// visible department last), then by grade (highest first).
pub(super) fn register<'a>(site: &Site, v: &'a Views) -> Vec<Department<'a>> {
    let lang = site.config.lang();
    let mut groups: Vec<(Option<Ref>, Vec<&RiskView>)> = site
        .departments
        .iter()
        .map(|d| (v.r(Kind::Department, &d.meta.id), Vec::new()))
        .collect();
    let mut none = Vec::new();
    for r in &v.risks {
        let at = r.department.as_ref().and_then(|d| {
            groups
                .iter()
                .position(|g| g.0.as_ref().map(|x| &x.id) == Some(&d.id))
        });
        match at {
            Some(i) => groups[i].1.push(r),
            None => none.push(r),
        }
    }
    groups.push((None, none));
    groups
        .into_iter()
        .filter(|g| !g.1.is_empty())
        .map(|(dept, risks)| {
            let (anchor, title) = match &dept {
                Some(d) => (format!("d-{}", d.id), d.title.clone()),
                None => ("d--".to_string(), tr(lang, "ui.booklet_no_department", &[])),
            };
            Department {
                anchor,
                title,
                risks,
            }
        })
        .collect()
}

/// A department's part of the register rendered: its anchor, title, count
/// and HTML.
pub(super) fn department(
    v: &Views,
    d: Department,
    theme: &Theme,
    common: &Shown<Common>,
) -> Result<RegisterPart, RenderError> {
    // Room for the risks' HTML and their markup, so the output never grows.
    let room: usize = d
        .risks
        .iter()
        .map(|r| {
            let measures: usize = r
                .phases
                .iter()
                .flat_map(|g| &g.items)
                .map(|m| m.html.len())
                .sum();
            2048 + r.body_html.len() + measures
        })
        .sum();
    let fields = if theme.overrides(DEPARTMENT_TEMPLATE) {
        RiskFields::Whole
    } else {
        RiskFields::Head
    };
    let data = department_data(v, d, fields);
    let html = render_sized(theme, DEPARTMENT_TEMPLATE, PATH, &data, common, room)?;
    let html = std::str::from_utf8(&html)
        .map(tera::Value::safe_string)
        .map_err(|e| RenderError {
            page: PATH.into(),
            detail: e.to_string(),
        })?;
    let DepartmentPart {
        anchor,
        title,
        count,
        ..
    } = data.d;
    Ok(RegisterPart {
        anchor,
        title,
        count,
        html,
    })
}

/// What [`DEPARTMENT_TEMPLATE`] gets for one department.
fn department_data<'a>(v: &'a Views, d: Department<'a>, fields: RiskFields) -> DepartmentData<'a> {
    let grades: Vec<GradePart> = v
        .grades
        .iter()
        .filter_map(|g| {
            let risks: Vec<RiskPart> = d
                .risks
                .iter()
                .filter(|r| r.grade.rank == g.rank)
                .map(|r| risk(r, fields))
                .collect();
            (!risks.is_empty()).then_some(GradePart { grade: g, risks })
        })
        .collect();
    DepartmentData {
        d: DepartmentPart {
            count: d.risks.len(),
            anchor: d.anchor,
            title: d.title,
            grades,
        },
    }
}

/// What [`DEPARTMENT_TEMPLATE`] gets for each department, all at once
/// (`booklet.html` renders them one by one instead; the theme's README
/// test reads these).
pub fn department_contexts<'a>(site: &Site, v: &'a Views) -> Vec<DepartmentData<'a>> {
    register(site, v)
        .into_iter()
        .map(|d| department_data(v, d, RiskFields::Whole))
        .collect()
}

/// What `booklet-department.html` receives (besides what every page gets).
#[derive(Serialize)]
pub struct DepartmentData<'a> {
    d: DepartmentPart<'a>,
}

/// The data of one department's part of the register.
#[derive(Serialize)]
struct DepartmentPart<'a> {
    anchor: String,
    title: String,
    count: usize,
    grades: Vec<GradePart<'a>>,
}

#[derive(Serialize)]
struct GradePart<'a> {
    grade: &'a GradeView,
    risks: Vec<RiskPart<'a>>,
}

/// A risk in the register: its view (or what the built-in template reads
/// of it), and its body and measures with links for a page at the version
/// root.
#[derive(Serialize)]
struct RiskPart<'a> {
    risk: RiskOf<'a>,
    html: String,
    phases: Vec<PhasePart<'a>>,
}

#[derive(Serialize)]
struct PhasePart<'a> {
    phase: &'a str,
    items: Vec<MeasurePart<'a>>,
}

#[derive(Serialize)]
struct MeasurePart<'a> {
    category: &'a Option<String>,
    shared: &'a Option<Ref>,
    html: String,
}

/// What [`DEPARTMENT_TEMPLATE`] reads of each risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RiskFields {
    /// The whole view: a site's own template may read any field.
    Whole,
    /// What the built-in template reads ([`RiskHead`]): its measures are
    /// the part's `phases`, so the view's own are not handed over again.
    Head,
}

/// A risk's view, whole or its head.
#[derive(Serialize)]
#[serde(untagged)]
enum RiskOf<'a> {
    Whole(&'a RiskView),
    Head(RiskHead<'a>),
}

fn risk(r: &RiskView, fields: RiskFields) -> RiskPart<'_> {
    // Bodies and measure texts were rendered for pages one folder down.
    let root = |html: &str| html.replace("href=\"../", "href=\"");
    let risk = match fields {
        RiskFields::Whole => RiskOf::Whole(r),
        RiskFields::Head => RiskOf::Head(r.head()),
    };
    RiskPart {
        risk,
        html: root(&r.body_html),
        phases: r
            .phases
            .iter()
            .map(|g| PhasePart {
                phase: &g.phase,
                items: g
                    .items
                    .iter()
                    .map(|m| MeasurePart {
                        category: &m.category,
                        shared: &m.shared,
                        html: root(&m.html),
                    })
                    .collect(),
            })
            .collect(),
    }
}
