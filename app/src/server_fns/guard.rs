//! The checks at the top of every server function: who calls, and may they?

use crate::{
    auth::{Caller, caller},
    domain::access,
    error::AppError,
    state::{AppState, app_state},
};

/// For reading: anyone signed in, everyone while public read access is on.
pub async fn readable() -> Result<(AppState, Caller), AppError> {
    let state = app_state()?;
    let caller = caller();
    access::may_read(caller.account.as_ref(), state.store.public_read().await?)?;
    Ok((state, caller))
}

/// For changing a sub-goal's milestones: admins and the sub-goal's owners.
pub fn editable_subgoal(subgoal_id: i64) -> Result<AppState, AppError> {
    let state = app_state()?;
    access::may_edit_subgoal(caller().account.as_ref(), subgoal_id)?;
    Ok(state)
}

/// For changing a milestone: as for its sub-goal. Nobody signed in learns nothing about ids.
pub async fn editable_milestone(milestone_id: i64) -> Result<AppState, AppError> {
    let state = app_state()?;
    let caller = caller();
    if caller.account.is_none() {
        return Err(AppError::Unauthorized);
    }
    let subgoal_id = state
        .store
        .subgoal_of_milestone(milestone_id)
        .await?
        .ok_or(AppError::NotFound)?;
    access::may_edit_subgoal(caller.account.as_ref(), subgoal_id)?;
    Ok(state)
}
