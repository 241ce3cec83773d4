//! Answering requests: which file a URL names (and which it may not),
//! content types, and the internal routes under `/__gongshi/` (events,
//! status, the manual).
//!
//! Files come from the in-memory [`Snapshot`] only; a request never reaches
//! the file system. A path is looked up only after it is decoded and
//! checked: `..`, `.`, encoded slashes or backslashes, NUL and other
//! control characters, drive letters, malformed escapes, empty segments and
//! absolute URLs are refused with 404. Who may ask at all is
//! [`super::guard`]'s business, before routing.

use super::server::{Answer, Reply, Request};
use super::site::Snapshot;
use super::State;
use super::{help, pages, reload};
use std::sync::Arc;

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the version folder, by its key.
    File(String),
    /// A folder named without its trailing slash: redirect there.
    Redirect(String),
    NotFound,
}

/// The key in the snapshot a raw request target names, if it is allowed.
/// A trailing slash (or `/`) names the folder's `index.html`.
pub fn key_of(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let rest = path.strip_prefix('/')?;
    if rest.starts_with('/') || path.contains('\\') {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    let segments: Vec<&str> = rest.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() {
            if i + 1 == segments.len() {
                break;
            }
            return None;
        }
        let decoded = percent_decode(seg)?;
        let bad = decoded == "."
            || decoded == ".."
            || decoded.contains(['/', '\\', ':'])
            || decoded.chars().any(char::is_control);
        if bad {
            return None;
        }
        parts.push(decoded);
    }
    if rest.is_empty() || rest.ends_with('/') {
        parts.push("index.html".into());
    }
    Some(parts.join("/"))
}

/// Decodes one path segment. Only well-formed escapes (`%` and two hex
/// digits) are accepted: `percent-encoding` passes malformed ones through
/// unchanged, which would let `%+2e` or a stray `%` name a file.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    for (i, _) in s.match_indices('%') {
        if !b.get(i + 1..i + 3)?.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
    }
    let decoded = percent_encoding::percent_decode_str(s).decode_utf8().ok()?;
    Some(decoded.into_owned())
}

/// Resolves a raw request target against a snapshot.
pub fn resolve(snapshot: &Snapshot, target: &str) -> Target {
    let Some(key) = key_of(target) else {
        return Target::NotFound;
    };
    if snapshot.files.contains_key(&key) {
        return Target::File(key);
    }
    let folder_index = format!("{key}/index.html");
    if !key.ends_with("index.html") && snapshot.files.contains_key(&folder_index) {
        let path = target.split(['?', '#']).next().unwrap_or("/");
        return Target::Redirect(format!("{path}/"));
    }
    Target::NotFound
}

/// The Content-Type for a file by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn reply(status: u16, ctype: &str, body: Vec<u8>) -> Answer {
    Answer::Reply(Reply::new(status, ctype, body))
}

/// Answers one request (GET or HEAD; the server refuses others).
pub fn route(req: &Request, state: &Arc<State>) -> Answer {
    let snapshot = state.snapshot();
    let url = req.target.as_str();
    match key_of(url).as_deref() {
        Some(reload::EVENTS) => return events(req, state, &snapshot),
        Some("__gongshi/status") => {
            let body = serde_json::json!({
                "generation": snapshot.generation,
                "rebuilds": state.rebuilds(),
                "errors": snapshot.overlay.is_some(),
                "files": snapshot.files.len(),
                "clients": state.hub.len(),
            });
            return reply(200, "application/json", body.to_string().into_bytes());
        }
        // Pages load the version switcher's list from beside the version
        // folder (`../versions-data.js`); the preview has one version only.
        Some("versions-data.js") if !snapshot.files.contains_key("versions-data.js") => {
            let body = b"window.GONGSHI_VERSIONS = [];\n".to_vec();
            return reply(200, "text/javascript; charset=utf-8", body);
        }
        _ => {}
    }
    if let Some(key) = key_of(url).filter(|k| k.starts_with(help::PREFIX)) {
        return match help::page(&key, state.lang) {
            Some(body) => reply(200, "text/html; charset=utf-8", body),
            None => not_found(state, &snapshot),
        };
    }
    if let Some(key) = key_of(url).filter(|k| crate::render::DOCUMENTS.contains(&k.as_str())) {
        return document(state, &key);
    }
    match resolve(&snapshot, url) {
        Target::File(key) => file(&snapshot, &key, &snapshot.files[&key]),
        Target::Redirect(to) => {
            let mut r = Reply::new(301, "text/plain; charset=utf-8", Vec::new());
            r.headers.push(("Location", to));
            Answer::Reply(r)
        }
        Target::NotFound => not_found(state, &snapshot),
    }
}

