//! The preview for an office writer's first hour ("The office writer's
//! first hour", preview part): warnings shown on the page, a styled 404,
//! the manual served by the preview, and terminal lines that say what
//! happened in the writer's words. Browser tests drive headless Chromium on
//! a fresh `gongshi init` copy, opened the documented way (the printed
//! address). Set GONGSHI_SHOTS=<dir> to keep screenshots.

use crate::common;
use crate::serve_support;

use serve_support::cdp::Browser;
use serve_support::{open_preview, wait_for, Server, Site};
use std::time::Duration;

const RISK: &str = "content/risks/R-001.md";

fn shot(b: &mut Browser, name: &str) {
    if let Ok(dir) = std::env::var("GONGSHI_SHOTS") {
        let _ = std::fs::write(format!("{dir}/{name}.png"), b.screenshot());
    }
}

fn text(b: &mut Browser, expr: &str) -> String {
    b.eval(expr).as_str().unwrap_or("").to_string()
}

/// Opens the printed address and waits for the live home page.
fn open(chromium: &std::path::Path, server: &Server) -> Browser {
    let (mut b, opened) = open_preview(chromium, server);
    assert!(
        opened,
        "home page did not open: {:?}",
        b.eval("location.href")
    );
    let connected = wait_for(Duration::from_secs(10), || {
        (server.status()["clients"].as_u64() >= Some(1)).then_some(())
    });
    assert!(connected.is_some(), "no live-reload connection");
    b
}

/// Navigates and waits until the page at `path` has loaded.
fn go(b: &mut Browser, url: &str, path: &str) {
    b.eval(&format!("location.href={url:?}"));
    let cond = format!("document.readyState==='complete' && location.pathname==={path:?}");
    let there = wait_for(Duration::from_secs(20), || {
        (b.eval(&cond) == true).then_some(())
    });
    assert!(
        there.is_some(),
        "did not reach {path}: {:?}",
        b.eval("location.href")
    );
}

#[test]
#[ignore = "needs Chromium: cargo test -- --include-ignored"]
fn item1_a_saved_unknown_field_shows_in_the_warnings_panel_with_help() {
    let Some(chromium) = common::browser::require("preview_ui").map(|c| c.path) else {
        return;
    };
    let site = Site::example();
    let server = Server::start(&site.root, &[]);
    let mut b = open(&chromium, &server);
    let before = b.eval("document.querySelectorAll('#gongshi-warnings').length");
    assert_eq!(before, 0, "the example site has no warnings");

    // The writer saves a risk with a field gongshi does not know.
    let risk = site.read(RISK);
    site.write(
        RISK,
        &risk.replacen("\ntitle: ", "\n备忘栏: 下周再核\ntitle: ", 1),
    );
    let shown = wait_for(Duration::from_secs(10), || {
        let t = text(
            &mut b,
            "(document.querySelector('#gongshi-warnings summary')||{}).innerText||''",
        );
        (!t.is_empty()).then_some(t)
    });
    let summary =
        shown.unwrap_or_else(|| panic!("no warnings panel; server said {:?}", server.lines()));
    assert!(summary.contains("1 个警告"), "{summary}");
    assert_eq!(
        b.eval("document.getElementById('gongshi-warnings').open"),
        false,
        "collapsed"
    );
    assert_eq!(
        b.eval("document.activeElement===document.body"),
        true,
        "no focus taken"
    );
    b.eval("document.querySelector('#gongshi-warnings summary').click()");
    let list = text(
        &mut b,
        "document.getElementById('gongshi-warnings').innerText",
    );
    assert!(list.contains("备忘栏"), "the field is named: {list}");
    assert!(
        list.contains("content/risks/R-001.md:"),
        "file:line: {list}"
    );
    assert!(list.contains("提示"), "a hint: {list}");
    shot(&mut b, "preview-warnings");
    // Opened once, it stays open when a save reloads the page.
    b.eval("window.beforeReload=1; location.reload()");
    let reopened = wait_for(Duration::from_secs(10), || {
        (b.eval("!window.beforeReload && document.readyState==='complete' && (document.getElementById('gongshi-warnings')||{}).open===true") == true).then_some(())
    });
    assert!(reopened.is_some(), "the panel folded again after a reload");

    // The code links to its entry in the manual; 帮助 opens the manual.
    let code = text(
        &mut b,
        "document.querySelector('#gongshi-warnings a[href*=\"errors.md#w\"]').href",
    );
    assert!(code.contains("/__gongshi/help/errors.md#w101"), "{code}");
    let help = text(
        &mut b,
        "document.querySelector('#gongshi-warnings [data-gongshi-help]').href",
    );
    go(&mut b, &help, "/__gongshi/help/");
    assert_eq!(
        text(&mut b, "document.querySelector('h1').innerText"),
        "gongshi 用户手册"
    );
    let sheet = "[...document.styleSheets].some(s=>s.href&&s.href.endsWith('/static/gongshi.css')&&s.cssRules.length>0)";
    assert_eq!(b.eval(sheet), true, "the site's stylesheet applies");
    shot(&mut b, "preview-help");
    // A relative link between manual pages, and the code's anchor.
    b.eval("document.querySelector('a[href=\"workflow.md\"]').click()");
    let reached = wait_for(Duration::from_secs(10), || {
        (b.eval(
            "location.pathname==='/__gongshi/help/workflow.md' && document.readyState==='complete'",
        ) == true)
            .then_some(())
    });
    assert!(
        reached.is_some(),
        "workflow.md link: {:?}",
        b.eval("location.href")
    );
    go(&mut b, &code, "/__gongshi/help/errors.md");
    assert_eq!(b.eval("!!document.getElementById('w101')"), true);
    assert_eq!(
        text(&mut b, "document.querySelector('h1').innerText"),
        "常见错误及改法"
    );

    // Fixed and saved: the panel goes away by itself.
    site.write(RISK, &risk);
    go(&mut b, &server.url("/"), "/");
    let gone = wait_for(Duration::from_secs(10), || {
        (b.eval("!document.getElementById('gongshi-warnings')") == true).then_some(())
    });
    assert!(gone.is_some(), "the panel stayed after the fix");
}

