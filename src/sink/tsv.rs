//! `pairs.tsv`: `src<TAB>tgt<TAB>doc_id<TAB>score<TAB>flags`, one pair per line, no header.
//!
//! Only pairs with text on both sides are written. Tabs and line breaks inside texts become
//! spaces, so every line is one pair and `cut -f1,2` gives a plain bitext. `score` has three
//! decimals (empty when the pair has none); `flags` is the comma-separated flag kinds.

use super::{CorpusError, CorpusOptions, CorpusWriter, PairRecord, TextWriter};
use crate::text::line::one_line;

/// The file name written.
pub const FILE_NAME: &str = "pairs.tsv";

/// The comma-separated, de-duplicated flag kinds of a pair.
pub fn flag_kinds(pair: &PairRecord) -> String {
    let mut kinds: Vec<&str> = pair.flags.iter().map(|f| f.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds.join(",")
}

/// A score with three decimals, or an empty string.
pub fn format_score(score: Option<f32>) -> String {
    score.map(|s| format!("{s:.3}")).unwrap_or_default()
}

/// Starts `pairs.tsv` in the output folder.
pub fn create(options: &CorpusOptions) -> Result<Box<dyn CorpusWriter>, CorpusError> {
    TextWriter::create(options, &[FILE_NAME], "", "", |doc, out| {
        let doc_id = one_line(&doc.doc_id);
        for pair in doc.pairs.iter().filter(|p| p.is_parallel()) {
            out[0].push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                one_line(&pair.src),
                one_line(&pair.tgt),
                doc_id,
                format_score(pair.score()),
                one_line(&flag_kinds(pair)),
            ));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn one_pair_per_line_with_five_columns() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_all(create(&options(dir.path())).unwrap(), &sample_docs());
        let text = std::fs::read_to_string(&paths[0]).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        for line in &lines {
            assert_eq!(line.split('\t').count(), 5, "{line}");
        }
        assert_eq!(
            lines[0],
            "Halo dunia <b>&</b>.\tHello world <b>&</b>.\tberita/a.txt\t0.930\t"
        );
        assert_eq!(
            lines[1],
            "Harganya Rp 1.500.\tThe price is Rp 15.\tberita/a.txt\t0.810\tnumber_mismatch"
        );
        assert_eq!(
            lines[2],
            "Baris kedua  \"kutip\".\tSecond line  \"quote\".\tb\t0.500\t"
        );
    }
}