/// The styled 404 page, with the overlay or warnings panel.
fn not_found(state: &State, snapshot: &Snapshot) -> Answer {
    let body = pages::not_found(state.lang, snapshot.generation, snapshot.decor());
    reply(404, "text/html; charset=utf-8", body)
}

fn file(snapshot: &Snapshot, key: &str, bytes: &[u8]) -> Answer {
    let ctype = content_type(key);
    let body = if ctype.starts_with("text/html") {
        reload::inject(bytes, snapshot.generation, snapshot.decor())
    } else {
        bytes.to_vec()
    };
    reply(200, ctype, body)
}

/// One of the documents, made now if no request made it before. When an
/// edit arrived meanwhile, the newer snapshot's is made instead (waiting
/// up to a few seconds for that snapshot).
fn document(state: &Arc<State>, key: &str) -> Answer {
    use super::documents::Document;
    let mut snapshot = state.snapshot();
    for _ in 0..250 {
        let Some(pending) = snapshot.documents.clone() else {
            break;
        };
        match pending.get(key) {
            Document::Ready(bytes) => return file(&snapshot, key, &bytes),
            Document::NotOne => break,
            Document::Failed(detail) => {
                let args = [("page", key.to_string()), ("detail", detail)];
                let text = crate::i18n::tr(state.lang, "cli.build.render_error", &args);
                return reply(500, "text/plain; charset=utf-8", text.into_bytes());
            }
            Document::Moved => {
                std::thread::sleep(std::time::Duration::from_millis(20));
                snapshot = state.snapshot();
            }
        }
    }
    not_found(state, &snapshot)
}

/// Turns the connection into a stream of reload events. A page older than
/// the current build (by `Last-Event-ID` or `?gen=`) is told to reload at
/// once.
fn events(req: &Request, state: &Arc<State>, snapshot: &Snapshot) -> Answer {
    let seen = req.header("last-event-id").map(str::to_string).or_else(|| {
        req.target
            .split_once("gen=")
            .map(|(_, g)| g.split('&').next().unwrap_or("").to_string())
    });
    let first = match seen.and_then(|s| s.trim().parse::<u64>().ok()) {
        Some(g) if g == snapshot.generation => None,
        _ => Some(reload::event(snapshot.generation, &[], true)),
    };
    let rx = state.hub.subscribe();
    Answer::Stream(Box::new(move |conn| reload::stream(conn, rx, first)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_name_files() {
        assert_eq!(key_of("/").as_deref(), Some("index.html"));
        assert_eq!(key_of("/risks/").as_deref(), Some("risks/index.html"));
        assert_eq!(
            key_of("/risks/R-001.html?x=1#top").as_deref(),
            Some("risks/R-001.html")
        );
        assert_eq!(
            key_of("/pages/%E8%AF%B4%E6%98%8E.html").as_deref(),
            Some("pages/说明.html")
        );
    }

    #[test]
    fn traversal_and_oddities_are_refused() {
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/Cargo.toml",
            "/risks/..%2f..%2fCargo.toml",
            "/risks%2f..%2f..%2fCargo.toml",
            "/risks/./R-001.html",
            "/..\\Cargo.toml",
            "/risks%5c..%5cCargo.toml",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/a//b.html",
            "/%00.html",
            "/%zz",
            "/%+2e%+2e/Cargo.toml",
            "/static/gongshi%+2ecss",
            "/a.css%",
            "/%01.html",
            "http://127.0.0.1/index.html",
            "risks/R-001.html",
        ] {
            assert_eq!(key_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn folders_redirect_and_unknown_is_not_found() {
        let mut s = Snapshot::default();
        s.files
            .insert("risks/index.html".into(), Arc::from(&b"x"[..]));
        assert_eq!(resolve(&s, "/risks"), Target::Redirect("/risks/".into()));
        assert_eq!(
            resolve(&s, "/risks/"),
            Target::File("risks/index.html".into())
        );
        assert_eq!(resolve(&s, "/static/"), Target::NotFound);
        assert_eq!(resolve(&s, "/../risks/index.html"), Target::NotFound);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("static/gongshi.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(
            content_type("search-index.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(content_type("data.json"), "application/json");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
