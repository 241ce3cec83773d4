//! `gongshi serve`'s side doors (issue "Nothing leaks, nothing is lost"):
//! only requests meant for the preview are answered (item 1, raw HTTP and
//! headless Chromium), slow clients cannot lock visitors out (item 12),
//! request heads and paths are read strictly (item 13), and a linked
//! folder is not watched through (item 14). Each test works on a fresh
//! `gongshi init` copy.

use crate::common;
use crate::serve_support;

use serde_json::{json, Value};
use serve_support::cdp::Browser;
use serve_support::{open_preview, raw, request, wait_for, Reply, Server, Site};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// Text of every page of the example site (its title), never in a refusal.
const SITE_TITLE: &str = "自然资源和规划局";

/// The headers every reply must carry, and none granting CORS.
fn assert_guarded(r: &Reply, what: &str) {
    assert_eq!(
        r.header("cross-origin-resource-policy"),
        Some("same-origin"),
        "{what}"
    );
    assert_eq!(r.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert!(
        r.header("content-security-policy")
            .is_some_and(|c| c.contains("frame-ancestors 'none'")),
        "{what}"
    );
    assert!(
        !r.headers
            .iter()
            .any(|(k, _)| k.starts_with("access-control-allow")),
        "{what}: CORS header"
    );
}

fn assert_no_content(r: &Reply, what: &str) {
    let t = r.text();
    assert!(
        (400..500).contains(&r.status),
        "{what}: status {}",
        r.status
    );
    assert!(
        !t.contains(SITE_TITLE) && !t.contains("GONGSHI_SEARCH") && !t.contains("\"R-001\""),
        "{what}: content handed out: {}",
        t.chars().take(300).collect::<String>()
    );
    assert_guarded(r, what);
}

#[test]
fn item01_only_requests_meant_for_the_preview_are_answered() {
    let site = Site::example();
    let server = Server::start(&site.root, &[]);
    let port = server.port;
    let cookie = server.cookie.as_str();

    // The printed address carries a one-session key; opening it sets an
    // HttpOnly, SameSite=Strict cookie and goes to the home page.
    let launch = server.launch_path();
    assert!(launch.starts_with("/__gongshi/open?k="), "{launch}");
    let opened = serve_support::get(port, &launch);
    assert_eq!(opened.status, 303);
    assert_eq!(opened.header("location"), Some("/"));
    let set = opened.header("set-cookie").unwrap_or("");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert_guarded(&opened, "launch");
    let ok = server.get("/data.json");
    assert_eq!(ok.status, 200);
    assert!(ok.text().contains("\"R-001\""));
    assert_guarded(&ok, "data.json");

    // The preview's own names answer.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = request(port, "/", &[("Host", &host), ("Cookie", cookie)]);
        assert_eq!(r.status, 200, "{host}");
    }
    // Any other name (DNS rebinding) gets a 4xx, cookie or not.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.nip.io:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "127.0.0.1".to_string(),
        String::new(),
    ] {
        for path in ["/data.json", "/search-index.js", "/", "/__gongshi/status"] {
            let r = request(port, path, &[("Host", &host), ("Cookie", cookie)]);
            assert_no_content(&r, &format!("Host {host:?} {path}"));
        }
    }
    let foreign = request(port, "/", &[("Host", "evil.example"), ("Cookie", cookie)]);
    assert!(foreign.text().contains("预览地址"), "{}", foreign.text());

    // A page elsewhere (another port of 127.0.0.1 is "same-site") gets
    // nothing, whatever it asks for, even with the cookie sent along.
    for (from, mode, dest, path) in [
        ("same-site", "no-cors", "script", "/search-index.js"),
        ("cross-site", "no-cors", "script", "/search-index.js"),
        ("same-site", "cors", "empty", "/data.json"),
        ("same-site", "navigate", "iframe", "/"),
        ("same-origin", "navigate", "iframe", "/"),
        ("same-site", "cors", "empty", "/__gongshi/events"),
    ] {
        let r = request(
            port,
            path,
            &[
                ("Cookie", cookie),
                ("Sec-Fetch-Site", from),
                ("Sec-Fetch-Mode", mode),
                ("Sec-Fetch-Dest", dest),
            ],
        );
        assert_no_content(&r, &format!("{from} {mode} {dest} {path}"));
    }
    // A link followed from another site: a page that says so, with a link
    // to open the preview itself.
    let nav = request(
        port,
        "/risks/R-001.html",
        &[
            ("Sec-Fetch-Site", "cross-site"),
            ("Sec-Fetch-Mode", "navigate"),
            ("Sec-Fetch-Dest", "document"),
            ("Sec-Fetch-User", "?1"),
        ],
    );
    assert_no_content(&nav, "cross-site navigation");
    assert!(
        nav.text().contains("href=\"/risks/R-001.html\"") && nav.text().contains("其他网站"),
        "{}",
        nav.text()
    );
    // An Origin that is not the preview's is refused too.
    let r = request(
        port,
        "/data.json",
        &[("Cookie", cookie), ("Origin", "http://127.0.0.1:8080")],
    );
    assert_no_content(&r, "foreign Origin");

    // No Sec-Fetch headers and no cookie (an old browser, a script): the
    // explanation, never the content.
    for path in ["/", "/search-index.js", "/data.json", "/__gongshi/events"] {
        let r = serve_support::get(port, path);
        assert_no_content(&r, &format!("no cookie {path}"));
    }
    let old = serve_support::get(port, "/");
    assert!(
        old.text().contains("预览地址") && old.text().contains("/__gongshi/open?k="),
        "{}",
        old.text()
    );
    assert!(!old.text().contains(&launch), "the key is never handed out");
    // A wrong key sets nothing.
    let wrong = serve_support::get(port, "/__gongshi/open?k=0000");
    assert_no_content(&wrong, "wrong key");
    assert!(wrong.header("set-cookie").is_none());

    // Typed into a current browser (Sec-Fetch-Site: none): the page.
    let typed = request(
        port,
        "/",
        &[
            ("Sec-Fetch-Site", "none"),
            ("Sec-Fetch-Mode", "navigate"),
            ("Sec-Fetch-Dest", "document"),
        ],
    );
    assert_eq!(typed.status, 200);
    assert!(typed.text().contains(SITE_TITLE));
    assert_guarded(&typed, "typed");
}

