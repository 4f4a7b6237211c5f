//! The two database engines behind one small query interface: SQLite (one file, the default)
//! and PostgreSQL. The store writes its SQL once, in the dialect both understand (`$1`
//! placeholders, standard SQL); this module binds the parameters and reads the rows on
//! whichever engine the pool is. Only starting a transaction differs here (see
//! [`Pool::write`] and [`Pool::read`]). sqlx's own `Any` driver is no substitute: it has no
//! date types and passes SQL through unchanged.

use super::checkpoints::Checkpoints;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{
    Decode, FromRow, PgPool, Postgres, SqlSafeStr, SqlStr, Sqlite, SqliteConnection, SqlitePool,
    Type,
    postgres::{PgConnection, PgRow},
    sqlite::SqliteRow,
};
use std::{marker::PhantomData, sync::Arc};

mod direct;
pub use direct::{Columns, Direct, Readers, Reading, date, open_direct, optional_date, time};

/// The key of the PostgreSQL advisory lock every write transaction holds (see
/// [`Pool::write`]); any fixed number, the same in every process.
pub(crate) const WRITER_LOCK: i64 = 0x4d65_696c_656e; // "Meilen"

/// A pool of connections to one database; on SQLite with the one connection this process
/// writes through (see [`Writer`]) and connections that read from the calling thread (see
/// [`Pool::readers`]).
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool, Arc<tokio::sync::Mutex<Writer>>, Arc<Readers>),
    Postgres(PgPool),
}

/// Which engine a database runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A transaction on either engine; dropped without [`Tx::commit`], it is rolled back.
#[derive(Debug)]
pub enum Tx {
    /// A read transaction on SQLite (a connection of the pool).
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    /// A write transaction on SQLite (the writer's connection).
    SqliteWrite(Writing),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// The SQLite connection every write of this process goes through, outside the pool. A
/// connection of the pool is asked whether it is still there each time it is given back (a
/// round trip to its thread, by sqlx), and its transaction takes a round trip of its own to
/// begin and one to commit; the writer's transaction begins with the first statements sent
/// and commits with the last (see [`Batch::run_and_commit`]): a write holds the write turn
/// for two round trips instead of five. Saves go through a connection of its own, without
/// sqlx's thread, all their statements in one go from the thread that writes them (see
/// [`Writing::direct`]).
#[derive(Debug)]
pub struct Writer {
    conn: Option<SqliteConnection>,
    /// A connection of its own to the same file that saves are written through from the
    /// calling thread, without sqlx's thread in between (see [`Writing::direct`]).
    direct: Option<rusqlite::Connection>,
    /// Told of every commit: the log is checkpointed beside the writes (see
    /// [`super::checkpoints`]).
    checkpoints: Arc<Checkpoints>,
    /// A transaction may still be open on the connection: its writer was dropped midway (a
    /// request cancelled) and could not roll it back (see [`Writing`]'s drop).
    unended: bool,
}

impl Writer {
    pub fn new(
        conn: SqliteConnection,
        direct: rusqlite::Connection,
        checkpoints: Arc<Checkpoints>,
    ) -> Writer {
        Writer {
            conn: Some(conn),
            direct: Some(direct),
            checkpoints,
            unended: false,
        }
    }
}

/// Where a write transaction on the writer's connection stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Begun {
    /// Nothing sent yet: `BEGIN IMMEDIATE` goes first with what is sent first.
    Not,
    /// `BEGIN IMMEDIATE` sent (perhaps failed): ended by a commit, else rolled back.
    Open,
    /// Committed (or found closed): nothing to roll back.
    Ended,
}

/// A write transaction on the writer's connection, holding it until it ends. Dropped while
/// open (an error, or a request cancelled midway), it is rolled back: at once, in a task that
/// holds the connection until then, or else before the next write begins.
#[derive(Debug)]
pub struct Writing {
    writer: Option<tokio::sync::OwnedMutexGuard<Writer>>,
    begun: Begun,
}

impl Writing {
    fn conn(&mut self) -> &mut SqliteConnection {
        self.writer
            .as_mut()
            .and_then(|w| w.conn.as_mut())
            .expect("the writer's connection while writing")
    }

