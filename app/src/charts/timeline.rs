//! The milestones of a need on a time line: one row per sub-goal, each milestone at its due
//! date. Reached, open and overdue are told apart by shape (filled circle, ring, triangle) and
//! named in the legend, not by colour alone; today is marked.

use super::{
    GRID, INK, LINE, TRACK, accessible, fitted, legend_places, px, text_width, time_ticks,
};
use crate::{
    domain::{ScheduleState, SubGoal, schedule},
    format,
    i18n::*,
};
use chrono::NaiveDate;
use plotters::{
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

const LEFT: i32 = 16;
/// Room right of the rows.
const RIGHT_ROOM: i32 = 24;
const TOP: i32 = 22;
const ROW_HEIGHT: i32 = 50;
const AXIS: i32 = 30;
const LEGEND_ROW: i32 = 24;
pub(super) const LATE: RGBColor = RGBColor(0xa4, 0x16, 0x1a);

fn height(rows: usize, legend_rows: i32) -> u32 {
    (TOP + ROW_HEIGHT * rows.max(1) as i32 + AXIS + LEGEND_ROW * (legend_rows + 1) + 6) as u32
}

/// The three shapes, by state; cancelled milestones are not drawn.
#[derive(Clone, Copy, PartialEq)]
enum Mark {
    Reached,
    Open,
    Overdue,
}

fn mark(state: ScheduleState) -> Option<Mark> {
    match state {
        ScheduleState::Done => Some(Mark::Reached),
        ScheduleState::OnTrack | ScheduleState::DueSoon | ScheduleState::NoPlan => Some(Mark::Open),
        ScheduleState::Overdue => Some(Mark::Overdue),
        ScheduleState::Cancelled => None,
    }
}

/// The chart as an accessible SVG. `id` must be unique on the page.
pub fn svg(
    id: &str,
    need_title: &str,
    subgoals: &[SubGoal],
    today: NaiveDate,
    locale: Locale,
    width: u32,
) -> String {
    let mut svg = String::new();
    if let Err(error) = draw(&mut svg, width, subgoals, today, locale) {
        tracing::error!(%error, "chart drawing failed");
    }
    let title = td_string!(locale, chart.timeline.title, need = need_title).to_string();
    let count = |wanted: Mark| {
        subgoals
            .iter()
            .flat_map(|s| s.milestones.iter())
            .filter(|m| mark(schedule::of_milestone(&m.data, today)) == Some(wanted))
            .count()
    };
    let desc = td_string!(
        locale,
        chart.timeline.desc,
        reached = count(Mark::Reached),
        open = count(Mark::Open),
        overdue = count(Mark::Overdue),
        today = format::date(locale, today)
    )
    .to_string();
    accessible(&svg, id, &title, &desc)
}

fn draw(
    svg: &mut String,
    width: u32,
    subgoals: &[SubGoal],
    today: NaiveDate,
    locale: Locale,
) -> Result<(), Box<dyn std::error::Error>> {
    let right = width as i32 - RIGHT_ROOM;
    let legend_names = [
        (Mark::Reached, td_string!(locale, state.done)),
        (Mark::Open, td_string!(locale, chart.timeline.open)),
        (Mark::Overdue, td_string!(locale, state.overdue)),
    ];
    let names: Vec<&str> = legend_names.iter().map(|(_, name)| *name).collect();
    let legend = legend_places(&names, 12, 12.0, LEFT + 8, width as i32 - 8);
    let legend_rows = legend.last().map_or(0, |p| p.1);
    let root = SVGBackend::with_string(svg, (width, height(subgoals.len(), legend_rows)))
        .into_drawing_area();
    root.fill(&WHITE)?;
    let label = ("sans-serif", px(14.0)).into_font().color(&INK);
    let small = ("sans-serif", px(12.0)).into_font().color(&INK);
    let dues = subgoals
        .iter()
        .flat_map(|s| s.milestones.iter())
        .map(|m| m.data.due);
    let start = dues.clone().min().unwrap_or(today).min(today);
    let end = dues.max().unwrap_or(today).max(today);
    let span = (end - start).num_days().max(1) as f64;
    let x_of = |day: NaiveDate| {
        LEFT + 8
            + (((day - start).num_days() as f64 / span) * (right - LEFT - 16) as f64).round() as i32
    };
    let bottom = TOP + ROW_HEIGHT * subgoals.len().max(1) as i32;

    for (day, text) in time_ticks(start, end, right - LEFT - 16) {
        let x = x_of(day);
        root.draw(&PathElement::new(vec![(x, TOP), (x, bottom)], GRID))?;
        root.draw(&Text::new(
            text,
            (x, bottom + 6),
            small.clone().pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    let x_today = x_of(today);
    root.draw(&PathElement::new(
        vec![(x_today, 6), (x_today, bottom)],
        TRACK.stroke_width(2),
    ))?;
    // Right of the line, or left of it where it would pass the edge.
    let today_text = td_string!(locale, chart.today).to_string();
    let (x_text, anchor) = if x_today + 8 + text_width(&today_text, 12.0) > width as i32 {
        (x_today - 4, HPos::Right)
    } else {
        (x_today + 4, HPos::Left)
    };
    root.draw(&Text::new(
        today_text,
        (x_text, 4),
        small.clone().pos(Pos::new(anchor, VPos::Top)),
    ))?;

    for (row, subgoal) in subgoals.iter().enumerate() {
        let top = TOP + ROW_HEIGHT * row as i32;
        root.draw(&Text::new(
            fitted(&subgoal.title, width as i32 - 2 * LEFT, 14.0),
            (LEFT, top + 2),
            label.clone().pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        let y = top + 34;
        root.draw(&PathElement::new(vec![(LEFT, y), (right, y)], TRACK))?;
        // A mark that another of the same kind already covers (within 3 px, marks being 12 px
        // wide) is not drawn again: with thousands of milestones on one row the picture stays
        // the same, the file small.
        let mut drawn = std::collections::HashSet::new();
        for m in subgoal.milestones.iter() {
            if let Some(kind) = mark(schedule::of_milestone(&m.data, today)) {
                let x = x_of(m.data.due);
                if drawn.insert((x / 3, kind as u8)) {
                    draw_mark(&root, (x, y), kind)?;
                }
            }
        }
    }
    // The legend.
    for ((kind, name), (x, row)) in legend_names.into_iter().zip(legend) {
        let y = bottom + AXIS + 10 + LEGEND_ROW * row;
        draw_mark(&root, (x, y), kind)?;
        root.draw(&Text::new(
            name.to_string(),
            (x + 12, y),
            small.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    root.present()?;
    Ok(())
}

fn draw_mark<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    (x, y): (i32, i32),
    kind: Mark,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    match kind {
        Mark::Reached => root.draw(&Circle::new((x, y), 6, LINE.filled()))?,
        Mark::Open => {
            root.draw(&Circle::new((x, y), 6, WHITE.filled()))?;
            root.draw(&Circle::new((x, y), 6, INK.stroke_width(2)))?;
        }
        Mark::Overdue => root.draw(&Polygon::new(
            vec![(x, y - 8), (x + 8, y + 6), (x - 8, y + 6)],
            LATE.filled(),
        ))?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Milestone, MilestoneData, Status};

    #[test]
    fn each_state_has_its_shape_and_the_counts_are_described() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let milestone = |status, due| Milestone {
            id: 0,
            version: 1,
            example: false,
            data: MilestoneData {
                title: "m".into(),
                due,
                status,
                done_on: (status == Status::Done).then_some(due),
                weight: 1.0,
                note: None,
            },
        };
        let subgoals = vec![SubGoal {
            archived: false,
            id: 1,
            title: "WLAN".into(),
            owner: None,
            weight: 1.0,
            indicators: Vec::new(),
            milestones: vec![
                milestone(Status::Done, day(1, 10)),
                milestone(Status::Planned, day(2, 10)),
                milestone(Status::Planned, day(9, 10)),
                milestone(Status::Cancelled, day(9, 12)),
            ]
            .into(),
        }];
        let svg = svg(
            "t1",
            "Infrastruktur",
            &subgoals,
            day(6, 1),
            Locale::de,
            crate::charts::WIDE_WIDTH,
        );
        crate::charts::tests::assert_contrast(&svg);
        assert!(svg.contains("Zeitleiste der Meilensteine – Infrastruktur"));
        assert!(svg.contains("1 erreicht, 1 offen, 1 überfällig"), "{svg}");
        assert_eq!(
            svg.matches("<polygon").count(),
            2,
            "one overdue, one in the legend"
        );
        assert!(svg.contains("<circle"));
    }
}
