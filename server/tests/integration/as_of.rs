//! Past views: dashboard, need and sub-goal pages, the open-data API and the command line "as
//! of" a day, and the refusal of a day that cannot be shown.

use crate::common;

use common::TestApp;
use serde_json::Value;

/// A day in the demo's past: after its plan was recorded, before most reports came in.
const PAST: &str = "2026-06-30";

fn progress(doc: &Value) -> f64 {
    doc["strategy"]["progress"].as_f64().unwrap()
}

#[test]
fn the_dashboard_shows_a_past_day_read_only_with_links_that_keep_the_day() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let cdo = app.sign_in("cdo").await;
        let (status, today) = app.get_as(Some(&cdo), "/strategies/1").await;
        assert_eq!(status, 200);
        assert!(today.contains(r#"name="as_of""#), "the date picker");
        assert!(!today.contains("Historische Ansicht"));
        assert!(
            today.contains("/api/structure/field"),
            "an admin may edit today"
        );

        let (status, past) = app
            .get_as(Some(&cdo), &format!("/strategies/1?as_of={PAST}"))
            .await;
        assert_eq!(status, 200);
        assert!(
            past.contains("Historische Ansicht: Stand am 30.06.2026"),
            "{past}"
        );
        assert!(
            past.contains(&format!(r#"value="{PAST}""#)),
            "the picker keeps the day"
        );
        assert!(past.contains(&format!(r#"href="/needs/1?as_of={PAST}""#)));
        assert!(
            !past.contains("/api/structure/field"),
            "a past view is read-only"
        );
        assert_ne!(
            strip_nonces(&today).replace(&format!("?as_of={PAST}"), ""),
            strip_nonces(&past)
        );

        let (status, need) = app
            .get_as(Some(&cdo), &format!("/needs/1?as_of={PAST}"))
            .await;
        assert_eq!(status, 200);
        assert!(need.contains("Historische Ansicht"));
        assert!(need.contains(&format!(r#"href="/subgoals/1?as_of={PAST}""#)));

        // The owner of the sub-goal may record milestones today, not in the past.
        let owner = app.sign_in("schulamt").await;
        let (_, today) = app.get_as(Some(&owner), "/subgoals/1").await;
        assert!(today.contains("record-heading"));
        let (status, past) = app
            .get_as(Some(&owner), &format!("/subgoals/1?as_of={PAST}"))
            .await;
        assert_eq!(status, 200);
        assert!(past.contains("Historische Ansicht"));
        assert!(!past.contains("record-heading"));
        assert!(!past.contains("/api/milestones"), "no edit forms");
    })
}

fn strip_nonces(html: &str) -> String {
    html.split("nonce=\"")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once('"').map_or(part, |(_, rest)| rest)
            }
        })
        .collect()
}

#[test]
fn the_api_and_the_pages_agree_on_past_figures() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (_, body) = app.get("/api/v1/strategies/1").await;
        let today: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(today["as_of"], "2026-11-27");
        let (status, body) = app.get(&format!("/api/v1/strategies/1?as_of={PAST}")).await;
        assert_eq!(status, 200);
        let past: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(past["as_of"], PAST);
        assert!(
            progress(&past) < progress(&today),
            "{} {}",
            progress(&past),
            progress(&today)
        );

        // The list says the same.
        let (_, body) = app.get(&format!("/api/v1/strategies?as_of={PAST}")).await;
        let list: Value = serde_json::from_str(&body).unwrap();
        let listed = list[0]["progress"].as_f64().unwrap();
        assert_eq!((listed * 100.0).round() / 100.0, progress(&past));

        // As of today: the same document as today's.
        let (_, body) = app.get("/api/v1/strategies/1?as_of=2026-11-27").await;
        assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), today);

        // Before anything was recorded: the strategy without fields, on the page a notice.
        let (_, body) = app.get("/api/v1/strategies/1?as_of=2020-01-01").await;
        let empty: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(empty["strategy"]["fields"], Value::Array(vec![]));
        let (status, page) = app.get("/strategies/1?as_of=2020-01-01").await;
        assert_eq!(status, 200);
        assert!(page.contains("noch nichts erfasst"));
    })
}

#[test]
fn a_day_that_cannot_be_shown_is_refused_by_name() {
    common::run(async {
        let app = TestApp::with_demo().await;
        for (day, problem) in [
            ("2026-02-30", "Kein gültiges Datum"),
            ("gestern", "Kein gültiges Datum"),
            ("2026-11-28", "Liegt in der Zukunft"),
        ] {
            for page in ["/strategies/1", "/needs/1", "/subgoals/1"] {
                let (status, body) = app.get(&format!("{page}?as_of={day}")).await;
                assert_eq!(status, 422, "{page} {day}");
                assert!(body.contains(&format!("Stand am „{day}“")), "{body}");
                assert!(body.contains(problem), "{page} {day}");
                assert!(
                    body.contains(&format!(r#"href="{page}""#)),
                    "the way back to today"
                );
            }
            let (status, body) = app.get(&format!("/api/v1/strategies/1?as_of={day}")).await;
            assert_eq!(status, 400);
            assert!(body.contains("as_of"), "{body}");
        }
        // In English too.
        let (status, body) = common::read(
            app.send(
                axum::http::Request::get("/strategies/1?as_of=2027-01-01")
                    .header("accept-language", "en"),
                None,
                axum::body::Body::empty(),
            )
            .await,
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body.contains("As of „2027-01-01“: Lies in the future."),
            "{body}"
        );
    })
}
