//! Estimated text widths, for layout done without fonts at build time.
//!
//! The estimate holds for the CJK sans-serif faces gongshi's pages and
//! drawings ask for: full-width characters (CJK ideographs, kana, hangul,
//! full-width forms, CJK punctuation, and the symbols CJK fonts draw
//! full-width: curly quotes, the em dash, the ellipsis, Roman numerals,
//! circled numbers, geometric shapes) are 1 em, everything else 0.55 em.

/// Whether `c` is drawn full-width (1 em) in a CJK font.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2014
        | 0x2018..=0x201D
        | 0x2026
        | 0x2160..=0x2188
        | 0x2460..=0x24FF
        | 0x25A0..=0x25FF
        | 0x2E80..=0x303E
        | 0x3040..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF01..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Width of `c` in em.
pub fn char_em(c: char) -> f64 {
    if is_wide(c) {
        1.0
    } else {
        0.55
    }
}

/// Estimated width of `s` in em.
pub fn width_em(s: &str) -> f64 {
    s.chars().map(char_em).sum::<f64>()
}

/// Estimated width of `s` at font size `size` (in the unit of `size`).
pub fn width(s: &str, size: f64) -> f64 {
    width_em(s) * size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_is_one_em_latin_a_little_over_half() {
        assert_eq!(width("受理", 14.0), 28.0);
        assert!((width("ab", 10.0) - 11.0).abs() < 1e-9);
        assert_eq!(width("", 10.0), 0.0);
        assert_eq!(width_em("不动产登记中心"), 7.0);
    }

    #[test]
    fn cjk_punctuation_and_symbols_are_wide() {
        for c in [
            '，', '。', '（', '」', '“', '—', '…', 'Ⅲ', '①', '■', 'ア', '한', 'Ａ', '𠀀',
        ] {
            assert!(is_wide(c), "{c}");
        }
    }

    #[test]
    fn latin_and_other_narrow_characters_are_not() {
        for c in ['a', 'Z', '0', ' ', '-', 'é', '·', 'ß', 'Ω', '–'] {
            assert!(!is_wide(c), "{c}");
            assert_eq!(char_em(c), 0.55);
        }
    }
}
