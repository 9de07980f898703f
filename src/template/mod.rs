//! Tera templates: loading themes, overrides, and rendering one view. With the build's job
//! contexts ([`shared::to_tera`] converts their views), the only user of Tera.
//!
//! Owns the template set of a build: the default theme embedded in the binary, an optional
//! theme folder (`themes/<name>/templates`) that replaces it, and the site's own
//! `templates/` on top, where a file of the same name wins. Template errors become
//! diagnostics naming the template file, line and column. The view models live in
//! [`views`]; templates see only the view their job hands them.

pub mod context;
#[cfg(test)]
mod contract;
mod deps;
mod print;
pub mod shared;
pub mod strings;
mod tera_reports;
pub mod view_hash;
pub mod views;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::digest::Digest;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

/// Where a theme's static file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticSource {
    Embedded(&'static [u8]),
    File(PathBuf),
}

/// The compiled templates of one build.
pub struct Templates {
    tera: Tera,
    /// Template name to the site-relative file it came from, for messages.
    origins: BTreeMap<String, String>,
    /// Template name to a fingerprint of every template file its output can depend on.
    fingerprints: BTreeMap<String, Digest>,
    /// Most loop steps one render may take through `range` ([`bounded_range`]).
    max_iterations: u64,
    /// Most bytes one render may write.
    max_output: u64,
    /// The string table's `md_*` texts, for the Markdown renderer.
    markdown_labels: crate::markdown::Labels,
    /// The string table, for texts the build writes outside templates (`<title>`s).
    strings: std::sync::Arc<strings::Strings>,
}

thread_local! {
    /// Loop steps left to the render running on this thread; set at the start of each.
    static ITERATIONS_LEFT: std::cell::Cell<u64> = const { std::cell::Cell::new(u64::MAX) };
}

/// Tera's `range`, counting every value it hands out against the render's budget of loop
/// steps: nested `range(end=99999)` loops once ran for minutes. Counting steps, never time,
/// keeps the output deterministic; the error names the template and line of the call.
#[allow(clippy::needless_pass_by_value)] // Tera hands functions their arguments by value
fn bounded_range(kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<Vec<i128>> {
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message(
            "Function `range` was called with a `step_by` argument of 0",
        ));
    }
    if start > end && step > 0 {
        return Err(tera::Error::message(
            "Function `range` was called with a `start` argument greater than the `end` one",
        ));
    }
    let span = if step > 0 {
        end.saturating_sub(start)
    } else {
        start.saturating_sub(end)
    };
    let len = u64::try_from(span.saturating_add(step.saturating_abs() - 1) / step.saturating_abs())
        .unwrap_or(u64::MAX);
    let left = ITERATIONS_LEFT.with(std::cell::Cell::get);
    if len > left {
        return Err(tera::Error::message(
            "this render ran out of loop steps (`limits: { template_iterations: N }` in trailmark.yaml)",
        ));
    }
    ITERATIONS_LEFT.with(|cell| cell.set(left - len));
    let mut values = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    let mut value = start;
    for _ in 0..len {
        values.push(value);
        value = value.saturating_add(step);
    }
    Ok(values)
}

/// A writer that takes at most `left` more bytes, then fails the render.
struct Bounded {
    bytes: Vec<u8>,
    left: u64,
    exceeded: bool,
}

impl std::io::Write for Bounded {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let len = data.len() as u64;
        if len > self.left {
            self.exceeded = true;
            return Err(std::io::Error::other("template output limit"));
        }
        self.left -= len;
        self.bytes.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Name and bytes of every file of the embedded default theme's `static/`.
pub fn embedded_static() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    embedded::STATIC.iter().copied()
}

/// Name and text of every embedded default template (for `init` and docs).
pub fn embedded_templates() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    embedded::TEMPLATES.iter().copied()
}

