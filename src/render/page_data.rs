//! What each template receives: one struct per template, borrowing the
//! model and the views, plus [`Common`], what every page gets.
//! `themes/default/README.md` documents these fields; a test
//! (`page_data_tests.rs`) fails when the two disagree.

use super::changes::ChangesView;
use super::data::VersionSummary;
use super::view::{GradeView, Listed, Ref, ReviewMark, RiskView, Shown};
use super::Chart;
use crate::config::ScopeDef;
use crate::model::{Department, Flow, Measure, Notice, Page, Post, Power, StepKind};
use serde::Serialize;

/// Data every page gets: the site, its audience, the navigation.
#[derive(Debug, Clone, Serialize)]
pub struct Common {
    /// `zh-CN` or `en`, for `<html lang>`.
    pub lang: &'static str,
    pub site: SiteData,
    pub nav: Vec<NavLink>,
    /// The free pages, for the footer.
    pub pages: Vec<Ref>,
    /// Whether `booklet.pdf` is printed (the home page links to it).
    pub booklet_pdf: bool,
    /// The portal identity (`portal:`), on the audiences that carry it.
    pub footer: Option<Footer>,
}

/// The portal footer: `portal:` of gongshi.yaml, with its links.
#[derive(Debug, Clone, Serialize)]
pub struct Footer {
    pub sponsor: Option<String>,
    pub organizer: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub site_code: Option<String>,
    pub icp: Option<Linked>,
    pub police: Option<Linked>,
    /// The 党政机关网站标识: `src` below the version folder.
    pub badge: Option<Badge>,
    /// 我为政府网站找错.
    pub report: Option<String>,
}

/// A filing number and where it is looked up.
#[derive(Debug, Clone, Serialize)]
pub struct Linked {
    pub text: String,
    pub href: String,
}

/// The site badge image and where it links.
#[derive(Debug, Clone, Serialize)]
pub struct Badge {
    pub src: String,
    pub href: Option<String>,
}

impl Footer {
    pub fn of(p: &crate::config::Portal) -> Footer {
        let text = |k: &str| p.field(k).map(str::to_string);
        Footer {
            sponsor: text("sponsor"),
            organizer: text("organizer"),
            phone: text("phone"),
            address: text("address"),
            site_code: text("site_code"),
            icp: text("icp").map(|text| Linked {
                text,
                href: crate::config::portal::ICP_LINK.into(),
            }),
            police: text("police").and_then(|text| {
                Some(Linked {
                    href: p.police_link()?,
                    text,
                })
            }),
            badge: text("badge").map(|src| Badge {
                src,
                href: text("badge_link"),
            }),
            report: p.report_link(),
        }
    }
}

/// `site` of [`Common`].
#[derive(Debug, Clone, Serialize)]
pub struct SiteData {
    pub title: String,
    pub unit: String,
    pub version: String,
    /// What pages show as the version: `version_label`, else `version`.
    pub version_label: String,
    pub scope: ScopeDef,
    pub grades: Vec<GradeView>,
}

/// An entry of the navigation; its label is `t(k="nav_" ~ key)`.
#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    pub key: &'static str,
    pub href: String,
}

/// The whole context of one page: [`Common`], where the page is, and the
/// template's own data.
#[derive(Serialize)]
pub struct PageContext<'a, T: Serialize> {
    #[serde(flatten)]
    pub common: &'a Shown<Common>,
    /// `""` at the version root, `"../"` one folder down.
    pub root: String,
    pub path: &'a str,
    /// The page's folder, or `""` for a top-level page.
    pub section: &'a str,
    #[serde(flatten)]
    pub data: &'a T,
}

impl<T: Serialize> PageContext<'_, T> {
    /// The template context, with the same names as this struct
    /// serialised: the common part's stored values (shared, not
    /// serialised again for every page), where the page is, then the
    /// page's own data.
    pub fn context(&self) -> tera::TeraResult<tera::Context> {
        let mut ctx = tera::Context::new();
        for (key, value) in self.common.value().as_map().into_iter().flatten() {
            if let Some(key) = key.as_str() {
                ctx.insert_value(key.to_string(), value.clone());
            }
        }
        ctx.insert("root", &self.root);
        ctx.insert("path", self.path);
        ctx.insert("section", self.section);
        ctx.extend(tera::Context::from_serialize(self.data)?);
        Ok(ctx)
    }
}

