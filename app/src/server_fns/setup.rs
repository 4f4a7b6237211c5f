//! Setting up strategies in the browser (admins): the list of strategies, and importing a
//! strategy document. The upload itself is a server route (`POST /strategies/import`,
//! multipart): the file is read and kept under a token; its preview
//! (`/admin/strategies/import/:token`) shows what would be created, or every problem by its
//! path in the document; nothing is written until the admin confirms, then all in one
//! transaction.

use crate::{
    domain::{
        About,
        bulk::FileProblem,
        document::DocumentError,
        structure_sheet::{StructureRow, StructureTally},
    },
    error::AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What "Strategien verwalten" lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyEntry {
    pub id: i64,
    pub title: String,
    pub about: About,
}

/// What an uploaded strategy document would do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub token: String,
    /// The file's name as uploaded.
    pub file: String,
    pub outcome: ImportOutcome,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ImportOutcome {
    /// The document is refused: every problem, by its path.
    Refused(Vec<DocumentError>),
    /// The strategy it would create.
    Ready(ImportSummary),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub title: String,
    pub about: About,
    pub counts: ImportCounts,
    /// Each field of action with its needs' titles, in the document's order.
    pub fields: Vec<(String, Vec<String>)>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    pub fields: usize,
    pub needs: usize,
    pub subgoals: usize,
    pub milestones: usize,
    pub indicators: usize,
    /// Fields, needs and sub-goals marked archived.
    pub archived: usize,
}

/// What an uploaded structure sheet would do to its strategy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructurePreview {
    pub token: String,
    pub file: String,
    pub strategy_id: i64,
    pub strategy_title: String,
    /// Why the whole file is refused, if it is.
    pub problem: Option<FileProblem>,
    /// Every row but the empty ones, in the file's order.
    pub rows: Vec<StructureRow>,
    pub tally: StructureTally,
}

/// Every strategy, oldest first, for admins to open or to import another.
#[server(endpoint = "setup/strategies")]
pub async fn get_strategies() -> Result<Vec<StrategyEntry>, AppError> {
    let (state, _) = super::guard::administrable("list the strategies to manage").await?;
    let mut entries = Vec::new();
    for header in state.store.strategies().await? {
        if let Some(strategy) = state.store.strategy(header.id).await? {
            entries.push(StrategyEntry {
                id: strategy.id,
                title: strategy.title.clone(),
                about: strategy.about.clone(),
            });
        }
    }
    Ok(entries)
}

/// The preview of the caller's uploaded document `token`.
#[server(endpoint = "setup/import/preview")]
pub async fn get_import_preview(token: String) -> Result<ImportPreview, AppError> {
    let (state, caller) = super::guard::administrable("preview a strategy import").await?;
    let account = ssr::account(&caller)?;
    let upload = state
        .imports
        .get(account, &token)
        .ok_or(AppError::NotFound)?;
    let outcome = match &*upload.content {
        Ok(strategy) => ImportOutcome::Ready(ssr::summary(strategy)),
        Err(errors) => ImportOutcome::Refused(errors.0.clone()),
    };
    Ok(ImportPreview {
        token,
        file: upload.file,
        outcome,
    })
}

/// Imports the caller's uploaded document `token` as a new strategy and goes to its page.
#[server(endpoint = "setup/import/apply")]
pub async fn apply_import(token: String) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable("import a strategy").await?;
    let account = ssr::account(&caller)?;
    let upload = state
        .imports
        .get(account, &token)
        .ok_or(AppError::NotFound)?;
    let Ok(strategy) = &*upload.content else {
        return Err(AppError::BadRequest(
            "the document is refused; nothing to import".to_owned(),
        ));
    };
    let id = state
        .store
        .import(
            strategy,
            chrono::Utc::now(),
            &crate::audit::Actor::of(&caller),
        )
        .await?;
    state.imports.take(account, &token);
    leptos_axum::redirect(&format!("/strategies/{id}"));
    Ok(())
}

/// Forgets the caller's uploaded document `token` without importing it.
#[server(endpoint = "setup/import/discard")]
pub async fn discard_import(token: String) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable("discard a strategy import").await?;
    state.imports.take(ssr::account(&caller)?, &token);
    leptos_axum::redirect("/admin/strategies");
    Ok(())
}

/// The preview of the caller's uploaded structure sheet `token`.
#[server(endpoint = "setup/structure/preview")]
pub async fn get_structure_preview(token: String) -> Result<StructurePreview, AppError> {
    let (state, caller) = super::guard::administrable("preview a structure sheet").await?;
    ssr::structure_preview(&state, ssr::account(&caller)?, &token).await
}

