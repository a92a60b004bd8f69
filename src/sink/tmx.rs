//! `corpus.tmx`: a TMX 1.4b translation memory readable by OmegaT and other CAT tools.
//!
//! One `<tu>` per pair with text on both sides, numbered from 1 in `tuid`, with props
//! `x-doc-id`, `x-pair` (index in the document), `x-block-type`, `x-score` (when scored) and
//! `x-flags` (comma-separated kinds, when flagged), a `<note>` per flag, then one `<tuv>` per
//! language. The header carries no creation date so the file is deterministic; text is escaped
//! and characters illegal in XML 1.0 are dropped.

use super::text::{escape_markup, markup};
use super::tsv::{flag_kinds, format_score};
use super::{CorpusError, CorpusOptions, CorpusWriter, DocumentPairs};
use crate::text::atomic::AtomicFile;
use std::io::Write;
use std::path::PathBuf;

/// The file name written.
pub const FILE_NAME: &str = "corpus.tmx";

/// Writes `corpus.tmx`.
pub struct TmxWriter {
    file: AtomicFile,
    src_lang: String,
    tgt_lang: String,
    next_tuid: u64,
}

impl TmxWriter {
    /// Starts `corpus.tmx` in the output folder and writes its header.
    pub fn create(options: &CorpusOptions) -> Result<Self, CorpusError> {
        let mut file = AtomicFile::create(&options.out_dir, FILE_NAME)?;
        let header = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <tmx version=\"1.4\">\n\
             \x20 <header creationtool=\"selaras\" creationtoolversion=\"{}\" \
             datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" srclang=\"{}\" \
             o-tmf=\"selaras\"/>\n\
             \x20 <body>\n",
            env!("CARGO_PKG_VERSION"),
            markup(&options.src_lang),
        );
        file.write_str(&header)?;
        Ok(TmxWriter {
            file,
            src_lang: markup(&options.src_lang),
            tgt_lang: markup(&options.tgt_lang),
            next_tuid: 1,
        })
    }
}

fn prop(out: &mut String, kind: &str, value: &str) {
    out.push_str("      <prop type=\"");
    out.push_str(kind);
    out.push_str("\">");
    escape_markup(value, out);
    out.push_str("</prop>\n");
}

fn tuv(out: &mut String, lang: &str, text: &str) {
    out.push_str("      <tuv xml:lang=\"");
    out.push_str(lang);
    out.push_str("\"><seg>");
    escape_markup(text, out);
    out.push_str("</seg></tuv>\n");
}

impl CorpusWriter for TmxWriter {
    fn write_document(&mut self, doc: &DocumentPairs) -> Result<(), CorpusError> {
        let mut out = String::new();
        for (index, pair) in doc.pairs.iter().enumerate() {
            if !pair.is_parallel() {
                continue;
            }
            out.clear();
            out.push_str(&format!("    <tu tuid=\"{}\">\n", self.next_tuid));
            self.next_tuid += 1;
            prop(&mut out, "x-doc-id", &doc.doc_id);
            prop(&mut out, "x-pair", &index.to_string());
            prop(&mut out, "x-block-type", &pair.block_type());
            if let Some(score) = pair.score() {
                prop(&mut out, "x-score", &format_score(Some(score)));
            }
            if !pair.flags.is_empty() {
                prop(&mut out, "x-flags", &flag_kinds(pair));
            }
            for flag in &pair.flags {
                out.push_str("      <note>");
                escape_markup(&format!("{}: {}", flag.kind, flag.detail), &mut out);
                out.push_str("</note>\n");
            }
            tuv(&mut out, &self.src_lang, &pair.src);
            tuv(&mut out, &self.tgt_lang, &pair.tgt);
            out.push_str("    </tu>\n");
            self.file.write_str(&out)?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<Vec<PathBuf>, CorpusError> {
        let mut file = self.file;
        file.write_str("  </body>\n</tmx>\n")?;
        file.writer().flush().map_err(|e| file.error(e))?;
        Ok(vec![file.commit()?])
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn escapes_text_and_numbers_units() {
        let dir = tempfile::tempdir().unwrap();
        let writer = TmxWriter::create(&options(dir.path())).unwrap();
        let paths = write_all(Box::new(writer), &sample_docs());
        let text = std::fs::read_to_string(&paths[0]).unwrap();
        assert!(
            text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">")
        );
        assert!(!text.contains("creationdate"));
        assert_eq!(text.matches("<tu ").count(), 3);
        assert!(text.contains("<tu tuid=\"3\">"));
        assert!(text.contains(
            "<tuv xml:lang=\"id\"><seg>Halo\tdunia &lt;b&gt;&amp;&lt;/b&gt;.</seg></tuv>"
        ));
        assert!(text.contains("<seg>Second\nline  &quot;quote&quot;.</seg>"));
        assert!(text.contains("<prop type=\"x-flags\">number_mismatch</prop>"));
        assert!(text.contains("<note>number_mismatch: 1.500 missing in target</note>"));
        assert!(!text.contains('\u{1}'));
        assert!(text.ends_with("  </body>\n</tmx>\n"));
    }
}
