//! PDF tools for the tests (poppler-utils' `pdftotext`, `pdfinfo`; the
//! Chromium that prints). Missing tools skip a test with a printed note,
//! except under `CI=true`, where they fail it: CI installs them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Whether the program `name` is on PATH (`name.exe` on Windows).
pub fn on_path(name: &str) -> bool {
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(&file).is_file()))
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

/// `pdfinfo -dests`: the page of every named destination (Chromium makes
/// one per link target: `s-summary`, `f-F-01`, `d-D-01`…).
pub fn dests(pdf: &Path) -> BTreeMap<String, u32> {
    let out = Command::new("pdfinfo")
        .arg("-dests")
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    assert!(out.status.success(), "pdfinfo -dests {}", pdf.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let page = l.split_whitespace().next()?.parse().ok()?;
            let name = l.rsplit_once(" \"")?.1.strip_suffix('"')?;
            Some((name.to_string(), page))
        })
        .collect()
}

/// The number of pages.
pub fn pages(pdf: &Path) -> u32 {
    info(pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count")
}

/// A word as `pdftotext -bbox` places it (points, from the top left).
#[derive(Debug, Clone)]
pub struct Word {
    pub page: u32,
    pub text: String,
    pub x_min: f64,
    pub x_max: f64,
    pub y_min: f64,
    pub y_max: f64,
}

/// The words of pages `first..=last` with their boxes.
pub fn words(pdf: &Path, first: u32, last: u32) -> Vec<Word> {
    let out = Command::new("pdftotext")
        .args(["-bbox", "-f", &first.to_string(), "-l", &last.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext -bbox {}", pdf.display());
    let attr = |l: &str, name: &str| -> f64 {
        l.split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let mut page = first - 1;
    let mut list = Vec::new();
    for l in String::from_utf8_lossy(&out.stdout).lines() {
        let l = l.trim();
        if l.starts_with("<page ") {
            page += 1;
        } else if let Some(rest) = l.strip_prefix("<word ") {
            let text = rest
                .split_once('>')
                .and_then(|(_, t)| t.strip_suffix("</word>"))
                .unwrap_or_default();
            list.push(Word {
                page,
                text: unescape(text),
                x_min: attr(l, "xMin"),
                x_max: attr(l, "xMax"),
                y_min: attr(l, "yMin"),
                y_max: attr(l, "yMax"),
            });
        }
    }
    list
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// (anchor, title) of every entry of a booklet's contents (its HTML).
pub fn booklet_contents(html: &str) -> Vec<(String, String)> {
    html.split("<a href=\"#")
        .skip(1)
        .filter_map(|s| {
            let (anchor, rest) = s.split_once('"')?;
            let title = rest.strip_prefix("><span class=\"toc-title\">")?;
            Some((anchor.to_string(), title.split('<').next()?.to_string()))
        })
        .collect()
}

/// The contents as printed: each entry's lines, up to and including the
/// line that ends in its page number; (text squeezed, number, line count).
pub fn printed_contents(text: &str) -> Vec<(String, u32, usize)> {
    let mut out = Vec::new();
    let mut pending = String::new();
    let mut lines = 0;
    for l in text.lines() {
        let l = l.trim_end();
        let digits = l.len() - l.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let head = &l[..l.len() - digits];
        let squeezed = squeeze(head);
        // Running head, part title and the page's own number are not entries.
        if squeezed.is_empty() || l.contains('—') || squeezed == "目录" || l.contains("版本：")
        {
            continue;
        }
        pending.push_str(&squeezed);
        lines += 1;
        if digits > 0 && head.ends_with(' ') {
            out.push((
                std::mem::take(&mut pending),
                l[head.len()..].parse().unwrap(),
                lines,
            ));
            lines = 0;
        }
    }
    if !pending.is_empty() {
        out.push((pending, 0, lines));
    }
    out
}
