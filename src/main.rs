//! The `trailmark` binary: parses the command line and hands over to `cli`.

mod cli;
mod serve_log;

use std::process::ExitCode;

use clap::Parser;

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
