//! Counts the quality flags raised on a TSV of human translations (`src<TAB>tgt` a line):
//! on correct pairs every flag is a false alarm, so this measures the checks' noise. With
//! `--shuffle`, each source is paired with the next line's target (wrong pairs) to measure how
//! often the content checks notice.
//!
//! Usage: cargo run --example quality_flags -- FILE.tsv [--shuffle] [--show KIND]

use selaras::quality::QualityChecker;
use std::collections::BTreeMap;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: quality_flags FILE.tsv [--shuffle] [--show KIND]");
        std::process::exit(2);
    };
    let shuffle = args.iter().any(|a| a == "--shuffle");
    let show = args
        .iter()
        .position(|a| a == "--show")
        .and_then(|i| args.get(i + 1));
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(1);
    });
    let pairs: Vec<(&str, &str)> = text.lines().filter_map(|l| l.split_once('\t')).collect();
    let checker = QualityChecker::default();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut flagged = 0;
    for (i, (src, tgt)) in pairs.iter().enumerate() {
        let tgt = if shuffle {
            pairs[(i + 1) % pairs.len()].1
        } else {
            tgt
        };
        let flags = checker.check(src, tgt, None);
        flagged += usize::from(!flags.is_empty());
        for flag in &flags {
            *counts.entry(flag.kind.to_string()).or_default() += 1;
            if show.is_some_and(|s| s == flag.kind.as_str()) {
                println!("{}: {}\n  {src}\n  {tgt}", flag.kind, flag.detail);
            }
        }
    }
    println!("pairs\t{}", pairs.len());
    println!("flagged\t{flagged}");
    for (kind, count) in counts {
        println!("{kind}\t{count}");
    }
}
