//! One run folder, one writer: an exclusive lock on `OUT/.selaras/lock`.
//!
//! The lock is an advisory `flock` held for the life of the run (Linux NFS clients turn it into
//! a POSIX lock on the server, so it holds across nodes of a shared filesystem). The kernel
//! drops it when the process ends however it ends, so a killed run leaves no stale lock. The
//! holder writes its host and process id into the file, so a refused run can name it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file inside a state folder.
pub const LOCK_FILE: &str = "lock";

/// A held lock on a run folder; released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

/// Taking the lock failed.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds the lock.
    #[error("{folder} is in use by {holder}; wait for it to finish or stop it first (one run per output folder)")]
    Busy {
        /// The run folder.
        folder: String,
        /// Who holds it (`host HOST, pid PID`), as written by the holder.
        holder: String,
    },
    /// The lock file could not be opened or locked.
    #[error("cannot lock {}: {source}", path.display())]
    Io {
        /// The lock file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// This machine's host name (`unknown host` when it cannot be read).
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown host".into())
}

/// Whoever the lock file names as its holder.
fn holder_of(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind().and_then(|_| file.read_to_string(&mut text));
    let text = text.trim();
    if text.is_empty() {
        "another process".into()
    } else {
        text.to_string()
    }
}

impl FolderLock {
    /// Take the exclusive lock of the run folder `out` (its state folder `out/.selaras` is
    /// created when missing); refuses at once when another process holds it.
    pub fn exclusive(out: &Path) -> Result<FolderLock, LockError> {
        let dir = out.join(".selaras");
        let path = dir.join(LOCK_FILE);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(&dir).map_err(io)?;
        let mut file = (OpenOptions::new().read(true).write(true).create(true))
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::Busy {
                    folder: out.display().to_string(),
                    holder: holder_of(&mut file),
                })
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        let owner = format!("host {}, pid {}\n", host_name(), std::process::id());
        file.set_len(0)
            .and_then(|_| file.rewind())
            .and_then(|_| file.write_all(owner.as_bytes()))
            .and_then(|_| file.flush())
            .map_err(io)?;
        Ok(FolderLock { _file: file })
    }

    /// Check that no run is writing the folder `out`, and hold a shared lock on it (so none
    /// starts) while the returned value lives; `None` when the folder has no lock file.
    pub fn shared(out: &Path) -> Result<Option<FolderLock>, LockError> {
        let path = out.join(".selaras").join(LOCK_FILE);
        let mut file = match OpenOptions::new().read(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(LockError::Io { path, source }),
        };
        match file.try_lock_shared() {
            Ok(()) => Ok(Some(FolderLock { _file: file })),
            Err(TryLockError::WouldBlock) => Err(LockError::Busy {
                folder: out.display().to_string(),
                holder: holder_of(&mut file),
            }),
            Err(TryLockError::Error(source)) => Err(LockError::Io { path, source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_with_the_first_ones_name() {
        let dir = tempfile::tempdir().unwrap();
        let first = FolderLock::exclusive(dir.path()).unwrap();
        let err = FolderLock::exclusive(dir.path()).unwrap_err().to_string();
        let me = format!("pid {}", std::process::id());
        assert!(err.contains(&me) && err.contains("in use by host"), "{err}");
        let err = FolderLock::shared(dir.path()).unwrap_err().to_string();
        assert!(err.contains(&me), "{err}");
        drop(first);
        let reader = FolderLock::shared(dir.path()).unwrap();
        assert!(reader.is_some());
        assert!(
            FolderLock::exclusive(dir.path()).is_err(),
            "a reader blocks a writer"
        );
        drop(reader);
        FolderLock::exclusive(dir.path()).unwrap();
        let empty = tempfile::tempdir().unwrap();
        assert!(FolderLock::shared(empty.path()).unwrap().is_none());
    }
}
