//! Building the model from loaded documents: one reader per kind.

use super::fields::{is_id, Fields};
use super::ids::{dedupe, is_reserved_on_windows};
use super::*;
use crate::diag::{Code, Diagnostic, Location};
use crate::load::{Doc, Loaded};
use serde_yaml::Value;

const COMMON: [&str; 4] = ["id", "title", "scope", "weight"];
/// What every stamped item ([`Kind::stamped`]) may have.
const ITEM: [&str; 5] = ["id", "title", "scope", "weight", "reviewed"];

/// Builds the model; field-level problems come back as diagnostics and
/// the item is kept with what could be read (so later checks still run),
/// or dropped when it has no usable id or title.
pub fn build(config: Config, loaded: Loaded) -> (Site, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let Loaded {
        sources,
        docs,
        mut diags,
    } = loaded;
    // Each document is read on its own (in parallel); the items are then
    // placed in document order, so the result does not depend on threads.
    let read: Vec<(Option<Item>, Vec<Diagnostic>)> = docs
        .par_iter()
        .map(|doc| {
            let mut diags = Vec::new();
            let item = read_doc(&config, &sources[doc.src], doc, &mut diags);
            (item, diags)
        })
        .collect();
    // The parsed front matter is no longer needed; freeing it is not free.
    rayon::spawn(move || drop(docs));
    let mut site = Site::empty(config);
    for (item, d) in read {
        diags.extend(d);
        match item {
            Some(Item::Section(kind, s)) => {
                site.sections.insert(kind, s);
            }
            Some(Item::Notice(n)) => site.notice = n,
            Some(Item::Department(x)) => site.departments.push(x),
            Some(Item::Post(x)) => site.posts.push(x),
            Some(Item::Power(x)) => site.powers.push(x),
            Some(Item::Flow(x)) => site.flows.push(x),
            Some(Item::Risk(x)) => site.risks.push(x),
            Some(Item::Measure(x)) => site.measures.push(x),
            Some(Item::Page(x)) => site.pages.push(x),
            None => {}
        }
    }
    site.sources = sources;
    dedupe(&mut site, &mut diags);
    site.links = Links::compute(&site);
    (site, diags)
}

/// What one document holds.
enum Item {
    Section(Kind, Section),
    Notice(Notice),
    Department(Department),
    Post(Post),
    Power(Power),
    Flow(Flow),
    Risk(Risk),
    Measure(Measure),
    Page(Page),
}

