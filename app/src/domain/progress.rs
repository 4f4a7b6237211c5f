//! Progress, 0–100, rolled up the strategy tree. `None` means "no plan yet": nothing below is
//! planned, which is shown as such and never as 0 %.
//!
//! - sub-goal: Σ weight of done milestones / Σ weight of milestones not cancelled × 100, or,
//!   where the sub-goal chose one, its indicator's progress (see `domain::indicator`);
//! - need: the mean of its sub-goals' progress, weighted by sub-goal weight;
//! - field: the plain mean of its needs; strategy: the plain mean of its fields;
//!
//! each over the children whose progress is defined.

use super::{Field, Milestone, Need, Status, Strategy, SubGoal};

/// Percent done, or `None` when there is no plan yet.
pub type Progress = Option<f64>;

pub fn of_milestones<'a>(milestones: impl IntoIterator<Item = &'a Milestone>) -> Progress {
    let (done, planned) = milestones
        .into_iter()
        .map(|m| &m.data)
        .filter(|m| m.status != Status::Cancelled)
        .fold((0.0, 0.0), |(done, planned), m| {
            let reached = if m.status == Status::Done {
                m.weight
            } else {
                0.0
            };
            (done + reached, planned + m.weight)
        });
    (planned > 0.0).then(|| clamp(done / planned * 100.0))
}

pub fn of_subgoal(subgoal: &SubGoal) -> Progress {
    match subgoal.measuring_indicator() {
        Some(indicator) => Some(indicator.progress()),
        None => of_milestones(subgoal.milestones.iter()),
    }
}

pub fn of_need(need: &Need) -> Progress {
    weighted_mean(need.subgoals.iter().map(|s| (of_subgoal(s), s.weight)))
}

pub fn of_field(field: &Field) -> Progress {
    weighted_mean(field.needs.iter().map(|n| (of_need(n), 1.0)))
}

pub fn of_strategy(strategy: &Strategy) -> Progress {
    weighted_mean(strategy.fields.iter().map(|f| (of_field(f), 1.0)))
}

/// The weighted mean of the defined values; `None` when none is defined.
pub fn weighted_mean(values: impl IntoIterator<Item = (Progress, f64)>) -> Progress {
    let (sum, weights) = values
        .into_iter()
        .filter_map(|(value, weight)| value.map(|v| (v, weight)))
        .fold((0.0, 0.0), |(sum, weights), (v, w)| {
            (sum + v * w, weights + w)
        });
    (weights > 0.0).then(|| clamp(sum / weights))
}

/// The whole percent shown to people. Rounded, except that anything short of complete never
/// reads as 100 % and anything started never reads as 0 %.
pub fn whole_percent(progress: f64) -> u32 {
    let rounded = progress.round();
    if rounded >= 100.0 && progress < 100.0 {
        99
    } else if rounded <= 0.0 && progress > 0.0 {
        1
    } else {
        rounded as u32
    }
}

/// Rounding errors of the means must not leave the 0–100 range.
fn clamp(value: f64) -> f64 {
    value.clamp(0.0, 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MilestoneData;
    use chrono::NaiveDate;

    fn milestone(status: Status, weight: f64) -> Milestone {
        Milestone {
            id: 0,
            version: 1,
            example: false,
            data: MilestoneData {
                title: "m".into(),
                due: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
                status,
                done_on: (status == Status::Done)
                    .then(|| NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()),
                weight,
                note: None,
            },
        }
    }

    fn subgoal(weight: f64, milestones: Vec<Milestone>) -> SubGoal {
        SubGoal {
            archived: false,
            id: 0,
            title: "s".into(),
            owner: None,
            weight,
            indicators: Vec::new(),
            milestones: milestones.into(),
        }
    }

    fn need(subgoals: Vec<SubGoal>) -> Need {
        Need {
            archived: false,
            id: 0,
            title: "n".into(),
            subgoals,
        }
    }

    fn field(needs: Vec<Need>) -> Field {
        Field {
            archived: false,
            id: 0,
            title: "f".into(),
            goal: None,
            builds_on: vec![],
            needs,
        }
    }

    use Status::*;

    #[test]
    fn subgoal_progress_is_the_done_share_of_planned_weight() {
        let s = subgoal(
            1.0,
            vec![
                milestone(Done, 1.0),
                milestone(Planned, 1.0),
                milestone(InProgress, 2.0),
            ],
        );
        assert_eq!(of_subgoal(&s), Some(25.0));
    }

    #[test]
    fn weights_count_not_the_number_of_milestones() {
        let s = subgoal(1.0, vec![milestone(Done, 3.0), milestone(Planned, 1.0)]);
        assert_eq!(of_subgoal(&s), Some(75.0));
    }

    #[test]
    fn cancelled_milestones_leave_the_plan() {
        let s = subgoal(1.0, vec![milestone(Done, 1.0), milestone(Cancelled, 5.0)]);
        assert_eq!(of_subgoal(&s), Some(100.0));
    }

    #[test]
    fn without_a_milestone_that_is_not_cancelled_there_is_no_plan() {
        assert_eq!(of_subgoal(&subgoal(1.0, vec![])), None);
        assert_eq!(
            of_subgoal(&subgoal(1.0, vec![milestone(Cancelled, 1.0)])),
            None
        );
    }

    #[test]
    fn need_is_weighted_by_subgoal_weight_over_defined_subgoals() {
        let n = need(vec![
            subgoal(3.0, vec![milestone(Done, 1.0)]),
            subgoal(1.0, vec![milestone(Planned, 1.0)]),
            subgoal(100.0, vec![]),
        ]);
        assert_eq!(of_need(&n), Some(75.0));
    }

    #[test]
    fn field_and_strategy_are_plain_means_over_defined_children() {
        let f = field(vec![
            need(vec![subgoal(5.0, vec![milestone(Done, 1.0)])]),
            need(vec![subgoal(
                1.0,
                vec![milestone(Planned, 1.0), milestone(Done, 1.0)],
            )]),
            need(vec![subgoal(1.0, vec![])]),
        ]);
        assert_eq!(of_field(&f), Some(75.0));
        let strategy = Strategy {
            about: Default::default(),
            id: 0,
            title: "s".into(),
            fields: vec![
                f,
                field(vec![need(vec![subgoal(
                    1.0,
                    vec![milestone(Planned, 1.0)],
                )])]),
                field(vec![]),
            ],
        };
        assert_eq!(of_strategy(&strategy), Some(37.5));
    }

    #[test]
    fn undefined_everywhere_stays_undefined() {
        let f = field(vec![need(vec![subgoal(1.0, vec![])]), need(vec![])]);
        assert_eq!(of_field(&f), None);
        let strategy = Strategy {
            about: Default::default(),
            id: 0,
            title: "s".into(),
            fields: vec![f],
        };
        assert_eq!(of_strategy(&strategy), None);
    }

    #[test]
    fn shown_percent_never_claims_complete_or_untouched_wrongly() {
        assert_eq!(whole_percent(66.666), 67);
        assert_eq!(whole_percent(99.6), 99);
        assert_eq!(whole_percent(100.0), 100);
        assert_eq!(whole_percent(0.2), 1);
        assert_eq!(whole_percent(0.0), 0);
        assert_eq!(whole_percent(12.5), 13);
    }
}
