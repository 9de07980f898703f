//! Permalink patterns: the URL a section gives its pages, written with the tokens Jekyll and
//! Hugo use (`/:year/:month/:day/:title/`, `/:categories/:year/:month/:day/:title:output_ext`),
//! so a migrating blog keeps its URLs.

use super::slugify;
use super::time::{Date, month_name};

/// A parsed pattern: literal text and tokens, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Token(Token),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Year,
    ShortYear,
    Month,
    IMonth,
    ShortMonth,
    LongMonth,
    Day,
    IDay,
    Hour,
    Minute,
    Second,
    Slug,
    Title,
    Categories,
    Section,
    OutputExt,
}

/// Token names, longest first so `:i_month` is not read as `:i` and `_month`.
const TOKENS: &[(&str, Token)] = &[
    ("slugified_categories", Token::Categories),
    ("contentbasename", Token::Slug),
    ("short_month", Token::ShortMonth),
    ("long_month", Token::LongMonth),
    ("short_year", Token::ShortYear),
    ("categories", Token::Categories),
    ("output_ext", Token::OutputExt),
    ("monthname", Token::LongMonth),
    ("filename", Token::Slug),
    ("i_month", Token::IMonth),
    ("section", Token::Section),
    ("minute", Token::Minute),
    ("second", Token::Second),
    ("month", Token::Month),
    ("title", Token::Title),
    ("i_day", Token::IDay),
    ("year", Token::Year),
    ("hour", Token::Hour),
    ("slug", Token::Slug),
    ("name", Token::Slug),
    ("day", Token::Day),
];

/// What one page brings to its permalink.
pub struct PermalinkInput<'a> {
    pub date: Option<Date>,
    /// The page's slug: `slug:` from front matter, else its file name without date or prefix.
    pub slug: &'a str,
    /// The URL segment of the section the pattern belongs to (`blog`).
    pub section: &'a str,
    /// The page's categories, in order (`categories:` or `category:`).
    pub categories: &'a [String],
}

/// A permalink pattern that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PermalinkError {
    #[error("permalink `{0}` must start with `/` (it is a path from the site's root)")]
    NotRooted(String),
    #[error(
        "unknown permalink token `:{name}` in `{pattern}`; known: {}",
        known_tokens()
    )]
    UnknownToken { name: String, pattern: String },
}

impl Pattern {
    /// Parses a pattern; the error names the token it does not know and lists those it does.
    pub fn parse(text: &str) -> Result<Self, PermalinkError> {
        if !text.starts_with('/') {
            return Err(PermalinkError::NotRooted(text.to_string()));
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if c == ':'
                && let Some((name, token)) = TOKENS.iter().find(|(name, _)| {
                    rest[1..].starts_with(name)
                        && !rest[1 + name.len()..]
                            .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                })
            {
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(Part::Token(*token));
                rest = &rest[1 + name.len()..];
                continue;
            }
            if c == ':' && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
                let name: String = rest[1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                return Err(PermalinkError::UnknownToken {
                    name,
                    pattern: text.to_string(),
                });
            }
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Self { parts })
    }

    /// Whether the pattern needs the page's date.
    pub fn needs_date(&self) -> bool {
        self.parts.iter().any(|part| {
            matches!(
                part,
                Part::Token(
                    Token::Year
                        | Token::ShortYear
                        | Token::Month
                        | Token::IMonth
                        | Token::ShortMonth
                        | Token::LongMonth
                        | Token::Day
                        | Token::IDay
                        | Token::Hour
                        | Token::Minute
                        | Token::Second
                )
            )
        })
    }

