//! The office writer's first hour: each mistake a writer new to YAML makes
//! (one row each), the diagnostic it gets, and that the zh-CN message and
//! hint are Chinese and never mislead (no empty suggestion, no other grade).
//! For the tab and the unquoted colon, the hint is applied and the file
//! must then read.

use crate::common;

use common::site::{self, gongshi, Diag};
use std::path::Path;

const RISK: &str = "content/risks/R-002.md";

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

/// A run of four or more Latin words: an English sentence in a zh-CN message.
fn english_sentence(s: &str) -> Option<String> {
    let mut run: Vec<&str> = Vec::new();
    for w in s.split(' ') {
        let word = w.trim_matches(|c: char| c == '"' || c == '\'');
        if word.len() >= 2 && word.chars().all(|c| c.is_ascii_alphabetic()) {
            run.push(word);
            if run.len() >= 4 {
                return Some(run.join(" "));
            }
        } else {
            run.clear();
        }
    }
    None
}

/// A mistake: what the writer did, what `check` must say.
struct Row {
    name: &'static str,
    make: fn(&Path),
    code: &'static str,
    /// text the message or hint must hold
    says: &'static [&'static str],
    /// text neither may hold (a misleading suggestion)
    never: &'static [&'static str],
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            name: "grade 5级 (no fifth grade)",
            make: |r| edit(r, RISK, "grade: 一级", "grade: 5级"),
            code: "E022",
            says: &["一级 > 二级 > 三级"],
            never: &["是否想写"],
        },
        Row {
            name: "grade 一极 (a typo of the same grade)",
            make: |r| edit(r, RISK, "grade: 一级", "grade: 一极"),
            code: "E022",
            says: &["是否想写“一级”"],
            never: &["是否想写“二级”", "是否想写“三级”"],
        },
        Row {
            name: "full-width space in the indentation",
            make: |r| edit(r, RISK, "  - P-11", "\u{3000}- P-11"),
            code: "E012",
            says: &["个半角空格"],
            never: &[],
        },
        Row {
            name: "reviwed: is a typo of reviewed",
            make: |r| edit(r, RISK, "reviewed:", "reviwed:"),
            code: "W101",
            says: &["是否想写“reviewed”"],
            never: &["是否想写“id”"],
        },
        Row {
            name: "风险等级: is grade in Chinese",
            make: |r| edit(r, RISK, "grade: 一级", "风险等级: 一级"),
            code: "W101",
            says: &["是否想写“grade”"],
            never: &[],
        },
        Row {
            name: "a field nothing is close to",
            make: |r| edit(r, RISK, "grade: 一级", "grade: 一级\n备注: 无"),
            code: "W101",
            says: &[],
            never: &["是否想写"],
        },
        Row {
            name: "tier with a value nothing is close to",
            make: |r| edit(r, RISK, "tier: 科室", "tier: 全市"),
            code: "E022",
            says: &["允许的值"],
            never: &["是否想写"],
        },
        Row {
            name: "full-width comma between ids",
            make: |r| {
                edit(r, RISK, "posts:\n  - P-11\n  - P-12", "posts: [P-11，P-12]");
            },
            code: "E039",
            says: &["全角", "[P-11, P-12]"],
            never: &[],
        },
        Row {
            name: "a department's name where its id goes",
            make: |r| edit(r, RISK, "department: D-05", "department: 行政审批科"),
            code: "E031",
            says: &["D-04（行政审批科）"],
            never: &["gongshi new"],
        },
        Row {
            name: "field path in words",
            make: |r| edit(r, "content/flows/F-01.md", "      - R-002", "      - R-999"),
            code: "E031",
            says: &["个步骤的风险点"],
            never: &["steps."],
        },
        Row {
            name: "Explorer's copy: same id",
            make: |r| {
                let from = r.join(RISK);
                std::fs::copy(&from, r.join("content/risks/R-002 - 副本.md")).unwrap();
            },
            code: "E030",
            says: &["R-002 - 副本.md", "R-002.md", "复制出的文件请改编号或删除"],
            never: &[],
        },
        Row {
            name: "renamed file, id unchanged",
            make: |r| {
                std::fs::rename(r.join(RISK), r.join("content/risks/R-040.md")).unwrap();
            },
            code: "W113",
            says: &["R-040", "R-002"],
            never: &[],
        },
        Row {
            name: "Notepad's hidden .txt",
            make: |r| {
                std::fs::rename(r.join(RISK), r.join("content/risks/R-002.md.txt")).unwrap();
            },
            code: "W114",
            says: &["隐藏的扩展名", "R-002.md"],
            never: &[],
        },
        Row {
            name: "import's note left in the file",
            make: |r| {
                edit(
                    r,
                    RISK,
                    "reviewed:",
                    "# 导入时未能对应的岗位：综合窗口\nreviewed:",
                );
            },
            code: "W116",
            says: &["综合窗口"],
            never: &[],
        },
        Row {
            name: "template text left in place",
            make: |r| {
                edit(
                    r,
                    RISK,
                    "    text: 规划条件一经",
                    "    text: 在此填写前期预防措施。规划条件一经",
                )
            },
            code: "W115",
            says: &["在此填写前期预防措施。"],
            never: &[],
        },
        Row {
            name: "unquoted colon in a value",
            make: |r| {
                edit(
                    r,
                    RISK,
                    "    text: 规划条件一经",
                    "    text: 要求: 双人执法。规划条件一经",
                );
            },
            code: "E010",
            says: &["双引号"],
            never: &[],
        },
        Row {
            name: "tab in the indentation",
            make: |r| edit(r, RISK, "  - P-11", "\t- P-11"),
            code: "E013",
            says: &["个半角空格"],
            never: &["每级两个"],
        },
    ]
}

