//! Entity check for Indonesian→English translations: numbers, dates, times and capitalised
//! names of the source that are missing or changed in the translation, and numbers the
//! translation invents.
//!
//! Numbers are compared by value, reading each side with its own conventions: Indonesian
//! `1.000` / `3,5` / `3,5 juta` / `delapan belas` against English `1,000` / `3.5` /
//! `3.5 million` or `3,500,000` / `eighteen`. Month and weekday names are compared across
//! languages (`Januari` ↔ `January`, `Senin` ↔ `Monday`; a month name also matches its number,
//! as in `12/4/2024` ↔ `April 12, 2024`), times as `10.30` ↔ `10:30`.

use crate::corpus::Flag;

/// A source number is missing or changed in the translation.
pub const NUMBER_MISMATCH: &str = "number_mismatch";
/// The translation has a number the source does not have.
pub const NUMBER_ADDED: &str = "number_added";
/// A month, weekday or time of the source is missing or changed in the translation.
pub const DATE_MISMATCH: &str = "date_mismatch";
/// A capitalised name of the source is missing from the translation.
pub const NAME_MISSING: &str = "name_missing";

/// Entities of `src` (Indonesian) missing or changed in `tgt` (English), and numbers `tgt`
/// invents, as quality flags (sorted; empty when everything matches).
///
/// ```
/// use selaras::quality::entities::missing_entities;
/// assert!(missing_entities("Harganya naik 3,5 persen menjadi 1.000 dolar.",
///     "The price rose 3.5 percent to 1,000 dollars.").is_empty());
/// let flags = missing_entities("Ia lahir pada 1949.", "He was born in 1959.");
/// assert_eq!(flags.len(), 2); // 1949 missing, 1959 added
/// ```
pub fn missing_entities(src: &str, tgt: &str) -> Vec<Flag> {
    let src_words = words(src);
    let tgt_words = words(tgt);
    let src_entities = extract(&src_words, Lang::Id);
    let tgt_entities = extract(&tgt_words, Lang::En);
    let mut used = vec![false; tgt_entities.len()];
    let mut flags = Vec::new();
    for entity in &src_entities {
        let found = tgt_entities
            .iter()
            .enumerate()
            .find(|(i, t)| !used[*i] && entity.matches(t));
        match found {
            Some((i, _)) => used[i] = true,
            None => flags.push(Flag {
                kind: entity.kind.missing_flag().to_string(),
                detail: format!("`{}` of the source is not in the translation", entity.text),
            }),
        }
    }
    for (entity, used) in tgt_entities.iter().zip(&used) {
        // Source names that were translated (dates, numbers) were matched above; an unmatched
        // number in the translation was invented or changed.
        if !used && entity.kind == Kind::Number && !src_entities.iter().any(|s| s.matches(entity)) {
            flags.push(Flag {
                kind: NUMBER_ADDED.to_string(),
                detail: format!("`{}` of the translation is not in the source", entity.text),
            });
        }
    }
    flags.extend(missing_names(&src_words, &tgt_words));
    flags.sort();
    flags
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Id,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Date,
}

impl Kind {
    fn missing_flag(self) -> &'static str {
        match self {
            Kind::Number => NUMBER_MISMATCH,
            Kind::Date => DATE_MISMATCH,
        }
    }
}

/// One way to read an entity.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Value(f64),
    Time(u32, u32),
    Month(u32),
    Weekday(u32),
    Literal(String),
}

