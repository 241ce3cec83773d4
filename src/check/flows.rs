//! Flow structure: duplicate step ids, `next` naming no step, steps that
//! cannot be reached from the start or never reach an end.

use crate::diag::{Code, Diagnostic};
use crate::model::{Flow, Site, StepKind};
use std::collections::BTreeMap;

pub fn check(site: &Site, out: &mut Vec<Diagnostic>) {
    for f in &site.flows {
        one(site, f, out);
    }
}

fn one(site: &Site, f: &Flow, out: &mut Vec<Diagnostic>) {
    let src = &site.sources[f.meta.src];
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, s) in f.steps.iter().enumerate() {
        if index.insert(s.id.as_str(), i).is_some() {
            out.push(
                Diagnostic::new(
                    Code::DuplicateStep,
                    Some(src.field(&format!("steps.{i}.id"))),
                )
                .arg("id", s.id.clone()),
            );
        }
    }
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); f.steps.len()];
    for (i, s) in f.steps.iter().enumerate() {
        for (j, n) in s.next.iter().enumerate() {
            match index.get(n.to.as_str()) {
                Some(&t) => edges[i].push(t),
                None => {
                    // `{to: S9, label: …}` is marked at its `to`, a bare id at itself.
                    let mut path = format!("steps.{i}.next.{j}");
                    if src.spans.get(&format!("{path}.to")).is_some() {
                        path.push_str(".to");
                    }
                    out.push(
                        Diagnostic::new(Code::UnknownNextStep, Some(src.field(&path)))
                            .arg("id", n.to.clone())
                            .arg(
                                "steps",
                                f.steps
                                    .iter()
                                    .map(|s| s.id.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            ),
                    );
                }
            }
        }
    }
    if f.steps.is_empty() {
        return;
    }
    let mut starts: Vec<usize> = f
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == StepKind::Start)
        .map(|(i, _)| i)
        .collect();
    if starts.is_empty() {
        starts.push(0);
    }
    let reached = reach(&starts, &edges);
    let ends: Vec<usize> = (0..f.steps.len())
        .filter(|&i| f.steps[i].kind == StepKind::End || edges[i].is_empty())
        .collect();
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); f.steps.len()];
    for (i, e) in edges.iter().enumerate() {
        for &t in e {
            reverse[t].push(i);
        }
    }
    let to_end = reach(&ends, &reverse);
    for (i, s) in f.steps.iter().enumerate() {
        let at = Some(src.field(&format!("steps.{i}.id")));
        if !reached[i] {
            out.push(Diagnostic::new(Code::StepUnreachable, at).arg("id", s.id.clone()));
        } else if !to_end[i] {
            out.push(Diagnostic::new(Code::StepNoEnd, at).arg("id", s.id.clone()));
        }
    }
}

fn reach(from: &[usize], edges: &[Vec<usize>]) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut stack: Vec<usize> = from.to_vec();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        stack.extend(edges[i].iter().copied().filter(|&t| !seen[t]));
    }
    seen
}
