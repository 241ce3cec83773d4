//! Every HTML page of one audience's version: which template, at which
//! path, with which data. Rendering runs in parallel; the result is a list
//! of files for the write stage.

use super::view::{href, Ref, RiskView, Views};
use super::Rendered;
use crate::model::{Kind, Site, StepKind};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

/// One page to render.
pub struct Job {
    pub path: String,
    pub template: &'static str,
    pub data: Value,
}

/// A step of a flow as listed on its page.
#[derive(Serialize)]
struct StepView<'a> {
    id: &'a str,
    label: &'a str,
    kind: StepKind,
    post: Option<Ref>,
    time_limit: &'a Option<String>,
    risks: Vec<&'a RiskView>,
    next: Vec<Value>,
}

/// Lists every page of the site.
pub fn jobs(site: &Site, v: &Views, extra: &super::Extra) -> Vec<Job> {
    let mut jobs = Vec::new();
    let cfg = &site.config;
    let counts = site.grade_counts(site.risks.iter());
    let grade_totals: Vec<Value> = v
        .grades
        .iter()
        .zip(&counts)
        .map(|(g, c)| json!({"grade": g, "count": c}))
        .collect();
    let notice = &site.notice;
    jobs.push(Job {
        path: "index.html".into(),
        template: "index.html",
        data: json!({
            "notice": notice,
            "notice_html": v.md(site, &notice.body, ""),
            "grade_totals": grade_totals,
            "total": site.risks.len(),
            "counts": {
                "powers": site.powers.len(), "flows": site.flows.len(), "posts": site.posts.len(),
                "departments": site.departments.len(), "measures": site.measures.len(),
            },
            "charts": extra.home_charts,
            "changes_summary": extra.changes.as_ref().map(|c| &c.summary),
            "pages": site.pages.iter().map(|p| v.r(Kind::Page, &p.meta.id)).collect::<Vec<_>>(),
        }),
    });

    let section = |kind: Kind| {
        site.sections
            .get(&kind)
            .map(|s| json!({"title": s.title, "html": v.md(site, &s.body, "../")}))
    };

    // Powers
    let powers: Vec<Value> = site
        .powers
        .iter()
        .map(|p| {
            let risks = site.links.power_risks.get(&p.meta.id).cloned().unwrap_or_default();
            json!({
                "link": v.r(Kind::Power, &p.meta.id), "category": p.category,
                "department": v.ro(Kind::Department, &p.department), "posts": v.rs(Kind::Post, &p.posts),
                "time_limit": p.time_limit, "fee": p.fee, "risk_count": risks.len(),
            })
        })
        .collect();
    let categories: Vec<&String> = cfg
        .power_categories
        .iter()
        .filter(|c| site.powers.iter().any(|p| p.category.as_ref() == Some(c)))
        .collect();
    jobs.push(list_job(
        Kind::Power,
        json!({"powers": powers, "categories": categories, "intro": section(Kind::Power)}),
    ));
    for p in &site.powers {
        let risks = site
            .links
            .power_risks
            .get(&p.meta.id)
            .cloned()
            .unwrap_or_default();
        let flow = site.links.power_flow.get(&p.meta.id);
        jobs.push(item_job(
            Kind::Power,
            &p.meta.id,
            json!({
                "item": p, "link": v.r(Kind::Power, &p.meta.id), "html": v.md(site, &p.meta.body, "../"),
                "department": v.ro(Kind::Department, &p.department), "posts": v.rs(Kind::Post, &p.posts),
                "flow": flow.and_then(|f| v.r(Kind::Flow, f)),
                "flow_svg": flow.and_then(|f| extra.flow_svgs.get(f)),
                "risks": v.risks_of(&risks),
            }),
        ));
    }

    // Flows
    let flows: Vec<Value> = site
        .flows
        .iter()
        .map(|f| {
            let marked: usize = f.steps.iter().filter(|s| !s.risks.is_empty()).count();
            json!({"link": v.r(Kind::Flow, &f.meta.id), "power": v.ro(Kind::Power, &f.power),
                   "steps": f.steps.len(), "marked": marked})
        })
        .collect();
    jobs.push(list_job(
        Kind::Flow,
        json!({"flows": flows, "intro": section(Kind::Flow)}),
    ));
    for f in &site.flows {
        let steps: Vec<StepView> = f
            .steps
            .iter()
            .map(|s| StepView {
                id: &s.id,
                label: &s.label,
                kind: s.kind,
                post: v.ro(Kind::Post, &s.post),
                time_limit: &s.time_limit,
                risks: v.risks_of(&s.risks),
                next: s
                    .next
                    .iter()
                    .map(|n| {
                        let label = f
                            .steps
                            .iter()
                            .find(|x| x.id == n.to)
                            .map_or(n.to.as_str(), |x| x.label.as_str());
                        json!({"to": n.to, "step": label, "label": n.label})
                    })
                    .collect(),
            })
            .collect();
        jobs.push(item_job(
            Kind::Flow,
            &f.meta.id,
            json!({
                "item": f, "link": v.r(Kind::Flow, &f.meta.id), "html": v.md(site, &f.meta.body, "../"),
                "power": v.ro(Kind::Power, &f.power), "steps": steps,
                "flow_svg": extra.flow_svgs.get(&f.meta.id),
            }),
        ));
    }

    // Risks
    let departments: Vec<Option<Ref>> = site
        .departments
        .iter()
        .map(|d| v.r(Kind::Department, &d.meta.id))
        .collect();
    jobs.push(list_job(
        Kind::Risk,
        json!({"risks": v.risks, "types": cfg.risk_types, "departments": departments,
               "charts": extra.register_charts, "intro": section(Kind::Risk)}),
    ));
    for (r, rv) in site.risks.iter().zip(&v.risks) {
        jobs.push(item_job(
            Kind::Risk,
            &r.meta.id,
            json!({
                "item": rv, "link": rv.link, "html": v.md(site, &r.meta.body, "../"),
                "flow_svgs": extra.risk_flow_svgs.get(&r.meta.id),
            }),
        ));
    }

    // Posts
    let posts: Vec<Value> = site
        .posts
        .iter()
        .map(|p| {
            let risks = site.links.post_risks.get(&p.meta.id).cloned().unwrap_or_default();
            json!({"link": v.r(Kind::Post, &p.meta.id), "item": p,
                   "department": v.ro(Kind::Department, &p.department), "risk_count": risks.len(),
                   "top": v.risks_of(&risks).iter().map(|r| r.grade.rank).min().map(|g| &v.grades[g])})
        })
        .collect();
    jobs.push(list_job(
        Kind::Post,
        json!({"posts": posts, "intro": section(Kind::Post)}),
    ));
    for p in &site.posts {
        let risks = site
            .links
            .post_risks
            .get(&p.meta.id)
            .cloned()
            .unwrap_or_default();
        let powers = site
            .links
            .post_powers
            .get(&p.meta.id)
            .cloned()
            .unwrap_or_default();
        jobs.push(item_job(
            Kind::Post,
            &p.meta.id,
            json!({
                "item": p, "link": v.r(Kind::Post, &p.meta.id), "html": v.md(site, &p.meta.body, "../"),
                "department": v.ro(Kind::Department, &p.department), "reports_to": v.ro(Kind::Post, &p.reports_to),
                "incompatible": v.rs(Kind::Post, &p.incompatible), "risks": v.risks_of(&risks),
                "powers": v.rs(Kind::Power, &powers),
            }),
        ));
    }

    // Departments
    let depts: Vec<Value> = site
        .departments
        .iter()
        .map(|d| {
            let risks = site.links.department_risks.get(&d.meta.id).cloned().unwrap_or_default();
            let posts = site.links.department_posts.get(&d.meta.id).map_or(0, Vec::len);
            json!({"link": v.r(Kind::Department, &d.meta.id), "head": v.ro(Kind::Post, &d.head),
                   "posts": posts, "counts": site.grade_counts(site.risks.iter().filter(|r| risks.contains(&r.meta.id)))})
        })
        .collect();
    jobs.push(list_job(
        Kind::Department,
        json!({"departments": depts, "intro": section(Kind::Department)}),
    ));
    for d in &site.departments {
        let id = &d.meta.id;
        let risks = site
            .links
            .department_risks
            .get(id)
            .cloned()
            .unwrap_or_default();
        let get = |m: &std::collections::BTreeMap<String, Vec<String>>| {
            m.get(id).cloned().unwrap_or_default()
        };
        let counts = site.grade_counts(site.risks.iter().filter(|r| risks.contains(&r.meta.id)));
        let totals: Vec<Value> = v
            .grades
            .iter()
            .zip(&counts)
            .map(|(g, c)| json!({"grade": g, "count": c}))
            .collect();
        jobs.push(item_job(
            Kind::Department,
            id,
            json!({
                "item": d, "link": v.r(Kind::Department, id), "html": v.md(site, &d.meta.body, "../"),
                "head": v.ro(Kind::Post, &d.head), "parent": v.ro(Kind::Department, &d.parent),
                "children": v.rs(Kind::Department, &get(&site.links.department_children)),
                "posts": v.rs(Kind::Post, &get(&site.links.department_posts)),
                "powers": v.rs(Kind::Power, &get(&site.links.department_powers)),
                "risks": v.risks_of(&risks), "grade_totals": totals,
                "charts": extra.department_charts.get(id),
            }),
        ));
    }

    // Measures
    let measures: Vec<Value> = site
        .measures
        .iter()
        .map(|m| {
            let n = site.links.measure_risks.get(&m.meta.id).map_or(0, Vec::len);
            json!({"link": v.r(Kind::Measure, &m.meta.id), "phase": m.phase, "category": m.category, "risk_count": n})
        })
        .collect();
    jobs.push(list_job(
        Kind::Measure,
        json!({"measures": measures, "intro": section(Kind::Measure)}),
    ));
    for m in &site.measures {
        let risks = site
            .links
            .measure_risks
            .get(&m.meta.id)
            .cloned()
            .unwrap_or_default();
        jobs.push(item_job(
            Kind::Measure,
            &m.meta.id,
            json!({"item": m, "link": v.r(Kind::Measure, &m.meta.id), "html": v.md(site, &m.meta.body, "../"),
                   "risks": v.risks_of(&risks)}),
        ));
    }

    jobs.push(Job {
        path: "changes.html".into(),
        template: "changes.html",
        data: json!({"changes": extra.changes}),
    });
    jobs.push(super::search::job());
    for p in &site.pages {
        jobs.push(item_job(
            Kind::Page,
            &p.meta.id,
            json!({"item": p, "link": v.r(Kind::Page, &p.meta.id), "html": v.md(site, &p.meta.body, "../")}),
        ));
    }
    jobs
}