impl Key {
    fn same(&self, other: &Key) -> bool {
        match (self, other) {
            (Key::Value(a), Key::Value(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
            _ => self == other,
        }
    }
}

#[derive(Debug, Clone)]
struct Entity {
    text: String,
    kind: Kind,
    keys: Vec<Key>,
}

impl Entity {
    fn matches(&self, other: &Entity) -> bool {
        self.keys
            .iter()
            .any(|a| other.keys.iter().any(|b| a.same(b)))
    }
}

/// A word or a number of the text, with whether it starts a sentence.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    sentence_start: bool,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut sentence_start = true;
    let mut pending_start = true;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_is_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        let inside_number = current.chars().last().is_some_and(|p| p.is_ascii_digit())
            && matches!(c, '.' | ',' | ':')
            && next_is_digit;
        let inside_word = !current.is_empty()
            && matches!(c, '-' | '\'' | '’')
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || inside_number || inside_word {
            if current.is_empty() {
                sentence_start = pending_start;
                pending_start = false;
            }
            current.push(c);
            continue;
        }
        if !current.is_empty() {
            out.push(Word {
                text: std::mem::take(&mut current),
                sentence_start,
            });
        }
        if matches!(
            c,
            '.' | '!' | '?' | ':' | '"' | '“' | '(' | '[' | '\'' | '‘' | '•' | '-' | '–' | '—'
        ) {
            pending_start = true;
        }
    }
    if !current.is_empty() {
        out.push(Word {
            text: current,
            sentence_start,
        });
    }
    out
}

fn extract(words: &[Word], lang: Lang) -> Vec<Entity> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let text = &words[i].text;
        if text.starts_with(|c: char| c.is_ascii_digit()) {
            let mut keys = digit_keys(text, lang);
            let mut shown = text.clone();
            if let Some(scale) = words.get(i + 1).and_then(|w| scale_word(&w.text, lang)) {
                keys = keys
                    .into_iter()
                    .map(|k| match k {
                        Key::Value(v) => Key::Value(v * scale),
                        other => other,
                    })
                    .collect();
                shown = format!("{} {}", text, words[i + 1].text);
                i += 1;
            }
            let kind = if keys.iter().any(|k| matches!(k, Key::Time(..))) {
                Kind::Date
            } else {
                Kind::Number
            };
            out.push(Entity {
                text: shown,
                kind,
                keys,
            });
            i += 1;
            continue;
        }
        if let Some(key) = calendar_key(text, lang) {
            out.push(Entity {
                text: text.clone(),
                kind: Kind::Date,
                keys: vec![key],
            });
            i += 1;
            continue;
        }
        if let Some((value, used)) = number_words(&words[i..], lang) {
            let shown = words[i..i + used]
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            // "satu"/"one" usually reads as an article; it is not checked.
            if value != 1.0 {
                out.push(Entity {
                    text: shown,
                    kind: Kind::Number,
                    keys: vec![Key::Value(value)],
                });
            }
            i += used;
            continue;
        }
        i += 1;
    }
    out
}

/// Readings of a token made of digits and `.`, `,`, `:` separators.
fn digit_keys(token: &str, lang: Lang) -> Vec<Key> {
    let (thousands, decimal) = match lang {
        Lang::Id => ('.', ','),
        Lang::En => (',', '.'),
    };
    let parts: Vec<&str> = token.split([':', '.', ',']).collect();
    let seps: Vec<char> = token
        .chars()
        .filter(|c| matches!(c, ':' | '.' | ','))
        .collect();
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !parts.iter().all(|p| all_digits(p)) {
        return vec![Key::Literal(token.to_string())];
    }
    let mut keys = Vec::new();
    // h:mm, and h.mm (Indonesian times; in English also a decimal).
    if parts.len() == 2
        && parts[0].len() <= 2
        && parts[1].len() == 2
        && (seps[0] == ':' || seps[0] == '.')
    {
        let (h, m) = (
            parts[0].parse::<u32>().unwrap_or(99),
            parts[1].parse::<u32>().unwrap_or(99),
        );
        if h < 24 && m < 60 {
            keys.push(Key::Time(h, m));
            if seps[0] == ':' || lang == Lang::Id {
                return keys;
            }
        }
    }
    if seps.contains(&':') {
        return vec![Key::Literal(token.to_string())];
    }
    // Grouped thousands, optionally with a decimal part: 1.234.567,89 (id) / 1,234,567.89 (en).
    let grouped = seps.first() == Some(&thousands)
        && parts[0].len() <= 3
        && seps.iter().enumerate().all(|(i, &s)| {
            if s == thousands {
                parts[i + 1].len() == 3 && seps[..i].iter().all(|&p| p == thousands)
            } else {
                s == decimal && i == seps.len() - 1
            }
        });
    let simple_decimal = seps.len() == 1 && seps[0] == decimal;
    if seps.is_empty() || grouped || simple_decimal {
        let normal: String = token
            .chars()
            .filter(|&c| c != thousands)
            .map(|c| if c == decimal { '.' } else { c })
            .collect();
        if let Ok(v) = normal.parse::<f64>() {
            keys.push(Key::Value(v));
            if seps.is_empty() && (1..=12).contains(&(v as u32)) && v.fract() == 0.0 {
                keys.push(Key::Month(v as u32));
            }
        }
        // An Indonesian `1.000` or `3,5` copied unchanged reads differently in English.
        if lang == Lang::En || seps.is_empty() {
            keys.push(Key::Literal(token.to_string()));
        }
        return keys;
    }
    // Anything else (versions like 7.4.2, numbers written the other language's way) must be
    // kept as written.
    keys.push(Key::Literal(token.to_string()));
    keys
}

