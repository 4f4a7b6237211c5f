//! Applying a bulk update (see `domain::bulk`): every new and changed milestone of an upload
//! in one transaction, all or nothing, with the same version check as the forms; one audit
//! entry per change, marked as a bulk update.

use super::{Reach, Store, milestones};
use crate::{
    audit::{self, Actor, Entry},
    domain::{Milestone, MilestoneData},
    error::AppError,
};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// What an upload writes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BulkChanges {
    /// New milestones: their sub-goal and content.
    pub new: Vec<(i64, MilestoneData)>,
    /// Changed milestones: id, the version the upload was based on, the new content.
    pub changed: Vec<(i64, i64, MilestoneData)>,
}

/// How applying ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkOutcome {
    /// Everything written: how many new and changed.
    Applied { new: usize, changed: usize },
    /// A milestone changed (or went) meanwhile: nothing written. Its id.
    Conflict(i64),
}

fn marked(mut details: Value, file: &str) -> Value {
    if let Some(map) = details.as_object_mut() {
        map.insert("bulk".to_owned(), Value::from(file));
    }
    details
}

impl Store {
    /// Writes an upload's changes (the caller has checked each row and the uploader's right
    /// to it), or nothing. `file` names the upload in the audit entries; `done` is told how
    /// many rows are written so far (for a progress bar).
    pub async fn apply_bulk(
        &self,
        changes: &BulkChanges,
        file: &str,
        now: DateTime<Utc>,
        actor: &Actor,
        done: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<BulkOutcome, AppError> {
        let mut written = 0;
        let mut turn = self.begin_write().await?;
        for (id, version, data) in &changes.changed {
            let stored = milestones::current(turn.tx(), *id)
                .await?
                .filter(|(_, m)| m.version == *version);
            let Some((subgoal_id, stored)) = stored else {
                return Ok(BulkOutcome::Conflict(*id));
            };
            if !milestones::write_update(turn.tx(), *id, *version, data).await? {
                return Ok(BulkOutcome::Conflict(*id));
            }
            let saved = Milestone {
                id: *id,
                version: version + 1,
                example: stored.example,
                data: data.clone(),
            };
            milestones::write_revision(turn.tx(), subgoal_id, &saved, "updated", now).await?;
            let entry = Entry {
                actor,
                action: "milestone.updated",
                object_type: "milestone",
                object_id: Some(id.to_string()),
                subgoal_id: Some(subgoal_id),
                details: marked(
                    audit::milestone_changes(Some(&stored.data), Some(data)),
                    file,
                ),
            };
            audit::append(turn.tx(), entry, now).await?;
            super::reporting::note_change(turn.tx(), subgoal_id, actor, now).await?;
            written += 1;
            done(written);
        }
        for (subgoal_id, data) in &changes.new {
            let milestone = milestones::insert(turn.tx(), *subgoal_id, data, false, now).await?;
            let entry = Entry {
                actor,
                action: "milestone.created",
                object_type: "milestone",
                object_id: Some(milestone.id.to_string()),
                subgoal_id: Some(*subgoal_id),
                details: marked(audit::milestone_changes(None, Some(data)), file),
            };
            audit::append(turn.tx(), entry, now).await?;
            super::reporting::note_change(turn.tx(), *subgoal_id, actor, now).await?;
            written += 1;
            done(written);
        }
        // Many sub-goals at once: the kept trees are loaded again, not patched.
        turn.commit(Reach::Everything).await?;
        Ok(BulkOutcome::Applied {
            new: changes.new.len(),
            changed: changes.changed.len(),
        })
    }
}
