//! This process's turn to write, and the writes that share one transaction (group commit).
//!
//! One write at a time holds the turn, in the order they asked for it (SQLite allows one
//! writer anyway; on PostgreSQL an advisory lock makes it so across processes, see
//! [`db::Pool::write`]). Under load the writers queue, and each one's own commit (on SQLite a
//! round trip to the connection's thread and an fsync) was a large part of the time it held
//! the turn. So a write that ends while others wait for the turn leaves its transaction open
//! for them: a chain of writes, committed together by the last of them, or by the first that
//! finds nobody waiting, at most [`MAX_CHAIN`] writes and [`MAX_CHAIN_AGE`] after the first
//! began. Each write runs in a savepoint of its own, so one that fails, or is dropped midway
//! (its request cancelled), takes back only what it did. Each waits for the commit before it
//! answers, so nobody is told "saved" before it is; if the commit fails, nothing of the chain
//! is written and each write answers the error. A change the pages show counts (moves the
//! page versions, see [`Store::page_version`]) once the chain is committed, before anyone in
//! it answers; a change of milestones is applied to the kept strategy trees then, in order.

use super::{
    DATA_VERSION, Reach, Store, Writes,
    db::{self, Answers, Batch, Engine, Slot, Tx},
};
use crate::{domain::Milestone, error::AppError};
use std::{
    sync::{
        PoisonError,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::sync::{OwnedMutexGuard, watch};

/// At most this many writes share one transaction.
pub(super) const MAX_CHAIN: usize = 64;
/// A chain takes no more writes this long after its first began: the first waits for the
/// commit, so this bounds what sharing adds to its time.
pub(super) const MAX_CHAIN_AGE: Duration = Duration::from_millis(10);

/// The savepoint each write of a chain runs in.
const SAVEPOINT: &str = "SAVEPOINT chained_write";
const RELEASE: &str = "RELEASE SAVEPOINT chained_write";
const TAKE_BACK: &str = "ROLLBACK TO SAVEPOINT chained_write";

/// The turn: the chain of writes whose transaction is open, kept between them.
pub(super) type Turn = tokio::sync::Mutex<Option<Chain>>;

/// Writes sharing one open transaction.
pub(super) struct Chain {
    tx: Tx,
    /// Where the database stood as the chain began (read by its first write), and after the
    /// last write done in it.
    before: Option<(i64, i64)>,
    after: Option<(i64, i64)>,
    /// The writes done in it, to count and apply once it is committed.
    done: Vec<Done>,
    began: Instant,
    /// How the chain ended, for the writes that left it to others: committed, or the error.
    /// Dropped without a word, nothing was committed.
    end: watch::Sender<Option<Result<(), AppError>>>,
}

impl std::fmt::Debug for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chain")
            .field("writes", &self.done.len())
            .field("began", &self.began)
            .finish_non_exhaustive()
    }
}

/// A write done in a chain.
struct Done {
    /// What it changed, for the page versions.
    reach: Reach,
    /// Its change of one sub-goal's milestones, for the kept trees.
    patch: Option<Patch>,
}

/// A change of one sub-goal's milestone list, applied to the kept trees once committed.
pub(super) type PatchFn = Box<dyn Fn(&mut Vec<Milestone>) + Send>;

struct Patch {
    /// The tree versions before and after the write (read in its transaction).
    before: i64,
    after: i64,
    subgoal_id: i64,
    change: PatchFn,
}

/// This process's turn to write, and the transaction it writes in (see the module's
/// documentation). Ended with [`WriteTurn::commit`]; dropped before, what the write did is
/// taken back and the others in its chain go on.
pub(crate) struct WriteTurn {
    /// The turn, holding the chain; given up when the write ends.
    turn: Option<OwnedMutexGuard<Option<Chain>>>,
    store: Store,
    /// Where the database stood as this write began (within its chain).
    pub(super) before: (i64, i64),
}

/// Counts a writer waiting for the turn while it waits (also if it stops waiting).
struct Asking<'a>(&'a AtomicUsize);

impl<'a> Asking<'a> {
    fn new(waiting: &'a AtomicUsize) -> Self {
        waiting.fetch_add(1, Ordering::SeqCst);
        Asking(waiting)
    }
}

impl Drop for Asking<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Store {
    /// The turn to write, with a transaction (see [`db::Pool::write`]): the chain's, if one is
    /// open, else a new one. Call no other writing method while holding it (the turn is not
    /// re-entrant: that would wait for itself).
    pub(super) async fn begin_write(&self) -> Result<WriteTurn, AppError> {
        let mut first = Batch::new();
        let (mut turn, before) = self.begin_batched_write(&mut first).await?;
        let answers = first.run(turn.tx()).await?;
        turn.began(&answers, before)?;
        Ok(turn)
    }

