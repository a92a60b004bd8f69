//! `--shard` on the command line: bad specs, and `auto` from the job scheduler's variables.

use super::{document_ids, ok, Setup};

#[test]
fn bad_shard_specs_are_refused_before_anything_is_written() {
    let setup = Setup::new(3);
    let out = setup.path("out");
    for (args, message) in [
        (
            vec!["--shard", "3/2"],
            "bad shard `3/2`: I must be smaller than N",
        ),
        (
            vec!["--shard", "0/0"],
            "bad shard `0/0`: N must be at least 1",
        ),
        (vec!["--shard", "a/b"], "bad shard `a/b`: I is not a number"),
        (
            vec!["--shard", "auto"],
            "neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX",
        ),
        (
            vec!["--shard", "1/2", "--shard-count", "2"],
            "--shard-count goes with --shard auto",
        ),
    ] {
        let output = setup
            .run(&out, &args)
            .env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("JOB_COMPLETION_INDEX")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} created the output folder");
    }
}

#[test]
fn auto_takes_the_shard_from_slurm_or_kubernetes() {
    let setup = Setup::new(12);
    let explicit = setup.path("explicit");
    ok(&mut setup.run(&explicit, &["--shard", "1/3"]));
    let expected = document_ids(&explicit);
    assert!(!expected.is_empty());

    let slurm = setup.path("slurm");
    let mut cmd = setup.run(&slurm, &["--shard", "auto"]);
    cmd.env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "3");
    ok(&mut cmd);
    assert_eq!(document_ids(&slurm), expected);

    let indexed = setup.path("indexed");
    let mut cmd = setup.run(&indexed, &["--shard", "auto", "--shard-count", "3"]);
    cmd.env_remove("SLURM_ARRAY_TASK_ID")
        .env("JOB_COMPLETION_INDEX", "1");
    ok(&mut cmd);
    assert_eq!(document_ids(&indexed), expected);
    let marker = std::fs::read_to_string(indexed.join(".selaras/complete.json")).unwrap();
    let marker: serde_json::Value = serde_json::from_str(&marker).unwrap();
    assert_eq!(marker["shard"], serde_json::json!({"index": 1, "count": 3}));
    assert_eq!(marker["corpus"]["documents"], 12);
    assert_eq!(marker["documents"], expected.len());
}
