//! `selaras export`: the pairs of the chosen statuses written as a corpus, by the writers of
//! `selaras run` (same file names and formats), with the reviewer's text where edited.
//!
//! Documents and pairs keep the order of `pairs.jsonl`; a document keeps its id and each pair
//! its sentence indices, and `pair` numbers the exported pairs of a document from 0. An edited
//! pair's target is the edited text; its target sentences are the edited text as the first
//! sentence of the block (the others empty). In TMX each `<tu>` also carries `x-status`,
//! `x-reviewer`, `x-reviewed-at` and, when edited, `x-edited`, with the reviewer's comment and
//! the run's own target as `<note>`s. The same database gives the same bytes.

use super::queue::Review;
use super::run_folder::PairKey;
use super::store::{Decision, Status};
use super::ReviewError;
use crate::model::{DocumentPairs, PairRecord};
use crate::sink::tmx::{self, TuExtra};
use crate::sink::{open_writer, CorpusFormat, CorpusOptions, CorpusWriter, MultiWriter};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// What to export, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// The output folder (must not be the run folder).
    pub out_dir: PathBuf,
    /// The statuses of the pairs written.
    pub statuses: Vec<Status>,
    /// The formats written.
    pub formats: Vec<CorpusFormat>,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    /// Pairs written.
    pub pairs: usize,
    /// Documents with at least one pair written.
    pub documents: usize,
    /// The files written.
    pub files: Vec<PathBuf>,
}

/// Writes the pairs of `review` with one of `options.statuses` in `options.formats`.
pub fn export(review: &Review, options: &ExportOptions) -> Result<Exported, ReviewError> {
    refuse_run_folder(review, options)?;
    let run = review.run();
    let corpus = CorpusOptions::new(&options.out_dir, &run.src_lang, &run.tgt_lang);
    let chosen: Vec<usize> = (0..review.len())
        .filter(|&id| options.statuses.contains(&review.status(id)))
        .collect();
    let extras: HashMap<PairKey, TuExtra> = chosen
        .iter()
        .filter_map(|&id| {
            let decision = review.applied(id)?;
            let pair = &run.pairs[id];
            Some((pair.key.clone(), tu_extra(decision, &pair.record.tgt)))
        })
        .collect();
    let extras = Arc::new(extras);
    let mut writers = Vec::new();
    for format in &options.formats {
        writers.push(if *format == CorpusFormat::Tmx {
            let extras = Arc::clone(&extras);
            tmx::create_annotated(
                &corpus,
                Box::new(move |doc_id, pair| {
                    let key = PairKey::new(doc_id, &pair.src_indices, &pair.tgt_indices);
                    extras.get(&key).cloned().unwrap_or_default()
                }),
            )?
        } else {
            open_writer(*format, &corpus)?
        });
    }
    let mut writer = MultiWriter::new(writers, &corpus);
    let mut exported = Exported {
        pairs: chosen.len(),
        documents: 0,
        files: Vec::new(),
    };
    for group in chosen.chunk_by(|&a, &b| run.pairs[a].key.doc_id == run.pairs[b].key.doc_id) {
        writer.write_document(&document(review, group))?;
        exported.documents += 1;
    }
    exported.files = Box::new(writer).finish()?;
    Ok(exported)
}

fn refuse_run_folder(review: &Review, options: &ExportOptions) -> Result<(), ReviewError> {
    let run_dir = std::fs::canonicalize(&review.run().dir).ok();
    let out_dir = std::fs::canonicalize(&options.out_dir).ok();
    if run_dir.is_some() && run_dir == out_dir {
        return Err(ReviewError::Format {
            path: options.out_dir.clone(),
            line: 0,
            message: "is the run folder: export to another folder, or its corpus files \
                      would be replaced"
                .into(),
        });
    }
    Ok(())
}

/// The TMX props and notes of a decision.
fn tu_extra(decision: &Decision, run_tgt: &str) -> TuExtra {
    let mut extra = TuExtra::default();
    let mut prop = |kind: &str, value: &str| extra.props.push((kind.into(), value.into()));
    prop("x-status", decision.status.as_str());
    prop("x-reviewer", &decision.reviewer);
    prop("x-reviewed-at", &decision.decided_at);
    if decision.edited.is_some() {
        prop("x-edited", "true");
    }
    if let Some(comment) = &decision.comment {
        extra.notes.push(format!("review: {comment}"));
    }
    if decision.edited.is_some() {
        extra.notes.push(format!("machine translation: {run_tgt}"));
    }
    extra
}

