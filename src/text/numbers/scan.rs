//! Splits text into words, number strings and other characters, with byte spans.

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    /// A run of letters (apostrophes inside kept), lowercased; `capitalized` if it began with
    /// an uppercase letter.
    Word {
        /// The lowercased word.
        lower: String,
        /// Whether the first letter is uppercase.
        capitalized: bool,
    },
    /// Digits with `.`, `,`, `:` or `/` between digits (`1.500,75`, `10:30`, `12/4/2024`).
    Number(String),
    /// Any other non-space character.
    Other(char),
}

/// A token and where it is in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The token.
    pub kind: TokenKind,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
}

impl Token {
    /// The lowercased word, if the token is a word.
    pub fn word(&self) -> Option<&str> {
        match &self.kind {
            TokenKind::Word { lower, .. } => Some(lower),
            _ => None,
        }
    }

    /// Whether the token is the word `w` (lowercase).
    pub fn is_word(&self, w: &str) -> bool {
        self.word() == Some(w)
    }

    /// Whether the token is a capitalized word.
    pub fn capitalized(&self) -> bool {
        matches!(
            self.kind,
            TokenKind::Word {
                capitalized: true,
                ..
            }
        )
    }

    /// The number string, if the token is a number.
    pub fn number(&self) -> Option<&str> {
        match &self.kind {
            TokenKind::Number(raw) => Some(raw),
            _ => None,
        }
    }

    /// The value of a plain digit string (no separators).
    pub fn integer(&self) -> Option<u64> {
        let raw = self.number()?;
        raw.parse().ok().filter(|_| raw.len() <= 12)
    }

    /// Whether the token is the character `c`.
    pub fn is_char(&self, c: char) -> bool {
        self.kind == TokenKind::Other(c)
    }
}

/// Soft hyphens and zero-width characters, which may sit inside a word (`Mon\u{AD}day`).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}'
    )
}

/// Tokenizes `text`; whitespace separates tokens and is dropped.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |(at, _)| *at);
    // The end of the run from `i` of `part` characters, `joiner` characters counting only
    // before another `part` character.
    let run = |i: usize, part: fn(char) -> bool, joiner: fn(char) -> bool| {
        let mut j = i + 1;
        while chars.get(j).is_some_and(|&(_, d)| {
            part(d) || joiner(d) && chars.get(j + 1).is_some_and(|&(_, n)| part(n))
        }) {
            j += 1;
        }
        j
    };
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let (kind, j) = if c.is_whitespace() {
            i += 1;
            continue;
        } else if c.is_ascii_digit() {
            let j = run(
                i,
                |d| d.is_ascii_digit(),
                |d| matches!(d, '.' | ',' | ':' | '/'),
            );
            (TokenKind::Number(text[start..end_of(j)].to_string()), j)
        } else if c.is_alphabetic() {
            let j = run(i, char::is_alphabetic, |d| {
                matches!(d, '\'' | '’') || is_invisible(d)
            });
            let lower = text[start..end_of(j)]
                .chars()
                .filter(|c| !is_invisible(*c))
                .collect::<String>()
                .to_lowercase()
                .replace('’', "'");
            let capitalized = c.is_uppercase();
            (TokenKind::Word { lower, capitalized }, j)
        } else {
            (TokenKind::Other(c), i + 1)
        };
        let end = end_of(j);
        tokens.push(Token { kind, start, end });
        i = j;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_inner_separators_only() {
        let tokens = tokenize("Rp1.500,75 pada 12/4/2024, pukul 10.30. Jum'at");
        let numbers: Vec<&str> = tokens.iter().filter_map(|t| t.number()).collect();
        assert_eq!(numbers, ["1.500,75", "12/4/2024", "10.30"]);
        let words: Vec<&str> = tokens.iter().filter_map(|t| t.word()).collect();
        assert_eq!(words, ["rp", "pada", "pukul", "jum'at"]);
        assert!(tokens.last().unwrap().capitalized());
        assert_eq!(&"Rp1.500,75"[tokens[1].start..tokens[1].end], "1.500,75");
        assert_eq!(tokenize("Mon\u{AD}day")[0].word(), Some("monday"));
    }
}