/// Adds and changes what the caller's uploaded structure sheet `token` says, if no row is
/// refused (planned again against what is stored now), and goes to the strategy's page.
#[server(endpoint = "setup/structure/apply")]
pub async fn apply_structure(token: String) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable("apply a structure sheet").await?;
    let account = ssr::account(&caller)?;
    let preview = ssr::structure_preview(&state, account, &token).await?;
    if preview.problem.is_some() || !preview.tally.applicable() {
        return Err(AppError::rejected(
            "structure",
            vec![("rows", crate::domain::Problem::ChangedMeanwhile)],
        ));
    }
    state
        .store
        .apply_structure(
            preview.strategy_id,
            &preview.rows,
            &preview.file,
            chrono::Utc::now(),
            &crate::audit::Actor::of(&caller),
        )
        .await?;
    state.structures.take(account, &token);
    leptos_axum::redirect(&format!("/strategies/{}", preview.strategy_id));
    Ok(())
}

/// Forgets the caller's uploaded structure sheet `token`.
#[server(endpoint = "setup/structure/discard")]
pub async fn discard_structure(token: String) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable("discard a structure sheet").await?;
    let upload = state.structures.take(ssr::account(&caller)?, &token);
    match upload {
        Some(upload) => leptos_axum::redirect(&format!("/strategies/{}", upload.content.0)),
        None => leptos_axum::redirect("/admin/strategies"),
    }
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::{
        auth::Caller,
        domain::{Strategy, document::DocumentErrors},
    };
    use std::sync::Arc;

    /// A document is at most this large (a strategy with 2,500 milestones is about 1 MB).
    pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

    /// Uploaded strategy documents, read, until imported.
    pub type Imports = crate::uploads::Uploads<Arc<Result<Strategy, DocumentErrors>>>;

    /// Uploaded structure sheets: the strategy they are for and the file read as a table.
    pub type Structures =
        crate::uploads::Uploads<Arc<(i64, Result<crate::domain::bulk::Table, FileProblem>)>>;

    pub async fn structure_preview(
        state: &crate::state::AppState,
        account: i64,
        token: &str,
    ) -> Result<StructurePreview, AppError> {
        use crate::domain::structure_sheet::{StructureLayout, plan};
        let upload = state
            .structures
            .get(account, token)
            .ok_or(AppError::NotFound)?;
        let (strategy_id, table) = &*upload.content;
        let strategy = state
            .store
            .strategy_with_archived(*strategy_id, None)
            .await?
            .ok_or(AppError::NotFound)?;
        let planned = match table {
            Ok(table) => StructureLayout::of(&table.header)
                .map(|layout| plan(&layout, &table.rows, &strategy)),
            Err(problem) => Err(problem.clone()),
        };
        let (problem, rows) = match planned {
            Ok(rows) => (None, rows),
            Err(problem) => (Some(problem), Vec::new()),
        };
        Ok(StructurePreview {
            token: token.to_owned(),
            file: upload.file,
            strategy_id: *strategy_id,
            strategy_title: strategy.title.clone(),
            problem,
            tally: StructureTally::of(&rows),
            rows,
        })
    }

    pub fn account(caller: &Caller) -> Result<i64, AppError> {
        caller
            .account
            .as_ref()
            .map(|a| a.id)
            .ok_or(AppError::Unauthorized)
    }

    pub fn summary(strategy: &Strategy) -> ImportSummary {
        let mut counts = ImportCounts {
            fields: strategy.fields.len(),
            ..ImportCounts::default()
        };
        for field in &strategy.fields {
            counts.archived += usize::from(field.archived);
            counts.needs += field.needs.len();
            for need in &field.needs {
                counts.archived += usize::from(need.archived);
                counts.subgoals += need.subgoals.len();
                for subgoal in &need.subgoals {
                    counts.archived += usize::from(subgoal.archived);
                    counts.milestones += subgoal.milestones.len();
                    counts.indicators += subgoal.indicators.len();
                }
            }
        }
        ImportSummary {
            title: strategy.title.clone(),
            about: strategy.about.clone(),
            counts,
            fields: strategy
                .fields
                .iter()
                .map(|f| {
                    (
                        f.title.clone(),
                        f.needs.iter().map(|n| n.title.clone()).collect(),
                    )
                })
                .collect(),
        }
    }
}
