//! A chart as the pages show it: the picture, its caption, the table of its figures, and its
//! downloads (SVG, PNG for slides, the figures as CSV).

use crate::{i18n::*, server_fns::charts::ChartView, server_fns::strategy::AsOf};
use leptos::prelude::*;

#[component]
pub fn ChartFigure(chart: ChartView, as_of: AsOf) -> impl IntoView {
    let i18n = use_i18n();
    let ChartView {
        title,
        caption,
        svg,
        table,
        download,
        ..
    } = chart;
    let src = {
        let lang = i18n.get_locale_untracked().as_str();
        match as_of.past {
            Some(day) => format!("{download}.svg?lang={lang}&as_of={day}"),
            None => format!("{download}.svg?lang={lang}"),
        }
    };
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
    view! {
        <div class="chart-and-table">
            <figure class="chart">
                <ChartPicture svg src/>
                <figcaption>
                    {caption}
                    <span class="downloads">
                        " " {t!(i18n, chart.downloads)} " "
                        {link("svg", "SVG")} " · " {link("png", "PNG")} " · " {link("csv", "CSV")}
                    </span>
                </figcaption>
            </figure>
            <details class="chart-table">
                <summary>{table.caption.clone()}</summary>
                <div class="table-wrap">
                    <table>
                        <caption>{table.caption}</caption>
                        <thead><tr>{header}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        </div>
    }
}

/// A chart's picture: the SVG the server drew into the page or, where the browser draws the
/// page itself and has no picture (see `ChartView::svg`), the one loaded from `src`. The
/// element names the picture it shows (`data-shown`), so a chart drawn again for another
/// language or day loads the new one and a hydrated one loads nothing.
#[component]
fn ChartPicture(svg: String, src: String) -> impl IntoView {
    let slot = NodeRef::<leptos::html::Div>::new();
    let shown = (!svg.is_empty()).then(|| src.clone());
    #[cfg(feature = "hydrate")]
    if svg.is_empty() {
        Effect::new(move |_| {
            let Some(element) = slot.get() else { return };
            if element.get_attribute("data-shown").as_deref() == Some(src.as_str()) {
                return;
            }
            let src = src.clone();
            leptos::task::spawn_local(async move {
                let Ok(response) = gloo_net::http::Request::get(&src).send().await else {
                    return;
                };
                if response.ok()
                    && let Ok(text) = response.text().await
                {
                    element.set_inner_html(&text);
                    let _ = element.set_attribute("data-shown", &src);
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = src;
    view! { <div class="chart-picture" node_ref=slot data-shown=shown inner_html=svg></div> }
}
