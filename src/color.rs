//! Grade badges' ink and contrast, for the renderers' badge inks and
//! `check`'s contrast warning (below both): `markup`'s `badge_text`, the one
//! implementation (`markup::color`), named here for the application. The
//! tests hold the project's own colours to AA.

pub use markup::badge_text;

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
}
