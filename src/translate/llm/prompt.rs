//! Few-shot prompt templates for the `llm` backend.
//!
//! A template file holds one or more variants separated by a line `===`; lines starting with
//! `#` are comments. Each variant is text with exactly one `{source}` placeholder; the text
//! before the placeholder (up to its last non-blank character) is the shared prefix, evaluated
//! once with its KV cache reused; the rest is filled in and evaluated per sentence, so it should
//! be short. The model continues right after the variant's end.

/// The default Indonesian→English template (neutral few-shot examples, two variants).
pub const DEFAULT_ID_EN: &str = include_str!("prompts/id-en.txt");

/// The placeholder replaced by the source sentence.
pub const PLACEHOLDER: &str = "{source}";

/// One prompt variant, split into the shared prefix and the per-sentence part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptVariant {
    /// Text before `{source}` without the blanks that precede it (the same for every sentence;
    /// a token never ends in a blank that the next word would take, so the prefix's tokens are
    /// those the whole prompt starts with).
    pub prefix: String,
    /// From those blanks to the end, still holding `{source}`.
    pub suffix: String,
}

impl PromptVariant {
    /// The per-sentence part for `source` (line breaks in the source become spaces).
    pub fn suffix_for(&self, source: &str) -> String {
        let one_line = source.split_whitespace().collect::<Vec<_>>().join(" ");
        self.suffix.replacen(PLACEHOLDER, &one_line, 1)
    }

    /// The whole prompt for `source`.
    pub fn full(&self, source: &str) -> String {
        format!("{}{}", self.prefix, self.suffix_for(source))
    }
}

/// A parsed template: the variants in order (the first one is the default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptTemplate {
    /// The variants, at least one.
    pub variants: Vec<PromptVariant>,
}

impl PromptTemplate {
    /// Parse a template; `origin` names it in errors (a file path or "default prompt").
    pub fn parse(text: &str, origin: &str) -> Result<Self, String> {
        let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
        for line in text.lines() {
            if line.trim_end() == "===" {
                blocks.push(Vec::new());
            } else if !line.starts_with('#') {
                blocks.last_mut().expect("one block").push(line);
            }
        }
        let mut variants = Vec::new();
        for (n, block) in blocks.iter().enumerate() {
            let body = block.join("\n");
            let body = body.trim_matches('\n');
            let count = body.matches(PLACEHOLDER).count();
            if count != 1 {
                return Err(format!(
                    "{origin}: variant {} must hold {PLACEHOLDER} exactly once (found {count} times)",
                    n + 1
                ));
            }
            let at = body.find(PLACEHOLDER).expect("placeholder present");
            let split = body[..at].trim_end_matches([' ', '\t']).len();
            variants.push(PromptVariant {
                prefix: body[..split].to_string(),
                suffix: body[split..].trim_end().to_string(),
            });
        }
        Ok(PromptTemplate { variants })
    }

    /// The default Indonesian→English template.
    pub fn default_id_en() -> Self {
        Self::parse(DEFAULT_ID_EN, "default prompt").expect("the default prompt is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_prefix_and_suffix_before_the_placeholder() {
        let t = PromptTemplate::parse("# note\nA: x\nB: y\n\nA: {source}\nB:\n", "t").unwrap();
        assert_eq!(t.variants.len(), 1);
        assert_eq!(t.variants[0].prefix, "A: x\nB: y\n\nA:");
        assert_eq!(t.variants[0].suffix_for("halo\ndunia"), " halo dunia\nB:");
        assert_eq!(t.variants[0].full("z"), "A: x\nB: y\n\nA: z\nB:");
    }

    #[test]
    fn reads_variants_and_rejects_bad_ones() {
        let t = PromptTemplate::parse("A: {source}\nB:\n===\nC: {source}\nD:", "t").unwrap();
        assert_eq!(t.variants.len(), 2);
        assert_eq!(t.variants[1].prefix, "C:");
        let err = PromptTemplate::parse("A: x\n===\nA: {source}", "my.txt").unwrap_err();
        assert!(err.contains("my.txt: variant 1"), "{err}");
        assert!(PromptTemplate::parse("{source} {source}", "t").is_err());
    }

    #[test]
    fn default_prompt_has_two_variants_ending_with_english() {
        let t = PromptTemplate::default_id_en();
        assert_eq!(t.variants.len(), 2);
        for v in &t.variants {
            assert!(v.prefix.ends_with("\n\nIndonesian:"));
            assert_eq!(v.suffix, " {source}\nEnglish:");
        }
    }
}
