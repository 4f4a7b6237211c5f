//! Changing the strategy's structure (admins): fields, needs, sub-goals, their owners and
//! weights. Every change is audited with the fields that changed.

use super::{Reach, Store, foreign_key_is_not_found, history::record_node};
use crate::{
    audit::{self, Actor, Entry},
    domain::history::NodeKind,
    error::AppError,
};
use chrono::{DateTime, Utc};
use serde_json::json;

fn missing(row: Option<impl Sized>) -> Result<(), AppError> {
    row.map(|_| ()).ok_or(AppError::NotFound)
}

impl Store {
    pub async fn update_field(
        &self,
        id: i64,
        title: &str,
        goal: Option<&str>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let (mut turn, mut tx) = self.begin_write().await?;
        let before: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT title, goal FROM fields WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        missing(before.as_ref())?;
        let (old_title, old_goal) = before.unwrap_or_default();
        sqlx::query("UPDATE fields SET title = ?, goal = ? WHERE id = ?")
            .bind(title)
            .bind(goal)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record_node(&mut tx, NodeKind::Field, id, now).await?;
        let details = audit::changes(&[
            ("title", json!(old_title), json!(title)),
            ("goal", json!(old_goal), json!(goal)),
        ]);
        let entry = Entry {
            actor,
            action: "field.updated",
            object_type: "field",
            object_id: Some(id.to_string()),
            subgoal_id: None,
            details,
        };
        audit::append(&mut tx, entry, now).await?;
        self.commit(&mut turn, tx, Reach::Everything).await?;
        Ok(())
    }

    pub async fn update_need(
        &self,
        id: i64,
        title: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let (mut turn, mut tx) = self.begin_write().await?;
        let before: Option<String> = sqlx::query_scalar("SELECT title FROM needs WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        missing(before.as_ref())?;
        sqlx::query("UPDATE needs SET title = ? WHERE id = ?")
            .bind(title)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record_node(&mut tx, NodeKind::Need, id, now).await?;
        let entry = Entry {
            actor,
            action: "need.updated",
            object_type: "need",
            object_id: Some(id.to_string()),
            subgoal_id: None,
            details: audit::changes(&[("title", json!(before), json!(title))]),
        };
        audit::append(&mut tx, entry, now).await?;
        self.commit(&mut turn, tx, Reach::Need(id)).await?;
        Ok(())
    }

    /// Adds a need at the end of a field's list; its id.
    pub async fn add_need(
        &self,
        field_id: i64,
        title: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let (mut turn, mut tx) = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO needs (field_id, position, title)
             VALUES (?1, (SELECT COALESCE(MAX(position) + 1, 0) FROM needs WHERE field_id = ?1), ?2)
             RETURNING id",
        )
        .bind(field_id)
        .bind(title)
        .fetch_one(&mut *tx)
        .await
        .map_err(foreign_key_is_not_found)?;
        record_node(&mut tx, NodeKind::Need, id, now).await?;
        let entry = Entry {
            actor,
            action: "need.created",
            object_type: "need",
            object_id: Some(id.to_string()),
            subgoal_id: None,
            details: json!({"field_id": field_id, "title": [null, title]}),
        };
        audit::append(&mut tx, entry, now).await?;
        self.commit(&mut turn, tx, Reach::Need(id)).await?;
        Ok(id)
    }

    pub async fn update_subgoal(
        &self,
        id: i64,
        title: &str,
        owner: Option<&str>,
        weight: f64,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let (mut turn, mut tx) = self.begin_write().await?;
        let before: Option<(String, Option<String>, f64)> =
            sqlx::query_as("SELECT title, owner, weight FROM subgoals WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        missing(before.as_ref())?;
        let (old_title, old_owner, old_weight) = before.unwrap_or_default();
        sqlx::query("UPDATE subgoals SET title = ?, owner = ?, weight = ? WHERE id = ?")
            .bind(title)
            .bind(owner)
            .bind(weight)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record_node(&mut tx, NodeKind::SubGoal, id, now).await?;
        let details = audit::changes(&[
            ("title", json!(old_title), json!(title)),
            ("owner", json!(old_owner), json!(owner)),
            ("weight", json!(old_weight), json!(weight)),
        ]);
        let entry = Entry {
            actor,
            action: "subgoal.updated",
            object_type: "subgoal",
            object_id: Some(id.to_string()),
            subgoal_id: Some(id),
            details,
        };
        audit::append(&mut tx, entry, now).await?;
        let need = super::need_of(&mut tx, id).await?;
        self.commit(&mut turn, tx, Reach::Need(need)).await?;
        Ok(())
    }

    /// Adds a sub-goal at the end of a need's list; its id.
    pub async fn add_subgoal(
        &self,
        need_id: i64,
        title: &str,
        owner: Option<&str>,
        weight: f64,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let (mut turn, mut tx) = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO subgoals (need_id, position, title, owner, weight)
             VALUES (?1, (SELECT COALESCE(MAX(position) + 1, 0) FROM subgoals WHERE need_id = ?1),
                     ?2, ?3, ?4)
             RETURNING id",
        )
        .bind(need_id)
        .bind(title)
        .bind(owner)
        .bind(weight)
        .fetch_one(&mut *tx)
        .await
        .map_err(foreign_key_is_not_found)?;
        record_node(&mut tx, NodeKind::SubGoal, id, now).await?;
        let entry = Entry {
            actor,
            action: "subgoal.created",
            object_type: "subgoal",
            object_id: Some(id.to_string()),
            subgoal_id: Some(id),
            details: json!({
                "need_id": need_id,
                "title": [null, title],
                "owner": [null, owner],
                "weight": [null, weight],
            }),
        };
        audit::append(&mut tx, entry, now).await?;
        self.commit(&mut turn, tx, Reach::Need(need_id)).await?;
        Ok(id)
    }
}
