//! `gongshi review [ID…] [--all] [--department ID] [--by NAME] [--date D]`:
//! stamps items as reviewed (签字备案), editing only their `reviewed` line.

use super::check::print_text;
use super::{Ctx, EXIT_ERRORS, EXIT_USAGE};
use crate::review::stamp::{self, Item, Unknown};

/// The command's arguments.
pub struct Args {
    pub ids: Vec<String>,
    pub all: bool,
    pub department: Option<String>,
    pub by: Option<String>,
    pub date: Option<String>,
}

pub fn review(ctx: &Ctx, a: Args) -> i32 {
    if a.ids.is_empty() && !a.all && a.department.is_none() {
        ctx.say("cli.review.nothing", &[]);
        return EXIT_USAGE;
    }
    let date = a.date.unwrap_or_else(crate::today);
    if !crate::model::is_date(&date) {
        ctx.say("cli.review.bad_date", &[("date", date)]);
        return EXIT_USAGE;
    }
    let checked = match crate::pipeline::check(&ctx.root) {
        Ok(c) => c,
        Err(diags) => {
            print_text(ctx, &diags);
            return EXIT_USAGE;
        }
    };
    let site = &checked.site;
    let by =
        a.by.or_else(|| site.config.review.by.clone())
            .map(|b| b.trim().to_string())
            .filter(|b| !b.is_empty());
    let Some(by) = by else {
        ctx.say("cli.review.no_by", &[]);
        return EXIT_USAGE;
    };
    if checked.errors() > 0 {
        let errors: Vec<_> = checked.diags.into_iter().filter(|d| d.is_error()).collect();
        print_text(ctx, &errors);
        ctx.say(
            "cli.review.refused",
            &[("errors", errors.len().to_string())],
        );
        return EXIT_ERRORS;
    }
    let items = match stamp::select(site, &a.ids, a.all, a.department.as_deref()) {
        Ok(items) => items,
        Err(unknown) => {
            for u in unknown {
                say_unknown(ctx, &u);
            }
            ctx.say("cli.review.none_written", &[]);
            return EXIT_USAGE;
        }
    };
    let out = stamp::stamp(&ctx.root, site, &items, &date, &by);
    for (file, key, detail) in &out.failed {
        let why = crate::i18n::tr(ctx.lang, key, &[("detail", detail.clone())]);
        ctx.say("cli.review.failed", &[("file", file.clone()), ("why", why)]);
    }
    ctx.info(
        "cli.review.done",
        &[
            ("n", out.stamped.len().to_string()),
            ("date", date),
            ("by", by),
            ("ids", list(&out.stamped)),
        ],
    );
    if !out.current.is_empty() {
        ctx.info(
            "cli.review.current",
            &[
                ("n", out.current.len().to_string()),
                ("ids", list(&out.current)),
            ],
        );
    }
    if out.failed.is_empty() {
        0
    } else {
        EXIT_ERRORS
    }
}

/// Ids for a report line: the first twelve, then how many more.
fn list(items: &[Item]) -> String {
    const SHOWN: usize = 12;
    let mut ids: Vec<&str> = items
        .iter()
        .take(SHOWN)
        .map(|(_, id)| id.as_str())
        .collect();
    let more;
    if items.len() > SHOWN {
        more = format!("… (+{})", items.len() - SHOWN);
        ids.push(&more);
    }
    ids.join(", ")
}

fn say_unknown(ctx: &Ctx, u: &Unknown) {
    match u {
        Unknown::Id { id, nearest } => match nearest {
            Some(n) => ctx.say(
                "cli.review.unknown_id_nearest",
                &[("id", id.clone()), ("nearest", n.clone())],
            ),
            None => ctx.say("cli.review.unknown_id", &[("id", id.clone())]),
        },
        Unknown::NotStamped { id, kind } => {
            let word = crate::i18n::tr(ctx.lang, &format!("cli.new.word.{}", kind.name()), &[]);
            ctx.say(
                "cli.review.not_stamped",
                &[("id", id.clone()), ("kind", word)],
            );
        }
        Unknown::Department { id, nearest } => match nearest {
            Some(n) => ctx.say(
                "cli.review.unknown_department_nearest",
                &[("id", id.clone()), ("nearest", n.clone())],
            ),
            None => ctx.say("cli.review.unknown_department", &[("id", id.clone())]),
        },
    }
}
