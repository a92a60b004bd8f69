//! Entity check for Indonesian→English translations: numbers, dates and times of the source
//! that are missing or changed in the translation, numbers the translation invents, and
//! names lost or invented ([`super::names`]), one flag for each, so that a translator can
//! prefer the candidate with the fewest. Numbers and dates are compared by
//! [`crate::text::numbers`] (the same reading of `1.000` ↔ `1,000`, `3,5 juta` ↔ `3.5 million`,
//! month and day names, times as the corpus flags use).

use super::names;
use crate::model::{Flag, FlagKind};
use crate::text::numbers;

/// Entities of `src` (Indonesian) missing or changed in `tgt` (English), and numbers and
/// names `tgt` invents, as quality flags (sorted; empty when everything matches).
///
/// ```
/// use selaras::quality::entities::missing_entities;
/// assert!(missing_entities("Harganya naik 3,5 persen menjadi 1.000 dolar.",
///     "The price rose 3.5 percent to 1,000 dollars.").is_empty());
/// let flags = missing_entities("Ia lahir pada 1949.", "He was born in 1959.");
/// assert_eq!(flags.len(), 2); // 1949 missing, 1959 added
/// ```
pub fn missing_entities(src: &str, tgt: &str) -> Vec<Flag> {
    let d = numbers::differences(src, tgt, "id", "en");
    let names = names::compare(src, tgt);
    let mut flags: Vec<Flag> = [
        (FlagKind::NumberMismatch, &d.numbers_missing, SOURCE_ONLY),
        (FlagKind::NumberAdded, &d.numbers_extra, TARGET_ONLY),
        (FlagKind::NameMissing, &names.missing, SOURCE_ONLY),
        (FlagKind::NameAdded, &names.added, TARGET_ONLY),
    ]
    .into_iter()
    .flat_map(|(kind, texts, side)| {
        texts
            .iter()
            .map(move |t| Flag::new(kind, format!("`{t}` {side}")))
    })
    .collect();
    if let Some(detail) = d.date_detail() {
        flags.push(Flag::new(FlagKind::DateMismatch, detail));
    }
    flags.sort();
    flags
}

/// Where an entity of one flag is (one flag per entity, so candidates compare by count).
const SOURCE_ONLY: &str = "of the source is not in the translation";
const TARGET_ONLY: &str = "of the translation is not in the source";

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str, tgt: &str) -> Vec<FlagKind> {
        missing_entities(src, tgt)
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    /// Asserts that the translation loses, changes and invents nothing.
    fn clean(src: &str, tgt: &str) {
        assert!(kinds(src, tgt).is_empty(), "{src} → {tgt}");
    }

    #[test]
    fn numbers_are_compared_by_value_across_conventions() {
        clean(
            "Ada 1.000 orang dan 3,5 persen.",
            "There are 1,000 people and 3.5 percent.",
        );
        clean(
            "Nilainya 1.234.567,89 dolar.",
            "The value is 1,234,567.89 dollars.",
        );
        clean("Dana 3,5 juta dolar.", "A fund of 3.5 million dollars.");
        clean("Dana 3,5 juta dolar.", "A fund of 3,500,000 dollars.");
        clean("Biayanya 2 miliar.", "It costs 2 billion.");
    }

    #[test]
    fn copied_indonesian_formatting_reads_as_the_same_number() {
        // The translation may keep the source's formatting: the value is unchanged.
        clean("Ada 1.000 orang.", "There are 1.000 people.");
        clean("Naik 3,5 persen.", "Up 3,5 percent.");
    }

    #[test]
    fn changed_missing_and_invented_numbers_are_flagged() {
        assert_eq!(
            kinds("Berdiri tahun 1950.", "Founded in 1949."),
            [FlagKind::NumberAdded, FlagKind::NumberMismatch]
        );
        assert_eq!(
            kinds("Ada 25 siswa.", "There are students."),
            [FlagKind::NumberMismatch]
        );
        assert_eq!(
            kinds("Kota itu besar.", "The city covers 1000 square kilometers."),
            [FlagKind::NumberAdded]
        );
    }

    #[test]
    fn number_words_are_read_in_both_languages() {
        clean("Selama delapan belas bulan.", "For eighteen months.");
        assert_eq!(
            kinds("Selama delapan belas bulan.", "For eight years."),
            [FlagKind::NumberAdded, FlagKind::NumberMismatch]
        );
        clean("Ada dua puluh lima rumah.", "There are twenty-five houses.");
        clean("Ada tiga ratus orang.", "There were three hundred people.");
        clean("Ada tiga ratus orang.", "There were 300 people.");
        clean("Satu orang datang.", "A person came.");
    }

    #[test]
    fn months_weekdays_and_times_cross_languages() {
        clean(
            "Pada Senin, 12 Januari 2024 pukul 10.30 WIB.",
            "On Monday, January 12, 2024 at 10:30 WIB.",
        );
        assert_eq!(
            kinds("Rapat pada hari Senin.", "The meeting is on Tuesday."),
            [FlagKind::DateMismatch]
        );
        clean("Tanggal 12/4/2024.", "On April 12, 2024.");
        assert_eq!(
            kinds("Pada bulan Mei.", "In March."),
            [FlagKind::DateMismatch]
        );
    }

    #[test]
    fn names_must_survive_translation() {
        clean(
            "Kemudian Budi Santoso pergi ke Bandung.",
            "Then Budi Santoso went to Bandung.",
        );
        assert_eq!(
            kinds(
                "Kemudian Budi Santoso pergi ke Bandung.",
                "Then Budi Santoso went to Jakarta."
            ),
            [FlagKind::NameAdded, FlagKind::NameMissing]
        );
        clean(
            "Ia tinggal di Jepang dan Amerika Serikat.",
            "He lived in Japan and the United States.",
        );
        // Sentence-initial words and translated titles are not names.
        clean(
            "Presiden berbicara kepada Anda.",
            "The president spoke to you.",
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "",
            "...",
            "1.2.3.4",
            "12:99",
            "a-",
            "999999999999999999999999",
            "Rp1.000,-",
            "ⅷ ½",
        ] {
            let _ = missing_entities(text, text);
            let _ = missing_entities(text, "");
        }
        clean("Versi 7.4.2 dirilis.", "Version 7.4.2 was released.");
    }
}
