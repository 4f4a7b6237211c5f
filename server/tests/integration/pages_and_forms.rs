//! Pages rendered on the server and the milestone forms, with and without JavaScript.

use crate::common;
use app::store::db;

use axum::http::header;
use common::{TestApp, read};

#[test]
fn the_dashboard_shows_the_seed_field_with_its_needs_and_chart() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (status, html) = app.get("/").await;
        assert_eq!(status, 200);
        assert!(html.contains("<html lang=\"de\""), "German by default");
        assert!(html.contains("Bildung und Zusammenleben"));
        for need in app::store::demo::NEEDS.iter().map(|(need, _)| need) {
            assert!(html.contains(need), "{need} missing");
        }
        assert!(html.contains("role=\"img\""));
        assert!(html.contains("<title id=\"chart-field-1-title\">"));
        assert!(html.contains("Wie wird das berechnet?"));
        assert!(html.contains("Beispieldaten"));
    })
}

#[test]
fn english_is_chosen_by_cookie() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let request = axum::http::Request::get("/")
            .header(header::COOKIE, "i18n_pref_locale=en")
            .body(axum::body::Body::empty())
            .unwrap();
        let (status, html) = read(
            tower::ServiceExt::oneshot(app.router.clone(), request)
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200);
        assert!(html.contains("<html lang=\"en\""));
        assert!(html.contains("How is this computed?"));
    })
}

#[test]
fn the_language_switch_sets_the_cookie_and_returns_only_to_local_pages() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let response = app
            .post_form("/lang", "http://x/", "locale=en&back=%2Fneeds%2F1")
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()[header::LOCATION], "/needs/1");
        let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
        assert!(
            cookie.starts_with("i18n_pref_locale=en;") && cookie.contains("Path=/"),
            "{cookie}"
        );

        let response = app
            .post_form("/lang", "http://x/", "locale=en&back=%2F%2Fevil.example")
            .await;
        assert_eq!(response.headers()[header::LOCATION], "/");
        let response = app
            .post_form("/lang", "http://x/", "locale=fr&back=%2F")
            .await;
        assert_eq!(response.status(), 400);
    })
}

#[test]
fn need_and_subgoal_pages_render_and_unknown_ones_are_404() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (status, html) = app.get("/needs/1").await;
        assert_eq!(status, 200);
        assert!(html.contains("WLAN und Hotspots ausbauen"));
        assert!(html.contains("Als Nächstes fällig"));
        let (status, html) = app.get("/subgoals/1").await;
        assert_eq!(status, 200);
        assert!(html.contains("Bestandsaufnahme WLAN an allen Schulen"));
        assert!(
            !html.contains("Meilenstein erfassen"),
            "no forms for the public"
        );
        assert!(html.contains("Zum Bearbeiten anmelden"));
        // The Schulamt owns "WLAN und Hotspots ausbauen" in the demo.
        let owner = app.sign_in("schulamt").await;
        let (_, html) = app.get_as(Some(&owner), "/subgoals/1").await;
        assert!(html.contains("Meilenstein erfassen"));
        assert!(html.contains("Angemeldet als"));
        for uri in [
            "/needs/999",
            "/subgoals/999",
            "/strategies/999",
            "/needs/abc",
            "/nowhere",
        ] {
            let (status, html) = app.get(uri).await;
            assert_eq!(status, 404, "{uri}");
            assert!(html.contains("Seite nicht gefunden"), "{uri}");
        }
    })
}

