//! `gongshi publish` (build, then freeze) and `gongshi verify [DIR]`.

use super::{Ctx, EXIT_ERRORS};
use crate::versions::{self, Problem};
use std::path::Path;

/// Builds and freezes every audience's version, under one site lock.
pub fn publish(ctx: &Ctx, allow_unreviewed: bool) -> i32 {
    let run = |waiting: &mut dyn FnMut(Option<u32>)| {
        crate::build::publish(&ctx.root, allow_unreviewed, waiting)
    };
    let (report, manifests) = match super::build::with_spinner(ctx, run, |r| &r.0) {
        Ok(done) => done,
        Err(code) => return code,
    };
    if !report.unreviewed.is_empty() {
        let warning = crate::i18n::tr(ctx.lang, "cli.warning", &[]);
        for u in &report.unreviewed {
            let what = super::build::unreviewed_words(ctx, u);
            let line = crate::i18n::tr(
                ctx.lang,
                "cli.publish.unreviewed_item",
                &[
                    ("id", u.id.clone()),
                    ("title", u.title.clone()),
                    ("file", u.file.clone()),
                    ("what", what),
                ],
            );
            eprintln!("{warning}：{line}");
        }
        ctx.say(
            "cli.publish.allowed_unreviewed",
            &[("n", report.unreviewed.len().to_string())],
        );
    }
    for m in manifests {
        ctx.info(
            "cli.publish.frozen",
            &[
                ("scope", m.scope),
                ("version", m.version),
                ("files", m.files.len().to_string()),
            ],
        );
    }
    0
}

pub fn verify(ctx: &Ctx, dir: Option<&Path>) -> i32 {
    let out = dir.map_or_else(|| ctx.root.join("site"), Path::to_path_buf);
    let (checked, problems) = versions::verify(&out);
    let record = out.join(versions::RECORD).display().to_string();
    for p in &problems {
        let (key, path) = match p {
            Problem::Changed(p) => ("cli.verify.changed", p),
            Problem::Missing(p) => ("cli.verify.missing", p),
            Problem::Added(p) => ("cli.verify.added", p),
            Problem::BadManifest(p) => ("cli.verify.bad_manifest", p),
            Problem::NotRegular(p, _) => ("cli.verify.not_regular", p),
            Problem::ManifestMissing(p) => ("cli.verify.manifest_missing", p),
            Problem::ManifestReplaced(p) => ("cli.verify.manifest_replaced", p),
            Problem::BadRecord(p) => ("cli.verify.bad_record", p),
        };
        let kind = match p {
            Problem::NotRegular(_, k) => crate::i18n::tr(ctx.lang, k.key(), &[]),
            _ => String::new(),
        };
        let path = path.display().to_string();
        ctx.say(
            key,
            &[("path", path), ("kind", kind), ("record", record.clone())],
        );
    }
    if problems.is_empty() {
        ctx.info("cli.verify.ok", &[("versions", checked.to_string())]);
        0
    } else {
        ctx.say(
            "cli.verify.failed",
            &[
                ("problems", problems.len().to_string()),
                ("versions", checked.to_string()),
            ],
        );
        EXIT_ERRORS
    }
}
