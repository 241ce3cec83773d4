//! Reading a PDF written by Chromium (Skia): which page each named
//! destination falls on. Chromium writes one named destination per link
//! target of the document (`<a href="#x">` → `/x`), in a `/Dests`
//! dictionary of the catalogue, pointing at page objects; the page tree
//! gives the page order. That is all the booklet needs to number its table
//! of contents — no PDF library, no poppler at run time.
//!
//! Skia writes a classic cross-reference table and no object streams; a
//! file that does not look like that gives `None`, never a panic.

use std::collections::BTreeMap;

/// Named destinations and the page count of a PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pages {
    pub count: u32,
    /// Destination name → page number, from 1.
    pub dests: BTreeMap<String, u32>,
}

/// Reads the page count and the page of every named destination.
pub fn read(pdf: &[u8]) -> Option<Pages> {
    let doc = Doc::parse(pdf)?;
    let catalog = doc.object(doc.root)?;
    let pages_root = reference_after(catalog, b"/Pages")?;
    let mut order = Vec::new();
    doc.walk_pages(pages_root, &mut order, 0)?;
    let index: BTreeMap<u32, u32> = order
        .iter()
        .enumerate()
        .map(|(i, obj)| (*obj, i as u32 + 1))
        .collect();
    let mut dests = BTreeMap::new();
    if let Some(at) = find(catalog, b"/Dests") {
        let rest = skip_ws(&catalog[at + b"/Dests".len()..]);
        let dict = if rest.starts_with(b"<<") {
            rest
        } else {
            doc.object(parse_ref(rest)?.0)?
        };
        for (name, page) in dest_entries(dict) {
            if let Some(&n) = index.get(&page) {
                dests.insert(name, n);
            }
        }
    }
    Some(Pages {
        count: order.len() as u32,
        dests,
    })
}

struct Doc<'a> {
    bytes: &'a [u8],
    offsets: BTreeMap<u32, usize>,
    root: u32,
}

impl<'a> Doc<'a> {
    fn parse(bytes: &'a [u8]) -> Option<Doc<'a>> {
        if !bytes.starts_with(b"%PDF") {
            return None;
        }
        let sx = rfind(bytes, b"startxref")?;
        let (xref_at, _) = parse_uint(skip_ws(&bytes[sx + b"startxref".len()..]))?;
        let offsets = xref_table(bytes.get(xref_at as usize..)?)?;
        let trailer = &bytes[rfind(&bytes[..sx], b"trailer")?..sx];
        let root = reference_after(trailer, b"/Root")?;
        Some(Doc {
            bytes,
            offsets,
            root,
        })
    }

    /// The text of object `n` up to `endobj` (or up to its stream).
    fn object(&self, n: u32) -> Option<&'a [u8]> {
        let start = *self.offsets.get(&n)?;
        let body = self.bytes.get(start..)?;
        let end = [find(body, b"endobj"), find(body, b"stream")]
            .into_iter()
            .flatten()
            .min()?;
        Some(&body[..end])
    }

    fn walk_pages(&self, node: u32, out: &mut Vec<u32>, depth: u32) -> Option<()> {
        if depth > 32 {
            return None;
        }
        let text = self.object(node)?;
        match find(text, b"/Kids") {
            Some(at) => {
                let list = &text[at + b"/Kids".len()..];
                let list = &list[find(list, b"[")? + 1..find(list, b"]")?];
                for kid in refs(list) {
                    self.walk_pages(kid, out, depth + 1)?;
                }
            }
            None => out.push(node),
        }
        Some(())
    }
}

/// Object number → byte offset, from a classic `xref` table.
fn xref_table(at: &[u8]) -> Option<BTreeMap<u32, usize>> {
    let mut rest = skip_ws(at.strip_prefix(b"xref")?);
    let mut offsets = BTreeMap::new();
    while !rest.starts_with(b"trailer") {
        let (first, r) = parse_uint(rest)?;
        let (count, r) = parse_uint(skip_ws(r))?;
        rest = skip_ws(r);
        for i in 0..count {
            let line = rest.get(..18)?;
            let (offset, _) = parse_uint(line)?;
            if line[17] == b'n' {
                offsets.insert(u32::try_from(first + i).ok()?, offset as usize);
            }
            rest = skip_ws(rest.get(18..)?);
        }
    }
    Some(offsets)
}

