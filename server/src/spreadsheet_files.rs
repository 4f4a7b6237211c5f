//! Reading a spreadsheet someone uploads, as offices make them: a CSV file with `;` or `,`
//! between the cells, UTF-8 with or without a byte-order mark, or Windows-1252 (what German
//! Excel saves as "CSV"); or an XLSX workbook (its first sheet; dates as dates, numbers as
//! numbers). The result is rows of text, the first the header. Bounded before anything large
//! is made: the file's size, its rows and its columns (a workbook may declare a huge sheet
//! and hold little: cells are read one by one, never as the declared range).

use app::domain::bulk::{FileProblem, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, Table};
use std::borrow::Cow;

/// Reads an uploaded file (its bytes), whatever its name says: a workbook starts as a ZIP
/// archive does.
pub fn read(bytes: &[u8]) -> Result<Table, FileProblem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge {
            max_bytes: MAX_FILE_BYTES,
        });
    }
    let mut lines = if bytes.starts_with(b"PK\x03\x04") {
        xlsx(bytes)?
    } else {
        csv(&text(bytes))?
    };
    // Trailing empty rows (a sheet formatted further down) are not rows.
    while lines
        .last()
        .is_some_and(|row| row.iter().all(|cell| cell.trim().is_empty()))
    {
        lines.pop();
    }
    let mut lines = lines.into_iter();
    let header = lines.next().ok_or(FileProblem::Empty)?;
    Ok(Table {
        header,
        rows: lines.collect(),
    })
}

/// The file's text: UTF-8 (a byte-order mark dropped), else Windows-1252.
fn text(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// The separator of a CSV file: the one of `;`, `,` and tab that its first line (outside
/// quotes) has most of; `,` when it has none.
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in first.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(count) = counts.iter_mut().find(|(s, _)| *s == byte) {
            count.1 += 1;
        }
    }
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(_, n)| *n)
        .map(|(s, _)| *s)
        .unwrap_or(b',')
}

fn csv(text: &str) -> Result<Vec<Vec<String>>, FileProblem> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| FileProblem::Unreadable)?;
        if record.len() > MAX_COLUMNS {
            return Err(FileProblem::TooManyColumns { max: MAX_COLUMNS });
        }
        if rows.len() > MAX_ROWS {
            return Err(FileProblem::TooManyRows { max: MAX_ROWS });
        }
        rows.push(
            record
                .iter()
                .map(|cell| app::spreadsheet::unguarded(cell).to_owned())
                .collect(),
        );
    }
    Ok(rows)
}

fn xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, FileProblem> {
    use calamine::{DataRef, DataType, Reader, Xlsx};
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|_| FileProblem::Unreadable)?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(FileProblem::Empty)?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|_| FileProblem::Unreadable)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| FileProblem::Unreadable)? {
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize, column as usize);
        let value = cell.get_value();
        if matches!(value, DataRef::Empty) {
            continue;
        }
        if column >= MAX_COLUMNS {
            return Err(FileProblem::TooManyColumns { max: MAX_COLUMNS });
        }
        if row > MAX_ROWS {
            return Err(FileProblem::TooManyRows { max: MAX_ROWS });
        }
        let text = match value {
            DataRef::Int(n) => n.to_string(),
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            DataRef::Float(f) => f.to_string(),
            DataRef::String(s) => s.clone(),
            DataRef::SharedString(s) => (*s).to_owned(),
            DataRef::Bool(b) => b.to_string(),
            DataRef::DateTime(day) => value
                .as_date()
                .map(|d| d.to_string())
                .unwrap_or_else(|| day.as_f64().to_string()),
            DataRef::DateTimeIso(text) => value
                .as_date()
                .map(|d| d.to_string())
                .unwrap_or_else(|| text.clone()),
            DataRef::DurationIso(s) => s.clone(),
            DataRef::Error(e) => format!("#{e}"),
            DataRef::Empty => String::new(),
        };
        if rows.len() <= row {
            rows.resize(row + 1, Vec::new());
        }
        let line = &mut rows[row];
        if line.len() <= column {
            line.resize(column + 1, String::new());
        }
        line[column] = text;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_as_german_and_english_offices_save_it() {
        // German Excel: semicolons, Windows-1252.
        let german = b"Nr.;Meilenstein;F\xe4llig am\r\n10;Gr\xfc\xdfe;31.12.2026\r\n";
        let table = read(german).unwrap();
        assert_eq!(table.header, ["Nr.", "Meilenstein", "Fällig am"]);
        assert_eq!(table.rows, [["10", "Grüße", "31.12.2026"]]);
        // UTF-8 with a byte-order mark, commas, quotes holding separators and line breaks.
        let english = "\u{feff}No.,Milestone,Note\n11,\"WLAN, phase 2\",\"two\nlines\"\n\n";
        let table = read(english.as_bytes()).unwrap();
        assert_eq!(table.header, ["No.", "Milestone", "Note"]);
        assert_eq!(table.rows, [["11", "WLAN, phase 2", "two\nlines"]]);
        assert_eq!(
            separator("\"a;b\",c,d"),
            b',',
            "separators in quotes do not count"
        );
        // What the one CSV writer guarded against formulas reads back as it was.
        let guarded = "Nr.;Meilenstein\n1;'-Bedarf 1+1\n2;'=1+1\n3;'Zitat\n";
        let table = read(guarded.as_bytes()).unwrap();
        let titles: Vec<&str> = table.rows.iter().map(|r| r[1].as_str()).collect();
        assert_eq!(titles, ["-Bedarf 1+1", "=1+1", "'Zitat"]);
        assert_eq!(read(b""), Err(FileProblem::Empty));
    }

    #[test]
    fn limits_are_named() {
        let wide = vec!["x"; MAX_COLUMNS + 1].join(";");
        assert_eq!(
            read(wide.as_bytes()),
            Err(FileProblem::TooManyColumns { max: MAX_COLUMNS })
        );
        let long = "a;b\n".repeat(MAX_ROWS + 2);
        assert_eq!(
            read(long.as_bytes()),
            Err(FileProblem::TooManyRows { max: MAX_ROWS })
        );
        let huge = vec![b'a'; MAX_FILE_BYTES + 1];
        assert!(matches!(read(&huge), Err(FileProblem::TooLarge { .. })));
        assert_eq!(read(b"PK\x03\x04broken"), Err(FileProblem::Unreadable));
    }

    #[test]
    fn a_workbook_gives_dates_as_dates_and_numbers_as_numbers() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let date = Format::new().set_num_format("dd.mm.yyyy");
        sheet.write(0, 0, "Nr.").unwrap();
        sheet.write(0, 1, "Fällig am").unwrap();
        sheet.write(0, 2, "Gewicht").unwrap();
        sheet.write(1, 0, 10).unwrap();
        let due = ExcelDateTime::from_ymd(2026, 12, 31).unwrap();
        sheet.write_with_format(1, 1, &due, &date).unwrap();
        sheet.write(1, 2, 1.5).unwrap();
        // A row further down, with a gap: the gap is an empty row.
        sheet.write(3, 0, 12).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let table = read(&bytes).unwrap();
        assert_eq!(table.header, ["Nr.", "Fällig am", "Gewicht"]);
        assert_eq!(table.rows[0], ["10", "2026-12-31", "1.5"]);
        assert!(table.rows[1].is_empty());
        assert_eq!(table.rows[2], ["12"]);
    }
}
