//! `register.csv`: the risk sheet as CSV — UTF-8 with a BOM (so Excel on
//! Chinese Windows shows the characters), CRLF between records, fields
//! quoted when they hold a comma, a quote, a line break or edge spaces.

use super::{columns, Cell, Table};
use crate::i18n::tr;
use crate::model::Site;

/// The CSV bytes of a table.
pub fn write(site: &Site, table: &Table) -> Vec<u8> {
    let lang = site.config.lang();
    let mut out = String::from("\u{feff}");
    let heads: Vec<String> = columns(table.kind)
        .iter()
        .map(|(_, k)| tr(lang, k, &[]))
        .collect();
    record(&mut out, heads.iter().map(String::as_str));
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => s.clone(),
                Cell::Number(n) => n.to_string(),
                Cell::Grade(g) => site
                    .config
                    .grades
                    .get(*g)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
            })
            .collect();
        record(&mut out, cells.iter().map(String::as_str));
    }
    out.into_bytes()
}

fn record<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, f) in fields.enumerate() {
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

#[cfg(test)]
mod tests {
    use super::*;

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
