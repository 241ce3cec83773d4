//! The booklet's closing parts: the 审定签字备案 page (review stamps grouped
//! by reviewer and date for the internal audience, only the blank signature
//! block for the public, which never sees review state) and the appendix
//! 修订对照表 when there is a previous version — in `booklet.html`, in
//! `booklet.docx`, and in the printed PDF with their pages in the contents.

use crate::common;
use crate::poppler;

use common::site::example_copy;
use std::io::Read;
use std::path::Path;

const OLD_TITLE: &str = "受理环节违规降低条件受理或故意刁难申请人";
const NEW_TITLE: &str = "受理环节违规降低条件受理或刁难申请人（修订）";

/// The example built as 2024, then as 2025 with R-001 renamed; `extra`
/// arguments for the second build (`--docx`, `--pdf`, `--scope`).
fn two_versions(root: &Path, extra: &[&str]) {
    let config = root.join("gongshi.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let older = text.replace("version: \"2025\"", "version: \"2024\"");
    assert_ne!(older, text, "the example site is version 2025");
    std::fs::write(&config, &older).unwrap();
    let build = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("gongshi")
            .unwrap()
            .env_remove("CI")
            .args(["build", "--quiet", "--root"])
            .arg(root)
            .args(args)
            .assert()
            .success();
    };
    build(&[]);
    std::fs::write(&config, &text).unwrap();
    let risk = root.join("content/risks/R-001.md");
    let body = std::fs::read_to_string(&risk).unwrap();
    let renamed = body.replacen(OLD_TITLE, NEW_TITLE, 1);
    assert_ne!(renamed, body, "R-001's title");
    std::fs::write(&risk, renamed).unwrap();
    build(extra);
}

fn read(root: &Path, scope: &str, file: &str) -> String {
    std::fs::read_to_string(root.join("site").join(scope).join("2025").join(file)).unwrap()
}

/// The text of `html` from the element with `id` on, tags dropped.
fn from_id(html: &str, id: &str) -> String {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let mut out = String::new();
    let mut tag = false;
    for c in html[at..].chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn the_sign_off_page_and_the_appendix_close_both_booklets() {
    let dir = example_copy();
    let root = dir.path();
    two_versions(root, &["--docx"]);
    for scope in ["public", "internal"] {
        let html = read(root, scope, "booklet.html");
        let toc: Vec<String> = poppler::booklet_contents(&html)
            .into_iter()
            .map(|(anchor, _)| anchor)
            .collect();
        let tail: Vec<&str> = toc.iter().rev().take(2).map(String::as_str).collect();
        assert_eq!(tail, ["s-appendix", "s-sign-off"], "{scope}: contents end");
        let sign = from_id(&html, "s-sign-off");
        let sign = &sign[..sign.find("附件").expect("the appendix after it")];
        for line in ["审定签字备案", "主要领导（签字）", "纪检监察机构（备案）"]
        {
            assert!(sign.contains(line), "{scope}: {line} in {sign}");
        }
        let reviewed = sign.contains("审定记录") && sign.contains("局党组");
        assert_eq!(
            reviewed,
            scope == "internal",
            "{scope}: review state: {sign}"
        );
        assert_eq!(
            sign.contains("待复核"),
            scope == "internal",
            "{scope}: {sign}"
        );
        let appendix = from_id(&html, "s-appendix");
        for cell in [
            "修订对照表",
            "R-001",
            OLD_TITLE,
            NEW_TITLE,
            "与 2024 版相比",
        ] {
            assert!(appendix.contains(cell), "{scope}: {cell} in {appendix}");
        }
    }
    let docx = std::fs::read(root.join("site/internal/2025/booklet.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for text in [
        "审定签字备案",
        "局党组",
        "主要领导（签字）",
        "附件　修订对照表",
        NEW_TITLE,
    ] {
        assert!(xml.contains(text), "booklet.docx: no {text}");
    }
    assert!(
        xml.find("审定签字备案") < xml.rfind("附件　修订对照表"),
        "the appendix follows the sign-off page"
    );
}

#[test]
fn without_a_previous_version_there_is_no_appendix() {
    let dir = example_copy();
    let root = dir.path();
    assert_cmd::Command::cargo_bin("gongshi")
        .unwrap()
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .assert()
        .success();
    let html = read(root, "internal", "booklet.html");
    assert!(html.contains("id=\"s-sign-off\""));
    assert!(
        !html.contains("id=\"s-appendix\""),
        "an appendix of nothing"
    );
}

#[test]
#[ignore = "needs Chromium and poppler: cargo test -- --include-ignored"]
fn the_printed_contents_give_the_sign_off_and_appendix_pages() {
    if !poppler::require("printed booklet", &["pdftotext", "pdfinfo"]) {
        return;
    }
    if !poppler::chromium() {
        poppler::require("printed booklet", &["chromium"]);
        return;
    }
    let dir = example_copy();
    let root = dir.path();
    two_versions(root, &["--pdf", "--scope", "internal"]);
    let pdf = root.join("site/internal/2025/booklet.pdf");
    let html = read(root, "internal", "booklet.html");
    let dests = poppler::dests(&pdf);
    let (sign, appendix) = (dests["s-sign-off"], dests["s-appendix"]);
    assert!(sign < appendix, "sign-off p.{sign}, appendix p.{appendix}");
    let contents = (2, dests["s-notice"] - 1);
    let printed = poppler::printed_contents(&poppler::text(&pdf, Some(contents), true));
    let number = |title: &str| {
        let t = poppler::squeeze(title);
        printed.iter().find(|e| e.0 == t).map(|e| e.1)
    };
    assert_eq!(number("审定签字备案"), Some(sign), "{printed:?}");
    assert_eq!(number("附件　修订对照表"), Some(appendix), "{printed:?}");
    let page = |n: u32| poppler::squeeze(&poppler::text(&pdf, Some((n, n)), false));
    let sign_page = page(sign);
    for text in [
        "审定签字备案",
        "局党组",
        "主要领导（签字）",
        "组织人事部门（备案）",
    ] {
        assert!(sign_page.contains(text), "p.{sign}: no {text}: {sign_page}");
    }
    let last = poppler::pages(&pdf);
    let tail = poppler::squeeze(&poppler::text(&pdf, Some((appendix, last)), false));
    for text in ["修订对照表", "R-001", &poppler::squeeze(NEW_TITLE)] {
        assert!(tail.contains(text), "appendix: no {text}: {tail}");
    }
    assert!(html.contains("data-page=\"s-appendix\""));
}
