//! Moving a city's whole database to another one, on either engine (`meilenstein move-db`):
//! every table row for row with its ids, read in one snapshot of the source and written in one
//! transaction on the target, so that the target has all of it or nothing. Sessions stay
//! behind (everyone signs in again); so does the tree version, which the target counts for
//! itself. The audit trail moves entry for entry, its hashes unchanged, and gains one entry
//! that says the move happened.

use super::{
    Store,
    db::{self, Engine, Tx, Value},
};
use crate::audit::{self, Actor, Entry};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AssertSqlSafe, Row};

/// The tables moved, each before any that refers to it, with the order its rows are read in.
pub const TABLES: [(&str, &str); 21] = [
    ("strategies", "id"),
    ("fields", "id"),
    ("field_foundations", "field_id, position"),
    ("needs", "id"),
    ("subgoals", "id"),
    ("milestones", "id"),
    ("milestone_revisions", "id"),
    ("structure_revisions", "id"),
    ("baselines", "id"),
    ("baseline_dates", "baseline_id, milestone_id"),
    ("indicators", "id"),
    ("indicator_revisions", "id"),
    ("indicator_readings", "id"),
    ("users", "id"),
    ("subgoal_owners", "subgoal_id, user_id"),
    ("settings", "key"),
    ("audit_log", "id"),
    ("reports", "id"),
    ("status_reports", "subgoal_id, day, kind"),
    ("reminders", "id"),
    (
        "reminder_items",
        "user_id, subgoal_id, deadline, kind, round",
    ),
];

/// Rows read from the source at a time.
const PAGE: i64 = 2_000;
/// Rows in one insert statement (far fewer parameters than either engine allows; larger
/// statements are slower to prepare than they save).
const ROWS_PER_INSERT: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error(
        "the target database is not empty ({table}: {rows} rows); move into a new, empty database"
    )]
    NotEmpty { table: &'static str, rows: i64 },
    #[error("{table}.{column} is in the target's schema but not in the source's")]
    MissingColumn { table: &'static str, column: String },
    #[error("{table}: {source}")]
    Table {
        table: &'static str,
        source: sqlx::Error,
    },
    #[error("{0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Store(#[from] crate::error::AppError),
}

/// How many rows one table had in the source and has in the target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    pub table: &'static str,
    pub source: i64,
    pub target: i64,
}

/// The type a column's values are read and bound as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Int,
    Int32,
    Float,
    Bool,
    Text,
    Bytes,
    Date,
    Time,
}

impl Store {
    /// Copies everything this database holds (see the module's documentation) into `target`,
    /// which must be empty (freshly opened, so its schema is up to date). The counts per
    /// table on both sides, the target's taken before the entry on record of the move.
    pub async fn move_into(
        &self,
        target: &Store,
        now: DateTime<Utc>,
    ) -> Result<Vec<Moved>, MoveError> {
        let mut write = target.pool().write().await?;
        for (table, _) in TABLES {
            let rows = count(&mut write, table).await?;
            if rows > 0 {
                return Err(MoveError::NotEmpty { table, rows });
            }
        }
        let mut read = self.pool().read().await?;
        let mut moved = Vec::with_capacity(TABLES.len());
        for (table, order) in TABLES {
            let columns = columns_to_move(&mut read, &mut write, table).await?;
            copy_table(&mut read, &mut write, table, order, &columns)
                .await
                .map_err(|source| MoveError::Table { table, source })?;
            if write.engine() == Engine::Postgres && columns.iter().any(|(name, _)| name == "id") {
                // Rows came with their ids; new ones continue after the highest.
                db::query(AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                   COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )))
                .execute(&mut write)
                .await?;
            }
            moved.push(Moved {
                table,
                source: count(&mut read, table).await?,
                target: count(&mut write, table).await?,
            });
        }
        let source_engine = match self.pool().engine() {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        };
        let rows: i64 = moved.iter().map(|m| m.target).sum();
        let actor = Actor::shell();
        let entry = Entry {
            actor: &actor,
            action: "database.moved",
            object_type: "database",
            object_id: None,
            subgoal_id: None,
            details: serde_json::json!({ "from": source_engine, "rows": rows }),
        };
        audit::append(&mut write, entry, now).await?;
        write.commit().await?;
        Ok(moved)
    }
}

async fn count(tx: &mut Tx, table: &str) -> Result<i64, sqlx::Error> {
    db::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(tx)
        .await
}

/// The target's columns of `table`, typed as PostgreSQL declares them where either side is
/// PostgreSQL (SQLite keeps dates and moments as text, which either side reads and binds).
async fn columns_to_move(
    source: &mut Tx,
    target: &mut Tx,
    table: &'static str,
) -> Result<Vec<(String, Kind)>, MoveError> {
    let wanted = columns(target, table).await?;
    let had = columns(source, table).await?;
    let typed_by_source = source.engine() == Engine::Postgres && target.engine() == Engine::Sqlite;
    wanted
        .into_iter()
        .map(|(name, kind)| {
            let Some((_, source_kind)) = had.iter().find(|(had, _)| *had == name) else {
                return Err(MoveError::MissingColumn {
                    table,
                    column: name,
                });
            };
            let kind = if typed_by_source { *source_kind } else { kind };
            Ok((name, kind))
        })
        .collect()
}

