//! Names in Indonesian→English translations: a name of the source that the translation lost
//! (`name_missing`) and a name of the translation that the source does not have (`name_added`).
//!
//! A name is a run of capitalised words (or acronyms) that are not titles, generic heads of
//! place and institution names, function words, month or day names; a name is found on the
//! other side when one of its words is there: the same word (any case, `'s` and `-nya` ignored),
//! a word sharing its first five letters (`Kanada` ↔ `Canada` does not, `Obama` ↔ `Obama's`
//! does), or its exonym (`Jepang` ↔ `Japan`, `Amerika Serikat` ↔ `United States`).

use crate::model::{Flag, FlagKind};
use crate::text::numbers::words as number_words;
use std::collections::HashSet;
use std::sync::LazyLock;

/// The names one side has and the other lacks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameDiff {
    /// Names of the source (as written there) missing from the translation.
    pub missing: Vec<String>,
    /// Names of the translation (as written there) absent from the source.
    pub added: Vec<String>,
}

impl NameDiff {
    /// The flags: one `name_missing` and one `name_added` at most, each naming its names.
    pub fn flags(&self) -> Vec<Flag> {
        [
            (
                FlagKind::NameMissing,
                &self.missing,
                "source not in the translation",
            ),
            (
                FlagKind::NameAdded,
                &self.added,
                "translation not in the source",
            ),
        ]
        .into_iter()
        .filter(|(_, names, _)| !names.is_empty())
        .map(|(kind, names, place)| Flag::new(kind, format!("{} of the {place}", quoted(names))))
        .collect()
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The names of a flag's detail (the back-quoted parts), as [`NameDiff::flags`] writes them.
pub fn names_in_detail(detail: &str) -> Vec<String> {
    detail
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Names of `src` (Indonesian) missing from `tgt` (English) and names of `tgt` absent from
/// `src`.
///
/// ```
/// use selaras::quality::names::compare;
/// let d = compare("Kemudian Budi Santoso pergi ke Bandung.", "Then Budi Santoso went to Jakarta.");
/// assert_eq!(d.missing, ["Bandung"]);
/// assert_eq!(d.added, ["Jakarta"]);
/// ```
pub fn compare(src: &str, tgt: &str) -> NameDiff {
    let src_words = words(src);
    let tgt_words = words(tgt);
    let src_plain: Vec<String> = src_words.iter().map(|w| plain(&w.text, Lang::Id)).collect();
    let tgt_plain: Vec<String> = tgt_words.iter().map(|w| plain(&w.text, Lang::En)).collect();
    let src_spans = spans(&src_words, Lang::Id);
    let tgt_spans = spans(&tgt_words, Lang::En);
    let mut diff = NameDiff::default();
    // Words of the source's names that a translation translates (`Angkatan Laut`,
    // `Kementerian Pertahanan`): where the translation lacks them, they explain away one
    // unmatched name of the translation near them (`Royal Navy`, `Ministry of Defence`).
    let mut terms: Vec<((f32, f32), usize)> = Vec::new();
    for span in &src_spans {
        if !span.words.is_empty() && !span.words.iter().any(|w| found(w, Lang::Id, &tgt_plain)) {
            push_new(&mut diff.missing, span.text.clone());
        }
        let translated = span
            .terms
            .iter()
            .filter(|w| !found(w, Lang::Id, &tgt_plain))
            .count();
        if translated > 0 {
            terms.push((span.position, translated));
        }
    }
    for span in &tgt_spans {
        if span.words.is_empty() || span.words.iter().any(|w| found(w, Lang::En, &src_plain)) {
            continue;
        }
        // A term of n words translates into a name of about as many.
        let nearest = terms
            .iter_mut()
            .filter(|(position, n)| {
                *n > 0
                    && span.words.len() <= *n + 1
                    && gap(*position, span.position) <= TERM_DISTANCE
            })
            .min_by(|a, b| gap(a.0, span.position).total_cmp(&gap(b.0, span.position)));
        match nearest {
            Some((_, n)) => *n = 0,
            None => push_new(&mut diff.added, span.text.clone()),
        }
    }
    diff
}

/// How far apart (as a share of the sentence) a translated term and its translation may be.
const TERM_DISTANCE: f32 = 0.25;

/// The distance between two spans of a sentence (0 when they overlap).
fn gap(a: (f32, f32), b: (f32, f32)) -> f32 {
    (a.0 - b.1).max(b.0 - a.1).max(0.0)
}

/// The name flags of a pair (see [`compare`]).
pub fn check(src: &str, tgt: &str) -> Vec<Flag> {
    compare(src, tgt).flags()
}

fn push_new(list: &mut Vec<String>, text: String) {
    if !list.contains(&text) {
        list.push(text);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Id,
    En,
}

/// A word of the text.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    /// First word of a sentence, a line, a quotation or a bracket.
    sentence_start: bool,
    /// Only spaces separate it from the previous word.
    joined: bool,
}

fn words(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut current = String::new();
    let mut pending_start = true;
    let mut joined = false;
    let mut start_of_current = true;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_alnum = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        let inside_number = current.chars().last().is_some_and(|p| p.is_ascii_digit())
            && matches!(c, '.' | ',' | ':')
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        let inside_word = !current.is_empty() && matches!(c, '-' | '\'' | '’') && next_alnum;
        // `G.D.P.`, `U.S.` are read as `GDP`, `US`.
        let dotted_acronym = c == '.'
            && (1..=4).contains(&current.chars().count())
            && current.chars().all(|p| p.is_uppercase())
            && chars.get(i + 1).is_some_and(|n| n.is_uppercase())
            && chars.get(i + 2) == Some(&'.');
        if dotted_acronym {
            continue;
        }
        if c.is_alphanumeric() || inside_number || inside_word {
            if current.is_empty() {
                start_of_current = pending_start;
                pending_start = false;
            }
            current.push(c);
            continue;
        }
        if !current.is_empty() {
            out.push(Word {
                text: std::mem::take(&mut current),
                sentence_start: start_of_current,
                joined,
            });
            joined = true;
        }
        if !c.is_whitespace() {
            joined = false;
        }
        // The stop of a title or an initial (`Tn. Osborne`, `J. Smith`) ends no sentence.
        let abbreviation = c == '.'
            && chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphabetic())
            && out.last().is_some_and(|w| {
                let lower = w.text.to_lowercase();
                ABBREVIATIONS.contains(&lower.as_str())
                    || (w.text.chars().count() == 1 && capitalised(&w.text))
            });
        if abbreviation {
            joined = true;
            continue;
        }
        if SENTENCE_OPENERS.contains(c) {
            pending_start = true;
        }
    }
    if !current.is_empty() {
        out.push(Word {
            text: current,
            sentence_start: start_of_current,
            joined,
        });
    }
    out
}

/// Characters after which a capitalised word may be capitalised for starting anew.
const SENTENCE_OPENERS: &str = ".!?:;\"“”(['‘•-–—…\n";

/// Titles written with a stop that does not end the sentence.
const ABBREVIATIONS: &[&str] = &[
    "tn", "ny", "nn", "sdr", "dr", "drs", "prof", "ir", "h", "hj", "jl", "st", "mr", "mrs", "ms",
    "mt", "gen", "col", "capt", "lt", "sgt", "gov", "sen", "rep", "rev", "jr", "sr",
];

/// `text` lowercased, without a possessive (`Obama's`, `Obama’s`, `Jakarta-nya`) or the plural
/// of an acronym (`MLAs`).
fn plain(text: &str, lang: Lang) -> String {
    let acronym_plural = text.len() >= 3
        && text.ends_with('s')
        && text[..text.len() - 1].chars().all(|c| c.is_uppercase());
    let lower = text.to_lowercase();
    let stripped = match lang {
        _ if acronym_plural => lower.strip_suffix('s'),
        Lang::En => [
            "'s", "’s", "'", "’", "'m", "’m", "'ve", "’ve", "'ll", "’ll", "'d", "’d",
        ]
        .iter()
        .find_map(|suffix| lower.strip_suffix(suffix)),
        Lang::Id => lower.strip_suffix("-nya"),
    };
    stripped.unwrap_or(&lower).to_string()
}

/// A run of capitalised words.
#[derive(Debug)]
struct Span {
    /// The name as written (from its first to its last name word).
    text: String,
    /// Its name words (plain); none when it is only titles, terms and function words.
    words: Vec<String>,
    /// Its words that are translated (plain): generic heads and common words of names
    /// (`Universitas`, `Angkatan`).
    terms: Vec<String>,
    /// Where it starts and ends, as shares of the text's words.
    position: (f32, f32),
}

fn capitalised(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_uppercase)
}

