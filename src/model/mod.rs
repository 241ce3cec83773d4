//! Stage 2, the model: plain data holding every item with its fields
//! normalised and its references named by id. Renderers only read it.
//!
//! Items of each kind are sorted by id. References are ids that `check`
//! has verified (after the scope filter they may have been dropped, never
//! left dangling). [`Links`] holds the back-links (which flows, powers and
//! posts cite a risk…), computed from the items.

pub mod body;
mod build;
pub mod fields;
mod ids;
mod links;
mod refs;
pub mod review;
mod texts;

pub use crate::kind::Kind;
pub use build::build;
pub use fields::{is_date, is_id};
pub use links::{ids, Links};
pub use refs::{Field, Refs};
pub use review::{ReviewState, Reviews, Stamp};
pub use texts::{Markdown, Place, Text};

use crate::config::Config;
use crate::load::SourceFile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Calls the macro `$m` with every kind of item and its list in [`Site`],
/// in kind order (`Department departments, Post posts, …`): the one place
/// that pairs kinds with lists, for code that does the same to each.
macro_rules! item_lists {
    ($m:ident) => {
        $m!(
            Department departments,
            Post posts,
            Power powers,
            Flow flows,
            Risk risks,
            Measure measures,
            Page pages
        )
    };
}
pub(crate) use item_lists;

/// What every item has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Meta {
    pub id: String,
    pub title: String,
    /// Index into `config.scopes` (0 is the widest audience).
    pub scope: usize,
    /// Markdown body, before scope blocks are cut.
    pub body: String,
    /// Index into [`Site::sources`] (for diagnostics).
    #[serde(skip)]
    pub src: usize,
    /// The review stamp as written (`reviewed:`), for stamped kinds
    /// ([`Kind::stamped`]). Never in data.json; the scope filter clears
    /// it for the widest audience.
    #[serde(skip)]
    pub review: Option<Stamp>,
}

/// The notice (公示) shown on the home page.
#[derive(Debug, Clone, Serialize, Default, Deserialize)]
#[serde(default)]
pub struct Notice {
    pub title: String,
    pub doc_no: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
    pub period: Option<Period>,
    pub feedback: Vec<Feedback>,
    pub body: String,
    pub scope: usize,
    #[serde(skip)]
    pub src: Option<usize>,
}

/// The 公示期.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Period {
    pub start: String,
    pub end: String,
}

/// A feedback channel (举报电话…).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Feedback {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Department {
    #[serde(flatten)]
    pub meta: Meta,
    pub head: Option<String>,
    pub parent: Option<String>,
}

/// A person holding a post.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Holder {
    pub name: String,
    pub since: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Post {
    #[serde(flatten)]
    pub meta: Meta,
    pub department: Option<String>,
    pub level: Option<String>,
    pub key: bool,
    pub high_risk: bool,
    pub reports_to: Option<String>,
    pub incompatible: Vec<String>,
    pub rotation_years: Option<u32>,
    pub holders: Vec<Holder>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Power {
    #[serde(flatten)]
    pub meta: Meta,
    pub category: Option<String>,
    pub basis: Vec<String>,
    pub department: Option<String>,
    pub posts: Vec<String>,
    pub time_limit: Option<String>,
    pub materials: Vec<String>,
    pub fee: Option<String>,
    pub flow: Option<String>,
}

/// The shape of a flow step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    Start,
    #[default]
    Step,
    Decision,
    End,
}

/// An edge out of a step.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Next {
    pub to: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Step {
    pub id: String,
    pub label: String,
    pub post: Option<String>,
    pub kind: StepKind,
    pub risks: Vec<String>,
    /// Resolved: an omitted `next` already points at the following step.
    pub next: Vec<Next>,
    pub time_limit: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Flow {
    #[serde(flatten)]
    pub meta: Meta,
    pub power: Option<String>,
    pub steps: Vec<Step>,
}

/// A prevention measure on a risk: written inline, or a shared one by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum MeasureUse {
    Inline {
        phase: Option<String>,
        category: Option<String>,
        text: String,
    },
    Shared {
        id: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(rename = "type")]
    pub risk_type: String,
    /// Index into `config.grades` (0 is the highest).
    pub grade: usize,
    pub likelihood: Option<u8>,
    pub impact: Option<u8>,
    pub tier: Option<String>,
    pub department: Option<String>,
    pub posts: Vec<String>,
    pub power: Option<String>,
    /// 防控责任人: as written, or the grade's owner from the config.
    pub owner: Option<String>,
    pub measures: Vec<MeasureUse>,
    pub basis: Vec<String>,
    /// The date of its review stamp (`meta.review`), what pages show as
    /// 最近审定. The widest audience sees it only while the stamp is current.
    pub reviewed: Option<String>,
}

