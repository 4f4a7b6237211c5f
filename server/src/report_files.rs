//! A report's files: the PDF for the council paper and the Excel workbook, made from the one
//! frozen report (`server_fns::reports::ssr::frozen`) that its pages and slides show.
//!
//! A file is made on demand and kept: a report never changes, so neither do its files, until
//! a report of the strategy is made or withdrawn (which can change what a report is compared
//! with). At most [`MAKING_AT_ONCE`] files are made at once, on the blocking pool, and at most
//! [`KEPT`] are kept, so what a reader can make the server do is bounded.

pub mod pdf;
mod typeset;
pub mod xlsx;

use app::{
    domain::report::Snapshot,
    error::AppError,
    i18n::Locale,
    server_fns::reports::{ReportPage, ssr},
    state::Clock,
    store::Store,
};
use bytes::Bytes;
use std::sync::Mutex;

pub const MAKING_AT_ONCE: usize = 2;
pub const KEPT: usize = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Xlsx,
}

impl Kind {
    /// `report.pdf`, `report.xlsx`: the last part of its address.
    pub fn parse(file: &str) -> Option<Kind> {
        match file {
            "report.pdf" => Some(Kind::Pdf),
            "report.xlsx" => Some(Kind::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// Lays out and writes the file (CPU only: run it on the blocking pool).
    pub fn write(
        self,
        page: &ReportPage,
        snapshot: &Snapshot,
        locale: Locale,
    ) -> Result<Vec<u8>, String> {
        match self {
            Kind::Pdf => pdf::write(page, locale),
            Kind::Xlsx => xlsx::write(page, snapshot, locale),
        }
    }
}

/// A report's file: its name (`report-7-2026-12-10.pdf`) and bytes.
pub struct File {
    pub name: String,
    pub bytes: Bytes,
}

/// What a kept file was made from: the report, the file, the language, and every report of
/// the store with whether it was withdrawn (what the comparison depends on).
type Key = (i64, Kind, Locale, Vec<(i64, bool)>);

/// The kept files and the bound on making them.
pub struct Files {
    kept: Mutex<Vec<(Key, Bytes)>>,
    making: tokio::sync::Semaphore,
}

impl Default for Files {
    fn default() -> Self {
        Files {
            kept: Mutex::new(Vec::new()),
            making: tokio::sync::Semaphore::new(MAKING_AT_ONCE),
        }
    }
}

impl Files {
    /// The file of report `id`, kept or made now.
    pub async fn get(
        &self,
        store: &Store,
        clock: &Clock,
        id: i64,
        kind: Kind,
        locale: Locale,
    ) -> Result<File, AppError> {
        let reports = store.reports(None).await?;
        let header = reports
            .iter()
            .find(|r| r.id == id)
            .ok_or(AppError::NotFound)?;
        let name = format!("report-{}-{}.{}", id, header.stichtag, kind.extension());
        let key: Key = (
            id,
            kind,
            locale,
            reports
                .iter()
                .map(|r| (r.id, r.withdrawn_at.is_some()))
                .collect(),
        );
        if let Some(bytes) = self.kept(&key) {
            return Ok(File { name, bytes });
        }
        let _turn = self
            .making
            .acquire()
            .await
            .map_err(|_| AppError::Internal)?;
        // Another request may have made it while this one waited.
        if let Some(bytes) = self.kept(&key) {
            return Ok(File { name, bytes });
        }
        let bytes = Bytes::from(make(store, clock, id, kind, locale).await?);
        if let Ok(mut kept) = self.kept.lock() {
            if kept.len() >= KEPT {
                kept.remove(0);
            }
            kept.push((key, bytes.clone()));
        }
        Ok(File { name, bytes })
    }

    fn kept(&self, key: &Key) -> Option<Bytes> {
        let kept = self.kept.lock().ok()?;
        kept.iter().find(|(k, _)| k == key).map(|(_, b)| b.clone())
    }
}

/// Makes a report's file, not kept (the command line's way).
pub async fn make(
    store: &Store,
    clock: &Clock,
    id: i64,
    kind: Kind,
    locale: Locale,
) -> Result<Vec<u8>, AppError> {
    let (page, snapshot) = ssr::frozen(store, clock, id, None, locale).await?;
    tokio::task::spawn_blocking(move || kind.write(&page, &snapshot, locale))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|error| {
            tracing::error!(%error, id, ?kind, "report file failed");
            AppError::Internal
        })
}
