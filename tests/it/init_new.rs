//! `gongshi init` and `gongshi new`: a new site checks clean, an existing
//! site is never touched, and a new item checks clean and keeps its title.

use crate::common;

use common::site::{self, gongshi};
use std::path::Path;

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

#[test]
fn init_writes_a_site_that_checks_without_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let x = tmp.path().join("x");
    let run = gongshi(&["init", path_str(&x)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(x.join("gongshi.yaml").is_file());
    assert!(x.join("content/_index.md").is_file());
    for kind in [
        "departments",
        "posts",
        "powers",
        "flows",
        "risks",
        "measures",
        "pages",
    ] {
        let n = std::fs::read_dir(x.join("content").join(kind)).map_or(0, |d| d.count());
        assert!(n > 0, "init wrote no {kind}");
    }

    let run = gongshi(&["check", "--root", path_str(&x)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (code, report) = site::check_json(&x, None);
    assert_eq!((code, report.errors), (0, 0), "{report:?}");

    // The example is a realistic Chinese site.
    let checked = gongshi::pipeline::check(&x).expect("config");
    assert!(checked.site.risks.len() >= 10);
    assert!(checked.site.notice.title.contains("公示"));
    assert!(checked.site.flows.iter().all(|f| !f.steps.is_empty()));
}

#[test]
fn init_refuses_an_existing_site_and_changes_nothing() {
    let dir = site::base_copy();
    let before = site::hash_tree(dir.path());
    let run = gongshi(&["init", path_str(dir.path())]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("未做任何改动"), "{}", run.stderr);
    assert_eq!(before, site::hash_tree(dir.path()));

    // A folder with only a content/ (no config yet) is a site too.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("content/risks")).unwrap();
    std::fs::write(
        tmp.path().join("content/risks/R-001.md"),
        "---\ntitle: 草稿\n---\n",
    )
    .unwrap();
    let before = site::hash_tree(tmp.path());
    let run = gongshi(&["init", path_str(tmp.path())]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(before, site::hash_tree(tmp.path()));
    assert!(!tmp.path().join("gongshi.yaml").exists());
}

#[test]
fn init_into_an_empty_existing_folder_works() {
    let tmp = tempfile::tempdir().unwrap();
    let run = gongshi(&["init", path_str(tmp.path())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(tmp.path().join("gongshi.yaml").is_file());
}

#[test]
fn new_risk_checks_clean_and_keeps_its_title() {
    let tmp = tempfile::tempdir().unwrap();
    let x = tmp.path().join("x");
    assert_eq!(gongshi(&["init", path_str(&x)]).code, 0);
    let run = gongshi(&["new", "risk", "R-031", "测试标题", "--root", path_str(&x)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = x.join("content/risks/R-031.md");
    let text = std::fs::read_to_string(&file).expect("R-031.md written");
    assert!(text.contains("测试标题"), "{text}");
    assert!(text.contains("R-031"), "{text}");

    let (code, report) = site::check_json(&x, None);
    assert_eq!(code, 0, "{report:?}");
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let checked = gongshi::pipeline::check(&x).expect("config");
    let r = checked.site.risk("R-031").expect("R-031 in the model");
    assert_eq!(r.meta.title, "测试标题");
    assert!(!r.measures.is_empty());
}

#[test]
fn new_refuses_an_existing_id_and_changes_nothing() {
    let dir = site::base_copy();
    let root = path_str(dir.path());
    let before = site::hash_tree(dir.path());
    let run = gongshi(&["new", "risk", "R-001", "另一个标题", "--root", root]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("R-001"), "{}", run.stderr);
    assert_eq!(before, site::hash_tree(dir.path()));

    // and a bad id or kind is refused before anything is written
    assert_eq!(gongshi(&["new", "risk", "风险1", "--root", root]).code, 2);
    assert_eq!(gongshi(&["new", "rsik", "R-050", "--root", root]).code, 2);
    assert_eq!(before, site::hash_tree(dir.path()));
}

#[test]
fn new_works_for_every_kind_and_the_result_checks_without_errors() {
    let dir = site::base_copy();
    let root = path_str(dir.path());
    let kinds = [
        ("department", "D-09"),
        ("post", "P-09"),
        ("power", "QL-09"),
        ("flow", "F-09"),
        ("risk", "R-031"),
        ("measure", "M-09"),
        ("page", "guide"),
    ];
    for (kind, id) in kinds {
        let run = gongshi(&["new", kind, id, "--root", root]);
        assert_eq!(run.code, 0, "new {kind}: {}", run.stderr);
    }
    let (code, report) = site::check_json(dir.path(), None);
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == "error")
        .map(|d| format!("{} {} {}", d.code, d.place(), d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(code, 0);
    // without a title, the kind's default title from the catalogue
    let checked = gongshi::pipeline::check(dir.path()).expect("config");
    assert_eq!(
        checked.site.measure("M-09").unwrap().meta.title,
        "新防控措施"
    );
}
