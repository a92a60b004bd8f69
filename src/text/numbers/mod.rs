//! Numbers and dates that differ between a source sentence and its translation.
//!
//! Each side is read with its language's conventions: Indonesian groups thousands with `.` and
//! writes decimals with `,` (`1.000` = English `1,000`, `3,5` = `3.5`), scale words multiply
//! (`1,5 triliun` = `1.5 trillion`), number words count (`delapan belas` = `eighteen` = `18`),
//! dates compare by day, month and year (`12/4/2024`, `(21/11)`, `12 April 2024`,
//! `April 12, 2024`), weekdays by day (`Senin` = `Monday`), times by hour and minute
//! (`10.30 WIB` = `10:30`). The target is also read with the source's conventions, since a
//! translation may copy a number unchanged.
//!
//! Mentions that are too ambiguous to report (`one`/`satu`, `May` or `Minggu` alone) are
//! *soft*: they can match a mention of the other side but are never reported themselves.

mod scan;
pub(crate) mod words;

pub use words::decimal_comma;

use scan::{tokenize, Token};
use words::NumberWord;

/// One reading of a number.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    /// A numeric value.
    Num(f64),
    /// A clock time, hours and minutes.
    Time(u8, u8),
    /// The digits as written (an unchanged copy always matches).
    Raw(String),
}

/// A calendar date, as precise as written.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Date {
    day: Option<u8>,
    month: u8,
    year: Option<i32>,
}

impl Date {
    /// Same day and month (both given or both absent) and the same year when both give one.
    fn matches(&self, other: &Date) -> bool {
        self.month == other.month
            && self.day == other.day
            && (self.year.is_none() || other.year.is_none() || self.year == other.year)
    }
}

/// What a mention stands for, with every plausible reading.
#[derive(Debug, Clone, PartialEq)]
enum What {
    Number(Vec<Value>),
    Date(Vec<Date>),
    Weekday(u8),
}

/// A number, date or weekday found in a text.
#[derive(Debug, Clone, PartialEq)]
struct Mention {
    text: String,
    what: What,
    soft: bool,
}

fn same_number(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

impl Mention {
    fn matches(&self, other: &Mention) -> bool {
        match (&self.what, &other.what) {
            (What::Number(a), What::Number(b)) => a.iter().any(|x| {
                b.iter().any(|y| match (x, y) {
                    (Value::Num(x), Value::Num(y)) => same_number(*x, *y),
                    _ => x == y,
                })
            }),
            (What::Date(a), What::Date(b)) => a.iter().any(|x| b.iter().any(|y| x.matches(y))),
            (What::Weekday(a), What::Weekday(b)) => a == b,
            _ => false,
        }
    }

    fn is_date(&self) -> bool {
        !matches!(self.what, What::Number(_))
    }
}

/// Reads `raw` (digits with `.` and `,`) as a number with the conventions of a language.
fn numeric(raw: &str, comma_decimal: bool) -> Option<f64> {
    if raw.contains([':', '/']) {
        return None;
    }
    let (group, point) = if comma_decimal {
        ('.', ',')
    } else {
        (',', '.')
    };
    let (int_part, frac) = raw
        .split_once(point)
        .map_or((raw, None), |(a, b)| (a, Some(b)));
    if frac.is_some_and(|f| f.contains([group, point])) {
        return None;
    }
    let groups: Vec<&str> = int_part.split(group).collect();
    let digits = if groups.len() == 1 {
        format!("{}.{}", int_part, frac.unwrap_or("0"))
    } else if (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3) {
        format!("{}.{}", groups.concat(), frac.unwrap_or("0"))
    } else if groups.len() == 2 && frac.is_none() {
        // A decimal written with the other convention's point (`3.5` in Indonesian text).
        format!("{}.{}", groups[0], groups[1])
    } else {
        return None;
    };
    digits.parse().ok()
}

/// Reads `H.MM` or `H:MM` as a clock time.
fn clock(raw: &str) -> Option<Value> {
    let (h, m) = raw.split_once(['.', ':'])?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60).then_some(Value::Time(h, m))
}

/// A 12-hour clock reading (`2 pm`, `2:30 pm`) as a 24-hour time.
fn twelve_hour(raw: &str, pm: bool) -> Option<Value> {
    let (h, m) = match raw.split_once([':', '.']) {
        Some((h, m)) if m.len() == 2 => (h.parse::<u8>().ok()?, m.parse::<u8>().ok()?),
        Some(_) => return None,
        None => (raw.parse::<u8>().ok()?, 0),
    };
    if !(1..=12).contains(&h) || m >= 60 {
        return None;
    }
    Some(Value::Time(h % 12 + if pm { 12 } else { 0 }, m))
}

