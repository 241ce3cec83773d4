//! `gongshi serve`: the live preview.
//!
//! One audience (default: the narrowest) is built in memory through the
//! shared pipeline ([`site`]), served on loopback from that memory
//! ([`server`] speaks HTTP, [`guard`] admits only the writer's own browser,
//! [`http`] routes), rebuilt when the site changes
//! ([`watch`]), and open pages
//! reload themselves or show the errors over the last good pages
//! ([`reload`]). Nothing is written: not `content/`, not `site/`.

pub mod documents;
pub mod guard;
pub mod head;
pub mod help;
pub mod http;
pub mod pages;
pub mod patch;
pub mod reload;
pub mod server;
pub mod site;
pub mod watch;

use crate::diag::Diagnostic;
use crate::i18n::{tr, Lang};
use site::{Problem, Session, Snapshot};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;
use watch::{Changes, Watcher};

/// How many ports after a busy one are tried.
const PORT_TRIES: u16 = 20;

/// The options of `gongshi serve`.
pub struct Options {
    pub root: PathBuf,
    /// The output folder whose versions the change log and charts show,
    /// as `build` takes it (`build::out_dir`: `--out`, else `root/site`).
    pub out: Option<PathBuf>,
    pub lang: Lang,
    pub quiet: bool,
    pub scope: Option<String>,
    pub port: u16,
    pub bind: Option<String>,
    pub open: bool,
}

/// Why the preview could not start.
#[derive(Debug)]
pub enum Stop {
    /// `gongshi.yaml` is missing or unreadable.
    Config(Vec<Diagnostic>),
    UnknownScope {
        scope: String,
        allowed: String,
    },
    BadBind(String),
    Bind {
        addr: String,
        detail: String,
    },
    Watch(String),
}

/// What the request threads share with the rebuild loop.
pub struct State {
    snapshot: RwLock<Arc<Snapshot>>,
    pub hub: reload::Hub,
    rebuilds: AtomicU64,
    pub lang: Lang,
}

impl State {
    /// The current snapshot (a cheap handle; later rebuilds do not change it).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Rebuilds since the start (the first build not counted).
    pub fn rebuilds(&self) -> u64 {
        self.rebuilds.load(Ordering::Relaxed)
    }

    fn swap(&self, next: Snapshot) {
        let next = Arc::new(next);
        match self.snapshot.write() {
            Ok(mut s) => *s = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
    }
}

/// Builds, serves and watches until the process is stopped.
pub fn run(opts: &Options) -> Result<(), Stop> {
    let root = opts
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.root.clone());
    let config = crate::config::Config::load(&root).map_err(Stop::Config)?;
    if let Some(s) = &opts.scope {
        if config.scope_index(s).is_none() {
            return Err(Stop::UnknownScope {
                scope: s.clone(),
                allowed: config.scope_names().join(", "),
            });
        }
    }
    let host: IpAddr = match &opts.bind {
        None => IpAddr::V4(Ipv4Addr::LOCALHOST),
        Some(b) => b.trim().parse().map_err(|_| Stop::BadBind(b.clone()))?,
    };
    // Watch before the first build, so no save is missed in between.
    let mut watcher = Watcher::start(&root).map_err(|e| Stop::Watch(e.to_string()))?;
    let state = Arc::new(State {
        snapshot: RwLock::new(Arc::new(Snapshot::default())),
        hub: reload::Hub::default(),
        rebuilds: AtomicU64::new(0),
        lang: opts.lang,
    });
    let out = crate::build::out_dir(&root, opts.out.as_deref());
    let mut session = Session::new(&root, &out, opts.scope.clone());
    let started = Instant::now();
    let first = session.rebuild(&Changes::all());
    let say = |key: &str, args: &[(&str, String)]| eprintln!("{}", tr(opts.lang, key, args));
    // Progress lines; `--quiet` keeps only errors, warnings of safety and the address.
    let info = |key: &str, args: &[(&str, String)]| {
        if !opts.quiet {
            say(key, args);
        }
    };
    match &first {
        Ok(built) => {
            if !opts.quiet {
                for d in &built.warnings {
                    eprintln!("{}", d.render(opts.lang));
                }
            }
            for p in &built.outside {
                say("serve.outside", &[("path", p.clone())]);
            }
            info(
                "serve.built",
                &[
                    ("scope", built.scope.clone()),
                    ("files", built.files.len().to_string()),
                    ("warnings", built.warnings.len().to_string()),
                    ("ms", millis(started)),
                ],
            );
        }
        Err(failed) => print_problems(&failed.problems, opts.lang),
    }
    for p in watcher.take_linked() {
        say("serve.linked_folder", &[("path", p)]);
    }
    apply(&state, first, opts.lang);

