//! Changing the strategy's structure (admins): fields, needs, sub-goals, their owners and
//! weights. Every change is audited with the fields that changed.

use super::db::{self, Tx};
use super::{Reach, Store, foreign_key_is_not_found, history::record_node};
use crate::{
    audit::{self, Actor, Entry},
    domain::{
        About,
        history::NodeKind,
        structure_sheet::{RowOutcome, StructureRow},
    },
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
        let mut turn = self.begin_write().await?;
        let before: Option<(String, Option<String>)> =
            db::query_as("SELECT title, goal FROM fields WHERE id = $1")
                .bind(id)
                .fetch_optional(turn.tx())
                .await?;
        missing(before.as_ref())?;
        let (old_title, old_goal) = before.unwrap_or_default();
        db::query("UPDATE fields SET title = $1, goal = $2 WHERE id = $3")
            .bind(title)
            .bind(goal)
            .bind(id)
            .execute(turn.tx())
            .await?;
        record_node(turn.tx(), NodeKind::Field, id, now).await?;
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
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Everything).await?;
        Ok(())
    }

    pub async fn update_need(
        &self,
        id: i64,
        title: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let before: Option<String> = db::query_scalar("SELECT title FROM needs WHERE id = $1")
            .bind(id)
            .fetch_optional(turn.tx())
            .await?;
        missing(before.as_ref())?;
        db::query("UPDATE needs SET title = $1 WHERE id = $2")
            .bind(title)
            .bind(id)
            .execute(turn.tx())
            .await?;
        record_node(turn.tx(), NodeKind::Need, id, now).await?;
        let entry = Entry {
            actor,
            action: "need.updated",
            object_type: "need",
            object_id: Some(id.to_string()),
            subgoal_id: None,
            details: audit::changes(&[("title", json!(before), json!(title))]),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Need(id)).await?;
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
        let mut turn = self.begin_write().await?;
        // Not into an archived field: it is not there today.
        let current: Option<i64> =
            db::query_scalar("SELECT id FROM fields WHERE id = $1 AND archived_at IS NULL")
                .bind(field_id)
                .fetch_optional(turn.tx())
                .await?;
        current.ok_or(AppError::NotFound)?;
        let id = append_need(turn.tx(), field_id, title, now).await?;
        let entry = Entry {
            actor,
            action: "need.created",
            object_type: "need",
            object_id: Some(id.to_string()),
            subgoal_id: None,
            details: json!({"field_id": field_id, "title": [null, title]}),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Need(id)).await?;
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
        let mut turn = self.begin_write().await?;
        let before: Option<(String, Option<String>, f64)> =
            db::query_as("SELECT title, owner, weight FROM subgoals WHERE id = $1")
                .bind(id)
                .fetch_optional(turn.tx())
                .await?;
        missing(before.as_ref())?;
        let (old_title, old_owner, old_weight) = before.unwrap_or_default();
        db::query("UPDATE subgoals SET title = $1, owner = $2, weight = $3 WHERE id = $4")
            .bind(title)
            .bind(owner)
            .bind(weight)
            .bind(id)
            .execute(turn.tx())
            .await?;
        record_node(turn.tx(), NodeKind::SubGoal, id, now).await?;
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
        audit::append(turn.tx(), entry, now).await?;
        let need = super::need_of(turn.tx(), id).await?;
        turn.commit(Reach::Need(need)).await?;
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
        let mut turn = self.begin_write().await?;
        // Not into an archived need, nor one in an archived field.
        let current: Option<i64> = db::query_scalar(
            "SELECT n.id FROM needs n JOIN fields f ON f.id = n.field_id
             WHERE n.id = $1 AND n.archived_at IS NULL AND f.archived_at IS NULL",
        )
        .bind(need_id)
        .fetch_optional(turn.tx())
        .await?;
        current.ok_or(AppError::NotFound)?;
        let id = append_subgoal(turn.tx(), need_id, title, owner, weight, None, now).await?;
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
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Need(need_id)).await?;
        Ok(id)
    }
}

/// The table and parent column of a level of the structure. Fixed names, never user input.
fn table_of(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Field => ("fields", "strategy_id"),
        NodeKind::Need => ("needs", "field_id"),
        NodeKind::SubGoal => ("subgoals", "need_id"),
    }
}

/// Which way a part moves in its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
}

