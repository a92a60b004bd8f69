//! The document model every stage shares: document → paragraphs → sentences.
//!
//! Spans are byte ranges into the document's normalized text, so any stage can
//! recover the exact characters a sentence came from.

use std::ops::Range;

/// One input article after normalization and segmentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Stable identifier (relative path or `id` field), safe to use in file names.
    pub id: String,
    /// The normalized text the spans point into.
    pub text: String,
    /// Paragraphs in reading order.
    pub paragraphs: Vec<Paragraph>,
}

/// A paragraph: a run of lines separated from its neighbours by a blank line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Byte range of the paragraph in [`Document::text`].
    pub span: Range<usize>,
    /// Sentences in reading order.
    pub sentences: Vec<Sentence>,
}

/// A sentence: a byte range of the normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range of the sentence in [`Document::text`] (trimmed of surrounding whitespace).
    pub span: Range<usize>,
}

impl Document {
    /// The text of a sentence of this document.
    pub fn sentence_text(&self, sentence: &Sentence) -> &str {
        &self.text[sentence.span.clone()]
    }

    /// All sentences of the document in order, flattened across paragraphs.
    pub fn sentences(&self) -> impl Iterator<Item = &Sentence> {
        self.paragraphs.iter().flat_map(|p| p.sentences.iter())
    }

    /// The sentence texts in order, flattened across paragraphs.
    pub fn sentence_texts(&self) -> Vec<&str> {
        self.sentences().map(|s| self.sentence_text(s)).collect()
    }

    /// Number of sentences in the document.
    pub fn sentence_count(&self) -> usize {
        self.paragraphs.iter().map(|p| p.sentences.len()).sum()
    }

    /// For each paragraph, the index of its first sentence in the flattened order.
    pub fn paragraph_starts(&self) -> Vec<usize> {
        let mut starts = Vec::with_capacity(self.paragraphs.len());
        let mut n = 0;
        for p in &self.paragraphs {
            starts.push(n);
            n += p.sentences.len();
        }
        starts
    }
}
