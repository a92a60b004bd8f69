//! `selaras align`.

use super::{write_stdout, CliError, CliResult};
use selaras::align::vecalign::format_blocks;
use selaras::align::{run_texts, AlignConfig, AlignInputs, Aligner, Method, SideEmbeddings};
use selaras::embed::e5::{default_model_path, E5Model};
use selaras::text::input::read_text;
use std::path::PathBuf;

/// Arguments of `selaras align`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  selaras align doc.id doc.en --method embed --e5-model models/e5-small-q4.bin > doc.align\n  \
selaras align doc.id doc.en --method mt --src-mt doc.id.mt.en"
)]
pub struct AlignArgs {
    /// Source sentences, one per line.
    pub src: String,
    /// Target sentences, one per line.
    pub tgt: String,
    /// Score to align with: auto, length, mt or embed; `auto` combines embeddings (if the
    /// model is installed), the translation given with --src-mt, and lengths.
    #[arg(long, default_value = "auto")]
    pub method: Method,
    /// Machine translation of SRC into the target language, one line per source line.
    #[arg(long)]
    pub src_mt: Option<String>,
    /// Largest block: up to N sentences on a side (a + b ≤ N + 1), plus unaligned sentences.
    #[arg(long, default_value_t = 3)]
    pub max_block: usize,
    /// Cost of leaving a sentence unaligned (higher: fewer unaligned sentences).
    #[arg(long, default_value_t = AlignConfig::default().skip_cost)]
    pub skip_cost: f32,
    /// Extra cost per sentence beyond 1-1 in a block (lower: more merges such as 2-1).
    #[arg(long, default_value_t = AlignConfig::default().merge_penalty)]
    pub merge_penalty: f32,
    /// Write each unaligned sentence as its own block instead of joining neighbours.
    #[arg(long)]
    pub no_group_unaligned: bool,
    /// e5 model file [default: $SELARAS_E5_MODEL or models/e5-small-q4.bin].
    #[arg(long, alias = "model", value_name = "PATH")]
    pub e5_model: Option<PathBuf>,
    /// Folder caching the embeddings of each side (reused when the same text is aligned again).
    #[arg(long)]
    pub emb_cache: Option<PathBuf>,
    /// Threads for embedding (0: all cores).
    #[arg(long, alias = "threads", default_value_t = 0)]
    pub e5_threads: usize,
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

/// Run `selaras align`: vecalign blocks to stdout.
pub fn run(args: AlignArgs) -> CliResult {
    let src = lines(&read_text(&args.src, false)?);
    let tgt = lines(&read_text(&args.tgt, false)?);
    let src_mt = match &args.src_mt {
        Some(p) => {
            let mt = lines(&read_text(p, false)?);
            if mt.len() != src.len() {
                return Err(CliError::bad_input(format!(
                    "{p}: {} lines, but {} has {} sentences",
                    mt.len(),
                    args.src,
                    src.len()
                )));
            }
            Some(mt)
        }
        None => None,
    };
    if !(1..=8).contains(&args.max_block) {
        return Err(CliError::bad_input(format!(
            "--max-block {} is out of range 1..=8",
            args.max_block
        )));
    }
    if args.method == Method::Mt && src_mt.is_none() {
        return Err(CliError::bad_input("--method mt needs --src-mt FILE"));
    }
    let aligner = Aligner::new(AlignConfig {
        method: args.method,
        max_block: args.max_block,
        skip_cost: args.skip_cost,
        merge_penalty: args.merge_penalty,
        group_unaligned: !args.no_group_unaligned,
        ..AlignConfig::default()
    });
    let model_path = args.e5_model.clone().unwrap_or_else(default_model_path);
    let want_emb = match args.method {
        Method::Embed => true,
        Method::Auto => model_path.exists(),
        _ => false,
    };
    if args.method == Method::Auto && !want_emb {
        eprintln!(
            "selaras: {} not found (run scripts/fetch-models); aligning without embeddings",
            model_path.display()
        );
    }
    let emb = if want_emb {
        let mut model = None;
        let run = aligner.max_run();
        let mut side = |sentences: &[String]| -> Result<SideEmbeddings, CliError> {
            let texts = run_texts(sentences, run);
            let cache = args
                .emb_cache
                .as_ref()
                .map(|d| d.join(cache_name(&model_path, &texts)));
            let vectors = match cache.as_ref().and_then(|c| read_cache(c, texts.len())) {
                Some(v) => v,
                None if texts.is_empty() => vec![],
                None => {
                    if model.is_none() {
                        model = Some(
                            E5Model::load(&model_path, args.e5_threads)
                                .map_err(|e| CliError::failure(e.to_string()))?,
                        );
                    }
                    let v = model
                        .as_ref()
                        .map(|m| m.embed_sync(&texts))
                        .unwrap_or_default();
                    if let Some(c) = &cache {
                        write_cache(c, &v)?;
                    }
                    v
                }
            };
            SideEmbeddings::from_vectors(sentences.len(), run, vectors)
                .map_err(|e| CliError::failure(e.to_string()))
        };
        Some((side(&src)?, side(&tgt)?))
    } else {
        None
    };
    let inputs = AlignInputs {
        src_mt: src_mt.as_deref(),
        src_emb: emb.as_ref().map(|e| &e.0),
        tgt_emb: emb.as_ref().map(|e| &e.1),
        anchors: &[],
    };
    let blocks = aligner
        .align(&src, &tgt, &inputs)
        .map_err(|e| CliError::bad_input(format!("{} / {}: {e}", args.src, args.tgt)))?;
    write_stdout(&format_blocks(&blocks))
}

fn cache_name(model: &std::path::Path, texts: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let size = std::fs::metadata(model).map_or(0, |m| m.len());
    let tag = format!("{}:{size}:{}", model.display(), env!("CARGO_PKG_VERSION"));
    for t in std::iter::once(&tag).chain(texts) {
        for b in t.bytes().chain([0u8]) {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }
    format!("e5-{h:016x}-{}.f32", texts.len())
}

fn read_cache(path: &std::path::Path, n: usize) -> Option<Vec<Vec<f32>>> {
    let bytes = std::fs::read(path).ok()?;
    if n == 0 || bytes.len() % (4 * n) != 0 {
        return None;
    }
    let dim = bytes.len() / 4 / n;
    let flat: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Some(flat.chunks(dim).map(|c| c.to_vec()).collect())
}

fn write_cache(path: &std::path::Path, vectors: &[Vec<f32>]) -> CliResult {
    let bytes: Vec<u8> = vectors
        .iter()
        .flatten()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    selaras::text::atomic::write_atomic(path, &bytes).map_err(std::io::Error::from)?;
    Ok(())
}
