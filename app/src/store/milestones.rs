//! Recording and changing milestones. A save names the version it was based on; if the stored
//! milestone has moved on meanwhile, nothing is written and the current state is returned.

use super::db::{self, Tx};
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
    let id: i64 = db::query_scalar(
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

/// Replaces a milestone's content if it is still at `version` (and counts the version up);
/// false when it is not (changed meanwhile, or gone).
pub(super) async fn write_update(
    tx: &mut Tx,
    id: i64,
    version: i64,
    data: &MilestoneData,
) -> Result<bool, AppError> {
    let updated = db::query(
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
    .execute(tx)
    .await?;
    Ok(updated.rows_affected() == 1)
}

pub(super) async fn write_revision(
    tx: &mut Tx,
    subgoal_id: i64,
    milestone: &Milestone,
    change: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
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
    .execute(tx)
    .await?;
    Ok(())
}

pub(super) async fn current(conn: &mut Tx, id: i64) -> Result<Option<(i64, Milestone)>, AppError> {
    let row: Option<MilestoneRow> = db::query_as(SELECT_MILESTONE)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|row| (row.subgoal_id, row.into_milestone())))
}

impl Store {
    pub async fn milestone(&self, id: i64) -> Result<Option<(i64, Milestone)>, AppError> {
        let mut conn = self.pool.read().await?;
        current(&mut conn, id).await
    }

    /// Commits a change of one sub-goal's milestones, applies it to the kept trees with
    /// `change`, and counts it as confined to the sub-goal's need (see `Store::page_version`).
    /// Readers who see the new version before the kept tree is patched wait for the patch
    /// (the load lock) instead of loading the whole tree again; the write counts as done (the
    /// turn ends) after both.
    async fn commit_to_kept_trees(
        &self,
        mut turn: super::WriteTurn,
        mut tx: Tx,
        subgoal_id: i64,
        change: impl Fn(&mut Vec<Milestone>),
    ) -> Result<(), AppError> {
        let need = super::need_of(&mut tx, subgoal_id).await?;
        let patching = self.loading.lock().await;
        let before = turn.before;
        self.commit(&mut turn, tx, Reach::Need(need)).await?;
        let after = turn.after().unwrap_or(before);
        self.patch_trees(before.0, after.0, subgoal_id, change);
        drop(patching);
        drop(turn);
        Ok(())
    }

    /// Records a new milestone for a sub-goal.
    pub async fn record_milestone(
        &self,
        subgoal_id: i64,
        data: &MilestoneData,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<Milestone, AppError> {
        let (turn, mut tx) = self.begin_write().await?;
        let milestone = insert(&mut tx, subgoal_id, data, false, now).await?;
        audit::append(
            &mut tx,
            Entry {
                actor,
                action: "milestone.created",
                object_type: "milestone",
                object_id: Some(milestone.id.to_string()),
                subgoal_id: Some(subgoal_id),
                details: audit::milestone_changes(None, Some(data)),
            },
            now,
        )
        .await?;
        super::reporting::note_change(&mut tx, subgoal_id, actor, now).await?;
        let added = milestone.clone();
        self.commit_to_kept_trees(turn, tx, subgoal_id, move |list| list.push(added.clone()))
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

    async fn update(
        &self,
        id: i64,
        version: i64,
        data: &MilestoneData,
        reason: Option<&str>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<Change, AppError> {
        let (turn, mut tx) = self.begin_write().await?;
        let Some((subgoal_id, stored)) = current(&mut tx, id).await? else {
            return Err(AppError::NotFound);
        };
        if stored.version != version {
            return Ok(Change::Conflict(stored));
        }
        if !write_update(&mut tx, id, version, data).await? {
            return Ok(Change::Conflict(stored));
        }
        let saved = Milestone {
            id,
            version: version + 1,
            example: stored.example,
            data: data.clone(),
        };
        write_revision(&mut tx, subgoal_id, &saved, "updated", now).await?;
        let mut details = audit::milestone_changes(Some(&stored.data), Some(data));
        if let (Some(reason), Some(map)) = (reason, details.as_object_mut()) {
            map.insert("reason".to_owned(), reason.into());
        }
        audit::append(
            &mut tx,
            Entry {
                actor,
                action: "milestone.updated",
                object_type: "milestone",
                object_id: Some(id.to_string()),
                subgoal_id: Some(subgoal_id),
                details,
            },
            now,
        )
        .await?;
        super::reporting::note_change(&mut tx, subgoal_id, actor, now).await?;
        let replacement = saved.clone();
        self.commit_to_kept_trees(turn, tx, subgoal_id, move |list| {
            for m in list.iter_mut().filter(|m| m.id == id) {
                *m = replacement.clone();
            }
        })
        .await?;
        Ok(Change::Saved(saved))
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
        let (turn, mut tx) = self.begin_write().await?;
        let Some((subgoal_id, stored)) = current(&mut tx, id).await? else {
            return Err(AppError::NotFound);
        };
        if stored.version != version {
            return Ok(Change::Conflict(stored));
        }
        db::query("DELETE FROM milestones WHERE id = $1")
            .bind(id)
            .execute(&mut tx)
            .await?;
        let closing = Milestone {
            version: version + 1,
            ..stored.clone()
        };
        write_revision(&mut tx, subgoal_id, &closing, "deleted", now).await?;
        audit::append(
            &mut tx,
            Entry {
                actor,
                action: "milestone.deleted",
                object_type: "milestone",
                object_id: Some(id.to_string()),
                subgoal_id: Some(subgoal_id),
                details: audit::milestone_changes(Some(&stored.data), None),
            },
            now,
        )
        .await?;
        super::reporting::note_change(&mut tx, subgoal_id, actor, now).await?;
        self.commit_to_kept_trees(turn, tx, subgoal_id, move |list| {
            list.retain(|m| m.id != id)
        })
        .await?;
        Ok(Change::Saved(stored))
    }
}
