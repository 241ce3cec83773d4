//! Spreadsheets in the tests: LibreOffice headless (find it, or skip, or
//! fail under `CI=true`), converting through it, and editing cells of an
//! xlsx the way a person would, by rewriting the sheet's XML in the zip
//! (the result is then saved through LibreOffice, so the file imported is
//! what Calc wrote).

use calamine::{Data, Reader, Xlsx};
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// LibreOffice's program, or `None` after saying why the test is skipped.
/// Under `CI=true` a missing one fails the test instead.
pub fn soffice(test: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|d| ["soffice", "libreoffice"].map(|n| d.join(n)))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "{test}: no soffice on PATH; CI=true needs it (.ci/run installs libreoffice-calc)"
            );
        }
        eprintln!("{test}: skipped, no soffice on PATH; set CI=true to make this a failure");
    }
    found
}

/// Converts `input` with LibreOffice headless to `format` (`xlsx`, `pdf`)
/// into `out_dir`, with a private profile; returns the new file. When no
/// file comes out, the failure quotes what soffice said (it exits 0 when
/// the module a format needs, Writer for `.docx`, is not installed).
pub fn convert(soffice: &Path, input: &Path, format: &str, out_dir: &Path) -> PathBuf {
    let profile = tempfile::tempdir().expect("profile dir");
    let url = format!("file://{}", profile.path().display());
    let said = tempfile::tempdir().expect("output dir");
    let log = |name: &str| std::fs::File::create(said.path().join(name)).expect("log file");
    let mut child = Command::new(soffice)
        .arg(format!("-env:UserInstallation={url}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            format,
            "--outdir",
        ])
        .arg(out_dir)
        .arg(input)
        .stdout(log("stdout"))
        .stderr(log("stderr"))
        .spawn()
        .expect("start soffice");
    let words = || {
        ["stdout", "stderr"]
            .map(|n| std::fs::read_to_string(said.path().join(n)).unwrap_or_default())
            .join("")
    };
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait soffice") {
            assert!(
                status.success(),
                "soffice failed on {}: {}",
                input.display(),
                words()
            );
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("soffice took over 120 s on {}", input.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let stem = input
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .to_string();
    let out = out_dir.join(format!("{stem}.{format}"));
    assert!(
        out.is_file(),
        "soffice wrote no {}; it said: {} (a .docx needs LibreOffice Writer, \
         an .xlsx Calc: is that module installed?)",
        out.display(),
        words().trim()
    );
    out
}

/// The parts of an xlsx by name.
pub fn parts(xlsx: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("part");
            let mut b = Vec::new();
            f.read_to_end(&mut b).expect("read part");
            (f.name().expect("part name").to_string(), b)
        })
        .collect()
}

/// The part holding sheet `name` (`xl/worksheets/sheet2.xml`).
pub fn sheet_part(xlsx: &[u8], name: &str) -> String {
    let ps = parts(xlsx);
    let text = |p: &str| {
        ps.iter()
            .find(|(n, _)| n == p)
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    };
    let wb = text("xl/workbook.xml");
    let at = wb
        .find(&format!("name=\"{name}\""))
        .expect("sheet in workbook.xml");
    let tag = &wb[wb[..at].rfind('<').unwrap()..];
    let tag = &tag[..tag.find('>').unwrap()];
    let rid = attr(tag, "r:id").expect("r:id");
    let rels = text("xl/_rels/workbook.xml.rels");
    let at = rels.find(&format!("Id=\"{rid}\"")).expect("rel");
    let tag = &rels[rels[..at].rfind('<').unwrap()..];
    let tag = &tag[..tag.find('>').unwrap()];
    let target = attr(tag, "Target").expect("Target");
    format!("xl/{}", target.trim_start_matches("/xl/"))
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[at..at + tag[at..].find('"')?].to_string())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The xlsx with cells (`G5`) of sheet `name` set to text, as inline strings.
pub fn set_cells(xlsx: &[u8], name: &str, cells: &[(&str, &str)]) -> Vec<u8> {
    let part = sheet_part(xlsx, name);
    let mut out = Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (n, bytes) in parts(xlsx) {
            w.start_file(n.as_str(), opts).expect("start part");
            if n == part {
                let mut xml = String::from_utf8(bytes).expect("sheet xml");
                for (cell, text) in cells {
                    xml = set_cell(&xml, cell, text);
                }
                w.write_all(xml.as_bytes()).expect("write part");
            } else {
                w.write_all(&bytes).expect("write part");
            }
        }
        w.finish().expect("zip");
    }
    out.into_inner()
}

fn set_cell(xml: &str, cell: &str, text: &str) -> String {
    let open = format!("<c r=\"{cell}\"");
    let at = xml
        .find(&format!("{open} "))
        .or_else(|| xml.find(&format!("{open}>")))
        .or_else(|| xml.find(&format!("{open}/>")))
        .unwrap_or_else(|| panic!("no cell {cell} in the sheet"));
    let head_end = at + xml[at..].find('>').unwrap();
    let head = &xml[at..head_end];
    let end = if head.ends_with('/') {
        head_end + 1
    } else {
        head_end + xml[head_end..].find("</c>").unwrap() + 4
    };
    let style = attr(head, "s")
        .map(|s| format!(" s=\"{s}\""))
        .unwrap_or_default();
    let new = format!(
        "<c r=\"{cell}\"{style} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
        escape(text)
    );
    format!("{}{new}{}", &xml[..at], &xml[end..])
}

/// Every row of sheet `name` as text.
pub fn rows(xlsx: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut wb = Xlsx::new(Cursor::new(xlsx)).expect("xlsx");
    let range = wb.worksheet_range(name).expect("sheet");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// A cell's address from 0-based row and column (`(0, 6)` → `G1`).
pub fn address(row: usize, col: usize) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// Where `heading` is in the first row, and the row whose column
/// `key_heading` holds `key`: the address of that row's `heading` cell,
/// and the cell's text.
pub fn find(
    xlsx: &[u8],
    sheet: &str,
    key_heading: &str,
    key: &str,
    heading: &str,
) -> (String, String) {
    let rows = rows(xlsx, sheet);
    let col = |h: &str| {
        rows[0]
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("no heading {h} on {sheet}: {:?}", rows[0]))
    };
    let (k, c) = (col(key_heading), col(heading));
    let r = rows
        .iter()
        .position(|row| row.get(k).is_some_and(|v| v == key))
        .unwrap_or_else(|| panic!("no row with {key} on {sheet}"));
    (address(r, c), rows[r][c].clone())
}
