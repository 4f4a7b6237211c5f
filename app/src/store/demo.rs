//! The demo: the City of Mainz's field of action "Bildung und Zusammenleben" as published in its
//! digital strategy (titles, goal, the projects it builds on, needs and sub-goals, verbatim),
//! with invented owners and milestones, marked as example data. Dates are relative to the day
//! the demo is created, so it always shows work reached, under way, due soon and late.

use crate::domain::{Field, Milestone, MilestoneData, Need, Status, Strategy, SubGoal};
use chrono::{Days, NaiveDate};
use std::sync::Arc;

pub const STRATEGY_TITLE: &str = "Digitalisierungsstrategie für die Gutenbergstadt";
pub const FIELD_TITLE: &str = "Bildung und Zusammenleben";
pub const FIELD_GOAL: &str = "Wir nutzen digitale Technologien, um die Bildungslandschaft und den \
sozialen Zusammenhalt zu stärken sowie Chancengleichheit zu fördern. In unseren Stadtteilen und \
Quartieren unterstützen wir Integration und Gemeinwesen mit digitalen Lösungen.";

pub const BUILDS_ON: [&str; 13] = [
    "Umsetzung des „Digitalpakts Schule“",
    "Bildung einer Arbeitsgruppe zur Digitalisierung",
    "Erleichterter Zugang zu WLAN für Familien und Jugendliche",
    "Informationsplattform für Kinder und Jugendliche",
    "Plattform für die Mainzer Ferienkarte",
    "Digitaler Kompetenzaufbau an der Volkshochschule (VHS)",
    "Einführung der App „Stadt | Land | DatenFluss“",
    "Digitales Häuserbuch von Mainz",
    "Digitale Angebote der Büchereien",
    "Digitalisierte Bestände der wissenschaftlichen Stadtbibliothek",
    "Museumsportal Rheinland-Pfalz",
    "Plattform „museum-digital“",
    "Virtueller Gutenberg-Marathon „Alleine Zusammen“",
];

/// (need, [(sub-goal, invented owner)])
pub const NEEDS: [(&str, &[(&str, &str)]); 5] = [
    (
        "Digitale Infrastruktur in Bildungs- und Kultureinrichtungen stärken",
        &[
            (WLAN_SUBGOAL, "Amt für Schule und Bildung"),
            ("Breitbandanbindung sichern", "Hauptamt – Digitalisierung"),
            (
                "Bereitstellung mobiler Endgeräte ermöglichen",
                "Amt für Schule und Bildung",
            ),
        ],
    ),
    (
        "Digitale Kompetenzen und Kommunikation fördern",
        &[
            (
                "Inhalte für Lern- und Wissens- sowie Kommunikationsplattformen in Bildung und \
                 Kultur generieren",
                "Kulturamt",
            ),
            (
                "Lese- und Sprachförderung stärken",
                "Öffentliche Bücherei – Anna Seghers",
            ),
            ("Kompetenzentwicklung fördern", "Volkshochschule Mainz"),
        ],
    ),
    (
        "Kinder und Jugendliche erreichen",
        &[
            (
                "Kommunikation zielgruppengerecht ausgestalten",
                "Amt für Jugend und Familie",
            ),
            (
                "Analoge und digitale Angebote aufeinander abstimmen",
                "Amt für Jugend und Familie",
            ),
        ],
    ),
    (
        "Ältere Menschen erreichen",
        &[
            ("Digitale Lernorte aufbauen", "Volkshochschule Mainz"),
            (
                "Mitmenschen sensibilisieren, ältere Menschen bei digitalen Themen zu unterstützen",
                "Amt für soziale Leistungen – Seniorenarbeit",
            ),
        ],
    ),
    (
        "Digitale Teilhabe fördern",
        &[
            (
                "Medienkompetenzen in allen Bildungsschichten fördern",
                "Volkshochschule Mainz",
            ),
            (
                "Digitale Zugänge fördern (Infrastruktur, z. B. Breitbandanschlüsse)",
                "Hauptamt – Digitalisierung",
            ),
        ],
    ),
];

/// Invented milestones per sub-goal, in the order of [`NEEDS`]: (title, due in days from
/// today, status, reached days from today, weight).
type Plan = &'static [(&'static str, i64, Status, Option<i64>, f64)];
/// The sub-goal the example indicator belongs to.
const WLAN_SUBGOAL: &str = "WLAN und Hotspots ausbauen";