fn read_doc(
    config: &Config,
    src: &SourceFile,
    doc: &Doc,
    diags: &mut Vec<Diagnostic>,
) -> Option<Item> {
    let mut f = Fields::new(&doc.front, src, String::new(), diags);
    let stem = src
        .path
        .rsplit('/')
        .next()
        .and_then(|n| n.rsplit_once('.').map(|(s, _)| s))
        .unwrap_or("");
    let scope = match f.text("scope") {
        Some(s) => match config.scope_by_name_or_label(&s) {
            Some(i) => i,
            None => {
                let mut names = config.scope_names();
                names.extend(config.scopes.iter().map(|s| s.label.clone()));
                f.not_allowed("scope", s.trim(), &names);
                config.default_scope_index()
            }
        },
        None => config.default_scope_index(),
    };
    if stem == "_index" && doc.kind != Kind::Notice {
        let title = f.text("title");
        f.unknown(&COMMON);
        let body = src.body().to_string();
        let section = Section {
            title,
            body,
            scope,
            src: doc.src,
        };
        return Some(Item::Section(doc.kind, section));
    }
    if doc.kind == Kind::Notice {
        return Some(Item::Notice(read_notice(&mut f, scope, doc.src)));
    }
    let id = match f.text("id") {
        Some(id) => Some(id.trim().to_string()),
        None if is_id(stem) => Some(stem.to_string()),
        None => {
            f.missing("id");
            None
        }
    };
    let id = match id {
        Some(id) if is_id(&id) && is_reserved_on_windows(&id) => {
            f.push(Diagnostic::new(Code::ReservedId, Some(src.field("id"))).arg("value", id));
            return None;
        }
        Some(id) if is_id(&id) => id,
        Some(id) => {
            let at = if f.has("id") {
                src.field("id")
            } else {
                Location::file_only(&src.path)
            };
            f.push(Diagnostic::new(Code::BadId, Some(at)).arg("value", id));
            return None;
        }
        None => return None,
    };
    let title = f.required("title").unwrap_or_else(|| id.clone());
    let review = if doc.kind.stamped() {
        super::review::read_stamp(&mut f)
    } else {
        None
    };
    let meta = Meta {
        id,
        title,
        scope,
        body: src.body().to_string(),
        src: doc.src,
        review,
    };
    let item = match doc.kind {
        Kind::Department => {
            let head = f.text("head");
            let parent = f.text("parent");
            f.unknown(&[&ITEM[..], &["head", "parent"]].concat());
            Item::Department(Department { meta, head, parent })
        }
        Kind::Post => Item::Post(read_post(&mut f, meta, config)),
        Kind::Power => Item::Power(read_power(&mut f, meta, config)),
        Kind::Flow => Item::Flow(read_flow(&mut f, meta)),
        Kind::Risk => Item::Risk(read_risk(&mut f, meta, config)?),
        Kind::Measure => {
            let phase = f.choice("phase", &config.phases);
            let category = f.choice("category", &config.measure_categories);
            f.unknown(&[&ITEM[..], &["phase", "category"]].concat());
            Item::Measure(Measure {
                meta,
                phase,
                category,
            })
        }
        Kind::Page => {
            let weight = f.number("weight", i64::MIN, i64::MAX).unwrap_or(0);
            f.unknown(&COMMON);
            Item::Page(Page { meta, weight })
        }
        Kind::Notice => return None,
    };
    Some(item)
}

fn read_notice(f: &mut Fields, scope: usize, src: usize) -> Notice {
    let title = f.required("title").unwrap_or_default();
    let doc_no = f.text("doc_no");
    let issuer = f.text("issuer");
    let date = f.date("date");
    let period = read_period(f);
    let mut feedback = Vec::new();
    for (path, v) in f.list("feedback") {
        if let Value::Mapping(m) = v {
            let mut g = f.nested(m, path);
            let label = g.required("label");
            let value = g.required("value");
            g.unknown(&["label", "value"]);
            if let (Some(label), Some(value)) = (label, value) {
                feedback.push(Feedback { label, value });
            }
        }
    }
    f.unknown(&[
        "title", "doc_no", "issuer", "date", "period", "feedback", "scope",
    ]);
    Notice {
        title,
        doc_no,
        issuer,
        date,
        period,
        feedback,
        body: f.src().body().to_string(),
        scope,
        src: Some(src),
    }
}

fn read_period(f: &mut Fields) -> Option<Period> {
    let path = f.path("period");
    let m = f.mapping("period")?;
    let mut g = f.nested(m, path);
    let start = g.date("start");
    let end = g.date("end");
    g.unknown(&["start", "end"]);
    Some(Period {
        start: start?,
        end: end?,
    })
}

fn read_post(f: &mut Fields, meta: Meta, config: &Config) -> Post {
    let department = f.text("department");
    let level = f.choice("level", &config.post_levels);
    let key = f.bool("key");
    let high_risk = f.bool("high_risk");
    let reports_to = f.text("reports_to");
    let incompatible = f.texts("incompatible");
    let rotation_years = f.number("rotation_years", 1, 50).map(|n| n as u32);
    let mut holders = Vec::new();
    for (path, v) in f.list("holders") {
        match v {
            Value::Mapping(m) => {
                let mut g = f.nested(m, path);
                let name = g.required("name");
                let since = g.date("since");
                g.unknown(&["name", "since"]);
                if let Some(name) = name {
                    holders.push(Holder { name, since });
                }
            }
            other => {
                if let Some(name) = super::fields::scalar(other) {
                    holders.push(Holder { name, since: None });
                }
            }
        }
    }
    f.unknown(
        &[
            &ITEM[..],
            &[
                "department",
                "level",
                "key",
                "high_risk",
                "reports_to",
                "incompatible",
                "rotation_years",
                "holders",
            ],
        ]
        .concat(),
    );
    Post {
        meta,
        department,
        level,
        key,
        high_risk,
        reports_to,
        incompatible,
        rotation_years,
        holders,
    }
}

