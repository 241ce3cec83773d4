//! The printed booklet as a reader holds it: the example site's internal
//! booklet printed to A4 by headless Chromium (`build --pdf`), read back with
//! poppler. Flowchart text is at least 9 pt, a contents entry's page number
//! stands on its last line, every chart is captioned once on its page, and
//! names in tables are never broken across lines. One print serves every
//! test of this file.

use crate::poppler;

use poppler::Word;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The printed example booklet.
struct Print {
    html: String,
    data: serde_json::Value,
    pdf: PathBuf,
    /// Page of every named destination (part, flow, department…).
    dests: BTreeMap<String, u32>,
    pages: u32,
}

impl Print {
    /// Pages from the one `from` starts on to the one before `to` starts.
    fn part(&self, from: &str, to: &str) -> (u32, u32) {
        let first = self.dests[from];
        (first, self.dests[to].max(first + 1) - 1)
    }
}

/// Prints the example's internal booklet once (into cargo's scratch folder
/// for integration tests); `None` when the tools are missing (skipped).
fn print() -> Option<&'static Print> {
    static PRINT: OnceLock<Option<Print>> = OnceLock::new();
    PRINT
        .get_or_init(|| {
            let tools = ["pdftotext", "pdfinfo"];
            if !poppler::require("printed booklet", &tools) {
                return None;
            }
            if !poppler::chromium() {
                poppler::require("printed booklet", &["chromium"]);
                return None;
            }
            let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("booklet_print");
            let _ = std::fs::remove_dir_all(&out);
            assert_cmd::Command::cargo_bin("gongshi")
                .unwrap()
                .env_remove("CI")
                .args(["build", "--quiet", "--scope", "internal", "--pdf"])
                .arg("--root")
                .arg(env!("CARGO_MANIFEST_DIR"))
                .arg("--out")
                .arg(&out)
                .assert()
                .success();
            let version = out.join("internal").join("2025");
            let pdf = version.join("booklet.pdf");
            assert!(pdf.is_file(), "no booklet.pdf was printed");
            let read = |name: &str| std::fs::read_to_string(version.join(name)).unwrap();
            Some(Print {
                html: read("booklet.html"),
                data: serde_json::from_str(&read("data.json")).unwrap(),
                dests: poppler::dests(&pdf),
                pages: poppler::pages(&pdf),
                pdf,
            })
        })
        .as_ref()
}

/// Whether every character is a CJK ideograph or full-width form (one em wide).
fn all_cjk(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            ('\u{3000}'..='\u{303f}').contains(&c)
                || ('\u{4e00}'..='\u{9fff}').contains(&c)
                || ('\u{ff01}'..='\u{ff5e}').contains(&c)
        })
}

/// A CJK word's font size on paper: each character is one em wide.
fn size_pt(w: &Word) -> f64 {
    (w.x_max - w.x_min) / w.text.chars().count() as f64
}

#[test]
#[ignore = "needs Chromium and poppler: cargo test -- --include-ignored"]
fn flowchart_text_is_at_least_9_pt_on_paper_and_no_step_is_lost() {
    let Some(p) = print() else { return };
    let (first, last) = p.part("f-F-01", "s-register");
    let words = poppler::words(&p.pdf, first, last);
    let cjk: Vec<&Word> = words.iter().filter(|w| all_cjk(&w.text)).collect();
    assert!(
        cjk.len() > 100,
        "flow pages {first}–{last}: {} words",
        cjk.len()
    );
    let small: Vec<String> = cjk
        .iter()
        // 9 pt by construction; a glyph's advance measures a hair under 1 em.
        .filter(|w| size_pt(w) < 8.98)
        .map(|w| format!("p.{} {} {:.1} pt", w.page, w.text, size_pt(w)))
        .collect();
    assert!(small.is_empty(), "flowchart text under 9 pt: {small:?}");

    // Split or not, every step is drawn once: each marked risk id appears
    // as often as steps mark it, and every step's label begins somewhere.
    let mut marks: BTreeMap<String, usize> = BTreeMap::new();
    for f in p.data["flows"].as_array().unwrap() {
        for s in f["steps"].as_array().unwrap() {
            let label: String = s["label"].as_str().unwrap().chars().take(4).collect();
            assert!(
                words.iter().any(|w| w.text.starts_with(&label)),
                "step {label}… of {} is not printed",
                f["id"]
            );
            for r in s["risks"].as_array().unwrap() {
                *marks.entry(r.as_str().unwrap().to_string()).or_default() += 1;
            }
        }
    }
    for (risk, n) in &marks {
        let printed = words.iter().filter(|w| &w.text == risk).count();
        assert_eq!(
            printed, *n,
            "{risk} marked on {n} steps, printed {printed} times"
        );
    }
}

