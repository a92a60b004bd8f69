//! Whether a built backend answers (`selaras backends`).

use std::sync::Arc;

use crate::translate::Translator;

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
            let r = match self
                .translator
                .translate(&["Selamat pagi.".to_string()])
                .await
            {
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
