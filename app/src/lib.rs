//! Meilenstein: milestones and progress of a city's digital strategy.
//!
//! `domain` holds the pure rules (shared by server and browser), `charts` and `store` run on the
//! server only, `chart_views` are the charts as the pages show them (made on the server),
//! `server_fns` are the HTTP endpoints the pages call, and `pages`/`components` mirror what the
//! user sees.

#![recursion_limit = "256"]
pub mod app;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod chart_views;
#[cfg(feature = "ssr")]
pub mod charts;
pub mod components;
pub mod domain;
pub mod error;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod reminder_mail;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod spreadsheet;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod uploads;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands: the server renders every page; only the parts marked `#[island]` run here.
    leptos::mount::hydrate_islands();
    // Lets styles (and browser tests) tell a page whose islands run from a server-rendered one.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