/// `/name [page 0 R …]` pairs of a destinations dictionary.
fn dest_entries(dict: &[u8]) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut rest = dict.strip_prefix(b"<<").unwrap_or(dict);
    while let Some(slash) = rest.iter().position(|&b| b == b'/') {
        let after = &rest[slash + 1..];
        let len = after
            .iter()
            .position(|b| b.is_ascii_whitespace() || b"/[]<>()".contains(b))
            .unwrap_or(after.len());
        let name = decode_name(&after[..len]);
        let value = skip_ws(&after[len..]);
        match value.strip_prefix(b"[") {
            Some(v) => {
                if let Some((page, _)) = parse_ref(skip_ws(v)) {
                    out.push((name, page));
                }
                rest = &v[v.iter().position(|&b| b == b']').unwrap_or(v.len())..];
            }
            None => rest = value,
        }
    }
    out
}

/// A PDF name with its `#xx` escapes decoded.
fn decode_name(raw: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (raw[i], hex) {
            (b'#', Some(b)) => {
                bytes.push(b);
                i += 3;
            }
            (b, _) => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Every `n g R` reference in a run of text.
fn refs(mut text: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    loop {
        text = skip_ws(text);
        match parse_ref(text) {
            Some((n, rest)) => {
                out.push(n);
                text = rest;
            }
            None => return out,
        }
    }
}

/// The reference `n g R` that follows `key`.
fn reference_after(text: &[u8], key: &[u8]) -> Option<u32> {
    let at = find_key(text, key)?;
    parse_ref(skip_ws(&text[at + key.len()..])).map(|(n, _)| n)
}

/// `key` as a whole name (`/Pages`, not `/PagesX`).
fn find_key(text: &[u8], key: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = find(&text[from..], key) {
        let end = from + at + key.len();
        if text
            .get(end)
            .is_none_or(|b| b.is_ascii_whitespace() || b"/[<(".contains(b))
        {
            return Some(from + at);
        }
        from = end;
    }
    None
}

fn parse_ref(text: &[u8]) -> Option<(u32, &[u8])> {
    let (n, rest) = parse_uint(text)?;
    let (_, rest) = parse_uint(skip_ws(rest))?;
    let rest = skip_ws(rest).strip_prefix(b"R")?;
    Some((u32::try_from(n).ok()?, rest))
}

fn parse_uint(text: &[u8]) -> Option<(u64, &[u8])> {
    let len = text.iter().take_while(|b| b.is_ascii_digit()).count();
    let n = std::str::from_utf8(&text[..len]).ok()?.parse().ok()?;
    Some((n, &text[len..]))
}

fn skip_ws(text: &[u8]) -> &[u8] {
    let n = text.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &text[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal PDF as Skia lays it out: nested page tree, `/Dests` object.
    fn sample() -> Vec<u8> {
        let objects = [
            "<</Type /Catalog\n/Pages 2 0 R\n/Dests 3 0 R>>",
            "<</Type /Pages\n/Count 3\n/Kids [4 0 R 5 0 R]>>",
            "<</s-notice [6 0 R /XYZ 6 800 0]\n/d-D#2D01 [7 0 R /XYZ 6 827.66998 0]\n/f-F-01 [8 0 R /XYZ 6 1 0]>>",
            "<</Type /Page\n/Parent 2 0 R>>",
            "<</Type /Pages\n/Count 2\n/Kids [7 0 R 6 0 R]>>",
            "<</Type /Page\n/Parent 5 0 R>>",
            "<</Type /Page\n/Parent 5 0 R>>",
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
        }
        let xref = pdf.len();
        pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
        for o in offsets {
            pdf.extend(format!("{o:010} 00000 n \n").bytes());
        }
        pdf.extend(format!("trailer\n<</Size 8\n/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF").bytes());
        pdf
    }

    #[test]
    fn reads_pages_of_named_destinations() {
        let p = read(&sample()).expect("parsed");
        assert_eq!(p.count, 3);
        assert_eq!(p.dests.get("s-notice"), Some(&3));
        assert_eq!(p.dests.get("d-D-01"), Some(&2));
        assert_eq!(p.dests.get("f-F-01"), None, "object 8 is no page");
    }

    #[test]
    fn garbage_is_none_not_a_panic() {
        assert_eq!(read(b"not a pdf"), None);
        let mut cut = sample();
        cut.truncate(cut.len() / 2);
        assert_eq!(read(&cut), None);
        let mut bad = sample();
        let n = bad.len();
        bad[n - 20..].fill(b'9');
        assert_eq!(read(&bad), None);
    }
}
