//! The store against a real temporary database: a SQLite file, or a PostgreSQL database when
//! `MEILENSTEIN_TEST_POSTGRES` names a server (see `scratch`).

use super::*;
use crate::{
    domain::{Milestone, MilestoneData, Status, Strategy, document},
    error::AppError,
};
use chrono::{NaiveDate, TimeZone, Utc};

fn actor() -> crate::audit::Actor {
    crate::audit::Actor::system()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn demo_store() -> (scratch::Scratch, Store, i64) {
    let dir = scratch::Scratch::new().await;
    let store = dir.open().await.unwrap();
    let id = store
        .import(&demo::mainz(day(2026, 11, 27)), Utc::now(), &actor())
        .await
        .unwrap();
    (dir, store, id)
}

fn data(title: &str) -> MilestoneData {
    MilestoneData {
        title: title.into(),
        due: day(2027, 3, 31),
        status: Status::Planned,
        done_on: None,
        weight: 2.0,
        note: Some("Nachweis folgt".into()),
    }
}

#[tokio::test]
async fn an_imported_strategy_reads_back_in_order() {
    let (_dir, store, id) = demo_store().await;
    let stored = store.strategy(id).await.unwrap().unwrap();
    let today = day(2026, 11, 27);
    let mut expected = demo::mainz(today);
    // Ids and versions are assigned by the store; everything else is as given.
    let strip = |s: &mut crate::domain::Strategy| {
        s.id = 0;
        for f in &mut s.fields {
            f.id = 0;
            for n in &mut f.needs {
                n.id = 0;
                for g in &mut n.subgoals {
                    g.id = 0;
                    for m in Arc::make_mut(&mut g.milestones) {
                        m.id = 0;
                        m.version = 0;
                    }
                }
            }
        }
    };
    let mut stored_plain = (*stored).clone();
    strip(&mut stored_plain);
    strip(&mut expected);
    assert_eq!(stored_plain, expected);
    assert!(
        stored.fields[0].needs[0].subgoals[0]
            .milestones
            .iter()
            .all(|m| m.version == 1)
    );
}

#[tokio::test]
async fn recording_appends_and_versions_guard_against_lost_updates() {
    let (_dir, store, id) = demo_store().await;
    let strategy = store.strategy(id).await.unwrap().unwrap();
    let subgoal_id = strategy.fields[0].needs[3].subgoals[1].id;

    let recorded = store
        .record_milestone(subgoal_id, &data("Schulung"), Utc::now(), &actor())
        .await
        .unwrap();
    assert_eq!(recorded.version, 1);
    let (owner, read) = store.milestone(recorded.id).await.unwrap().unwrap();
    assert_eq!((owner, read.clone()), (subgoal_id, recorded.clone()));

    let mut changed = data("Schulung");
    changed.status = Status::Done;
    changed.done_on = Some(day(2027, 3, 1));
    let Change::Saved(saved) = store
        .update_milestone(recorded.id, 1, &changed, Utc::now(), &actor())
        .await
        .unwrap()
    else {
        panic!("the first save must succeed");
    };
    assert_eq!(saved.version, 2);

    // A second editor who loaded version 1 is refused and sees the saved state.
    let stale = data("Schulung (andere Fassung)");
    let outcome = store
        .update_milestone(recorded.id, 1, &stale, Utc::now(), &actor())
        .await
        .unwrap();
    assert_eq!(outcome, Change::Conflict(saved.clone()));
    assert_eq!(
        store.milestone(recorded.id).await.unwrap().unwrap().1,
        saved
    );

    // Deletion also names its version.
    assert!(matches!(
        store
            .delete_milestone(recorded.id, 1, Utc::now(), &actor())
            .await
            .unwrap(),
        Change::Conflict(_)
    ));
    assert_eq!(
        store
            .delete_milestone(recorded.id, 2, Utc::now(), &actor())
            .await
            .unwrap(),
        Change::Saved(saved)
    );
    assert_eq!(store.milestone(recorded.id).await.unwrap(), None);
    assert_eq!(
        store
            .delete_milestone(recorded.id, 3, Utc::now(), &actor())
            .await,
        Err(AppError::NotFound)
    );
}

#[tokio::test]
async fn every_change_is_kept_as_a_dated_revision() {
    let (_dir, store, _) = demo_store().await;
    let subgoal_id: i64 = db::query_scalar("SELECT MIN(id) FROM subgoals")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let t1 = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
    let t2 = Utc.with_ymd_and_hms(2026, 12, 5, 9, 0, 0).unwrap();
    let t3 = Utc.with_ymd_and_hms(2026, 12, 9, 9, 0, 0).unwrap();
    let m = store
        .record_milestone(subgoal_id, &data("Ausbau"), t1, &actor())
        .await
        .unwrap();
    let mut done = data("Ausbau");
    done.status = Status::Done;
    done.done_on = Some(day(2026, 11, 20));
    store
        .update_milestone(m.id, 1, &done, t2, &actor())
        .await
        .unwrap();
    store.delete_milestone(m.id, 2, t3, &actor()).await.unwrap();

    /// version, recorded_at, change, status, done_on
    type Revision = (
        i64,
        chrono::DateTime<Utc>,
        String,
        String,
        Option<NaiveDate>,
    );
    let revisions: Vec<Revision> = db::query_as(
        "SELECT version, recorded_at, change, status, done_on FROM milestone_revisions
         WHERE milestone_id = $1 ORDER BY version",
    )
    .bind(m.id)
    .fetch_all(store.pool())
    .await
    .unwrap();
    let summary: Vec<(i64, &str, &str, Option<NaiveDate>)> = revisions
        .iter()
        .map(|(v, _, c, s, d)| (*v, c.as_str(), s.as_str(), *d))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, "created", "planned", None),
            (2, "updated", "done", Some(day(2026, 11, 20))),
            (3, "deleted", "done", Some(day(2026, 11, 20))),
        ]
    );
    assert_eq!(revisions[1].1, t2);
}

