//! `gongshi import` (#10): a ledger laid out like the register imports
//! into an equal site (the register export itself is refused); an office's ledger (merged title row, blank rows, full-width
//! spaces, numbered measure cells, GBK CSV) imports into a site that passes
//! check, with a report of every row and of what was guessed.

use crate::common;

use calamine::{Data, Reader};
use common::site::{
    arg as s, check_passes, gongshi, hash_sources, import, init_example as example_site,
};
use std::path::Path;

fn repo() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

/// The office ledger fixture: a title line, a blank line, the header on
/// line 3, data rows with a blank row, a note row and a bad grade.
fn office_csv() -> String {
    std::fs::read_to_string(Path::new(repo()).join("tests/ledgers/office-risks.csv")).unwrap()
}

fn export_xlsx(site: &Path, out: &Path) {
    let r = gongshi(&[
        "--root",
        s(site),
        "export",
        "--format",
        "xlsx",
        "--scope",
        "internal",
        "-o",
        s(out),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Every sheet's cells as text.
fn cells(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|n| {
            let r = wb.worksheet_range(&n).unwrap();
            let rows = r
                .rows()
                .map(|row| row.iter().map(Data::to_string).collect())
                .collect();
            (n, rows)
        })
        .collect()
}

/// The cells of every sheet of `from` in a new workbook, as an office
/// copies the register's layout into its own ledger: what the export
/// says of itself (its document properties) is not copied.
fn copy_cells(from: &Path, to: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in cells(from) {
        let ws = wb.add_worksheet();
        ws.set_name(&name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, v).unwrap();
                }
            }
        }
    }
    wb.save(to).unwrap();
}

#[test]
fn a_ledger_laid_out_like_the_register_imports_into_an_equal_site() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.xlsx");
    export_xlsx(Path::new(repo()), &first);
    let site = example_site(dir.path());
    for folder in ["risks", "powers", "posts"] {
        std::fs::remove_dir_all(site.join("content").join(folder)).unwrap();
    }
    // the export itself is refused (item05_… has the details)
    let r = import(&site, &first, "post", &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let ledger = dir.path().join("ledger.xlsx");
    copy_cells(&first, &ledger);
    // posts first (powers and risks name them), then powers, then risks
    for kind in ["post", "power", "risk"] {
        let r = import(&site, &ledger, kind, &[]);
        assert_eq!(r.code, 0, "{kind}:\n{}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("（其中存疑 0 行"), "{}", r.stdout);
        assert!(!r.stdout.contains("　存疑　") && !r.stdout.contains("　跳过　"));
    }
    check_passes(&site);
    let second = dir.path().join("second.xlsx");
    export_xlsx(&site, &second);
    let (a, b) = (cells(&first), cells(&second));
    assert_eq!(a.len(), 4);
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert_eq!(x.len(), y.len(), "{name}: row count");
        for (i, (rx, ry)) in x.iter().zip(y).enumerate() {
            assert_eq!(rx, ry, "{name} row {}", i + 1);
        }
    }

    // importing again overwrites nothing without --force: every row is
    // there already, which is no failure
    let before = hash_sources(&site);
    let r = import(&site, &ledger, "risk", &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("已存在　R-001"), "{}", r.stdout);
    assert_eq!(before, hash_sources(&site));
    let r = import(&site, &ledger, "risk", &["--force"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("覆盖"));
    check_passes(&site);
}

/// The rows of the office ledger, as its report must tell them.
fn assert_office_report(out: &str) {
    for line in [
        "表头在第 3 行",
        "未识别的列（已忽略）：备注",
        "第 4 行　导入　R-031　窗口受理时吃拿卡要",
        "第 5 行　存疑　R-032",
        "第 6 行　空行",
        "第 7 行　存疑　R-033　违规查询不动产登记信息",
        "第 8 行　跳过",
        "第 9 行　跳过　公车私用　风险等级“极高”不是可用的值",
        "风险等级“中风险”按“二级”导入",
        "风险类型“业务流程风险”按“业务流程”导入",
        "涉险岗位“窗口人员”在站点中找不到",
        "责任科室“不动产登记　中心”按近似名称对应到 D-07（不动产登记中心）",
        "导入 3 行（其中存疑 2 行",
    ] {
        assert!(out.contains(line), "report lacks {line:?}:\n{out}");
    }
}

fn front(site: &Path, id: &str) -> String {
    std::fs::read_to_string(site.join(format!("content/risks/{id}.md"))).unwrap()
}

#[test]
fn office_workbook_imports_with_a_report_of_guesses() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let ledger = dir.path().join("台账.xlsx");
    office_workbook(&ledger);
    let r = import(&site, &ledger, "risk", &[]);
    assert_eq!(r.code, 1, "rows were skipped:\n{}", r.stdout);
    assert_office_report(&r.stdout);
    check_passes(&site);
    let r31 = front(&site, "R-031");
    assert!(r31.contains("grade: 一级") && r31.contains("department: D-04"));
    assert!(
        r31.contains("text: 公开办事指南和材料清单\n")
            && r31.contains("text: 群众评价结果每月通报。")
    );
    // the merged 责任科室 cell covers the next row too
    let r32 = front(&site, "R-032");
    assert!(r32.contains("department: D-04"), "{r32}");
    assert!(r32.contains("posts:\n- P-10\n"), "{r32}");
    assert!(
        r32.contains("# 导入时未能对应的涉险岗位：窗口人员"),
        "{r32}"
    );
    assert!(r32.contains("text: 科长复核签字"));
    let r33 = front(&site, "R-033");
    assert!(r33.contains("department: D-07") && r33.contains("- P-16"));
    assert!(!site.join("content/risks/R-034.md").exists());
}

