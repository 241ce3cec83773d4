//! Helpers for the `gongshi serve` tests: a copy of the example site, the
//! server as a child process, raw HTTP requests (paths sent exactly as
//! written, so `..` reaches the server) and a small CDP browser driver.
#![allow(dead_code)]

pub mod cdp;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A fresh copy of the example site (`gongshi init`) in a temporary folder.
pub struct Site {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Site {
    pub fn example() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        let ok = Command::new(env!("CARGO_BIN_EXE_gongshi"))
            .arg("init")
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("gongshi init")
            .success();
        assert!(ok, "gongshi init failed");
        Site { _dir: dir, root }
    }

    /// A folder beside the site (outside it), for symlink tests.
    pub fn outside(&self) -> PathBuf {
        let p = self.root.parent().expect("parent").join("outside");
        std::fs::create_dir_all(&p).expect("outside dir");
        p
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read")
    }

    pub fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).expect("write")
    }
}

/// `gongshi serve` running on a port it chose (`--port 0`), opened once
/// the documented way: its printed address, whose cookie every request
/// then presents (as a browser that opened that address would).
pub struct Server {
    child: Child,
    pub port: u16,
    /// The address the server printed (and `--open` opens).
    pub launch: String,
    /// `name=value` of the cookie the printed address set.
    pub cookie: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongshi"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", "0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gongshi serve");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let mut server = Server {
            child,
            port: 0,
            launch: String::new(),
            cookie: String::new(),
            log,
        };
        let found = wait_for(Duration::from_secs(60), || {
            server.lines().iter().find_map(|l| {
                let at = l.find("http://")?;
                let url = l[at..].split_whitespace().next()?.to_string();
                let rest = &url[7..];
                let colon = rest.find("]:").map(|i| i + 1).or_else(|| rest.find(':'))?;
                let tail = &rest[colon + 1..];
                let port = tail[..tail.find('/')?].parse::<u16>().ok()?;
                Some((port, url))
            })
        });
        let (port, launch) =
            found.unwrap_or_else(|| panic!("serve did not start: {:?}", server.lines()));
        server.port = port;
        server.launch = launch;
        // Open the printed address as a browser would and keep its cookie.
        let path = server.launch_path();
        let opened = request(port, &path, &[]);
        if let Some(c) = opened.header("set-cookie") {
            server.cookie = c.split(';').next().unwrap_or("").trim().to_string();
        }
        server
    }

    /// The path (and query) of the printed address.
    pub fn launch_path(&self) -> String {
        let rest = &self.launch["http://".len()..];
        rest.find('/').map_or("/".into(), |i| rest[i..].to_string())
    }

    /// A handle for other threads: same port, same cookie.
    pub fn client(&self) -> Client {
        Client {
            port: self.port,
            cookie: self.cookie.clone(),
        }
    }

    /// What the server printed so far.
    pub fn lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.client().get(path)
    }

    /// `/__gongshi/status` as JSON.
    pub fn status(&self) -> serde_json::Value {
        serde_json::from_slice(&self.get("/__gongshi/status").body).expect("status JSON")
    }

    pub fn generation(&self) -> u64 {
        self.status()["generation"].as_u64().unwrap_or(0)
    }

    pub fn rebuilds(&self) -> u64 {
        self.status()["rebuilds"].as_u64().unwrap_or(0)
    }

    /// Waits until no rebuild happened for `quiet`, at most `limit`.
    pub fn settle(&self, quiet: Duration, limit: Duration) {
        let start = Instant::now();
        let mut last = (self.rebuilds(), Instant::now());
        while start.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(50));
            let now = self.rebuilds();
            if now != last.0 {
                last = (now, Instant::now());
            } else if last.1.elapsed() >= quiet {
                return;
            }
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response: status code, headers (lower-case names) and body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == &name.to_ascii_lowercase())
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
}

/// The port and cookie of a [`Server`], to send requests from any thread.
#[derive(Clone)]
pub struct Client {
    pub port: u16,
    pub cookie: String,
}

impl Client {
    /// A GET presenting the preview's cookie.
    pub fn get(&self, path: &str) -> Reply {
        request(self.port, path, &[("Cookie", &self.cookie)])
    }
}

/// A GET with the path sent byte for byte as given and no cookie.
pub fn get(port: u16, path: &str) -> Reply {
    request(port, path, &[])
}

/// A GET with extra header lines (a `Host` given here replaces the
/// default `127.0.0.1:PORT`).
pub fn request(port: u16, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut head = format!("GET {path} HTTP/1.1\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    raw(port, head.as_bytes()).unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

/// Sends `head` as is and reads one response. Reads a chunked or sized
/// body (so a kept-alive connection does not stall it).
pub fn raw(port: u16, head: &[u8]) -> Result<Reply, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(head).map_err(|e| format!("send: {e}"))?;
    let mut r = BufReader::new(s);
    let mut status_line = String::new();
    r.read_line(&mut status_line)
        .map_err(|e| format!("status line: {e}"))?;
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no status in {status_line:?}"))?;
    let mut headers = Vec::new();
    loop {
        let mut l = String::new();
        r.read_line(&mut l).map_err(|e| format!("header: {e}"))?;
        let l = l.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let mut reply = Reply {
        status,
        headers,
        body: Vec::new(),
    };
    if reply.header("transfer-encoding") == Some("chunked") {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).map_err(|e| format!("chunk: {e}"))?;
            let n = usize::from_str_radix(size.trim(), 16).map_err(|e| format!("chunk: {e}"))?;
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk)
                .map_err(|e| format!("chunk: {e}"))?;
            if n == 0 {
                break;
            }
            reply.body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = reply.header("content-length").and_then(|n| n.parse().ok()) {
        reply.body = vec![0; n];
        r.read_exact(&mut reply.body)
            .map_err(|e| format!("body: {e}"))?;
    } else {
        r.read_to_end(&mut reply.body)
            .map_err(|e| format!("body: {e}"))?;
    }
    Ok(reply)
}

/// Polls `f` every 25 ms until it returns `Some`, at most `limit`.
pub fn wait_for<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if start.elapsed() >= limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Opens the preview in Chromium the documented way (the printed address)
/// and waits for the live home page: the browser, and whether the page
/// opened within 30 s (the browser stays, to ask it why not).
pub fn open_preview(chromium: &Path, server: &Server) -> (cdp::Browser, bool) {
    let mut b = cdp::Browser::open(chromium, &server.launch);
    let home = wait_for(Duration::from_secs(30), || {
        let ready = b.eval(
            "document.readyState==='complete' && location.pathname==='/' && !!document.querySelector('script[data-gongshi-live]')",
        );
        (ready == true).then_some(())
    });
    (b, home.is_some())
}