#[test]
fn a_form_post_without_javascript_records_and_redirects_back() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let subgoal = app.first_subgoal().await;
        let before = app.count("SELECT COUNT(*) FROM milestones").await;
        let referer = format!("http://127.0.0.1:3000/subgoals/{subgoal}");
        let admin = app.sign_in("cdo").await;
        let response = app
            .post_form_as(
                Some(&admin),
                "/api/milestones/record",
                &referer,
                &format!(
                    "subgoal_id={subgoal}&title=WLAN+in+der+Stadtbibliothek&due=2027-04-30&status=done&done_on=2026-11-20&weight=1%2C5&note=Abnahme"
                ),
            )
            .await;
        assert_eq!(response.status(), 302);
        let location = response.headers()[header::LOCATION].to_str().unwrap();
        assert_eq!(
            location,
            format!("{referer}?done=recorded"),
            "back to the page, saying what was done"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM milestones").await,
            before + 1
        );
        let (_, html) = app
            .get_as(Some(&admin), &format!("/subgoals/{subgoal}?done=recorded"))
            .await;
        assert!(html.contains("WLAN in der Stadtbibliothek"));
        assert!(html.contains("1,5"), "weight shown the German way");
        assert!(
            html.contains(
                r#"<p role="status" tabindex="-1" autofocus class="done-notice">Der Meilenstein wurde gespeichert.</p>"#
            ),
            "the page says what was done and takes focus there"
        );

        // The next post from that page says its own outcome, not the earlier one.
        let response = app
            .post_form_as(
                Some(&admin),
                "/api/milestones/record",
                &format!("{referer}?done=recorded"),
                &format!("subgoal_id={subgoal}&title=&due=2027-04-30&status=planned&weight=1"),
            )
            .await;
        let refused = TestApp::refused_redirect(&response);
        assert!(!refused.contains("done="), "{refused}");
    })
}

#[test]
fn a_refused_form_without_javascript_comes_back_with_errors_and_values() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let subgoal = app.first_subgoal().await;
        let before = app.count("SELECT COUNT(*) FROM milestone_revisions").await;
        let referer = format!("http://127.0.0.1:3000/subgoals/{subgoal}");
        let admin = app.sign_in("cdo").await;
        let response = app
            .post_form_as(
                Some(&admin),
                "/api/milestones/record",
                &referer,
                &format!("subgoal_id={subgoal}&title=Tablets+verteilt&due=2026-02-30&status=planned&weight=0"),
            )
            .await;
        let path = TestApp::refused_redirect(&response);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM milestone_revisions").await,
            before
        );

        let (status, html) = app.get_as(Some(&admin), &path).await;
        assert_eq!(status, 200);
        assert!(html.contains("Kein gültiges Datum"), "due error shown");
        assert!(
            html.contains("Muss größer als 0 sein."),
            "weight error shown"
        );
        assert!(
            html.contains("value=\"Tablets verteilt\""),
            "typed title kept"
        );
        assert!(html.contains("aria-invalid=\"true\""));
    })
}

#[test]
fn server_functions_answer_errors_with_their_status() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let subgoal = app.first_subgoal().await;
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/milestones/record",
                &format!("subgoal_id={subgoal}&title=&due=x"),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("Required"));

        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/milestones/record",
                "subgoal_id=999999&title=A&due=2027-01-01&status=planned",
            )
            .await;
        assert_eq!(status, 404);

        let (status, body) = app
            .call_as(Some(&admin), "/api/milestones/record", "title=A")
            .await;
        assert_eq!(status, 400, "{body}");
        let (status, _) = app
            .call_as(Some(&admin), "/api/milestones/record", "subgoal_id=abc")
            .await;
        assert_eq!(status, 400);
        let (status, _) = app
            .call_as(Some(&admin), "/api/milestones/edit", "id=1&version=x")
            .await;
        assert_eq!(status, 400);
        let (status, _) = app
            .call_as(Some(&admin), "/api/need", "id=999&locale=de")
            .await;
        assert_eq!(status, 404);
    })
}