impl Templates {
    /// Loads the theme selected in the config, then the site's overrides.
    pub fn load(site_root: &Path, config: &Config) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut problems = Vec::new();
        if config.theme == "default" && !site_root.join("themes/default").is_dir() {
            for (name, bytes) in embedded::TEMPLATES {
                let text = String::from_utf8_lossy(bytes).into_owned();
                sources.insert(
                    (*name).to_string(),
                    (format!("(default theme)/templates/{name}"), text),
                );
            }
        } else {
            let theme_dir = site_root.join("themes").join(&config.theme);
            if !theme_dir.join("templates").is_dir() {
                return Err(vec![missing_theme(site_root, config)]);
            }
            read_template_dir(
                site_root,
                config.limits.file_bytes(),
                &theme_dir.join("templates"),
                &format!("themes/{}/templates", config.theme),
                &mut sources,
                &mut problems,
            );
        }
        let theme_strings = take_strings(&mut sources, &mut problems);
        read_template_dir(
            site_root,
            config.limits.file_bytes(),
            &site_root.join("templates"),
            "templates",
            &mut sources,
            &mut problems,
        );
        let site_strings = take_strings(&mut sources, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        let strings = strings::Strings::merge(&config.language, &theme_strings, &site_strings);
        let strings_digest = strings.digest();
        let markdown_labels = crate::markdown::Labels::resolve(|key| strings.get(key));
        let mut tera = Tera::new();
        tera.register_function("range", bounded_range);
        let strings = std::sync::Arc::new(strings);
        tera.register_function(
            "t",
            strings::Strings::function(std::sync::Arc::clone(&strings)),
        );
        let origins: BTreeMap<String, String> = sources
            .iter()
            .map(|(name, (origin, _))| (name.clone(), origin.clone()))
            .collect();
        // Add one by one so a syntax error names its own file; then add all together so
        // `extends` and `include` can see each other.
        for (name, (origin, text)) in &sources {
            let mut probe = Tera::new();
            if let Err(error) = probe.add_raw_template(name, text) {
                problems.extend(syntax_diagnostic(&error, origin, text));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        if let Err(error) =
            tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
        {
            let reported = linking_diagnostics(&error, &origins, &sources);
            return Err(if reported.is_empty() {
                vec![tera_diagnostic(&error, &origins, &sources, None)]
            } else {
                reported
            });
        }
        // Any template may show any interface string.
        let fingerprints = deps::fingerprints(&sources)
            .into_iter()
            .map(|(name, digest)| {
                let mut hasher = crate::digest::Hasher::new();
                hasher.update(digest.as_bytes());
                hasher.update(strings_digest.as_bytes());
                (name, hasher.finalize())
            })
            .collect();
        Ok(Templates {
            tera,
            origins,
            fingerprints,
            max_iterations: config.limits.template_iterations,
            max_output: config.limits.template_output_mb.saturating_mul(1 << 20),
            markdown_labels,
            strings,
        })
    }

    /// Changes whenever the template `name`, or any template it can reach, changes; caches
    /// of rendered output compare it to decide whether a job must render again.
    pub fn fingerprint(&self, name: &str) -> Digest {
        self.fingerprints.get(name).copied().unwrap_or_default()
    }

    /// The words the Markdown renderer writes (callout titles, quiz buttons), from the
    /// string table of the site's language; the build puts them in the Markdown options.
    pub fn markdown_labels(&self) -> &crate::markdown::Labels {
        &self.markdown_labels
    }

    /// The interface string `key` of the site's language with its `{name}` placeholders
    /// filled from `args`, for texts the build writes outside templates (the `<title>` of an
    /// archive); `english` when the theme's table lacks the key.
    pub fn text(&self, key: &str, args: &[(&str, &str)], english: &str) -> String {
        let args = args
            .iter()
            .map(|(name, value)| ((*name).to_string(), (*value).to_string()))
            .collect();
        self.strings
            .format(key, &args)
            .unwrap_or_else(|_| strings::fill(english, &args))
    }

    /// Every template's name (`page.html`, `partials/nav.html`), sorted.
    pub fn names(&self) -> Vec<&str> {
        self.origins.keys().map(String::as_str).collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// The first of `names` the theme provides.
    pub fn first_of<'a>(&self, names: &[&'a str]) -> Option<&'a str> {
        names.iter().copied().find(|n| self.has(n))
    }

