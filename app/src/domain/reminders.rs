//! Reminders by e-mail (issue 15), the rule: an owner is reminded of a sub-goal's report a set
//! number of days before its deadline (once per period), and when it is late (on its first
//! late day, then once a week while it stays late). One digest per person and day at most: it
//! is sent when something is new to remind of, and lists everything due soon or late for them.
//! An undelivered digest is tried again after a growing pause, and never dropped.

use super::rhythm::Standing;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Days before a report's deadline that its owners are reminded, unless an admin sets another.
pub const DEFAULT_DAYS_BEFORE: u32 = 7;
/// At most this many days before.
pub const MAX_DAYS_BEFORE: u32 = 60;
/// The hour of the day (the server's time zone) `serve` sends the day's reminders, unless set.
pub const DEFAULT_HOUR: u32 = 7;
/// A late report is reminded of again after this many days.
pub const LATE_EVERY_DAYS: i64 = 7;

/// What a reminder is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The report's deadline is near.
    Soon,
    /// The report is late.
    Late,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Soon => "soon",
            Kind::Late => "late",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        [Kind::Soon, Kind::Late]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// One thing reminded of, at most once: a sub-goal's report due by `deadline`, soon (round 0)
/// or late in its `round`-th week (0 for the first seven late days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Key {
    pub subgoal_id: i64,
    pub deadline: NaiveDate,
    pub kind: Kind,
    pub round: i64,
}

/// What to remind of about one sub-goal standing so on `today`, if anything.
pub fn key(
    subgoal_id: i64,
    standing: &Standing,
    days_before: u32,
    today: NaiveDate,
) -> Option<Key> {
    let deadline = standing.due.deadline;
    if standing.is_late() {
        return Some(Key {
            subgoal_id,
            deadline,
            kind: Kind::Late,
            round: (standing.days_late - 1) / LATE_EVERY_DAYS,
        });
    }
    let days_left = (deadline - today).num_days();
    (0..=i64::from(days_before))
        .contains(&days_left)
        .then_some(Key {
            subgoal_id,
            deadline,
            kind: Kind::Soon,
            round: 0,
        })
}

/// A sub-goal an owner answers for, as a reminder names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Owned {
    pub subgoal_id: i64,
    pub title: String,
    pub need: String,
}

/// One line of a digest: a sub-goal and where it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub subgoal: Owned,
    pub key: Key,
    pub standing: Standing,
}

/// Who is reminded, of what.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipient<L> {
    pub user_id: i64,
    pub login: String,
    pub name: String,
    pub email: String,
    pub language: L,
    pub owned: Vec<Owned>,
}

/// A person's digest for one day: late reports first (the longest late first), then those due
/// soon (the nearest first).
#[derive(Clone, Debug, PartialEq)]
pub struct Digest<L> {
    pub user_id: i64,
    pub login: String,
    pub name: String,
    pub email: String,
    pub language: L,
    pub lines: Vec<Line>,
}

impl<L> Digest<L> {
    pub fn late(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.key.kind == Kind::Late)
    }

    pub fn soon(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.key.kind == Kind::Soon)
    }
}

/// The digests of `today`: one for each recipient with something new to be reminded of (a
/// key not in `reminded`, which holds `(user id, key)` pairs), listing all they should hear of.
/// Those who have had a digest today (`had_today`) get none: what is new waits for tomorrow.
pub fn plan<L: Clone>(
    recipients: &[Recipient<L>],
    standing: impl Fn(i64) -> Option<Standing>,
    reminded: &HashSet<(i64, Key)>,
    had_today: &HashSet<i64>,
    days_before: u32,
    today: NaiveDate,
) -> Vec<Digest<L>> {
    let mut digests = Vec::new();
    for recipient in recipients {
        if had_today.contains(&recipient.user_id) {
            continue;
        }
        let mut lines: Vec<Line> = recipient
            .owned
            .iter()
            .filter_map(|owned| {
                let standing = standing(owned.subgoal_id)?;
                let key = key(owned.subgoal_id, &standing, days_before, today)?;
                Some(Line {
                    subgoal: owned.clone(),
                    key,
                    standing,
                })
            })
            .collect();
        if !lines
            .iter()
            .any(|line| !reminded.contains(&(recipient.user_id, line.key)))
        {
            continue;
        }
        lines.sort_by_key(|line| {
            (
                line.key.kind == Kind::Soon,
                -line.standing.days_late,
                line.key.deadline,
                line.subgoal.subgoal_id,
            )
        });
        digests.push(Digest {
            user_id: recipient.user_id,
            login: recipient.login.clone(),
            name: recipient.name.clone(),
            email: recipient.email.clone(),
            language: recipient.language.clone(),
            lines,
        });
    }
    digests
}

