//! The strategy document (`"format": "meilenstein/1"`): one JSON shape for import, export and
//! the open-data API. Reading refuses the whole document at the first structural problem, and
//! otherwise lists every bad value with its path, such as
//! `strategy.fields[0].needs[2].subgoals[1].milestones[3].due: not a date: "2026-02-30"`.
//!
//! A parsed document is a [`Strategy`] whose ids are all 0: not stored yet.

use super::{
    About, Direction, Field, Indicator, IndicatorData, Milestone, MilestoneData, Need, Period,
    Reading, Status, Strategy, SubGoal,
    indicator::{self, Point},
    progress, schedule,
    validation::{self, Problem},
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer, de::IgnoredAny};
use std::fmt;

pub const FORMAT: &str = "meilenstein/1";
/// More than this many problems are summarised, not listed.
const MAX_LISTED_ERRORS: usize = 50;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentError {
    /// Where in the document, e.g. `strategy.fields[0].title`.
    pub path: String,
    pub problem: DocumentProblem,
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

/// What is wrong at a path of a document: structured, so the browser says it in the user's
/// language; `Display` gives the English words of the command line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum DocumentProblem {
    /// A value breaking a rule the forms check too.
    Value(Problem),
    /// A date that is not one (the text as written, shortened).
    NotADate(String),
    /// A date outside the years Meilenstein takes, or in some other way wrong (the text).
    BadDate(Problem, String),
    UnsupportedFormat(String),
    UnknownStatus(String),
    UnknownDirection(String),
    /// Two indicators of one sub-goal both measure its progress.
    SecondMeasuring,
    /// The file is not UTF-8 text.
    NotUtf8,
    /// The document's shape: not JSON, a key missing or unknown, a value of the wrong type.
    Shape(Shape),
    /// More problems than are listed.
    MoreNotListed,
}

/// A problem with the document's shape, as the JSON reader found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shape {
    pub kind: ShapeKind,
    /// Where in the text (1-based; 0 when not known).
    pub line: usize,
    pub column: usize,
    /// The reader's own (English) words.
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShapeKind {
    /// Not JSON at that place.
    Syntax,
    /// The text ends in the middle.
    Eof,
    MissingKey(String),
    UnknownKey(String),
    /// A value of the wrong kind (text where a number belongs, say).
    WrongType,
    /// Anything else the reader says.
    Other,
}

impl Shape {
    fn of(error: &serde_json::Error) -> Shape {
        use serde_json::error::Category;
        let message = error.to_string();
        // serde's own words for the data problems; the key is quoted with backticks.
        let key = |prefix: &str| {
            message
                .strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_owned)
        };
        let kind = match error.classify() {
            Category::Syntax | Category::Io => ShapeKind::Syntax,
            Category::Eof => ShapeKind::Eof,
            Category::Data => {
                if let Some(name) = key("missing field `") {
                    ShapeKind::MissingKey(name)
                } else if let Some(name) = key("unknown field `") {
                    ShapeKind::UnknownKey(name)
                } else if message.starts_with("invalid type")
                    || message.starts_with("invalid value")
                    || message.starts_with("invalid length")
                {
                    ShapeKind::WrongType
                } else {
                    ShapeKind::Other
                }
            }
        };
        Shape {
            kind,
            line: error.line(),
            column: error.column(),
            message,
        }
    }
}

impl fmt::Display for DocumentProblem {
    /// The English wording of the command line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentProblem::Value(problem) => write!(f, "{problem}"),
            DocumentProblem::NotADate(text) => {
                write!(f, "not a date: {} (expected YYYY-MM-DD)", quoted(text))
            }
            DocumentProblem::BadDate(problem, text) => write!(f, "{problem}: {}", quoted(text)),
            DocumentProblem::UnsupportedFormat(text) => write!(
                f,
                "unsupported format {} (expected \"{FORMAT}\")",
                quoted(text)
            ),
            DocumentProblem::UnknownStatus(text) => write!(
                f,
                "unknown status {} (expected planned, in_progress, done or cancelled)",
                quoted(text)
            ),
            DocumentProblem::UnknownDirection(text) => write!(
                f,
                "unknown direction {} (expected rising or falling)",
                quoted(text)
            ),
            DocumentProblem::SecondMeasuring => write!(
                f,
                "only one indicator of a sub-goal can measure its progress"
            ),
            DocumentProblem::NotUtf8 => write!(f, "not UTF-8 text"),
            DocumentProblem::Shape(shape) => write!(f, "{}", shape.message),
            DocumentProblem::MoreNotListed => write!(f, "more problems not listed"),
        }
    }
}

/// Why a document was refused: at least one problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentErrors(pub Vec<DocumentError>);

impl fmt::Display for DocumentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DocumentErrors {}

