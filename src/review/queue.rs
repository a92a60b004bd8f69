//! The review of a run: its pairs with their decisions, filtered, ordered and paged for the app,
//! and the counts of the progress bar.
//!
//! A decision made on other text than the pair's (the run was redone and the pair changed) is
//! stale: the pair shows as pending, with the old decision beside it, until it is decided again.

use super::run_folder::{ReviewPair, RunFolder};
use super::store::{Decision, NewDecision, ReviewStore, Saved, Status};
use super::ReviewError;
use crate::model::{Flag, FlagKind, Scores};
use std::collections::{BTreeMap, HashSet};

/// Pairs per page when the query gives no limit.
pub const DEFAULT_LIMIT: usize = 50;
/// The largest page served.
pub const MAX_LIMIT: usize = 1000;

/// Which pairs a query wants by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Exactly this status (a stale decision counts as pending).
    Is(Status),
    /// Accepted or rejected.
    Reviewed,
    /// Pending with a stale decision beside it.
    Stale,
}

/// Which pairs a query wants by flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagFilter {
    /// Pairs with a flag of this kind.
    Kind(FlagKind),
    /// Pairs with any flag.
    Any,
    /// Pairs without flags.
    None,
}

/// The order of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Least confident first (pairs without a score before all), then document order.
    #[default]
    Score,
    /// Document order, as in `pairs.jsonl`.
    Doc,
}

/// A page of the queue, filtered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// Status wanted.
    pub status: Option<StatusFilter>,
    /// Flag wanted.
    pub flag: Option<FlagFilter>,
    /// Lowest score wanted (pairs without a score are left out when set).
    pub min_score: Option<f32>,
    /// Highest score wanted (pairs without a score are left out when set).
    pub max_score: Option<f32>,
    /// Only this document.
    pub doc: Option<String>,
    /// The order.
    pub order: Order,
    /// Pairs of the filtered queue to skip.
    pub offset: usize,
    /// Pairs to return at most.
    pub limit: usize,
    /// A pair (document id, index in the document) whose page to return instead of `offset`'s,
    /// when it is in the filtered queue.
    pub focus: Option<(String, usize)>,
}

impl Query {
    /// Reads a query from URL parameters (`status`, `flag`, `min_score`, `max_score`, `doc`,
    /// `order`, `offset`, `limit`); empty values count as absent.
    pub fn parse<'a>(
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Query, String> {
        let mut query = Query {
            limit: DEFAULT_LIMIT,
            ..Query::default()
        };
        for (name, value) in params {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let number = |what: &str| -> Result<f32, String> {
                value
                    .parse::<f32>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| format!("`{what}` must be a number, not `{value}`"))
            };
            let count = |what: &str| -> Result<usize, String> {
                value
                    .parse::<usize>()
                    .map_err(|_| format!("`{what}` must be a whole number, not `{value}`"))
            };
            match name {
                "status" => {
                    query.status = Some(match value {
                        "reviewed" => StatusFilter::Reviewed,
                        "stale" => StatusFilter::Stale,
                        other => StatusFilter::Is(other.parse().map_err(|_| {
                            format!(
                                "unknown status `{other}` \
                                 (known: pending, accepted, rejected, reviewed, stale)"
                            )
                        })?),
                    })
                }
                "flag" => {
                    query.flag = Some(match value {
                        "any" => FlagFilter::Any,
                        "none" => FlagFilter::None,
                        other => FlagFilter::Kind(
                            FlagKind::ALL
                                .into_iter()
                                .find(|k| k.as_str() == other)
                                .ok_or_else(|| {
                                    format!("unknown flag `{other}` (known: any, none, {})", {
                                        FlagKind::ALL.map(FlagKind::as_str).join(", ")
                                    })
                                })?,
                        ),
                    })
                }
                "min_score" => query.min_score = Some(number(name)?),
                "max_score" => query.max_score = Some(number(name)?),
                "doc" => query.doc = Some(value.to_string()),
                "order" => {
                    query.order = match value {
                        "score" => Order::Score,
                        "doc" => Order::Doc,
                        other => {
                            return Err(format!("unknown order `{other}` (known: score, doc)"))
                        }
                    }
                }
                "offset" => query.offset = count(name)?,
                "limit" => query.limit = count(name)?.clamp(1, MAX_LIMIT),
                "focus_doc" => {
                    let pair = query.focus.take().map_or(0, |(_, pair)| pair);
                    query.focus = Some((value.to_string(), pair));
                }
                "focus_pair" => {
                    let pair = count(name)?;
                    let doc = query.focus.take().map(|(doc, _)| doc).unwrap_or_default();
                    query.focus = Some((doc, pair));
                }
                "token" => {}
                other => return Err(format!("unknown parameter `{other}`")),
            }
        }
        Ok(query)
    }
}

