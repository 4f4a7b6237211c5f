//! Properties of the domain rules over generated strategies (proptest): progress stays within
//! 0–100 or is undefined, never falls when a milestone is reached, and does not depend on the
//! order of milestones; the shown percent never lies about "done"; the document parser refuses
//! or accepts any text without panicking, and what it accepts it exports back unchanged.

use super::{
    Field, Milestone, MilestoneData, Need, ScheduleState, Status, Strategy as Plan, SubGoal,
    document, progress, schedule,
};
use chrono::{Days, NaiveDate};
use proptest::{prelude::*, strategy::Strategy};

fn day(offset: u16) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Days::new(offset.into())
}

fn status() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}

fn milestone() -> impl Strategy<Value = Milestone> {
    (
        status(),
        0u16..2_000,
        0u16..2_000,
        1u32..=4_000,
        "[A-Za-zÄÖÜäöüß 0-9]{1,40}",
    )
        .prop_map(|(status, due, done, quarter_weight, title)| Milestone {
            id: 0,
            // Not stored yet, as a parsed document gives it.
            version: 0,
            example: false,
            data: MilestoneData {
                title: title
                    .trim()
                    .chars()
                    .next()
                    .map_or("M".to_owned(), |_| title.trim().to_owned()),
                due: day(due),
                status,
                done_on: (status == Status::Done).then(|| day(done)),
                // Weights as forms allow them: > 0 and ≤ 1000, in quarters.
                weight: f64::from(quarter_weight) / 4.0,
                note: None,
            },
        })
}

fn subgoal() -> impl Strategy<Value = SubGoal> {
    (prop::collection::vec(milestone(), 0..12), 1u32..=40).prop_map(|(milestones, w)| SubGoal {
        archived: false,
        id: 0,
        title: "Teilziel".to_owned(),
        owner: None,
        weight: f64::from(w) / 4.0,
        indicators: Vec::new(),
        milestones: milestones.into(),
    })
}

fn strategy() -> impl Strategy<Value = Plan> {
    let need = prop::collection::vec(subgoal(), 0..5).prop_map(|subgoals| Need {
        archived: false,
        id: 0,
        title: "Bedarf".to_owned(),
        subgoals,
    });
    let field = prop::collection::vec(need, 0..4).prop_map(|needs| Field {
        archived: false,
        id: 0,
        title: "Feld".to_owned(),
        goal: None,
        builds_on: Vec::new(),
        needs,
    });
    prop::collection::vec(field, 0..3).prop_map(|fields| Plan {
        about: Default::default(),
        id: 0,
        title: "Strategie".to_owned(),
        fields,
    })
}

fn within_range(p: progress::Progress) -> bool {
    p.is_none_or(|p| (0.0..=100.0).contains(&p))
}

