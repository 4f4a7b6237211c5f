//! `meilenstein`: serve the app, import and export strategy documents, manage accounts.

mod bulk;
mod reports;
mod users;

use app::{
    audit::{self, Actor},
    domain::document,
    state::{AppParts, AppState, Clock, Config},
    store::{SessionLimits, Store, demo},
};
use axum::serve::Listener;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use leptos::config::{Env, LeptosOptions};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::ExitCode,
};

/// Meilenstein: milestones and progress of a city's digital strategy.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app. A new database gets the Mainz demo strategy unless --no-demo is given.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
        /// The database: a SQLite file (created if missing), or a PostgreSQL URL
        /// (postgres://user@host/db; the database must exist).
        #[arg(long, env = "DATABASE_URL", default_value = "meilenstein.db")]
        db: String,
        /// Start a new database empty instead of with the demo strategy.
        #[arg(long)]
        no_demo: bool,
        /// Folder with the built site files (pkg/, favicon …). Default: the `site` folder next
        /// to the binary's folder (as cargo-leptos builds it), else ./target/site.
        #[arg(long, env = "LEPTOS_SITE_ROOT")]
        site_root: Option<PathBuf>,
        /// Treat this date as today (for demonstrations and tests), as YYYY-MM-DD.
        #[arg(long, env = "MEILENSTEIN_TODAY", value_parser = parse_date)]
        today: Option<NaiveDate>,
        /// The address browsers use, e.g. https://meilenstein.mainz.de (behind a TLS proxy).
        /// With https, the session cookie is Secure and HSTS is sent; changes from any other
        /// origin are refused.
        #[arg(long, env = "MEILENSTEIN_PUBLIC_URL", value_parser = parse_origin)]
        public_url: Option<String>,
        /// The mail server for reminders (with --public-url, for the links in them).
        #[command(flatten)]
        smtp: server::reminders::SmtpArgs,
    },
    /// Today's reminders by e-mail: printed with --dry-run, else queued and sent now (what
    /// `serve` does once a day at the set hour; see `setting reminder-hour`).
    Remind {
        /// Print who would get what; send and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The address browsers use, for the links in the reminders.
        #[arg(long, env = "MEILENSTEIN_PUBLIC_URL", value_parser = parse_origin)]
        public_url: Option<String>,
        /// Treat this date as today, as YYYY-MM-DD.
        #[arg(long, env = "MEILENSTEIN_TODAY", value_parser = parse_date)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        smtp: server::reminders::SmtpArgs,
        #[arg(long, env = "DATABASE_URL", default_value = "meilenstein.db")]
        db: String,
    },
    /// Manage user accounts (passwords are read from the terminal or standard input).
    User {
        #[command(subcommand)]
        command: UserCommand,
        /// The database: a SQLite file or a postgres:// URL.
        #[arg(
            long,
            env = "DATABASE_URL",
            default_value = "meilenstein.db",
            global = true
        )]
        db: String,
    },
    /// Check the audit trail: every entry unchanged and in place (exit status 1 if not).
    Audit {
        #[arg(value_parser = ["verify"])]
        check: String,
        /// The database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "DATABASE_URL", default_value = "meilenstein.db")]
        db: String,
    },
    /// Change a setting.
    Setting {
        /// public-read (on|off): whether people who are not signed in may read the strategy;
        /// embed-origins: the sites whose pages may show the widgets (/embed/), e.g.
        /// "https://www.mainz.de https://*.mainz.de", or "" for none;
        /// report-grace-days (0–90): the days after a reporting period's end until its report
        /// is late (14 unless set).
        #[arg(value_parser = ["public-read", "embed-origins", "report-grace-days", "reminder-days-before", "reminder-hour"])]
        name: String,
        value: String,
        /// The database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "DATABASE_URL", default_value = "meilenstein.db")]
        db: String,
    },
    /// Add the strategy in a strategy document (format meilenstein/1) to the database,
    /// creating the database if needed. A bad document is refused whole.
    Import {
        /// The document, or - for standard input.
        file: PathBuf,
        /// The database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "DATABASE_URL", default_value = "meilenstein.db")]
        db: String,
    },
    /// Fill a new database with invented data for benchmarks and load tests: 5 fields × 6
    /// needs × 5 sub-goals, the given number of milestones over six years, each with a history
    /// of changes, and the demo accounts.
    Demo {
        /// How many milestones.
        #[arg(long, default_value_t = 2_500, value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
        scale: u32,
        /// How many versions each milestone has (its history).
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=100))]
        changes: u32,
        /// The database (a SQLite file or a postgres:// URL); it must not hold a strategy yet.
        #[arg(long, env = "DATABASE_URL")]
        db: String,
    },
    /// Copy a database consistently while the app may be running. SQLite: a copy of the file
    /// (VACUUM INTO), checked; to restore, stop the server, replace the database file with the
    /// copy (and remove the `-wal` and `-shm` files beside it), start the server. PostgreSQL:
    /// `pg_dump --format=custom` (needs the PostgreSQL client tools), checked with
    /// `pg_restore --list`; to restore, `pg_restore --dbname=URL FILE` into a new, empty database.
    /// Move a city's whole database into a new, empty one, on either engine (SQLite to
    /// PostgreSQL, say): strategies, history, revisions, baselines, indicators, reports,
    /// accounts and the audit trail with its hash chain, ids kept; sessions stay behind (everyone
    /// signs in again). Stop the server first: what is written after the move began stays
    /// behind too. Prints the rows per table on both sides and checks the moved audit trail.
    MoveDb {
        /// The database to move from: a SQLite file or a postgres:// URL.
        #[arg(long)]
        from: String,
        /// The database to move into: a new SQLite file, or an empty PostgreSQL database.
        #[arg(long)]
        to: String,
    },
    Backup {
        /// The database to copy.
        #[arg(long, env = "DATABASE_URL", default_value = "meilenstein.db")]
        db: String,
        /// The new file to write; an existing file is not overwritten.
        #[arg(long)]
        to: PathBuf,
    },
    /// Reports to the council: a strategy frozen on a cut-off day (Stichtag).
    Report {
        #[command(subcommand)]
        command: ReportCommand,
        /// The database: a SQLite file or a postgres:// URL.
        #[arg(
            long,
            env = "DATABASE_URL",
            default_value = "meilenstein.db",
            global = true
        )]
        db: String,
        /// Treat this date as today (for the default Stichtag and "overdue"), as YYYY-MM-DD.
        #[arg(long, env = "MEILENSTEIN_TODAY", value_parser = parse_date, global = true)]
        today: Option<NaiveDate>,
    },
    /// Write the bulk-update template to standard output: the milestones an account may
    /// change (an owner's sub-goals; an admin: all), with their numbers and versions.
    Template {
        /// The account (login name) the template is for.
        #[arg(long = "as")]
        login: String,
        /// Only this sub-goal's milestones.
        #[arg(long)]
        subgoal: Option<i64>,
        /// Only this need's milestones.
        #[arg(long, conflicts_with = "subgoal")]
        need: Option<i64>,
        /// Only this strategy's milestones.
        #[arg(long, conflicts_with_all = ["subgoal", "need"])]
        strategy: Option<i64>,
        #[arg(long, value_parser = ["xlsx", "csv"], default_value = "xlsx")]
        format: String,
        /// The language of the headers, dates and status words.
        #[arg(long, value_parser = ["de", "en"], default_value = "de")]
        lang: String,
        /// The database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "DATABASE_URL", default_value = "meilenstein.db")]
        db: String,
    },
    /// Apply a changed template (XLSX or CSV; - for standard input) as an account: prints
    /// what every row does, then writes all of it in one transaction. Exit status 1 and
    /// nothing written when any row is refused.
    Update {
        file: String,
        /// The account (login name) the changes are made as.
        #[arg(long = "as")]
        login: String,
        /// Print what would be done, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The language the problems are named in.
        #[arg(long, value_parser = ["de", "en"], default_value = "en")]
        lang: String,
        /// The database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "DATABASE_URL", default_value = "meilenstein.db")]
        db: String,
    },
    /// Write a strategy as a strategy document to standard output.
    Export {
        /// The database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "DATABASE_URL", default_value = "meilenstein.db")]
        db: String,
        /// Which strategy; needed only when the database holds several.
        #[arg(long)]
        strategy: Option<i64>,
        /// Treat this date as today when marking milestones overdue, as YYYY-MM-DD.
        #[arg(long, env = "MEILENSTEIN_TODAY", value_parser = parse_date)]
        today: Option<NaiveDate>,
        /// The strategy as Meilenstein showed it at the end of this day (YYYY-MM-DD, not after
        /// today): what an export printed on that day.
        #[arg(long)]
        as_of: Option<String>,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Make a report: the strategy as it stood at the end of the Stichtag, frozen. Prints the
    /// new report's id.
    Create {
        /// The strategy's id.
        #[arg(long)]
        strategy: i64,
        /// The report's name, e.g. "Bericht an den Stadtrat, Sitzung 10.12.2026".
        #[arg(long)]
        name: String,
        /// The cut-off day, YYYY-MM-DD, not after today (default: today).
        #[arg(long)]
        stichtag: Option<String>,
        /// A foreword shown before the figures.
        #[arg(long)]
        foreword: Option<String>,
    },
    /// List every report: id, Stichtag, strategy, name, made when and by whom.
    List,
    /// Write a report's overview (per field and need) as CSV to standard output.
    Csv {
        id: i64,
        /// The language of headings and the CSV dialect (de: `;`, en: `,`).
        #[arg(long, default_value = "de")]
        lang: String,
    },
    /// Write a report as a tagged PDF (A4) to standard output, e.g. `> bericht.pdf`.
    Pdf {
        id: i64,
        /// The language it is written in: de or en.
        #[arg(long, default_value = "de")]
        lang: String,
    },
    /// Write a report as an Excel workbook (XLSX) to standard output.
    Xlsx {
        id: i64,
        /// The language it is written in: de or en.
        #[arg(long, default_value = "de")]
        lang: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is asked for (or read from standard input).
    Add {
        login: String,
        /// The name shown in the app.
        #[arg(long)]
        name: String,
        /// admin, owner or viewer.
        #[arg(long, value_parser = ["admin", "owner", "viewer"])]
        role: String,
        /// A sub-goal (by id) this owner answers for; repeat for several.
        #[arg(long = "subgoal")]
        subgoals: Vec<i64>,
        /// Where reminders go (none: no reminders).
        #[arg(long)]
        email: Option<String>,
        /// The language of the reminders: de or en.
        #[arg(long, value_parser = ["de", "en"], default_value = "de")]
        language: String,
    },
    /// Set where an account's reminders go and in which language (--email "" for none).
    Contact {
        login: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = ["de", "en"], default_value = "de")]
        language: String,
    },
    /// Set a new password (ends the user's sessions).
    Passwd { login: String },
    /// List all accounts.
    List,
    /// Deactivate an account (ends its sessions at once).
    Disable { login: String },
    /// Activate a deactivated account again.
    Enable { login: String },
}

