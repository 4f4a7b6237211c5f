//! The reporting rhythm (issue 15): each sub-goal is reported on once per period (monthly,
//! quarterly, half-yearly; calendar periods), by the end of the period plus a grace period.
//! Any change by an owner, or a confirmation that nothing changed, counts as the report.
//!
//! The rule, pure: a period's report is a report made from the period's first day up to its
//! deadline (its last day plus the grace days); each report counts for one period (one made in
//! the grace days after a period that had none counts for that period, any other for the
//! period it falls in). A sub-goal is **late** when the latest period whose deadline has passed
//! got no report and no report has come since that deadline; it is late since the deadline of
//! the first of the unreported periods in a row. A late report ends the lateness (and counts
//! for the period it is made in): the missed period stays unreported on record.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How often a sub-goal is reported on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rhythm {
    Monthly,
    #[default]
    Quarterly,
    HalfYearly,
}

/// The grace period after a period's end, unless an admin sets another.
pub const DEFAULT_GRACE_DAYS: u32 = 14;

impl Rhythm {
    pub const ALL: [Rhythm; 3] = [Rhythm::Monthly, Rhythm::Quarterly, Rhythm::HalfYearly];

    fn months(self) -> u32 {
        match self {
            Rhythm::Monthly => 1,
            Rhythm::Quarterly => 3,
            Rhythm::HalfYearly => 6,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Rhythm::Monthly => "monthly",
            Rhythm::Quarterly => "quarterly",
            Rhythm::HalfYearly => "half_yearly",
        }
    }

    pub fn parse(text: &str) -> Option<Rhythm> {
        Rhythm::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The first day of the period `day` lies in.
    pub fn period_start(self, day: NaiveDate) -> NaiveDate {
        let months = self.months();
        let month0 = (day.month0() / months) * months;
        NaiveDate::from_ymd_opt(day.year(), month0 + 1, 1).unwrap_or(day)
    }

    /// The first day of the period after the one starting on `start`.
    fn next_start(self, start: NaiveDate) -> NaiveDate {
        start
            .checked_add_months(Months::new(self.months()))
            .unwrap_or(start)
    }

    /// The first day of the period before the one starting on `start`.
    fn previous_start(self, start: NaiveDate) -> NaiveDate {
        start
            .checked_sub_months(Months::new(self.months()))
            .unwrap_or(start)
    }
}

/// One period and the last day its report is accepted on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
    /// `end` plus the grace days.
    pub deadline: NaiveDate,
}

fn period(rhythm: Rhythm, start: NaiveDate, grace: u32) -> Period {
    let end = rhythm.next_start(start).pred_opt().unwrap_or(start);
    Period {
        start,
        end,
        deadline: end.checked_add_days(Days::new(grace.into())).unwrap_or(end),
    }
}

/// A sub-goal's latest status report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastReport {
    pub day: NaiveDate,
    /// A confirmation that nothing changed (else a change).
    pub confirmation: bool,
    /// Who made it (display name), unless the account is gone.
    pub by: Option<String>,
    /// A confirmation's note.
    pub note: Option<String>,
}

/// Where a sub-goal stands with its reports on `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// The period whose report is asked for next. When the latest period whose deadline has
    /// passed has no report, the sub-goal is late: then the first of the unreported periods in
    /// a row up to it (late since its deadline). Else a previous period still in its grace days
    /// and unreported, else the current period (or, when it is reported already, the next).
    pub due: Period,
    /// Days past `due.deadline`; 0 when not late.
    pub days_late: i64,
}

impl Standing {
    pub fn is_late(&self) -> bool {
        self.days_late > 0
    }
}

