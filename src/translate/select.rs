//! Choosing and building a translator from command-line options and `selaras.toml`.
//!
//! `--backend NAME` is either a backend named in the config file or a built-in kind
//! (`libretranslate`, `openai`, `command`; `ct2`, `llm` and `auto` are other builds' kinds).
//! Command-line options override the config file; keys come only from the environment or the
//! config file.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::command::{CommandMode, CommandTranslator};
use super::config::{BackendConfig, Config};
use super::libretranslate::{self, LibreTranslate};
use super::openai::{self, OpenAiChat};
use super::{TranslateError, Translator};
use crate::model::Glossary;
use crate::net::http::{HttpSettings, Secret};

/// Options that choose and tune a translation backend (flattened into `translate` and `run`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BackendOptions {
    /// Backend: a name from selaras.toml, or libretranslate, openai, command (ct2, llm, auto
    /// where built in).
    #[arg(long, default_value = "auto")]
    pub backend: String,
    /// Source language code.
    #[arg(long = "from", default_value = "id")]
    pub from: String,
    /// Target language code.
    #[arg(long = "to", default_value = "en")]
    pub to: String,
    /// Config file (default: $SELARAS_CONFIG, ./selaras.toml, ~/.config/selaras/selaras.toml).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Server URL of an HTTP backend; repeat (or separate with commas) to balance several.
    #[arg(long, value_delimiter = ',')]
    pub endpoint: Vec<String>,
    /// Model name for the openai backend.
    #[arg(long)]
    pub llm_model: Option<String>,
    /// Glossary TSV (`source<TAB>target` per line) put into LLM prompts.
    #[arg(long)]
    pub glossary: Option<String>,
    /// Program and arguments for the command backend (run with `sh -c`).
    #[arg(long)]
    pub command: Option<String>,
    /// Run the command once per batch or keep one process running.
    #[arg(long, value_enum)]
    pub command_mode: Option<CommandMode>,
    /// Seconds allowed for one request [default: 30] (one batch for commands [default: 600]).
    #[arg(long)]
    pub timeout: Option<f64>,
    /// Extra attempts after a transient failure (timeout, reset, 5xx, bad body) [default: 8]; a batch
    /// of several sentences is split after 3. 429 answers pace requests without using these up.
    #[arg(long)]
    pub retries: Option<u32>,
    /// First retry delay in milliseconds, doubled each time, with jitter [default: 500].
    #[arg(long)]
    pub retry_base_ms: Option<u64>,
    /// Requests in flight per endpoint (processes at once for commands) [default: 4; commands: 2 per-batch, 1 persistent].
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Sentences per batch [default: 16].
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// CTranslate2 backend options (`--backend ct2`).
    #[command(flatten)]
    pub ct2: super::ct2::Ct2Options,
    /// llama.cpp backend options (`--backend llm`).
    #[command(flatten)]
    pub llm: super::llm::LlmOptions,
}

/// A built translator with the batching the caller should use.
#[derive(Clone)]
pub struct BuiltBackend {
    /// The backend's name as given (`--backend` or config name).
    pub name: String,
    /// The backend kind.
    pub kind: String,
    /// The translator.
    pub translator: Arc<dyn Translator>,
    /// Sentences per batch.
    pub batch_size: usize,
    /// Batches worth sending at once.
    pub parallel_batches: usize,
    /// A short description for listings (endpoints or command).
    pub target: String,
    /// What quality to expect, when known (printed when a run starts).
    pub quality: Option<String>,
    probe: Probe,
}

#[derive(Clone)]
enum Probe {
    /// An in-process model: translate one sentence.
    Local(Arc<dyn Translator>),
    Libre(Arc<LibreTranslate>),
    OpenAi(Arc<OpenAiChat>),
    Command(Arc<CommandTranslator>),
}

/// Build the translator chosen by `opts`.
pub fn build_translator(opts: &BackendOptions) -> Result<Arc<dyn Translator>, TranslateError> {
    Ok(build_backend(opts)?.translator)
}

/// Build the translator chosen by `opts`, with its batching.
pub fn build_backend(opts: &BackendOptions) -> Result<BuiltBackend, TranslateError> {
    let config = Config::load(opts.config.as_deref()).map_err(TranslateError::Config)?;
    build_with_config(opts, &config)
}