/// Whether nearly every longer word of the text is capitalised (a headline, a menu path):
/// then capitals do not tell names. Function words written small in headlines do not count.
fn title_case(words: &[Word]) -> bool {
    let long: Vec<&Word> = words
        .iter()
        .filter(|w| {
            w.text.chars().filter(|c| c.is_alphabetic()).count() >= 4
                && !SMALL_IN_TITLES.contains(&w.text.as_str())
        })
        .collect();
    let capitals = long.iter().filter(|w| capitalised(&w.text)).count();
    let small = long.len() - capitals;
    long.len() >= 4 && small * 8 <= capitals
}

/// Small words inside English names.
const CONNECTORS: &[&str] = &["of", "for", "de"];

/// Words headlines keep in small letters.
const SMALL_IN_TITLES: &[&str] = &[
    "untuk", "dengan", "dari", "yang", "pada", "dalam", "atau", "akan", "bagi", "oleh", "tentang",
    "kepada", "terhadap", "with", "from", "that", "this", "into", "over", "about", "after", "than",
    "under",
];

/// What a capitalised word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Part of a name.
    Name,
    /// A word a translation translates: generic head or common word of a name.
    Term,
    /// A title, function word, month or day: not a name, and not counted as a term.
    Other,
}

/// The class of a capitalised word of `lang` (`head`: its plain form before any hyphen).
fn class(head: &str, lang: Lang) -> Class {
    match lang {
        Lang::Id => {
            if ID_TERMS.contains(&head) || indonesian_affixes(head) {
                Class::Term
            } else if ID_OTHER.contains(&head)
                || number_words::month("id", head).is_some()
                || number_words::weekday("id", head).is_some()
            {
                Class::Other
            } else {
                Class::Name
            }
        }
        Lang::En => {
            if EN_NOT_NAMES.contains(&head)
                || number_words::month("en", head).is_some()
                || number_words::weekday("en", head).is_some()
            {
                Class::Other
            } else {
                Class::Name
            }
        }
    }
}

