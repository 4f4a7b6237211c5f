//! Reading and importing whole strategies.

use super::db;
use super::{Reach, Store, history::record_node, indicators, milestones};
use crate::{
    audit::{self, Actor, Entry},
    domain::{
        About, Field, Milestone, MilestoneData, Need, Period, Status, Strategy, SubGoal,
        history::{self, NodeKind},
    },
    error::AppError,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use std::{collections::HashMap, sync::Arc};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromRow)]
pub struct StrategyHeader {
    pub id: i64,
    pub title: String,
}

/// A strategy's own row.
#[derive(FromRow)]
pub(super) struct HeaderRow {
    pub id: i64,
    pub title: String,
    pub city: Option<String>,
    pub period_from: Option<i32>,
    pub period_to: Option<i32>,
    pub description: Option<String>,
}

impl HeaderRow {
    pub fn about(&self) -> About {
        About {
            city: self.city.clone(),
            period: self
                .period_from
                .zip(self.period_to)
                .map(|(from, to)| Period { from, to }),
            description: self.description.clone(),
        }
    }
}

#[derive(FromRow)]
struct FieldRow {
    id: i64,
    title: String,
    goal: Option<String>,
    archived: bool,
}

#[derive(FromRow)]
struct FoundationRow {
    field_id: i64,
    title: String,
}

#[derive(FromRow)]
struct NeedRow {
    id: i64,
    field_id: i64,
    title: String,
    archived: bool,
}

#[derive(FromRow)]
struct SubGoalRow {
    id: i64,
    need_id: i64,
    title: String,
    owner: Option<String>,
    weight: f64,
    archived: bool,
}

#[derive(FromRow)]
pub(super) struct MilestoneRow {
    pub id: i64,
    pub subgoal_id: i64,
    pub title: String,
    pub due: NaiveDate,
    pub status: String,
    pub done_on: Option<NaiveDate>,
    pub weight: f64,
    pub note: Option<String>,
    pub example: bool,
    pub version: i64,
}

impl MilestoneRow {
    pub fn into_milestone(self) -> Milestone {
        Milestone {
            id: self.id,
            version: self.version,
            example: self.example,
            data: MilestoneData {
                title: self.title,
                due: self.due,
                // The CHECK constraint admits only the four names.
                status: Status::parse(&self.status).unwrap_or(Status::Planned),
                done_on: self.done_on,
                weight: self.weight,
                note: self.note,
            },
        }
    }
}

impl Store {
    /// All strategies, oldest first.
    pub async fn strategies(&self) -> Result<Vec<StrategyHeader>, AppError> {
        Ok(db::query_as("SELECT id, title FROM strategies ORDER BY id")
            .fetch_all(&self.pool)
            .await?)
    }

    /// The whole tree of one strategy, every list in its stored order. Served from memory
    /// while the database's tree version (kept by triggers, see the `tree_version` migration)
    /// has not moved since it was loaded; loaded again otherwise.
    pub async fn strategy(&self, id: i64) -> Result<Option<Arc<Strategy>>, AppError> {
        // The version is read before the tree: a change committed in between makes the next
        // call load again, never keeps an old tree under a new version.
        let version: i64 = db::query_scalar("SELECT version FROM tree_version WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        if let Some(tree) = self.cached_tree(id, version) {
            return Ok(Some(tree));
        }
        // One load at a time: under many readers and steady writes, readers wait for the load
        // under way instead of all loading the same tree at once.
        let _loading = self.loading.lock().await;
        // Loaded or patched to the version read meanwhile (a save patches the kept tree
        // holding this lock): no need to ask again.
        if let Some(tree) = self.cached_tree(id, version) {
            return Ok(Some(tree));
        }
        let version: i64 = db::query_scalar("SELECT version FROM tree_version WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        if let Some(tree) = self.cached_tree(id, version) {
            return Ok(Some(tree));
        }
        let loaded = self
            .load_strategy(id)
            .await?
            .map(|tree| Arc::new(tree.without_archived()));
        match &loaded {
            Some(tree) => self.trees().insert(id, (version, tree.clone())),
            None => self.trees().remove(&id),
        };
        Ok(loaded)
    }

