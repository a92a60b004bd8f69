//! Reading text input (a file or standard input) with clear errors for bad bytes.

use std::io::Read;

/// Why input text could not be read: unreadable, not UTF-8, or binary.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct InputError {
    /// The file (or `-` for standard input).
    pub path: String,
    /// What is wrong, with the byte offset where it applies.
    pub problem: String,
}

/// Read a whole file, or standard input when `path` is `-`, as UTF-8 text.
pub fn read_text(path: &str, lossy: bool) -> Result<String, InputError> {
    let bytes = if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map(|_| bytes)
    } else {
        std::fs::read(path)
    };
    let bytes = bytes.map_err(|e| error(path, e.to_string()))?;
    decode_text(bytes, path, lossy)
}

fn error(path: &str, problem: String) -> InputError {
    let path = path.to_string();
    InputError { path, problem }
}

/// Decode bytes as UTF-8 text; `label` names the source in errors.
///
/// NUL bytes mean binary input and are always an error; invalid UTF-8 is an error
/// unless `lossy`, which replaces bad sequences with U+FFFD.
pub fn decode_text(bytes: Vec<u8>, label: &str, lossy: bool) -> Result<String, InputError> {
    if let Some(offset) = memchr::memchr(0, &bytes) {
        let problem =
            format!("looks like a binary file (NUL byte at byte offset {offset}), not text");
        return Err(error(label, problem));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) if lossy => Ok(String::from_utf8_lossy(err.as_bytes()).into_owned()),
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let problem =
                format!("invalid UTF-8 at byte offset {offset} (use --lossy to replace bad bytes)");
            Err(error(label, problem))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_offset() {
        let err = decode_text(b"abc\xffdef".to_vec(), "x.txt", false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.txt: invalid UTF-8 at byte offset 3 (use --lossy to replace bad bytes)"
        );
    }

    #[test]
    fn lossy_replaces() {
        let text = decode_text(b"abc\xffdef".to_vec(), "x.txt", true).unwrap();
        assert_eq!(text, "abc\u{FFFD}def");
    }

    #[test]
    fn nul_is_binary() {
        let err = decode_text(b"ab\0cd".to_vec(), "x.bin", true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.bin: looks like a binary file (NUL byte at byte offset 2), not text"
        );
    }
}
