//! The HTTP server of the review app: the page, its script and style (embedded), and the JSON
//! API of `docs/review.md`.
//!
//! Every request passes [`guard`]: on a loopback address the `Host` header must name it (a web
//! page cannot reach the server through a DNS name of its own); with a token, every request
//! must carry it (`Authorization: Bearer`, the cookie set when the page is opened with
//! `?token=`, or `?token=`); a request that changes anything must come from the app's own
//! origin and be JSON. Every answer carries a Content-Security-Policy that allows only the
//! app's own script and style.

use super::queue::{Change, Outcome, Query, Review};
use super::store::Status;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::{Arc, Mutex, PoisonError};

const INDEX_HTML: &str = include_str!("app/index.html");
const APP_JS: &str = include_str!("app/app.js");
const APP_CSS: &str = include_str!("app/app.css");

/// The Content-Security-Policy of every answer: the app's own files only, no inline script.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

/// The cookie that carries the token once the page was opened with `?token=`.
const TOKEN_COOKIE: &str = "selaras_token";

/// How the server guards and labels requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The token every request must carry, if any.
    pub token: Option<String>,
    /// Whether the server listens on a loopback address only (the `Host` header is checked).
    pub loopback: bool,
    /// The port the server listens on.
    pub port: u16,
    /// The name decisions are saved under.
    pub reviewer: String,
}

struct AppState {
    review: Mutex<Review>,
    config: ServerConfig,
}

type Shared = Arc<AppState>;

/// The app and its API over `review`.
pub fn router(review: Review, config: ServerConfig) -> Router {
    let state: Shared = Arc::new(AppState {
        review: Mutex::new(review),
        config,
    });
    Router::new()
        .route("/", get(index))
        .route(
            "/app.js",
            get(|| async { asset(APP_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/app.css",
            get(|| async { asset(APP_CSS, "text/css; charset=utf-8") }),
        )
        .route("/api/summary", get(summary))
        .route("/api/pairs", get(pairs))
        .route("/api/pairs/{id}", get(pair).post(decide))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

/// A new random token: 32 hex digits from the system's random source.
pub fn new_token() -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = serde_json::json!({ "error": message.into() });
    (status, Json(body)).into_response()
}

/// Checks host, token and origin; adds the security headers to every answer.
async fn guard(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let config = &state.config;
    let headers = request.headers();
    let host = header_str(headers, header::HOST)
        .unwrap_or_default()
        .to_string();
    if config.loopback && !loopback_host(&host, config.port) {
        return secured(error(StatusCode::FORBIDDEN, "unexpected Host header"), None);
    }
    let mut set_cookie = None;
    if let Some(token) = &config.token {
        let query_token = request.uri().query().and_then(|q| {
            q.split('&')
                .find_map(|p| p.strip_prefix("token="))
                .map(str::to_string)
        });
        let given = bearer(headers)
            .or_else(|| cookie(headers, TOKEN_COOKIE))
            .or(query_token.clone());
        if !given.is_some_and(|g| same_secret(&g, token)) {
            return secured(error(StatusCode::FORBIDDEN, "missing or wrong token"), None);
        }
        if query_token.is_some() {
            set_cookie = Some(token.clone());
        }
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        if let Some(refusal) = refuse_cross_origin(headers, &host) {
            return secured(refusal, None);
        }
    }
    secured(next.run(request).await, set_cookie.as_deref())
}

/// Why a state-changing request is refused, if it is: another origin, or not JSON.
fn refuse_cross_origin(headers: &HeaderMap, host: &str) -> Option<Response> {
    let origin = header_str(headers, header::ORIGIN);
    if origin.is_some_and(|o| o != format!("http://{host}")) {
        return Some(error(StatusCode::FORBIDDEN, "cross-origin request refused"));
    }
    let site = header_str(headers, "sec-fetch-site");
    if site.is_some_and(|s| s != "same-origin" && s != "none") {
        return Some(error(StatusCode::FORBIDDEN, "cross-site request refused"));
    }
    let json = header_str(headers, header::CONTENT_TYPE)
        .is_some_and(|t| t.split(';').next() == Some("application/json"));
    if !json {
        return Some(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the change as Content-Type: application/json",
        ));
    }
    None
}

fn secured(mut response: Response, set_cookie: Option<&str>) -> Response {
    let headers = response.headers_mut();
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if let Some(token) = set_cookie {
        let cookie = format!("{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.insert(header::SET_COOKIE, value);
        }
    }
    response
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Whether `host` names this loopback server (`127.0.0.1:PORT`, `localhost:PORT`,
/// `[::1]:PORT`).
fn loopback_host(host: &str, port: u16) -> bool {
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}"))
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    header_str(headers, header::AUTHORIZATION)?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_string())
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|part| part.trim().strip_prefix(name)?.strip_prefix('='))
        .map(str::to_string)
}

/// Compares two secrets in time independent of where they differ.
fn same_secret(given: &str, token: &str) -> bool {
    let (a, b) = (given.as_bytes(), token.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn asset(body: &'static str, content_type: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type)], body)
}

async fn index() -> impl IntoResponse {
    asset(INDEX_HTML, "text/html; charset=utf-8")
}

fn locked(state: &AppState) -> std::sync::MutexGuard<'_, Review> {
    state.review.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn summary(State(state): State<Shared>) -> Response {
    let summary = locked(&state).summary();
    let mut json = serde_json::to_value(summary).unwrap_or_default();
    json["reviewer"] = state.config.reviewer.clone().into();
    Json(json).into_response()
}

async fn pairs(State(state): State<Shared>, request: Request) -> Response {
    let raw = request.uri().query().unwrap_or_default();
    let params: Vec<(String, String)> = match query_pairs(raw) {
        Ok(params) => params,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let query = match Query::parse(params.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Ok(query) => query,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    Json(locked(&state).page(&query)).into_response()
}

/// The `name=value` pairs of a query string, percent-decoded.
fn query_pairs(raw: &str) -> Result<Vec<(String, String)>, String> {
    let decode = |s: &str| -> Result<String, String> {
        let bytes = s.replace('+', " ").into_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                let value = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                out.push(value.ok_or_else(|| format!("bad percent-encoding in `{s}`"))?);
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).map_err(|_| format!("`{s}` is not UTF-8"))
    };
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (name, value) = p.split_once('=').unwrap_or((p, ""));
            Ok((decode(name)?, decode(value)?))
        })
        .collect()
}

fn pair_id(raw: &str, state: &AppState) -> Option<usize> {
    raw.parse::<usize>()
        .ok()
        .filter(|&id| id < locked(state).len())
}

async fn pair(State(state): State<Shared>, Path(raw): Path<String>) -> Response {
    match pair_id(&raw, &state) {
        Some(id) => Json(locked(&state).view(id)).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("no pair `{raw}`")),
    }
}

/// The body of `POST /api/pairs/{id}`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeBody {
    status: Status,
    #[serde(default, deserialize_with = "present")]
    tgt: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    comment: Option<Option<String>>,
    version: i64,
}

