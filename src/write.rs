//! Stage 6, write: put rendered files on disk atomically.
//!
//! A version folder is written in full beside its target
//! (`site/.gongshi-staging-<scope>-<version>-<pid>-<n>`), then renamed into
//! place; the old folder, if any, is moved aside first
//! (`.gongshi-old-…`) and deleted only after the new one is live. A failed
//! or interrupted build therefore leaves the previous output as it was.
//!
//! Both kinds of folder hold a marker file naming the process that made
//! them. The next build (holding the site lock, see `lock`) sweeps only
//! folders with gongshi's prefix *and* a marker naming a process that is no
//! longer running (or that are empty): nothing else in the
//! output folder is ever removed. A version a killed build had moved aside
//! before its replacement was in place is put back, not removed.

use std::io;
use std::path::{Path, PathBuf};

/// One output file, path relative to the version folder: what renderers
/// give a [`Sink`].
#[derive(Debug, Clone)]
pub struct Rendered {
    pub path: String,
    pub bytes: Vec<u8>,
}

const STAGING_PREFIX: &str = ".gongshi-staging-";
const OLD_PREFIX: &str = ".gongshi-old-";
const TMP_PREFIX: &str = ".gongshi-tmp-";
/// The marker inside a staging or old folder (taken out before a staging
/// folder becomes a version folder).
const MARKER: &str = ".gongshi-owner";
/// The marker's first line.
const MARKER_HEAD: &str = "gongshi build leftovers";
/// The folder inside a `.gongshi-old-…` folder that holds the version
/// being replaced.
const ASIDE: &str = "version";

/// Where rendered files go: a staging folder on disk, or memory (serve,
/// tests). Renderers write through it from many threads at once.
pub trait Sink: Sync {
    /// Stores one file; `path` is relative to the version folder.
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()>;
}

/// Files kept in memory, by path: a file put again replaces the earlier
/// one.
#[derive(Default)]
pub struct Memory(std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>);

impl Memory {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<Rendered> {
        let files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files
            .into_iter()
            .map(|(path, bytes)| Rendered { path, bytes })
            .collect()
    }
}

impl Sink for Memory {
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path.to_string(), bytes);
        Ok(())
    }
}

/// Passes every file on to `inner` and keeps a copy of those `keep` wants
/// (the booklet and the static files the PDF printer needs).
pub struct Tee<'a, F: Fn(&str) -> bool + Sync> {
    pub inner: &'a dyn Sink,
    pub keep: F,
    pub kept: Memory,
}

impl<F: Fn(&str) -> bool + Sync> Sink for Tee<'_, F> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        if (self.keep)(path) {
            self.kept.put(path, bytes.clone())?;
        }
        self.inner.put(path, bytes)
    }
}

/// A version folder being written: files go to a temporary folder beside
/// the target; [`Staging::commit`] swaps it into place. Dropped without a
/// commit (an error on the way), the temporary folder is removed.
pub struct Staging {
    tmp: PathBuf,
    out: PathBuf,
    scope: String,
    version: String,
    committed: bool,
    /// Folders made so far (relative), so that each file costs only its
    /// own open and write.
    made: std::sync::Mutex<std::collections::BTreeSet<String>>,
    /// The folder this build replaces, when there is one: a file whose
    /// bytes did not change is linked from it instead of written again.
    previous: Option<PathBuf>,
}

