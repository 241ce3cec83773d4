//! `gongshi import FILE --kind risk --update`: an office's own ledger
//! (merged title row, no id column) imported, corrected in the sheet and
//! imported again. Matched rows change only the fields whose columns the
//! sheet has, in place; unchanged rows are 未变 and leave their files
//! byte-identical; an empty cell never deletes anything; a body that
//! would lose its scope blocks is skipped with the reason.

use crate::common;

use common::site::{check_passes, hash_sources, init_example as example_site, Run};
use std::collections::BTreeMap;
use std::path::Path;

fn import(site: &Path, file: &Path, extra: &[&str]) -> Run {
    common::site::import(site, file, "risk", extra)
}

fn has_all(out: &str, lines: &[&str]) {
    for line in lines {
        assert!(out.contains(line), "report lacks {line:?}:\n{out}");
    }
}

/// Every file under `content/`, by path, as text.
fn texts(site: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(site).unwrap();
            let text = std::fs::read_to_string(e.path()).unwrap();
            out.insert(rel.to_string_lossy().replace('\\', "/"), text);
        }
    }
    out
}

/// The lines that differ between two versions of `content/`: (file,
/// old line, new line); files added or removed fail the test.
fn diff(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    let a: Vec<&String> = before.keys().collect();
    let b: Vec<&String> = after.keys().collect();
    assert_eq!(a, b, "files were added or removed");
    let mut out = Vec::new();
    for (path, old) in before {
        let new = &after[path];
        if old == new {
            continue;
        }
        let (o, n): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
        assert_eq!(o.len(), n.len(), "{path}: lines added or removed:\n{new}");
        for (x, y) in o.iter().zip(&n) {
            if x != y {
                out.push(format!("{path}: {} → {}", x.trim(), y.trim()));
            }
        }
    }
    out
}

/// An office's ledger as a county bureau keeps it: a merged title row, a
/// blank row, the headings on row 3, no id column.
fn office_book(path: &Path, heads: &[&str], rows: &[Vec<&str>]) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("廉政风险点台账").unwrap();
    let last = heads.len() as u16 - 1;
    let title = "某县自然资源和规划局廉政风险点台账（2025年）";
    ws.merge_range(0, 0, 0, last, title, &Format::new().set_bold())
        .unwrap();
    for (c, h) in heads.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(3 + i as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

const HEADS: [&str; 8] = [
    "序号",
    "风险点名称",
    "风险等级",
    "风险类型",
    "涉险岗位",
    "责任科室",
    "防控措施",
    "风险表现",
];

fn rows(grade: &str, measure: &str) -> Vec<Vec<&'static str>> {
    let grade: &'static str = Box::leak(grade.to_string().into_boxed_str());
    let second: &'static str =
        Box::leak(format!("（1）两人共同审查\n（2）{measure}").into_boxed_str());
    vec![
        vec![
            "1",
            "窗口受理时吃拿卡要",
            grade,
            "岗位职责",
            "审批员",
            "行政审批科",
            "1、公开办事指南和材料清单；2、窗口全程录音录像；3、群众评价结果每月通报。",
            "对申请人故意刁难，借机索要好处。",
        ],
        vec![
            "2",
            "审查环节放宽条件",
            "中",
            "业务流程",
            "审批员、行政审批科科长",
            "行政审批科",
            second,
            "对关系人的申请降低审查标准。",
        ],
        vec![
            "3",
            "违规查询不动产登记信息时收取好处",
            "二级",
            "岗位职责",
            "",
            "不动产登记中心",
            "1.查询全程留痕\n2.每月抽查查询记录",
            "为他人查询不动产信息收取好处。",
        ],
    ]
}

