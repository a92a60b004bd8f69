//! `report.html`: one self-contained review page (inline CSS and JavaScript, no external
//! resources).
//!
//! Every document is shown side by side (source | target), each pair tinted by its score, with
//! its flags; a summary on top counts documents, sentences, pairs by block type and flags by
//! kind; a filter bar shows every pair, only flagged pairs, or pairs of one flag kind. The filter
//! follows the URL fragment: `#flagged`, `#flag=KIND[,KIND...]`, or `#all`, so a link (or a
//! headless browser) can open the page filtered.
//!
//! Memory stays flat: document sections stream to an anonymous temporary file while the
//! [`Summary`] is counted; `finish` writes the header and summary, then copies the sections.

use super::summary::Summary;
use super::text::{escape_markup, markup};
use super::{CorpusError, CorpusOptions, CorpusWriter, DocumentPairs, PairRecord};
use crate::model::FlagKind;
use crate::text::atomic::AtomicFile;
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::PathBuf;

/// The file name written.
pub const FILE_NAME: &str = "report.html";

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// Writes `report.html`.
pub struct HtmlReportWriter {
    file: AtomicFile,
    sections: BufWriter<File>,
    summary: Summary,
    options: CorpusOptions,
    most_flagged: MostFlagged,
}

/// How many documents the "most flagged" panel lists.
const MOST_FLAGGED: usize = 10;

/// The documents with the most flagged pairs, bounded to [`MOST_FLAGGED`] entries:
/// (flagged pairs, pairs, document number, document id), most flagged first, then in order.
#[derive(Default)]
struct MostFlagged(Vec<(usize, usize, usize, String)>);

impl MostFlagged {
    fn add(&mut self, flagged: usize, pairs: usize, number: usize, doc_id: &str) {
        let at = self.0.partition_point(|e| e.0 >= flagged);
        if flagged > 0 && at < MOST_FLAGGED {
            self.0
                .insert(at, (flagged, pairs, number, doc_id.to_string()));
            self.0.truncate(MOST_FLAGGED);
        }
    }
}

impl HtmlReportWriter {
    /// Starts `report.html` in the output folder.
    pub fn create(options: &CorpusOptions) -> Result<Self, CorpusError> {
        let file = AtomicFile::create(&options.out_dir, FILE_NAME)?;
        let sections = tempfile::tempfile_in(&options.out_dir).map_err(|e| file.error(e))?;
        Ok(HtmlReportWriter {
            file,
            sections: BufWriter::with_capacity(1 << 16, sections),
            summary: Summary::default(),
            options: options.clone(),
            most_flagged: MostFlagged::default(),
        })
    }
}

/// A flag kind as a label: `number_mismatch` → `number mismatch`.
fn kind_label(kind: FlagKind) -> String {
    kind.as_str().replace('_', " ")
}

/// The tint class of a score: `s0` (red) … `s9` (green), `sn` when unscored.
fn score_class(score: Option<f32>) -> String {
    match score {
        Some(s) => format!("s{}", ((s.clamp(0.0, 1.0) * 10.0).floor() as usize).min(9)),
        None => "sn".to_string(),
    }
}

/// CSS for the ten score tints, red to green.
fn score_css() -> String {
    let mut css = String::new();
    for bucket in 0..10 {
        let hue = bucket * 12;
        css.push_str(&format!(
            "tr.pair.s{bucket} td {{ background: hsl({hue} 70% 96%); }} \
             tr.pair.s{bucket} td.n {{ border-left-color: hsl({hue} 62% 48%); }} \
             .legend i.s{bucket}, .bar.s{bucket} {{ background: hsl({hue} 62% 55%); }}\n"
        ));
    }
    css.push_str("tr.pair.sn td.n { border-left-color: #aab3bd; } .legend i.sn, .bar.sn { background: #aab3bd; }\n");
    css
}

fn indices(list: &[usize]) -> String {
    match (list.first(), list.last()) {
        (None, _) | (_, None) => "–".to_string(),
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
    }
}

fn text_cell(out: &mut String, class: &str, lang: &str, text: &str) {
    out.push_str(&format!("<td class=\"{class}\" lang=\"{lang}\">"));
    if text.trim().is_empty() {
        out.push_str("<span class=\"none\">(no sentence)</span>");
    } else {
        escape_markup(text, out);
    }
    out.push_str("</td>");
}

