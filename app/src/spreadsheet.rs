//! Files made for spreadsheets. Every CSV the app writes goes through [`Csv`]: the `csv` crate
//! quotes, and cells a spreadsheet would run as a formula are made plain text (OWASP's rule
//! on "CSV injection"). Server only.

use crate::i18n::Locale;
use std::borrow::Cow;

/// The UTF-8 byte-order mark: without it, Excel reads a UTF-8 file as the system's code page
/// (Windows-1252 in Germany) and breaks every umlaut.
const BOM: &str = "\u{feff}";

/// A CSV file being written, in the dialect the user's language expects: German Excel splits
/// columns at `;` (the comma is its decimal separator), English Excel at `,`. Lines end in
/// CRLF (RFC 4180), and the file starts with a byte-order mark, so a double-click opens it as
/// columns with its umlauts intact.
pub struct Csv {
    writer: csv::Writer<Vec<u8>>,
}

impl Csv {
    pub fn new(locale: Locale) -> Csv {
        let mut out = Vec::with_capacity(4096);
        out.extend_from_slice(BOM.as_bytes());
        let writer = csv::WriterBuilder::new()
            .delimiter(separator(locale))
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(out);
        Csv { writer }
    }

    /// Adds a line; each cell is guarded against being read as a formula.
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<_> = cells
            .into_iter()
            .map(|cell| guarded(cell.as_ref()).into_owned())
            .collect();
        // Writing into memory cannot fail; the record's shape is not checked (flexible).
        self.writer
            .write_record(&cells)
            .expect("a CSV line written into memory");
    }

    /// The file's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.writer
            .into_inner()
            .expect("a CSV file written into memory")
    }
}

/// The column separator of `locale`'s spreadsheets.
pub fn separator(locale: Locale) -> u8 {
    match locale {
        Locale::de => b';',
        Locale::en => b',',
    }
}

/// The cell as a spreadsheet should show it: text that starts like a formula (`=`, `+`, `-`,
/// `@`, a tab or a carriage return, also their full-width forms) gets a leading `'`, which
/// makes it text. A plain number (`-12`, `-3,5`) cannot be a formula and stays a number.
pub fn guarded(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with([
        '=', '+', '-', '@', '\t', '\r', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
    ]);
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell read back from a file written with [`guarded`]: the `'` it put before text that
/// starts like a formula is taken off again (an uploaded template round-trips unchanged).
pub fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if guarded(rest).len() != rest.len() => rest,
        _ => cell,
    }
}

/// `-12`, `+3`, `-3,5`, `-1.5`: a sign, digits, at most one decimal mark and more digits.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let mut parts = digits.splitn(2, ['.', ',']);
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8]) -> Vec<String> {
        let text = std::str::from_utf8(bytes).unwrap();
        let text = text
            .strip_prefix(BOM)
            .expect("starts with a byte-order mark");
        text.split_terminator("\r\n").map(str::to_owned).collect()
    }

    #[test]
    fn every_formula_start_becomes_text_and_numbers_stay_numbers() {
        for risky in [
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1:A2)",
            "\tindented",
            "\rreturn",
            "＝1+1",
            "-",
            "+",
            "-1,2,3",
            "-1e5",
        ] {
            assert_eq!(guarded(risky), format!("'{risky}"), "{risky:?}");
        }
        for safe in [
            "-12", "+3", "-3,5", "-1.5", "12", "Ausbau", "", "a=b", " =x", "'=x",
        ] {
            assert_eq!(guarded(safe), safe, "{safe:?}");
        }
    }

    #[test]
    fn german_files_split_at_semicolons_english_at_commas_both_with_a_bom() {
        let mut de = Csv::new(Locale::de);
        de.row(["Titel", "Fortschritt"]);
        de.row(["Schulen; WLAN \"neu\"", "12,5"]);
        de.row(["=1+1", "-3"]);
        assert_eq!(
            lines(&de.finish()),
            [
                "Titel;Fortschritt",
                "\"Schulen; WLAN \"\"neu\"\"\";12,5",
                "'=1+1;-3"
            ]
        );
        let mut en = Csv::new(Locale::en);
        en.row(["Title", "Progress"]);
        en.row(["Schools, Wi-Fi", "12.5"]);
        en.row(["line\nbreak", "@x"]);
        assert_eq!(
            lines(&en.finish()),
            [
                "Title,Progress",
                "\"Schools, Wi-Fi\",12.5",
                "\"line\nbreak\",'@x"
            ]
        );
    }

    #[test]
    fn a_file_reads_back_as_the_cells_written() {
        let cells = ["Übergänge", "a;b,c", "\"zitiert\"", "zwei\r\nZeilen", ""];
        for locale in [Locale::de, Locale::en] {
            let mut file = Csv::new(locale);
            file.row(cells);
            file.row(["x"; 5]);
            let bytes = file.finish();
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .delimiter(separator(locale))
                .from_reader(&bytes[BOM.len()..]);
            let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
            assert_eq!(rows.len(), 2);
            assert_eq!(rows[0].iter().collect::<Vec<_>>(), cells, "{locale:?}");
        }
    }
}
