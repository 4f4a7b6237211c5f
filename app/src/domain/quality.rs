//! Data quality (issue 15): named rules a strategy's records are checked against, what each
//! finds, and a completeness score per need and per department. Pure: the reports' standing
//! comes from `rhythm`, the rest from the tree.
//!
//! The score: every check that applies to a record is one point; the share of points passed.
//! A milestone is checked by three rules (reached with its date, not past due and still
//! planned, not more than half of its sub-goal's weight), a sub-goal by two (it has a plan, its
//! report is not late), an indicator by one (a reading within a year). Cancelled milestones
//! are not checked.

use super::{Status, Strategy, SubGoal};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// A rule, named on the page and explained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A reached milestone without the day it was reached.
    ReachedWithoutDate,
    /// Past its due date and still planned (neither started nor reached nor cancelled).
    PastDueStillPlanned,
    /// A sub-goal without milestones (and no indicator measuring it).
    NoPlan,
    /// No report in the last period (see `rhythm`).
    ReportLate,
    /// One milestone carries more than half of its sub-goal's weight.
    HeavyMilestone,
    /// An indicator without a reading for a year.
    StaleIndicator,
}

impl Rule {
    pub const ALL: [Rule; 6] = [
        Rule::ReachedWithoutDate,
        Rule::PastDueStillPlanned,
        Rule::NoPlan,
        Rule::ReportLate,
        Rule::HeavyMilestone,
        Rule::StaleIndicator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::ReachedWithoutDate => "reached_without_date",
            Rule::PastDueStillPlanned => "past_due_still_planned",
            Rule::NoPlan => "no_plan",
            Rule::ReportLate => "report_late",
            Rule::HeavyMilestone => "heavy_milestone",
            Rule::StaleIndicator => "stale_indicator",
        }
    }
}

/// An indicator is stale after this many days without a reading.
pub const STALE_AFTER_DAYS: u64 = 365;

/// What a finding is about, for linking to where it is fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subject {
    Milestone(i64),
    Subgoal,
    Indicator(i64),
}

/// One record that breaks a rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Rule,
    pub subgoal_id: i64,
    pub subject: Subject,
    /// What it is called (the milestone's, sub-goal's or indicator's title).
    pub title: String,
}

/// Checks passed out of checks made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub passed: usize,
    pub checked: usize,
}

impl Score {
    /// The share passed, 0–100; `None` when nothing was checked.
    pub fn percent(&self) -> Option<f64> {
        (self.checked > 0).then(|| 100.0 * self.passed as f64 / self.checked as f64)
    }

    fn add(&mut self, other: Score) {
        self.passed += other.passed;
        self.checked += other.checked;
    }

    fn check(&mut self, ok: bool) {
        self.checked += 1;
        self.passed += usize::from(ok);
    }
}

/// One sub-goal checked: its score and what it breaks.
pub fn of_subgoal(subgoal: &SubGoal, report_late: bool, today: NaiveDate) -> (Score, Vec<Finding>) {
    let mut score = Score::default();
    let mut findings = Vec::new();
    let mut find = |rule: Rule, subject: Subject, title: &str| {
        findings.push(Finding {
            rule,
            subgoal_id: subgoal.id,
            subject,
            title: title.to_owned(),
        });
    };
    let counted: Vec<_> = subgoal
        .milestones
        .iter()
        .filter(|m| m.data.status != Status::Cancelled)
        .collect();
    let total: f64 = counted.iter().map(|m| m.data.weight).sum();
    for milestone in &counted {
        let data = &milestone.data;
        let subject = Subject::Milestone(milestone.id);
        let dated = !(data.status == Status::Done && data.done_on.is_none());
        score.check(dated);
        if !dated {
            find(Rule::ReachedWithoutDate, subject, &data.title);
        }
        let moving = !(data.status == Status::Planned && data.due < today);
        score.check(moving);
        if !moving {
            find(Rule::PastDueStillPlanned, subject, &data.title);
        }
        let light = data.weight * 2.0 <= total || counted.len() == 1;
        score.check(light);
        if !light {
            find(Rule::HeavyMilestone, subject, &data.title);
        }
    }
    let planned = !counted.is_empty() || subgoal.measuring_indicator().is_some();
    score.check(planned);
    if !planned {
        find(Rule::NoPlan, Subject::Subgoal, &subgoal.title);
    }
    score.check(!report_late);
    if report_late {
        find(Rule::ReportLate, Subject::Subgoal, &subgoal.title);
    }
    let year_ago = today
        .checked_sub_days(Days::new(STALE_AFTER_DAYS))
        .unwrap_or(today);
    for indicator in &subgoal.indicators {
        let latest = indicator
            .readings
            .iter()
            .map(|r| r.on)
            .max()
            .unwrap_or(indicator.data.baseline.on);
        let fresh = latest >= year_ago;
        score.check(fresh);
        if !fresh {
            find(
                Rule::StaleIndicator,
                Subject::Indicator(indicator.id),
                &indicator.data.name,
            );
        }
    }
    (score, findings)
}

/// A need's or a department's score and findings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    pub score: Score,
    pub findings: Vec<Finding>,
}

impl Checked {
    pub fn add(&mut self, score: Score, findings: Vec<Finding>) {
        self.score.add(score);
        self.findings.extend(findings);
    }
}

