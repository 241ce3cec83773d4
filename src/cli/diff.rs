//! `gongshi diff [FROM] [TO] [--scope S] [--out DIR]`: one audience's
//! change log in the terminal, grouped by kind with counts, 修订前/修订后
//! per field. Default FROM: the last published version of the audience
//! (else the newest built one before the current version); default TO: the
//! current content, filtered for the audience — what is about to be
//! published. Both sides are the audience's own data (its versions'
//! `data.json`, its filtered site), never a wider audience's.

use super::check::print_text;
use super::{Ctx, EXIT_ERRORS, EXIT_USAGE};
use crate::changes::words::Token;
use crate::changes::{kind_label, ChangeLog, Entry, What};
use crate::history::{History, Past, Snapshot};
use crate::i18n::{tr, Lang};
use std::path::{Path, PathBuf};

/// What `gongshi diff` was asked.
pub struct Args {
    pub from: Option<String>,
    pub to: Option<String>,
    pub scope: Option<String>,
    pub out: Option<PathBuf>,
}

pub fn diff(ctx: &Ctx, args: Args) -> i32 {
    let checked = match crate::pipeline::check(&ctx.root) {
        Ok(c) => c,
        Err(diags) => {
            print_text(ctx, &diags);
            return EXIT_USAGE;
        }
    };
    // The current content is compared only when it could be built.
    if args.to.is_none() && checked.errors() > 0 {
        print_text(ctx, &checked.diags);
        ctx.say(
            "cli.export.refused",
            &[("errors", checked.errors().to_string())],
        );
        return EXIT_ERRORS;
    }
    let cfg = checked.site.config.clone();
    let audience = match super::export::widest_or_named(ctx, &cfg, args.scope.as_deref()) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let scope = &cfg.scopes[audience];
    let out = crate::build::out_dir(&ctx.root, args.out.as_deref());
    let from = match args
        .from
        .or_else(|| default_from(ctx, &out, &scope.name, &cfg.version))
    {
        Some(f) => f,
        None => {
            let dir = crate::load::relative(&ctx.root, &out.join(&scope.name));
            ctx.say(
                "cli.diff.no_previous",
                &[("audience", scope.label.clone()), ("dir", dir)],
            );
            return EXIT_USAGE;
        }
    };
    let old = match version(ctx, &out, &scope.name, &scope.label, &from) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (new, to_name) = match &args.to {
        Some(to) => match version(ctx, &out, &scope.name, &scope.label, to) {
            Ok(p) => (p.data, to.clone()),
            Err(code) => return code,
        },
        None => {
            let filtered = crate::scope::filter(&checked.site, audience);
            let current = tr(ctx.lang, "cli.diff.current", &[]);
            (
                Snapshot::of(&filtered).into(),
                format!("{}（{current}）", cfg.version),
            )
        }
    };
    let mut log = ChangeLog::compare(&cfg, audience, &old.data, &new);
    log.from = old.name.clone();
    let text = print(ctx.lang, &log, &to_name, &scope.label, colours());
    print!("{text}");
    0
}

/// The last published version of the audience; without one, the newest
/// built version older than `current`.
fn default_from(ctx: &Ctx, out: &Path, scope: &str, current: &str) -> Option<String> {
    // Published: frozen by a manifest, or in the record.
    let record = crate::versions::Record::load(out).unwrap_or_default();
    let mut published: Vec<String> = crate::write::versions(out, scope)
        .into_iter()
        .filter(|v| crate::versions::is_frozen(out, scope, v) || record.find(scope, v).is_some())
        .collect();
    crate::write::sort_versions(&mut published);
    if let Some(newest) = published.first() {
        return Some(newest.clone());
    }
    let (history, _) = History::read(&ctx.root, out, scope, current);
    history.previous(current).map(|p| p.name.clone())
}

/// Version `name` of the audience, or the exit code after saying why not.
fn version(ctx: &Ctx, out: &Path, scope: &str, label: &str, name: &str) -> Result<Past, i32> {
    if !out.join(scope).join(name).is_dir() {
        let versions = crate::write::versions(out, scope);
        let file = crate::load::relative(&ctx.root, &out.join(scope).join(name));
        ctx.say(
            "cli.diff.unknown_version",
            &[
                ("version", name.to_string()),
                ("audience", label.to_string()),
                ("file", file),
                ("problem", tr(ctx.lang, "history.missing", &[])),
                ("versions", versions.join(", ")),
            ],
        );
        return Err(EXIT_USAGE);
    }
    History::one(&ctx.root, out, scope, name).map_err(|d| {
        print_text(ctx, &[d]);
        EXIT_ERRORS
    })
}

