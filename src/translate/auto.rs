//! `--backend auto`: choose the best backend available for a language pair, in this order:
//! 1. an installed CTranslate2/Argos model for the pair (`models/*/metadata.json` with
//!    matching `from_code`/`to_code`);
//! 2. a configured HTTP backend;
//! 3. the GGUF default for the `llm` backend (`models/gemma-3-270m-q4_k_m.gguf`).
//!
//! The choice comes with the backend's known quality level, to print when a run starts.

use super::llm::DEFAULT_GGUF;
use std::path::{Path, PathBuf};

/// The backend `auto` resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutoBackend {
    /// A CTranslate2 model folder (Argos pack layout) for the pair.
    Ct2 {
        /// The model folder (holding `metadata.json`).
        model_dir: PathBuf,
    },
    /// The configured HTTP backend, as described by the caller.
    Http {
        /// What the caller configured (e.g. `libretranslate http://host:5000`).
        description: String,
    },
    /// The `llm` backend with this GGUF file.
    Llm {
        /// The GGUF model file.
        gguf: PathBuf,
    },
}

/// A resolved backend with the quality note to show the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoChoice {
    /// Which backend to build.
    pub backend: AutoBackend,
    /// One line on what quality to expect, e.g.
    /// `llm: Gemma 3 270M base — draft quality, review flagged pairs`.
    pub quality: String,
}

/// What `auto` looks at.
#[derive(Debug, Clone)]
pub struct AutoInputs<'a> {
    /// The models folder (see [`super::llm::models_dir`]).
    pub models_dir: &'a Path,
    /// Source language code (e.g. `id`).
    pub source: &'a str,
    /// Target language code (e.g. `en`).
    pub target: &'a str,
    /// The configured HTTP backend, if any (its description).
    pub http: Option<&'a str>,
}

/// Resolve `--backend auto`; the error says how to make a backend available.
pub fn resolve_auto(inputs: &AutoInputs<'_>) -> Result<AutoChoice, String> {
    if let Some(model_dir) = find_ct2_model(inputs.models_dir, inputs.source, inputs.target) {
        let name = model_dir
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        return Ok(AutoChoice {
            quality: format!(
                "ct2: {name} ({}→{}) — neural MT model, good quality; review flagged pairs",
                inputs.source, inputs.target
            ),
            backend: AutoBackend::Ct2 { model_dir },
        });
    }
    if let Some(description) = inputs.http {
        return Ok(AutoChoice {
            quality: format!(
                "http: {description} — quality of the remote service; review flagged pairs"
            ),
            backend: AutoBackend::Http {
                description: description.to_string(),
            },
        });
    }
    let gguf = inputs.models_dir.join(DEFAULT_GGUF);
    if (inputs.source, inputs.target) == ("id", "en") && gguf.is_file() {
        return Ok(AutoChoice {
            quality: "llm: Gemma 3 270M base — draft quality, review flagged pairs".to_string(),
            backend: AutoBackend::Llm { gguf },
        });
    }
    Err(format!(
        "no translation backend for {}→{}: no CTranslate2 model for the pair in {}, no HTTP backend \
         configured{} (run scripts/fetch-models, or choose one with --backend)",
        inputs.source,
        inputs.target,
        inputs.models_dir.display(),
        if (inputs.source, inputs.target) == ("id", "en") {
            format!(", and {} is not installed", gguf.display())
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

    fn inputs<'a>(dir: &'a Path, http: Option<&'a str>) -> AutoInputs<'a> {
        AutoInputs {
            models_dir: dir,
            source: "id",
            target: "en",
            http,
        }
    }

    #[test]
    fn prefers_ct2_then_http_then_gguf() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(resolve_auto(&inputs(root, None))
            .unwrap_err()
            .contains("scripts/fetch-models"));

        std::fs::write(root.join(DEFAULT_GGUF), b"GGUF").unwrap();
        let choice = resolve_auto(&inputs(root, None)).unwrap();
        assert_eq!(
            choice.backend,
            AutoBackend::Llm {
                gguf: root.join(DEFAULT_GGUF)
            }
        );
        assert!(choice.quality.contains("draft quality"));

        let choice =
            resolve_auto(&inputs(root, Some("libretranslate http://localhost:5000"))).unwrap();
        assert!(matches!(choice.backend, AutoBackend::Http { .. }));

        // A pack for another pair is ignored; the pair's pack wins.
        for (name, from) in [("translate-zh_en", "zh"), ("translate-id_en", "id")] {
            std::fs::create_dir(root.join(name)).unwrap();
            let meta = format!(r#"{{"from_code": "{from}", "to_code": "en"}}"#);
            std::fs::write(root.join(name).join("metadata.json"), meta).unwrap();
        }
        std::fs::create_dir(root.join("broken")).unwrap();
        std::fs::write(root.join("broken").join("metadata.json"), "{not json").unwrap();
        let choice = resolve_auto(&inputs(root, Some("x"))).unwrap();
        assert_eq!(
            choice.backend,
            AutoBackend::Ct2 {
                model_dir: root.join("translate-id_en")
            }
        );
        assert!(choice.quality.starts_with("ct2: translate-id_en"));
    }

    #[test]
    fn other_pairs_do_not_fall_back_to_the_indonesian_prompt() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DEFAULT_GGUF), b"GGUF").unwrap();
        let mut i = inputs(dir.path(), None);
        i.source = "ms";
        assert!(resolve_auto(&i).is_err());
    }
}
