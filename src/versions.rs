//! Versions (历年版本): freezing a published version with its manifest,
//! re-verifying frozen versions, and the list of versions every page's
//! switcher reads.
//!
//! A version folder `site/<scope>/<version>/` is *frozen* once it holds
//! `manifest.json`: every file's path, size and SHA-256, the digest of the
//! content it was built from, the tool version and the time. A frozen
//! version is never rebuilt or overwritten.
//!
//! What was frozen is also recorded outside the folders it protects, in
//! `site/published.json` (see [`Record`]): each published version with the
//! SHA-256 of its manifest. A deleted manifest therefore neither unfreezes
//! the version nor passes `verify`, and a replaced one is seen. The record
//! sits in the output root, beside the audience folders, so copying
//! `site/public/` to a portal never takes it along.

use crate::model::Kind;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod record;
pub use record::{Published, Record, RECORD};

/// The name of the manifest inside a version folder.
pub const MANIFEST: &str = "manifest.json";

/// One file of a frozen version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    pub scope: String,
    /// SHA-256 over the sources the version was built from.
    pub content_digest: String,
    /// When it was frozen (UTC, RFC 3339). Pages never carry it.
    pub frozen_at: String,
    /// Published with `--allow-unreviewed`: the items the widest audience
    /// sees that were unreviewed. Written only into the manifests of
    /// narrower audiences (or the only one), never where the public reads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreviewed: Vec<Unreviewed>,
    pub files: Vec<FileEntry>,
}

/// An item published unreviewed (see [`Manifest::unreviewed`]).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Unreviewed {
    /// `risk`, `power`…
    pub kind: String,
    pub id: String,
    pub title: String,
    /// The source file, relative to the site.
    pub file: String,
    /// `never`, `unverified` or `changed`.
    pub state: String,
    /// The fields changed since the stamp, when known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

/// Whether `out/<scope>/<version>` holds a manifest (of any kind of entry:
/// a link named `manifest.json` freezes too). See also [`Record`].
pub fn is_frozen(out: &Path, scope: &str, version: &str) -> bool {
    std::fs::symlink_metadata(out.join(scope).join(version).join(MANIFEST)).is_ok()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What kind of entry a non-regular one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Symlink,
    Fifo,
    Socket,
    Device,
    Other,
}

impl EntryKind {
    /// The kind of an entry that is neither a regular file nor a folder;
    /// `None` for those two.
    pub fn of(t: std::fs::FileType) -> Option<EntryKind> {
        if t.is_file() || t.is_dir() {
            return None;
        }
        if t.is_symlink() {
            return Some(EntryKind::Symlink);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                return Some(EntryKind::Fifo);
            }
            if t.is_socket() {
                return Some(EntryKind::Socket);
            }
            if t.is_block_device() || t.is_char_device() {
                return Some(EntryKind::Device);
            }
        }
        Some(EntryKind::Other)
    }

    /// The catalogue key of its name.
    pub fn key(self) -> &'static str {
        match self {
            EntryKind::Symlink => "cli.verify.kind_symlink",
            EntryKind::Fifo => "cli.verify.kind_fifo",
            EntryKind::Socket => "cli.verify.kind_socket",
            EntryKind::Device => "cli.verify.kind_device",
            EntryKind::Other => "cli.verify.kind_other",
        }
    }
}

/// A version folder as found: its regular files but the manifest, hashed
/// and sorted by path, and every entry that is neither a regular file nor
/// a folder (links are not followed).
#[derive(Debug, Default)]
pub struct Scan {
    pub files: Vec<FileEntry>,
    pub special: Vec<(String, EntryKind)>,
}

/// Scans `dir` (see [`Scan`]).
pub fn scan(dir: &Path) -> std::io::Result<Scan> {
    let mut out = Scan::default();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.map_err(std::io::Error::other)?;
        let path = crate::load::relative(dir, e.path());
        if let Some(kind) = EntryKind::of(e.file_type()) {
            out.special.push((path, kind));
            continue;
        }
        if !e.file_type().is_file() || path == MANIFEST {
            continue;
        }
        let bytes = std::fs::read(e.path())?;
        out.files.push(FileEntry {
            path,
            size: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
        });
    }
    Ok(out)
}

