//! Sentence segmentation: paragraphs and sentences of normalized text.
//!
//! A blank line separates paragraphs; every line break ends a sentence (so a title or a
//! photo credit without final punctuation is a sentence of its own); inside a line, the
//! rules of [`rules`] decide which stops end a sentence.

pub mod rules;
mod splitter;

use crate::model::document::{Document, Paragraph, Sentence};
use std::ops::Range;

pub use rules::Rules;

/// A sentence splitter for one language.
#[derive(Debug, Clone)]
pub struct Segmenter {
    rules: Rules,
}

impl Segmenter {
    /// A segmenter with the built-in rules for `lang` (`id` or `en`).
    pub fn for_lang(lang: &str) -> Result<Self, UnknownLanguage> {
        Rules::for_lang(lang).map(|rules| Segmenter { rules })
    }

    /// Sentence spans (byte ranges, trimmed) of one line of text without line breaks.
    pub fn split_line(&self, line: &str) -> Vec<Range<usize>> {
        splitter::split_line(line, &self.rules)
    }

    /// Paragraphs of `text` (split at blank lines), each as its sentence spans into `text`.
    pub fn split_text(&self, text: &str) -> Vec<(Range<usize>, Vec<Range<usize>>)> {
        let mut paragraphs = Vec::new();
        let mut current: Option<(Range<usize>, Vec<Range<usize>>)> = None;
        let mut offset = 0;
        for raw_line in text.split_inclusive('\n') {
            let line = raw_line.trim_end_matches(['\n', '\r']);
            let start = offset;
            offset += raw_line.len();
            if line.trim().is_empty() {
                paragraphs.extend(current.take());
                continue;
            }
            let spans = self
                .split_line(line)
                .into_iter()
                .map(|r| r.start + start..r.end + start);
            let para = current.get_or_insert_with(|| (start..start, Vec::new()));
            para.0.end = start + line.len();
            para.1.extend(spans);
        }
        paragraphs.extend(current);
        paragraphs
    }

    /// Build a [`Document`] from already normalized text.
    pub fn document(&self, id: impl Into<String>, text: String) -> Document {
        let paragraphs = self
            .split_text(&text)
            .into_iter()
            .map(|(span, sentences)| Paragraph {
                span,
                sentences: sentences
                    .into_iter()
                    .map(|span| Sentence { span })
                    .collect(),
            })
            .collect();
        Document {
            id: id.into(),
            text,
            paragraphs,
        }
    }
}

/// A language without built-in segmentation rules was asked for.
#[derive(Debug, thiserror::Error)]
#[error("no segmentation rules for language {0:?} (available: id, en)")]
pub struct UnknownLanguage(pub String);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn paragraphs_titles_and_credits() {
        let seg = Segmenter::for_lang("id").unwrap();
        let text = "Judul Berita\n\nFoto: AFP\nDia datang. Dia pergi.\n\n\nAkhir.\n";
        let doc = seg.document("d", text.to_string());
        let paras: Vec<Vec<&str>> = doc
            .paragraphs
            .iter()
            .map(|p| p.sentences.iter().map(|s| doc.sentence_text(s)).collect())
            .collect();
        assert_eq!(
            paras,
            vec![
                vec!["Judul Berita"],
                vec!["Foto: AFP", "Dia datang.", "Dia pergi."],
                vec!["Akhir."]
            ]
        );
        assert_eq!(doc.paragraph_starts(), vec![0, 1, 4]);
        assert_eq!(doc.sentence_count(), 5);
    }

    #[test]
    fn unknown_language_is_an_error() {
        assert!(Segmenter::for_lang("xx").is_err());
    }

    fn visible(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn spans_cover_every_visible_character(
            s in "([A-Za-z]{1,8}|[.!?…\"“”'()]|[0-9]{1,4}| |\\PC){0,60}"
        ) {
            let seg = Segmenter::for_lang("id").unwrap();
            for line in s.lines() {
                let spans = seg.split_line(line);
                let mut last = 0;
                let mut joined = String::new();
                for span in &spans {
                    prop_assert!(span.start >= last && span.start < span.end);
                    let piece = &line[span.clone()];
                    prop_assert_eq!(piece, piece.trim());
                    joined.push_str(piece);
                    last = span.end;
                }
                prop_assert_eq!(visible(&joined), visible(line));
            }
        }

        #[test]
        fn any_string_splits_without_panic(s in any::<String>()) {
            let seg = Segmenter::for_lang("en").unwrap();
            let paragraphs = seg.split_text(&s);
            for (para, sentences) in paragraphs {
                prop_assert!(para.end <= s.len());
                for span in sentences {
                    prop_assert!(s.is_char_boundary(span.start) && s.is_char_boundary(span.end));
                }
            }
        }
    }
}
