//! The `content.xml` of an ods ledger, scanned before calamine opens it.
//! calamine reads every sheet of an ods whole when it opens the file: it
//! makes a cell for each empty cell before a later cell of the same row,
//! then a `Range` spanning a sheet's cells with data, empty rows and
//! columns between included, and copies a repeated cell or row of data
//! once per repeat. A small file can so ask for gigabytes with one cell
//! at A1 and another placed far away by `number-rows-repeated` and
//! `number-columns-repeated` runs of empty cells.
//!
//! The scan follows calamine's own reading (same parser, same events, the
//! same elements taken as rows and cells) and counts what calamine would
//! make, refusing the first cell beyond the bounds of [`super::table`]:
//! - a cell with data (a value, a formula or text) at row ≥ 50,000 or
//!   column ≥ 64, in any sheet, or the sheets' rows spanned by data
//!   (first to last row with data, summed over the sheets) > 50,000;
//! - cells with data, repeats counted, > 500,000 over all sheets;
//! - empty cells calamine fills in before a later cell of their row,
//!   summed over all rows, > 50,000 × 64 (the cell that asked, as a
//!   column beyond the bounds);
//! - the text copied for repeated cells and rows with data, and the
//!   spaces of `<text:s text:c>`, > 64 MiB (`content.xml` too large).
//!
//! Repeated empty cells and rows at the end of a row or sheet, as
//! LibreOffice writes them, cost nothing and count for nothing.
//! calamine also loops for ever on a `content.xml` that ends inside a
//! table or a cell's note: refused here with calamine's own message.

use super::table::MAX_ROWS;
use super::table::{address, Bound, PartProblem, ReadError, MAX_CELLS, MAX_COLS, MAX_PART};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Empty cells calamine may fill in while reading rows.
const MAX_FILLED: u64 = MAX_ROWS as u64 * MAX_COLS as u64;
/// calamine's own cap on the cells of one row.
const ROW_CAP: u64 = 16_384;

/// Why the scan ended early.
enum Stop {
    /// Where calamine fails too, having made no more than counted so far.
    Calamine,
    /// A refusal.
    Refuse(ReadError),
}

type Step<T> = Result<T, Stop>;

/// What calamine would make, counted.
#[derive(Default)]
struct Scan {
    sheet: String,
    /// Cells with data in all sheets, repeats counted.
    cells: u64,
    /// Rows spanned by the data of the sheets read before.
    rows_before: u64,
    /// Cells calamine fills in while reading rows.
    filled: u64,
    /// Bytes of text calamine copies.
    text: u64,
}

/// Checks `xml`, the `content.xml` of an ods package.
pub fn check(xml: &[u8]) -> Result<(), ReadError> {
    let mut r = Reader::from_reader(xml);
    let config = r.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut scan = Scan::default();
    loop {
        let step = match r.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == "table:table" => {
                match attr(&e, "table:name") {
                    Ok(Some(name)) => {
                        scan.sheet = name;
                        scan.table(&mut r)
                    }
                    Ok(None) => Ok(()),
                    Err(stop) => Err(stop),
                }
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => Ok(()),
        };
        match step {
            Ok(()) => {}
            Err(Stop::Calamine) => return Ok(()),
            Err(Stop::Refuse(e)) => return Err(e),
        }
    }
}

/// The unescaped value of attribute `name`, as calamine reads it.
fn attr(e: &BytesStart, name: &str) -> Step<Option<String>> {
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|_| Stop::Calamine)?;
        if a.key.as_ref() == name {
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|_| Stop::Calamine)?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

/// A repeat count (1 when absent); calamine fails on one it cannot parse.
fn repeats(e: &BytesStart, name: &str) -> Step<u64> {
    match attr(e, name)? {
        None => Ok(1),
        Some(v) => v
            .parse::<usize>()
            .map(|n| n as u64)
            .map_err(|_| Stop::Calamine),
    }
}

fn eof(what: &'static str) -> Stop {
    Stop::Refuse(ReadError::Workbook(
        calamine::OdsError::Eof(what).to_string(),
    ))
}

