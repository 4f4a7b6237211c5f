//! An indicator's trend: its readings over time as a solid line with round points, starting
//! at the baseline, with the baseline as a dotted line and the target as a dashed line, each
//! named at its end, so it reads in black and white too.

use super::{INK, LINE, TimePlot, accessible, dashed, legend_places, px, text_width};
use crate::{domain::Indicator, format, i18n::*};
use chrono::NaiveDate;
use plotters::{
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

const LEFT: i32 = 80;
/// Room right of the plot for "Zielwert 65", where the chart is this wide; else the values
/// go into the legend.
const END_ROOM: i32 = 150;
const END_LABELS_FROM: u32 = 480;
const TOP: i32 = 16;
const PLOT: i32 = 220;
const AXIS: i32 = 30;
const LEGEND: i32 = TOP + PLOT + AXIS + 14;
const LEGEND_ROW: i32 = 22;
const LEGEND_LEFT: i32 = 24;

pub use crate::format::measured as value_text;

/// Ticks for the value axis: about five round values covering `low`..`high`.
fn ticks(low: f64, high: f64) -> Vec<f64> {
    let span = (high - low).abs().max(1e-9);
    let rough = span / 4.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|f| f * magnitude)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * magnitude);
    let first = (low / step).floor() as i64;
    let last = (high / step).ceil() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// The chart as an accessible SVG. `id` must be unique on the page.
pub fn svg(id: &str, indicator: &Indicator, locale: Locale, width: u32) -> String {
    let mut svg = String::new();
    if let Err(error) = draw(&mut svg, indicator, locale, width) {
        tracing::error!(%error, "chart drawing failed");
    }
    let data = &indicator.data;
    let with_unit = |value: f64| format!("{} {}", value_text(locale, value), data.unit);
    let title = td_string!(locale, chart.indicator.title, name = &data.name).to_string();
    let current = match indicator.latest() {
        Some(reading) => td_string!(
            locale,
            indicator.on_day,
            value = with_unit(reading.value),
            day = format::date(locale, reading.on)
        )
        .to_string(),
        None => format!(
            "{} ({})",
            with_unit(data.baseline.value),
            td_string!(locale, indicator.no_reading)
        ),
    };
    let figures = td_string!(
        locale,
        chart.indicator.figures,
        baseline = with_unit(data.baseline.value),
        baseline_on = format::date(locale, data.baseline.on),
        target = with_unit(data.target.value),
        target_on = format::date(locale, data.target.on),
        current = current,
        progress = format::percent(locale, indicator.progress())
    )
    .to_string();
    let desc = format!("{} {figures}", td_string!(locale, chart.indicator.desc));
    accessible(&svg, id, &title, &desc)
}

