//! Translation: the pluggable stage. Every backend implements [`Translator`]; the [`batcher`]
//! is the one way sentences reach a backend.

/// An enum of unit variants, each with the name it has in flags and files: `ALL`, `name`,
/// `Display` and a `FromStr` whose error lists the names. `$what` names the enum in errors.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $enum:ident ($what:literal) {
            $($(#[$vmeta:meta])* $variant:ident = $name:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $enum {
            $($(#[$vmeta])* $variant,)+
        }

        impl $enum {
            /// Every variant, in order.
            pub const ALL: &'static [$enum] = &[$($enum::$variant),+];

            /// The variant's name.
            pub fn name(self) -> &'static str {
                match self {
                    $($enum::$variant => $name,)+
                }
            }
        }

        impl std::fmt::Display for $enum {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $enum {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, String> {
                let mut all = $enum::ALL.iter().copied();
                all.find(|v| v.name() == s).ok_or_else(|| {
                    let names: Vec<&str> = $enum::ALL.iter().map(|v| v.name()).collect();
                    format!("unknown {} '{s}' (expected {})", $what, names.join(", "))
                })
            }
        }
    };
}

pub mod auto;
pub mod batcher;
pub mod cache;
pub mod command;
pub mod config;
#[cfg(feature = "ct2")]
pub mod ct2;
pub mod libretranslate;
#[cfg(feature = "llm")]
pub mod llm;
pub mod openai;
pub mod select;
pub mod spec;
pub mod split;

use async_trait::async_trait;

/// Why a batch could not be translated (cloned for each caller waiting on the same sentence).
#[derive(Debug, Clone, thiserror::Error)]
pub enum TranslateError {
    /// The backend's configuration or model is unusable, or it refuses any batch
    /// (authentication, missing route): not retried, not split.
    #[error("{0}")]
    Config(String),
    /// No server could be reached: smaller batches would not help.
    #[error("{0}")]
    Unreachable(String),
    /// The backend answered but the answer cannot be used (bad body, failed decoding...).
    #[error("{0}")]
    Backend(String),
    /// The backend returned the wrong number of translations.
    #[error("{got} translations for {sent} sentences")]
    Count {
        /// Sentences sent.
        sent: usize,
        /// Translations returned.
        got: usize,
    },
    /// An I/O failure (starting or talking to a program, reading or writing a file).
    #[error("{context}: {source}")]
    Io {
        /// What was being done, and on which file or program.
        context: String,
        /// The underlying error.
        #[source]
        source: std::sync::Arc<std::io::Error>,
    },
}

impl TranslateError {
    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        TranslateError::Io {
            context: context.into(),
            source: source.into(),
        }
    }

    /// Whether a smaller batch may succeed where this one failed.
    pub fn may_split(&self) -> bool {
        !matches!(
            self,
            TranslateError::Config(_) | TranslateError::Unreachable(_)
        )
    }
}

/// A translation backend: a batch of sentences in, exactly as many translations out, same order.
/// Backends translate one batch in one go (transport retries included); the [`batcher`] splits
/// failed batches to isolate a bad sentence.
#[async_trait]
pub trait Translator: Send + Sync {
    /// Stable identity (backend + model + settings), used as the translation cache key.
    fn identity(&self) -> String;

    /// Source and target language codes (e.g. `id`, `en`).
    fn langs(&self) -> (&str, &str);

    /// Source language code (e.g. `id`).
    fn source_lang(&self) -> &str {
        self.langs().0
    }

    /// Target language code (e.g. `en`).
    fn target_lang(&self) -> &str {
        self.langs().1
    }

    /// Translate a batch; the result has exactly `batch.len()` entries in the same order.
    async fn translate(&self, batch: &[String]) -> Result<Vec<String>, TranslateError>;

    /// Ask each server whether it answers: `(endpoint, Ok(HTTP status))` per endpoint (secrets
    /// redacted); `None` (the default) for backends checked by translating a test sentence.
    async fn probe(&self) -> Option<Vec<(String, Result<u16, String>)>> {
        None
    }
}
