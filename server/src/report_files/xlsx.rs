//! A report as an Excel workbook: sheets for the overview, needs, sub-goals, milestones,
//! indicators and the changes since the report compared with. Dates are dates, progress is a
//! number with a percent format, every sheet has a frozen header row and filters.

use app::{
    domain::{
        Progress, Status, progress,
        report::{Delta, Snapshot},
        schedule::{self, Counts, ScheduleState},
    },
    format,
    i18n::{Locale, td_string},
    server_fns::reports::{Compared, ReportPage},
};
use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, Format, Workbook, XlsxError};

/// One cell's value, typed.
enum Cell {
    Text(String),
    Number(f64),
    /// A progress in percent, written as the fraction Excel's percent format shows.
    Percent(Progress),
    Date(Option<NaiveDate>),
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Number(n as f64)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Number(n.into())
    }
}

struct Formats {
    header: Format,
    percent: Format,
    date: Format,
}

/// A sheet: its name, column titles with widths, and rows.
struct Sheet {
    name: &'static str,
    columns: Vec<(&'static str, f64)>,
    rows: Vec<Vec<Cell>>,
}

impl Sheet {
    fn new(name: &'static str, columns: Vec<(&'static str, f64)>) -> Sheet {
        Sheet {
            name,
            columns,
            rows: Vec::new(),
        }
    }

    fn write(self, workbook: &mut Workbook, formats: &Formats) -> Result<(), XlsxError> {
        let sheet = workbook.add_worksheet();
        sheet.set_name(self.name)?;
        for (col, (title, width)) in self.columns.iter().enumerate() {
            let col = col as u16;
            sheet.write_string_with_format(0, col, *title, &formats.header)?;
            sheet.set_column_width(col, *width)?;
        }
        for (index, cells) in self.rows.iter().enumerate() {
            let row = index as u32 + 1;
            for (col, cell) in cells.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Text(text) if text.is_empty() => {}
                    Cell::Text(text) => {
                        sheet.write_string(row, col, text)?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(row, col, *n)?;
                    }
                    Cell::Percent(Some(p)) => {
                        sheet.write_number_with_format(row, col, p / 100.0, &formats.percent)?;
                    }
                    Cell::Date(Some(day)) => {
                        sheet.write_datetime_with_format(row, col, day, &formats.date)?;
                    }
                    Cell::Percent(None) | Cell::Date(None) => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        let last_col = self.columns.len().saturating_sub(1) as u16;
        sheet.autofilter(0, 0, self.rows.len() as u32, last_col)?;
        Ok(())
    }
}

fn status(locale: Locale, status: Status) -> &'static str {
    match status {
        Status::Planned => td_string!(locale, status.planned),
        Status::InProgress => td_string!(locale, status.in_progress),
        Status::Done => td_string!(locale, status.done),
        Status::Cancelled => td_string!(locale, status.cancelled),
    }
}

/// The workbook of a frozen report, in `locale`.
pub fn write(page: &ReportPage, snapshot: &Snapshot, locale: Locale) -> Result<Vec<u8>, String> {
    build(page, snapshot, locale).map_err(|e| e.to_string())
}

