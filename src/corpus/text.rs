//! Text escaping shared by the writers.

/// Whether `c` may appear in an XML 1.0 document.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes `text` for XML/HTML element content and attribute values, dropping characters that
/// XML 1.0 forbids (control characters, U+FFFE, U+FFFF).
pub fn escape_markup(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// [`escape_markup`] into a new string.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_markup(text, &mut out);
    out
}

/// Whether `c` ends a line for common line-oriented tools (`\n`, `\r`, vertical tab, form
/// feed, NEL, line and paragraph separators).
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// `text` on one line with no tabs: line breaks and tabs become single spaces, other control
/// characters are dropped. Used for the line-oriented formats (TSV, Moses).
pub fn one_line(text: &str) -> String {
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escapes_and_drops_illegal_characters() {
        assert_eq!(
            markup("<a href=\"x\">'&'</a>\u{0}\u{1}\u{FFFE}é\r"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;é&#13;"
        );
    }

    #[test]
    fn one_line_flattens_breaks_and_tabs() {
        assert_eq!(one_line("a\tb\r\nc\u{2028}d\u{7}e"), "a b c de");
    }
}