/// The origin (scheme://host[:port]) of a public URL.
fn parse_origin(text: &str) -> Result<String, String> {
    let text = text.trim_end_matches('/');
    let (scheme, rest) = text
        .split_once("://")
        .ok_or_else(|| "expected a URL such as https://meilenstein.example.org".to_owned())?;
    if !matches!(scheme, "http" | "https") || rest.is_empty() || rest.contains('/') {
        return Err("expected http(s)://host[:port] without a path".to_owned());
    }
    Ok(format!("{scheme}://{rest}"))
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    app::domain::validation::date(text).map_err(|problem| problem.to_string())
}

/// glibc's allocator raises its threshold for serving large blocks from fresh pages (mmap)
/// each time such a block is freed, up to 32 MB: after a while every rendered page (tens to
/// hundreds of kB) comes from the heap, whose freed space stays with the process. Fixing the
/// threshold at its start value keeps those pages out of the heap and gives them back when
/// sent (2,500 milestones, load with writes: 66 → 53 MB RSS after it; see PERFORMANCE.md).
fn keep_heap_small() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        // Two heaps instead of up to eight per core: the runtime's workers and the database's
        // threads each kept freed memory in a heap of their own. At 100,000 milestones the
        // server held 135 MB after the load with writes, 96 MB with two (docs/PERFORMANCE.md).
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// How often the server looks at how much memory it holds.
const TRIM_CHECK: std::time::Duration = std::time::Duration::from_secs(1);
/// Growth of the resident memory since the heaps were last trimmed above which they are
/// trimmed again, as a part of what it was then (1/32: 10 MB at 320 MB)...
const TRIM_AFTER_PART: u64 = 32;
/// ...and at least this much.
const TRIM_AFTER_AT_LEAST: u64 = 4 << 20;

