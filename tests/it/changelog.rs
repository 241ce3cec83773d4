//! The change log (修订对照): version 2024 of a copy of the example site is
//! built, one change of every kind is made, version 2025 is built, and
//! each change is found in `gongshi diff 2024 2025`, in the 修订对照
//! sheet of `register.xlsx`, in `changes.html` and in the booklet's appendix
//! 修订对照表 of the internal audience. The public
//! audience's log holds nothing of the internal items (canaries), and a
//! risk moved from public to internal shows there as withdrawn under its
//! old title only.

use crate::common::changes_page::{self, Row};
use crate::common::sheet;
use assert_cmd::Command;
use std::path::Path;

/// One change: the file edited (an empty result deletes it), and how the
/// log names it: the start of its entry line (id, or the notice's title),
/// the 编号 cell, the change's name and a text of 修订前/修订后.
struct Case {
    what: &'static str,
    file: &'static str,
    edit: fn(&str) -> String,
    key: &'static str,
    id: &'static str,
    label: &'static str,
    text: &'static str,
}

/// A canary: in internal items only.
const CANARY: &str = "金丝雀";

fn replace(from: &'static str, to: &'static str) -> impl Fn(&str) -> String {
    move |s: &str| {
        assert!(s.contains(from), "no {from:?} to replace");
        s.replacen(from, to, 1)
    }
}

const NEW_DEPARTMENT: &str =
    "---\nid: D-08\ntitle: 法规股\nparent: D-01\nscope: public\n---\n负责法制审核。\n";
const NEW_RISK: &str = "---\nid: R-099\ntitle: 新增的公开风险点\ntype: 岗位职责\ngrade: 三级\ndepartment: D-04\nmeasures:\n  - text: 新增的防控措施。\nscope: public\n---\n新增风险点的表现。\n";
const INTERNAL_RISK: &str = "---\nid: R-098\ntitle: 金丝雀内部风险\ntype: 岗位职责\ngrade: 三级\ndepartment: D-04\nmeasures:\n  - text: 金丝雀内部措施。\nscope: internal\n---\n金丝雀内部正文。\n";

