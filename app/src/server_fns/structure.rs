//! Changing the strategy's structure: admins only. The forms are plain posts (the page loads
//! again with the change, or with the refusal next to the field).

use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "structure/field")]
pub async fn edit_field(
    id: i64,
    title: Option<String>,
    goal: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable(&format!("edit field {id}")).await?;
    let form = format!("field-{id}");
    let (title, goal) = ssr::title_and_text(&form, title, goal)?;
    state
        .store
        .update_field(
            id,
            &title,
            goal.as_deref(),
            chrono::Utc::now(),
            &ssr::actor(&caller),
        )
        .await
}

#[server(endpoint = "structure/need")]
pub async fn edit_need(id: i64, title: Option<String>) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable(&format!("edit need {id}")).await?;
    let (title, _) = ssr::title_and_text(&format!("need-{id}"), title, None)?;
    state
        .store
        .update_need(id, &title, chrono::Utc::now(), &ssr::actor(&caller))
        .await
}

#[server(endpoint = "structure/need/add")]
pub async fn add_need(field_id: i64, title: Option<String>) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::administrable(&format!("add a need to field {field_id}")).await?;
    let (title, _) = ssr::title_and_text(&format!("new-need-{field_id}"), title, None)?;
    state
        .store
        .add_need(field_id, &title, chrono::Utc::now(), &ssr::actor(&caller))
        .await
        .map(|_| ())
}

#[server(endpoint = "structure/subgoal")]
pub async fn edit_subgoal(
    id: i64,
    title: Option<String>,
    owner: Option<String>,
    weight: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable(&format!("edit sub-goal {id}")).await?;
    let (title, owner, weight) =
        ssr::subgoal_fields(&format!("subgoal-{id}"), title, owner, weight)?;
    state
        .store
        .update_subgoal(
            id,
            &title,
            owner.as_deref(),
            weight,
            chrono::Utc::now(),
            &ssr::actor(&caller),
        )
        .await
}

#[server(endpoint = "structure/subgoal/add")]
pub async fn add_subgoal(
    need_id: i64,
    title: Option<String>,
    owner: Option<String>,
    weight: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::administrable(&format!("add a sub-goal to need {need_id}")).await?;
    let (title, owner, weight) =
        ssr::subgoal_fields(&format!("new-subgoal-{need_id}"), title, owner, weight)?;
    state
        .store
        .add_subgoal(
            need_id,
            &title,
            owner.as_deref(),
            weight,
            chrono::Utc::now(),
            &ssr::actor(&caller),
        )
        .await
        .map(|_| ())
}

/// Creates a strategy (title, city, period; a description if given) and goes to its page.
#[server(endpoint = "structure/strategy/create")]
pub async fn create_strategy(
    title: Option<String>,
    city: Option<String>,
    period_from: Option<String>,
    period_to: Option<String>,
    description: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable("create a strategy").await?;
    let (title, about) = ssr::strategy_fields(
        "new-strategy",
        [title, city, period_from, period_to, description],
    )?;
    let id = state
        .store
        .create_strategy(&title, &about, chrono::Utc::now(), &ssr::actor(&caller))
        .await?;
    leptos_axum::redirect(&format!("/strategies/{id}"));
    Ok(())
}

/// Changes a strategy's title, city, period and description.
#[server(endpoint = "structure/strategy")]
pub async fn edit_strategy(
    id: i64,
    title: Option<String>,
    city: Option<String>,
    period_from: Option<String>,
    period_to: Option<String>,
    description: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable(&format!("edit strategy {id}")).await?;
    let (title, about) = ssr::strategy_fields(
        &format!("strategy-{id}"),
        [title, city, period_from, period_to, description],
    )?;
    state
        .store
        .update_strategy(id, &title, &about, chrono::Utc::now(), &ssr::actor(&caller))
        .await
}

/// Adds a field of action (title, strategic goal) at the end of a strategy's list.
#[server(endpoint = "structure/field/add")]
pub async fn add_field(
    strategy_id: i64,
    title: Option<String>,
    goal: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::administrable(&format!("add a field to strategy {strategy_id}")).await?;
    let (title, goal) = ssr::title_and_text(&format!("new-field-{strategy_id}"), title, goal)?;
    state
        .store
        .add_field(
            strategy_id,
            &title,
            goal.as_deref(),
            chrono::Utc::now(),
            &ssr::actor(&caller),
        )
        .await
        .map(|_| ())
}

/// Changes one entry of a field's "builds on" list: `op` is `add` (`item` at the end), `save`
/// (entry `index` becomes `item`), `remove`, `up` or `down` (entry `index`). `was` is the
/// entry as the form showed it: if the list changed meanwhile, nothing is written.
#[server(endpoint = "structure/field/builds-on")]
pub async fn edit_builds_on(
    field_id: i64,
    op: Option<String>,
    index: Option<usize>,
    item: Option<String>,
    was: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::administrable(&format!("edit what field {field_id} builds on")).await?;
    ssr::edit_builds_on(&state, &caller, field_id, op, index, item, was).await
}