fn scale_word(word: &str, lang: Lang) -> Option<f64> {
    let w = word.to_lowercase();
    match (lang, w.as_str()) {
        (Lang::Id, "ribu") | (Lang::En, "thousand") => Some(1e3),
        (Lang::Id, "juta") | (Lang::En, "million") => Some(1e6),
        (Lang::Id, "miliar" | "milyar") | (Lang::En, "billion") => Some(1e9),
        (Lang::Id, "triliun") | (Lang::En, "trillion") => Some(1e12),
        _ => None,
    }
}

const MONTHS_ID: [&str; 12] = [
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
];
const MONTHS_EN: [&str; 12] = [
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
];
const DAYS_ID: [&str; 7] = [
    "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu",
];
const DAYS_EN: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Month or weekday named by a capitalised word (`Mei`, `May`, `Senin`, `Monday`).
fn calendar_key(word: &str, lang: Lang) -> Option<Key> {
    if !word.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let w = word.to_lowercase();
    let w = if lang == Lang::Id && w == "jum'at" {
        "jumat".to_string()
    } else {
        w
    };
    let (months, days) = match lang {
        Lang::Id => (&MONTHS_ID, &DAYS_ID),
        Lang::En => (&MONTHS_EN, &DAYS_EN),
    };
    if let Some(m) = months.iter().position(|m| *m == w) {
        return Some(Key::Month(m as u32 + 1));
    }
    // "Minggu" also means "week"; only a capitalised one mid-sentence is a weekday.
    days.iter()
        .position(|d| *d == w)
        .map(|d| Key::Weekday(d as u32 + 1))
}

/// A run of number words at the start of `words`: its value and how many words it spans.
fn number_words(words: &[Word], lang: Lang) -> Option<(f64, usize)> {
    let (mut total, mut current, mut used, mut any) = (0.0f64, 0.0f64, 0usize, false);
    for word in words {
        let w = word.text.to_lowercase();
        let step = match lang {
            Lang::Id => id_number_word(&w),
            Lang::En => en_number_word(&w),
        };
        match step {
            Some(NumberWord::Unit(v)) => {
                if any && current != 0.0 && current % 10.0 != 0.0 && lang == Lang::En {
                    break; // "five six": two numbers
                }
                current += v;
            }
            Some(NumberWord::Teen) => {
                if current == 0.0 || current >= 10.0 {
                    break;
                }
                current += 10.0;
            }
            Some(NumberWord::Times(m)) => {
                if !any {
                    break;
                }
                current = if current == 0.0 { m } else { current * m };
            }
            Some(NumberWord::Scale(m)) => {
                if !any {
                    break;
                }
                total += if current == 0.0 { 1.0 } else { current } * m;
                current = 0.0;
            }
            Some(NumberWord::Joiner) if any && lang == Lang::En => {
                used += 1;
                continue;
            }
            _ => break,
        }
        any = true;
        used += 1;
    }
    if !any {
        return None;
    }
    // A trailing "and" is not part of the number.
    while used > 0 && words[used - 1].text.eq_ignore_ascii_case("and") {
        used -= 1;
    }
    Some((total + current, used))
}

