//! Whether work is on schedule. A milestone is overdue when its due date is before today and it
//! is neither done nor cancelled; a sub-goal or need shows the worst state below it.

use super::{MilestoneData, Status, SubGoal};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Open milestones due within this many days are flagged before they are late.
pub const DUE_SOON_DAYS: i64 = 14;

/// Ordered from best to worst, so the worst of several is their maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleState {
    Cancelled,
    Done,
    OnTrack,
    /// No milestone that is not cancelled: nothing to be on schedule with.
    NoPlan,
    DueSoon,
    Overdue,
}

impl ScheduleState {
    pub fn as_str(self) -> &'static str {
        match self {
            ScheduleState::Cancelled => "cancelled",
            ScheduleState::Done => "done",
            ScheduleState::OnTrack => "on_track",
            ScheduleState::NoPlan => "no_plan",
            ScheduleState::DueSoon => "due_soon",
            ScheduleState::Overdue => "overdue",
        }
    }
}

pub fn is_overdue(milestone: &MilestoneData, today: NaiveDate) -> bool {
    milestone.status.is_open() && milestone.due < today
}

pub fn of_milestone(milestone: &MilestoneData, today: NaiveDate) -> ScheduleState {
    match milestone.status {
        Status::Done => ScheduleState::Done,
        Status::Cancelled => ScheduleState::Cancelled,
        Status::Planned | Status::InProgress => {
            let days_left = (milestone.due - today).num_days();
            if days_left < 0 {
                ScheduleState::Overdue
            } else if days_left <= DUE_SOON_DAYS {
                ScheduleState::DueSoon
            } else {
                ScheduleState::OnTrack
            }
        }
    }
}

/// The worst state of a sub-goal's milestones, cancelled ones left out.
pub fn of_subgoal(subgoal: &SubGoal, today: NaiveDate) -> ScheduleState {
    subgoal
        .milestones
        .iter()
        .map(|m| of_milestone(&m.data, today))
        .filter(|s| *s != ScheduleState::Cancelled)
        .max()
        .unwrap_or(ScheduleState::NoPlan)
}

/// The worst of several states; `NoPlan` when there are none.
pub fn worst(states: impl IntoIterator<Item = ScheduleState>) -> ScheduleState {
    states.into_iter().max().unwrap_or(ScheduleState::NoPlan)
}

/// How many milestones are reached, open (planned or in progress) and, of the open ones,
/// overdue. Cancelled milestones count nowhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub done: u32,
    pub open: u32,
    pub overdue: u32,
}

impl Counts {
    pub fn of<'a>(
        milestones: impl IntoIterator<Item = &'a MilestoneData>,
        today: NaiveDate,
    ) -> Self {
        milestones
            .into_iter()
            .fold(Counts::default(), |mut counts, m| {
                if m.status == Status::Done {
                    counts.done += 1;
                } else if m.status.is_open() {
                    counts.open += 1;
                    if is_overdue(m, today) {
                        counts.overdue += 1;
                    }
                }
                counts
            })
    }
}

/// How a need's work stands: its milestones by state (cancelled ones left out), and its
/// sub-goals that have no plan yet (no milestone that is not cancelled).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    pub done: u32,
    pub on_track: u32,
    pub due_soon: u32,
    pub overdue: u32,
    pub subgoals_without_plan: u32,
}

impl Distribution {
    pub fn of(need: &super::Need, today: NaiveDate) -> Self {
        let mut d = Distribution::default();
        for subgoal in &need.subgoals {
            if of_subgoal(subgoal, today) == ScheduleState::NoPlan {
                d.subgoals_without_plan += 1;
            }
            for m in subgoal.milestones.iter() {
                match of_milestone(&m.data, today) {
                    ScheduleState::Done => d.done += 1,
                    ScheduleState::OnTrack => d.on_track += 1,
                    ScheduleState::DueSoon => d.due_soon += 1,
                    ScheduleState::Overdue => d.overdue += 1,
                    ScheduleState::Cancelled | ScheduleState::NoPlan => {}
                }
            }
        }
        d
    }

