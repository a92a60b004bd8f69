//! OpenAI-compatible chat backend (OpenAI, vLLM, llama.cpp server, Ollama, LM Studio):
//! a numbered batch in one prompt at temperature 0, exactly as many numbered lines back.
//! A reply with the wrong number of lines fails the batch, and the batcher splits it.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde_json::{json, Value};

use super::libretranslate::http_error;
use super::split::batch_policy;
use super::{TranslateError, Translator};
use crate::model::Glossary;
use crate::net::http::{BodyError, HttpPool, HttpSettings, Secret};
use crate::text::line::one_line;

/// Environment variable holding the API key (sent as `Authorization: Bearer`).
pub const KEY_ENV: &str = "OPENAI_API_KEY";

/// An OpenAI-compatible chat-completions endpoint used as a translator.
#[derive(Debug)]
pub struct OpenAiChat {
    pool: HttpPool,
    model: String,
    source: String,
    target: String,
    glossary: Glossary,
}

impl OpenAiChat {
    /// A backend over `endpoints` (`http://host:8080`, `.../v1` or a full `.../chat/completions`).
    pub fn new(
        endpoints: &[String],
        model: &str,
        key: Option<Secret>,
        source: &str,
        target: &str,
        glossary: Glossary,
        settings: HttpSettings,
    ) -> Result<OpenAiChat, TranslateError> {
        if model.trim().is_empty() {
            return Err(TranslateError::Config(
                "the openai backend needs a model name (--openai-model NAME)".into(),
            ));
        }
        let urls = endpoints.iter().map(|e| chat_url(e)).collect();
        let pool = HttpPool::new(urls, settings, key, vec![]).map_err(TranslateError::Config)?;
        Ok(OpenAiChat {
            pool,
            model: model.to_string(),
            source: source.to_string(),
            target: target.to_string(),
            glossary,
        })
    }

    /// The pool (endpoints, settings).
    pub fn pool(&self) -> &HttpPool {
        &self.pool
    }

    /// Ask every endpoint's `/models`; one line per endpoint.
    pub async fn probe(&self) -> Vec<(String, Result<u16, String>)> {
        self.pool
            .probe_each(|url| url.trim_end_matches("/chat/completions").to_string() + "/models")
            .await
    }

    /// The chat messages for one batch.
    pub fn messages(&self, batch: &[String]) -> Value {
        let from = language_name(&self.source);
        let to = language_name(&self.target);
        let n = batch.len();
        let mut system = format!(
            "You are a professional translator. Translate each numbered line from {from} to {to}. \
             Answer with exactly {n} line{s}, numbered 1 to {n} in the same format (\"1. translation\"), \
             one translation per line and nothing else: no notes, no explanations, no blank lines. \
             Keep numbers, names and punctuation. Never merge or split lines.",
            s = if n == 1 { "" } else { "s" }
        );
        let terms = self.glossary.relevant_to_any(batch);
        if !terms.is_empty() {
            system.push_str("\nUse these term translations:");
            for entry in terms {
                let targets: Vec<String> = entry
                    .targets
                    .iter()
                    .map(|t| one_line(t).into_owned())
                    .collect();
                system.push_str(&format!(
                    "\n- {} → {}",
                    one_line(&entry.source),
                    targets.join(" / ")
                ));
            }
        }
        let user: Vec<String> = batch
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}. {}", i + 1, one_line(s.trim())))
            .collect();
        json!([
            {"role": "system", "content": system},
            {"role": "user", "content": user.join("\n")},
        ])
    }
}

/// Endpoint → its chat-completions URL.
fn chat_url(base: &str) -> String {
    let base = base.trim().trim_end_matches('/');
    if base.ends_with("/chat/completions") {
        base.to_string()
    } else if base.ends_with("/v1") {
        format!("{base}/chat/completions")
    } else {
        format!("{base}/v1/chat/completions")
    }
}

fn language_name(code: &str) -> String {
    match code {
        "id" | "ind" => "Indonesian".into(),
        "en" | "eng" => "English".into(),
        "ms" | "msa" => "Malay".into(),
        "jv" | "jav" => "Javanese".into(),
        "su" | "sun" => "Sundanese".into(),
        "zh" => "Chinese".into(),
        other => format!("the language with code '{other}'"),
    }
}

/// Parse a chat-completions answer into exactly `n` translations.
fn parse_answer(bytes: &[u8], n: usize) -> Result<Vec<String>, BodyError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| BodyError::Malformed(format!("not JSON ({e})")))?;
    let content = value
        .pointer("/choices/0/message/content")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            BodyError::Malformed("no choices[0].message.content in the answer".into())
        })?;
    parse_numbered(content, n)
}

