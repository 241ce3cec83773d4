//! A government site's footer (#20): `portal:` in gongshi.yaml. The
//! example site fills every field; `check` warns for each required one
//! removed, at its line, and for a badge image the site does not have.

use crate::common::site::{check_json, example_copy};
use std::path::Path;

/// The example config without the line `  <key>: …` under `portal:`.
fn without(root: &Path, key: &str) {
    let path = root.join("gongshi.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let prefix = format!("  {key}: ");
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with(&prefix)).collect();
    assert_eq!(kept.len() + 1, text.lines().count(), "one `{key}:` line");
    std::fs::write(&path, kept.join("\n") + "\n").unwrap();
}

#[test]
fn the_example_site_fills_every_footer_field_and_checks_clean() {
    let dir = example_copy();
    let (code, report) = check_json(dir.path(), None);
    assert_eq!(code, 0);
    let portal: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "W120" || d.code == "W121")
        .collect();
    assert!(portal.is_empty(), "{portal:?}");
}

#[test]
fn check_warns_for_each_required_field_removed_naming_it() {
    let required = [
        ("sponsor", "主办单位"),
        ("phone", "联系电话"),
        ("address", "地址"),
        ("site_code", "网站标识码"),
        ("icp", "ICP备案号"),
        ("police", "公安机关备案号"),
        ("badge", "党政机关网站标识"),
    ];
    for (key, name) in required {
        let dir = example_copy();
        without(dir.path(), key);
        let (code, report) = check_json(dir.path(), None);
        assert_eq!(code, 0, "{key}: a warning, not an error");
        let w: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "W120")
            .collect();
        assert_eq!(w.len(), 1, "{key}: {w:?}");
        assert!(w[0].message.contains(name), "{key}: {}", w[0].message);
        assert_eq!(w[0].file, "gongshi.yaml");
        let hint = w[0].hint.as_deref().unwrap_or_default();
        assert!(
            hint.contains(&format!("{key}:")),
            "{key}: the fix names the key: {hint}"
        );
    }
}

#[test]
fn a_site_that_is_not_a_government_site_is_not_asked_for_fields() {
    let dir = example_copy();
    let path = dir.path().join("gongshi.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("  government: true", "  government: false"),
    )
    .unwrap();
    without(dir.path(), "sponsor");
    let (_, report) = check_json(dir.path(), None);
    assert!(report.diagnostics.iter().all(|d| d.code != "W120"));
}

#[test]
fn a_badge_the_site_does_not_have_is_named_at_its_line() {
    let dir = example_copy();
    std::fs::remove_file(dir.path().join("static/site-badge-example.svg")).unwrap();
    let (_, report) = check_json(dir.path(), None);
    let w: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "W121")
        .collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].message.contains("static/site-badge-example.svg"));
    assert!(w[0].source.contains("badge:"), "{}", w[0].source);
}

#[test]
fn every_public_page_shows_the_footer_and_internal_pages_do_not() {
    let dir = example_copy();
    let root = dir.path();
    gongshi::build::build(root, &Default::default()).expect("builds");
    let wanted = [
        "主办单位：某县自然资源和规划局（示例）",
        "联系电话：0000-0000000（示例）",
        "网站标识码：0000000000",
        "href=\"https://beian.miit.gov.cn/\"",
        "示公网安备 00000000000000号（示例）",
        "https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000",
        "static/site-badge-example.svg\" alt=\"党政机关网站标识\"",
        "sitecode=0000000000",
    ];
    let mut pages = 0;
    for scope in ["public", "internal"] {
        let folder = root.join("site").join(scope).join("2025");
        for entry in walkdir::WalkDir::new(&folder) {
            let entry = entry.unwrap();
            let path = entry.path();
            let name = path.to_string_lossy();
            if !name.ends_with(".html") || name.ends_with("booklet.html") {
                continue;
            }
            let html = std::fs::read_to_string(path).unwrap();
            for w in wanted {
                assert_eq!(html.contains(w), scope == "public", "{name}: {w}");
            }
            pages += 1;
        }
    }
    assert!(pages > 100, "{pages} pages read");
}
