//! The Markdown fields of the model, listed in one place. `check` reads
//! them through [`Site::markdown`], the scope filter rewrites them through
//! [`Site::markdown_mut`] (blocks cut, comments stripped, links to unseen
//! items dropped), and renderers only ever see the rewritten text. A new
//! Markdown field is added here, in both lists, or it is not one.

use super::{
    item_lists, Department, Flow, Measure, MeasureUse, Notice, Page, Post, Power, Risk, Section,
    Site,
};

/// Where a Markdown field is written in its source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The body after the front matter (offsets relative to its start).
    Body,
    /// A front-matter field, by its path (`measures.0.text`).
    Field(String),
}

/// One Markdown field of the site, as `check` sees it.
#[derive(Debug, Clone)]
pub struct Text<'a> {
    /// Index into [`Site::sources`].
    pub src: usize,
    /// The scope of the item it belongs to.
    pub scope: usize,
    pub place: Place,
    pub text: &'a str,
}

/// The Markdown fields of one item, in one order for both methods.
pub trait Markdown {
    fn markdown(&self) -> Vec<(Place, &str)>;
    fn markdown_mut(&mut self) -> Vec<&mut String>;
}

macro_rules! body_only {
    ($($t:ty),*) => {$(
        impl Markdown for $t {
            fn markdown(&self) -> Vec<(Place, &str)> {
                vec![(Place::Body, &self.meta.body)]
            }
            fn markdown_mut(&mut self) -> Vec<&mut String> {
                vec![&mut self.meta.body]
            }
        }
    )*};
}

body_only!(Department, Post, Power, Flow, Measure, Page);

impl Markdown for Risk {
    fn markdown(&self) -> Vec<(Place, &str)> {
        let mut out = vec![(Place::Body, self.meta.body.as_str())];
        for (i, m) in self.measures.iter().enumerate() {
            if let MeasureUse::Inline { text, .. } = m {
                out.push((Place::Field(format!("measures.{i}.text")), text.as_str()));
            }
        }
        out
    }
    fn markdown_mut(&mut self) -> Vec<&mut String> {
        let mut out = vec![&mut self.meta.body];
        for m in &mut self.measures {
            if let MeasureUse::Inline { text, .. } = m {
                out.push(text);
            }
        }
        out
    }
}

impl Markdown for Notice {
    fn markdown(&self) -> Vec<(Place, &str)> {
        vec![(Place::Body, &self.body)]
    }
    fn markdown_mut(&mut self) -> Vec<&mut String> {
        vec![&mut self.body]
    }
}

impl Markdown for Section {
    fn markdown(&self) -> Vec<(Place, &str)> {
        vec![(Place::Body, &self.body)]
    }
    fn markdown_mut(&mut self) -> Vec<&mut String> {
        vec![&mut self.body]
    }
}

fn add<'a>(out: &mut Vec<Text<'a>>, src: usize, scope: usize, item: &'a dyn Markdown) {
    out.extend(item.markdown().into_iter().map(|(place, text)| Text {
        src,
        scope,
        place,
        text,
    }));
}

impl Site {
    /// Every Markdown field of the site with its source and scope: the
    /// notice's, the list intros', every item's.
    pub fn markdown(&self) -> Vec<Text<'_>> {
        let mut out = Vec::new();
        if let Some(src) = self.notice.src {
            add(&mut out, src, self.notice.scope, &self.notice);
        }
        for s in self.sections.values() {
            add(&mut out, s.src, s.scope, s);
        }
        macro_rules! items {
            ($($kind:ident $list:ident),*) => {$(
                for x in &self.$list {
                    add(&mut out, x.meta.src, x.meta.scope, x);
                }
            )*};
        }
        item_lists!(items);
        out
    }

    /// The same fields as [`Site::markdown`], to rewrite in place.
    pub fn markdown_mut(&mut self) -> Vec<&mut String> {
        let mut out = self.notice.markdown_mut();
        for s in self.sections.values_mut() {
            out.extend(s.markdown_mut());
        }
        macro_rules! items {
            ($($kind:ident $list:ident),*) => {$(
                for x in &mut self.$list {
                    out.extend(x.markdown_mut());
                }
            )*};
        }
        item_lists!(items);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Meta;

    #[test]
    fn both_lists_agree() {
        let meta = Meta {
            id: "R-1".into(),
            title: "t".into(),
            scope: 0,
            body: "正文".into(),
            src: 0,
            review: None,
        };
        let inline = |t: &str| MeasureUse::Inline {
            phase: None,
            category: None,
            text: t.into(),
        };
        let mut r = Risk {
            meta,
            risk_type: "x".into(),
            grade: 0,
            likelihood: None,
            impact: None,
            tier: None,
            department: None,
            posts: vec![],
            power: None,
            owner: None,
            measures: vec![
                inline("甲"),
                MeasureUse::Shared { id: "M".into() },
                inline("乙"),
            ],
            basis: vec![],
            reviewed: None,
        };
        let read: Vec<(Place, String)> = r
            .markdown()
            .into_iter()
            .map(|(p, t)| (p, t.to_string()))
            .collect();
        assert_eq!(read[2].0, Place::Field("measures.2.text".into()));
        let written: Vec<String> = r.markdown_mut().into_iter().map(|t| t.clone()).collect();
        assert_eq!(read.into_iter().map(|x| x.1).collect::<Vec<_>>(), written);
        assert_eq!(written, ["正文", "甲", "乙"]);
    }
}
