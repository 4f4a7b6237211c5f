//! How numbers and dates read in each language.

use crate::{domain::progress, i18n::Locale};
use chrono::NaiveDate;

/// `30.06.2026` in German, `30 Jun 2026` in English.
pub fn date(locale: Locale, date: NaiveDate) -> String {
    match locale {
        Locale::de => date.format("%d.%m.%Y").to_string(),
        Locale::en => date.format("%-d %b %Y").to_string(),
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

/// A weight as typed in this language: `1,5` or `1.5`.
pub fn weight(locale: Locale, value: f64) -> String {
    let text = crate::domain::validation::format_weight(value);
    match locale {
        Locale::de => text.replace('.', ","),
        Locale::en => text,
    }
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
    }
}