impl Scan {
    fn beyond(&self, row: u64, col: u64, bound: Bound) -> Stop {
        let at = |n: u64| n.min(u32::MAX as u64) as u32;
        Stop::Refuse(ReadError::Beyond {
            sheet: Some(self.sheet.clone()),
            cell: address(at(row), at(col)),
            bound,
        })
    }

    /// One sheet, as calamine's `read_table`.
    fn table(&mut self, r: &mut Reader<&[u8]>) -> Step<()> {
        let mut row = 0u64;
        let mut span: Option<(u64, u64)> = None;
        loop {
            match r.read_event() {
                Ok(Event::Start(e)) if e.name().as_ref() == "table:table-row" => {
                    let reps = repeats(&e, "table:number-rows-repeated")?;
                    self.row(r, row, reps, &mut span)?;
                    row = row.saturating_add(reps);
                }
                Ok(Event::End(e)) if e.name().as_ref() == "table:table" => break,
                Ok(Event::Eof) => return Err(eof("table:table")),
                Err(_) => return Err(Stop::Calamine),
                Ok(_) => {}
            }
        }
        if let Some((first, last)) = span {
            self.rows_before += last + 1 - first;
        }
        Ok(())
    }

    /// One row element (`reps` rows from `row`), as calamine's `read_row`.
    fn row(
        &mut self,
        r: &mut Reader<&[u8]>,
        row: u64,
        reps: u64,
        span: &mut Option<(u64, u64)>,
    ) -> Step<()> {
        let (mut col, mut pushed, mut empty_run) = (0u64, 0u64, 0u64);
        loop {
            let start = r.buffer_position();
            match r.read_event() {
                Ok(Event::Start(e))
                    if matches!(
                        e.name().as_ref(),
                        "table:table-cell" | "table:covered-table-cell"
                    ) =>
                {
                    let n = match attr(&e, "table:number-columns-repeated")? {
                        None => 1,
                        Some(v) => v.parse::<usize>().map_err(|_| Stop::Calamine)? as u64,
                    };
                    let (data, closed) = self.datatype(r, &e)?;
                    let weight = r.buffer_position() - start;
                    let empty = empty_run.min(ROW_CAP - pushed);
                    self.fill(empty, row, col)?;
                    pushed += empty;
                    let n_pushed = n.min(ROW_CAP - pushed);
                    if data {
                        self.data(row, reps, col, n, weight, span)?;
                        self.fill(n_pushed, row, col)?;
                        pushed += n_pushed;
                        empty_run = 0;
                    } else {
                        empty_run = n_pushed;
                    }
                    col = col.saturating_add(n);
                    if !closed {
                        r.read_to_end(e.name()).map_err(|_| Stop::Calamine)?;
                    }
                }
                Ok(Event::End(e)) if e.name().as_ref() == "table:table-row" => return Ok(()),
                _ => return Err(Stop::Calamine),
            }
        }
    }

    /// `n` cells calamine fills in, the last of them before column `col`.
    fn fill(&mut self, n: u64, row: u64, col: u64) -> Step<()> {
        self.filled += n;
        if self.filled > MAX_FILLED {
            return Err(self.beyond(row, col.max(MAX_COLS as u64), Bound::Cols));
        }
        Ok(())
    }

