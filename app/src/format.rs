//! How numbers and dates read in each language.

use crate::{
    domain::{
        ScheduleState, progress,
        report::{Delta, Moved},
    },
    i18n::{Locale, td_string},
};
use chrono::{Datelike, NaiveDate};

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A schedule state in words ("überfällig"), as badges, tables and spreadsheets name it.
pub fn state(locale: Locale, state: ScheduleState) -> &'static str {
    match state {
        ScheduleState::Done => td_string!(locale, state.done),
        ScheduleState::OnTrack => td_string!(locale, state.on_track),
        ScheduleState::DueSoon => td_string!(locale, state.due_soon),
        ScheduleState::Overdue => td_string!(locale, state.overdue),
        ScheduleState::NoPlan => td_string!(locale, state.no_plan),
        ScheduleState::Cancelled => td_string!(locale, state.cancelled),
    }
}

/// A reporting rhythm in words ("vierteljährlich").
pub fn rhythm(locale: Locale, rhythm: crate::domain::rhythm::Rhythm) -> &'static str {
    use crate::domain::rhythm::Rhythm;
    match rhythm {
        Rhythm::Monthly => td_string!(locale, rhythm.monthly),
        Rhythm::Quarterly => td_string!(locale, rhythm.quarterly),
        Rhythm::HalfYearly => td_string!(locale, rhythm.half_yearly),
    }
}

/// `30.06.2026` in German, `30 Jun 2026` in English.
pub fn date(locale: Locale, date: NaiveDate) -> String {
    match locale {
        Locale::de => date.format("%d.%m.%Y").to_string(),
        Locale::en => date.format("%-d %b %Y").to_string(),
    }
}

/// `März 2028` or `March 2028`: a forecast is no more exact than its month.
pub fn month(locale: Locale, date: NaiveDate) -> String {
    let names = match locale {
        Locale::de => &MONTHS_DE,
        Locale::en => &MONTHS_EN,
    };
    format!("{} {}", names[date.month0() as usize], date.year())
}

/// A decimal with two places: `0,33` or `0.33`.
pub fn decimal(locale: Locale, value: f64) -> String {
    let text = format!("{value:.2}");
    match locale {
        Locale::de => text.replace('.', ","),
        Locale::en => text,
    }
}

/// `62 %` (with a no-break space, as German typography has it) or `62%`.
pub fn percent(locale: Locale, value: f64) -> String {
    let whole = progress::whole_percent(value);
    match locale {
        Locale::de => format!("{whole}\u{a0}%"),
        Locale::en => format!("{whole}%"),
    }
}

/// A count with its thousands grouped: `3.335` or `3,335`.
pub fn count(locale: Locale, value: usize) -> String {
    let separator = match locale {
        Locale::de => '.',
        Locale::en => ',',
    };
    let digits = value.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(separator);
        }
        text.push(digit);
    }
    text
}

/// A weight as typed in this language: `1,5` or `1.5`.
pub fn weight(locale: Locale, value: f64) -> String {
    let text = crate::domain::validation::format_weight(value);
    match locale {
        Locale::de => text.replace('.', ","),
        Locale::en => text,
    }
}

/// A measured value (an indicator's): `12`, `12,5` or `12.5`, rounded to six decimals so that
/// computed values such as 0.30000000000000004 read as 0,3.
pub fn measured(locale: Locale, value: f64) -> String {
    weight(locale, (value * 1e6).round() / 1e6)
}

/// A change in words a council member reads at once: "+12 Prozentpunkte; 4 Meilensteine
/// erreicht; 1 neu überfällig".
pub fn delta(locale: Locale, delta: &Delta) -> String {
    let mut parts = Vec::new();
    if let Some(points) = delta.points {
        let whole = points.round() as i64;
        if whole != 0 {
            let sign = if whole > 0 { "+" } else { "−" };
            parts.push(match whole.abs() {
                1 => td_string!(locale, report.points_one, sign).to_string(),
                n => td_string!(locale, report.points, sign, points = n),
            });
        }
    }
    // "1 Meilenstein erreicht", "4 Meilensteine erreicht", or nothing for none.
    macro_rules! counted {
        ($n:expr, $one:ident, $many:ident) => {
            match $n {
                0 => None,
                1 => Some(td_string!(locale, report.$one).to_owned()),
                count => Some(td_string!(locale, report.$many, count)),
            }
        };
    }
    parts.extend(
        [
            counted!(delta.reached.len(), reached_one, reached),
            counted!(delta.newly_overdue.len(), overdue_one, overdue),
            counted!(delta.moved.len(), moved_one, moved),
            counted!(delta.added.len(), added_one, added),
            counted!(delta.cancelled.len(), cancelled_one, cancelled),
            counted!(delta.removed.len(), removed_one, removed),
        ]
        .into_iter()
        .flatten(),
    );
    if parts.is_empty() {
        td_string!(locale, report.no_change).to_owned()
    } else {
        parts.join("; ")
    }
}

/// A moved due date in words: "Titel: 01.03.2027 → 15.04.2027 (45 Tage später)".
pub fn moved(locale: Locale, moved: &Moved) -> String {
    let days = if moved.days > 0 {
        td_string!(locale, report.days_later, days = moved.days)
    } else {
        td_string!(locale, report.days_earlier, days = -moved.days)
    };
    td_string!(
        locale,
        report.moved_item,
        title = moved.milestone.title.clone(),
        from = date(locale, moved.from),
        to = date(locale, moved.to),
        days
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_percents_follow_the_language() {
        let day = NaiveDate::from_ymd_opt(2026, 6, 3).unwrap();
        assert_eq!(date(Locale::de, day), "03.06.2026");
        assert_eq!(date(Locale::en, day), "3 Jun 2026");
        assert_eq!(percent(Locale::de, 62.4), "62\u{a0}%");
        assert_eq!(percent(Locale::en, 62.5), "63%");
        assert_eq!(weight(Locale::de, 1.5), "1,5");
        assert_eq!(count(Locale::de, 3335), "3.335");
        assert_eq!(count(Locale::en, 1_234_567), "1,234,567");
        assert_eq!(count(Locale::de, 200), "200");
        assert_eq!(count(Locale::en, 0), "0");
        assert_eq!(month(Locale::de, day.with_month(3).unwrap()), "März 2026");
        assert_eq!(
            month(Locale::en, day.with_month(12).unwrap()),
            "December 2026"
        );
        assert_eq!(decimal(Locale::de, 1.0 / 3.0), "0,33");
    }
}
