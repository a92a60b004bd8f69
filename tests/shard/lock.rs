//! One run folder, one writer: a second run (or a merge reading the folder) is refused while a
//! run holds the folder, naming the holder; the first run finishes unharmed.

use super::{ok, output_files, selaras, Setup};
use std::time::{Duration, Instant};

#[test]
fn a_second_run_on_a_busy_folder_is_refused_naming_the_holder() {
    let setup = Setup::new(8);
    let reference = setup.path("reference");
    ok(&mut setup.run(&reference, &[]));

    let out = setup.path("out");
    let mut first = setup
        .run(&out, &["--shard", "0/1"])
        .env("SELARAS_TEST_DELAY", "0.02")
        .spawn()
        .unwrap();
    let lock = out.join(".selaras/lock");
    let holder = format!("pid {}", first.id());
    let start = Instant::now();
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.contains(&holder)) {
        assert!(start.elapsed() < Duration::from_secs(30), "no lock taken");
        std::thread::sleep(Duration::from_millis(10));
    }
    let second = setup.run(&out, &[]).output().unwrap();
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{err}");
    assert!(
        err.contains("is in use by host") && err.contains(&holder),
        "{err}"
    );

    let other = setup.path("merged");
    let merge = selaras(&[
        "merge".as_ref(),
        out.as_os_str(),
        "--out".as_ref(),
        other.as_os_str(),
    ]);
    let err = String::from_utf8_lossy(&merge.stderr);
    assert_eq!(merge.status.code(), Some(2), "{err}");
    assert!(err.contains(&holder), "{err}");

    assert!(
        first.wait().unwrap().success(),
        "the first run was disturbed"
    );
    assert_eq!(output_files(&out), output_files(&reference));
}
