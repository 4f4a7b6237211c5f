//! The frame of every page: skip link, header with language switch, main, footer.

use crate::{
    components::notice::DoneNotice,
    domain::access::{Account, Role},
    error::AppError,
    i18n::*,
    server_fns::auth::{KeepAlive, current_account},
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    // A presentation fills the screen: no site header, footer or idle warning; nor has a
    // widget in another site's page.
    let path = use_location().pathname.get_untracked();
    if path.ends_with("/present") {
        return view! { <main id="main" class="presenting">{children()}</main> }.into_any();
    }
    if path.starts_with("/embed/") {
        return view! { <main id="main" class="embedded">{children()}</main> }.into_any();
    }
    // Who is signed in, read once per page load: sign-in and sign-out load the next page anew.
    let account = Resource::new(|| (), |_| current_account());
    let admin_links = move || {
        Suspend::new(async move {
            let role = account.await.ok().flatten().map(|a| a.role);
            let reports = matches!(role, Some(Role::Admin | Role::Owner)).then(
                || view! { <li><a href="/my-subgoals">{t!(i18n, layout.my_subgoals)}</a></li> },
            );
            let quality = role
                .is_some()
                .then(|| view! { <li><a href="/quality">{t!(i18n, layout.quality)}</a></li> });
            let admin = (role == Some(Role::Admin)).then(|| {
                view! {
                    <li><a href="/admin">{t!(i18n, layout.admin)}</a></li>
                    <li><a href="/admin/strategies">{t!(i18n, setup.link)}</a></li>
                    <li><a href="/admin/audit">{t!(i18n, layout.log)}</a></li>
                }
            });
            view! { {reports} {quality} {admin} }
        })
    };
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
                    <li><a href="/reports">{t!(i18n, layout.reports)}</a></li>
                    <li><a href="/reporting">{t!(i18n, layout.board)}</a></li>
                    <Suspense>{admin_links}</Suspense>
                </ul>
            </nav>
            <AccountArea account/>
            <LanguageSwitch/>
        </header>
        <Suspense>
            {move || Suspend::new(async move {
                matches!(account.await, Ok(Some(_))).then(|| {
                    let texts = IdleTexts {
                        title: t_string!(i18n, layout.idle_title).to_owned(),
                        text: t_string!(i18n, layout.idle_text).to_owned(),
                        stay: t_string!(i18n, layout.idle_stay).to_owned(),
                        ended: t_string!(i18n, layout.idle_ended).to_owned(),
                        sign_in: t_string!(i18n, layout.sign_in).to_owned(),
                    };
                    view! { <IdleWarning texts/> }
                })
            })}
        </Suspense>
        <main id="main" tabindex="-1">
            <DoneNotice/>
            {children()}
        </main>
        <footer class="site-footer">
            <p>{t!(i18n, layout.footer)}</p>
            <ul class="footer-links">
                <li><a href="/accessibility">{t!(i18n, accessibility.link)}</a></li>
                <li><a href="/easy-read">{t!(i18n, easy_read.link)}</a></li>
            </ul>
        </footer>
    }
    .into_any()
}

/// Switches the language: the form posts to `/lang`, which sets the cookie and sends the user
/// back to the same page.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let back = current_path();
    let other = move || match i18n.get_locale() {
        Locale::de => Locale::en,
        Locale::en => Locale::de,
    };
    view! {
        <form class="language-switch" method="post" action="/lang">
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

/// The current page's path and query, to come back to after a detour (login, language).
pub fn current_path() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let location = use_location();
    move || {
        let search = location.search.get();
        let path = location.pathname.get();
        match search.trim_start_matches('?') {
            "" => path,
            query => format!("{path}?{query}"),
        }
    }
}