/// How long to wait before trying again a digest the mail server did not take, after
/// `attempts` tries: 1, 5, 15 minutes, 1 hour, then every 3 hours (never given up: a
/// reminder is not lost because the mail server was down for a day).
pub fn retry_after(attempts: u32) -> Duration {
    match attempts {
        0 | 1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(15),
        4 => Duration::hours(1),
        _ => Duration::hours(3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rhythm::{self, Rhythm};

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn standing_on(reports: &[&str], today: &str) -> Standing {
        let reports: Vec<NaiveDate> = reports.iter().map(|r| d(r)).collect();
        rhythm::standing(Rhythm::Quarterly, 14, d("2026-01-01"), &reports, d(today))
    }

    #[test]
    fn due_soon_is_reminded_within_the_days_before_the_deadline_only() {
        // Q4 2026 reported? No: its deadline is 2027-01-14.
        let reported_q3 = ["2026-08-01"];
        for (today, expected) in [
            ("2027-01-06", None),
            ("2027-01-07", Some(Kind::Soon)),
            ("2027-01-14", Some(Kind::Soon)),
            ("2027-01-15", Some(Kind::Late)),
        ] {
            let standing = standing_on(&reported_q3, today);
            assert_eq!(
                key(1, &standing, 7, d(today)).map(|k| k.kind),
                expected,
                "{today}"
            );
        }
        // Reported for the period: nothing to remind of.
        let standing = standing_on(&["2026-08-01", "2026-12-20"], "2027-01-10");
        assert_eq!(key(1, &standing, 7, d("2027-01-10")), None);
        // 0 days before: only on the deadline itself.
        let standing = standing_on(&reported_q3, "2027-01-13");
        assert_eq!(key(1, &standing, 0, d("2027-01-13")), None);
        let standing = standing_on(&reported_q3, "2027-01-14");
        assert!(key(1, &standing, 0, d("2027-01-14")).is_some());
    }

    #[test]
    fn late_reports_are_reminded_weekly() {
        let reported_q3 = ["2026-08-01"];
        let round = |today: &str| {
            let standing = standing_on(&reported_q3, today);
            let key = key(1, &standing, 7, d(today)).unwrap();
            assert_eq!(key.kind, Kind::Late);
            assert_eq!(key.deadline, d("2027-01-14"));
            key.round
        };
        assert_eq!(round("2027-01-15"), 0);
        assert_eq!(round("2027-01-21"), 0);
        assert_eq!(round("2027-01-22"), 1);
        assert_eq!(round("2027-01-29"), 2);
    }

    fn recipient(user_id: i64, subgoals: &[i64]) -> Recipient<&'static str> {
        Recipient {
            user_id,
            login: format!("u{user_id}"),
            name: format!("User {user_id}"),
            email: format!("u{user_id}@example.org"),
            language: "de",
            owned: subgoals
                .iter()
                .map(|&id| Owned {
                    subgoal_id: id,
                    title: format!("Sub-goal {id}"),
                    need: "Need".to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_digest_comes_when_something_is_new_and_lists_everything() {
        let today = d("2027-01-20");
        let late = standing_on(&["2026-08-01"], "2027-01-20"); // 6 days late
        let fine = standing_on(&["2026-08-01", "2026-12-01"], "2027-01-20");
        let standing = |id: i64| Some(if id == 3 { fine } else { late });
        let people = [
            recipient(1, &[1, 2, 3]),
            recipient(2, &[2]),
            recipient(3, &[3]),
        ];
        let (none, nobody) = (HashSet::new(), HashSet::new());
        let digests = plan(&people, standing, &none, &nobody, 7, today);
        let who: Vec<i64> = digests.iter().map(|d| d.user_id).collect();
        assert_eq!(
            who,
            [1, 2],
            "the owner of a reported sub-goal only is not reminded"
        );
        assert_eq!(digests[0].lines.len(), 2);
        assert!(digests[0].late().count() == 2 && digests[0].soon().count() == 0);
        // Once reminded, the same day or the next, nothing again until the next week.
        let reminded: HashSet<(i64, Key)> = digests
            .iter()
            .flat_map(|d| d.lines.iter().map(|l| (d.user_id, l.key)))
            .collect();
        assert!(plan(&people, standing, &reminded, &nobody, 7, today).is_empty());
        // One of user 1's keys is new: the digest lists both again.
        let mut partly = reminded.clone();
        partly.retain(|(user, key)| !(*user == 1 && key.subgoal_id == 2));
        let again = plan(&people, standing, &partly, &nobody, 7, today);
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].lines.len(), 2);
        // Who had a digest today gets none, whatever is new.
        let had = HashSet::from([1]);
        assert!(plan(&people, standing, &partly, &had, 7, today).is_empty());
    }

    #[test]
    fn late_lines_come_first_and_the_longest_late_first() {
        let today = d("2027-01-20");
        let long_late = rhythm::standing(Rhythm::Monthly, 14, d("2026-01-01"), &[], today);
        let late = standing_on(&["2026-08-01"], "2027-01-20");
        let soon = rhythm::standing(
            Rhythm::Monthly,
            14,
            d("2026-01-01"),
            &[d("2026-12-20")],
            today,
        ); // January's report due by 14 February

        let standing = |id: i64| Some([soon, late, long_late][id as usize - 1]);
        let people = [recipient(1, &[1, 2, 3])];
        let digests = plan(
            &people,
            standing,
            &HashSet::new(),
            &HashSet::new(),
            30,
            today,
        );
        let order: Vec<i64> = digests[0]
            .lines
            .iter()
            .map(|l| l.subgoal.subgoal_id)
            .collect();
        assert_eq!(order, [3, 2, 1]);
    }

    #[test]
    fn retries_pause_longer_and_never_stop() {
        let pauses: Vec<Duration> = (1..=8).map(retry_after).collect();
        assert!(pauses.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(pauses[7], Duration::hours(3));
    }
}