enum NumberWord {
    Unit(f64),
    /// `belas`: adds ten to the unit before it.
    Teen,
    /// `puluh`, `ratus`, `hundred`: multiplies the group.
    Times(f64),
    /// `ribu`, `juta`, `thousand`, `million`…: closes a group.
    Scale(f64),
    Joiner,
}

fn id_number_word(w: &str) -> Option<NumberWord> {
    const UNITS: [&str; 10] = [
        "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    ];
    if let Some(v) = UNITS.iter().position(|u| *u == w) {
        return Some(NumberWord::Unit(v as f64));
    }
    Some(match w {
        "sepuluh" => NumberWord::Unit(10.0),
        "sebelas" => NumberWord::Unit(11.0),
        "seratus" => NumberWord::Unit(100.0),
        "seribu" => NumberWord::Unit(1000.0),
        "sejuta" => NumberWord::Unit(1e6),
        "belas" => NumberWord::Teen,
        "puluh" => NumberWord::Times(10.0),
        "ratus" => NumberWord::Times(100.0),
        "ribu" => NumberWord::Scale(1e3),
        "juta" => NumberWord::Scale(1e6),
        "miliar" | "milyar" => NumberWord::Scale(1e9),
        "triliun" => NumberWord::Scale(1e12),
        _ => return None,
    })
}

fn en_number_word(w: &str) -> Option<NumberWord> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(v) = UNITS.iter().position(|u| *u == w) {
        return Some(NumberWord::Unit(v as f64));
    }
    if let Some(v) = TENS.iter().position(|t| *t == w) {
        return Some(NumberWord::Unit(20.0 + 10.0 * v as f64));
    }
    if let Some((tens, unit)) = w.split_once('-') {
        let t = TENS.iter().position(|t| *t == tens)?;
        let u = UNITS[1..10].iter().position(|u| *u == unit)?;
        return Some(NumberWord::Unit(20.0 + 10.0 * t as f64 + u as f64 + 1.0));
    }
    Some(match w {
        "hundred" => NumberWord::Times(100.0),
        "thousand" => NumberWord::Scale(1e3),
        "million" => NumberWord::Scale(1e6),
        "billion" => NumberWord::Scale(1e9),
        "trillion" => NumberWord::Scale(1e12),
        "and" => NumberWord::Joiner,
        _ => return None,
    })
}

/// Capitalised Indonesian words that are titles, place-name heads or function words: they are
/// translated, so they are not checked as names.
const NOT_NAMES: &[&str] = &[
    "anda",
    "bapak",
    "ibu",
    "pak",
    "bu",
    "saudara",
    "presiden",
    "wakil",
    "menteri",
    "gubernur",
    "bupati",
    "walikota",
    "wali",
    "kota",
    "kabupaten",
    "provinsi",
    "jalan",
    "jl",
    "sungai",
    "gunung",
    "pulau",
    "danau",
    "laut",
    "selat",
    "teluk",
    "universitas",
    "rumah",
    "sakit",
    "kementerian",
    "dewan",
    "perwakilan",
    "rakyat",
    "daerah",
    "badan",
    "komisi",
    "partai",
    "pemerintah",
    "negara",
    "republik",
    "kerajaan",
    "kepolisian",
    "polisi",
    "tentara",
    "nasional",
    "internasional",
    "utara",
    "selatan",
    "timur",
    "barat",
    "tengah",
    "raya",
    "besar",
    "umum",
    "agung",
    "tinggi",
    "negeri",
    "sekolah",
    "masjid",
    "gereja",
    "pasar",
    "bandara",
    "stasiun",
    "pelabuhan",
    "perusahaan",
    "direktur",
    "ketua",
    "kepala",
    "sekretaris",
    "jenderal",
    "dr",
    "prof",
    "ir",
    "tn",
    "ny",
    "hj",
    "h",
    "st",
    "dan",
    "dalam",
    "di",
    "ke",
    "dari",
    "yang",
    "untuk",
    "pada",
    "dengan",
    "ini",
    "itu",
    "saat",
    "namun",
    "tetapi",
    "selain",
    "sebagai",
    "kemudian",
    "menurut",
    "setelah",
    "sebelum",
    "meskipun",
    "jika",
    "apabila",
    "tuhan",
    "allah",
    "catatan",
    "tahun",
    "bulan",
    "hari",
    "minggu",
    "pukul",
    "jam",
    "rp",
    "wib",
    "wita",
    "wit",
    "perang",
    "dunia",
    "bahasa",
    "suku",
    "agama",
    "islam",
    "kristen",
    "katolik",
    "hindu",
    "buddha",
];