/// A template's own data, one variant per template.
#[derive(Serialize)]
#[serde(untagged)]
pub enum PageData<'a> {
    Home(HomePage<'a>),
    Risks(RisksPage<'a>),
    Powers(PowersPage<'a>),
    Flows(FlowsPage<'a>),
    Posts(PostsPage<'a>),
    Departments(DepartmentsPage<'a>),
    Measures(MeasuresPage<'a>),
    Changes(ChangesPage<'a>),
    Search(SearchPage),
    Power(PowerPage<'a>),
    Flow(FlowPage<'a>),
    Risk(RiskPage<'a>),
    Post(PostPage<'a>),
    Department(DepartmentPage<'a>),
    Measure(MeasurePage<'a>),
    Page(FreePage<'a>),
}

/// The intro of a list page, from `content/<kind>/_index.md`.
#[derive(Serialize)]
pub struct Intro<'a> {
    pub title: &'a Option<String>,
    pub html: String,
}

/// Risks of one grade.
#[derive(Serialize)]
pub struct GradeTotal<'a> {
    pub grade: &'a GradeView,
    pub count: u32,
}

/// `index.html`.
#[derive(Serialize)]
pub struct HomePage<'a> {
    pub notice: &'a Notice,
    pub notice_html: String,
    pub grade_totals: Vec<GradeTotal<'a>>,
    pub total: usize,
    pub counts: Counts,
    pub charts: &'a [Chart],
    /// "与 … 版相比：风险点 3 项…", `None` for the first version.
    pub changes_summary: Option<String>,
    /// The 未复核 count, on audiences that see review state.
    pub review: Option<ReviewCount>,
}

/// How many items the audience sees are unreviewed (未复核 N 项).
#[derive(Serialize)]
pub struct ReviewCount {
    pub unreviewed: usize,
}

/// How many items of each kind besides risks.
#[derive(Serialize)]
pub struct Counts {
    pub powers: usize,
    pub flows: usize,
    pub posts: usize,
    pub departments: usize,
    pub measures: usize,
}

/// `risks.html`, the register.
#[derive(Serialize)]
pub struct RisksPage<'a> {
    pub risks: Vec<Listed<'a>>,
    pub types: &'a [String],
    pub departments: Vec<Ref>,
    pub charts: &'a [Chart],
    pub intro: Option<Intro<'a>>,
    /// Whether the audience sees review state (the 复核状态 filter).
    pub review_filter: bool,
}

/// `powers.html`.
#[derive(Serialize)]
pub struct PowersPage<'a> {
    pub powers: Vec<PowerRow<'a>>,
    pub categories: Vec<&'a String>,
    pub intro: Option<Intro<'a>>,
}

#[derive(Serialize)]
pub struct PowerRow<'a> {
    pub link: Option<Ref>,
    pub category: &'a Option<String>,
    pub department: Option<Ref>,
    pub posts: Vec<Ref>,
    pub time_limit: &'a Option<String>,
    pub fee: &'a Option<String>,
    pub risk_count: usize,
}

/// `flows.html`.
#[derive(Serialize)]
pub struct FlowsPage<'a> {
    pub flows: Vec<FlowRow>,
    pub intro: Option<Intro<'a>>,
}

#[derive(Serialize)]
pub struct FlowRow {
    pub link: Option<Ref>,
    pub power: Option<Ref>,
    /// How many steps, and how many of them mark risks.
    pub steps: usize,
    pub marked: usize,
}

/// `posts.html`.
#[derive(Serialize)]
pub struct PostsPage<'a> {
    pub posts: Vec<PostRow<'a>>,
    pub intro: Option<Intro<'a>>,
}

#[derive(Serialize)]
pub struct PostRow<'a> {
    pub link: Option<Ref>,
    pub item: &'a Post,
    pub department: Option<Ref>,
    pub risk_count: usize,
    /// The highest grade of its risks.
    pub top: Option<&'a GradeView>,
}

/// `departments.html`.
#[derive(Serialize)]
pub struct DepartmentsPage<'a> {
    pub departments: Vec<DepartmentRow>,
    pub intro: Option<Intro<'a>>,
}

#[derive(Serialize)]
pub struct DepartmentRow {
    pub link: Option<Ref>,
    pub head: Option<Ref>,
    /// How many posts.
    pub posts: usize,
    /// Risks per grade.
    pub counts: Vec<u32>,
}

/// `measures.html`.
#[derive(Serialize)]
pub struct MeasuresPage<'a> {
    pub measures: Vec<MeasureRow<'a>>,
    pub intro: Option<Intro<'a>>,
}

#[derive(Serialize)]
pub struct MeasureRow<'a> {
    pub link: Option<Ref>,
    pub phase: &'a Option<String>,
    pub category: &'a Option<String>,
    pub risk_count: usize,
}

/// `changes.html`; `changes` is `None` for the first version.
#[derive(Serialize)]
pub struct ChangesPage<'a> {
    pub changes: Option<ChangesView<'a>>,
}

/// `search.html`: `search.js` fills it in the browser.
#[derive(Serialize)]
pub struct SearchPage {}

/// `power.html`.
#[derive(Serialize)]
pub struct PowerPage<'a> {
    pub item: &'a Power,
    pub link: Option<Ref>,
    /// The 待复核 badge (see `view::review_mark`).
    pub review: Option<ReviewMark>,
    pub html: String,
    pub department: Option<Ref>,
    pub posts: Vec<Ref>,
    pub flow: Option<Ref>,
    pub flow_svg: Option<&'a String>,
    pub risks: Vec<Listed<'a>>,
}

