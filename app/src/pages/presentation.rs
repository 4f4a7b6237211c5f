//! `/reports/:id/present`: a report as slides for the council chamber. Every slide is in the
//! page; `?slide=N` says which one shows. Without JavaScript each slide is its own page with
//! next and previous links (access keys); with it, an island turns the keys of a keyboard or
//! clicker into slides without loading the page again (so full screen stays). `?contrast=high`
//! draws for a washed-out projector; `?kiosk=30` advances every 30 seconds and loops, for a
//! screen in the foyer (only while anyone may read the strategy).

use crate::{
    components::progress::{ProgressText, StateBadge},
    domain::report::{FieldFigures, NeedChange},
    format,
    i18n::*,
    pages::{id_page, query_param},
    server_fns::reports::{Presentation, Slide, get_presentation},
};
use leptos::prelude::*;
use leptos_meta::Title;

/// The seconds a kiosk shows each slide: within these bounds, else no kiosk.
const KIOSK_SECONDS: std::ops::RangeInclusive<u32> = 5..=600;
/// An overview with more rows than this shows the fields only: it must fit the screen.
const OVERVIEW_ROWS: usize = 12;
/// How many milestones a need's slide lists in all (the late first, then those reached since
/// the last report, then what comes next): what fits beside the chart at 1280×720. The rest
/// is counted ("and 3 more"), never dropped silently.
const LISTED: usize = 4;

#[component]
pub fn PresentPage() -> impl IntoView {
    id_page(
        |id, locale, _| get_presentation(id, locale),
        |presentation| view! { <Slides presentation/> },
    )
}

#[component]
fn Slides(presentation: Presentation) -> impl IntoView {
    let i18n = use_i18n();
    let count = presentation.slides.len();
    let current = query_param("slide")
        .get_untracked()
        .and_then(|n| n.trim().parse::<usize>().ok())
        .map_or(1, |n| n.clamp(1, count));
    let high = query_param("contrast").get_untracked().as_deref() == Some("high");
    let kiosk = presentation
        .kiosk_allowed
        .then(|| query_param("kiosk").get_untracked())
        .flatten()
        .and_then(|s| s.parse::<u32>().ok())
        .filter(|s| KIOSK_SECONDS.contains(s));
    let id = presentation.header.id;
    let base = format!("/reports/{id}/present");
    // The address of slide `n`, keeping the contrast and the kiosk.
    let address = {
        let base = base.clone();
        move |n: usize| {
            let mut query = format!("slide={n}");
            if high {
                query.push_str("&contrast=high");
            }
            if let Some(seconds) = kiosk {
                query.push_str(&format!("&kiosk={seconds}"));
            }
            format!("{base}?{query}")
        }
    };
    let contrast_toggle = {
        let base = base.clone();
        move |n: usize| match high {
            true => format!("{base}?slide={n}"),
            false => format!("{base}?slide={n}&contrast=high"),
        }
    };
    let exit = format!("/reports/{id}");
    let header = presentation.header;
    let stichtag = header.stichtag;
    let name = header.name.clone();
    let footer_text = move || {
        let locale = i18n.get_locale();
        td_string!(
            locale,
            report.footer,
            name = name.clone(),
            stichtag = format::date(locale, stichtag)
        )
    };
    let slides = presentation
        .slides
        .into_iter()
        .enumerate()
        .map(|(i, slide)| {
            let n = i + 1;
            let title_id = format!("slide-{n}-title");
            let body = slide_body(slide, &title_id, &header, &presentation.strategy.title, &exit);
            let previous = (n > 1).then(|| {
                view! { <a href=address(n - 1) data-slide=n - 1 rel="prev" accesskey="p">"← " {t!(i18n, report.previous)}</a> }
            });
            let next = (n < count).then(|| {
                view! { <a href=address(n + 1) data-slide=n + 1 rel="next" accesskey="n">{t!(i18n, report.next_slide)} " →"</a> }
            });
            let refresh = (n == current).then_some(kiosk).flatten().map(|seconds| {
                let to = address(if n == count { 1 } else { n + 1 });
                view! { <noscript><meta http-equiv="refresh" content=format!("{seconds};url={to}")/></noscript> }
            });
            view! {
                <section class="slide" id=format!("slide-{n}") aria-labelledby=title_id hidden=n != current>
                    <div class="slide-body">{body}</div>
                    <footer class="slide-footer">
                        <span>{footer_text.clone()}</span>
                        <span>{move || td_string!(i18n.get_locale(), report.slide_of, number = n, count)}</span>
                        <nav class="slide-nav" aria-label=move || t_string!(i18n, report.slides_label)>
                            {previous}
                            {next}
                            <a href=contrast_toggle(n)>{move || if high { t_string!(i18n, report.normal_contrast) } else { t_string!(i18n, report.high_contrast) }}</a>
                            <a href=exit.clone() accesskey="x">{t!(i18n, report.end)}</a>
                            // The statement, from every page (§ 7 BITV 2.0), slides too.
                            <a href="/accessibility" aria-label=move || t_string!(i18n, accessibility.link)>{t!(i18n, accessibility.short)}</a>
                        </nav>
                    </footer>
                    {refresh}
                </section>
            }
        })
        .collect_view();
    view! {
        <Title text=header.name.clone()/>
        <div class="slides" class:high-contrast=high>
            {slides}
            <SlideKeys count start=current exit=exit.clone() kiosk/>
        </div>
    }
}

