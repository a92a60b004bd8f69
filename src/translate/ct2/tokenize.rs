//! SentencePiece tokenization of source sentences and detokenization of translations.

use crate::translate::TranslateError;
use sentencepiece::SentencePieceProcessor;
use std::path::Path;

/// End-of-sentence token of Marian/OPUS-MT vocabularies.
pub const EOS: &str = "</s>";

/// Marker SentencePiece puts in front of word-initial pieces.
const WORD_START: char = '\u{2581}';

/// Turns sentences into source pieces and target pieces back into text.
pub struct Tokenizer {
    source: SentencePieceProcessor,
    target: Option<SentencePieceProcessor>,
    append_eos: bool,
}

impl Tokenizer {
    /// Load the source model and, for OPUS-MT folders, the target model. `append_eos` adds `</s>`
    /// to every source sentence (only for models whose config does not add it already).
    pub fn load(
        source_spm: &Path,
        target_spm: Option<&Path>,
        append_eos: bool,
    ) -> Result<Self, TranslateError> {
        let open = |path: &Path| {
            SentencePieceProcessor::open(path).map_err(|e| {
                TranslateError::Config(format!(
                    "{}: not a usable SentencePiece model: {e}",
                    path.display()
                ))
            })
        };
        Ok(Tokenizer {
            source: open(source_spm)?,
            target: target_spm.map(open).transpose()?,
            append_eos,
        })
    }

    /// Source pieces of one sentence, as CTranslate2 expects them.
    pub fn encode(&self, sentence: &str) -> Result<Vec<String>, TranslateError> {
        let pieces = self
            .source
            .encode(sentence)
            .map_err(|e| TranslateError::Backend(format!("SentencePiece could not encode: {e}")))?;
        let mut tokens: Vec<String> = pieces.into_iter().map(|p| p.piece).collect();
        if self.append_eos {
            tokens.push(EOS.to_string());
        }
        Ok(tokens)
    }

    /// Text of a translation: decoded with the target model when there is one, else joined the way
    /// argostranslate does it.
    pub fn decode(&self, pieces: &[String]) -> Result<String, TranslateError> {
        match &self.target {
            Some(target) => target
                .decode_pieces(pieces)
                .map(|s| s.trim().to_string())
                .map_err(|e| {
                    TranslateError::Backend(format!("SentencePiece could not decode: {e}"))
                }),
            None => Ok(join_pieces(pieces)),
        }
    }
}

/// argostranslate's detokenization: join the pieces, `▁` becomes a space, trim the ends.
pub fn join_pieces(pieces: &[String]) -> String {
    let joined: String = pieces.concat();
    joined.replace(WORD_START, " ").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_pieces_like_argostranslate() {
        let pieces: Vec<String> = ["▁Hello", ",", "▁wor", "ld", "!"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(join_pieces(&pieces), "Hello, world!");
        assert_eq!(join_pieces(&[]), "");
    }

    #[test]
    fn unreadable_model_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sentencepiece.model");
        std::fs::write(&path, b"garbage").unwrap();
        let err = Tokenizer::load(&path, None, false)
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("sentencepiece.model: not a usable SentencePiece model"),
            "{err}"
        );
    }
}
