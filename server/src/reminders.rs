//! Reminders by e-mail (issue 15): each day at the set hour `serve` writes the day's digests
//! to the outbox (`store::reminders`, one per person and day at most) and hands what waits to
//! the mail server over SMTP (lettre, rustls), on a task of its own, each attempt bounded by a
//! timeout: a slow or failing mail server delays reminders, never a page or a save. A digest
//! the server did not take is tried again later (`domain::reminders::retry_after`).
//! `meilenstein remind` does the same once from the shell; `--dry-run` only prints.

use app::{
    domain::reminders as rule,
    error::AppError,
    state::Clock,
    store::{Outgoing, Store, Waiting},
};
use chrono::{DateTime, Days, NaiveDate, Timelike, Utc};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox,
        header::{ContentType, HeaderName, HeaderValue},
    },
    transport::smtp::authentication::Credentials,
};
use std::{path::PathBuf, time::Duration};

/// How the connection to the mail server is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (port 587); nothing is sent if the upgrade fails.
    Starttls,
    /// TLS from the start (port 465).
    Tls,
    /// No encryption (port 25): only for a mail server on the same machine or in tests.
    Plain,
}

/// The mail server, as `serve` and `remind` are given it. The password comes from the
/// environment (`MEILENSTEIN_SMTP_PASSWORD`) or a file, never from the database or a flag
/// (which any user of the machine could read in the process list).
#[derive(Clone, Debug, clap::Args)]
pub struct SmtpArgs {
    /// The mail server sending reminders (none: no reminders are sent).
    #[arg(long, env = "MEILENSTEIN_SMTP_HOST")]
    pub smtp_host: Option<String>,
    /// Its port (default: 587 for starttls, 465 for tls, 25 for plain).
    #[arg(long, env = "MEILENSTEIN_SMTP_PORT")]
    pub smtp_port: Option<u16>,
    #[arg(
        long,
        env = "MEILENSTEIN_SMTP_SECURITY",
        value_enum,
        default_value = "starttls"
    )]
    pub smtp_security: Security,
    /// The account on the mail server, if it asks for one.
    #[arg(long, env = "MEILENSTEIN_SMTP_USER")]
    pub smtp_user: Option<String>,
    /// A file holding the account's password (else MEILENSTEIN_SMTP_PASSWORD).
    #[arg(long, env = "MEILENSTEIN_SMTP_PASSWORD_FILE")]
    pub smtp_password_file: Option<PathBuf>,
    /// The sender of reminders, e.g. "Meilenstein <meilenstein@mainz.de>".
    #[arg(long, env = "MEILENSTEIN_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// Seconds one attempt may take before it counts as failed.
    #[arg(long, env = "MEILENSTEIN_SMTP_TIMEOUT", default_value_t = 30)]
    pub smtp_timeout: u64,
}

impl SmtpArgs {
    /// The mail server to send through, if one is given; a clear message for what is missing.
    pub fn smtp(&self) -> Result<Option<Smtp>, String> {
        let Some(host) = self.smtp_host.clone().filter(|h| !h.trim().is_empty()) else {
            return Ok(None);
        };
        let from = self
            .mail_from
            .as_deref()
            .ok_or("--mail-from (MEILENSTEIN_MAIL_FROM) is needed with --smtp-host")?;
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("--mail-from {from:?}: not an e-mail address ({e})"))?;
        let password = match (
            &self.smtp_password_file,
            std::env::var("MEILENSTEIN_SMTP_PASSWORD"),
        ) {
            (Some(file), _) => Some(
                std::fs::read_to_string(file)
                    .map_err(|e| format!("--smtp-password-file {}: {e}", file.display()))?
                    .trim_end_matches(['\r', '\n'])
                    .to_owned(),
            ),
            (None, Ok(password)) => Some(password),
            (None, Err(_)) => None,
        };
        let credentials = match (&self.smtp_user, password) {
            (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password)),
            (Some(_), None) => {
                return Err("--smtp-user needs a password: MEILENSTEIN_SMTP_PASSWORD or --smtp-password-file".to_owned());
            }
            (None, _) => None,
        };
        let port = self.smtp_port.unwrap_or(match self.smtp_security {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::Plain => 25,
        });
        Ok(Some(Smtp {
            host,
            port,
            security: self.smtp_security,
            credentials,
            from,
            timeout: Duration::from_secs(self.smtp_timeout.max(1)),
        }))
    }
}