    /// A cell with data repeated over `n` columns from `col` and `reps`
    /// rows from `row`, `weight` bytes of XML.
    fn data(
        &mut self,
        row: u64,
        reps: u64,
        col: u64,
        n: u64,
        weight: u64,
        span: &mut Option<(u64, u64)>,
    ) -> Step<()> {
        let (reps, n) = (reps.max(1), n.max(1));
        let (max_rows, max_cols) = (MAX_ROWS as u64, MAX_COLS as u64);
        if col.saturating_add(n) > max_cols {
            return Err(self.beyond(row, col.max(max_cols), Bound::Cols));
        }
        let last = row.saturating_add(reps - 1);
        if last >= max_rows {
            return Err(self.beyond(row.max(max_rows), col, Bound::Rows));
        }
        let first = span.map_or(row, |s| s.0);
        *span = Some((first, last.max(span.map_or(0, |s| s.1))));
        // rows this sheet may span after the sheets before it
        let room = max_rows.saturating_sub(self.rows_before);
        if last + 1 - first > room {
            return Err(self.beyond(row.max(first + room), col, Bound::Rows));
        }
        let count = n.saturating_mul(reps);
        self.cells = self.cells.saturating_add(count);
        if self.cells > MAX_CELLS as u64 {
            return Err(self.beyond(row, col, Bound::Cells));
        }
        self.text = self.text.saturating_add(weight.saturating_mul(count));
        self.text_bound()
    }

    fn text_bound(&self) -> Step<()> {
        if self.text > MAX_PART {
            return Err(Stop::Refuse(ReadError::Part {
                part: "content.xml".into(),
                problem: PartProblem::TooLarge,
            }));
        }
        Ok(())
    }

    /// Whether a cell holds data, and whether its element was read to its
    /// end, as calamine's `get_datatype`.
    fn datatype(&mut self, r: &mut Reader<&[u8]>, e: &BytesStart) -> Step<(bool, bool)> {
        let (mut value, mut string, mut error, mut formula) = (None::<String>, false, false, false);
        for a in e.attributes().with_checks(false) {
            let a = a.map_err(|_| Stop::Calamine)?;
            let raw = a.value.as_ref();
            match a.key.as_ref() {
                "office:value"
                | "office:string-value"
                | "office:date-value"
                | "office:time-value"
                | "office:boolean-value"
                    if value.is_none() =>
                {
                    value = Some(raw.to_string());
                }
                "office:value-type" if value.is_none() => string = raw == "string",
                "calcext:value-type" => error = raw == "error",
                "table:formula" => formula = !raw.is_empty(),
                _ => {}
            }
        }
        let reads_text = (value.is_none() && string)
            || (error && value.as_deref() == Some("") && string_value(e));
        if !reads_text {
            return Ok((value.is_some() || formula, false));
        }
        self.cell_text(r)?;
        Ok((true, true))
    }

    /// A string cell's paragraphs, to the end of the cell.
    fn cell_text(&mut self, r: &mut Reader<&[u8]>) -> Step<()> {
        loop {
            match r.read_event() {
                Ok(Event::End(e))
                    if matches!(
                        e.name().as_ref(),
                        "table:table-cell" | "table:covered-table-cell"
                    ) =>
                {
                    return Ok(())
                }
                Ok(Event::Start(e)) if e.name().as_ref() == "office:annotation" => loop {
                    match r.read_event() {
                        Ok(Event::End(e)) if e.name().as_ref() == "office:annotation" => break,
                        Ok(Event::Eof) => return Err(eof("office:annotation")),
                        Err(_) => return Err(Stop::Calamine),
                        _ => {}
                    }
                },
                Ok(Event::Start(e)) if e.name().as_ref() == "text:s" => {
                    let spaces = match attr(&e, "text:c")? {
                        None => 1,
                        Some(v) => v.parse::<usize>().map_err(|_| Stop::Calamine)? as u64,
                    };
                    self.text = self.text.saturating_add(spaces);
                    self.text_bound()?;
                }
                Ok(Event::Eof) | Err(_) => return Err(Stop::Calamine),
                _ => {}
            }
        }
    }
}