fn diags_of(root: &Path) -> Vec<Diag> {
    site::check_json(root, Some("zh-CN")).1.diagnostics
}

#[test]
fn item_writer_mistakes_get_true_chinese_hints() {
    let mut failures = Vec::new();
    for row in rows() {
        let tmp = site::example_copy();
        (row.make)(tmp.path());
        let diags = diags_of(tmp.path());
        let Some(d) = diags.iter().find(|d| d.code == row.code) else {
            failures.push(format!("{}: no {} in {diags:#?}", row.name, row.code));
            continue;
        };
        let text = format!("{} {}", d.message, d.hint.clone().unwrap_or_default());
        if let Some(e) = english_sentence(&text) {
            failures.push(format!("{}: English \"{e}\" in {text}", row.name));
        }
        if text.contains("是否想写“”") {
            failures.push(format!("{}: empty suggestion in {text}", row.name));
        }
        for s in row.says {
            if !text.contains(s) {
                failures.push(format!("{}: lacks \"{s}\": {text}", row.name));
            }
        }
        for s in row.never {
            if text.contains(s) {
                failures.push(format!("{}: misleading \"{s}\": {text}", row.name));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The grade of risk R-002 after writing `grade:` as `value`.
fn grade_read(value: &str) -> (Option<usize>, Vec<Diag>) {
    let tmp = site::example_copy();
    edit(tmp.path(), RISK, "grade: 一级", &format!("grade: {value}"));
    let diags = diags_of(tmp.path());
    let checked = gongshi::pipeline::check(tmp.path()).expect("config");
    let grade = checked
        .site
        .risks
        .iter()
        .find(|r| r.meta.id == "R-002")
        .map(|r| r.grade);
    (grade, diags)
}

#[test]
fn item_grades_by_position_are_that_grade_never_another() {
    for (value, index) in [("3级", 2), ("３级", 2), ("三", 2), ("3", 2), ("2级", 1)] {
        let (grade, diags) = grade_read(value);
        assert!(
            !diags.iter().any(|d| d.code == "E022"),
            "{value}: {diags:#?}"
        );
        assert_eq!(grade, Some(index), "{value} is grade {}", index + 1);
    }
}

#[test]
fn item_scope_labels_are_scope_values() {
    let tmp = site::example_copy();
    edit(tmp.path(), RISK, "scope: public", "scope: 社会公开");
    let diags = diags_of(tmp.path());
    assert!(diags.iter().all(|d| d.code != "E022"), "{diags:#?}");
    let checked = gongshi::pipeline::check(tmp.path()).expect("config");
    let r = checked
        .site
        .risks
        .iter()
        .find(|r| r.meta.id == "R-002")
        .unwrap();
    assert_eq!(checked.site.config.scopes[r.meta.scope].name, "public");
}

/// Applies a hint's fix and checks the file then reads.
#[test]
fn item_tab_and_colon_hints_lead_to_a_file_that_reads() {
    // tab standing for four columns: "two spaces per level" would not read
    let tmp = site::example_copy();
    edit(tmp.path(), RISK, "    category: 制度", "\tcategory: 制度");
    let d = diags_of(tmp.path());
    let tab = d.iter().find(|d| d.code == "E013").expect("E013");
    let hint = tab.hint.clone().unwrap();
    let n: usize = hint
        .split("换成 ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no number of spaces in {hint}"));
    edit(
        tmp.path(),
        RISK,
        "\tcategory",
        &format!("{}category", " ".repeat(n)),
    );
    let after = diags_of(tmp.path());
    assert!(after.iter().all(|d| d.severity != "error"), "{after:#?}");

    let tmp = site::example_copy();
    let line = "    text: 要求: 双人执法";
    edit(
        tmp.path(),
        RISK,
        "    text: 规划条件一经",
        &format!("{line}\n    x: 规划条件一经"),
    );
    let d = diags_of(tmp.path());
    let e = d.iter().find(|d| d.code == "E010").expect("E010");
    let hint = e.hint.clone().unwrap();
    let fixed = hint
        .split("改成：")
        .nth(1)
        .and_then(|s| s.split('；').next())
        .unwrap_or_else(|| panic!("no fixed line in {hint}"));
    edit(tmp.path(), RISK, line.trim_start(), fixed);
    let after = diags_of(tmp.path());
    assert!(
        after.iter().all(|d| d.code != "E010" && d.code != "E013"),
        "{after:#?}"
    );
}

#[test]
fn item_command_line_speaks_chinese() {
    for args in [
        vec!["new"],
        vec!["chek"],
        vec!["check", "--format", "xml"],
        vec!["--bogus"],
    ] {
        let run = gongshi(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains("错误"), "{args:?}: {}", run.stderr);
        assert_eq!(
            english_sentence(&run.stderr),
            None,
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("Usage"), "{}", run.stderr);
    }
    for args in [vec!["--help"], vec!["new", "--help"]] {
        let run = gongshi(&args);
        assert_eq!(run.code, 0);
        for english in ["Usage", "Options", "Arguments", "Print help", "[default"] {
            assert!(!run.stdout.contains(english), "{args:?}: {}", run.stdout);
        }
        assert!(run.stdout.contains("用法"), "{}", run.stdout);
    }
}

#[test]
fn item_new_takes_chinese_kinds_and_writes_no_review() {
    let tmp = site::example_copy();
    let root = tmp.path().to_str().unwrap();
    let run = gongshi(&["new", "风险点", "R-060", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(tmp.path().join("content/risks/R-060.md")).unwrap();
    // a review stamp is `gongshi review`'s to write (tests/review.rs)
    assert!(!text.lines().any(|l| l.starts_with("reviewed")), "{text}");
    let diags = diags_of(tmp.path());
    let w: Vec<_> = diags
        .iter()
        .filter(|d| d.code == "W115" && d.file.ends_with("R-060.md"))
        .collect();
    assert!(w.len() >= 4, "template text not flagged: {diags:#?}");
    for kind in ["岗位", "职权", "流程图", "科室", "防控措施", "页面"] {
        let run = gongshi(&["new", kind, &format!("X-{}", kind.len()), "--root", root]);
        assert_eq!(run.code, 0, "{kind}: {}", run.stderr);
    }
}

#[test]
fn item_quiet_means_errors_only() {
    let tmp = site::example_copy();
    let root = tmp.path().to_str().unwrap();
    let run = gongshi(&["publish", "-q", "--root", root]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.trim(), "", "publish -q printed");
    let run = gongshi(&["check", "-q", "--root", root]);
    assert_eq!(run.stderr.trim(), "", "check -q printed");
    let run = gongshi(&["new", "risk", "R-061", "-q", "--root", root]);
    assert_eq!(run.stderr.trim(), "", "new -q printed");
}
