//! `gongshi build --department ID`: one department's own booklet, for the
//! 科室 to check their part before 组织审查 — only that department's risks
//! (test by ids against the audience's `data.json`), its own contents and
//! cover, in `site/departments/<scope>/<version>/<ID>/`, beside and apart
//! from the site (a department build writes no audience folder).

use crate::common;
use crate::poppler;

use common::site::example_copy;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

fn gongshi(root: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    assert_cmd::Command::cargo_bin("gongshi")
        .unwrap()
        .env_remove("CI")
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .args(args)
        .assert()
}

/// Risks as (id, title).
type Risks = Vec<(String, String)>;

/// The audience's risks of department `d`, and of the others.
fn risks(root: &Path, scope: &str, d: &str) -> (Risks, Risks) {
    gongshi(root, &["--scope", scope]).success();
    let data = std::fs::read(root.join("site").join(scope).join("2025/data.json")).unwrap();
    let data: serde_json::Value = serde_json::from_slice(&data).unwrap();
    let all = data["risks"].as_array().unwrap().iter().map(|r| {
        let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
        (s("department") == d, (s("id"), s("title")))
    });
    let (mine, others): (Vec<_>, Vec<_>) = all.partition(|r| r.0);
    let strip = |v: Vec<(bool, (String, String))>| v.into_iter().map(|r| r.1).collect();
    (strip(mine), strip(others))
}

/// The risk ids a booklet's register holds (`id="r-R-001"`).
fn register_ids(html: &str) -> BTreeSet<String> {
    html.split("id=\"r-")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn a_department_booklet_holds_its_risks_and_no_other() {
    let dir = example_copy();
    let root = dir.path();
    let (mine, others) = risks(root, "internal", "D-04");
    assert!(mine.len() >= 2 && !others.is_empty(), "{mine:?}");
    std::fs::remove_dir_all(root.join("site")).unwrap();
    gongshi(root, &["--department", "D-04", "--docx"]).success();
    let folder = root.join("site/departments/internal/2025/D-04");
    let names: Vec<String> = std::fs::read_dir(root.join("site"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(names, ["departments"], "a department build writes no site");
    let html = std::fs::read_to_string(folder.join("booklet.html")).unwrap();
    let want: BTreeSet<String> = mine.iter().map(|r| r.0.clone()).collect();
    assert_eq!(register_ids(&html), want, "D-04's risks, and no other's");
    let toc: Vec<String> = poppler::booklet_contents(&html)
        .into_iter()
        .map(|e| e.0)
        .collect();
    let parts: Vec<&String> = toc.iter().filter(|a| a.starts_with("d-")).collect();
    assert_eq!(parts, ["d-D-04"], "its own contents: {toc:?}");
    assert!(toc.contains(&"s-sign-off".to_string()), "{toc:?}");
    assert!(
        html.contains("class=\"cover-part\">行政审批科分册"),
        "the cover names it"
    );
    let mut xml = String::new();
    let docx = std::fs::read(folder.join("booklet.docx")).unwrap();
    zip::ZipArchive::new(std::io::Cursor::new(docx))
        .unwrap()
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for (id, title) in &mine {
        assert!(xml.contains(title), "booklet.docx: no {id} {title}");
    }
    for (id, title) in &others {
        assert!(!xml.contains(title), "booklet.docx: another's {id} {title}");
    }
}

#[test]
fn an_unknown_department_is_named_with_the_nearest() {
    let dir = example_copy();
    let root = dir.path();
    let out = gongshi(root, &["--department", "D-4"]).code(2);
    let err = String::from_utf8_lossy(&out.get_output().stdout).into_owned()
        + &String::from_utf8_lossy(&out.get_output().stderr);
    assert!(err.contains("“D-4”") && err.contains("“D-04”"), "{err}");
    assert!(!root.join("site/departments").exists());
}

#[test]
#[ignore = "needs Chromium and poppler: cargo test -- --include-ignored"]
fn a_department_booklet_prints_with_only_its_risks() {
    if !poppler::require("department booklet", &["pdftotext", "pdfinfo"]) {
        return;
    }
    if !poppler::chromium() {
        poppler::require("department booklet", &["chromium"]);
        return;
    }
    let dir = example_copy();
    let root = dir.path();
    let (mine, others) = risks(root, "public", "D-04");
    gongshi(
        root,
        &["--department", "D-04", "--scope", "public", "--pdf"],
    )
    .success();
    let pdf = root.join("site/departments/public/2025/D-04/booklet.pdf");
    let text = poppler::squeeze(&poppler::text(&pdf, None, false));
    for (id, title) in &mine {
        assert!(text.contains(&poppler::squeeze(title)), "no {id}");
    }
    for (id, title) in &others {
        assert!(!text.contains(&poppler::squeeze(title)), "another's {id}");
    }
    let dests = poppler::dests(&pdf);
    let contents = (2, dests["s-notice"] - 1);
    let printed = poppler::printed_contents(&poppler::text(&pdf, Some(contents), true));
    let sign = printed.iter().find(|e| e.0 == "审定签字备案").map(|e| e.1);
    assert_eq!(sign, Some(dests["s-sign-off"]), "{printed:?}");
}

/// A `[[ID]]` link in a department's text to an item of another
/// department is not in its booklet: the link becomes that item's title,
/// as plain text, never an anchor to nowhere.
#[test]
fn a_link_to_another_departments_item_becomes_its_title() {
    let dir = example_copy();
    let root = dir.path();
    let r001 = root.join("content/risks/R-001.md");
    let text = std::fs::read_to_string(&r001).unwrap();
    std::fs::write(&r001, format!("{text}\n另见[[R-015]]。\n")).unwrap();
    gongshi(root, &["--department", "D-04"]).success();
    let html =
        std::fs::read_to_string(root.join("site/departments/internal/2025/D-04/booklet.html"))
            .unwrap();
    let title = std::fs::read_to_string(root.join("content/risks/R-015.md")).unwrap();
    let title = title
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .expect("R-015 has a title")
        .trim();
    assert!(
        html.contains(&format!("另见{title}。")),
        "the title stands in"
    );
    assert!(
        !html.contains("R-015"),
        "no link or id of another department's risk"
    );
}