    /// The connection, with the transaction begun.
    pub(crate) async fn begun(&mut self) -> Result<&mut SqliteConnection, sqlx::Error> {
        if self.begun == Begun::Not {
            self.begun = Begun::Open;
            sqlx::query("BEGIN IMMEDIATE").execute(self.conn()).await?;
        }
        Ok(self.conn())
    }

    async fn commit(mut self) -> Result<(), sqlx::Error> {
        if self.begun == Begun::Open {
            sqlx::query("COMMIT").execute(self.conn()).await?;
            self.committed();
        }
        self.begun = Begun::Ended;
        Ok(())
    }

    /// Runs `write` as one transaction on the writer's direct connection, from this thread
    /// (see [`direct`]): `BEGIN IMMEDIATE` before it and `COMMIT` after it, or `ROLLBACK` if
    /// any of it fails, so that nothing of it stays unless all of it is committed. The
    /// transaction on the writer's sqlx connection must not have begun (nothing sent in it).
    pub(crate) async fn direct<T>(
        &mut self,
        write: impl FnOnce(&Direct<'_>) -> Result<T, sqlx::Error>,
    ) -> Result<T, sqlx::Error> {
        if self.begun != Begun::Not {
            return Err(sqlx::Error::Protocol(
                "a direct write in a transaction already begun".to_owned(),
            ));
        }
        let conn = self
            .writer
            .as_mut()
            .and_then(|w| w.direct.as_mut())
            .expect("the writer's direct connection while writing");
        let written = direct::transaction(conn, write);
        if written.is_ok() {
            self.committed();
        }
        written
    }

    /// The transaction is committed.
    fn committed(&mut self) {
        self.begun = Begun::Ended;
        if let Some(writer) = &self.writer {
            writer.checkpoints.committed();
        }
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        if self.begun != Begun::Open {
            return;
        }
        let Some(mut writer) = self.writer.take() else {
            return;
        };
        writer.unended = true;
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            // After whatever was sent before (the connection's thread answers in order).
            runtime.spawn(async move { roll_back(&mut writer).await });
        }
    }
}

/// Rolls back what may be open on the writer's connection; none open is no error.
async fn roll_back(writer: &mut Writer) {
    if let Some(conn) = writer.conn.as_mut()
        && let Err(error) = sqlx::query("ROLLBACK").execute(conn).await
    {
        let closed = error
            .as_database_error()
            .is_some_and(|e| e.message().contains("no transaction is active"));
        if !closed {
            tracing::error!("rolling back an unfinished write failed: {error}");
            return;
        }
    }
    writer.unended = false;
}

