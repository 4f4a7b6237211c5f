//! The accessibility statement (Erklärung zur Barrierefreiheit, § 7 BITV 2.0, on the EU's model
//! of Implementing Decision 2018/1523) and the explanation in Leichte Sprache (§ 4 BITV 2.0):
//! what an admin may set, how it is checked, and the light text format both long texts are
//! written in (paragraphs, `# ` headings, `- ` list items; no markup, nothing is HTML).

use super::Problem;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How far the service meets BITV 2.0 / EN 301 549, as the statement must say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conformance {
    Full,
    #[default]
    Partial,
    None,
}

impl Conformance {
    pub const ALL: [Conformance; 3] = [Conformance::Full, Conformance::Partial, Conformance::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Conformance::Full => "full",
            Conformance::Partial => "partial",
            Conformance::None => "none",
        }
    }

    pub fn parse(text: &str) -> Result<Conformance, Problem> {
        Conformance::ALL
            .into_iter()
            .find(|c| c.as_str() == text.trim())
            .ok_or(Problem::UnknownChoice)
    }
}

/// How the statement was arrived at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    #[default]
    SelfAssessment,
    ThirdParty,
}

impl Method {
    pub const ALL: [Method; 2] = [Method::SelfAssessment, Method::ThirdParty];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::SelfAssessment => "self_assessment",
            Method::ThirdParty => "third_party",
        }
    }

    pub fn parse(text: &str) -> Result<Method, Problem> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str() == text.trim())
            .ok_or(Problem::UnknownChoice)
    }
}

/// The day the statement shipped with this version was written (the self-assessment of the
/// software as it stands, with its browser checks); a city sets its own when it has checked
/// its installation.
pub const SHIPPED_ON: (i32, u32, u32) = (2026, 12, 2);