/// Build the translator chosen by `opts`, looking names up in `config`.
pub fn build_with_config(
    opts: &BackendOptions,
    config: &Config,
) -> Result<BuiltBackend, TranslateError> {
    let name = opts.backend.trim().to_string();
    let named = config.backends.get(&name);
    let base = named.cloned().unwrap_or_else(|| BackendConfig {
        kind: name.clone(),
        ..BackendConfig::default()
    });
    let kind = base.kind.trim().to_string();
    let merged = merge(&base, opts, config);
    let built = match kind.as_str() {
        "libretranslate" => build_libretranslate(&merged)?,
        "openai" => build_openai(&merged)?,
        "command" => build_command(&merged)?,
        "ct2" => build_ct2(&merged, &opts.ct2)?,
        "llm" => build_llm(&merged, &opts.llm)?,
        "auto" => return build_auto(opts, config),
        // ---- llama.cpp backend (`llm`) and `auto`: built by the llm backend module. ----
        other => {
            let mut known: Vec<&str> =
                vec!["libretranslate", "openai", "command", "ct2", "llm", "auto"];
            let names: Vec<&str> = config.backends.keys().map(String::as_str).collect();
            known.extend(names);
            let from = config
                .path
                .as_ref()
                .map(|p| format!(" (config: {})", p.display()))
                .unwrap_or_default();
            return Err(TranslateError::Config(format!(
                "unknown backend '{other}'{from}; known: {}",
                known.join(", ")
            )));
        }
    };
    Ok(BuiltBackend {
        name,
        kind,
        ..built
    })
}

/// Config values with command-line options laid over them.
struct Merged {
    endpoints: Vec<String>,
    key: Option<Secret>,
    key_env: Option<String>,
    model: Option<String>,
    glossary: Option<String>,
    command: Option<String>,
    command_mode: CommandMode,
    timeout: Option<Duration>,
    retries: Option<u32>,
    retry_base: Option<Duration>,
    concurrency: Option<usize>,
    batch_size: usize,
    from: String,
    to: String,
}

fn merge(base: &BackendConfig, opts: &BackendOptions, config: &Config) -> Merged {
    let endpoints = if opts.endpoint.is_empty() {
        base.all_endpoints()
    } else {
        opts.endpoint.clone()
    };
    let endpoints = endpoints
        .into_iter()
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty())
        .collect();
    let from_config = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    Merged {
        endpoints,
        key: base.api_key.clone().and_then(Secret::new),
        key_env: from_config(&base.api_key_env),
        model: opts.llm_model.clone().or_else(|| from_config(&base.model)),
        glossary: opts
            .glossary
            .clone()
            .or_else(|| base.glossary.as_ref().map(|g| config.resolve_path(g))),
        command: opts.command.clone().or_else(|| from_config(&base.command)),
        command_mode: opts
            .command_mode
            .or(base.command_mode)
            .unwrap_or(CommandMode::PerBatch),
        timeout: opts.timeout.or(base.timeout).and_then(seconds),
        retries: opts.retries.or(base.retries),
        retry_base: opts
            .retry_base_ms
            .or(base.retry_base_ms)
            .map(Duration::from_millis),
        concurrency: opts.concurrency.or(base.concurrency).map(|c| c.max(1)),
        batch_size: opts.batch_size.or(base.batch_size).unwrap_or(16).max(1),
        from: lang(&opts.from, "id"),
        to: lang(&opts.to, "en"),
    }
}

/// A language code from the command line, or `default` when empty.
fn lang(cli: &str, default: &str) -> String {
    match cli.trim() {
        "" => default.to_string(),
        code => code.to_string(),
    }
}

fn seconds(s: f64) -> Option<Duration> {
    (s.is_finite() && s > 0.0).then(|| Duration::from_secs_f64(s))
}

impl Merged {
    fn http_settings(&self) -> HttpSettings {
        let mut s = HttpSettings::default();
        if let Some(t) = self.timeout {
            s.timeout = t;
        }
        if let Some(r) = self.retries {
            s.retries = r;
        }
        if let Some(b) = self.retry_base {
            s.backoff_base = b;
            s.backoff_max = s.backoff_max.max(b);
            // Short bases (tests, local servers) get a proportionally short pause for failing endpoints.
            s.cooldown = s.cooldown.min(b * 20);
        }
        if let Some(c) = self.concurrency {
            s.concurrency = c;
        }
        s
    }

    fn key(&self, default_env: &str) -> Option<Secret> {
        self.key
            .clone()
            .or_else(|| Secret::from_env(self.key_env.as_deref().unwrap_or(default_env)))
    }