/// Gives the memory the heaps hold free back to the system when the server's resident memory
/// grew by more than a part of it ([`TRIM_AFTER_PART`]) since the last time, looked at every
/// [`TRIM_CHECK`] on a thread of its own (it sleeps in between). Under the load with writes
/// the two heaps keep space freed between the pieces still in use (rendered pages, answers
/// under way): at 100,000 milestones after that load, 104 MB RSS, 86 MB once trimmed
/// (docs/PERFORMANCE.md). What is looked at is the kernel's count (`/proc/self/statm`), not
/// the allocator's: asking the allocator, and trimming, walk its free lists under its locks,
/// which at 1,000,000 milestones held every other thread up for a tenth of a second each
/// time; trimming whenever the heaps held 8 MB free did so every second (trimming leaves the
/// count of free memory as it is). So only memory that piles up is trimmed, and the larger
/// the heaps (the longer a trim takes), the more must pile up.
fn trim_heap_now_and_then() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    std::thread::Builder::new()
        .name("trim".to_owned())
        .spawn(|| {
            let Some(mut trimmed_at) = resident_bytes() else {
                tracing::warn!("the heap will not be trimmed: /proc/self/statm is not readable");
                return;
            };
            loop {
                std::thread::sleep(TRIM_CHECK);
                let Some(now) = resident_bytes() else { return };
                let growth = (trimmed_at / TRIM_AFTER_PART).max(TRIM_AFTER_AT_LEAST);
                if now > trimmed_at + growth {
                    let started = std::time::Instant::now();
                    // SAFETY: malloc_trim returns the heaps' free memory to the system under
                    // their own locks.
                    unsafe { libc::malloc_trim(0) };
                    trimmed_at = resident_bytes().unwrap_or(now);
                    tracing::debug!(
                        before_mb = now >> 20,
                        after_mb = trimmed_at >> 20,
                        took_ms = started.elapsed().as_secs_f64() * 1000.0,
                        "heap trimmed"
                    );
                }
            }
        })
        .map(drop)
        .unwrap_or_else(|error| tracing::warn!("the heap will not be trimmed: {error}"));
}

