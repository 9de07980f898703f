//! Integration tests: build fixture sites through the `trailmark` binary and check what a
//! user would look at. One test binary; each module covers one area.

mod browser;
mod harness;
mod serve_harness;

mod blog;
mod cli;
mod codes;
mod compat;
mod content;
mod courses;
mod courses_browser;
mod disk_full;
mod errors;
mod example_site;
mod hardening;
mod hardening_promises;
mod hardening_redteam;
mod ids;
mod output;
mod page_kinds;
mod properties;
mod reads;
mod sites;

mod cache;
mod handbook;
mod import;
mod search;
mod search_quality;
mod serve;
mod serve_security;
mod serve_series;
mod theme;
mod theme_css;
