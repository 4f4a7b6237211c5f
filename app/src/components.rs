//! Pieces shared by several pages.

pub mod as_of;
pub mod bulk;
pub mod chart;
pub mod document_problems;
pub mod error_view;
pub mod field_checks;
pub mod form;
pub mod indicators;
pub mod layout;
pub mod milestone_form;
pub mod notice;
pub mod plan;
pub mod progress;
pub mod structure;
