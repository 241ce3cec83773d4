//! What each kind's fields read as on one side of a comparison: texts
//! (references by the titles that side shows, compared by id; Markdown
//! as plain text), for [`super::compare`] to set side by side.

use super::What;
use crate::config::Config;
use crate::history::{RiskRecord, Snapshot};
use crate::i18n::tr;
use crate::kind::Kind;
use crate::model::body::replace_links;
use crate::model::{
    Department, Flow, Measure, MeasureUse, Meta, Notice, Page, Post, Power, Site, Step,
};
use std::collections::BTreeMap;

/// An item's fields as texts, in the order they are reported.
pub(super) type Fields = Vec<(What, Val)>;

/// A field's text as shown, and what it is compared by: references by
/// their ids (an item whose department was renamed did not move), texts
/// by their `[[ID]]` links as written (a linked item's rename is its own
/// change).
pub(super) struct Val {
    pub(super) text: String,
    key: Option<String>,
}

impl From<String> for Val {
    fn from(text: String) -> Val {
        Val { text, key: None }
    }
}

impl Val {
    fn keyed(text: String, key: impl Into<String>) -> Val {
        Val {
            text,
            key: Some(key.into()),
        }
    }

    pub(super) fn differs(&self, other: &Val) -> bool {
        match (&self.key, &other.key) {
            (Some(a), Some(b)) => a != b,
            _ => self.text != other.text,
        }
    }
}

/// The list separator of names (、).
const SEP: &str = "、";

/// One side of the comparison: its items' titles, shared measures and
/// notice (from a snapshot, or from the filtered site itself).
pub(super) struct Side<'a> {
    cfg: &'a Config,
    measures: &'a [Measure],
    notice: &'a Notice,
    titles: BTreeMap<(Kind, &'a str), &'a str>,
}

