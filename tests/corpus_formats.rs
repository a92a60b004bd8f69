//! Every corpus format from the public API: quality flags computed by `QualityChecker` reach
//! every output, line-oriented formats stay one pair per line, and reruns are byte-identical.

use selaras::corpus::{
    jsonl::JsonlRecord, open_writers, CorpusOptions, CorpusWriter, DocumentPairs, PairRecord,
};
use selaras::quality::{Glossary, QualityChecker, QualityConfig};
use std::collections::BTreeMap;
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
                scores: BTreeMap::from([("align".to_string(), *score)]),
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
    let kinds = |r: &JsonlRecord| r.flags.iter().map(|f| f.kind.clone()).collect::<Vec<_>>();
    assert!(kinds(&records[0]).is_empty(), "{:?}", records[0].flags);
    assert_eq!(kinds(&records[1]), ["number_mismatch"]);
    assert_eq!(kinds(&records[2]), ["glossary_miss"]);
    assert_eq!(kinds(&records[3]), ["low_score", "untranslated"]);
    assert_eq!(kinds(&records[4]), ["empty", "low_score"]);

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
