//! `gongshi build`: every page is written, every link resolves, output is
//! deterministic, bodies are inert, templates can be overridden one by one.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn gongshi() -> Command {
    Command::cargo_bin("gongshi").unwrap()
}

/// Builds the repository's example site into a fresh folder.
fn build_example() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    gongshi()
        .args([
            "build",
            "--quiet",
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let path = out.path().to_path_buf();
    (out, path)
}

/// A copy of the example site to change.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    gongshi()
        .arg("init")
        .arg(dir.path().join("s"))
        .assert()
        .success();
    dir
}

/// Builds the site at `site` quietly and returns every file written.
fn built(site: &Path) -> BTreeMap<String, Vec<u8>> {
    gongshi()
        .args(["build", "--quiet", "--root"])
        .arg(site)
        .assert()
        .success();
    files(&site.join("site"))
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Every value of `attr="…"` in an HTML text.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    html.match_indices(&pat)
        .filter_map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn every_item_has_its_page_and_every_link_resolves() {
    let (_keep, out) = build_example();
    let site = gongshi::pipeline::check(Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .site;
    let version = &site.config.version;
    for (a, scope) in site.config.scopes.iter().enumerate() {
        let root = out.join(&scope.name).join(version);
        let visible = gongshi::scope::filter(&site, a);
        for (kind, meta) in visible.metas() {
            let page = root.join(kind.folder()).join(format!("{}.html", meta.id));
            assert!(page.is_file(), "missing {}", page.display());
        }
        for list in [
            "index.html",
            "powers/index.html",
            "flows/index.html",
            "risks/index.html",
            "posts/index.html",
            "departments/index.html",
            "measures/index.html",
        ] {
            assert!(root.join(list).is_file(), "missing {list}");
        }
        assert!(out.join(&scope.name).join("index.html").is_file());
    }
    let all = files(&out);
    let mut checked = 0;
    for (path, bytes) in &all {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        let dir = Path::new(path).parent().unwrap_or(Path::new(""));
        for link in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
            if link.starts_with("mailto:")
                || link.starts_with('#') && link.len() > 1 && !link.contains('=')
            {
                if let Some(anchor) = link.strip_prefix('#') {
                    assert!(
                        html.contains(&format!("id=\"{anchor}\"")),
                        "{path}: anchor {link} missing"
                    );
                }
                continue;
            }
            // The one way out: the portal identity's filing lookups and badge.
            let portal = [
                "https://beian.miit.gov.cn/",
                "https://beian.mps.gov.cn/",
                "https://zfwzzc.www.gov.cn/",
                "https://bszs.conac.cn/",
            ];
            if portal.iter().any(|p| link.starts_with(p)) {
                assert!(
                    path.starts_with("public/"),
                    "{path}: the portal footer on {link}"
                );
                continue;
            }
            assert!(!link.contains("://"), "{path}: external link {link}");
            let (file, anchor) = link.split_once('#').unwrap_or((link, ""));
            let target = normalise(&dir.join(file));
            let bytes = all
                .get(&target)
                .unwrap_or_else(|| panic!("{path}: broken link {link} ({target})"));
            if !anchor.is_empty() && !anchor.contains('=') {
                let text = String::from_utf8_lossy(bytes);
                assert!(
                    text.contains(&format!("id=\"{anchor}\"")),
                    "{path}: {link}: no anchor"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
}

fn normalise(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().to_string()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn building_twice_gives_identical_bytes() {
    let (_a, one) = build_example();
    let (_b, two) = build_example();
    let (f1, f2) = (files(&one), files(&two));
    assert_eq!(f1.keys().collect::<Vec<_>>(), f2.keys().collect::<Vec<_>>());
    for (k, v) in &f1 {
        assert!(v == &f2[k], "{k} differs between two builds");
    }
}

#[test]
fn no_resource_is_fetched_from_the_network() {
    let (_keep, out) = build_example();
    for (path, bytes) in files(&out) {
        if path.ends_with(".html") || path.ends_with(".css") || path.ends_with(".js") {
            let text = String::from_utf8_lossy(&bytes);
            for src in attrs(&text, "src") {
                assert!(
                    !src.contains("http:") && !src.contains("https:"),
                    "{path}: src={src}"
                );
            }
            for tag in text.split("<link").skip(1) {
                let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
                assert!(
                    !tag.contains("http:") && !tag.contains("https:"),
                    "{path}: <link{tag}>"
                );
            }
            assert!(!text.contains("@import url(http"), "{path}");
        }
    }
}

#[test]
fn bodies_are_inert_and_titles_escaped() {
    let dir = example_copy();
    let site = dir.path().join("s");
    let risk = site.join("content/risks/R-001.md");
    let text = std::fs::read_to_string(&risk).unwrap();
    let text = text.replacen("title: ", "title: 含<b>粗体</b>的", 1);
    let text = format!(
        "{text}\n<script>alert('x')</script>\n\n<img src=\"a.png\" onerror=\"alert(1)\">\n\n[点我](javascript:alert(1))\n"
    );
    std::fs::write(&risk, text).unwrap();
    gongshi()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .assert()
        .success();
    let page = std::fs::read_to_string(site.join("site/internal/2025/risks/R-001.html")).unwrap();
    assert!(!page.contains("<script>alert"), "script survived");
    assert!(!page.contains("onerror"), "event handler survived");
    assert!(!page.contains("javascript:"), "javascript: URL survived");
    assert!(
        page.contains("含&lt;b&gt;粗体&lt;&#x2F;b&gt;")
            || page.contains("含&lt;b&gt;粗体&lt;/b&gt;"),
        "title not escaped"
    );
    assert!(!page.contains("<b>粗体</b>"));
}

#[test]
fn overriding_one_template_changes_only_those_pages() {
    let dir = example_copy();
    let site = dir.path().join("s");
    gongshi()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .assert()
        .success();
    let before = files(&site.join("site"));
    let tpl = site.join("themes/default/templates");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(
        tpl.join("risk.html"),
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom-risk\">{{ item.title }}</p>{% endblock content %}",
    )
    .unwrap();
    gongshi()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .assert()
        .success();
    let after = files(&site.join("site"));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let mut changed = 0;
    for (k, v) in &before {
        let is_risk_page = k.contains("/risks/") && !k.ends_with("index.html");
        if is_risk_page {
            assert!(
                String::from_utf8_lossy(&after[k]).contains("custom-risk"),
                "{k} not overridden"
            );
            changed += 1;
        } else {
            assert!(v == &after[k], "{k} changed but is not a risk page");
        }
    }
    assert!(changed >= 30);
}

/// A theme override that does not compile, or names a value the page does
/// not have, stops the build at its file, line and column.
#[test]
fn a_broken_template_is_named_with_its_line_and_column() {
    let dir = example_copy();
    let site = dir.path().join("s");
    let tpl = site.join("themes/default/templates");
    std::fs::create_dir_all(&tpl).unwrap();
    let page = |body: &str| {
        format!("{{% extends \"base.html\" %}}\n{{% block content %}}\n{body}\n{{% endblock content %}}\n")
    };
    std::fs::write(
        tpl.join("risk.html"),
        page("<p>{{ item.title | nosuch }}</p>"),
    )
    .unwrap();
    let out = gongshi()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("themes/default/templates/risk.html:3:20"),
        "{err}"
    );
    assert!(err.contains("nosuch"), "{err}");
    // An undefined value is an error at its place, never an empty string.
    std::fs::write(tpl.join("risk.html"), page("<p>{{ item.nosuch }}</p>")).unwrap();
    let out = gongshi()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("risks/R-001.html"), "{err}");
    assert!(err.contains("risk.html:3:12"), "{err}");
    assert!(
        !site.join("site/internal/2025").exists(),
        "a failed build wrote pages"
    );
}

#[test]
fn a_failing_build_leaves_the_previous_output() {
    let dir = example_copy();
    let site = dir.path().join("s");
    gongshi()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .assert()
        .success();
    let before = files(&site.join("site"));
    std::fs::write(site.join("content/risks/R-002.md"), "---\ntitle：坏\n---\n").unwrap();
    gongshi()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .assert()
        .code(1);
    assert_eq!(before, files(&site.join("site")));
}

/// Rebuilding the same version rewrites only what changed: unchanged files
/// keep their date (a copy or deploy of `site/` can skip them), changed
/// ones are new.
#[test]
fn a_rebuild_keeps_unchanged_files_as_they_were() {
    let dir = example_copy();
    let site = dir.path().join("s");
    let build = || {
        gongshi()
            .args(["build", "--quiet", "--scope", "public", "--root"])
            .arg(&site)
            .assert()
            .success();
    };
    build();
    let version = std::fs::read_dir(site.join("site/public"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.join("index.html").is_file())
        .expect("a version folder");
    let modified = |rel: &str| {
        std::fs::metadata(version.join(rel))
            .unwrap()
            .modified()
            .unwrap()
    };
    let (same, edited) = ("risks/R-002.html", "risks/R-001.html");
    let before = (modified(same), modified(edited));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let risk = site.join("content/risks/R-001.md");
    let text = std::fs::read_to_string(&risk).unwrap();
    std::fs::write(&risk, format!("{text}\n重建时补充的一句话。\n")).unwrap();
    build();
    assert_eq!(modified(same), before.0, "{same} was written again");
    assert_ne!(modified(edited), before.1, "{edited} was not rewritten");
    let page = std::fs::read_to_string(version.join(edited)).unwrap();
    assert!(page.contains("重建时补充的一句话"));
}

/// Side door 6: text from gongshi.yaml reaches CSS (the print footer in
/// every page's `style`, the booklet's running head) only as one escaped
/// CSS string, and a control character in it is refused before any build.
#[test]
fn item06_config_text_reaches_css_only_escaped() {
    let dir = example_copy();
    let site = dir.path().join("s");
    let config_path = site.join("gongshi.yaml");
    let config = std::fs::read_to_string(&config_path).unwrap();
    let unit_line = config.lines().find(|l| l.starts_with("unit:")).unwrap();
    let hostile = config.replacen(
        unit_line,
        r#"unit: "某局\"'\\</style>) x{background:url(a.png)}""#,
        1,
    );
    std::fs::write(&config_path, &hostile).unwrap();
    gongshi()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .assert()
        .success();
    let page = std::fs::read_to_string(site.join("site/public/2025/index.html")).unwrap();
    let style = attrs(&page, "style")
        .into_iter()
        .find(|s| s.starts_with("--print-footer:"))
        .expect("print footer style");
    assert!(
        style.starts_with(r#"--print-footer: &quot;某局\&quot;&#39;\\\3c /style&gt;) x{"#),
        "footer not one escaped CSS string: {style}"
    );
    let booklet = std::fs::read_to_string(site.join("site/public/2025/booklet.html")).unwrap();
    assert!(booklet.contains(r#"content: "某局\"'\\\3c /style>) x{"#));

    let broken = config.replacen(
        unit_line,
        r#"unit: "某局\n} html{background:url(a.png)}""#,
        1,
    );
    std::fs::write(&config_path, broken).unwrap();
    let out = gongshi()
        .args(["build", "--root"])
        .arg(&site)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("C004") && err.contains("控制字符"), "{err}");
}

/// A measure written without a phase is listed under 其他措施, on the risk
/// page and in the booklet, never under an empty heading.
#[test]
fn a_measure_without_a_phase_is_listed_under_other_measures() {
    let dir = crate::common::site::example_copy();
    let root = dir.path();
    let path = root.join("content/risks/R-001.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen(
        "measures:\n",
        "measures:\n  - text: 每季度抽查一次受理记录。\n",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let opts = gongshi::build::Options {
        scope: Some("public".into()),
        ..Default::default()
    };
    let report = gongshi::build::build(root, &opts).expect("builds");
    let dir = &report.audiences[0].2;
    let page = std::fs::read_to_string(dir.join("risks/R-001.html")).unwrap();
    assert!(page.contains("<h3>其他措施</h3>"), "risk page");
    assert!(!page.contains("<h3></h3>"), "no empty heading");
    let booklet = std::fs::read_to_string(dir.join("booklet.html")).unwrap();
    assert!(booklet.contains("phase-name\">其他措施<"), "booklet");
}

/// List pages place each risk's row made once with the theme's `risk_row`:
/// overriding `risk_row` changes every register table, and a site's own
/// `components.html` from before `risk_row` existed (the row written in
/// `risk_table`'s loop) still gives the same pages as the built-in theme.
#[test]
fn register_rows_follow_the_theme_with_or_without_risk_row() {
    let dir = example_copy();
    let site = dir.path().join("s");
    let before = built(&site);
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/components.html"),
    )
    .unwrap();
    let start = builtin.find("{% component risk_row(root, r) %}").unwrap();
    let head = "{% component risk_row(root, r) %}".len();
    let end = builtin.find("{% endcomponent risk_row %}").unwrap();
    let row = &builtin[start + head..end];
    let tpl = site.join("themes/default/templates");
    std::fs::create_dir_all(&tpl).unwrap();
    // 1. the pre-risk_row form: no component, the row inside the loop
    let call = "{% if r.row and root == \"../\" %}{{ r.row | safe }}{% else %}{{<risk_row root r={r} />}}{% endif %}";
    assert!(builtin.contains(call), "risk_table no longer places rows");
    let old = builtin.replace(call, row);
    let old = format!(
        "{}{}",
        &old[..start],
        &old[end + "{% endcomponent risk_row %}\n".len()..]
    );
    assert!(!old.contains("risk_row"));
    std::fs::write(tpl.join("components.html"), &old).unwrap();
    assert_eq!(
        built(&site),
        before,
        "an older components.html gives other pages"
    );
    // 2. an overridden risk_row shows on every list page's table
    let marked = builtin.replace("<td class=\"nowrap\">", "<td class=\"nowrap custom-row\">");
    std::fs::write(tpl.join("components.html"), marked).unwrap();
    let after = built(&site);
    let register = after
        .iter()
        .find(|(k, _)| k.ends_with("internal/2025/risks/index.html"))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .unwrap();
    assert!(
        register.contains("custom-row"),
        "the register kept the built-in row"
    );
    for (k, v) in &after {
        let page = String::from_utf8_lossy(v);
        if page.contains("<tr data-grade=") {
            assert!(page.contains("custom-row"), "{k} kept the built-in row");
        }
    }
}

/// List pages get each risk's short entry only while the templates that
/// list risks are the built-in ones: copies of them give the same site,
/// and a list template of the site's own may read any field of a listed
/// risk.
#[test]
fn a_sites_own_list_template_may_read_every_field_of_a_listed_risk() {
    let dir = example_copy();
    let site = dir.path().join("s");
    let before = built(&site);
    let builtin = |name: &str| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("themes/default/templates")
                .join(name),
        )
        .unwrap()
    };
    let tpl = site.join("themes/default/templates");
    std::fs::create_dir_all(&tpl).unwrap();
    let lists = gongshi::render::theme::LISTING_TEMPLATES;
    for name in lists {
        std::fs::write(tpl.join(name), builtin(name)).unwrap();
    }
    assert_eq!(
        built(&site),
        before,
        "copies of the built-in list templates give other pages"
    );
    for name in lists {
        std::fs::remove_file(tpl.join(name)).unwrap();
    }
    let heading = "<section><h2>{{ t(k=\"department_risks\") }}</h2>";
    let department = builtin("department.html");
    assert!(department.contains(heading));
    let own = department.replace(
        heading,
        &format!(
            "{heading}{{% for r in risks %}}<p class=\"own-list\">{{{{ r.id }}}}：\
             {{{{ r.risk_type }}}}，{{{{ r.phases | length }}}} 个阶段</p>{{% endfor %}}"
        ),
    );
    std::fs::write(tpl.join("department.html"), own).unwrap();
    let after = built(&site);
    let listed: usize = after
        .iter()
        .filter(|(k, _)| k.contains("/departments/"))
        .map(|(_, v)| String::from_utf8_lossy(v).matches("个阶段</p>").count())
        .sum();
    assert!(listed > 0, "no department page listed its risks' phases");
}

/// The built-in `booklet-department.html` gets only the fields it reads of
/// each risk; a site's own copy gets the whole view, and a copy of the
/// built-in one makes the same booklet.
#[test]
fn a_sites_own_booklet_department_template_may_read_every_field_of_a_risk() {
    let dir = example_copy();
    let site = dir.path().join("s");
    let booklet = |files: &std::collections::BTreeMap<String, Vec<u8>>| {
        let (_, html) = files
            .iter()
            .find(|(k, _)| k.ends_with("internal/2025/booklet.html"))
            .expect("the internal booklet");
        String::from_utf8(html.clone()).unwrap()
    };
    let before = booklet(&built(&site));
    let name = gongshi::render::booklet::DEPARTMENT_TEMPLATE;
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates")
            .join(name),
    )
    .unwrap();
    let tpl = site.join("themes/default/templates");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join(name), &builtin).unwrap();
    assert_eq!(
        booklet(&built(&site)),
        before,
        "a copy of the built-in template"
    );
    let anchor = "<article class=\"risk\" id=\"r-{{ r.id }}\">";
    assert!(builtin.contains(anchor));
    let own = builtin.replace(
        anchor,
        &format!(
            "{anchor}<p class=\"own\">{{{{ r.href }}}}：{{{{ r.phases | length }}}} 个阶段，\
             {{{{ r.measure_count }}}} 条措施</p>"
        ),
    );
    std::fs::write(tpl.join(name), own).unwrap();
    let after = booklet(&built(&site));
    assert!(
        after.contains("<p class=\"own\">risks/R-001.html：") && after.contains("条措施</p>"),
        "the site's own template read the whole view: {}",
        &after[..after.len().min(400)]
    );
}

/// The register row (`risk_row`) is made once per risk from the fields the
/// built-in component reads; a site's own `components.html` gets the whole
/// view there too.
#[test]
fn a_sites_own_risk_row_may_read_every_field_of_a_risk() {
    let dir = example_copy();
    let site = dir.path().join("s");
    let components = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/components.html"),
    )
    .unwrap();
    let cell = "<td class=\"num\" data-key=\"{{ r.measure_count }}\">{{ r.measure_count }}</td>";
    assert!(components.contains(cell));
    let own = components.replace(
        cell,
        &format!("{cell}<td class=\"own\">{{{{ r.phases | length }}}} 个阶段</td>"),
    );
    let tpl = site.join("themes/default/templates");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("components.html"), own).unwrap();
    let after = built(&site);
    let (_, register) = after
        .iter()
        .find(|(k, _)| k.ends_with("internal/2025/risks/index.html"))
        .expect("the internal register");
    let rows = String::from_utf8_lossy(register)
        .matches("个阶段</td>")
        .count();
    assert!(rows > 0, "the site's own risk_row read the whole view");
}
