//! The booklet's page and type, to GB/T 9704-2012 as far as Word allows:
//! A4, margins 37 mm top, 28 mm left (binding), 35 mm bottom, 26 mm right
//! (a 156 × 225 mm text block); body 仿宋 三号 (16 pt) on a 28.95 pt line
//! (22 lines a page), titles 小标宋 二号 (22 pt), headings 黑体 三号, page
//! numbers 宋体 四号 (14 pt) "— 1 —", odd pages right and even pages left,
//! one character in from the edge of the text block.

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNumType, PageSize,
    Paragraph, Run, RunFonts, Section, SectionType, SpecialIndentType, Style, StyleType,
};

/// Twips (1/20 pt) per millimetre.
const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

pub fn mm(v: f64) -> i32 {
    (v * TWIPS_PER_MM).round() as i32
}

/// A4 in twips.
pub const PAGE: (u32, u32) = (11906, 16838);
/// The text block's width in twips (156 mm).
pub const TEXT_WIDTH: i32 = 8844;
/// The text block in millimetres.
pub const BLOCK_MM: (f64, f64) = (156.0, 225.0);

/// A face the styles name, and what the font table says of it.
pub struct Face {
    pub name: &'static str,
    /// The alternate name Word and WPS try when `name` is missing.
    pub alt: &'static str,
    /// `86`: GB2312 (Simplified Chinese); `00`: ANSI.
    pub charset: &'static str,
    pub family: &'static str,
}

/// 仿宋: the body.
pub const FANGSONG: &str = "仿宋";
/// 黑体: headings and table heads.
pub const HEITI: &str = "黑体";
/// 方正小标宋简体: titles.
pub const XIAOBIAOSONG: &str = "方正小标宋简体";
/// 宋体: page numbers.
pub const SONGTI: &str = "宋体";
/// Latin text and digits.
pub const LATIN: &str = "Times New Roman";

/// Every face of the font table: the four of the styles with their
/// fallbacks (仿宋 ← 仿宋_GB2312, FangSong, Noto Serif CJK SC; 黑体 ←
/// SimHei, Noto Sans CJK SC; 小标宋 ← 华文中宋, 宋体).
pub const FACES: [Face; 11] = [
    face(FANGSONG, "FangSong", "86", "modern"),
    face("仿宋_GB2312", FANGSONG, "86", "modern"),
    face(HEITI, "SimHei", "86", "modern"),
    face(XIAOBIAOSONG, "华文中宋", "86", "script"),
    face("华文中宋", "STZhongsong", "86", "auto"),
    face(SONGTI, "SimSun", "86", "auto"),
    face("FangSong", "Noto Serif CJK SC", "86", "modern"),
    face("SimHei", "Noto Sans CJK SC", "86", "modern"),
    face("Noto Serif CJK SC", "Source Han Serif SC", "86", "roman"),
    face("Noto Sans CJK SC", "Source Han Sans SC", "86", "swiss"),
    face(LATIN, "Times", "00", "roman"),
];

const fn face(
    name: &'static str,
    alt: &'static str,
    charset: &'static str,
    family: &'static str,
) -> Face {
    Face {
        name,
        alt,
        charset,
        family,
    }
}

/// Run fonts: `east` for Chinese, Times New Roman for Latin and digits.
pub fn fonts(east: &str) -> RunFonts {
    RunFonts::new()
        .ascii(LATIN)
        .hi_ansi(LATIN)
        .cs(LATIN)
        .east_asia(east)
        .hint("eastAsia")
}

/// Sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt.
pub const ERHAO: usize = 44;
pub const SANHAO: usize = 32;
pub const SIHAO: usize = 28;
pub const WUHAO: usize = 21;

/// An exact line pitch in twips.
fn exact(twips: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(twips)
        .before(0)
        .after(0)
}

/// 28.95 pt: 22 lines in the 225 mm block.
pub const BODY_LINE: i32 = 579;

