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
        "Qwen2.5-Coder 1.5B Instruct — BLEU 27.3 / chrF 55.4 on the first 100 news dev \
         sentences; review flagged pairs",
    ),
    (
        "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        "Qwen2.5-Coder 0.5B Instruct — BLEU 16.4 / chrF 41.8 on the first 100 news dev \
         sentences, rough drafts; review flagged pairs",
    ),
    (
        "gemma-3-270m-q4_k_m.gguf",
        "Gemma 3 270M base — BLEU 23.2 / chrF 47.1 on the software-help test set, draft quality \
         with invented names and numbers; review flagged pairs",
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

/// The backend `auto` resolved to, with the quality note to show the user.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoChoice {
    /// Which backend to build.
    pub spec: BackendSpec,
    /// One line on what quality to expect, e.g.
    /// `llm: Gemma 3 270M base — draft quality, review flagged pairs`.
    pub quality: String,
}

/// What `auto` looks at.
#[derive(Debug, Clone)]
pub struct AutoInputs<'a> {
    /// The models folder (see [`models_dir`]).
    pub models_dir: &'a Path,
    /// Source language code (e.g. `id`).
    pub source: &'a str,
    /// Target language code (e.g. `en`).
    pub target: &'a str,
    /// The configured HTTP backend, if any: its name and spec.
    pub http: Option<(&'a str, &'a BackendSpec)>,
}

/// Resolve `--backend auto`; the error says how to make a backend available.
pub fn resolve_auto(inputs: &AutoInputs<'_>) -> Result<AutoChoice, String> {
    let ct2 = cfg!(feature = "ct2")
        .then(|| find_ct2_model(inputs.models_dir, inputs.source, inputs.target));
    if let Some(model_dir) = ct2.flatten() {
        let name = model_dir
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        return Ok(AutoChoice {
            quality: format!(
                "ct2: {name} ({}→{}) — neural MT model, good quality; review flagged pairs",
                inputs.source, inputs.target
            ),
            spec: BackendSpec::Ct2(Ct2Spec {
                model: Some(model_dir),
                ..Ct2Spec::default()
            }),
        });
    }
    if let Some((name, spec)) = inputs.http {
        return Ok(AutoChoice {
            quality: format!("http: {name} — quality of the remote service; review flagged pairs"),
            spec: spec.clone(),
        });
    }
    let id_en = (inputs.source, inputs.target) == ("id", "en");
    if let Some((gguf, quality)) =
        best_gguf(inputs.models_dir).filter(|_| cfg!(feature = "llm") && id_en)
    {
        return Ok(AutoChoice {
            quality: format!("llm: {quality}"),
            spec: BackendSpec::Llm(LlmSpec {
                gguf: Some(gguf),
                ..LlmSpec::default()
            }),
        });
    }
    Err(format!(
        "no translation backend for {}→{}: no CTranslate2 model for the pair in {}, no HTTP backend \
         configured{} (run scripts/fetch-models, or choose one with --backend)",
        inputs.source,
        inputs.target,
        inputs.models_dir.display(),
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
        let Ok(text) = std::fs::read_to_string(dir.join("metadata.json")) else {
            return false;
        };
        let Ok(meta) = serde_json::from_str::<serde_json::Value>(&text) else {
            return false;
        };
        meta.get("from_code").and_then(|v| v.as_str()) == Some(source)
            && meta.get("to_code").and_then(|v| v.as_str()) == Some(target)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs<'a>(dir: &'a Path, http: Option<(&'a str, &'a BackendSpec)>) -> AutoInputs<'a> {
        AutoInputs {
            models_dir: dir,
            source: "id",
            target: "en",
            http,
        }
    }

    #[test]
    #[cfg(all(feature = "ct2", feature = "llm"))]
    fn prefers_ct2_then_http_then_gguf() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(resolve_auto(&inputs(root, None))
            .unwrap_err()
            .contains("scripts/fetch-models"));

        // GGUF models: Gemma alone, then Qwen 0.5B, then Qwen 1.5B take over in turn.
        for (file, expected) in GGUF_MODELS.iter().rev() {
            std::fs::write(root.join(file), b"GGUF").unwrap();
            let choice = resolve_auto(&inputs(root, None)).unwrap();
            let BackendSpec::Llm(llm) = &choice.spec else {
                panic!("{choice:?}")
            };
            assert_eq!(llm.gguf.as_deref(), Some(root.join(file).as_path()));
            assert_eq!(choice.quality, format!("llm: {expected}"));
        }
        assert!(resolve_auto(&inputs(root, None))
            .unwrap()
            .quality
            .contains("Qwen2.5-Coder 1.5B"));

        let office = crate::translate::spec::BackendKind::LibreTranslate.default_spec();
        let choice = resolve_auto(&inputs(root, Some(("office", &office)))).unwrap();
        assert_eq!(choice.spec, office);
        assert!(choice.quality.starts_with("http: office"));

        // A pack for another pair is ignored; the pair's pack wins.
        for (name, from) in [("translate-zh_en", "zh"), ("translate-id_en", "id")] {
            std::fs::create_dir(root.join(name)).unwrap();
            let meta = format!(r#"{{"from_code": "{from}", "to_code": "en"}}"#);
            std::fs::write(root.join(name).join("metadata.json"), meta).unwrap();
        }
        std::fs::create_dir(root.join("broken")).unwrap();
        std::fs::write(root.join("broken").join("metadata.json"), "{not json").unwrap();
        let choice = resolve_auto(&inputs(root, Some(("office", &office)))).unwrap();
        let BackendSpec::Ct2(ct2) = &choice.spec else {
            panic!("{choice:?}")
        };
        assert_eq!(
            ct2.model.as_deref(),
            Some(root.join("translate-id_en").as_path())
        );
        assert!(choice.quality.starts_with("ct2: translate-id_en"));
    }

    #[test]
    fn other_pairs_do_not_fall_back_to_the_indonesian_prompt() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(GGUF_MODELS[0].0), b"GGUF").unwrap();
        let mut i = inputs(dir.path(), None);
        i.source = "ms";
        assert!(resolve_auto(&i).is_err());
    }
}
