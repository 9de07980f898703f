//! The `trailmark` binary: parses the command line and hands over to `cli`.

mod cli;
mod serve_log;

use std::process::ExitCode;

use clap::Parser;

/// jemalloc instead of glibc's malloc: a build allocates and frees many short-lived values
/// on every thread (a parsed front matter, a view per page), which glibc served by growing
/// and trimming each thread's heap; a third less CPU on the 10,000-page benchmark. It also
/// serves the C code's `malloc` (see `Cargo.toml`).
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version are not errors; everything else is a usage error (exit 2).
            let code = if error.use_stderr() {
                cli::EXIT_FATAL
            } else {
                0
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(cli::run(cli))
}
