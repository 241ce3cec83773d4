//! Back-links: who cites whom, computed from the items' own references.

use super::{Field, Site};
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
    /// Computes every back-link from the site's references
    /// ([`Site::refs`]). The `match` names every reference field, so a new
    /// one does not compile until it says which back-link it makes.
    pub fn compute(site: &Site) -> Links {
        let mut l = Links::default();
        let mut step_risks: Vec<(&str, usize, &str)> = Vec::new();
        site.refs(|from, field, id| {
            let me = from.id.as_str();
            match field {
                Field::DepartmentHead | Field::PostReportsTo | Field::PostIncompatible(_) => {}
                Field::DepartmentParent => add(&mut l.department_children, id, me),
                Field::PostDepartment => add(&mut l.department_posts, id, me),
                Field::PowerDepartment => add(&mut l.department_powers, id, me),
                Field::PowerPost(_) => add(&mut l.post_powers, id, me),
                // powers come before flows: a power's own `flow` wins
                Field::PowerFlow => {
                    l.power_flow.insert(me.to_string(), id.to_string());
                }
                Field::FlowPower => {
                    l.power_flow
                        .entry(id.to_string())
                        .or_insert_with(|| me.to_string());
                }
                // a step's post is linked to the step's risks, below
                Field::StepPost(_) => {}
                Field::StepRisk(step, _) => step_risks.push((me, step, id)),
                Field::RiskDepartment => add(&mut l.department_risks, id, me),
                Field::RiskPost(_) => add(&mut l.post_risks, id, me),
                Field::RiskPower => {
                    add(&mut l.risk_powers, me, id);
                    add(&mut l.power_risks, id, me);
                }
                Field::RiskMeasure(_) => add(&mut l.measure_risks, id, me),
            }
        });
        // once every power knows its flow
        let flow_power: BTreeMap<&str, &str> = l
            .power_flow
            .iter()
            .map(|(p, f)| (f.as_str(), p.as_str()))
            .collect();
        for (flow, step, r) in step_risks {
            let s = &site
                .flow(flow)
                .expect("a flow making a reference is in the site")
                .steps[step];
            l.risk_steps
                .entry(r.to_string())
                .or_default()
                .push(StepRef {
                    flow: flow.to_string(),
                    step: s.id.clone(),
                });
            if let Some(p) = flow_power.get(flow) {
                add(&mut l.risk_powers, r, p);
                add(&mut l.power_risks, p, r);
            }
            if let Some(post) = &s.post {
                add(&mut l.post_risks, post, r);
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
