//! The command line: clap definitions, printing diagnostics and summaries, exit codes,
//! and the progress bar. No build logic lives here.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand, ValueEnum};

use trailmark::build::{self, BuildOptions, BuildReport, Outcome, Progress};
use trailmark::content::parse_date;

/// Exit code for a build whose content has errors.
pub const EXIT_CONTENT_ERRORS: u8 = 1;
/// Exit code for usage errors and fatal problems (the output could not be written).
pub const EXIT_FATAL: u8 = 2;

#[derive(Parser)]
#[command(
    name = "trailmark",
    version,
    about = "A fast static site generator for course sites, progress blogs and handbooks",
    long_about = "Trailmark turns a folder of Markdown (courses, lessons, posts, journeys, case \
                  studies, handbook pages) into a static website.\n\nStart with `trailmark init \
                  my-site`, then `trailmark build --root my-site`.",
    after_help = "Exit codes: 0 success, 1 the content has errors, 2 usage or fatal errors."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create a new site with one page of every kind
    Init {
        /// Folder to create (must not exist or be empty)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Build the site into the output folder
    Build(BuildArgs),
    /// Do everything a build does except writing, and report every problem
    Check(CheckArgs),
    /// Create a lesson, course or module with the front matter it needs
    New(NewArgs),
    /// Build the site in memory, serve it locally, and rebuild and reload on every change
    Serve(ServeArgs),
    /// Convert a Jekyll, Hugo, Zola, mdBook or Carpentries site into a new Trailmark site
    Import(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// The tool the site was written for
    #[arg(value_enum)]
    pub tool: ImportTool,
    /// The site to import (never changed)
    pub src: PathBuf,
    /// Folder to create the Trailmark site in (must not exist or be empty)
    pub dest: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ImportTool {
    Jekyll,
    Hugo,
    Zola,
    Mdbook,
    Carpentries,
}

#[derive(Args)]
pub struct NewArgs {
    /// What to create
    #[arg(value_enum)]
    pub kind: NewKind,
    /// Where, inside content/: a file for a lesson (courses/intro/01-basics.md), a folder for
    /// a course or module (courses/intro, courses/intro/01-basics)
    pub path: String,
    /// The site folder (the one holding trailmark.yaml)
    #[arg(long, short = 'r', default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The title (default: from the file or folder name)
    #[arg(long)]
    pub title: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum NewKind {
    Lesson,
    Course,
    Module,
}

#[derive(Args)]
pub struct SiteArgs {
    /// The site folder (the one holding trailmark.yaml)
    #[arg(long, short = 'r', default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Include pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Include posts dated after the build date
    #[arg(long)]
    pub future: bool,
    /// Use this URL instead of `base_url` from the config (checked like `base_url`)
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
    /// Build as if today were this date (YYYY-MM-DD), for reproducible output
    #[arg(long, value_name = "DATE", value_parser = parse_build_date)]
    pub build_date: Option<trailmark::content::Date>,
}

#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder (default: `output_dir` from the config, `public`, inside the root)
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Print nothing but problems
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Neither read nor write the build cache (`.trailmark-cache/` in the site folder)
    #[arg(long)]
    pub no_cache: bool,
    /// Print how long each step of the build took
    #[arg(long)]
    pub timings: bool,
    /// How to print problems: `text` for people, `json` (JSON Lines on stdout) for editors,
    /// `github` (workflow commands on stdout) for annotations in GitHub Actions
    #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
    pub format: Format,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Fail (exit 1) when there are warnings too, for CI
    #[arg(long)]
    pub strict: bool,
    /// How to print problems: `text`, `json` or `github` (see `build --help`)
    #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
    pub format: Format,
}

/// How diagnostics are printed. Every form comes from `trailmark::diagnostics`, the one
/// place that renders them.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: severity: message [code]`, the line with a caret, `= help: ...`
    Text,
    /// One JSON object per problem and line, on stdout
    Json,
    /// GitHub Actions workflow commands (`::error file=...,line=...::...`), on stdout
    Github,
}

#[derive(Args)]
pub struct ServeArgs {
    /// The site folder (the one holding trailmark.yaml)
    #[arg(long, short = 'r', default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Port to listen on (0 picks a free one)
    #[arg(long, short = 'p', default_value_t = 8000)]
    pub port: u16,
    /// Address to listen on; the server answers only to this address
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
    /// Include pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Build as if today were this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_build_date)]
    pub build_date: Option<trailmark::content::Date>,
    /// Print what each rebuild rendered and why, with timings
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Quiet period (ms) that ends a burst of file events
    #[arg(long, hide = true, default_value_t = 20)]
    pub debounce_ms: u64,
}

fn parse_base_url(text: &str) -> Result<String, trailmark::config::BaseUrlProblem> {
    trailmark::config::check_base_url(text)
}

fn parse_build_date(text: &str) -> Result<trailmark::content::Date, trailmark::content::TimeError> {
    parse_date(text)
}

/// Runs the command and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Init { dir } => match trailmark::scaffold::create(&dir) {
            Ok(files) => {
                println!(
                    "Created a Trailmark site in {} ({files} files).",
                    dir.display()
                );
                println!("Next: trailmark build --root {}", dir.display());
                0
            }
            Err(message) => {
                eprintln!("error: {message}");
                EXIT_FATAL
            }
        },
        Command::Build(args) => {
            let mut options = site_options(&args.site);
            options.output = args.output;
            options.use_cache = !args.no_cache;
            let progress =
                (!args.quiet && std::io::stderr().is_terminal()).then(|| Arc::new(Bar::new()));
            options.progress = progress.clone().map(|p| p as Arc<dyn Progress>);
            let report = build::build(&options);
            if let Some(bar) = progress {
                bar.finish();
            }
            print_diagnostics(&report, args.format);
            if report.outcome == Outcome::Success && !args.quiet {
                print_summary(&summary(&report, "Built"), args.format);
            }
            if args.timings {
                for (step, took) in &report.timings {
                    eprintln!("{step:>16} {:>9.1} ms", took.as_secs_f64() * 1000.0);
                }
            }
            exit_code(&report)
        }
        Command::New(args) => {
            let kind = match args.kind {
                NewKind::Lesson => trailmark::scaffold::NewContent::Lesson,
                NewKind::Course => trailmark::scaffold::NewContent::Course,
                NewKind::Module => trailmark::scaffold::NewContent::Module,
            };
            match trailmark::scaffold::new_content(
                &args.root,
                kind,
                &args.path,
                args.title.as_deref(),
            ) {
                Ok(file) => {
                    println!("Created {} {file}", kind.name());
                    0
                }
                Err(trailmark::scaffold::NewError::NotAllowed(diagnostic)) => {
                    eprintln!("{diagnostic}");
                    EXIT_FATAL
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    EXIT_FATAL
                }
            }
        }
        Command::Check(args) => {
            let mut options = site_options(&args.site);
            options.write = false;
            options.index_search = false;
            let report = build::build(&options);
            print_diagnostics(&report, args.format);
            let warnings = report.diagnostics.warning_count();
            if report.outcome == Outcome::Success && args.strict && warnings > 0 {
                eprintln!(
                    "check --strict fails on warnings: {warnings} warning{}",
                    if warnings == 1 { "" } else { "s" }
                );
                return EXIT_CONTENT_ERRORS;
            }
            if report.outcome == Outcome::Success {
                print_summary(&summary(&report, "Checked"), args.format);
            }
            exit_code(&report)
        }
        Command::Serve(args) => run_serve(&args),
        Command::Import(args) => run_import(&args),
    }
}