/// Percent-encodes a value for a URL query.
pub fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Who is signed in, with the way out; or the way in. Plain form posts: the server ends or
/// starts the session and the next page loads fresh.
#[component]
fn AccountArea(account: Resource<Result<Option<Account>, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let here = current_path();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match account.await.ok().flatten() {
                    Some(account) => {
                        let role = account.role;
                        view! {
                            <div class="account">
                                <span>
                                    {t!(i18n, layout.signed_in_as)}
                                    " "
                                    <strong>{account.display_name}</strong>
                                    " ("
                                    {move || role_label(i18n.get_locale(), role)}
                                    ")"
                                </span>
                                <form method="post" action="/api/auth/logout">
                                    <button type="submit">{t!(i18n, layout.sign_out)}</button>
                                </form>
                            </div>
                        }
                            .into_any()
                    }
                    None => view! {
                        <a class="account" href=move || format!("/login?next={}", encode_query(&here()))>
                            {t!(i18n, layout.sign_in)}
                        </a>
                    }
                        .into_any(),
                }
            })}
        </Suspense>
    }
}

pub fn role_label(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Admin => td_string!(locale, role.admin),
        Role::Owner => td_string!(locale, role.owner),
        Role::Viewer => td_string!(locale, role.viewer),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            super::encode_query("/needs/3?x=a b&ü"),
            "%2Fneeds%2F3%3Fx%3Da%20b%26%C3%BC"
        );
    }
}

/// Minutes without a request after which the server ends a session (see `SessionLimits`),
/// and when the page warns before that.
const IDLE_LIMIT_MINUTES: u64 = 30;
const IDLE_WARNING_MINUTES: u64 = 25;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Idle {
    Active,
    EndingSoon,
    Ended,
}

/// The idle warning's texts in the page's language: an island is given its words, it does not
/// carry the translations into the browser.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct IdleTexts {
    title: String,
    text: String,
    stay: String,
    ended: String,
    sign_in: String,
}

/// For a signed-in user, in the browser (an island: the only part of the page that runs
/// there): five minutes before an idle session ends, says so and offers to stay signed in;
/// once it has ended, says that. Every page load and every "stay" starts the clock again
/// (each request counts as activity on the server too).
#[island]
fn IdleWarning(texts: IdleTexts) -> impl IntoView {
    let keep_alive = ServerAction::<KeepAlive>::new();
    let idle = RwSignal::new(Idle::Active);
    let timers = StoredValue::new(Vec::<TimeoutHandle>::new());
    Effect::new(move |_| {
        keep_alive.version().track();
        for timer in timers.get_value() {
            timer.clear();
        }
        idle.set(Idle::Active);
        let minutes = |m: u64| std::time::Duration::from_secs(m * 60);
        let warn = set_timeout_with_handle(
            move || {
                idle.set(Idle::EndingSoon);
                request_animation_frame(|| {
                    use leptos::wasm_bindgen::JsCast;
                    if let Some(button) = document()
                        .get_element_by_id("stay-signed-in")
                        .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
                    {
                        let _ = button.focus();
                    }
                });
            },
            minutes(IDLE_WARNING_MINUTES),
        );
        let end =
            set_timeout_with_handle(move || idle.set(Idle::Ended), minutes(IDLE_LIMIT_MINUTES));
        timers.set_value(warn.into_iter().chain(end).collect());
    });
    move || match idle.get() {
        Idle::Active => None,
        Idle::EndingSoon => Some({
            let IdleTexts {
                title, text, stay, ..
            } = texts.clone();
            view! {
                <div class="idle-warning" role="alertdialog" aria-labelledby="idle-title" aria-describedby="idle-text">
                    <p id="idle-title"><strong>{title}</strong></p>
                    <p id="idle-text">{text}</p>
                    <ActionForm action=keep_alive>
                        <button type="submit" id="stay-signed-in" class="primary">{stay}</button>
                    </ActionForm>
                </div>
            }
            .into_any()
        }),
        Idle::Ended => Some(
            view! {
                <div class="idle-warning" role="alert">
                    <p><strong>{texts.ended.clone()}</strong></p>
                    <p><a href="/login">{texts.sign_in.clone()}</a></p>
                </div>
            }
            .into_any(),
        ),
    }
}
