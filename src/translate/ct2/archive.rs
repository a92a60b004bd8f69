//! Unpacking Argos `.argosmodel` files (zip archives) into a cache folder next to them.

use super::model::config;
use crate::translate::TranslateError;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Folder, next to the pack file, that holds unpacked packs.
const CACHE_DIR: &str = ".selaras-unpacked";

/// Unpack `pack` (once; later calls reuse the folder) and return the folder it was unpacked to.
///
/// The folder name records the pack's size and modification time, so a replaced pack is unpacked
/// again. It is created beside the pack, or under the system temporary folder when the pack's
/// folder is read-only. Extraction goes to a temporary folder that is renamed when complete.
pub fn unpack(pack: &Path) -> Result<PathBuf, TranslateError> {
    let meta = fs::metadata(pack).map_err(|e| config(pack, format!("cannot read: {e}")))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    let file_name = pack
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pack".to_string());
    let key = format!("{file_name}-{}-{mtime}", meta.len());

    let parent = pack.parent().filter(|p| !p.as_os_str().is_empty());
    let beside = parent.unwrap_or(Path::new(".")).join(CACHE_DIR);
    let fallback = std::env::temp_dir().join("selaras-unpacked");
    for base in [beside, fallback] {
        let dest = base.join(&key);
        if dest.is_dir() {
            return Ok(dest);
        }
        if fs::create_dir_all(&base).is_err() {
            continue;
        }
        let staging = tempfile::Builder::new()
            .prefix(".unpacking-")
            .tempdir_in(&base);
        let Ok(staging) = staging else { continue };
        extract(pack, staging.path())?;
        let staged = staging.keep();
        if let Err(err) = fs::rename(&staged, &dest) {
            let _ = fs::remove_dir_all(&staged);
            // Another process may have unpacked the same pack meanwhile.
            if !dest.is_dir() {
                return Err(config(
                    pack,
                    format!("cannot unpack into {}: {err}", dest.display()),
                ));
            }
        }
        return Ok(dest);
    }
    Err(config(
        pack,
        "no writable folder to unpack it into".to_string(),
    ))
}

fn extract(pack: &Path, into: &Path) -> Result<(), TranslateError> {
    let file = fs::File::open(pack).map_err(|e| config(pack, format!("cannot open: {e}")))?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| config(pack, format!("not a valid .argosmodel (zip) file: {e}")))?;
    archive
        .extract(into)
        .map_err(|e| config(pack, format!("cannot unpack: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write_zip(path: &Path, files: &[(&str, &str)]) {
        let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
        for (name, body) in files {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }

    #[test]
    fn unpacks_once_beside_the_pack() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("translate-xx_en.argosmodel");
        write_zip(&pack, &[("translate-xx_en/metadata.json", "{}")]);
        let first = unpack(&pack).unwrap();
        assert!(first.starts_with(dir.path().join(CACHE_DIR)));
        assert!(first.join("translate-xx_en/metadata.json").is_file());
        assert_eq!(unpack(&pack).unwrap(), first);
    }

    #[test]
    fn corrupt_pack_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("broken.argosmodel");
        fs::write(&pack, b"this is not a zip").unwrap();
        let err = unpack(&pack).unwrap_err().to_string();
        assert!(err.contains("broken.argosmodel"), "{err}");
        assert!(err.contains("not a valid .argosmodel"), "{err}");
    }
}