fn run_serve(args: &ServeArgs) -> u8 {
    let mut build = BuildOptions::new(&args.root);
    build.include_drafts = args.drafts;
    build.build_date = args.build_date;
    let options = trailmark::serve::ServeOptions {
        build,
        bind: args.bind,
        port: args.port,
        open: args.open,
        debounce: Duration::from_millis(args.debounce_ms),
        log: crate::serve_log::printer(args.verbose),
    };
    match trailmark::serve::serve(options) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_FATAL
        }
    }
}

fn run_import(args: &ImportArgs) -> u8 {
    use trailmark::import::Tool;
    let tool = match args.tool {
        ImportTool::Jekyll => Tool::Jekyll,
        ImportTool::Hugo => Tool::Hugo,
        ImportTool::Zola => Tool::Zola,
        ImportTool::Mdbook => Tool::Mdbook,
        ImportTool::Carpentries => Tool::Carpentries,
    };
    match trailmark::import::import(tool, &args.src, &args.dest) {
        Ok(summary) => {
            println!(
                "Imported {} page{} into {} ({} file{}, {} alias{} for old URLs); {} item{} need{} a person, see {}.",
                summary.pages,
                plural(summary.pages),
                args.dest.display(),
                summary.files,
                plural(summary.files),
                summary.aliases,
                if summary.aliases == 1 { "" } else { "es" },
                summary.needs_person,
                plural(summary.needs_person),
                if summary.needs_person == 1 { "s" } else { "" },
                trailmark::import::REPORT_FILE,
            );
            println!("Next: trailmark build --root {}", args.dest.display());
            0
        }
        Err(error) => {
            eprintln!("error: {error}");
            EXIT_FATAL
        }
    }
}

