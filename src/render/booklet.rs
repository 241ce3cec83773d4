//! The annual booklet (年度汇编): the whole register of one audience as one
//! printable document, `booklet.html` — cover, table of contents, notice,
//! summary and charts, power list, one page per flowchart, the register by
//! department then grade, posts and shared measures.
//!
//! The HTML is byte-deterministic. Its table of contents carries empty
//! page-number slots (`<span class="toc-page" data-page="ANCHOR">`); when
//! the booklet is printed to PDF (`crate::pdf`), the pages are read from a
//! first print and filled in with [`number_toc`] before the final print.

use super::page_data::{Common, PageData};
use super::pages::{render_sized, Job};
use super::theme::{css_string, Theme};
use super::view::{GradeView, Shown, Views};
use super::RenderError;
use crate::i18n::tr;
use crate::model::{Kind, Site};
use crate::scope::Filtered;
use flow_pages::FlowPages;
use rayon::prelude::*;
use serde::Serialize;
use sign_off::{Appendix, SignOff};
use std::collections::BTreeMap;

/// The booklet's path in a version folder.
pub const PATH: &str = "booklet.html";
/// The printed booklet's path in a version folder.
pub const PDF_PATH: &str = "booklet.pdf";

mod flow_pages;
mod parts;
pub mod sign_off;

pub use parts::{department_contexts, DepartmentData};

/// An entry of the table of contents (level 1: a part, 2: within a part).
fn toc(anchor: impl Into<String>, title: impl Into<String>, level: u8) -> TocEntry {
    TocEntry {
        anchor: anchor.into(),
        title: title.into(),
        level,
    }
}

/// What `booklet.html` receives: the home page's data, then its own.
#[derive(Serialize)]
pub struct BookletPage<'a> {
    #[serde(flatten)]
    pub home: &'a PageData<'a>,
    pub doc_title: String,
    /// A CSS string (`css_string`), placed with `| safe`.
    pub running_head: String,
    pub doc_no: Option<String>,
    /// A department's own booklet (`build --department`): its title.
    pub part: Option<String>,
    pub contents: Vec<TocEntry>,
    pub powers: Vec<BookletPower<'a>>,
    pub flows: Vec<FlowPages>,
    pub register: Vec<RegisterPart>,
    pub posts: Vec<BookletPost<'a>>,
    pub measures: Vec<BookletMeasure<'a>>,
    pub sign_off: SignOff,
    /// The 修订对照表, when there is a previous version.
    pub appendix: Option<Appendix>,
}

#[derive(Serialize)]
pub struct TocEntry {
    pub anchor: String,
    pub title: String,
    pub level: u8,
}

#[derive(Serialize)]
pub struct BookletPower<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub category: &'a Option<String>,
    /// The department's title.
    pub department: Option<String>,
    pub time_limit: &'a Option<String>,
    pub basis: &'a [String],
    pub risk_count: usize,
}

/// One department's part of the register, rendered.
#[derive(Serialize)]
pub struct RegisterPart {
    pub anchor: String,
    pub title: String,
    pub count: usize,
    /// The part's HTML as the template engine's (safe) string: handed to
    /// `booklet.html` as it is, not copied again (a register of 10,000
    /// risks is tens of megabytes).
    pub html: tera::Value,
}

#[derive(Serialize)]
pub struct BookletPost<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The department's title.
    pub department: Option<String>,
    pub level: &'a Option<String>,
    pub key: bool,
    pub high_risk: bool,
    pub holders: Vec<&'a str>,
    pub risks: Vec<PostRisk<'a>>,
}

#[derive(Serialize)]
pub struct PostRisk<'a> {
    pub id: &'a str,
    pub grade: &'a GradeView,
}

#[derive(Serialize)]
pub struct BookletMeasure<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub phase: &'a Option<String>,
    pub category: &'a Option<String>,
    pub html: String,
}

/// The template of one department's part of the register.
pub const DEPARTMENT_TEMPLATE: &str = "booklet-department.html";