fn slide_body(
    slide: Slide,
    title_id: &str,
    header: &crate::domain::report::ReportHeader,
    strategy: &str,
    exit: &str,
) -> AnyView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let title_id = title_id.to_owned();
    match slide {
        Slide::Title => {
            let stichtag = format::date(locale, header.stichtag);
            view! {
                <div class="slide-title">
                    <p class="kicker">{strategy.to_owned()}</p>
                    <h1 id=title_id tabindex="-1">{header.name.clone()}</h1>
                    <p class="lead">{td_string!(locale, report.title_kicker, stichtag)}</p>
                    {header.withdrawn_at.is_some().then(|| view! { <p><span class="badge">{t!(i18n, report.withdrawn_badge)}</span></p> })}
                </div>
            }
            .into_any()
        }
        Slide::Overview { progress, fields } => {
            let rows: usize = fields.iter().map(|f| 1 + f.needs.len()).sum();
            let with_needs = rows <= OVERVIEW_ROWS;
            view! {
                <h1 id=title_id tabindex="-1">{t!(i18n, report.overview)}</h1>
                <p class="slide-figure">{t!(i18n, report.overall)} ": " <strong><ProgressText progress/></strong></p>
                <OverviewTable fields with_needs/>
            }
            .into_any()
        }
        Slide::Need {
            field,
            need,
            chart,
            since,
        } => {
            // Each list gets its share of the room, the late first.
            let mut room = LISTED;
            let mut list = |items: Vec<String>, most: usize| -> AnyView {
                let shown = items.len().min(most).min(room);
                room -= shown;
                let more = items.len() - shown;
                if items.is_empty() {
                    return view! { <p>{t!(i18n, report.nothing)}</p> }.into_any();
                }
                if shown == 0 {
                    return view! { <p class="more">{td_string!(locale, report.more_only, count = more)}</p> }.into_any();
                }
                view! {
                    <ul>
                        {items.into_iter().take(shown).map(|t| view! { <li>{t}</li> }).collect_view()}
                        {(more > 0).then(|| view! { <li class="more">{td_string!(locale, report.more, count = more)}</li> })}
                    </ul>
                }
                .into_any()
            };
            let dated = |m: &crate::domain::Milestone| {
                format!("{} – {}", format::date(locale, m.data.due), m.data.title)
            };
            let late: Vec<String> = need.late.iter().map(dated).collect();
            let next: Vec<String> = need.next.iter().map(dated).collect();
            let (summary, reached) = match &since {
                Some(NeedChange { delta, .. }) => (
                    Some(crate::format::delta(locale, delta)),
                    delta.reached.iter().map(|c| c.title.clone()).collect(),
                ),
                None => (None, Vec::new()),
            };
            let late = list(late, 3);
            // Nothing reached since: the summary says so, the list is left out.
            let reached = (!reached.is_empty()).then(|| list(reached, 2));
            let next = list(next, LISTED);
            view! {
                <p class="kicker">{field}</p>
                <h1 id=title_id tabindex="-1">{need.title.clone()}</h1>
                <div class="slide-columns">
                    <div>
                        <p class="slide-figure"><strong><ProgressText progress=need.progress/></strong> " " <StateBadge state=need.state/></p>
                        {summary.map(|s| view! { <p class="since-summary">{s}</p> })}
                        <h2>{t!(i18n, report.late_short)}</h2>
                        {late}
                        {reached.map(|reached| view! { <h2>{t!(i18n, report.reached_since)}</h2> {reached} })}
                        <h2>{t!(i18n, report.next_short)}</h2>
                        {next}
                    </div>
                    <figure class="slide-chart">
                        <div inner_html=chart.svg></div>
                        // The slide's heading names the need; the chart's description is read out.
                        <figcaption class="visually-hidden">{chart.title} ": " {chart.caption}</figcaption>
                    </figure>
                </div>
            }
            .into_any()
        }
        Slide::Since { comparison } => {
            let body = match comparison {
                None => view! { <p>{t!(i18n, report.no_previous)}</p> }.into_any(),
                Some(comparison) => {
                    let with = match &comparison.with {
                        crate::server_fns::reports::Compared::Report(other) => td_string!(
                            locale,
                            report.since_report,
                            name = other.name.clone(),
                            stichtag = format::date(locale, other.stichtag)
                        ),
                        crate::server_fns::reports::Compared::Today => td_string!(
                            locale,
                            report.since_today,
                            today = format::date(locale, comparison.changes.to)
                        ),
                    };
                    let total = crate::format::delta(locale, &comparison.changes.total);
                    let rows = comparison
                        .changes
                        .fields
                        .into_iter()
                        .flat_map(|f| {
                            let field_row = (f.title, crate::format::delta(locale, &f.delta), true);
                            std::iter::once(field_row).chain(
                                f.needs.into_iter().map(move |n| (n.title, crate::format::delta(locale, &n.delta), false)),
                            )
                        })
                        .take(OVERVIEW_ROWS)
                        .map(|(title, text, group)| {
                            view! { <tr class:group=group><th scope="row" class:indent=!group>{title}</th><td>{text}</td></tr> }
                        })
                        .collect_view();
                    view! {
                        <p>{with}</p>
                        <p class="slide-figure"><strong>{total}</strong></p>
                        <table>
                            <caption class="visually-hidden">{t!(i18n, report.changes_caption)}</caption>
                            <thead><tr><th scope="col">{t!(i18n, report.col_part)}</th><th scope="col">{t!(i18n, report.col_change)}</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                    .into_any()
                }
            };
            view! {
                <h1 id=title_id tabindex="-1">{t!(i18n, report.since_heading)}</h1>
                {body}
            }
            .into_any()
        }
        Slide::Closing => view! {
            <div class="slide-title">
                <h1 id=title_id tabindex="-1">{t!(i18n, report.closing_title)}</h1>
                <p class="lead">{t!(i18n, report.closing_text)} " " <a href=exit.to_owned()>{exit.to_owned()}</a></p>
            </div>
        }
        .into_any(),
    }
}