fn cases() -> Vec<Case> {
    vec![
        Case {
            what: "notice field",
            file: "content/_index.md",
            edit: |s| replace("〔2025〕12号", "〔2025〕15号")(s),
            key: "关于某县",
            id: "",
            label: "文号",
            text: "〔2025〕15号",
        },
        Case {
            what: "department added",
            file: "content/departments/D-08.md",
            edit: |_| NEW_DEPARTMENT.into(),
            key: "D-08",
            id: "D-08",
            label: "新增",
            text: "法规股",
        },
        Case {
            what: "department renamed",
            file: "content/departments/D-02.md",
            edit: |s| replace("title: 办公室", "title: 局办公室")(s),
            key: "D-02",
            id: "D-02",
            label: "名称",
            text: "局办公室",
        },
        Case {
            what: "post moved",
            file: "content/posts/P-03.md",
            edit: |s| replace("department: D-01", "department: D-02")(s),
            key: "P-03",
            id: "P-03",
            label: "责任科室",
            text: "局办公室",
        },
        Case {
            what: "power basis",
            file: "content/powers/QL-02.md",
            edit: |s| {
                replace("basis:\n", "basis:\n  - 《不动产登记操作规范（试行）》\n")(
                    s,
                )
            },
            key: "QL-02",
            id: "QL-02",
            label: "依据",
            text: "操作规范（试行）",
        },
        Case {
            what: "flow step added",
            file: "content/flows/F-02.md",
            edit: |s| {
                replace("    next:\n      - S02\n", "    next:\n      - S00\n  - id: S00\n    label: 网上预约登记\n    post: P-17\n    next:\n      - S02\n")(s)
            },
            key: "F-02",
            id: "F-02",
            label: "新增环节",
            text: "网上预约登记",
        },
        Case {
            what: "flow step relinked",
            file: "content/flows/F-02.md",
            edit: |s| s.to_string(),
            key: "F-02",
            id: "F-02",
            label: "环节走向",
            text: "→ 网上预约登记",
        },
        Case {
            what: "flow step removed",
            file: "content/flows/F-04.md",
            edit: |s| {
                replace("      - S06\n  - id: S06\n    label: 签订政府采购合同\n    post: P-04\n    time_limit: 中标通知书发出之日起30日内\n    next:\n      - S07\n", "      - S07\n")(s)
            },
            key: "F-04",
            id: "F-04",
            label: "删除环节",
            text: "签订政府采购合同",
        },
        Case {
            what: "risk grade",
            file: "content/risks/R-005.md",
            edit: |s| replace("grade: 三级", "grade: 二级")(s),
            key: "R-005",
            id: "R-005",
            label: "风险等级",
            text: "二级",
        },
        Case {
            what: "risk department moved",
            file: "content/risks/R-005.md",
            edit: |s| replace("department: D-07", "department: D-06")(s),
            key: "R-005",
            id: "R-005",
            label: "责任科室",
            text: "执法",
        },
        Case {
            what: "risk type",
            file: "content/risks/R-001.md",
            edit: |s| replace("type: 岗位职责", "type: 业务流程")(s),
            key: "R-001",
            id: "R-001",
            label: "风险类型",
            text: "业务流程",
        },
        Case {
            what: "risk likelihood",
            file: "content/risks/R-003.md",
            edit: |s| replace("likelihood: 3", "likelihood: 4")(s),
            key: "R-003",
            id: "R-003",
            label: "可能性",
            text: "4",
        },
        Case {
            what: "risk impact",
            file: "content/risks/R-006.md",
            edit: |s| replace("impact: 5", "impact: 4")(s),
            key: "R-006",
            id: "R-006",
            label: "影响程度",
            text: "4",
        },
        Case {
            what: "risk renamed",
            file: "content/risks/R-006.md",
            edit: |s| replace("title: ", "title: 改名后的")(s),
            key: "R-006",
            id: "R-006",
            label: "名称",
            text: "改名后的",
        },
        Case {
            what: "risk owner",
            file: "content/risks/R-004.md",
            edit: |s| replace("owner: 局党组书记、局长", "owner: 局长")(s),
            key: "R-004",
            id: "R-004",
            label: "防控责任人",
            text: "局长",
        },
        Case {
            what: "risk basis",
            file: "content/risks/R-010.md",
            edit: |s| {
                replace("basis:\n", "basis:\n  - 《自然资源违法案件立案规定》\n")(s)
            },
            key: "R-010",
            id: "R-010",
            label: "依据",
            text: "立案规定",
        },
        Case {
            what: "risk inline measure",
            file: "content/risks/R-010.md",
            edit: |s| replace("登记后 15 个工作日", "登记后 10 个工作日")(s),
            key: "R-010",
            id: "R-010",
            label: "防控措施",
            text: "10 个工作日",
        },
        Case {
            what: "risk shared measure",
            file: "content/risks/R-009.md",
            edit: |s| replace("measures:\n", "measures:\n  - ref: M-02\n")(s),
            key: "R-009",
            id: "R-009",
            label: "防控措施",
            text: "集体决策制度",
        },
        Case {
            what: "risk body",
            file: "content/risks/R-002.md",
            edit: |s| {
                replace("是本局风险等级最高的环节之一", "是本局重点监督的环节")(
                    s,
                )
            },
            key: "R-002",
            id: "R-002",
            label: "正文",
            text: "重点监督",
        },
        Case {
            what: "risk added",
            file: "content/risks/R-099.md",
            edit: |_| NEW_RISK.into(),
            key: "R-099",
            id: "R-099",
            label: "新增",
            text: "新增的公开风险点",
        },
        Case {
            what: "risk removed",
            file: "content/risks/R-024.md",
            edit: |_| String::new(),
            key: "R-024",
            id: "R-024",
            label: "删除",
            text: "",
        },
        Case {
            what: "risk narrowed to internal",
            file: "content/risks/R-019.md",
            edit: |s| {
                replace("scope: public", "scope: internal")(s).replacen(
                    "title: ",
                    "title: 金丝雀",
                    1,
                ) + "\n金丝雀新正文。\n"
            },
            key: "R-019",
            id: "R-019",
            label: "公示范围",
            text: "单位内部",
        },
        Case {
            what: "internal risk added",
            file: "content/risks/R-098.md",
            edit: |_| INTERNAL_RISK.into(),
            key: "R-098",
            id: "R-098",
            label: "新增",
            text: "金丝雀内部风险",
        },
        Case {
            what: "shared measure body",
            file: "content/measures/M-02.md",
            edit: |s| replace("一律提交局党组会", "一律提交局党组会议")(s),
            key: "M-02",
            id: "M-02",
            label: "正文",
            text: "局党组会议",
        },
        Case {
            what: "page body",
            file: "content/pages/jubao.md",
            edit: |s| replace("每周开箱两次", "每周开箱三次")(s),
            key: "jubao",
            id: "jubao",
            label: "正文",
            text: "三次",
        },
    ]
}

