//! Status reports and the reporting rhythm (see `domain::rhythm`): a change to a sub-goal's
//! milestones or indicators by a signed-in account is a report, noted in the change's own
//! transaction; so is a confirmation that nothing changed. Kept one row per sub-goal, day and
//! kind (the audit trail has every change and every note).

use super::db::{self, Tx};
use super::{Reach, Store};
use crate::{
    audit::{self, Actor, Entry},
    domain::rhythm::{self, DEFAULT_GRACE_DAYS, LastReport, Rhythm, Standing},
    error::AppError,
};
use chrono::{DateTime, Local, NaiveDate, Utc};
use serde_json::json;
use std::collections::HashMap;

/// The grace days after a period's end (a whole number, see `validation::grace_days`).
pub const REPORT_GRACE_DAYS: &str = "report_grace_days";

/// How far back the days of reports are read one by one; of older reports only each
/// sub-goal's latest counts (the rhythm looks back no further than the latest report).
const DAYS_READ: u64 = 400;

/// What the rhythm of one sub-goal is judged from.
#[derive(Clone, Debug, PartialEq)]
pub struct Reporting {
    pub rhythm: Rhythm,
    /// The day the sub-goal was created: periods before it ask for no report.
    pub since: NaiveDate,
    /// The days reports were made on, earliest first (see [`DAYS_READ`]).
    pub days: Vec<NaiveDate>,
    pub last: Option<LastReport>,
}

impl Reporting {
    /// Where the sub-goal stands with its reports on `today`.
    pub fn standing(&self, grace: u32, today: NaiveDate) -> Standing {
        rhythm::standing(self.rhythm, grace, self.since, &self.days, today)
    }
}

/// The city's date of a moment (the server's time zone).
fn city_day(moment: DateTime<Utc>) -> NaiveDate {
    moment.with_timezone(&Local).date_naive()
}

/// Notes a change to `subgoal_id` as its report, in the change's transaction, when a signed-in
/// account made it (an import or the shell reports for nobody).
pub(super) async fn note_change(
    conn: &mut Tx,
    subgoal_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if let Some(statement) = change_noted(subgoal_id, actor, now) {
        statement.execute(conn).await?;
    }
    Ok(())
}

