//! Review stamps (签字备案, issue #19): `gongshi review` writes only the
//! `reviewed` line, `check` names what changed since a stamp, `publish`
//! refuses while a public item is unreviewed, and nothing of it reaches
//! the public.

use crate::common;

use common::site::{self, arg, gongshi};
use std::path::Path;

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let text = read(root, rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(root.join(rel), text.replacen(from, to, 1)).unwrap();
}

/// The lines of a text but its `reviewed:` line.
fn without_review(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.starts_with("reviewed:"))
        .collect()
}

/// Every content file of `dir` (relative path → text).
fn contents(dir: &Path) -> std::collections::BTreeMap<String, String> {
    site::hash_tree(&dir.join("content"))
        .into_keys()
        .map(|rel| {
            let text = read(dir, &format!("content/{rel}"));
            (rel, text)
        })
        .collect()
}

/// The example site with every stamp taken off, one risk left with the
/// old bare date: a register nobody has signed yet.
fn unsigned_example() -> tempfile::TempDir {
    let dir = site::example_copy();
    for (rel, text) in contents(dir.path()) {
        let kept: Vec<&str> = without_review(&text);
        let mut out = kept.join("\n");
        out.push('\n');
        std::fs::write(dir.path().join("content").join(&rel), out).unwrap();
    }
    edit(
        dir.path(),
        "content/risks/R-001.md",
        "scope: public\n",
        "reviewed: 2025-05-01\nscope: public\n",
    );
    dir
}

/// The W130 warnings of `check`: (file, message).
fn unreviewed(root: &Path) -> Vec<(String, String)> {
    let (code, report) = site::check_json(root, None);
    assert_eq!(code, 0, "{report:?}");
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == "W130")
        .map(|d| (d.file.clone(), d.message.clone()))
        .collect()
}

