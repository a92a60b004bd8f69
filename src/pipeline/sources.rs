//! Input discovery: folders of `.txt` articles and `.jsonl` files of `{"id", "text"}` lines.
//!
//! Every document gets an id that is safe to use inside the output folder: relative path
//! components (or the `id` field) reduced to `[A-Za-z0-9._-]`, never `..`, never absolute.

use crate::text::input::decode_text;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Where a document's text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A whole `.txt` file.
    File(PathBuf),
    /// One line of a `.jsonl` file: 1-based line number and byte offset of the line's start.
    JsonlLine(PathBuf, usize, u64),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::File(p) => write!(f, "{}", p.display()),
            Origin::JsonlLine(p, n, _) => write!(f, "{}:{n}", p.display()),
        }
    }
}

/// A document found in the input; its text is read only when the document is processed.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    /// Sanitized, unique document id.
    pub id: String,
    /// Relative path of a `.txt` document inside its input folder (for `--tgt-dir`).
    pub relative: Option<PathBuf>,
    /// Where the text comes from.
    pub origin: Origin,
}

impl SourceDoc {
    /// Read the document's text: a whole `.txt` file (UTF-8 checked) or the `text` field of
    /// its `.jsonl` line, read again at the offset found by [`discover`].
    pub fn read(&self) -> Result<String, String> {
        match &self.origin {
            Origin::File(path) => {
                let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
                decode_text(bytes, &path.display().to_string(), false).map_err(|e| e.to_string())
            }
            Origin::JsonlLine(path, _, offset) => {
                let mut file = File::open(path).map_err(|e| format!("cannot read: {e}"))?;
                file.seek(SeekFrom::Start(*offset))
                    .map_err(|e| format!("cannot read: {e}"))?;
                let mut line = Vec::new();
                BufReader::new(file)
                    .read_until(b'\n', &mut line)
                    .map_err(|e| format!("cannot read: {e}"))?;
                parse_line(&line)
                    .map(|l| l.text)
                    .map_err(|e| format!("{e} (changed since the run started?)"))
            }
        }
    }
}

/// An input problem that concerns one place (a file, a line), not the whole run.
#[derive(Debug, Clone)]
pub struct SourceProblem {
    /// The file and place.
    pub origin: String,
    /// What is wrong.
    pub reason: String,
}

/// Reduce an id to characters that are safe in file names; never empty, `.` or `..`.
pub fn sanitize_id(raw: &str) -> String {
    let parts: Vec<String> = raw
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .map(|part| {
            let clean: String = part
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let trimmed = clean.trim_start_matches('.');
            if trimmed.is_empty() {
                "_".to_string()
            } else {
                trimmed.to_string()
            }
        })
        .collect();
    if parts.is_empty() {
        "_".to_string()
    } else {
        parts.join("/")
    }
}

/// Find every document under the given inputs (folders, `.txt` or `.jsonl` files).
///
/// Returns documents sorted by id and the problems met (unreadable files, bad JSON lines,
/// duplicate ids). A missing input path is an error for the whole run.
pub fn discover(inputs: &[PathBuf]) -> Result<(Vec<SourceDoc>, Vec<SourceProblem>), String> {
    let mut docs: BTreeMap<String, SourceDoc> = BTreeMap::new();
    let mut problems = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| format!("{}: {e}", input.display()))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(input, &mut files, &mut problems);
            files.sort();
            for file in files {
                let rel = file.strip_prefix(input).unwrap_or(&file).to_path_buf();
                add_file(&file, Some(rel), &mut docs, &mut problems);
            }
        } else {
            add_file(input, None, &mut docs, &mut problems);
        }
    }
    Ok((docs.into_values().collect(), problems))
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<SourceProblem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(SourceProblem {
                origin: dir.display().to_string(),
                reason: e.to_string(),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, files, problems);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("txt" | "jsonl")
        ) {
            files.push(path);
        }
    }
}

