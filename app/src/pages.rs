//! One module per page, as the user sees them: the overview, a strategy's dashboard, a need, a
//! sub-goal.

pub mod accessibility;
pub mod admin;
pub mod board;
pub mod bulk;
pub mod dashboard;
pub mod embed;
pub mod history;
pub mod home;
pub mod login;
pub mod my_subgoals;
pub mod need;
pub mod presentation;
pub mod quality;
pub mod reports;
pub mod setup;
pub mod subgoal;

use crate::{components::error_view::ErrorView, error::AppError, i18n::*};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Serialize, de::DeserializeOwned};
use std::future::Future;

/// The numeric `:id` of the current route; `None` when it is not a number.
pub(crate) fn id_param() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| id.parse().ok()))
}

/// A query parameter of the current address, as typed.
pub(crate) fn query_param(name: &'static str) -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get(name))
}

/// A page showing the data of the route's `:id` (as of the day in `?as_of=`, for the pages
/// that can look back) in the page's language (the server words some of it), and renders it,
/// or what went wrong.
pub(crate) fn id_page<T, Fut, V>(
    fetch: fn(i64, Locale, Option<String>) -> Fut,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    V: IntoView + 'static,
{
    id_page_with("as_of", fetch, render)
}

/// The same, with another query parameter than `?as_of=` given to `fetch`.
pub(crate) fn id_page_with<T, Fut, V>(
    parameter: &'static str,
    fetch: fn(i64, Locale, Option<String>) -> Fut,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let id = id_param();
    let as_of = query_param(parameter);
    // Read once, as the page is rendered once (on the server): the resource's own task, which
    // may run after an abandoned render has ended, reads no signal.
    let key = (
        id.get_untracked(),
        i18n.get_locale_untracked(),
        as_of.get_untracked(),
    );
    let data = Resource::new(
        move || key.clone(),
        move |(id, locale, as_of)| async move {
            match id {
                Some(id) => fetch(id, locale, as_of).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    loaded(data, render)
}

/// What `data` loads, rendered by `render` (or what went wrong), "loading" until then.
pub(crate) fn loaded<T, V>(
    data: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                match data.await {
                    Ok(data) => render(data).into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}}
        </Suspense>
    }
}
