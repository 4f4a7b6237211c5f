//! The database, SQLite or PostgreSQL (see [`db`]): queries and transactions, nothing else.
//! Every change runs in one write transaction (one writer at a time, see [`db::Pool::write`]),
//! and every change to a milestone writes a dated revision in the same transaction.

mod accounts;
mod audit_log;
mod bulk;
pub mod checkpoints;
pub mod db;
pub mod demo;
mod history;
mod indicators;
mod milestones;
pub mod moving;
mod plan;
mod reminders;
mod reporting;
mod reports;
pub mod scale;
pub mod scratch;
mod strategies;
mod structure;
mod turn;

pub use accounts::{Contact, EMBED_ORIGINS, PUBLIC_READ, SessionLimits, UserRecord, UserSummary};
pub use audit_log::AuditFilter;
pub use bulk::{BulkChanges, BulkOutcome};
pub use indicators::Outcome;
pub use milestones::Change;
pub use reminders::{Outbox, Outgoing, REMINDER_DAYS_BEFORE, REMINDER_HOUR, Waiting};
pub use reporting::{REPORT_GRACE_DAYS, Reporting};
pub use reports::NewReport;
pub use strategies::StrategyHeader;
pub use structure::Step;

use crate::error::AppError;

use db::{Batch, Pool, Slot, Tx};
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{
    collections::HashMap,
    str::FromStr,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

/// See [`Store::data_version`].
const DATA_VERSION: &str = "SELECT (SELECT version FROM tree_version WHERE id = 1),
                                   (SELECT COALESCE(MAX(id), 0) FROM audit_log)";

/// SQLite connections per process for reading, besides the one that writes ([`db::Writer`]).
const SQLITE_CONNECTIONS: u32 = 8;

/// The migrations of each engine, compiled in: `migrations/sqlite/` and `migrations/postgres/`.
pub static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
pub static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    trees: Arc<Mutex<Trees>>,
    /// Held while a tree is loaded from the database (one load at a time), and while a
    /// milestone change is committed and applied to the kept trees.
    loading: Arc<tokio::sync::Mutex<()>>,
    /// One writer at a time in this process (see [`turn`]).
    writer: Arc<tokio::sync::Mutex<()>>,
    /// Milestone saves waiting to be written, together (see [`Store::record_milestone`]).
    saves: Arc<milestones::Queue>,
    /// Writes this process has finished (committed or not), counted when the turn ends, and
    /// what they changed: see [`Store::page_version`].
    writes: Arc<Mutex<Writes>>,
    /// Each need's progress at past moments, by strategy and moment: the past does not change.
    past_progress: Arc<Mutex<PastProgressCache>>,
    /// Held while past progress is computed (one at a time).
    computing: Arc<tokio::sync::Mutex<()>>,
    /// When the database was last asked for changes made by others ([`Store::notice_others`]).
    others_asked: Arc<Mutex<Option<std::time::Instant>>>,
    /// Each need's planned dates as the plan stands now, with the need's page version they
    /// were read at (see [`Store::planned_dates`]).
    planned: Arc<Mutex<HashMap<i64, (PageVersion, PlannedDates)>>>,
}

/// The planned date of each milestone of a need, by milestone id.
pub type PlannedDates = Arc<HashMap<i64, chrono::NaiveDate>>;

/// See [`Store::page_version`].
pub type PageVersion = (u64, u64, u64);

/// See [`Store::needs_version`].
pub type NeedsVersion = (u64, u64, Vec<u64>);

/// How often [`Store::notice_others`] asks the database for changes made by another process.
pub const OTHERS_CHECK: std::time::Duration = std::time::Duration::from_millis(200);

/// Each need's progress (by need id) at one moment.
pub type PastProgress = Arc<HashMap<i64, crate::domain::Progress>>;
type PastProgressCache = HashMap<(i64, chrono::DateTime<chrono::Utc>), PastProgress>;

/// The writes this process has finished, for telling whether a rendered page is still true.
#[derive(Debug, Default)]
struct Writes {
    /// Those a page other than the audit log may show.
    shown: u64,
    /// Those not confined to one need (structure, accounts, settings …).
    unscoped: u64,
    /// Changes confined to one need (its milestones, its sub-goals' indicators), by need.
    by_need: HashMap<i64, u64>,
    /// Every write, also those only the audit log shows (logins, counted refusals).
    logged: u64,
    /// Changes to the database this process did not make (the CLI, another process), as
    /// noticed by [`Store::note_database`].
    external: u64,
    /// The database's version (`data_version`) after this process's latest write, when that
    /// write knows it; `None` when not.
    accounted: Option<(i64, i64)>,
    /// Transactions committed (one for several milestone saves written together).
    commits: u64,
}