#[tokio::test]
async fn recording_for_a_missing_subgoal_is_not_found_and_writes_nothing() {
    let (_dir, store, _) = demo_store().await;
    let before: i64 = db::query_scalar("SELECT COUNT(*) FROM milestone_revisions")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(
        store
            .record_milestone(999_999, &data("x"), Utc::now(), &actor())
            .await,
        Err(AppError::NotFound)
    );
    let after: i64 = db::query_scalar("SELECT COUNT(*) FROM milestone_revisions")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_sqlite_database_runs_in_wal_mode_with_foreign_keys() {
    let dir = scratch::Scratch::sqlite();
    let store = dir.open().await.unwrap();
    let mode: String = db::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = db::query_scalar("PRAGMA foreign_keys")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(fk, 1);
}

/// The milestone `id` is in the database file itself, not only in its log: what a copy of the
/// file alone (without the `-wal` beside it) holds; `None` while the copy is unreadable (taken
/// while a checkpoint wrote the file).
async fn in_the_file_itself(location: &str, folder: &std::path::Path, id: i64) -> Option<bool> {
    use sqlx::{ConnectOptions, sqlite::SqliteConnectOptions};
    let copy = folder.join("file-alone.db");
    std::fs::copy(location, &copy).ok()?;
    let mut conn = SqliteConnectOptions::new()
        .filename(&copy)
        .connect()
        .await
        .ok()?;
    // Before the first checkpoint the file does not hold even the tables.
    let tables: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'milestones'")
            .fetch_one(&mut conn)
            .await
            .ok()?;
    if tables == 0 {
        return Some(false);
    }
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM milestones WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut conn)
        .await
        .ok()?;
    Some(found.is_some())
}

