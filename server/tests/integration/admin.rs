//! Administration through the router: accounts, roles, ownership, settings, history, the log.

use crate::common;
use app::store::db;

use axum::{
    body::Body,
    http::{Request, header},
};
use common::{TestApp, read};

#[test]
fn an_admin_manages_accounts_with_clear_refusals() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let call = |path: &'static str, form: String| {
            let (app, admin) = (&app, &admin);
            async move { app.call_as(Some(admin), path, &form).await }
        };
        let (status, body) = call(
            "/api/admin/users/create",
            "login=Neue+Leitung&display_name=&role=chef&password=passwort1234".into(),
        )
        .await;
        assert_eq!(status, 422);
        for field in ["login", "display_name", "role", "password"] {
            assert!(
                body.contains(&format!("\"{field}\"")),
                "{field} named in {body}"
            );
        }
        let (status, _) = call(
            "/api/admin/users/create",
            "login=amt40&display_name=Amt+40&role=owner&password=Rheinufer+und+Zitadelle".into(),
        )
        .await;
        assert_eq!(status, 200);
        let (status, _) = call(
            "/api/admin/users/create",
            "login=AMT40&display_name=Doppelt&role=viewer&password=Rheinufer+und+Zitadelle".into(),
        )
        .await;
        assert_eq!(status, 409);
        let id = app.store.user_by_login("amt40").await.unwrap().unwrap().id;

        // The new owner changes nothing until a sub-goal is assigned.
        let owner = app
            .sign_in_with("amt40", "Rheinufer und Zitadelle")
            .await
            .unwrap();
        let record = "subgoal_id=5&title=Test&due=2027-01-31&status=planned";
        assert_eq!(
            app.call_as(Some(&owner), "/api/milestones/record", record)
                .await
                .0,
            403
        );
        assert_eq!(
            call(
                "/api/admin/users/assign",
                format!("user_id={id}&subgoal_id=5")
            )
            .await
            .0,
            200
        );
        let owner = app
            .sign_in_with("amt40", "Rheinufer und Zitadelle")
            .await
            .unwrap();
        assert_eq!(
            app.call_as(Some(&owner), "/api/milestones/record", record)
                .await
                .0,
            200
        );
        assert_eq!(
            call(
                "/api/admin/users/unassign",
                format!("user_id={id}&subgoal_id=5")
            )
            .await
            .0,
            200
        );
        let owner = app
            .sign_in_with("amt40", "Rheinufer und Zitadelle")
            .await
            .unwrap();
        assert_eq!(
            app.call_as(Some(&owner), "/api/milestones/record", record)
                .await
                .0,
            403
        );

        // A reset password ends the user's sessions; a deactivated account signs in no more.
        let (status, body) = call(
            "/api/admin/users/password",
            format!("user_id={id}&password=kurz"),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            call(
                "/api/admin/users/password",
                format!("user_id={id}&password=Neues+Passwort+f%C3%BCr+Amt+40")
            )
            .await
            .0,
            200
        );
        assert_eq!(
            app.call_as(Some(&owner), "/api/auth/me", "").await.1,
            "null"
        );
        assert_eq!(
            call(
                "/api/admin/users/active",
                format!("user_id={id}&active=false")
            )
            .await
            .0,
            200
        );
        assert!(
            app.sign_in_with("amt40", "Neues Passwort für Amt 40")
                .await
                .is_err()
        );
        assert_eq!(
            call("/api/admin/users/role", format!("user_id={id}&role=viewer"))
                .await
                .0,
            200
        );

        // The admin cannot lock themselves out.
        let me = app.store.user_by_login("cdo").await.unwrap().unwrap().id;
        let (status, body) = call(
            "/api/admin/users/active",
            format!("user_id={me}&active=false"),
        )
        .await;
        assert_eq!(status, 422);
        assert!(body.contains("OwnAccount"), "{body}");
        assert_eq!(
            call("/api/admin/users/role", format!("user_id={me}&role=viewer"))
                .await
                .0,
            422
        );

        let (status, body) = call("/api/admin/overview", String::new()).await;
        assert_eq!(status, 200);
        assert!(
            body.contains("\"login\":\"amt40\"") && body.contains("\"active\":false"),
            "{body}"
        );
        assert!(!body.contains("argon2"));
    })
}

