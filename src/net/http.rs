//! Dependable HTTP for remote backends: several endpoints balanced round-robin, a concurrency
//! limit per endpoint, per-request timeouts, retries with exponential backoff and jitter,
//! `Retry-After` on 429/503, and endpoints that keep failing skipped for a while.
//!
//! Secrets (API keys) are redacted from every message this module produces.

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use tokio::sync::Semaphore;

/// How patient and how parallel the HTTP client is.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpSettings {
    /// Time limit for one request, from connecting to the end of the body.
    pub timeout: Duration,
    /// Extra attempts after the first one for transient failures.
    pub retries: u32,
    /// First backoff delay; doubled after each failure.
    pub backoff_base: Duration,
    /// Largest backoff delay.
    pub backoff_max: Duration,
    /// Requests in flight at once per endpoint.
    pub concurrency: usize,
    /// Consecutive failures after which an endpoint is skipped for `cooldown`.
    pub failures_before_cooldown: u32,
    /// How long an endpoint that keeps failing is skipped before it is tried again.
    pub cooldown: Duration,
    /// Largest `Retry-After` honoured (longer values are capped to this).
    pub max_retry_after: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            timeout: Duration::from_secs(30),
            retries: 8,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(15),
            concurrency: 4,
            failures_before_cooldown: 3,
            cooldown: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// A secret (an API key) that never shows in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a key; empty keys are `None`.
    pub fn new(key: impl Into<String>) -> Option<Secret> {
        let key = key.into();
        let key = key.trim();
        (!key.is_empty()).then(|| Secret(key.to_string()))
    }

    /// Read a key from an environment variable (unset or empty → `None`).
    pub fn from_env(var: &str) -> Option<Secret> {
        std::env::var(var).ok().and_then(Secret::new)
    }

    /// The key itself, for putting into a request.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Why a response body could not be used.
#[derive(Debug, Clone)]
pub enum BodyError {
    /// Not the expected shape (truncated, not JSON, fields missing): retried like a 5xx.
    Malformed(String),
    /// Well formed but with the wrong number of items: retried at most `mismatch_retries`
    /// times, then reported so the caller can split the batch.
    Mismatch(String),
}

/// Why a request finally failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum HttpError {
    /// Transient failures (timeouts, resets, 5xx, 429, malformed bodies) outlasted the retries.
    #[error("{0}")]
    Exhausted(String),
    /// No endpoint could be connected to, on any attempt.
    #[error("{0}")]
    Unreachable(String),
    /// The answer had the wrong number of items.
    #[error("{0}")]
    Mismatch(String),
    /// The server refused the request with a 4xx status that retrying will not change.
    #[error("{message}")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// Endpoint, status and the server's own error text.
        message: String,
    },
}

impl HttpError {
    /// Whether a smaller batch might succeed where this one failed (everything except
    /// authentication, missing routes and wrong methods, which fail for any batch).
    pub fn may_split(&self) -> bool {
        match self {
            HttpError::Exhausted(_) | HttpError::Mismatch(_) => true,
            HttpError::Unreachable(_) => false,
            HttpError::Rejected { status, .. } => !matches!(status, 401 | 403 | 404 | 405),
        }
    }
}

/// How hard one call tries.
#[derive(Debug, Clone, Copy, Default)]
pub struct RetryPolicy {
    /// Extra attempts for transient failures (`None`: the pool's setting).
    pub retries: Option<u32>,
    /// Extra attempts when the answer has the wrong number of items.
    pub mismatch_retries: u32,
}

/// 429/503 answers with `Retry-After` that do not count against the retries.
const RATE_LIMIT_ALLOWANCE: u32 = 30;

/// One server, with its own concurrency limit and health record.
#[derive(Debug)]
struct Endpoint {
    url: String,
    permits: Semaphore,
    health: Mutex<Health>,
}