/// Whether to colour: only on a terminal (`console` also honours
/// `NO_COLOR` and `CLICOLOR`).
fn colours() -> bool {
    console::Term::stdout().is_term() && console::colors_enabled()
}

/// The log as terminal text.
pub fn print(lang: Lang, log: &ChangeLog, to: &str, audience: &str, colour: bool) -> String {
    let paint = |s: &str, style: console::Style| -> String {
        if colour {
            style.force_styling(true).apply_to(s).to_string()
        } else {
            s.to_string()
        }
    };
    let shown = |name: &str, label: &Option<String>| match label {
        Some(l) if l != name => format!("{l}（{name}）"),
        _ => name.to_string(),
    };
    let from = shown(&log.from, &log.from_label);
    let args = [
        ("from", from),
        ("to", to.to_string()),
        ("audience", audience.to_string()),
    ];
    if log.is_empty() {
        return format!("{}\n", tr(lang, "cli.diff.none", &args));
    }
    let mut out = String::new();
    let header = tr(lang, "cli.diff.header", &args);
    out.push_str(&paint(&header, console::Style::new().bold()));
    out.push('\n');
    let mut items = 0;
    for g in &log.groups {
        items += g.items;
        let head = tr(
            lang,
            "cli.diff.group",
            &[
                ("kind", kind_label(lang, g.kind)),
                ("items", g.items.to_string()),
                ("n", g.entries.len().to_string()),
            ],
        );
        out.push('\n');
        out.push_str(&paint(&head, console::Style::new().bold().cyan()));
        out.push('\n');
        for e in &g.entries {
            entry(&mut out, lang, log, e, &paint);
        }
    }
    let n = log.entries().count();
    out.push('\n');
    let total = [("items", items.to_string()), ("n", n.to_string())];
    out.push_str(&tr(lang, "cli.diff.total", &total));
    out.push('\n');
    out
}

/// One entry: its line, then 修订前 and 修订后 (each only when it has a
/// text), the changed words marked when colouring.
fn entry(
    out: &mut String,
    lang: Lang,
    log: &ChangeLog,
    e: &Entry,
    paint: &dyn Fn(&str, console::Style) -> String,
) {
    let row = crate::changes::row(lang, log, e);
    let line = tr(
        lang,
        "cli.diff.entry",
        &[
            ("id", e.id.clone()),
            ("title", e.title.clone()),
            ("what", row.what),
        ],
    );
    out.push_str("  ");
    out.push_str(line.trim_start());
    out.push('\n');
    let (red, green) = (console::Style::new().red(), console::Style::new().green());
    let sides = [
        ("cli.diff.before", &e.before, "del", red),
        ("cli.diff.after", &e.after, "ins", green),
    ];
    for (key, text, op, style) in sides {
        let whole = matches!(
            e.what,
            What::Added | What::Removed | What::StepAdded | What::StepRemoved
        );
        if text.is_empty() && whole {
            continue;
        }
        let body = if text.is_empty() {
            tr(lang, "cli.diff.empty", &[])
        } else if e.words.is_empty() {
            text.clone()
        } else {
            marked(&e.words, op, &|s| {
                paint(s, style.clone().bold().underlined())
            })
        };
        out.push_str("    ");
        out.push_str(&paint(&tr(lang, key, &[]), style));
        let mut lines = body.lines();
        out.push_str(lines.next().unwrap_or(""));
        out.push('\n');
        for l in lines {
            out.push_str("            ");
            out.push_str(l);
            out.push('\n');
        }
    }
}

/// One side of a word diff (`op`: "del" for before, "ins" for after), its
/// own changed runs marked.
fn marked(words: &[Token], op: &str, mark: &dyn Fn(&str) -> String) -> String {
    let mut s = String::new();
    for t in words {
        if t.op == "same" {
            s.push_str(&t.text);
        } else if t.op == op {
            // marked line by line, so a mark never spans a line break
            let parts: Vec<String> = t.text.split('\n').map(mark).collect();
            s.push_str(&parts.join("\n"));
        }
    }
    s
}
