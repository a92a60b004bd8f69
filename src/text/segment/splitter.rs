//! The rule-based splitter of one line.
//!
//! A candidate boundary is a run of terminators (`.` `!` `?` `…`), followed by closing quotes
//! or brackets, followed by whitespace. It becomes a boundary unless the next word starts
//! with a lowercase letter, or (for a single `.`) the word before is a non-breaking prefix,
//! an initial, a dotted abbreviation (`M.Sc.`, `S.H.`), a numeric-only prefix before a
//! number (`No. 5`), or the enumerator at the start of a sentence (`1.`). Numbers, times,
//! URLs and e-mail addresses (`1.000`, `10.30`, `kompas.com`) never have whitespace after
//! their dots, so they are never candidates. Work is linear in the length of the line.

use super::Rules;
use std::ops::Range;

/// Longest word (in bytes) looked up as a possible abbreviation.
const MAX_WORD_BYTES: usize = 48;

const ELLIPSIS: &[u8] = "…".as_bytes();

/// Sentence spans of one line (no line breaks inside), trimmed of whitespace.
pub fn split_line(line: &str, rules: &Rules) -> Vec<Range<usize>> {
    let bytes = line.as_bytes();
    let mut spans = Vec::new();
    let mut start = skip(line, 0, char::is_whitespace);
    let mut i = start;
    while i < bytes.len() {
        let Some(first_len) = terminator_len(bytes, i) else {
            i += 1;
            continue;
        };
        // The run of terminators: `.`, `...`, `?!`, `…`.
        let term_start = i;
        let mut j = i + first_len;
        while let Some(n) = terminator_len(bytes, j) {
            j += n;
        }
        let single_dot = j == term_start + 1 && bytes[term_start] == b'.';
        // Closing quotes and brackets after the stop belong to the sentence.
        j = skip(line, j, is_closer);
        let Some(next) = line[j..].chars().next() else {
            break;
        };
        if !next.is_whitespace() {
            i = j;
            continue;
        }
        let k = skip(line, j, char::is_whitespace);
        if k >= bytes.len() {
            break;
        }
        if is_boundary(line, start, term_start, single_dot, k, rules) {
            spans.push(start..j);
            start = k;
        }
        i = k;
    }
    let end = line.trim_end().len();
    if start < end {
        spans.push(start..end);
    }
    spans
}

/// Length in bytes of the terminator at `i`, if there is one.
fn terminator_len(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'.' | b'!' | b'?' => Some(1),
        0xE2 if bytes[i..].starts_with(ELLIPSIS) => Some(ELLIPSIS.len()),
        _ => None,
    }
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}')
}

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '«' | '‹' | '(' | '[' | '{' | '„'
    )
}

/// The position after the characters from `j` on that `pred` accepts.
fn skip(line: &str, j: usize, pred: impl Fn(char) -> bool) -> usize {
    line[j..].find(|c| !pred(c)).map_or(line.len(), |k| j + k)
}

/// Decide whether the candidate whose terminators start at `term_start` and whose next
/// sentence would start at `next_start` is a sentence boundary.
fn is_boundary(
    line: &str,
    sentence_start: usize,
    term_start: usize,
    single_dot: bool,
    next_start: usize,
    rules: &Rules,
) -> bool {
    let Some(next) = line[next_start..].chars().find(|&c| !is_opener(c)) else {
        // Only quotes or brackets follow: they close this sentence.
        return false;
    };
    if next.is_lowercase() || continues_after_parenthesis(&line[next_start..]) {
        return false;
    }
    if !single_dot {
        return true;
    }
    let (word_start, word) = word_before(line, sentence_start, term_start);
    let Some(word) = word.filter(|w| !w.is_empty()) else {
        return true;
    };
    !(rules.is_prefix(word)
        || is_dotted_abbreviation(word)
        || is_initial(word) && starts_name(line, sentence_start, word_start)
        || rules.is_numeric_prefix(word) && starts_number(&line[next_start..])
        || word_start == sentence_start && is_enumerator(word))
}

/// The word that ends at `end` (the position of the dot), without leading openers, and
/// where it starts; `None` when it is longer than any abbreviation.
fn word_before(line: &str, sentence_start: usize, end: usize) -> (usize, Option<&str>) {
    let floor = sentence_start.max(end.saturating_sub(MAX_WORD_BYTES));
    let floor = (floor..=end)
        .find(|&p| line.is_char_boundary(p))
        .unwrap_or(end);
    let before = &line[..end];
    let word = before[floor..].rsplit(char::is_whitespace).next();
    let start = end - word.map_or(0, str::len);
    // The word may go on before the window: then it is too long to be an abbreviation.
    if start == floor
        && floor > sentence_start
        && before[..start].ends_with(|c: char| !c.is_whitespace())
    {
        return (start, None);
    }
    (start, Some(before[start..].trim_start_matches(is_opener)))
}

