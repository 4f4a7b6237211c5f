//! The read-only open-data API.

use crate::common;

use common::TestApp;
use serde_json::Value;

#[test]
fn strategies_are_listed_with_their_progress() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (status, body) = app.get("/api/v1/strategies").await;
        assert_eq!(status, 200);
        let list: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(list[0]["id"], 1);
        assert_eq!(
            list[0]["title"],
            "Digitalisierungsstrategie für die Gutenbergstadt"
        );
        let progress = list[0]["progress"].as_f64().unwrap();
        assert!(progress > 0.0 && progress < 100.0, "{progress}");
    })
}

#[test]
fn a_strategy_is_served_as_the_document_with_computed_keys() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (status, body) = app.get("/api/v1/strategies/1").await;
        assert_eq!(status, 200);
        let doc: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(doc["format"], "meilenstein/1");
        let field = &doc["strategy"]["fields"][0];
        assert_eq!(field["title"], "Bildung und Zusammenleben");
        assert_eq!(field["builds_on"].as_array().unwrap().len(), 13);
        assert_eq!(field["needs"].as_array().unwrap().len(), 5);
        let subgoals: Vec<&Value> = field["needs"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|n| n["subgoals"].as_array().unwrap())
            .collect();
        assert_eq!(subgoals.len(), 12);
        assert!(
            subgoals.iter().any(|s| s["progress"].is_null()),
            "a sub-goal without plan is null"
        );
        for key in ["id", "progress"] {
            assert!(doc["strategy"].get(key).is_some());
            assert!(field.get(key).is_some());
            assert!(field["needs"][0].get(key).is_some());
        }
        assert!(subgoals[0]["milestones"][0]["overdue"].is_boolean());
        // The served document imports as it is.
        app::domain::document::parse(&body).unwrap();
    })
}

#[test]
fn unknown_or_malformed_ids_are_client_errors() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (status, body) = app.get("/api/v1/strategies/999").await;
        assert_eq!(status, 404);
        assert!(body.contains("error"));
        let (status, body) = app.get("/api/v1/strategies/abc").await;
        assert_eq!(status, 400);
        assert!(body.contains("not a strategy id"));
    })
}

#[test]
fn an_empty_install_is_closed_until_public_read_is_switched_on() {
    common::run(async {
        let app = TestApp::empty().await;
        let (status, body) = app.get("/api/v1/strategies").await;
        assert_eq!(status, 401, "{body}");
        let (status, html) = app.get("/").await;
        assert_eq!(status, 401);
        assert!(html.contains("Bitte melden Sie sich an"));
        assert!(html.contains("href=\"/login?next=%2F\""), "{html}");

        app.store
            .set_setting(
                app::store::PUBLIC_READ,
                "on",
                chrono::Utc::now(),
                &app::audit::Actor::system(),
            )
            .await
            .unwrap();
        let (status, body) = app.get("/api/v1/strategies").await;
        assert_eq!((status, body.as_str()), (200, "[]"));
        let (status, html) = app.get("/").await;
        assert_eq!(status, 200);
        assert!(html.contains("Noch keine Strategie"));
        assert!(html.contains("meilenstein import"));
    })
}

#[test]
fn with_several_strategies_the_overview_lists_them_and_each_opens() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let json = include_str!("../fixtures/musterstadt.json");
        let strategy = app::domain::document::parse(json).unwrap();
        let id = app
            .store
            .import(&strategy, chrono::Utc::now(), &app::audit::Actor::system())
            .await
            .unwrap();
        let (status, html) = app.get("/").await;
        assert_eq!(status, 200);
        assert!(html.contains("href=\"/strategies/1\""), "{html}");
        assert!(html.contains(&format!("href=\"/strategies/{id}\"")));
        assert!(html.contains("Digitalstrategie Musterstadt"));
        let (status, html) = app.get(&format!("/strategies/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Verwaltung digital"));
        assert!(html.contains("Online-Dienste"));
        let (_, list) = app.get("/api/v1/strategies").await;
        let list: Value = serde_json::from_str(&list).unwrap();
        assert_eq!(list.as_array().unwrap().len(), 2);
        assert_eq!(list[1]["progress"], serde_json::json!(25.0));
    })
}
