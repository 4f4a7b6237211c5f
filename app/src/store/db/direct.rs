//! Statements run on a SQLite connection of the writer's from the calling thread, without a
//! connection thread in between (see [`super::Writing::direct`]). Each statement of sqlx is a
//! round trip to its connection's thread: under load each waits for a core, and a save's
//! statements held the one write turn for all of them (issue #18). Here a whole write, from
//! `BEGIN IMMEDIATE` to `COMMIT`, runs in one go, its statements kept prepared.
//!
//! The values are stored as sqlx stores them (dates and times as the same text, booleans as 0
//! and 1), so that what is written here reads back the same through sqlx; its errors are
//! sqlx errors with SQLite's extended result code, so that they are told apart (busy, a
//! constraint) as any other.

use super::{QueryAs, QueryScalar, Statement, Value};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{
    ToSql,
    types::{ToSqlOutput, ValueRef},
};
use sqlx::error::{DatabaseError, ErrorKind};
use std::{borrow::Cow, fmt};

/// The writer's direct connection, during one write.
pub struct Direct<'c>(pub(super) &'c rusqlite::Connection);

impl Direct<'_> {
    /// Runs a statement without rows; how many rows it inserted, changed or deleted.
    pub fn execute(&self, statement: impl Statement) -> Result<u64, sqlx::Error> {
        let (sql, values) = statement.into_parts();
        let mut prepared = self.prepared(sql.as_str(), &values)?;
        let changed = prepared.raw_execute().map_err(error)?;
        Ok(changed as u64)
    }

    /// The rows a statement answers.
    pub fn rows<S: Reading>(&self, statement: S) -> Result<Vec<S::Row>, sqlx::Error>
    where
        S::Row: Columns,
    {
        let (sql, values) = statement.into_parts();
        let mut prepared = self.prepared(sql.as_str(), &values)?;
        let mut rows = prepared.raw_query();
        let mut read = Vec::new();
        while let Some(row) = rows.next().map_err(error)? {
            read.push(S::Row::from_columns(row).map_err(error)?);
        }
        Ok(read)
    }

    /// The first row a statement answers, if any.
    pub fn optional<S: Reading>(&self, statement: S) -> Result<Option<S::Row>, sqlx::Error>
    where
        S::Row: Columns,
    {
        Ok(self.rows(statement)?.into_iter().next())
    }

    /// The first row a statement answers; none is [`sqlx::Error::RowNotFound`].
    pub fn one<S: Reading>(&self, statement: S) -> Result<S::Row, sqlx::Error>
    where
        S::Row: Columns,
    {
        self.optional(statement)?.ok_or(sqlx::Error::RowNotFound)
    }

    /// The statement, prepared once and kept, with its values bound. A placeholder `$n` takes
    /// the n-th value wherever it stands, as sqlx binds them.
    fn prepared(
        &self,
        sql: &str,
        values: &[Value],
    ) -> Result<rusqlite::CachedStatement<'_>, sqlx::Error> {
        let mut prepared = self.0.prepare_cached(sql).map_err(error)?;
        for index in 1..=prepared.parameter_count() {
            let value = prepared
                .parameter_name(index)
                .and_then(|name| name.strip_prefix(['$', '?']))
                .and_then(|number| number.parse::<usize>().ok())
                .and_then(|number| values.get(number.checked_sub(1)?))
                .ok_or_else(|| {
                    sqlx::Error::Protocol(format!(
                        "parameter {index} of a statement has no value: {sql}"
                    ))
                })?;
            prepared.raw_bind_parameter(index, value).map_err(error)?;
        }
        Ok(prepared)
    }
}

/// Opens the direct connection to the SQLite file at `path` (see [`super::Writing::direct`]),
/// set as sqlx sets the writer's: foreign keys enforced, every commit synced to disk, waiting
/// up to ten seconds for another process's write, its log checkpointed by others (see
/// [`super::super::checkpoints`]), 512 KiB of page cache.
pub fn open_direct(path: &std::path::Path) -> Result<rusqlite::Connection, sqlx::Error> {
    let name = path.to_string_lossy();
    if name == ":memory:" || name.contains("mode=memory") {
        return Err(sqlx::Error::Configuration(
            "a database in memory cannot be written through a second connection: give a file"
                .into(),
        ));
    }
    open_file(
        path,
        std::time::Duration::from_secs(10),
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = FULL;
         PRAGMA wal_autocheckpoint = 0;
         PRAGMA cache_size = -512;",
        32,
    )
}