fn read_power(f: &mut Fields, meta: Meta, config: &Config) -> Power {
    let category = f.choice("category", &config.power_categories);
    let power = Power {
        meta,
        category,
        basis: f.texts("basis"),
        department: f.text("department"),
        posts: f.texts("posts"),
        time_limit: f.text("time_limit"),
        materials: f.texts("materials"),
        fee: f.text("fee"),
        flow: f.text("flow"),
    };
    f.unknown(
        &[
            &ITEM[..],
            &[
                "category",
                "basis",
                "department",
                "posts",
                "time_limit",
                "materials",
                "fee",
                "flow",
            ],
        ]
        .concat(),
    );
    power
}

fn read_flow(f: &mut Fields, meta: Meta) -> Flow {
    let power = f.text("power");
    if !f.has("steps") {
        f.missing("steps");
    }
    let items = f.list("steps");
    let mut steps = Vec::new();
    for (path, v) in &items {
        let Value::Mapping(m) = v else { continue };
        let mut g = f.nested(m, path.clone());
        let Some(id) = g.required("id") else { continue };
        let label = g.text("label").unwrap_or_else(|| id.clone());
        let kinds: Vec<String> = ["start", "step", "decision", "end"]
            .map(String::from)
            .to_vec();
        let kind = match g.choice("kind", &kinds).as_deref() {
            Some("start") => StepKind::Start,
            Some("decision") => StepKind::Decision,
            Some("end") => StepKind::End,
            _ => StepKind::Step,
        };
        let mut next = Vec::new();
        for (i, n) in g.raw_list("next").into_iter().enumerate() {
            match n {
                Value::Mapping(nm) => {
                    let mut h = g.nested(nm, format!("{path}.next.{i}"));
                    if let Some(to) = h.required("to") {
                        let label = h.text("label");
                        next.push(Next { to, label });
                    }
                    h.unknown(&["to", "label"]);
                }
                other => {
                    if let Some(to) = super::fields::scalar(other) {
                        next.push(Next { to, label: None });
                    }
                }
            }
        }
        let explicit_next = g.has("next");
        let step = Step {
            id: id.trim().to_string(),
            label,
            post: g.text("post"),
            kind,
            risks: g.texts("risks"),
            next,
            time_limit: g.text("time_limit"),
        };
        g.unknown(&["id", "label", "post", "kind", "risks", "next", "time_limit"]);
        steps.push((step, explicit_next));
    }
    // Without `next`, a step flows to the following one (an end to none).
    let ids: Vec<String> = steps.iter().map(|(s, _)| s.id.clone()).collect();
    let steps = steps
        .into_iter()
        .enumerate()
        .map(|(i, (mut s, explicit))| {
            if !explicit && s.kind != StepKind::End {
                if let Some(following) = ids.get(i + 1) {
                    s.next.push(Next {
                        to: following.clone(),
                        label: None,
                    });
                }
            }
            s
        })
        .collect();
    f.unknown(&[&ITEM[..], &["power", "steps"]].concat());
    Flow { meta, power, steps }
}

