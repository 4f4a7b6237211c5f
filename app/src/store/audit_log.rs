//! Reading the audit trail: for `audit verify`, the history pages and the admin's log.

use super::Store;
use super::db;
use crate::{audit::Record, error::AppError};

/// The columns of `audit::Record`, for `concat!` (queries are static strings).
macro_rules! columns {
    () => {
        "id, at, actor_id, actor, action, object_type, object_id, subgoal_id, details, \
         prev_hash, hash"
    };
}

/// Which entries the admin's log shows; empty means any.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// `YYYY-MM-DD`, inclusive, UTC days.
    pub from: Option<String>,
    pub until: Option<String>,
    pub limit: i64,
}

impl Store {
    /// Every entry, oldest first.
    pub async fn audit_entries(&self) -> Result<Vec<Record>, AppError> {
        Ok(db::query_as(concat!(
            "SELECT ",
            columns!(),
            " FROM audit_log ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// The entries about a sub-goal and its milestones, newest first.
    pub async fn subgoal_history(&self, subgoal_id: i64) -> Result<Vec<Record>, AppError> {
        Ok(db::query_as(concat!(
            "SELECT ",
            columns!(),
            " FROM audit_log WHERE subgoal_id = $1 ORDER BY id DESC"
        ))
        .bind(subgoal_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The entries about one milestone, newest first.
    pub async fn milestone_history(&self, milestone_id: i64) -> Result<Vec<Record>, AppError> {
        Ok(db::query_as(concat!(
            "SELECT ",
            columns!(),
            " FROM audit_log WHERE object_type = 'milestone' AND object_id = $1 ORDER BY id DESC"
        ))
        .bind(milestone_id.to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    /// The admin's log, newest first.
    pub async fn audit_search(&self, filter: &AuditFilter) -> Result<Vec<Record>, AppError> {
        Ok(db::query_as(concat!(
            "SELECT ",
            columns!(),
            " FROM audit_log
             WHERE ($1 IS NULL OR actor = $1)
               AND ($2 IS NULL OR object_type = $2)
               AND ($3 IS NULL OR object_id = $3)
               AND ($4 IS NULL OR substr(at, 1, 10) >= $4)
               AND ($5 IS NULL OR substr(at, 1, 10) <= $5)
             ORDER BY id DESC LIMIT $6"
        ))
        .bind(&filter.actor)
        .bind(&filter.object_type)
        .bind(&filter.object_id)
        .bind(&filter.from)
        .bind(&filter.until)
        .bind(filter.limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
