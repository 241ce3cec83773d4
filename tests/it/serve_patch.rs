//! `serve`'s fast path (`serve::patch`): an edited risk re-renders only the
//! pages that show it. Whatever path a rebuild takes, the preview must hold
//! exactly the bytes a fresh full rebuild of the same content gives, and
//! those `gongshi build` writes.

use crate::common;

use common::preview::{assert_serves_what_build_writes, edit, Preview};
use common::site::example_copy;
use gongshi::serve::watch::Changes;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// The preview's files equal a fresh session's full build, file by file,
/// and `gongshi build` of the same content.
fn assert_same_as_full(p: &Preview, root: &Path, scope: &str, what: &str) {
    assert_serves_what_build_writes(p, root, scope, what);
    let full = Preview::start(root, scope).files();
    let got = p.files();
    let names = |m: &BTreeMap<String, Arc<[u8]>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&got), names(&full), "{what}: the file lists differ");
    for (path, bytes) in &full {
        assert!(
            got[path] == *bytes,
            "{what}: {path} differs from a full rebuild"
        );
    }
}

const R1: &str = "content/risks/R-001.md";

#[test]
fn edits_of_a_risks_text_take_the_fast_path_and_match_a_full_rebuild() {
    let dir = example_copy();
    let root = dir.path();
    for scope in ["public", "internal"] {
        let mut p = Preview::start(root, scope);
        let before = p.snapshot.files.clone();

        // The body: only the risk's own page (and the documents) change.
        let c = edit(root, R1, |t| format!("{t}\n补充：窗口受理全程录音录像。\n"));
        assert!(p.rebuild(&c), "{scope}: a body edit takes the fast path");
        let changed: Vec<&String> = p
            .snapshot
            .files
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(*v))
            .map(|(k, _)| k)
            .collect();
        assert_eq!(changed, ["risks/R-001.html"], "{scope}");
        let page = String::from_utf8_lossy(&p.snapshot.files["risks/R-001.html"]).to_string();
        assert!(
            page.contains("全程录音录像"),
            "{scope}: the page shows the edit"
        );
        assert_same_as_full(&p, root, scope, "body edit");

        // An inline measure and the basis: the tables listing the risk too.
        let c = edit(root, R1, |t| {
            t.replace("逐件核实原因", "逐件核实原因并登记")
                .replace("  - 《中华人民共和国行政许可法》\n", "")
        });
        assert!(p.rebuild(&c), "{scope}: a measure edit takes the fast path");
        assert_same_as_full(&p, root, scope, "measure edit");

        // The owner shows in every table listing the risk.
        let c = edit(root, R1, |t| {
            t.replace("reviewed:", "owner: 李科长\nreviewed:")
        });
        assert!(p.rebuild(&c), "{scope}: an owner edit takes the fast path");
        let register = String::from_utf8_lossy(&p.snapshot.files["risks/index.html"]).to_string();
        assert!(
            register.contains("李科长"),
            "{scope}: the register shows the owner"
        );
        assert_same_as_full(&p, root, scope, "owner edit");

        // Another shared measure: its pages' back-links change, a full rebuild.
        let c = edit(root, R1, |t| {
            t.replace("  - ref: M-04\n", "  - ref: M-01\n")
        });
        assert!(
            !p.rebuild(&c),
            "{scope}: citing another measure rebuilds in full"
        );
        assert_same_as_full(&p, root, scope, "shared measure edit");

        // The title shows on every page that links the risk: a full rebuild.
        let c = edit(root, R1, |t| t.replace("或故意刁难申请人", "或刁难申请人"));
        assert!(!p.rebuild(&c), "{scope}: a title edit rebuilds in full");
        assert_same_as_full(&p, root, scope, "title edit");

        // A grade changes charts and flowcharts: a full rebuild.
        let c = edit(root, R1, |t| t.replace("grade: 二级", "grade: 一级"));
        assert!(!p.rebuild(&c), "{scope}: a grade edit rebuilds in full");
        assert_same_as_full(&p, root, scope, "grade edit");

        // Back to the start for the other audience.
        let c = edit(root, R1, |t| {
            t.replace("grade: 一级", "grade: 二级")
                .replace("或刁难申请人", "或故意刁难申请人")
                .replace("owner: 李科长\n", "")
                .replace("  - ref: M-01\n", "  - ref: M-04\n")
        });
        p.rebuild(&c);
    }
}