/// Whether a word is built with Indonesian affixes names rarely have: `-kan` (`Sisipkan`),
/// `ke-…-an` (`Keamanan`), `pe-…-an` (`Pertahanan`).
fn indonesian_affixes(word: &str) -> bool {
    let n = word.chars().count();
    (n >= 7 && word.ends_with("kan"))
        || (n >= 8 && word.ends_with("an") && (word.starts_with("ke") || word.starts_with("pe")))
}

/// The capitalised runs of a text (none in a title-case text). The first word of a sentence
/// is never a name word: it may be capitalised only for starting the sentence.
fn spans(words: &[Word], lang: Lang) -> Vec<Span> {
    let mut out = Vec::new();
    if title_case(words) {
        return out;
    }
    let candidate = |w: &Word| capitalised(&w.text) && w.text.chars().count() >= 2;
    let mut i = 0;
    while i < words.len() {
        if !candidate(&words[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        // A possessive ends a name (`South Korea's Samsung`).
        let possessive = |w: &Word| plain(&w.text, lang).len() < w.text.to_lowercase().len();
        loop {
            if j < words.len()
                && words[j].joined
                && candidate(&words[j])
                && !possessive(&words[j - 1])
            {
                j += 1;
            } else if lang == Lang::En
                && j + 1 < words.len()
                && CONNECTORS.contains(&words[j].text.as_str())
                && words[j].joined
                && words[j + 1].joined
                && candidate(&words[j + 1])
                && !possessive(&words[j - 1])
            {
                // `Ministry of Defence`, `Hospital for Sick Children`.
                j += 2;
            } else {
                break;
            }
        }
        let run = &words[i..j];
        let plain_run: Vec<String> = run.iter().map(|w| plain(&w.text, lang)).collect();
        let classes: Vec<Class> = run
            .iter()
            .zip(&plain_run)
            .map(|(w, p)| match capitalised(&w.text) {
                true => class(p.split('-').next().unwrap_or(""), lang),
                false => Class::Other,
            })
            .collect();
        let is_name = |k: usize| classes[k] == Class::Name && !(k == 0 && run[0].sentence_start);
        let names: Vec<usize> = (0..run.len()).filter(|&k| is_name(k)).collect();
        let text = match (names.first(), names.last()) {
            (Some(&first), Some(&last)) => run[first..=last]
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            _ => String::new(),
        };
        out.push(Span {
            text,
            words: names.iter().map(|&k| plain_run[k].clone()).collect(),
            terms: (0..run.len())
                .filter(|&k| classes[k] == Class::Term && !(k == 0 && run[0].sentence_start))
                .map(|k| plain_run[k].clone())
                .collect(),
            position: (i as f32 / words.len() as f32, j as f32 / words.len() as f32),
        });
        i = j;
    }
    out
}

/// Whether the name word `word` (plain, of `lang`) matches a plain word of the other side:
/// the same word, its exonym, or a cognate spelling ([`skeleton`]) sharing five letters
/// (`Kanada` ↔ `Canadian`, `Meksiko` ↔ `Mexico`).
fn found(word: &str, lang: Lang, other: &[String]) -> bool {
    let forms: Vec<&str> = match lang {
        Lang::Id => english_forms(word),
        Lang::En => indonesian_forms(word),
    };
    if other
        .iter()
        .any(|w| w == word || forms.contains(&w.as_str()))
    {
        return true;
    }
    let a = skeleton(word);
    other.iter().any(|w| {
        let b = skeleton(w);
        let shorter = a.len().min(b.len());
        let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        shorter >= 4 && common >= shorter.min(PREFIX)
    })
}

/// Letters two spellings of one name share at least (`Obama` ↔ `Obamas`).
const PREFIX: usize = 5;

/// A spelling of a word that English and Indonesian forms of one name share: ASCII letters,
/// `c` as `s` or `k`, `ph` `f`, `x` `ks`, `z` `s`, `y` `i`, no doubled letters (`Crimea` and
/// `Krimea` → `krimea`, `Brazil` and `Brasil` → `brasil`).
fn skeleton(word: &str) -> String {
    let letters: Vec<char> = word
        .chars()
        .filter_map(|c| {
            let base = match c {
                'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'í' | 'ì' | 'î' | 'ï' => 'i',
                'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
                'ú' | 'ù' | 'û' | 'ü' => 'u',
                'ñ' => 'n',
                'ç' => 's',
                c => c,
            };
            base.is_ascii_alphanumeric().then_some(base)
        })
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < letters.len() {
        let (c, next) = (letters[i], letters.get(i + 1).copied());
        // Digraphs take their second letter along.
        let (piece, width) = match (c, next) {
            ('p', Some('h')) => ("f".to_string(), 2),
            ('t', Some('h')) => ("t".to_string(), 2),
            ('c', Some('k')) => ("k".to_string(), 2),
            ('c', Some('e' | 'i' | 'y')) => ("s".to_string(), 1),
            ('c' | 'q', _) => ("k".to_string(), 1),
            ('x', _) => ("ks".to_string(), 1),
            ('z', _) => ("s".to_string(), 1),
            ('y', _) => ("i".to_string(), 1),
            _ => (c.to_string(), 1),
        };
        for ch in piece.chars() {
            if !out.ends_with(ch) {
                out.push(ch);
            }
        }
        i += width;
    }
    out
}

/// The English forms of an Indonesian name word (plain) that shares no prefix with them
/// (`jepang` → `japan`, `japanese`).
pub fn english_forms(word: &str) -> Vec<&'static str> {
    EXONYMS
        .iter()
        .filter(|(id, _)| *id == word)
        .flat_map(|(_, en)| en.iter().copied())
        .collect()
}

fn indonesian_forms(word: &str) -> Vec<&'static str> {
    EXONYMS
        .iter()
        .filter(|(_, en)| en.contains(&word))
        .map(|(id, _)| *id)
        .collect()
}