/// One pair as the API shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PairView {
    /// The pair's position in `pairs.jsonl` (0-based): its id in the API.
    pub id: usize,
    /// Document id.
    pub doc_id: String,
    /// Index of the pair in its document.
    pub pair: usize,
    /// Source sentence indices.
    pub src_indices: Vec<usize>,
    /// Target sentence indices.
    pub tgt_indices: Vec<usize>,
    /// Source text.
    pub src: String,
    /// Target text of the run (machine or human translation).
    pub tgt: String,
    /// Main score.
    pub score: Option<f32>,
    /// Every score by name.
    pub scores: Scores,
    /// Quality flags.
    pub flags: Vec<Flag>,
    /// The decision's status (`pending` when undecided or stale).
    pub status: Status,
    /// The reviewer's target text, when edited.
    pub edited: Option<String>,
    /// The reviewer's comment.
    pub comment: Option<String>,
    /// Who decided.
    pub reviewer: Option<String>,
    /// When (UTC).
    pub decided_at: Option<String>,
    /// The version to send with the next change (0: never decided).
    pub version: i64,
    /// A decision made on other text of this pair, not applied.
    pub stale: Option<StaleView>,
}

/// A decision made on other text of the pair.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StaleView {
    /// Its status.
    pub status: Status,
    /// Its edited text.
    pub edited: Option<String>,
    /// Its comment.
    pub comment: Option<String>,
    /// Who decided.
    pub reviewer: String,
    /// When.
    pub decided_at: String,
}

/// A page of pairs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Page {
    /// Pairs that match the filters.
    pub total: usize,
    /// Pairs skipped.
    pub offset: usize,
    /// The page size asked for.
    pub limit: usize,
    /// The pairs of the page.
    pub pairs: Vec<PairView>,
}

/// The counts of the review.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct ReviewSummary {
    /// Source language.
    pub src_lang: String,
    /// Target language.
    pub tgt_lang: String,
    /// Pairs in the run.
    pub total: usize,
    /// Documents in the run.
    pub documents: usize,
    /// Pairs accepted or rejected.
    pub reviewed: usize,
    /// Pairs accepted.
    pub accepted: usize,
    /// Pairs rejected.
    pub rejected: usize,
    /// Pairs not decided (stale ones included).
    pub pending: usize,
    /// Pairs whose decision was made on other text.
    pub stale: usize,
    /// Pairs with an edited target.
    pub edited: usize,
    /// Pairs per flag kind.
    pub flags: BTreeMap<String, usize>,
}

impl ReviewSummary {
    /// The counts as aligned lines of text.
    pub fn to_text(&self) -> String {
        let percent = |n: usize| {
            if self.total == 0 {
                0.0
            } else {
                100.0 * n as f64 / self.total as f64
            }
        };
        let mut out = format!(
            "pairs     {}\ndocuments {}\nreviewed  {} ({:.1}%)\naccepted  {}\nrejected  {}\n\
             pending   {}\nstale     {}\nedited    {}\n",
            self.total,
            self.documents,
            self.reviewed,
            percent(self.reviewed),
            self.accepted,
            self.rejected,
            self.pending,
            self.stale,
            self.edited
        );
        for (kind, count) in &self.flags {
            out.push_str(&format!("flag {kind}: {count}\n"));
        }
        out
    }
}