#[test]
fn gbk_csv_ledger_dry_run_then_import() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let ledger = dir.path().join("台账.csv");
    let text = office_csv();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    std::fs::write(&ledger, &gbk).unwrap();
    let before = hash_sources(&site);
    let r = import(&site, &ledger, "risk", &["--dry-run"]);
    assert!(r.stdout.contains("（GBK）"), "{}", r.stdout);
    assert!(r.stdout.contains("试运行"));
    assert_office_report(&r.stdout);
    assert_eq!(before, hash_sources(&site), "a dry run writes nothing");
    let r = import(&site, &ledger, "risk", &[]);
    assert_office_report(&r.stdout);
    check_passes(&site);
    // no merged cells in CSV: the second risk names no department
    assert!(!front(&site, "R-032").contains("department:"));
}

#[test]
fn utf8_csv_with_bom_and_english_report() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let ledger = dir.path().join("ledger.csv");
    std::fs::write(&ledger, format!("\u{feff}{}", office_csv())).unwrap();
    let r = gongshi(&[
        "--root",
        s(&site),
        "--lang",
        "en",
        "import",
        s(&ledger),
        "--kind",
        "risk",
    ]);
    assert!(r.stdout.contains("(UTF-8)"), "{}", r.stdout);
    assert!(r.stdout.contains("row 5  in doubt  R-032"), "{}", r.stdout);
    check_passes(&site);
}

#[test]
fn unusable_requests_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let ledger = dir.path().join("x.csv");
    std::fs::write(&ledger, office_csv()).unwrap();
    assert_eq!(import(&site, &ledger, "flow", &[]).code, 2);
    let junk = dir.path().join("junk.csv");
    std::fs::write(&junk, "甲,乙\n1,2\n").unwrap();
    let r = import(&site, &junk, "risk", &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("找不到表头"), "{}", r.stderr);
    let r = import(&site, &dir.path().join("missing.xlsx"), "risk", &[]);
    assert_eq!(r.code, 2);
    let r = import(&site, &ledger, "risk", &["--sheet", "无此表"]);
    assert!(
        r.stdout.contains("第 4 行　导入"),
        "a CSV has no sheets to choose: {}",
        r.stderr
    );
}

/// The office ledger as a workbook: the title merged across the top, a
/// blank row, the header, and the 责任科室 cell merged over the rows that
/// leave it empty.
fn office_workbook(path: &Path) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(office_csv().as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    rows.retain(|r| !r[0].starts_with("某县")); // the title, merged below
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2025年台账").unwrap();
    let bold = Format::new().set_bold();
    ws.merge_range(
        0,
        0,
        0,
        9,
        "某县自然资源和规划局廉政风险点台账（2025年）",
        &bold,
    )
    .unwrap();
    const DEPT: usize = 5;
    let mut last_dept: Option<(u32, String)> = None;
    for (row, r) in (2u32..).zip(rows.iter().skip(1)) {
        // rows[0] is the blank line below the title
        for (c, v) in r.iter().enumerate() {
            if !v.is_empty() && c != DEPT {
                ws.write_string(row, c as u16, v).unwrap();
            }
        }
        match (r.get(DEPT).map(String::as_str), &last_dept) {
            (Some(""), Some((top, d))) if !r[1].is_empty() => {
                ws.merge_range(*top, DEPT as u16, row, DEPT as u16, d, &Format::new())
                    .unwrap();
            }
            (Some(d), _) if !d.is_empty() => {
                ws.write_string(row, DEPT as u16, d).unwrap();
                last_dept = Some((row, d.to_string()));
            }
            _ => {}
        }
    }
    wb.save(path).unwrap();
}