/// Which pages a page version is for (see [`Store::page_version`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PageScope {
    /// A page that shows one need and nothing of the others (the need's page, its sub-goals'
    /// pages, its charts).
    Need(i64),
    /// Any other page but the audit log.
    Everything,
    /// The audit log, which shows every entry.
    Log,
}

/// What a committed write changed, as far as pages go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// What pages about this need show.
    Need(i64),
    /// Anything any page may show.
    Everything,
    /// Only audit entries no page but the log shows (a login, a logout, counted refusals).
    LogOnly,
    /// Nothing any page shows (a session's own bookkeeping).
    Nothing,
}

/// Loaded strategy trees by id, each with the tree version it was loaded at.
type Trees = HashMap<i64, (i64, Arc<crate::domain::Strategy>)>;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot open the database {location}: {source}")]
    Open {
        location: String,
        source: sqlx::Error,
    },
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("no database at {0}")]
    Missing(String),
}

impl Store {
    /// Opens the database at `location` and brings its schema up to date: a PostgreSQL
    /// database (`postgres://…` or `postgresql://…`, which must exist), or else a SQLite file
    /// (a path or a `sqlite:` URL, created if needed). A failed migration is an error: the
    /// caller stops.
    pub async fn open(location: &str) -> Result<Store, OpenError> {
        let open_error = |source| OpenError::Open {
            location: shown_location(location),
            source,
        };
        let pool = match engine_of(location) {
            db::Engine::Postgres => {
                let options = PgConnectOptions::from_str(location).map_err(open_error)?;
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await
                    .map_err(open_error)?;
                POSTGRES_MIGRATIONS.run(&pool).await?;
                Pool::Postgres(pool)
            }
            db::Engine::Sqlite => {
                let options = if location.starts_with("sqlite:") {
                    SqliteConnectOptions::from_str(location).map_err(open_error)?
                } else {
                    SqliteConnectOptions::new().filename(location)
                }
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // 512 KiB of page cache per connection instead of SQLite's 2 MB: the pages read
                // most (the strategy trees) are kept in memory above SQLite, and the file's
                // pages stay in the system's cache anyway. Eight connections hold at most 4 MB
                // instead of 16 MB.
                .pragma("cache_size", "-512");
                // Every connection is opened here and kept (not closed when idle or old): each
                // has a thread of its own, which takes the priority of the thread that opened
                // it, and one opened on demand by a page's render would run at the render
                // threads' lower priority, and so would any write it then carried.
                // Nor is a connection asked whether it is still there each time it is taken
                // (a round trip to its thread): a file does not go away as a server can.
                let pool = SqlitePoolOptions::new()
                    .max_connections(SQLITE_CONNECTIONS)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .test_before_acquire(false)
                    .connect_with(options.clone())
                    .await
                    .map_err(open_error)?;
                SQLITE_MIGRATIONS.run(&pool).await?;
                let connect = async |options: &SqliteConnectOptions| {
                    <sqlx::SqliteConnection as sqlx::Connection>::connect_with(options)
                        .await
                        .map_err(open_error)
                };
                // The writer leaves copying its log back into the file to a connection of
                // its own (see `checkpoints`).
                let writer = connect(&options.clone().pragma("wal_autocheckpoint", "0")).await?;
                let direct = db::open_direct(options.get_filename()).map_err(open_error)?;
                let checkpoints = checkpoints::Checkpoints::start(connect(&options).await?);
                // One after another: a new file becomes a WAL file as its first connection
                // opens, and that does not wait for another connection opening meanwhile.
                let mut opened = Vec::new();
                for _ in 0..SQLITE_CONNECTIONS {
                    opened.push(pool.acquire().await.map_err(open_error)?);
                }
                drop(opened);
                Pool::Sqlite(
                    pool,
                    Arc::new(tokio::sync::Mutex::new(db::Writer::new(
                        writer,
                        direct,
                        checkpoints,
                    ))),
                    Arc::new(db::Readers::new(options.get_filename())),
                )
            }
        };
        Ok(Store {
            pool,
            trees: Arc::default(),
            loading: Arc::default(),
            writer: Arc::default(),
            saves: Arc::default(),
            writes: Arc::default(),
            past_progress: Arc::default(),
            planned: Arc::default(),
            others_asked: Arc::default(),
            computing: Arc::default(),
        })
    }