/// Moves a field (`kind=field`), need or sub-goal one place up or down (`direction`).
#[server(endpoint = "structure/move")]
pub async fn move_part(kind: String, id: i64, direction: String) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::administrable(&format!("move {kind} {id} {direction}")).await?;
    let kind = ssr::kind(&kind)?;
    let direction = match direction.as_str() {
        "up" => crate::store::Step::Up,
        "down" => crate::store::Step::Down,
        _ => return Err(AppError::BadRequest(format!("direction: {direction:?}"))),
    };
    state
        .store
        .move_part(
            kind,
            id,
            direction,
            chrono::Utc::now(),
            &ssr::actor(&caller),
        )
        .await
        .map(|_| ())
}

/// Archives a field, need or sub-goal from now on: left out of today's pages and figures,
/// still in past views and the audit trail; restored with `structure/restore`.
#[server(endpoint = "structure/archive")]
pub async fn archive_part(kind: String, id: i64) -> Result<(), AppError> {
    ssr::set_archived(&kind, id, true).await
}

/// Restores an archived field, need or sub-goal: it counts again from now on.
#[server(endpoint = "structure/restore")]
pub async fn restore_part(kind: String, id: i64) -> Result<(), AppError> {
    ssr::set_archived(&kind, id, false).await
}

/// Fixes today's due dates of a need's milestones as its new plan baseline, with a reason.
#[server(endpoint = "structure/need/baseline")]
pub async fn rebaseline(need_id: i64, reason: Option<String>) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::administrable(&format!("set a baseline for need {need_id}")).await?;
    let typed = reason.unwrap_or_default();
    let reason =
        crate::domain::validation::optional_text(&typed, crate::domain::validation::MAX_TEXT_CHARS)
            .and_then(|reason| reason.ok_or(crate::domain::Problem::Required))
            .map_err(|problem| {
                AppError::rejected(&format!("baseline-{need_id}"), vec![("reason", problem)])
                    .with_typed([("reason", &*typed)])
            })?;
    state
        .store
        .rebaseline(need_id, &reason, chrono::Utc::now(), &ssr::actor(&caller))
        .await
        .map(|_| ())
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::{
        audit::Actor,
        auth::Caller,
        domain::{
            About, Period, Problem,
            history::NodeKind,
            validation::{self, MAX_TEXT_CHARS, MAX_TITLE_CHARS},
        },
    };

    pub fn actor(caller: &Caller) -> Actor {
        Actor::of(caller)
    }

    /// Archives (`archived`) or restores a part, for admins.
    pub async fn set_archived(kind: &str, id: i64, archived: bool) -> Result<(), AppError> {
        let verb = if archived { "archive" } else { "restore" };
        let (state, caller) =
            crate::server_fns::guard::administrable(&format!("{verb} {kind} {id}")).await?;
        state
            .store
            .set_archived(
                self::kind(kind)?,
                id,
                archived,
                chrono::Utc::now(),
                &actor(&caller),
            )
            .await
            .map(|_| ())
    }

    pub fn kind(text: &str) -> Result<NodeKind, AppError> {
        NodeKind::parse(text).ok_or_else(|| AppError::BadRequest(format!("kind: {text:?}")))
    }

    /// The strategy form: title, city and both years required, the description optional.
    pub fn strategy_fields(
        form: &str,
        typed: [Option<String>; 5],
    ) -> Result<(String, About), AppError> {
        let [title, city, from, to, description] = typed.map(Option::unwrap_or_default);
        let mut errors = Vec::new();
        let clean_title = validation::title(&title)
            .map_err(|p| errors.push(("title", p)))
            .unwrap_or_default();
        let clean_city = validation::title(&city)
            .map_err(|p| errors.push(("city", p)))
            .unwrap_or_default();
        let first = validation::year(&from).map_err(|p| errors.push(("period_from", p)));
        let last = validation::year(&to).map_err(|p| errors.push(("period_to", p)));
        if let (Ok(first), Ok(last)) = (first, last)
            && last < first
        {
            errors.push(("period_to", Problem::EndsBeforeStart));
        }
        let clean_description = validation::optional_text(&description, MAX_TEXT_CHARS)
            .map_err(|p| errors.push(("description", p)))
            .unwrap_or_default();
        if !errors.is_empty() {
            return Err(AppError::rejected(form, errors).with_typed([
                ("title", &*title),
                ("city", &*city),
                ("period_from", &*from),
                ("period_to", &*to),
                ("description", &*description),
            ]));
        }
        let period = first
            .ok()
            .zip(last.ok())
            .map(|(from, to)| Period { from, to });
        Ok((
            clean_title,
            About {
                city: Some(clean_city),
                period,
                description: clean_description,
            },
        ))
    }

    pub async fn edit_builds_on(
        state: &crate::state::AppState,
        caller: &Caller,
        field_id: i64,
        op: Option<String>,
        index: Option<usize>,
        item: Option<String>,
        was: Option<String>,
    ) -> Result<(), AppError> {
        let current = state
            .store
            .builds_on(field_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let form = match (op.as_deref(), index) {
            (Some("add"), _) => format!("builds-on-{field_id}-new"),
            (_, Some(i)) => format!("builds-on-{field_id}-{i}"),
            _ => format!("builds-on-{field_id}"),
        };
        let meanwhile = || {
            AppError::rejected(&form, vec![("item", Problem::ChangedMeanwhile)])
                .with_typed([("item", item.as_deref().unwrap_or(""))])
        };
        // The entry the form showed must still be where it was.
        let at = |i: Option<usize>| -> Result<usize, AppError> {
            let i = i.ok_or_else(|| AppError::BadRequest("index: missing".to_owned()))?;
            match current.get(i) {
                Some(entry) if Some(entry.as_str()) == was.as_deref() => Ok(i),
                _ => Err(meanwhile()),
            }
        };
        let checked_item = || {
            let typed = item.clone().unwrap_or_default();
            validation::title(&typed).map_err(|problem| {
                AppError::rejected(&form, vec![("item", problem)]).with_typed([("item", &*typed)])
            })
        };
        let mut list = current.clone();
        match op.as_deref() {
            Some("add") => list.push(checked_item()?),
            Some("save") => {
                let i = at(index)?;
                list[i] = checked_item()?;
            }
            Some("remove") => {
                let i = at(index)?;
                list.remove(i);
            }
            Some("up") => {
                let i = at(index)?;
                if i > 0 {
                    list.swap(i - 1, i);
                }
            }
            Some("down") => {
                let i = at(index)?;
                if i + 1 < list.len() {
                    list.swap(i, i + 1);
                }
            }
            other => return Err(AppError::BadRequest(format!("op: {other:?}"))),
        }
        if list.len() > MAX_BUILDS_ON {
            return Err(AppError::rejected(
                &form,
                vec![(
                    "item",
                    Problem::TooLarge {
                        max: MAX_BUILDS_ON as f64,
                    },
                )],
            ));
        }
        if list == current {
            return Ok(());
        }
        if state
            .store
            .set_builds_on(
                field_id,
                &current,
                &list,
                chrono::Utc::now(),
                &actor(caller),
            )
            .await?
        {
            Ok(())
        } else {
            Err(meanwhile())
        }
    }

    /// At most this many entries in a field's "builds on" list.
    const MAX_BUILDS_ON: usize = 100;

    pub fn title_and_text(
        form: &str,
        title: Option<String>,
        text: Option<String>,
    ) -> Result<(String, Option<String>), AppError> {
        let (title, text) = (title.unwrap_or_default(), text.unwrap_or_default());
        let mut errors = Vec::new();
        let clean_title = validation::title(&title)
            .map_err(|p| errors.push(("title", p)))
            .unwrap_or_default();
        let clean_text = validation::optional_text(&text, MAX_TEXT_CHARS)
            .map_err(|p| errors.push(("goal", p)))
            .unwrap_or_default();
        if errors.is_empty() {
            Ok((clean_title, clean_text))
        } else {
            Err(AppError::rejected(form, errors).with_typed([("title", &*title), ("goal", &*text)]))
        }
    }

    pub fn subgoal_fields(
        form: &str,
        title: Option<String>,
        owner: Option<String>,
        weight: Option<String>,
    ) -> Result<(String, Option<String>, f64), AppError> {
        let [title, owner, weight] = [title, owner, weight].map(Option::unwrap_or_default);
        let mut errors = Vec::new();
        let clean_title = validation::title(&title)
            .map_err(|p| errors.push(("title", p)))
            .unwrap_or_default();
        let clean_owner = validation::optional_text(&owner, MAX_TITLE_CHARS)
            .map_err(|p| errors.push(("owner", p)))
            .unwrap_or_default();
        let clean_weight = validation::weight_text(&weight)
            .map_err(|p| errors.push(("weight", p)))
            .unwrap_or(1.0);
        if errors.is_empty() {
            Ok((clean_title, clean_owner, clean_weight))
        } else {
            Err(AppError::rejected(form, errors).with_typed([
                ("title", &*title),
                ("owner", &*owner),
                ("weight", &*weight),
            ]))
        }
    }
}
