//! Indicators (KPIs) of a sub-goal and their readings: for the sub-goal's owners and admins,
//! like its milestones. The forms are plain posts (the page loads again with the change, or
//! with the refusal beside the field and what was typed).

// A server function's arguments are its form's fields, one by one.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;

/// Adds an indicator to a sub-goal; answers its id.
#[server(endpoint = "indicators/add")]
pub async fn add_indicator(
    subgoal_id: i64,
    name: Option<String>,
    unit: Option<String>,
    direction: Option<String>,
    baseline_value: Option<String>,
    baseline_on: Option<String>,
    target_value: Option<String>,
    target_on: Option<String>,
) -> Result<i64, AppError> {
    let (state, caller) = super::guard::editable_subgoal(
        subgoal_id,
        &format!("add an indicator to sub-goal {subgoal_id}"),
    )
    .await?;
    let input = ssr::input([
        name,
        unit,
        direction,
        baseline_value,
        baseline_on,
        target_value,
        target_on,
    ]);
    let data = ssr::checked(&format!("new-indicator-{subgoal_id}"), &input)?;
    state
        .store
        .add_indicator(subgoal_id, &data, chrono::Utc::now(), &ssr::actor(&caller))
        .await
}

/// Saves a changed indicator, if nobody saved another version since `version` was loaded.
#[server(endpoint = "indicators/edit")]
pub async fn edit_indicator(
    id: i64,
    version: i64,
    name: Option<String>,
    unit: Option<String>,
    direction: Option<String>,
    baseline_value: Option<String>,
    baseline_on: Option<String>,
    target_value: Option<String>,
    target_on: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::editable_indicator(id, &format!("edit indicator {id}")).await?;
    let input = ssr::input([
        name,
        unit,
        direction,
        baseline_value,
        baseline_on,
        target_value,
        target_on,
    ]);
    let form = format!("indicator-{id}");
    let data = ssr::checked(&form, &input)?;
    let outcome = state
        .store
        .update_indicator(id, version, &data, chrono::Utc::now(), &ssr::actor(&caller))
        .await?;
    ssr::saved(outcome, &form, input.typed())
}

/// Deletes an indicator; its history and readings are kept.
#[server(endpoint = "indicators/delete")]
pub async fn delete_indicator(id: i64, version: i64) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::editable_indicator(id, &format!("delete indicator {id}")).await?;
    let outcome = state
        .store
        .delete_indicator(id, version, chrono::Utc::now(), &ssr::actor(&caller))
        .await?;
    ssr::saved(outcome, &format!("indicator-{id}-delete"), [])
}

/// Records a reading of an indicator; answers its id.
#[server(endpoint = "indicators/reading")]
pub async fn record_reading(
    indicator_id: i64,
    on: Option<String>,
    value: Option<String>,
    note: Option<String>,
) -> Result<i64, AppError> {
    use crate::domain::indicator::ReadingInput;
    let (state, caller) = super::guard::editable_indicator(
        indicator_id,
        &format!("record a reading of indicator {indicator_id}"),
    )
    .await?;
    let (_, indicator) = state
        .store
        .indicator(indicator_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let [on, value, note] = [on, value, note].map(Option::unwrap_or_default);
    let input = ReadingInput { on, value, note };
    let reading = input
        .validate(&indicator.data, state.clock.today())
        .map_err(|errors| {
            AppError::rejected(&format!("reading-{indicator_id}"), errors).with_typed(input.typed())
        })?;
    state
        .store
        .record_reading(
            indicator_id,
            &reading,
            chrono::Utc::now(),
            &ssr::actor(&caller),
        )
        .await
}

/// Removes a reading from view (it stays on record).
#[server(endpoint = "indicators/reading/remove")]
pub async fn remove_reading(id: i64) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::editable_reading(id, &format!("remove reading {id}")).await?;
    state
        .store
        .remove_reading(id, chrono::Utc::now(), &ssr::actor(&caller))
        .await
}

/// Chooses what measures a sub-goal's progress: `milestones`, or the id of one of its
/// indicators.
#[server(endpoint = "indicators/method")]
pub async fn set_progress_method(subgoal_id: i64, method: String) -> Result<(), AppError> {
    let (state, caller) = super::guard::editable_subgoal(
        subgoal_id,
        &format!("choose how sub-goal {subgoal_id} measures progress"),
    )
    .await?;
    let indicator = match method.as_str() {
        "milestones" => None,
        other => Some(other.parse::<i64>().map_err(|_| {
            AppError::BadRequest(format!(
                "method: expected \"milestones\" or an indicator's id, not {other:?}"
            ))
        })?),
    };
    state
        .store
        .set_progress_method(
            subgoal_id,
            indicator,
            chrono::Utc::now(),
            &ssr::actor(&caller),
        )
        .await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::{
        audit::Actor,
        auth::Caller,
        domain::{
            IndicatorData, Problem,
            indicator::{IndicatorInput, field},
        },
        store::Outcome,
    };

    pub fn actor(caller: &Caller) -> Actor {
        Actor::of(caller)
    }

    /// The form's fields in their order; a field that was not sent counts as empty.
    pub fn input(fields: [Option<String>; 7]) -> IndicatorInput {
        let [
            name,
            unit,
            direction,
            baseline_value,
            baseline_on,
            target_value,
            target_on,
        ] = fields.map(Option::unwrap_or_default);
        IndicatorInput {
            name,
            unit,
            direction,
            baseline_value,
            baseline_on,
            target_value,
            target_on,
        }
    }

    pub fn checked(form: &str, input: &IndicatorInput) -> Result<IndicatorData, AppError> {
        input
            .validate()
            .map_err(|errors| AppError::rejected(form, errors).with_typed(input.typed()))
    }

    /// A stale save is refused with what was typed, so nothing is lost.
    pub fn saved<'a>(
        outcome: Outcome,
        form: &str,
        typed: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), AppError> {
        match outcome {
            Outcome::Saved => Ok(()),
            Outcome::Stale => Err(AppError::rejected(
                form,
                vec![(field::NAME, Problem::ChangedMeanwhile)],
            )
            .with_typed(typed)),
        }
    }
}
