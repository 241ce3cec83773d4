//! Every HTML page of one audience's version: which template, at which
//! path, with which data. Item pages are described one at a time
//! ([`item_job`]) so that rendering can stream: each page's data is built,
//! rendered and handed to the sink on a worker thread, then dropped.

use super::page_data::*;
use super::view::{href, review_mark, Listed, Shown, Views};
use crate::model::{Kind, Site};
use crate::write::Sink;
use rayon::prelude::*;

/// One page to render.
pub struct Job<'a> {
    pub path: String,
    pub template: &'static str,
    pub data: PageData<'a>,
}

/// The intro of a list page, from `content/<kind>/_index.md`.
fn section<'a>(site: &'a Site, v: &Views, kind: Kind) -> Option<Intro<'a>> {
    site.sections.get(&kind).map(|s| Intro {
        title: &s.title,
        html: v.md(site, &s.body, "../"),
    })
}

/// Risks per grade, with their grades.
fn grade_totals<'a>(v: &'a Views, counts: &[u32]) -> Vec<GradeTotal<'a>> {
    v.grades
        .iter()
        .zip(counts)
        .map(|(grade, &count)| GradeTotal { grade, count })
        .collect()
}

/// The home page.
pub fn home_job<'a>(site: &'a Site, v: &'a Views, extra: &'a super::Extra) -> Job<'a> {
    let counts = site.grade_counts(site.risks.iter());
    let notice = &site.notice;
    Job {
        path: "index.html".into(),
        template: "index.html",
        data: PageData::Home(HomePage {
            notice,
            notice_html: v.md(site, &notice.body, ""),
            grade_totals: grade_totals(v, &counts),
            total: site.risks.len(),
            counts: Counts {
                powers: site.powers.len(),
                flows: site.flows.len(),
                posts: site.posts.len(),
                departments: site.departments.len(),
                measures: site.measures.len(),
            },
            charts: &extra.home_charts,
            changes_summary: extra.log.as_ref().map(|l| super::changes::summary(site, l)),
            review: site.reviews.as_ref().map(|r| ReviewCount {
                unreviewed: r.unreviewed_count(),
            }),
        }),
    }
}

/// The register: the list page of the risks.
pub fn risks_job<'a>(site: &'a Site, v: &'a Views, extra: &'a super::Extra) -> Job<'a> {
    let departments = site
        .departments
        .iter()
        .filter_map(|d| v.r(Kind::Department, &d.meta.id))
        .collect();
    list_job(
        Kind::Risk,
        PageData::Risks(RisksPage {
            risks: v.risks.iter().map(Listed).collect(),
            types: &site.config.risk_types,
            departments,
            charts: &extra.register_charts,
            intro: section(site, v, Kind::Risk),
            review_filter: site.reviews.is_some(),
        }),
    )
}

/// The home page, every list page and the site-wide pages.
pub fn list_jobs<'a>(site: &'a Site, v: &'a Views, extra: &'a super::Extra) -> Vec<Job<'a>> {
    let mut jobs = vec![home_job(site, v, extra), powers_job(site, v)];
    let flows = site
        .flows
        .iter()
        .map(|f| FlowRow {
            link: v.r(Kind::Flow, &f.meta.id),
            power: v.ro(Kind::Power, &f.power),
            steps: f.steps.len(),
            marked: f.steps.iter().filter(|s| !s.risks.is_empty()).count(),
        })
        .collect();
    let intro = section(site, v, Kind::Flow);
    jobs.push(list_job(
        Kind::Flow,
        PageData::Flows(FlowsPage { flows, intro }),
    ));
    jobs.push(risks_job(site, v, extra));
    jobs.push(posts_job(site, v));
    let departments = site
        .departments
        .iter()
        .map(|d| DepartmentRow {
            link: v.r(Kind::Department, &d.meta.id),
            head: v.ro(Kind::Post, &d.head),
            posts: site
                .links
                .department_posts
                .get(&d.meta.id)
                .map_or(0, Vec::len),
            counts: department_counts(site, &d.meta.id),
        })
        .collect();
    let intro = section(site, v, Kind::Department);
    jobs.push(list_job(
        Kind::Department,
        PageData::Departments(DepartmentsPage { departments, intro }),
    ));
    let measures = site
        .measures
        .iter()
        .map(|m| MeasureRow {
            link: v.r(Kind::Measure, &m.meta.id),
            phase: &m.phase,
            category: &m.category,
            risk_count: site.links.measure_risks.get(&m.meta.id).map_or(0, Vec::len),
        })
        .collect();
    let intro = section(site, v, Kind::Measure);
    jobs.push(list_job(
        Kind::Measure,
        PageData::Measures(MeasuresPage { measures, intro }),
    ));
    jobs.push(changes_job(site, v, extra));
    jobs.push(super::search::job());
    jobs
}

