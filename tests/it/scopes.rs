//! 公示范围: the public build never contains anything approved only for
//! internal disclosure — in any file, whatever kind of output it is.

use crate::poppler;

use gongshi::build::{build, Options};
use proptest::prelude::*;
use std::path::Path;

const CONFIG: &str = "title: 范围测试\nunit: 测试局\nversion: \"2025\"\n";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A site where every internal thing carries a unique canary (`CANARY…`).
fn canary_site(root: &Path) -> Vec<&'static str> {
    write(root, "gongshi.yaml", CONFIG);
    write(
        root,
        "content/_index.md",
        "---\ntitle: 公示\nscope: public\n---\n公开正文。\n<!-- scope: internal -->\n内部说明CANARYn01\n<!-- /scope -->\n",
    );
    write(
        root,
        "content/departments/D-1.md",
        "---\ntitle: 公开科\nscope: public\nhead: P-1\n---\n",
    );
    write(
        root,
        "content/departments/D-9.md",
        "---\ntitle: 内部科CANARYd01\n---\n内部科室CANARYd02\n",
    );
    write(
        root,
        "content/posts/P-1.md",
        "---\ntitle: 审批员\nscope: public\ndepartment: D-1\nholders:\n  - {name: 持岗人CANARYh01, since: 2025-01-01}\n---\n职责。\n",
    );
    write(
        root,
        "content/posts/P-9.md",
        "---\ntitle: 内部岗CANARYp01\ndepartment: D-9\n---\n内部岗位职责CANARYp02\n",
    );
    write(
        root,
        "content/powers/QL-1.md",
        "---\ntitle: 公开职权\nscope: public\ncategory: 行政许可\ndepartment: D-1\nposts: [P-1, P-9]\nflow: F-1\n---\n",
    );
    write(
        root,
        "content/powers/QL-9.md",
        "---\ntitle: 内部职权CANARYq01\ncategory: 内部管理\nbasis: [内部依据CANARYq02]\n---\n",
    );
    write(
        root,
        "content/flows/F-1.md",
        "---\ntitle: 公开流程\nscope: public\npower: QL-1\nsteps:\n  - {id: a, label: 受理, kind: start}\n  - {id: b, label: 审查, post: P-1, risks: [R-1, CANARY-R9]}\n  - {id: c, label: 办结, kind: end}\n---\n",
    );
    write(
        root,
        "content/flows/F-9.md",
        "---\ntitle: 内部流程CANARYf01\nsteps:\n  - {id: a, label: 内部步骤CANARYf02, kind: start}\n  - {id: b, label: 结束, kind: end}\n---\n",
    );
    write(
        root,
        "content/risks/R-1.md",
        "---\ntitle: 公开风险\nscope: public\ntype: 业务流程\ngrade: 三级\ndepartment: D-1\nposts: [P-1, P-9]\npower: QL-1\nmeasures:\n  - {phase: 前期预防, category: 制度, text: 公开措施}\n  - {ref: M-9}\n---\n公开表现，见[[CANARY-R9]]。\n<!-- scope: internal -->\n内部掌握CANARYb01\n<!-- /scope -->\n",
    );
    write(
        root,
        "content/risks/CANARY-R9.md",
        "---\ntitle: 内部风险CANARYr01\ntype: 思想道德\ngrade: 一级\nowner: 责任人CANARYr02\ndepartment: D-9\nposts: [P-9]\nmeasures:\n  - {phase: 后期处置, category: 监督, text: 内部措施CANARYr03}\nbasis: [内部制度CANARYr04]\n---\n内部表现CANARYr05\n",
    );
    write(root, "content/measures/M-9.md", "---\ntitle: 内部共用措施CANARYm01\nphase: 中期监控\ncategory: 监督\n---\n内部措施正文CANARYm02\n");
    write(
        root,
        "content/pages/about.md",
        "---\ntitle: 公开说明\nscope: public\n---\n说明。\n",
    );
    write(
        root,
        "content/pages/secret.md",
        "---\ntitle: 内部页面CANARYg01\n---\n内部页面正文CANARYg02\n",
    );
    vec![
        "CANARYn01",
        "CANARYd01",
        "CANARYd02",
        "CANARYh01",
        "CANARYp01",
        "CANARYp02",
        "CANARYq01",
        "CANARYq02",
        "CANARYf01",
        "CANARYf02",
        "CANARYb01",
        "CANARY-R9",
        "CANARYr01",
        "CANARYr02",
        "CANARYr03",
        "CANARYr04",
        "CANARYr05",
        "CANARYm01",
        "CANARYm02",
        "CANARYg01",
        "CANARYg02",
    ]
}

