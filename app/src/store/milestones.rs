//! Recording and changing milestones. A save names the version it was based on; if the stored
//! milestone has moved on meanwhile, nothing is written and the current state is returned.

use super::db::{self, Batch, Tx};
use super::turn::PatchFn;
use super::{Reach, Store, strategies::MilestoneRow};
use crate::{
    audit::{self, Actor, Entry},
    domain::{Milestone, MilestoneData},
    error::AppError,
};
use chrono::{DateTime, Utc};

/// The outcome of a change that names the version it was based on.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Written; the milestone as it is now (as it was, for a deletion).
    Saved(Milestone),
    /// Someone saved another version first: nothing was written. The milestone as it is now.
    Conflict(Milestone),
}

const SELECT_MILESTONE: &str = "SELECT id, subgoal_id, title, due, status, done_on, weight, note, \
     example, version FROM milestones WHERE id = $1";

/// Appends a new milestone at the end of its sub-goal's list, with its first revision.
pub(super) async fn insert(
    tx: &mut Tx,
    subgoal_id: i64,
    data: &MilestoneData,
    example: bool,
    now: DateTime<Utc>,
) -> Result<Milestone, AppError> {
    let id = inserted(subgoal_id, data, example)
        .fetch_one(&mut *tx)
        .await
        .map_err(super::foreign_key_is_not_found)?;
    let milestone = Milestone {
        id,
        version: 1,
        example,
        data: data.clone(),
    };
    write_revision(tx, subgoal_id, &milestone, "created", now).await?;
    Ok(milestone)
}

/// The statement that appends a milestone at the end of its sub-goal's list, answering its id.
fn inserted(subgoal_id: i64, data: &MilestoneData, example: bool) -> db::QueryScalar<i64> {
    db::query_scalar(
        "INSERT INTO milestones
           (subgoal_id, position, title, due, status, done_on, weight, note, example, version)
         VALUES ($1,
           (SELECT COALESCE(MAX(position) + 1, 0) FROM milestones WHERE subgoal_id = $1),
           $2, $3, $4, $5, $6, $7, $8, 1)
         RETURNING id",
    )
    .bind(subgoal_id)
    .bind(&data.title)
    .bind(data.due)
    .bind(data.status.as_str())
    .bind(data.done_on)
    .bind(data.weight)
    .bind(&data.note)
    .bind(example)
}

/// Replaces a milestone's content if it is still at `version` (and counts the version up);
/// false when it is not (changed meanwhile, or gone).
pub(super) async fn write_update(
    tx: &mut Tx,
    id: i64,
    version: i64,
    data: &MilestoneData,
) -> Result<bool, AppError> {
    let updated = updated(id, version, data).execute(tx).await?;
    Ok(updated.rows_affected() == 1)
}

/// The statement of [`write_update`]: it changes one row, or none if the milestone is not at
/// `version`.
fn updated(id: i64, version: i64, data: &MilestoneData) -> db::Query {
    db::query(
        "UPDATE milestones
         SET title = $1, due = $2, status = $3, done_on = $4, weight = $5, note = $6,
             version = version + 1
         WHERE id = $7 AND version = $8",
    )
    .bind(&data.title)
    .bind(data.due)
    .bind(data.status.as_str())
    .bind(data.done_on)
    .bind(data.weight)
    .bind(&data.note)
    .bind(id)
    .bind(version)
}

pub(super) async fn write_revision(
    tx: &mut Tx,
    subgoal_id: i64,
    milestone: &Milestone,
    change: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    revision(subgoal_id, milestone, change, now)
        .execute(tx)
        .await?;
    Ok(())
}

/// The statement that writes a milestone's revision as it is now (`change`: created,
/// updated, deleted).
fn revision(subgoal_id: i64, milestone: &Milestone, change: &str, now: DateTime<Utc>) -> db::Query {
    let data = &milestone.data;
    db::query(
        "INSERT INTO milestone_revisions
           (milestone_id, subgoal_id, version, recorded_at, change,
            title, due, status, done_on, weight, note, example)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(milestone.id)
    .bind(subgoal_id)
    .bind(milestone.version)
    .bind(now)
    .bind(change)
    .bind(&data.title)
    .bind(data.due)
    .bind(data.status.as_str())
    .bind(data.done_on)
    .bind(data.weight)
    .bind(&data.note)
    .bind(milestone.example)
}

pub(super) async fn current(conn: &mut Tx, id: i64) -> Result<Option<(i64, Milestone)>, AppError> {
    let row: Option<MilestoneRow> = db::query_as(SELECT_MILESTONE)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|row| (row.subgoal_id, row.into_milestone())))
}

