//! The HTTP/1.1 layer of the preview: one thread per connection, requests
//! read one after another on it (keep-alive), GET and HEAD only, no bodies.
//!
//! Written here rather than taken from tiny_http 0.12: under a browser's
//! kept-alive connections its task pool loses wake-ups, and new
//! connections then wait until an old one closes (measured: 27 of 240
//! requests stalled for 8 s). A thread per connection has no pool to starve;
//! idle connections end after [`IDLE`].

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// An idle kept-alive connection is closed after this.
const IDLE: Duration = Duration::from_secs(30);
/// Longest request head (request line and headers) accepted.
const MAX_HEAD: usize = 16 * 1024;
/// Connections open at once; more are closed at once (a local preview
/// has a handful of tabs).
const MAX_CONNECTIONS: usize = 256;

/// A request head.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// The request target exactly as sent (`/risks/R-001.html?x`).
    pub target: String,
    pub http10: bool,
    headers: Vec<(String, String)>,
}

impl Request {
    /// A header's value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn wants_close(&self) -> bool {
        let conn = self.header("connection").unwrap_or("").to_ascii_lowercase();
        conn.contains("close") || (self.http10 && !conn.contains("keep-alive"))
    }

    fn has_body(&self) -> bool {
        self.header("transfer-encoding").is_some()
            || self
                .header("content-length")
                .is_some_and(|n| n.trim() != "0")
    }
}

/// A complete response.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }
}

/// What the router makes of a request.
pub enum Answer {
    Reply(Reply),
    /// Turn the connection into an event stream.
    Stream(Box<dyn FnOnce(TcpStream) + Send>),
}

/// Accepts connections until the listener fails; each gets its own thread.
pub fn run<F>(listener: TcpListener, route: F)
where
    F: Fn(&Request) -> Answer + Send + Sync + 'static,
{
    let route = Arc::new(route);
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if open.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
            continue; // dropped: closed
        }
        open.fetch_add(1, Ordering::Relaxed);
        let (route, open) = (route.clone(), open.clone());
        std::thread::spawn(move || {
            connection(stream, &*route);
            open.fetch_sub(1, Ordering::Relaxed);
        });
    }
}

fn connection(stream: TcpStream, route: &(dyn Fn(&Request) -> Answer + Send + Sync)) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut out = stream;
    loop {
        let req = match read_head(&mut reader) {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(status) => {
                let _ = write_reply(
                    &mut out,
                    &Reply::new(status, "text/plain; charset=utf-8", Vec::new()),
                    false,
                    true,
                );
                return;
            }
        };
        let head_only = req.method == "HEAD";
        let (answer, close) = if !matches!(req.method.as_str(), "GET" | "HEAD") || req.has_body() {
            let reply = Reply::new(405, "text/plain; charset=utf-8", b"405\n".to_vec());
            (Answer::Reply(reply), true)
        } else {
            (route(&req), req.wants_close())
        };
        match answer {
            Answer::Reply(reply) => {
                if write_reply(&mut out, &reply, head_only, close).is_err() || close {
                    return;
                }
            }
            Answer::Stream(stream_to) => return stream_to(out),
        }
    }
}

/// Reads one request head. `Ok(None)` when the client closed or went idle;
/// `Err(status)` for a head that cannot be read.
fn read_head(r: &mut impl BufRead) -> Result<Option<Request>, u16> {
    let mut used = 0;
    let mut line = String::new();
    // Tolerate blank lines before a request (RFC 9112 §2.2).
    loop {
        line.clear();
        match read_line(r, &mut line, &mut used) {
            Ok(0) | Err(None) => return Ok(None),
            Err(Some(status)) => return Err(status),
            Ok(_) if line.trim().is_empty() => continue,
            Ok(_) => break,
        }
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if !version.starts_with("HTTP/1.") {
        return Err(505);
    }
    let mut req = Request {
        method: method.to_string(),
        target: target.to_string(),
        http10: version == "HTTP/1.0",
        headers: Vec::new(),
    };
    loop {
        let mut h = String::new();
        match read_line(r, &mut h, &mut used) {
            Ok(0) | Err(None) => return Ok(None),
            Err(Some(status)) => return Err(status),
            Ok(_) => {}
        }
        let h = h.trim_end();
        if h.is_empty() {
            return Ok(Some(req));
        }
        let Some((k, v)) = h.split_once(':') else {
            return Err(400);
        };
        req.headers
            .push((k.trim().to_string(), v.trim().to_string()));
    }
}

/// One line, counting against [`MAX_HEAD`]. `Err(None)`: closed or idle;
/// `Err(Some(status))`: too long or not text.
fn read_line(
    r: &mut impl BufRead,
    line: &mut String,
    used: &mut usize,
) -> Result<usize, Option<u16>> {
    let mut bytes = Vec::new();
    let n = r
        .take((MAX_HEAD - *used) as u64 + 1)
        .read_until(b'\n', &mut bytes)
        .map_err(|_| None)?;
    *used += n;
    if *used > MAX_HEAD {
        return Err(Some(431));
    }
    if n > 0 && !bytes.ends_with(b"\n") {
        return Err(None);
    }
    line.push_str(std::str::from_utf8(&bytes).map_err(|_| Some(400))?);
    Ok(n)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

fn write_reply(
    out: &mut impl Write,
    reply: &Reply,
    head_only: bool,
    close: bool,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n",
        reply.body.len()
    ));
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if !head_only {
        out.write_all(&reply.body)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_read_and_limited() {
        let mut r = &b"GET /a%20b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"[..];
        let req = read_head(&mut r).unwrap().unwrap();
        assert_eq!(
            (req.method.as_str(), req.target.as_str()),
            ("GET", "/a%20b")
        );
        assert!(req.wants_close());
        let mut r = &b"GET / HTTP/2\r\n\r\n"[..];
        assert_eq!(read_head(&mut r).unwrap_err(), 505);
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(read_head(&mut long.as_bytes()).unwrap_err(), 431);
        let mut r = &b"GET / HTTP/1.1\r\nHost"[..];
        assert!(read_head(&mut r).unwrap().is_none());
    }

    #[test]
    fn replies_carry_length_and_no_store() {
        let mut out = Vec::new();
        let reply = Reply::new(200, "text/plain", b"hi".to_vec());
        write_reply(&mut out, &reply, false, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text
            .starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"));
        assert!(
            text.contains("Cache-Control: no-store\r\n") && text.contains("Connection: close\r\n")
        );
        assert!(text.ends_with("\r\n\r\nhi"));
    }
}