fn add_file(
    path: &Path,
    relative: Option<PathBuf>,
    docs: &mut BTreeMap<String, SourceDoc>,
    problems: &mut Vec<SourceProblem>,
) {
    let is_jsonl = path.extension().and_then(|e| e.to_str()) == Some("jsonl");
    if is_jsonl {
        read_jsonl(path, docs, problems);
        return;
    }
    let rel = relative.unwrap_or_else(|| PathBuf::from(path.file_name().unwrap_or_default()));
    let id = sanitize_id(&rel.with_extension("").to_string_lossy());
    insert(
        docs,
        problems,
        SourceDoc {
            id,
            relative: Some(rel),
            origin: Origin::File(path.to_path_buf()),
        },
    );
}

/// A `.jsonl` line: `{"id", "text"}`.
#[derive(serde::Deserialize)]
struct Line {
    id: serde_json::Value,
    text: String,
}

/// Parse one `.jsonl` line (with or without its newline).
fn parse_line(raw: &[u8]) -> Result<Line, String> {
    let line = std::str::from_utf8(raw)
        .map_err(|e| format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()))?;
    serde_json::from_str::<Line>(line)
        .map_err(|e| format!("not a {{\"id\", \"text\"}} JSON object: {e}"))
}

/// Index a `.jsonl` file line by line (one line in memory at a time): ids and offsets.
fn read_jsonl(
    path: &Path,
    docs: &mut BTreeMap<String, SourceDoc>,
    problems: &mut Vec<SourceProblem>,
) {
    let problem = |origin: String, reason: String| SourceProblem { origin, reason };
    let mut reader = match File::open(path) {
        Ok(f) => BufReader::new(f),
        Err(e) => return problems.push(problem(path.display().to_string(), e.to_string())),
    };
    let (mut raw, mut offset) = (Vec::new(), 0u64);
    for n in 1.. {
        raw.clear();
        let origin = Origin::JsonlLine(path.to_path_buf(), n, offset);
        match reader.read_until(b'\n', &mut raw) {
            Ok(0) => break,
            Ok(len) => offset += len as u64,
            Err(e) => return problems.push(problem(origin.to_string(), e.to_string())),
        }
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_line(&raw) {
            Ok(parsed) => {
                let raw_id = match &parsed.id {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let id = sanitize_id(&raw_id);
                let relative = None;
                insert(
                    docs,
                    problems,
                    SourceDoc {
                        id,
                        relative,
                        origin,
                    },
                );
            }
            Err(reason) => problems.push(problem(origin.to_string(), reason)),
        }
    }
}

fn insert(
    docs: &mut BTreeMap<String, SourceDoc>,
    problems: &mut Vec<SourceProblem>,
    doc: SourceDoc,
) {
    if let Some(first) = docs.get(&doc.id) {
        problems.push(SourceProblem {
            origin: doc.origin.to_string(),
            reason: format!(
                "duplicate document id {:?} (first seen in {})",
                doc.id, first.origin
            ),
        });
        return;
    }
    docs.insert(doc.id.clone(), doc);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_inside_the_output() {
        assert_eq!(sanitize_id("../../etc/passwd"), "etc/passwd");
        assert_eq!(sanitize_id("/abs/path"), "abs/path");
        assert_eq!(sanitize_id("a b/ç.txt"), "a_b/_.txt");
        assert_eq!(sanitize_id(".."), "_");
        assert_eq!(sanitize_id(".hidden"), "hidden");
        assert_eq!(sanitize_id(""), "_");
    }

    #[test]
    fn finds_txt_and_jsonl_with_problems_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.txt"), "B").unwrap();
        std::fs::write(dir.path().join("a.txt"), "A").unwrap();
        std::fs::write(dir.path().join("skip.md"), "x").unwrap();
        std::fs::write(
            dir.path().join("more.jsonl"),
            "{\"id\": \"x/../y\", \"text\": \"Y\"}\nnot json\n{\"id\": 7, \"text\": \"S\"}\n",
        )
        .unwrap();
        let (docs, problems) = discover(&[dir.path().to_path_buf()]).unwrap();
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, vec!["7", "a", "sub/b", "x/y"]);
        let texts: Vec<String> = docs.iter().map(|d| d.read().unwrap()).collect();
        assert_eq!(texts, vec!["S", "A", "B", "Y"]);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].origin.ends_with("more.jsonl:2"),
            "{:?}",
            problems
        );
    }
}