const MILESTONES: [Plan; 12] = {
    use Status::*;
    [
        &[
            (
                "Bestandsaufnahme WLAN an allen Schulen",
                -300,
                Done,
                Some(-310),
                1.0,
            ),
            (
                "Ausschreibung Access Points vergeben",
                -120,
                Done,
                Some(-80),
                1.0,
            ),
            ("WLAN in allen Grundschulen", 10, InProgress, None, 2.0),
            (
                "WLAN in allen weiterführenden Schulen",
                200,
                Planned,
                None,
                2.0,
            ),
        ],
        &[
            (
                "Anbindungsbedarf der Schulen erhoben",
                -200,
                Done,
                Some(-205),
                1.0,
            ),
            (
                "Glasfaseranschluss für 20 Schulstandorte",
                -20,
                InProgress,
                None,
                3.0,
            ),
        ],
        &[
            (
                "Ausleihkonzept für Endgeräte beschlossen",
                -250,
                Done,
                Some(-240),
                1.0,
            ),
            (
                "1.500 Tablets an Schulen ausgegeben",
                -60,
                Done,
                Some(-65),
                2.0,
            ),
            (
                "Geräteverwaltung (MDM) für alle Schulen",
                45,
                InProgress,
                None,
                1.0,
            ),
        ],
        &[
            (
                "Redaktionsleitfaden für Lernplattform",
                -90,
                Done,
                Some(-95),
                1.0,
            ),
            ("50 Lerneinheiten veröffentlicht", 120, Planned, None, 2.0),
        ],
        &[
            (
                "Onleihe-Angebot der Büchereien erweitert",
                -150,
                Done,
                Some(-160),
                1.0,
            ),
            (
                "Digitale Vorlesestunden in Stadtteilbibliotheken",
                5,
                InProgress,
                None,
                1.0,
            ),
        ],
        &[
            (
                "Fortbildungsreihe für Lehrkräfte gestartet",
                -30,
                InProgress,
                None,
                1.0,
            ),
            ("Kursprogramm Digitale Grundbildung", 90, Planned, None, 1.0),
            (
                "Pilot Lernlabor (verworfen zugunsten der VHS-Kurse)",
                -100,
                Cancelled,
                None,
                1.0,
            ),
        ],
        &[
            (
                "Zielgruppenbefragung Jugendliche",
                -180,
                Done,
                Some(-170),
                1.0,
            ),
            (
                "Informationsplattform neu gestaltet",
                150,
                Planned,
                None,
                2.0,
            ),
        ],
        &[(
            "Angebotslandkarte analog und digital",
            60,
            Planned,
            None,
            1.0,
        )],
        &[
            (
                "Zwei digitale Lernorte in Stadtteiltreffs eröffnet",
                -45,
                InProgress,
                None,
                2.0,
            ),
            (
                "Sprechstunde „Digital fit im Alter“",
                30,
                Planned,
                None,
                1.0,
            ),
        ],
        &[],
        &[
            (
                "Medienkompetenz-Kurse in allen Stadtteilen",
                -10,
                InProgress,
                None,
                1.0,
            ),
            ("Kursangebot in leichter Sprache", 180, Planned, None, 1.0),
        ],
        &[
            (
                "Öffentliche WLAN-Hotspots an 10 Plätzen",
                -70,
                Done,
                Some(-75),
                1.0,
            ),
            (
                "Förderantrag Breitband Gewerbegebiete",
                12,
                Planned,
                None,
                1.0,
            ),
        ],
    ]
};

fn shifted(today: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        today + Days::new(days as u64)
    } else {
        today - Days::new(days.unsigned_abs())
    }
}

/// The demo strategy, not stored yet (ids are 0).
pub fn mainz(today: NaiveDate) -> Strategy {
    let mut plans = MILESTONES.iter();
    let needs = NEEDS
        .iter()
        .map(|(need, subgoals)| Need {
            archived: false,
            id: 0,
            title: (*need).to_owned(),
            subgoals: subgoals
                .iter()
                .map(|(title, owner)| SubGoal {
                    archived: false,
                    id: 0,
                    title: (*title).to_owned(),
                    owner: Some((*owner).to_owned()),
                    weight: 1.0,
                    indicators: Vec::new(),
                    milestones: plans
                        .next()
                        .copied()
                        .unwrap_or_default()
                        .iter()
                        .map(|(title, due, status, done, weight)| Milestone {
                            id: 0,
                            version: 0,
                            example: true,
                            data: MilestoneData {
                                title: (*title).to_owned(),
                                due: shifted(today, *due),
                                status: *status,
                                done_on: done.map(|d| shifted(today, d)),
                                weight: *weight,
                                note: None,
                            },
                        })
                        .collect::<Vec<_>>()
                        .into(),
                })
                .collect(),
        })
        .collect();
    Strategy {
        about: crate::domain::About {
            city: Some("Mainz".to_owned()),
            ..Default::default()
        },
        id: 0,
        title: STRATEGY_TITLE.to_owned(),
        fields: vec![Field {
            archived: false,
            id: 0,
            title: FIELD_TITLE.to_owned(),
            goal: Some(FIELD_GOAL.to_owned()),
            builds_on: BUILDS_ON.iter().map(|s| (*s).to_owned()).collect(),
            needs,
        }],
    }
}

