//! `gongshi check --format json`: stdout is one JSON document that
//! serde_json parses, with `errors`, `warnings` and `diagnostics`, and each
//! diagnostic has file, line, column, code, severity and message.

use crate::common;

use common::site::{self, gongshi};
use serde_json::Value;

/// A copy of `_base` with several faults in several files.
fn faulty_site() -> tempfile::TempDir {
    let dir = site::base_copy();
    let root = dir.path();
    let edit = |rel: &str, from: &str, to: &str| {
        let p = root.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel}: {from}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    };
    edit("content/risks/R-001.md", "grade: 二级", "grade: 二极");
    edit(
        "content/risks/R-002.md",
        "tier: 科室",
        "tier: 科室\ngrdae: 一级",
    );
    edit("content/risks/R-003.md", "type: 思想道德", "type：思想道德");
    edit(
        "content/flows/F-01.md",
        "    label: 受理申请",
        "    lable: 受理申请",
    );
    edit("content/pages/shuoming.md", "见[[R-001]]", "见[[R-404]]");
    dir
}

/// A field every diagnostic has, and the check of its JSON type.
type Field = (&'static str, fn(&Value) -> bool);

const FIELDS: [Field; 6] = [
    ("file", Value::is_string),
    ("line", Value::is_u64),
    ("column", Value::is_u64),
    ("code", Value::is_string),
    ("severity", Value::is_string),
    ("message", Value::is_string),
];

fn check_shape(stdout: &str) -> Value {
    let doc: Value = serde_json::from_str(stdout).expect("stdout is one JSON document");
    assert!(doc["errors"].is_u64() && doc["warnings"].is_u64(), "{doc}");
    let list = doc["diagnostics"].as_array().expect("diagnostics array");
    for d in list {
        for (field, ok) in FIELDS {
            assert!(
                ok(&d[field]),
                "`{field}` missing or of the wrong type in {d}"
            );
        }
        let code = d["code"].as_str().unwrap();
        let sev = d["severity"].as_str().unwrap();
        assert!(
            gongshi::diag::Code::ALL.iter().any(|c| c.as_str() == code),
            "unknown code {code}"
        );
        let expected = if code.starts_with('W') {
            "warning"
        } else {
            "error"
        };
        assert_eq!(sev, expected, "{d}");
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
        assert!(!d["message"].as_str().unwrap().is_empty());
    }
    doc
}

#[test]
fn json_output_has_the_documented_shape() {
    let dir = faulty_site();
    let root = dir.path().to_str().unwrap();
    let run = gongshi(&["check", "--format", "json", "--root", root]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let doc = check_shape(&run.stdout);
    let list = doc["diagnostics"].as_array().unwrap();
    let codes: Vec<&str> = list.iter().map(|d| d["code"].as_str().unwrap()).collect();
    for want in ["E022", "W101", "E032", "E011"] {
        assert!(codes.contains(&want), "{want} not in {codes:?}");
    }
    assert_eq!(doc["errors"].as_u64(), Some(3), "{doc}");
    // the faulty files changed since the base site's review stamps (W130)
    let unreviewed = codes.iter().filter(|c| **c == "W130").count() as u64;
    assert_eq!(doc["warnings"].as_u64(), Some(2 + unreviewed), "{doc}");

    // files are relative to the root, with forward slashes, sorted with lines
    let places: Vec<(String, u64, u64)> = list
        .iter()
        .map(|d| {
            let f = d["file"].as_str().unwrap().to_string();
            assert!(f.starts_with("content/") && !f.contains('\\'), "{f}");
            (
                f,
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = places.clone();
    sorted.sort();
    assert_eq!(places, sorted);

    // the helper's reading agrees
    let report = site::parse_report(&run.stdout).unwrap();
    assert_eq!(report.diagnostics.len(), list.len());
    let typo = report
        .diagnostics
        .iter()
        .find(|d| d.code == "W101")
        .unwrap();
    assert_eq!(typo.place(), "content/flows/F-01.md:8:5");
    assert!(typo.hint.as_deref().unwrap().contains("label"));
}

#[test]
fn json_output_follows_the_language() {
    let dir = faulty_site();
    let root = dir.path().to_str().unwrap();
    let zh = gongshi(&["check", "--format", "json", "--root", root]);
    let en = gongshi(&["check", "--format", "json", "--root", root, "--lang", "en"]);
    let (zh, en) = (check_shape(&zh.stdout), check_shape(&en.stdout));
    let messages = |doc: &Value| -> Vec<String> {
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["message"].as_str().unwrap().to_string())
            .collect()
    };
    let (zh_m, en_m) = (messages(&zh), messages(&en));
    assert_eq!(zh_m.len(), en_m.len());
    for (z, e) in zh_m.iter().zip(&en_m) {
        assert_ne!(z, e);
    }
    let colon = en["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E011")
        .unwrap();
    assert!(colon["message"]
        .as_str()
        .unwrap()
        .contains("Full-width colon"));
}

#[test]
fn json_output_for_a_clean_site_and_a_broken_config() {
    let dir = site::base_copy();
    let root = dir.path().to_str().unwrap();
    let run = gongshi(&["check", "--format", "json", "--root", root]);
    assert_eq!(run.code, 0);
    let doc = check_shape(&run.stdout);
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 0);

    std::fs::write(
        dir.path().join("gongshi.yaml"),
        "title: x\ndefault_scope: 外部\n",
    )
    .unwrap();
    let run = gongshi(&["check", "--format", "json", "--root", root]);
    assert_eq!(run.code, 2);
    let doc = check_shape(&run.stdout);
    let d = &doc["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["file"].as_str()),
        (Some("C003"), Some("gongshi.yaml"))
    );
    assert_eq!(d["line"].as_u64(), Some(2));
}

#[test]
fn json_output_goes_to_stdout_alone() {
    let dir = faulty_site();
    let root = dir.path().to_str().unwrap();
    let run = gongshi(&["check", "--format", "json", "--root", root]);
    assert!(run.stdout.trim_start().starts_with('{') && run.stdout.trim_end().ends_with('}'));
    assert!(
        !run.stderr.contains("[E0"),
        "diagnostics also on stderr: {}",
        run.stderr
    );
}
