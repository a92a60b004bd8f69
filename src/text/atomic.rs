//! Files written under a temporary name and renamed into place when complete: the one way
//! selaras writes a file, so an interrupted run never leaves a half-written file under its final
//! name.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// Writing a file failed; names the file.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct FileError {
    /// The file being written (its final name).
    pub path: PathBuf,
    /// The underlying error.
    pub source: std::io::Error,
}

impl From<FileError> for std::io::Error {
    fn from(e: FileError) -> Self {
        std::io::Error::new(e.source.kind(), e)
    }
}

/// Wraps I/O errors with the file they concern.
fn at(path: &Path) -> impl Fn(std::io::Error) -> FileError + Copy + '_ {
    |source| FileError {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `bytes` to `path` atomically (parent folders are created).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    write_file(path, bytes, true)
}

/// [`write_atomic`] for a folder of many files (one per document): it does not list the folder
/// for temporary files left by a killed run, which would cost a scan of the whole folder per
/// file; sweep such a folder once with [`remove_stale_all`] instead.
pub fn write_atomic_unswept(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    write_file(path, bytes, false)
}

fn write_file(path: &Path, bytes: &[u8], sweep: bool) -> Result<(), FileError> {
    let error = at(path);
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = parent.unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(error)?;
    let name = path
        .file_name()
        .ok_or_else(|| error(std::io::Error::other("not a file name")))?
        .to_string_lossy();
    let mut file = AtomicFile::create_swept(dir, &name, sweep)?;
    file.write_all(bytes)?;
    file.commit()?;
    Ok(())
}

/// A buffered file that appears under its final name only on [`AtomicFile::commit`].
///
/// The temporary file lives in the same folder (so the rename is atomic) and is removed if the
/// value is dropped without being committed.
pub struct AtomicFile {
    out: BufWriter<NamedTempFile>,
    path: PathBuf,
}

impl AtomicFile {
    /// Starts writing the file that will be `dir/name`.
    /// Temporary files of `name` left behind by a killed run are removed first.
    pub fn create(dir: &Path, name: &str) -> Result<Self, FileError> {
        Self::create_swept(dir, name, true)
    }

    fn create_swept(dir: &Path, name: &str, sweep: bool) -> Result<Self, FileError> {
        let path = dir.join(name);
        if sweep {
            remove_stale(dir, name);
        }
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(at(&path))?;
        Ok(AtomicFile {
            out: BufWriter::with_capacity(1 << 16, tmp),
            path,
        })
    }

    /// Wraps an I/O error with the final path.
    pub fn error(&self, source: std::io::Error) -> FileError {
        at(&self.path)(source)
    }

    /// Appends bytes.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), FileError> {
        self.out.write_all(bytes).map_err(|e| self.error(e))
    }

    /// Appends a string.
    pub fn write_str(&mut self, text: &str) -> Result<(), FileError> {
        self.write_all(text.as_bytes())
    }

    /// The underlying writer, for `write!` and `std::io::copy`.
    pub fn writer(&mut self) -> &mut impl Write {
        &mut self.out
    }

    /// Flushes, syncs and renames the file to its final name; returns that name.
    pub fn commit(self) -> Result<PathBuf, FileError> {
        let AtomicFile { out, path } = self;
        let wrap = at(&path);
        let tmp = out.into_inner().map_err(|e| wrap(e.into_error()))?;
        tmp.as_file().sync_all().map_err(wrap)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
                .map_err(wrap)?;
        }
        tmp.persist(&path).map_err(|e| wrap(e.error))?;
        Ok(path)
    }
}

/// Removes `dir/.NAME.*.tmp` files: temporary files of a run that was killed before it could
/// clean up. Errors are ignored (a file another process removed first is fine).
fn remove_stale(dir: &Path, name: &str) {
    remove_stale_prefixed(dir, &format!(".{name}."));
}

/// Removes every `dir/.*.tmp` file: the temporary files a killed run left in a folder written
/// with [`write_atomic_unswept`]. Errors are ignored.
pub fn remove_stale_all(dir: &Path) {
    remove_stale_prefixed(dir, ".");
}

fn remove_stale_prefixed(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if file_name.starts_with(prefix)
            && file_name.ends_with(".tmp")
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_renames_and_drop_removes() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = AtomicFile::create(dir.path(), "out.txt").unwrap();
        file.write_str("hello").unwrap();
        assert!(!dir.path().join("out.txt").exists());
        let path = file.commit().unwrap();
        assert_eq!(std::fs::read_to_string(path).unwrap(), "hello");

        let mut file = AtomicFile::create(dir.path(), "other.txt").unwrap();
        file.write_str("partial").unwrap();
        drop(file);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.txt"]);
    }

    #[test]
    fn stale_temporary_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".out.txt.abc123.tmp"), "old").unwrap();
        std::fs::write(dir.path().join(".other.txt.abc123.tmp"), "keep").unwrap();
        let file = AtomicFile::create(dir.path(), "out.txt").unwrap();
        file.commit().unwrap();
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".other.txt.abc123.tmp", "out.txt"]);
    }

    #[test]
    fn unswept_writes_leave_stale_files_to_one_sweep() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".a.json.abc123.tmp"), "old").unwrap();
        write_atomic_unswept(&dir.path().join("b.json"), b"b").unwrap();
        assert!(dir.path().join(".a.json.abc123.tmp").exists());
        remove_stale_all(dir.path());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["b.json"]);
    }

    #[test]
    fn write_atomic_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(dir.path().join("sub")).unwrap().count(),
            1
        );
    }
}
