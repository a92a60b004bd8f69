//! LibreTranslate backend against real HTTP servers on 127.0.0.1 that inject faults.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::util::server::{
    fake_translate, libretranslate_ok, q_texts, sentences, Action, TestServer,
};
use selaras::net::http::{HttpSettings, Secret};
use selaras::translate::batcher::translate_all;
use selaras::translate::libretranslate::LibreTranslate;
use selaras::translate::Translator;
use serde_json::json;

fn fast_settings() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_millis(400),
        retries: 6,
        backoff_base: Duration::from_millis(10),
        backoff_max: Duration::from_millis(80),
        concurrency: 4,
        failures_before_cooldown: 3,
        cooldown: Duration::from_millis(200),
        max_retry_after: Duration::from_secs(5),
    }
}

fn backend(urls: &[&str], key: Option<&str>, settings: HttpSettings) -> Arc<LibreTranslate> {
    let urls: Vec<String> = urls.iter().map(|u| u.to_string()).collect();
    Arc::new(LibreTranslate::new(&urls, key.and_then(Secret::new), "id", "en", settings).unwrap())
}

fn expected(input: &[String]) -> Vec<String> {
    input.iter().map(|s| fake_translate(s)).collect()
}

fn unwrap_all(results: Vec<Result<String, selaras::translate::TranslateError>>) -> Vec<String> {
    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|e| panic!("sentence {i} failed: {e}")))
        .collect()
}

#[tokio::test]
async fn batches_are_arrays_with_the_key_and_come_back_in_order() {
    let server = TestServer::start(libretranslate_ok);
    let lt = backend(&[&server.url], Some("k-123"), fast_settings());
    let input = sentences(50);
    let out = unwrap_all(translate_all(lt.clone(), &input, 8, 4).await);
    assert_eq!(out, expected(&input));
    let requests = server.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 7, "50 sentences in batches of 8");
    for r in &requests {
        let body = r.json();
        assert_eq!(r.path, "/translate");
        assert_eq!(body["source"], "id");
        assert_eq!(body["target"], "en");
        assert_eq!(body["format"], "text");
        assert_eq!(body["api_key"], "k-123");
    }
    let mut sent: Vec<String> = requests.iter().flat_map(q_texts).collect();
    sent.sort();
    let mut want = input.clone();
    want.sort();
    assert_eq!(sent, want, "every sentence sent exactly once");
}

#[tokio::test]
async fn every_kind_of_fault_is_survived() {
    // Requests 0..8 each get a different fault; everything after answers correctly.
    let server = TestServer::start(|r| match r.seq {
        0 => Action::json(500, json!({"error": "internal"})),
        1 => Action::Drop,
        2 => Action::Truncate(libretranslate_ok_body(r)),
        3 => Action::Delay(Duration::from_millis(1500), Box::new(libretranslate_ok(r))),
        4 => Action::Respond(
            429,
            vec![("Retry-After".into(), "1".into())],
            r#"{"error":"slow down"}"#.into(),
        ),
        5 => Action::json(200, json!({"translatedText": ["only one"]})),
        6 => Action::json(503, json!({"error": "busy"})),
        7 => Action::Respond(200, vec![], "<html>proxy error</html>".into()),
        _ => libretranslate_ok(r),
    });
    let lt = backend(&[&server.url], None, fast_settings());
    let input = sentences(40);
    let out = unwrap_all(translate_all(lt, &input, 4, 2).await);
    assert_eq!(out, expected(&input));
    assert!(
        server.count() >= 10 + 8,
        "the faults were retried ({} requests)",
        server.count()
    );
}

