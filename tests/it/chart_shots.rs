//! One screenshot test per chart type and per flowchart: each SVG the
//! build drew is opened on its own in headless Chromium, must render to a
//! substantial image, and keeps its Chinese text as text (selectable).

use crate::common;

use common::browser::{self, file_url, png_is_substantial};
use std::path::{Path, PathBuf};

fn build() -> (tempfile::TempDir, PathBuf) {
    let out = common::site::build_example(&["--scope", "internal"]);
    let version = out.path().join("internal/2025");
    (out, version)
}

/// The `<svg>…</svg>` inside the element whose id is `id`.
fn svg_in(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let from = start + html[start..].find("<svg").expect("no svg");
    let to = from + html[from..].find("</svg>").expect("unclosed svg") + "</svg>".len();
    html[from..to].to_string()
}

fn shoot(chromium: &browser::Chromium, dir: &Path, name: &str, svg: &str, expect_text: &str) {
    assert!(
        svg.contains("viewBox="),
        "{name}: no viewBox, will not scale"
    );
    assert!(!svg.contains("<image"), "{name}: text drawn as an image");
    assert!(
        svg.contains(expect_text),
        "{name}: {expect_text} is not text in the SVG"
    );
    let page = dir.join(format!("{name}.html"));
    std::fs::write(&page, format!("<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><body style=\"margin:0;background:#fff\">{svg}</body></html>")).unwrap();
    let png = dir.join(format!("{name}.png"));
    let loaded = chromium.load_and_shoot(&file_url(&page, None), 900, 700, &png);
    assert!(
        loaded.dom.contains(expect_text),
        "{name}: text missing from the DOM"
    );
    assert!(
        loaded.console().is_empty(),
        "{name}: console: {:?}",
        loaded.console()
    );
    png_is_substantial(&png, 12_000).unwrap_or_else(|e| panic!("{name}: {e}"));
}

#[test]
#[ignore = "needs Chromium: cargo test -- --include-ignored"]
fn every_chart_type_and_flowchart_renders() {
    let Some(chromium) = browser::require("every_chart_type_and_flowchart_renders") else {
        return;
    };
    let (_keep, version) = build();
    let shots = tempfile::tempdir().unwrap();
    let home = std::fs::read_to_string(version.join("index.html")).unwrap();
    for (id, text) in [
        ("chart-grades", "一级"),
        ("chart-departments", "不动产登记中心"),
        ("chart-types", "思想道德"),
        ("chart-matrix", "可能性"),
        ("chart-versions", "2025"),
    ] {
        shoot(&chromium, shots.path(), id, &svg_in(&home, id), text);
    }
    let site = gongshi::pipeline::check(Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .site;
    assert!(!site.flows.is_empty());
    for f in &site.flows {
        let page =
            std::fs::read_to_string(version.join(format!("flows/{}.html", f.meta.id))).unwrap();
        let svg = svg_in(&page, "main");
        let first = &f.steps[0].label;
        let shown: String = first.chars().take(4).collect();
        shoot(&chromium, shots.path(), &f.meta.id, &svg, &shown);
        // a step with risks carries its grade as text, not colour alone
        if f.steps.iter().any(|s| !s.risks.is_empty()) {
            assert!(
                site.config
                    .grades
                    .iter()
                    .any(|g| svg.contains(&format!(">{}<", g.name))),
                "{}: no grade badge",
                f.meta.id
            );
        }
    }
}
