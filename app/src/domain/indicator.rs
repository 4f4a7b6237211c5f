//! Indicators (KPIs) of a sub-goal: a measured quantity with a baseline, a target and dated
//! readings, e.g. "Schulen mit WLAN: 12 → 65, Stand 40".
//!
//! Progress = (current − baseline) / (target − baseline) × 100, clamped to 0–100, where
//! current is the latest reading (by the day measured; of two on one day the later recorded),
//! or the baseline while there is none. A target equal to the baseline is refused (there would
//! be nothing to measure), and so is a target on the wrong side of the baseline for the
//! direction that is good ("rising": more is better, "falling": less is better).

use super::validation::{self, Problem};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Units are short: "Schulen", "%", "Anschlüsse je 100 Einw.".
pub const MAX_UNIT_CHARS: usize = 40;
/// A value beyond this is a typing error, not a measurement.
pub const MAX_VALUE: f64 = 1e12;

/// Which way is good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Rising,
    Falling,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::Rising, Direction::Falling];

    /// The name used in documents, forms and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Rising => "rising",
            Direction::Falling => "falling",
        }
    }

    pub fn parse(text: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.as_str() == text)
    }
}

/// A value on a day: the baseline, the target.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub value: f64,
    pub on: NaiveDate,
}

/// What an indicator says, validated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorData {
    pub name: String,
    pub unit: String,
    pub direction: Direction,
    pub baseline: Point,
    pub target: Point,
}

/// One measurement. Never changed once recorded: a wrong one is removed and recorded again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub id: i64,
    pub on: NaiveDate,
    pub value: f64,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: i64,
    /// Increases with every saved change; a save names the version it was based on.
    pub version: i64,
    pub data: IndicatorData,
    /// This indicator, not the milestones, measures its sub-goal's progress.
    pub measures_progress: bool,
    /// In the order measured (ties: the order recorded).
    pub readings: Vec<Reading>,
}

impl Indicator {
    /// The latest reading, if any.
    pub fn latest(&self) -> Option<&Reading> {
        // Readings are kept in the order measured; of two on one day the later recorded (the
        // higher id) counts.
        self.readings.iter().max_by_key(|r| (r.on, r.id))
    }

    /// The value now: the latest reading, or the baseline before the first.
    pub fn current(&self) -> f64 {
        self.latest()
            .map(|r| r.value)
            .unwrap_or(self.data.baseline.value)
    }

    /// Percent of the way from baseline to target, 0–100.
    pub fn progress(&self) -> f64 {
        progress(&self.data, self.current())
    }
}

/// Percent of the way from the baseline to the target that `current` stands at, clamped to
/// 0–100 (behind the baseline is 0 %, beyond the target 100 %).
pub fn progress(data: &IndicatorData, current: f64) -> f64 {
    let span = data.target.value - data.baseline.value;
    if span == 0.0 || !span.is_finite() {
        // Refused when entered; an old row cannot divide by zero either.
        return 0.0;
    }
    ((current - data.baseline.value) / span * 100.0).clamp(0.0, 100.0)
}

/// The fields of the indicator form, as named in forms and documents.
pub mod field {
    pub const NAME: &str = "name";
    pub const UNIT: &str = "unit";
    pub const DIRECTION: &str = "direction";
    pub const BASELINE_VALUE: &str = "baseline_value";
    pub const BASELINE_ON: &str = "baseline_on";
    pub const TARGET_VALUE: &str = "target_value";
    pub const TARGET_ON: &str = "target_on";
    pub const ON: &str = "on";
    pub const VALUE: &str = "value";
    pub const NOTE: &str = "note";
}

/// An indicator as typed into a form: every field is text, so whatever was typed can be shown
/// again beside its error.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IndicatorInput {
    pub name: String,
    pub unit: String,
    pub direction: String,
    pub baseline_value: String,
    pub baseline_on: String,
    pub target_value: String,
    pub target_on: String,
}