fn pair_row(out: &mut String, pair: &PairRecord, number: usize, para: bool, langs: (&str, &str)) {
    let score = pair.score();
    let mut kinds: Vec<FlagKind> = pair.flags.iter().map(|f| f.kind).collect();
    kinds.dedup();
    let mut class = format!("pair {}", score_class(score));
    if para {
        class.push_str(" para");
    }
    if !kinds.is_empty() {
        class.push_str(" flagged");
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let names = names.join(" ");
    out.push_str(&format!("<tr class=\"{class}\" data-flags=\"{names}\">"));
    out.push_str(&format!(
        "<td class=\"n\"><b>{number}</b>{} ↔ {}<br>{}</td>",
        indices(&pair.src_indices),
        indices(&pair.tgt_indices),
        markup(&pair.block_type())
    ));
    text_cell(out, "src", langs.0, &pair.src);
    text_cell(out, "tgt", langs.1, &pair.tgt);
    let score = score.map_or("–".to_string(), |s| format!("{s:.2}"));
    out.push_str(&format!(
        "<td class=\"m\"><span class=\"score\">{score}</span> "
    ));
    for kind in &kinds {
        out.push_str(&format!(
            "<span class=\"flag\" data-kind=\"{kind}\">{}</span>",
            kind_label(*kind)
        ));
    }
    if !pair.flags.is_empty() {
        out.push_str("<ul class=\"details\">");
        for flag in &pair.flags {
            out.push_str(&format!("<li>{}</li>", markup(&flag.detail)));
        }
        out.push_str("</ul>");
    }
    out.push_str("</td></tr>\n");
}

impl HtmlReportWriter {
    fn section(&self, doc: &DocumentPairs) -> String {
        let number = self.summary.documents;
        let flagged = doc.pairs.iter().filter(|p| !p.flags.is_empty()).count();
        let langs = (markup(&doc.src_lang), markup(&doc.tgt_lang));
        let mut out = String::new();
        out.push_str(&format!(
            "<section class=\"doc\" id=\"doc-{number}\"><h2><span class=\"docid\">{}</span>\
             <span class=\"docmeta\">{} source · {} target sentences · {} pairs · {} flagged</span>\
             </h2>\n<table class=\"pairs\"><colgroup><col class=\"n\"><col class=\"s\"><col class=\"t\">\
             <col class=\"m\"></colgroup><thead><tr><th>pair</th><th>source · {}</th><th>target · {}</th>\
             <th>score · flags</th></tr></thead><tbody>\n",
            markup(&doc.doc_id),
            doc.src_sentences.len(),
            doc.tgt_sentences.len(),
            doc.pairs.len(),
            flagged,
            langs.0,
            langs.1,
        ));
        let starts: HashSet<usize> = doc.src_paragraph_starts.iter().copied().collect();
        for (index, pair) in doc.pairs.iter().enumerate() {
            let para = index > 0
                && pair
                    .src_indices
                    .first()
                    .is_some_and(|first| *first > 0 && starts.contains(first));
            pair_row(&mut out, pair, index + 1, para, (&langs.0, &langs.1));
        }
        out.push_str("</tbody></table></section>\n");
        out
    }
}

fn card(out: &mut String, value: String, label: &str, warn: bool) {
    let class = if warn { "card warn" } else { "card" };
    out.push_str(&format!(
        "<div class=\"{class}\"><div class=\"v\">{value}</div><div class=\"k\">{label}</div></div>"
    ));
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "0%".to_string()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// One bar-chart row: label, bar scaled to `max`, count.
fn bar_row(out: &mut String, label: &str, count: usize, max: usize, bar_class: &str) {
    let width = if max == 0 {
        0.0
    } else {
        count as f64 * 100.0 / max as f64
    };
    out.push_str(&format!(
        "<tr><td class=\"l\">{label}</td><td><div class=\"bar {bar_class}\" style=\"width:{width:.1}%\"></div></td>\
         <td class=\"c\">{count}</td></tr>"
    ));
}

/// The summary's bar-chart panels: id, title, and the note shown when a panel has no rows.
const PANELS: [(&str, &str, &str); 4] = [
    ("block-types", "Pairs by block type", "No pairs."),
    ("flag-kinds", "Flags by kind (pairs)", "No flags raised."),
    ("scores", "Pairs by score", ""),
    (
        "most-flagged",
        "Most flagged documents",
        "No flagged document.",
    ),
];

fn summary_html(summary: &Summary, most: &MostFlagged) -> String {
    let mut out = String::from("<section id=\"summary\"><div class=\"cards\">");
    for (value, label) in [
        (summary.documents, "documents"),
        (summary.src_sentences, "source sentences"),
        (summary.tgt_sentences, "target sentences"),
        (summary.pairs, "pairs"),
        (summary.parallel_pairs, "pairs with both sides"),
    ] {
        card(&mut out, value.to_string(), label, false);
    }
    let flagged = summary.flagged_pairs;
    let value = format!(
        "{flagged} <small>({})</small>",
        percent(flagged, summary.pairs)
    );
    card(&mut out, value, "flagged pairs", flagged > 0);
    out.push_str("</div><div class=\"panels\">");

    // Bar-chart rows: (label, count, bar class).
    let blocks = summary.block_types.iter();
    let blocks = blocks.map(|(block, n)| (markup(block), *n, String::new()));
    let flags = summary.flags.iter().map(|(kind, n)| {
        let label = format!("<a href=\"#flag={kind}\">{}</a>", kind_label(*kind));
        (label, *n, "f".to_string())
    });
    let scores = (0..10).rev().map(|b| {
        let label = format!("{:.1}–{:.1}", b as f32 / 10.0, (b + 1) as f32 / 10.0);
        (label, summary.score_histogram[b], format!("s{b}"))
    });
    let unscored = summary.unscored_pairs;
    let unscored = (unscored > 0).then(|| ("no score".into(), unscored, "sn".into()));
    let docs = most.0.iter().map(|(flagged, pairs, number, doc_id)| {
        let title = format!("{flagged} of {pairs} pairs flagged");
        let doc_id = markup(doc_id);
        let label = format!("<a href=\"#doc-{number}\" title=\"{title}\">{doc_id}</a>");
        (label, *flagged, "f".to_string())
    });
    let rows: [Vec<_>; 4] = [
        blocks.collect(),
        flags.collect(),
        scores.chain(unscored).collect(),
        docs.collect(),
    ];
    for ((id, title, empty), rows) in PANELS.into_iter().zip(rows) {
        out.push_str(&format!(
            "<div class=\"panel\" id=\"{id}\"><h3>{title}</h3>"
        ));
        if rows.is_empty() {
            out.push_str(&format!("<p class=\"empty-note\">{empty}</p>"));
        } else {
            out.push_str("<table class=\"bars\">");
            let max = rows.iter().map(|r| r.1).max().unwrap_or(0);
            for (label, count, class) in &rows {
                bar_row(&mut out, label, *count, max, class);
            }
            out.push_str("</table>");
        }
        out.push_str("</div>");
    }
    out.push_str("</div></section>\n");
    out
}

fn filter_html(summary: &Summary) -> String {
    let mut out = String::from(
        "<nav class=\"filter\" aria-label=\"filter\"><span class=\"lbl\">Show</span>\
         <a href=\"#all\" data-filter=\"all\" aria-pressed=\"true\">all pairs</a>",
    );
    out.push_str(&format!(
        "<a href=\"#flagged\" data-filter=\"flagged\" aria-pressed=\"false\">flagged ({})</a>",
        summary.flagged_pairs
    ));
    for (kind, count) in &summary.flags {
        out.push_str(&format!(
            "<a href=\"#flag={kind}\" data-filter=\"flag={kind}\" aria-pressed=\"false\">{} ({count})</a>",
            kind_label(*kind)
        ));
    }
    out.push_str("<span class=\"legend\">score 0");
    for bucket in 0..10 {
        out.push_str(&format!("<i class=\"s{bucket}\"></i>"));
    }
    out.push_str("1</span>");
    out.push_str(&format!(
        "<span class=\"count\" id=\"shown\">showing {} of {} pairs</span></nav>\n",
        summary.pairs, summary.pairs
    ));
    out
}

impl CorpusWriter for HtmlReportWriter {
    fn write_document(&mut self, doc: &DocumentPairs) -> Result<(), CorpusError> {
        self.summary.add(doc);
        let flagged = doc.pairs.iter().filter(|p| !p.flags.is_empty()).count();
        self.most_flagged.add(
            flagged,
            doc.pairs.len(),
            self.summary.documents,
            &doc.doc_id,
        );
        let section = self.section(doc);
        self.sections
            .write_all(section.as_bytes())
            .map_err(|e| self.file.error(e).into())
    }

    fn finish(self: Box<Self>) -> Result<Vec<PathBuf>, CorpusError> {
        let HtmlReportWriter {
            mut file,
            sections,
            summary,
            options,
            most_flagged,
        } = *self;
        let mut sections = sections
            .into_inner()
            .map_err(|e| file.error(e.into_error()))?;
        sections.rewind().map_err(|e| file.error(e))?;
        let title = markup(&options.title);
        let head = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"generator\" content=\"selaras {}\">\
             <title>{title}</title>\n<style>\n{CSS}{}</style></head>\n<body>\n\
             <header class=\"top\"><h1>{title}</h1><p>{} → {} · {} documents · {} pairs · \
             each row is one aligned pair, tinted by its score from red (0) to green (1)</p></header>\n\
             <div class=\"wrap\">\n",
            env!("CARGO_PKG_VERSION"),
            score_css(),
            markup(&options.src_lang),
            markup(&options.tgt_lang),
            summary.documents,
            summary.pairs,
        );
        file.write_str(&head)?;
        file.write_str(&summary_html(&summary, &most_flagged))?;
        file.write_str(&filter_html(&summary))?;
        file.write_str("<main>\n")?;
        std::io::copy(&mut sections, file.writer()).map_err(|e| file.error(e))?;
        if summary.documents == 0 {
            file.write_str("<p class=\"empty-note\">No documents.</p>\n")?;
        }
        file.write_str(&format!(
            "</main>\n<footer>selaras {}</footer>\n</div>\n<script>\n{JS}</script>\n</body></html>\n",
            env!("CARGO_PKG_VERSION")
        ))?;
        Ok(vec![file.commit()?])
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    fn render() -> String {
        let dir = tempfile::tempdir().unwrap();
        let writer = HtmlReportWriter::create(&options(dir.path())).unwrap();
        let paths = write_all(Box::new(writer), &sample_docs());
        std::fs::read_to_string(&paths[0]).unwrap()
    }

    #[test]
    fn escapes_text_and_needs_no_external_resources() {
        let html = render();
        assert!(html.contains("Halo\tdunia &lt;b&gt;&amp;&lt;/b&gt;."));
        assert!(!html.contains("<b>&</b>"));
        assert!(!html.contains('\u{1}'));
        for external in ["src=", "<link", "http://", "https://", "@import", "url("] {
            assert!(!html.contains(external), "found {external}");
        }
        assert_eq!(html.matches("<script>").count(), 1);
    }

    #[test]
    fn summary_rows_and_filters() {
        let html = render();
        let summary_start = html.find("id=\"summary\"").unwrap();
        let first_doc = html.find("<section class=\"doc\"").unwrap();
        assert!(summary_start < first_doc);
        assert_eq!(html.matches("<tr class=\"pair ").count(), 4);
        assert!(html.contains("<tr class=\"pair s8 flagged\" data-flags=\"number_mismatch\">"));
        assert!(html.contains("<tr class=\"pair s0 para\" data-flags=\"\">"));
        assert!(
            html.contains("href=\"#flag=number_mismatch\" data-filter=\"flag=number_mismatch\"")
        );
        assert!(html.contains("<li>1.500 missing in target</li>"));
        assert!(html.contains("<div class=\"v\">2</div><div class=\"k\">documents</div>"));
        assert!(html.contains("<td class=\"l\">1-0</td>"));
    }

    #[test]
    fn most_flagged_keeps_the_top_documents_in_order() {
        let mut most = MostFlagged::default();
        for number in 1..=30 {
            most.add(number % 7, 10, number, &format!("d{number}"));
        }
        let kept: Vec<(usize, usize)> = most.0.iter().map(|e| (e.0, e.2)).collect();
        assert_eq!(
            kept,
            [
                (6, 6),
                (6, 13),
                (6, 20),
                (6, 27),
                (5, 5),
                (5, 12),
                (5, 19),
                (5, 26),
                (4, 4),
                (4, 11)
            ]
        );
        let html = render();
        assert!(html.contains("<a href=\"#doc-1\" title=\"1 of 3 pairs flagged\">berita/a.txt</a>"));
    }

    #[test]
    fn empty_corpus_still_renders() {
        let dir = tempfile::tempdir().unwrap();
        let writer = HtmlReportWriter::create(&options(dir.path())).unwrap();
        let paths = write_all(Box::new(writer), &[]);
        let html = std::fs::read_to_string(&paths[0]).unwrap();
        assert!(html.contains("No documents."));
        assert!(html.ends_with("</body></html>\n"));
    }
}
