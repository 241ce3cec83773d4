//! Stage 5, render: pages, SVG, exports — from the filtered model only.
//!
//! A [`Context`] is made from one audience's filtered site
//! (`scope::Filtered`) and renders the files of its version folder as
//! bytes into a sink; writing them is the write stage's job.

pub mod booklet;
pub mod changes;
pub mod charts;
pub mod context;
pub mod data;
pub mod docx;
pub mod export;
pub mod flows;
pub mod markdown;
pub mod page_data;
pub mod pages;
pub mod search;
pub mod summary;
pub mod theme;
pub mod view;

pub use context::Context;

use crate::model::{Kind, Site};
use crate::write::Rendered;
use page_data::{Common, NavLink, PageContext, RiskFlow, SiteData, VersionsPage};
use serde::Serialize;
use std::collections::BTreeMap;
use view::Shown;

/// A template that failed on a page.
#[derive(Debug)]
pub struct RenderError {
    pub page: String,
    pub detail: String,
}

/// A chart with the table of its numbers.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub svg: String,
    /// Column heads, then rows of cells.
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Drawings made before the pages: charts and flow SVGs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extra {
    pub home_charts: Vec<Chart>,
    pub register_charts: Vec<Chart>,
    pub department_charts: BTreeMap<String, Vec<Chart>>,
    pub flow_svgs: BTreeMap<String, String>,
    /// risk id → the flows it appears in, drawn with its step highlighted.
    pub risk_flow_svgs: BTreeMap<String, Vec<RiskFlow>>,
    /// The audience's change log against the previous version (its own
    /// data only); `None` for the first version.
    pub log: Option<crate::changes::ChangeLog>,
    /// Whether `booklet.pdf` is printed (the home page links to it).
    pub booklet_pdf: bool,
}

/// Data every page gets: the site, its audience, the navigation
/// (`booklet_pdf` false; see [`page_common`]).
pub fn common(site: &Site, audience: usize) -> Common {
    let cfg = &site.config;
    let mut nav = vec![NavLink {
        key: "home",
        href: "index.html".into(),
    }];
    for k in Kind::FOLDERS.into_iter().filter(|k| *k != Kind::Page) {
        nav.push(NavLink {
            key: k.folder(),
            href: format!("{}/index.html", k.folder()),
        });
    }
    Common {
        lang: cfg.lang().tag(),
        site: SiteData {
            title: cfg.title.clone(),
            unit: cfg.unit.clone(),
            version: cfg.version.clone(),
            // What pages show as the version: the label, else the folder name.
            version_label: cfg
                .version_label
                .clone()
                .unwrap_or_else(|| cfg.version.clone()),
            scope: cfg.scopes[audience].clone(),
            grades: view::grade_views(cfg),
        },
        nav,
        pages: site
            .pages
            .iter()
            .map(|p| view::Ref {
                id: p.meta.id.clone(),
                title: p.meta.title.clone(),
                href: view::href(Kind::Page, &p.meta.id),
            })
            .collect(),
        booklet_pdf: false,
        footer: cfg
            .on_portal(audience)
            .then(|| page_data::Footer::of(&cfg.portal)),
    }
}

/// The files of a version folder that hold the whole register rather than
/// one page: the booklet and the exports. `serve` makes them on request.
/// `booklet.docx` is made only when asked for (config `booklet.docx`,
/// `build --docx`).
pub const DOCUMENTS: [&str; 7] = [
    booklet::PATH,
    docx::PATH,
    data::PATH,
    search::PATH,
    export::XLSX_PATH,
    export::CSV_PATH,
    export::SCHEMA_PATH,
];

/// Data every page gets, with whether the home page links `booklet.pdf`.
pub fn page_common(site: &Site, audience: usize, extra: &Extra) -> Shown<Common> {
    Shown::new(Common {
        booklet_pdf: extra.booklet_pdf,
        ..common(site, audience)
    })
}

/// Hands one file to `sink`.
pub(crate) fn put(
    sink: &dyn crate::write::Sink,
    path: &str,
    bytes: Vec<u8>,
) -> Result<(), RenderError> {
    sink.put(path, bytes).map_err(|e| RenderError {
        page: path.into(),
        detail: e.to_string(),
    })
}

/// `site/<scope>/index.html` (opens the newest version) and
/// `site/<scope>/versions.html` (the list), from the versions found.
/// `site` is the audience's filtered site.
pub fn versions_index(
    site: &Site,
    audience: usize,
    theme: &theme::Theme,
    versions: &[data::VersionSummary],
) -> Result<Vec<Rendered>, RenderError> {
    let common = Shown::new(common(site, audience));
    let mut out = Vec::new();
    for (path, redirect) in [("index.html", true), ("versions.html", false)] {
        let data = VersionsPage {
            versions,
            newest: versions.first().map(|v| v.version.as_str()),
            redirect,
        };
        let page = PageContext {
            common: &common,
            root: String::new(),
            path,
            section: "",
            data: &data,
        };
        let mut bytes = Vec::new();
        theme.render_to("versions.html", &page, &mut bytes)?;
        out.push(Rendered {
            path: path.into(),
            bytes,
        });
    }
    Ok(out)
}
