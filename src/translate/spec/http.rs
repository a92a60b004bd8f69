//! Settings of the HTTP backends (`libretranslate`, `openai`) and how they are built.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::duration;
use super::HealthCheck;
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
    /// Time allowed for one request, retries, backoff, requests in flight per endpoint.
    pub limits: HttpSettings,
    /// Sentences per batch.
    pub batch_size: usize,
}

impl Default for HttpSpec {
    fn default() -> Self {
        HttpSpec {
            endpoints: Vec::new(),
            api_key: None,
            api_key_env: None,
            limits: HttpSettings::default(),
            batch_size: 16,
        }
    }
}

impl HttpSpec {
    /// Requests that may be in flight at once over all endpoints.
    pub fn capacity(&self) -> usize {
        let urls = self.endpoints.iter().filter(|e| !e.trim().is_empty());
        urls.count().max(1) * self.limits.concurrency.max(1)
    }

    fn settings(&self) -> HttpSettings {
        let mut s = self.limits.clone();
        s.concurrency = s.concurrency.max(1);
        s.backoff_max = s.backoff_max.max(s.backoff_base);
        // Short bases (tests, local servers) get a proportionally short pause for failing endpoints.
        s.cooldown = s.cooldown.min(s.backoff_base * 20);
        s
    }

    fn key(&self, default_env: &str) -> Option<Secret> {
        self.api_key
            .clone()
            .or_else(|| Secret::from_env(self.api_key_env.as_deref().unwrap_or(default_env)))
    }

    /// The endpoints, trimmed, empty ones dropped; an error when none is left.
    fn urls(&self, kind: &str) -> Result<Vec<String>, TranslateError> {
        let urls = self
            .endpoints
            .iter()
            .map(|e| e.trim())
            .filter(|e| !e.is_empty());
        let urls: Vec<String> = urls.map(String::from).collect();
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

impl TryFrom<HttpWire> for LibreTranslateSpec {
    type Error = String;

    fn try_from(wire: HttpWire) -> Result<Self, String> {
        if wire.model.is_some() || wire.glossary.is_some() {
            return Err("the libretranslate backend takes no model or glossary".into());
        }
        let http = OpenAiSpec::try_from(wire)?.http;
        Ok(LibreTranslateSpec { http })
    }
}

impl TryFrom<HttpWire> for OpenAiSpec {
    type Error = String;

    fn try_from(w: HttpWire) -> Result<Self, String> {
        let d = HttpSpec::default();
        let retry_base = match (w.retry_base, w.retry_base_ms) {
            (Some(_), Some(_)) => return Err("give retry_base or retry_base_ms, not both".into()),
            (base, ms) => base.or(ms.map(Duration::from_millis)),
        };
        let mut http = HttpSpec {
            endpoints: w.endpoint.into_iter().chain(w.endpoints).collect(),
            api_key: w.api_key.and_then(Secret::new),
            api_key_env: w.api_key_env.filter(|v| !v.trim().is_empty()),
            batch_size: w.batch_size.unwrap_or(d.batch_size),
            ..d
        };
        let l = &mut http.limits;
        l.timeout = w.timeout.unwrap_or(l.timeout);
        l.retries = w.retries.unwrap_or(l.retries);
        l.backoff_base = retry_base.unwrap_or(l.backoff_base);
        l.concurrency = w.concurrency.unwrap_or(l.concurrency);
        let model = w.model.filter(|m| !m.trim().is_empty());
        Ok(OpenAiSpec {
            http,
            model,
            glossary: w.glossary,
        })
    }
}

impl LibreTranslateSpec {
    /// Build the translator for `from` → `to`.
    pub fn build(&self, from: &str, to: &str) -> super::Built {
        let h = &self.http;
        let (urls, key) = (h.urls("libretranslate")?, h.key(libretranslate::KEY_ENV));
        let backend = Arc::new(LibreTranslate::new(&urls, key, from, to, h.settings())?);
        let check = HealthCheck::new(backend.clone(), backend.pool().urls().join(", "));
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
        let (model, key) = (self.model.as_deref().unwrap_or(""), h.key(openai::KEY_ENV));
        let glossary = glossary.unwrap_or_default();
        let backend = OpenAiChat::new(&urls, model, key, from, to, glossary, h.settings())?;
        let backend = Arc::new(backend);
        let check = HealthCheck::new(backend.clone(), backend.pool().urls().join(", "));
        Ok((backend, check))
    }
}
