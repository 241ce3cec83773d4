//! `gongshi build`: check, then write every audience's version folder.

use super::check::print_text;
use super::{Ctx, EXIT_ERRORS, EXIT_USAGE};
use crate::build::{BuildError, Options};
use std::time::Instant;

/// `gongshi build` with every option (`--pdf` too).
pub fn build_with(ctx: &Ctx, opts: Options) -> i32 {
    let run = |waiting: &mut dyn FnMut(Option<u32>)| {
        crate::build::build_waiting(&ctx.root, &opts, waiting)
    };
    match with_spinner(ctx, run, |r| r) {
        Ok(_) => 0,
        Err(code) => code,
    }
}

/// Runs a build (`run`; `publish` too) under the spinner, saying so when it
/// waits for another run of the same site, then prints its report (found in
/// the result by `report`) or why it stopped (the exit code).
pub fn with_spinner<T>(
    ctx: &Ctx,
    run: impl FnOnce(&mut dyn FnMut(Option<u32>)) -> Result<T, BuildError>,
    report: impl Fn(&T) -> &crate::build::Report,
) -> Result<T, i32> {
    let started = Instant::now();
    let spinner = indicatif::ProgressBar::new_spinner();
    if ctx.quiet {
        spinner.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    spinner.set_message(crate::i18n::tr(ctx.lang, "cli.build.working", &[]));
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let mut waiting = |pid: Option<u32>| {
        let pid = pid.map_or_else(|| "?".to_string(), |p| p.to_string());
        let secs = crate::lock::WAIT.as_secs().to_string();
        spinner.suspend(|| ctx.info("cli.lock.waiting", &[("pid", pid), ("secs", secs)]));
    };
    let result = run(&mut waiting);
    spinner.finish_and_clear();
    let done = result.map_err(|e| report_error(ctx, e))?;
    let report = report(&done);
    print_text(ctx, &report.diags);
    print_pdf(ctx, report);
    if !ctx.quiet {
        let files: usize = report.audiences.iter().map(|a| a.1).sum();
        let dirs: Vec<String> = report
            .audiences
            .iter()
            .map(|a| a.2.display().to_string())
            .collect();
        ctx.say(
            "cli.build.done",
            &[
                ("files", files.to_string()),
                ("dirs", dirs.join(", ")),
                ("warnings", report.diags.len().to_string()),
                ("secs", format!("{:.2}", started.elapsed().as_secs_f64())),
            ],
        );
    }
    Ok(done)
}

/// Says what became of the PDF booklets (nothing without `--pdf`).
fn print_pdf(ctx: &Ctx, report: &crate::build::Report) {
    if ctx.quiet {
        return;
    }
    let warning = crate::i18n::tr(ctx.lang, "cli.warning", &[]);
    for o in &report.pdf {
        match o {
            crate::pdf::Outcome::Printed(p) => {
                let path = report
                    .audiences
                    .iter()
                    .find(|a| a.0 == p.scope)
                    .map(|a| {
                        a.2.join(crate::render::booklet::PDF_PATH)
                            .display()
                            .to_string()
                    })
                    .unwrap_or_default();
                ctx.say(
                    "cli.pdf.printed",
                    &[
                        ("path", path),
                        ("pages", p.pages.to_string()),
                        ("secs", format!("{:.1}", p.secs)),
                    ],
                );
                if !p.numbered {
                    eprintln!(
                        "{warning}：{}",
                        crate::i18n::tr(ctx.lang, "cli.pdf.unnumbered", &[])
                    );
                }
            }
            crate::pdf::Outcome::Skipped(e) => eprintln!("{warning}：{}", e.message(ctx.lang)),
        }
    }
}

/// Prints why a build stopped; returns the exit code.
pub fn report_error(ctx: &Ctx, e: BuildError) -> i32 {
    match e {
        BuildError::Config(diags) => {
            print_text(ctx, &diags);
            EXIT_USAGE
        }
        BuildError::Content(diags) => {
            print_text(ctx, &diags);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            ctx.say("cli.build.refused", &[("errors", errors.to_string())]);
            EXIT_ERRORS
        }
        BuildError::Frozen {
            scope,
            version,
            manifest,
            record,
        } => {
            let key = if manifest {
                "cli.build.frozen"
            } else {
                "cli.build.frozen_recorded"
            };
            ctx.say(
                key,
                &[
                    ("scope", scope),
                    ("version", version),
                    ("record", record.display().to_string()),
                ],
            );
            EXIT_ERRORS
        }
        BuildError::Busy { pid, secs } => {
            let pid = pid.map_or_else(|| "?".to_string(), |p| p.to_string());
            ctx.say("cli.lock.busy", &[("pid", pid), ("secs", secs.to_string())]);
            EXIT_ERRORS
        }
        BuildError::UnknownDepartment { id, scope, nearest } => {
            let key = match nearest {
                Some(_) => "cli.build.unknown_department_nearest",
                None => "cli.build.unknown_department",
            };
            let nearest = nearest.unwrap_or_default();
            ctx.say(key, &[("id", id), ("scope", scope), ("nearest", nearest)]);
            EXIT_USAGE
        }
        BuildError::UnknownScope { scope, allowed } => {
            ctx.say(
                "cli.build.unknown_scope",
                &[("scope", scope), ("allowed", allowed)],
            );
            EXIT_USAGE
        }
        BuildError::Theme(t) => {
            ctx.say(
                "cli.build.theme_error",
                &[("file", t.file), ("detail", t.detail)],
            );
            EXIT_ERRORS
        }
        BuildError::Render(r) => {
            ctx.say(
                "cli.build.render_error",
                &[("page", r.page), ("detail", r.detail)],
            );
            EXIT_ERRORS
        }
        BuildError::Io { path, detail } => {
            ctx.say(
                "cli.io_error",
                &[("path", path.display().to_string()), ("detail", detail)],
            );
            EXIT_ERRORS
        }
        BuildError::Unreviewed(items) => {
            for u in &items {
                ctx.say(
                    "cli.publish.unreviewed_item",
                    &[
                        ("id", u.id.clone()),
                        ("title", u.title.clone()),
                        ("file", u.file.clone()),
                        ("what", unreviewed_words(ctx, u)),
                    ],
                );
            }
            // the fix names the ids when they fit on a line
            let ids: Vec<&str> = items.iter().map(|u| u.id.as_str()).collect();
            let key = if ids.len() <= 12 {
                "cli.publish.refused_unreviewed"
            } else {
                "cli.publish.refused_unreviewed_many"
            };
            ctx.say(
                key,
                &[("n", items.len().to_string()), ("ids", ids.join(" "))],
            );
            EXIT_ERRORS
        }
        BuildError::Unreadable { path, detail } => {
            ctx.say(
                "cli.read_error",
                &[("path", path.display().to_string()), ("detail", detail)],
            );
            EXIT_ERRORS
        }
    }
}

/// What is unreviewed about an item, in words: never, a bare date, or
/// the fields changed since its stamp.
pub fn unreviewed_words(ctx: &Ctx, u: &crate::versions::Unreviewed) -> String {
    let lang = ctx.lang;
    let fields: Vec<String> = u
        .fields
        .iter()
        .map(|f| crate::i18n::field_path(lang, f))
        .collect();
    let key = match (u.state.as_str(), fields.is_empty()) {
        ("never", _) => "cli.publish.state.never",
        ("unverified", _) => "cli.publish.state.unverified",
        (_, true) => "cli.publish.state.changed_unknown",
        (_, false) => "cli.publish.state.changed",
    };
    let join = crate::i18n::tr(lang, "field.list.join", &[]);
    crate::i18n::tr(lang, key, &[("fields", fields.join(&join))])
}
