//! The strategy tree as it is stored: strategy → fields of action → needs → sub-goals →
//! milestones. Every list keeps the order the city gave it.

use super::{Indicator, MilestoneData};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Strategy {
    pub id: i64,
    pub title: String,
    pub fields: Vec<Field>,
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
}

/// A need (Handlungsbedarf).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Need {
    pub id: i64,
    pub title: String,
    pub subgoals: Vec<SubGoal>,
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