impl Staging {
    pub fn new(out: &Path, scope: &str, version: &str) -> io::Result<Staging> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = out.join(format!(
            "{STAGING_PREFIX}{scope}-{version}-{}-{n}",
            std::process::id()
        ));
        std::fs::create_dir_all(out)?;
        std::fs::create_dir(&tmp)?;
        mark(&tmp)?;
        let previous = Some(out.join(scope).join(version)).filter(|p| p.is_dir());
        Ok(Staging {
            tmp,
            out: out.to_path_buf(),
            scope: scope.into(),
            version: version.into(),
            committed: false,
            made: Default::default(),
            previous,
        })
    }

    /// The temporary folder (for printing the booklet from it).
    pub fn dir(&self) -> &Path {
        &self.tmp
    }

    /// Moves the staged folder to `out/<scope>/<version>`, replacing the old one.
    pub fn commit(mut self) -> io::Result<PathBuf> {
        std::fs::remove_file(self.tmp.join(MARKER))?;
        let target = swap(&self.tmp, &self.out, &self.scope, &self.version)?;
        self.committed = true;
        Ok(target)
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        let p = safe_join(&self.tmp, path)?;
        if let Some((folder, _)) = path.rsplit_once('/') {
            let made = || self.made.lock().unwrap_or_else(|e| e.into_inner());
            let known = made().contains(folder);
            if !known {
                std::fs::create_dir_all(self.tmp.join(folder))?;
                made().insert(folder.to_string());
            }
        }
        if let Some(old) = self.unchanged(path, &bytes) {
            if std::fs::hard_link(old, &p).is_ok() {
                return Ok(());
            }
        }
        if self.previous.is_some() {
            // A path put twice may already be a link into the folder being
            // replaced: unlink it rather than write through it.
            let _ = std::fs::remove_file(&p);
        }
        std::fs::write(p, bytes)
    }
}

impl Staging {
    /// The file of the folder being replaced at `path`, when it holds
    /// exactly `bytes`. Linking such a file keeps its date, so copying the
    /// site elsewhere (rsync, a deploy) can skip it too.
    fn unchanged(&self, path: &str, bytes: &[u8]) -> Option<PathBuf> {
        let old = safe_join(self.previous.as_ref()?, path).ok()?;
        let same_size = std::fs::symlink_metadata(&old)
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
        (same_size && std::fs::read(&old).is_ok_and(|b| b == bytes)).then_some(old)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Writes `files` as the folder `out/<scope>/<version>`, atomically.
pub fn version(out: &Path, scope: &str, version: &str, files: &[Rendered]) -> io::Result<PathBuf> {
    let staging = Staging::new(out, scope, version)?;
    for f in files {
        staging.put(&f.path, f.bytes.clone())?;
    }
    staging.commit()
}

/// Renames the finished folder `tmp` to `out/<scope>/<version>`: the old
/// folder is moved aside first and deleted once the new one is in place.
/// "Aside" is into a marked folder made beforehand
/// (`.gongshi-old-<scope>-<version>-<pid>/version`), so that a build killed
/// at any moment leaves only marked or empty folders, and [`sweep`] can
/// tell a version that must be put back from one that was replaced.
fn swap(tmp: &Path, out: &Path, scope: &str, version: &str) -> io::Result<PathBuf> {
    let pid = std::process::id();
    let scope_dir = out.join(scope);
    std::fs::create_dir_all(&scope_dir)?;
    let target = scope_dir.join(version);
    let holder = out.join(format!("{OLD_PREFIX}{scope}-{version}-{pid}"));
    if holder.exists() {
        // This process's own, from an earlier swap that failed.
        std::fs::remove_dir_all(&holder)?;
    }
    let aside = holder.join(ASIDE);
    let moved = target.exists();
    if moved {
        std::fs::create_dir(&holder)?;
        let text = format!("{MARKER_HEAD}\npid {pid}\nversion {scope}/{version}\n");
        std::fs::write(holder.join(MARKER), text)?;
        std::fs::rename(&target, &aside)?;
    }
    if let Err(e) = std::fs::rename(tmp, &target) {
        if moved {
            let _ = std::fs::rename(&aside, &target);
        }
        return Err(e);
    }
    if moved {
        std::fs::remove_dir_all(&holder)?;
    }
    Ok(target)
}

/// Writes one file atomically: a temporary file beside it, then rename.
pub fn file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!("{TMP_PREFIX}{name}-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Writes the marker naming this process into `dir`.
fn mark(dir: &Path) -> io::Result<()> {
    let text = format!("{MARKER_HEAD}\npid {}\n", std::process::id());
    std::fs::write(dir.join(MARKER), text)
}

/// The process named by `dir`'s marker, when `dir` is a real folder (not a
/// link) holding a regular marker file written by gongshi.
fn marked_by(dir: &Path) -> Option<u32> {
    let is_dir = std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    let marker = dir.join(MARKER);
    let is_file = std::fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file() && m.len() < 256);
    if !(is_dir && is_file) {
        return None;
    }
    let text = std::fs::read_to_string(marker).ok()?;
    let mut lines = text.lines();
    (lines.next()? == MARKER_HEAD).then_some(())?;
    lines.next()?.strip_prefix("pid ")?.parse().ok()
}

/// Whether process `pid` is running (another than this one). Where that
/// cannot be asked, the site lock alone says no other build is running.
fn running(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        false
    }
}

/// Deletes what interrupted builds left in `out`: folders named with
/// gongshi's prefixes whose marker names a process no longer running, and
/// empty ones (a build killed before it marked one). A
/// version such a build had moved aside while its target is still missing
/// is put back first. Anything else, the operator's own `.tmp-*` files
/// included, stays. Called with the site lock held.
pub fn sweep(out: &Path) -> io::Result<()> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if !(name.starts_with(STAGING_PREFIX) || name.starts_with(OLD_PREFIX)) {
            continue;
        }
        let p = e.path();
        if std::fs::remove_dir(&p).is_ok() {
            continue; // empty: killed before its marker was written
        }
        if marked_by(&p).is_some_and(|pid| !running(pid)) {
            if let Some(target) = put_back_to(out, &p) {
                std::fs::rename(p.join(ASIDE), target)?;
            }
            std::fs::remove_dir_all(&p)?;
        }
    }
    Ok(())
}