/// A tiny web server on another port of 127.0.0.1: every request gets a
/// page that tries to read the preview on `target`.
fn foreign_site(target: u16) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let page = FOREIGN_PAGE.replace("@PORT@", &target.to_string());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let _ = s.read(&mut buf);
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    port
}

const FOREIGN_PAGE: &str = r#"<!DOCTYPE html><meta charset="utf-8"><title>elsewhere</title><body><script>
var P = "http://127.0.0.1:@PORT@", results = {}, pending = 4;
function done() { if (--pending === 0) window.finished = true; }
var s = document.createElement("script");
s.src = P + "/search-index.js";
s.onload = function () { results.script = "loaded " + typeof window.GONGSHI_SEARCH; done(); };
s.onerror = function () { results.script = "error"; done(); };
document.head.appendChild(s);
fetch(P + "/data.json", {credentials: "include"})
  .then(function (r) { return r.text(); })
  .then(function (t) { results.fetch = "read " + t.length; done(); },
        function (e) { results.fetch = "error"; done(); });
fetch(P + "/data.json", {mode: "no-cors", credentials: "include"})
  .then(function (r) { results.nocors = r.type + " " + r.status; done(); },
        function (e) { results.nocors = "error"; done(); });
var f = document.createElement("iframe");
f.src = P + "/";
f.onload = function () { results.frame = "load"; done(); };
document.body.appendChild(f);
</script></body>"#;

