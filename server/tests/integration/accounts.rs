//! Accounts, sessions and who may do what, through the router.

use crate::common;
use app::store::db;

use axum::{
    body::Body,
    http::{Request, header},
};
use common::{Session, TestApp, read};
use std::collections::BTreeMap;

#[test]
fn signing_in_sets_a_session_cookie_and_me_knows_the_account() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let request = Request::post("/api/auth/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, "http://127.0.0.1:3000/login")
            .body(Body::from(
                "login=CDO&password=gutenberg-druckt-2026&next=%2Fneeds%2F2",
            ))
            .unwrap();
        let response = tower::ServiceExt::oneshot(app.router.clone(), request)
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(response.headers()[header::LOCATION], "/needs/2");
        let cookie = response.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(cookie.starts_with("meilenstein_session="), "{cookie}");
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
            assert!(
                cookie.contains(attribute),
                "{attribute} missing in {cookie}"
            );
        }
        assert!(!cookie.contains("Secure"), "plain http during development");
        let session = Session {
            cookie: cookie.split(';').next().unwrap().to_owned(),
        };
        let (status, body) = app.call_as(Some(&session), "/api/auth/me", "").await;
        assert_eq!(status, 200);
        assert!(
            body.contains("\"login\":\"cdo\"") && body.contains("\"role\":\"admin\""),
            "{body}"
        );
        assert!(!body.contains("argon2"), "no hash leaves the server");
        let (_, body) = app.call("/api/auth/me", "").await;
        assert_eq!(body, "null");
    })
}

#[test]
fn wrong_password_and_unknown_user_get_the_same_answer() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let wrong = app
            .sign_in_with("cdo", "falsches-passwort-123")
            .await
            .unwrap_err();
        let unknown = app
            .sign_in_with("niemand", "falsches-passwort-123")
            .await
            .unwrap_err();
        assert_eq!(wrong, unknown);
        assert_eq!(wrong.0, 401);
        assert!(wrong.1.contains("InvalidCredentials"));
    })
}

#[test]
fn a_deactivated_account_cannot_sign_in() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let vhs = app.store.user_by_login("vhs").await.unwrap().unwrap();
        app.store
            .set_active(
                vhs.id,
                false,
                chrono::Utc::now(),
                &app::audit::Actor::system(),
            )
            .await
            .unwrap();
        let refused = app
            .sign_in_with("vhs", "lernen-ein-leben-lang")
            .await
            .unwrap_err();
        assert_eq!(refused.0, 401);
        assert!(refused.1.contains("InvalidCredentials"));
    })
}

#[test]
fn failed_logins_are_rate_limited_per_account() {
    common::run(async {
        let app = TestApp::with_demo().await;
        // From ten different addresses: only the per-account count reaches its limit.
        for i in 0..10 {
            let (status, _) = app
                .sign_in_from([10, 0, 0, i], "rat", "nicht-das-passwort")
                .await
                .unwrap_err();
            assert_eq!(status, 401);
        }
        let (status, body) = app
            .sign_in_from([10, 0, 1, 1], "rat", "ratssitzung-im-stadthaus")
            .await
            .unwrap_err();
        assert_eq!(status, 429, "even the right password waits: {body}");
        assert!(body.contains("TooManyAttempts"));
        // Other accounts are not locked by it.
        app.sign_in("cdo").await;
    })
}

#[test]
fn failed_logins_are_rate_limited_per_client_address() {
    common::run(async {
        let app = TestApp::with_demo().await;
        for i in 0..10 {
            app.sign_in_from([10, 9, 9, 9], &format!("raten{i}"), "irgendein-passwort")
                .await
                .unwrap_err();
        }
        let (status, _) = app
            .sign_in_from([10, 9, 9, 9], "cdo", "gutenberg-druckt-2026")
            .await
            .unwrap_err();
        assert_eq!(status, 429);
        // Another address is not affected.
        app.sign_in_from([10, 9, 9, 10], "cdo", "gutenberg-druckt-2026")
            .await
            .unwrap();
    })
}

