//! `gongshi check`: validate everything, print diagnostics.

use super::{Ctx, Format, EXIT_ERRORS, EXIT_USAGE};
use crate::diag::Diagnostic;
use crate::i18n::tr;

/// Prints diagnostics as text to stderr (errors always; warnings unless quiet).
pub fn print_text(ctx: &Ctx, diags: &[Diagnostic]) {
    use rayon::prelude::*;
    use std::io::Write;
    // Rendered side by side and written at once: a site with thousands of
    // warnings would otherwise spend a write per line.
    let text: String = diags
        .par_iter()
        .filter(|d| d.is_error() || !ctx.quiet)
        .map(|d| d.render(ctx.lang) + "\n")
        .collect();
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

pub fn check(ctx: &Ctx, format: Format) -> i32 {
    let checked = match crate::pipeline::check(&ctx.root) {
        Ok(c) => c,
        Err(diags) => {
            emit(ctx, format, &diags, diags.len(), 0);
            return EXIT_USAGE;
        }
    };
    emit(
        ctx,
        format,
        &checked.diags,
        checked.errors(),
        checked.warnings(),
    );
    let unreviewed = checked
        .site
        .reviews
        .as_ref()
        .map_or(0, |r| r.unreviewed_count());
    if unreviewed > 0 && format == Format::Text && !ctx.quiet {
        ctx.say("cli.check.unreviewed", &[("n", unreviewed.to_string())]);
    }
    if checked.errors() > 0 {
        EXIT_ERRORS
    } else {
        0
    }
}

fn emit(ctx: &Ctx, format: Format, diags: &[Diagnostic], errors: usize, warnings: usize) {
    match format {
        Format::Json => {
            let list: Vec<_> = diags.iter().map(|d| d.to_json(ctx.lang)).collect();
            let doc = serde_json::json!({
                "errors": errors,
                "warnings": warnings,
                "diagnostics": list,
            });
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        Format::Text => {
            print_text(ctx, diags);
            let args = [
                ("errors", errors.to_string()),
                ("warnings", warnings.to_string()),
            ];
            if ctx.quiet && errors == 0 {
                return;
            }
            let key = if errors == 0 && warnings == 0 {
                "cli.check.clean"
            } else {
                "cli.check.summary"
            };
            eprintln!("{}", tr(ctx.lang, key, &args));
        }
    }
}