    /// The need of a sub-goal as the trees kept in memory know it (without asking the
    /// database); `None` when no kept tree holds it. A sub-goal stays in its need.
    pub fn need_of_kept_subgoal(&self, subgoal_id: i64) -> Option<i64> {
        self.trees().values().find_map(|(_, tree)| {
            tree.fields
                .iter()
                .flat_map(|f| &f.needs)
                .find(|n| n.subgoals.iter().any(|s| s.id == subgoal_id))
                .map(|n| n.id)
        })
    }

    /// Applies committed changes of sub-goals' milestones to the kept trees, instead of
    /// loading them again. `before` and `after` are the tree versions read in the changes'
    /// transaction before and after them: a tree kept at `before` missed nothing else, so it
    /// becomes the tree at `after` (changed where it holds the sub-goals). Trees kept at
    /// another version are left alone; they are loaded again when asked for.
    pub(super) fn patch_trees(&self, patch: &super::turn::Patch) {
        let changed = |id: i64| patch.changes.iter().any(|(subgoal, _)| *subgoal == id);
        let mut trees = self.trees();
        for (version, tree) in trees.values_mut() {
            if *version != patch.before {
                continue;
            }
            let holds = tree
                .fields
                .iter()
                .flat_map(|f| &f.needs)
                .flat_map(|n| &n.subgoals)
                .any(|s| changed(s.id));
            if holds {
                // Copied only where a reader still holds the tree or the list (a page being
                // rendered); otherwise changed in place (at 1,000,000 milestones a sub-goal's
                // list is 6,667 milestones long).
                for subgoal in Arc::make_mut(tree)
                    .fields
                    .iter_mut()
                    .flat_map(|f| f.needs.iter_mut())
                    .flat_map(|n| n.subgoals.iter_mut())
                    .filter(|s| changed(s.id))
                {
                    let list = Arc::make_mut(&mut subgoal.milestones);
                    for (_, change) in patch.changes.iter().filter(|(id, _)| *id == subgoal.id) {
                        change(list);
                    }
                }
            }
            *version = patch.after;
        }
    }

    fn cached_tree(&self, id: i64, version: i64) -> Option<Arc<Strategy>> {
        self.trees()
            .get(&id)
            .filter(|(cached, _)| *cached == version)
            .map(|(_, tree)| tree.clone())
    }

