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

/// The lines of `text`, split at `\n` or `\r\n`; a final line break starts no further line
/// and blank lines stay (`"a\n\nb\n"` → `a`, ``, `b`).
pub fn lines_of(text: &str) -> Vec<String> {
    if text.is_empty() {
        return Vec::new();
    }
    let body = text.strip_suffix('\n').unwrap_or(text);
    let lines = body.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    lines.map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_blanks() {
        assert_eq!(lines_of("a\n\nb\n"), vec!["a", "", "b"]);
        assert_eq!(lines_of("a\r\n\nb"), vec!["a", "", "b"]);
        assert_eq!(lines_of("\n"), vec![""]);
        assert!(lines_of("").is_empty());
    }

    #[test]
    fn flattens_breaks_and_tabs() {
        assert_eq!(one_line("a\tb\r\nc\u{2028}d\u{7}e"), "a b c de");
        assert_eq!(one_line("a\r\nb\nc\rd\u{2028}e"), "a b c d e");
        assert!(matches!(one_line("plain text"), Cow::Borrowed(_)));
    }
}
