//! Settings of the command backend (`type = "command"`) and how it is built.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use super::duration;
use super::health::HealthCheck;
use crate::translate::command::{CommandMode, CommandTranslator};

/// `type = "command"`: a program reading and writing one sentence per line (run with `sh -c`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CommandSpec {
    /// Program and arguments.
    pub command: String,
    /// Run the program once per batch or keep one process running.
    #[serde(rename = "command_mode")]
    pub mode: CommandMode,
    /// Time allowed for one batch.
    #[serde(deserialize_with = "duration::deserialize")]
    pub timeout: Duration,
    /// Processes at once [default: 2 per-batch, 1 persistent].
    #[serde(rename = "concurrency")]
    pub jobs: Option<usize>,
    /// Sentences per batch.
    pub batch_size: usize,
}

impl Default for CommandSpec {
    fn default() -> Self {
        CommandSpec {
            command: String::new(),
            mode: CommandMode::PerBatch,
            timeout: Duration::from_secs(600),
            jobs: None,
            batch_size: 16,
        }
    }
}

impl CommandSpec {
    /// Processes at once: per-batch processes are cheap to run two at a time; a persistent one
    /// may hold a model.
    pub fn jobs(&self) -> usize {
        let default = match self.mode {
            CommandMode::PerBatch => 2,
            CommandMode::Persistent => 1,
        };
        self.jobs.unwrap_or(default).max(1)
    }

    /// Build the translator for `from` → `to`.
    pub fn build(&self, from: &str, to: &str) -> super::Built {
        let backend = Arc::new(CommandTranslator::new(
            &self.command,
            self.mode,
            self.timeout,
            self.jobs(),
            from,
            to,
        )?);
        let check = HealthCheck::translate(backend.clone(), self.command.clone());
        Ok((backend, check))
    }
}