/// Item 14: `import` never writes through a symbolic link that leads out
/// of `content/` — a linked folder or a linked file: the row is refused,
/// naming the link, and nothing lands outside.
#[cfg(unix)]
#[test]
fn item14_import_symlink_out_of_content_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    // a linked file: R-001.md leads to a file outside the site
    let victim = outside.join("victim.txt");
    std::fs::write(&victim, "不能被改写\n").unwrap();
    let r001 = site.join("content/risks/R-001.md");
    std::fs::remove_file(&r001).unwrap();
    std::os::unix::fs::symlink(&victim, &r001).unwrap();
    let ledger = dir.path().join("l.csv");
    std::fs::write(
        &ledger,
        "编号,风险点,风险等级,风险类型\nR-001,新标题,一级,岗位职责\n",
    )
    .unwrap();
    let r = import(&site, &ledger, "risk", &["--force"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("第 2 行　跳过"), "{}", r.stdout);
    assert!(r.stdout.contains("content/risks/R-001.md"), "{}", r.stdout);
    assert!(r.stdout.contains("符号链接"), "{}", r.stdout);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "不能被改写\n");

    // a linked folder: content/risks leads outside
    let away = outside.join("risks");
    std::fs::create_dir(&away).unwrap();
    std::fs::remove_dir_all(site.join("content/risks")).unwrap();
    std::os::unix::fs::symlink(&away, site.join("content/risks")).unwrap();
    std::fs::write(&ledger, office_csv()).unwrap();
    let r = import(&site, &ledger, "risk", &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("第 4 行　跳过"), "{}", r.stdout);
    assert!(r.stdout.contains("符号链接"), "{}", r.stdout);
    assert_eq!(
        std::fs::read_dir(&away).unwrap().count(),
        0,
        "nothing written outside"
    );
}

/// A workbook made of the given parts around one sheet, `xl/worksheets/
/// sheet1.xml` = `sheet`, with `xl/sharedStrings.xml` when given.
fn raw_xlsx(path: &Path, sheet: &str, shared: Option<&str>) {
    use std::io::Write;
    let mut parts = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/worksheets/sheet1.xml", sheet.to_string()),
    ];
    if let Some(s) = shared {
        parts.push(("xl/sharedStrings.xml", s.to_string()));
    }
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// A worksheet part around `rows` (`<row>` elements) and `tail` (what
/// follows `sheetData`, e.g. merged cells).
fn sheet_xml(rows: &str, tail: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData>{tail}</worksheet>"#
    )
}

/// A header and one risk as inline-string cells of rows 1 and 2.
const LEDGER_ROWS: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>风险点</t></is></c><c r="B1" t="inlineStr"><is><t>风险等级</t></is></c><c r="C1" t="inlineStr"><is><t>风险类型</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>违规审批</t></is></c><c r="B2" t="inlineStr"><is><t>一级</t></is></c><c r="C2" t="inlineStr"><is><t>岗位职责</t></is></c></row>"#;