fn gongshi(root: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("gongshi")
        .unwrap()
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert!(out.status.success(), "gongshi {args:?}: {stdout}\n{stderr}");
    stdout
}

fn set_version(root: &Path, v: &str) {
    let p = root.join("gongshi.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    let text: Vec<String> = text
        .lines()
        .map(|l| match l.starts_with("version:") {
            true => format!("version: \"{v}\""),
            false => l.to_string(),
        })
        .collect();
    std::fs::write(p, text.join("\n") + "\n").unwrap();
}

/// The lines of the entry whose line starts with `key` and names `label`:
/// that line and its 修订前/修订后 lines.
fn block(output: &str, key: &str, label: &str) -> Option<String> {
    let lines: Vec<&str> = output.lines().collect();
    let at = lines.iter().position(|l| {
        l.starts_with("  ") && !l.starts_with("    ") && l.trim().starts_with(key) && {
            let what = l.rsplit('：').next().unwrap_or("");
            what == label
        }
    })?;
    let rest = lines[at + 1..]
        .iter()
        .take_while(|l| l.starts_with("    "))
        .copied();
    Some(
        std::iter::once(lines[at])
            .chain(rest)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Both versions built, the changes made between them.
fn two_versions() -> tempfile::TempDir {
    let dir = crate::common::site::example_copy();
    let root = dir.path();
    set_version(root, "2024");
    gongshi(root, &["--quiet", "build"]);
    for c in cases() {
        let path = root.join(c.file);
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        match (c.edit)(&old) {
            new if new.is_empty() => std::fs::remove_file(&path).unwrap(),
            new => std::fs::write(&path, new).unwrap(),
        }
    }
    set_version(root, "2025");
    gongshi(root, &["--quiet", "build"]);
    dir
}

/// The rows of the booklet's appendix 修订对照表 (序号, 编号, 事项, 修订前,
/// 修订后), as text.
fn appendix_rows(booklet: &str) -> Vec<Vec<String>> {
    let Some(start) = booklet.find("id=\"s-appendix\"") else {
        return Vec::new();
    };
    let section = &booklet[start..];
    let section = &section[..section.find("</section>").unwrap_or(section.len())];
    let body = section.split("<tbody>").nth(1).unwrap_or("");
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|c| changes_page::text_of(&format!("<td{c}")))
                .collect()
        })
        .collect()
}

