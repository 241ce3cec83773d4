//! The annual booklet (年度汇编): the whole register of one audience as one
//! printable document, `booklet.html` — cover, table of contents, notice,
//! summary and charts, power list, one page per flowchart, the register by
//! department then grade, posts and shared measures.
//!
//! The HTML is byte-deterministic. Its table of contents carries empty
//! page-number slots (`<span class="toc-page" data-page="ANCHOR">`); when
//! the booklet is printed to PDF (`crate::pdf`), the pages are read from a
//! first print and filled in with [`number_toc`] before the final print.

use super::pages::{render_sized, Job};
use super::theme::{css_string, Theme};
use super::view::{GradeView, Ref, RiskView, Views};
use super::RenderError;
use crate::i18n::tr;
use crate::model::{Kind, Site};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The booklet's path in a version folder.
pub const PATH: &str = "booklet.html";
/// The printed booklet's path in a version folder.
pub const PDF_PATH: &str = "booklet.pdf";

mod flow_pages;

/// An entry of the table of contents (level 1: a part, 2: within a part).
fn toc(anchor: impl Into<String>, title: impl Into<String>, level: u8) -> Value {
    json!({"anchor": anchor.into(), "title": title.into(), "level": level})
}

/// The template of one department's part of the register.
pub const DEPARTMENT_TEMPLATE: &str = "booklet-department.html";

/// The page job of `booklet.html`; `home` is the home page's job (its data
/// is reused). The register, most of the booklet, is rendered here already:
/// each department with [`DEPARTMENT_TEMPLATE`], in parallel, its data
/// dropped as soon as its HTML is made; `booklet.html` places the parts.
pub fn job(
    site: &Site,
    v: &Views,
    home: &Job,
    theme: &Theme,
    common: &Value,
) -> Result<Job, RenderError> {
    let lang = site.config.lang();
    let t = |k: &str| tr(lang, k, &[]);
    let mut contents = Vec::new();
    let notice = &site.notice;
    contents.push(toc(
        "s-notice",
        if notice.title.is_empty() {
            site.config.title.clone()
        } else {
            notice.title.clone()
        },
        1,
    ));
    contents.push(toc("s-summary", t("ui.summary"), 1));

    let powers = powers(site, v);
    if !powers.is_empty() {
        contents.push(toc("s-powers", t("ui.powers_title"), 1));
    }
    let flows = flow_pages::flows(site, v);
    if !flows.is_empty() {
        contents.push(toc("s-flows", t("ui.flows_title"), 1));
        for f in &flows {
            contents.push(toc(format!("f-{}", f.id), &f.title, 2));
        }
    }
    let register = register(site, v);
    contents.push(toc("s-register", t("ui.register_title"), 1));
    for d in &register {
        contents.push(toc(&d.anchor, &d.title, 2));
    }
    let register: Vec<Value> = register
        .into_par_iter()
        .map(|d| department(v, d, theme, common))
        .collect::<Result<_, _>>()?;
    let posts = posts(site, v);
    if !posts.is_empty() {
        contents.push(toc("s-posts", t("ui.posts_title"), 1));
    }
    let measures: Vec<Value> = site
        .measures
        .iter()
        .map(|m| {
            json!({"id": m.meta.id, "title": m.meta.title, "phase": m.phase, "category": m.category,
                   "html": v.md(site, &m.meta.body, "")})
        })
        .collect();
    if !measures.is_empty() {
        contents.push(toc("s-measures", t("ui.booklet_measures"), 1));
    }

    // The notice, the summary and its charts: as on the home page. The
    // parts are moved in, never copied (the register is most of the booklet).
    let mut data = home.data.clone();
    if let Value::Object(map) = &mut data {
        let doc_title = tr(
            lang,
            "ui.booklet_doc_title",
            &[
                ("title", site.config.title.clone()),
                ("version", site.config.version.clone()),
            ],
        );
        let running_head = css_string(&format!(
            "{}　{}{}",
            site.config.unit,
            tr(lang, "ui.version_label", &[]),
            site.config.version
        ));
        let doc_no = notice.doc_no.as_deref().map(official_doc_no);
        map.insert("doc_title".into(), Value::String(doc_title));
        map.insert("running_head".into(), Value::String(running_head));
        map.insert("doc_no".into(), doc_no.map_or(Value::Null, Value::String));
        map.insert("contents".into(), Value::Array(contents));
        map.insert("powers".into(), Value::Array(powers));
        let flows = serde_json::to_value(flows).map_err(|e| RenderError {
            page: PATH.into(),
            detail: e.to_string(),
        })?;
        map.insert("flows".into(), flows);
        map.insert("register".into(), Value::Array(register));
        map.insert("posts".into(), Value::Array(posts));
        map.insert("measures".into(), Value::Array(measures));
    }
    Ok(Job {
        path: PATH.into(),
        template: "booklet.html",
        data,
    })
}

