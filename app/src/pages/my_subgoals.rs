//! `/my-subgoals` ("Meine Teilziele"): a department lead's start page. Each sub-goal they own
//! with its progress and state, what is overdue and due soon, its last report and when the
//! next is due; and, without hunting, the forms to mark a milestone reached, set it in
//! progress, move its due date (with a reason) and confirm the state ("Stand bestätigen").
//! Admins choose a department (`?department=`). Plain form posts, with or without JavaScript.

use crate::{
    components::{
        bulk::BulkUpdate,
        form::Refusal,
        milestone_form::{problem_text, status_label},
        progress::{ProgressText, StateBadge},
    },
    domain::{
        Problem, Status,
        rhythm::{LastReport, Standing},
        validation::{MAX_NOTE_CHARS, MilestoneField},
    },
    format,
    i18n::*,
    pages::{loaded, query_param},
    server_fns::{
        milestones::{MarkReached, MoveDue, StartMilestone},
        reporting::{
            ConfirmSubgoal, MySubgoalsPage as PageData, OwnSubgoal, SOON_DAYS, Whose,
            get_my_subgoals,
        },
        strategy::MilestoneView,
    },
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;

/// "Due on 14 Jan 2027", or "5 days late (due on 14 Jan 2027)".
pub fn standing_text(locale: Locale, standing: &Standing) -> String {
    let due = format::date(locale, standing.due.deadline);
    if standing.is_late() {
        td_string!(
            locale,
            reporting.late_since,
            days = standing.days_late,
            date = due
        )
        .to_string()
    } else {
        td_string!(locale, reporting.due_on, date = due).to_string()
    }
}

/// "12 Oct 2026, confirmed by Ada Muster", or "none yet".
pub fn last_report_text(locale: Locale, last: Option<&LastReport>) -> String {
    match last {
        None => td_string!(locale, reporting.none_yet).to_string(),
        Some(last) => {
            let day = format::date(locale, last.day);
            let by = last.by.clone().unwrap_or_else(|| "–".to_owned());
            if last.confirmation {
                td_string!(locale, reporting.confirmed_by, date = day, name = by).to_string()
            } else {
                td_string!(locale, reporting.changed_by, date = day, name = by).to_string()
            }
        }
    }
}

#[component]
pub fn MySubgoalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let department = query_param("department");
    let data = Resource::new(move || department.get(), get_my_subgoals);
    // A refused form post comes back with its error in the URL: it is an action's value.
    let actions = Actions {
        reach: ServerAction::new(),
        start: ServerAction::new(),
        moving: ServerAction::new(),
        confirm: ServerAction::new(),
    };
    view! {
        <Title text=move || t_string!(i18n, reporting.title)/>
        {loaded(data, move |page| view! { <MySubgoals page actions/> })}
    }
}

/// The actions of the milestone forms, and what a refused one came back with.
#[derive(Clone, Copy)]
struct Actions {
    reach: ServerAction<MarkReached>,
    start: ServerAction<StartMilestone>,
    moving: ServerAction<MoveDue>,
    confirm: ServerAction<ConfirmSubgoal>,
}

impl Actions {
    /// A change to milestone `id` came back refused (the page shows the form open).
    fn refused(&self, id: i64) -> bool {
        let moved = Refusal::of(self.moving, format!("move-{id}")).any();
        let reached = self
            .reach
            .value()
            .get_untracked()
            .and_then(Result::err)
            .is_some_and(|e| e.invalid_for(Some(id)).is_some() || e.conflict_for(id).is_some());
        let started = self
            .start
            .value()
            .get_untracked()
            .and_then(Result::err)
            .is_some_and(|e| e.conflict_for(id).is_some());
        moved || reached || started
    }
}