#[test]
fn every_change_is_in_diff_and_sheet_and_the_public_sees_only_its_own() {
    let dir = two_versions();
    let root = dir.path();
    let internal = gongshi(root, &["diff", "2024", "2025", "--scope", "internal"]);
    let xlsx = std::fs::read(root.join("site/internal/2025/register.xlsx")).unwrap();
    let rows = sheet::rows(&xlsx, "修订对照");
    assert_eq!(rows[1], ["序号", "编号", "事项", "修订前", "修订后"]);
    let page = std::fs::read_to_string(root.join("site/internal/2025/changes.html")).unwrap();
    let on_page = changes_page::rows(&page);
    let booklet = std::fs::read_to_string(root.join("site/internal/2025/booklet.html")).unwrap();
    let appendix = appendix_rows(&booklet);
    assert!(!appendix.is_empty(), "the booklet has its 修订对照表");
    let mut missing = Vec::new();
    for c in cases() {
        let found = block(&internal, c.key, c.label).is_some_and(|b| b.contains(c.text));
        let in_sheet = rows[2..].iter().any(|r| {
            r[1] == c.id
                && r[2].ends_with(&format!("：{}", c.label))
                && (r[3].contains(c.text) || r[4].contains(c.text))
        });
        let in_page = on_page
            .iter()
            .any(|r: &Row| r.id() == c.id && r.what() == c.label && r.texts().contains(c.text));
        let in_booklet = appendix.iter().any(|r| {
            r[1] == c.id
                && r[2].ends_with(&format!("：{}", c.label))
                && (r[3].contains(c.text) || r[4].contains(c.text))
        });
        if !found || !in_sheet || !in_page || !in_booklet {
            missing.push(format!(
                "{} (diff {found}, sheet {in_sheet}, page {in_page}, booklet {in_booklet})",
                c.what
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "not in the log: {missing:?}\n{internal}"
    );
    // grouped by kind, with counts
    assert!(internal.contains("风险点（"), "{internal}");
    assert!(
        internal.contains("共用防控措施（1 项，1 处修订）"),
        "{internal}"
    );

    // the page: grouped by kind with counts, texts word by word
    assert!(page.contains("id=\"changes-measure\""), "{page}");
    let body = on_page
        .iter()
        .find(|r| r.what() == "正文")
        .expect("a body change on the page");
    assert!(
        body.html.contains("<ins>") || body.html.contains("<del>"),
        "{}",
        body.html
    );

    // The public log: no canary, R-019 withdrawn under its old title.
    let public = gongshi(root, &["diff", "2024", "2025", "--scope", "public"]);
    let public_xlsx = std::fs::read(root.join("site/public/2025/register.xlsx")).unwrap();
    let public_rows = sheet::rows(&public_xlsx, "修订对照");
    let cells: String = public_rows.concat().join("\n");
    let public_page = std::fs::read_to_string(root.join("site/public/2025/changes.html")).unwrap();
    let public_booklet =
        std::fs::read_to_string(root.join("site/public/2025/booklet.html")).unwrap();
    for text in [&public, &cells, &public_page, &public_booklet] {
        assert!(
            !text.contains(CANARY),
            "an internal text in the public log:\n{text}"
        );
    }
    let withdrawn = block(&public, "R-019", "撤回（不再公示）").expect(&public);
    let old_title = "采矿权违规协议出让、压低出让收益";
    assert!(withdrawn.contains(old_title), "{withdrawn}");
    let r021: Vec<&Vec<String>> = public_rows.iter().filter(|r| r[1] == "R-019").collect();
    assert_eq!(r021.len(), 1, "{r021:?}");
    assert!(
        r021[0][2].contains("撤回（不再公示）") && r021[0][2].contains(old_title),
        "{r021:?}"
    );
    let gone = changes_page::rows(&public_page);
    let gone: Vec<&Vec<String>> = gone
        .iter()
        .filter(|r| r.id() == "R-019")
        .map(|r| &r.cells)
        .collect();
    assert_eq!(gone.len(), 1, "{gone:?}");
    assert_eq!(
        (gone[0][1].as_str(), gone[0][2].as_str()),
        (old_title, "撤回（不再公示）")
    );
    // what the public saw change is there too
    assert!(block(&public, "R-005", "风险等级").is_some(), "{public}");
    assert!(block(&public, "R-098", "新增").is_none(), "{public}");
}
