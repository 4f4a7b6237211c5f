//! `meilenstein report …`: reports to the council from the shell, for the CDO office's
//! scripts: made, listed, and written out as files (to standard output).

use crate::ReportCommand;
use app::{
    audit::Actor,
    domain::validation::{self, MAX_TEXT_CHARS},
    i18n::Locale,
    server_fns::reports::ssr,
    state::Clock,
    store::{NewReport, Store},
};
use server::report_files::{self, Kind};
use std::io::Write;

pub async fn run(command: ReportCommand, db: &str, clock: Clock) -> Result<(), String> {
    let store = Store::open_existing(db).await.map_err(|e| e.to_string())?;
    match command {
        ReportCommand::Create {
            strategy,
            name,
            stichtag,
            foreword,
        } => {
            let name = validation::title(&name).map_err(|p| format!("--name: {p}"))?;
            let day = match stichtag.as_deref() {
                None => clock.today(),
                Some(text) => validation::as_of(text, clock.today())
                    .map_err(|p| format!("--stichtag {text:?}: {p}"))?
                    .unwrap_or_else(|| clock.today()),
            };
            let foreword =
                validation::optional_text(foreword.as_deref().unwrap_or(""), MAX_TEXT_CHARS)
                    .map_err(|p| format!("--foreword: {p}"))?;
            let snapshot =
                ssr::snapshot(&store, &clock, strategy, day)
                    .await
                    .map_err(|e| match e {
                        app::error::AppError::NotFound => {
                            format!("--strategy: no strategy with id {strategy}")
                        }
                        other => other.to_string(),
                    })?;
            let id = store
                .create_report(
                    NewReport {
                        name: &name,
                        foreword: foreword.as_deref(),
                        snapshot: &snapshot,
                    },
                    chrono::Utc::now(),
                    &Actor::shell(),
                )
                .await
                .map_err(|e| e.to_string())?;
            println!("{id}");
            Ok(())
        }
        ReportCommand::List => {
            for report in store.reports(None).await.map_err(|e| e.to_string())? {
                let withdrawn = if report.withdrawn_at.is_some() {
                    "  (withdrawn)"
                } else {
                    ""
                };
                println!(
                    "{}\t{}\tstrategy {}\t{}\tmade {} by {}{withdrawn}",
                    report.id,
                    report.stichtag,
                    report.strategy_id,
                    report.name,
                    report.made_at.format("%Y-%m-%d %H:%M"),
                    report.made_by
                );
            }
            Ok(())
        }
        ReportCommand::Csv { id, lang } => {
            let locale = locale(&lang)?;
            let (_, snapshot) = store
                .report(id)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no report with id {id}"))?;
            std::io::stdout()
                .write_all(&ssr::overview_csv(locale, &snapshot))
                .map_err(|e| format!("cannot write: {e}"))
        }
        ReportCommand::Pdf { id, lang } => write_file(&store, &clock, id, Kind::Pdf, &lang).await,
        ReportCommand::Xlsx { id, lang } => write_file(&store, &clock, id, Kind::Xlsx, &lang).await,
    }
}

fn locale(lang: &str) -> Result<Locale, String> {
    Locale::ALL
        .into_iter()
        .find(|l| l.as_str() == lang)
        .ok_or_else(|| format!("--lang: unknown language {lang:?} (expected de or en)"))
}

/// A report's PDF or workbook to standard output.
async fn write_file(
    store: &Store,
    clock: &Clock,
    id: i64,
    kind: Kind,
    lang: &str,
) -> Result<(), String> {
    let locale = locale(lang)?;
    let bytes = report_files::make(store, clock, id, kind, locale)
        .await
        .map_err(|e| match e {
            app::error::AppError::NotFound => format!("no report with id {id}"),
            other => other.to_string(),
        })?;
    std::io::stdout()
        .write_all(&bytes)
        .map_err(|e| format!("cannot write: {e}"))
}
