//! Writes are safe (SPEC §13): builds and publishes of one site take a
//! lock, only gongshi's own leftovers are ever swept, and `verify` reports
//! any entry that is not a listed regular file, even with the manifest gone.

use crate::common;

use common::site::hash_tree;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_gongshi");

/// Every run in this file is killed (and the test fails) after this long.
const LIMIT: Duration = Duration::from_secs(120);

fn new_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("s");
    let out = Command::new(BIN).arg("init").arg(&site).output().unwrap();
    assert!(out.status.success(), "init failed");
    (dir, site)
}

fn start(site: &Path, args: &[&str]) -> Child {
    Command::new(BIN)
        .arg("--root")
        .arg(site)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for `child`, killing it (and failing) past [`LIMIT`].
fn finish(mut child: Child, started: Instant) -> Output {
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("a gongshi run took longer than {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn run(site: &Path, args: &[&str]) -> Output {
    finish(start(site, args), Instant::now())
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned() + &String::from_utf8_lossy(&o.stdout)
}

/// The names of `dir`'s entries starting with a dot, but the lock file.
fn hidden(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".gongshi-lock")
        .collect()
}

/// Two (three) builds started at once, and a publish racing a build: each
/// run that says it succeeded leaves complete version folders; the others
/// wait for the lock instead of sweeping each other's staging folders.
#[test]
fn item08_two_builds_at_once() {
    let (_d, site) = new_site();
    // 300 more risks: each build takes long enough for the runs to overlap
    let risks = site.join("content/risks");
    let copy = std::fs::read_to_string(risks.join("R-029.md")).unwrap();
    for n in 100..400 {
        let id = format!("R-{n}");
        std::fs::write(
            risks.join(format!("{id}.md")),
            copy.replace("id: R-029", &format!("id: {id}")),
        )
        .unwrap();
    }
    let out = run(&site, &["build"]);
    assert!(out.status.success(), "{}", text(&out));
    let complete = hash_tree(&site.join("site"));
    for round in 0..2 {
        let started = Instant::now();
        let runs: Vec<Child> = (0..3).map(|_| start(&site, &["build"])).collect();
        let outputs: Vec<Output> = runs.into_iter().map(|c| finish(c, started)).collect();
        for o in &outputs {
            assert!(
                o.status.success(),
                "a build beside another failed:\n{}",
                text(o)
            );
        }
        let waited = outputs
            .iter()
            .filter(|o| text(o).contains("另一个生成正在进行"))
            .count();
        println!("round {round}: {waited} of 3 builds waited for the lock");
        assert_eq!(hash_tree(&site.join("site")), complete, "output differs");
        assert_eq!(hidden(&site.join("site")), Vec::<String>::new());
    }

    // publish and build at once: publish freezes a complete version and
    // says so; the build ran before it or is refused as frozen.
    let started = Instant::now();
    let publish = start(&site, &["publish"]);
    let build = start(&site, &["build"]);
    let (publish, build) = (finish(publish, started), finish(build, started));
    assert!(publish.status.success(), "{}", text(&publish));
    let b = text(&build);
    assert!(
        build.status.success() || b.contains("已经发布"),
        "build beside publish: {b}"
    );
    let verify = run(&site, &["verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
    let now = hash_tree(&site.join("site"));
    for (path, bytes) in &complete {
        if path.contains("/2025/") {
            assert_eq!(now.get(path), Some(bytes), "{path} after publish");
        }
    }
    for scope in ["public", "internal"] {
        assert!(now.contains_key(&format!("{scope}/2025/manifest.json")));
    }
    assert_eq!(hidden(&site.join("site")), Vec::<String>::new());
}

/// `build --out DIR` into a folder holding the operator's own `.tmp-*` and
/// `.old-*` entries leaves them alone.
#[test]
fn item09_build_out_keeps_the_operators_files() {
    let (d, site) = new_site();
    let dir = d.path().join("export");
    std::fs::create_dir_all(dir.join(".tmp-notes")).unwrap();
    std::fs::write(dir.join(".tmp-notes/keep.txt"), "mine").unwrap();
    std::fs::write(dir.join(".old-backup.txt"), "mine too").unwrap();
    std::fs::create_dir_all(dir.join(".gongshi-staging-public-2025-1")).unwrap();
    std::fs::write(dir.join(".gongshi-staging-public-2025-1/a.html"), "x").unwrap();
    let out = run(&site, &["build", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.join("public/2025/index.html").is_file());
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).ok();
    assert_eq!(read(".tmp-notes/keep.txt").as_deref(), Some("mine"));
    assert_eq!(read(".old-backup.txt").as_deref(), Some("mine too"));
    assert_eq!(
        read(".gongshi-staging-public-2025-1/a.html").as_deref(),
        Some("x"),
        "an unmarked folder was swept"
    );
}

/// A symlink and a FIFO planted in a frozen version are reported.
#[cfg(unix)]
#[test]
fn item11_verify_reports_planted_links_and_fifos() {
    let (d, site) = new_site();
    let out = run(&site, &["publish"]);
    assert!(out.status.success(), "{}", text(&out));
    let v = site.join("site/public/2025");
    let fake = d.path().join("fake-notice.html");
    std::fs::write(&fake, "<p>伪造的公告</p>").unwrap();
    std::os::unix::fs::symlink(&fake, v.join("notice.html")).unwrap();
    let fifo = v.join("risks/pipe.html");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo");
    let out = run(&site, &["verify"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "planted entries passed: {t}");
    assert!(t.contains("notice.html") && t.contains("符号链接"), "{t}");
    assert!(t.contains("pipe.html") && t.contains("命名管道"), "{t}");
    std::fs::remove_file(v.join("notice.html")).unwrap();
    std::fs::remove_file(&fifo).unwrap();
    assert!(run(&site, &["verify"]).status.success());
}

/// A deleted manifest neither passes `verify` nor unfreezes the version:
/// `build` and `publish` still refuse it. A replaced one is seen too.
#[test]
fn item11_a_deleted_manifest_keeps_the_version_frozen() {
    let (_d, site) = new_site();
    let out = run(&site, &["publish"]);
    assert!(out.status.success(), "{}", text(&out));
    let manifest = site.join("site/internal/2025/manifest.json");
    let original = std::fs::read_to_string(&manifest).unwrap();
    std::fs::remove_file(&manifest).unwrap();
    let out = run(&site, &["verify"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "a lost manifest passed: {t}");
    assert!(t.contains("internal") && t.contains("manifest.json"), "{t}");
    let before = hash_tree(&site.join("site"));
    for cmd in ["build", "publish"] {
        let out = run(&site, &[cmd]);
        let t = text(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{cmd} over a published version: {t}"
        );
        assert!(t.contains("version") && t.contains("已经发布"), "{t}");
        assert_eq!(before, hash_tree(&site.join("site")), "{cmd} wrote");
    }
    // a manifest put back with other words (every file still matching
    // it) is seen too
    let at = original.find("\"frozen_at\"").unwrap();
    let replaced = format!(
        "{}\"frozen_at\": \"2020-01-01T00:00:00Z\",{}",
        &original[..at],
        {
            let rest = &original[at..];
            &rest[rest.find(',').unwrap() + 1..]
        }
    );
    std::fs::write(&manifest, replaced).unwrap();
    let out = run(&site, &["verify"]);
    let t = text(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a replaced manifest passed: {t}"
    );
    assert!(t.contains("internal/2025/manifest.json"), "{t}");
}
