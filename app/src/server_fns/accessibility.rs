//! `/accessibility` (the accessibility statement, § 7 BITV 2.0), `/easy-read` (Leichte Sprache,
//! § 4 BITV 2.0), both for everyone, signed in or not, whatever public read access says; and
//! `/admin/accessibility`, where admins set their texts.

// The statement's form posts each of its fields as an argument (the server macro's shape).
#![allow(clippy::too_many_arguments)]

use crate::{
    domain::accessibility::{Block, Conformance, Method, Settings},
    error::AppError,
    i18n::Locale,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The statement as the page shows it, in one language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Empty: the page names no body ("the body running this application").
    pub body: String,
    pub conformance: Conformance,
    pub method: Method,
    pub prepared_on: NaiveDate,
    /// What is not accessible and why: the admin's text, else the shipped one.
    pub limitations: Vec<Block>,
    pub contact: String,
    pub email: String,
    pub phone: String,
    pub enforcement_name: String,
    pub enforcement_url: String,
    pub sign_language_url: String,
    /// Whether the caller may edit it (an admin): the page links to the settings.
    pub can_edit: bool,
}

/// The Leichte-Sprache page, in one language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EasyRead {
    pub blocks: Vec<Block>,
    pub can_edit: bool,
}

#[server(endpoint = "accessibility")]
pub async fn get_statement(locale: Locale) -> Result<Statement, AppError> {
    let state = crate::state::app_state()?;
    let caller = crate::auth::caller();
    let settings = state.store.accessibility().await?;
    Ok(ssr::statement(
        settings,
        locale,
        super::strategy::ssr::administers(&caller),
    ))
}

#[server(endpoint = "easy-read")]
pub async fn get_easy_read(locale: Locale) -> Result<EasyRead, AppError> {
    let state = crate::state::app_state()?;
    let caller = crate::auth::caller();
    let settings = state.store.accessibility().await?;
    let text = ssr::easy_read_text(&settings, locale);
    Ok(EasyRead {
        blocks: crate::domain::accessibility::blocks(&text),
        can_edit: super::strategy::ssr::administers(&caller),
    })
}

/// What the settings page shows: the settings with every text as it reads now (the shipped
/// text where none is set), so that an admin edits what the public sees.
#[server(endpoint = "admin/accessibility")]
pub async fn get_accessibility_settings() -> Result<Settings, AppError> {
    let (state, _) = super::guard::administrable("read the accessibility settings").await?;
    let mut settings = state.store.accessibility().await?;
    ssr::fill_shipped(&mut settings);
    Ok(settings)
}

/// The statement's settings; every argument as typed (all are checked here).
#[server(endpoint = "admin/settings/accessibility")]
pub async fn set_statement(
    body: Option<String>,
    conformance: Option<String>,
    method: Option<String>,
    prepared_on: Option<String>,
    limitations_de: Option<String>,
    limitations_en: Option<String>,
    contact: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    enforcement_name: Option<String>,
    enforcement_url: Option<String>,
    sign_language_url: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::{accessibility as rules, validation};
    let (state, caller) = super::guard::administrable("change the accessibility statement").await?;
    let typed = [
        ("body", body.unwrap_or_default()),
        ("conformance", conformance.unwrap_or_default()),
        ("method", method.unwrap_or_default()),
        ("prepared_on", prepared_on.unwrap_or_default()),
        ("limitations_de", limitations_de.unwrap_or_default()),
        ("limitations_en", limitations_en.unwrap_or_default()),
        ("contact", contact.unwrap_or_default()),
        ("email", email.unwrap_or_default()),
        ("phone", phone.unwrap_or_default()),
        ("enforcement_name", enforcement_name.unwrap_or_default()),
        ("enforcement_url", enforcement_url.unwrap_or_default()),
        ("sign_language_url", sign_language_url.unwrap_or_default()),
    ];
    let [
        body,
        conformance,
        method,
        prepared_on,
        limitations_de,
        limitations_en,
        contact,
        email,
        phone,
        enforcement_name,
        enforcement_url,
        sign_language_url,
    ] = typed.each_ref().map(|(_, value)| value.as_str());
    let mut errors = Vec::new();
    let mut check = |field: &'static str, result: Result<String, crate::domain::Problem>| {
        result
            .map_err(|p| errors.push((field, p)))
            .unwrap_or_default()
    };
    let mut settings = state.store.accessibility().await?;
    settings.body = check("body", rules::line(body));
    settings.contact = check("contact", rules::line(contact));
    settings.phone = check("phone", rules::line(phone));
    settings.enforcement_name = check("enforcement_name", rules::line(enforcement_name));
    settings.enforcement_url = check("enforcement_url", rules::web_address(enforcement_url));
    settings.sign_language_url = check("sign_language_url", rules::web_address(sign_language_url));
    settings.email = check(
        "email",
        validation::email(email).map(Option::unwrap_or_default),
    );
    let shipped = ssr::shipped_limitations;
    settings.limitations_de = check(
        "limitations_de",
        rules::long_text(limitations_de).map(|t| rules::kept_text(t, shipped(Locale::de))),
    );
    settings.limitations_en = check(
        "limitations_en",
        rules::long_text(limitations_en).map(|t| rules::kept_text(t, shipped(Locale::en))),
    );
    match Conformance::parse(conformance) {
        Ok(c) => settings.conformance = c,
        Err(p) => errors.push(("conformance", p)),
    }
    match Method::parse(method) {
        Ok(m) => settings.method = m,
        Err(p) => errors.push(("method", p)),
    }
    match validation::optional_date(prepared_on) {
        Ok(day) if day.is_some_and(|d| d > chrono::Utc::now().date_naive()) => {
            errors.push(("prepared_on", crate::domain::Problem::InFuture))
        }
        Ok(day) => settings.prepared_on = day,
        Err(p) => errors.push(("prepared_on", p)),
    }
    // A name of a body without its address (or the other way round) cannot be linked.
    if settings.enforcement_name.is_empty() != settings.enforcement_url.is_empty() {
        let missing = if settings.enforcement_name.is_empty() {
            "enforcement_name"
        } else {
            "enforcement_url"
        };
        if !errors
            .iter()
            .any(|(field, _)| field.starts_with("enforcement"))
        {
            errors.push((missing, crate::domain::Problem::Required));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::rejected("statement", errors)
            .with_typed(typed.iter().map(|(f, v)| (*f, v.as_str()))));
    }
    ssr::save(&state, &caller, &settings).await
}

