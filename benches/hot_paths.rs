//! Hot paths of a build (issue #11): `cargo bench --bench hot_paths`.
//!
//! - `parse_document`: decode, front-matter split and YAML parse of one
//!   realistic risk file (benches/data/risk.md, from examples/synth.rs).
//! - `markdown`: that risk's ~800-character body to sanitised HTML.
//! - `flow_layout`: layout of a 40-step flow with 5 decisions; `flow_svg`
//!   draws it.
//! - `risk_page`: one risk page of the repository's example site (one that
//!   sits on a flow, so its page carries a flowchart): its page data
//!   (`render::Context::item`), the code `Context::pages`
//!   runs for each page.

use criterion::{criterion_group, criterion_main, Criterion};
use flowchart::{self as flow, FlowEdge, FlowGraph, FlowNode, Shape};
use gongshi::model::Kind;
use std::hint::black_box;
use std::path::Path;

const RISK: &str = include_str!("data/risk.md");

fn parse(c: &mut Criterion) {
    c.bench_function("parse_document (one risk file)", |b| {
        b.iter(|| {
            gongshi::load::parse_document("content/risks/R-00002.md", black_box(RISK.as_bytes()))
        })
    });
}

fn markdown(c: &mut Criterion) {
    let body = RISK.splitn(3, "---\n").nth(2).expect("front matter");
    let resolve = |id: &str| Some((format!("标题{id}"), format!("risks/{id}.html")));
    c.bench_function("markdown::render (800-char body)", |b| {
        b.iter(|| gongshi::render::markdown::render(black_box(body), "../", false, &resolve))
    });
}

/// 40 steps in a line; 5 of them decisions whose second exit goes back
/// three steps ("退回补正").
fn forty_steps() -> FlowGraph {
    let decisions = [6, 13, 20, 27, 34];
    let nodes = (0..40)
        .map(|i| FlowNode {
            id: format!("s{i}"),
            label: format!("第{i}步：审核申请材料并提出办理意见"),
            shape: match i {
                0 => Shape::Start,
                39 => Shape::End,
                _ if decisions.contains(&i) => Shape::Decision,
                _ => Shape::Step,
            },
            post: Some(format!("岗位{}", i % 7)),
            time_limit: (i % 4 == 0).then(|| "3个工作日".to_string()),
            marker: None,
        })
        .collect();
    let mut edges: Vec<FlowEdge> = (0..39)
        .map(|i| FlowEdge {
            from: i,
            to: i + 1,
            label: decisions.contains(&i).then(|| "同意".to_string()),
        })
        .collect();
    for d in decisions {
        edges.push(FlowEdge {
            from: d,
            to: d - 3,
            label: Some("退回补正".into()),
        });
    }
    FlowGraph {
        title: "四十步流程".into(),
        nodes,
        edges,
    }
}

fn flows(c: &mut Criterion) {
    let g = forty_steps();
    c.bench_function("flow::layout (40 steps, 5 decisions)", |b| {
        b.iter(|| flow::layout(black_box(&g)))
    });
    let l = flow::layout(&g);
    let o = flow::SvgOptions::default();
    c.bench_function("flow::render_svg (40 steps)", |b| {
        b.iter(|| flow::render_svg(black_box(&g), &l, &o))
    });
}

fn risk_page(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = gongshi::pipeline::check(root).expect("example site config");
    let cfg = &checked.site.config;
    let audience = cfg.scope_index("public").expect("public scope");
    let theme = gongshi::render::theme::Theme::load(root, &cfg.theme, cfg.lang()).expect("theme");
    let site = gongshi::scope::filter(&checked.site, audience);
    let history = gongshi::history::History::default();
    let ctx = gongshi::render::Context::new(root, site, &history, theme.into(), false);
    let site = ctx.site();
    let i = (0..site.risks.len())
        .find(|&i| {
            ctx.extra()
                .risk_flow_svgs
                .contains_key(&site.risks[i].meta.id)
        })
        .unwrap_or(0);
    let render = || {
        let page = ctx.item(Kind::Risk, i).expect("risk job");
        page.expect("render").bytes
    };
    let html = String::from_utf8(render()).expect("UTF-8");
    assert!(
        html.contains("<svg"),
        "the benchmarked risk page has a flowchart"
    );
    c.bench_function("one risk page (Context::item)", |b| b.iter(render));
}

criterion_group!(benches, parse, markdown, flows, risk_page);
criterion_main!(benches);