#[tokio::test]
async fn the_log_is_copied_into_the_file_beside_the_saves_not_by_them() {
    let dir = scratch::Scratch::sqlite();
    let store = dir.open().await.unwrap();
    // The writer never checkpoints (a save that did took ten times as long, with every save
    // waiting behind it).
    let mut writing = store.pool().write().await.unwrap();
    let automatic: i64 = db::query_scalar("PRAGMA wal_autocheckpoint")
        .fetch_one(&mut writing)
        .await
        .unwrap();
    assert_eq!(automatic, 0);
    writing.commit().await.unwrap();
    // Nor does the connection saves are written through.
    let mut writing = store.pool().write().await.unwrap();
    let db::Tx::SqliteWrite(direct) = &mut writing else {
        panic!("the writer of a SQLite store")
    };
    let automatic = direct
        .direct(|db| db.one(db::query_scalar::<i64>("PRAGMA wal_autocheckpoint")))
        .await
        .unwrap();
    assert_eq!(automatic, 0);
    drop(writing);
    let id = store
        .import(&demo::mainz(day(2026, 11, 27)), Utc::now(), &actor())
        .await
        .unwrap();
    let subgoal_id = store.strategy(id).await.unwrap().unwrap().fields[0].needs[0].subgoals[0].id;
    let folder = std::path::Path::new(dir.location()).parent().unwrap();
    let recorded = store
        .record_milestone(subgoal_id, &data("Im Log"), Utc::now(), &actor())
        .await
        .unwrap();
    // Committed into the log, and copied into the file itself soon after, by the checkpoints.
    let waited = std::time::Instant::now();
    while in_the_file_itself(dir.location(), folder, recorded.id).await != Some(true) {
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(20),
            "the save is still only in the log after 20 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (log, copied) = store.checkpoints().await.unwrap().last().unwrap();
    assert!(
        log > 0 && copied > 0,
        "{log} pages in the log, {copied} copied"
    );
}

/// Every kind of value, as [`db::Value`] binds them.
fn every_kind_of_value() -> Vec<db::Value> {
    use db::Value;
    let at = Utc.with_ymd_and_hms(2026, 12, 7, 23, 5, 9).unwrap();
    vec![
        Value::Int(Some(-5)),
        Value::Int(None),
        Value::Int32(Some(7)),
        Value::Float(Some(2.5)),
        Value::Float(Some(3.0)),
        Value::Bool(Some(true)),
        Value::Bool(Some(false)),
        Value::Text(Some("Grundschule „Am Rhein“ – 'ä' \"x\"".to_owned())),
        Value::Text(Some(String::new())),
        Value::Text(None),
        Value::Bytes(Some(vec![0, 255, 10])),
        Value::Date(Some(day(2027, 2, 28))),
        Value::Date(None),
        Value::Time(Some(at)),
        Value::Time(Some(at + chrono::Duration::microseconds(123_456))),
        Value::Time(Some(at + chrono::Duration::nanoseconds(7))),
        Value::Time(None),
    ]
}

#[tokio::test]
async fn values_written_directly_are_stored_as_sqlx_stores_them() {
    let dir = scratch::Scratch::sqlite();
    let store = dir.open().await.unwrap();
    let values = every_kind_of_value();
    let insert = |kind: usize, how: &str, value: &db::Value| {
        db::query("INSERT INTO written (kind, how, v) VALUES ($2, $3, $1)")
            .bind(value.clone())
            .bind(kind as i64)
            .bind(how.to_owned())
    };
    let mut tx = store.pool().write().await.unwrap();
    let db::Tx::SqliteWrite(writing) = &mut tx else {
        panic!("the writer of a SQLite store")
    };
    writing
        .direct(|db| {
            db.execute(db::query(
                "CREATE TABLE written (kind INTEGER, how TEXT, v)",
            ))?;
            for (kind, value) in values.iter().enumerate() {
                assert_eq!(db.execute(insert(kind, "direct", value))?, 1);
            }
            Ok(())
        })
        .await
        .unwrap();
    drop(tx);
    let mut tx = store.pool().write().await.unwrap();
    for (kind, value) in values.iter().enumerate() {
        insert(kind, "sqlx", value).execute(&mut tx).await.unwrap();
    }
    let stored: Vec<(i64, String, String, String)> =
        db::query_as("SELECT kind, how, typeof(v), quote(v) FROM written ORDER BY kind, how")
            .fetch_all(&mut tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(stored.len(), 2 * values.len());
    for pair in stored.chunks(2) {
        let [
            (kind, direct, direct_type, direct_text),
            (_, sqlx, sqlx_type, sqlx_text),
        ] = pair
        else {
            unreachable!("chunks of two")
        };
        assert_eq!((direct.as_str(), sqlx.as_str()), ("direct", "sqlx"));
        assert_eq!(
            (direct_type, direct_text),
            (sqlx_type, sqlx_text),
            "{:?}",
            values[*kind as usize]
        );
    }
}

/// A connection of the SQLite file at `location`, as of another process, holding the write
/// lock until it rolls back.
async fn holding_the_write_lock(location: &str) -> sqlx::SqliteConnection {
    use sqlx::{Connection, sqlite::SqliteConnectOptions};
    let options = SqliteConnectOptions::new().filename(location);
    let mut holder = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut holder)
        .await
        .unwrap();
    holder
}

#[tokio::test]
async fn a_direct_write_refused_as_busy_is_an_answer_to_try_again_and_leaves_the_writer_sound() {
    let dir = scratch::Scratch::sqlite();
    let store = dir.open().await.unwrap();
    let id = store
        .import(&demo::mainz(day(2026, 11, 27)), Utc::now(), &actor())
        .await
        .unwrap();
    let subgoal_id = store.strategy(id).await.unwrap().unwrap().fields[0].needs[0].subgoals[0].id;
    // The writer does not wait for the lock; another connection holds it.
    let wait = async |ms: i64| {
        let mut tx = store.pool().write().await.unwrap();
        let db::Tx::SqliteWrite(writing) = &mut tx else {
            panic!("the writer of a SQLite store")
        };
        let set = writing
            .direct(|db| {
                db.one(db::query_scalar::<i64>(sqlx::AssertSqlSafe(format!(
                    "PRAGMA busy_timeout = {ms}"
                ))))
            })
            .await
            .unwrap();
        assert_eq!(set, ms);
    };
    wait(0).await;
    let mut holder = holding_the_write_lock(dir.location()).await;
    let mut tx = store.pool().write().await.unwrap();
    let db::Tx::SqliteWrite(writing) = &mut tx else {
        panic!("the writer of a SQLite store")
    };
    let refused = writing
        .direct(|db| db.execute(db::query("DELETE FROM milestones")))
        .await
        .unwrap_err();
    drop(tx);
    assert_eq!(AppError::from(refused), AppError::Busy);
    sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
    wait(10_000).await;
    // Nothing was deleted, and the next save is written.
    let recorded = store
        .record_milestone(subgoal_id, &data("Danach"), Utc::now(), &actor())
        .await
        .unwrap();
    let (_, read) = store.milestone(recorded.id).await.unwrap().unwrap();
    assert_eq!(read, recorded);
    let milestones: i64 = db::query_scalar("SELECT COUNT(*) FROM milestones")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(milestones > 1, "{milestones} milestones");
}

#[tokio::test]
async fn a_direct_write_that_fails_or_panics_midway_leaves_nothing_and_holds_nothing() {
    use futures_util::FutureExt;
    let dir = scratch::Scratch::sqlite();
    let store = dir.open().await.unwrap();
    let halfway = |setting: &'static str| {
        db::query("INSERT INTO settings (key, value) VALUES ($1, 'halb')").bind(setting)
    };
    let mut tx = store.pool().write().await.unwrap();
    let db::Tx::SqliteWrite(writing) = &mut tx else {
        unreachable!("SQLite")
    };
    let failed = writing
        .direct(|db| {
            db.execute(halfway("test.fehler"))?;
            db.execute(db::query("INSERT INTO no_such_table VALUES (1)"))
        })
        .await;
    assert!(failed.is_err());
    drop(tx);
    let panicked = std::panic::AssertUnwindSafe(async {
        let mut tx = store.pool().write().await.unwrap();
        let db::Tx::SqliteWrite(writing) = &mut tx else {
            unreachable!("SQLite")
        };
        writing
            .direct(|db| -> Result<(), sqlx::Error> {
                db.execute(halfway("test.panik"))?;
                panic!("midway")
            })
            .await
    })
    .catch_unwind()
    .await;
    assert!(panicked.is_err());
    // Nothing of either stays, and the next write, of another process or this one, goes
    // through.
    let mut other = holding_the_write_lock(dir.location()).await;
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    store
        .set_setting("test.danach", "danach", Utc::now(), &actor())
        .await
        .unwrap();
    let halves: i64 = db::query_scalar("SELECT COUNT(*) FROM settings WHERE value = 'halb'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(halves, 0);
}

#[tokio::test]
async fn milestones_of_an_archived_need_are_not_changed_by_a_save_that_looked_before() {
    let (_dir, store, id) = demo_store().await;
    let tree = store.strategy(id).await.unwrap().unwrap();
    let need = &tree.fields[0].needs[0];
    let subgoal = &need.subgoals[0];
    let milestone = subgoal.milestones[0].clone();
    let revisions = || async {
        db::query_scalar::<i64>("SELECT COUNT(*) FROM milestone_revisions")
            .fetch_one(store.pool())
            .await
            .unwrap()
    };
    let before = revisions().await;
    // Archived after whoever saves looked (a page loaded before).
    let mut tx = store.pool().write().await.unwrap();
    db::query("UPDATE needs SET archived_at = $1 WHERE id = $2")
        .bind(Utc::now())
        .bind(need.id)
        .execute(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let now = Utc::now();
    let (changed, who) = (data("Anders"), actor());
    let update = || store.update_milestone(milestone.id, milestone.version, &changed, now, &who);
    assert_eq!(
        store
            .record_milestone(subgoal.id, &data("Neu"), now, &actor())
            .await,
        Err(AppError::NotFound)
    );
    assert_eq!(update().await, Err(AppError::NotFound));
    assert_eq!(
        store
            .delete_milestone(milestone.id, milestone.version, now, &actor())
            .await,
        Err(AppError::NotFound)
    );
    assert_eq!(revisions().await, before);
    let (_, stored) = store.milestone(milestone.id).await.unwrap().unwrap();
    assert_eq!(stored, milestone);
    // Restored, it is changed again.
    let mut tx = store.pool().write().await.unwrap();
    db::query("UPDATE needs SET archived_at = NULL WHERE id = $1")
        .bind(need.id)
        .execute(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(matches!(update().await, Ok(Change::Saved(_))));
}

#[tokio::test]
async fn export_of_a_stored_strategy_imports_to_the_same_document() {
    let (_dir, store, id) = demo_store().await;
    let today = day(2026, 11, 27);
    let first = document::export(&store.strategy(id).await.unwrap().unwrap(), today);
    let second_dir = scratch::Scratch::new().await;
    let second_store = second_dir.open().await.unwrap();
    let parsed = document::parse(&first.to_string()).unwrap();
    let second_id = second_store
        .import(&parsed, Utc::now(), &actor())
        .await
        .unwrap();
    let second = document::export(
        &second_store.strategy(second_id).await.unwrap().unwrap(),
        today,
    );
    assert_eq!(first, second);
}

#[tokio::test]
async fn ids_of_deleted_milestones_are_never_reused() {
    let (_dir, store, _) = demo_store().await;
    let subgoal_id: i64 = db::query_scalar("SELECT MIN(id) FROM subgoals")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let newest = store
        .record_milestone(subgoal_id, &data("a"), Utc::now(), &actor())
        .await
        .unwrap();
    store
        .delete_milestone(newest.id, 1, Utc::now(), &actor())
        .await
        .unwrap();
    let next = store
        .record_milestone(subgoal_id, &data("b"), Utc::now(), &actor())
        .await
        .unwrap();
    assert!(next.id > newest.id, "{} reused", next.id);
}

/// A viewer's account, "amt", created at `start`: its id.
async fn viewer(store: &Store, start: chrono::DateTime<Utc>) -> i64 {
    store
        .create_user(
            "amt",
            "Amt",
            crate::domain::access::Role::Viewer,
            "$argon2id$unused",
            start,
            &actor(),
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn sessions_end_after_thirty_idle_minutes_or_twelve_hours() {
    let (_dir, store, _) = demo_store().await;
    let start = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
    let user = viewer(&store, start).await;
    let limits = SessionLimits::default();
    let minutes = |m: i64| start + chrono::Duration::minutes(m);

    store.create_session(user, b"idle", start).await.unwrap();
    let alive = store
        .session_account(b"idle", minutes(29), limits)
        .await
        .unwrap();
    assert_eq!(alive.map(|a| a.login), Some("amt".to_owned()));
    // Used at 29 minutes: alive until 59.
    assert!(
        store
            .session_account(b"idle", minutes(58), limits)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .session_account(b"idle", minutes(89), limits)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .session_account(b"idle", minutes(90), limits)
            .await
            .unwrap()
            .is_none(),
        "an ended session stays ended"
    );

    store.create_session(user, b"long", start).await.unwrap();
    for m in (20..=12 * 60).step_by(20) {
        assert!(
            store
                .session_account(b"long", minutes(m), limits)
                .await
                .unwrap()
                .is_some(),
            "{m}"
        );
    }
    assert!(
        store
            .session_account(b"long", minutes(12 * 60 + 1), limits)
            .await
            .unwrap()
            .is_none()
    );
}

/// On SQLite the reads a request makes before it saves (its session, the sub-goal of the
/// milestone it changes) go on from the request's thread, without a connection of the pool:
/// they answer while every one of those is taken (by renders, say). Times stored as SQLite's
/// own functions write them read as sqlx reads them.
#[tokio::test]
async fn on_sqlite_a_session_is_read_without_a_connection_of_the_pool() {
    let (_dir, store, id) = demo_store().await;
    let start = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
    let user = viewer(&store, start).await;
    store.create_session(user, b"token", start).await.unwrap();
    let tree = store.strategy(id).await.unwrap().unwrap();
    let subgoal = &tree.fields[0].needs[0].subgoals[0];
    let milestone = subgoal.milestones[0].id;
    store
        .write_unshown(
            db::query(
                "UPDATE sessions SET last_seen = '2026-12-01 08:10:00' WHERE token_hash = $1",
            )
            .bind(&b"token"[..]),
        )
        .await
        .unwrap();
    let Pool::Sqlite(pool, ..) = store.pool() else {
        return; // PostgreSQL reads through its pool
    };
    let mut taken = Vec::new();
    for _ in 0..SQLITE_CONNECTIONS {
        taken.push(pool.acquire().await.unwrap());
    }
    let limits = SessionLimits::default();
    let at = start + chrono::Duration::minutes(39);
    let reads = async {
        (
            store.session_account(b"token", at, limits).await.unwrap(),
            store.subgoal_of_milestone(milestone).await.unwrap(),
        )
    };
    let (account, of) = tokio::time::timeout(std::time::Duration::from_secs(5), reads)
        .await
        .expect("read without waiting for the pool");
    assert_eq!(
        account.map(|a| a.login),
        Some("amt".to_owned()),
        "alive: last seen at 08:10"
    );
    assert_eq!(of, Some(subgoal.id));
    drop(taken);
}

#[tokio::test]
async fn a_loaded_strategy_is_reused_until_anything_in_its_tree_changes_from_any_connection() {
    let (dir, store, id) = demo_store().await;
    let first = store.strategy(id).await.unwrap().unwrap();
    let again = store.strategy(id).await.unwrap().unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &again), "served from memory");

    let subgoal = first.fields[0].needs[0].subgoals[0].id;
    store
        .record_milestone(subgoal, &data("Neu über die App"), Utc::now(), &actor())
        .await
        .unwrap();
    let after_app = store.strategy(id).await.unwrap().unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &after_app));
    assert!(
        after_app.fields[0].needs[0].subgoals[0]
            .milestones
            .iter()
            .any(|m| m.data.title == "Neu über die App")
    );

    // Another process (the CLI, a second tool) changes the file directly.
    let other = dir.open().await.unwrap();
    db::query("UPDATE needs SET title = 'Von außen geändert' WHERE id = $1")
        .bind(first.fields[0].needs[1].id)
        .execute(other.pool())
        .await
        .unwrap();
    let after_other = store.strategy(id).await.unwrap().unwrap();
    assert_eq!(after_other.fields[0].needs[1].title, "Von außen geändert");
    // Changes elsewhere (accounts, sessions) keep the tree in memory.
    store
        .set_setting(PUBLIC_READ, "on", Utc::now(), &actor())
        .await
        .unwrap();
    let unchanged = store.strategy(id).await.unwrap().unwrap();
    assert!(std::sync::Arc::ptr_eq(&after_other, &unchanged));
    assert!(store.strategy(id + 100).await.unwrap().is_none());
}

#[tokio::test]
async fn saves_applied_to_the_kept_tree_equal_a_fresh_load() {
    let (dir, store, id) = demo_store().await;
    let fresh = || async {
        // Another store on the same file keeps nothing yet: it loads from the database.
        dir.open()
            .await
            .unwrap()
            .strategy(id)
            .await
            .unwrap()
            .unwrap()
    };
    let kept = store.strategy(id).await.unwrap().unwrap();
    let subgoal = kept.fields[0].needs[1].subgoals[0].id;

    let recorded = store
        .record_milestone(subgoal, &data("Im Speicher ergänzt"), Utc::now(), &actor())
        .await
        .unwrap();
    let after_record = store.strategy(id).await.unwrap().unwrap();
    assert!(!std::sync::Arc::ptr_eq(&kept, &after_record));
    assert_eq!(*after_record, *fresh().await);
    // The tree a reader still holds is untouched; the new one copied only the changed
    // sub-goal's milestones and shares every other list with it.
    let lists = |tree: &Strategy| -> Vec<(i64, std::sync::Arc<Vec<Milestone>>)> {
        tree.fields
            .iter()
            .flat_map(|f| &f.needs)
            .flat_map(|n| &n.subgoals)
            .map(|s| (s.id, s.milestones.clone()))
            .collect()
    };
    assert!(
        !kept.fields[0].needs[1].subgoals[0]
            .milestones
            .iter()
            .any(|m| m.id == recorded.id)
    );
    for ((sg, old), (_, new)) in lists(&kept).into_iter().zip(lists(&after_record)) {
        assert_eq!(
            std::sync::Arc::ptr_eq(&old, &new),
            sg != subgoal,
            "sub-goal {sg}"
        );
    }

    let mut changed = data("Im Speicher geändert");
    changed.status = Status::Done;
    changed.done_on = Some(day(2026, 11, 20));
    store
        .update_milestone(
            recorded.id,
            recorded.version,
            &changed,
            Utc::now(),
            &actor(),
        )
        .await
        .unwrap();
    let after_update = store.strategy(id).await.unwrap().unwrap();
    assert_eq!(*after_update, *fresh().await);
    let again = store.strategy(id).await.unwrap().unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&after_update, &again),
        "patched, not loaded again"
    );

    let other = kept.fields[0].needs[0].subgoals[0].milestones[0].clone();
    store
        .delete_milestone(other.id, other.version, Utc::now(), &actor())
        .await
        .unwrap();
    assert_eq!(*store.strategy(id).await.unwrap().unwrap(), *fresh().await);

    // A change by another process in between is not papered over: the tree is loaded again.
    let outside = dir.open().await.unwrap();
    db::query("UPDATE subgoals SET title = 'Von außen' WHERE id = $1")
        .bind(subgoal)
        .execute(outside.pool())
        .await
        .unwrap();
    store
        .record_milestone(subgoal, &data("Danach"), Utc::now(), &actor())
        .await
        .unwrap();
    let tree = store.strategy(id).await.unwrap().unwrap();
    assert_eq!(*tree, *fresh().await);
    assert_eq!(tree.fields[0].needs[1].subgoals[0].title, "Von außen");
}

