//! Settings of the HTTP backends (`libretranslate`, `openai`) and how they are built.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::duration;
use super::health::HealthCheck;
use crate::model::Glossary;
use crate::net::http::{HttpSettings, Secret};
use crate::translate::libretranslate::{self, LibreTranslate};
use crate::translate::openai::{self, OpenAiChat};
use crate::translate::TranslateError;

/// Settings shared by the HTTP backends.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpSpec {
    /// Server URLs, balanced round-robin.
    pub endpoints: Vec<String>,
    /// The API key itself (from the config file: keys never come from flags).
    pub api_key: Option<Secret>,
    /// Environment variable holding the key [default: the backend's own].
    pub api_key_env: Option<String>,
    /// Time allowed for one request.
    pub timeout: Duration,
    /// Extra attempts after a transient failure.
    pub retries: u32,
    /// First retry delay, doubled after each failure.
    pub retry_base: Duration,
    /// Requests in flight per endpoint.
    pub concurrency: usize,
    /// Sentences per batch.
    pub batch_size: usize,
}

impl Default for HttpSpec {
    fn default() -> Self {
        let s = HttpSettings::default();
        HttpSpec {
            endpoints: Vec::new(),
            api_key: None,
            api_key_env: None,
            timeout: s.timeout,
            retries: s.retries,
            retry_base: s.backoff_base,
            concurrency: s.concurrency,
            batch_size: 16,
        }
    }
}

impl HttpSpec {
    /// Requests that may be in flight at once over all endpoints.
    pub fn capacity(&self) -> usize {
        let urls = self.endpoints.iter().filter(|e| !e.trim().is_empty());
        urls.count().max(1) * self.concurrency.max(1)
    }

    fn settings(&self) -> HttpSettings {
        let mut s = HttpSettings {
            timeout: self.timeout,
            retries: self.retries,
            backoff_base: self.retry_base,
            concurrency: self.concurrency.max(1),
            ..HttpSettings::default()
        };
        s.backoff_max = s.backoff_max.max(self.retry_base);
        // Short bases (tests, local servers) get a proportionally short pause for failing endpoints.
        s.cooldown = s.cooldown.min(self.retry_base * 20);
        s
    }

    fn key(&self, default_env: &str) -> Option<Secret> {
        self.api_key
            .clone()
            .or_else(|| Secret::from_env(self.api_key_env.as_deref().unwrap_or(default_env)))
    }

    /// The endpoints, trimmed, empty ones dropped; an error when none is left.
    fn urls(&self, kind: &str) -> Result<Vec<String>, TranslateError> {
        let urls: Vec<String> = self
            .endpoints
            .iter()
            .map(|e| e.trim().to_string())
            .collect();
        let urls: Vec<String> = urls.into_iter().filter(|e| !e.is_empty()).collect();
        if urls.is_empty() {
            return Err(TranslateError::Config(format!(
                "the {kind} backend needs --endpoint URL (or endpoints in selaras.toml)"
            )));
        }
        Ok(urls)
    }
}

/// `type = "libretranslate"`: a LibreTranslate server, or several balanced.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(try_from = "HttpWire")]
pub struct LibreTranslateSpec {
    /// Endpoints, key and limits.
    pub http: HttpSpec,
}

/// `type = "openai"`: an OpenAI-compatible chat endpoint.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(try_from = "HttpWire")]
pub struct OpenAiSpec {
    /// Endpoints, key and limits.
    pub http: HttpSpec,
    /// Model name sent with each request.
    pub model: Option<String>,
    /// Glossary TSV put into the prompts.
    pub glossary: Option<PathBuf>,
}

/// The keys of an HTTP backend in `selaras.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HttpWire {
    endpoint: Option<String>,
    #[serde(default)]
    endpoints: Vec<String>,
    api_key: Option<String>,
    api_key_env: Option<String>,
    model: Option<String>,
    glossary: Option<PathBuf>,
    #[serde(default, deserialize_with = "duration::deserialize_opt")]
    timeout: Option<Duration>,
    retries: Option<u32>,
    #[serde(default, deserialize_with = "duration::deserialize_opt")]
    retry_base: Option<Duration>,
    retry_base_ms: Option<u64>,
    concurrency: Option<usize>,
    batch_size: Option<usize>,
}

impl HttpWire {
    fn http(&mut self) -> Result<HttpSpec, String> {
        let d = HttpSpec::default();
        let retry_base = match (self.retry_base, self.retry_base_ms) {
            (Some(_), Some(_)) => return Err("give retry_base or retry_base_ms, not both".into()),
            (Some(base), None) => base,
            (None, Some(ms)) => Duration::from_millis(ms),
            (None, None) => d.retry_base,
        };
        Ok(HttpSpec {
            endpoints: self
                .endpoint
                .take()
                .into_iter()
                .chain(self.endpoints.drain(..))
                .collect(),
            api_key: self.api_key.take().and_then(Secret::new),
            api_key_env: self.api_key_env.take().filter(|v| !v.trim().is_empty()),
            timeout: self.timeout.unwrap_or(d.timeout),
            retries: self.retries.unwrap_or(d.retries),
            retry_base,
            concurrency: self.concurrency.unwrap_or(d.concurrency),
            batch_size: self.batch_size.unwrap_or(d.batch_size),
        })
    }
}

impl TryFrom<HttpWire> for LibreTranslateSpec {
    type Error = String;

    fn try_from(mut wire: HttpWire) -> Result<Self, String> {
        if wire.model.is_some() || wire.glossary.is_some() {
            return Err("the libretranslate backend takes no model or glossary".into());
        }
        Ok(LibreTranslateSpec { http: wire.http()? })
    }
}

impl TryFrom<HttpWire> for OpenAiSpec {
    type Error = String;

    fn try_from(mut wire: HttpWire) -> Result<Self, String> {
        Ok(OpenAiSpec {
            http: wire.http()?,
            model: wire.model.take().filter(|m| !m.trim().is_empty()),
            glossary: wire.glossary.take(),
        })
    }
}

impl LibreTranslateSpec {
    /// Build the translator for `from` → `to`.
    pub fn build(&self, from: &str, to: &str) -> super::Built {
        let h = &self.http;
        let backend = Arc::new(LibreTranslate::new(
            &h.urls("libretranslate")?,
            h.key(libretranslate::KEY_ENV),
            from,
            to,
            h.settings(),
        )?);
        let check = HealthCheck::libretranslate(backend.clone());
        Ok((backend, check))
    }
}

impl OpenAiSpec {
    /// Build the translator for `from` → `to`.
    pub fn build(&self, from: &str, to: &str) -> super::Built {
        let h = &self.http;
        let urls = h.urls("openai")?;
        let glossary = self.glossary.as_deref().map(Glossary::load).transpose();
        let glossary = glossary.map_err(|e| TranslateError::Config(e.to_string()))?;
        let backend = Arc::new(OpenAiChat::new(
            &urls,
            self.model.as_deref().unwrap_or(""),
            h.key(openai::KEY_ENV),
            from,
            to,
            glossary.unwrap_or_default(),
            h.settings(),
        )?);
        let check = HealthCheck::openai(backend.clone());
        Ok((backend, check))
    }
}
