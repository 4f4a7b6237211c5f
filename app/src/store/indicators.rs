//! Indicators (KPIs) of sub-goals and their readings. Every change writes a dated revision
//! of the indicator in the same transaction, and readings are only ever added or marked
//! removed, so the state at any past moment can be rebuilt (`domain::history`).

use super::db::{self, Tx};
use super::{Reach, Store};
use crate::{
    audit::{self, Actor, Entry},
    domain::{
        Direction, Indicator, IndicatorData, Reading,
        history::{IndicatorRevision, KeptReading},
        indicator::{Point, ReadingData},
    },
    error::AppError,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};
use sqlx::FromRow;
use std::collections::HashMap;

/// The outcome of a change that names the version it was based on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Saved,
    /// Someone saved another version first: nothing was written.
    Stale,
}

#[derive(FromRow)]
struct IndicatorRow {
    id: i64,
    subgoal_id: i64,
    version: i64,
    #[sqlx(flatten)]
    data: DataColumns,
    measures_progress: bool,
}

/// An indicator's definition as `indicators` and `indicator_revisions` both store it.
#[derive(FromRow)]
struct DataColumns {
    name: String,
    unit: String,
    direction: String,
    baseline_value: f64,
    baseline_on: NaiveDate,
    target_value: f64,
    target_on: NaiveDate,
}

impl DataColumns {
    fn into_data(self) -> IndicatorData {
        IndicatorData {
            name: self.name,
            unit: self.unit,
            // The CHECK constraint admits only the two names.
            direction: Direction::parse(&self.direction).unwrap_or(Direction::Rising),
            baseline: Point {
                value: self.baseline_value,
                on: self.baseline_on,
            },
            target: Point {
                value: self.target_value,
                on: self.target_on,
            },
        }
    }
}

impl IndicatorRow {
    fn into_indicator(self, readings: Vec<Reading>) -> Indicator {
        Indicator {
            id: self.id,
            version: self.version,
            data: self.data.into_data(),
            measures_progress: self.measures_progress,
            readings,
        }
    }
}

#[derive(FromRow)]
struct ReadingRow {
    id: i64,
    indicator_id: i64,
    measured_on: NaiveDate,
    value: f64,
    note: Option<String>,
    recorded_at: DateTime<Utc>,
    removed_at: Option<DateTime<Utc>>,
}

impl ReadingRow {
    fn reading(&self) -> Reading {
        Reading {
            id: self.id,
            on: self.measured_on,
            value: self.value,
            note: self.note.clone(),
        }
    }
}

#[derive(FromRow)]
struct RevisionRow {
    indicator_id: i64,
    subgoal_id: i64,
    version: i64,
    recorded_at: DateTime<Utc>,
    change: String,
    #[sqlx(flatten)]
    data: DataColumns,
    measures_progress: bool,
}

const COLUMNS: &str = "id, subgoal_id, version, name, unit, direction, baseline_value, \
     baseline_on, target_value, target_on, measures_progress";

/// The sub-goals of one strategy, for `IN (...)`; `?1` is the strategy.
const SUBGOALS_OF_STRATEGY: &str = "SELECT g.id FROM subgoals g JOIN needs n ON n.id = g.need_id \
     JOIN fields f ON f.id = n.field_id WHERE f.strategy_id = $1";

/// Every indicator of a strategy with its current readings, by sub-goal.
pub(super) async fn of_strategy(
    conn: &mut Tx,
    strategy_id: i64,
) -> Result<HashMap<i64, Vec<Indicator>>, AppError> {
    let rows: Vec<IndicatorRow> = db::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM indicators WHERE subgoal_id IN ({SUBGOALS_OF_STRATEGY}) \
         ORDER BY subgoal_id, id"
    )))
    .bind(strategy_id)
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let readings: Vec<ReadingRow> = db::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, indicator_id, measured_on, value, note, recorded_at, removed_at
         FROM indicator_readings
         WHERE removed_at IS NULL AND indicator_id IN
               (SELECT id FROM indicators WHERE subgoal_id IN ({SUBGOALS_OF_STRATEGY}))
         ORDER BY indicator_id, measured_on, id"
    )))
    .bind(strategy_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut readings_of: HashMap<i64, Vec<Reading>> = HashMap::new();
    for row in &readings {
        readings_of
            .entry(row.indicator_id)
            .or_default()
            .push(row.reading());
    }
    let mut of_subgoal: HashMap<i64, Vec<Indicator>> = HashMap::new();
    for row in rows {
        let readings = readings_of.remove(&row.id).unwrap_or_default();
        of_subgoal
            .entry(row.subgoal_id)
            .or_default()
            .push(row.into_indicator(readings));
    }
    Ok(of_subgoal)
}