    fn trees(&self) -> std::sync::MutexGuard<'_, super::Trees> {
        self.trees
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The whole tree as stored, archived parts included and marked; read in one transaction,
    /// so a change committed meanwhile is either all in it or not at all.
    pub(super) async fn load_strategy(&self, id: i64) -> Result<Option<Strategy>, AppError> {
        let mut tx = self.pool.read().await?;
        let Some(header) = db::query_as::<HeaderRow>(
            "SELECT id, title, city, period_from, period_to, description FROM strategies
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut tx)
        .await?
        else {
            return Ok(None);
        };
        let fields: Vec<FieldRow> = db::query_as(
            "SELECT id, title, goal, archived_at IS NOT NULL AS archived FROM fields
             WHERE strategy_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut tx)
        .await?;
        let foundations: Vec<FoundationRow> = db::query_as(
            "SELECT ff.field_id, ff.title FROM field_foundations ff
             JOIN fields f ON f.id = ff.field_id
             WHERE f.strategy_id = $1 ORDER BY ff.field_id, ff.position",
        )
        .bind(id)
        .fetch_all(&mut tx)
        .await?;
        let needs: Vec<NeedRow> = db::query_as(
            "SELECT n.id, n.field_id, n.title, n.archived_at IS NOT NULL AS archived FROM needs n
             JOIN fields f ON f.id = n.field_id
             WHERE f.strategy_id = $1 ORDER BY n.field_id, n.position",
        )
        .bind(id)
        .fetch_all(&mut tx)
        .await?;
        let subgoals: Vec<SubGoalRow> = db::query_as(
            "SELECT s.id, s.need_id, s.title, s.owner, s.weight,
                    s.archived_at IS NOT NULL AS archived
             FROM subgoals s
             JOIN needs n ON n.id = s.need_id
             JOIN fields f ON f.id = n.field_id
             WHERE f.strategy_id = $1 ORDER BY s.need_id, s.position",
        )
        .bind(id)
        .fetch_all(&mut tx)
        .await?;
        let milestones: Vec<MilestoneRow> = db::query_as(
            "SELECT m.id, m.subgoal_id, m.title, m.due, m.status, m.done_on, m.weight, m.note,
                    m.example, m.version
             FROM milestones m
             JOIN subgoals s ON s.id = m.subgoal_id
             JOIN needs n ON n.id = s.need_id
             JOIN fields f ON f.id = n.field_id
             WHERE f.strategy_id = $1 ORDER BY m.subgoal_id, m.position",
        )
        .bind(id)
        .fetch_all(&mut tx)
        .await?;
        let indicators = indicators::of_strategy(&mut tx, id).await?;
        tx.commit().await?;

        let mut milestones_of: HashMap<i64, Vec<Milestone>> = HashMap::new();
        for row in milestones {
            milestones_of
                .entry(row.subgoal_id)
                .or_default()
                .push(row.into_milestone());
        }
        let mut subgoals_of: HashMap<i64, Vec<SubGoal>> = HashMap::new();
        for row in subgoals {
            subgoals_of.entry(row.need_id).or_default().push(SubGoal {
                milestones: milestones_of.remove(&row.id).unwrap_or_default().into(),
                id: row.id,
                title: row.title,
                owner: row.owner,
                weight: row.weight,
                indicators: Vec::new(),
                archived: row.archived,
            });
        }
        let mut needs_of: HashMap<i64, Vec<Need>> = HashMap::new();
        for row in needs {
            needs_of.entry(row.field_id).or_default().push(Need {
                subgoals: subgoals_of.remove(&row.id).unwrap_or_default(),
                id: row.id,
                title: row.title,
                archived: row.archived,
            });
        }
        let mut foundations_of: HashMap<i64, Vec<String>> = HashMap::new();
        for row in foundations {
            foundations_of
                .entry(row.field_id)
                .or_default()
                .push(row.title);
        }
        let mut strategy = Strategy {
            about: header.about(),
            id: header.id,
            title: header.title,
            fields: fields
                .into_iter()
                .map(|row| Field {
                    needs: needs_of.remove(&row.id).unwrap_or_default(),
                    builds_on: foundations_of.remove(&row.id).unwrap_or_default(),
                    id: row.id,
                    title: row.title,
                    goal: row.goal,
                    archived: row.archived,
                })
                .collect(),
        };
        history::attach_indicators(&mut strategy, indicators);
        Ok(Some(strategy))
    }

