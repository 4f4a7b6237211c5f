//! Rebuilding past states from a real SQLite file: what an export printed on a day is what an
//! export "as of" that day prints later, whatever happened since.

use crate::{
    audit::Actor,
    domain::{MilestoneData, Status, Strategy, document},
    store::{Change, Store},
};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
}

fn at(d: u32, hour: u32) -> DateTime<Utc> {
    day(d).and_hms_opt(hour, 0, 0).unwrap().and_utc()
}

/// The moment day `d` ends (UTC here; the server uses its own time zone).
fn end_of(d: NaiveDate) -> DateTime<Utc> {
    (d + TimeDelta::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
}

async fn store() -> (crate::store::scratch::Scratch, Store) {
    let dir = crate::store::scratch::Scratch::new().await;
    let store = dir.open().await.unwrap();
    (dir, store)
}

const DOCUMENT: &str = r#"{"format": "meilenstein/1",
  "strategy": {"title": "Digitalstrategie Musterstadt", "fields": [
    {"title": "Verwaltung", "goal": "Alles online", "builds_on": ["Bürgerportal"], "needs": [
      {"title": "Online-Dienste", "subgoals": [
        {"title": "Anträge online", "owner": "Bürgeramt", "weight": 2, "milestones": [
          {"title": "Wohngeld online", "due": "2026-03-04", "status": "planned"},
          {"title": "Elterngeld online", "due": "2026-03-20", "status": "in_progress", "weight": 3}]},
        {"title": "Termine online", "milestones": [
          {"title": "Terminbuchung Bürgeramt", "due": "2026-03-10", "status": "planned"}]}]}]}]}}"#;

fn milestone(title: &str, due: u32, status: Status, done_on: Option<u32>) -> MilestoneData {
    MilestoneData {
        title: title.into(),
        due: day(due),
        status,
        done_on: done_on.map(day),
        weight: 1.0,
        note: None,
    }
}

fn ids(strategy: &Strategy) -> (i64, i64, Vec<i64>) {
    let need = &strategy.fields[0].needs[0];
    let subgoals = &need.subgoals;
    let milestones = subgoals
        .iter()
        .flat_map(|s| s.milestones.iter().map(|m| m.id))
        .collect();
    (need.id, subgoals[0].id, milestones)
}