/// A strategy checked: by need id and by department (a sub-goal's owner; "" for none), in
/// the strategy's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ByPart {
    pub needs: Vec<(i64, Checked)>,
    pub departments: Vec<(String, Checked)>,
}

/// Every sub-goal of a strategy checked, with those whose report is late in `late`.
pub fn of_strategy(strategy: &Strategy, late: &HashSet<i64>, today: NaiveDate) -> ByPart {
    let mut needs: Vec<(i64, Checked)> = Vec::new();
    let mut departments: Vec<(String, Checked)> = Vec::new();
    for need in strategy.fields.iter().flat_map(|f| &f.needs) {
        let mut checked = Checked::default();
        for subgoal in &need.subgoals {
            let (score, findings) = of_subgoal(subgoal, late.contains(&subgoal.id), today);
            let owner = subgoal.owner.clone().unwrap_or_default();
            let index = match departments.iter().position(|(d, _)| *d == owner) {
                Some(index) => index,
                None => {
                    departments.push((owner, Checked::default()));
                    departments.len() - 1
                }
            };
            departments[index].1.add(score, findings.clone());
            checked.add(score, findings);
        }
        needs.push((need.id, checked));
    }
    ByPart { needs, departments }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        Direction, Indicator, IndicatorData, Milestone, MilestoneData, Reading, indicator::Point,
    };
    use std::sync::Arc;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn milestone(
        id: i64,
        status: Status,
        due: &str,
        done_on: Option<&str>,
        weight: f64,
    ) -> Milestone {
        Milestone {
            id,
            version: 1,
            example: false,
            data: MilestoneData {
                title: format!("M{id}"),
                due: d(due),
                status,
                done_on: done_on.map(d),
                weight,
                note: None,
            },
        }
    }

    fn subgoal(milestones: Vec<Milestone>, indicators: Vec<Indicator>) -> SubGoal {
        SubGoal {
            archived: false,
            id: 7,
            title: "WLAN".to_owned(),
            owner: Some("Schulamt".to_owned()),
            weight: 1.0,
            milestones: Arc::new(milestones),
            indicators,
        }
    }

    fn indicator(id: i64, baseline_on: &str, readings: &[&str]) -> Indicator {
        Indicator {
            id,
            version: 1,
            data: IndicatorData {
                name: format!("K{id}"),
                unit: "Schulen".to_owned(),
                direction: Direction::Rising,
                baseline: Point {
                    value: 1.0,
                    on: d(baseline_on),
                },
                target: Point {
                    value: 10.0,
                    on: d("2030-01-01"),
                },
            },
            measures_progress: false,
            readings: readings
                .iter()
                .enumerate()
                .map(|(i, on)| Reading {
                    id: i as i64,
                    on: d(on),
                    value: 2.0,
                    note: None,
                })
                .collect(),
        }
    }

    fn rules(findings: &[Finding]) -> Vec<(Rule, Subject)> {
        findings.iter().map(|f| (f.rule, f.subject)).collect()
    }

    #[test]
    fn each_rule_finds_what_it_names_and_nothing_else() {
        let today = d("2026-11-27");
        let clean = subgoal(
            vec![
                milestone(1, Status::Done, "2026-06-30", Some("2026-06-20"), 1.0),
                milestone(2, Status::InProgress, "2026-10-31", None, 1.0),
                milestone(3, Status::Planned, "2027-03-31", None, 1.0),
            ],
            vec![indicator(9, "2025-01-01", &["2026-03-01"])],
        );
        let (score, findings) = of_subgoal(&clean, false, today);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(
            score,
            Score {
                passed: 12,
                checked: 12
            }
        );
        assert_eq!(score.percent(), Some(100.0));

        let messy = subgoal(
            vec![
                milestone(1, Status::Done, "2026-06-30", None, 1.0),
                milestone(2, Status::Planned, "2026-10-31", None, 5.0),
                milestone(3, Status::Cancelled, "2026-01-31", None, 9.0),
                milestone(4, Status::Planned, "2027-03-31", None, 1.0),
            ],
            vec![
                indicator(9, "2024-01-01", &["2025-11-26"]),
                indicator(10, "2025-12-01", &[]),
            ],
        );
        let (score, findings) = of_subgoal(&messy, true, today);
        assert_eq!(
            rules(&findings),
            [
                (Rule::ReachedWithoutDate, Subject::Milestone(1)),
                (Rule::PastDueStillPlanned, Subject::Milestone(2)),
                (Rule::HeavyMilestone, Subject::Milestone(2)),
                (Rule::ReportLate, Subject::Subgoal),
                (Rule::StaleIndicator, Subject::Indicator(9)),
            ],
            "the cancelled one is not checked; a new indicator's baseline counts as its reading"
        );
        // 3 milestones × 3 + 2 for the sub-goal + 2 indicators.
        assert_eq!(score.checked, 13);
        assert_eq!(score.passed, 13 - 5);

        let empty = subgoal(Vec::new(), Vec::new());
        let (score, findings) = of_subgoal(&empty, false, today);
        assert_eq!(rules(&findings), [(Rule::NoPlan, Subject::Subgoal)]);
        assert_eq!(
            score,
            Score {
                passed: 1,
                checked: 2
            }
        );
        // A single milestone carries all its sub-goal's weight, by nature: not a finding.
        let single = subgoal(
            vec![milestone(1, Status::Planned, "2027-01-31", None, 3.0)],
            Vec::new(),
        );
        assert!(of_subgoal(&single, false, today).1.is_empty());
    }
}
