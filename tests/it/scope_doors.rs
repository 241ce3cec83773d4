//! The side doors of 公示范围 (SPEC §4): scope markers typed the way people
//! type HTML comments, Markdown fields other than bodies (inline measure
//! text), and HTML comments. Each test builds a small site from the
//! bad-site corpus's `_base` and looks at every file of the public output.

use crate::common;

use common::site;
use gongshi::build::{build, Options};
use std::path::Path;

const RISK: &str = "content/risks/R-003.md";

/// `R-003` (public) with this measure list and body; `R-009` is internal.
fn risk_site(measures: &str, body: &str) -> tempfile::TempDir {
    let dir = site::base_copy();
    let front = "---\nid: R-003\ntitle: 廉洁意识淡薄\ntype: 思想道德\ngrade: 三级\ntier: 单位\n";
    write(
        dir.path(),
        RISK,
        &format!("{front}measures:\n{measures}scope: public\n---\n{body}"),
    );
    write(
        dir.path(),
        "content/risks/R-009.md",
        "---\nid: R-009\ntitle: 内部风险标题TITLE9\ntype: 思想道德\ngrade: 三级\nscope: internal\nmeasures:\n  - {phase: 前期预防, category: 教育, text: 教育。}\n---\n内部。\n",
    );
    dir
}

const PLAIN_MEASURE: &str = "  - {phase: 前期预防, category: 教育, text: 每年开展廉政教育。}\n";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Builds one audience; panics when the build refuses.
fn build_scope(root: &Path, scope: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let opts = Options {
        scope: Some(scope.to_string()),
        out: Some(out.path().to_path_buf()),
        pdf: false,
        ..Default::default()
    };
    build(root, &opts).unwrap_or_else(|e| panic!("build failed: {e:?}"));
    out
}

/// Every output file as text (no PDF is built here).
fn texts(dir: &Path) -> Vec<(String, String)> {
    let no_pdf = |p: &Path| -> String { panic!("{}: no PDF expected", p.display()) };
    common::output::texts(dir, &no_pdf)
}

/// The files of `dir` holding `needle`.
fn holding(dir: &Path, needle: &str) -> Vec<String> {
    texts(dir)
        .into_iter()
        .filter(|(_, t)| t.contains(needle))
        .map(|(n, _)| n)
        .collect()
}

/// `(code, file, line)` of every diagnostic `check` gives.
fn diags(root: &Path) -> Vec<(String, String, usize)> {
    let checked = gongshi::pipeline::check(root).unwrap_or_else(|d| panic!("config: {d:?}"));
    checked
        .diags
        .iter()
        .map(|d| {
            let at = d.at.clone().expect("located");
            (d.code.as_str().to_string(), at.file, at.line)
        })
        .collect()
}

fn errors(root: &Path) -> Vec<(String, String, usize)> {
    diags(root)
        .into_iter()
        .filter(|d| d.0.starts_with('E'))
        .collect()
}

/// Markers as people type them, with a Chinese IME or by hand: each pair
/// must work as a real block (cut from the public build, kept in the
/// internal one); spellings that only look like a marker must be an error
/// at their line. Never published without a word.
#[test]
fn item02_scope_markers_typed_loosely() {
    let accepted = common::markers::INTERNAL;
    let mut body = String::from("公开表现。\n");
    for (i, (open, close)) in accepted.iter().enumerate() {
        body.push_str(&format!(
            "{open}\n内部记录CANARY2x{i}\n{close}\n公开第{i}段。\n"
        ));
    }
    let dir = risk_site(PLAIN_MEASURE, &body);
    assert_eq!(errors(dir.path()), vec![], "accepted spellings gave errors");
    let public = build_scope(dir.path(), "public");
    let internal = build_scope(dir.path(), "internal");
    for (i, (open, _)) in accepted.iter().enumerate() {
        let canary = format!("CANARY2x{i}");
        let leaked = holding(public.path(), &canary);
        assert!(
            leaked.is_empty(),
            "{open}: {canary} published in {leaked:?}"
        );
        assert!(
            !holding(internal.path(), &canary).is_empty(),
            "{open}: the block is lost from the internal build"
        );
        assert!(
            !holding(public.path(), &format!("公开第{i}段")).is_empty(),
            "{open}: text after the block is lost"
        );
    }
    let rejected = [
        "<!-- scope internal -->",
        "<!-- scope = internal -->",
        "<!-- scopes: internal -->",
        "<!-- scope: internal ->",
        "<! -- scope: internal -- >\n内部\n<!-- /scope -->",
        "<!-- scope: internal -->\n内部\n<!-- /scope: internal -->",
        "<！-- 内部 scope 开始 --＞",
    ];
    for marker in rejected {
        let body = format!("公开表现。\n{marker}\n内部记录CANARY2y\n<!-- end -->\n");
        let dir = risk_site(PLAIN_MEASURE, &body);
        let errs = errors(dir.path());
        let text = std::fs::read_to_string(dir.path().join(RISK)).unwrap();
        let line = text.lines().position(|l| l.contains("scope")).unwrap() + 1;
        let want_line = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.to_lowercase().contains("scope"))
            .map(|(i, _)| i + 1)
            .collect::<Vec<_>>();
        assert!(
            errs.iter()
                .any(|e| e.0 == "E036" && e.1 == RISK && want_line.contains(&e.2)),
            "{marker:?}: no error at line {line} (got {errs:?})"
        );
    }
}

