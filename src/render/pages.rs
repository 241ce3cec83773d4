//! Every HTML page of one audience's version: which template, at which
//! path, with which data. Item pages are described one at a time
//! ([`item_job`]) so that rendering can stream: each page's data is built,
//! rendered and handed to the sink on a worker thread, then dropped.

use super::view::{href, Ref, RiskView, Views};
use crate::model::{Kind, Site, StepKind};
use crate::write::Sink;
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

/// The intro of a list page, from `content/<kind>/_index.md`.
fn section(site: &Site, v: &Views, kind: Kind) -> Option<Value> {
    site.sections
        .get(&kind)
        .map(|s| json!({"title": s.title, "html": v.md(site, &s.body, "../")}))
}

/// The home page.
pub fn home_job(site: &Site, v: &Views, extra: &super::Extra) -> Job {
    let counts = site.grade_counts(site.risks.iter());
    let grade_totals: Vec<Value> = v
        .grades
        .iter()
        .zip(&counts)
        .map(|(g, c)| json!({"grade": g, "count": c}))
        .collect();
    let notice = &site.notice;
    Job {
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
    }
}

/// The register: the list page of the risks.
pub fn risks_job(site: &Site, v: &Views, extra: &super::Extra) -> Job {
    let departments: Vec<Option<Ref>> = site
        .departments
        .iter()
        .map(|d| v.r(Kind::Department, &d.meta.id))
        .collect();
    list_job(
        Kind::Risk,
        json!({"risks": v.risks, "types": site.config.risk_types, "departments": departments,
               "charts": extra.register_charts, "intro": section(site, v, Kind::Risk)}),
    )
}

/// The home page, every list page and the site-wide pages.
pub fn list_jobs(site: &Site, v: &Views, extra: &super::Extra) -> Vec<Job> {
    let cfg = &site.config;
    let mut jobs = vec![home_job(site, v, extra)];

    // Powers
    let powers: Vec<Value> = site
        .powers
        .iter()
        .map(|p| {
            let risks = crate::model::ids(&site.links.power_risks, &p.meta.id).to_vec();
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
        json!({"powers": powers, "categories": categories, "intro": section(site, v, Kind::Power)}),
    ));

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
        json!({"flows": flows, "intro": section(site, v, Kind::Flow)}),
    ));

    jobs.push(risks_job(site, v, extra));

    // Posts
    let posts: Vec<Value> = site
        .posts
        .iter()
        .map(|p| {
            let risks = crate::model::ids(&site.links.post_risks, &p.meta.id).to_vec();
            json!({"link": v.r(Kind::Post, &p.meta.id), "item": p,
                   "department": v.ro(Kind::Department, &p.department), "risk_count": risks.len(),
                   "top": v.risks_of(&risks).iter().map(|r| r.grade.rank).min().map(|g| &v.grades[g])})
        })
        .collect();
    jobs.push(list_job(
        Kind::Post,
        json!({"posts": posts, "intro": section(site, v, Kind::Post)}),
    ));

    // Departments
    let depts: Vec<Value> = site
        .departments
        .iter()
        .map(|d| {
            let posts = site
                .links
                .department_posts
                .get(&d.meta.id)
                .map_or(0, Vec::len);
            json!({"link": v.r(Kind::Department, &d.meta.id), "head": v.ro(Kind::Post, &d.head),
                   "posts": posts, "counts": department_counts(site, &d.meta.id)})
        })
        .collect();
    jobs.push(list_job(
        Kind::Department,
        json!({"departments": depts, "intro": section(site, v, Kind::Department)}),
    ));

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
        json!({"measures": measures, "intro": section(site, v, Kind::Measure)}),
    ));

    jobs.push(Job {
        path: "changes.html".into(),
        template: "changes.html",
        data: json!({"changes": extra.changes}),
    });
    jobs.push(super::search::job());
    jobs
}