fn list_job(kind: Kind, data: Value) -> Job {
    Job {
        path: format!("{}/index.html", kind.folder()),
        template: list_template(kind),
        data,
    }
}

fn item_job(kind: Kind, id: &str, data: Value) -> Job {
    Job {
        path: href(kind, id),
        template: item_template(kind),
        data,
    }
}

fn list_template(kind: Kind) -> &'static str {
    match kind {
        Kind::Power => "powers.html",
        Kind::Flow => "flows.html",
        Kind::Risk => "risks.html",
        Kind::Post => "posts.html",
        Kind::Department => "departments.html",
        Kind::Measure => "measures.html",
        Kind::Page | Kind::Notice => "index.html",
    }
}

fn item_template(kind: Kind) -> &'static str {
    match kind {
        Kind::Power => "power.html",
        Kind::Flow => "flow.html",
        Kind::Risk => "risk.html",
        Kind::Post => "post.html",
        Kind::Department => "department.html",
        Kind::Measure => "measure.html",
        Kind::Page | Kind::Notice => "page.html",
    }
}

/// Renders the jobs in parallel; `common` is merged into every page's data.
pub fn render(
    theme: &super::theme::Theme,
    jobs: Vec<Job>,
    common: &Value,
) -> Result<Vec<Rendered>, super::RenderError> {
    jobs.into_par_iter()
        .map(|job| {
            let depth = job.path.matches('/').count();
            let root = "../".repeat(depth);
            let mut ctx = tera::Context::from_value(common.clone()).unwrap_or_default();
            ctx.insert("root", &root);
            ctx.insert("path", &job.path);
            ctx.insert(
                "section",
                &job.path
                    .split('/')
                    .next()
                    .filter(|_| depth > 0)
                    .unwrap_or(""),
            );
            if let Value::Object(map) = job.data {
                for (k, val) in map {
                    ctx.insert(k, &val);
                }
            }
            let html = theme
                .tera
                .render(job.template, &ctx)
                .map_err(|e| super::RenderError {
                    page: job.path.clone(),
                    detail: super::theme::error_chain(&e),
                })?;
            Ok(Rendered {
                path: job.path,
                bytes: html.into_bytes(),
            })
        })
        .collect()
}
