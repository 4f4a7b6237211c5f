//! What a page shows when its data cannot be had.

use crate::{error::AppError, i18n::*};
use leptos::prelude::*;

#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            axum::http::StatusCode::from_u16(error.status_code())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    if matches!(error, AppError::Unauthorized) {
        return view! { <SignInNeeded/> }.into_any();
    }
    if let Some(problem) = error.rejected_field("as_of", "as_of") {
        let typed = error.rejected_value("as_of", "as_of").unwrap_or_default();
        return view! { <AsOfRefused typed problem/> }.into_any();
    }
    let (title, text) = match error {
        AppError::NotFound | AppError::BadRequest(_) | AppError::TooLarge => (
            t!(i18n, errors.not_found_title).into_any(),
            t!(i18n, errors.not_found_text).into_any(),
        ),
        AppError::Forbidden => (
            t!(i18n, errors.forbidden_title).into_any(),
            t!(i18n, errors.forbidden_text).into_any(),
        ),
        AppError::Busy => (
            t!(i18n, errors.busy_title).into_any(),
            t!(i18n, errors.busy_text).into_any(),
        ),
        _ => (
            t!(i18n, errors.failed_title).into_any(),
            t!(i18n, errors.failed_text).into_any(),
        ),
    };
    view! {
        <div class="page-error" role="alert">
            <h1>{title}</h1>
            <p>{text}</p>
            <p><a href="/">{t!(i18n, errors.back_to_overview)}</a></p>
        </div>
    }
    .into_any()
}

/// The page needs a signed-in user (public read access is off): say so, with the way in.
#[component]
fn SignInNeeded() -> impl IntoView {
    let i18n = use_i18n();
    let here = crate::components::layout::current_path();
    let href = move || {
        format!(
            "/login?next={}",
            crate::components::layout::encode_query(&here())
        )
    };
    view! {
        <div class="page-error">
            <h1>{t!(i18n, errors.sign_in_title)}</h1>
            <p>{t!(i18n, errors.sign_in_text)}</p>
            <p><a href=href>{t!(i18n, login.title)}</a></p>
        </div>
    }
}

/// A past view asked for with a day that cannot be shown (`?as_of=` not a date, or ahead).
#[component]
fn AsOfRefused(typed: String, problem: crate::domain::Problem) -> impl IntoView {
    let i18n = use_i18n();
    let path = leptos_router::hooks::use_location().pathname;
    view! {
        <div class="page-error" role="alert">
            <h1>{t!(i18n, as_of.invalid_title)}</h1>
            <p>
                {move || {
                    let locale = i18n.get_locale();
                    format!(
                        "{} „{typed}“: {}",
                        td_string!(locale, as_of.label),
                        crate::components::milestone_form::problem_text(locale, problem),
                    )
                }}
            </p>
            <p><a href=move || path.get()>{t!(i18n, as_of.back_to_today)}</a></p>
        </div>
    }
}

/// The route that matches nothing.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorView error=AppError::NotFound/> }
}