pub fn shipped_on() -> NaiveDate {
    let (y, m, d) = SHIPPED_ON;
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The enforcement body named when none is set: the federal one (Schlichtungsstelle nach § 16
/// BGG). A city's or a Land's service names its Land's body instead.
pub const DEFAULT_ENFORCEMENT_NAME: &str =
    "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz (BGG)";
pub const DEFAULT_ENFORCEMENT_URL: &str = "https://www.schlichtungsstelle-bgg.de";

/// What an admin has set for the statement and the Leichte-Sprache page. An empty text means
/// "the default": the shipped text in the page's language, the federal enforcement body, no
/// contact (which the statement then says), no link to sign language.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The public body that runs this installation ("Stadt Mainz, Amt für Digitalisierung").
    pub body: String,
    pub conformance: Conformance,
    pub method: Method,
    /// None: the day of the shipped statement ([`shipped_on`]).
    pub prepared_on: Option<NaiveDate>,
    pub limitations_de: String,
    pub limitations_en: String,
    pub contact: String,
    pub email: String,
    pub phone: String,
    pub enforcement_name: String,
    pub enforcement_url: String,
    pub sign_language_url: String,
    pub easy_read_de: String,
    pub easy_read_en: String,
}

/// The settings' keys in the `settings` table.
pub mod keys {
    pub const BODY: &str = "accessibility.body";
    pub const CONFORMANCE: &str = "accessibility.conformance";
    pub const METHOD: &str = "accessibility.method";
    pub const PREPARED_ON: &str = "accessibility.prepared_on";
    pub const LIMITATIONS_DE: &str = "accessibility.limitations.de";
    pub const LIMITATIONS_EN: &str = "accessibility.limitations.en";
    pub const CONTACT: &str = "accessibility.contact";
    pub const EMAIL: &str = "accessibility.email";
    pub const PHONE: &str = "accessibility.phone";
    pub const ENFORCEMENT_NAME: &str = "accessibility.enforcement_name";
    pub const ENFORCEMENT_URL: &str = "accessibility.enforcement_url";
    pub const SIGN_LANGUAGE_URL: &str = "accessibility.sign_language_url";
    pub const EASY_READ_DE: &str = "easy_read.de";
    pub const EASY_READ_EN: &str = "easy_read.en";
    /// Every key above starts with one of these.
    pub const PREFIXES: [&str; 2] = ["accessibility.", "easy_read."];
}

impl Settings {
    /// The settings as stored: one `(key, value)` per setting, empty for the default.
    pub fn stored(&self) -> Vec<(&'static str, String)> {
        vec![
            (keys::BODY, self.body.clone()),
            (keys::CONFORMANCE, self.conformance.as_str().to_owned()),
            (keys::METHOD, self.method.as_str().to_owned()),
            (
                keys::PREPARED_ON,
                self.prepared_on.map(|d| d.to_string()).unwrap_or_default(),
            ),
            (keys::LIMITATIONS_DE, self.limitations_de.clone()),
            (keys::LIMITATIONS_EN, self.limitations_en.clone()),
            (keys::CONTACT, self.contact.clone()),
            (keys::EMAIL, self.email.clone()),
            (keys::PHONE, self.phone.clone()),
            (keys::ENFORCEMENT_NAME, self.enforcement_name.clone()),
            (keys::ENFORCEMENT_URL, self.enforcement_url.clone()),
            (keys::SIGN_LANGUAGE_URL, self.sign_language_url.clone()),
            (keys::EASY_READ_DE, self.easy_read_de.clone()),
            (keys::EASY_READ_EN, self.easy_read_en.clone()),
        ]
    }

    /// The settings from the stored pairs; what is missing or unreadable is the default.
    pub fn from_stored<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Settings {
        let mut settings = Settings::default();
        for (key, value) in pairs {
            let value = value.to_owned();
            match key {
                keys::BODY => settings.body = value,
                keys::CONFORMANCE => {
                    settings.conformance = Conformance::parse(&value).unwrap_or_default()
                }
                keys::METHOD => settings.method = Method::parse(&value).unwrap_or_default(),
                keys::PREPARED_ON => {
                    settings.prepared_on = super::validation::optional_date(&value).ok().flatten()
                }
                keys::LIMITATIONS_DE => settings.limitations_de = value,
                keys::LIMITATIONS_EN => settings.limitations_en = value,
                keys::CONTACT => settings.contact = value,
                keys::EMAIL => settings.email = value,
                keys::PHONE => settings.phone = value,
                keys::ENFORCEMENT_NAME => settings.enforcement_name = value,
                keys::ENFORCEMENT_URL => settings.enforcement_url = value,
                keys::SIGN_LANGUAGE_URL => settings.sign_language_url = value,
                keys::EASY_READ_DE => settings.easy_read_de = value,
                keys::EASY_READ_EN => settings.easy_read_en = value,
                _ => {}
            }
        }
        settings
    }

    /// The day the statement was prepared.
    pub fn prepared_on(&self) -> NaiveDate {
        self.prepared_on.unwrap_or_else(shipped_on)
    }

    /// The enforcement body: the one set, else the federal one.
    pub fn enforcement(&self) -> (&str, &str) {
        if self.enforcement_name.is_empty() && self.enforcement_url.is_empty() {
            (DEFAULT_ENFORCEMENT_NAME, DEFAULT_ENFORCEMENT_URL)
        } else {
            (&self.enforcement_name, &self.enforcement_url)
        }
    }

    /// Whether the statement names somebody to write to (§ 7 BITV 2.0 asks for it).
    pub fn has_contact(&self) -> bool {
        !(self.email.is_empty() && self.phone.is_empty() && self.contact.is_empty())
    }
}

/// The longest a one-line entry (a name, a telephone number) may be.
pub const MAX_LINE_CHARS: usize = 200;
/// The longest a long text (the limitations, the Leichte-Sprache page) may be.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// One block of a long text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
}

