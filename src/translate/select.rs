//! Choosing a backend: `--backend` (a [`BackendChoice`]) and `selaras.toml` resolved into a
//! [`BackendSpec`] to build.

use std::fmt;
use std::str::FromStr;

use super::auto::{models_dir, resolve_auto, AutoInputs};
use super::config::Config;
use super::spec::{BackendKind, BackendSpec};
use super::TranslateError;

/// Which backend a command asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum BackendChoice {
    /// The best one available for the language pair (see [`super::auto`]).
    #[default]
    Auto,
    /// No machine translation.
    None,
    /// A backend named in `selaras.toml`.
    Named(String),
    /// A built-in kind with its default settings (a backend of that name in `selaras.toml`
    /// comes first).
    Kind(BackendKind),
}

impl FromStr for BackendChoice {
    type Err = String;

    /// `auto`, `none`, a kind's name, or any other name (looked up in the config file).
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.trim() {
            "" => return Err("empty backend name".into()),
            "auto" => BackendChoice::Auto,
            "none" => BackendChoice::None,
            name => name
                .parse()
                .map_or_else(|_| BackendChoice::Named(name.into()), BackendChoice::Kind),
        })
    }
}

impl fmt::Display for BackendChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackendChoice::Auto => f.write_str("auto"),
            BackendChoice::None => f.write_str("none"),
            BackendChoice::Named(name) => f.write_str(name),
            BackendChoice::Kind(kind) => f.write_str(kind.name()),
        }
    }
}

/// A backend chosen and ready to build.
#[derive(Debug, Clone, PartialEq)]
pub struct Chosen {
    /// The name it was chosen by (`auto`, a config name or a kind).
    pub name: String,
    /// What to build.
    pub spec: BackendSpec,
    /// What quality to expect, when known (printed when a run starts).
    pub quality: Option<String>,
}

/// Resolve `choice` with `config` for translating `source` → `target`; `None` for
/// [`BackendChoice::None`]. Errors name the unknown backend and the known ones.
pub fn resolve(
    choice: &BackendChoice,
    config: &Config,
    source: &str,
    target: &str,
) -> Result<Option<Chosen>, TranslateError> {
    let name = choice.to_string();
    let chosen = |spec: BackendSpec, quality: Option<String>| {
        let quality = quality.or_else(|| spec.quality().map(str::to_string));
        Ok(Some(Chosen {
            name: name.clone(),
            spec,
            quality,
        }))
    };
    match choice {
        BackendChoice::None => Ok(None),
        _ if config.backends.contains_key(&name) => chosen(config.backends[&name].clone(), None),
        BackendChoice::Kind(kind) => chosen(kind.default_spec(), None),
        BackendChoice::Auto => {
            let http = config.backends.iter().find(|(_, spec)| {
                matches!(
                    spec,
                    BackendSpec::LibreTranslate(_) | BackendSpec::OpenAi(_)
                )
            });
            let choice = resolve_auto(&AutoInputs {
                models_dir: &models_dir(),
                source,
                target,
                http: http.map(|(name, spec)| (name.as_str(), spec)),
            })
            .map_err(TranslateError::Config)?;
            chosen(choice.spec, Some(choice.quality))
        }
        BackendChoice::Named(_) => {
            let mut known: Vec<&str> = BackendKind::ALL.iter().map(|k| k.name()).collect();
            known.push("auto");
            known.extend(config.backends.keys().map(String::as_str));
            let from = config
                .path
                .as_ref()
                .map(|p| format!(" (config: {})", p.display()))
                .unwrap_or_default();
            Err(TranslateError::Config(format!(
                "unknown backend '{name}'{from}; known: {}",
                known.join(", ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(choice: &str, config: &Config) -> Result<Option<Chosen>, TranslateError> {
        resolve(&choice.parse().unwrap(), config, "id", "en")
    }

    #[test]
    fn choices_parse_into_kinds_names_and_sentinels() {
        assert_eq!("auto".parse(), Ok(BackendChoice::Auto));
        assert_eq!(" none ".parse(), Ok(BackendChoice::None));
        assert_eq!(
            "openai".parse(),
            Ok(BackendChoice::Kind(BackendKind::OpenAi))
        );
        assert_eq!("office".parse(), Ok(BackendChoice::Named("office".into())));
        assert!("".parse::<BackendChoice>().is_err());
        assert!(resolved("none", &Config::default()).unwrap().is_none());
    }

    #[test]
    fn unknown_backends_are_clear() {
        let err = resolved("nope", &Config::default()).unwrap_err();
        assert!(err.to_string().contains("unknown backend 'nope'"), "{err}");
        assert!(err.to_string().contains("libretranslate, openai"), "{err}");
    }

    #[test]
    fn config_names_come_first_even_over_kinds() {
        let config = Config::parse(
            "[backends.office]\ntype = \"libretranslate\"\nendpoint = \"http://127.0.0.1:1\"\nbatch_size = 7\n\
             [backends.command]\ntype = \"command\"\ncommand = \"cat\"\n",
        )
        .unwrap();
        let office = resolved("office", &config).unwrap().unwrap();
        assert_eq!(office.name, "office");
        assert_eq!(office.spec.batching().batch_size, 7);
        let command = resolved("command", &config).unwrap().unwrap();
        assert_eq!(command.spec, config.backends["command"]);
        let llm = resolved("llm", &config).unwrap().unwrap();
        assert!(llm.quality.unwrap().contains("draft quality"));
    }
}
