//! The pipeline up to the checked model: config → load → model → check.
//! Commands call this, then scope-filter and render what they need.

use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::model::Site;
use std::path::Path;

/// A loaded and checked site, with every diagnostic found on the way.
pub struct Checked {
    pub site: Site,
    pub diags: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diags.len() - self.errors()
    }
}

/// Runs config, load, model and check over the site at `root`.
/// `Err` holds the config's diagnostics: nothing else can run without it.
pub fn check(root: &Path) -> Result<Checked, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    Ok(check_with(root, config))
}

/// Like [`check`], with a config already loaded.
pub fn check_with(root: &Path, config: Config) -> Checked {
    let loaded = crate::load::load(root);
    crate::timing::mark("load");
    let (mut site, mut diags) = crate::model::build(config, loaded);
    crate::timing::mark("model");
    site.reviews = Some(crate::review::assess(&site));
    crate::timing::mark("review fingerprints");
    diags.extend(crate::check::run(&site));
    crate::timing::mark("check");
    diag::sort(&mut diags);
    Checked { site, diags }
}
