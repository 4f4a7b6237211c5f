//! Changing many milestones at once from a spreadsheet (issue 15): the template's columns,
//! cells as German and English offices write them, and what each row of an upload would do.
//! Pure: the server reads the file (CSV or XLSX) into rows of text; this decides, with the
//! same validation as the forms.

use super::{
    Milestone, MilestoneData, MilestoneInput, Problem, Status, validation::MilestoneField,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// At most this many bytes in one file.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// At most this many rows below the header.
pub const MAX_ROWS: usize = 20_000;
/// At most this many columns.
pub const MAX_COLUMNS: usize = 30;

/// A sheet's rows of text, as read from a file; the first row is the header.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The template's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// The milestone's number; empty for a new one.
    Id,
    /// The version downloaded: a row whose milestone changed since is a conflict.
    Version,
    /// The sub-goal's number (for a new milestone: where it goes).
    SubgoalId,
    /// The sub-goal's title: for reading, never applied.
    Subgoal,
    Title,
    Due,
    Status,
    DoneOn,
    Weight,
    Note,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Column::Id,
        Column::Version,
        Column::SubgoalId,
        Column::Subgoal,
        Column::Title,
        Column::Due,
        Column::Status,
        Column::DoneOn,
        Column::Weight,
        Column::Note,
    ];

    /// The name programs use (and the CLI prints).
    pub fn key(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Version => "version",
            Column::SubgoalId => "subgoal_id",
            Column::Subgoal => "subgoal",
            Column::Title => "title",
            Column::Due => "due",
            Column::Status => "status",
            Column::DoneOn => "done_on",
            Column::Weight => "weight",
            Column::Note => "note",
        }
    }

    /// The header the template writes, in German or in English.
    pub fn header(self, german: bool) -> &'static str {
        match (self, german) {
            (Column::Id, true) => "Nr.",
            (Column::Id, false) => "No.",
            (Column::Version, true) => "Version",
            (Column::Version, false) => "Version",
            (Column::SubgoalId, true) => "Teilziel-Nr.",
            (Column::SubgoalId, false) => "Sub-goal no.",
            (Column::Subgoal, true) => "Teilziel",
            (Column::Subgoal, false) => "Sub-goal",
            (Column::Title, true) => "Meilenstein",
            (Column::Title, false) => "Milestone",
            (Column::Due, true) => "Fällig am",
            (Column::Due, false) => "Due",
            (Column::Status, true) => "Status",
            (Column::Status, false) => "Status",
            (Column::DoneOn, true) => "Erreicht am",
            (Column::DoneOn, false) => "Reached on",
            (Column::Weight, true) => "Gewicht",
            (Column::Weight, false) => "Weight",
            (Column::Note, true) => "Notiz",
            (Column::Note, false) => "Note",
        }
    }

    /// The column a header names: its key, or its German or English header, whatever the
    /// case and the spaces around it.
    pub fn of_header(text: &str) -> Option<Column> {
        let text = text.trim();
        Column::ALL.into_iter().find(|c| {
            [c.key(), c.header(true), c.header(false)]
                .iter()
                .any(|name| name.to_lowercase() == text.to_lowercase())
        })
    }

    /// The milestone field the column sets, if any.
    pub fn field(self) -> Option<MilestoneField> {
        match self {
            Column::Title => Some(MilestoneField::Title),
            Column::Due => Some(MilestoneField::Due),
            Column::Status => Some(MilestoneField::Status),
            Column::DoneOn => Some(MilestoneField::DoneOn),
            Column::Weight => Some(MilestoneField::Weight),
            Column::Note => Some(MilestoneField::Note),
            Column::Id | Column::Version | Column::SubgoalId | Column::Subgoal => None,
        }
    }

    fn of_field(field: MilestoneField) -> Column {
        match field {
            MilestoneField::Title => Column::Title,
            MilestoneField::Due => Column::Due,
            MilestoneField::Status => Column::Status,
            MilestoneField::DoneOn => Column::DoneOn,
            MilestoneField::Weight => Column::Weight,
            MilestoneField::Note => Column::Note,
        }
    }
}