#[test]
fn public_read_access_is_switched_by_the_admin() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        assert_eq!(app.get("/api/v1/strategies").await.0, 200);
        assert_eq!(
            app.call_as(Some(&admin), "/api/admin/settings/public-read", "on=false")
                .await
                .0,
            200
        );
        assert_eq!(app.get("/api/v1/strategies").await.0, 401);
        assert_eq!(app.get("/").await.0, 401);
        assert_eq!(
            app.call_as(Some(&admin), "/api/admin/settings/public-read", "on=true")
                .await
                .0,
            200
        );
        assert_eq!(app.get("/").await.0, 200);
    })
}

#[test]
fn the_history_shows_who_changed_what_and_the_log_downloads_as_csv() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let owner = app.sign_in("schulamt").await;
        let (_, id) = app
            .call_as(
                Some(&owner),
                "/api/milestones/record",
                "subgoal_id=1&title=%3DHYPERLINK(%22x%22)%2C+Teil+1&due=2027-03-31&status=planned",
            )
            .await;
        let (status, _) = app.get(&format!("/milestones/{id}/history")).await;
        assert_eq!(status, 401, "the history is for signed-in users");
        let viewer = app.sign_in("rat").await;
        let (status, html) = app
            .get_as(Some(&viewer), &format!("/milestones/{id}/history"))
            .await;
        assert_eq!(status, 200);
        assert!(
            html.contains("schulamt") && html.contains("Meilenstein angelegt"),
            "{html}"
        );
        let (status, html) = app.get_as(Some(&viewer), "/subgoals/1/history").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("Verantwortung übertragen"),
            "the demo's assignment is on record"
        );

        let csv = |session| {
            let app = &app;
            async move {
                read(
                    app.send(
                        Request::get("/admin/audit.csv?actor=schulamt"),
                        session,
                        Body::empty(),
                    )
                    .await,
                )
                .await
            }
        };
        assert_eq!(csv(Some(&owner)).await.0, 403);
        assert_eq!(csv(None).await.0, 401);
        let admin = app.sign_in("cdo").await;
        let response = app
            .send(
                Request::get("/admin/audit.csv?actor=schulamt"),
                Some(&admin),
                Body::empty(),
            )
            .await;
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/csv; charset=utf-8"
        );
        let (status, body) = read(response).await;
        assert_eq!(status, 200);
        let rows = common::csv_rows(&body, b';');
        assert_eq!(
            rows[0],
            [
                "id",
                "at",
                "actor",
                "action",
                "object_type",
                "object_id",
                "subgoal_id",
                "details",
                "hash"
            ]
        );
        assert!(rows.iter().skip(1).all(|r| r[2] == "schulamt"), "{body}");
        assert!(rows.iter().any(|r| r[3] == "milestone.created"));
        assert!(
            rows.iter()
                .any(|r| r[7].contains("\"title\":[null,\"=HYPERLINK(")),
            "the details as they are stored: {body}"
        );
        // The admin's log page filters the same way.
        let (status, html) = app
            .get_as(
                Some(&admin),
                "/admin/audit?actor=schulamt&object_type=milestone",
            )
            .await;
        assert_eq!(status, 200);
        assert!(html.contains("Meilenstein angelegt"));
        assert!(!html.contains("Angemeldet</td>"));
    })
}

