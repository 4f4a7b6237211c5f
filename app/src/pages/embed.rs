//! `/embed/needs/:id` and `/embed/fields/:id`: a widget for the city's website, made to sit in
//! an iframe: the title, progress and state, the chart, and links to the full view and to the
//! chart's figures. No site header or footer (see `Layout`), nothing that needs JavaScript.

use crate::{
    components::progress::{Level, ProgressFigure, StateBadge},
    i18n::*,
    pages::id_page,
    server_fns::embed::{Embed, Scope, get_embed},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EmbedNeedPage() -> impl IntoView {
    id_page(
        |id, locale, _| get_embed(Scope::Need, id, locale),
        |embed| view! { <EmbedView embed level=Level::Need/> },
    )
}

#[component]
pub fn EmbedFieldPage() -> impl IntoView {
    id_page(
        |id, locale, _| get_embed(Scope::Field, id, locale),
        |embed| view! { <EmbedView embed level=Level::Field/> },
    )
}

#[component]
fn EmbedView(embed: Embed, level: Level) -> impl IntoView {
    let i18n = use_i18n();
    let Embed {
        title,
        strategy,
        progress,
        state,
        counts,
        chart,
        full,
        table,
        today,
    } = embed;
    let counts_line = move || {
        td_string!(
            i18n.get_locale(),
            embed.counts,
            done = counts.done,
            open = counts.open,
            overdue = counts.overdue
        )
    };
    let as_of = move || {
        td_string!(
            i18n.get_locale(),
            embed.as_of,
            day = crate::format::date(i18n.get_locale(), today)
        )
    };
    view! {
        <Title text=title.clone()/>
        <article class="embed" aria-labelledby="embed-title">
            <p class="kicker">{strategy}</p>
            <h1 id="embed-title">{title.clone()}</h1>
            <div class="summary-line">
                <ProgressFigure progress level/>
                <StateBadge state/>
            </div>
            <p class="embed-counts">{counts_line}</p>
            <figure class="chart">
                <crate::components::chart::ChartPictures pictures=chart.page.unwrap_or_default()/>
                <figcaption>{chart.caption} " " {as_of}</figcaption>
            </figure>
            <p class="embed-links">
                <a href=full target="_blank" rel="noopener">{t!(i18n, embed.full)}</a>
                " · "
                <a href=table target="_blank" rel="noopener" download="">{t!(i18n, embed.table)}</a>
            </p>
        </article>
    }
}
