//! What `trailmark serve` prints: the address, each rebuild's problems and summary, and with
//! `--verbose` what was rendered and why plus step timings. The `rebuild-timing` line is
//! stable `key=value` text for benchmark scripts.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use trailmark::serve::{Rebuild, ServeLog};

/// The log `serve` writes to the terminal; `cli` builds the server's options around it, so
/// this module depends on `trailmark::serve` only and `cli` depends on it, not the other way.
pub fn printer(verbose: bool) -> Arc<dyn ServeLog> {
    Arc::new(Printer { verbose })
}

struct Printer {
    verbose: bool,
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

impl Printer {
    fn problems(rebuild: &Rebuild<'_>) {
        let mut err = std::io::stderr().lock();
        for d in rebuild.finished.diagnostics.iter() {
            let _ = writeln!(err, "{d}");
        }
        let errors = rebuild.finished.diagnostics.error_count();
        if errors > 0 {
            let _ = writeln!(
                err,
                "{errors} error{}; {}",
                if errors == 1 { "" } else { "s" },
                if rebuild.number == 1 {
                    "the browser shows them until they are fixed"
                } else {
                    "still serving the last good site"
                }
            );
        }
    }

    fn details(rebuild: &Rebuild<'_>) -> String {
        let stats = &rebuild.finished.stats;
        let mut out = String::new();
        let steps: Vec<String> = stats
            .timings
            .iter()
            .map(|(name, d)| {
                let extra = match *name {
                    "read" => format!(
                        " ({} parsed, {} reused)",
                        stats.docs_parsed, stats.docs_reused
                    ),
                    "markdown" => format!(
                        " ({} rendered, {} reused)",
                        stats.markdown_rendered, stats.markdown_reused
                    ),
                    "render" => format!(
                        " ({} rendered, {} reused)",
                        stats.jobs_rendered.len(),
                        stats.jobs_reused
                    ),
                    _ => String::new(),
                };
                format!("{name} {}{extra}", ms(*d))
            })
            .collect();
        if stats.strategy != trailmark::build::RebuildStrategy::Run {
            let _ = writeln!(out, "  how: {}", stats.strategy);
        }
        let _ = writeln!(out, "  steps: {}", steps.join(", "));
        if stats.config_changed && rebuild.number > 1 {
            let _ = writeln!(
                out,
                "  config changed: the caches it can change were cleared (Markdown renders are kept, documents while the config reads them alike)"
            );
        }
        for (path, reason) in &stats.jobs_rendered {
            let _ = writeln!(out, "  rendered {path} ({})", reason.describe());
        }
        let latency = rebuild.latency.unwrap_or(stats.total);
        let _ = writeln!(
            out,
            "rebuild-timing number={} latency_ms={:.3} waited_ms={:.3} build_ms={:.3} rendered={} reused={} changed_outputs={} ok={}",
            rebuild.number,
            latency.as_secs_f64() * 1000.0,
            rebuild.waited.as_secs_f64() * 1000.0,
            stats.total.as_secs_f64() * 1000.0,
            stats.jobs_rendered.len(),
            stats.jobs_reused,
            rebuild.changed_outputs,
            !rebuild.kept_last_good,
        );
        out
    }
}

impl ServeLog for Printer {
    fn listening(&self, url: &str, first: &Rebuild<'_>) {
        Self::problems(first);
        let f = first.finished;
        let mut out = std::io::stdout().lock();
        if f.diagnostics.error_count() > 0 {
            // Nothing was built: say so rather than count pages of a build that failed (the
            // error count and what the browser shows were printed above).
            let _ = writeln!(out, "The first build failed in {}", ms(f.stats.total));
        } else {
            let _ = writeln!(
                out,
                "Built {} pages and {} sections in {}",
                f.pages,
                f.sections,
                ms(f.stats.total)
            );
        }
        if self.verbose {
            let _ = write!(out, "{}", Self::details(first));
        }
        let _ = writeln!(out, "Serving the site at {url} (Ctrl-C to stop)");
        let _ = out.flush();
    }

    fn rebuilt(&self, rebuild: &Rebuild<'_>) {
        Self::problems(rebuild);
        let mut out = std::io::stdout().lock();
        let trigger = match rebuild.trigger {
            [] => String::from("changes"),
            [one] => one.clone(),
            [first, rest @ ..] => format!("{first} and {} more", rest.len()),
        };
        let outcome = if rebuild.kept_last_good {
            "failed".to_string()
        } else {
            format!(
                "{} file{} changed",
                rebuild.changed_outputs,
                if rebuild.changed_outputs == 1 {
                    ""
                } else {
                    "s"
                }
            )
        };
        let _ = writeln!(
            out,
            "Rebuilt after {trigger}: {outcome}, served in {}",
            ms(rebuild.latency.unwrap_or_default())
        );
        if self.verbose {
            let _ = write!(out, "{}", Self::details(rebuild));
        }
        let _ = out.flush();
    }

    fn note(&self, message: &str) {
        eprintln!("note: {message}");
    }
}
