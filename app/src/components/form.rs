//! The parts of the plain-post forms (structure, indicators): a labelled input with its
//! error, and the refusal of a form after the page was loaded again, with what was typed.

use crate::{
    components::milestone_form::problem_text,
    domain::{Problem, validation::MAX_TITLE_CHARS},
    error::AppError,
    i18n::*,
};
use leptos::prelude::*;

/// One labelled input with its error; `textarea` for long text.
#[component]
pub fn Input(
    form: String,
    name: &'static str,
    label: Signal<String>,
    value: String,
    problem: Option<Problem>,
    #[prop(optional)] textarea: bool,
    /// The input's `type`: `text` unless told (`date`, say).
    #[prop(optional)]
    kind: Option<&'static str>,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let error_id = format!("{id}-error");
    let message = error_message(problem, &error_id);
    let invalid = problem.map(|_| "true");
    // The page comes back with the refusal: keyboard focus starts at the first field refused.
    let autofocus = problem.is_some();
    let described = problem.map(|_| error_id.clone());
    let control = if textarea {
        view! { <textarea id=id.clone() name=name rows="4" aria-invalid=invalid aria-describedby=described autofocus=autofocus>{value}</textarea> }.into_any()
    } else {
        view! { <input id=id.clone() name=name type=kind.unwrap_or("text") maxlength=MAX_TITLE_CHARS value=value aria-invalid=invalid aria-describedby=described autofocus=autofocus/> }.into_any()
    };
    view! {
        <div class="form-field">
            <label for=id>{label}</label>
            {control}
            {message}
        </div>
    }
}

/// One labelled select of `choices` (value, text) with its error.
#[component]
pub fn Select(
    form: String,
    name: &'static str,
    label: Signal<String>,
    chosen: String,
    choices: Vec<(&'static str, Signal<String>)>,
    problem: Option<Problem>,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let error_id = format!("{id}-error");
    let message = error_message(problem, &error_id);
    let described = problem.map(|_| error_id.clone());
    view! {
        <div class="form-field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-invalid=problem.map(|_| "true") aria-describedby=described autofocus=problem.is_some()>
                {choices
                    .into_iter()
                    .map(|(value, text)| view! { <option value=value selected=chosen == value>{text}</option> })
                    .collect_view()}
            </select>
            {message}
        </div>
    }
}

/// A field's problem in the page's language, under it, with the id its `aria-describedby`
/// names.
fn error_message(problem: Option<Problem>, error_id: &str) -> Option<impl IntoView + use<>> {
    let i18n = use_i18n();
    problem.map(|problem| {
        let error_id = error_id.to_owned();
        view! { <p class="field-error" id=error_id>{move || problem_text(i18n.get_locale(), problem)}</p> }
    })
}

pub fn label(text: impl Fn() -> &'static str + Send + Sync + 'static) -> Signal<String> {
    Signal::derive(move || text().to_owned())
}

/// The refusal of one form, if the page was loaded again after it: each field's problem and
/// what had been typed.
pub struct Refusal {
    pub form: String,
    error: Option<AppError>,
}

impl Refusal {
    pub fn of<A>(action: ServerAction<A>, form: String) -> Self
    where
        A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        A::Output: Clone + Send + Sync + 'static,
    {
        let error = action.value().get_untracked().and_then(Result::err);
        Refusal { form, error }
    }

    pub fn problem(&self, field: &str) -> Option<Problem> {
        self.error.as_ref()?.rejected_field(&self.form, field)
    }

    /// What was typed, or else what is stored.
    pub fn value(&self, field: &str, stored: String) -> String {
        self.error
            .as_ref()
            .and_then(|e| e.rejected_value(&self.form, field))
            .unwrap_or(stored)
    }

    pub fn any(&self) -> bool {
        matches!(&self.error, Some(AppError::Rejected { form, .. }) if *form == self.form)
    }
}
