//! Where gongshi looks for a browser to print with, when config
//! `booklet.chromium` names none. The search is a pure function of a
//! [`Host`] (its system, environment variables, which files are programs,
//! and on Windows the registry's App Paths), so every system's order is
//! tested anywhere with a fake host; only [`RealHost`] touches the machine.
//!
//! The order, first found wins:
//! 1. the names of [`path_names`] on `PATH` (on Windows with `.exe`);
//! 2. the standard install locations of [`standard_locations`];
//! 3. on Windows, the registry's App Paths of `msedge.exe`, then
//!    `chrome.exe` (`HKLM`, then `HKCU` for per-user installs), read
//!    with `reg query`.

use std::path::PathBuf;

/// The system whose conventions the search follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    Windows,
    MacOs,
    /// Linux and other Unix (UOS, Kylin, Debian, …).
    Unix,
}

impl System {
    /// The system gongshi runs on.
    pub fn current() -> System {
        if cfg!(windows) {
            System::Windows
        } else if cfg!(target_os = "macos") {
            System::MacOs
        } else {
            System::Unix
        }
    }
}

/// What the search may ask of the machine.
pub trait Host {
    fn system(&self) -> System;
    /// An environment variable (on Windows, its name in any case).
    fn var(&self, name: &str) -> Option<String>;
    /// Whether `path` is a program that can be started.
    fn is_program(&self, path: &str) -> bool;
    /// The paths registered in App Paths for `exe`, machine-wide first,
    /// then the user's own (Windows only).
    fn app_paths(&self, exe: &str) -> Vec<String>;
}

/// Program names looked up on `PATH`, in order.
pub fn path_names(system: System) -> &'static [&'static str] {
    match system {
        System::Windows => &["msedge", "chrome", "chromium"],
        System::MacOs | System::Unix => &[
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
            "microsoft-edge",
            "microsoft-edge-stable",
        ],
    }
}

/// Standard install locations, in order. On Windows these are the
/// installers' folders of Edge (present on every Windows 10 and 11) and of
/// Chrome (system-wide, then per-user); an unset variable skips its entry.
/// On macOS, the app bundles. On Linux none: the distributions' and the
/// vendors' packages link their programs into `/usr/bin`, which is on
/// `PATH`; UOS app packages (`/opt/apps/…`) follow no fixed layout.
pub fn standard_locations(host: &dyn Host) -> Vec<String> {
    const EDGE: &str = r"Microsoft\Edge\Application\msedge.exe";
    const CHROME: &str = r"Google\Chrome\Application\chrome.exe";
    match host.system() {
        System::Windows => [
            ("ProgramFiles(x86)", EDGE),
            ("ProgramFiles", EDGE),
            ("ProgramFiles", CHROME),
            ("ProgramFiles(x86)", CHROME),
            ("LocalAppData", CHROME),
        ]
        .iter()
        .filter_map(|(var, rest)| {
            let base = host.var(var).filter(|b| !b.trim().is_empty())?;
            Some(format!("{}\\{rest}", base.trim_end_matches(['\\', '/'])))
        })
        .collect(),
        System::MacOs => vec![
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome".into(),
            "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge".into(),
            "/Applications/Chromium.app/Contents/MacOS/Chromium".into(),
        ],
        System::Unix => Vec::new(),
    }
}

/// Executables whose App Paths are read on Windows, in order.
pub const APP_PATHS: [&str; 2] = ["msedge.exe", "chrome.exe"];

/// The first browser found, in the order of the module's documentation.
pub fn discover(host: &dyn Host) -> Option<PathBuf> {
    let system = host.system();
    let on_path = path_names(system)
        .iter()
        .find_map(|name| on_path(host, name));
    on_path
        .or_else(|| {
            standard_locations(host)
                .into_iter()
                .find(|p| host.is_program(p))
        })
        .or_else(|| {
            (system == System::Windows)
                .then(|| {
                    APP_PATHS
                        .iter()
                        .flat_map(|exe| host.app_paths(exe))
                        .find(|p| host.is_program(p))
                })
                .flatten()
        })
        .map(PathBuf::from)
}

/// The program `name` in a folder of `PATH` (`name.exe` on Windows,
/// unless `name` ends with `.exe` already).
pub fn on_path(host: &dyn Host, name: &str) -> Option<String> {
    let path = host.var("PATH")?;
    let (sep, slash, ext) = match host.system() {
        System::Windows if !name.to_ascii_lowercase().ends_with(".exe") => (';', '\\', ".exe"),
        System::Windows => (';', '\\', ""),
        System::MacOs | System::Unix => (':', '/', ""),
    };
    path.split(sep)
        .map(|dir| dir.trim().trim_matches('"'))
        .filter(|dir| !dir.is_empty())
        .map(|dir| format!("{}{slash}{name}{ext}", dir.trim_end_matches(['\\', '/'])))
        .find(|p| host.is_program(p))
}

