//! The kept history: a revision of a field, need or sub-goal written with each change, and the
//! strategy rebuilt as it was shown at a past moment (the rule is `domain::history`).

use super::Store;
use super::db::{self, Tx};
use crate::{
    domain::{
        MilestoneData, Status, Strategy,
        history::{self, Fixed, MilestoneRevision, NodeKind, NodeRevision},
    },
    error::AppError,
};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use sqlx::FromRow;
use std::{collections::HashMap, sync::Arc};

/// Writes the current state of a field, need or sub-goal as its newest revision; called in the
/// transaction of every change to it.
pub(super) async fn record_node(
    conn: &mut Tx,
    kind: NodeKind,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let sql = match kind {
        NodeKind::Field => {
            "INSERT INTO structure_revisions
               (kind, object_id, parent_id, position, recorded_at, title, detail, weight, archived)
             SELECT 'field', id, strategy_id, position, $1, title, goal, NULL,
                    archived_at IS NOT NULL
             FROM fields WHERE id = $2"
        }
        NodeKind::Need => {
            "INSERT INTO structure_revisions
               (kind, object_id, parent_id, position, recorded_at, title, detail, weight, archived)
             SELECT 'need', id, field_id, position, $1, title, NULL, NULL,
                    archived_at IS NOT NULL
             FROM needs WHERE id = $2"
        }
        NodeKind::SubGoal => {
            "INSERT INTO structure_revisions
               (kind, object_id, parent_id, position, recorded_at, title, detail, weight, archived)
             SELECT 'subgoal', id, need_id, position, $1, title, owner, weight,
                    archived_at IS NOT NULL
             FROM subgoals WHERE id = $2"
        }
    };
    db::query(sql).bind(now).bind(id).execute(conn).await?;
    Ok(())
}

/// The bound "recorded before `moment`" is compared with, to the whole second. PostgreSQL
/// compares timestamps. SQLite stores them as RFC 3339 text in UTC, with or without fractions
/// of a second and as `Z` or `+00:00`; the bound, a whole second bound as
/// `YYYY-MM-DDTHH:MM:SS+00:00`, sorts as text before every time at or after it (those continue
/// with `+`, `.` or `Z` at that second, or are greater before), so text order is time order.
pub(super) fn moment_bound(moment: DateTime<Utc>) -> DateTime<Utc> {
    moment.trunc_subsecs(0)
}

/// Later than any recorded moment, on both engines (a four-digit year, so SQLite's text
/// order holds too).
pub(super) fn never() -> DateTime<Utc> {
    DateTime::from_timestamp(253_402_300_799, 0).unwrap_or_default()
}

#[derive(FromRow)]
struct NodeRow {
    seq: i64,
    kind: String,
    object_id: i64,
    parent_id: i64,
    position: i64,
    recorded_at: DateTime<Utc>,
    title: String,
    detail: Option<String>,
    weight: Option<f64>,
    archived: bool,
}

#[derive(FromRow)]
struct RevisionRow {
    milestone_id: i64,
    subgoal_id: i64,
    version: i64,
    recorded_at: DateTime<Utc>,
    change: String,
    example: bool,
    title: String,
    due: NaiveDate,
    status: String,
    done_on: Option<NaiveDate>,
    weight: f64,
    note: Option<String>,
}

impl Store {
    /// The strategy today (`None`: the tree kept in memory) or as shown just before `moment`.
    pub async fn strategy_at(
        &self,
        id: i64,
        moment: Option<DateTime<Utc>>,
    ) -> Result<Option<Arc<Strategy>>, AppError> {
        match moment {
            None => self.strategy(id).await,
            Some(moment) => Ok(self.strategy_as_of(id, moment).await?.map(Arc::new)),
        }
    }

    /// The strategy as Meilenstein showed it just before `moment`; `None` if there is no such
    /// strategy (today). Before its first record it has no fields.
    pub async fn strategy_as_of(
        &self,
        id: i64,
        moment: DateTime<Utc>,
    ) -> Result<Option<Strategy>, AppError> {
        Ok(self
            .stored_as_of(id, moment)
            .await?
            .map(Strategy::without_archived))
    }

    /// The strategy with its archived parts, marked, as it stood just before `moment`
    /// (`None`: now): what its document and workbook hold.
    pub async fn strategy_with_archived(
        &self,
        id: i64,
        moment: Option<DateTime<Utc>>,
    ) -> Result<Option<Strategy>, AppError> {
        match moment {
            None => self.load_strategy(id).await,
            Some(moment) => self.stored_as_of(id, moment).await,
        }
    }

