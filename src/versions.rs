//! Versions (历年版本): freezing a published version with its manifest,
//! re-verifying frozen versions, and the list of versions every page's
//! switcher reads.
//!
//! A version folder `site/<scope>/<version>/` is *frozen* once it holds
//! `manifest.json`: every file's path, size and SHA-256, the digest of the
//! content it was built from, the tool version and the time. A frozen
//! version is never rebuilt or overwritten.

use crate::model::Kind;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    pub files: Vec<FileEntry>,
}

/// Whether `out/<scope>/<version>` is frozen.
pub fn is_frozen(out: &Path, scope: &str, version: &str) -> bool {
    out.join(scope).join(version).join(MANIFEST).is_file()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file below `dir` but the manifest, hashed, sorted by path.
pub fn hash_tree(dir: &Path) -> std::io::Result<Vec<FileEntry>> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.map_err(std::io::Error::other)?;
        if !e.file_type().is_file() {
            continue;
        }
        let path = crate::load::relative(dir, e.path());
        if path == MANIFEST {
            continue;
        }
        let bytes = std::fs::read(e.path())?;
        out.push(FileEntry {
            path,
            size: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
        });
    }
    Ok(out)
}

/// A digest of the site's sources: the config and every content file.
pub fn content_digest(root: &Path) -> String {
    let mut h = Sha256::new();
    let mut files = vec![root.join(crate::config::FILE)];
    files.extend(crate::load::walk(root));
    for f in files {
        h.update(crate::load::relative(root, &f).as_bytes());
        h.update([0]);
        h.update(std::fs::read(&f).unwrap_or_default());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes the manifest of `out/<scope>/<version>`, freezing it.
pub fn freeze(
    out: &Path,
    scope: &str,
    version: &str,
    content_digest: &str,
) -> std::io::Result<Manifest> {
    let dir = out.join(scope).join(version);
    let manifest = Manifest {
        tool: format!("gongshi {}", env!("CARGO_PKG_VERSION")),
        version: version.to_string(),
        scope: scope.to_string(),
        content_digest: content_digest.to_string(),
        frozen_at: now_rfc3339(),
        files: hash_tree(&dir)?,
    };
    let text = serde_json::to_string_pretty(&manifest).map_err(std::io::Error::other)?;
    crate::write::file(&dir.join(MANIFEST), text.as_bytes())?;
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
}

/// Re-hashes every frozen version below `out` (`out/<scope>/<version>`).
/// Returns the number of versions checked and every problem found.
pub fn verify(out: &Path) -> (usize, Vec<Problem>) {
    let mut checked = 0;
    let mut problems = Vec::new();
    let mut manifests: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .min_depth(3)
        .max_depth(3)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == MANIFEST)
        .map(|e| e.into_path())
        .collect();
    manifests.sort();
    for m in manifests {
        let Some(dir) = m.parent() else { continue };
        checked += 1;
        let parsed: Option<Manifest> = std::fs::read(&m)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        let Some(manifest) = parsed else {
            problems.push(Problem::BadManifest(m.clone()));
            continue;
        };
        let now: BTreeMap<String, FileEntry> = match hash_tree(dir) {
            Ok(list) => list.into_iter().map(|f| (f.path.clone(), f)).collect(),
            Err(_) => BTreeMap::new(),
        };
        for f in &manifest.files {
            match now.get(&f.path) {
                None => problems.push(Problem::Missing(dir.join(&f.path))),
                Some(n) if n != f => problems.push(Problem::Changed(dir.join(&f.path))),
                Some(_) => {}
            }
        }
        for path in now.keys() {
            if !manifest.files.iter().any(|f| &f.path == path) {
                problems.push(Problem::Added(dir.join(path)));
            }
        }
    }
    (checked, problems)
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

    #[test]
    fn verify_finds_changed_missing_and_added() {
        let out = tempfile::tempdir().unwrap();
        let dir = out.path().join("public/2023");
        std::fs::create_dir_all(dir.join("risks")).unwrap();
        std::fs::write(dir.join("index.html"), "a").unwrap();
        std::fs::write(dir.join("risks/R-1.html"), "b").unwrap();
        freeze(out.path(), "public", "2023", "x").unwrap();
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
