//! The sheets and columns of the ledger workbook, and each item's cells.

use super::{measure_cells, AllLabels};
use crate::config::Config;
use crate::load::SourceFile;
use crate::model::{Kind, Post, Power, Risk, Site};

/// A data sheet of the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sheet {
    Risks,
    /// The measures of the risks, one row each.
    Measures,
    Powers,
    Posts,
}

impl Sheet {
    pub const ALL: [Sheet; 4] = [Sheet::Risks, Sheet::Measures, Sheet::Powers, Sheet::Posts];

    /// Its name in the identity sheet.
    pub fn code(self) -> &'static str {
        match self {
            Sheet::Risks => "risks",
            Sheet::Measures => "measures",
            Sheet::Powers => "powers",
            Sheet::Posts => "posts",
        }
    }

    pub fn from_code(s: &str) -> Option<Sheet> {
        Sheet::ALL.into_iter().find(|x| x.code() == s)
    }

    /// The catalogue key of its tab's name.
    pub fn name_key(self) -> &'static str {
        match self {
            Sheet::Risks => "export.sheet.risk",
            Sheet::Measures => "ledger.sheet.measures",
            Sheet::Powers => "export.sheet.power",
            Sheet::Posts => "export.sheet.post",
        }
    }

    /// The kind of item a row is (a measure row belongs to a risk).
    pub fn kind(self) -> Kind {
        match self {
            Sheet::Risks | Sheet::Measures => Kind::Risk,
            Sheet::Powers => Kind::Power,
            Sheet::Posts => Kind::Post,
        }
    }

    pub fn cols(self) -> &'static [Col] {
        use Col::*;
        match self {
            Sheet::Risks => &[
                Id, Title, Department, Posts, Power, Type, Grade, Tier, Likelihood, Impact, Owner,
                Basis, Reviewed, Scope, Body,
            ],
            Sheet::Measures => &[RiskId, RiskTitle, No, Phase, MCategory, Text, Shared],
            Sheet::Powers => &[
                Id, Title, Category, Department, Posts, Basis, TimeLimit, Materials, Fee, Flow,
                Scope, Body,
            ],
            Sheet::Posts => &[
                Id,
                Title,
                Department,
                Level,
                Key,
                HighRisk,
                ReportsTo,
                Incompatible,
                Rotation,
                Scope,
                Body,
            ],
        }
    }
}

/// A closed list of the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum List {
    Types,
    Tiers,
    Phases,
    MeasureCats,
    PowerCats,
    Levels,
}

impl List {
    pub fn values(self, cfg: &Config) -> &[String] {
        match self {
            List::Types => &cfg.risk_types,
            List::Tiers => &cfg.tiers,
            List::Phases => &cfg.phases,
            List::MeasureCats => &cfg.measure_categories,
            List::PowerCats => &cfg.power_categories,
            List::Levels => &cfg.post_levels,
        }
    }
}

/// How a column's cells are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Id,
    Text,
    Choice(List),
    Grade,
    /// An item of a kind, by its label.
    Ref(Kind),
    /// Items of a kind, labels joined by 、.
    Refs(Kind),
    /// One item a line.
    Lines,
    Number,
    Bool,
    Date,
    /// The scope's label.
    Scope,
    /// Markdown, scope markers verbatim.
    Body,
}

/// A column of a data sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Col {
    Id,
    Title,
    Department,
    Posts,
    Power,
    Type,
    Grade,
    Tier,
    Likelihood,
    Impact,
    Owner,
    Basis,
    Reviewed,
    Category,
    TimeLimit,
    Materials,
    Fee,
    Flow,
    Level,
    Key,
    HighRisk,
    ReportsTo,
    Incompatible,
    Rotation,
    Scope,
    Body,
    RiskId,
    RiskTitle,
    No,
    Phase,
    MCategory,
    Text,
    Shared,
}

