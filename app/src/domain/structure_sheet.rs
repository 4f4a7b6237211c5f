//! The structure spreadsheet (issue 19): one row per sub-goal with its field of action, the
//! field's strategic goal, its need, the owner department and the weight. It is the
//! "Struktur" sheet of the strategy workbook, or what the CDO office types from the city's
//! brochure; read as the bulk update reads its files (`bulk::Table`: XLSX, CSV with `;` or
//! `,`, UTF-8 or Windows-1252).
//!
//! Read against a strategy as stored, each row says what it would do: add a sub-goal (and
//! its need and field where there is none of that title yet), change an existing sub-goal's
//! owner or weight, nothing, or why it is refused. Titles match whatever their case and
//! spacing. Nothing is removed: a sub-goal the sheet leaves out stays as it is.

use super::{
    Problem, Strategy,
    bulk::{FileProblem, MAX_COLUMNS},
    validation::{self, MAX_TEXT_CHARS, MAX_TITLE_CHARS},
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The sheet's columns, in the order the workbook writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StructureColumn {
    Field,
    Goal,
    Need,
    SubGoal,
    Owner,
    Weight,
    Archived,
}

impl StructureColumn {
    pub const ALL: [StructureColumn; 7] = [
        StructureColumn::Field,
        StructureColumn::Goal,
        StructureColumn::Need,
        StructureColumn::SubGoal,
        StructureColumn::Owner,
        StructureColumn::Weight,
        StructureColumn::Archived,
    ];

    /// The header the workbook writes, in German or in English.
    pub fn header(self, german: bool) -> &'static str {
        match (self, german) {
            (StructureColumn::Field, true) => "Handlungsfeld",
            (StructureColumn::Field, false) => "Field of action",
            (StructureColumn::Goal, true) => "Strategisches Ziel",
            (StructureColumn::Goal, false) => "Strategic goal",
            (StructureColumn::Need, true) => "Handlungsbedarf",
            (StructureColumn::Need, false) => "Need",
            (StructureColumn::SubGoal, true) => "Teilziel",
            (StructureColumn::SubGoal, false) => "Sub-goal",
            (StructureColumn::Owner, true) => "Zuständig",
            (StructureColumn::Owner, false) => "Department",
            (StructureColumn::Weight, true) => "Gewicht",
            (StructureColumn::Weight, false) => "Weight",
            (StructureColumn::Archived, true) => "Archiviert",
            (StructureColumn::Archived, false) => "Archived",
        }
    }

    /// The column a header names, in either language, whatever its case and spacing.
    pub fn of_header(text: &str) -> Option<StructureColumn> {
        let text = normalized(text);
        StructureColumn::ALL.into_iter().find(|c| {
            [c.header(true), c.header(false)]
                .iter()
                .any(|name| normalized(name) == text)
        })
    }
}

/// A title as it is compared: lower case, runs of white space as one space, trimmed.
pub fn normalized(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Which column of the file is which. Columns with other headers (notes a city keeps beside
/// the structure) are left alone.
#[derive(Clone, Debug, PartialEq)]
pub struct StructureLayout {
    columns: Vec<Option<StructureColumn>>,
}

impl StructureLayout {
    /// Reads the header row; field, need and sub-goal are needed.
    pub fn of(header: &[String]) -> Result<StructureLayout, FileProblem> {
        if header.iter().all(|h| h.trim().is_empty()) {
            return Err(FileProblem::Empty);
        }
        if header.len() > MAX_COLUMNS {
            return Err(FileProblem::TooManyColumns { max: MAX_COLUMNS });
        }
        let mut columns = Vec::with_capacity(header.len());
        for (index, name) in header.iter().enumerate() {
            let column = StructureColumn::of_header(name);
            if column.is_some() && columns.contains(&column) {
                return Err(FileProblem::RepeatedColumn {
                    column: index + 1,
                    name: name.trim().to_owned(),
                });
            }
            columns.push(column);
        }
        for needed in [
            StructureColumn::Field,
            StructureColumn::Need,
            StructureColumn::SubGoal,
        ] {
            if !columns.contains(&Some(needed)) {
                return Err(FileProblem::MissingColumn {
                    name: needed.header(true).to_owned(),
                });
            }
        }
        Ok(StructureLayout { columns })
    }

    fn cell<'a>(&self, row: &'a [String], column: StructureColumn) -> Option<&'a str> {
        let index = self.columns.iter().position(|c| *c == Some(column))?;
        Some(row.get(index).map(|c| c.trim()).unwrap_or(""))
    }
}