/// Whether the value calamine took is `office:string-value` (its error
/// cells keep their text in the content).
fn string_value(e: &BytesStart) -> bool {
    let mut first = None;
    for a in e.attributes().with_checks(false).flatten() {
        if matches!(
            a.key.as_ref(),
            "office:value"
                | "office:string-value"
                | "office:date-value"
                | "office:time-value"
                | "office:boolean-value"
        ) {
            first = Some(a.key.as_ref() == "office:string-value");
            break;
        }
    }
    first == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(tables: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
        )
        .into_bytes()
    }

    fn table(name: &str, rows: &str) -> String {
        format!(r#"<table:table table:name="{name}">{rows}</table:table>"#)
    }

    fn text(t: &str) -> String {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
        )
    }

    fn row(cells: &str) -> String {
        format!("<table:table-row>{cells}</table:table-row>")
    }

    const EMPTY_ROWS: &str = r#"<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;

    fn refused(xml: &[u8]) -> String {
        match check(xml) {
            Err(ReadError::Beyond { sheet, cell, bound }) => {
                format!("{}!{cell} {bound:?}", sheet.unwrap_or_default())
            }
            Err(ReadError::Part { part, .. }) => part,
            Err(ReadError::Workbook(d)) => d,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn trailing_runs_of_empties_count_for_nothing() {
        let end = r#"<table:table-cell table:number-columns-repeated="16380"/>"#;
        let number = r#"<table:table-cell office:value-type="float" office:value="3"/>"#;
        let rows = row(&format!("{}{}{end}", text("风险点"), text("等级")))
            + &row(&format!(
                r#"{}<table:covered-table-cell table:number-columns-repeated="2"/>{number}{end}"#,
                text("甲")
            ))
            + EMPTY_ROWS;
        let xml =
            content(&(table("台账", &rows) + &table("说明", &(row(&text("备注")) + EMPTY_ROWS))));
        assert!(check(&xml).is_ok());
    }

    #[test]
    fn a_far_cell_with_data_is_refused_where_it_is() {
        let far = row(&text("a"))
            + r#"<table:table-row table:number-rows-repeated="6100"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
            + &row(&format!(
                r#"<table:table-cell table:number-columns-repeated="16383"/>{}"#,
                text("x")
            ));
        assert_eq!(refused(&content(&table("S", &far))), "S!XFD6102 Cols");
        // a formula alone holds data; a repeated cell of data reaching BM
        let formula = row(
            r#"<table:table-cell table:number-columns-repeated="70"/><table:table-cell table:formula="of:=1"/>"#,
        );
        assert_eq!(refused(&content(&table("S", &formula))), "S!BS1 Cols");
        let wide = row(
            r#"<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="65"/>"#,
        );
        assert_eq!(refused(&content(&table("S", &wide))), "S!BM1 Cols");
        let tall = r#"<table:table-row table:number-rows-repeated="60000"><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#;
        assert_eq!(refused(&content(&table("S", tall))), "S!A50001 Rows");
    }

    #[test]
    fn rows_are_counted_over_every_sheet() {
        let span = row(&text("a"))
            + r#"<table:table-row table:number-rows-repeated="29998"/>"#
            + &row(&text("b"));
        let xml = content(&(table("一", &span) + &table("二", &span)));
        assert_eq!(refused(&xml), "二!A30000 Rows");
    }

    #[test]
    fn cells_filled_in_before_a_later_empty_cell_are_bounded() {
        let filler =
            row(r#"<table:table-cell table:number-columns-repeated="16383"/><table:table-cell/>"#);
        assert_eq!(
            refused(&content(&table("S", &filler.repeat(300)))),
            "S!XFD196 Cols"
        );
    }

    #[test]
    fn text_copied_for_repeats_and_spaces_are_bounded() {
        let spaces = row(&text(r#"a<text:s text:c="2000000000"/>"#));
        assert_eq!(refused(&content(&table("S", &spaces))), "content.xml");
        let long = format!(
            r#"<table:table-row table:number-rows-repeated="700"><table:table-cell office:value-type="string" table:number-columns-repeated="63"><text:p>{}</text:p></table:table-cell></table:table-row>"#,
            "x".repeat(1 << 16)
        );
        assert_eq!(refused(&content(&table("S", &long))), "content.xml");
    }

    #[test]
    fn a_table_cut_short_is_refused_not_looped_on() {
        let xml = content(&table("S", &row(&text("a"))));
        let cut = &xml[..xml
            .windows(14)
            .position(|w| w == b"</table:table>")
            .unwrap()];
        assert!(refused(cut).contains("table:table"));
    }
}