#[component]
fn MySubgoals(page: PageData, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let today = page.today;
    let grace = page.grace_days;
    let heading = match &page.whose {
        Whose::Mine(_) | Whose::Choose => None,
        Whose::Department(name) => Some(name.clone()),
    };
    let is_admin = !matches!(page.whose, Whose::Mine(_));
    let chooser = is_admin.then(|| {
        let chosen = heading.clone();
        view! { <DepartmentChoice departments=page.departments.clone() chosen/> }
    });
    let late_reports = page
        .subgoals
        .iter()
        .filter(|s| s.standing.is_late())
        .count();
    let overdue: usize = page.subgoals.iter().map(|s| s.overdue.len()).sum();
    let count = page.subgoals.len();
    let has_subgoals = count > 0;
    let body = if page.subgoals.is_empty() {
        match page.whose {
            Whose::Choose => view! { <p>{t!(i18n, reporting.choose_hint)}</p> }.into_any(),
            Whose::Department(_) => {
                view! { <p>{t!(i18n, reporting.none_in_department)}</p> }.into_any()
            }
            Whose::Mine(_) => view! { <p>{t!(i18n, reporting.none_owned)}</p> }.into_any(),
        }
    } else {
        let cards = page
            .subgoals
            .into_iter()
            .map(|subgoal| view! { <SubgoalCard subgoal today actions/> })
            .collect_view();
        view! {
            <p class="summary" role="status">
                {move || {
                    let locale = i18n.get_locale();
                    td_string!(
                        locale,
                        reporting.summary,
                        count = format::count(locale, count),
                        late = format::count(locale, late_reports),
                        overdue = format::count(locale, overdue)
                    )
                    .to_string()
                }}
            </p>
            <div class="own-subgoals">{cards}</div>
        }
        .into_any()
    };
    view! {
        <p class="kicker">{t!(i18n, reporting.kicker)}</p>
        <h1>
            {match heading {
                Some(name) => view! { {t!(i18n, reporting.title_department)} " " {name} }.into_any(),
                None => view! { {t!(i18n, reporting.title)} }.into_any(),
            }}
        </h1>
        <p class="lead">
            {move || td_string!(i18n.get_locale(), reporting.intro, days = grace).to_string()}
        </p>
        {chooser}
        {body}
        {has_subgoals.then(|| view! { <BulkUpdate scope=String::new()/> })}
    }
}

