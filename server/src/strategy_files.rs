//! A strategy as files (issue 19): its document (`meilenstein/1` JSON, byte for byte what
//! `meilenstein export` prints, also "as of" a past day) and a workbook of its structure and
//! milestones (XLSX: one row per sub-goal with field, field goal, need, owner department and
//! weight; one row per milestone). What `/strategies/{id}/strategy.json|xlsx` serves.

use app::{
    domain::{Strategy, bulk::status_word, document, structure_sheet::StructureColumn},
    error::AppError,
    i18n::Locale,
};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The strategy document as `meilenstein export` prints it (pretty JSON and a newline).
pub fn document_json(strategy: &Strategy, day: NaiveDate) -> String {
    let mut text = serde_json::to_string_pretty(&document::export(strategy, day))
        .unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// `strategie-3.json`, `strategie-3-2026-06-30.xlsx` (a past day), `strategy-3.json` in English.
pub fn file_name(locale: Locale, id: i64, past: Option<NaiveDate>, extension: &str) -> String {
    let stem = match locale {
        Locale::de => "strategie",
        Locale::en => "strategy",
    };
    match past {
        Some(day) => format!("{stem}-{id}-{day}.{extension}"),
        None => format!("{stem}-{id}.{extension}"),
    }
}

/// The workbook: sheet "Struktur" (one row per sub-goal) and "Meilensteine" (one per milestone),
/// headers in the user's language, dates as dates, in the strategy's order.
pub fn workbook(locale: Locale, strategy: &Strategy) -> Result<Vec<u8>, AppError> {
    write_workbook(locale, strategy).map_err(|error| {
        tracing::error!(%error, "strategy workbook not written");
        AppError::Internal
    })
}

/// The headers of the structure sheet: field, field goal, need, sub-goal, owner, weight, and
/// whether the sub-goal is archived (or in an archived need or field); the columns the
/// structure upload reads (`domain::structure_sheet`).
pub fn structure_headers(german: bool) -> [&'static str; 7] {
    StructureColumn::ALL.map(|column| column.header(german))
}

/// The word in the "archived" column.
fn archived_word(german: bool) -> &'static str {
    if german { "ja" } else { "yes" }
}

/// The headers of the milestone sheet: the need, then the template's own words for the
/// sub-goal and the milestone's fields (`domain::bulk::Column`).
pub fn milestone_headers(german: bool) -> Vec<&'static str> {
    let need = if german { "Handlungsbedarf" } else { "Need" };
    // The template's columns from the sub-goal's title on (its numbers are the template's).
    let from_subgoal = &app::domain::bulk::Column::ALL[3..];
    let archived = if german { "Archiviert" } else { "Archived" };
    std::iter::once(need)
        .chain(from_subgoal.iter().map(|column| column.header(german)))
        .chain(std::iter::once(archived))
        .collect()
}

fn header(sheet: &mut Worksheet, headers: &[&str], widths: &[f64]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (col, (text, width)) in headers.iter().zip(widths).enumerate() {
        sheet.write_with_format(0, col as u16, *text, &bold)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn write_workbook(locale: Locale, strategy: &Strategy) -> Result<Vec<u8>, XlsxError> {
    let german = locale == Locale::de;
    let date = Format::new().set_num_format(if german { "dd.mm.yyyy" } else { "yyyy-mm-dd" });
    let mut book = Workbook::new();

    let structure = book.add_worksheet();
    structure.set_name(if german { "Struktur" } else { "Structure" })?;
    let headers = structure_headers(german);
    header(
        structure,
        &headers,
        &[36.0, 48.0, 40.0, 48.0, 32.0, 9.0, 11.0],
    )?;
    let mut row = 0u32;
    for field in &strategy.fields {
        for need in &field.needs {
            for subgoal in &need.subgoals {
                row += 1;
                if field.archived || need.archived || subgoal.archived {
                    structure.write(row, 6, archived_word(german))?;
                }
                structure.write(row, 0, &field.title)?;
                if let Some(goal) = &field.goal {
                    structure.write(row, 1, goal)?;
                }
                structure.write(row, 2, &need.title)?;
                structure.write(row, 3, &subgoal.title)?;
                if let Some(owner) = &subgoal.owner {
                    structure.write(row, 4, owner)?;
                }
                structure.write(row, 5, subgoal.weight)?;
            }
        }
    }
    structure.autofilter(0, 0, row, headers.len() as u16 - 1)?;

    let milestones = book.add_worksheet();
    milestones.set_name(if german { "Meilensteine" } else { "Milestones" })?;
    let headers = milestone_headers(german);
    header(
        milestones,
        &headers,
        &[40.0, 48.0, 48.0, 12.0, 14.0, 12.0, 9.0, 40.0, 11.0],
    )?;
    let mut row = 0u32;
    for field in &strategy.fields {
        for need in &field.needs {
            for subgoal in &need.subgoals {
                let archived = field.archived || need.archived || subgoal.archived;
                for milestone in subgoal.milestones.iter() {
                    let m = &milestone.data;
                    row += 1;
                    if archived {
                        milestones.write(row, 8, archived_word(german))?;
                    }
                    milestones.write(row, 0, &need.title)?;
                    milestones.write(row, 1, &subgoal.title)?;
                    milestones.write(row, 2, &m.title)?;
                    milestones.write_datetime_with_format(row, 3, m.due, &date)?;
                    milestones.write(row, 4, status_word(m.status, german))?;
                    if let Some(day) = m.done_on {
                        milestones.write_datetime_with_format(row, 5, day, &date)?;
                    }
                    milestones.write(row, 6, m.weight)?;
                    if let Some(note) = &m.note {
                        milestones.write(row, 7, note)?;
                    }
                }
            }
        }
    }
    milestones.autofilter(0, 0, row, headers.len() as u16 - 1)?;
    book.save_to_buffer()
}