    /// The strategy just before `moment`, its parts archived then included and marked.
    async fn stored_as_of(
        &self,
        id: i64,
        moment: DateTime<Utc>,
    ) -> Result<Option<Strategy>, AppError> {
        // Moments are compared to the whole second (see `moment_bound`).
        let moment = moment.trunc_subsecs(0);
        // One read transaction: the structure and the milestones from the same snapshot.
        let mut tx = self.pool.read().await?;
        let conn: &mut Tx = &mut tx;
        let Some(header) = db::query_as::<super::strategies::HeaderRow>(
            "SELECT id, title, city, period_from, period_to, description FROM strategies
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        else {
            return Ok(None);
        };
        let foundations: Vec<(i64, String)> = db::query_as(
            "SELECT ff.field_id, ff.title FROM field_foundations ff
             JOIN fields f ON f.id = ff.field_id
             WHERE f.strategy_id = $1 ORDER BY ff.field_id, ff.position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let mut builds_on: HashMap<i64, Vec<String>> = HashMap::new();
        for (field, item) in foundations {
            builds_on.entry(field).or_default().push(item);
        }
        let before = moment_bound(moment);
        let nodes: Vec<NodeRow> = db::query_as(
            "SELECT r.id AS seq, r.kind, r.object_id, r.parent_id, r.position, r.recorded_at,
                    r.title, r.detail, r.weight, r.archived
             FROM structure_revisions r
             WHERE r.recorded_at < $2 AND (
                   (r.kind = 'field' AND r.parent_id = $1)
                OR (r.kind = 'need' AND r.parent_id IN
                       (SELECT id FROM fields WHERE strategy_id = $1))
                OR (r.kind = 'subgoal' AND r.parent_id IN
                       (SELECT n.id FROM needs n JOIN fields f ON f.id = n.field_id
                        WHERE f.strategy_id = $1)))",
        )
        .bind(id)
        .bind(before)
        .fetch_all(&mut *conn)
        .await?;
        // Only each milestone's newest earlier revision is needed: found from the covering
        // index `milestone_revisions_as_of`, then only those rows are read.
        let revisions: Vec<RevisionRow> = db::query_as(
            "WITH latest AS (
                 SELECT milestone_id, MAX(version) AS version FROM milestone_revisions
                 WHERE recorded_at < $2 AND subgoal_id IN
                       (SELECT g.id FROM subgoals g JOIN needs n ON n.id = g.need_id
                        JOIN fields f ON f.id = n.field_id WHERE f.strategy_id = $1)
                 GROUP BY milestone_id)
             SELECT r.milestone_id, r.subgoal_id, r.version, r.recorded_at, r.change, r.example,
                    r.title, r.due, r.status, r.done_on, r.weight, r.note
             FROM latest JOIN milestone_revisions r
               ON r.milestone_id = latest.milestone_id AND r.version = latest.version",
        )
        .bind(id)
        .bind(before)
        .fetch_all(&mut *conn)
        .await?;

        let nodes: Vec<NodeRevision> = nodes
            .into_iter()
            .filter_map(|row| {
                Some(NodeRevision {
                    seq: row.seq,
                    kind: NodeKind::parse(&row.kind)?,
                    id: row.object_id,
                    parent_id: row.parent_id,
                    position: row.position,
                    recorded_at: row.recorded_at,
                    title: row.title,
                    detail: row.detail,
                    weight: row.weight,
                    archived: row.archived,
                })
            })
            .collect();
        let milestones: Vec<MilestoneRevision> = revisions
            .into_iter()
            .map(|row| MilestoneRevision {
                milestone_id: row.milestone_id,
                subgoal_id: row.subgoal_id,
                version: row.version,
                recorded_at: row.recorded_at,
                deleted: row.change == "deleted",
                example: row.example,
                data: MilestoneData {
                    title: row.title,
                    due: row.due,
                    // Revisions copy a milestone's checked status.
                    status: Status::parse(&row.status).unwrap_or(Status::Planned),
                    done_on: row.done_on,
                    weight: row.weight,
                    note: row.note,
                },
            })
            .collect();
        let (indicators, readings) = super::indicators::kept(conn, id, before).await?;
        let fixed = Fixed {
            id,
            about: header.about(),
            title: header.title,
            builds_on,
        };
        let mut strategy = history::as_of(&fixed, &nodes, &milestones, moment);
        history::attach_indicators(
            &mut strategy,
            history::indicators_as_of(&indicators, &readings, moment),
        );
        Ok(Some(strategy))
    }

    /// Each need's progress as shown just before `moment`, a moment in the past. Kept in
    /// memory once computed: revisions are only ever appended with the time of their
    /// recording, so what was shown at a past moment never changes.
    pub async fn need_progress_at(
        &self,
        id: i64,
        moment: DateTime<Utc>,
    ) -> Result<super::PastProgress, AppError> {
        let moment = moment.trunc_subsecs(0);
        let cached = |store: &Store| {
            store
                .past_progress
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(&(id, moment))
                .cloned()
        };
        if let Some(progress) = cached(self) {
            return Ok(progress);
        }
        let _computing = self.computing.lock().await;
        if let Some(progress) = cached(self) {
            return Ok(progress);
        }
        let strategy = self.strategy_as_of(id, moment).await?;
        let progress: super::PastProgress = Arc::new(
            strategy
                .iter()
                .flat_map(|s| &s.fields)
                .flat_map(|f| &f.needs)
                .map(|n| (n.id, crate::domain::progress::of_need(n)))
                .collect(),
        );
        if moment <= Utc::now() {
            self.past_progress
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert((id, moment), progress.clone());
        }
        Ok(progress)
    }

    /// When the first part of this strategy's structure was recorded: no past view before it
    /// shows anything.
    pub async fn history_start(&self, id: i64) -> Result<Option<DateTime<Utc>>, AppError> {
        Ok(db::query_scalar(
            "SELECT MIN(recorded_at) FROM structure_revisions WHERE kind = 'field' AND parent_id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?)
    }
}

#[cfg(test)]
mod tests;