/// Where the version moved aside into `holder` goes back to: the
/// `<scope>/<version>` its marker names, when that folder is missing and
/// the holder still has the version.
fn put_back_to(out: &Path, holder: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(holder.join(MARKER)).ok()?;
    let named = text.lines().find_map(|l| l.strip_prefix("version "))?;
    let (scope, version) = named.split_once('/')?;
    let plain = |s: &str| !s.is_empty() && s != ".." && s != "." && !s.contains(['/', '\\']);
    let target = out.join(scope).join(version);
    let back = plain(scope) && plain(version) && holder.join(ASIDE).is_dir() && !target.exists();
    back.then_some(target)
}

/// The version folders found under `out/<scope>/`, newest first.
pub fn versions(out: &Path, scope: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(out.join(scope))
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    sort_versions(&mut v);
    v
}

/// Sorts version names newest first ("2025-v2", "2025", "2024", …).
pub fn sort_versions(v: &mut [String]) {
    v.sort_by_key(|x| std::cmp::Reverse(natural(x)));
}

/// A sort key that orders "2024" < "2025" < "2025-v2" and "9" < "10".
fn natural(s: &str) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    let mut num = String::new();
    let mut text = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !text.is_empty() {
                out.push((0, std::mem::take(&mut text)));
            }
            num.push(c);
        } else {
            if !num.is_empty() {
                out.push((num.parse().unwrap_or(u64::MAX), String::new()));
                num.clear();
            }
            text.push(c);
        }
    }
    if !num.is_empty() {
        out.push((num.parse().unwrap_or(u64::MAX), String::new()));
    }
    if !text.is_empty() {
        out.push((0, text));
    }
    out
}