/// Capitalised Indonesian words that are titles, function words or otherwise not names, and
/// whose translation is not a name either.
static ID_OTHER: LazyLock<HashSet<&str>> =
    LazyLock::new(|| word_list(include_str!("names/id-not-names.txt")).collect());

/// Capitalised Indonesian words that are generic heads or common words of names: a
/// translation translates them (`Universitas` → `University`, `Angkatan Laut` → `Navy`).
static ID_TERMS: LazyLock<HashSet<&str>> =
    LazyLock::new(|| word_list(include_str!("names/id-terms.txt")).collect());

/// Capitalised English words that are not names: function words, titles and generic heads.
static EN_NOT_NAMES: LazyLock<HashSet<&str>> =
    LazyLock::new(|| word_list(include_str!("names/en-not-names.txt")).collect());

/// Indonesian names whose English form shares no prefix with them (country and city names,
/// their adjectives, acronyms).
static EXONYMS: LazyLock<Vec<(&str, Vec<&str>)>> = LazyLock::new(|| {
    word_list(include_str!("names/exonyms.txt"))
        .filter_map(|line| line.split_once(':'))
        .map(|(id, en)| (id.trim(), en.split_whitespace().collect()))
        .collect()
});

/// The entries of a word list file: trimmed lines, without blank and `#` comment lines.
fn word_list(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}
#[cfg(test)]
mod tests {
    use super::*;

