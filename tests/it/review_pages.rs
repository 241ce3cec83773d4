//! 待复核 on the pages (issue #19): after `gongshi review --all` and two
//! edits (one risk's grade, another's body) the internal register shows
//! exactly those two risks marked, with what changed, its 复核状态 filter
//! finds them, the internal home page counts 2; the public pages say
//! nothing of review state.

use crate::common;

use common::browser;
use common::site::{self, arg, gongshi};
use std::path::{Path, PathBuf};

/// What only review state puts on a page (the public must hold none).
pub const REVIEW_WORDS: [&str; 7] = [
    "待复核",
    "未复核",
    "复核状态",
    "class=\"mark-pending\"",
    "data-review",
    "review=unreviewed",
    "To be reviewed",
];

/// The example site stamped, then R-001's grade and R-003's body edited,
/// built; returns it and its `site/` folder.
fn stamped_then_edited() -> (tempfile::TempDir, PathBuf) {
    let dir = site::example_copy();
    let root = arg(dir.path());
    let run = gongshi(&["review", "--all", "--by", "局党组", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    crate::review::edit_r001_grade_and_r003_body(dir.path());
    let run = gongshi(&["build", "--quiet", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = dir.path().join("site");
    (dir, out)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The ids of the register rows marked unreviewed, in page order.
fn marked_rows(register: &str) -> Vec<String> {
    register
        .split("<tr ")
        .filter(|row| row.contains("data-review=\"unreviewed\""))
        .filter_map(|row| {
            let at = row.find("<td class=\"id\" data-key=\"")? + 25;
            Some(row[at..at + row[at..].find('"')?].to_string())
        })
        .collect()
}

#[test]
fn internal_pages_mark_the_two_edited_risks_and_public_pages_nothing() {
    let (_keep, out) = stamped_then_edited();
    let internal = out.join("internal/2025");
    let register = read(&internal.join("risks/index.html"));
    assert_eq!(register.matches("class=\"mark-pending\"").count(), 2);
    assert_eq!(marked_rows(&register), ["R-001", "R-003"]);
    assert!(register.contains("待复核：风险等级已改动"), "R-001's badge");
    assert!(register.contains("待复核：正文已改动"), "R-003's badge");
    assert!(register.contains("<select data-filter=\"review\">"));
    assert!(read(&internal.join("risks/R-001.html")).contains("待复核：风险等级已改动"));
    assert!(!read(&internal.join("risks/R-002.html")).contains("待复核"));
    let home = read(&internal.join("index.html"));
    assert!(
        home.contains("<a href=\"risks/index.html#review=unreviewed\">未复核 2 项</a>"),
        "the home page's count"
    );

    let public = out.join("public");
    for rel in site::hash_tree(&public).into_keys() {
        let Ok(text) = std::fs::read_to_string(public.join(&rel)) else {
            continue;
        };
        for word in REVIEW_WORDS {
            assert!(!text.contains(word), "public {rel} holds {word:?}");
        }
    }
    assert!(read(&public.join("2025/risks/index.html")).contains("R-003"));
}

#[test]
#[ignore = "needs Chromium: cargo test -- --include-ignored"]
fn the_review_filter_finds_the_two() {
    let Some(chrome) = browser::require("the_review_filter_finds_the_two") else {
        return;
    };
    let (_keep, out) = stamped_then_edited();
    let register = out.join("internal/2025/risks/index.html");
    let url = browser::file_url(&register, Some("review=unreviewed"));
    let loaded = chrome.load(&url);
    assert!(loaded.console().is_empty(), "{:?}", loaded.console());
    let shown: Vec<&str> = loaded
        .dom
        .split("<tr data-grade=")
        .skip(1)
        .filter(|row| !row[..row.find('>').unwrap_or(0)].contains(" hidden"))
        .collect();
    assert_eq!(shown.len(), 2, "rows shown for #review=unreviewed");
    assert!(shown
        .iter()
        .all(|r| r.contains("data-review=\"unreviewed\"")));
}
