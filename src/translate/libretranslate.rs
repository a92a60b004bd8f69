//! LibreTranslate backend: `POST /translate` with `q` as an array (a plain string for single
//! sentences), through the dependable [`HttpPool`]. A server that refuses a batch fails it, and
//! the batcher splits it.

use async_trait::async_trait;
use serde_json::{json, Value};

use super::split::batch_policy;
use super::{TranslateError, Translator};
use crate::net::http::{BodyError, HttpError, HttpPool, HttpSettings, Secret};
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

    /// Ask every endpoint's `/languages`; one line per endpoint.
    pub async fn probe(&self) -> Vec<(String, Result<u16, String>)> {
        self.pool
            .probe_each(|url| url.trim_end_matches("/translate").to_string() + "/languages")
            .await
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
            .map(|v| match v {
                Value::String(s) => Ok(one_line(s).into_owned()),
                other => Err(BodyError::Malformed(format!(
                    "translation is not a string: {other}"
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

/// An HTTP failure as a translation error: refusals that any batch would get are
/// configuration errors and an unreachable server is [`TranslateError::Unreachable`] (neither is
/// split); the rest may succeed for a smaller batch.
pub(crate) fn http_error(err: HttpError) -> TranslateError {
    match err {
        HttpError::Unreachable(m) => TranslateError::Unreachable(m),
        other if !other.may_split() => TranslateError::Config(other.to_string()),
        other => TranslateError::Backend(other.to_string()),
    }
}

#[async_trait]
impl Translator for LibreTranslate {
    fn identity(&self) -> String {
        format!("libretranslate:{}", self.pool.urls().join(","))
    }

    fn source_lang(&self) -> &str {
        &self.source
    }

    fn target_lang(&self) -> &str {
        &self.target
    }

    async fn translate(&self, batch: &[String]) -> Result<Vec<String>, TranslateError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let q = if batch.len() == 1 {
            json!(batch[0])
        } else {
            json!(batch)
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
        let n = batch.len();
        self.pool
            .post_json(
                &body,
                batch_policy(self.pool.settings().retries, n, 2),
                |bytes| parse_answer(bytes, n),
            )
            .await
            .map_err(http_error)
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
        assert_eq!(
            parse_answer(br#"{"translatedText":"a"}"#, 1).unwrap(),
            vec!["a"]
        );
        assert_eq!(
            parse_answer(br#"{"translatedText":["a","b"]}"#, 2).unwrap(),
            vec!["a", "b"]
        );
        assert!(matches!(
            parse_answer(br#"{"translatedText":["a"]}"#, 2),
            Err(BodyError::Mismatch(_))
        ));
        assert!(matches!(
            parse_answer(br#"{"translatedText":["a""#, 1),
            Err(BodyError::Malformed(_))
        ));
        assert!(matches!(
            parse_answer(br#"{"error":"x"}"#, 1),
            Err(BodyError::Malformed(_))
        ));
    }
}
