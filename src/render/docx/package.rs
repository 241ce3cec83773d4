//! The container of `booklet.docx`: docx-rs's package repacked so the same
//! booklet gives the same bytes on every run and platform, and the three
//! things docx-rs 0.4 does not model put in.
//!
//! - Every part deflated, dated 1980-01-01 and marked as made on Unix
//!   (docx-rs stores its parts uncompressed; the host byte would follow the
//!   building system, see `export::zip_host`).
//! - `word/settings.xml` is ours: even and odd footers, `w:updateFields`
//!   (Word refreshes the contents when the file is opened) and the CJK
//!   layout settings, in the schema's order.
//! - `word/fontTable.xml` is ours: each face the styles name with its
//!   alternate name, GB2312 character set and family, so Word and WPS
//!   substitute a like face where it is missing.
//! - The first row of every table repeats on each page (`w:tblHeader`):
//!   every table of the booklet has one heading row.

use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipArchive, ZipWriter};

use super::style::FACES;

const SETTINGS: &str = "word/settings.xml";
const FONT_TABLE: &str = "word/fontTable.xml";
const DOCUMENT: &str = "word/document.xml";

/// docx-rs's package → the booklet's bytes.
pub fn repack(docx: &[u8]) -> Result<Vec<u8>, String> {
    let mut input = ZipArchive::new(Cursor::new(docx)).map_err(|e| e.to_string())?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(docx.len() / 4)));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::default())
        .system(System::Unix)
        .unix_permissions(0o644);
    let mut para = 0u32;
    for i in 0..input.len() {
        let mut part = input.by_index(i).map_err(|e| e.to_string())?;
        if part.is_dir() {
            continue;
        }
        let name = part.name().map_err(|e| e.to_string())?.to_string();
        let mut bytes = Vec::with_capacity(part.size() as usize);
        part.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        let bytes = match name.as_str() {
            SETTINGS => settings().into_bytes(),
            FONT_TABLE => font_table().into_bytes(),
            DOCUMENT => renumber(&repeat_heading_rows(&bytes), &mut para),
            _ if name.ends_with(".xml") => renumber(&bytes, &mut para),
            _ => bytes,
        };
        out.start_file(name, options).map_err(|e| e.to_string())?;
        out.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    let bytes = out.finish().map_err(|e| e.to_string())?.into_inner();
    Ok(crate::render::export::zip_host::made_on_unix(bytes))
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The document settings, in `CT_Settings` order.
fn settings() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:settings xmlns:w=\"{W}\">\
         <w:zoom w:percent=\"100\"/>\
         <w:evenAndOddHeaders/>\
         <w:defaultTabStop w:val=\"420\"/>\
         <w:characterSpacingControl w:val=\"compressPunctuation\"/>\
         <w:updateFields w:val=\"true\"/>\
         <w:compat>\
         <w:useFELayout/>\
         <w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/>\
         </w:compat>\
         <w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>\
         <w:decimalSymbol w:val=\".\"/>\
         <w:listSeparator w:val=\",\"/>\
         </w:settings>"
    )
}

/// The faces the styles name, each with its fallback.
fn font_table() -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts xmlns:w=\"{W}\">"
    );
    for f in FACES {
        s.push_str(&format!(
            "<w:font w:name=\"{}\"><w:altName w:val=\"{}\"/><w:charset w:val=\"{}\"/>\
             <w:family w:val=\"{}\"/><w:pitch w:val=\"variable\"/></w:font>",
            f.name, f.alt, f.charset, f.family
        ));
    }
    s.push_str("</w:fonts>");
    s
}

/// `document.xml` with the first row of every table marked to repeat at the
/// top of each page. docx-rs writes a `w:trPr` for every row, last its
/// `w:cantSplit` and `w:trHeight`, which `w:tblHeader` follows in
/// `CT_TrPrBase`; text never holds a raw `<`, so the markup found is markup.
fn repeat_heading_rows(xml: &[u8]) -> Vec<u8> {
    const TABLE: &[u8] = b"<w:tbl>";
    const EMPTY: &[u8] = b"<w:trPr />";
    const CLOSE: &[u8] = b"</w:trPr>";
    const HEADER: &[u8] = b"<w:tblHeader />";
    let mut out = Vec::with_capacity(xml.len() + xml.len() / 200);
    let mut rest = xml;
    while let Some(at) = find(rest, TABLE) {
        let after = at + TABLE.len();
        out.extend_from_slice(&rest[..after]);
        rest = &rest[after..];
        // The first row's properties: empty, or closed after their children.
        let empty = find(rest, EMPTY);
        let close = find(rest, CLOSE);
        match (empty, close) {
            (Some(e), c) if c.is_none_or(|c| e < c) => {
                out.extend_from_slice(&rest[..e]);
                out.extend_from_slice(b"<w:trPr>");
                out.extend_from_slice(HEADER);
                out.extend_from_slice(CLOSE);
                rest = &rest[e + EMPTY.len()..];
            }
            (_, Some(c)) => {
                out.extend_from_slice(&rest[..c]);
                out.extend_from_slice(HEADER);
                rest = &rest[c..];
            }
            _ => {}
        }
    }
    out.extend_from_slice(rest);
    out
}

/// `xml` with every paragraph id (`w14:paraId="…"`) numbered again from
/// `*next` on (docx-rs's ids come from a counter that depends on what the
/// process made before), and every drawing's `wp:docPr` id too (docx-rs
/// gives each the same).
fn renumber(xml: &[u8], next: &mut u32) -> Vec<u8> {
    let xml = renumber_attr(xml, b"w14:paraId=\"", next, |n| format!("{n:08X}"));
    let mut drawings = 0u32;
    renumber_attr(&xml, b"<wp:docPr id=\"", &mut drawings, |n| n.to_string())
}

/// Every value of the attribute that `id` (`name="`) opens, replaced by
/// `show` of the next number.
fn renumber_attr(xml: &[u8], id: &[u8], next: &mut u32, show: impl Fn(u32) -> String) -> Vec<u8> {
    let mut out = Vec::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = find(rest, id) {
        let value = at + id.len();
        let Some(len) = rest[value..].iter().position(|&b| b == b'"') else {
            break;
        };
        *next += 1;
        out.extend_from_slice(&rest[..value]);
        out.extend_from_slice(show(*next).as_bytes());
        rest = &rest[value + len..];
    }
    out.extend_from_slice(rest);
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_row_of_each_table_repeats_and_no_other() {
        let xml = b"<w:body><w:tbl><w:tr><w:trPr /></w:tr><w:tr><w:trPr /></w:tr></w:tbl>\
                    <w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr /></w:tr></w:tbl></w:body>";
        let out = String::from_utf8(repeat_heading_rows(xml)).unwrap();
        assert_eq!(
            out,
            "<w:body><w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr></w:tr><w:tr><w:trPr /></w:tr></w:tbl>\
             <w:tbl><w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr></w:tr><w:tr><w:trPr /></w:tr></w:tbl></w:body>"
        );
        assert_eq!(repeat_heading_rows(b"<w:p/>"), b"<w:p/>");
    }

    #[test]
    fn settings_ask_for_even_footers_and_fresh_fields() {
        let s = settings();
        assert!(
            s.contains("<w:evenAndOddHeaders/>") && s.contains("<w:updateFields w:val=\"true\"/>")
        );
    }
}
