//! The two database engines behind one small query interface: SQLite (one file, the default)
//! and PostgreSQL. The store writes its SQL once, in the dialect both understand (`$1`
//! placeholders, standard SQL); this module binds the parameters and reads the rows on
//! whichever engine the pool is. Only starting a transaction differs here (see
//! [`Pool::write`] and [`Pool::read`]). sqlx's own `Any` driver is no substitute: it has no
//! date types and passes SQL through unchanged.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{
    Decode, FromRow, PgPool, Postgres, SqlSafeStr, SqlStr, Sqlite, SqlitePool, Type,
    postgres::PgRow, sqlite::SqliteRow,
};
use std::marker::PhantomData;

/// The key of the PostgreSQL advisory lock every write transaction holds (see
/// [`Pool::write`]); any fixed number, the same in every process.
pub(crate) const WRITER_LOCK: i64 = 0x4d65_696c_656e; // "Meilen"

/// A pool of connections to one database.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
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
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Pool {
    pub fn engine(&self) -> Engine {
        match self {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// A write transaction, the only one at a time across every process using the database:
    /// SQLite's `BEGIN IMMEDIATE` takes its write lock at once; on PostgreSQL a transaction
    /// takes one advisory lock first, held until it ends. One writer at a time keeps what
    /// SQLite gives for free true on PostgreSQL with many connections and server processes:
    /// the audit chain (read the last hash, then append) cannot fork, `MAX(position) + 1`
    /// cannot be taken twice, and entries commit in the order of their ids, so the highest
    /// id tells whether anything changed.
    pub async fn write(&self) -> Result<Tx, sqlx::Error> {
        match self {
            Pool::Sqlite(pool) => Ok(Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?)),
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
            Pool::Sqlite(pool) => Ok(Tx::Sqlite(pool.begin().await?)),
            Pool::Postgres(pool) => Ok(Tx::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            )),
        }
    }

    pub async fn close(&self) {
        match self {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }

    pub fn engine(&self) -> Engine {
        match self {
            Tx::Sqlite(_) => Engine::Sqlite,
            Tx::Postgres(_) => Engine::Postgres,
        }
    }
}

/// Where a query runs: a pool (any free connection) or an open transaction.
pub enum Target<'c> {
    SqlitePool(&'c SqlitePool),
    Sqlite(&'c mut sqlx::SqliteConnection),
    PostgresPool(&'c PgPool),
    Postgres(&'c mut sqlx::PgConnection),
}

pub trait Executor<'c> {
    fn target(self) -> Target<'c>;
}

impl<'c> Executor<'c> for &'c Pool {
    fn target(self) -> Target<'c> {
        match self {
            Pool::Sqlite(pool) => Target::SqlitePool(pool),
            Pool::Postgres(pool) => Target::PostgresPool(pool),
        }
    }
}

impl<'c> Executor<'c> for &'c mut Tx {
    fn target(self) -> Target<'c> {
        match self {
            Tx::Sqlite(tx) => Target::Sqlite(&mut *tx),
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
