//! Renders `report.html` in headless Chromium: a screenshot, and the rendered DOM with the
//! flag filter applied through the URL fragment.
//!
//! Needs Debian's `chromium` (`apt-get install -y chromium`), or `SELARAS_CHROMIUM` pointing at a
//! Chromium/Chrome binary.

use crate::util::chromium;
use selaras::model::{DocumentPairs, Flag, FlagKind, PairRecord, Scores};
use selaras::sink::{open_writers, CorpusOptions, CorpusWriter};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs headless Chromium with a fresh profile on `url`; returns stdout.
fn run_chromium(extra: &[String], url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium::binary())
        .args(chromium::HEADLESS_FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).unwrap();
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = out_reader.join().unwrap();
    let err = err_reader.join().unwrap();
    assert!(
        status.success(),
        "chromium failed ({status}) on {url}:\n{err}"
    );
    out
}

fn pair(i: usize, src: &str, tgt: &str, score: f32, flags: &[(FlagKind, &str)]) -> PairRecord {
    PairRecord {
        src_indices: vec![i],
        tgt_indices: if tgt.is_empty() { vec![] } else { vec![i] },
        src: src.to_string(),
        tgt: tgt.to_string(),
        scores: Scores {
            align: Some(score),
            embed: None,
        },
        flags: flags.iter().map(|(k, d)| Flag::new(*k, *d)).collect(),
    }
}

fn doc(id: &str, pairs: Vec<PairRecord>) -> DocumentPairs {
    DocumentPairs {
        doc_id: id.to_string(),
        src_lang: "id".into(),
        tgt_lang: "en".into(),
        src_sentences: pairs.iter().map(|p| p.src.clone()).collect(),
        tgt_sentences: pairs
            .iter()
            .filter(|p| !p.tgt.is_empty())
            .map(|p| p.tgt.clone())
            .collect(),
        src_paragraph_starts: vec![0, 2],
        pairs,
    }
}

fn sample() -> Vec<DocumentPairs> {
    vec![
        doc(
            "berita/ekonomi-2024.txt",
            vec![
                pair(
                    0,
                    "Inflasi turun menjadi 3,5 persen pada Maret 2024.",
                    "Inflation fell to 3.5 percent in March 2024.",
                    0.94,
                    &[],
                ),
                pair(
                    1,
                    "Pemerintah menyiapkan dana Rp 1.500 miliar.",
                    "The government prepared Rp 15 billion.",
                    0.82,
                    &[(
                        FlagKind::NumberMismatch,
                        "1.500 miliar (1500000000000) missing in target",
                    )],
                ),
                pair(
                    2,
                    "Kalimat <script>alert('x')</script> & \"kutipan\".",
                    "Sentence <script>alert('x')</script> & \"quote\".",
                    0.71,
                    &[],
                ),
                pair(
                    3,
                    "Menteri Keuangan berbicara di Jakarta.",
                    "Menteri Keuangan berbicara di Jakarta.",
                    0.55,
                    &[
                        (FlagKind::Untranslated, "target identical to source"),
                        (
                            FlagKind::GlossaryMiss,
                            "Menteri Keuangan → Finance Minister",
                        ),
                    ],
                ),
            ],
        ),
        doc(
            "berita/olahraga.txt",
            vec![
                pair(
                    0,
                    "Tim nasional menang dua gol tanpa balas.",
                    "The national team won two goals to nil.",
                    0.91,
                    &[],
                ),
                pair(
                    1,
                    "Pertandingan berlangsung di Stadion Utama.",
                    "The match took place at the Main Stadium.",
                    0.88,
                    &[],
                ),
            ],
        ),
        doc(
            "opini/catatan.txt",
            vec![
                pair(
                    0,
                    "Catatan singkat.",
                    "A short note a short note a short note a short note.",
                    0.32,
                    &[
                        (FlagKind::Repetition, "\"a short note\" ×4"),
                        (FlagKind::LengthRatio, "3.31"),
                    ],
                ),
                pair(
                    1,
                    "Paragraf tanpa terjemahan.",
                    "",
                    0.0,
                    &[(FlagKind::Empty, "no target text")],
                ),
            ],
        ),
    ]
}

