//! The strategy tree as it is stored: strategy → fields of action → needs → sub-goals →
//! milestones. Every list keeps the order the city gave it.

use super::{Indicator, MilestoneData};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Strategy {
    pub id: i64,
    pub title: String,
    /// City, period and description: what the strategy says about itself.
    #[serde(default)]
    pub about: About,
    pub fields: Vec<Field>,
}

/// What a strategy says about itself besides its title; all optional (documents made before
/// these existed have none), though the browser's form asks for city and period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct About {
    /// The city (or county, or Land) whose strategy it is.
    pub city: Option<String>,
    /// The years it runs, first and last (both included).
    pub period: Option<Period>,
    pub description: Option<String>,
}

/// The years a strategy runs: `from` to `to`, both included (`from <= to`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: i32,
    pub to: i32,
}

impl std::fmt::Display for Period {
    /// `2024–2030`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}–{}", self.from, self.to)
    }
}

impl Strategy {
    /// The strategy as today's pages and figures show it: without its archived fields, needs
    /// and sub-goals (see `Field::archived`). Past views are pruned the same way, by what was
    /// archived then.
    pub fn without_archived(mut self) -> Strategy {
        self.fields.retain(|f| !f.archived);
        self.fields = self
            .fields
            .into_iter()
            .map(Field::without_archived)
            .collect();
        self
    }

    /// Whether any part of the tree is archived.
    #[cfg(test)]
    pub fn has_archived(&self) -> bool {
        self.fields.iter().any(|f| {
            f.archived
                || f.needs
                    .iter()
                    .any(|n| n.archived || n.subgoals.iter().any(|s| s.archived))
        })
    }
}

impl Field {
    /// The field with its archived needs and sub-goals left out (whether or not it is archived
    /// itself): what its figures count.
    pub fn without_archived(mut self) -> Field {
        self.needs.retain(|n| !n.archived);
        self.needs = self.needs.into_iter().map(Need::without_archived).collect();
        self
    }
}

impl Need {
    /// The need with its archived sub-goals left out: what its figures count.
    pub fn without_archived(mut self) -> Need {
        self.subgoals.retain(|s| !s.archived);
        self
    }
}

fn is_false(value: &bool) -> bool {
    !value
}

/// A field of action (Handlungsfeld).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub id: i64,
    pub title: String,
    /// The strategic goal of the field.
    pub goal: Option<String>,
    /// Projects and activities the field builds on ("Worauf wir aufbauen").
    pub builds_on: Vec<String>,
    pub needs: Vec<Need>,
    /// Archived: kept with its history, left out of today's pages and figures (with
    /// everything in it) until it is restored. Only trees read for export carry archived
    /// parts; the ones pages are built from have none (`Strategy::without_archived`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub archived: bool,
}

/// A need (Handlungsbedarf).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Need {
    pub id: i64,
    pub title: String,
    pub subgoals: Vec<SubGoal>,
    /// Archived (see `Field::archived`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub archived: bool,
}

/// A sub-goal (Teilziel), owned by a department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubGoal {
    pub id: i64,
    pub title: String,
    pub owner: Option<String>,
    pub weight: f64,
    /// Shared between copies of the tree: a change to one sub-goal's milestones copies that
    /// sub-goal's list (`Arc::make_mut`), not every milestone of the strategy.
    pub milestones: Arc<Vec<Milestone>>,
    /// Its indicators (KPIs); one of them may measure its progress instead of the milestones.
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// Archived (see `Field::archived`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub archived: bool,
}

impl SubGoal {
    /// The indicator that measures this sub-goal's progress, if one does.
    pub fn measuring_indicator(&self) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.measures_progress)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub id: i64,
    /// Increases with every saved change; a save names the version it was based on.
    pub version: i64,
    /// Invented demo data, marked as such wherever it is shown.
    pub example: bool,
    pub data: MilestoneData,
}
