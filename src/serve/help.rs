//! The user manual, served by the preview at `/__gongshi/help/…`: the
//! repository's `docs/` is built into the binary, and each Markdown page
//! is rendered on request with the site's own Markdown renderer, in a
//! simple page using the site's stylesheet ([`super::pages::shell`]).
//! Links between manual pages are relative (`workflow.md`), so they work
//! as they are; `errors.md` carries `<a id="e011">` anchors the overlay's
//! codes link to. Who may ask is [`super::guard`]'s business, as for every
//! other preview response.

use crate::i18n::Lang;
use include_dir::{include_dir, Dir};

static DOCS: Dir = include_dir!("$CARGO_MANIFEST_DIR/docs");

/// The folder key (as [`super::http::key_of`] gives it) the manual is under.
pub const PREFIX: &str = "__gongshi/help/";

/// The manual page `key` names (`__gongshi/help/errors.md`; the folder
/// itself is the manual's `README.md`) as HTML, or `None` when there is no
/// such page.
pub fn page(key: &str, lang: Lang) -> Option<Vec<u8>> {
    let name = key.strip_prefix(PREFIX)?;
    let name = if name == "index.html" {
        "README.md"
    } else {
        name
    };
    if !name.ends_with(".md") {
        return None;
    }
    let text = DOCS.get_file(name)?.contents_utf8()?;
    let (title, body) = split_title(text);
    let html = crate::render::markdown::render(&keep_brackets(body), "", true, &|_| None);
    Some(super::pages::shell(lang, title, &html).into_bytes())
}

/// The first `# ` heading (the page's title) and the text without it.
fn split_title(text: &str) -> (&str, &str) {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if let Some(t) = line.strip_prefix("# ") {
            let body = &text[pos + line.len()..];
            return (t.trim(), body);
        }
        if !line.trim().is_empty() {
            break;
        }
        pos += line.len();
    }
    ("", text)
}

/// The manual shows `[[ID]]` as written (it explains the syntax): each is
/// escaped so the renderer does not take it for a link to an item.
fn keep_brackets(body: &str) -> String {
    let links = crate::model::body::wiki_links(body);
    let mut out = String::with_capacity(body.len() + links.len() * 4);
    let mut pos = 0;
    for l in links {
        out.push_str(&body[pos..l.start]);
        out.push_str(&format!("\\[\\[{}\\]\\]", l.id));
        pos = l.end;
    }
    out.push_str(&body[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_pages_render_with_their_title_and_anchors() {
        let html = String::from_utf8(page("__gongshi/help/errors.md", Lang::Zh).unwrap()).unwrap();
        assert!(html.contains("<h1>常见错误及改法</h1>"), "{}", &html[..400]);
        assert!(html.contains("id=\"e011\""));
        assert!(html.contains("href=\"/static/gongshi.css\""));
        let home = page("__gongshi/help/index.html", Lang::Zh).unwrap();
        assert!(String::from_utf8(home)
            .unwrap()
            .contains("href=\"workflow.md\""));
        assert!(page("__gongshi/help/nothing.md", Lang::Zh).is_none());
        assert!(page("__gongshi/help/../Cargo.toml", Lang::Zh).is_none());
    }

    #[test]
    fn every_code_the_overlay_links_has_its_anchor() {
        let errors = DOCS.get_file("errors.md").unwrap().contents_utf8().unwrap();
        for code in crate::diag::Code::ALL {
            let anchor = format!("<a id=\"{}\"></a>", code.as_str().to_ascii_lowercase());
            assert!(errors.contains(&anchor), "docs/errors.md lacks {anchor}");
        }
    }

    #[test]
    fn wiki_link_syntax_is_shown_as_written() {
        let html = String::from_utf8(page("__gongshi/help/content.md", Lang::Zh).unwrap()).unwrap();
        assert!(html.contains("用 [[编号]] 链接"), "brackets lost");
    }
}