// The document as written. Computed keys that export adds (`as_of`, `id`, `progress`,
// `overdue`) are accepted and ignored, so an exported document imports again; any other key
// is refused.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    format: String,
    #[serde(default, rename = "as_of")]
    _as_of: Option<IgnoredAny>,
    strategy: RawStrategy,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStrategy {
    #[serde(default, rename = "id")]
    _id: Option<IgnoredAny>,
    title: String,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    period: Option<RawPeriod>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, rename = "progress")]
    _progress: Option<IgnoredAny>,
    #[serde(default)]
    fields: Vec<RawField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    from: i64,
    to: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    #[serde(default, rename = "id")]
    _id: Option<IgnoredAny>,
    title: String,
    #[serde(default)]
    goal: Option<String>,
    #[serde(default)]
    builds_on: Vec<String>,
    #[serde(default, rename = "progress")]
    _progress: Option<IgnoredAny>,
    #[serde(default)]
    needs: Vec<RawNeed>,
    #[serde(default)]
    archived: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNeed {
    #[serde(default, rename = "id")]
    _id: Option<IgnoredAny>,
    title: String,
    #[serde(default, rename = "progress")]
    _progress: Option<IgnoredAny>,
    #[serde(default)]
    subgoals: Vec<RawSubGoal>,
    #[serde(default)]
    archived: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubGoal {
    #[serde(default, rename = "id")]
    _id: Option<IgnoredAny>,
    title: String,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    weight: Option<f64>,
    #[serde(default, rename = "progress")]
    _progress: Option<IgnoredAny>,
    #[serde(default)]
    milestones: Vec<RawMilestone>,
    #[serde(default)]
    indicators: Vec<RawIndicator>,
    #[serde(default)]
    archived: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    #[serde(default, rename = "id")]
    _id: Option<IgnoredAny>,
    name: String,
    unit: String,
    direction: String,
    baseline: RawPoint,
    target: RawPoint,
    #[serde(default)]
    measures_progress: bool,
    #[serde(default, rename = "current")]
    _current: Option<IgnoredAny>,
    #[serde(default, rename = "progress")]
    _progress: Option<IgnoredAny>,
    #[serde(default)]
    readings: Vec<RawReading>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    value: f64,
    on: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReading {
    on: String,
    value: f64,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMilestone {
    #[serde(default, rename = "id")]
    _id: Option<IgnoredAny>,
    title: String,
    due: String,
    status: String,
    #[serde(default)]
    done_on: Option<String>,
    #[serde(default)]
    weight: Option<f64>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    example: bool,
    #[serde(default, rename = "overdue")]
    _overdue: Option<IgnoredAny>,
}

/// Reads a strategy document from a file's bytes: UTF-8, with or without the byte-order mark
/// that Windows editors write.
pub fn parse_bytes(bytes: &[u8]) -> Result<Strategy, DocumentErrors> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(_) => Err(DocumentErrors(vec![DocumentError {
            path: "document".to_owned(),
            problem: DocumentProblem::NotUtf8,
        }])),
    }
}

/// Reads a strategy document. Nothing is stored: the caller stores the result whole or not at
/// all.
pub fn parse(json: &str) -> Result<Strategy, DocumentErrors> {
    let raw = read_structure(json)?;
    let mut check = Checker::default();
    if raw.format != FORMAT {
        check.error("format", DocumentProblem::UnsupportedFormat(raw.format));
    }
    let strategy = check.strategy(raw.strategy);
    if check.errors.is_empty() {
        Ok(strategy)
    } else {
        Err(DocumentErrors(check.errors))
    }
}

fn read_structure(json: &str) -> Result<RawDocument, DocumentErrors> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let raw: RawDocument = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        // serde_path_to_error writes "." for the root and "?" where it lost track.
        let path = match path.as_str() {
            "." | "?" => "document".to_owned(),
            _ => path,
        };
        DocumentErrors(vec![DocumentError {
            path,
            problem: DocumentProblem::Shape(Shape::of(&e.into_inner())),
        }])
    })?;
    deserializer.end().map_err(|e| {
        DocumentErrors(vec![DocumentError {
            path: "document".to_owned(),
            problem: DocumentProblem::Shape(Shape::of(&e)),
        }])
    })?;
    Ok(raw)
}

/// Shows a refused value, shortened so a huge value does not flood the message.
fn quoted(value: &str) -> String {
    const SHOWN: usize = 60;
    if value.chars().count() > SHOWN {
        let start: String = value.chars().take(SHOWN).collect();
        format!("{:?}…", start)
    } else {
        format!("{value:?}")
    }
}

#[derive(Default)]
struct Checker {
    errors: Vec<DocumentError>,
}

