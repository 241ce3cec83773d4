//! A build's output as text, for the leak tests: every file below a
//! folder, zip containers (xlsx) part by part, PDFs through the caller's
//! text extractor. A file that is none of these and not UTF-8 fails the
//! test, so a new binary output cannot slip past a sweep unread.

use std::io::Read;
use std::path::Path;

/// `(name, text)` of every file below `dir` (a zip part is named
/// `file#part`); `pdf` turns a PDF file into its text.
pub fn texts(dir: &Path, pdf: &dyn Fn(&Path) -> String) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk");
        if !e.file_type().is_file() {
            continue;
        }
        let name = e.path().display().to_string();
        let bytes = std::fs::read(e.path()).expect("read");
        if bytes.starts_with(b"PK\x03\x04") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
            for i in 0..zip.len() {
                let mut part = zip.by_index(i).expect("zip part");
                let part_name = format!("{name}#{}", part.name().unwrap_or_default());
                // booklet.docx's flowcharts, rasterised from the SVG that
                // booklet.html holds as text (swept there)
                if part_name.ends_with(".png") {
                    continue;
                }
                let mut data = Vec::new();
                part.read_to_end(&mut data).expect("zip part");
                out.push((part_name.clone(), utf8(data, &part_name)));
            }
        } else if bytes.starts_with(b"%PDF") {
            out.push((name, pdf(e.path())));
        } else {
            out.push((name.clone(), utf8(bytes, &name)));
        }
    }
    out
}

fn utf8(bytes: Vec<u8>, name: &str) -> String {
    String::from_utf8(bytes)
        .unwrap_or_else(|_| panic!("{name}: not text; teach this sweep to open it"))
}