impl Col {
    /// The front-matter key (for measure columns: the key in a measure).
    pub fn key(self) -> &'static str {
        use Col::*;
        match self {
            Id | RiskId => "id",
            Title | RiskTitle => "title",
            Department => "department",
            Posts => "posts",
            Power => "power",
            Type => "type",
            Grade => "grade",
            Tier => "tier",
            Likelihood => "likelihood",
            Impact => "impact",
            Owner => "owner",
            Basis => "basis",
            Reviewed => "reviewed",
            Category | MCategory => "category",
            TimeLimit => "time_limit",
            Materials => "materials",
            Fee => "fee",
            Flow => "flow",
            Level => "level",
            Key => "key",
            HighRisk => "high_risk",
            ReportsTo => "reports_to",
            Incompatible => "incompatible",
            Rotation => "rotation_years",
            Scope => "scope",
            Body => "body",
            No => "no",
            Phase => "phase",
            Text => "text",
            Shared => "ref",
        }
    }

    pub fn form(self, sheet: Sheet) -> Form {
        use Col::*;
        match self {
            Id | RiskId => Form::Id,
            Title | RiskTitle | Owner | TimeLimit | Fee | Text => Form::Text,
            Department => Form::Ref(Kind::Department),
            Posts | Incompatible => Form::Refs(Kind::Post),
            Power => Form::Ref(Kind::Power),
            Flow => Form::Ref(Kind::Flow),
            ReportsTo => Form::Ref(Kind::Post),
            Shared => Form::Ref(Kind::Measure),
            Type => Form::Choice(List::Types),
            Tier => Form::Choice(List::Tiers),
            Phase => Form::Choice(List::Phases),
            MCategory => Form::Choice(List::MeasureCats),
            Category if sheet == Sheet::Powers => Form::Choice(List::PowerCats),
            Category => Form::Choice(List::MeasureCats),
            Level => Form::Choice(List::Levels),
            Grade => Form::Grade,
            Likelihood | Impact | Rotation | No => Form::Number,
            Basis | Materials => Form::Lines,
            Reviewed => Form::Date,
            Key | HighRisk => Form::Bool,
            Scope => Form::Scope,
            Body => Form::Body,
        }
    }

    /// The catalogue key of its heading.
    pub fn heading_key(self, sheet: Sheet) -> &'static str {
        use Col::*;
        match (self, sheet) {
            (Id, _) => "export.col.id",
            (Title, Sheet::Risks) => "export.col.risk_title",
            (Title, Sheet::Powers) => "export.col.power_title",
            (Title, _) => "export.col.post_title",
            (Department, Sheet::Posts) => "export.col.post_department",
            (Department, _) => "export.col.department",
            (Posts, Sheet::Powers) => "export.col.power_posts",
            (Posts, _) => "export.col.risk_posts",
            (Power, _) => "export.col.risk_power",
            (Type, _) => "export.col.type",
            (Grade, _) => "export.col.grade",
            (Tier, _) => "export.col.tier",
            (Likelihood, _) => "export.col.likelihood",
            (Impact, _) => "export.col.impact",
            (Owner, _) => "export.col.owner",
            (Basis, Sheet::Powers) => "export.col.power_basis",
            (Basis, _) => "export.col.risk_basis",
            (Reviewed, _) => "export.col.reviewed",
            (Category, _) => "export.col.category",
            (TimeLimit, _) => "export.col.time_limit",
            (Materials, _) => "export.col.materials",
            (Fee, _) => "export.col.fee",
            (Flow, _) => "export.col.flow",
            (Level, _) => "export.col.level",
            (Key, _) => "export.col.key",
            (HighRisk, _) => "export.col.high_risk",
            (ReportsTo, _) => "export.col.reports_to",
            (Incompatible, _) => "export.col.incompatible",
            (Rotation, _) => "export.col.rotation",
            (Scope, _) => "export.col.scope",
            (Body, Sheet::Risks) => "export.col.risk_body",
            (Body, Sheet::Powers) => "export.col.power_body",
            (Body, _) => "export.col.post_body",
            (RiskId, _) => "ledger.col.risk_id",
            (RiskTitle, _) => "export.col.risk_title",
            (No, _) => "ledger.col.measure_no",
            (Phase, _) => "ledger.col.phase",
            (MCategory, _) => "ledger.col.measure_category",
            (Text, _) => "ledger.col.measure_text",
            (Shared, _) => "ledger.col.shared",
        }
    }

    /// Column width in characters.
    pub fn width(self) -> f64 {
        use Col::*;
        match self {
            Body => 60.0,
            Text => 56.0,
            Title | RiskTitle => 30.0,
            Basis | Materials => 34.0,
            Posts | Incompatible | Owner => 22.0,
            Department | Power | Flow | ReportsTo | Shared | TimeLimit | Fee => 18.0,
            No | Likelihood | Impact | Rotation | Key | HighRisk => 8.0,
            _ => 11.0,
        }
    }
}

