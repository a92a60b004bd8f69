//! What a translation backend is: one typed spec per kind, read from `selaras.toml`
//! (`[backends.NAME] type = "openai" …`, see [`super::config`]) or made from command-line flags,
//! and built into a translator with [`BackendSpec::build`].

mod command;
pub mod duration;
mod http;
mod local;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

pub use command::CommandSpec;
pub use duration::parse_duration;
pub use http::{HttpSpec, LibreTranslateSpec, OpenAiSpec};
pub use local::{ComputeType, Ct2Spec, LlmSpec};

use super::batcher::BatchOptions;
use super::{TranslateError, Translator};

/// A built backend: the translator and the check that asks whether it answers.
pub type Built = Result<(Arc<dyn Translator>, HealthCheck), TranslateError>;

/// Asks a built backend whether it answers: HTTP servers their `/languages` or `/models`
/// ([`Translator::probe`]), programs and in-process models one test sentence.
#[derive(Clone)]
pub struct HealthCheck {
    target: String,
    translator: Arc<dyn Translator>,
}

impl HealthCheck {
    /// Check `translator`; `target` names its endpoints, model or program.
    pub fn new(translator: Arc<dyn Translator>, target: String) -> HealthCheck {
        HealthCheck { target, translator }
    }

    /// What is checked: the endpoints (secrets redacted), the model file or the program.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// One line per endpoint (or the model or program), each `Ok(detail)` or `Err(reason)`.
    pub async fn check(&self) -> Vec<(String, Result<String, String>)> {
        let Some(statuses) = self.translator.probe().await else {
            let answer = self.translator.translate(&["Selamat pagi.".into()]).await;
            let r = match answer {
                Ok(lines) => Ok(format!(
                    "answers ('Selamat pagi.' → '{}')",
                    lines.first().map_or("", String::as_str)
                )),
                Err(e) => Err(e.to_string()),
            };
            return vec![(self.target.clone(), r)];
        };
        statuses
            .into_iter()
            .map(|(url, r)| {
                let r = match r {
                    Ok(s @ (401 | 403)) => Err(format!("refuses the key (HTTP {s})")),
                    Ok(s) => Ok(format!("answers (HTTP {s})")),
                    Err(e) => Err(e),
                };
                (url, r)
            })
            .collect()
    }
}

/// A translation backend and its settings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum BackendSpec {
    /// A CTranslate2 model in-process (feature `ct2`).
    Ct2(Ct2Spec),
    /// A GGUF model in-process through llama.cpp (feature `llm`).
    Llm(LlmSpec),
    /// A LibreTranslate server, or several balanced.
    LibreTranslate(LibreTranslateSpec),
    /// An OpenAI-compatible chat endpoint.
    OpenAi(OpenAiSpec),
    /// A program reading and writing one sentence per line.
    Command(CommandSpec),
}

named_enum! {
    /// The kinds of backend, as named by `--backend KIND` and `type = "KIND"`.
    pub enum BackendKind ("backend kind") {
        /// [`LibreTranslateSpec`].
        LibreTranslate = "libretranslate",
        /// [`OpenAiSpec`].
        OpenAi = "openai",
        /// [`CommandSpec`].
        Command = "command",
        /// [`Ct2Spec`].
        Ct2 = "ct2",
        /// [`LlmSpec`].
        Llm = "llm",
    }
}

impl BackendKind {
    /// A backend of this kind with default settings.
    pub fn default_spec(self) -> BackendSpec {
        match self {
            BackendKind::Ct2 => BackendSpec::Ct2(Ct2Spec::default()),
            BackendKind::Llm => BackendSpec::Llm(LlmSpec::default()),
            BackendKind::LibreTranslate => BackendSpec::LibreTranslate(Default::default()),
            BackendKind::OpenAi => BackendSpec::OpenAi(OpenAiSpec::default()),
            BackendKind::Command => BackendSpec::Command(CommandSpec::default()),
        }
    }
}

impl BackendSpec {
    /// The spec's kind.
    pub fn kind(&self) -> BackendKind {
        match self {
            BackendSpec::Ct2(_) => BackendKind::Ct2,
            BackendSpec::Llm(_) => BackendKind::Llm,
            BackendSpec::LibreTranslate(_) => BackendKind::LibreTranslate,
            BackendSpec::OpenAi(_) => BackendKind::OpenAi,
            BackendSpec::Command(_) => BackendKind::Command,
        }
    }

    /// The HTTP settings, for the HTTP backends.
    pub fn http_mut(&mut self) -> Option<&mut HttpSpec> {
        match self {
            BackendSpec::LibreTranslate(s) => Some(&mut s.http),
            BackendSpec::OpenAi(s) => Some(&mut s.http),
            _ => None,
        }
    }

    /// Build the translator for `from` → `to`, with the check that asks whether it answers.
    /// Errors say what is missing or unusable (a model file, an endpoint, an engine this build
    /// leaves out).
    pub fn build(&self, from: &str, to: &str) -> Built {
        match self {
            BackendSpec::LibreTranslate(s) => s.build(from, to),
            BackendSpec::OpenAi(s) => s.build(from, to),
            BackendSpec::Command(s) => s.build(from, to),
            #[cfg(feature = "ct2")]
            BackendSpec::Ct2(s) => {
                s.check()?;
                let t = Arc::new(super::ct2::Ct2Translator::from_spec(s, from, to)?);
                let target = s.model.as_deref().map(|p| p.display().to_string());
                Ok((t.clone(), HealthCheck::new(t, target.unwrap_or_default())))
            }
            #[cfg(feature = "llm")]
            BackendSpec::Llm(s) => {
                s.check()?;
                let target = s
                    .gguf
                    .clone()
                    .unwrap_or_else(super::auto::default_gguf_path);
                let t = Arc::new(super::llm::LlmTranslator::load_with(s, from, to)?);
                Ok((t.clone(), HealthCheck::new(t, target.display().to_string())))
            }
            #[cfg(not(all(feature = "ct2", feature = "llm")))]
            other => Err(TranslateError::Config(format!(
                "selaras was built without the {} feature (cargo build --features {0})",
                other.kind()
            ))),
        }
    }

