//! `/admin/strategies`: the strategies, a form to create one and the upload of a strategy
//! document; `/admin/strategies/import/:token`: what the uploaded document would create, or
//! every problem by its path, with the buttons to import or discard it;
//! `/admin/structure/:token`: what an uploaded structure sheet would add and change.

use crate::{
    components::{
        bulk::file_problem_text, document_problems::document_problem_text,
        milestone_form::problem_text, structure::NewStrategyForm,
    },
    domain::structure_sheet::{RowIssue, RowOutcome, RowProblem, StructureColumn},
    format,
    i18n::*,
    pages::loaded,
    server_fns::setup::{
        ApplyImport, ApplyStructure, ImportOutcome, ImportPreview, ImportSummary, StructurePreview,
        get_import_preview, get_strategies, get_structure_preview,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StrategiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| get_strategies());
    view! {
        <Title text=move || t_string!(i18n, setup.title)/>
        <h1>{t!(i18n, setup.title)}</h1>
        <p class="lead">{t!(i18n, setup.intro)}</p>
        {loaded(data, move |strategies| {
            let list = if strategies.is_empty() {
                view! { <p>{t!(i18n, setup.none_yet)}</p> }.into_any()
            } else {
                view! {
                    <ul class="strategy-list">
                        {strategies
                            .into_iter()
                            .map(|s| {
                                let facts = [
                                    s.about.city.clone(),
                                    s.about.period.map(|p| p.to_string()),
                                ]
                                .into_iter()
                                .flatten()
                                .collect::<Vec<_>>()
                                .join(", ");
                                view! {
                                    <li>
                                        <a href=format!("/strategies/{}", s.id)>{s.title}</a>
                                        {(!facts.is_empty()).then(|| format!(" ({facts})"))}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            };
            view! {
                <section aria-labelledby="strategies-heading">
                    <h2 id="strategies-heading">{t!(i18n, setup.list_heading)}</h2>
                    {list}
                </section>
            }
        })}
        <section aria-labelledby="create-heading">
            <h2 id="create-heading">{t!(i18n, setup.create_heading)}</h2>
            <NewStrategyForm/>
        </section>
        <section aria-labelledby="import-heading">
            <h2 id="import-heading">{t!(i18n, setup.import_heading)}</h2>
            <p class="hint">{t!(i18n, setup.import_hint)}</p>
            <form method="post" action="/strategies/import" enctype="multipart/form-data" class="milestone-form">
                <div class="form-field">
                    <label for="import-file">{t!(i18n, setup.import_file)}</label>
                    <input id="import-file" type="file" name="file" required accept=".json,application/json"/>
                </div>
                <button type="submit">{t!(i18n, setup.import_upload)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn ImportPreviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = params.read_untracked().get("token").unwrap_or_default();
    let data = Resource::new(move || token.clone(), get_import_preview);
    // Registered so that a refused import comes back to this page with its message.
    let _apply = ServerAction::<ApplyImport>::new();
    view! {
        <Title text=move || t_string!(i18n, setup.preview_title)/>
        <p class="kicker">{t!(i18n, setup.import_heading)}</p>
        <h1>{t!(i18n, setup.preview_title)}</h1>
        {loaded(data, move |preview| view! { <Preview preview/> })}
    }
}

#[component]
fn Preview(preview: ImportPreview) -> impl IntoView {
    let i18n = use_i18n();
    let file = preview.file.clone();
    let token = preview.token.clone();
    let file_line =
        move || td_string!(i18n.get_locale(), setup.preview_file, file = file.clone()).to_string();
    let body = match preview.outcome {
        ImportOutcome::Refused(problems) => {
            let rows = problems
                .into_iter()
                .map(|error| {
                    let problem = error.problem.clone();
                    view! {
                        <tr>
                            <td><code>{error.path}</code></td>
                            <td>{move || document_problem_text(i18n.get_locale(), &problem)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="error-summary" role="alert">
                    <p><strong>{t!(i18n, setup.refused)}</strong></p>
                </div>
                <div class="table-wrap" role="region" aria-labelledby="problems-caption" tabindex="0">
                    <table>
                        <caption id="problems-caption">{t!(i18n, setup.problems_caption)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, setup.col_path)}</th>
                                <th scope="col">{t!(i18n, setup.col_problem)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }
        ImportOutcome::Ready(summary) => {
            let token = token.clone();
            view! {
                <Summary summary/>
                <form method="post" action="/api/setup/import/apply" class="inline-form">
                    <input type="hidden" name="token" value=token/>
                    <button type="submit">{t!(i18n, setup.confirm)}</button>
                </form>
            }
            .into_any()
        }
    };
    view! {
        <p class="lead">{file_line}</p>
        {body}
        <form method="post" action="/api/setup/import/discard" class="inline-form">
            <input type="hidden" name="token" value=token/>
            <button type="submit" class="secondary">{t!(i18n, setup.discard)}</button>
        </form>
        <p><a href="/admin/strategies">{t!(i18n, setup.back)}</a></p>
    }
}

#[component]
fn Summary(summary: ImportSummary) -> impl IntoView {
    let i18n = use_i18n();
    let counts = summary.counts;
    let title = summary.title.clone();
    let rows = [
        (t_string!(i18n, setup.count_fields), counts.fields),
        (t_string!(i18n, setup.count_needs), counts.needs),
        (t_string!(i18n, setup.count_subgoals), counts.subgoals),
        (t_string!(i18n, setup.count_milestones), counts.milestones),
        (t_string!(i18n, setup.count_indicators), counts.indicators),
    ];
    let structure = summary
        .fields
        .into_iter()
        .map(|(field, needs)| {
            view! {
                <li>
                    {field}
                    {(!needs.is_empty()).then(|| view! {
                        <ul>{needs.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <p>{move || td_string!(i18n.get_locale(), setup.preview_would, title = title.clone()).to_string()}</p>
        <div class="table-wrap" role="region" tabindex="0" aria-label=move || t_string!(i18n, setup.counts_caption)>
            <table>
                <caption>{t!(i18n, setup.counts_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, setup.col_what)}</th>
                        <th scope="col" class="num">{t!(i18n, setup.col_count)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(what, n)| view! {
                        <tr><th scope="row">{what}</th><td class="num">{n}</td></tr>
                    }).collect_view()}
                    {(counts.archived > 0).then(|| view! {
                        <tr><th scope="row">{t!(i18n, setup.count_archived)}</th><td class="num">{counts.archived}</td></tr>
                    })}
                </tbody>
            </table>
        </div>
        <section aria-labelledby="import-structure-heading">
            <h2 id="import-structure-heading">{t!(i18n, setup.structure_caption)}</h2>
            <ul class="import-structure">{structure}</ul>
        </section>
    }
}

#[component]
pub fn StructurePreviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = params.read_untracked().get("token").unwrap_or_default();
    let data = Resource::new(move || token.clone(), get_structure_preview);
    // Registered so that a refused apply comes back to this page with its message.
    let _apply = ServerAction::<ApplyStructure>::new();
    view! {
        <Title text=move || t_string!(i18n, setup.structure_preview_title)/>
        <h1>{t!(i18n, setup.structure_preview_title)}</h1>
        {loaded(data, move |preview| view! { <StructurePreviewView preview/> })}
    }
}

/// A structure row's problem in words.
fn row_problem_text(locale: Locale, problem: &RowProblem) -> String {
    match &problem.issue {
        RowIssue::Value(p) => problem_text(locale, *p),
        RowIssue::SameAsLine(line) => {
            td_string!(locale, setup.same_as_line, line = *line).to_string()
        }
    }
}

#[component]
fn StructurePreviewView(preview: StructurePreview) -> impl IntoView {
    let i18n = use_i18n();
    let (file, title) = (preview.file.clone(), preview.strategy_title.clone());
    let back = format!("/strategies/{}", preview.strategy_id);
    let token = preview.token.clone();
    let heading = move || {
        td_string!(
            i18n.get_locale(),
            setup.structure_for,
            file = file.clone(),
            title = title.clone()
        )
        .to_string()
    };
    let discard = {
        let token = token.clone();
        view! {
            <form method="post" action="/api/setup/structure/discard" class="inline-form">
                <input type="hidden" name="token" value=token/>
                <button type="submit" class="secondary">{t!(i18n, setup.discard)}</button>
            </form>
        }
    };
    if let Some(problem) = preview.problem {
        return view! {
            <p class="lead">{heading}</p>
            <div class="error-summary" role="alert">
                <p><strong>{t!(i18n, setup.file_refused)}</strong></p>
                <p>{move || file_problem_text(i18n.get_locale(), &problem)}</p>
            </div>
            {discard}
            <p><a href=back>{t!(i18n, setup.back_to_strategy)}</a></p>
        }
        .into_any();
    }
    let tally = preview.tally;
    let german = move || i18n.get_locale() == Locale::de;
    let column_name = move |column: Option<StructureColumn>| {
        column
            .map(|c| c.header(german()).to_owned())
            .unwrap_or_default()
    };
    let mut refused = Vec::new();
    let mut new = Vec::new();
    let mut changed = Vec::new();
    for row in preview.rows {
        match row.outcome {
            RowOutcome::Refused(problems) => {
                for problem in problems {
                    refused.push((row.line, row.title.clone(), problem));
                }
            }
            RowOutcome::New(part) => new.push((row.line, part)),
            RowOutcome::Changed { owner, weight, .. } => {
                changed.push((row.line, row.title.clone(), owner, weight))
            }
            RowOutcome::Unchanged { .. } => {}
        }
    }
    let refused_table = (!refused.is_empty()).then(|| {
        let rows = refused
            .into_iter()
            .map(|(line, title, problem)| {
                let column = problem.column;
                view! {
                    <tr>
                        <td class="num">{line}</td>
                        <td>{title}</td>
                        <td>{move || column_name(column)}</td>
                        <td>{move || row_problem_text(i18n.get_locale(), &problem)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="error-summary" role="alert">
                <p><strong>{t!(i18n, setup.refused_rows)}</strong></p>
            </div>
            <div class="table-wrap" role="region" aria-labelledby="structure-refused" tabindex="0">
                <table>
                    <caption id="structure-refused">{t!(i18n, setup.refused_caption)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, setup.col_line)}</th>
                        <th scope="col">{t!(i18n, setup.col_subgoal)}</th>
                        <th scope="col">{t!(i18n, setup.col_column)}</th>
                        <th scope="col">{t!(i18n, setup.col_problem)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let new_table = (!new.is_empty()).then(|| {
        let marked = move |text: String, is_new: bool| {
            view! { {text} {is_new.then(|| view! { " " <em>{t!(i18n, setup.is_new)}</em> })} }
        };
        let rows = new
            .into_iter()
            .map(|(line, part)| {
                let weight = part.weight;
                view! {
                    <tr>
                        <td class="num">{line}</td>
                        <td>{marked(part.field, part.field_is_new)}</td>
                        <td>{marked(part.need, part.need_is_new)}</td>
                        <th scope="row">
                            {part.subgoal}
                            {part.archived.then(|| view! { " " <em>{t!(i18n, setup.archived_mark)}</em> })}
                        </th>
                        <td>{part.owner.unwrap_or_default()}</td>
                        <td class="num">{move || format::weight(i18n.get_locale(), weight)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" role="region" aria-labelledby="structure-new" tabindex="0">
                <table>
                    <caption id="structure-new">{t!(i18n, setup.new_caption)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, setup.col_line)}</th>
                        <th scope="col">{t!(i18n, setup.col_field)}</th>
                        <th scope="col">{t!(i18n, setup.col_need)}</th>
                        <th scope="col">{t!(i18n, setup.col_subgoal)}</th>
                        <th scope="col">{t!(i18n, setup.col_owner)}</th>
                        <th scope="col">{t!(i18n, setup.col_weight)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let changed_table = (!changed.is_empty()).then(|| {
        let rows = changed
            .into_iter()
            .map(|(line, title, owner, weight)| {
                let words = move || {
                    let locale = i18n.get_locale();
                    let mut parts = Vec::new();
                    if owner.0 != owner.1 {
                        let shown =
                            |o: &Option<String>| o.clone().unwrap_or_else(|| "–".to_owned());
                        parts.push(
                            td_string!(
                                locale,
                                setup.change_owner,
                                before = shown(&owner.0),
                                after = shown(&owner.1)
                            )
                            .to_string(),
                        );
                    }
                    if weight.0 != weight.1 {
                        parts.push(
                            td_string!(
                                locale,
                                setup.change_weight,
                                before = format::weight(locale, weight.0),
                                after = format::weight(locale, weight.1)
                            )
                            .to_string(),
                        );
                    }
                    parts.join("; ")
                };
                view! {
                    <tr>
                        <td class="num">{line}</td>
                        <th scope="row">{title}</th>
                        <td>{words}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" role="region" aria-labelledby="structure-changed" tabindex="0">
                <table>
                    <caption id="structure-changed">{t!(i18n, setup.changed_caption)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, setup.col_line)}</th>
                        <th scope="col">{t!(i18n, setup.col_subgoal)}</th>
                        <th scope="col">{t!(i18n, setup.col_changes)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let counts = [
        (t_string!(i18n, setup.tally_new_fields), tally.new_fields),
        (t_string!(i18n, setup.tally_new_needs), tally.new_needs),
        (
            t_string!(i18n, setup.tally_new_subgoals),
            tally.new_subgoals,
        ),
        (t_string!(i18n, setup.tally_changed), tally.changed),
        (t_string!(i18n, setup.tally_unchanged), tally.unchanged),
        (t_string!(i18n, setup.tally_refused), tally.refused),
    ];
    let apply = tally.applicable().then(|| {
        view! {
            <form method="post" action="/api/setup/structure/apply" class="inline-form">
                <input type="hidden" name="token" value=token.clone()/>
                <button type="submit">{t!(i18n, setup.apply_structure)}</button>
            </form>
        }
    });
    let nothing = (tally.refused == 0 && !tally.applicable())
        .then(|| view! { <p>{t!(i18n, setup.nothing_to_do)}</p> });
    view! {
        <p class="lead">{heading}</p>
        <div class="table-wrap" role="region" tabindex="0" aria-label=move || t_string!(i18n, setup.tally_caption)>
            <table>
                <caption>{t!(i18n, setup.tally_caption)}</caption>
                <tbody>
                    {counts.into_iter().map(|(what, n)| view! {
                        <tr><th scope="row">{what}</th><td class="num">{n}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {refused_table}
        {new_table}
        {changed_table}
        {nothing}
        {apply}
        {discard}
        <p><a href=back>{t!(i18n, setup.back_to_strategy)}</a></p>
    }
    .into_any()
}