/// The searchable text of every file below `dir`. Formats that hide text
/// (zip containers, PDF) must be opened here before they can ship.
fn texts(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !e.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(e.path()).unwrap();
        let name = e.path().display().to_string();
        if bytes.starts_with(b"PK\x03\x04") {
            out.extend(zip_parts(&name, &bytes));
            continue;
        }
        if bytes.starts_with(b"%PDF") {
            // Outside CI without poppler-utils this file is skipped (noted).
            if poppler::require(&format!("scopes: reading {name}"), &["pdftotext"]) {
                out.push((name, poppler::text(e.path(), None, false)));
            }
            continue;
        }
        out.push((name, String::from_utf8_lossy(&bytes).into_owned()));
    }
    out
}

/// Every part of a zip container (xlsx: shared strings, sheets, document
/// properties) as text; a part that is not text fails the test, since
/// nothing would search it.
fn zip_parts(name: &str, bytes: &[u8]) -> Vec<(String, String)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("{name}: not a readable zip: {e}"));
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let part_name = format!("{name}#{}", part.name().unwrap_or_default());
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        let text = String::from_utf8(data)
            .unwrap_or_else(|_| panic!("{part_name}: not text: teach this test to open it"));
        out.push((part_name, text));
    }
    assert!(!out.is_empty(), "{name}: an empty container");
    out
}

fn build_scope(root: &Path, scope: &str) -> tempfile::TempDir {
    build_scope_with(root, scope, false)
}

/// `pdf`: print the booklet too (when a browser is found).
fn build_scope_with(root: &Path, scope: &str, pdf: bool) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let opts = Options {
        scope: Some(scope.to_string()),
        out: Some(out.path().to_path_buf()),
        pdf,
        ..Default::default()
    };
    build(root, &opts).unwrap_or_else(|e| panic!("build failed: {e:?}"));
    out
}

#[test]
fn public_build_has_no_canary_and_internal_has_all() {
    let site = tempfile::tempdir().unwrap();
    let canaries = canary_site(site.path());
    let public = build_scope_with(site.path(), "public", true);
    let files = texts(public.path());
    if poppler::chromium() && poppler::on_path("pdftotext") {
        assert!(
            files.iter().any(|f| f.0.ends_with("booklet.pdf")),
            "PDF not read"
        );
    }
    assert!(files.len() > 10);
    for (name, text) in &files {
        for c in &canaries {
            assert!(!text.contains(c), "{c} leaked into {name}");
        }
    }
    let internal = build_scope_with(site.path(), "internal", true);
    let internal_files = texts(internal.path());
    let all: String = internal_files.iter().map(|(_, t)| t.as_str()).collect();
    for c in &canaries {
        assert!(all.contains(c), "{c} missing from the internal build");
    }
    // the workbook is searched part by part, and would show a leak
    let workbook: String = internal_files
        .iter()
        .filter(|(n, _)| n.contains("register.xlsx#"))
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(workbook.contains("CANARYr01") && workbook.contains("CANARYh01"));
    assert!(files.iter().any(|(n, _)| n.contains("register.xlsx#xl/")));
}

#[test]
fn public_counts_and_flows_show_only_public_risks() {
    let site = tempfile::tempdir().unwrap();
    canary_site(site.path());
    let public = build_scope(site.path(), "public");
    let v = public.path().join("public/2025");
    let register = std::fs::read_to_string(v.join("risks/index.html")).unwrap();
    assert_eq!(
        register.matches("<tr data-grade=").count(),
        1,
        "register rows"
    );
    let flow = std::fs::read_to_string(v.join("flows/F-1.html")).unwrap();
    assert!(flow.contains("审查") && flow.contains("R-1"));
    // the internal risk was 一级: its grade must not colour the public flow
    assert!(
        !flow.contains("一级</span>"),
        "internal risk's grade shows on the public flow"
    );
    let home = std::fs::read_to_string(v.join("index.html")).unwrap();
    assert!(!home.contains(">2<"), "home page counts the internal risk");
    let checked = gongshi::pipeline::check(site.path()).unwrap();
    let inversions = checked
        .diags
        .iter()
        .filter(|d| d.code.as_str() == "W108")
        .count();
    assert!(
        inversions >= 4,
        "scope inversions not all reported: {inversions}"
    );
}

