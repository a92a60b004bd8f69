//! `selaras merge`: byte-identical to an unsharded run, and refusals that write nothing.

use super::{document_ids, ok, output_files, selaras, Setup};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `selaras merge SHARDS --out OUT EXTRA`.
fn merge(shards: &[PathBuf], out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args: Vec<std::ffi::OsString> = vec!["merge".into()];
    args.extend(shards.iter().map(|s| s.clone().into_os_string()));
    args.extend(["--out".into(), out.as_os_str().to_owned()]);
    args.extend(extra.iter().map(|s| s.into()));
    selaras(&args)
}

#[test]
fn merged_shards_are_byte_identical_to_an_unsharded_run() {
    let setup = Setup::new(40);
    let reference = setup.path("whole");
    ok(&mut setup.run(&reference, &[]));
    let expected = output_files(&reference);
    assert_eq!(expected.len(), 6, "{:?}", expected.keys());
    let all = document_ids(&reference);
    assert_eq!(all.len(), 40);

    let shards: Vec<PathBuf> = (0..3).map(|i| setup.path(&format!("shard{i}"))).collect();
    let mut seen = BTreeSet::new();
    for (i, dir) in shards.iter().enumerate() {
        ok(&mut setup.run(dir, &["--shard", &format!("{i}/3")]));
        let ids = document_ids(dir);
        assert!(
            !ids.is_empty() && ids.len() < all.len(),
            "shard {i}: {ids:?}"
        );
        for id in ids {
            assert!(seen.insert(id.clone()), "{id} is in two shards");
        }
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), all);

    let sent_before = setup.sent();
    let merged = setup.path("merged");
    let given = [shards[2].clone(), shards[0].clone(), shards[1].clone()];
    let result = merge(&given, &merged, &["--fold-caches"]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(String::from_utf8_lossy(&result.stderr).contains("merged 3 shards: 40 documents"));
    assert_eq!(output_files(&merged), expected);

    // With the folded caches, an unsharded run on the merged folder translates nothing.
    ok(&mut setup.run(&merged, &[]));
    assert_eq!(setup.sent(), sent_before);
    assert_eq!(output_files(&merged), expected);
}

#[test]
fn merge_refuses_bad_shard_sets_and_writes_nothing() {
    let setup = Setup::new(12);
    let shard = |name: &str, spec: &str, extra: &[&str]| {
        let dir = setup.path(name);
        let mut args = vec!["--shard", spec];
        args.extend(extra);
        ok(&mut setup.run(&dir, &args));
        dir
    };
    let (s0, s1) = (shard("s0", "0/2", &[]), shard("s1", "1/2", &[]));
    let of3 = shard("of3", "1/3", &[]);
    let glossary = setup.path("glossary.tsv");
    std::fs::write(&glossary, "kalimat\tsentence\n").unwrap();
    let other_settings = shard(
        "glossed",
        "1/2",
        &["--glossary", glossary.to_str().unwrap()],
    );
    let unfinished = shard("unfinished", "1/2", &[]);
    std::fs::remove_file(unfinished.join(".selaras/complete.json")).unwrap();
    let more = setup.path("more");
    super::write_articles(&more, 13);
    let other_input = setup.path("other");
    ok(&mut setup.run_on(&more, &other_input, &["--shard", "1/2"]));

    // An earlier merge's output must survive every refusal untouched.
    let out = setup.path("merged");
    let first = merge(&[s0.clone(), s1.clone()], &out, &[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = output_files(&out);
    let state = || {
        let mut files = output_files(&out.join(".selaras"));
        files.remove("lock"); // names the last process that held the folder
        files
    };
    let state_before = state();
    assert!(state_before.contains_key("complete.json"));

    let cases: Vec<(Vec<PathBuf>, String)> = vec![
        (vec![s0.clone()], "shard 1/2 is missing".into()),
        (
            vec![s0.clone(), of3.clone()],
            format!("shard {} is shard 1/3", of3.display()),
        ),
        (
            vec![s0.clone(), other_settings.clone()],
            format!(
                "shard {} was made with other settings",
                other_settings.display()
            ),
        ),
        (
            vec![s0.clone(), other_settings.clone()],
            "differs in: glossary".into(),
        ),
        (
            vec![s0.clone(), unfinished.clone()],
            format!("shard {} is not finished", unfinished.display()),
        ),
        (
            vec![s0.clone(), other_input.clone()],
            format!(
                "shard {} was cut from a different input (13 documents)",
                other_input.display()
            ),
        ),
        (
            vec![s0.clone(), s0.clone()],
            "shard 0/2 is given twice".into(),
        ),
        (
            vec![s0.clone(), out.clone()],
            "is also the --out folder".into(),
        ),
        (
            vec![s0.clone(), setup.path("nowhere")],
            "nowhere: no such folder".into(),
        ),
    ];
    for (shards, message) in cases {
        let result = merge(&shards, &out, &[]);
        let err = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{shards:?}: {err}");
        assert!(
            err.contains(&message) && err.contains("nothing was written"),
            "{message}: {err}"
        );
        assert_eq!(output_files(&out), before, "{message}");
        assert_eq!(state(), state_before, "{message}");
    }
    // A damaged shard (a document list naming another shard's document) fails the merge
    // with the file and line, and leaves the earlier output as it was.
    let damaged = setup.path("damaged");
    let copy = std::process::Command::new("cp")
        .arg("-a")
        .arg(&s1)
        .arg(&damaged)
        .status()
        .unwrap();
    assert!(copy.success());
    let list = damaged.join(".selaras/documents.txt");
    let foreign = super::document_ids(&s0).remove(0);
    let text = std::fs::read_to_string(&list).unwrap();
    let rest: Vec<&str> = text.lines().skip(1).collect();
    std::fs::write(&list, format!("{foreign}\n{}\n", rest.join("\n"))).unwrap();
    let result = merge(&[s0.clone(), damaged], &out, &[]);
    let err = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(
        err.contains("documents.txt:1: document") && err.contains("does not belong to shard 1/2"),
        "{err}"
    );
    assert_eq!(output_files(&out), before);
    assert_eq!(state(), state_before);

    let fresh = setup.path("fresh");
    let result = merge(&[s0, of3], &fresh, &[]);
    assert_eq!(result.status.code(), Some(2));
    assert!(
        !fresh.exists(),
        "a refused merge created {}",
        fresh.display()
    );
}
