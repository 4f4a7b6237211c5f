//! A large invented strategy for benchmarks and load tests: 5 fields × 6 needs × 5 sub-goals,
//! N milestones spread over six years (three back, three ahead of today) in every status, each
//! with a history of several dated changes. Deterministic: the same N, changes and today give
//! the same database.

use super::Store;
use super::db;
use crate::{
    audit::{self, Actor, Entry},
    domain::{Field, Milestone, MilestoneData, Need, Status, Strategy, SubGoal},
    error::AppError,
};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeDelta, Utc};

pub const FIELDS: usize = 5;
pub const NEEDS_PER_FIELD: usize = 6;
pub const SUBGOALS_PER_NEED: usize = 5;

const FIELD_TITLES: [&str; FIELDS] = [
    "Bildung und Zusammenleben",
    "Verwaltung und Bürgerservice",
    "Mobilität und Umwelt",
    "Wirtschaft und Wissenschaft",
    "Infrastruktur und Sicherheit",
];
const TOPICS: [&str; 6] = [
    "Digitale Infrastruktur",
    "Kompetenzen",
    "Onlinedienste",
    "Daten und Transparenz",
    "Beteiligung",
    "Betrieb und Sicherheit",
];
const ACTIONS: [&str; 8] = [
    "Bedarf erhoben",
    "Konzept beschlossen",
    "Ausschreibung vergeben",
    "Pilot gestartet",
    "Pilot ausgewertet",
    "Rollout abgeschlossen",
    "Schulung durchgeführt",
    "Betrieb übergeben",
];
/// Departments; the demo owners' departments are among them, so they own sub-goals here too.
const DEPARTMENTS: [&str; 5] = [
    "Amt für Schule und Bildung",
    "Volkshochschule Mainz",
    "Hauptamt – Digitalisierung",
    "Amt für Jugend und Familie",
    "Kulturamt",
];

/// A small, fast, deterministic generator (splitmix64): no dependency, same data every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        date + Days::new(days as u64)
    } else {
        date - Days::new(days.unsigned_abs())
    }
}

