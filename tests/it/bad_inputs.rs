//! The bad-site corpus (`tests/bad_sites/`): each case is `_base` plus the
//! files of one fault, and an `expect.yaml` naming the diagnostic `check`
//! must give for it — code, file, line (and column) — and the exit code.
//!
//! One fault gives one error: every error of a case must be its expected
//! one (warnings that follow from it, in its file, are allowed), and a
//! warning case gives no other kind of warning.
//!
//! Every case is checked four ways (JSON and text, Chinese and English).
//! Each run must finish within the time limit without panicking, and must
//! leave `content/` and `gongshi.yaml` byte for byte as they were.
//!
//! The corpus only grows: add a folder `NN-name/` with the files that
//! differ from `_base` and an `expect.yaml` (see [`Expect`]).

use crate::common;

use common::site::{self, Diag, Report};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

/// A case's `expect.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// What the case shows, in a line.
    about: String,
    /// The exit code of `check`: 0, 1 (content errors) or 2 (bad config).
    exit: i32,
    /// The diagnostic that must be among those reported.
    code: String,
    file: String,
    line: u64,
    column: Option<u64>,
    /// Text the message or hint must contain (Chinese), e.g. the nearest value.
    contains: Option<String>,
    /// Base files to remove, relative to the site root.
    #[serde(default)]
    delete: Vec<String>,
    /// Files of the copy to re-encode as GBK before the run.
    #[serde(default)]
    gbk: Vec<String>,
    /// Convert every `.md` and `.yaml` file of the copy to CRLF line ends.
    #[serde(default)]
    crlf: bool,
    /// Append this many megabytes of body text to `file` before the run.
    pad_mb: Option<usize>,
    /// "Today" for the run (default [`site::TODAY`]).
    today: Option<String>,
}

/// Codes that no content can trigger: W117 is about the output folder (a
/// damaged earlier version's data.json), found by `build`, not `check`;
/// tests/it/versions.rs holds it.
const NOT_FROM_CONTENT: &[&str] = &["W117"];

fn cases() -> Vec<(String, Expect)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(site::corpus()).expect("tests/bad_sites") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('_') || !path.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(path.join("expect.yaml"))
            .unwrap_or_else(|e| panic!("{name}/expect.yaml: {e}"));
        let expect: Expect =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}/expect.yaml: {e}"));
        out.push((name, expect));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Lays out `_base` + the case in a temporary folder.
fn prepare(name: &str, expect: &Expect) -> tempfile::TempDir {
    let dir = site::base_copy();
    let root = dir.path();
    for rel in &expect.delete {
        std::fs::remove_file(root.join(rel))
            .unwrap_or_else(|e| panic!("{name}: delete {rel}: {e}"));
    }
    site::copy_tree(&site::corpus().join(name), root);
    std::fs::remove_file(root.join("expect.yaml")).expect("expect.yaml copied");
    for rel in &expect.gbk {
        let text = std::fs::read_to_string(root.join(rel)).expect("gbk source is UTF-8");
        site::write_gbk(&root.join(rel), &text);
    }
    if expect.crlf {
        for entry in walkdir::WalkDir::new(root) {
            let p = entry.expect("walk").into_path();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if p.is_file() && (ext == "md" || ext == "yaml") {
                let text = std::fs::read_to_string(&p).expect("utf-8");
                assert!(!text.contains('\r'), "{name}: already CRLF");
                std::fs::write(&p, text.replace('\n', "\r\n")).expect("write");
            }
        }
    }
    if let Some(mb) = expect.pad_mb {
        pad(&root.join(&expect.file), mb);
    }
    dir
}

/// Appends about `mb` megabytes of Chinese body text to a file.
fn pad(path: &Path, mb: usize) {
    let line = "公示期间收到的意见建议逐条登记、逐条核实、逐条反馈，做到件件有着落、事事有回音。\n";
    let mut text = std::fs::read_to_string(path).expect("file to pad");
    let target = text.len() + mb * 1024 * 1024;
    text.reserve(target - text.len());
    while text.len() < target {
        text.push_str(line);
    }
    std::fs::write(path, text).expect("write padded");
}

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)*) => {
        if !$cond {
            return Err(format!($($fmt)*));
        }
    };
}

