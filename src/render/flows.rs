//! Flowcharts of an audience's site: the model's flows turned into
//! [`flowchart::FlowGraph`]s, laid out once and drawn as SVG — for the flow's
//! own page, its power's page, and each marked risk's page (with the
//! risk's step highlighted).

use super::page_data::RiskFlow;
use super::view::href;
use crate::i18n::tr;
use crate::model::{Flow, Kind, Site, StepKind};
use flowchart::{FlowEdge, FlowGraph, FlowNode, RiskLink, RiskMarker, Shape, SvgOptions};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The graph of one flow; step risks are shown with their highest grade.
pub fn graph(site: &Site, f: &Flow) -> FlowGraph {
    let index: BTreeMap<&str, usize> = f
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let nodes = f
        .steps
        .iter()
        .map(|s| {
            let risks: Vec<_> = s.risks.iter().filter_map(|id| site.risk(id)).collect();
            let marker = risks.iter().map(|r| r.grade).min().map(|top| {
                let g = &site.config.grades[top];
                RiskMarker {
                    grade: g.name.clone(),
                    color: g.color.clone(),
                    risks: risks
                        .iter()
                        .map(|r| RiskLink {
                            id: r.meta.id.clone(),
                            title: r.meta.title.clone(),
                            href: format!("../{}", href(Kind::Risk, &r.meta.id)),
                        })
                        .collect(),
                }
            });
            FlowNode {
                id: s.id.clone(),
                label: s.label.clone(),
                shape: match s.kind {
                    StepKind::Start => Shape::Start,
                    StepKind::Step => Shape::Step,
                    StepKind::Decision => Shape::Decision,
                    StepKind::End => Shape::End,
                },
                post: s
                    .post
                    .as_deref()
                    .and_then(|p| site.post(p))
                    .map(|p| p.meta.title.clone()),
                time_limit: s.time_limit.clone(),
                marker,
            }
        })
        .collect();
    let edges = f
        .steps
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            let index = &index;
            s.next.iter().filter_map(move |n| {
                Some(FlowEdge {
                    from: i,
                    to: *index.get(n.to.as_str())?,
                    label: n.label.clone(),
                })
            })
        })
        .collect();
    FlowGraph {
        title: f.meta.title.clone(),
        nodes,
        edges,
    }
}

/// Every flow's SVG by flow id, and for each risk the flows it sits in,
/// drawn with its step highlighted. Flows are laid out and drawn in
/// parallel; each risk's list keeps the flows' order.
pub fn draw_all(site: &Site) -> (BTreeMap<String, String>, BTreeMap<String, Vec<RiskFlow>>) {
    let risk_label = tr(site.config.lang(), "ui.kind_risk", &[]);
    let drawn: Vec<(String, Vec<(String, RiskFlow)>)> = site
        .flows
        .par_iter()
        .map(|f| {
            let g = graph(site, f);
            let layout = flowchart::layout(&g);
            let opts = SvgOptions {
                highlight: None,
                id_prefix: "fc-".into(),
                risk_label: risk_label.clone(),
            };
            let svg = flowchart::render_svg(&g, &layout, &opts);
            let mut marked = Vec::new();
            for (i, s) in f.steps.iter().enumerate() {
                for r in &s.risks {
                    let opts = SvgOptions {
                        highlight: Some(i),
                        id_prefix: format!("fc-{}-{}-", f.meta.id, s.id),
                        risk_label: risk_label.clone(),
                    };
                    let svg = flowchart::render_svg(&g, &layout, &opts);
                    marked.push((
                        r.clone(),
                        RiskFlow {
                            flow: f.meta.id.clone(),
                            title: f.meta.title.clone(),
                            step: s.id.clone(),
                            label: s.label.clone(),
                            svg,
                        },
                    ));
                }
            }
            (svg, marked)
        })
        .collect();
    let mut svgs = BTreeMap::new();
    let mut per_risk: BTreeMap<String, Vec<RiskFlow>> = BTreeMap::new();
    for (f, (svg, marked)) in site.flows.iter().zip(drawn) {
        svgs.insert(f.meta.id.clone(), svg);
        for (risk, drawing) in marked {
            per_risk.entry(risk).or_default().push(drawing);
        }
    }
    (svgs, per_risk)
}
