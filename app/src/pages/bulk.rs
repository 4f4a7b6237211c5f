//! `/bulk/:token`: the preview of an uploaded spreadsheet. Every row as new, changed (each
//! field old → new), unchanged or refused (with its line, column and problem); nothing is
//! written until the user applies it, and nothing at all while a row is refused.

use crate::{
    components::{
        bulk::{file_problem_text, issue_text},
        form::Refusal,
        milestone_form::{field_label, problem_text, status_label},
    },
    domain::{
        MilestoneData, Status,
        bulk::{Column, Outcome, PlannedRow, differences},
        validation::MilestoneField,
    },
    format,
    i18n::*,
    pages::loaded,
    server_fns::bulk::{ApplyBulk, BulkPreview, get_bulk_preview},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn BulkPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let data = Resource::new(move || token.get(), get_bulk_preview);
    let apply = ServerAction::<ApplyBulk>::new();
    view! {
        <Title text=move || t_string!(i18n, bulk.preview_title)/>
        <p class="kicker">{t!(i18n, bulk.heading)}</p>
        <h1>{t!(i18n, bulk.preview_title)}</h1>
        {loaded(data, move |preview| view! { <Preview preview apply/> })}
    }
}

/// A field's value as the form writes it, in words where it is a status.
fn shown(locale: Locale, field: MilestoneField, text: &str) -> String {
    match (field, Status::parse(text)) {
        (MilestoneField::Status, Some(status)) => status_label(locale, status).to_owned(),
        (MilestoneField::Due | MilestoneField::DoneOn, _) => text
            .parse()
            .map(|day| format::date(locale, day))
            .unwrap_or_else(|_| text.to_owned()),
        _ if text.is_empty() => "–".to_owned(),
        _ => text.to_owned(),
    }
}

