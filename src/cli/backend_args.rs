//! The flags that choose and tune a translation backend (flattened into `translate`, `run` and
//! `backends`), laid over the chosen [`BackendSpec`].

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use selaras::translate::command::CommandMode;
use selaras::translate::config::Config;
use selaras::translate::select::{resolve, BackendChoice, Chosen};
use selaras::translate::spec::{
    parse_duration, BackendKind, BackendSpec, ComputeType, HealthCheck,
};
use selaras::translate::Translator;

use super::CliError;

/// Flags that choose and tune a translation backend. Durations take a unit (`30s`, `500ms`,
/// `2m`); a plain number is seconds.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BackendArgs {
    /// Backend: auto, none, a name from selaras.toml, or libretranslate, openai, command, ct2,
    /// llm.
    #[arg(long, default_value = "auto")]
    pub backend: BackendChoice,
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
    #[arg(long, alias = "llm-model")]
    pub openai_model: Option<String>,
    /// Glossary TSV (`source<TAB>target` per line): put into openai prompts, and checked.
    #[arg(long)]
    pub glossary: Option<PathBuf>,
    /// Program and arguments for the command backend (run with `sh -c`).
    #[arg(long)]
    pub command: Option<String>,
    /// Run the command once per batch (per-batch) or keep one process running (persistent).
    #[arg(long, value_name = "MODE")]
    pub command_mode: Option<CommandMode>,
    /// Time allowed for one request [default: 30s] (one batch for commands [default: 600s]).
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Option<Duration>,
    /// Extra attempts after a transient failure (timeout, reset, 5xx, bad body) [default: 8]; a batch
    /// of several sentences is split after 3. 429 answers pace requests without using these up.
    #[arg(long)]
    pub retries: Option<u32>,
    /// First retry delay, doubled each time, with jitter [default: 500ms].
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub retry_base: Option<Duration>,
    /// The first retry delay in milliseconds (old spelling of --retry-base).
    #[arg(long, hide = true, conflicts_with = "retry_base")]
    pub retry_base_ms: Option<u64>,
    /// Requests in flight per endpoint (processes at once for commands) [default: 4; commands: 2 per-batch, 1 persistent].
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Sentences per batch [default: 16].
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// CTranslate2 flags.
    #[command(flatten)]
    pub ct2: Ct2Args,
    /// llama.cpp flags.
    #[command(flatten)]
    pub llm: LlmArgs,
}

/// Flags of the CTranslate2 backend (Argos Translate's decoding defaults).
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "CTranslate2 backend (--backend ct2)")]
pub struct Ct2Args {
    /// Model: an Argos `.argosmodel` file, its unpacked folder, or a CTranslate2 folder converted
    /// from OPUS-MT (with `source.spm` and `target.spm`); with --backend auto, picks ct2.
    #[arg(long, alias = "model", value_name = "PATH")]
    pub ct2_model: Option<PathBuf>,
    /// Beam size, 1 (greedy, fastest) to 64 [default: 4].
    #[arg(long, alias = "beam", value_name = "N")]
    pub ct2_beam: Option<u16>,
    /// Computation precision: float32, int8, int8_float32, default (as converted) or auto
    /// [default: float32].
    #[arg(long, alias = "compute-type", value_name = "TYPE")]
    pub ct2_compute_type: Option<ComputeType>,
    /// Token budget of one batch: sentences × longest sentence in source tokens [default: 2048].
    #[arg(long, alias = "batch-tokens", value_name = "N")]
    pub ct2_batch_tokens: Option<u32>,
    /// CPU threads for the engine, 0 = let CTranslate2 choose [default: 2].
    #[arg(long, alias = "threads", value_name = "N")]
    pub ct2_threads: Option<u16>,
    /// Model replicas translating side by side, sharing the threads; 0 = one per thread
    /// [default: 0].
    #[arg(long, alias = "replicas", value_name = "N")]
    pub ct2_replicas: Option<u16>,
    /// Maximum length of a translation, in target tokens [default: 256].
    #[arg(long, alias = "max-decoding-length", value_name = "N")]
    pub ct2_max_decoding_length: Option<u32>,
}

