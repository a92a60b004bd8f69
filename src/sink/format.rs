//! The corpus formats selaras writes, by name.

use super::CorpusError;

/// One output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CorpusFormat {
    /// `pairs.jsonl`: one JSON object per pair.
    Jsonl,
    /// `pairs.tsv`: `src<TAB>tgt<TAB>doc_id<TAB>score<TAB>flags`.
    Tsv,
    /// Moses `corpus.<src>` + `corpus.<tgt>`: line n of each is a pair.
    Moses,
    /// `corpus.tmx`: TMX 1.4b translation memory.
    Tmx,
    /// `report.html`: the self-contained review page.
    Html,
}

impl CorpusFormat {
    /// Every format, in the order of the default `--formats` list.
    pub const ALL: [CorpusFormat; 5] = [
        CorpusFormat::Jsonl,
        CorpusFormat::Tsv,
        CorpusFormat::Moses,
        CorpusFormat::Tmx,
        CorpusFormat::Html,
    ];

    /// The name used in `--formats`.
    pub fn name(self) -> &'static str {
        match self {
            CorpusFormat::Jsonl => "jsonl",
            CorpusFormat::Tsv => "tsv",
            CorpusFormat::Moses => "moses",
            CorpusFormat::Tmx => "tmx",
            CorpusFormat::Html => "html",
        }
    }

    fn known_names(sep: &str) -> String {
        Self::ALL.map(Self::name).join(sep)
    }
}

impl std::str::FromStr for CorpusFormat {
    type Err = CorpusError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let wanted = name.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|f| f.name() == wanted)
            .ok_or_else(|| CorpusError::UnknownFormat {
                name: name.trim().to_string(),
                known: Self::known_names(", "),
            })
    }
}

impl std::fmt::Display for CorpusFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Parses a comma-separated format list; duplicates are kept once, in first-seen order.
pub fn parse_formats(list: &str) -> Result<Vec<CorpusFormat>, CorpusError> {
    let mut formats = Vec::new();
    for name in list.split(',').filter(|n| !n.trim().is_empty()) {
        let format: CorpusFormat = name.parse()?;
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    if formats.is_empty() {
        return Err(CorpusError::NoFormat {
            known: CorpusFormat::known_names(", "),
        });
    }
    Ok(formats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists() {
        assert_eq!(
            parse_formats(" TMX, jsonl,tmx ,").unwrap(),
            [CorpusFormat::Tmx, CorpusFormat::Jsonl]
        );
        assert_eq!(
            parse_formats("jsonl,tsv,moses,tmx,html").unwrap(),
            CorpusFormat::ALL
        );
        assert!(parse_formats(" , ")
            .unwrap_err()
            .to_string()
            .contains("no corpus format"));
        assert!(parse_formats("csv")
            .unwrap_err()
            .to_string()
            .contains("unknown corpus format `csv`"));
    }
}
