//! Burn-up of a need: the plan (cumulative share planned by each day) against what was
//! reached, today's line, and the forecast as a dashed line. Told apart by line style and a
//! label at each line's end, so it reads in black and white too.

use super::{INK, LINE, TRACK, TimePlot, accessible, dashed, legend_places, px, text_width};
use crate::{
    domain::plan::{BurnUpPoint, Forecast},
    format,
    i18n::*,
};
use chrono::NaiveDate;
use plotters::{
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

const LEFT: i32 = 56;
const TOP: i32 = 16;
/// The plot's bottom.
const BOTTOM: i32 = 316;
/// The legend's first line, under the axis labels; each further line below it.
const LEGEND: i32 = 366;
const LEGEND_ROW: i32 = 22;
/// Wide enough to name each line at its end (right of the plot), else in the legend only.
const END_LABELS_FROM: u32 = 400;

/// The chart as an accessible SVG. `id` must be unique on the page. `today` is the day shown:
/// marked "today" in today's view, and by its date when `past` (a past "as of" view, a
/// report's Stichtag). Drawn `width` px wide.
#[allow(clippy::too_many_arguments)] // the chart's data, its language and its width
pub fn svg(
    id: &str,
    need_title: &str,
    points: &[BurnUpPoint],
    today: NaiveDate,
    past: bool,
    forecast: Forecast,
    locale: Locale,
    width: u32,
) -> String {
    let mut svg = String::new();
    let marker = if past {
        format::date(locale, today)
    } else {
        td_string!(locale, chart.today).to_owned()
    };
    if let Err(error) = draw(&mut svg, width, points, today, &marker, forecast, locale) {
        tracing::error!(%error, "chart drawing failed");
    }
    let title = td_string!(locale, chart.burn_up.title, need = need_title).to_string();
    let last_reached = points.iter().rev().find_map(|p| p.reached);
    let planned_now = points.iter().find(|p| p.day == today).map(|p| p.planned);
    let mut desc = td_string!(locale, chart.burn_up.desc).to_string();
    if let (Some(reached), Some(planned)) = (last_reached, planned_now) {
        desc.push(' ');
        let reached = format::percent(locale, reached);
        let planned = format::percent(locale, planned);
        desc.push_str(&if past {
            let day = format::date(locale, today);
            td_string!(locale, chart.burn_up.on_day, day, reached, planned)
        } else {
            td_string!(locale, chart.burn_up.today, reached, planned)
        });
    }
    if let Forecast::AtPace { finish, .. } = forecast {
        desc.push(' ');
        desc.push_str(
            &td_string!(
                locale,
                chart.burn_up.forecast,
                month = format::month(locale, finish)
            )
            .to_string(),
        );
    }
    accessible(&svg, id, &title, &desc)
}

fn draw(
    svg: &mut String,
    width: u32,
    points: &[BurnUpPoint],
    today: NaiveDate,
    marker: &str,
    forecast: Forecast,
    locale: Locale,
) -> Result<(), Box<dyn std::error::Error>> {
    let planned_name = td_string!(locale, chart.burn_up.planned).to_string();
    let reached_name = td_string!(locale, chart.burn_up.reached).to_string();
    let forecast_name = match forecast {
        Forecast::AtPace { finish, .. } => Some(format!(
            "{} {}",
            td_string!(locale, chart.burn_up.forecast_label),
            format::month(locale, finish)
        )),
        _ => None,
    };
    let right = if width >= END_LABELS_FROM {
        width as i32 - 96
    } else {
        width as i32 - 16
    };
    let mut names = vec![planned_name.as_str(), reached_name.as_str()];
    names.extend(forecast_name.as_deref());
    let legend = legend_places(&names, 40, 13.0, LEFT, width as i32 - 8);
    let rows = legend.last().map_or(0, |p| p.1);
    let height = (LEGEND + LEGEND_ROW * rows + 18) as u32;
    let legend_at = |index: usize| {
        legend
            .get(index)
            .map_or((LEFT, LEGEND), |&(x, row)| (x, LEGEND + LEGEND_ROW * row))
    };
    let root = SVGBackend::with_string(svg, (width, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let small = ("sans-serif", px(12.0)).into_font().color(&INK);
    let label = ("sans-serif", px(13.0)).into_font().color(&INK);
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        root.draw(&Text::new(
            td_string!(locale, progress.no_plan).to_string(),
            (LEFT, TOP + 20),
            label,
        ))?;
        root.present()?;
        return Ok(());
    };
    let start = first.day;
    let mut end = last.day;
    let finish = match forecast {
        // Drawn when it lies within ten years after the plan's end.
        Forecast::AtPace { finish, .. } if finish <= end + chrono::Days::new(3650) => {
            end = end.max(finish);
            Some(finish)
        }
        _ => None,
    };
    let plot = TimePlot {
        left: LEFT,
        right,
        top: TOP,
        bottom: BOTTOM,
        start,
        end,
        low: 0.0,
        high: 100.0,
    };
    plot.draw_axes(&root, locale)?;
    let x_of = |day: NaiveDate| plot.x(day);
    let y_of = |value: f64| plot.y(value);

    // The day shown: a thin vertical line, labelled.
    let x_today = x_of(today);
    dashed(&root, (x_today, TOP), (x_today, BOTTOM), TRACK, 1, 3)?;
    // Right of the line, or left of it where it would pass the edge.
    let (x_marker, anchor) = if x_today + 8 + text_width(marker, 12.0) > width as i32 {
        (x_today - 4, HPos::Right)
    } else {
        (x_today + 4, HPos::Left)
    };
    root.draw(&Text::new(
        marker.to_owned(),
        (x_marker, TOP),
        small.clone().pos(Pos::new(anchor, VPos::Top)),
    ))?;

    // The plan: a step line in ink.
    let planned = steps(points.iter().map(|p| (x_of(p.day), y_of(p.planned))));
    root.draw(&PathElement::new(planned.clone(), INK.stroke_width(2)))?;
    // Reached: a thicker line in colour, up to today.
    let reached = steps(
        points
            .iter()
            .filter_map(|p| p.reached.map(|r| (x_of(p.day), y_of(r)))),
    );
    root.draw(&PathElement::new(reached.clone(), LINE.stroke_width(4)))?;

    let end_label = |name: String, (x, y): (i32, i32), dy: i32| {
        Text::new(
            name,
            (x + 6, y + dy),
            label.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        )
    };
    // The legend: each line's style with its name.
    let (x, y) = legend_at(0);
    root.draw(&PathElement::new(
        vec![(x, y), (x + 32, y)],
        INK.stroke_width(2),
    ))?;
    root.draw(&Text::new(
        planned_name.clone(),
        (x + 40, y),
        label.clone().pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    let (x, y) = legend_at(1);
    root.draw(&PathElement::new(
        vec![(x, y), (x + 32, y)],
        LINE.stroke_width(4),
    ))?;
    root.draw(&Text::new(
        reached_name.clone(),
        (x + 40, y),
        label.clone().pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    let end_labels = width >= END_LABELS_FROM;
    if let Some(last) = planned.last().filter(|_| end_labels) {
        root.draw(&end_label(planned_name.clone(), *last, -8))?;
    }
    if let Some(&(x, y)) = reached.last() {
        // The forecast: dashed from today's reach to 100 % on the forecast day.
        if let Some(finish) = finish {
            let target = (x_of(finish), y_of(100.0));
            dashed(&root, (x, y), target, LINE, 2, 8)?;
            // Named in the legend.
            if let Some(name) = &forecast_name {
                let (x, y) = legend_at(2);
                dashed(&root, (x, y), (x + 32, y), LINE, 2, 8)?;
                root.draw(&Text::new(
                    name.clone(),
                    (x + 40, y),
                    label.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
        }
        if end_labels {
            root.draw(&end_label(reached_name.clone(), (x, y), 10))?;
        }
    }
    root.present()?;
    Ok(())
}

/// A step line through the points: level until the next point, then up.
fn steps(points: impl Iterator<Item = (i32, i32)>) -> Vec<(i32, i32)> {
    let mut line: Vec<(i32, i32)> = Vec::new();
    for (x, y) in points {
        if let Some(&(_, last_y)) = line.last() {
            line.push((x, last_y));
        }
        line.push((x, y));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn the_burn_up_names_its_lines_and_states_its_figures() {
        let points = vec![
            BurnUpPoint {
                day: day(1, 31),
                planned: 25.0,
                reached: Some(0.0),
            },
            BurnUpPoint {
                day: day(3, 15),
                planned: 50.0,
                reached: Some(25.0),
            },
            BurnUpPoint {
                day: day(6, 30),
                planned: 100.0,
                reached: None,
            },
        ];
        let forecast = Forecast::AtPace {
            finish: day(9, 30),
            per_day: 0.4,
        };
        let today_at = |id: &str, width| {
            super::svg(
                id,
                "WLAN",
                &points,
                day(3, 15),
                false,
                forecast,
                Locale::de,
                width,
            )
        };
        let svg = today_at("b1", super::super::FILE_WIDTH);
        crate::charts::tests::assert_contrast(&svg);
        assert!(svg.starts_with("<svg role=\"img\" aria-labelledby=\"b1-title b1-desc\""));
        assert!(svg.contains("Burn-up: WLAN"), "{svg}");
        for text in ["Plan", "erreicht", "heute", "Prognose September 2026"] {
            assert!(svg.contains(text), "{text} missing");
        }
        assert!(
            svg.contains("erreicht 25\u{a0}%, geplant 50\u{a0}%"),
            "{svg}"
        );
        // A past day (a past view, a report's Stichtag) is marked by its date.
        let past = super::svg(
            "b3",
            "WLAN",
            &points,
            day(3, 15),
            true,
            forecast,
            Locale::de,
            super::super::FILE_WIDTH,
        );
        assert!(
            past.contains("\n15.03.2026\n</text>") && !past.contains("heute"),
            "{past}"
        );
        assert!(
            past.contains("Am 15.03.2026: erreicht 25\u{a0}%, geplant 50\u{a0}%"),
            "{past}"
        );
        let empty = super::svg(
            "b2",
            "Leer",
            &[],
            day(3, 15),
            false,
            Forecast::NoPlan,
            Locale::en,
            super::super::NARROW_WIDTH,
        );
        assert!(empty.contains("no plan"), "{empty}");
        // Narrow: the lines are named in the legend only, which wraps into more rows.
        let narrow = today_at("b4", super::super::NARROW_WIDTH);
        crate::charts::tests::assert_contrast(&narrow);
        assert!(narrow.contains("width=\"288\""), "{narrow}");
        for text in ["\nPlan\n", "\nerreicht\n", "\nPrognose September 2026\n"] {
            assert_eq!(
                narrow.matches(text).count(),
                1,
                "{text} once, in the legend"
            );
            assert_eq!(
                svg.matches(text).count(),
                if text.contains("Prognose") { 1 } else { 2 }
            );
        }
        let height = |svg: &str| {
            svg.split("height=\"")
                .nth(1)
                .and_then(|h| h.split('"').next())
                .and_then(|h| h.parse::<u32>().ok())
        };
        assert!(height(&narrow) > height(&svg), "the legend takes more rows");
    }
}