#[test]
fn the_admin_shapes_the_structure_and_every_change_is_on_record() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let call = |path: &'static str, form: &'static str| {
            let (app, admin) = (&app, &admin);
            async move { app.call_as(Some(admin), path, form).await }
        };
        let (status, body) = call(
            "/api/structure/subgoal",
            "id=1&title=&owner=Amt&weight=null",
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body.contains("\"title\"") && body.contains("\"weight\""),
            "{body}"
        );
        assert_eq!(
            call(
                "/api/structure/subgoal",
                "id=1&title=WLAN+ausbauen&owner=Amt+40&weight=2"
            )
            .await
            .0,
            200
        );
        assert_eq!(
            call("/api/structure/subgoal", "id=999&title=X").await.0,
            404
        );
        assert_eq!(
            call(
                "/api/structure/subgoal/add",
                "need_id=1&title=Glasfaser+f%C3%BCr+Museen&weight=1,5"
            )
            .await
            .0,
            200
        );
        assert_eq!(
            call("/api/structure/subgoal/add", "need_id=999&title=X")
                .await
                .0,
            404
        );
        assert_eq!(
            call("/api/structure/need", "id=2&title=Kompetenzen+st%C3%A4rken")
                .await
                .0,
            200
        );
        assert_eq!(
            call(
                "/api/structure/need/add",
                "field_id=1&title=Verwaltung+vernetzen"
            )
            .await
            .0,
            200
        );
        assert_eq!(
            call("/api/structure/field", "id=1&title=Bildung&goal=")
                .await
                .0,
            200
        );

        let strategy = app.store.strategy(1).await.unwrap().unwrap();
        let field = &strategy.fields[0];
        assert_eq!(
            (field.title.as_str(), field.goal.as_deref()),
            ("Bildung", None)
        );
        assert_eq!(field.needs.len(), 6);
        assert_eq!(field.needs[5].title, "Verwaltung vernetzen");
        assert_eq!(field.needs[1].title, "Kompetenzen stärken");
        let subgoals = &field.needs[0].subgoals;
        assert_eq!(
            (
                subgoals[0].title.as_str(),
                subgoals[0].owner.as_deref(),
                subgoals[0].weight
            ),
            ("WLAN ausbauen", Some("Amt 40"), 2.0)
        );
        assert_eq!(
            (subgoals[3].title.as_str(), subgoals[3].weight),
            ("Glasfaser für Museen", 1.5)
        );

        let actions: Vec<String> = db::query_scalar(
            "SELECT action FROM audit_log
             WHERE action IN ('field.updated', 'need.updated', 'need.created', 'subgoal.updated', 'subgoal.created')
             ORDER BY id",
        )
        .fetch_all(app.store.pool())
        .await
        .unwrap();
        assert_eq!(
            actions,
            [
                "subgoal.updated",
                "subgoal.created",
                "need.updated",
                "need.created",
                "field.updated"
            ]
        );
        let (_, html) = app.get_as(Some(&admin), "/subgoals/1/history").await;
        assert!(
            html.contains("Teilziel geändert") && html.contains("Amt 40"),
            "the sub-goal's history shows it"
        );
    })
}

#[test]
fn a_refused_structure_form_without_javascript_shows_the_problem_and_keeps_what_was_typed() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let referer = "http://127.0.0.1:3000/needs/1";
        let before = app.count("SELECT COUNT(*) FROM subgoals").await;
        let response = app
            .post_form_as(
                Some(&admin),
                "/api/structure/subgoal/add",
                referer,
                "need_id=1&title=Glasfaser+f%C3%BCr+Museen&owner=Kulturamt&weight=zwei",
            )
            .await;
        let path = TestApp::refused_redirect(&response);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM subgoals").await,
            before,
            "nothing written"
        );
        let (status, html) = app.get_as(Some(&admin), &path).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("Keine Zahl."),
            "the weight's problem is shown"
        );
        assert!(
            html.contains(r#"value="Glasfaser für Museen""#) && html.contains(r#"value="zwei""#),
            "what was typed is kept"
        );
        let open_forms: Vec<&str> = html
            .split("<details")
            .skip(1)
            .filter(|tag| tag.split('>').next().unwrap_or_default().contains("open"))
            .collect();
        assert_eq!(open_forms.len(), 1, "only the refused form is open");
        assert!(open_forms[0].contains("/api/structure/subgoal/add"));
    })
}
