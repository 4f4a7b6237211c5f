//! The language of a request outside the pages (downloads): as the pages choose it, the
//! language switch's cookie first, then the browser's `Accept-Language`, else German.

use app::i18n::Locale;
use axum::http::{HeaderMap, header};

/// The cookie the language switch sets (leptos_i18n's name).
const COOKIE: &str = "i18n_pref_locale";

pub fn of_request(headers: &HeaderMap) -> Locale {
    let values = |name| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split([';', ',']))
            .map(str::trim)
            .collect::<Vec<_>>()
    };
    let chosen = values(header::COOKIE).into_iter().find_map(|cookie| {
        let (name, value) = cookie.split_once('=')?;
        (name.trim() == COOKIE).then(|| parse(value.trim()))?
    });
    chosen.or_else(|| accepted(headers)).unwrap_or(Locale::de)
}

fn parse(tag: &str) -> Option<Locale> {
    let primary = tag.split(['-', '_']).next()?.trim();
    if primary.eq_ignore_ascii_case("de") {
        Some(Locale::de)
    } else if primary.eq_ignore_ascii_case("en") {
        Some(Locale::en)
    } else {
        None
    }
}

/// The best of German and English by the `Accept-Language` weights (`q`), the earlier
/// on a tie.
fn accepted(headers: &HeaderMap) -> Option<Locale> {
    let mut best: Option<(f32, Locale)> = None;
    for item in headers
        .get_all(header::ACCEPT_LANGUAGE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
    {
        let mut parts = item.split(';');
        let Some(locale) = parts.next().and_then(parse) else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn the_switch_wins_then_the_browser_then_german() {
        assert_eq!(of_request(&HeaderMap::new()), Locale::de);
        let english_browser = (header::ACCEPT_LANGUAGE, "fr-FR, en-GB;q=0.8, de;q=0.5");
        assert_eq!(
            of_request(&headers(std::slice::from_ref(&english_browser))),
            Locale::en
        );
        assert_eq!(
            of_request(&headers(&[(header::ACCEPT_LANGUAGE, "en;q=0.2, de-AT")])),
            Locale::de
        );
        assert_eq!(
            of_request(&headers(&[(header::ACCEPT_LANGUAGE, "en;q=0, fr")])),
            Locale::de
        );
        assert_eq!(
            of_request(&headers(&[
                english_browser,
                (header::COOKIE, "a=1; i18n_pref_locale=de; b=2")
            ])),
            Locale::de
        );
        assert_eq!(
            of_request(&headers(&[(header::COOKIE, "i18n_pref_locale=en")])),
            Locale::en
        );
    }
}
