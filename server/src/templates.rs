//! The bulk-update templates ("Vorlage herunterladen"): the milestones a user may change, with
//! their numbers and versions, as a CSV file (through the one CSV writer, in the dialect of
//! the user's language) or an XLSX workbook (dates as dates, the status as a list to choose
//! from). What `/templates/milestones.csv|xlsx` serves and `meilenstein template` writes;
//! uploaded back, `domain::bulk` reads it.

use app::{
    domain::{
        Milestone,
        access::{self, Account},
        bulk::{Column, status_word},
    },
    error::AppError,
    i18n::Locale,
    spreadsheet::Csv,
    store::Store,
};
use rust_xlsxwriter::{DataValidation, Format, Workbook};

/// Which milestones a template holds (of those the user may change).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every milestone the user may change.
    All,
    Strategy(i64),
    Need(i64),
    Subgoal(i64),
}

/// One row of a template.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub subgoal_id: i64,
    pub subgoal: String,
    pub milestone: Milestone,
}

/// The milestones in `scope` that `account` may change, in the strategy's order; not found
/// when the scope names nothing that exists (an empty template when none are theirs).
pub async fn rows(store: &Store, account: &Account, scope: Scope) -> Result<Vec<Row>, AppError> {
    let mut rows = Vec::new();
    let mut found = scope == Scope::All;
    for header in store.strategies().await? {
        if matches!(scope, Scope::Strategy(id) if id != header.id) {
            continue;
        }
        let Some(strategy) = store.strategy(header.id).await? else {
            continue;
        };
        found |= matches!(scope, Scope::Strategy(_));
        for need in strategy.fields.iter().flat_map(|f| &f.needs) {
            if matches!(scope, Scope::Need(id) if id != need.id) {
                continue;
            }
            found |= matches!(scope, Scope::Need(_));
            for subgoal in &need.subgoals {
                if matches!(scope, Scope::Subgoal(id) if id != subgoal.id) {
                    continue;
                }
                found |= matches!(scope, Scope::Subgoal(_));
                if access::may_edit_subgoal(Some(account), subgoal.id).is_err() {
                    continue;
                }
                rows.extend(subgoal.milestones.iter().map(|m| Row {
                    subgoal_id: subgoal.id,
                    subgoal: subgoal.title.clone(),
                    milestone: m.clone(),
                }));
            }
        }
    }
    if found {
        Ok(rows)
    } else {
        Err(AppError::NotFound)
    }
}

/// The file's name, in the user's language.
pub fn file_name(locale: Locale, extension: &str) -> String {
    match locale {
        Locale::de => format!("meilensteine-vorlage.{extension}"),
        Locale::en => format!("milestones-template.{extension}"),
    }
}

fn cells(locale: Locale, row: &Row) -> [String; 10] {
    let german = locale == Locale::de;
    let data = &row.milestone.data;
    let date = |day: chrono::NaiveDate| match locale {
        Locale::de => day.format("%d.%m.%Y").to_string(),
        Locale::en => day.to_string(),
    };
    [
        row.milestone.id.to_string(),
        row.milestone.version.to_string(),
        row.subgoal_id.to_string(),
        row.subgoal.clone(),
        data.title.clone(),
        date(data.due),
        status_word(data.status, german).to_owned(),
        data.done_on.map(date).unwrap_or_default(),
        app::format::weight(locale, data.weight),
        data.note.clone().unwrap_or_default(),
    ]
}

/// The template as CSV: the header in the user's language, dates and decimals as it writes
/// them (`31.12.2026` and `1,5` in German).
pub fn csv(locale: Locale, rows: &[Row]) -> Vec<u8> {
    let mut file = Csv::new(locale);
    file.row(Column::ALL.map(|c| c.header(locale == Locale::de)));
    for row in rows {
        file.row(cells(locale, row));
    }
    file.finish()
}

/// The template as an XLSX workbook.
pub fn xlsx(locale: Locale, rows: &[Row]) -> Result<Vec<u8>, AppError> {
    write_xlsx(locale, rows).map_err(|error| {
        tracing::error!(%error, "template workbook not written");
        AppError::Internal
    })
}

fn write_xlsx(locale: Locale, rows: &[Row]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let german = locale == Locale::de;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(if german { "Meilensteine" } else { "Milestones" })?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format(if german { "dd.mm.yyyy" } else { "yyyy-mm-dd" });
    let widths = [8.0, 8.0, 12.0, 40.0, 48.0, 12.0, 14.0, 12.0, 9.0, 40.0];
    for (col, column) in Column::ALL.iter().enumerate() {
        let col = col as u16;
        sheet.write_with_format(0, col, column.header(german), &bold)?;
        sheet.set_column_width(col, widths[col as usize])?;
    }
    for (index, row) in rows.iter().enumerate() {
        let r = index as u32 + 1;
        let m = &row.milestone;
        sheet.write(r, 0, m.id as f64)?;
        sheet.write(r, 1, m.version as f64)?;
        sheet.write(r, 2, row.subgoal_id as f64)?;
        sheet.write(r, 3, &row.subgoal)?;
        sheet.write(r, 4, &m.data.title)?;
        sheet.write_datetime_with_format(r, 5, m.data.due, &date)?;
        sheet.write(r, 6, status_word(m.data.status, german))?;
        if let Some(day) = m.data.done_on {
            sheet.write_datetime_with_format(r, 7, day, &date)?;
        }
        sheet.write(r, 8, m.data.weight)?;
        if let Some(note) = &m.data.note {
            sheet.write(r, 9, note)?;
        }
    }
    // The status from a list (its words in the template's language), also for new rows.
    let words: Vec<&str> = app::domain::Status::ALL
        .iter()
        .map(|s| status_word(*s, german))
        .collect();
    let status = DataValidation::new().allow_list_strings(&words)?;
    sheet.add_data_validation(1, 6, app::domain::bulk::MAX_ROWS as u32, 6, &status)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, Column::ALL.len() as u16 - 1)?;
    book.save_to_buffer()
}
