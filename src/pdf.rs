//! `booklet.pdf`: the annual booklet printed with headless Chromium.
//!
//! The browser is config `booklet.chromium`, else the first one found by
//! [`browser::discover`] (PATH names, then standard install locations,
//! then on Windows the registry's App Paths). The
//! booklet and its static files are written to a private temporary folder
//! and printed there, before anything is written to the output, so a
//! failed build still writes nothing. Printing runs twice: the first print
//! tells on which page every part starts (its named destinations, see
//! [`dests`]); the numbers go into the table of contents and the second
//! print is the result. Each run has a time limit; the browser is killed
//! when it is exceeded. No browser, or a failed print, is a warning: the
//! build goes on with the HTML booklet only.

pub mod browser;
pub mod dests;

use crate::config::Booklet;
use crate::i18n::{tr, Lang};
use crate::render::booklet;
use crate::write::Rendered;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How gongshi starts a headless Chromium: no sandbox (it may run as root
/// in CI), no GPU, and nothing that reaches the network or a profile.
pub const HEADLESS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
];

/// Why there is no PDF.
#[derive(Debug, Clone, PartialEq)]
pub enum PdfError {
    /// No browser on PATH (`configured: None`) or the configured one is missing.
    NotFound { configured: Option<String> },
    /// The browser ran but gave no PDF.
    Failed { detail: String },
    /// The browser took longer than the time limit and was stopped.
    TimedOut { secs: u64 },
}

impl PdfError {
    /// The warning, in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            PdfError::NotFound { configured: None } => {
                let system = browser::System::current();
                let places = match system {
                    browser::System::Windows => tr(lang, "cli.pdf.places_windows", &[]),
                    browser::System::MacOs => tr(lang, "cli.pdf.places_macos", &[]),
                    browser::System::Unix => String::new(),
                };
                let names = browser::path_names(system).join("、");
                tr(
                    lang,
                    "cli.pdf.not_found",
                    &[("names", names), ("places", places)],
                )
            }
            PdfError::NotFound {
                configured: Some(p),
            } => tr(lang, "cli.pdf.configured_missing", &[("path", p.clone())]),
            PdfError::Failed { detail } => {
                tr(lang, "cli.pdf.failed", &[("detail", detail.clone())])
            }
            PdfError::TimedOut { secs } => {
                tr(lang, "cli.pdf.timed_out", &[("secs", secs.to_string())])
            }
        }
    }
}

/// A printed booklet.
#[derive(Debug, Clone, PartialEq)]
pub struct Printed {
    pub scope: String,
    pub pages: u32,
    /// Whether the table of contents got its page numbers.
    pub numbered: bool,
    pub secs: f64,
}

/// What became of the PDF of one build.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Printed(Printed),
    Skipped(PdfError),
}

/// A browser that can print.
#[derive(Debug, Clone)]
pub struct Printer {
    pub program: PathBuf,
}

impl Printer {
    /// The printer when a PDF is wanted (`--pdf` or config `booklet.pdf`);
    /// a missing browser goes to `outcomes` as a warning.
    pub fn wanted(
        root: &Path,
        cfg: &Booklet,
        flag: bool,
        outcomes: &mut Vec<Outcome>,
    ) -> Option<Printer> {
        if !(flag || cfg.pdf) {
            return None;
        }
        Printer::find(root, cfg)
            .map_err(|e| outcomes.push(Outcome::Skipped(e)))
            .ok()
    }

    /// The configured browser (a path, relative to the site root, or a
    /// name looked up on PATH), else the first [`browser::discover`] finds.
    pub fn find(root: &Path, cfg: &Booklet) -> Result<Printer, PdfError> {
        if let Some(c) = cfg.chromium.as_deref().filter(|c| !c.trim().is_empty()) {
            let p = Path::new(c);
            let found = if p.components().count() > 1 || p.is_absolute() {
                Some(root.join(p)).filter(|p| p.is_file())
            } else {
                browser::on_path(&browser::RealHost, c).map(PathBuf::from)
            };
            return found
                .map(|program| Printer { program })
                .ok_or_else(|| PdfError::NotFound {
                    configured: Some(c.to_string()),
                });
        }
        browser::discover(&browser::RealHost)
            .map(|program| Printer { program })
            .ok_or(PdfError::NotFound { configured: None })
    }

