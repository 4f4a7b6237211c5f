//! Recording and changing milestones. A save names the version it was based on; if the stored
//! milestone has moved on meanwhile, nothing is written and the current state is returned.

use super::db::{self, Batch, Slot, Tx};
use super::turn::{Held, PatchFn};
use super::{Reach, Store, strategies::MilestoneRow};
use crate::{
    audit::{self, Actor, Entry},
    domain::{Milestone, MilestoneData},
    error::AppError,
};
use chrono::{DateTime, Utc};
use sqlx::error::ErrorKind;
use std::sync::PoisonError;
use tokio::sync::oneshot;

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
        .fetch_optional(&mut *tx)
        .await
        .map_err(super::foreign_key_is_not_found)?
        .ok_or(AppError::NotFound)?;
    let milestone = Milestone {
        id,
        version: 1,
        example,
        data: data.clone(),
    };
    write_revision(tx, subgoal_id, &milestone, "created", now).await?;
    Ok(milestone)
}

/// Whether the sub-goal whose id is `$id` (SQL) is there today: neither it nor its need or
/// field archived. An archived one is not changed until it is restored; the statements that
/// change milestones say so themselves, so that no sub-goal is archived between a look-up and
/// the change.
macro_rules! live_subgoal {
    ($id:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM subgoals s
               JOIN needs n ON n.id = s.need_id JOIN fields f ON f.id = n.field_id
             WHERE s.id = ",
            $id,
            " AND s.archived_at IS NULL AND n.archived_at IS NULL AND f.archived_at IS NULL)"
        )
    };
}

