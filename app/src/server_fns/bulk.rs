//! Bulk updates from a spreadsheet: an uploaded file is kept (in memory, briefly) under a
//! token; its preview (`/bulk/:token`) says what every row would do against what is stored
//! now; applying writes all of it in one transaction, or nothing. The upload itself and the
//! templates are server routes (`/bulk/upload`, `/templates/milestones.csv|xlsx`).

use crate::{
    domain::bulk::{FileProblem, PlannedRow, Tally},
    error::AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What an upload would do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkPreview {
    pub token: String,
    /// The file's name as uploaded.
    pub file: String,
    /// Why the whole file is refused, if it is.
    pub problem: Option<FileProblem>,
    /// Every row but the empty ones, in the file's order.
    pub rows: Vec<PlannedRow>,
    pub tally: Tally,
    /// Sub-goal titles by id, for naming where a row belongs.
    pub subgoals: Vec<(i64, String)>,
}

/// The preview of the caller's upload `token`.
#[server(endpoint = "bulk/preview")]
pub async fn get_bulk_preview(token: String) -> Result<BulkPreview, AppError> {
    let (state, account) = super::guard::reporting("preview a bulk update").await?;
    ssr::preview(&state, &account, &token).await
}

/// Applies the caller's upload `token`, if no row is refused (checked again against what is
/// stored now), and goes to the owner's page.
#[server(endpoint = "bulk/apply")]
pub async fn apply_bulk(token: String) -> Result<(), AppError> {
    let (state, account) = super::guard::reporting("apply a bulk update").await?;
    ssr::apply(&state, &account, &token).await?;
    leptos_axum::redirect("/my-subgoals");
    Ok(())
}

/// Forgets the caller's upload `token` without applying it.
#[server(endpoint = "bulk/discard")]
pub async fn discard_bulk(token: String) -> Result<(), AppError> {
    let (state, account) = super::guard::reporting("discard a bulk update").await?;
    state.uploads.take(account.id, &token);
    leptos_axum::redirect("/my-subgoals");
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    pub use crate::uploads::Upload;
    use crate::{
        audit::Actor,
        domain::{
            Milestone,
            access::{self, Account},
            bulk::{Known, KnownSubgoal, Layout, Outcome, Table, plan},
        },
        state::AppState,
        store::{BulkChanges, BulkOutcome, Store},
    };
    use std::{collections::HashMap, sync::Arc};

    /// The bulk updates waiting for their preview to be applied: each file read as a table,
    /// or why it is refused.
    pub type Uploads = crate::uploads::Uploads<Result<Arc<Table>, FileProblem>>;

    /// What the database holds now for an upload by `account`: every milestone of every
    /// strategy, and which sub-goals the account may change.
    pub async fn known(
        store: &Store,
        account: &Account,
    ) -> Result<(HashMap<i64, (i64, Milestone)>, HashMap<i64, KnownSubgoal>), AppError> {
        let mut milestones = HashMap::new();
        let mut subgoals = HashMap::new();
        for header in store.strategies().await? {
            let Some(strategy) = store.strategy(header.id).await? else {
                continue;
            };
            for subgoal in strategy
                .fields
                .iter()
                .flat_map(|f| &f.needs)
                .flat_map(|n| &n.subgoals)
            {
                let editable = access::may_edit_subgoal(Some(account), subgoal.id).is_ok();
                subgoals.insert(
                    subgoal.id,
                    KnownSubgoal {
                        title: subgoal.title.clone(),
                        editable,
                    },
                );
                for milestone in subgoal.milestones.iter() {
                    milestones.insert(milestone.id, (subgoal.id, milestone.clone()));
                }
            }
        }
        Ok((milestones, subgoals))
    }

    /// What the rows of `table` would do for `account` now; or why the file is refused.
    pub async fn planned(
        store: &Store,
        account: &Account,
        table: &Table,
    ) -> Result<Result<(Vec<PlannedRow>, Vec<(i64, String)>), FileProblem>, AppError> {
        let layout = match Layout::of(&table.header, &table.rows) {
            Ok(layout) => layout,
            Err(problem) => return Ok(Err(problem)),
        };
        let (milestones, subgoals) = known(store, account).await?;
        let rows = plan(
            &layout,
            &table.rows,
            &Known {
                milestones: &milestones,
                subgoals: &subgoals,
            },
        );
        let mut named: Vec<(i64, String)> = rows
            .iter()
            .filter_map(|row| match &row.outcome {
                Outcome::New { subgoal_id, .. } | Outcome::Changed { subgoal_id, .. } => {
                    Some(*subgoal_id)
                }
                _ => None,
            })
            .filter_map(|id| subgoals.get(&id).map(|s| (id, s.title.clone())))
            .collect();
        named.sort();
        named.dedup();
        Ok(Ok((rows, named)))
    }

    pub async fn preview(
        state: &AppState,
        account: &Account,
        token: &str,
    ) -> Result<BulkPreview, AppError> {
        let upload = state
            .uploads
            .get(account.id, token)
            .ok_or(AppError::NotFound)?;
        let outcome = match &upload.content {
            Ok(table) => planned(&state.store, account, table).await?,
            Err(problem) => Err(problem.clone()),
        };
        let (problem, rows, subgoals) = match outcome {
            Ok((rows, subgoals)) => (None, rows, subgoals),
            Err(problem) => (Some(problem), Vec::new(), Vec::new()),
        };
        Ok(BulkPreview {
            token: token.to_owned(),
            file: upload.file,
            problem,
            tally: Tally::of(&rows),
            rows,
            subgoals,
        })
    }

    /// The changes of planned rows that are all applicable.
    pub fn changes(rows: &[PlannedRow]) -> BulkChanges {
        let mut changes = BulkChanges::default();
        for row in rows {
            match &row.outcome {
                Outcome::New { subgoal_id, data } => changes.new.push((*subgoal_id, data.clone())),
                Outcome::Changed {
                    id, version, after, ..
                } => changes.changed.push((*id, *version, after.clone())),
                Outcome::Unchanged { .. } | Outcome::Refused(_) => {}
            }
        }
        changes
    }

    /// Applies the upload if every row still passes; refused (nothing written, the upload
    /// kept for another look) when a row does not or a milestone changed meanwhile.
    pub async fn apply(state: &AppState, account: &Account, token: &str) -> Result<(), AppError> {
        let upload = state
            .uploads
            .get(account.id, token)
            .ok_or(AppError::NotFound)?;
        let refused = || {
            AppError::rejected(
                "bulk",
                vec![("rows", crate::domain::Problem::ChangedMeanwhile)],
            )
        };
        let Ok(table) = &upload.content else {
            return Err(refused());
        };
        let Ok((rows, _)) = planned(&state.store, account, table).await? else {
            return Err(refused());
        };
        if !Tally::of(&rows).applicable() {
            return Err(refused());
        }
        let actor = Actor {
            id: Some(account.id),
            name: account.login.clone(),
        };
        match state
            .store
            .apply_bulk(
                &changes(&rows),
                &upload.file,
                chrono::Utc::now(),
                &actor,
                &|_| {},
            )
            .await?
        {
            BulkOutcome::Applied { .. } => {
                state.uploads.take(account.id, token);
                Ok(())
            }
            BulkOutcome::Conflict(_) => Err(refused()),
        }
    }
}