impl Pool {
    pub fn engine(&self) -> Engine {
        match self {
            Pool::Sqlite(..) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// A write transaction, the only one at a time across every process using the database:
    /// SQLite's `BEGIN IMMEDIATE` takes its write lock at once (sent with the transaction's
    /// first statements, on the writer's connection); on PostgreSQL a transaction takes one
    /// advisory lock first, held until it ends. One writer at a time keeps what SQLite gives
    /// for free true on PostgreSQL with many connections and server processes: the audit
    /// chain (read the last hash, then append) cannot fork, `MAX(position) + 1` cannot be
    /// taken twice, and entries commit in the order of their ids, so the highest id tells
    /// whether anything changed.
    pub async fn write(&self) -> Result<Tx, sqlx::Error> {
        match self {
            Pool::Sqlite(_, writer, _) => {
                let mut writer = writer.clone().lock_owned().await;
                if writer.unended {
                    roll_back(&mut writer).await;
                }
                Ok(Tx::SqliteWrite(Writing {
                    writer: Some(writer),
                    begun: Begun::Not,
                }))
            }
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                // As long as SQLite waits for its write lock (the busy timeout): then the
                // request is answered "busy, try again" instead of waiting on.
                sqlx::query("SET LOCAL lock_timeout = '10s'")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(WRITER_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Ok(Tx::Postgres(tx))
            }
        }
    }

    /// A read transaction: every query in it sees the database as it was when it began
    /// (SQLite's WAL gives a read transaction one snapshot; PostgreSQL needs `REPEATABLE
    /// READ` for it, its default gives each statement its own).
    pub async fn read(&self) -> Result<Tx, sqlx::Error> {
        match self {
            Pool::Sqlite(pool, ..) => Ok(Tx::Sqlite(pool.begin().await?)),
            Pool::Postgres(pool) => Ok(Tx::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            )),
        }
    }

    /// On SQLite, the connections that read from the calling thread (see [`Readers`]): for a
    /// request's reads of a row or two before it saves, not for a page's (they would hold up
    /// the thread every other request on it waits for).
    pub fn readers(&self) -> Option<&Readers> {
        match self {
            Pool::Sqlite(_, _, readers) => Some(readers),
            Pool::Postgres(_) => None,
        }
    }

    /// What checkpoints the log beside the writer, on SQLite.
    pub async fn checkpoints(&self) -> Option<Arc<Checkpoints>> {
        match self {
            Pool::Sqlite(_, writer, _) => Some(writer.lock().await.checkpoints.clone()),
            Pool::Postgres(_) => None,
        }
    }

    pub async fn close(&self) {
        match self {
            Pool::Sqlite(pool, writer, readers) => {
                readers.close();
                let mut writer = writer.lock().await;
                if let Some(direct) = writer.direct.take() {
                    let _ = direct.close();
                }
                if let Some(conn) = writer.conn.take() {
                    let _ = sqlx::Connection::close(conn).await;
                }
                writer.checkpoints.close().await;
                pool.close().await
            }
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::SqliteWrite(writing) => writing.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }

    pub fn engine(&self) -> Engine {
        match self {
            Tx::Sqlite(_) | Tx::SqliteWrite(_) => Engine::Sqlite,
            Tx::Postgres(_) => Engine::Postgres,
        }
    }
}

/// Where a query runs: a pool (any free connection) or an open transaction.
pub enum Target<'c> {
    SqlitePool(&'c SqlitePool),
    Sqlite(&'c mut sqlx::SqliteConnection),
    SqliteWriting(&'c mut Writing),
    PostgresPool(&'c PgPool),
    Postgres(&'c mut sqlx::PgConnection),
}

pub trait Executor<'c> {
    fn target(self) -> Target<'c>;
}

impl<'c> Executor<'c> for &'c Pool {
    fn target(self) -> Target<'c> {
        match self {
            Pool::Sqlite(pool, ..) => Target::SqlitePool(pool),
            Pool::Postgres(pool) => Target::PostgresPool(pool),
        }
    }
}

impl<'c> Executor<'c> for &'c mut Tx {
    fn target(self) -> Target<'c> {
        match self {
            Tx::Sqlite(tx) => Target::Sqlite(&mut *tx),
            Tx::SqliteWrite(writing) => Target::SqliteWriting(writing),
            Tx::Postgres(tx) => Target::Postgres(&mut *tx),
        }
    }
}

/// One bound parameter, typed, so that PostgreSQL knows its type even when it is NULL.
#[derive(Clone, Debug)]
pub enum Value {
    Int(Option<i64>),
    Int32(Option<i32>),
    Float(Option<f64>),
    Bool(Option<bool>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
    Date(Option<NaiveDate>),
    Time(Option<DateTime<Utc>>),
}

/// What can be bound as a parameter.
pub trait Param {
    fn value(self) -> Value;
    /// NULL of this parameter's type.
    fn null() -> Value
    where
        Self: Sized;
}

macro_rules! params {
    ($($ty:ty => $variant:ident $(, $convert:expr)?;)*) => {$(
        impl Param for $ty {
            fn value(self) -> Value {
                Value::$variant(Some(params!(@convert self $(, $convert)?)))
            }
            fn null() -> Value {
                Value::$variant(None)
            }
        }
    )*};
    (@convert $value:ident) => { $value };
    (@convert $value:ident, $convert:expr) => { ($convert)($value) };
}

params! {
    i64 => Int;
    &i64 => Int, |v: &i64| *v;
    i32 => Int32;
    f64 => Float;
    &f64 => Float, |v: &f64| *v;
    bool => Bool;
    &bool => Bool, |v: &bool| *v;
    String => Text;
    &str => Text, str::to_owned;
    &String => Text, String::clone;
    Vec<u8> => Bytes;
    &[u8] => Bytes, <[u8]>::to_vec;
    &Vec<u8> => Bytes, Vec::clone;
    NaiveDate => Date;
    &NaiveDate => Date, |d: &NaiveDate| *d;
    DateTime<Utc> => Time;
    &DateTime<Utc> => Time, |t: &DateTime<Utc>| *t;
}

impl Param for Value {
    fn value(self) -> Value {
        self
    }
    fn null() -> Value {
        Value::Text(None)
    }
}

impl<T: Param> Param for Option<T> {
    fn value(self) -> Value {
        match self {
            Some(value) => value.value(),
            None => T::null(),
        }
    }
    fn null() -> Value {
        T::null()
    }
}

impl<'a, T> Param for &'a Option<T>
where
    &'a T: Param,
{
    fn value(self) -> Value {
        match self {
            Some(value) => value.value(),
            None => <&'a T>::null(),
        }
    }
    fn null() -> Value {
        <&'a T>::null()
    }
}

/// A row both engines can read into `Self`.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

/// A single column both engines can read into `Self`.
pub trait Scalar:
    for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
    + Send
    + Unpin
{
}
impl<T> Scalar for T where
    T: for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + Send
        + Unpin
{
}

/// Binds every parameter to a sqlx query of either engine.
macro_rules! bind_all {
    ($query:expr, $values:expr) => {{
        let mut query = $query;
        for value in $values {
            query = match value {
                Value::Int(v) => query.bind(v),
                Value::Int32(v) => query.bind(v),
                Value::Float(v) => query.bind(v),
                Value::Bool(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
                Value::Bytes(v) => query.bind(v),
                Value::Date(v) => query.bind(v),
                Value::Time(v) => query.bind(v),
            };
        }
        query
    }};
}

/// A statement without rows to read.
#[must_use = "a query does nothing until it is executed"]
pub struct Query {
    sql: SqlStr,
    values: Vec<Value>,
}

/// What a statement did.
#[derive(Debug)]
pub struct Done {
    rows_affected: u64,
}

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

pub fn query(sql: impl SqlSafeStr) -> Query {
    Query {
        sql: sql.into_sql_str(),
        values: Vec::new(),
    }
}

impl Query {
    pub fn bind(mut self, value: impl Param) -> Self {
        self.values.push(value.value());
        self
    }

    pub async fn execute<'c>(self, on: impl Executor<'c>) -> Result<Done, sqlx::Error> {
        let rows_affected = match on.target() {
            Target::SqlitePool(pool) => bind_all!(sqlx::query::<Sqlite>(self.sql), self.values)
                .execute(pool)
                .await?
                .rows_affected(),
            Target::Sqlite(conn) => bind_all!(sqlx::query::<Sqlite>(self.sql), self.values)
                .execute(conn)
                .await?
                .rows_affected(),
            Target::SqliteWriting(writing) => {
                bind_all!(sqlx::query::<Sqlite>(self.sql), self.values)
                    .execute(writing.begun().await?)
                    .await?
                    .rows_affected()
            }
            Target::PostgresPool(pool) => bind_all!(sqlx::query::<Postgres>(self.sql), self.values)
                .execute(pool)
                .await?
                .rows_affected(),
            Target::Postgres(conn) => bind_all!(sqlx::query::<Postgres>(self.sql), self.values)
                .execute(conn)
                .await?
                .rows_affected(),
        };
        Ok(Done { rows_affected })
    }
}

/// Runs one fetch method of a sqlx query (`query_as` or `query_scalar`) on the target.
macro_rules! fetch {
    ($self:ident, $on:ident, $make:ident, $method:ident) => {
        match $on.target() {
            Target::SqlitePool(pool) => {
                bind_all!(sqlx::$make::<Sqlite, T>($self.sql), $self.values)
                    .$method(pool)
                    .await
            }
            Target::Sqlite(conn) => {
                bind_all!(sqlx::$make::<Sqlite, T>($self.sql), $self.values)
                    .$method(conn)
                    .await
            }
            Target::SqliteWriting(writing) => {
                bind_all!(sqlx::$make::<Sqlite, T>($self.sql), $self.values)
                    .$method(writing.begun().await?)
                    .await
            }
            Target::PostgresPool(pool) => {
                bind_all!(sqlx::$make::<Postgres, T>($self.sql), $self.values)
                    .$method(pool)
                    .await
            }
            Target::Postgres(conn) => {
                bind_all!(sqlx::$make::<Postgres, T>($self.sql), $self.values)
                    .$method(conn)
                    .await
            }
        }
    };
}

/// A query whose rows are read into `T`.
#[must_use = "a query does nothing until it is fetched"]
pub struct QueryAs<T> {
    sql: SqlStr,
    values: Vec<Value>,
    row: PhantomData<fn() -> T>,
}

pub fn query_as<T: Row>(sql: impl SqlSafeStr) -> QueryAs<T> {
    QueryAs {
        sql: sql.into_sql_str(),
        values: Vec::new(),
        row: PhantomData,
    }
}

impl<T: Row> QueryAs<T> {
    pub fn bind(mut self, value: impl Param) -> Self {
        self.values.push(value.value());
        self
    }