/// Reads a long text: blocks are separated by blank lines; a line starting with `# ` is a
/// heading, lines starting with `- ` (or `* `, `• `) are the items of a list, other lines
/// run on as one paragraph. Line endings of any office (CRLF, CR) are read alike.
pub fn blocks(text: &str) -> Vec<Block> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    fn flush(blocks: &mut Vec<Block>, paragraph: &mut Vec<&str>, items: &mut Vec<String>) {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(paragraph.join(" ")));
            paragraph.clear();
        }
        if !items.is_empty() {
            blocks.push(Block::List(std::mem::take(items)));
        }
    }
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut blocks, &mut paragraph, &mut items);
        } else if let Some(heading) = line.strip_prefix('#') {
            flush(&mut blocks, &mut paragraph, &mut items);
            let heading = heading.trim_start_matches('#').trim();
            if !heading.is_empty() {
                blocks.push(Block::Heading(heading.to_owned()));
            }
        } else if let Some(item) = ["- ", "* ", "• "]
            .iter()
            .find_map(|mark| line.strip_prefix(mark))
        {
            if !paragraph.is_empty() {
                blocks.push(Block::Paragraph(paragraph.join(" ")));
                paragraph.clear();
            }
            items.push(item.trim().to_owned());
        } else if !items.is_empty() && paragraph.is_empty() {
            // A line under an item without a mark continues that item.
            if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(line);
            }
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut blocks, &mut paragraph, &mut items);
    blocks
}

/// A long text as an admin typed it: line endings made `\n`, trailing blanks gone, at most
/// [`MAX_TEXT_CHARS`]. Empty means "the text shipped with Meilenstein".
pub fn long_text(text: &str) -> Result<String, Problem> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text: Vec<&str> = text.lines().map(str::trim_end).collect();
    let text = text.join("\n").trim().to_owned();
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(Problem::TooLong {
            max: MAX_TEXT_CHARS,
        });
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Problem::ControlCharacter);
    }
    Ok(text)
}

/// A one-line entry: trimmed, at most [`MAX_LINE_CHARS`], no line breaks. Empty: none.
pub fn line(text: &str) -> Result<String, Problem> {
    let text = text.trim();
    if text.chars().count() > MAX_LINE_CHARS {
        return Err(Problem::TooLong {
            max: MAX_LINE_CHARS,
        });
    }
    if text.chars().any(char::is_control) {
        return Err(Problem::ControlCharacter);
    }
    Ok(text.to_owned())
}

