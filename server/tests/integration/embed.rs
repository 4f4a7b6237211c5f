//! Widgets for the city's website (`/embed/needs/:id`, `/embed/fields/:id`): shown only while
//! public read is on, the same for everyone, no cookies, framed only by the allowed origins.

use crate::common::{self, TestApp};
use app::store::db;
use axum::http::{Request, header};

/// Status, the response's headers and its body.
async fn fetch(
    app: &TestApp,
    uri: &str,
    session: Option<&common::Session>,
) -> (u16, axum::http::HeaderMap, String) {
    let response = app
        .send(Request::get(uri), session, axum::body::Body::empty())
        .await;
    let headers = response.headers().clone();
    let (status, body) = common::read(response).await;
    (status, headers, body)
}

fn policy(headers: &axum::http::HeaderMap) -> String {
    headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_widget_shows_progress_and_chart_and_may_be_framed_only_where_allowed() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let need = app.count("SELECT MIN(id) FROM needs").await;
        let field = app.count("SELECT MIN(id) FROM fields").await;
        let need_title: String = db::query_scalar("SELECT title FROM needs WHERE id = $1")
            .bind(need)
            .fetch_one(app.store.pool())
            .await
            .unwrap();

        let uri = format!("/embed/needs/{need}");
        let (status, headers, page) = fetch(&app, &uri, None).await;
        assert_eq!(status, 200, "{page}");
        assert!(
            page.contains(&need_title) && page.contains("<svg"),
            "title and chart"
        );
        assert!(
            page.contains(&format!("href=\"/needs/{need}\"")),
            "the full view"
        );
        assert!(
            page.contains(&format!("/charts/need-{need}-burn-up.csv?lang=de")),
            "the data"
        );
        assert!(!page.contains("site-header"), "no site header in a widget");
        assert!(
            policy(&headers).contains("frame-ancestors 'none'"),
            "nowhere by default"
        );
        assert!(!headers.contains_key(header::X_FRAME_OPTIONS));
        assert!(!headers.contains_key(header::SET_COOKIE));
        let (status, _, page) = fetch(&app, &format!("/embed/fields/{field}"), None).await;
        assert_eq!(status, 200);
        assert!(page.contains("<svg") && page.contains("#field-"), "{page}");

        // Allowed origins, set by an admin; a bad one is refused naming the field.
        let admin = app.sign_in("cdo").await;
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/admin/settings/embed-origins",
                "origins=https%3A%2F%2Fwww.mainz.de%2Frathaus",
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("origins"), "{body}");
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/admin/settings/embed-origins",
                "origins=https%3A%2F%2Fwww.mainz.de+https%3A%2F%2F*.mainz.de",
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, headers, _) = fetch(&app, &uri, None).await;
        assert!(
            policy(&headers).contains("frame-ancestors https://www.mainz.de https://*.mainz.de"),
            "{}",
            policy(&headers)
        );
        // Other pages still may not be framed.
        let (_, headers, _) = fetch(&app, &format!("/needs/{need}"), None).await;
        assert!(policy(&headers).contains("frame-ancestors 'none'"));
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
        let (_, _, admin_page) = fetch(&app, "/admin", Some(&admin)).await;
        assert!(
            admin_page.contains("https://*.mainz.de"),
            "the form shows what is stored"
        );

        // The same for everyone: a signed-in admin sees what a stranger sees.
        let (_, _, anonymous) = fetch(&app, &uri, None).await;
        let (status, headers, signed_in) = fetch(&app, &uri, Some(&admin)).await;
        assert_eq!(status, 200);
        assert!(!headers.contains_key(header::SET_COOKIE));
        let main = |page: &str| {
            page[page.find("<main").unwrap()..page.rfind("</main>").unwrap()].to_owned()
        };
        assert_eq!(main(&signed_in), main(&anonymous));

        // Only while public read is on, even for an admin.
        app.set_public_read(false).await;
        for session in [None, Some(&admin)] {
            let (status, _, _) = fetch(&app, &uri, session).await;
            assert_eq!(status, 404);
        }
        let (status, _, _) = fetch(&app, "/embed/needs/99999", None).await;
        assert_eq!(status, 404);
    })
}