fn powers(site: &Site, v: &Views) -> Vec<Value> {
    let cfg = &site.config;
    let rank = |c: &Option<String>| {
        c.as_ref()
            .and_then(|c| cfg.power_categories.iter().position(|x| x == c))
            .unwrap_or(usize::MAX)
    };
    let mut list: Vec<_> = site.powers.iter().collect();
    list.sort_by_key(|p| rank(&p.category));
    list.iter()
        .map(|p| {
            let risks = site.links.power_risks.get(&p.meta.id).map_or(0, Vec::len);
            json!({
                "id": p.meta.id, "title": p.meta.title, "category": p.category,
                "department": v.ro(Kind::Department, &p.department).map(|d| d.title),
                "time_limit": p.time_limit, "basis": p.basis, "risk_count": risks,
            })
        })
        .collect()
}

/// One department's part of the register (`None`: risks without a
/// visible department).
struct Department<'a> {
    anchor: String,
    title: String,
    risks: Vec<&'a RiskView>,
}

/// The register grouped by department (in id order, risks without a
/// visible department last), then by grade (highest first).
fn register<'a>(site: &Site, v: &'a Views) -> Vec<Department<'a>> {
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
fn department(
    v: &Views,
    d: Department,
    theme: &Theme,
    common: &Value,
) -> Result<Value, RenderError> {
    let grades: Vec<GradePart> = v
        .grades
        .iter()
        .filter_map(|g| {
            let risks: Vec<RiskPart> = d
                .risks
                .iter()
                .filter(|r| r.grade.rank == g.rank)
                .map(|r| risk(r))
                .collect();
            (!risks.is_empty()).then_some(GradePart { grade: g, risks })
        })
        .collect();
    let count = d.risks.len();
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
    let part = DepartmentPart {
        anchor: &d.anchor,
        title: &d.title,
        count,
        grades,
    };
    // One value made straight from the parts (no copies of copies).
    let data = json!({ "d": part });
    drop(part);
    let job = Job {
        path: PATH.into(),
        template: DEPARTMENT_TEMPLATE,
        data,
    };
    let html = render_sized(theme, job, common, room)?;
    let html = String::from_utf8(html).map_err(|e| RenderError {
        page: PATH.into(),
        detail: e.to_string(),
    })?;
    Ok(json!({"anchor": d.anchor, "title": d.title, "count": count, "html": html}))
}

/// Renders `booklet.html` (the register already made, see [`job`]) into
/// `sink`, in one buffer sized for it.
pub fn render_into(
    site: &Site,
    v: &Views,
    home: &Job,
    theme: &Theme,
    common: &Value,
    sink: &dyn crate::write::Sink,
) -> Result<(), RenderError> {
    let job = job(site, v, home, theme, common)?;
    let register: usize = job.data["register"].as_array().map_or(0, |list| {
        list.iter()
            .filter_map(|d| d["html"].as_str())
            .map(str::len)
            .sum()
    });
    let html = render_sized(theme, job, common, register + register / 4 + (1 << 16))?;
    super::put(sink, PATH, html)
}

/// The data of one department's part of the register.
#[derive(Serialize)]
struct DepartmentPart<'a> {
    anchor: &'a str,
    title: &'a str,
    count: usize,
    grades: Vec<GradePart<'a>>,
}

