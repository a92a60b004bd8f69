//! End-to-end: `selaras align` and `selaras eval align` on the gold documents of
//! tests/data/eval/align_gold.

use std::path::PathBuf;
use std::process::Command;

fn gold_dir() -> PathBuf {
    crate::util::data("eval/align_gold/lohelp_id_en")
}

fn selaras(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_selaras"))
        .args(args)
        .output()
        .expect("selaras runs")
}

fn covers(blocks: &str, n: usize, m: usize) {
    let parsed = selaras::align::vecalign::parse_blocks(blocks).expect("valid blocks");
    let src: Vec<usize> = parsed.iter().flat_map(|b| b.src.clone()).collect();
    let tgt: Vec<usize> = parsed.iter().flat_map(|b| b.tgt.clone()).collect();
    assert_eq!(src, (0..n).collect::<Vec<_>>());
    assert_eq!(tgt, (0..m).collect::<Vec<_>>());
}

#[test]
fn length_alignment_of_a_gold_document_scores_well() {
    let gold = gold_dir();
    assert!(gold.is_dir(), "gold data missing at {}", gold.display());
    let (src, tgt) = (gold.join("doc00.id"), gold.join("doc00.en"));
    let out = selaras(&[
        "align",
        src.to_str().unwrap(),
        tgt.to_str().unwrap(),
        "--method",
        "length",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let blocks = String::from_utf8(out.stdout).unwrap();
    let n = std::fs::read_to_string(&src).unwrap().lines().count();
    let m = std::fs::read_to_string(&tgt).unwrap().lines().count();
    covers(&blocks, n, m);
    assert!(blocks.lines().all(|l| l.matches(':').count() == 2));

    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("doc00.align");
    std::fs::write(&pred, &blocks).unwrap();
    let out = selaras(&[
        "eval",
        "align",
        "--gold",
        gold.join("doc00.gold_fine").to_str().unwrap(),
        "--pred",
        pred.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let last = text.lines().last().unwrap();
    let f1: f64 = last.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(
        last.starts_with("P ") && last.contains(" R ") && f1 > 0.7,
        "{last}"
    );

    // Folders, matched by name with --gold-ext.
    let out = selaras(&[
        "eval",
        "align",
        "--gold",
        gold.to_str().unwrap(),
        "--pred",
        dir.path().to_str().unwrap(),
        "--gold-ext",
        "gold_fine",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().lines().last(),
        Some(last)
    );
}

#[test]
fn bad_and_degenerate_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let empty = p("empty.txt", "");
    let two = p("two.txt", "Satu kalimat.\nDua kalimat.\n");
    let long = p("long.txt", &format!("{}\n", "kata ".repeat(20_000)));
    let one_mt = p("one.mt", "One sentence.\n");

    let out = selaras(&["align", &empty, &empty, "--method", "length"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());

    let out = selaras(&["align", &two, &empty, "--method", "length"]);
    assert!(out.status.success());
    covers(&String::from_utf8(out.stdout).unwrap(), 2, 0);

    let out = selaras(&["align", &long, &two, "--method", "length"]);
    assert!(out.status.success());
    covers(&String::from_utf8(out.stdout).unwrap(), 1, 2);

    let out = selaras(&["align", &two, &two, "--method", "mt", "--src-mt", &one_mt]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("one.mt"));

    let out = selaras(&["align", &two, &two, "--method", "mt"]);
    assert_eq!(out.status.code(), Some(2));

    let out = selaras(&["align", "/nonexistent/file", &two]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/file"));

    let bad = p("bad.align", "[0]:[x]\n");
    let out = selaras(&["eval", "align", "--gold", &bad, "--pred", &bad]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
}

#[test]
fn embed_method_handles_a_deletion_and_a_merge() {
    let model = selaras::embed::e5::default_model_path();
    assert!(
        model.exists(),
        "e5 model not found at {}: run scripts/fetch-models",
        model.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("doc.id");
    let tgt = dir.path().join("doc.en");
    std::fs::write(
        &src,
        "Presiden meresmikan jembatan baru di Surabaya pada hari Senin.\n\
         Jembatan itu menghubungkan dua kecamatan yang padat penduduk.\n\
         Harga cabai naik tajam di pasar tradisional minggu ini.\n\
         Pembangunannya memakan waktu tiga tahun. Biayanya mencapai dua triliun rupiah.\n\
         Warga menyambut peresmian itu dengan gembira.\n",
    )
    .unwrap();
    std::fs::write(
        &tgt,
        "The president inaugurated a new bridge in Surabaya on Monday.\n\
         The bridge connects two densely populated districts.\n\
         Its construction took three years.\n\
         It cost two trillion rupiah.\n\
         Residents welcomed the inauguration with joy.\n",
    )
    .unwrap();
    let out = selaras(&[
        "align",
        src.to_str().unwrap(),
        tgt.to_str().unwrap(),
        "--method",
        "embed",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let shapes: Vec<String> = text
        .lines()
        .map(|l| l.rsplit_once(':').unwrap().0.to_string())
        .collect();
    assert_eq!(
        shapes,
        vec!["[0]:[0]", "[1]:[1]", "[2]:[]", "[3]:[2,3]", "[4]:[4]"],
        "{text}"
    );
}