/// What was recorded of a strategy's indicators before `before` (see `history::moment_bound`):
/// each indicator's newest earlier revision, and the readings recorded earlier.
pub(super) async fn kept(
    conn: &mut Tx,
    strategy_id: i64,
    before: DateTime<Utc>,
) -> Result<(Vec<IndicatorRevision>, Vec<KeptReading>), AppError> {
    let revisions: Vec<RevisionRow> = db::query_as(sqlx::AssertSqlSafe(format!(
        "WITH latest AS (
             SELECT indicator_id, MAX(version) AS version FROM indicator_revisions
             WHERE recorded_at < $2 AND subgoal_id IN ({SUBGOALS_OF_STRATEGY})
             GROUP BY indicator_id)
         SELECT r.indicator_id, r.subgoal_id, r.version, r.recorded_at, r.change, r.name, r.unit,
                r.direction, r.baseline_value, r.baseline_on, r.target_value, r.target_on,
                r.measures_progress
         FROM latest JOIN indicator_revisions r
           ON r.indicator_id = latest.indicator_id AND r.version = latest.version"
    )))
    .bind(strategy_id)
    .bind(before)
    .fetch_all(&mut *conn)
    .await?;
    if revisions.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let readings: Vec<ReadingRow> = db::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, indicator_id, measured_on, value, note, recorded_at, removed_at
         FROM indicator_readings
         WHERE recorded_at < $2 AND indicator_id IN
               (SELECT indicator_id FROM indicator_revisions
                WHERE subgoal_id IN ({SUBGOALS_OF_STRATEGY}))"
    )))
    .bind(strategy_id)
    .bind(before)
    .fetch_all(&mut *conn)
    .await?;
    let revisions = revisions
        .into_iter()
        .map(|row| IndicatorRevision {
            indicator_id: row.indicator_id,
            subgoal_id: row.subgoal_id,
            version: row.version,
            recorded_at: row.recorded_at,
            deleted: row.change == "deleted",
            measures_progress: row.measures_progress,
            data: row.data.into_data(),
        })
        .collect();
    let readings = readings
        .into_iter()
        .map(|row| KeptReading {
            indicator_id: row.indicator_id,
            recorded_at: row.recorded_at,
            removed_at: row.removed_at,
            reading: row.reading(),
        })
        .collect();
    Ok((revisions, readings))
}

