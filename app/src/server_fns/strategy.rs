//! Reading a strategy: the overview, a need, a sub-goal. The server rolls the figures up and
//! sends only what a page shows.

use crate::{
    domain::{Milestone, Progress, ScheduleState, schedule::Counts},
    error::AppError,
    i18n::Locale,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What `/` shows: nothing yet, the one strategy, or a list to choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Home {
    Empty,
    One(Box<Dashboard>),
    Several(Vec<StrategyItem>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyItem {
    pub id: i64,
    pub title: String,
    pub progress: Progress,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Crumb {
    pub id: i64,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub id: i64,
    pub title: String,
    pub progress: Progress,
    /// Some milestones are invented demo data.
    pub has_examples: bool,
    pub fields: Vec<FieldView>,
    /// The caller may change the structure (fields, needs).
    pub can_administer: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldView {
    pub id: i64,
    pub title: String,
    pub goal: Option<String>,
    pub builds_on: Vec<String>,
    pub progress: Progress,
    pub needs: Vec<NeedSummary>,
    /// Progress per need as an accessible SVG bar chart.
    pub chart_svg: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedSummary {
    pub id: i64,
    pub title: String,
    pub progress: Progress,
    pub state: ScheduleState,
    pub counts: Counts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubGoalSummary {
    pub id: i64,
    pub title: String,
    pub owner: Option<String>,
    pub weight: f64,
    pub progress: Progress,
    pub state: ScheduleState,
    pub counts: Counts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedPage {
    pub strategy: Crumb,
    pub field: Crumb,
    pub need: NeedSummary,
    pub subgoals: Vec<SubGoalSummary>,
    /// Open milestones, earliest due first.
    pub next_due: Vec<DueMilestone>,
    pub has_examples: bool,
    pub can_administer: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DueMilestone {
    pub milestone: Milestone,
    pub state: ScheduleState,
    pub subgoal: Crumb,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubGoalPage {
    pub strategy: Crumb,
    pub field: Crumb,
    pub need: Crumb,
    pub subgoal: SubGoalSummary,
    pub milestones: Vec<MilestoneView>,
    pub today: NaiveDate,
    /// The caller may record and change this sub-goal's milestones.
    pub can_edit: bool,
    pub signed_in: bool,
    pub can_administer: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneView {
    pub milestone: Milestone,
    pub state: ScheduleState,
}

/// How many open milestones the need page lists.
pub const NEXT_DUE_SHOWN: usize = 5;

/// `locale` words the charts; the page passes its own, so a language switched in the browser
/// applies at once.
#[server(endpoint = "home")]
pub async fn get_home(locale: Locale) -> Result<Home, AppError> {
    let (state, caller) = super::guard::readable("read the overview").await?;
    let strategies = state.store.strategies().await?;
    match strategies.as_slice() {
        [] => Ok(Home::Empty),
        [only] => {
            let mut dashboard = ssr::dashboard(&state, only.id, locale).await?;
            dashboard.can_administer = ssr::administers(&caller);
            Ok(Home::One(Box::new(dashboard)))
        }
        several => {
            let mut items = Vec::with_capacity(several.len());
            for header in several {
                let strategy = state
                    .store
                    .strategy(header.id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                items.push(StrategyItem {
                    id: header.id,
                    title: header.title.clone(),
                    progress: crate::domain::progress::of_strategy(&strategy),
                });
            }
            Ok(Home::Several(items))
        }
    }
}

/// A strategy's dashboard; `locale` words its charts.
#[server(endpoint = "dashboard")]
pub async fn get_dashboard(id: i64, locale: Locale) -> Result<Dashboard, AppError> {
    let (state, caller) = super::guard::readable(&format!("read strategy {id}")).await?;
    let mut dashboard = ssr::dashboard(&state, id, locale).await?;
    dashboard.can_administer = ssr::administers(&caller);
    Ok(dashboard)
}

#[server(endpoint = "need")]
pub async fn get_need(id: i64) -> Result<NeedPage, AppError> {
    let (state, caller) = super::guard::readable(&format!("read need {id}")).await?;
    let mut page = ssr::need_page(&state, id).await?;
    page.can_administer = ssr::administers(&caller);
    Ok(page)
}

#[server(endpoint = "subgoal")]
pub async fn get_subgoal(id: i64) -> Result<SubGoalPage, AppError> {
    let (state, caller) = super::guard::readable(&format!("read sub-goal {id}")).await?;
    let mut page = ssr::subgoal_page(&state, id).await?;
    page.can_edit = crate::domain::access::may_edit_subgoal(caller.account.as_ref(), id).is_ok();
    page.signed_in = caller.account.is_some();
    page.can_administer = ssr::administers(&caller);
    Ok(page)
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::{
        charts,
        domain::{Field, Need, Strategy, SubGoal, progress, schedule},
        state::AppState,
    };

    fn examples_in<'a>(subgoals: impl IntoIterator<Item = &'a SubGoal>) -> bool {
        subgoals
            .into_iter()
            .any(|s| s.milestones.iter().any(|m| m.example))
    }

    fn need_summary(need: &Need, today: NaiveDate) -> NeedSummary {
        NeedSummary {
            id: need.id,
            title: need.title.clone(),
            progress: progress::of_need(need),
            state: schedule::worst(need.subgoals.iter().map(|s| schedule::of_subgoal(s, today))),
            counts: Counts::of(
                need.subgoals
                    .iter()
                    .flat_map(|s| s.milestones.iter().map(|m| &m.data)),
                today,
            ),
        }
    }

    fn subgoal_summary(subgoal: &SubGoal, today: NaiveDate) -> SubGoalSummary {
        SubGoalSummary {
            id: subgoal.id,
            title: subgoal.title.clone(),
            owner: subgoal.owner.clone(),
            weight: subgoal.weight,
            progress: progress::of_subgoal(subgoal),
            state: schedule::of_subgoal(subgoal, today),
            counts: Counts::of(subgoal.milestones.iter().map(|m| &m.data), today),
        }
    }

    fn crumb(id: i64, title: &str) -> Crumb {
        Crumb {
            id,
            title: title.to_owned(),
        }
    }

    /// The whole strategy with this id; not found when there is none (or no id).
    async fn load(state: &AppState, id: Option<i64>) -> Result<std::sync::Arc<Strategy>, AppError> {
        let id = id.ok_or(AppError::NotFound)?;
        state.store.strategy(id).await?.ok_or(AppError::NotFound)
    }

    pub async fn dashboard(
        state: &AppState,
        id: i64,
        locale: Locale,
    ) -> Result<Dashboard, AppError> {
        let strategy = load(state, Some(id)).await?;
        let today = state.clock.today();
        Ok(Dashboard {
            id: strategy.id,
            title: strategy.title.clone(),
            progress: progress::of_strategy(&strategy),
            has_examples: examples_in(
                strategy
                    .fields
                    .iter()
                    .flat_map(|f| &f.needs)
                    .flat_map(|n| &n.subgoals),
            ),
            fields: strategy
                .fields
                .iter()
                .map(|field| field_view(field, today, locale))
                .collect(),
            can_administer: false,
        })
    }

    pub fn administers(caller: &crate::auth::Caller) -> bool {
        crate::domain::access::may_administer(caller.account.as_ref()).is_ok()
    }

    fn field_view(field: &Field, today: NaiveDate, locale: Locale) -> FieldView {
        let needs: Vec<NeedSummary> = field.needs.iter().map(|n| need_summary(n, today)).collect();
        let bars: Vec<charts::Bar> = needs
            .iter()
            .map(|n| charts::Bar {
                label: n.title.clone(),
                value: n.progress,
            })
            .collect();
        FieldView {
            id: field.id,
            title: field.title.clone(),
            goal: field.goal.clone(),
            builds_on: field.builds_on.clone(),
            progress: progress::of_field(field),
            chart_svg: charts::progress_per_need(
                &format!("chart-field-{}", field.id),
                &field.title,
                &bars,
                locale,
            ),
            needs,
        }
    }

    /// Finds a need with its field in a loaded strategy.
    fn find_need(strategy: &Strategy, need_id: i64) -> Option<(&Field, &Need)> {
        strategy
            .fields
            .iter()
            .find_map(|f| f.needs.iter().find(|n| n.id == need_id).map(|n| (f, n)))
    }

    pub async fn need_page(state: &AppState, id: i64) -> Result<NeedPage, AppError> {
        let strategy = load(state, state.store.strategy_of_need(id).await?).await?;
        let (field, need) = find_need(&strategy, id).ok_or(AppError::NotFound)?;
        let today = state.clock.today();
        let mut next_due: Vec<DueMilestone> = need
            .subgoals
            .iter()
            .flat_map(|s| {
                s.milestones
                    .iter()
                    .filter(|m| m.data.status.is_open())
                    .map(move |m| DueMilestone {
                        milestone: m.clone(),
                        state: schedule::of_milestone(&m.data, today),
                        subgoal: crumb(s.id, &s.title),
                    })
            })
            .collect();
        next_due.sort_by_key(|d| d.milestone.data.due);
        next_due.truncate(NEXT_DUE_SHOWN);
        Ok(NeedPage {
            strategy: crumb(strategy.id, &strategy.title),
            field: crumb(field.id, &field.title),
            need: need_summary(need, today),
            subgoals: need
                .subgoals
                .iter()
                .map(|s| subgoal_summary(s, today))
                .collect(),
            next_due,
            has_examples: examples_in(&need.subgoals),
            can_administer: false,
        })
    }

    pub async fn subgoal_page(state: &AppState, id: i64) -> Result<SubGoalPage, AppError> {
        let strategy = load(state, state.store.strategy_of_subgoal(id).await?).await?;
        let (field, need, subgoal) = strategy
            .fields
            .iter()
            .flat_map(|f| f.needs.iter().map(move |n| (f, n)))
            .find_map(|(f, n)| n.subgoals.iter().find(|s| s.id == id).map(|s| (f, n, s)))
            .ok_or(AppError::NotFound)?;
        let today = state.clock.today();
        let mut milestones: Vec<MilestoneView> = subgoal
            .milestones
            .iter()
            .map(|m| MilestoneView {
                milestone: m.clone(),
                state: schedule::of_milestone(&m.data, today),
            })
            .collect();
        milestones.sort_by_key(|m| m.milestone.data.due);
        Ok(SubGoalPage {
            strategy: crumb(strategy.id, &strategy.title),
            field: crumb(field.id, &field.title),
            need: crumb(need.id, &need.title),
            subgoal: subgoal_summary(subgoal, today),
            milestones,
            today,
            can_edit: false,
            signed_in: false,
            can_administer: false,
        })
    }
}