/// The server's resident memory in bytes, as the kernel counts it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf only reads a constant of the system.
    let page_size = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()?;
    Some(pages * page_size)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    keep_heap_small();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Serve {
            addr,
            db,
            no_demo,
            site_root,
            today,
            public_url,
            smtp,
        } => serve(addr, &db, no_demo, site_root, today, public_url, smtp).await,
        Command::Remind {
            dry_run,
            public_url,
            today,
            smtp,
            db,
        } => {
            let clock = Clock { fixed_today: today };
            server::reminders::run(&db, &smtp, public_url.as_deref(), dry_run, clock).await
        }
        Command::User { command, db } => users::run(command, &db).await,
        Command::Report { command, db, today } => {
            reports::run(command, &db, Clock { fixed_today: today }).await
        }
        Command::Audit { check: _, db } => verify_audit(&db).await,
        Command::Template {
            login,
            subgoal,
            need,
            strategy,
            format,
            lang,
            db,
        } => {
            use server::templates::Scope;
            let scope = match (subgoal, need, strategy) {
                (Some(id), _, _) => Scope::Subgoal(id),
                (_, Some(id), _) => Scope::Need(id),
                (_, _, Some(id)) => Scope::Strategy(id),
                _ => Scope::All,
            };
            let locale = app::i18n::Locale::parse(&lang).unwrap_or(app::i18n::Locale::de);
            bulk::template(&db, &login, scope, &format, locale).await
        }
        Command::Update {
            file,
            login,
            dry_run,
            lang,
            db,
        } => {
            let locale = app::i18n::Locale::parse(&lang).unwrap_or(app::i18n::Locale::en);
            match bulk::update(&db, &file, &login, dry_run, locale).await? {
                true => Ok(()),
                false => Err("nothing was written".to_owned()),
            }
        }
        Command::Setting { name, value, db } => {
            let store = Store::open(&db).await.map_err(|e| e.to_string())?;
            let (key, value) = match name.as_str() {
                "public-read" if value == "on" || value == "off" => {
                    (app::store::PUBLIC_READ, value)
                }
                "public-read" => return Err(format!("public-read {value:?}: expected on or off")),
                "embed-origins" => (
                    app::store::EMBED_ORIGINS,
                    app::domain::validation::origins(&value)
                        .map_err(|p| format!("embed-origins {value:?}: {p}"))?
                        .join(" "),
                ),
                "report-grace-days" => (
                    app::store::REPORT_GRACE_DAYS,
                    app::domain::validation::grace_days(&value)
                        .map_err(|p| format!("report-grace-days {value:?}: {p}"))?
                        .to_string(),
                ),
                "reminder-days-before" => (
                    app::store::REMINDER_DAYS_BEFORE,
                    app::domain::validation::reminder_days(&value)
                        .map_err(|p| format!("reminder-days-before {value:?}: {p}"))?
                        .to_string(),
                ),
                "reminder-hour" => (
                    app::store::REMINDER_HOUR,
                    app::domain::validation::hour(&value)
                        .map_err(|p| format!("reminder-hour {value:?}: {p}"))?
                        .to_string(),
                ),
                other => {
                    return Err(format!(
                        "unknown setting {other} (expected public-read, embed-origins, report-grace-days, reminder-days-before or reminder-hour)"
                    ));
                }
            };
            store
                .set_setting(key, &value, chrono::Utc::now(), &Actor::shell())
                .await
                .map_err(|e| e.to_string())?;
            println!("{name} = {value}");
            Ok(())
        }
        Command::Import { file, db } => import(&file, &db).await,
        Command::Demo { scale, changes, db } => {
            scale_demo(&db, scale as usize, changes as usize).await
        }
        Command::Backup { db, to } => backup(&db, &to).await,
        Command::MoveDb { from, to } => move_db(&from, &to).await,
        Command::Export {
            db,
            strategy,
            today,
            as_of,
        } => export(&db, strategy, today, as_of.as_deref()).await,
    }
}