/// Flags of the GGUF backend through llama.cpp.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "GGUF model through llama.cpp (--backend llm)")]
pub struct LlmArgs {
    /// GGUF model file [default: models/gemma-3-270m-q4_k_m.gguf, installed by
    /// scripts/fetch-models]; with --backend auto, picks llm.
    #[arg(long, alias = "gguf", value_name = "PATH")]
    pub llm_gguf: Option<PathBuf>,
    /// Prompt template file (few-shot examples with a {source} line; variants separated by
    /// `===`) [default: the built-in Indonesian→English prompt].
    #[arg(long, alias = "prompt", value_name = "FILE")]
    pub llm_prompt: Option<PathBuf>,
    /// CPU threads for the model, 1 to 256 (fewer than the cores on a shared machine)
    /// [default: the cores].
    #[arg(long, value_name = "N")]
    pub llm_threads: Option<u32>,
    /// Sentences decoded together as parallel sequences, 1 to 64 [default: 1, the plain greedy
    /// output; 16 is ≈ 1.4× faster but changes some translations].
    #[arg(long, alias = "parallel", value_name = "N")]
    pub llm_parallel: Option<u32>,
    /// Translate sentences whose numbers, dates or names look invented again with the
    /// prompt's other variants, keeping the better candidate.
    #[arg(long, alias = "retry-suspect")]
    pub llm_retry_suspect: bool,
    /// Context size in tokens, 512 to 131072, shared by the prompt prefixes and the parallel
    /// sentences [default: 4096].
    #[arg(long, value_name = "N")]
    pub llm_ctx: Option<u32>,
    /// Token budget per sentence, as a multiple of the source's token count (plus 16)
    /// [default: 2].
    #[arg(long, alias = "max-tokens-ratio", value_name = "X")]
    pub llm_max_tokens_ratio: Option<f32>,
}

/// A backend built from the flags: what it is, the translator, and its health check.
pub struct Backend {
    /// The name it was chosen by.
    pub name: String,
    /// The settings it was built from.
    pub spec: BackendSpec,
    /// What quality to expect, when known.
    pub quality: Option<String>,
    /// The translator.
    pub translator: Arc<dyn Translator>,
    /// Asks whether it answers; also names its endpoints, model or program.
    pub health: HealthCheck,
}

impl BackendArgs {
    /// The backend asked for: `--backend auto` with `--ct2-model` or `--llm-gguf` means that kind.
    pub fn choice(&self) -> BackendChoice {
        let kind = match &self.backend {
            BackendChoice::Auto if self.ct2.ct2_model.is_some() => BackendKind::Ct2,
            BackendChoice::Auto if self.llm.llm_gguf.is_some() => BackendKind::Llm,
            choice => return choice.clone(),
        };
        BackendChoice::Kind(kind)
    }

    /// The config file the flags name (or the default one).
    pub fn load_config(&self) -> Result<Config, CliError> {
        Config::load(self.config.as_deref()).map_err(CliError::bad_input)
    }

    /// Resolve `choice` with `config` and lay the flags over it; `None` for `--backend none`.
    pub fn chosen(
        &self,
        choice: &BackendChoice,
        config: &Config,
    ) -> Result<Option<Chosen>, CliError> {
        let chosen = resolve(choice, config, &self.from, &self.to).map_err(bad_input)?;
        Ok(chosen.map(|mut c| {
            self.apply(&mut c.spec);
            c
        }))
    }

    /// Build the backend the flags ask for; `None` for `--backend none`.
    pub fn build(&self) -> Result<Option<Backend>, CliError> {
        let Some(chosen) = self.chosen(&self.choice(), &self.load_config()?)? else {
            return Ok(None);
        };
        build(chosen, &self.from, &self.to).map(Some)
    }