impl Checker {
    fn error(&mut self, path: impl Into<String>, problem: DocumentProblem) {
        if self.errors.len() < MAX_LISTED_ERRORS {
            self.errors.push(DocumentError {
                path: path.into(),
                problem,
            });
        } else if self.errors.len() == MAX_LISTED_ERRORS {
            self.errors.push(DocumentError {
                path: "document".into(),
                problem: DocumentProblem::MoreNotListed,
            });
        }
    }

    fn value(&mut self, path: impl Into<String>, problem: Problem) {
        self.error(path, DocumentProblem::Value(problem));
    }

    fn title(&mut self, path: &str, text: &str) -> String {
        match validation::title(text) {
            Ok(title) => title,
            Err(problem) => {
                self.value(format!("{path}.title"), problem);
                String::new()
            }
        }
    }

    fn text(&mut self, path: String, text: Option<String>, max: usize) -> Option<String> {
        match validation::optional_text(text.as_deref().unwrap_or(""), max) {
            Ok(text) => text,
            Err(problem) => {
                self.value(path, problem);
                None
            }
        }
    }

    fn weight(&mut self, path: String, weight: Option<f64>) -> f64 {
        match weight.map(validation::weight).unwrap_or(Ok(1.0)) {
            Ok(weight) => weight,
            Err(problem) => {
                self.value(path, problem);
                1.0
            }
        }
    }

    fn date(&mut self, path: String, text: &str) -> Option<NaiveDate> {
        match validation::optional_date(text) {
            Ok(Some(date)) => Some(date),
            Ok(None) => {
                self.value(path, Problem::Required);
                None
            }
            Err(Problem::NotADate) => {
                self.error(path, DocumentProblem::NotADate(text.to_owned()));
                None
            }
            Err(problem) => {
                self.error(path, DocumentProblem::BadDate(problem, text.to_owned()));
                None
            }
        }
    }

    fn year(&mut self, path: String, year: i64) -> i32 {
        match i32::try_from(year) {
            Ok(year) if validation::YEARS.contains(&year) => year,
            _ => {
                self.value(path, Problem::NotAYear);
                *validation::YEARS.start()
            }
        }
    }

    fn strategy(&mut self, raw: RawStrategy) -> Strategy {
        let path = "strategy";
        let city = match raw.city.as_deref().map(validation::title) {
            None => None,
            Some(Ok(city)) => Some(city),
            Some(Err(problem)) => {
                self.value(format!("{path}.city"), problem);
                None
            }
        };
        let period = raw.period.map(|period| {
            let from = self.year(format!("{path}.period.from"), period.from);
            let to = self.year(format!("{path}.period.to"), period.to);
            if to < from {
                self.value(format!("{path}.period.to"), Problem::EndsBeforeStart);
            }
            Period { from, to }
        });
        let description = self.text(
            format!("{path}.description"),
            raw.description,
            validation::MAX_TEXT_CHARS,
        );
        Strategy {
            about: About {
                city,
                period,
                description,
            },
            id: 0,
            title: self.title(path, &raw.title),
            fields: raw
                .fields
                .into_iter()
                .enumerate()
                .map(|(i, f)| self.field(&format!("{path}.fields[{i}]"), f))
                .collect(),
        }
    }