    fn require_endpoints(&self, kind: &str) -> Result<(), TranslateError> {
        if self.endpoints.is_empty() {
            return Err(TranslateError::Config(format!(
                "the {kind} backend needs --endpoint URL (or endpoints in selaras.toml)"
            )));
        }
        Ok(())
    }
}

fn build_libretranslate(m: &Merged) -> Result<BuiltBackend, TranslateError> {
    m.require_endpoints("libretranslate")?;
    let settings = m.http_settings();
    let backend = Arc::new(LibreTranslate::new(
        &m.endpoints,
        m.key(libretranslate::KEY_ENV),
        &m.from,
        &m.to,
        settings,
    )?);
    Ok(BuiltBackend {
        name: String::new(),
        kind: String::new(),
        parallel_batches: backend.pool().capacity(),
        target: backend.pool().urls().join(", "),
        translator: backend.clone(),
        batch_size: m.batch_size,
        quality: None,
        probe: Probe::Libre(backend),
    })
}

fn build_openai(m: &Merged) -> Result<BuiltBackend, TranslateError> {
    m.require_endpoints("openai")?;
    let glossary = match &m.glossary {
        Some(path) => Glossary::load(std::path::Path::new(path))
            .map_err(|e| TranslateError::Config(e.to_string()))?,
        None => Glossary::default(),
    };
    let backend = Arc::new(OpenAiChat::new(
        &m.endpoints,
        m.model.as_deref().unwrap_or(""),
        m.key(openai::KEY_ENV),
        &m.from,
        &m.to,
        glossary,
        m.http_settings(),
    )?);
    Ok(BuiltBackend {
        name: String::new(),
        kind: String::new(),
        parallel_batches: backend.pool().capacity(),
        target: backend.pool().urls().join(", "),
        translator: backend.clone(),
        batch_size: m.batch_size,
        quality: None,
        probe: Probe::OpenAi(backend),
    })
}

fn build_command(m: &Merged) -> Result<BuiltBackend, TranslateError> {
    let command = m.command.clone().unwrap_or_default();
    // Per-batch processes are cheap to run two at a time; a persistent one may hold a model.
    let jobs = m.concurrency.unwrap_or(match m.command_mode {
        CommandMode::PerBatch => 2,
        CommandMode::Persistent => 1,
    });
    let backend = Arc::new(CommandTranslator::new(
        &command,
        m.command_mode,
        m.timeout.unwrap_or(Duration::from_secs(600)),
        jobs,
        &m.from,
        &m.to,
    )?);
    let parallel = jobs;
    Ok(BuiltBackend {
        name: String::new(),
        kind: String::new(),
        translator: backend.clone(),
        batch_size: m.batch_size,
        parallel_batches: parallel,
        target: command,
        quality: None,
        probe: Probe::Command(backend),
    })
}

/// `--backend auto`: a model given on the command line (`--model`, `--gguf`), else the best
/// installed backend for the pair (see [`super::auto`]).
fn build_auto(opts: &BackendOptions, config: &Config) -> Result<BuiltBackend, TranslateError> {
    let with_kind = |kind: &str| BackendOptions {
        backend: kind.to_string(),
        ..opts.clone()
    };
    if opts.ct2.model.is_some() {
        return build_with_config(&with_kind("ct2"), config);
    }
    if opts.llm.gguf.is_some() {
        return build_with_config(&with_kind("llm"), config);
    }
    let http = config
        .backends
        .iter()
        .find(|(_, b)| matches!(b.kind.as_str(), "libretranslate" | "openai"))
        .map(|(name, _)| name.clone());
    let models = super::llm::models_dir();
    let choice = super::auto::resolve_auto(&super::auto::AutoInputs {
        models_dir: &models,
        source: &opts.from,
        target: &opts.to,
        http: http.as_deref(),
    })
    .map_err(TranslateError::Config)?;
    let mut chosen = match &choice.backend {
        super::auto::AutoBackend::Ct2 { model_dir } => {
            let mut o = with_kind("ct2");
            o.ct2.model = Some(model_dir.clone());
            build_with_config(&o, config)?
        }
        super::auto::AutoBackend::Http { .. } => {
            build_with_config(&with_kind(http.as_deref().unwrap_or_default()), config)?
        }
        super::auto::AutoBackend::Llm { gguf } => {
            let mut o = with_kind("llm");
            o.llm.gguf = Some(gguf.clone());
            build_with_config(&o, config)?
        }
    };
    chosen.name = "auto".into();
    chosen.quality = Some(choice.quality);
    Ok(chosen)
}

