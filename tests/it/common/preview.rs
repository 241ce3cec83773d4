//! The preview in-process (`serve::site::Session`, the server's own
//! rebuilds) beside `gongshi build` of the same content, to hold the two
//! to the same bytes.

use gongshi::serve::documents::Document;
use gongshi::serve::site::{Session, Snapshot, Update};
use gongshi::serve::watch::Changes;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// A preview session with its current snapshot.
pub struct Preview {
    pub session: Session,
    pub snapshot: Snapshot,
}

impl Preview {
    /// A session of `scope` over the site at `root`, reading the other
    /// versions from `root/site` as `gongshi serve` does, after its first
    /// (full) build.
    pub fn start(root: &Path, scope: &str) -> Preview {
        let mut p = Preview {
            session: Session::new(root, &root.join("site"), Some(scope.to_string())),
            snapshot: Snapshot::default(),
        };
        assert!(!p.rebuild(&Changes::all()), "the first build is a full one");
        p
    }

    /// Rebuilds after `changes`; true when the fast path took it.
    pub fn rebuild(&mut self, changes: &Changes) -> bool {
        let built = match self.session.rebuild(changes) {
            Ok(b) => b,
            Err(f) => panic!(
                "rebuild failed: {:?}",
                f.problems
                    .iter()
                    .map(|p| p.title(gongshi::i18n::Lang::En))
                    .collect::<Vec<_>>()
            ),
        };
        let patched = built.patched;
        let update = if patched {
            Update::Some(built.files, built.documents)
        } else {
            Update::All(built.files, built.documents)
        };
        self.snapshot = self.snapshot.next(update, None, None).0;
        patched
    }

    /// Every file the preview serves from the version folder, the
    /// documents (made on request) included.
    pub fn files(&self) -> BTreeMap<String, Arc<[u8]>> {
        let mut all = self.snapshot.files.clone();
        let pending = self.snapshot.documents.clone().expect("documents");
        for path in gongshi::render::DOCUMENTS {
            match pending.get(path) {
                Document::Ready(bytes) => {
                    all.insert(path.to_string(), bytes);
                }
                // booklet.docx without `booklet.docx: true`; a document
                // build writes and serve lacks fails the comparison
                Document::NotOne => {}
                _ => panic!("{path} was not made"),
            }
        }
        all
    }
}

/// Edits `rel` below `root` with `edit`, returning the watcher's changes.
pub fn edit(root: &Path, rel: &str, edit: impl Fn(&str) -> String) -> Changes {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let new = edit(&text);
    assert_ne!(new, text, "the edit of {rel} changes nothing");
    std::fs::write(&path, new).unwrap();
    let mut c = Changes::default();
    assert!(c.add(rel));
    c
}

/// `gongshi build --scope <scope>` of the site at `root` into `root/site`
/// (where the preview reads the other versions from), then every file of
/// the version folder it wrote.
pub fn built(root: &Path, scope: &str) -> BTreeMap<String, Arc<[u8]>> {
    let opts = gongshi::build::Options {
        scope: Some(scope.to_string()),
        ..Default::default()
    };
    let report = gongshi::build::build(root, &opts)
        .unwrap_or_else(|e| panic!("gongshi build --scope {scope} failed: {e:?}"));
    let dir = &report.audiences[0].2;
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).expect("below");
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.insert(rel, Arc::from(std::fs::read(entry.path()).expect("read")));
        }
    }
    files
}

/// The preview serves exactly the files `gongshi build` writes for
/// `scope`, byte for byte: fails naming the paths only one of them has
/// and the first files that differ.
pub fn assert_serves_what_build_writes(p: &Preview, root: &Path, scope: &str, what: &str) {
    let served = p.files();
    let built = built(root, scope);
    let only = |a: &BTreeMap<String, Arc<[u8]>>, b: &BTreeMap<String, Arc<[u8]>>| {
        a.keys()
            .filter(|k| !b.contains_key(*k))
            .cloned()
            .collect::<Vec<_>>()
    };
    let (only_served, only_built) = (only(&served, &built), only(&built, &served));
    assert!(
        only_served.is_empty() && only_built.is_empty(),
        "{what} ({scope}): served only {only_served:?}; built only {only_built:?}"
    );
    let differ: Vec<&String> = built
        .iter()
        .filter(|(path, bytes)| served[*path] != **bytes)
        .map(|(path, _)| path)
        .collect();
    assert!(
        differ.is_empty(),
        "{what} ({scope}): {} of {} files differ between serve and build, first {:?}",
        differ.len(),
        built.len(),
        &differ[..differ.len().min(5)]
    );
}