#[test]
fn logout_deactivation_and_a_new_password_end_sessions_on_the_server() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let me = |session: Session| {
            let app = &app;
            async move { app.call_as(Some(&session), "/api/auth/me", "").await.1 }
        };
        let session = app.sign_in("rat").await;
        let (status, _) = app.call_as(Some(&session), "/api/auth/logout", "").await;
        assert_eq!(status, 200);
        assert_eq!(me(session).await, "null", "the old cookie opens nothing");

        let session = app.sign_in("vhs").await;
        let vhs = app.store.user_by_login("vhs").await.unwrap().unwrap();
        app.store
            .set_active(
                vhs.id,
                false,
                chrono::Utc::now(),
                &app::audit::Actor::system(),
            )
            .await
            .unwrap();
        assert_eq!(me(session).await, "null");

        let session = app.sign_in("schulamt").await;
        let user = app.store.user_by_login("schulamt").await.unwrap().unwrap();
        app.store
            .set_password(
                user.id,
                &user.password_hash,
                chrono::Utc::now(),
                &app::audit::Actor::system(),
            )
            .await
            .unwrap();
        assert_eq!(me(session).await, "null");
    })
}

#[test]
fn signing_in_again_replaces_the_session() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let first = app.sign_in("cdo").await;
        let request = Request::post("/api/auth/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::COOKIE, &first.cookie);
        let response = app
            .send(
                request,
                None,
                Body::from("login=cdo&password=gutenberg-druckt-2026"),
            )
            .await;
        let second = response.headers()[header::SET_COOKIE].to_str().unwrap();
        let second = Session {
            cookie: second.split(';').next().unwrap().to_owned(),
        };
        assert_ne!(first.cookie, second.cookie);
        assert_eq!(
            app.call_as(Some(&first), "/api/auth/me", "").await.1,
            "null"
        );
        assert!(
            app.call_as(Some(&second), "/api/auth/me", "")
                .await
                .1
                .contains("cdo")
        );
    })
}

#[test]
fn cross_site_changes_are_refused_and_same_site_ones_pass() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let post = |headers: Vec<(&'static str, &'static str)>| {
            let app = &app;
            async move {
                let mut request = Request::post("/api/auth/me")
                    .header(header::HOST, "127.0.0.1:3000")
                    .header(header::ACCEPT, "application/json");
                for (name, value) in headers {
                    request = request.header(name, value);
                }
                read(app.send(request, None, Body::empty()).await).await.0
            }
        };
        assert_eq!(post(vec![("origin", "http://evil.example")]).await, 403);
        assert_eq!(post(vec![("sec-fetch-site", "cross-site")]).await, 403);
        assert_eq!(post(vec![("sec-fetch-site", "same-site")]).await, 403);
        assert_eq!(post(vec![("origin", "http://127.0.0.1:3000")]).await, 200);
        assert_eq!(post(vec![("sec-fetch-site", "same-origin")]).await, 200);
        assert_eq!(post(vec![]).await, 200, "non-browser clients");
        // A page load (GET) from elsewhere is fine: links to Meilenstein work.
        let request = Request::get("/").header("sec-fetch-site", "cross-site");
        assert_eq!(app.send(request, None, Body::empty()).await.status(), 200);
    })
}

#[test]
fn every_page_has_security_headers_and_its_scripts_allowed_by_their_hashes() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let page = || async { app.send(Request::get("/"), None, Body::empty()).await };
        let first = page().await;
        let second = page().await;
        let csp = |r: &axum::http::Response<Body>| {
            r.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .to_owned()
        };
        let (a, b) = (csp(&first), csp(&second));
        assert!(a.contains("script-src 'self' 'sha256-"), "{a}");
        assert!(a.contains("'wasm-unsafe-eval'") && a.contains("frame-ancestors 'none'"));
        assert!(
            !a.contains("script-src 'unsafe-inline'") && !a.contains("'nonce-"),
            "{a}"
        );
        assert_eq!(a, b, "a kept page: the same scripts, the same policy");
        let (_, html) = read(first).await;
        assert!(!html.contains("nonce="), "no nonce in the page");
        let headers = second.headers();
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::REFERRER_POLICY], "same-origin");
        assert!(
            headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
            "plain http"
        );
        assert!(
            headers.get(header::CACHE_CONTROL).is_none(),
            "public page, nobody signed in"
        );

        let admin = app.sign_in("cdo").await;
        let signed_in = app
            .send(Request::get("/"), Some(&admin), Body::empty())
            .await;
        assert_eq!(signed_in.headers()[header::CACHE_CONTROL], "no-store");
        let api = app
            .send(Request::get("/api/v1/strategies"), None, Body::empty())
            .await;
        assert_eq!(api.headers()[header::CACHE_CONTROL], "no-store");
        assert_eq!(
            api.headers()[header::CONTENT_SECURITY_POLICY],
            "default-src 'none'; frame-ancestors 'none'"
        );
    })
}