/// One random item: its kind folder, id, scope and the references it makes.
fn random_site(root: &Path, seed: &[(u8, u8, u8)]) {
    write(root, "gongshi.yaml", CONFIG);
    write(
        root,
        "content/_index.md",
        "---\ntitle: 公示\nscope: public\n---\n正文\n",
    );
    let n = seed.len();
    let scope_of = |i: usize| seed[i % n].0.is_multiple_of(2);
    let tag = |i: usize, public: bool| {
        if public {
            format!("pub{i}")
        } else {
            format!("CANARY{i}x")
        }
    };
    for (i, &(s, r1, r2)) in seed.iter().enumerate() {
        let public = s % 2 == 0;
        let scope = if public { "scope: public\n" } else { "" };
        let t = tag(i, public);
        let (a, b) = (r1 as usize % n, r2 as usize % n);
        let block = if s % 3 == 0 {
            "\n<!-- scope: internal -->\n内CANARYblk\n<!-- /scope -->\n"
        } else {
            ""
        };
        write(
            root,
            &format!("content/posts/P{i}.md"),
            &format!("---\ntitle: 岗{t}\n{scope}holders:\n  - {{name: 人CANARYh{i}}}\n---\n岗位{t}{block}\n"),
        );
        write(
            root,
            &format!("content/risks/R{i}.md"),
            &format!(
                "---\ntitle: 险{t}\n{scope}type: 业务流程\ngrade: {}\nposts: [P{a}, P{b}]\nmeasures:\n  - {{phase: 前期预防, category: 教育, text: 措施{t}}}\n---\n表现{t} 见[[R{a}]]{block}\n",
                ["一级", "二级", "三级"][(r1 % 3) as usize]
            ),
        );
        let public_flow = scope_of(a);
        let fscope = if public_flow { "scope: public\n" } else { "" };
        write(
            root,
            &format!("content/flows/F{i}.md"),
            &format!(
                "---\ntitle: 流{}\n{fscope}steps:\n  - {{id: s, label: 始, kind: start}}\n  - {{id: m, label: 中, risks: [R{a}, R{b}], post: P{b}}}\n  - {{id: e, label: 终, kind: end}}\n---\n",
                tag(a, public_flow)
            ),
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn random_sites_never_leak(seed in proptest::collection::vec((0u8..6, 0u8..40, 0u8..40), 1..7)) {
        let site = tempfile::tempdir().unwrap();
        random_site(site.path(), &seed);
        let public = build_scope(site.path(), "public");
        for (name, text) in texts(public.path()) {
            prop_assert!(!text.contains("CANARY"), "leak in {}", name);
        }
    }
}

/// Every string of an item's data (its own id aside) that is the id of an
/// item of `ids`, as (item, field path, id); `[[ID]]` links in text too,
/// as (item, "[[…]]", id). Shared measures' `id` is written `ref`.
fn named_ids(
    site: &gongshi::model::Site,
    ids: &std::collections::BTreeSet<String>,
) -> std::collections::BTreeSet<(String, String, String)> {
    use serde_json::Value;
    fn walk(
        v: &Value,
        path: &str,
        me: &str,
        ids: &std::collections::BTreeSet<String>,
        out: &mut std::collections::BTreeSet<(String, String, String)>,
    ) {
        match v {
            Value::String(s) => {
                if ids.contains(s) {
                    let path = match path.strip_suffix(".id") {
                        Some(m) if m.starts_with("measures.") => format!("{m}.ref"),
                        _ => path.to_string(),
                    };
                    out.insert((me.into(), path, s.clone()));
                }
                for l in gongshi::model::body::wiki_links(s) {
                    if ids.contains(&l.id) {
                        out.insert((me.into(), "[[…]]".into(), l.id));
                    }
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{path}.{i}"), me, ids, out);
                }
            }
            Value::Object(o) => {
                for (k, x) in o.iter().filter(|(k, _)| path.contains('.') || *k != "id") {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(x, &p, me, ids, out);
                }
            }
            _ => {}
        }
    }
    let lists = [
        serde_json::to_value(&site.departments),
        serde_json::to_value(&site.posts),
        serde_json::to_value(&site.powers),
        serde_json::to_value(&site.flows),
        serde_json::to_value(&site.risks),
        serde_json::to_value(&site.measures),
        serde_json::to_value(&site.pages),
    ];
    let mut out = std::collections::BTreeSet::new();
    for list in lists {
        for item in list.unwrap().as_array().unwrap() {
            let me = item["id"].as_str().unwrap();
            // the top level's own `id` is skipped by the walk (path "")
            walk(item, "", me, ids, &mut out);
        }
    }
    out
}

/// The reference visitor (model/refs.rs) finds every reference of the
/// example site: any field holding an item's id is one. With every id
/// renamed, check calls each dangling at its own field, and the filter
/// leaves not one of them (nor an `[[ID]]` link to one) in any item.
#[test]
fn every_reference_of_the_example_site_is_visited_checked_and_filtered() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = gongshi::pipeline::check(root).expect("example config").site;
    let ids: std::collections::BTreeSet<String> = site
        .metas()
        .into_iter()
        .map(|(_, m)| m.id.clone())
        .collect();
    let mut visited = std::collections::BTreeSet::new();
    site.refs(|from, field, id| {
        visited.insert((from.id.clone(), field.to_string(), id.to_string()));
    });
    let found: std::collections::BTreeSet<_> = named_ids(&site, &ids)
        .into_iter()
        .filter(|(_, path, _)| path != "[[…]]")
        .collect();
    assert!(found.len() > 30, "the example site cites items: {found:?}");
    let missed: Vec<_> = found.difference(&visited).collect();
    let invented: Vec<_> = visited.difference(&found).collect();
    assert!(
        missed.is_empty(),
        "fields naming an item that model/refs.rs misses: {missed:?}"
    );
    assert!(
        invented.is_empty(),
        "references that name no item: {invented:?}"
    );

    // every item renamed: each reference now names nothing
    let mut broken = site.clone();
    let rename = |m: &mut gongshi::model::Meta| m.id = format!("{}-改", m.id);
    broken
        .departments
        .iter_mut()
        .for_each(|x| rename(&mut x.meta));
    broken.posts.iter_mut().for_each(|x| rename(&mut x.meta));
    broken.powers.iter_mut().for_each(|x| rename(&mut x.meta));
    broken.flows.iter_mut().for_each(|x| rename(&mut x.meta));
    broken.risks.iter_mut().for_each(|x| rename(&mut x.meta));
    broken.measures.iter_mut().for_each(|x| rename(&mut x.meta));
    broken.pages.iter_mut().for_each(|x| rename(&mut x.meta));
    let mut expected = std::collections::BTreeSet::new();
    broken.refs(|from, field, _| {
        let at = broken.sources[from.src].field(&field.to_string());
        expected.insert((at.file, at.line, at.column));
    });
    let reported: std::collections::BTreeSet<_> = gongshi::check::run(&broken)
        .into_iter()
        .filter(|d| d.code == gongshi::diag::Code::DanglingRef)
        .filter_map(|d| d.at.map(|at| (at.file, at.line, at.column)))
        .collect();
    assert_eq!(expected.len(), visited.len(), "one place per reference");
    assert_eq!(
        reported, expected,
        "a dangling reference check does not report"
    );
    let before = named_ids(&broken, &ids);
    assert!(before.len() > found.len(), "links in text are counted too");
    for audience in 0..broken.config.scopes.len() {
        let seen = gongshi::scope::filter(&broken, audience);
        let left = named_ids(&seen, &ids);
        assert!(
            left.is_empty(),
            "references to no item kept for audience {audience}: {left:?}"
        );
    }
}