/// Item 10: hostile ledgers — one cell at XFD1048576, a shared-string
/// count of 10^12 or u64::MAX, row-wide merged ranges on 20,000 rows —
/// end with a located message and exit 2 (or import what they hold), in
/// bounded time and memory, never an abort.
#[test]
fn item10_hostile_workbooks_are_refused_located() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let before = hash_sources(&site);

    let far = dir.path().join("far.xlsx");
    let rows = format!(
        r#"{LEDGER_ROWS}<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#
    );
    raw_xlsx(&far, &sheet_xml(&rows, ""), None);
    assert!(std::fs::metadata(&far).unwrap().len() < 4096);
    let r = import(&site, &far, "risk", &[]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("台账!XFD1048576"), "{}", r.stderr);
    assert!(r.stderr.contains("列"), "{}", r.stderr);

    for count in ["1000000000000", "18446744073709551615"] {
        let strings = dir.path().join(format!("sst-{count}.xlsx"));
        let sst = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="{count}"><si><t>风险点</t></si></sst>"#
        );
        raw_xlsx(&strings, &sheet_xml(LEDGER_ROWS, ""), Some(&sst));
        let r = import(&site, &strings, "risk", &[]);
        assert_eq!(r.code, 2, "{count}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("xl/sharedStrings.xml"), "{}", r.stderr);
        assert!(r.stderr.contains(count), "{}", r.stderr);
    }
    assert_eq!(before, hash_sources(&site));

    // a title merged across the whole row, on 20,000 rows: the ledger's
    // own rows still import
    let merged = dir.path().join("merged.xlsx");
    let mut rows = String::from(LEDGER_ROWS);
    let mut merges = String::new();
    for n in 3..20_003 {
        rows.push_str(&format!(
            r#"<row r="{n}"><c r="A{n}" s="0"/><c r="XFD{n}" s="0"/></row>"#
        ));
        merges.push_str(&format!(r#"<mergeCell ref="A{n}:XFD{n}"/>"#));
    }
    let tail = format!(r#"<mergeCells count="20000">{merges}</mergeCells>"#);
    raw_xlsx(&merged, &sheet_xml(&rows, &tail), None);
    let r = import(&site, &merged, "risk", &["--dry-run"]);
    assert!(
        r.stdout.contains("第 2 行　导入"),
        "{}{}",
        r.stdout,
        r.stderr
    );
}

/// Item 5: a register export is a reading document of one audience — its
/// bodies hold no scope blocks — and is never taken for a source; and
/// whatever `import --force` writes over an existing file never widens
/// the item's scope nor drops the scope blocks of its body.
#[test]
fn item05_import_never_widens_what_is_visible() {
    let site = common::site::base_copy();
    let root = site.path();
    let r003 = root.join("content/risks/R-003.md");
    let t = std::fs::read_to_string(&r003).unwrap();
    std::fs::write(&r003, t.replace("scope: public", "scope: internal")).unwrap();
    let before = hash_sources(root);
    let out = tempfile::tempdir().unwrap();
    for format in ["xlsx", "csv"] {
        let file = out.path().join(format!("register.{format}"));
        let r = gongshi(&[
            "--root",
            s(root),
            "export",
            "--format",
            format,
            "--scope",
            "internal",
            "-o",
            s(&file),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = import(root, &file, "risk", &["--force"]);
        assert_eq!(r.code, 2, "{format}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("阅读文档"), "{}", r.stderr);
        // …and it says which export is the editable one
        assert!(
            r.stderr.contains("gongshi export --format ledger"),
            "{}",
            r.stderr
        );
        if format == "xlsx" {
            assert!(
                r.stderr.contains("单位内部") && r.stderr.contains("2025"),
                "{}",
                r.stderr
            );
        }
        assert_eq!(before, hash_sources(root), "{format}: nothing written");
    }

    // an office ledger over existing risks
    let ledger = out.path().join("台账.csv");
    std::fs::write(
        &ledger,
        "编号,风险点,风险等级,风险类型,风险表现,公示范围\n\
         R-001,受理时优亲厚友、降低条件,二级,岗位职责,受理员对亲友的申请放宽条件。内部核查记录另行存档。,社会公开\n\
         R-002,入户调查走过场、弄虚作假,二级,业务流程,调查人员不入户。,社会公开\n\
         R-003,廉洁意识淡薄,三级,思想道德,新的表现。,社会公开\n",
    )
    .unwrap();
    let r = import(root, &ledger, "risk", &["--force"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("第 2 行　跳过"), "{}", r.stdout);
    assert!(r.stdout.contains("<!-- scope: -->"), "{}", r.stdout);
    assert!(r.stdout.contains("第 3 行　导入　R-002"), "{}", r.stdout);
    assert!(r.stdout.contains("第 4 行　跳过"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("“社会公开”比 content/risks/R-003.md 现有的“单位内部”宽"),
        "{}",
        r.stdout
    );
    let after = hash_sources(root);
    for f in ["risks/R-001.md", "risks/R-003.md"] {
        assert_eq!(before[f], after[f], "{f} left alone");
    }
    // a ledger without a scope column keeps the item's scope
    std::fs::write(
        &ledger,
        "编号,风险点,风险等级,风险类型,风险表现\nR-003,廉洁意识淡薄,三级,思想道德,新的表现。\n",
    )
    .unwrap();
    let r = import(root, &ledger, "risk", &["--force"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let text = std::fs::read_to_string(&r003).unwrap();
    assert!(
        text.contains("scope: internal") && text.contains("新的表现"),
        "{text}"
    );
    check_passes(root);
}

/// Item 10, text that multiplies: one long shared string named by many
/// cells, or copied down a merged column, is refused once the text kept
/// passes the bound, and an xls workbook (read whole by calamine, with no
/// check possible before) is refused with the way to save it as xlsx.
#[test]
fn item10_text_that_multiplies_and_xls_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let before = hash_sources(&site);
    let long = "风".repeat(400_000); // 1.2 MB, named by 100 cells
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="100" uniqueCount="1"><si><t>{long}</t></si></sst>"#
    );
    let mut rows = String::from(LEDGER_ROWS);
    for n in 3..103 {
        rows.push_str(&format!(
            r#"<row r="{n}"><c r="D{n}" t="s"><v>0</v></c></row>"#
        ));
    }
    let shared = dir.path().join("shared.xlsx");
    raw_xlsx(&shared, &sheet_xml(&rows, ""), Some(&sst));
    let r = import(&site, &shared, "risk", &["--dry-run"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("台账!D") && r.stderr.contains("MB"),
        "{}",
        r.stderr
    );

    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.resize(4096, 0);
    let xls = dir.path().join("旧台账.xls");
    std::fs::write(&xls, cfb).unwrap();
    let r = import(&site, &xls, "risk", &["--dry-run"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("另存为") && r.stderr.contains(".xlsx"),
        "{}",
        r.stderr
    );
    assert_eq!(before, hash_sources(&site));
}