#[tokio::test]
async fn indicators_and_readings_of_a_document_are_stored_and_export_again() {
    let dir = scratch::Scratch::new().await;
    let store = dir.open().await.unwrap();
    let json = r#"{"format": "meilenstein/1", "strategy": {"title": "S", "fields": [
        {"title": "F", "needs": [{"title": "N", "subgoals": [
          {"title": "WLAN", "milestones": [
             {"title": "Ausschreibung", "due": "2026-06-30", "status": "planned"}],
           "indicators": [
             {"name": "Schulen mit WLAN", "unit": "Schulen", "direction": "rising",
              "baseline": {"value": 12, "on": "2024-01-01"},
              "target": {"value": 65, "on": "2028-12-31"}, "measures_progress": true,
              "readings": [{"on": "2025-06-30", "value": 30},
                           {"on": "2026-09-30", "value": 40, "note": "Schulamt"}]},
             {"name": "Wartezeit", "unit": "Tage", "direction": "falling",
              "baseline": {"value": 30, "on": "2024-01-01"},
              "target": {"value": 10, "on": "2027-01-01"}}]}]}]}]}}"#;
    let parsed = document::parse(json).unwrap();
    let id = store.import(&parsed, Utc::now(), &actor()).await.unwrap();
    let stored = store.strategy(id).await.unwrap().unwrap();
    let today = day(2026, 11, 27);
    let exported = document::export(&stored, today);
    let subgoal = &exported["strategy"]["fields"][0]["needs"][0]["subgoals"][0];
    assert_eq!(
        subgoal["progress"],
        serde_json::json!(52.83),
        "the indicator measures"
    );
    assert_eq!(subgoal["indicators"][0]["readings"][1]["note"], "Schulamt");
    assert_eq!(subgoal["indicators"][1]["progress"], serde_json::json!(0));
    // Stored and read back, it is the document again (ids aside).
    let again = document::parse(&exported.to_string()).unwrap();
    let pick = |s: &crate::domain::Strategy| {
        s.fields[0].needs[0].subgoals[0]
            .indicators
            .iter()
            .map(|i| {
                let readings: Vec<_> = i
                    .readings
                    .iter()
                    .map(|r| (r.on, r.value, r.note.clone()))
                    .collect();
                (i.data.clone(), i.measures_progress, readings)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(pick(&again), pick(&parsed));
}

#[tokio::test]
async fn a_change_of_one_needs_milestones_leaves_the_other_needs_pages_true() {
    let (dir, store, id) = demo_store().await;
    let tree = store.strategy(id).await.unwrap().unwrap();
    let (one, two) = (&tree.fields[0].needs[0], &tree.fields[0].needs[1]);
    let versions = |store: &Store| {
        (
            store.page_version(PageScope::Need(one.id)),
            store.page_version(PageScope::Need(two.id)),
            store.page_version(PageScope::Everything),
            store.page_version(PageScope::Log),
        )
    };
    // Where this process's writes left the database is known once it has been asked.
    store.note_database(store.data_version().await.unwrap());
    let start = versions(&store);

    let recorded = store
        .record_milestone(
            one.subgoals[0].id,
            &data("Nur Bedarf eins"),
            Utc::now(),
            &actor(),
        )
        .await
        .unwrap();
    let after = versions(&store);
    assert_ne!(after.0, start.0, "the need's own page");
    assert_eq!(after.1, start.1, "another need's page stays true");
    assert_ne!(
        after.2, start.2,
        "every other page (dashboard, sub-goal, log …)"
    );
    // The database moved only by this process's write: nothing else to notice.
    store.note_database(store.data_version().await.unwrap());
    assert_eq!(versions(&store), after);

    store
        .delete_milestone(recorded.id, recorded.version, Utc::now(), &actor())
        .await
        .unwrap();
    assert_eq!(versions(&store).1, start.1);

    // A need renamed: its pages and the others that show it (dashboard …), not the other
    // needs' pages.
    let before = versions(&store);
    store
        .update_need(two.id, "Umbenannt", Utc::now(), &actor())
        .await
        .unwrap();
    let after = versions(&store);
    assert!(after.0 == before.0 && after.1 != before.1 && after.2 != before.2);

    // A login is on record, on the log only: no other page moves.
    let before = versions(&store);
    let login = crate::audit::Entry {
        actor: &actor(),
        action: "login.succeeded",
        object_type: "session",
        object_id: None,
        subgoal_id: None,
        details: serde_json::json!({}),
    };
    store.record(login, Utc::now()).await.unwrap();
    let after = versions(&store);
    assert_eq!((after.0, after.1, after.2), (before.0, before.1, before.2));
    assert_ne!(after.3, before.3, "the audit log shows it");

    // A change not confined to one need moves every page.
    let before = versions(&store);
    store
        .set_setting(crate::store::PUBLIC_READ, "off", Utc::now(), &actor())
        .await
        .unwrap();
    let after = versions(&store);
    assert!(
        after.0 != before.0 && after.1 != before.1 && after.2 != before.2 && after.3 != before.3
    );

    // So does a change by another process, once the database is asked, and a write of this
    // process after such a change, which finds the database elsewhere than it left it.
    store.note_database(store.data_version().await.unwrap());
    let before = versions(&store);
    let other = dir.open().await.unwrap();
    db::query("UPDATE needs SET title = 'Von außen' WHERE id = $1")
        .bind(two.id)
        .execute(other.pool())
        .await
        .unwrap();
    store
        .record_milestone(one.subgoals[0].id, &data("Danach"), Utc::now(), &actor())
        .await
        .unwrap();
    let after = versions(&store);
    assert_ne!(
        after.1, before.1,
        "the other need's page is not taken for true"
    );
    let settled = versions(&store);
    store.note_database(store.data_version().await.unwrap());
    assert_eq!(versions(&store), settled, "nothing further to notice");
}

#[test]
fn pg_dump_gets_a_postgres_url_without_its_password_and_the_options_only_sqlx_knows() {
    assert_eq!(
        super::libpq_location(
            "postgres://ms:p%40ss:w@db.example:5433/city?sslmode=require&statement-cache-capacity=100"
        ),
        (
            "postgres://ms@db.example:5433/city?sslmode=require".to_owned(),
            Some("p@ss:w".to_owned())
        )
    );
    assert_eq!(
        super::libpq_location("postgresql://db.example/city"),
        ("postgresql://db.example/city".to_owned(), None)
    );
    assert_eq!(
        super::shown_location("postgres://ms:geheim@db.example/city"),
        "postgres://ms:***@db.example/city"
    );
}

#[tokio::test]
async fn a_database_that_stays_busy_is_an_answer_to_try_again_not_an_internal_error() {
    let scratch = scratch::Scratch::new().await;
    let store = scratch.open().await.unwrap();
    // Another connection holds the write lock; one that does not wait for it is refused.
    let refused = match store.pool() {
        db::Pool::Sqlite(..) => {
            use sqlx::{Connection, sqlite::SqliteConnectOptions};
            let _holder = holding_the_write_lock(scratch.location()).await;
            let options = SqliteConnectOptions::new().filename(scratch.location());
            let mut impatient =
                sqlx::SqliteConnection::connect_with(&options.busy_timeout(Duration::ZERO))
                    .await
                    .unwrap();
            sqlx::query("BEGIN IMMEDIATE")
                .execute(&mut impatient)
                .await
                .unwrap_err()
        }
        db::Pool::Postgres(pool) => {
            let mut holder = pool.begin().await.unwrap();
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(db::WRITER_LOCK)
                .execute(&mut *holder)
                .await
                .unwrap();
            let mut impatient = pool.begin().await.unwrap();
            sqlx::query("SET LOCAL lock_timeout = '50ms'")
                .execute(&mut *impatient)
                .await
                .unwrap();
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(db::WRITER_LOCK)
                .execute(&mut *impatient)
                .await
                .unwrap_err()
        }
    };
    assert_eq!(AppError::from(refused), AppError::Busy);
    assert_eq!(AppError::from(sqlx::Error::PoolTimedOut), AppError::Busy);
    assert_eq!(AppError::Busy.status_code(), 503);
    // Anything else stays an internal error.
    let wrong = db::query("SELECT no_such_column FROM milestones")
        .execute(store.pool())
        .await
        .unwrap_err();
    assert_eq!(AppError::from(wrong), AppError::Internal);
}

/// Each SQLite connection has a thread of its own, which takes the priority of the thread that
/// opened it: all are opened when the store opens (as `serve` starts, at the normal priority)
/// and kept, none later on demand (by a page's render, at a lower one).
#[tokio::test]
async fn a_sqlite_store_opens_all_its_connections_at_once_and_keeps_them() {
    let dir = scratch::Scratch::sqlite();
    let store = dir.open().await.unwrap();
    let Pool::Sqlite(pool, ..) = store.pool() else {
        panic!("a SQLite store")
    };
    assert_eq!(pool.size(), SQLITE_CONNECTIONS);
    let reads: Vec<_> = (0..3 * SQLITE_CONNECTIONS)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.strategies().await })
        })
        .collect();
    for read in reads {
        read.await.unwrap().unwrap();
    }
    assert_eq!(pool.size(), SQLITE_CONNECTIONS, "none opened or closed");
}