/// A run under review: its pairs, their decisions and the database they are saved to.
pub struct Review {
    run: RunFolder,
    decisions: Vec<Option<Decision>>,
    by_score: Vec<usize>,
    store: Option<ReviewStore>,
    /// The counts that no decision changes: documents and flags.
    fixed: ReviewSummary,
}

impl Review {
    /// The review of `run` with the decisions of `store` (none without a store).
    pub fn new(run: RunFolder, store: Option<ReviewStore>) -> Result<Review, ReviewError> {
        let mut stored = match &store {
            Some(store) => store.decisions()?,
            None => Default::default(),
        };
        let decisions = run.pairs.iter().map(|p| stored.remove(&p.key)).collect();
        let mut by_score: Vec<usize> = (0..run.pairs.len()).collect();
        let score = |i: usize| run.pairs[i].score();
        by_score.sort_by(|&a, &b| match (score(a), score(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y).then(a.cmp(&b)),
            (x, y) => x.is_some().cmp(&y.is_some()).then(a.cmp(&b)),
        });
        let fixed = fixed_counts(&run);
        Ok(Review {
            run,
            decisions,
            by_score,
            store,
            fixed,
        })
    }

    /// Opens the run folder `dir` and its database (created when missing).
    pub fn open(dir: &std::path::Path) -> Result<Review, ReviewError> {
        let run = RunFolder::open(dir)?;
        let store = ReviewStore::open(&run.database_path())?;
        Review::new(run, Some(store))
    }

    /// Opens the run folder `dir` and reads its database without creating one.
    pub fn open_existing(dir: &std::path::Path) -> Result<Review, ReviewError> {
        let run = RunFolder::open(dir)?;
        let path = run.database_path();
        let store = if path.exists() {
            Some(ReviewStore::open(&path)?)
        } else {
            None
        };
        Review::new(run, store)
    }

    /// The run folder.
    pub fn run(&self) -> &RunFolder {
        &self.run
    }

    /// The decision that applies to pair `id`: `None` when undecided or stale.
    pub fn applied(&self, id: usize) -> Option<&Decision> {
        let pair = self.run.pairs.get(id)?;
        self.decisions[id]
            .as_ref()
            .filter(|d| d.text_hash == pair.text_hash)
    }

    fn stale(&self, id: usize) -> Option<&Decision> {
        let pair = &self.run.pairs[id];
        self.decisions[id]
            .as_ref()
            .filter(|d| d.text_hash != pair.text_hash)
    }

    /// The status of pair `id` (pending when undecided or stale).
    pub fn status(&self, id: usize) -> Status {
        self.applied(id).map_or(Status::Pending, |d| d.status)
    }

    /// The counts.
    pub fn summary(&self) -> ReviewSummary {
        let mut summary = self.fixed.clone();
        for id in 0..self.run.pairs.len() {
            match self.status(id) {
                Status::Pending => summary.pending += 1,
                Status::Accepted => summary.accepted += 1,
                Status::Rejected => summary.rejected += 1,
            }
            summary.stale += usize::from(self.stale(id).is_some());
            let edited = self.applied(id).is_some_and(|d| d.edited.is_some());
            summary.edited += usize::from(edited);
        }
        summary.reviewed = summary.accepted + summary.rejected;
        summary
    }

