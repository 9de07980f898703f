//! Parts of views that many jobs show (page and section cards, course and handbook trees),
//! converted for Tera once per build instead of once for every job that shows them.
//!
//! Views are built as JSON. A view that shows a shared part holds a *reference* to it: a
//! short string naming the part and the hash of its content, instead of a deep copy. When a
//! job is rendered, [`to_tera`] converts its view for Tera and puts the part's ready Tera
//! value where the reference is; Tera 2 keeps maps and arrays behind `Arc`, so that is a
//! cheap copy. The view key hashes the reference, so it still changes with the part.
//!
//! On the 10,000-page benchmark, deep copies of cards and trees, their conversion for Tera
//! and their hashing in every view were about a tenth of a cold build's CPU time (perf);
//! sharing them took user time from 5.0-5.7 s to 4.4-5.3 s, with byte-identical output.

use serde_json::Value;

use crate::digest::Digest;
use crate::graph::reads::{Part, Read};

/// Starts every reference. A NUL cannot come out of Markdown or YAML by accident, and a
/// reference that does not match a part's current hash is left as the plain string.
const MARKER: &str = "\u{0}trailmark-part:";

/// A view part with its Tera form and content hash, made once.
#[derive(Clone)]
pub struct SharedPart {
    json: Value,
    tera: tera::Value,
    hash: Digest,
}

impl SharedPart {
    pub fn new(json: Value) -> Self {
        let hash = super::view_hash::hash_value(&json);
        // A part holds no references, so Tera's own conversion gives the same value
        // without a copy of the JSON.
        let tera = tera::Value::from_serializable(&json);
        SharedPart { json, tera, hash }
    }

    pub fn json(&self) -> &Value {
        &self.json
    }

    /// What a view holds in place of the part: names `read` (which part this is: a card,
    /// section card, tree or pruned tree; a page or section read names no part and gives a
    /// reference that never resolves) and the part's hash.
    pub fn reference(&self, read: Read) -> Value {
        let (kind, id) = read
            .key()
            .part
            .map_or(('-', 0), |(part, at)| (letter(part), at));
        Value::String(format!("{MARKER}{kind}:{id}:{}", self.hash.to_hex()))
    }
}

/// The letter naming a kind of part in a reference.
fn letter(part: Part) -> char {
    match part {
        Part::Card => 'c',
        Part::SectionCard => 's',
        Part::Tree => 't',
        Part::PrunedTree => 'p',
    }
}

/// What a reference to a part names apart from the id of its page or section: its kind and
/// content hash, by which views are keyed ([`crate::build::jobs`]), so a view's key is the
/// same whatever ids the session gave (a clean build and a `serve` session number pages
/// differently). `None` for any other string.
pub fn part_identity(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix(MARKER)?;
    let mut fields = rest.splitn(3, ':');
    let kind = fields.next()?;
    if !matches!(kind, "c" | "s" | "t" | "p") {
        return None;
    }
    let _id = fields.next()?;
    Some((kind, fields.next()?))
}

/// Finds the part a reference names.
pub trait PartLookup: Sync {
    fn part(&self, read: Read) -> Option<&SharedPart>;
}

/// The part `text` refers to, if it is a reference to a current part.
fn resolve<'p>(text: &str, parts: &'p dyn PartLookup) -> Option<&'p SharedPart> {
    let rest = text.strip_prefix(MARKER)?;
    let mut fields = rest.splitn(3, ':');
    let kind = fields.next()?;
    let id: u32 = fields.next()?.parse().ok()?;
    let hash = fields.next()?;
    let part = [Part::Card, Part::SectionCard, Part::Tree, Part::PrunedTree]
        .into_iter()
        .find(|part| kind.len() == 1 && kind.starts_with(letter(*part)))?;
    let read = Read::of_part(part, id);
    parts
        .part(read)
        .filter(|part| part.hash.hex_bytes() == hash.as_bytes())
}

/// Converts a view for Tera, taking shared parts from `parts` where the view refers to
/// them. Gives the same value as Tera's own conversion (`Context::insert`) of the view with
/// every part copied in.
pub fn to_tera(value: Value, parts: &dyn PartLookup) -> tera::Value {
    match value {
        Value::Null => tera::Value::none(),
        Value::Bool(b) => tera::Value::from(b),
        // As serde_json serializes numbers: unsigned, then signed, then floating point.
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                tera::Value::from(u)
            } else if let Some(i) = n.as_i64() {
                tera::Value::from(i)
            } else {
                tera::Value::from(n.as_f64().unwrap_or_default())
            }
        }
        Value::String(text) => match resolve(&text, parts) {
            Some(part) => part.tera.clone(),
            None => tera::Value::from(text),
        },
        Value::Array(items) => tera::Value::from(
            items
                .into_iter()
                .map(|item| to_tera(item, parts))
                .collect::<Vec<_>>(),
        ),
        Value::Object(entries) => {
            let mut map = tera::Map::with_capacity(entries.len());
            for (key, item) in entries {
                map.insert(tera::value::Key::from(key), to_tera(item, parts));
            }
            tera::Value::from(map)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{PageId, SectionId};
    use serde_json::json;

    /// A lookup with no parts.
    struct NoParts;

    impl PartLookup for NoParts {
        fn part(&self, _: Read) -> Option<&SharedPart> {
            None
        }
    }

    struct OnePart(SharedPart);

    impl PartLookup for OnePart {
        fn part(&self, read: Read) -> Option<&SharedPart> {
            (read == Read::Tree(SectionId::from_raw(3))).then_some(&self.0)
        }
    }

    #[test]
    fn converts_like_teras_own_conversion() {
        let view = json!({
            "title": "Lesson", "n": 3, "neg": -2, "big": u64::MAX, "ratio": 0.5,
            "none": null, "yes": true, "list": [1, "two", { "z": 1, "a": 2 }],
            "nested": { "b": [], "a": {} },
        });
        let ours = to_tera(view.clone(), &NoParts);
        let teras = tera::Value::from_serializable(&view);
        assert_eq!(ours, teras);
        assert_eq!(format!("{ours}"), format!("{teras}"));
    }

    #[test]
    fn puts_the_part_where_the_view_refers_to_it() {
        let tree = json!([{ "title": "One", "children": [] }]);
        let part = SharedPart::new(tree.clone());
        let reference = part.reference(Read::Tree(SectionId::from_raw(3)));
        let parts = OnePart(part);
        let view = json!({ "outline": reference, "title": "Course" });
        let expected =
            tera::Value::from_serializable(&json!({ "outline": tree, "title": "Course" }));
        assert_eq!(to_tera(view, &parts), expected);
    }

    #[test]
    fn a_stale_or_unknown_reference_stays_a_string() {
        let parts = OnePart(SharedPart::new(json!([1])));
        let stale = SharedPart::new(json!([2])).reference(Read::Tree(SectionId::from_raw(3)));
        let unknown = parts.0.reference(Read::Card(PageId::from_raw(3)));
        for reference in [stale, unknown] {
            let text = reference.as_str().unwrap_or_default().to_string();
            assert_eq!(to_tera(reference, &parts), tera::Value::from(text));
        }
    }
}