/// `base/rel`, refusing paths that would leave `base`.
fn safe_join(base: &Path, rel: &str) -> io::Result<PathBuf> {
    let bad = rel
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
        || rel.contains('\\');
    if bad {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, rel.to_string()));
    }
    Ok(base.join(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_replaces_by_path_and_reads_sorted() {
        let m = Memory::default();
        m.put("b.html", b"one".to_vec()).unwrap();
        m.put("a.html", b"two".to_vec()).unwrap();
        m.put("b.html", b"three".to_vec()).unwrap();
        let files: Vec<(String, Vec<u8>)> = m
            .into_files()
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect();
        assert_eq!(
            files,
            vec![
                ("a.html".to_string(), b"two".to_vec()),
                ("b.html".to_string(), b"three".to_vec()),
            ]
        );
    }

    #[test]
    fn versions_sort_newest_first() {
        let mut v = vec!["2023", "2025", "2024", "2025-v2", "9"];
        v.sort_by_key(|x| std::cmp::Reverse(natural(x)));
        assert_eq!(v, ["2025-v2", "2025", "2024", "2023", "9"]);
    }

    #[test]
    fn a_path_put_twice_never_writes_into_the_version_it_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let f = |b: &str| Rendered {
            path: "static/a.css".into(),
            bytes: b.as_bytes().to_vec(),
        };
        version(dir.path(), "public", "2025", &[f("A")]).unwrap();
        let old = dir.path().join("public/2025/static/a.css");
        let staging = Staging::new(dir.path(), "public", "2025").unwrap();
        staging.put("static/a.css", b"A".to_vec()).unwrap(); // linked
        staging.put("static/a.css", b"B".to_vec()).unwrap(); // over it
        assert_eq!(std::fs::read(&old).unwrap(), b"A");
        drop(staging);
        assert_eq!(std::fs::read(&old).unwrap(), b"A");
    }

    /// The id of a process that has ended.
    #[cfg(target_os = "linux")]
    fn ended_process() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let ended = child.id();
        child.wait().unwrap();
        ended
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn sweep_removes_only_marked_folders_of_ended_processes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let ended = ended_process();
        let folder = |name: &str, marker: Option<String>| {
            std::fs::create_dir_all(out.join(name)).unwrap();
            std::fs::write(out.join(name).join("index.html"), "x").unwrap();
            if let Some(m) = marker {
                std::fs::write(out.join(name).join(MARKER), m).unwrap();
            }
        };
        let marker = |pid: u32| Some(format!("{MARKER_HEAD}\npid {pid}\n"));
        folder(".gongshi-staging-public-2025-1-0", marker(ended));
        folder(".gongshi-old-public-2025-1", marker(ended));
        folder(".gongshi-staging-public-2025-2-0", None);
        folder(".gongshi-staging-public-2025-3-0", Some("pid 1".into()));
        folder(".tmp-public-2025-4", marker(ended));
        let parent = std::os::unix::process::parent_id();
        folder(".gongshi-staging-public-2025-5-0", marker(parent));
        sweep(out).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".gongshi-staging-public-2025-2-0",
                ".gongshi-staging-public-2025-3-0",
                ".gongshi-staging-public-2025-5-0",
                ".tmp-public-2025-4"
            ]
        );
    }

    /// A build killed while it swapped: the old version moved aside but
    /// the new one not yet in place. The next build's sweep puts the old
    /// version back instead of deleting the only copy; a build killed
    /// before it moved anything leaves an empty folder, also swept.
    #[test]
    #[cfg(target_os = "linux")]
    fn sweep_puts_back_a_version_moved_aside_by_a_killed_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let ended = ended_process();
        let holder = out.join(format!("{OLD_PREFIX}public-2025-{ended}"));
        std::fs::create_dir_all(holder.join(ASIDE)).unwrap();
        std::fs::write(holder.join(ASIDE).join("index.html"), "old").unwrap();
        let text = format!("{MARKER_HEAD}\npid {ended}\nversion public/2025\n");
        std::fs::write(holder.join(MARKER), text).unwrap();
        std::fs::create_dir_all(out.join("public")).unwrap();
        let empty = out.join(format!("{OLD_PREFIX}internal-2025-{ended}"));
        std::fs::create_dir_all(&empty).unwrap();
        let staging = out.join(format!("{STAGING_PREFIX}internal-2025-{ended}-0"));
        std::fs::create_dir_all(&staging).unwrap();
        sweep(out).unwrap();
        let index = out.join("public/2025/index.html");
        assert_eq!(std::fs::read_to_string(index).unwrap(), "old");
        assert!(!holder.exists() && !empty.exists() && !staging.exists());
    }

    #[test]
    fn swap_replaces_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let f = |p: &str, b: &str| Rendered {
            path: p.into(),
            bytes: b.as_bytes().to_vec(),
        };
        version(
            dir.path(),
            "public",
            "2025",
            &[f("index.html", "a"), f("x/y.html", "b")],
        )
        .unwrap();
        version(dir.path(), "public", "2025", &[f("index.html", "c")]).unwrap();
        let target = dir.path().join("public/2025");
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "c"
        );
        assert!(!target.join("x").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(version(dir.path(), "public", "2025", &[f("../evil", "x")]).is_err());
    }
}
