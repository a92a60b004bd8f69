//! Sentence-boundary evaluation against gold segmentation.
//!
//! Gold: paragraphs separated by a blank line, one sentence per line. The splitter gets each
//! paragraph's lines joined with one space; boundaries are compared as offsets counted in
//! non-whitespace characters, so spacing differences do not matter.

use super::prf::Counts;
use crate::text::segment::Segmenter;
use std::collections::BTreeSet;

/// A gold paragraph: its sentences in order.
pub type GoldParagraph = Vec<String>;

/// Parse gold text into paragraphs of sentences.
pub fn parse_gold(text: &str) -> Vec<GoldParagraph> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    lines
        .split(|line| line.is_empty())
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| paragraph.iter().map(|line| line.to_string()).collect())
        .collect()
}

/// Boundary offsets (in non-whitespace characters) after each span but the last.
fn boundaries<'a>(pieces: impl Iterator<Item = &'a str>) -> BTreeSet<usize> {
    let mut offsets = BTreeSet::new();
    let mut total = 0;
    for piece in pieces {
        total += piece.chars().filter(|c| !c.is_whitespace()).count();
        offsets.insert(total);
    }
    offsets.pop_last();
    offsets
}

/// Compare the segmenter's boundaries with one gold paragraph.
pub fn score_paragraph(segmenter: &Segmenter, gold: &[String]) -> Counts {
    let text = gold.join(" ");
    let gold_bounds = boundaries(gold.iter().map(String::as_str));
    let predicted = segmenter.split_line(&text);
    let pred_bounds = boundaries(predicted.iter().map(|r| &text[r.clone()]));
    let tp = gold_bounds.intersection(&pred_bounds).count();
    Counts {
        tp,
        fp: pred_bounds.len() - tp,
        fn_: gold_bounds.len() - tp,
    }
}

/// Score every paragraph; returns the total counts and the paragraphs with errors.
pub fn evaluate(segmenter: &Segmenter, gold: &[GoldParagraph]) -> (Counts, Vec<usize>) {
    let mut total = Counts::default();
    let mut wrong = Vec::new();
    for (i, paragraph) in gold.iter().enumerate() {
        let counts = score_paragraph(segmenter, paragraph);
        if counts.fp + counts.fn_ > 0 {
            wrong.push(i);
        }
        total.add(counts);
    }
    (total, wrong)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_boundaries_ignoring_spaces() {
        let seg = Segmenter::for_lang("id").unwrap();
        let gold = parse_gold("Dr. Budi pergi. Dia pulang.\n\nSatu.\nDua.\n");
        assert_eq!(gold.len(), 2);
        let (counts, wrong) = evaluate(&seg, &gold);
        // Paragraph 1 has one line (no gold boundary) but the splitter finds one: a false positive.
        assert_eq!(
            counts,
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(wrong, vec![0]);
    }
}
