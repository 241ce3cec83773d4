//! `gongshi import FILE --kind risk|power|post [--sheet NAME] [--dry-run]
//! [--update | --force]`: runs the import and prints its report, one line per row.
//! Exit 0 when every row with content was imported, 1 when some were
//! skipped, 2 when the file or the site could not be read at all.

use super::check::print_text;
use super::{Ctx, EXIT_ERRORS, EXIT_USAGE};
use crate::i18n::tr;
use crate::import::table::{self, Bound, PartProblem, ReadError};
use crate::import::{ImportError, Options, Outcome, Report};
use crate::model::Kind;
use std::path::Path;

/// How the rows go in.
pub struct How {
    pub dry_run: bool,
    /// Existing items changed in place (`--update`).
    pub update: bool,
    /// Existing files overwritten (`--force`).
    pub force: bool,
}

pub fn import(ctx: &Ctx, file: &Path, kind: &str, sheet: Option<String>, how: How) -> i32 {
    let Some(kind) =
        Kind::parse(kind).filter(|k| matches!(k, Kind::Risk | Kind::Power | Kind::Post))
    else {
        ctx.say("cli.import.bad_kind", &[("kind", kind.to_string())]);
        return EXIT_USAGE;
    };
    let opts = Options {
        file: file.to_path_buf(),
        kind,
        sheet,
        dry_run: how.dry_run,
        force: how.force,
        update: how.update,
        lang: ctx.lang,
    };
    match crate::import::run(&ctx.root, &opts) {
        Ok(report) => {
            print_report(ctx, file, &report);
            let skipped = report.count(|o| matches!(o, Outcome::Skipped(_)));
            if skipped > 0 {
                EXIT_ERRORS
            } else {
                0
            }
        }
        Err(e) => {
            report_error(ctx, file, e);
            EXIT_USAGE
        }
    }
}

fn print_report(ctx: &Ctx, file: &Path, r: &Report) {
    let l = ctx.lang;
    let file = file.display().to_string();
    let row = r.header_row.to_string();
    match &r.sheet {
        Some(sheet) => println!(
            "{}",
            tr(
                l,
                "cli.import.read_sheet",
                &[("file", file), ("sheet", sheet.clone()), ("row", row)]
            )
        ),
        None => {
            let encoding = if r.gbk { "GBK" } else { "UTF-8" }.to_string();
            println!(
                "{}",
                tr(
                    l,
                    "cli.import.read_csv",
                    &[("file", file), ("encoding", encoding), ("row", row)]
                )
            );
        }
    }
    let sep = tr(l, "ui.list_sep", &[]);
    println!(
        "{}",
        tr(l, "cli.import.columns", &[("list", r.used.join(&sep))])
    );
    if !r.ignored.is_empty() {
        println!(
            "{}",
            tr(l, "cli.import.ignored", &[("list", r.ignored.join(&sep))])
        );
    }
    for x in &r.rows {
        let mut args = vec![
            ("row", x.row.to_string()),
            ("id", x.id.clone().unwrap_or_default()),
            ("title", x.title.clone()),
            ("path", x.path.clone().unwrap_or_default()),
        ];
        let key = match &x.outcome {
            Outcome::Imported => "cli.import.row_imported",
            Outcome::InDoubt => "cli.import.row_doubt",
            Outcome::Blank => "cli.import.row_blank",
            Outcome::Exists => "cli.import.row_exists",
            Outcome::Updated(_) => "cli.ledger.row_updated",
            Outcome::Unchanged => "cli.ledger.row_same",
            Outcome::Skipped(why) => {
                args.push(("reason", why.text(l)));
                "cli.import.row_skipped"
            }
        };
        if matches!(x.outcome, Outcome::Updated(_) | Outcome::Unchanged) {
            // the ledger workbook's lines, without a sheet's name
            args.push(("sheet", String::new()));
        }
        println!("{}", tr(l, key, &args).trim_start());
        if let Outcome::Updated(changes) = &x.outcome {
            for c in changes {
                let a = [
                    ("field", c.field.clone()),
                    ("old", c.old.clone()),
                    ("new", c.new.clone()),
                ];
                println!("    {}", tr(l, "cli.ledger.change", &a));
            }
        }
        for n in &x.notes {
            println!("    · {}", n.text(l));
        }
    }
    let count = |f: fn(&Outcome) -> bool| r.count(f).to_string();
    println!(
        "{}",
        tr(
            l,
            "cli.import.summary",
            &[
                ("rows", r.rows.len().to_string()),
                (
                    "imported",
                    count(|o| matches!(o, Outcome::Imported | Outcome::InDoubt))
                ),
                ("doubt", count(|o| matches!(o, Outcome::InDoubt))),
                ("skipped", count(|o| matches!(o, Outcome::Skipped(_)))),
                ("blank", count(|o| matches!(o, Outcome::Blank))),
            ]
        )
    );
    let exist = r.count(|o| matches!(o, Outcome::Exists));
    if exist > 0 {
        let n = exist.to_string();
        println!("{}", tr(l, "cli.import.exists_n", &[("n", n)]));
    }
    if r.update {
        let updated = r.count(|o| matches!(o, Outcome::Updated(_))).to_string();
        let same = r.count(|o| *o == Outcome::Unchanged).to_string();
        println!(
            "{}",
            tr(
                l,
                "cli.import.updated_n",
                &[("updated", updated), ("same", same)]
            )
        );
    }
    if r.dry_run {
        println!("{}", tr(l, "cli.import.dry_run", &[]));
    } else {
        let n = r.count(|o| {
            matches!(
                o,
                Outcome::Imported | Outcome::InDoubt | Outcome::Updated(_)
            )
        });
        println!("{}", tr(l, "cli.import.written", &[("n", n.to_string())]));
    }
}

