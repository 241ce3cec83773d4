//! The zip package of an xlsx or ods ledger, checked with bounded reads before
//! calamine opens it: calamine trusts counts written in the file (it
//! reserves room for `uniqueCount` shared strings before reading one) and
//! unpacks parts whole, so a small hostile file could ask for terabytes.
//! Here every part is unpacked into a counter (at most [`MAX_PART`]
//! bytes each) and every `uniqueCount` of the shared strings is read
//! before calamine sees it; an ods's `content.xml` is scanned by
//! [`super::ods`] for what calamine would make of it. `docProps/custom.xml` tells a gongshi
//! register export ([`crate::render::export::IDENTITY`]), refused.

use super::table::{PartProblem, ReadError, MAX_PART, MAX_STRINGS};
use std::io::{Cursor, Read};

/// Checks every part of the package.
pub fn check(bytes: &[u8]) -> Result<(), ReadError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Workbook(e.to_string()))?;
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| ReadError::Workbook(e.to_string()))?;
        let name = part
            .name()
            .map_err(|e| ReadError::Workbook(e.to_string()))?
            .replace('\\', "/");
        let lower = name.to_ascii_lowercase();
        let problem = |p: PartProblem| ReadError::Part {
            part: name.clone(),
            problem: p,
        };
        let mut limited = (&mut part).take(MAX_PART + 1);
        let size = if lower == "docprops/custom.xml" {
            let mut text = Vec::new();
            limited
                .read_to_end(&mut text)
                .map_err(|e| ReadError::Workbook(e.to_string()))?;
            if let Some(export) = export_identity(&text) {
                return Err(export);
            }
            text.len() as u64
        } else if lower.ends_with("sharedstrings.xml") {
            let mut text = Vec::new();
            limited
                .read_to_end(&mut text)
                .map_err(|e| ReadError::Workbook(e.to_string()))?;
            if let Some(count) = unique_counts(&text).find(|c| !small(c)) {
                return Err(problem(PartProblem::Strings(count)));
            }
            text.len() as u64
        } else if lower == "content.xml" {
            let mut text = Vec::new();
            limited
                .read_to_end(&mut text)
                .map_err(|e| ReadError::Workbook(e.to_string()))?;
            if text.len() as u64 <= MAX_PART {
                super::ods::check(&text)?;
            }
            text.len() as u64
        } else {
            std::io::copy(&mut limited, &mut std::io::sink())
                .map_err(|e| ReadError::Workbook(e.to_string()))?
        };
        if size > MAX_PART {
            return Err(problem(PartProblem::TooLarge));
        }
    }
    Ok(())
}

/// The refusal of a register export, when the custom properties name one.
fn export_identity(xml: &[u8]) -> Option<ReadError> {
    let xml = String::from_utf8_lossy(xml);
    let property = |name: &str| -> Option<String> {
        let at = xml.find(&format!("name=\"{name}\""))?;
        let rest = &xml[at..];
        let start = rest.find("<vt:lpwstr>")? + "<vt:lpwstr>".len();
        let end = rest[start..].find("</vt:lpwstr>")? + start;
        let v = &rest[start..end];
        Some(
            v.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        )
    };
    let (key, value) = crate::render::export::IDENTITY;
    (property(key)? == value).then(|| ReadError::Export {
        site: property("gongshi.site"),
        version: property("gongshi.version"),
        audience: property("gongshi.audience_label").or_else(|| property("gongshi.audience")),
    })
}

/// Every value written for a `uniqueCount` attribute, as written.
fn unique_counts(xml: &[u8]) -> impl Iterator<Item = String> + '_ {
    const NAME: &[u8] = b"uniqueCount";
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let at = from + xml[from..].windows(NAME.len()).position(|w| w == NAME)?;
        from = at + NAME.len();
        let rest = &xml[from..];
        let skip = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let mut i = skip(rest);
        if rest.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        i += skip(&rest[i..]);
        let Some(&quote) = rest.get(i).filter(|q| **q == b'"' || **q == b'\'') else {
            continue;
        };
        let value = &rest[i + 1..];
        let end = value
            .iter()
            .position(|b| *b == quote)
            .unwrap_or(value.len());
        return Some(String::from_utf8_lossy(&value[..end]).into_owned());
    })
}

/// Whether a written count is one calamine may reserve room for: a
/// number up to [`MAX_STRINGS`], or text no number parser takes.
fn small(count: &str) -> bool {
    let digits = count.trim_start_matches('+');
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    digits.trim_start_matches('0').len() <= 7
        && digits.parse::<u64>().is_ok_and(|n| n <= MAX_STRINGS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_found_however_written() {
        let xml = br#"<sst count="3" uniqueCount = '12'><x uniqueCount="+99999999"/>"#;
        let all: Vec<String> = unique_counts(xml).collect();
        assert_eq!(all, ["12", "+99999999"]);
        assert!(small("12") && small("abc") && small("1000000"));
        assert!(!small("+99999999") && !small("18446744073709551615"));
        assert!(!small("00000000000000000000001000001"));
        assert!(small("0000000000000000000000000012"));
    }
}
