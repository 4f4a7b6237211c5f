//! A strategy document's problems in the user's language; the path stays as the command line
//! writes it (`strategy.fields[0].needs[2].title`), so both name the same place.

use crate::{
    components::milestone_form::problem_text,
    domain::document::{DocumentProblem, ShapeKind},
    i18n::*,
};

/// A value as the document wrote it, quoted as the language does and shortened.
fn shown(locale: Locale, text: &str) -> String {
    const SHOWN: usize = 60;
    let mut start: String = text.chars().take(SHOWN).collect();
    if start.len() < text.len() {
        start.push('…');
    }
    match locale {
        Locale::de => format!("„{start}“"),
        Locale::en => format!("“{start}”"),
    }
}

pub fn document_problem_text(locale: Locale, problem: &DocumentProblem) -> String {
    match problem {
        DocumentProblem::Value(problem) => problem_text(locale, *problem),
        DocumentProblem::NotADate(text) => {
            td_string!(locale, document.not_a_date, text = shown(locale, text)).to_string()
        }
        DocumentProblem::BadDate(problem, text) => {
            format!("{} {}", problem_text(locale, *problem), shown(locale, text))
        }
        DocumentProblem::UnsupportedFormat(text) => td_string!(
            locale,
            document.unsupported_format,
            text = shown(locale, text)
        )
        .to_string(),
        DocumentProblem::UnknownStatus(text) => {
            td_string!(locale, document.unknown_status, text = shown(locale, text)).to_string()
        }
        DocumentProblem::UnknownDirection(text) => td_string!(
            locale,
            document.unknown_direction,
            text = shown(locale, text)
        )
        .to_string(),
        DocumentProblem::SecondMeasuring => {
            td_string!(locale, document.second_measuring).to_owned()
        }
        DocumentProblem::NotUtf8 => td_string!(locale, document.not_utf8).to_owned(),
        DocumentProblem::MoreNotListed => td_string!(locale, document.more).to_owned(),
        DocumentProblem::Shape(shape) => {
            let (line, column) = (shape.line, shape.column);
            match &shape.kind {
                ShapeKind::Syntax => {
                    td_string!(locale, document.syntax, line = line, column = column).to_string()
                }
                ShapeKind::Eof => td_string!(locale, document.eof, line = line).to_string(),
                ShapeKind::MissingKey(key) => {
                    td_string!(locale, document.missing_key, key = key.clone()).to_string()
                }
                ShapeKind::UnknownKey(key) => {
                    td_string!(locale, document.unknown_key, key = key.clone()).to_string()
                }
                ShapeKind::WrongType => {
                    td_string!(locale, document.wrong_type, line = line, column = column)
                        .to_string()
                }
                ShapeKind::Other => shape.message.clone(),
            }
        }
    }
}
