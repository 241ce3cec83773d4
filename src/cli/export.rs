//! `gongshi export --format csv|xlsx|json [--scope S] [-o FILE]`: one
//! export file of one audience (default: the widest, as an export is
//! usually handed out), refused like `build` when content has errors, and
//! never written into the site's sources (`content/`, `gongshi.yaml`).

use super::check::print_text;
use super::{Ctx, ExportFormat, EXIT_ERRORS, EXIT_USAGE};
use crate::pipeline::Checked;
use std::path::{Path, PathBuf};

/// The checked site an export is made from, or the exit code after
/// saying why not: an output path inside the sources, a site that cannot
/// be read, or content with errors. Shared by every export format.
pub(super) fn checked_for_export(ctx: &Ctx, output: Option<&Path>) -> Result<Checked, i32> {
    if let Some(path) = output {
        if crate::import::paths::in_sources(&ctx.root, path) {
            ctx.say(
                "cli.export.into_sources",
                &[("path", path.display().to_string())],
            );
            return Err(EXIT_USAGE);
        }
    }
    let checked = match crate::pipeline::check(&ctx.root) {
        Ok(c) => c,
        Err(diags) => {
            print_text(ctx, &diags);
            return Err(EXIT_USAGE);
        }
    };
    if checked.errors() > 0 {
        print_text(ctx, &checked.diags);
        ctx.say(
            "cli.export.refused",
            &[("errors", checked.errors().to_string())],
        );
        return Err(EXIT_ERRORS);
    }
    Ok(checked)
}

/// The audience a command names with `--scope`, else the widest (an
/// export or a diff is usually handed out); an unknown name is said, with
/// the names there are.
pub(super) fn widest_or_named(
    ctx: &Ctx,
    cfg: &crate::config::Config,
    scope: Option<&str>,
) -> Result<usize, i32> {
    let Some(s) = scope else {
        return Ok(0);
    };
    cfg.scope_index(s).ok_or_else(|| {
        ctx.say(
            "cli.build.unknown_scope",
            &[
                ("scope", s.to_string()),
                ("allowed", cfg.scope_names().join(", ")),
            ],
        );
        EXIT_USAGE
    })
}

pub fn export(
    ctx: &Ctx,
    format: ExportFormat,
    scope: Option<String>,
    output: Option<PathBuf>,
) -> i32 {
    let checked = match checked_for_export(ctx, output.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let cfg = &checked.site.config;
    let audience = match widest_or_named(ctx, cfg, scope.as_deref()) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let site = crate::scope::filter(&checked.site, audience);
    let name = match format {
        ExportFormat::Ledger => unreachable!("cli::run sends the ledger to ledger::export"),
        ExportFormat::Csv => crate::render::export::CSV_PATH,
        ExportFormat::Json => crate::render::data::PATH,
        ExportFormat::Xlsx => crate::render::export::XLSX_PATH,
    };
    // The very bytes `build` writes into the version folder, the change
    // log against the same earlier versions of `site/` included.
    let out = crate::build::out_dir(&ctx.root, None);
    let (history, _) =
        crate::history::History::read(&ctx.root, &out, &cfg.scopes[audience].name, &cfg.version);
    let bytes = match crate::render::context::document(&site, &history, name) {
        Some(Ok(b)) => b,
        Some(Err(e)) => {
            ctx.say(
                "cli.build.render_error",
                &[("page", e.page), ("detail", e.detail)],
            );
            return EXIT_ERRORS;
        }
        None => unreachable!("every export format is a document"),
    };
    let path = output.unwrap_or_else(|| PathBuf::from(name));
    if let Err(e) = crate::write::file(&path, &bytes) {
        ctx.say(
            "cli.io_error",
            &[
                ("path", path.display().to_string()),
                ("detail", e.to_string()),
            ],
        );
        return EXIT_ERRORS;
    }
    if !ctx.quiet {
        let s = &cfg.scopes[audience];
        ctx.say(
            "cli.export.done",
            &[
                ("path", path.display().to_string()),
                ("label", s.label.clone()),
                ("scope", s.name.clone()),
                ("risks", site.risks.len().to_string()),
            ],
        );
    }
    0
}
