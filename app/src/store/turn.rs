//! This process's turn to write: one write at a time, in the order they asked for it (SQLite
//! allows one writer anyway; on PostgreSQL an advisory lock makes it so across processes, see
//! [`db::Pool::write`]). Waiting here, without polling, instead of in SQLite's busy handler,
//! which sleeps and retries, keeps the time to save flat under concurrent writers. A write
//! counts (moves the page versions, see [`Store::page_version`]) once it is committed, before
//! it answers; a change of milestones is applied to the kept strategy trees then.

use super::{
    DATA_VERSION, Reach, Store, Writes,
    db::{self, Answers, Batch, Slot, Tx},
};
use crate::{domain::Milestone, error::AppError};
use std::sync::PoisonError;
use tokio::sync::OwnedMutexGuard;

/// The turn, held.
pub(super) type Held = OwnedMutexGuard<()>;

/// A change of one sub-goal's milestone list, applied to the kept trees once committed.
pub(super) type PatchFn = Box<dyn Fn(&mut Vec<Milestone>) + Send>;

/// Changes of sub-goals' milestone lists (by sub-goal id, in order), and the tree versions
/// before and after them (read in the write's transaction).
pub(super) struct Patch {
    pub(super) before: i64,
    pub(super) after: i64,
    pub(super) changes: Vec<(i64, PatchFn)>,
}

/// This process's turn to write, and the transaction it writes in. Ended with
/// [`WriteTurn::commit`]; dropped before, the transaction is rolled back.
pub(crate) struct WriteTurn {
    _turn: Held,
    tx: Option<Tx>,
    store: Store,
    /// Where the database stood as the write began.
    pub(super) before: (i64, i64),
}

impl Store {
    /// The turn to write, with a transaction (see [`db::Pool::write`]). Call no other writing
    /// method while holding it (the turn is not re-entrant: that would wait for itself).
    pub(super) async fn begin_write(&self) -> Result<WriteTurn, AppError> {
        let mut first = Batch::new();
        let (mut turn, before) = self.begin_batched_write(&mut first).await?;
        let answers = first.run(turn.tx()).await?;
        turn.began(&answers, before)?;
        Ok(turn)
    }

    /// As [`Store::begin_write`], for a write that sends its statements in batches (a round
    /// trip each on SQLite, see [`Batch`]): the read of where the database stands goes into
    /// `first`, its first batch; once that has run, [`WriteTurn::began`] takes the read from
    /// its answers. The write's last batch ends with [`WriteTurn::commit_batch`].
    pub(super) async fn begin_batched_write(
        &self,
        first: &mut Batch,
    ) -> Result<(WriteTurn, Slot), AppError> {
        self.begin_batched_write_in(None, first).await
    }

    /// As [`Store::begin_batched_write`], with the turn if it is held already.
    pub(super) async fn begin_batched_write_in(
        &self,
        held: Option<Held>,
        first: &mut Batch,
    ) -> Result<(WriteTurn, Slot), AppError> {
        let turn = match held {
            Some(turn) => turn,
            None => self.take_turn().await,
        };
        let turn = WriteTurn {
            _turn: turn,
            tx: Some(self.pool.write().await?),
            store: self.clone(),
            before: (0, 0),
        };
        let before = first.push(db::query_as::<(i64, i64)>(DATA_VERSION));
        Ok((turn, before))
    }

