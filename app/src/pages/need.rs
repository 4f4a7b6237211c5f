//! `/needs/:id`: a need's sub-goals with progress and state, and the next milestones due.

use crate::{
    components::{
        as_of::PastViewNotice,
        bulk::BulkUpdate,
        chart::ChartFigure,
        layout::Breadcrumbs,
        plan::{PlanSection, slip_text},
        progress::{ExampleNotice, HowComputed, Level, ProgressFigure, ProgressText, StateBadge},
        structure::{AddSubGoalForm, NeedEditor, OrderList, Parts},
    },
    format,
    i18n::*,
    pages::id_page,
    server_fns::strategy::{NeedPage as NeedData, get_need},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NeedPage() -> impl IntoView {
    id_page(get_need, |page| view! { <NeedView page/> })
}

#[component]
fn NeedView(page: NeedData) -> impl IntoView {
    let i18n = use_i18n();
    let need = page.need;
    let as_of = page.as_of;
    let (need_id, need_title) = (need.id, need.title.clone());
    let subgoal_order: Vec<(i64, String)> = page
        .subgoals
        .iter()
        .map(|s| (s.id, s.title.clone()))
        .collect();
    let subgoal_rows = page
        .subgoals
        .into_iter()
        .map(|s| {
            let weight = s.weight;
            view! {
                <tr>
                    <th scope="row"><a href=as_of.link(&format!("/subgoals/{}", s.id))>{s.title}</a></th>
                    <td>{s.owner.unwrap_or_else(|| "–".to_owned())}</td>
                    <td class="num">{move || format::weight(i18n.get_locale(), weight)}</td>
                    <td class="num"><ProgressText progress=s.progress/></td>
                    <td><StateBadge state=s.state/></td>
                    <td class="num">{s.counts.done}</td>
                    <td class="num">{s.counts.open}</td>
                    <td class="num">{s.counts.overdue}</td>
                </tr>
            }
        })
        .collect_view();
    let next_due = if page.next_due.is_empty() {
        view! { <p>{t!(i18n, need.nothing_due)}</p> }.into_any()
    } else {
        let rows = page
            .next_due
            .into_iter()
            .map(|due| {
                let (date, planned) = (due.milestone.data.due, due.planned);
                view! {
                    <tr>
                        <td>{move || format::date(i18n.get_locale(), date)}</td>
                        <th scope="row">{due.milestone.data.title}</th>
                        <td><a href=as_of.link(&format!("/subgoals/{}", due.subgoal.id))>{due.subgoal.title}</a></td>
                        <td><StateBadge state=due.state/></td>
                        <td>{move || slip_text(i18n.get_locale(), date, planned)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" role="region" tabindex="0" aria-label=move || t_string!(i18n, need.next_due_caption)>
            <table>
                <caption>{t!(i18n, need.next_due_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, milestone.due)}</th>
                        <th scope="col">{t!(i18n, need.col_milestone)}</th>
                        <th scope="col">{t!(i18n, need.col_subgoal)}</th>
                        <th scope="col">{t!(i18n, dashboard.col_state)}</th>
                        <th scope="col">{t!(i18n, plan.slip)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Title text=need.title.clone()/>
        <Breadcrumbs
            links=vec![
                (as_of.overview(page.strategy.id), page.strategy.title),
                (
                    format!("{}#field-{}", as_of.link(&format!("/strategies/{}", page.strategy.id)), page.field.id),
                    page.field.title,
                ),
            ]
            current=need.title.clone()
        />
        <p class="kicker">{t!(i18n, need.kicker)}</p>
        <h1>{need.title}</h1>
        <PastViewNotice as_of today_href=format!("/needs/{need_id}")/>
        {page.has_examples.then(|| view! { <ExampleNotice/> })}
        <div class="summary-line">
            <ProgressFigure progress=need.progress level=Level::Need/>
            <p>{t!(i18n, dashboard.col_state)}": "<StateBadge state=need.state/></p>
        </div>
        {page.can_administer.then(|| view! { <NeedEditor id=need_id title=need_title/> })}
        <section aria-labelledby="subgoals-heading">
            <h2 id="subgoals-heading">{t!(i18n, need.subgoals)}</h2>
            <div class="table-wrap" role="region" tabindex="0" aria-label=move || t_string!(i18n, need.subgoals_caption)>
                <table>
                    <caption>{t!(i18n, need.subgoals_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, need.col_subgoal)}</th>
                            <th scope="col">{t!(i18n, subgoal.owner)}</th>
                            <th scope="col">{t!(i18n, subgoal.weight)}</th>
                            <th scope="col">{t!(i18n, dashboard.col_progress)}</th>
                            <th scope="col">{t!(i18n, dashboard.col_state)}</th>
                            <th scope="col">{t!(i18n, dashboard.col_done)}</th>
                            <th scope="col">{t!(i18n, dashboard.col_open)}</th>
                            <th scope="col">{t!(i18n, dashboard.col_overdue)}</th>
                        </tr>
                    </thead>
                    <tbody>{subgoal_rows}</tbody>
                </table>
            </div>
            <HowComputed level=Level::SubGoal/>
            {page.can_administer.then(|| view! { <AddSubGoalForm need_id/> })}
            {(page.can_administer && !subgoal_order.is_empty()).then(|| view! { <OrderList parts=Parts::SubGoals items=subgoal_order/> })}
        </section>
        <section aria-labelledby="due-heading">
            <h2 id="due-heading">{t!(i18n, need.next_due)}</h2>
            {next_due}
        </section>
        <section aria-labelledby="charts-heading">
            <h2 id="charts-heading">{t!(i18n, need.charts)}</h2>
            {page.charts.into_iter().map(|chart| view! { <ChartFigure chart as_of/> }).collect_view()}
        </section>
        <PlanSection plan=page.plan need_id can_administer=page.can_administer/>
        {page.can_administer.then(|| view! { <BulkUpdate scope=format!("need={need_id}")/> })}
    }
}
