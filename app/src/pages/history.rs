//! `/subgoals/:id/history` and `/milestones/:id/history`: who changed what, when.

use crate::{
    components::milestone_form::field_label,
    domain::validation::MilestoneField,
    i18n::*,
    pages::id_page,
    server_fns::history::{AuditRow, History, get_milestone_history, get_subgoal_history},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SubGoalHistoryPage() -> impl IntoView {
    id_page(
        |id, _, _| get_subgoal_history(id),
        |history| view! { <HistoryView history/> },
    )
}

#[component]
pub fn MilestoneHistoryPage() -> impl IntoView {
    id_page(
        |id, _, _| get_milestone_history(id),
        |history| view! { <HistoryView history/> },
    )
}

#[component]
fn HistoryView(history: History) -> impl IntoView {
    let i18n = use_i18n();
    let title = history.title.clone();
    view! {
        <Title text=move || format!("{} – {}", t_string!(i18n, history.title), title)/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, layout.breadcrumbs)>
            <ol>
                <li><a href="/">{t!(i18n, layout.overview)}</a></li>
                <li><a href=format!("/subgoals/{}", history.subgoal.id)>{history.subgoal.title}</a></li>
                <li><span aria-current="page">{t!(i18n, history.title)}</span></li>
            </ol>
        </nav>
        <p class="kicker">{t!(i18n, history.title)}</p>
        <h1>{history.title}</h1>
        <AuditTable rows=history.entries/>
    }
}