#[test]
#[ignore = "needs Chromium and poppler: cargo test -- --include-ignored"]
fn a_contents_entry_ends_on_the_line_of_its_page_number() {
    let Some(p) = print() else { return };
    let toc = poppler::booklet_contents(&p.html);
    let (first, last) = (2, p.dests["s-notice"] - 1);
    let printed = poppler::printed_contents(&poppler::text(&p.pdf, Some((first, last)), true));
    let expected: Vec<(String, u32)> = toc
        .iter()
        .map(|(anchor, title)| (poppler::squeeze(title), p.dests[anchor]))
        .collect();
    let got: Vec<(String, u32)> = printed.iter().map(|(t, n, _)| (t.clone(), *n)).collect();
    assert_eq!(
        got, expected,
        "contents as printed (title up to its number)"
    );
    assert!(
        printed.iter().any(|e| e.2 > 1),
        "the example's notice title is long enough to wrap: {printed:?}"
    );
}

#[test]
#[ignore = "needs Chromium and poppler: cargo test -- --include-ignored"]
fn every_chart_is_captioned_once_on_its_page() {
    let Some(p) = print() else { return };
    let titles: Vec<String> = p
        .html
        .split("<figure class=\"chart\"")
        .skip(1)
        .filter_map(|s| s.split("<title>").nth(1)?.split("</title>").next())
        .map(poppler::squeeze)
        .collect();
    assert!(titles.len() >= 4, "charts: {titles:?}");
    let (first, last) = p.part("s-summary", "s-powers");
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for page in first..=last {
        let text = poppler::squeeze(&poppler::text(&p.pdf, Some((page, page)), false));
        for t in &titles {
            // A longer title holding this one ("历年各等级…") is not a repeat.
            let within: usize = titles
                .iter()
                .filter(|u| u.len() > t.len() && u.contains(t.as_str()))
                .map(|u| text.matches(u.as_str()).count())
                .sum();
            let n = text.matches(t.as_str()).count() - within;
            assert!(n <= 1, "page {page}: “{t}” printed {n} times");
            *seen.entry(t).or_default() += n;
        }
    }
    for t in &titles {
        assert_eq!(
            seen.get(t.as_str()),
            Some(&1),
            "“{t}” captioned once in all"
        );
    }
}

fn s(v: &serde_json::Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// How often each name should stand whole in a part: once per row naming it.
fn tally<'a>(names: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut out = BTreeMap::new();
    for n in names {
        *out.entry(n).or_default() += 1;
    }
    out
}

#[test]
#[ignore = "needs Chromium and poppler: cargo test -- --include-ignored"]
fn department_names_and_codes_in_tables_are_never_broken() {
    let Some(p) = print() else { return };
    let depts: BTreeMap<&str, &str> = p.data["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d["title"].as_str().unwrap()))
        .collect();
    for (kind, from, to) in [
        ("powers", "s-powers", "s-flows"),
        ("posts", "s-posts", "s-measures"),
    ] {
        let rows = p.data[kind].as_array().unwrap();
        let mut names: Vec<&str> = rows
            .iter()
            .filter_map(|r| depts.get(s(&r["department"])).copied())
            .collect();
        names.extend(rows.iter().map(|r| s(&r["id"])));
        if kind == "posts" {
            names.extend(rows.iter().filter_map(|r| r["level"].as_str()));
            names.extend(rows.iter().filter(|r| r["key"] == true).map(|_| "关键岗位"));
            names.extend(
                rows.iter()
                    .filter(|r| r["high_risk"] == true)
                    .map(|_| "高风险岗位"),
            );
        }
        let (first, last) = p.part(from, to);
        let text = poppler::text(&p.pdf, Some((first, last)), true);
        for (name, n) in tally(names.into_iter()) {
            let whole = text.matches(name).count();
            assert!(
                whole >= n,
                "{kind} (pages {first}–{last}): “{name}” in {n} rows, whole on a line {whole} times\n{text}"
            );
        }
    }
    assert!(p.pages > 0);
}
