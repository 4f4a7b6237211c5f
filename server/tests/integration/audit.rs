//! The audit trail: every kind of change on record, append-only, and a direct edit detected.

use crate::common;
use app::store::db;

use common::TestApp;
use std::process::Command;

async fn actions(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    db::query_as("SELECT action, actor, object_id FROM audit_log ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
}

#[test]
fn every_kind_of_change_writes_its_entry() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let demo: Vec<String> = actions(&app).await.into_iter().map(|a| a.0).collect();
        assert_eq!(demo.first().map(String::as_str), Some("strategy.imported"));
        for action in ["user.created", "subgoal.owner_added", "setting.changed"] {
            assert!(
                demo.iter().any(|a| a == action),
                "{action} missing from the demo's entries"
            );
        }
        let before = demo.len();

        let owner = app.sign_in("schulamt").await;
        let (status, id) = app
            .call_as(
                Some(&owner),
                "/api/milestones/record",
                "subgoal_id=1&title=Hotspot+Markt&due=2027-03-31&status=planned",
            )
            .await;
        assert_eq!(status, 200);
        let form =
            format!("id={id}&version=1&title=Hotspot+Marktplatz&due=2027-03-31&status=in_progress");
        assert_eq!(
            app.call_as(Some(&owner), "/api/milestones/edit", &form)
                .await
                .0,
            200
        );
        assert_eq!(
            app.call_as(
                Some(&owner),
                "/api/milestones/delete",
                &format!("id={id}&version=2")
            )
            .await
            .0,
            200
        );
        let viewer = app.sign_in("rat").await;
        assert_eq!(
            app.call_as(Some(&viewer), "/api/milestones/delete", "id=1&version=1")
                .await
                .0,
            403
        );
        app.sign_in_with("rat", "falsch-falsch-falsch")
            .await
            .unwrap_err();
        assert_eq!(
            app.call_as(Some(&viewer), "/api/auth/logout", "").await.0,
            200
        );

        // Refusals and failed logins are counted, and go on record once a minute.
        assert_eq!(app.put_refusals_on_record().await, 2);
        let entries: Vec<(String, String, Option<String>)> = actions(&app).await.split_off(before);
        let summary: Vec<(&str, &str)> = entries
            .iter()
            .map(|(a, who, _)| (a.as_str(), who.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("login.succeeded", "schulamt"),
                ("milestone.created", "schulamt"),
                ("milestone.updated", "schulamt"),
                ("milestone.deleted", "schulamt"),
                ("login.succeeded", "rat"),
                ("logout", "rat"),
                ("access.denied", "rat"),
                ("login.failed", "anonymous (127.0.0.1)"),
            ]
        );
        let details: String = db::query_scalar(
            "SELECT details FROM audit_log WHERE action = 'milestone.updated' ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(app.store.pool())
        .await
        .unwrap();
        let details: serde_json::Value = serde_json::from_str(&details).unwrap();
        assert_eq!(
            details["title"],
            serde_json::json!(["Hotspot Markt", "Hotspot Marktplatz"])
        );
        assert_eq!(
            details["status"],
            serde_json::json!(["planned", "in_progress"])
        );
        assert!(
            details.get("due").is_none(),
            "unchanged fields are left out"
        );
    })
}

#[test]
fn the_application_cannot_change_or_remove_entries() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let update = db::query("UPDATE audit_log SET actor = 'jemand' WHERE id = 1")
            .execute(app.store.pool())
            .await;
        assert!(update.unwrap_err().to_string().contains("append-only"));
        let delete = db::query("DELETE FROM audit_log")
            .execute(app.store.pool())
            .await;
        assert!(delete.unwrap_err().to_string().contains("append-only"));
    })
}

fn verify(db: &str) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_meilenstein"))
        .args(["audit", "verify", "--db", db])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    common::outcome(output)
}

/// The statement that removes one of the audit log's guards (PostgreSQL names the table too).
fn drop_trigger(app: &TestApp, name: &str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(match app.scratch.engine() {
        db::Engine::Sqlite => format!("DROP TRIGGER {name}"),
        db::Engine::Postgres => format!("DROP TRIGGER {name} ON audit_log"),
    })
}

#[test]
fn audit_verify_finds_a_direct_edit_of_the_database() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let db = app.db().to_owned();
        let (code, out, err) = verify(&db);
        assert_eq!(code, 0, "{err}");
        assert!(out.starts_with("audit trail intact: "), "{out}");

        // Someone with the database file removes the guard and rewrites history.
        let pool = app.store.pool();
        db::query(drop_trigger(&app, "audit_log_is_append_only_update"))
            .execute(pool)
            .await
            .unwrap();
        db::query("UPDATE audit_log SET details = '{}' WHERE id = 3")
            .execute(pool)
            .await
            .unwrap();
        let (code, _, err) = verify(&db);
        assert_eq!(code, 1);
        assert!(err.contains("broken at entry 3"), "{err}");
    })
}

#[test]
fn audit_verify_finds_a_removed_entry() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let pool = app.store.pool();
        db::query(drop_trigger(&app, "audit_log_is_append_only_delete"))
            .execute(pool)
            .await
            .unwrap();
        db::query("DELETE FROM audit_log WHERE id = 2")
            .execute(pool)
            .await
            .unwrap();
        let (code, _, err) = verify(app.db());
        assert_eq!(code, 1);
        assert!(err.contains("broken at entry 3"), "{err}");
    })
}