impl Store {
    /// Whether a sub-goal, its need or its field is archived (`None`: no such sub-goal).
    pub async fn subgoal_archived(&self, id: i64) -> Result<Option<bool>, AppError> {
        Ok(db::query_scalar(
            "SELECT s.archived_at IS NOT NULL OR n.archived_at IS NOT NULL
                    OR f.archived_at IS NOT NULL
             FROM subgoals s JOIN needs n ON n.id = s.need_id JOIN fields f ON f.id = n.field_id
             WHERE s.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The archived parts of a strategy now, in its order, as (kind, id, title, the title of
    /// the field or need it is in): archived fields, archived needs of fields that are not,
    /// archived sub-goals of needs and fields that are not (a part inside an archived one
    /// comes back with it, so it is not listed).
    pub async fn archived_parts(
        &self,
        strategy_id: i64,
    ) -> Result<Vec<(String, i64, String, Option<String>)>, AppError> {
        Ok(db::query_as(
            "SELECT kind, id, title, within FROM (
                 SELECT 'field' AS kind, f.id, f.title, NULL AS within,
                        f.position AS p1, -1 AS p2, -1 AS p3
                 FROM fields f WHERE f.strategy_id = $1 AND f.archived_at IS NOT NULL
                 UNION ALL
                 SELECT 'need', n.id, n.title, f.title, f.position, n.position, -1
                 FROM needs n JOIN fields f ON f.id = n.field_id
                 WHERE f.strategy_id = $1 AND f.archived_at IS NULL AND n.archived_at IS NOT NULL
                 UNION ALL
                 SELECT 'subgoal', s.id, s.title, n.title, f.position, n.position, s.position
                 FROM subgoals s JOIN needs n ON n.id = s.need_id
                 JOIN fields f ON f.id = n.field_id
                 WHERE f.strategy_id = $1 AND f.archived_at IS NULL AND n.archived_at IS NULL
                   AND s.archived_at IS NOT NULL) AS parts
             ORDER BY p1, p2, p3",
        )
        .bind(strategy_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Creates an empty strategy; its id.
    pub async fn create_strategy(
        &self,
        title: &str,
        about: &About,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let mut turn = self.begin_write().await?;
        let id: i64 = db::query_scalar(
            "INSERT INTO strategies (title, created_at, city, period_from, period_to, description)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(title)
        .bind(now)
        .bind(&about.city)
        .bind(about.period.map(|p| p.from))
        .bind(about.period.map(|p| p.to))
        .bind(&about.description)
        .fetch_one(turn.tx())
        .await?;
        let entry = Entry {
            actor,
            action: "strategy.created",
            object_type: "strategy",
            object_id: Some(id.to_string()),
            subgoal_id: None,
            details: json!({
                "title": [null, title],
                "city": [null, about.city],
                "period": [null, about.period.map(|p| p.to_string())],
                "description": [null, about.description],
            }),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Everything).await?;
        Ok(id)
    }

    /// Changes a strategy's title, city, period and description.
    pub async fn update_strategy(
        &self,
        id: i64,
        title: &str,
        about: &About,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let before: Option<super::strategies::HeaderRow> = db::query_as(
            "SELECT id, title, city, period_from, period_to, description FROM strategies
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(turn.tx())
        .await?;
        let before = before.ok_or(AppError::NotFound)?;
        let old = before.about();
        db::query(
            "UPDATE strategies SET title = $1, city = $2, period_from = $3, period_to = $4,
                    description = $5
             WHERE id = $6",
        )
        .bind(title)
        .bind(&about.city)
        .bind(about.period.map(|p| p.from))
        .bind(about.period.map(|p| p.to))
        .bind(&about.description)
        .bind(id)
        .execute(turn.tx())
        .await?;
        let period = |about: &About| about.period.map(|p| p.to_string());
        let details = audit::changes(&[
            ("title", json!(before.title), json!(title)),
            ("city", json!(old.city), json!(about.city)),
            ("period", json!(period(&old)), json!(period(about))),
            (
                "description",
                json!(old.description),
                json!(about.description),
            ),
        ]);
        let entry = Entry {
            actor,
            action: "strategy.updated",
            object_type: "strategy",
            object_id: Some(id.to_string()),
            subgoal_id: None,
            details,
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Everything).await?;
        Ok(())
    }

    /// Adds a field of action at the end of a strategy's list; its id.
    pub async fn add_field(
        &self,
        strategy_id: i64,
        title: &str,
        goal: Option<&str>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let mut turn = self.begin_write().await?;
        let id = append_field(turn.tx(), strategy_id, title, goal, now).await?;
        let entry = Entry {
            actor,
            action: "field.created",
            object_type: "field",
            object_id: Some(id.to_string()),
            subgoal_id: None,
            details: json!({"strategy_id": strategy_id, "title": [null, title], "goal": [null, goal]}),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Everything).await?;
        Ok(id)
    }

    /// A field's "builds on" list as stored now.
    pub async fn builds_on(&self, field_id: i64) -> Result<Option<Vec<String>>, AppError> {
        let mut conn = self.pool.read().await?;
        builds_on_of(&mut conn, field_id).await
    }

    /// Replaces a field's "builds on" list, if it is still `expected` (else `Ok(false)`,
    /// nothing written: someone changed it meanwhile).
    pub async fn set_builds_on(
        &self,
        field_id: i64,
        expected: &[String],
        items: &[String],
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<bool, AppError> {
        let mut turn = self.begin_write().await?;
        let before = builds_on_of(turn.tx(), field_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if before != expected {
            return Ok(false);
        }
        db::query("DELETE FROM field_foundations WHERE field_id = $1")
            .bind(field_id)
            .execute(turn.tx())
            .await?;
        for (position, item) in items.iter().enumerate() {
            db::query(
                "INSERT INTO field_foundations (field_id, position, title) VALUES ($1, $2, $3)",
            )
            .bind(field_id)
            .bind(position as i64)
            .bind(item)
            .execute(turn.tx())
            .await?;
        }
        let entry = Entry {
            actor,
            action: "field.builds_on",
            object_type: "field",
            object_id: Some(field_id.to_string()),
            subgoal_id: None,
            details: json!({"builds_on": [before, items]}),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Everything).await?;
        Ok(true)
    }

    /// Moves a field, need or sub-goal one place up or down among its siblings that are not
    /// archived (archived ones keep their places, for when they are restored). `Ok(false)`
    /// when it is already first or last: nothing changes.
    pub async fn move_part(
        &self,
        kind: NodeKind,
        id: i64,
        direction: Step,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<bool, AppError> {
        let (table, parent) = table_of(kind);
        let mut turn = self.begin_write().await?;
        let here: Option<(i64, i64)> = db::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {parent}, position FROM {table} WHERE id = $1 AND archived_at IS NULL"
        )))
        .bind(id)
        .fetch_optional(turn.tx())
        .await?;
        let (parent_id, position) = here.ok_or(AppError::NotFound)?;
        let neighbour_sql = match direction {
            Step::Up => format!(
                "SELECT id, position FROM {table} WHERE {parent} = $1 AND position < $2
                   AND archived_at IS NULL ORDER BY position DESC LIMIT 1"
            ),
            Step::Down => format!(
                "SELECT id, position FROM {table} WHERE {parent} = $1 AND position > $2
                   AND archived_at IS NULL ORDER BY position LIMIT 1"
            ),
        };
        let neighbour: Option<(i64, i64)> = db::query_as(sqlx::AssertSqlSafe(neighbour_sql))
            .bind(parent_id)
            .bind(position)
            .fetch_optional(turn.tx())
            .await?;
        let Some((other, other_position)) = neighbour else {
            return Ok(false);
        };
        // Swapped through a free place: (parent, position) is unique at every step.
        let free: i64 = db::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT MIN(position) - 1 FROM {table} WHERE {parent} = $1"
        )))
        .bind(parent_id)
        .fetch_one(turn.tx())
        .await?;
        let set = format!("UPDATE {table} SET position = $1 WHERE id = $2");
        for (row, place) in [(id, free), (other, position), (id, other_position)] {
            db::query(sqlx::AssertSqlSafe(set.clone()))
                .bind(place)
                .bind(row)
                .execute(turn.tx())
                .await?;
        }
        record_node(turn.tx(), kind, id, now).await?;
        record_node(turn.tx(), kind, other, now).await?;
        let entry = Entry {
            actor,
            action: match kind {
                NodeKind::Field => "field.moved",
                NodeKind::Need => "need.moved",
                NodeKind::SubGoal => "subgoal.moved",
            },
            object_type: kind.as_str(),
            object_id: Some(id.to_string()),
            subgoal_id: (kind == NodeKind::SubGoal).then_some(id),
            details: json!({
                "direction": match direction { Step::Up => "up", Step::Down => "down" },
                "swapped_with": other,
            }),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Everything).await?;
        Ok(true)
    }

    /// Archives a field, need or sub-goal from now on, or restores it. `Ok(false)` when it
    /// already was so: nothing changes.
    pub async fn set_archived(
        &self,
        kind: NodeKind,
        id: i64,
        archived: bool,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<bool, AppError> {
        let (table, _) = table_of(kind);
        let mut turn = self.begin_write().await?;
        let was: Option<bool> = db::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT archived_at IS NOT NULL FROM {table} WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(turn.tx())
        .await?;
        if was.ok_or(AppError::NotFound)? == archived {
            return Ok(false);
        }
        db::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET archived_at = $1 WHERE id = $2"
        )))
        .bind(archived.then_some(now))
        .bind(id)
        .execute(turn.tx())
        .await?;
        record_node(turn.tx(), kind, id, now).await?;
        let action = match (kind, archived) {
            (NodeKind::Field, true) => "field.archived",
            (NodeKind::Field, false) => "field.restored",
            (NodeKind::Need, true) => "need.archived",
            (NodeKind::Need, false) => "need.restored",
            (NodeKind::SubGoal, true) => "subgoal.archived",
            (NodeKind::SubGoal, false) => "subgoal.restored",
        };
        let entry = Entry {
            actor,
            action,
            object_type: kind.as_str(),
            object_id: Some(id.to_string()),
            subgoal_id: (kind == NodeKind::SubGoal).then_some(id),
            details: json!({"archived": [!archived, archived]}),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Everything).await?;
        Ok(true)
    }
}

async fn builds_on_of(conn: &mut Tx, field_id: i64) -> Result<Option<Vec<String>>, AppError> {
    let exists: Option<i64> = db::query_scalar("SELECT id FROM fields WHERE id = $1")
        .bind(field_id)
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Ok(None);
    }
    Ok(Some(
        db::query_scalar(
            "SELECT title FROM field_foundations WHERE field_id = $1 ORDER BY position",
        )
        .bind(field_id)
        .fetch_all(&mut *conn)
        .await?,
    ))
}

impl Store {
    /// Writes what a structure sheet adds and changes in strategy `strategy_id` (the caller
    /// has planned the rows against the tree as stored, none refused), all in one
    /// transaction. `file` names the upload in the audit entries.
    pub async fn apply_structure(
        &self,
        strategy_id: i64,
        rows: &[StructureRow],
        file: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        use crate::domain::structure_sheet::normalized;
        use std::collections::HashMap;
        let mut turn = self.begin_write().await?;
        let exists: Option<i64> = db::query_scalar("SELECT id FROM strategies WHERE id = $1")
            .bind(strategy_id)
            .fetch_optional(turn.tx())
            .await?;
        exists.ok_or(AppError::NotFound)?;
        // The strategy's fields and needs by normalized title, as stored and as added here.
        let stored: Vec<(i64, String)> =
            db::query_as("SELECT id, title FROM fields WHERE strategy_id = $1 ORDER BY position")
                .bind(strategy_id)
                .fetch_all(turn.tx())
                .await?;
        let mut fields: HashMap<String, i64> = HashMap::new();
        for (id, title) in stored {
            fields.entry(normalized(&title)).or_insert(id);
        }
        let mut needs: HashMap<(i64, String), i64> = HashMap::new();
        let entry = |action: &'static str, object_type: &'static str, id: i64, details| Entry {
            actor,
            action,
            object_type,
            object_id: Some(id.to_string()),
            subgoal_id: (object_type == "subgoal").then_some(id),
            details,
        };
        for row in rows {
            match &row.outcome {
                RowOutcome::New(part) => {
                    let field_id = match fields.get(&normalized(&part.field)) {
                        Some(id) => *id,
                        None => {
                            let id = append_field(
                                turn.tx(),
                                strategy_id,
                                &part.field,
                                part.goal.as_deref(),
                                now,
                            )
                            .await?;
                            let details = json!({"strategy_id": strategy_id,
                                "title": [null, part.field], "goal": [null, part.goal],
                                "structure": file});
                            audit::append(
                                turn.tx(),
                                entry("field.created", "field", id, details),
                                now,
                            )
                            .await?;
                            fields.insert(normalized(&part.field), id);
                            id
                        }
                    };
                    let need_key = (field_id, normalized(&part.need));
                    let need_id = match needs.get(&need_key) {
                        Some(id) => *id,
                        None => {
                            let titles: Vec<(i64, String)> =
                                db::query_as("SELECT id, title FROM needs WHERE field_id = $1")
                                    .bind(field_id)
                                    .fetch_all(turn.tx())
                                    .await?;
                            let found = titles
                                .into_iter()
                                .find(|(_, title)| normalized(title) == need_key.1)
                                .map(|(id, _)| id);
                            let id = match found {
                                Some(id) => id,
                                None => {
                                    let id =
                                        append_need(turn.tx(), field_id, &part.need, now).await?;
                                    let details = json!({"field_id": field_id,
                                        "title": [null, part.need], "structure": file});
                                    audit::append(
                                        turn.tx(),
                                        entry("need.created", "need", id, details),
                                        now,
                                    )
                                    .await?;
                                    id
                                }
                            };
                            needs.insert(need_key, id);
                            id
                        }
                    };
                    let id = append_subgoal(
                        turn.tx(),
                        need_id,
                        &part.subgoal,
                        part.owner.as_deref(),
                        part.weight,
                        part.archived.then_some(now),
                        now,
                    )
                    .await?;
                    let details = json!({"need_id": need_id, "title": [null, part.subgoal],
                        "owner": [null, part.owner], "weight": [null, part.weight],
                        "archived": part.archived, "structure": file});
                    audit::append(
                        turn.tx(),
                        entry("subgoal.created", "subgoal", id, details),
                        now,
                    )
                    .await?;
                }
                RowOutcome::Changed { id, owner, weight } => {
                    let changed = db::query(
                        "UPDATE subgoals SET owner = $1, weight = $2
                         WHERE id = $3 AND owner IS NOT DISTINCT FROM $4 AND weight = $5",
                    )
                    .bind(&owner.1)
                    .bind(weight.1)
                    .bind(id)
                    .bind(&owner.0)
                    .bind(weight.0)
                    .execute(turn.tx())
                    .await?;
                    if changed.rows_affected() != 1 {
                        // Changed meanwhile: nothing of the sheet is written.
                        return Err(AppError::rejected(
                            "structure",
                            vec![("rows", crate::domain::Problem::ChangedMeanwhile)],
                        ));
                    }
                    record_node(turn.tx(), NodeKind::SubGoal, *id, now).await?;
                    let mut details = audit::changes(&[
                        ("owner", json!(owner.0), json!(owner.1)),
                        ("weight", json!(weight.0), json!(weight.1)),
                    ]);
                    if let Some(map) = details.as_object_mut() {
                        map.insert("structure".to_owned(), json!(file));
                    }
                    audit::append(
                        turn.tx(),
                        entry("subgoal.updated", "subgoal", *id, details),
                        now,
                    )
                    .await?;
                }
                RowOutcome::Unchanged { .. } | RowOutcome::Refused(_) => {}
            }
        }
        turn.commit(Reach::Everything).await?;
        Ok(())
    }
}

// Appending a part at the end of its parent's list, with its first revision: what the forms
// and the structure sheet add.

async fn append_field(
    conn: &mut Tx,
    strategy_id: i64,
    title: &str,
    goal: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let id: i64 = db::query_scalar(
        "INSERT INTO fields (strategy_id, position, title, goal)
         VALUES ($1, (SELECT COALESCE(MAX(position) + 1, 0) FROM fields WHERE strategy_id = $1),
                 $2, $3)
         RETURNING id",
    )
    .bind(strategy_id)
    .bind(title)
    .bind(goal)
    .fetch_one(&mut *conn)
    .await
    .map_err(foreign_key_is_not_found)?;
    record_node(conn, NodeKind::Field, id, now).await?;
    Ok(id)
}

async fn append_need(
    conn: &mut Tx,
    field_id: i64,
    title: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let id: i64 = db::query_scalar(
        "INSERT INTO needs (field_id, position, title)
         VALUES ($1, (SELECT COALESCE(MAX(position) + 1, 0) FROM needs WHERE field_id = $1), $2)
         RETURNING id",
    )
    .bind(field_id)
    .bind(title)
    .fetch_one(&mut *conn)
    .await
    .map_err(foreign_key_is_not_found)?;
    record_node(conn, NodeKind::Need, id, now).await?;
    Ok(id)
}

/// `archived_at`: archived from then (a structure sheet's row may say so).
async fn append_subgoal(
    conn: &mut Tx,
    need_id: i64,
    title: &str,
    owner: Option<&str>,
    weight: f64,
    archived_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let id: i64 = db::query_scalar(
        "INSERT INTO subgoals (need_id, position, title, owner, weight, archived_at)
         VALUES ($1, (SELECT COALESCE(MAX(position) + 1, 0) FROM subgoals WHERE need_id = $1),
                 $2, $3, $4, $5)
         RETURNING id",
    )
    .bind(need_id)
    .bind(title)
    .bind(owner)
    .bind(weight)
    .bind(archived_at)
    .fetch_one(&mut *conn)
    .await
    .map_err(foreign_key_is_not_found)?;
    record_node(conn, NodeKind::SubGoal, id, now).await?;
    Ok(id)
}
