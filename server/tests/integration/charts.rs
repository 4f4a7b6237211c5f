//! Chart downloads: the SVG the page shows, a PNG of the chart's size, the table as CSV.

use crate::common;

use common::TestApp;

/// The cells of the table with this caption, row by row (header row first), as text.
fn table(html: &str, caption: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("<caption>{caption}</caption>"))
        .expect("the table is on the page");
    let end = start + html[start..].find("</table>").unwrap();
    html[start..end]
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let parts: Vec<&str> = row.split(['<', '>']).collect();
            parts
                .windows(2)
                .filter(|pair| pair[0].starts_with("th") || pair[0].starts_with("td"))
                .map(|pair| pair[1].replace("&amp;", "&").trim().to_owned())
                .collect()
        })
        .collect()
}

fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    assert_eq!(&png[12..16], b"IHDR");
    let number = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}

#[test]
fn the_burn_up_downloads_as_svg_png_and_csv_matching_the_page() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (status, page) = app.get("/needs/1").await;
        assert_eq!(status, 200);
        assert!(
            page.contains(r#"href="/charts/need-1-burn-up.png?lang=de""#),
            "{page}"
        );
        let caption =
            "Burn-up je Monatsende und heute (kumuliert, in Prozent des Handlungsbedarfs)";
        let shown = table(&page, caption);
        assert!(shown.len() > 3, "{shown:?}");

        let response = app
            .send(
                axum::http::Request::get("/charts/need-1-burn-up.csv?lang=de"),
                None,
                axum::body::Body::empty(),
            )
            .await;
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("need-1-burn-up.csv")
        );
        let (status, csv) = common::read(response).await;
        assert_eq!(status, 200);
        let rows = common::csv_rows(&csv, b';');
        assert_eq!(rows, shown, "the CSV holds the table");

        let (status, svg) = app.get("/charts/need-1-burn-up.svg?lang=en").await;
        assert_eq!(status, 200);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("Burn-up: Digitale Infrastruktur"));
        assert!(svg.contains("reached"), "in English");

        let response = app
            .send(
                axum::http::Request::get("/charts/need-1-burn-up.png"),
                None,
                axum::body::Body::empty(),
            )
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/png");
        use http_body_util::BodyExt;
        let png = response.into_body().collect().await.unwrap().to_bytes();
        // As large as the SVG drawing of the same chart (the files' width), or twice as large.
        let (_, svg) = app.get("/charts/need-1-burn-up.svg").await;
        let drawn = common::svg_size(&svg);
        assert_eq!(drawn.0, app::charts::FILE_WIDTH);
        assert_eq!(png_size(&png), drawn);
        let response = app
            .send(
                axum::http::Request::get("/charts/need-1-burn-up.png?scale=2"),
                None,
                axum::body::Body::empty(),
            )
            .await;
        let png = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(png_size(&png), (2 * drawn.0, 2 * drawn.1));

        // As of a past day: the file says so in its name, and its figures are that day's.
        let response = app
            .send(
                axum::http::Request::get("/charts/need-1-burn-up.csv?as_of=2026-06-30"),
                None,
                axum::body::Body::empty(),
            )
            .await;
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("need-1-burn-up-2026-06-30.csv")
        );
        let (_, past) = common::read(response).await;
        let rows = common::csv_rows(&past, b';');
        let that_day = rows
            .iter()
            .position(|r| r[0] == "2026-06-30")
            .expect("a row for the day");
        let reached = |row: &Vec<String>| !row.last().unwrap().is_empty();
        assert!(reached(&rows[that_day]), "reached up to that day: {past}");
        assert!(
            rows[that_day + 1..].iter().all(|r| !reached(r)),
            "nothing reached after it: {past}"
        );
        assert_ne!(past, csv, "other figures than today's");
    })
}

