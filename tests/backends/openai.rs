//! OpenAI-compatible chat backend against a loopback server that answers numbered batches.

use std::sync::Arc;
use std::time::Duration;

use crate::util::server::{fake_translate, sentences, Action, Request, TestServer};
use selaras::model::Glossary;
use selaras::net::http::{HttpSettings, Secret};
use selaras::translate::batcher::translate_all;
use selaras::translate::openai::OpenAiChat;
use selaras::translate::Translator;
use serde_json::json;

fn fast_settings() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_millis(500),
        retries: 4,
        backoff_base: Duration::from_millis(10),
        backoff_max: Duration::from_millis(50),
        concurrency: 4,
        failures_before_cooldown: 3,
        cooldown: Duration::from_millis(100),
        max_retry_after: Duration::from_secs(2),
    }
}

/// The numbered source lines of a chat request: (number, text).
fn numbered(r: &Request) -> Vec<(usize, String)> {
    let body = r.json();
    let user = body["messages"][1]["content"].as_str().unwrap().to_string();
    user.lines()
        .map(|l| {
            let (k, text) = l.split_once(". ").unwrap();
            (k.parse().unwrap(), text.to_string())
        })
        .collect()
}

fn chat(content: String) -> Action {
    Action::json(
        200,
        json!({"id": "x", "object": "chat.completion", "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ]}),
    )
}

fn answer_all(r: &Request) -> String {
    numbered(r)
        .iter()
        .map(|(k, t)| format!("{k}. {}", fake_translate(t)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn backend(url: &str, glossary: Glossary) -> Arc<OpenAiChat> {
    Arc::new(
        OpenAiChat::new(
            &[url.to_string()],
            "test-model",
            Secret::new("sk-test-key"),
            "id",
            "en",
            glossary,
            fast_settings(),
        )
        .unwrap(),
    )
}

#[tokio::test]
async fn numbered_batches_with_model_key_and_temperature_zero() {
    let server = TestServer::start(|r| {
        chat(format!(
            "Sure! Here are the translations:\n```\n{}\n```",
            answer_all(r)
        ))
    });
    let input = sentences(20);
    let out: Vec<String> = translate_all(backend(&server.url, Glossary::default()), &input, 5, 2)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let want: Vec<String> = input.iter().map(|s| fake_translate(s)).collect();
    assert_eq!(out, want);
    for r in server.requests.lock().unwrap().iter() {
        let body = r.json();
        assert_eq!(r.path, "/v1/chat/completions");
        assert_eq!(body["model"], "test-model");
        assert_eq!(body["temperature"], 0);
        assert_eq!(r.header("authorization"), Some("Bearer sk-test-key"));
        let system = body["messages"][0]["content"].as_str().unwrap();
        assert!(
            system.contains("Indonesian") && system.contains("English"),
            "{system}"
        );
    }
}

#[tokio::test]
async fn a_wrong_line_count_splits_down_to_single_sentences() {
    // The "model" drops the last line of any batch of more than two sentences.
    let server = TestServer::start(|r| {
        let lines = numbered(r);
        let keep = if lines.len() > 2 {
            lines.len() - 1
        } else {
            lines.len()
        };
        chat(
            lines[..keep]
                .iter()
                .map(|(k, t)| format!("{k}. {}", fake_translate(t)))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    });
    let input = sentences(9);
    let out: Vec<String> = translate_all(backend(&server.url, Glossary::default()), &input, 9, 1)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let want: Vec<String> = input.iter().map(|s| fake_translate(s)).collect();
    assert_eq!(out, want);
    let sizes: Vec<usize> = server
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| numbered(r).len())
        .collect();
    assert_eq!(sizes[0], 9);
    assert!(
        sizes.iter().all(|&n| n <= 9) && sizes.contains(&1),
        "{sizes:?}"
    );
}

#[tokio::test]
async fn glossary_terms_reach_the_prompt() {
    let server = TestServer::start(|r| chat(answer_all(r)));
    let glossary = Glossary::parse(
        "bank sentral\tcentral bank\nDPR\tHouse of Representatives\n",
        std::path::Path::new("g.tsv"),
    )
    .unwrap();
    let b = backend(&server.url, glossary);
    b.translate(&["Bank sentral menaikkan suku bunga.".to_string()])
        .await
        .unwrap();
    let requests = server.requests.lock().unwrap();
    let system = requests[0].json()["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(system.contains("bank sentral → central bank"), "{system}");
    assert!(!system.contains("DPR"), "only relevant terms: {system}");
    assert!(b.identity().contains("glossary="));
}

#[tokio::test]
async fn transient_faults_and_bad_bodies_are_retried_and_keys_stay_hidden() {
    let server = TestServer::start(|r| match r.seq {
        0 => Action::json(500, json!({"error": {"message": "overloaded"}})),
        1 => Action::Truncate(r#"{"choices":[{"message":{"content":"1. x"}}]}"#.into()),
        2 => Action::json(200, json!({"choices": []})),
        3 => Action::Respond(429, vec![("Retry-After".into(), "0".into())], "{}".into()),
        _ => chat(answer_all(r)),
    });
    let input = sentences(3);
    let out = backend(&server.url, Glossary::default())
        .translate(&input)
        .await
        .unwrap();
    assert_eq!(
        out,
        input.iter().map(|s| fake_translate(s)).collect::<Vec<_>>()
    );
    assert_eq!(server.count(), 5);

    let refusing = TestServer::start(|r| {
        let auth = r.header("authorization").unwrap_or("").to_string();
        Action::json(
            401,
            json!({"error": {"message": format!("Incorrect API key provided: {auth}")}}),
        )
    });
    let err = backend(&refusing.url, Glossary::default())
        .translate(&input)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("HTTP 401") && err.contains("Incorrect API key"),
        "{err}"
    );
    assert!(!err.contains("sk-test-key"), "key leaked: {err}");
    assert_eq!(refusing.count(), 1);
}