impl IndicatorInput {
    /// The form pre-filled with a stored indicator, its numbers written as [`typed_number`]
    /// writes them (`decimal_comma` for German forms).
    pub fn from_data(data: &IndicatorData, decimal_comma: bool) -> Self {
        IndicatorInput {
            name: data.name.clone(),
            unit: data.unit.clone(),
            direction: data.direction.as_str().to_owned(),
            baseline_value: typed_number(data.baseline.value, decimal_comma),
            baseline_on: data.baseline.on.to_string(),
            target_value: typed_number(data.target.value, decimal_comma),
            target_on: data.target.on.to_string(),
        }
    }

    /// Each field with what was typed, to show again after a refusal.
    pub fn typed(&self) -> [(&'static str, &str); 7] {
        [
            (field::NAME, &self.name),
            (field::UNIT, &self.unit),
            (field::DIRECTION, &self.direction),
            (field::BASELINE_VALUE, &self.baseline_value),
            (field::BASELINE_ON, &self.baseline_on),
            (field::TARGET_VALUE, &self.target_value),
            (field::TARGET_ON, &self.target_on),
        ]
    }

    /// The indicator, or every field's problem.
    pub fn validate(&self) -> Result<IndicatorData, Vec<(&'static str, Problem)>> {
        let mut errors = Vec::new();
        let name = noted(&mut errors, field::NAME, validation::title(&self.name));
        let unit = noted(&mut errors, field::UNIT, unit(&self.unit));
        let direction = noted(
            &mut errors,
            field::DIRECTION,
            Direction::parse(self.direction.trim()).ok_or(Problem::UnknownDirection),
        );
        let baseline_value = noted(
            &mut errors,
            field::BASELINE_VALUE,
            number(&self.baseline_value),
        );
        let baseline_on = noted(
            &mut errors,
            field::BASELINE_ON,
            validation::date(&self.baseline_on),
        );
        let target_value = noted(&mut errors, field::TARGET_VALUE, number(&self.target_value));
        let target_on = noted(
            &mut errors,
            field::TARGET_ON,
            validation::date(&self.target_on),
        );
        let (
            Some(name),
            Some(unit),
            Some(direction),
            Some(baseline_value),
            Some(baseline_on),
            Some(target_value),
            Some(target_on),
        ) = (
            name,
            unit,
            direction,
            baseline_value,
            baseline_on,
            target_value,
            target_on,
        )
        else {
            // The rules between fields are checked once each field is fine on its own.
            return Err(errors);
        };
        let data = IndicatorData {
            name,
            unit,
            direction,
            baseline: Point {
                value: baseline_value,
                on: baseline_on,
            },
            target: Point {
                value: target_value,
                on: target_on,
            },
        };
        let errors = check_rules(&data);
        if errors.is_empty() {
            Ok(data)
        } else {
            Err(errors)
        }
    }
}

/// The value, or `None` with its problem noted under `field`.
fn noted<T>(
    errors: &mut Vec<(&'static str, Problem)>,
    field: &'static str,
    result: Result<T, Problem>,
) -> Option<T> {
    result.map_err(|problem| errors.push((field, problem))).ok()
}

/// The rules between an indicator's fields: the target differs from the baseline, lies on the
/// side its direction calls good, and comes after the baseline.
pub fn check_rules(data: &IndicatorData) -> Vec<(&'static str, Problem)> {
    let mut errors = Vec::new();
    let (baseline, target) = (data.baseline.value, data.target.value);
    if target == baseline {
        errors.push((field::TARGET_VALUE, Problem::EqualsBaseline));
    } else if data.direction == Direction::Rising && target < baseline {
        errors.push((field::TARGET_VALUE, Problem::TargetNotAbove));
    } else if data.direction == Direction::Falling && target > baseline {
        errors.push((field::TARGET_VALUE, Problem::TargetNotBelow));
    }
    if data.target.on <= data.baseline.on {
        errors.push((field::TARGET_ON, Problem::NotAfterBaseline));
    }
    errors
}

/// A reading as typed into a form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadingInput {
    pub on: String,
    pub value: String,
    pub note: String,
}

/// What a reading says, validated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadingData {
    pub on: NaiveDate,
    pub value: f64,
    pub note: Option<String>,
}