/// How many item pages of each kind there are.
pub fn item_counts(site: &Site) -> [(Kind, usize); 7] {
    [
        (Kind::Power, site.powers.len()),
        (Kind::Flow, site.flows.len()),
        (Kind::Risk, site.risks.len()),
        (Kind::Post, site.posts.len()),
        (Kind::Department, site.departments.len()),
        (Kind::Measure, site.measures.len()),
        (Kind::Page, site.pages.len()),
    ]
}

/// The page of the `i`-th item of `kind` (`None` for the notice, which is
/// the home page).
pub fn item_job(site: &Site, v: &Views, extra: &super::Extra, kind: Kind, i: usize) -> Option<Job> {
    let item = |kind: Kind, id: &str, data: Value| Job {
        path: href(kind, id),
        template: item_template(kind),
        data,
    };
    let job = match kind {
        Kind::Power => {
            let p = &site.powers[i];
            let risks = crate::model::ids(&site.links.power_risks, &p.meta.id).to_vec();
            let flow = site.links.power_flow.get(&p.meta.id);
            item(
                Kind::Power,
                &p.meta.id,
                json!({
                    "item": p, "link": v.r(Kind::Power, &p.meta.id), "html": v.md(site, &p.meta.body, "../"),
                    "department": v.ro(Kind::Department, &p.department), "posts": v.rs(Kind::Post, &p.posts),
                    "flow": flow.and_then(|f| v.r(Kind::Flow, f)),
                    "flow_svg": flow.and_then(|f| extra.flow_svgs.get(f)),
                    "risks": v.risks_of(&risks),
                }),
            )
        }
        Kind::Flow => {
            let f = &site.flows[i];
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
            item(
                Kind::Flow,
                &f.meta.id,
                json!({
                    "item": f, "link": v.r(Kind::Flow, &f.meta.id), "html": v.md(site, &f.meta.body, "../"),
                    "power": v.ro(Kind::Power, &f.power), "steps": steps,
                    "flow_svg": extra.flow_svgs.get(&f.meta.id),
                }),
            )
        }
        Kind::Risk => {
            let (r, rv) = (&site.risks[i], &v.risks[i]);
            item(
                Kind::Risk,
                &r.meta.id,
                json!({
                    "item": rv, "link": rv.link, "html": rv.body_html,
                    "flow_svgs": extra.risk_flow_svgs.get(&r.meta.id),
                }),
            )
        }
        Kind::Post => {
            let p = &site.posts[i];
            let risks = crate::model::ids(&site.links.post_risks, &p.meta.id).to_vec();
            let powers = crate::model::ids(&site.links.post_powers, &p.meta.id).to_vec();
            item(
                Kind::Post,
                &p.meta.id,
                json!({
                    "item": p, "link": v.r(Kind::Post, &p.meta.id), "html": v.md(site, &p.meta.body, "../"),
                    "department": v.ro(Kind::Department, &p.department), "reports_to": v.ro(Kind::Post, &p.reports_to),
                    "incompatible": v.rs(Kind::Post, &p.incompatible), "risks": v.risks_of(&risks),
                    "powers": v.rs(Kind::Power, &powers),
                }),
            )
        }
        Kind::Department => {
            let d = &site.departments[i];
            let id = &d.meta.id;
            let risks = crate::model::ids(&site.links.department_risks, id).to_vec();
            let get = |m: &std::collections::BTreeMap<String, Vec<String>>| {
                m.get(id).cloned().unwrap_or_default()
            };
            let counts = department_counts(site, id);
            let totals: Vec<Value> = v
                .grades
                .iter()
                .zip(&counts)
                .map(|(g, c)| json!({"grade": g, "count": c}))
                .collect();
            item(
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
            )
        }
        Kind::Measure => {
            let m = &site.measures[i];
            let risks = crate::model::ids(&site.links.measure_risks, &m.meta.id).to_vec();
            item(
                Kind::Measure,
                &m.meta.id,
                json!({"item": m, "link": v.r(Kind::Measure, &m.meta.id), "html": v.md(site, &m.meta.body, "../"),
                       "risks": v.risks_of(&risks)}),
            )
        }
        Kind::Page => {
            let p = &site.pages[i];
            item(
                Kind::Page,
                &p.meta.id,
                json!({"item": p, "link": v.r(Kind::Page, &p.meta.id), "html": v.md(site, &p.meta.body, "../")}),
            )
        }
        Kind::Notice => return None,
    };
    Some(job)
}