    /// The page's URL path: starts with `/`; ends with `/` unless the pattern ends in a file
    /// name with an extension (`.html`). `None` when the pattern needs a date the page lacks.
    pub fn expand(&self, page: &PermalinkInput) -> Option<String> {
        let mut url = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => url.push_str(text),
                Part::Token(token) => url.push_str(&Self::token_value(*token, page)?),
            }
        }
        // Empty segments (no categories) leave `//`.
        while url.contains("//") {
            url = url.replace("//", "/");
        }
        if !url.ends_with('/') && !is_file_url(&url) {
            url.push('/');
        }
        Some(url)
    }

    fn token_value(token: Token, page: &PermalinkInput) -> Option<String> {
        let date = || page.date;
        let seconds = || date().map(|d| d.seconds.unwrap_or(0));
        Some(match token {
            Token::Year => format!("{:04}", date()?.year),
            Token::ShortYear => format!("{:02}", date()?.year.rem_euclid(100)),
            Token::Month => format!("{:02}", date()?.month),
            Token::IMonth => date()?.month.to_string(),
            Token::ShortMonth => month_name(date()?.month)[..3].to_string(),
            Token::LongMonth => month_name(date()?.month).to_string(),
            Token::Day => format!("{:02}", date()?.day),
            Token::IDay => date()?.day.to_string(),
            Token::Hour => format!("{:02}", seconds()? / 3600),
            Token::Minute => format!("{:02}", (seconds()? / 60) % 60),
            Token::Second => format!("{:02}", seconds()? % 60),
            Token::Slug | Token::Title => page.slug.to_string(),
            Token::Section => page.section.to_string(),
            Token::Categories => page
                .categories
                .iter()
                .map(|c| slugify(c))
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join("/"),
            Token::OutputExt => ".html".to_string(),
        })
    }
}

/// Whether a URL path names a file (`/2014/x.html`, `/feed.xml`) rather than a folder
/// (`/2018/12/06/Rust-1.31-and-rust-2018`, whose dot is part of a name).
pub fn is_file_url(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    last.rsplit_once('.').is_some_and(|(_, ext)| {
        ["html", "htm", "xml", "json", "txt"]
            .iter()
            .any(|known| ext.eq_ignore_ascii_case(known))
    })
}

fn known_tokens() -> String {
    let mut names: Vec<String> = TOKENS.iter().map(|(name, _)| format!(":{name}")).collect();
    names.sort();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_date;

    fn expand(pattern: &str, date: &str, categories: &[&str]) -> Option<String> {
        let categories: Vec<String> = categories.iter().map(|c| (*c).to_string()).collect();
        Pattern::parse(pattern).unwrap().expand(&PermalinkInput {
            date: parse_date(date).ok(),
            slug: "jekyll-1-0-0-released",
            section: "news",
            categories: &categories,
        })
    }

    #[test]
    fn jekyll_and_hugo_patterns() {
        assert_eq!(
            expand(
                "/news/:year/:month/:day/:title/",
                "2013-5-6 02:12:52 +0200",
                &[]
            )
            .as_deref(),
            Some("/news/2013/05/06/jekyll-1-0-0-released/")
        );
        assert_eq!(
            expand(
                "/:categories/:year/:month/:day/:title:output_ext",
                "2013-05-06",
                &["Release"]
            )
            .as_deref(),
            Some("/release/2013/05/06/jekyll-1-0-0-released.html")
        );
        assert_eq!(
            expand("/:categories/:year/:title.html", "2013-05-06", &[]).as_deref(),
            Some("/2013/jekyll-1-0-0-released.html")
        );
        assert_eq!(
            expand("/:section/:year/:i_month/:slug", "2013-05-06", &[]).as_deref(),
            Some("/news/2013/5/jekyll-1-0-0-released/")
        );
        assert_eq!(
            expand(
                "/:short_year/:short_month/:long_month/:i_day/:hour:minute/",
                "2013-05-06 09:05",
                &[]
            )
            .as_deref(),
            Some("/13/May/May/6/0905/")
        );
        assert_eq!(expand("/:year/:slug/", "", &[]), None);
        assert!(!Pattern::parse("/:slug/").unwrap().needs_date());
    }

    #[test]
    fn bad_patterns_say_why() {
        assert_eq!(
            Pattern::parse("blog/:slug/").unwrap_err().to_string(),
            "permalink `blog/:slug/` must start with `/` (it is a path from the site's root)"
        );
        let err = Pattern::parse("/:yaer/:slug/").unwrap_err().to_string();
        assert!(
            err.starts_with(
                "unknown permalink token `:yaer` in `/:yaer/:slug/`; known: :categories, "
            ),
            "{err}"
        );
        // A colon not followed by a letter is literal.
        assert!(Pattern::parse("/a:1/:slug/").is_ok());
    }
}