fn build_llm(m: &Merged, opts: &super::llm::LlmOptions) -> Result<BuiltBackend, TranslateError> {
    let mut options = opts.clone();
    options.source_lang = m.from.clone();
    options.target_lang = m.to.clone();
    if options.gguf.is_none() {
        options.gguf = Some(super::llm::default_gguf_path());
    }
    let target = options
        .gguf
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let parallel = options.parallel as usize;
    let translator = Arc::new(super::llm::LlmTranslator::load(options)?);
    Ok(BuiltBackend {
        name: String::new(),
        kind: String::new(),
        translator: translator.clone(),
        // The model decodes `parallel` sentences side by side: feed it a few rounds at once.
        batch_size: parallel * 4,
        parallel_batches: 1,
        target,
        quality: Some(
            "llm: draft quality; numbers, dates and names are flagged, review them".into(),
        ),
        probe: Probe::Local(translator),
    })
}

fn build_ct2(m: &Merged, opts: &super::ct2::Ct2Options) -> Result<BuiltBackend, TranslateError> {
    let translator = Arc::new(super::ct2::Ct2Translator::from_options(
        opts, &m.from, &m.to,
    )?);
    let target = opts
        .model
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    Ok(BuiltBackend {
        name: String::new(),
        kind: String::new(),
        translator: translator.clone(),
        // The engine sorts and batches by token budget itself and uses every thread it is
        // given: hand it large batches, one at a time.
        batch_size: 512,
        parallel_batches: 1,
        target,
        quality: None,
        probe: Probe::Local(translator),
    })
}

impl BuiltBackend {
    /// Check whether the backend answers: one line per endpoint (or the command), each
    /// `Ok(detail)` or `Err(reason)`.
    pub async fn check(&self) -> Vec<(String, Result<String, String>)> {
        let http = |results: Vec<(String, Result<u16, String>)>| {
            results
                .into_iter()
                .map(|(url, r)| {
                    let r = match r {
                        Ok(s) if (200..300).contains(&s) => Ok(format!("answers (HTTP {s})")),
                        Ok(s) if s == 401 || s == 403 => Err(format!("refuses the key (HTTP {s})")),
                        Ok(s) => Ok(format!("answers (HTTP {s})")),
                        Err(e) => Err(e),
                    };
                    (url, r)
                })
                .collect()
        };
        match &self.probe {
            Probe::Libre(b) => http(b.probe().await),
            Probe::OpenAi(b) => http(b.probe().await),
            Probe::Local(t) => {
                let r = match t.translate(&["Selamat pagi.".to_string()]).await {
                    Ok(lines) => Ok(format!("answers ('Selamat pagi.' → '{}')", lines[0])),
                    Err(e) => Err(e.to_string()),
                };
                vec![(self.target.clone(), r)]
            }
            Probe::Command(b) => {
                let r = b.translate(&["Selamat pagi.".to_string()]).await;
                let r = match r {
                    Ok(lines) => Ok(format!("answers ('Selamat pagi.' → '{}')", lines[0])),
                    Err(e) => Err(e.to_string()),
                };
                vec![(self.target.clone(), r)]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(backend: &str) -> BackendOptions {
        BackendOptions {
            backend: backend.into(),
            ..BackendOptions::default()
        }
    }

    #[test]
    fn unknown_and_unavailable_backends_are_clear() {
        let err = build_with_config(&opts("nope"), &Config::default())
            .err()
            .unwrap();
        assert!(err.to_string().contains("unknown backend 'nope'"), "{err}");
        let err = build_with_config(&opts("ct2"), &Config::default())
            .err()
            .unwrap();
        assert!(err.to_string().contains("needs --model PATH"), "{err}");
        let err = build_with_config(&opts("libretranslate"), &Config::default())
            .err()
            .unwrap();
        assert!(err.to_string().contains("--endpoint"), "{err}");
    }

    #[test]
    fn named_backend_from_config_with_override() {
        let config = Config::parse(
            "[backends.office]\ntype = \"libretranslate\"\nendpoint = \"http://127.0.0.1:1\"\nbatch_size = 7\n",
        )
        .unwrap();
        let built = build_with_config(&opts("office"), &config).unwrap();
        assert_eq!(built.kind, "libretranslate");
        assert_eq!(built.batch_size, 7);
        assert_eq!(built.target, "http://127.0.0.1:1/translate");
        let mut o = opts("office");
        o.endpoint = vec!["http://127.0.0.1:2".into()];
        let built = build_with_config(&o, &config).unwrap();
        assert_eq!(built.target, "http://127.0.0.1:2/translate");
    }
}
