//! `gongshi import` of an office's ledger, again and again: a row that
//! matches an existing item (by id, else by title within its department)
//! is reported as 已存在 and never created twice; new ids never reuse a
//! number an earlier published version gave another risk; cells are read
//! as offices type them (grades by position, lists, dates, spaces), and
//! what cannot be read is reported at its cell.

use crate::common;

use common::site::{check_passes, hash_sources, init_example as example_site, Run};
use std::path::Path;

fn office_csv() -> String {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(repo.join("tests/ledgers/office-risks.csv")).unwrap()
}

fn import(site: &Path, file: &Path, extra: &[&str]) -> Run {
    common::site::import(site, file, "risk", extra)
}

fn front(site: &Path, id: &str) -> String {
    std::fs::read_to_string(site.join(format!("content/risks/{id}.md"))).unwrap()
}

fn risk_files(site: &Path) -> usize {
    std::fs::read_dir(site.join("content/risks"))
        .unwrap()
        .count()
}

fn has_all(out: &str, lines: &[&str]) {
    for line in lines {
        assert!(out.contains(line), "report lacks {line:?}:\n{out}");
    }
}

#[test]
fn an_office_ledger_imported_twice_creates_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let ledger = dir.path().join("台账.csv");
    std::fs::write(&ledger, office_csv()).unwrap();
    let r = import(&site, &ledger, &[]);
    has_all(&r.stdout, &["第 4 行　导入　R-031", "导入 3 行"]);
    let files = risk_files(&site);
    let before = hash_sources(&site);

    // the same ledger again: the three rows are there already
    let r = import(&site, &ledger, &[]);
    has_all(
        &r.stdout,
        &[
            "第 4 行　已存在　R-031　窗口受理时吃拿卡要",
            "第 5 行　已存在　R-032",
            "第 7 行　已存在　R-033　违规查询不动产登记信息",
            "已存在 3 行",
            "导入 0 行",
        ],
    );
    assert!(!r.stdout.contains("R-034"), "{}", r.stdout);
    assert_eq!(before, hash_sources(&site), "nothing may change");
    assert_eq!(files, risk_files(&site));

    // retyped by another hand: spaces moved, full-width forms
    let respaced = office_csv()
        .replace("窗口受理时吃拿卡要", "  窗口受理时 吃拿卡要　")
        .replace("审查环节　放宽条件", "审查环节放宽条件");
    std::fs::write(&ledger, respaced).unwrap();
    let r = import(&site, &ledger, &["--dry-run"]);
    has_all(
        &r.stdout,
        &["第 4 行　已存在　R-031", "第 5 行　已存在　R-032"],
    );
    let r = import(&site, &ledger, &[]);
    has_all(&r.stdout, &["已存在 3 行", "导入 0 行"]);
    assert_eq!(before, hash_sources(&site));
    check_passes(&site);
}

/// Titles of the example site, typed with other punctuation and spaces,
/// in and out of their departments.
const MATCHES: &str = "\
序号,编号,风险点名称,风险等级,风险类型,责任科室
1,,\"集体审议流于形式, 个人意志代替集体决策\",一级,制度机制,局领导班子
2,,\"矿山企业和中介机构\"\"围猎\"\"审批人员\",二级,外部环境,行政审批科
3,,化整为零规避公开招标,二级,制度机制,财务审计科
4,,泄露举报人信息或举报内容,二级,岗位职责,
5,,化整为零　规避公开招标,二级,制度机制,财务审计科
6,,化整为零规避公开招标,二级,制度机制,
7,R-002,规划条件审查中擅自变更或放宽规划指标,一级,岗位职责,国土空间规划科
";

#[test]
fn rows_match_by_id_else_by_title_within_their_department() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let ledger = dir.path().join("matches.csv");
    std::fs::write(&ledger, MATCHES).unwrap();
    let r = import(&site, &ledger, &[]);
    assert_eq!(r.code, 1, "rows 5 and 6 are skipped:\n{}", r.stdout);
    has_all(
        &r.stdout,
        &[
            // a half-width comma, a space, straight quotes: the same titles
            "第 2 行　已存在　R-004",
            "第 3 行　已存在　R-020",
            // R-015 is 办公室's: 财务审计科's own is new
            "第 4 行　导入　R-031　化整为零规避公开招标",
            // no department: the one risk of that title anywhere
            "第 5 行　已存在　R-012",
            "第 6 行　跳过　化整为零　规避公开招标　与第 4 行",
            "第 7 行　跳过　化整为零规避公开招标　与 R-015、R-031 的标题相同",
            "第 8 行　已存在　R-002",
            "导入 1 行",
            "已存在 4 行",
        ],
    );
    assert!(front(&site, "R-031").contains("department: D-03"));
    assert!(!site.join("content/risks/R-032.md").exists());
    check_passes(&site);
    let before = hash_sources(&site);
    let r = import(&site, &ledger, &[]);
    has_all(&r.stdout, &["第 4 行　已存在　R-031", "导入 0 行"]);
    assert_eq!(before, hash_sources(&site));
}

/// `gongshi publish` or `build` (no time limit: a debug build of every
/// audience may take a while on a busy machine).
fn run_long(site: &Path, args: &[&str]) {
    let out = assert_cmd::Command::cargo_bin("gongshi")
        .unwrap()
        .arg("--root")
        .arg(site)
        .arg("--quiet")
        .args(args)
        .env("GONGSHI_TODAY", common::site::TODAY)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "gongshi {args:?}: {err}");
}

