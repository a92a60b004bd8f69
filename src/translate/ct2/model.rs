//! Locating a model on disk: an Argos pack (file or folder) or a converted OPUS-MT folder.

use super::archive;
use crate::translate::TranslateError;
use std::fs;
use std::path::{Path, PathBuf};

/// The two model layouts selaras reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// Argos Translate pack: `metadata.json`, `sentencepiece.model`, `model/` (CTranslate2).
    Argos,
    /// CTranslate2 folder converted from OPUS-MT, with `source.spm` and `target.spm`.
    OpusMt,
}

/// The files of a model and what they say about it.
#[derive(Debug, Clone)]
pub struct ModelFiles {
    /// Layout of the model.
    pub kind: ModelKind,
    /// Folder holding the CTranslate2 model (`model.bin`, `config.json`, vocabularies).
    pub ct2_dir: PathBuf,
    /// SentencePiece model for the source side.
    pub source_spm: PathBuf,
    /// SentencePiece model for the target side (OPUS-MT); Argos packs join pieces instead.
    pub target_spm: Option<PathBuf>,
    /// Source language, when the model records it (`metadata.json`, or an `opus-mt-xx-yy` name).
    pub source_lang: Option<String>,
    /// Target language, when the model records it.
    pub target_lang: Option<String>,
    /// The file the languages were read from (named in mismatch errors).
    pub lang_source: Option<PathBuf>,
    /// Whether the tokenizer must append `</s>`: false when CTranslate2 adds it itself
    /// (`add_source_eos` in `config.json`) and for Argos packs (argostranslate never appends it).
    pub append_eos: bool,
}

/// Find the model at `path`: an `.argosmodel` file (unpacked into a cache folder next to it),
/// an unpacked Argos pack folder, or a CTranslate2 folder converted from OPUS-MT.
pub fn locate(path: &Path) -> Result<ModelFiles, TranslateError> {
    let meta = fs::metadata(path).map_err(|e| {
        config(
            path,
            format!("model not found ({e}); run scripts/fetch-models or see models/README.md"),
        )
    })?;
    if meta.is_file() {
        let unpacked = archive::unpack(path)?;
        let root = pack_root(&unpacked).ok_or_else(|| {
            config(
                path,
                "the archive holds no Argos pack (no metadata.json)".into(),
            )
        })?;
        return read_argos(&root);
    }
    if path.join("metadata.json").is_file() {
        return read_argos(path);
    }
    if path.join("source.spm").is_file() {
        return read_opus_mt(path);
    }
    Err(config(
        path,
        "not a model folder: expected an Argos pack (metadata.json, sentencepiece.model, model/) \
         or a CTranslate2 OPUS-MT folder (model.bin, source.spm, target.spm)"
            .into(),
    ))
}

/// The folder holding `metadata.json`: the unpacked folder itself or its only subfolder with one.
fn pack_root(unpacked: &Path) -> Option<PathBuf> {
    if unpacked.join("metadata.json").is_file() {
        return Some(unpacked.to_path_buf());
    }
    let mut found = fs::read_dir(unpacked)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("metadata.json").is_file());
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

fn read_argos(root: &Path) -> Result<ModelFiles, TranslateError> {
    let metadata_path = root.join("metadata.json");
    let text = fs::read_to_string(&metadata_path)
        .map_err(|e| config(&metadata_path, format!("cannot read: {e}")))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| config(&metadata_path, format!("not valid JSON: {e}")))?;
    let code = |key: &str| -> Result<String, TranslateError> {
        json[key]
            .as_str()
            .filter(|v| !v.trim().is_empty())
            .map(|v| v.trim().to_string())
            .ok_or_else(|| config(&metadata_path, format!("missing the `{key}` language code")))
    };
    let (source_lang, target_lang) = (code("from_code")?, code("to_code")?);
    if json["target_prefix"]
        .as_str()
        .is_some_and(|p| !p.is_empty())
    {
        return Err(config(
            &metadata_path,
            "packs with a `target_prefix` (multilingual models) are not supported".into(),
        ));
    }
    let source_spm = require_file(root, "sentencepiece.model")?;
    let ct2_dir = root.join("model");
    require_file(&ct2_dir, "model.bin")?;
    Ok(ModelFiles {
        kind: ModelKind::Argos,
        ct2_dir,
        source_spm,
        target_spm: None,
        source_lang: Some(source_lang),
        target_lang: Some(target_lang),
        lang_source: Some(metadata_path),
        append_eos: false,
    })
}