/// The value of a `reg query "<key>" /ve` answer: the text after its
/// `REG_SZ` (or `REG_EXPAND_SZ`, its `%VAR%`s expanded by `var`). The
/// answer is in the console's code page: UTF-8 if it is valid, else GBK
/// (Chinese Windows). A wrong reading only names a file that is not there.
pub fn parse_reg_query(bytes: &[u8], var: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::GBK.decode(bytes).0.into_owned(),
    };
    text.lines().find_map(|line| {
        let (kind, value) = ["REG_SZ", "REG_EXPAND_SZ"].iter().find_map(|k| {
            let i = line.find(&format!(" {k} "))?;
            Some((*k, line[i + k.len() + 2..].trim().trim_matches('"')))
        })?;
        let value = if kind == "REG_EXPAND_SZ" {
            expand(value, var)
        } else {
            value.to_string()
        };
        (!value.is_empty()).then_some(value)
    })
}

/// `%NAME%` replaced by the variable's value (left as written if unset).
fn expand(text: &str, var: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('%') {
            Some(j) => {
                let name = &after[..j];
                match var(name) {
                    Some(v) if !name.is_empty() => out.push_str(&v),
                    _ => out.push_str(&rest[i..i + j + 2]),
                }
                rest = &after[j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The machine gongshi runs on.
pub struct RealHost;

impl Host for RealHost {
    fn system(&self) -> System {
        System::current()
    }

    fn var(&self, name: &str) -> Option<String> {
        std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
    }

    fn is_program(&self, path: &str) -> bool {
        let p = std::path::Path::new(path);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        }
        #[cfg(not(unix))]
        {
            p.is_file()
        }
    }

    #[cfg(windows)]
    fn app_paths(&self, exe: &str) -> Vec<String> {
        ["HKLM", "HKCU"]
            .iter()
            .filter_map(|hive| {
                let key =
                    format!(r"{hive}\SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\{exe}");
                let out = std::process::Command::new("reg")
                    .args(["query", key.as_str(), "/ve"])
                    .stdin(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .output()
                    .ok()
                    .filter(|o| o.status.success())?;
                parse_reg_query(&out.stdout, &|name| self.var(name))
            })
            .collect()
    }

    #[cfg(not(windows))]
    fn app_paths(&self, _exe: &str) -> Vec<String> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A machine described in the test: its variables (names in any case
    /// on Windows), its programs and its App Paths.
    struct Fake {
        system: System,
        vars: BTreeMap<String, String>,
        programs: Vec<String>,
        app_paths: Vec<(String, String)>,
    }

    impl Fake {
        fn new(system: System, vars: &[(&str, &str)], programs: &[&str]) -> Fake {
            Fake {
                system,
                vars: vars
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                programs: programs.iter().map(|p| p.to_string()).collect(),
                app_paths: Vec::new(),
            }
        }

        fn found(&self) -> Option<String> {
            discover(self).map(|p| p.to_string_lossy().into_owned())
        }
    }

    impl Host for Fake {
        fn system(&self) -> System {
            self.system
        }
        fn var(&self, name: &str) -> Option<String> {
            let windows = self.system == System::Windows;
            self.vars
                .iter()
                .find(|(k, _)| *k == name || (windows && k.eq_ignore_ascii_case(name)))
                .map(|(_, v)| v.clone())
        }
        fn is_program(&self, path: &str) -> bool {
            self.programs.iter().any(|p| p == path)
        }
        fn app_paths(&self, exe: &str) -> Vec<String> {
            self.app_paths
                .iter()
                .filter(|(e, _)| e == exe)
                .map(|(_, p)| p.clone())
                .collect()
        }
    }

    /// The variables of a 64-bit Windows 10 or 11.
    const WINDOWS: &[(&str, &str)] = &[
        ("ProgramFiles", r"C:\Program Files"),
        ("ProgramFiles(x86)", r"C:\Program Files (x86)"),
        ("LOCALAPPDATA", r"C:\Users\张三\AppData\Local"),
        ("Path", r"C:\Windows\system32;C:\Windows;"),
    ];
    const EDGE_X86: &str = r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe";
    const EDGE: &str = r"C:\Program Files\Microsoft\Edge\Application\msedge.exe";
    const CHROME: &str = r"C:\Program Files\Google\Chrome\Application\chrome.exe";
    const CHROME_X86: &str = r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe";
    const CHROME_USER: &str = r"C:\Users\张三\AppData\Local\Google\Chrome\Application\chrome.exe";

    #[test]
    fn windows_with_only_edge_finds_edge() {
        assert_eq!(
            Fake::new(System::Windows, WINDOWS, &[EDGE_X86]).found(),
            Some(EDGE_X86.into())
        );
        assert_eq!(
            Fake::new(System::Windows, WINDOWS, &[EDGE]).found(),
            Some(EDGE.into())
        );
    }

    #[test]
    fn windows_locations_are_tried_in_the_documented_order() {
        let order = [EDGE_X86, EDGE, CHROME, CHROME_X86, CHROME_USER];
        for (i, first) in order.iter().enumerate() {
            let installed: Vec<&str> = order[i..].iter().rev().copied().collect();
            assert_eq!(
                Fake::new(System::Windows, WINDOWS, &installed).found(),
                Some(first.to_string()),
                "{installed:?}"
            );
        }
    }

    #[test]
    fn windows_per_user_chrome_is_found_under_localappdata() {
        let vars = [("LocalAppData", r"D:\用户\AppData\Local\")];
        let chrome = r"D:\用户\AppData\Local\Google\Chrome\Application\chrome.exe";
        assert_eq!(
            Fake::new(System::Windows, &vars, &[chrome]).found(),
            Some(chrome.into())
        );
    }

    #[test]
    fn windows_path_comes_first_and_takes_exe() {
        let mut vars: Vec<_> = WINDOWS
            .iter()
            .filter(|(k, _)| *k != "Path")
            .copied()
            .collect();
        vars.push(("PATH", r#"C:\Windows;"D:\便携\Chromium\";"#));
        let portable = r"D:\便携\Chromium\chromium.exe";
        let fake = Fake::new(System::Windows, &vars, &[portable, EDGE_X86]);
        assert_eq!(fake.found(), Some(portable.into()));
        // a name configured with or without .exe
        assert_eq!(on_path(&fake, "chromium"), Some(portable.into()));
        assert_eq!(on_path(&fake, "chromium.exe"), Some(portable.into()));
    }

    #[test]
    fn windows_app_paths_are_the_last_resort() {
        let elsewhere = r"E:\Apps\Chrome\chrome.exe";
        let mut fake = Fake::new(System::Windows, WINDOWS, &[elsewhere]);
        fake.app_paths = vec![
            ("msedge.exe".into(), r"C:\gone\msedge.exe".into()),
            ("chrome.exe".into(), elsewhere.into()),
        ];
        assert_eq!(fake.found(), Some(elsewhere.into()));
        fake.programs.push(CHROME_USER.into());
        assert_eq!(fake.found(), Some(CHROME_USER.into()));
        // Unset variables give no location, and nothing found is None.
        assert_eq!(Fake::new(System::Windows, &[], &[CHROME]).found(), None);
    }

    #[test]
    fn linux_path_names_in_order() {
        let vars = [("PATH", "/usr/local/bin:/usr/bin:/bin")];
        let cases = [
            (
                vec!["/usr/bin/chromium", "/usr/bin/google-chrome"],
                "/usr/bin/chromium",
            ),
            (
                vec!["/usr/bin/chromium-browser"],
                "/usr/bin/chromium-browser",
            ),
            (
                vec!["/usr/bin/google-chrome-stable", "/usr/bin/microsoft-edge"],
                "/usr/bin/google-chrome-stable",
            ),
            (
                vec!["/usr/bin/microsoft-edge-stable"],
                "/usr/bin/microsoft-edge-stable",
            ),
            (
                vec!["/usr/bin/google-chrome", "/usr/local/bin/google-chrome"],
                "/usr/local/bin/google-chrome",
            ),
        ];
        for (programs, want) in cases {
            let found = Fake::new(System::Unix, &vars, &programs).found();
            assert_eq!(found.as_deref(), Some(want), "{programs:?}");
        }
    }

    #[test]
    fn linux_looks_on_path_only() {
        // What is not on PATH is not found (an empty PATH means no browser),
        // and App Paths are a Windows thing.
        let mut fake = Fake::new(System::Unix, &[("PATH", "/bin")], &["/usr/bin/chromium"]);
        fake.app_paths = vec![("chrome.exe".into(), "/usr/bin/chromium".into())];
        assert_eq!(fake.found(), None);
        fake.vars.insert("PATH".into(), "/bin:/usr/bin".into());
        assert_eq!(fake.found().as_deref(), Some("/usr/bin/chromium"));
    }

    #[test]
    fn reg_query_answers_are_read() {
        let none = |_: &str| None;
        let en = b"\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\msedge.exe\r\n    (Default)    REG_SZ    C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\r\n\r\n";
        assert_eq!(parse_reg_query(en, &none).as_deref(), Some(EDGE_X86));
        let zh = encoding_rs::GBK
            .encode("\r\nHKEY_CURRENT_USER\\…\\chrome.exe\r\n    (默认)    REG_SZ    C:\\Users\\张三\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe\r\n")
            .0;
        assert_eq!(parse_reg_query(&zh, &none).as_deref(), Some(CHROME_USER));
        let var = |n: &str| (n == "ProgramFiles").then(|| r"C:\Program Files".to_string());
        let expand = b"    (Default)    REG_EXPAND_SZ    \"%ProgramFiles%\\Google\\Chrome\\Application\\chrome.exe\"\r\n";
        assert_eq!(parse_reg_query(expand, &var).as_deref(), Some(CHROME));
        assert_eq!(parse_reg_query(b"ERROR: not found\r\n", &none), None);
    }
}
