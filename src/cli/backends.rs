//! `selaras backends`: the configured translation backends and whether each answers.

use super::{write_stdout, CliError, CliResult};
use selaras::translate::config::Config;
use selaras::translate::select::{build_with_config, BackendOptions};

/// Arguments of `selaras backends`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  selaras backends\n  selaras backends --config team.toml\n  selaras backends --backend libretranslate --endpoint http://localhost:5000\n\nLists every backend named in selaras.toml (plus the one given with --backend, if any) and checks\nwhether it answers. Exit code 1 when one does not."
)]
pub struct BackendsArgs {
    /// A backend to check besides the configured ones, and the config file.
    #[command(flatten)]
    pub backend: BackendOptions,
}

/// Run `selaras backends`.
pub fn run(args: BackendsArgs) -> CliResult {
    let config = Config::load(args.backend.config.as_deref()).map_err(CliError::bad_input)?;
    let mut names: Vec<String> = config.backends.keys().cloned().collect();
    let explicit = args.backend.backend != "auto" || !args.backend.endpoint.is_empty();
    if explicit && !names.contains(&args.backend.backend) {
        names.push(args.backend.backend.clone());
    }
    let mut out = String::new();
    match &config.path {
        Some(p) => out.push_str(&format!("config: {}\n", p.display())),
        None => out.push_str(
            "config: none found (selaras.toml, $SELARAS_CONFIG, ~/.config/selaras/selaras.toml)\n",
        ),
    }
    if names.is_empty() {
        out.push_str("no backends configured; built-in kinds: libretranslate (--endpoint), openai (--endpoint --llm-model), command (--command)\n");
        return write_stdout(&out);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failure(format!("cannot start the async runtime: {e}")))?;
    let mut all_ok = true;
    for name in names {
        let mut opts = args.backend.clone();
        if name != args.backend.backend {
            // Configured backends are checked as configured, without the command-line overrides.
            opts = BackendOptions {
                backend: name.clone(),
                from: opts.from,
                to: opts.to,
                config: opts.config,
                timeout: opts.timeout.or(Some(10.0)),
                retries: Some(0),
                ..BackendOptions::default()
            };
        } else {
            opts.retries = Some(0);
            opts.timeout = opts.timeout.or(Some(10.0));
        }
        match build_with_config(&opts, &config) {
            Err(e) => {
                all_ok = false;
                out.push_str(&format!("{name}\tunusable: {e}\n"));
            }
            Ok(built) => {
                for (target, status) in runtime.block_on(built.check()) {
                    let status = match status {
                        Ok(s) => s,
                        Err(e) => {
                            all_ok = false;
                            format!("does not answer: {e}")
                        }
                    };
                    out.push_str(&format!("{name}\t{}\t{target}\t{status}\n", built.kind));
                }
            }
        }
    }
    write_stdout(&out)?;
    if all_ok {
        Ok(())
    } else {
        Err(CliError::failure("some backends do not answer"))
    }
}