/// The need a sub-goal belongs to.
fn need_of(subgoal_id: i64) -> db::QueryScalar<i64> {
    db::query_scalar("SELECT need_id FROM subgoals WHERE id = $1").bind(subgoal_id)
}

/// A milestone as stored, with the need its sub-goal belongs to.
#[derive(sqlx::FromRow)]
struct StoredRow {
    #[sqlx(flatten)]
    milestone: MilestoneRow,
    need_id: i64,
}

/// The statement that reads a milestone as stored, with its need.
fn stored(id: i64) -> db::QueryAs<StoredRow> {
    db::query_as(
        "SELECT m.id, m.subgoal_id, m.title, m.due, m.status, m.done_on, m.weight, m.note,
                m.example, m.version, s.need_id
         FROM milestones m JOIN subgoals s ON s.id = m.subgoal_id
         WHERE m.id = $1",
    )
    .bind(id)
}

impl Store {
    pub async fn milestone(&self, id: i64) -> Result<Option<(i64, Milestone)>, AppError> {
        let mut conn = self.pool.read().await?;
        current(&mut conn, id).await
    }

    /// Records a new milestone for a sub-goal, in two batches (round trips on SQLite, see
    /// [`Batch`]): what is read and the milestone itself (its id is in its audit entry), then
    /// its revision, audit entry and report with the commit.
    pub async fn record_milestone(
        &self,
        subgoal_id: i64,
        data: &MilestoneData,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<Milestone, AppError> {
        let mut first = Batch::new();
        let (mut turn, before) = self.begin_batched_write(&mut first).await?;
        let head = first.push(audit::head());
        let need = first.push(need_of(subgoal_id));
        let id = first.push(inserted(subgoal_id, data, false));
        let read = first
            .run(turn.tx())
            .await
            .map_err(super::foreign_key_is_not_found)?;
        turn.began(&read, before)?;
        let milestone = Milestone {
            id: read.scalar(id)?,
            version: 1,
            example: false,
            data: data.clone(),
        };
        let entry = Entry {
            actor,
            action: "milestone.created",
            object_type: "milestone",
            object_id: Some(milestone.id.to_string()),
            subgoal_id: Some(subgoal_id),
            details: audit::milestone_changes(None, Some(data)),
        };
        let mut last = Batch::new();
        last.push(revision(subgoal_id, &milestone, "created", now));
        last.push(audit::appended(read.optional_scalar(head)?, entry, now).0);
        if let Some(report) = super::reporting::change_noted(subgoal_id, actor, now) {
            last.push(report);
        }
        let after = Store::ending(&mut last);
        let added = milestone.clone();
        let reach = Reach::Need(read.scalar(need)?);
        let patch: PatchFn = Box::new(move |list| list.push(added.clone()));
        turn.commit_batch(last, after, reach, Some((subgoal_id, patch)))
            .await?;
        Ok(milestone)
    }

    /// Replaces a milestone's content, if it is still at `version`.
    pub async fn update_milestone(
        &self,
        id: i64,
        version: i64,
        data: &MilestoneData,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<Change, AppError> {
        self.update(id, version, data, None, now, actor).await
    }

    /// As [`Store::update_milestone`], with the reason for the change on record (a due date
    /// moved, say).
    pub async fn update_milestone_because(
        &self,
        id: i64,
        version: i64,
        data: &MilestoneData,
        reason: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<Change, AppError> {
        self.update(id, version, data, Some(reason), now, actor)
            .await
    }

    /// A change of one stored milestone, in two batches (round trips on SQLite, see
    /// [`Batch`]): the milestone as stored (with its sub-goal's need), the audit log's head
    /// and `change` itself, which changes the row only if it is still at `version`; then,
    /// if it did, the revision `written` makes of the stored milestone (the milestone as the
    /// change leaves it, the revision's kind, the audit entry's details), the audit entry of
    /// `action` and the report, with the commit. Answers the milestone as stored and as
    /// changed, or as stored if another version was saved first.
    #[allow(clippy::too_many_arguments)]
    async fn change_stored(
        &self,
        id: i64,
        version: i64,
        action: &'static str,
        now: DateTime<Utc>,
        actor: &Actor,
        change: db::Query,
        written: impl FnOnce(&Milestone) -> (Milestone, &'static str, serde_json::Value),
        patch: impl Fn(&mut Vec<Milestone>, &Milestone) + Send + 'static,
    ) -> Result<Result<(Milestone, Milestone), Milestone>, AppError> {
        let mut first = Batch::new();
        let (mut turn, before) = self.begin_batched_write(&mut first).await?;
        let head = first.push(audit::head());
        let found = first.push(stored(id));
        let changed = first.push(change);
        let read = first.run(turn.tx()).await?;
        turn.began(&read, before)?;
        let Some(StoredRow { milestone, need_id }) = read.optional(found)? else {
            return Err(AppError::NotFound);
        };
        let subgoal_id = milestone.subgoal_id;
        let stored = milestone.into_milestone();
        // Dropped, the transaction is rolled back: a change that changed nothing leaves nothing.
        if stored.version != version || read.rows_affected(changed) != 1 {
            return Ok(Err(stored));
        }
        let (saved, kind, details) = written(&stored);
        let entry = Entry {
            actor,
            action,
            object_type: "milestone",
            object_id: Some(id.to_string()),
            subgoal_id: Some(subgoal_id),
            details,
        };
        let mut last = Batch::new();
        last.push(revision(subgoal_id, &saved, kind, now));
        last.push(audit::appended(read.optional_scalar(head)?, entry, now).0);
        if let Some(report) = super::reporting::change_noted(subgoal_id, actor, now) {
            last.push(report);
        }
        let after = Store::ending(&mut last);
        let kept = saved.clone();
        let patch: PatchFn = Box::new(move |list| patch(list, &kept));
        turn.commit_batch(last, after, Reach::Need(need_id), Some((subgoal_id, patch)))
            .await?;
        Ok(Ok((stored, saved)))
    }

    async fn update(
        &self,
        id: i64,
        version: i64,
        data: &MilestoneData,
        reason: Option<&str>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<Change, AppError> {
        self.change_stored(
            id,
            version,
            "milestone.updated",
            now,
            actor,
            updated(id, version, data),
            |stored| {
                let saved = Milestone {
                    id,
                    version: version + 1,
                    example: stored.example,
                    data: data.clone(),
                };
                let mut details = audit::milestone_changes(Some(&stored.data), Some(data));
                if let (Some(reason), Some(map)) = (reason, details.as_object_mut()) {
                    map.insert("reason".to_owned(), reason.into());
                }
                (saved, "updated", details)
            },
            |list, saved| {
                for m in list.iter_mut().filter(|m| m.id == saved.id) {
                    *m = saved.clone();
                }
            },
        )
        .await
        .map(|changed| match changed {
            Ok((_, saved)) => Change::Saved(saved),
            Err(current) => Change::Conflict(current),
        })
    }

    /// Deletes a milestone, if it is still at `version`. Its revisions stay, closed by a
    /// `deleted` one.
    pub async fn delete_milestone(
        &self,
        id: i64,
        version: i64,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<Change, AppError> {
        self.change_stored(
            id,
            version,
            "milestone.deleted",
            now,
            actor,
            db::query("DELETE FROM milestones WHERE id = $1 AND version = $2")
                .bind(id)
                .bind(version),
            |stored| {
                let closing = Milestone {
                    version: version + 1,
                    ..stored.clone()
                };
                let details = audit::milestone_changes(Some(&stored.data), None);
                (closing, "deleted", details)
            },
            |list, closing| list.retain(|m| m.id != closing.id),
        )
        .await
        .map(|changed| match changed {
            Ok((stored, _)) => Change::Saved(stored),
            Err(current) => Change::Conflict(current),
        })
    }
}
