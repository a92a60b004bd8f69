//! `corpus.tmx` parses as XML and has the TMX 1.4b structure CAT tools expect.

use selaras::model::{DocumentPairs, Flag, FlagKind, PairRecord, Scores};
use selaras::sink::{open_writers, CorpusOptions, CorpusWriter};
use std::collections::BTreeMap;

fn pair(i: usize, src: &str, tgt: &str, score: f32, flags: Vec<Flag>) -> PairRecord {
    PairRecord {
        src_indices: vec![i],
        tgt_indices: if tgt.is_empty() { vec![] } else { vec![i] },
        src: src.to_string(),
        tgt: tgt.to_string(),
        scores: Scores {
            align: Some(score),
            embed: None,
        },
        flags,
    }
}

fn docs() -> Vec<DocumentPairs> {
    let hostile_src = "A & B < C > D \"q\" 'a' ]]> \u{0}\u{8}\u{b}\u{c}\u{1f}\u{fffe}\u{ffff} é 😀";
    let hostile_tgt = "<seg>not a tag</seg> &amp; \r\n";
    vec![
        DocumentPairs {
            doc_id: "a/b&c.txt".into(),
            src_lang: "id".into(),
            tgt_lang: "en".into(),
            src_sentences: vec![hostile_src.into(), "Tanpa pasangan.".into()],
            tgt_sentences: vec![hostile_tgt.into()],
            src_paragraph_starts: vec![0],
            pairs: vec![
                pair(
                    0,
                    hostile_src,
                    hostile_tgt,
                    0.42,
                    vec![
                        Flag::new(FlagKind::LowScore, "alignment score 0.42 below 0.50"),
                        Flag::new(FlagKind::NumberMismatch, "source only: 1 < 2"),
                    ],
                ),
                pair(1, "Tanpa pasangan.", "", 0.0, vec![]),
            ],
        },
        DocumentPairs {
            doc_id: "d".into(),
            src_lang: "id".into(),
            tgt_lang: "en".into(),
            src_sentences: vec!["Halo.".into()],
            tgt_sentences: vec!["Hello.".into()],
            src_paragraph_starts: vec![0],
            pairs: vec![pair(0, "Halo.", "Hello.", 0.97, vec![])],
        },
    ]
}

fn write(dir: &std::path::Path) -> String {
    let mut writer = open_writers("tmx", &CorpusOptions::new(dir, "id", "en")).unwrap();
    for doc in docs() {
        writer.write_document(&doc).unwrap();
    }
    let paths = Box::new(writer).finish().unwrap();
    std::fs::read_to_string(&paths[0]).unwrap()
}

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

#[test]
fn tmx_is_well_formed_with_header_units_props_and_segments() {
    let dir = tempfile::tempdir().unwrap();
    let text = write(dir.path());
    let xml = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let tmx = xml.root_element();
    assert_eq!(tmx.tag_name().name(), "tmx");
    assert_eq!(tmx.attribute("version"), Some("1.4"));

    let children: Vec<_> = tmx.children().filter(|n| n.is_element()).collect();
    assert_eq!(children.len(), 2);
    let header = children[0];
    assert_eq!(header.tag_name().name(), "header");
    for (name, value) in [
        ("srclang", "id"),
        ("adminlang", "en"),
        ("datatype", "plaintext"),
        ("segtype", "sentence"),
        ("o-tmf", "selaras"),
        ("creationtool", "selaras"),
        ("creationtoolversion", env!("CARGO_PKG_VERSION")),
    ] {
        assert_eq!(header.attribute(name), Some(value), "header {name}");
    }
    assert!(header.attribute("creationdate").is_none());

    let body = children[1];
    assert_eq!(body.tag_name().name(), "body");
    let units: Vec<_> = body.children().filter(|n| n.is_element()).collect();
    // The unaligned sentence is not a translation unit.
    assert_eq!(units.len(), 2);
    for unit in &units {
        assert_eq!(unit.tag_name().name(), "tu");
        let tuvs: Vec<_> = unit.children().filter(|n| n.has_tag_name("tuv")).collect();
        let langs: Vec<_> = tuvs
            .iter()
            .map(|t| t.attribute((XML_NS, "lang")).unwrap())
            .collect();
        assert_eq!(langs, ["id", "en"]);
        for tuv in &tuvs {
            let segs: Vec<_> = tuv.children().filter(|n| n.is_element()).collect();
            assert_eq!(segs.len(), 1);
            assert_eq!(segs[0].tag_name().name(), "seg");
            assert!(
                segs[0].children().all(|n| n.is_text()),
                "seg holds only text"
            );
        }
        // TMX: notes and props come before the variants.
        let names: Vec<_> = unit
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        let first_tuv = names.iter().position(|n| *n == "tuv").unwrap();
        assert!(names[first_tuv..].iter().all(|n| *n == "tuv"), "{names:?}");
    }

    let first = units[0];
    assert_eq!(first.attribute("tuid"), Some("1"));
    let props: BTreeMap<_, _> = first
        .children()
        .filter(|n| n.has_tag_name("prop"))
        .map(|p| (p.attribute("type").unwrap(), p.text().unwrap_or("")))
        .collect();
    assert_eq!(props["x-doc-id"], "a/b&c.txt");
    assert_eq!(props["x-score"], "0.420");
    assert_eq!(props["x-flags"], "low_score,number_mismatch");
    assert_eq!(props["x-block-type"], "1-1");
    let notes: Vec<_> = first
        .children()
        .filter(|n| n.has_tag_name("note"))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(notes[1], "number_mismatch: source only: 1 < 2");

    let segs: Vec<_> = first
        .descendants()
        .filter(|n| n.has_tag_name("seg"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    // Escaped characters come back; characters illegal in XML 1.0 are dropped.
    assert_eq!(segs[0], "A & B < C > D \"q\" 'a' ]]>  é 😀");
    assert_eq!(segs[1], "<seg>not a tag</seg> &amp; \r\n");
    assert_eq!(units[1].attribute("tuid"), Some("2"));
}

#[test]
fn tmx_is_deterministic() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    assert_eq!(write(a.path()), write(b.path()));
}