/// `changes.html`: the audience's change log.
pub fn changes_job<'a>(site: &'a Site, v: &'a Views, extra: &'a super::Extra) -> Job<'a> {
    Job {
        path: "changes.html".into(),
        template: "changes.html",
        data: PageData::Changes(ChangesPage {
            changes: extra.log.as_ref().map(|l| super::changes::view(site, v, l)),
        }),
    }
}

/// The power list, with the configured categories in use.
fn powers_job<'a>(site: &'a Site, v: &'a Views) -> Job<'a> {
    let powers = site
        .powers
        .iter()
        .map(|p| PowerRow {
            link: v.r(Kind::Power, &p.meta.id),
            category: &p.category,
            department: v.ro(Kind::Department, &p.department),
            posts: v.rs(Kind::Post, &p.posts),
            time_limit: &p.time_limit,
            fee: &p.fee,
            risk_count: crate::model::ids(&site.links.power_risks, &p.meta.id).len(),
        })
        .collect();
    let categories = site
        .config
        .power_categories
        .iter()
        .filter(|c| site.powers.iter().any(|p| p.category.as_ref() == Some(c)))
        .collect();
    let intro = section(site, v, Kind::Power);
    list_job(
        Kind::Power,
        PageData::Powers(PowersPage {
            powers,
            categories,
            intro,
        }),
    )
}

/// The post list, each post with its highest risk grade.
fn posts_job<'a>(site: &'a Site, v: &'a Views) -> Job<'a> {
    let posts = site
        .posts
        .iter()
        .map(|p| {
            let risks = crate::model::ids(&site.links.post_risks, &p.meta.id);
            PostRow {
                link: v.r(Kind::Post, &p.meta.id),
                item: p,
                department: v.ro(Kind::Department, &p.department),
                risk_count: risks.len(),
                top: v
                    .risks_of(risks)
                    .iter()
                    .map(|r| r.grade.rank)
                    .min()
                    .map(|g| &v.grades[g]),
            }
        })
        .collect();
    let intro = section(site, v, Kind::Post);
    list_job(Kind::Post, PageData::Posts(PostsPage { posts, intro }))
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
pub fn item_job<'a>(
    site: &'a Site,
    v: &'a Views,
    extra: &'a super::Extra,
    kind: Kind,
    i: usize,
) -> Option<Job<'a>> {
    let links = &site.links;
    let ids = crate::model::ids;
    let (id, data) = match kind {
        Kind::Power => {
            let p = &site.powers[i];
            let flow = links.power_flow.get(&p.meta.id);
            let data = PageData::Power(PowerPage {
                item: p,
                link: v.r(kind, &p.meta.id),
                review: review_mark(site, kind, &p.meta.id),
                html: v.md(site, &p.meta.body, "../"),
                department: v.ro(Kind::Department, &p.department),
                posts: v.rs(Kind::Post, &p.posts),
                flow: flow.and_then(|f| v.r(Kind::Flow, f)),
                flow_svg: flow.and_then(|f| extra.flow_svgs.get(f)),
                risks: v.listed(ids(&links.power_risks, &p.meta.id)),
            });
            (&p.meta.id, data)
        }
        Kind::Flow => {
            let f = &site.flows[i];
            let data = PageData::Flow(FlowPage {
                item: f,
                link: v.r(kind, &f.meta.id),
                review: review_mark(site, kind, &f.meta.id),
                html: v.md(site, &f.meta.body, "../"),
                power: v.ro(Kind::Power, &f.power),
                steps: steps(f, v),
                flow_svg: extra.flow_svgs.get(&f.meta.id),
            });
            (&f.meta.id, data)
        }
        Kind::Risk => {
            let (r, rv) = (&site.risks[i], &v.risks[i]);
            let data = PageData::Risk(RiskPage {
                item: rv,
                link: &rv.link,
                html: &rv.body_html,
                flow_svgs: extra.risk_flow_svgs.get(&r.meta.id).map(Vec::as_slice),
            });
            (&r.meta.id, data)
        }
        Kind::Post => {
            let p = &site.posts[i];
            let data = PageData::Post(PostPage {
                item: p,
                link: v.r(kind, &p.meta.id),
                review: review_mark(site, kind, &p.meta.id),
                html: v.md(site, &p.meta.body, "../"),
                department: v.ro(Kind::Department, &p.department),
                reports_to: v.ro(Kind::Post, &p.reports_to),
                incompatible: v.rs(Kind::Post, &p.incompatible),
                risks: v.listed(ids(&links.post_risks, &p.meta.id)),
                powers: v.rs(Kind::Power, ids(&links.post_powers, &p.meta.id)),
            });
            (&p.meta.id, data)
        }
        Kind::Department => {
            let d = &site.departments[i];
            let id = &d.meta.id;
            let counts = department_counts(site, id);
            let data = PageData::Department(DepartmentPage {
                item: d,
                link: v.r(kind, id),
                review: review_mark(site, kind, id),
                html: v.md(site, &d.meta.body, "../"),
                head: v.ro(Kind::Post, &d.head),
                parent: v.ro(Kind::Department, &d.parent),
                children: v.rs(Kind::Department, ids(&links.department_children, id)),
                posts: v.rs(Kind::Post, ids(&links.department_posts, id)),
                powers: v.rs(Kind::Power, ids(&links.department_powers, id)),
                risks: v.listed(ids(&links.department_risks, id)),
                grade_totals: grade_totals(v, &counts),
                charts: extra.department_charts.get(id).map(Vec::as_slice),
            });
            (id, data)
        }
        Kind::Measure => {
            let m = &site.measures[i];
            let data = PageData::Measure(MeasurePage {
                item: m,
                link: v.r(kind, &m.meta.id),
                review: review_mark(site, kind, &m.meta.id),
                html: v.md(site, &m.meta.body, "../"),
                risks: v.listed(ids(&links.measure_risks, &m.meta.id)),
            });
            (&m.meta.id, data)
        }
        Kind::Page => {
            let p = &site.pages[i];
            let data = PageData::Page(FreePage {
                item: p,
                link: v.r(kind, &p.meta.id),
                html: v.md(site, &p.meta.body, "../"),
            });
            (&p.meta.id, data)
        }
        Kind::Notice => return None,
    };
    Some(Job {
        path: href(kind, id),
        template: item_template(kind),
        data,
    })
}