/// The text an iframe of the current page shows, read through the
/// DevTools protocol (a page's own script could not), after asserting the
/// browser refused to show the preview in it (an error page stands in).
fn frame_text(b: &mut Browser) -> Option<String> {
    let tree = b.call("Page.getFrameTree", json!({}));
    let child = tree["frameTree"]["childFrames"][0]["frame"].clone();
    println!(
        "iframe: url {} unreachable {}",
        child["url"], child["unreachableUrl"]
    );
    let refused = child["url"]
        .as_str()
        .is_some_and(|u| u.starts_with("chrome-error:"))
        || child["unreachableUrl"]
            .as_str()
            .is_some_and(|u| !u.is_empty());
    assert!(
        refused,
        "the iframe of the preview was not refused: {child}"
    );
    let id = child["id"].as_str()?.to_string();
    let world = b.call(
        "Page.createIsolatedWorld",
        json!({"frameId": id, "worldName": "probe"}),
    );
    let ctx = world["executionContextId"].as_i64()?;
    let r = b.call(
        "Runtime.evaluate",
        json!({"expression": "document.documentElement ? document.documentElement.innerText : ''", "contextId": ctx, "returnByValue": true}),
    );
    r["result"]["value"].as_str().map(String::from)
}

#[test]
#[ignore = "needs Chromium: cargo test -- --include-ignored"]
fn item01_browser_a_page_elsewhere_gets_nothing_and_the_printed_address_live_reloads() {
    let Some(chromium) = common::browser::require("serve_side_doors").map(|c| c.path) else {
        return;
    };
    let site = Site::example();
    let server = Server::start(&site.root, &[]);
    // Opened the documented way: the printed address.
    let (mut b, opened) = open_preview(&chromium, &server);
    assert!(
        opened,
        "the printed address did not open the home page: {:?} {:?}",
        b.eval("location.href"),
        b.eval("document.body && document.body.innerText.slice(0, 300)")
    );
    assert_eq!(b.eval("document.cookie"), "", "the cookie is HttpOnly");
    let connected = wait_for(Duration::from_secs(10), || {
        (server.status()["clients"].as_u64() >= Some(1)).then_some(())
    });
    assert!(connected.is_some(), "no live-reload connection");
    // An edit reloads it.
    let mark = "实时预览刷新标记";
    let index = site.read("content/_index.md");
    site.write("content/_index.md", &format!("{index}\n\n{mark}\n"));
    let reloaded = wait_for(Duration::from_secs(5), || {
        let text = b.eval("document.body ? document.body.innerText : ''");
        text.as_str()
            .is_some_and(|t| t.contains(mark))
            .then_some(())
    });
    assert!(
        reloaded.is_some(),
        "the edit did not show; server said {:?}",
        server.lines()
    );

    // The same browser (holding the preview's cookie) visits a page on
    // another port of 127.0.0.1, which tries a script include, fetches
    // and an iframe.
    let foreign = foreign_site(server.port);
    let url = format!("http://127.0.0.1:{foreign}/");
    b.call("Page.enable", json!({}));
    b.call("Page.navigate", json!({"url": url}));
    let finished = wait_for(Duration::from_secs(20), || {
        (b.eval("window.finished === true") == true).then_some(())
    });
    let results: Value = b.eval("JSON.stringify(window.results || {})");
    let results: Value = serde_json::from_str(results.as_str().unwrap_or("{}")).unwrap();
    println!("page elsewhere saw: {results}");
    assert!(
        finished.is_some(),
        "the foreign page did not finish: {results}"
    );
    assert_eq!(results["script"], "error", "script include: {results}");
    assert_eq!(
        b.eval("typeof window.GONGSHI_SEARCH"),
        "undefined",
        "search index read by another origin"
    );
    assert_eq!(results["fetch"], "error", "fetch: {results}");
    let shown = frame_text(&mut b).unwrap_or_default();
    assert!(
        !shown.contains(SITE_TITLE),
        "the iframe shows the preview: {shown}"
    );
}

/// Whether the peer closed `s` within `limit`, writing one byte of a
/// never-ending header every `every`; the time it took.
fn trickle_until_closed(mut s: TcpStream, every: Duration, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    s.set_read_timeout(Some(every)).unwrap();
    let mut buf = [0u8; 1024];
    while start.elapsed() < limit {
        if s.write_all(b"a").is_err() {
            return Some(start.elapsed());
        }
        match s.read(&mut buf) {
            Ok(0) => return Some(start.elapsed()),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Some(start.elapsed()),
        }
    }
    None
}

