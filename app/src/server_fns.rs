//! The HTTP endpoints behind the pages: one file per resource. Each is a public endpoint
//! (`/api/...`) and takes nothing on trust: every argument is validated here, whatever the
//! forms allow.

pub mod accessibility;
pub mod admin;
pub mod auth;
pub mod bulk;
pub mod embed;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod history;
pub mod indicators;
pub mod milestones;
pub mod quality;
pub mod reporting;
pub mod reports;
pub mod setup;
pub mod strategy;
pub mod structure;