/// A batch (one round trip on SQLite) runs its statements in order, each with its own
/// parameters (quoted text that looks like one is left alone), and answers each: its rows, or
/// how many rows it changed; the first statement that fails ends it with its error.
#[tokio::test]
async fn a_batch_runs_its_statements_in_order_and_answers_each() {
    let dir = scratch::Scratch::new().await;
    let store = dir.open().await.unwrap();
    let mut tx = store.pool().write().await.unwrap();
    db::query("CREATE TEMPORARY TABLE batch_test (n BIGINT NOT NULL, label TEXT NOT NULL)")
        .execute(&mut tx)
        .await
        .unwrap();
    let mut batch = db::Batch::new();
    let inserted = batch.push(
        db::query("INSERT INTO batch_test (n, label) VALUES ($1, $2), ($3, $2)")
            .bind(1i64)
            .bind("eins")
            .bind(2i64),
    );
    let literal = batch.push(db::query_as::<(String, i64)>("SELECT '$1 bleibt', $1").bind(7i64));
    let changed = batch.push(
        db::query("UPDATE batch_test SET label = $1 WHERE n > $2")
            .bind("mehr")
            .bind(1i64),
    );
    let read = batch.push(db::query_as::<(i64, String)>(
        "SELECT n, label FROM batch_test ORDER BY n",
    ));
    let none =
        batch.push(db::query_scalar::<i64>("SELECT n FROM batch_test WHERE n > $1").bind(99i64));
    let answers = batch.run(&mut tx).await.unwrap();
    assert_eq!(answers.rows_affected(inserted), 2);
    assert_eq!(
        answers.one::<(String, i64)>(literal).unwrap(),
        ("$1 bleibt".to_owned(), 7)
    );
    assert_eq!(answers.rows_affected(changed), 1);
    assert_eq!(
        answers.rows::<(i64, String)>(read).unwrap(),
        vec![(1, "eins".to_owned()), (2, "mehr".to_owned())]
    );
    assert_eq!(answers.optional_scalar::<i64>(none).unwrap(), None);
    assert!(matches!(
        answers.scalar::<i64>(none),
        Err(sqlx::Error::RowNotFound)
    ));

    let mut failing = db::Batch::new();
    failing.push(db::query("INSERT INTO batch_test (n, label) VALUES ($1, 'drei')").bind(3i64));
    failing.push(db::query("INSERT INTO batch_test (n, label) VALUES ($1, NULL)").bind(4i64));
    failing.push(db::query("INSERT INTO batch_test (n, label) VALUES ($1, 'fünf')").bind(5i64));
    let Err(error) = failing.run(&mut tx).await else {
        panic!("a batch with a failing statement fails")
    };
    assert!(
        error.as_database_error().is_some(),
        "the NOT NULL violation: {error}"
    );
    if dir.engine() == db::Engine::Sqlite {
        // SQLite's transaction goes on (PostgreSQL's is aborted): nothing after the failure ran.
        let numbers: Vec<i64> = db::query_scalar("SELECT n FROM batch_test ORDER BY n")
            .fetch_all(&mut tx)
            .await
            .unwrap();
        assert_eq!(numbers, vec![1, 2, 3]);
    }
}