#[derive(Debug, Default)]
struct Health {
    consecutive_failures: u32,
    skip_until: Option<Instant>,
}

/// A pool of equivalent endpoints for one backend.
#[derive(Debug)]
pub struct HttpPool {
    client: reqwest::Client,
    endpoints: Vec<Arc<Endpoint>>,
    settings: HttpSettings,
    next: AtomicUsize,
    bearer: Option<Secret>,
    secrets: Vec<Secret>,
    /// Whether any request ever got an answer.
    ever_answered: std::sync::atomic::AtomicBool,
    /// Set when a request ran out of retries without ever connecting and nothing was ever
    /// answered: later requests fail at once with this message instead of retrying for minutes.
    dead: std::sync::OnceLock<String>,
}

/// One failed attempt: what to report, and how long to wait before the next.
struct AttemptFailure {
    message: String,
    retry_after: Option<Duration>,
    /// The server asked us to slow down (429, or 503 with `Retry-After`).
    paced: bool,
    kind: FailureKind,
}

enum FailureKind {
    Transient,
    /// The connection could not be made (retried like `Transient`).
    Unreachable,
    Mismatch,
    Rejected(u16),
}

impl HttpPool {
    /// A pool over `urls` (each the full URL requests are sent to). `bearer` is sent as
    /// `Authorization: Bearer`; every secret in `secrets` (and the bearer) is redacted from messages.
    pub fn new(
        urls: Vec<String>,
        settings: HttpSettings,
        bearer: Option<Secret>,
        mut secrets: Vec<Secret>,
    ) -> Result<HttpPool, String> {
        if urls.is_empty() {
            return Err("no endpoint given (use --endpoint URL or a config file)".into());
        }
        let mut all_loopback = true;
        for url in &urls {
            let parsed =
                reqwest::Url::parse(url).map_err(|e| format!("bad endpoint URL '{url}': {e}"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(format!(
                    "bad endpoint URL '{url}': only http and https are supported"
                ));
            }
            all_loopback &= is_loopback(&parsed);
            // A password in the URL is a key too.
            if let Some(password) = parsed.password().and_then(Secret::new) {
                secrets.push(password);
            }
        }
        let mut builder = reqwest::Client::builder()
            .connect_timeout(settings.timeout.min(Duration::from_secs(30)));
        if all_loopback {
            // A proxy from the environment cannot reach this machine's own servers.
            builder = builder.no_proxy();
        }
        let client = builder
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        let concurrency = settings.concurrency.max(1);
        let endpoints = urls
            .into_iter()
            .map(|url| {
                Arc::new(Endpoint {
                    url,
                    permits: Semaphore::new(concurrency),
                    health: Mutex::new(Health::default()),
                })
            })
            .collect();
        secrets.extend(bearer.clone());
        Ok(HttpPool {
            client,
            endpoints,
            settings,
            next: AtomicUsize::new(0),
            bearer,
            secrets,
            ever_answered: std::sync::atomic::AtomicBool::new(false),
            dead: std::sync::OnceLock::new(),
        })
    }

    /// The endpoint URLs, in the order given (secrets redacted).
    pub fn urls(&self) -> Vec<String> {
        self.endpoints.iter().map(|e| self.redact(&e.url)).collect()
    }

    /// The settings in force.
    pub fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    /// Replace every secret in `text` by `***`.
    pub fn redact(&self, text: &str) -> String {
        self.secrets
            .iter()
            .fold(text.to_string(), |out, s| out.replace(s.expose(), "***"))
    }

    /// POST `body` as JSON and parse the answer with `parse`, retrying transient failures on
    /// the next healthy endpoint, as `policy` allows.
    pub async fn post_json<T>(
        &self,
        body: &serde_json::Value,
        policy: RetryPolicy,
        parse: impl Fn(&[u8]) -> Result<T, BodyError>,
    ) -> Result<T, HttpError> {
        let retries = policy.retries.unwrap_or(self.settings.retries);
        let mut only_unreachable = true;
        let mut mismatches = 0u32;
        let mut rate_limited = 0u32;
        let mut attempt = 0u32;
        loop {
            if let Some(message) = self.dead.get().filter(|_| only_unreachable) {
                return Err(HttpError::Unreachable(message.clone()));
            }
            let endpoint = self.pick_endpoint().await;
            let failure = match self.attempt(&endpoint, body, &parse).await {
                Ok(value) => {
                    self.record_success(&endpoint);
                    return Ok(value);
                }
                Err(failure) => failure,
            };
            if !matches!(failure.kind, FailureKind::Unreachable) {
                only_unreachable = false;
                self.ever_answered.store(true, Ordering::Relaxed);
            }
            let message = self.redact(&failure.message);
            match failure.kind {
                FailureKind::Rejected(status) => {
                    return Err(HttpError::Rejected { status, message });
                }
                FailureKind::Mismatch => {
                    mismatches += 1;
                    if mismatches > policy.mismatch_retries {
                        return Err(HttpError::Mismatch(message));
                    }
                }
                FailureKind::Transient | FailureKind::Unreachable => {
                    self.record_failure(&endpoint, failure.retry_after);
                }
            }
            // "Slow down" answers are the server pacing us, not failing: they use their own allowance.
            let paced = failure.paced && rate_limited < RATE_LIMIT_ALLOWANCE;
            let paced_backoff = self.backoff(rate_limited.min(6));
            if paced {
                rate_limited += 1;
            } else {
                // Splitting cannot help a server that cannot be reached: it gets the full budget.
                let budget = if only_unreachable {
                    self.settings.retries.max(retries)
                } else {
                    retries
                };
                if attempt >= budget {
                    let message = format!(
                        "{message} (gave up after {} attempts)",
                        attempt + rate_limited + 1
                    );
                    if !only_unreachable {
                        return Err(HttpError::Exhausted(message));
                    }
                    if !self.ever_answered.load(Ordering::Relaxed) {
                        let _ = self.dead.set(message.clone());
                    }
                    return Err(HttpError::Unreachable(message));
                }
                attempt += 1;
            }
            let delay = match failure.retry_after {
                // The endpoint is marked to be skipped until then; waiting happens in pick_endpoint.
                Some(_) => Duration::ZERO,
                None if paced => paced_backoff,
                None => self.backoff(attempt.saturating_sub(1)),
            };
            tokio::time::sleep(delay).await;
        }
    }

    /// GET `route(endpoint)` for every endpoint: `(endpoint, Ok(status))` when it answered at
    /// all (secrets redacted).
    pub async fn probe_each(
        &self,
        route: impl Fn(&str) -> String,
    ) -> Vec<(String, Result<u16, String>)> {
        let mut out = Vec::new();
        for endpoint in &self.endpoints {
            let url = route(&endpoint.url);
            let mut req = self.client.get(&url).timeout(self.settings.timeout);
            if let Some(b) = &self.bearer {
                req = req.bearer_auth(b.expose());
            }
            let result = match req.send().await {
                Ok(resp) => Ok(resp.status().as_u16()),
                Err(e) => Err(self.redact(&format!("GET {url}: {}", describe_reqwest(&e)))),
            };
            out.push((self.redact(&endpoint.url), result));
        }
        out
    }

    async fn attempt<T>(
        &self,
        endpoint: &Endpoint,
        body: &serde_json::Value,
        parse: &impl Fn(&[u8]) -> Result<T, BodyError>,
    ) -> Result<T, AttemptFailure> {
        use FailureKind::{Mismatch, Transient, Unreachable};
        let _permit = endpoint
            .permits
            .acquire()
            .await
            .map_err(|_| failure(Transient, "endpoint closed".into()))?;
        let url = &endpoint.url;
        let fail = |kind, message: String| failure(kind, format!("POST {url}: {message}"));
        let timeout = self.settings.timeout;
        let exchange = async {
            let mut req = self.client.post(url).json(body).timeout(timeout);
            if let Some(b) = &self.bearer {
                req = req.bearer_auth(b.expose());
            }
            let resp = req.send().await?;
            let status = resp.status();
            let headers = resp.headers().clone();
            let bytes = resp.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, bytes))
        };
        let (status, headers, bytes) = match tokio::time::timeout(timeout, exchange).await {
            Err(_) => return Err(fail(Transient, format!("timed out after {timeout:?}"))),
            Ok(Err(e)) if e.is_connect() => return Err(fail(Unreachable, describe_reqwest(&e))),
            Ok(Err(e)) => return Err(fail(Transient, describe_reqwest(&e))),
            Ok(Ok(parts)) => parts,
        };
        if status.is_success() {
            return parse(&bytes).map_err(|e| match e {
                BodyError::Malformed(m) => fail(Transient, format!("unusable answer: {m}")),
                BodyError::Mismatch(m) => fail(Mismatch, m),
            });
        }
        let too_many = status == StatusCode::TOO_MANY_REQUESTS;
        // Without a usable Retry-After, 429/503 back off exponentially like other failures.
        let retry_after = (too_many || status == StatusCode::SERVICE_UNAVAILABLE)
            .then(|| parse_retry_after(&headers))
            .flatten()
            .map(|d| d.min(self.settings.max_retry_after));
        let kind = if status.is_server_error() || too_many || status == StatusCode::REQUEST_TIMEOUT
        {
            Transient
        } else {
            FailureKind::Rejected(status.as_u16())
        };
        let text = server_error_text(&bytes);
        Err(AttemptFailure {
            retry_after,
            paced: too_many || retry_after.is_some(),
            ..fail(kind, format!("HTTP {}: {text}", status.as_u16()))
        })
    }

    /// The next endpoint round-robin that is not being skipped; when all are, wait for the
    /// first to come back.
    async fn pick_endpoint(&self) -> Arc<Endpoint> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.endpoints.len();
        let now = Instant::now();
        let mut soonest: Option<(Instant, usize)> = None;
        for k in 0..n {
            let i = (start + k) % n;
            let health = self.endpoints[i].health.lock().ok();
            match health.and_then(|h| h.skip_until).filter(|&t| t > now) {
                None => return self.endpoints[i].clone(),
                Some(t) if soonest.is_none_or(|(s, _)| t < s) => soonest = Some((t, i)),
                Some(_) => {}
            }
        }
        let (until, i) = soonest.unwrap_or((now, start % n));
        tokio::time::sleep_until(until.into()).await;
        self.endpoints[i].clone()
    }

    fn record_success(&self, endpoint: &Endpoint) {
        self.ever_answered.store(true, Ordering::Relaxed);
        if let Ok(mut h) = endpoint.health.lock() {
            h.consecutive_failures = 0;
            h.skip_until = None;
        }
    }

    fn record_failure(&self, endpoint: &Endpoint, retry_after: Option<Duration>) {
        if let Ok(mut h) = endpoint.health.lock() {
            h.consecutive_failures += 1;
            let now = Instant::now();
            let mut until = retry_after.map(|d| now + d);
            // Skipping only makes sense when another endpoint can serve meanwhile.
            if self.endpoints.len() > 1
                && h.consecutive_failures >= self.settings.failures_before_cooldown.max(1)
            {
                let cool = now + self.settings.cooldown;
                until = Some(until.map_or(cool, |u| u.max(cool)));
                // Count again from zero once it has been given its pause.
                h.consecutive_failures = 0;
            }
            if let Some(u) = until {
                h.skip_until = Some(h.skip_until.map_or(u, |s| s.max(u)));
            }
        }
    }

    /// Exponential backoff with jitter: a random delay in [d/2, d], d = base·2^attempt ≤ max.
    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.settings.backoff_base.as_secs_f64();
        let max = self.settings.backoff_max.as_secs_f64();
        let d = (base * 2f64.powi(attempt.min(30) as i32)).min(max);
        Duration::from_secs_f64(d * (0.5 + 0.5 * random_unit()))
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    url.host_str().is_some_and(|host| {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    })
}

