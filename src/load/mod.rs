//! Stage 1, load: walk `content/`, decode each file, split the front
//! matter and parse its YAML. Nothing here knows what a risk is; the
//! result is a list of documents with their kind, fields and spans.

pub mod decode;
pub mod frontmatter;
mod syntax;
pub mod yaml;

use crate::diag::{Code, Diagnostic, Location};
use crate::kind::Kind;
use rayon::prelude::*;
use serde_yaml::{Mapping, Value};
use std::path::{Path, PathBuf};

pub use decode::Encoding;
pub use yaml::SpanIndex;

/// One content file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// Decoded text, line ends normalised to LF.
    pub text: String,
    pub encoding: Encoding,
    /// Where the Markdown body starts in `text`.
    pub body_start: usize,
    /// Field paths to spans in `text`.
    pub spans: SpanIndex,
    /// When the file was last changed on disk (unknown for text that was
    /// not read from a file): which of two copies is the newer.
    pub modified: Option<std::time::SystemTime>,
}

impl SourceFile {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// A location for byte range `start..end` of the text.
    pub fn locate(&self, start: usize, end: usize) -> Location {
        Location::in_text(&self.path, &self.text, start, end)
    }

    /// The location of a field's value (or its nearest ancestor; else line 1).
    pub fn field(&self, path: &str) -> Location {
        match self.spans.value_or_parent(path) {
            Some((a, b)) => self.locate(a, b),
            None => self.locate(0, 3),
        }
    }

    /// The location of a field's key.
    pub fn field_key(&self, path: &str) -> Location {
        match self.spans.key_or_parent(path) {
            Some((a, b)) => self.locate(a, b),
            None => self.locate(0, 3),
        }
    }
}

/// A parsed document: its kind and its front-matter fields.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Index into [`Loaded::sources`].
    pub src: usize,
    pub kind: Kind,
    pub front: Mapping,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Vec<SourceFile>,
    pub docs: Vec<Doc>,
    pub diags: Vec<Diagnostic>,
}

/// Lists the Markdown files below `content/`, sorted, skipping hidden
/// files and editors' temporary files.
pub fn walk(root: &Path) -> Vec<PathBuf> {
    let (mut files, _) = walk_all(root);
    files.retain(|p| is_content_file(p));
    files
}

/// Every visible file below `content/`: (all files sorted, the ones that
/// are not Markdown and will be ignored).
fn walk_all(root: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let content = root.join("content");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let ignored = files
        .iter()
        .filter(|p| !is_content_file(p))
        .cloned()
        .collect();
    (files, ignored)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    is_hidden_name(&name.to_string_lossy())
}

/// A hidden file or an editor's backup or lock (`.x`, `~$x.md`, `#x#`,
/// `x~`): never content. The walk skips it, and `serve` does not rebuild
/// for it.
pub fn is_hidden_name(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('~') || name.starts_with('#') || name.ends_with('~')
}

/// A text file Notepad saved with a hidden `.txt` (`R-032.md.txt`,
/// `R-032.txt`): the name it should have (`R-032.md`).
fn hidden_extension(rel: &str) -> Option<String> {
    let name = rel.rsplit('/').next()?;
    let lower = name.to_ascii_lowercase();
    let stem = &name[..lower.strip_suffix(".txt")?.len()];
    let stem = stem
        .strip_suffix(".md")
        .or_else(|| stem.strip_suffix(".MD"))
        .unwrap_or(stem);
    Some(format!("{stem}.md"))
}

fn is_content_file(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Reads and parses every content file below `root/content`.
pub fn load(root: &Path) -> Loaded {
    let (mut files, ignored) = walk_all(root);
    files.retain(|p| is_content_file(p));
    let results: Vec<FileResult> = files.par_iter().map(|path| load_file(root, path)).collect();
    let mut loaded = Loaded::default();
    for p in ignored {
        let rel = relative(root, &p);
        let at = Location::file_only(&rel);
        let d = match hidden_extension(&rel) {
            Some(name) => Diagnostic::new(Code::HiddenExtension, Some(at)).arg("name", name),
            None => Diagnostic::new(Code::IgnoredFile, Some(at)),
        };
        loaded.diags.push(d);
    }
    for result in results {
        loaded.add(result);
    }
    loaded
}

impl Loaded {
    /// Adds one file's result (from [`parse_document`]), in walk order.
    pub fn add(&mut self, (src, doc, diags): FileResult) {
        self.diags.extend(diags);
        if let Some(src) = src {
            let idx = self.sources.len();
            self.sources.push(src);
            if let Some((kind, front)) = doc {
                self.docs.push(Doc {
                    src: idx,
                    kind,
                    front,
                });
            }
        }
    }
}

/// The path of `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What loading one file gives: its source (unless unreadable or binary),
/// its kind and fields (unless the front matter is unusable), diagnostics.
pub type FileResult = (Option<SourceFile>, Option<(Kind, Mapping)>, Vec<Diagnostic>);

fn load_file(root: &Path, path: &Path) -> FileResult {
    let rel = relative(root, path);
    match read(path) {
        Ok((bytes, modified)) => {
            let (mut src, doc, diags) = parse_document(&rel, bytes);
            if let Some(src) = &mut src {
                src.modified = modified;
            }
            (src, doc, diags)
        }
        Err(e) => {
            let problem = match e.kind() {
                std::io::ErrorKind::PermissionDenied => "io.permission_denied",
                std::io::ErrorKind::NotFound => "io.not_found",
                _ => "io.other",
            };
            let d = Diagnostic::new(Code::NotText, Some(Location::file_only(&rel)))
                .arg("detail", e.to_string())
                .arg("problem", problem);
            (None, None, vec![d])
        }
    }
}

/// A file's bytes and its modification time, from one open file.
fn read(path: &Path) -> std::io::Result<(Vec<u8>, Option<std::time::SystemTime>)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0) + 1);
    file.read_to_end(&mut bytes)?;
    Ok((bytes, meta.modified().ok()))
}