/// The demo's accounts, one per role: (login, name, role, password, sub-goals owned by the
/// department of this name). Their passwords are printed in the README: demo only.
pub const DEMO_USERS: [(&str, &str, crate::domain::access::Role, &str, Option<&str>); 4] = {
    use crate::domain::access::Role::*;
    [
        (
            "cdo",
            "CDO-Büro (Demo)",
            Admin,
            "gutenberg-druckt-2026",
            None,
        ),
        (
            "schulamt",
            "Amt für Schule und Bildung (Demo)",
            Owner,
            "wlan-fuer-alle-schulen",
            Some("Amt für Schule und Bildung"),
        ),
        (
            "vhs",
            "Volkshochschule Mainz (Demo)",
            Owner,
            "lernen-ein-leben-lang",
            Some("Volkshochschule Mainz"),
        ),
        (
            "rat",
            "Stadtrat (Demo)",
            Viewer,
            "ratssitzung-im-stadthaus",
            None,
        ),
    ]
};

/// Fills a new database with the demo: the Mainz strategy with a history (see [`install_history`]),
/// one account per role, and public read access switched on.
pub async fn install(store: &super::Store, today: NaiveDate) -> Result<(), crate::error::AppError> {
    let now = chrono::Utc::now();
    let system = crate::audit::Actor::system();
    let strategy_id = install_history(store, today, now).await?;
    install_accounts(store, strategy_id).await?;
    store.note_demo_reports().await?;
    store
        .set_setting(super::PUBLIC_READ, "on", now, &system)
        .await
}

/// The demo strategy recorded the way a city would have recorded it, so that past views show
/// earlier figures: the whole plan (every milestone planned) a month before the first milestone
/// was reached, then each milestone's state as reports came in: reached ones the day after they
/// were reached, work started 60 days before it was due, cancellations 45 days ago. No moment
/// lies after `now`. Returns the strategy's id.
pub async fn install_history(
    store: &super::Store,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64, crate::error::AppError> {
    use chrono::{DateTime, NaiveTime, Utc};
    let system = crate::audit::Actor::system();
    let at = |day: NaiveDate, hour: u32| -> DateTime<Utc> {
        let time = NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN);
        day.and_time(time).and_utc().min(now)
    };
    let target = mainz(today);
    let milestones = || {
        target
            .fields
            .iter()
            .flat_map(|f| &f.needs)
            .flat_map(|n| &n.subgoals)
            .flat_map(|s| s.milestones.iter())
    };
    let first_reached = milestones()
        .filter_map(|m| m.data.done_on)
        .min()
        .unwrap_or(today)
        .min(shifted(today, -30));
    let mut plan = target.clone();
    for milestone in plan
        .fields
        .iter_mut()
        .flat_map(|f| &mut f.needs)
        .flat_map(|n| &mut n.subgoals)
        .flat_map(|s| Arc::make_mut(&mut s.milestones))
    {
        milestone.data.status = Status::Planned;
        milestone.data.done_on = None;
    }
    let id = store
        .import(&plan, at(shifted(first_reached, -30), 9), &system)
        .await?;
    let stored = store
        .strategy(id)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let stored_ids = stored
        .fields
        .iter()
        .flat_map(|f| &f.needs)
        .flat_map(|n| &n.subgoals)
        .flat_map(|s| s.milestones.iter().map(|m| m.id));
    let mut reports: Vec<(DateTime<Utc>, i64, &MilestoneData)> = stored_ids
        .zip(milestones())
        .filter_map(|(id, m)| {
            let data = &m.data;
            let when = match data.status {
                Status::Planned => return None,
                Status::Done => at(shifted(data.done_on.unwrap_or(today), 1), 10),
                Status::InProgress => at(shifted(data.due, -60).max(first_reached), 11),
                Status::Cancelled => at(shifted(today, -45), 12),
            };
            Some((when, id, data))
        })
        .collect();
    reports.sort_by_key(|(when, id, _)| (*when, *id));
    for (when, milestone_id, data) in reports {
        store
            .update_milestone(milestone_id, 1, data, when, &system)
            .await?;
    }
    install_indicator(store, &stored, today, at(shifted(first_reached, -30), 10)).await?;
    Ok(id)
}

