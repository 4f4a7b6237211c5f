//! Users, sub-goal ownership, sessions, failed logins and settings.

use super::db;
use super::{Reach, Store};
use crate::{
    audit::{self, Actor, Entry},
    domain::access::{Account, Role},
    error::AppError,
    i18n::Locale,
};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::FromRow;
use std::fmt;

/// A stored user with the password hash: server only, never serialised, never printed whole.
#[derive(Clone, FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub active: bool,
}

impl fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("login", &self.login)
            .field("role", &self.role)
            .field("active", &self.active)
            .field("password_hash", &"<redacted>")
            .finish()
    }
}

/// A user as listed for admins: no hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromRow)]
pub struct UserSummary {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub active: bool,
    /// Where reminders go; none: no reminders.
    pub email: Option<String>,
    /// The language of the reminders (`de`, `en`).
    pub language: String,
}

/// Where an account's reminders go, and in which language.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Contact<'a> {
    pub email: Option<&'a str>,
    pub language: Locale,
}

/// How long a session lives without use, and at most.
#[derive(Clone, Copy, Debug)]
pub struct SessionLimits {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
        }
    }
}

/// Last use is written at most this often, so reading pages does not mean writing each time.
const TOUCH_EVERY: i64 = 60;

pub const PUBLIC_READ: &str = "public_read";
/// The origins that may frame the widgets (`/embed/`), separated by spaces; none when unset.
pub const EMBED_ORIGINS: &str = "embed_origins";

/// A user (none: not there) and one sub-goal they own: one row each, one row without if they
/// own none (see [`account_of`]).
#[derive(FromRow)]
struct AccountRow {
    user_id: i64,
    login: Option<String>,
    display_name: Option<String>,
    role: Option<String>,
    active: Option<bool>,
    subgoal_id: Option<i64>,
}

impl db::Columns for AccountRow {
    /// From the columns of [`account_columns`] after the user's id.
    fn from_columns(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        account_row(row, 0)
    }
}

/// An [`AccountRow`] from a row whose column `at` is the user's id, followed by those of
/// [`account_columns`].
fn account_row(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<AccountRow> {
    Ok(AccountRow {
        user_id: row.get(at)?,
        login: row.get(at + 1)?,
        display_name: row.get(at + 2)?,
        role: row.get(at + 3)?,
        active: row.get(at + 4)?,
        subgoal_id: row.get(at + 5)?,
    })
}

/// What [`AccountRow`]s select, after `SELECT`: from users `u` and their sub-goals `o`.
macro_rules! account_columns {
    () => {
        "u.login, u.display_name, u.role, u.active, o.subgoal_id"
    };
}

/// The account the rows of one user make, if the user is there, active and of a known role.
fn account_of(rows: &[AccountRow]) -> Option<Account> {
    let user = rows.first()?;
    let role = Role::parse(user.role.as_deref()?).filter(|_| user.active == Some(true))?;
    Some(Account {
        id: user.user_id,
        login: user.login.clone()?,
        display_name: user.display_name.clone()?,
        role,
        owned_subgoals: rows.iter().filter_map(|row| row.subgoal_id).collect(),
    })
}

/// A session, with its user's account in rows (see [`AccountRow`]).
#[derive(FromRow)]
struct SessionRow {
    created_at: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    #[sqlx(flatten)]
    account: AccountRow,
}

impl db::Columns for SessionRow {
    fn from_columns(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(SessionRow {
            created_at: db::time(row, 0)?,
            last_seen: db::time(row, 1)?,
            account: account_row(row, 2)?,
        })
    }
}

fn user_entry<'a>(
    actor: &'a Actor,
    action: &'static str,
    user_id: i64,
    details: serde_json::Value,
) -> Entry<'a> {
    Entry {
        actor,
        action,
        object_type: "user",
        object_id: Some(user_id.to_string()),
        subgoal_id: None,
        details,
    }
}

fn unique_login(error: sqlx::Error) -> AppError {
    match error.as_database_error().map(|d| d.kind()) {
        Some(sqlx::error::ErrorKind::UniqueViolation) => AppError::LoginTaken,
        _ => AppError::from(error),
    }
}

impl Store {
    pub async fn create_user(
        &self,
        login: &str,
        display_name: &str,
        role: Role,
        password_hash: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let contact = Contact::default();
        self.create_user_with_contact(
            login,
            display_name,
            role,
            password_hash,
            contact,
            now,
            actor,
        )
        .await
    }

