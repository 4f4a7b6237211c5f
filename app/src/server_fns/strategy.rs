//! Reading a strategy: the overview, a need, a sub-goal. The server rolls the figures up and
//! sends only what a page shows.

use crate::{
    domain::{
        Milestone, Progress, ScheduleState,
        plan::{Baseline, Forecast},
        schedule::Counts,
    },
    error::AppError,
    i18n::Locale,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What `/` shows: nothing yet, the one strategy, or a list to choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Home {
    Empty,
    One(Box<Dashboard>),
    Several(Vec<StrategyItem>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyItem {
    pub id: i64,
    pub title: String,
    pub progress: Progress,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Crumb {
    pub id: i64,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub id: i64,
    pub title: String,
    /// City, period, description.
    #[serde(default)]
    pub about: crate::domain::About,
    pub progress: Progress,
    /// Some milestones are invented demo data.
    pub has_examples: bool,
    pub fields: Vec<FieldView>,
    /// The caller may change the structure (fields, needs).
    pub can_administer: bool,
    /// Its archived parts, for admins to restore (today's view only).
    #[serde(default)]
    pub archived: Vec<ArchivedPart>,
    pub as_of: AsOf,
}

/// An archived field, need or sub-goal, with where it was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArchivedPart {
    /// `field`, `need` or `subgoal`.
    pub kind: String,
    pub id: i64,
    pub title: String,
    /// The title of the field or need it is in (none for a field).
    pub within: Option<String>,
}

/// Which day a page shows: today, or a past day (`?as_of=`), read-only.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AsOf {
    /// The past day shown; `None` for today's view (also when today's date was asked for).
    pub past: Option<NaiveDate>,
    pub today: NaiveDate,
    /// The first day anything of the strategy was recorded; nothing is shown before it.
    pub recorded_since: Option<NaiveDate>,
}

impl AsOf {
    /// The day whose figures are shown: states such as "overdue" are judged on it.
    pub fn day(&self) -> NaiveDate {
        self.past.unwrap_or(self.today)
    }

    /// Where the strategy's overview is: the start page today, its dashboard on a past day.
    pub fn overview(&self, strategy_id: i64) -> String {
        match self.past {
            Some(_) => self.link(&format!("/strategies/{strategy_id}")),
            None => "/".to_owned(),
        }
    }

    /// `path` with this view's `?as_of=`, so links keep the day.
    pub fn link(&self, path: &str) -> String {
        match self.past {
            Some(day) => format!("{path}?as_of={day}"),
            None => path.to_owned(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldView {
    pub id: i64,
    pub title: String,
    pub goal: Option<String>,
    pub builds_on: Vec<String>,
    pub progress: Progress,
    pub needs: Vec<NeedSummary>,
    /// Progress per need as an accessible SVG bar chart (drawn for the page's two widths).
    #[serde(skip)]
    pub chart: crate::chart_views::PagePictures,
    /// The field's other charts.
    pub charts: Vec<crate::chart_views::ChartView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedSummary {
    pub id: i64,
    pub title: String,
    pub progress: Progress,
    pub state: ScheduleState,
    pub counts: Counts,
    /// When the need would be done at the pace of the last 90 days.
    pub forecast: Forecast,
    /// How many of its sub-goals' reports are late (today's view only; see `domain::rhythm`).
    #[serde(default)]
    pub late_reports: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubGoalSummary {
    pub id: i64,
    pub title: String,
    pub owner: Option<String>,
    pub weight: f64,
    pub progress: Progress,
    pub state: ScheduleState,
    pub counts: Counts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedPage {
    pub strategy: Crumb,
    pub field: Crumb,
    pub need: NeedSummary,
    pub subgoals: Vec<SubGoalSummary>,
    /// Open milestones, earliest due first.
    pub next_due: Vec<DueMilestone>,
    pub plan: PlanView,
    pub charts: Vec<crate::chart_views::ChartView>,
    pub has_examples: bool,
    pub can_administer: bool,
    pub as_of: AsOf,
}

/// The need's plan: when it was planned to be done, its baselines, the forecast.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub planned_finish: Option<NaiveDate>,
    pub forecast: Forecast,
    /// The latest first.
    pub baselines: Vec<Baseline>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DueMilestone {
    pub milestone: Milestone,
    /// The due date in the plan (see `domain::plan`).
    pub planned: NaiveDate,
    pub state: ScheduleState,
    pub subgoal: Crumb,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubGoalPage {
    pub strategy: Crumb,
    pub field: Crumb,
    pub need: Crumb,
    pub subgoal: SubGoalSummary,
    pub milestones: Vec<MilestoneView>,
    /// Its indicators, each with its trend chart.
    pub indicators: Vec<IndicatorView>,
    /// The day states are judged on (today, or the past day shown).
    pub today: NaiveDate,
    pub as_of: AsOf,
    /// Its reporting rhythm and reports (today's view only).
    pub reporting: Option<SubgoalReporting>,
    /// The caller may record and change this sub-goal's milestones and indicators.
    pub can_edit: bool,
    pub signed_in: bool,
    pub can_administer: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubgoalReporting {
    pub rhythm: crate::domain::rhythm::Rhythm,
    pub standing: crate::domain::rhythm::Standing,
    pub last_report: Option<crate::domain::rhythm::LastReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorView {
    pub indicator: crate::domain::Indicator,
    pub trend: crate::chart_views::ChartView,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneView {
    pub milestone: Milestone,
    /// The due date in the plan (see `domain::plan`).
    pub planned: NaiveDate,
    pub state: ScheduleState,
}

/// How many open milestones the need page lists.
pub const NEXT_DUE_SHOWN: usize = 5;

/// `locale` words the charts; the page passes its own, so a language switched in the browser
/// applies at once.
#[server(endpoint = "home")]
pub async fn get_home(locale: Locale) -> Result<Home, AppError> {
    let (state, caller) = super::guard::readable("read the overview").await?;
    let strategies = state.store.strategies().await?;
    match strategies.as_slice() {
        [] => Ok(Home::Empty),
        [only] => {
            let mut dashboard = ssr::dashboard(&state, only.id, locale, None).await?;
            if ssr::administers(&caller) {
                dashboard.can_administer = true;
                dashboard.archived = ssr::archived_parts(&state, only.id).await?;
            }
            Ok(Home::One(Box::new(dashboard)))
        }
        several => {
            let mut items = Vec::with_capacity(several.len());
            for header in several {
                let strategy = state
                    .store
                    .strategy(header.id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                items.push(StrategyItem {
                    id: header.id,
                    title: header.title.clone(),
                    progress: crate::domain::progress::of_strategy(&strategy),
                });
            }
            Ok(Home::Several(items))
        }
    }
}

/// A strategy's dashboard, today's or as of a past day (`as_of`, YYYY-MM-DD); `locale` words
/// its charts.
#[server(endpoint = "dashboard")]
pub async fn get_dashboard(
    id: i64,
    locale: Locale,
    as_of: Option<String>,
) -> Result<Dashboard, AppError> {
    let (state, caller) = super::guard::readable(&format!("read strategy {id}")).await?;
    let day = ssr::past_day(&state, as_of.as_deref())?;
    let mut dashboard = ssr::dashboard(&state, id, locale, day).await?;
    if day.is_none() && ssr::administers(&caller) {
        dashboard.can_administer = true;
        dashboard.archived = ssr::archived_parts(&state, id).await?;
    }
    Ok(dashboard)
}

/// A need's page, today's or as of a past day; `locale` words its charts.
#[server(endpoint = "need")]
pub async fn get_need(
    id: i64,
    locale: Locale,
    as_of: Option<String>,
) -> Result<NeedPage, AppError> {
    let (state, caller) = super::guard::readable(&format!("read need {id}")).await?;
    let day = ssr::past_day(&state, as_of.as_deref())?;
    let mut page = ssr::need_page(&state, id, day, locale).await?;
    page.can_administer = day.is_none() && ssr::administers(&caller);
    Ok(page)
}

#[server(endpoint = "subgoal")]
pub async fn get_subgoal(
    id: i64,
    locale: Locale,
    as_of: Option<String>,
) -> Result<SubGoalPage, AppError> {
    let (state, caller) = super::guard::readable(&format!("read sub-goal {id}")).await?;
    let day = ssr::past_day(&state, as_of.as_deref())?;
    let mut page = ssr::subgoal_page(&state, id, day, locale).await?;
    // A past view is read-only.
    page.can_edit = day.is_none()
        && crate::domain::access::may_edit_subgoal(caller.account.as_ref(), id).is_ok();
    page.signed_in = caller.account.is_some();
    page.can_administer = day.is_none() && ssr::administers(&caller);
    Ok(page)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::{
        charts,
        domain::{Field, Need, Strategy, SubGoal, plan, progress, schedule},
        state::AppState,
        store::NeedsVersion,
    };
    use std::{
        collections::HashMap,
        sync::{Arc, Mutex},
    };

    fn examples_in<'a>(subgoals: impl IntoIterator<Item = &'a SubGoal>) -> bool {
        subgoals
            .into_iter()
            .any(|s| s.milestones.iter().any(|m| m.example))
    }

    fn need_summary(need: &Need, today: NaiveDate) -> NeedSummary {
        // The forecast needs no planned dates.
        let shares = plan::shares(need, &Default::default());
        NeedSummary {
            forecast: plan::forecast(&shares, today),
            id: need.id,
            title: need.title.clone(),
            progress: progress::of_need(need),
            state: schedule::worst(need.subgoals.iter().map(|s| schedule::of_subgoal(s, today))),
            counts: Counts::of(
                need.subgoals
                    .iter()
                    .flat_map(|s| s.milestones.iter().map(|m| &m.data)),
                today,
            ),
            late_reports: 0,
        }
    }

    pub fn subgoal_summary(subgoal: &SubGoal, today: NaiveDate) -> SubGoalSummary {
        SubGoalSummary {
            id: subgoal.id,
            title: subgoal.title.clone(),
            owner: subgoal.owner.clone(),
            weight: subgoal.weight,
            progress: progress::of_subgoal(subgoal),
            state: schedule::of_subgoal(subgoal, today),
            counts: Counts::of(subgoal.milestones.iter().map(|m| &m.data), today),
        }
    }

    fn crumb(id: i64, title: &str) -> Crumb {
        Crumb {
            id,
            title: title.to_owned(),
        }
    }

    /// The past day a page was asked for (`?as_of=`): `None` for today's view, also when
    /// today's date is given; refused, naming the field, when it is not a date or lies ahead.
    pub fn past_day(state: &AppState, text: Option<&str>) -> Result<Option<NaiveDate>, AppError> {
        let today = state.clock.today();
        match crate::domain::validation::as_of(text.unwrap_or(""), today) {
            Ok(day) => Ok(day.filter(|day| *day < today)),
            Err(problem) => Err(AppError::rejected("as_of", vec![("as_of", problem)])
                .with_typed([("as_of", text.unwrap_or(""))])),
        }
    }

    /// The whole strategy with this id, today's or as it was at the end of `day`; not found
    /// when there is none (or no id).
    pub async fn load(
        state: &AppState,
        id: Option<i64>,
        day: Option<NaiveDate>,
    ) -> Result<std::sync::Arc<Strategy>, AppError> {
        let id = id.ok_or(AppError::NotFound)?;
        let moment = day.map(|day| state.clock.end_of(day));
        state
            .store
            .strategy_at(id, moment)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The day a page shows; when the first record is not needed (only the dashboard's date
    /// picker shows it), it is not asked for.
    fn as_of(state: &AppState, past: Option<NaiveDate>) -> AsOf {
        AsOf {
            past,
            today: state.clock.today(),
            recorded_since: None,
        }
    }

    pub async fn dashboard(
        state: &AppState,
        id: i64,
        locale: Locale,
        day: Option<NaiveDate>,
    ) -> Result<Dashboard, AppError> {
        let strategy = load(state, Some(id), day).await?;
        let recorded_since = state.store.history_start(id).await?;
        let as_of = AsOf {
            recorded_since: recorded_since
                .map(|moment| moment.with_timezone(&chrono::Local).date_naive()),
            ..as_of(state, day)
        };
        let today = as_of.day();
        // Today's fields as kept, where nothing they show has changed since (a save changes
        // its own need's field only); the others are computed, and kept.
        state.store.notice_others().await;
        let versions: Vec<_> = strategy
            .fields
            .iter()
            .map(|field| {
                let needs: Vec<i64> = field.needs.iter().map(|n| n.id).collect();
                (field.id, state.store.needs_version(&needs))
            })
            .collect();
        let mut fields: Vec<Option<FieldView>> = match day {
            Some(_) => vec![None; strategy.fields.len()],
            None => versions
                .iter()
                .map(|(field, version)| state.fields.get(*field, locale, today, version))
                .collect(),
        };
        let kept = fields.iter().filter(|f| f.is_some()).count();
        if kept < fields.len() {
            let history = crate::chart_views::ssr::progress_history(state, id, today).await?;
            // Late reports are marked today; a past day's reports are not kept per day.
            let late: std::collections::HashSet<i64> = match day {
                Some(_) => Default::default(),
                None => {
                    let grace = state.store.grace_days().await?;
                    state
                        .store
                        .reporting(today)
                        .await?
                        .into_iter()
                        .filter(|(_, record)| record.standing(grace, today).is_late())
                        .map(|(id, _)| id)
                        .collect()
                }
            };
            for ((field, slot), (_, version)) in
                strategy.fields.iter().zip(&mut fields).zip(versions)
            {
                if slot.is_some() {
                    continue;
                }
                let mut view = field_view(field, &history, today, locale);
                for (need, summary) in field.needs.iter().zip(&mut view.needs) {
                    summary.late_reports = need
                        .subgoals
                        .iter()
                        .filter(|s| late.contains(&s.id))
                        .count();
                }
                if day.is_none() {
                    state.fields.keep(field.id, locale, today, version, &view);
                }
                *slot = Some(view);
            }
        }
        pieces_made(kept, strategy.fields.len() - kept);
        let fields: Vec<FieldView> = fields.into_iter().flatten().collect();
        Ok(Dashboard {
            id: strategy.id,
            title: strategy.title.clone(),
            about: strategy.about.clone(),
            archived: Vec::new(),
            progress: progress::of_strategy(&strategy),
            has_examples: examples_in(
                strategy
                    .fields
                    .iter()
                    .flat_map(|f| &f.needs)
                    .flat_map(|n| &n.subgoals),
            ),
            fields,
            can_administer: false,
            as_of,
        })
    }

    /// The dashboard's fields as last computed for today's view, by field, language and day,
    /// each with the version of its needs it was computed at ([`Store::needs_version`]: its
    /// needs' changes, changes not confined to one need, changes by another process).
    ///
    /// [`Store::needs_version`]: crate::store::Store::needs_version
    #[derive(Clone, Default)]
    pub struct KeptFields(Arc<Mutex<FieldsByKey>>);

    /// By field, language and day.
    type FieldsByKey = HashMap<(i64, Locale, NaiveDate), (NeedsVersion, FieldView)>;

    impl KeptFields {
        fn kept(&self) -> std::sync::MutexGuard<'_, FieldsByKey> {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        }

        fn get(
            &self,
            field: i64,
            locale: Locale,
            day: NaiveDate,
            version: &NeedsVersion,
        ) -> Option<FieldView> {
            self.kept()
                .get(&(field, locale, day))
                .filter(|(at, _)| at == version)
                .map(|(_, view)| view.clone())
        }

        fn keep(
            &self,
            field: i64,
            locale: Locale,
            day: NaiveDate,
            version: NeedsVersion,
            view: &FieldView,
        ) {
            let mut kept = self.kept();
            // Another day's fields are no longer shown; this field's older version is replaced.
            kept.retain(|(_, _, at), _| *at == day);
            kept.insert((field, locale, day), (version, view.clone()));
        }
    }

    /// Says on the response how many of the page's pieces (the dashboard's fields) were
    /// kept and how many made (`x-pieces: kept 4, made 1`), as `x-cache` says it of pages.
    fn pieces_made(kept: usize, made: usize) {
        use axum::http::HeaderValue;
        if let (Some(response), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            HeaderValue::from_str(&format!("kept {kept}, made {made}")),
        ) {
            response.insert_header(axum::http::HeaderName::from_static(PIECES_HEADER), value);
        }
    }

    /// See [`pieces_made`].
    pub const PIECES_HEADER: &str = "x-pieces";

    /// The archived parts of a strategy as it is now, in the strategy's order (a part inside
    /// an archived one is not listed: it comes back with it).
    pub async fn archived_parts(state: &AppState, id: i64) -> Result<Vec<ArchivedPart>, AppError> {
        Ok(state
            .store
            .archived_parts(id)
            .await?
            .into_iter()
            .map(|(kind, id, title, within)| ArchivedPart {
                kind,
                id,
                title,
                within,
            })
            .collect())
    }

    pub fn administers(caller: &crate::auth::Caller) -> bool {
        crate::domain::access::may_administer(caller.account.as_ref()).is_ok()
    }

    fn field_view(
        field: &Field,
        history: &[(NaiveDate, crate::store::PastProgress)],
        today: NaiveDate,
        locale: Locale,
    ) -> FieldView {
        let needs: Vec<NeedSummary> = field.needs.iter().map(|n| need_summary(n, today)).collect();
        let bars: Vec<charts::Bar> = needs
            .iter()
            .map(|n| charts::Bar {
                label: n.title.clone(),
                value: n.progress,
            })
            .collect();
        FieldView {
            id: field.id,
            title: field.title.clone(),
            goal: field.goal.clone(),
            builds_on: field.builds_on.clone(),
            progress: progress::of_field(field),
            charts: crate::chart_views::ssr::of_field(
                field,
                history,
                today,
                locale,
                crate::chart_views::Media::Page,
            ),
            chart: crate::chart_views::PagePictures {
                wide: charts::progress_per_need(
                    &format!("chart-field-{}", field.id),
                    &field.title,
                    &bars,
                    locale,
                    charts::WIDE_WIDTH,
                ),
                narrow: charts::progress_per_need(
                    &format!("chart-field-{}-narrow", field.id),
                    &field.title,
                    &bars,
                    locale,
                    charts::NARROW_WIDTH,
                ),
            },
            needs,
        }
    }

    /// Finds a need with its field in a loaded strategy.
    pub fn find_need(strategy: &Strategy, need_id: i64) -> Option<(&Field, &Need)> {
        strategy
            .fields
            .iter()
            .find_map(|f| f.needs.iter().find(|n| n.id == need_id).map(|n| (f, n)))
    }

    pub async fn need_page(
        state: &AppState,
        id: i64,
        day: Option<NaiveDate>,
        locale: Locale,
    ) -> Result<NeedPage, AppError> {
        let strategy = load(state, state.store.strategy_of_need(id).await?, day).await?;
        let (field, need) = find_need(&strategy, id).ok_or(AppError::NotFound)?;
        let as_of = as_of(state, day);
        let today = as_of.day();
        let moment = day.map(|day| state.clock.end_of(day));
        let planned = state.store.planned_dates(id, moment).await?;
        let planned_on = |m: &Milestone| planned.get(&m.id).copied().unwrap_or(m.data.due);
        let shares = plan::shares(need, &planned);
        let plan = PlanView {
            planned_finish: plan::planned_finish(&shares),
            forecast: plan::forecast(&shares, today),
            baselines: state.store.baselines(id, moment).await?,
        };
        // The open milestones soonest due (of the same day, in the need's order), chosen
        // before anything is copied: a need may have thousands open.
        let mut open: Vec<(NaiveDate, usize, &SubGoal, &Milestone)> = need
            .subgoals
            .iter()
            .flat_map(|s| {
                s.milestones
                    .iter()
                    .filter(|m| m.data.status.is_open())
                    .map(move |m| (s, m))
            })
            .enumerate()
            .map(|(order, (s, m))| (m.data.due, order, s, m))
            .collect();
        if open.len() > NEXT_DUE_SHOWN {
            open.select_nth_unstable_by_key(NEXT_DUE_SHOWN, |(due, order, ..)| (*due, *order));
            open.truncate(NEXT_DUE_SHOWN);
        }
        open.sort_unstable_by_key(|(due, order, ..)| (*due, *order));
        let next_due: Vec<DueMilestone> = open
            .into_iter()
            .map(|(_, _, s, m)| DueMilestone {
                milestone: m.clone(),
                planned: planned_on(m),
                state: schedule::of_milestone(&m.data, today),
                subgoal: crumb(s.id, &s.title),
            })
            .collect();
        Ok(NeedPage {
            strategy: crumb(strategy.id, &strategy.title),
            field: crumb(field.id, &field.title),
            need: need_summary(need, today),
            subgoals: need
                .subgoals
                .iter()
                .map(|s| subgoal_summary(s, today))
                .collect(),
            next_due,
            plan,
            charts: crate::chart_views::ssr::of_need(
                need,
                &planned,
                today,
                day.is_some(),
                locale,
                crate::chart_views::Media::Page,
            ),
            has_examples: examples_in(&need.subgoals),
            can_administer: false,
            as_of,
        })
    }

    pub async fn subgoal_page(
        state: &AppState,
        id: i64,
        day: Option<NaiveDate>,
        locale: Locale,
    ) -> Result<SubGoalPage, AppError> {
        let strategy = load(state, state.store.strategy_of_subgoal(id).await?, day).await?;
        let (field, need, subgoal) = strategy
            .fields
            .iter()
            .flat_map(|f| f.needs.iter().map(move |n| (f, n)))
            .find_map(|(f, n)| n.subgoals.iter().find(|s| s.id == id).map(|s| (f, n, s)))
            .ok_or(AppError::NotFound)?;
        let as_of = as_of(state, day);
        let today = as_of.day();
        let moment = day.map(|day| state.clock.end_of(day));
        let planned = state.store.planned_dates(need.id, moment).await?;
        let mut milestones: Vec<MilestoneView> = subgoal
            .milestones
            .iter()
            .map(|m| MilestoneView {
                milestone: m.clone(),
                planned: planned.get(&m.id).copied().unwrap_or(m.data.due),
                state: schedule::of_milestone(&m.data, today),
            })
            .collect();
        milestones.sort_by_key(|m| m.milestone.data.due);
        let reporting = match day {
            Some(_) => None,
            None => {
                let grace = state.store.grace_days().await?;
                state
                    .store
                    .subgoal_reporting(id, today)
                    .await?
                    .map(|record| SubgoalReporting {
                        rhythm: record.rhythm,
                        standing: record.standing(grace, today),
                        last_report: record.last.clone(),
                    })
            }
        };
        Ok(SubGoalPage {
            reporting,
            strategy: crumb(strategy.id, &strategy.title),
            field: crumb(field.id, &field.title),
            need: crumb(need.id, &need.title),
            subgoal: subgoal_summary(subgoal, today),
            milestones,
            indicators: subgoal
                .indicators
                .iter()
                .map(|indicator| IndicatorView {
                    indicator: indicator.clone(),
                    trend: crate::chart_views::ssr::trend(
                        indicator,
                        locale,
                        crate::chart_views::Media::Page,
                    ),
                })
                .collect(),
            today,
            as_of,
            can_edit: false,
            signed_in: false,
            can_administer: false,
        })
    }
}
