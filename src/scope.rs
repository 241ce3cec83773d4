//! Stage 4, the scope filter (公示范围): cut the model down to what one
//! audience may see. This is the only place that decides visibility;
//! renderers receive the filtered model and trust it completely.
//!
//! Audiences are listed widest first (`public`, then `internal`). An item
//! is kept for audience `a` when its scope index is `<= a`; a body block
//! `<!-- scope: s -->` is kept when `s <= a`; post holders only when
//! `holders_scope <= a`. Every Markdown field (model/texts.rs) loses its
//! HTML comments. References to dropped items are dropped too, and
//! back-links are recomputed from what is left. Review state
//! (`Site::reviews`, each item's stamp) is kept only for audiences
//! narrower than the widest: the public never sees it, and sees a risk's
//! 最近审定 date only while its stamp is current.

use crate::config::Config;
use crate::model::body::{cut_scopes, replace_links, strip_comments};
use crate::model::{item_lists, Kind, Links, Markdown, Meta, Refs, Risk, Site};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// One audience's site, as [`filter`] cut it. Only this module can make
/// one, so whatever holds a `Filtered` (the render context, the exports)
/// holds nothing its audience may not see. It reads as a [`Site`]; it
/// cannot be changed except through the methods here, which keep the cut.
#[derive(Debug, Clone)]
pub struct Filtered {
    site: Site,
    audience: usize,
    /// The department this is the part of (`Filtered::department`).
    part: Option<String>,
}

impl std::ops::Deref for Filtered {
    type Target = Site;
    fn deref(&self) -> &Site {
        &self.site
    }
}

impl Filtered {
    /// The audience: an index into `config.scopes`.
    pub fn audience(&self) -> usize {
        self.audience
    }

    /// The department's id when this is one department's part
    /// ([`Filtered::department`]).
    pub fn part(&self) -> Option<&str> {
        self.part.as_deref()
    }

    /// Puts the risk at `at` of the whole site `whole` (edited since this
    /// was cut from it) in place of its old self, filtered as [`filter`]
    /// would: the fast path of `serve`. Returns its position here; `None`
    /// when this audience does not see it or did not see it before (the
    /// caller then cuts the whole site again).
    pub fn replace_risk(&mut self, whole: &Site, at: usize) -> Option<usize> {
        let seen = filter_risk(whole, self.audience, whole.risks.get(at)?)?;
        let j = self
            .site
            .risks
            .binary_search_by(|r| r.meta.id.cmp(&seen.meta.id))
            .ok()?;
        self.site.risks[j] = seen;
        if let (Some(mine), Some(all)) = (&mut self.site.reviews, &whole.reviews) {
            let id = &self.site.risks[j].meta.id;
            if let Some(state) = all.state(Kind::Risk, id) {
                mine.set(Kind::Risk, id, state.clone());
            }
        }
        Some(j)
    }

    /// A copy of the site to change freely: no longer a `Filtered`, so
    /// nothing that renders an audience takes it.
    pub fn clone_site(&self) -> Site {
        self.site.clone()
    }

