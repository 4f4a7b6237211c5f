//! Reports to the council, frozen when made (see `domain::report`): made, listed, read,
//! withdrawn. The triggers of the `reports` table refuse any other change.

use super::db;
use super::{Reach, Store};
use crate::{
    audit::{self, Actor, Entry},
    domain::report::{ReportHeader, Snapshot},
    error::AppError,
};
use chrono::{DateTime, Utc};

/// What a new report is made of (already checked).
pub struct NewReport<'a> {
    pub name: &'a str,
    pub foreword: Option<&'a str>,
    pub snapshot: &'a Snapshot,
}

/// The columns of a [`ReportHeader`], as a query's start.
macro_rules! header {
    ($rest:literal) => {
        concat!(
            "SELECT id, strategy_id, name, stichtag, foreword, made_at, made_by,
                    withdrawn_at, withdrawn_by, withdrawn_reason FROM reports ",
            $rest
        )
    };
}

impl Store {
    /// Stores a new report of the snapshot's strategy; returns its id.
    pub async fn create_report(
        &self,
        report: NewReport<'_>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let snapshot = serde_json::to_string(report.snapshot).map_err(|error| {
            tracing::error!(%error, "a report's snapshot could not be written");
            AppError::Internal
        })?;
        let strategy_id = report.snapshot.strategy.id;
        let mut turn = self.begin_write().await?;
        let id: i64 = db::query_scalar(
            "INSERT INTO reports (strategy_id, name, stichtag, foreword, made_at, made_by, snapshot)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(strategy_id)
        .bind(report.name)
        .bind(report.snapshot.stichtag)
        .bind(report.foreword)
        .bind(now)
        .bind(&actor.name)
        .bind(&snapshot)
        .fetch_one(turn.tx())
        .await
        .map_err(super::foreign_key_is_not_found)?;
        let milestones: usize = report
            .snapshot
            .strategy
            .fields
            .iter()
            .flat_map(|f| &f.needs)
            .flat_map(|n| &n.subgoals)
            .map(|s| s.milestones.len())
            .sum();
        let entry = Entry {
            actor,
            action: "report.created",
            object_type: "report",
            object_id: Some(id.to_string()),
            subgoal_id: None,
            details: serde_json::json!({
                "strategy": strategy_id,
                "name": report.name,
                "stichtag": report.snapshot.stichtag,
                "milestones": milestones,
            }),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Everything).await?;
        Ok(id)
    }

    /// The reports of a strategy (of every strategy, for `None`), the latest Stichtag first.
    pub async fn reports(&self, strategy_id: Option<i64>) -> Result<Vec<ReportHeader>, AppError> {
        Ok(db::query_as(header!(
            "WHERE $1 IS NULL OR strategy_id = $1 ORDER BY stichtag DESC, id DESC"
        ))
        .bind(strategy_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A report with what it shows.
    pub async fn report(&self, id: i64) -> Result<Option<(ReportHeader, Snapshot)>, AppError> {
        let mut tx = self.pool.read().await?;
        let Some(header) = db::query_as::<ReportHeader>(header!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut tx)
            .await?
        else {
            return Ok(None);
        };
        let text: String = db::query_scalar("SELECT snapshot FROM reports WHERE id = $1")
            .bind(id)
            .fetch_one(&mut tx)
            .await?;
        let snapshot = serde_json::from_str(&text).map_err(|error| {
            tracing::error!(%error, report = id, "a report's snapshot cannot be read");
            AppError::Internal
        })?;
        Ok(Some((header, snapshot)))
    }

    /// Marks a report withdrawn, with the reason; it stays listed and readable. Not found when
    /// there is no such report; refused when it was withdrawn already.
    pub async fn withdraw_report(
        &self,
        id: i64,
        reason: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let withdrawn: Option<Option<DateTime<Utc>>> =
            db::query_scalar("SELECT withdrawn_at FROM reports WHERE id = $1")
                .bind(id)
                .fetch_optional(turn.tx())
                .await?;
        match withdrawn {
            None => return Err(AppError::NotFound),
            Some(Some(_)) => {
                return Err(AppError::rejected(
                    &format!("withdraw-{id}"),
                    vec![("reason", crate::domain::Problem::AlreadyWithdrawn)],
                ));
            }
            Some(None) => {}
        }
        db::query(
            "UPDATE reports SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3
             WHERE id = $4",
        )
        .bind(now)
        .bind(&actor.name)
        .bind(reason)
        .bind(id)
        .execute(turn.tx())
        .await?;
        let entry = Entry {
            actor,
            action: "report.withdrawn",
            object_type: "report",
            object_id: Some(id.to_string()),
            subgoal_id: None,
            details: serde_json::json!({ "reason": reason }),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Everything).await?;
        Ok(())
    }
}