    fn none(src: &str, tgt: &str) {
        let d = compare(src, tgt);
        assert_eq!(d, NameDiff::default(), "{src} → {tgt}");
    }

    #[test]
    fn substituted_name_is_missing_and_added() {
        let d = compare(
            "Kemudian Budi Santoso pergi ke Bandung.",
            "Then Budi Santoso went to Jakarta.",
        );
        assert_eq!(d.missing, ["Bandung"]);
        assert_eq!(d.added, ["Jakarta"]);
        none(
            "Kemudian Budi Santoso pergi ke Bandung.",
            "Then Budi Santoso went to Bandung.",
        );
        let d = compare(
            "Ia membunuh Andre Price III dengan menekan wajahnya.",
            "She killed Mike Pierce by pressing his face.",
        );
        assert_eq!(d.missing, ["Andre Price III"]);
        assert_eq!(d.added, ["Mike Pierce"]);
    }

    #[test]
    fn dropped_and_invented_names() {
        assert_eq!(
            compare(
                "Tn. Osborne bergabung dengan agensi pembicara AS.",
                "He joined a US speakers agency."
            )
            .missing,
            ["Osborne"]
        );
        assert_eq!(
            compare("Ia bertemu dengan menteri.", "He met with minister Smith.").added,
            ["Smith"]
        );
    }

    #[test]
    fn flags_name_their_names() {
        let flags = check("Ia bertemu Joko dan Ani.", "He met Bob and Ani.");
        assert_eq!(flags.len(), 2);
        assert_eq!(flags[0].kind, FlagKind::NameMissing);
        assert_eq!(names_in_detail(&flags[0].detail), ["Joko"]);
        assert_eq!(flags[1].kind, FlagKind::NameAdded);
        assert_eq!(names_in_detail(&flags[1].detail), ["Bob"]);
        assert!(check("Ia bertemu Joko.", "He met Joko.").is_empty());
    }