    fn field(&mut self, path: &str, raw: RawField) -> Field {
        let builds_on = raw
            .builds_on
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match validation::title(item) {
                Ok(item) => Some(item),
                Err(problem) => {
                    self.value(format!("{path}.builds_on[{i}]"), problem);
                    None
                }
            })
            .collect();
        Field {
            archived: raw.archived,
            id: 0,
            title: self.title(path, &raw.title),
            goal: self.text(format!("{path}.goal"), raw.goal, validation::MAX_TEXT_CHARS),
            builds_on,
            needs: raw
                .needs
                .into_iter()
                .enumerate()
                .map(|(i, n)| self.need(&format!("{path}.needs[{i}]"), n))
                .collect(),
        }
    }

    fn need(&mut self, path: &str, raw: RawNeed) -> Need {
        Need {
            archived: raw.archived,
            id: 0,
            title: self.title(path, &raw.title),
            subgoals: raw
                .subgoals
                .into_iter()
                .enumerate()
                .map(|(i, s)| self.subgoal(&format!("{path}.subgoals[{i}]"), s))
                .collect(),
        }
    }

    fn subgoal(&mut self, path: &str, raw: RawSubGoal) -> SubGoal {
        let indicators: Vec<Indicator> = raw
            .indicators
            .into_iter()
            .enumerate()
            .map(|(i, raw)| self.indicator(&format!("{path}.indicators[{i}]"), raw))
            .collect();
        for (i, _) in indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.measures_progress)
            .skip(1)
        {
            self.error(
                format!("{path}.indicators[{i}].measures_progress"),
                DocumentProblem::SecondMeasuring,
            );
        }
        SubGoal {
            archived: raw.archived,
            indicators,
            id: 0,
            title: self.title(path, &raw.title),
            owner: self.text(
                format!("{path}.owner"),
                raw.owner,
                validation::MAX_TITLE_CHARS,
            ),
            weight: self.weight(format!("{path}.weight"), raw.weight),
            milestones: raw
                .milestones
                .into_iter()
                .enumerate()
                .map(|(i, m)| self.milestone(&format!("{path}.milestones[{i}]"), m))
                .collect::<Vec<_>>()
                .into(),
        }
    }

    fn number(&mut self, path: String, value: f64) -> f64 {
        match indicator::checked_value(value) {
            Ok(value) => value,
            Err(problem) => {
                self.value(path, problem);
                0.0
            }
        }
    }

    fn point(&mut self, path: &str, raw: &RawPoint) -> Option<Point> {
        let value = self.number(format!("{path}.value"), raw.value);
        let on = self.date(format!("{path}.on"), &raw.on)?;
        Some(Point { value, on })
    }

    fn indicator(&mut self, path: &str, raw: RawIndicator) -> Indicator {
        let name = match validation::title(&raw.name) {
            Ok(name) => name,
            Err(problem) => {
                self.value(format!("{path}.name"), problem);
                String::new()
            }
        };
        let unit = indicator::unit(&raw.unit)
            .map_err(|problem| self.value(format!("{path}.unit"), problem))
            .unwrap_or_default();
        let direction = Direction::parse(&raw.direction);
        if direction.is_none() {
            self.error(
                format!("{path}.direction"),
                DocumentProblem::UnknownDirection(raw.direction.clone()),
            );
        }
        let baseline = self.point(&format!("{path}.baseline"), &raw.baseline);
        let target = self.point(&format!("{path}.target"), &raw.target);
        let placeholder = Point {
            value: 0.0,
            on: NaiveDate::default(),
        };
        let data = IndicatorData {
            name,
            unit,
            direction: direction.unwrap_or(Direction::Rising),
            baseline: baseline.unwrap_or(placeholder),
            target: target.unwrap_or(placeholder),
        };
        if direction.is_some() && baseline.is_some() && target.is_some() {
            for (field, problem) in indicator::check_rules(&data) {
                // The form's `target_value` is `target.value` here, `target_on` `target.on`.
                let field = field.replacen('_', ".", 1);
                self.value(format!("{path}.{field}"), problem);
            }
        }
        let readings = raw
            .readings
            .into_iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let at = format!("{path}.readings[{i}]");
                let value = self.number(format!("{at}.value"), r.value);
                let note = self.text(format!("{at}.note"), r.note, validation::MAX_TEXT_CHARS);
                let on = self.date(format!("{at}.on"), &r.on)?;
                if baseline.is_some_and(|b| on < b.on) {
                    self.value(format!("{at}.on"), Problem::BeforeBaseline);
                }
                Some(Reading {
                    id: i as i64,
                    on,
                    value,
                    note,
                })
            })
            .collect();
        Indicator {
            id: 0,
            version: 0,
            data,
            measures_progress: raw.measures_progress,
            readings,
        }
    }

    fn milestone(&mut self, path: &str, raw: RawMilestone) -> Milestone {
        let title = self.title(path, &raw.title);
        let due = self.date(format!("{path}.due"), &raw.due);
        let status = Status::parse(&raw.status);
        if status.is_none() {
            self.error(
                format!("{path}.status"),
                DocumentProblem::UnknownStatus(raw.status.clone()),
            );
        }
        let done_on = match raw.done_on.as_deref() {
            Some(text) => self.date(format!("{path}.done_on"), text),
            None => {
                if status == Some(Status::Done) {
                    self.value(format!("{path}.done_on"), Problem::RequiredWhenDone);
                }
                None
            }
        };
        Milestone {
            id: 0,
            version: 0,
            example: raw.example,
            data: MilestoneData {
                title,
                due: due.unwrap_or_default(),
                status: status.unwrap_or(Status::Planned),
                done_on,
                weight: self.weight(format!("{path}.weight"), raw.weight),
                note: self.text(format!("{path}.note"), raw.note, validation::MAX_TEXT_CHARS),
            },
        }
    }
}

// The document as exported, with the computed keys.

#[derive(Serialize)]
struct ExportDocument<'a> {
    format: &'static str,
    /// The day the computed keys (progress, overdue) describe.
    as_of: NaiveDate,
    strategy: ExportStrategy<'a>,
}

#[derive(Serialize)]
struct ExportStrategy<'a> {
    id: i64,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(serialize_with = "percent")]
    progress: Option<f64>,
    fields: Vec<ExportField<'a>>,
}