fn set_version(site: &Path, v: &str) {
    let p = site.join("gongshi.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    let text: Vec<String> = text
        .lines()
        .map(|l| match l.starts_with("version:") {
            true => format!("version: \"{v}\""),
            false => l.to_string(),
        })
        .collect();
    std::fs::write(p, text.join("\n")).unwrap();
}

/// Section of changes.html under heading `h`.
use crate::common::changes_page::ids;

#[test]
fn a_new_risk_never_takes_the_id_a_published_version_gave_another() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    set_version(&site, "2023");
    run_long(&site, &["publish"]);
    std::fs::remove_file(site.join("content/risks/R-021.md")).unwrap();
    set_version(&site, "2024");
    let ledger = dir.path().join("new.csv");
    std::fs::write(
        &ledger,
        "风险点名称,风险等级,风险类型,责任科室\n证照打印环节私自收费,三级,业务流程,不动产登记中心\n",
    )
    .unwrap();
    let r = import(&site, &ledger, &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    has_all(&r.stdout, &["导入　R-031　证照打印环节私自收费"]);
    assert!(!site.join("content/risks/R-021.md").exists());
    check_passes(&site);
    run_long(&site, &["build"]);
    let html = std::fs::read_to_string(site.join("site/internal/2024/changes.html")).unwrap();
    assert_eq!(ids(&html, "新增"), ["R-031"], "{html}");
    assert_eq!(ids(&html, "删除"), ["R-021"], "{html}");
    assert!(
        ids(&html, "风险类型").is_empty(),
        "no risk changed its type"
    );
    assert!(
        ids(&html, "风险等级").is_empty(),
        "no risk changed its grade"
    );
}

/// A ledger as offices fill it in: grades by position in every spelling,
/// lists split at 、，；, dates as date cells and as text, stray spaces.
fn typed_workbook(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("科室台账").unwrap();
    let heads = [
        "序号",
        "风险点名称",
        "风险等级",
        "风险类型",
        "责任科室",
        "涉险岗位",
        "防控措施",
        "依据制度",
        "复核日期",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let grades = [
        "2级", "２级", "3级", "1", "二", "Ⅱ", "B", "二 级", "4级", "二级",
    ];
    for (i, g) in grades.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, f64::from(r)).unwrap();
        let title = format!("新增风险{}", "一二三四五六七八九十".chars().nth(i).unwrap());
        ws.write_string(r, 1, &title).unwrap();
        match *g {
            "1" => ws.write_number(r, 2, 1.0).unwrap(),
            g => ws.write_string(r, 2, g).unwrap(),
        };
        ws.write_string(r, 3, "岗位职责").unwrap();
        ws.write_string(r, 4, "行政审批科").unwrap();
    }
    // row 2: spaces and a zero-width space around the title, lists on one line
    ws.write_string(1, 1, "\u{3000} 新增风险一\u{200b}")
        .unwrap();
    ws.write_string(1, 5, "审批员，行政审批科科长").unwrap();
    ws.write_string(1, 6, "公开清单；每周抽查").unwrap();
    ws.write_string(1, 7, "《行政许可法》、《土地管理法》第三十七条、第三十八条")
        .unwrap();
    let date = ExcelDateTime::from_ymd(2025, 5, 20).unwrap();
    let date_format = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    ws.write_datetime_with_format(1, 8, &date, &date_format)
        .unwrap();
    // row 3: lists one a line, a date as text without separators
    ws.write_string(2, 5, "审批员\n行政审批科科长").unwrap();
    ws.write_string(2, 8, "20250520").unwrap();
    // row 11: a date nobody can read
    ws.write_string(10, 8, "下月").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn cells_are_read_as_offices_type_them_and_the_rest_reported_at_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let ledger = dir.path().join("科室台账.xlsx");
    typed_workbook(&ledger);
    let r = import(&site, &ledger, &[]);
    assert_eq!(r.code, 1, "row 10 is skipped:\n{}", r.stdout);
    has_all(
        &r.stdout,
        &[
            "第 2 行　导入　R-031　新增风险一　",
            "第 9 行　导入　R-038　新增风险八",
            "第 10 行　跳过　新增风险九　风险等级“4级”不是可用的值",
            "（单元格 C10）",
            "第 11 行　存疑　R-040",
            "复核日期“下月”不是可用的值（YYYY-MM-DD），未填写（单元格 I11）",
            "导入 9 行（其中存疑 1 行",
        ],
    );
    let expected = [
        "二级", "二级", "三级", "一级", "二级", "二级", "二级", "二级",
    ];
    for (n, g) in (31..).zip(expected) {
        let id = format!("R-0{n}");
        let text = front(&site, &id);
        assert!(text.contains(&format!("grade: {g}\n")), "{id}:\n{text}");
    }
    let r31 = front(&site, "R-031");
    has_all(
        &r31,
        &[
            "title: 新增风险一\n",
            "posts:\n- P-10\n- P-09\n",
            "text: 公开清单\n",
            "text: 每周抽查\n",
            "- 《行政许可法》\n- 《土地管理法》第三十七条、第三十八条\n",
            "reviewed: 2025-05-20\n",
        ],
    );
    let r32 = front(&site, "R-032");
    has_all(
        &r32,
        &["posts:\n- P-10\n- P-09\n", "reviewed: 2025-05-20\n"],
    );
    assert!(!front(&site, "R-040").contains("reviewed:"));
    assert!(
        !site.join("content/risks/R-039.md").exists(),
        "row 10 was skipped"
    );
    check_passes(&site);
}
