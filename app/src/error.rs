//! The one error type of the app: what a server function can answer besides success. It
//! travels to the browser (JSON), so it carries no internal detail; internal causes are logged
//! on the server where they happen.

use crate::domain::{FieldError, Milestone, MilestoneInput, Problem, access::Denied};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// A form was refused: every problem, and what was typed, so the form can show both.
    #[error("invalid input")]
    Invalid(Box<InvalidInput>),
    /// Someone else saved the milestone since the form was loaded; nothing was overwritten.
    #[error("edit conflict")]
    Conflict(Box<EditConflict>),
    #[error("not found")]
    NotFound,
    /// Nobody is signed in, and this needs someone who is.
    #[error("sign-in required")]
    Unauthorized,
    /// The signed-in user's role or sub-goals do not allow this.
    #[error("not allowed")]
    Forbidden,
    /// Login refused; deliberately the same whether the account exists or not.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failed logins for this account or from this address.
    #[error("too many attempts; try again in {minutes} minutes")]
    TooManyAttempts { minutes: u32 },
    /// An administration form was refused: which form, each field's problem, and what was
    /// typed (never a password), so a page loaded again without JavaScript loses nothing.
    #[error("invalid input")]
    Rejected {
        form: String,
        errors: Vec<(String, Problem)>,
        typed: Vec<(String, String)>,
    },
    /// A login name that another account already has.
    #[error("login name already taken")]
    LoginTaken,
    /// A request the forms never send (a missing or malformed argument).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A request body over the server's limit.
    #[error("request too large")]
    TooLarge,
    /// The database could not take the request now (busy, a lock or a connection not had in
    /// time, a transaction the engine asks to try again); nothing was changed.
    #[error("the database is busy; try again in a moment")]
    Busy,
    #[error("internal error")]
    Internal,
}

/// Which form an error belongs to: a milestone's forms, or the form for a new one.
pub type FormTarget = Option<i64>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvalidInput {
    pub target: FormTarget,
    pub input: MilestoneInput,
    pub errors: Vec<FieldError>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditConflict {
    pub current: Milestone,
    /// What the user tried to save, kept so it is not lost.
    pub input: MilestoneInput,
}

impl AppError {
    pub fn invalid(target: FormTarget, input: MilestoneInput, errors: Vec<FieldError>) -> Self {
        AppError::Invalid(Box::new(InvalidInput {
            target,
            input,
            errors,
        }))
    }

    pub fn conflict(current: Milestone, input: MilestoneInput) -> Self {
        AppError::Conflict(Box::new(EditConflict { current, input }))
    }

    pub fn rejected(form: &str, errors: Vec<(&str, Problem)>) -> Self {
        AppError::Rejected {
            form: form.to_owned(),
            errors: errors
                .into_iter()
                .map(|(field, problem)| (field.to_owned(), problem))
                .collect(),
            typed: Vec::new(),
        }
    }

    /// Keeps what was typed in a refused administration form (other errors are unchanged).
    pub fn with_typed<'a>(mut self, values: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        if let AppError::Rejected { typed, .. } = &mut self {
            typed.extend(
                values
                    .into_iter()
                    .map(|(f, v)| (f.to_owned(), v.to_owned())),
            );
        }
        self
    }

    /// What was typed into one field of a refused administration form.
    pub fn rejected_value(&self, form: &str, field: &str) -> Option<String> {
        match self {
            AppError::Rejected { form: f, typed, .. } if f == form => typed
                .iter()
                .find(|(name, _)| name == field)
                .map(|(_, v)| v.clone()),
            _ => None,
        }
    }

    /// The problem of one field of one administration form, if this error is about it.
    pub fn rejected_field(&self, form: &str, field: &str) -> Option<Problem> {
        match self {
            AppError::Rejected {
                form: f, errors, ..
            } if f == form => errors
                .iter()
                .find(|(name, _)| name == field)
                .map(|(_, p)| *p),
            _ => None,
        }
    }

    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::NotFound => 404,
            AppError::Unauthorized | AppError::InvalidCredentials => 401,
            AppError::Forbidden => 403,
            AppError::TooManyAttempts { .. } => 429,
            AppError::LoginTaken => 409,
            AppError::Rejected { .. } => 422,
            AppError::BadRequest(_) => 400,
            AppError::TooLarge => 413,
            AppError::Busy => 503,
            AppError::Internal => 500,
        }
    }

    /// The form errors meant for the form of `target`, if any.
    pub fn invalid_for(&self, target: FormTarget) -> Option<&InvalidInput> {
        match self {
            AppError::Invalid(invalid) if invalid.target == target => Some(invalid),
            _ => None,
        }
    }

    /// The conflict about milestone `id`, if this is one.
    pub fn conflict_for(&self, id: i64) -> Option<&EditConflict> {
        match self {
            AppError::Conflict(conflict) if conflict.current.id == id => Some(conflict),
            _ => None,
        }
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::NotSignedIn => AppError::Unauthorized,
            Denied::NotAllowed => AppError::Forbidden,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The body limit of the endpoint reports itself as an argument error.
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message)
                if message.contains("length limit exceeded") =>
            {
                AppError::TooLarge
            }
            ServerFnErrorErr::Args(message) => AppError::BadRequest(message),
            ServerFnErrorErr::MissingArg(name) => {
                AppError::BadRequest(format!("missing argument {name}"))
            }
            ServerFnErrorErr::Deserialization(message) => AppError::BadRequest(message),
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if is_busy(&error) {
            tracing::warn!(%error, "database busy");
            return AppError::Busy;
        }
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
/// Whether a database error means "try again": no connection free in time, SQLite's busy and
/// locked, PostgreSQL's serialization failure, deadlock, lock not available and cancelled
/// statement (a timeout), and a server shutting down or not taking connections yet.
pub fn is_busy(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(database) => {
            let code = database.code().unwrap_or_default();
            // SQLite's primary result code is the low byte of an extended one.
            let sqlite_busy = code
                .parse::<i32>()
                .is_ok_and(|code| matches!(code & 0xff, 5 | 6));
            sqlite_busy
                || matches!(
                    &*code,
                    "40001" | "40P01" | "55P03" | "57014" | "57P01" | "57P03" | "53300"
                )
        }
        _ => false,
    }
}

/// The open-data API and other plain routes answer errors as JSON with their status.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = axum::http::StatusCode::from_u16(self.status_code())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let message = match &self {
            AppError::BadRequest(message) => message.clone(),
            other => other.to_string(),
        };
        let body = axum::Json(serde_json::json!({ "error": message }));
        if self == AppError::Busy {
            return (status, [(axum::http::header::RETRY_AFTER, "1")], body).into_response();
        }
        (status, body).into_response()
    }
}
