//! A ledger file as rows of text: xlsx/xls/ods through calamine (merged
//! cells filled downwards, as a merged 科室 cell means every row it
//! spans), CSV in UTF-8 (BOM or not), UTF-16 or GBK through
//! `load::decode`, with `,`, tab or `;` between fields.

use calamine::{Data, Reader, Sheets};
use std::io::Cursor;

/// The rows of one sheet.
#[derive(Debug, Default)]
pub struct Grid {
    /// Each row with its number as the spreadsheet shows it (from 1).
    pub rows: Vec<(usize, Vec<String>)>,
    /// The sheet read, for workbooks.
    pub sheet: Option<String>,
    /// The CSV was in GBK/GB18030.
    pub gbk: bool,
}

impl Grid {
    /// Rows numbered from 1, as the spreadsheet shows them.
    fn new(rows: Vec<Vec<String>>, sheet: Option<String>, gbk: bool) -> Grid {
        let rows = rows.into_iter().enumerate().map(|(i, r)| (i + 1, r));
        Grid {
            rows: rows.collect(),
            sheet,
            gbk,
        }
    }
}

/// Why a file gave no rows.
#[derive(Debug, Clone)]
pub enum ReadError {
    /// A workbook calamine could not open, with its reason.
    Workbook(String),
    /// No sheet of that name; the names there are.
    NoSheet(String, Vec<String>),
    /// Neither a workbook nor text.
    NotText,
}

/// Reads `bytes`; for workbooks, the sheet `sheet`, else the first sheet
/// named as in `preferred`, else the first sheet.
pub fn read(bytes: &[u8], sheet: Option<&str>, preferred: &[String]) -> Result<Grid, ReadError> {
    let workbook = bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if workbook {
        read_workbook(bytes, sheet, preferred)
    } else {
        read_csv(bytes)
    }
}

fn read_workbook(
    bytes: &[u8],
    sheet: Option<&str>,
    preferred: &[String],
) -> Result<Grid, ReadError> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError::Workbook(e.to_string()))?;
    let names = wb.sheet_names();
    let same = |a: &str, b: &str| super::headers::norm(a) == super::headers::norm(b);
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .or_else(|| names.iter().find(|n| same(n, s)))
            .cloned()
            .ok_or_else(|| ReadError::NoSheet(s.to_string(), names.clone()))?,
        None => preferred
            .iter()
            .find_map(|p| names.iter().find(|n| same(n, p)))
            .or_else(|| names.first())
            .cloned()
            .ok_or_else(|| ReadError::NoSheet(String::new(), Vec::new()))?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| ReadError::Workbook(e.to_string()))?;
    let merges = match &mut wb {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        _ => Vec::new(),
    };
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); r0 as usize];
    for row in range.rows() {
        let mut cells = vec![String::new(); c0 as usize];
        cells.extend(row.iter().map(text));
        rows.push(cells);
    }
    for m in merges {
        let (top, col) = (m.start.0 as usize, m.start.1 as usize);
        let value = rows
            .get(top)
            .and_then(|r| r.get(col))
            .cloned()
            .unwrap_or_default();
        for r in top + 1..=(m.end.0 as usize).min(rows.len().saturating_sub(1)) {
            let row = &mut rows[r];
            if row.len() <= col {
                row.resize(col + 1, String::new());
            }
            if row[col].is_empty() {
                row[col] = value.clone();
            }
        }
    }
    Ok(Grid::new(rows, Some(name), false))
}

/// A cell as text: whole numbers without `.0`, dates as `YYYY-MM-DD`.
fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => {
            // Excel's serial day 25569 is 1970-01-01
            crate::civil_date(dt.as_f64().floor() as i64 - 25_569)
        }
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Grid, ReadError> {
    let (text, enc) = crate::load::decode::decode(bytes).map_err(|_| ReadError::NotText)?;
    let rows = parse_csv(&text);
    let gbk = enc == crate::load::decode::Encoding::Gb18030;
    Ok(Grid::new(rows, None, gbk))
}

/// The field separator: whichever of `,` tab `;` the first line has most
/// of, outside quotes.
fn separator(text: &str) -> char {
    let first = text.lines().next().unwrap_or("");
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [',', '\t', ';'][best]
}

/// RFC 4180 records (quotes doubled inside quoted fields; line breaks
/// inside quotes belong to the field). `text` has LF line ends.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let sep = separator(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.is_empty() {
            quoted = true;
        } else if c == sep {
            row.push(std::mem::take(&mut field));
        } else if c == '\n' {
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        } else {
            field.push(c);
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quotes_and_line_breaks() {
        let rows = parse_csv("编号,措施\nR-1,\"1、甲\n2、乙\"\nR-2,\"说 \"\"好\"\"\"\n");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1], vec!["R-1", "1、甲\n2、乙"]);
        assert_eq!(rows[2], vec!["R-2", "说 \"好\""]);
    }

    #[test]
    fn tab_separated() {
        assert_eq!(parse_csv("a\tb,c\td\n")[0], vec!["a", "b,c", "d"]);
    }

    #[test]
    fn gbk_csv_is_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("风险点,等级\r\n违规审批,一级\r\n");
        let g = read(&gbk, None, &[]).unwrap();
        assert!(g.gbk);
        assert_eq!(
            g.rows[1],
            (2, vec!["违规审批".to_string(), "一级".to_string()])
        );
    }
}