async fn scale_demo(db: &str, milestones: usize, changes: usize) -> Result<(), String> {
    let store = Store::open(db).await.map_err(|e| e.to_string())?;
    if !store
        .strategies()
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        return Err(format!(
            "{db} already holds a strategy; scale data goes into a new database"
        ));
    }
    let started = std::time::Instant::now();
    let id = store
        .install_scale(milestones, changes, chrono::Utc::now())
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "strategy {id}: {milestones} milestones with {changes} versions each, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn move_db(from: &str, to: &str) -> Result<(), String> {
    if from == to {
        return Err("--from and --to name the same database".to_owned());
    }
    let source = Store::open_existing(from)
        .await
        .map_err(|e| format!("--from: {e}"))?;
    let new_file = app::store::is_missing(to);
    let outcome = async {
        let target = Store::open(to).await.map_err(|e| format!("--to: {e}"))?;
        let moved = source
            .move_into(&target, chrono::Utc::now())
            .await
            .map_err(|e| format!("nothing moved: {e}"))?;
        let verdict = audit::verify(&target.audit_entries().await.map_err(|e| e.to_string())?);
        target.pool().close().await;
        Ok::<_, String>((moved, verdict))
    }
    .await;
    let (moved, verdict) = match outcome {
        Ok(done) => done,
        Err(message) => {
            if new_file {
                // Nothing of a failed move is left behind: not even the new, empty file.
                let file = app::store::sqlite_file(to);
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
                }
            }
            return Err(message);
        }
    };
    println!("{:<22}{:>12}{:>12}", "table", "from", "to");
    for row in &moved {
        println!("{:<22}{:>12}{:>12}", row.table, row.source, row.target);
    }
    if let Some(row) = moved.iter().find(|row| row.source != row.target) {
        return Err(format!(
            "{}: {} rows in the source but {} in the target",
            row.table, row.source, row.target
        ));
    }
    match verdict {
        audit::Verdict::Intact { entries, head } => {
            println!(
                "audit trail intact on the target: {entries} entries (the last records the move), \
                 last hash {head}"
            );
            println!("sessions were not moved: everyone signs in again");
            Ok(())
        }
        audit::Verdict::Broken { id, reason } => Err(format!(
            "the moved audit trail does not verify: broken at entry {id}: {reason}"
        )),
    }
}

