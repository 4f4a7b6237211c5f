//! The server's integration tests, one binary (linking the app once, not once per file): each
//! module drives a real app on a throwaway database (SQLite, or PostgreSQL when
//! `MEILENSTEIN_TEST_POSTGRES` names a server) through its router, the command line or the
//! real binary. Run one module with `cargo test -p server --test integration page_cache::`.

mod common;

mod accessibility;
mod accounts;
mod admin;
mod as_of;
mod audit;
mod bad_input;
mod bulk;
mod charts;
mod cli;
mod csv_files;
mod durability;
mod embed;
mod indicators;
mod move_db;
mod open_data;
mod page_cache;
mod pages_and_forms;
mod plan;
mod quality;
mod reminders;
mod report_files;
mod reporting;
mod reports;
mod strategy_files;
mod strategy_setup;
