//! Live reload: the script injected into every served HTML page, the
//! error overlay, and the Server-Sent Events stream that tells open pages
//! a rebuild happened.
//!
//! The built files stay as the build made them; the script and the overlay
//! are added when a page is served, so a fresh load shows the overlay too.

use super::site::Problem;
use crate::i18n::{tr, Lang};
use crate::render::theme::escape_html;
use std::io::Write;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

/// Path of the event stream.
pub const EVENTS: &str = "__gongshi/events";

/// The reload script: no visible text, no catalogue words. It reloads the
/// page when a rebuild changed it (or changed everything), keeping the
/// scroll position across the reload in `sessionStorage`.
const SCRIPT: &str = r#"<script data-gongshi-live>(function(){var k="gongshi-scroll:"+location.pathname,y=sessionStorage.getItem(k);if(y!==null){sessionStorage.removeItem(k);addEventListener("load",function(){scrollTo(0,+y)})}var p=location.pathname.slice(1);try{p=decodeURIComponent(p)}catch(e){}if(p===""||p.slice(-1)==="/")p+="index.html";var s=new EventSource("/__gongshi/events?gen=@GEN@");s.onmessage=function(e){var d=JSON.parse(e.data);if(d.all||d.paths.indexOf(p)>=0){sessionStorage.setItem(k,String(scrollY));s.close();location.reload()}}})();</script>"#;

/// `html` with the overlay (if any) and the reload script put before
/// `</body>` (or at the end when there is none).
pub fn inject(html: &[u8], generation: u64, overlay: Option<&str>) -> Vec<u8> {
    let script = SCRIPT.replace("@GEN@", &generation.to_string());
    let extra_len = script.len() + overlay.map_or(0, str::len);
    let at = rfind(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra_len);
    out.extend_from_slice(&html[..at]);
    if let Some(o) = overlay {
        out.extend_from_slice(o.as_bytes());
    }
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// The error overlay: every problem with its message, file:line:column,
/// the source line with a marker, and the hint, in `lang`. Styled inline so
/// no theme can hide it.
pub fn overlay(problems: &[Problem], lang: Lang) -> String {
    let mut out = String::from(
        "<div id=\"gongshi-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:70vh;overflow:auto;z-index:2147483647;background:#fff8f6;color:#1a1a1a;border-top:4px solid #b71c1c;box-shadow:0 -4px 16px rgba(0,0,0,.25);padding:12px 20px 16px;font:15px/1.6 system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;text-align:left\">",
    );
    let close = escape_html(&tr(lang, "serve.overlay_close", &[]));
    out.push_str(&format!(
        "<button type=\"button\" aria-label=\"{close}\" title=\"{close}\" onclick=\"this.parentNode.remove()\" style=\"float:right;font:inherit;font-size:22px;line-height:1;border:0;background:none;color:#b71c1c;cursor:pointer\">&times;</button>"
    ));
    let title = tr(
        lang,
        "serve.overlay_title",
        &[("errors", problems.len().to_string())],
    );
    out.push_str(&format!(
        "<p style=\"margin:0 0 8px;font-weight:bold;color:#b71c1c\">{}</p>",
        escape_html(&title)
    ));
    out.push_str(&help_link(lang, "#b71c1c"));
    for p in problems {
        out.push_str(&item(p, lang, "#f0c4c0"));
    }
    out.push_str("</div>");
    out
}

/// Where the manual is served (see [`super::help`]).
pub const HELP: &str = "/__gongshi/help/";

/// The 帮助 link: the manual's first page, in a new tab.
pub fn help_link(lang: Lang, color: &str) -> String {
    let text = escape_html(&tr(lang, "serve.help_link", &[]));
    format!("<p style=\"margin:0 0 8px\"><a href=\"{HELP}\" target=\"_blank\" rel=\"noopener\" data-gongshi-help style=\"color:{color}\">{text}</a></p>")
}

/// One problem: its code (linked to its entry in the manual's errors page),
/// message, file:line:column, the source line with a marker, and the hint.
pub fn item(p: &Problem, lang: Lang, rule: &str) -> String {
    let mut out = format!("<div style=\"border-top:1px solid {rule};padding:8px 0\">");
    let title = match p {
        Problem::Diag(d) => {
            let code = d.code.as_str();
            format!(
                "<a href=\"{HELP}errors.md#{}\" target=\"_blank\" rel=\"noopener\" style=\"color:inherit\">[{code}]</a> {}",
                code.to_ascii_lowercase(),
                escape_html(&d.message(lang))
            )
        }
        Problem::Text(..) => escape_html(&p.title(lang)),
    };
    out.push_str(&format!(
        "<p style=\"margin:0;font-weight:bold\">{title}</p>"
    ));
    if let Some(at) = p.at() {
        out.push_str(&format!(
            "<p style=\"margin:2px 0\"><code style=\"font:14px/1.5 ui-monospace,monospace\">{}:{}:{}</code></p>",
            escape_html(&at.file),
            at.line,
            at.column
        ));
        if !at.source_line.is_empty() {
            out.push_str(&format!(
                "<pre style=\"margin:4px 0;padding:6px 10px;background:#fff;border:1px solid {rule};overflow:auto;font:14px/1.5 ui-monospace,'Noto Sans Mono CJK SC',monospace;white-space:pre\">{}</pre>",
                escape_html(&snippet(at))
            ));
        }
    }
    if let Some(h) = p.hint(lang) {
        let hint_label = escape_html(&tr(lang, "cli.hint", &[]));
        out.push_str(&format!(
            "<p style=\"margin:2px 0\">{hint_label}：{}</p>",
            escape_html(&h)
        ));
    }
    out.push_str("</div>");
    out
}

/// The numbered source line and a marker under the span.
fn snippet(at: &crate::diag::Location) -> String {
    at.excerpt(SNIPPET_WIDTH).numbered(at.line, true).join("\n")
}

/// Display columns of a source line shown in the overlay and the panel.
const SNIPPET_WIDTH: usize = 100;

/// One SSE message: the generation as its id, and which files changed.
pub fn event(generation: u64, changed: &[String], all: bool) -> String {
    let data = serde_json::json!({"gen": generation, "all": all, "paths": changed});
    format!("id: {generation}\ndata: {data}\n\n")
}

/// The open event streams, one channel per browser page.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Sender<String>>>,
}

