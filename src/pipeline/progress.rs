//! Progress of a run: bars on a terminal, periodic plain lines otherwise, nothing with `--quiet`.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    /// indicatif bars (stderr is a terminal).
    Bars,
    /// A plain line on stderr every few seconds.
    Lines,
    /// Nothing.
    Quiet,
}

impl ProgressMode {
    /// Bars on a terminal, lines otherwise; `Quiet` when asked.
    pub fn detect(quiet: bool) -> Self {
        if quiet {
            ProgressMode::Quiet
        } else if std::io::stderr().is_terminal() {
            ProgressMode::Bars
        } else {
            ProgressMode::Lines
        }
    }
}

struct Bars {
    _multi: MultiProgress,
    read: ProgressBar,
    translated: ProgressBar,
    written: ProgressBar,
}

/// Shared counters of a run, updated by every stage.
pub struct Progress {
    mode: ProgressMode,
    bars: Option<Bars>,
    docs_total: AtomicU64,
    docs_read: AtomicU64,
    sentences_total: AtomicU64,
    sentences_translated: AtomicU64,
    docs_written: AtomicU64,
    start: Instant,
    last_line: Mutex<Instant>,
}

const LINE_INTERVAL: Duration = Duration::from_secs(5);

impl Progress {
    /// Start showing progress for a run of `docs_total` documents.
    pub fn new(mode: ProgressMode, docs_total: u64) -> Self {
        let bars = (mode == ProgressMode::Bars).then(|| {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(5));
            let [read, translated, written] = [
                ("read+split ", "documents", docs_total),
                ("translate  ", "sentences", 0),
                ("align+write", "documents", docs_total),
            ]
            .map(|(stage, unit, len)| {
                let template =
                    format!("{stage} [{{bar:30}}] {{pos}}/{{len}} {unit} {{per_sec}} ETA {{eta}}");
                let style = ProgressStyle::with_template(&template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
                multi.add(ProgressBar::new(len).with_style(style.progress_chars("=> ")))
            });
            Bars {
                _multi: multi,
                read,
                translated,
                written,
            }
        });
        Progress {
            mode,
            bars,
            docs_total: AtomicU64::new(docs_total),
            docs_read: AtomicU64::new(0),
            sentences_total: AtomicU64::new(0),
            sentences_translated: AtomicU64::new(0),
            docs_written: AtomicU64::new(0),
            start: Instant::now(),
            last_line: Mutex::new(Instant::now()),
        }
    }

    /// A document was read and split into `sentences` sentences.
    pub fn document_read(&self, sentences: u64) {
        self.docs_read.fetch_add(1, Ordering::Relaxed);
        let total = self.sentences_total.fetch_add(sentences, Ordering::Relaxed) + sentences;
        if let Some(b) = &self.bars {
            b.read.inc(1);
            b.translated.set_length(total);
        }
        self.maybe_line();
    }

    /// `n` sentences got their translation (from the backend or the cache).
    pub fn sentences_translated(&self, n: u64) {
        self.sentences_translated.fetch_add(n, Ordering::Relaxed);
        if let Some(b) = &self.bars {
            b.translated.inc(n);
        }
        self.maybe_line();
    }

    /// A document was aligned and stored (or failed and was given up).
    pub fn document_done(&self) {
        self.docs_written.fetch_add(1, Ordering::Relaxed);
        if let Some(b) = &self.bars {
            b.written.inc(1);
        }
        self.maybe_line();
    }

    /// Print a message above the bars (or as a line).
    pub fn message(&self, text: &str) {
        match (&self.bars, self.mode) {
            (_, ProgressMode::Quiet) => {}
            (Some(b), _) => b.written.println(text),
            (None, _) => eprintln!("{text}"),
        }
    }

    fn maybe_line(&self) {
        if self.mode != ProgressMode::Lines {
            return;
        }
        let Ok(mut last) = self.last_line.lock() else {
            return;
        };
        if last.elapsed() < LINE_INTERVAL {
            return;
        }
        *last = Instant::now();
        eprintln!("{}", self.status_line());
    }

    /// One line with every counter and the translation rate.
    pub fn status_line(&self) -> String {
        let secs = self.start.elapsed().as_secs_f64().max(1e-9);
        let translated = self.sentences_translated.load(Ordering::Relaxed);
        format!(
            "selaras: read {}/{} documents; translated {}/{} sentences ({:.1}/s); written {}/{} documents; {:.0} s",
            self.docs_read.load(Ordering::Relaxed),
            self.docs_total.load(Ordering::Relaxed),
            translated,
            self.sentences_total.load(Ordering::Relaxed),
            translated as f64 / secs,
            self.docs_written.load(Ordering::Relaxed),
            self.docs_total.load(Ordering::Relaxed),
            secs
        )
    }

    /// Stop the bars.
    pub fn finish(&self) {
        if let Some(b) = &self.bars {
            b.read.finish();
            b.translated.finish();
            b.written.finish();
        }
    }
}
