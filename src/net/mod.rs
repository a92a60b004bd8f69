//! Networking shared by the HTTP backends and the HTTP embedder: an endpoint pool with
//! per-endpoint concurrency, the retry policy and secrets that are never printed.

pub mod http;

pub use http::{BodyError, HttpError, HttpPool, HttpSettings, RetryPolicy, Secret};
