//! Writing YAML for front matter and `trailmark.yaml`: block maps at the top, plain scalars
//! where YAML reads them back as the same string, JSON-style quoted strings elsewhere (YAML
//! is a superset of JSON), so the output is stable and reads back to the same values.

use std::fmt::Write as _;

use serde_json::{Map, Value};

/// The lines of a YAML map, without `---` fences.
pub(crate) fn front_matter(map: &Map<String, Value>) -> String {
    let mut text = String::new();
    write_map(&mut text, map, 0);
    text
}

fn write_map(text: &mut String, map: &Map<String, Value>, indent: usize) {
    for (key, value) in map {
        let pad = " ".repeat(indent);
        let key = scalar_str(key);
        match value {
            Value::Object(inner) if !inner.is_empty() => {
                let _ = writeln!(text, "{pad}{key}:");
                write_map(text, inner, indent + 2);
            }
            Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
                let _ = writeln!(text, "{pad}{key}:");
                for item in items {
                    match item {
                        Value::Object(inner) if !inner.is_empty() => {
                            let mut nested = String::new();
                            write_map(&mut nested, inner, indent + 4);
                            // The first key goes on the dash line.
                            let first = nested.get(indent + 4..).unwrap_or_default();
                            let _ = write!(text, "{pad}  - {first}");
                        }
                        other => {
                            let _ = writeln!(text, "{pad}  - {}", inline(other));
                        }
                    }
                }
            }
            other => {
                let _ = writeln!(text, "{pad}{key}: {}", inline(other));
            }
        }
    }
}

/// A value on one line: a scalar, or a flow list or map.
pub(crate) fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_str(s),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", quoted(k), inline(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

/// A string as a plain scalar when that reads back as the same string, else quoted.
pub(crate) fn scalar_str(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        quoted(text)
    }
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if !first.is_alphabetic() || text.ends_with(' ') {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n" | "nan" | "inf"
    ) {
        return false;
    }
    text.chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/' | '(' | ')'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_block_maps_and_quotes_only_when_needed() {
        let value = json!({
            "title": "Hello: world",
            "weight": 3,
            "draft": true,
            "slug": "intro",
            "aliases": ["/old.html", "/x/"],
            "extra": {"mood": "yes", "n": 1},
            "menu": [{"name": "Home", "url": "/"}],
            "empty": "",
        });
        let Value::Object(map) = value else {
            unreachable!()
        };
        assert_eq!(
            front_matter(&map),
            "title: \"Hello: world\"\nweight: 3\ndraft: true\nslug: intro\n\
             aliases: [\"/old.html\", \"/x/\"]\nextra:\n  mood: \"yes\"\n  \"n\": 1\n\
             menu:\n  - name: Home\n    url: \"/\"\nempty: \"\"\n"
        );
    }
}
