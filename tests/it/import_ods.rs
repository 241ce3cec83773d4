//! `gongshi import` of OpenDocument ledgers (ods): a sheet as LibreOffice
//! writes it — rows ending in a run of repeated empty cells, a million
//! repeated empty rows after the ledger, a merged title — imports; a
//! hostile one, whose empty runs place a cell with data far away, is
//! refused, located, before calamine makes a cell for the space between.

use crate::common;

use common::site::{hash_sources, init_example as example_site, Run};
use std::path::Path;

fn import(site: &Path, file: &Path, extra: &[&str]) -> Run {
    common::site::import(site, file, "risk", extra)
}

/// An ods package around `content` (`content.xml`): the stored
/// `mimetype` first, the manifest, deflated parts.
pub fn raw_ods(path: &Path, content: &str) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(MANIFEST.as_bytes()).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

/// `content.xml` with one sheet 台账 holding `rows` (`table:table-row`
/// elements), as LibreOffice Calc writes it.
pub fn content_xml(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3"><office:scripts/><office:automatic-styles><style:style style:name="co1" style:family="table-column"><style:table-column-properties fo:break-before="auto" style:column-width="0.889in"/></style:style><style:style style:name="ro1" style:family="table-row"><style:table-row-properties style:row-height="0.178in" fo:break-before="auto" style:use-optimal-row-height="true"/></style:style><style:style style:name="ta1" style:family="table" style:master-page-name="Default"><style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style><style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default"><style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles><office:body><office:spreadsheet><table:calculation-settings table:automatic-find-labels="false" table:use-regular-expressions="false" table:use-wildcards="true"/><table:table table:name="台账" table:style-name="ta1"><table:table-column table:style-name="co1" table:number-columns-repeated="4" table:default-cell-style-name="Default"/><table:table-column table:style-name="co1" table:number-columns-repeated="1020" table:default-cell-style-name="Default"/>{rows}</table:table><table:named-expressions/></office:spreadsheet></office:body></office:document-content>"#
    )
}

/// A string cell.
fn text(t: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
    )
}

/// A ledger as Calc saves it: a bold title merged over A1:D1 (its
/// covered cells), a header, two risks (one after an empty row, a
/// number in D), every row ending in 1,020 repeated empties, and the
/// sheet's remaining million rows as one repeated empty row.
fn ledger_rows() -> String {
    let end = r#"<table:table-cell table:number-columns-repeated="1020"/>"#;
    let row = |cells: &str| {
        format!(r#"<table:table-row table:style-name="ro1">{cells}</table:table-row>"#)
    };
    let title = format!(
        r#"<table:table-cell table:style-name="ce1" office:value-type="string" calcext:value-type="string" table:number-columns-spanned="4" table:number-rows-spanned="1"><text:p>廉政风险点台账</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="3" table:style-name="ce1"/>{end}"#
    );
    let number = r#"<table:table-cell office:value-type="float" office:value="3" calcext:value-type="float"><text:p>3</text:p></table:table-cell>"#;
    [
        row(&title),
        row(&format!("{}{}{}{}{end}", text("风险点"), text("风险等级"), text("风险类型"), text("序号"))),
        row(&format!("{}{}{}{number}{end}", text("违规审批"), text("一级"), text("岗位职责"))),
        r#"<table:table-row table:style-name="ro1"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#.to_string(),
        row(&format!("{}{}{}{number}{end}", text("泄露<text:s text:c=\"2\"/>招标信息"), text("二级"), text("岗位职责"))),
        r#"<table:table-row table:style-name="ro1" table:number-rows-repeated="1048571"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#.to_string(),
    ]
    .concat()
}

/// An ods ledger as LibreOffice writes it imports, its trailing runs of
/// empty cells and rows costing nothing.
#[test]
fn item10_ods_ledger_imports() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let ledger = dir.path().join("ledger.ods");
    raw_ods(&ledger, &content_xml(&ledger_rows()));
    let r = import(&site, &ledger, &["--dry-run"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("工作表“台账”，表头在第 2 行"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("第 3 行　导入"), "{}", r.stdout);
    assert!(r.stdout.contains("第 5 行　导入"), "{}", r.stdout);
    assert!(r.stdout.contains("泄露  招标信息"), "{}", r.stdout);
}

/// Item 10 for ods: one cell with data at A1, another placed at XFD6102
/// by repeated empty rows and cells — calamine would make the ~100
/// million cells between (several GB) — is refused, located, exit 2,
/// at once; so is a repeated row of data reaching past row 50,000.
#[test]
fn item10_hostile_ods_is_refused_located() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path());
    let before = hash_sources(&site);

    let far = dir.path().join("far.ods");
    let rows = format!(
        r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="6100"><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/>{}</table:table-row>"#,
        text("风险点"),
        text("x")
    );
    raw_ods(&far, &content_xml(&rows));
    assert!(std::fs::metadata(&far).unwrap().len() < 4096);
    let r = import(&site, &far, &[]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("台账!XFD6102"), "{}", r.stderr);
    assert!(r.stderr.contains("列"), "{}", r.stderr);

    let tall = dir.path().join("tall.ods");
    let rows = format!(
        r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="1000000">{}</table:table-row>"#,
        text("风险点"),
        text("违规审批")
    );
    raw_ods(&tall, &content_xml(&rows));
    let r = import(&site, &tall, &[]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("台账!A50001"), "{}", r.stderr);
    assert_eq!(before, hash_sources(&site));
}
