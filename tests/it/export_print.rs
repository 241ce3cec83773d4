//! `register.xlsx` on paper: printed by LibreOffice (`soffice --headless
//! --convert-to pdf`), every column of a sheet stands on the page's width
//! and the title row above the headings, the body text large enough to
//! read and no row cut short. Without LibreOffice or poppler the test is
//! skipped with a note, except under `CI=true`, where it fails.

use crate::common;
use crate::poppler;

use common::site::gongshi;
use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "needs LibreOffice and poppler: cargo test -- --include-ignored"]
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
    body_text_is_readable(&pdf);
    no_row_is_cut(&pdf, repo, dir.path());
}

/// The size of the body text on paper, in points: a CJK glyph is one em
/// wide, so a word of n ideographs is n × the font size as printed. The
/// median over the words of page 1 below the heading row.
fn body_text_is_readable(pdf: &Path) {
    let words = poppler::words(pdf, 1, 1);
    let heading = words
        .iter()
        .find(|w| w.text == "编号")
        .expect("the heading row on page 1");
    let footer = words
        .iter()
        .find(|w| w.text == "第")
        .map_or(f64::MAX, |w| w.y_min);
    let ideograph = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let mut sizes: Vec<f64> = words
        .iter()
        .filter(|w| w.y_min > heading.y_max && w.y_max < footer)
        .filter(|w| w.text.chars().count() >= 3 && w.text.chars().all(ideograph))
        .map(|w| (w.x_max - w.x_min) / w.text.chars().count() as f64)
        .collect();
    assert!(sizes.len() >= 20, "few body words on page 1: {sizes:?}");
    sizes.sort_by(f64::total_cmp);
    let median = sizes[sizes.len() / 2];
    assert!(
        median >= 7.0,
        "body text {median:.1} pt on paper, want at least 7 pt"
    );
}

/// Every risk's title, and the end of its measures and of its body, are
/// on paper: no row is shorter than its wrapped text.
fn no_row_is_cut(pdf: &Path, repo: &str, dir: &Path) {
    let csv_path = dir.join("register.csv");
    let r = gongshi(&[
        "--root",
        repo,
        "export",
        "--format",
        "csv",
        "--scope",
        "internal",
        "-o",
        csv_path.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let printed = poppler::squeeze(&poppler::text(pdf, None, false));
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let heads = reader.headers().unwrap().clone();
    let col = |name: &str| heads.iter().position(|h| h.ends_with(name)).unwrap();
    let (title, measures, body) = (col("风险点"), col("防控措施"), col("风险表现"));
    let mut rows = 0;
    for rec in reader.records() {
        let rec = rec.unwrap();
        rows += 1;
        let t = poppler::squeeze(&rec[title]);
        assert!(printed.contains(&t), "{t} not printed");
        for c in [measures, body] {
            // the last words of the cell: its last line, as wrapped, may
            // be short, but a cell's lines come out one after another
            let tail: String = poppler::squeeze(&rec[c]).chars().rev().take(8).collect();
            let tail: String = tail.chars().rev().collect();
            assert!(
                printed.contains(&tail),
                "{t}: the end of a cell, {tail}, cut off"
            );
        }
    }
    assert!(rows >= 20, "{rows} risks in the CSV");
}
