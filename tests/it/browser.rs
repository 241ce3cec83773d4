//! The built example site in a real browser: pages open from disk
//! (`file://`) with their stylesheet applied and their script run, print
//! nothing to the console, and render at desktop and phone sizes; the
//! register filters from the address hash. Plus two checks of the rendered
//! HTML that need no browser: the register lists each risk of its audience
//! once, and the public home page names no internal-only risk.
//!
//! Without Chromium on PATH the browser tests say so and pass, except under
//! `CI=true`, where they fail. `GONGSHI_SCREENSHOTS=DIR` keeps the PNGs.

use crate::common;

use common::browser::{self, Chromium};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The example site's risks disclosed only inside the unit.
const INTERNAL_ONLY: [&str; 8] = [
    "R-021", "R-024", "R-025", "R-026", "R-027", "R-028", "R-029", "R-030",
];

/// Screenshot sizes: a common office laptop and a phone.
const SIZES: [(u32, u32); 2] = [(1366, 768), (390, 844)];

/// A screenshot smaller than this is taken as blank.
const MIN_PNG: u64 = 20 * 1024;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's example site, checked (for ids and the version).
fn example() -> gongshi::model::Site {
    match gongshi::pipeline::check(root()) {
        Ok(c) => c.site,
        Err(d) => panic!("the example site does not check: {d:?}"),
    }
}

/// Builds the example site into a fresh folder; returns it and `site`.
fn build() -> (tempfile::TempDir, PathBuf) {
    let out = common::site::build_example(&[]);
    let path = out.path().to_path_buf();
    (out, path)
}

fn index(scope_dir: &Path, version: &str) -> PathBuf {
    scope_dir.join(version)
}

/// The pages the browser opens: home, register, and the first item page
/// of each kind the brief names.
fn pages(site: &gongshi::model::Site) -> Vec<String> {
    let internal = site.config.scopes.len() - 1;
    let v = gongshi::scope::filter(site, internal);
    let first = |ids: Vec<&String>, folder: &str| -> String {
        let id = ids
            .first()
            .unwrap_or_else(|| panic!("the example site has no {folder}"));
        format!("{folder}/{id}.html")
    };
    vec![
        "index.html".to_string(),
        "risks/index.html".to_string(),
        first(v.risks.iter().map(|x| &x.meta.id).collect(), "risks"),
        first(v.flows.iter().map(|x| &x.meta.id).collect(), "flows"),
        first(v.powers.iter().map(|x| &x.meta.id).collect(), "powers"),
        first(v.posts.iter().map(|x| &x.meta.id).collect(), "posts"),
        first(
            v.departments.iter().map(|x| &x.meta.id).collect(),
            "departments",
        ),
    ]
}

/// Everything wrong with one page at one window size (empty when fine).
fn check_page(
    chrome: &Chromium,
    dir: &Path,
    page: &str,
    size: (u32, u32),
    shots: &Path,
) -> Vec<String> {
    let (w, h) = size;
    let at = format!("{page} at {w}x{h}");
    let file = dir.join(page);
    if !file.is_file() {
        return vec![format!("{page}: not built")];
    }
    let url = browser::file_url(&file, None);
    let png = shots.join(format!("{}-{w}x{h}.png", page.replace('/', "_")));
    let loaded = chrome.load_and_shoot(&url, w, h, &png);
    let mut problems = Vec::new();
    let tag = browser::html_tag(&loaded.dom);
    if !tag.contains("data-gongshi=\"ok\"") {
        problems.push(format!("{at}: gongshi.js did not finish (<html> is {tag})"));
    }
    if !tag.contains("data-gongshi-css=\"1\"") {
        problems.push(format!("{at}: gongshi.css did not apply (<html> is {tag})"));
    }
    for line in loaded.console() {
        problems.push(format!("{at}: console: {line}"));
    }
    if page == "index.html" && !loaded.dom.contains("class=\"period-status is-") {
        problems.push(format!("{at}: the notice period status was not filled in"));
    }
    if page == "risks/index.html" {
        if !loaded
            .dom
            .contains("<button type=\"button\" class=\"sort\">")
        {
            problems.push(format!(
                "{at}: register headers did not become sort buttons"
            ));
        }
        if form_tag(&loaded.dom).contains("hidden") {
            problems.push(format!("{at}: the filter form stayed hidden"));
        }
    }
    if let Err(e) = browser::png_is_substantial(&png, MIN_PNG) {
        problems.push(format!("{at}: {e}"));
    }
    problems
}

fn form_tag(dom: &str) -> &str {
    let Some(start) = dom.find("<form class=\"filters\"") else {
        return "<no form.filters>";
    };
    let end = dom[start..].find('>').map_or(dom.len(), |e| start + e + 1);
    &dom[start..end]
}