#[test]
fn an_edit_that_adds_a_problem_takes_the_full_path_and_reports_it() {
    let dir = example_copy();
    let root = dir.path();
    let mut p = Preview::start(root, "public");
    let c = edit(root, R1, |t| format!("{t}\n另见[[R-999]]。\n"));
    let failed = p.session.rebuild(&c).err().expect("a dangling link fails");
    let codes: Vec<String> = failed
        .problems
        .iter()
        .map(|x| x.title(gongshi::i18n::Lang::En))
        .collect();
    assert!(
        codes.iter().any(|t| t.contains("R-999")),
        "the dangling link is reported: {codes:?}"
    );
    // Fixed again: the next edit rebuilds in full (nothing is cached from
    // the failed build) and matches.
    let c = edit(root, R1, |t| {
        t.replace("\n另见[[R-999]]。\n", "\n另见[[R-002]]。\n")
    });
    assert!(!p.rebuild(&c));
    assert_same_as_full(&p, root, "public", "after a fix");
    // Then the fast path again.
    let c = edit(root, R1, |t| {
        t.replace("另见[[R-002]]。", "另见[[R-002]]和[[P-10]]。")
    });
    assert!(p.rebuild(&c));
    assert_same_as_full(&p, root, "public", "link added in the body");
}

#[test]
fn an_internal_risk_edited_under_the_public_preview_changes_no_page() {
    let dir = example_copy();
    let root = dir.path();
    let mut p = Preview::start(root, "public");
    let before = p.snapshot.files.clone();
    let c = edit(root, "content/risks/R-021.md", |t| {
        format!("{t}\n内部补充说明。\n")
    });
    assert!(p.rebuild(&c));
    assert_eq!(p.snapshot.files.len(), before.len());
    assert!(p.snapshot.files.iter().all(|(k, v)| before[k] == *v));
    assert_same_as_full(&p, root, "public", "internal risk edit");
}

#[test]
fn with_a_change_log_measure_edits_rebuild_in_full_and_body_edits_do_not() {
    let dir = example_copy();
    let root = dir.path();
    // An older version beside it: the preview shows the change log.
    let config = root.join("gongshi.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("version: \"2025\"", "version: \"2024\""),
    )
    .unwrap();
    let opts = gongshi::build::Options::default();
    gongshi::build::build(root, &opts).expect("the 2024 version builds");
    std::fs::write(&config, &text).unwrap();
    let mut p = Preview::start(root, "public");
    let changes = String::from_utf8_lossy(&p.snapshot.files["changes.html"]).to_string();
    assert!(
        changes.contains("2024"),
        "the change log compares with 2024"
    );

    let c = edit(root, R1, |t| {
        t.replace("逐件核实原因", "逐件核实原因并登记")
    });
    assert!(
        !p.rebuild(&c),
        "the change log lists measure edits: a full rebuild"
    );
    let changes = String::from_utf8_lossy(&p.snapshot.files["changes.html"]).to_string();
    assert!(
        changes.contains("登记"),
        "the change log shows the new measure text"
    );
    assert_same_as_full(&p, root, "public", "measure edit with a change log");

    let c = edit(root, R1, |t| format!("{t}\n补充说明。\n"));
    assert!(p.rebuild(&c), "a body edit takes the fast path");
    assert_same_as_full(&p, root, "public", "body edit with a change log");
}

#[test]
fn several_risks_saved_at_once_take_the_fast_path_together() {
    let dir = example_copy();
    let root = dir.path();
    let mut p = Preview::start(root, "internal");
    let mut changes = Changes::default();
    for (i, rel) in [R1, "content/risks/R-002.md", "content/risks/R-024.md"]
        .into_iter()
        .enumerate()
    {
        let c = edit(root, rel, |t| format!("{t}\n第{i}条补充说明。\n"));
        changes.paths.extend(c.paths);
        changes.content = true;
    }
    assert!(p.rebuild(&changes), "three body edits in one batch");
    assert_same_as_full(&p, root, "internal", "three risks at once");
}

/// The internal preview shows review state: a body edit of a signed-off
/// risk takes the fast path, marks it 待复核 on its page, the register and
/// the tables listing it, and the home page counts it; undoing the edit
/// takes every mark off again. Both match a full rebuild.
#[test]
fn an_edit_that_unreviews_a_risk_marks_it_on_the_fast_path() {
    let dir = example_copy();
    let root = dir.path();
    let mut p = Preview::start(root, "internal");
    let text = |p: &Preview, f: &str| String::from_utf8_lossy(&p.snapshot.files[f]).to_string();
    assert!(text(&p, "index.html").contains("未复核 0 项"));
    let original = std::fs::read_to_string(root.join(R1)).unwrap();

    let c = edit(root, R1, |t| format!("{t}\n补充说明。\n"));
    assert!(p.rebuild(&c), "a body edit takes the fast path");
    assert!(text(&p, "risks/R-001.html").contains("待复核：正文已改动"));
    assert!(text(&p, "risks/index.html").contains("待复核：正文已改动"));
    assert!(text(&p, "index.html").contains("未复核 1 项"));
    assert_same_as_full(&p, root, "internal", "a signed-off risk edited");

    let c = edit(root, R1, |_| original.clone());
    assert!(p.rebuild(&c), "undoing it takes the fast path");
    assert!(!text(&p, "risks/index.html").contains("class=\"mark-pending\""));
    assert!(text(&p, "index.html").contains("未复核 0 项"));
    assert_same_as_full(&p, root, "internal", "the edit undone");
}