/// An example indicator for the WLAN sub-goal, with readings recorded as they came in:
/// "Schulen mit WLAN: 12 → 65". Its milestones still measure the sub-goal's progress.
async fn install_indicator(
    store: &super::Store,
    stored: &Strategy,
    today: NaiveDate,
    created: chrono::DateTime<chrono::Utc>,
) -> Result<(), crate::error::AppError> {
    use crate::domain::{
        Direction, IndicatorData,
        indicator::{Point, ReadingData},
    };
    let system = crate::audit::Actor::system();
    let Some(wlan) = stored
        .fields
        .iter()
        .flat_map(|f| &f.needs)
        .flat_map(|n| &n.subgoals)
        .find(|s| s.title == WLAN_SUBGOAL)
    else {
        return Ok(());
    };
    let data = IndicatorData {
        name: "Schulen mit WLAN (Beispiel)".to_owned(),
        unit: "Schulen".to_owned(),
        direction: Direction::Rising,
        baseline: Point {
            value: 12.0,
            on: shifted(today, -730),
        },
        target: Point {
            value: 65.0,
            on: shifted(today, 730),
        },
    };
    let indicator = store
        .add_indicator(wlan.id, &data, created, &system)
        .await?;
    for (days, value) in [(-540, 18.0), (-360, 27.0), (-180, 34.0), (-40, 40.0)] {
        let on = shifted(today, days);
        let reading = ReadingData {
            on,
            value,
            note: None,
        };
        let recorded = on
            .and_hms_opt(10, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or(created)
            .max(created)
            .min(chrono::Utc::now());
        store
            .record_reading(indicator, &reading, recorded, &system)
            .await?;
    }
    Ok(())
}

/// The demo accounts ([`DEMO_USERS`]); owners get the sub-goals of their department.
pub async fn install_accounts(
    store: &super::Store,
    strategy_id: i64,
) -> Result<(), crate::error::AppError> {
    let now = chrono::Utc::now();
    let system = crate::audit::Actor::system();
    let strategy = store
        .strategy(strategy_id)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    for (login, name, role, password, department) in DEMO_USERS {
        let hash = crate::auth::hash_password(password.to_owned()).await?;
        let user_id = store
            .create_user(login, name, role, &hash, now, &system)
            .await?;
        let owned = strategy
            .fields
            .iter()
            .flat_map(|f| &f.needs)
            .flat_map(|n| &n.subgoals)
            .filter(|s| department.is_some() && s.owner.as_deref() == department);
        for subgoal in owned {
            store
                .assign_subgoal(user_id, subgoal.id, now, &system)
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ScheduleState, progress, schedule};

    #[test]
    fn the_demo_has_the_seeds_structure() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let strategy = mainz(today);
        let field = &strategy.fields[0];
        assert_eq!(field.needs.len(), 5);
        assert_eq!(
            field.needs.iter().map(|n| n.subgoals.len()).sum::<usize>(),
            12
        );
        assert_eq!(field.builds_on.len(), 13);
        assert!(field.needs[1].subgoals[0].title.starts_with(
            "Inhalte für Lern- und Wissens- sowie Kommunikationsplattformen in Bildung und Kultur generieren"
        ));
        assert!(!field.needs[1].subgoals[0].title.contains("  "));
    }

    #[test]
    fn demo_passwords_pass_the_rules_for_new_passwords() {
        for (login, name, _, password, _) in DEMO_USERS {
            assert_eq!(
                crate::auth::check_new_password(password, &[login, name]),
                Ok(()),
                "{login}"
            );
        }
    }

    #[test]
    fn the_demo_shows_every_state_and_is_valid() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let strategy = mainz(today);
        let json = crate::domain::document::export(&strategy, today).to_string();
        assert_eq!(crate::domain::document::parse(&json).unwrap(), strategy);
        let states: Vec<ScheduleState> = strategy.fields[0]
            .needs
            .iter()
            .flat_map(|n| &n.subgoals)
            .map(|s| schedule::of_subgoal(s, today))
            .collect();
        for state in [
            ScheduleState::Overdue,
            ScheduleState::DueSoon,
            ScheduleState::OnTrack,
            ScheduleState::NoPlan,
        ] {
            assert!(states.contains(&state), "{state:?} missing");
        }
        let p = progress::of_strategy(&strategy).unwrap();
        assert!(p > 10.0 && p < 90.0, "{p}");
    }
}
