//! Plan and forecast of a need: what each milestone is worth, when it was planned, how far it
//! slipped, and when the need would be done at the pace of the last 90 days.
//!
//! - A milestone's **share** is what reaching it adds to its need's progress, in percentage
//!   points: its sub-goal's weight among the need's planned sub-goals × its weight among the
//!   sub-goal's milestones not cancelled × 100. The shares of a need add up to 100, and its
//!   progress is the sum of the shares reached (see `progress`).
//! - The **planned date** of a milestone is its due date in the need's latest baseline; a
//!   milestone not in any baseline (recorded after it, or before the first) is planned for the
//!   due date it was first recorded with. **Slip** = due date now − planned date, in days.
//! - **Pace** = shares reached (by `done_on`) in the 90 days up to today ÷ 90, in points per day.
//!   **Forecast** = today + what is left ÷ pace. With fewer than [`MIN_REACHED`] milestones
//!   reached in that window there is not enough data for a pace.

use super::{Need, Status, progress};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The days over which the pace is measured.
pub const PACE_WINDOW_DAYS: u64 = 90;
/// A pace needs at least this many milestones reached in its window.
pub const MIN_REACHED: usize = 2;

/// A baseline as the need page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Baseline {
    /// 1 for a need's first baseline, 2 for the next …
    pub number: i64,
    pub recorded_at: DateTime<Utc>,
    /// Who fixed it.
    pub actor: String,
    pub reason: String,
    /// How many milestones it holds.
    pub milestones: i64,
}

/// One milestone of a need, as the plan sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Share {
    pub milestone_id: i64,
    /// Percentage points of the need's progress.
    pub points: f64,
    pub due: NaiveDate,
    pub planned: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

/// The shares of a need's milestones that count (not cancelled, in a sub-goal with a plan).
/// `planned` gives the planned date of a milestone by id; a milestone missing there is planned
/// for its current due date.
pub fn shares(need: &Need, planned: &HashMap<i64, NaiveDate>) -> Vec<Share> {
    let counted = |s: &&super::SubGoal| progress::of_subgoal(s).is_some();
    let total_weight: f64 = need.subgoals.iter().filter(counted).map(|s| s.weight).sum();
    if total_weight <= 0.0 {
        return Vec::new();
    }
    let mut shares = Vec::new();
    for subgoal in need.subgoals.iter().filter(counted) {
        let open: Vec<_> = subgoal
            .milestones
            .iter()
            .filter(|m| m.data.status != Status::Cancelled)
            .collect();
        let weights: f64 = open.iter().map(|m| m.data.weight).sum();
        for m in open {
            shares.push(Share {
                milestone_id: m.id,
                points: subgoal.weight / total_weight * m.data.weight / weights * 100.0,
                due: m.data.due,
                planned: planned.get(&m.id).copied().unwrap_or(m.data.due),
                done_on: (m.data.status == Status::Done)
                    .then_some(m.data.done_on)
                    .flatten(),
            });
        }
    }
    shares
}

/// Days a due date moved after it was planned: positive when later, negative when earlier.
pub fn slip_days(due: NaiveDate, planned: NaiveDate) -> i64 {
    (due - planned).num_days()
}

/// When the plan says the need is done: the latest planned date of its milestones.
pub fn planned_finish(shares: &[Share]) -> Option<NaiveDate> {
    shares.iter().map(|s| s.planned).max()
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Forecast {
    /// Nothing planned yet.
    NoPlan,
    /// Every milestone that counts is reached; the day the last one was.
    Finished { on: NaiveDate },
    /// Fewer than [`MIN_REACHED`] milestones reached in the last 90 days.
    NotEnoughData,
    /// At the pace of the last 90 days (points per day), done on `finish`.
    AtPace { finish: NaiveDate, per_day: f64 },
}

/// The forecast for a need with these shares, as of `today`.
pub fn forecast(shares: &[Share], today: NaiveDate) -> Forecast {
    if shares.is_empty() {
        return Forecast::NoPlan;
    }
    // Reached on or before `today` (a reach dated later is not counted yet).
    let reached = |s: &&Share| s.done_on.is_some_and(|d| d <= today);
    if shares.iter().all(|s| s.done_on.is_some()) {
        let on = shares.iter().filter_map(|s| s.done_on).max();
        return on.map_or(Forecast::NoPlan, |on| Forecast::Finished { on });
    }
    let window_start = today - Days::new(PACE_WINDOW_DAYS);
    let recent: Vec<&Share> = shares
        .iter()
        .filter(reached)
        .filter(|s| s.done_on.is_some_and(|d| d > window_start))
        .collect();
    if recent.len() < MIN_REACHED {
        return Forecast::NotEnoughData;
    }
    let per_day = recent.iter().map(|s| s.points).sum::<f64>() / PACE_WINDOW_DAYS as f64;
    let done: f64 = shares.iter().filter(reached).map(|s| s.points).sum();
    let left = (100.0 - done).max(0.0);
    // At most a thousand years ahead: beyond that the date says nothing more.
    let days = (left / per_day).ceil().min(365_000.0) as u64;
    match today.checked_add_days(Days::new(days)) {
        Some(finish) => Forecast::AtPace { finish, per_day },
        None => Forecast::NotEnoughData,
    }
}

/// One point of a burn-up: cumulative percentage points of the need planned, and reached, by
/// the end of `day` (reached only up to today).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BurnUpPoint {
    pub day: NaiveDate,
    pub planned: f64,
    pub reached: Option<f64>,
}

