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
    let not_found = matches!(error, AppError::NotFound | AppError::BadRequest(_));
    view! {
        <div class="page-error" role="alert">
            <h1>
                {if not_found {
                    t!(i18n, errors.not_found_title).into_any()
                } else {
                    t!(i18n, errors.failed_title).into_any()
                }}
            </h1>
            <p>
                {if not_found {
                    t!(i18n, errors.not_found_text).into_any()
                } else {
                    t!(i18n, errors.failed_text).into_any()
                }}
            </p>
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

/// The route that matches nothing.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorView error=AppError::NotFound/> }
}
