//! PDF tools for the tests (poppler-utils' `pdftotext`, `pdfinfo`; the
//! Chromium that prints). Missing tools skip a test with a printed note,
//! except under `CI=true`, where they fail it: CI installs them.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Whether the program `name` is on PATH.
pub fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

/// Whether all `tools` are on PATH; when not, prints why the caller skips
/// (or panics under `CI=true`).
pub fn require(what: &str, tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools.iter().copied().filter(|t| !on_path(t)).collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!("{what}: needs {} on PATH", missing.join(", "));
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg} (CI=true: .ci/run installs chromium, poppler-utils and libreoffice-calc)");
    }
    eprintln!("skipped {msg}");
    false
}

/// Whether a Chromium to print with is on PATH.
pub fn chromium() -> bool {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .any(|n| on_path(n))
}

/// The text of pages `first..=last` of a PDF (all pages when `None`).
pub fn text(pdf: &Path, pages: Option<(u32, u32)>, layout: bool) -> String {
    let mut cmd = Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    if let Some((f, l)) = pages {
        cmd.args(["-f", &f.to_string(), "-l", &l.to_string()]);
    }
    let out = cmd.arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `pdfinfo`'s report.
pub fn info(pdf: &Path) -> String {
    let out = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    assert!(out.status.success(), "pdfinfo {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text without any whitespace (line breaks fall anywhere in Chinese).
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
