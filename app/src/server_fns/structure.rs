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
        domain::validation::{self, MAX_TEXT_CHARS, MAX_TITLE_CHARS},
    };

    pub fn actor(caller: &Caller) -> Actor {
        Actor::of(caller)
    }

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
