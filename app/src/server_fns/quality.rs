//! `/quality` ("Datenqualität"): every sub-goal checked against the rules of
//! `domain::quality`, a score per department and per need, and the list of what to check,
//! each finding linked to where it is fixed. For everyone signed in.

use crate::{
    domain::quality::{Finding, Rule, Score, Subject},
    error::AppError,
    server_fns::strategy::Crumb,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QualityPage {
    /// The department asked for (`?department=`), if any: then only its sub-goals.
    pub department: Option<String>,
    pub departments: Vec<(String, Score)>,
    pub needs: Vec<(Crumb, Score)>,
    /// How many findings each rule has, in the rules' order.
    pub rules: Vec<(Rule, usize)>,
    pub findings: Vec<FindingView>,
    pub total: Score,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingView {
    pub finding: Finding,
    pub subgoal: String,
    pub department: Option<String>,
    /// Where it is fixed.
    pub href: String,
}

/// Where a finding is fixed: the milestone's card, the sub-goal's reports, its indicators, or
/// the sub-goal's plan.
pub fn fix_href(finding: &Finding) -> String {
    let page = format!("/subgoals/{}", finding.subgoal_id);
    match (finding.subject, finding.rule) {
        (Subject::Milestone(id), _) => format!("{page}#m{id}-title"),
        (Subject::Indicator(_), _) => format!("{page}#indicators-heading"),
        (Subject::Subgoal, Rule::ReportLate) => format!("{page}#reporting-heading"),
        (Subject::Subgoal, _) => format!("{page}#record-heading"),
    }
}

#[server(endpoint = "quality")]
pub async fn get_quality(department: Option<String>) -> Result<QualityPage, AppError> {
    let (state, _) = super::guard::signed_in("read the data quality").await?;
    let department = department
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty());
    ssr::page(&state, department).await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::{domain::quality, state::AppState};
    use std::collections::{HashMap, HashSet};

    pub async fn page(
        state: &AppState,
        department: Option<String>,
    ) -> Result<QualityPage, AppError> {
        let today = state.clock.today();
        let grace = state.store.grace_days().await?;
        let late: HashSet<i64> = state
            .store
            .reporting(today)
            .await?
            .into_iter()
            .filter(|(_, r)| r.standing(grace, today).is_late())
            .map(|(id, _)| id)
            .collect();
        let mut departments: Vec<(String, Score)> = Vec::new();
        let mut needs = Vec::new();
        let mut findings = Vec::new();
        let mut total = quality::Checked::default();
        for header in state.store.strategies().await? {
            let Some(strategy) = state.store.strategy(header.id).await? else {
                continue;
            };
            let titles: HashMap<i64, (&str, Option<&String>)> = strategy
                .fields
                .iter()
                .flat_map(|f| &f.needs)
                .flat_map(|n| &n.subgoals)
                .map(|s| (s.id, (s.title.as_str(), s.owner.as_ref())))
                .collect();
            let checked_parts = quality::of_strategy(&strategy, &late, today);
            for (name, checked) in checked_parts.departments {
                if department.as_ref().is_some_and(|d| *d != name) {
                    continue;
                }
                match departments.iter_mut().find(|(d, _)| *d == name) {
                    Some((_, score)) => {
                        score.passed += checked.score.passed;
                        score.checked += checked.score.checked;
                    }
                    None => departments.push((name, checked.score)),
                }
                for finding in &checked.findings {
                    let (subgoal, owner) = titles
                        .get(&finding.subgoal_id)
                        .copied()
                        .unwrap_or(("", None));
                    findings.push(FindingView {
                        href: fix_href(finding),
                        finding: finding.clone(),
                        subgoal: subgoal.to_owned(),
                        department: owner.cloned(),
                    });
                }
                total.add(checked.score, Vec::new());
            }
            if department.is_none() {
                for need in strategy.fields.iter().flat_map(|f| &f.needs) {
                    if let Some((_, checked)) =
                        checked_parts.needs.iter().find(|(id, _)| *id == need.id)
                    {
                        needs.push((
                            Crumb {
                                id: need.id,
                                title: need.title.clone(),
                            },
                            checked.score,
                        ));
                    }
                }
            }
        }
        departments.sort_by_key(|(d, _)| d.to_lowercase());
        let rules = Rule::ALL
            .iter()
            .map(|rule| {
                (
                    *rule,
                    findings.iter().filter(|f| f.finding.rule == *rule).count(),
                )
            })
            .collect();
        Ok(QualityPage {
            department,
            departments,
            needs,
            rules,
            findings,
            total: total.score,
        })
    }
}
