//! `/quality` ("Datenqualität"): the completeness score per department and per need, each
//! rule named and explained with how many records break it, and the list "zu prüfen", each
//! finding linked to where it is fixed. `?department=` narrows it to one department.

use crate::{
    domain::quality::{Rule, STALE_AFTER_DAYS, Score},
    format,
    i18n::*,
    pages::{loaded, query_param},
    server_fns::quality::{QualityPage as PageData, get_quality},
};
use leptos::prelude::*;
use leptos_meta::Title;

pub fn rule_name(locale: Locale, rule: Rule) -> &'static str {
    match rule {
        Rule::ReachedWithoutDate => td_string!(locale, quality.rule_reached_without_date),
        Rule::PastDueStillPlanned => td_string!(locale, quality.rule_past_due_still_planned),
        Rule::NoPlan => td_string!(locale, quality.rule_no_plan),
        Rule::ReportLate => td_string!(locale, quality.rule_report_late),
        Rule::HeavyMilestone => td_string!(locale, quality.rule_heavy_milestone),
        Rule::StaleIndicator => td_string!(locale, quality.rule_stale_indicator),
    }
}

fn rule_why(locale: Locale, rule: Rule) -> String {
    match rule {
        Rule::ReachedWithoutDate => {
            td_string!(locale, quality.why_reached_without_date).to_string()
        }
        Rule::PastDueStillPlanned => {
            td_string!(locale, quality.why_past_due_still_planned).to_string()
        }
        Rule::NoPlan => td_string!(locale, quality.why_no_plan).to_string(),
        Rule::ReportLate => td_string!(locale, quality.why_report_late).to_string(),
        Rule::HeavyMilestone => td_string!(locale, quality.why_heavy_milestone).to_string(),
        Rule::StaleIndicator => {
            td_string!(locale, quality.why_stale_indicator, days = STALE_AFTER_DAYS).to_string()
        }
    }
}

/// "Datenqualität 86 %" (or "–" when nothing was checked).
fn score_text(locale: Locale, score: Score) -> String {
    score
        .percent()
        .map(|p| format::percent(locale, p.floor()))
        .unwrap_or_else(|| "–".to_owned())
}

#[component]
pub fn QualityPage() -> impl IntoView {
    let i18n = use_i18n();
    let department = query_param("department");
    let data = Resource::new(move || department.get(), get_quality);
    view! {
        <Title text=move || t_string!(i18n, quality.title)/>
        <h1>{t!(i18n, quality.title)}</h1>
        {loaded(data, |page| view! { <Quality page/> })}
    }
}

#[component]
fn Quality(page: PageData) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    let department_rows = page
        .departments
        .into_iter()
        .map(|(name, score)| {
            let href = format!(
                "/quality?department={}",
                crate::components::layout::encode_query(&name)
            );
            let shown = if name.is_empty() {
                "–".to_owned()
            } else {
                name
            };
            view! {
                <tr>
                    <th scope="row"><a href=href>{shown}</a></th>
                    <td class="number">{move || score_text(i18n.get_locale(), score)}</td>
                    <td class="number">{score.checked - score.passed}</td>
                </tr>
            }
        })
        .collect_view();
    let need_table = (!page.needs.is_empty()).then(|| {
        let rows = page
            .needs
            .into_iter()
            .map(|(need, score)| {
                view! {
                    <tr>
                        <th scope="row"><a href=format!("/needs/{}", need.id)>{need.title}</a></th>
                        <td class="number">{move || score_text(i18n.get_locale(), score)}</td>
                        <td class="number">{score.checked - score.passed}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" role="region" aria-labelledby="quality-needs" tabindex="0">
                <table>
                    <caption id="quality-needs">{t!(i18n, quality.by_need)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, quality.col_need)}</th>
                            <th scope="col">{t!(i18n, quality.col_score)}</th>
                            <th scope="col">{t!(i18n, quality.col_findings)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let rules = page
        .rules
        .into_iter()
        .map(|(rule, count)| {
            view! {
                <div>
                    <dt>{move || rule_name(i18n.get_locale(), rule)} " (" {count} ")"</dt>
                    <dd>{move || rule_why(i18n.get_locale(), rule)}</dd>
                </div>
            }
        })
        .collect_view();
    let findings = if page.findings.is_empty() {
        view! { <p>{t!(i18n, quality.nothing)}</p> }.into_any()
    } else {
        let rows = page
            .findings
            .into_iter()
            .map(|f| {
                let rule = f.finding.rule;
                view! {
                    <tr>
                        <td>{move || rule_name(i18n.get_locale(), rule)}</td>
                        <th scope="row"><a href=f.href>{f.finding.title}</a></th>
                        <td>{f.subgoal}</td>
                        <td>{f.department.unwrap_or_else(|| "–".to_owned())}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" role="region" aria-labelledby="quality-findings" tabindex="0">
                <table>
                    <caption id="quality-findings">{t!(i18n, quality.to_check)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, quality.col_rule)}</th>
                            <th scope="col">{t!(i18n, quality.col_what)}</th>
                            <th scope="col">{t!(i18n, quality.col_subgoal)}</th>
                            <th scope="col">{t!(i18n, quality.col_department)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        {page.department.map(|name| view! {
            <p class="lead">{t!(i18n, quality.for_department)} " " <strong>{name}</strong> " · "
                <a href="/quality">{t!(i18n, quality.all_departments)}</a></p>
        })}
        <p class="figure">
            <span class="figure-label">{t!(i18n, quality.title)}</span>
            " "
            <span class="figure-value">{move || score_text(i18n.get_locale(), total)}</span>
        </p>
        <details class="how">
            <summary>{t!(i18n, quality.how_summary)}</summary>
            <p>{t!(i18n, quality.how)}</p>
        </details>
        <div class="table-wrap" role="region" aria-labelledby="quality-departments" tabindex="0">
            <table>
                <caption id="quality-departments">{t!(i18n, quality.by_department)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, quality.col_department)}</th>
                        <th scope="col">{t!(i18n, quality.col_score)}</th>
                        <th scope="col">{t!(i18n, quality.col_findings)}</th>
                    </tr>
                </thead>
                <tbody>{department_rows}</tbody>
            </table>
        </div>
        {need_table}
        <h2>{t!(i18n, quality.rules)}</h2>
        <dl class="rules">{rules}</dl>
        <h2>{t!(i18n, quality.to_check)}</h2>
        {findings}
    }
}