fn build(page: &ReportPage, snapshot: &Snapshot, locale: Locale) -> Result<Vec<u8>, XlsxError> {
    macro_rules! w {
        ($($key:tt)+) => {
            td_string!(locale, $($key)+)
        };
    }
    let day = snapshot.stichtag;
    let state = |s: ScheduleState| Cell::from(format::state(locale, s));
    let counts = |c: Counts| [Cell::from(c.done), c.open.into(), c.overdue.into()];

    let mut overview = Sheet::new(
        w!(report.sheet_overview),
        vec![
            (w!(report.col_level), 16.0),
            (w!(report.col_field), 40.0),
            (w!(dashboard.col_progress), 12.0),
            (w!(dashboard.col_state), 16.0),
            (w!(dashboard.col_done), 10.0),
            (w!(dashboard.col_open), 10.0),
            (w!(dashboard.col_overdue), 12.0),
            (w!(report.col_stichtag), 12.0),
        ],
    );
    let figures = &page.fields;
    let total = figures.iter().fold(Counts::default(), |sum, f| Counts {
        done: sum.done + f.counts.done,
        open: sum.open + f.counts.open,
        overdue: sum.overdue + f.counts.overdue,
    });
    let strategy_state = schedule::worst(figures.iter().map(|f| f.state));
    let mut row = vec![
        w!(report.level_strategy).into(),
        page.strategy.title.clone().into(),
        Cell::Percent(page.progress),
        state(strategy_state),
    ];
    row.extend(counts(total));
    row.push(Cell::Date(Some(day)));
    overview.rows.push(row);
    for field in figures {
        let mut row = vec![
            w!(report.level_field).into(),
            field.title.clone().into(),
            Cell::Percent(field.progress),
            state(field.state),
        ];
        row.extend(counts(field.counts));
        row.push(Cell::Date(Some(day)));
        overview.rows.push(row);
    }

    let mut needs = Sheet::new(
        w!(report.sheet_needs),
        vec![
            (w!(report.col_field), 30.0),
            (w!(report.col_need), 40.0),
            (w!(dashboard.col_progress), 12.0),
            (w!(dashboard.col_state), 16.0),
            (w!(dashboard.col_done), 10.0),
            (w!(dashboard.col_open), 10.0),
            (w!(dashboard.col_overdue), 12.0),
        ],
    );
    for field in figures {
        for need in &field.needs {
            let mut row = vec![
                field.title.clone().into(),
                need.title.clone().into(),
                Cell::Percent(need.progress),
                state(need.state),
            ];
            row.extend(counts(need.counts));
            needs.rows.push(row);
        }
    }

    let mut subgoals = Sheet::new(
        w!(report.sheet_subgoals),
        vec![
            (w!(report.col_field), 24.0),
            (w!(report.col_need), 30.0),
            (w!(report.col_subgoal), 40.0),
            (w!(report.col_owner), 20.0),
            (w!(report.col_weight), 9.0),
            (w!(dashboard.col_progress), 12.0),
            (w!(dashboard.col_state), 16.0),
            (w!(dashboard.col_done), 10.0),
            (w!(dashboard.col_open), 10.0),
            (w!(dashboard.col_overdue), 12.0),
        ],
    );
    let mut milestones = Sheet::new(
        w!(report.sheet_milestones),
        vec![
            (w!(report.col_field), 24.0),
            (w!(report.col_need), 30.0),
            (w!(report.col_subgoal), 30.0),
            (w!(report.col_milestone), 40.0),
            (w!(report.col_due), 12.0),
            (w!(report.col_planned), 14.0),
            (w!(report.col_status), 14.0),
            (w!(dashboard.col_state), 16.0),
            (w!(report.col_done_on), 12.0),
            (w!(report.col_weight), 9.0),
            (w!(report.col_note), 40.0),
        ],
    );
    let mut indicators = Sheet::new(
        w!(report.sheet_indicators),
        vec![
            (w!(report.col_field), 24.0),
            (w!(report.col_need), 30.0),
            (w!(report.col_subgoal), 30.0),
            (w!(report.col_indicator), 30.0),
            (w!(report.col_unit), 10.0),
            (w!(report.col_baseline), 12.0),
            (w!(report.col_target), 12.0),
            (w!(report.col_target_by), 12.0),
            (w!(report.col_value), 14.0),
        ],
    );
    for field in &snapshot.strategy.fields {
        for need in &field.needs {
            for subgoal in &need.subgoals {
                let place = || -> Vec<Cell> {
                    vec![
                        field.title.clone().into(),
                        need.title.clone().into(),
                        subgoal.title.clone().into(),
                    ]
                };
                let mut row = place();
                row.extend([
                    subgoal.owner.clone().unwrap_or_default().into(),
                    Cell::Number(subgoal.weight),
                    Cell::Percent(progress::of_subgoal(subgoal)),
                    state(schedule::of_subgoal(subgoal, day)),
                ]);
                row.extend(counts(Counts::of(
                    subgoal.milestones.iter().map(|m| &m.data),
                    day,
                )));
                subgoals.rows.push(row);
                for m in subgoal.milestones.iter() {
                    let mut row = place();
                    row.extend([
                        m.data.title.clone().into(),
                        Cell::Date(Some(m.data.due)),
                        Cell::Date(snapshot.planned.get(&m.id).copied()),
                        status(locale, m.data.status).into(),
                        state(schedule::of_milestone(&m.data, day)),
                        Cell::Date(m.data.done_on),
                        Cell::Number(m.data.weight),
                        m.data.note.clone().unwrap_or_default().into(),
                    ]);
                    milestones.rows.push(row);
                }
                for i in &subgoal.indicators {
                    let mut row = place();
                    row.extend([
                        i.data.name.clone().into(),
                        i.data.unit.clone().into(),
                        Cell::Number(i.data.baseline.value),
                        Cell::Number(i.data.target.value),
                        Cell::Date(Some(i.data.target.on)),
                        Cell::Number(i.current()),
                    ]);
                    indicators.rows.push(row);
                }
            }
        }
    }

    let mut changes = Sheet::new(
        w!(report.sheet_changes),
        vec![
            (w!(report.col_level), 16.0),
            (w!(report.col_field), 30.0),
            (w!(report.col_need), 30.0),
            (w!(report.col_points), 14.0),
            (w!(report.col_count_reached), 10.0),
            (w!(report.col_count_overdue), 14.0),
            (w!(report.col_count_moved), 12.0),
            (w!(report.col_count_added), 10.0),
            (w!(report.col_count_cancelled), 12.0),
            (w!(report.col_change), 50.0),
            (w!(report.col_compared), 40.0),
        ],
    );
    if let Some(comparison) = &page.comparison {
        let with = match &comparison.with {
            Compared::Report(other) => {
                format!("{} ({})", other.name, format::date(locale, other.stichtag))
            }
            Compared::Today => w!(report.compare_today).to_owned(),
        };
        let delta_row = |level: &str, field: &str, need: &str, delta: &Delta| -> Vec<Cell> {
            vec![
                level.into(),
                field.into(),
                need.into(),
                delta
                    .points
                    .map(Cell::Number)
                    .unwrap_or(Cell::Text(String::new())),
                delta.reached.len().into(),
                delta.newly_overdue.len().into(),
                delta.moved.len().into(),
                delta.added.len().into(),
                delta.cancelled.len().into(),
                format::delta(locale, delta).into(),
                with.clone().into(),
            ]
        };
        let c = &comparison.changes;
        changes.rows.push(delta_row(
            w!(report.level_strategy),
            &page.strategy.title,
            "",
            &c.total,
        ));
        for field in &c.fields {
            changes.rows.push(delta_row(
                w!(report.level_field),
                &field.title,
                "",
                &field.delta,
            ));
            for need in &field.needs {
                changes.rows.push(delta_row(
                    w!(report.level_need),
                    &field.title,
                    &need.title,
                    &need.delta,
                ));
            }
        }
    }

    let date_format = match locale {
        Locale::de => "dd.mm.yyyy",
        Locale::en => "d mmm yyyy",
    };
    let formats = Formats {
        header: Format::new().set_bold(),
        percent: Format::new().set_num_format("0.0%"),
        date: Format::new().set_num_format(date_format),
    };
    let header = &page.header;
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(header.name.clone())
            .set_author(header.made_by.clone())
            // The moment it was made, not the moment it is downloaded: the file never changes.
            .set_creation_datetime(&header.made_at),
    );
    for sheet in [overview, needs, subgoals, milestones, indicators, changes] {
        sheet.write(&mut workbook, &formats)?;
    }
    workbook.save_to_buffer()
}
