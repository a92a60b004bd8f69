//! Latency of the review app in headless Chromium (run explicitly, release build):
//! `SELARAS_REVIEW_RUN=OUT cargo test --release --test tests -- review::bench:: --ignored --nocapture`
//! where OUT is a run folder (`scripts/bench/review --keep DIR` makes one of 100k pairs in
//! DIR/out); without it, the small run of the other tests. Its `review.sqlite` is replaced.

use super::{make_run, Server};
use crate::util::chromium::Browser;
use std::path::PathBuf;

fn median_and_max(mut values: Vec<f64>) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    (values[values.len() / 2], values[values.len() - 1])
}

/// Navigation start to the first page of pairs shown (the page's `data-load-ms`), over 10
/// loads; key `a` to the next pair shown after the save (`data-save-ms`), over 100 saves.
#[test]
#[ignore]
fn page_load_and_save_next_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let out = match std::env::var_os("SELARAS_REVIEW_RUN") {
        Some(path) => PathBuf::from(path),
        None => make_run(dir.path()),
    };
    for name in ["review.sqlite", "review.sqlite-wal", "review.sqlite-shm"] {
        let _ = std::fs::remove_file(out.join(name));
    }
    let server = Server::start(&out, &[]);
    let mut browser = Browser::start();
    let mut loads = Vec::new();
    for _ in 0..10 {
        browser.navigate("about:blank");
        browser.navigate(&server.url);
        browser.wait_for("document.body?.dataset.loadMs", "document.readyState");
        loads.push(
            browser
                .eval("Number(document.body.dataset.loadMs)")
                .as_f64()
                .unwrap(),
        );
    }
    let mut saves = Vec::new();
    for n in 1..=100 {
        browser.key("a");
        browser.wait_for(
            &format!("document.body.dataset.saves === '{n}'"),
            "document.body.dataset.saves",
        );
        let ms = browser.eval("Number(document.body.dataset.saveMs)");
        saves.push(ms.as_f64().unwrap());
    }
    let pairs = server.get("/api/summary").json()["total"].clone();
    let (load, load_max) = median_and_max(loads);
    let (save, save_max) = median_and_max(saves);
    eprintln!("pairs: {pairs}");
    eprintln!(
        "navigation to first page shown: median {load:.0} ms, max {load_max:.0} ms (10 loads)"
    );
    eprintln!("key a to next pair shown (save + next): median {save:.1} ms, max {save_max:.1} ms (100 saves)");
}
