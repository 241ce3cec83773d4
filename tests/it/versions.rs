//! Versions: publish freezes, verify re-hashes, the change log between
//! years lists exactly what changed, and builds are atomic.

use crate::serve_support;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn gongshi(root: &Path) -> Command {
    let mut c = Command::cargo_bin("gongshi").unwrap();
    c.arg("--root").arg(root).arg("--quiet");
    c
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            // A '/'-joined key, as on every system (display() would give
            // backslashes on Windows).
            let rel = e.path().strip_prefix(dir).unwrap();
            let key: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            (key.join("/"), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn set_version(site: &Path, v: &str) {
    let p = site.join("gongshi.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    let text: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("version:") {
                format!("version: \"{v}\"")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(p, text.join("\n")).unwrap();
}

fn edit(path: &Path, f: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(&text)).unwrap();
}

fn new_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("s");
    Command::cargo_bin("gongshi")
        .unwrap()
        .arg("init")
        .arg(&site)
        .assert()
        .success();
    set_version(&site, "2023");
    (dir, site)
}

/// Section of changes.html between heading `h` and the next section.
use crate::common::changes_page::{ids, rows};

#[test]
fn publish_change_and_compare_two_years() {
    let (_d, site) = new_site();
    gongshi(&site).arg("publish").assert().success();
    let frozen = files(&site.join("site/internal/2023"));
    assert!(frozen.contains_key("manifest.json"));
    let changes_2023 = String::from_utf8(frozen["changes.html"].clone()).unwrap();
    assert!(changes_2023.contains("这是第一个版本"));

    // add, delete, re-grade, edit a measure
    let risks = site.join("content/risks");
    let copy = std::fs::read_to_string(risks.join("R-029.md")).unwrap();
    std::fs::write(
        risks.join("R-031.md"),
        copy.replace("id: R-029", "id: R-031")
            .replacen("title: ", "title: 新增测试风险点", 1),
    )
    .unwrap();
    std::fs::remove_file(risks.join("R-030.md")).unwrap();
    edit(&risks.join("R-012.md"), |t| {
        t.lines()
            .map(|l| {
                if l.starts_with("grade:") {
                    "grade: 三级".into()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    edit(&risks.join("R-001.md"), |t| {
        t.replacen("    text: ", "    text: 每季度复核一次。", 1)
    });
    set_version(&site, "2024");
    gongshi(&site).arg("build").assert().success();

    let html = std::fs::read_to_string(site.join("site/internal/2024/changes.html")).unwrap();
    assert_eq!(ids(&html, "新增"), ["R-031"], "{html}");
    assert_eq!(ids(&html, "删除"), ["R-030"], "{html}");
    assert_eq!(ids(&html, "风险等级"), ["R-012"], "{html}");
    let measures: Vec<_> = rows(&html)
        .into_iter()
        .filter(|r| r.what() == "防控措施")
        .collect();
    assert_eq!(measures.len(), 1, "{html}");
    assert_eq!(measures[0].id(), "R-001");
    assert!(
        measures[0].html.contains("<ins>每季度复核一次。</ins>"),
        "{}",
        measures[0].html
    );
    let home = std::fs::read_to_string(site.join("site/internal/2024/index.html")).unwrap();
    assert!(
        home.contains("与 2023 版相比：") && home.contains("风险点 4 项"),
        "summary line missing: {home}"
    );
    // 2023 untouched; both versions listed
    assert_eq!(frozen, files(&site.join("site/internal/2023")));
    let versions = std::fs::read_to_string(site.join("site/internal/versions.html")).unwrap();
    assert!(versions.contains("2023/index.html") && versions.contains("2024/index.html"));
    let index = std::fs::read_to_string(site.join("site/internal/index.html")).unwrap();
    assert!(
        index.contains("url=2024/index.html"),
        "index does not open the newest"
    );
    let data = std::fs::read_to_string(site.join("site/internal/versions-data.js")).unwrap();
    assert!(data.contains("\"2023\"") && data.contains("\"2024\""));

    // setting the version back to 2023 is refused and changes nothing
    set_version(&site, "2023");
    let before = files(&site.join("site"));
    let out = gongshi(&site)
        .arg("build")
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8_lossy(&out).contains("version"),
        "message should name version"
    );
    assert_eq!(before, files(&site.join("site")));
}

/// A new risk R-031, a copy of R-029.
fn add_risk(site: &Path) {
    let risks = site.join("content/risks");
    let copy = std::fs::read_to_string(risks.join("R-029.md")).unwrap();
    std::fs::write(
        risks.join("R-031.md"),
        copy.replace("id: R-029", "id: R-031")
            .replacen("title: ", "title: 新增测试风险点", 1),
    )
    .unwrap();
}

#[test]
fn a_damaged_old_version_is_named_and_the_others_still_compared() {
    let (_d, site) = new_site();
    set_version(&site, "2022");
    gongshi(&site).arg("build").assert().success();
    set_version(&site, "2023");
    gongshi(&site).arg("build").assert().success();
    // 2023's data.json cut short, as by a copy that stopped half-way
    let damaged = site.join("site/internal/2023/data.json");
    let text = std::fs::read(&damaged).unwrap();
    std::fs::write(&damaged, &text[..text.len() / 2]).unwrap();
    add_risk(&site);
    set_version(&site, "2024");
    let out = Command::cargo_bin("gongshi")
        .unwrap()
        .arg("--root")
        .arg(&site)
        .arg("build")
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    // named once, for the one audience whose file is damaged
    let named = "site/internal/2023/data.json";
    assert!(
        stderr.contains("W117") && stderr.contains(named) && stderr.contains("不完整"),
        "no warning naming {named}:\n{stderr}"
    );
    assert!(!stderr.contains("site/public/2023"), "{stderr}");
    // the change log compares with 2022, the newest version still readable
    let html = std::fs::read_to_string(site.join("site/internal/2024/changes.html")).unwrap();
    assert!(!html.contains("这是第一个版本"), "{html}");
    assert!(html.contains("与 2022 版相比"), "{html}");
    assert!(ids(&html, "新增").contains(&"R-031".to_string()), "{html}");
    // the versions list keeps the readable ones
    let versions = std::fs::read_to_string(site.join("site/internal/versions.html")).unwrap();
    assert!(versions.contains("2022/index.html") && versions.contains("2024/index.html"));
}

#[test]
fn serve_reads_the_versions_of_the_folder_build_wrote_with_out() {
    let (d, site) = new_site();
    let out = d.path().join("elsewhere");
    gongshi(&site)
        .arg("build")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    add_risk(&site);
    set_version(&site, "2024");
    let server = serve_support::Server::start(&site, &["--out", out.to_str().unwrap()]);
    let html = server.get("/changes.html").text();
    assert!(html.contains("与 2023 版相比"), "{html}");
    assert_eq!(ids(&html, "新增"), ["R-031"], "{html}");
}

#[test]
fn verify_catches_changed_missing_and_added_files() {
    let (_d, site) = new_site();
    gongshi(&site).arg("publish").assert().success();
    gongshi(&site).arg("verify").assert().success();
    let v = site.join("site/public/2023");
    let page = v.join("risks/R-001.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&page, bytes).unwrap();
    let out = gongshi(&site)
        .arg("verify")
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("R-001.html"));
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&page, bytes).unwrap();
    gongshi(&site).arg("verify").assert().success();
    std::fs::remove_file(v.join("posts/P-01.html")).unwrap();
    std::fs::write(v.join("extra.html"), "x").unwrap();
    let out = gongshi(&site)
        .arg("verify")
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("P-01.html") && text.contains("extra.html"),
        "{text}"
    );
}

#[test]
fn failed_and_interrupted_builds_leave_the_previous_version() {
    let (_d, site) = new_site();
    gongshi(&site).arg("build").assert().success();
    let first = files(&site.join("site/internal/2023"));
    // a content error: nothing written
    let r = site.join("content/risks/R-002.md");
    let good = std::fs::read_to_string(&r).unwrap();
    std::fs::write(&r, "---\ntitle: x\ngrade：一级\n---\n").unwrap();
    gongshi(&site).arg("build").assert().code(1);
    assert_eq!(first, files(&site.join("site/internal/2023")));
    // a changed site, built and killed at several moments: the version
    // folder is always wholly the old or wholly the new one
    std::fs::write(&r, good.replacen("title: ", "title: 改过的", 1)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("gongshi");
    for delay in [5u64, 20, 60, 150] {
        let mut child = std::process::Command::new(&bin)
            .args(["build", "--quiet", "--root"])
            .arg(&site)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let now = files(&site.join("site/internal/2023"));
        let changed = String::from_utf8_lossy(&now["risks/R-002.html"]).contains("改过的");
        if !changed {
            assert_eq!(now, first, "mixed output after kill at {delay} ms");
        }
    }
    gongshi(&site).arg("build").assert().success();
    let leftovers: Vec<_> = std::fs::read_dir(site.join("site"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".gongshi-lock")
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}
