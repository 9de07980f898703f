//! Trailmark: a static site generator for course sites, progress blogs and handbooks.
//!
//! The library holds everything; the `trailmark` binary is a thin command line over
//! [`build::build`], [`serve::serve`] and [`scaffold::create`]. See `DESIGN.md` (shared with the team) for the
//! content model and the one-way data flow: walk (`source`), parse (`front_matter`,
//! `content`), assemble (`graph`), render Markdown (`markdown`), plan and render jobs
//! (`build`, `template`), write (`output`).

pub mod build;
pub mod config;
pub mod content;
pub mod css_minify;
pub mod diagnostics;
pub mod digest;
pub mod front_matter;
pub mod graph;
pub mod import;
pub mod markdown;
pub mod output;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod template;
