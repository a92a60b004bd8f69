//! The JSON API on a real server on loopback: versions, origins, tokens, durability, bad
//! databases.

use super::{make_run, p, pair_with, run_pipeline, selaras, Server};
use crate::util::http;
use serde_json::json;

#[test]
fn stale_versions_conflict_and_saved_decisions_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let out = make_run(dir.path());
    let server = Server::start(&out, &[]);
    let summary = server.get("/api/summary").json();
    let total = summary["total"].as_u64().unwrap();
    assert!(total >= 5, "{summary}");
    assert_eq!(
        (summary["pending"].as_u64(), summary["reviewer"].as_str()),
        (Some(total), Some("ana"))
    );

    let id = pair_with(&server, "Presiden tiba");
    let first = server.decide(id, json!({"status": "accepted", "version": 0}));
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.json()["version"], 1);
    let stale = server.decide(id, json!({"status": "rejected", "version": 0}));
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert_eq!(stale.json()["pair"]["status"], "accepted");
    assert_eq!(stale.json()["pair"]["version"], 1);
    let edited = server.decide(
        id,
        json!({"status": "accepted", "tgt": "The President arrived on 21 November.",
               "comment": "fixed the verb", "version": 1}),
    );
    assert_eq!(edited.status, 200, "{}", edited.body);
    let other = pair_with(&server, "Rp 1.000");
    assert_eq!(
        server
            .decide(other, json!({"status": "rejected", "version": 0}))
            .status,
        200
    );
    server.kill_9();

    let counts = selaras(&["review", p(&out), "--summary"]);
    let text = String::from_utf8_lossy(&counts.stdout);
    assert!(
        counts.status.success(),
        "{}",
        String::from_utf8_lossy(&counts.stderr)
    );
    assert!(
        text.contains("accepted  1\n") && text.contains("rejected  1\n"),
        "{text}"
    );
    assert!(text.contains("edited    1\n"), "{text}");

    let again = Server::start(&out, &[]);
    let pair = again.get(&format!("/api/pairs/{id}")).json();
    assert_eq!(pair["edited"], "The President arrived on 21 November.");
    assert_eq!(
        (pair["version"].as_u64(), pair["reviewer"].as_str()),
        (Some(2), Some("ana"))
    );
    assert_eq!(pair["comment"], "fixed the verb");
    let page = again.get("/api/pairs?status=reviewed").json();
    assert_eq!(page["total"], 2);
    let bad = again.get("/api/pairs?status=done");
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].as_str().unwrap().contains("`done`"));
    assert_eq!(again.get("/api/pairs/999999").status, 404);
    let garbage = again.decide(id, json!({"status": "maybe", "version": 2}));
    assert_eq!(garbage.status, 400, "{}", garbage.body);
}

#[test]
fn a_rerun_keeps_decisions_on_unchanged_pairs_and_marks_changed_ones_stale() {
    let dir = tempfile::tempdir().unwrap();
    let out = make_run(dir.path());
    let server = Server::start(&out, &[]);
    let kept = pair_with(&server, "Judul Satu");
    let changed = pair_with(&server, "Rp 1.000");
    for id in [kept, changed] {
        assert_eq!(
            server
                .decide(id, json!({"status": "accepted", "version": 0}))
                .status,
            200
        );
    }
    server.kill_9();
    std::fs::write(
        dir.path().join("in/a.txt"),
        "Judul Satu\n\nPresiden tiba pada 21 November. Dia membawa Rp 2.000.\n",
    )
    .unwrap();
    run_pipeline(&dir.path().join("in"), &out);
    let server = Server::start(&out, &[]);
    let summary = server.get("/api/summary").json();
    assert_eq!(
        (summary["accepted"].as_u64(), summary["stale"].as_u64()),
        (Some(1), Some(1))
    );
    let stale = server.get("/api/pairs?status=stale").json();
    let pair = &stale["pairs"][0];
    assert!(pair["src"].as_str().unwrap().contains("Rp 2.000"), "{pair}");
    assert_eq!(
        (pair["status"].as_str(), pair["stale"]["status"].as_str()),
        (Some("pending"), Some("accepted"))
    );
}

