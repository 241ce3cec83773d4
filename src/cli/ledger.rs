//! `gongshi export --format ledger [--department ID] [--template [--rows N]]`
//! and `gongshi import LEDGER.xlsx [--dry-run] [--force]` for a ledger
//! workbook: the register out to a spreadsheet for editing, and back in
//! place. Exit 0 when every row went in, 1 with a conflict or a skipped
//! row, 2 when the workbook or the site could not be read.

use super::check::print_text;
use super::{Ctx, EXIT_ERRORS, EXIT_USAGE};
use crate::i18n::tr;
use crate::import::ledger::plan::{Plan, Status};
use crate::import::ledger::{apply, book, plan, read};
use std::path::{Path, PathBuf};

/// What `export --format ledger` was asked.
pub struct ExportArgs {
    pub department: Option<String>,
    pub template: bool,
    pub rows: usize,
    pub output: Option<PathBuf>,
}

pub fn export(ctx: &Ctx, args: ExportArgs) -> i32 {
    let checked = match super::export::checked_for_export(ctx, args.output.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let site = &checked.site;
    if let Some(d) = &args.department {
        if site.department(d).is_none() {
            let ids: Vec<String> = site.departments.iter().map(|x| x.meta.id.clone()).collect();
            ctx.say(
                "cli.ledger.unknown_department",
                &[("id", d.clone()), ("allowed", ids.join(", "))],
            );
            return EXIT_USAGE;
        }
    }
    let opts = book::Options {
        department: args.department.clone(),
        template: args.template,
        rows: args.rows,
    };
    let bytes = match book::workbook(site, &opts) {
        Ok(b) => b,
        Err(detail) => {
            let page = "ledger.xlsx".to_string();
            ctx.say(
                "cli.build.render_error",
                &[("page", page), ("detail", detail)],
            );
            return EXIT_ERRORS;
        }
    };
    let name = if args.template {
        "ledger-template.xlsx"
    } else {
        "ledger.xlsx"
    };
    let path = args.output.unwrap_or_else(|| PathBuf::from(name));
    if let Err(e) = crate::write::file(&path, &bytes) {
        let (p, d) = (path.display().to_string(), e.to_string());
        ctx.say("cli.io_error", &[("path", p), ("detail", d)]);
        return EXIT_ERRORS;
    }
    let count = |n: usize| n.to_string();
    let of = |d: &Option<String>| args.department.is_none() || *d == args.department;
    ctx.info(
        if args.template {
            "cli.ledger.template_done"
        } else {
            "cli.ledger.done"
        },
        &[
            ("path", path.display().to_string()),
            (
                "risks",
                count(site.risks.iter().filter(|r| of(&r.department)).count()),
            ),
            ("rows", args.rows.to_string()),
        ],
    );
    0
}

/// Imports `file` when it is a ledger workbook; `None` when it is not one.
pub fn import(ctx: &Ctx, file: &Path, dry_run: bool, force: bool) -> Option<i32> {
    let bytes = read_head(file)?;
    if !read::is_ledger(&bytes) {
        return None;
    }
    let shown = file.display().to_string();
    let ledger = match read::read(&bytes) {
        Ok(l) => l,
        Err(e) => {
            let detail = format!("{e:?}");
            ctx.say(
                "cli.import.bad_workbook",
                &[("file", shown), ("detail", detail)],
            );
            return Some(EXIT_USAGE);
        }
    };
    let checked = match crate::pipeline::check(&ctx.root) {
        Ok(c) => c,
        Err(diags) => {
            print_text(ctx, &diags);
            return Some(EXIT_USAGE);
        }
    };
    if checked.errors() > 0 {
        print_text(ctx, &checked.diags);
        let n = checked.errors().to_string();
        ctx.say("cli.ledger.refused", &[("errors", n)]);
        return Some(EXIT_ERRORS);
    }
    println!(
        "{}",
        tr(
            ctx.lang,
            "cli.ledger.read",
            &[
                ("file", shown),
                ("site", ledger.get("site").to_string()),
                ("version", ledger.get("version").to_string()),
                ("gongshi", ledger.get("gongshi").to_string()),
            ]
        )
    );
    let plan = plan::plan(&ctx.root, &checked.site, &ledger, force);
    print_plan(ctx, &plan);
    if dry_run {
        println!("{}", tr(ctx.lang, "cli.ledger.dry_run", &[]));
    } else {
        if let Err((path, detail)) = apply::commit(&ctx.root, &plan.writes) {
            ctx.say("cli.io_error", &[("path", path), ("detail", detail)]);
            return Some(EXIT_ERRORS);
        }
        let n = plan.writes.len().to_string();
        println!("{}", tr(ctx.lang, "cli.ledger.written", &[("n", n)]));
    }
    let trouble = plan.count(|s| matches!(s, Status::Conflict | Status::Skipped(_)));
    Some(if trouble > 0 { EXIT_ERRORS } else { 0 })
}

/// The file's bytes when it may be a workbook (bounded like `import`).
fn read_head(file: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let f = std::fs::File::open(file).ok()?;
    let max = crate::import::table::MAX_FILE;
    f.take(max + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= max && bytes.starts_with(b"PK\x03\x04")).then_some(bytes)
}

fn print_plan(ctx: &Ctx, plan: &Plan) {
    let l = ctx.lang;
    for r in &plan.rows {
        let mut args = vec![
            ("sheet", r.sheet.clone()),
            ("row", r.row.to_string()),
            ("id", r.id.clone()),
            ("title", r.title.clone()),
            ("path", r.path.clone()),
        ];
        let key = match &r.status {
            Status::Updated => "cli.ledger.row_updated",
            Status::Unchanged => "cli.ledger.row_same",
            Status::New => "cli.ledger.row_new",
            Status::Conflict => "cli.ledger.row_conflict",
            Status::Skipped(n) => {
                args.push(("reason", n.text(l)));
                "cli.ledger.row_skipped"
            }
            Status::Blank => continue,
        };
        println!("{}", tr(l, key, &args));
        for c in &r.changes {
            let a = [
                ("field", c.field.clone()),
                ("old", c.old.clone()),
                ("new", c.new.clone()),
            ];
            println!("    {}", tr(l, "cli.ledger.change", &a));
        }
        for c in &r.conflicts {
            let a = [
                ("field", c.field.clone()),
                ("file", c.old.clone()),
                ("sheet", c.new.clone()),
            ];
            println!("    {}", tr(l, "cli.ledger.conflict", &a));
        }
    }
    let n = |f: fn(&Status) -> bool| plan.count(f).to_string();
    println!(
        "{}",
        tr(
            l,
            "cli.ledger.summary",
            &[
                ("updated", n(|s| *s == Status::Updated)),
                ("new", n(|s| *s == Status::New)),
                ("same", n(|s| *s == Status::Unchanged)),
                ("conflict", n(|s| *s == Status::Conflict)),
                ("skipped", n(|s| matches!(s, Status::Skipped(_)))),
            ]
        )
    );
    if plan.count(|s| *s == Status::Conflict) > 0 {
        println!("{}", tr(l, "cli.ledger.conflict_hint", &[]));
    }
}
