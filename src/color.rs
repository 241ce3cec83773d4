//! Colour arithmetic for grade badges (WCAG 2.1 contrast): a leaf, for the
//! renderers' badge inks and `check`'s contrast warning (below both).

/// Relative luminance of `#rrggbb` (WCAG 2.1); `None` if not a colour.
pub fn luminance(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let channel = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(h.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// Contrast ratio between two luminances.
pub fn ratio(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    (hi + 0.05) / (lo + 0.05)
}

/// The text colour for a badge of `background` (white or near-black,
/// whichever contrasts more) and the contrast it reaches.
pub fn badge_text(background: &str) -> (f64, &'static str) {
    let Some(l) = luminance(background) else {
        return (1.0, "#ffffff");
    };
    let white = ratio(l, 1.0);
    let dark = ratio(l, luminance("#1a1a1a").unwrap_or(0.0));
    if white >= dark {
        (white, "#ffffff")
    } else {
        (dark, "#1a1a1a")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_grade_colours_reach_aa_on_badges() {
        for g in crate::config::Config::default().grades {
            let (r, _) = badge_text(&g.color);
            assert!(r >= 4.5, "{} {} gives {r:.2}", g.name, g.color);
        }
    }

    /// The example site (the repository's own `gongshi.yaml`, also what
    /// `gongshi init` writes) must keep its badges readable too.
    #[test]
    fn example_site_grade_colours_reach_aa_on_badges() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = crate::config::Config::load(root)
            .unwrap_or_else(|d| panic!("example gongshi.yaml does not load: {d:?}"));
        assert!(!config.grades.is_empty());
        for g in &config.grades {
            let (r, _) = badge_text(&g.color);
            assert!(
                r >= 4.5,
                "gongshi.yaml: {} {} gives {r:.2}",
                g.name,
                g.color
            );
        }
    }

    #[test]
    fn known_ratios() {
        assert!((ratio(luminance("#000000").unwrap(), 1.0) - 21.0).abs() < 0.01);
        assert_eq!(badge_text("#ffeb3b").1, "#1a1a1a");
        assert_eq!(badge_text("#c62828").1, "#ffffff");
        assert!(badge_text("#777777").0 < 4.6);
    }
}
