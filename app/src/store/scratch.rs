//! Throwaway databases for tests and benchmarks, on the engine the environment names: a new
//! PostgreSQL database on the server `MEILENSTEIN_TEST_POSTGRES` points to (a URL to any
//! database there, as a role that may create databases) when it is set, else a new SQLite file
//! in a temporary folder. `make test` runs the database tests once on each (see
//! `scripts/with-postgres.sh`, which starts a throwaway server).

use super::{OpenError, Store, db::Engine};
use std::{
    path::PathBuf,
    sync::atomic::{AtomicU64, Ordering},
};

/// The variable naming the PostgreSQL server to test against.
pub const POSTGRES_VARIABLE: &str = "MEILENSTEIN_TEST_POSTGRES";

static MADE: AtomicU64 = AtomicU64::new(0);

/// A new, empty database; a SQLite one is removed when this is dropped, a PostgreSQL one stays
/// on its (throwaway) server.
#[derive(Debug)]
pub struct Scratch {
    location: String,
    folder: PathBuf,
}

impl Scratch {
    /// A new database on the engine the environment names (see the module's documentation).
    pub async fn new() -> Scratch {
        match std::env::var(POSTGRES_VARIABLE) {
            Ok(server) if !server.is_empty() => Scratch::postgres(&server).await,
            _ => Scratch::sqlite(),
        }
    }

    /// A new SQLite file, whatever the environment says (for what only SQLite has).
    pub fn sqlite() -> Scratch {
        let folder = std::env::temp_dir().join(unique_name("meilenstein-scratch"));
        std::fs::create_dir_all(&folder).expect("a temporary folder");
        Scratch {
            location: folder.join("test.db").to_string_lossy().into_owned(),
            folder,
        }
    }

    async fn postgres(server: &str) -> Scratch {
        use sqlx::{ConnectOptions, Connection, postgres::PgConnectOptions};
        let options: PgConnectOptions = server
            .parse()
            .unwrap_or_else(|e| panic!("{POSTGRES_VARIABLE} is not a PostgreSQL URL: {e}"));
        let mut conn = options
            .connect()
            .await
            .unwrap_or_else(|e| panic!("cannot reach the server of {POSTGRES_VARIABLE}: {e}"));
        let name = unique_name("meilenstein_test").replace('-', "_");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
        )))
        .execute(&mut conn)
        .await
        .expect("a new database");
        conn.close().await.ok();
        let location = with_database(server, &name);
        Scratch {
            location,
            folder: PathBuf::new(),
        }
    }

    /// Where the database is, as `Store::open` and `--db` take it.
    pub fn location(&self) -> &str {
        &self.location
    }

    pub fn engine(&self) -> Engine {
        super::engine_of(&self.location)
    }

    /// Opens the store on it (migrating it, as `serve` does).
    pub fn open(&self) -> impl Future<Output = Result<Store, OpenError>> + '_ {
        Store::open(&self.location)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.folder.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.folder);
        }
    }
}

/// The URL `server` with another database name (its options kept).
fn with_database(server: &str, name: &str) -> String {
    let (rest, query) = match server.split_once('?') {
        Some((rest, query)) => (rest, format!("?{query}")),
        None => (server, String::new()),
    };
    let scheme_end = rest.find("://").map_or(0, |i| i + 3);
    let path_start = rest[scheme_end..]
        .find('/')
        .map_or(rest.len(), |i| scheme_end + i);
    format!("{}/{name}{query}", &rest[..path_start])
}

fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "{prefix}-{}-{}-{nanos}",
        std::process::id(),
        MADE.fetch_add(1, Ordering::Relaxed)
    )
}