fn write_report(dir: &Path) -> PathBuf {
    let mut writer = open_writers("html", &CorpusOptions::new(dir, "id", "en")).unwrap();
    for d in sample() {
        writer.write_document(&d).unwrap();
    }
    let paths = Box::new(writer).finish().unwrap();
    paths[0].clone()
}

/// The opening tags of the pair rows in a DOM dump.
fn row_tags(dom: &str) -> Vec<&str> {
    dom.match_indices("<tr class=\"pair")
        .map(|(at, _)| &dom[at..at + dom[at..].find('>').unwrap()])
        .collect()
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

#[test]
fn flagged_filter_from_url_hides_clean_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let report = write_report(dir.path());
    let url = file_url(&report);

    let all = run_chromium(&["--dump-dom".into()], &url);
    let rows = row_tags(&all);
    assert_eq!(rows.len(), 8, "{all}");
    assert!(rows.iter().all(|r| !r.contains("hidden")), "{rows:?}");
    assert!(all.contains("showing 8 of 8 pairs"));

    let flagged = run_chromium(&["--dump-dom".into()], &format!("{url}#flagged"));
    let rows = row_tags(&flagged);
    assert_eq!(rows.len(), 8);
    for row in &rows {
        let has_flags = !row.contains("data-flags=\"\"");
        assert_eq!(row.contains("hidden"), !has_flags, "{row}");
    }
    assert!(flagged.contains("showing 4 of 8 pairs"), "{flagged}");
    // The document without flags is hidden as a whole.
    let sports = flagged.find("berita/olahraga.txt").unwrap();
    let section = flagged[..sports].rfind("<section").unwrap();
    assert!(flagged[section..sports].contains("hidden"));
    assert!(flagged.contains("data-filter=\"flagged\" aria-pressed=\"true\""));

    let kind = run_chromium(&["--dump-dom".into()], &format!("{url}#flag=repetition"));
    let visible: Vec<&str> = row_tags(&kind)
        .into_iter()
        .filter(|r| !r.contains("hidden"))
        .collect();
    assert_eq!(visible.len(), 1, "{visible:?}");
    assert!(visible[0].contains("repetition"));
    assert!(kind.contains("showing 1 of 8 pairs"));
}

#[test]
fn escaped_text_is_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let report = write_report(dir.path());
    let dom = run_chromium(&["--dump-dom".into()], &file_url(&report));
    // The only script element is the report's own; the sentence's markup is text.
    assert_eq!(dom.matches("<script").count(), 1, "{dom}");
    assert!(dom.contains("Kalimat &lt;script&gt;alert('x')&lt;/script&gt; &amp; \"kutipan\"."));
    assert!(dom.contains("Sentence &lt;script&gt;alert('x')&lt;/script&gt; &amp; \"quote\"."));
}

#[test]
fn screenshot_renders() {
    let dir = tempfile::tempdir().unwrap();
    let report = write_report(dir.path());
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report_html");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, fragment) in [("report.png", ""), ("report-flagged.png", "#flagged")] {
        let png = shots.join(name);
        let _ = std::fs::remove_file(&png);
        run_chromium(
            &[
                format!("--screenshot={}", png.display()),
                "--window-size=1280,1400".into(),
            ],
            &format!("{}{fragment}", file_url(&report)),
        );
        let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot {png:?}: {e}"));
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "not a PNG: {png:?}"
        );
        assert!(
            bytes.len() > 20_000,
            "suspiciously small screenshot: {} bytes",
            bytes.len()
        );
        eprintln!("screenshot: {}", png.display());
    }
}
