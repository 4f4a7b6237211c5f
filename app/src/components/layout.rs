//! The frame of every page: skip link, header with language switch, main, footer.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, layout.skip_to_content)}</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                " Meilenstein"
            </a>
            <nav aria-label=move || t_string!(i18n, layout.nav_label)>
                <ul>
                    <li><a href="/">{t!(i18n, layout.overview)}</a></li>
                </ul>
            </nav>
            <LanguageSwitch/>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{t!(i18n, layout.footer)}</p>
        </footer>
    }
}

/// Switches the language. Without JavaScript the form posts to `/lang`, which sets the cookie
/// and sends the user back; once hydrated the page switches in place.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let back = move || {
        let search = location.search.get();
        let path = location.pathname.get();
        match search.trim_start_matches('?') {
            "" => path,
            query => format!("{path}?{query}"),
        }
    };
    let other = move || match i18n.get_locale() {
        Locale::de => Locale::en,
        Locale::en => Locale::de,
    };
    let switch = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        i18n.set_locale(other());
    };
    view! {
        <form class="language-switch" method="post" action="/lang" on:submit=switch>
            <input type="hidden" name="locale" value=move || other().as_str()/>
            <input type="hidden" name="back" value=back/>
            <button type="submit" lang=move || other().as_str()>
                // Each language is named in itself, as users look for it.
                {move || td_string!(other(), layout.language_name)}
            </button>
        </form>
    }
}

/// Where the page sits in the strategy: links up the tree, then the current page.
#[component]
pub fn Breadcrumbs(links: Vec<(String, String)>, current: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, layout.breadcrumbs)>
            <ol>
                {links
                    .into_iter()
                    .map(|(href, title)| view! { <li><a href=href>{title}</a></li> })
                    .collect_view()}
                <li><span aria-current="page">{current}</span></li>
            </ol>
        </nav>
    }
}