#[test]
#[ignore = "needs Chromium: cargo test -- --include-ignored"]
fn pages_open_from_disk_styled_scripted_and_silent() {
    let Some(chrome) = browser::require("pages_open_from_disk_styled_scripted_and_silent") else {
        return;
    };
    let started = Instant::now();
    let site = example();
    let (_keep, out) = build();
    let internal = site.config.scopes.last().expect("a scope").name.clone();
    let dir = index(&out.join(&internal), &site.config.version);
    let kept = std::env::var_os("GONGSHI_SCREENSHOTS").map(PathBuf::from);
    let tmp_shots = tempfile::tempdir().expect("temp dir");
    let shots = kept
        .clone()
        .unwrap_or_else(|| tmp_shots.path().to_path_buf());
    std::fs::create_dir_all(&shots).expect("screenshot dir");

    // Every page at every size, on a few workers (Chromium is heavy).
    let jobs: Vec<(String, (u32, u32))> = pages(&site)
        .into_iter()
        .flat_map(|p| SIZES.map(|size| (p.clone(), size)))
        .collect();
    let queue = std::sync::Mutex::new(jobs.iter());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4);
    let problems: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut found = Vec::new();
                    loop {
                        let next = queue.lock().expect("queue").next();
                        let Some((page, size)) = next else { break };
                        found.extend(check_page(&chrome, &dir, page, *size, &shots));
                    }
                    found
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec!["a page check panicked".into()])
            })
            .collect()
    });
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    if let Some(k) = kept {
        eprintln!("screenshots kept in {}", k.display());
    }
    eprintln!(
        "{} page loads and screenshots in {:?}",
        jobs.len(),
        started.elapsed()
    );
}

#[test]
#[ignore = "needs Chromium: cargo test -- --include-ignored"]
fn register_filters_from_the_address_hash() {
    let Some(chrome) = browser::require("register_filters_from_the_address_hash") else {
        return;
    };
    let site = example();
    let (_keep, out) = build();
    let internal = site.config.scopes.last().expect("a scope").name.clone();
    let register = index(&out.join(&internal), &site.config.version).join("risks/index.html");
    let grade = site.config.grades[0].name.clone();
    let url = browser::file_url(&register, Some(&format!("grade={grade}")));
    let loaded = chrome.load(&url);
    assert!(
        loaded.console().is_empty(),
        "console: {:?}",
        loaded.console()
    );

    let rows: Vec<&str> = loaded
        .dom
        .match_indices("<tr data-grade=\"")
        .map(|(i, _)| {
            let end = loaded.dom[i..]
                .find('>')
                .map_or(loaded.dom.len(), |e| i + e);
            &loaded.dom[i..end]
        })
        .collect();
    let of_grade = rows
        .iter()
        .filter(|t| t.contains(&format!("data-grade=\"{grade}\"")))
        .count();
    let shown: Vec<&&str> = rows.iter().filter(|t| !t.contains(" hidden")).collect();
    assert!(of_grade > 0, "no {grade} risk in the register");
    assert_eq!(shown.len(), of_grade, "rows shown for #grade={grade}");
    assert!(
        shown
            .iter()
            .all(|t| t.contains(&format!("data-grade=\"{grade}\""))),
        "a row of another grade is shown: {shown:?}"
    );

    // The count line, from the template the page carries.
    let t_at = loaded
        .dom
        .find("data-template=\"")
        .expect("output data-template")
        + 15;
    let template = &loaded.dom[t_at..t_at + loaded.dom[t_at..].find('"').expect("quote")];
    let expected = template
        .replace("{n}", &of_grade.to_string())
        .replace("{total}", &rows.len().to_string());
    assert!(
        loaded.dom.contains(&format!(">{expected}</output>")),
        "expected the count \"{expected}\" in the output element"
    );
}

/// `data-key` of each `<td class="id">` of the register, in page order.
fn register_ids(html: &str) -> Vec<String> {
    let pat = "<td class=\"id\" data-key=\"";
    html.match_indices(pat)
        .filter_map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            rest.find('"').map(|e| rest[..e].to_string())
        })
        .collect()
}

#[test]
fn register_has_one_row_per_risk_and_public_home_names_no_internal_risk() {
    let site = example();
    let (_keep, out) = build();
    let version = &site.config.version;
    for (a, scope) in site.config.scopes.iter().enumerate() {
        let visible = gongshi::scope::filter(&site, a);
        let html =
            std::fs::read_to_string(out.join(&scope.name).join(version).join("risks/index.html"))
                .expect("register page");
        let mut rows = register_ids(&html);
        let n = rows.len();
        rows.sort();
        rows.dedup();
        assert_eq!(rows.len(), n, "{}: a risk is listed twice", scope.name);
        let mut want: Vec<String> = visible.risks.iter().map(|r| r.meta.id.clone()).collect();
        want.sort();
        assert_eq!(rows, want, "{}: register rows", scope.name);
    }

    let public = &site.config.scopes[0].name;
    let internal = &site.config.scopes.last().expect("a scope").name;
    let read = |scope: &str, page: &str| {
        std::fs::read_to_string(out.join(scope).join(version).join(page)).expect("page")
    };
    let internal_register = read(internal, "risks/index.html");
    for id in INTERNAL_ONLY {
        assert!(
            internal_register.contains(id),
            "{id} should be in the internal register (is the example site's list still right?)"
        );
        for page in ["index.html", "risks/index.html"] {
            assert!(
                !read(public, page).contains(id),
                "internal-only {id} appears in {public}/{version}/{page}"
            );
        }
    }
}
