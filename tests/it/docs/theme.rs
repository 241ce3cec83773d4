//! `themes/default/README.md` lists what each template receives; these
//! tests serialise the contexts gongshi gives the templates (for the
//! example site's internal audience, which sees everything) and compare
//! their keys with the README's lists: the top level, and one level down
//! where the README spells a variable's fields out (`{a, b}`).

use gongshi::render::page_data::{PageContext, PageData, SearchPage, VersionsPage};
use gongshi::render::{self, booklet, data::VersionSummary, pages, theme::Theme};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A variable as the README documents it: its fields, when listed.
type Documented = BTreeMap<String, Option<BTreeSet<String>>>;

/// `name` or `name[]`: a variable of the template.
fn variable(span: &str) -> Option<String> {
    let name = span.strip_suffix("[]").unwrap_or(span);
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    ok.then(|| name.to_string())
}

/// The names of `{a, b (note), c[] {x, y}}` at its first level.
fn fields(braces: &str) -> BTreeSet<String> {
    let inner = &braces[1..braces.len() - 1];
    let (mut depth, mut piece, mut out) = (0, String::new(), BTreeSet::new());
    for c in inner.chars().chain([',']) {
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' => depth -= 1,
            ',' if depth == 0 => {
                let name: String = piece
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                out.insert(name);
                piece.clear();
                continue;
            }
            _ => {}
        }
        if depth == 0 {
            piece.push(c);
        }
    }
    out
}

/// The variables of one cell: every backticked `name`/`name[]`, with
/// the backticked `{…}` right after it as its fields. Other backticked
/// text (paths, filters) and plain text are remarks.
fn cell(text: &str) -> Documented {
    let mut out = Documented::new();
    let mut last: Option<String> = None;
    for (i, span) in text.split('`').enumerate() {
        if i % 2 == 0 {
            continue;
        }
        if span.starts_with('{') && span.ends_with('}') {
            if let Some(name) = &last {
                out.insert(name.clone(), Some(fields(span)));
            }
        } else if let Some(name) = variable(span) {
            out.entry(name.clone()).or_insert(None);
            last = Some(name);
        }
    }
    out
}

/// The rows of the table below `heading`: first cell → second cell.
fn table(readme: &str, heading: &str) -> Vec<(String, String)> {
    let at = readme.find(heading).expect("README heading");
    readme[at..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            let l = l.replace("\\|", "¦");
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[1].to_string(), cells[2].to_string())
        })
        .collect()
}

/// What every page gets, from the README's first table: `site.title` is
/// `site` with the field `title`.
fn documented_common(readme: &str) -> Documented {
    let mut out = Documented::new();
    for (names, _) in table(readme, "## Variables every page gets") {
        for (i, span) in names.split('`').enumerate() {
            if i % 2 == 0 {
                continue;
            }
            let mut path = span.split('.');
            let top = variable(path.next().unwrap_or_default()).expect("a variable");
            let entry = out.entry(top).or_insert(None);
            if let Some(field) = path.next().and_then(variable) {
                entry.get_or_insert_with(BTreeSet::new).insert(field);
            }
        }
    }
    out
}

/// Keys of `value` one level down: an object's, or those of every
/// object in an array; `None` when there is no object to look into.
fn keys_below(values: &[&Value]) -> Option<BTreeSet<String>> {
    let mut out: Option<BTreeSet<String>> = None;
    let mut add = |m: &Map<String, Value>| {
        out.get_or_insert_with(BTreeSet::new)
            .extend(m.keys().cloned())
    };
    for v in values {
        match v {
            Value::Object(m) => add(m),
            Value::Array(list) => list.iter().filter_map(Value::as_object).for_each(&mut add),
            _ => {}
        }
    }
    out
}

/// Differences between what `samples` (contexts of `template`) hold and
/// what the README documents.
fn compare(template: &str, documented: &Documented, samples: &[Value]) -> Vec<String> {
    let mut problems = Vec::new();
    let maps: Vec<&Map<String, Value>> = samples.iter().filter_map(Value::as_object).collect();
    assert!(!maps.is_empty(), "{template}: no sample context");
    let actual: BTreeSet<&String> = maps.iter().flat_map(|m| m.keys()).collect();
    for k in &actual {
        if !documented.contains_key(*k) {
            problems.push(format!("{template}: `{k}` is not in the README"));
        }
    }
    for (k, fields) in documented {
        if !actual.contains(k) {
            problems.push(format!(
                "{template}: the README lists `{k}`, which it does not get"
            ));
            continue;
        }
        let Some(fields) = fields else { continue };
        let values: Vec<&Value> = maps.iter().filter_map(|m| m.get(k)).collect();
        match keys_below(&values) {
            None => problems.push(format!(
                "{template}: `{k}` has no sample in the example site to check its fields"
            )),
            Some(keys) if &keys != fields => problems.push(format!(
                "{template}: `{k}` has {{{}}}, the README says {{{}}}",
                keys.into_iter().collect::<Vec<_>>().join(", "),
                fields.iter().cloned().collect::<Vec<_>>().join(", ")
            )),
            Some(_) => {}
        }
    }
    problems
}

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("a context serialises")
}

