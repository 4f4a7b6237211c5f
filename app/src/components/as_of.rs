//! Looking back: the date picker that opens a past view, and the notice that a page is one.
//! The day travels in the address (`?as_of=2026-03-31`), so a view can be shared and works
//! without JavaScript (a plain GET form).

use crate::{format, i18n::*, server_fns::strategy::AsOf};
use leptos::prelude::*;

/// "Stand am [date] [Anzeigen]": opens the strategy's dashboard as of the chosen day; an empty
/// date is today's view.
#[component]
pub fn AsOfPicker(strategy_id: i64, as_of: AsOf) -> impl IntoView {
    let i18n = use_i18n();
    let value = as_of.past.map(|day| day.to_string()).unwrap_or_default();
    let since = as_of.recorded_since;
    view! {
        <form class="as-of" method="get" action=format!("/strategies/{strategy_id}")>
            <label for="as-of">{t!(i18n, as_of.label)}</label>
            " "
            <input
                id="as-of"
                type="date"
                name="as_of"
                value=value
                max=as_of.today.to_string()
                min=since.map(|day| day.to_string())
                aria-describedby="as-of-hint"
            />
            " "
            <button type="submit">{t!(i18n, as_of.show)}</button>
            {as_of.past.is_some().then(|| view! {
                " "
                <a href=format!("/strategies/{strategy_id}")>{t!(i18n, as_of.today_view)}</a>
            })}
            <p id="as-of-hint" class="hint">
                {t!(i18n, as_of.hint)}
                {since.map(|day| view! {
                    " "
                    {move || td_string!(i18n.get_locale(), as_of.recorded_since, date = format::date(i18n.get_locale(), day)).to_string()}
                })}
            </p>
        </form>
    }
}

/// On a past view: which day it shows, that it is read-only, and the way back to today.
#[component]
pub fn PastViewNotice(as_of: AsOf, today_href: String) -> impl IntoView {
    let i18n = use_i18n();
    as_of.past.map(|day| {
        view! {
            <div class="past-view" role="note">
                <p class="past-view-title">
                    <strong>
                        {move || td_string!(i18n.get_locale(), as_of.past_title, date = format::date(i18n.get_locale(), day)).to_string()}
                    </strong>
                </p>
                <p>{t!(i18n, as_of.past_text)}</p>
                <p><a href=today_href>{t!(i18n, as_of.back_to_today)}</a></p>
            </div>
        }
    })
}
