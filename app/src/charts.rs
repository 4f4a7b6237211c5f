//! Charts: data in, SVG out (plotters), rendered on the server only, so the browser bundle
//! carries no charting code. Every chart is an accessible image: `role="img"`, a `<title>` and
//! a `<desc>` that states the figures; the page puts a data table beside it.

pub mod burnup;
pub mod indicator;
pub mod over_time;
pub mod states;
pub mod timeline;

use crate::{domain::Progress, format, i18n::*};
use plotters::{
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

/// One bar: a label and a percentage, or no plan yet.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Progress,
}

/// The width of a chart in the files (SVG and PNG downloads, the report's PDF, slides).
pub const FILE_WIDTH: u32 = 720;
/// The widths of a chart in a page: drawn for a wide place and for a phone's, each never
/// shown smaller than drawn (style/main.css), so that no label is below 12 px on the screen
/// (WCAG 1.4.4, 1.4.10). The wide one fits the dashboard's column beside its table, the
/// narrow one a 320 px screen.
pub const WIDE_WIDTH: u32 = 520;
pub const NARROW_WIDTH: u32 = 288;

const MARGIN: i32 = 12;
const AXIS_HEIGHT: i32 = 36;
const ROW_HEIGHT: i32 = 58;
const BAR_HEIGHT: i32 = 22;
/// Room right of the track for the figure.
const FIGURE_WIDTH: i32 = 64;
const LABEL_CHARS: usize = 90;

/// Dark enough on white for text and for graphics (WCAG 1.4.3 and 1.4.11), and in grey print.
const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
const BAR: RGBColor = RGBColor(0x1d, 0x4f, 0x91);
/// Lines of data: the bars' colour.
const LINE: RGBColor = BAR;
const TRACK: RGBColor = RGBColor(0x6b, 0x6b, 0x6b);
const GRID: RGBColor = RGBColor(0xd0, 0xd0, 0xd0);
/// plotters writes `font-size` as size / 1.24.
const fn px(size: f64) -> f64 {
    size * 1.24
}

/// A horizontal bar chart of progress per need, `width` px wide. `id` must be unique on the
/// page.
pub fn progress_per_need(
    id: &str,
    field_title: &str,
    bars: &[Bar],
    locale: Locale,
    width: u32,
) -> String {
    let height = (AXIS_HEIGHT + ROW_HEIGHT * bars.len().max(1) as i32 + MARGIN) as u32;
    let mut svg = String::new();
    // Drawing into a String cannot fail; a failure would only lose the picture, never the
    // figures, which the table beside the chart also shows.
    if let Err(error) = draw_bars(&mut svg, (width, height), bars, locale) {
        tracing::error!(%error, "chart drawing failed");
    }
    let title = td_string!(locale, chart.progress_per_need.title, field = field_title).to_string();
    let figures: Vec<String> = bars
        .iter()
        .map(|bar| {
            let value = match bar.value {
                Some(v) => format::percent(locale, v),
                None => td_string!(locale, progress.no_plan).to_string(),
            };
            format!("{}: {value}", bar.label)
        })
        .collect();
    let desc = format!(
        "{} {}",
        td_string!(locale, chart.progress_per_need.desc),
        figures.join("; ")
    );
    accessible(&svg, id, &title, &desc)
}

