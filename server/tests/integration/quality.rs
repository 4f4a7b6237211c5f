//! Data quality (issue 15): each rule finds what it names in a real database, the score per
//! department and need moves with it, every finding links to where it is fixed, and the page
//! is for those signed in.

use crate::common::{self, TestApp};
use app::store::db;
use serde_json::Value;

async fn quality(app: &TestApp, session: &common::Session, form: &str) -> Value {
    let (status, body) = app.call_as(Some(session), "/api/quality", form).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn count(page: &Value, rule: &str) -> usize {
    page["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[0] == rule)
        .map(|r| r[1].as_u64().unwrap() as usize)
        .unwrap()
}

fn finding<'a>(page: &'a Value, rule: &str, title: &str) -> &'a Value {
    page["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["finding"]["rule"] == rule && f["finding"]["title"] == title)
        .unwrap_or_else(|| panic!("{rule} {title} in {}", page["findings"]))
}

fn percent(score: &Value) -> f64 {
    100.0 * score["passed"].as_f64().unwrap() / score["checked"].as_f64().unwrap()
}

#[test]
fn each_rule_finds_what_it_names_and_the_score_moves_with_it() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let owner = app.sign_in("schulamt").await;
        let subgoal: i64 = db::query_scalar(
            "SELECT MIN(id) FROM subgoals WHERE owner = 'Amt für Schule und Bildung'",
        )
        .fetch_one(app.store.pool())
        .await
        .unwrap();
        let before = quality(&app, &admin, "").await;
        let total_before = percent(&before["total"]);
        assert_eq!(
            count(&before, "reached_without_date"),
            0,
            "the database refuses those"
        );

        // Past due and still planned; and a milestone heavier than the rest of its sub-goal.
        for form in [
            format!("subgoal_id={subgoal}&title=Vergessen&due=2026-09-30&status=planned&weight=1"),
            format!(
                "subgoal_id={subgoal}&title=Alles+auf+einmal&due=2027-09-30&status=planned&weight=500"
            ),
        ] {
            let (status, body) = app
                .call_as(Some(&owner), "/api/milestones/record", &form)
                .await;
            assert_eq!(status, 200, "{body}");
        }
        // A sub-goal without a plan; an indicator without a reading for two years.
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/structure/subgoal/add",
                "need_id=1&title=Noch+ohne+Plan&owner=Amt+f%C3%BCr+Schule+und+Bildung",
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = app
            .call_as(
                Some(&owner),
                "/api/indicators/add",
                &format!(
                    "subgoal_id={subgoal}&name=Tablets&unit=Ger%C3%A4te&direction=rising\
                     &baseline_value=10&baseline_on=2024-09-01&target_value=500&target_on=2028-12-31"
                ),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        // A report not made: created in January, never reported on.
        db::query("UPDATE structure_revisions SET recorded_at = '2026-01-05T08:00:00Z' WHERE kind = 'subgoal' AND object_id = $1")
            .bind(subgoal)
            .execute(app.store.pool())
            .await
            .unwrap();
        db::query("DELETE FROM status_reports WHERE subgoal_id = $1")
            .bind(subgoal)
            .execute(app.store.pool())
            .await
            .unwrap();

        let after = quality(&app, &admin, "").await;
        let late = finding(&after, "past_due_still_planned", "Vergessen");
        let id = late["finding"]["subject"]["Milestone"].as_i64().unwrap();
        assert_eq!(late["href"], format!("/subgoals/{subgoal}#m{id}-title"));
        assert_eq!(late["department"], "Amt für Schule und Bildung");
        finding(&after, "heavy_milestone", "Alles auf einmal");
        let unplanned = finding(&after, "no_plan", "Noch ohne Plan");
        assert!(
            unplanned["href"]
                .as_str()
                .unwrap()
                .ends_with("#record-heading")
        );
        let stale = finding(&after, "stale_indicator", "Tablets");
        assert!(
            stale["href"]
                .as_str()
                .unwrap()
                .ends_with("#indicators-heading")
        );
        let report = after["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| {
                f["finding"]["rule"] == "report_late" && f["finding"]["subgoal_id"] == subgoal
            })
            .expect("the late report");
        assert_eq!(
            report["href"],
            format!("/subgoals/{subgoal}#reporting-heading")
        );
        for rule in [
            "past_due_still_planned",
            "heavy_milestone",
            "no_plan",
            "stale_indicator",
            "report_late",
        ] {
            assert!(count(&after, rule) > count(&before, rule), "{rule}");
        }
        assert!(percent(&after["total"]) < total_before);
        // Per department: only the Schulamt's got worse.
        let department = |page: &Value, name: &str| {
            page["departments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d[0] == name)
                .map(|d| percent(&d[1]))
                .unwrap()
        };
        assert!(
            department(&after, "Amt für Schule und Bildung")
                < department(&before, "Amt für Schule und Bildung")
        );
        assert_eq!(
            department(&after, "Volkshochschule Mainz"),
            department(&before, "Volkshochschule Mainz")
        );
        // One department only.
        let only = quality(&app, &owner, "department=Volkshochschule+Mainz").await;
        assert_eq!(only["departments"].as_array().unwrap().len(), 1);
        assert!(
            only["findings"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["department"] == "Volkshochschule Mainz")
        );
        assert!(only["needs"].as_array().unwrap().is_empty());

        // The page: the score, how it is computed, the rules, linked findings.
        let (status, html) = app.get_as(Some(&admin), "/quality").await;
        assert_eq!(status, 200);
        assert!(html.contains("Wie wird das berechnet?"));
        assert!(html.contains("Überfällig und noch geplant"));
        assert!(html.contains(&format!("href=\"/subgoals/{subgoal}#m{id}-title\"")));
        // For those signed in, even while public read is on.
        let (status, _) = app.get("/quality").await;
        assert_eq!(status, 401);
    });
}