    /// As [`Store::begin_write`], for a write that sends its statements in batches (a round
    /// trip each on SQLite, see [`Batch`]): the write's savepoint and the read of where the
    /// database stands go into `first`, its first batch; once that has run,
    /// [`WriteTurn::began`] takes the read from its answers. The write's last batch ends with
    /// [`WriteTurn::commit`].
    pub(super) async fn begin_batched_write(
        &self,
        first: &mut Batch,
    ) -> Result<(WriteTurn, Slot), AppError> {
        let mut guard = {
            let _asking = Asking::new(&self.waiting);
            self.writer.clone().lock_owned().await
        };
        if guard.is_none() {
            let (end, _) = watch::channel(None);
            *guard = Some(Chain {
                tx: self.pool.write().await?,
                before: None,
                after: None,
                done: Vec::new(),
                began: Instant::now(),
                end,
            });
        }
        let mut turn = WriteTurn {
            turn: Some(guard),
            store: self.clone(),
            before: (0, 0),
        };
        // On SQLite the savepoint goes with the first batch. A PostgreSQL transaction
        // cannot go on after a statement fails, not even to take back a savepoint that was
        // never made, so there it is made before anything can fail (a round trip either way).
        let tx = turn.tx();
        if tx.engine() == Engine::Postgres {
            db::query(SAVEPOINT).execute(tx).await?;
        } else {
            first.push(db::query(SAVEPOINT));
        }
        let before = first.push(db::query_as::<(i64, i64)>(DATA_VERSION));
        Ok((turn, before))
    }
}

impl Store {
    /// Writes what no page shows (a session's own bookkeeping), as a write of its own.
    pub(super) async fn write_unshown(&self, statement: db::Query) -> Result<(), AppError> {
        let mut first = Batch::new();
        let (mut turn, before) = self.begin_batched_write(&mut first).await?;
        first.push(statement);
        let answers = first.run(turn.tx()).await?;
        turn.began(&answers, before)?;
        turn.commit(Reach::Nothing).await
    }
}

impl WriteTurn {
    fn chain(&mut self) -> &mut Chain {
        self.turn
            .as_mut()
            .and_then(|turn| turn.as_mut())
            .expect("a chain while the write holds the turn")
    }

    /// The transaction to write in.
    pub(super) fn tx(&mut self) -> &mut Tx {
        &mut self.chain().tx
    }

    /// Notes where the database stood as the write began, read in its first batch (see
    /// [`Store::begin_batched_write`]).
    pub(super) fn began(&mut self, first: &Answers, before: Slot) -> Result<(), sqlx::Error> {
        let before = first.one(before)?;
        self.before = before;
        self.chain().before.get_or_insert(before);
        Ok(())
    }

    /// Commits a write that changed what `reach` says; the pages that show it are no longer
    /// true once it is committed (see [`Store::page_version`]).
    pub(super) async fn commit(self, reach: Reach) -> Result<(), AppError> {
        let mut last = Batch::new();
        let after = Store::ending(&mut last);
        self.commit_batch(last, after, reach, None).await?;
        Ok(())
    }

    /// Ends the write: runs its last batch (with [`Store::ending`] in `after`) and either
    /// leaves the transaction open for the next write waiting for the turn, or commits the
    /// chain; on SQLite a write alone in its chain commits in the same round trip. `patch`:
    /// the write's change of one sub-goal's milestones (by id), applied to the kept trees
    /// once committed. Answers the last batch's answers once the chain is committed.
    pub(super) async fn commit_batch(
        mut self,
        mut last: Batch,
        after: Slot,
        reach: Reach,
        patch: Option<(i64, PatchFn)>,
    ) -> Result<Answers, AppError> {
        last.push(db::query(RELEASE));
        let store = self.store.clone();
        let before = self.before;
        let done = |answers: &Answers| -> Result<(Done, (i64, i64)), AppError> {
            let after: (i64, i64) = answers.one(after)?;
            let patch = patch.map(|(subgoal_id, change)| Patch {
                before: before.0,
                after: after.0,
                subgoal_id,
                change,
            });
            Ok((Done { reach, patch }, after))
        };
        let waiting = store.waiting.load(Ordering::SeqCst) > 0;
        let chain = self.chain();
        let hand_on =
            waiting && chain.done.len() + 1 < MAX_CHAIN && chain.began.elapsed() < MAX_CHAIN_AGE;
        if chain.done.is_empty() && !hand_on {
            // Alone: this write's end is the chain's.
            let mut guard = self.turn.take().expect("the turn while writing");
            let chain = guard.take().expect("a chain while writing");
            let patching = store.loading.lock().await;
            return match last.run_and_commit(chain.tx).await {
                Ok(answers) => {
                    let (write, after) = done(&answers)?;
                    let before = chain.before.unwrap_or(before);
                    store.committed(before, vec![write], after);
                    drop(patching);
                    drop(guard);
                    Ok(answers)
                }
                Err(error) => {
                    // Whether the commit was reached is not known: counted as a change.
                    store.writes().unknown();
                    Err(error.into())
                }
            };
        }
        let answers = match last.run(self.tx()).await {
            Ok(answers) => answers,
            // Dropped, the write takes back what it did; the chain goes on.
            Err(error) => return Err(error.into()),
        };
        let (write, after) = done(&answers)?;
        let mut guard = self.turn.take().expect("the turn while writing");
        let chain = guard.as_mut().expect("a chain while writing");
        chain.done.push(write);
        chain.after = Some(after);
        if !hand_on {
            return commit_chain(&store, guard).await.map(|()| answers);
        }
        let mut end = chain.end.subscribe();
        let chain_began = chain.began;
        drop(guard);
        // The next write in line goes on in the transaction and leaves it to the one after it;
        // if none comes (it stopped waiting), the chain is ended here.
        loop {
            match tokio::time::timeout(MAX_CHAIN_AGE, told(&mut end)).await {
                Ok(Some(ended)) => return ended.map(|()| answers),
                // Dropped without a word: nothing was committed.
                Ok(None) => return Err(AppError::Internal),
                Err(_) => {
                    let guard = store.writer.clone().lock_owned().await;
                    let ours = guard.as_ref().is_some_and(|c| c.began == chain_began);
                    if ours {
                        return commit_chain(&store, guard).await.map(|()| answers);
                    }
                }
            }
        }
    }
}