fn report_error(ctx: &Ctx, file: &Path, e: ImportError) {
    let file = file.display().to_string();
    match e {
        ImportError::Config(diags) => print_text(ctx, &diags),
        ImportError::Read { path, detail } => ctx.say(
            "cli.import.read_error",
            &[("path", path.display().to_string()), ("detail", detail)],
        ),
        ImportError::Table(ReadError::Workbook(detail)) => ctx.say(
            "cli.import.bad_workbook",
            &[("file", file), ("detail", detail)],
        ),
        ImportError::Table(ReadError::NoSheet(sheet, names)) => ctx.say(
            "cli.import.no_sheet",
            &[("sheet", sheet), ("sheets", names.join(", "))],
        ),
        ImportError::Table(ReadError::NotText) => ctx.say("cli.import.not_text", &[("file", file)]),
        ImportError::Table(ReadError::Xls) => ctx.say("cli.import.xls", &[("file", file)]),
        ImportError::Table(e @ (ReadError::Beyond { .. } | ReadError::Part { .. })) => {
            beyond(ctx, file, e)
        }
        ImportError::Table(ReadError::Export {
            site,
            version,
            audience,
        }) => {
            let what = match (site, version, audience) {
                (Some(s), Some(v), Some(a)) => tr(
                    ctx.lang,
                    "cli.import.export_of",
                    &[("site", s), ("version", v), ("audience", a)],
                ),
                _ => tr(ctx.lang, "cli.import.export_csv", &[]),
            };
            ctx.say("cli.import.is_export", &[("file", file), ("what", what)])
        }
        ImportError::Table(ReadError::TooLarge(size)) => ctx.say(
            "cli.import.limit_file",
            &[
                ("file", file),
                ("size", mib(size)),
                ("max", mib(table::MAX_FILE)),
            ],
        ),
        ImportError::NoHeader { expected } => ctx.say(
            "cli.import.no_header",
            &[("file", file), ("expected", expected.join(", "))],
        ),
        ImportError::NoTitle { expected } => ctx.say(
            "cli.import.no_title",
            &[("file", file), ("expected", expected.join(", "))],
        ),
        ImportError::Write { path, detail } => {
            ctx.say("cli.io_error", &[("path", path), ("detail", detail)])
        }
    }
}

/// A size in MiB, for messages.
fn mib(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1u64 << 20) as f64)
}

/// A cell beyond the bounds of `import`, or a part it does not read.
fn beyond(ctx: &Ctx, file: String, e: ReadError) {
    match e {
        ReadError::Beyond { sheet, cell, bound } => {
            let at = match sheet {
                Some(s) => format!("{s}!{cell}"),
                None => cell,
            };
            let (key, max) = match bound {
                Bound::Rows => ("cli.import.limit_rows", table::MAX_ROWS.to_string()),
                Bound::Cols => ("cli.import.limit_cols", table::MAX_COLS.to_string()),
                Bound::Cells => ("cli.import.limit_cells", table::MAX_CELLS.to_string()),
                Bound::Text => ("cli.import.limit_text", mib(table::MAX_TEXT as u64)),
            };
            let last = table::address(0, table::MAX_COLS - 1)
                .trim_end_matches('1')
                .to_string();
            ctx.say(
                key,
                &[("file", file), ("at", at), ("max", max), ("last", last)],
            );
        }
        ReadError::Part { part, problem } => match problem {
            PartProblem::TooLarge => ctx.say(
                "cli.import.limit_part",
                &[
                    ("file", file),
                    ("part", part),
                    ("max", mib(table::MAX_PART)),
                ],
            ),
            PartProblem::Strings(count) => ctx.say(
                "cli.import.limit_strings",
                &[
                    ("file", file),
                    ("part", part),
                    ("count", count),
                    ("max", table::MAX_STRINGS.to_string()),
                ],
            ),
        },
        _ => {}
    }
}