    pub async fn fetch_all<'c>(self, on: impl Executor<'c>) -> Result<Vec<T>, sqlx::Error> {
        fetch!(self, on, query_as, fetch_all)
    }

    pub async fn fetch_one<'c>(self, on: impl Executor<'c>) -> Result<T, sqlx::Error> {
        fetch!(self, on, query_as, fetch_one)
    }

    pub async fn fetch_optional<'c>(self, on: impl Executor<'c>) -> Result<Option<T>, sqlx::Error> {
        fetch!(self, on, query_as, fetch_optional)
    }
}

/// A query whose rows are one column each, read into `T`.
#[must_use = "a query does nothing until it is fetched"]
pub struct QueryScalar<T> {
    sql: SqlStr,
    values: Vec<Value>,
    column: PhantomData<fn() -> T>,
}

pub fn query_scalar<T: Scalar>(sql: impl SqlSafeStr) -> QueryScalar<T> {
    QueryScalar {
        sql: sql.into_sql_str(),
        values: Vec::new(),
        column: PhantomData,
    }
}

impl<T: Scalar> QueryScalar<T> {
    pub fn bind(mut self, value: impl Param) -> Self {
        self.values.push(value.value());
        self
    }

    pub async fn fetch_all<'c>(self, on: impl Executor<'c>) -> Result<Vec<T>, sqlx::Error> {
        fetch!(self, on, query_scalar, fetch_all)
    }

    pub async fn fetch_one<'c>(self, on: impl Executor<'c>) -> Result<T, sqlx::Error> {
        fetch!(self, on, query_scalar, fetch_one)
    }

    pub async fn fetch_optional<'c>(self, on: impl Executor<'c>) -> Result<Option<T>, sqlx::Error> {
        fetch!(self, on, query_scalar, fetch_optional)
    }
}

