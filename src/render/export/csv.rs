//! `register.csv`: the risk sheet as CSV — UTF-8 with a BOM (so Excel on
//! Chinese Windows shows the characters), CRLF between records, fields
//! quoted when they hold a comma, a quote, a line break or edge spaces.
//! A field that a spreadsheet would take for a formula (first character
//! `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, as OWASP advises
//! against CSV injection: auditors open this file in Excel. The workbook
//! needs no such mark: its cells are typed strings.

use super::{columns, Cell, Table};
use crate::i18n::tr;
use crate::model::Site;
use std::borrow::Cow;

/// The CSV bytes of a table.
pub fn write(site: &Site, table: &Table) -> Vec<u8> {
    let lang = site.config.lang();
    let size: usize = table
        .rows
        .iter()
        .flatten()
        .map(|c| match c {
            Cell::Text(s) => s.len() + 3,
            _ => 8,
        })
        .sum();
    let mut out = String::with_capacity(size + 1024);
    out.push('\u{feff}');
    let heads: Vec<String> = columns(table.kind)
        .iter()
        .map(|(_, k)| tr(lang, k, &[]))
        .collect();
    record(&mut out, heads.iter().map(String::as_str));
    for row in &table.rows {
        let cells = row.iter().map(|c| match c {
            Cell::Text(s) => Cow::Borrowed(s.as_str()),
            Cell::Number(n) => Cow::Owned(n.to_string()),
            Cell::Grade(g) => {
                Cow::Borrowed(site.config.grades.get(*g).map_or("", |x| x.name.as_str()))
            }
        });
        record(&mut out, cells);
    }
    out.into_bytes()
}

fn record<S: AsRef<str>>(out: &mut String, fields: impl Iterator<Item = S>) {
    for (i, f) in fields.enumerate() {
        let f = neutralise(f.as_ref());
        let f = f.as_ref();
        if i > 0 {
            out.push(',');
        }
        let quote = f.contains([',', '"', '\n', '\r'])
            || f.starts_with(char::is_whitespace)
            || f.ends_with(char::is_whitespace);
        if quote {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A field that would start a formula, with a leading `'` (shown by
/// spreadsheets as text, the `'` hidden); any other field as it is.
fn neutralise(f: &str) -> Cow<'_, str> {
    if f.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{f}"))
    } else {
        Cow::Borrowed(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        let mut s = String::new();
        record(
            &mut s,
            ["=1+1", "+86", "-x", "@a", "\tt", "a=b", "'q"].into_iter(),
        );
        assert_eq!(s, "'=1+1,'+86,'-x,'@a,'\tt,a=b,'q\r\n");
    }

    #[test]
    fn quoting() {
        let mut s = String::new();
        record(
            &mut s,
            ["a", "b,c", "say \"hi\"", "1、x\n2、y", " pad"].into_iter(),
        );
        assert_eq!(
            s,
            "a,\"b,c\",\"say \"\"hi\"\"\",\"1、x\n2、y\",\" pad\"\r\n"
        );
    }
}