/// Whether the file writes `key` (in English or by its Chinese name).
fn written(src: Option<&SourceFile>, key: &str) -> bool {
    src.is_some_and(|s| {
        s.spans
            .iter()
            .any(|(p, _)| p == key || crate::model::fields::field_by_chinese_name(p) == Some(key))
    })
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn yes(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

fn num<T: ToString>(v: Option<T>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// Context for an item's cells.
pub struct Cells<'a> {
    pub site: &'a Site,
    pub labels: &'a AllLabels,
}

impl Cells<'_> {
    fn label(&self, kind: Kind, id: &Option<String>) -> String {
        id.as_deref()
            .map(|i| self.labels.get(kind).label(i))
            .unwrap_or_default()
    }

    fn labels(&self, kind: Kind, ids: &[String]) -> String {
        let l = self.labels.get(kind);
        ids.iter()
            .map(|i| l.label(i))
            .collect::<Vec<_>>()
            .join(crate::render::export::NAME_SEP)
    }

    fn scope(&self, i: usize) -> String {
        self.site
            .config
            .scopes
            .get(i)
            .map_or(String::new(), |s| s.label.clone())
    }

    fn src(&self, i: usize) -> Option<&SourceFile> {
        self.site.sources.get(i)
    }

    pub fn risk(&self, r: &Risk) -> Vec<String> {
        let cfg = &self.site.config;
        let owner = if written(self.src(r.meta.src), "owner") {
            opt(&r.owner)
        } else {
            String::new()
        };
        let grade = cfg
            .grades
            .get(r.grade)
            .map_or(String::new(), |g| g.name.clone());
        vec![
            r.meta.id.clone(),
            r.meta.title.clone(),
            self.label(Kind::Department, &r.department),
            self.labels(Kind::Post, &r.posts),
            self.label(Kind::Power, &r.power),
            r.risk_type.clone(),
            grade,
            opt(&r.tier),
            num(r.likelihood),
            num(r.impact),
            owner,
            r.basis.join("\n"),
            opt(&r.reviewed),
            self.scope(r.meta.scope),
            r.meta.body.clone(),
        ]
    }

    /// The rows of a risk's measures: risk id, risk title, number, then
    /// [`measure_cells`].
    pub fn measures(&self, r: &Risk) -> Vec<Vec<String>> {
        r.measures
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let mut row = vec![r.meta.id.clone(), r.meta.title.clone(), (i + 1).to_string()];
                row.extend(measure_cells(m, self.labels));
                row
            })
            .collect()
    }

    pub fn power(&self, p: &Power) -> Vec<String> {
        vec![
            p.meta.id.clone(),
            p.meta.title.clone(),
            opt(&p.category),
            self.label(Kind::Department, &p.department),
            self.labels(Kind::Post, &p.posts),
            p.basis.join("\n"),
            opt(&p.time_limit),
            p.materials.join("\n"),
            opt(&p.fee),
            self.label(Kind::Flow, &p.flow),
            self.scope(p.meta.scope),
            p.meta.body.clone(),
        ]
    }

    pub fn post(&self, p: &Post) -> Vec<String> {
        vec![
            p.meta.id.clone(),
            p.meta.title.clone(),
            self.label(Kind::Department, &p.department),
            opt(&p.level),
            yes(p.key),
            yes(p.high_risk),
            self.label(Kind::Post, &p.reports_to),
            self.labels(Kind::Post, &p.incompatible),
            num(p.rotation_years),
            self.scope(p.meta.scope),
            p.meta.body.clone(),
        ]
    }

    /// The rows of a sheet: (key, cells), for the items of `department`
    /// (all when `None`).
    pub fn rows(&self, sheet: Sheet, department: Option<&str>) -> Vec<(String, Vec<String>)> {
        let s = self.site;
        let of = |d: &Option<String>| department.is_none() || d.as_deref() == department;
        match sheet {
            Sheet::Risks => s
                .risks
                .iter()
                .filter(|r| of(&r.department))
                .map(|r| (r.meta.id.clone(), self.risk(r)))
                .collect(),
            Sheet::Measures => s
                .risks
                .iter()
                .filter(|r| of(&r.department))
                .flat_map(|r| {
                    self.measures(r)
                        .into_iter()
                        .enumerate()
                        .map(|(i, row)| (super::measure_key(&r.meta.id, i + 1), row))
                })
                .collect(),
            Sheet::Powers => s
                .powers
                .iter()
                .filter(|p| of(&p.department))
                .map(|p| (p.meta.id.clone(), self.power(p)))
                .collect(),
            Sheet::Posts => s
                .posts
                .iter()
                .filter(|p| of(&p.department))
                .map(|p| (p.meta.id.clone(), self.post(p)))
                .collect(),
        }
    }
}
