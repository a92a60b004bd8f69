//! `selaras backends`: the configured translation backends and whether each answers.

use std::time::Duration;

use super::backend_args::{build, BackendArgs};
use super::{write_stdout, CliError, CliResult};
use selaras::translate::select::{resolve, BackendChoice};
use selaras::translate::spec::BackendSpec;

/// Arguments of `selaras backends`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  selaras backends\n  selaras backends --config team.toml --timeout 5s\n  selaras backends --backend libretranslate --endpoint http://localhost:5000\n\nLists every backend named in selaras.toml (plus the one given with --backend, if any) and checks\nwhether it answers, without retries (timeout 10s unless --timeout). Exit code 1 when one does not."
)]
pub struct BackendsArgs {
    /// A backend to check besides the configured ones, and the config file.
    #[command(flatten)]
    pub backend: BackendArgs,
}

/// Run `selaras backends`.
pub fn run(args: BackendsArgs) -> CliResult {
    let flags = &args.backend;
    let config = flags.load_config()?;
    let explicit = flags.choice();
    let explicit =
        (explicit != BackendChoice::Auto || !flags.endpoint.is_empty()).then_some(explicit);
    let mut names: Vec<String> = config.backends.keys().cloned().collect();
    let extra = explicit
        .as_ref()
        .map(|c| c.to_string())
        .filter(|n| !names.contains(n));
    names.extend(extra);
    let mut out = String::new();
    match &config.path {
        Some(p) => out.push_str(&format!("config: {}\n", p.display())),
        None => out.push_str(
            "config: none found (selaras.toml, $SELARAS_CONFIG, ~/.config/selaras/selaras.toml)\n",
        ),
    }
    if names.is_empty() {
        out.push_str("no backends configured; built-in kinds: libretranslate (--endpoint), openai (--endpoint --openai-model), command (--command)\n");
        return write_stdout(&out);
    }
    let runtime = super::runtime()?;
    let (mut all_ok, timeout) = (true, flags.timeout.unwrap_or(Duration::from_secs(10)));
    for name in names {
        // Configured backends are checked as configured, without the command-line overrides.
        let built = match &explicit {
            Some(choice) if choice.to_string() == name => flags.chosen(choice, &config),
            _ => resolve(
                &BackendChoice::Named(name.clone()),
                &config,
                &flags.from,
                &flags.to,
            )
            .map_err(|e| CliError::bad_input(e.to_string())),
        }
        .and_then(|chosen| {
            let mut chosen = chosen.ok_or_else(|| CliError::bad_input("nothing to check"))?;
            quick(&mut chosen.spec, timeout);
            build(chosen, &flags.from, &flags.to)
        });
        let built = match built {
            Ok(built) => built,
            Err(e) => {
                all_ok = false;
                out.push_str(&format!("{name}\tunusable: {}\n", e.message));
                continue;
            }
        };
        for (target, status) in runtime.block_on(built.health.check()) {
            let status = status.unwrap_or_else(|e| {
                all_ok = false;
                format!("does not answer: {e}")
            });
            let kind = built.spec.kind();
            out.push_str(&format!("{name}\t{kind}\t{target}\t{status}\n"));
        }
    }
    write_stdout(&out)?;
    if all_ok {
        Ok(())
    } else {
        Err(CliError::failure("some backends do not answer"))
    }
}

/// No retries and a short timeout: a check should answer quickly.
fn quick(spec: &mut BackendSpec, timeout: Duration) {
    if let Some(http) = spec.http_mut() {
        http.limits.retries = 0;
        http.limits.timeout = timeout;
    }
    if let BackendSpec::Command(command) = spec {
        command.timeout = timeout;
    }
}