fn draw_bars(
    svg: &mut String,
    (width, height): (u32, u32),
    bars: &[Bar],
    locale: Locale,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, (width, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let track_left = MARGIN;
    let track_right = width as i32 - MARGIN - FIGURE_WIDTH;
    let track_width = (track_right - track_left) as f64;
    let x_of = |percent: f64| track_left + (track_width * percent / 100.0).round() as i32;
    let small = ("sans-serif", px(12.0)).into_font().color(&INK);
    let label = ("sans-serif", px(14.0)).into_font().color(&INK);
    let figure = ("sans-serif", px(14.0))
        .into_font()
        .style(FontStyle::Bold)
        .color(&INK);
    let no_plan = ("sans-serif", px(13.0))
        .into_font()
        .style(FontStyle::Italic)
        .color(&INK);
    let bottom = AXIS_HEIGHT + ROW_HEIGHT * bars.len() as i32;

    for tick in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let x = x_of(tick);
        root.draw(&PathElement::new(
            vec![(x, AXIS_HEIGHT - 6), (x, bottom)],
            GRID,
        ))?;
        let anchor = match tick as u32 {
            0 => Pos::new(HPos::Left, VPos::Top),
            100 => Pos::new(HPos::Right, VPos::Top),
            _ => Pos::new(HPos::Center, VPos::Top),
        };
        root.draw(&Text::new(
            format::percent(locale, tick),
            (x, 8),
            small.clone().pos(anchor),
        ))?;
    }

    for (row, bar) in bars.iter().enumerate() {
        let top = AXIS_HEIGHT + ROW_HEIGHT * row as i32;
        root.draw(&Text::new(
            fitted(&bar.label, width as i32 - 2 * MARGIN, 14.0),
            (track_left, top + 4),
            label.clone().pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        let bar_top = top + 26;
        let bar_bottom = bar_top + BAR_HEIGHT;
        root.draw(&Rectangle::new(
            [(track_left, bar_top), (track_right, bar_bottom)],
            TRACK.stroke_width(1),
        ))?;
        let middle = (bar_top + bar_bottom) / 2;
        match bar.value {
            Some(value) => {
                if value > 0.0 {
                    root.draw(&Rectangle::new(
                        [(track_left, bar_top), (x_of(value), bar_bottom)],
                        BAR.filled(),
                    ))?;
                }
                root.draw(&Text::new(
                    format::percent(locale, value),
                    (track_right + 8, middle),
                    figure.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
            None => {
                root.draw(&Text::new(
                    td_string!(locale, progress.no_plan).to_string(),
                    (track_left + 8, middle),
                    no_plan.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
        }
    }
    root.present()?;
    Ok(())
}

/// The plot area of a chart over time: where a day and a value go. Percentages run from
/// `low` 0 to `high` 100; an indicator's values over its own range.
struct TimePlot {
    left: i32,
    right: i32,
    top: i32,
    bottom: i32,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
    low: f64,
    high: f64,
}

impl TimePlot {
    fn x(&self, day: chrono::NaiveDate) -> i32 {
        let span = (self.end - self.start).num_days().max(1) as f64;
        let share = (day - self.start).num_days() as f64 / span;
        self.left + (share * (self.right - self.left) as f64).round() as i32
    }

    fn y(&self, value: f64) -> i32 {
        let span = (self.high - self.low).max(f64::MIN_POSITIVE);
        let share = (value - self.low) / span;
        self.bottom - (share * (self.bottom - self.top) as f64).round() as i32
    }

    /// Grid lines and labels at 0, 25, 50, 75 and 100 %, the time axis with its labels.
    fn draw_axes<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
        locale: Locale,
    ) -> Result<(), Box<dyn std::error::Error>>
    where
        DB::ErrorType: 'static,
    {
        let ticks = [0.0, 25.0, 50.0, 75.0, 100.0].map(|t| (t, format::percent(locale, t)));
        self.draw_axes_with(root, &ticks)
    }

    /// Grid lines and labels at the value `ticks`, the time axis with its labels.
    fn draw_axes_with<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
        ticks: &[(f64, String)],
    ) -> Result<(), Box<dyn std::error::Error>>
    where
        DB::ErrorType: 'static,
    {
        let small = ("sans-serif", px(12.0)).into_font().color(&INK);
        for (tick, text) in ticks {
            let y = self.y(*tick);
            root.draw(&PathElement::new(
                vec![(self.left, y), (self.right, y)],
                GRID,
            ))?;
            root.draw(&Text::new(
                text.clone(),
                (self.left - 6, y),
                small.clone().pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        for (day, text) in time_ticks(self.start, self.end, self.right - self.left) {
            let x = self.x(day);
            root.draw(&PathElement::new(
                vec![(x, self.bottom), (x, self.bottom + 5)],
                INK,
            ))?;
            root.draw(&Text::new(
                text,
                (x, self.bottom + 8),
                small.clone().pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        root.draw(&PathElement::new(
            vec![(self.left, self.bottom), (self.right, self.bottom)],
            INK,
        ))?;
        Ok(())
    }
}

/// Labels along a time axis from `start` to `end`, as many as fit in `room` px: each quarter
/// or half year (`04/2026`) for spans up to three years, else each year, or every second,
/// fifth, tenth.
fn time_ticks(
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
    room: i32,
) -> Vec<(chrono::NaiveDate, String)> {
    use chrono::Datelike;
    let quarterly = (end - start).num_days() <= 3 * 365;
    // Room per label: its text at 12 px and a gap.
    let fits = |count: usize, text: &str| count as i32 * (text_width(text, 12.0) + 16) <= room;
    let ticks = |months: u32, text: &dyn Fn(chrono::NaiveDate) -> String| {
        let step = chrono::Months::new(months);
        let mut ticks = Vec::new();
        let first_year = if months >= 12 {
            start.year() - start.year().rem_euclid((months / 12) as i32)
        } else {
            start.year()
        };
        let mut tick = chrono::NaiveDate::from_ymd_opt(first_year, 1, 1).unwrap_or(start);
        while tick <= end {
            if tick >= start {
                ticks.push((tick, text(tick)));
            }
            match tick.checked_add_months(step) {
                Some(next) => tick = next,
                None => break,
            }
        }
        ticks
    };
    if quarterly {
        for months in [3, 6] {
            let by_months = ticks(months, &|d| d.format("%m/%Y").to_string());
            if fits(by_months.len(), "00/0000") {
                return by_months;
            }
        }
    }
    for years in [1, 2, 5, 10, 20, 50, 100] {
        let by_year = ticks(12 * years, &|d| d.year().to_string());
        if fits(by_year.len(), "0000") || years == 100 {
            return by_year;
        }
    }
    Vec::new()
}

/// About how many px `text` takes in sans-serif at `size` px: an average glyph of 0.6 em,
/// generous for German (the SVG is drawn without the fonts' metrics).
fn text_width(text: &str, size: f64) -> i32 {
    (text.chars().count() as f64 * size * 0.6).ceil() as i32
}

/// `label` shortened (with "…") to fit `room` px at `size` px, and to [`LABEL_CHARS`].
pub(crate) fn fitted(label: &str, room: i32, size: f64) -> String {
    let fit = (room as f64 / (size * 0.6)).floor().max(4.0) as usize;
    let max = fit.min(LABEL_CHARS);
    if label.chars().count() > max {
        let start: String = label.chars().take(max - 1).collect();
        format!("{}…", start.trim_end())
    } else {
        label.to_owned()
    }
}

/// Where the entries of a legend go: left to right from `left`, each `marker` px before its
/// text at `size` px, a new row where the next would pass `right`. The (x, row) of each.
fn legend_places(texts: &[&str], marker: i32, size: f64, left: i32, right: i32) -> Vec<(i32, i32)> {
    let mut places = Vec::with_capacity(texts.len());
    let (mut x, mut row) = (left, 0);
    for text in texts {
        let wide = marker + text_width(text, size) + 16;
        if x > left && x + wide > right {
            row += 1;
            x = left;
        }
        places.push((x, row));
        x += wide;
    }
    places
}

/// A dashed straight line.
fn dashed<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    from: (i32, i32),
    to: (i32, i32),
    color: RGBColor,
    width: u32,
    dash: i32,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
    let length = dx.hypot(dy);
    let parts = (length / dash as f64).floor() as i32;
    for part in (0..parts).step_by(2) {
        let at = |k: i32| {
            let t = k as f64 / parts.max(1) as f64;
            (
                from.0 + (dx * t).round() as i32,
                from.1 + (dy * t).round() as i32,
            )
        };
        root.draw(&PathElement::new(
            vec![at(part), at((part + 1).min(parts))],
            color.stroke_width(width),
        ))?;
    }
    Ok(())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Makes a plotters SVG an accessible image: `role="img"`, labelled by its `<title>` and
/// described by its `<desc>`, and scaling to its container.
fn accessible(svg: &str, id: &str, title: &str, desc: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return String::new();
    };
    let (open, rest) = svg.split_at(open_end);
    let open = open.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart-svg\" \
             preserveAspectRatio=\"xMinYMin meet\" "
        ),
        1,
    );
    format!(
        "{open}><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{}",
        escape(title),
        escape(desc),
        &rest[1..]
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    type Rgb = (u8, u8, u8);

    fn rgb(colour: RGBColor) -> Rgb {
        (colour.0, colour.1, colour.2)
    }

    /// WCAG 2.1's relative luminance of an sRGB colour.
    fn luminance((r, g, b): Rgb) -> f64 {
        let linear = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    pub(crate) fn contrast(a: Rgb, b: Rgb) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// The colour as a black-and-white printer puts it on paper (Rec. 601 luma).
    fn grey((r, g, b): Rgb) -> Rgb {
        let y = (0.299 * r as f64 + 0.587 * g as f64 + 0.114 * b as f64).round() as u8;
        (y, y, y)
    }

    const WHITE_RGB: Rgb = (255, 255, 255);

    /// Every colour a chart paints with, against its white ground (WCAG 1.4.11 asks 3:1 of the
    /// graphics one needs to read it, 1.4.3 4.5:1 of its text), in colour and in grey: the
    /// palette, and each `fill` and `stroke` of the drawn SVG `svg`. Grid lines are exempt:
    /// they only guide the eye, every value is written (and the high-contrast theme darkens
    /// them, see style/main.css and bitv.spec.ts). White marks sit on a bar of the palette.
    pub(crate) fn assert_contrast(svg: &str) {
        let mut seen = 0;
        for element in svg.split('<').skip(1) {
            let tag = element.split([' ', '>', '/']).next().unwrap_or_default();
            for attribute in ["fill", "stroke"] {
                let Some(start) = element.find(&format!(" {attribute}=\"#")) else {
                    continue;
                };
                let hex = &element[start + attribute.len() + 4..][..6];
                let value = u32::from_str_radix(hex, 16).expect("a hex colour");
                let colour = ((value >> 16) as u8, (value >> 8) as u8, value as u8);
                seen += 1;
                if colour == WHITE_RGB || colour == rgb(GRID) {
                    continue;
                }
                let needed = if tag == "text" { 4.5 } else { 3.0 };
                for (how, shown) in [("colour", colour), ("grey", grey(colour))] {
                    let ratio = contrast(shown, WHITE_RGB);
                    assert!(
                        ratio >= needed,
                        "{tag} {attribute}=#{hex} in {how}: {ratio:.2}:1 on white, {needed}:1 needed"
                    );
                }
            }
        }
        assert!(seen > 10, "colours found in {svg}");
    }

    #[test]
    fn every_colour_of_the_palette_keeps_its_contrast_in_colour_and_in_grey() {
        let mut data: Vec<(&str, RGBColor, f64)> = vec![
            ("ink (text)", INK, 4.5),
            ("bar", BAR, 3.0),
            ("line", LINE, 3.0),
            ("track", TRACK, 3.0),
            ("late", timeline::LATE, 3.0),
        ];
        data.extend(over_time::COLOURS.iter().map(|c| ("need line", *c, 3.0)));
        // The counts inside a bar's parts are white text on them.
        data.extend(
            states::PARTS
                .iter()
                .map(|(_, c)| ("state part (white text on it)", *c, 4.5)),
        );
        for (what, colour, needed) in data {
            for shown in [rgb(colour), grey(rgb(colour))] {
                let ratio = contrast(shown, WHITE_RGB);
                assert!(ratio >= needed, "{what} {colour:?}: {ratio:.2}:1");
            }
        }
        // The high-contrast theme's grid (style/main.css) is a graphic to read.
        assert!(contrast((0x59, 0x59, 0x59), WHITE_RGB) >= 4.5);
        // The known answer: black on white.
        assert!((contrast((0, 0, 0), WHITE_RGB) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn the_bars_keep_their_contrast() {
        assert_contrast(&progress_per_need(
            "c0",
            "F",
            &bars(),
            Locale::de,
            WIDE_WIDTH,
        ));
    }

    fn bars() -> Vec<Bar> {
        vec![
            Bar {
                label: "Digitale Infrastruktur & Netze".into(),
                value: Some(62.5),
            },
            Bar {
                label: "Ältere Menschen erreichen".into(),
                value: None,
            },
        ]
    }

    #[test]
    fn the_chart_is_an_accessible_image_stating_its_figures() {
        let svg = progress_per_need(
            "c1",
            "Bildung <und> Zusammenleben",
            &bars(),
            Locale::de,
            FILE_WIDTH,
        );
        assert!(
            svg.starts_with("<svg role=\"img\" aria-labelledby=\"c1-title c1-desc\""),
            "{svg}"
        );
        assert!(svg.contains("<title id=\"c1-title\">"));
        assert!(svg.contains("Bildung &lt;und&gt; Zusammenleben"));
        let desc_start = svg.find("<desc").unwrap();
        let desc = &svg[desc_start..svg.find("</desc>").unwrap()];
        assert!(
            desc.contains("Digitale Infrastruktur &amp; Netze: 63\u{a0}%"),
            "{desc}"
        );
        assert!(
            desc.contains("Ältere Menschen erreichen: kein Plan"),
            "{desc}"
        );
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
    }

    #[test]
    fn a_bar_is_as_long_as_its_share_of_the_track() {
        let svg = progress_per_need(
            "c2",
            "F",
            &[Bar {
                label: "Halb".into(),
                value: Some(50.0),
            }],
            Locale::en,
            NARROW_WIDTH,
        );
        let track = (NARROW_WIDTH as i32 - 2 * MARGIN - FIGURE_WIDTH) as f64;
        let expected_width = (track * 0.5).round() as i32;
        assert!(
            svg.contains(&format!("width=\"{expected_width}\"")),
            "no bar {expected_width} wide in {svg}"
        );
        assert!(svg.contains(">\n50%\n<") || svg.contains(">50%<") || svg.contains("50%"));
    }

    #[test]
    fn long_labels_are_shortened_to_the_width_in_the_picture_only() {
        let long = "x".repeat(200);
        let drawn = |width| {
            progress_per_need(
                "c3",
                "F",
                &[Bar {
                    label: long.clone(),
                    value: None,
                }],
                Locale::en,
                width,
            )
        };
        let picture_label = |svg: &str| {
            svg.split('\n')
                .find(|line| line.starts_with('x') && line.ends_with('…'))
                .map(|line| line.chars().count())
                .expect("a shortened label")
        };
        let (file, narrow) = (drawn(FILE_WIDTH), drawn(NARROW_WIDTH));
        assert!(picture_label(&file) <= LABEL_CHARS);
        assert!(picture_label(&narrow) < picture_label(&file) / 2);
        // At 14 px a label takes at most its room.
        assert!(
            text_width(&"x".repeat(picture_label(&narrow)), 14.0)
                <= NARROW_WIDTH as i32 - 2 * MARGIN
        );
        assert!(
            file.contains(&long) && narrow.contains(&long),
            "the description keeps the whole label"
        );
    }

    #[test]
    fn time_labels_are_as_many_as_fit() {
        let day = |y, m| chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        let quarters = time_ticks(day(2025, 1), day(2027, 12), 900);
        assert_eq!(quarters.first().map(|t| t.1.as_str()), Some("01/2025"));
        assert_eq!(quarters.len(), 12);
        let halves = time_ticks(day(2025, 1), day(2027, 12), 600);
        assert_eq!(
            halves.iter().map(|t| t.1.as_str()).collect::<Vec<_>>()[..2],
            ["01/2025", "07/2025"]
        );
        assert_eq!(halves.len(), 6);
        // Narrow: years instead.
        let years = time_ticks(day(2025, 1), day(2027, 12), 200);
        assert_eq!(
            years.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["2025", "2026", "2027"]
        );
        // Long spans: every second or fifth year, each label with its room.
        for room in [240, 480] {
            let ticks = time_ticks(day(2000, 1), day(2040, 1), room);
            assert!(
                ticks.len() as i32 * (text_width("0000", 12.0) + 16) <= room,
                "{room}: {ticks:?}"
            );
            assert!(ticks.len() >= 2, "{room}: {ticks:?}");
        }
    }

    #[test]
    fn legend_entries_wrap_into_rows_within_the_width() {
        let places = legend_places(
            &["Plan", "erreicht", "Prognose September 2026"],
            40,
            13.0,
            10,
            250,
        );
        assert_eq!(places[0], (10, 0));
        assert_eq!(places[1].1, 0);
        assert_eq!(places[2], (10, 1));
        assert!(
            legend_places(&["a", "b", "c"], 40, 13.0, 10, 700)
                .iter()
                .all(|p| p.1 == 0)
        );
    }
}
