//! SQLite's write-ahead log copied back into the database file beside the writes, not by them.
//!
//! A commit on SQLite appends the changed pages to the log (`-wal`); by default the commit that
//! makes the log 1,000 pages long then copies it back into the database file and syncs that
//! ("checkpoint"), and that one save, with every save waiting for the write turn behind it,
//! takes 6–11 ms instead of 0.3–1 ms (100,000 milestones, alone; several times that under
//! load, docs/PERFORMANCE.md). So the writer's connection never checkpoints
//! (`wal_autocheckpoint = 0`, see [`super::Store::open`]), and a connection of its own does,
//! [`CHECKPOINT_AFTER`] after commits: a PASSIVE checkpoint, which neither waits for the writer
//! nor makes it wait, and copies what no reader still needs. The log stays about as short as
//! before. Other processes on the same file (the commands) checkpoint as SQLite does by default.

use sqlx::SqliteConnection;
use std::{sync::Arc, time::Duration};
use tokio::sync::{Mutex, Notify};

/// How long after a commit the log is checkpointed: the commits of that time are copied
/// together (a page changed by each of them is copied once).
const CHECKPOINT_AFTER: Duration = Duration::from_millis(500);

/// The connection that checkpoints, and what tells it that something was committed.
#[derive(Debug)]
pub struct Checkpoints {
    committed: Notify,
    conn: Mutex<Option<SqliteConnection>>,
    /// See [`Checkpoints::last`].
    last: std::sync::Mutex<Option<(i64, i64)>>,
}

impl Checkpoints {
    /// Starts checkpointing through `conn` (a connection of its own), in a task that ends when
    /// [`Checkpoints::close`] is called.
    pub(crate) fn start(conn: SqliteConnection) -> Arc<Checkpoints> {
        let checkpoints = Arc::new(Checkpoints {
            committed: Notify::new(),
            conn: Mutex::new(Some(conn)),
            last: std::sync::Mutex::new(None),
        });
        tokio::spawn(checkpoint_after_commits(checkpoints.clone()));
        checkpoints
    }

    /// Something was committed through the writer.
    pub(crate) fn committed(&self) {
        self.committed.notify_one();
    }

    /// Closes the connection; the task ends.
    pub(crate) async fn close(&self) {
        if let Some(conn) = self.conn.lock().await.take() {
            let _ = sqlx::Connection::close(conn).await;
        }
        self.committed.notify_one();
    }

    /// What the last checkpoint found: the log's length and how much of it is in the database
    /// file, in pages; `None` before the first.
    pub fn last(&self) -> Option<(i64, i64)> {
        *self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

async fn checkpoint_after_commits(checkpoints: Arc<Checkpoints>) {
    loop {
        checkpoints.committed.notified().await;
        tokio::time::sleep(CHECKPOINT_AFTER).await;
        let mut conn = checkpoints.conn.lock().await;
        let Some(conn) = conn.as_mut() else { return };
        let done = sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(conn)
            .await;
        match done {
            Ok((_, log, copied)) => {
                *checkpoints
                    .last
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((log, copied));
            }
            // The log grows until a checkpoint succeeds; the next commit tries again.
            Err(error) => tracing::warn!("checkpointing the database's log failed: {error}"),
        }
    }
}
