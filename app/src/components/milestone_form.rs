//! The fields of a milestone, shared by the form that records one and the form that edits one;
//! errors appear next to their field, in the user's language, with what was typed kept.

use crate::{
    domain::{
        FieldError, MilestoneInput, Problem, Status,
        validation::{self, MAX_TITLE_CHARS, MilestoneField},
    },
    error::EditConflict,
    format,
    i18n::*,
};
use leptos::prelude::*;

/// A problem in words, in the given language.
pub fn problem_text(locale: Locale, problem: Problem) -> String {
    match problem {
        Problem::Required => td_string!(locale, problem.required).to_string(),
        Problem::TooLong { max } => td_string!(locale, problem.too_long, max = max).to_string(),
        Problem::NotADate => td_string!(locale, problem.not_a_date).to_string(),
        Problem::DateOutOfRange => td_string!(locale, problem.date_out_of_range).to_string(),
        Problem::NotANumber => td_string!(locale, problem.not_a_number).to_string(),
        Problem::NotPositive => td_string!(locale, problem.not_positive).to_string(),
        Problem::TooLarge { max } => {
            td_string!(locale, problem.too_large, max = format::weight(locale, max)).to_string()
        }
        Problem::UnknownStatus => td_string!(locale, problem.unknown_status).to_string(),
        Problem::RequiredWhenDone => td_string!(locale, problem.required_when_done).to_string(),
        Problem::TooShort { min } => td_string!(locale, problem.too_short, min = min).to_string(),
        Problem::NotALoginName => td_string!(locale, problem.not_a_login_name).to_string(),
        Problem::CommonPassword => td_string!(locale, problem.common_password).to_string(),
        Problem::UnknownRole => td_string!(locale, problem.unknown_role).to_string(),
        Problem::OwnAccount => td_string!(locale, problem.own_account).to_string(),
        Problem::InFuture => td_string!(locale, problem.in_future).to_string(),
        Problem::UnknownDirection => td_string!(locale, problem.unknown_direction).to_string(),
        Problem::EqualsBaseline => td_string!(locale, problem.equals_baseline).to_string(),
        Problem::TargetNotAbove => td_string!(locale, problem.target_not_above).to_string(),
        Problem::TargetNotBelow => td_string!(locale, problem.target_not_below).to_string(),
        Problem::NotAfterBaseline => td_string!(locale, problem.not_after_baseline).to_string(),
        Problem::BeforeBaseline => td_string!(locale, problem.before_baseline).to_string(),
        Problem::AmbiguousNumber => td_string!(locale, problem.ambiguous_number).to_string(),
        Problem::ChangedMeanwhile => td_string!(locale, problem.changed_meanwhile).to_string(),
        Problem::AlreadyWithdrawn => td_string!(locale, problem.already_withdrawn).to_string(),
        Problem::NotAnOrigin => td_string!(locale, problem.not_an_origin).to_string(),
        Problem::UnknownRhythm => td_string!(locale, problem.unknown_rhythm).to_string(),
        Problem::NotAWholeNumber => td_string!(locale, problem.not_a_whole_number).to_string(),
        Problem::NotAnEmail => td_string!(locale, problem.not_an_email).to_string(),
        Problem::UnknownLanguage => td_string!(locale, problem.unknown_language).to_string(),
        Problem::NotAYear => td_string!(
            locale,
            problem.not_a_year,
            from = validation::YEARS.start(),
            to = validation::YEARS.end()
        )
        .to_string(),
        Problem::EndsBeforeStart => td_string!(locale, problem.ends_before_start).to_string(),
        Problem::UnknownChoice => td_string!(locale, problem.unknown_choice).to_string(),
        Problem::NotAWebAddress => td_string!(locale, problem.not_a_web_address).to_string(),
        Problem::ControlCharacter => td_string!(locale, problem.control_character).to_string(),
    }
}