/// Why a whole file is refused (nothing in it is looked at further).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FileProblem {
    /// Neither a CSV file nor an XLSX workbook that could be read.
    Unreadable,
    /// No header row.
    Empty,
    TooLarge {
        max_bytes: usize,
    },
    TooManyRows {
        max: usize,
    },
    TooManyColumns {
        max: usize,
    },
    /// A header that names no column of the template (1-based column number, as typed).
    UnknownColumn {
        column: usize,
        name: String,
    },
    /// The same column twice.
    RepeatedColumn {
        column: usize,
        name: String,
    },
    /// A column every upload needs.
    MissingColumn {
        name: String,
    },
}

/// Which column of the file is which (from its header row).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// By position in the file; `None` for a column without a header and without content.
    pub columns: Vec<Option<Column>>,
}

impl Layout {
    /// Reads the header row. Every header must name a column of the template (an empty header
    /// is allowed over an empty column only: `rows` are checked for that); `id` and the
    /// title are needed.
    pub fn of(header: &[String], rows: &[Vec<String>]) -> Result<Layout, FileProblem> {
        if header.iter().all(|h| h.trim().is_empty()) {
            return Err(FileProblem::Empty);
        }
        if header.len() > MAX_COLUMNS {
            return Err(FileProblem::TooManyColumns { max: MAX_COLUMNS });
        }
        let mut columns: Vec<Option<Column>> = Vec::with_capacity(header.len());
        for (index, name) in header.iter().enumerate() {
            let used = rows
                .iter()
                .any(|row| row.get(index).is_some_and(|c| !c.trim().is_empty()));
            let column = match Column::of_header(name) {
                Some(column) => Some(column),
                None if name.trim().is_empty() && !used => None,
                None => {
                    return Err(FileProblem::UnknownColumn {
                        column: index + 1,
                        name: name.trim().to_owned(),
                    });
                }
            };
            if let Some(column) = column
                && columns.contains(&Some(column))
            {
                return Err(FileProblem::RepeatedColumn {
                    column: index + 1,
                    name: name.trim().to_owned(),
                });
            }
            columns.push(column);
        }
        for needed in [Column::Id, Column::Title] {
            if !columns.contains(&Some(needed)) {
                return Err(FileProblem::MissingColumn {
                    name: needed.header(true).to_owned(),
                });
            }
        }
        Ok(Layout { columns })
    }

    fn has(&self, column: Column) -> bool {
        self.columns.contains(&Some(column))
    }

    /// The cells of one row by column (trimmed); columns the row is too short for are empty.
    fn cells<'a>(&self, row: &'a [String]) -> HashMap<Column, &'a str> {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(index, column)| {
                column.map(|c| (c, row.get(index).map(|s| s.trim()).unwrap_or("")))
            })
            .collect()
    }
}

/// A date as offices write it: `2026-12-31`, or German `31.12.2026` (also `1.2.2027`), as the
/// form's `YYYY-MM-DD`; anything else is left for the validation to refuse by name.
pub fn date_cell(text: &str) -> String {
    let text = text.trim();
    let parts: Vec<&str> = text.split('.').collect();
    if let [day, month, year] = parts.as_slice()
        && (1..=2).contains(&day.len())
        && (1..=2).contains(&month.len())
        && year.len() == 4
        && [day, month, year]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return format!("{year}-{month:0>2}-{day:0>2}");
    }
    text.to_owned()
}

/// A status as the template writes it (its German or English word) or by its key.
pub fn status_cell(text: &str) -> String {
    let text = text.trim();
    let words: [(&str, Status); 9] = [
        ("geplant", Status::Planned),
        ("in Arbeit", Status::InProgress),
        ("erreicht", Status::Done),
        ("gestrichen", Status::Cancelled),
        ("planned", Status::Planned),
        ("in progress", Status::InProgress),
        ("reached", Status::Done),
        ("done", Status::Done),
        ("cancelled", Status::Cancelled),
    ];
    words
        .iter()
        .find(|(word, _)| word.eq_ignore_ascii_case(text))
        .map(|(_, status)| status.as_str().to_owned())
        .unwrap_or_else(|| text.to_owned())
}