/// A connection of this thread's to the SQLite file at `path`, waiting up to `busy` for a lock,
/// set by `pragmas`, keeping up to `kept` statements prepared.
fn open_file(
    path: &std::path::Path,
    busy: std::time::Duration,
    pragmas: &str,
    kept: usize,
) -> Result<rusqlite::Connection, sqlx::Error> {
    use rusqlite::OpenFlags;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = rusqlite::Connection::open_with_flags(path, flags).map_err(error)?;
    conn.busy_timeout(busy).map_err(error)?;
    conn.execute_batch(pragmas).map_err(error)?;
    conn.set_prepared_statement_cache_capacity(kept);
    Ok(conn)
}

/// Connections that read from the calling thread, taken and given back without a round trip
/// to another thread (see [`super::Pool::readers`]): the few reads a request makes before it
/// saves (its session, the sub-goal of the milestone it changes) go on where the request is,
/// instead of waiting for a connection's thread and then for the request's thread again, each
/// a wait for a core under load (issue #18). A read is one statement, which SQLite answers from
/// one snapshot; on a WAL file it never waits for the writer.
#[derive(Debug)]
pub struct Readers {
    path: std::path::PathBuf,
    idle: std::sync::Mutex<Vec<rusqlite::Connection>>,
    closed: std::sync::atomic::AtomicBool,
}

/// How many idle readers are kept: one for each thread that reads at once (the page and the
/// write threads).
const READERS_KEPT: usize = 4;

