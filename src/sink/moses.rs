//! Moses plain-text bitext: `corpus.<src_lang>` and `corpus.<tgt_lang>`, line n of each is a
//! pair.
//!
//! Only pairs with text on both sides are written; tabs and line breaks inside texts become
//! spaces so the two files always have the same number of lines.

use super::{CorpusError, CorpusOptions, CorpusWriter, TextWriter};
use crate::text::line::one_line;

/// A language code usable in a file name (letters, digits, `-` and `_`; anything else
/// becomes `_`).
pub fn file_lang(lang: &str) -> String {
    let clean: String = lang
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() {
        "_".to_string()
    } else {
        clean
    }
}

/// Starts both files in the output folder. When both languages have the same code the target
/// file is `corpus.<lang>.tgt`.
pub fn create(options: &CorpusOptions) -> Result<Box<dyn CorpusWriter>, CorpusError> {
    let src_name = format!("corpus.{}", file_lang(&options.src_lang));
    let mut tgt_name = format!("corpus.{}", file_lang(&options.tgt_lang));
    if tgt_name == src_name {
        tgt_name.push_str(".tgt");
    }
    TextWriter::create(options, &[&src_name, &tgt_name], "", "", |doc, out| {
        for pair in doc.pairs.iter().filter(|p| p.is_parallel()) {
            out[0].push_str(&format!("{}\n", one_line(&pair.src)));
            out[1].push_str(&format!("{}\n", one_line(&pair.tgt)));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn parallel_lines_in_two_files() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_all(create(&options(dir.path())).unwrap(), &sample_docs());
        assert_eq!(paths[0].file_name().unwrap(), "corpus.id");
        assert_eq!(paths[1].file_name().unwrap(), "corpus.en");
        let src = std::fs::read_to_string(&paths[0]).unwrap();
        let tgt = std::fs::read_to_string(&paths[1]).unwrap();
        assert_eq!(
            src,
            "Halo dunia <b>&</b>.\nHarganya Rp 1.500.\nBaris kedua  \"kutip\".\n"
        );
        assert_eq!(
            tgt,
            "Hello world <b>&</b>.\nThe price is Rp 15.\nSecond line  \"quote\".\n"
        );
    }

    #[test]
    fn language_codes_are_safe_file_names() {
        assert_eq!(file_lang("../en"), "___en");
        assert_eq!(file_lang("pt-BR"), "pt-BR");
        assert_eq!(file_lang(""), "_");
    }
}
