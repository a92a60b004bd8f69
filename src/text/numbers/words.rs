//! Number words, scale words, month and weekday names of the languages selaras knows.

/// What a number word contributes to a spoken number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberWord {
    /// A value added as is (`lima` 5, `sebelas` 11, `twenty` 20, `seratus` 100).
    Add(u64),
    /// Adds ten to the value so far (`tiga belas` = 13).
    Teen,
    /// Multiplies the last unit by ten (`tiga puluh` = 30).
    Tens,
    /// Multiplies the value since the last scale by a hundred (`dua ratus`, `two hundred`).
    Hundred,
    /// A scale closing a group (`ribu`, `juta`, `thousand`, `million`...).
    Scale(f64),
}

/// Languages whose numbers write the decimal separator as a comma.
const DECIMAL_COMMA: &[&str] = &[
    "id", "de", "fr", "es", "it", "pt", "nl", "ru", "tr", "pl", "sv", "da", "no", "nb", "fi", "cs",
    "vi", "ro", "hu", "uk",
];

/// Whether numbers in `lang` write the decimal separator as a comma (`3,5`) and group
/// thousands with dots (`1.000`).
pub fn decimal_comma(lang: &str) -> bool {
    DECIMAL_COMMA.contains(&base_lang(lang))
}

/// `pt-BR` → `pt`.
pub fn base_lang(lang: &str) -> &str {
    lang.split(['-', '_']).next().unwrap_or(lang)
}

/// A number word of `lang`.
pub fn number_word(lang: &str, word: &str) -> Option<NumberWord> {
    use NumberWord::*;
    let value = match base_lang(lang) {
        "id" | "ms" => match word {
            "nol" => Add(0),
            "satu" => Add(1),
            "dua" => Add(2),
            "tiga" => Add(3),
            "empat" => Add(4),
            "lima" => Add(5),
            "enam" => Add(6),
            "tujuh" => Add(7),
            "delapan" => Add(8),
            "sembilan" => Add(9),
            "sepuluh" => Add(10),
            "sebelas" => Add(11),
            "seratus" => Add(100),
            "belas" => Teen,
            "puluh" => Tens,
            "ratus" => Hundred,
            "seribu" => Scale(1e3),
            "sejuta" => Scale(1e6),
            "semiliar" => Scale(1e9),
            _ => return scale_word(lang, word).map(Scale),
        },
        "en" => match word {
            "zero" => Add(0),
            "one" => Add(1),
            "two" => Add(2),
            "three" => Add(3),
            "four" => Add(4),
            "five" => Add(5),
            "six" => Add(6),
            "seven" => Add(7),
            "eight" => Add(8),
            "nine" => Add(9),
            "ten" => Add(10),
            "eleven" => Add(11),
            "twelve" => Add(12),
            "thirteen" => Add(13),
            "fourteen" => Add(14),
            "fifteen" => Add(15),
            "sixteen" => Add(16),
            "seventeen" => Add(17),
            "eighteen" => Add(18),
            "nineteen" => Add(19),
            "twenty" => Add(20),
            "thirty" => Add(30),
            "forty" => Add(40),
            "fifty" => Add(50),
            "sixty" => Add(60),
            "seventy" => Add(70),
            "eighty" => Add(80),
            "ninety" => Add(90),
            "twice" => Add(2),
            "hundred" => Hundred,
            _ => return scale_word(lang, word).map(Scale),
        },
        _ => return None,
    };
    Some(value)
}

/// A scale word following a number (`1,5 juta`, `2 billion`).
pub fn scale_word(lang: &str, word: &str) -> Option<f64> {
    match base_lang(lang) {
        "id" | "ms" => match word {
            "ribu" | "rb" => Some(1e3),
            "juta" | "jt" => Some(1e6),
            "miliar" | "milyar" => Some(1e9),
            "triliun" => Some(1e12),
            _ => None,
        },
        "en" => match word {
            "thousand" => Some(1e3),
            "million" | "mln" => Some(1e6),
            "billion" | "bn" => Some(1e9),
            "trillion" | "tn" => Some(1e12),
            _ => None,
        },
        _ => None,
    }
}

/// A month name of `lang` (1–12), and whether it is an abbreviation.
pub fn month(lang: &str, word: &str) -> Option<(u8, bool)> {
    let word = word.trim_end_matches('.');
    let full: &[&str] = match base_lang(lang) {
        "id" | "ms" => &[
            "januari",
            "februari",
            "maret",
            "april",
            "mei",
            "juni",
            "juli",
            "agustus",
            "september",
            "oktober",
            "november",
            "desember",
        ],
        "en" => &[
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        _ => return None,
    };
    // Abbreviations: the first three letters (`okt`, `dec`), `sept`, and `agt`, `ags` (Agustus).
    let i = full
        .iter()
        .position(|m| m.starts_with(word) && (*m == word || word.len() == 3 || word == "sept"))
        .or((full[7] == "agustus" && matches!(word, "agt" | "ags")).then_some(7))?;
    Some((i as u8 + 1, full[i] != word))
}

/// Month names that are also common words (`may`): they count only next to a number.
pub fn ambiguous_month(lang: &str, word: &str) -> bool {
    base_lang(lang) == "en" && word == "may"
}

/// A weekday name of `lang` (1 = Monday … 7 = Sunday).
pub fn weekday(lang: &str, word: &str) -> Option<u8> {
    let day = match base_lang(lang) {
        "id" | "ms" => match word {
            "senin" => 1,
            "selasa" => 2,
            "rabu" => 3,
            "kamis" => 4,
            "jumat" | "jum'at" => 5,
            "sabtu" => 6,
            "minggu" | "ahad" => 7,
            _ => return None,
        },
        "en" => match word {
            "monday" => 1,
            "tuesday" => 2,
            "wednesday" => 3,
            "thursday" => 4,
            "friday" => 5,
            "saturday" => 6,
            "sunday" => 7,
            _ => return None,
        },
        _ => return None,
    };
    Some(day)
}

/// Weekday names that are also common words (`minggu` = week): they count only when
/// capitalized and followed by a date or comma, or after `hari`/`pada`.
pub fn ambiguous_weekday(lang: &str, word: &str) -> bool {
    matches!(base_lang(lang), "id" | "ms") && word == "minggu"
}

/// Words between a day and a month or year that do not break a date (`12th of April`).
pub fn date_filler(word: &str) -> bool {
    matches!(word, "st" | "nd" | "rd" | "th" | "of")
}