#[component]
fn Preview(preview: BulkPreview, apply: ServerAction<ApplyBulk>) -> impl IntoView {
    let i18n = use_i18n();
    let tally = preview.tally;
    let token = preview.token.clone();
    let refusal = Refusal::of(apply, "bulk".to_owned());
    let file = preview.file.clone();
    let subgoal_title = {
        let subgoals = preview.subgoals.clone();
        move |id: i64| {
            subgoals
                .iter()
                .find(|(s, _)| *s == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| format!("#{id}"))
        }
    };
    if let Some(problem) = preview.problem {
        return view! {
            <p class="lead">{file}</p>
            <div class="error-summary" role="alert">
                <p><strong>{t!(i18n, bulk.file_refused)}</strong></p>
                <p>{move || file_problem_text(i18n.get_locale(), &problem)}</p>
            </div>
            <p><a href="/my-subgoals">{t!(i18n, bulk.back)}</a></p>
        }
        .into_any();
    }
    let mut refused = Vec::new();
    let mut changed = Vec::new();
    let mut new = Vec::new();
    let mut unchanged = Vec::new();
    for row in preview.rows {
        match &row.outcome {
            Outcome::Refused(_) => refused.push(row),
            Outcome::Changed { .. } => changed.push(row),
            Outcome::New { .. } => new.push(row),
            Outcome::Unchanged { .. } => unchanged.push(row),
        }
    }
    let refused_table = (!refused.is_empty()).then(|| {
        let rows = refused
            .into_iter()
            .flat_map(|row: PlannedRow| {
                let PlannedRow { line, title, outcome } = row;
                let problems = match outcome {
                    Outcome::Refused(problems) => problems,
                    _ => Vec::new(),
                };
                problems.into_iter().map(move |p| (line, title.clone(), p))
            })
            .map(|(line, title, problem)| {
                let column = problem.column;
                view! {
                    <tr>
                        <td class="number">{line}</td>
                        <td>{title}</td>
                        <td>{move || column.map(|c| c.header(i18n.get_locale() == Locale::de)).unwrap_or("–")}</td>
                        <td>{move || issue_text(i18n.get_locale(), &problem.issue)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="error-summary" role="alert">
                <p><strong>{t!(i18n, bulk.refused_heading)}</strong></p>
                <p>{t!(i18n, bulk.refused_hint)}</p>
            </div>
            <div class="table-wrap" role="region" aria-labelledby="refused-caption" tabindex="0">
                <table>
                    <caption id="refused-caption">{t!(i18n, bulk.refused_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, bulk.col_line)}</th>
                            <th scope="col">{t!(i18n, bulk.col_milestone)}</th>
                            <th scope="col">{t!(i18n, bulk.col_column)}</th>
                            <th scope="col">{t!(i18n, bulk.col_problem)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let changed_table = (!changed.is_empty()).then(|| {
        let subgoal_title = subgoal_title.clone();
        let rows = changed
            .into_iter()
            .filter_map(|row| match row.outcome {
                Outcome::Changed { id, subgoal_id, before, after, .. } => {
                    Some((row.line, id, subgoal_id, row.title, before, after))
                }
                _ => None,
            })
            .map(|(line, id, subgoal_id, title, before, after)| {
                let diffs = differences(&before, &after)
                    .into_iter()
                    .map(|(field, old, new)| {
                        view! {
                            <li>
                                {move || {
                                    let locale = i18n.get_locale();
                                    format!(
                                        "{}: {} → {}",
                                        field_label(locale, field),
                                        shown(locale, field, &old),
                                        shown(locale, field, &new)
                                    )
                                }}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <tr>
                        <td class="number">{line}</td>
                        <td class="number">{id}</td>
                        <th scope="row">{title}</th>
                        <td>{subgoal_title(subgoal_id)}</td>
                        <td><ul class="changes">{diffs}</ul></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" role="region" aria-labelledby="changed-caption" tabindex="0">
                <table>
                    <caption id="changed-caption">{t!(i18n, bulk.changed_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, bulk.col_line)}</th>
                            <th scope="col">{move || Column::Id.header(i18n.get_locale() == Locale::de)}</th>
                            <th scope="col">{t!(i18n, bulk.col_milestone)}</th>
                            <th scope="col">{t!(i18n, bulk.col_subgoal)}</th>
                            <th scope="col">{t!(i18n, bulk.col_changes)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let new_table = (!new.is_empty()).then(|| {
        let rows = new
            .into_iter()
            .filter_map(|row| match row.outcome {
                Outcome::New { subgoal_id, data } => Some((row.line, subgoal_id, data)),
                _ => None,
            })
            .map(|(line, subgoal_id, data): (usize, i64, MilestoneData)| {
                let (due, status) = (data.due, data.status);
                view! {
                    <tr>
                        <td class="number">{line}</td>
                        <th scope="row">{data.title}</th>
                        <td>{subgoal_title(subgoal_id)}</td>
                        <td>{move || format::date(i18n.get_locale(), due)}</td>
                        <td>{move || status_label(i18n.get_locale(), status)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" role="region" aria-labelledby="new-caption" tabindex="0">
                <table>
                    <caption id="new-caption">{t!(i18n, bulk.new_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, bulk.col_line)}</th>
                            <th scope="col">{t!(i18n, bulk.col_milestone)}</th>
                            <th scope="col">{t!(i18n, bulk.col_subgoal)}</th>
                            <th scope="col">{t!(i18n, milestone.due)}</th>
                            <th scope="col">{t!(i18n, milestone.status)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let unchanged_list = (!unchanged.is_empty()).then(|| {
        let count = unchanged.len();
        view! {
            <details class="unchanged">
                <summary>{move || td_string!(i18n.get_locale(), bulk.unchanged_list, count = count).to_string()}</summary>
                <ul>
                    {unchanged
                        .into_iter()
                        .map(|row| view! {
                            <li>{move || td_string!(i18n.get_locale(), bulk.line, line = row.line).to_string()} ": " {row.title.clone()}</li>
                        })
                        .collect_view()}
                </ul>
            </details>
        }
    });
    let apply_problem = refusal.problem("rows");
    let actions = view! {
        {apply_problem.map(|problem| view! {
            <p class="field-error" role="alert">{move || problem_text(i18n.get_locale(), problem)}</p>
        })}
        <div class="actions">
            {tally.applicable().then(|| {
                let token = token.clone();
                view! {
                    <form method="post" action="/api/bulk/apply">
                        <input type="hidden" name="token" value=token/>
                        <button type="submit" class="primary">
                            {move || td_string!(i18n.get_locale(), bulk.apply, new = tally.new, changed = tally.changed).to_string()}
                        </button>
                    </form>
                }
            })}
            <form method="post" action="/api/bulk/discard">
                <input type="hidden" name="token" value=token.clone()/>
                <button type="submit">{t!(i18n, bulk.discard)}</button>
            </form>
        </div>
    };
    view! {
        <p class="lead">{file}</p>
        <p class="summary" role="status">
            {move || td_string!(
                i18n.get_locale(),
                bulk.tally,
                new = tally.new,
                changed = tally.changed,
                unchanged = tally.unchanged,
                refused = tally.refused
            ).to_string()}
        </p>
        {(tally.new + tally.changed + tally.refused == 0).then(|| view! { <p>{t!(i18n, bulk.nothing)}</p> })}
        {refused_table}
        {changed_table}
        {new_table}
        {unchanged_list}
        {actions}
    }
    .into_any()
}
