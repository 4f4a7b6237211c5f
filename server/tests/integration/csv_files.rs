//! Every CSV the app writes: a byte-order mark, the separator of the user's language, and no
//! cell a spreadsheet would run as a formula, whatever the strategy's texts hold.

use crate::common;

use axum::{
    body::Body,
    http::{Request, header},
};
use common::{TestApp, csv_rows, read};

const EVIL: &str = r#"=HYPERLINK(\"http://evil.example\",\"x\")"#;

/// A strategy whose every text starts like a formula.
fn document() -> String {
    format!(
        r#"{{"format": "meilenstein/1", "strategy": {{"title": "@Strategie", "fields": [
          {{"title": "{EVIL}", "goal": "+Ziel", "needs": [
            {{"title": "-Bedarf 1+1", "subgoals": [
              {{"title": "@Teilziel", "owner": "=Amt", "milestones": [
                {{"title": "{EVIL}", "due": "2026-03-31", "status": "done", "done_on": "2026-03-01"}},
                {{"title": "+1+cmd|' /C calc'!A0", "due": "2026-09-30", "status": "done", "done_on": "2026-09-01"}},
                {{"title": "\tTab", "due": "2027-06-30", "status": "planned", "note": "-2+3"}}],
               "indicators": [
                {{"name": "=Zähler", "unit": "@Stück", "direction": "rising",
                  "baseline": {{"value": 1, "on": "2025-01-01"}},
                  "target": {{"value": 10, "on": "2028-12-31"}},
                  "readings": [{{"on": "2026-06-30", "value": 4, "note": "=1+1"}}]}}]}}]}}]}}]}}}}"#
    )
}

/// The download's text, after checking that it is a CSV as the app writes them.
async fn download(app: &TestApp, uri: &str, cookie: Option<&str>) -> String {
    let mut request = Request::get(uri);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = app.send(request, None, Body::empty()).await;
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8",
        "{uri}"
    );
    assert!(
        response.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=")
    );
    let (status, text) = read(response).await;
    assert_eq!(status, 200, "{uri}: {text}");
    text
}

/// Every line has the header's columns, and no cell starts like a formula.
fn assert_safe_columns(uri: &str, rows: &[Vec<String>]) {
    assert!(rows.len() > 1, "{uri}: a header and rows");
    let columns = rows[0].len();
    assert!(columns > 1, "{uri}: split into columns: {:?}", rows[0]);
    for row in rows {
        assert_eq!(row.len(), columns, "{uri}: {row:?}");
        for cell in row {
            let plain_number = cell
                .trim_start_matches(['-', '+'])
                .replace([',', '.'], "")
                .bytes()
                .all(|b| b.is_ascii_digit())
                && cell.len() > 1;
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']) || plain_number,
                "{uri}: a formula cell {cell:?}"
            );
        }
    }
}

#[test]
fn every_csv_route_writes_plain_text_cells_in_the_languages_dialect() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let strategy = app::domain::document::parse(&document()).unwrap();
        let id = app
            .store
            .import(&strategy, chrono::Utc::now(), &app::audit::Actor::system())
            .await
            .unwrap();
        let tree = app.store.strategy(id).await.unwrap().unwrap();
        let field = &tree.fields[0];
        let need = &field.needs[0];
        let indicator = need.subgoals[0].indicators[0].id;
        let admin = app.sign_in("cdo").await;
        let report =
            common::make_report(&app, &admin, &format!("strategy_id={id}&name=Sitzung")).await;
        let routes = [
            format!("/reports/{report}/overview.csv"),
            format!("/charts/need-{}-burn-up.csv", need.id),
            format!("/charts/need-{}-timeline.csv", need.id),
            format!("/charts/field-{}-states.csv", field.id),
            format!("/charts/field-{}-progress.csv", field.id),
            format!("/charts/indicator-{indicator}-trend.csv"),
            "/reporting.csv".to_owned(),
        ];
        let mut seen = String::new();
        for (lang, separator) in [("de", b';'), ("en", b',')] {
            for route in &routes {
                for cookie in [None, Some(format!("i18n_pref_locale={lang}"))] {
                    // The language by the address, or else as the pages choose it.
                    let uri = match cookie {
                        None => format!("{route}?lang={lang}"),
                        Some(_) => route.clone(),
                    };
                    let text = download(&app, &uri, cookie.as_deref()).await;
                    let rows = csv_rows(&text, separator);
                    assert_safe_columns(&uri, &rows);
                    seen.push_str(&text);
                }
            }
        }
        let guarded = "'=HYPERLINK(\"http://evil.example\",\"x\")";
        assert!(
            seen.contains(&format!("\"{}\"", guarded.replace('"', "\"\""))),
            "{seen}"
        );
        for text in [
            "'-Bedarf 1+1",
            "'+1+cmd|' /C calc'!A0",
            "'=1+1",
            "'@Teilziel",
        ] {
            assert!(seen.contains(text), "{text:?} as text in {seen}");
        }

        // The audit log, for the admin, in the admin's language.
        for (cookie, separator) in [("i18n_pref_locale=de", b';'), ("i18n_pref_locale=en", b',')] {
            let cookies = format!("{}; {cookie}", admin.cookie);
            let text = download(&app, "/admin/audit.csv", Some(&cookies)).await;
            let rows = csv_rows(&text, separator);
            assert_safe_columns("/admin/audit.csv", &rows);
            assert_eq!(rows[0][0], "id");
        }
    })
}