    fn matches(&self, query: &Query, id: usize) -> bool {
        let pair = &self.run.pairs[id];
        if query.doc.as_deref().is_some_and(|d| d != pair.key.doc_id) {
            return false;
        }
        let ok_status = match query.status {
            None => true,
            Some(StatusFilter::Is(status)) => self.status(id) == status,
            Some(StatusFilter::Reviewed) => self.status(id) != Status::Pending,
            Some(StatusFilter::Stale) => self.stale(id).is_some(),
        };
        let flags = pair.flags();
        let ok_flag = match query.flag {
            None => true,
            Some(FlagFilter::Any) => !flags.is_empty(),
            Some(FlagFilter::None) => flags.is_empty(),
            Some(FlagFilter::Kind(kind)) => flags.iter().any(|f| f.kind == kind),
        };
        let score = pair.score();
        let ok_score = match (query.min_score, query.max_score, score) {
            (None, None, _) => true,
            (_, _, None) => false,
            (min, max, Some(s)) => min.is_none_or(|m| s >= m) && max.is_none_or(|m| s <= m),
        };
        ok_status && ok_flag && ok_score
    }

    /// The page of the queue that `query` asks for.
    pub fn page(&self, query: &Query) -> Page {
        let ids: Box<dyn Iterator<Item = usize>> = match query.order {
            Order::Score => Box::new(self.by_score.iter().copied()),
            Order::Doc => Box::new(0..self.run.pairs.len()),
        };
        let matching: Vec<usize> = ids.filter(|&id| self.matches(query, id)).collect();
        let focused = query.focus.as_ref().and_then(|(doc, pair)| {
            matching.iter().position(|&id| {
                let record = &self.run.pairs[id].record;
                record.doc_id == *doc && record.pair == *pair
            })
        });
        let offset = focused.map_or(query.offset, |at| at - at % query.limit.max(1));
        let pairs = matching
            .iter()
            .skip(offset)
            .take(query.limit)
            .map(|&id| self.view(id))
            .collect();
        Page {
            total: matching.len(),
            offset,
            limit: query.limit,
            pairs,
        }
    }

    /// Pair `id` as the API shows it.
    pub fn view(&self, id: usize) -> PairView {
        let pair: &ReviewPair = &self.run.pairs[id];
        let record = &pair.record;
        let applied = self.applied(id);
        PairView {
            id,
            doc_id: record.doc_id.clone(),
            pair: record.pair,
            src_indices: record.src_indices.clone(),
            tgt_indices: record.tgt_indices.clone(),
            src: record.src.clone(),
            tgt: record.tgt.clone(),
            score: pair.score(),
            scores: record.scores,
            flags: record.flags.clone(),
            status: self.status(id),
            edited: applied.and_then(|d| d.edited.clone()),
            comment: applied.and_then(|d| d.comment.clone()),
            reviewer: applied.map(|d| d.reviewer.clone()),
            decided_at: applied.map(|d| d.decided_at.clone()),
            version: self.decisions[id].as_ref().map_or(0, |d| d.version),
            stale: self.stale(id).map(|d| StaleView {
                status: d.status,
                edited: d.edited.clone(),
                comment: d.comment.clone(),
                reviewer: d.reviewer.clone(),
                decided_at: d.decided_at.clone(),
            }),
        }
    }

    /// The number of pairs.
    pub fn len(&self) -> usize {
        self.run.pairs.len()
    }

    /// Whether the run has no pairs.
    pub fn is_empty(&self) -> bool {
        self.run.pairs.is_empty()
    }

    /// Applies a change to pair `id` if its version is still `version`: fields left `None`
    /// keep their current value, `Some(None)` clears them; an edit equal to the run's target
    /// is no edit. Returns the pair after the change, or `Err` with the pair as it is when the
    /// version is stale. The change is on disk when this returns `Ok`.
    pub fn decide(
        &mut self,
        id: usize,
        change: Change,
        reviewer: &str,
    ) -> Result<Outcome, ReviewError> {
        let Some(pair) = self.run.pairs.get(id) else {
            return Ok(Outcome::NotFound);
        };
        let current = self.applied(id);
        let keep = |field: Option<Option<String>>, old: Option<&String>| match field {
            Some(value) => value,
            None => old.cloned(),
        };
        let edited = keep(change.tgt, current.and_then(|d| d.edited.as_ref()))
            .filter(|t| *t != pair.record.tgt);
        let comment = keep(change.comment, current.and_then(|d| d.comment.as_ref()))
            .filter(|c| !c.trim().is_empty());
        let new = NewDecision {
            text_hash: pair.text_hash.clone(),
            status: change.status,
            edited,
            comment,
            reviewer: reviewer.to_string(),
        };
        let key = pair.key.clone();
        let Some(store) = self.store.as_mut() else {
            return Err(ReviewError::Database {
                path: self.run.database_path(),
                message: "opened read-only".into(),
            });
        };
        match store.save(&key, &new, change.version)? {
            Saved::Done(decision) => {
                self.decisions[id] = Some(decision);
                Ok(Outcome::Saved(Box::new(self.view(id))))
            }
            Saved::Conflict(current) => {
                self.decisions[id] = current;
                Ok(Outcome::Conflict(Box::new(self.view(id))))
            }
        }
    }
}

