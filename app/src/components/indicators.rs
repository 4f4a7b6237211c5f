//! A sub-goal's indicators on its page: what measures its progress, each indicator with its
//! figures, trend chart and readings, and, for its owners and admins, the forms to record
//! readings and to add, change or delete indicators. Plain form posts: the page loads again
//! with the change, or with the refusal beside the field and what was typed.

use crate::{
    components::{
        chart::ChartFigure,
        form::{Input, Refusal, label},
        milestone_form::problem_text,
    },
    domain::{
        Direction, Indicator,
        indicator::{IndicatorInput, field},
    },
    format::{self, measured as value_text},
    i18n::*,
    server_fns::{
        indicators::{AddIndicator, DeleteIndicator, EditIndicator, RecordReading},
        strategy::{AsOf, IndicatorView},
    },
};
use leptos::prelude::*;

#[component]
pub fn IndicatorsSection(
    subgoal_id: i64,
    indicators: Vec<IndicatorView>,
    as_of: AsOf,
    can_edit: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let choices: Vec<(i64, String, bool)> = indicators
        .iter()
        .map(|v| {
            (
                v.indicator.id,
                v.indicator.data.name.clone(),
                v.indicator.measures_progress,
            )
        })
        .collect();
    let list = if indicators.is_empty() {
        view! { <p>{t!(i18n, indicator.none)}</p> }.into_any()
    } else {
        view! {
            <ul class="indicators">
                {indicators
                    .into_iter()
                    .map(|view| view! { <IndicatorCard view as_of can_edit/> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="indicators-heading">
            <h2 id="indicators-heading">{t!(i18n, indicator.heading)}</h2>
            {(can_edit && !choices.is_empty()).then(|| view! { <MethodForm subgoal_id choices/> })}
            {list}
            {can_edit.then(|| view! { <AddIndicatorForm subgoal_id/> })}
        </section>
    }
}

/// What measures a sub-goal's progress, said under its figure: the milestones, or the
/// indicator named here, with how that is computed.
#[component]
pub fn ProgressMethod(measuring: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let explained = match measuring {
        Some(_) => t!(i18n, indicator.method_explained_indicator).into_any(),
        None => t!(i18n, indicator.method_explained_milestones).into_any(),
    };
    let method = move || match &measuring {
        Some(name) => {
            td_string!(i18n.get_locale(), indicator.method_indicator, name = name).to_string()
        }
        None => td_string!(i18n.get_locale(), indicator.method_milestones).to_owned(),
    };
    view! {
        <p class="method">
            {t!(i18n, indicator.method_heading)} ": " <strong>{method}</strong> ". " {explained}
        </p>
    }
}

/// Chooses what measures the sub-goal's progress: the milestones or one indicator.
#[component]
fn MethodForm(subgoal_id: i64, choices: Vec<(i64, String, bool)>) -> impl IntoView {
    let i18n = use_i18n();
    let none_chosen = !choices.iter().any(|(_, _, chosen)| *chosen);
    let select_id = format!("method-{subgoal_id}");
    view! {
        <form method="post" action="/api/indicators/method" class="inline-form">
            <input type="hidden" name="subgoal_id" value=subgoal_id/>
            <label for=select_id.clone()>{t!(i18n, indicator.method_label)}</label>
            <select id=select_id name="method">
                <option value="milestones" selected=none_chosen>
                    {t!(i18n, indicator.method_milestones)}
                </option>
                {choices
                    .into_iter()
                    .map(|(id, name, chosen)| view! {
                        <option value=id.to_string() selected=chosen>
                            {move || td_string!(i18n.get_locale(), indicator.method_indicator, name = name.clone()).to_string()}
                        </option>
                    })
                    .collect_view()}
            </select>
            <button type="submit">{t!(i18n, indicator.method_save)}</button>
        </form>
    }
}

#[component]
fn IndicatorCard(view: IndicatorView, as_of: AsOf, can_edit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let IndicatorView { indicator, trend } = view;
    let id = indicator.id;
    let name_id = format!("indicator-{id}-name");
    let labelled_by = name_id.clone();
    let data = indicator.data.clone();
    let unit = data.unit.clone();
    let with_unit = move |value: f64| {
        let unit = unit.clone();
        move || format!("{} {unit}", value_text(i18n.get_locale(), value))
    };
    let latest = indicator.latest().cloned();
    let progress = indicator.progress();
    let current = match latest {
        Some(reading) => {
            let value = with_unit(reading.value);
            view! {
                {move || td_string!(
                    i18n.get_locale(),
                    indicator.on_day,
                    value = value(),
                    day = format::date(i18n.get_locale(), reading.on)
                ).to_string()}
            }
            .into_any()
        }
        None => {
            let value = with_unit(data.baseline.value);
            view! { {value} " (" {t!(i18n, indicator.no_reading)} ")" }.into_any()
        }
    };
    let direction = data.direction;
    let (baseline, target) = (data.baseline, data.target);
    let readings = indicator.readings.clone();
    let readings_table = if readings.is_empty() {
        view! { <p>{t!(i18n, indicator.no_readings)}</p> }.into_any()
    } else {
        let unit = data.unit.clone();
        let label = format!("{} – {}", t_string!(i18n, indicator.readings), data.name);
        view! {
            <div class="table-wrap" role="region" tabindex="0" aria-label=label>
            <table class="readings">
                <caption>{t!(i18n, indicator.readings)} " – " {data.name.clone()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, indicator.col_on)}</th>
                        <th scope="col">{t!(i18n, indicator.col_value)} " (" {unit} ")"</th>
                        <th scope="col">{t!(i18n, indicator.col_note)}</th>
                        {can_edit.then(|| view! { <th scope="col"><span class="visually-hidden">{t!(i18n, indicator.remove_reading)}</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {readings
                        .into_iter()
                        .rev()
                        .map(|reading| {
                            let on = reading.on;
                            view! {
                                <tr>
                                    <td>{move || format::date(i18n.get_locale(), on)}</td>
                                    <td class="number">{move || value_text(i18n.get_locale(), reading.value)}</td>
                                    <td>{reading.note.clone().unwrap_or_default()}</td>
                                    {can_edit.then(|| view! {
                                        <td>
                                            <form method="post" action="/api/indicators/reading/remove" class="inline-form">
                                                <input type="hidden" name="id" value=reading.id/>
                                                <button
                                                    type="submit"
                                                    aria-label=move || td_string!(i18n.get_locale(), indicator.remove_reading_label, day = format::date(i18n.get_locale(), on)).to_string()
                                                >
                                                    {t!(i18n, indicator.remove_reading)}
                                                </button>
                                            </form>
                                        </td>
                                    })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            </div>
        }
        .into_any()
    };
    let forms = can_edit.then(|| {
        let decimal_comma = i18n.get_locale_untracked() == Locale::de;
        let stored = IndicatorInput::from_data(&indicator.data, decimal_comma);
        view! {
            <ReadingForm indicator=indicator.clone() today=as_of.today/>
            <EditIndicatorForm id version=indicator.version stored/>
            <DeleteIndicatorForm id version=indicator.version name=indicator.data.name.clone()/>
        }
    });
    view! {
        <li class="indicator">
            <article aria-labelledby=labelled_by>
                <h3 id=name_id>
                    {data.name.clone()}
                    {indicator.measures_progress.then(|| view! {
                        " " <span class="badge">{t!(i18n, indicator.measures)}</span>
                    })}
                </h3>
                <dl class="facts">
                    <div>
                        <dt>{t!(i18n, indicator.baseline)}</dt>
                        <dd>{with_unit(baseline.value)} " (" {move || format::date(i18n.get_locale(), baseline.on)} ")"</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, indicator.target)}</dt>
                        <dd>{with_unit(target.value)} " (" {move || format::date(i18n.get_locale(), target.on)} ")"</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, indicator.current)}</dt>
                        <dd>{current}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, indicator.direction)}</dt>
                        <dd>{move || direction_label(i18n.get_locale(), direction)}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, indicator.progress)}</dt>
                        <dd><strong>{move || format::percent(i18n.get_locale(), progress)}</strong></dd>
                    </div>
                </dl>
                <ChartFigure chart=trend as_of/>
                {readings_table}
                {forms}
            </article>
        </li>
    }
}

fn direction_label(locale: Locale, direction: Direction) -> &'static str {
    match direction {
        Direction::Rising => td_string!(locale, indicator.rising),
        Direction::Falling => td_string!(locale, indicator.falling),
    }
}

/// Records a reading: the day measured, the value, a note.
#[component]
fn ReadingForm(indicator: Indicator, today: chrono::NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let id = indicator.id;
    let form = format!("reading-{id}");
    let refusal = Refusal::of(ServerAction::<RecordReading>::new(), form.clone());
    let today = today.to_string();
    view! {
        <details class="structure" open=refusal.any()>
            <summary aria-label=move || format!("{}: {}", t_string!(i18n, indicator.record_reading), indicator.data.name)>
                {t!(i18n, indicator.record_reading)}
            </summary>
            <form method="post" action="/api/indicators/reading" class="milestone-form" novalidate>
                <input type="hidden" name="indicator_id" value=id/>
                <div class="form-row">
                    <Input form=form.clone() name=field::ON kind="date" label=label(move || t_string!(i18n, indicator.reading_on))
                        value=refusal.value(field::ON, today) problem=refusal.problem(field::ON)/>
                    <Input form=form.clone() name=field::VALUE label=label(move || t_string!(i18n, indicator.reading_value))
                        value=refusal.value(field::VALUE, String::new()) problem=refusal.problem(field::VALUE)/>
                </div>
                <Input form=form name=field::NOTE label=label(move || t_string!(i18n, indicator.reading_note))
                    value=refusal.value(field::NOTE, String::new()) problem=refusal.problem(field::NOTE)/>
                <button type="submit" class="primary">{t!(i18n, indicator.save_reading)}</button>
            </form>
        </details>
    }
}

/// The fields of an indicator, pre-filled with what was typed or else `stored`.
#[component]
fn IndicatorFields(refusal: Refusal, stored: IndicatorInput) -> impl IntoView {
    let i18n = use_i18n();
    let form = refusal.form.clone();
    let direction_id = format!("{form}-direction");
    let direction_error = format!("{direction_id}-error");
    let direction = refusal.value(field::DIRECTION, stored.direction.clone());
    let direction_problem = refusal.problem(field::DIRECTION);
    let option = move |value: Direction| {
        let selected = direction == value.as_str();
        view! {
            <option value=value.as_str() selected=selected>
                {move || direction_label(i18n.get_locale(), value)}
            </option>
        }
    };
    let input = |name: &'static str, text: Signal<String>, stored: String, kind: &'static str| {
        view! {
            <Input form=form.clone() name kind label=text
                value=refusal.value(name, stored) problem=refusal.problem(name)/>
        }
    };
    view! {
        {input(field::NAME, label(move || t_string!(i18n, indicator.name)), stored.name, "text")}
        <div class="form-row">
            {input(field::UNIT, label(move || t_string!(i18n, indicator.unit)), stored.unit, "text")}
            <div class="form-field">
                <label for=direction_id.clone()>{t!(i18n, indicator.direction)}</label>
                <select
                    id=direction_id
                    name=field::DIRECTION
                    aria-invalid=direction_problem.map(|_| "true")
                    aria-describedby=direction_problem.map(|_| direction_error.clone())
                >
                    {option(Direction::Rising)}
                    {option(Direction::Falling)}
                </select>
                {direction_problem.map(|problem| view! {
                    <p class="field-error" id=direction_error.clone()>{move || problem_text(i18n.get_locale(), problem)}</p>
                })}
            </div>
        </div>
        <div class="form-row">
            {input(field::BASELINE_VALUE, label(move || t_string!(i18n, indicator.baseline_value)), stored.baseline_value, "text")}
            {input(field::BASELINE_ON, label(move || t_string!(i18n, indicator.baseline_on)), stored.baseline_on, "date")}
        </div>
        <div class="form-row">
            {input(field::TARGET_VALUE, label(move || t_string!(i18n, indicator.target_value)), stored.target_value, "text")}
            {input(field::TARGET_ON, label(move || t_string!(i18n, indicator.target_on)), stored.target_on, "date")}
        </div>
    }
}

#[component]
fn AddIndicatorForm(subgoal_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let refusal = Refusal::of(
        ServerAction::<AddIndicator>::new(),
        format!("new-indicator-{subgoal_id}"),
    );
    let open = refusal.any();
    let stored = IndicatorInput {
        direction: Direction::Rising.as_str().to_owned(),
        ..IndicatorInput::default()
    };
    view! {
        <details class="structure" open=open>
            <summary>{t!(i18n, indicator.add)}</summary>
            <p class="hint">{t!(i18n, indicator.add_hint)}</p>
            <form method="post" action="/api/indicators/add" class="milestone-form" novalidate>
                <input type="hidden" name="subgoal_id" value=subgoal_id/>
                <IndicatorFields refusal stored/>
                <button type="submit" class="primary">{t!(i18n, indicator.add)}</button>
            </form>
        </details>
    }
}

#[component]
fn EditIndicatorForm(id: i64, version: i64, stored: IndicatorInput) -> impl IntoView {
    let i18n = use_i18n();
    let refusal = Refusal::of(
        ServerAction::<EditIndicator>::new(),
        format!("indicator-{id}"),
    );
    let open = refusal.any();
    let name = stored.name.clone();
    view! {
        <details class="structure" open=open>
            <summary aria-label=move || format!("{}: {name}", t_string!(i18n, indicator.edit))>
                {t!(i18n, indicator.edit)}
            </summary>
            <form method="post" action="/api/indicators/edit" class="milestone-form" novalidate>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                <IndicatorFields refusal stored/>
                <button type="submit" class="primary">{t!(i18n, indicator.save)}</button>
            </form>
        </details>
    }
}

#[component]
fn DeleteIndicatorForm(id: i64, version: i64, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let form = format!("indicator-{id}-delete");
    let refusal = Refusal::of(ServerAction::<DeleteIndicator>::new(), form);
    let problem = refusal.problem(field::NAME);
    view! {
        <details class="delete" open=refusal.any()>
            <summary aria-label=move || format!("{}: {name}", t_string!(i18n, indicator.delete))>
                {t!(i18n, indicator.delete)}
            </summary>
            <p>{t!(i18n, indicator.delete_warning)}</p>
            {problem.map(|problem| view! {
                <p class="field-error" role="alert">{move || problem_text(i18n.get_locale(), problem)}</p>
            })}
            <form method="post" action="/api/indicators/delete" class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                <button type="submit" class="danger">{t!(i18n, indicator.delete_confirm)}</button>
            </form>
        </details>
    }
}
