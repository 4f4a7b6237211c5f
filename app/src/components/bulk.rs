//! "Vorlage herunterladen" and the upload of a changed template: on the owner's page, a
//! sub-goal, a need and a strategy. A plain multipart form post (`/bulk/upload`); the server
//! answers with the preview (`/bulk/:token`).

use crate::i18n::*;
use leptos::prelude::*;

/// `scope` is the template's query (`subgoal=3`, `need=2`, `strategy=1`, or empty for all the
/// caller may change).
#[component]
pub fn BulkUpdate(scope: String) -> impl IntoView {
    let i18n = use_i18n();
    let link = move |extension: &'static str| {
        let scope = scope.clone();
        move || {
            let lang = i18n.get_locale().as_str();
            match scope.as_str() {
                "" => format!("/templates/milestones.{extension}?lang={lang}"),
                scope => format!("/templates/milestones.{extension}?{scope}&lang={lang}"),
            }
        }
    };
    view! {
        <section class="bulk" aria-labelledby="bulk-heading">
            <h2 id="bulk-heading">{t!(i18n, bulk.heading)}</h2>
            <p class="hint">{t!(i18n, bulk.intro)}</p>
            <ul class="downloads">
                <li><a href=link("xlsx") download>{t!(i18n, bulk.template_xlsx)}</a></li>
                <li><a href=link("csv") download>{t!(i18n, bulk.template_csv)}</a></li>
            </ul>
            <form class="inline-form" method="post" action="/bulk/upload" enctype="multipart/form-data">
                <label for="bulk-file">{t!(i18n, bulk.file)}</label>
                <input id="bulk-file" type="file" name="file" required
                    accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>
                <button type="submit">{t!(i18n, bulk.upload)}</button>
            </form>
        </section>
    }
}

/// A file's refusal in words.
pub fn file_problem_text(locale: Locale, problem: &crate::domain::bulk::FileProblem) -> String {
    use crate::domain::bulk::{Column, FileProblem};
    match problem {
        FileProblem::Unreadable => td_string!(locale, bulk.unreadable).to_string(),
        FileProblem::Empty => td_string!(locale, bulk.empty).to_string(),
        FileProblem::TooLarge { max_bytes } => {
            td_string!(locale, bulk.too_large, mb = max_bytes / (1024 * 1024)).to_string()
        }
        FileProblem::TooManyRows { max } => td_string!(
            locale,
            bulk.too_many_rows,
            max = crate::format::count(locale, *max)
        )
        .to_string(),
        FileProblem::TooManyColumns { max } => {
            td_string!(locale, bulk.too_many_columns, max = max).to_string()
        }
        FileProblem::UnknownColumn { column, name } => {
            let known = Column::ALL
                .map(|c| c.header(locale == Locale::de))
                .join(", ");
            td_string!(
                locale,
                bulk.unknown_column,
                column = column,
                name = name,
                known = known
            )
            .to_string()
        }
        FileProblem::RepeatedColumn { column, name } => {
            td_string!(locale, bulk.repeated_column, column = column, name = name).to_string()
        }
        FileProblem::MissingColumn { name } => {
            td_string!(locale, bulk.missing_column, name = name).to_string()
        }
    }
}

/// A row's problem in words.
pub fn issue_text(locale: Locale, issue: &crate::domain::bulk::RowIssue) -> String {
    use crate::domain::bulk::RowIssue;
    match issue {
        RowIssue::Invalid(problem) => {
            crate::components::milestone_form::problem_text(locale, *problem)
        }
        RowIssue::UnknownMilestone => td_string!(locale, bulk.unknown_milestone).to_string(),
        RowIssue::UnknownSubgoal => td_string!(locale, bulk.unknown_subgoal).to_string(),
        RowIssue::NotOwned { subgoal } => {
            td_string!(locale, bulk.not_owned, subgoal = subgoal).to_string()
        }
        RowIssue::Conflict {
            file_version,
            current_version,
        } => td_string!(
            locale,
            bulk.conflict,
            file = file_version,
            current = current_version
        )
        .to_string(),
        RowIssue::Repeated { line } => td_string!(locale, bulk.repeated, line = line).to_string(),
        RowIssue::OtherSubgoal => td_string!(locale, bulk.other_subgoal).to_string(),
    }
}
