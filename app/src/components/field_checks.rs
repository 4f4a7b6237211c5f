//! Field checks in the browser (issue 15): the milestone forms (record, edit) check each field
//! as it is left, with the rule the server applies (`MilestoneInput::validate`, the same Rust
//! code compiled for the browser); the server still checks everything on saving. One island per
//! page listens for fields being left (`focusout` bubbles to the document), so a page with many
//! forms carries the words once. Without JavaScript nothing changes: the server's answer shows
//! the problems, as before.

use crate::{
    components::milestone_form::problem_text,
    domain::{
        Problem,
        validation::{MAX_TEXT_CHARS, MAX_TITLE_CHARS, MAX_WEIGHT, MilestoneField},
    },
    i18n::Locale,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Marks a control of a milestone form for these checks (`data-check="milestone"`).
pub const CHECKED: &str = "data-check";

/// The fields in the order of the form.
pub const FIELDS: [MilestoneField; 6] = [
    MilestoneField::Title,
    MilestoneField::Due,
    MilestoneField::Status,
    MilestoneField::DoneOn,
    MilestoneField::Weight,
    MilestoneField::Note,
];

/// Every problem a milestone form can have.
const PROBLEMS: [Problem; 10] = [
    Problem::Required,
    Problem::TooLong {
        max: MAX_TITLE_CHARS,
    },
    Problem::TooLong {
        max: MAX_TEXT_CHARS,
    },
    Problem::NotADate,
    Problem::DateOutOfRange,
    Problem::UnknownStatus,
    Problem::RequiredWhenDone,
    Problem::NotANumber,
    Problem::NotPositive,
    Problem::TooLarge { max: MAX_WEIGHT },
];

/// The words of each of [`PROBLEMS`], in the page's language and order: an island is given its
/// words, it does not carry the translations into the browser.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckTexts(Vec<String>);

impl CheckTexts {
    pub fn new(locale: Locale) -> CheckTexts {
        CheckTexts(
            PROBLEMS
                .map(|problem| problem_text(locale, problem))
                .to_vec(),
        )
    }

    /// The words for `problem`, else (a problem this list lacks) nothing: the server names it.
    pub fn text(&self, problem: Problem) -> Option<&str> {
        let index = PROBLEMS.iter().position(|p| *p == problem)?;
        self.0.get(index).map(String::as_str)
    }
}

/// Listens, in the browser, for milestone fields being left and shows or clears their problem.
#[island]
pub fn FieldChecks(texts: CheckTexts) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::listen(texts);
    #[cfg(not(feature = "hydrate"))]
    let _ = texts;
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{CHECKED, CheckTexts, FIELDS};
    use crate::domain::{MilestoneInput, validation::FieldError};
    use leptos::{prelude::document, wasm_bindgen::JsCast};
    use web_sys::{Element, FocusEvent, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

    /// A field the user has left once is checked from then on (others are not judged before
    /// they are filled in).
    const LEFT: &str = "data-left";

    /// Fields are checked when left (`focusout`) and when a choice in a list changes
    /// (`change`: a select may change without losing focus). Leaving a field for its form's submit button is
    /// submitting: then the server answers, and nothing moves under the pointer meanwhile.
    pub fn listen(texts: CheckTexts) {
        let texts = std::rc::Rc::new(texts);
        for kind in ["focusout", "change"] {
            let texts = texts.clone();
            let listener = gloo_events::EventListener::new(&document(), kind, move |event| {
                let Some(control) = event
                    .target()
                    .and_then(|target| target.dyn_into::<Element>().ok())
                else {
                    return;
                };
                if control.get_attribute(CHECKED).as_deref() != Some("milestone") {
                    return;
                }
                // A text field's `change` comes just before it is left: `focusout` judges it,
                // knowing where focus goes.
                if kind == "change" && control.tag_name() != "SELECT" {
                    return;
                }
                let Ok(Some(form)) = control.closest("form") else {
                    return;
                };
                let submitting = event
                    .dyn_ref::<FocusEvent>()
                    .and_then(FocusEvent::related_target)
                    .and_then(|next| next.dyn_into::<Element>().ok())
                    .is_some_and(|next| {
                        let kind = next.get_attribute("type");
                        let submits = match next.tag_name().as_str() {
                            "BUTTON" => kind.is_none_or(|k| k == "submit"),
                            "INPUT" => kind.as_deref() == Some("submit"),
                            _ => false,
                        };
                        submits && next.closest("form").ok().flatten().as_ref() == Some(&form)
                    });
                if submitting {
                    return;
                }
                let _ = control.set_attribute(LEFT, "");
                check(&form, &texts);
            });
            // For as long as the page: the island is never unmounted.
            listener.forget();
        }
    }

    fn control(form: &Element, name: &str) -> Option<Element> {
        form.query_selector(&format!("[{CHECKED}=\"milestone\"][name=\"{name}\"]"))
            .ok()
            .flatten()
    }

    fn value(form: &Element, name: &str) -> String {
        let Some(element) = control(form, name) else {
            return String::new();
        };
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            input.value()
        } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
            select.value()
        } else if let Some(text) = element.dyn_ref::<HtmlTextAreaElement>() {
            text.value()
        } else {
            String::new()
        }
    }

    /// The form's values through the server's rule; each field left shows its problem or none.
    fn check(form: &Element, texts: &CheckTexts) {
        let input = MilestoneInput {
            title: value(form, "title"),
            due: value(form, "due"),
            status: value(form, "status"),
            done_on: value(form, "done_on"),
            weight: value(form, "weight"),
            note: value(form, "note"),
        };
        let errors: Vec<FieldError> = input.validate().err().unwrap_or_default();
        for field in FIELDS {
            let Some(element) = control(form, field.as_str()) else {
                continue;
            };
            if !element.has_attribute(LEFT) {
                continue;
            }
            let problem = errors.iter().find(|e| e.field == field).map(|e| e.problem);
            show(&element, problem.and_then(|p| texts.text(p)));
        }
    }

    /// Shows `message` under the control as the server does (`<p class="field-error">` named
    /// by `aria-describedby`, `aria-invalid`), or takes the problem away.
    fn show(control: &Element, message: Option<&str>) {
        let document = document();
        let error_id = format!("{}-error", control.id());
        let existing = document.get_element_by_id(&error_id);
        let described = control
            .get_attribute("aria-describedby")
            .unwrap_or_default();
        let mut ids: Vec<&str> = described
            .split_whitespace()
            .filter(|id| *id != error_id)
            .collect();
        match message {
            Some(text) => {
                let paragraph = match existing {
                    Some(paragraph) => paragraph,
                    None => {
                        let Ok(paragraph) = document.create_element("p") else {
                            return;
                        };
                        paragraph.set_id(&error_id);
                        paragraph.set_class_name("field-error");
                        if let Some(field) = control.parent_element() {
                            let _ = field.append_child(&paragraph);
                        }
                        paragraph
                    }
                };
                paragraph.set_text_content(None);
                if let Ok(mark) = document.create_element("span") {
                    let _ = mark.set_attribute("aria-hidden", "true");
                    mark.set_text_content(Some("⚠ "));
                    let _ = paragraph.append_child(&mark);
                }
                let _ = paragraph.append_child(&document.create_text_node(text));
                let _ = control.set_attribute("aria-invalid", "true");
                ids.push(&error_id);
                let _ = control.set_attribute("aria-describedby", &ids.join(" "));
            }
            None => {
                if let Some(paragraph) = existing {
                    paragraph.remove();
                }
                let _ = control.remove_attribute("aria-invalid");
                if ids.is_empty() {
                    let _ = control.remove_attribute("aria-describedby");
                } else {
                    let _ = control.set_attribute("aria-describedby", &ids.join(" "));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MilestoneInput;

    #[test]
    fn every_problem_the_form_rule_gives_has_its_words() {
        let texts = CheckTexts::new(Locale::en);
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        let values = [
            "",
            " ",
            "a",
            "2026-02-30",
            "1899-12-31",
            "2026-12-31",
            "done",
            "planned",
            "??",
            "0",
            "-1",
            "1e2",
            "1001",
            "1,5",
            &long,
        ];
        let mut seen = 0;
        for title in values {
            for other in values {
                let input = MilestoneInput {
                    title: title.to_owned(),
                    due: other.to_owned(),
                    status: other.to_owned(),
                    done_on: title.to_owned(),
                    weight: other.to_owned(),
                    note: other.to_owned(),
                };
                for error in input.validate().err().unwrap_or_default() {
                    seen += 1;
                    assert!(texts.text(error.problem).is_some(), "{:?}", error.problem);
                }
            }
        }
        assert!(seen > 100, "{seen}");
        assert_eq!(
            texts.text(Problem::NotANumber),
            Some(problem_text(Locale::en, Problem::NotANumber).as_str())
        );
        assert_eq!(texts.text(Problem::NotAnEmail), None);
    }
}
