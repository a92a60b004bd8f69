//! `selaras.toml`: named backends, each a table whose `type` picks the kind
//! ([`BackendSpec`]) and whose other keys are that kind's settings.
//!
//! ```toml
//! [backends.office-lt]
//! type = "libretranslate"
//! endpoints = ["http://10.0.0.5:5000", "http://10.0.0.6:5000"]   # or endpoint = "…"
//! api_key_env = "OFFICE_LT_KEY"   # or api_key = "..." (keys never go on the command line)
//! timeout = "60s"                 # per request; a plain number is seconds
//! retry_base = "500ms"            # or retry_base_ms = 500; also retries, concurrency, batch_size
//!
//! [backends.local-llm]
//! type = "openai"
//! endpoint = "http://127.0.0.1:8080/v1"
//! model = "qwen2.5-7b-instruct"
//! glossary = "terms.tsv"          # relative paths are relative to this file
//!
//! [backends.moses]
//! type = "command"
//! command = "/opt/moses/translate.sh"
//! command_mode = "per-batch"      # or "persistent"; also timeout, concurrency, batch_size
//!
//! [backends.opus]
//! type = "ct2"                    # beam, compute_type, batch_tokens, threads, replicas
//! model = "models/opus-mt-id-en"
//!
//! [backends.gemma]
//! type = "llm"                    # prompt, threads, parallel, retry_suspect, ctx
//! gguf = "models/gemma-3-270m-q4_k_m.gguf"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::spec::BackendSpec;

/// The whole config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Named backends.
    #[serde(default)]
    pub backends: BTreeMap<String, BackendSpec>,
    /// Where the file was read from (not part of the file).
    #[serde(skip)]
    pub path: Option<PathBuf>,
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

    /// Read and parse one file; errors name the file and place. Relative paths in it become
    /// relative to its folder.
    pub fn read(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut config = Config::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            for spec in config.backends.values_mut() {
                spec.resolve_paths(dir);
            }
        }
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parse TOML text.
    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_named_backends() {
        let c = Config::parse(
            "[backends.lt]\ntype = \"libretranslate\"\nendpoints = [\"http://a\", \"http://b\"]\n\
             [backends.cmd]\ntype = \"command\"\ncommand = \"cat\"\n",
        )
        .unwrap();
        assert_eq!(c.backends["lt"].kind().name(), "libretranslate");
        assert_eq!(c.backends["cmd"].kind().name(), "command");
    }

    #[test]
    fn unknown_keys_are_errors_naming_the_place() {
        let err = Config::parse("[backends.lt]\ntype = \"libretranslate\"\nendpiont = \"x\"\n")
            .unwrap_err();
        assert!(err.contains("endpiont") && err.contains("line"), "{err}");
    }
}