#[test]
fn a_save_over_a_newer_version_is_a_conflict_and_overwrites_nothing() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let id = app
            .count("SELECT MIN(id) FROM milestones WHERE status = 'planned'")
            .await;
        let form = |title: &str| {
            format!("id={id}&version=1&title={title}&due=2027-06-30&status=in_progress&weight=1")
        };
        let (status, _) = app
            .call_as(Some(&admin), "/api/milestones/edit", &form("Erste+Fassung"))
            .await;
        assert_eq!(status, 200);
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/milestones/edit",
                &form("Zweite+Fassung"),
            )
            .await;
        assert_eq!(status, 409, "{body}");
        assert!(
            body.contains("Erste Fassung") && body.contains("Zweite Fassung"),
            "both shown: {body}"
        );
        let stored: String = db::query_scalar("SELECT title FROM milestones WHERE id = $1")
            .bind(id)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        assert_eq!(stored, "Erste Fassung");

        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/milestones/reach",
                &format!("id={id}&version=1&done_on=2026-11-01"),
            )
            .await;
        assert_eq!(status, 409);
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/milestones/cancel",
                &format!("id={id}&version=1"),
            )
            .await;
        assert_eq!(status, 409);
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/milestones/delete",
                &format!("id={id}&version=1"),
            )
            .await;
        assert_eq!(status, 409);
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/milestones/reach",
                &format!("id={id}&version=2&done_on=2026-11-01"),
            )
            .await;
        assert_eq!(status, 200);
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/milestones/cancel",
                &format!("id={id}&version=3"),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/milestones/delete",
                &format!("id={id}&version=4"),
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/milestones/delete",
                &format!("id={id}&version=5"),
            )
            .await;
        assert_eq!(status, 404);
    })
}

#[test]
fn marking_reached_needs_a_real_date() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let id = app
            .count("SELECT MIN(id) FROM milestones WHERE status = 'planned'")
            .await;
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/milestones/reach",
                &format!("id={id}&version=1&done_on=2026-13-01"),
            )
            .await;
        assert_eq!(status, 422);
        assert!(body.contains("NotADate"), "{body}");
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/milestones/reach",
                &format!("id={id}&version=1&done_on="),
            )
            .await;
        assert_eq!(status, 422);
    })
}

#[test]
fn the_bundle_is_served_by_its_hash_compressed_and_cached_as_immutable() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let pkg = app.dir.path().join("site/pkg");
        let css = "body { color: black }\n".repeat(40);
        std::fs::write(pkg.join("meilenstein.css"), &css).unwrap();
        std::fs::write(pkg.join("meilenstein.js"), "export default function () {}").unwrap();
        std::fs::write(pkg.join("meilenstein.wasm"), b"\0asm").unwrap();
        // Site files are read once, at start.
        let app = app.restarted();
        let (_, page) = app.get("/").await;
        let href = page
            .split("href=\"/pkg/meilenstein.")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the page names the stylesheet");
        let (hash, extension) = href.rsplit_once('.').unwrap();
        assert_eq!((hash.len(), extension), (22, "css"), "{href}");
        assert!(
            page.contains(&format!("/pkg/meilenstein.{hash}.js")),
            "the script by the same hash"
        );
        // Served at once, compressed as soon as the background compression is done.
        let mut response = None;
        for _ in 0..200 {
            let request = axum::http::Request::get(format!("/pkg/meilenstein.{hash}.css"))
                .header(header::ACCEPT_ENCODING, "br, gzip")
                .body(axum::body::Body::empty())
                .unwrap();
            let answer = tower::ServiceExt::oneshot(app.router.clone(), request)
                .await
                .unwrap();
            assert_eq!(answer.status(), 200);
            if answer.headers().contains_key(header::CONTENT_ENCODING) {
                response = Some(answer);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let response = response.expect("compressed within 10 s");
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(
            response.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let (status, body) = app.get(&format!("/pkg/meilenstein.{hash}.css")).await;
        assert_eq!((status, body.as_str()), (200, css.as_str()));
        let (status, _) = app.get("/pkg/meilenstein.css").await;
        assert_eq!(status, 404, "only by its hash");
        let response = app
            .send(
                axum::http::Request::get(format!("/pkg/meilenstein.{hash}.js")),
                None,
                axum::body::Body::empty(),
            )
            .await;
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
    })
}
