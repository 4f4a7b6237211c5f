//! Recording and changing milestones. The pages' forms post here directly (the answer is then
//! a redirect back to the page, with any error in its URL, or what was done); programs call
//! the same endpoints with `Accept: application/json`.

// A server function's arguments are its form's fields, one by one.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use crate::audit::Actor;
use crate::error::AppError;
use leptos::prelude::*;

/// Records a new milestone for a sub-goal; answers its id.
#[server(endpoint = "milestones/record")]
pub async fn record_milestone(
    subgoal_id: i64,
    title: Option<String>,
    due: Option<String>,
    status: Option<String>,
    done_on: Option<String>,
    weight: Option<String>,
    note: Option<String>,
) -> Result<i64, AppError> {
    let (state, caller) = super::guard::owned_subgoal(
        subgoal_id,
        &format!("record a milestone of sub-goal {subgoal_id}"),
    )
    .await?;
    let form = ssr::input(title, due, status, done_on, weight, note);
    let data = form
        .validate()
        .map_err(|errors| AppError::invalid(None, form.clone(), errors))?;
    let milestone = state
        .store
        .record_milestone(subgoal_id, &data, chrono::Utc::now(), &Actor::of(&caller))
        .await?;
    Ok(milestone.id)
}

/// Saves a changed milestone, if nobody saved another version since `version` was loaded.
#[server(endpoint = "milestones/edit")]
pub async fn edit_milestone(
    id: i64,
    version: i64,
    title: Option<String>,
    due: Option<String>,
    status: Option<String>,
    done_on: Option<String>,
    weight: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::saved_milestone(id, &format!("edit milestone {id}")).await?;
    let form = ssr::input(title, due, status, done_on, weight, note);
    let data = form
        .validate()
        .map_err(|errors| AppError::invalid(Some(id), form.clone(), errors))?;
    ssr::save(&state, &caller, id, version, data, form).await
}

/// Marks a milestone reached on `done_on`.
#[server(endpoint = "milestones/reach")]
pub async fn mark_reached(id: i64, version: i64, done_on: Option<String>) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::saved_milestone(id, &format!("mark milestone {id} reached")).await?;
    ssr::change_status(
        &state,
        &caller,
        id,
        version,
        crate::domain::Status::Done,
        done_on,
    )
    .await
}

/// Sets a planned milestone in progress.
#[server(endpoint = "milestones/start")]
pub async fn start_milestone(id: i64, version: i64) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::saved_milestone(id, &format!("start milestone {id}")).await?;
    ssr::change_status(
        &state,
        &caller,
        id,
        version,
        crate::domain::Status::InProgress,
        None,
    )
    .await
}

/// Moves a milestone's due date; the reason is asked for and kept in the audit trail.
#[server(endpoint = "milestones/move")]
pub async fn move_due(
    id: i64,
    version: i64,
    due: Option<String>,
    reason: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::saved_milestone(id, &format!("move the due date of milestone {id}")).await?;
    ssr::move_due(&state, &caller, id, version, due, reason).await
}

/// Cancels a milestone: it stays on record but leaves the plan.
#[server(endpoint = "milestones/cancel")]
pub async fn cancel_milestone(id: i64, version: i64) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::saved_milestone(id, &format!("cancel milestone {id}")).await?;
    ssr::change_status(
        &state,
        &caller,
        id,
        version,
        crate::domain::Status::Cancelled,
        None,
    )
    .await
}

