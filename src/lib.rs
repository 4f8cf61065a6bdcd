//! Syllabus: a static site generator for online courses and technical books.
//!
//! `source::read` is the only disk read and `output::Staging` the only disk write; everything
//! between (`build::build`) is pure: sources in, files and diagnostics out.

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod html;
pub mod init;
pub mod markdown;
pub mod memo;
pub mod output;
pub mod serve;
pub mod site;
pub mod source;
