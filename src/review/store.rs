//! `review.sqlite`: the reviewers' decisions, one versioned row per pair, and every change in a
//! history table.
//!
//! The database runs in WAL mode with `synchronous=FULL`, and every decision is committed before
//! it is acknowledged: a decision the app was told about survives the process being killed. A
//! file that is not a SQLite database, is damaged, or belongs to another program is an error
//! naming the file; the database is recognised by its `application_id`.

use super::run_folder::PairKey;
use super::ReviewError;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// `PRAGMA application_id` of a review database (`SLRV`).
const APPLICATION_ID: i32 = 0x534C_5256;
/// The schema version (`PRAGMA user_version`) this code writes.
const SCHEMA_VERSION: i32 = 1;

const SCHEMA: &str = "
CREATE TABLE decisions (
    doc_id TEXT NOT NULL,
    src_indices TEXT NOT NULL,
    tgt_indices TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    edited TEXT,
    comment TEXT,
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (doc_id, src_indices, tgt_indices)
);
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    src_indices TEXT NOT NULL,
    tgt_indices TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    edited TEXT,
    comment TEXT,
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    version INTEGER NOT NULL
);
";

/// The columns of a decision, in the order [`decision`] reads them.
const DECISION_COLUMNS: &str = "text_hash, status, edited, comment, reviewer, decided_at, version";
/// The columns of a pair's key.
const KEY_COLUMNS: &str = "doc_id, src_indices, tgt_indices";
/// Selects the row of one pair by its key (`?1`, `?2`, `?3`).
const WHERE_KEY: &str = "WHERE doc_id = ?1 AND src_indices = ?2 AND tgt_indices = ?3";

/// A reviewer's verdict on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not decided (or the decision was undone).
    Pending,
    /// Good as it is, or as edited.
    Accepted,
    /// Not a good pair.
    Rejected,
}

impl Status {
    /// The name stored and shown (`accepted`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
        }
    }
}

impl std::str::FromStr for Status {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        match name.trim() {
            "pending" => Ok(Status::Pending),
            "accepted" => Ok(Status::Accepted),
            "rejected" => Ok(Status::Rejected),
            other => Err(format!(
                "unknown status `{other}` (known: pending, accepted, rejected)"
            )),
        }
    }
}

/// The stored decision on one pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Hash of the pair text the decision was made on.
    pub text_hash: String,
    /// The verdict.
    pub status: Status,
    /// The reviewer's target text, when it differs from the machine's.
    pub edited: Option<String>,
    /// The reviewer's comment.
    pub comment: Option<String>,
    /// Who decided.
    pub reviewer: String,
    /// When, UTC (`2026-11-30T05:14:46.123Z`).
    pub decided_at: String,
    /// Starts at 1 and grows by one with every change.
    pub version: i64,
}

/// What a reviewer sets on a pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    /// Hash of the pair text the reviewer saw.
    pub text_hash: String,
    /// The verdict.
    pub status: Status,
    /// The edited target text, if any.
    pub edited: Option<String>,
    /// The comment, if any.
    pub comment: Option<String>,
    /// Who decides.
    pub reviewer: String,
}

/// The outcome of [`ReviewStore::save`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Committed to disk: the new row.
    Done(Decision),
    /// The pair's version is no longer the one expected: the current row, if any.
    Conflict(Option<Decision>),
}

/// An open review database.
pub struct ReviewStore {
    conn: Connection,
    path: PathBuf,
}

