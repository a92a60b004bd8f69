//! Words as texts are compared (glossary terms, quality checks): lowercase alphanumeric words of a text.

/// The words of `text`: runs of letters and digits, lowercased.
pub fn lower_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// `text` lowercased with every run of non-alphanumeric characters turned into one space.
pub fn normalized(text: &str) -> String {
    lower_words(text).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_ignore_case_and_punctuation() {
        assert_eq!(lower_words("Halo, Dunia-2!"), ["halo", "dunia", "2"]);
        assert_eq!(normalized("  «Ya»  TIDAK. "), "ya tidak");
    }
}
