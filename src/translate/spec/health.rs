//! Whether a built backend answers (`selaras backends`).

use std::sync::Arc;

use crate::translate::libretranslate::LibreTranslate;
use crate::translate::openai::OpenAiChat;
use crate::translate::Translator;

/// Asks a built backend whether it answers: HTTP servers their `/languages` or `/models`,
/// programs and in-process models one test sentence.
#[derive(Clone)]
pub struct HealthCheck {
    target: String,
    probe: Probe,
}

#[derive(Clone)]
enum Probe {
    Translate(Arc<dyn Translator>),
    LibreTranslate(Arc<LibreTranslate>),
    OpenAi(Arc<OpenAiChat>),
}

impl HealthCheck {
    /// Check by translating one sentence; `target` names the model or program.
    pub fn translate(translator: Arc<dyn Translator>, target: String) -> HealthCheck {
        HealthCheck {
            target,
            probe: Probe::Translate(translator),
        }
    }

    /// Check a LibreTranslate pool's `/languages`.
    pub fn libretranslate(backend: Arc<LibreTranslate>) -> HealthCheck {
        HealthCheck {
            target: backend.pool().urls().join(", "),
            probe: Probe::LibreTranslate(backend),
        }
    }

    /// Check an OpenAI-compatible pool's `/models`.
    pub fn openai(backend: Arc<OpenAiChat>) -> HealthCheck {
        HealthCheck {
            target: backend.pool().urls().join(", "),
            probe: Probe::OpenAi(backend),
        }
    }

    /// What is checked: the endpoints (secrets redacted), the model file or the program.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// One line per endpoint (or the model or program), each `Ok(detail)` or `Err(reason)`.
    pub async fn check(&self) -> Vec<(String, Result<String, String>)> {
        let statuses = match &self.probe {
            Probe::LibreTranslate(b) => b.probe().await,
            Probe::OpenAi(b) => b.probe().await,
            Probe::Translate(t) => {
                let r = match t.translate(&["Selamat pagi.".to_string()]).await {
                    Ok(lines) => Ok(format!(
                        "answers ('Selamat pagi.' → '{}')",
                        lines.first().map_or("", String::as_str)
                    )),
                    Err(e) => Err(e.to_string()),
                };
                return vec![(self.target.clone(), r)];
            }
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