    /// Lay the flags that were given over `spec` (flags of other kinds are ignored).
    pub fn apply(&self, spec: &mut BackendSpec) {
        let retry_base = self
            .retry_base
            .or(self.retry_base_ms.map(Duration::from_millis));
        if let Some(http) = spec.http_mut() {
            if !self.endpoint.is_empty() {
                http.endpoints = self.endpoint.clone();
            }
            set(&mut http.limits.timeout, self.timeout);
            set(&mut http.limits.retries, self.retries);
            set(&mut http.limits.backoff_base, retry_base);
            set(&mut http.limits.concurrency, self.concurrency);
            set(&mut http.batch_size, self.batch_size);
        }
        let (ct2, llm) = (&self.ct2, &self.llm);
        match spec {
            BackendSpec::Ct2(s) => {
                set(&mut s.model, ct2.ct2_model.clone().map(Some));
                set(&mut s.beam, ct2.ct2_beam);
                set(&mut s.compute_type, ct2.ct2_compute_type);
                set(&mut s.batch_tokens, ct2.ct2_batch_tokens);
                set(&mut s.threads, ct2.ct2_threads);
                set(&mut s.replicas, ct2.ct2_replicas);
                set(&mut s.max_decoding_length, ct2.ct2_max_decoding_length);
            }
            BackendSpec::Llm(s) => {
                set(&mut s.gguf, llm.llm_gguf.clone().map(Some));
                set(&mut s.prompt, llm.llm_prompt.clone().map(Some));
                set(&mut s.threads, llm.llm_threads);
                set(&mut s.parallel, llm.llm_parallel);
                s.retry_suspect |= llm.llm_retry_suspect;
                set(&mut s.ctx, llm.llm_ctx);
                set(&mut s.max_tokens_ratio, llm.llm_max_tokens_ratio);
            }
            BackendSpec::OpenAi(s) => {
                set(&mut s.model, self.openai_model.clone().map(Some));
                set(&mut s.glossary, self.glossary.clone().map(Some));
            }
            BackendSpec::Command(s) => {
                set(&mut s.command, self.command.clone());
                set(&mut s.mode, self.command_mode);
                set(&mut s.timeout, self.timeout);
                set(&mut s.jobs, self.concurrency.map(Some));
                set(&mut s.batch_size, self.batch_size);
            }
            BackendSpec::LibreTranslate(_) => {}
        }
    }
}

/// Build a chosen backend for `from` → `to`.
pub fn build(chosen: Chosen, from: &str, to: &str) -> Result<Backend, CliError> {
    let (translator, health) = chosen.spec.build(from, to).map_err(bad_input)?;
    Ok(Backend {
        name: chosen.name,
        spec: chosen.spec,
        quality: chosen.quality,
        translator,
        health,
    })
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *field = value;
    }
}

fn bad_input(err: impl ToString) -> CliError {
    CliError::bad_input(err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cmd {
        #[command(flatten)]
        backend: BackendArgs,
    }

    fn args(flags: &str) -> Result<BackendArgs, clap::Error> {
        Cmd::try_parse_from(["x"].into_iter().chain(flags.split_whitespace())).map(|c| c.backend)
    }

    fn applied(args: &BackendArgs, kind: BackendKind) -> BackendSpec {
        let mut spec = kind.default_spec();
        args.apply(&mut spec);
        spec
    }

    #[test]
    fn flags_override_a_named_backend() {
        let config = Config::parse(
            "[backends.office]\ntype = \"libretranslate\"\nendpoint = \"http://a\"\nbatch_size = 7\n",
        )
        .unwrap();
        let a = args("--backend office --endpoint http://b --timeout 2s").unwrap();
        let mut spec = a.chosen(&a.choice(), &config).unwrap().unwrap().spec;
        let http = spec.http_mut().unwrap();
        assert_eq!(http.endpoints, ["http://b"]);
        assert_eq!(
            (http.batch_size, http.limits.timeout),
            (7, Duration::from_secs(2))
        );
    }

    #[test]
    fn new_flags_and_old_spellings_mean_the_same() {
        let old = "--model m --beam 2 --threads 3 --gguf g --parallel 4 --retry-suspect \
                   --llm-model tiny --retry-base-ms 20 --timeout 0.5";
        let new = "--ct2-model m --ct2-beam 2 --ct2-threads 3 --llm-gguf g --llm-parallel 4 \
                   --llm-retry-suspect --openai-model tiny --retry-base 20ms --timeout 500ms";
        let (old, new) = (args(old).unwrap(), args(new).unwrap());
        for &kind in BackendKind::ALL {
            assert_eq!(applied(&old, kind), applied(&new, kind), "{}", kind.name());
        }
        assert_eq!(new.choice(), BackendChoice::Kind(BackendKind::Ct2));
        let BackendSpec::Ct2(ct2) = applied(&new, BackendKind::Ct2) else {
            unreachable!()
        };
        assert_eq!((ct2.beam, ct2.threads), (2, 3));
        for bad in [
            "--retry-base 1s --retry-base-ms 5",
            "--timeout soon",
            "--command-mode x",
        ] {
            assert!(args(bad).is_err(), "{bad}");
        }
    }
}