fn failure(kind: FailureKind, message: String) -> AttemptFailure {
    AttemptFailure {
        message,
        retry_after: None,
        paced: false,
        kind,
    }
}

/// A random number in [0, 1) from the standard library's randomly keyed hasher.
fn random_unit() -> f64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// `Retry-After` as a number of seconds (HTTP dates are not used by the servers we target and
/// fall back to the backoff).
fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let secs: f64 = value.parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
}

/// The server's error text: `{"error": "..."}`, `{"error": {"message": "..."}}`, `{"detail": ...}`
/// or the start of the body.
pub fn server_error_text(bytes: &[u8]) -> String {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
        let pick = value
            .get("error")
            .map(|e| e.get("message").unwrap_or(e))
            .or_else(|| value.get("detail"))
            .or_else(|| value.get("message"));
        if let Some(v) = pick {
            return clip(v.as_str().unwrap_or(&v.to_string()), 300);
        }
    }
    match String::from_utf8_lossy(bytes).trim() {
        "" => "(empty body)".into(),
        text => clip(text, 300),
    }
}

fn clip(text: &str, max_chars: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match one_line.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

/// A short description of a transport error, with its cause chain.
fn describe_reqwest(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "cannot connect"
    } else if err.is_body() || err.is_decode() {
        "connection broke while reading the answer"
    } else {
        "request failed"
    };
    let causes = std::iter::successors(std::error::Error::source(err), |e| e.source());
    let parts: Vec<String> = std::iter::once(kind.to_string())
        .chain(causes.map(|e| e.to_string()))
        .collect();
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_debug_is_hidden() {
        let s = Secret::new("sk-123").unwrap();
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert!(Secret::new("  ").is_none());
    }

    #[test]
    fn error_text_from_json_shapes() {
        assert_eq!(server_error_text(br#"{"error":"bad lang"}"#), "bad lang");
        assert_eq!(
            server_error_text(br#"{"error":{"message":"no model"}}"#),
            "no model"
        );
        assert_eq!(server_error_text(b"  oops\n"), "oops");
        assert_eq!(server_error_text(b""), "(empty body)");
    }

    fn pool(url: &str, settings: HttpSettings, bearer: Option<Secret>) -> Result<HttpPool, String> {
        HttpPool::new(vec![url.to_string()], settings, bearer, vec![])
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let settings = HttpSettings {
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_millis(400),
            ..HttpSettings::default()
        };
        let pool = pool("http://127.0.0.1:9/x", settings, None).unwrap();
        for _ in 0..20 {
            let d0 = pool.backoff(0);
            assert!(d0 >= Duration::from_millis(50) && d0 <= Duration::from_millis(100));
            let d5 = pool.backoff(5);
            assert!(d5 >= Duration::from_millis(200) && d5 <= Duration::from_millis(400));
        }
    }

    #[test]
    fn redact_hides_keys() {
        let settings = HttpSettings::default;
        let keyed = pool("http://127.0.0.1:9/x", settings(), Secret::new("topsecret")).unwrap();
        assert_eq!(keyed.redact("key topsecret rejected"), "key *** rejected");
        let in_url = pool("http://user:pa55word@127.0.0.1:9/x", settings(), None).unwrap();
        assert_eq!(in_url.urls(), vec!["http://user:***@127.0.0.1:9/x"]);
    }

    #[test]
    fn bad_urls_are_refused() {
        assert!(pool("ftp://x", HttpSettings::default(), None).is_err());
        assert!(HttpPool::new(vec![], HttpSettings::default(), None, vec![]).is_err());
    }
}