fn read_opus_mt(root: &Path) -> Result<ModelFiles, TranslateError> {
    require_file(root, "model.bin")?;
    let source_spm = require_file(root, "source.spm")?;
    let target_spm = require_file(root, "target.spm")?;
    let adds_eos = read_add_source_eos(root)?;
    let (source_lang, target_lang) = opus_mt_languages(root).unzip();
    Ok(ModelFiles {
        kind: ModelKind::OpusMt,
        ct2_dir: root.to_path_buf(),
        source_spm,
        target_spm: Some(target_spm),
        lang_source: source_lang.as_ref().map(|_| root.to_path_buf()),
        source_lang,
        target_lang,
        append_eos: !adds_eos,
    })
}

/// `add_source_eos` from the CTranslate2 `config.json` (false when the file or key is absent).
fn read_add_source_eos(ct2_dir: &Path) -> Result<bool, TranslateError> {
    let path = ct2_dir.join("config.json");
    let Ok(text) = fs::read_to_string(&path) else {
        return Ok(false);
    };
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| config(&path, format!("not valid JSON: {e}")))?;
    Ok(json["add_source_eos"].as_bool().unwrap_or(false))
}

/// Languages from a folder named like `opus-mt-id-en` (the Hugging Face model name).
fn opus_mt_languages(root: &Path) -> Option<(String, String)> {
    let name = root.file_name()?.to_str()?.to_ascii_lowercase();
    let rest = &name[name.find("opus-mt-")? + "opus-mt-".len()..];
    let mut parts = rest.split(['-', '_']);
    let (from, to) = (parts.next()?, parts.next()?);
    let is_code = |s: &str| (2..=3).contains(&s.len()) && s.chars().all(|c| c.is_ascii_lowercase());
    (is_code(from) && is_code(to)).then(|| (from.to_string(), to.to_string()))
}

fn require_file(dir: &Path, name: &str) -> Result<PathBuf, TranslateError> {
    let path = dir.join(name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(config(&path, "missing from the model".into()))
    }
}

/// A configuration error naming `path`.
pub(super) fn config(path: &Path, problem: String) -> TranslateError {
    TranslateError::Config(format!("{}: {problem}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argos_folder(metadata: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("metadata.json"), metadata).unwrap();
        fs::write(dir.path().join("sentencepiece.model"), b"x").unwrap();
        fs::create_dir(dir.path().join("model")).unwrap();
        fs::write(dir.path().join("model/model.bin"), b"x").unwrap();
        dir
    }

    #[test]
    fn reads_argos_languages() {
        let dir = argos_folder(r#"{"from_code": "id", "to_code": "en"}"#);
        let files = locate(dir.path()).unwrap();
        assert_eq!(files.kind, ModelKind::Argos);
        assert_eq!(files.source_lang.as_deref(), Some("id"));
        assert_eq!(files.target_lang.as_deref(), Some("en"));
        assert!(!files.append_eos);
    }

    #[test]
    fn bad_metadata_names_the_file() {
        let dir = argos_folder("{not json");
        let err = locate(dir.path()).unwrap_err().to_string();
        assert!(err.contains("metadata.json: not valid JSON"), "{err}");
        let dir = argos_folder(r#"{"from_code": "id"}"#);
        let err = locate(dir.path()).unwrap_err().to_string();
        assert!(err.contains("missing the `to_code`"), "{err}");
    }

    #[test]
    fn missing_pieces_are_named() {
        let dir = argos_folder(r#"{"from_code": "id", "to_code": "en"}"#);
        fs::remove_file(dir.path().join("model/model.bin")).unwrap();
        let err = locate(dir.path()).unwrap_err().to_string();
        assert!(err.contains("model.bin: missing from the model"), "{err}");
        let err = locate(&dir.path().join("nope")).unwrap_err().to_string();
        assert!(err.contains("model not found"), "{err}");
        let empty = tempfile::tempdir().unwrap();
        let err = locate(empty.path()).unwrap_err().to_string();
        assert!(err.contains("not a model folder"), "{err}");
    }

    #[test]
    fn opus_mt_folder_appends_eos_unless_config_adds_it() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("opus-mt-id-en-ct2");
        fs::create_dir(&dir).unwrap();
        for f in ["model.bin", "source.spm", "target.spm"] {
            fs::write(dir.join(f), b"x").unwrap();
        }
        let files = locate(&dir).unwrap();
        assert_eq!(files.kind, ModelKind::OpusMt);
        assert!(files.append_eos);
        assert_eq!(files.source_lang.as_deref(), Some("id"));
        assert_eq!(files.target_lang.as_deref(), Some("en"));
        fs::write(dir.join("config.json"), r#"{"add_source_eos": true}"#).unwrap();
        assert!(!locate(&dir).unwrap().append_eos);
    }
}
