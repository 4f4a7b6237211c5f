//! `/subgoals/:id`: a sub-goal's milestones and the forms to record, edit, mark reached,
//! cancel and delete them. The forms are plain posts: the server saves and sends the page
//! again, or sends it back with the refusal beside the fields and what was typed.

use crate::{
    components::{
        as_of::PastViewNotice,
        bulk::BulkUpdate,
        field_checks::{CheckTexts, FieldChecks},
        indicators::{IndicatorsSection, ProgressMethod},
        layout::Breadcrumbs,
        milestone_form::{
            ConflictNotice, ErrorSummary, MilestoneFields, problem_text, status_label,
        },
        plan::slip_text,
        progress::{ExampleNotice, HowComputed, Level, ProgressFigure, StateBadge},
        structure::SubGoalEditor,
    },
    domain::{MilestoneInput, Status, validation::MilestoneField},
    error::AppError,
    format,
    i18n::*,
    pages::{
        id_page,
        my_subgoals::{ConfirmForm, ReportingFacts},
    },
    server_fns::{
        milestones::{
            CancelMilestone, DeleteMilestone, EditMilestone, MarkReached, RecordMilestone,
        },
        reporting::SetRhythm,
        strategy::{MilestoneView, SubGoalPage as SubGoalData, SubgoalReporting, get_subgoal},
    },
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;

/// The actions of the milestone forms, shared by every milestone on the page, and the error a
/// refused change to an existing milestone came back with (a conflict, say).
#[derive(Clone, Copy)]
struct Actions {
    edit: ServerAction<EditMilestone>,
    reach: ServerAction<MarkReached>,
    cancel: ServerAction<CancelMilestone>,
    delete: ServerAction<DeleteMilestone>,
    last_error: StoredValue<Option<AppError>>,
}

#[component]
pub fn SubGoalPage() -> impl IntoView {
    let record = ServerAction::<RecordMilestone>::new();
    let edit = ServerAction::<EditMilestone>::new();
    let reach = ServerAction::<MarkReached>::new();
    let cancel = ServerAction::<CancelMilestone>::new();
    let delete = ServerAction::<DeleteMilestone>::new();
    // A refused form post comes back with its error in the URL: it is an action's value here.
    let last_error = [
        edit.value().get_untracked().and_then(Result::err),
        reach.value().get_untracked().and_then(Result::err),
        cancel.value().get_untracked().and_then(Result::err),
        delete.value().get_untracked().and_then(Result::err),
    ]
    .into_iter()
    .flatten()
    .next();
    let actions = Actions {
        edit,
        reach,
        cancel,
        delete,
        last_error: StoredValue::new(last_error),
    };
    id_page(
        get_subgoal,
        move |page| view! { <SubGoalView page actions record/> },
    )
}

#[component]
fn SubGoalView(
    page: SubGoalData,
    actions: Actions,
    record: ServerAction<RecordMilestone>,
) -> impl IntoView {
    let i18n = use_i18n();
    let subgoal = page.subgoal;
    let today = page.today;
    let as_of = page.as_of;
    let has_examples = page.milestones.iter().any(|m| m.milestone.example);
    let can_edit = page.can_edit;
    let (subgoal_id, subgoal_title, subgoal_owner) =
        (subgoal.id, subgoal.title.clone(), subgoal.owner.clone());
    let signed_in = page.signed_in;
    let weight = subgoal.weight;
    let measuring = page
        .indicators
        .iter()
        .find(|v| v.indicator.measures_progress)
        .map(|v| v.indicator.data.name.clone());
    let milestones = if page.milestones.is_empty() {
        view! { <p>{t!(i18n, subgoal.no_milestones)}</p> }.into_any()
    } else {
        view! {
            <ul class="milestones">
                {page
                    .milestones
                    .into_iter()
                    .map(|view| view! { <MilestoneCard view today actions can_edit signed_in/> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <Title text=subgoal.title.clone()/>
        <Breadcrumbs
            links=vec![
                (as_of.overview(page.strategy.id), page.strategy.title),
                (
                    format!("{}#field-{}", as_of.link(&format!("/strategies/{}", page.strategy.id)), page.field.id),
                    page.field.title,
                ),
                (as_of.link(&format!("/needs/{}", page.need.id)), page.need.title),
            ]
            current=subgoal.title.clone()
        />
        <p class="kicker">{t!(i18n, subgoal.kicker)}</p>
        <h1>{subgoal.title}</h1>
        <PastViewNotice as_of today_href=format!("/subgoals/{subgoal_id}")/>
        {has_examples.then(|| view! { <ExampleNotice/> })}
        <dl class="facts">
            <div>
                <dt>{t!(i18n, subgoal.owner)}</dt>
                <dd>{subgoal.owner.unwrap_or_else(|| "–".to_owned())}</dd>
            </div>
            <div>
                <dt>{t!(i18n, subgoal.weight)}</dt>
                <dd>{move || format::weight(i18n.get_locale(), weight)}</dd>
            </div>
            <div>
                <dt>{t!(i18n, dashboard.col_state)}</dt>
                <dd><StateBadge state=subgoal.state/></dd>
            </div>
        </dl>
        {page.reporting.map(|reporting| view! {
            <ReportingSection subgoal_id reporting can_edit can_administer=page.can_administer/>
        })}
        {page.can_administer.then(|| view! {
            <SubGoalEditor id=subgoal_id title=subgoal_title owner=subgoal_owner weight=weight/>
        })}
        <ProgressFigure progress=subgoal.progress level=Level::SubGoal/>
        <ProgressMethod measuring/>
        {page.signed_in.then(|| view! {
            <p><a href=format!("/subgoals/{}/history", subgoal.id)>{t!(i18n, subgoal.history)}</a></p>
        })}
        <section aria-labelledby="milestones-heading">
            <h2 id="milestones-heading" tabindex="-1">{t!(i18n, subgoal.milestones)}</h2>
            {milestones}
            <HowComputed level=Level::SubGoal/>
        </section>
        <IndicatorsSection subgoal_id indicators=page.indicators as_of can_edit/>
        {if can_edit {
            view! {
                <section aria-labelledby="record-heading" class="record">
                    <h2 id="record-heading">{t!(i18n, subgoal.record_heading)}</h2>
                    <RecordForm subgoal_id=subgoal.id record/>
                </section>
                <BulkUpdate scope=format!("subgoal={}", subgoal.id)/>
                // The record and edit forms check their fields as they are left.
                <FieldChecks texts=CheckTexts::new(i18n.get_locale_untracked())/>
            }
                .into_any()
        } else if as_of.past.is_some() {
            // The notice at the top says a past view is read-only.
            ().into_any()
        } else {
            view! {
                <p class="read-only">
                    {t!(i18n, subgoal.read_only)}
                    {(!page.signed_in).then(|| view! {
                        " " <a href=format!("/login?next=%2Fsubgoals%2F{}", subgoal.id)>{t!(i18n, subgoal.sign_in_to_edit)}</a>
                    })}
                </p>
            }
                .into_any()
        }}
    }
}

#[component]
fn RecordForm(subgoal_id: i64, record: ServerAction<RecordMilestone>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let outcome = record.value().get();
        let invalid = outcome
            .as_ref()
            .and_then(|r| r.as_ref().err())
            .and_then(|e| e.invalid_for(None))
            .cloned();
        let failed = matches!(
            outcome,
            Some(Err(AppError::NotFound
                | AppError::Internal
                | AppError::BadRequest(_)))
        );
        let busy = matches!(outcome, Some(Err(AppError::Busy)));
        let (values, errors) = match invalid {
            Some(invalid) => (invalid.input, invalid.errors),
            None => (
                MilestoneInput {
                    status: Status::Planned.as_str().to_owned(),
                    weight: "1".to_owned(),
                    ..MilestoneInput::default()
                },
                Vec::new(),
            ),
        };
        view! {
            <ActionForm action=record attr:class="milestone-form" attr:novalidate=true>
                <input type="hidden" name="subgoal_id" value=subgoal_id/>
                <ErrorSummary prefix="new".to_owned() errors=errors.clone()/>
                {failed.then(|| view! { <p class="field-error" role="alert">{t!(i18n, errors.save_failed)}</p> })}
                {busy.then(|| view! { <p class="field-error" role="alert">{t!(i18n, errors.save_busy)}</p> })}
                <MilestoneFields prefix="new".to_owned() values errors/>
                <button type="submit" class="primary">{t!(i18n, subgoal.record)}</button>
            </ActionForm>
        }
    }
}

#[component]
fn MilestoneCard(
    view: MilestoneView,
    today: NaiveDate,
    actions: Actions,
    /// Only the sub-goal's owners and admins see the forms (the server checks anyway).
    can_edit: bool,
    /// The history is for signed-in users.
    signed_in: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let milestone = view.milestone;
    let id = milestone.id;
    let version = milestone.version;
    let data = milestone.data;
    let prefix = format!("m{id}");
    let title_id = format!("{prefix}-title");
    let labelled_by = title_id.clone();
    let title = data.title.clone();
    let due = data.due;
    let planned = view.planned;
    let status = data.status;
    let done_on = data.done_on;
    let weight = data.weight;
    let stored_values = MilestoneInput::from_data(&data);
    let delete_title = title.clone();
    let history_title = title.clone();

    let conflict = move || {
        actions
            .last_error
            .get_value()
            .and_then(|e| e.conflict_for(id).cloned())
    };
    let edit_form = {
        let prefix = prefix.clone();
        let title = title.clone();
        move || {
            let title = title.clone();
            let invalid = actions
                .edit
                .value()
                .get()
                .and_then(Result::err)
                .and_then(|e| e.invalid_for(Some(id)).cloned());
            let conflict = conflict();
            let open = invalid.is_some() || conflict.is_some();
            let (values, errors) = match (invalid, conflict) {
                (Some(invalid), _) => (invalid.input, invalid.errors),
                (None, Some(conflict)) => (conflict.input, Vec::new()),
                (None, None) => (stored_values.clone(), Vec::new()),
            };
            let prefix = format!("{prefix}-edit");
            view! {
                <details class="edit" open=open>
                    <summary aria-label=move || format!("{}: {title}", t_string!(i18n, milestone.edit))>
                        {t!(i18n, milestone.edit)}
                    </summary>
                    <ActionForm action=actions.edit attr:class="milestone-form" attr:novalidate=true>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <ErrorSummary prefix=prefix.clone() errors=errors.clone()/>
                        <MilestoneFields prefix values errors/>
                        <button type="submit" class="primary">{t!(i18n, milestone.save)}</button>
                    </ActionForm>
                </details>
            }
        }
    };
    let reach_form = status.is_open().then(|| {
        let prefix = prefix.clone();
        let title = title.clone();
        move || {
            let title = title.clone();
            let invalid = actions
                .reach
                .value()
                .get()
                .and_then(Result::err)
                .and_then(|e| e.invalid_for(Some(id)).cloned());
            let typed = invalid
                .as_ref()
                .map(|i| i.input.done_on.clone())
                .unwrap_or_else(|| today.to_string());
            let problem = invalid.and_then(|i| {
                i.errors
                    .into_iter()
                    .find(|e| e.field == MilestoneField::DoneOn)
                    .map(|e| e.problem)
            });
            let input_id = format!("{prefix}-reach-date");
            let error_id = format!("{prefix}-reach-error");
            view! {
                <ActionForm action=actions.reach attr:class="inline-form" attr:novalidate=true>
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="version" value=version/>
                    <label for=input_id.clone()>{t!(i18n, milestone.done_on)}</label>
                    <input
                        id=input_id
                        type="date"
                        name="done_on"
                        value=typed
                        aria-invalid=problem.map(|_| "true")
                        aria-describedby=problem.map(|_| error_id.clone())
                    />
                    <button
                        type="submit"
                        aria-label=move || format!("{}: {title}", t_string!(i18n, milestone.mark_reached))
                    >
                        {t!(i18n, milestone.mark_reached)}
                    </button>
                    {problem.map(|problem| view! {
                        <p class="field-error" id=error_id.clone()>
                            {move || problem_text(i18n.get_locale(), problem)}
                        </p>
                    })}
                </ActionForm>
            }
        }
    });
    let cancel_form = status.is_open().then(|| {
        let title = title.clone();
        view! {
            <ActionForm action=actions.cancel attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                <button
                    type="submit"
                    aria-label=move || format!("{}: {title}", t_string!(i18n, milestone.cancel))
                >
                    {t!(i18n, milestone.cancel)}
                </button>
            </ActionForm>
        }
    });

    let actions_view = can_edit.then(move || {
        view! {
            <div class="actions">
                {reach_form}
                {cancel_form}
                {edit_form}
                <details class="delete">
                    <summary aria-label=move || format!("{}: {delete_title}", t_string!(i18n, milestone.delete))>
                        {t!(i18n, milestone.delete)}
                    </summary>
                    <p>{t!(i18n, milestone.delete_warning)}</p>
                    <ActionForm action=actions.delete attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <button type="submit" class="danger">{t!(i18n, milestone.delete_confirm)}</button>
                    </ActionForm>
                </details>
            </div>
        }
    });
    view! {
        <li class=format!("milestone state-{}", view.state.as_str())>
            <article aria-labelledby=labelled_by>
                <h3 id=title_id tabindex="-1">
                    {title.clone()}
                    {milestone.example.then(|| view! {
                        " " <span class="badge">{t!(i18n, example.badge)}</span>
                    })}
                </h3>
                <dl class="facts">
                    <div>
                        <dt>{t!(i18n, milestone.due)}</dt>
                        <dd>{move || format::date(i18n.get_locale(), due)}</dd>
                        {(planned != due).then(|| view! {
                            <dd class="slip">
                                {move || {
                                    let locale = i18n.get_locale();
                                    format!(
                                        "{} ({})",
                                        slip_text(locale, due, planned),
                                        td_string!(locale, plan.planned_on, date = format::date(locale, planned)),
                                    )
                                }}
                            </dd>
                        })}
                    </div>
                    <div>
                        <dt>{t!(i18n, milestone.status)}</dt>
                        <dd>{move || status_label(i18n.get_locale(), status)}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, dashboard.col_state)}</dt>
                        <dd><StateBadge state=view.state/></dd>
                    </div>
                    {(status == Status::Done).then_some(done_on).flatten().map(|day| view! {
                        <div>
                            <dt>{t!(i18n, milestone.done_on)}</dt>
                            <dd>{move || format::date(i18n.get_locale(), day)}</dd>
                        </div>
                    })}
                    <div>
                        <dt>{t!(i18n, milestone.weight)}</dt>
                        <dd>{move || format::weight(i18n.get_locale(), weight)}</dd>
                    </div>
                </dl>
                {data.note.map(|note| view! { <p class="note">{note}</p> })}
                {signed_in.then(|| view! {
                    <p>
                        <a href=format!("/milestones/{id}/history") aria-label=move || format!("{}: {}", t_string!(i18n, milestone.history), history_title)>
                            {t!(i18n, milestone.history)}
                        </a>
                    </p>
                })}
                {move || conflict().map(|conflict| view! { <ConflictNotice conflict/> })}
                {actions_view}
            </article>
        </li>
    }
}

/// The sub-goal's reporting: its rhythm, last and next report; "Stand bestätigen" for its
/// owners, the rhythm for admins to set.
#[component]
fn ReportingSection(
    subgoal_id: i64,
    reporting: SubgoalReporting,
    can_edit: bool,
    can_administer: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let SubgoalReporting {
        rhythm,
        standing,
        last_report,
    } = reporting;
    let rhythm_form = can_administer.then(|| {
        let form = format!("rhythm-{subgoal_id}");
        let refusal = crate::components::form::Refusal::of(ServerAction::<SetRhythm>::new(), form);
        let problem = refusal.problem("rhythm");
        let options = crate::domain::rhythm::Rhythm::ALL
            .into_iter()
            .map(|r| {
                view! {
                    <option value=r.as_str() selected=r == rhythm>
                        {move || format::rhythm(i18n.get_locale(), r)}
                    </option>
                }
            })
            .collect_view();
        view! {
            <form class="inline-form" method="post" action="/api/subgoals/rhythm">
                <input type="hidden" name="subgoal_id" value=subgoal_id/>
                <label for="subgoal-rhythm">{t!(i18n, reporting.rhythm)}</label>
                <select id="subgoal-rhythm" name="rhythm" aria-invalid=problem.map(|_| "true")>
                    {options}
                </select>
                <button type="submit">{t!(i18n, reporting.set_rhythm)}</button>
                {problem.map(|problem| view! {
                    <p class="field-error">{move || problem_text(i18n.get_locale(), problem)}</p>
                })}
            </form>
        }
    });
    view! {
        <section aria-labelledby="reporting-heading" class="reporting">
            <h2 id="reporting-heading">{t!(i18n, reporting.heading)}</h2>
            <dl class="facts">
                <ReportingFacts rhythm standing last=last_report/>
            </dl>
            {rhythm_form}
            {can_edit.then(|| view! {
                <ConfirmForm subgoal_id action=ServerAction::new()/>
            })}
        </section>
    }
}