impl ReviewStore {
    /// Opens `path`, creating the database when the file is missing or empty.
    pub fn open(path: &Path) -> Result<ReviewStore, ReviewError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| error(path, e))?;
        let store = ReviewStore {
            conn,
            path: path.to_path_buf(),
        };
        store.prepare()?;
        Ok(store)
    }

    /// Checks the file is a healthy review database (or a new one) and sets it up.
    fn prepare(&self) -> Result<(), ReviewError> {
        let conn = &self.conn;
        let sql = |e| error(&self.path, e);
        let foreign = |message: String| Err(self.error_message(message));
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(sql)?;
        let pragma =
            |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i32>(0));
        let id = pragma("application_id").map_err(sql)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(sql)?;
        if id == 0 && tables > 0 {
            return foreign("not a selaras review database (it holds other tables)".into());
        }
        if id != 0 && id != APPLICATION_ID {
            return foreign(format!(
                "not a selaras review database (application_id {id:#x})"
            ));
        }
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(sql)?;
        if check != "ok" {
            return foreign(format!("damaged: {check}"));
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        if id == 0 {
            conn.execute_batch(&format!(
                "BEGIN; {SCHEMA} PRAGMA application_id = {APPLICATION_ID}; \
                 PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))
            .map_err(sql)?;
        }
        let version = pragma("user_version").map_err(sql)?;
        if version != SCHEMA_VERSION {
            return foreign(format!(
                "schema version {version}, this selaras reads version {SCHEMA_VERSION}"
            ));
        }
        Ok(())
    }

    fn error_message(&self, message: String) -> ReviewError {
        ReviewError::Database {
            path: self.path.clone(),
            message,
        }
    }

    /// Every stored decision by pair.
    pub fn decisions(&self) -> Result<HashMap<PairKey, Decision>, ReviewError> {
        let read = || -> rusqlite::Result<HashMap<PairKey, Decision>> {
            let mut statement = self.conn.prepare(&format!(
                "SELECT {KEY_COLUMNS}, {DECISION_COLUMNS} FROM decisions"
            ))?;
            let rows = statement.query_map([], |row| {
                let key = PairKey {
                    doc_id: row.get(0)?,
                    src_indices: row.get(1)?,
                    tgt_indices: row.get(2)?,
                };
                Ok((key, decision(row, 3)?))
            })?;
            rows.collect()
        };
        read().map_err(|e| error(&self.path, e))
    }

    /// Stores `new` as the decision on `key` if the pair's current version is `expected` (0:
    /// never decided), in one durable transaction.
    pub fn save(
        &mut self,
        key: &PairKey,
        new: &NewDecision,
        expected: i64,
    ) -> Result<Saved, ReviewError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| error(&path, e))?;
        let saved = save_in(&tx, key, new, expected).map_err(|e| error(&path, e))?;
        if matches!(saved, Saved::Done(_)) {
            tx.commit().map_err(|e| error(&path, e))?;
        }
        Ok(saved)
    }
}

fn save_in(
    tx: &rusqlite::Transaction,
    key: &PairKey,
    new: &NewDecision,
    expected: i64,
) -> rusqlite::Result<Saved> {
    let keys = params![key.doc_id, key.src_indices, key.tgt_indices];
    let current = tx
        .query_row(
            &format!("SELECT {DECISION_COLUMNS} FROM decisions {WHERE_KEY}"),
            keys,
            |row| decision(row, 0),
        )
        .optional()?;
    let version = current.as_ref().map_or(0, |d| d.version);
    if version != expected {
        return Ok(Saved::Conflict(current));
    }
    let row = tx.query_row(
        &format!(
            "INSERT INTO decisions ({KEY_COLUMNS}, {DECISION_COLUMNS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?9) \
             ON CONFLICT ({KEY_COLUMNS}) DO UPDATE SET \
             text_hash = excluded.text_hash, status = excluded.status, edited = excluded.edited, \
             comment = excluded.comment, reviewer = excluded.reviewer, \
             decided_at = excluded.decided_at, version = excluded.version \
             RETURNING {DECISION_COLUMNS}"
        ),
        params![
            key.doc_id,
            key.src_indices,
            key.tgt_indices,
            new.text_hash,
            new.status.as_str(),
            new.edited,
            new.comment,
            new.reviewer,
            version + 1
        ],
        |row| decision(row, 0),
    )?;
    // The history keeps every version: a copy of the row just written.
    tx.execute(
        &format!(
            "INSERT INTO history ({KEY_COLUMNS}, {DECISION_COLUMNS}) \
             SELECT {KEY_COLUMNS}, {DECISION_COLUMNS} FROM decisions {WHERE_KEY}"
        ),
        keys,
    )?;
    Ok(Saved::Done(row))
}