/// Paragraph style ids.
pub const NORMAL: &str = "Normal";
pub const BODY: &str = "BodyText";
pub const TITLE: &str = "Title";
pub const H1: &str = "Heading1";
pub const H2: &str = "Heading2";
pub const TOC1: &str = "TOC1";
pub const TOC2: &str = "TOC2";
pub const CELL: &str = "TableText";
pub const HEAD_CELL: &str = "TableHead";
pub const CAPTION: &str = "Caption";
pub const FOOTER: &str = "Footer";

/// The document's styles, page, margins and footers.
pub fn setup(docx: Docx) -> Docx {
    let para = |id: &str, name: &str| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on(NORMAL)
            .next(BODY)
            .q_format(true)
    };
    let styles = [
        Style::new(NORMAL, StyleType::Paragraph)
            .name("Normal")
            .q_format(true)
            .fonts(fonts(FANGSONG))
            .size(SANHAO)
            .line_spacing(exact(BODY_LINE))
            .align(AlignmentType::Both),
        para(BODY, "Body Text").indent(None, Some(SpecialIndentType::FirstLine(640)), None, None),
        para(TITLE, "Title")
            .fonts(fonts(XIAOBIAOSONG))
            .size(ERHAO)
            .align(AlignmentType::Center)
            .line_spacing(exact(700)),
        // Part titles: in the contents at level 1.
        para(H1, "heading 1")
            .fonts(fonts(XIAOBIAOSONG))
            .size(ERHAO)
            .align(AlignmentType::Center)
            .line_spacing(exact(700).after(BODY_LINE as u32))
            .outline_lvl(0),
        para(H2, "heading 2")
            .fonts(fonts(HEITI))
            .size(SANHAO)
            .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
            .line_spacing(exact(BODY_LINE))
            .outline_lvl(1),
        para(TOC1, "toc 1").line_spacing(exact(BODY_LINE)),
        para(TOC2, "toc 2")
            .indent(Some(640), None, None, None)
            .line_spacing(exact(BODY_LINE)),
        para(CELL, "Table Text")
            .size(WUHAO)
            .align(AlignmentType::Left)
            .line_spacing(exact(300)),
        para(HEAD_CELL, "Table Heading")
            .fonts(fonts(HEITI))
            .size(WUHAO)
            .align(AlignmentType::Center)
            .line_spacing(exact(300)),
        para(CAPTION, "caption")
            .fonts(fonts(HEITI))
            .size(SIHAO)
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().before(240).after(120)),
        para(FOOTER, "footer")
            .fonts(fonts(SONGTI))
            .size(SIHAO)
            .line_spacing(LineSpacing::new()),
    ];
    let mut docx = docx
        .default_fonts(fonts(FANGSONG))
        .default_size(SANHAO)
        .page_size(PAGE.0, PAGE.1)
        .page_margin(margins())
        // After the cover (a section without page numbers) the booklet
        // starts on a right-hand page numbered — 1 —, as it is bound.
        .page_num_type(PageNumType::new().start(1))
        .footer(page_number(AlignmentType::Right))
        .even_footer(page_number(AlignmentType::Left));
    docx.document.section_property.section_type = Some(SectionType::OddPage);
    for s in styles {
        docx = docx.add_style(s);
    }
    docx
}

/// The page margins; the page number's line 7 mm below the text block.
pub fn margins() -> PageMargin {
    PageMargin::new()
        .top(mm(37.0))
        .left(mm(28.0))
        .bottom(mm(35.0))
        .right(mm(26.0))
        .footer(mm(22.0))
        .header(mm(15.0))
}

/// The cover's section: the same page, no page number.
pub fn cover_section() -> Section {
    Section::new()
        .page_size(PageSize::new().size(PAGE.0, PAGE.1))
        .page_margin(margins())
}

/// "— N —" one character (14 pt) in from the side of the text block.
fn page_number(side: AlignmentType) -> Footer {
    let one_char = 280;
    let p = Paragraph::new().style(FOOTER).align(side);
    let p = match side {
        AlignmentType::Right => p.indent(None, None, Some(one_char), None),
        _ => p.indent(Some(one_char), None, None, None),
    };
    Footer::new().add_paragraph(
        p.add_run(Run::new().add_text("— "))
            .add_page_num(docx_rs::PageNum::new())
            .add_run(Run::new().add_text(" —")),
    )
}
