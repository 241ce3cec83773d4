//! Markdown bodies: `[[ID]]` links, `<!-- scope: -->` blocks and the
//! Markdown renderer, sanitised and not.
//!
//! Input: the first byte picks options (bit 0: `unsafe_html`; bit 1: the
//! page root is `../`), the rest is the body (lossy UTF-8).
#![no_main]

use gongshi::model::body::{cut_scopes, scope_blocks, wiki_links};
use gongshi::render::markdown::render;
use libfuzzer_sys::fuzz_target;

/// Titles with Markdown and HTML specials, hrefs from the id: what a
/// real resolver could hand back for any id it knows (ids starting `R`).
fn resolve(id: &str) -> Option<(String, String)> {
    id.starts_with('R').then(|| {
        (
            format!("标题 *{id}* <b>&[x]_`!#"),
            format!("risks/{id}.html"),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let body = String::from_utf8_lossy(rest);
    for link in wiki_links(&body) {
        assert!(body.is_char_boundary(link.start) && body.is_char_boundary(link.end));
        assert!(link.start < link.end && link.end <= body.len());
    }
    let _ = scope_blocks(&body);
    let public = cut_scopes(&body, |s| s == "public");
    let internal = cut_scopes(&body, |_| true);
    let root = if flags & 2 != 0 { "../" } else { "" };
    let unsafe_html = flags & 1 != 0;
    for text in [&*body, &public, &internal] {
        let html = render(text, root, unsafe_html, &resolve);
        if !unsafe_html {
            let lower = html.to_ascii_lowercase();
            assert!(
                !lower.contains("<script"),
                "sanitised output has a script: {html}"
            );
        }
    }
});
