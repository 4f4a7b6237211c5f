//! Indicators (KPIs) through the server functions and the pages: who may define them and record
//! readings, validation by field, the sub-goal's progress method and its roll-up, past views,
//! and the trend chart's downloads.

use crate::common;

use common::TestApp;

/// The demo's WLAN sub-goal (owned by the "schulamt" demo account).
async fn wlan(app: &TestApp) -> i64 {
    app.count("SELECT id FROM subgoals WHERE title = 'WLAN und Hotspots ausbauen'")
        .await
}

const GOOD: &str = "name=Tablets+im+Unterricht&unit=Ger%C3%A4te&direction=rising\
    &baseline_value=100&baseline_on=2025-01-01&target_value=1100&target_on=2027-12-31";

/// The sub-goal's progress as the open-data API states it.
async fn subgoal_progress(app: &TestApp, subgoal: i64) -> serde_json::Value {
    let (status, body) = app.get("/api/v1/strategies/1").await;
    assert_eq!(status, 200, "{body}");
    let document: serde_json::Value = serde_json::from_str(&body).unwrap();
    document["strategy"]["fields"][0]["needs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["subgoals"].as_array().unwrap().clone())
        .find(|s| s["id"] == subgoal)
        .unwrap()["progress"]
        .clone()
}

#[test]
fn owners_define_indicators_and_record_readings_checked_field_by_field() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let subgoal = wlan(&app).await;
        let add = format!("subgoal_id={subgoal}&{GOOD}");

        // Nobody signed in, another department's owner and a viewer are refused.
        let (status, _) = app.call("/api/indicators/add", &add).await;
        assert_eq!(status, 401);
        for login in ["vhs", "rat"] {
            let other = app.sign_in(login).await;
            let (status, _) = app.call_as(Some(&other), "/api/indicators/add", &add).await;
            assert_eq!(status, 403, "{login}");
        }
        let owner = app.sign_in("schulamt").await;

        // Every bad field is named; nothing is written.
        let before = app.count("SELECT COUNT(*) FROM indicators").await;
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/indicators/add",
                &format!(
                    "subgoal_id={subgoal}&name=&unit=Ger%C3%A4te&direction=sideways\
                     &baseline_value=zehn&baseline_on=2025-02-30&target_value=5&target_on=2027-12-31"
                ),
            )
            .await;
        assert_eq!(status, 422);
        for named in [
            r#"["name","Required"]"#,
            r#"["direction","UnknownDirection"]"#,
            r#"["baseline_value","NotANumber"]"#,
            r#"["baseline_on","NotADate"]"#,
        ] {
            assert!(body.contains(named), "{named} in {body}");
        }
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/indicators/add",
                &add.replace("target_value=1100", "target_value=100"),
            )
            .await;
        assert_eq!(status, 422);
        assert!(
            body.contains(r#"["target_value","EqualsBaseline"]"#),
            "{body}"
        );
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/indicators/add",
                &add.replace("rising", "falling"),
            )
            .await;
        assert_eq!(status, 422);
        assert!(body.contains("TargetNotBelow"), "{body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM indicators").await, before);

        // Without JavaScript the page comes back with the message and what was typed.
        let response = app
            .post_form_as(
                Some(&owner),
                "/api/indicators/add",
                &format!("http://127.0.0.1:3000/subgoals/{subgoal}"),
                &add.replace("target_value=1100", "target_value=100"),
            )
            .await;
        let back = TestApp::refused_redirect(&response);
        let (status, page) = app.get_as(Some(&owner), &back).await;
        assert_eq!(status, 200);
        assert!(page.contains("Der Zielwert muss sich vom Ausgangswert unterscheiden"));
        assert!(
            page.contains(r#"value="Tablets im Unterricht""#),
            "typed name kept"
        );

        // "1.100" could be 1100 or 1.1: asked again, not guessed.
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/indicators/add",
                &add.replace("target_value=1100", "target_value=1.100"),
            )
            .await;
        assert_eq!(status, 422);
        assert!(
            body.contains(r#"["target_value","AmbiguousNumber"]"#),
            "{body}"
        );
        // A good indicator.
        let (status, id) = app.call_as(Some(&owner), "/api/indicators/add", &add).await;
        assert_eq!(status, 200, "{id}");
        let id: i64 = id.parse().unwrap();
        let (_, page) = app
            .get_as(Some(&owner), &format!("/subgoals/{subgoal}"))
            .await;
        assert!(page.contains("Tablets im Unterricht"));
        assert!(page.contains("1100 Geräte"), "{page}");

        // Readings: a day after today or before the baseline, or no number, is refused.
        let reading = |on: &str, value: &str| format!("indicator_id={id}&on={on}&value={value}");
        for (form, named) in [
            (reading("2026-11-28", "300"), r#"["on","InFuture"]"#),
            (reading("2024-12-31", "300"), r#"["on","BeforeBaseline"]"#),
            (reading("2026-06-30", "viele"), r#"["value","NotANumber"]"#),
        ] {
            let (status, body) = app
                .call_as(Some(&owner), "/api/indicators/reading", &form)
                .await;
            assert_eq!(status, 422, "{form}");
            assert!(body.contains(named), "{named} in {body}");
        }
        let (status, _) = app
            .call("/api/indicators/reading", &reading("2026-06-30", "300"))
            .await;
        assert_eq!(status, 401);
        for (on, value) in [("2026-06-30", "350"), ("2025-12-31", "200,5")] {
            let (status, body) = app
                .call_as(
                    Some(&owner),
                    "/api/indicators/reading",
                    &format!("{}&note=laut+Medienzentrum", reading(on, value)),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
        let (_, page) = app
            .get_as(Some(&owner), &format!("/subgoals/{subgoal}"))
            .await;
        assert!(
            page.contains("350 Geräte am 30.06.2026"),
            "the latest by day"
        );
        assert!(page.contains("200,5"));
        assert!(page.contains("laut Medienzentrum"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'indicator.%'")
                .await,
            // The demo's indicator and its four readings, then one indicator and two readings.
            1 + 4 + 1 + 2
        );
    })
}

#[test]
fn the_chosen_indicator_measures_the_subgoal_and_rolls_up() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let subgoal = wlan(&app).await;
        let owner = app.sign_in("schulamt").await;
        let by_milestones = subgoal_progress(&app, subgoal).await;
        let (_, page) = app.get(&format!("/subgoals/{subgoal}")).await;
        assert!(page.contains("Fortschritt gemessen an<!>: <strong>den Meilensteinen"));

        // The demo indicator: 12 → 65, latest reading 40.
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/indicators/method",
                &format!("subgoal_id={subgoal}&method=1"),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let expected = ((40.0 - 12.0) / (65.0 - 12.0) * 100.0_f64 * 100.0).round() / 100.0;
        let measured = subgoal_progress(&app, subgoal).await;
        assert_eq!(measured.as_f64(), Some(expected));
        assert_ne!(measured, by_milestones);
        let (_, page) = app.get(&format!("/subgoals/{subgoal}")).await;
        assert!(
            page.contains("Fortschritt gemessen an<!>: <strong>dem Indikator „Schulen mit WLAN"),
            "the page says which"
        );
        assert!(page.contains("misst den Fortschritt des Teilziels"));

        // The need's progress follows: the mean of its sub-goals, weighted.
        let (_, body) = app.get("/api/v1/strategies/1").await;
        let document: serde_json::Value = serde_json::from_str(&body).unwrap();
        let need = document["strategy"]["fields"][0]["needs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| {
                n["subgoals"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s["id"] == subgoal)
            })
            .unwrap()
            .clone();
        let (sum, weights) = need["subgoals"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| Some((s["progress"].as_f64()?, s["weight"].as_f64()?)))
            .fold((0.0, 0.0), |(sum, w), (p, weight)| {
                (sum + p * weight, w + weight)
            });
        let rolled = need["progress"].as_f64().unwrap();
        assert!(
            (rolled - sum / weights).abs() < 0.02,
            "{rolled} vs {}",
            sum / weights
        );

        // Not one of this sub-goal's indicators, or nonsense: refused, nothing changed.
        for method in ["999", "viele"] {
            let (status, _) = app
                .call_as(
                    Some(&owner),
                    "/api/indicators/method",
                    &format!("subgoal_id={subgoal}&method={method}"),
                )
                .await;
            assert!(status == 404 || status == 400, "{method}: {status}");
        }
        assert_eq!(subgoal_progress(&app, subgoal).await, measured);

        // Deleting the indicator gives the measure back to the milestones; history stays.
        let version = app
            .count("SELECT version FROM indicators WHERE id = 1")
            .await;
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/indicators/delete",
                &format!("id=1&version={}", version - 1),
            )
            .await;
        assert_eq!(status, 422, "an old version is refused");
        assert!(body.contains("ChangedMeanwhile"), "{body}");
        let (status, _) = app
            .call_as(
                Some(&owner),
                "/api/indicators/delete",
                &format!("id=1&version={version}"),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(subgoal_progress(&app, subgoal).await, by_milestones);
        assert_eq!(app.count("SELECT COUNT(*) FROM indicators").await, 0);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM indicator_readings WHERE indicator_id = 1")
                .await,
            4
        );
        // As of yesterday the indicator was there, without measuring.
        let (status, page) = app
            .get(&format!("/subgoals/{subgoal}?as_of=2026-11-26"))
            .await;
        assert_eq!(status, 200);
        assert!(page.contains("Schulen mit WLAN (Beispiel)"));
        assert!(page.contains("Fortschritt gemessen an<!>: <strong>den Meilensteinen"));
        let (status, csv) = app
            .get("/charts/indicator-1-trend.csv?as_of=2026-11-26")
            .await;
        assert_eq!(status, 200);
        assert_eq!(common::csv_rows(&csv, b';').len(), 1 + 1 + 4 + 1, "{csv}");
        let (status, _) = app.get("/charts/indicator-1-trend.csv").await;
        assert_eq!(status, 404, "deleted today");
    })
}

