//! The HTTP/1.1 layer of the preview: one thread per connection, requests
//! read one after another on it (keep-alive), GET and HEAD only, no bodies.
//!
//! Written here rather than taken from tiny_http 0.12: under a browser's
//! kept-alive connections its task pool loses wake-ups, and new
//! connections then wait until an old one closes (measured: 27 of 240
//! requests stalled for 8 s). A thread per connection has no pool to starve;
//! heads are read by [`super::head`] (httparse, bounded in size and time),
//! and a full house makes room by closing the connection that has waited
//! longest for a head.

use super::head::read_head;
pub use super::head::Request;
use std::io::Write;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Connections open at once (a local preview has a handful of tabs).
/// When all are taken, a new connection closes the one that has waited
/// longest for a request head; when none is waiting, the new one is closed.
pub const MAX_CONNECTIONS: usize = 256;

/// Headers on every reply, the event stream's included: no other origin
/// may embed or frame what the preview serves, nothing is cached, and
/// types are never sniffed. (No `Access-Control-Allow-*`, ever.)
pub const GUARD_HEADERS: &str = "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nCross-Origin-Resource-Policy: same-origin\r\nX-Frame-Options: DENY\r\nContent-Security-Policy: frame-ancestors 'none'\r\n";

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

/// The open connections and, for those waiting for a request head, since when.
#[derive(Default)]
struct Slots {
    open: Mutex<(u64, Vec<Slot>)>,
}

struct Slot {
    id: u64,
    stream: TcpStream,
    waiting: Option<Instant>,
}

impl Slots {
    /// Takes a slot for `stream`, closing the longest-waiting connection
    /// when all are taken; `None` when every slot is busy serving.
    fn take(&self, stream: &TcpStream) -> Option<u64> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if open.1.len() >= MAX_CONNECTIONS {
            let oldest = (open.1.iter().enumerate())
                .filter_map(|(i, s)| s.waiting.map(|t| (t, i)))
                .min()?;
            let evicted = open.1.swap_remove(oldest.1);
            let _ = evicted.stream.shutdown(Shutdown::Both);
        }
        let clone = stream.try_clone().ok()?;
        open.0 += 1;
        let id = open.0;
        open.1.push(Slot {
            id,
            stream: clone,
            waiting: Some(Instant::now()),
        });
        Some(id)
    }

    fn waiting(&self, id: u64, yes: bool) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = open.1.iter_mut().find(|s| s.id == id) {
            s.waiting = yes.then(Instant::now);
        }
    }

    fn free(&self, id: u64) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.1.retain(|s| s.id != id);
    }
}

/// Accepts connections until the listener fails; each gets its own thread.
pub fn run<F>(listener: TcpListener, route: F)
where
    F: Fn(&Request) -> Answer + Send + Sync + 'static,
{
    let route = Arc::new(route);
    let slots = Arc::new(Slots::default());
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let Some(id) = slots.take(&stream) else {
            continue; // dropped: closed
        };
        let (route, slots) = (route.clone(), slots.clone());
        std::thread::spawn(move || {
            connection(stream, &*route, &|yes| slots.waiting(id, yes));
            slots.free(id);
        });
    }
}

fn connection(
    mut stream: TcpStream,
    route: &(dyn Fn(&Request) -> Answer + Send + Sync),
    waiting: &dyn Fn(bool),
) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        waiting(true);
        let head = read_head(&mut stream, &mut buf);
        waiting(false);
        let req = match head {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(status) => {
                let reply = Reply::new(status, "text/plain; charset=utf-8", Vec::new());
                let _ = write_reply(&mut stream, &reply, false, true);
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
                if write_reply(&mut stream, &reply, head_only, close).is_err() || close {
                    return;
                }
            }
            Answer::Stream(stream_to) => return stream_to(stream),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
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
    head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    head.push_str(GUARD_HEADERS);
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
        assert!(text.contains("Cross-Origin-Resource-Policy: same-origin\r\n"));
        assert!(!text.to_ascii_lowercase().contains("access-control-allow"));
        assert!(text.ends_with("\r\n\r\nhi"));
    }
}