#[test]
fn acceptance_stamp_edit_check_publish_restamp() {
    let dir = unsigned_example();
    let root = arg(dir.path());
    let before = contents(dir.path());
    assert!(
        unreviewed(dir.path()).len() > 30,
        "an unsigned site is unreviewed"
    );

    let run = gongshi(&["review", "--all", "--by", "局党组", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("已复核盖章"), "{}", run.stderr);
    // only the review lines changed: every file has one stamp, the rest
    // of it byte for byte as it was
    let after = contents(dir.path());
    for (rel, old) in &before {
        let new = &after[rel];
        assert_eq!(without_review(old), without_review(new), "{rel}");
        let stamps: Vec<&str> = new.lines().filter(|l| l.starts_with("reviewed:")).collect();
        let stamped = !rel.starts_with("pages/") && !rel.ends_with("_index.md");
        assert_eq!(stamps.len(), usize::from(stamped), "{rel}: {stamps:?}");
        if stamped {
            assert!(
                stamps[0].starts_with("reviewed: {date: 2025-06-01, by: 局党组, fingerprint: \""),
                "{rel}: {}",
                stamps[0]
            );
        }
    }
    assert!(unreviewed(dir.path()).is_empty());

    // one risk's grade, another's body
    edit_r001_grade_and_r003_body(dir.path());
    let warned = unreviewed(dir.path());
    assert_eq!(warned.len(), 2, "{warned:?}");
    assert_eq!(warned[0].0, "content/risks/R-001.md");
    assert!(
        warned[0].1.contains("风险等级") && !warned[0].1.contains("正文"),
        "{warned:?}"
    );
    assert_eq!(warned[1].0, "content/risks/R-003.md");
    assert!(
        warned[1].1.contains("正文") && !warned[1].1.contains("风险等级"),
        "{warned:?}"
    );
    let text = gongshi(&["check", "--root", root]);
    assert!(text.stderr.contains("未复核 2 项"), "{}", text.stderr);

    let run = gongshi(&["publish", "--root", root]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for want in [
        "R-001",
        "R-003",
        "风险等级",
        "正文",
        "content/risks/R-003.md",
        "gongshi review R-001 R-003",
    ] {
        assert!(run.stderr.contains(want), "no {want}: {}", run.stderr);
    }
    assert!(
        !dir.path().join("site").join("public").exists(),
        "refused, yet wrote"
    );

    let run = gongshi(&["review", "R-001", "R-003", "--by", "局党组", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("已复核盖章 2 项"), "{}", run.stderr);
    let run = gongshi(&["publish", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest = read(dir.path(), "site/internal/2025/manifest.json");
    assert!(!manifest.contains("unreviewed"), "{manifest}");

    // stamping again changes nothing: every stamp is current
    let stamped = site::hash_tree(&dir.path().join("content"));
    let run = gongshi(&["review", "--all", "--by", "另一人", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("已复核盖章 0 项"), "{}", run.stderr);
    assert_eq!(stamped, site::hash_tree(&dir.path().join("content")));
}

#[test]
fn allow_unreviewed_publishes_and_records_where_the_public_does_not_read() {
    let dir = site::example_copy();
    let root = arg(dir.path());
    assert_eq!(
        gongshi(&["review", "--all", "--by", "局党组", "--root", root]).code,
        0
    );
    edit(
        dir.path(),
        "content/risks/R-001.md",
        "grade: 二级",
        "grade: 一级",
    );
    let run = gongshi(&["publish", "--allow-unreviewed", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("--allow-unreviewed"), "{}", run.stderr);
    let internal: serde_json::Value =
        serde_json::from_str(&read(dir.path(), "site/internal/2025/manifest.json")).unwrap();
    let listed = &internal["unreviewed"];
    assert_eq!(listed[0]["id"], "R-001", "{listed}");
    assert_eq!(
        listed[0]["fields"],
        serde_json::json!(["grade"]),
        "{listed}"
    );
    let public = read(dir.path(), "site/public/2025/manifest.json");
    assert!(!public.contains("unreviewed"), "{public}");
}

#[test]
fn the_guard_can_be_switched_off_and_internal_items_never_block() {
    let dir = site::example_copy();
    let root = arg(dir.path());
    assert_eq!(
        gongshi(&["review", "--all", "--by", "局党组", "--root", root]).code,
        0
    );
    // an internal-only risk changed: the public sees nothing of it
    let internal = contents(dir.path())
        .into_iter()
        .find(|(rel, t)| rel.starts_with("risks/") && !t.contains("scope: public"))
        .expect("an internal risk in the example");
    edit(
        dir.path(),
        &format!("content/{}", internal.0),
        "title: ",
        "title: 改",
    );
    let run = gongshi(&["publish", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // a public one changed, guard off
    edit(
        dir.path(),
        "content/risks/R-001.md",
        "grade: 二级",
        "grade: 一级",
    );
    edit(
        dir.path(),
        "gongshi.yaml",
        "version: \"2025\"",
        "version: \"2026\"\nreview: {guard: false}",
    );
    let run = gongshi(&["publish", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn department_and_date_choose_what_and_when() {
    let dir = unsigned_example();
    let root = arg(dir.path());
    let run = gongshi(&[
        "review",
        "--department",
        "D-04",
        "--by",
        "局党组",
        "--date",
        "2025-05-20",
        "--root",
        root,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let checked = gongshi::pipeline::check(dir.path()).expect("config");
    let s = &checked.site;
    let reviews = s.reviews.as_ref().expect("assessed");
    for r in &s.risks {
        let of_d04 = r.department.as_deref() == Some("D-04");
        assert_eq!(
            !reviews.is_unreviewed(gongshi::model::Kind::Risk, &r.meta.id),
            of_d04,
            "{}",
            r.meta.id
        );
        if of_d04 {
            let stamp = r.meta.review.as_ref().expect("stamped");
            assert_eq!(
                (stamp.date.as_str(), stamp.by.as_deref()),
                ("2025-05-20", Some("局党组"))
            );
        }
    }
    assert!(!reviews.is_unreviewed(gongshi::model::Kind::Department, "D-04"));
    assert!(reviews.is_unreviewed(gongshi::model::Kind::Department, "D-01"));

    let before = site::hash_tree(&dir.path().join("content"));
    let run = gongshi(&[
        "review",
        "--all",
        "--by",
        "局党组",
        "--date",
        "2025/05/20",
        "--root",
        root,
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("YYYY-MM-DD"), "{}", run.stderr);
    let run = gongshi(&[
        "review",
        "--department",
        "D-4",
        "--by",
        "局党组",
        "--root",
        root,
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = gongshi(&["review", "--all", "--root", root]);
    assert_eq!(run.code, 2, "no reviewer: {}", run.stderr);
    assert!(run.stderr.contains("--by"), "{}", run.stderr);
    assert_eq!(before, site::hash_tree(&dir.path().join("content")));
}

#[test]
fn a_bad_id_writes_nothing_and_suggests_the_near_one() {
    let dir = unsigned_example();
    let root = arg(dir.path());
    let before = site::hash_tree(&dir.path().join("content"));
    let run = gongshi(&[
        "review",
        "R-001",
        "R-0003",
        "--by",
        "局党组",
        "--root",
        root,
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("是否想写“R-003”"), "{}", run.stderr);
    assert!(run.stderr.contains("没有写入任何文件"), "{}", run.stderr);
    let page = contents(dir.path())
        .into_keys()
        .find(|rel| rel.starts_with("pages/"))
        .expect("a page in the example");
    let page_id = page.trim_start_matches("pages/").trim_end_matches(".md");
    let run = gongshi(&["review", page_id, "--by", "局党组", "--root", root]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("不需要复核盖章"), "{}", run.stderr);
    let run = gongshi(&["review", "--by", "局党组", "--root", root]);
    assert_eq!(run.code, 2, "nothing named: {}", run.stderr);
    assert_eq!(before, site::hash_tree(&dir.path().join("content")));
}

#[test]
fn crlf_and_gb18030_files_keep_their_encoding() {
    let dir = site::base_copy();
    let root = dir.path();
    // base files carry stamps: take them off, then store two files as
    // Windows and Chinese-Windows editors do
    let r1 = without_review(&read(root, "content/risks/R-001.md")).join("\r\n") + "\r\n";
    std::fs::write(root.join("content/risks/R-001.md"), &r1).unwrap();
    let r2 = without_review(&read(root, "content/risks/R-002.md")).join("\n") + "\n";
    site::write_gbk(&root.join("content/risks/R-002.md"), &r2);
    let run = gongshi(&[
        "review",
        "R-001",
        "R-002",
        "--by",
        "局党组",
        "--root",
        arg(root),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let bytes = std::fs::read(root.join("content/risks/R-001.md")).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "CRLF kept"
    );
    assert!(
        text.contains("\r\nreviewed: {date: 2025-06-01, by: 局党组"),
        "{text}"
    );
    assert_eq!(
        without_review(&text.replace("\r\n", "\n")),
        without_review(&r1.replace("\r\n", "\n"))
    );

    let bytes = std::fs::read(root.join("content/risks/R-002.md")).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "still GB18030, not UTF-8"
    );
    let (text, _, bad) = encoding_rs::GB18030.decode(&bytes);
    assert!(!bad);
    assert!(
        text.contains("reviewed: {date: 2025-06-01, by: 局党组"),
        "{text}"
    );
    assert_eq!(without_review(&text), without_review(&r2));
    let warned: Vec<_> = unreviewed(root)
        .into_iter()
        .filter(|(f, _)| f.ends_with("R-001.md") || f.ends_with("R-002.md"))
        .collect();
    assert!(warned.is_empty(), "{warned:?}");
}

#[test]
fn new_writes_no_review_and_the_new_item_is_unreviewed() {
    let dir = site::example_copy();
    let root = arg(dir.path());
    for (kind, id) in [("risk", "R-031"), ("post", "P-31"), ("measure", "M-31")] {
        let run = gongshi(&["new", kind, id, "--root", root]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let folder = format!("{kind}s");
        let text = read(dir.path(), &format!("content/{folder}/{id}.md"));
        assert!(!text.lines().any(|l| l.starts_with("reviewed")), "{text}");
    }
    let warned = unreviewed(dir.path());
    assert!(
        warned
            .iter()
            .any(|(f, m)| f == "content/risks/R-031.md" && m.contains("尚未复核")),
        "{warned:?}"
    );
}

#[test]
fn review_state_is_kept_only_for_narrower_audiences() {
    let dir = site::example_copy();
    let root = arg(dir.path());
    assert_eq!(
        gongshi(&["review", "--all", "--by", "局党组", "--root", root]).code,
        0
    );
    edit(
        dir.path(),
        "content/risks/R-001.md",
        "grade: 二级",
        "grade: 一级",
    );
    let checked = gongshi::pipeline::check(dir.path()).expect("config");
    let public = gongshi::scope::filter(&checked.site, 0);
    assert!(public.reviews.is_none());
    assert!(public.risks.iter().all(|r| r.meta.review.is_none()));
    let r1 = public.risk("R-001").expect("R-001 is public");
    assert_eq!(
        r1.reviewed, None,
        "no 最近审定 while changed since its stamp"
    );
    assert!(public.risk("R-002").is_some_and(|r| r.reviewed.is_some()));
    let internal = gongshi::scope::filter(&checked.site, 1);
    let reviews = internal
        .reviews
        .as_ref()
        .expect("internal sees review state");
    assert_eq!(
        reviews.state(gongshi::model::Kind::Risk, "R-001"),
        Some(&gongshi::model::ReviewState::Changed {
            fields: vec!["grade"]
        })
    );
    assert_eq!(reviews.unreviewed_count(), 1);
}

/// The acceptance's two edits of a stamped example site: R-001's grade
/// and R-003's body.
pub(crate) fn edit_r001_grade_and_r003_body(root: &Path) {
    edit(root, "content/risks/R-001.md", "grade: 二级", "grade: 一级");
    edit(
        root,
        "content/risks/R-003.md",
        "踏勘人员不到现场",
        "踏勘人员经常不到现场",
    );
}