    /// Renders `name`; a failure names the template, its line, and `rendering_for` (the
    /// content file whose page was being rendered).
    fn render(
        &self,
        name: &str,
        context: &Context,
        rendering_for: &str,
    ) -> Result<String, Diagnostic> {
        ITERATIONS_LEFT.with(|cell| cell.set(self.max_iterations));
        let mut out = Bounded {
            bytes: Vec::new(),
            left: self.max_output,
            exceeded: false,
        };
        let rendered = self.tera.render_to(name, context, &mut out);
        ITERATIONS_LEFT.with(|cell| cell.set(u64::MAX));
        if out.exceeded {
            return Err(Diagnostic::error(
                self.origins
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| format!("templates/{name}")),
                0,
                0,
                format!(
                    "template output is over {} MiB (`limits: {{ template_output_mb: N }}` in trailmark.yaml) (while rendering {rendering_for})",
                    self.max_output >> 20
                ),
            )
.with_code(crate::diagnostics::Code::TemplateOutput));
        }
        rendered.map_err(|error| {
            let sources = BTreeMap::new();
            tera_diagnostic(&error, &self.origins, &sources, Some(rendering_for))
        })?;
        // Tera writes only text it made from strings.
        String::from_utf8(out.bytes).map_err(|e| {
            Diagnostic::error(
                rendering_for,
                0,
                0,
                format!("template output is not UTF-8: {e}"),
            )
            .with_code(crate::diagnostics::Code::TemplateOutput)
        })
    }
}

/// Takes the string files (`strings/<language>.yaml`) out of `sources`: they are data for
/// the `t` function, not templates.
fn take_strings(
    sources: &mut BTreeMap<String, (String, String)>,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, strings::StringFile> {
    let names: Vec<String> = sources
        .keys()
        .filter(|name| name.starts_with(strings::STRINGS_DIR))
        .cloned()
        .collect();
    let mut out = BTreeMap::new();
    for name in names {
        let Some((origin, text)) = sources.remove(&name) else {
            continue;
        };
        let Some(file) = name.strip_prefix(strings::STRINGS_DIR) else {
            continue;
        };
        if !std::path::Path::new(file)
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("yaml"))
        {
            continue;
        }
        match strings::parse_file(&origin, &text) {
            Ok(parsed) => {
                out.insert(file.to_string(), parsed);
            }
            Err(d) => problems.push(d.with_snippet_from(&text)),
        }
    }
    out
}

fn read_template_dir(
    site_root: &Path,
    max_bytes: u64,
    dir: &Path,
    display: &str,
    sources: &mut BTreeMap<String, (String, String)>,
    problems: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    let rules = crate::source::IgnoreRules::default();
    let (files, _, walk_problems) =
        crate::source::walk(site_root, dir, display, &rules, &crate::source::InOrder);
    problems.extend(walk_problems);
    for file in files {
        let origin = format!("{display}/{}", file.doc_id);
        match crate::source::read_text(&file.source_path, &origin, max_bytes) {
            Ok(text) => {
                sources.insert(file.doc_id, (origin, text));
            }
            Err(d) => problems.push(d),
        }
    }
}

/// `theme: fancy` with no themes/fancy/templates: at the `theme:` line, with the themes
/// there are.
fn missing_theme(site_root: &Path, config: &Config) -> Diagnostic {
    let mut themes: Vec<String> = std::fs::read_dir(site_root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().join("templates").is_dir())
        .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
        .collect();
    if !themes.iter().any(|t| t == "default") {
        themes.push("default".to_string());
    }
    themes.sort();
    let help =
        match crate::diagnostics::did_you_mean(&config.theme, themes.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "the themes here are: {} (`default` is built in); a theme is a folder \
             themes/NAME/ with templates/ inside",
                themes.join(", ")
            ),
        };
    config
        .error_at(
            "theme",
            format!(
                "theme `{}` not found: no folder themes/{}/templates",
                config.theme, config.theme
            ),
        )
        .with_code(crate::diagnostics::Code::ConfigUnknownTheme)
        .with_help(help)
}