pub fn field_label(locale: Locale, field: MilestoneField) -> &'static str {
    match field {
        MilestoneField::Title => td_string!(locale, milestone.title),
        MilestoneField::Due => td_string!(locale, milestone.due),
        MilestoneField::Status => td_string!(locale, milestone.status),
        MilestoneField::DoneOn => td_string!(locale, milestone.done_on),
        MilestoneField::Weight => td_string!(locale, milestone.weight),
        MilestoneField::Note => td_string!(locale, milestone.note),
    }
}

pub fn status_label(locale: Locale, status: Status) -> &'static str {
    match status {
        Status::Planned => td_string!(locale, status.planned),
        Status::InProgress => td_string!(locale, status.in_progress),
        Status::Done => td_string!(locale, status.done),
        Status::Cancelled => td_string!(locale, status.cancelled),
    }
}

/// A list of the form's problems, linked to their fields, announced when it appears.
#[component]
pub fn ErrorSummary(prefix: String, errors: Vec<FieldError>) -> impl IntoView {
    let i18n = use_i18n();
    (!errors.is_empty()).then(|| {
        let items = errors
            .into_iter()
            .map(|e| {
                let href = format!("#{}-{}", prefix, e.field.as_str());
                view! {
                    <li>
                        <a href=href>
                            {move || field_label(i18n.get_locale(), e.field)}
                            ": "
                            {move || problem_text(i18n.get_locale(), e.problem)}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            // The page comes back with the refusal: keyboard focus starts here.
            <div class="error-summary" role="alert" id=format!("{prefix}-errors") tabindex="-1" autofocus=true>
                <p><strong>{t!(i18n, form.error_summary)}</strong></p>
                <ul>{items}</ul>
            </div>
        }
    })
}

/// The six fields of a milestone. `prefix` makes the ids unique on the page.
#[component]
pub fn MilestoneFields(
    prefix: String,
    values: MilestoneInput,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem_of =
        |field: MilestoneField| errors.iter().find(|e| e.field == field).map(|e| e.problem);
    let id = |field: MilestoneField| format!("{prefix}-{}", field.as_str());
    // Attributes and the message for one field.
    let described = |field: MilestoneField, hint: Option<String>| {
        let problem = problem_of(field);
        let error_id = format!("{}-error", id(field));
        let describedby = match (&hint, problem) {
            (Some(hint), Some(_)) => Some(format!("{hint} {error_id}")),
            (Some(hint), None) => Some(hint.clone()),
            (None, Some(_)) => Some(error_id.clone()),
            (None, None) => None,
        };
        let message = problem.map(|problem| {
            view! {
                <p class="field-error" id=error_id>
                    <span aria-hidden="true">"⚠ "</span>
                    {move || problem_text(i18n.get_locale(), problem)}
                </p>
            }
        });
        (problem.is_some().then_some("true"), describedby, message)
    };

    let (title_invalid, title_described, title_error) = described(MilestoneField::Title, None);
    let (due_invalid, due_described, due_error) = described(MilestoneField::Due, None);
    let (status_invalid, status_described, status_error) = described(MilestoneField::Status, None);
    let done_hint = format!("{}-hint", id(MilestoneField::DoneOn));
    let (done_invalid, done_described, done_error) =
        described(MilestoneField::DoneOn, Some(done_hint.clone()));
    let weight_hint = format!("{}-hint", id(MilestoneField::Weight));
    let (weight_invalid, weight_described, weight_error) =
        described(MilestoneField::Weight, Some(weight_hint.clone()));
    let (note_invalid, note_described, note_error) = described(MilestoneField::Note, None);
    let status = values.status.clone();
    let options = Status::ALL
        .into_iter()
        .map(|s| {
            let selected = status == s.as_str();
            view! {
                <option value=s.as_str() selected=selected>
                    {move || status_label(i18n.get_locale(), s)}
                </option>
            }
        })
        .collect_view();

    view! {
        <div class="form-field">
            <label for=id(MilestoneField::Title)>{t!(i18n, milestone.title)}</label>
            <input
                id=id(MilestoneField::Title)
                name="title"
                data-check="milestone"
                type="text"
                required
                maxlength=MAX_TITLE_CHARS
                autocomplete="off"
                value=values.title
                aria-invalid=title_invalid
                aria-describedby=title_described
            />
            {title_error}
        </div>
        <div class="form-row">
            <div class="form-field">
                <label for=id(MilestoneField::Due)>{t!(i18n, milestone.due)}</label>
                <input
                    id=id(MilestoneField::Due)
                    name="due"
                    data-check="milestone"
                    type="date"
                    required
                    value=values.due
                    aria-invalid=due_invalid
                    aria-describedby=due_described
                />
                {due_error}
            </div>
            <div class="form-field">
                <label for=id(MilestoneField::Status)>{t!(i18n, milestone.status)}</label>
                <select
                    id=id(MilestoneField::Status)
                    name="status"
                    data-check="milestone"
                    aria-invalid=status_invalid
                    aria-describedby=status_described
                >
                    {options}
                </select>
                {status_error}
            </div>
            <div class="form-field">
                <label for=id(MilestoneField::DoneOn)>{t!(i18n, milestone.done_on)}</label>
                <input
                    id=id(MilestoneField::DoneOn)
                    name="done_on"
                    data-check="milestone"
                    type="date"
                    value=values.done_on
                    aria-invalid=done_invalid
                    aria-describedby=done_described
                />
                <p class="hint" id=done_hint>{t!(i18n, milestone.done_on_hint)}</p>
                {done_error}
            </div>
            <div class="form-field">
                <label for=id(MilestoneField::Weight)>{t!(i18n, milestone.weight)}</label>
                <input
                    id=id(MilestoneField::Weight)
                    name="weight"
                    data-check="milestone"
                    type="text"
                    inputmode="decimal"
                    size="6"
                    value=values.weight
                    aria-invalid=weight_invalid
                    aria-describedby=weight_described
                />
                <p class="hint" id=weight_hint>{t!(i18n, milestone.weight_hint)}</p>
                {weight_error}
            </div>
        </div>
        <div class="form-field">
            <label for=id(MilestoneField::Note)>{t!(i18n, milestone.note)}</label>
            <textarea
                id=id(MilestoneField::Note)
                name="note"
                data-check="milestone"
                rows="3"
                aria-invalid=note_invalid
                aria-describedby=note_described
            >
                {values.note}
            </textarea>
            {note_error}
        </div>
    }
}

/// Someone else saved first: say so, and show their version beside the user's.
#[component]
pub fn ConflictNotice(conflict: EditConflict) -> impl IntoView {
    let i18n = use_i18n();
    let current = MilestoneInput::from_data(&conflict.current.data);
    let mine = conflict.input;
    let rows = [
        (MilestoneField::Title, mine.title, current.title),
        (MilestoneField::Due, mine.due, current.due),
        (MilestoneField::Status, mine.status, current.status),
        (MilestoneField::DoneOn, mine.done_on, current.done_on),
        (MilestoneField::Weight, mine.weight, current.weight),
        (MilestoneField::Note, mine.note, current.note),
    ]
    .into_iter()
    .map(|(field, mine, theirs)| {
        let differs = mine.trim() != theirs.trim();
        let shown = move |text: String| {
            move || {
                let locale = i18n.get_locale();
                match (field, Status::parse(&text)) {
                    (MilestoneField::Status, Some(status)) => {
                        status_label(locale, status).to_owned()
                    }
                    _ => text.clone(),
                }
            }
        };
        view! {
            <tr class:differs=differs>
                <th scope="row">{move || field_label(i18n.get_locale(), field)}</th>
                <td>{shown(mine)}</td>
                <td>{shown(theirs)}</td>
            </tr>
        }
    })
    .collect_view();
    view! {
        <div class="conflict" role="alert">
            <p><strong>{t!(i18n, conflict.title)}</strong></p>
            <p>{t!(i18n, conflict.text)}</p>
            <table>
                <caption class="visually-hidden">{t!(i18n, conflict.caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, conflict.field)}</th>
                        <th scope="col">{t!(i18n, conflict.yours)}</th>
                        <th scope="col">{t!(i18n, conflict.theirs)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
