//! Every corpus format from the public API: quality flags computed by `QualityChecker` reach
//! every output, line-oriented formats stay one pair per line, and reruns are byte-identical.

use selaras::model::{DocumentPairs, FlagKind, Glossary, PairRecord, Scores};
use selaras::quality::{QualityChecker, QualityConfig};
use selaras::sink::{jsonl::JsonlRecord, open_writers, CorpusOptions, CorpusWriter};
use std::path::{Path, PathBuf};

fn documents() -> Vec<DocumentPairs> {
    let glossary =
        Glossary::parse("Menteri Keuangan\tFinance Minister\n", Path::new("g.tsv")).unwrap();
    let checker = QualityChecker::new(QualityConfig::new("id", "en")).with_glossary(glossary);
    let texts = [
        (
            "Inflasi turun menjadi 3,5 persen.",
            "Inflation fell to 3.5 percent.",
            0.93,
        ),
        (
            "Dana Rp 1.500 miliar\tdisiapkan.",
            "Rp 15 billion\nwas prepared.",
            0.81,
        ),
        ("Menteri Keuangan hadir.", "The minister attended.", 0.77),
        (
            "Kalimat ini tidak diterjemahkan sama sekali.",
            "Kalimat ini tidak diterjemahkan sama sekali.",
            0.35,
        ),
        ("Paragraf tanpa pasangan.", "", 0.0),
    ];
    let mut docs = Vec::new();
    for d in 0..3 {
        let mut pairs = Vec::new();
        for (i, (src, tgt, score)) in texts.iter().enumerate() {
            let mut pair = PairRecord {
                src_indices: vec![i],
                tgt_indices: if tgt.is_empty() { vec![] } else { vec![i] },
                src: src.to_string(),
                tgt: tgt.to_string(),
                scores: Scores {
                    align: Some(*score),
                    embed: None,
                },
                flags: vec![],
            };
            checker.check_pair(&mut pair);
            pairs.push(pair);
        }
        docs.push(DocumentPairs {
            doc_id: format!("doc-{d}"),
            src_lang: "id".into(),
            tgt_lang: "en".into(),
            src_sentences: texts.iter().map(|t| t.0.to_string()).collect(),
            tgt_sentences: texts
                .iter()
                .filter(|t| !t.1.is_empty())
                .map(|t| t.1.to_string())
                .collect(),
            src_paragraph_starts: vec![0, 3],
            pairs,
        });
    }
    docs
}

fn write(dir: &Path) -> Vec<PathBuf> {
    let mut writer = open_writers(
        "jsonl,tsv,moses,tmx,html",
        &CorpusOptions::new(dir, "id", "en"),
    )
    .unwrap();
    for doc in documents() {
        writer.write_document(&doc).unwrap();
    }
    Box::new(writer).finish().unwrap()
}

#[test]
fn flags_reach_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write(dir.path());
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(paths.len(), 6);

    let records: Vec<JsonlRecord> = read("pairs.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 15);
    let kinds = |r: &JsonlRecord| r.flags.iter().map(|f| f.kind).collect::<Vec<_>>();
    assert!(kinds(&records[0]).is_empty(), "{:?}", records[0].flags);
    assert_eq!(kinds(&records[1]), [FlagKind::NumberMismatch]);
    assert_eq!(kinds(&records[2]), [FlagKind::GlossaryMiss]);
    assert_eq!(
        kinds(&records[3]),
        [FlagKind::LowScore, FlagKind::Untranslated]
    );
    assert_eq!(kinds(&records[4]), [FlagKind::Empty, FlagKind::LowScore]);

    // Four parallel pairs per document; line n of every line format is the same pair.
    let tsv = read("pairs.tsv");
    let (src, tgt) = (read("corpus.id"), read("corpus.en"));
    assert_eq!(tsv.lines().count(), 12);
    assert_eq!(src.lines().count(), 12);
    assert_eq!(tgt.lines().count(), 12);
    for ((row, s), t) in tsv.lines().zip(src.lines()).zip(tgt.lines()) {
        let cols: Vec<&str> = row.split('\t').collect();
        assert_eq!(cols.len(), 5);
        assert_eq!((cols[0], cols[1]), (s, t));
    }
    assert_eq!(
        tsv.lines().nth(1).unwrap(),
        "Dana Rp 1.500 miliar disiapkan.\tRp 15 billion was prepared.\tdoc-0\t0.810\tnumber_mismatch"
    );

    let tmx = read("corpus.tmx");
    assert_eq!(tmx.matches("<tu ").count(), 12);
    assert_eq!(
        tmx.matches("<prop type=\"x-flags\">glossary_miss</prop>")
            .count(),
        3
    );

    let html = read("report.html");
    assert_eq!(html.matches("<tr class=\"pair ").count(), 15);
    assert!(html.contains("href=\"#flag=untranslated\""));
}