#[tokio::test]
async fn an_export_as_of_a_past_day_is_what_export_printed_that_day() {
    let (_dir, store) = store().await;
    let actor = Actor::system();
    let strategy = document::parse(DOCUMENT).unwrap();
    // What `meilenstein export` printed at the end of each day something changed.
    let mut printed: Vec<(NaiveDate, Strategy)> = Vec::new();
    let keep = |store: &Store, id: i64| {
        let store = store.clone();
        async move { (*store.strategy(id).await.unwrap().unwrap()).clone() }
    };

    // 2 March: the strategy is imported.
    let id = store.import(&strategy, at(2, 9), &actor).await.unwrap();
    printed.push((day(2), keep(&store, id).await));
    let (need, subgoal, milestones) = ids(&printed[0].1);

    // 5 March: a milestone is recorded, another is started.
    store
        .record_milestone(
            subgoal,
            &milestone("E-Akte", 30, Status::Planned, None),
            at(5, 10),
            &actor,
        )
        .await
        .unwrap();
    let started = milestone("Wohngeld online", 4, Status::InProgress, None);
    let Change::Saved(_) = store
        .update_milestone(milestones[0], 1, &started, at(5, 15), &actor)
        .await
        .unwrap()
    else {
        panic!("conflict")
    };
    printed.push((day(5), keep(&store, id).await));

    // 9 March: a late report (reached on 3 March), a deletion, the sub-goal renamed and
    // weighted anew, a need added.
    let reached = milestone("Wohngeld online", 4, Status::Done, Some(3));
    store
        .update_milestone(milestones[0], 2, &reached, at(9, 12), &actor)
        .await
        .unwrap();
    store
        .delete_milestone(milestones[2], 1, at(9, 13), &actor)
        .await
        .unwrap();
    store
        .update_subgoal(
            subgoal,
            "Anträge digital",
            Some("Bürgeramt"),
            5.0,
            at(9, 8),
            &actor,
        )
        .await
        .unwrap();
    let field = printed[0].1.fields[0].id;
    store
        .add_need(field, "Daten und Transparenz", at(9, 14), &actor)
        .await
        .unwrap();
    printed.push((day(9), keep(&store, id).await));

    // 12 March: the field's goal, the need's title; a sub-goal added.
    store
        .update_field(
            field,
            "Verwaltung",
            Some("Alles digital"),
            at(12, 9),
            &actor,
        )
        .await
        .unwrap();
    store
        .update_need(need, "Onlinedienste", at(12, 10), &actor)
        .await
        .unwrap();
    store
        .add_subgoal(need, "Bezahlen online", None, 1.0, at(12, 11), &actor)
        .await
        .unwrap();
    printed.push((day(12), keep(&store, id).await));

    // Later still, more changes that no past view may show.
    store
        .update_milestone(
            milestones[1],
            1,
            &milestone("Elterngeld online", 20, Status::Cancelled, None),
            at(20, 9),
            &actor,
        )
        .await
        .unwrap();

    for d in 1..=14 {
        let rebuilt = store
            .strategy_as_of(id, end_of(day(d)))
            .await
            .unwrap()
            .unwrap();
        match printed.iter().rev().find(|(on, _)| *on <= day(d)) {
            None => assert!(rebuilt.fields.is_empty(), "before the import, on {d} March"),
            Some((on, tree)) => {
                assert_eq!(&rebuilt, tree, "as of {d} March (last change {on})");
                assert_eq!(
                    document::export(&rebuilt, day(d)),
                    document::export(tree, day(d)),
                );
            }
        }
    }

    // The late report: reached on 3 March, but recorded on 9 March.
    let as_of_5 = store
        .strategy_as_of(id, end_of(day(5)))
        .await
        .unwrap()
        .unwrap();
    let first = &as_of_5.fields[0].needs[0].subgoals[0].milestones[0];
    assert_eq!(first.data.status, Status::InProgress);
    let as_of_9 = store
        .strategy_as_of(id, end_of(day(9)))
        .await
        .unwrap()
        .unwrap();
    let first = &as_of_9.fields[0].needs[0].subgoals[0].milestones[0];
    assert_eq!(first.data.status, Status::Done);
    assert_eq!(
        as_of_9.fields[0].needs[0].subgoals[0].title,
        "Anträge digital"
    );
    assert_eq!(as_of_9.fields[0].needs[0].subgoals[0].weight, 5.0);
    assert_eq!(as_of_9.fields[0].needs[0].subgoals[1].milestones.len(), 0);
    assert_eq!(as_of_9.fields[0].needs.len(), 2);
    assert_eq!(as_of_9.fields[0].builds_on, ["Bürgerportal"]);

    assert_eq!(store.history_start(id).await.unwrap(), Some(at(2, 9)));
    assert_eq!(
        store.strategy_as_of(id + 1, end_of(day(9))).await.unwrap(),
        None
    );
}