impl ReadingInput {
    pub fn typed(&self) -> [(&'static str, &str); 3] {
        [
            (field::ON, &self.on),
            (field::VALUE, &self.value),
            (field::NOTE, &self.note),
        ]
    }

    /// The reading, or every field's problem. A reading is measured on a day that has come
    /// (`today`) and not before the indicator's baseline.
    pub fn validate(
        &self,
        indicator: &IndicatorData,
        today: NaiveDate,
    ) -> Result<ReadingData, Vec<(&'static str, Problem)>> {
        let mut errors = Vec::new();
        let on = noted(
            &mut errors,
            field::ON,
            validation::date(&self.on).and_then(|on| reading_day(indicator, on, today)),
        );
        let value = noted(&mut errors, field::VALUE, number(&self.value));
        let note = noted(
            &mut errors,
            field::NOTE,
            validation::optional_text(&self.note, validation::MAX_TEXT_CHARS),
        );
        match (on, value, note) {
            (Some(on), Some(value), Some(note)) if errors.is_empty() => {
                Ok(ReadingData { on, value, note })
            }
            _ => Err(errors),
        }
    }
}

/// The day of a reading: not before the baseline, not after `today`.
pub fn reading_day(
    indicator: &IndicatorData,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, Problem> {
    if on < indicator.baseline.on {
        Err(Problem::BeforeBaseline)
    } else if on > today {
        Err(Problem::InFuture)
    } else {
        Ok(on)
    }
}

/// A unit: trimmed, required, short.
pub fn unit(text: &str) -> Result<String, Problem> {
    validation::optional_text(text, MAX_UNIT_CHARS)?.ok_or(Problem::Required)
}

/// A measured value as typed: `12`, `-3`, `12.5`, the German `12,5`, `1.234,5` or
/// `1.234.567`. A single point before exactly three digits (`1.100`) is refused as ambiguous:
/// German readers take it for 1100, English ones for 1.1.
pub fn number(text: &str) -> Result<f64, Problem> {
    let text: String = text.trim().chars().filter(|c| *c != ' ').collect();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    let points = text.matches('.').count();
    let plain = if text.contains(',') || points > 1 {
        // The comma is the decimal sign and points group thousands (German).
        if text.matches(',').count() > 1 {
            return Err(Problem::NotANumber);
        }
        text.replace('.', "").replace(',', ".")
    } else {
        let after_point = text.split_once('.').map(|(_, decimals)| decimals);
        if after_point.is_some_and(|d| d.len() == 3 && d.bytes().all(|b| b.is_ascii_digit())) {
            return Err(Problem::AmbiguousNumber);
        }
        text
    };
    let shape_ok = plain
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    let value: f64 = if shape_ok {
        plain.parse().map_err(|_| Problem::NotANumber)?
    } else {
        return Err(Problem::NotANumber);
    };
    checked_value(value)
}

/// A value written into a form so that [`number`] reads it back unchanged: `12`, `12,5` with
/// a decimal comma, `12.5` with a point, and `1.1250` rather than the ambiguous `1.125`.
pub fn typed_number(value: f64, decimal_comma: bool) -> String {
    let text = validation::format_weight(value);
    match text.split_once('.') {
        Some(_) if decimal_comma => text.replace('.', ","),
        Some((_, decimals)) if decimals.len() == 3 => format!("{text}0"),
        _ => text,
    }
}

/// A value from a document: finite and within ±[`MAX_VALUE`].
pub fn checked_value(value: f64) -> Result<f64, Problem> {
    if !value.is_finite() {
        Err(Problem::NotANumber)
    } else if value.abs() > MAX_VALUE {
        Err(Problem::TooLarge { max: MAX_VALUE })
    } else {
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn data(direction: Direction, baseline: f64, target: f64) -> IndicatorData {
        IndicatorData {
            name: "Schulen mit WLAN".into(),
            unit: "Schulen".into(),
            direction,
            baseline: Point {
                value: baseline,
                on: day(2024, 1, 1),
            },
            target: Point {
                value: target,
                on: day(2028, 12, 31),
            },
        }
    }

    fn indicator(data: IndicatorData, readings: &[(i64, NaiveDate, f64)]) -> Indicator {
        Indicator {
            id: 1,
            version: 1,
            data,
            measures_progress: true,
            readings: readings
                .iter()
                .map(|&(id, on, value)| Reading {
                    id,
                    on,
                    value,
                    note: None,
                })
                .collect(),
        }
    }

    #[test]
    fn rising_progress_is_the_share_of_the_way_to_the_target() {
        // Schulen mit WLAN: 12 → 65, Stand 40: 28 of 53.
        let wlan = data(Direction::Rising, 12.0, 65.0);
        assert!((progress(&wlan, 40.0) - 28.0 / 53.0 * 100.0).abs() < 1e-9);
        assert_eq!(progress(&wlan, 12.0), 0.0);
        assert_eq!(progress(&wlan, 65.0), 100.0);
    }

    #[test]
    fn falling_progress_counts_the_way_down() {
        // Durchschnittliche Bearbeitungszeit in Tagen: 30 → 10, now 25: a quarter of the way.
        let days = data(Direction::Falling, 30.0, 10.0);
        assert_eq!(progress(&days, 25.0), 25.0);
        assert_eq!(progress(&days, 10.0), 100.0);
    }

    #[test]
    fn beyond_the_target_and_behind_the_baseline_are_clamped() {
        let wlan = data(Direction::Rising, 12.0, 65.0);
        assert_eq!(progress(&wlan, 80.0), 100.0);
        assert_eq!(progress(&wlan, 3.0), 0.0);
        let days = data(Direction::Falling, 30.0, 10.0);
        assert_eq!(progress(&days, 2.0), 100.0);
        assert_eq!(progress(&days, 45.0), 0.0);
    }

    #[test]
    fn a_target_equal_to_the_baseline_is_refused() {
        let flat = data(Direction::Rising, 12.0, 12.0);
        assert_eq!(
            check_rules(&flat),
            vec![(field::TARGET_VALUE, Problem::EqualsBaseline)]
        );
        let input = IndicatorInput {
            target_value: "12".into(),
            ..IndicatorInput::from_data(&data(Direction::Rising, 12.0, 65.0), true)
        };
        assert_eq!(
            input.validate(),
            Err(vec![(field::TARGET_VALUE, Problem::EqualsBaseline)])
        );
        // Even if such a row existed, progress would not divide by zero.
        assert_eq!(progress(&flat, 20.0), 0.0);
    }

    #[test]
    fn the_target_lies_on_the_good_side_and_after_the_baseline() {
        assert_eq!(
            check_rules(&data(Direction::Rising, 65.0, 12.0)),
            vec![(field::TARGET_VALUE, Problem::TargetNotAbove)]
        );
        assert_eq!(
            check_rules(&data(Direction::Falling, 10.0, 30.0)),
            vec![(field::TARGET_VALUE, Problem::TargetNotBelow)]
        );
        let mut early = data(Direction::Rising, 1.0, 2.0);
        early.target.on = early.baseline.on;
        assert_eq!(
            check_rules(&early),
            vec![(field::TARGET_ON, Problem::NotAfterBaseline)]
        );
    }

    #[test]
    fn the_current_value_is_the_latest_reading_or_the_baseline() {
        let wlan = data(Direction::Rising, 12.0, 65.0);
        assert_eq!(indicator(wlan.clone(), &[]).current(), 12.0);
        assert_eq!(indicator(wlan.clone(), &[]).progress(), 0.0);
        let measured = indicator(
            wlan,
            &[
                (3, day(2026, 3, 1), 40.0),
                (1, day(2025, 6, 1), 20.0),
                // Recorded later for the same day: a correction counts.
                (4, day(2026, 3, 1), 38.5),
                (2, day(2025, 12, 1), 30.0),
            ],
        );
        assert_eq!(measured.current(), 38.5);
    }

    #[test]
    fn every_field_of_the_form_is_checked_by_name() {
        let input = IndicatorInput {
            name: " ".into(),
            unit: "x".repeat(MAX_UNIT_CHARS + 1),
            direction: "sideways".into(),
            baseline_value: "zwölf".into(),
            baseline_on: "2024-02-30".into(),
            target_value: "".into(),
            target_on: "31.12.2028".into(),
        };
        assert_eq!(
            input.validate(),
            Err(vec![
                (field::NAME, Problem::Required),
                (
                    field::UNIT,
                    Problem::TooLong {
                        max: MAX_UNIT_CHARS
                    }
                ),
                (field::DIRECTION, Problem::UnknownDirection),
                (field::BASELINE_VALUE, Problem::NotANumber),
                (field::BASELINE_ON, Problem::NotADate),
                (field::TARGET_VALUE, Problem::Required),
                (field::TARGET_ON, Problem::NotADate),
            ])
        );
    }

    #[test]
    fn stored_numbers_fill_a_form_so_they_read_back_unchanged() {
        for value in [12.0, -3.0, 12.5, 1.125, 0.125, 1234.5, 1e9, 0.0001] {
            for comma in [true, false] {
                let typed = typed_number(value, comma);
                assert_eq!(number(&typed), Ok(value), "{value} typed as {typed}");
            }
        }
        assert_eq!(typed_number(1.125, true), "1,125");
        assert_eq!(typed_number(1.125, false), "1.1250");
    }

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(number("12"), Ok(12.0));
        assert_eq!(number(" 12,5 "), Ok(12.5));
        assert_eq!(number("12.5"), Ok(12.5));
        assert_eq!(number("1.234,5"), Ok(1234.5));
        assert_eq!(number("1.234.567"), Ok(1234567.0));
        assert_eq!(number("0.25"), Ok(0.25));
        assert_eq!(number("1.100"), Err(Problem::AmbiguousNumber));
        assert_eq!(number("0.125"), Err(Problem::AmbiguousNumber));
        assert_eq!(number("-3"), Ok(-3.0));
        assert_eq!(number("1 000"), Ok(1000.0));
        assert_eq!(number(""), Err(Problem::Required));
        for bad in ["zwölf", "NaN", "inf", "1e3", "12%", "--1", "1,2,3"] {
            assert_eq!(number(bad), Err(Problem::NotANumber), "{bad}");
        }
        assert_eq!(
            number("2000000000000"),
            Err(Problem::TooLarge { max: MAX_VALUE })
        );
    }

    #[test]
    fn readings_are_measured_between_the_baseline_and_today() {
        let wlan = data(Direction::Rising, 12.0, 65.0);
        let today = day(2026, 11, 27);
        let reading = |on: &str, value: &str| ReadingInput {
            on: on.into(),
            value: value.into(),
            note: String::new(),
        };
        assert_eq!(
            reading("2026-11-01", "40").validate(&wlan, today),
            Ok(ReadingData {
                on: day(2026, 11, 1),
                value: 40.0,
                note: None
            })
        );
        assert_eq!(
            reading("2023-12-31", "40").validate(&wlan, today),
            Err(vec![(field::ON, Problem::BeforeBaseline)])
        );
        assert_eq!(
            reading("2026-11-28", "x").validate(&wlan, today),
            Err(vec![
                (field::ON, Problem::InFuture),
                (field::VALUE, Problem::NotANumber)
            ])
        );
    }
}
