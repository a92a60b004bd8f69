//! Reading text input (a file or standard input) with clear errors for bad bytes.

use std::io::Read;

/// Why input text could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file (or `-` for standard input).
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The bytes are not valid UTF-8.
    #[error("{path}: invalid UTF-8 at byte offset {offset} (use --lossy to replace bad bytes)")]
    InvalidUtf8 {
        /// The file (or `-` for standard input).
        path: String,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// The input looks like a binary file (it holds NUL bytes).
    #[error("{path}: looks like a binary file (NUL byte at byte offset {offset}), not text")]
    Binary {
        /// The file (or `-` for standard input).
        path: String,
        /// Offset of the first NUL byte.
        offset: usize,
    },
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
    let bytes = bytes.map_err(|source| InputError::Io {
        path: path.to_string(),
        source,
    })?;
    decode_text(bytes, path, lossy)
}

/// Decode bytes as UTF-8 text; `label` names the source in errors.
///
/// NUL bytes mean binary input and are always an error; invalid UTF-8 is an error
/// unless `lossy`, which replaces bad sequences with U+FFFD.
pub fn decode_text(bytes: Vec<u8>, label: &str, lossy: bool) -> Result<String, InputError> {
    if let Some(offset) = memchr::memchr(0, &bytes) {
        return Err(InputError::Binary {
            path: label.to_string(),
            offset,
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) if lossy => Ok(String::from_utf8_lossy(err.as_bytes()).into_owned()),
        Err(err) => Err(InputError::InvalidUtf8 {
            path: label.to_string(),
            offset: err.utf8_error().valid_up_to(),
        }),
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
        assert!(matches!(err, InputError::Binary { offset: 2, .. }));
    }
}