/// The standing of a sub-goal reported on the days in `reports` (any order), tracked since
/// `since` (the day it was created: periods before it ask for nothing).
pub fn standing(
    rhythm: Rhythm,
    grace: u32,
    since: NaiveDate,
    reports: &[NaiveDate],
    today: NaiveDate,
) -> Standing {
    // Each report counts for one period: one made in the grace days after a period that had
    // none counts for that period; any other for the period it falls in.
    let mut sorted = reports.to_vec();
    sorted.sort();
    let mut covered: Vec<NaiveDate> = Vec::new();
    for day in sorted {
        let own = rhythm.period_start(day);
        let previous = period(rhythm, rhythm.previous_start(own), grace);
        if day <= previous.deadline && !covered.contains(&previous.start) {
            covered.push(previous.start);
        } else if !covered.contains(&own) {
            covered.push(own);
        }
    }
    let reported = |p: &Period| covered.contains(&p.start);
    let current = period(rhythm, rhythm.period_start(today), grace);
    // The latest period whose deadline has passed, if the sub-goal existed before its end.
    let mut closed = period(rhythm, rhythm.previous_start(current.start), grace);
    while closed.deadline >= today {
        closed = period(rhythm, rhythm.previous_start(closed.start), grace);
    }
    let caught_up = reports.iter().any(|day| *day > closed.deadline);
    if closed.end >= since && !reported(&closed) && !caught_up {
        // Late since the first of the unreported periods in a row that ends with this one.
        let mut first = closed;
        loop {
            let before = period(rhythm, rhythm.previous_start(first.start), grace);
            if before.end < since || reported(&before) {
                break;
            }
            first = before;
        }
        return Standing {
            due: first,
            days_late: (today - first.deadline).num_days(),
        };
    }
    // A period before the current one whose deadline has not passed yet (within the grace
    // days) and has no report is asked for first.
    let previous = period(rhythm, rhythm.previous_start(current.start), grace);
    if previous.deadline >= today && previous.end >= since && !reported(&previous) {
        return Standing {
            due: previous,
            days_late: 0,
        };
    }
    let due = if reported(&current) {
        period(rhythm, rhythm.next_start(current.start), grace)
    } else {
        current
    };
    Standing { due, days_late: 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn periods_are_calendar_months_quarters_and_halves() {
        for (rhythm, day, start) in [
            (Rhythm::Monthly, "2026-02-28", "2026-02-01"),
            (Rhythm::Quarterly, "2026-06-30", "2026-04-01"),
            (Rhythm::Quarterly, "2026-10-01", "2026-10-01"),
            (Rhythm::HalfYearly, "2026-12-31", "2026-07-01"),
        ] {
            assert_eq!(rhythm.period_start(d(day)), d(start), "{rhythm:?} {day}");
        }
        let q = period(Rhythm::Quarterly, d("2026-10-01"), 14);
        assert_eq!((q.end, q.deadline), (d("2026-12-31"), d("2027-01-14")));
        for rhythm in Rhythm::ALL {
            assert_eq!(Rhythm::parse(rhythm.as_str()), Some(rhythm));
        }
        assert_eq!(Rhythm::parse("weekly"), None);
    }

    #[test]
    fn a_quarter_without_a_report_is_late_from_its_deadline() {
        let since = d("2026-01-01");
        let q = Rhythm::Quarterly;
        // Reported in Q3; Q4 ends 31.12., deadline 14.01.
        let reports = [d("2026-08-10")];
        let on = |today| standing(q, 14, since, &reports, d(today));
        assert_eq!(
            on("2026-11-27").due.deadline,
            d("2027-01-14"),
            "Q4 asked for"
        );
        assert!(!on("2026-11-27").is_late());
        assert!(!on("2027-01-14").is_late(), "the last grace day");
        assert_eq!(on("2027-01-15").days_late, 1);
        assert_eq!(
            on("2027-01-15").due.start,
            d("2026-10-01"),
            "Q4 is the one missing"
        );
        assert_eq!(on("2027-03-01").days_late, 46);
        // A report for Q4 made within the grace days counts for it.
        let late_but_in_grace = [d("2026-08-10"), d("2027-01-10")];
        let s = standing(q, 14, since, &late_but_in_grace, d("2027-02-01"));
        assert!(!s.is_late());
        assert_eq!(
            s.due.start,
            d("2027-01-01"),
            "then Q1 2027: the January report was Q4's"
        );
        // Q4 reported in December: a January report is Q1's.
        let both = [d("2026-12-10"), d("2027-01-10")];
        let s = standing(q, 14, since, &both, d("2027-02-01"));
        assert_eq!(s.due.start, d("2027-04-01"), "Q2 next");
    }

    #[test]
    fn within_the_grace_days_the_previous_period_is_asked_for_first() {
        let s = standing(Rhythm::Monthly, 14, d("2026-01-01"), &[], d("2026-12-05"));
        assert_eq!(
            s.due.start,
            d("2026-01-01"),
            "nothing all year: late since January's"
        );
        assert_eq!(s.days_late, 294, "since 14 February");
        let s = standing(
            Rhythm::Monthly,
            14,
            d("2026-01-01"),
            &[d("2026-08-20")],
            d("2026-12-05"),
        );
        assert_eq!(
            (s.due.start, s.days_late),
            (d("2026-09-01"), 52),
            "since 14 October"
        );
        let reported_october = [d("2026-10-20")];
        let s = standing(
            Rhythm::Monthly,
            14,
            d("2026-01-01"),
            &reported_october,
            d("2026-12-05"),
        );
        assert_eq!(
            (s.due.start, s.days_late),
            (d("2026-11-01"), 0),
            "November, not late yet"
        );
        let both = [d("2026-10-20"), d("2026-11-30")];
        let s = standing(Rhythm::Monthly, 14, d("2026-01-01"), &both, d("2026-12-05"));
        assert_eq!(s.due.start, d("2026-12-01"), "then December");
    }

    #[test]
    fn a_late_report_ends_the_lateness_and_counts_for_its_own_period() {
        let q = Rhythm::Monthly;
        let since = d("2026-01-01");
        // August reported, September and October missed: late since 14 October ...
        let missed = [d("2026-08-20")];
        assert_eq!(
            standing(q, 14, since, &missed, d("2026-11-20")).days_late,
            37
        );
        // ... until a report comes, on 20 November: it is November's; December is next.
        let caught_up = [d("2026-08-20"), d("2026-11-20")];
        let s = standing(q, 14, since, &caught_up, d("2026-12-05"));
        assert_eq!((s.due.start, s.days_late), (d("2026-12-01"), 0));
        // Once December's deadline has passed without a report, late since then.
        let s = standing(q, 14, since, &caught_up, d("2027-01-20"));
        assert_eq!((s.due.start, s.days_late), (d("2026-12-01"), 6));
    }

    #[test]
    fn periods_before_the_sub_goal_existed_ask_for_nothing() {
        let s = standing(Rhythm::Quarterly, 14, d("2026-11-20"), &[], d("2027-01-05"));
        assert!(!s.is_late());
        assert_eq!(s.due.start, d("2026-10-01"), "Q4, in which it was made");
        let s = standing(Rhythm::Quarterly, 14, d("2027-01-02"), &[], d("2027-01-05"));
        assert_eq!(s.due.start, d("2027-01-01"), "made in January: Q1 only");
        let s = standing(Rhythm::HalfYearly, 0, d("2026-07-01"), &[], d("2027-01-01"));
        assert_eq!(s.days_late, 1, "no grace: late the day after the half-year");
        // A report in the grace days of a period that had one counts for its own period.
        let s = standing(
            Rhythm::Monthly,
            14,
            d("2026-01-01"),
            &[d("2026-07-20"), d("2026-08-03")],
            d("2026-08-20"),
        );
        assert_eq!(
            (s.due.start, s.days_late),
            (d("2026-09-01"), 0),
            "July and August reported"
        );
    }
}
