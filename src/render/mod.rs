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
pub mod export;
pub mod flows;
pub mod markdown;
pub mod pages;
pub mod search;
pub mod summary;
pub mod theme;
pub mod view;

pub use context::Context;

use crate::model::{Kind, Site};
use crate::write::Rendered;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

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
    pub risk_flow_svgs: BTreeMap<String, Vec<serde_json::Value>>,
    /// `changes.html`'s view of `log`; `None` for the first version.
    pub changes: Option<changes::Changes>,
    /// The audience's change log against the previous version (its own
    /// data only); `None` for the first version.
    pub log: Option<crate::changes::ChangeLog>,
    /// Whether `booklet.pdf` is printed (the home page links to it).
    pub booklet_pdf: bool,
}

/// Data every page gets: the site, its audience, the navigation.
pub fn common(site: &Site, audience: usize) -> serde_json::Value {
    let cfg = &site.config;
    let lang = cfg.lang();
    let mut nav = vec![json!({"key": "home", "href": "index.html"})];
    for k in Kind::FOLDERS.into_iter().filter(|k| *k != Kind::Page) {
        nav.push(json!({"key": k.folder(), "href": format!("{}/index.html", k.folder())}));
    }
    json!({
        "lang": lang.tag(),
        "site": {
            "title": cfg.title,
            "unit": cfg.unit,
            "version": cfg.version,
            // What pages show as the version: the label, else the folder name.
            "version_label": cfg.version_label.as_deref().unwrap_or(&cfg.version),
            "scope": cfg.scopes[audience],
            "grades": view::grade_views(cfg),
        },
        "nav": nav,
        "pages": site.pages.iter().map(|p| view::Ref {
            id: p.meta.id.clone(),
            title: p.meta.title.clone(),
            href: view::href(Kind::Page, &p.meta.id),
        }).collect::<Vec<_>>(),
    })
}

/// The files of a version folder that hold the whole register rather than
/// one page: the booklet and the exports. `serve` makes them on request.
pub const DOCUMENTS: [&str; 6] = [
    booklet::PATH,
    data::PATH,
    search::PATH,
    export::XLSX_PATH,
    export::CSV_PATH,
    export::SCHEMA_PATH,
];

/// Data every page gets, with whether the home page links `booklet.pdf`.
pub fn page_common(site: &Site, audience: usize, extra: &Extra) -> serde_json::Value {
    let mut common = common(site, audience);
    common["booklet_pdf"] = json!(extra.booklet_pdf);
    common
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
    let mut common = common(site, audience);
    common["versions"] = json!(versions);
    common["newest"] = json!(versions.first().map(|v| &v.version));
    let mut out = Vec::new();
    for (path, redirect) in [("index.html", true), ("versions.html", false)] {
        let mut ctx = tera::Context::from_value(common.clone()).unwrap_or_default();
        ctx.insert("root", "");
        ctx.insert("path", path);
        ctx.insert("redirect", &redirect);
        let html = theme
            .tera
            .render("versions.html", &ctx)
            .map_err(|e| RenderError {
                page: path.into(),
                detail: theme::error_chain(&e),
            })?;
        out.push(Rendered {
            path: path.into(),
            bytes: html.into_bytes(),
        });
    }
    Ok(out)
}
