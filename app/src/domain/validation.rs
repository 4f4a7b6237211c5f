//! The checks every way in (forms, documents, the command line) shares, so a value refused in
//! one place is refused everywhere.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A status report's note, the reason a due date moved.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// Grace days after a reporting period: more than a quarter is no deadline.
pub const MAX_GRACE_DAYS: u32 = 90;
/// Titles of strategies, fields, needs, sub-goals, milestones and owners.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longer texts: a field's goal, a milestone's note.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// A weight beyond this is a typing error, not a plan.
pub const MAX_WEIGHT: f64 = 1_000.0;
/// Passwords: long enough to resist guessing, no composition rules; pasting a long one works.
pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 12..=1024;
/// Login names: short, and typed often.
pub const MAX_LOGIN_CHARS: usize = 64;
/// Dates outside these years are typing errors (a year with five digits, say).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// What is wrong with one value. The UI words it in the user's language.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    NotADate,
    DateOutOfRange,
    NotANumber,
    NotPositive,
    TooLarge {
        max: f64,
    },
    UnknownStatus,
    RequiredWhenDone,
    TooShort {
        min: usize,
    },
    NotALoginName,
    CommonPassword,
    UnknownRole,
    /// An admin may not lock themselves out (deactivate or demote their own account).
    OwnAccount,
    /// A day to look back to, or of a reading, that has not come yet.
    InFuture,
    /// An indicator's direction other than rising or falling.
    UnknownDirection,
    /// An indicator's target equal to its baseline: nothing to measure.
    EqualsBaseline,
    /// A rising indicator's target below its baseline.
    TargetNotAbove,
    /// A falling indicator's target above its baseline.
    TargetNotBelow,
    /// A target day not after the baseline day.
    NotAfterBaseline,
    /// A reading measured before the indicator's baseline day.
    BeforeBaseline,
    /// A number such as `1.100` that reads as 1100 in German and 1.1 in English.
    AmbiguousNumber,
    /// Someone else saved the item since the form was loaded; nothing was overwritten.
    ChangedMeanwhile,
    /// A report withdrawn once is not withdrawn again.
    AlreadyWithdrawn,
    /// Not a web origin such as `https://www.mainz.de` (scheme and host, no path).
    NotAnOrigin,
    /// A reporting rhythm other than monthly, quarterly or half-yearly.
    UnknownRhythm,
    /// Not a whole number (of days, say).
    NotAWholeNumber,
    /// Not an e-mail address such as `name@mainz.de`.
    NotAnEmail,
    /// A language other than German or English.
    UnknownLanguage,
    /// Not a year Meilenstein takes (`YEARS`).
    NotAYear,
    /// A period whose last year comes before its first.
    EndsBeforeStart,
    /// None of the choices offered (a select's value that no option has).
    UnknownChoice,
    /// Not a web address such as `https://www.mainz.de/barrierefreiheit`.
    NotAWebAddress,
    /// A control character (other than a line break in a long text).
    ControlCharacter,
}

