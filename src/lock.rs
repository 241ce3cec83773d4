//! The site lock: one `build` or `publish` at a time per output folder.
//!
//! The lock is an OS file lock (`File::try_lock`: `flock` on Unix,
//! `LockFileEx` on Windows) on `<out>/.gongshi-lock`. It lives in the output
//! folder itself, so every spelling of one folder (`site`, `./site/`, an
//! absolute path, a shared drive seen by two machines) meets the same lock,
//! while `build --out` into another folder does not wait for it (it writes
//! nothing the other run writes). `serve` builds in memory and takes none.
//! The OS drops the lock when its holder ends, however it ends, so a killed
//! build never leaves the site locked. The file itself stays (removing a
//! lock file races with the next run opening it); while locked it holds
//! the holder's process id, for the message of a run that has to wait, and
//! it is emptied on release, so two builds leave the same bytes.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file's name inside the output folder.
pub const FILE: &str = ".gongshi-lock";

/// How long a run waits for another one before giving up.
pub const WAIT: Duration = Duration::from_secs(600);

/// The output folder, locked until this is dropped.
#[derive(Debug)]
pub struct SiteLock {
    file: File,
}

impl Drop for SiteLock {
    fn drop(&mut self) {
        // Still locked here; closing the file then releases it.
        let _ = self.file.set_len(0);
    }
}

/// Why the lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another run held it for the whole wait; its process id if known.
    Busy { pid: Option<u32>, waited: Duration },
    /// The lock file could not be made or locked.
    Io { path: PathBuf, detail: String },
}

impl SiteLock {
    /// Locks `out` (made if missing). While another run holds it, calls
    /// `waiting` once with that run's process id, then waits up to `limit`.
    pub fn acquire(
        out: &Path,
        limit: Duration,
        waiting: &mut dyn FnMut(Option<u32>),
    ) -> Result<SiteLock, LockError> {
        let path = out.join(FILE);
        let io = |e: io::Error| LockError::Io {
            path: path.clone(),
            detail: e.to_string(),
        };
        std::fs::create_dir_all(out).map_err(io)?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let started = Instant::now();
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
            let pid = holder(&mut file);
            // The holder writes its id just after locking: give it a moment.
            if !told && (pid.is_some() || started.elapsed() > Duration::from_millis(500)) {
                waiting(pid);
                told = true;
            }
            if started.elapsed() >= limit {
                return Err(LockError::Busy {
                    pid,
                    waited: started.elapsed(),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        writeln!(file, "{}", std::process::id()).map_err(io)?;
        Ok(SiteLock { file })
    }
}

/// The process id written in the lock file, when there is one.
fn holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_then_gives_up_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = SiteLock::acquire(dir.path(), WAIT, &mut |_| {}).unwrap();
        let mut told = Vec::new();
        let second = SiteLock::acquire(dir.path(), Duration::from_millis(700), &mut |p| {
            told.push(p)
        });
        let me = Some(std::process::id());
        assert!(matches!(second, Err(LockError::Busy { pid, .. }) if pid == me));
        assert_eq!(told, vec![me]);
        drop(first);
        assert!(SiteLock::acquire(dir.path(), WAIT, &mut |_| {}).is_ok());
        assert_eq!(std::fs::read(dir.path().join(FILE)).unwrap(), b"");
    }
}