async fn columns(tx: &mut Tx, table: &str) -> Result<Vec<(String, Kind)>, sqlx::Error> {
    let engine = tx.engine();
    let declared: Vec<(String, String)> = match engine {
        Engine::Postgres => db::query_as(
            "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT)
             FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1
             ORDER BY ordinal_position",
        ),
        Engine::Sqlite => db::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid"),
    }
    .bind(table)
    .fetch_all(tx)
    .await?;
    Ok(declared
        .into_iter()
        .map(|(name, declared)| {
            let kind = kind_of(engine, &declared);
            (name, kind)
        })
        .collect())
}

fn kind_of(engine: Engine, declared: &str) -> Kind {
    let declared = declared.to_ascii_lowercase();
    match engine {
        Engine::Postgres => match declared.as_str() {
            "bigint" => Kind::Int,
            "integer" | "smallint" => Kind::Int32,
            "double precision" | "real" | "numeric" => Kind::Float,
            "boolean" => Kind::Bool,
            "bytea" => Kind::Bytes,
            "date" => Kind::Date,
            "timestamp with time zone" => Kind::Time,
            _ => Kind::Text,
        },
        // SQLite's type affinity rules, by the declared type's name.
        Engine::Sqlite if declared.contains("int") => Kind::Int,
        Engine::Sqlite if declared.contains("blob") => Kind::Bytes,
        Engine::Sqlite
            if declared.contains("real")
                || declared.contains("floa")
                || declared.contains("doub") =>
        {
            Kind::Float
        }
        Engine::Sqlite => Kind::Text,
    }
}

async fn copy_table(
    source: &mut Tx,
    target: &mut Tx,
    table: &str,
    order: &str,
    columns: &[(String, Kind)],
) -> Result<(), sqlx::Error> {
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    let list = names.join(", ");
    let kinds: Vec<Kind> = columns.iter().map(|(_, kind)| *kind).collect();
    let select = format!("SELECT {list} FROM {table} ORDER BY {order} LIMIT $1 OFFSET $2");
    // Identity columns take the ids given only when told to.
    let overriding = match target.engine() {
        Engine::Postgres => " OVERRIDING SYSTEM VALUE",
        Engine::Sqlite => "",
    };
    let width = columns.len();
    let mut offset = 0;
    loop {
        let page = read_page(source, &select, &kinds, offset).await?;
        let read = page.len();
        let mut rows = page.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<Vec<Value>> = rows.by_ref().take(ROWS_PER_INSERT).collect();
            let tuples: Vec<String> = (0..chunk.len())
                .map(|row| {
                    let places: Vec<String> = (1..=width)
                        .map(|column| format!("${}", row * width + column))
                        .collect();
                    format!("({})", places.join(", "))
                })
                .collect();
            let mut insert = db::query(AssertSqlSafe(format!(
                "INSERT INTO {table} ({list}){overriding} VALUES {}",
                tuples.join(", ")
            )));
            for value in chunk.into_iter().flatten() {
                insert = insert.bind(value);
            }
            insert.execute(&mut *target).await?;
        }
        if (read as i64) < PAGE {
            return Ok(());
        }
        offset += PAGE;
    }
}

async fn read_page(
    source: &mut Tx,
    select: &str,
    kinds: &[Kind],
    offset: i64,
) -> Result<Vec<Vec<Value>>, sqlx::Error> {
    // The same on either engine, with its own row type.
    macro_rules! page {
        ($conn:expr) => {{
            let rows = sqlx::query(AssertSqlSafe(select.to_owned()))
                .bind(PAGE)
                .bind(offset)
                .fetch_all($conn)
                .await?;
            rows.iter().map(|row| values(row, kinds)).collect()
        }};
    }
    match source {
        Tx::Sqlite(tx) => page!(&mut **tx),
        Tx::SqliteWrite(writing) => page!(writing.begun().await?),
        Tx::Postgres(tx) => page!(&mut **tx),
    }
}

/// One row's values, each read as its column's kind.
fn values<R: Row>(row: &R, kinds: &[Kind]) -> Result<Vec<Value>, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i32>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<f64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<bool>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<Vec<u8>>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<NaiveDate>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<DateTime<Utc>>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            Ok(match kind {
                Kind::Int => Value::Int(row.try_get(i)?),
                Kind::Int32 => Value::Int32(row.try_get(i)?),
                Kind::Float => Value::Float(row.try_get(i)?),
                Kind::Bool => Value::Bool(row.try_get(i)?),
                Kind::Text => Value::Text(row.try_get(i)?),
                Kind::Bytes => Value::Bytes(row.try_get(i)?),
                Kind::Date => Value::Date(row.try_get(i)?),
                Kind::Time => Value::Time(row.try_get(i)?),
            })
        })
        .collect()
}