async fn backup(db: &str, to: &std::path::Path) -> Result<(), String> {
    let local = app::store::engine_of(db) == app::store::db::Engine::Sqlite;
    if app::store::is_missing(db) {
        return Err(format!("no database at {db}"));
    }
    if to.exists() {
        return Err(format!(
            "{} exists already; choose a new file",
            to.display()
        ));
    }
    let bytes = app::store::backup(db, &to.to_string_lossy())
        .await
        .map_err(|e| format!("backup failed: {e}"))?;
    let checked = if local {
        "integrity ok"
    } else {
        "archive readable (pg_restore --list)"
    };
    println!("{} written ({bytes} bytes), {checked}", to.display());
    Ok(())
}

/// Where the built site files are: next to the binary as cargo-leptos lays them out
/// (`target/release/meilenstein` → `target/site`), else `./target/site`.
fn default_site_root() -> PathBuf {
    let beside_binary = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent()?.parent().map(|dir| dir.join("site")));
    match beside_binary {
        Some(dir) if dir.join("pkg").is_dir() => dir,
        _ => PathBuf::from("target/site"),
    }
}

async fn serve(
    addr: SocketAddr,
    db: &str,
    no_demo: bool,
    site_root: Option<PathBuf>,
    today: Option<NaiveDate>,
    public_url: Option<String>,
    smtp: server::reminders::SmtpArgs,
) -> Result<(), String> {
    let smtp = smtp.smtp()?;
    if smtp.is_some() && public_url.is_none() {
        return Err("reminders link to the app: --smtp-host needs --public-url".to_owned());
    }
    let site_root = site_root.unwrap_or_else(default_site_root);
    if !site_root.join("pkg").is_dir() {
        tracing::warn!(
            "no site files under {}: pages work, but without styles and JavaScript \
             (build them with `make build`, or pass --site-root)",
            site_root.display()
        );
    }
    let store = Store::open(db).await.map_err(|e| e.to_string())?;
    trim_heap_now_and_then();
    let clock = Clock { fixed_today: today };
    if !no_demo
        && store
            .strategies()
            .await
            .map_err(|e| e.to_string())?
            .is_empty()
    {
        demo::install(&store, clock.today())
            .await
            .map_err(|e| format!("cannot store the demo: {e}"))?;
        tracing::info!("new database: filled with the Mainz demo strategy and demo accounts");
    }
    let leptos_options = LeptosOptions::builder()
        .output_name("meilenstein")
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(Env::PROD)
        .build();
    let config = Config {
        https: public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://")),
        public_origin: public_url,
        session: SessionLimits::default(),
    };
    match (smtp, &config.public_origin) {
        (Some(smtp), Some(public_url)) => {
            tracing::info!(host = %smtp.host, port = smtp.port, "reminders by e-mail are on");
            let reminders = server::reminders::Reminders {
                smtp,
                public_url: public_url.clone(),
            };
            server::reminders::spawn(store.clone(), reminders, clock);
        }
        _ => tracing::info!("reminders by e-mail are off (no --smtp-host)"),
    }
    let state = AppState::new(AppParts {
        leptos_options,
        store,
        clock,
        config,
        refusals: Default::default(),
        login_attempts: Default::default(),
        uploads: Default::default(),
        imports: Default::default(),
        structures: Default::default(),
        fields: Default::default(),
    });
    // Refused requests and failed logins are counted in memory and put on record once a
    // minute, one entry per caller (see `audit::Refusals`).
    let counted = state.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(audit::until_next_minute(chrono::Utc::now())).await;
            let written = counted
                .refusals
                .put_on_record(&counted.store, chrono::Utc::now(), false)
                .await;
            if let Err(error) = written {
                tracing::warn!(
                    ?error,
                    "refusals not yet on record; tried again next minute"
                );
            }
        }
    });
    // Past progress (the dashboard's chart over time) is rebuilt from the history once per
    // process; doing it now, in the background, spares the first visitor the wait.
    let warm = state.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        let today = warm.clock.today();
        for strategy in warm.store.strategies().await.unwrap_or_default() {
            let history = app::chart_views::ssr::progress_history(&warm, strategy.id, today).await;
            if let Err(error) = history {
                tracing::warn!(?error, "rebuilding past progress failed");
            }
        }
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            "past progress ready"
        );
    });
    let listener = server::listen(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr().unwrap_or(addr);
    tracing::info!("Meilenstein serves http://{bound}");
    axum::serve(
        listener,
        server::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(stopped())
    .await
    .map_err(|e| e.to_string())?;
    // What was counted since the last minute goes on record before the process ends.
    state
        .refusals
        .put_on_record(&state.store, chrono::Utc::now(), true)
        .await
        .map_err(|e| format!("refusals not put on record: {e}"))?;
    Ok(())
}

/// Ctrl-C or SIGTERM (how service managers stop a server).
async fn stopped() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("stopping");
}

