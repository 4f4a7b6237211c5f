//! What the server hands to every request and server function.

use crate::{
    audit::Refusals,
    auth::LoginAttempts,
    error::AppError,
    store::{SessionLimits, Store},
};
use axum::extract::FromRef;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use leptos::prelude::*;

/// What every request is handed, shared: a request (and each layer that looks at it) takes one
/// count of a reference instead of a copy of every part, each a count of its own. Under load
/// those copies, from both cores at once, were a tenth of the time a kept page took.
#[derive(Clone)]
pub struct AppState(std::sync::Arc<AppParts>);

impl AppState {
    pub fn new(parts: AppParts) -> AppState {
        AppState(std::sync::Arc::new(parts))
    }

    /// The parts, to change one before the server starts.
    pub fn into_parts(self) -> AppParts {
        std::sync::Arc::unwrap_or_clone(self.0)
    }
}

impl std::ops::Deref for AppState {
    type Target = AppParts;

    fn deref(&self) -> &AppParts {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}

/// The parts of [`AppState`].
#[derive(Clone)]
pub struct AppParts {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub clock: Clock,
    pub config: Config,
    /// Refused requests and failed logins, counted until they go on record.
    pub refusals: Refusals,
    /// The login rate limit.
    pub login_attempts: LoginAttempts,
    /// Spreadsheets uploaded for a bulk update, until applied.
    pub uploads: crate::server_fns::bulk::ssr::Uploads,
    /// Strategy documents uploaded for an import, until imported.
    pub imports: crate::server_fns::setup::ssr::Imports,
    /// Structure sheets uploaded for a strategy, until applied.
    pub structures: crate::server_fns::setup::ssr::Structures,
    /// The dashboard's fields as last computed, until what they show changes.
    pub fields: crate::server_fns::strategy::ssr::KeptFields,
}

/// How this installation is reached.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Served over https (directly or behind a TLS proxy): `Secure` `__Host-` cookie, HSTS.
    pub https: bool,
    /// The origin browsers see, e.g. `https://meilenstein.mainz.de`; state-changing requests
    /// from any other origin are refused. Without it, the request's own `Host` is the origin.
    pub public_origin: Option<String>,
    pub session: SessionLimits,
}

/// Today's date as the city sees it. Fixed only when a test or a demonstration asks for a
/// particular day.
#[derive(Clone, Copy, Debug, Default)]
pub struct Clock {
    pub fixed_today: Option<NaiveDate>,
}

impl Clock {
    pub fn today(&self) -> NaiveDate {
        self.fixed_today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The moment `day` ends where the city is (the server's time zone): a view "as of" a
    /// day shows what had been recorded before this moment.
    pub fn end_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let next = day.succ_opt().unwrap_or(day).and_time(NaiveTime::MIN);
        chrono::Local
            .from_local_datetime(&next)
            .earliest()
            .map(|moment| moment.with_timezone(&Utc))
            .unwrap_or_else(|| next.and_utc())
    }
}

/// The state inside a server function or a page render.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        AppError::Internal
    })
}
