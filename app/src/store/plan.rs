//! Plan baselines of needs: fixing today's due dates as the plan, and reading the planned date
//! of each milestone (see `domain::plan`).

use super::db;
use super::{
    PageScope, PlannedDates, Reach, Store,
    history::{moment_bound, never},
};
use crate::domain::plan::Baseline;
use crate::{
    audit::{self, Actor, Entry},
    error::AppError,
};
use chrono::{DateTime, NaiveDate, Utc};
use std::{
    collections::HashMap,
    sync::{Arc, PoisonError},
};

impl Store {
    /// The planned date of each milestone of a need, as the plan stood just before `moment`
    /// (now, for `None`): its due date in the latest baseline recorded before then, or else
    /// the due date it was first recorded with.
    ///
    /// Today's are kept per need until the need's page version moves (any change to the need
    /// or not confined to one need, and changes by another process once noticed): a need page
    /// rendered again after a save elsewhere reads them from memory, not a few thousand rows.
    pub async fn planned_dates(
        &self,
        need_id: i64,
        moment: Option<DateTime<Utc>>,
    ) -> Result<PlannedDates, AppError> {
        if moment.is_some() {
            return Ok(Arc::new(self.read_planned_dates(need_id, moment).await?));
        }
        let kept = || self.planned.lock().unwrap_or_else(PoisonError::into_inner);
        self.notice_others().await;
        // Read before the dates: a change committed meanwhile moves it past what is kept.
        let version = self.page_version(PageScope::Need(need_id));
        if let Some((at, dates)) = kept().get(&need_id)
            && *at == version
        {
            return Ok(dates.clone());
        }
        let dates = Arc::new(self.read_planned_dates(need_id, None).await?);
        let mut kept = kept();
        // No memory for the dates of needs that changed since (or of needs now gone).
        kept.retain(|need, (at, _)| *at == self.page_version(PageScope::Need(*need)));
        kept.insert(need_id, (version, dates.clone()));
        Ok(dates)
    }

    async fn read_planned_dates(
        &self,
        need_id: i64,
        moment: Option<DateTime<Utc>>,
    ) -> Result<HashMap<i64, NaiveDate>, AppError> {
        let before = moment.map_or_else(never, moment_bound);
        let mut tx = self.pool.read().await?;
        let first: Vec<(i64, NaiveDate)> = db::query_as(
            "SELECT r.milestone_id, r.due FROM milestone_revisions r
             WHERE r.version = 1 AND r.recorded_at < $2
               AND r.subgoal_id IN (SELECT id FROM subgoals WHERE need_id = $1)",
        )
        .bind(need_id)
        .bind(before)
        .fetch_all(&mut tx)
        .await?;
        let baselined: Vec<(i64, NaiveDate)> = db::query_as(
            "SELECT milestone_id, due FROM baseline_dates WHERE baseline_id =
               (SELECT id FROM baselines WHERE need_id = $1 AND recorded_at < $2
                ORDER BY id DESC LIMIT 1)",
        )
        .bind(need_id)
        .bind(before)
        .fetch_all(&mut tx)
        .await?;
        Ok(first.into_iter().chain(baselined).collect())
    }

    /// A need's baselines recorded before `moment` (all, for `None`), the latest first.
    pub async fn baselines(
        &self,
        need_id: i64,
        moment: Option<DateTime<Utc>>,
    ) -> Result<Vec<Baseline>, AppError> {
        let before = moment.map_or_else(never, moment_bound);
        Ok(db::query_as(
            "SELECT (SELECT COUNT(*) FROM baselines e WHERE e.need_id = b.need_id AND e.id <= b.id)
                      AS number,
                    b.recorded_at, b.actor, b.reason,
                    (SELECT COUNT(*) FROM baseline_dates d WHERE d.baseline_id = b.id) AS milestones
             FROM baselines b WHERE b.need_id = $1 AND b.recorded_at < $2
             ORDER BY b.id DESC",
        )
        .bind(need_id)
        .bind(before)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Fixes the due dates of all of a need's milestones today as its new plan, with the reason
    /// given; returns the baseline's number.
    pub async fn rebaseline(
        &self,
        need_id: i64,
        reason: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let mut turn = self.begin_write().await?;
        let id: i64 = db::query_scalar(
            "INSERT INTO baselines (need_id, recorded_at, actor, reason) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(need_id)
        .bind(now)
        .bind(&actor.name)
        .bind(reason)
        .fetch_one(turn.tx())
        .await
        .map_err(super::foreign_key_is_not_found)?;
        let held = db::query(
            "INSERT INTO baseline_dates (baseline_id, milestone_id, due)
             SELECT $1, m.id, m.due FROM milestones m JOIN subgoals s ON s.id = m.subgoal_id
             WHERE s.need_id = $2",
        )
        .bind(id)
        .bind(need_id)
        .execute(turn.tx())
        .await?
        .rows_affected();
        let number: i64 = db::query_scalar("SELECT COUNT(*) FROM baselines WHERE need_id = $1")
            .bind(need_id)
            .fetch_one(turn.tx())
            .await?;
        let entry = Entry {
            actor,
            action: "need.rebaselined",
            object_type: "need",
            object_id: Some(need_id.to_string()),
            subgoal_id: None,
            details: serde_json::json!({
                "baseline": number,
                "reason": reason,
                "milestones": held,
            }),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Need(need_id)).await?;
        Ok(number)
    }
}
