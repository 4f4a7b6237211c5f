//! The words of a reminder e-mail (see `domain::reminders`), in the recipient's language: a
//! subject and a plain-text body with a link to each sub-goal and to the owner's page.

use crate::{
    domain::reminders::{Digest, Line},
    format,
    i18n::{Locale, td_string},
};

/// The subject and body of `digest`, with links under `public_url` (scheme and host).
pub fn compose(digest: &Digest<Locale>, public_url: &str) -> (String, String) {
    let locale = digest.language;
    let late: Vec<&Line> = digest.late().collect();
    let soon: Vec<&Line> = digest.soon().collect();
    let subject = td_string!(
        locale,
        reminder.subject,
        late = late.len(),
        soon = soon.len()
    )
    .to_string();
    let mut body = String::new();
    let mut line = |text: &str| {
        body.push_str(text);
        body.push('\n');
    };
    line(&td_string!(locale, reminder.greeting, name = &digest.name).to_string());
    line("");
    line(td_string!(locale, reminder.intro));
    for (heading, lines, is_late) in [
        (td_string!(locale, reminder.late_heading), &late, true),
        (td_string!(locale, reminder.soon_heading), &soon, false),
    ] {
        if lines.is_empty() {
            continue;
        }
        line("");
        line(heading);
        for item in lines.iter() {
            let due = item.standing.due;
            let (start, end, deadline) = (
                format::date(locale, due.start),
                format::date(locale, due.end),
                format::date(locale, due.deadline),
            );
            let what = if is_late {
                td_string!(
                    locale,
                    reminder.late_line,
                    start = start,
                    end = end,
                    deadline = deadline
                )
                .to_string()
            } else {
                td_string!(
                    locale,
                    reminder.soon_line,
                    start = start,
                    end = end,
                    deadline = deadline
                )
                .to_string()
            };
            let subgoal = &item.subgoal;
            line(&format!("- {} ({}): {what}", subgoal.title, subgoal.need));
            line(&format!("  {public_url}/subgoals/{}", subgoal.subgoal_id));
        }
    }
    line("");
    line(td_string!(locale, reminder.how));
    line(&format!("{public_url}/my-subgoals"));
    line("");
    line("-- ");
    line(td_string!(locale, reminder.footer));
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        reminders::{Key, Kind, Owned},
        rhythm::{Period, Standing},
    };

    fn d(text: &str) -> chrono::NaiveDate {
        text.parse().unwrap()
    }

    fn digest(language: Locale) -> Digest<Locale> {
        let line = |id: i64, kind: Kind, days_late: i64| Line {
            subgoal: Owned {
                subgoal_id: id,
                title: format!("Teilziel {id}"),
                need: "Digitale Bildung".to_owned(),
            },
            key: Key {
                subgoal_id: id,
                deadline: d("2027-01-14"),
                kind,
                round: 0,
            },
            standing: Standing {
                due: Period {
                    start: d("2026-10-01"),
                    end: d("2026-12-31"),
                    deadline: d("2027-01-14"),
                },
                days_late,
            },
        };
        Digest {
            user_id: 1,
            login: "schule".to_owned(),
            name: "Amt für Schulen".to_owned(),
            email: "schule@mainz.de".to_owned(),
            language,
            lines: vec![line(4, Kind::Late, 3), line(7, Kind::Soon, 0)],
        }
    }

    #[test]
    fn a_digest_is_worded_in_its_language_with_links() {
        let (subject, body) = compose(&digest(Locale::de), "https://ms.mainz.de");
        assert!(
            subject.contains("überfällig: 1, bald fällig: 1"),
            "{subject}"
        );
        assert!(body.starts_with("Guten Tag Amt für Schulen,\n"), "{body}");
        assert!(body.contains("Überfällig:\n- Teilziel 4 (Digitale Bildung): Bericht für 01.10.2026 bis 31.12.2026 war fällig bis 14.01.2027\n  https://ms.mainz.de/subgoals/4\n"), "{body}");
        assert!(body.contains("Bald fällig:\n- Teilziel 7"), "{body}");
        assert!(body.contains("https://ms.mainz.de/my-subgoals\n"), "{body}");
        let (subject, body) = compose(&digest(Locale::en), "https://ms.mainz.de");
        assert!(subject.contains("late: 1, due soon: 1"), "{subject}");
        assert!(body.contains("Late:\n- Teilziel 4 (Digitale Bildung): the report for 1 Oct 2026 to 31 Dec 2026 was due by 14 Jan 2027"), "{body}");
        assert!(!body.contains("Überfällig"), "{body}");
    }

    #[test]
    fn a_digest_without_late_reports_has_no_late_heading() {
        let mut only_soon = digest(Locale::de);
        only_soon.lines.remove(0);
        let (_, body) = compose(&only_soon, "http://localhost:3000");
        assert!(!body.contains("Überfällig:"), "{body}");
        assert!(body.contains("Bald fällig:"), "{body}");
    }
}