/// The data of `booklet.html`; `home` is the home page's job (its data
/// is reused). The register, most of the booklet, is rendered here already:
/// each department with [`DEPARTMENT_TEMPLATE`], in parallel, its data
/// dropped as soon as its HTML is made; `booklet.html` places the parts.
pub fn page<'a>(
    filtered: &'a Filtered,
    v: &'a Views,
    home: &'a Job<'a>,
    log: Option<&crate::changes::ChangeLog>,
    theme: &Theme,
    common: &Shown<Common>,
) -> Result<BookletPage<'a>, RenderError> {
    let (site, part): (&Site, _) = (filtered, filtered.part());
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
    let register = parts::register(site, v);
    contents.push(toc("s-register", t("ui.register_title"), 1));
    for d in &register {
        contents.push(toc(&d.anchor, &d.title, 2));
    }
    let register: Vec<RegisterPart> = register
        .into_par_iter()
        .map(|d| parts::department(v, d, theme, common))
        .collect::<Result<_, _>>()?;
    let posts = posts(site, v);
    if !posts.is_empty() {
        contents.push(toc("s-posts", t("ui.posts_title"), 1));
    }
    let measures: Vec<BookletMeasure> = site
        .measures
        .iter()
        .map(|m| BookletMeasure {
            id: &m.meta.id,
            title: &m.meta.title,
            phase: &m.phase,
            category: &m.category,
            html: v.md(site, &m.meta.body, ""),
        })
        .collect();
    if !measures.is_empty() {
        contents.push(toc("s-measures", t("ui.booklet_measures"), 1));
    }
    let sign_off = sign_off::sign_off(site);
    contents.push(toc(sign_off::SIGN_OFF, &sign_off.title, 1));
    let appendix = sign_off::appendix(site, log);
    if let Some(a) = &appendix {
        contents.push(toc(sign_off::APPENDIX, &a.title, 1));
    }
    let cfg = &site.config;
    let mut doc_title = tr(
        lang,
        "ui.booklet_doc_title",
        &[
            ("title", cfg.title.clone()),
            ("version", cfg.version.clone()),
        ],
    );
    if let Some(d) = part.and_then(|id| v.r(Kind::Department, id)) {
        doc_title = tr(lang, "ui.booklet_part", &[("department", d.title)]) + &doc_title;
    }
    let running_head = css_string(&format!(
        "{}　{}{}",
        cfg.unit,
        tr(lang, "ui.version_label", &[]),
        cfg.version
    ));
    // The notice, the summary and its charts: as on the home page.
    Ok(BookletPage {
        home: &home.data,
        doc_title,
        running_head,
        doc_no: notice.doc_no.as_deref().map(official_doc_no),
        part: part
            .and_then(|id| v.r(Kind::Department, id))
            .map(|d| d.title),
        contents,
        powers,
        flows,
        register,
        posts,
        measures,
        sign_off,
        appendix,
    })
}

fn powers<'a>(site: &'a Site, v: &Views) -> Vec<BookletPower<'a>> {
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
            BookletPower {
                id: &p.meta.id,
                title: &p.meta.title,
                category: &p.category,
                department: v.ro(Kind::Department, &p.department).map(|d| d.title),
                time_limit: &p.time_limit,
                basis: &p.basis,
                risk_count: risks,
            }
        })
        .collect()
}

/// Renders `booklet.html` (the register already made, see [`job`]) into
/// `sink`, in one buffer sized for it.
pub fn render_into(
    site: &Filtered,
    v: &Views,
    home: &Job,
    log: Option<&crate::changes::ChangeLog>,
    theme: &Theme,
    common: &Shown<Common>,
    sink: &dyn crate::write::Sink,
) -> Result<(), RenderError> {
    let page = page(site, v, home, log, theme, common)?;
    let register: usize = page
        .register
        .iter()
        .filter_map(|d| d.html.as_str())
        .map(str::len)
        .sum();
    let room = register + register / 4 + (1 << 16);
    let html = render_sized(theme, "booklet.html", PATH, &page, common, room)?;
    super::put(sink, PATH, html)
}

fn posts<'a>(site: &'a Site, v: &'a Views) -> Vec<BookletPost<'a>> {
    site.posts
        .iter()
        .map(|p| {
            let risks = crate::model::ids(&site.links.post_risks, &p.meta.id);
            BookletPost {
                id: &p.meta.id,
                title: &p.meta.title,
                department: v.ro(Kind::Department, &p.department).map(|d| d.title),
                level: &p.level,
                key: p.key,
                high_risk: p.high_risk,
                holders: p.holders.iter().map(|h| h.name.as_str()).collect(),
                risks: v
                    .risks_of(risks)
                    .into_iter()
                    .map(|r| PostRisk {
                        id: &r.link.id,
                        grade: &r.grade,
                    })
                    .collect(),
            }
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
