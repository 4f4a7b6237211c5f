//! A report's PDF and Excel workbook: read back with poppler (`pdftotext`, `pdfinfo`) and
//! calamine, unchanged by what is recorded after the report was made, refused where the report
//! may not be read, and written by the command line.

use crate::common::{self, TestApp, make_report};
use app::{format, i18n::Locale, server_fns::reports::ssr};
use axum::http::{Request, header};
use calamine::{Data, Reader, Xlsx};
use http_body_util::BodyExt;
use server::report_files::{self, Kind};

/// Status, content type, content disposition and body of a GET.
async fn download(app: &TestApp, uri: &str) -> (u16, String, String, Vec<u8>) {
    let response = app
        .send(Request::get(uri), None, axum::body::Body::empty())
        .await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = |name| {
        headers
            .get(name)
            .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (content_type, disposition) = (
        text(header::CONTENT_TYPE),
        text(header::CONTENT_DISPOSITION),
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, content_type, disposition, bytes.to_vec())
}

/// What a poppler tool prints for a PDF (`pdftotext` or `pdfinfo`), installed by
/// scripts/setup.sh (Debian's poppler-utils).
fn poppler(tool: &str, pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut command = std::process::Command::new(tool);
    if tool == "pdftotext" {
        command.args([path.to_str().unwrap(), "-"]);
    } else {
        command.arg(&path);
    }
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs (scripts/setup.sh installs poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every run of white space (line breaks, no-break spaces) as one space.
fn words(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn workbook(bytes: &[u8]) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX")
}

/// The column of a sheet's header row with this title.
fn column(sheet: &calamine::Range<Data>, title: &str) -> usize {
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    header
        .iter()
        .position(|h| h == title)
        .unwrap_or_else(|| panic!("a column {title:?} in {header:?}"))
}

#[test]
fn the_pdf_and_the_workbook_show_every_need_and_never_change() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let first = make_report(&app, &admin, "name=Sitzung+1&stichtag=2026-06-30").await;
        let id = make_report(
            &app,
            &admin,
            "name=Bericht+an+den+Stadtrat&stichtag=2026-11-01&foreword=Sehr+geehrte+Damen+und+Herren",
        )
        .await;
        let pdf_uri = format!("/reports/{id}/report.pdf");
        let (status, content_type, disposition, pdf) = download(&app, &pdf_uri).await;
        assert_eq!(status, 200, "public read applies");
        assert_eq!(content_type, "application/pdf");
        assert!(
            disposition.contains(&format!("report-{id}-2026-11-01.pdf")),
            "{disposition}"
        );

        // Every need's title and progress, the Stichtag and the comparison, as read back.
        let (page, _) = ssr::frozen(&app.store, &app.state.clock, id, None, Locale::de)
            .await
            .unwrap();
        let text = words(&poppler("pdftotext", &pdf));
        assert!(text.contains("Bericht zum Stichtag 01.11.2026"), "{text}");
        assert!(
            text.contains("Bericht an den Stadtrat · Stichtag 01.11.2026"),
            "the footer"
        );
        assert!(text.contains("Sehr geehrte Damen und Herren") && text.contains("Inhalt"));
        assert!(
            text.contains("Verglichen mit „Sitzung 1“"),
            "since the last report"
        );
        let needs: Vec<_> = page.fields.iter().flat_map(|f| &f.needs).collect();
        assert!(needs.len() >= 3, "the demo has needs");
        for need in needs {
            let progress = match need.progress {
                Some(p) => format::percent(Locale::de, p).replace('\u{a0}', " "),
                None => "kein Plan".to_owned(),
            };
            let line = format!("{} Fortschritt {progress}", words(&need.title));
            assert!(text.contains(&line), "{line:?} in {text}");
        }
        let info = poppler("pdfinfo", &pdf);
        assert!(info.contains("Tagged:          yes"), "{info}");
        assert!(
            info.contains("Title:           Bericht an den Stadtrat"),
            "{info}"
        );
        assert!(info.contains("A4"), "{info}");
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap();
        assert!(
            text.contains(&format!("Seite {pages} von {pages}")),
            "numbered"
        );

        // The workbook: dates are dates, progress a number, one sheet per table.
        let xlsx_uri = format!("/reports/{id}/report.xlsx");
        let (status, content_type, _, xlsx) = download(&app, &xlsx_uri).await;
        assert_eq!(status, 200);
        assert!(content_type.contains("spreadsheetml"), "{content_type}");
        let mut book = workbook(&xlsx);
        assert_eq!(
            book.sheet_names(),
            [
                "Überblick",
                "Handlungsbedarfe",
                "Teilziele",
                "Meilensteine",
                "Kennzahlen",
                "Änderungen"
            ]
        );
        let milestones = book.worksheet_range("Meilensteine").unwrap();
        let due = column(&milestones, "Fällig");
        let rows: Vec<_> = milestones.rows().skip(1).collect();
        let count: i64 = app.count("SELECT COUNT(*) FROM milestones").await;
        assert!(rows.len() as i64 <= count && !rows.is_empty());
        assert!(
            rows.iter().all(|r| matches!(r[due], Data::DateTime(_))),
            "every due date is a date"
        );
        let sheet = book.worksheet_range("Handlungsbedarfe").unwrap();
        let progress = column(&sheet, "Fortschritt");
        let need = &page.fields[0].needs[0];
        let row = sheet
            .rows()
            .find(|r| r[1].to_string() == need.title)
            .expect("the need's row");
        match (&row[progress], need.progress) {
            (Data::Float(value), Some(p)) => assert!((value - p / 100.0).abs() < 1e-9),
            (cell, p) => panic!("progress {p:?} as {cell:?}"),
        }
        let changes = book.worksheet_range("Änderungen").unwrap();
        assert!(
            changes
                .rows()
                .any(|r| r.iter().any(|c| c.to_string().contains("Sitzung 1")))
        );

        // Recorded later, back-dated into the report's period, and a weight corrected.
        app.rewrite_the_past(&admin).await;
        for (kind, before) in [(Kind::Pdf, &pdf), (Kind::Xlsx, &xlsx)] {
            let made = report_files::make(&app.store, &app.state.clock, id, kind, Locale::de)
                .await
                .unwrap();
            assert!(
                &made == before,
                "{kind:?} made again is byte for byte the same"
            );
        }
        assert_eq!(download(&app, &pdf_uri).await.3, pdf, "as downloaded again");
        assert_eq!(download(&app, &xlsx_uri).await.3, xlsx);

        // In English; the earlier report has nothing to compare with.
        let (_, _, _, english) = download(&app, &format!("{pdf_uri}?lang=en")).await;
        let text = words(&poppler("pdftotext", &english));
        assert!(
            text.contains("Contents") && text.contains("Page 1 of"),
            "{text}"
        );
        let (_, _, _, earlier) = download(&app, &format!("/reports/{first}/report.pdf")).await;
        assert!(words(&poppler("pdftotext", &earlier)).contains("keinen früheren Bericht"));
        let (_, _, _, english) = download(&app, &format!("{xlsx_uri}?lang=en")).await;
        assert!(
            workbook(&english)
                .sheet_names()
                .contains(&"Milestones".to_owned())
        );
    })
}

