//! 适老 / 无障碍 display (#20): the 大字 / 高对比 / 标准 switch on every
//! page, kept from page to page when the site is opened from disk.

use crate::common::browser;
use crate::common::site::example_copy;
use crate::serve_support::cdp::Browser;
use crate::serve_support::wait_for;
use std::time::Duration;

/// Waits until the page at `url` has loaded and its switch is wired.
fn opened(b: &mut Browser, url: &str) {
    b.call("Page.navigate", serde_json::json!({ "url": url }));
    wait_for(Duration::from_secs(20), || {
        let ready = b.eval(&format!(
            "location.href === {url:?} && document.readyState === 'complete' \
             && !document.querySelector('.display-switch').hidden"
        ));
        (ready == true).then_some(())
    })
    .unwrap_or_else(|| panic!("{url} did not open with its switch"));
}

fn px(b: &mut Browser, expr: &str) -> f64 {
    let v = b.eval(&format!("parseFloat(getComputedStyle({expr}).fontSize)"));
    v.as_f64().unwrap_or_else(|| panic!("{expr}: {v}"))
}

fn shot(b: &mut Browser, name: &str) {
    let dir = std::env::temp_dir().join("gongshi-display-shots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join(name);
    std::fs::write(&png, b.screenshot()).unwrap();
    eprintln!("screenshot: {}", png.display());
}

#[test]
#[ignore = "needs Chromium: cargo test -- --include-ignored"]
fn large_text_set_on_the_home_page_stays_on_a_risk_page_opened_from_disk() {
    let Some(chrome) = browser::require("display: large text") else {
        return;
    };
    let dir = example_copy();
    let root = dir.path();
    gongshi::build::build(root, &Default::default()).expect("builds");
    let folder = root.join("site/public/2025");
    let url = |rel: &str| browser::file_url(&folder.join(rel), None);
    let mut b = Browser::open(&chrome.path, "about:blank");
    let (home, risk) = (url("index.html"), url("risks/R-001.html"));
    // The risk page's body text in the standard display.
    opened(&mut b, &risk);
    let para = px(&mut b, "document.querySelector('.prose p')");
    shot(&mut b, "standard-risk.png");
    opened(&mut b, &home);
    let standard = px(&mut b, "document.body");
    b.eval("document.querySelector('[data-display=large]').click()");
    let large = px(&mut b, "document.body");
    assert!(large >= 1.5 * standard, "{large} px against {standard} px");
    let pressed =
        b.eval("document.querySelector('[data-display=large]').getAttribute('aria-pressed')");
    assert_eq!(pressed, "true");
    // Another page, opened from disk: still large.
    opened(&mut b, &risk);
    assert_eq!(
        b.eval("document.documentElement.hasAttribute('data-large')"),
        true
    );
    let body = px(&mut b, "document.body");
    let text = px(&mut b, "document.querySelector('.prose p')");
    assert!(body >= 1.5 * standard, "risk page body {body} px");
    assert!(
        text >= 1.5 * para,
        "risk page text {text} px against {para} px"
    );
    let line = b.eval("parseFloat(getComputedStyle(document.body).lineHeight) / parseFloat(getComputedStyle(document.body).fontSize)");
    assert!(line.as_f64().unwrap_or(0.0) >= 1.5, "line height {line}");
    shot(&mut b, "large-risk.png");
    // High contrast on top, then back to standard.
    b.eval("document.querySelector('[data-display=contrast]').click()");
    let ink = b.eval("getComputedStyle(document.body).color");
    assert_eq!(ink, "rgb(0, 0, 0)");
    let badge = b.eval("getComputedStyle(document.querySelector('.grade')).backgroundColor");
    assert_eq!(badge, "rgb(255, 255, 255)", "grades in black on white");
    shot(&mut b, "large-contrast-risk.png");
    b.eval("document.querySelector('[data-display=standard]').click()");
    opened(&mut b, &home);
    assert_eq!(px(&mut b, "document.body"), standard, "standard again");
    assert_eq!(
        b.eval("document.documentElement.hasAttribute('data-contrast')"),
        false
    );
}