#[test]
fn readings_are_removed_not_erased_and_past_views_show_what_was_recorded_then() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let subgoal = wlan(&app).await;
        let owner = app.sign_in("schulamt").await;
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/indicators/reading",
                "indicator_id=1&on=2026-11-20&value=400&note=Tippfehler",
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let reading: i64 = body.parse().unwrap();
        let (_, page) = app.get(&format!("/subgoals/{subgoal}")).await;
        assert!(page.contains("400 Schulen am 20.11.2026"));
        assert!(
            page.contains("<strong>100\u{a0}%</strong>"),
            "beyond the target"
        );

        let (status, _) = app
            .call("/api/indicators/reading/remove", &format!("id={reading}"))
            .await;
        assert_eq!(status, 401);
        let (status, _) = app
            .call_as(
                Some(&owner),
                "/api/indicators/reading/remove",
                &format!("id={reading}"),
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = app
            .call_as(
                Some(&owner),
                "/api/indicators/reading/remove",
                &format!("id={reading}"),
            )
            .await;
        assert_eq!(status, 404, "already removed");
        let (_, page) = app.get(&format!("/subgoals/{subgoal}")).await;
        assert!(!page.contains("Tippfehler"));
        assert!(page.contains("40 Schulen am"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM indicator_readings WHERE removed_at IS NOT NULL")
                .await,
            1,
            "kept on record"
        );

        // Yesterday's view did not have today's reading; the trend's table and downloads
        // follow the day.
        let (_, csv) = app.get("/charts/indicator-1-trend.csv?lang=en").await;
        let rows = common::csv_rows(&csv, b',');
        assert_eq!(rows[0], ["Date", "Kind", "Value (Schulen)", "Note"]);
        assert_eq!(rows.iter().filter(|r| r[1] == "Reading").count(), 4);
        let response = app
            .send(
                axum::http::Request::get("/charts/indicator-1-trend.png?scale=2"),
                None,
                axum::body::Body::empty(),
            )
            .await;
        assert_eq!(response.status(), 200);
        let png = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let number = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        assert_eq!((number(16), number(20)), {
            let (_, svg) = app.get("/charts/indicator-1-trend.svg").await;
            let (width, height) = common::svg_size(&svg);
            assert_eq!(width, app::charts::FILE_WIDTH);
            (2 * width, 2 * height)
        });
        let (status, _) = app.get("/charts/indicator-99-trend.svg").await;
        assert_eq!(status, 404);
        let (status, _) = app.get("/charts/indicator-1-burn-up.svg").await;
        assert_eq!(status, 404, "an indicator has only its trend");
    })
}

