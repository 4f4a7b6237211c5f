//! The charts as pages, slides and report files show them: each with its caption, the table of
//! its figures and its downloads (SVG, PNG, CSV at `/charts/...`); and, on the server, the
//! loaders that make them from the store (`ssr`), drawing with `charts`. Built on the server
//! only: the browser gets finished SVG and text.

use serde::{Deserialize, Serialize};

/// Which chart of which part of the strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartKind {
    /// A need's planned against reached progress over time.
    BurnUp,
    /// A field's needs: milestones by state.
    States,
    /// A field's needs: progress at each month end, as shown then.
    Progress,
    /// A need's milestones at their due dates, one row per sub-goal.
    Timeline,
    /// An indicator's readings with its baseline and target.
    Trend,
}

impl ChartKind {
    pub const ALL: [ChartKind; 5] = [
        ChartKind::BurnUp,
        ChartKind::States,
        ChartKind::Progress,
        ChartKind::Timeline,
        ChartKind::Trend,
    ];

    /// The name in download addresses.
    pub fn slug(self) -> &'static str {
        match self {
            ChartKind::BurnUp => "burn-up",
            ChartKind::States => "states",
            ChartKind::Progress => "progress",
            ChartKind::Timeline => "timeline",
            ChartKind::Trend => "trend",
        }
    }

    pub fn parse(slug: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// The figures of a chart as a table: shown beside the chart, and its CSV download.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartTable {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[cfg(feature = "ssr")]
impl ChartTable {
    /// The table as a CSV file in `locale`'s spreadsheet dialect (see `spreadsheet::Csv`).
    pub fn csv(&self, locale: crate::i18n::Locale) -> Vec<u8> {
        let mut file = crate::spreadsheet::Csv::new(locale);
        file.row(&self.columns);
        for row in &self.rows {
            file.row(row);
        }
        file.finish()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartView {
    pub kind: ChartKind,
    /// Its title, also the name of its downloads.
    pub title: String,
    pub caption: String,
    /// The picture for the files (SVG and PNG downloads, the report's PDF, slides), drawn
    /// [`FILE_WIDTH`](crate::charts::FILE_WIDTH) wide; empty in a page's chart. Not
    /// serialized: a program reading the page data through the API loads the picture from
    /// `download` when it wants it.
    #[serde(skip)]
    pub svg: String,
    /// The pictures a page shows, one for a wide place and one for a phone's (see
    /// [`WIDE_WIDTH`](crate::charts::WIDE_WIDTH)); none in a file's chart.
    #[serde(skip)]
    pub page: Option<PagePictures>,
    pub table: ChartTable,
    /// The downloads' address without extension, e.g. `/charts/need-3-burn-up`; the page adds
    /// `.svg`, `.png` or `.csv` and the query (`lang`, `as_of`).
    pub download: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PagePictures {
    pub wide: String,
    pub narrow: String,
}

/// Where a chart is shown, and so which pictures are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    Page,
    File,
    /// A report: its page, its PDF and its slides.
    Both,
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::{
        charts,
        domain::{
            Field, Indicator, Milestone, Need, ScheduleState, plan,
            schedule::{self, Distribution},
        },
        format,
        i18n::*,
    };
    use chrono::NaiveDate;
    use std::collections::HashMap;

    /// The pictures `media` needs, each drawn by `draw(id, width)`: the page's narrow one has
    /// an id of its own, as both are in the page.
    fn pictures(
        media: Media,
        id: &str,
        draw: impl Fn(&str, u32) -> String,
    ) -> (String, Option<PagePictures>) {
        let file = match media {
            Media::File | Media::Both => draw(id, charts::FILE_WIDTH),
            Media::Page => String::new(),
        };
        let page = (media != Media::File).then(|| PagePictures {
            wide: draw(id, charts::WIDE_WIDTH),
            narrow: draw(&format!("{id}-narrow"), charts::NARROW_WIDTH),
        });
        (file, page)
    }

    /// Every chart of a need, as of `today` (the day shown), with the plan's dates.
    pub fn of_need(
        need: &Need,
        planned: &HashMap<i64, NaiveDate>,
        today: NaiveDate,
        past: bool,
        locale: Locale,
        media: Media,
    ) -> Vec<ChartView> {
        vec![
            burn_up(need, planned, today, past, locale, media),
            timeline(need, today, locale, media),
        ]
    }

    /// A need's milestones at their due dates, one row per sub-goal (cancelled ones left out).
    pub fn timeline(need: &Need, today: NaiveDate, locale: Locale, media: Media) -> ChartView {
        let id = format!("chart-need-{}-timeline", need.id);
        let (svg, page) = pictures(media, &id, |id, width| {
            charts::timeline::svg(id, &need.title, &need.subgoals, today, locale, width)
        });
        // The chart's milestones (cancelled ones are not drawn), per sub-goal by due date.
        let drawn: Vec<Drawn> = need
            .subgoals
            .iter()
            .map(|subgoal| {
                let mut milestones: Vec<_> = subgoal
                    .milestones
                    .iter()
                    .map(|m| (m, schedule::of_milestone(&m.data, today)))
                    .filter(|(_, state)| *state != ScheduleState::Cancelled)
                    .collect();
                milestones.sort_by_key(|(m, _)| m.data.due);
                (subgoal.title.as_str(), milestones)
            })
            .collect();
        let count: usize = drawn.iter().map(|(_, milestones)| milestones.len()).sum();
        let table = if count <= TIMELINE_LISTED {
            each_milestone(&drawn, locale)
        } else {
            counted_per_year(&drawn, count, locale)
        };
        ChartView {
            kind: ChartKind::Timeline,
            title: td_string!(locale, chart.timeline.title, need = &need.title).to_string(),
            caption: td_string!(locale, chart.timeline.caption).to_owned(),
            svg,
            page,
            table,
            download: format!("/charts/need-{}-{}", need.id, ChartKind::Timeline.slug()),
        }
    }

    /// A sub-goal's title and its milestones on the timeline, with their states.
    type Drawn<'a> = (&'a str, Vec<(&'a Milestone, ScheduleState)>);

    /// The timeline's table, one row per milestone.
    fn each_milestone(drawn: &[Drawn], locale: Locale) -> ChartTable {
        let state_name = |state: ScheduleState| format::state(locale, state);
        ChartTable {
            caption: td_string!(locale, chart.timeline.table_caption).to_owned(),
            columns: vec![
                td_string!(locale, chart.timeline.col_subgoal).to_owned(),
                td_string!(locale, chart.timeline.col_milestone).to_owned(),
                td_string!(locale, chart.timeline.col_due).to_owned(),
                td_string!(locale, chart.timeline.col_state).to_owned(),
            ],
            rows: drawn
                .iter()
                .flat_map(|(subgoal, milestones)| {
                    milestones.iter().map(|(m, state)| {
                        vec![
                            (*subgoal).to_owned(),
                            m.data.title.clone(),
                            m.data.due.to_string(),
                            state_name(*state).to_owned(),
                        ]
                    })
                })
                .collect(),
        }
    }

    /// The timeline's table for needs with too many milestones to read one by one: counted
    /// per sub-goal and year of their due date, by the chart's three marks (each sub-goal's
    /// page lists its milestones).
    fn counted_per_year(drawn: &[Drawn], count: usize, locale: Locale) -> ChartTable {
        use chrono::Datelike;
        let mut rows = Vec::new();
        for (subgoal, milestones) in drawn {
            // (year, reached, open, overdue), in order of the year: the list is by due date.
            let mut years: Vec<(i32, usize, usize, usize)> = Vec::new();
            for (m, state) in milestones {
                let year = m.data.due.year();
                if years.last().is_none_or(|(last, ..)| *last != year) {
                    years.push((year, 0, 0, 0));
                }
                if let Some((_, reached, open, overdue)) = years.last_mut() {
                    match state {
                        ScheduleState::Done => *reached += 1,
                        ScheduleState::Overdue => *overdue += 1,
                        _ => *open += 1,
                    }
                }
            }
            rows.extend(years.into_iter().map(|(year, reached, open, overdue)| {
                vec![
                    (*subgoal).to_owned(),
                    year.to_string(),
                    reached.to_string(),
                    open.to_string(),
                    overdue.to_string(),
                ]
            }));
        }
        ChartTable {
            caption: td_string!(
                locale,
                chart.timeline.table_caption_counted,
                count = format::count(locale, count)
            )
            .to_string(),
            columns: vec![
                td_string!(locale, chart.timeline.col_subgoal).to_owned(),
                td_string!(locale, chart.timeline.col_year).to_owned(),
                td_string!(locale, dashboard.col_done).to_owned(),
                td_string!(locale, dashboard.col_open).to_owned(),
                td_string!(locale, dashboard.col_overdue).to_owned(),
            ],
            rows,
        }
    }

    /// Up to this many milestones, the timeline's table lists each; more are counted per
    /// sub-goal and year (a table of thousands of rows helps no reader, and made a need's page
    /// at 100,000 milestones 766 kB).
    pub const TIMELINE_LISTED: usize = 200;

    /// How many month ends the progress over time goes back.
    pub const MONTHS_BACK: u32 = 12;

    /// Each need's progress at the last [`MONTHS_BACK`] month ends before `day`, as shown then.
    pub async fn progress_history(
        state: &crate::state::AppState,
        strategy_id: i64,
        day: NaiveDate,
    ) -> Result<Vec<(NaiveDate, crate::store::PastProgress)>, crate::error::AppError> {
        use chrono::Datelike;
        let mut history = Vec::new();
        let first_of_month = day.with_day(1).unwrap_or(day);
        for back in (1..=MONTHS_BACK).rev() {
            let Some(month_end) = first_of_month
                .checked_sub_months(chrono::Months::new(back - 1))
                .and_then(|d| d.pred_opt())
            else {
                continue;
            };
            let progress = state
                .store
                .need_progress_at(strategy_id, state.clock.end_of(month_end))
                .await?;
            history.push((month_end, progress));
        }
        Ok(history)
    }

    /// Every chart of a field, as of `today` (the day shown), with its needs' past progress.
    pub fn of_field(
        field: &Field,
        history: &[(NaiveDate, crate::store::PastProgress)],
        today: NaiveDate,
        locale: Locale,
        media: Media,
    ) -> Vec<ChartView> {
        vec![
            states(field, today, locale, media),
            over_time(field, history, today, locale, media),
        ]
    }

    /// Progress of a field's needs at each past month end, and today.
    pub fn over_time(
        field: &Field,
        history: &[(NaiveDate, crate::store::PastProgress)],
        today: NaiveDate,
        locale: Locale,
        media: Media,
    ) -> ChartView {
        let days: Vec<NaiveDate> = history.iter().map(|(d, _)| *d).chain([today]).collect();
        let series: Vec<charts::over_time::Series> = field
            .needs
            .iter()
            .map(|need| charts::over_time::Series {
                label: need.title.clone(),
                values: history
                    .iter()
                    .map(|(_, p)| p.get(&need.id).copied().flatten())
                    .chain([crate::domain::progress::of_need(need)])
                    .collect(),
            })
            .collect();
        let id = format!("chart-field-{}-progress", field.id);
        let (svg, page) = pictures(media, &id, |id, width| {
            charts::over_time::svg(id, &field.title, &days, &series, locale, width)
        });
        let rows = days
            .iter()
            .enumerate()
            .map(|(i, day)| {
                let mut row = vec![day.to_string()];
                row.extend(series.iter().map(|s| {
                    s.values[i]
                        .map(|v| format::decimal(locale, v))
                        .unwrap_or_default()
                }));
                row
            })
            .collect();
        let mut columns = vec![td_string!(locale, chart.over_time.col_day).to_owned()];
        columns.extend(series.iter().map(|s| s.label.clone()));
        ChartView {
            kind: ChartKind::Progress,
            title: td_string!(locale, chart.over_time.title, field = &field.title).to_string(),
            caption: td_string!(locale, chart.over_time.caption).to_owned(),
            svg,
            page,
            table: ChartTable {
                caption: td_string!(locale, chart.over_time.table_caption).to_owned(),
                columns,
                rows,
            },
            download: format!("/charts/field-{}-{}", field.id, ChartKind::Progress.slug()),
        }
    }

    /// A field's charts loaded for a download: today's, or as of the end of a past `day`.
    pub async fn of_field_at(
        state: &crate::state::AppState,
        field_id: i64,
        day: Option<NaiveDate>,
        locale: Locale,
    ) -> Result<Vec<ChartView>, crate::error::AppError> {
        let strategy = crate::server_fns::strategy::ssr::load(
            state,
            state.store.strategy_of_field(field_id).await?,
            day,
        )
        .await?;
        let field = strategy
            .fields
            .iter()
            .find(|f| f.id == field_id)
            .ok_or(crate::error::AppError::NotFound)?;
        let today = day.unwrap_or_else(|| state.clock.today());
        let history = progress_history(state, strategy.id, today).await?;
        Ok(of_field(field, &history, today, locale, Media::File))
    }

    /// Milestones by state for each need of a field.
    pub fn states(field: &Field, today: NaiveDate, locale: Locale, media: Media) -> ChartView {
        let rows: Vec<(String, Distribution)> = field
            .needs
            .iter()
            .map(|n| (n.title.clone(), Distribution::of(n, today)))
            .collect();
        let id = format!("chart-field-{}-states", field.id);
        let (svg, page) = pictures(media, &id, |id, width| {
            charts::states::svg(id, &field.title, &rows, locale, width)
        });
        let table = ChartTable {
            caption: td_string!(locale, chart.states.table_caption).to_owned(),
            columns: vec![
                td_string!(locale, chart.states.col_need).to_owned(),
                td_string!(locale, state.done).to_owned(),
                td_string!(locale, state.on_track).to_owned(),
                td_string!(locale, state.due_soon).to_owned(),
                td_string!(locale, state.overdue).to_owned(),
                td_string!(locale, chart.states.col_without_plan).to_owned(),
            ],
            rows: rows
                .iter()
                .map(|(need, d)| {
                    let counts = [
                        d.done,
                        d.on_track,
                        d.due_soon,
                        d.overdue,
                        d.subgoals_without_plan,
                    ];
                    let mut row = vec![need.clone()];
                    row.extend(counts.iter().map(u32::to_string));
                    row
                })
                .collect(),
        };
        ChartView {
            kind: ChartKind::States,
            title: td_string!(locale, chart.states.title, field = &field.title).to_string(),
            caption: td_string!(locale, chart.states.caption).to_owned(),
            svg,
            page,
            table,
            download: format!("/charts/field-{}-{}", field.id, ChartKind::States.slug()),
        }
    }

    /// A need's charts loaded for a download: today's, or as of the end of a past `day`.
    pub async fn of_need_at(
        state: &crate::state::AppState,
        need_id: i64,
        day: Option<NaiveDate>,
        locale: Locale,
    ) -> Result<Vec<ChartView>, crate::error::AppError> {
        use crate::server_fns::strategy::ssr::{find_need, load};
        let strategy = load(state, state.store.strategy_of_need(need_id).await?, day).await?;
        let (_, need) = find_need(&strategy, need_id).ok_or(crate::error::AppError::NotFound)?;
        let moment = day.map(|day| state.clock.end_of(day));
        let planned = state.store.planned_dates(need_id, moment).await?;
        let today = day.unwrap_or_else(|| state.clock.today());
        Ok(of_need(
            need,
            &planned,
            today,
            day.is_some(),
            locale,
            Media::File,
        ))
    }

    /// The burn-up of a need, with its table; `today` is the day shown, `past` when it is not
    /// today (a past view, a report's Stichtag).
    pub fn burn_up(
        need: &Need,
        planned: &HashMap<i64, NaiveDate>,
        today: NaiveDate,
        past: bool,
        locale: Locale,
        media: Media,
    ) -> ChartView {
        let shares = plan::shares(need, planned);
        let points = plan::burn_up(&shares, today);
        let forecast = plan::forecast(&shares, today);
        let id = format!("chart-need-{}-burn-up", need.id);
        let (svg, page) = pictures(media, &id, |id, width| {
            charts::burnup::svg(
                id,
                &need.title,
                &points,
                today,
                past,
                forecast,
                locale,
                width,
            )
        });
        let percent = |value: f64| format::decimal(locale, value);
        let table = ChartTable {
            caption: td_string!(locale, chart.burn_up.table_caption).to_owned(),
            columns: vec![
                td_string!(locale, chart.burn_up.col_day).to_owned(),
                td_string!(locale, chart.burn_up.col_planned).to_owned(),
                td_string!(locale, chart.burn_up.col_reached).to_owned(),
            ],
            rows: points
                .iter()
                .map(|p| {
                    vec![
                        p.day.to_string(),
                        percent(p.planned),
                        p.reached.map(percent).unwrap_or_default(),
                    ]
                })
                .collect(),
        };
        ChartView {
            kind: ChartKind::BurnUp,
            title: td_string!(locale, chart.burn_up.title, need = &need.title).to_string(),
            caption: td_string!(locale, chart.burn_up.caption).to_owned(),
            svg,
            page,
            table,
            download: format!("/charts/need-{}-{}", need.id, ChartKind::BurnUp.slug()),
        }
    }

    /// An indicator's trend: its readings with baseline and target, and their table.
    pub fn trend(indicator: &Indicator, locale: Locale, media: Media) -> ChartView {
        let data = &indicator.data;
        let id = format!("chart-indicator-{}-trend", indicator.id);
        let (svg, page) = pictures(media, &id, |id, width| {
            charts::indicator::svg(id, indicator, locale, width)
        });
        let value = |v: f64| charts::indicator::value_text(locale, v);
        let mut rows = vec![vec![
            data.baseline.on.to_string(),
            td_string!(locale, chart.indicator.kind_baseline).to_owned(),
            value(data.baseline.value),
            String::new(),
        ]];
        rows.extend(indicator.readings.iter().map(|r| {
            vec![
                r.on.to_string(),
                td_string!(locale, chart.indicator.kind_reading).to_owned(),
                value(r.value),
                r.note.clone().unwrap_or_default(),
            ]
        }));
        rows.push(vec![
            data.target.on.to_string(),
            td_string!(locale, chart.indicator.kind_target).to_owned(),
            value(data.target.value),
            String::new(),
        ]);
        ChartView {
            kind: ChartKind::Trend,
            title: td_string!(locale, chart.indicator.title, name = &data.name).to_string(),
            caption: td_string!(locale, chart.indicator.caption).to_owned(),
            svg,
            page,
            table: ChartTable {
                caption: td_string!(locale, chart.indicator.table_caption).to_owned(),
                columns: vec![
                    td_string!(locale, chart.indicator.col_day).to_owned(),
                    td_string!(locale, chart.indicator.col_kind).to_owned(),
                    td_string!(locale, chart.indicator.col_value, unit = &data.unit).to_string(),
                    td_string!(locale, chart.indicator.col_note).to_owned(),
                ],
                rows,
            },
            download: format!(
                "/charts/indicator-{}-{}",
                indicator.id,
                ChartKind::Trend.slug()
            ),
        }
    }

    /// An indicator's chart loaded for a download: today's, or as of the end of a past `day`.
    pub async fn of_indicator_at(
        state: &crate::state::AppState,
        indicator_id: i64,
        day: Option<NaiveDate>,
        locale: Locale,
    ) -> Result<Vec<ChartView>, crate::error::AppError> {
        use crate::error::AppError;
        // A deleted indicator's sub-goal is still found through its kept revisions.
        let subgoal = state
            .store
            .subgoal_of_indicator(indicator_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let strategy = crate::server_fns::strategy::ssr::load(
            state,
            state.store.strategy_of_subgoal(subgoal).await?,
            day,
        )
        .await?;
        let indicator = strategy
            .fields
            .iter()
            .flat_map(|f| &f.needs)
            .flat_map(|n| &n.subgoals)
            .flat_map(|s| &s.indicators)
            .find(|i| i.id == indicator_id)
            .ok_or(AppError::NotFound)?;
        Ok(vec![trend(indicator, locale, Media::File)])
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::domain::{MilestoneData, Status, SubGoal};

        fn need(per_subgoal: &[(&str, Vec<(Status, NaiveDate)>)]) -> Need {
            let mut id = 0;
            Need {
                archived: false,
                id: 7,
                title: "Infrastruktur".into(),
                subgoals: per_subgoal
                    .iter()
                    .enumerate()
                    .map(|(i, (title, milestones))| SubGoal {
                        archived: false,
                        id: i as i64 + 1,
                        title: (*title).into(),
                        owner: None,
                        weight: 1.0,
                        indicators: Vec::new(),
                        milestones: milestones
                            .iter()
                            .map(|&(status, due)| {
                                id += 1;
                                Milestone {
                                    id,
                                    version: 1,
                                    example: false,
                                    data: MilestoneData {
                                        title: format!("M{id}"),
                                        due,
                                        status,
                                        done_on: (status == Status::Done).then_some(due),
                                        weight: 1.0,
                                        note: None,
                                    },
                                }
                            })
                            .collect::<Vec<_>>()
                            .into(),
                    })
                    .collect(),
            }
        }

        fn day(y: i32, m: u32, d: u32) -> NaiveDate {
            NaiveDate::from_ymd_opt(y, m, d).unwrap()
        }

        #[test]
        fn the_timeline_table_lists_each_milestone_up_to_its_limit_then_counts_per_year() {
            let today = day(2026, 11, 27);
            // 100 milestones, one cancelled: each of the 99 others is a row.
            let few: Vec<_> = (0..100)
                .map(|i| {
                    let status = if i == 0 {
                        Status::Cancelled
                    } else {
                        Status::Planned
                    };
                    (status, day(2027, 1, 1) + chrono::Days::new(i))
                })
                .collect();
            let chart = timeline(&need(&[("WLAN", few)]), today, Locale::de, Media::File);
            assert_eq!(chart.table.columns[1], "Meilenstein");
            assert_eq!(chart.table.rows.len(), 99);
            assert_eq!(chart.table.rows[0][2], "2027-01-02", "by due date");

            // More than the limit: per sub-goal and year, counted by state as the chart draws
            // them (cancelled ones left out); every milestone counted once.
            let mut wlan = Vec::new();
            for i in 0..150u64 {
                wlan.push((Status::Done, day(2025, 1, 1) + chrono::Days::new(i)));
                wlan.push((Status::Planned, day(2026, 1, 1) + chrono::Days::new(i)));
            }
            wlan.push((Status::Planned, day(2028, 3, 1)));
            wlan.push((Status::Cancelled, day(2028, 3, 2)));
            let devices = vec![(Status::Planned, day(2024, 5, 1))];
            let chart = timeline(
                &need(&[("WLAN", wlan), ("Endgeräte", devices)]),
                today,
                Locale::de,
                Media::Page,
            );
            // A page's chart has its two pictures, each with its own id; no file's.
            let pictures = chart.page.as_ref().expect("a page's pictures");
            assert!(chart.svg.is_empty());
            assert!(
                pictures.wide.contains(r#"width="520""#)
                    && pictures
                        .wide
                        .contains(r#"id="chart-need-7-timeline-title""#)
            );
            assert!(
                pictures.narrow.contains(r#"width="288""#)
                    && pictures
                        .narrow
                        .contains(r#"id="chart-need-7-timeline-narrow-title""#)
            );
            assert_eq!(
                chart.table.caption,
                "Meilensteine je Teilziel und Jahr der Fälligkeit, nach Stand gezählt \
                 (302 Meilensteine; jedes Teilziel listet seine auf seiner Seite)"
            );
            assert_eq!(
                chart.table.columns,
                ["Teilziel", "Jahr", "erreicht", "offen", "überfällig"]
            );
            let rows: Vec<Vec<&str>> = chart
                .table
                .rows
                .iter()
                .map(|r| r.iter().map(String::as_str).collect())
                .collect();
            assert_eq!(
                rows,
                [
                    vec!["WLAN", "2025", "150", "0", "0"],
                    // Due 1 Jan to 30 May 2026, not reached by 27 Nov 2026: overdue.
                    vec!["WLAN", "2026", "0", "0", "150"],
                    vec!["WLAN", "2028", "0", "1", "0"],
                    vec!["Endgeräte", "2024", "0", "0", "1"],
                ]
            );
            let english = timeline(
                &need(&[("WLAN", vec![(Status::Done, today); 201])]),
                today,
                Locale::en,
                Media::File,
            );
            assert!(english.svg.contains(r#"width="720""#) && english.page.is_none());
            assert!(
                english.table.caption.contains("(201 milestones;"),
                "{}",
                english.table.caption
            );
            assert_eq!(english.table.rows, [["WLAN", "2026", "201", "0", "0"]]);
        }
    }
}