impl Risk {
    /// likelihood × impact, when both are given.
    pub fn score(&self) -> Option<u32> {
        Some(u32::from(self.likelihood?) * u32::from(self.impact?))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Measure {
    #[serde(flatten)]
    pub meta: Meta,
    pub phase: Option<String>,
    pub category: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Page {
    #[serde(flatten)]
    pub meta: Meta,
    pub weight: i64,
}

/// An intro for a list page, from `content/<kind>/_index.md`.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub title: Option<String>,
    pub body: String,
    pub scope: usize,
    #[serde(skip)]
    pub src: usize,
}

/// The whole site as plain data.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub notice: Notice,
    pub departments: Vec<Department>,
    pub posts: Vec<Post>,
    pub powers: Vec<Power>,
    pub flows: Vec<Flow>,
    pub risks: Vec<Risk>,
    pub measures: Vec<Measure>,
    /// Sorted by weight, then id.
    pub pages: Vec<Page>,
    pub sections: BTreeMap<Kind, Section>,
    pub links: Links,
    /// Every stamped item's review state, after `check`
    /// (`pipeline::check`). `None` before that, and for the widest
    /// audience: the scope filter keeps it only for narrower ones, so the
    /// public never sees review state.
    pub reviews: Option<Reviews>,
    /// The files the items came from (diagnostics only; renderers never look).
    pub sources: Vec<SourceFile>,
}

/// Finds an item by id in a list sorted by id.
pub fn find<'a, T>(items: &'a [T], id: &str, key: impl Fn(&T) -> &str) -> Option<&'a T> {
    items
        .binary_search_by(|x| key(x).cmp(id))
        .ok()
        .map(|i| &items[i])
}

impl Site {
    pub fn department(&self, id: &str) -> Option<&Department> {
        find(&self.departments, id, |x| &x.meta.id)
    }
    /// A site with `config` and no items.
    pub fn empty(config: Config) -> Site {
        Site {
            config,
            notice: Notice::default(),
            departments: Vec::new(),
            posts: Vec::new(),
            powers: Vec::new(),
            flows: Vec::new(),
            risks: Vec::new(),
            measures: Vec::new(),
            pages: Vec::new(),
            sections: BTreeMap::new(),
            links: Links::default(),
            reviews: None,
            sources: Vec::new(),
        }
    }

    /// Drops every item but the pages (and every body), keeping what the
    /// versions list and the navigation need.
    pub fn keep_only_pages(&mut self) {
        let mut pages = std::mem::take(&mut self.pages);
        for p in &mut pages {
            p.meta.body = String::new();
        }
        let whole = std::mem::replace(
            self,
            Site {
                pages,
                ..Site::empty(self.config.clone())
            },
        );
        // Freeing a large model takes a while; nothing waits for it.
        rayon::spawn(move || drop(whole));
    }

    pub fn post(&self, id: &str) -> Option<&Post> {
        find(&self.posts, id, |x| &x.meta.id)
    }
    pub fn power(&self, id: &str) -> Option<&Power> {
        find(&self.powers, id, |x| &x.meta.id)
    }
    pub fn flow(&self, id: &str) -> Option<&Flow> {
        find(&self.flows, id, |x| &x.meta.id)
    }
    pub fn risk(&self, id: &str) -> Option<&Risk> {
        find(&self.risks, id, |x| &x.meta.id)
    }
    pub fn measure(&self, id: &str) -> Option<&Measure> {
        find(&self.measures, id, |x| &x.meta.id)
    }
    pub fn page(&self, id: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.meta.id == id)
    }

    /// The item `id` of `kind` (`None` for the notice, which has no id).
    pub fn meta(&self, kind: Kind, id: &str) -> Option<&Meta> {
        match kind {
            Kind::Department => self.department(id).map(|x| &x.meta),
            Kind::Post => self.post(id).map(|x| &x.meta),
            Kind::Power => self.power(id).map(|x| &x.meta),
            Kind::Flow => self.flow(id).map(|x| &x.meta),
            Kind::Risk => self.risk(id).map(|x| &x.meta),
            Kind::Measure => self.measure(id).map(|x| &x.meta),
            Kind::Page => self.page(id).map(|x| &x.meta),
            Kind::Notice => None,
        }
    }

    /// The kind and title of any item with this id (for `[[id]]` links).
    /// Kinds are searched in [`Kind::LOOKUP`] order so the answer is stable.
    pub fn lookup(&self, id: &str) -> Option<(Kind, &str)> {
        Kind::LOOKUP
            .into_iter()
            .find_map(|k| Some((k, self.meta(k, id)?.title.as_str())))
    }

    /// What a `[[id]]` link shows as text: the item's title, else the id
    /// as written (check reports such a link; the filter drops links to
    /// items an audience does not see).
    pub fn link_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.lookup(id).map_or(id, |(_, title)| title)
    }

    /// Every item's meta with its kind, in kind order then id order.
    pub fn metas(&self) -> Vec<(Kind, &Meta)> {
        let mut out: Vec<(Kind, &Meta)> = Vec::new();
        macro_rules! each {
            ($($kind:ident $list:ident),*) => {$(
                out.extend(self.$list.iter().map(|x| (Kind::$kind, &x.meta)));
            )*};
        }
        item_lists!(each);
        out
    }

    /// Risk counts per grade (index = grade).
    pub fn grade_counts<'a>(&self, risks: impl Iterator<Item = &'a Risk>) -> Vec<u32> {
        let mut counts = vec![0u32; self.config.grades.len()];
        for r in risks {
            if let Some(c) = counts.get_mut(r.grade) {
                *c += 1;
            }
        }
        counts
    }
}