/// The structure (no milestones): 150 sub-goals with titles, owners and weights.
pub fn structure() -> Strategy {
    let fields = FIELD_TITLES
        .iter()
        .enumerate()
        .map(|(f, field)| Field {
            archived: false,
            id: 0,
            title: (*field).to_owned(),
            goal: Some(format!(
                "Ziel des Handlungsfelds „{field}“ (Beispieldaten)."
            )),
            builds_on: vec![format!("Bestehende Projekte in „{field}“")],
            needs: TOPICS
                .iter()
                .enumerate()
                .map(|(n, topic)| Need {
                    archived: false,
                    id: 0,
                    title: format!("{topic}: {field}"),
                    subgoals: (0..SUBGOALS_PER_NEED)
                        .map(|s| SubGoal {
                            archived: false,
                            id: 0,
                            title: format!("Teilziel {}.{}.{}: {topic}", f + 1, n + 1, s + 1),
                            owner: Some(DEPARTMENTS[(f + n + s) % DEPARTMENTS.len()].to_owned()),
                            weight: [1.0, 1.0, 2.0, 1.5, 3.0][(f * 7 + n * 3 + s) % 5],
                            indicators: Vec::new(),
                            milestones: Default::default(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Strategy {
        about: Default::default(),
        id: 0,
        title: format!("Digitalstrategie (Lastdaten, {} Handlungsfelder)", FIELDS),
        fields,
    }
}

/// One milestone's life: each version with the moment it was recorded, oldest first. The last
/// version is its current state. No moment lies after `now`.
pub fn history(
    dice_seed: u64,
    number: usize,
    changes: usize,
    now: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, MilestoneData)> {
    let today = now.date_naive();
    let mut dice = Dice(dice_seed);
    let six_years = 6 * 365;
    let due = add_days(today, dice.below(six_years) as i64 - 3 * 365);
    // Planned some months before it was due; never in the future.
    let planned_on = add_days(due, -(30 + dice.below(400) as i64)).min(today);
    let mut data = MilestoneData {
        title: format!(
            "{} ({number})",
            ACTIONS[dice.below(ACTIONS.len() as u64) as usize]
        ),
        due: add_days(due, -(dice.below(60) as i64)),
        status: Status::Planned,
        done_on: None,
        weight: [1.0, 1.0, 1.0, 2.0, 0.5, 3.0][dice.below(6) as usize],
        note: None,
    };
    let span = (today - planned_on).num_days().max(1);
    let changes = changes.max(1);
    // Office hours, one slot per version, so that versions on the same day stay in order.
    let slot = 9 * 3600 / changes as i64;
    let at = |step: usize, day: i64, dice: &mut Dice| {
        let seconds = 8 * 3600 + step as i64 * slot + dice.below(slot as u64) as i64;
        let time = NaiveTime::MIN + TimeDelta::seconds(seconds);
        add_days(planned_on, day).and_time(time).and_utc().min(now)
    };
    let mut versions = vec![(at(0, 0, &mut dice), data.clone())];
    for step in 1..changes {
        let day = span * step as i64 / changes as i64;
        let when = add_days(planned_on, day);
        let last = step + 1 == changes;
        if last {
            // The state it has today.
            let past = due < today;
            data.due = due;
            (data.status, data.done_on) = match dice.below(100) {
                r if past && r < 78 => (
                    Status::Done,
                    Some(add_days(due, dice.below(40) as i64 - 20).min(today)),
                ),
                r if past && r < 92 => (Status::InProgress, None),
                r if past && r < 96 => (Status::Planned, None),
                r if !past && r < 8 => (Status::Done, Some(today.min(add_days(when, 1)))),
                r if !past && r < 45 => (Status::InProgress, None),
                r if r >= 97 => (Status::Cancelled, None),
                _ => (Status::Planned, None),
            };
        } else {
            match step % 3 {
                1 => data.status = Status::InProgress,
                2 => data.due = add_days(data.due, dice.below(45) as i64),
                _ => {
                    data.note = Some(format!(
                        "Stand {}: Zwischenbericht",
                        when.format("%d.%m.%Y")
                    ))
                }
            }
        }
        versions.push((at(step, day, &mut dice), data.clone()));
    }
    versions
}

impl Store {
    /// Fills an empty database with the scale strategy of `milestones` milestones, each with
    /// `changes` versions, plus the demo accounts. Returns the strategy's id.
    pub async fn install_scale(
        &self,
        milestones: usize,
        changes: usize,
        now: DateTime<Utc>,
    ) -> Result<i64, AppError> {
        let system = Actor::system();
        // The structure is recorded before the first milestone's history begins (at most
        // four and a half years back), so that every past view shows the whole tree.
        let structure_recorded = now - TimeDelta::days(5 * 365);
        let strategy_id = self
            .import(&structure(), structure_recorded, &system)
            .await?;
        let subgoal_ids: Vec<i64> = db::query_scalar(
            "SELECT s.id FROM subgoals s JOIN needs n ON n.id = s.need_id
             JOIN fields f ON f.id = n.field_id WHERE f.strategy_id = $1 ORDER BY s.id",
        )
        .bind(strategy_id)
        .fetch_all(&self.pool)
        .await?;
        let mut turn = self.begin_write().await?;
        for number in 0..milestones {
            let subgoal_id = subgoal_ids[number % subgoal_ids.len()];
            let position = (number / subgoal_ids.len()) as i64;
            let versions = history(number as u64, number + 1, changes, now);
            let (_, current) = versions.last().expect("at least one version");
            let id: i64 = db::query_scalar(
                "INSERT INTO milestones
                   (subgoal_id, position, title, due, status, done_on, weight, note, example, version)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9) RETURNING id",
            )
            .bind(subgoal_id)
            .bind(position)
            .bind(&current.title)
            .bind(current.due)
            .bind(current.status.as_str())
            .bind(current.done_on)
            .bind(current.weight)
            .bind(&current.note)
            .bind(versions.len() as i64)
            .fetch_one(turn.tx())
            .await?;
            for (version, (at, data)) in versions.iter().enumerate() {
                let revision = Milestone {
                    id,
                    version: version as i64 + 1,
                    example: true,
                    data: data.clone(),
                };
                let change = if version == 0 { "created" } else { "updated" };
                super::milestones::write_revision(turn.tx(), subgoal_id, &revision, change, *at)
                    .await?;
            }
        }
        audit::append(
            turn.tx(),
            Entry {
                actor: &system,
                action: "strategy.scale_data",
                object_type: "strategy",
                object_id: Some(strategy_id.to_string()),
                subgoal_id: None,
                details: serde_json::json!({ "milestones": milestones, "changes": changes }),
            },
            now,
        )
        .await?;
        turn.commit(super::Reach::Everything).await?;
        super::demo::install_accounts(self, strategy_id).await?;
        self.set_setting(super::PUBLIC_READ, "on", now, &system)
            .await?;
        Ok(strategy_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn now() -> DateTime<Utc> {
        today().and_hms_opt(9, 30, 0).unwrap().and_utc()
    }

    #[test]
    fn the_structure_has_5_fields_of_6_needs_of_5_subgoals() {
        let s = structure();
        assert_eq!(s.fields.len(), 5);
        assert!(s.fields.iter().all(|f| f.needs.len() == 6));
        assert!(
            s.fields
                .iter()
                .flat_map(|f| &f.needs)
                .all(|n| n.subgoals.len() == 5)
        );
    }

    #[test]
    fn histories_are_valid_dated_in_order_and_cover_every_status() {
        let mut statuses = std::collections::HashSet::new();
        let (mut earliest, mut latest) = (today(), today());
        for n in 0..2_000 {
            let versions = history(n, n as usize + 1, 4, now());
            assert_eq!(versions.len(), 4);
            assert!(versions.windows(2).all(|w| w[0].0 <= w[1].0), "in order");
            assert!(versions.iter().all(|(at, _)| *at <= now()));
            for (_, data) in &versions {
                assert!(data.status != Status::Done || data.done_on.is_some());
                assert!(data.done_on.is_none_or(|d| d <= today()));
            }
            let current = &versions[3].1;
            statuses.insert(current.status);
            earliest = earliest.min(current.due);
            latest = latest.max(current.due);
        }
        assert_eq!(statuses.len(), 4, "{statuses:?}");
        assert!((today() - earliest).num_days() > 2 * 365);
        assert!((latest - today()).num_days() > 2 * 365);
        assert_eq!(history(7, 8, 4, now()), history(7, 8, 4, now()));
    }
}