/// Why a row is refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RowIssue {
    Value(Problem),
    /// The same sub-goal (field, need and title) as an earlier row.
    SameAsLine(usize),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowProblem {
    pub column: Option<StructureColumn>,
    pub issue: RowIssue,
}

/// A sub-goal the sheet adds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewPart {
    pub field: String,
    /// The field's goal, for a new field.
    pub goal: Option<String>,
    /// No field of this title yet (the first row naming it creates it).
    pub field_is_new: bool,
    pub need: String,
    pub need_is_new: bool,
    pub subgoal: String,
    pub owner: Option<String>,
    pub weight: f64,
    pub archived: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RowOutcome {
    New(NewPart),
    /// An existing sub-goal whose owner or weight the row changes: before and after.
    Changed {
        id: i64,
        owner: (Option<String>, Option<String>),
        weight: (f64, f64),
    },
    Unchanged {
        id: i64,
    },
    Refused(Vec<RowProblem>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructureRow {
    /// The row's line in the file (the header is line 1).
    pub line: usize,
    /// The sub-goal's title as written, to name the row.
    pub title: String,
    pub outcome: RowOutcome,
}

/// What a sheet would do, counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureTally {
    pub new_fields: usize,
    pub new_needs: usize,
    pub new_subgoals: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub refused: usize,
}

impl StructureTally {
    pub fn of(rows: &[StructureRow]) -> StructureTally {
        let mut tally = StructureTally::default();
        for row in rows {
            match &row.outcome {
                RowOutcome::New(part) => {
                    tally.new_subgoals += 1;
                    tally.new_fields += usize::from(part.field_is_new);
                    tally.new_needs += usize::from(part.need_is_new);
                }
                RowOutcome::Changed { .. } => tally.changed += 1,
                RowOutcome::Unchanged { .. } => tally.unchanged += 1,
                RowOutcome::Refused(_) => tally.refused += 1,
            }
        }
        tally
    }

    /// Something to write and nothing refused.
    pub fn applicable(&self) -> bool {
        self.refused == 0 && self.new_subgoals + self.changed > 0
    }
}

/// Marks that say "archived" in the archived column; an empty cell or any other word ("nein",
/// "no") says it is not.
fn archived_mark(text: &str) -> bool {
    matches!(
        normalized(text).as_str(),
        "ja" | "yes" | "x" | "1" | "true" | "wahr" | "archiviert" | "archived"
    )
}

/// A stored sub-goal's id, owner and weight.
type StoredSubGoal = (i64, Option<String>, f64);
/// A stored field's needs and their sub-goals, by normalized title.
type StoredNeeds = HashMap<String, HashMap<String, StoredSubGoal>>;

/// What each row of `rows` would do to `strategy` (its tree with archived parts: a row naming
/// an archived sub-goal leaves it as it is). Empty rows are skipped.
pub fn plan(
    layout: &StructureLayout,
    rows: &[Vec<String>],
    strategy: &Strategy,
) -> Vec<StructureRow> {
    // What is stored, by normalized title.
    let mut fields: HashMap<String, StoredNeeds> = HashMap::new();
    for field in &strategy.fields {
        let needs = fields.entry(normalized(&field.title)).or_default();
        for need in &field.needs {
            let subgoals = needs.entry(normalized(&need.title)).or_default();
            for subgoal in &need.subgoals {
                subgoals.entry(normalized(&subgoal.title)).or_insert((
                    subgoal.id,
                    subgoal.owner.clone(),
                    subgoal.weight,
                ));
            }
        }
    }
    let stored_field = |f: &str| fields.contains_key(f);
    let stored_need = |f: &str, n: &str| fields.get(f).is_some_and(|needs| needs.contains_key(n));
    // What earlier rows of the file add, and where each sub-goal was first named.
    let mut added_fields: Vec<String> = Vec::new();
    let mut added_needs: Vec<(String, String)> = Vec::new();
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    let mut planned = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        if row.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let line = index + 2;
        let cell = |column| layout.cell(row, column);
        let mut problems = Vec::new();
        let mut title = |column: StructureColumn| {
            validation::title(cell(column).unwrap_or(""))
                .map_err(|problem| {
                    problems.push(RowProblem {
                        column: Some(column),
                        issue: RowIssue::Value(problem),
                    })
                })
                .unwrap_or_default()
        };
        let field = title(StructureColumn::Field);
        let need = title(StructureColumn::Need);
        let subgoal = title(StructureColumn::SubGoal);
        let mut text = |column: StructureColumn, max: usize| match cell(column) {
            None => None,
            Some(typed) => validation::optional_text(typed, max)
                .map_err(|problem| {
                    problems.push(RowProblem {
                        column: Some(column),
                        issue: RowIssue::Value(problem),
                    })
                })
                .unwrap_or_default(),
        };
        let goal = text(StructureColumn::Goal, MAX_TEXT_CHARS);
        let owner = text(StructureColumn::Owner, MAX_TITLE_CHARS);
        let weight = match cell(StructureColumn::Weight) {
            None | Some("") => None,
            Some(typed) => match validation::weight_text(typed) {
                Ok(weight) => Some(weight),
                Err(problem) => {
                    problems.push(RowProblem {
                        column: Some(StructureColumn::Weight),
                        issue: RowIssue::Value(problem),
                    });
                    None
                }
            },
        };
        let archived = cell(StructureColumn::Archived).is_some_and(archived_mark);
        let key = (normalized(&field), normalized(&need), normalized(&subgoal));
        if problems.is_empty() {
            if let Some(first) = seen.get(&key) {
                problems.push(RowProblem {
                    column: Some(StructureColumn::SubGoal),
                    issue: RowIssue::SameAsLine(*first),
                });
            } else {
                seen.insert(key.clone(), line);
            }
        }
        let outcome = if !problems.is_empty() {
            RowOutcome::Refused(problems)
        } else if let Some((id, stored_owner, stored_weight)) = fields
            .get(&key.0)
            .and_then(|needs| needs.get(&key.1))
            .and_then(|subgoals| subgoals.get(&key.2))
        {
            let new_owner = owner.clone().or(stored_owner.clone());
            let new_weight = weight.unwrap_or(*stored_weight);
            if new_owner != *stored_owner || new_weight != *stored_weight {
                RowOutcome::Changed {
                    id: *id,
                    owner: (stored_owner.clone(), new_owner),
                    weight: (*stored_weight, new_weight),
                }
            } else {
                RowOutcome::Unchanged { id: *id }
            }
        } else {
            let field_is_new = !stored_field(&key.0) && !added_fields.contains(&key.0);
            if field_is_new {
                added_fields.push(key.0.clone());
            }
            let need_key = (key.0.clone(), key.1.clone());
            let need_is_new = !stored_need(&key.0, &key.1) && !added_needs.contains(&need_key);
            if need_is_new {
                added_needs.push(need_key);
            }
            RowOutcome::New(NewPart {
                field,
                goal,
                field_is_new,
                need,
                need_is_new,
                subgoal: subgoal.clone(),
                owner,
                weight: weight.unwrap_or(1.0),
                archived,
            })
        };
        planned.push(StructureRow {
            line,
            title: cell(StructureColumn::SubGoal).unwrap_or("").to_owned(),
            outcome,
        });
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Field, Need, SubGoal};

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    fn stored() -> Strategy {
        Strategy {
            id: 1,
            title: "Digitalstrategie".into(),
            about: Default::default(),
            fields: vec![Field {
                id: 1,
                title: "Bildung und Zusammenleben".into(),
                goal: None,
                builds_on: Vec::new(),
                archived: false,
                needs: vec![Need {
                    id: 2,
                    title: "Digitale Infrastruktur".into(),
                    archived: false,
                    subgoals: [(3, "WLAN an Schulen", "Amt 40"), (4, "Breitband", "Amt 12")]
                        .map(|(id, title, owner)| SubGoal {
                            id,
                            title: title.into(),
                            owner: Some(owner.into()),
                            weight: 1.0,
                            milestones: Default::default(),
                            indicators: Vec::new(),
                            archived: false,
                        })
                        .to_vec(),
                }],
            }],
        }
    }

    fn german_header() -> Vec<String> {
        StructureColumn::ALL
            .map(|c| c.header(true).to_owned())
            .to_vec()
    }

    #[test]
    fn headers_are_read_in_either_language_and_the_three_titles_are_needed() {
        let layout = StructureLayout::of(&strings(&[
            "  HANDLUNGSFELD ",
            "Need",
            "Sub-goal",
            "Bemerkung",
        ]));
        assert!(layout.is_ok());
        assert_eq!(
            StructureLayout::of(&strings(&["Handlungsfeld", "Teilziel"])),
            Err(FileProblem::MissingColumn {
                name: "Handlungsbedarf".into()
            })
        );
        assert_eq!(
            StructureLayout::of(&strings(&["Handlungsfeld", "Field of action"])),
            Err(FileProblem::RepeatedColumn {
                column: 2,
                name: "Field of action".into()
            })
        );
        assert_eq!(
            StructureLayout::of(&strings(&["", " "])),
            Err(FileProblem::Empty)
        );
    }

    #[test]
    fn rows_add_what_is_missing_change_owners_and_weights_and_name_every_problem() {
        let layout = StructureLayout::of(&german_header()).unwrap();
        let rows = vec![
            // The stored sub-goal, spelled differently, with a new weight (German comma).
            strings(&[
                "bildung  und zusammenleben",
                "",
                "Digitale Infrastruktur",
                "WLAN an Schulen",
                "",
                "1,5",
                "",
            ]),
            // Another stored sub-goal, as it is.
            strings(&[
                "Bildung und Zusammenleben",
                "",
                "Digitale Infrastruktur",
                "breitband",
                "Amt 12",
                "1",
                "",
            ]),
            strings(&[]),
            // A new sub-goal in the stored need.
            strings(&[
                "Bildung und Zusammenleben",
                "",
                "Digitale Infrastruktur",
                "Tablets",
                "Amt 40",
                "",
                "",
            ]),
            // A new field with its need, twice, once archived.
            strings(&[
                "Verwaltung",
                "Schneller Service",
                "Onlinedienste",
                "OZG-Leistungen",
                "Amt 12",
                "2",
                "",
            ]),
            strings(&["Verwaltung", "", "Onlinedienste", "E-Akte", "", "", "ja"]),
            // Refused: no need, a bad weight; a repeated row.
            strings(&["Verwaltung", "", " ", "Chatbot", "", "viel", ""]),
            strings(&["Verwaltung", "", "Onlinedienste", "e-akte", "", "", ""]),
        ];
        let planned = plan(&layout, &rows, &stored());
        assert_eq!(
            planned.iter().map(|r| r.line).collect::<Vec<_>>(),
            [2, 3, 5, 6, 7, 8, 9]
        );
        assert_eq!(
            planned[0].outcome,
            RowOutcome::Changed {
                id: 3,
                owner: (Some("Amt 40".into()), Some("Amt 40".into())),
                weight: (1.0, 1.5)
            }
        );
        assert_eq!(planned[1].outcome, RowOutcome::Unchanged { id: 4 });
        let RowOutcome::New(tablets) = &planned[2].outcome else {
            panic!("{:?}", planned[2])
        };
        assert!(!tablets.field_is_new && !tablets.need_is_new);
        assert_eq!(tablets.weight, 1.0);
        let RowOutcome::New(ozg) = &planned[3].outcome else {
            panic!()
        };
        assert!(ozg.field_is_new && ozg.need_is_new);
        assert_eq!(ozg.goal.as_deref(), Some("Schneller Service"));
        let RowOutcome::New(akte) = &planned[4].outcome else {
            panic!()
        };
        assert!(!akte.field_is_new && !akte.need_is_new && akte.archived);
        assert_eq!(
            planned[5].outcome,
            RowOutcome::Refused(vec![
                RowProblem {
                    column: Some(StructureColumn::Need),
                    issue: RowIssue::Value(Problem::Required)
                },
                RowProblem {
                    column: Some(StructureColumn::Weight),
                    issue: RowIssue::Value(Problem::NotANumber)
                },
            ])
        );
        assert_eq!(
            planned[6].outcome,
            RowOutcome::Refused(vec![RowProblem {
                column: Some(StructureColumn::SubGoal),
                issue: RowIssue::SameAsLine(7)
            }])
        );
        let tally = StructureTally::of(&planned);
        assert_eq!(
            tally,
            StructureTally {
                new_fields: 1,
                new_needs: 1,
                new_subgoals: 3,
                changed: 1,
                unchanged: 1,
                refused: 2
            }
        );
        assert!(!tally.applicable());
    }
}