/// How the chain ended, once it has; none if it was dropped without a word.
async fn told(
    end: &mut watch::Receiver<Option<Result<(), AppError>>>,
) -> Option<Result<(), AppError>> {
    end.wait_for(Option::is_some).await.ok()?.clone()
}

impl Drop for WriteTurn {
    fn drop(&mut self) {
        let Some(mut guard) = self.turn.take() else {
            return;
        };
        let Some(chain) = guard.as_mut() else {
            return;
        };
        if chain.done.is_empty() {
            // Nobody else's write is in it: the transaction goes (rolled back) with this one.
            *guard = None;
            return;
        }
        let store = self.store.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(take_back(store, guard));
            }
            // The others answer that nothing was written.
            Err(_) => *guard = None,
        }
    }
}

/// Takes back what a write that did not end did in its chain, and commits the writes done
/// before it.
async fn take_back(store: Store, mut guard: OwnedMutexGuard<Option<Chain>>) {
    let Some(chain) = guard.as_mut() else {
        return;
    };
    let mut undo = Batch::new();
    undo.push(db::query(TAKE_BACK));
    undo.push(db::query(RELEASE));
    if let Err(error) = undo.run(&mut chain.tx).await {
        // On SQLite the savepoint may never have been made (the write stopped before its
        // first batch was sent): nothing to take back. Anything else: nothing is committed.
        let never_made = chain.tx.engine() == Engine::Sqlite
            && error
                .as_database_error()
                .is_some_and(|e| e.message().contains("no such savepoint"));
        if !never_made {
            tracing::error!("taking back a write that did not end failed: {error}");
            *guard = None;
            return;
        }
    }
    let _ = commit_chain(&store, guard).await;
}

/// Commits a chain with writes done in it, counts them, applies their changes to the kept
/// trees (under the load lock: a reader who sees the new version waits for the patch
/// instead of loading the whole tree again) and tells the writes waiting for it.
async fn commit_chain(
    store: &Store,
    mut guard: OwnedMutexGuard<Option<Chain>>,
) -> Result<(), AppError> {
    let chain = guard.take().expect("a chain to commit");
    let patching = store.loading.lock().await;
    let ended = match chain.tx.commit().await {
        Ok(()) => {
            let before = chain.before.unwrap_or((0, 0));
            let after = chain.after.unwrap_or(before);
            store.committed(before, chain.done, after);
            Ok(())
        }
        Err(error) => {
            store.writes().unknown();
            Err(AppError::from(error))
        }
    };
    drop(patching);
    chain.end.send_replace(Some(ended.clone()));
    drop(guard);
    ended
}

impl Store {
    /// Counts the writes of a committed chain (see [`Store::page_version`]) and applies their
    /// changes of milestones to the kept trees, in order.
    fn committed(&self, before: (i64, i64), done: Vec<Done>, after: (i64, i64)) {
        self.writes()
            .committed(before, done.iter().map(|d| d.reach), after);
        for patch in done.into_iter().filter_map(|d| d.patch) {
            self.patch_trees(patch.before, patch.after, patch.subgoal_id, patch.change);
        }
    }

    pub(super) fn writes(&self) -> std::sync::MutexGuard<'_, Writes> {
        self.writes.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Writes {
    /// Counts committed writes that took the database from `before` to `after`.
    fn committed(
        &mut self,
        before: (i64, i64),
        reaches: impl Iterator<Item = Reach>,
        after: (i64, i64),
    ) {
        for reach in reaches {
            match reach {
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
        // The database moved from where this process last left it only by these writes;
        // otherwise someone else changed it in between.
        if self.accounted != Some(before) {
            self.external += 1;
        }
        self.accounted = Some(after);
        self.commits += 1;
    }

    /// Counts writes whose commit failed: what they did is not known, so every page is
    /// rendered again.
    fn unknown(&mut self) {
        self.logged += 1;
        self.shown += 1;
        self.unscoped += 1;
        self.accounted = None;
    }
}