/// The counts of `run` that no decision changes: languages, pairs, documents, flags.
fn fixed_counts(run: &RunFolder) -> ReviewSummary {
    let mut summary = ReviewSummary {
        src_lang: run.src_lang.clone(),
        tgt_lang: run.tgt_lang.clone(),
        total: run.pairs.len(),
        ..ReviewSummary::default()
    };
    let mut documents = HashSet::new();
    for pair in &run.pairs {
        documents.insert(pair.key.doc_id.as_str());
        let mut kinds: Vec<FlagKind> = pair.flags().iter().map(|f| f.kind).collect();
        kinds.dedup();
        for kind in kinds {
            *summary.flags.entry(kind.as_str().to_string()).or_default() += 1;
        }
    }
    summary.documents = documents.len();
    summary
}

/// A change a reviewer makes to a pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The new status.
    pub status: Status,
    /// The edited target (`Some(None)`: back to the run's target; `None`: unchanged).
    pub tgt: Option<Option<String>>,
    /// The comment (`Some(None)`: none; `None`: unchanged).
    pub comment: Option<Option<String>>,
    /// The version the reviewer saw.
    pub version: i64,
}

/// The outcome of [`Review::decide`].
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Saved: the pair now.
    Saved(Box<PairView>),
    /// The version was stale: the pair as it is.
    Conflict(Box<PairView>),
    /// No pair has this id.
    NotFound,
}

#[cfg(test)]
mod tests {
    use super::super::run_folder::tests::{record, write_run};
    use super::*;

    fn sample(dir: &std::path::Path) -> Review {
        let mut flagged = record("b", 0, "Rp 1.500", "Rp 15", 0.2);
        flagged.flags = vec![Flag::new(FlagKind::NumberMismatch, "1.500")];
        let mut unscored = record("b", 1, "Tanpa skor.", "No score.", 0.0);
        unscored.score = None;
        write_run(
            dir,
            &[
                record("a", 0, "Halo.", "Hello.", 0.9),
                record("a", 1, "Dua.", "Two.", 0.5),
                flagged,
                unscored,
            ],
        );
        Review::open(dir).unwrap()
    }

    fn change(status: Status, tgt: Option<&str>, version: i64) -> Change {
        Change {
            status,
            tgt: tgt.map(|t| Some(t.to_string())),
            comment: None,
            version,
        }
    }

    fn ids(page: &Page) -> Vec<usize> {
        page.pairs.iter().map(|p| p.id).collect()
    }

