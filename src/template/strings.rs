//! The interface strings of a theme: one table mapping a key (`search_placeholder`) to its
//! text, read by templates through the `t` function (`{{ t(key="menu") }}`).
//!
//! The table lives beside the templates, as `strings/<language>.yaml` (flat maps of key to
//! text), so it travels with the theme, is embedded with the default theme, and is
//! overridden the way templates are: a site's `templates/strings/en.yaml` replaces the
//! theme's keys one by one, not the whole file. A key is looked up for the site's language
//! (`en-GB`), then its primary subtag (`en`), then in English, first in the site's files,
//! then in the theme's. A translation therefore only needs the keys it translates.
//!
//! Texts may hold `{name}` placeholders, filled from the call's other arguments:
//! `t(key="lesson_of", number=2, total=5)`.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::digest::{Digest, Hasher};

/// The folder, inside a theme's or a site's `templates/`, holding the string files.
pub const STRINGS_DIR: &str = "strings/";

/// One string file: key to text.
pub type StringFile = BTreeMap<String, String>;

/// The merged table for one language.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    table: BTreeMap<String, String>,
    /// Where a missing key would have to be added, for the error message.
    file_hint: String,
}

impl Strings {
    /// Merges the theme's and the site's string files (by file name: `en.yaml`) for
    /// `language`: the most specific file that has a key wins.
    pub fn merge(
        language: &str,
        theme: &BTreeMap<String, StringFile>,
        site: &BTreeMap<String, StringFile>,
    ) -> Strings {
        let mut chain: Vec<String> = vec!["en".to_string()];
        if let Some(primary) = language.split(['-', '_']).next().filter(|p| !p.is_empty())
            && primary != "en"
        {
            chain.push(primary.to_string());
        }
        if !chain.iter().any(|c| c == language) && !language.is_empty() {
            chain.push(language.to_string());
        }
        let mut table = BTreeMap::new();
        // Least specific first, so later inserts win.
        for lang in &chain {
            let file = format!("{lang}.yaml");
            for layer in [theme, site] {
                if let Some(strings) = layer.get(&file) {
                    for (key, text) in strings {
                        table.insert(key.clone(), text.clone());
                    }
                }
            }
        }
        Strings {
            table,
            file_hint: format!(
                "templates/{STRINGS_DIR}{}.yaml",
                chain.last().map_or("en", String::as_str)
            ),
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.table.get(key).map(String::as_str)
    }

    /// A fingerprint of the whole table: every template's output may show any string.
    pub fn digest(&self) -> Digest {
        let mut hasher = Hasher::new();
        for (key, text) in &self.table {
            hasher.update(&(key.len() as u64).to_le_bytes());
            hasher.update(key.as_bytes());
            hasher.update(&(text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        hasher.finalize()
    }

    /// The text of `key` with its `{name}` placeholders filled from `args`. With a `count`
    /// other than 1, `key_other` is used when the table has it (`{count} posts` beside
    /// `{count} post`).
    pub fn format(
        &self,
        key: &str,
        args: &BTreeMap<String, String>,
    ) -> Result<String, MissingString> {
        let plural = args
            .get("count")
            .is_some_and(|count| count.trim() != "1")
            .then(|| self.get(&format!("{key}_other")))
            .flatten();
        let Some(text) = plural.or_else(|| self.get(key)) else {
            return Err(MissingString {
                key: key.to_string(),
                file_hint: self.file_hint.clone(),
            });
        };
        Ok(fill(text, args))
    }

    /// The table as the `t` function Tera calls.
    pub fn function(
        strings: Arc<Strings>,
    ) -> impl Fn(tera::Kwargs, &tera::State) -> tera::TeraResult<String> + Send + Sync + 'static
    {
        move |kwargs: tera::Kwargs, _: &tera::State| {
            let key: String = kwargs.must_get("key")?;
            let all: BTreeMap<String, serde_json::Value> = kwargs.deserialize().unwrap_or_default();
            let args = all
                .into_iter()
                .filter(|(name, _)| name != "key")
                .map(|(name, value)| {
                    let text = match value.as_str() {
                        Some(s) => s.to_string(),
                        None => value.to_string(),
                    };
                    (name, text)
                })
                .collect();
            strings
                .format(&key, &args)
                .map_err(|missing| tera::Error::message(missing.to_string()))
        }
    }
}

/// A template asked for an interface string the table does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no interface string `{key}`: add it to {file_hint}")]
pub struct MissingString {
    key: String,
    /// Where the site's table for its language is written.
    file_hint: String,
}

/// Replaces each `{name}` whose name is in `args`; other braces stay as written.
pub fn fill(text: &str, args: &BTreeMap<String, String>) -> String {
    if args.is_empty() || !text.contains('{') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if args.contains_key(&after[..close]) => {
                out.push_str(&args[&after[..close]]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses one string file: a flat YAML map of key to text.
pub fn parse_file(origin: &str, text: &str) -> Result<StringFile, Diagnostic> {
    let value = crate::front_matter::parse_yaml(text, 1).map_err(|e| {
        Diagnostic::error(origin, e.line, e.column, e.message)
            .with_code(crate::diagnostics::Code::StringTable)
    })?;
    let mut out = StringFile::new();
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match value {
                    // The themes split this key at spaces and index it by month: anything
                    // but twelve names silently fell back to ISO dates.
                    serde_json::Value::String(s)
                        if key == "month_names" && s.split(' ').count() != 12 =>
                    {
                        return Err(Diagnostic::error(
                            origin,
                            line_of_key(text, &key),
                            1,
                            format!(
                                "`month_names` must hold twelve names separated by single spaces, found {}",
                                s.split(' ').count()
                            ),
                        )
                        .with_code(crate::diagnostics::Code::StringTable)
                        .with_help("write a name with a space in it with a non-breaking space (U+00A0)"));
                    }
                    serde_json::Value::String(s) => {
                        out.insert(key, s);
                    }
                    serde_json::Value::Number(n) => {
                        out.insert(key, n.to_string());
                    }
                    other => {
                        return Err(Diagnostic::error(
                            origin,
                            line_of_key(text, &key),
                            1,
                            format!(
                                "interface string `{key}` must be text, not {}",
                                crate::front_matter::describe(&other)
                            ),
                        )
                        .with_code(crate::diagnostics::Code::StringTable));
                    }
                }
            }
        }
        other => {
            return Err(Diagnostic::error(
                origin,
                1,
                1,
                format!(
                    "a string file maps keys to texts; this one holds {}",
                    crate::front_matter::describe(&other)
                ),
            )
            .with_code(crate::diagnostics::Code::StringTable));
        }
    }
    Ok(out)
}

fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(pairs: &[(&str, &str)]) -> StringFile {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn site_keys_win_one_by_one_and_languages_fall_back_to_english() {
        let theme = BTreeMap::from([
            (
                "en.yaml".to_string(),
                file(&[("menu", "Menu"), ("search", "Search")]),
            ),
            ("fr.yaml".to_string(), file(&[("menu", "Menu FR")])),
        ]);
        let site = BTreeMap::from([("en.yaml".to_string(), file(&[("search", "Find")]))]);
        let en = Strings::merge("en", &theme, &site);
        assert_eq!(en.get("menu"), Some("Menu"));
        assert_eq!(en.get("search"), Some("Find"));
        let fr = Strings::merge("fr-CA", &theme, &site);
        assert_eq!(fr.get("menu"), Some("Menu FR"));
        assert_eq!(fr.get("search"), Some("Find"));
        assert_ne!(en.digest(), fr.digest());
    }

    #[test]
    fn fills_named_placeholders_only() {
        let args = BTreeMap::from([("n".to_string(), "2".to_string())]);
        assert_eq!(fill("Lesson {n} of {total}", &args), "Lesson 2 of {total}");
        assert_eq!(fill("{n}{n}{", &args), "22{");
        let theme = BTreeMap::from([(
            "en.yaml".to_string(),
            file(&[("posts", "{count} post"), ("posts_other", "{count} posts")]),
        )]);
        let plural = Strings::merge("en", &theme, &BTreeMap::new());
        let count = |n: &str| BTreeMap::from([("count".to_string(), n.to_string())]);
        assert_eq!(
            plural.format("posts", &count("1")),
            Ok("1 post".to_string())
        );
        assert_eq!(
            plural.format("posts", &count("0")),
            Ok("0 posts".to_string())
        );
        assert_eq!(
            plural.format("posts", &count("12")),
            Ok("12 posts".to_string())
        );
        let strings = Strings::merge("en", &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(
            strings.format("nope", &args).map_err(|e| e.to_string()),
            Err("no interface string `nope`: add it to templates/strings/en.yaml".to_string())
        );
    }

    #[test]
    fn month_names_must_be_twelve() {
        let error = parse_file(
            "strings/fr.yaml",
            "a: x\nmonth_names: \"janvier février\"\n",
        )
        .err()
        .map(|d| crate::diagnostics::uncoded_headline(&d));
        assert_eq!(
            error.as_deref(),
            Some(
                "strings/fr.yaml:2:1: error: `month_names` must hold twelve names separated by single spaces, found 2"
            )
        );
    }

    #[test]
    fn rejects_nested_values() {
        let error = parse_file("strings/en.yaml", "a: x\nb:\n  c: d\n").err();
        assert_eq!(
            error.map(|d| (d.line, d.message)),
            Some((
                2,
                "interface string `b` must be text, not a map".to_string()
            ))
        );
    }
}
