//! Sentence segmentation: paragraphs and sentences of normalized text.
//!
//! A blank line separates paragraphs; every line break ends a sentence (so a title or a
//! photo credit without final punctuation is a sentence of its own); inside a line, the
//! rules of [`rules`] decide which stops end a sentence.

pub mod rules;
mod splitter;

use crate::document::{Document, Paragraph, Sentence};
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

    /// A segmenter with the given rules.
    pub fn with_rules(rules: Rules) -> Self {
        Segmenter { rules }
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
                if let Some(p) = current.take() {
                    paragraphs.push(p);
                }
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
        if let Some(p) = current.take() {
            paragraphs.push(p);
        }
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