/// Deletes a milestone; its history is kept.
#[server(endpoint = "milestones/delete")]
pub async fn delete_milestone(id: i64, version: i64) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::saved_milestone(id, &format!("delete milestone {id}")).await?;
    match state
        .store
        .delete_milestone(id, version, chrono::Utc::now(), &Actor::of(&caller))
        .await?
    {
        crate::store::Change::Saved(_) => Ok(()),
        crate::store::Change::Conflict(current) => {
            let input = crate::domain::MilestoneInput::from_data(&current.data);
            Err(AppError::conflict(current, input))
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::{
        auth::Caller,
        domain::{MilestoneData, MilestoneInput, Status},
        state::AppState,
        store::Change,
    };

    /// The form's text fields; a field that was not sent counts as empty.
    pub fn input(
        title: Option<String>,
        due: Option<String>,
        status: Option<String>,
        done_on: Option<String>,
        weight: Option<String>,
        note: Option<String>,
    ) -> MilestoneInput {
        MilestoneInput {
            title: title.unwrap_or_default(),
            due: due.unwrap_or_default(),
            status: status.unwrap_or_default(),
            done_on: done_on.unwrap_or_default(),
            weight: weight.unwrap_or_default(),
            note: note.unwrap_or_default(),
        }
    }

    pub async fn save(
        state: &AppState,
        caller: &Caller,
        id: i64,
        version: i64,
        data: MilestoneData,
        form: MilestoneInput,
    ) -> Result<(), AppError> {
        match state
            .store
            .update_milestone(id, version, &data, chrono::Utc::now(), &Actor::of(caller))
            .await?
        {
            Change::Saved(_) => Ok(()),
            Change::Conflict(current) => Err(AppError::conflict(current, form)),
        }
    }

    /// The form of `move_due` for milestone `id`: its refusals name this form.
    pub fn move_form(id: i64) -> String {
        format!("move-{id}")
    }

    pub async fn move_due(
        state: &AppState,
        caller: &Caller,
        id: i64,
        version: i64,
        due: Option<String>,
        reason: Option<String>,
    ) -> Result<(), AppError> {
        use crate::domain::validation;
        let (_, current) = state.store.milestone(id).await?.ok_or(AppError::NotFound)?;
        let (due, reason) = (due.unwrap_or_default(), reason.unwrap_or_default());
        let form = move_form(id);
        let refused = |errors: Vec<(&str, crate::domain::Problem)>| {
            AppError::rejected(&form, errors).with_typed([("due", &*due), ("reason", &*reason)])
        };
        let mut errors = Vec::new();
        let day = validation::date(&due)
            .map_err(|problem| errors.push(("due", problem)))
            .ok();
        let why = match validation::optional_text(&reason, validation::MAX_NOTE_CHARS) {
            Ok(Some(why)) => Some(why),
            Ok(None) => {
                errors.push(("reason", crate::domain::Problem::Required));
                None
            }
            Err(problem) => {
                errors.push(("reason", problem));
                None
            }
        };
        let (Some(day), Some(why)) = (day, why) else {
            return Err(refused(errors));
        };
        if current.version != version {
            return Err(refused(vec![(
                "due",
                crate::domain::Problem::ChangedMeanwhile,
            )]));
        }
        let mut data = current.data.clone();
        data.due = day;
        match state
            .store
            .update_milestone_because(
                id,
                version,
                &data,
                &why,
                chrono::Utc::now(),
                &Actor::of(caller),
            )
            .await?
        {
            Change::Saved(_) => Ok(()),
            Change::Conflict(_) => Err(refused(vec![(
                "due",
                crate::domain::Problem::ChangedMeanwhile,
            )])),
        }
    }

    /// Sets the status of a stored milestone, keeping everything else as it is.
    pub async fn change_status(
        state: &AppState,
        caller: &Caller,
        id: i64,
        version: i64,
        status: Status,
        done_on: Option<String>,
    ) -> Result<(), AppError> {
        let (_, current) = state.store.milestone(id).await?.ok_or(AppError::NotFound)?;
        let mut form = MilestoneInput::from_data(&current.data);
        form.status = status.as_str().to_owned();
        if status == Status::Done {
            form.done_on = done_on.unwrap_or_default();
        }
        if current.version != version {
            return Err(AppError::conflict(current, form));
        }
        let data = form
            .validate()
            .map_err(|errors| AppError::invalid(Some(id), form.clone(), errors))?;
        save(state, caller, id, version, data, form).await
    }
}
