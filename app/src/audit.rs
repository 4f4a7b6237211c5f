//! The audit trail: who did what when, appended in the same transaction as the change, each
//! entry chained to the one before by SHA-256 so that a direct edit of the database shows.
//! Server only.

mod refusals;

pub use refusals::{Kind, Refusal, Refusals, Summary, network_of, until_next_minute};

use crate::store::db::{self, Tx};
use crate::{auth::Caller, domain::MilestoneData, error::AppError};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::FromRow;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who an entry names.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: String,
}

impl Actor {
    /// The signed-in user of a request, or "anonymous" with the client address.
    pub fn of(caller: &Caller) -> Actor {
        match &caller.account {
            Some(account) => Actor {
                id: Some(account.id),
                name: account.login.clone(),
            },
            None => Actor {
                id: None,
                name: format!("anonymous ({})", caller.client),
            },
        }
    }

    /// The command line, run by whoever has the database file.
    pub fn shell() -> Actor {
        let user = std::env::var("USER").unwrap_or_else(|_| "unknown".to_owned());
        Actor {
            id: None,
            name: format!("shell ({user})"),
        }
    }

    /// Meilenstein itself (the demo filling a new database).
    pub fn system() -> Actor {
        Actor {
            id: None,
            name: "system".to_owned(),
        }
    }
}

/// One entry to append.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub actor: &'a Actor,
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: Option<String>,
    pub subgoal_id: Option<i64>,
    pub details: Value,
}