/// Risk counts per grade of one department.
fn department_counts(site: &Site, id: &str) -> Vec<u32> {
    site.grade_counts(
        site.risks
            .iter()
            .filter(|r| r.department.as_deref() == Some(id)),
    )
}

fn list_job(kind: Kind, data: Value) -> Job {
    Job {
        path: format!("{}/index.html", kind.folder()),
        template: list_template(kind),
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

/// Renders every page in parallel into `sink`: the list pages `lists`, then each
/// item page built, rendered and written on a worker and dropped, so memory
/// stays flat however large the register. `common` is merged into every
/// page's data. Returns the number of pages.
pub fn render(
    theme: &super::theme::Theme,
    lists: Vec<Job>,
    site: &Site,
    v: &Views,
    extra: &super::Extra,
    common: &Value,
    sink: &dyn Sink,
) -> Result<usize, super::RenderError> {
    let n = lists.len();
    lists
        .into_par_iter()
        .try_for_each(|job| render_into(theme, job, common, sink))?;
    let items: Vec<(Kind, usize)> = item_counts(site)
        .into_iter()
        .flat_map(|(kind, count)| (0..count).map(move |i| (kind, i)))
        .collect();
    items
        .par_iter()
        .try_for_each(|&(kind, i)| match item_job(site, v, extra, kind, i) {
            Some(job) => render_into(theme, job, common, sink),
            None => Ok(()),
        })?;
    Ok(n + items.len())
}

/// Renders one page and hands it to `sink`.
pub fn render_into(
    theme: &super::theme::Theme,
    job: Job,
    common: &Value,
    sink: &dyn Sink,
) -> Result<(), super::RenderError> {
    let path = job.path.clone();
    let html = render_page(theme, job, common)?;
    sink.put(&path, html).map_err(|e| super::RenderError {
        page: path,
        detail: e.to_string(),
    })
}

/// Renders one page: its job's data with `common` merged in, plus `root`,
/// `path` and `section`. Returns the HTML's bytes.
pub fn render_page(
    theme: &super::theme::Theme,
    job: Job,
    common: &Value,
) -> Result<Vec<u8>, super::RenderError> {
    render_sized(theme, job, common, 16 << 10)
}

/// [`render_page`] into a buffer of `room` bytes to start with (Tera
/// writes straight into it: no growing, no UTF-8 check of the result).
pub fn render_sized(
    theme: &super::theme::Theme,
    job: Job,
    common: &Value,
    room: usize,
) -> Result<Vec<u8>, super::RenderError> {
    let depth = job.path.matches('/').count();
    // The page's own data is moved into the context, not copied: on list
    // pages of a large register it is most of the work.
    let mut map = match job.data {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    if let Value::Object(c) = common {
        for (k, v) in c {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    map.insert("root".into(), Value::String("../".repeat(depth)));
    map.insert("path".into(), Value::String(job.path.clone()));
    let section = job
        .path
        .split('/')
        .next()
        .filter(|_| depth > 0)
        .unwrap_or("");
    map.insert("section".into(), Value::String(section.into()));
    let ctx = tera::Context::from_value(Value::Object(map)).unwrap_or_default();
    let mut out = Vec::with_capacity(room);
    theme
        .tera
        .render_to(job.template, &ctx, &mut out)
        .map_err(|e| super::RenderError {
            page: job.path.clone(),
            detail: super::theme::error_chain(&e),
        })?;
    Ok(out)
}
