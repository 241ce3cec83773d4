//! Where a path really leads, for the two commands that write files a
//! user names or a ledger implies: `import` keeps its files inside
//! `content/` (never through a link leading elsewhere), `export -o` keeps
//! out of the site's sources.

use std::path::{Component, Path, PathBuf};

/// `path` made absolute with every existing link on the way resolved
/// (`..` taken after the link, as the system does); the part that does
/// not exist yet is appended as written.
pub fn resolve(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => {
                out.push(c);
                if let Ok(real) = std::fs::canonicalize(&out) {
                    out = real;
                }
            }
        }
    }
    out
}

/// Whether `path` leads into the sources of the site at `root`: a file
/// under `content/` or `gongshi.yaml`.
pub fn in_sources(root: &Path, path: &Path) -> bool {
    let target = resolve(path);
    let content = resolve(&root.join("content"));
    let config = resolve(&root.join("gongshi.yaml"));
    target.starts_with(&content) || target == config
}

/// The first link on the way from `content/` to `rel` (a path relative to
/// `root`) that leads out of `content/` or nowhere: the link (relative to
/// `root`) and where it points. `None` when writing `rel` stays inside.
pub fn link_out_of_content(root: &Path, rel: &str) -> Option<(String, String)> {
    let content = resolve(&root.join("content"));
    let inside = |p: &Path| std::fs::canonicalize(p).is_ok_and(|real| real.starts_with(&content));
    let mut at = root.join("content");
    let below = Path::new(rel).strip_prefix("content").ok()?;
    for c in below.components() {
        at.push(c);
        let is_link = std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink());
        if is_link && !inside(&at) {
            let to = std::fs::read_link(&at)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            let name = at.strip_prefix(root).unwrap_or(&at);
            return Some((name.to_string_lossy().replace('\\', "/"), to));
        }
    }
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_before_dot_dot() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/risks")).unwrap();
        std::fs::create_dir_all(dir.path().join("else/deep")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("else/deep"), root.join("out")).unwrap();
        // site/out/../x is else/x, not site/x
        let r = resolve(&root.join("out/../x"));
        assert_eq!(r, std::fs::canonicalize(dir.path()).unwrap().join("else/x"));
        assert!(in_sources(&root, &root.join("content/risks/new.md")));
        assert!(in_sources(&root, &root.join("content/../gongshi.yaml")));
        assert!(!in_sources(&root, &root.join("register.csv")));
        assert_eq!(link_out_of_content(&root, "content/risks/R-1.md"), None);
        std::os::unix::fs::symlink("/nowhere", root.join("content/risks/R-1.md")).unwrap();
        let (link, to) = link_out_of_content(&root, "content/risks/R-1.md").unwrap();
        assert_eq!(
            (link.as_str(), to.as_str()),
            ("content/risks/R-1.md", "/nowhere")
        );
    }
}
