//! `/`: the one strategy's dashboard, or the list of strategies, or how to start.

use crate::{
    components::{error_view::ErrorView, progress::ProgressText},
    i18n::*,
    pages::dashboard::DashboardView,
    server_fns::strategy::{Home, get_home},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    // Read once (see `id_page`).
    let locale = i18n.get_locale_untracked();
    let home = Resource::new(move || locale, get_home);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(Home::One(dashboard)) => view! { <DashboardView dashboard=*dashboard/> }.into_any(),
                    Ok(Home::Several(items)) => {
                        view! {
                            <Title text=move || t_string!(i18n, home.title)/>
                            <h1>{t!(i18n, home.title)}</h1>
                            <ul class="strategy-list">
                                {items
                                    .into_iter()
                                    .map(|item| {
                                        view! {
                                            <li>
                                                <a href=format!("/strategies/{}", item.id)>{item.title}</a>
                                                " – "
                                                <ProgressText progress=item.progress/>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Ok(Home::Empty) => {
                        view! {
                            <Title text=move || t_string!(i18n, home.title)/>
                            <h1>{t!(i18n, home.empty_title)}</h1>
                            <p>{t!(i18n, home.empty_text)}</p>
                            <p><a href="/admin/strategies">{t!(i18n, setup.title)}</a></p>
                            <p>{t!(i18n, home.empty_shell)}</p>
                            <pre><code>"meilenstein import strategie.json --db meilenstein.db"</code></pre>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
