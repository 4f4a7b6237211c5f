//! The reminders' outbox (see `domain::reminders`): each day's digests are written in one
//! transaction with what they remind of, then handed to the mail server one by one; a digest
//! the server did not take waits for its next attempt. Only a sent digest goes on record in
//! the audit trail (which no page but the log shows: no kept page goes stale).

use super::db;
use super::{Reach, Store};
use crate::{
    audit::{self, Actor, Entry},
    domain::reminders::{self, Key, Kind, Owned, Recipient},
    error::AppError,
    i18n::Locale,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use std::collections::HashSet;

/// Days before an owner's report deadline that they are reminded (see `domain::reminders`).
pub const REMINDER_DAYS_BEFORE: &str = "reminder_days_before";
/// The hour `serve` sends the day's reminders at.
pub const REMINDER_HOUR: &str = "reminder_hour";

/// A digest written for sending: its address, language and words.
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    pub user_id: i64,
    pub day: NaiveDate,
    pub recipient: String,
    pub language: Locale,
    pub subject: String,
    pub body: String,
    pub keys: Vec<Key>,
}

/// A digest in the outbox, not yet taken by the mail server.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Waiting {
    pub id: i64,
    pub user_id: i64,
    pub login: String,
    pub day: NaiveDate,
    pub recipient: String,
    pub language: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// The outbox at a glance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Outbox {
    pub waiting: i64,
    pub sent: i64,
}

#[derive(sqlx::FromRow)]
struct OwnerRow {
    user_id: i64,
    login: String,
    display_name: String,
    email: String,
    language: String,
    subgoal_id: i64,
    title: String,
    need: String,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    user_id: i64,
    subgoal_id: i64,
    deadline: NaiveDate,
    kind: String,
    round: i64,
}

