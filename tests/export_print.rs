//! `register.xlsx` on paper: printed by LibreOffice (`soffice --headless
//! --convert-to pdf`), every column of a sheet stands on the page's width
//! and the title row above the headings. Without LibreOffice or poppler
//! the test is skipped with a note, except under `CI=true`, where it fails.

mod common;
mod poppler;

use common::site::gongshi;
use std::path::Path;
use std::process::Command;

#[test]
fn register_xlsx_prints_every_column_on_the_page_width_with_a_title_row() {
    if !poppler::require(
        "register.xlsx printed",
        &["soffice", "pdftotext", "pdfinfo"],
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("register.xlsx");
    let repo = env!("CARGO_MANIFEST_DIR");
    let r = gongshi(&[
        "--root",
        repo,
        "export",
        "--format",
        "xlsx",
        "--scope",
        "internal",
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // a profile of its own, so no other LibreOffice running holds this one up
    let profile = dir.path().join("profile");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&xlsx)
        .output()
        .expect("soffice runs");
    let pdf = dir.path().join("register.pdf");
    assert!(
        pdf.exists(),
        "soffice made no PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = poppler::text(&pdf, Some((1, 1)), false);
    // the 风险点 sheet prints first: its first and last headings on page 1
    for heading in ["编号", "风险点", "复核日期", "公示范围"] {
        assert!(first.contains(heading), "page 1 lacks {heading}:\n{first}");
    }
    assert!(
        first.contains("某县自然资源和规划局岗位廉政风险点及防控措施公示")
            && first.contains("单位内部")
            && first.contains("2025"),
        "page 1 lacks the title row:\n{first}"
    );
    assert!(first.contains("第 1 页"), "page numbers in the footer");
    // the headings again on page 2, above more risks
    let second = poppler::text(&pdf, Some((2, 2)), false);
    assert!(
        second.contains("复核日期") && second.contains("R-0"),
        "{second}"
    );
    let info = poppler::info(&pdf);
    assert!(
        info.contains("A4") || info.contains("841.89 x 595.3"),
        "{info}"
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    let xlsx_risks = Path::new(repo).join("content/risks");
    let risks = std::fs::read_dir(xlsx_risks).unwrap().count();
    assert!(
        pages < risks,
        "{pages} pages for {risks} risks and the other sheets"
    );
}
