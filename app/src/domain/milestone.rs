//! A milestone's content and the rules a form or a document must satisfy to set it.

use super::validation::{self, FieldError, MilestoneField, Problem};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Planned,
    InProgress,
    Done,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Planned,
        Status::InProgress,
        Status::Done,
        Status::Cancelled,
    ];

    /// The name used in documents, forms and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Counts as open work: neither reached nor dropped.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Planned | Status::InProgress)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a milestone says, validated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneData {
    pub title: String,
    pub due: NaiveDate,
    pub status: Status,
    /// The day it was reached; required when `status` is `done`.
    pub done_on: Option<NaiveDate>,
    pub weight: f64,
    pub note: Option<String>,
}

/// A milestone as typed into a form: every field is text, so that whatever was typed can be
/// shown again next to its error message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MilestoneInput {
    pub title: String,
    pub due: String,
    pub status: String,
    pub done_on: String,
    pub weight: String,
    pub note: String,
}

impl MilestoneInput {
    /// The form pre-filled with a stored milestone.
    pub fn from_data(data: &MilestoneData) -> Self {
        MilestoneInput {
            title: data.title.clone(),
            due: data.due.to_string(),
            status: data.status.as_str().to_owned(),
            done_on: data.done_on.map(|d| d.to_string()).unwrap_or_default(),
            weight: validation::format_weight(data.weight),
            note: data.note.clone().unwrap_or_default(),
        }
    }

    /// Checks every field and reports all problems at once.
    pub fn validate(&self) -> Result<MilestoneData, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut check = |field: MilestoneField, result: Result<(), Problem>| {
            if let Err(problem) = result {
                errors.push(FieldError { field, problem });
            }
        };
        let title = validation::title(&self.title);
        check(
            MilestoneField::Title,
            title.as_ref().map(|_| ()).map_err(|p| *p),
        );
        let due = validation::date(&self.due);
        check(MilestoneField::Due, due.map(|_| ()));
        let status = Status::parse(self.status.trim()).ok_or(Problem::UnknownStatus);
        check(MilestoneField::Status, status.map(|_| ()));
        let done_on = validation::optional_date(&self.done_on);
        check(MilestoneField::DoneOn, done_on.map(|_| ()));
        if status == Ok(Status::Done) && done_on == Ok(None) {
            check(MilestoneField::DoneOn, Err(Problem::RequiredWhenDone));
        }
        let weight = validation::weight_text(&self.weight);
        check(MilestoneField::Weight, weight.map(|_| ()));
        let note = validation::optional_text(&self.note, validation::MAX_TEXT_CHARS);
        check(
            MilestoneField::Note,
            note.as_ref().map(|_| ()).map_err(|p| *p),
        );

        match (title, due, status, done_on, weight, note) {
            (Ok(title), Ok(due), Ok(status), Ok(done_on), Ok(weight), Ok(note))
                if errors.is_empty() =>
            {
                Ok(MilestoneData {
                    title,
                    due,
                    status,
                    done_on,
                    weight,
                    note,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> MilestoneInput {
        MilestoneInput {
            title: "  WLAN in allen Grundschulen  ".into(),
            due: "2026-06-30".into(),
            status: "planned".into(),
            done_on: String::new(),
            weight: "1".into(),
            note: String::new(),
        }
    }

    fn problems(input: &MilestoneInput) -> Vec<(MilestoneField, Problem)> {
        input
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_valid_form_becomes_data_with_trimmed_text() {
        let data = input().validate().unwrap();
        assert_eq!(data.title, "WLAN in allen Grundschulen");
        assert_eq!(data.due, NaiveDate::from_ymd_opt(2026, 6, 30).unwrap());
        assert_eq!(data.status, Status::Planned);
        assert_eq!(data.done_on, None);
        assert_eq!(data.weight, 1.0);
        assert_eq!(data.note, None);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = MilestoneInput {
            title: " ".into(),
            due: "2026-02-30".into(),
            status: "finished".into(),
            done_on: "gestern".into(),
            weight: "0".into(),
            note: "x".repeat(validation::MAX_TEXT_CHARS + 1),
        };
        assert_eq!(
            problems(&bad),
            vec![
                (MilestoneField::Title, Problem::Required),
                (MilestoneField::Due, Problem::NotADate),
                (MilestoneField::Status, Problem::UnknownStatus),
                (MilestoneField::DoneOn, Problem::NotADate),
                (MilestoneField::Weight, Problem::NotPositive),
                (
                    MilestoneField::Note,
                    Problem::TooLong {
                        max: validation::MAX_TEXT_CHARS
                    }
                ),
            ]
        );
    }

    #[test]
    fn done_requires_the_day_it_was_reached() {
        let mut done = input();
        done.status = "done".into();
        assert_eq!(
            problems(&done),
            vec![(MilestoneField::DoneOn, Problem::RequiredWhenDone)]
        );
        done.done_on = "2026-06-12".into();
        assert_eq!(
            done.validate().unwrap().done_on,
            NaiveDate::from_ymd_opt(2026, 6, 12)
        );
    }

    #[test]
    fn a_german_decimal_comma_is_a_weight() {
        let mut form = input();
        form.weight = "1,5".into();
        assert_eq!(form.validate().unwrap().weight, 1.5);
    }

    #[test]
    fn stored_data_round_trips_through_the_form() {
        let mut form = input();
        form.title = "Ausbau".into();
        form.status = "done".into();
        form.done_on = "2026-05-01".into();
        form.weight = "2.5".into();
        form.note = "Abnahmeprotokoll".into();
        let data = form.validate().unwrap();
        assert_eq!(MilestoneInput::from_data(&data).validate().unwrap(), data);
    }

    #[test]
    fn status_names_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("Done"), None);
    }
}