/// Indonesian names whose English form shares no prefix with them.
const EXONYMS: &[(&str, &[&str])] = &[
    ("jepang", &["japan"]),
    (
        "inggris",
        &["england", "english", "britain", "british", "uk"],
    ),
    ("belanda", &["netherlands", "dutch", "holland"]),
    ("jerman", &["germany", "german"]),
    ("prancis", &["france", "french"]),
    ("perancis", &["france", "french"]),
    ("tiongkok", &["china", "chinese"]),
    ("cina", &["china", "chinese"]),
    ("amerika", &["america", "american", "us", "usa", "united"]),
    ("serikat", &["states", "united", "us", "usa"]),
    ("arab", &["arab", "arabia", "arabic"]),
    ("saudi", &["saudi"]),
    ("mesir", &["egypt", "egyptian"]),
    ("spanyol", &["spain", "spanish"]),
    ("yunani", &["greece", "greek"]),
    ("selandia", &["zealand"]),
    ("baru", &["new"]),
    ("rusia", &["russia", "russian"]),
    ("korea", &["korea", "korean"]),
    ("filipina", &["philippines", "filipino"]),
    ("thailand", &["thailand", "thai"]),
    ("eropa", &["europe", "european"]),
    ("afrika", &["africa", "african"]),
    ("asia", &["asia", "asian"]),
    ("kamboja", &["cambodia", "cambodian"]),
    ("swiss", &["switzerland", "swiss"]),
    ("turki", &["turkey", "turkish", "türkiye"]),
    ("italia", &["italy", "italian"]),
];

fn missing_names(src: &[Word], tgt: &[Word]) -> Vec<Flag> {
    let tgt_lower: Vec<String> = tgt.iter().map(|w| w.text.to_lowercase()).collect();
    let mut flags = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for word in src {
        let text = &word.text;
        let mut chars = text.chars();
        let first_upper = chars.next().is_some_and(|c| c.is_uppercase());
        if !first_upper || word.sentence_start || text.chars().count() < 2 {
            continue;
        }
        let lower = text.to_lowercase();
        let base = lower.split('-').next().unwrap_or(&lower).to_string();
        if NOT_NAMES.contains(&base.as_str())
            || calendar_key(text, Lang::Id).is_some()
            || seen.contains(&lower)
        {
            continue;
        }
        seen.push(lower.clone());
        if name_in(&lower, &tgt_lower) {
            continue;
        }
        flags.push(Flag {
            kind: NAME_MISSING.to_string(),
            detail: format!("`{text}` of the source is not in the translation"),
        });
    }
    flags
}