/// Writes the current state of an indicator as its newest revision.
async fn write_revision(
    conn: &mut Tx,
    id: i64,
    change: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    db::query(
        "INSERT INTO indicator_revisions
           (indicator_id, subgoal_id, version, recorded_at, change, name, unit, direction,
            baseline_value, baseline_on, target_value, target_on, measures_progress)
         SELECT id, subgoal_id, version, $1, $2, name, unit, direction,
                baseline_value, baseline_on, target_value, target_on, measures_progress
         FROM indicators WHERE id = $3",
    )
    .bind(now)
    .bind(change)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds an indicator (with its readings, from a document) to a sub-goal.
pub(super) async fn insert(
    conn: &mut Tx,
    subgoal_id: i64,
    indicator: &Indicator,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let data = &indicator.data;
    let id: i64 = db::query_scalar(
        "INSERT INTO indicators
           (subgoal_id, name, unit, direction, baseline_value, baseline_on, target_value,
            target_on, measures_progress, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)
         RETURNING id",
    )
    .bind(subgoal_id)
    .bind(&data.name)
    .bind(&data.unit)
    .bind(data.direction.as_str())
    .bind(data.baseline.value)
    .bind(data.baseline.on)
    .bind(data.target.value)
    .bind(data.target.on)
    .bind(indicator.measures_progress)
    .fetch_one(&mut *conn)
    .await
    .map_err(super::foreign_key_is_not_found)?;
    write_revision(conn, id, "created", now).await?;
    for reading in &indicator.readings {
        insert_reading(
            conn,
            id,
            reading.on,
            reading.value,
            reading.note.as_deref(),
            now,
        )
        .await?;
    }
    Ok(id)
}

async fn insert_reading(
    conn: &mut Tx,
    indicator_id: i64,
    on: NaiveDate,
    value: f64,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    Ok(db::query_scalar(
        "INSERT INTO indicator_readings (indicator_id, measured_on, value, note, recorded_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(indicator_id)
    .bind(on)
    .bind(value)
    .bind(note)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

async fn current(conn: &mut Tx, id: i64) -> Result<Option<(i64, Indicator)>, AppError> {
    let row: Option<IndicatorRow> = db::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM indicators WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|row| (row.subgoal_id, row.into_indicator(Vec::new()))))
}

/// An indicator's fields for the audit trail.
fn audited(data: Option<&IndicatorData>) -> Vec<(&'static str, Value)> {
    match data {
        None => ["name", "unit", "direction", "baseline", "target"]
            .map(|f| (f, Value::Null))
            .to_vec(),
        Some(d) => vec![
            ("name", json!(d.name)),
            ("unit", json!(d.unit)),
            ("direction", json!(d.direction)),
            ("baseline", json!([d.baseline.value, d.baseline.on])),
            ("target", json!([d.target.value, d.target.on])),
        ],
    }
}

fn indicator_changes(before: Option<&IndicatorData>, after: Option<&IndicatorData>) -> Value {
    let pairs: Vec<(&str, Value, Value)> = audited(before)
        .into_iter()
        .zip(audited(after))
        .map(|((field, old), (_, new))| (field, old, new))
        .collect();
    audit::changes(&pairs)
}

/// The audit entry of a change to an indicator (or its readings) of a sub-goal.
fn indicator_entry<'a>(
    actor: &'a Actor,
    action: &'static str,
    indicator_id: i64,
    subgoal_id: i64,
    details: Value,
) -> Entry<'a> {
    Entry {
        actor,
        action,
        object_type: "indicator",
        object_id: Some(indicator_id.to_string()),
        subgoal_id: Some(subgoal_id),
        details,
    }
}

impl Store {
    /// An indicator as stored now, with its sub-goal (readings not loaded).
    pub async fn indicator(&self, id: i64) -> Result<Option<(i64, Indicator)>, AppError> {
        let mut conn = self.pool.read().await?;
        current(&mut conn, id).await
    }

