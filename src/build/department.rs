//! `gongshi build --department ID`: one department's own booklet, for the
//! 科室 to check their part before 组织审查. It is the booklet of a render
//! context made from `Filtered::department` (that department's risks,
//! posts, powers and flows, and the shared measures its risks cite) —
//! `booklet.html`, with `booklet.pdf` and `booklet.docx` when asked — in
//! `out/departments/<scope>/<version>/<ID>/`, outside every audience's
//! version folders: the site a build or `serve` makes is not changed by it.
//! The audience is `--scope`, else the narrowest (a draft for internal
//! review).

use super::{lock, prepare, BuildError, Options, Report};
use crate::history::History;
use crate::render::{self, Context};
use std::path::Path;

/// The folder under the output root that holds department booklets.
pub const FOLDER: &str = "departments";

/// Writes department `id`'s booklet; the report names its folder.
pub fn build(
    root: &Path,
    opts: &Options,
    id: &str,
    waiting: &mut dyn FnMut(Option<u32>),
) -> Result<Report, BuildError> {
    let p = prepare(root, opts)?;
    let cfg = p.site.config.clone();
    let a = match &opts.scope {
        Some(_) => p.audiences[0],
        None => cfg.scopes.len() - 1,
    };
    let scope = &cfg.scopes[a].name;
    let unknown = || {
        let ids: Vec<String> = (p.site.departments.iter())
            .filter(|d| d.meta.scope <= a)
            .map(|d| d.meta.id.clone())
            .collect();
        BuildError::UnknownDepartment {
            id: id.to_string(),
            scope: scope.clone(),
            nearest: crate::model::fields::nearest(id, &ids),
        }
    };
    let part = (crate::scope::filter(&p.site, a).department(id)).ok_or_else(unknown)?;
    let _lock = lock(&p.out, waiting)?;
    let out = p.out.join(FOLDER).join(scope);
    let io = |e: std::io::Error| BuildError::Io {
        path: out.clone(),
        detail: e.to_string(),
    };
    crate::write::sweep(&out).map_err(io)?;
    let mut pdf = Vec::new();
    let printer = crate::pdf::Printer::wanted(root, &cfg.booklet, opts.pdf, &mut pdf);
    let staging = crate::write::Staging::new(&out, &cfg.version, id).map_err(io)?;
    let theme = std::sync::Arc::new(p.theme);
    let mut ctx = Context::new(root, part, &History::default(), theme, false);
    if opts.docx {
        ctx = ctx.with_docx();
    }
    let files = print(&ctx, scope, printer.as_ref(), &staging, &mut pdf)?;
    let dir = staging.commit().map_err(io)?;
    Ok(Report {
        audiences: vec![(scope.clone(), files, dir)],
        diags: p.diags,
        pdf,
        unreviewed: Vec::new(),
    })
}

/// Renders the booklets into `sink` and, with `printer`, prints
/// `booklet.pdf` beside them (a failed print is an outcome, not an error).
fn print(
    ctx: &Context,
    scope: &str,
    printer: Option<&crate::pdf::Printer>,
    sink: &dyn crate::write::Sink,
    outcomes: &mut Vec<crate::pdf::Outcome>,
) -> Result<usize, BuildError> {
    let Some(printer) = printer else {
        return ctx.booklets(sink).map_err(BuildError::Render);
    };
    let started = std::time::Instant::now();
    let tee = crate::write::Tee {
        inner: sink,
        keep: |p: &str| p == render::booklet::PATH || p.starts_with("static/"),
        kept: crate::write::Memory::default(),
    };
    let n = ctx.booklets(&tee).map_err(BuildError::Render)?;
    match printer.print(&tee.kept.into_files()) {
        Ok((bytes, pages, numbered)) => {
            render::put(sink, render::booklet::PDF_PATH, bytes).map_err(BuildError::Render)?;
            outcomes.push(crate::pdf::Outcome::Printed(crate::pdf::Printed {
                scope: scope.to_string(),
                pages,
                numbered,
                secs: started.elapsed().as_secs_f64(),
            }));
            Ok(n + 1)
        }
        Err(e) => {
            outcomes.push(crate::pdf::Outcome::Skipped(e));
            Ok(n)
        }
    }
}
