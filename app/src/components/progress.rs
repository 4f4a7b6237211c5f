//! Progress figures, schedule states and the explanation next to them. State is always told in
//! words and a symbol, never by colour alone.

use crate::{
    domain::{Progress, ScheduleState},
    format,
    i18n::*,
};
use leptos::prelude::*;

/// A figure in words: `62 %` or `kein Plan`.
#[component]
pub fn ProgressText(progress: Progress) -> impl IntoView {
    let i18n = use_i18n();
    match progress {
        Some(value) => view! {
            <span class="progress-text">{move || format::percent(i18n.get_locale(), value)}</span>
        }
        .into_any(),
        None => view! { <span class="progress-text no-plan">{t!(i18n, progress.no_plan)}</span> }
            .into_any(),
    }
}

/// A headline figure with a bar; the bar is decoration, the text carries the value.
#[component]
pub fn ProgressFigure(progress: Progress, level: Level) -> impl IntoView {
    let width = progress.unwrap_or(0.0).clamp(0.0, 100.0);
    view! {
        <div class="progress-figure">
            <p class="figure">
                <span class="figure-label">{level.label()}</span>
                " "
                <ProgressText progress/>
            </p>
            <div class="meter" aria-hidden="true">
                <div class="meter-fill" style=format!("width: {width:.1}%")></div>
            </div>
            <HowComputed level/>
        </div>
    }
}

/// Which roll-up a figure is, for its label and its explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Strategy,
    Field,
    Need,
    SubGoal,
}

impl Level {
    fn label(self) -> impl IntoView {
        let i18n = use_i18n();
        match self {
            Level::Strategy => t!(i18n, progress.label_strategy).into_any(),
            Level::Field => t!(i18n, progress.label_field).into_any(),
            Level::Need => t!(i18n, progress.label_need).into_any(),
            Level::SubGoal => t!(i18n, progress.label_subgoal).into_any(),
        }
    }
}

/// "How is this computed?", next to every figure; works without JavaScript (`<details>`).
#[component]
pub fn HowComputed(level: Level) -> impl IntoView {
    let i18n = use_i18n();
    let text = match level {
        Level::Strategy => t!(i18n, progress.how_strategy).into_any(),
        Level::Field => t!(i18n, progress.how_field).into_any(),
        Level::Need => t!(i18n, progress.how_need).into_any(),
        Level::SubGoal => t!(i18n, progress.how_subgoal).into_any(),
    };
    view! {
        <details class="how">
            <summary>{t!(i18n, progress.how_summary)}</summary>
            <p>{text}</p>
            <p>{t!(i18n, progress.how_undefined)}</p>
        </details>
    }
}

/// A schedule state as symbol and words.
#[component]
pub fn StateBadge(state: ScheduleState) -> impl IntoView {
    let i18n = use_i18n();
    let symbol = match state {
        ScheduleState::Done => "✓",
        ScheduleState::OnTrack => "→",
        ScheduleState::DueSoon => "◷",
        ScheduleState::Overdue => "!",
        ScheduleState::NoPlan => "○",
        ScheduleState::Cancelled => "✕",
    };
    let text = format::state(i18n.get_locale(), state);
    view! {
        <span class=format!("state state-{}", state.as_str())>
            <span class="state-symbol" aria-hidden="true">{symbol}</span>
            " "
            {text}
        </span>
    }
}

/// Shown wherever invented demo milestones appear.
#[component]
pub fn ExampleNotice() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="notice">
            <strong>{t!(i18n, example.notice_title)}</strong>
            " "
            {t!(i18n, example.notice_text)}
        </p>
    }
}