/// The document of the pairs `ids` (all of one document, in order).
fn document(review: &Review, ids: &[usize]) -> DocumentPairs {
    let run = review.run();
    let first = &run.pairs[ids[0]].record;
    let mut src_sentences = Vec::new();
    let mut tgt_sentences = Vec::new();
    let mut pairs = Vec::with_capacity(ids.len());
    for &id in ids {
        let record = &run.pairs[id].record;
        let edited = review.applied(id).and_then(|d| d.edited.clone());
        place(
            &mut src_sentences,
            &record.src_indices,
            &record.src_sentences,
        );
        match &edited {
            Some(text) => place(
                &mut tgt_sentences,
                &record.tgt_indices,
                std::slice::from_ref(text),
            ),
            None => place(
                &mut tgt_sentences,
                &record.tgt_indices,
                &record.tgt_sentences,
            ),
        }
        pairs.push(PairRecord {
            src_indices: record.src_indices.clone(),
            tgt_indices: record.tgt_indices.clone(),
            src: record.src.clone(),
            tgt: edited.unwrap_or_else(|| record.tgt.clone()),
            scores: record.scores,
            flags: record.flags.clone(),
        });
    }
    DocumentPairs {
        doc_id: first.doc_id.clone(),
        src_lang: run.src_lang.clone(),
        tgt_lang: run.tgt_lang.clone(),
        src_sentences,
        tgt_sentences,
        src_paragraph_starts: Vec::new(),
        pairs,
    }
}

/// Puts `sentences` at `indices` of `all` (growing it with empty sentences).
fn place(all: &mut Vec<String>, indices: &[usize], sentences: &[String]) {
    for (n, &index) in indices.iter().enumerate() {
        if index >= all.len() {
            all.resize(index + 1, String::new());
        }
        all[index] = sentences.get(n).cloned().unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::super::queue::Change;
    use super::super::run_folder::tests::{record, write_run};
    use super::*;
    use crate::sink::jsonl::JsonlRecord;

    fn decide(review: &mut Review, id: usize, status: Status, tgt: Option<&str>) {
        let change = Change {
            status,
            tgt: tgt.map(|t| Some(t.to_string())),
            comment: Some(Some("checked <ok>".into())),
            version: review.view(id).version,
        };
        review.decide(id, change, "ana").unwrap();
    }

    #[test]
    fn writes_the_chosen_pairs_with_edits_and_review_props() {
        let dir = tempfile::tempdir().unwrap();
        let run_dir = dir.path().join("run");
        write_run(
            &run_dir,
            &[
                record("a", 0, "Halo.", "Hello.", 0.9),
                record("a", 1, "Dua.", "Too.", 0.5),
                record("b", 0, "Tiga.", "Three.", 0.7),
            ],
        );
        let mut review = Review::open(&run_dir).unwrap();
        decide(&mut review, 1, Status::Accepted, Some("Two."));
        decide(&mut review, 2, Status::Rejected, None);
        let options = ExportOptions {
            out_dir: dir.path().join("out"),
            statuses: vec![Status::Accepted],
            formats: vec![CorpusFormat::Jsonl, CorpusFormat::Tmx],
        };
        let exported = export(&review, &options).unwrap();
        assert_eq!((exported.pairs, exported.documents), (1, 1));
        let jsonl = std::fs::read_to_string(options.out_dir.join("pairs.jsonl")).unwrap();
        let lines: Vec<JsonlRecord> = jsonl
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 1);
        assert_eq!(
            (lines[0].tgt.as_str(), lines[0].src_indices.as_slice()),
            ("Two.", &[1][..])
        );
        assert_eq!(lines[0].tgt_sentences, ["Two."]);
        let tmx = std::fs::read_to_string(options.out_dir.join("corpus.tmx")).unwrap();
        assert!(
            tmx.contains("<prop type=\"x-status\">accepted</prop>"),
            "{tmx}"
        );
        assert!(
            tmx.contains("<prop type=\"x-reviewer\">ana</prop>"),
            "{tmx}"
        );
        assert!(
            tmx.contains("<note>review: checked &lt;ok&gt;</note>"),
            "{tmx}"
        );
        assert!(
            tmx.contains("<note>machine translation: Too.</note>"),
            "{tmx}"
        );
        let first = std::fs::read(options.out_dir.join("corpus.tmx")).unwrap();
        export(&review, &options).unwrap();
        assert_eq!(
            std::fs::read(options.out_dir.join("corpus.tmx")).unwrap(),
            first
        );

        let both = ExportOptions {
            statuses: vec![Status::Accepted, Status::Rejected],
            ..options.clone()
        };
        assert_eq!(export(&review, &both).unwrap().documents, 2);
        let into_run = ExportOptions {
            out_dir: run_dir.clone(),
            ..options
        };
        let err = export(&review, &into_run).unwrap_err().to_string();
        assert!(err.contains("is the run folder"), "{err}");
    }
}