#[test]
fn every_chart_on_the_pages_has_its_table_and_its_downloads() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (_, dashboard) = app.get("/").await;
        let (_, need) = app.get("/needs/1").await;
        for (page, file, caption) in [
            (
                &dashboard,
                "field-1-states",
                "Meilensteine nach Stand und Teilziele ohne Plan, je Handlungsbedarf",
            ),
            (
                &dashboard,
                "field-1-progress",
                "Fortschritt je Handlungsbedarf an jedem Monatsende (in Prozent)",
            ),
            (
                &need,
                "need-1-burn-up",
                "Burn-up je Monatsende und heute (kumuliert, in Prozent des Handlungsbedarfs)",
            ),
            (
                &need,
                "need-1-timeline",
                "Meilensteine je Teilziel: Fälligkeit und Stand",
            ),
        ] {
            let shown = table(page, caption);
            for extension in ["svg", "png", "csv"] {
                let link = format!(r#"href="/charts/{file}.{extension}?lang=de""#);
                assert!(page.contains(&link), "{link}");
                let (status, _) = app.get(&format!("/charts/{file}.{extension}")).await;
                assert_eq!(status, 200, "{file}.{extension}");
            }
            let (_, csv) = app.get(&format!("/charts/{file}.csv")).await;
            let rows = common::csv_rows(&csv, b';');
            assert_eq!(
                rows.len(),
                shown.len(),
                "{file}: one CSV line per table row"
            );
            assert_eq!(rows[0], shown[0], "{file}: the header");
        }
        // The timeline lists every milestone of the need that is not cancelled.
        let strategy = app.store.strategy(1).await.unwrap().unwrap();
        let counted = strategy.fields[0].needs[0]
            .subgoals
            .iter()
            .flat_map(|s| s.milestones.iter())
            .filter(|m| m.data.status != app::domain::Status::Cancelled)
            .count();
        let (_, csv) = app.get("/charts/need-1-timeline.csv").await;
        assert_eq!(common::csv_rows(&csv, b';').len(), counted + 1);
    })
}

/// Each month end of the progress over time is what a past view of that day shows.
#[test]
fn progress_over_time_agrees_with_the_past_views() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (_, csv) = app.get("/charts/field-1-progress.csv?lang=en").await;
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 12 + 1, "header, 12 month ends, today");
        assert!(lines.last().unwrap().starts_with("2026-11-27,"));
        let mut figures = Vec::new();
        for line in &lines[1..] {
            let (day, shown) = line.split_once(',').unwrap();
            let (_, body) = app.get(&format!("/api/v1/strategies/1?as_of={day}")).await;
            let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
            let needs = doc["strategy"]["fields"][0]["needs"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let expected: Vec<String> = if needs.is_empty() {
                vec![String::new(); shown.split(',').count()]
            } else {
                needs
                    .iter()
                    .map(|n| {
                        n["progress"]
                            .as_f64()
                            .map(|p| format!("{p:.2}"))
                            .unwrap_or_default()
                    })
                    .collect()
            };
            assert_eq!(shown.split(',').collect::<Vec<_>>(), expected, "{day}");
            figures.push(shown);
        }
        // A history, not today's figure repeated.
        assert!(figures.iter().any(|f| f != figures.last().unwrap()));
    })
}

#[test]
fn a_chart_that_does_not_exist_is_a_clear_4xx() {
    common::run(async {
        let app = TestApp::with_demo().await;
        for (path, status) in [
            ("/charts/need-1-burn-up.gif", 400),
            ("/charts/need-1-pie.svg", 400),
            ("/charts/strategy-1-states.svg", 400),
            ("/charts/field-99-states.svg", 404),
            ("/charts/need-x-burn-up.svg", 400),
            ("/charts/need-999-burn-up.svg", 404),
            ("/charts/need-1-burn-up.svg?lang=fr", 400),
            ("/charts/need-1-burn-up.svg?as_of=2026-02-30", 400),
            ("/charts/need-1-burn-up.svg?as_of=2030-01-01", 400),
        ] {
            let (got, body) = app.get(path).await;
            assert_eq!(got, status, "{path}: {body}");
            assert!(body.contains("error"), "{path}: {body}");
        }
    })
}
