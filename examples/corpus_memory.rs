//! Writes N synthetic documents (30 pairs each, flags on some) through every corpus writer and
//! prints the peak resident memory (VmHWM) and the output sizes: memory should not grow with N.
//!
//! Usage: cargo run --example corpus_memory -- N OUT_DIR

use selaras::model::{DocumentPairs, Flag, FlagKind, PairRecord, Scores};
use selaras::sink::{open_writers, CorpusOptions, CorpusWriter};
use std::time::Instant;

fn document(n: usize) -> DocumentPairs {
    let mut pairs = Vec::new();
    let mut src_sentences = Vec::new();
    let mut tgt_sentences = Vec::new();
    for i in 0..30 {
        let src = format!(
            "Dokumen {n} kalimat {i}: pemerintah mengumumkan anggaran Rp {}.500 miliar untuk pembangunan jalan di daerah.",
            i + 1
        );
        let tgt = format!(
            "Document {n} sentence {i}: the government announced a budget of Rp {},500 billion for building roads in the regions.",
            i + 1
        );
        let mut flags = Vec::new();
        if (n + i).is_multiple_of(7) {
            flags.push(Flag::new(
                FlagKind::NumberMismatch,
                "source only: 1.500 miliar",
            ));
        }
        src_sentences.push(src.clone());
        tgt_sentences.push(tgt.clone());
        pairs.push(PairRecord {
            src_indices: vec![i],
            tgt_indices: vec![i],
            src,
            tgt,
            scores: Scores {
                align: Some(((n * 31 + i * 17) % 100) as f32 / 100.0),
                embed: None,
            },
            flags,
        });
    }
    DocumentPairs {
        doc_id: format!("berita/{n:06}.txt"),
        src_lang: "id".into(),
        tgt_lang: "en".into(),
        src_sentences,
        tgt_sentences,
        src_paragraph_starts: vec![0, 10, 20],
        pairs,
    }
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        eprintln!("usage: corpus_memory N OUT_DIR");
        std::process::exit(2);
    }
    let n: usize = args[0].parse().expect("N must be a number");
    let options = CorpusOptions::new(&args[1], "id", "en");
    let start = Instant::now();
    let mut writer = open_writers("jsonl,tsv,moses,tmx,html", &options).expect("open writers");
    for i in 0..n {
        writer.write_document(&document(i)).expect("write");
    }
    let paths = Box::new(writer).finish().expect("finish");
    let bytes: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    println!(
        "documents {n}\tpairs {}\toutput {:.1} MB\tpeak RSS {:.1} MB\twall {:.2} s",
        n * 30,
        bytes as f64 / 1e6,
        peak_rss_kib() as f64 / 1024.0,
        start.elapsed().as_secs_f64()
    );
}