/// A web address to link to: `https://` or `http://`, a host, and any path; no spaces, no
/// quotes or angle brackets. Empty: none.
pub fn web_address(text: &str) -> Result<String, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    if text.chars().count() > 2_000 {
        return Err(Problem::TooLong { max: 2_000 });
    }
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or(Problem::NotAWebAddress)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'))
        && !host.starts_with(['.', '-', ':']);
    let rest_ok = !text
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`'));
    if host_ok && rest_ok {
        Ok(text.to_owned())
    } else {
        Err(Problem::NotAWebAddress)
    }
}

/// The text as it is kept: the shipped text is kept as "none set" (so that it follows the
/// shipped text of later versions), anything else as typed.
pub fn kept_text(typed: String, shipped: &str) -> String {
    let shipped = long_text(shipped).unwrap_or_default();
    if typed == shipped {
        String::new()
    } else {
        typed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_reads_as_headings_paragraphs_and_lists() {
        let text = "# Was ist das?\r\nMeilenstein zeigt,\r\nwas die Stadt plant.\r\n\r\n- Ein Punkt\r\n  geht weiter\r\n* Zwei\r\n\r\n## Noch was\n\nEnde.";
        assert_eq!(
            blocks(text),
            vec![
                Block::Heading("Was ist das?".into()),
                Block::Paragraph("Meilenstein zeigt, was die Stadt plant.".into()),
                Block::List(vec!["Ein Punkt geht weiter".into(), "Zwei".into()]),
                Block::Heading("Noch was".into()),
                Block::Paragraph("Ende.".into()),
            ]
        );
        assert_eq!(blocks("  \n\n "), vec![]);
        assert_eq!(
            blocks("Satz.\n- Punkt"),
            vec![
                Block::Paragraph("Satz.".into()),
                Block::List(vec!["Punkt".into()])
            ]
        );
        // Markup is text: nothing here becomes HTML.
        assert_eq!(
            blocks("<script>x</script>"),
            vec![Block::Paragraph("<script>x</script>".into())]
        );
    }

    #[test]
    fn long_texts_are_checked_and_kept_tidy() {
        assert_eq!(long_text(" a  \r\n\r\nb\r").unwrap(), "a\n\nb");
        assert_eq!(long_text("").unwrap(), "");
        assert_eq!(
            long_text(&"x".repeat(MAX_TEXT_CHARS + 1)),
            Err(Problem::TooLong {
                max: MAX_TEXT_CHARS
            })
        );
        assert_eq!(long_text("a\u{0}b"), Err(Problem::ControlCharacter));
        assert_eq!(line("a\nb"), Err(Problem::ControlCharacter));
        assert_eq!(line("  Amt 12  ").unwrap(), "Amt 12");
    }

    #[test]
    fn the_shipped_text_is_kept_as_none_set() {
        assert_eq!(kept_text("Text\n\nZwei".into(), "Text\r\n\r\nZwei\n"), "");
        assert_eq!(kept_text("Anders".into(), "Text"), "Anders");
    }

    #[test]
    fn web_addresses_are_checked() {
        assert_eq!(
            web_address(" https://www.mainz.de/barrierefreiheit?x=1#a ").unwrap(),
            "https://www.mainz.de/barrierefreiheit?x=1#a"
        );
        assert_eq!(web_address("").unwrap(), "");
        assert_eq!(
            web_address("http://bürgerservice.de").unwrap(),
            "http://bürgerservice.de"
        );
        for bad in [
            "www.mainz.de",
            "javascript:alert(1)",
            "https://",
            "https://a b.de",
            "https://x.de/\"onclick",
            "ftp://x.de",
            "https://-x.de",
        ] {
            assert_eq!(web_address(bad), Err(Problem::NotAWebAddress), "{bad}");
        }
    }

    #[test]
    fn settings_round_trip_through_the_stored_pairs() {
        let settings = Settings {
            body: "Stadt Mainz".into(),
            conformance: Conformance::Full,
            method: Method::ThirdParty,
            prepared_on: NaiveDate::from_ymd_opt(2026, 11, 30),
            limitations_de: "Keine.".into(),
            email: "barrierefreiheit@mainz.de".into(),
            enforcement_name: "Landesbeauftragter".into(),
            enforcement_url: "https://example.org".into(),
            easy_read_en: "# Hello".into(),
            ..Settings::default()
        };
        let stored = settings.stored();
        assert!(
            stored
                .iter()
                .all(|(key, _)| keys::PREFIXES.iter().any(|prefix| key.starts_with(prefix)))
        );
        let back = Settings::from_stored(stored.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, settings);
        assert_eq!(
            back.enforcement(),
            ("Landesbeauftragter", "https://example.org")
        );
        let none = Settings::from_stored([(keys::CONFORMANCE, "kaputt"), (keys::PREPARED_ON, "x")]);
        assert_eq!(none, Settings::default());
        assert_eq!(none.prepared_on(), shipped_on());
        assert_eq!(none.enforcement().1, DEFAULT_ENFORCEMENT_URL);
        assert!(!none.has_contact());
    }

    #[test]
    fn choices_are_read_by_their_names() {
        for c in Conformance::ALL {
            assert_eq!(Conformance::parse(c.as_str()), Ok(c));
        }
        for m in Method::ALL {
            assert_eq!(Method::parse(m.as_str()), Ok(m));
        }
        assert_eq!(Conformance::parse("ganz"), Err(Problem::UnknownChoice));
        assert_eq!(Method::parse(""), Err(Problem::UnknownChoice));
    }
}
