//! The annual booklet: `booklet.html` in every version (cover, contents,
//! the whole register), and `booklet.pdf` with `--pdf` — A4, titled, its
//! contents numbered with the pages where the parts really fall; without a
//! browser the build still succeeds, with a warning.

use crate::common;
use crate::poppler;

use assert_cmd::Command;
use gongshi::build::{build, Options};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn gongshi() -> Command {
    let mut c = Command::cargo_bin("gongshi").unwrap();
    c.env_remove("CI").env("LANG", "C");
    c
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Builds the example site's audience `scope` with the library.
fn build_example(scope: &str) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let opts = Options {
        scope: Some(scope.into()),
        out: Some(out.path().to_path_buf()),
        pdf: false,
        ..Default::default()
    };
    build(&repo(), &opts).unwrap_or_else(|e| panic!("{e:?}"));
    let dir = out.path().join(scope).join("2025");
    (out, dir)
}

/// Titles of one kind in an audience's data.json.
fn titles(version: &Path, kind: &str) -> Vec<String> {
    let data: serde_json::Value = serde_json::from_str(&read(&version.join("data.json"))).unwrap();
    data[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn html_booklet_holds_the_whole_register_and_is_deterministic() {
    let (_a, public) = build_example("public");
    let (_b, again) = build_example("public");
    let html = read(&public.join("booklet.html"));
    assert_eq!(
        html,
        read(&again.join("booklet.html")),
        "booklet not deterministic"
    );
    for t in titles(&public, "risks") {
        assert!(html.contains(&t), "risk {t} missing");
    }
    for t in titles(&public, "flows") {
        assert!(html.contains(&t), "flow {t} missing");
    }
    let drawings = html.matches("<svg").count();
    assert!(
        drawings >= titles(&public, "flows").len() + 3,
        "{drawings} drawings"
    );
    assert!(
        html.contains("某自然资规发〔2025〕12号"),
        "文号 on the cover"
    );
    assert!(html.contains("<title>") && html.contains("年度汇编</title>"));
    let toc = poppler::booklet_contents(&html);
    assert!(toc.len() >= 8, "contents: {toc:?}");
    for (anchor, _) in &toc {
        assert!(
            html.contains(&format!("id=\"{anchor}\"")),
            "#{anchor} leads nowhere"
        );
    }
    // Only files of the version folder are used: the print stylesheet.
    assert!(html.contains("href=\"static/booklet.css\""));
    assert!(public.join("static/booklet.css").is_file());
    for attr in ["src=\"http", "href=\"http", "href=\"//", "url(http"] {
        assert!(!html.contains(attr), "fetches from the network: {attr}");
    }
    let home = read(&public.join("index.html"));
    assert!(
        home.contains("href=\"booklet.html\""),
        "home links the booklet"
    );
    assert!(!home.contains("booklet.pdf"), "no PDF was printed");
    assert!(!public.join("booklet.pdf").exists());

    let (_c, internal) = build_example("internal");
    let inner = read(&internal.join("booklet.html"));
    let public_risks = titles(&public, "risks");
    let more: Vec<String> = titles(&internal, "risks")
        .into_iter()
        .filter(|t| !public_risks.contains(t))
        .collect();
    assert!(!more.is_empty(), "the example has internal-only risks");
    for t in &more {
        assert!(inner.contains(t.as_str()), "{t} missing internally");
        assert!(
            !html.contains(t.as_str()),
            "{t} leaked into the public booklet"
        );
    }
}

#[test]
#[ignore = "needs Chromium and poppler: cargo test -- --include-ignored"]
fn example_pdf_is_a4_titled_complete_and_its_contents_numbered() {
    if !poppler::require("booklet PDF", &["pdftotext", "pdfinfo"]) {
        return;
    }
    if !poppler::chromium() {
        poppler::require("booklet PDF", &["chromium"]);
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let run = gongshi()
        .arg("--root")
        .arg(repo())
        .args(["build", "--scope", "public", "--pdf", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("已打印年度汇编 PDF"), "{stderr}");
    let version = out.path().join("public/2025");
    let pdf = version.join("booklet.pdf");
    let html = read(&version.join("booklet.html"));
    assert!(read(&version.join("index.html")).contains("href=\"booklet.pdf\""));

    let info = poppler::info(&pdf);
    assert!(
        info.contains("Page size:       594.96 x 841.92 pts (A4)"),
        "{info}"
    );
    let title = html
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    assert!(
        info.contains(&format!("Title:           {title}\n")),
        "{info}"
    );

    let all = poppler::squeeze(&poppler::text(&pdf, None, false));
    for t in titles(&version, "risks") {
        assert!(
            all.contains(&poppler::squeeze(&t)),
            "risk {t} not in the PDF text"
        );
    }

    // Contents: each entry's number is the page its heading is printed on.
    let toc = poppler::booklet_contents(&html);
    let notice_page = poppler::dests(&pdf)["s-notice"];
    let toc_text = poppler::text(&pdf, Some((2, notice_page - 1)), true);
    let printed = poppler::printed_contents(&toc_text);
    assert_eq!(printed.len(), toc.len(), "numbered entries: {printed:?}");
    let mut found = Vec::new();
    for ((anchor, title), (text, n, _)) in toc.iter().zip(&printed) {
        assert_eq!(text, &poppler::squeeze(title), "entry #{anchor}");
        found.push((anchor, title, *n));
    }
    let mut last = 0;
    for (anchor, title, n) in &found {
        assert!(*n >= last, "contents out of order at {anchor}");
        last = *n;
        let page = poppler::squeeze(&poppler::text(&pdf, Some((*n, *n)), false));
        assert!(
            page.contains(&poppler::squeeze(title)),
            "{title} is not on page {n}"
        );
        assert!(
            page.contains(&format!("—{n}—")),
            "page {n} is not numbered {n}"
        );
    }
}

/// Builds `root` with `--pdf` and PATH set to `path` only; returns stderr.
fn build_with_path(root: &Path, path: &Path, out: &Path) -> String {
    let run = gongshi()
        .env("PATH", path)
        .arg("--root")
        .arg(root)
        .args(["build", "--pdf", "--out"])
        .arg(out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "build failed: {stderr}");
    stderr
}

fn assert_html_only(out: &Path) {
    for scope in ["public", "internal"] {
        let v = out.join(scope).join("2025");
        assert!(
            v.join("booklet.html").is_file(),
            "{scope}: HTML booklet missing"
        );
        assert!(!v.join("booklet.pdf").exists(), "{scope}: unexpected PDF");
        let home = read(&v.join("index.html"));
        assert!(home.contains("href=\"booklet.html\"") && !home.contains("booklet.pdf"));
    }
}

#[test]
fn without_a_browser_the_build_succeeds_with_a_warning() {
    let empty = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let stderr = build_with_path(&repo(), empty.path(), out.path());
    assert!(stderr.contains("未找到可打印 PDF 的浏览器"), "{stderr}");
    assert!(stderr.contains("booklet.html 已生成"), "{stderr}");
    assert_eq!(
        stderr.matches("未找到可打印").count(),
        1,
        "warned once: {stderr}"
    );
    assert_html_only(out.path());
}

#[test]
fn a_configured_browser_that_is_missing_is_named_in_the_warning() {
    let site = common::site::example_copy();
    let cfg = site.path().join("gongshi.yaml");
    let text = read(&cfg).replace(
        "booklet: {pdf: false, docx: false, chromium: null}",
        "booklet: {pdf: true, chromium: tools/no-such-chrome}",
    );
    std::fs::write(&cfg, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = gongshi()
        .arg("--root")
        .arg(site.path())
        .args(["build", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("“tools/no-such-chrome”不存在"), "{stderr}");
    assert_html_only(out.path());
}

#[cfg(unix)]
#[test]
fn a_browser_that_fails_leaves_the_html_booklet_and_no_pdf_link() {
    use std::os::unix::fs::PermissionsExt;
    let bin = tempfile::tempdir().unwrap();
    let fake = bin.path().join("chromium");
    std::fs::write(&fake, "#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let stderr = build_with_path(&repo(), bin.path(), out.path());
    assert!(stderr.contains("打印年度汇编 PDF 失败"), "{stderr}");
    assert!(
        stderr.contains("cannot open display"),
        "the browser's words: {stderr}"
    );
    assert_html_only(out.path());
}
