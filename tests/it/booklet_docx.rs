//! `booklet.docx`, the annual booklet in Word: the example site built with
//! `--docx` twice gives the same bytes; its styles name the GB/T 9704 faces
//! (仿宋, 黑体, 小标宋) and its font table their fallbacks; every table's
//! heading row repeats and the contents update on opening; LibreOffice
//! converts it to an A4 PDF that holds every risk title of the audience,
//! and the public one no risk title only the internal audience sees.
//! Without LibreOffice or poppler the PDF test is skipped with a note,
//! except under `CI=true`, where it fails.

use crate::common;
use crate::poppler;

use common::site::build_example;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::process::Command;

fn docx(out: &Path, scope: &str) -> Vec<u8> {
    std::fs::read(out.join(scope).join("2025/booklet.docx"))
        .unwrap_or_else(|e| panic!("{scope}: no booklet.docx: {e}"))
}

fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("no {name}: {e}"))
        .read_to_string(&mut text)
        .expect("UTF-8");
    text
}

/// The risk titles of an audience, read from its `data.json`.
fn titles(out: &Path, scope: &str) -> BTreeSet<String> {
    let data = std::fs::read(out.join(scope).join("2025/data.json")).expect("data.json");
    let data: serde_json::Value = serde_json::from_slice(&data).expect("JSON");
    data["risks"]
        .as_array()
        .expect("risks")
        .iter()
        .map(|r| r["title"].as_str().expect("title").to_string())
        .collect()
}

#[test]
fn two_builds_give_the_same_word_booklet_with_the_official_faces() {
    let first = build_example(&["--docx"]);
    let second = build_example(&["--docx"]);
    for scope in ["public", "internal"] {
        let (a, b) = (docx(first.path(), scope), docx(second.path(), scope));
        assert!(a == b, "{scope}: two builds differ");
        assert!(
            !first.path().join(scope).join("2025/booklet.pdf").exists(),
            "no PDF without --pdf"
        );
    }
    let d = docx(first.path(), "public");
    let styles = part(&d, "word/styles.xml");
    for face in ["仿宋", "黑体", "方正小标宋简体", "Times New Roman"] {
        assert!(
            styles.contains(&format!("w:eastAsia=\"{face}\""))
                || styles.contains(&format!("w:ascii=\"{face}\"")),
            "styles.xml names no {face}"
        );
    }
    assert!(styles.contains("w:sz w:val=\"32\""), "body 16 pt");
    assert!(styles.contains("w:sz w:val=\"44\""), "titles 22 pt");
    let fonts = part(&d, "word/fontTable.xml");
    for (face, fallback) in [
        ("仿宋", "FangSong"),
        ("仿宋_GB2312", "仿宋"),
        ("FangSong", "Noto Serif CJK SC"),
        ("黑体", "SimHei"),
        ("SimHei", "Noto Sans CJK SC"),
        ("方正小标宋简体", "华文中宋"),
    ] {
        let entry = format!("<w:font w:name=\"{face}\"><w:altName w:val=\"{fallback}\"/>");
        assert!(fonts.contains(&entry), "fontTable.xml: {face} → {fallback}");
    }
    let settings = part(&d, "word/settings.xml");
    assert!(settings.contains("<w:updateFields w:val=\"true\"/>"));
    assert!(settings.contains("<w:evenAndOddHeaders/>"));
    let document = part(&d, "word/document.xml");
    let tables = document.matches("<w:tbl>").count();
    assert!(tables > 5, "{tables} tables");
    assert_eq!(document.matches("<w:tblHeader />").count(), tables);
    assert!(document.contains("TOC \\o &quot;1-2&quot;") || document.contains("TOC \\o \"1-2\""));
    let footers: String = (1..=2)
        .map(|i| part(&d, &format!("word/footer{i}.xml")))
        .collect();
    assert!(footers.contains("— ") && footers.contains("PAGE"), "— N —");
}

#[test]
fn libreoffice_prints_every_risk_of_the_audience_on_a4() {
    if !poppler::require("booklet.docx printed", &["soffice", "pdftotext", "pdfinfo"]) {
        return;
    }
    let out = build_example(&["--docx"]);
    let public = titles(out.path(), "public");
    let internal = titles(out.path(), "internal");
    let only_internal: Vec<&String> = internal.difference(&public).collect();
    assert!(!only_internal.is_empty(), "the example has internal risks");
    for scope in ["public", "internal"] {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("booklet.docx");
        std::fs::write(&input, docx(out.path(), scope)).unwrap();
        let soffice = common::sheet::soffice("booklet.docx").expect("soffice on PATH");
        let pdf = common::sheet::convert(&soffice, &input, "pdf", dir.path());
        let info = poppler::info(&pdf);
        assert!(info.contains("(A4)"), "{scope}: {info}");
        let pages = poppler::pages(&pdf);
        assert!(pages > 20, "{scope}: {pages} pages");
        // in content order: a table's cells one after another
        let raw = Command::new("pdftotext")
            .args(["-raw"])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext");
        let text = poppler::squeeze(&String::from_utf8_lossy(&raw.stdout));
        let shown = if scope == "public" {
            &public
        } else {
            &internal
        };
        for t in shown {
            assert!(text.contains(&poppler::squeeze(t)), "{scope}: {t} missing");
        }
        if scope == "public" {
            for t in &only_internal {
                assert!(!text.contains(&poppler::squeeze(t)), "public shows {t}");
            }
        }
        for heading in [
            "目录",
            "风险点概况",
            "廉政风险点登记表",
            "权力运行流程图",
            "序号",
        ] {
            assert!(text.contains(heading), "{scope}: no {heading}");
        }
    }
}
