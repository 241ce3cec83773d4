//! Stage 5, render: pages, SVG, exports — from the filtered model only.
//!
//! [`render`] takes one audience's filtered [`Site`] and returns the files
//! of its version folder as bytes; writing them is the write stage's job.

pub mod booklet;
pub mod changes;
pub mod charts;
pub mod color;
pub mod data;
pub mod export;
pub mod flow;
pub mod flows;
pub mod markdown;
pub mod pages;
pub mod search;
pub mod summary;
pub mod theme;
pub mod view;

use crate::model::{Kind, Site};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// One output file, path relative to the version folder.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub path: String,
    pub bytes: Vec<u8>,
}

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
    /// Against the previous version; `None` for the first.
    pub changes: Option<changes::Changes>,
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

/// Renders every page, the documents (see [`DOCUMENTS`]) and the theme's
/// static files into `sink`. Returns the number of files.
pub fn render(
    site: &Site,
    audience: usize,
    theme: &theme::Theme,
    extra: &Extra,
    sink: &dyn crate::write::Sink,
) -> Result<usize, RenderError> {
    let views = view::Views::build(site);
    crate::timing::mark("views");
    let common = page_common(site, audience, extra);
    let lists = pages::list_jobs(site, &views, extra);
    crate::timing::mark("list pages' data");
    let pages = pages::render(theme, lists, site, &views, extra, &common, sink)?;
    crate::timing::mark("pages rendered, written");
    let documents = documents(site, audience, theme, &views, extra, &common, sink)?;
    let mut files = Vec::new();
    for (path, bytes) in &theme.statics {
        files.push(Rendered {
            path: format!("static/{path}"),
            bytes: bytes.clone(),
        });
    }
    let n = files.len();
    put_all(sink, files)?;
    Ok(pages + documents + n)
}

/// Renders the documents of [`DOCUMENTS`] (and the data schema) into `sink`.
pub fn documents(
    site: &Site,
    audience: usize,
    theme: &theme::Theme,
    views: &view::Views,
    extra: &Extra,
    common: &serde_json::Value,
    sink: &dyn crate::write::Sink,
) -> Result<usize, RenderError> {
    let booklet = booklet::job(site, views, &pages::home_job(site, views, extra));
    pages::render_into(theme, booklet, common, sink)?;
    crate::timing::mark("booklet");
    let mut files = vec![data::render(site, audience), search::render(site)];
    crate::timing::mark("data.json, search index");
    files.extend(export::render(site)?);
    crate::timing::mark("xlsx, csv");
    let n = files.len() + 1;
    put_all(sink, files)?;
    Ok(n)
}

fn put_all(sink: &dyn crate::write::Sink, files: Vec<Rendered>) -> Result<(), RenderError> {
    for f in files {
        sink.put(&f.path, f.bytes).map_err(|e| RenderError {
            page: f.path.clone(),
            detail: e.to_string(),
        })?;
    }
    Ok(())
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
