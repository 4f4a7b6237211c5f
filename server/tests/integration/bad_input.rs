//! Bad input of every kind at every server function and API route: malformed, oversized,
//! wrongly typed, missing fields. Always a 4xx with a message, never a 5xx, a panic or a
//! changed database.

use crate::common;
use app::store::db;

use axum::{
    body::Body,
    http::{Request, header},
};
use common::{TestApp, read};

/// Everything the app keeps, besides sessions and the audit log, as one text: each table's
/// columns as text, row by row in a fixed order (the same SQL on both engines).
async fn snapshot(app: &TestApp) -> String {
    const KEPT: [(&str, &str, &str); 12] = [
        ("strategies", "id, title", "id"),
        ("fields", "id, title, goal", "id"),
        ("needs", "id, title", "id"),
        ("subgoals", "id, title, owner, weight, rhythm", "id"),
        (
            "status_reports",
            "subgoal_id, day, kind, note",
            "subgoal_id, day",
        ),
        (
            "milestones",
            "id, title, due, status, done_on, weight, note, version",
            "id",
        ),
        ("milestone_revisions", "COUNT(*)", "1"),
        ("users", "id, login, role, active, password_hash", "id"),
        (
            "subgoal_owners",
            "subgoal_id, user_id",
            "subgoal_id, user_id",
        ),
        ("settings", "key, value", "key"),
        (
            "indicators",
            "id, name, unit, direction, baseline_value, target_value, measures_progress, version",
            "id",
        ),
        ("indicator_readings", "id, value, removed_at", "id"),
    ];
    let mut all = String::new();
    for (table, columns, order) in KEPT {
        let row = columns
            .split(", ")
            .map(|column| format!("COALESCE(CAST({column} AS TEXT), '-')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows: Vec<String> = db::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT {row} FROM {table} ORDER BY {order}"
        )))
        .fetch_all(app.store.pool())
        .await
        .unwrap();
        all.push_str(&format!("{table}: {}\n", rows.join("; ")));
    }
    all
}

/// Every argument name the server functions take, each with a value of the wrong type.
const WRONG_TYPES: &str = "id=abc&version=1.5&subgoal_id=-&need_id=1e999&field_id=%20&user_id=NaN\
&active=maybe&on=vielleicht&title=&due=gestern&status=fertig&done_on=32.13.2026&weight=viel\
&note=&login=&password=&display_name=&role=kaiser&owner=&goal=&locale=xx&strategy_id=x&as_of=x\
&indicator_id=1.5&name=&unit=&direction=seitwärts&baseline_value=viel&baseline_on=x&target_value=1.100\
&target_on=x&value=zehn&method=%20&reason=&days=viele&rhythm=w%C3%B6chentlich&sort=farbe&dir=quer\
&department=%00&city=&period_from=zwanzig&period_to=1.5&description=&op=drehen&index=-1&item=\
&was=&kind=ding";

/// Reads whose arguments are all optional: they may answer input they can ignore.
const READS_WITHOUT_REQUIRED_ARGUMENTS: [&str; 11] = [
    "/api/admin/accessibility",
    "/api/admin/log",
    "/api/admin/overview",
    "/api/auth/keep-alive",
    "/api/auth/me",
    "/api/home",
    "/api/my-subgoals",
    "/api/quality",
    "/api/reporting",
    "/api/reports",
    "/api/setup/strategies",
];

