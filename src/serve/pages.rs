//! The preview's own pages and bars: the styled 404 page, the shell of the
//! manual's pages ([`super::help`]), and the warnings panel shown at the
//! bottom of every page while the content has warnings. All of it is added
//! when a page is served, never written by `gongshi build`.

use super::reload::{help_link, inject, item, HELP};
use super::site::Problem;
use crate::diag::Diagnostic;
use crate::i18n::{tr, Lang};
use crate::render::theme::escape_html;

/// A page of the preview in the site's own stylesheet: `title` as its
/// heading, `body` (HTML) under it, and a link home.
pub fn shell(lang: Lang, title: &str, body: &str) -> String {
    let title = escape_html(title);
    let home = escape_html(&tr(lang, "serve.home_link", &[]));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<link rel=\"stylesheet\" href=\"/static/gongshi.css\">\n</head>\n<body class=\"page-gongshi\">\n<main id=\"main\" class=\"wrap\">\n<article class=\"item page\">\n<p><a href=\"/\" data-gongshi-home>{home}</a></p>\n<h1>{title}</h1>\n<div class=\"prose\">{body}</div>\n<p><a href=\"/\">{home}</a></p>\n</article>\n</main>\n</body>\n</html>\n",
        lang.tag()
    )
}

/// The page for paths that have no file (deleted pages, typos, or no good
/// build yet); it carries the reload script, so it reloads when the page
/// appears, and `decor` (overlay or warnings panel).
pub fn not_found(lang: Lang, generation: u64, decor: Option<&str>) -> Vec<u8> {
    let title = tr(lang, "serve.not_found_title", &[]);
    let text = format!("<p>{}</p>", escape_html(&tr(lang, "serve.not_found", &[])));
    inject(shell(lang, &title, &text).as_bytes(), generation, decor)
}

/// The collapsed warnings panel, or, when there is no warning, only the
/// small 帮助 link in the corner, so every preview page leads to the
/// manual. A `<details>` bar: it takes no focus of its own and traps none.
pub fn warnings_panel(diags: &[Diagnostic], lang: Lang) -> Option<String> {
    let warnings: Vec<&Diagnostic> = diags.iter().filter(|d| !d.is_error()).collect();
    if warnings.is_empty() {
        return Some(help_corner(lang));
    }
    // The spacer keeps the page's end visible above the collapsed bar; the
    // bar stays open across reloads once the writer opened it.
    let mut out = String::from(
        "<div aria-hidden=\"true\" style=\"height:3em\"></div><details id=\"gongshi-warnings\" ontoggle=\"try{sessionStorage.setItem('gongshi-warnings',this.open?'1':'')}catch(e){}\" style=\"position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483646;background:#fffbea;color:#1a1a1a;border-top:3px solid #b26a00;box-shadow:0 -2px 10px rgba(0,0,0,.18);font:15px/1.6 system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;text-align:left\">",
    );
    let title = tr(
        lang,
        "serve.warnings_title",
        &[("warnings", warnings.len().to_string())],
    );
    out.push_str(&format!(
        "<summary style=\"cursor:pointer;padding:6px 20px;font-weight:bold;color:#7a4a00\">{}</summary><div style=\"padding:0 20px 12px\">",
        escape_html(&title)
    ));
    let note = escape_html(&tr(lang, "serve.warnings_note", &[]));
    out.push_str(&format!("<p style=\"margin:0 0 4px\">{note}</p>"));
    out.push_str(&help_link(lang, "#7a4a00"));
    for d in warnings {
        out.push_str(&item(&Problem::Diag(d.clone()), lang, "#ecd9a8"));
    }
    out.push_str("</div></details><script>try{if(sessionStorage.getItem('gongshi-warnings'))document.getElementById('gongshi-warnings').open=true}catch(e){}</script>");
    Some(out)
}

/// The 帮助 link in the page's corner, for pages without a panel.
fn help_corner(lang: Lang) -> String {
    let text = escape_html(&tr(lang, "serve.help_corner", &[]));
    let label = escape_html(&tr(lang, "serve.help_link", &[]));
    format!(
        "<a href=\"{HELP}\" target=\"_blank\" rel=\"noopener\" data-gongshi-help title=\"{label}\" style=\"position:fixed;right:12px;bottom:12px;z-index:2147483645;padding:2px 14px;border:1px solid #8a8a8a;border-radius:14px;background:#fff;color:#1a1a1a;font:15px/1.6 system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;text-decoration:none;box-shadow:0 1px 4px rgba(0,0,0,.18)\">{text}</a>"
    )
}