/// `flow.html`.
#[derive(Serialize)]
pub struct FlowPage<'a> {
    pub item: &'a Flow,
    pub link: Option<Ref>,
    /// The 待复核 badge (see `view::review_mark`).
    pub review: Option<ReviewMark>,
    pub html: String,
    pub power: Option<Ref>,
    pub steps: Vec<StepView<'a>>,
    pub flow_svg: Option<&'a String>,
}

/// A step of a flow as listed on its page.
#[derive(Serialize)]
pub struct StepView<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub kind: StepKind,
    pub post: Option<Ref>,
    pub time_limit: &'a Option<String>,
    pub risks: Vec<Listed<'a>>,
    pub next: Vec<NextView<'a>>,
}

/// Where a step leads: the step's id, its label, the arrow's label.
#[derive(Serialize)]
pub struct NextView<'a> {
    pub to: &'a str,
    pub step: &'a str,
    pub label: &'a Option<String>,
}

/// `risk.html`: `item` is the risk's view, not the raw item.
#[derive(Serialize)]
pub struct RiskPage<'a> {
    pub item: &'a RiskView,
    pub link: &'a Ref,
    pub html: &'a str,
    pub flow_svgs: Option<&'a [RiskFlow]>,
}

/// A flow a risk sits in, drawn with the risk's step highlighted.
#[derive(Debug, Clone, Serialize)]
pub struct RiskFlow {
    pub flow: String,
    pub title: String,
    pub step: String,
    pub label: String,
    pub svg: String,
}

/// `post.html`.
#[derive(Serialize)]
pub struct PostPage<'a> {
    pub item: &'a Post,
    pub link: Option<Ref>,
    /// The 待复核 badge (see `view::review_mark`).
    pub review: Option<ReviewMark>,
    pub html: String,
    pub department: Option<Ref>,
    pub reports_to: Option<Ref>,
    pub incompatible: Vec<Ref>,
    pub risks: Vec<Listed<'a>>,
    pub powers: Vec<Ref>,
}

/// `department.html`.
#[derive(Serialize)]
pub struct DepartmentPage<'a> {
    pub item: &'a Department,
    pub link: Option<Ref>,
    /// The 待复核 badge (see `view::review_mark`).
    pub review: Option<ReviewMark>,
    pub html: String,
    pub head: Option<Ref>,
    pub parent: Option<Ref>,
    pub children: Vec<Ref>,
    pub posts: Vec<Ref>,
    pub powers: Vec<Ref>,
    pub risks: Vec<Listed<'a>>,
    pub grade_totals: Vec<GradeTotal<'a>>,
    pub charts: Option<&'a [Chart]>,
}

/// `measure.html`.
#[derive(Serialize)]
pub struct MeasurePage<'a> {
    pub item: &'a Measure,
    pub link: Option<Ref>,
    /// The 待复核 badge (see `view::review_mark`).
    pub review: Option<ReviewMark>,
    pub html: String,
    pub risks: Vec<Listed<'a>>,
}

/// `page.html`, a free page.
#[derive(Serialize)]
pub struct FreePage<'a> {
    pub item: &'a Page,
    pub link: Option<Ref>,
    pub html: String,
}

/// `versions.html`, for `site/<scope>/index.html` and `versions.html`.
#[derive(Serialize)]
pub struct VersionsPage<'a> {
    /// Newest first.
    pub versions: &'a [VersionSummary],
    pub newest: Option<&'a str>,
    /// True for `index.html`, which opens the newest version.
    pub redirect: bool,
}
