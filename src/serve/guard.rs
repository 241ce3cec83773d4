//! Who the preview answers. It shows what is not yet public, so only the
//! writer's own browser, on the preview's own address, gets content:
//!
//! 1. `Host` must name the preview: `localhost` or a loopback address,
//!    the `--bind` address (any IP literal when bound to all interfaces),
//!    with the preview's port. Anything else (a DNS-rebinding page) gets 421.
//! 2. `Sec-Fetch-Site`, when sent, must be `same-origin` or `none`: pages
//!    elsewhere — another port of 127.0.0.1 is only *same-site* — get 403,
//!    and a link followed from elsewhere a page with a link to the preview.
//!    Frames (`Sec-Fetch-Dest` iframe and the like) and a foreign `Origin`
//!    are refused too.
//! 3. A request without `Sec-Fetch-Site` (older browsers, scripts) must
//!    carry the session cookie, which only the printed address
//!    (`/__gongshi/open?k=KEY`, a fresh key each run) sets.
//!
//! Every reply also carries [`super::server::GUARD_HEADERS`].

use super::head::Request;
use super::server::Reply;
use crate::i18n::{tr, Lang};
use crate::render::theme::escape_html;
use std::net::IpAddr;

/// Path of the printed address, which sets the cookie.
pub const OPEN: &str = "__gongshi/open";

/// Destinations that embed the response in another page.
const NESTED: [&str; 5] = ["iframe", "frame", "embed", "object", "fencedframe"];

/// The rules of one preview session.
pub struct Guard {
    port: u16,
    bind: IpAddr,
    key: String,
    lang: Lang,
}

impl Guard {
    /// A guard for a preview listening on `bind`:`port`, with a fresh key.
    pub fn new(bind: IpAddr, port: u16, lang: Lang) -> Guard {
        Guard {
            port,
            bind,
            key: fresh_key(),
            lang,
        }
    }

    /// The address to print and open: `base` (`http://host:port/`) and
    /// the path that sets the cookie.
    pub fn launch_url(&self, base: &str) -> String {
        format!("{base}{OPEN}?k={}", self.key)
    }

    /// The cookie's name: one per port, so two previews on one machine
    /// (cookies ignore ports) do not overwrite each other's.
    fn cookie_name(&self) -> String {
        format!("gongshi_preview_{}", self.port)
    }

    /// `None` when `req` may be answered; otherwise the reply instead
    /// (a refusal, or the printed address's redirect).
    pub fn screen(&self, req: &Request) -> Option<Reply> {
        let host = req.header("host").unwrap_or("");
        if req.count("host") != 1 || !self.host_allowed(host) {
            let text = tr(self.lang, "serve.guard_host", &[("host", host.to_string())]);
            return Some(Reply::new(421, "text/plain; charset=utf-8", text.into()));
        }
        let site = req.header("sec-fetch-site").map(str::to_ascii_lowercase);
        let dest = req.header("sec-fetch-dest").unwrap_or("");
        let navigate = req.header("sec-fetch-mode") == Some("navigate");
        if NESTED.iter().any(|d| dest.eq_ignore_ascii_case(d)) {
            return Some(self.refused());
        }
        if site
            .as_deref()
            .is_some_and(|s| s != "same-origin" && s != "none")
        {
            if navigate && dest.eq_ignore_ascii_case("document") {
                return Some(self.page(403, "serve.guard_cross_site", &link_back(req)));
            }
            return Some(self.refused());
        }
        let origin = req.header("origin");
        let foreign = origin.is_some_and(|o| {
            !o.strip_prefix("http://")
                .is_some_and(|h| self.host_allowed(h))
        });
        if foreign {
            return Some(self.refused());
        }
        if super::http::key_of(&req.target).as_deref() == Some(OPEN) {
            return Some(self.open(req));
        }
        if site.is_none() && !self.has_cookie(req) {
            return Some(self.page(403, "serve.guard_no_key", ""));
        }
        None
    }

    /// The printed address: sets the cookie and goes to the home page
    /// when the key is right.
    fn open(&self, req: &Request) -> Reply {
        let query = req.target.split_once('?').map_or("", |(_, q)| q);
        let key = query.split('&').find_map(|p| p.strip_prefix("k="));
        if !key.is_some_and(|k| same(k, &self.key)) {
            return self.page(403, "serve.guard_no_key", "");
        }
        let mut r = Reply::new(303, "text/plain; charset=utf-8", Vec::new());
        r.headers.push(("Location", "/".into()));
        r.headers.push((
            "Set-Cookie",
            format!(
                "{}={}; Path=/; HttpOnly; SameSite=Strict",
                self.cookie_name(),
                self.key
            ),
        ));
        r
    }

