//! A chart as the pages show it: the picture, its caption, the table of its figures, and its
//! downloads (SVG, PNG for slides, the figures as CSV).

use crate::{
    chart_views::{ChartView, PagePictures},
    i18n::*,
    server_fns::strategy::AsOf,
};
use leptos::prelude::*;

#[component]
pub fn ChartFigure(chart: ChartView, as_of: AsOf) -> impl IntoView {
    let i18n = use_i18n();
    let ChartView {
        title,
        caption,
        page,
        table,
        download,
        ..
    } = chart;
    let href = move |extension: &str| {
        let lang = i18n.get_locale().as_str();
        match as_of.past {
            Some(day) => format!("{download}.{extension}?lang={lang}&as_of={day}"),
            None => format!("{download}.{extension}?lang={lang}"),
        }
    };
    let link = move |extension: &'static str, text: &'static str| {
        let title = title.clone();
        let href = href.clone();
        view! {
            <a
                href=move || href(extension)
                download=""
                aria-label=move || td_string!(i18n.get_locale(), chart.download_label, format = text, chart = title.clone()).to_string()
            >
                {text}
            </a>
        }
    };
    view! {
        <div class="chart-and-table">
            <figure class="chart">
                <ChartPictures pictures=page.unwrap_or_default()/>
                <figcaption>
                    {caption}
                    <span class="downloads">
                        " " {t!(i18n, chart.downloads)} " "
                        {link("svg", "SVG")} " · " {link("png", "PNG")} " · " {link("csv", "CSV")}
                    </span>
                </figcaption>
            </figure>
            <ChartTableDetails table/>
        </div>
    }
}

/// A chart's two pictures: the page shows the one drawn for its place (style/main.css: the
/// narrow one where the wide one would be shown smaller than drawn), never smaller than drawn.
#[component]
pub fn ChartPictures(pictures: PagePictures) -> impl IntoView {
    view! {
        <div class="chart-picture">
            <div class="chart-wide" inner_html=pictures.wide></div>
            <div class="chart-narrow" inner_html=pictures.narrow></div>
        </div>
    }
}

/// The figures of a chart as a table, folded under its caption.
#[component]
pub fn ChartTableDetails(table: crate::chart_views::ChartTable) -> impl IntoView {
    let header = table
        .columns
        .into_iter()
        .map(|c| view! { <th scope="col">{c}</th> })
        .collect_view();
    let rows = table
        .rows
        .into_iter()
        .map(|row| {
            let mut cells = row.into_iter();
            let first = cells.next().unwrap_or_default();
            view! {
                <tr>
                    <th scope="row">{first}</th>
                    {cells.map(|c| view! { <td class="num">{c}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    let label = table.caption.clone();
    view! {
        <details class="chart-table">
            <summary>{table.caption.clone()}</summary>
            <div class="table-wrap" role="region" tabindex="0" aria-label=label>
                <table>
                    <caption>{table.caption}</caption>
                    <thead><tr>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}