fn close(a: progress::Progress, b: progress::Progress) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn progress_is_within_0_and_100_or_undefined_at_every_level(s in strategy()) {
        prop_assert!(within_range(progress::of_strategy(&s)));
        for field in &s.fields {
            prop_assert!(within_range(progress::of_field(field)));
            for need in &field.needs {
                prop_assert!(within_range(progress::of_need(need)));
                for subgoal in &need.subgoals {
                    let p = progress::of_subgoal(subgoal);
                    prop_assert!(within_range(p));
                    let planned = subgoal.milestones.iter().any(|m| m.data.status != Status::Cancelled);
                    prop_assert_eq!(p.is_some(), planned, "undefined exactly when nothing is planned");
                }
            }
        }
    }

    #[test]
    fn reaching_a_milestone_never_lowers_progress(s in strategy(), pick in any::<prop::sample::Index>()) {
        let open: Vec<(usize, usize, usize, usize)> = s.fields.iter().enumerate().flat_map(|(f, field)| {
            field.needs.iter().enumerate().flat_map(move |(n, need)| {
                need.subgoals.iter().enumerate().flat_map(move |(g, subgoal)| {
                    subgoal.milestones.iter().enumerate()
                        .filter(|(_, m)| matches!(m.data.status, Status::Planned | Status::InProgress))
                        .map(move |(m, _)| (f, n, g, m))
                })
            })
        }).collect();
        prop_assume!(!open.is_empty());
        let (f, n, g, m) = open[pick.index(open.len())];
        let mut after = s.clone();
        let milestone =
            &mut std::sync::Arc::make_mut(&mut after.fields[f].needs[n].subgoals[g].milestones)[m]
                .data;
        milestone.status = Status::Done;
        milestone.done_on = Some(milestone.due);
        let before_sub = progress::of_subgoal(&s.fields[f].needs[n].subgoals[g]).unwrap();
        let after_sub = progress::of_subgoal(&after.fields[f].needs[n].subgoals[g]).unwrap();
        prop_assert!(after_sub > before_sub - 1e-9);
        let (b, a) = (progress::of_need(&s.fields[f].needs[n]), progress::of_need(&after.fields[f].needs[n]));
        prop_assert!(a.unwrap() >= b.unwrap() - 1e-9);
        let (b, a) = (progress::of_strategy(&s), progress::of_strategy(&after));
        prop_assert!(a.unwrap() >= b.unwrap() - 1e-9);
    }

    #[test]
    fn progress_and_state_do_not_depend_on_the_order_of_milestones(
        subgoal in subgoal(),
        seed in any::<u64>(),
        today in 0u16..2_000,
    ) {
        let mut shuffled = subgoal.clone();
        // A permutation from the seed (Fisher–Yates with a simple generator).
        let mut x = seed | 1;
        for i in (1..shuffled.milestones.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            std::sync::Arc::make_mut(&mut shuffled.milestones).swap(i, (x % (i as u64 + 1)) as usize);
        }
        prop_assert!(close(progress::of_subgoal(&subgoal), progress::of_subgoal(&shuffled)));
        prop_assert_eq!(
            schedule::of_subgoal(&subgoal, day(today)),
            schedule::of_subgoal(&shuffled, day(today))
        );
    }

    #[test]
    fn the_shown_percent_never_claims_done_or_nothing_wrongly(p in 0.0f64..=100.0) {
        let shown = progress::whole_percent(p);
        prop_assert!(shown <= 100);
        prop_assert!(p >= 100.0 || shown <= 99);
        prop_assert!(p <= 0.0 || shown >= 1);
        prop_assert!((f64::from(shown) - p).abs() <= 1.0);
    }

    #[test]
    fn the_worst_state_is_one_of_the_states_and_order_free(states in prop::collection::vec(
        prop::sample::select(vec![
            ScheduleState::Done, ScheduleState::OnTrack, ScheduleState::DueSoon,
            ScheduleState::Overdue, ScheduleState::NoPlan,
        ]), 1..10)
    ) {
        let worst = schedule::worst(states.clone());
        let mut reversed = states.clone();
        reversed.reverse();
        prop_assert_eq!(worst, schedule::worst(reversed));
        prop_assert!(states.contains(&worst));
    }

    #[test]
    fn the_document_parser_never_panics_on_any_text(text in "\\PC{0,400}") {
        let _ = document::parse(&text);
    }

    #[test]
    fn the_document_parser_never_panics_on_documents_with_odd_values(
        title in prop::option::of("\\PC{0,30}"),
        due in "\\PC{0,12}",
        status in "\\PC{0,12}",
        weight in prop::num::f64::ANY,
    ) {
        let doc = serde_json::json!({"format": "meilenstein/1", "strategy": {
            "title": title, "fields": [{"title": "F", "needs": [{"title": "N", "subgoals": [
                {"title": "S", "weight": weight, "milestones": [
                    {"title": "M", "due": due, "status": status, "weight": weight}]}]}]}]}});
        let _ = document::parse(&doc.to_string());
    }

    #[test]
    fn an_exported_strategy_imports_unchanged(s in strategy()) {
        let today = day(1_000);
        let json = document::export(&s, today).to_string();
        let parsed = document::parse(&json);
        prop_assert!(parsed.is_ok(), "{:?}", parsed.err());
        prop_assert_eq!(parsed.unwrap(), s);
    }
}

/// Inputs the fuzzer (`scripts/fuzz.sh`) found or that were written against the parser: each
/// is refused with errors or accepted and exported back unchanged, and none panics.
#[test]
fn fuzz_regressions_are_refused_or_round_trip() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/regressions/document");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("the regression folder") {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        seen += 1;
        match document::parse(text) {
            Ok(strategy) => {
                let again = document::parse(&document::export(&strategy, day(1_000)).to_string());
                assert_eq!(again.as_ref().ok(), Some(&strategy), "{}", path.display());
            }
            Err(errors) => assert!(!errors.to_string().is_empty(), "{}", path.display()),
        }
    }
    assert!(seen >= 6, "the regression inputs are there");
}

proptest! {
    /// The reporting rhythm: a report made today ends any lateness, a late one is
    /// late since a deadline that has passed, and the period asked for is never after the next.
    #[test]
    fn reporting_today_never_makes_a_sub_goal_later(
        rhythm in prop::sample::select(super::rhythm::Rhythm::ALL.to_vec()),
        grace in 0u32..40,
        since in 0u16..800,
        reports in prop::collection::vec(0u16..1_500, 0..12),
        today in 0u16..1_500,
    ) {
        use super::rhythm::standing;
        let (since, today) = (day(since), day(today));
        let reports: Vec<NaiveDate> = reports.into_iter().map(day).filter(|d| *d <= today).collect();
        let before = standing(rhythm, grace, since, &reports, today);
        let mut more = reports.clone();
        more.push(today);
        let after = standing(rhythm, grace, since, &more, today);
        prop_assert!(after.days_late <= before.days_late, "{before:?} then {after:?}");
        prop_assert!(!after.is_late(), "a report today ends the lateness: {after:?}");
        prop_assert!(before.days_late == 0 || before.due.deadline < today);
        prop_assert!(before.due.start <= today + Days::new(200), "{before:?}");
    }
}