    /// One department's part of this audience's site, for its own booklet
    /// (`build --department`): the department, its posts, powers and
    /// risks, the flows of its powers, and the shared measures its risks
    /// cite; the notice stays, everything else goes, references to it
    /// with it. `None` when this audience does not see department `id`.
    pub fn department(&self, id: &str) -> Option<Filtered> {
        let site = &self.site;
        site.departments.iter().find(|d| d.meta.id == id)?;
        let mine = |d: &Option<String>| d.as_deref() == Some(id);
        let mut ids: BTreeMap<Kind, BTreeSet<String>> = BTreeMap::new();
        let mut add = |kind: Kind, id: &str| {
            ids.entry(kind).or_default().insert(id.to_string());
        };
        add(Kind::Department, id);
        let posts = site.posts.iter().filter(|x| mine(&x.department));
        let powers: Vec<&str> = (site.powers.iter())
            .filter(|x| mine(&x.department))
            .map(|x| x.meta.id.as_str())
            .collect();
        let risks: Vec<&Risk> = site.risks.iter().filter(|x| mine(&x.department)).collect();
        posts.for_each(|x| add(Kind::Post, &x.meta.id));
        powers.iter().for_each(|p| add(Kind::Power, p));
        for f in &site.flows {
            if f.power.as_deref().is_some_and(|p| powers.contains(&p)) {
                add(Kind::Flow, &f.meta.id);
            }
        }
        for r in &risks {
            add(Kind::Risk, &r.meta.id);
            r.refs(&mut |field, to| {
                if field.kind() == Kind::Measure {
                    add(Kind::Measure, to);
                }
            });
        }
        let has = |kind: Kind, id: &str| ids.get(&kind).is_some_and(|s| s.contains(id));
        let mut out = Site {
            notice: site.notice.clone(),
            sections: site.sections.clone(),
            reviews: site.reviews.clone(),
            ..Site::empty(site.config.clone())
        };
        macro_rules! keep {
            ($($kind:ident $list:ident),*) => {$(
                out.$list = (site.$list.iter())
                    .filter(|x| has(Kind::$kind, &x.meta.id))
                    .cloned()
                    .collect();
            )*};
        }
        item_lists!(keep);
        out.retain_refs(|kind, id| has(kind, id));
        // A link to an item outside the part: its title as plain text (the
        // audience sees the item; only this booklet does not hold it).
        let titles: BTreeMap<&str, &str> = site
            .metas()
            .into_iter()
            .map(|(_, m)| (m.id.as_str(), m.title.as_str()))
            .collect();
        let inside = |id: &str| ids.values().any(|s| s.contains(id));
        for t in out.markdown_mut() {
            let kept = replace_links(t, |l, o| match titles.get(l.id.as_str()) {
                Some(title) if !inside(&l.id) => o.push_str(title),
                _ => o.push_str(&t[l.start..l.end]),
            });
            if let Cow::Owned(kept) = kept {
                *t = kept;
            }
        }
        if let Some(r) = &mut out.reviews {
            r.retain(|kind, id| has(kind, id));
        }
        out.links = Links::compute(&out);
        Some(Filtered {
            site: out,
            audience: self.audience,
            part: Some(id.to_string()),
        })
    }

    /// Drops everything but the config and the pages' titles: what the
    /// versions list needs (see `Site::keep_only_pages`).
    pub fn keep_only_pages(&mut self) {
        self.site.keep_only_pages();
    }
}

/// The site as audience `audience` (an index into `config.scopes`) sees it.
pub fn filter(site: &Site, audience: usize) -> Filtered {
    Filtered {
        site: cut(site, audience),
        audience,
        part: None,
    }
}

/// [`filter`]'s work: the items, bodies and references `audience` sees.
fn cut(site: &Site, audience: usize) -> Site {
    let config = &site.config;
    let visible = |m: &Meta| m.scope <= audience;
    let mut out = Site {
        notice: site.notice.clone(),
        sections: site
            .sections
            .iter()
            .filter(|(_, s)| s.scope <= audience)
            .map(|(k, s)| (*k, s.clone()))
            .collect(),
        // Diagnostics only; nothing rendered reads sources.
        ..Site::empty(config.clone())
    };
    macro_rules! cut {
        ($($kind:ident $list:ident),*) => {$(
            out.$list = site
                .$list
                .par_iter()
                .filter(|x| visible(&x.meta))
                .cloned()
                .collect();
        )*};
    }
    item_lists!(cut);
    if out.notice.scope > audience {
        out.notice = crate::model::Notice::default();
    }
    let keep = Keep::new(site, audience);
    // every Markdown field, whatever its kind (model/texts.rs lists them)
    out.markdown_mut()
        .into_par_iter()
        .for_each(|t| keep.markdown(t));
    if config.holders_scope_index() > audience {
        for p in &mut out.posts {
            p.holders.clear();
        }
    }
    // every reference field, whatever its kind (model/refs.rs lists them)
    out.retain_refs(|kind, id| keep.ids.has(kind, id));
    out.links = Links::compute(&out);
    if audience > 0 {
        out.reviews = site.reviews.clone().map(|mut r| {
            r.retain(|kind, id| keep.ids.has(kind, id));
            r
        });
    } else {
        macro_rules! unstamp {
            ($($kind:ident $list:ident),*) => {$(
                for x in &mut out.$list {
                    x.meta.review = None;
                }
            )*};
        }
        item_lists!(unstamp);
        for r in &mut out.risks {
            hide_stale_date(site, r);
        }
    }
    out
}

