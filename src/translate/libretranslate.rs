//! LibreTranslate backend: `POST /translate` with `q` as an array (a plain string for single
//! sentences), through the dependable [`HttpPool`]. A server that refuses a batch fails it, and
//! the batcher splits it.

use async_trait::async_trait;
use serde_json::{json, Value};

use super::split::post_batch;
use super::{TranslateError, Translator};
use crate::net::http::{BodyError, HttpPool, HttpSettings, Secret};
use crate::text::line::one_line;

/// Environment variable holding the LibreTranslate API key.
pub const KEY_ENV: &str = "SELARAS_LIBRETRANSLATE_KEY";

/// A LibreTranslate (or compatible) server, or several balanced.
#[derive(Debug)]
pub struct LibreTranslate {
    pool: HttpPool,
    key: Option<Secret>,
    source: String,
    target: String,
}

impl LibreTranslate {
    /// A backend over `endpoints` (base URLs such as `http://localhost:5000`, or full
    /// `.../translate` URLs).
    pub fn new(
        endpoints: &[String],
        key: Option<Secret>,
        source: &str,
        target: &str,
        settings: HttpSettings,
    ) -> Result<LibreTranslate, TranslateError> {
        let urls = endpoints.iter().map(|e| translate_url(e)).collect();
        let secrets = key.iter().cloned().collect();
        let pool = HttpPool::new(urls, settings, None, secrets).map_err(TranslateError::Config)?;
        Ok(LibreTranslate {
            pool,
            key,
            source: source.to_string(),
            target: target.to_string(),
        })
    }

    /// The pool (endpoints, settings).
    pub fn pool(&self) -> &HttpPool {
        &self.pool
    }
}

/// `base` → `base/translate` unless it already ends with `/translate`.
fn translate_url(base: &str) -> String {
    let base = base.trim().trim_end_matches('/');
    if base.ends_with("/translate") {
        base.to_string()
    } else {
        format!("{base}/translate")
    }
}

/// Parse `{"translatedText": "..." | [...]}` expecting `n` translations (each made one line).
fn parse_answer(bytes: &[u8], n: usize) -> Result<Vec<String>, BodyError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| BodyError::Malformed(format!("not JSON ({e})")))?;
    let field = value
        .get("translatedText")
        .ok_or_else(|| BodyError::Malformed("no \"translatedText\" in the answer".into()))?;
    let texts: Vec<String> = match field {
        Value::String(s) => vec![one_line(s).into_owned()],
        Value::Array(items) => items
            .iter()
            .map(|v| match v.as_str() {
                Some(s) => Ok(one_line(s).into_owned()),
                None => Err(BodyError::Malformed(format!(
                    "translation is not a string: {v}"
                ))),
            })
            .collect::<Result<_, _>>()?,
        other => {
            return Err(BodyError::Malformed(format!(
                "\"translatedText\" is neither a string nor an array: {}",
                other
            )))
        }
    };
    if texts.len() != n {
        return Err(BodyError::Mismatch(format!(
            "{} translations for {n} sentences",
            texts.len()
        )));
    }
    Ok(texts)
}

#[async_trait]
impl Translator for LibreTranslate {
    fn identity(&self) -> String {
        format!("libretranslate:{}", self.pool.urls().join(","))
    }

    fn langs(&self) -> (&str, &str) {
        (&self.source, &self.target)
    }

    async fn translate(&self, batch: &[String]) -> Result<Vec<String>, TranslateError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let q = match batch {
            [one] => json!(one),
            _ => json!(batch),
        };
        let mut body = json!({
            "q": q,
            "source": self.source,
            "target": self.target,
            "format": "text",
        });
        if let Some(key) = &self.key {
            body["api_key"] = json!(key.expose());
        }
        post_batch(&self.pool, &body, batch.len(), 2, parse_answer).await
    }

    /// Ask every endpoint's `/languages`.
    async fn probe(&self) -> Option<Vec<(String, Result<u16, String>)>> {
        let route = |url: &str| url.trim_end_matches("/translate").to_string() + "/languages";
        Some(self.pool.probe_each(route).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_the_route() {
        assert_eq!(translate_url("http://h:5000/"), "http://h:5000/translate");
        assert_eq!(
            translate_url("http://h/lt/translate"),
            "http://h/lt/translate"
        );
    }

    #[test]
    fn answers_are_checked() {
        let answer = |body: &str, n| match parse_answer(body.as_bytes(), n) {
            Ok(texts) => texts.join("|"),
            Err(BodyError::Mismatch(_)) => "mismatch".into(),
            Err(BodyError::Malformed(_)) => "malformed".into(),
        };
        for (body, n, expected) in [
            (r#"{"translatedText":"a"}"#, 1, "a"),
            (r#"{"translatedText":["a","b"]}"#, 2, "a|b"),
            (r#"{"translatedText":["a"]}"#, 2, "mismatch"),
            (r#"{"translatedText":["a""#, 1, "malformed"),
            (r#"{"error":"x"}"#, 1, "malformed"),
        ] {
            assert_eq!(answer(body, n), expected, "{body}");
        }
    }
}