/// Today's view and a view as of now agree, for the demo and for the scale data.
#[tokio::test]
async fn as_of_now_is_what_is_shown_today() {
    let now = Utc::now();
    let (_dir, store) = store().await;
    let id = crate::store::demo::install_history(&store, now.date_naive(), now)
        .await
        .unwrap();
    let today = store.strategy(id).await.unwrap().unwrap();
    let rebuilt = store
        .strategy_as_of(id, now + TimeDelta::seconds(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rebuilt, *today);
    // The demo has a past: a month before the plan began nothing, earlier figures between.
    let begun = store.history_start(id).await.unwrap().unwrap();
    let before = store
        .strategy_as_of(id, begun - TimeDelta::days(1))
        .await
        .unwrap()
        .unwrap();
    assert!(before.fields.is_empty());
    let earlier = store
        .strategy_as_of(id, now - TimeDelta::days(150))
        .await
        .unwrap()
        .unwrap();
    let progress = crate::domain::progress::of_strategy;
    assert!(
        progress(&earlier) < progress(&today),
        "{:?} {:?}",
        progress(&earlier),
        progress(&today)
    );

    let (_dir, store) = self::store().await;
    let id = store.install_scale(300, 5, now).await.unwrap();
    let today = store.strategy(id).await.unwrap().unwrap();
    let rebuilt = store
        .strategy_as_of(id, now + TimeDelta::seconds(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rebuilt, *today);
    let year_ago = store
        .strategy_as_of(id, now - TimeDelta::days(365))
        .await
        .unwrap()
        .unwrap();
    let count = |s: &Strategy| {
        s.fields
            .iter()
            .flat_map(|f| &f.needs)
            .flat_map(|n| &n.subgoals)
            .map(|g| g.milestones.len())
            .sum::<usize>()
    };
    assert!(
        count(&year_ago) < count(&today),
        "{} {}",
        count(&year_ago),
        count(&today)
    );
    assert_eq!(
        year_ago.fields.len(),
        5,
        "the structure predates the milestones"
    );
}

/// A database made before structure revisions existed: its structure is backfilled, each node
/// as it is now, recorded when its strategy was imported (or when it was added, by its audit
/// entry), so past views of it show the whole tree.
#[tokio::test]
async fn an_older_database_gets_the_history_of_its_structure() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let url = format!("sqlite:{}?mode=rwc", path.display());
    {
        use sqlx::ConnectOptions;
        let mut conn = url
            .parse::<sqlx::sqlite::SqliteConnectOptions>()
            .unwrap()
            .connect()
            .await
            .unwrap();
        // The schema as the release before structure revisions left it.
        crate::store::SQLITE_MIGRATIONS
            .run_to(20261127300000, &mut conn)
            .await
            .unwrap();
        for sql in [
            "INSERT INTO strategies (id, title, created_at) VALUES (1, 'Alt', '2025-01-10T08:00:00+00:00')",
            "INSERT INTO fields (id, strategy_id, position, title, goal) VALUES (1, 1, 0, 'Feld', 'Ziel')",
            "INSERT INTO needs (id, field_id, position, title) VALUES (1, 1, 0, 'Bedarf A')",
            "INSERT INTO needs (id, field_id, position, title) VALUES (2, 1, 1, 'Bedarf B')",
            "INSERT INTO subgoals (id, need_id, position, title, owner, weight) VALUES (1, 1, 0, 'Teilziel', 'Amt', 2)",
            "INSERT INTO milestones (id, subgoal_id, position, title, due, status, example, version)
             VALUES (1, 1, 0, 'Meilenstein', '2025-06-30', 'planned', 1, 1)",
            "INSERT INTO milestone_revisions (milestone_id, subgoal_id, version, recorded_at, change,
               title, due, status, weight)
             VALUES (1, 1, 1, '2025-01-10T08:00:00+00:00', 'created', 'Meilenstein', '2025-06-30', 'planned', 1)",
            "INSERT INTO audit_log (at, actor, action, object_type, object_id, details, prev_hash, hash)
             VALUES ('2025-04-01T10:00:00Z', 'cdo', 'need.created', 'need', '2', '{}', '', 'x')",
        ] {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
    }
    let store = Store::open(&url).await.unwrap();
    let today = store.strategy(1).await.unwrap().unwrap();
    let now = store.strategy_as_of(1, Utc::now()).await.unwrap().unwrap();
    assert_eq!(now, *today);
    assert!(now.fields[0].needs[0].subgoals[0].milestones[0].example);
    let moment = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().to_utc();
    let march = store
        .strategy_as_of(1, moment("2025-03-01T00:00:00Z"))
        .await
        .unwrap()
        .unwrap();
    let needs: Vec<&str> = march.fields[0]
        .needs
        .iter()
        .map(|n| n.title.as_str())
        .collect();
    assert_eq!(needs, ["Bedarf A"], "need B was added on 1 April");
    let before = store
        .strategy_as_of(1, moment("2025-01-10T07:59:59Z"))
        .await
        .unwrap()
        .unwrap();
    assert!(before.fields.is_empty());
}