#[test]
fn item1_the_panel_is_preview_only() {
    let site = Site::example();
    let risk = site.read(RISK);
    site.write(
        RISK,
        &risk.replacen("\ntitle: ", "\n备忘栏: 下周再核\ntitle: ", 1),
    );
    let root = site.root.to_string_lossy().to_string();
    let run = common::site::gongshi(&["--root", &root, "build"]);
    assert!(run.code == 0 || run.code == 1, "build: {}", run.stderr);
    let out = common::site::hash_tree(&site.path("site"));
    assert!(!out.is_empty(), "nothing built");
    for (file, _) in out {
        if file.ends_with(".html") {
            let html = std::fs::read_to_string(site.path("site").join(&file)).unwrap();
            assert!(!html.contains("gongshi-warnings"), "{file}");
        }
    }
}

#[test]
fn item3_every_preview_page_has_a_help_link_even_without_problems() {
    // A clean site: no overlay, no warnings panel, and still a way to the
    // manual (the usage notes in the zip send the writer to it).
    let site = Site::example();
    let server = Server::start(&site.root, &[]);
    for path in ["/", "/risks/R-001.html", "/risks/R-999.html"] {
        let html = server.get(path).text();
        assert!(
            !html.contains("gongshi-warnings"),
            "{path}: a clean site has no panel"
        );
        let link = html
            .split("<a ")
            .find(|a| a.contains("data-gongshi-help"))
            .unwrap_or_else(|| panic!("{path}: no 帮助 link"));
        assert!(link.contains("href=\"/__gongshi/help/\""), "{path}: {link}");
        assert!(link.contains(">帮助</a>"), "{path}: {link}");
    }
    // Built pages never carry it.
    let root = site.root.to_string_lossy().to_string();
    let run = common::site::gongshi(&["--root", &root, "build"]);
    assert_eq!(run.code, 0, "build: {}", run.stderr);
    let home = std::fs::read_to_string(site.path("site/internal/2025/index.html")).unwrap();
    assert!(!home.contains("data-gongshi-help"));
}

#[test]
#[ignore = "needs Chromium: cargo test -- --include-ignored"]
fn item2_a_missing_page_is_a_styled_404_with_a_way_home() {
    let site = Site::example();
    let server = Server::start(&site.root, &[]);
    let r = server.get("/risks/R-999.html");
    assert_eq!(r.status, 404);
    let html = r.text();
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"/static/gongshi.css\">"),
        "{html}"
    );
    assert!(html.contains(">返回首页</a>"), "{html}");
    // The manual is answered like every other preview response: not to a
    // request that did not come from the preview's own browser.
    let stranger = serve_support::get(server.port, "/__gongshi/help/");
    assert_ne!(stranger.status, 200);
    assert!(!stranger.text().contains("用户手册"));
    assert_eq!(server.get("/__gongshi/help/").status, 200);
    let Some(chromium) = common::browser::require("preview_ui").map(|c| c.path) else {
        return;
    };
    let mut b = open(&chromium, &server);
    go(
        &mut b,
        &server.url("/risks/R-999.html"),
        "/risks/R-999.html",
    );
    let sheet = "[...document.styleSheets].some(s=>s.href&&s.href.endsWith('/static/gongshi.css')&&s.cssRules.length>0)";
    assert_eq!(b.eval(sheet), true, "the site's stylesheet applies");
    assert_eq!(
        text(&mut b, "document.querySelector('h1').innerText"),
        "未找到页面"
    );
    shot(&mut b, "preview-404");
    b.eval("[...document.querySelectorAll('a')].find(a=>a.innerText==='返回首页').click()");
    let home = wait_for(Duration::from_secs(10), || {
        (b.eval("location.pathname==='/' && document.readyState==='complete' && !!document.querySelector('.masthead')") == true).then_some(())
    });
    assert!(
        home.is_some(),
        "返回首页 did not lead home: {:?}",
        b.eval("location.href")
    );
}

#[test]
fn item3_item4_terminal_says_deleted_and_names_the_audience_by_its_label() {
    let site = Site::example();
    let server = Server::start(&site.root, &[]);
    let lines = server.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("已生成“单位内部”范围的预览")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("internal")), "{lines:?}");
    let page = "content/pages/linshi.md";
    site.write(
        page,
        "---\nid: linshi\ntitle: 临时说明\nscope: public\n---\n临时。\n",
    );
    let added = wait_for(Duration::from_secs(10), || {
        server
            .lines()
            .iter()
            .any(|l| l.contains("linshi.md"))
            .then_some(())
    });
    assert!(added.is_some(), "{:?}", server.lines());
    assert!(server
        .lines()
        .iter()
        .any(|l| l.starts_with("已更新（content/pages/linshi.md）")));
    std::fs::remove_file(site.path(page)).unwrap();
    let deleted = wait_for(Duration::from_secs(10), || {
        server
            .lines()
            .into_iter()
            .find(|l| l.starts_with("已删除（content/pages/linshi.md）"))
    });
    let line = deleted.unwrap_or_else(|| panic!("no 已删除 line: {:?}", server.lines()));
    assert!(!line.contains("已更新"), "{line}");
    assert_eq!(server.get("/pages/linshi.html").status, 404);
}
