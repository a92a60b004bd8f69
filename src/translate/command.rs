//! Command backend with Bitextor's contract: a program reads one sentence per line on stdin and
//! writes exactly as many lines to stdout. Either one process per batch (any program works) or
//! one long-lived process fed batch after batch (the program must flush each line).

use std::process::Stdio;
use std::time::Duration;

use async_trait::async_trait;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::{Mutex, Semaphore};

use super::{TranslateError, Translator};
use crate::text::line::{lines_of, one_line};

named_enum! {
    /// How the program is run.
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum CommandMode ("command mode") {
        /// A new process for every batch; its stdin is closed after the batch.
        PerBatch = "per-batch",
        /// One process kept running; it must answer each line without waiting for end of input.
        Persistent = "persistent",
    }
}

/// A translator that runs a shell command.
#[derive(Debug)]
pub struct CommandTranslator {
    command: String,
    mode: CommandMode,
    timeout: Duration,
    source: String,
    target: String,
    jobs: Semaphore,
    /// Long-lived processes (persistent mode), one slot per job, started on first use.
    processes: Vec<Mutex<Option<Running>>>,
}

#[derive(Debug)]
struct Running {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl CommandTranslator {
    /// A backend running `command` through `sh -c`; `jobs` processes at most at once (in
    /// persistent mode, `jobs` long-lived processes); `timeout` per batch.
    pub fn new(
        command: &str,
        mode: CommandMode,
        timeout: Duration,
        jobs: usize,
        source: &str,
        target: &str,
    ) -> Result<CommandTranslator, TranslateError> {
        if command.trim().is_empty() {
            return Err(TranslateError::Config(
                "the command backend needs a program (--command 'PROGRAM ARGS')".into(),
            ));
        }
        Ok(CommandTranslator {
            command: command.to_string(),
            mode,
            timeout,
            source: source.to_string(),
            target: target.to_string(),
            jobs: Semaphore::new(jobs.max(1)),
            processes: (0..jobs.max(1)).map(|_| Mutex::new(None)).collect(),
        })
    }

    fn spawn(&self, stderr: Stdio) -> Result<Child, TranslateError> {
        Command::new("sh")
            .arg("-c")
            .arg(&self.command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| TranslateError::io(format!("command '{}': cannot start", self.command), e))
    }

    async fn per_batch(&self, input: String, n: usize) -> Result<Vec<String>, TranslateError> {
        let _job = self.jobs.acquire().await.map_err(closed)?;
        let mut child = self.spawn(Stdio::piped())?;
        let stdin = child.stdin.take();
        let write = async {
            if let Some(mut w) = stdin {
                // A program may exit without reading everything: that shows as a line count error.
                let _ = w.write_all(input.as_bytes()).await;
                let _ = w.shutdown().await;
            }
        };
        let run = async { tokio::join!(write, child.wait_with_output()).1 };
        let output = match tokio::time::timeout(self.timeout, run).await {
            Err(_) => {
                return Err(TranslateError::Backend(format!(
                    "command '{}': no answer within {:?} for a batch of {n} lines",
                    self.command, self.timeout
                )))
            }
            Ok(Err(e)) => return Err(TranslateError::io(format!("command '{}'", self.command), e)),
            Ok(Ok(output)) => output,
        };
        let err_tail = stderr_tail(&output.stderr);
        if !output.status.success() {
            return Err(TranslateError::Backend(format!(
                "command '{}' failed ({}){err_tail}",
                self.command, output.status
            )));
        }
        let text = String::from_utf8(output.stdout).map_err(|e| {
            TranslateError::Backend(format!(
                "command '{}' wrote invalid UTF-8 at byte offset {}",
                self.command,
                e.utf8_error().valid_up_to()
            ))
        })?;
        let lines = lines_of(&text);
        if lines.len() != n {
            // The program breaks the line contract: its output cannot be trusted, for any batch.
            return Err(TranslateError::Config(format!(
                "command '{}' wrote {} lines for {n} input lines (it must write exactly one line per input line){err_tail}",
                self.command,
                lines.len()
            )));
        }
        Ok(lines)
    }

    /// Start the long-lived process of persistent mode.
    fn start(&self) -> Result<Running, TranslateError> {
        let mut child = self.spawn(Stdio::inherit())?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let problem = format!("command '{}': no pipes", self.command);
            return Err(TranslateError::Backend(problem));
        };
        let stdout = BufReader::new(stdout);
        Ok(Running {
            child,
            stdin,
            stdout,
        })
    }

    async fn persistent(&self, input: String, n: usize) -> Result<Vec<String>, TranslateError> {
        let _job = self.jobs.acquire().await.map_err(closed)?;
        // With a job permit held, at least one slot is free.
        let mut guard = match self.processes.iter().find_map(|slot| slot.try_lock().ok()) {
            Some(guard) => guard,
            None => self.processes[0].lock().await,
        };
        let running = match guard.take() {
            Some(running) => running,
            None => self.start()?,
        };
        let running = guard.insert(running);
        let mut lines = Vec::with_capacity(n);
        let exchange = async {
            let write = async {
                running.stdin.write_all(input.as_bytes()).await?;
                running.stdin.flush().await
            };
            let read = async {
                let mut line = Vec::new();
                while lines.len() < n {
                    line.clear();
                    if running.stdout.read_until(b'\n', &mut line).await? == 0 {
                        return Ok::<_, std::io::Error>(false);
                    }
                    let text = String::from_utf8_lossy(&line);
                    lines.push(text.trim_end_matches(['\n', '\r']).to_string());
                }
                Ok(true)
            };
            let (w, r) = tokio::join!(write, read);
            w.and(r)
        };
        let outcome = tokio::time::timeout(self.timeout, exchange).await;
        let problem = match outcome {
            Ok(Ok(true)) => None,
            Ok(Ok(false)) => Some(format!(
                "command '{}' ended after {} of {n} lines",
                self.command,
                lines.len()
            )),
            Ok(Err(e)) => Some(format!("command '{}': {e}", self.command)),
            Err(_) => Some(format!(
                "command '{}' answered {} of {n} lines within {:?} (in persistent mode the program must \
                 flush every line, e.g. `sed -u`; otherwise use --command-mode per-batch)",
                self.command,
                lines.len(),
                self.timeout
            )),
        };
        if let Some(message) = problem {
            // The process is out of step with us: replace it on the next batch.
            if let Some(mut old) = guard.take() {
                let _ = old.child.start_kill();
            }
            return Err(TranslateError::Backend(message));
        }
        Ok(lines)
    }
}

fn closed(e: tokio::sync::AcquireError) -> TranslateError {
    TranslateError::Backend(format!("the command backend was shut down: {e}"))
}

/// Output text → lines (a final newline does not start another line; `\r\n` accepted).
fn stderr_tail(err: &[u8]) -> String {
    let text = String::from_utf8_lossy(err);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return String::new();
    }
    let tail = &lines[lines.len().saturating_sub(3)..];
    format!("; its stderr ends: {}", tail.join(" | "))
}

#[async_trait]
impl Translator for CommandTranslator {
    fn identity(&self) -> String {
        format!("command:{}", self.command)
    }

    fn langs(&self) -> (&str, &str) {
        (&self.source, &self.target)
    }

    async fn translate(&self, batch: &[String]) -> Result<Vec<String>, TranslateError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let mut input = String::new();
        for sentence in batch {
            input.push_str(&one_line(sentence));
            input.push('\n');
        }
        match self.mode {
            CommandMode::PerBatch => self.per_batch(input, batch.len()).await,
            CommandMode::Persistent => self.persistent(input, batch.len()).await,
        }
    }
}
