//! Sites on disk and the `gongshi` binary: copy a site into a temporary
//! folder, run a command on it with a time limit, read `check --format
//! json`, and hash a folder to prove a command left it alone.

use assert_cmd::Command;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// "Today" for every run, so rotation checks do not depend on the calendar.
pub const TODAY: &str = "2025-06-01";

/// A run that takes longer than this is killed and fails the test.
pub const TIME_LIMIT: Duration = Duration::from_secs(5);

/// `tests/bad_sites/` in the repository.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_sites")
}

/// `tests/bad_sites/_base/`: the minimal valid site every case builds on.
pub fn base() -> PathBuf {
    corpus().join("_base")
}

/// A temporary folder holding a copy of `_base`.
pub fn base_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&base(), dir.path());
    dir
}

/// A temporary folder holding a copy of the repository's example site
/// (`gongshi.yaml`, `content/` and `static/`), to change.
pub fn example_copy() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo.join("content"), &dir.path().join("content"));
    copy_tree(&repo.join("static"), &dir.path().join("static"));
    std::fs::copy(repo.join("gongshi.yaml"), dir.path().join("gongshi.yaml")).expect("copy");
    dir
}

/// Copies every file below `from` into `to`, replacing what is there.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("below");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Every file below `dir` (relative path → SHA-256), to compare before and after.
pub fn hash_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).expect("read");
            let rel = entry.path().strip_prefix(dir).expect("below");
            let hash: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            out.insert(rel.to_string_lossy().replace('\\', "/"), hash);
        }
    }
    out
}

/// The site's sources: `content/` and `gongshi.yaml`, hashed.
pub fn hash_sources(root: &Path) -> BTreeMap<String, String> {
    let mut out = hash_tree(&root.join("content"));
    let config = root.join("gongshi.yaml");
    if config.exists() {
        let bytes = std::fs::read(&config).expect("read config");
        out.insert(
            "../gongshi.yaml".into(),
            format!("{:x}", Sha256::digest(&bytes)),
        );
    }
    out
}

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `gongshi ARGS` with `GONGSHI_TODAY` set, killing it after
/// [`TIME_LIMIT`]. Fails when it was killed or when it panicked.
pub fn gongshi(args: &[&str]) -> Run {
    gongshi_on(args, TODAY)
}

/// A path as a command-line argument.
pub fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The example site made by `gongshi init` in `dir/site`.
pub fn init_example(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    assert_eq!(gongshi(&["init", arg(&site)]).code, 0);
    site
}

/// `gongshi --root SITE import FILE --kind KIND EXTRA…`.
pub fn import(site: &Path, file: &Path, kind: &str, extra: &[&str]) -> Run {
    let mut args = vec!["--root", arg(site), "import", arg(file), "--kind", kind];
    args.extend_from_slice(extra);
    gongshi(&args)
}

/// `gongshi check` on `site` exits 0.
pub fn check_passes(site: &Path) {
    let r = gongshi(&["--root", arg(site), "check"]);
    assert_eq!(r.code, 0, "check failed:\n{}{}", r.stdout, r.stderr);
}

/// Like [`gongshi`], with another "today".
pub fn gongshi_on(args: &[&str], today: &str) -> Run {
    try_gongshi(args, today).unwrap_or_else(|e| panic!("{e}"))
}

/// Like [`gongshi_on`], but a timeout or panic comes back as `Err`.
pub fn try_gongshi(args: &[&str], today: &str) -> Result<Run, String> {
    let out = Command::cargo_bin("gongshi")
        .expect("the gongshi binary")
        .args(args)
        .env("GONGSHI_TODAY", today)
        .timeout(TIME_LIMIT)
        .output()
        .map_err(|e| format!("gongshi {args:?} could not run: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if stderr.contains("panicked") {
        return Err(format!("gongshi {args:?} panicked:\n{stderr}"));
    }
    let Some(code) = out.status.code() else {
        return Err(format!(
            "gongshi {args:?} did not finish within {TIME_LIMIT:?} and was killed"
        ));
    };
    Ok(Run {
        code,
        stdout,
        stderr,
    })
}

/// One diagnostic of `check --format json`.
#[derive(Debug, Clone)]
pub struct Diag {
    pub code: String,
    pub severity: String,
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
    pub hint: Option<String>,
    pub source: String,
}

impl Diag {
    /// `path:line:column`, as the text output shows it.
    pub fn place(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The document `check --format json` prints.
#[derive(Debug)]
pub struct Report {
    pub errors: u64,
    pub warnings: u64,
    pub diagnostics: Vec<Diag>,
}

/// Parses `check --format json` output, insisting on the documented shape:
/// every diagnostic has file, line, column, code, severity and message.
pub fn parse_report(stdout: &str) -> Result<Report, String> {
    let v: Value =
        serde_json::from_str(stdout).map_err(|e| format!("not JSON ({e}):\n{stdout}"))?;
    let count = |k: &str| {
        v.get(k)
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("no number `{k}` in {v}"))
    };
    let list = v
        .get("diagnostics")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("no `diagnostics` array in {v}"))?;
    let mut diagnostics = Vec::new();
    for d in list {
        let text = |k: &str| {
            d.get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("diagnostic without text `{k}`: {d}"))
        };
        let num = |k: &str| {
            d.get(k)
                .and_then(Value::as_u64)
                .filter(|n| *n >= 1)
                .ok_or_else(|| format!("diagnostic without a 1-based `{k}`: {d}"))
        };
        let severity = text("severity")?;
        if severity != "error" && severity != "warning" {
            return Err(format!("severity is neither error nor warning: {d}"));
        }
        diagnostics.push(Diag {
            code: text("code")?,
            severity,
            file: text("file")?,
            line: num("line")?,
            column: num("column")?,
            message: text("message")?,
            hint: d.get("hint").and_then(Value::as_str).map(str::to_string),
            source: d
                .get("source")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        });
    }
    let report = Report {
        errors: count("errors")?,
        warnings: count("warnings")?,
        diagnostics,
    };
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == "error")
        .count() as u64;
    if errors != report.errors || report.diagnostics.len() as u64 != errors + report.warnings {
        return Err(format!("counts disagree with the list: {v}"));
    }
    Ok(report)
}

/// Runs `check --format json` on `root` (with `--lang` when given).
pub fn check_json(root: &Path, lang: Option<&str>) -> (i32, Report) {
    let root = root.to_str().expect("utf-8 path");
    let mut args = vec!["check", "--format", "json", "--root", root];
    if let Some(l) = lang {
        args.extend(["--lang", l]);
    }
    let run = gongshi(&args);
    let report = parse_report(&run.stdout).unwrap_or_else(|e| panic!("{e}"));
    (run.code, report)
}

/// Writes `text` to `path` encoded as GBK (as older Windows editors save).
pub fn write_gbk(path: &Path, text: &str) {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "text not representable in GBK: {text}");
    std::fs::write(path, bytes).expect("write gbk");
}

/// Whether `s` has a Chinese (Han) character.
pub fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Builds the repository's example site into a fresh folder, with `extra`
/// arguments to `gongshi build` (e.g. `--scope internal`).
pub fn build_example(extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    Command::cargo_bin("gongshi")
        .expect("gongshi binary")
        .args(["build", "--quiet", "--root", env!("CARGO_MANIFEST_DIR")])
        .args(extra)
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    out
}