impl fmt::Display for Problem {
    /// The English wording used by the command line and the open-data API.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Required => write!(f, "must not be empty"),
            Problem::TooLong { max } => write!(f, "longer than {max} characters"),
            Problem::NotADate => write!(f, "not a date (expected YYYY-MM-DD)"),
            Problem::DateOutOfRange => write!(f, "year outside {}–{}", YEARS.start(), YEARS.end()),
            Problem::NotANumber => write!(f, "not a number"),
            Problem::NotPositive => write!(f, "must be greater than 0"),
            Problem::TooLarge { max } => write!(f, "must be at most {max}"),
            Problem::UnknownStatus => write!(
                f,
                "unknown status (expected planned, in_progress, done or cancelled)"
            ),
            Problem::RequiredWhenDone => write!(f, "required when the status is done"),
            Problem::TooShort { min } => write!(f, "shorter than {min} characters"),
            Problem::NotALoginName => write!(
                f,
                "use letters, digits and . _ - @ only, at most {MAX_LOGIN_CHARS} characters"
            ),
            Problem::CommonPassword => {
                write!(f, "too common or too easy to guess; choose another")
            }
            Problem::UnknownRole => write!(f, "unknown role (expected admin, owner or viewer)"),
            Problem::OwnAccount => write!(f, "not for your own account"),
            Problem::InFuture => write!(f, "lies in the future"),
            Problem::UnknownDirection => {
                write!(f, "unknown direction (expected rising or falling)")
            }
            Problem::EqualsBaseline => write!(f, "must differ from the baseline value"),
            Problem::TargetNotAbove => {
                write!(f, "must be above the baseline value when rising is good")
            }
            Problem::TargetNotBelow => {
                write!(f, "must be below the baseline value when falling is good")
            }
            Problem::NotAfterBaseline => write!(f, "must be after the baseline date"),
            Problem::BeforeBaseline => write!(f, "lies before the baseline date"),
            Problem::AmbiguousNumber => write!(
                f,
                "ambiguous: write 1100 for one thousand one hundred, 1,1 or 1.10 for one point one"
            ),
            Problem::ChangedMeanwhile => write!(
                f,
                "was changed by someone else meanwhile; check the current state and save again"
            ),
            Problem::AlreadyWithdrawn => write!(f, "this report has been withdrawn already"),
            Problem::NotAnOrigin => write!(
                f,
                "each address starts with https:// or http:// and names only the host, e.g. https://www.mainz.de"
            ),
            Problem::UnknownRhythm => write!(
                f,
                "unknown reporting rhythm (expected monthly, quarterly or half_yearly)"
            ),
            Problem::NotAWholeNumber => write!(f, "not a whole number"),
            Problem::NotAnEmail => write!(f, "not an e-mail address such as name@mainz.de"),
            Problem::UnknownLanguage => write!(f, "unknown language (expected de or en)"),
            Problem::NotAYear => write!(
                f,
                "not a year between {} and {}",
                YEARS.start(),
                YEARS.end()
            ),
            Problem::EndsBeforeStart => write!(f, "the last year comes before the first"),
            Problem::UnknownChoice => write!(f, "not one of the choices offered"),
            Problem::NotAWebAddress => write!(
                f,
                "not a web address starting with https:// or http://, e.g. https://www.mainz.de/barrierefreiheit"
            ),
            Problem::ControlCharacter => write!(f, "contains a control character"),
        }
    }
}

/// The fields of the milestone form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneField {
    Title,
    Due,
    Status,
    DoneOn,
    Weight,
    Note,
}

impl MilestoneField {
    /// The form field's and the document key's name.
    pub fn as_str(self) -> &'static str {
        match self {
            MilestoneField::Title => "title",
            MilestoneField::Due => "due",
            MilestoneField::Status => "status",
            MilestoneField::DoneOn => "done_on",
            MilestoneField::Weight => "weight",
            MilestoneField::Note => "note",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: MilestoneField,
    pub problem: Problem,
}

/// A required one-line text: trimmed, not empty, at most [`MAX_TITLE_CHARS`].
pub fn title(text: &str) -> Result<String, Problem> {
    match optional_text(text, MAX_TITLE_CHARS)? {
        Some(title) => Ok(title),
        None => Err(Problem::Required),
    }
}

/// An optional text: trimmed, empty means absent.
pub fn optional_text(text: &str, max: usize) -> Result<Option<String>, Problem> {
    let text = text.trim();
    if text.is_empty() {
        Ok(None)
    } else if text.chars().count() > max {
        Err(Problem::TooLong { max })
    } else {
        Ok(Some(text.to_owned()))
    }
}

/// A calendar date written as `YYYY-MM-DD`, which is also what `<input type="date">` sends.
/// Impossible days such as `2026-02-30` are refused.
pub fn date(text: &str) -> Result<NaiveDate, Problem> {
    match optional_date(text)? {
        Some(date) => Ok(date),
        None => Err(Problem::Required),
    }
}

pub fn optional_date(text: &str) -> Result<Option<NaiveDate>, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(Problem::NotADate);
    }
    // Digits in place (checked above): read them without chrono's format parser, which the
    // browser's bundle need not carry.
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
    let date = match (number(0..4), number(5..7), number(8..10)) {
        (Some(year), Some(month), Some(day)) => {
            NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(Problem::NotADate)?
        }
        _ => return Err(Problem::NotADate),
    };
    if YEARS.contains(&date.year()) {
        Ok(Some(date))
    } else {
        Err(Problem::DateOutOfRange)
    }
}