#[derive(Serialize)]
struct ExportField<'a> {
    id: i64,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    goal: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    builds_on: &'a [String],
    #[serde(serialize_with = "percent")]
    progress: Option<f64>,
    needs: Vec<ExportNeed<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    archived: bool,
}

#[derive(Serialize)]
struct ExportNeed<'a> {
    id: i64,
    title: &'a str,
    #[serde(serialize_with = "percent")]
    progress: Option<f64>,
    subgoals: Vec<ExportSubGoal<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    archived: bool,
}

#[derive(Serialize)]
struct ExportSubGoal<'a> {
    id: i64,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    #[serde(serialize_with = "number")]
    weight: f64,
    #[serde(serialize_with = "percent")]
    progress: Option<f64>,
    milestones: Vec<ExportMilestone<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    indicators: Vec<ExportIndicator<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    archived: bool,
}

#[derive(Serialize)]
struct ExportIndicator<'a> {
    id: i64,
    name: &'a str,
    unit: &'a str,
    direction: Direction,
    baseline: ExportPoint,
    target: ExportPoint,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    measures_progress: bool,
    /// The latest reading's value, or the baseline's.
    #[serde(serialize_with = "number")]
    current: f64,
    #[serde(serialize_with = "percent")]
    progress: Option<f64>,
    readings: Vec<ExportReading<'a>>,
}

#[derive(Serialize)]
struct ExportPoint {
    #[serde(serialize_with = "number")]
    value: f64,
    on: NaiveDate,
}

#[derive(Serialize)]
struct ExportReading<'a> {
    on: NaiveDate,
    #[serde(serialize_with = "number")]
    value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct ExportMilestone<'a> {
    id: i64,
    title: &'a str,
    due: NaiveDate,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    done_on: Option<NaiveDate>,
    #[serde(serialize_with = "number")]
    weight: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    example: bool,
    overdue: bool,
}

/// Whole numbers as integers (`1`, not `1.0`), as people write them.
fn number<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

/// Progress to two decimals, or `null` where there is no plan yet.
fn percent<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => number(&((v * 100.0).round() / 100.0), serializer),
        None => serializer.serialize_none(),
    }
}

/// The document for a stored strategy, with `id`, `progress` and, as of `today`, `overdue`.
/// Archived parts (if the tree has them) are in it, marked `"archived": true`; no progress
/// above them counts them, theirs is what it would be if they were restored.
pub fn export(strategy: &Strategy, today: NaiveDate) -> serde_json::Value {
    let about = &strategy.about;
    let document = ExportDocument {
        format: FORMAT,
        as_of: today,
        strategy: ExportStrategy {
            id: strategy.id,
            title: &strategy.title,
            city: about.city.as_deref(),
            period: about.period,
            description: about.description.as_deref(),
            progress: progress::of_strategy(&strategy.clone().without_archived()),
            fields: strategy
                .fields
                .iter()
                .map(|f| export_field(f, today))
                .collect(),
        },
    };
    serde_json::to_value(document).expect("the export types serialize to JSON")
}

fn export_field(field: &Field, today: NaiveDate) -> ExportField<'_> {
    ExportField {
        id: field.id,
        title: &field.title,
        goal: field.goal.as_deref(),
        builds_on: &field.builds_on,
        progress: progress::of_field(&field.clone().without_archived()),
        needs: field
            .needs
            .iter()
            .map(|need| ExportNeed {
                id: need.id,
                title: &need.title,
                progress: progress::of_need(&need.clone().without_archived()),
                subgoals: need
                    .subgoals
                    .iter()
                    .map(|s| export_subgoal(s, today))
                    .collect(),
                archived: need.archived,
            })
            .collect(),
        archived: field.archived,
    }
}

fn export_subgoal(subgoal: &SubGoal, today: NaiveDate) -> ExportSubGoal<'_> {
    ExportSubGoal {
        id: subgoal.id,
        title: &subgoal.title,
        owner: subgoal.owner.as_deref(),
        weight: subgoal.weight,
        progress: progress::of_subgoal(subgoal),
        milestones: subgoal
            .milestones
            .iter()
            .map(|m| ExportMilestone {
                id: m.id,
                title: &m.data.title,
                due: m.data.due,
                status: m.data.status,
                done_on: m.data.done_on,
                weight: m.data.weight,
                note: m.data.note.as_deref(),
                example: m.example,
                overdue: schedule::is_overdue(&m.data, today),
            })
            .collect(),
        indicators: subgoal.indicators.iter().map(export_indicator).collect(),
        archived: subgoal.archived,
    }
}

