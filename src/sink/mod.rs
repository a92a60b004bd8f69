//! Corpus writers: the aligned pairs of every document, in the formats corpus builders use.
//!
//! Every writer implements [`CorpusWriter`]: it is fed one [`DocumentPairs`] at a time, in
//! document order, streams what it can to a temporary file in the output folder and renames it
//! into place on [`CorpusWriter::finish`], so an interrupted run never leaves a half-written file
//! under its final name. Memory stays flat whatever the number of documents. Outputs carry no
//! timestamps: the same documents always give byte-identical files.
//!
//! [`open_writers`] builds a [`MultiWriter`] from a list of format names
//! (`jsonl,tsv,moses,tmx,html`); [`write_corpus`] writes a whole sequence of documents with it.

mod format;
pub mod html;
pub mod jsonl;
pub mod moses;
mod summary;
mod text;
pub mod tmx;
pub mod tsv;

use std::path::PathBuf;

use crate::model::{DocumentPairs, Flag, PairRecord};
use crate::text::atomic::{AtomicFile, FileError};

pub use format::{parse_formats, CorpusFormat};
pub use summary::Summary;

/// An error while writing corpus files.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// Writing a file failed (`cannot write PATH: …`).
    #[error(transparent)]
    Io(#[from] FileError),
    /// A format name that selaras does not write.
    #[error("unknown corpus format `{name}` (known formats: {known})")]
    UnknownFormat {
        /// The name as given.
        name: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// The format list names no format.
    #[error("no corpus format given (known formats: {known})")]
    NoFormat {
        /// The known names, comma-separated.
        known: String,
    },
    /// The documents to write could not be produced (e.g. a stored result failed to load).
    #[error("cannot read a document to write: {message}")]
    Document {
        /// What went wrong.
        message: String,
    },
    /// A document's languages differ from the languages the writers were opened with.
    #[error("document `{doc_id}` is {doc} but the corpus is {corpus}")]
    LanguageMismatch {
        /// The document's id.
        doc_id: String,
        /// The document's languages, `src→tgt`.
        doc: String,
        /// The corpus's languages, `src→tgt`.
        corpus: String,
    },
}

/// Settings shared by all writers.
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusOptions {
    /// Folder the files are written to (created when missing).
    pub out_dir: PathBuf,
    /// Source language code (names the Moses file, TMX `srclang`).
    pub src_lang: String,
    /// Target language code.
    pub tgt_lang: String,
    /// Title shown at the top of `report.html`.
    pub title: String,
}

impl CorpusOptions {
    /// Options for `out_dir` and the language pair, with a default report title.
    pub fn new(out_dir: impl Into<PathBuf>, src_lang: &str, tgt_lang: &str) -> Self {
        CorpusOptions {
            out_dir: out_dir.into(),
            src_lang: src_lang.to_string(),
            tgt_lang: tgt_lang.to_string(),
            title: format!("selaras corpus {src_lang}→{tgt_lang}"),
        }
    }

    /// Checks that `doc` is in this corpus's language pair.
    pub fn check_languages(&self, doc: &DocumentPairs) -> Result<(), CorpusError> {
        if doc.src_lang == self.src_lang && doc.tgt_lang == self.tgt_lang {
            return Ok(());
        }
        Err(CorpusError::LanguageMismatch {
            doc_id: doc.doc_id.clone(),
            doc: format!("{}→{}", doc.src_lang, doc.tgt_lang),
            corpus: format!("{}→{}", self.src_lang, self.tgt_lang),
        })
    }
}

/// A sink for the pairs of a corpus, fed one document at a time in document order.
pub trait CorpusWriter: Send {
    /// Appends one document's pairs.
    fn write_document(&mut self, doc: &DocumentPairs) -> Result<(), CorpusError>;

    /// Completes the output and moves it to its final name; returns the files written.
    /// Dropping a writer without calling `finish` removes its temporary files.
    fn finish(self: Box<Self>) -> Result<Vec<PathBuf>, CorpusError>;
}

/// Opens the writer of one format.
pub fn open_writer(
    format: CorpusFormat,
    options: &CorpusOptions,
) -> Result<Box<dyn CorpusWriter>, CorpusError> {
    std::fs::create_dir_all(&options.out_dir).map_err(|source| FileError {
        path: options.out_dir.clone(),
        source,
    })?;
    Ok(match format {
        CorpusFormat::Jsonl => jsonl::create(options)?,
        CorpusFormat::Tsv => tsv::create(options)?,
        CorpusFormat::Moses => moses::create(options)?,
        CorpusFormat::Tmx => tmx::create(options)?,
        CorpusFormat::Html => Box::new(html::HtmlReportWriter::create(options)?),
    })
}

/// A writer of plain files: `render` appends a document's text for each file to one `String`
/// per file (in the order of the file names); `footer` ends every file.
struct TextWriter<F> {
    files: Vec<AtomicFile>,
    texts: Vec<String>,
    render: F,
    footer: &'static str,
}

impl<F> TextWriter<F>
where
    F: FnMut(&DocumentPairs, &mut [String]) -> std::io::Result<()> + Send + 'static,
{
    /// Starts the files `names` in the output folder, each beginning with `header`.
    fn create(
        options: &CorpusOptions,
        names: &[&str],
        header: &str,
        footer: &'static str,
        render: F,
    ) -> Result<Box<dyn CorpusWriter>, CorpusError> {
        let mut files = Vec::new();
        for name in names {
            let mut file = AtomicFile::create(&options.out_dir, name)?;
            file.write_str(header)?;
            files.push(file);
        }
        let texts = vec![String::new(); files.len()];
        Ok(Box::new(TextWriter {
            files,
            texts,
            render,
            footer,
        }))
    }
}

impl<F> CorpusWriter for TextWriter<F>
where
    F: FnMut(&DocumentPairs, &mut [String]) -> std::io::Result<()> + Send,
{
    fn write_document(&mut self, doc: &DocumentPairs) -> Result<(), CorpusError> {
        if let Err(e) = (self.render)(doc, &mut self.texts) {
            return Err(self.files[0].error(e).into());
        }
        for (file, text) in self.files.iter_mut().zip(&mut self.texts) {
            file.write_str(text)?;
            text.clear();
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<Vec<PathBuf>, CorpusError> {
        let mut paths = Vec::new();
        for mut file in self.files {
            file.write_str(self.footer)?;
            paths.push(file.commit()?);
        }
        Ok(paths)
    }
}

/// Opens one writer per format of a comma-separated list such as `jsonl,tsv,moses,tmx,html`.
pub fn open_writers(formats: &str, options: &CorpusOptions) -> Result<MultiWriter, CorpusError> {
    let formats = parse_formats(formats)?;
    let writers = formats
        .iter()
        .map(|format| open_writer(*format, options))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(MultiWriter {
        writers,
        options: options.clone(),
        summary: Summary::default(),
    })
}

/// Writes every document of `docs` (in the order given) in each format of `formats`; returns
/// the corpus counts and the files written. An `Err` item stops the run and leaves no output
/// file changed.
pub fn write_corpus<E: std::fmt::Display>(
    formats: &str,
    options: &CorpusOptions,
    docs: impl IntoIterator<Item = Result<DocumentPairs, E>>,
) -> Result<(Summary, Vec<PathBuf>), CorpusError> {
    let mut writer = open_writers(formats, options)?;
    for doc in docs {
        let doc = doc.map_err(|e| CorpusError::Document {
            message: e.to_string(),
        })?;
        writer.write_document(&doc)?;
    }
    let summary = writer.summary().clone();
    let paths = Box::new(writer).finish()?;
    Ok((summary, paths))
}

/// Several writers fed the same documents, counting a [`Summary`] on the way.
pub struct MultiWriter {
    writers: Vec<Box<dyn CorpusWriter>>,
    options: CorpusOptions,
    summary: Summary,
}

impl MultiWriter {
    /// Writers opened by the caller (e.g. an annotated TMX writer), fed together.
    pub fn new(writers: Vec<Box<dyn CorpusWriter>>, options: &CorpusOptions) -> MultiWriter {
        MultiWriter {
            writers,
            options: options.clone(),
            summary: Summary::default(),
        }
    }

    /// Counts over the documents written so far (for the run's final summary).
    pub fn summary(&self) -> &Summary {
        &self.summary
    }
}

impl CorpusWriter for MultiWriter {
    fn write_document(&mut self, doc: &DocumentPairs) -> Result<(), CorpusError> {
        self.options.check_languages(doc)?;
        for writer in &mut self.writers {
            writer.write_document(doc)?;
        }
        self.summary.add(doc);
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<Vec<PathBuf>, CorpusError> {
        let mut paths = Vec::new();
        for writer in self.writers {
            paths.extend(writer.finish()?);
        }
        Ok(paths)
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Small documents for the writers' unit tests.
    use super::*;
    use crate::model::FlagKind;
    use std::path::Path;

    /// A pair with the given texts, indices and align score.
    pub fn pair(src: &[usize], tgt: &[usize], s: &str, t: &str, score: f32) -> PairRecord {
        PairRecord {
            src_indices: src.to_vec(),
            tgt_indices: tgt.to_vec(),
            src: s.to_string(),
            tgt: t.to_string(),
            scores: crate::model::Scores {
                align: Some(score),
                embed: None,
            },
            flags: Vec::new(),
        }
    }

    /// A two-document corpus with a flagged pair, an unaligned sentence and hostile text.
    pub fn sample_docs() -> Vec<DocumentPairs> {
        let mut flagged = pair(
            &[1],
            &[1],
            "Harganya Rp 1.500.",
            "The price is Rp 15.",
            0.81,
        );
        flagged.flags = vec![Flag::new(
            FlagKind::NumberMismatch,
            "1.500 missing in target",
        )];
        vec![
            DocumentPairs {
                doc_id: "berita/a.txt".into(),
                src_lang: "id".into(),
                tgt_lang: "en".into(),
                src_sentences: vec![
                    "Halo\tdunia <b>&</b>.".into(),
                    "Harganya Rp 1.500.".into(),
                    "Kalimat tanpa pasangan.".into(),
                ],
                tgt_sentences: vec![
                    "Hello\tworld <b>&</b>.".into(),
                    "The price is Rp 15.".into(),
                ],
                src_paragraph_starts: vec![0, 2],
                pairs: vec![
                    pair(
                        &[0],
                        &[0],
                        "Halo\tdunia <b>&</b>.",
                        "Hello\tworld <b>&</b>.",
                        0.93,
                    ),
                    flagged,
                    pair(&[2], &[], "Kalimat tanpa pasangan.", "", 0.0),
                ],
            },
            DocumentPairs {
                doc_id: "b".into(),
                src_lang: "id".into(),
                tgt_lang: "en".into(),
                src_sentences: vec!["Baris\nkedua \u{1} \"kutip\".".into()],
                tgt_sentences: vec!["Second\nline \u{1} \"quote\".".into()],
                src_paragraph_starts: vec![0],
                pairs: vec![pair(
                    &[0],
                    &[0],
                    "Baris\nkedua \u{1} \"kutip\".",
                    "Second\nline \u{1} \"quote\".",
                    0.5,
                )],
            },
        ]
    }

    /// Options for `dir`, id→en.
    pub fn options(dir: &Path) -> CorpusOptions {
        CorpusOptions::new(dir, "id", "en")
    }

    /// Writes `docs` with `writer` and returns the paths written.
    pub fn write_all(mut writer: Box<dyn CorpusWriter>, docs: &[DocumentPairs]) -> Vec<PathBuf> {
        for doc in docs {
            writer.write_document(doc).unwrap();
        }
        writer.finish().unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn multi_writer_writes_every_format_and_names_unknown_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = open_writers("jsonl,tsv,moses,tmx,html", &options(dir.path())).unwrap();
        for doc in sample_docs() {
            writer.write_document(&doc).unwrap();
        }
        assert_eq!(writer.summary().documents, 2);
        assert_eq!(writer.summary().flagged_pairs, 1);
        let paths = Box::new(writer).finish().unwrap();
        let names: Vec<String> = paths
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "pairs.jsonl",
                "pairs.tsv",
                "corpus.id",
                "corpus.en",
                "corpus.tmx",
                "report.html"
            ]
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

        let err = open_writers("jsonl,xml", &options(dir.path()))
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "unknown corpus format `xml` (known formats: jsonl, tsv, moses, tmx, html)"
        );
    }

    #[test]
    fn write_corpus_writes_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let docs = sample_docs().into_iter().map(Ok::<_, String>);
        let (summary, paths) = write_corpus("tsv,jsonl", &options(dir.path()), docs).unwrap();
        assert_eq!(summary.documents, 2);
        assert_eq!(paths.len(), 2);

        let other = tempfile::tempdir().unwrap();
        let docs = vec![
            Ok(sample_docs().remove(0)),
            Err("state file damaged".to_string()),
        ];
        let err = write_corpus("tsv,jsonl", &options(other.path()), docs).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot read a document to write: state file damaged"
        );
        assert_eq!(std::fs::read_dir(other.path()).unwrap().count(), 0);
    }

    #[test]
    fn multi_writer_rejects_other_languages() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = open_writers("jsonl", &options(dir.path())).unwrap();
        let mut doc = sample_docs().remove(0);
        doc.tgt_lang = "de".into();
        let err = writer.write_document(&doc).unwrap_err();
        assert!(err.to_string().contains("id→de"), "{err}");
    }

    #[test]
    fn dropped_writer_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = open_writers("jsonl,tsv,moses,tmx,html", &options(dir.path())).unwrap();
        writer.write_document(&sample_docs()[0]).unwrap();
        drop(writer);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn same_input_gives_identical_bytes() {
        let run = || {
            let dir = tempfile::tempdir().unwrap();
            let writer = open_writers("jsonl,tsv,moses,tmx,html", &options(dir.path())).unwrap();
            write_all(Box::new(writer), &sample_docs())
                .iter()
                .map(|p| std::fs::read(p).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(), run());
    }
}