fn libretranslate_ok_body(r: &crate::util::server::Request) -> String {
    match libretranslate_ok(r) {
        Action::Respond(_, _, body) => body,
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = TestServer::start(|r| {
        if r.seq == 0 {
            Action::Respond(
                429,
                vec![("Retry-After".into(), "1".into())],
                r#"{"error":"Too many requests"}"#.into(),
            )
        } else {
            libretranslate_ok(r)
        }
    });
    let lt = backend(&[&server.url], None, fast_settings());
    let start = Instant::now();
    let out = lt.translate(&sentences(3)).await.unwrap();
    let elapsed = start.elapsed();
    assert_eq!(out, expected(&sentences(3)));
    assert!(
        elapsed >= Duration::from_millis(950),
        "waited {elapsed:?}, Retry-After said 1 s"
    );
    assert!(elapsed < Duration::from_secs(10), "waited {elapsed:?}");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn client_errors_are_reported_once_with_endpoint_status_and_text_but_no_key() {
    let server = TestServer::start(|r| {
        let key = r.json()["api_key"].as_str().unwrap_or("").to_string();
        Action::json(
            400,
            json!({"error": format!("source language xx is not supported (key {key})")}),
        )
    });
    let lt = backend(&[&server.url], Some("very-secret-key"), fast_settings());
    let err = lt
        .translate(&["Halo.".to_string()])
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(server.count(), 1, "a 400 is not retried");
    assert!(err.contains(&server.url), "{err}");
    assert!(err.contains("HTTP 400"), "{err}");
    assert!(err.contains("is not supported"), "{err}");
    assert!(!err.contains("very-secret-key"), "the key leaked: {err}");
}

#[tokio::test]
async fn authentication_errors_do_not_split_batches() {
    let server = TestServer::start(|_| Action::json(403, json!({"error": "Invalid API key"})));
    let lt = backend(&[&server.url], None, fast_settings());
    let err = lt.translate(&sentences(8)).await.unwrap_err().to_string();
    assert_eq!(server.count(), 1, "one request, no retries, no splitting");
    assert!(
        err.contains("HTTP 403") && err.contains("Invalid API key"),
        "{err}"
    );
}

#[tokio::test]
async fn a_bad_sentence_does_not_sink_its_neighbours() {
    let server = TestServer::start(|r| {
        if q_texts(r).iter().any(|q| q.contains("RACUN")) {
            Action::json(500, json!({"error": "cannot translate"}))
        } else {
            libretranslate_ok(r)
        }
    });
    let settings = HttpSettings {
        retries: 1,
        ..fast_settings()
    };
    let lt = backend(&[&server.url], None, settings);
    let mut input = sentences(12);
    input[5] = "Ini RACUN.".into();
    let results = translate_all(lt, &input, 12, 1).await;
    for (i, r) in results.iter().enumerate() {
        if i == 5 {
            let err = r.as_ref().unwrap_err().to_string();
            assert!(
                err.contains("HTTP 500") && err.contains("cannot translate"),
                "{err}"
            );
        } else {
            assert_eq!(r.as_ref().unwrap(), &fake_translate(&input[i]));
        }
    }
}

#[tokio::test]
async fn a_failing_endpoint_is_skipped_and_the_other_serves() {
    let bad = TestServer::start(|_| Action::json(502, json!({"error": "bad gateway"})));
    let good = TestServer::start(libretranslate_ok);
    let lt = backend(&[&bad.url, &good.url], None, fast_settings());
    let input = sentences(60);
    let out = unwrap_all(translate_all(lt, &input, 1, 2).await);
    assert_eq!(out, expected(&input));
    assert!(good.count() >= 60);
    assert!(
        bad.count() * 3 < good.count(),
        "the failing endpoint should be skipped: bad {} good {}",
        bad.count(),
        good.count()
    );
    assert!(
        bad.count() >= 3,
        "it was tried again later: {}",
        bad.count()
    );
}

#[tokio::test]
async fn concurrency_per_endpoint_is_limited() {
    let server = TestServer::start(|r| {
        Action::Delay(Duration::from_millis(100), Box::new(libretranslate_ok(r)))
    });
    let settings = HttpSettings {
        concurrency: 2,
        timeout: Duration::from_secs(10),
        ..fast_settings()
    };
    let lt = backend(&[&server.url], None, settings);
    let input = sentences(10);
    let out = unwrap_all(translate_all(lt, &input, 1, 10).await);
    assert_eq!(out, expected(&input));
    let max = server
        .max_in_flight
        .load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(max, 2, "10 batches offered at once, 2 allowed per endpoint");
}

#[tokio::test]
async fn retries_run_out_with_a_clear_error() {
    let server = TestServer::start(|_| Action::Drop);
    let settings = HttpSettings {
        retries: 2,
        ..fast_settings()
    };
    let lt = backend(&[&server.url], None, settings);
    let err = lt
        .translate(&["Satu.".to_string()])
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(server.count(), 3);
    assert!(
        err.contains("gave up after 3 attempts") && err.contains(&server.url),
        "{err}"
    );
}

#[tokio::test]
async fn newlines_in_translations_never_break_lines() {
    let server = TestServer::start(|r| {
        let out: Vec<String> = q_texts(r)
            .iter()
            .map(|q| format!("{q}\nsecond line\r\n"))
            .collect();
        Action::json(200, json!({"translatedText": out}))
    });
    let lt = backend(&[&server.url], None, fast_settings());
    let out = lt.translate(&sentences(2)).await.unwrap();
    assert!(
        out.iter().all(|t| !t.contains('\n') && !t.contains('\r')),
        "{out:?}"
    );
}

#[tokio::test]
async fn a_server_that_takes_one_request_at_a_time_and_429s_the_rest() {
    // 429 without Retry-After whenever a request arrives while another is being served.
    let busy_until = std::sync::Mutex::new(Instant::now());
    let server = TestServer::start(move |r| {
        let mut busy = busy_until.lock().unwrap();
        let now = Instant::now();
        if now < *busy {
            return Action::json(429, json!({"error": "Too many requests"}));
        }
        *busy = now + Duration::from_millis(30);
        Action::Delay(Duration::from_millis(25), Box::new(libretranslate_ok(r)))
    });
    let settings = HttpSettings {
        retries: 2,
        ..fast_settings()
    };
    let lt = backend(&[&server.url], None, settings);
    let input = sentences(40);
    let out = unwrap_all(translate_all(lt, &input, 4, 8).await);
    assert_eq!(out, expected(&input));
    assert!(
        server.count() > 10,
        "429s happened: {} requests",
        server.count()
    );
}

#[tokio::test]
async fn a_server_that_is_not_there_fails_fast_after_the_first_batch() {
    // A port nobody listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let settings = HttpSettings {
        retries: 2,
        backoff_base: Duration::from_millis(200),
        ..fast_settings()
    };
    let lt = backend(&[&url], None, settings);
    let input = sentences(40);
    let start = Instant::now();
    let results = translate_all(lt, &input, 4, 1).await;
    let elapsed = start.elapsed();
    assert!(results.iter().all(|r| r
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("cannot connect")));
    // One batch pays the retries (about 0.3-0.6 s); the other nine fail at once.
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
}

#[tokio::test]
async fn several_endpoints_share_the_work() {
    let a = TestServer::start(libretranslate_ok);
    let b = TestServer::start(libretranslate_ok);
    let lt = backend(&[&a.url, &b.url], None, fast_settings());
    let input = sentences(40);
    let out = unwrap_all(translate_all(lt, &input, 2, 4).await);
    assert_eq!(out, expected(&input));
    assert_eq!(a.count() + b.count(), 20);
    assert!(
        a.count() >= 8 && b.count() >= 8,
        "balanced: {} and {}",
        a.count(),
        b.count()
    );
}