/// The status word a template writes.
pub fn status_word(status: Status, german: bool) -> &'static str {
    match (status, german) {
        (Status::Planned, true) => "geplant",
        (Status::InProgress, true) => "in Arbeit",
        (Status::Done, true) => "erreicht",
        (Status::Cancelled, true) => "gestrichen",
        (Status::Planned, false) => "planned",
        (Status::InProgress, false) => "in progress",
        (Status::Done, false) => "reached",
        (Status::Cancelled, false) => "cancelled",
    }
}

/// What one row does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    New {
        subgoal_id: i64,
        data: MilestoneData,
    },
    Changed {
        id: i64,
        version: i64,
        subgoal_id: i64,
        before: MilestoneData,
        after: MilestoneData,
    },
    Unchanged {
        id: i64,
    },
    Refused(Vec<RowProblem>),
}

/// A problem of one row, by the column it is in (none: the row as a whole).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowProblem {
    pub column: Option<Column>,
    pub issue: RowIssue,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RowIssue {
    /// A value the form would refuse too.
    Invalid(Problem),
    /// No milestone has this number (any more).
    UnknownMilestone,
    UnknownSubgoal,
    /// Not a sub-goal of the uploader's: named.
    NotOwned {
        subgoal: String,
    },
    /// The milestone changed since the template was made: nothing of this row is applied.
    Conflict {
        file_version: i64,
        current_version: i64,
    },
    /// The same milestone in an earlier row (its line).
    Repeated {
        line: usize,
    },
    /// A milestone does not move to another sub-goal by upload.
    OtherSubgoal,
}

/// One row of an upload and what it does. `line` is the row's line in the file (the header
/// is line 1), as a spreadsheet numbers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedRow {
    pub line: usize,
    /// The milestone's title, as it is or would be (for naming the row).
    pub title: String,
    pub outcome: Outcome,
}

/// A sub-goal as the planner needs to know it.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownSubgoal {
    pub title: String,
    /// The uploader may change its milestones.
    pub editable: bool,
}

/// What the database holds now, as far as an upload goes.
pub struct Known<'a> {
    /// By id: its sub-goal and the milestone.
    pub milestones: &'a HashMap<i64, (i64, Milestone)>,
    pub subgoals: &'a HashMap<i64, KnownSubgoal>,
}

/// What every row of an upload would do, against what is stored now (`rows` are the rows
/// below the header, in order). Empty rows are skipped.
pub fn plan(layout: &Layout, rows: &[Vec<String>], known: &Known<'_>) -> Vec<PlannedRow> {
    let mut seen: HashMap<i64, usize> = HashMap::new();
    let mut planned = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let line = index + 2;
        let cells = layout.cells(row);
        if cells.values().all(|c| c.is_empty()) {
            continue;
        }
        let title = cells.get(&Column::Title).copied().unwrap_or("").to_owned();
        let outcome = plan_row(layout, &cells, known, line, &mut seen);
        let title = match &outcome {
            Outcome::Changed { before, .. } => before.title.clone(),
            Outcome::Unchanged { id } => known
                .milestones
                .get(id)
                .map(|(_, m)| m.data.title.clone())
                .unwrap_or(title),
            _ => title,
        };
        planned.push(PlannedRow {
            line,
            title,
            outcome,
        });
    }
    planned
}

fn number(text: &str) -> Result<i64, Problem> {
    let text = text.trim();
    match text.strip_suffix(".0").unwrap_or(text).parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        Ok(_) => Err(Problem::NotPositive),
        Err(_) => Err(Problem::NotAWholeNumber),
    }
}

