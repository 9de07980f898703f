//! The schema.org objects behind `seo.json_ld`. Templates see them only as the ready
//! string; the key order of each object is the order its fields are declared in, and a
//! field left `None` is not written.

use serde::Serialize;

/// A page: `BlogPosting`, `Article` or `WebPage` (which has a `name`, not a `headline`,
/// and none of the fields from `date_published` to `in_language`).
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageLd<'a> {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    pub description: &'a str,
    pub url: &'a str,
    pub main_entity_of_page: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_modified: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<Vec<Thing<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Thing<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keywords: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_language: Option<&'a str>,
    /// A case study's client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<Thing<'a>>,
    /// A post's series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_part_of: Option<Thing<'a>>,
}

/// The home page (`WebSite`), a course (`Course`), a blog or journey (`Blog`) or any other
/// list (`CollectionPage`).
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectionLd<'a> {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Thing<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<Thing<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub educational_level: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_required: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructor: Option<Vec<Thing<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_part_of: Option<Thing<'a>>,
}

/// A person, organisation, web site or series named inside another object.
#[derive(Debug, Serialize)]
pub struct Thing<'a> {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The schema.org context every object names.
pub const CONTEXT: &str = "https://schema.org";

/// Script-safe JSON for a `<script type="application/ld+json">` block.
pub fn script(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
