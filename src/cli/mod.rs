//! The command line: parse arguments, run a command, map results to
//! exit codes (0 fine, 1 content errors, 2 usage or unreadable config).

mod build;
mod check;
mod diff;
mod export;
mod import;
mod init;
mod ledger;
mod localise;
mod publish;
mod review;
mod serve;

use crate::i18n::{tr, tr_opt, Lang};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Exit code when content has errors.
pub const EXIT_ERRORS: i32 = 1;
/// Exit code for usage errors and an unreadable config.
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(name = "gongshi", version)]
pub struct Cli {
    /// The site folder.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// Message language (zh-CN, en).
    #[arg(long, global = true)]
    pub lang: Option<String>,
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Json,
    /// The ledger workbook, for editing and importing back.
    Ledger,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Init {
        dir: PathBuf,
    },
    New {
        kind: String,
        id: String,
        title: Option<String>,
    },
    Check {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    Build {
        #[arg(long)]
        scope: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        pdf: bool,
        #[arg(long)]
        docx: bool,
        #[arg(long = "department", id = "build_department")]
        department: Option<String>,
    },
    Publish {
        #[arg(long)]
        allow_unreviewed: bool,
    },
    Review {
        ids: Vec<String>,
        #[arg(long)]
        all: bool,
        #[arg(long = "department", id = "review_department")]
        department: Option<String>,
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        date: Option<String>,
    },
    Diff {
        from: Option<String>,
        to: Option<String>,
        #[arg(long)]
        scope: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    Verify {
        dir: Option<PathBuf>,
    },
    Serve {
        #[arg(long)]
        scope: Option<String>,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long)]
        bind: Option<String>,
        #[arg(long)]
        open: bool,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    Import {
        file: PathBuf,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        sheet: Option<String>,
        #[arg(long)]
        dry_run: bool,
        #[arg(long, conflicts_with = "force")]
        update: bool,
        #[arg(long)]
        force: bool,
    },
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        #[arg(long)]
        scope: Option<String>,
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        template: bool,
        #[arg(long, default_value_t = 20)]
        rows: usize,
    },
}

/// The language for messages before the config is read: `--lang`, else
/// the config's `language:`, else Chinese.
fn early_lang(args: &[String]) -> Lang {
    let mut root = PathBuf::from(".");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(v) = a.strip_prefix("--lang=") {
            return Lang::parse(v).unwrap_or_default();
        }
        if a == "--lang" {
            if let Some(v) = it.next() {
                return Lang::parse(v).unwrap_or_default();
            }
        }
        if let Some(v) = a.strip_prefix("--root=") {
            root = PathBuf::from(v);
        } else if a == "--root" {
            if let Some(v) = it.next() {
                root = PathBuf::from(v);
            }
        }
    }
    crate::config::peek_lang(&root).unwrap_or_default()
}

/// The clap command with help texts from the catalogue.
fn command(lang: Lang) -> clap::Command {
    let mut cmd = localise::command(Cli::command(), lang).about(tr(lang, "cli.about", &[]));
    cmd = localise_args(cmd, lang);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |sub| {
            let about = tr(lang, &format!("cli.cmd.{name}"), &[]);
            localise_args(sub.about(about), lang)
        });
    }
    cmd
}

fn localise_args(mut cmd: clap::Command, lang: Lang) -> clap::Command {
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        if let Some(help) = tr_opt(lang, &format!("cli.arg.{id}"), &[]) {
            cmd = cmd.mut_arg(&id, |a| a.help(help));
        }
    }
    cmd
}

/// Runs the command line; returns the process exit code.
pub fn run() -> i32 {
    let mut args: Vec<String> = std::env::args().collect();
    let lang = early_lang(&args);
    // `gongshi help [COMMAND]` (clap's own help command is English) is
    // `gongshi [COMMAND] --help`
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push("--help".into());
    }
    let matches = match command(lang).try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => {
            if !e.use_stderr() {
                let _ = e.print();
                return 0;
            }
            eprint!("{}", localise::error(&e, lang));
            return EXIT_USAGE;
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return EXIT_USAGE;
        }
    };
    let ctx = Ctx {
        root: cli.root.clone(),
        lang,
        quiet: cli.quiet,
    };
    match cli.command {
        Command::Init { dir } => init::init(&ctx, &dir),
        Command::New { kind, id, title } => init::new_item(&ctx, &kind, &id, title.as_deref()),
        Command::Check { format } => check::check(&ctx, format),
        Command::Build {
            scope,
            out,
            pdf,
            docx,
            department,
        } => {
            let opts = crate::build::Options {
                scope,
                out,
                pdf,
                docx,
                department,
            };
            build::build_with(&ctx, opts)
        }
        Command::Publish { allow_unreviewed } => publish::publish(&ctx, allow_unreviewed),
        Command::Review {
            ids,
            all,
            department,
            by,
            date,
        } => review::review(
            &ctx,
            review::Args {
                ids,
                all,
                department,
                by,
                date,
            },
        ),
        Command::Diff {
            from,
            to,
            scope,
            out,
        } => diff::diff(
            &ctx,
            diff::Args {
                from,
                to,
                scope,
                out,
            },
        ),
        Command::Verify { dir } => publish::verify(&ctx, dir.as_deref()),
        Command::Serve {
            scope,
            port,
            bind,
            open,
            out,
        } => serve::serve(&ctx, scope, port, bind, open, out),
        Command::Import {
            file,
            kind,
            sheet,
            dry_run,
            update,
            force,
        } => match ledger::import(&ctx, &file, dry_run, force) {
            Some(code) => code,
            None => match kind {
                Some(kind) => {
                    let how = import::How {
                        dry_run,
                        update,
                        force,
                    };
                    import::import(&ctx, &file, &kind, sheet, how)
                }
                None => {
                    ctx.say(
                        "cli.ledger.no_kind",
                        &[("file", file.display().to_string())],
                    );
                    EXIT_USAGE
                }
            },
        },
        Command::Export {
            format: ExportFormat::Ledger,
            output,
            department,
            template,
            rows,
            ..
        } => ledger::export(
            &ctx,
            ledger::ExportArgs {
                department,
                template,
                rows,
                output,
            },
        ),
        Command::Export {
            format,
            scope,
            output,
            ..
        } => export::export(&ctx, format, scope, output),
    }
}

/// What every command needs: where the site is and how to speak.
pub struct Ctx {
    pub root: PathBuf,
    pub lang: Lang,
    pub quiet: bool,
}

impl Ctx {
    /// Prints a catalogue message to stderr.
    pub fn say(&self, key: &str, args: &[(&str, String)]) {
        eprintln!("{}", tr(self.lang, key, args));
    }

    /// Prints a catalogue message that reports progress or success, not a
    /// problem: `-q` (errors only) leaves it out.
    pub fn info(&self, key: &str, args: &[(&str, String)]) {
        if !self.quiet {
            self.say(key, args);
        }
    }
}