/// Holds the write turn while milestone `saves` are started one after another, each queued
/// behind the one before, then lets them all go.
async fn queued<T: Send + 'static>(
    store: &Store,
    saves: Vec<std::pin::Pin<Box<dyn Future<Output = T> + Send>>>,
) -> Vec<T> {
    let held = store.take_turn().await;
    let mut started = Vec::new();
    for (n, save) in saves.into_iter().enumerate() {
        started.push(tokio::spawn(save));
        while store.saves().len() < n + 1 {
            tokio::task::yield_now().await;
        }
    }
    drop(held);
    let mut answers = Vec::new();
    for save in started {
        answers.push(save.await.unwrap());
    }
    answers
}

/// Milestone saves that wait for the turn are written together, in one transaction (group
/// commit), in the order they came: each is committed, its audit entry chained to the one
/// before, its change counted for the pages and applied to the kept tree.
#[tokio::test]
async fn saves_waiting_for_the_turn_are_written_together() {
    let (dir, store, id) = demo_store().await;
    let kept = store.strategy(id).await.unwrap().unwrap();
    let need = &kept.fields[0].needs[0];
    let subgoal = need.subgoals[0].id;
    let edited = need.subgoals[1].milestones[0].clone();
    let deleted = need.subgoals[1].milestones[1].clone();
    let before = store.page_version(PageScope::Need(need.id));
    let commits = store.writes().commits;
    type Save = std::pin::Pin<Box<dyn Future<Output = Result<(), AppError>> + Send>>;
    let mut saves: Vec<Save> = (0..10)
        .map(|n| {
            let store = store.clone();
            Box::pin(async move {
                store
                    .record_milestone(
                        subgoal,
                        &data(&format!("Gemeinsam {n}")),
                        Utc::now(),
                        &actor(),
                    )
                    .await
                    .map(|_| ())
            }) as Save
        })
        .collect();
    // The same version twice, in the same batch: the second finds someone saved first.
    let update = |title: &'static str| {
        let store = store.clone();
        let edited = edited.clone();
        async move {
            store
                .update_milestone(
                    edited.id,
                    edited.version,
                    &data(title),
                    Utc::now(),
                    &actor(),
                )
                .await
        }
    };
    let first = update("Geändert");
    saves.push(Box::pin(async move {
        assert!(matches!(first.await?, Change::Saved(_)));
        Ok(())
    }));
    let second = update("Zu spät");
    saves.push(Box::pin(async move {
        assert!(
            matches!(second.await?, Change::Conflict(current) if current.data.title == "Geändert")
        );
        Ok(())
    }));
    {
        let store = store.clone();
        saves.push(Box::pin(async move {
            let change = store
                .delete_milestone(deleted.id, deleted.version, Utc::now(), &actor())
                .await?;
            assert!(matches!(change, Change::Saved(_)));
            Ok(())
        }));
    }
    for answer in queued(&store, saves).await {
        answer.unwrap();
    }
    assert_eq!(
        store.writes().commits - commits,
        1,
        "13 saves in one commit"
    );
    let after = store.page_version(PageScope::Need(need.id));
    assert_eq!(
        after.2 - before.2,
        12,
        "each save that changed something counted for its need's pages"
    );
    // In the order they came, on the kept tree and in the database alike.
    let kept_now = store.strategy(id).await.unwrap().unwrap();
    let fresh = dir
        .open()
        .await
        .unwrap()
        .strategy(id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(*kept_now, *fresh);
    let titles: Vec<String> = fresh.fields[0].needs[0].subgoals[0]
        .milestones
        .iter()
        .filter(|m| m.data.title.starts_with("Gemeinsam"))
        .map(|m| m.data.title.clone())
        .collect();
    let expected: Vec<String> = (0..10).map(|n| format!("Gemeinsam {n}")).collect();
    assert_eq!(titles, expected);
    let second = &fresh.fields[0].needs[0].subgoals[1].milestones;
    assert!(
        second
            .iter()
            .any(|m| m.id == edited.id && m.data.title == "Geändert")
    );
    assert!(!second.iter().any(|m| m.id == deleted.id));
    let log = store.audit_entries().await.unwrap();
    assert!(matches!(
        crate::audit::verify(&log),
        crate::audit::Verdict::Intact { .. }
    ));
}

