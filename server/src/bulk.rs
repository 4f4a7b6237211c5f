//! `meilenstein template` and `meilenstein update`: the bulk update from the shell, for the
//! CDO office's scripts. The same template, preview and rules as the browser's: `update`
//! prints what every row would do and writes all of it in one transaction, or nothing (exit
//! status 1 when a row is refused).

use app::{
    audit::Actor,
    components::bulk::{file_problem_text, issue_text},
    components::milestone_form::field_label,
    domain::{
        access::Account,
        bulk::{Outcome, Tally, differences},
    },
    i18n::Locale,
    server_fns::bulk::ssr,
    store::{BulkOutcome, Store},
};
use server::{
    spreadsheet_files,
    templates::{self, Scope},
};
use std::io::{IsTerminal, Read, Write};

async fn open(db: &str) -> Result<Store, String> {
    Store::open_existing(db).await.map_err(|e| e.to_string())
}

async fn account(store: &Store, login: &str) -> Result<Account, String> {
    store
        .account_by_login(login)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("--as: no active account {login}"))
}

/// Writes the template of the milestones `login` may change (in `scope`) to standard output.
pub async fn template(
    db: &str,
    login: &str,
    scope: Scope,
    format: &str,
    locale: Locale,
) -> Result<(), String> {
    let store = open(db).await?;
    let account = account(&store, login).await?;
    let rows = templates::rows(&store, &account, scope)
        .await
        .map_err(|e| match e {
            app::error::AppError::NotFound => match scope {
                Scope::Subgoal(id) => format!("--subgoal: no sub-goal {id}"),
                Scope::Need(id) => format!("--need: no need {id}"),
                Scope::Strategy(id) => format!("--strategy: no strategy {id}"),
                Scope::All => "nothing found".to_owned(),
            },
            other => other.to_string(),
        })?;
    let bytes = match format {
        "csv" => templates::csv(locale, &rows),
        _ => templates::xlsx(locale, &rows).map_err(|e| e.to_string())?,
    };
    std::io::stdout()
        .write_all(&bytes)
        .map_err(|e| format!("standard output: {e}"))
}

/// Reads `file` (or standard input for `-`), prints what each row would do, and (unless
/// `dry_run`) applies it as `login`. Ok(false) when nothing was written because of a refusal.
pub async fn update(
    db: &str,
    file: &str,
    login: &str,
    dry_run: bool,
    locale: Locale,
) -> Result<bool, String> {
    let store = open(db).await?;
    let account = account(&store, login).await?;
    let mut bytes = Vec::new();
    let name = if file == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("standard input: {e}"))?;
        "stdin".to_owned()
    } else {
        bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
        std::path::Path::new(file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.to_owned())
    };
    let table = spreadsheet_files::read(&bytes)
        .map_err(|problem| format!("{file}: {}", file_problem_text(locale, &problem)))?;
    let (rows, _) = ssr::planned(&store, &account, &table)
        .await
        .map_err(|e| e.to_string())?
        .map_err(|problem| format!("{file}: {}", file_problem_text(locale, &problem)))?;
    let mut out = std::io::stdout().lock();
    let line = |out: &mut std::io::StdoutLock<'_>, text: String| {
        let _ = writeln!(out, "{text}");
    };
    for row in &rows {
        let what = match &row.outcome {
            Outcome::New { subgoal_id, data } => {
                format!(
                    "new in sub-goal {subgoal_id}: {:?}, due {}",
                    data.title, data.due
                )
            }
            Outcome::Changed {
                id, before, after, ..
            } => {
                let changes: Vec<String> = differences(before, after)
                    .into_iter()
                    .map(|(field, old, new)| {
                        format!("{} {old:?} → {new:?}", field_label(locale, field))
                    })
                    .collect();
                format!("changed {id} {:?}: {}", row.title, changes.join("; "))
            }
            Outcome::Unchanged { id } => format!("unchanged {id} {:?}", row.title),
            Outcome::Refused(problems) => {
                let problems: Vec<String> = problems
                    .iter()
                    .map(|p| match p.column {
                        Some(column) => format!(
                            "{}: {}",
                            column.header(locale == Locale::de),
                            issue_text(locale, &p.issue)
                        ),
                        None => issue_text(locale, &p.issue),
                    })
                    .collect();
                format!("refused {:?}: {}", row.title, problems.join("; "))
            }
        };
        line(&mut out, format!("row {}: {what}", row.line));
    }
    let tally = Tally::of(&rows);
    line(
        &mut out,
        format!(
            "{} new, {} changed, {} unchanged, {} refused",
            tally.new, tally.changed, tally.unchanged, tally.refused
        ),
    );
    if tally.refused > 0 {
        line(&mut out, "nothing written: a row is refused".to_owned());
        return Ok(false);
    }
    if dry_run || !tally.applicable() {
        line(&mut out, "nothing written".to_owned());
        return Ok(true);
    }
    drop(out);
    let total = (tally.new + tally.changed) as u64;
    // A progress bar on standard error, where one is seen (not in a pipe or a log).
    let bar = if std::io::stderr().is_terminal() && total >= 100 {
        indicatif::ProgressBar::new(total)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let actor = Actor {
        id: Some(account.id),
        name: account.login.clone(),
    };
    let shown = bar.clone();
    let outcome = store
        .apply_bulk(
            &ssr::changes(&rows),
            &name,
            chrono::Utc::now(),
            &actor,
            &move |n| shown.set_position(n as u64),
        )
        .await
        .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    match outcome {
        BulkOutcome::Applied { new, changed } => {
            println!("written: {new} new, {changed} changed");
            Ok(true)
        }
        BulkOutcome::Conflict(id) => {
            println!("nothing written: milestone {id} was changed meanwhile");
            Ok(false)
        }
    }
}
