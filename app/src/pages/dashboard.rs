//! A strategy's dashboard: overall progress, each field of action with its goal, and per need
//! its progress, state and milestone counts, as a chart with its data table beside it.

use crate::{
    components::{
        as_of::{AsOfPicker, PastViewNotice},
        bulk::BulkUpdate,
        chart::ChartFigure,
        plan::forecast_short,
        progress::{ExampleNotice, HowComputed, Level, ProgressFigure, ProgressText, StateBadge},
        structure::{
            AddFieldForm, AddNeedForm, ArchivedList, BuildsOnEditor, FieldEditor, OrderList, Parts,
            StrategyEditor, StructureUpload,
        },
    },
    format,
    i18n::*,
    pages::id_page,
    server_fns::strategy::{AsOf, Dashboard, FieldView, get_dashboard},
};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/strategies/:id`
#[component]
pub fn StrategyPage() -> impl IntoView {
    id_page(
        get_dashboard,
        |dashboard| view! { <DashboardView dashboard/> },
    )
}

#[component]
pub fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let title = dashboard.title.clone();
    let as_of = dashboard.as_of;
    let nothing_yet = (as_of.past.is_some() && dashboard.fields.is_empty())
        .then(|| view! { <p class="nothing-yet">{t!(i18n, as_of.nothing_yet)}</p> });
    let no_fields = (as_of.past.is_none() && dashboard.fields.is_empty())
        .then(|| view! { <p class="nothing-yet">{t!(i18n, setup.no_fields)}</p> });
    let about = dashboard.about.clone();
    let facts = {
        let period = about.period.map(|p| {
            view! { <span>{move || td_string!(i18n.get_locale(), setup.period, from = p.from, to = p.to).to_string()}</span> }
        });
        let city = about.city.clone().map(|city| view! { <span>{city}</span> });
        (period.is_some() || city.is_some()).then(|| view! {
            <p class="strategy-facts">{city}{(about.city.is_some() && about.period.is_some()).then_some(" · ")}{period}</p>
        })
    };
    let description = about
        .description
        .clone()
        .map(|text| view! { <p class="strategy-description">{text}</p> });
    let admin = dashboard.can_administer.then(|| {
        let order: Vec<(i64, String)> = dashboard
            .fields
            .iter()
            .map(|f| (f.id, f.title.clone()))
            .collect();
        view! {
            <div class="admin-structure">
                <StrategyEditor id=dashboard.id title=title.clone() about=about.clone()/>
                <AddFieldForm strategy_id=dashboard.id/>
                <StructureUpload strategy_id=dashboard.id/>
                {(!order.is_empty()).then(|| view! { <OrderList parts=Parts::Fields items=order/> })}
            </div>
        }
    });
    let archived = (!dashboard.archived.is_empty())
        .then(|| view! { <ArchivedList parts=dashboard.archived.clone()/> });
    view! {
        <Title text=title.clone()/>
        <h1>{title.clone()}</h1>
        {facts}
        {description}
        <PastViewNotice as_of today_href=format!("/strategies/{}", dashboard.id)/>
        <AsOfPicker strategy_id=dashboard.id as_of/>
        {dashboard.has_examples.then(|| view! { <ExampleNotice/> })}
        {nothing_yet}
        {no_fields}
        {admin}
        <ProgressFigure progress=dashboard.progress level=Level::Strategy/>
        {dashboard
            .fields
            .into_iter()
            .map(|field| view! { <FieldSection field as_of can_administer=dashboard.can_administer/> })
            .collect_view()}
        {archived}
        {dashboard.can_administer.then(|| view! { <BulkUpdate scope=format!("strategy={}", dashboard.id)/> })}
        <Downloads strategy_id=dashboard.id as_of/>
    }
}

/// The strategy as files: its document (what `meilenstein export` writes, imported again as it
/// is) and a workbook of structure and milestones, as the page shows it (today or a past day).
#[component]
fn Downloads(strategy_id: i64, as_of: AsOf) -> impl IntoView {
    let i18n = use_i18n();
    let file = move |name: &str| {
        let path = format!("/strategies/{strategy_id}/{name}");
        let lang = format!("lang={}", i18n.get_locale_untracked().as_str());
        match as_of.past {
            Some(day) => format!("{path}?as_of={day}&{lang}"),
            None => format!("{path}?{lang}"),
        }
    };
    let shown = as_of.past.map(|day| {
        view! { <p>{move || td_string!(i18n.get_locale(), dashboard.downloads_as_of, date = format::date(i18n.get_locale(), day)).to_string()}</p> }
    });
    view! {
        <section aria-labelledby="downloads-heading" class="downloads">
            <h2 id="downloads-heading">{t!(i18n, dashboard.downloads)}</h2>
            {shown}
            <ul>
                <li><a href=file("strategy.json") download>{t!(i18n, dashboard.download_json)}</a></li>
                <li><a href=file("strategy.xlsx") download>{t!(i18n, dashboard.download_xlsx)}</a></li>
            </ul>
        </section>
    }
}

#[component]
fn FieldSection(field: FieldView, as_of: AsOf, can_administer: bool) -> impl IntoView {
    let i18n = use_i18n();
    let heading_id = format!("field-{}", field.id);
    let (field_id, field_title, field_goal) = (field.id, field.title.clone(), field.goal.clone());
    let labelled_by = heading_id.clone();
    let builds_on = field.builds_on.clone();
    let need_order: Vec<(i64, String)> = field
        .needs
        .iter()
        .map(|n| (n.id, n.title.clone()))
        .collect();
    let foundations = (!field.builds_on.is_empty()).then(|| {
        let count = field.builds_on.len();
        view! {
            <details class="builds-on">
                <summary>
                    {t!(i18n, dashboard.builds_on)}
                    {format!(" ({count})")}
                </summary>
                <ul>
                    {field.builds_on.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}
                </ul>
            </details>
        }
    });
    let rows = field
        .needs
        .into_iter()
        .map(|need| {
            let forecast = need.forecast;
            view! {
                <tr>
                    <th scope="row">
                        <a href=as_of.link(&format!("/needs/{}", need.id))>{need.title}</a>
                        {(need.late_reports > 0).then(|| {
                            let late = need.late_reports;
                            view! {
                                " "
                                <a class="late-reports" href="/reporting?sort=late&dir=desc">
                                    <span aria-hidden="true">"! "</span>
                                    {move || td_string!(i18n.get_locale(), board.late_reports, count = late).to_string()}
                                </a>
                            }
                        })}
                    </th>
                    <td class="num"><ProgressText progress=need.progress/></td>
                    <td><StateBadge state=need.state/></td>
                    <td class="num">{need.counts.done}</td>
                    <td class="num">{need.counts.open}</td>
                    <td class="num">{need.counts.overdue}</td>
                    <td>{move || forecast_short(i18n.get_locale(), forecast)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="field" aria-labelledby=labelled_by>
            <h2 id=heading_id>{field.title}</h2>
            {field.goal.map(|goal| view! {
                <p class="goal"><strong>{t!(i18n, dashboard.goal)}</strong>" "{goal}</p>
            })}
            {foundations}
            {can_administer.then(|| view! {
                <FieldEditor id=field_id title=field_title goal=field_goal/>
                <BuildsOnEditor field_id=field_id items=builds_on/>
                <AddNeedForm field_id=field_id/>
                {(!need_order.is_empty()).then(|| view! { <OrderList parts=Parts::Needs items=need_order/> })}
            })}
            <ProgressFigure progress=field.progress level=Level::Field/>
            <div class="chart-and-table">
                <figure class="chart">
                    <crate::components::chart::ChartPictures pictures=field.chart/>
                    <figcaption>{t!(i18n, dashboard.chart_caption)}</figcaption>
                </figure>
                <div class="table-wrap" role="region" tabindex="0" aria-label=move || t_string!(i18n, dashboard.table_caption)>
                    <table>
                        <caption>{t!(i18n, dashboard.table_caption)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, dashboard.col_need)}</th>
                                <th scope="col">{t!(i18n, dashboard.col_progress)}</th>
                                <th scope="col">{t!(i18n, dashboard.col_state)}</th>
                                <th scope="col">{t!(i18n, dashboard.col_done)}</th>
                                <th scope="col">{t!(i18n, dashboard.col_open)}</th>
                                <th scope="col">{t!(i18n, dashboard.col_overdue)}</th>
                                <th scope="col">{t!(i18n, dashboard.col_forecast)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <HowComputed level=Level::Need/>
                </div>
            </div>
            {field.charts.into_iter().map(|chart| view! { <ChartFigure chart as_of/> }).collect_view()}
        </section>
    }
}
