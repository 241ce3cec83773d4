//! The Word booklet's closing parts, as the HTML booklet has them
//! (`render::booklet::sign_off`): the 审定签字备案 page — reviews by reviewer
//! and date (narrower audiences only), the sentence, a ruled line per
//! signatory — and the appendix 修订对照表.

use super::parts::{cell, centred_cell, date, table};
use super::{style, t, Body};
use crate::changes::ChangeLog;
use crate::i18n::tr;
use crate::model::Site;
use crate::render::booklet::sign_off::{appendix as appendix_data, sign_off as sign_off_data};
use docx_rs::{LineSpacing, Paragraph, Run, Tab, TabLeaderType, TabValueType};

/// The sign-off page.
pub fn sign_off(body: &mut Body, site: &Site) {
    let lang = site.config.lang();
    let s = sign_off_data(site);
    body.part(&s.title);
    if !s.reviews.is_empty() || s.unreviewed > 0 {
        body.subheading(&t(lang, "ui.sign_off_reviews"));
        let head = ["ui.sign_off_by", "ui.sign_off_date", "ui.sign_off_what"].map(|k| t(lang, k));
        let rows = s
            .reviews
            .iter()
            .map(|r| {
                let cells = vec![
                    cell(&r.by),
                    centred_cell(date(lang, &r.date)),
                    cell(&r.items),
                ];
                (cells, 1 + r.items.chars().count() / 20)
            })
            .collect();
        body.table(table(&[44.0, 40.0, 72.0], &head, rows));
        if s.unreviewed > 0 {
            body.p(Paragraph::new()
                .style(style::BODY)
                .add_run(Run::new().add_text(tr(
                    lang,
                    "ui.sign_off_unreviewed",
                    &[("n", s.unreviewed.to_string())],
                ))));
        }
    }
    body.p(Paragraph::new()
        .style(style::BODY)
        .add_run(Run::new().add_text(s.note)));
    // The label, a line ruled by an underscore tab leader, then the date.
    let line = Tab::new()
        .val(TabValueType::Left)
        .leader(TabLeaderType::Underscore)
        .pos(style::mm(110.0) as usize);
    for who in &s.signatures {
        body.p(Paragraph::new()
            .style(style::BODY)
            .add_tab(line.clone())
            .line_spacing(LineSpacing::new().before(style::BODY_LINE as u32))
            .keep_next(false)
            .add_run(Run::new().add_text(who.clone()).add_tab())
            .add_run(Run::new().add_text(t(lang, "ui.sign_off_when"))));
    }
}

/// Widths of the 修订对照表's columns (mm, 156 in all).
const APPENDIX: [f64; 5] = [10.0, 18.0, 42.0, 43.0, 43.0];

/// The appendix 修订对照表, when there is a previous version.
pub fn appendix(body: &mut Body, site: &Site, log: Option<&ChangeLog>) {
    let Some(a) = appendix_data(site, log) else {
        return;
    };
    let lang = site.config.lang();
    body.part(&a.title);
    body.p(Paragraph::new()
        .style(style::BODY)
        .add_run(Run::new().add_text(a.note)));
    if a.rows.is_empty() {
        return;
    }
    let head = [
        "ui.docx_col_no",
        "ui.col_id",
        "ui.appendix_item",
        "ui.appendix_before",
        "ui.appendix_after",
    ]
    .map(|k| t(lang, k));
    let rows = a
        .rows
        .into_iter()
        .map(|r| {
            let longest = [&r.item, &r.before, &r.after]
                .iter()
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0);
            let cells = vec![
                centred_cell(r.n.to_string()),
                cell(r.id),
                cell(r.item),
                cell(r.before),
                cell(r.after),
            ];
            (cells, 1 + longest / 12)
        })
        .collect();
    body.table(table(&APPENDIX, &head, rows));
}