    /// An account with where its reminders go, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_user_with_contact(
        &self,
        login: &str,
        display_name: &str,
        role: Role,
        password_hash: &str,
        contact: Contact<'_>,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let mut turn = self.begin_write().await?;
        let id: i64 = db::query_scalar(
            "INSERT INTO users
                 (login, display_name, role, password_hash, active, created_at, email, language)
             VALUES ($1, $2, $3, $4, TRUE, $5, $6, $7) RETURNING id",
        )
        .bind(login)
        .bind(display_name)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now)
        .bind(contact.email)
        .bind(contact.language.as_str())
        .fetch_one(turn.tx())
        .await
        .map_err(unique_login)?;
        let mut details = json!({"login": login, "display_name": display_name, "role": role});
        if contact.email.is_some() || contact.language != Locale::de {
            details["email"] = json!(contact.email);
            details["language"] = json!(contact.language.as_str());
        }
        audit::append(
            turn.tx(),
            user_entry(actor, "user.created", id, details),
            now,
        )
        .await?;
        turn.commit(Reach::Everything).await?;
        Ok(id)
    }

    pub async fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, AppError> {
        Ok(db::query_as(
            "SELECT id, login, display_name, role, password_hash, active FROM users WHERE lower(login) = lower($1)",
        )
        .bind(login)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn users(&self) -> Result<Vec<UserSummary>, AppError> {
        Ok(
            db::query_as(
                "SELECT id, login, display_name, role, active, email, language FROM users ORDER BY login",
            )
            .fetch_all(&self.pool)
            .await?,
        )
    }

    pub async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let changed = db::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(turn.tx())
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(AppError::NotFound);
        }
        // A new password ends every session that knew the old one.
        db::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(turn.tx())
            .await?;
        let entry = user_entry(actor, "user.password_changed", user_id, json!({}));
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Everything).await?;
        Ok(())
    }

    /// Activates or deactivates a user; deactivation ends their sessions at once.
    pub async fn set_active(
        &self,
        user_id: i64,
        active: bool,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let changed = db::query("UPDATE users SET active = $1 WHERE id = $2")
            .bind(active)
            .bind(user_id)
            .execute(turn.tx())
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(AppError::NotFound);
        }
        if !active {
            db::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(turn.tx())
                .await?;
        }
        let action = if active {
            "user.enabled"
        } else {
            "user.disabled"
        };
        audit::append(
            turn.tx(),
            user_entry(actor, action, user_id, json!({})),
            now,
        )
        .await?;
        turn.commit(Reach::Everything).await?;
        Ok(())
    }

    /// Makes a user an owner of a sub-goal (again: no error, no entry).
    pub async fn assign_subgoal(
        &self,
        user_id: i64,
        subgoal_id: i64,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let added =
            db::query("INSERT INTO subgoal_owners (subgoal_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(subgoal_id)
                .bind(user_id)
                .execute(turn.tx())
                .await
                .map_err(super::foreign_key_is_not_found)?
                .rows_affected();
        if added > 0 {
            let entry = Entry {
                actor,
                action: "subgoal.owner_added",
                object_type: "subgoal",
                object_id: Some(subgoal_id.to_string()),
                subgoal_id: Some(subgoal_id),
                details: json!({"user_id": user_id}),
            };
            audit::append(turn.tx(), entry, now).await?;
        }
        turn.commit(Reach::Everything).await?;
        Ok(())
    }

    /// Changes a user's role.
    pub async fn set_role(
        &self,
        user_id: i64,
        role: Role,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let before: Option<String> = db::query_scalar("SELECT role FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(turn.tx())
            .await?;
        let Some(before) = before else {
            return Err(AppError::NotFound);
        };
        db::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(user_id)
            .execute(turn.tx())
            .await?;
        let details = json!({"role": [before, role]});
        audit::append(
            turn.tx(),
            user_entry(actor, "user.role_changed", user_id, details),
            now,
        )
        .await?;
        turn.commit(Reach::Everything).await?;
        Ok(())
    }

    /// Takes a sub-goal from a user's responsibility (not theirs: no error, no entry).
    pub async fn unassign_subgoal(
        &self,
        user_id: i64,
        subgoal_id: i64,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let removed =
            db::query("DELETE FROM subgoal_owners WHERE subgoal_id = $1 AND user_id = $2")
                .bind(subgoal_id)
                .bind(user_id)
                .execute(turn.tx())
                .await?
                .rows_affected();
        if removed > 0 {
            let entry = Entry {
                actor,
                action: "subgoal.owner_removed",
                object_type: "subgoal",
                object_id: Some(subgoal_id.to_string()),
                subgoal_id: Some(subgoal_id),
                details: json!({"user_id": user_id}),
            };
            audit::append(turn.tx(), entry, now).await?;
        }
        turn.commit(Reach::Everything).await?;
        Ok(())
    }

    /// Who owns which sub-goal: (user id, sub-goal id).
    pub async fn ownerships(&self) -> Result<Vec<(i64, i64)>, AppError> {
        Ok(
            db::query_as("SELECT user_id, subgoal_id FROM subgoal_owners ORDER BY subgoal_id")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Every sub-goal of every strategy with its need: (id, need title, sub-goal title), in
    /// the strategies' order; archived ones (or in archived parts) left out.
    pub async fn subgoal_list(&self) -> Result<Vec<(i64, String, String)>, AppError> {
        Ok(db::query_as(
            "SELECT s.id, n.title, s.title FROM subgoals s
             JOIN needs n ON n.id = s.need_id
             JOIN fields f ON f.id = n.field_id
             WHERE s.archived_at IS NULL AND n.archived_at IS NULL AND f.archived_at IS NULL
             ORDER BY f.strategy_id, f.position, n.position, s.position",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// The sub-goal a milestone belongs to.
    pub async fn subgoal_of_milestone(&self, milestone_id: i64) -> Result<Option<i64>, AppError> {
        let subgoal =
            db::query_scalar("SELECT subgoal_id FROM milestones WHERE id = $1").bind(milestone_id);
        // Asked before a milestone is saved: on SQLite from this thread (see `db::Readers`).
        Ok(match self.pool.readers() {
            Some(readers) => readers.read(|db| db.optional(subgoal))?,
            None => subgoal.fetch_optional(&self.pool).await?,
        })
    }

    /// The active account with this login name (for the command line's `--as`).
    pub async fn account_by_login(&self, login: &str) -> Result<Option<Account>, AppError> {
        match self.user_by_login(login).await? {
            Some(user) => self.account(user.id).await,
            None => Ok(None),
        }
    }

    async fn account(&self, user_id: i64) -> Result<Option<Account>, AppError> {
        let rows = db::query_as::<AccountRow>(concat!(
            "SELECT u.id AS user_id, ",
            account_columns!(),
            " FROM users u LEFT JOIN subgoal_owners o ON o.user_id = u.id
             WHERE u.id = $1
             ORDER BY o.subgoal_id"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(account_of(&rows))
    }

    /// Starts a session for a user whose password was just checked.
    pub async fn create_session(
        &self,
        user_id: i64,
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        self.write_unshown(
            db::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, last_seen) VALUES ($1, $2, $3, $4)",
            )
            .bind(token_hash)
            .bind(user_id)
            .bind(now)
            .bind(now),
        )
        .await?;
        Ok(())
    }

    /// The account behind a session token, if the session is alive: not idle too long, not
    /// too old, its user still active. A dead session is removed.
    pub async fn session_account(
        &self,
        token_hash: &[u8],
        now: DateTime<Utc>,
        limits: SessionLimits,
    ) -> Result<Option<Account>, AppError> {
        // One read for the session, its user and what they own: every request that carries a
        // session asks, and under load each read waits for a connection and for a core.
        let rows = db::query_as::<SessionRow>(concat!(
            "SELECT s.created_at, s.last_seen, s.user_id, ",
            account_columns!(),
            " FROM sessions s
             LEFT JOIN users u ON u.id = s.user_id
             LEFT JOIN subgoal_owners o ON o.user_id = s.user_id
             WHERE s.token_hash = $1
             ORDER BY o.subgoal_id"
        ))
        .bind(token_hash);
        // On SQLite from this thread (see `db::Readers`).
        let rows = match self.pool.readers() {
            Some(readers) => readers.read(|db| db.rows(rows))?,
            None => rows.fetch_all(&self.pool).await?,
        };
        let Some(&SessionRow {
            created_at,
            last_seen,
            ..
        }) = rows.first()
        else {
            return Ok(None);
        };
        let expired = now - last_seen > limits.idle || now - created_at > limits.absolute;
        let account = if expired {
            None
        } else {
            let rows: Vec<AccountRow> = rows.into_iter().map(|row| row.account).collect();
            account_of(&rows)
        };
        match account {
            None => {
                self.end_session(token_hash).await?;
                Ok(None)
            }
            Some(account) => {
                if (now - last_seen).num_seconds() >= TOUCH_EVERY {
                    self.write_unshown(
                        db::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
                            .bind(now)
                            .bind(token_hash),
                    )
                    .await?;
                }
                Ok(Some(account))
            }
        }
    }

    /// Marks a session as used now (the "stay signed in" of the idle warning).
    pub async fn touch_session(
        &self,
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        self.write_unshown(
            db::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash),
        )
        .await?;
        Ok(())
    }

    pub async fn end_session(&self, token_hash: &[u8]) -> Result<(), AppError> {
        self.write_unshown(
            db::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash),
        )
        .await?;
        Ok(())
    }

    /// Appends an entry that comes with no other change and that no page but the audit log
    /// shows (a login, a logout): no kept page is made stale by it.
    pub async fn record(&self, entry: Entry<'_>, now: DateTime<Utc>) -> Result<(), AppError> {
        self.record_all(std::slice::from_ref(&entry), now).await
    }

    /// Appends such entries in one transaction (one write to disk for all).
    pub async fn record_all(
        &self,
        entries: &[Entry<'_>],
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut turn = self.begin_write().await?;
        for entry in entries {
            audit::append(turn.tx(), entry.clone(), now).await?;
        }
        turn.commit(Reach::LogOnly).await?;
        Ok(())
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>, AppError> {
        Ok(
            db::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// What admins set for the accessibility statement and the Leichte-Sprache page.
    pub async fn accessibility(&self) -> Result<crate::domain::accessibility::Settings, AppError> {
        let rows: Vec<(String, String)> = db::query_as(
            "SELECT key, value FROM settings WHERE key LIKE 'accessibility.%' OR key LIKE 'easy_read.%'",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(crate::domain::accessibility::Settings::from_stored(
            rows.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ))
    }

    /// Sets an account's e-mail address (none: no reminders) and language.
    pub async fn set_contact(
        &self,
        user_id: i64,
        email: Option<&str>,
        language: Locale,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        let before: Option<(Option<String>, String)> =
            db::query_as("SELECT email, language FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(turn.tx())
                .await?;
        let (old_email, old_language) = before.ok_or(AppError::NotFound)?;
        if old_email.as_deref() == email && old_language == language.as_str() {
            return Ok(());
        }
        db::query("UPDATE users SET email = $1, language = $2 WHERE id = $3")
            .bind(email)
            .bind(language.as_str())
            .bind(user_id)
            .execute(turn.tx())
            .await?;
        let entry = Entry {
            actor,
            action: "user.contact",
            object_type: "user",
            object_id: Some(user_id.to_string()),
            subgoal_id: None,
            details: audit::changes(&[
                ("email", json!(old_email), json!(email)),
                ("language", json!(old_language), json!(language.as_str())),
            ]),
        };
        audit::append(turn.tx(), entry, now).await?;
        turn.commit(Reach::Everything).await
    }

    /// A whole-number setting as stored (checked when set), else `default`.
    pub(super) async fn number_setting(&self, key: &str, default: u32) -> Result<u32, AppError> {
        Ok(self
            .setting(key)
            .await?
            .and_then(|text| text.parse().ok())
            .unwrap_or(default))
    }

    pub async fn set_setting(
        &self,
        key: &str,
        value: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        self.set_settings(&[(key, value)], now, actor).await
    }

    /// Sets several settings in one transaction, each with its audit entry.
    pub async fn set_settings(
        &self,
        settings: &[(&str, &str)],
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let mut turn = self.begin_write().await?;
        for &(key, value) in settings {
            let before: Option<String> =
                db::query_scalar("SELECT value FROM settings WHERE key = $1")
                    .bind(key)
                    .fetch_optional(turn.tx())
                    .await?;
            // Empty is the default of the texts that have one: not stored is the same.
            if before.as_deref().unwrap_or_default() == value {
                continue;
            }
            db::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(turn.tx())
            .await?;
            let entry = Entry {
                actor,
                action: "setting.changed",
                object_type: "setting",
                object_id: Some(key.to_owned()),
                subgoal_id: None,
                details: json!({ key: [before, value] }),
            };
            audit::append(turn.tx(), entry, now).await?;
        }
        turn.commit(Reach::Everything).await?;
        Ok(())
    }

    /// The origins that may frame the widgets, as stored (checked when set).
    pub async fn embed_origins(&self) -> Result<Vec<String>, AppError> {
        Ok(self
            .setting(EMBED_ORIGINS)
            .await?
            .map(|text| text.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default())
    }

    /// Whether people who are not signed in may read the strategy (off unless switched on).
    pub async fn public_read(&self) -> Result<bool, AppError> {
        Ok(self.setting(PUBLIC_READ).await?.as_deref() == Some("on"))
    }
}