/// Decodes, splits and parses one content file's bytes, without touching
/// the disk: `rel` is its path relative to the site root (`content/…`),
/// which also decides its kind. Pure, so the fuzz target
/// `fuzz/fuzz_targets/site.rs` calls it on arbitrary bytes. Bytes handed
/// over (a `Vec`) become the text without a copy when they are plain UTF-8.
pub fn parse_document(rel: &str, bytes: impl Into<Vec<u8>>) -> FileResult {
    let rel = rel.to_string();
    let mut diags = Vec::new();
    let (text, encoding) = match decode::decode(bytes) {
        Ok(t) => t,
        Err(_) => {
            let d = Diagnostic::new(Code::NotText, Some(Location::file_only(&rel)))
                .arg("detail", "binary")
                .arg("problem", "io.binary");
            return (None, None, vec![d]);
        }
    };
    if encoding == Encoding::Gb18030 {
        diags.push(Diagnostic::new(
            Code::GbkEncoding,
            Some(Location::file_only(&rel)),
        ));
    }
    let split = match frontmatter::split(&text) {
        Ok(s) => s,
        Err(e) => {
            let code = match e {
                frontmatter::SplitError::NoOpening => Code::NoFrontMatter,
                frontmatter::SplitError::NoClosing => Code::UnclosedFrontMatter,
            };
            let first_len = text.find('\n').unwrap_or(text.len());
            diags.push(Diagnostic::new(
                code,
                Some(Location::in_text(&rel, &text, 0, first_len)),
            ));
            // Kept (all body, no fields) so that check knows the file exists.
            let source = SourceFile {
                path: rel,
                text,
                encoding,
                body_start: 0,
                spans: SpanIndex::default(),
                modified: None,
            };
            return (Some(source), None, diags);
        }
    };
    let yaml_text = &text[..split.yaml_end];
    let yt = yaml::YamlText {
        file: &rel,
        text: yaml_text,
        offset: split.yaml_start,
    };
    let pre = yt.prescan();
    let parsed = if pre.is_empty() {
        Some(yt.parse())
    } else {
        None
    };
    diags.extend(pre);
    let spans = SpanIndex::build(yaml_text, split.yaml_start);
    let source = SourceFile {
        path: rel.clone(),
        text,
        encoding,
        body_start: split.body_start,
        spans,
        modified: None,
    };
    let front = match parsed {
        Some(Ok(Value::Mapping(m))) => m,
        Some(Ok(Value::Null)) => Mapping::new(),
        Some(Ok(_)) => {
            diags.push(Diagnostic::new(
                Code::NotAMapping,
                Some(source.locate(split.yaml_start, split.yaml_end)),
            ));
            return (Some(source), None, diags);
        }
        Some(Err(d)) => {
            diags.push(d);
            return (Some(source), None, diags);
        }
        None => return (Some(source), None, diags),
    };
    match kind_of(&rel, &front) {
        Some(kind) => (Some(source), Some((kind, front)), diags),
        None => {
            let at = match source.spans.get("kind") {
                Some(s) => source.locate(s.value.0, s.value.1),
                None => Location::file_only(&rel),
            };
            diags.push(
                Diagnostic::new(Code::UnknownKind, Some(at)).arg("kinds", Kind::folder_list()),
            );
            (Some(source), None, diags)
        }
    }
}

/// The kind of a file: its `kind:` field, else the first folder below
/// `content/`; `content/_index.md` is the notice.
fn kind_of(rel: &str, front: &Mapping) -> Option<Kind> {
    if let Some(k) = front.get("kind") {
        return k.as_str().and_then(Kind::parse);
    }
    let inner = rel.strip_prefix("content/").unwrap_or(rel);
    match inner.split_once('/') {
        Some((folder, _)) => Kind::parse(folder),
        None if inner == "_index.md" => Some(Kind::Notice),
        None => None,
    }
}
