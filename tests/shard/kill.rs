//! Shards killed with SIGKILL mid-run and run again still merge into the unsharded corpus.

use super::{ok, output_files, Setup};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[test]
fn shards_killed_once_and_resumed_merge_identically() {
    let setup = Setup::new(30);
    let reference = setup.path("whole");
    ok(&mut setup.run(&reference, &[]));

    let shards: Vec<PathBuf> = (0..2).map(|i| setup.path(&format!("shard{i}"))).collect();
    for (i, dir) in shards.iter().enumerate() {
        let spec = format!("{i}/2");
        let mut child = setup
            .run(dir, &["--shard", &spec])
            .env("SELARAS_TEST_DELAY", "0.01")
            .spawn()
            .unwrap();
        // Kill once some documents are stored, before the shard is finished.
        let docs = dir.join(".selaras/docs");
        let start = Instant::now();
        while std::fs::read_dir(&docs).map_or(0, |d| d.count()) < 2 {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "shard {spec} stored nothing"
            );
            assert!(
                child.try_wait().unwrap().is_none(),
                "shard {spec} ended too soon"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert!(
            !dir.join(".selaras/complete.json").exists(),
            "a killed shard looks finished"
        );
        ok(&mut setup.run(dir, &["--shard", &spec]));
    }
    let merged = setup.path("merged");
    let mut merge = std::process::Command::new(env!("CARGO_BIN_EXE_selaras"));
    merge
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .arg("--quiet");
    ok(&mut merge);
    assert_eq!(output_files(&merged), output_files(&reference));
}