/// A digest of the site's sources: the config and every content file.
/// A file that cannot be read is returned with its error, never hashed
/// as empty.
pub fn content_digest(root: &Path) -> Result<String, (PathBuf, std::io::Error)> {
    let mut h = Sha256::new();
    let mut files = vec![root.join(crate::config::FILE)];
    files.extend(crate::load::walk(root));
    for f in files {
        let bytes = std::fs::read(&f).map_err(|e| (f.clone(), e))?;
        h.update(crate::load::relative(root, &f).as_bytes());
        h.update([0]);
        h.update(bytes);
        h.update([0]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Writes the manifest of `out/<scope>/<version>`, freezing it, and
/// enters it into `record` (saved at once). Refuses a folder holding
/// anything but regular files and folders. The caller holds the site lock.
pub fn freeze(
    out: &Path,
    scope: &str,
    version: &str,
    content_digest: &str,
    unreviewed: &[Unreviewed],
    record: &mut Record,
) -> std::io::Result<Manifest> {
    let dir = out.join(scope).join(version);
    let found = scan(&dir)?;
    if let Some((path, _)) = found.special.first() {
        let what = format!("{} is not a regular file", dir.join(path).display());
        return Err(std::io::Error::other(what));
    }
    let manifest = Manifest {
        tool: format!("gongshi {}", env!("CARGO_PKG_VERSION")),
        version: version.to_string(),
        scope: scope.to_string(),
        content_digest: content_digest.to_string(),
        frozen_at: now_rfc3339(),
        unreviewed: unreviewed.to_vec(),
        files: found.files,
    };
    let text = serde_json::to_string_pretty(&manifest).map_err(std::io::Error::other)?;
    crate::write::file(&dir.join(MANIFEST), text.as_bytes())?;
    record.put(Published {
        scope: scope.to_string(),
        version: version.to_string(),
        manifest_sha256: sha256_hex(text.as_bytes()),
        frozen_at: manifest.frozen_at.clone(),
    });
    record.save(out)?;
    Ok(manifest)
}

fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let day = crate::civil_date((secs / 86_400) as i64);
    let s = secs % 86_400;
    format!("{day}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

/// What verification found wrong with a frozen version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Changed(PathBuf),
    Missing(PathBuf),
    Added(PathBuf),
    BadManifest(PathBuf),
    /// An entry that is not a regular file or folder (a planted link…).
    NotRegular(PathBuf, EntryKind),
    /// `published.json` lists the version; its manifest is gone.
    ManifestMissing(PathBuf),
    /// The manifest is not the one `published.json` recorded.
    ManifestReplaced(PathBuf),
    /// `published.json` is unreadable.
    BadRecord(PathBuf),
}

/// Re-checks every frozen version below `out` (`out/<scope>/<version>`):
/// each one `published.json` lists and each holding a manifest. Returns
/// the number of versions checked and every problem found.
pub fn verify(out: &Path) -> (usize, Vec<Problem>) {
    let mut problems = Vec::new();
    let record = Record::load(out).unwrap_or_else(|_| {
        problems.push(Problem::BadRecord(out.join(RECORD)));
        Record::default()
    });
    let mut versions: std::collections::BTreeSet<(String, String)> = record
        .published
        .iter()
        .map(|p| (p.scope.clone(), p.version.clone()))
        .collect();
    versions.extend(record::manifests_on_disk(out));
    for (scope, version) in &versions {
        let recorded = record.find(scope, version);
        verify_one(out, scope, version, recorded, &mut problems);
    }
    (versions.len(), problems)
}

/// Checks one version folder against its manifest and the record.
fn verify_one(
    out: &Path,
    scope: &str,
    version: &str,
    recorded: Option<&Published>,
    problems: &mut Vec<Problem>,
) {
    let dir = out.join(scope).join(version);
    for p in [out.join(scope), dir.clone()] {
        if let Some(kind) = std::fs::symlink_metadata(&p)
            .ok()
            .and_then(|m| EntryKind::of(m.file_type()))
        {
            problems.push(Problem::NotRegular(p, kind));
            return;
        }
    }
    let m = dir.join(MANIFEST);
    let meta = std::fs::symlink_metadata(&m);
    if let Some(kind) = meta
        .as_ref()
        .ok()
        .and_then(|m| EntryKind::of(m.file_type()))
    {
        problems.push(Problem::NotRegular(m, kind));
        return;
    }
    let Ok(bytes) = std::fs::read(&m) else {
        problems.push(Problem::ManifestMissing(m));
        return;
    };
    if recorded.is_some_and(|r| r.manifest_sha256 != sha256_hex(&bytes)) {
        problems.push(Problem::ManifestReplaced(m.clone()));
    }
    let Ok(manifest) = serde_json::from_slice::<Manifest>(&bytes) else {
        problems.push(Problem::BadManifest(m));
        return;
    };
    let found = scan(&dir).unwrap_or_default();
    for (path, kind) in &found.special {
        problems.push(Problem::NotRegular(dir.join(path), *kind));
    }
    let now: BTreeMap<&str, &FileEntry> =
        found.files.iter().map(|f| (f.path.as_str(), f)).collect();
    for f in &manifest.files {
        match now.get(f.path.as_str()) {
            None => problems.push(Problem::Missing(dir.join(&f.path))),
            Some(n) if *n != f => problems.push(Problem::Changed(dir.join(&f.path))),
            Some(_) => {}
        }
    }
    for path in now.keys() {
        if !manifest.files.iter().any(|f| f.path == *path) {
            problems.push(Problem::Added(dir.join(path)));
        }
    }
}

/// `site/<scope>/versions-data.js`: the versions of one audience and the
/// item pages each has, for the version switcher on every page (a script,
/// so it loads from `file://`). Old, frozen versions read it too, so they
/// learn of newer versions without being rebuilt.
pub fn switcher_data(out: &Path, scope: &str) -> String {
    let mut versions = Vec::new();
    for v in crate::write::versions(out, scope) {
        let dir = out.join(scope).join(&v);
        let mut items: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for kind in Kind::FOLDERS {
            let mut ids: Vec<String> = std::fs::read_dir(dir.join(kind.folder()))
                .map(|rd| {
                    rd.flatten()
                        .filter_map(|e| {
                            e.file_name()
                                .to_str()
                                .and_then(|n| n.strip_suffix(".html"))
                                .map(String::from)
                        })
                        .filter(|n| n != "index")
                        .collect()
                })
                .unwrap_or_default();
            ids.sort();
            items.insert(kind.folder(), ids);
        }
        versions.push(serde_json::json!({"version": v, "items": items}));
    }
    format!(
        "window.GONGSHI_VERSIONS = {};\n",
        serde_json::Value::Array(versions)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that cannot be read is named, never hashed as empty (a
    /// manifest would record a digest of content it never read).
    #[test]
    fn an_unreadable_source_is_named_not_hashed_as_empty() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("content")).unwrap();
        std::fs::write(root.path().join("content/x.md"), "x").unwrap();
        let (path, _) = content_digest(root.path()).unwrap_err();
        assert_eq!(path, root.path().join(crate::config::FILE));
        std::fs::write(root.path().join(crate::config::FILE), "title: x").unwrap();
        let a = content_digest(root.path()).unwrap();
        std::fs::write(root.path().join("content/x.md"), "y").unwrap();
        assert_ne!(a, content_digest(root.path()).unwrap());
    }

    #[test]
    fn verify_finds_changed_missing_and_added() {
        let out = tempfile::tempdir().unwrap();
        let dir = out.path().join("public/2023");
        std::fs::create_dir_all(dir.join("risks")).unwrap();
        std::fs::write(dir.join("index.html"), "a").unwrap();
        std::fs::write(dir.join("risks/R-1.html"), "b").unwrap();
        freeze(
            out.path(),
            "public",
            "2023",
            "x",
            &[],
            &mut Record::default(),
        )
        .unwrap();
        assert_eq!(verify(out.path()), (1, vec![]));
        std::fs::write(dir.join("index.html"), "A").unwrap();
        std::fs::remove_file(dir.join("risks/R-1.html")).unwrap();
        std::fs::write(dir.join("new.html"), "c").unwrap();
        let (_, problems) = verify(out.path());
        assert_eq!(
            problems,
            vec![
                Problem::Changed(dir.join("index.html")),
                Problem::Missing(dir.join("risks/R-1.html")),
                Problem::Added(dir.join("new.html")),
            ]
        );
    }
}
