//! `gongshi init DIR` and `gongshi new KIND ID [TITLE]`.

use super::{Ctx, EXIT_USAGE};
use crate::model::Kind;
use include_dir::{include_dir, Dir};
use std::path::Path;

/// The example site: the repository's own `content/`, `static/` and `gongshi.yaml`.
static EXAMPLE_CONTENT: Dir = include_dir!("$CARGO_MANIFEST_DIR/content");
/// The example site's own `static/`: the (fictional) portal badge.
static EXAMPLE_STATIC: Dir = include_dir!("$CARGO_MANIFEST_DIR/static");
const EXAMPLE_CONFIG: &str = include_str!("../../gongshi.yaml");
/// Templates for `gongshi new`, one per kind.
static ARCHETYPES: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default/archetypes");

pub fn init(ctx: &Ctx, dir: &Path) -> i32 {
    let taken = dir.join(crate::config::FILE).exists() || dir.join("content").exists();
    if taken {
        ctx.say("cli.init.exists", &[("dir", dir.display().to_string())]);
        return EXIT_USAGE;
    }
    let result = (|| -> std::io::Result<usize> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join(crate::config::FILE), EXAMPLE_CONFIG)?;
        let n = write_dir(&EXAMPLE_CONTENT, &dir.join("content"))?;
        Ok(n + write_dir(&EXAMPLE_STATIC, &dir.join("static"))?)
    })();
    match result {
        Ok(n) => {
            ctx.info(
                "cli.init.done",
                &[("dir", dir.display().to_string()), ("files", n.to_string())],
            );
            0
        }
        Err(e) => {
            ctx.say(
                "cli.io_error",
                &[
                    ("path", dir.display().to_string()),
                    ("detail", e.to_string()),
                ],
            );
            EXIT_USAGE
        }
    }
}

fn write_dir(d: &Dir, to: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(to)?;
    let mut n = 0;
    for f in d.files() {
        let name = f.path().file_name().unwrap_or_default();
        std::fs::write(to.join(name), f.contents())?;
        n += 1;
    }
    for sub in d.dirs() {
        let name = sub.path().file_name().unwrap_or_default();
        n += write_dir(sub, &to.join(name))?;
    }
    Ok(n)
}

pub fn new_item(ctx: &Ctx, kind: &str, id: &str, title: Option<&str>) -> i32 {
    let Some(kind) = Kind::parse(kind).filter(|k| *k != Kind::Notice) else {
        ctx.say(
            "cli.new.bad_kind",
            &[("kind", kind.to_string()), ("kinds", kind_names(ctx.lang))],
        );
        return EXIT_USAGE;
    };
    if !crate::model::is_id(id) {
        ctx.say("cli.new.bad_id", &[("id", id.to_string())]);
        return EXIT_USAGE;
    }
    let rel = format!("content/{}/{id}.md", kind.folder());
    let path = ctx.root.join(&rel);
    if path.exists() {
        ctx.say("cli.new.exists", &[("path", rel)]);
        return EXIT_USAGE;
    }
    let template = ARCHETYPES
        .get_file(format!("{}.md", kind.name()))
        .and_then(|f| f.contents_utf8())
        .unwrap_or("---\nid: {id}\ntitle: {title}\n---\n");
    let default_title = crate::i18n::tr(ctx.lang, &format!("cli.new.title.{}", kind.name()), &[]);
    let text = template
        .replace("{id}", id)
        .replace("{title}", title.unwrap_or(&default_title));
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|_| std::fs::write(&path, text));
    match written {
        Ok(()) => {
            ctx.info("cli.new.done", &[("path", rel)]);
            0
        }
        Err(e) => {
            ctx.say("cli.io_error", &[("path", rel), ("detail", e.to_string())]);
            EXIT_USAGE
        }
    }
}

/// The kinds `new` takes, each with its Chinese word: "risk（风险点）, …".
fn kind_names(lang: crate::i18n::Lang) -> String {
    Kind::FOLDERS
        .map(|k| {
            crate::i18n::tr(
                lang,
                "cli.new.kind_named",
                &[
                    ("name", k.name().to_string()),
                    (
                        "word",
                        crate::i18n::tr(lang, &format!("cli.new.word.{}", k.name()), &[]),
                    ),
                ],
            )
        })
        .join(", ")
}