fn plan_row(
    layout: &Layout,
    cells: &HashMap<Column, &str>,
    known: &Known<'_>,
    line: usize,
    seen: &mut HashMap<i64, usize>,
) -> Outcome {
    let mut problems: Vec<RowProblem> = Vec::new();
    let mut problem = |column: Option<Column>, issue: RowIssue| {
        problems.push(RowProblem { column, issue });
    };
    let cell = |column: Column| cells.get(&column).copied().unwrap_or("");
    let id_text = cell(Column::Id);
    let subgoal_text = cell(Column::SubgoalId);
    let subgoal_of_row = (!subgoal_text.is_empty()).then(|| number(subgoal_text));

    // The form's fields: the stored milestone's (or a new one's defaults), then the file's.
    let (existing, mut input) = if id_text.is_empty() {
        let defaults = MilestoneInput {
            status: Status::Planned.as_str().to_owned(),
            weight: "1".to_owned(),
            ..MilestoneInput::default()
        };
        (None, defaults)
    } else {
        match number(id_text) {
            Err(p) => {
                problem(Some(Column::Id), RowIssue::Invalid(p));
                return Outcome::Refused(problems);
            }
            Ok(id) => {
                if let Some(first) = seen.insert(id, line) {
                    problem(Some(Column::Id), RowIssue::Repeated { line: first });
                    return Outcome::Refused(problems);
                }
                match known.milestones.get(&id) {
                    None => {
                        problem(Some(Column::Id), RowIssue::UnknownMilestone);
                        return Outcome::Refused(problems);
                    }
                    Some((subgoal_id, milestone)) => (
                        Some((id, *subgoal_id, milestone)),
                        MilestoneInput::from_data(&milestone.data),
                    ),
                }
            }
        }
    };
    for column in Column::ALL {
        if !layout.has(column) {
            continue;
        }
        let text = cell(column);
        match column {
            Column::Title => input.title = text.to_owned(),
            Column::Due => input.due = date_cell(text),
            // Emptied: named as missing (a new row is planned unless it says otherwise).
            Column::Status if text.is_empty() && existing.is_some() => {
                problem(Some(Column::Status), RowIssue::Invalid(Problem::Required))
            }
            Column::Status if !text.is_empty() => input.status = status_cell(text),
            Column::DoneOn => input.done_on = date_cell(text),
            Column::Weight if !(existing.is_none() && text.is_empty()) => {
                input.weight = text.to_owned()
            }
            Column::Note => input.note = text.to_owned(),
            _ => {}
        }
    }

    // Where it belongs, and whether the uploader may change it there.
    let subgoal_id = match (&existing, subgoal_of_row) {
        (Some((_, stored, _)), Some(Ok(named))) if named != *stored => {
            problem(Some(Column::SubgoalId), RowIssue::OtherSubgoal);
            None
        }
        (Some((_, stored, _)), _) => Some(*stored),
        (None, None) => {
            problem(
                Some(Column::SubgoalId),
                RowIssue::Invalid(Problem::Required),
            );
            None
        }
        (None, Some(Err(p))) => {
            problem(Some(Column::SubgoalId), RowIssue::Invalid(p));
            None
        }
        (None, Some(Ok(named))) => Some(named),
    };
    if let Some(subgoal_id) = subgoal_id {
        match known.subgoals.get(&subgoal_id) {
            None => problem(Some(Column::SubgoalId), RowIssue::UnknownSubgoal),
            Some(s) if !s.editable => problem(
                Some(Column::SubgoalId),
                RowIssue::NotOwned {
                    subgoal: s.title.clone(),
                },
            ),
            Some(_) => {}
        }
    }

    // The version it was downloaded at.
    if let Some((_, _, milestone)) = &existing {
        let version = cell(Column::Version);
        match number(version) {
            _ if version.is_empty() => {
                problem(Some(Column::Version), RowIssue::Invalid(Problem::Required))
            }
            Err(p) => problem(Some(Column::Version), RowIssue::Invalid(p)),
            Ok(v) if v != milestone.version => problem(
                Some(Column::Version),
                RowIssue::Conflict {
                    file_version: v,
                    current_version: milestone.version,
                },
            ),
            Ok(_) => {}
        }
    }

    let data = match input.validate() {
        Ok(data) => Some(data),
        Err(errors) => {
            for e in errors {
                problem(
                    Some(Column::of_field(e.field)),
                    RowIssue::Invalid(e.problem),
                );
            }
            None
        }
    };
    match (problems.is_empty(), data, existing, subgoal_id) {
        (true, Some(data), None, Some(subgoal_id)) => Outcome::New { subgoal_id, data },
        (true, Some(data), Some((id, subgoal_id, milestone)), _) => {
            if data == milestone.data {
                Outcome::Unchanged { id }
            } else {
                Outcome::Changed {
                    id,
                    version: milestone.version,
                    subgoal_id,
                    before: milestone.data.clone(),
                    after: data,
                }
            }
        }
        _ => Outcome::Refused(problems),
    }
}