/// A day to look back to (`?as_of=`): a date not after `today`. Empty means today's view.
pub fn as_of(text: &str, today: NaiveDate) -> Result<Option<NaiveDate>, Problem> {
    match optional_date(text)? {
        Some(date) if date > today => Err(Problem::InFuture),
        other => Ok(other),
    }
}

/// A weight as typed: `2`, `1.5` or the German `1,5`. Empty means the default, 1.
pub fn weight_text(text: &str) -> Result<f64, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(1.0);
    }
    weight(decimal(text).ok_or(Problem::NotANumber)?)
}

/// A decimal number as people write it: digits with at most one `.` or `,` (`2`, `1.5`, `1,5`,
/// `.5`) and an optional sign; no exponent, no thousands separators, at most 15 digits. Read
/// exactly (the nearest `f64`, as `str::parse` gives it: both integers are exact, the division
/// rounds once) without the float parser, which the browser's bundle need not carry.
fn decimal(text: &str) -> Option<f64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = match digits.find(['.', ',']) {
        Some(i) => (&digits[..i], &digits[i + 1..]),
        None => (digits, ""),
    };
    let all = || whole.bytes().chain(fraction.bytes());
    if whole.len() + fraction.len() == 0
        || whole.len() + fraction.len() > 15
        || !all().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let number = all().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    let value = number as f64 / 10f64.powi(fraction.len() as i32);
    Some(if negative { -value } else { value })
}

pub fn weight(value: f64) -> Result<f64, Problem> {
    if !value.is_finite() {
        Err(Problem::NotANumber)
    } else if value <= 0.0 {
        Err(Problem::NotPositive)
    } else if value > MAX_WEIGHT {
        Err(Problem::TooLarge { max: MAX_WEIGHT })
    } else {
        Ok(value)
    }
}

/// A password's length (the server also refuses common ones). Nothing is trimmed: every
/// character counts.
pub fn password(text: &str) -> Result<(), Problem> {
    let chars = text.chars().count();
    if chars < *PASSWORD_CHARS.start() {
        Err(Problem::TooShort {
            min: *PASSWORD_CHARS.start(),
        })
    } else if chars > *PASSWORD_CHARS.end() {
        Err(Problem::TooLong {
            max: *PASSWORD_CHARS.end(),
        })
    } else {
        Ok(())
    }
}

/// A login name: trimmed, lower-cased, letters, digits and `. _ - @`.
pub fn login_name(text: &str) -> Result<String, Problem> {
    let login = text.trim().to_lowercase();
    if login.is_empty() {
        Err(Problem::Required)
    } else if login.chars().count() > MAX_LOGIN_CHARS
        || !login
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        Err(Problem::NotALoginName)
    } else {
        Ok(login)
    }
}

/// The longest e-mail address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// An e-mail address: trimmed; one `@` with something before it and a host after it with a
/// dot inside (`name@mainz.de`); no spaces, no control characters, no `<>,;"` (one address,
/// never a list or a display name). Empty means "no address" (`None`).
pub fn email(text: &str) -> Result<Option<String>, Problem> {
    let address = text.trim();
    if address.is_empty() {
        return Ok(None);
    }
    if address.chars().count() > MAX_EMAIL_CHARS {
        return Err(Problem::TooLong {
            max: MAX_EMAIL_CHARS,
        });
    }
    let plain = address.chars().all(|c| {
        !c.is_whitespace()
            && !c.is_control()
            && !matches!(
                c,
                '<' | '>' | ',' | ';' | '"' | '(' | ')' | '[' | ']' | '\\'
            )
    });
    let Some((local, host)) = address.split_once('@') else {
        return Err(Problem::NotAnEmail);
    };
    let host_ok = !host.contains('@')
        && host.contains('.')
        && host
            .split('.')
            .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
    if !plain || local.is_empty() || local.len() > 64 || !host_ok {
        return Err(Problem::NotAnEmail);
    }
    Ok(Some(address.to_owned()))
}