impl Hub {
    pub fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        if let Ok(mut c) = self.clients.lock() {
            c.push(tx);
        }
        rx
    }

    /// Sends `msg` to every open stream, forgetting closed ones.
    pub fn broadcast(&self, msg: &str) {
        if let Ok(mut c) = self.clients.lock() {
            c.retain(|tx| tx.send(msg.to_string()).is_ok());
        }
    }

    pub fn len(&self) -> usize {
        self.clients.lock().map_or(0, |c| c.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Writes an event stream to one browser until it goes away: the headers,
/// `first` (a reload when the page is older than the current build), then
/// every broadcast, with a comment every 15 s so a closed tab is noticed.
pub fn stream(mut w: impl Write, rx: Receiver<String>, first: Option<String>) {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n{}Connection: keep-alive\r\n\r\nretry: 500\n\n",
        super::server::GUARD_HEADERS
    );
    if w.write_all(head.as_bytes())
        .and_then(|_| w.flush())
        .is_err()
    {
        return;
    }
    if let Some(msg) = first {
        if w.write_all(msg.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
    }
    loop {
        let msg = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(msg.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></body></html>\n";
        let out = String::from_utf8(inject(html, 7, Some("<div id=o></div>"))).unwrap();
        assert!(out.ends_with("</body></html>\n"), "{out}");
        assert!(out.contains("<p>x</p><div id=o></div><script data-gongshi-live>"));
        assert!(out.contains("events?gen=7"));
    }

    #[test]
    fn page_without_body_gets_script_appended() {
        let out = String::from_utf8(inject(b"<p>x</p>", 1, None)).unwrap();
        assert!(out.starts_with("<p>x</p><script"));
    }

    #[test]
    fn event_names_generation_and_paths() {
        let e = event(3, &["risks/R-001.html".into()], false);
        assert!(e.starts_with("id: 3\ndata: {"));
        assert!(e.contains("\"paths\":[\"risks/R-001.html\"]"));
        assert!(e.ends_with("\n\n"));
    }
}
