//! The run fingerprint: every setting that decides a document's result, hashed.
//!
//! A stored result is reused only under the same fingerprint hash (and the same input hash,
//! see [`super::state`]); `.selaras/run.json` shows the fingerprint to humans.

use super::pairing::{Pairing, MIN_MT_SIMILARITY};
use super::RunConfig;
use crate::align::AlignConfig;
use crate::model::Glossary;
use crate::quality::QualityConfig;
use crate::translate::Translator;
use sha2::{Digest, Sha256};

/// Version of the stored results and of this fingerprint's fields.
const FORMAT: u32 = 2;

/// The settings that decide a document's result (its JSON is `.selaras/run.json`).
/// A change in how results are made (beyond these settings) must raise the format version.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunFingerprint {
    /// Version of the stored results' format.
    pub format: u32,
    /// The translator's identity (backend, model, decoding options) or `none`.
    pub translator: String,
    /// Source language code.
    pub src_lang: String,
    /// Target language code.
    pub tgt_lang: String,
    /// Whether documents are aligned with human translations from `--tgt-dir`.
    pub tgt_dir: bool,
    /// Every aligner setting (with `--tgt-dir` only: otherwise nothing is aligned).
    pub align: Option<AlignConfig>,
    /// Every quality-flag setting.
    pub quality: QualityConfig,
    /// Similarity below which a machine-translated pair is flagged `low_score`.
    pub min_mt_similarity: f32,
    /// Fingerprint of the glossary's entries, or `none`.
    pub glossary: String,
    /// Whether sentence embeddings are used (`--no-embed` or no model installed: false).
    pub embeddings: bool,
    /// SHA-256 of the e5 model file's bytes, or `none`.
    pub e5_model: String,
}

impl RunFingerprint {
    /// The fingerprint of a run, from what `pairing` loaded (glossary, e5 model).
    pub fn new(config: &RunConfig, translator: Option<&dyn Translator>, pairing: &Pairing) -> Self {
        let checker = pairing.checker();
        let none = || "none".to_string();
        RunFingerprint {
            format: FORMAT,
            translator: translator.map_or_else(none, |t| t.identity()),
            src_lang: config.src_lang.clone(),
            tgt_lang: config.tgt_lang.clone(),
            tgt_dir: config.tgt_dir.is_some(),
            align: config
                .tgt_dir
                .as_ref()
                .map(|_| pairing.aligner().config().clone()),
            quality: checker.config().clone(),
            min_mt_similarity: MIN_MT_SIMILARITY,
            glossary: checker.glossary().map_or_else(none, Glossary::fingerprint),
            embeddings: pairing.e5().is_some(),
            e5_model: pairing.e5().map_or_else(none, |m| m.sha256().to_string()),
        }
    }

    /// The fingerprint as pretty JSON (for `.selaras/run.json`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// SHA-256 of the fingerprint's JSON, in hex.
    pub fn hash(&self) -> String {
        sha256_hex(self.to_json().as_bytes())
    }
}

/// SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_change_the_hash() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = super::super::tests::config(dir.path(), dir.path());
        let fingerprint = |c: &RunConfig| RunFingerprint::new(c, None, &Pairing::new(c).unwrap());
        let base = fingerprint(&config);
        assert_eq!(
            (base.align.as_ref(), base.e5_model.as_str()),
            (None, "none")
        );
        config.pairing.align.skip_cost += 0.1;
        assert_eq!(fingerprint(&config), base, "no alignment without --tgt-dir");
        config.tgt_dir = Some(dir.path().into());
        let aligned = fingerprint(&config);
        config.pairing.align.merge_penalty += 0.1;
        assert_ne!(fingerprint(&config).hash(), aligned.hash());
        let glossary = dir.path().join("g.tsv");
        std::fs::write(&glossary, "presiden\tpresident\n").unwrap();
        config.pairing.glossary = Some(glossary);
        assert_ne!(fingerprint(&config).glossary, "none");
    }
}