    /// How to batch for this backend: sentences per call and calls in flight.
    pub fn batching(&self) -> BatchOptions {
        let (batch_size, parallel) = match self {
            // The engine sorts and batches by token budget itself and uses every thread it is
            // given: hand it large batches, the next one already waiting when a call's last
            // batch leaves a replica idle.
            BackendSpec::Ct2(_) => (512, 2),
            // The model decodes `parallel` sentences side by side: feed it a few rounds at once.
            BackendSpec::Llm(s) => (s.parallel.max(1) as usize * 4, 1),
            BackendSpec::LibreTranslate(LibreTranslateSpec { http })
            | BackendSpec::OpenAi(OpenAiSpec { http, .. }) => (http.batch_size, http.capacity()),
            BackendSpec::Command(s) => (s.batch_size, s.jobs()),
        };
        let batch_size = batch_size.max(1);
        BatchOptions {
            batch_size,
            parallel,
        }
    }

    /// What to expect of this backend's translations, when known.
    pub fn quality(&self) -> Option<&'static str> {
        matches!(self, BackendSpec::Llm(_))
            .then_some("llm: draft quality; numbers, dates and names are flagged, review them")
    }

    /// Make the relative paths in the spec (models, prompt, glossary) relative to `dir`.
    pub fn resolve_paths(&mut self, dir: &Path) {
        let paths: Vec<&mut PathBuf> = match self {
            BackendSpec::Ct2(s) => s.model.iter_mut().collect(),
            BackendSpec::Llm(s) => s.gguf.iter_mut().chain(s.prompt.iter_mut()).collect(),
            BackendSpec::OpenAi(s) => s.glossary.iter_mut().collect(),
            BackendSpec::LibreTranslate(_) | BackendSpec::Command(_) => Vec::new(),
        };
        for path in paths.into_iter().filter(|p| p.is_relative()) {
            *path = dir.join(&*path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translate::command::CommandMode;
    use std::time::Duration;

    fn spec(toml_text: &str) -> Result<BackendSpec, String> {
        toml::from_str(toml_text).map_err(|e| e.to_string())
    }

    #[test]
    fn toml_tables_become_typed_specs() {
        let lt = spec("type = 'libretranslate'\nendpoint = 'http://a'\nendpoints = ['http://b']\ntimeout = 2.5\nretry_base_ms = 20").unwrap();
        let mut expected = BackendKind::LibreTranslate.default_spec();
        let http = expected.http_mut().unwrap();
        http.endpoints = vec!["http://a".into(), "http://b".into()];
        (http.limits.timeout, http.limits.backoff_base) =
            (Duration::from_millis(2500), Duration::from_millis(20));
        assert_eq!(lt, expected);
        let batching = lt.batching();
        assert_eq!((batching.batch_size, batching.parallel), (16, 8));
        let command = CommandSpec {
            command: "cat".into(),
            mode: CommandMode::Persistent,
            timeout: Duration::from_secs(90),
            ..CommandSpec::default()
        };
        let toml =
            "type = 'command'\ncommand = 'cat'\ncommand_mode = 'persistent'\ntimeout = '90s'";
        assert_eq!(spec(toml), Ok(BackendSpec::Command(command)));
        let ct2 = spec("type = 'ct2'\nmodel = 'm'\nbeam = 2\ncompute_type = 'int8'").unwrap();
        assert_eq!(ct2.kind(), BackendKind::Ct2);
        for bad in [
            "type = 'libretranslate'\nendpiont = 'x'",
            "type = 'libretranslate'\nmodel = 'x'",
            "type = 'command'\ntimeout = 'soon'",
            "type = 'telepathy'",
            "endpoint = 'x'",
        ] {
            assert!(spec(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn relative_paths_follow_the_config_file() {
        let mut s = spec("type = 'openai'\nglossary = 'terms.tsv'").unwrap();
        s.resolve_paths(Path::new("/etc/selaras"));
        let BackendSpec::OpenAi(o) = s else { panic!() };
        assert_eq!(o.glossary.unwrap(), Path::new("/etc/selaras/terms.tsv"));
    }

    #[test]
    fn missing_settings_are_clear_errors() {
        let err = |kind: BackendKind| {
            kind.default_spec()
                .build("id", "en")
                .err()
                .unwrap()
                .to_string()
        };
        assert!(err(BackendKind::LibreTranslate).contains("--endpoint"));
        assert!(err(BackendKind::Command).contains("--command"));
        let ct2 = match cfg!(feature = "ct2") {
            true => "needs --ct2-model PATH",
            false => "built without the ct2 feature",
        };
        assert!(err(BackendKind::Ct2).contains(ct2));
        assert_eq!("openai".parse(), Ok(BackendKind::OpenAi));
        assert!("nope".parse::<BackendKind>().is_err());
    }
}
