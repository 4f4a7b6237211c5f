//! A strategy as files (issue 19): the document download is byte for byte `meilenstein
//! export` (today and as of a past day) and imports again unchanged; the workbook has the
//! structure and the milestones; bad addresses are refused with a 4xx.

use crate::common::{self, TestApp, meilenstein};
use axum::{body::Body, http::Request};
use calamine::{Data, Reader, Xlsx};
use http_body_util::BodyExt;

/// A download's status, headers of interest and bytes.
async fn download(app: &TestApp, uri: &str) -> (u16, String, String, Vec<u8>) {
    let response = app.send(Request::get(uri), None, Body::empty()).await;
    let status = response.status().as_u16();
    let (kind, disposition) = {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        (header("content-type"), header("content-disposition"))
    };
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, kind, disposition, bytes.to_vec())
}

#[test]
fn the_document_download_is_the_export_and_imports_back_unchanged() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let db = app.db();
        let (status, kind, disposition, bytes) =
            download(&app, "/strategies/1/strategy.json?lang=de").await;
        assert_eq!(status, 200);
        assert_eq!(kind, "application/json; charset=utf-8");
        assert_eq!(disposition, "attachment; filename=\"strategie-1.json\"");
        let text = String::from_utf8(bytes).unwrap();
        let (code, exported, err) = meilenstein(&["export", "--db", db]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(text, exported, "the same bytes as meilenstein export");
        assert!(text.contains("\n  \"format\": \"meilenstein/1\",\n"));

        // As of a past day: the same as export --as-of, and different from today.
        let (status, _, disposition, past) =
            download(&app, "/strategies/1/strategy.json?as_of=2025-06-30&lang=en").await;
        assert_eq!(status, 200);
        assert_eq!(
            disposition,
            "attachment; filename=\"strategy-1-2025-06-30.json\""
        );
        let (code, exported, _) = meilenstein(&["export", "--as-of", "2025-06-30", "--db", db]);
        assert_eq!(code, 0);
        assert_eq!(String::from_utf8(past).unwrap(), exported);
        assert_ne!(exported, text);

        // Imported into a new database, it exports as it was downloaded.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("strategie-1.json");
        std::fs::write(&file, &text).unwrap();
        let scratch = app::store::scratch::Scratch::new().await;
        let fresh = scratch.location();
        let (code, out, err) = meilenstein(&["import", file.to_str().unwrap(), "--db", fresh]);
        assert_eq!(code, 0, "{out}{err}");
        let (code, again, _) = meilenstein(&["export", "--db", fresh]);
        assert_eq!(code, 0);
        assert_eq!(
            again, text,
            "the downloaded document imports back unchanged"
        );
    });
}

fn cells(sheet: &calamine::Range<Data>, row: usize) -> Vec<String> {
    sheet
        .rows()
        .nth(row)
        .unwrap()
        .iter()
        .map(|cell| cell.to_string())
        .collect()
}

#[test]
fn the_workbook_has_every_sub_goal_and_milestone_in_the_users_language() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let strategy = app.store.strategy_at(1, None).await.unwrap().unwrap();
        let needs: Vec<_> = strategy.fields.iter().flat_map(|f| &f.needs).collect();
        let subgoals: Vec<_> = needs.iter().flat_map(|n| &n.subgoals).collect();
        let milestones: usize = subgoals.iter().map(|s| s.milestones.len()).sum();
        assert!(milestones > 20);

        let (status, kind, disposition, bytes) =
            download(&app, "/strategies/1/strategy.xlsx?lang=de").await;
        assert_eq!(status, 200);
        assert!(kind.contains("spreadsheetml"), "{kind}");
        assert_eq!(disposition, "attachment; filename=\"strategie-1.xlsx\"");
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an XLSX");
        assert_eq!(book.sheet_names(), ["Struktur", "Meilensteine"]);
        let structure = book.worksheet_range("Struktur").unwrap();
        assert_eq!(
            cells(&structure, 0),
            [
                "Handlungsfeld",
                "Strategisches Ziel",
                "Handlungsbedarf",
                "Teilziel",
                "Zuständig",
                "Gewicht",
                "Archiviert"
            ]
        );
        assert_eq!(structure.height(), 1 + subgoals.len());
        let first = cells(&structure, 1);
        assert_eq!(first[0], strategy.fields[0].title);
        assert_eq!(first[2], needs[0].title);
        assert_eq!(first[3], subgoals[0].title);
        assert_eq!(first[4], subgoals[0].owner.clone().unwrap_or_default());
        let plan = book.worksheet_range("Meilensteine").unwrap();
        assert_eq!(plan.height(), 1 + milestones);
        assert_eq!(cells(&plan, 0)[3], "Fällig am");
        // Dates are dates.
        assert!(
            matches!(plan.get((1, 3)), Some(Data::DateTime(_))),
            "{:?}",
            plan.get((1, 3))
        );

        let (status, _, _, bytes) = download(&app, "/strategies/1/strategy.xlsx?lang=en").await;
        assert_eq!(status, 200);
        let book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an XLSX");
        assert_eq!(book.sheet_names(), ["Structure", "Milestones"]);
    });
}

#[test]
fn bad_addresses_are_refused_and_private_strategies_stay_private() {
    common::run(async {
        let app = TestApp::with_demo().await;
        for (uri, expected) in [
            ("/strategies/abc/strategy.json", 400),
            ("/strategies/99/strategy.json", 404),
            ("/strategies/1/strategy.pdf", 404),
            ("/strategies/1/strategy.json?as_of=gestern", 400),
            ("/strategies/1/strategy.json?as_of=2999-01-01", 400),
            ("/strategies/1/strategy.xlsx?lang=fr", 400),
        ] {
            let (status, _, _, body) = download(&app, uri).await;
            assert_eq!(
                status,
                expected,
                "{uri}: {}",
                String::from_utf8_lossy(&body)
            );
        }
        app.set_public_read(false).await;
        let (status, _, _, _) = download(&app, "/strategies/1/strategy.json").await;
        assert_eq!(status, 401);
        let viewer = app.sign_in("rat").await;
        let (status, _) = app
            .get_as(Some(&viewer), "/strategies/1/strategy.json")
            .await;
        assert_eq!(status, 200);
        // The strategy's page offers both, as shown.
        let (_, page) = app
            .get_as(Some(&viewer), "/strategies/1?as_of=2025-06-30")
            .await;
        assert!(
            page.contains("href=\"/strategies/1/strategy.json?as_of=2025-06-30&amp;lang=de\""),
            "{page}"
        );
        assert!(
            page.contains("/strategies/1/strategy.xlsx?as_of=2025-06-30"),
            "{page}"
        );
    });
}
