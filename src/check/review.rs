//! Unreviewed items (W130): never stamped, stamped with a bare date that
//! cannot be verified, or changed since their stamp, each at its file's
//! `reviewed` line (its title's when it has none). The states were found
//! by `review::assess` and put on the model by the pipeline.

use crate::diag::{Code, Diagnostic};
use crate::model::{Kind, ReviewState, Site};

/// One warning per unreviewed item, in kind then id order (made in
/// parallel: a site never reviewed has one per item).
pub fn check(site: &Site, out: &mut Vec<Diagnostic>) {
    use rayon::prelude::*;
    let Some(reviews) = &site.reviews else { return };
    let unreviewed: Vec<_> = reviews.unreviewed().collect();
    let found: Vec<Diagnostic> = unreviewed
        .par_iter()
        .filter_map(|(kind, id, state)| one(site, *kind, id, state))
        .collect();
    out.extend(found);
}

/// The warning for item `id` of `kind` in `state`; `None` when current.
pub fn one(site: &Site, kind: Kind, id: &str, state: &ReviewState) -> Option<Diagnostic> {
    let meta = site.meta(kind, id)?;
    let src = site.sources.get(meta.src)?;
    let stamp = meta.review.as_ref();
    let at = match stamp {
        Some(_) => src.field_key("reviewed"),
        None => src.field_key("title"),
    };
    let date = stamp.map(|s| s.date.clone()).unwrap_or_default();
    let d = Diagnostic::new(Code::Unreviewed, Some(at))
        .arg("id", id)
        .arg("title", meta.title.clone())
        .arg("date", date);
    Some(match state {
        ReviewState::Current => return None,
        ReviewState::Never => d.arg("problem", "unreviewed.state.never"),
        ReviewState::Unverified => d
            .arg("problem", "unreviewed.state.unverified")
            .hint_variant("unverified"),
        ReviewState::Changed { fields } if fields.is_empty() => d
            .arg("problem", "unreviewed.state.changed_unknown")
            .hint_variant("changed"),
        ReviewState::Changed { fields } => d
            .arg("fields", fields.join(", "))
            .arg("problem", "unreviewed.state.changed")
            .hint_variant("changed"),
    })
}