/// Entries as a table: when (UTC), who, what, which fields changed from what to what.
#[component]
pub fn AuditTable(rows: Vec<AuditRow>) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p>{t!(i18n, history.empty)}</p> }.into_any();
    }
    let rows = rows
        .into_iter()
        .map(|row| {
            let action = row.action.clone();
            let object = match &row.object_id {
                Some(id) => format!("{} #{id}", row.object_type),
                None => row.object_type.clone(),
            };
            let changes = row
                .changes
                .into_iter()
                .map(|change| {
                    let field = change.field.clone();
                    view! {
                        <li>
                            <span class="field-name">{move || field_name(i18n.get_locale(), &field)}</span>
                            ": "
                            <del>{empty_as_dash(change.before)}</del>
                            " → "
                            <ins>{empty_as_dash(change.after)}</ins>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <td><time datetime=row.at.clone()>{utc_time(&row.at)}</time></td>
                    <td>{row.actor}</td>
                    <td>{move || action_label(i18n.get_locale(), &action)}<br/><span class="muted">{object}</span></td>
                    <td>
                        <ul class="changes">{changes}</ul>
                        {(!row.details.is_empty()).then(|| view! { <p class="muted">{row.details}</p> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-label=move || t_string!(i18n, history.caption)>
            <table class="audit">
                <caption>{t!(i18n, history.caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, history.col_when)}</th>
                        <th scope="col">{t!(i18n, history.col_who)}</th>
                        <th scope="col">{t!(i18n, history.col_what)}</th>
                        <th scope="col">{t!(i18n, history.col_changes)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn empty_as_dash(text: String) -> String {
    if text.is_empty() {
        "–".to_owned()
    } else {
        text
    }
}

/// `2026-11-27T10:15:03.123456Z` → `2026-11-27 10:15:03 UTC`.
fn utc_time(at: &str) -> String {
    match (at.get(..10), at.get(11..19)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => at.to_owned(),
    }
}

fn field_name(locale: Locale, field: &str) -> String {
    let milestone_field = match field {
        "title" => Some(MilestoneField::Title),
        "due" => Some(MilestoneField::Due),
        "status" => Some(MilestoneField::Status),
        "done_on" => Some(MilestoneField::DoneOn),
        "weight" => Some(MilestoneField::Weight),
        "note" => Some(MilestoneField::Note),
        _ => None,
    };
    match (milestone_field, field) {
        (Some(f), _) => field_label(locale, f).to_owned(),
        (None, "role") => td_string!(locale, history.field_role).to_owned(),
        (None, "owner") => td_string!(locale, subgoal.owner).to_owned(),
        (None, "goal") => td_string!(locale, structure.goal).to_owned(),
        (None, "name") => td_string!(locale, indicator.name).to_owned(),
        (None, "unit") => td_string!(locale, indicator.unit).to_owned(),
        (None, "direction") => td_string!(locale, indicator.direction).to_owned(),
        (None, "baseline") => td_string!(locale, indicator.baseline).to_owned(),
        (None, "target") => td_string!(locale, indicator.target).to_owned(),
        (None, "value") => td_string!(locale, indicator.reading_value).to_owned(),
        (None, "on") => td_string!(locale, indicator.reading_on).to_owned(),
        (None, "progress_by") => td_string!(locale, indicator.method_heading).to_owned(),
        (None, "email") => td_string!(locale, admin.email).to_owned(),
        (None, "city") => td_string!(locale, setup.city).to_owned(),
        (None, "period") => td_string!(locale, setup.period_label).to_owned(),
        (None, "description") => td_string!(locale, setup.description).to_owned(),
        (None, "builds_on") => td_string!(locale, dashboard.builds_on).to_owned(),
        (None, "archived") => td_string!(locale, setup.archived_heading).to_owned(),
        (None, "language") => td_string!(locale, admin.language).to_owned(),
        (None, other) => other.to_owned(),
    }
}

/// The words for an entry's action; an unknown one is shown as it is stored.
pub fn action_label(locale: Locale, action: &str) -> String {
    let known = match action {
        "milestone.created" => td_string!(locale, audit.milestone_created),
        "milestone.updated" => td_string!(locale, audit.milestone_updated),
        "milestone.deleted" => td_string!(locale, audit.milestone_deleted),
        "strategy.imported" => td_string!(locale, audit.strategy_imported),
        "user.created" => td_string!(locale, audit.user_created),
        "user.password_changed" => td_string!(locale, audit.user_password_changed),
        "user.role_changed" => td_string!(locale, audit.user_role_changed),
        "user.disabled" => td_string!(locale, audit.user_disabled),
        "user.enabled" => td_string!(locale, audit.user_enabled),
        "subgoal.owner_added" => td_string!(locale, audit.owner_added),
        "subgoal.owner_removed" => td_string!(locale, audit.owner_removed),
        "setting.changed" => td_string!(locale, audit.setting_changed),
        "field.updated" => td_string!(locale, audit.field_updated),
        "need.updated" => td_string!(locale, audit.need_updated),
        "need.created" => td_string!(locale, audit.need_created),
        "subgoal.updated" => td_string!(locale, audit.subgoal_updated),
        "subgoal.created" => td_string!(locale, audit.subgoal_created),
        "login.succeeded" => td_string!(locale, audit.login_succeeded),
        "login.failed" => td_string!(locale, audit.login_failed),
        "login.refused" => td_string!(locale, audit.login_refused),
        "logout" => td_string!(locale, audit.logout),
        "access.denied" => td_string!(locale, audit.access_denied),
        "need.rebaselined" => td_string!(locale, audit.need_rebaselined),
        "indicator.created" => td_string!(locale, audit.indicator_created),
        "indicator.updated" => td_string!(locale, audit.indicator_updated),
        "indicator.deleted" => td_string!(locale, audit.indicator_deleted),
        "indicator.reading_recorded" => td_string!(locale, audit.reading_recorded),
        "indicator.reading_removed" => td_string!(locale, audit.reading_removed),
        "subgoal.progress_method" => td_string!(locale, audit.progress_method),
        "subgoal.confirmed" => td_string!(locale, audit.subgoal_confirmed),
        "subgoal.rhythm" => td_string!(locale, audit.subgoal_rhythm),
        "reminder.sent" => td_string!(locale, audit.reminder_sent),
        "user.contact" => td_string!(locale, audit.user_contact),
        "strategy.created" => td_string!(locale, audit.strategy_created),
        "strategy.updated" => td_string!(locale, audit.strategy_updated),
        "field.created" => td_string!(locale, audit.field_created),
        "field.builds_on" => td_string!(locale, audit.field_builds_on),
        "field.moved" => td_string!(locale, audit.field_moved),
        "need.moved" => td_string!(locale, audit.need_moved),
        "subgoal.moved" => td_string!(locale, audit.subgoal_moved),
        "field.archived" => td_string!(locale, audit.field_archived),
        "field.restored" => td_string!(locale, audit.field_restored),
        "need.archived" => td_string!(locale, audit.need_archived),
        "need.restored" => td_string!(locale, audit.need_restored),
        "subgoal.archived" => td_string!(locale, audit.subgoal_archived),
        "subgoal.restored" => td_string!(locale, audit.subgoal_restored),
        "database.moved" => td_string!(locale, audit.database_moved),
        other => return other.to_owned(),
    };
    known.to_owned()
}
