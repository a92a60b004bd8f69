//! Precision and recall of the name flags on machine translations, labelled from a human
//! reference (see `selaras::eval::flags`).
//!
//! Usage: cargo run --release --example eval_flags -- --ref REF.tsv --hyp HYP
//!        [--kinds name_missing,name_added] [--lines 1-100] [--show]
//!
//! `REF.tsv` has `source<TAB>reference` lines, `HYP` one translation a line (the same count).
//! `--lines` scores a range (1-based, inclusive); `--show` lists every flagged name with its
//! label (`+` correct, `-` wrong) and every gold name no flag gives (`?`).

use selaras::eval::flags::{examples, score, Evaluation, KINDS};
use selaras::model::FlagKind;
use selaras::quality::{QualityChecker, QualityConfig};

fn main() {
    if let Err(e) = run() {
        eprintln!("eval_flags: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let usage = "usage: eval_flags --ref REF.tsv --hyp HYP [--kinds name_missing,name_added] [--lines A-B] [--show]";
    let mut args = std::env::args().skip(1);
    let (mut reference, mut hyp, mut lines, mut show) = (None, None, None, false);
    let mut kinds: Vec<FlagKind> = KINDS.to_vec();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value\n{usage}"));
        match arg.as_str() {
            "--ref" => reference = Some(value()?),
            "--hyp" => hyp = Some(value()?),
            "--kinds" => {
                kinds = value()?
                    .split(',')
                    .map(|k| {
                        FlagKind::ALL
                            .into_iter()
                            .find(|f| f.as_str() == k.trim())
                            .ok_or(format!("unknown flag kind `{k}`"))
                    })
                    .collect::<Result<_, _>>()?
            }
            "--lines" => {
                let v = value()?;
                let (a, b) = v
                    .split_once('-')
                    .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
                    .ok_or(format!("--lines wants A-B, not `{v}`"))?;
                lines = Some((a, b));
            }
            "--show" => show = true,
            "-h" | "--help" => {
                println!("{usage}");
                return Ok(());
            }
            _ => return Err(format!("unexpected argument `{arg}`\n{usage}")),
        }
    }
    let (Some(reference), Some(hyp)) = (reference, hyp) else {
        return Err(usage.to_string());
    };
    let read = |path: &str| std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"));
    let examples = examples(&read(&reference)?, &read(&hyp)?, lines)?;
    let checker = QualityChecker::new(QualityConfig::new("id", "en"));
    let Evaluation { scores, judgements } = score(&examples, &kinds, &checker)?;
    let offset = lines.map_or(1, |(a, _)| a);
    if show {
        for j in &judgements {
            let mark = match (j.flagged, j.correct) {
                (true, true) => '+',
                (true, false) => '-',
                (false, _) => '?',
            };
            let ex = &examples[j.index];
            println!(
                "{mark} {} line {}: {}\n    src: {}\n    ref: {}\n    hyp: {}",
                j.kind,
                j.index + offset,
                j.name,
                ex.src,
                ex.reference,
                ex.hyp
            );
        }
    }
    println!(
        "{} pairs (lines {}-{})",
        examples.len(),
        offset,
        offset + examples.len() - 1
    );
    for (kind, s) in scores {
        println!("{kind:<13} {s}");
    }
    Ok(())
}