#[test]
fn report_files_are_refused_where_the_report_may_not_be_read_and_for_bad_addresses() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let id = make_report(&app, &admin, "name=Sitzung").await;
        for (uri, expected) in [
            (format!("/reports/{id}/report.pdf?lang=fr"), 400),
            (format!("/reports/{}/report.pdf", id + 100), 404),
            ("/reports/abc/report.xlsx".to_owned(), 400),
        ] {
            let (status, _, _, body) = download(&app, &uri).await;
            assert_eq!(
                status,
                expected,
                "{uri}: {}",
                String::from_utf8_lossy(&body)
            );
        }
        let (_, _, _, body) = download(&app, &format!("/reports/{id}/report.pdf?lang=fr")).await;
        assert!(
            String::from_utf8_lossy(&body).contains("lang"),
            "names the parameter"
        );

        app.set_public_read(false).await;
        for file in ["report.pdf", "report.xlsx"] {
            let (status, _, _, _) = download(&app, &format!("/reports/{id}/{file}")).await;
            assert_eq!(status, 401, "{file} without signing in");
            let request = Request::get(format!("/reports/{id}/{file}"));
            let response = app
                .send(request, Some(&admin), axum::body::Body::empty())
                .await;
            assert_eq!(response.status(), 200, "{file} signed in");
        }
    })
}

#[test]
fn text_the_fonts_cannot_show_and_words_longer_than_a_line_still_make_a_pdf() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let subgoal = app.first_subgoal().await;
        let long = "Datenaustauschplattformintegrationsvorhaben".repeat(6);
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/milestones/record",
                &format!("subgoal_id={subgoal}&title={long}&due=2026-01-10&status=planned"),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let id = make_report(
            &app,
            &admin,
            "name=Bericht+%F0%9F%93%8A+%E4%B8%AD%E6%96%87+Ende",
        )
        .await;
        let (status, _, _, pdf) = download(&app, &format!("/reports/{id}/report.pdf")).await;
        assert_eq!(status, 200);
        let text = words(&poppler("pdftotext", &pdf));
        assert!(
            text.contains("Ende"),
            "the name, what can be shown of it: {text}"
        );
        assert!(
            text.replace(' ', "").contains(&long),
            "the long title, broken across lines but all there"
        );
    })
}
