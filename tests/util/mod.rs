//! Helpers shared by the test modules.

#![allow(dead_code)] // each module uses part of the helpers

pub mod chromium;
pub mod http;
pub mod server;

use std::path::{Path, PathBuf};

/// The repository's root folder.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path under tests/data/.
pub fn data(path: &str) -> PathBuf {
    root().join("tests/data").join(path)
}

/// The value of header `name` (any case) among `headers`.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
