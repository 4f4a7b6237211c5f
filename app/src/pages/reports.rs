//! `/reports`: the reports to the council, and making one (admins); `/reports/:id`: one
//! report, frozen on its Stichtag, with what changed since the report before (or another, or
//! today).

use crate::{
    components::{
        chart::ChartTableDetails,
        form::{Input, Refusal, label},
        layout::Breadcrumbs,
        progress::{Level, ProgressFigure, ProgressText, StateBadge},
    },
    domain::report::{Changed, Changes, FieldFigures, ReportHeader},
    format,
    i18n::*,
    pages::{id_page_with, loaded},
    server_fns::reports::{
        COMPARE_TODAY, Compared, Comparison, CreateReport, ReportPage as ReportData,
        ReportsPage as ReportsData, WithdrawReport, get_report, get_reports,
    },
    server_fns::strategy::Crumb,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| get_reports());
    view! {
        <Title text=move || t_string!(i18n, report.list_title)/>
        <h1>{t!(i18n, report.list_title)}</h1>
        <p class="lead">{t!(i18n, report.list_intro)}</p>
        {loaded(data, |page| view! { <ReportList page/> })}
    }
}

#[component]
fn ReportList(page: ReportsData) -> impl IntoView {
    let i18n = use_i18n();
    let list = if page.reports.is_empty() {
        view! { <p>{t!(i18n, report.none)}</p> }.into_any()
    } else {
        let several = page.strategies.len() > 1;
        let rows = page
            .reports
            .into_iter()
            .map(|item| {
                let header = item.header;
                let (stichtag, made_on) = (header.stichtag, header.made_at.date_naive());
                view! {
                    <tr>
                        <th scope="row">
                            <a href=format!("/reports/{}", header.id)>{header.name}</a>
                            {header.withdrawn_at.is_some().then(|| view! {
                                " " <span class="badge">{t!(i18n, report.withdrawn_badge)}</span>
                            })}
                        </th>
                        {several.then(|| view! { <td>{item.strategy}</td> })}
                        <td>{move || format::date(i18n.get_locale(), stichtag)}</td>
                        <td>{header.made_by}</td>
                        <td>{move || format::date(i18n.get_locale(), made_on)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" role="region" aria-labelledby="reports-caption" tabindex="0">
                <table>
                    <caption id="reports-caption">{t!(i18n, report.caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, report.col_name)}</th>
                            {several.then(|| view! { <th scope="col">{t!(i18n, report.col_strategy)}</th> })}
                            <th scope="col">{t!(i18n, report.col_stichtag)}</th>
                            <th scope="col">{t!(i18n, report.col_made_by)}</th>
                            <th scope="col">{t!(i18n, report.col_made_on)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        {list}
        {(page.can_administer && !page.strategies.is_empty())
            .then(|| view! { <CreateReportForm strategies=page.strategies/> })}
    }
}

/// Makes a report (admins): name, Stichtag (empty: today), foreword, and the strategy where
/// there are several.
#[component]
fn CreateReportForm(strategies: Vec<Crumb>) -> impl IntoView {
    let i18n = use_i18n();
    let form = "report".to_owned();
    let refusal = Refusal::of(ServerAction::<CreateReport>::new(), form.clone());
    let strategy_choice = (strategies.len() > 1).then(|| {
        let problem = refusal.problem("strategy_id");
        view! {
            <div class="form-field">
                <label for="report-strategy_id">{t!(i18n, report.strategy)}</label>
                <select id="report-strategy_id" name="strategy_id" aria-invalid=problem.map(|_| "true")>
                    {strategies
                        .into_iter()
                        .map(|s| view! { <option value=s.id>{s.title}</option> })
                        .collect_view()}
                </select>
            </div>
        }
    });
    view! {
        <section aria-labelledby="create-report-heading" class="structure">
            <h2 id="create-report-heading">{t!(i18n, report.create_heading)}</h2>
            <p class="hint">{t!(i18n, report.create_hint)}</p>
            <form method="post" action="/api/reports/create" class="milestone-form" novalidate>
                {strategy_choice}
                <Input form=form.clone() name="name" label=label(move || t_string!(i18n, report.name))
                    value=refusal.value("name", String::new()) problem=refusal.problem("name")/>
                <Input form=form.clone() name="stichtag" kind="date" label=label(move || t_string!(i18n, report.stichtag))
                    value=refusal.value("stichtag", String::new()) problem=refusal.problem("stichtag")/>
                <Input form=form name="foreword" textarea=true label=label(move || t_string!(i18n, report.foreword))
                    value=refusal.value("foreword", String::new()) problem=refusal.problem("foreword")/>
                <button type="submit" class="primary">{t!(i18n, report.create)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    id_page_with(
        "compare",
        |id, locale, compare| get_report(id, compare, locale),
        |page| view! { <ReportView page/> },
    )
}

#[component]
fn ReportView(page: ReportData) -> impl IntoView {
    let i18n = use_i18n();
    let header = page.header;
    let id = header.id;
    let (stichtag, made_on) = (header.stichtag, header.made_at.date_naive());
    let made_by = header.made_by.clone();
    let meta = move || {
        let locale = i18n.get_locale();
        td_string!(
            locale,
            report.meta,
            stichtag = format::date(locale, stichtag),
            made_on = format::date(locale, made_on),
            made_by = made_by.clone()
        )
    };
    let withdrawn = header.withdrawn_at.map(|on| {
        let on = on.date_naive();
        let by = header.withdrawn_by.clone().unwrap_or_default();
        let reason = header.withdrawn_reason.clone().unwrap_or_default();
        view! {
            <div class="notice notice-warning" role="note">
                <p><strong>{t!(i18n, report.withdrawn_badge)}</strong> " – "
                {move || td_string!(i18n.get_locale(), report.withdrawn_notice,
                    on = format::date(i18n.get_locale(), on), by = by.clone(), reason = reason.clone())}</p>
            </div>
        }
    });
    let foreword = header.foreword.clone().map(|text| {
        view! { <div class="foreword">{text.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}</div> }
    });
    let can_withdraw = page.can_administer && header.withdrawn_at.is_none();
    view! {
        <Title text=header.name.clone()/>
        <Breadcrumbs links=vec![("/reports".to_owned(), t_string!(i18n, report.all).to_owned())] current=header.name.clone()/>
        <p class="kicker">{t!(i18n, report.kicker)} " · " {page.strategy.title.clone()}</p>
        <h1>{header.name.clone()}</h1>
        <p class="lead">{meta}</p>
        {withdrawn}
        <p class="hint">{t!(i18n, report.frozen_note)}</p>
        <p class="actions">
            <a class="button" href=format!("/reports/{id}/present")>{t!(i18n, report.present)}</a>
            " "
            <a href=format!("/reports/{id}/report.pdf") download="">{t!(i18n, report.pdf)}</a>
            " "
            <a href=format!("/reports/{id}/report.xlsx") download="">{t!(i18n, report.xlsx)}</a>
            " "
            <a href=format!("/reports/{id}/overview.csv") download="">{t!(i18n, report.csv)}</a>
        </p>
        <p class="hint">{t!(i18n, report.present_hint)}</p>
        {foreword}
        <div class="summary-line">
            <ProgressFigure progress=page.progress level=Level::Strategy/>
        </div>
        <Overview fields=page.fields.clone()/>
        <SinceSection id comparison=page.comparison others=page.others/>
        <NeedSections fields=page.fields charts=page.charts/>
        {can_withdraw.then(|| view! { <WithdrawForm id/> })}
    }
}

/// Progress and state per field and need on the Stichtag.
#[component]
fn Overview(fields: Vec<FieldFigures>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = fields
        .into_iter()
        .map(|field| {
            let needs = field
                .needs
                .into_iter()
                .map(|need| {
                    view! {
                        <tr>
                            <th scope="row" class="indent"><a href=format!("#need-{}", need.id)>{need.title}</a></th>
                            <td class="num"><ProgressText progress=need.progress/></td>
                            <td><StateBadge state=need.state/></td>
                            <td class="num">{need.counts.done}</td>
                            <td class="num">{need.counts.open}</td>
                            <td class="num">{need.counts.overdue}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <tr class="group">
                    <th scope="row">{field.title}</th>
                    <td class="num"><ProgressText progress=field.progress/></td>
                    <td><StateBadge state=field.state/></td>
                    <td class="num">{field.counts.done}</td>
                    <td class="num">{field.counts.open}</td>
                    <td class="num">{field.counts.overdue}</td>
                </tr>
                {needs}
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="overview-heading">
            <h2 id="overview-heading">{t!(i18n, report.overview)}</h2>
            <div class="table-wrap" role="region" aria-labelledby="overview-caption" tabindex="0">
                <table>
                    <caption id="overview-caption">{t!(i18n, report.overview_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, report.col_part)}</th>
                            <th scope="col">{t!(i18n, dashboard.col_progress)}</th>
                            <th scope="col">{t!(i18n, dashboard.col_state)}</th>
                            <th scope="col">{t!(i18n, dashboard.col_done)}</th>
                            <th scope="col">{t!(i18n, dashboard.col_open)}</th>
                            <th scope="col">{t!(i18n, dashboard.col_overdue)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// "Since the last report": what changed per field and need, the milestones reached, newly
/// overdue and moved, and the indicators then and now; with a choice of what to compare with.
#[component]
fn SinceSection(
    id: i64,
    comparison: Option<Comparison>,
    others: Vec<ReportHeader>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = match comparison.as_ref().map(|c| &c.with) {
        Some(Compared::Report(other)) => other.id.to_string(),
        Some(Compared::Today) => COMPARE_TODAY.to_owned(),
        None => String::new(),
    };
    let options = others
        .into_iter()
        .map(|other| {
            let value = other.id.to_string();
            let selected = value == chosen;
            let day = other.stichtag;
            view! {
                <option value=value selected=selected>
                    {other.name} " (" {move || format::date(i18n.get_locale(), day)} ")"
                </option>
            }
        })
        .collect_view();
    let today_selected = chosen == COMPARE_TODAY;
    let chooser = view! {
        <form method="get" action=format!("/reports/{id}") class="compare-form">
            <label for="compare">{t!(i18n, report.compare_label)}</label>
            " "
            <select id="compare" name="compare">
                <option value="">{t!(i18n, report.compare_previous)}</option>
                {options}
                <option value=COMPARE_TODAY selected=today_selected>{t!(i18n, report.compare_today)}</option>
            </select>
            " "
            <button type="submit">{t!(i18n, report.compare)}</button>
        </form>
    };
    let body = match comparison {
        None => view! { <p>{t!(i18n, report.no_previous)}</p> }.into_any(),
        Some(comparison) => {
            let with = match comparison.with {
                Compared::Report(other) => {
                    let day = other.stichtag;
                    let name = other.name;
                    view! { <p>{move || td_string!(i18n.get_locale(), report.since_report,
                    name = name.clone(), stichtag = format::date(i18n.get_locale(), day))}</p> }
                    .into_any()
                }
                Compared::Today => {
                    // Today is the later side.
                    let today = comparison.changes.to;
                    view! { <p>{move || td_string!(i18n.get_locale(), report.since_today,
                    today = format::date(i18n.get_locale(), today))}</p> }
                    .into_any()
                }
            };
            view! { {with} <ChangesView changes=comparison.changes/> }.into_any()
        }
    };
    view! {
        <section aria-labelledby="since-heading">
            <h2 id="since-heading">{t!(i18n, report.since_heading)}</h2>
            {chooser}
            {body}
        </section>
    }
}

#[component]
fn ChangesView(changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let total = changes.total.clone();
    let rows = changes
        .fields
        .into_iter()
        .map(|field| {
            let needs = field
                .needs
                .into_iter()
                .map(|need| {
                    let (delta, new) = (need.delta, need.new);
                    view! {
                        <tr>
                            <th scope="row" class="indent">{need.title}
                                {new.then(|| view! { " " <span class="badge">{t!(i18n, report.new_part)}</span> })}</th>
                            <td>{move || format::delta(i18n.get_locale(), &delta)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let (delta, new) = (field.delta, field.new);
            view! {
                <tr class="group">
                    <th scope="row">{field.title}
                        {new.then(|| view! { " " <span class="badge">{t!(i18n, report.new_part)}</span> })}</th>
                    <td>{move || format::delta(i18n.get_locale(), &delta)}</td>
                </tr>
                {needs}
            }
        })
        .collect_view();
    let list = |heading: &'static str, items: Vec<Changed>| {
        (!items.is_empty()).then(|| {
            view! {
                <h3>{heading}</h3>
                <ul>{items.into_iter().map(|c| view! { <li>{c.title}</li> }).collect_view()}</ul>
            }
        })
    };
    let locale = i18n.get_locale_untracked();
    let moved = (!total.moved.is_empty()).then(|| {
        let items = total
            .moved
            .iter()
            .map(|m| view! { <li>{format::moved(locale, m)}</li> })
            .collect_view();
        view! { <h3>{t!(i18n, report.moved_list)}</h3> <ul>{items}</ul> }
    });
    let indicators = (!changes.indicators.is_empty()).then(|| {
        let rows = changes
            .indicators
            .into_iter()
            .map(|i| {
                let unit = i.unit.clone();
                let then = i.then.map_or_else(
                    || "–".to_owned(),
                    |v| format!("{} {unit}", format::measured(locale, v)),
                );
                view! {
                    <tr>
                        <th scope="row">{i.name}</th>
                        <td class="num">{then}</td>
                        <td class="num">{format!("{} {}", format::measured(locale, i.now), i.unit)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h3>{t!(i18n, report.indicators)}</h3>
            <div class="table-wrap" role="region" aria-labelledby="indicators-caption" tabindex="0">
                <table>
                    <caption id="indicators-caption">{t!(i18n, report.indicators_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, report.col_indicator)}</th>
                            <th scope="col">{t!(i18n, report.col_then)}</th>
                            <th scope="col">{t!(i18n, report.col_now)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    view! {
        <p class="since-summary"><strong>{format::delta(locale, &total)}</strong></p>
        <div class="table-wrap" role="region" aria-labelledby="changes-caption" tabindex="0">
            <table>
                <caption id="changes-caption">{t!(i18n, report.changes_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, report.col_part)}</th>
                        <th scope="col">{t!(i18n, report.col_change)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {list(td_string!(locale, report.reached_list), total.reached)}
        {list(td_string!(locale, report.overdue_list), total.newly_overdue)}
        {moved}
        {indicators}
    }
}

/// Per need: what was late on the Stichtag and what came next.
#[component]
fn NeedSections(
    fields: Vec<FieldFigures>,
    charts: Vec<(i64, crate::chart_views::ChartView)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let mut charts: std::collections::HashMap<_, _> = charts.into_iter().collect();
    fields
        .into_iter()
        .flat_map(|field| field.needs)
        .map(|need| {
            // The burn-up as frozen with the report: its picture and figures, no downloads
            // (those would be of today's data).
            let chart = charts.remove(&need.id).map(|chart| {
                view! { <FrozenChart chart/> }
            });
            let milestones = |list: Vec<crate::domain::Milestone>, empty: &'static str| {
                if list.is_empty() {
                    view! { <p>{empty}</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {list
                                .into_iter()
                                .map(|m| view! { <li>{format::date(locale, m.data.due)} " – " {m.data.title}</li> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            };
            let (heading, labelled_by) = (
                format!("need-{}-heading", need.id),
                format!("need-{}-heading", need.id),
            );
            view! {
                <section id=format!("need-{}", need.id) aria-labelledby=labelled_by class="report-need">
                    <h2 id=heading>{need.title}</h2>
                    <div class="summary-line">
                        <ProgressFigure progress=need.progress level=Level::Need/>
                        <p>{t!(i18n, dashboard.col_state)} ": " <StateBadge state=need.state/></p>
                    </div>
                    {chart}
                    <h3>{t!(i18n, report.late)}</h3>
                    {milestones(need.late, td_string!(locale, report.nothing_late))}
                    <h3>{t!(i18n, report.next)}</h3>
                    {milestones(need.next, td_string!(locale, report.nothing_next))}
                </section>
            }
        })
        .collect_view()
}

/// A chart of a report: the picture with its caption, and its figures as a table.
#[component]
fn FrozenChart(chart: crate::chart_views::ChartView) -> impl IntoView {
    view! {
        <div class="chart-and-table">
            <figure class="chart">
                <crate::components::chart::ChartPictures pictures=chart.page.unwrap_or_default()/>
                <figcaption>{chart.caption}</figcaption>
            </figure>
            <ChartTableDetails table=chart.table/>
        </div>
    }
}

/// Withdraws the report (admins), with the reason.
#[component]
fn WithdrawForm(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let form = format!("withdraw-{id}");
    let refusal = Refusal::of(ServerAction::<WithdrawReport>::new(), form.clone());
    view! {
        <details class="structure" open=refusal.any()>
            <summary>{t!(i18n, report.withdraw)}</summary>
            <p class="hint">{t!(i18n, report.withdraw_hint)}</p>
            <form method="post" action="/api/reports/withdraw" class="milestone-form" novalidate>
                <input type="hidden" name="report_id" value=id/>
                <Input form=form name="reason" label=label(move || t_string!(i18n, report.reason))
                    value=refusal.value("reason", String::new()) problem=refusal.problem("reason") textarea=true/>
                <button type="submit">{t!(i18n, report.withdraw)}</button>
            </form>
        </details>
    }
}
