//! Reports to the council: a strategy frozen as it stood on a cut-off day (Stichtag), and what
//! changed between two such states ("since the last report"). Pure rules over two
//! [`Snapshot`]s: the pages, slides and files of a report are views of them.
//!
//! A snapshot is stored when the report is made and never changes: it holds the strategy tree
//! as it was at the end of the Stichtag (see the store's "as of" rules), the planned date of
//! each milestone then, and the day states are judged on.

use super::{
    Milestone, Progress, Strategy, progress,
    schedule::{self, Counts, ScheduleState},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What a report shows, as it was made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The day states such as "overdue" are judged on.
    pub stichtag: NaiveDate,
    pub strategy: Strategy,
    /// The planned date of each milestone (by id) on the Stichtag, where it differs from none:
    /// see `domain::plan`.
    #[serde(default)]
    pub planned: BTreeMap<i64, NaiveDate>,
}

/// A report without what it shows: what the list shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ReportHeader {
    pub id: i64,
    pub strategy_id: i64,
    pub name: String,
    pub stichtag: NaiveDate,
    pub foreword: Option<String>,
    pub made_at: DateTime<Utc>,
    pub made_by: String,
    /// Set once, when withdrawn (with who and why); a withdrawn report stays readable.
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_by: Option<String>,
    pub withdrawn_reason: Option<String>,
}

/// How many open milestones a need's section lists as coming next.
pub const NEXT_SHOWN: usize = 5;

/// A need's figures on the Stichtag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedFigures {
    pub id: i64,
    pub title: String,
    pub progress: Progress,
    pub state: ScheduleState,
    pub counts: Counts,
    /// Its overdue milestones, the longest overdue first.
    pub late: Vec<Milestone>,
    /// Its open milestones not overdue, the earliest due first (at most [`NEXT_SHOWN`]).
    pub next: Vec<Milestone>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldFigures {
    pub id: i64,
    pub title: String,
    pub progress: Progress,
    pub state: ScheduleState,
    pub counts: Counts,
    pub needs: Vec<NeedFigures>,
}

impl Snapshot {
    /// The strategy's figures per field and need on the Stichtag.
    pub fn figures(&self) -> Vec<FieldFigures> {
        let day = self.stichtag;
        self.strategy
            .fields
            .iter()
            .map(|field| {
                let needs: Vec<NeedFigures> = field
                    .needs
                    .iter()
                    .map(|need| {
                        let milestones: Vec<&Milestone> = need
                            .subgoals
                            .iter()
                            .flat_map(|s| s.milestones.iter())
                            .collect();
                        let mut late: Vec<Milestone> = milestones
                            .iter()
                            .filter(|m| schedule::is_overdue(&m.data, day))
                            .map(|m| (*m).clone())
                            .collect();
                        late.sort_by_key(|m| (m.data.due, m.id));
                        let mut next: Vec<Milestone> = milestones
                            .iter()
                            .filter(|m| {
                                m.data.status.is_open() && !schedule::is_overdue(&m.data, day)
                            })
                            .map(|m| (*m).clone())
                            .collect();
                        next.sort_by_key(|m| (m.data.due, m.id));
                        next.truncate(NEXT_SHOWN);
                        NeedFigures {
                            id: need.id,
                            title: need.title.clone(),
                            progress: progress::of_need(need),
                            state: schedule::worst(
                                need.subgoals.iter().map(|s| schedule::of_subgoal(s, day)),
                            ),
                            counts: Counts::of(milestones.iter().map(|m| &m.data), day),
                            late,
                            next,
                        }
                    })
                    .collect();
                FieldFigures {
                    id: field.id,
                    title: field.title.clone(),
                    progress: progress::of_field(field),
                    state: schedule::worst(needs.iter().map(|n| n.state)),
                    counts: needs.iter().fold(Counts::default(), |sum, n| Counts {
                        done: sum.done + n.counts.done,
                        open: sum.open + n.counts.open,
                        overdue: sum.overdue + n.counts.overdue,
                    }),
                    needs,
                }
            })
            .collect()
    }

    /// Every milestone with the need it belongs to.
    fn milestones(&self) -> HashMap<i64, (i64, &Milestone)> {
        self.strategy
            .fields
            .iter()
            .flat_map(|f| &f.needs)
            .flat_map(|n| {
                n.subgoals
                    .iter()
                    .flat_map(move |s| s.milestones.iter().map(move |m| (m.id, (n.id, m))))
            })
            .collect()
    }
}

