//! `gongshi publish` (build, then freeze) and `gongshi verify [DIR]`.

use super::{Ctx, EXIT_ERRORS, EXIT_USAGE};
use crate::versions::{self, Problem};
use std::path::Path;

pub fn publish(ctx: &Ctx) -> i32 {
    let code = super::build::build(ctx, None, None);
    if code != 0 {
        return code;
    }
    let config = match crate::config::Config::load(&ctx.root) {
        Ok(c) => c,
        Err(_) => return EXIT_USAGE,
    };
    let out = ctx.root.join("site");
    let digest = versions::content_digest(&ctx.root);
    for scope in config.scope_names() {
        match versions::freeze(&out, &scope, &config.version, &digest) {
            Ok(m) => ctx.info(
                "cli.publish.frozen",
                &[
                    ("scope", scope.clone()),
                    ("version", config.version.clone()),
                    ("files", m.files.len().to_string()),
                ],
            ),
            Err(e) => {
                let path = out.join(&scope).join(&config.version).display().to_string();
                ctx.say("cli.io_error", &[("path", path), ("detail", e.to_string())]);
                return EXIT_ERRORS;
            }
        }
    }
    0
}

pub fn verify(ctx: &Ctx, dir: Option<&Path>) -> i32 {
    let out = dir.map_or_else(|| ctx.root.join("site"), Path::to_path_buf);
    let (checked, problems) = versions::verify(&out);
    for p in &problems {
        let (key, path) = match p {
            Problem::Changed(p) => ("cli.verify.changed", p),
            Problem::Missing(p) => ("cli.verify.missing", p),
            Problem::Added(p) => ("cli.verify.added", p),
            Problem::BadManifest(p) => ("cli.verify.bad_manifest", p),
        };
        ctx.say(key, &[("path", path.display().to_string())]);
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