    /// Opens a database that must exist already, as the commands that read or change one do
    /// (only `serve`, `import` and `demo` make a new SQLite file): a SQLite file that is not
    /// there is [`OpenError::Missing`]; a PostgreSQL database always exists before Meilenstein
    /// opens it (its server says so when it does not).
    pub async fn open_existing(location: &str) -> Result<Store, OpenError> {
        if is_missing(location) {
            return Err(OpenError::Missing(shown_location(location)));
        }
        Store::open(location).await
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// What checkpoints SQLite's log beside the writes (see [`checkpoints`]); none on
    /// PostgreSQL.
    pub async fn checkpoints(&self) -> Option<Arc<checkpoints::Checkpoints>> {
        self.pool.checkpoints().await
    }

    /// A value that changes with every change to what any page shows: the strategy trees
    /// (their tree version, kept by triggers) and everything else, since every other change
    /// appends an audit entry in its own transaction. Seen across processes.
    pub async fn data_version(&self) -> Result<(i64, i64), sqlx::Error> {
        db::query_as(DATA_VERSION).fetch_one(&self.pool).await
    }

    /// A value that moves with every change the pages of `scope` may show, read without
    /// asking the database: for a need's pages, with this process's changes confined to that
    /// need and every change not confined to one need; for the audit log, with every write;
    /// for any other page, with every write but those only the log shows. All move with
    /// changes made by others, once noticed (see [`Store::note_database`]).
    pub fn page_version(&self, scope: PageScope) -> PageVersion {
        let writes = self.writes();
        match scope {
            PageScope::Need(need) => (
                writes.external,
                writes.unscoped,
                writes.by_need.get(&need).copied().unwrap_or(0),
            ),
            PageScope::Everything => (writes.external, writes.shown, 0),
            PageScope::Log => (writes.external, writes.logged, 0),
        }
    }

    /// A value that moves with every change to any of these needs' pages (see
    /// [`Store::page_version`]), for what shows all of them (a field of the dashboard).
    pub fn needs_version(&self, needs: &[i64]) -> NeedsVersion {
        let writes = self.writes();
        (
            writes.external,
            writes.unscoped,
            needs
                .iter()
                .map(|need| writes.by_need.get(need).copied().unwrap_or(0))
                .collect(),
        )
    }

    /// Asks the database for changes made by another process (the CLI, another server), at
    /// most every [`OTHERS_CHECK`], and moves every page version if there were any (see
    /// [`Store::note_database`]). Whatever is kept by page version (pages, the dashboard's
    /// fields, planned dates) calls this before comparing versions, so another process's
    /// change shows within that time. One caller asks; the others meanwhile go by what was
    /// last noticed, instead of all asking (and waiting for) the database at once. `false`
    /// when the database could not be asked (the next call asks again).
    pub async fn notice_others(&self) -> bool {
        let ask = {
            let mut asked = self
                .others_asked
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let due = asked.is_none_or(|at| at.elapsed() >= OTHERS_CHECK);
            if due {
                *asked = Some(std::time::Instant::now());
            }
            due
        };
        if !ask {
            return true;
        }
        match self.data_version().await {
            Ok(version) => {
                self.note_database(version);
                true
            }
            Err(_) => {
                *self
                    .others_asked
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = None;
                false
            }
        }
    }

    /// Compares the database's version (`data_version`, read before this call) with where
    /// this process's own writes left it: anything else is a change made by someone else,
    /// and every page version moves. Where this process does not know where its last write
    /// left the database, it counts as such a change too (a page more rendered, none missed).
    pub fn note_database(&self, version: (i64, i64)) {
        let mut writes = self.writes();
        if writes.accounted != Some(version) {
            writes.external += 1;
            writes.accounted = Some(version);
        }
    }

    /// Adds to a write's last batch the read of where the database stands after it, for
    /// [`WriteTurn::commit_batch`].
    fn ending(last: &mut Batch) -> Slot {
        last.push(db::query_as::<(i64, i64)>(DATA_VERSION))
    }
}

/// The need whose sub-goal this is.
async fn need_of(conn: &mut Tx, subgoal_id: i64) -> Result<i64, AppError> {
    Ok(
        db::query_scalar("SELECT need_id FROM subgoals WHERE id = $1")
            .bind(subgoal_id)
            .fetch_one(conn)
            .await?,
    )
}

/// A reference to a row that is not there (a parent id that does not exist) is "not found".
fn foreign_key_is_not_found(error: sqlx::Error) -> crate::error::AppError {
    match error.as_database_error().map(|d| d.kind()) {
        Some(sqlx::error::ErrorKind::ForeignKeyViolation) => crate::error::AppError::NotFound,
        _ => crate::error::AppError::from(error),
    }
}

/// Which engine a database location names: PostgreSQL for a `postgres://` or
/// `postgresql://` URL, SQLite for anything else (a path or a `sqlite:` URL).
pub fn engine_of(location: &str) -> db::Engine {
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        db::Engine::Postgres
    } else {
        db::Engine::Sqlite
    }
}

