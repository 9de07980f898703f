//! A job's template context, kept as JSON views until it renders: `build/` collects the
//! variables (and keys its cache by their hash), and only here are they converted for Tera,
//! so Tera stays `template/`'s own crate.

use serde_json::Value;
use tera::Context;

use super::Templates;
use super::shared::{PartLookup, to_tera};
use super::view_hash::ViewHasher;
use crate::diagnostics::Diagnostic;
use crate::digest::Digest;

/// The global `site` variable, converted for Tera and hashed once per build.
pub struct Globals {
    tera: tera::Value,
    hash: Digest,
}

impl Globals {
    pub fn new(site: &Value) -> Self {
        Globals {
            // Converted for Tera once: its values share their maps, so every job's context
            // takes a cheap copy instead of converting the JSON again.
            tera: tera::Value::from_serializable(site),
            hash: super::view_hash::hash_value(site),
        }
    }
}

/// The variables of one job's template context, collected before rendering so they can be
/// hashed. `site` (the same for every job) is held by reference.
pub struct JobContext<'a> {
    site: &'a Globals,
    vars: Vec<(&'static str, Value)>,
    /// The shared parts (cards, trees) the views refer to.
    parts: &'a dyn PartLookup,
}

impl<'a> JobContext<'a> {
    pub fn new(site: &'a Globals, parts: &'a dyn PartLookup) -> Self {
        Self {
            site,
            vars: Vec::new(),
            parts,
        }
    }

    /// Adds a variable; views are built per job as JSON values and handed over whole
    /// (serialising a value again would copy it).
    pub fn insert_value(&mut self, key: &'static str, value: Value) {
        self.vars.push((key, value));
    }

    /// The hash of everything `template` would be given: the job cache's key.
    pub fn key(&self, template: &str) -> Digest {
        let mut hasher = ViewHasher::new();
        hasher.bytes(self.site.hash.as_bytes());
        hasher.str(template);
        for (name, value) in &self.vars {
            hasher.str(name);
            hasher.value(value);
        }
        hasher.finish()
    }

    fn into_tera(self) -> Context {
        let mut context = Context::new();
        context.insert_value("site", self.site.tera.clone());
        for (name, value) in self.vars {
            context.insert_value(name, to_tera(value, self.parts));
        }
        context
    }
}

impl Templates {
    /// Renders template `name` with a job's context; `rendering_for` names the output in
    /// errors.
    pub fn render_job(
        &self,
        name: &str,
        context: JobContext<'_>,
        rendering_for: &str,
    ) -> Result<String, Diagnostic> {
        self.render(name, &context.into_tera(), rendering_for)
    }

    /// Renders the shortcode template `name` (`shortcodes/<name>.html`) for the call
    /// numbered `index` in its page, with its arguments and the `site` values shortcodes
    /// see.
    pub fn render_shortcode(
        &self,
        name: &str,
        args: &impl serde::Serialize,
        (index, first): (usize, bool),
        site: &Value,
        rendering_for: &str,
    ) -> Result<String, Diagnostic> {
        let mut context = Context::new();
        context.insert("args", args);
        context.insert("index", &index);
        context.insert("first", &first);
        context.insert("site", site);
        self.render(name, &context, rendering_for)
    }
}