#[test]
fn an_indicator_is_changed_only_from_the_version_it_was_read_at() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let subgoal = wlan(&app).await;
        let owner = app.sign_in("schulamt").await;
        let form = |version: i64, name: &str| {
            format!(
                "id=1&version={version}&name={name}&unit=Schulen&direction=rising\
                 &baseline_value=12&baseline_on=2024-11-27&target_value=70&target_on=2028-11-26"
            )
        };
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/indicators/edit",
                &form(1, "Schulen+mit+WLAN+im+Unterricht"),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, page) = app.get(&format!("/subgoals/{subgoal}")).await;
        assert!(page.contains("Schulen mit WLAN im Unterricht"));
        assert!(page.contains("70 Schulen"));

        // A second editor who loaded version 1 is refused, and keeps what they typed.
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/indicators/edit",
                &form(1, "WLAN+in+Schulen"),
            )
            .await;
        assert_eq!(status, 422);
        assert!(body.contains(r#"["name","ChangedMeanwhile"]"#), "{body}");
        assert!(body.contains(r#"["name","WLAN in Schulen"]"#), "{body}");
        let (_, page) = app.get(&format!("/subgoals/{subgoal}")).await;
        assert!(
            page.contains("Schulen mit WLAN im Unterricht"),
            "not overwritten"
        );
        let (_, history) = app
            .get_as(Some(&owner), &format!("/subgoals/{subgoal}/history"))
            .await;
        assert!(history.contains("Indikator geändert"), "{history}");
    })
}
