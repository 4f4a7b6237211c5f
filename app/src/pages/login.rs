//! `/login`: signing in. A plain form post, with or without JavaScript: the server sets the
//! session cookie and sends the browser on, so every page loads fresh as the new user.

use crate::{error::AppError, i18n::*, server_fns::auth::Login};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    // A refused login comes back in the URL and becomes this action's value.
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".to_owned());
    let error = move || {
        login
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| match error {
                AppError::TooManyAttempts { minutes } => {
                    t_string!(i18n, login.too_many, minutes = minutes).to_string()
                }
                AppError::InvalidCredentials => t_string!(i18n, login.invalid).to_string(),
                _ => t_string!(i18n, login.failed).to_string(),
            })
    };
    view! {
        <Title text=move || t_string!(i18n, login.title)/>
        <h1>{t!(i18n, login.title)}</h1>
        <form class="login-form" method="post" action="/api/auth/login">
            {move || error().map(|message| view! {
                <div class="error-summary" role="alert" id="login-error">
                    <p>{message}</p>
                </div>
            })}
            <input type="hidden" name="next" value=next/>
            <div class="form-field">
                <label for="login-name">{t!(i18n, login.name)}</label>
                <input
                    id="login-name"
                    name="login"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                />
            </div>
            <div class="form-field">
                <label for="login-password">{t!(i18n, login.password)}</label>
                <input
                    id="login-password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                />
            </div>
            <button type="submit" class="primary">{t!(i18n, login.submit)}</button>
        </form>
    }
}