fn export_indicator(indicator: &Indicator) -> ExportIndicator<'_> {
    let point = |p: &Point| ExportPoint {
        value: p.value,
        on: p.on,
    };
    let data = &indicator.data;
    ExportIndicator {
        id: indicator.id,
        name: &data.name,
        unit: &data.unit,
        direction: data.direction,
        baseline: point(&data.baseline),
        target: point(&data.target),
        measures_progress: indicator.measures_progress,
        current: indicator.current(),
        progress: Some(indicator.progress()),
        readings: indicator
            .readings
            .iter()
            .map(|r| ExportReading {
                on: r.on,
                value: r.value,
                note: r.note.as_deref(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> serde_json::Value {
        json!({"format": "meilenstein/1",
          "strategy": {"title": "Digitalstrategie", "fields": [
            {"title": "Bildung und Zusammenleben", "goal": "Chancengleichheit fördern",
             "builds_on": ["Umsetzung des „Digitalpakts Schule“"],
             "needs": [
              {"title": "Digitale Infrastruktur stärken", "subgoals": [
                {"title": "WLAN und Hotspots ausbauen", "owner": "Amt 40", "weight": 2, "milestones": [
                  {"title": "Ausschreibung", "due": "2026-06-30", "status": "done", "done_on": "2026-06-12",
                   "weight": 1, "note": "Vergabe erteilt"},
                  {"title": "Ausbau", "due": "2026-09-30", "status": "in_progress"}]},
                {"title": "Breitbandanbindung sichern"}]}]}]}})
    }

    fn refused(value: serde_json::Value) -> Vec<String> {
        parse(&value.to_string())
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.to_string())
            .collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn a_document_becomes_an_unstored_strategy_with_defaults() {
        let strategy = parse(&document().to_string()).unwrap();
        assert_eq!(strategy.title, "Digitalstrategie");
        let field = &strategy.fields[0];
        assert_eq!(field.builds_on, vec!["Umsetzung des „Digitalpakts Schule“"]);
        let subgoals = &field.needs[0].subgoals;
        assert_eq!(subgoals[0].weight, 2.0);
        assert_eq!(subgoals[1].weight, 1.0);
        assert_eq!(subgoals[1].owner, None);
        let milestones = &subgoals[0].milestones;
        assert_eq!(milestones[0].data.status, Status::Done);
        assert_eq!(
            milestones[0].data.done_on,
            NaiveDate::from_ymd_opt(2026, 6, 12)
        );
        assert_eq!(milestones[1].data.weight, 1.0);
        assert_eq!(milestones[1].data.note, None);
    }

    #[test]
    fn export_adds_computed_keys_and_imports_again_unchanged() {
        let strategy = parse(&document().to_string()).unwrap();
        let exported = export(&strategy, today());
        assert_eq!(exported["strategy"]["progress"], json!(50));
        let subgoal = &exported["strategy"]["fields"][0]["needs"][0]["subgoals"][0];
        assert_eq!(subgoal["progress"], json!(50));
        assert_eq!(subgoal["weight"], json!(2));
        assert_eq!(subgoal["milestones"][1]["overdue"], json!(true));
        assert_eq!(subgoal["milestones"][0]["overdue"], json!(false));
        assert_eq!(
            exported["strategy"]["fields"][0]["needs"][0]["subgoals"][1]["progress"],
            json!(null)
        );
        let again = parse(&exported.to_string()).unwrap();
        assert_eq!(again, strategy);
        assert_eq!(export(&again, today()), exported);
    }

    fn with_indicator(indicator: serde_json::Value) -> serde_json::Value {
        let mut doc = document();
        doc["strategy"]["fields"][0]["needs"][0]["subgoals"][0]["indicators"] = json!([indicator]);
        doc
    }

    fn wlan() -> serde_json::Value {
        json!({"name": "Schulen mit WLAN", "unit": "Schulen", "direction": "rising",
               "baseline": {"value": 12, "on": "2024-01-01"},
               "target": {"value": 65, "on": "2028-12-31"},
               "measures_progress": true,
               "readings": [{"on": "2025-06-30", "value": 30},
                            {"on": "2026-09-30", "value": 40, "note": "Stand laut Schulamt"}]})
    }

    #[test]
    fn indicators_with_readings_travel_in_the_document() {
        let strategy = parse(&with_indicator(wlan()).to_string()).unwrap();
        let subgoal = &strategy.fields[0].needs[0].subgoals[0];
        let indicator = subgoal.measuring_indicator().unwrap();
        assert_eq!(indicator.current(), 40.0);
        assert_eq!(
            indicator.readings[1].note.as_deref(),
            Some("Stand laut Schulamt")
        );
        let exported = export(&strategy, today());
        let out = &exported["strategy"]["fields"][0]["needs"][0]["subgoals"][0];
        // The indicator, not the milestones (50 %), measures the sub-goal: 28 of 53.
        assert_eq!(out["progress"], json!(52.83));
        assert_eq!(out["indicators"][0]["progress"], json!(52.83));
        assert_eq!(out["indicators"][0]["current"], json!(40));
        let again = parse(&exported.to_string()).unwrap();
        assert_eq!(again, strategy);
        // A document without indicators (older exports) still reads, and exports without them.
        let plain = export(&parse(&document().to_string()).unwrap(), today());
        assert!(plain.to_string().find("indicators").is_none());
    }

    #[test]
    fn bad_indicators_are_named_by_their_path() {
        let mut flat = wlan();
        flat["target"]["value"] = json!(12);
        flat["direction"] = json!("up");
        flat["readings"][0]["on"] = json!("2023-12-31");
        flat["unit"] = json!(" ");
        let at = "strategy.fields[0].needs[0].subgoals[0].indicators[0]";
        assert_eq!(
            refused(with_indicator(flat)),
            vec![
                format!("{at}.unit: must not be empty"),
                format!(r#"{at}.direction: unknown direction "up" (expected rising or falling)"#),
                format!("{at}.readings[0].on: lies before the baseline date"),
            ]
        );
        let mut equal = wlan();
        equal["target"]["value"] = json!(12);
        assert_eq!(
            refused(with_indicator(equal)),
            vec![format!(
                "{at}.target.value: must differ from the baseline value"
            )]
        );
        let mut doc = document();
        doc["strategy"]["fields"][0]["needs"][0]["subgoals"][0]["indicators"] =
            json!([wlan(), wlan()]);
        assert_eq!(
            refused(doc),
            vec![
                "strategy.fields[0].needs[0].subgoals[0].indicators[1].measures_progress: only one indicator of a sub-goal can measure its progress"
            ]
        );
    }

    #[test]
    fn a_bad_date_is_named_by_its_path() {
        let mut doc = document();
        doc["strategy"]["fields"][0]["needs"][0]["subgoals"][0]["milestones"][1]["due"] =
            json!("2026-02-30");
        assert_eq!(
            refused(doc),
            vec![
                r#"strategy.fields[0].needs[0].subgoals[0].milestones[1].due: not a date: "2026-02-30" (expected YYYY-MM-DD)"#
            ]
        );
    }

    #[test]
    fn every_bad_value_is_listed() {
        let mut doc = document();
        let milestone =
            &mut doc["strategy"]["fields"][0]["needs"][0]["subgoals"][0]["milestones"][0];
        milestone["status"] = json!("finished");
        milestone["weight"] = json!(0);
        let subgoal = &mut doc["strategy"]["fields"][0]["needs"][0]["subgoals"][1];
        subgoal["title"] = json!("x".repeat(301));
        subgoal["milestones"] = json!([{"title": "Fertig", "due": "2026-01-01", "status": "done"}]);
        assert_eq!(
            refused(doc),
            vec![
                r#"strategy.fields[0].needs[0].subgoals[0].milestones[0].status: unknown status "finished" (expected planned, in_progress, done or cancelled)"#,
                "strategy.fields[0].needs[0].subgoals[0].milestones[0].weight: must be greater than 0",
                "strategy.fields[0].needs[0].subgoals[1].title: longer than 300 characters",
                "strategy.fields[0].needs[0].subgoals[1].milestones[0].done_on: required when the status is done",
            ]
        );
    }

    #[test]
    fn structural_problems_name_the_path() {
        let mut doc = document();
        doc["strategy"]["fields"][0]["needs"][0]["colour"] = json!("blue");
        let errors = refused(doc);
        assert!(
            errors[0].starts_with("strategy.fields[0].needs[0].colour: unknown field `colour`"),
            "{errors:?}"
        );

        let mut doc = document();
        doc["strategy"]["fields"][0]["needs"][0]["subgoals"][0]
            .as_object_mut()
            .unwrap()
            .remove("title");
        let errors = refused(doc);
        assert!(
            errors[0].starts_with("strategy.fields[0].needs[0].subgoals[0]: missing field `title`"),
            "{errors:?}"
        );

        let mut doc = document();
        doc["strategy"]["fields"][0]["needs"][0]["subgoals"][0]["weight"] = json!("heavy");
        let errors = refused(doc);
        assert!(
            errors[0].starts_with("strategy.fields[0].needs[0].subgoals[0].weight: invalid type"),
            "{errors:?}"
        );
    }

    #[test]
    fn malformed_json_and_foreign_formats_are_refused() {
        let errors = parse("{\"format\": \"meilenstein/1\", ").unwrap_err();
        assert_eq!(errors.0[0].path, "document");
        assert!(
            matches!(
                &errors.0[0].problem,
                DocumentProblem::Shape(Shape {
                    kind: ShapeKind::Eof,
                    ..
                })
            ),
            "{errors}"
        );
        assert!(errors.to_string().contains("EOF"), "{errors}");
        assert!(parse(&format!("{} trailing", document())).is_err());
        let mut doc = document();
        doc["format"] = json!("meilenstein/9");
        assert_eq!(
            refused(doc),
            vec![r#"format: unsupported format "meilenstein/9" (expected "meilenstein/1")"#]
        );
        assert!(parse("[]").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn city_period_description_and_archived_parts_travel_in_the_document() {
        let mut doc = document();
        doc["strategy"]["city"] = json!("Mainz");
        doc["strategy"]["period"] = json!({"from": 2024, "to": 2030});
        doc["strategy"]["description"] = json!("Digitalisierungsstrategie der Gutenbergstadt");
        doc["strategy"]["fields"][0]["needs"][0]["subgoals"][1]["archived"] = json!(true);
        let strategy = parse(&doc.to_string()).unwrap();
        assert_eq!(strategy.about.city.as_deref(), Some("Mainz"));
        assert_eq!(
            strategy.about.period,
            Some(Period {
                from: 2024,
                to: 2030
            })
        );
        assert!(strategy.fields[0].needs[0].subgoals[1].archived);
        let exported = export(&strategy, today());
        assert_eq!(
            exported["strategy"]["period"],
            json!({"from": 2024, "to": 2030})
        );
        let subgoals = &exported["strategy"]["fields"][0]["needs"][0]["subgoals"];
        assert_eq!(subgoals[1]["archived"], json!(true));
        assert_eq!(subgoals[0].get("archived"), None);
        assert_eq!(parse(&exported.to_string()).unwrap(), strategy);

        // The archived sub-goal counts for no figure above it.
        let mut whole = strategy.clone();
        whole.fields[0].needs[0].subgoals[1].archived = false;
        let without: Strategy = {
            let mut s = whole.clone();
            s.fields[0].needs[0].subgoals.remove(1);
            s
        };
        assert_eq!(
            exported["strategy"]["fields"][0]["needs"][0]["progress"],
            export(&without, today())["strategy"]["fields"][0]["needs"][0]["progress"]
        );
    }

    #[test]
    fn a_bad_period_and_city_are_named_by_their_path() {
        let mut doc = document();
        doc["strategy"]["city"] = json!(" ");
        doc["strategy"]["period"] = json!({"from": 2030, "to": 2024});
        assert_eq!(
            refused(doc),
            vec![
                "strategy.city: must not be empty",
                "strategy.period.to: the last year comes before the first",
            ]
        );
        let mut doc = document();
        doc["strategy"]["period"] = json!({"from": 24, "to": 99999999999i64});
        assert_eq!(
            refused(doc),
            vec![
                "strategy.period.from: not a year between 1900 and 2199",
                "strategy.period.to: not a year between 1900 and 2199",
            ]
        );
    }

    #[test]
    fn a_file_with_a_byte_order_mark_reads_and_one_not_in_utf8_is_named() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(document().to_string().as_bytes());
        assert_eq!(
            parse_bytes(&bytes).unwrap(),
            parse(&document().to_string()).unwrap()
        );
        // "Zusammenleben" with a Latin-1 ä somewhere: Windows-1252 text.
        let latin1 = b"{\"format\": \"meilenstein/1\", \"strategy\": {\"title\": \"St\xe4dte\"}}";
        let errors = parse_bytes(latin1).unwrap_err();
        assert_eq!(errors.0[0].problem, DocumentProblem::NotUtf8);
        assert_eq!(errors.0[0].path, "document");
    }

    #[test]
    fn shape_problems_are_classified_for_translation() {
        let kind = |text: &str| match &parse(text).unwrap_err().0[0].problem {
            DocumentProblem::Shape(shape) => shape.kind.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(kind("{\"format\": }"), ShapeKind::Syntax);
        assert_eq!(kind("{\"format\": \"meilenstein/1\""), ShapeKind::Eof);
        assert_eq!(
            kind(r#"{"format": "meilenstein/1"}"#),
            ShapeKind::MissingKey("strategy".into())
        );
        assert_eq!(
            kind(r#"{"format": "meilenstein/1", "colour": 1, "strategy": {"title": "x"}}"#),
            ShapeKind::UnknownKey("colour".into())
        );
        assert_eq!(
            kind(r#"{"format": "meilenstein/1", "strategy": {"title": 5}}"#),
            ShapeKind::WrongType
        );
    }

    #[test]
    fn an_empty_title_is_missing() {
        let mut doc = document();
        doc["strategy"]["title"] = json!("   ");
        assert_eq!(refused(doc), vec!["strategy.title: must not be empty"]);
    }
}
