//! Files as Windows editors save them: GBK (GB18030), UTF-8 with a BOM,
//! CRLF line ends, UTF-16. Each must load with the right Chinese text —
//! seen through `gongshi check --format json` and through the library —
//! and diagnostics in them must point at the right line and column.

use crate::common;

use common::site::{self, Diag};
use std::path::Path;

const GBK_RISK: &str = "---
id: R-009
title: 违规减免土地出让金
type: 岗位职责
grade: 二级
posts: [P-02]
measures:
  - phase: 前期预防
    category: 制度
    text: 减免事项一律集体研究并公示。
  - ref: M-01
scope: public
---
经办人员以“招商引资”为名，擅自减免或缓缴应收款项。
";

/// A risk file saved as UTF-8 with a BOM and CRLF line ends.
fn bom_crlf(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    bytes
}

const BOM_RISK: &str = "---
id: R-010
title: 档案查阅登记不全、泄露个人信息
type: 制度机制
likelihood: 2
impact: 3
measures:
  - phase: 中期监控
    category: 监督
    text: 查阅一律登记，每季度核对。
scope: public
---
查阅人员未经登记查阅、复制档案。

第二段：相关制度见[[M-01]]。
";

fn risk_file(root: &Path, id: &str) -> std::path::PathBuf {
    root.join(format!("content/risks/{id}.md"))
}

/// The diagnostics of `file`, but W130: the files written here were never
/// review-stamped (tests/review.rs holds that).
fn in_file<'a>(diags: &'a [Diag], file: &str) -> Vec<&'a Diag> {
    diags
        .iter()
        .filter(|d| d.file == file && d.code != "W130")
        .collect()
}

/// Every diagnostic but W130 (see [`in_file`]).
fn besides_review(diags: &[Diag]) -> Vec<&Diag> {
    diags.iter().filter(|d| d.code != "W130").collect()
}

#[test]
fn a_gbk_file_loads_with_a_warning_and_no_error() {
    let dir = site::base_copy();
    site::write_gbk(&risk_file(dir.path(), "R-009"), GBK_RISK);
    assert!(std::str::from_utf8(&std::fs::read(risk_file(dir.path(), "R-009")).unwrap()).is_err());

    let (code, report) = site::check_json(dir.path(), None);
    assert_eq!(code, 0, "{report:?}");
    assert_eq!(report.errors, 0, "{report:?}");
    let here = in_file(&report.diagnostics, "content/risks/R-009.md");
    assert_eq!(here.len(), 1, "{here:?}");
    assert_eq!(here[0].code, "W110");
    assert_eq!(here[0].severity, "warning");
    assert!(here[0].message.contains("GBK"), "{}", here[0].message);
    assert!(here[0].hint.as_deref().unwrap_or("").contains("UTF-8"));

    let checked = gongshi::pipeline::check(dir.path()).expect("config");
    let r = checked.site.risk("R-009").expect("R-009 loaded");
    assert_eq!(r.meta.title, "违规减免土地出让金");
    assert_eq!(r.risk_type, "岗位职责");
    assert!(
        r.meta
            .body
            .contains("经办人员以“招商引资”为名，擅自减免或缓缴应收款项。"),
        "{}",
        r.meta.body
    );
    assert!(matches!(
        &r.measures[0],
        gongshi::model::MeasureUse::Inline { text, .. } if text == "减免事项一律集体研究并公示。"
    ));
    let src = &checked.site.sources[r.meta.src];
    assert_eq!(src.encoding, gongshi::load::Encoding::Gb18030);
}

#[test]
fn a_bom_and_crlf_file_loads_cleanly() {
    let dir = site::base_copy();
    std::fs::write(risk_file(dir.path(), "R-010"), bom_crlf(BOM_RISK)).unwrap();

    let (code, report) = site::check_json(dir.path(), None);
    assert_eq!(code, 0, "{report:?}");
    assert!(besides_review(&report.diagnostics).is_empty(), "{report:?}");

    let checked = gongshi::pipeline::check(dir.path()).expect("config");
    let r = checked.site.risk("R-010").expect("R-010 loaded");
    assert_eq!(r.meta.title, "档案查阅登记不全、泄露个人信息");
    assert_eq!(r.score(), Some(6));
    assert!(!r.meta.title.starts_with('\u{feff}'));
    assert!(!r.meta.body.contains('\r'), "{:?}", r.meta.body);
    assert_eq!(
        r.meta.body,
        "查阅人员未经登记查阅、复制档案。\n\n第二段：相关制度见[[M-01]]。\n"
    );
    assert_eq!(
        checked.site.sources[r.meta.src].encoding,
        gongshi::load::Encoding::Utf8
    );
}

/// The one diagnostic in `file` (besides W110), located.
fn only(diags: &[Diag], file: &str) -> (String, u64, u64) {
    let here: Vec<_> = in_file(diags, file)
        .into_iter()
        .filter(|d| d.code != "W110")
        .collect();
    assert_eq!(here.len(), 1, "{here:?}");
    (here[0].code.clone(), here[0].line, here[0].column)
}

#[test]
fn mistakes_in_bom_crlf_and_gbk_files_are_located_in_characters() {
    let dir = site::base_copy();
    // BOM + CRLF, full-width colon on line 3: the BOM is not a column.
    let colon = BOM_RISK.replace("title: 档案", "title：档案");
    std::fs::write(risk_file(dir.path(), "R-010"), bom_crlf(&colon)).unwrap();
    // GBK, a dangling link in the body: columns count characters, not bytes.
    let link = GBK_RISK.replace("擅自减免", "擅自减免[[R-404]]");
    site::write_gbk(&risk_file(dir.path(), "R-009"), &link);
    // BOM, then no front matter.
    std::fs::write(
        risk_file(dir.path(), "R-011"),
        bom_crlf("标题：没有前置信息\n"),
    )
    .unwrap();

    let (code, report) = site::check_json(dir.path(), None);
    assert_eq!(code, 1);
    let d = &report.diagnostics;
    assert_eq!(only(d, "content/risks/R-010.md"), ("E011".into(), 3, 6));
    assert_eq!(only(d, "content/risks/R-009.md"), ("E032".into(), 14, 19));
    assert_eq!(only(d, "content/risks/R-011.md"), ("E001".into(), 1, 1));
    let no_front = d.iter().find(|x| x.code == "E001").unwrap();
    assert_eq!(no_front.source, "标题：没有前置信息");
}

#[test]
fn a_utf16_file_with_a_bom_loads() {
    let dir = site::base_copy();
    let mut bytes = vec![0xFF, 0xFE];
    for unit in BOM_RISK.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(risk_file(dir.path(), "R-010"), bytes).unwrap();
    let (code, report) = site::check_json(dir.path(), None);
    assert_eq!(
        (code, besides_review(&report.diagnostics).len()),
        (0, 0),
        "{report:?}"
    );
    let checked = gongshi::pipeline::check(dir.path()).expect("config");
    let r = checked.site.risk("R-010").expect("R-010 loaded");
    assert_eq!(r.meta.title, "档案查阅登记不全、泄露个人信息");
}

#[test]
fn a_gbk_config_is_read() {
    let dir = site::base_copy();
    let config = std::fs::read_to_string(dir.path().join("gongshi.yaml")).unwrap();
    site::write_gbk(&dir.path().join("gongshi.yaml"), &config);
    let checked = gongshi::pipeline::check(dir.path()).expect("config");
    assert_eq!(checked.site.config.unit, "某镇人民政府");
    assert_eq!(checked.site.config.grades[0].owner.as_deref(), Some("镇长"));
}