/// A mail server to send through.
#[derive(Clone)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub security: Security,
    credentials: Option<Credentials>,
    pub from: Mailbox,
    pub timeout: Duration,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Smtp {
    /// A plain connection to a mail server on this machine (tests).
    pub fn local(port: u16, from: &str, timeout: Duration) -> Smtp {
        Smtp {
            host: "127.0.0.1".to_owned(),
            port,
            security: Security::Plain,
            credentials: None,
            from: from.parse().expect("a valid sender"),
            timeout,
        }
    }

    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        type Transport = AsyncSmtpTransport<Tokio1Executor>;
        let builder = match self.security {
            Security::Starttls => {
                Transport::starttls_relay(&self.host).map_err(|e| e.to_string())?
            }
            Security::Tls => Transport::relay(&self.host).map_err(|e| e.to_string())?,
            Security::Plain => Transport::builder_dangerous(&self.host),
        };
        let builder = builder.port(self.port).timeout(Some(self.timeout));
        Ok(match &self.credentials {
            Some(credentials) => builder.credentials(credentials.clone()).build(),
            None => builder.build(),
        })
    }

    fn message(&self, reminder: &Waiting) -> Result<Message, String> {
        let to: Mailbox = reminder
            .recipient
            .parse()
            .map_err(|e| format!("recipient {:?}: {e}", reminder.recipient))?;
        let domain = self.from.email.domain().to_owned();
        let header = |name: &'static str, value: &str| {
            HeaderValue::new(HeaderName::new_from_ascii_str(name), value.to_owned())
        };
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&reminder.subject)
            // The same id on every attempt: a server that got the first one can tell.
            .message_id(Some(format!(
                "<meilenstein-reminder-{}-{}@{domain}>",
                reminder.id, reminder.day
            )))
            .date_now()
            .raw_header(header("Content-Language", &reminder.language))
            // RFC 3834: written by a program; no out-of-office answers, please.
            .raw_header(header("Auto-Submitted", "auto-generated"))
            .header(ContentType::TEXT_PLAIN)
            .body(reminder.body.clone())
            .map_err(|e| e.to_string())
    }
}

/// The digests of `today`, worded, with links under `public_url`: for `--dry-run` and for the
/// outbox.
pub async fn plan(
    store: &Store,
    public_url: &str,
    today: NaiveDate,
) -> Result<Vec<Outgoing>, AppError> {
    let grace = store.grace_days().await?;
    let days_before = store.reminder_days_before().await?;
    let reporting = store.reporting(today).await?;
    let recipients = store.reminder_recipients().await?;
    // A period's deadline lies at most half a year and the grace days before today when its
    // lateness is reminded of; older keys need not be read.
    let since = today.checked_sub_days(Days::new(400)).unwrap_or(today);
    let (reminded, had_today) = store.reminded(since, today).await?;
    let standing = |id: i64| reporting.get(&id).map(|r| r.standing(grace, today));
    let digests = rule::plan(
        &recipients,
        standing,
        &reminded,
        &had_today,
        days_before,
        today,
    );
    Ok(digests
        .into_iter()
        .map(|digest| {
            let (subject, body) = app::reminder_mail::compose(&digest, public_url);
            Outgoing {
                user_id: digest.user_id,
                day: today,
                recipient: digest.email.clone(),
                language: digest.language,
                subject,
                body,
                keys: digest.lines.iter().map(|l| l.key).collect(),
            }
        })
        .collect())
}

/// Writes the digests of `today` to the outbox; returns how many.
pub async fn queue(
    store: &Store,
    public_url: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let digests = plan(store, public_url, today).await?;
    store.queue_reminders(&digests, now).await
}

/// What one delivery round did.
#[derive(Debug, Default)]
pub struct Delivery {
    pub sent: Vec<Waiting>,
    /// Not taken, with the mail server's answer; tried again later.
    pub failed: Vec<(Waiting, String)>,
}

/// At most this many digests are handed over in one round.
const ROUND: i64 = 200;

