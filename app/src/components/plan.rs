//! A need's plan in words: planned finish, forecast at the current pace, baselines, and how far
//! a milestone's due date slipped against the plan.

use crate::{
    components::structure::RebaselineForm,
    domain::plan::{Forecast, slip_days},
    format,
    i18n::*,
    server_fns::strategy::PlanView,
};
use chrono::NaiveDate;
use leptos::prelude::*;

/// The forecast as a month ("März 2028"), or why there is none, in a few words.
pub fn forecast_short(locale: Locale, forecast: Forecast) -> String {
    match forecast {
        Forecast::AtPace { finish, .. } => format::month(locale, finish),
        Forecast::Finished { .. } => td_string!(locale, plan.finished_short).to_owned(),
        Forecast::NotEnoughData => td_string!(locale, plan.not_enough_data_short).to_owned(),
        Forecast::NoPlan => "–".to_owned(),
    }
}

/// The forecast in a full phrase.
fn forecast_long(locale: Locale, forecast: Forecast) -> String {
    match forecast {
        Forecast::AtPace { finish, .. } => format::month(locale, finish),
        Forecast::Finished { on } => {
            td_string!(locale, plan.finished, date = format::date(locale, on)).to_string()
        }
        Forecast::NotEnoughData => td_string!(locale, plan.not_enough_data).to_owned(),
        Forecast::NoPlan => td_string!(locale, plan.no_plan).to_owned(),
    }
}

/// "3 Tage später als geplant", "wie geplant" …
pub fn slip_text(locale: Locale, due: NaiveDate, planned: NaiveDate) -> String {
    let days = slip_days(due, planned);
    match days {
        0 => td_string!(locale, plan.on_plan).to_owned(),
        1 => td_string!(locale, plan.later_one).to_owned(),
        -1 => td_string!(locale, plan.earlier_one).to_owned(),
        d if d > 0 => td_string!(locale, plan.later, days = d).to_string(),
        d => td_string!(locale, plan.earlier, days = -d).to_string(),
    }
}

/// The need page's section: planned finish, forecast, pace, the method, the baselines, and
/// for admins (today's view) the form for a new baseline.
#[component]
pub fn PlanSection(plan: PlanView, need_id: i64, can_administer: bool) -> impl IntoView {
    let i18n = use_i18n();
    let PlanView {
        planned_finish,
        forecast,
        baselines,
    } = plan;
    let planned = move || {
        let locale = i18n.get_locale();
        planned_finish.map_or_else(
            || td_string!(locale, plan.no_plan).to_owned(),
            |day| format::month(locale, day),
        )
    };
    let pace = match forecast {
        Forecast::AtPace { per_day, .. } => Some(view! {
            <div>
                <dt>{t!(i18n, plan.pace)}</dt>
                <dd>{move || td_string!(i18n.get_locale(), plan.pace_value, points = format::decimal(i18n.get_locale(), per_day)).to_string()}</dd>
            </div>
        }),
        _ => None,
    };
    let summary = matches!(forecast, Forecast::AtPace { .. }).then(|| {
        view! {
            <p class="forecast-summary">
                {move || {
                    let locale = i18n.get_locale();
                    td_string!(locale, plan.summary, forecast = forecast_long(locale, forecast), planned = planned()).to_string()
                }}
            </p>
        }
    });
    let baselines_view = if baselines.is_empty() {
        view! { <p>{t!(i18n, plan.no_baseline)}</p> }.into_any()
    } else {
        let rows = baselines
            .into_iter()
            .map(|b| {
                let recorded = b.recorded_at.date_naive();
                view! {
                    <tr>
                        <td class="num">{b.number}</td>
                        <td>{move || format::date(i18n.get_locale(), recorded)}</td>
                        <td>{b.actor}</td>
                        <td>{b.reason}</td>
                        <td class="num">{b.milestones}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" role="region" tabindex="0" aria-label=move || t_string!(i18n, plan.baselines_caption)>
                <table>
                    <caption>{t!(i18n, plan.baselines_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, plan.col_number)}</th>
                            <th scope="col">{t!(i18n, plan.col_recorded)}</th>
                            <th scope="col">{t!(i18n, plan.col_actor)}</th>
                            <th scope="col">{t!(i18n, plan.col_reason)}</th>
                            <th scope="col">{t!(i18n, plan.col_milestones)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="plan-heading">
            <h2 id="plan-heading">{t!(i18n, plan.heading)}</h2>
            {summary}
            <dl class="facts">
                <div>
                    <dt>{t!(i18n, plan.planned_finish)}</dt>
                    <dd>{planned}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, plan.forecast)}</dt>
                    <dd>{move || forecast_long(i18n.get_locale(), forecast)}</dd>
                </div>
                {pace}
            </dl>
            <details class="how">
                <summary>{t!(i18n, plan.how_title)}</summary>
                <p>{t!(i18n, plan.how_text)}</p>
            </details>
            <h3>{t!(i18n, plan.baselines)}</h3>
            {baselines_view}
            {can_administer.then(|| view! { <RebaselineForm need_id/> })}
        </section>
    }
}