/// Statements sent to the database together, each with its own parameters, answered together:
/// on SQLite in one round trip to the connection's thread (one string of statements, its
/// placeholders numbered on), on PostgreSQL one after another. A round trip is two thread
/// switches; under load each waits for a core, so a write that holds the one write turn (see
/// [`Pool::write`]) sends what it can in as few as it can. The statements run in order; the
/// first that fails ends the batch with its error (the transaction is then rolled back by
/// whoever holds it: a batch is meant for one).
#[derive(Default)]
#[must_use = "a batch does nothing until it is run"]
pub struct Batch {
    statements: Vec<(SqlStr, Vec<Value>)>,
}

/// A statement of a [`Batch`], to find its answer by in [`Answers`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot(usize);

/// What a statement of any kind is made of.
pub trait Statement {
    fn into_parts(self) -> (SqlStr, Vec<Value>);
}

impl Statement for Query {
    fn into_parts(self) -> (SqlStr, Vec<Value>) {
        (self.sql, self.values)
    }
}

impl<T> Statement for QueryAs<T> {
    fn into_parts(self) -> (SqlStr, Vec<Value>) {
        (self.sql, self.values)
    }
}

impl<T> Statement for QueryScalar<T> {
    fn into_parts(self) -> (SqlStr, Vec<Value>) {
        (self.sql, self.values)
    }
}

/// The rows and the count of changed rows of one statement of a batch.
enum Answer {
    Sqlite(Vec<SqliteRow>, u64),
    Postgres(Vec<PgRow>, u64),
}

/// The answers of a [`Batch`], one per statement.
pub struct Answers(Vec<Answer>);

impl Batch {
    pub fn new() -> Self {
        Batch::default()
    }

    /// Adds a statement; its answer is found by the slot.
    pub fn push(&mut self, statement: impl Statement) -> Slot {
        self.statements.push(statement.into_parts());
        Slot(self.statements.len() - 1)
    }