/// The report a report is compared with by default: the latest of the others (of its
/// strategy) made for an earlier Stichtag, or for the same one but before it, and not
/// withdrawn.
pub fn previous<'a>(report: &ReportHeader, others: &'a [ReportHeader]) -> Option<&'a ReportHeader> {
    others
        .iter()
        .filter(|o| o.withdrawn_at.is_none() && o.strategy_id == report.strategy_id)
        .filter(|o| (o.stichtag, o.id) < (report.stichtag, report.id))
        .max_by_key(|o| (o.stichtag, o.id))
}

/// A milestone as a change lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Changed {
    pub id: i64,
    pub title: String,
    pub need_id: i64,
}

/// A milestone whose due date moved: by how many days (later is positive).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moved {
    pub milestone: Changed,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
}

/// What changed in a need, a field or the whole strategy between two snapshots.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Delta {
    /// The progress change in percentage points, where both sides have a progress.
    pub points: Option<f64>,
    pub reached: Vec<Changed>,
    pub newly_overdue: Vec<Changed>,
    pub moved: Vec<Moved>,
    pub added: Vec<Changed>,
    pub cancelled: Vec<Changed>,
    /// In the earlier snapshot, no longer in the later one (deleted).
    pub removed: Vec<Changed>,
}

impl Delta {
    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        self.points.is_none_or(|p| p.abs() < 0.005)
            && self.reached.is_empty()
            && self.newly_overdue.is_empty()
            && self.moved.is_empty()
            && self.added.is_empty()
            && self.cancelled.is_empty()
            && self.removed.is_empty()
    }

    fn narrowed(&self, keep: impl Fn(i64) -> bool, points: Option<f64>) -> Delta {
        let pick = |list: &Vec<Changed>| list.iter().filter(|c| keep(c.need_id)).cloned().collect();
        Delta {
            points,
            reached: pick(&self.reached),
            newly_overdue: pick(&self.newly_overdue),
            moved: self
                .moved
                .iter()
                .filter(|m| keep(m.milestone.need_id))
                .cloned()
                .collect(),
            added: pick(&self.added),
            cancelled: pick(&self.cancelled),
            removed: pick(&self.removed),
        }
    }
}

/// An indicator's value in the earlier and the later snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorChange {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub need_id: i64,
    /// `None` when the indicator did not exist then.
    pub then: Option<f64>,
    pub now: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedChange {
    pub id: i64,
    pub title: String,
    /// The need was not in the earlier snapshot.
    pub new: bool,
    pub delta: Delta,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub id: i64,
    pub title: String,
    pub new: bool,
    pub delta: Delta,
    pub needs: Vec<NeedChange>,
}

/// Everything that changed from `before` to `after`, for the whole strategy, per field and
/// per need (as `after` has them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Changes {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: Delta,
    pub fields: Vec<FieldChange>,
    pub indicators: Vec<IndicatorChange>,
}

fn points(before: Progress, after: Progress) -> Option<f64> {
    // Progress is in percent already.
    Some(after? - before?)
}

