//! "Wer hat wann was geändert": the audit entries of a sub-goal and of a milestone, for anyone
//! signed in; and the admin's whole log.

use crate::{error::AppError, server_fns::strategy::Crumb};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An audit entry as the pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    /// Fields that changed, from what to what.
    pub changes: Vec<FieldChange>,
    /// Other details, as `key: value` text.
    pub details: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// What the history is of: the sub-goal, or the milestone.
    pub title: String,
    /// Where it belongs: the sub-goal's page.
    pub subgoal: Crumb,
    pub entries: Vec<AuditRow>,
}

/// The entries about a sub-goal and its milestones, newest first.
#[server(endpoint = "history/subgoal")]
pub async fn get_subgoal_history(id: i64) -> Result<History, AppError> {
    let (state, _) = super::guard::signed_in(&format!("read the history of sub-goal {id}")).await?;
    let title = ssr::subgoal_title(&state, id).await?;
    let entries = state.store.subgoal_history(id).await?;
    Ok(History {
        subgoal: Crumb {
            id,
            title: title.clone(),
        },
        title,
        entries: entries.iter().map(ssr::row).collect(),
    })
}

/// The entries about one milestone, newest first (also after it was deleted).
#[server(endpoint = "history/milestone")]
pub async fn get_milestone_history(id: i64) -> Result<History, AppError> {
    let (state, _) =
        super::guard::signed_in(&format!("read the history of milestone {id}")).await?;
    let entries = state.store.milestone_history(id).await?;
    let subgoal_id = entries
        .iter()
        .find_map(|e| e.subgoal_id)
        .ok_or(AppError::NotFound)?;
    let subgoal_title = ssr::subgoal_title(&state, subgoal_id).await?;
    let rows: Vec<AuditRow> = entries.iter().map(ssr::row).collect();
    // The newest title it had.
    let title = rows
        .iter()
        .find_map(|r| {
            r.changes
                .iter()
                .find(|c| c.field == "title" && !c.after.is_empty())
        })
        .map(|c| c.after.clone())
        .unwrap_or_else(|| format!("#{id}"));
    Ok(History {
        title,
        subgoal: Crumb {
            id: subgoal_id,
            title: subgoal_title,
        },
        entries: rows,
    })
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;
    use crate::{audit::Record, state::AppState};
    use serde_json::Value;

    pub async fn subgoal_title(state: &AppState, id: i64) -> Result<String, AppError> {
        state
            .store
            .subgoal_list()
            .await?
            .into_iter()
            .find(|(subgoal, _, _)| *subgoal == id)
            .map(|(_, _, title)| title)
            .ok_or(AppError::NotFound)
    }

    fn text(value: &Value) -> String {
        match value {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// Splits an entry's details into field changes (`{"field": [before, after]}`) and the rest.
    pub fn row(record: &Record) -> AuditRow {
        let details: Value = serde_json::from_str(&record.details).unwrap_or(Value::Null);
        let mut changes = Vec::new();
        let mut rest = Vec::new();
        if let Value::Object(map) = &details {
            for (key, value) in map {
                match value {
                    Value::Array(pair) if pair.len() == 2 => changes.push(FieldChange {
                        field: key.clone(),
                        before: text(&pair[0]),
                        after: text(&pair[1]),
                    }),
                    other => rest.push(format!("{key}: {}", text(other))),
                }
            }
        }
        AuditRow {
            id: record.id,
            at: record.at.clone(),
            actor: record.actor.clone(),
            action: record.action.clone(),
            object_type: record.object_type.clone(),
            object_id: record.object_id.clone(),
            changes,
            details: rest.join(", "),
        }
    }
}