    /// Prints the booklet among `files` (a version folder's files) to PDF
    /// bytes, its table of contents numbered.
    pub fn print(&self, files: &[Rendered]) -> Result<(Vec<u8>, u32, bool), PdfError> {
        let dir = TempDir::new().map_err(io_failed)?;
        for f in files
            .iter()
            .filter(|f| f.path == booklet::PATH || f.path.starts_with("static/"))
        {
            let path = dir.0.join(&f.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io_failed)?;
            }
            std::fs::write(&path, &f.bytes).map_err(io_failed)?;
        }
        self.print_dir(&dir.0)
    }

    /// Prints `booklet.html` of a version folder (written or staged) as it
    /// stands there, so its static files are found; returns the PDF, its
    /// page count and whether the contents got their numbers. Only the
    /// page printed is written in `dir` (`.booklet-print.html`, removed
    /// again); profiles, logs and PDFs go to a private temporary folder.
    pub fn print_dir(&self, dir: &Path) -> Result<(Vec<u8>, u32, bool), PdfError> {
        let html = std::fs::read_to_string(dir.join(booklet::PATH)).map_err(io_failed)?;
        let scratch = TempDir::new().map_err(io_failed)?;
        let page = Scratch(dir.join(".booklet-print.html"));
        let limit = time_limit(html.len());
        let anchors = booklet::toc_anchors(&html);
        let mut numbers = std::collections::BTreeMap::new();
        let mut result = None;
        // Numbers in the contents do not change its layout (fixed-width
        // slots), so the second print normally confirms the first; a third
        // is allowed in case it does not.
        for pass in 0..3 {
            std::fs::write(&page.0, booklet::number_toc(&html, &numbers)).map_err(io_failed)?;
            let pdf = self.run(&page.0, &scratch.0, pass, limit)?;
            let Some(pages) = dests::read(&pdf) else {
                return Ok((pdf, 0, false));
            };
            let found: std::collections::BTreeMap<String, u32> = anchors
                .iter()
                .filter_map(|a| pages.dests.get(a).map(|n| (a.clone(), *n)))
                .collect();
            let done = found == numbers;
            result = Some((pdf, pages.count, found.len() == anchors.len()));
            if done || anchors.is_empty() {
                break;
            }
            numbers = found;
        }
        result.ok_or(PdfError::Failed {
            detail: String::new(),
        })
    }

    /// One headless print of the page `page`; scratch files go to `dir`.
    fn run(
        &self,
        page: &Path,
        dir: &Path,
        pass: usize,
        limit: Duration,
    ) -> Result<Vec<u8>, PdfError> {
        let failed = |e: std::io::Error| PdfError::Failed {
            detail: format!("{}: {e}", self.program.display()),
        };
        let pdf = dir.join(format!("pass-{pass}.pdf"));
        let profile = dir.join(format!("profile-{pass}"));
        let log =
            std::fs::File::create(dir.join(format!("chromium-{pass}.log"))).map_err(failed)?;
        let mut cmd = Command::new(&self.program);
        cmd.args(HEADLESS)
            .args(["--no-pdf-header-footer", "--virtual-time-budget=10000"])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(file_url(page))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        let status = run_with_limit(cmd, limit).map_err(|e| match e {
            RunError::Io(e) => failed(e),
            RunError::TimedOut => PdfError::TimedOut {
                secs: limit.as_secs(),
            },
        })?;
        match std::fs::read(&pdf) {
            Ok(bytes) if bytes.starts_with(b"%PDF") => Ok(bytes),
            _ => {
                let log = std::fs::read_to_string(dir.join(format!("chromium-{pass}.log")))
                    .unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(3).collect();
                Err(PdfError::Failed {
                    detail: format!("{} ({status}) {}", self.program.display(), tail.join(" | ")),
                })
            }
        }
    }
}

/// The time limit of one print: a minute, and a minute more per MiB of HTML.
fn time_limit(html_bytes: usize) -> Duration {
    Duration::from_secs(60 + 60 * (html_bytes as u64 >> 20))
}

/// `path` as a `file:` URL (percent-encoding what a URL cannot hold).
fn file_url(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = abs.to_string_lossy().replace('\\', "/");
    let mut url = String::from(if text.starts_with('/') {
        "file://"
    } else {
        "file:///"
    });
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// Why a limited run stopped.
#[derive(Debug)]
pub enum RunError {
    Io(std::io::Error),
    TimedOut,
}

/// Runs `cmd` to its end, or kills it (and on Unix its whole process
/// group: the browser's helpers too) when `limit` is exceeded.
pub fn run_with_limit(
    mut cmd: Command,
    limit: Duration,
) -> Result<std::process::ExitStatus, RunError> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd.spawn().map_err(RunError::Io)?;
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().map_err(RunError::Io)? {
            return Ok(status);
        }
        if Instant::now() >= deadline {
            #[cfg(unix)]
            {
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .stderr(Stdio::null())
                    .status();
            }
            let _ = child.kill();
            let _ = child.wait();
            return Err(RunError::TimedOut);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn io_failed(e: std::io::Error) -> PdfError {
    PdfError::Failed {
        detail: e.to_string(),
    }
}

/// A file removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A private temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("gongshi-pdf-{}-{n}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_encoded() {
        // In the real temporary folder: `/tmp` here, `C:\Users\…\Temp` on
        // Windows, whose URL is `file:///C:/Users/…/Temp` (forward slashes).
        let temp = std::path::absolute(std::env::temp_dir()).unwrap();
        let folder = temp.to_string_lossy().replace('\\', "/");
        let folder = folder.trim_end_matches('/');
        let mut want = String::from(if folder.starts_with('/') {
            "file://"
        } else {
            "file:///"
        });
        for b in folder.bytes() {
            match b {
                b if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) => want.push(b as char),
                b => want.push_str(&format!("%{b:02X}")),
            }
        }
        want.push_str("/a%20b/%E5%85%AC%E7%A4%BA.html");
        assert_eq!(file_url(&temp.join("a b").join("公示.html")), want);
        assert!(!want.contains('\\'));
        #[cfg(unix)]
        assert_eq!(
            file_url(Path::new("/srv/a b/公示.html")),
            "file:///srv/a%20b/%E5%85%AC%E7%A4%BA.html"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_run_over_its_limit_is_killed() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 30 & sleep 30"]);
        let started = Instant::now();
        let r = run_with_limit(cmd, Duration::from_millis(300));
        assert!(matches!(r, Err(RunError::TimedOut)), "{r:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_configured_browser_that_is_missing_is_named() {
        let cfg = Booklet {
            pdf: true,
            chromium: Some("no/such/chrome".into()),
            ..Default::default()
        };
        let e = Printer::find(Path::new("/nonexistent"), &cfg).unwrap_err();
        assert_eq!(
            e,
            PdfError::NotFound {
                configured: Some("no/such/chrome".into())
            }
        );
        assert!(e.message(Lang::Zh).contains("no/such/chrome"));
    }
}