    /// The strategy a field belongs to.
    pub async fn strategy_of_field(&self, field_id: i64) -> Result<Option<i64>, AppError> {
        Ok(
            db::query_scalar("SELECT strategy_id FROM fields WHERE id = $1")
                .bind(field_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The strategy a need belongs to.
    pub async fn strategy_of_need(&self, need_id: i64) -> Result<Option<i64>, AppError> {
        Ok(db::query_scalar(
            "SELECT f.strategy_id FROM needs n JOIN fields f ON f.id = n.field_id WHERE n.id = $1",
        )
        .bind(need_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The strategy a sub-goal belongs to.
    pub async fn strategy_of_subgoal(&self, subgoal_id: i64) -> Result<Option<i64>, AppError> {
        Ok(db::query_scalar(
            "SELECT f.strategy_id FROM subgoals s
             JOIN needs n ON n.id = s.need_id
             JOIN fields f ON f.id = n.field_id WHERE s.id = $1",
        )
        .bind(subgoal_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Stores a parsed strategy document as a new strategy, whole or not at all, and returns
    /// its id.
    pub async fn import(
        &self,
        strategy: &Strategy,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let mut turn = self.begin_write().await?;
        let about = &strategy.about;
        let strategy_id: i64 = db::query_scalar(
            "INSERT INTO strategies (title, created_at, city, period_from, period_to, description)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&strategy.title)
        .bind(now)
        .bind(&about.city)
        .bind(about.period.map(|p| p.from))
        .bind(about.period.map(|p| p.to))
        .bind(&about.description)
        .fetch_one(turn.tx())
        .await?;
        // An archived part of a document is archived from the moment it is imported.
        let archived = |flag: bool| flag.then_some(now);
        for (field_position, field) in strategy.fields.iter().enumerate() {
            let field_id: i64 = db::query_scalar(
                "INSERT INTO fields (strategy_id, position, title, goal, archived_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(strategy_id)
            .bind(field_position as i64)
            .bind(&field.title)
            .bind(&field.goal)
            .bind(archived(field.archived))
            .fetch_one(turn.tx())
            .await?;
            record_node(turn.tx(), NodeKind::Field, field_id, now).await?;
            for (position, title) in field.builds_on.iter().enumerate() {
                db::query(
                    "INSERT INTO field_foundations (field_id, position, title) VALUES ($1, $2, $3)",
                )
                .bind(field_id)
                .bind(position as i64)
                .bind(title)
                .execute(turn.tx())
                .await?;
            }
            for (need_position, need) in field.needs.iter().enumerate() {
                let need_id: i64 = db::query_scalar(
                    "INSERT INTO needs (field_id, position, title, archived_at)
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(field_id)
                .bind(need_position as i64)
                .bind(&need.title)
                .bind(archived(need.archived))
                .fetch_one(turn.tx())
                .await?;
                record_node(turn.tx(), NodeKind::Need, need_id, now).await?;
                for (subgoal_position, subgoal) in need.subgoals.iter().enumerate() {
                    let subgoal_id: i64 = db::query_scalar(
                        "INSERT INTO subgoals (need_id, position, title, owner, weight, archived_at)
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(need_id)
                    .bind(subgoal_position as i64)
                    .bind(&subgoal.title)
                    .bind(&subgoal.owner)
                    .bind(subgoal.weight)
                    .bind(archived(subgoal.archived))
                    .fetch_one(turn.tx())
                    .await?;
                    record_node(turn.tx(), NodeKind::SubGoal, subgoal_id, now).await?;
                    for milestone in subgoal.milestones.iter() {
                        milestones::insert(
                            turn.tx(),
                            subgoal_id,
                            &milestone.data,
                            milestone.example,
                            now,
                        )
                        .await?;
                    }
                    for indicator in &subgoal.indicators {
                        indicators::insert(turn.tx(), subgoal_id, indicator, now).await?;
                    }
                }
            }
        }
        let needs = strategy.fields.iter().flat_map(|f| &f.needs);
        let subgoals: Vec<_> = needs.clone().flat_map(|n| &n.subgoals).collect();
        audit::append(
            turn.tx(),
            Entry {
                actor,
                action: "strategy.imported",
                object_type: "strategy",
                object_id: Some(strategy_id.to_string()),
                subgoal_id: None,
                details: serde_json::json!({
                    "title": strategy.title,
                    "fields": strategy.fields.len(),
                    "needs": needs.count(),
                    "subgoals": subgoals.len(),
                    "milestones": subgoals.iter().map(|s| s.milestones.len()).sum::<usize>(),
                    "indicators": subgoals.iter().map(|s| s.indicators.len()).sum::<usize>(),
                }),
            },
            now,
        )
        .await?;
        turn.commit(Reach::Everything).await?;
        Ok(strategy_id)
    }
}
