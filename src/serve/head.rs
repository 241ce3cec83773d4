//! Reading request heads: bytes gathered under a deadline, parsed by
//! `httparse`. A head must start within [`IDLE`] and, once started, be
//! complete within [`HEAD_TIME`] in total (not per read), so a client
//! trickling one byte at a time cannot hold its connection.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Longest wait for the first byte of a request (a kept-alive connection
/// between requests, or a new one).
pub const IDLE: Duration = Duration::from_secs(30);
/// Longest time from the first byte of a head to its end.
pub const HEAD_TIME: Duration = Duration::from_secs(10);
/// Longest request head (request line and headers) accepted.
pub const MAX_HEAD: usize = 16 * 1024;
/// Most header lines accepted.
const MAX_HEADERS: usize = 64;

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
    /// A header's value by case-insensitive name (the first if repeated).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// How many times a header is present.
    pub fn count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .count()
    }

    pub fn wants_close(&self) -> bool {
        let conn = self.header("connection").unwrap_or("").to_ascii_lowercase();
        conn.contains("close") || (self.http10 && !conn.contains("keep-alive"))
    }

    pub fn has_body(&self) -> bool {
        self.header("transfer-encoding").is_some()
            || self
                .header("content-length")
                .is_some_and(|n| n.trim() != "0")
    }
}

/// A byte source whose reads can be bounded in time.
pub trait Source: Read {
    fn limit(&mut self, within: Duration);
}

impl Source for TcpStream {
    fn limit(&mut self, within: Duration) {
        let _ = self.set_read_timeout(Some(within.max(Duration::from_millis(1))));
    }
}

impl Source for &[u8] {
    fn limit(&mut self, _: Duration) {}
}

/// Reads one request head from `src`; `buf` holds bytes read but not yet
/// used (a pipelined next request) across calls. `Ok(None)`: the client
/// closed, went idle or ran out of time; `Err(status)`: a head that
/// cannot be read.
pub fn read_head(src: &mut impl Source, buf: &mut Vec<u8>) -> Result<Option<Request>, u16> {
    let waiting = Instant::now();
    let mut started = (!buf.is_empty()).then(Instant::now);
    let mut chunk = [0u8; 4096];
    loop {
        if let Some((req, used)) = parse(buf)? {
            buf.drain(..used);
            return Ok(Some(req));
        }
        if buf.len() > MAX_HEAD {
            return Err(431);
        }
        let deadline = match started {
            Some(t) => t + HEAD_TIME,
            None => waiting + IDLE,
        };
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            return Ok(None);
        };
        src.limit(left);
        match src.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                started.get_or_insert_with(Instant::now);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Ok(None),
        }
    }
}

/// A complete head at the start of `buf` and its length; `None` while it
/// is incomplete.
pub fn parse(buf: &[u8]) -> Result<Option<(Request, usize)>, u16> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let used = match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::Version) => return Err(505),
        Err(httparse::Error::TooManyHeaders) => return Err(431),
        Err(_) => return Err(400),
    };
    if used > MAX_HEAD {
        return Err(431);
    }
    let (Some(method), Some(target), Some(version)) = (req.method, req.path, req.version) else {
        return Err(400);
    };
    let mut fields = Vec::with_capacity(req.headers.len());
    for h in req.headers.iter() {
        let value = std::str::from_utf8(h.value).map_err(|_| 400u16)?;
        fields.push((h.name.to_string(), value.trim().to_string()));
    }
    let request = Request {
        method: method.to_string(),
        target: target.to_string(),
        http10: version == 0,
        headers: fields,
    };
    Ok(Some((request, used)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(bytes: &[u8]) -> Result<Option<Request>, u16> {
        read_head(&mut &bytes[..], &mut Vec::new())
    }

    #[test]
    fn heads_are_read_and_limited() {
        let req = one(b"\r\nGET /a%20b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(
            (req.method.as_str(), req.target.as_str()),
            ("GET", "/a%20b")
        );
        assert!(req.wants_close());
        assert_eq!(req.header("HOST"), Some("x"));
        assert_eq!(one(b"GET / HTTP/2\r\n\r\n").unwrap_err(), 505);
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(one(long.as_bytes()).unwrap_err(), 431);
        assert!(one(b"GET / HTTP/1.1\r\nHost").unwrap().is_none());
        for bad in [
            &b"GET / HTTP/1.1 x\r\n\r\n"[..],
            b"GET / HTTP/1.1\r\nA : b\r\n\r\n",
            b"GET /\x01 HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: \x00\r\n\r\n",
            b"GET / HTTP/1.1\r\n folded\r\n\r\n",
        ] {
            assert_eq!(one(bad).unwrap_err(), 400, "{bad:?}");
        }
    }

    #[test]
    fn pipelined_requests_are_kept_for_the_next_read() {
        let mut src = &b"GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"[..];
        let mut buf = Vec::new();
        let a = read_head(&mut src, &mut buf).unwrap().unwrap();
        let b = read_head(&mut src, &mut buf).unwrap().unwrap();
        assert_eq!((a.target.as_str(), b.target.as_str()), ("/a", "/b"));
        assert!(read_head(&mut src, &mut buf).unwrap().is_none());
    }
}