#[test]
fn reruns_are_byte_identical() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (pa, pb) = (write(a.path()), write(b.path()));
    for (x, y) in pa.iter().zip(&pb) {
        assert_eq!(x.file_name(), y.file_name());
        assert_eq!(
            std::fs::read(x).unwrap(),
            std::fs::read(y).unwrap(),
            "{x:?}"
        );
    }
}

/// Characters XML 1.0 allows.
fn xml_char(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..
    )
}

fn any_text() -> impl proptest::strategy::Strategy<Value = String> {
    // Any characters, with line breaks, tabs, control characters and markup over-represented.
    proptest::string::string_regex(
        "([\\PC]|[\\t\\n\\r\\x00-\\x1f\\u{85}\\u{2028}\\u{2029}\\u{fffe}\\u{ffff}<>&\"'])*",
    )
    .unwrap()
}

/// Whatever the text, the line formats stay one pair per line, the TMX parses and keeps every
/// legal character, and JSONL round-trips the text exactly. Each case writes and syncs six
/// files, so the number of cases is fixed and modest (not raised by `PROPTEST_CASES`).
#[test]
fn any_text_keeps_every_format_valid() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: 64,
        ..Config::default()
    });
    let strategy = proptest::collection::vec((any_text(), any_text()), 1..6);
    runner
        .run(&strategy, |texts| {
            let dir = tempfile::tempdir().unwrap();
            let pairs: Vec<PairRecord> = texts
                .iter()
                .enumerate()
                .map(|(i, (s, t))| PairRecord {
                    src_indices: vec![i],
                    tgt_indices: vec![i],
                    src: s.clone(),
                    tgt: t.clone(),
                    scores: Scores::default(),
                    flags: vec![],
                })
                .collect();
            let parallel: Vec<&PairRecord> = pairs.iter().filter(|p| p.is_parallel()).collect();
            let doc = DocumentPairs {
                doc_id: "d\t1\n".into(),
                src_lang: "id".into(),
                tgt_lang: "en".into(),
                src_sentences: texts.iter().map(|t| t.0.clone()).collect(),
                tgt_sentences: texts.iter().map(|t| t.1.clone()).collect(),
                src_paragraph_starts: vec![0],
                pairs: pairs.clone(),
            };
            let mut writer = open_writers(
                "jsonl,tsv,moses,tmx,html",
                &CorpusOptions::new(dir.path(), "id", "en"),
            )
            .unwrap();
            writer.write_document(&doc).unwrap();
            Box::new(writer).finish().unwrap();
            let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();

            let records: Vec<JsonlRecord> = read("pairs.jsonl")
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            proptest::prop_assert_eq!(records.len(), pairs.len());
            for (record, pair) in records.iter().zip(&pairs) {
                proptest::prop_assert_eq!(&record.src, &pair.src);
                proptest::prop_assert_eq!(&record.tgt, &pair.tgt);
            }

            let line_count = |text: &str| text.split('\n').count() - 1;
            let tsv = read("pairs.tsv");
            proptest::prop_assert_eq!(line_count(&tsv), parallel.len());
            for row in tsv.split('\n').filter(|r| !r.is_empty()) {
                proptest::prop_assert_eq!(row.split('\t').count(), 5);
            }
            proptest::prop_assert_eq!(line_count(&read("corpus.id")), parallel.len());
            proptest::prop_assert_eq!(line_count(&read("corpus.en")), parallel.len());

            let tmx = read("corpus.tmx");
            let xml = roxmltree::Document::parse(&tmx).unwrap();
            let segs: Vec<String> = xml
                .descendants()
                .filter(|n| n.has_tag_name("seg"))
                .map(|n| n.text().unwrap_or("").to_string())
                .collect();
            proptest::prop_assert_eq!(segs.len(), 2 * parallel.len());
            let legal = |s: &str| -> String { s.chars().filter(|c| xml_char(*c)).collect() };
            for (i, pair) in parallel.iter().enumerate() {
                proptest::prop_assert_eq!(&segs[2 * i], &legal(&pair.src));
                proptest::prop_assert_eq!(&segs[2 * i + 1], &legal(&pair.tgt));
            }

            let html = read("report.html");
            proptest::prop_assert_eq!(html.matches("<tr class=\"pair ").count(), pairs.len());
            proptest::prop_assert_eq!(html.matches("<script").count(), 1);
            Ok(())
        })
        .unwrap();
}