    #[test]
    fn orders_filters_and_pages() {
        let dir = tempfile::tempdir().unwrap();
        let review = sample(dir.path());
        let all = |q: &[(&str, &str)]| review.page(&Query::parse(q.iter().copied()).unwrap());
        assert_eq!(ids(&all(&[])), [3, 2, 1, 0]);
        assert_eq!(ids(&all(&[("order", "doc")])), [0, 1, 2, 3]);
        assert_eq!(ids(&all(&[("flag", "number_mismatch")])), [2]);
        assert_eq!(ids(&all(&[("flag", "none"), ("order", "doc")])), [0, 1, 3]);
        assert_eq!(
            ids(&all(&[("min_score", "0.3"), ("max_score", "0.9")])),
            [1, 0]
        );
        assert_eq!(ids(&all(&[("doc", "b")])), [3, 2]);
        let page = all(&[("order", "doc"), ("offset", "1"), ("limit", "2")]);
        assert_eq!((ids(&page), page.total), (vec![1, 2], 4));
        let page = all(&[("limit", "2"), ("focus_doc", "a"), ("focus_pair", "0")]);
        assert_eq!((ids(&page), page.offset), (vec![1, 0], 2));
        for bad in [
            ("status", "done"),
            ("flag", "typo"),
            ("min_score", "x"),
            ("size", "3"),
        ] {
            let err = Query::parse([bad]).unwrap_err();
            assert!(
                err.contains(&format!("`{}`", bad.1)) || err.contains(bad.0),
                "{err}"
            );
        }
    }

    #[test]
    fn decisions_count_edit_and_conflict() {
        let dir = tempfile::tempdir().unwrap();
        let mut review = sample(dir.path());
        let Outcome::Saved(view) = review
            .decide(0, change(Status::Accepted, Some("Hi."), 0), "ana")
            .unwrap()
        else {
            panic!("not saved");
        };
        assert_eq!((view.version, view.edited.as_deref()), (1, Some("Hi.")));
        let stale = review
            .decide(0, change(Status::Rejected, None, 0), "budi")
            .unwrap();
        assert!(
            matches!(&stale, Outcome::Conflict(v) if v.version == 1 && v.status == Status::Accepted)
        );
        let Outcome::Saved(view) = review
            .decide(0, change(Status::Accepted, None, 1), "ana")
            .unwrap()
        else {
            panic!("not saved");
        };
        assert_eq!(
            view.edited.as_deref(),
            Some("Hi."),
            "an omitted tgt keeps the edit"
        );
        let Outcome::Saved(view) = review
            .decide(0, change(Status::Accepted, Some("Hello."), 2), "ana")
            .unwrap()
        else {
            panic!("not saved");
        };
        assert_eq!(view.edited, None, "the run's own text is no edit");
        review
            .decide(2, change(Status::Rejected, None, 0), "ana")
            .unwrap();
        assert_eq!(
            review
                .decide(9, change(Status::Rejected, None, 0), "a")
                .unwrap(),
            Outcome::NotFound
        );
        let summary = review.summary();
        assert_eq!(
            (
                summary.total,
                summary.documents,
                summary.accepted,
                summary.rejected,
                summary.pending
            ),
            (4, 2, 1, 1, 2)
        );
        assert_eq!(summary.flags["number_mismatch"], 1);
        let page = review.page(&Query::parse([("status", "reviewed")]).unwrap());
        assert_eq!(ids(&page), [2, 0]);
    }

    #[test]
    fn a_decision_on_changed_text_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        let mut review = sample(dir.path());
        review
            .decide(1, change(Status::Accepted, None, 0), "ana")
            .unwrap();
        drop(review);
        let mut records: Vec<_> = RunFolder::open(dir.path())
            .unwrap()
            .pairs
            .into_iter()
            .map(|p| p.record)
            .collect();
        records[1].tgt = "Second.".into();
        write_run(dir.path(), &records);
        let mut review = Review::open(dir.path()).unwrap();
        let view = review.view(1);
        assert_eq!((view.status, view.version), (Status::Pending, 1));
        assert_eq!(view.stale.as_ref().unwrap().status, Status::Accepted);
        assert_eq!(review.summary().stale, 1);
        let page = review.page(&Query::parse([("status", "stale")]).unwrap());
        assert_eq!(ids(&page), [1]);
        let Outcome::Saved(view) = review
            .decide(1, change(Status::Rejected, None, 1), "ana")
            .unwrap()
        else {
            panic!("not saved");
        };
        assert_eq!(
            (view.status, view.version, view.stale),
            (Status::Rejected, 2, None)
        );
    }
}