fn syntax_diagnostic(error: &tera::Error, origin: &str, text: &str) -> Option<Diagnostic> {
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) => {
            let span = report.span();
            // At the end of the file, the parser gave up on a tag left open: point at it.
            if report.message() == "Unexpected end of input"
                && let Some((line, column, tag, end)) = tera_reports::unclosed_tag(text)
            {
                return Some(
                    Diagnostic::error(
                        origin,
                        line,
                        column,
                        format!("template syntax error: this `{{% {tag} %}}` is never closed"),
                    )
                    .with_code(crate::diagnostics::Code::TemplateSyntax)
                    .with_snippet_from(text)
                    .with_help(format!("add `{{% {end} %}}` where it should end")),
                );
            }
            Some(
                Diagnostic::error(
                    origin,
                    span.start_line,
                    span.start_col + 1,
                    format!("template syntax error: {}", report.message()),
                )
                .with_code(crate::diagnostics::Code::TemplateSyntax)
                .with_snippet_from(text),
            )
        }
        _ => None,
    }
}

/// Problems found when the templates are linked together (an unknown filter, test, function
/// or included template, a block no parent has): Tera renders them into one message; read
/// back, each is a diagnostic at its own template, line and column, with its line shown.
fn linking_diagnostics(
    error: &tera::Error,
    origins: &BTreeMap<String, String>,
    sources: &BTreeMap<String, (String, String)>,
) -> Vec<Diagnostic> {
    let tera::ErrorKind::Msg(text) = error.kind() else {
        return Vec::new();
    };
    tera_reports::read_reports(text)
        .into_iter()
        .map(|report| {
            let origin = origins
                .get(&report.name)
                .cloned()
                .unwrap_or_else(|| format!("templates/{}", report.name));
            let missing_template = report
                .message
                .strip_prefix("Unknown template `")
                .and_then(|rest| rest.strip_suffix('`'));
            let draft = Diagnostic::error(
                origin,
                report.line,
                report.column,
                format!("template error: {}", report.message),
            );
            let draft = match sources.get(&report.name) {
                Some((_, text)) => draft.with_snippet_from(text),
                None => draft,
            };
            match missing_template {
                Some(name) => draft
                    .with_help_opt(template_help(name, sources))
                    .with_code(crate::diagnostics::Code::TemplateNotFound),
                None => draft
                    .with_help_opt(unknown_name_help(&report.message))
                    .with_code(crate::diagnostics::Code::TemplateSyntax),
            }
        })
        .collect()
}

fn tera_diagnostic(
    error: &tera::Error,
    origins: &BTreeMap<String, String>,
    sources: &BTreeMap<String, (String, String)>,
    rendering_for: Option<&str>,
) -> Diagnostic {
    let suffix = rendering_for
        .map(|f| format!(" (while rendering {f})"))
        .unwrap_or_default();
    let origin_of = |name: &str| {
        origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    };
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let origin = origin_of(report.filename());
            let mut d = Diagnostic::error(
                origin,
                span.start_line,
                span.start_col + 1,
                format!("template error: {}{suffix}", report.message()),
            )
            .with_code(if matches!(error.kind(), tera::ErrorKind::SyntaxError(_)) {
                crate::diagnostics::Code::TemplateSyntax
            } else {
                crate::diagnostics::Code::TemplateRender
            });
            if let Some((_, text)) = sources.get(report.filename()) {
                d = d.with_snippet_from(text);
            }
            d
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            origin_of(current),
            0,
            0,
            format!("template extends `{parent}`, which does not exist{suffix}"),
        )
        .with_code(crate::diagnostics::Code::TemplateNotFound)
        .with_help_opt(template_help(parent, sources)),
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Diagnostic::error(
            origin_of(tpl),
            0,
            0,
            format!(
                "templates extend each other in a loop: {}{suffix}",
                inheritance_chain.join(" → ")
            ),
        )
        .with_code(crate::diagnostics::Code::TemplateLoop),
        tera::ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::error(
            origin_of(tpl),
            0,
            0,
            format!(
                "templates include each other in a loop: {}{suffix}",
                include_chain.join(" → ")
            ),
        )
        .with_code(crate::diagnostics::Code::TemplateLoop),
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            "templates",
            0,
            0,
            format!("template `{name}` not found{suffix}"),
        )
        .with_code(crate::diagnostics::Code::TemplateNotFound)
        .with_help_opt(template_help(name, sources)),
        _ => {
            let mut message = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(inner) = source {
                message.push_str(": ");
                message.push_str(&inner.to_string());
                source = inner.source();
            }
            Diagnostic::error(
                "templates",
                0,
                0,
                format!("template error: {message}{suffix}"),
            )
            .with_code(crate::diagnostics::Code::TemplateRender)
        }
    }
}

