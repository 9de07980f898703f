//! Integration tests: build fixture sites through the `trailmark` binary and check what a
//! user would look at. One test binary; each module covers one area.

mod browser;
mod harness;
mod serve_harness;

mod cli;
mod content;
mod errors;
mod example_site;
mod output;
mod serve;
mod serve_security;
