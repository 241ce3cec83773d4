//! One way to render an audience: what `gongshi serve` serves (pages at
//! once, documents on request, the fast path after an edit) is byte for
//! byte what `gongshi build` writes for the same audience, on the example
//! site (with an older version beside it, so the change log and the
//! versions chart have something to show) and on a synthetic 1,000-risk
//! register. A page or document added to one path only fails here.

use crate::common;

use crate::synth;

use common::preview::{assert_serves_what_build_writes, edit, Preview};
use common::site::example_copy;

#[test]
fn the_example_site_serves_what_build_writes_for_every_audience() {
    let dir = example_copy();
    let root = dir.path();
    let config = root.join("gongshi.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let older = text.replace("version: \"2025\"", "version: \"2024\"");
    assert_ne!(older, text, "the example site is version 2025");
    std::fs::write(&config, &older).unwrap();
    gongshi::build::build(root, &Default::default()).expect("the 2024 version builds");
    std::fs::write(&config, &text).unwrap();
    for scope in ["public", "internal"] {
        let mut p = Preview::start(root, scope);
        assert!(
            p.snapshot.files.contains_key("changes.html"),
            "{scope}: a change log against 2024"
        );
        assert_serves_what_build_writes(&p, root, scope, "first build");
        let c = edit(root, "content/risks/R-001.md", |t| {
            format!("{t}\n补充：{scope} 预览中的修改。\n")
        });
        assert!(p.rebuild(&c), "{scope}: a body edit takes the fast path");
        assert_serves_what_build_writes(&p, root, scope, "after a fast-path edit");
    }
}

#[test]
fn with_booklet_docx_on_the_preview_serves_the_word_booklet_build_writes() {
    let dir = example_copy();
    let root = dir.path();
    let config = root.join("gongshi.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let on = text.replace("docx: false", "docx: true");
    assert_ne!(on, text, "the example config shows booklet.docx");
    std::fs::write(&config, on).unwrap();
    let p = Preview::start(root, "public");
    assert!(
        p.files().contains_key("booklet.docx"),
        "the preview makes booklet.docx"
    );
    assert_serves_what_build_writes(&p, root, "public", "booklet.docx on");
}

#[test]
fn a_synthetic_register_of_1000_risks_serves_what_build_writes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    synth::generate(root, 1000, 1);
    let mut p = Preview::start(root, "public");
    assert_serves_what_build_writes(&p, root, "public", "first build");
    // A public risk's body: the fast path.
    let public = (1..=1000)
        .map(|i| format!("content/risks/R-{i:05}.md"))
        .find(|rel| {
            std::fs::read_to_string(root.join(rel)).is_ok_and(|t| t.contains("scope: public"))
        })
        .expect("a public risk");
    let c = edit(root, &public, |t| {
        format!("{t}\n补充说明：复核后增加一段。\n")
    });
    assert!(p.rebuild(&c), "a body edit takes the fast path");
    assert_serves_what_build_writes(&p, root, "public", "after a fast-path edit");
}
