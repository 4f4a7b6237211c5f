//! The checks at the top of every server function: who calls, and may they? Every refusal is
//! put on record.

use crate::{
    audit::{Actor, Kind, Refusal},
    auth::{Caller, caller},
    domain::access::{self, Denied},
    error::AppError,
    state::{AppState, app_state},
};

/// Counts a refusal for the record (see `audit::Refusals`: it costs no write of its own and
/// makes no page stale) and turns it into the error the caller gets (also for the server's
/// own routes).
pub fn refuse(state: &AppState, caller: &Caller, denied: Denied, what: &str) -> AppError {
    let actor = Actor::of(caller);
    state.refusals.count(Refusal {
        kind: Kind::Refused,
        actor: &actor,
        client: &caller.client,
        login: None,
        request: what,
        reason: match denied {
            Denied::NotSignedIn => "not signed in",
            Denied::NotAllowed => "not allowed",
        },
    });
    AppError::from(denied)
}

/// For reading: anyone signed in, everyone while public read access is on.
pub async fn readable(what: &str) -> Result<(AppState, Caller), AppError> {
    let state = app_state()?;
    let caller = caller();
    let public = state.store.public_read().await?;
    match access::may_read(caller.account.as_ref(), public) {
        Ok(()) => Ok((state, caller)),
        Err(denied) => Err(refuse(&state, &caller, denied, what)),
    }
}

/// For the owner's page: owners (their sub-goals) and admins (any department's).
pub async fn reporting(what: &str) -> Result<(AppState, crate::domain::access::Account), AppError> {
    let state = app_state()?;
    let caller = caller();
    match access::may_report(caller.account.as_ref()) {
        Ok(()) => match caller.account {
            Some(account) => Ok((state, account)),
            None => Err(refuse(&state, &caller, Denied::NotSignedIn, what)),
        },
        Err(denied) => Err(refuse(&state, &caller, denied, what)),
    }
}

/// For changing a sub-goal's milestones: admins and the sub-goal's owners.
pub async fn editable_subgoal(subgoal_id: i64, what: &str) -> Result<(AppState, Caller), AppError> {
    let (state, caller) = owned_subgoal(subgoal_id, what).await?;
    current(state, caller, subgoal_id).await
}

/// As [`editable_subgoal`], whether or not the sub-goal is there today: for recording a
/// milestone, whose statement refuses an archived sub-goal itself, in the transaction that
/// writes it (see `store::milestones`), so it is not looked up before (one read fewer before
/// every save, and no moment between the look-up and the write).
pub async fn owned_subgoal(subgoal_id: i64, what: &str) -> Result<(AppState, Caller), AppError> {
    let state = app_state()?;
    let caller = caller();
    match access::may_edit_subgoal(caller.account.as_ref(), subgoal_id) {
        Ok(()) => Ok((state, caller)),
        Err(denied) => Err(refuse(&state, &caller, denied, what)),
    }
}

/// An archived sub-goal (or one in an archived need or field) is not there today: nothing of
/// it is changed until it is restored.
async fn current(
    state: AppState,
    caller: Caller,
    subgoal_id: i64,
) -> Result<(AppState, Caller), AppError> {
    match state.store.subgoal_archived(subgoal_id).await? {
        Some(false) => Ok((state, caller)),
        _ => Err(AppError::NotFound),
    }
}

/// For changing a milestone: as for its sub-goal.
pub async fn editable_milestone(
    milestone_id: i64,
    what: &str,
) -> Result<(AppState, Caller), AppError> {
    editable_part(what, async |state| {
        state.store.subgoal_of_milestone(milestone_id).await
    })
    .await
}

/// As [`editable_milestone`], whether or not its sub-goal is there today: for a save of the
/// milestone, whose statements refuse an archived sub-goal themselves (see [`owned_subgoal`]).
pub async fn saved_milestone(
    milestone_id: i64,
    what: &str,
) -> Result<(AppState, Caller), AppError> {
    let (state, caller, _) = owned_part(what, async |state| {
        state.store.subgoal_of_milestone(milestone_id).await
    })
    .await?;
    Ok((state, caller))
}

/// For changing an indicator or recording its readings: as for its sub-goal.
pub async fn editable_indicator(
    indicator_id: i64,
    what: &str,
) -> Result<(AppState, Caller), AppError> {
    editable_part(what, async |state| {
        Ok(state.store.indicator(indicator_id).await?.map(|(s, _)| s))
    })
    .await
}

/// For removing a reading: as for its indicator's sub-goal.
pub async fn editable_reading(reading_id: i64, what: &str) -> Result<(AppState, Caller), AppError> {
    editable_part(what, async |state| {
        Ok(state.store.reading_owner(reading_id).await?.map(|(_, s)| s))
    })
    .await
}

/// For changing a part of a sub-goal, which `subgoal_of` finds: as for the sub-goal. Nobody
/// signed in learns nothing about ids (refused before the look-up).
async fn editable_part(
    what: &str,
    subgoal_of: impl AsyncFnOnce(&AppState) -> Result<Option<i64>, AppError>,
) -> Result<(AppState, Caller), AppError> {
    let (state, caller, subgoal_id) = owned_part(what, subgoal_of).await?;
    current(state, caller, subgoal_id).await
}

/// As [`editable_part`], whether or not the sub-goal is there today; with the sub-goal.
async fn owned_part(
    what: &str,
    subgoal_of: impl AsyncFnOnce(&AppState) -> Result<Option<i64>, AppError>,
) -> Result<(AppState, Caller, i64), AppError> {
    let state = app_state()?;
    let caller = caller();
    if caller.account.is_none() {
        return Err(refuse(&state, &caller, Denied::NotSignedIn, what));
    }
    let subgoal_id = subgoal_of(&state).await?.ok_or(AppError::NotFound)?;
    match access::may_edit_subgoal(caller.account.as_ref(), subgoal_id) {
        Ok(()) => Ok((state, caller, subgoal_id)),
        Err(denied) => Err(refuse(&state, &caller, denied, what)),
    }
}

/// For the history pages and the data quality: anyone signed in.
pub async fn signed_in(what: &str) -> Result<(AppState, Caller), AppError> {
    let state = app_state()?;
    let caller = caller();
    match caller.account {
        Some(_) => Ok((state, caller)),
        None => Err(refuse(&state, &caller, Denied::NotSignedIn, what)),
    }
}

/// For administration: admins only.
pub async fn administrable(what: &str) -> Result<(AppState, Caller), AppError> {
    let state = app_state()?;
    let caller = caller();
    match access::may_administer(caller.account.as_ref()) {
        Ok(()) => Ok((state, caller)),
        Err(denied) => Err(refuse(&state, &caller, denied, what)),
    }
}