#[component]
fn OverviewTable(fields: Vec<FieldFigures>, with_needs: bool) -> impl IntoView {
    let i18n = use_i18n();
    let rows = fields
        .into_iter()
        .map(|field| {
            let needs = with_needs.then(|| {
                field
                    .needs
                    .into_iter()
                    .map(|need| {
                        view! {
                            <tr>
                                <th scope="row" class="indent">{need.title}</th>
                                <td class="num"><ProgressText progress=need.progress/></td>
                                <td><StateBadge state=need.state/></td>
                            </tr>
                        }
                    })
                    .collect_view()
            });
            view! {
                <tr class="group">
                    <th scope="row">{field.title}</th>
                    <td class="num"><ProgressText progress=field.progress/></td>
                    <td><StateBadge state=field.state/></td>
                </tr>
                {needs}
            }
        })
        .collect_view();
    view! {
        <table>
            <caption class="visually-hidden">{t!(i18n, report.overview_caption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, report.col_part)}</th>
                    <th scope="col">{t!(i18n, dashboard.col_progress)}</th>
                    <th scope="col">{t!(i18n, dashboard.col_state)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// In the browser: the keys of a keyboard or clicker move through the slides without loading
/// the page (→, Space, PageDown next; ←, PageUp back; Home, End; a number and Enter jumps;
/// Esc leaves; F toggles full screen), links to slides do the same, and a kiosk advances on its
/// own. The address follows the slide shown, so a link opens it.
#[island]
fn SlideKeys(count: usize, start: usize, exit: String, kiosk: Option<u32>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| browser::attach(count, start, exit.clone(), kiosk));
    #[cfg(not(feature = "hydrate"))]
    let _ = (count, start, exit, kiosk);
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::{document, window};
    use std::{cell::RefCell, rc::Rc};
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{HtmlElement, KeyboardEvent};

    struct Deck {
        count: usize,
        current: usize,
        /// Digits typed before Enter.
        typed: String,
    }

    impl Deck {
        fn show(&mut self, n: usize) {
            let n = n.clamp(1, self.count);
            let document = document();
            for i in 1..=self.count {
                if let Some(slide) = document.get_element_by_id(&format!("slide-{i}")) {
                    let _ = if i == n {
                        slide.remove_attribute("hidden")
                    } else {
                        slide.set_attribute("hidden", "")
                    };
                }
            }
            self.current = n;
            let location = window().location();
            let query: Vec<String> = location
                .search()
                .unwrap_or_default()
                .trim_start_matches('?')
                .split('&')
                .filter(|pair| !pair.is_empty() && !pair.starts_with("slide="))
                .map(str::to_owned)
                .chain([format!("slide={n}")])
                .collect();
            let address = format!(
                "{}?{}",
                location.pathname().unwrap_or_default(),
                query.join("&")
            );
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&address));
            }
            // Screen readers and keyboards start at the new slide's heading.
            if let Some(title) = document
                .get_element_by_id(&format!("slide-{n}-title"))
                .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            {
                let _ = title.focus();
            }
        }
    }

    fn toggle_full_screen() {
        let document = document();
        if document.fullscreen_element().is_some() {
            document.exit_fullscreen();
        } else if let Some(root) = document.document_element() {
            let _ = root.request_fullscreen();
        }
    }

    pub fn attach(count: usize, start: usize, exit: String, kiosk: Option<u32>) {
        let deck = Rc::new(RefCell::new(Deck {
            count,
            current: start,
            typed: String::new(),
        }));
        let keys = deck.clone();
        gloo_events::EventListener::new(&document(), "keydown", move |event| {
            let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                return;
            };
            if event.ctrl_key() || event.alt_key() || event.meta_key() {
                return;
            }
            let mut deck = keys.borrow_mut();
            let current = deck.current;
            let key = event.key();
            let handled = match key.as_str() {
                "ArrowRight" | "ArrowDown" | "PageDown" | " " => {
                    deck.show(current + 1);
                    true
                }
                "ArrowLeft" | "ArrowUp" | "PageUp" => {
                    deck.show(current.saturating_sub(1));
                    true
                }
                "Home" => {
                    deck.show(1);
                    true
                }
                "End" => {
                    let last = deck.count;
                    deck.show(last);
                    true
                }
                "Enter" if !deck.typed.is_empty() => {
                    let n = deck.typed.parse().unwrap_or(current);
                    deck.typed.clear();
                    deck.show(n);
                    true
                }
                "Escape" => {
                    let _ = window().location().set_href(&exit);
                    true
                }
                "f" | "F" => {
                    toggle_full_screen();
                    true
                }
                digit if digit.len() == 1 && digit.chars().all(|c| c.is_ascii_digit()) => {
                    deck.typed.push_str(digit);
                    true
                }
                _ => false,
            };
            if handled {
                event.prevent_default();
            }
        })
        .forget();
        // Links to another slide show it in place.
        let links = deck.clone();
        gloo_events::EventListener::new(&document(), "click", move |event| {
            let target = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("a[data-slide]").ok().flatten());
            if let Some(n) = target
                .and_then(|link| link.get_attribute("data-slide"))
                .and_then(|n| n.parse().ok())
            {
                event.prevent_default();
                links.borrow_mut().show(n);
            }
        })
        .forget();
        if let Some(seconds) = kiosk {
            gloo_timers::callback::Interval::new(seconds * 1000, move || {
                let mut deck = deck.borrow_mut();
                let next = if deck.current >= deck.count {
                    1
                } else {
                    deck.current + 1
                };
                deck.show(next);
            })
            .forget();
        }
    }
}
