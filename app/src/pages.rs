//! One module per page, as the user sees them: the overview, a strategy's dashboard, a need, a
//! sub-goal.

pub mod dashboard;
pub mod home;
pub mod need;
pub mod subgoal;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The numeric `:id` of the current route; `None` when it is not a number.
pub(crate) fn id_param() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| id.parse().ok()))
}
