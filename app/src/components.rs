//! Pieces shared by several pages.

pub mod error_view;
pub mod layout;
pub mod milestone_form;
pub mod progress;
pub mod structure;