    let (listener, addr) = listen(host, opts.port, opts.lang)?;
    let url = match addr {
        SocketAddr::V6(a) => format!("http://[{}]:{}/", a.ip(), a.port()),
        SocketAddr::V4(a) => format!("http://{}:{}/", a.ip(), a.port()),
    };
    if !host.is_loopback() {
        say("serve.bind_warning", &[("addr", addr.to_string())]);
    }
    let guard = guard::Guard::new(host, addr.port(), opts.lang);
    let url = guard.launch_url(&url);
    say("serve.listening", &[("url", url.clone())]);
    let shared = state.clone();
    std::thread::spawn(move || {
        server::run(listener, move |req| match guard.screen(req) {
            Some(refusal) => server::Answer::Reply(refusal),
            None => http::route(req, &shared),
        })
    });
    if opts.open {
        open_browser(&url);
    }
    while let Some(changes) = watcher.wait() {
        let t = Instant::now();
        let result = session.rebuild(&changes);
        let what = changes.describe(opts.lang);
        let deleted = changes.all_gone(&root);
        for p in watcher.take_linked() {
            say("serve.linked_folder", &[("path", p)]);
        }
        match &result {
            Ok(built) => {
                for p in &built.outside {
                    say("serve.outside", &[("path", p.clone())]);
                }
            }
            Err(failed) => print_problems(&failed.problems, opts.lang),
        }
        let errors = result.as_ref().err().map(|f| f.problems.len());
        let changed = apply(&state, result, opts.lang);
        state.rebuilds.fetch_add(1, Ordering::Relaxed);
        let ms = millis(t);
        match errors {
            Some(n) => say(
                "serve.failed",
                &[("what", what), ("errors", n.to_string()), ("ms", ms)],
            ),
            None if changed.is_empty() => info(
                if deleted {
                    "serve.deleted_unchanged"
                } else {
                    "serve.unchanged"
                },
                &[("what", what), ("ms", ms)],
            ),
            None => info(
                if deleted {
                    "serve.deleted"
                } else {
                    "serve.rebuilt"
                },
                &[
                    ("what", what),
                    ("n", changed.len().to_string()),
                    ("files", sample(&changed)),
                    ("ms", ms),
                ],
            ),
        }
        watcher.rebuilt();
    }
    Ok(())
}

/// Swaps in the outcome of a rebuild and tells open pages; returns the
/// files whose bytes changed.
fn apply(state: &State, result: Result<site::Built, site::Failed>, lang: Lang) -> Vec<String> {
    let old = state.snapshot();
    let (next, changed) = match result {
        Ok(b) => {
            let panel = pages::warnings_panel(&b.warnings, lang);
            let update = if b.patched {
                site::Update::Some(b.files, b.documents)
            } else {
                site::Update::All(b.files, b.documents)
            };
            old.next(update, None, panel)
        }
        Err(f) => old.next(
            site::Update::Keep { gone: &f.gone },
            Some(reload::overlay(&f.problems, lang)),
            None,
        ),
    };
    if next.generation != old.generation {
        let all = next.decor() != old.decor();
        let msg = reload::event(next.generation, &changed, all);
        state.swap(next);
        state.hub.broadcast(&msg);
    }
    changed
}

fn print_problems(problems: &[Problem], lang: Lang) {
    for p in problems {
        eprintln!("{}", p.render(lang));
    }
}

fn millis(since: Instant) -> String {
    since.elapsed().as_millis().to_string()
}

/// The first few changed files, for the terminal line.
fn sample(changed: &[String]) -> String {
    let mut s = changed
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if changed.len() > 3 {
        s.push_str(", …");
    }
    s
}

/// Listens on `host:port`, or on the next free port when that one is busy.
fn listen(host: IpAddr, port: u16, lang: Lang) -> Result<(TcpListener, SocketAddr), Stop> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES)
    };
    let mut p = port;
    loop {
        let addr = SocketAddr::new(host, p);
        match TcpListener::bind(addr) {
            Ok(l) => {
                let local = l.local_addr().unwrap_or(addr);
                return Ok((l, local));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && p < last => {
                eprintln!(
                    "{}",
                    tr(
                        lang,
                        "serve.port_busy",
                        &[("port", p.to_string()), ("next", (p + 1).to_string())]
                    )
                );
                p += 1;
            }
            Err(e) => {
                return Err(Stop::Bind {
                    addr: addr.to_string(),
                    detail: e.to_string(),
                })
            }
        }
    }
}

/// Opens `url` in the desktop's browser, quietly; a failure only means the
/// writer opens it by hand.
fn open_browser(url: &str) {
    use std::process::{Command, Stdio};
    let candidates: &[(&str, &[&str])] = if cfg!(windows) {
        &[("cmd", &["/C", "start", ""])]
    } else if cfg!(target_os = "macos") {
        &[("open", &[])]
    } else {
        &[("xdg-open", &[])]
    };
    for (cmd, args) in candidates {
        let spawned = Command::new(cmd)
            .args(*args)
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if let Ok(mut child) = spawned {
            std::thread::spawn(move || child.wait());
            return;
        }
    }
}