#[derive(Serialize)]
struct GradePart<'a> {
    grade: &'a GradeView,
    risks: Vec<RiskPart<'a>>,
}

/// A risk in the register: its view, and its body and measures with
/// links for a page at the version root.
#[derive(Serialize)]
struct RiskPart<'a> {
    risk: &'a RiskView,
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

fn risk(r: &RiskView) -> RiskPart<'_> {
    // Bodies and measure texts were rendered for pages one folder down.
    let root = |html: &str| html.replace("href=\"../", "href=\"");
    RiskPart {
        risk: r,
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

fn posts(site: &Site, v: &Views) -> Vec<Value> {
    site.posts
        .iter()
        .map(|p| {
            let risks = crate::model::ids(&site.links.post_risks, &p.meta.id).to_vec();
            let risks = v.risks_of(&risks);
            json!({
                "id": p.meta.id, "title": p.meta.title,
                "department": v.ro(Kind::Department, &p.department).map(|d| d.title),
                "level": p.level, "key": p.key, "high_risk": p.high_risk,
                "holders": p.holders.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(),
                "risks": risks.iter().map(|r| json!({"id": r.link.id, "grade": r.grade})).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// A 文号 with its year in 〔〕 as GB/T 9704-2012 writes it: `某发[2025]3号`,
/// `某发（2025）3号` and the like become `某发〔2025〕3号`.
pub fn official_doc_no(s: &str) -> String {
    const OPEN: [char; 6] = ['[', '(', '（', '【', '［', '〔'];
    const CLOSE: [char; 6] = [']', ')', '）', '】', '］', '〕'];
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let year = chars.get(i + 1..i + 5);
        let is_year = year.is_some_and(|y| y.iter().all(char::is_ascii_digit));
        if OPEN.contains(&chars[i])
            && is_year
            && chars.get(i + 5).is_some_and(|c| CLOSE.contains(c))
        {
            out.push('〔');
            out.extend(&chars[i + 1..i + 5]);
            out.push('〕');
            i += 6;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The booklet HTML with its table of contents numbered: `pages` maps
/// anchors to page numbers (read from a first print).
pub fn number_toc(html: &str, pages: &BTreeMap<String, u32>) -> String {
    const SLOT: &str = "<span class=\"toc-page\" data-page=\"";
    let mut out = String::with_capacity(html.len() + pages.len() * 4);
    let mut rest = html;
    while let Some(at) = rest.find(SLOT) {
        let after = &rest[at + SLOT.len()..];
        let Some(q) = after.find('"') else { break };
        let anchor = &after[..q];
        out.push_str(&rest[..at + SLOT.len() + q]);
        rest = &after[q..];
        if let (Some(n), Some(tail)) = (pages.get(anchor), rest.strip_prefix("\"></span>")) {
            out.push_str(&format!("\">{n}</span>"));
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// The anchors the table of contents numbers, in order.
pub fn toc_anchors(html: &str) -> Vec<String> {
    html.split("<span class=\"toc-page\" data-page=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_no_years_take_hexagonal_brackets() {
        assert_eq!(official_doc_no("某发[2025]3号"), "某发〔2025〕3号");
        assert_eq!(official_doc_no("某发（2025）3号"), "某发〔2025〕3号");
        assert_eq!(official_doc_no("某发〔2025〕3号"), "某发〔2025〕3号");
        assert_eq!(official_doc_no("某发(25)3号"), "某发(25)3号");
        assert_eq!(official_doc_no("[2025"), "[2025");
    }

    #[test]
    fn toc_slots_are_filled_and_listed() {
        let html = "<a href=\"#a\">A<span class=\"toc-page\" data-page=\"a\"></span></a>\
                    <a href=\"#b\">B<span class=\"toc-page\" data-page=\"b\"></span></a>";
        assert_eq!(toc_anchors(html), ["a", "b"]);
        let pages = BTreeMap::from([("a".to_string(), 3)]);
        let out = number_toc(html, &pages);
        assert!(out.contains("data-page=\"a\">3</span>"), "{out}");
        assert!(out.contains("data-page=\"b\"></span>"), "{out}");
        assert_eq!(number_toc(html, &BTreeMap::new()), html);
    }
}