#[test]
fn every_server_function_refuses_bad_input_with_a_4xx_and_changes_nothing() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let before = snapshot(&app).await;
        let mut admin = app.sign_in("cdo").await;
        let huge = format!("title={}", "a".repeat(10 * 1024 * 1024));
        let cases: Vec<(&str, &str, Vec<u8>)> = vec![
            ("empty", "application/x-www-form-urlencoded", Vec::new()),
            (
                "malformed",
                "application/x-www-form-urlencoded",
                b"%%%&&==&%zz".to_vec(),
            ),
            (
                "wrong types",
                "application/x-www-form-urlencoded",
                WRONG_TYPES.as_bytes().to_vec(),
            ),
            (
                "not UTF-8",
                "application/x-www-form-urlencoded",
                b"title=\xff\xfe&id=\xc3".to_vec(),
            ),
            ("broken JSON", "application/json", b"{\"id\": [".to_vec()),
            (
                "10 MB",
                "application/x-www-form-urlencoded",
                huge.into_bytes(),
            ),
        ];
        let paths: Vec<&'static str> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path)
            .filter(|path| !path.ends_with("/logout"))
            .collect();
        assert!(paths.len() > 15, "{paths:?}");
        for path in paths {
            for (name, content_type, body) in &cases {
                let request = Request::post(path)
                    .header(header::CONTENT_TYPE, *content_type)
                    .header(header::ACCEPT, "application/json");
                let (status, message) = read(
                    app.send(request, Some(&admin), Body::from(body.clone()))
                        .await,
                )
                .await;
                let tolerant = READS_WITHOUT_REQUIRED_ARGUMENTS.contains(&path)
                    && matches!(*name, "empty" | "malformed" | "wrong types");
                assert!(
                    (400..500).contains(&status) || (tolerant && status == 200),
                    "{path} with {name} input: {status} {}",
                    message.chars().take(300).collect::<String>()
                );
                assert!(!message.trim().is_empty(), "{path} with {name}: a message");
                if *name == "10 MB" {
                    assert_eq!(status, 413, "{path}: too large, said so");
                }
                if status == 401 {
                    // The login form itself, refused: sign in again for the next case.
                    admin = app.sign_in("cdo").await;
                }
            }
        }
        assert_eq!(snapshot(&app).await, before, "nothing changed");
    })
}

#[test]
fn routes_and_pages_answer_bad_paths_and_queries_with_a_4xx() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let before = snapshot(&app).await;
        let admin = app.sign_in("cdo").await;
        for uri in [
            "/api/v1/strategies/abc",
            "/api/v1/strategies/-1",
            "/api/v1/strategies/99999999999999999999999",
            "/api/v1/strategies/1%00",
            "/needs/abc",
            "/needs/99999999999999999999999",
            "/subgoals/-5",
            "/subgoals/1/history/x",
            "/milestones/%ff/history",
            "/admin/audit.csv?from=gestern&until=32.13.",
            "/strategies/1?as_of=gestern",
            "/needs/1?as_of=2026-13-01",
            "/subgoals/1?as_of=9999-01-01",
            "/api/v1/strategies/1?as_of=%ff",
            "/charts/need-1-burn-up.svg?as_of=x",
            "/charts/need-1-x.svg",
            "/charts/indicator-abc-trend.svg",
            "/charts/indicator-1-trend.svg?as_of=morgen",
            "/charts/indicator-999-trend.csv",
            "/charts/..%2F..%2Fetc%2Fpasswd",
            "/reports/abc",
            "/reports/999",
            "/reports/1?compare=%ff",
            "/reports/999/overview.csv",
            "/reports/x/overview.csv",
            "/does-not-exist",
        ] {
            let (status, body) = app.get_as(Some(&admin), uri).await;
            assert!(
                (400..500).contains(&status),
                "{uri}: {status} {}",
                body.chars().take(300).collect::<String>()
            );
            assert!(!body.trim().is_empty(), "{uri}: a message");
        }
        let (status, html) = app
            .get_as(Some(&admin), "/admin/audit?object_type=%ff%fe&from=gestern")
            .await;
        assert_eq!(status, 200, "the page itself is fine");
        assert!(
            html.contains("Von (Tag): Kein gültiges Datum"),
            "the filter field and its problem are named"
        );
        for (body, content_type) in [
            ("to=xx", "application/x-www-form-urlencoded"),
            ("%%%", "application/x-www-form-urlencoded"),
            ("{}", "application/json"),
        ] {
            let request = Request::post("/lang").header(header::CONTENT_TYPE, content_type);
            let (status, _) = read(app.send(request, Some(&admin), Body::from(body)).await).await;
            assert!(status < 500, "/lang with {body}: {status}");
        }
        assert_eq!(snapshot(&app).await, before, "nothing changed");
    })
}
