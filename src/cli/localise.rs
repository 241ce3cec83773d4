//! The command line in the configured language: clap's help headings,
//! usage lines, value names, help/version flags and its error messages all
//! come from the catalogue (`cli.help.*`, `cli.value.*`, `cli.clap.*`).

use crate::i18n::{tr, Lang};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// `cmd` (and its subcommands) with every heading and name localised.
pub fn command(cmd: Command, lang: Lang) -> Command {
    let help = Arg::new("help")
        .short('h')
        .long("help")
        .global(true)
        .action(ArgAction::Help)
        .help(tr(lang, "cli.help.help", &[]));
    let version = Arg::new("version")
        .short('V')
        .long("version")
        .action(ArgAction::Version)
        .help(tr(lang, "cli.help.version", &[]));
    let cmd = cmd
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .arg(help)
        .arg(version);
    one(cmd, lang, "gongshi", true)
}

fn one(mut cmd: Command, lang: Lang, path: &str, root: bool) -> Command {
    let heading = |k: &str| stat(lang, &format!("cli.help.{k}"));
    cmd = cmd
        .help_template(format!(
            "{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}",
            heading("usage")
        ))
        .subcommand_help_heading(heading("commands"))
        .subcommand_value_name(heading("command_value"));
    if !root {
        cmd = cmd.disable_help_flag(true);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    let mut usage = vec![path.to_string(), format!("[{}]", heading("options_value"))];
    for (order, id) in ids.into_iter().enumerate() {
        let value = lang
            .catalogue()
            .get(&format!("cli.value.{id}"))
            .map(String::as_str);
        let positional = cmd
            .get_arguments()
            .find(|a| a.get_id() == id.as_str())
            .is_some_and(|a| a.is_positional());
        if positional {
            let name = value.map_or_else(|| id.to_uppercase(), str::to_string);
            let required = cmd
                .get_arguments()
                .find(|a| a.get_id() == id.as_str())
                .is_some_and(|a| a.is_required_set());
            usage.push(if required {
                format!("<{name}>")
            } else {
                format!("[{name}]")
            });
        }
        cmd = cmd.mut_arg(&id, |a| {
            let a = a.display_order(order).help_heading(if positional {
                heading("arguments")
            } else {
                heading("options")
            });
            // clap's "[default: …]" and "[possible values: …]" are English;
            // the catalogue's help texts name defaults and values instead
            let a = if a.get_action().takes_values() {
                a.hide_default_value(true).hide_possible_values(true)
            } else {
                a
            };
            match value {
                Some(v) => a.value_name(v),
                None => a,
            }
        });
    }
    if cmd.has_subcommands() {
        usage.push(format!("<{}>", heading("command_value")));
    }
    cmd = cmd.override_usage(usage.join(" "));
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(&name, |sub| one(sub, lang, &sub_path, false));
    }
    cmd
}

/// A catalogue text that lives as long as the program (clap keeps them).
fn stat(lang: Lang, key: &str) -> &'static str {
    lang.catalogue().get(key).map_or("", String::as_str)
}

fn context(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
        Some(ContextValue::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// A clap error (not help or version output) in the catalogue's words.
pub fn error(e: &clap::Error, lang: Lang) -> String {
    let arg = context(e, ContextKind::InvalidArg).join("、");
    let value = context(e, ContextKind::InvalidValue).join("、");
    let valid = context(e, ContextKind::ValidValue).join("、");
    let suggested = context(e, ContextKind::SuggestedSubcommand)
        .into_iter()
        .chain(context(e, ContextKind::SuggestedArg))
        .next()
        .unwrap_or_default();
    let sub = context(e, ContextKind::InvalidSubcommand).join("、");
    let key = match e.kind() {
        ErrorKind::MissingRequiredArgument => "cli.clap.missing",
        ErrorKind::InvalidSubcommand => "cli.clap.unknown_command",
        ErrorKind::UnknownArgument if arg.starts_with('-') => "cli.clap.unknown_option",
        ErrorKind::UnknownArgument => "cli.clap.extra",
        ErrorKind::InvalidValue if !valid.is_empty() => "cli.clap.invalid_choice",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "cli.clap.invalid_value",
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "cli.clap.missing_command"
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => "cli.clap.extra",
        ErrorKind::ArgumentConflict => "cli.clap.conflict",
        _ => "cli.clap.other",
    };
    let args = [
        ("arg", arg.clone()),
        ("value", if value.is_empty() { arg } else { value }),
        ("valid", valid),
        ("command", sub),
    ];
    let mut out = tr(
        lang,
        "cli.clap.line",
        &[
            ("error", tr(lang, "cli.error", &[])),
            ("message", tr(lang, key, &args)),
        ],
    );
    out.push('\n');
    if !suggested.is_empty() {
        out.push_str(&tr(
            lang,
            "cli.clap.did_you_mean",
            &[("suggested", suggested)],
        ));
        out.push('\n');
    }
    let usage = context(e, ContextKind::Usage).join("");
    let usage = usage.trim();
    let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
    if !usage.is_empty() {
        out.push_str(&format!("\n{}{usage}\n", tr(lang, "cli.help.usage", &[])));
    }
    out.push_str(&format!("\n{}\n", tr(lang, "cli.clap.more", &[])));
    out
}
