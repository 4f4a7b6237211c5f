//! Reports to the council (see `domain::report`): the list, one report with what changed since
//! another, making one and withdrawing one (admins). Readers see reports whenever they may read
//! the strategy.

use crate::{
    domain::{
        Progress,
        report::{Changes, FieldFigures, ReportHeader},
    },
    error::AppError,
    server_fns::strategy::Crumb,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportsPage {
    /// Every strategy, to make a report of.
    pub strategies: Vec<Crumb>,
    /// The latest Stichtag first.
    pub reports: Vec<ReportItem>,
    pub can_administer: bool,
    pub today: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportItem {
    pub header: ReportHeader,
    pub strategy: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportPage {
    pub header: ReportHeader,
    pub strategy: Crumb,
    pub progress: Progress,
    pub fields: Vec<FieldFigures>,
    /// What changed since the report compared with, if there is one.
    pub comparison: Option<Comparison>,
    /// The other reports of the strategy, to compare with.
    pub others: Vec<ReportHeader>,
    /// Each need's burn-up on the Stichtag, by need id, in the order of the needs.
    pub charts: Vec<(i64, crate::chart_views::ChartView)>,
    pub can_administer: bool,
}

/// What a report is compared with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Compared {
    /// An earlier (or later) report.
    Report(ReportHeader),
    /// The strategy as it stands today: what changed since the report.
    Today,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub with: Compared,
    /// From the earlier of the two to the later.
    pub changes: Changes,
}

/// One slide of a report's presentation (see [`get_slide`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Slide {
    /// The report's name, Stichtag and strategy.
    Title,
    /// Progress and state per field and need.
    Overview {
        progress: Progress,
        fields: Vec<FieldFigures>,
    },
    /// One need: its progress, burn-up with forecast, what was reached since the last report,
    /// what is late, what comes next.
    Need {
        field: String,
        need: crate::domain::report::NeedFigures,
        chart: crate::chart_views::ChartView,
        since: Option<crate::domain::report::NeedChange>,
    },
    /// What changed since the last report, per field.
    Since {
        comparison: Option<Comparison>,
    },
    Closing,
}

/// A report's presentation: every slide, in order (title, overview, one per need, since the
/// last report, closing).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Presentation {
    pub header: ReportHeader,
    pub strategy: Crumb,
    pub slides: Vec<Slide>,
    /// The foyer screen may run this presentation (`?kiosk=`): only when anyone may read.
    pub kiosk_allowed: bool,
}

/// The `?compare=` of a report page: a report's id, `today`, or nothing for the report before.
pub const COMPARE_TODAY: &str = "today";

#[server(endpoint = "reports")]
pub async fn get_reports() -> Result<ReportsPage, AppError> {
    let (state, caller) = super::guard::readable("read the reports").await?;
    let strategies = state.store.strategies().await?;
    let title_of = |id: i64| {
        strategies
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.title.clone())
            .unwrap_or_default()
    };
    let reports = state
        .store
        .reports(None)
        .await?
        .into_iter()
        .map(|header| ReportItem {
            strategy: title_of(header.strategy_id),
            header,
        })
        .collect();
    Ok(ReportsPage {
        strategies: strategies
            .iter()
            .map(|s| Crumb {
                id: s.id,
                title: s.title.clone(),
            })
            .collect(),
        reports,
        can_administer: super::strategy::ssr::administers(&caller),
        today: state.clock.today(),
    })
}

/// A report's page; `locale` words its charts.
#[server(endpoint = "report")]
pub async fn get_report(
    id: i64,
    compare: Option<String>,
    locale: crate::i18n::Locale,
) -> Result<ReportPage, AppError> {
    let (state, caller) = super::guard::readable(&format!("read report {id}")).await?;
    let mut page = ssr::page(&state.store, &state.clock, id, compare.as_deref(), locale).await?;
    page.can_administer = super::strategy::ssr::administers(&caller);
    Ok(page)
}

