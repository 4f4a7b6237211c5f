//! Widgets for the city's website: a need's or a field's progress and chart as a small page
//! made to sit in an iframe (`/embed/needs/:id`, `/embed/fields/:id`). Shown only while public
//! read access is on, the same for everyone (a session is not even looked at, see the
//! server's security guard), and framed only by the origins an admin allowed.

use crate::{
    chart_views::ChartView,
    domain::{Progress, ScheduleState, schedule::Counts},
    error::AppError,
    i18n::Locale,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a widget shows of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Need,
    Field,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Embed {
    pub title: String,
    pub strategy: String,
    pub progress: Progress,
    pub state: ScheduleState,
    pub counts: Counts,
    /// The burn-up of a need, the progress over time of a field.
    pub chart: ChartView,
    /// The full view on this site (the need's page, the strategy's field section).
    pub full: String,
    /// The chart's figures as a table (CSV).
    pub table: String,
    pub today: chrono::NaiveDate,
}

/// A widget's content; not found while public read is off.
#[server(endpoint = "embed")]
pub async fn get_embed(scope: Scope, id: i64, locale: Locale) -> Result<Embed, AppError> {
    let state = crate::state::app_state()?;
    if !state.store.public_read().await? {
        return Err(AppError::NotFound);
    }
    ssr::embed(&state, scope, id, locale).await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::{
        chart_views::ssr as charts,
        domain::{progress, schedule},
        server_fns::strategy::ssr::{find_need, load},
        state::AppState,
    };

    pub async fn embed(
        state: &AppState,
        scope: Scope,
        id: i64,
        locale: Locale,
    ) -> Result<Embed, AppError> {
        let today = state.clock.today();
        let strategy_id = match scope {
            Scope::Need => state.store.strategy_of_need(id).await?,
            Scope::Field => state.store.strategy_of_field(id).await?,
        };
        let strategy = load(state, strategy_id, None).await?;
        let (title, progress, state_now, counts, full, chart) = match scope {
            Scope::Need => {
                // Read before the tree is borrowed: a borrow across the wait is not `Send`.
                let planned = state.store.planned_dates(id, None).await?;
                let (_, need) = find_need(&strategy, id).ok_or(AppError::NotFound)?;
                let milestones = need
                    .subgoals
                    .iter()
                    .flat_map(|s| s.milestones.iter().map(|m| &m.data));
                (
                    need.title.clone(),
                    progress::of_need(need),
                    schedule::worst(need.subgoals.iter().map(|s| schedule::of_subgoal(s, today))),
                    Counts::of(milestones, today),
                    format!("/needs/{id}"),
                    charts::burn_up(
                        need,
                        &planned,
                        today,
                        false,
                        locale,
                        crate::chart_views::Media::Page,
                    ),
                )
            }
            Scope::Field => {
                let history = charts::progress_history(state, strategy.id, today).await?;
                let field = strategy
                    .fields
                    .iter()
                    .find(|f| f.id == id)
                    .ok_or(AppError::NotFound)?;
                let subgoals = field.needs.iter().flat_map(|n| &n.subgoals);
                (
                    field.title.clone(),
                    progress::of_field(field),
                    schedule::worst(subgoals.clone().map(|s| schedule::of_subgoal(s, today))),
                    Counts::of(
                        subgoals.flat_map(|s| s.milestones.iter().map(|m| &m.data)),
                        today,
                    ),
                    format!("/strategies/{}#field-{id}", strategy.id),
                    charts::over_time(
                        field,
                        &history,
                        today,
                        locale,
                        crate::chart_views::Media::Page,
                    ),
                )
            }
        };
        Ok(Embed {
            table: format!("{}.csv?lang={}", chart.download, locale.as_str()),
            title,
            strategy: strategy.title.clone(),
            progress,
            state: state_now,
            counts,
            chart,
            full,
            today,
        })
    }
}