/// The decision in the columns from `first` on: text_hash, status, edited, comment, reviewer,
/// decided_at, version.
fn decision(row: &rusqlite::Row, first: usize) -> rusqlite::Result<Decision> {
    let status: String = row.get(first + 1)?;
    let status = status.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(first + 1, rusqlite::types::Type::Text, e.into())
    })?;
    Ok(Decision {
        text_hash: row.get(first)?,
        status,
        edited: row.get(first + 2)?,
        comment: row.get(first + 3)?,
        reviewer: row.get(first + 4)?,
        decided_at: row.get(first + 5)?,
        version: row.get(first + 6)?,
    })
}

fn error(path: &Path, e: rusqlite::Error) -> ReviewError {
    let message = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            "not a SQLite database (damaged, or another kind of file)".to_string()
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => format!("damaged: {e}"),
        _ => e.to_string(),
    };
    ReviewError::Database {
        path: path.to_path_buf(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(status: Status, edited: Option<&str>) -> NewDecision {
        NewDecision {
            text_hash: "h1".into(),
            status,
            edited: edited.map(str::to_string),
            comment: Some("ok".into()),
            reviewer: "ana".into(),
        }
    }

    #[test]
    fn saves_versions_and_refuses_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.sqlite");
        let key = PairKey::new("a", &[0], &[0]);
        let mut store = ReviewStore::open(&path).unwrap();
        let Saved::Done(first) = store.save(&key, &new(Status::Accepted, None), 0).unwrap() else {
            panic!("first save refused");
        };
        assert_eq!((first.version, first.status), (1, Status::Accepted));
        assert!(first.decided_at.ends_with('Z'), "{}", first.decided_at);
        let stale = store.save(&key, &new(Status::Rejected, None), 0).unwrap();
        assert_eq!(stale, Saved::Conflict(Some(first.clone())));
        let Saved::Done(second) = store
            .save(&key, &new(Status::Accepted, Some("Hi.")), 1)
            .unwrap()
        else {
            panic!("second save refused");
        };
        assert_eq!((second.version, second.edited.as_deref()), (2, Some("Hi.")));
        drop(store);

        let store = ReviewStore::open(&path).unwrap();
        let all = store.decisions().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[&key], second);
        let history: i64 = store
            .conn
            .query_row("SELECT count(*) FROM history", [], |r| r.get(0))
            .unwrap();
        assert_eq!(history, 2);
    }

    #[test]
    fn damaged_and_foreign_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.sqlite");
        std::fs::write(&path, "this is not a database, just text ".repeat(200)).unwrap();
        let err = ReviewStore::open(&path).err().unwrap().to_string();
        assert!(
            err.contains("review.sqlite") && err.contains("not a SQLite database"),
            "{err}"
        );

        std::fs::remove_file(&path).unwrap();
        let other = Connection::open(&path).unwrap();
        other
            .execute_batch("CREATE TABLE songs (title TEXT);")
            .unwrap();
        drop(other);
        let err = ReviewStore::open(&path).err().unwrap().to_string();
        assert!(err.contains("not a selaras review database"), "{err}");

        std::fs::remove_file(&path).unwrap();
        let other = Connection::open(&path).unwrap();
        other.execute_batch("PRAGMA application_id = 7;").unwrap();
        drop(other);
        let err = ReviewStore::open(&path).err().unwrap().to_string();
        assert!(err.contains("application_id 0x7"), "{err}");
    }

    #[test]
    fn status_names_round_trip() {
        for status in [Status::Pending, Status::Accepted, Status::Rejected] {
            assert_eq!(status.as_str().parse::<Status>(), Ok(status));
        }
        assert!("done".parse::<Status>().unwrap_err().contains("`done`"));
    }
}