    /// Runs the statements in `tx`.
    pub async fn run(self, tx: &mut Tx) -> Result<Answers, sqlx::Error> {
        match tx {
            Tx::Sqlite(conn) => {
                let (sql, values) = self.joined(false, false);
                sqlite_answers(conn, sql, values, self.statements.len()).await
            }
            Tx::SqliteWrite(writing) => self.on_writer(writing, false).await,
            Tx::Postgres(conn) => self.one_by_one(conn).await,
        }
    }

    /// Runs the statements in `tx` and commits it: on SQLite in the same round trip. Nothing
    /// is committed if a statement fails.
    pub async fn run_and_commit(self, mut tx: Tx) -> Result<Answers, sqlx::Error> {
        if let Tx::SqliteWrite(writing) = &mut tx {
            return self.on_writer(writing, true).await;
        }
        let answers = self.run(&mut tx).await?;
        tx.commit().await?;
        Ok(answers)
    }

    /// On the writer's connection: `BEGIN IMMEDIATE` first if nothing was sent yet, `COMMIT`
    /// last if `commit`, in the one string.
    async fn on_writer(self, writing: &mut Writing, commit: bool) -> Result<Answers, sqlx::Error> {
        let begin = writing.begun == Begun::Not;
        writing.begun = Begun::Open;
        let (sql, values) = self.joined(begin, commit);
        let sent = self.statements.len() + usize::from(begin) + usize::from(commit);
        let mut answers = sqlite_answers(writing.conn(), sql, values, sent).await?;
        if commit {
            writing.committed();
            answers.0.pop();
        }
        if begin {
            answers.0.remove(0);
        }
        Ok(answers)
    }

    async fn one_by_one(self, conn: &mut PgConnection) -> Result<Answers, sqlx::Error> {
        use futures_util::TryStreamExt;
        let mut answers = Vec::with_capacity(self.statements.len());
        for (sql, values) in self.statements {
            let query = bind_all!(sqlx::query::<Postgres>(sql), values);
            let mut rows = Vec::new();
            let mut changed = 0;
            let mut stream = sqlx::Executor::fetch_many(&mut *conn, query);
            while let Some(item) = stream.try_next().await? {
                match item {
                    sqlx::Either::Left(done) => changed += done.rows_affected(),
                    sqlx::Either::Right(row) => rows.push(row),
                }
            }
            answers.push(Answer::Postgres(rows, changed));
        }
        Ok(Answers(answers))
    }

    /// The statements as one string, each one's `$n` placeholders numbered on after those of
    /// the statements before it, and all their values in that order; `BEGIN IMMEDIATE`
    /// before them and `COMMIT` after them if asked.
    fn joined(&self, begin: bool, commit: bool) -> (String, Vec<Value>) {
        let mut sql = String::new();
        if begin {
            sql.push_str("BEGIN IMMEDIATE");
        }
        let mut values = Vec::new();
        for (statement, own) in &self.statements {
            if !sql.is_empty() {
                sql.push_str(";\n");
            }
            renumbered(statement.as_str(), values.len(), &mut sql);
            values.extend(own.iter().cloned());
        }
        if commit {
            sql.push_str(";\nCOMMIT");
        }
        (sql, values)
    }
}

/// Runs a string of `statements` statements on a SQLite connection in one round trip (kept
/// prepared by sqlx), and sorts what comes back into each one's answer.
async fn sqlite_answers(
    conn: &mut SqliteConnection,
    sql: String,
    values: Vec<Value>,
    statements: usize,
) -> Result<Answers, sqlx::Error> {
    use futures_util::TryStreamExt;
    let query = bind_all!(sqlx::query::<Sqlite>(sqlx::AssertSqlSafe(sql)), values);
    let mut answers = Vec::with_capacity(statements);
    let mut rows = Vec::new();
    let mut stream = sqlx::Executor::fetch_many(conn, query);
    while let Some(item) = stream.try_next().await? {
        match item {
            sqlx::Either::Left(done) => answers.push(Answer::Sqlite(
                std::mem::take(&mut rows),
                done.rows_affected(),
            )),
            sqlx::Either::Right(row) => rows.push(row),
        }
    }
    if answers.len() != statements {
        return Err(sqlx::Error::Protocol(format!(
            "a batch of {statements} statements answered {}",
            answers.len()
        )));
    }
    Ok(Answers(answers))
}

