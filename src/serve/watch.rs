//! Watching the site for changes: notify with notify-debouncer-full, then
//! our own coalescing, so a burst of saves is one rebuild.
//!
//! Watched: `gongshi.yaml` (through the site folder, not recursively),
//! `content/`, `themes/` and `static/` (recursively, each once it exists).
//! Access events (the build's own reads) and editors' temporary files are
//! ignored. Linked folders below them are not followed (the build does not
//! read through them either); each is named once in the terminal.

use notify::event::EventKind;
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, RecommendedCache};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long the debouncer holds an event (it also pairs renames).
const DEBOUNCE: Duration = Duration::from_millis(25);
/// After the first batch, further batches closer than this join it
/// (one "save all" in an editor).
const QUIET: Duration = Duration::from_millis(25);
/// Right after a rebuild, a new batch means the writer is saving in a burst
/// (or a tool is writing many files): wait for this much quiet instead.
const BURST_QUIET: Duration = Duration::from_millis(300);
/// How long after a rebuild counts as "right after".
const BURST_WINDOW: Duration = Duration::from_secs(1);
/// A rebuild happens at least this often while changes keep coming.
const MAX_WAIT: Duration = Duration::from_secs(2);

/// The folders watched recursively once they exist.
const FOLDERS: [&str; 3] = ["content", "themes", "static"];

/// What changed since the last rebuild, by the part of the site it touches.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Changed paths relative to the site root, with `/` separators.
    pub paths: BTreeSet<String>,
    pub config: bool,
    pub theme: bool,
    pub content: bool,
    pub statics: bool,
}

impl Changes {
    /// Everything: the first build.
    pub fn all() -> Changes {
        Changes {
            paths: BTreeSet::new(),
            config: true,
            theme: true,
            content: true,
            statics: true,
        }
    }

    pub fn is_empty(&self) -> bool {
        !(self.config || self.theme || self.content || self.statics)
    }

    /// Files the rebuild was for, for the terminal line: the first path and
    /// how many more.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        let mut it = self.paths.iter();
        match (it.next(), self.paths.len()) {
            (None, _) => String::new(),
            (Some(p), 1) => p.clone(),
            (Some(p), n) => crate::i18n::tr(
                lang,
                "serve.and_more",
                &[("first", p.clone()), ("n", n.to_string())],
            ),
        }
    }

    /// Whether the change was a deletion: every changed path is gone from
    /// the site folder `root`.
    pub fn all_gone(&self, root: &std::path::Path) -> bool {
        !self.paths.is_empty() && self.paths.iter().all(|p| !root.join(p).exists())
    }

    /// Records one changed path (relative to the root). Returns false when
    /// the path is not part of what a build reads.
    pub fn add(&mut self, rel: &str) -> bool {
        let mut parts = rel.split('/');
        let first = parts.next().unwrap_or("");
        let name = rel.rsplit('/').next().unwrap_or("");
        let relevant = match first {
            "gongshi.yaml" if rel == first => {
                self.config = true;
                true
            }
            "content" if rel == first || !is_scratch(name) => {
                self.content = true;
                true
            }
            "themes" => {
                self.theme = true;
                true
            }
            "static" => {
                self.statics = true;
                true
            }
            _ => false,
        };
        if relevant {
            self.paths.insert(rel.to_string());
        }
        relevant
    }
}

/// Editors' backup, swap and lock files: never content, never a rebuild.
fn is_scratch(name: &str) -> bool {
    crate::load::is_hidden_name(name)
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// The watcher and the batches it delivers.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    rx: Receiver<DebounceEventResult>,
    watched: BTreeSet<String>,
    last_rebuild: Option<Instant>,
    /// Linked folders found (relative paths), and those not yet told.
    linked: BTreeSet<String>,
    untold: Vec<String>,
}