/// Saves written together, one of which the database refuses (a title it does not take, as
/// no form would send), are each written alone: the others are saved, that one is refused,
/// nothing of it stays. One for a sub-goal not there is not found, and keeps nobody else
/// from being saved either.
#[tokio::test]
async fn saves_written_together_are_written_alone_when_one_of_them_is_refused() {
    let (dir, store, id) = demo_store().await;
    let kept = store.strategy(id).await.unwrap().unwrap();
    let subgoal = kept.fields[0].needs[0].subgoals[0].id;
    let record = |title: &'static str, subgoal: i64| {
        let store = store.clone();
        Box::pin(async move {
            store
                .record_milestone(subgoal, &data(title), Utc::now(), &actor())
                .await
                .map(|m| m.data.title)
        }) as std::pin::Pin<Box<dyn Future<Output = Result<String, AppError>> + Send>>
    };
    let commits = store.writes().commits;
    let before = store.audit_entries().await.unwrap();
    let answers = queued(
        &store,
        vec![
            record("Vorher", subgoal),
            record("Fehlt", i64::MAX),
            record("", subgoal),
            record("Nachher", subgoal),
        ],
    )
    .await;
    assert_eq!(
        answers,
        vec![
            Ok("Vorher".to_owned()),
            Err(AppError::NotFound),
            Err(AppError::Internal),
            Ok("Nachher".to_owned())
        ]
    );
    assert_eq!(
        store.writes().commits - commits,
        3,
        "tried together (nothing committed), then each alone (the refused one not committed)"
    );
    let fresh = dir
        .open()
        .await
        .unwrap()
        .strategy(id)
        .await
        .unwrap()
        .unwrap();
    let titles: Vec<&str> = fresh.fields[0].needs[0].subgoals[0]
        .milestones
        .iter()
        .map(|m| m.data.title.as_str())
        .collect();
    assert_eq!(titles[titles.len() - 2..], ["Vorher", "Nachher"]);
    assert_eq!(*store.strategy(id).await.unwrap().unwrap(), *fresh);
    let log = store.audit_entries().await.unwrap();
    let created = |log: &[crate::audit::Record]| {
        log.iter()
            .filter(|entry| entry.action == "milestone.created")
            .count()
    };
    assert_eq!(created(&log), created(&before) + 2);
    assert!(!log.iter().any(|entry| entry.details.contains("Fehlt")));
    assert!(matches!(
        crate::audit::verify(&log),
        crate::audit::Verdict::Intact { .. }
    ));
}

/// A write that stops midway (its request cancelled) leaves nothing, and holds nothing: the
/// next write, of this process or another, goes through at once.
#[tokio::test]
async fn a_write_that_stops_midway_leaves_nothing_and_holds_nothing() {
    let (dir, store, _) = demo_store().await;
    let mut turn = store.begin_write().await.unwrap();
    db::query("INSERT INTO settings (key, value) VALUES ('test.halb', 'halb')")
        .execute(turn.tx())
        .await
        .unwrap();
    drop(turn);
    store
        .set_setting("test.danach", "danach", Utc::now(), &actor())
        .await
        .unwrap();
    assert_eq!(store.setting("test.halb").await.unwrap(), None);
    // Another process's store writes without waiting (no lock left behind).
    let other = dir.open().await.unwrap();
    let wrote = tokio::time::timeout(
        Duration::from_secs(5),
        other.set_setting("test.andere", "andere", Utc::now(), &actor()),
    )
    .await;
    assert!(matches!(wrote, Ok(Ok(()))), "{wrote:?}");
}
