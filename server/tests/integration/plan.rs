//! Plan baselines, slips and the forecast, through the pages and the server functions.

use crate::common;

use app::{audit::Actor, store::Change};
use common::TestApp;

#[test]
fn an_admin_sets_a_baseline_with_a_reason_and_slips_are_measured_against_it() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (status, need) = app.get("/needs/1").await;
        assert_eq!(status, 200);
        assert!(need.contains("Plan und Prognose"));
        assert!(need.contains("Noch kein Plan-Stand festgelegt"));
        assert!(need.contains("Wie wird die Prognose berechnet?"));

        // Only admins, and only with a reason.
        let cdo = app.sign_in("cdo").await;
        let owner = app.sign_in("schulamt").await;
        let (status, _) = app
            .call_as(
                Some(&owner),
                "/api/structure/need/baseline",
                "need_id=1&reason=Neu",
            )
            .await;
        assert_eq!(status, 403);
        let (status, body) = app
            .call_as(
                Some(&cdo),
                "/api/structure/need/baseline",
                "need_id=1&reason=+++",
            )
            .await;
        assert_eq!(status, 422);
        assert!(
            body.contains("reason") && body.contains("Required"),
            "{body}"
        );
        let (status, _) = app
            .call_as(
                Some(&cdo),
                "/api/structure/need/baseline",
                "need_id=999&reason=Neu",
            )
            .await;
        assert_eq!(status, 404);
        assert_eq!(app.count("SELECT COUNT(*) FROM baselines").await, 0);

        // The admin sees the form; the baseline holds every milestone of the need.
        let (_, page) = app.get_as(Some(&cdo), "/needs/1").await;
        assert!(page.contains("/api/structure/need/baseline"));
        let (status, _) = app
            .call_as(
                Some(&cdo),
                "/api/structure/need/baseline",
                "need_id=1&reason=Haushalt+2027+beschlossen",
            )
            .await;
        assert_eq!(status, 200);
        let held = app
            .count(
                "SELECT COUNT(*) FROM milestones m JOIN subgoals s ON s.id = m.subgoal_id
                 WHERE s.need_id = 1",
            )
            .await;
        assert_eq!(app.count("SELECT COUNT(*) FROM baseline_dates").await, held);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'need.rebaselined'")
                .await,
            1
        );
        let (_, page) = app.get("/needs/1").await;
        assert!(
            page.contains("Haushalt 2027 beschlossen"),
            "the reason is listed"
        );
        assert!(page.contains("<td>cdo</td>"), "and who set it");
        assert!(!page.contains("Noch kein Plan-Stand festgelegt"));
        // A day before it was set, the page shows the plan as it was then.
        let (_, before) = app.get("/needs/1?as_of=2026-11-26").await;
        assert!(before.contains("Noch kein Plan-Stand festgelegt"));

        // The owner moves an open milestone by two weeks: its slip shows against the plan.
        let strategy = app.store.strategy(1).await.unwrap().unwrap();
        let subgoal = &strategy.fields[0].needs[0].subgoals[0];
        let open = subgoal
            .milestones
            .iter()
            .find(|m| m.data.status.is_open())
            .unwrap()
            .clone();
        let mut moved = open.data.clone();
        moved.due = open.data.due + chrono::TimeDelta::days(14);
        let saved = app
            .store
            .update_milestone(
                open.id,
                open.version,
                &moved,
                chrono::Utc::now(),
                &Actor::system(),
            )
            .await
            .unwrap();
        assert!(matches!(saved, Change::Saved(_)));
        let (_, page) = app.get(&format!("/subgoals/{}", subgoal.id)).await;
        let planned = open.data.due.format("%d.%m.%Y").to_string();
        assert!(
            page.contains(&format!("14 Tage später als geplant (geplant: {planned})")),
            "{page}"
        );
        let (_, need) = app.get("/needs/1").await;
        assert!(need.contains("14 Tage später als geplant"));

        // A new baseline takes the new date as the plan.
        app.call_as(
            Some(&cdo),
            "/api/structure/need/baseline",
            "need_id=1&reason=Verschoben",
        )
        .await;
        let (_, page) = app.get(&format!("/subgoals/{}", subgoal.id)).await;
        assert!(!page.contains("später als geplant"));
        let (_, need) = app.get("/needs/1").await;
        assert!(need.contains("Verschoben") && need.contains("Haushalt 2027 beschlossen"));
    })
}

#[test]
fn the_dashboard_and_the_need_page_say_when_a_need_would_be_done() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let (_, dashboard) = app.get("/").await;
        assert!(dashboard.contains("Bei aktuellem Tempo fertig"));
        // Each need says a month, "fertig", or that there is not enough data.
        let strategy = app.store.strategy(1).await.unwrap().unwrap();
        for need in &strategy.fields[0].needs {
            let shares = app::domain::plan::shares(need, &Default::default());
            let forecast = app::domain::plan::forecast(&shares, common::today());
            let (_, page) = app.get(&format!("/needs/{}", need.id)).await;
            match forecast {
                app::domain::plan::Forecast::AtPace { finish, .. } => {
                    let month = app::format::month(app::i18n::Locale::de, finish);
                    assert!(
                        page.contains(&format!("Bei aktuellem Tempo: {month}, geplant:")),
                        "{page}"
                    );
                    assert!(dashboard.contains(&month));
                }
                app::domain::plan::Forecast::NotEnoughData => {
                    assert!(page.contains("Zu wenig Daten"));
                    assert!(dashboard.contains("zu wenig Daten"));
                }
                other => panic!("the demo's needs are under way: {other:?}"),
            }
        }
    })
}