/// At most this many month ends in a burn-up (20 years).
const MAX_MONTHS: usize = 240;

/// The burn-up of a need: each month end from the month of its first planned or reached date
/// to the month of the later of its planned finish and `today`, with `today` itself.
pub fn burn_up(shares: &[Share], today: NaiveDate) -> Vec<BurnUpPoint> {
    let dates = shares
        .iter()
        .flat_map(|s| [Some(s.planned), s.done_on])
        .flatten();
    let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else {
        return Vec::new();
    };
    let (first, last) = (first.min(today), last.max(today));
    let point = |day: NaiveDate| BurnUpPoint {
        day,
        planned: sum(shares.iter().filter(|s| s.planned <= day)),
        reached: (day <= today).then(|| {
            sum(shares
                .iter()
                .filter(|s| s.done_on.is_some_and(|d| d <= day)))
        }),
    };
    let mut points = Vec::new();
    let mut month = first.with_day(1).unwrap_or(first);
    while month <= last && points.len() < MAX_MONTHS {
        let next = month.checked_add_months(chrono::Months::new(1));
        let end = next.map_or(month, |n| n - Days::new(1));
        if end > today && points.last().is_none_or(|p: &BurnUpPoint| p.day < today) {
            points.push(point(today));
        }
        if end != today {
            points.push(point(end));
        }
        match next {
            Some(next) => month = next,
            None => break,
        }
    }
    if points.last().is_none_or(|p| p.day < today) {
        points.push(point(today));
    }
    points
}