/// Hands the digests whose attempt has come to the mail server, one connection each. When the
/// server cannot be reached or answers "try later", the round stops (the others keep their
/// turn); a digest it refuses for good (a 5xx for its address) is noted and the round goes on.
pub async fn deliver(store: &Store, smtp: &Smtp, now: DateTime<Utc>) -> Result<Delivery, AppError> {
    let mut delivery = Delivery::default();
    let waiting = store.waiting_reminders(now, ROUND).await?;
    if waiting.is_empty() {
        return Ok(delivery);
    }
    let transport = match smtp.transport() {
        Ok(transport) => transport,
        Err(error) => {
            for reminder in waiting {
                store.reminder_failed(&reminder, &error, now).await?;
                delivery.failed.push((reminder, error.clone()));
            }
            return Ok(delivery);
        }
    };
    for reminder in waiting {
        let outcome = match smtp.message(&reminder) {
            // lettre bounds the connecting only; a server that takes the connection and then
            // says nothing is given the same time for the whole attempt.
            Ok(message) => {
                match tokio::time::timeout(smtp.timeout, transport.send(message)).await {
                    Ok(sent) => sent
                        .map(|_| ())
                        .map_err(|e| (e.is_permanent(), e.to_string())),
                    Err(_) => Err((
                        false,
                        format!(
                            "no answer from the mail server within {} s",
                            smtp.timeout.as_secs()
                        ),
                    )),
                }
            }
            Err(error) => Err((true, error)),
        };
        match outcome {
            Ok(()) => {
                store.reminder_sent(&reminder, Utc::now().max(now)).await?;
                delivery.sent.push(reminder);
            }
            Err((permanent, error)) => {
                tracing::warn!(to = %reminder.recipient, %error, "a reminder was not taken by the mail server");
                store.reminder_failed(&reminder, &error, now).await?;
                delivery.failed.push((reminder, error));
                if !permanent {
                    break;
                }
            }
        }
    }
    Ok(delivery)
}

/// How `serve` sends reminders.
#[derive(Clone, Debug)]
pub struct Reminders {
    pub smtp: Smtp,
    pub public_url: String,
}

/// How often `serve` looks whether the hour has come and what waits.
const TICK: Duration = Duration::from_secs(60);

/// Runs for as long as the server: at the set hour of each day the day's digests are queued,
/// and every minute what waits is handed to the mail server.
pub fn spawn(store: Store, reminders: Reminders, clock: Clock) {
    tokio::spawn(async move {
        let mut queued_on: Option<NaiveDate> = None;
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let today = clock.today();
            let hour = store.reminder_hour().await.unwrap_or(rule::DEFAULT_HOUR);
            if queued_on != Some(today) && chrono::Local::now().hour() >= hour {
                match queue(&store, &reminders.public_url, today, Utc::now()).await {
                    Ok(count) => {
                        queued_on = Some(today);
                        tracing::info!(count, %today, "reminders queued");
                    }
                    Err(error) => tracing::error!(%error, "reminders could not be queued"),
                }
            }
            match deliver(&store, &reminders.smtp, Utc::now()).await {
                Ok(delivery) if !delivery.sent.is_empty() || !delivery.failed.is_empty() => {
                    tracing::info!(
                        sent = delivery.sent.len(),
                        failed = delivery.failed.len(),
                        "reminders handed to the mail server"
                    )
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "reminders could not be delivered"),
            }
        }
    });
}

/// `meilenstein remind`: today's digests printed (`--dry-run`), or queued and sent now.
pub async fn run(
    db: &str,
    smtp: &SmtpArgs,
    public_url: Option<&str>,
    dry_run: bool,
    clock: Clock,
) -> Result<(), String> {
    let public_url = public_url.ok_or(
        "reminders link to the app: give --public-url https://… (or MEILENSTEIN_PUBLIC_URL)",
    )?;
    let smtp = smtp.smtp()?;
    let store = Store::open_existing(db).await.map_err(|e| e.to_string())?;
    let today = clock.today();
    if dry_run {
        let digests = plan(&store, public_url, today)
            .await
            .map_err(|e| e.to_string())?;
        println!("{} reminder(s) would be sent on {today}", digests.len());
        for digest in &digests {
            println!();
            println!(
                "To: {} ({})\nSubject: {}\n",
                digest.recipient,
                digest.language.as_str(),
                digest.subject
            );
            for line in digest.body.lines() {
                println!("    {line}");
            }
        }
        let outbox = store.outbox().await.map_err(|e| e.to_string())?;
        if outbox.waiting > 0 {
            println!(
                "\n{} earlier reminder(s) wait for the mail server",
                outbox.waiting
            );
        }
        return Ok(());
    }
    let smtp = smtp.ok_or("no mail server: give --smtp-host and --mail-from (or use --dry-run)")?;
    let now = Utc::now();
    let queued = queue(&store, public_url, today, now)
        .await
        .map_err(|e| e.to_string())?;
    let delivery = deliver(&store, &smtp, now)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "{queued} reminder(s) queued for {today}; {} sent",
        delivery.sent.len()
    );
    for reminder in &delivery.sent {
        println!("sent to {} ({})", reminder.recipient, reminder.login);
    }
    let outbox = store.outbox().await.map_err(|e| e.to_string())?;
    for (reminder, error) in &delivery.failed {
        println!("not sent to {}: {error}", reminder.recipient);
    }
    if delivery.failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} reminder(s) not taken by the mail server; {} wait and are tried again by the next run or `serve`",
            delivery.failed.len(),
            outbox.waiting
        ))
    }
}