#[test]
fn a_corrected_office_ledger_changes_exactly_the_corrected_fields() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let ledger = dir.path().join("台账.xlsx");
    office_book(&ledger, &HEADS, &rows("高", "科长复核签字"));
    let r = import(&site, &ledger, &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    has_all(&r.stdout, &["导入　R-031", "导入　R-032", "导入　R-033"]);
    check_passes(&site);

    // the same sheet with --update: every row is there and unchanged
    let before = texts(&site);
    let r = import(&site, &ledger, &["--update"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    has_all(
        &r.stdout,
        &[
            "第 4 行　未变　R-031",
            "第 5 行　未变　R-032",
            "第 6 行　未变　R-033",
        ],
    );
    assert!(diff(&before, &texts(&site)).is_empty());

    // one grade and one measure corrected in the sheet
    office_book(&ledger, &HEADS, &rows("中", "科长复核并签字"));
    let hashes = hash_sources(&site);
    let r = import(&site, &ledger, &["--update", "--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    has_all(
        &r.stdout,
        &[
            "第 4 行　更新　R-031　窗口受理时吃拿卡要　→ content/risks/R-031.md",
            "风险等级：一级 → 二级",
            "第 5 行　更新　R-032",
            "科长复核签字 → 科长复核并签字",
            "第 6 行　未变　R-033",
            "试运行",
        ],
    );
    assert_eq!(hashes, hash_sources(&site), "a dry run writes nothing");

    let r = import(&site, &ledger, &["--update"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    has_all(
        &r.stdout,
        &[
            "第 4 行　更新　R-031",
            "风险等级：一级 → 二级",
            "第 5 行　更新　R-032",
            "科长复核签字 → 科长复核并签字",
            "第 6 行　未变　R-033",
            "更新 2 行，未变 1 行",
            "已写入 2 个文件",
        ],
    );
    assert!(!r.stdout.contains("R-034"), "{}", r.stdout);
    assert_eq!(
        diff(&before, &texts(&site)),
        [
            "content/risks/R-031.md: grade: 一级 → grade: 二级",
            "content/risks/R-032.md: - text: 科长复核签字 → - text: 科长复核并签字",
        ]
    );
    check_passes(&site);

    // the same sheet again: nothing to do
    let hashes = hash_sources(&site);
    let r = import(&site, &ledger, &["--update"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    has_all(
        &r.stdout,
        &[
            "第 4 行　未变　R-031",
            "第 5 行　未变　R-032",
            "第 6 行　未变　R-033",
            "更新 0 行，未变 3 行",
            "已写入 0 个文件",
        ],
    );
    assert_eq!(hashes, hash_sources(&site));
}

#[test]
fn a_sheet_changes_only_its_columns_and_never_deletes_or_widens() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let ledger = dir.path().join("科室台账.xlsx");
    let heads = [
        "序号",
        "风险点名称",
        "风险类型",
        "责任科室",
        "防控措施",
        "风险表现",
    ];
    let r001 = "在政务服务网和窗口公布申请材料清单和办理时限，受理只对照清单。\n\
                科室负责人每周抽查受理和退件记录，同一申请被退件两次以上的逐件核实原因。\n\
                对群众投诉的刁难、推诿问题 3 个工作日内核实答复，查实的按首问负责和过错责任追究规定处理。";
    office_book(
        &ledger,
        &heads,
        &[
            // no grade column: R-001's grade stays; its shared measure stays
            vec![
                "1",
                "受理环节违规降低条件受理或故意刁难申请人",
                "岗位职责",
                "行政审批科",
                r001,
                "",
            ],
            // empty measures cell: measures kept; a body without the
            // file's scope block: skipped, the file untouched
            vec![
                "2",
                "违规查询、泄露或出售不动产登记信息",
                "岗位职责",
                "不动产登记中心",
                "",
                "工作人员利用登记系统权限为他人查询不动产信息。",
            ],
        ],
    );
    let before = texts(&site);
    let r = import(&site, &ledger, &["--update"]);
    assert_eq!(r.code, 1, "row 5 is skipped:\n{}", r.stdout);
    has_all(
        &r.stdout,
        &[
            "第 4 行　更新　R-001",
            "第 5 行　跳过",
            "<!-- scope: -->",
            "更新 1 行",
        ],
    );
    let changed = diff(&before, &texts(&site));
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed[0].starts_with(
            "content/risks/R-001.md: text: 在政务服务网和窗口公布申请材料清单、示范文本和办理时限"
        ),
        "{changed:?}"
    );
    let r001 = std::fs::read_to_string(site.join("content/risks/R-001.md")).unwrap();
    has_all(&r001, &["grade: 二级\n", "  - ref: M-04\n"]);
    check_passes(&site);

    // the grade column is there but a cell is empty: nothing changes
    let heads = ["风险点名称", "风险等级", "责任科室", "防控措施"];
    office_book(
        &ledger,
        &heads,
        &[vec![
            "受理环节违规降低条件受理或故意刁难申请人",
            "",
            "行政审批科",
            "",
        ]],
    );
    let hashes = hash_sources(&site);
    let r = import(&site, &ledger, &["--update"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    has_all(&r.stdout, &["第 4 行　未变　R-001"]);
    assert_eq!(hashes, hash_sources(&site));
}
