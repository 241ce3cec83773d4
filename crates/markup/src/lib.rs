//! The one place for what every renderer of gongshi needs when text becomes
//! markup: escaping for HTML/XML and for CSS strings ([`escape`]), the
//! estimated width of a line of CJK or Latin text ([`width`]), and colours:
//! `#rgb`/`#rrggbb` parsing, WCAG 2.1 luminance and contrast, and the ink a
//! badge of a given colour is written in ([`color`]).
//!
//! A leaf: no dependencies, nothing of the application. The pages, the
//! charts, the flowcharts, the workbook and `check`'s contrast warning all
//! call these, so they agree with each other byte for byte.

#![forbid(unsafe_code)]

pub mod color;
pub mod escape;
pub mod width;

pub use color::{
    badge_text, contrast, ink_on, luminance, parse_color, ratio, Rgb, DARK_INK, WHITE,
};
pub use escape::{css_string, escape_html, escaped, write_escaped_html};
pub use width::{char_em, is_wide, width, width_em};
