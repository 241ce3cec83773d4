//! The whole build: checked model → per-audience filter → render → write.

use crate::diag::Diagnostic;
use crate::model::Site;
use crate::pipeline::Checked;
use crate::render::{self, theme::Theme, Extra, Rendered};
use std::path::{Path, PathBuf};

/// Why a build stopped. Nothing was written when it did.
#[derive(Debug)]
pub enum BuildError {
    Config(Vec<Diagnostic>),
    Content(Vec<Diagnostic>),
    UnknownScope { scope: String, allowed: String },
    Theme(render::theme::ThemeError),
    Render(render::RenderError),
    Io { path: PathBuf, detail: String },
}

/// What a build wrote.
#[derive(Debug)]
pub struct Report {
    /// (scope name, files written, version folder)
    pub audiences: Vec<(String, usize, PathBuf)>,
    /// Warnings from check.
    pub diags: Vec<Diagnostic>,
}

/// Options of `gongshi build`.
pub struct Options {
    /// One audience by name, or all.
    pub scope: Option<String>,
    /// Output root (default `root/site`).
    pub out: Option<PathBuf>,
}

/// Drawings for one audience's pages: charts (with the other versions'
/// counts read from their `data.json`) and flowcharts.
pub fn extra(site: &Site, out: &Path, audience: usize) -> Extra {
    let history = history(site, out, audience);
    let (home_charts, register_charts, department_charts) = render::summary::all(site, &history);
    let (flow_svgs, risk_flow_svgs) = render::flows::draw_all(site);
    Extra {
        home_charts,
        register_charts,
        department_charts,
        flow_svgs,
        risk_flow_svgs,
    }
}

/// Per-grade counts of every version of this audience, oldest first; the
/// version being built counts from the model, others from their data.json.
fn history(site: &Site, out: &Path, audience: usize) -> Vec<render::summary::VersionCounts> {
    let scope = &site.config.scopes[audience].name;
    let current = &site.config.version;
    let mut list: Vec<render::summary::VersionCounts> = crate::write::versions(out, scope)
        .into_iter()
        .rev()
        .filter(|v| v != current)
        .filter_map(|v| {
            let text = std::fs::read_to_string(out.join(scope).join(&v).join("data.json")).ok()?;
            let (_, counts) = render::data::grade_counts(site, &text)?;
            Some(render::summary::VersionCounts { version: v, counts })
        })
        .collect();
    list.push(render::summary::VersionCounts {
        version: current.clone(),
        counts: site.grade_counts(site.risks.iter()),
    });
    let mut names: Vec<String> = list.iter().map(|v| v.version.clone()).collect();
    names.push(current.clone());
    crate::write::sort_versions(&mut names);
    list.sort_by_key(|v| std::cmp::Reverse(names.iter().position(|n| n == &v.version)));
    list
}

/// Every file of one audience's version folder, from that audience's
/// filtered site (see `scope::filter`).
pub fn render_audience(
    root: &Path,
    filtered: &Site,
    audience: usize,
    theme: &Theme,
    out: &Path,
) -> Result<Vec<Rendered>, render::RenderError> {
    let extra = extra(filtered, out, audience);
    let mut files = render::render(filtered, audience, theme, &extra)?;
    for (path, bytes) in render::theme::read_tree(&root.join("static")) {
        let path = format!("static/{path}");
        files.retain(|f| f.path != path);
        files.push(Rendered { path, bytes });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Checks, then builds the chosen audiences into `out/<scope>/<version>/`.
pub fn build(root: &Path, opts: &Options) -> Result<Report, BuildError> {
    let checked: Checked = crate::pipeline::check(root).map_err(BuildError::Config)?;
    if checked.errors() > 0 {
        return Err(BuildError::Content(checked.diags));
    }
    let site = &checked.site;
    let cfg = &site.config;
    let audiences: Vec<usize> = match &opts.scope {
        Some(s) => vec![cfg.scope_index(s).ok_or_else(|| BuildError::UnknownScope {
            scope: s.clone(),
            allowed: cfg.scope_names().join(", "),
        })?],
        None => (0..cfg.scopes.len()).collect(),
    };
    let theme = Theme::load(root, &cfg.theme, cfg.lang()).map_err(BuildError::Theme)?;
    let out = opts.out.clone().unwrap_or_else(|| root.join("site"));
    let io = |path: &Path, e: std::io::Error| BuildError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    // Render everything before writing anything.
    let mut rendered = Vec::new();
    for &a in &audiences {
        let filtered = crate::scope::filter(site, a);
        let files =
            render_audience(root, &filtered, a, &theme, &out).map_err(BuildError::Render)?;
        rendered.push((a, filtered, files));
    }
    crate::write::sweep(&out).map_err(|e| io(&out, e))?;
    let mut report = Report {
        audiences: Vec::new(),
        diags: checked.diags.clone(),
    };
    for (a, filtered, files) in rendered {
        let name = &cfg.scopes[a].name;
        let dir =
            crate::write::version(&out, name, &cfg.version, &files).map_err(|e| io(&out, e))?;
        let versions = crate::write::versions(&out, name);
        for f in
            render::versions_index(&filtered, a, &theme, &versions).map_err(BuildError::Render)?
        {
            let path = out.join(name).join(&f.path);
            crate::write::file(&path, &f.bytes).map_err(|e| io(&path, e))?;
        }
        report.audiences.push((name.clone(), files.len(), dir));
    }
    Ok(report)
}