/// Every reading of a number string under the languages' conventions.
fn readings(raw: &str, langs: &[&str]) -> Vec<Value> {
    let mut values = vec![Value::Raw(raw.to_string())];
    values.extend(clock(raw));
    let nums = langs
        .iter()
        .filter_map(|lang| numeric(raw, decimal_comma(lang)));
    values.extend(nums.map(Value::Num));
    values
}

/// Day-month order of numeric dates written in `lang`.
fn month_first(lang: &str) -> &'static [bool] {
    match words::base_lang(lang) {
        "en" => &[false, true],
        _ => &[false],
    }
}

/// Reads `d/m`, `d/m/yyyy` (or `m/d/...` where the language allows) as dates.
fn slash_date(raw: &str, langs: &[&str]) -> Option<Vec<Date>> {
    let parts: Vec<&str> = raw.split('/').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    let a: u8 = parts[0].parse().ok()?;
    let b: u8 = parts[1].parse().ok()?;
    let year = match parts.get(2) {
        Some(y) if y.len() == 4 => Some(y.parse::<i32>().ok()?),
        Some(y) if y.len() == 2 => Some(2000 + y.parse::<i32>().ok()?),
        Some(_) => return None,
        None => None,
    };
    let mut dates = Vec::new();
    for lang in langs {
        for &swap in month_first(lang) {
            let (day, month) = if swap { (b, a) } else { (a, b) };
            let date = Date {
                day: Some(day),
                month,
                year,
            };
            if (1..=31).contains(&day) && (1..=12).contains(&month) && !dates.contains(&date) {
                dates.push(date);
            }
        }
    }
    (!dates.is_empty()).then_some(dates)
}