/// Every template's own data for the example site, by template.
fn samples() -> (Value, BTreeMap<String, Vec<Value>>) {
    let root = super::root();
    let checked = gongshi::pipeline::check(&root).expect("example site config");
    let cfg = &checked.site.config;
    let audience = cfg.scope_index("internal").expect("internal scope");
    let theme = Theme::load(&root, &cfg.theme, cfg.lang()).expect("theme");
    let site = gongshi::scope::filter(&checked.site, audience);
    let history = gongshi::history::History::default();
    let ctx = render::Context::new(&root, site, &history, theme.into(), false);
    let (site, views, extra, common) = (ctx.site(), ctx.views(), ctx.extra(), ctx.common());
    let theme = ctx.theme();
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut add = |job: &pages::Job| {
        out.entry(job.template.to_string())
            .or_default()
            .push(json(&job.data))
    };
    pages::list_jobs(site, views, extra)
        .iter()
        .for_each(&mut add);
    for (kind, n) in pages::item_counts(site) {
        assert!(n > 0, "the example site has no {kind:?}");
        (0..n)
            .filter_map(|i| pages::item_job(site, views, extra, kind, i))
            .for_each(|job| add(&job));
    }
    let home = pages::home_job(site, views, extra);
    let page =
        booklet::page(site, views, &home, extra.log.as_ref(), theme, common).expect("booklet");
    let mut booklet = json(&page);
    // What booklet.html has of the home page's is documented there.
    if let (Value::Object(b), Value::Object(h)) = (&mut booklet, json(&home.data)) {
        b.retain(|k, _| !h.contains_key(k));
    }
    // With a previous version (one risk renamed since), the appendix.
    let now = gongshi::history::Snapshot::of(site);
    let mut old = now.clone();
    old.risks[0].meta.title = "旧名称".into();
    let log = gongshi::changes::ChangeLog::compare(&site.config, audience, &old, &now);
    let mut revised = booklet.clone();
    revised["appendix"] = json(&booklet::sign_off::appendix(site, Some(&log)));
    out.insert("booklet.html".into(), vec![booklet, revised]);
    let parts = booklet::department_contexts(site, views);
    out.insert(
        booklet::DEPARTMENT_TEMPLATE.into(),
        parts.iter().map(json).collect(),
    );
    let versions = [VersionSummary {
        version: "2025".into(),
        label: Some("2025年".into()),
        date: None,
        counts: vec![1],
        total: 1,
    }];
    let data = VersionsPage {
        versions: &versions,
        newest: Some("2025"),
        redirect: true,
    };
    out.insert("versions.html".into(), vec![json(&data)]);
    let all = PageContext {
        common,
        root: String::new(),
        path: "index.html",
        section: "",
        data: &PageData::Search(SearchPage {}),
    };
    (json(&all), out)
}

#[test]
fn the_theme_readme_lists_what_every_template_gets() {
    let readme = super::read("themes/default/README.md");
    let (common, samples) = samples();
    let mut problems = compare("every page", &documented_common(&readme), &[common]);
    let rows = table(&readme, "## Each template's own variables");
    let documented: BTreeMap<String, Documented> = rows
        .iter()
        .map(|(t, vars)| (t.trim_matches('`').to_string(), cell(vars)))
        .collect();
    for (template, values) in &samples {
        match documented.get(template) {
            Some(d) => problems.extend(compare(template, d, values)),
            None => problems.push(format!("{template} has no row in the README")),
        }
    }
    for template in documented.keys() {
        if !samples.contains_key(template) {
            problems.push(format!(
                "the README has a row for {template}, which gongshi never renders"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "themes/default/README.md:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_cell_names_variables_and_their_fields() {
    let d = cell("`a` `{x, y (note), z[] {p, q}}`, `b[]` (refs), see `src/x.rs`, `\\| safe`");
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(
        d["a"],
        Some(BTreeSet::from(["x".into(), "y".into(), "z".into()]))
    );
    assert_eq!(d["b"], None);
}