/// A stored entry, as the history pages and the log show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromRow)]
pub struct Record {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub subgoal_id: Option<i64>,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry: SHA-256 over the previous hash and every stored field, as JSON.
#[allow(clippy::too_many_arguments)]
pub fn chain_hash(
    prev_hash: &str,
    at: &str,
    actor_id: Option<i64>,
    actor: &str,
    action: &str,
    object_type: &str,
    object_id: Option<&str>,
    subgoal_id: Option<i64>,
    details: &str,
) -> String {
    let canonical = json!([
        prev_hash,
        at,
        actor_id,
        actor,
        action,
        object_type,
        object_id,
        subgoal_id,
        details
    ]);
    Sha256::digest(canonical.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Record {
    fn expected_hash(&self) -> String {
        chain_hash(
            &self.prev_hash,
            &self.at,
            self.actor_id,
            &self.actor,
            &self.action,
            &self.object_type,
            self.object_id.as_deref(),
            self.subgoal_id,
            &self.details,
        )
    }
}

/// Appends an entry on a connection inside the caller's (`BEGIN IMMEDIATE`) transaction.
pub async fn append(conn: &mut Tx, entry: Entry<'_>, now: DateTime<Utc>) -> Result<(), AppError> {
    let prev_hash = head().fetch_optional(&mut *conn).await?;
    appended(prev_hash, entry, now).0.execute(conn).await?;
    Ok(())
}

/// The newest entry's hash (none in an empty log), which the next entry links to: read
/// inside the write transaction that appends (see [`appended`]).
pub fn head() -> db::QueryScalar<String> {
    db::query_scalar("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
}

/// The statement that appends `entry` after the entry whose hash is `prev_hash` (none: the
/// log is empty), and the new entry's hash, which the entry after it links to.
pub fn appended(
    prev_hash: Option<String>,
    entry: Entry<'_>,
    now: DateTime<Utc>,
) -> (db::Query, String) {
    let prev_hash = prev_hash.unwrap_or_else(|| GENESIS.to_owned());
    let at = now.to_rfc3339_opts(SecondsFormat::Micros, true);
    let details = entry.details.to_string();
    let hash = chain_hash(
        &prev_hash,
        &at,
        entry.actor.id,
        &entry.actor.name,
        entry.action,
        entry.object_type,
        entry.object_id.as_deref(),
        entry.subgoal_id,
        &details,
    );
    let statement = db::query(
        "INSERT INTO audit_log
           (at, actor_id, actor, action, object_type, object_id, subgoal_id, details, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(at)
    .bind(entry.actor.id)
    .bind(&entry.actor.name)
    .bind(entry.action)
    .bind(entry.object_type)
    .bind(entry.object_id)
    .bind(entry.subgoal_id)
    .bind(details)
    .bind(prev_hash)
    .bind(hash.clone());
    (statement, hash)
}

/// What `audit verify` found.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Every entry matches its hash and links to the one before; the last hash, to compare
    /// with one noted down earlier (the chain cannot show entries cut off at its end).
    Intact { entries: usize, head: String },
    /// The first entry that does not match.
    Broken { id: i64, reason: String },
}

/// Checks the chain in order.
pub fn verify<'a>(records: impl IntoIterator<Item = &'a Record>) -> Verdict {
    let mut prev = GENESIS.to_owned();
    let mut entries = 0;
    for record in records {
        if record.prev_hash != prev {
            return Verdict::Broken {
                id: record.id,
                reason: "does not link to the entry before it (an entry was removed or reordered)"
                    .to_owned(),
            };
        }
        if record.expected_hash() != record.hash {
            return Verdict::Broken {
                id: record.id,
                reason: "its content does not match its hash (it was edited)".to_owned(),
            };
        }
        prev = record.hash.clone();
        entries += 1;
    }
    Verdict::Intact {
        entries,
        head: prev,
    }
}

/// `{"field": [before, after]}` for the pairs that differ.
pub fn changes(pairs: &[(&str, Value, Value)]) -> Value {
    let mut map = serde_json::Map::new();
    for (field, before, after) in pairs {
        if before != after {
            map.insert((*field).to_owned(), json!([before, after]));
        }
    }
    Value::Object(map)
}

/// The fields of a milestone that differ, as `{"field": [before, after]}`.
pub fn milestone_changes(before: Option<&MilestoneData>, after: Option<&MilestoneData>) -> Value {
    let fields = |m: Option<&MilestoneData>| -> Vec<(&'static str, Value)> {
        match m {
            None => vec![
                ("title", Value::Null),
                ("due", Value::Null),
                ("status", Value::Null),
                ("done_on", Value::Null),
                ("weight", Value::Null),
                ("note", Value::Null),
            ],
            Some(m) => vec![
                ("title", json!(m.title)),
                ("due", json!(m.due)),
                ("status", json!(m.status)),
                ("done_on", json!(m.done_on)),
                ("weight", json!(m.weight)),
                ("note", json!(m.note)),
            ],
        }
    };
    let pairs: Vec<(&str, Value, Value)> = fields(before)
        .into_iter()
        .zip(fields(after))
        .map(|((field, old), (_, new))| (field, old, new))
        .collect();
    changes(&pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Status;

    fn record(id: i64, prev: &str, details: &str) -> Record {
        let at = "2026-11-27T10:00:00.000000Z";
        Record {
            id,
            at: at.into(),
            actor_id: Some(1),
            actor: "cdo".into(),
            action: "milestone.updated".into(),
            object_type: "milestone".into(),
            object_id: Some("7".into()),
            subgoal_id: Some(3),
            details: details.into(),
            prev_hash: prev.into(),
            hash: chain_hash(
                prev,
                at,
                Some(1),
                "cdo",
                "milestone.updated",
                "milestone",
                Some("7"),
                Some(3),
                details,
            ),
        }
    }

    fn chain() -> Vec<Record> {
        let a = record(1, GENESIS, "{\"title\":[\"A\",\"B\"]}");
        let b = record(2, &a.hash, "{\"status\":[\"planned\",\"done\"]}");
        let c = record(3, &b.hash, "{}");
        vec![a, b, c]
    }

    #[test]
    fn an_untouched_chain_verifies_and_names_its_head() {
        let entries = chain();
        assert_eq!(
            verify(&entries),
            Verdict::Intact {
                entries: 3,
                head: entries[2].hash.clone()
            }
        );
        assert_eq!(
            verify(&[]),
            Verdict::Intact {
                entries: 0,
                head: GENESIS.into()
            }
        );
    }

    #[test]
    fn an_edited_entry_breaks_the_chain_where_it_was_edited() {
        let mut entries = chain();
        entries[1].details = "{\"status\":[\"planned\",\"cancelled\"]}".into();
        assert!(matches!(verify(&entries), Verdict::Broken { id: 2, .. }));
        let mut entries = chain();
        entries[0].actor = "someone else".into();
        assert!(matches!(verify(&entries), Verdict::Broken { id: 1, .. }));
    }

    #[test]
    fn a_removed_or_swapped_entry_breaks_the_chain() {
        let mut entries = chain();
        entries.remove(1);
        assert!(matches!(verify(&entries), Verdict::Broken { id: 3, .. }));
        let mut entries = chain();
        entries.swap(0, 1);
        assert!(matches!(verify(&entries), Verdict::Broken { id: 2, .. }));
    }

    #[test]
    fn changes_list_only_what_differs() {
        let before = MilestoneData {
            title: "Ausbau".into(),
            due: chrono::NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
            status: Status::Planned,
            done_on: None,
            weight: 1.0,
            note: None,
        };
        let mut after = before.clone();
        after.status = Status::Done;
        after.done_on = chrono::NaiveDate::from_ymd_opt(2027, 1, 20);
        assert_eq!(
            milestone_changes(Some(&before), Some(&after)),
            json!({"status": ["planned", "done"], "done_on": [null, "2027-01-20"]})
        );
        let created = milestone_changes(None, Some(&before));
        assert_eq!(created["title"], json!([null, "Ausbau"]));
        assert!(created.get("done_on").is_none(), "null stays null");
    }
}
