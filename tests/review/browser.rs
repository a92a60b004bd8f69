//! The review app in headless Chromium, driven with the keyboard over the DevTools protocol.

use super::{all_pairs, make_run, Server};
use crate::util::chromium::Browser;

/// The status column of each row, in order.
const STATUSES: &str =
    "[...document.querySelectorAll('#rows tr')].map(r => r.children[2].textContent)";
/// The index of the selected row.
const SELECTED: &str = "document.querySelector('#rows tr.selected')?.dataset.index";

fn statuses(browser: &mut Browser) -> Vec<String> {
    serde_json::from_value(browser.eval(STATUSES)).unwrap()
}

fn open(browser: &mut Browser, url: &str) {
    browser.navigate("about:blank");
    browser.navigate(url);
    browser.wait_for(
        "document.body && document.body.dataset.ready === 'true'",
        "document.body && document.body.outerHTML",
    );
}

#[test]
fn keyboard_review_survives_a_reload_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let out = make_run(dir.path());
    let server = Server::start(&out, &[]);
    let total = all_pairs(&server).len();
    let mut browser = Browser::start();
    open(&mut browser, &format!("{}#f_order=doc", server.url));
    assert_eq!(
        browser.eval("document.querySelectorAll('#rows tr').length"),
        total
    );
    assert_eq!(browser.eval(SELECTED), "0");

    browser.key("a");
    browser.wait_for(&format!("{STATUSES}[0] === 'accepted'"), STATUSES);
    browser.wait_for(&format!("{SELECTED} === '1'"), SELECTED);
    browser.key("r");
    browser.wait_for(&format!("{STATUSES}[1] === 'rejected'"), STATUSES);
    browser.wait_for(&format!("{SELECTED} === '2'"), SELECTED);

    browser.key("e");
    browser.wait_for(
        "document.activeElement.id === 'd-edit'",
        "document.activeElement.id",
    );
    browser.type_text(" Really.");
    browser.wait_for(
        "document.querySelector('#d-diff ins')?.textContent.includes('Really.')",
        "document.getElementById('d-diff').innerHTML",
    );
    browser.key("Enter");
    browser.wait_for(&format!("{STATUSES}[2] === 'accepted (edited)'"), STATUSES);
    browser.wait_for(&format!("{SELECTED} === '3'"), SELECTED);
    let third = &all_pairs(&server)[2];
    assert!(
        third["edited"].as_str().unwrap().ends_with(" Really."),
        "{third}"
    );
    browser.wait_for(
        "document.getElementById('progress-text').textContent.startsWith('3 / ')",
        "document.getElementById('progress-text').textContent",
    );

    browser.key("j");
    browser.wait_for(&format!("{SELECTED} === '4'"), SELECTED);
    browser.key("k");
    browser.wait_for(&format!("{SELECTED} === '3'"), SELECTED);
    browser.key("u");
    browser.wait_for(&format!("{STATUSES}[2] === 'pending'"), STATUSES);
    assert_eq!(all_pairs(&server)[2]["edited"], serde_json::Value::Null);
    browser.key("?");
    browser.wait_for(
        "!document.getElementById('help').hidden",
        "document.getElementById('help').hidden",
    );

    open(&mut browser, &format!("{}#f_order=doc", server.url));
    let after = statuses(&mut browser);
    assert_eq!(
        &after[..3],
        ["accepted", "rejected", "pending"],
        "{after:?}"
    );
    assert!(after[3..].iter().all(|s| s == "pending"), "{after:?}");

    browser.eval(
        "(() => { const s = document.getElementById('f-status'); s.value = 'accepted'; \
         s.dispatchEvent(new Event('change')); })()",
    );
    browser.wait_for(
        "document.querySelectorAll('#rows tr').length === 1",
        "document.getElementById('rows').textContent",
    );
    assert_eq!(statuses(&mut browser), ["accepted"]);
    assert_eq!(
        browser.eval("document.getElementById('page-info').textContent"),
        "1–1 of 1"
    );
}

#[test]
fn hostile_article_text_stays_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = make_run(dir.path());
    let server = Server::start(&out, &[]);
    let hostile: Vec<_> = all_pairs(&server)
        .into_iter()
        .filter(|p| p["doc_id"] == "hostile")
        .collect();
    for needle in ["<script>", "<img src=x onerror=", "\"><svg onload="] {
        assert!(
            hostile
                .iter()
                .any(|p| p["src"].as_str().unwrap().contains(needle)),
            "no hostile pair holds {needle}: {hostile:?}"
        );
    }
    let markup = hostile
        .iter()
        .find(|p| p["src"].as_str().unwrap().contains("<img"))
        .expect("a pair with the <img> markup");
    let mut browser = Browser::start();
    let link = format!("{}#doc=hostile&pair={}", server.url, markup["pair"]);
    open(&mut browser, &link);
    // The deep link selects the pair and shows it in full.
    let shown = browser.eval("document.getElementById('d-src').textContent");
    assert_eq!(shown, markup["src"]);
    for pair in &hostile {
        let link = format!("{}#doc=hostile&pair={}", server.url, pair["pair"]);
        open(&mut browser, &link);
        browser.wait_for(
            &format!(
                "document.getElementById('d-src').textContent === {}",
                pair["src"]
            ),
            "document.getElementById('d-src').textContent",
        );
        browser.key("e");
        browser.type_text(" <b onmouseover=x>");
        std::thread::sleep(std::time::Duration::from_millis(100));
        let injected = browser.eval(
            "document.querySelectorAll('main script, main img, main svg, main b, main iframe').length",
        );
        assert_eq!(injected, 0, "markup from the corpus became elements");
        assert!(
            !browser
                .eval("document.title")
                .as_str()
                .unwrap()
                .contains("pwned"),
            "script from the corpus ran"
        );
        browser.key("Escape");
    }
    let rows = browser.eval("document.getElementById('rows').textContent");
    assert!(rows.as_str().unwrap().contains("hostile"), "{rows}");
    let all_text = browser.eval("document.querySelector('main').textContent");
    assert!(
        all_text.as_str().unwrap().contains("<img src=x onerror="),
        "{all_text}"
    );
}