impl Watcher {
    pub fn start(root: &Path) -> notify::Result<Watcher> {
        let (tx, rx) = mpsc::channel();
        // Never through a link: a linked folder may lead anywhere (/etc).
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut debouncer = new_debouncer_opt(DEBOUNCE, None, tx, RecommendedCache::new(), config)?;
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            debouncer,
            rx,
            watched: BTreeSet::new(),
            last_rebuild: None,
            linked: BTreeSet::new(),
            untold: Vec::new(),
        };
        w.watch_folders();
        for f in FOLDERS {
            let found: Vec<PathBuf> = walkdir::WalkDir::new(w.root.join(f))
                .min_depth(1)
                .sort_by_file_name()
                .into_iter()
                .flatten()
                .filter(|e| e.path_is_symlink())
                .map(|e| e.into_path())
                .collect();
            for p in found {
                w.note_link(&p);
            }
        }
        Ok(w)
    }

    /// Linked folders found since the last call (relative paths), to be
    /// named in the terminal as ignored.
    pub fn take_linked(&mut self) -> Vec<String> {
        std::mem::take(&mut self.untold)
    }

    /// Remembers `path` when it is a link to a folder.
    fn note_link(&mut self, path: &Path) {
        let is_link = path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink());
        if !is_link || !path.is_dir() {
            return;
        }
        let rel = crate::load::relative(&self.root, path);
        if self.linked.insert(rel.clone()) {
            self.untold.push(rel);
        }
    }

    /// Adds a recursive watch on each watched folder that exists now.
    fn watch_folders(&mut self) {
        for f in FOLDERS {
            let dir = self.root.join(f);
            if !self.watched.contains(f)
                && dir.is_dir()
                && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(f.to_string());
            } else if self.watched.contains(f) && !dir.is_dir() {
                let _ = self.debouncer.unwatch(&dir);
                self.watched.remove(f);
            }
        }
    }

    /// Tells the watcher a rebuild just finished (bursts are measured from it).
    pub fn rebuilt(&mut self) {
        self.last_rebuild = Some(Instant::now());
    }

    /// Waits for the next set of changes worth a rebuild; `None` when the
    /// watcher stopped.
    pub fn wait(&mut self) -> Option<Changes> {
        let mut changes = Changes::default();
        while changes.is_empty() {
            let batch = self.rx.recv().ok()?;
            self.absorb(batch, &mut changes);
        }
        let burst = self
            .last_rebuild
            .is_some_and(|t| t.elapsed() < BURST_WINDOW);
        let quiet = if burst { BURST_QUIET } else { QUIET };
        let started = Instant::now();
        while started.elapsed() < MAX_WAIT {
            match self.rx.recv_timeout(quiet) {
                Ok(batch) => self.absorb(batch, &mut changes),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        if changes.paths.iter().any(|p| !p.contains('/')) {
            // A watched folder appeared or went.
            self.watch_folders();
        }
        for p in &changes.paths {
            let path = self.root.join(p);
            self.note_link(&path);
        }
        Some(changes)
    }

    fn absorb(&self, batch: DebounceEventResult, changes: &mut Changes) {
        let Ok(events) = batch else { return };
        for e in events {
            if matches!(e.event.kind, EventKind::Access(_)) {
                continue;
            }
            for p in &e.event.paths {
                if let Ok(rel) = p.strip_prefix(&self.root) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    changes.add(&rel);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_sorted_into_parts() {
        let mut c = Changes::default();
        assert!(c.add("content/risks/R-001.md"));
        assert!(c.add("gongshi.yaml"));
        assert!(!c.add("site/internal/2025/index.html"));
        assert!(!c.add("content/risks/.R-001.md.swp"));
        assert!(!c.add("content/risks/R-001.md~"));
        assert!(c.add("themes/default/templates/risk.html"));
        assert!(c.add("static/logo.png"));
        assert!(c.config && c.content && c.theme && c.statics);
        assert_eq!(c.paths.len(), 4);
    }

    #[test]
    fn describe_names_the_first_file_and_counts() {
        let mut c = Changes::default();
        c.add("content/risks/R-001.md");
        assert_eq!(c.describe(crate::i18n::Lang::En), "content/risks/R-001.md");
        c.add("content/risks/R-002.md");
        assert!(c.describe(crate::i18n::Lang::En).contains('2'));
    }
}
