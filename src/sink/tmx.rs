//! `corpus.tmx`: a TMX 1.4b translation memory readable by OmegaT and other CAT tools.
//!
//! One `<tu>` per pair with text on both sides, numbered from 1 in `tuid`, with props
//! `x-doc-id`, `x-pair` (index in the document), `x-block-type`, `x-score` (when scored) and
//! `x-flags` (comma-separated kinds, when flagged), a `<note>` per flag, then one `<tuv>` per
//! language. The header carries no creation date so the file is deterministic; text is escaped
//! and characters illegal in XML 1.0 are dropped.

use super::text::{escape_markup, markup};
use super::tsv::{flag_kinds, format_score};
use super::{CorpusError, CorpusOptions, CorpusWriter, PairRecord, TextWriter};

/// The file name written.
pub const FILE_NAME: &str = "corpus.tmx";

/// Extra props and notes of one pair's `<tu>` (e.g. a reviewer's decision), after its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TuExtra {
    /// `<prop type="…">value</prop>` lines.
    pub props: Vec<(String, String)>,
    /// `<note>` lines.
    pub notes: Vec<String>,
}

/// Gives the extra props and notes of a pair, from its document id and the pair.
pub type Annotator = Box<dyn Fn(&str, &PairRecord) -> TuExtra + Send>;

/// Starts `corpus.tmx` in the output folder with its header.
pub fn create(options: &CorpusOptions) -> Result<Box<dyn CorpusWriter>, CorpusError> {
    create_annotated(options, Box::new(|_, _| TuExtra::default()))
}

/// Starts `corpus.tmx` whose `<tu>`s carry the props and notes `annotate` gives.
pub fn create_annotated(
    options: &CorpusOptions,
    annotate: Annotator,
) -> Result<Box<dyn CorpusWriter>, CorpusError> {
    let (src_lang, tgt_lang) = (markup(&options.src_lang), markup(&options.tgt_lang));
    let header = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <tmx version=\"1.4\">\n\
         \x20 <header creationtool=\"selaras\" creationtoolversion=\"{}\" \
         datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" srclang=\"{src_lang}\" \
         o-tmf=\"selaras\"/>\n\
         \x20 <body>\n",
        env!("CARGO_PKG_VERSION"),
    );
    let mut next_tuid = 1u64;
    let footer = "  </body>\n</tmx>\n";
    TextWriter::create(options, &[FILE_NAME], &header, footer, move |doc, out| {
        let out = &mut out[0];
        for (index, pair) in doc.pairs.iter().enumerate() {
            if !pair.is_parallel() {
                continue;
            }
            out.push_str(&format!("    <tu tuid=\"{next_tuid}\">\n"));
            next_tuid += 1;
            prop(out, "x-doc-id", &doc.doc_id);
            prop(out, "x-pair", &index.to_string());
            prop(out, "x-block-type", &pair.block_type());
            if let Some(score) = pair.score() {
                prop(out, "x-score", &format_score(Some(score)));
            }
            if !pair.flags.is_empty() {
                prop(out, "x-flags", &flag_kinds(pair));
            }
            let extra = annotate(&doc.doc_id, pair);
            for (kind, value) in &extra.props {
                prop(out, kind, value);
            }
            for flag in &pair.flags {
                note(out, &format!("{}: {}", flag.kind, flag.detail));
            }
            for text in &extra.notes {
                note(out, text);
            }
            tuv(out, &src_lang, &pair.src);
            tuv(out, &tgt_lang, &pair.tgt);
            out.push_str("    </tu>\n");
        }
        Ok(())
    })
}

fn prop(out: &mut String, kind: &str, value: &str) {
    out.push_str(&format!(
        "      <prop type=\"{kind}\">{}</prop>\n",
        markup(value)
    ));
}

fn note(out: &mut String, text: &str) {
    out.push_str("      <note>");
    escape_markup(text, out);
    out.push_str("</note>\n");
}

fn tuv(out: &mut String, lang: &str, text: &str) {
    out.push_str(&format!(
        "      <tuv xml:lang=\"{lang}\"><seg>{}</seg></tuv>\n",
        markup(text)
    ));
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn escapes_text_and_numbers_units() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_all(create(&options(dir.path())).unwrap(), &sample_docs());
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

    #[test]
    fn annotations_follow_the_units_own_props_and_notes() {
        let dir = tempfile::tempdir().unwrap();
        let annotate: Annotator = Box::new(|doc_id, pair| TuExtra {
            props: vec![(
                "x-status".into(),
                format!("{doc_id}<{}>", pair.src_indices[0]),
            )],
            notes: vec!["review: ok & fine".into()],
        });
        let writer = create_annotated(&options(dir.path()), annotate).unwrap();
        let paths = write_all(writer, &sample_docs());
        let text = std::fs::read_to_string(&paths[0]).unwrap();
        assert!(text.contains(
            "<prop type=\"x-flags\">number_mismatch</prop>\n      \
             <prop type=\"x-status\">berita/a.txt&lt;1&gt;</prop>\n      \
             <note>number_mismatch: 1.500 missing in target</note>\n      \
             <note>review: ok &amp; fine</note>\n"
        ));
        assert_eq!(
            text.matches("<note>review: ok &amp; fine</note>").count(),
            3
        );
    }
}