async fn import(file: &Path, db: &str) -> Result<(), String> {
    let text = if file == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| format!("cannot read standard input: {e}"))?
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?
    };
    // Check the whole document before the database is touched.
    let strategy = document::parse(&text)
        .map_err(|errors| format!("{} refused, nothing imported:\n{errors}", file.display()))?;
    let store = Store::open(db).await.map_err(|e| e.to_string())?;
    let id = store
        .import(&strategy, chrono::Utc::now(), &Actor::shell())
        .await
        .map_err(|e| format!("cannot store the strategy: {e}"))?;
    let needs: Vec<_> = strategy.fields.iter().flat_map(|f| &f.needs).collect();
    let subgoals: Vec<_> = needs.iter().flat_map(|n| &n.subgoals).collect();
    let milestones: usize = subgoals.iter().map(|s| s.milestones.len()).sum();
    println!(
        "imported strategy {id} \"{}\": {} fields, {} needs, {} sub-goals, {milestones} milestones",
        strategy.title,
        strategy.fields.len(),
        needs.len(),
        subgoals.len(),
    );
    Ok(())
}

async fn export(
    db: &str,
    strategy: Option<i64>,
    today: Option<NaiveDate>,
    as_of: Option<&str>,
) -> Result<(), String> {
    let clock = Clock { fixed_today: today };
    let as_of = match as_of {
        None => None,
        Some(text) => Some(
            app::domain::validation::as_of(text, clock.today())
                .map_err(|problem| format!("--as-of {text:?}: {problem}"))?
                .ok_or_else(|| "--as-of: must not be empty (expected YYYY-MM-DD)".to_owned())?,
        ),
    };
    let store = Store::open_existing(db).await.map_err(|e| e.to_string())?;
    let id = match strategy {
        Some(id) => id,
        None => {
            let all = store.strategies().await.map_err(|e| e.to_string())?;
            match all.as_slice() {
                [] => return Err("the database holds no strategy".to_owned()),
                [only] => only.id,
                several => {
                    let list: Vec<String> = several
                        .iter()
                        .map(|s| format!("  {}  {}", s.id, s.title))
                        .collect();
                    return Err(format!(
                        "the database holds several strategies; choose one with --strategy ID:\n{}",
                        list.join("\n")
                    ));
                }
            }
        }
    };
    let strategy = store
        .strategy_with_archived(id, as_of.map(|day| clock.end_of(day)))
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no strategy with id {id}"))?;
    let day = as_of.unwrap_or_else(|| clock.today());
    // The same bytes as the download on the strategy's page.
    print!("{}", server::strategy_files::document_json(&strategy, day));
    Ok(())
}

async fn verify_audit(db: &str) -> Result<(), String> {
    let store = Store::open_existing(db).await.map_err(|e| e.to_string())?;
    let entries = store.audit_entries().await.map_err(|e| e.to_string())?;
    match audit::verify(&entries) {
        audit::Verdict::Intact { entries, head } => {
            println!("audit trail intact: {entries} entries, last hash {head}");
            Ok(())
        }
        audit::Verdict::Broken { id, reason } => {
            Err(format!("audit trail broken at entry {id}: {reason}"))
        }
    }
}
