//! Colours: `#rgb`/`#rrggbb` parsing and WCAG 2.1 contrast. The ink of a
//! grade badge is decided here, once, for the pages, the charts, the
//! flowcharts, the workbook and `check`'s contrast warning.

/// A colour of 8-bit sRGB channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// White, the light ink.
pub const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
/// The dark ink of badges, `#1a1a1a`.
pub const DARK_INK: Rgb = Rgb(0x1a, 0x1a, 0x1a);

impl Rgb {
    /// The colour as `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Parses `#rgb` or `#rrggbb` (hex digits in either case, surrounding
/// spaces ignored); `None` for anything else.
pub fn parse_color(s: &str) -> Option<Rgb> {
    let hex = s.trim().strip_prefix('#')?;
    let mut digits = [0u8; 6];
    let mut k = 0;
    for c in hex.chars() {
        let d = c.to_digit(16)?;
        *digits.get_mut(k)? = d as u8;
        k += 1;
    }
    match (k, digits) {
        (3, [r, g, b, ..]) => Some(Rgb(r * 17, g * 17, b * 17)),
        (6, [r1, r2, g1, g2, b1, b2]) => Some(Rgb(r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
        _ => None,
    }
}

/// Relative luminance (WCAG 2.1), 0 for black to 1 for white.
pub fn luminance(c: Rgb) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// Contrast ratio between two luminances (1 to 21).
pub fn ratio(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    (hi + 0.05) / (lo + 0.05)
}

/// Contrast ratio between two colours (1 to 21).
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    ratio(luminance(a), luminance(b))
}

/// The ink for text on `background`: white or [`DARK_INK`], whichever
/// contrasts more (white on a tie), with the contrast it reaches.
pub fn ink_on(background: Rgb) -> (f64, Rgb) {
    let l = luminance(background);
    let white = ratio(l, 1.0);
    let dark = ratio(l, luminance(DARK_INK));
    if white >= dark {
        (white, WHITE)
    } else {
        (dark, DARK_INK)
    }
}

/// The text colour for a badge of `background` (`#ffffff` or `#1a1a1a`,
/// see [`ink_on`]) and the contrast it reaches; white at ratio 1 when
/// `background` is not a colour.
pub fn badge_text(background: &str) -> (f64, &'static str) {
    match parse_color(background).map(ink_on) {
        Some((r, ink)) if ink == DARK_INK => (r, "#1a1a1a"),
        Some((r, _)) => (r, "#ffffff"),
        None => (1.0, "#ffffff"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_short_and_long_hex_and_nothing_else() {
        assert_eq!(parse_color("#c62828"), Some(Rgb(0xc6, 0x28, 0x28)));
        assert_eq!(parse_color("#C62828"), Some(Rgb(0xc6, 0x28, 0x28)));
        assert_eq!(parse_color(" #fff "), Some(WHITE));
        assert_eq!(parse_color("#a1b"), Some(Rgb(0xaa, 0x11, 0xbb)));
        for bad in [
            "",
            "#",
            "c62828",
            "#c6282",
            "#c628288",
            "##fff",
            "#ggg",
            "#+1+1+1",
            "红色",
            "#ｆｆｆ",
        ] {
            assert_eq!(parse_color(bad), None, "{bad:?}");
        }
        assert_eq!(Rgb(0x1a, 0x1a, 0x1a).hex(), "#1a1a1a");
    }

    #[test]
    fn known_luminances_and_ratios() {
        assert_eq!(luminance(Rgb(0, 0, 0)), 0.0);
        assert!((luminance(WHITE) - 1.0).abs() < 1e-12);
        assert!((contrast(Rgb(0, 0, 0), WHITE) - 21.0).abs() < 0.01);
        assert_eq!(contrast(WHITE, WHITE), 1.0);
        assert_eq!(ratio(0.2, 0.5), ratio(0.5, 0.2));
        // #777 on white is just under AA.
        assert!((4.47..4.49).contains(&contrast(Rgb(0x77, 0x77, 0x77), WHITE)));
    }

    #[test]
    fn badges_take_the_ink_that_reads_better() {
        assert_eq!(badge_text("#ffeb3b").1, "#1a1a1a");
        assert_eq!(badge_text("#fff").1, "#1a1a1a");
        assert_eq!(badge_text("#c62828").1, "#ffffff");
        assert!(badge_text("#c62828").0 >= 4.5);
        assert!(badge_text("#777777").0 < 4.6);
        assert_eq!(badge_text("not a colour"), (1.0, "#ffffff"));
        assert_eq!(ink_on(Rgb(0xff, 0xeb, 0x3b)).1, DARK_INK);
        let (r, ink) = ink_on(Rgb(0x15, 0x65, 0xc0));
        assert_eq!(ink, WHITE);
        assert!((r - contrast(Rgb(0x15, 0x65, 0xc0), WHITE)).abs() < 1e-9);
    }
}
