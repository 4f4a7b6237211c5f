//! Signing in and out. The login answers the same for an unknown name and a wrong password,
//! and is rate-limited per name and per client address.

use crate::{domain::access::Account, error::AppError};
use leptos::prelude::*;

/// Who is signed in (nobody: `None`).
#[server(endpoint = "auth/me")]
pub async fn current_account() -> Result<Option<Account>, AppError> {
    Ok(crate::auth::caller().account)
}

/// Signs in and goes to `next` (a page of this site), or to the overview.
#[server(endpoint = "auth/login")]
pub async fn login(
    login: Option<String>,
    password: Option<String>,
    next: Option<String>,
) -> Result<(), AppError> {
    ssr::login(
        login.unwrap_or_default(),
        password.unwrap_or_default(),
        next,
    )
    .await
}

/// Ends the session on the server and goes to the overview.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    ssr::logout().await
}

/// Keeps an idle session alive (the "stay signed in" of the idle warning).
#[server(endpoint = "auth/keep-alive")]
pub async fn keep_alive() -> Result<(), AppError> {
    let caller = crate::auth::caller();
    let session = caller.session.ok_or(AppError::Unauthorized)?;
    let state = crate::state::app_state()?;
    state
        .store
        .touch_session(&session, chrono::Utc::now())
        .await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::{
        audit::{Actor, Entry, Kind, Refusal},
        auth::{self, caller},
        state::app_state,
    };
    use axum::http::{HeaderValue, header::SET_COOKIE};
    use chrono::Utc;
    use leptos_axum::ResponseOptions;
    use serde_json::json;

    fn session_entry<'a>(
        actor: &'a Actor,
        action: &'static str,
        details: serde_json::Value,
    ) -> Entry<'a> {
        Entry {
            actor,
            action,
            object_type: "session",
            object_id: None,
            subgoal_id: None,
            details,
        }
    }

    /// Only pages of this site are followed after login. The start page (or none named) is
    /// an owner's own page, "Meine Teilziele".
    fn local_target(next: Option<String>, role: Option<crate::domain::access::Role>) -> String {
        let next = next
            .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
            .unwrap_or_else(|| "/".to_owned());
        match (next.as_str(), role) {
            ("/", Some(crate::domain::access::Role::Owner)) => "/my-subgoals".to_owned(),
            _ => next,
        }
    }

    fn set_cookie(value: String) {
        if let (Some(response), Ok(value)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(&value),
        ) {
            response.append_header(SET_COOKIE, value);
        }
    }

    pub async fn login(
        login: String,
        password: String,
        next: Option<String>,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let caller = caller();
        let now = Utc::now();
        let name = login.trim().to_lowercase();
        let anonymous = Actor::of(&caller);
        let refusal = |kind, reason| Refusal {
            kind,
            actor: &anonymous,
            client: &caller.client,
            login: Some(&name),
            request: "sign in",
            reason,
        };
        if state.login_attempts.blocked(&name, &caller.client, now) {
            state
                .refusals
                .count(refusal(Kind::LoginRefused, "too many failed attempts"));
            return Err(AppError::TooManyAttempts {
                minutes: auth::FAILURE_WINDOW_MINUTES as u32,
            });
        }
        let user = state.store.user_by_login(&name).await?;
        let stored = user.as_ref().map(|u| u.password_hash.clone());
        let verified = auth::verify_password(password, stored).await;
        let failure = match &user {
            None => Some("unknown name"),
            Some(_) if !verified => Some("wrong password"),
            Some(user) if !user.active => Some("account disabled"),
            Some(_) => None,
        };
        // Known and unknown names cost the same: counted in memory, on record per minute.
        if let Some(reason) = failure {
            state.login_attempts.failed(&name, &caller.client, now);
            state.refusals.count(refusal(Kind::LoginFailed, reason));
            return Err(AppError::InvalidCredentials);
        }
        let Some(user) = user else {
            return Err(AppError::InvalidCredentials);
        };
        // A new session id at every login; the old one (if any) ends.
        if let Some(old) = caller.session {
            state.store.end_session(&old).await?;
        }
        let (token, hash) = auth::new_session_token()?;
        state.store.create_session(user.id, &hash, now).await?;
        let actor = Actor {
            id: Some(user.id),
            name: user.login.clone(),
        };
        let details = json!({"client": caller.client});
        state
            .store
            .record(session_entry(&actor, "login.succeeded", details), now)
            .await?;
        set_cookie(auth::session_cookie(
            state.config.https,
            Some(&token),
            state.config.session.absolute.num_seconds(),
        ));
        leptos_axum::redirect(&local_target(
            next,
            crate::domain::access::Role::parse(&user.role),
        ));
        Ok(())
    }

    pub async fn logout() -> Result<(), AppError> {
        let state = app_state()?;
        let caller = caller();
        if let Some(session) = &caller.session {
            state.store.end_session(session).await?;
            let actor = Actor::of(&caller);
            state
                .store
                .record(session_entry(&actor, "logout", json!({})), Utc::now())
                .await?;
        }
        set_cookie(auth::session_cookie(state.config.https, None, 0));
        leptos_axum::redirect("/");
        Ok(())
    }
}