fn list(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| format!("  {} {} {}", d.code, d.place(), d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `check` with `args` and finds the expected diagnostic in its JSON.
fn json_run(root: &str, e: &Expect, today: &str, lang: &str) -> Result<Diag, String> {
    let args = ["check", "--format", "json", "--root", root, "--lang", lang];
    let run = site::try_gongshi(&args, today)?;
    let report = site::parse_report(&run.stdout)?;
    ensure!(
        run.code == e.exit,
        "exit {} (expected {}), diagnostics:\n{}\n{}",
        run.code,
        e.exit,
        list(&report),
        run.stderr
    );
    match e.exit {
        0 => ensure!(report.errors == 0, "exit 0 with errors:\n{}", list(&report)),
        _ => ensure!(report.errors > 0, "exit {} without errors", e.exit),
    }
    let found = report.diagnostics.iter().find(|d| {
        d.code == e.code
            && d.file == e.file
            && d.line == e.line
            && e.column.is_none_or(|c| d.column == c)
    });
    let Some(d) = found else {
        let want = format!("{} {}:{}:{:?}", e.code, e.file, e.line, e.column);
        return Err(format!("no {want} ({lang}) among:\n{}", list(&report)));
    };
    let severity = if e.code.starts_with('W') {
        "warning"
    } else {
        "error"
    };
    ensure!(d.severity == severity, "{} is a {}", d.code, d.severity);
    // One fault, no cascade: every error is the expected one (in its file),
    // and a warning-only case gives no other kind of warning. A case's copy
    // of a base file is changed since the base's review stamp, so W130 may
    // come with any case.
    let stray = report.diagnostics.iter().find(|x| {
        (x.severity == "error" && (x.code != e.code || x.file != e.file))
            || (e.exit == 0 && x.code != e.code && x.code != "W130")
    });
    if let Some(x) = stray {
        return Err(format!(
            "also {} at {}: {}
{}",
            x.code,
            x.place(),
            x.message,
            list(&report)
        ));
    }
    Ok(d.clone())
}

/// Checks the text output shows the diagnostic: its header with `message`,
/// `path:line:column`, and the source line with a `^` marker under it.
fn text_run(root: &str, e: &Expect, today: &str, lang: &str, d: &Diag) -> Result<(), String> {
    let args = ["check", "--root", root, "--lang", lang];
    let run = site::try_gongshi(&args, today)?;
    ensure!(run.code == e.exit, "text output: exit {}", run.code);
    let out = &run.stderr;
    let word = match (lang, d.severity.as_str()) {
        ("en", "error") => "error",
        ("en", _) => "warning",
        (_, "error") => "错误",
        _ => "警告",
    };
    let header = format!("{word}[{}]: {}", d.code, d.message);
    let lines: Vec<&str> = out.lines().collect();
    let place = format!("--> {}", d.place());
    let at = lines
        .windows(2)
        .position(|w| w[0] == header && w[1].trim_start() == place);
    let Some(at) = at else {
        return Err(format!("no `{header}` / `{place}` in text output:\n{out}"));
    };
    if !d.source.is_empty() {
        let marker = lines.iter().skip(at + 2).take(3).any(|l| {
            let t = l.trim_start().strip_prefix('|').unwrap_or("").trim();
            !t.is_empty() && t.chars().all(|c| c == '^')
        });
        ensure!(marker, "no `^` marker under {place}:\n{out}");
    }
    Ok(())
}

fn run_case(name: &str, e: &Expect) -> Result<(), String> {
    let dir = prepare(name, e);
    let root = dir.path().to_str().expect("utf-8 temp path");
    let today = e.today.as_deref().unwrap_or(site::TODAY);
    let before = site::hash_sources(dir.path());

    let zh = json_run(root, e, today, "zh-CN")?;
    if let Some(want) = &e.contains {
        let said = format!("{} {}", zh.message, zh.hint.clone().unwrap_or_default());
        ensure!(said.contains(want.as_str()), "`{want}` not in: {said}");
    }
    text_run(root, e, today, "zh-CN", &zh)?;
    let en = json_run(root, e, today, "en")?;
    ensure!(
        en.message != zh.message && en.message.contains(|c: char| c.is_ascii_alphabetic()),
        "English message `{}` vs Chinese `{}`",
        en.message,
        zh.message
    );
    text_run(root, e, today, "en", &en)?;

    let after = site::hash_sources(dir.path());
    ensure!(before == after, "check changed the site's sources");
    Ok(())
}

#[test]
fn every_bad_site_gives_its_diagnostic() {
    let cases = cases();
    assert!(cases.len() >= 32, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for (name, expect) in &cases {
        if let Err(e) = run_case(name, expect) {
            failures.push(format!("── {name} ({}):\n{e}", expect.about));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_corpus_covers_every_code_content_can_trigger() {
    let covered: BTreeSet<String> = cases().into_iter().map(|(_, e)| e.code).collect();
    let missing: Vec<&str> = gongshi::diag::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !covered.contains(*c) && !NOT_FROM_CONTENT.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "no case in tests/bad_sites for {missing:?}"
    );
}

#[test]
fn case_names_are_numbered_and_unique() {
    let mut numbers = BTreeSet::new();
    for (name, _) in cases() {
        let (n, rest) = name.split_once('-').unwrap_or(("", ""));
        assert!(
            (2..=3).contains(&n.len()) && n.parse::<u32>().is_ok() && !rest.is_empty(),
            "{name}"
        );
        assert!(numbers.insert(n.to_string()), "number of {name} used twice");
    }
}

#[test]
fn the_base_site_checks_clean() {
    let dir = site::base_copy();
    let before = site::hash_sources(dir.path());
    let (code, report) = site::check_json(dir.path(), None);
    assert_eq!(code, 0, "{report:?}");
    assert_eq!((report.errors, report.warnings), (0, 0), "{report:?}");
    assert!(report.diagnostics.is_empty());
    let root = dir.path().to_str().unwrap();
    let text = site::gongshi(&["check", "--root", root]);
    assert_eq!(text.code, 0);
    assert!(text.stderr.contains("检查通过"), "{}", text.stderr);
    let en = site::gongshi(&["check", "--root", root, "--lang", "en"]);
    assert!(en.stderr.contains("Check passed"), "{}", en.stderr);
    assert_eq!(before, site::hash_sources(dir.path()));
}

#[test]
fn the_base_site_has_what_the_cases_rely_on() {
    let checked = gongshi::pipeline::check(&site::base()).expect("config loads");
    let s = &checked.site;
    assert!(s.notice.title.contains("公示"));
    assert_eq!(s.departments.len(), 2);
    assert_eq!(s.posts.len(), 3);
    let p1 = s.post("P-01").unwrap();
    assert_eq!(p1.incompatible, ["P-02"]);
    let p2 = s.post("P-02").unwrap();
    assert_ne!(p1.holders[0].name, p2.holders[0].name);
    assert_eq!(s.powers.len(), 1);
    let flow = s.flow("F-01").unwrap();
    assert_eq!(flow.steps.len(), 4);
    let kinds: Vec<_> = flow.steps.iter().map(|st| st.kind).collect();
    use gongshi::model::StepKind::*;
    assert_eq!(kinds, [Start, Step, Decision, End]);
    assert!(flow.steps[2].next.iter().any(|n| n.to == "S2"), "loop back");
    assert_eq!(s.risks.len(), 3);
    assert!(s.risks.iter().any(|r| r.score().is_some()));
    assert_eq!(s.measures.len(), 1);
    assert_eq!(s.pages.len(), 1);
}