    fn has_cookie(&self, req: &Request) -> bool {
        let name = self.cookie_name();
        req.header("cookie").is_some_and(|c| {
            c.split(';').any(|kv| {
                kv.trim()
                    .split_once('=')
                    .is_some_and(|(k, v)| k == name && same(v, &self.key))
            })
        })
    }

    /// Whether `host` (`name:port` from a `Host` header or an origin)
    /// names this preview.
    fn host_allowed(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let split = match host.strip_prefix('[') {
            Some(rest) => rest
                .split_once(']')
                .and_then(|(ip, tail)| Some((ip, tail.strip_prefix(':')?))),
            None => host.rsplit_once(':'),
        };
        let Some((name, port)) = split else {
            return false;
        };
        if port.parse::<u16>() != Ok(self.port) {
            return false;
        }
        if name == "localhost" {
            return true;
        }
        name.parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip == self.bind || self.bind.is_unspecified())
    }

    /// A refusal without content, for requests no one reads as a page.
    fn refused(&self) -> Reply {
        let text = tr(self.lang, "serve.guard_refused", &[]);
        Reply::new(403, "text/plain; charset=utf-8", text.into())
    }

    /// A small page saying why nothing is shown and what to do.
    fn page(&self, status: u16, key: &str, link: &str) -> Reply {
        let title = escape_html(&tr(self.lang, "serve.guard_title", &[]));
        let text = escape_html(&tr(self.lang, key, &[("port", self.port.to_string())]));
        let link = if link.is_empty() {
            String::new()
        } else {
            let label = escape_html(&tr(self.lang, "serve.guard_open_link", &[]));
            format!("<p><a href=\"{}\">{label}</a></p>\n", escape_html(link))
        };
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n<p>{text}</p>\n{link}</body>\n</html>\n",
            self.lang.tag()
        );
        Reply::new(status, "text/html; charset=utf-8", html.into_bytes())
    }
}

/// The path a link followed from elsewhere asked for, when it names a
/// file of the preview; else the home page.
fn link_back(req: &Request) -> String {
    let ok = super::http::key_of(&req.target).is_some_and(|k| !k.starts_with("__gongshi/"));
    if ok {
        req.target.clone()
    } else {
        "/".into()
    }
}

/// Equal strings, compared without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// 128 random bits in hex, from the operating system.
fn fresh_key() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No system randomness: std's hasher keys are still random per process.
        use std::hash::{BuildHasher, Hasher};
        for half in bytes.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(std::time::UNIX_EPOCH.elapsed().map_or(0, |d| d.as_nanos()));
            half.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn req(target: &str, headers: &[(&str, &str)]) -> Request {
        let mut head = format!("GET {target} HTTP/1.1\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        super::super::head::parse(head.as_bytes())
            .unwrap()
            .unwrap()
            .0
    }

    #[test]
    fn hosts_are_the_previews_own() {
        let g = Guard::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 4000, Lang::En);
        for ok in ["127.0.0.1:4000", "localhost:4000", "[::1]:4000"] {
            assert!(g.host_allowed(ok), "{ok}");
        }
        for bad in [
            "127.0.0.1",
            "127.0.0.1:4001",
            "evil.example:4000",
            "192.168.1.5:4000",
            "[::1]",
            "",
        ] {
            assert!(!g.host_allowed(bad), "{bad}");
        }
        let all = Guard::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 4000, Lang::En);
        assert!(all.host_allowed("192.168.1.5:4000"));
        assert!(!all.host_allowed("evil.example:4000"));
    }

    #[test]
    fn the_printed_address_sets_the_cookie_that_admits() {
        let g = Guard::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 4000, Lang::En);
        let url = g.launch_url("http://127.0.0.1:4000/");
        let path = &url["http://127.0.0.1:4000".len()..];
        let host = ("Host", "127.0.0.1:4000");
        let r = g.screen(&req(path, &[host])).unwrap();
        assert_eq!(r.status, 303);
        let cookie = &r.headers.iter().find(|h| h.0 == "Set-Cookie").unwrap().1;
        let pair = cookie.split(';').next().unwrap();
        assert!(g.screen(&req("/", &[host, ("Cookie", pair)])).is_none());
        assert_eq!(g.screen(&req("/", &[host])).unwrap().status, 403);
        let wrong = format!("{}x", &pair[..pair.len() - 1]);
        assert!(g.screen(&req("/", &[host, ("Cookie", &wrong)])).is_some());
        assert_ne!(fresh_key(), fresh_key());
    }
}