/// The statement that appends a milestone at the end of its sub-goal's list, answering its
/// id; no row if the sub-goal is not there today (see [`live_subgoal`]).
fn inserted(subgoal_id: i64, data: &MilestoneData, example: bool) -> db::QueryScalar<i64> {
    db::query_scalar(concat!(
        "INSERT INTO milestones
           (subgoal_id, position, title, due, status, done_on, weight, note, example, version)
         SELECT $1,
           (SELECT COALESCE(MAX(position) + 1, 0) FROM milestones WHERE subgoal_id = $1),
           $2, $3, $4, $5, $6, $7, $8, 1
         WHERE ",
        live_subgoal!("$1"),
        "
         RETURNING id"
    ))
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
/// false when it is not (changed meanwhile, or gone), or its sub-goal is archived.
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
/// `version` or its sub-goal is not there today.
fn updated(id: i64, version: i64, data: &MilestoneData) -> db::Query {
    db::query(concat!(
        "UPDATE milestones
         SET title = $1, due = $2, status = $3, done_on = $4, weight = $5, note = $6,
             version = version + 1
         WHERE id = $7 AND version = $8 AND ",
        live_subgoal!("milestones.subgoal_id")
    ))
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

/// The statement that deletes a milestone if it is still at `version` and its sub-goal there
/// today.
fn deleted(id: i64, version: i64) -> db::Query {
    db::query(concat!(
        "DELETE FROM milestones WHERE id = $1 AND version = $2 AND ",
        live_subgoal!("milestones.subgoal_id")
    ))
    .bind(id)
    .bind(version)
}

/// The need a sub-goal belongs to.
fn need_of(subgoal_id: i64) -> db::QueryScalar<i64> {
    db::query_scalar("SELECT need_id FROM subgoals WHERE id = $1").bind(subgoal_id)
}

/// A milestone as stored, with the need its sub-goal belongs to, and whether that is there
/// today (see [`live_subgoal`]).
#[derive(sqlx::FromRow)]
struct StoredRow {
    #[sqlx(flatten)]
    milestone: MilestoneRow,
    need_id: i64,
    live: bool,
}

impl db::Columns for StoredRow {
    fn from_columns(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(StoredRow {
            milestone: MilestoneRow {
                id: row.get(0)?,
                subgoal_id: row.get(1)?,
                title: row.get(2)?,
                due: db::date(row, 3)?,
                status: row.get(4)?,
                done_on: db::optional_date(row, 5)?,
                weight: row.get(6)?,
                note: row.get(7)?,
                example: row.get(8)?,
                version: row.get(9)?,
            },
            need_id: row.get(10)?,
            live: row.get(11)?,
        })
    }
}

/// The statement that reads a milestone as stored, with its need.
fn stored(id: i64) -> db::QueryAs<StoredRow> {
    db::query_as(concat!(
        "SELECT m.id, m.subgoal_id, m.title, m.due, m.status, m.done_on, m.weight, m.note,
                m.example, m.version, s.need_id, ",
        live_subgoal!("m.subgoal_id"),
        " AS live
         FROM milestones m JOIN subgoals s ON s.id = m.subgoal_id
         WHERE m.id = $1"
    ))
    .bind(id)
}

impl Store {
    pub async fn milestone(&self, id: i64) -> Result<Option<(i64, Milestone)>, AppError> {
        let mut conn = self.pool.read().await?;
        current(&mut conn, id).await
    }
}

/// A change to one milestone, as it waits to be written.
#[derive(Debug)]
enum Save {
    Record {
        subgoal_id: i64,
        data: MilestoneData,
        answer: oneshot::Sender<Result<Milestone, AppError>>,
    },
    Update {
        id: i64,
        version: i64,
        data: MilestoneData,
        reason: Option<String>,
        answer: oneshot::Sender<Result<Change, AppError>>,
    },
    Delete {
        id: i64,
        version: i64,
        answer: oneshot::Sender<Result<Change, AppError>>,
    },
}

/// A save waiting to be written, with who asked and when, and what tells its asker that a
/// writer has taken it.
#[derive(Debug)]
pub(super) struct Queued {
    save: Save,
    now: DateTime<Utc>,
    actor: Actor,
    taken: Option<oneshot::Sender<()>>,
}

/// Saves waiting for a writer to take them (see [`Store::saved`]).
pub(super) type Queue = std::sync::Mutex<Vec<Queued>>;

/// What one save of a batch sent in the first batch, to find its answers by.
enum Sent {
    Record { need: Slot, id: Slot },
    Change { found: Slot, changed: Slot },
}

/// Why saves written together were not written.
enum NotWritten {
    /// Something one of them holds (a constraint of the database refused a statement).
    ByOne(sqlx::Error),
    /// Anything else (the database busy, its disk full): each one's answer.
    All(AppError),
}

impl From<AppError> for NotWritten {
    fn from(error: AppError) -> Self {
        NotWritten::All(error)
    }
}

impl From<sqlx::Error> for NotWritten {
    fn from(error: sqlx::Error) -> Self {
        let by_one = error.as_database_error().is_some_and(|e| {
            matches!(
                e.kind(),
                ErrorKind::ForeignKeyViolation
                    | ErrorKind::UniqueViolation
                    | ErrorKind::NotNullViolation
                    | ErrorKind::CheckViolation
            )
        });
        if by_one {
            NotWritten::ByOne(error)
        } else {
            NotWritten::All(error.into())
        }
    }
}

/// A save of a batch as the first batch found it, to be written in the second.
struct Written {
    subgoal_id: i64,
    need: i64,
    /// The milestone as its revision records it, and the revision's kind.
    revision: (Milestone, &'static str),
    action: &'static str,
    details: serde_json::Value,
    patch: PatchFn,
    outcome: Outcome,
}

/// What became of one save of a batch.
enum Outcome {
    Recorded(Milestone),
    Changed(Change),
}

impl Save {
    fn answer(self, outcome: Result<Outcome, AppError>) {
        // An asker that has gone (its request cancelled) needs no answer. A save answered as
        // another kind cannot happen; it would be an internal error, not a wrong answer.
        match self {
            Save::Record { answer, .. } => {
                let _ = answer.send(outcome.and_then(|outcome| match outcome {
                    Outcome::Recorded(milestone) => Ok(milestone),
                    Outcome::Changed(_) => Err(AppError::Internal),
                }));
            }
            Save::Update { answer, .. } | Save::Delete { answer, .. } => {
                let _ = answer.send(outcome.and_then(|outcome| match outcome {
                    Outcome::Changed(change) => Ok(change),
                    Outcome::Recorded(_) => Err(AppError::Internal),
                }));
            }
        }
    }
}

impl Store {
    /// Records a new milestone for a sub-goal (see [`Store::saved`]).
    pub async fn record_milestone(
        &self,
        subgoal_id: i64,
        data: &MilestoneData,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<Milestone, AppError> {
        let (answer, answered) = oneshot::channel();
        let save = Save::Record {
            subgoal_id,
            data: data.clone(),
            answer,
        };
        self.saved(save, now, actor, answered).await
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
        let (answer, answered) = oneshot::channel();
        let save = Save::Update {
            id,
            version,
            data: data.clone(),
            reason: reason.map(str::to_owned),
            answer,
        };
        self.saved(save, now, actor, answered).await
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
        let (answer, answered) = oneshot::channel();
        let save = Save::Delete {
            id,
            version,
            answer,
        };
        self.saved(save, now, actor, answered).await
    }

    /// Queues a save and answers once it is written (committed) or refused. Whoever gets the
    /// write turn first takes every save queued by then and writes them together, in the order
    /// they came, in one transaction (group commit): on SQLite all in one go on the writer's
    /// connection (see [`Store::write_together_directly`]), on PostgreSQL in two batches.
    /// Under load many saves wait while one is written; together they hold the turn for about
    /// as long as one. A save whose asker stops waiting (its request cancelled) is written all
    /// the same: it is not the asker's to take back once queued. The writing runs in a task of
    /// its own, so the others' saves do not depend on whichever asker took them.
    async fn saved<T>(
        &self,
        save: Save,
        now: DateTime<Utc>,
        actor: &Actor,
        answered: oneshot::Receiver<Result<T, AppError>>,
    ) -> Result<T, AppError> {
        // Timed as the batches are (see [`Store::write_together`]): from queued to answered.
        let queued_at = std::time::Instant::now();
        let (taken, mut was_taken) = oneshot::channel();
        self.saves().push(Queued {
            save,
            now,
            actor: actor.clone(),
            taken: Some(taken),
        });
        tokio::select! {
            _ = &mut was_taken => {}
            turn = self.take_turn() => {
                let mut queued = std::mem::take(&mut *self.saves());
                for save in &mut queued {
                    if let Some(taken) = save.taken.take() {
                        let _ = taken.send(());
                    }
                }
                // Empty: taken by a writer before, and the turn goes on to the next.
                if !queued.is_empty() {
                    tokio::spawn(self.clone().write_saves(Some(turn), queued));
                }
            }
        }
        let answer = answered.await.unwrap_or(Err(AppError::Internal));
        tracing::debug!(
            queued_ms = queued_at.elapsed().as_secs_f64() * 1000.0,
            "save answered"
        );
        answer
    }

    pub(super) fn saves(&self) -> std::sync::MutexGuard<'_, Vec<Queued>> {
        self.saves.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes `saves` together (with the turn, if given) and answers each. If that fails for
    /// something one of them holds (a constraint of the database: a sub-goal gone meanwhile,
    /// say), nothing of it stays and each is written alone, so that the others are not
    /// refused with it; any other failure (the database busy, its disk full) is each one's
    /// answer.
    async fn write_saves(self, turn: Option<Held>, saves: Vec<Queued>) {
        match self.write_together(turn, &saves).await {
            Ok(outcomes) => {
                for (queued, outcome) in saves.into_iter().zip(outcomes) {
                    queued.save.answer(outcome);
                }
            }
            Err(NotWritten::ByOne(_)) if saves.len() > 1 => {
                for queued in saves {
                    Box::pin(self.clone().write_saves(None, vec![queued])).await;
                }
            }
            Err(not_written) => {
                let error = match not_written {
                    NotWritten::ByOne(error) => super::foreign_key_is_not_found(error),
                    NotWritten::All(error) => error,
                };
                for queued in saves {
                    queued.save.answer(Err(error.clone()));
                }
            }
        }
    }

    /// The saves written as one write (see [`Store::saved`]), with the turn if it is held;
    /// each one's outcome, once committed.
    async fn write_together(
        &self,
        held: Option<Held>,
        saves: &[Queued],
    ) -> Result<Vec<Result<Outcome, AppError>>, NotWritten> {
        let started = std::time::Instant::now();
        let outcomes = match self.pool.engine() {
            db::Engine::Sqlite => self.write_together_directly(held, saves).await?,
            db::Engine::Postgres => self.write_together_in_batches(held, saves).await?,
        };
        // What docs/PERFORMANCE.md's figures of saves under load were taken apart with
        // (`SERVER_LOG=warn,app::store::milestones=debug bench/run.sh`).
        tracing::debug!(
            saves = saves.len(),
            committed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "saves written together"
        );
        Ok(outcomes)
    }

    /// On SQLite: every statement of the saves, from `BEGIN IMMEDIATE` to `COMMIT`, run in one
    /// go on the writer's direct connection from this thread, each statement kept prepared
    /// (see [`Store::write_directly`]).
    async fn write_together_directly(
        &self,
        held: Option<Held>,
        saves: &[Queued],
    ) -> Result<Vec<Result<Outcome, AppError>>, NotWritten> {
        let outcomes = self
            .write_directly(held, |db| {
                let head = db.optional(audit::head())?;
                let mut found = Vec::with_capacity(saves.len());
                for queued in saves {
                    found.push(match &queued.save {
                        Save::Record {
                            subgoal_id, data, ..
                        } => {
                            let id = db.optional(inserted(*subgoal_id, data, false))?;
                            let need = match id {
                                Some(_) => db.optional(need_of(*subgoal_id))?,
                                None => None,
                            };
                            Found::Recorded { need, id }
                        }
                        Save::Update {
                            id, version, data, ..
                        } => Found::Stored(
                            db.optional(stored(*id))?,
                            db.execute(updated(*id, *version, data))? == 1,
                        ),
                        Save::Delete { id, version, .. } => Found::Stored(
                            db.optional(stored(*id))?,
                            db.execute(deleted(*id, *version))? == 1,
                        ),
                    });
                }
                let (statements, finished) = finishing(saves, found, head);
                for statement in statements {
                    db.execute(statement)?;
                }
                Ok((finished.outcomes, finished.reaches, finished.changes))
            })
            .await?;
        Ok(outcomes)
    }

    /// On PostgreSQL: the reads and changes of all saves in one batch, their revisions, audit
    /// entries and reports with the commit in a second (see [`Batch`]).
    async fn write_together_in_batches(
        &self,
        held: Option<Held>,
        saves: &[Queued],
    ) -> Result<Vec<Result<Outcome, AppError>>, NotWritten> {
        let mut first = Batch::new();
        let (mut turn, before) = self.begin_batched_write_in(held, &mut first).await?;
        let head = first.push(audit::head());
        let sent: Vec<Sent> = saves
            .iter()
            .map(|queued| match &queued.save {
                Save::Record {
                    subgoal_id, data, ..
                } => Sent::Record {
                    need: first.push(need_of(*subgoal_id)),
                    id: first.push(inserted(*subgoal_id, data, false)),
                },
                Save::Update {
                    id, version, data, ..
                } => Sent::Change {
                    found: first.push(stored(*id)),
                    changed: first.push(updated(*id, *version, data)),
                },
                Save::Delete { id, version, .. } => Sent::Change {
                    found: first.push(stored(*id)),
                    changed: first.push(deleted(*id, *version)),
                },
            })
            .collect();
        let read = first.run(turn.tx()).await?;
        turn.began(&read, before)?;
        let head = read.optional_scalar::<String>(head)?;
        let found = sent
            .into_iter()
            .map(|sent| {
                Ok(match sent {
                    Sent::Record { need, id } => Found::Recorded {
                        need: read.optional_scalar(need)?,
                        id: read.optional_scalar(id)?,
                    },
                    Sent::Change { found, changed } => {
                        Found::Stored(read.optional(found)?, read.rows_affected(changed) == 1)
                    }
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let (statements, finished) = finishing(saves, found, head);
        let mut last = Batch::new();
        for statement in statements {
            last.push(statement);
        }
        let after = Store::ending(&mut last);
        turn.commit_batch(last, after, finished.reaches, finished.changes)
            .await?;
        Ok(finished.outcomes)
    }
}

/// What the first statements of a save found: for a record, its sub-goal's need and the new
/// milestone's id (none: the sub-goal is not there today); for a change or a deletion, the
/// milestone as stored before it (none: not there) and whether it was made (it was still at
/// the version the save was based on, its sub-goal there today).
enum Found {
    Recorded { need: Option<i64>, id: Option<i64> },
    Stored(Option<StoredRow>, bool),
}

/// What saves written together came to once their first statements have run: what each
/// changed and its answer.
struct Finished {
    reaches: Vec<Reach>,
    changes: Vec<(i64, PatchFn)>,
    outcomes: Vec<Result<Outcome, AppError>>,
}

/// The statements that finish saves written together once their first statements have run
/// (each written one's revision, its audit entry chained on from `head`, its sub-goal's
/// report), and what they came to.
fn finishing(
    saves: &[Queued],
    found: Vec<Found>,
    mut head: Option<String>,
) -> (Vec<db::Query>, Finished) {
    let mut statements = Vec::new();
    let mut finished = Finished {
        reaches: Vec::new(),
        changes: Vec::new(),
        outcomes: Vec::new(),
    };
    for (queued, found) in saves.iter().zip(found) {
        let written = match written(&queued.save, found) {
            Ok(written) => written,
            Err(answer) => {
                finished.outcomes.push(answer);
                continue;
            }
        };
        let (milestone, kind) = &written.revision;
        statements.push(revision(written.subgoal_id, milestone, kind, queued.now));
        let entry = Entry {
            actor: &queued.actor,
            action: written.action,
            object_type: "milestone",
            object_id: Some(milestone.id.to_string()),
            subgoal_id: Some(written.subgoal_id),
            details: written.details,
        };
        let (appended, hash) = audit::appended(head.take(), entry, queued.now);
        statements.push(appended);
        head = Some(hash);
        if let Some(report) =
            super::reporting::change_noted(written.subgoal_id, &queued.actor, queued.now)
        {
            statements.push(report);
        }
        finished.reaches.push(Reach::Need(written.need));
        finished.changes.push((written.subgoal_id, written.patch));
        finished.outcomes.push(Ok(written.outcome));
    }
    (statements, finished)
}

/// What one save comes to, given what its first statements found: written, or its answer
/// already (not found, or another version saved first; nothing was changed).
fn written(save: &Save, found: Found) -> Result<Written, Result<Outcome, AppError>> {
    let (id, version, stored, changed) = match (save, found) {
        (
            Save::Record {
                subgoal_id, data, ..
            },
            Found::Recorded { need, id },
        ) => {
            let (Some(need), Some(id)) = (need, id) else {
                return Err(Err(AppError::NotFound));
            };
            let milestone = Milestone {
                id,
                version: 1,
                example: false,
                data: data.clone(),
            };
            let added = milestone.clone();
            return Ok(Written {
                subgoal_id: *subgoal_id,
                need,
                revision: (milestone.clone(), "created"),
                action: "milestone.created",
                details: audit::milestone_changes(None, Some(data)),
                patch: Box::new(move |list| list.push(added.clone())),
                outcome: Outcome::Recorded(milestone),
            });
        }
        (
            Save::Update { id, version, .. } | Save::Delete { id, version, .. },
            Found::Stored(stored, changed),
        ) => (*id, *version, stored, changed),
        // Found as another kind than it is: cannot happen.
        _ => return Err(Err(AppError::Internal)),
    };
    let Some(StoredRow {
        milestone,
        need_id,
        live: true,
    }) = stored
    else {
        return Err(Err(AppError::NotFound));
    };
    let subgoal_id = milestone.subgoal_id;
    let stored = milestone.into_milestone();
    // Changed only if still at the version the save was based on.
    if stored.version != version || !changed {
        return Err(Ok(Outcome::Changed(Change::Conflict(stored))));
    }
    let written = match save {
        Save::Update { data, reason, .. } => {
            let saved = Milestone {
                id,
                version: version + 1,
                example: stored.example,
                data: data.clone(),
            };
            let mut details = audit::milestone_changes(Some(&stored.data), Some(data));
            if let (Some(reason), Some(map)) = (reason, details.as_object_mut()) {
                map.insert("reason".to_owned(), reason.as_str().into());
            }
            let replacement = saved.clone();
            Written {
                subgoal_id,
                need: need_id,
                revision: (saved.clone(), "updated"),
                action: "milestone.updated",
                details,
                patch: Box::new(move |list| {
                    for m in list.iter_mut().filter(|m| m.id == id) {
                        *m = replacement.clone();
                    }
                }),
                outcome: Outcome::Changed(Change::Saved(saved)),
            }
        }
        // A delete (a record was answered above).
        _ => {
            let closing = Milestone {
                version: version + 1,
                ..stored.clone()
            };
            Written {
                subgoal_id,
                need: need_id,
                revision: (closing, "deleted"),
                action: "milestone.deleted",
                details: audit::milestone_changes(Some(&stored.data), None),
                patch: Box::new(move |list| list.retain(|m| m.id != id)),
                outcome: Outcome::Changed(Change::Saved(stored)),
            }
        }
    };
    Ok(written)
}
