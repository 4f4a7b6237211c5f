//! How work stands per need: one stacked bar per need of its milestones by state (reached, on
//! track, due within 14 days, overdue), each part marked with the state's symbol and count, so
//! it reads without colour; sub-goals without a plan are named beside the bar.

use super::{INK, accessible, fitted, legend_places, px};
use crate::{domain::schedule::Distribution, i18n::*};
use plotters::{
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

const MARGIN: i32 = 12;
const ROW_HEIGHT: i32 = 58;
/// Under a narrow chart's bar: "○ 2 Teilziel(e) ohne Plan".
const UNDER_BAR: i32 = 20;
const BAR_HEIGHT: i32 = 24;
/// Room right of the longest bar for "○ 2 Teilziel(e) ohne Plan", where the chart is wide
/// enough for it (else it goes under the bar).
const SIDE: i32 = 230;
const SIDE_FROM: u32 = 480;
const LEGEND_ROW: i32 = 26;

/// The states in the order drawn, with symbol and fill (the badges' colours).
pub(super) const PARTS: [(&str, RGBColor); 4] = [
    ("✓", RGBColor(0x1e, 0x6b, 0x35)),
    ("→", RGBColor(0x1d, 0x4f, 0x91)),
    ("◷", RGBColor(0x7a, 0x4b, 0x00)),
    ("!", RGBColor(0xa4, 0x16, 0x1a)),
];

fn counts(d: &Distribution) -> [u32; 4] {
    [d.done, d.on_track, d.due_soon, d.overdue]
}

fn names(locale: Locale) -> [&'static str; 4] {
    [
        td_string!(locale, state.done),
        td_string!(locale, state.on_track),
        td_string!(locale, state.due_soon),
        td_string!(locale, state.overdue),
    ]
}

/// How high the chart is: its rows and its legend's rows.
fn height(rows: usize, width: u32, legend_rows: i32) -> u32 {
    (MARGIN + row_height(width) * rows.max(1) as i32 + 8 + LEGEND_ROW * (legend_rows + 1)) as u32
}

fn row_height(width: u32) -> i32 {
    if width >= SIDE_FROM {
        ROW_HEIGHT
    } else {
        ROW_HEIGHT + UNDER_BAR
    }
}

/// The chart as an accessible SVG. `id` must be unique on the page.
pub fn svg(
    id: &str,
    field_title: &str,
    rows: &[(String, Distribution)],
    locale: Locale,
    width: u32,
) -> String {
    let mut svg = String::new();
    if let Err(error) = draw(&mut svg, width, rows, locale) {
        tracing::error!(%error, "chart drawing failed");
    }
    let title = td_string!(locale, chart.states.title, field = field_title).to_string();
    let names = names(locale);
    let figures: Vec<String> = rows
        .iter()
        .map(|(need, d)| {
            let parts: Vec<String> = counts(d)
                .iter()
                .zip(names)
                .map(|(n, name)| format!("{n} {name}"))
                .collect();
            let without = td_string!(
                locale,
                chart.states.without_plan,
                count = d.subgoals_without_plan
            )
            .to_string();
            format!("{need}: {}, {without}", parts.join(", "))
        })
        .collect();
    let desc = format!(
        "{} {}",
        td_string!(locale, chart.states.desc),
        figures.join("; ")
    );
    accessible(&svg, id, &title, &desc)
}

fn draw(
    svg: &mut String,
    width: u32,
    rows: &[(String, Distribution)],
    locale: Locale,
) -> Result<(), Box<dyn std::error::Error>> {
    let names = names(locale);
    let legend = legend_places(&names, 28, 13.0, MARGIN, width as i32 - MARGIN);
    let legend_rows = legend.last().map_or(0, |p| p.1);
    let side = width >= SIDE_FROM;
    let row_height = row_height(width);
    let root = SVGBackend::with_string(svg, (width, height(rows.len(), width, legend_rows)))
        .into_drawing_area();
    root.fill(&WHITE)?;
    let label = ("sans-serif", px(14.0)).into_font().color(&INK);
    let small = ("sans-serif", px(13.0)).into_font().color(&INK);
    let inside = ("sans-serif", px(13.0))
        .into_font()
        .style(FontStyle::Bold)
        .color(&WHITE);
    let left = MARGIN;
    let right = width as i32 - MARGIN - if side { SIDE } else { 0 };
    let most = rows
        .iter()
        .map(|(_, d)| d.milestones())
        .max()
        .unwrap_or(0)
        .max(1);
    for (row, (need, d)) in rows.iter().enumerate() {
        let top = MARGIN + row_height * row as i32;
        root.draw(&Text::new(
            fitted(need, width as i32 - 2 * MARGIN, 14.0),
            (left, top),
            label.clone().pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        let bar_top = top + 24;
        let middle = bar_top + BAR_HEIGHT / 2;
        // Bars share one scale: the need with the most milestones fills the width.
        let mut x = left;
        for ((symbol, fill), count) in PARTS.iter().zip(counts(d)) {
            if count == 0 {
                continue;
            }
            let width = ((right - left) as f64 * count as f64 / most as f64)
                .round()
                .max(2.0) as i32;
            root.draw(&Rectangle::new(
                [(x, bar_top), (x + width, bar_top + BAR_HEIGHT)],
                fill.filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(x, bar_top), (x + width, bar_top + BAR_HEIGHT)],
                WHITE.stroke_width(1),
            ))?;
            let text = format!("{symbol} {count}");
            // The count inside the part when it fits, else just the symbol.
            if width >= 8 * text.chars().count() as i32 + 8 {
                root.draw(&Text::new(
                    text,
                    (x + 5, middle),
                    inside.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
            } else if width >= 14 {
                root.draw(&Text::new(
                    symbol.to_string(),
                    (x + 3, middle),
                    inside.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
            x += width;
        }
        if d.milestones() == 0 {
            root.draw(&Text::new(
                td_string!(locale, chart.states.none).to_string(),
                (left, middle),
                small.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        if d.subgoals_without_plan > 0 {
            root.draw(&Text::new(
                format!(
                    "○ {}",
                    td_string!(
                        locale,
                        chart.states.without_plan,
                        count = d.subgoals_without_plan
                    )
                ),
                if side {
                    (x + 10, middle)
                } else {
                    (left, bar_top + BAR_HEIGHT + UNDER_BAR / 2 + 2)
                },
                small.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
    }
    // The legend: symbol, colour and name of each part.
    let legend_top = MARGIN + row_height * rows.len().max(1) as i32 + 8;
    for (((symbol, fill), name), (x, legend_row)) in PARTS.iter().zip(names).zip(legend) {
        let legend = legend_top + LEGEND_ROW * legend_row;
        root.draw(&Rectangle::new(
            [(x, legend), (x + 22, legend + 18)],
            fill.filled(),
        ))?;
        root.draw(&Text::new(
            symbol.to_string(),
            (x + 5, legend + 9),
            inside.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        root.draw(&Text::new(
            name.to_string(),
            (x + 28, legend + 9),
            small.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_need_has_its_bar_with_symbols_and_the_figures_are_described() {
        let rows = vec![
            (
                "WLAN".to_owned(),
                Distribution {
                    done: 4,
                    on_track: 3,
                    due_soon: 1,
                    overdue: 2,
                    subgoals_without_plan: 1,
                },
            ),
            ("Leer".to_owned(), Distribution::default()),
        ];
        let svg = svg(
            "s1",
            "Bildung",
            &rows,
            Locale::de,
            crate::charts::NARROW_WIDTH,
        );
        crate::charts::tests::assert_contrast(&svg);
        assert!(
            svg.contains(
                "<title id=\"s1-title\">Stand der Meilensteine je Handlungsbedarf – Bildung</title>"
            ),
            "{svg}"
        );
        assert!(svg.contains("WLAN: 4 erreicht, 3 im Plan, 1 in 14 Tagen fällig, 2 überfällig, 1 Teilziel(e) ohne Plan"), "{svg}");
        for text in [
            "✓ 4",
            "→ 3",
            "! 2",
            "○ 1 Teilziel(e) ohne Plan",
            "noch keine Meilensteine",
        ] {
            assert!(svg.contains(text), "{text}");
        }
    }
}