    /// Milestones counted (cancelled ones are not).
    pub fn milestones(&self) -> u32 {
        self.done + self.on_track + self.due_soon + self.overdue
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Milestone;

    #[test]
    fn a_distribution_counts_milestones_by_state_and_sub_goals_without_plan() {
        let milestone = |status, due| Milestone {
            id: 0,
            version: 1,
            example: false,
            data: MilestoneData {
                done_on: (status == Status::Done).then_some(day(1)),
                ..data(status, due)
            },
        };
        let subgoal = |milestones: Vec<Milestone>| SubGoal {
            archived: false,
            id: 0,
            title: "s".into(),
            owner: None,
            weight: 1.0,
            indicators: Vec::new(),
            milestones: milestones.into(),
        };
        let need = super::super::Need {
            archived: false,
            id: 1,
            title: "n".into(),
            subgoals: vec![
                subgoal(vec![
                    milestone(Status::Done, day(2)),
                    milestone(Status::Planned, day(1)),
                    milestone(Status::InProgress, day(20)),
                    milestone(Status::Planned, day(30)),
                    milestone(Status::Cancelled, day(30)),
                ]),
                subgoal(vec![milestone(Status::Cancelled, day(3))]),
                subgoal(vec![]),
            ],
        };
        let d = Distribution::of(&need, day(10));
        assert_eq!(
            d,
            Distribution {
                done: 1,
                on_track: 1,
                due_soon: 1,
                overdue: 1,
                subgoals_without_plan: 2,
            }
        );
        assert_eq!(d.milestones(), 4);
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, d).unwrap()
    }

    fn data(status: Status, due: NaiveDate) -> MilestoneData {
        MilestoneData {
            title: "m".into(),
            due,
            status,
            done_on: (status == Status::Done).then(|| day(1)),
            weight: 1.0,
            note: None,
        }
    }

    #[test]
    fn overdue_is_open_and_due_before_today() {
        let today = day(15);
        assert!(is_overdue(&data(Status::Planned, day(14)), today));
        assert!(is_overdue(&data(Status::InProgress, day(1)), today));
        assert!(!is_overdue(&data(Status::Planned, day(15)), today));
        assert!(!is_overdue(&data(Status::Done, day(1)), today));
        assert!(!is_overdue(&data(Status::Cancelled, day(1)), today));
    }

    #[test]
    fn open_milestones_are_due_soon_within_fourteen_days() {
        let today = day(1);
        assert_eq!(
            of_milestone(&data(Status::Planned, day(1)), today),
            ScheduleState::DueSoon
        );
        assert_eq!(
            of_milestone(&data(Status::Planned, day(15)), today),
            ScheduleState::DueSoon
        );
        assert_eq!(
            of_milestone(&data(Status::Planned, day(16)), today),
            ScheduleState::OnTrack
        );
        assert_eq!(
            of_milestone(&data(Status::Done, day(30)), today),
            ScheduleState::Done
        );
        assert_eq!(
            of_milestone(&data(Status::Cancelled, day(30)), today),
            ScheduleState::Cancelled
        );
    }

    #[test]
    fn a_subgoal_shows_its_worst_milestone_ignoring_cancelled() {
        let today = day(10);
        let milestone = |status, due| Milestone {
            id: 0,
            version: 1,
            example: false,
            data: data(status, due),
        };
        let mut subgoal = SubGoal {
            archived: false,
            id: 0,
            title: "s".into(),
            owner: None,
            weight: 1.0,
            indicators: Vec::new(),
            milestones: vec![
                milestone(Status::Done, day(1)),
                milestone(Status::Cancelled, day(1)),
            ]
            .into(),
        };
        assert_eq!(of_subgoal(&subgoal, today), ScheduleState::Done);
        std::sync::Arc::make_mut(&mut subgoal.milestones).push(milestone(Status::Planned, day(30)));
        assert_eq!(of_subgoal(&subgoal, today), ScheduleState::OnTrack);
        std::sync::Arc::make_mut(&mut subgoal.milestones).push(milestone(Status::Planned, day(20)));
        assert_eq!(of_subgoal(&subgoal, today), ScheduleState::DueSoon);
        std::sync::Arc::make_mut(&mut subgoal.milestones)
            .push(milestone(Status::InProgress, day(9)));
        assert_eq!(of_subgoal(&subgoal, today), ScheduleState::Overdue);
        std::sync::Arc::make_mut(&mut subgoal.milestones)
            .retain(|m| m.data.status == Status::Cancelled);
        assert_eq!(of_subgoal(&subgoal, today), ScheduleState::NoPlan);
    }

    #[test]
    fn counts_split_done_open_and_overdue_and_skip_cancelled() {
        let today = day(15);
        let all = [
            data(Status::Done, day(1)),
            data(Status::Planned, day(1)),
            data(Status::InProgress, day(20)),
            data(Status::Cancelled, day(1)),
        ];
        assert_eq!(
            Counts::of(&all, today),
            Counts {
                done: 1,
                open: 2,
                overdue: 1
            }
        );
    }

    #[test]
    fn worst_orders_overdue_over_due_soon_over_no_plan_over_on_track_over_done() {
        use ScheduleState::*;
        assert_eq!(worst([Done, OnTrack]), OnTrack);
        assert_eq!(worst([OnTrack, NoPlan]), NoPlan);
        assert_eq!(worst([NoPlan, DueSoon]), DueSoon);
        assert_eq!(worst([DueSoon, Overdue, Done]), Overdue);
        assert_eq!(worst([]), NoPlan);
    }
}