/// Read `n` numbered lines from a model's reply, tolerating code fences, reasoning blocks,
/// a preamble, bold numbers and `1)`/`1:` styles.
fn parse_numbered(content: &str, n: usize) -> Result<Vec<String>, BodyError> {
    let content = strip_think(content);
    let lines: Vec<&str> = content
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("```"))
        .collect();
    let mut numbered: BTreeMap<usize, String> = BTreeMap::new();
    for line in &lines {
        if let Some((k, text)) = split_number(line) {
            if (1..=n).contains(&k) {
                numbered.entry(k).or_insert_with(|| text.to_string());
            }
        }
    }
    if numbered.len() == n {
        return Ok(numbered.into_values().collect());
    }
    if numbered.is_empty() && lines.len() == n {
        return Ok(lines.iter().map(|l| l.to_string()).collect());
    }
    if n == 1 && !lines.is_empty() {
        let text = lines
            .iter()
            .map(|l| split_number(l).map_or(*l, |(_, t)| t))
            .collect::<Vec<_>>()
            .join(" ");
        return Ok(vec![text]);
    }
    Err(BodyError::Mismatch(format!(
        "the model answered {} of {n} numbered lines",
        numbered.len()
    )))
}

fn strip_think(content: &str) -> String {
    let mut out = content.to_string();
    while let (Some(a), Some(b)) = (out.find("<think>"), out.find("</think>")) {
        if b < a {
            break;
        }
        out.replace_range(a..b + "</think>".len(), "");
    }
    out
}

/// `"12. text"`, `"12) text"`, `"12: text"`, `"**12.** text"` → `(12, "text")`.
fn split_number(line: &str) -> Option<(usize, &str)> {
    let line = line.trim_start_matches(['*', '#', ' ']);
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 6 {
        return None;
    }
    let k: usize = line[..digits].parse().ok()?;
    let rest = &line[digits..];
    let rest = rest.strip_prefix(['.', ')', ':', ']'])?;
    let rest = rest.trim_start_matches('*').trim();
    Some((k, rest))
}

#[async_trait]
impl Translator for OpenAiChat {
    fn identity(&self) -> String {
        let mut id = format!("openai:{}:{}", self.model, self.pool.urls().join(","));
        if !self.glossary.is_empty() {
            id.push_str(&format!(":glossary={}", self.glossary.fingerprint()));
        }
        id
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
        let body = json!({
            "model": self.model,
            "messages": self.messages(batch),
            "temperature": 0,
            "stream": false,
        });
        let n = batch.len();
        self.pool
            .post_json(
                &body,
                batch_policy(self.pool.settings().retries, n, 0),
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
    fn urls() {
        assert_eq!(
            chat_url("http://h:8080"),
            "http://h:8080/v1/chat/completions"
        );
        assert_eq!(
            chat_url("http://h:8080/v1/"),
            "http://h:8080/v1/chat/completions"
        );
        assert_eq!(
            chat_url("http://h/api/v1/chat/completions"),
            "http://h/api/v1/chat/completions"
        );
    }

    #[test]
    fn numbered_replies() {
        let got = parse_numbered(
            "Here you go:\n```\n1. One\n**2.** Two\n3) Three\n```\nHope it helps",
            3,
        )
        .unwrap();
        assert_eq!(got, vec!["One", "Two", "Three"]);
        let got = parse_numbered("<think>hmm 1. no</think>\n2. B\n1. A", 2).unwrap();
        assert_eq!(got, vec!["A", "B"]);
        assert!(matches!(
            parse_numbered("1. A\n3. C", 3),
            Err(BodyError::Mismatch(_))
        ));
        assert_eq!(parse_numbered("A\nB", 2).unwrap(), vec!["A", "B"]);
        assert_eq!(parse_numbered("1. Hello\nworld", 1).unwrap(), vec!["Hello"]);
        assert_eq!(
            parse_numbered("Hello there.", 1).unwrap(),
            vec!["Hello there."]
        );
    }

    #[test]
    fn glossary_goes_into_the_prompt() {
        let glossary = Glossary::parse(
            "bank sentral\tcentral bank\nDPR\tHouse\n",
            std::path::Path::new("g"),
        )
        .unwrap();
        let backend = OpenAiChat::new(
            &["http://127.0.0.1:9".into()],
            "m",
            None,
            "id",
            "en",
            glossary,
            HttpSettings::default(),
        )
        .unwrap();
        let messages = backend.messages(&["Bank sentral naik.\nLagi".to_string()]);
        let system = messages[0]["content"].as_str().unwrap();
        assert!(system.contains("bank sentral → central bank"));
        assert!(!system.contains("DPR"));
        assert_eq!(messages[1]["content"], "1. Bank sentral naik. Lagi");
    }
}
