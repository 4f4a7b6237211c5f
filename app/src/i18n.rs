//! The interface's languages, German (the default) and English, and the words of every page.
//!
//! The words live in `locales/de.json` and `locales/en.json`; the build turns each key into a
//! type in [`words`] (see `build.rs`), so a key or placeholder missing in one language fails the
//! build. Pages are rendered on the server in the request's language: the language switch's
//! cookie first, then the browser's `Accept-Language`, else German. The islands are given their
//! words as props and carry no translations into the browser.
//!
//! In a view: `t!(i18n, layout.footer)` with `let i18n = use_i18n();`, or
//! `td_string!(locale, plan.later, days = d)` with a [`Locale`] at hand.

use leptos::prelude::*;

/// A language of the interface.
#[allow(non_camel_case_types)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Locale {
    #[default]
    de,
    en,
}

/// The cookie the language switch sets (its name from the first releases, kept so that a
/// choice once made still holds).
pub const COOKIE: &str = "i18n_pref_locale";

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::de, Locale::en];

    /// The language's tag, as in `<html lang>` and the cookie.
    pub const fn as_str(self) -> &'static str {
        match self {
            Locale::de => "de",
            Locale::en => "en",
        }
    }

    /// A language tag (`de`, `en-GB`, `DE_at`) to the language it names, if it is one of ours.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next()?.trim();
        Locale::ALL
            .into_iter()
            .find(|l| primary.eq_ignore_ascii_case(l.as_str()))
    }

    /// The language of a request: the language switch's cookie first, then the browser's
    /// `Accept-Language` (the best of ours by its weights, the earlier on a tie), else German.
    #[cfg(feature = "ssr")]
    pub fn of_request(headers: &axum::http::HeaderMap) -> Locale {
        let values = |name| {
            headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
        };
        let chosen = values(axum::http::header::COOKIE)
            .into_iter()
            .flat_map(|v| v.split(';'))
            .find_map(|cookie| {
                let (name, value) = cookie.split_once('=')?;
                (name.trim() == COOKIE).then(|| Locale::parse(value.trim()))?
            });
        chosen
            .or_else(|| Locale::accepted(&values(axum::http::header::ACCEPT_LANGUAGE)))
            .unwrap_or_default()
    }

    #[cfg(feature = "ssr")]
    fn accepted(values: &[&str]) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for item in values.iter().flat_map(|v| v.split(',')) {
            let mut parts = item.split(';');
            let Some(locale) = parts.next().and_then(Locale::parse) else {
                continue;
            };
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q=")?.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if weight > 0.0 && best.is_none_or(|(w, _)| weight > w) {
                best = Some((weight, locale));
            }
        }
        best.map(|(_, locale)| locale)
    }
}

/// The page's language, as the views ask for it.
#[derive(Clone, Copy, Debug)]
pub struct I18n {
    locale: Locale,
}

impl I18n {
    pub fn get_locale(&self) -> Locale {
        self.locale
    }

    /// The same: a page's language does not change while it is shown (the switch loads the
    /// page again).
    pub fn get_locale_untracked(&self) -> Locale {
        self.locale
    }
}

/// Sets the page's language for every view below: on the server from the request, in the
/// browser from the page's `<html lang>`. Returns it, for the document itself.
pub fn provide_i18n() -> Locale {
    #[cfg(feature = "ssr")]
    let locale = use_context::<axum::http::request::Parts>()
        .map(|parts| Locale::of_request(&parts.headers))
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let locale = document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|tag| Locale::parse(&tag))
        .unwrap_or_default();
    provide_context(I18n { locale });
    locale
}

/// The page's language (German where none was provided).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or(I18n {
        locale: Locale::default(),
    })
}

/// The words of every page, one type per key (generated from `locales/*.json`).
pub mod words {
    use super::Locale;
    include!(concat!(env!("OUT_DIR"), "/words.rs"));
}

/// The words of a key in a locale: `td_string!(locale, plan.later, days = 3)`. Placeholders are
/// given by name (`name = value`, or `name` alone for a variable of that name); a missing or
/// unknown one does not compile. A key without placeholders gives a `&'static str`, one with
/// placeholders a `String`. Exported: the server's files (PDF, XLSX) are worded with it too.
#[macro_export]
macro_rules! td_string {
    ($locale:expr, $($key:ident).+ $(, $name:ident $(= $value:expr)?)* $(,)?) => {
        $crate::i18n::words::$($key)::+ { $($name $(: $value)?),* }.text($locale)
    };
}

/// The words of a key in the page's language (`i18n` from [`use_i18n`]).
macro_rules! t_string {
    ($i18n:expr, $($rest:tt)+) => {
        $crate::i18n::td_string!($i18n.get_locale(), $($rest)+)
    };
}

/// The same as [`t_string!`], where the words are a view.
macro_rules! t {
    ($i18n:expr, $($rest:tt)+) => {
        $crate::i18n::td_string!($i18n.get_locale(), $($rest)+)
    };
}

pub use crate::td_string;
pub(crate) use {t, t_string};

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue, header};

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn the_cookie_wins_then_the_browser_then_german() {
        let cookie = format!("a=b; {COOKIE}=en");
        let both = headers(&[
            (header::COOKIE, &cookie),
            (header::ACCEPT_LANGUAGE, "de-DE,de;q=0.9"),
        ]);
        assert_eq!(Locale::of_request(&both), Locale::en);
        let browser = headers(&[(header::ACCEPT_LANGUAGE, "fr-FR, en-GB;q=0.8, de;q=0.7")]);
        assert_eq!(Locale::of_request(&browser), Locale::en);
        let refused = headers(&[(header::ACCEPT_LANGUAGE, "en;q=0, fr")]);
        assert_eq!(Locale::of_request(&refused), Locale::de);
        let unknown_cookie = format!("{COOKIE}=xx");
        let odd = headers(&[
            (header::COOKIE, unknown_cookie.as_str()),
            (header::ACCEPT_LANGUAGE, "EN_us"),
        ]);
        assert_eq!(Locale::of_request(&odd), Locale::en);
        assert_eq!(Locale::of_request(&HeaderMap::new()), Locale::de);
    }

    #[test]
    fn words_come_in_the_asked_language_with_their_placeholders() {
        assert_eq!(td_string!(Locale::de, layout.sign_in), "Anmelden");
        assert_eq!(td_string!(Locale::en, layout.sign_in), "Sign in");
        let days = 3;
        assert_eq!(
            td_string!(Locale::de, plan.later, days),
            "3 Tage später als geplant"
        );
        assert_eq!(
            td_string!(Locale::en, plan.later, days = 2 + 2),
            "4 days later than planned"
        );
    }
}
