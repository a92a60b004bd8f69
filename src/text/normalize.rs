//! Unicode and whitespace normalization: the first stage of the pipeline.
//!
//! NFC; BOM, zero-width, format and control characters removed (`\n` and `\t` kept);
//! CRLF/CR → LF; non-breaking and other odd spaces → a plain space; runs of spaces
//! collapsed; spaces at line ends trimmed; paragraph breaks kept as one blank line.
//! Typographic quotes and dashes are left alone.

use std::fmt;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// What normalization changed, by kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NormalizeStats {
    /// Characters changed by Unicode NFC composition.
    pub nfc_composed: usize,
    /// Byte-order marks removed.
    pub bom: usize,
    /// Zero-width and invisible format characters removed (ZWSP, ZWJ, soft hyphen, bidi marks...).
    pub zero_width: usize,
    /// Control characters removed.
    pub control: usize,
    /// CRLF or CR line endings turned into LF.
    pub line_endings: usize,
    /// Non-breaking and other odd spaces turned into a plain space.
    pub odd_spaces: usize,
    /// Extra spaces removed from runs of spaces.
    pub collapsed_spaces: usize,
    /// Spaces removed at the start or end of a line.
    pub trimmed_spaces: usize,
    /// Extra blank lines removed between paragraphs (or at the start and end).
    pub extra_blank_lines: usize,
}

impl NormalizeStats {
    /// `(kind, count)` for every kind, in a fixed order.
    pub fn entries(&self) -> [(&'static str, usize); 9] {
        [
            ("nfc_composed", self.nfc_composed),
            ("bom", self.bom),
            ("zero_width", self.zero_width),
            ("control", self.control),
            ("line_endings", self.line_endings),
            ("odd_spaces", self.odd_spaces),
            ("collapsed_spaces", self.collapsed_spaces),
            ("trimmed_spaces", self.trimmed_spaces),
            ("extra_blank_lines", self.extra_blank_lines),
        ]
    }

    /// Total number of changes.
    pub fn total(&self) -> usize {
        self.entries().iter().map(|(_, n)| n).sum()
    }
}

impl fmt::Display for NormalizeStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (kind, n) in self.entries() {
            writeln!(f, "{kind}\t{n}")?;
        }
        Ok(())
    }
}

/// Normalize `input`, returning the normalized text and what was changed.
///
/// The output is empty for input without visible content; otherwise it ends in one `\n`.
pub fn normalize(input: &str) -> (String, NormalizeStats) {
    let mut stats = NormalizeStats::default();
    let mut out = String::with_capacity(input.len() + 1);
    let mut pending_spaces = 0usize; // spaces seen since the last kept character
    let mut pending_newlines = 0usize; // newlines seen since the last kept character
    let mut line_start = true;
    let mut chars = input.chars().peekable();
    let mut first = true;
    while let Some(mut c) = chars.next() {
        if c == '\r' {
            stats.line_endings += 1;
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            c = '\n';
        }
        let at_text_start = std::mem::replace(&mut first, false);
        match c {
            // Line and paragraph separators behave as line breaks.
            '\n' | '\u{2028}' | '\u{2029}' | '\u{0085}' | '\u{000B}' | '\u{000C}' => {
                stats.trimmed_spaces += pending_spaces;
                pending_spaces = 0;
                pending_newlines += 1;
            }
            ' ' => pending_spaces += 1,
            '\u{FEFF}' if at_text_start => stats.bom += 1,
            '\u{00A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}' => {
                stats.odd_spaces += 1;
                pending_spaces += 1;
            }
            '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}' => stats.zero_width += 1,
            c if c.is_control() && c != '\t' => stats.control += 1,
            c => {
                if pending_newlines > 0 {
                    if out.is_empty() {
                        stats.extra_blank_lines += pending_newlines;
                    } else {
                        let kept = pending_newlines.min(2);
                        stats.extra_blank_lines += pending_newlines - kept;
                        out.extend(std::iter::repeat_n('\n', kept));
                    }
                    pending_newlines = 0;
                    line_start = true;
                }
                if pending_spaces > 0 {
                    if line_start {
                        stats.trimmed_spaces += pending_spaces;
                    } else {
                        stats.collapsed_spaces += pending_spaces - 1;
                        out.push(' ');
                    }
                    pending_spaces = 0;
                }
                out.push(c);
                line_start = false;
            }
        }
    }
    stats.trimmed_spaces += pending_spaces;
    if !out.is_empty() {
        out.push('\n');
        stats.extra_blank_lines += pending_newlines.saturating_sub(1);
    }
    // Composition runs last: removing invisible characters can bring combining marks
    // next to their base character.
    if is_nfc_quick(out.chars()) != IsNormalized::Yes {
        let composed: String = out.nfc().collect();
        stats.nfc_composed = count_changed_chars(&out, &composed);
        out = composed;
    }
    (out, stats)
}

/// Rough count of characters NFC changed: the difference in length plus changed positions.
fn count_changed_chars(before: &str, after: &str) -> usize {
    if before == after {
        return 0;
    }
    let a: Vec<char> = before.chars().collect();
    let b: Vec<char> = after.chars().collect();
    let same_prefix = a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
    let same_suffix = a[same_prefix..]
        .iter()
        .rev()
        .zip(b[same_prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (b.len() - same_prefix - same_suffix).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn composes_and_cleans() {
        let (out, stats) = normalize(
            "\u{FEFF}Cafe\u{301}\u{00A0} dan\u{200B}  teh.\r\n\r\n\r\n\r\nBaru\u{0007}.  \r",
        );
        assert_eq!(out, "Café dan teh.\n\nBaru.\n");
        assert_eq!(stats.bom, 1);
        assert_eq!(stats.zero_width, 1);
        assert_eq!(stats.control, 1);
        assert_eq!(stats.odd_spaces, 1);
        assert_eq!(stats.collapsed_spaces, 2);
        assert_eq!(stats.line_endings, 5);
        assert_eq!(stats.extra_blank_lines, 2);
        assert_eq!(stats.nfc_composed, 1);
    }

    #[test]
    fn keeps_quotes_dashes_and_tabs() {
        let (out, stats) = normalize("“Ya” — kata\tdia.\n");
        assert_eq!(out, "“Ya” — kata\tdia.\n");
        assert_eq!(stats.total(), 0);
    }

    #[test]
    fn empty_and_blank_input() {
        assert_eq!(normalize("").0, "");
        assert_eq!(normalize(" \n\n \r\n").0, "");
    }

    proptest! {
        #[test]
        fn idempotent_and_clean(s in any::<String>()) {
            let (once, _) = normalize(&s);
            let (twice, stats) = normalize(&once);
            prop_assert_eq!(&once, &twice);
            prop_assert_eq!(stats.total(), 0);
            prop_assert!(!once.contains("  "));
            prop_assert!(!once.contains("\n\n\n"));
            prop_assert!(!once.contains('\r'));
        }
    }
}