/// Admins: which department's sub-goals to show (a plain GET form).
#[component]
fn DepartmentChoice(departments: Vec<String>, chosen: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let options = departments
        .into_iter()
        .map(|name| {
            let selected = chosen.as_deref() == Some(name.as_str());
            view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    view! {
        <form class="inline-form department-choice" method="get" action="/my-subgoals">
            <label for="department">{t!(i18n, reporting.department)}</label>
            <select id="department" name="department">
                <option value="">{t!(i18n, reporting.department_none)}</option>
                {options}
            </select>
            <button type="submit">{t!(i18n, reporting.show)}</button>
        </form>
    }
}

#[component]
fn SubgoalCard(subgoal: OwnSubgoal, today: NaiveDate, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let id = subgoal.subgoal.id;
    let title_id = format!("sg-{id}-title");
    let labelled_by = title_id.clone();
    let rhythm = subgoal.rhythm;
    let standing = subgoal.standing;
    let late = standing.is_late();
    let last = subgoal.last_report.clone();
    let note = last.as_ref().and_then(|l| l.note.clone());
    let list = |heading: String, items: Vec<MilestoneView>| {
        (!items.is_empty()).then(|| {
            view! {
                <h3>{heading}</h3>
                <ul class="own-milestones">
                    {items
                        .into_iter()
                        .map(|view| view! { <MilestoneItem view today actions/> })
                        .collect_view()}
                </ul>
            }
        })
    };
    let (overdue_n, soon_n, later_n) = (
        subgoal.overdue.len(),
        subgoal.due_soon.len(),
        subgoal.later.len(),
    );
    let locale = i18n.get_locale_untracked();
    let overdue = list(
        td_string!(locale, reporting.overdue, count = overdue_n).to_string(),
        subgoal.overdue,
    );
    let soon = list(
        td_string!(locale, reporting.due_soon, days = SOON_DAYS, count = soon_n).to_string(),
        subgoal.due_soon,
    );
    let later = (later_n > 0).then(|| {
        let items = subgoal.later;
        // A refused change to one of them comes back with the list open.
        let open = items
            .iter()
            .any(|view| actions.refused(view.milestone.id));
        view! {
            <details class="later" open=open>
                <summary>{move || td_string!(i18n.get_locale(), reporting.later, count = later_n).to_string()}</summary>
                <ul class="own-milestones">
                    {items
                        .into_iter()
                        .map(|view| view! { <MilestoneItem view today actions/> })
                        .collect_view()}
                </ul>
            </details>
        }
    });
    let not_listed = subgoal.not_listed;
    let more = (not_listed > 0).then(|| {
        view! {
            <p>
                <a href=format!("/subgoals/{id}")>
                    {move || td_string!(i18n.get_locale(), reporting.not_listed, count = not_listed).to_string()}
                </a>
            </p>
        }
    });
    let nothing_open = (overdue_n + soon_n + later_n == 0)
        .then(|| view! { <p>{t!(i18n, reporting.nothing_open)}</p> });
    view! {
        <section class="own-subgoal" class:late=late aria-labelledby=labelled_by>
            <p class="kicker">{subgoal.need.title.clone()}</p>
            <h2 id=title_id>
                <a href=format!("/subgoals/{id}")>{subgoal.subgoal.title.clone()}</a>
            </h2>
            <dl class="facts">
                <div>
                    <dt>{t!(i18n, dashboard.col_progress)}</dt>
                    <dd><ProgressText progress=subgoal.subgoal.progress/></dd>
                </div>
                <div>
                    <dt>{t!(i18n, dashboard.col_state)}</dt>
                    <dd><StateBadge state=subgoal.subgoal.state/></dd>
                </div>
                <ReportingFacts rhythm standing last/>
            </dl>
            {note.map(|note| view! { <p class="note">{note}</p> })}
            {overdue}
            {soon}
            {later}
            {more}
            {nothing_open}
            <ConfirmForm subgoal_id=id action=actions.confirm/>
        </section>
    }
}

/// A sub-goal's rhythm, last and next report, as rows of a `<dl class="facts">`.
#[component]
pub fn ReportingFacts(
    rhythm: crate::domain::rhythm::Rhythm,
    standing: Standing,
    last: Option<LastReport>,
) -> impl IntoView {
    let i18n = use_i18n();
    let late = standing.is_late();
    view! {
        <div>
            <dt>{t!(i18n, reporting.rhythm)}</dt>
            <dd>{move || format::rhythm(i18n.get_locale(), rhythm)}</dd>
        </div>
        <div>
            <dt>{t!(i18n, reporting.last_report)}</dt>
            <dd>{move || last_report_text(i18n.get_locale(), last.as_ref())}</dd>
        </div>
        <div>
            <dt>{t!(i18n, reporting.next_report)}</dt>
            <dd class:late-text=late>
                {late.then(|| view! { <span aria-hidden="true">"! "</span> })}
                {move || standing_text(i18n.get_locale(), &standing)}
            </dd>
        </div>
    }
}

/// "Stand bestätigen": nothing changed; counts as the period's report.
#[component]
pub fn ConfirmForm(subgoal_id: i64, action: ServerAction<ConfirmSubgoal>) -> impl IntoView {
    let i18n = use_i18n();
    let form = format!("confirm-{subgoal_id}");
    let refusal = Refusal::of(action, form.clone());
    let problem = refusal.problem("note");
    let note_id = format!("{form}-note");
    let hint_id = format!("{form}-hint");
    let error_id = format!("{form}-error");
    let described = match problem {
        Some(_) => format!("{hint_id} {error_id}"),
        None => hint_id.clone(),
    };
    view! {
        <form class="confirm-form" method="post" action="/api/subgoals/confirm">
            <input type="hidden" name="subgoal_id" value=subgoal_id/>
            <div class="form-field">
                <label for=note_id.clone()>{t!(i18n, reporting.confirm_note)}</label>
                <textarea id=note_id name="note" rows="2" maxlength=MAX_NOTE_CHARS
                    aria-invalid=problem.map(|_| "true") aria-describedby=described
                    autofocus=problem.is_some()>
                    {refusal.value("note", String::new())}
                </textarea>
                <p class="hint" id=hint_id>{t!(i18n, reporting.confirm_hint)}</p>
                {problem.map(|problem| view! {
                    <p class="field-error" id=error_id>{move || problem_text(i18n.get_locale(), problem)}</p>
                })}
            </div>
            <button type="submit" class="primary">{t!(i18n, reporting.confirm)}</button>
        </form>
    }
}

/// One open milestone with its three quick changes.
#[component]
fn MilestoneItem(view: MilestoneView, today: NaiveDate, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let milestone = view.milestone;
    let (id, version) = (milestone.id, milestone.version);
    let data = milestone.data;
    let (due, status) = (data.due, data.status);
    let title = data.title.clone();
    let prefix = format!("own-m{id}");

    // Marking reached: a refusal of this milestone's date comes back in the action.
    let reached = actions.reach.value().get_untracked().and_then(Result::err);
    let reach_invalid = reached
        .as_ref()
        .and_then(|e| e.invalid_for(Some(id)).cloned());
    let reach_conflict = reached.as_ref().and_then(|e| e.conflict_for(id)).is_some();
    let reach_typed = reach_invalid
        .as_ref()
        .map(|i| i.input.done_on.clone())
        .unwrap_or_else(|| today.to_string());
    let reach_problem = reach_invalid
        .and_then(|i| {
            i.errors
                .into_iter()
                .find(|e| e.field == MilestoneField::DoneOn)
                .map(|e| e.problem)
        })
        .or(reach_conflict.then_some(Problem::ChangedMeanwhile));
    let started_conflict = actions
        .start
        .value()
        .get_untracked()
        .and_then(Result::err)
        .and_then(|e| e.conflict_for(id).cloned())
        .is_some();

    let move_form = format!("move-{id}");
    let moving = Refusal::of(actions.moving, move_form.clone());
    let (due_problem, reason_problem) = (moving.problem("due"), moving.problem("reason"));
    let move_open = moving.any();

    let reach_date = format!("{prefix}-reach");
    let reach_error = format!("{prefix}-reach-error");
    let move_due = format!("{prefix}-due");
    let move_due_error = format!("{prefix}-due-error");
    let move_reason = format!("{prefix}-reason");
    let move_reason_error = format!("{prefix}-reason-error");
    let named = move |text: &'static str| format!("{text}: {}", title.clone());
    let start_label = named.clone();
    let reach_label = named.clone();
    let move_label = named;
    view! {
        <li class=format!("own-milestone is-{}", view.state.as_str())>
            <p class="own-milestone-title">
                <strong>{data.title.clone()}</strong>
                " · "
                {move || td_string!(i18n.get_locale(), reporting.due_short, date = format::date(i18n.get_locale(), due)).to_string()}
                " · "
                {move || status_label(i18n.get_locale(), status)}
                " "
                <StateBadge state=view.state/>
            </p>
            <div class="actions">
                <form class="inline-form" method="post" action="/api/milestones/reach" novalidate>
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="version" value=version/>
                    <label for=reach_date.clone()>{t!(i18n, milestone.done_on)}</label>
                    <input id=reach_date type="date" name="done_on" value=reach_typed
                        aria-invalid=reach_problem.map(|_| "true")
                        aria-describedby=reach_problem.map(|_| reach_error.clone())
                        autofocus=reach_problem.is_some()/>
                    <button type="submit" aria-label=move || reach_label(t_string!(i18n, milestone.mark_reached))>
                        {t!(i18n, milestone.mark_reached)}
                    </button>
                    {reach_problem.map(|problem| view! {
                        <p class="field-error" id=reach_error.clone()>{move || problem_text(i18n.get_locale(), problem)}</p>
                    })}
                </form>
                {(status == Status::Planned).then(|| view! {
                    <form class="inline-form" method="post" action="/api/milestones/start">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <button type="submit" aria-label=move || start_label(t_string!(i18n, reporting.start))>
                            {t!(i18n, reporting.start)}
                        </button>
                        {started_conflict.then(|| view! {
                            <p class="field-error">{move || problem_text(i18n.get_locale(), Problem::ChangedMeanwhile)}</p>
                        })}
                    </form>
                })}
                <details class="move" open=move_open>
                    <summary aria-label=move || move_label(t_string!(i18n, reporting.move_due))>
                        {t!(i18n, reporting.move_due)}
                    </summary>
                    <form class="milestone-form" method="post" action="/api/milestones/move" novalidate>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <div class="form-row">
                            <div class="form-field">
                                <label for=move_due.clone()>{t!(i18n, reporting.new_due)}</label>
                                <input id=move_due type="date" name="due" required
                                    value=moving.value("due", due.to_string())
                                    aria-invalid=due_problem.map(|_| "true")
                                    aria-describedby=due_problem.map(|_| move_due_error.clone())
                                    autofocus=due_problem.is_some()/>
                                {due_problem.map(|problem| view! {
                                    <p class="field-error" id=move_due_error.clone()>{move || problem_text(i18n.get_locale(), problem)}</p>
                                })}
                            </div>
                            <div class="form-field">
                                <label for=move_reason.clone()>{t!(i18n, reporting.reason)}</label>
                                <input id=move_reason type="text" name="reason" required maxlength=MAX_NOTE_CHARS
                                    value=moving.value("reason", String::new())
                                    aria-invalid=reason_problem.map(|_| "true")
                                    aria-describedby=reason_problem.map(|_| move_reason_error.clone())
                                    autofocus=reason_problem.is_some() && due_problem.is_none()/>
                                {reason_problem.map(|problem| view! {
                                    <p class="field-error" id=move_reason_error.clone()>{move || problem_text(i18n.get_locale(), problem)}</p>
                                })}
                            </div>
                        </div>
                        <button type="submit">{t!(i18n, reporting.move_submit)}</button>
                    </form>
                </details>
            </div>
        </li>
    }
}