/// A report's presentation, with "since the last report" against the report before it;
/// `locale` words its charts.
#[server(endpoint = "report/presentation")]
pub async fn get_presentation(
    id: i64,
    locale: crate::i18n::Locale,
) -> Result<Presentation, AppError> {
    let (state, _) = super::guard::readable(&format!("present report {id}")).await?;
    ssr::presentation(&state, id, locale).await
}

/// Makes a report of a strategy as it stood at the end of the Stichtag (empty: today) and
/// shows it.
#[server(endpoint = "reports/create")]
pub async fn create_report(
    strategy_id: Option<i64>,
    name: Option<String>,
    stichtag: Option<String>,
    foreword: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable("make a report").await?;
    let id = ssr::create(&state, &caller, strategy_id, name, stichtag, foreword).await?;
    leptos_axum::redirect(&format!("/reports/{id}"));
    Ok(())
}

/// Withdraws a report, with the reason; it stays listed and readable, marked as withdrawn.
#[server(endpoint = "reports/withdraw")]
pub async fn withdraw_report(report_id: i64, reason: Option<String>) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::administrable(&format!("withdraw report {report_id}")).await?;
    let typed = reason.unwrap_or_default();
    let form = format!("withdraw-{report_id}");
    let reason =
        crate::domain::validation::optional_text(&typed, crate::domain::validation::MAX_TEXT_CHARS)
            .and_then(|reason| reason.ok_or(crate::domain::Problem::Required))
            .map_err(|problem| {
                AppError::rejected(&form, vec![("reason", problem)])
                    .with_typed([("reason", &*typed)])
            })?;
    state
        .store
        .withdraw_report(
            report_id,
            &reason,
            chrono::Utc::now(),
            &crate::audit::Actor::of(&caller),
        )
        .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::{
        audit::Actor,
        auth::Caller,
        domain::{
            Problem, ScheduleState, progress,
            report::{self, Snapshot},
            schedule::Counts,
            validation::{self, MAX_TEXT_CHARS},
        },
        i18n::Locale,
        spreadsheet::Csv,
        state::{AppState, Clock},
        store::{NewReport, Store},
    };
    use std::collections::BTreeMap;

    /// The strategy as it stood at the end of `stichtag` (as it stands now, for today), with
    /// the planned date of each milestone then.
    pub async fn snapshot(
        store: &Store,
        clock: &Clock,
        strategy_id: i64,
        stichtag: NaiveDate,
    ) -> Result<Snapshot, AppError> {
        let moment = (stichtag < clock.today()).then(|| clock.end_of(stichtag));
        let strategy = store
            .strategy_at(strategy_id, moment)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut planned = BTreeMap::new();
        for need in strategy.fields.iter().flat_map(|f| &f.needs) {
            planned.extend(
                store
                    .planned_dates(need.id, moment)
                    .await?
                    .iter()
                    .map(|(id, day)| (*id, *day)),
            );
        }
        Ok(Snapshot {
            stichtag,
            strategy: (*strategy).clone(),
            planned,
        })
    }

    /// Checks the form, freezes the strategy and stores the report; returns its id.
    pub async fn create(
        state: &AppState,
        caller: &Caller,
        strategy_id: Option<i64>,
        name: Option<String>,
        stichtag: Option<String>,
        foreword: Option<String>,
    ) -> Result<i64, AppError> {
        let today = state.clock.today();
        let (name, stichtag, foreword) = (
            name.unwrap_or_default(),
            stichtag.unwrap_or_default(),
            foreword.unwrap_or_default(),
        );
        let mut errors = Vec::new();
        let clean_name = validation::title(&name)
            .map_err(|p| errors.push(("name", p)))
            .unwrap_or_default();
        let day = validation::as_of(&stichtag, today)
            .map_err(|p| errors.push(("stichtag", p)))
            .unwrap_or_default()
            .unwrap_or(today);
        let clean_foreword = validation::optional_text(&foreword, MAX_TEXT_CHARS)
            .map_err(|p| errors.push(("foreword", p)))
            .unwrap_or_default();
        let strategies = state.store.strategies().await?;
        let strategy = match strategy_id {
            Some(id) => strategies.iter().find(|s| s.id == id),
            // With one strategy, the form need not ask.
            None if strategies.len() == 1 => strategies.first(),
            None => None,
        };
        if strategy.is_none() {
            errors.push(("strategy_id", Problem::Required));
        }
        if !errors.is_empty() {
            return Err(AppError::rejected("report", errors).with_typed([
                ("name", name.as_str()),
                ("stichtag", stichtag.as_str()),
                ("foreword", foreword.as_str()),
            ]));
        }
        let strategy = strategy.ok_or(AppError::NotFound)?;
        let snapshot = snapshot(&state.store, &state.clock, strategy.id, day).await?;
        state
            .store
            .create_report(
                NewReport {
                    name: &clean_name,
                    foreword: clean_foreword.as_deref(),
                    snapshot: &snapshot,
                },
                chrono::Utc::now(),
                &Actor::of(caller),
            )
            .await
    }

    /// A report's page: its figures, and what changed since the report compared with
    /// (`compare`: a report's id, `today`, or the report before).
    pub async fn page(
        store: &Store,
        clock: &Clock,
        id: i64,
        compare: Option<&str>,
        locale: Locale,
    ) -> Result<ReportPage, AppError> {
        Ok(frozen(store, clock, id, compare, locale).await?.0)
    }

    /// A report's page with the snapshot it is made of: what its files show.
    pub async fn frozen(
        store: &Store,
        clock: &Clock,
        id: i64,
        compare: Option<&str>,
        locale: Locale,
    ) -> Result<(ReportPage, Snapshot), AppError> {
        let (header, snapshot) = store.report(id).await?.ok_or(AppError::NotFound)?;
        let others: Vec<ReportHeader> = store
            .reports(Some(header.strategy_id))
            .await?
            .into_iter()
            .filter(|o| o.id != id)
            .collect();
        let bad = |text: &str| {
            AppError::rejected("compare", vec![("compare", Problem::NotANumber)])
                .with_typed([("compare", text)])
        };
        let comparison = match compare.map(str::trim).filter(|c| !c.is_empty()) {
            Some(COMPARE_TODAY) => {
                let now = self::snapshot(store, clock, snapshot.strategy.id, clock.today()).await?;
                Some(Comparison {
                    with: Compared::Today,
                    changes: report::changes(&snapshot, &now),
                })
            }
            Some(text) => {
                let other_id: i64 = text.parse().map_err(|_| bad(text))?;
                let other = others
                    .iter()
                    .find(|o| o.id == other_id)
                    .ok_or(AppError::NotFound)?;
                Some(compared_with(store, &snapshot, other).await?)
            }
            None => match report::previous(&header, &others) {
                Some(other) => Some(compared_with(store, &snapshot, other).await?),
                None => None,
            },
        };
        let mut charts = burn_ups(&snapshot, locale);
        let charts = snapshot
            .strategy
            .fields
            .iter()
            .flat_map(|f| &f.needs)
            .filter_map(|n| charts.remove(&n.id).map(|c| (n.id, c)))
            .collect();
        let page = ReportPage {
            charts,
            strategy: Crumb {
                id: snapshot.strategy.id,
                title: snapshot.strategy.title.clone(),
            },
            progress: progress::of_strategy(&snapshot.strategy),
            fields: snapshot.figures(),
            comparison,
            others,
            header,
            can_administer: false,
        };
        Ok((page, snapshot))
    }

    async fn compared_with(
        store: &Store,
        snapshot: &Snapshot,
        other: &ReportHeader,
    ) -> Result<Comparison, AppError> {
        let (_, theirs) = store.report(other.id).await?.ok_or(AppError::NotFound)?;
        // Changes run from the earlier Stichtag to the later.
        let changes = if theirs.stichtag <= snapshot.stichtag {
            report::changes(&theirs, snapshot)
        } else {
            report::changes(snapshot, &theirs)
        };
        Ok(Comparison {
            with: Compared::Report(other.clone()),
            changes,
        })
    }

    /// The report's overview as a spreadsheet: one row per field and need on the Stichtag.
    pub fn overview_csv(locale: Locale, snapshot: &Snapshot) -> Vec<u8> {
        use crate::i18n::td_string;
        let mut csv = Csv::new(locale);
        csv.row([
            td_string!(locale, report.col_stichtag).to_owned(),
            td_string!(locale, report.col_field).to_owned(),
            td_string!(locale, report.col_need).to_owned(),
            td_string!(locale, dashboard.col_progress).to_owned(),
            td_string!(locale, dashboard.col_state).to_owned(),
            td_string!(locale, dashboard.col_done).to_owned(),
            td_string!(locale, dashboard.col_open).to_owned(),
            td_string!(locale, dashboard.col_overdue).to_owned(),
        ]);
        let day = snapshot.stichtag.to_string();
        let percent = |p: Progress| {
            p.map(|p| crate::format::decimal(locale, (p * 10.0).round() / 10.0))
                .unwrap_or_default()
        };
        for field in snapshot.figures() {
            let mut row = |need: &str, p: Progress, state: ScheduleState, c: Counts| {
                csv.row([
                    day.clone(),
                    field.title.clone(),
                    need.to_owned(),
                    percent(p),
                    crate::format::state(locale, state).to_owned(),
                    c.done.to_string(),
                    c.open.to_string(),
                    c.overdue.to_string(),
                ])
            };
            row("", field.progress, field.state, field.counts);
            for need in &field.needs {
                row(&need.title, need.progress, need.state, need.counts);
            }
        }
        csv.finish()
    }

    /// Each need's burn-up on the Stichtag, marked by its date (whenever it is shown), by need.
    pub fn burn_ups(
        snapshot: &Snapshot,
        locale: Locale,
    ) -> std::collections::HashMap<i64, crate::chart_views::ChartView> {
        let planned: std::collections::HashMap<i64, NaiveDate> =
            snapshot.planned.iter().map(|(k, v)| (*k, *v)).collect();
        snapshot
            .strategy
            .fields
            .iter()
            .flat_map(|f| &f.needs)
            .map(|need| {
                let chart = crate::chart_views::ssr::burn_up(
                    need,
                    &planned,
                    snapshot.stichtag,
                    true,
                    locale,
                    crate::chart_views::Media::Both,
                );
                (need.id, chart)
            })
            .collect()
    }

    pub async fn presentation(
        state: &AppState,
        id: i64,
        locale: Locale,
    ) -> Result<Presentation, AppError> {
        let (header, snapshot) = state.store.report(id).await?.ok_or(AppError::NotFound)?;
        let others = state.store.reports(Some(header.strategy_id)).await?;
        let comparison = match report::previous(&header, &others) {
            Some(other) => Some(compared_with(&state.store, &snapshot, other).await?),
            None => None,
        };
        let figures = snapshot.figures();
        let mut charts = burn_ups(&snapshot, locale);
        let mut slides = vec![
            Slide::Title,
            Slide::Overview {
                progress: progress::of_strategy(&snapshot.strategy),
                fields: figures.clone(),
            },
        ];
        for field in &figures {
            for need in &field.needs {
                let since = comparison.as_ref().and_then(|c| {
                    c.changes
                        .fields
                        .iter()
                        .flat_map(|f| &f.needs)
                        .find(|n| n.id == need.id)
                        .cloned()
                });
                let Some(chart) = charts.remove(&need.id) else {
                    continue;
                };
                slides.push(Slide::Need {
                    field: field.title.clone(),
                    need: need.clone(),
                    chart,
                    since,
                });
            }
        }
        slides.push(Slide::Since { comparison });
        slides.push(Slide::Closing);
        Ok(Presentation {
            strategy: Crumb {
                id: snapshot.strategy.id,
                title: snapshot.strategy.title.clone(),
            },
            header,
            slides,
            kiosk_allowed: state.store.public_read().await?,
        })
    }
}