/// An inline measure's `text` is Markdown like a body: its scope blocks
/// are cut, its `[[ID]]` links to narrower items dropped (and warned
/// about), a dangling link is an error — and bodies warn too.
#[test]
fn item03_measure_text_is_a_markdown_field() {
    let measures = "  - phase: 前期预防\n    category: 教育\n    text: |\n      每年开展廉政教育，见[[R-009]]。\n      <!-- scope: internal -->\n      内部安排CANARY3m\n      <!-- /scope -->\n";
    let dir = risk_site(measures, "表现，另见[[R-009]]。\n");
    let found = diags(dir.path());
    let inversions: Vec<usize> = found
        .iter()
        .filter(|d| d.0 == "W108" && d.1 == RISK)
        .map(|d| d.2)
        .collect();
    // line 11 is the measure's `[[R-009]]`, line 17 the body's
    assert!(
        inversions.contains(&11),
        "measure link not warned: {found:?}"
    );
    assert!(inversions.contains(&17), "body link not warned: {found:?}");
    assert_eq!(errors(dir.path()), vec![]);

    let public = build_scope(dir.path(), "public");
    for needle in ["CANARY3m", "R-009", "TITLE9"] {
        let leaked = holding(public.path(), needle);
        assert!(leaked.is_empty(), "{needle} published in {leaked:?}");
    }
    let page = std::fs::read_to_string(public.path().join("public/2025/risks/R-003.html")).unwrap();
    assert!(page.contains("每年开展廉政教育"), "measure text lost");
    let internal = build_scope(dir.path(), "internal");
    assert!(!holding(internal.path(), "CANARY3m").is_empty());
    let csv = std::fs::read_to_string(internal.path().join("internal/2025/register.csv")).unwrap();
    assert!(
        csv.contains("廉政教育，见内部风险标题TITLE9"),
        "measure link not shown as its title"
    );
    assert!(
        !csv.contains("<!--") && !csv.contains("[["),
        "markers or raw links left in the CSV"
    );

    let dangling = "  - {phase: 前期预防, category: 教育, text: \"见[[NOPE]]。\"}\n";
    let dir = risk_site(dangling, "表现。\n");
    let errs = errors(dir.path());
    assert!(
        errs.iter()
            .any(|e| e.0 == "E032" && e.1 == RISK && e.2 == 8),
        "dangling link in measure text passes check: {errs:?}"
    );
    let bad_block =
        "  - {phase: 前期预防, category: 教育, text: \"<!-- scope: internal -->未结束\"}\n";
    let dir = risk_site(bad_block, "表现。\n");
    let errs = errors(dir.path());
    assert!(
        errs.iter()
            .any(|e| e.0 == "E036" && e.1 == RISK && e.2 == 8),
        "unclosed block in measure text passes check: {errs:?}"
    );
}

/// HTML comments never reach an output file, whatever renders it — with
/// `unsafe_html` too, where the page keeps raw HTML.
#[test]
fn item04_html_comments_reach_no_output() {
    let measures =
        "  - {phase: 前期预防, category: 教育, text: \"教育。<!-- 措施备注CANARY4m -->\"}\n";
    let body = "表现。\n<!-- 内部备注：举报人王某某CANARY4b -->\n尾。<!--\n多行CANARY4c\n-->\n";
    for unsafe_html in [false, true] {
        let dir = risk_site(measures, body);
        if unsafe_html {
            let config = dir.path().join("gongshi.yaml");
            let text = std::fs::read_to_string(&config).unwrap();
            std::fs::write(
                &config,
                text.replace("unsafe_html: false", "unsafe_html: true"),
            )
            .unwrap();
        }
        assert_eq!(errors(dir.path()), vec![]);
        for scope in ["public", "internal"] {
            let out = build_scope(dir.path(), scope);
            for canary in ["CANARY4m", "CANARY4b", "CANARY4c"] {
                let leaked = holding(out.path(), canary);
                assert!(
                    leaked.is_empty(),
                    "{canary} ({scope}, unsafe_html {unsafe_html}) in {leaked:?}"
                );
            }
            assert!(
                !holding(out.path(), "尾。").is_empty(),
                "text after a comment lost"
            );
        }
    }
}

/// A marker in a field that is not Markdown (`basis`, a title…) would be
/// shown as typed, with the text it meant to hide: an error at its line.
#[test]
fn item02_markers_in_plain_fields_are_errors() {
    let dir = risk_site(PLAIN_MEASURE, "表现。\n");
    let path = dir.path().join(RISK);
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace(
        "scope: public\n",
        "basis:\n  - \"《条例》<!-- scope: internal -->内部依据CANARY2z<!-- /scope -->\"\nscope: public\n",
    );
    std::fs::write(&path, text).unwrap();
    let errs = errors(dir.path());
    assert!(
        errs.iter()
            .any(|e| e.0 == "E036" && e.1 == RISK && e.2 == 10),
        "a marker in basis passes check: {errs:?}"
    );
}
