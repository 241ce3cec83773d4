//! Charts: the numbers in each chart's data table are the model's counts,
//! follow a change of grade, and any number of grades (2–5) renders.

use assert_cmd::Command;
use std::path::Path;

fn gongshi() -> Command {
    Command::cargo_bin("gongshi").unwrap()
}

fn init_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("s");
    gongshi().arg("init").arg(&site).assert().success();
    (dir, site)
}

fn build(site: &Path) {
    gongshi()
        .args(["build", "--quiet", "--root"])
        .arg(site)
        .assert()
        .success();
}

/// The numbers of the data table of the chart figure `id` on a page.
fn table_numbers(html: &str, id: &str) -> Vec<u32> {
    let start = html
        .find(&format!("id=\"chart-{id}\""))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let fig = &html[start..start + html[start..].find("</figure>").unwrap()];
    let table = &fig[fig.find("<table").expect("chart without data table")..];
    table
        .split("<td")
        .skip(1)
        .filter_map(|cell| {
            let text = &cell[cell.find('>')? + 1..cell.find("</td>")?];
            text.trim().parse().ok()
        })
        .collect()
}

fn model_counts(site: &Path, scope: usize) -> Vec<u32> {
    let checked = gongshi::pipeline::check(site).unwrap();
    let visible = gongshi::scope::filter(&checked.site, scope);
    visible.grade_counts(visible.risks.iter())
}

#[test]
fn chart_tables_equal_the_model_and_follow_regrading() {
    let (_d, site) = init_site();
    build(&site);
    for (scope, name) in [(0, "public"), (1, "internal")] {
        let home =
            std::fs::read_to_string(site.join(format!("site/{name}/2025/index.html"))).unwrap();
        let mut expected = model_counts(&site, scope);
        expected.push(expected.iter().sum());
        assert_eq!(table_numbers(&home, "grades"), expected, "{name}");
        for id in ["departments", "types", "versions"] {
            assert!(!table_numbers(&home, id).is_empty(), "{name}: {id}");
        }
        // the SVG next to the table carries the same numbers
        let svg_start = home.find("id=\"chart-grades\"").unwrap();
        let svg = &home[svg_start..svg_start + home[svg_start..].find("</svg>").unwrap()];
        for n in &expected[..expected.len() - 1] {
            let drawn =
                svg.contains(&format!(">{n}</text>")) || svg.contains(&format!(">\n{n}\n</text>"));
            assert!(drawn, "{name}: {n} not drawn");
        }
    }
    // re-grade one 三级 risk to 一级: the first and last grade counts move
    let before = model_counts(&site, 1);
    let path = site.join("content/risks/R-008.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let changed: String = text
        .lines()
        .map(|l| {
            if l.starts_with("grade:") {
                "grade: 一级".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, changed).unwrap();
    build(&site);
    let after = model_counts(&site, 1);
    assert_ne!(before, after);
    let home = std::fs::read_to_string(site.join("site/internal/2025/index.html")).unwrap();
    assert_eq!(table_numbers(&home, "grades")[..after.len()], after[..]);
}

fn with_grades(grades: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, site) = init_site();
    let cfg = std::fs::read_to_string(site.join("gongshi.yaml")).unwrap();
    let start = cfg.find("grades:").unwrap();
    let end = start + cfg[start..].find("risk_types:").unwrap();
    let cfg = format!("{}{}{}", &cfg[..start], grades, &cfg[end..]);
    std::fs::write(site.join("gongshi.yaml"), cfg).unwrap();
    (d, site)
}

#[test]
fn five_and_two_grades_render() {
    let five = "grades:\n  - {name: Ⅰ, aliases: [一级, A], color: \"#b71c1c\", owner: 主要领导, min_score: 20}\n  - {name: Ⅱ, aliases: [二级, B], color: \"#bf360c\", min_score: 15}\n  - {name: Ⅲ, aliases: [三级, C], color: \"#6d4c41\", min_score: 10}\n  - {name: Ⅳ, color: \"#1565c0\", min_score: 5}\n  - {name: Ⅴ, color: \"#2e7d32\", min_score: 1}\n";
    let two = "grades:\n  - {name: 高, aliases: [一级, 二级, A, B, Ⅰ, Ⅱ, 中], color: \"#c62828\", owner: 主要领导, min_score: 10}\n  - {name: 低, aliases: [三级, C, Ⅲ], color: \"#1565c0\", min_score: 1}\n";
    for (grades, names) in [
        (five, vec!["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ"]),
        (two, vec!["高", "低"]),
    ] {
        let (_d, site) = with_grades(grades);
        build(&site);
        let home = std::fs::read_to_string(site.join("site/internal/2025/index.html")).unwrap();
        let counts = table_numbers(&home, "grades");
        assert_eq!(counts.len(), names.len() + 1);
        assert_eq!(counts[..names.len()], model_counts(&site, 1)[..]);
        for n in &names {
            assert!(home.contains(&format!(">{n}</span>")), "badge {n} missing");
        }
        let register =
            std::fs::read_to_string(site.join("site/internal/2025/risks/index.html")).unwrap();
        assert!(register.contains("chart-types"));
    }
}
