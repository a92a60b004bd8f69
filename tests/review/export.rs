//! `selaras export`: the reviewed pairs in the formats of `selaras run`.

use super::{make_run, p, pair_with, selaras, Server};
use serde_json::json;
use std::path::Path;

fn export(out: &Path, to: &Path, extra: &[&str]) {
    let mut args = vec!["export", p(out), "--out", p(to)];
    args.extend(extra);
    let result = selaras(&args);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(result.stdout.is_empty());
}

#[test]
fn exports_accepted_pairs_with_edits_as_valid_tmx_and_the_same_bytes_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = make_run(dir.path());
    let server = Server::start(&out, &[]);
    let edited = pair_with(&server, "Presiden tiba");
    let plain = pair_with(&server, "Judul Satu");
    let rejected = pair_with(&server, "Rp 1.000");
    let decide = |id, body| assert_eq!(server.decide(id, body).status, 200);
    decide(
        edited,
        json!({"status": "accepted", "tgt": "The President arrived <on> 21 November & left.",
               "comment": "verb & <tag>", "version": 0}),
    );
    decide(plain, json!({"status": "accepted", "version": 0}));
    decide(rejected, json!({"status": "rejected", "version": 0}));
    drop(server);

    let first = dir.path().join("first");
    export(&out, &first, &[]);
    let mut names: Vec<String> = std::fs::read_dir(&first)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "corpus.en",
            "corpus.id",
            "corpus.tmx",
            "pairs.jsonl",
            "pairs.tsv"
        ]
    );

    let jsonl = std::fs::read_to_string(first.join("pairs.jsonl")).unwrap();
    let records: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2, "{jsonl}");
    assert_eq!(records[0]["src"], "Judul Satu");
    assert_eq!(
        records[1]["tgt"],
        "The President arrived <on> 21 November & left."
    );
    assert!(!jsonl.contains("Rp 1.000"));
    let moses_en = std::fs::read_to_string(first.join("corpus.en")).unwrap();
    assert_eq!(moses_en.lines().count(), 2);
    assert!(moses_en.contains("The President arrived <on> 21 November & left."));

    let tmx = std::fs::read_to_string(first.join("corpus.tmx")).unwrap();
    let doc =
        roxmltree::Document::parse(&tmx).unwrap_or_else(|e| panic!("invalid TMX ({e}):\n{tmx}"));
    let units: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("tu")).collect();
    assert_eq!(units.len(), 2);
    let prop = |tu: &roxmltree::Node, kind: &str| {
        tu.children()
            .find(|n| n.has_tag_name("prop") && n.attribute("type") == Some(kind))
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    assert_eq!(prop(&units[1], "x-status").as_deref(), Some("accepted"));
    assert_eq!(prop(&units[1], "x-reviewer").as_deref(), Some("ana"));
    assert_eq!(prop(&units[1], "x-edited").as_deref(), Some("true"));
    assert_eq!(prop(&units[0], "x-edited"), None);
    let notes: Vec<&str> = units[1]
        .children()
        .filter(|n| n.has_tag_name("note"))
        .filter_map(|n| n.text())
        .collect();
    assert!(notes.contains(&"review: verb & <tag>"), "{notes:?}");
    assert!(
        notes.contains(&"machine translation: President tiba pada 21 November."),
        "{notes:?}"
    );
    let segs: Vec<&str> = units[1]
        .descendants()
        .filter(|n| n.has_tag_name("seg"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        segs,
        [
            "Presiden tiba pada 21 November.",
            "The President arrived <on> 21 November & left."
        ]
    );

    let second = dir.path().join("second");
    export(&out, &second, &[]);
    for name in &names {
        assert_eq!(
            std::fs::read(first.join(name)).unwrap(),
            std::fs::read(second.join(name)).unwrap(),
            "{name} differs between two exports of one database"
        );
    }

    let rejects = dir.path().join("rejects");
    export(
        &out,
        &rejects,
        &["--status", "rejected", "--formats", "tsv"],
    );
    let tsv = std::fs::read_to_string(rejects.join("pairs.tsv")).unwrap();
    assert_eq!(
        tsv.lines().filter(|l| l.contains("Rp 1.000")).count(),
        1,
        "{tsv}"
    );
    assert!(!rejects.join("pairs.jsonl").exists());

    let bad = selaras(&["export", p(&out), "--out", p(&out)]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is the run folder"));
    let bad = selaras(&["export", p(&out), "--out", p(&rejects), "--status", "done"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown status `done`"));
}