/// A parenthesis right after the stop, followed by a lowercase word or a comma, as in
/// `Pte. Ltd. (SPA) menjual` or `Tbk. (BBNI), perusahaan`: the sentence goes on.
fn continues_after_parenthesis(rest: &str) -> bool {
    if !rest.starts_with('(') {
        return false;
    }
    let close = rest.char_indices().take(80).find(|&(_, c)| c == ')');
    close.is_some_and(|(i, _)| {
        let next = rest[i + 1..].trim_start().chars().next();
        next.is_some_and(|c| c.is_lowercase() || matches!(c, ',' | ';' | ':'))
    })
}

/// Whether the text at the start of the next sentence is a number (`5`, `XI`).
fn starts_number(rest: &str) -> bool {
    let word: &str = rest
        .split(|c: char| c.is_whitespace() || c == '.' || c == ',')
        .next()
        .unwrap_or("");
    word.chars().next().is_some_and(|c| c.is_numeric())
        || !word.is_empty()
            && word
                .chars()
                .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
}

/// Whether the initial at `word_start` belongs to a name: it starts the sentence, or the
/// word before it is capitalized (`Miranda S. Goeltom`, `Ir. H. Joko`), unlike a roman
/// numeral or a unit after a common word (`kuartal I.`, `2 C.`).
fn starts_name(line: &str, sentence_start: usize, word_start: usize) -> bool {
    if word_start <= sentence_start {
        return true;
    }
    let previous = line[sentence_start..word_start]
        .split_whitespace()
        .next_back();
    previous
        .and_then(|w| w.trim_start_matches(is_opener).chars().next())
        .is_some_and(char::is_uppercase)
}

/// A single uppercase letter: a name initial (`Joko P.`, `H. Ahmad`).
fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

/// Letters in short groups separated by dots: `M.Sc`, `S.H`, `a.n`, `Ph.D`, `U.S`.
fn is_dotted_abbreviation(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|group| {
            (1..=3).contains(&group.chars().count()) && group.chars().all(char::is_alphabetic)
        })
}

/// A list enumerator at the start of a sentence: `1.`, `12.`, `a.`, `iv.`.
fn is_enumerator(word: &str) -> bool {
    let n = word.chars().count();
    (1..=2).contains(&n) && word.chars().all(|c| c.is_ascii_digit())
        || n == 1 && word.chars().all(char::is_alphabetic)
        || (1..=4).contains(&n)
            && word
                .chars()
                .all(|c| matches!(c, 'i' | 'v' | 'x' | 'I' | 'V' | 'X'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str, lang: &str) -> Vec<String> {
        let rules = Rules::for_lang(lang).unwrap();
        split_line(text, &rules)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn splits_sentences() {
        let cases: &[(&str, &str, &[&str])] = &[
            // Titles, places and numbers.
            (
                "id",
                "Dr. Siti bertemu Prof. Budi di Jl. Jend. Sudirman No. 5 pada pukul 10.30 WIB. Harga naik 3,5 persen menjadi Rp 1.000. Ir. H. Joko tiba.",
                &[
                    "Dr. Siti bertemu Prof. Budi di Jl. Jend. Sudirman No. 5 pada pukul 10.30 WIB.",
                    "Harga naik 3,5 persen menjadi Rp 1.000.",
                    "Ir. H. Joko tiba.",
                ],
            ),
            // Quotes and question marks.
            (
                "id",
                "“Siapa?” tanya dia. “Saya pergi.” Dia menjawab! Benarkah?",
                &["“Siapa?” tanya dia.", "“Saya pergi.”", "Dia menjawab!", "Benarkah?"],
            ),
            // Degrees, initials and ellipsis.
            (
                "id",
                "Ahmad, S.H., M.Sc. menjadi ketua. Miranda S. Goeltom hadir... Lalu pergi.",
                &["Ahmad, S.H., M.Sc. menjadi ketua.", "Miranda S. Goeltom hadir...", "Lalu pergi."],
            ),
            // URLs, e-mail addresses and dates.
            (
                "id",
                "Kunjungi www.kompas.com atau tulis ke redaksi@kompas.id (21/11). Pada 12/4/2024 harga US$97,7.",
                &[
                    "Kunjungi www.kompas.com atau tulis ke redaksi@kompas.id (21/11).",
                    "Pada 12/4/2024 harga US$97,7.",
                ],
            ),
            // English prefixes.
            (
                "en",
                "Mr. Smith met Dr. Jones in the U.S. on Monday. They talked.",
                &["Mr. Smith met Dr. Jones in the U.S. on Monday.", "They talked."],
            ),
            // An enumerator at the start of a sentence.
            ("id", "1. Pendahuluan", &["1. Pendahuluan"]),
        ];
        for (lang, text, expected) in cases {
            assert_eq!(split(text, lang), *expected, "{text}");
        }
    }

    #[test]
    fn long_words_before_dot() {
        let long = "a".repeat(200);
        let text = format!("{long}. Baru");
        assert_eq!(split(&text, "id").len(), 2);
    }
}