/// What changed between two snapshots of one strategy. Milestones, needs and fields are told
/// apart by id; a milestone counts as newly overdue when it is overdue on the later Stichtag
/// and was not on the earlier one (nor is new).
pub fn changes(before: &Snapshot, after: &Snapshot) -> Changes {
    let old = before.milestones();
    let new = after.milestones();
    let changed = |need_id: i64, m: &Milestone| Changed {
        id: m.id,
        title: m.data.title.clone(),
        need_id,
    };
    let mut total = Delta {
        points: points(
            progress::of_strategy(&before.strategy),
            progress::of_strategy(&after.strategy),
        ),
        ..Delta::default()
    };
    let mut ids: Vec<&i64> = new.keys().collect();
    ids.sort();
    for id in ids {
        let (need_id, m) = new[id];
        let Some((_, was)) = old.get(id) else {
            total.added.push(changed(need_id, m));
            if schedule::is_overdue(&m.data, after.stichtag) {
                total.newly_overdue.push(changed(need_id, m));
            }
            if m.data.status == super::Status::Done {
                total.reached.push(changed(need_id, m));
            }
            continue;
        };
        use super::Status::{Cancelled, Done};
        if m.data.status == Done && was.data.status != Done {
            total.reached.push(changed(need_id, m));
        }
        if m.data.status == Cancelled && was.data.status != Cancelled {
            total.cancelled.push(changed(need_id, m));
        }
        if schedule::is_overdue(&m.data, after.stichtag)
            && !schedule::is_overdue(&was.data, before.stichtag)
        {
            total.newly_overdue.push(changed(need_id, m));
        }
        if m.data.due != was.data.due {
            total.moved.push(Moved {
                milestone: changed(need_id, m),
                from: was.data.due,
                to: m.data.due,
                days: (m.data.due - was.data.due).num_days(),
            });
        }
    }
    let mut gone: Vec<_> = old.iter().filter(|(id, _)| !new.contains_key(id)).collect();
    gone.sort_by_key(|(id, _)| **id);
    // A removed milestone is listed under the need it was in, if that need is still there.
    total.removed = gone
        .into_iter()
        .map(|(_, (need, m))| changed(*need, m))
        .collect();

    let old_needs: HashMap<i64, Progress> = before
        .strategy
        .fields
        .iter()
        .flat_map(|f| &f.needs)
        .map(|n| (n.id, progress::of_need(n)))
        .collect();
    let old_fields: HashMap<i64, Progress> = before
        .strategy
        .fields
        .iter()
        .map(|f| (f.id, progress::of_field(f)))
        .collect();
    let fields = after
        .strategy
        .fields
        .iter()
        .map(|field| {
            let need_ids: Vec<i64> = field.needs.iter().map(|n| n.id).collect();
            FieldChange {
                id: field.id,
                title: field.title.clone(),
                new: !old_fields.contains_key(&field.id),
                delta: total.narrowed(
                    |need| need_ids.contains(&need),
                    old_fields
                        .get(&field.id)
                        .and_then(|was| points(*was, progress::of_field(field))),
                ),
                needs: field
                    .needs
                    .iter()
                    .map(|need| NeedChange {
                        id: need.id,
                        title: need.title.clone(),
                        new: !old_needs.contains_key(&need.id),
                        delta: total.narrowed(
                            |n| n == need.id,
                            old_needs
                                .get(&need.id)
                                .and_then(|was| points(*was, progress::of_need(need))),
                        ),
                    })
                    .collect(),
            }
        })
        .collect();

    let old_indicators: HashMap<i64, f64> = before
        .strategy
        .fields
        .iter()
        .flat_map(|f| &f.needs)
        .flat_map(|n| &n.subgoals)
        .flat_map(|s| &s.indicators)
        .map(|i| (i.id, i.current()))
        .collect();
    let indicators = after
        .strategy
        .fields
        .iter()
        .flat_map(|f| &f.needs)
        .flat_map(|n| {
            n.subgoals
                .iter()
                .flat_map(|s| &s.indicators)
                .map(move |i| (n.id, i))
        })
        .map(|(need_id, i)| IndicatorChange {
            id: i.id,
            name: i.data.name.clone(),
            unit: i.data.unit.clone(),
            need_id,
            then: old_indicators.get(&i.id).copied(),
            now: i.current(),
        })
        .collect();
    Changes {
        from: before.stichtag,
        to: after.stichtag,
        total,
        fields,
        indicators,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Field, MilestoneData, Need, Status, SubGoal};
    use std::sync::Arc;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn milestone(id: i64, title: &str, due: &str, status: Status) -> Milestone {
        Milestone {
            id,
            version: 1,
            example: false,
            data: MilestoneData {
                title: title.to_owned(),
                due: day(due),
                status,
                done_on: (status == Status::Done).then(|| day("2026-03-01")),
                weight: 1.0,
                note: None,
            },
        }
    }

    fn snapshot(stichtag: &str, needs: Vec<(i64, Vec<Milestone>)>) -> Snapshot {
        Snapshot {
            stichtag: day(stichtag),
            planned: BTreeMap::new(),
            strategy: Strategy {
                about: Default::default(),
                id: 1,
                title: "Digitalstrategie".to_owned(),
                fields: vec![Field {
                    archived: false,
                    id: 1,
                    title: "Bildung".to_owned(),
                    goal: None,
                    builds_on: vec![],
                    needs: needs
                        .into_iter()
                        .map(|(id, milestones)| Need {
                            archived: false,
                            id,
                            title: format!("Bedarf {id}"),
                            subgoals: vec![SubGoal {
                                archived: false,
                                id: id * 10,
                                title: format!("Teilziel {id}"),
                                owner: None,
                                weight: 1.0,
                                milestones: Arc::new(milestones),
                                indicators: vec![],
                            }],
                        })
                        .collect(),
                }],
            },
        }
    }

    fn titles(list: &[Changed]) -> Vec<&str> {
        list.iter().map(|c| c.title.as_str()).collect()
    }

    #[test]
    fn changes_between_two_reports_are_counted_exactly() {
        use Status::*;
        let before = snapshot(
            "2026-06-30",
            vec![
                (
                    1,
                    vec![
                        milestone(1, "a", "2026-05-01", Done),
                        milestone(2, "b", "2026-07-15", Planned),
                        milestone(3, "c", "2026-08-01", InProgress),
                        milestone(4, "d", "2026-09-01", Planned),
                    ],
                ),
                (2, vec![milestone(5, "e", "2026-06-01", Planned)]),
            ],
        );
        let after = snapshot(
            "2026-12-01",
            vec![
                (
                    1,
                    vec![
                        milestone(1, "a", "2026-05-01", Done),
                        milestone(2, "b", "2026-07-15", Done),
                        milestone(3, "c", "2026-10-01", InProgress),
                        milestone(6, "f", "2027-01-01", Planned),
                    ],
                ),
                (2, vec![milestone(5, "e", "2026-06-01", Cancelled)]),
                (3, vec![milestone(7, "g", "2026-11-01", Planned)]),
            ],
        );
        let changes = changes(&before, &after);
        let total = &changes.total;
        assert_eq!(titles(&total.reached), ["b"]);
        // c moved to October and is late on 1 December; g is new and late; e was already late.
        assert_eq!(titles(&total.newly_overdue), ["c", "g"]);
        assert_eq!(total.moved.len(), 1);
        assert_eq!(total.moved[0].days, 61);
        assert_eq!(titles(&total.added), ["f", "g"]);
        assert_eq!(titles(&total.cancelled), ["e"]);
        assert_eq!(titles(&total.removed), ["d"]);

        let needs = &changes.fields[0].needs;
        // Need 1: a of 4 (25 %) → a, b of 4 (50 %).
        assert_eq!(needs[0].delta.points.map(f64::round), Some(25.0));
        assert_eq!(titles(&needs[0].delta.reached), ["b"]);
        assert_eq!(titles(&needs[0].delta.removed), ["d"]);
        // Need 2: 0 % before; its only milestone cancelled, no plan after: no change in points.
        assert_eq!(needs[1].delta.points, None);
        assert_eq!(titles(&needs[1].delta.cancelled), ["e"]);
        assert!(needs[2].new && !needs[0].new);
        assert_eq!(titles(&needs[2].delta.added), ["g"]);
        assert!(!changes.fields[0].new);
        assert_eq!(changes.fields[0].delta.reached.len(), 1);
    }

    #[test]
    fn a_report_is_compared_with_the_latest_earlier_one_not_withdrawn() {
        let header = |id: i64, stichtag: &str, withdrawn: bool| ReportHeader {
            id,
            strategy_id: 1,
            name: format!("Bericht {id}"),
            stichtag: day(stichtag),
            foreword: None,
            made_at: chrono::Utc::now(),
            made_by: "cdo".to_owned(),
            withdrawn_at: withdrawn.then(chrono::Utc::now),
            withdrawn_by: None,
            withdrawn_reason: None,
        };
        let reports = [
            header(1, "2026-03-31", false),
            header(2, "2026-06-30", false),
            header(3, "2026-09-30", true),
            header(4, "2026-12-01", false),
            // Made later, for an earlier day.
            header(5, "2026-06-30", false),
        ];
        let previous_of = |id: i64| {
            let report = reports.iter().find(|r| r.id == id).unwrap();
            previous(report, &reports).map(|r| r.id)
        };
        assert_eq!(previous_of(4), Some(5), "the withdrawn one is skipped");
        assert_eq!(previous_of(5), Some(2), "the same day, made before it");
        assert_eq!(previous_of(2), Some(1));
        assert_eq!(previous_of(1), None);
    }

    #[test]
    fn a_snapshot_compared_with_itself_has_no_changes() {
        let one = snapshot(
            "2026-06-30",
            vec![(1, vec![milestone(1, "a", "2026-05-01", Status::Planned)])],
        );
        let same = changes(&one, &one);
        assert!(same.total.is_empty());
        assert!(same.fields.iter().all(|f| f.delta.is_empty()));
    }

    #[test]
    fn figures_judge_states_on_the_stichtag() {
        let snapshot = snapshot(
            "2026-06-30",
            vec![(
                1,
                vec![
                    milestone(1, "late", "2026-06-01", Status::Planned),
                    milestone(2, "soon", "2026-07-10", Status::Planned),
                    milestone(3, "later", "2026-09-01", Status::InProgress),
                    milestone(4, "reached", "2026-03-01", Status::Done),
                ],
            )],
        );
        let figures = snapshot.figures();
        let need = &figures[0].needs[0];
        assert_eq!(need.state, ScheduleState::Overdue);
        assert_eq!(need.late.len(), 1);
        assert_eq!(need.next.iter().map(|m| m.id).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(
            need.counts,
            Counts {
                done: 1,
                open: 3,
                overdue: 1
            }
        );
        assert_eq!(figures[0].counts, need.counts);
    }
}
