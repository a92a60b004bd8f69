//! Durations as people write them: `500ms`, `30s`, `1.5s`, `2m`, `1h`; a plain number is seconds.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// Parse a duration: a positive number with a unit (`ms`, `s`, `m`, `h`); without a unit, seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let scale = match unit {
        "ms" => 0.001,
        "" | "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => f64::NAN,
    };
    match number.trim().parse::<f64>() {
        Ok(value) if scale.is_finite() => seconds(value * scale),
        _ => Err(format!(
            "bad duration '{text}': expected a number with a unit, e.g. 30s, 500ms, 2m"
        )),
    }
}

/// `seconds` as a duration in whole microseconds, if that is at least one and at most 10¹¹ s.
pub fn seconds(seconds: f64) -> Result<Duration, String> {
    let micros = (seconds * 1e6).round();
    if (1.0..=1e17).contains(&micros) {
        Ok(Duration::from_micros(micros as u64))
    } else {
        Err(format!("duration {seconds}s: out of range (1µs and up)"))
    }
}

/// Serde reader for a duration field: a number of seconds (`timeout = 60`) or text (`"500ms"`).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Seconds(f64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Seconds(s) => seconds(s),
        Raw::Text(t) => parse_duration(&t),
    }
    .map_err(serde::de::Error::custom)
}

/// [`deserialize`] for an optional field (use with `#[serde(default)]`).
pub fn deserialize_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_plain_seconds() {
        let ms = Duration::from_millis;
        assert_eq!(parse_duration("500ms"), Ok(ms(500)));
        assert_eq!(parse_duration("30s"), Ok(ms(30_000)));
        assert_eq!(parse_duration(" 1.5 s"), Ok(ms(1500)));
        assert_eq!(parse_duration("2m"), Ok(ms(120_000)));
        assert_eq!(parse_duration("0.5"), Ok(ms(500)));
        for bad in ["", "s", "10x", "0s", "-1s", "NaN", "inf", "1e99h", "1e3s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