impl Store {
    /// Active accounts with an e-mail address and the sub-goals they own, in the strategy's
    /// order.
    pub async fn reminder_recipients(&self) -> Result<Vec<Recipient<Locale>>, AppError> {
        let rows: Vec<OwnerRow> = db::query_as(
            "SELECT u.id AS user_id, u.login, u.display_name, u.email, u.language,
                    s.id AS subgoal_id, s.title, n.title AS need
             FROM users u
             JOIN subgoal_owners o ON o.user_id = u.id
             JOIN subgoals s ON s.id = o.subgoal_id
             JOIN needs n ON n.id = s.need_id
             JOIN fields f ON f.id = n.field_id
             WHERE u.active AND u.email IS NOT NULL
               AND s.archived_at IS NULL AND n.archived_at IS NULL AND f.archived_at IS NULL
             ORDER BY u.id, f.strategy_id, f.position, n.position, s.position",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut recipients: Vec<Recipient<Locale>> = Vec::new();
        for row in rows {
            let owned = Owned {
                subgoal_id: row.subgoal_id,
                title: row.title,
                need: row.need,
            };
            match recipients.last_mut() {
                Some(last) if last.user_id == row.user_id => last.owned.push(owned),
                _ => recipients.push(Recipient {
                    user_id: row.user_id,
                    login: row.login,
                    name: row.display_name,
                    email: row.email,
                    language: Locale::parse(&row.language).unwrap_or_default(),
                    owned: vec![owned],
                }),
            }
        }
        Ok(recipients)
    }

    /// What has been reminded of for periods whose deadline is on or after `since`, and who
    /// has had a digest on `today`.
    pub async fn reminded(
        &self,
        since: NaiveDate,
        today: NaiveDate,
    ) -> Result<(HashSet<(i64, Key)>, HashSet<i64>), AppError> {
        let items: Vec<ItemRow> = db::query_as(
            "SELECT user_id, subgoal_id, deadline, kind, round FROM reminder_items
             WHERE deadline >= $1",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        let reminded = items
            .into_iter()
            .filter_map(|row| {
                let key = Key {
                    subgoal_id: row.subgoal_id,
                    deadline: row.deadline,
                    kind: Kind::parse(&row.kind)?,
                    round: row.round,
                };
                Some((row.user_id, key))
            })
            .collect();
        let had: Vec<i64> = db::query_scalar("SELECT user_id FROM reminders WHERE day = $1")
            .bind(today)
            .fetch_all(&self.pool)
            .await?;
        Ok((reminded, had.into_iter().collect()))
    }

    /// Puts digests in the outbox, in one transaction, each with what it reminds of. A person
    /// with a digest for that day already gets no second (its keys stay new for tomorrow).
    /// Returns how many were put in.
    pub async fn queue_reminders(
        &self,
        digests: &[Outgoing],
        now: DateTime<Utc>,
    ) -> Result<usize, AppError> {
        if digests.is_empty() {
            return Ok(0);
        }
        let mut turn = self.begin_write().await?;
        let mut queued = 0;
        for digest in digests {
            let id: Option<i64> = db::query_scalar(
                "INSERT INTO reminders
                     (user_id, day, recipient, language, subject, body, created_at, next_attempt)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
                 ON CONFLICT (user_id, day) DO NOTHING
                 RETURNING id",
            )
            .bind(digest.user_id)
            .bind(digest.day)
            .bind(&digest.recipient)
            .bind(digest.language.as_str())
            .bind(&digest.subject)
            .bind(&digest.body)
            .bind(now)
            .fetch_optional(turn.tx())
            .await?;
            let Some(id) = id else { continue };
            queued += 1;
            for key in &digest.keys {
                db::query(
                    "INSERT INTO reminder_items
                         (user_id, subgoal_id, deadline, kind, round, reminder_id)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (user_id, subgoal_id, deadline, kind, round) DO NOTHING",
                )
                .bind(digest.user_id)
                .bind(key.subgoal_id)
                .bind(key.deadline)
                .bind(key.kind.as_str())
                .bind(key.round)
                .bind(id)
                .execute(turn.tx())
                .await?;
            }
        }
        turn.commit(Reach::LogOnly).await?;
        Ok(queued)
    }

    /// Digests whose next attempt has come, the longest waiting first, at most `limit`.
    pub async fn waiting_reminders(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Waiting>, AppError> {
        Ok(db::query_as(
            "SELECT r.id, r.user_id, u.login, r.day, r.recipient, r.language, r.subject, r.body,
                    r.attempts
             FROM reminders r JOIN users u ON u.id = r.user_id
             WHERE r.sent_at IS NULL AND r.next_attempt <= $1
             ORDER BY r.next_attempt, r.id
             LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// How many digests wait and how many have been sent.
    pub async fn outbox(&self) -> Result<Outbox, AppError> {
        Ok(db::query_as(
            "SELECT COALESCE(COUNT(*) FILTER (WHERE sent_at IS NULL), 0) AS waiting,
                    COALESCE(COUNT(sent_at), 0) AS sent
             FROM reminders",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// Notes that the mail server took a digest, with its audit entry ("reminder.sent").
    pub async fn reminder_sent(
        &self,
        reminder: &Waiting,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let done = db::query(
            "UPDATE reminders SET sent_at = $1, attempts = attempts + 1, last_error = NULL
             WHERE id = $2 AND sent_at IS NULL",
        )
        .bind(now)
        .bind(reminder.id)
        .execute(turn.tx())
        .await?;
        if done.rows_affected() == 0 {
            return Ok(());
        }
        let items: Vec<(i64, String)> = db::query_as(
            "SELECT subgoal_id, kind FROM reminder_items WHERE reminder_id = $1
             ORDER BY subgoal_id",
        )
        .bind(reminder.id)
        .fetch_all(turn.tx())
        .await?;
        let of = |kind: &str| -> Vec<i64> {
            items
                .iter()
                .filter(|(_, k)| k == kind)
                .map(|(id, _)| *id)
                .collect()
        };
        let entry = Entry {
            actor: &Actor::system(),
            action: "reminder.sent",
            object_type: "user",
            object_id: Some(reminder.user_id.to_string()),
            subgoal_id: None,
            details: json!({
                "login": reminder.login,
                "to": reminder.recipient,
                "day": reminder.day,
                "language": reminder.language,
                "late": of("late"),
                "soon": of("soon"),
                "attempts": reminder.attempts + 1,
            }),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::LogOnly).await
    }

    /// Notes that the mail server did not take a digest: it is tried again after a pause
    /// that grows with its attempts (`domain::reminders::retry_after`).
    pub async fn reminder_failed(
        &self,
        reminder: &Waiting,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let attempts = u32::try_from(reminder.attempts + 1).unwrap_or(u32::MAX);
        let next = now + reminders::retry_after(attempts);
        let error: String = error.chars().take(500).collect();
        let mut turn = self.begin_write().await?;
        db::query(
            "UPDATE reminders SET attempts = attempts + 1, next_attempt = $1, last_error = $2
             WHERE id = $3 AND sent_at IS NULL",
        )
        .bind(next)
        .bind(error)
        .bind(reminder.id)
        .execute(turn.tx())
        .await?;
        turn.commit(Reach::LogOnly).await
    }

    /// The days before a deadline that owners are reminded.
    pub async fn reminder_days_before(&self) -> Result<u32, AppError> {
        self.number_setting(REMINDER_DAYS_BEFORE, reminders::DEFAULT_DAYS_BEFORE)
            .await
    }

    /// The hour the day's reminders are sent at.
    pub async fn reminder_hour(&self) -> Result<u32, AppError> {
        self.number_setting(REMINDER_HOUR, reminders::DEFAULT_HOUR)
            .await
    }
}