fn name_in(name: &str, tgt_lower: &[String]) -> bool {
    if let Some((_, english)) = EXONYMS.iter().find(|(id, _)| *id == name) {
        if tgt_lower.iter().any(|w| english.contains(&w.as_str())) {
            return true;
        }
    }
    let prefix: String = name.chars().take(4).collect();
    tgt_lower
        .iter()
        .any(|w| w == name || (name.chars().count() >= 4 && w.starts_with(&prefix)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str, tgt: &str) -> Vec<String> {
        missing_entities(src, tgt)
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    #[test]
    fn numbers_are_compared_by_value_across_conventions() {
        assert!(kinds(
            "Ada 1.000 orang dan 3,5 persen.",
            "There are 1,000 people and 3.5 percent."
        )
        .is_empty());
        assert!(kinds(
            "Nilainya 1.234.567,89 dolar.",
            "The value is 1,234,567.89 dollars."
        )
        .is_empty());
        assert!(kinds("Dana 3,5 juta dolar.", "A fund of 3.5 million dollars.").is_empty());
        assert!(kinds("Dana 3,5 juta dolar.", "A fund of 3,500,000 dollars.").is_empty());
        assert!(kinds("Biayanya 2 miliar.", "It costs 2 billion.").is_empty());
    }

    #[test]
    fn copied_indonesian_formatting_is_a_changed_number() {
        assert_eq!(
            kinds("Ada 1.000 orang.", "There are 1.000 people."),
            [NUMBER_ADDED, NUMBER_MISMATCH]
        );
        assert_eq!(
            kinds("Naik 3,5 persen.", "Up 3,5 percent."),
            [NUMBER_ADDED, NUMBER_MISMATCH]
        );
    }

    #[test]
    fn changed_missing_and_invented_numbers_are_flagged() {
        assert_eq!(
            kinds("Berdiri tahun 1950.", "Founded in 1949."),
            [NUMBER_ADDED, NUMBER_MISMATCH]
        );
        assert_eq!(
            kinds("Ada 25 siswa.", "There are students."),
            [NUMBER_MISMATCH]
        );
        assert_eq!(
            kinds("Kota itu besar.", "The city covers 1000 square kilometers."),
            [NUMBER_ADDED]
        );
    }

    #[test]
    fn number_words_are_read_in_both_languages() {
        assert!(kinds("Selama delapan belas bulan.", "For eighteen months.").is_empty());
        assert_eq!(
            kinds("Selama delapan belas bulan.", "For eight years."),
            [NUMBER_ADDED, NUMBER_MISMATCH]
        );
        assert!(kinds("Ada dua puluh lima rumah.", "There are twenty-five houses.").is_empty());
        assert!(kinds("Ada tiga ratus orang.", "There were three hundred people.").is_empty());
        assert!(kinds("Ada tiga ratus orang.", "There were 300 people.").is_empty());
        assert!(kinds("Satu orang datang.", "A person came.").is_empty());
    }

    #[test]
    fn months_weekdays_and_times_cross_languages() {
        assert!(kinds(
            "Pada Senin, 12 Januari 2024 pukul 10.30 WIB.",
            "On Monday, January 12, 2024 at 10:30 WIB."
        )
        .is_empty());
        assert_eq!(
            kinds("Rapat pada hari Senin.", "The meeting is on Tuesday."),
            [DATE_MISMATCH]
        );
        assert!(kinds("Tanggal 12/4/2024.", "On April 12, 2024.").is_empty());
        assert_eq!(kinds("Pada bulan Mei.", "In March."), [DATE_MISMATCH]);
    }

    #[test]
    fn names_must_survive_translation() {
        assert!(kinds(
            "Kemudian Budi Santoso pergi ke Bandung.",
            "Then Budi Santoso went to Bandung."
        )
        .is_empty());
        assert_eq!(
            kinds(
                "Kemudian Budi Santoso pergi ke Bandung.",
                "Then Budi Santoso went to Jakarta."
            ),
            [NAME_MISSING]
        );
        assert!(kinds(
            "Ia tinggal di Jepang dan Amerika Serikat.",
            "He lived in Japan and the United States."
        )
        .is_empty());
        // Sentence-initial words and translated titles are not names.
        assert!(kinds(
            "Presiden berbicara kepada Anda.",
            "The president spoke to you."
        )
        .is_empty());
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
        assert!(kinds("Versi 7.4.2 dirilis.", "Version 7.4.2 was released.").is_empty());
    }
}