    #[test]
    fn sentence_initial_words_titles_and_function_words_are_not_names() {
        none(
            "Presiden berbicara kepada Anda.",
            "The president spoke to you.",
        );
        none(
            "Saham itu naik. Hari ini, Khanzir kesepian.",
            "The share rose. Today, Khanzir is lonely.",
        );
        // Quoted speech starts anew; `Tn.` is a title.
        none(
            "Ada saatnya, ujar Tn. Panvalkar, “Kami pergi.”",
            "There was a time, Mr Panvalkar said, “We left.” I’m sure I'd go.",
        );
        none(
            "Ia bertemu Nn. Smith pada Senin.",
            "He met Ms. Smith on Monday.",
        );
    }

    #[test]
    fn exonyms_cognates_and_acronyms_match() {
        none(
            "Ia tinggal di Jepang dan Amerika Serikat.",
            "He lived in Japan and the United States.",
        );
        none("Agensi di AS.", "An agency in the U.S.");
        none(
            "Ekspor ke Kanada, Meksiko dan Brasil dari Krimea.",
            "Exports to Canadian, Mexican and Brazil from Crimea.",
        );
        none(
            "Sebelum referendum Skotlandia di Beograd.",
            "Before the Scottish referendum in Belgrade.",
        );
        none(
            "Pertumbuhan PDB dan larangan HFC menurut PBB.",
            "GDP growth and the ban on HFCs according to the UN.",
        );
    }

    #[test]
    fn possessives_match() {
        none(
            "Rekening bank Clinton dan mobil Obama-nya.",
            "Clinton’s bank account and Obama's car.",
        );
    }

    #[test]
    fn translated_names_are_not_missing_nor_added() {
        none(
            "Janji tatanan Angkatan Laut baru dibuat.",
            "The promise of new Royal Navy orders was made.",
        );
        none(
            "Menurut Biro Sensus, angkanya naik.",
            "According to the Census Bureau, the number rose.",
        );
        none(
            "Ini peta Kementerian Pertahanan Inggris yang lama.",
            "These are old British Ministry of Defence maps.",
        );
        none(
            "Mereka menentang budaya Bangsa Pertama.",
            "They oppose First Nations culture.",
        );
        // A translated term explains only a name near it, of about as many words.
        assert_eq!(
            compare(
                "Nn. Pugh dirawat di Rumah Sakit Papworth dan Addenbrooke.",
                "Ms. Pugh was treated at the Royal Hospital for Sick Children.",
            ),
            NameDiff {
                missing: vec!["Papworth".into(), "Addenbrooke".into()],
                added: vec!["Royal Hospital for Sick Children".into()],
            }
        );
        assert_eq!(
            compare(
                "Angkatan Laut berlatih di sana kemarin bersama tentara lain.",
                "The Navy trained there yesterday with other troops from Jakarta.",
            )
            .added,
            ["Jakarta"]
        );
    }

    #[test]
    fn headlines_and_menu_paths_are_not_read_for_names() {
        none(
            "Harga Beras Naik Lagi di Pasar Induk Kramat Jati",
            "Rice Prices Rise Again at the Main Market",
        );
        none(
            "Pilih Sisipkan - Objek - Diagram.",
            "Choose Insert - Object - Chart.",
        );
    }

    #[test]
    fn skeletons_share_spellings() {
        assert_eq!(
            skeleton("Crimea".to_lowercase().as_str()),
            skeleton("krimea")
        );
        assert_eq!(skeleton("brazil"), skeleton("brasil"));
        assert_eq!(skeleton("philippines"), "filipines");
        assert_eq!(skeleton("mexico"), "meksiko");
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "",
            "...",
            "A.B.",
            "X",
            "’s",
            "G.D.P",
            "É É É É É",
            "-nya",
            "A-",
        ] {
            let _ = compare(text, text);
            let _ = compare(text, "");
            let _ = compare("", text);
        }
    }
}