#[test]
fn over_https_the_cookie_is_host_bound_and_hsts_is_sent() {
    common::run(async {
        let app = TestApp::with_config(app::state::Config {
            https: true,
            public_origin: Some("https://meilenstein.example.org".into()),
            ..Default::default()
        })
        .await;
        app::store::demo::install(&app.store, common::today())
            .await
            .unwrap();
        let request = Request::post("/api/auth/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::ORIGIN, "https://meilenstein.example.org");
        let response = app
            .send(
                request,
                None,
                Body::from("login=rat&password=ratssitzung-im-stadthaus"),
            )
            .await;
        let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
        assert!(
            cookie.starts_with("__Host-meilenstein=") && cookie.ends_with("; Secure"),
            "{cookie}"
        );
        assert!(
            response.headers()[header::STRICT_TRANSPORT_SECURITY]
                .to_str()
                .unwrap()
                .contains("max-age=")
        );
        let request =
            Request::post("/api/auth/me").header(header::ORIGIN, "http://meilenstein.example.org");
        assert_eq!(
            app.send(request, None, Body::empty()).await.status(),
            403,
            "origin must match exactly"
        );
    })
}

/// Who may call what. Every registered server function must be listed here, so a new one
/// cannot slip through unchecked.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Answered (any status but 401 and 403).
    Pass,
    /// 401: sign in first.
    SignIn,
    /// 403: signed in, not allowed.
    Deny,
}

