//! `selaras review`: the review app over a finished run folder, or its counts.

use super::{runtime, write_stdout, CliError, CliResult};
use selaras::review::server::{self, ServerConfig};
use selaras::review::{Review, ReviewError};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Arguments of `selaras review`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  selaras review out\n  \
selaras review out --reviewer ana --addr 127.0.0.1:8090\n  \
SELARAS_REVIEW_TOKEN=$(openssl rand -hex 16) selaras review out --addr 0.0.0.0:8080\n  \
selaras review out --summary\n\n\
Open the printed URL in a browser. Keys: j/k move, a accept, r reject, e edit, Enter save and\n\
next, u undo, ? help. Decisions are saved in OUT/review.sqlite as they are made; a rerun of\n\
`selaras run` keeps them for the pairs whose text did not change. The JSON API is described in\n\
docs/review.md. On an address other than loopback every request needs the token (one is made\n\
when --token is not given); the URL printed carries it.")]
pub struct ReviewArgs {
    /// The output folder of `selaras run`.
    pub out: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Name saved with each decision [default: $USER].
    #[arg(long)]
    pub reviewer: Option<String>,
    /// Token every request must carry (required off loopback; made up when not given there).
    #[arg(long, env = "SELARAS_REVIEW_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Print the counts (reviewed, accepted, rejected, pending, stale) and exit.
    #[arg(long)]
    pub summary: bool,
}

impl From<ReviewError> for CliError {
    fn from(err: ReviewError) -> Self {
        match err {
            ReviewError::Corpus(_) => CliError::failure(err.to_string()),
            _ => CliError::bad_input(err.to_string()),
        }
    }
}

/// Run `selaras review`.
pub fn run(args: ReviewArgs) -> CliResult {
    if args.summary {
        let review = Review::open_existing(&args.out)?;
        return write_stdout(&review.summary().to_text());
    }
    let token = match (&args.token, args.addr.ip().is_loopback()) {
        (Some(token), _) if token.trim().is_empty() => {
            return Err(CliError::bad_input("--token is empty"))
        }
        (Some(token), _) => Some(token.trim().to_string()),
        (None, true) => None,
        (None, false) => Some(
            server::new_token()
                .map_err(|e| CliError::failure(format!("cannot make a token: {e}")))?,
        ),
    };
    let reviewer = args
        .reviewer
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "reviewer".to_string());
    let review = Review::open(&args.out)?;
    let pairs = review.len();
    runtime()?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| CliError::failure(format!("cannot listen on {}: {e}", args.addr)))?;
        let addr = listener.local_addr()?;
        let config = ServerConfig {
            token: token.clone(),
            loopback: addr.ip().is_loopback(),
            port: addr.port(),
            reviewer: reviewer.clone(),
        };
        let router = server::router(review, config);
        let host = if addr.ip().is_unspecified() {
            eprintln!(
                "selaras: listening on every address: from another machine, use its name or \
                 address instead of {}",
                std::net::Ipv4Addr::LOCALHOST
            );
            SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, addr.port()))
        } else {
            addr
        };
        let query = token.map(|t| format!("?token={t}")).unwrap_or_default();
        eprintln!(
            "selaras: reviewing {pairs} pairs of {} as {reviewer}; Ctrl-C stops",
            args.out.display()
        );
        write_stdout(&format!("http://{host}/{query}\n"))?;
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        server::serve(listener, router, shutdown)
            .await
            .map_err(|e| CliError::failure(format!("the server stopped: {e}")))
    })
}