/// The statement of [`note_change`], for a batch; none for a change that reports for nobody.
pub(super) fn change_noted(
    subgoal_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Option<db::Query> {
    let user_id = actor.id?;
    Some(
        db::query(
            "INSERT INTO status_reports (subgoal_id, day, kind, at, user_id)
             VALUES ($1, $2, 'change', $3, $4)
             ON CONFLICT (subgoal_id, day, kind)
             DO UPDATE SET at = excluded.at, user_id = excluded.user_id",
        )
        .bind(subgoal_id)
        .bind(city_day(now))
        .bind(now)
        .bind(user_id),
    )
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    subgoal_id: i64,
    day: NaiveDate,
    kind: String,
    note: Option<String>,
    by: Option<String>,
}

impl Store {
    /// Confirms that a sub-goal's state is current ("Stand bestätigen"): its report for the
    /// period, with an optional note (checked by the caller).
    pub async fn confirm_subgoal(
        &self,
        subgoal_id: i64,
        note: Option<&str>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let need: Option<i64> = db::query_scalar("SELECT need_id FROM subgoals WHERE id = $1")
            .bind(subgoal_id)
            .fetch_optional(turn.tx())
            .await?;
        let need = need.ok_or(AppError::NotFound)?;
        db::query(
            "INSERT INTO status_reports (subgoal_id, day, kind, at, user_id, note)
             VALUES ($1, $2, 'confirmation', $3, $4, $5)
             ON CONFLICT (subgoal_id, day, kind)
             DO UPDATE SET at = excluded.at, user_id = excluded.user_id, note = excluded.note",
        )
        .bind(subgoal_id)
        .bind(city_day(now))
        .bind(now)
        .bind(actor.id)
        .bind(note)
        .execute(turn.tx())
        .await?;
        let entry = Entry {
            actor,
            action: "subgoal.confirmed",
            object_type: "subgoal",
            object_id: Some(subgoal_id.to_string()),
            subgoal_id: Some(subgoal_id),
            details: json!({ "note": note }),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Need(need)).await
    }

    /// The demo's history as its departments' reports: each day a milestone changed after the
    /// plan was made counts as a report by the sub-goal's first owner account.
    pub(super) async fn note_demo_reports(&self) -> Result<(), AppError> {
        let changes: Vec<(i64, DateTime<Utc>, Option<i64>)> = db::query_as(
            "SELECT r.subgoal_id, r.recorded_at,
                    (SELECT MIN(o.user_id) FROM subgoal_owners o WHERE o.subgoal_id = r.subgoal_id)
             FROM milestone_revisions r WHERE r.change = 'updated'",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut turn = self.begin_write().await?;
        for (subgoal_id, at, user_id) in changes {
            db::query(
                "INSERT INTO status_reports (subgoal_id, day, kind, at, user_id)
                 VALUES ($1, $2, 'change', $3, $4)
                 ON CONFLICT (subgoal_id, day, kind) DO NOTHING",
            )
            .bind(subgoal_id)
            .bind(city_day(at))
            .bind(at)
            .bind(user_id)
            .execute(turn.tx())
            .await?;
        }
        turn.commit(Reach::Everything).await
    }

    /// Sets how often a sub-goal is reported on (admins).
    pub async fn set_rhythm(
        &self,
        subgoal_id: i64,
        rhythm: Rhythm,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let before: Option<String> = db::query_scalar("SELECT rhythm FROM subgoals WHERE id = $1")
            .bind(subgoal_id)
            .fetch_optional(turn.tx())
            .await?;
        let before = before.ok_or(AppError::NotFound)?;
        if before == rhythm.as_str() {
            return Ok(());
        }
        db::query("UPDATE subgoals SET rhythm = $1 WHERE id = $2")
            .bind(rhythm.as_str())
            .bind(subgoal_id)
            .execute(turn.tx())
            .await?;
        let need = super::need_of(turn.tx(), subgoal_id).await?;
        let entry = Entry {
            actor,
            action: "subgoal.rhythm",
            object_type: "subgoal",
            object_id: Some(subgoal_id.to_string()),
            subgoal_id: Some(subgoal_id),
            details: audit::changes(&[("rhythm", json!(before), json!(rhythm.as_str()))]),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Need(need)).await
    }

    /// The grace days after a period's end, as set (checked when set), else the default.
    pub async fn grace_days(&self) -> Result<u32, AppError> {
        self.number_setting(REPORT_GRACE_DAYS, DEFAULT_GRACE_DAYS)
            .await
    }

    /// Every sub-goal's rhythm, creation day and reports, by sub-goal id, for judging its
    /// standing on `today`. Reports after `today` (a clock fixed for a demonstration) count as
    /// made on it.
    pub async fn reporting(&self, today: NaiveDate) -> Result<HashMap<i64, Reporting>, AppError> {
        self.reporting_of(None, today).await
    }

    /// The same for one sub-goal.
    pub async fn subgoal_reporting(
        &self,
        subgoal_id: i64,
        today: NaiveDate,
    ) -> Result<Option<Reporting>, AppError> {
        Ok(self
            .reporting_of(Some(subgoal_id), today)
            .await?
            .remove(&subgoal_id))
    }

    async fn reporting_of(
        &self,
        only: Option<i64>,
        today: NaiveDate,
    ) -> Result<HashMap<i64, Reporting>, AppError> {
        let mut conn = self.pool.read().await?;
        let rhythms: Vec<(i64, String)> =
            db::query_as("SELECT id, rhythm FROM subgoals WHERE $1 IS NULL OR id = $1")
                .bind(only)
                .fetch_all(&mut conn)
                .await?;
        let created: Vec<(i64, DateTime<Utc>)> = db::query_as(
            "SELECT object_id, MIN(recorded_at) FROM structure_revisions
             WHERE kind = 'subgoal' AND ($1 IS NULL OR object_id = $1) GROUP BY object_id",
        )
        .bind(only)
        .fetch_all(&mut conn)
        .await?;
        let created: HashMap<i64, NaiveDate> = created
            .into_iter()
            .map(|(id, at)| (id, city_day(at).min(today)))
            .collect();
        let cutoff = today
            .checked_sub_days(chrono::Days::new(DAYS_READ))
            .unwrap_or(today);
        // The recent reports, and each sub-goal's latest older one; in order within each.
        let mut rows: Vec<ReportRow> = db::query_as(
            "SELECT r.subgoal_id, r.day, r.kind, r.note, u.display_name AS by
             FROM status_reports r LEFT JOIN users u ON u.id = r.user_id
             WHERE r.day = (SELECT MAX(o.day) FROM status_reports o
                            WHERE o.subgoal_id = r.subgoal_id AND o.day < $1)
               AND ($2 IS NULL OR r.subgoal_id = $2)
             ORDER BY r.subgoal_id, r.day, r.at",
        )
        .bind(cutoff)
        .bind(only)
        .fetch_all(&mut conn)
        .await?;
        let recent: Vec<ReportRow> = db::query_as(
            "SELECT r.subgoal_id, r.day, r.kind, r.note, u.display_name AS by
             FROM status_reports r LEFT JOIN users u ON u.id = r.user_id
             WHERE r.day >= $1 AND ($2 IS NULL OR r.subgoal_id = $2)
             ORDER BY r.subgoal_id, r.day, r.at",
        )
        .bind(cutoff)
        .bind(only)
        .fetch_all(&mut conn)
        .await?;
        rows.extend(recent);
        let mut reporting: HashMap<i64, Reporting> = rhythms
            .into_iter()
            .map(|(id, rhythm)| {
                let since = created.get(&id).copied().unwrap_or(today);
                let rhythm = Rhythm::parse(&rhythm).unwrap_or_default();
                let entry = Reporting {
                    rhythm,
                    since,
                    days: Vec::new(),
                    last: None,
                };
                (id, entry)
            })
            .collect();
        for row in rows {
            let Some(entry) = reporting.get_mut(&row.subgoal_id) else {
                continue;
            };
            let day = row.day.min(today);
            if entry.days.last() != Some(&day) {
                entry.days.push(day);
            }
            let newer = entry.last.as_ref().is_none_or(|last| last.day <= day);
            if newer {
                entry.last = Some(LastReport {
                    day,
                    confirmation: row.kind == "confirmation",
                    by: row.by,
                    note: row.note,
                });
            }
        }
        for entry in reporting.values_mut() {
            entry.days.sort();
            entry.days.dedup();
        }
        Ok(reporting)
    }
}