/// A field that is present: `null` becomes `Some(None)`, a missing field stays `None`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    serde::Deserialize::deserialize(d).map(Some)
}

async fn decide(State(state): State<Shared>, Path(raw): Path<String>, body: Bytes) -> Response {
    let Some(id) = pair_id(&raw, &state) else {
        return error(StatusCode::NOT_FOUND, format!("no pair `{raw}`"));
    };
    let body: ChangeBody = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("bad change: {e}")),
    };
    let change = Change {
        status: body.status,
        tgt: body.tgt,
        comment: body.comment,
        version: body.version,
    };
    let task = tokio::task::spawn_blocking(move || {
        let reviewer = state.config.reviewer.clone();
        locked(&state).decide(id, change, &reviewer)
    });
    match task.await {
        Ok(Ok(Outcome::Saved(view))) => Json(view).into_response(),
        Ok(Ok(Outcome::Conflict(view))) => {
            let body = serde_json::json!({
                "error": "the pair was changed meanwhile: reload it and decide again",
                "pair": view,
            });
            (StatusCode::CONFLICT, Json(body)).into_response()
        }
        Ok(Ok(Outcome::NotFound)) => error(StatusCode::NOT_FOUND, format!("no pair `{raw}`")),
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the save failed: {e}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_tokens_and_query_strings() {
        assert!(loopback_host("127.0.0.1:8080", 8080));
        assert!(loopback_host("localhost:8080", 8080));
        assert!(!loopback_host("evil.example:8080", 8080));
        assert!(!loopback_host("127.0.0.1:8081", 8080));
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abd", "abc") && !same_secret("ab", "abc"));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; selaras_token=xyz"),
        );
        assert_eq!(cookie(&headers, TOKEN_COOKIE).as_deref(), Some("xyz"));
        let params = query_pairs("doc=berita%2Fa.txt&status=&q=a+b").unwrap();
        assert_eq!(params[0], ("doc".into(), "berita/a.txt".into()));
        assert_eq!(params[2].1, "a b");
        assert!(query_pairs("doc=%zz").is_err());
        let token = new_token().unwrap();
        assert_eq!(token.len(), 32);
        assert_ne!(token, new_token().unwrap());
    }

    #[test]
    fn changes_from_other_origins_are_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        assert!(refuse_cross_origin(&headers, "127.0.0.1:80").is_none());
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:80"),
        );
        assert!(refuse_cross_origin(&headers, "127.0.0.1:80").is_none());
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        let refused = refuse_cross_origin(&headers, "127.0.0.1:80").unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        headers.remove(header::ORIGIN);
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        let refused = refuse_cross_origin(&headers, "127.0.0.1:80").unwrap();
        assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
}