    /// On SQLite, a write run in one go on the writer's direct connection (see
    /// [`db::Writing::direct`]), with the turn if it is held already. `write` answers what it
    /// came to, what it changed (one reach each) and its changes of sub-goals' milestones,
    /// applied to the kept trees once committed, as [`WriteTurn::commit_batch`] does.
    pub(super) async fn write_directly<T>(
        &self,
        held: Option<Held>,
        write: impl FnOnce(&db::Direct<'_>) -> Result<(T, Vec<Reach>, Vec<(i64, PatchFn)>), sqlx::Error>,
    ) -> Result<T, sqlx::Error> {
        let _turn = match held {
            Some(turn) => turn,
            None => self.take_turn().await,
        };
        let mut tx = self.pool.write().await?;
        let Tx::SqliteWrite(writing) = &mut tx else {
            return Err(sqlx::Error::Protocol(
                "a direct write on another engine than SQLite".to_owned(),
            ));
        };
        // Held until the kept trees are patched (see `commit_batch`).
        let patching = self.loading.lock().await;
        let (before, (answer, reaches, changes), after) = writing
            .direct(|db| {
                let before = db.one(db::query_as::<(i64, i64)>(DATA_VERSION))?;
                let written = write(db)?;
                let after = db.one(db::query_as::<(i64, i64)>(DATA_VERSION))?;
                Ok((before, written, after))
            })
            .await?;
        let patch = (!changes.is_empty()).then(|| Patch {
            before: before.0,
            after: after.0,
            changes,
        });
        self.committed(before, &reaches, patch, after);
        drop(patching);
        Ok(answer)
    }

    /// Waits for the turn.
    pub(super) async fn take_turn(&self) -> Held {
        self.writer.clone().lock_owned().await
    }

    /// Writes what no page shows (a session's own bookkeeping), as a write of its own.
    pub(super) async fn write_unshown(&self, statement: db::Query) -> Result<(), AppError> {
        let mut first = Batch::new();
        let (mut turn, before) = self.begin_batched_write(&mut first).await?;
        first.push(statement);
        let answers = first.run(turn.tx()).await?;
        turn.began(&answers, before)?;
        turn.commit(Reach::Nothing).await
    }

    /// Counts a committed write (see [`Store::page_version`]) and applies its changes of
    /// milestones to the kept trees.
    fn committed(
        &self,
        before: (i64, i64),
        reaches: &[Reach],
        patch: Option<Patch>,
        after: (i64, i64),
    ) {
        self.writes().committed(before, reaches, after);
        if let Some(patch) = patch {
            self.patch_trees(&patch);
        }
    }

    pub(super) fn writes(&self) -> std::sync::MutexGuard<'_, Writes> {
        self.writes.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl WriteTurn {
    /// The transaction to write in.
    pub(super) fn tx(&mut self) -> &mut Tx {
        self.tx
            .as_mut()
            .expect("the transaction until the write ends")
    }

    /// Notes where the database stood as the write began, read in its first batch (see
    /// [`Store::begin_batched_write`]).
    pub(super) fn began(&mut self, first: &Answers, before: Slot) -> Result<(), sqlx::Error> {
        self.before = first.one(before)?;
        Ok(())
    }

    /// Commits a write that changed what `reach` says; the pages that show it are no longer
    /// true once it is committed (see [`Store::page_version`]).
    pub(super) async fn commit(self, reach: Reach) -> Result<(), AppError> {
        let mut last = Batch::new();
        let after = Store::ending(&mut last);
        self.commit_batch(last, after, vec![reach], Vec::new())
            .await?;
        Ok(())
    }

    /// Runs the write's last batch (with [`Store::ending`] in `after`) and commits, in one
    /// round trip on SQLite (see [`Batch::run_and_commit`]). `reaches`: what it changed, one
    /// change each; `changes`: its changes of sub-goals' milestones (by sub-goal id), applied
    /// to the kept trees once committed, under the load lock, so that a reader who sees the
    /// new version waits for them instead of loading the whole tree again.
    pub(super) async fn commit_batch(
        mut self,
        last: Batch,
        after: Slot,
        reaches: Vec<Reach>,
        changes: Vec<(i64, PatchFn)>,
    ) -> Result<Answers, AppError> {
        let store = self.store.clone();
        let tx = self
            .tx
            .take()
            .expect("the transaction until the write ends");
        let patching = store.loading.lock().await;
        // Until it is known whether the commit was reached (also if this stops waiting for
        // it), it counts as a change.
        let mut unsure = Unsure(Some(&store));
        let answers = last.run_and_commit(tx).await?;
        let after: (i64, i64) = answers.one(after)?;
        unsure.0 = None;
        let patch = (!changes.is_empty()).then(|| Patch {
            before: self.before.0,
            after: after.0,
            changes,
        });
        store.committed(self.before, &reaches, patch, after);
        drop(patching);
        Ok(answers)
    }
}

/// Counts a write whose commit may or may not have been reached as a change (see
/// [`Writes::unknown`]) when dropped.
struct Unsure<'a>(Option<&'a Store>);

impl Drop for Unsure<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.0 {
            store.writes().unknown();
        }
    }
}

impl Writes {
    /// Counts committed changes that took the database from `before` to `after`.
    fn committed(&mut self, before: (i64, i64), reaches: &[Reach], after: (i64, i64)) {
        for reach in reaches {
            match *reach {
                Reach::Need(need) => {
                    self.logged += 1;
                    self.shown += 1;
                    *self.by_need.entry(need).or_default() += 1;
                }
                Reach::Everything => {
                    self.logged += 1;
                    self.shown += 1;
                    self.unscoped += 1;
                }
                Reach::LogOnly => self.logged += 1,
                Reach::Nothing => {}
            }
        }
        // The database moved from where this process last left it only by this write;
        // otherwise someone else changed it in between.
        if self.accounted != Some(before) {
            self.external += 1;
        }
        self.accounted = Some(after);
        self.commits += 1;
    }

    /// Counts a write whose commit failed midway: what it did is not known, so every page is
    /// rendered again.
    fn unknown(&mut self) {
        self.logged += 1;
        self.shown += 1;
        self.unscoped += 1;
        self.accounted = None;
    }
}
