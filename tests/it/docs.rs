//! The user manual (`docs/`) against the code: every diagnostic code of
//! `src/diag.rs` has an entry in `docs/errors.md` (a heading with the code
//! and a stable anchor `#e011`), every key of `gongshi.yaml` (the fields of
//! `Config` and its nested structs in `src/config.rs`) is documented in
//! `docs/config.md`, and no relative link of the manual or of `README.md`
//! points at a missing file or anchor, nor outside the repository. The
//! sources are read as text, so the test needs no accessor in the library.

#[path = "docs/theme.rs"]
mod theme;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    let path = root().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The codes declared in the `codes!` block of `src/diag.rs`
/// (`FullWidthColon = "E011", Error;`).
fn diagnostic_codes() -> Vec<String> {
    let text = read("src/diag.rs");
    let start = text
        .find("codes! {")
        .expect("the codes! block in src/diag.rs");
    let block = &text[start..];
    let block = &block[..block.find("\n}").expect("end of the codes! block")];
    let codes: Vec<String> = block
        .lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once("= \"")?;
            let code = rest.split('"').next()?;
            let ok = code.len() == 4
                && code.starts_with(['C', 'E', 'W'])
                && code[1..].chars().all(|c| c.is_ascii_digit());
            ok.then(|| code.to_string())
        })
        .collect();
    assert!(codes.len() >= 40, "too few codes read: {codes:?}");
    codes
}

/// The field names of `pub struct NAME { … }` in `text`, leaving out
/// fields marked `#[serde(skip)]` (they are not keys of the file).
fn struct_fields(text: &str, name: &str) -> Vec<String> {
    let start = text
        .find(&format!("pub struct {name} {{"))
        .unwrap_or_else(|| panic!("pub struct {name} in src/config.rs"));
    let body = &text[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
    let mut out = Vec::new();
    let mut skipped = false;
    for line in body.lines().map(str::trim) {
        if line.starts_with("#[serde(skip") {
            skipped = true;
            continue;
        }
        if let Some(rest) = line.strip_prefix("pub ") {
            if let Some((field, _)) = rest.split_once(':') {
                if !skipped {
                    out.push(field.trim().to_string());
                }
            }
            skipped = false;
        }
    }
    assert!(!out.is_empty(), "no fields read from {name}");
    out
}

#[test]
fn every_diagnostic_code_has_an_entry_in_the_error_page() {
    let page = read("docs/errors.md");
    let headings: Vec<&str> = page.lines().filter(|l| l.starts_with('#')).collect();
    let mut missing = Vec::new();
    for code in diagnostic_codes() {
        let heading = headings
            .iter()
            .any(|h| h.trim_start_matches('#').trim_start().starts_with(&code));
        let anchor = format!("<a id=\"{}\"></a>", code.to_lowercase());
        if !heading || !page.contains(&anchor) {
            missing.push(code);
        }
    }
    assert!(
        missing.is_empty(),
        "docs/errors.md needs a heading starting with the code and an anchor \
         `<a id=\"e011\"></a>` for: {missing:?}"
    );
}

#[test]
fn every_key_of_the_config_is_documented() {
    let text = read("src/config.rs") + &read("src/config/portal.rs");
    let page = read("docs/config.md");
    let mut missing = Vec::new();
    for (strukt, keys) in [
        "Config", "Grade", "ScopeDef", "Booklet", "SignOff", "Portal", "Review",
    ]
    .map(|s| (s, struct_fields(&text, s)))
    {
        for key in keys {
            // a table cell or heading naming the key as code: `key`
            if !page.contains(&format!("`{key}`")) {
                missing.push(format!("{strukt}.{key}"));
            }
        }
    }
    let top = struct_fields(&text, "Config");
    assert!(top.contains(&"holders_scope".to_string()), "{top:?}");
    assert!(missing.is_empty(), "not in docs/config.md: {missing:?}");
}

/// The `](target)` links of a Markdown text, outside code blocks and code spans.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // text between backticks is code, not a link
        let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = prose.as_str();
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            out.push(after[..end].trim().to_string());
            rest = &after[end..];
        }
    }
    out
}

/// The explicit anchors (`<a id="x">`) of a Markdown text.
fn anchors(text: &str) -> BTreeSet<String> {
    text.split("<a id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// Checks one Markdown file's links; returns the problems.
fn check_links(file: &Path) -> Vec<String> {
    let repo = root().canonicalize().unwrap();
    let text = std::fs::read_to_string(file).unwrap();
    let shown = file
        .strip_prefix(&repo)
        .unwrap_or(file)
        .display()
        .to_string();
    let mut problems = Vec::new();
    for link in links(&text) {
        if link.contains("://") || link.starts_with("mailto:") {
            problems.push(format!("{shown}: `{link}` points outside the repository"));
            continue;
        }
        let (path, fragment) = match link.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (link.as_str(), None),
        };
        let target = if path.is_empty() {
            file.to_path_buf()
        } else {
            file.parent().unwrap().join(path)
        };
        let Ok(target) = target.canonicalize() else {
            problems.push(format!("{shown}: `{link}` names a missing file"));
            continue;
        };
        if !target.starts_with(&repo) {
            problems.push(format!("{shown}: `{link}` leaves the repository"));
            continue;
        }
        if let Some(f) = fragment {
            let is_md = target.extension().is_some_and(|e| e == "md");
            let ids = std::fs::read_to_string(&target)
                .map(|t| anchors(&t))
                .unwrap_or_default();
            if is_md && !ids.contains(f) {
                problems.push(format!("{shown}: `{link}` names a missing anchor"));
            }
        }
    }
    problems
}

#[test]
fn relative_links_of_the_manual_and_readme_resolve() {
    let docs = root().join("docs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&docs)
        .expect("docs/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    let readme = root().join("README.md");
    assert!(
        links(&read("README.md"))
            .iter()
            .any(|l| l.starts_with("docs/")),
        "README.md links to the manual"
    );
    files.push(readme);
    let problems: Vec<String> = files.iter().flat_map(|f| check_links(f)).collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn readme_names_nothing_outside_the_repository() {
    let readme = read("README.md");
    assert!(
        !readme.contains("../shared") && !readme.contains("SPEC.md"),
        "README.md points at the workplace's SPEC, which users of the repository do not have"
    );
}

#[test]
fn the_error_page_links_every_code_from_its_contents() {
    // the table of contents at the top links each entry by its anchor
    let page = read("docs/errors.md");
    let linked: BTreeSet<String> = links(&page)
        .into_iter()
        .filter_map(|l| l.strip_prefix('#').map(str::to_string))
        .collect();
    let missing: Vec<String> = diagnostic_codes()
        .into_iter()
        .filter(|c| !linked.contains(&c.to_lowercase()))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the contents of docs/errors.md: {missing:?}"
    );
}
