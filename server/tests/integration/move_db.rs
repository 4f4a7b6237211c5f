//! `meilenstein move-db`: a city's whole database moved into a new one, SQLite to PostgreSQL
//! and back when a PostgreSQL server is there to test against (else SQLite to SQLite): the
//! same exports, the same accounts, the audit chain verified, an occupied target refused.

use crate::common::{self, TestApp, meilenstein};
use app::store::{
    db::{self, Engine},
    scratch::Scratch,
};

/// Every strategy of a database as `export` prints it, with today fixed.
fn exports(db: &str) -> Vec<String> {
    (1..=3)
        .map_while(|id| {
            let id = id.to_string();
            let (code, out, _) = meilenstein(&["export", "--db", db, "--strategy", &id]);
            (code == 0).then_some(out)
        })
        .collect()
}

fn move_db(from: &str, to: &str) -> (i32, String, String) {
    meilenstein(&["move-db", "--from", from, "--to", to])
}

/// The rows a move printed for `table`: (from, to).
fn counts(out: &str, table: &str) -> (i64, i64) {
    let line = out
        .lines()
        .find(|l| l.split_whitespace().next() == Some(table))
        .unwrap_or_else(|| panic!("no line for {table} in {out}"));
    let numbers: Vec<i64> = line
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    (numbers[0], numbers[1])
}

/// A new database on `engine`.
fn on(engine: Engine) -> Scratch {
    match engine {
        Engine::Postgres => common::scratch(),
        Engine::Sqlite => Scratch::sqlite(),
    }
}

/// A new database on the other engine when both can be had (the tests run against PostgreSQL
/// move into SQLite and back), else on SQLite.
fn other_than(engine: Engine) -> Scratch {
    match engine {
        Engine::Postgres => Scratch::sqlite(),
        Engine::Sqlite => common::scratch(),
    }
}

#[test]
fn the_demo_moves_whole_there_and_back_and_an_occupied_target_is_refused() {
    let source = common::run(async {
        let app = TestApp::with_demo().await;
        // A session, to be left behind.
        app.sign_in("cdo").await;
        app
    });
    let before = exports(source.db());
    assert!(!before.is_empty());
    let (_, users_before, _) = meilenstein(&["user", "list", "--db", source.db()]);

    let there = other_than(source.scratch.engine());
    let (code, out, err) = move_db(source.db(), there.location());
    assert_eq!(code, 0, "{out}{err}");
    for table in [
        "strategies",
        "fields",
        "needs",
        "subgoals",
        "milestones",
        "milestone_revisions",
        "structure_revisions",
        "indicators",
        "indicator_readings",
        "status_reports",
        "users",
        "subgoal_owners",
        "settings",
        "audit_log",
    ] {
        let (from, to) = counts(&out, table);
        assert!(from > 0, "{table}: {out}");
        assert_eq!(from, to, "{table}");
    }
    assert!(out.contains("audit trail intact on the target"), "{out}");
    assert_eq!(exports(there.location()), before);
    let (_, users, _) = meilenstein(&["user", "list", "--db", there.location()]);
    assert_eq!(users, users_before);
    let (code, out, err) = meilenstein(&["audit", "verify", "--db", there.location()]);
    assert_eq!(code, 0, "{out}{err}");

    // And back again, onto the first engine.
    let back = on(source.scratch.engine());
    let (code, out, err) = move_db(there.location(), back.location());
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(exports(back.location()), before);

    common::run(async move {
        let store = app::store::Store::open(back.location()).await.unwrap();
        let sessions: i64 = db::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(sessions, 0, "sessions stay behind");
        let moved: Vec<String> = db::query_scalar(
            "SELECT action FROM audit_log WHERE action = 'database.moved' ORDER BY id",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        assert_eq!(moved.len(), 2, "each move is on record");
    });

    // New rows get new ids after the moved ones.
    let (code, out, err) = meilenstein(&["demo", "--scale", "10", "--db", there.location()]);
    assert_eq!(code, 1, "{out}{err}");
    let document = std::env::temp_dir().join(format!("move-db-{}.json", std::process::id()));
    std::fs::write(&document, &before[0]).unwrap();
    let (code, out, err) = meilenstein(&[
        "import",
        document.to_str().unwrap(),
        "--db",
        there.location(),
    ]);
    let _ = std::fs::remove_file(&document);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("imported strategy {}", before.len() + 1)),
        "{out}"
    );

    // A target that holds anything is refused, and left as it was.
    let audit_before = meilenstein(&["audit", "verify", "--db", there.location()]).1;
    let (code, _, err) = move_db(source.db(), there.location());
    assert_eq!(code, 1);
    assert!(
        err.contains("not empty") && err.contains("strategies"),
        "{err}"
    );
    assert_eq!(
        meilenstein(&["audit", "verify", "--db", there.location()]).1,
        audit_before
    );
    let (code, _, err) = move_db(source.db(), source.db());
    assert_eq!(code, 1);
    assert!(err.contains("same database"), "{err}");
}

#[test]
fn a_failed_move_leaves_no_new_file_and_a_missing_source_is_named() {
    let target = Scratch::sqlite();
    let (code, _, err) = move_db("/nonexistent/city.db", target.location());
    assert_eq!(code, 1);
    assert!(
        err.contains("--from: no database at /nonexistent/city.db"),
        "{err}"
    );
    assert!(!std::path::Path::new(target.location()).exists());
}

#[test]
fn scale_data_moves_with_the_same_exports_and_a_verified_chain() {
    let source = common::scratch();
    let (code, _, err) = meilenstein(&[
        "demo",
        "--scale",
        "2500",
        "--changes",
        "3",
        "--db",
        source.location(),
    ]);
    assert_eq!(code, 0, "{err}");
    let before = exports(source.location());
    let there = other_than(source.engine());
    let (code, out, err) = move_db(source.location(), there.location());
    assert_eq!(code, 0, "{out}{err}");
    let (from, to) = counts(&out, "milestones");
    assert_eq!((from, to), (2500, 2500));
    let (from, to) = counts(&out, "milestone_revisions");
    assert_eq!(from, to);
    assert!(from >= 2500 * 3, "{out}");
    assert_eq!(exports(there.location()), before);
    let (code, out, err) = meilenstein(&["audit", "verify", "--db", there.location()]);
    assert_eq!(code, 0, "{out}{err}");

    let back = on(source.engine());
    let (code, out, err) = move_db(there.location(), back.location());
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(exports(back.location()), before);
}