#[test]
fn other_origins_hosts_and_bodies_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = make_run(dir.path());
    let server = Server::start(&out, &[]);
    let addr = server.addr.as_str();
    let body = json!({"status": "accepted", "version": 0}).to_string();
    let post =
        |headers: &[(&str, &str)]| http::request(addr, "POST", "/api/pairs/0", headers, &body);
    let json = ("Content-Type", "application/json");
    assert_eq!(post(&[("Origin", "http://evil.example"), json]).status, 403);
    assert_eq!(post(&[("Origin", "null"), json]).status, 403);
    assert_eq!(post(&[("Sec-Fetch-Site", "cross-site"), json]).status, 403);
    assert_eq!(post(&[("Content-Type", "text/plain")]).status, 415);
    let rebound = http::request(addr, "GET", "/api/summary", &[("Host", "evil.example")], "");
    assert_eq!(rebound.status, 403);
    assert_eq!(
        server.get("/api/pairs/0").json()["version"],
        0,
        "nothing was saved"
    );
    let origin = format!("http://{addr}");
    assert_eq!(post(&[("Origin", &origin), json]).status, 200);

    let page = server.get("/");
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let scripts = page.body.matches("<script").count();
    assert_eq!(
        scripts,
        page.body.matches("<script src=").count(),
        "no inline script"
    );
    assert!(server.get("/app.js").body.contains("textContent"));
}

#[test]
fn off_loopback_every_request_needs_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let out = make_run(dir.path());
    let server = Server::start(&out, &["--addr", "0.0.0.0:0", "--token", "s3cret-token"]);
    assert!(
        server.url.ends_with("/?token=s3cret-token"),
        "{}",
        server.url
    );
    let addr = server.addr.as_str();
    let get = |path: &str, headers: &[(&str, &str)]| http::request(addr, "GET", path, headers, "");
    assert_eq!(get("/api/summary", &[]).status, 403);
    assert_eq!(get("/", &[]).status, 403);
    assert_eq!(
        get("/api/summary", &[("Authorization", "Bearer wrong-token!")]).status,
        403
    );
    assert_eq!(
        get("/api/summary", &[("Authorization", "Bearer s3cret-token")]).status,
        200
    );
    let page = get("/?token=s3cret-token", &[("Host", "review.example:8080")]);
    assert_eq!(page.status, 200);
    let cookie = page.header("set-cookie").unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().unwrap();
    assert_eq!(get("/app.js", &[("Cookie", cookie)]).status, 200);
    let body = json!({"status": "rejected", "version": 0}).to_string();
    let no_token = http::request(
        addr,
        "POST",
        "/api/pairs/0",
        &[("Content-Type", "application/json")],
        &body,
    );
    assert_eq!(no_token.status, 403);
    let with = http::request(
        addr,
        "POST",
        "/api/pairs/0",
        &[("Content-Type", "application/json"), ("Cookie", cookie)],
        &body,
    );
    assert_eq!(with.status, 200, "{}", with.body);
    drop(server);

    let made_up = Server::start(&out, &["--addr", "0.0.0.0:0"]);
    let token = made_up.url.split("?token=").nth(1).unwrap();
    assert_eq!(token.len(), 32, "{}", made_up.url);
    let bearer = format!("Bearer {token}");
    let answer = http::request(
        &made_up.addr,
        "GET",
        "/api/summary",
        &[("Authorization", &bearer)],
        "",
    );
    assert_eq!(answer.status, 200);
}

#[test]
fn damaged_or_foreign_databases_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = make_run(dir.path());
    let db = out.join("review.sqlite");
    std::fs::write(&db, "SQLite? no: ".repeat(500)).unwrap();
    for args in [
        vec!["review", p(&out), "--summary"],
        vec!["review", p(&out), "--addr", "127.0.0.1:0"],
    ] {
        let result = selaras(&args);
        let err = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{err}");
        assert!(
            err.contains("review.sqlite") && err.contains("not a SQLite database"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    std::fs::remove_file(&db).unwrap();
    let foreign = rusqlite::Connection::open(&db).unwrap();
    foreign
        .execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x');")
        .unwrap();
    drop(foreign);
    let result = selaras(&["export", p(&out), "--out", p(&dir.path().join("exp"))]);
    let err = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{err}");
    assert!(err.contains("not a selaras review database"), "{err}");

    let missing = selaras(&["review", p(&dir.path().join("nowhere")), "--summary"]);
    let err = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(2), "{err}");
    assert!(err.contains("run.json"), "{err}");
}