/// Finds the numbers, dates and weekdays of one text.
struct Reader<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    langs: &'a [&'a str],
    mentions: Vec<Mention>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, langs: &'a [&'a str]) -> Self {
        Reader {
            text,
            tokens: tokenize(text),
            langs,
            mentions: Vec::new(),
        }
    }

    fn span(&self, from: usize, to: usize) -> String {
        self.text[self.tokens[from].start..self.tokens[to].end].to_string()
    }

    fn push(&mut self, from: usize, to: usize, what: What, soft: bool) {
        let text = self.span(from, to);
        self.mentions.push(Mention { text, what, soft });
    }

    fn month_at(&self, i: usize) -> Option<(u8, bool, bool)> {
        let word = self.tokens.get(i)?.word()?;
        self.langs.iter().find_map(|lang| {
            words::month(lang, word).map(|(m, abbr)| (m, abbr, words::ambiguous_month(lang, word)))
        })
    }

    fn year_at(&self, i: usize) -> Option<i32> {
        let token = self.tokens.get(i)?;
        let year = token.integer()?;
        (token.number()?.len() == 4 && (1000..=2999).contains(&year)).then_some(year as i32)
    }

    fn day_at(&self, i: usize) -> Option<u8> {
        let day = self.tokens.get(i)?.integer()?;
        (1..=31).contains(&day).then_some(day as u8)
    }

    /// Skips `st`/`nd`/`rd`/`th`/`of`, and the dot after an abbreviation.
    fn skip_fillers(&self, mut i: usize) -> usize {
        let filler = |t: &Token| t.word().is_some_and(words::date_filler) || t.is_char('.');
        while self.tokens.get(i).is_some_and(filler) {
            i += 1;
        }
        i
    }

    fn skip_comma(&self, i: usize) -> usize {
        i + usize::from(self.tokens.get(i).is_some_and(|t| t.is_char(',')))
    }

    /// A date mention from token `from` to `to`; returns the index after it.
    fn push_date(&mut self, from: usize, to: usize, date: Date, soft: bool) -> Option<usize> {
        self.push(from, to, What::Date(vec![date]), soft);
        Some(to + 1)
    }

    /// `12 April [2024]` at `i`; returns the index after it.
    fn day_month(&mut self, i: usize) -> Option<usize> {
        let day = Some(self.day_at(i)?);
        let j = self.skip_fillers(i + 1);
        let (month, _, _) = self.month_at(j)?;
        let k = self.skip_comma(self.skip_fillers(j + 1));
        let year = self.year_at(k);
        let end = if year.is_some() { k } else { j };
        self.push_date(i, end, Date { day, month, year }, false)
    }

    /// `April 12[, 2024]`, `April 2024` or `April` at `i`.
    fn month_first(&mut self, i: usize) -> Option<usize> {
        let (month, abbr, ambiguous) = self.month_at(i)?;
        let j = self.skip_fillers(i + 1);
        let after_day = self.skip_comma(self.skip_fillers(j + 1));
        let plain_day =
            self.day_at(j).is_some() && !self.tokens.get(j + 1).is_some_and(|t| t.is_char('%'));
        let (day, year, end, soft) = if plain_day && self.year_at(j).is_none() {
            let year = self.year_at(after_day);
            let end = if year.is_some() { after_day } else { j };
            (self.day_at(j), year, end, false)
        } else if let Some(y) = self.year_at(j) {
            (None, Some(y), j, false)
        } else {
            let soft = abbr || ambiguous || !self.tokens[i].capitalized();
            (None, None, i, soft)
        };
        self.push_date(i, end, Date { day, month, year }, soft)
    }

    fn weekday(&mut self, i: usize) -> Option<usize> {
        let word = self.tokens[i].word()?;
        let (day, ambiguous) = self.langs.iter().find_map(|lang| {
            words::weekday(lang, word).map(|d| (d, words::ambiguous_weekday(lang, word)))
        })?;
        let after_day_word = i > 0 && matches!(self.tokens[i - 1].word(), Some("hari" | "pada"));
        let before_date = self
            .tokens
            .get(i + 1)
            .is_some_and(|t| t.is_char('(') || t.is_char(','));
        let soft = ambiguous && !(self.tokens[i].capitalized() && (after_day_word || before_date));
        self.push(i, i, What::Weekday(day), soft);
        Some(i + 1)
    }

    /// A number, with a scale word after it (`1,5 juta`).
    fn number(&mut self, i: usize) -> Option<usize> {
        let raw = self.tokens[i].number()?.to_string();
        if raw.contains('/') {
            if let Some(dates) = slash_date(&raw, self.langs) {
                self.push(i, i, What::Date(dates), false);
                return Some(i + 1);
            }
        }
        let scale = self.tokens.get(i + 1).and_then(|t| t.word()).and_then(|w| {
            self.langs
                .iter()
                .find_map(|lang| words::scale_word(lang, w))
        });
        let meridiem = self.meridiem(i + 1);
        let end = if scale.is_some() { i + 1 } else { i };
        for part in raw.split('/') {
            let mut values = readings(part, self.langs);
            if let Some(pm) = meridiem {
                values.extend(twelve_hour(part, pm));
            }
            let text = match scale {
                Some(scale) => {
                    let nums = values.iter().filter_map(|v| match v {
                        Value::Num(x) => Some(Value::Num(x * scale)),
                        _ => None,
                    });
                    values = nums.collect();
                    self.span(i, end)
                }
                None => part.to_string(),
            };
            let what = What::Number(values);
            self.mentions.push(Mention {
                text,
                what,
                soft: false,
            });
        }
        Some(end + 1)
    }

    /// `am`/`pm` (also `a.m.`, `p.m.`) at `i`: `Some(true)` for pm.
    fn meridiem(&self, i: usize) -> Option<bool> {
        let word = self.tokens.get(i)?.word()?;
        let pm = match word {
            "pm" => return Some(true),
            "am" => return Some(false),
            "p" => true,
            "a" => false,
            _ => return None,
        };
        let dotted = self.tokens.get(i + 1).is_some_and(|t| t.is_char('.'))
            && self.tokens.get(i + 2).is_some_and(|t| t.is_word("m"));
        dotted.then_some(pm)
    }

    /// Spoken numbers: `dua puluh lima`, `twenty-five`, `tiga juta`, `a hundred`.
    fn number_words(&mut self, i: usize) -> Option<usize> {
        let first = self.tokens[i].word()?;
        let lang = *self
            .langs
            .iter()
            .find(|lang| words::number_word(lang, first).is_some())?;
        let (mut total, mut small, mut unit) = (0.0f64, 0u64, 0u64);
        let mut j = i;
        let mut last = i;
        while let Some(token) = self.tokens.get(j) {
            let Some(word) = token.word().and_then(|w| words::number_word(lang, w)) else {
                if token.is_char('-') && j > i {
                    j += 1;
                    continue;
                }
                break;
            };
            match word {
                NumberWord::Add(v) => {
                    small += v;
                    unit = v;
                }
                NumberWord::Teen => small += 10,
                NumberWord::Tens => {
                    small += unit * 9;
                    unit = 0;
                }
                NumberWord::Hundred => {
                    small = small.max(1) * 100;
                    unit = 0;
                }
                NumberWord::Scale(scale) => {
                    total += small.max(1) as f64 * scale;
                    small = 0;
                    unit = 0;
                }
            }
            last = j;
            j += 1;
        }
        let value = total + small as f64;
        // A bare `ribu` or `thousand` (`puluhan ribu`, `tens of thousands`) is not a count; `a
        // thousand` and `seribu` are.
        let bare = !(matches!(words::number_word(lang, first), Some(NumberWord::Add(_)))
            || first.starts_with("se")
            || (i > 0 && self.tokens[i - 1].is_word("a")));
        // `dua kali` is "twice" but also "double" (`klik dua kali` = double-click).
        let times = self.tokens.get(last + 1).is_some_and(|t| t.is_word("kali"));
        self.push(
            i,
            last,
            What::Number(vec![Value::Num(value)]),
            value < 2.0 || times || bare,
        );
        Some(last + 1)
    }

    fn read(mut self) -> Vec<Mention> {
        let mut i = 0;
        while i < self.tokens.len() {
            let next = self
                .day_month(i)
                .or_else(|| self.number(i))
                .or_else(|| self.month_first(i))
                .or_else(|| self.weekday(i))
                .or_else(|| self.number_words(i));
            i = next.unwrap_or(i + 1);
        }
        self.mentions
    }
}