fn read_risk(f: &mut Fields, meta: Meta, config: &Config) -> Option<Risk> {
    let risk_type = f.required("type");
    let risk_type = match risk_type {
        Some(t) if config.risk_types.iter().any(|a| a == t.trim()) => Some(t.trim().to_string()),
        Some(t) => {
            f.not_allowed("type", t.trim(), &config.risk_types);
            None
        }
        None => None,
    };
    let likelihood = f.number("likelihood", 1, 5).map(|n| n as u8);
    let impact = f.number("impact", 1, 5).map(|n| n as u8);
    // A risk with a bad type or grade is kept (with the lowest grade) so
    // that references to it resolve and its other fields are still
    // checked; the error reported here stops `build`.
    let lowest = config.grades.len().saturating_sub(1);
    let mut bad_grade = false;
    let written = match f.text("grade") {
        Some(g) => match config
            .grade_index(&g)
            .or_else(|| super::fields::grade_by_position(config, &g))
        {
            Some(i) => Some(i),
            None => {
                let ordered: Vec<String> = config.grades.iter().map(|g| g.name.clone()).collect();
                f.not_a_grade(g.trim(), &config.grade_names(), &ordered);
                bad_grade = true;
                None
            }
        },
        None => None,
    };
    let from_score = match (likelihood, impact) {
        (Some(l), Some(i)) => Some(config.grade_for_score(u32::from(l) * u32::from(i))),
        _ => None,
    };
    let grade = match (written, from_score) {
        (Some(g), Some(s)) => {
            if g != s {
                let at = f.src().field("grade");
                f.push(
                    Diagnostic::new(Code::GradeScoreMismatch, Some(at))
                        .arg("grade", config.grades[g].name.clone())
                        .arg(
                            "score",
                            (u32::from(likelihood?) * u32::from(impact?)).to_string(),
                        )
                        .arg("expected", config.grades[s].name.clone()),
                );
            }
            g
        }
        (Some(g), None) => g,
        (None, Some(s)) => s,
        (None, None) => {
            if bad_grade {
                // already reported as a value outside the config's grades
            } else if !f.has("likelihood") && !f.has("impact") {
                f.missing("grade");
            } else if !f.has("likelihood") {
                f.missing("likelihood");
            } else if !f.has("impact") {
                f.missing("impact");
            }
            lowest
        }
    };
    let tier = f.choice("tier", &config.tiers);
    let department = f.text("department");
    let posts = f.texts("posts");
    let power = f.text("power");
    let owner = f
        .text("owner")
        .or_else(|| config.grades[grade].owner.clone());
    let mut measures = Vec::new();
    for (path, v) in f.list("measures") {
        match v {
            Value::Mapping(m) => {
                let mut g = f.nested(m, path);
                if g.has("ref") {
                    if let Some(id) = g.text("ref") {
                        measures.push(MeasureUse::Shared {
                            id: id.trim().to_string(),
                        });
                    }
                    g.unknown(&["ref"]);
                } else {
                    let phase = g.choice("phase", &config.phases);
                    let category = g.choice("category", &config.measure_categories);
                    let text = g.required("text");
                    g.unknown(&["phase", "category", "text", "ref"]);
                    if let Some(text) = text {
                        measures.push(MeasureUse::Inline {
                            phase,
                            category,
                            text,
                        });
                    }
                }
            }
            other => {
                if let Some(text) = super::fields::scalar(other) {
                    measures.push(MeasureUse::Inline {
                        phase: None,
                        category: None,
                        text,
                    });
                }
            }
        }
    }
    let basis = f.texts("basis");
    let reviewed = meta.review.as_ref().map(|s| s.date.clone());
    f.unknown(
        &[
            &ITEM[..],
            &[
                "type",
                "grade",
                "likelihood",
                "impact",
                "tier",
                "department",
                "posts",
                "power",
                "owner",
                "measures",
                "basis",
            ],
        ]
        .concat(),
    );
    Some(Risk {
        meta,
        risk_type: risk_type.unwrap_or_default(),
        grade,
        likelihood,
        impact,
        tier,
        department,
        posts,
        power,
        owner,
        measures,
        basis,
        reviewed,
    })
}