#[test]
fn item12_slow_clients_do_not_lock_visitors_out() {
    let site = Site::example();
    let server = Server::start(&site.root, &[]);
    let port = server.port;
    let head = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {}\r\nConnection: close\r\n\r\n",
        server.cookie
    );

    // A head sent one byte at a time never finishes: the connection is
    // closed after the head's time is up, however often bytes arrive.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").unwrap();
    let closed = trickle_until_closed(s, Duration::from_millis(250), Duration::from_secs(20));
    println!("trickling head closed after {closed:?}");
    let closed = closed.expect("a trickling head held its connection for 20 s");
    assert!(
        closed >= Duration::from_secs(2),
        "closed at once: {closed:?}"
    );

    // More unfinished heads than the server takes connections.
    let mut held = Vec::new();
    for i in 0..300 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{i}: {e}"));
        let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        held.push(s);
    }
    std::thread::sleep(Duration::from_millis(300));
    // A visitor still gets the page, at once, again and again.
    for n in 0..5 {
        let t = Instant::now();
        let r = raw(port, head.as_bytes());
        let took = t.elapsed();
        let r = r.unwrap_or_else(|e| panic!("visitor {n} locked out: {e}"));
        assert_eq!(r.status, 200, "visitor {n}");
        assert!(took < Duration::from_secs(3), "visitor {n} waited {took:?}");
    }
    drop(held);
}

#[test]
fn item13_heads_and_paths_are_read_strictly() {
    let site = Site::example();
    let server = Server::start(&site.root, &[]);
    let port = server.port;
    let tail = format!(
        "Host: 127.0.0.1:{port}\r\nCookie: {}\r\nConnection: close\r\n\r\n",
        server.cookie
    );
    let send = |head: String| raw(port, head.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        send(format!("GET /static/gongshi.css HTTP/1.1\r\n{tail}")).status,
        200
    );
    for bad in [
        format!("GET / HTTP/1.1 extra\r\n{tail}"),
        format!("GET / HTTP/1.1\r\nX-Odd : 1\r\n{tail}"),
        format!("GET /\x01 HTTP/1.1\r\n{tail}"),
        format!("GET / HTTP/1.1\r\nX-Odd: a\x00b\r\n{tail}"),
        format!("GET / HTTP/1.1\r\n Folded: 1\r\n{tail}"),
    ] {
        let r = send(bad.clone());
        assert_eq!(r.status, 400, "{bad:?}");
        assert!(!r.text().contains(SITE_TITLE));
    }
    // Only well-formed percent escapes are decoded.
    for path in [
        "/static/gongshi%+2ecss",
        "/%+2e%+2e/gongshi.yaml",
        "/static/gongshi.css%",
        "/static%2fgongshi.css",
        "/static/%2e%2e/gongshi.yaml",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
    }
    assert_eq!(server.get("/static/gongshi%2Ecss").status, 200);
}

#[cfg(unix)]
#[test]
fn item14_watcher_does_not_follow_a_linked_folder_out_of_the_site() {
    let site = Site::example();
    let outside = site.outside();
    let risk = site.read("content/risks/R-001.md");
    let elsewhere = risk.replace("R-001", "R-900");
    std::fs::write(outside.join("R-900.md"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("content/linked")).unwrap();
    let server = Server::start(&site.root, &["--lang", "en"]);
    server.settle(Duration::from_millis(500), Duration::from_secs(10));
    // The linked folder is named as ignored, and not read.
    assert!(
        server
            .lines()
            .iter()
            .any(|l| l.contains("content/linked") && l.contains("ignored")),
        "{:?}",
        server.lines()
    );
    assert_eq!(server.get("/risks/R-900.html").status, 404);
    let before = server.rebuilds();
    // Saves through the link (outside the site) are not watched.
    for i in 0..3 {
        std::fs::write(outside.join("R-900.md"), format!("{elsewhere}\n改动 {i}\n")).unwrap();
        std::fs::write(outside.join(format!("new-{i}.md")), &elsewhere).unwrap();
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        server.rebuilds(),
        before,
        "a save outside the site rebuilt the preview: {:?}",
        server.lines()
    );
    // A save inside still does.
    site.write("content/risks/R-001.md", &format!("{risk}\n内部改动\n"));
    let rebuilt = wait_for(Duration::from_secs(5), || {
        (server.rebuilds() > before).then_some(())
    });
    assert!(rebuilt.is_some(), "{:?}", server.lines());
}
