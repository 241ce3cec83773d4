//! Stage 4, the scope filter (公示范围): cut the model down to what one
//! audience may see. This is the only place that decides visibility;
//! renderers receive the filtered model and trust it completely.
//!
//! Audiences are listed widest first (`public`, then `internal`). An item
//! is kept for audience `a` when its scope index is `<= a`; a body block
//! `<!-- scope: s -->` is kept when `s <= a`; post holders only when
//! `holders_scope <= a`. Every Markdown field (model/texts.rs) loses its
//! HTML comments. References to dropped items are dropped too, and
//! back-links are recomputed from what is left.

use crate::config::Config;
use crate::model::body::{cut_scopes, strip_comments, wiki_links};
use crate::model::{Links, Markdown, MeasureUse, Meta, Risk, Site};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// One audience's site, as [`filter`] cut it. Only this module can make
/// one, so whatever holds a `Filtered` (the render context, the exports)
/// holds nothing its audience may not see. It reads as a [`Site`]; it
/// cannot be changed except through the methods here, which keep the cut.
#[derive(Debug, Clone)]
pub struct Filtered {
    site: Site,
    audience: usize,
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
        Some(j)
    }

    /// A copy of the site to change freely: no longer a `Filtered`, so
    /// nothing that renders an audience takes it.
    pub fn clone_site(&self) -> Site {
        self.site.clone()
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
    }
}

/// [`filter`]'s work: the items, bodies and references `audience` sees.
fn cut(site: &Site, audience: usize) -> Site {
    let config = &site.config;
    let visible = |m: &Meta| m.scope <= audience;
    let mut out = Site {
        config: config.clone(),
        notice: site.notice.clone(),
        departments: site
            .departments
            .iter()
            .filter(|x| visible(&x.meta))
            .cloned()
            .collect(),
        posts: site
            .posts
            .iter()
            .filter(|x| visible(&x.meta))
            .cloned()
            .collect(),
        powers: site
            .powers
            .iter()
            .filter(|x| visible(&x.meta))
            .cloned()
            .collect(),
        flows: site
            .flows
            .iter()
            .filter(|x| visible(&x.meta))
            .cloned()
            .collect(),
        risks: site
            .risks
            .par_iter()
            .filter(|x| visible(&x.meta))
            .cloned()
            .collect(),
        measures: site
            .measures
            .iter()
            .filter(|x| visible(&x.meta))
            .cloned()
            .collect(),
        pages: site
            .pages
            .iter()
            .filter(|x| visible(&x.meta))
            .cloned()
            .collect(),
        sections: site
            .sections
            .iter()
            .filter(|(_, s)| s.scope <= audience)
            .map(|(k, s)| (*k, s.clone()))
            .collect(),
        links: Links::default(),
        // Diagnostics only; nothing rendered reads sources.
        sources: Vec::new(),
    };
    if out.notice.scope > audience {
        out.notice = crate::model::Notice::default();
    }
    let keep = Keep::new(site, audience);
    let ids = &keep.ids;
    // every Markdown field, whatever its kind (model/texts.rs lists them)
    out.markdown_mut()
        .into_par_iter()
        .for_each(|t| keep.markdown(t));
    let show_holders = config.holders_scope_index() <= audience;
    for d in &mut out.departments {
        keep_opt(&mut d.head, &ids.posts);
        keep_opt(&mut d.parent, &ids.departments);
    }
    for p in &mut out.posts {
        keep_opt(&mut p.department, &ids.departments);
        keep_opt(&mut p.reports_to, &ids.posts);
        p.incompatible.retain(|x| ids.posts.contains(x));
        if !show_holders {
            p.holders.clear();
        }
    }
    for p in &mut out.powers {
        keep_opt(&mut p.department, &ids.departments);
        p.posts.retain(|x| ids.posts.contains(x));
        keep_opt(&mut p.flow, &ids.flows);
    }
    for f in &mut out.flows {
        keep_opt(&mut f.power, &ids.powers);
        for s in &mut f.steps {
            keep_opt(&mut s.post, &ids.posts);
            s.risks.retain(|x| ids.risks.contains(x));
        }
    }
    out.risks.par_iter_mut().for_each(|r| keep.risk_refs(r));
    out.links = Links::compute(&out);
    out
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
    keep.risk_refs(&mut r);
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
        let keep_block =
            |name: &str| block_scope(self.config, name).is_some_and(|s| s <= self.audience);
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

    /// A risk's references to items the audience does not see.
    fn risk_refs(&self, r: &mut Risk) {
        let ids = &self.ids;
        keep_opt(&mut r.department, &ids.departments);
        r.posts.retain(|x| ids.posts.contains(x));
        keep_opt(&mut r.power, &ids.powers);
        r.measures.retain(|m| match m {
            MeasureUse::Shared { id } => ids.measures.contains(id),
            MeasureUse::Inline { .. } => true,
        });
    }
}

/// The ids that survive the filter, per kind.
struct Ids {
    departments: BTreeSet<String>,
    posts: BTreeSet<String>,
    powers: BTreeSet<String>,
    flows: BTreeSet<String>,
    risks: BTreeSet<String>,
    measures: BTreeSet<String>,
    pages: BTreeSet<String>,
}

impl Ids {
    /// The ids of the items of `site` that audience `audience` sees.
    fn visible(site: &Site, audience: usize) -> Ids {
        let ids = |metas: &mut dyn Iterator<Item = &Meta>| -> BTreeSet<String> {
            metas
                .filter(|m| m.scope <= audience)
                .map(|m| m.id.clone())
                .collect()
        };
        Ids {
            departments: ids(&mut site.departments.iter().map(|x| &x.meta)),
            posts: ids(&mut site.posts.iter().map(|x| &x.meta)),
            powers: ids(&mut site.powers.iter().map(|x| &x.meta)),
            flows: ids(&mut site.flows.iter().map(|x| &x.meta)),
            risks: ids(&mut site.risks.iter().map(|x| &x.meta)),
            measures: ids(&mut site.measures.iter().map(|x| &x.meta)),
            pages: ids(&mut site.pages.iter().map(|x| &x.meta)),
        }
    }

    fn any(&self, id: &str) -> bool {
        [
            &self.departments,
            &self.posts,
            &self.powers,
            &self.flows,
            &self.risks,
            &self.measures,
            &self.pages,
        ]
        .iter()
        .any(|s| s.contains(id))
    }
}

/// The scope a block marker names: exactly, else ignoring ASCII case
/// (markers are folded to lower case). `None` for an unknown name.
pub fn block_scope(config: &Config, name: &str) -> Option<usize> {
    config.scope_index(name).or_else(|| {
        config
            .scopes
            .iter()
            .position(|s| s.name.eq_ignore_ascii_case(name))
    })
}

fn keep_opt(r: &mut Option<String>, ids: &BTreeSet<String>) {
    if r.as_ref().is_some_and(|x| !ids.contains(x)) {
        *r = None;
    }
}

/// Removes `[[id]]` links whose target the audience does not see: not even
/// the id stays, since the title is what the link would have shown. `None`
/// when every link stays.
fn drop_links(body: &str, ids: &Ids) -> Option<String> {
    let links = wiki_links(body);
    if links.iter().all(|l| ids.any(&l.id)) {
        return None;
    }
    let mut out = String::with_capacity(body.len());
    let mut pos = 0;
    for l in links.iter().filter(|l| !ids.any(&l.id)) {
        out.push_str(&body[pos..l.start]);
        pos = l.end;
    }
    out.push_str(&body[pos..]);
    Some(out)
}