/// For the widest audience: a risk's 最近审定 date only while its stamp is
/// current (the state itself is never shown to it).
fn hide_stale_date(site: &Site, r: &mut Risk) {
    let stale = site
        .reviews
        .as_ref()
        .is_some_and(|v| v.is_unreviewed(Kind::Risk, &r.meta.id));
    if stale {
        r.reviewed = None;
    }
}

/// One risk as audience `audience` sees it (`None` when it does not),
/// exactly as [`filter`] would leave it: `serve` re-filters an edited risk
/// this way instead of the whole site.
pub fn filter_risk(site: &Site, audience: usize, r: &Risk) -> Option<Risk> {
    if r.meta.scope > audience {
        return None;
    }
    let mut r = r.clone();
    let keep = Keep::new(site, audience);
    for t in r.markdown_mut() {
        keep.markdown(t);
    }
    r.retain_refs(&mut |field, id| keep.ids.has(field.kind(), id));
    if audience == 0 {
        r.meta.review = None;
        hide_stale_date(site, &mut r);
    }
    Some(r)
}

/// What one audience keeps of bodies and references.
struct Keep<'a> {
    config: &'a Config,
    audience: usize,
    ids: Ids,
}

impl<'a> Keep<'a> {
    fn new(site: &'a Site, audience: usize) -> Keep<'a> {
        Keep {
            config: &site.config,
            audience,
            ids: Ids::visible(site, audience),
        }
    }

    /// One Markdown field: cuts the scope blocks the audience does not
    /// see, strips HTML comments (which no output may carry), then drops
    /// the links to items it does not see.
    fn markdown(&self, b: &mut String) {
        let keep_block = |name: &str| {
            self.config
                .scope_of_marker(name)
                .is_some_and(|s| s <= self.audience)
        };
        if b.contains('<') || b.contains('＜') {
            *b = cut_scopes(b, keep_block);
            if let Some(kept) = strip_comments(b) {
                *b = kept;
            }
        }
        if let Some(kept) = drop_links(b, &self.ids) {
            *b = kept;
        }
    }
}

/// The ids that survive the filter, per kind.
struct Ids(BTreeMap<Kind, BTreeSet<String>>);

impl Ids {
    /// The ids of the items of `site` that audience `audience` sees.
    fn visible(site: &Site, audience: usize) -> Ids {
        let mut ids: BTreeMap<Kind, BTreeSet<String>> = BTreeMap::new();
        for (kind, m) in site.metas() {
            if m.scope <= audience {
                ids.entry(kind).or_default().insert(m.id.clone());
            }
        }
        Ids(ids)
    }

    fn has(&self, kind: Kind, id: &str) -> bool {
        self.0.get(&kind).is_some_and(|s| s.contains(id))
    }

    fn any(&self, id: &str) -> bool {
        self.0.values().any(|s| s.contains(id))
    }
}

/// Removes `[[id]]` links whose target the audience does not see: not even
/// the id stays, since the title is what the link would have shown. `None`
/// when every link stays.
fn drop_links(body: &str, ids: &Ids) -> Option<String> {
    match replace_links(body, |l, out| {
        if ids.any(&l.id) {
            out.push_str(&body[l.start..l.end]);
        }
    }) {
        Cow::Owned(kept) if kept != body => Some(kept),
        _ => None,
    }
}