fn sum<'a>(shares: impl Iterator<Item = &'a Share>) -> f64 {
    shares.map(|s| s.points).sum::<f64>().clamp(0.0, 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Milestone, MilestoneData, SubGoal};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn milestone(id: i64, due: NaiveDate, done_on: Option<NaiveDate>) -> Milestone {
        Milestone {
            id,
            version: 1,
            example: false,
            data: MilestoneData {
                title: format!("m{id}"),
                due,
                status: if done_on.is_some() {
                    Status::Done
                } else {
                    Status::Planned
                },
                done_on,
                weight: 1.0,
                note: None,
            },
        }
    }

    fn need(subgoals: Vec<(f64, Vec<Milestone>)>) -> Need {
        Need {
            archived: false,
            id: 1,
            title: "n".into(),
            subgoals: subgoals
                .into_iter()
                .enumerate()
                .map(|(i, (weight, milestones))| SubGoal {
                    archived: false,
                    id: i as i64,
                    title: "s".into(),
                    owner: None,
                    weight,
                    indicators: Vec::new(),
                    milestones: milestones.into(),
                })
                .collect(),
        }
    }

    #[test]
    fn shares_add_up_to_the_need_and_its_progress() {
        let mut cancelled = milestone(4, day(2026, 5, 1), None);
        cancelled.data.status = Status::Cancelled;
        let n = need(vec![
            (
                3.0,
                vec![
                    milestone(1, day(2026, 1, 1), Some(day(2026, 1, 2))),
                    milestone(2, day(2026, 2, 1), None),
                    cancelled,
                ],
            ),
            (1.0, vec![milestone(3, day(2026, 3, 1), None)]),
            (5.0, vec![]),
        ]);
        let s = shares(&n, &HashMap::new());
        assert_eq!(s.len(), 3, "the cancelled one does not count");
        assert!((s.iter().map(|s| s.points).sum::<f64>() - 100.0).abs() < 1e-9);
        let reached: f64 = s
            .iter()
            .filter(|s| s.done_on.is_some())
            .map(|s| s.points)
            .sum();
        assert!((reached - progress::of_need(&n).unwrap()).abs() < 1e-9);
        assert_eq!(s[0].points, 37.5);
    }

    #[test]
    fn the_planned_date_comes_from_the_baseline_and_slip_is_counted_in_days() {
        let n = need(vec![(
            1.0,
            vec![
                milestone(1, day(2026, 3, 15), None),
                milestone(2, day(2026, 4, 1), None),
            ],
        )]);
        let s = shares(&n, &HashMap::from([(1, day(2026, 3, 1))]));
        assert_eq!(s[0].planned, day(2026, 3, 1));
        assert_eq!(slip_days(s[0].due, s[0].planned), 14);
        assert_eq!(
            s[1].planned,
            day(2026, 4, 1),
            "not in the baseline: its own date"
        );
        assert_eq!(slip_days(day(2026, 2, 20), day(2026, 3, 1)), -9);
        assert_eq!(planned_finish(&s), Some(day(2026, 4, 1)));
    }

    #[test]
    fn no_data_gives_no_forecast() {
        let today = day(2026, 11, 27);
        assert_eq!(forecast(&[], today), Forecast::NoPlan);
        // Nothing reached at all.
        let n = need(vec![(
            1.0,
            (1..=4)
                .map(|i| milestone(i, day(2027, 1, 1), None))
                .collect(),
        )]);
        let s = shares(&n, &HashMap::new());
        assert_eq!(forecast(&s, today), Forecast::NotEnoughData);
        // One reached recently, one long ago: still not a pace.
        let n = need(vec![(
            1.0,
            vec![
                milestone(1, day(2026, 1, 1), Some(day(2026, 1, 1))),
                milestone(2, day(2026, 11, 1), Some(day(2026, 11, 1))),
                milestone(3, day(2027, 1, 1), None),
            ],
        )]);
        assert_eq!(
            forecast(&shares(&n, &HashMap::new()), today),
            Forecast::NotEnoughData
        );
    }

    #[test]
    fn a_steady_pace_is_carried_forward() {
        let today = day(2026, 11, 27);
        // 10 milestones of 10 points each; 3 reached in the last 90 days, 1 before:
        // 30 points in 90 days, 60 left → 180 days.
        let mut list: Vec<Milestone> = (1..=10)
            .map(|i| milestone(i, day(2027, 6, 1), None))
            .collect();
        for (i, done) in [
            (0, day(2026, 3, 1)),
            (1, day(2026, 9, 1)),
            (2, day(2026, 10, 15)),
            (3, today),
        ] {
            list[i] = milestone(i as i64 + 1, day(2026, 12, 1), Some(done));
        }
        let s = shares(&need(vec![(1.0, list)]), &HashMap::new());
        match forecast(&s, today) {
            Forecast::AtPace { finish, per_day } => {
                assert!((per_day - 30.0 / 90.0).abs() < 1e-9);
                assert_eq!(finish, today + Days::new(180));
            }
            other => panic!("{other:?}"),
        }
        // A reach dated after `today` (recorded ahead) does not count yet.
        let mut ahead = s.clone();
        ahead[4].done_on = Some(day(2026, 12, 24));
        assert_eq!(forecast(&ahead, today), forecast(&s, today));
    }

    #[test]
    fn a_burn_up_counts_plan_and_reached_at_each_month_end_and_today() {
        let n = need(vec![(
            1.0,
            vec![
                milestone(1, day(2026, 1, 20), Some(day(2026, 2, 3))),
                milestone(2, day(2026, 2, 10), None),
                milestone(3, day(2026, 5, 5), None),
                milestone(4, day(2026, 6, 1), None),
            ],
        )]);
        // Milestone 3 was planned for 1 April, then moved.
        let s = shares(&n, &HashMap::from([(3, day(2026, 4, 1))]));
        let today = day(2026, 3, 15);
        let points = burn_up(&s, today);
        let days: Vec<NaiveDate> = points.iter().map(|p| p.day).collect();
        assert_eq!(
            days,
            [
                day(2026, 1, 31),
                day(2026, 2, 28),
                today,
                day(2026, 3, 31),
                day(2026, 4, 30),
                day(2026, 5, 31),
                day(2026, 6, 30)
            ]
        );
        let planned: Vec<f64> = points.iter().map(|p| p.planned).collect();
        assert_eq!(planned, [25.0, 50.0, 50.0, 50.0, 75.0, 75.0, 100.0]);
        let reached: Vec<Option<f64>> = points.iter().map(|p| p.reached).collect();
        assert_eq!(
            reached,
            [Some(0.0), Some(25.0), Some(25.0), None, None, None, None]
        );
        assert!(burn_up(&[], today).is_empty());
    }

    #[test]
    fn a_finished_need_says_when_it_finished() {
        let n = need(vec![(
            1.0,
            vec![
                milestone(1, day(2026, 1, 1), Some(day(2026, 2, 1))),
                milestone(2, day(2026, 3, 1), Some(day(2026, 4, 9))),
            ],
        )]);
        assert_eq!(
            forecast(&shares(&n, &HashMap::new()), day(2026, 11, 27)),
            Forecast::Finished {
                on: day(2026, 4, 9)
            }
        );
    }
}