    /// The sub-goal an indicator belongs or belonged to (also once deleted).
    pub async fn subgoal_of_indicator(&self, id: i64) -> Result<Option<i64>, AppError> {
        Ok(db::query_scalar(
            "SELECT subgoal_id FROM indicator_revisions WHERE indicator_id = $1 LIMIT 1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The indicator a reading belongs to, and that indicator's sub-goal; `None` for a reading
    /// that does not exist or was removed.
    pub async fn reading_owner(&self, reading_id: i64) -> Result<Option<(i64, i64)>, AppError> {
        Ok(db::query_as(
            "SELECT i.id, i.subgoal_id FROM indicator_readings r
             JOIN indicators i ON i.id = r.indicator_id
             WHERE r.id = $1 AND r.removed_at IS NULL",
        )
        .bind(reading_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn add_indicator(
        &self,
        subgoal_id: i64,
        data: &IndicatorData,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let mut turn = self.begin_write().await?;
        let indicator = Indicator {
            id: 0,
            version: 1,
            data: data.clone(),
            measures_progress: false,
            readings: Vec::new(),
        };
        let id = insert(turn.tx(), subgoal_id, &indicator, now).await?;
        let details = indicator_changes(None, Some(data));
        let entry = indicator_entry(actor, "indicator.created", id, subgoal_id, details);
        audit::append(turn.tx(), entry, now).await?;
        super::reporting::note_change(turn.tx(), subgoal_id, actor, now).await?;
        let need = super::need_of(turn.tx(), subgoal_id).await?;
        turn.commit(Reach::Need(need)).await?;
        Ok(id)
    }

    /// Replaces an indicator's definition, if it is still at `version`.
    pub async fn update_indicator(
        &self,
        id: i64,
        version: i64,
        data: &IndicatorData,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<Outcome, AppError> {
        let mut turn = self.begin_write().await?;
        let (subgoal_id, stored) = current(turn.tx(), id).await?.ok_or(AppError::NotFound)?;
        if stored.version != version {
            return Ok(Outcome::Stale);
        }
        // The version condition holds by itself, whoever else writes (the check above only
        // tells the common case early).
        let updated = db::query(
            "UPDATE indicators
             SET name = $1, unit = $2, direction = $3, baseline_value = $4, baseline_on = $5,
                 target_value = $6, target_on = $7, version = version + 1
             WHERE id = $8 AND version = $9",
        )
        .bind(&data.name)
        .bind(&data.unit)
        .bind(data.direction.as_str())
        .bind(data.baseline.value)
        .bind(data.baseline.on)
        .bind(data.target.value)
        .bind(data.target.on)
        .bind(id)
        .bind(version)
        .execute(turn.tx())
        .await?;
        if updated.rows_affected() != 1 {
            return Ok(Outcome::Stale);
        }
        write_revision(turn.tx(), id, "updated", now).await?;
        let details = indicator_changes(Some(&stored.data), Some(data));
        let entry = indicator_entry(actor, "indicator.updated", id, subgoal_id, details);
        audit::append(turn.tx(), entry, now).await?;
        super::reporting::note_change(turn.tx(), subgoal_id, actor, now).await?;
        let need = super::need_of(turn.tx(), subgoal_id).await?;
        turn.commit(Reach::Need(need)).await?;
        Ok(Outcome::Saved)
    }

    /// Deletes an indicator, if it is still at `version`. Its revisions and readings stay; if
    /// it measured its sub-goal's progress, the milestones do again.
    pub async fn delete_indicator(
        &self,
        id: i64,
        version: i64,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<Outcome, AppError> {
        let mut turn = self.begin_write().await?;
        let (subgoal_id, stored) = current(turn.tx(), id).await?.ok_or(AppError::NotFound)?;
        if stored.version != version {
            return Ok(Outcome::Stale);
        }
        let updated =
            db::query("UPDATE indicators SET version = version + 1 WHERE id = $1 AND version = $2")
                .bind(id)
                .bind(version)
                .execute(turn.tx())
                .await?;
        if updated.rows_affected() != 1 {
            return Ok(Outcome::Stale);
        }
        write_revision(turn.tx(), id, "deleted", now).await?;
        db::query("DELETE FROM indicators WHERE id = $1")
            .bind(id)
            .execute(turn.tx())
            .await?;
        let details = indicator_changes(Some(&stored.data), None);
        let entry = indicator_entry(actor, "indicator.deleted", id, subgoal_id, details);
        audit::append(turn.tx(), entry, now).await?;
        super::reporting::note_change(turn.tx(), subgoal_id, actor, now).await?;
        let need = super::need_of(turn.tx(), subgoal_id).await?;
        turn.commit(Reach::Need(need)).await?;
        Ok(Outcome::Saved)
    }

    /// Records a reading of an indicator; answers its id.
    pub async fn record_reading(
        &self,
        indicator_id: i64,
        reading: &ReadingData,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let mut turn = self.begin_write().await?;
        let (subgoal_id, _) = current(turn.tx(), indicator_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let id = insert_reading(
            turn.tx(),
            indicator_id,
            reading.on,
            reading.value,
            reading.note.as_deref(),
            now,
        )
        .await?;
        let details = json!({
            "reading": id,
            "on": reading.on,
            "value": reading.value,
            "note": reading.note,
        });
        let entry = indicator_entry(
            actor,
            "indicator.reading_recorded",
            indicator_id,
            subgoal_id,
            details,
        );
        audit::append(turn.tx(), entry, now).await?;
        super::reporting::note_change(turn.tx(), subgoal_id, actor, now).await?;
        let need = super::need_of(turn.tx(), subgoal_id).await?;
        turn.commit(Reach::Need(need)).await?;
        Ok(id)
    }

    /// Removes a reading from view; it stays on record with the moment of its removal.
    pub async fn remove_reading(
        &self,
        reading_id: i64,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let row: Option<(i64, i64, NaiveDate, f64)> = db::query_as(
            "SELECT i.id, i.subgoal_id, r.measured_on, r.value FROM indicator_readings r
             JOIN indicators i ON i.id = r.indicator_id
             WHERE r.id = $1 AND r.removed_at IS NULL",
        )
        .bind(reading_id)
        .fetch_optional(turn.tx())
        .await?;
        let (indicator_id, subgoal_id, on, value) = row.ok_or(AppError::NotFound)?;
        db::query("UPDATE indicator_readings SET removed_at = $1 WHERE id = $2")
            .bind(now)
            .bind(reading_id)
            .execute(turn.tx())
            .await?;
        let details = json!({ "reading": reading_id, "on": on, "value": value });
        let entry = indicator_entry(
            actor,
            "indicator.reading_removed",
            indicator_id,
            subgoal_id,
            details,
        );
        audit::append(turn.tx(), entry, now).await?;
        super::reporting::note_change(turn.tx(), subgoal_id, actor, now).await?;
        let need = super::need_of(turn.tx(), subgoal_id).await?;
        turn.commit(Reach::Need(need)).await?;
        Ok(())
    }

    /// Chooses what measures a sub-goal's progress: one of its indicators, or (`None`) its
    /// milestones. Each indicator whose role changes gets a new revision.
    pub async fn set_progress_method(
        &self,
        subgoal_id: i64,
        indicator_id: Option<i64>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let exists: Option<i64> = db::query_scalar("SELECT id FROM subgoals WHERE id = $1")
            .bind(subgoal_id)
            .fetch_optional(turn.tx())
            .await?;
        exists.ok_or(AppError::NotFound)?;
        let indicators: Vec<(i64, bool)> = db::query_as(
            "SELECT id, measures_progress FROM indicators WHERE subgoal_id = $1 ORDER BY id",
        )
        .bind(subgoal_id)
        .fetch_all(turn.tx())
        .await?;
        if let Some(chosen) = indicator_id
            && !indicators.iter().any(|(id, _)| *id == chosen)
        {
            return Err(AppError::NotFound);
        }
        let before = indicators.iter().find(|(_, m)| *m).map(|(id, _)| *id);
        if before == indicator_id {
            return Ok(());
        }
        // The old one first: at most one indicator of a sub-goal measures its progress.
        for (id, measures) in [(before, false), (indicator_id, true)] {
            let Some(id) = id else { continue };
            db::query(
                "UPDATE indicators SET measures_progress = $1, version = version + 1 WHERE id = $2",
            )
            .bind(measures)
            .bind(id)
            .execute(turn.tx())
            .await?;
            write_revision(turn.tx(), id, "updated", now).await?;
        }
        let method = |id: Option<i64>| match id {
            Some(id) => json!({ "indicator": id }),
            None => json!("milestones"),
        };
        let entry = Entry {
            actor,
            action: "subgoal.progress_method",
            object_type: "subgoal",
            object_id: Some(subgoal_id.to_string()),
            subgoal_id: Some(subgoal_id),
            details: audit::changes(&[("progress_by", method(before), method(indicator_id))]),
        };
        audit::append(turn.tx(), entry, now).await?;
        super::reporting::note_change(turn.tx(), subgoal_id, actor, now).await?;
        let need = super::need_of(turn.tx(), subgoal_id).await?;
        turn.commit(Reach::Need(need)).await?;
        Ok(())
    }
}
