//! `--backend auto`: choose the best backend available for a language pair, in this order:
//! 1. an installed CTranslate2/Argos model for the pair (`models/*/metadata.json` with
//!    matching `from_code`/`to_code`; builds with the `ct2` feature);
//! 2. a configured HTTP backend;
//! 3. for id→en, the best installed GGUF model for the `llm` backend ([`GGUF_MODELS`]: Qwen2.5-Coder
//!    1.5B, then 0.5B, then Gemma 3 270M; builds with the `llm` feature).
//!
//! The choice comes with the backend's known quality level, to print when a run starts.

use super::spec::{BackendSpec, Ct2Spec, LlmSpec};
use std::path::{Path, PathBuf};

/// The GGUF models `scripts/fetch-models` installs for id→en, best first: file name and the
/// quality to expect (`selaras eval translate` against the first 100 lines of
/// `tests/data/eval/news_id_en.dev.tsv`, or the software-help test set, see BENCHMARKS.md).
pub const GGUF_MODELS: [(&str, &str); 3] = [
    (
        "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        "Qwen2.5-Coder 1.5B Instruct — BLEU 27.3 / chrF 55.2 on the first 100 news dev \
         sentences, 39.3 / 61.8 on 100 software-help sentences; review flagged pairs",
    ),
    (
        "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        "Qwen2.5-Coder 0.5B Instruct — BLEU 16.4 / chrF 42.4 on the first 100 news dev \
         sentences, rough drafts; review flagged pairs",
    ),
    (
        "gemma-3-270m-q4_k_m.gguf",
        "Gemma 3 270M base — BLEU 21.7 / chrF 49.2 on the first 100 news dev sentences, draft \
         quality with invented names and numbers; review flagged pairs",
    ),
];

/// The models folder: `$SELARAS_MODELS` if set, else `models` in the current directory.
pub fn models_dir() -> PathBuf {
    std::env::var_os("SELARAS_MODELS").map_or_else(|| PathBuf::from("models"), PathBuf::from)
}

/// The best installed model of [`GGUF_MODELS`] in `dir`, with its quality note.
pub fn best_gguf(dir: &Path) -> Option<(PathBuf, &'static str)> {
    GGUF_MODELS
        .iter()
        .map(|(file, quality)| (dir.join(file), *quality))
        .find(|(path, _)| path.is_file())
}

/// Path of the default GGUF model: the best installed one in [`models_dir`] (the first of
/// [`GGUF_MODELS`] when none is installed, so the error names it).
pub fn default_gguf_path() -> PathBuf {
    let dir = models_dir();
    best_gguf(&dir).map_or_else(|| dir.join(GGUF_MODELS[0].0), |(path, _)| path)
}

/// Resolve `--backend auto` for `source` → `target` with the models in `models_dir` (see
/// [`models_dir`]) and the configured HTTP backend `http` (name and spec), if any: the backend
/// and one line on what quality to expect, e.g.
/// `llm: Gemma 3 270M base — draft quality, review flagged pairs`. The error says how to make
/// a backend available.
pub fn resolve_auto(
    models_dir: &Path,
    source: &str,
    target: &str,
    http: Option<(&str, &BackendSpec)>,
) -> Result<(BackendSpec, String), String> {
    let ct2 = cfg!(feature = "ct2").then(|| find_ct2_model(models_dir, source, target));
    if let Some(model_dir) = ct2.flatten() {
        let name = model_dir
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let spec = BackendSpec::Ct2(Ct2Spec {
            model: Some(model_dir),
            ..Ct2Spec::default()
        });
        let quality = "neural MT model, good quality; review flagged pairs";
        return Ok((spec, format!("ct2: {name} ({source}→{target}) — {quality}")));
    }
    if let Some((name, spec)) = http {
        let quality = "quality of the remote service; review flagged pairs";
        return Ok((spec.clone(), format!("http: {name} — {quality}")));
    }
    let id_en = (source, target) == ("id", "en");
    if let Some((gguf, quality)) = best_gguf(models_dir).filter(|_| cfg!(feature = "llm") && id_en)
    {
        let spec = BackendSpec::Llm(LlmSpec {
            gguf: Some(gguf),
            ..LlmSpec::default()
        });
        return Ok((spec, format!("llm: {quality}")));
    }
    Err(format!(
        "no translation backend for {source}→{target}: no CTranslate2 model for the pair in {}, \
         no HTTP backend configured{} (run scripts/fetch-models, or choose one with --backend)",
        models_dir.display(),
        if id_en {
            format!(
                ", and no GGUF model ({}) is installed",
                GGUF_MODELS.map(|(file, _)| file).join(", ")
            )
        } else {
            String::new()
        }
    ))
}

/// The first model folder (in name order) whose `metadata.json` has the pair's codes.
fn find_ct2_model(models_dir: &Path, source: &str, target: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(models_dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter().find(|dir| {
        let text = std::fs::read_to_string(dir.join("metadata.json")).unwrap_or_default();
        let meta: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        meta["from_code"].as_str() == Some(source) && meta["to_code"].as_str() == Some(target)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(
        dir: &Path,
        http: Option<(&str, &BackendSpec)>,
    ) -> Result<(BackendSpec, String), String> {
        resolve_auto(dir, "id", "en", http)
    }

    #[test]
    #[cfg(all(feature = "ct2", feature = "llm"))]
    fn prefers_ct2_then_http_then_gguf() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(auto(root, None)
            .unwrap_err()
            .contains("scripts/fetch-models"));

        // GGUF models: Gemma alone, then Qwen 0.5B, then Qwen 1.5B take over in turn.
        for (file, expected) in GGUF_MODELS.iter().rev() {
            std::fs::write(root.join(file), b"GGUF").unwrap();
            let (spec, quality) = auto(root, None).unwrap();
            let BackendSpec::Llm(llm) = &spec else {
                panic!("{spec:?}")
            };
            assert_eq!(llm.gguf.as_deref(), Some(root.join(file).as_path()));
            assert_eq!(quality, format!("llm: {expected}"));
        }
        assert!(auto(root, None).unwrap().1.contains("Qwen2.5-Coder 1.5B"));

        let office = crate::translate::spec::BackendKind::LibreTranslate.default_spec();
        let (spec, quality) = auto(root, Some(("office", &office))).unwrap();
        assert_eq!(spec, office);
        assert!(quality.starts_with("http: office"));

        // A pack for another pair is ignored; the pair's pack wins.
        for (name, from) in [("translate-zh_en", "zh"), ("translate-id_en", "id")] {
            std::fs::create_dir(root.join(name)).unwrap();
            let meta = format!(r#"{{"from_code": "{from}", "to_code": "en"}}"#);
            std::fs::write(root.join(name).join("metadata.json"), meta).unwrap();
        }
        std::fs::create_dir(root.join("broken")).unwrap();
        std::fs::write(root.join("broken").join("metadata.json"), "{not json").unwrap();
        let (spec, quality) = auto(root, Some(("office", &office))).unwrap();
        let BackendSpec::Ct2(ct2) = &spec else {
            panic!("{spec:?}")
        };
        assert_eq!(
            ct2.model.as_deref(),
            Some(root.join("translate-id_en").as_path())
        );
        assert!(quality.starts_with("ct2: translate-id_en"));
    }

    #[test]
    fn other_pairs_do_not_fall_back_to_the_indonesian_prompt() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(GGUF_MODELS[0].0), b"GGUF").unwrap();
        assert!(resolve_auto(dir.path(), "ms", "en", None).is_err());
    }
}
