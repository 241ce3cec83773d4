//! `gongshi serve`: start the live preview, report why it could not start.

use super::check::print_text;
use super::{Ctx, EXIT_USAGE};
use crate::serve::{Options, Stop};

pub fn serve(
    ctx: &Ctx,
    scope: Option<String>,
    port: u16,
    bind: Option<String>,
    open: bool,
    out: Option<std::path::PathBuf>,
) -> i32 {
    let opts = Options {
        root: ctx.root.clone(),
        out,
        lang: ctx.lang,
        quiet: ctx.quiet,
        scope,
        port,
        bind,
        open,
    };
    match crate::serve::run(&opts) {
        Ok(()) => 0,
        Err(Stop::Config(diags)) => {
            print_text(ctx, &diags);
            EXIT_USAGE
        }
        Err(Stop::UnknownScope { scope, allowed }) => {
            ctx.say(
                "cli.build.unknown_scope",
                &[("scope", scope), ("allowed", allowed)],
            );
            EXIT_USAGE
        }
        Err(Stop::BadBind(addr)) => {
            ctx.say("serve.bad_bind", &[("addr", addr)]);
            EXIT_USAGE
        }
        Err(Stop::Bind { addr, detail }) => {
            ctx.say("serve.cannot_listen", &[("addr", addr), ("detail", detail)]);
            EXIT_USAGE
        }
        Err(Stop::Watch(detail)) => {
            ctx.say("serve.watch_error", &[("detail", detail)]);
            EXIT_USAGE
        }
    }
}