/// Whether `location` is a SQLite file that is not there (a PostgreSQL database's server
/// answers for itself).
pub fn is_missing(location: &str) -> bool {
    engine_of(location) == db::Engine::Sqlite && !sqlite_file(location).is_file()
}

/// The file of a SQLite location: a path, or a `sqlite:` URL without its options.
pub fn sqlite_file(location: &str) -> &std::path::Path {
    let file = location
        .strip_prefix("sqlite://")
        .or_else(|| location.strip_prefix("sqlite:"))
        .unwrap_or(location);
    std::path::Path::new(file.split('?').next().unwrap_or(file))
}

/// A database location as it may be shown: a URL's password replaced by `***`.
pub fn shown_location(location: &str) -> String {
    let Some((scheme, rest)) = location.split_once("://") else {
        return location.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((credentials, host)) if credentials.contains(':') => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{path}")
        }
        _ => location.to_owned(),
    }
}

/// Writes a consistent copy of the database at `db` to the new file `to` and returns its size
/// in bytes. The source is not migrated, so a backup can be taken before an upgrade.
///
/// SQLite: `VACUUM INTO` (one read transaction, so writers may go on), the copy checked with
/// `PRAGMA integrity_check`; it is a database file `serve --db` opens. PostgreSQL: `pg_dump
/// --format=custom` (one snapshot, writers go on), the archive checked by reading its table of
/// contents with `pg_restore --list`; restore it with `pg_restore --dbname=URL FILE` into an
/// empty database. `to` must not exist yet (the caller checks); a failed backup leaves nothing
/// there.
pub async fn backup(db: &str, to: &str) -> Result<u64, String> {
    let made = match engine_of(db) {
        db::Engine::Sqlite => backup_sqlite(db, to).await.map_err(|e| e.to_string()),
        db::Engine::Postgres => backup_postgres(db, to),
    };
    if let Err(problem) = made {
        // No half-written or unreadable copy is left to be mistaken for a backup.
        let _ = std::fs::remove_file(to);
        return Err(problem);
    }
    Ok(std::fs::metadata(to).map(|m| m.len()).unwrap_or(0))
}

async fn backup_sqlite(db: &str, to: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let source = if db.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(db)?
    } else {
        SqliteConnectOptions::new().filename(db)
    }
    .read_only(true)
    .busy_timeout(Duration::from_secs(10));
    let mut conn = sqlx::SqliteConnection::connect_with(&source).await?;
    sqlx::query("VACUUM INTO $1")
        .bind(to)
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    let copy = SqliteConnectOptions::new().filename(to).read_only(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&copy).await?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    if verdict != "ok" {
        return Err(sqlx::Error::Protocol(format!(
            "the copy fails its integrity check: {verdict}"
        )));
    }
    Ok(())
}

fn backup_postgres(db: &str, to: &str) -> Result<(), String> {
    use std::process::Command;
    let (url, password) = libpq_location(db);
    let run = |program: &str, args: &[&str]| -> Result<(), String> {
        let mut command = Command::new(program);
        command.args(args);
        if let Some(password) = &password {
            command.env("PGPASSWORD", password);
        }
        let output = command.output().map_err(|e| {
            format!(
                "cannot run {program} ({e}): a PostgreSQL database is backed up with \
                 PostgreSQL's own pg_dump (Debian: apt-get install postgresql-client), \
                 e.g. pg_dump --format=custom --file={to} '{}'",
                shown_location(db)
            )
        })?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program} failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    };
    let dbname = format!("--dbname={url}");
    let file = format!("--file={to}");
    run(
        "pg_dump",
        &["--format=custom", "--no-password", &file, &dbname],
    )?;
    run("pg_restore", &["--list", to])
}

/// A PostgreSQL URL as PostgreSQL's own tools take it: without the password (handed over in
/// `PGPASSWORD` instead, so that it is not on a command line others can list) and without the
/// options only sqlx knows.
fn libpq_location(location: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = location.split_once("://") else {
        return (location.to_owned(), None);
    };
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let (authority, password) = match authority.rsplit_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, password)) => (format!("{user}@{host}"), Some(percent_decoded(password))),
            None => (authority.to_owned(), None),
        },
        None => (authority.to_owned(), None),
    };
    let kept: Vec<&str> = query
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("statement-cache-capacity="))
        .collect();
    let mut url = format!("{scheme}://{authority}{path}");
    if !kept.is_empty() {
        url.push('?');
        url.push_str(&kept.join("&"));
    }
    (url, password)
}

/// `%XX` escapes of a URL part decoded (anything else kept as it is).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
