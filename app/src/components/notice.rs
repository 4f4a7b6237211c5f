//! What a form post did, said on the page it comes back to. The forms are plain posts: the
//! server saves and sends the browser back to the page, with `?done=…` naming what was done
//! (see `Done::after`); the page says it at the top of its main part and puts keyboard focus
//! there, so a screen reader reads it first.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The query parameter that carries what a form post did.
pub const PARAMETER: &str = "done";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    Recorded,
    Saved,
    Reached,
    Cancelled,
    Deleted,
    Changed,
    Started,
    Moved,
    Confirmed,
    Applied,
    Created,
    Imported,
}

impl Done {
    const ALL: [Done; 12] = [
        Done::Recorded,
        Done::Saved,
        Done::Reached,
        Done::Cancelled,
        Done::Deleted,
        Done::Changed,
        Done::Started,
        Done::Moved,
        Done::Confirmed,
        Done::Applied,
        Done::Created,
        Done::Imported,
    ];

    /// What a successful post to a server function's endpoint (its path after `/api/`) did;
    /// `None` for the ones that say nothing (signing in and out, keeping a session, reading).
    pub fn after(endpoint: &str) -> Option<Done> {
        const CHANGING: [&str; 7] = [
            "reports/",
            "milestones/",
            "indicators/",
            "structure/",
            "subgoals/",
            "admin/users/",
            "admin/settings/",
        ];
        match endpoint {
            "milestones/record" => Some(Done::Recorded),
            "milestones/edit" => Some(Done::Saved),
            "milestones/reach" => Some(Done::Reached),
            "milestones/cancel" => Some(Done::Cancelled),
            "milestones/delete" => Some(Done::Deleted),
            "milestones/start" => Some(Done::Started),
            "milestones/move" => Some(Done::Moved),
            "subgoals/confirm" => Some(Done::Confirmed),
            "bulk/apply" | "setup/structure/apply" => Some(Done::Applied),
            "structure/strategy/create" => Some(Done::Created),
            "setup/import/apply" => Some(Done::Imported),
            _ if CHANGING.iter().any(|prefix| endpoint.starts_with(prefix)) => Some(Done::Changed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Done::Recorded => "recorded",
            Done::Saved => "saved",
            Done::Reached => "reached",
            Done::Cancelled => "cancelled",
            Done::Deleted => "deleted",
            Done::Changed => "changed",
            Done::Started => "started",
            Done::Moved => "moved",
            Done::Confirmed => "confirmed",
            Done::Applied => "applied",
            Done::Created => "created",
            Done::Imported => "imported",
        }
    }

    pub fn parse(text: &str) -> Option<Done> {
        Done::ALL.into_iter().find(|done| done.as_str() == text)
    }

    fn text(self, locale: Locale) -> &'static str {
        match self {
            Done::Recorded => td_string!(locale, done.recorded),
            Done::Saved => td_string!(locale, done.saved),
            Done::Reached => td_string!(locale, done.reached),
            Done::Cancelled => td_string!(locale, done.cancelled),
            Done::Deleted => td_string!(locale, done.deleted),
            Done::Changed => td_string!(locale, done.changed),
            Done::Started => td_string!(locale, done.started),
            Done::Moved => td_string!(locale, done.moved),
            Done::Confirmed => td_string!(locale, done.confirmed),
            Done::Applied => td_string!(locale, done.applied),
            Done::Created => td_string!(locale, done.created),
            Done::Imported => td_string!(locale, done.imported),
        }
    }
}

/// The address a form post sends the browser back to (`location`), saying what it did: an
/// earlier `done` is dropped, this one's added.
pub fn with_done(location: &str, done: Option<Done>) -> String {
    let (rest, fragment) = match location.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (location, None),
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(PARAMETER))
        .map(str::to_owned)
        .collect();
    if let Some(done) = done {
        pairs.push(format!("{PARAMETER}={}", done.as_str()));
    }
    let mut out = path.to_owned();
    if !pairs.is_empty() {
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// Says what the form post before this page did, if it did something.
#[component]
pub fn DoneNotice() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    move || {
        let done = query
            .read()
            .get(PARAMETER)
            .as_deref()
            .and_then(Done::parse)?;
        Some(view! {
            <p class="done-notice" role="status" tabindex="-1" autofocus=true>
                {move || done.text(i18n.get_locale())}
            </p>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Done, with_done};

    #[test]
    fn the_address_back_says_what_was_done_once() {
        let base = "http://host/subgoals/3";
        assert_eq!(
            with_done(base, Some(Done::Recorded)),
            "http://host/subgoals/3?done=recorded"
        );
        assert_eq!(
            with_done(
                "http://host/subgoals/3?as_of=2026-01-31&done=saved",
                Some(Done::Deleted)
            ),
            "http://host/subgoals/3?as_of=2026-01-31&done=deleted"
        );
        assert_eq!(
            with_done("http://host/needs/1?done=saved#x", None),
            "http://host/needs/1#x"
        );
        assert_eq!(
            with_done("/s?__path=a&__err=b&done=saved", None),
            "/s?__path=a&__err=b"
        );
    }

    #[test]
    fn each_change_says_what_it_did_and_nothing_else_says_anything() {
        assert_eq!(Done::after("milestones/record"), Some(Done::Recorded));
        assert_eq!(Done::after("milestones/delete"), Some(Done::Deleted));
        assert_eq!(Done::after("indicators/reading"), Some(Done::Changed));
        assert_eq!(Done::after("structure/need/add"), Some(Done::Changed));
        assert_eq!(Done::after("admin/users/role"), Some(Done::Changed));
        assert_eq!(Done::after("auth/login"), None);
        assert_eq!(Done::after("auth/keep-alive"), None);
        assert_eq!(Done::after("subgoal"), None);
        assert_eq!(Done::after("admin/log"), None);
        for done in Done::ALL {
            assert_eq!(Done::parse(done.as_str()), Some(done));
        }
        assert_eq!(Done::parse("anything"), None);
    }
}