/// A flow's steps as its page lists them.
fn steps<'a>(f: &'a crate::model::Flow, v: &'a Views) -> Vec<StepView<'a>> {
    f.steps
        .iter()
        .map(|s| StepView {
            id: &s.id,
            label: &s.label,
            kind: s.kind,
            post: v.ro(Kind::Post, &s.post),
            time_limit: &s.time_limit,
            risks: v.listed(&s.risks),
            next: s
                .next
                .iter()
                .map(|n| NextView {
                    to: &n.to,
                    step: f
                        .steps
                        .iter()
                        .find(|x| x.id == n.to)
                        .map_or(n.to.as_str(), |x| x.label.as_str()),
                    label: &n.label,
                })
                .collect(),
        })
        .collect()
}

/// Risk counts per grade of one department.
fn department_counts(site: &Site, id: &str) -> Vec<u32> {
    site.grade_counts(
        site.risks
            .iter()
            .filter(|r| r.department.as_deref() == Some(id)),
    )
}

fn list_job(kind: Kind, data: PageData) -> Job {
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
/// stays flat however large the register. Every page gets `common`.
/// Returns the number of pages.
/// The first failure in page order: the same page is named whichever
/// thread failed first.
fn first_error(done: Vec<Result<(), super::RenderError>>) -> Result<(), super::RenderError> {
    done.into_iter().collect()
}

pub fn render(
    theme: &super::theme::Theme,
    lists: Vec<Job>,
    site: &Site,
    v: &Views,
    extra: &super::Extra,
    common: &Shown<Common>,
    sink: &dyn Sink,
) -> Result<usize, super::RenderError> {
    let n = lists.len();
    first_error(
        lists
            .into_par_iter()
            .map(|job| render_into(theme, job, common, sink))
            .collect(),
    )?;
    let items: Vec<(Kind, usize)> = item_counts(site)
        .into_iter()
        .flat_map(|(kind, count)| (0..count).map(move |i| (kind, i)))
        .collect();
    first_error(
        items
            .par_iter()
            .map(|&(kind, i)| match item_job(site, v, extra, kind, i) {
                Some(job) => render_into(theme, job, common, sink),
                None => Ok(()),
            })
            .collect(),
    )?;
    Ok(n + items.len())
}

/// Renders one page and hands it to `sink`.
pub fn render_into(
    theme: &super::theme::Theme,
    job: Job,
    common: &Shown<Common>,
    sink: &dyn Sink,
) -> Result<(), super::RenderError> {
    let html = render_sized(theme, job.template, &job.path, &job.data, common, 16 << 10)?;
    super::put(sink, &job.path, html)
}

/// Renders one page: its job's data with `common`, plus `root`, `path` and
/// `section`. Returns the HTML's bytes.
pub fn render_page(
    theme: &super::theme::Theme,
    job: Job,
    common: &Shown<Common>,
) -> Result<Vec<u8>, super::RenderError> {
    render_sized(theme, job.template, &job.path, &job.data, common, 16 << 10)
}

/// [`render_page`] for any template's data, into a buffer of `room` bytes
/// to start with (the template writes straight into it: no growing, no
/// UTF-8 check of the result).
pub fn render_sized<T: serde::Serialize>(
    theme: &super::theme::Theme,
    template: &str,
    path: &str,
    data: &T,
    common: &Shown<Common>,
    room: usize,
) -> Result<Vec<u8>, super::RenderError> {
    let depth = path.matches('/').count();
    let section = path.split('/').next().filter(|_| depth > 0).unwrap_or("");
    let page = PageContext {
        common,
        root: "../".repeat(depth),
        path,
        section,
        data,
    };
    let mut out = Vec::with_capacity(room);
    theme.render_to(template, &page, &mut out)?;
    Ok(out)
}