/// Numbers and dates found on one side only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Differences {
    /// Numbers of the source missing from the target, as written.
    pub numbers_missing: Vec<String>,
    /// Numbers of the target not in the source.
    pub numbers_extra: Vec<String>,
    /// Dates and weekdays of the source missing from the target.
    pub dates_missing: Vec<String>,
    /// Dates and weekdays of the target not in the source.
    pub dates_extra: Vec<String>,
}

/// Matches `a`'s mentions with `b`'s (hard with hard first, then with soft ones); returns the
/// unmatched hard mentions of each side.
fn unmatched(a: &[Mention], b: &[Mention]) -> (Vec<Mention>, Vec<Mention>) {
    let mut used_a = vec![false; a.len()];
    let mut used_b = vec![false; b.len()];
    for (soft_a, soft_b) in [(false, false), (false, true), (true, false)] {
        for (i, x) in a.iter().enumerate() {
            if used_a[i] || x.soft != soft_a {
                continue;
            }
            if let Some(j) =
                (0..b.len()).find(|&j| !used_b[j] && b[j].soft == soft_b && x.matches(&b[j]))
            {
                used_a[i] = true;
                used_b[j] = true;
            }
        }
    }
    let left = |list: &[Mention], used: &[bool]| {
        list.iter()
            .zip(used)
            .filter(|(m, used)| !**used && !m.soft)
            .map(|(m, _)| m.clone())
            .collect::<Vec<_>>()
    };
    (left(a, &used_a), left(b, &used_b))
}

/// Compares the numbers and dates of a source sentence (in `src_lang`) and its translation
/// (in `tgt_lang`).
pub fn differences(src: &str, tgt: &str, src_lang: &str, tgt_lang: &str) -> Differences {
    let src_langs = [src_lang];
    let tgt_langs = [tgt_lang, src_lang];
    let src_mentions = Reader::new(src, &src_langs).read();
    let tgt_mentions = Reader::new(tgt, &tgt_langs).read();
    let (missing, extra) = unmatched(&src_mentions, &tgt_mentions);
    let texts = |list: &[Mention], dates: bool| {
        list.iter()
            .filter(|m| m.is_date() == dates)
            .map(|m| m.text.clone())
            .collect::<Vec<_>>()
    };
    Differences {
        numbers_missing: texts(&missing, false),
        numbers_extra: texts(&extra, false),
        dates_missing: texts(&missing, true),
        dates_extra: texts(&extra, true),
    }
}