fn draw(
    svg: &mut String,
    indicator: &Indicator,
    locale: Locale,
    width: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    let data = &indicator.data;
    let (baseline, target) = (data.baseline, data.target);
    let end_labels = width >= END_LABELS_FROM;
    let right = width as i32 - if end_labels { END_ROOM } else { 16 };
    let (baseline_name, target_name) = (
        td_string!(locale, chart.indicator.legend_baseline),
        td_string!(locale, chart.indicator.legend_target),
    );
    let baseline_text = format!("{baseline_name} {}", value_text(locale, baseline.value));
    let target_text = format!("{target_name} {}", value_text(locale, target.value));
    // The legend names the lines, with their values where they are not named at their ends.
    let names: [&str; 3] = if end_labels {
        [
            td_string!(locale, chart.indicator.legend_readings),
            baseline_name,
            target_name,
        ]
    } else {
        [
            td_string!(locale, chart.indicator.legend_readings),
            &baseline_text,
            &target_text,
        ]
    };
    let places = legend_places(&names, 40, 13.0, LEGEND_LEFT, width as i32 - 8);
    let rows = places.last().map_or(0, |p| p.1);
    let height = (LEGEND + LEGEND_ROW * rows + 20) as u32;
    let root = SVGBackend::with_string(svg, (width, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let label = ("sans-serif", px(13.0)).into_font().color(&INK);
    let values = indicator
        .readings
        .iter()
        .map(|r| r.value)
        .chain([baseline.value, target.value]);
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let ticks = ticks(low, high);
    let end = indicator
        .readings
        .iter()
        .map(|r| r.on)
        .chain([target.on])
        .max()
        .unwrap_or(target.on);
    let plot = TimePlot {
        left: LEFT,
        right,
        top: TOP,
        bottom: TOP + PLOT,
        start: baseline.on.min(end),
        end,
        low: ticks.first().copied().unwrap_or(low),
        high: ticks.last().copied().unwrap_or(high),
    };
    let labelled: Vec<(f64, String)> = ticks.iter().map(|t| (*t, value_text(locale, *t))).collect();
    plot.draw_axes_with(&root, &labelled)?;
    let at = |day: NaiveDate, value: f64| (plot.x(day), plot.y(value));

    // Baseline dotted, target dashed, across the plot, each named at its right end.
    let name_at_end = |name: String, y: i32| {
        Text::new(
            name,
            (right + 8, y),
            label.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        )
    };
    let y_baseline = plot.y(baseline.value);
    dashed(&root, (LEFT, y_baseline), (right, y_baseline), INK, 2, 3)?;
    let y_target = plot.y(target.value);
    dashed(&root, (LEFT, y_target), (right, y_target), INK, 2, 10)?;
    if end_labels {
        // The two names apart even when the lines are close.
        let apart = if (y_baseline - y_target).abs() < 16 {
            if y_baseline > y_target { 8 } else { -8 }
        } else {
            0
        };
        root.draw(&name_at_end(baseline_text.clone(), y_baseline + apart))?;
        root.draw(&name_at_end(target_text.clone(), y_target - apart))?;
    }
    // The target day: a ring on the target line.
    root.draw(&Circle::new(
        at(target.on, target.value),
        6,
        INK.stroke_width(2),
    ))?;

    // The readings: from the baseline, in the order measured.
    let mut readings = indicator.readings.clone();
    readings.sort_by_key(|r| (r.on, r.id));
    let line: Vec<(i32, i32)> = std::iter::once(at(baseline.on, baseline.value))
        .chain(readings.iter().map(|r| at(r.on, r.value)))
        .collect();
    root.draw(&PathElement::new(line, LINE.stroke_width(3)))?;
    for reading in &readings {
        root.draw(&Circle::new(
            at(reading.on, reading.value),
            5,
            LINE.filled(),
        ))?;
    }
    if let Some(last) = readings.last() {
        let (x, y) = at(last.on, last.value);
        let text = value_text(locale, last.value);
        // Centred over the point, or ending at it where it would pass the edge.
        let anchor = if x + text_width(&text, 13.0) / 2 + 4 > width as i32 {
            HPos::Right
        } else {
            HPos::Center
        };
        root.draw(&Text::new(
            text,
            (x, y - 10),
            ("sans-serif", px(13.0))
                .into_font()
                .style(FontStyle::Bold)
                .color(&INK)
                .pos(Pos::new(anchor, VPos::Bottom)),
        ))?;
    }

    // The legend: each line's style with its name.
    let at_row = |index: usize| {
        let (x, row) = places[index];
        (x, LEGEND + LEGEND_ROW * row)
    };
    let (x, y) = at_row(0);
    root.draw(&PathElement::new(
        vec![(x, y), (x + 32, y)],
        LINE.stroke_width(3),
    ))?;
    root.draw(&Circle::new((x + 16, y), 5, LINE.filled()))?;
    let (x, y) = at_row(1);
    dashed(&root, (x, y), (x + 32, y), INK, 2, 3)?;
    let (x, y) = at_row(2);
    dashed(&root, (x, y), (x + 32, y), INK, 2, 10)?;
    for (index, name) in names.iter().enumerate() {
        let (x, y) = at_row(index);
        root.draw(&Text::new(
            name.to_string(),
            (x + 40, y),
            label.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        Direction, IndicatorData, Reading,
        indicator::{Indicator, Point},
    };

    fn wlan(readings: Vec<(NaiveDate, f64)>) -> Indicator {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        Indicator {
            id: 1,
            version: 1,
            data: IndicatorData {
                name: "Schulen mit WLAN".into(),
                unit: "Schulen".into(),
                direction: Direction::Rising,
                baseline: Point {
                    value: 12.0,
                    on: day(2024, 1, 1),
                },
                target: Point {
                    value: 65.0,
                    on: day(2028, 12, 31),
                },
            },
            measures_progress: false,
            readings: readings
                .into_iter()
                .enumerate()
                .map(|(i, (on, value))| Reading {
                    id: i as i64,
                    on,
                    value,
                    note: None,
                })
                .collect(),
        }
    }

    #[test]
    fn the_trend_states_baseline_target_and_current_value() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let indicator = wlan(vec![(day(2025, 6, 30), 30.0), (day(2026, 9, 30), 40.0)]);
        let svg = svg("i1", &indicator, Locale::de, crate::charts::FILE_WIDTH);
        crate::charts::tests::assert_contrast(&svg);
        assert!(svg.starts_with("<svg role=\"img\""), "{svg}");
        assert!(svg.contains("Verlauf: Schulen mit WLAN"));
        assert!(
            svg.contains(
                "Ausgangswert 12 Schulen am 01.01.2024, Zielwert 65 Schulen bis 31.12.2028, \
                 aktueller Stand 40 Schulen am 30.09.2026 (53\u{a0}%)"
            ),
            "{svg}"
        );
        // Two readings as points, the target's day as a ring.
        assert_eq!(svg.matches("<circle").count(), 2 + 1 + 1, "{svg}");
        let empty = svg_without_readings();
        assert!(empty.contains("12 Schulen (noch kein Messwert)"));
    }

    fn svg_without_readings() -> String {
        svg("i2", &wlan(vec![]), Locale::de, crate::charts::NARROW_WIDTH)
    }

    #[test]
    fn value_ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(12.0, 65.0), vec![0.0, 20.0, 40.0, 60.0, 80.0]);
        assert_eq!(
            ticks(0.2, 0.9),
            vec![0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        assert_eq!(value_text(Locale::de, 0.6000000000000001), "0,6");
        let falling = ticks(10.0, 30.0);
        assert!(falling.first().unwrap() <= &10.0 && falling.last().unwrap() >= &30.0);
    }
}
