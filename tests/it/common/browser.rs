//! Headless Chromium for the browser tests: find it (or skip, or fail under
//! `CI=true`), load a built page from disk, read back its DOM and what it
//! printed to the console, and take screenshots.
//!
//! How a page proves it loaded: the built-in theme's `gongshi.js` sets
//! `<html data-gongshi="ok">` after it ran without throwing, and
//! `data-gongshi-css="1"` when `gongshi.css` applied (it reads a custom
//! property the stylesheet defines). Chromium started with
//! `--enable-logging=stderr --v=0` copies every console message of the
//! page to stderr as `…:CONSOLE…] "message", source: …`, uncaught
//! exceptions included; the pages log nothing, so any such line is a fault.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Names tried on `PATH`, in order.
pub const NAMES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// One Chromium run may take this long before it is killed.
pub const RUN_LIMIT: Duration = Duration::from_secs(30);

/// A Chromium found on `PATH`.
#[derive(Debug, Clone)]
pub struct Chromium {
    pub path: PathBuf,
}

/// What a page left after loading: its serialised DOM and Chromium's stderr.
#[derive(Debug)]
pub struct Loaded {
    pub dom: String,
    pub stderr: String,
}

impl Loaded {
    /// Console lines (messages, errors, uncaught exceptions) the page caused.
    pub fn console(&self) -> Vec<&str> {
        console_lines(&self.stderr)
    }
}

/// The first of [`NAMES`] found on `PATH`.
pub fn find() -> Option<Chromium> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in NAMES {
            let candidate = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
            if is_executable(&candidate) {
                return Some(Chromium { path: candidate });
            }
        }
    }
    None
}

fn is_executable(p: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(p) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// Chromium, or `None` after saying why the test is skipped. Under
/// `CI=true` a missing Chromium fails the test instead.
pub fn require(test: &str) -> Option<Chromium> {
    if let Some(c) = find() {
        return Some(c);
    }
    let names = NAMES.join(", ");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{test}: no Chromium on PATH (tried {names}); CI=true needs it (.ci/run installs it)"
        );
    }
    eprintln!(
        "{test}: skipped, no Chromium on PATH (tried {names}); set CI=true to make this a failure"
    );
    None
}

/// `file://` URL of an absolute path, with `fragment` (unencoded) after `#`.
pub fn file_url(path: &Path, fragment: Option<&str>) -> String {
    // Not canonicalize: on Windows that gives `\\?\C:\…`, no URL path.
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut s = abs.to_string_lossy().replace('\\', "/");
    if !s.starts_with('/') {
        s.insert(0, '/'); // C:/… on Windows
    }
    let mut url = format!("file://{}", encode(&s, b"/:-._~"));
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(&encode(f, b"=&-._~"));
    }
    url
}

/// Percent-encodes everything but ASCII alphanumerics and `keep`.
fn encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Lines of Chromium's stderr that report console output or an uncaught
/// exception of the page.
pub fn console_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

impl Chromium {
    /// Runs Chromium headless on `url` with `extra` flags, in a fresh
    /// profile, killed after [`RUN_LIMIT`]. Returns (status ok, stdout, stderr).
    pub fn run(&self, extra: &[String], url: &str) -> (bool, String, String) {
        let profile = tempfile::tempdir().expect("profile dir");
        let mut cmd = Command::new(&self.path);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start chromium");
        // Drain both pipes on threads so a chatty Chromium never blocks.
        let mut out_pipe = child.stdout.take().expect("stdout");
        let mut err_pipe = child.stderr.take().expect("stderr");
        let out_t = std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = out_pipe.read_to_end(&mut b);
            b
        });
        let err_t = std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = err_pipe.read_to_end(&mut b);
            b
        });
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().expect("wait chromium") {
                break Some(s);
            }
            if start.elapsed() > RUN_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = String::from_utf8_lossy(&out_t.join().unwrap_or_default()).into_owned();
        let stderr = String::from_utf8_lossy(&err_t.join().unwrap_or_default()).into_owned();
        assert!(
            status.is_some(),
            "chromium took over {RUN_LIMIT:?} on {url}\n{stderr}"
        );
        (status.is_some_and(|s| s.success()), stdout, stderr)
    }

    /// Loads `url` and returns its DOM after scripts ran.
    pub fn load(&self, url: &str) -> Loaded {
        let (ok, dom, stderr) = self.run(&["--dump-dom".to_string()], url);
        assert!(
            ok && !dom.is_empty(),
            "chromium --dump-dom failed on {url}\n{stderr}"
        );
        Loaded { dom, stderr }
    }

    /// Loads `url` in a `width`×`height` window, saves a screenshot to
    /// `png` and returns the DOM after scripts ran.
    pub fn load_and_shoot(&self, url: &str, width: u32, height: u32, png: &Path) -> Loaded {
        let (ok, dom, stderr) = self.run(
            &[
                "--dump-dom".to_string(),
                format!("--screenshot={}", png.display()),
                format!("--window-size={width},{height}"),
            ],
            url,
        );
        assert!(
            ok && !dom.is_empty() && png.is_file(),
            "chromium --dump-dom --screenshot failed on {url}\n{stderr}"
        );
        Loaded { dom, stderr }
    }
}

/// The `<html …>` start tag of a serialised DOM.
pub fn html_tag(dom: &str) -> &str {
    let start = dom.find("<html").unwrap_or(0);
    let end = dom[start..].find('>').map_or(dom.len(), |e| start + e + 1);
    &dom[start..end]
}

/// Whether `png` is a PNG of at least `min_bytes` (a blank page is a few KB).
pub fn png_is_substantial(png: &Path, min_bytes: u64) -> Result<u64, String> {
    let bytes = std::fs::read(png).map_err(|e| format!("{}: {e}", png.display()))?;
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(format!("{} is not a PNG", png.display()));
    }
    let n = bytes.len() as u64;
    if n < min_bytes {
        return Err(format!(
            "{} has only {n} bytes (< {min_bytes})",
            png.display()
        ));
    }
    Ok(n)
}