fn describe(missing: &[String], extra: &[String]) -> Option<String> {
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("source only: {}", missing.join(", ")));
    }
    if !extra.is_empty() {
        parts.push(format!("target only: {}", extra.join(", ")));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

impl Differences {
    /// A detail for a `number_mismatch` flag, if numbers differ.
    pub fn number_detail(&self) -> Option<String> {
        describe(&self.numbers_missing, &self.numbers_extra)
    }

    /// A detail for a `date_mismatch` flag, if dates differ.
    pub fn date_detail(&self) -> Option<String> {
        describe(&self.dates_missing, &self.dates_extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(src: &str, tgt: &str) -> Differences {
        differences(src, tgt, "id", "en")
    }

    fn same(src: &str, tgt: &str) {
        let d = diff(src, tgt);
        assert_eq!(d, Differences::default(), "{src:?} vs {tgt:?}");
    }

    #[test]
    fn separators_follow_each_language() {
        same("Harganya Rp 1.000.", "It costs Rp 1,000.");
        same("Naik 3,5 persen.", "Up 3.5 percent.");
        same("Total 1.500,75 ton.", "A total of 1,500.75 tons.");
        same("Copied 1.500 unit.", "Copied 1.500 units.");
        same("Inflasi 3.5 persen.", "Inflation of 3.5 percent.");
        let d = diff("Harganya Rp 1.500.", "The price is Rp 1.5.");
        assert_eq!(d.numbers_missing, ["1.500"]);
        assert_eq!(d.numbers_extra, ["1.5"]);
    }

    #[test]
    fn scale_words_multiply() {
        same("Dana Rp 1,5 triliun.", "Funds of Rp 1.5 trillion.");
        same("Sebanyak 2 juta orang.", "Some two million people.");
        same("Rp 500 miliar", "Rp 0.5 trillion");
        let d = diff("Dana Rp 1,5 triliun.", "Funds of Rp 1.5 billion.");
        assert_eq!(
            d.number_detail().unwrap(),
            "source only: 1,5 triliun; target only: 1.5 billion"
        );
    }

    #[test]
    fn number_words_count() {
        same("Selama delapan belas bulan.", "For 18 months.");
        same("Dua puluh lima siswa.", "Twenty-five students.");
        same(
            "Ada 250 rumah.",
            "There are two hundred and fifty houses."
                .replace(" and", "")
                .as_str(),
        );
        same("Salah satu warga.", "One of the residents.");
        same(
            "Seorang warga dan 1 polisi.",
            "A resident and one police officer.",
        );
        let d = diff("Selama delapan belas bulan.", "For eight years.");
        assert_eq!(d.numbers_missing, ["delapan belas"]);
        assert_eq!(d.numbers_extra, ["eight"]);
    }

    #[test]
    fn dates_compare_by_day_month_and_year() {
        same("Senin (21/11) lalu.", "Last Monday (21/11).");
        same("Senin (21/11) lalu.", "On Monday, November 21.");
        same("Pada 12/4/2024.", "On April 12, 2024.");
        same("Pada 12/4/2024.", "On 4/12/2024.");
        same("Pada 12 April 2024.", "On 12 April 2024.");
        same("Pada 12 April 2024.", "On the 12th of April, 2024.");
        same("Sejak Maret 2023.", "Since March 2023.");
        same("Pada bulan Mei.", "In May.");
        same("Minggu lalu hujan.", "It rained last week.");
        same("Pada Minggu (3/12).", "On Sunday (3/12).");
        let d = diff("Pada 12 April 2024.", "On April 21, 2024.");
        assert_eq!(d.dates_missing, ["12 April 2024"]);
        assert_eq!(d.dates_extra, ["April 21, 2024"]);
        assert!(d.number_detail().is_none());
        let d = diff("Pada Selasa.", "On Thursday.");
        assert_eq!(
            d.date_detail().unwrap(),
            "source only: Selasa; target only: Thursday"
        );
    }

    #[test]
    fn times_and_years() {
        same("Pukul 10.30 WIB.", "At 10:30 WIB.");
        same("Tahun 2024 dan 2025.", "In 2024 and 2025.");
        let d = diff("Tahun 2024.", "In 2023.");
        assert_eq!(d.numbers_missing, ["2024"]);
    }

    #[test]
    fn news_sentences() {
        same(
            "Jakarta (ANTARA) - Presiden pada Senin (21/11/2022) meresmikan 12 ruas jalan tol.",
            "Jakarta (ANTARA) - The President on Monday (11/21/2022) inaugurated 12 toll road sections.",
        );
        same(
            "Sebanyak 1.234 orang, atau 45,6 persen, hadir pukul 14.00 WIB.",
            "As many as 1,234 people, or 45.6%, attended at 2 p.m. WIB.",
        );
        same(
            "Kamis, 1 Desember 2022, gempa 6,4 SR mengguncang abad ke-21.",
            "On Thursday, December 1, 2022, a 6.4 magnitude quake shook the 21st century.",
        );
        same(
            "Harga naik menjadi Rp 10 ribu/kg.",
            "The price rose to Rp 10,000/kg.",
        );
        same(
            "Puluhan ribu orang hadir.",
            "Tens of thousands of people attended.",
        );
        same("UU No. 5/2024 berlaku.", "Law No. 5/2024 applies.");
        let d = diff("Pukul 14.00 WIB.", "At 4 p.m. WIB.");
        assert_eq!(d.numbers_missing, ["14.00"]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "1/2/3/4/5",
            "99/99",
            "1.2.3,4,5",
            "::",
            "9999999999999999999999",
            "ké-3 ½ ٣",
            "",
        ] {
            let _ = diff(text, text);
            let _ = diff(text, "x");
        }
    }
}