impl Answers {
    /// The rows of the statement in `slot`, read into `T`.
    pub fn rows<T: Row>(&self, slot: Slot) -> Result<Vec<T>, sqlx::Error> {
        match &self.0[slot.0] {
            Answer::Sqlite(rows, _) => rows.iter().map(T::from_row).collect(),
            Answer::Postgres(rows, _) => rows.iter().map(T::from_row).collect(),
        }
    }

    /// Its first row, if it answered any.
    pub fn optional<T: Row>(&self, slot: Slot) -> Result<Option<T>, sqlx::Error> {
        match &self.0[slot.0] {
            Answer::Sqlite(rows, _) => rows.first().map(T::from_row).transpose(),
            Answer::Postgres(rows, _) => rows.first().map(T::from_row).transpose(),
        }
    }

    /// Its first row; none is [`sqlx::Error::RowNotFound`], as for `fetch_one`.
    pub fn one<T: Row>(&self, slot: Slot) -> Result<T, sqlx::Error> {
        self.optional(slot)?.ok_or(sqlx::Error::RowNotFound)
    }

    /// The first column of its first row, if it answered any.
    pub fn optional_scalar<T: Scalar>(&self, slot: Slot) -> Result<Option<T>, sqlx::Error> {
        use sqlx::Row as _;
        match &self.0[slot.0] {
            Answer::Sqlite(rows, _) => rows.first().map(|row| row.try_get(0)).transpose(),
            Answer::Postgres(rows, _) => rows.first().map(|row| row.try_get(0)).transpose(),
        }
    }

    /// The first column of its first row; none is [`sqlx::Error::RowNotFound`].
    pub fn scalar<T: Scalar>(&self, slot: Slot) -> Result<T, sqlx::Error> {
        self.optional_scalar(slot)?.ok_or(sqlx::Error::RowNotFound)
    }

    /// How many rows the statement in `slot` inserted, changed or deleted.
    pub fn rows_affected(&self, slot: Slot) -> u64 {
        match &self.0[slot.0] {
            Answer::Sqlite(_, changed) | Answer::Postgres(_, changed) => *changed,
        }
    }
}

/// Appends `statement` to `out` with every placeholder `$n` written as `$(n + offset)`; what
/// is quoted (strings, names; a doubled quote inside reads as closing and opening again) is
/// copied as it is.
fn renumbered(statement: &str, offset: usize, out: &mut String) {
    let mut quote = None;
    let mut chars = statement.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(open) => {
                out.push(c);
                if c == open {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                out.push(c);
                quote = Some(c);
            }
            None if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut n = 0;
                while let Some(digit) = chars.peek().and_then(|d| d.to_digit(10)) {
                    n = n * 10 + digit as usize;
                    chars.next();
                }
                out.push('$');
                out.push_str(&(n + offset).to_string());
            }
            None => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renumber(statement: &str, offset: usize) -> String {
        let mut out = String::new();
        renumbered(statement, offset, &mut out);
        out
    }

    #[test]
    fn placeholders_are_numbered_on_and_quoted_text_is_left_as_it_is() {
        assert_eq!(
            renumber("SELECT $1, $2 WHERE a = $10", 3),
            "SELECT $4, $5 WHERE a = $13"
        );
        assert_eq!(
            renumber(r#"SELECT '$1 it''s $2', "col$3", $1 FROM t"#, 2),
            r#"SELECT '$1 it''s $2', "col$3", $3 FROM t"#
        );
        assert_eq!(renumber("SELECT $ || $x, $1", 1), "SELECT $ || $x, $2");
        assert_eq!(renumber("SELECT 1", 7), "SELECT 1");
    }

    #[test]
    fn a_batch_joins_its_statements_with_their_values_in_order() {
        let mut batch = Batch::new();
        batch.push(query("INSERT INTO t VALUES ($1, $2)").bind(1i64).bind("a"));
        batch.push(query_scalar::<i64>("SELECT n FROM t WHERE n > $1").bind(0i64));
        batch.push(query("DELETE FROM t"));
        let (sql, values) = batch.joined(false, false);
        assert_eq!(
            sql,
            "INSERT INTO t VALUES ($1, $2);\nSELECT n FROM t WHERE n > $3;\nDELETE FROM t"
        );
        assert!(matches!(
            values.as_slice(),
            [
                Value::Int(Some(1)),
                Value::Text(Some(a)),
                Value::Int(Some(0))
            ] if a == "a"
        ));
    }
}
