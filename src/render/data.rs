//! `data.json`: the audience's model as data (SPEC §5) — every kind as an
//! array of items with their fields normalised, grades by canonical name.

use super::Rendered;
use crate::model::Site;
use serde_json::{json, Value};

/// The `data.json` document of one audience's filtered site.
pub fn document(site: &Site, audience: usize) -> Value {
    let cfg = &site.config;
    let risks: Vec<Value> = site
        .risks
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
            v["grade"] = json!(cfg.grades[r.grade].name);
            v
        })
        .collect();
    json!({
        "version": cfg.version,
        "scope": cfg.scopes[audience].name,
        "grades": cfg.grades.iter().map(|g| &g.name).collect::<Vec<_>>(),
        "notice": site.notice,
        "departments": site.departments,
        "posts": site.posts,
        "powers": site.powers,
        "flows": site.flows,
        "risks": risks,
        "measures": site.measures,
        "pages": site.pages,
    })
}

pub fn render(site: &Site, audience: usize) -> Rendered {
    let text = serde_json::to_string_pretty(&document(site, audience)).unwrap_or_default();
    Rendered {
        path: "data.json".into(),
        bytes: text.into_bytes(),
    }
}

/// Per-grade risk counts from a `data.json` text, by the config's grades
/// (a grade name the config no longer has is not counted).
pub fn grade_counts(site: &Site, data: &str) -> Option<(String, Vec<u32>)> {
    let v: Value = serde_json::from_str(data).ok()?;
    let version = v.get("version")?.as_str()?.to_string();
    let mut counts = vec![0u32; site.config.grades.len()];
    for r in v.get("risks")?.as_array()? {
        if let Some(i) = r
            .get("grade")
            .and_then(Value::as_str)
            .and_then(|g| site.config.grade_index(g))
        {
            counts[i] += 1;
        }
    }
    Some((version, counts))
}
