//! Progress of several needs over time, one line per need. Each need has its own marker shape
//! at every point and in the legend, so the lines are told apart in black and white too.

use super::{INK, TimePlot, accessible, fitted, px};
use crate::{domain::Progress, format, i18n::*};
use chrono::NaiveDate;
use plotters::{
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

const LEFT: i32 = 56;
/// Room right of the plot.
const RIGHT_ROOM: i32 = 24;
const TOP: i32 = 16;
const PLOT: i32 = 240;
const AXIS: i32 = 30;
const LEGEND_ROW: i32 = 22;

/// Dark, distinct colours (each with a contrast of at least 3:1 on white), and a shape each.
pub(super) const COLOURS: [RGBColor; 6] = [
    RGBColor(0x1d, 0x4f, 0x91),
    RGBColor(0xa4, 0x16, 0x1a),
    RGBColor(0x1e, 0x6b, 0x35),
    RGBColor(0x7a, 0x4b, 0x00),
    RGBColor(0x5b, 0x2a, 0x86),
    RGBColor(0x1a, 0x1a, 0x1a),
];

/// One line: a need's title and its progress at each of the chart's days.
pub struct Series {
    pub label: String,
    pub values: Vec<Progress>,
}

pub fn height(series: usize) -> u32 {
    (TOP + PLOT + AXIS + LEGEND_ROW * series.max(1) as i32 + 8) as u32
}

/// The chart as an accessible SVG. `id` must be unique on the page.
pub fn svg(
    id: &str,
    field_title: &str,
    days: &[NaiveDate],
    series: &[Series],
    locale: Locale,
    width: u32,
) -> String {
    let mut svg = String::new();
    if let Err(error) = draw(&mut svg, width, days, series, locale) {
        tracing::error!(%error, "chart drawing failed");
    }
    let title = td_string!(locale, chart.over_time.title, field = field_title).to_string();
    let figures: Vec<String> = series
        .iter()
        .map(|s| {
            let first = s.values.iter().flatten().next();
            let last = s.values.last().copied().flatten();
            let show =
                |v: Option<&f64>| v.map_or_else(|| "–".to_owned(), |v| format::percent(locale, *v));
            format!("{}: {} → {}", s.label, show(first), show(last.as_ref()))
        })
        .collect();
    let (from, to) = (days.first(), days.last());
    let desc = match (from, to) {
        (Some(from), Some(to)) => td_string!(
            locale,
            chart.over_time.desc,
            from = format::date(locale, *from),
            to = format::date(locale, *to)
        )
        .to_string(),
        _ => String::new(),
    };
    accessible(&svg, id, &title, &format!("{desc} {}", figures.join("; ")))
}

fn draw(
    svg: &mut String,
    width: u32,
    days: &[NaiveDate],
    series: &[Series],
    locale: Locale,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, (width, height(series.len()))).into_drawing_area();
    root.fill(&WHITE)?;
    let label = ("sans-serif", px(13.0)).into_font().color(&INK);
    let (Some(&start), Some(&end)) = (days.first(), days.last()) else {
        root.present()?;
        return Ok(());
    };
    let bottom = TOP + PLOT;
    let plot = TimePlot {
        left: LEFT,
        right: width as i32 - RIGHT_ROOM,
        top: TOP,
        bottom,
        start,
        end,
        low: 0.0,
        high: 100.0,
    };
    plot.draw_axes(&root, locale)?;
    let x_of = |day: NaiveDate| plot.x(day);
    let y_of = |value: f64| plot.y(value);
    for (index, s) in series.iter().enumerate() {
        let colour = COLOURS[index % COLOURS.len()];
        // A gap where a need had no plan (or did not exist yet).
        let mut run: Vec<(i32, i32)> = Vec::new();
        for (day, value) in days.iter().zip(&s.values) {
            match value {
                Some(v) => run.push((x_of(*day), y_of(*v))),
                None => {
                    root.draw(&PathElement::new(
                        std::mem::take(&mut run),
                        colour.stroke_width(2),
                    ))?;
                }
            }
        }
        root.draw(&PathElement::new(run, colour.stroke_width(2)))?;
        for (day, value) in days.iter().zip(&s.values) {
            if let Some(v) = value {
                marker(&root, (x_of(*day), y_of(*v)), index, colour)?;
            }
        }
        let y = bottom + AXIS + LEGEND_ROW * index as i32 + 10;
        marker(&root, (LEFT + 6, y), index, colour)?;
        root.draw(&Text::new(
            fitted(&s.label, width as i32 - LEFT - 28, 13.0),
            (LEFT + 20, y),
            label.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// The shape of the `index`th line: circle, square, triangle, diamond, cross, plus.
fn marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    (x, y): (i32, i32),
    index: usize,
    colour: RGBColor,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let r = 5;
    match index % 6 {
        0 => root.draw(&Circle::new((x, y), r, colour.filled()))?,
        1 => root.draw(&Rectangle::new(
            [(x - r, y - r), (x + r, y + r)],
            colour.filled(),
        ))?,
        2 => root.draw(&Polygon::new(
            vec![(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)],
            colour.filled(),
        ))?,
        3 => root.draw(&Polygon::new(
            vec![
                (x, y - r - 1),
                (x + r + 1, y),
                (x, y + r + 1),
                (x - r - 1, y),
            ],
            colour.filled(),
        ))?,
        4 => {
            root.draw(&PathElement::new(
                vec![(x - r, y - r), (x + r, y + r)],
                colour.stroke_width(3),
            ))?;
            root.draw(&PathElement::new(
                vec![(x - r, y + r), (x + r, y - r)],
                colour.stroke_width(3),
            ))?;
        }
        _ => {
            root.draw(&PathElement::new(
                vec![(x - r, y), (x + r, y)],
                colour.stroke_width(3),
            ))?;
            root.draw(&PathElement::new(
                vec![(x, y - r), (x, y + r)],
                colour.stroke_width(3),
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_need_is_a_line_with_its_shape_and_figures() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let days = [day(1, 31), day(2, 28), day(3, 15)];
        let series = vec![
            Series {
                label: "WLAN".into(),
                values: vec![Some(10.0), Some(20.0), Some(40.0)],
            },
            Series {
                label: "Neu".into(),
                values: vec![None, None, Some(0.0)],
            },
        ];
        let svg = svg(
            "o1",
            "Bildung",
            &days,
            &series,
            Locale::de,
            crate::charts::WIDE_WIDTH,
        );
        crate::charts::tests::assert_contrast(&svg);
        assert!(svg.contains("Fortschritt je Handlungsbedarf über die Zeit – Bildung"));
        assert!(svg.contains("vom 31.01.2026 bis zum 15.03.2026"), "{svg}");
        assert!(svg.contains("WLAN: 10\u{a0}% → 40\u{a0}%"));
        assert!(svg.contains("Neu: 0\u{a0}% → 0\u{a0}%"));
        assert!(svg.contains("<circle") && svg.contains("<rect"));
    }
}