#[test]
fn the_role_matrix_covers_every_server_function() {
    use Expect::*;
    common::run(async {
        let app = TestApp::with_demo().await;
        // Reading is checked with public read access off.
        app.store
            .set_setting(
                app::store::PUBLIC_READ,
                "off",
                chrono::Utc::now(),
                &app::audit::Actor::system(),
            )
            .await
            .unwrap();
        // Milestones of "WLAN und Hotspots ausbauen" (sub-goal 1), owned by the Schulamt.
        let owned: Vec<i64> =
            db::query_scalar("SELECT id FROM milestones WHERE subgoal_id = 1 ORDER BY id")
                .fetch_all(app.store.pool())
                .await
                .unwrap();
        // The accounts the admin rows change: one nobody signs in with.
        let u = app
            .store
            .create_user(
                "ziel",
                "Zielkonto",
                app::domain::access::Role::Viewer,
                "$argon2id$v=19$unused",
                chrono::Utc::now(),
                &app::audit::Actor::system(),
            )
            .await
            .unwrap();
        let m = owned[2];
        let d = owned[3];
        // Indicators of sub-goal 1: one to change and read, one to delete, and a reading.
        let indicator = app::domain::IndicatorData {
            name: "Schulen mit Glasfaser".into(),
            unit: "Schulen".into(),
            direction: app::domain::Direction::Rising,
            baseline: app::domain::indicator::Point {
                value: 3.0,
                on: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            },
            target: app::domain::indicator::Point {
                value: 40.0,
                on: chrono::NaiveDate::from_ymd_opt(2028, 1, 1).unwrap(),
            },
        };
        let system = app::audit::Actor::system();
        let now = chrono::Utc::now();
        let kpi = app
            .store
            .add_indicator(1, &indicator, now, &system)
            .await
            .unwrap();
        let gone = app
            .store
            .add_indicator(1, &indicator, now, &system)
            .await
            .unwrap();
        let reading = app
            .store
            .record_reading(
                kpi,
                &app::domain::indicator::ReadingData {
                    on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                    value: 9.0,
                    note: None,
                },
                now,
                &system,
            )
            .await
            .unwrap();
        // A report to read and withdraw.
        let snapshot = app::server_fns::reports::ssr::snapshot(
            &app.store,
            &app.state.clock,
            1,
            common::today(),
        )
        .await
        .unwrap();
        let report = app
            .store
            .create_report(
                app::store::NewReport {
                    name: "Bericht",
                    foreword: None,
                    snapshot: &snapshot,
                },
                now,
                &system,
            )
            .await
            .unwrap();
        let fields = "name=WLAN&unit=Schulen&direction=rising&baseline_value=1\
            &baseline_on=2025-01-01&target_value=9&target_on=2027-01-01";
        // path → (arguments, [nobody, viewer, owner of another sub-goal, owner, admin])
        let matrix: BTreeMap<&str, (String, [Expect; 5])> = BTreeMap::from([
            (
                "/api/home",
                ("locale=de".to_owned(), [SignIn, Pass, Pass, Pass, Pass]),
            ),
            (
                "/api/dashboard",
                (
                    "id=1&locale=de".to_owned(),
                    [SignIn, Pass, Pass, Pass, Pass],
                ),
            ),
            (
                "/api/need",
                (
                    "id=1&locale=de".to_owned(),
                    [SignIn, Pass, Pass, Pass, Pass],
                ),
            ),
            (
                "/api/subgoal",
                (
                    "id=1&locale=de".to_owned(),
                    [SignIn, Pass, Pass, Pass, Pass],
                ),
            ),
            (
                "/api/auth/me",
                (String::new(), [Pass, Pass, Pass, Pass, Pass]),
            ),
            (
                "/api/auth/login",
                (
                    "login=rat&password=ratssitzung-im-stadthaus".to_owned(),
                    [Pass, Pass, Pass, Pass, Pass],
                ),
            ),
            (
                "/api/auth/logout",
                (String::new(), [Pass, Pass, Pass, Pass, Pass]),
            ),
            (
                "/api/auth/keep-alive",
                (String::new(), [SignIn, Pass, Pass, Pass, Pass]),
            ),
            (
                "/api/milestones/record",
                (
                    "subgoal_id=1&title=Neu&due=2027-01-31&status=planned".to_owned(),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/milestones/edit",
                (
                    format!("id={m}&version=1&title=Neu&due=2027-01-31&status=planned"),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/milestones/reach",
                (
                    format!("id={m}&version=1&done_on=2026-11-20"),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/milestones/start",
                (
                    format!("id={m}&version=1"),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/milestones/move",
                (
                    format!("id={m}&version=1&due=2027-02-01&reason=Verzug"),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/reporting",
                (String::new(), [SignIn, Pass, Pass, Pass, Pass]),
            ),
            (
                "/api/admin/settings/grace-days",
                ("days=21".to_owned(), [SignIn, Deny, Deny, Deny, Pass]),
            ),
            (
                "/api/admin/settings/reminders",
                (
                    "days_before=5&hour=8".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/admin/users/contact",
                (
                    format!("user_id={u}&email=ziel%40mainz.example&language=en"),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/bulk/preview",
                ("token=unknown".to_owned(), [SignIn, Deny, Pass, Pass, Pass]),
            ),
            (
                "/api/bulk/apply",
                ("token=unknown".to_owned(), [SignIn, Deny, Pass, Pass, Pass]),
            ),
            (
                "/api/bulk/discard",
                ("token=unknown".to_owned(), [SignIn, Deny, Pass, Pass, Pass]),
            ),
            (
                "/api/quality",
                (String::new(), [SignIn, Pass, Pass, Pass, Pass]),
            ),
            (
                "/api/my-subgoals",
                (String::new(), [SignIn, Deny, Pass, Pass, Pass]),
            ),
            (
                "/api/subgoals/confirm",
                (
                    "subgoal_id=1&note=Alles+wie+geplant".to_owned(),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/subgoals/rhythm",
                (
                    "subgoal_id=1&rhythm=monthly".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/milestones/cancel",
                (
                    format!("id={m}&version=1"),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/milestones/delete",
                (
                    format!("id={d}&version=1"),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/indicators/add",
                (
                    format!("subgoal_id=1&{fields}"),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/indicators/edit",
                (
                    format!("id={kpi}&version=1&{fields}"),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/indicators/delete",
                (
                    format!("id={gone}&version=1"),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/indicators/reading",
                (
                    format!("indicator_id={kpi}&on=2026-06-01&value=12"),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/indicators/reading/remove",
                (format!("id={reading}"), [SignIn, Deny, Deny, Pass, Pass]),
            ),
            (
                "/api/indicators/method",
                (
                    format!("subgoal_id=1&method={kpi}"),
                    [SignIn, Deny, Deny, Pass, Pass],
                ),
            ),
            (
                "/api/history/subgoal",
                ("id=1".to_owned(), [SignIn, Pass, Pass, Pass, Pass]),
            ),
            (
                "/api/history/milestone",
                (format!("id={m}"), [SignIn, Pass, Pass, Pass, Pass]),
            ),
            (
                "/api/admin/overview",
                (String::new(), [SignIn, Deny, Deny, Deny, Pass]),
            ),
            (
                "/api/admin/log",
                (String::new(), [SignIn, Deny, Deny, Deny, Pass]),
            ),
            (
                "/api/admin/users/create",
                (
                    "login=neu&display_name=Neu&role=viewer&password=Rheinufer+und+Zitadelle"
                        .to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/admin/users/role",
                (
                    format!("user_id={u}&role=viewer"),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/admin/users/password",
                (
                    format!("user_id={u}&password=Rheinufer+und+Zitadelle"),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/admin/users/active",
                (
                    format!("user_id={u}&active=true"),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/admin/users/assign",
                (
                    format!("user_id={u}&subgoal_id=2"),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/admin/users/unassign",
                (
                    format!("user_id={u}&subgoal_id=2"),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/admin/settings/public-read",
                ("on=false".to_owned(), [SignIn, Deny, Deny, Deny, Pass]),
            ),
            (
                "/api/structure/field",
                (
                    "id=1&title=Bildung".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/structure/need",
                (
                    "id=1&title=Infrastruktur".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/structure/need/add",
                (
                    "field_id=1&title=Neu".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/structure/need/baseline",
                (
                    "need_id=1&reason=Haushalt+2027+beschlossen".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/structure/subgoal",
                (
                    "id=1&title=WLAN&weight=2".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/report",
                (
                    format!("id={report}&locale=de"),
                    [SignIn, Pass, Pass, Pass, Pass],
                ),
            ),
            (
                "/api/report/presentation",
                (
                    format!("id={report}&locale=de"),
                    [SignIn, Pass, Pass, Pass, Pass],
                ),
            ),
            (
                "/api/reports",
                (String::new(), [SignIn, Pass, Pass, Pass, Pass]),
            ),
            (
                // Not found while public read is off, for everyone alike.
                "/api/embed",
                (
                    "scope=Need&id=1&locale=de".to_owned(),
                    [Pass, Pass, Pass, Pass, Pass],
                ),
            ),
            (
                "/api/admin/settings/embed-origins",
                (
                    "origins=https%3A%2F%2Fwww.mainz.de".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/reports/create",
                (
                    "name=Sitzung&stichtag=2026-11-01".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/reports/withdraw",
                (
                    format!("report_id={report}&reason=Falsch"),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/structure/strategy/create",
                (
                    "title=Neu&city=Mainz&period_from=2024&period_to=2030".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/structure/strategy",
                (
                    "id=999&title=Neu&city=Mainz&period_from=2024&period_to=2030".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/structure/field/add",
                (
                    "strategy_id=999&title=Neu".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/structure/field/builds-on",
                (
                    "field_id=999&op=add&item=Schulcloud".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/structure/move",
                (
                    "kind=need&id=999&direction=up".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/structure/archive",
                (
                    "kind=need&id=999".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/structure/restore",
                (
                    "kind=need&id=999".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/accessibility",
                ("locale=de".to_owned(), [Pass, Pass, Pass, Pass, Pass]),
            ),
            (
                "/api/easy-read",
                ("locale=en".to_owned(), [Pass, Pass, Pass, Pass, Pass]),
            ),
            (
                "/api/admin/accessibility",
                ("".to_owned(), [SignIn, Deny, Deny, Deny, Pass]),
            ),
            (
                "/api/admin/settings/accessibility",
                (
                    "conformance=partial&method=self_assessment&email=a11y%40mainz.example"
                        .to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/admin/settings/easy-read",
                (
                    "text_de=Hallo&text_en=Hello".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/setup/strategies",
                ("".to_owned(), [SignIn, Deny, Deny, Deny, Pass]),
            ),
            (
                "/api/setup/import/preview",
                (
                    "token=unbekannt".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/setup/import/apply",
                (
                    "token=unbekannt".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/setup/import/discard",
                (
                    "token=unbekannt".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/setup/structure/preview",
                (
                    "token=unbekannt".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/setup/structure/apply",
                (
                    "token=unbekannt".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/setup/structure/discard",
                (
                    "token=unbekannt".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
            (
                "/api/structure/subgoal/add",
                (
                    "need_id=1&title=Neu".to_owned(),
                    [SignIn, Deny, Deny, Deny, Pass],
                ),
            ),
        ]);
        let registered: Vec<&'static str> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path)
            .collect();
        for path in &registered {
            assert!(
                matrix.contains_key(path),
                "server function {path} has no row in the role matrix"
            );
        }
        for path in matrix.keys() {
            assert!(
                registered.contains(path),
                "{path} is not a server function any more"
            );
        }
        let callers = ["", "rat", "vhs", "schulamt", "cdo"];
        for (path, (args, expected)) in &matrix {
            for (who, expect) in callers.iter().zip(expected) {
                // A fresh session per call: logout must not end the next check's session.
                let session = if who.is_empty() {
                    None
                } else {
                    Some(app.sign_in(who).await)
                };
                let (status, body) = app.call_as(session.as_ref(), path, args).await;
                let got = match status {
                    401 => SignIn,
                    403 => Deny,
                    _ => Pass,
                };
                assert_eq!(got, *expect, "{path} as {who:?}: {status} {body}");
            }
        }
        // Refused calls changed nothing: the milestone the owner and admin may change was
        // changed only by them.
        let revisions: Vec<i64> =
            db::query_scalar("SELECT COUNT(*) FROM milestone_revisions WHERE milestone_id = $1")
                .bind(m)
                .fetch_all(app.store.pool())
                .await
                .unwrap();
        assert!(revisions[0] >= 2);
    })
}

#[test]
fn an_owner_cannot_change_another_sub_goals_milestone_by_id() {
    common::run(async {
        let app = TestApp::with_demo().await;
        // Sub-goal 12 ("Digitale Zugänge fördern …") belongs to another department.
        let foreign: i64 = db::query_scalar("SELECT MIN(id) FROM milestones WHERE subgoal_id = 12")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        let owner = app.sign_in("schulamt").await;
        let before: String = db::query_scalar("SELECT title FROM milestones WHERE id = $1")
            .bind(foreign)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        let (status, _) = app
            .call_as(
                Some(&owner),
                "/api/milestones/edit",
                &format!("id={foreign}&version=1&title=Gekapert&due=2027-01-31&status=planned"),
            )
            .await;
        assert_eq!(status, 403);
        let after: String = db::query_scalar("SELECT title FROM milestones WHERE id = $1")
            .bind(foreign)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        assert_eq!(before, after);
        // The open-data API reads for everyone only while public read access is on.
        app.store
            .set_setting(
                app::store::PUBLIC_READ,
                "off",
                chrono::Utc::now(),
                &app::audit::Actor::system(),
            )
            .await
            .unwrap();
        assert_eq!(app.get("/api/v1/strategies/1").await.0, 401);
        app.put_refusals_on_record().await;
        let refused: String = db::query_scalar(
            "SELECT details FROM audit_log WHERE action = 'access.denied' ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(app.store.pool())
        .await
        .unwrap();
        assert!(
            refused.contains("read strategy 1 (open data)"),
            "the refusal is on record: {refused}"
        );
        assert_eq!(
            app.get_as(Some(&owner), "/api/v1/strategies/1").await.0,
            200
        );
    })
}