/// Static files of the selected theme, by output-relative name, and the problems met on
/// the way (a link leading outside the site, an unreadable folder, a special file).
pub fn theme_static(
    site_root: &Path,
    config: &Config,
) -> (Vec<(String, StaticSource)>, Vec<Diagnostic>) {
    let theme_dir = site_root.join("themes").join(&config.theme);
    if config.theme == "default" && !theme_dir.is_dir() {
        let files = embedded_static()
            .map(|(n, b)| (n.to_string(), StaticSource::Embedded(b)))
            .collect();
        return (files, Vec::new());
    }
    let dir = theme_dir.join("static");
    let rules = crate::source::IgnoreRules::default();
    let display = format!("themes/{}/static", config.theme);
    let (files, _, problems) =
        crate::source::walk(site_root, &dir, &display, &rules, &crate::source::InOrder);
    let files = files
        .into_iter()
        .map(|f| (f.doc_id, StaticSource::File(f.source_path)))
        .collect();
    (files, problems)
}

/// Tera's built-in filters, tests and functions, and the functions Trailmark adds (`t`,
/// its own `range`): what an unknown name in a template may be a misspelling of.
const KNOWN_FILTERS: &[&str] = &[
    "safe",
    "default",
    "upper",
    "lower",
    "wordcount",
    "escape",
    "escape_html",
    "escape_xml",
    "newlines_to_br",
    "pluralize",
    "trim",
    "trim_start",
    "trim_end",
    "replace",
    "capitalize",
    "title",
    "truncate",
    "indent",
    "str",
    "int",
    "float",
    "length",
    "reverse",
    "split",
    "abs",
    "round",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "get",
    "values",
    "keys",
    "pairs",
    "group_by",
];
const KNOWN_TESTS: &[&str] = &[
    "string",
    "number",
    "map",
    "bool",
    "array",
    "integer",
    "float",
    "none",
    "iterable",
    "defined",
    "undefined",
    "odd",
    "even",
    "divisible_by",
    "starting_with",
    "ending_with",
    "containing",
];
const KNOWN_FUNCTIONS: &[&str] = &["range", "throw", "t"];

/// "did you mean" for Tera's reports of an unknown filter, test or function.
fn unknown_name_help(message: &str) -> Option<String> {
    let (kind, known) = [
        ("filter", KNOWN_FILTERS),
        ("test", KNOWN_TESTS),
        ("function", KNOWN_FUNCTIONS),
    ]
    .into_iter()
    .find(|(kind, _)| message.starts_with(&format!("Unknown {kind} `")))?;
    let name = message
        .strip_prefix(&format!("Unknown {kind} `"))?
        .strip_suffix('`')?;
    let help = crate::diagnostics::did_you_mean(name, known.iter().copied()).map_or_else(
        || {
            let mut sorted = known.to_vec();
            sorted.sort_unstable();
            format!("the {kind}s templates can use are: {}", sorted.join(", "))
        },
        |near| format!("did you mean `{near}`?"),
    );
    Some(help)
}

/// "did you mean" for a template name that does not exist.
fn template_help(name: &str, sources: &BTreeMap<String, (String, String)>) -> Option<String> {
    crate::diagnostics::did_you_mean(name, sources.keys().map(String::as_str))
        .map(|near| format!("did you mean `{near}`?"))
}