impl<'a> Side<'a> {
    pub(super) fn new(cfg: &'a Config, snap: &'a Snapshot) -> Side<'a> {
        let risks = snap.risks.iter().map(|r| &r.meta);
        Side::of(cfg, snap.measures.as_slice(), &snap.notice, |add| {
            snap.departments
                .iter()
                .for_each(|x| add(Kind::Department, &x.meta));
            snap.posts.iter().for_each(|x| add(Kind::Post, &x.meta));
            snap.powers.iter().for_each(|x| add(Kind::Power, &x.meta));
            snap.flows.iter().for_each(|x| add(Kind::Flow, &x.meta));
            risks.for_each(|m| add(Kind::Risk, m));
            snap.pages.iter().for_each(|x| add(Kind::Page, &x.meta));
        })
    }

    /// The side of a site (what `Snapshot::of` it would give).
    pub(super) fn site(cfg: &'a Config, site: &'a Site) -> Side<'a> {
        Side::of(cfg, site.measures.as_slice(), &site.notice, |add| {
            for (kind, meta) in site.metas() {
                add(kind, meta);
            }
        })
    }

    pub(super) fn of(
        cfg: &'a Config,
        measures: &'a [Measure],
        notice: &'a Notice,
        items: impl FnOnce(&mut dyn FnMut(Kind, &'a Meta)),
    ) -> Side<'a> {
        let mut titles = BTreeMap::new();
        for m in measures {
            titles.insert((Kind::Measure, m.meta.id.as_str()), m.meta.title.as_str());
        }
        items(&mut |kind, m| {
            titles.insert((kind, m.id.as_str()), m.title.as_str());
        });
        Side {
            cfg,
            measures,
            notice,
            titles,
        }
    }

    /// An item's title on this side, else its id.
    pub(super) fn title(&self, kind: Kind, id: &str) -> String {
        self.titles.get(&(kind, id)).unwrap_or(&id).to_string()
    }

    pub(super) fn opt_ref(&self, kind: Kind, id: &Option<String>) -> Val {
        let text = id
            .as_deref()
            .map_or_else(String::new, |i| self.title(kind, i));
        Val::keyed(text, id.clone().unwrap_or_default())
    }

    pub(super) fn refs(&self, kind: Kind, ids: &[String]) -> Val {
        let names: Vec<String> = ids.iter().map(|i| self.title(kind, i)).collect();
        Val::keyed(names.join(SEP), ids.join("\n"))
    }

    /// A Markdown text, compared as written.
    pub(super) fn markdown(&self, text: &str) -> Val {
        Val::keyed(self.plain(text), text)
    }

    /// A Markdown text as plain text: `[[ID]]` by its title (on this side),
    /// the Markdown syntax left out, a line per paragraph or list item.
    pub(super) fn plain(&self, text: &str) -> String {
        let linked = replace_links(text, |l, out| {
            let title = Kind::LOOKUP
                .iter()
                .find_map(|k| self.titles.get(&(*k, l.id.as_str())).copied())
                .unwrap_or(&l.id);
            out.push_str(title);
        });
        plain_text(&linked)
    }

    pub(super) fn scope(&self, scope: usize) -> String {
        self.cfg
            .scopes
            .get(scope)
            .map_or_else(|| scope.to_string(), |s| s.label.clone())
    }

    pub(super) fn yes_no(&self, b: bool) -> String {
        let key = if b { "changes.yes" } else { "changes.no" };
        tr(self.cfg.lang(), key, &[])
    }

    /// What every item has besides its title: body and scope.
    pub(super) fn common(&self, m: &Meta, mut fields: Fields) -> Fields {
        fields.push((What::Body, self.markdown(&m.body)));
        fields.push((What::Scope, self.scope(m.scope).into()));
        fields
    }

    pub(super) fn department(&self, d: &Department) -> Fields {
        let fields = vec![
            (What::Head, self.opt_ref(Kind::Post, &d.head)),
            (What::Parent, self.opt_ref(Kind::Department, &d.parent)),
        ];
        self.common(&d.meta, fields)
    }

    pub(super) fn post(&self, p: &Post) -> Fields {
        let holders: Vec<String> = p
            .holders
            .iter()
            .map(|h| match &h.since {
                Some(s) => format!("{}（{s}）", h.name),
                None => h.name.clone(),
            })
            .collect();
        let fields = vec![
            (
                What::Department,
                self.opt_ref(Kind::Department, &p.department),
            ),
            (What::Level, opt(&p.level).into()),
            (What::Key, self.yes_no(p.key).into()),
            (What::HighRisk, self.yes_no(p.high_risk).into()),
            (What::ReportsTo, self.opt_ref(Kind::Post, &p.reports_to)),
            (What::Incompatible, self.refs(Kind::Post, &p.incompatible)),
            (
                What::Rotation,
                p.rotation_years
                    .map_or_else(String::new, |n| n.to_string())
                    .into(),
            ),
            (What::Holders, holders.join(SEP).into()),
        ];
        self.common(&p.meta, fields)
    }

    pub(super) fn power(&self, p: &Power) -> Fields {
        let fields = vec![
            (What::Category, opt(&p.category).into()),
            (
                What::Department,
                self.opt_ref(Kind::Department, &p.department),
            ),
            (What::Posts, self.refs(Kind::Post, &p.posts)),
            (What::Basis, p.basis.join(SEP).into()),
            (What::TimeLimit, opt(&p.time_limit).into()),
            (What::Materials, p.materials.join(SEP).into()),
            (What::Fee, opt(&p.fee).into()),
            (What::Flow, self.opt_ref(Kind::Flow, &p.flow)),
        ];
        self.common(&p.meta, fields)
    }

    pub(super) fn flow(&self, f: &Flow) -> Fields {
        let fields = vec![(What::Power, self.opt_ref(Kind::Power, &f.power))];
        self.common(&f.meta, fields)
    }

    pub(super) fn risk(&self, r: &RiskRecord) -> Fields {
        let num = |n: Option<u8>| n.map_or_else(String::new, |n| n.to_string());
        let fields = vec![
            (What::Grade, r.grade.clone().into()),
            (What::Type, r.risk_type.clone().into()),
            (What::Likelihood, num(r.likelihood).into()),
            (What::Impact, num(r.impact).into()),
            (What::Tier, opt(&r.tier).into()),
            (
                What::Department,
                self.opt_ref(Kind::Department, &r.department),
            ),
            (What::Posts, self.refs(Kind::Post, &r.posts)),
            (What::Power, self.opt_ref(Kind::Power, &r.power)),
            (What::Owner, opt(&r.owner).into()),
            (What::Measures, self.measures(&r.measures)),
            (What::Basis, r.basis.join(SEP).into()),
        ];
        self.common(&r.meta, fields)
    }

    /// Numbered measures, a line each: `1、【前期预防·制度】text`, a shared
    /// one by its title.
    pub(super) fn measures(&self, list: &[MeasureUse]) -> Val {
        let mut lines = Vec::new();
        for m in list {
            let (phase, category, text) = match m {
                MeasureUse::Inline {
                    phase,
                    category,
                    text,
                } => (phase.clone(), category.clone(), self.plain(text)),
                MeasureUse::Shared { id } => {
                    let shared = self.measures.iter().find(|x| &x.meta.id == id);
                    let (p, c) =
                        shared.map_or((None, None), |s| (s.phase.clone(), s.category.clone()));
                    (p, c, self.title(Kind::Measure, id))
                }
            };
            let tags: Vec<String> = [phase, category].into_iter().flatten().collect();
            let tag = if tags.is_empty() {
                String::new()
            } else {
                format!("【{}】", tags.join("·"))
            };
            lines.push(format!("{}、{tag}{text}", lines.len() + 1));
        }
        let key = serde_json::to_string(list).unwrap_or_default();
        Val::keyed(lines.join("\n"), key)
    }

    pub(super) fn measure(&self, m: &Measure) -> Fields {
        let fields = vec![
            (What::Phase, opt(&m.phase).into()),
            (What::Category, opt(&m.category).into()),
        ];
        self.common(&m.meta, fields)
    }

    pub(super) fn page(&self, p: &Page) -> Fields {
        self.common(&p.meta, vec![(What::Weight, p.weight.to_string().into())])
    }

    pub(super) fn notice(&self) -> Fields {
        let n = self.notice;
        let period = n
            .period
            .as_ref()
            .map_or_else(String::new, |p| format!("{} — {}", p.start, p.end));
        let feedback: Vec<String> = n
            .feedback
            .iter()
            .map(|f| format!("{}：{}", f.label, f.value))
            .collect();
        vec![
            (What::Title, n.title.clone().into()),
            (What::DocNo, opt(&n.doc_no).into()),
            (What::Issuer, opt(&n.issuer).into()),
            (What::Date, opt(&n.date).into()),
            (What::Period, period.into()),
            (What::Feedback, feedback.join("\n").into()),
            (What::Body, self.markdown(&n.body)),
        ]
    }

    /// A step as one text: label, then post, risks and time limit.
    pub(super) fn step(&self, s: &Step) -> Val {
        let lang = self.cfg.lang();
        let mut parts = vec![format!("{} {}", s.id, s.label)];
        if let Some(p) = &s.post {
            parts.push(tr(
                lang,
                "changes.step.post",
                &[("v", self.title(Kind::Post, p))],
            ));
        }
        if !s.risks.is_empty() {
            let v = self.refs(Kind::Risk, &s.risks).text;
            parts.push(tr(lang, "changes.step.risks", &[("v", v)]));
        }
        if let Some(t) = &s.time_limit {
            parts.push(tr(lang, "changes.step.time", &[("v", t.clone())]));
        }
        // compared by what is written: ids, not the titles shown
        let key = format!("{:?}", (&s.label, &s.post, s.kind, &s.risks, &s.time_limit));
        Val::keyed(parts.join("；"), key)
    }

    /// Where a step's arrows lead: `S3 审核 → 批准、退回`.
    pub(super) fn links(&self, flow: &Flow, s: &Step) -> String {
        let to: Vec<String> = s
            .next
            .iter()
            .map(|n| {
                let label = flow
                    .steps
                    .iter()
                    .find(|x| x.id == n.to)
                    .map_or(&n.to, |x| &x.label);
                match &n.label {
                    Some(l) => format!("{label}（{l}）"),
                    None => label.clone(),
                }
            })
            .collect();
        format!("{} {} → {}", s.id, s.label, to.join(SEP))
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// Markdown as plain text: its text, a line per block.
fn plain_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push('\n'),
            _ => {}
        }
    }
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}