impl Readers {
    pub fn new(path: &std::path::Path) -> Readers {
        Readers {
            path: path.to_owned(),
            idle: std::sync::Mutex::new(Vec::new()),
            closed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Runs `read` on an idle reader, opened if none is idle.
    pub fn read<T>(
        &self,
        read: impl FnOnce(&Direct<'_>) -> Result<T, sqlx::Error>,
    ) -> Result<T, sqlx::Error> {
        let taken = self.idle().pop();
        let conn = match taken {
            Some(conn) => conn,
            None => open_reader(&self.path)?,
        };
        let answer = read(&Direct(&conn));
        let mut idle = self.idle();
        let closed = self.closed.load(std::sync::atomic::Ordering::Acquire);
        if idle.len() < READERS_KEPT && conn.is_autocommit() && !closed {
            idle.push(conn);
        }
        answer
    }

    /// Closes the idle readers (one taken meanwhile is closed when it is given back).
    pub fn close(&self) {
        self.closed
            .store(true, std::sync::atomic::Ordering::Release);
        for conn in self.idle().drain(..) {
            let _ = conn.close();
        }
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<rusqlite::Connection>> {
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A connection that only reads (`query_only`), as the pool's are set: a short busy timeout
/// (a read of a WAL file waits for nobody but a log being recovered), 512 KiB of page cache.
fn open_reader(path: &std::path::Path) -> Result<rusqlite::Connection, sqlx::Error> {
    open_file(
        path,
        std::time::Duration::from_secs(1),
        "PRAGMA query_only = ON;
         PRAGMA cache_size = -512;",
        16,
    )
}

/// Runs `write` between `BEGIN IMMEDIATE` and `COMMIT`; rolled back if any of it fails (or
/// panics). A transaction left open before (its rollback failed) is rolled back first.
pub(super) fn transaction<T>(
    conn: &rusqlite::Connection,
    write: impl FnOnce(&Direct<'_>) -> Result<T, sqlx::Error>,
) -> Result<T, sqlx::Error> {
    if !conn.is_autocommit() {
        conn.execute_batch("ROLLBACK").map_err(error)?;
    }
    conn.execute_batch("BEGIN IMMEDIATE").map_err(error)?;
    let open = Open(conn);
    let written = write(&Direct(conn)).and_then(|written| {
        conn.execute_batch("COMMIT")
            .map_err(error)
            .map(|()| written)
    });
    drop(open);
    written
}

/// A transaction on the direct connection; rolled back when dropped unless ended.
struct Open<'c>(&'c rusqlite::Connection);

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.0.is_autocommit()
            && let Err(rollback) = self.0.execute_batch("ROLLBACK")
        {
            tracing::error!("rolling back a write failed: {rollback}");
        }
    }
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value as Stored;
        let stored = match self {
            Value::Int(v) => v.map(Stored::Integer),
            Value::Int32(v) => v.map(|v| Stored::Integer(v.into())),
            Value::Float(v) => v.map(Stored::Real),
            Value::Bool(v) => v.map(|v| Stored::Integer(v.into())),
            Value::Text(v) => {
                return Ok(v
                    .as_deref()
                    .map_or(ToSqlOutput::Owned(Stored::Null), |text| {
                        ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes()))
                    }));
            }
            Value::Bytes(v) => {
                return Ok(v
                    .as_deref()
                    .map_or(ToSqlOutput::Owned(Stored::Null), |bytes| {
                        ToSqlOutput::Borrowed(ValueRef::Blob(bytes))
                    }));
            }
            Value::Date(v) => v.map(|date| Stored::Text(date.format("%F").to_string())),
            Value::Time(v) => {
                v.map(|time| Stored::Text(time.to_rfc3339_opts(SecondsFormat::AutoSi, false)))
            }
        };
        Ok(ToSqlOutput::Owned(stored.unwrap_or(Stored::Null)))
    }
}

/// A statement that answers rows, and what each is read into.
pub trait Reading: Statement {
    type Row;
}

impl<T> Reading for QueryAs<T> {
    type Row = T;
}

impl<T> Reading for QueryScalar<T> {
    type Row = T;
}

/// A row read from its columns, by position.
pub trait Columns: Sized {
    fn from_columns(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

impl Columns for i64 {
    fn from_columns(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        row.get(0)
    }
}

impl Columns for String {
    fn from_columns(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        row.get(0)
    }
}

impl Columns for (i64, i64) {
    fn from_columns(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok((row.get(0)?, row.get(1)?))
    }
}

/// A date in column `index`, stored as sqlx stores one (`2026-12-07`).
pub fn date(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = row.get(index)?;
    NaiveDate::parse_from_str(&text, "%F").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A point in time in column `index`, stored as sqlx stores one (RFC 3339,
/// `2026-12-07T09:30:00.5+00:00`), or as SQLite's own functions write one (`2026-12-07
/// 09:30:00`, in UTC).
pub fn time(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(index)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|time| time.with_timezone(&Utc))
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(&text, "%F %T%.f").map(|time| time.and_utc())
        })
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                Box::new(e),
            )
        })
}

/// As [`date`], NULL read as none.
pub fn optional_date(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match row.get_ref(index)? {
        ValueRef::Null => Ok(None),
        _ => date(row, index).map(Some),
    }
}

/// An error of SQLite as sqlx gives one: a database error with SQLite's extended result code
/// and its kind (a constraint, say); any other (a value that does not read) a protocol error.
pub(super) fn error(error: rusqlite::Error) -> sqlx::Error {
    match error {
        rusqlite::Error::SqliteFailure(failure, message) => {
            sqlx::Error::Database(Box::new(SqliteFailure {
                code: failure.extended_code,
                message: message.unwrap_or_else(|| failure.to_string()),
            }))
        }
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

/// SQLite's refusal of a statement, with its extended result code.
#[derive(Debug)]
struct SqliteFailure {
    code: i32,
    message: String,
}

impl fmt::Display for SqliteFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (code {})", self.message, self.code)
    }
}

impl std::error::Error for SqliteFailure {}

impl DatabaseError for SqliteFailure {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(self.code.to_string().into())
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> ErrorKind {
        use rusqlite::ffi;
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}