/// The Leichte-Sprache page's text in both languages (empty: the shipped text). Both are
/// required, so that a post without them resets nothing.
#[server(endpoint = "admin/settings/easy-read")]
pub async fn set_easy_read(text_de: String, text_en: String) -> Result<(), AppError> {
    use crate::domain::accessibility as rules;
    let (state, caller) = super::guard::administrable("change the Leichte Sprache page").await?;
    let mut settings = state.store.accessibility().await?;
    let mut errors = Vec::new();
    match rules::long_text(&text_de) {
        Ok(text) => {
            settings.easy_read_de = rules::kept_text(text, ssr::shipped_easy_read(Locale::de))
        }
        Err(p) => errors.push(("text_de", p)),
    }
    match rules::long_text(&text_en) {
        Ok(text) => {
            settings.easy_read_en = rules::kept_text(text, ssr::shipped_easy_read(Locale::en))
        }
        Err(p) => errors.push(("text_en", p)),
    }
    if !errors.is_empty() {
        return Err(AppError::rejected("easy-read", errors)
            .with_typed([("text_de", &*text_de), ("text_en", &*text_en)]));
    }
    ssr::save(&state, &caller, &settings).await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::{auth::Caller, domain::accessibility, i18n::td_string, state::AppState};

    /// The statement's limitations shipped with Meilenstein, in `locale`.
    pub fn shipped_limitations(locale: Locale) -> &'static str {
        td_string!(locale, accessibility.shipped_limitations)
    }

    /// The Leichte-Sprache text shipped with Meilenstein, in `locale`.
    pub fn shipped_easy_read(locale: Locale) -> &'static str {
        td_string!(locale, easy_read.shipped_text)
    }

    pub fn easy_read_text(settings: &Settings, locale: Locale) -> String {
        let set = match locale {
            Locale::de => &settings.easy_read_de,
            Locale::en => &settings.easy_read_en,
        };
        if set.is_empty() {
            shipped_easy_read(locale).to_owned()
        } else {
            set.clone()
        }
    }

    pub fn statement(settings: Settings, locale: Locale, can_edit: bool) -> Statement {
        let limitations = match locale {
            Locale::de => &settings.limitations_de,
            Locale::en => &settings.limitations_en,
        };
        // A service stated fully compliant lists only what its admin wrote (the shipped list
        // is the software's own, for a partial statement).
        let limitations = match (limitations.is_empty(), settings.conformance) {
            (false, _) => limitations,
            (true, Conformance::Full) => "",
            (true, _) => shipped_limitations(locale),
        };
        let (enforcement_name, enforcement_url) = settings.enforcement();
        Statement {
            conformance: settings.conformance,
            method: settings.method,
            prepared_on: settings.prepared_on(),
            limitations: accessibility::blocks(limitations),
            enforcement_name: enforcement_name.to_owned(),
            enforcement_url: enforcement_url.to_owned(),
            body: settings.body,
            contact: settings.contact,
            email: settings.email,
            phone: settings.phone,
            sign_language_url: settings.sign_language_url,
            can_edit,
        }
    }

    /// Every text that is not set becomes the shipped one (for the form to edit).
    pub fn fill_shipped(settings: &mut Settings) {
        let fill = |text: &mut String, shipped: &str| {
            if text.is_empty() {
                *text = accessibility::long_text(shipped).unwrap_or_default();
            }
        };
        fill(
            &mut settings.limitations_de,
            shipped_limitations(Locale::de),
        );
        fill(
            &mut settings.limitations_en,
            shipped_limitations(Locale::en),
        );
        fill(&mut settings.easy_read_de, shipped_easy_read(Locale::de));
        fill(&mut settings.easy_read_en, shipped_easy_read(Locale::en));
        if settings.enforcement_name.is_empty() && settings.enforcement_url.is_empty() {
            settings.enforcement_name = accessibility::DEFAULT_ENFORCEMENT_NAME.to_owned();
            settings.enforcement_url = accessibility::DEFAULT_ENFORCEMENT_URL.to_owned();
        }
    }

    pub async fn save(
        state: &AppState,
        caller: &Caller,
        settings: &Settings,
    ) -> Result<(), AppError> {
        let mut settings = settings.clone();
        // The federal body typed back unchanged is kept as "none set".
        if settings.enforcement()
            == (
                accessibility::DEFAULT_ENFORCEMENT_NAME,
                accessibility::DEFAULT_ENFORCEMENT_URL,
            )
        {
            settings.enforcement_name.clear();
            settings.enforcement_url.clear();
        }
        let stored = settings.stored();
        let pairs: Vec<(&str, &str)> = stored.iter().map(|(k, v)| (*k, v.as_str())).collect();
        state
            .store
            .set_settings(&pairs, chrono::Utc::now(), &crate::audit::Actor::of(caller))
            .await
    }
}
