//! Back-links: who cites whom, computed from the items' own references.

use super::{MeasureUse, Site};
use serde::Serialize;
use std::collections::BTreeMap;

/// A step of a flow, named by ids.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct StepRef {
    pub flow: String,
    pub step: String,
}

/// Every back-link of the site. Lists are sorted and free of repeats.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Links {
    /// risk → the flow steps that mark it.
    pub risk_steps: BTreeMap<String, Vec<StepRef>>,
    /// risk → powers it belongs to (its `power`, or a power whose flow marks it).
    pub risk_powers: BTreeMap<String, Vec<String>>,
    /// power → its risks (both ways above).
    pub power_risks: BTreeMap<String, Vec<String>>,
    /// power → its flow (its `flow`, or a flow naming it as `power`).
    pub power_flow: BTreeMap<String, String>,
    /// post → risks naming it in `posts` or marked on a step it runs.
    pub post_risks: BTreeMap<String, Vec<String>>,
    /// post → powers naming it.
    pub post_powers: BTreeMap<String, Vec<String>>,
    /// department → its posts, powers and risks.
    pub department_posts: BTreeMap<String, Vec<String>>,
    pub department_powers: BTreeMap<String, Vec<String>>,
    pub department_risks: BTreeMap<String, Vec<String>>,
    /// department → sub-departments.
    pub department_children: BTreeMap<String, Vec<String>>,
    /// shared measure → risks citing it.
    pub measure_risks: BTreeMap<String, Vec<String>>,
}

/// The ids a back-link map holds for `id` (none when it has no entry).
pub fn ids<'a>(map: &'a BTreeMap<String, Vec<String>>, id: &str) -> &'a [String] {
    map.get(id).map_or(&[], Vec::as_slice)
}

fn add(map: &mut BTreeMap<String, Vec<String>>, key: &str, value: &str) {
    map.entry(key.to_string())
        .or_default()
        .push(value.to_string());
}

fn tidy<T: Ord>(map: &mut BTreeMap<String, Vec<T>>) {
    for v in map.values_mut() {
        v.sort();
        v.dedup();
    }
}

impl Links {
    /// Computes every back-link from the site's items.
    pub fn compute(site: &Site) -> Links {
        let mut l = Links::default();
        for p in &site.powers {
            if let Some(f) = &p.flow {
                l.power_flow.insert(p.meta.id.clone(), f.clone());
            }
            if let Some(d) = &p.department {
                add(&mut l.department_powers, d, &p.meta.id);
            }
            for post in &p.posts {
                add(&mut l.post_powers, post, &p.meta.id);
            }
        }
        for f in &site.flows {
            if let Some(p) = &f.power {
                l.power_flow
                    .entry(p.clone())
                    .or_insert_with(|| f.meta.id.clone());
            }
        }
        let flow_power: BTreeMap<&str, &str> = l
            .power_flow
            .iter()
            .map(|(p, f)| (f.as_str(), p.as_str()))
            .collect();
        for f in &site.flows {
            for s in &f.steps {
                for r in &s.risks {
                    l.risk_steps.entry(r.clone()).or_default().push(StepRef {
                        flow: f.meta.id.clone(),
                        step: s.id.clone(),
                    });
                    if let Some(p) = flow_power.get(f.meta.id.as_str()) {
                        add(&mut l.risk_powers, r, p);
                        add(&mut l.power_risks, p, r);
                    }
                    if let Some(post) = &s.post {
                        add(&mut l.post_risks, post, r);
                    }
                }
            }
        }
        for r in &site.risks {
            let id = &r.meta.id;
            if let Some(p) = &r.power {
                add(&mut l.risk_powers, id, p);
                add(&mut l.power_risks, p, id);
            }
            for post in &r.posts {
                add(&mut l.post_risks, post, id);
            }
            if let Some(d) = &r.department {
                add(&mut l.department_risks, d, id);
            }
            for m in &r.measures {
                if let MeasureUse::Shared { id: m } = m {
                    add(&mut l.measure_risks, m, id);
                }
            }
        }
        for p in &site.posts {
            if let Some(d) = &p.department {
                add(&mut l.department_posts, d, &p.meta.id);
            }
        }
        for d in &site.departments {
            if let Some(parent) = &d.parent {
                add(&mut l.department_children, parent, &d.meta.id);
            }
        }
        for m in [
            &mut l.risk_powers,
            &mut l.power_risks,
            &mut l.post_risks,
            &mut l.post_powers,
            &mut l.department_posts,
            &mut l.department_powers,
            &mut l.department_risks,
            &mut l.department_children,
            &mut l.measure_risks,
        ] {
            tidy(m);
        }
        tidy(&mut l.risk_steps);
        l
    }
}