/// How many rows of each kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub refused: usize,
}

impl Tally {
    pub fn of(rows: &[PlannedRow]) -> Tally {
        let mut tally = Tally::default();
        for row in rows {
            match row.outcome {
                Outcome::New { .. } => tally.new += 1,
                Outcome::Changed { .. } => tally.changed += 1,
                Outcome::Unchanged { .. } => tally.unchanged += 1,
                Outcome::Refused(_) => tally.refused += 1,
            }
        }
        tally
    }

    /// Applied only when no row is refused, and something changes.
    pub fn applicable(&self) -> bool {
        self.refused == 0 && self.new + self.changed > 0
    }
}

/// The fields a change sets, each as it was and as it will be (as the form writes them).
pub fn differences(
    before: &MilestoneData,
    after: &MilestoneData,
) -> Vec<(MilestoneField, String, String)> {
    let (old, new) = (
        MilestoneInput::from_data(before),
        MilestoneInput::from_data(after),
    );
    [
        (MilestoneField::Title, old.title, new.title),
        (MilestoneField::Due, old.due, new.due),
        (MilestoneField::Status, old.status, new.status),
        (MilestoneField::DoneOn, old.done_on, new.done_on),
        (MilestoneField::Weight, old.weight, new.weight),
        (MilestoneField::Note, old.note, new.note),
    ]
    .into_iter()
    .filter(|(_, old, new)| old != new)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    fn stored(id: i64, version: i64, title: &str) -> Milestone {
        Milestone {
            id,
            version,
            example: false,
            data: MilestoneData {
                title: title.to_owned(),
                due: d("2026-12-31"),
                status: Status::Planned,
                done_on: None,
                weight: 1.0,
                note: None,
            },
        }
    }

    fn known() -> (HashMap<i64, (i64, Milestone)>, HashMap<i64, KnownSubgoal>) {
        let milestones = HashMap::from([
            (10, (1, stored(10, 3, "WLAN Grundschulen"))),
            (11, (1, stored(11, 1, "WLAN Gymnasien"))),
            (20, (2, stored(20, 1, "Kurs für Ältere"))),
        ]);
        let subgoals = HashMap::from([
            (
                1,
                KnownSubgoal {
                    title: "WLAN an Schulen".to_owned(),
                    editable: true,
                },
            ),
            (
                2,
                KnownSubgoal {
                    title: "Digitale Lernorte aufbauen".to_owned(),
                    editable: false,
                },
            ),
        ]);
        (milestones, subgoals)
    }

    const HEADER: [&str; 9] = [
        "Nr.",
        "Version",
        "Teilziel-Nr.",
        "Teilziel",
        "Meilenstein",
        "Fällig am",
        "Status",
        "Erreicht am",
        "Gewicht",
    ];

    fn planned(rows: &[&[&str]]) -> Vec<PlannedRow> {
        let rows: Vec<Vec<String>> = rows.iter().map(|r| strings(r)).collect();
        let layout = Layout::of(&strings(&HEADER), &rows).unwrap();
        let (milestones, subgoals) = known();
        plan(
            &layout,
            &rows,
            &Known {
                milestones: &milestones,
                subgoals: &subgoals,
            },
        )
    }

    fn issues(row: &PlannedRow) -> Vec<(Option<Column>, RowIssue)> {
        match &row.outcome {
            Outcome::Refused(problems) => problems
                .iter()
                .map(|p| (p.column, p.issue.clone()))
                .collect(),
            other => panic!("refused expected, got {other:?}"),
        }
    }

    #[test]
    fn headers_in_either_language_or_by_key() {
        assert_eq!(Column::of_header(" fällig AM "), Some(Column::Due));
        assert_eq!(Column::of_header("Reached on"), Some(Column::DoneOn));
        assert_eq!(Column::of_header("subgoal_id"), Some(Column::SubgoalId));
        assert_eq!(Column::of_header("Farbe"), None);
        let unknown = Layout::of(&strings(&["Nr.", "Meilenstein", "Farbe"]), &[]);
        assert_eq!(
            unknown,
            Err(FileProblem::UnknownColumn {
                column: 3,
                name: "Farbe".to_owned()
            })
        );
        let twice = Layout::of(&strings(&["Nr.", "Meilenstein", "title"]), &[]);
        assert!(matches!(
            twice,
            Err(FileProblem::RepeatedColumn { column: 3, .. })
        ));
        let no_id = Layout::of(&strings(&["Meilenstein"]), &[]);
        assert!(matches!(no_id, Err(FileProblem::MissingColumn { .. })));
        // An empty header over an empty column is tolerated (a stray separator).
        let layout = Layout::of(
            &strings(&["Nr.", "Meilenstein", ""]),
            &[strings(&["1", "x", ""])],
        );
        assert!(layout.is_ok());
        let layout = Layout::of(
            &strings(&["Nr.", "Meilenstein", ""]),
            &[strings(&["1", "x", "y"])],
        );
        assert!(matches!(
            layout,
            Err(FileProblem::UnknownColumn { column: 3, .. })
        ));
    }

    #[test]
    fn cells_as_offices_write_them() {
        assert_eq!(date_cell("31.12.2026"), "2026-12-31");
        assert_eq!(date_cell("1.2.2027"), "2027-02-01");
        assert_eq!(date_cell(" 2026-12-31 "), "2026-12-31");
        assert_eq!(
            date_cell("31.12.26"),
            "31.12.26",
            "two-digit years are refused"
        );
        assert_eq!(status_cell("In Arbeit"), "in_progress");
        assert_eq!(status_cell("erreicht"), "done");
        assert_eq!(status_cell("fertig"), "fertig");
    }

    #[test]
    fn rows_are_new_changed_unchanged_or_refused() {
        let rows = planned(&[
            &[
                "10",
                "3",
                "1",
                "WLAN an Schulen",
                "WLAN Grundschulen",
                "31.12.2026",
                "geplant",
                "",
                "1",
            ],
            &[
                "11",
                "1",
                "1",
                "",
                "WLAN Gymnasien",
                "2027-03-31",
                "erreicht",
                "15.11.2026",
                "1,5",
            ],
            &[
                "",
                "",
                "1",
                "",
                "WLAN Berufsschulen",
                "30.06.2027",
                "",
                "",
                "",
            ],
            &["", "", "", "", "", "", "", "", ""],
            &[
                "20",
                "1",
                "2",
                "",
                "Kurs für Ältere",
                "2026-12-31",
                "geplant",
                "",
                "1",
            ],
        ]);
        assert_eq!(rows.len(), 4, "the empty row is skipped");
        assert_eq!(rows[0].outcome, Outcome::Unchanged { id: 10 });
        match &rows[1].outcome {
            Outcome::Changed {
                id,
                version,
                after,
                before,
                ..
            } => {
                assert_eq!((*id, *version), (11, 1));
                assert_eq!(after.status, Status::Done);
                assert_eq!(after.done_on, Some(d("2026-11-15")));
                assert_eq!(after.weight, 1.5);
                let fields: Vec<MilestoneField> = differences(before, after)
                    .into_iter()
                    .map(|(f, _, _)| f)
                    .collect();
                assert_eq!(
                    fields,
                    [
                        MilestoneField::Due,
                        MilestoneField::Status,
                        MilestoneField::DoneOn,
                        MilestoneField::Weight
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
        match &rows[2].outcome {
            Outcome::New { subgoal_id, data } => {
                assert_eq!(*subgoal_id, 1);
                assert_eq!((data.status, data.weight), (Status::Planned, 1.0));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(rows[2].line, 4);
        assert_eq!(
            issues(&rows[3]),
            [(
                Some(Column::SubgoalId),
                RowIssue::NotOwned {
                    subgoal: "Digitale Lernorte aufbauen".to_owned()
                }
            )]
        );
        assert_eq!(rows[3].line, 6);
        let tally = Tally::of(&rows);
        assert_eq!(
            (tally.new, tally.changed, tally.unchanged, tally.refused),
            (1, 1, 1, 1)
        );
        assert!(!tally.applicable(), "all or nothing");
    }

    #[test]
    fn a_refused_row_names_every_problem_by_its_column() {
        let rows = planned(&[
            &["10", "2", "1", "", "", "31.13.2026", "fertig", "", "viel"],
            &["99", "1", "1", "", "x", "2026-12-31", "", "", ""],
            &["10", "3", "1", "", "Doppelt", "2026-12-31", "", "", ""],
            &[
                "11",
                "1",
                "2",
                "",
                "Umgezogen",
                "2026-12-31",
                "geplant",
                "",
                "",
            ],
            &["", "", "7", "", "Neu", "2026-12-31", "", "", ""],
            &["x", "1", "1", "", "Neu", "2026-12-31", "", "", ""],
            &["", "", "", "", "Ohne Teilziel", "2026-12-31", "", "", ""],
        ]);
        let first: Vec<(Option<Column>, RowIssue)> = issues(&rows[0]);
        assert!(first.contains(&(
            Some(Column::Version),
            RowIssue::Conflict {
                file_version: 2,
                current_version: 3
            }
        )));
        for (column, problem) in [
            (Column::Title, Problem::Required),
            (Column::Due, Problem::NotADate),
            (Column::Status, Problem::UnknownStatus),
            (Column::Weight, Problem::NotANumber),
        ] {
            assert!(
                first.contains(&(Some(column), RowIssue::Invalid(problem))),
                "{column:?} in {first:?}"
            );
        }
        assert_eq!(
            issues(&rows[1]),
            [(Some(Column::Id), RowIssue::UnknownMilestone)]
        );
        assert_eq!(
            issues(&rows[2]),
            [(Some(Column::Id), RowIssue::Repeated { line: 2 })]
        );
        assert_eq!(
            issues(&rows[3]),
            [(Some(Column::SubgoalId), RowIssue::OtherSubgoal)]
        );
        assert_eq!(
            issues(&rows[4]),
            [(Some(Column::SubgoalId), RowIssue::UnknownSubgoal)]
        );
        assert_eq!(
            issues(&rows[5]),
            [(
                Some(Column::Id),
                RowIssue::Invalid(Problem::NotAWholeNumber)
            )]
        );
        assert_eq!(
            issues(&rows[6]),
            [(
                Some(Column::SubgoalId),
                RowIssue::Invalid(Problem::Required)
            )]
        );
    }

    #[test]
    fn a_file_without_some_columns_keeps_what_they_would_say() {
        let header = strings(&["id", "version", "title", "status"]);
        let rows = vec![strings(&["11", "1", "WLAN Gymnasien", "in Arbeit"])];
        let layout = Layout::of(&header, &rows).unwrap();
        let (milestones, subgoals) = known();
        let planned = plan(
            &layout,
            &rows,
            &Known {
                milestones: &milestones,
                subgoals: &subgoals,
            },
        );
        match &planned[0].outcome {
            Outcome::Changed { before, after, .. } => {
                assert_eq!(after.status, Status::InProgress);
                assert_eq!((after.due, after.weight), (before.due, before.weight));
            }
            other => panic!("{other:?}"),
        }
    }
}
