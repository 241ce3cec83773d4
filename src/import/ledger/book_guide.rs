//! The workbook's first sheet, 填表说明: what the workbook is (an
//! internal document), how to fill it in, and one worked example row.

use super::cols::{Col, Sheet};
use crate::i18n::tr;
use crate::model::Site;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

/// How many numbered instruction lines the catalogue has.
const LINES: usize = 9;

pub fn guide(ws: &mut Worksheet, site: &Site, head: &Format) -> Result<(), XlsxError> {
    let cfg = &site.config;
    let lang = cfg.lang();
    ws.set_name(tr(lang, "ledger.sheet.guide", &[]))?;
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::VerticalCenter);
    let warn = Format::new()
        .set_bold()
        .set_font_color("#b71c1c")
        .set_text_wrap();
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
        .set_border_color("#c0c0c0");
    let sheet = Sheet::Risks;
    let last = sheet.cols().len() as u16 - 1;
    for (c, col) in sheet.cols().iter().enumerate() {
        ws.set_column_width(c as u16, col.width().min(24.0))?;
    }
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    let line = |ws: &mut Worksheet, r: u32, text: String, f: &Format, h: f64| {
        ws.merge_range(r, 0, r, last, &text, f)?;
        ws.set_row_height(r, h).map(|_| ())
    };
    let title_text = tr(
        lang,
        "ledger.guide.title",
        &[("unit", cfg.unit.clone()), ("version", cfg.version.clone())],
    );
    line(ws, 0, title_text, &title, 28.0)?;
    line(ws, 1, tr(lang, "ledger.guide.internal", &[]), &warn, 22.0)?;
    let mut r = 3u32;
    for i in 1..=LINES {
        let text = format!("{i}. {}", tr(lang, &format!("ledger.guide.{i}"), &[]));
        line(ws, r, text, &wrap, 34.0)?;
        r += 1;
    }
    r += 1;
    let example_title = tr(lang, "ledger.guide.example", &[]);
    line(ws, r, example_title, &title, 24.0)?;
    r += 1;
    let example = example_row(site);
    // the example goes below, one column per field, as on the 风险点 sheet
    for (c, col) in sheet.cols().iter().enumerate() {
        ws.write_string_with_format(r, c as u16, tr(lang, col.heading_key(sheet), &[]), head)?;
    }
    for (c, v) in example.iter().enumerate() {
        ws.write_string_with_format(r + 1, c as u16, v, &wrap)?;
    }
    ws.set_row_height(r + 1, 120)?;
    Ok(())
}

/// The worked example: values from the site's own lists.
fn example_row(site: &Site) -> Vec<String> {
    let cfg = &site.config;
    let lang = cfg.lang();
    let first = |v: &[String]| v.first().cloned().unwrap_or_default();
    let narrow = cfg.scopes.last().map_or(String::new(), |s| s.name.clone());
    let default = cfg
        .scope_index(&cfg.default_scope)
        .and_then(|i| cfg.scopes.get(i))
        .map_or(String::new(), |s| s.label.clone());
    let grade = cfg
        .grades
        .get(1)
        .or(cfg.grades.first())
        .map_or(String::new(), |g| g.name.clone());
    Sheet::Risks
        .cols()
        .iter()
        .map(|c| match c {
            Col::Id => tr(lang, "ledger.example.id", &[]),
            Col::Title => tr(lang, "ledger.example.title", &[]),
            Col::Department => site
                .departments
                .first()
                .map_or(String::new(), |d| d.meta.title.clone()),
            Col::Posts => site
                .posts
                .first()
                .map_or(String::new(), |p| p.meta.title.clone()),
            Col::Type => first(&cfg.risk_types),
            Col::Grade => grade.clone(),
            Col::Tier => first(&cfg.tiers),
            Col::Basis => tr(lang, "ledger.example.basis", &[]),
            Col::Reviewed => "2025-05-20".into(),
            Col::Scope => default.clone(),
            Col::Body => tr(lang, "ledger.example.body", &[("scope", narrow.clone())]),
            _ => String::new(),
        })
        .collect()
}