fn site_options(args: &SiteArgs) -> BuildOptions {
    let mut options = BuildOptions::new(&args.root);
    options.include_drafts = args.drafts;
    options.include_future = args.future;
    options.base_url.clone_from(&args.base_url);
    options.build_date = args.build_date;
    options
}

fn exit_code(report: &BuildReport) -> u8 {
    match report.outcome {
        Outcome::Success => 0,
        Outcome::ContentErrors => EXIT_CONTENT_ERRORS,
        Outcome::Fatal => EXIT_FATAL,
    }
}

/// The summary line goes to stdout, except with `--format json`, whose stdout holds JSON
/// Lines only.
fn print_summary(line: &str, format: Format) {
    if format == Format::Json {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

fn print_diagnostics(report: &BuildReport, format: Format) {
    for diagnostic in report.diagnostics.iter() {
        match format {
            Format::Text => eprintln!("{diagnostic}"),
            Format::Json => println!("{}", diagnostic.to_json()),
            Format::Github => println!("{}", diagnostic.to_github()),
        }
    }
    let (errors, warnings) = (
        report.diagnostics.error_count(),
        report.diagnostics.warning_count(),
    );
    if errors > 0 {
        // Only a site that exists can be left as it was.
        let previous = report.output_dir.join(trailmark::output::MARKER).is_file();
        eprintln!(
            "{errors} error{}, {warnings} warning{}; nothing was written{}",
            plural(errors),
            plural(warnings),
            if previous {
                ", the previous site is unchanged"
            } else {
                ""
            }
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `Built 42 pages and 7 sections into public/ in 85 ms (3 drafts skipped, 2 warnings)`
fn summary(report: &BuildReport, verb: &str) -> String {
    let mut line = format!(
        "{verb} {} page{} and {} section{}",
        report.pages,
        plural(report.pages),
        report.sections,
        plural(report.sections)
    );
    if verb == "Built" {
        line = format!("{line} into {}", report.output_dir.display());
    }
    line = format!("{line} in {} ms", report.elapsed.as_millis());
    let mut notes = Vec::new();
    if report.drafts_skipped > 0 {
        notes.push(format!(
            "{} draft{} skipped",
            report.drafts_skipped,
            plural(report.drafts_skipped)
        ));
    }
    if report.future_skipped > 0 {
        notes.push(format!(
            "{} future post{} skipped",
            report.future_skipped,
            plural(report.future_skipped)
        ));
    }
    let mut reused = Vec::new();
    if report.markdown_reused > 0 {
        let n = report.markdown_reused;
        reused.push(format!("{n} Markdown render{}", plural(n)));
    }
    if report.files_kept > 0 {
        let n = report.files_kept;
        reused.push(format!("{n} unchanged file{}", plural(n)));
    }
    if !reused.is_empty() {
        notes.push(format!(
            "reused {} from the last build",
            reused.join(" and ")
        ));
    }
    let warnings = report.diagnostics.warning_count();
    if warnings > 0 {
        notes.push(format!("{warnings} warning{}", plural(warnings)));
    }
    if !notes.is_empty() {
        line = format!("{line} ({})", notes.join(", "));
    }
    line
}

/// A progress bar that appears only once a build has run for a second, so quick builds
/// print nothing but their summary.
struct Bar {
    started: Instant,
    inner: indicatif::ProgressBar,
    shown: Mutex<bool>,
}

impl Bar {
    fn new() -> Self {
        let bar = indicatif::ProgressBar::hidden();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:>18} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Self {
            started: Instant::now(),
            inner: bar,
            shown: Mutex::new(false),
        }
    }

    fn maybe_show(&self) {
        if self.started.elapsed() < Duration::from_secs(1) {
            return;
        }
        if let Ok(mut shown) = self.shown.lock()
            && !*shown
        {
            *shown = true;
            self.inner
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        self.inner.finish_and_clear();
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: usize) {
        self.maybe_show();
        self.inner.set_message(name.to_string());
        self.inner.set_length(total as u64);
        self.inner.set_position(0);
    }

    fn advance(&self, count: usize) {
        self.maybe_show();
        self.inner.inc(count as u64);
    }
}