/// The days before a report's deadline that its owners are reminded: 0 to
/// [`crate::domain::reminders::MAX_DAYS_BEFORE`].
pub fn reminder_days(text: &str) -> Result<u32, Problem> {
    whole_number(text, crate::domain::reminders::MAX_DAYS_BEFORE)
}

/// The hour of the day reminders are sent at: 0 to 23.
pub fn hour(text: &str) -> Result<u32, Problem> {
    whole_number(text, 23)
}

/// A whole number from 0 to `max`, as typed (trimmed).
fn whole_number(text: &str, max: u32) -> Result<u32, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    let value: u32 = text.parse().map_err(|_| Problem::NotAWholeNumber)?;
    if value > max {
        return Err(Problem::TooLarge {
            max: f64::from(max),
        });
    }
    Ok(value)
}

/// A year as typed: digits within `YEARS`.
pub fn year(text: &str) -> Result<i32, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    match text.parse::<i32>() {
        Ok(year) if YEARS.contains(&year) => Ok(year),
        _ => Err(Problem::NotAYear),
    }
}

/// A weight as people write it: `2`, not `2.0`.
pub fn format_weight(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// A reporting rhythm as the forms and the command line write it (`monthly`, `quarterly`,
/// `half_yearly`).
pub fn rhythm(text: &str) -> Result<super::rhythm::Rhythm, Problem> {
    super::rhythm::Rhythm::parse(text.trim()).ok_or(Problem::UnknownRhythm)
}

/// The grace days after a reporting period: a whole number from 0 to [`MAX_GRACE_DAYS`].
pub fn grace_days(text: &str) -> Result<u32, Problem> {
    whole_number(text, MAX_GRACE_DAYS)
}

/// At most this many origins may frame the widgets.
pub const MAX_ORIGINS: usize = 50;

/// The web origins allowed to frame the widgets, as an admin typed them (separated by spaces,
/// commas or lines): each `https://` or `http://`, a host name (a leading `*.` for its
/// subdomains) and an optional port, nothing else; the same as the CSP's `frame-ancestors`
/// writes them, lower case. Empty: none.
pub fn origins(text: &str) -> Result<Vec<String>, Problem> {
    let mut origins: Vec<String> = Vec::new();
    for typed in text.split(|c: char| c.is_whitespace() || c == ',') {
        if typed.is_empty() {
            continue;
        }
        let origin = typed.trim_end_matches('/').to_ascii_lowercase();
        let rest = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .ok_or(Problem::NotAnOrigin)?;
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        };
        let host = host.strip_prefix("*.").unwrap_or(host);
        let label_ok = |label: &str| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        let host_ok = host.len() <= 253 && host.split('.').all(label_ok);
        let port_ok =
            port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.parse::<u16>().is_ok());
        if !host_ok || !port_ok {
            return Err(Problem::NotAnOrigin);
        }
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    if origins.len() > MAX_ORIGINS {
        return Err(Problem::TooLong { max: MAX_ORIGINS });
    }
    Ok(origins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_and_host_only() {
        assert_eq!(origins(" \n"), Ok(vec![]));
        assert_eq!(
            origins(
                "https://www.Mainz.de/, http://localhost:8080\nhttps://*.mainz.de https://www.mainz.de"
            ),
            Ok(vec![
                "https://www.mainz.de".to_owned(),
                "http://localhost:8080".to_owned(),
                "https://*.mainz.de".to_owned()
            ])
        );
        for bad in [
            "www.mainz.de",
            "https://www.mainz.de/rathaus",
            "ftp://mainz.de",
            "https://",
            "https://mainz.de:99999",
            "https://ma inz.de",
            "https://-x.de",
            "'none'",
            "https://mainz.de;script-src",
            "https://*",
        ] {
            assert_eq!(origins(bad), Err(Problem::NotAnOrigin), "{bad}");
        }
        let many: Vec<String> = (0..=MAX_ORIGINS)
            .map(|i| format!("https://s{i}.de"))
            .collect();
        assert!(origins(&many.join(" ")).is_err());
    }

    #[test]
    fn dates_must_exist_and_have_the_iso_shape() {
        assert_eq!(
            date("2028-02-29"),
            Ok(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap())
        );
        for bad in [
            "2026-02-30",
            "2027-02-29",
            "2026-13-01",
            "2026-6-30",
            "30.06.2026",
            "2026-06-30T00:00",
            "２０２６-06-30",
        ] {
            assert_eq!(date(bad), Err(Problem::NotADate), "{bad}");
        }
        assert_eq!(date(""), Err(Problem::Required));
        assert_eq!(date("0026-06-30"), Err(Problem::DateOutOfRange));
        assert_eq!(optional_date("  "), Ok(None));
    }

    #[test]
    fn titles_are_trimmed_required_and_bounded_in_characters() {
        assert_eq!(title("  WLAN  "), Ok("WLAN".to_owned()));
        assert_eq!(title(" \t"), Err(Problem::Required));
        let umlauts = "ä".repeat(MAX_TITLE_CHARS);
        assert_eq!(title(&umlauts), Ok(umlauts.clone()));
        assert_eq!(
            title(&format!("{umlauts}x")),
            Err(Problem::TooLong {
                max: MAX_TITLE_CHARS
            })
        );
    }

    #[test]
    fn weights_are_positive_finite_and_bounded() {
        assert_eq!(weight_text(""), Ok(1.0));
        assert_eq!(weight_text("3"), Ok(3.0));
        assert_eq!(weight_text("0,25"), Ok(0.25));
        assert_eq!(weight_text("0"), Err(Problem::NotPositive));
        assert_eq!(weight_text("-1"), Err(Problem::NotPositive));
        assert_eq!(weight_text("zwei"), Err(Problem::NotANumber));
        assert_eq!(weight_text("NaN"), Err(Problem::NotANumber));
        assert_eq!(weight_text("inf"), Err(Problem::NotANumber));
        assert_eq!(weight_text("1e2"), Err(Problem::NotANumber));
        assert_eq!(weight_text("1.5.1"), Err(Problem::NotANumber));
        assert_eq!(weight_text("1 000"), Err(Problem::NotANumber));
        assert_eq!(weight_text(".5"), Ok(0.5));
        assert_eq!(weight_text("+2"), Ok(2.0));
        assert_eq!(weight_text("-"), Err(Problem::NotANumber));
        // Exactly what the float parser reads.
        for text in [
            "1.15",
            "0.1",
            "2.675",
            "999.999",
            "0.000001",
            "123.456789012",
        ] {
            assert_eq!(decimal(text), text.parse::<f64>().ok(), "{text}");
            assert_eq!(
                decimal(&text.replace('.', ",")),
                text.parse::<f64>().ok(),
                "{text}"
            );
        }
        assert_eq!(
            weight_text("1001"),
            Err(Problem::TooLarge { max: MAX_WEIGHT })
        );
    }

    #[test]
    fn passwords_need_twelve_characters_and_may_be_long() {
        assert_eq!(password("elf Zeichen"), Err(Problem::TooShort { min: 12 }));
        assert_eq!(password("zwölf Zeiche"), Ok(()), "characters, not bytes");
        assert_eq!(password(&"x".repeat(128)), Ok(()));
        assert_eq!(password(&"x".repeat(1024)), Ok(()));
        assert_eq!(
            password(&"x".repeat(1025)),
            Err(Problem::TooLong { max: 1024 })
        );
    }

    #[test]
    fn login_names_are_plain_and_case_insensitive() {
        assert_eq!(login_name("  Schulamt "), Ok("schulamt".to_owned()));
        assert_eq!(
            login_name("m.mueller@mainz.de"),
            Ok("m.mueller@mainz.de".to_owned())
        );
        assert_eq!(login_name(""), Err(Problem::Required));
        assert_eq!(login_name("a b"), Err(Problem::NotALoginName));
        assert_eq!(login_name(&"a".repeat(65)), Err(Problem::NotALoginName));
    }

    #[test]
    fn weights_print_without_a_needless_fraction() {
        assert_eq!(format_weight(2.0), "2");
        assert_eq!(format_weight(1.5), "1.5");
    }
}
