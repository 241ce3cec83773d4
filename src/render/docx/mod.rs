//! `booklet.docx`, the annual booklet as a Word document for the offices
//! that edit their papers in Word or WPS: the parts of `booklet.html` —
//! cover, contents, notice, summary tables, powers, flowcharts, the
//! register by department, posts, shared measures, the 审定签字备案 page
//! and the appendix 修订对照表 — laid out to GB/T
//! 9704-2012 as far as Word allows (`style`).
//!
//! Written with docx-rs, repacked for byte-identical output (`package`):
//! docx-rs numbers paragraphs (`w14:paraId`) and pictures from counters
//! that live as long as the process, so the repack numbers paragraphs
//! again in document order and pictures get ids of their own.

mod flows;
mod package;
mod parts;
mod register;
mod sign_off;
mod style;
mod text;

use crate::i18n::{tr, Lang};
use crate::model::Site;
use crate::render::view::Views;
use crate::render::Extra;
use crate::scope::Filtered;
use docx_rs::{
    AlignmentType, Docx, FieldCharType, InstrText, LineSpacing, Paragraph, Run, Tab, TabLeaderType,
    TabValueType, Table,
};

/// The Word booklet's path in a version folder.
pub const PATH: &str = "booklet.docx";

/// The document's body as it is put together: paragraphs and tables in
/// order, and the headings the contents list.
#[derive(Default)]
pub(crate) struct Body {
    items: Vec<Item>,
    toc: Vec<(usize, String)>,
}

enum Item {
    P(Box<Paragraph>),
    T(Box<Table>),
}

impl Body {
    /// A part's title (contents level 1), on a new page.
    pub fn part(&mut self, title: &str) {
        self.toc.push((1, title.to_string()));
        self.p(Paragraph::new()
            .style(style::H1)
            .page_break_before(true)
            .keep_next(true)
            .add_run(Run::new().add_text(title)));
    }

    /// A heading within a part (contents level 2).
    pub fn heading(&mut self, title: &str, new_page: bool) {
        self.toc.push((2, title.to_string()));
        self.p(Paragraph::new()
            .style(style::H2)
            .page_break_before(new_page)
            .keep_next(true)
            .add_run(Run::new().add_text(title)));
    }

    /// A heading the contents do not list.
    pub fn subheading(&mut self, title: &str) {
        self.p(Paragraph::new()
            .style(style::H2)
            .outline_lvl(9)
            .keep_next(true)
            .add_run(Run::new().add_text(title)));
    }

    pub fn p(&mut self, p: Paragraph) {
        self.items.push(Item::P(Box::new(p)));
    }

    pub fn table(&mut self, t: Table) {
        self.items.push(Item::T(Box::new(t)));
    }
}

/// The text of catalogue key `key` (no arguments).
pub(crate) fn t(lang: Lang, key: &str) -> String {
    tr(lang, key, &[])
}

/// `booklet.docx` of the audience whose filtered site is `site`.
pub fn render(filtered: &Filtered, v: &Views, extra: &Extra) -> Result<Vec<u8>, String> {
    let site: &Site = filtered;
    // Everything parallel first: the flowcharts.
    let pictures = flows::pictures(site, v);
    let mut body = Body::default();
    parts::notice(&mut body, site);
    parts::summary(&mut body, site, &extra.home_charts);
    parts::powers(&mut body, site, v);
    register::flows(&mut body, site, pictures);
    register::register(&mut body, site, v);
    register::posts(&mut body, site, v);
    register::measures_part(&mut body, site);
    sign_off::sign_off(&mut body, site);
    sign_off::appendix(&mut body, site, extra.log.as_ref());

    let lang = site.config.lang();
    let date = created(site);
    let mut docx = style::setup(Docx::new())
        .created_at(&date)
        .updated_at(&date);
    let cover = parts::cover(site, filtered.audience(), filtered.part())
        .into_iter()
        .fold(style::cover_section(), docx_rs::Section::add_paragraph);
    docx = docx.add_section(cover);
    for p in contents(lang, &body.toc) {
        docx = docx.add_paragraph(p);
    }
    for item in body.items {
        docx = match item {
            Item::P(p) => docx.add_paragraph(*p),
            Item::T(t) => docx.add_table(*t),
        };
    }
    let mut raw = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut raw).map_err(|e| e.to_string())?;
    package::repack(&raw.into_inner())
}

/// The contents page: a Word TOC field over the two heading levels, its
/// entries already written (without page numbers) so that a reader that
/// does not update fields still lists the parts; Word updates it, page
/// numbers and all, when the file is opened (`w:updateFields`).
fn contents(lang: Lang, toc: &[(usize, String)]) -> Vec<Paragraph> {
    let mut out = vec![Paragraph::new()
        .style(style::TITLE)
        .line_spacing(LineSpacing::new().after(style::BODY_LINE as u32))
        .add_run(Run::new().add_text(t(lang, "ui.booklet_toc")))];
    let tab = Tab::new()
        .val(TabValueType::Right)
        .leader(TabLeaderType::Dot)
        .pos(style::TEXT_WIDTH as usize);
    let begin = Run::new()
        .add_field_char(FieldCharType::Begin, true)
        .add_instr_text(InstrText::Unsupported(
            "TOC \\o \"1-2\" \\h \\z \\u".to_string(),
        ))
        .add_field_char(FieldCharType::Separate, false);
    let n = toc.len();
    for (i, (level, title)) in toc.iter().enumerate() {
        let style = if *level == 1 {
            style::TOC1
        } else {
            style::TOC2
        };
        let mut p = Paragraph::new().style(style).add_tab(tab.clone());
        if i == 0 {
            p = p.add_run(begin.clone());
        }
        p = p.add_run(Run::new().add_text(title.clone()).add_tab());
        if i + 1 == n {
            p = p.add_run(Run::new().add_field_char(FieldCharType::End, false));
        }
        out.push(p);
    }
    if toc.is_empty() {
        out.push(
            Paragraph::new()
                .add_run(begin)
                .add_run(Run::new().add_field_char(FieldCharType::End, false)),
        );
    }
    out
}

/// A centred line of `text`.
pub(crate) fn centred(text: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_text(text))
}

/// The document's dates: the notice's date, else a fixed one, so the same
/// content gives the same bytes.
fn created(site: &Site) -> String {
    let (y, m, d) = crate::render::export::created(site);
    format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
}
