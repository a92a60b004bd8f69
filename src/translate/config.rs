//! `selaras.toml`: named backends with their endpoints, models and limits.
//!
//! ```toml
//! [backends.office-lt]
//! type = "libretranslate"
//! endpoints = ["http://10.0.0.5:5000", "http://10.0.0.6:5000"]
//! api_key_env = "OFFICE_LT_KEY"   # or api_key = "..." (keys never go on the command line)
//! timeout = 60                    # seconds per request
//!
//! [backends.local-llm]
//! type = "openai"
//! endpoint = "http://127.0.0.1:8080/v1"
//! model = "qwen2.5-7b-instruct"
//! glossary = "terms.tsv"
//!
//! [backends.moses]
//! type = "command"
//! command = "/opt/moses/translate.sh"
//! command_mode = "per-batch"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::command::CommandMode;

/// The whole config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Named backends.
    #[serde(default)]
    pub backends: BTreeMap<String, BackendConfig>,
    /// Where the file was read from (not part of the file).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// One named backend.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackendConfig {
    /// Backend kind: `libretranslate`, `openai`, `command` (or any other built-in name).
    #[serde(rename = "type")]
    pub kind: String,
    /// One endpoint URL.
    pub endpoint: Option<String>,
    /// Several endpoint URLs, balanced.
    #[serde(default)]
    pub endpoints: Vec<String>,
    /// The API key itself (prefer `api_key_env`).
    pub api_key: Option<String>,
    /// Environment variable holding the API key.
    pub api_key_env: Option<String>,
    /// Model name for the openai backend.
    pub model: Option<String>,
    /// Glossary TSV file (relative paths are relative to the config file).
    pub glossary: Option<String>,
    /// Program and arguments for the command backend.
    pub command: Option<String>,
    /// How the command is run.
    pub command_mode: Option<CommandMode>,
    /// Seconds per request (per batch for commands).
    pub timeout: Option<f64>,
    /// Extra attempts for transient failures.
    pub retries: Option<u32>,
    /// First backoff delay in milliseconds.
    pub retry_base_ms: Option<u64>,
    /// Requests in flight per endpoint (processes at once for commands).
    pub concurrency: Option<usize>,
    /// Sentences per batch.
    pub batch_size: Option<usize>,
}

impl Config {
    /// Read the config: `explicit` if given (must exist), else `$SELARAS_CONFIG`, else
    /// `./selaras.toml`, else `$XDG_CONFIG_HOME/selaras/selaras.toml` (or `~/.config/...`);
    /// no file found → an empty config.
    pub fn load(explicit: Option<&Path>) -> Result<Config, String> {
        if let Some(path) = explicit {
            return Config::read(path);
        }
        if let Some(path) = std::env::var_os("SELARAS_CONFIG").filter(|p| !p.is_empty()) {
            return Config::read(Path::new(&path));
        }
        let mut candidates = vec![PathBuf::from("selaras.toml")];
        if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME").filter(|p| !p.is_empty()) {
            candidates.push(PathBuf::from(dir).join("selaras/selaras.toml"));
        } else if let Some(home) = std::env::var_os("HOME").filter(|p| !p.is_empty()) {
            candidates.push(PathBuf::from(home).join(".config/selaras/selaras.toml"));
        }
        for path in candidates {
            if path.is_file() {
                return Config::read(&path);
            }
        }
        Ok(Config::default())
    }

    /// Read and parse one file; errors name the file and place.
    pub fn read(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut config = Config::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parse TOML text.
    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim().to_string())
    }

    /// A path from the file, made relative to the file's folder.
    pub fn resolve_path(&self, path: &str) -> String {
        let p = Path::new(path);
        match (&self.path, p.is_relative()) {
            (Some(file), true) => match file.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.join(p).display().to_string(),
                _ => path.to_string(),
            },
            _ => path.to_string(),
        }
    }
}

impl BackendConfig {
    /// All endpoints (`endpoint` then `endpoints`).
    pub fn all_endpoints(&self) -> Vec<String> {
        self.endpoint
            .iter()
            .chain(self.endpoints.iter())
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_named_backends() {
        let c = Config::parse(
            "[backends.lt]\ntype = \"libretranslate\"\nendpoints = [\"http://a\", \"http://b\"]\ntimeout = 2.5\n\
             [backends.cmd]\ntype = \"command\"\ncommand = \"cat\"\ncommand_mode = \"persistent\"\n",
        )
        .unwrap();
        assert_eq!(
            c.backends["lt"].all_endpoints(),
            vec!["http://a", "http://b"]
        );
        assert_eq!(c.backends["lt"].timeout, Some(2.5));
        assert_eq!(
            c.backends["cmd"].command_mode,
            Some(CommandMode::Persistent)
        );
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = Config::parse("[backends.lt]\ntype = \"libretranslate\"\nendpiont = \"x\"\n")
            .unwrap_err();
        assert!(err.contains("endpiont"), "{err}");
    }
}
