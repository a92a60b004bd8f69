//! Text on one line, for line-oriented contracts (command backends, TSV, Moses).

use std::borrow::Cow;

/// Whether `c` ends a line for common line-oriented tools (`\n`, `\r`, vertical tab, form
/// feed, NEL, line and paragraph separators).
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// `text` on one line with no tabs: each run of line breaks and tabs becomes one space, other
/// control characters are dropped. Borrowed when `text` is already clean.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.contains(|c: char| c.is_control() || is_line_break(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\t' || is_line_break(c) {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !c.is_control() {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_breaks_and_tabs() {
        assert_eq!(one_line("a\tb\r\nc\u{2028}d\u{7}e"), "a b c de");
        assert_eq!(one_line("a\r\nb\nc\rd\u{2028}e"), "a b c d e");
        assert!(matches!(one_line("plain text"), Cow::Borrowed(_)));
    }
}
