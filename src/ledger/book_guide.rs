//! The workbook's first sheet, 填表说明: what the workbook is (an
//! internal document), how to fill it in, and one worked example row.

use super::cols::{Col, Sheet};
use crate::i18n::tr;
use crate::model::Site;
use rust_xlsxwriter::{Format, FormatAlign, Worksheet, XlsxError};

/// How many numbered instruction lines the catalogue has.
const LINES: usize = 9;

pub fn guide(ws: &mut Worksheet, site: &Site, head: &Format) -> Result<(), XlsxError> {
    let cfg = &site.config;
    let lang = cfg.lang();
    ws.set_name(tr(lang, "ledger.sheet.guide", &[]))?;
    let title = Format::new().set_bold().set_font_size(16);
    let warn = Format::new()
        .set_bold()
        .set_font_color("#b71c1c")
        .set_text_wrap();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    ws.set_column_width(0, 100)?;
    ws.write_string_with_format(
        0,
        0,
        tr(
            lang,
            "ledger.guide.title",
            &[("unit", cfg.unit.clone()), ("version", cfg.version.clone())],
        ),
        &title,
    )?;
    ws.write_string_with_format(1, 0, tr(lang, "ledger.guide.internal", &[]), &warn)?;
    let mut r = 3u32;
    for i in 1..=LINES {
        let line = tr(lang, &format!("ledger.guide.{i}"), &[]);
        ws.write_string_with_format(r, 0, format!("{i}. {line}"), &wrap)?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, tr(lang, "ledger.guide.example", &[]), &title)?;
    r += 1;
    let sheet = Sheet::Risks;
    let example = example_row(site);
    // the example goes below, one column per field, as on the 风险点 sheet
    for (c, col) in sheet.cols().iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(r, c, tr(lang, col.heading_key(sheet), &[]), head)?;
        if c > 0 {
            ws.set_column_width(c, col.width().min(30.0))?;
        }
    }
    for (c, v) in example.iter().enumerate() {
        ws.write_string_with_format(r + 1, c as u16, v, &wrap)?;
    }
    ws.set_row_height(r + 1, 90)?;
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
