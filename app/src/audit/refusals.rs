//! Refused requests and failed logins, counted in memory and put on record once a minute:
//! one entry per caller and minute ("37 refused requests from 203.0.113.9 between 10:00:02
//! and 10:00:58, the first: …"), instead of one write to disk per request. What a stranger's
//! flood can make the server write is bounded: at most [`MAX_CALLERS`] + 1 entries a minute,
//! in one transaction, whatever the number of requests. See docs/RELIABILITY.md.

use super::{Actor, Entry};
use chrono::{DateTime, SecondsFormat, Timelike, Utc};
use serde_json::{Value, json};
use std::{
    collections::{BTreeMap, HashMap},
    net::IpAddr,
    sync::{Arc, Mutex, PoisonError},
};

/// Callers counted one by one per minute; the refusals of any more are counted together in
/// one entry ("other callers").
pub const MAX_CALLERS: usize = 100;
/// Minutes kept while they cannot be put on record (the database is unreachable): beyond
/// this the oldest two are counted as one, so memory stays bounded.
const MAX_MINUTES: usize = 60;
/// How much of the first request's description an entry keeps.
const REQUEST_CHARS: usize = 200;

/// What is counted: a refused request or a failed login.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `access.denied`: a request the caller may not make.
    Refused,
    /// `login.failed`: a wrong name or password.
    LoginFailed,
    /// `login.refused`: a login attempt while the limit of failed ones is reached.
    LoginRefused,
}

impl Kind {
    fn action(self) -> &'static str {
        match self {
            Kind::Refused => "access.denied",
            Kind::LoginFailed => "login.failed",
            Kind::LoginRefused => "login.refused",
        }
    }

    fn object_type(self) -> &'static str {
        match self {
            Kind::Refused => "request",
            Kind::LoginFailed | Kind::LoginRefused => "session",
        }
    }
}

/// The counts of the minutes not yet on record. Cloning shares them.
#[derive(Clone, Debug, Default)]
pub struct Refusals(Arc<Mutex<Minutes>>);

/// By minute (minutes since the epoch).
type Minutes = BTreeMap<i64, Minute>;

#[derive(Debug, Default)]
struct Minute {
    by_caller: HashMap<(Kind, Caller), Tally>,
    /// The refusals of callers beyond [`MAX_CALLERS`], by kind.
    others: BTreeMap<Kind, Tally>,
}

/// Who an entry names: an account, or an anonymous client's address (an IPv6 address by its
/// /64 network, which one party usually holds whole).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Caller {
    id: Option<i64>,
    name: String,
    /// For logins: the name tried (failed logins are counted per account).
    login: Option<String>,
}

/// One refusal to count.
#[derive(Clone, Copy, Debug)]
pub struct Refusal<'a> {
    pub kind: Kind,
    /// Who asked (anonymous: see [`Actor::of`]).
    pub actor: &'a Actor,
    /// The client's address.
    pub client: &'a str,
    /// For logins: the name tried.
    pub login: Option<&'a str>,
    /// What was asked for, in a few words.
    pub request: &'a str,
    pub reason: &'a str,
}

#[derive(Clone, Debug)]
struct Tally {
    count: u64,
    first_at: DateTime<Utc>,
    last_at: DateTime<Utc>,
    /// What the first one asked for, and why it was refused.
    first: String,
    /// How many for each reason.
    reasons: BTreeMap<String, u64>,
}

impl Tally {
    fn new(at: DateTime<Utc>, what: &str, reason: &str) -> Tally {
        Tally {
            count: 0,
            first_at: at,
            last_at: at,
            first: what.chars().take(REQUEST_CHARS).collect(),
            reasons: BTreeMap::from([(reason.to_owned(), 0)]),
        }
    }

    fn add(&mut self, at: DateTime<Utc>, reason: &str) {
        self.count += 1;
        self.last_at = self.last_at.max(at);
        // Reasons are a handful of fixed words; a bound all the same.
        if self.reasons.contains_key(reason) || self.reasons.len() < 8 {
            *self.reasons.entry(reason.to_owned()).or_default() += 1;
        }
    }

    fn merge(&mut self, other: Tally) {
        if other.first_at < self.first_at {
            self.first_at = other.first_at;
            self.first = other.first;
        }
        self.last_at = self.last_at.max(other.last_at);
        self.count += other.count;
        for (reason, n) in other.reasons {
            *self.reasons.entry(reason).or_default() += n;
        }
    }
}

/// One entry to put on record: a caller's (or the other callers') refusals of one kind in
/// one minute.
#[derive(Clone, Debug)]
pub struct Summary {
    kind: Kind,
    actor: Actor,
    login: Option<String>,
    tally: Tally,
}

impl Summary {
    pub fn entry(&self) -> Entry<'_> {
        let time = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
        let reasons: serde_json::Map<String, Value> = self
            .tally
            .reasons
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(reason, n)| (reason.clone(), json!(n)))
            .collect();
        let mut details = json!({
            "count": self.tally.count,
            "from": time(self.tally.first_at),
            "until": time(self.tally.last_at),
            "first": self.tally.first,
            "reasons": reasons,
        });
        if let Some(login) = &self.login {
            details["login"] = json!(login);
        }
        Entry {
            actor: &self.actor,
            action: self.kind.action(),
            object_type: self.kind.object_type(),
            object_id: None,
            subgoal_id: None,
            details,
        }
    }

    pub fn count(&self) -> u64 {
        self.tally.count
    }
}

impl Refusals {
    fn minutes(&self) -> std::sync::MutexGuard<'_, Minutes> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts one. Costs no write: the count goes on record when its minute has ended.
    pub fn count(&self, refusal: Refusal<'_>) {
        self.count_at(refusal, Utc::now());
    }

    fn count_at(&self, refusal: Refusal<'_>, at: DateTime<Utc>) {
        let login = refusal.login.map(|l| l.chars().take(64).collect());
        let caller = match refusal.actor.id {
            Some(id) => Caller {
                id: Some(id),
                name: refusal.actor.name.clone(),
                login,
            },
            None => Caller {
                id: None,
                name: format!("anonymous ({})", network_of(refusal.client)),
                login,
            },
        };
        let (request, reason) = (refusal.request, refusal.reason);
        let mut minutes = self.minutes();
        let minute = minutes.entry(minute_of(at)).or_default();
        let key = (refusal.kind, caller);
        let tally = if minute.by_caller.contains_key(&key) || minute.by_caller.len() < MAX_CALLERS {
            minute
                .by_caller
                .entry(key)
                .or_insert_with(|| Tally::new(at, request, reason))
        } else {
            minute
                .others
                .entry(refusal.kind)
                .or_insert_with(|| Tally::new(at, request, reason))
        };
        tally.add(at, reason);
        while minutes.len() > MAX_MINUTES {
            let (_, oldest) = minutes.pop_first().expect("more than one minute");
            let next = minutes.values_mut().next().expect("more than one minute");
            next.absorb(oldest);
        }
    }

    /// Takes the counts of the minutes that ended before `now`, to put on record.
    pub fn take_ended(&self, now: DateTime<Utc>) -> Vec<Summary> {
        let current = minute_of(now);
        let mut minutes = self.minutes();
        let ongoing = minutes.split_off(&current);
        let ended = std::mem::replace(&mut *minutes, ongoing);
        drop(minutes);
        summaries(ended)
    }

    /// Takes every count, the current minute's too (when the server stops).
    pub fn take_all(&self) -> Vec<Summary> {
        let all = std::mem::take(&mut *self.minutes());
        summaries(all)
    }

    /// Puts back counts that could not be put on record, to be tried again with the next.
    pub fn give_back(&self, summaries: Vec<Summary>) {
        let mut minutes = self.minutes();
        for Summary {
            kind,
            actor,
            login,
            tally,
        } in summaries
        {
            let minute = minutes.entry(minute_of(tally.first_at)).or_default();
            if actor.id.is_none() && actor.name == OTHERS {
                merge_into(&mut minute.others, kind, tally);
                continue;
            }
            let key = (
                kind,
                Caller {
                    id: actor.id,
                    name: actor.name,
                    login,
                },
            );
            match minute.by_caller.get_mut(&key) {
                Some(mine) => mine.merge(tally),
                None => {
                    minute.by_caller.insert(key, tally);
                }
            }
        }
    }

    /// Puts the minutes that ended before `now` on record (all minutes, the current one too,
    /// with `everything`: when the server stops), in one transaction; what could not be
    /// written is kept for the next time. The number of entries written.
    pub async fn put_on_record(
        &self,
        store: &crate::store::Store,
        now: DateTime<Utc>,
        everything: bool,
    ) -> Result<usize, crate::error::AppError> {
        let summaries = if everything {
            self.take_all()
        } else {
            self.take_ended(now)
        };
        let entries: Vec<Entry<'_>> = summaries.iter().map(Summary::entry).collect();
        match store.record_all(&entries, now).await {
            Ok(()) => Ok(entries.len()),
            Err(error) => {
                drop(entries);
                self.give_back(summaries);
                Err(error)
            }
        }
    }

    /// How many are counted and not yet on record.
    pub fn pending(&self) -> u64 {
        self.minutes()
            .values()
            .flat_map(|m| m.by_caller.values().chain(m.others.values()))
            .map(|t| t.count)
            .sum()
    }
}

/// The name of the entry that counts the callers beyond [`MAX_CALLERS`].
const OTHERS: &str = "other callers";

impl Minute {
    fn absorb(&mut self, older: Minute) {
        for (key, tally) in older.by_caller {
            if let Some(mine) = self.by_caller.get_mut(&key) {
                mine.merge(tally);
            } else if self.by_caller.len() < MAX_CALLERS {
                self.by_caller.insert(key, tally);
            } else {
                merge_into(&mut self.others, key.0, tally);
            }
        }
        for (kind, tally) in older.others {
            merge_into(&mut self.others, kind, tally);
        }
    }
}

fn merge_into(others: &mut BTreeMap<Kind, Tally>, kind: Kind, tally: Tally) {
    match others.get_mut(&kind) {
        Some(mine) => mine.merge(tally),
        None => {
            others.insert(kind, tally);
        }
    }
}

fn summaries(minutes: Minutes) -> Vec<Summary> {
    let mut out = Vec::new();
    for (_, minute) in minutes {
        let mut callers: Vec<_> = minute.by_caller.into_iter().collect();
        callers.sort_by_key(|(_, tally)| tally.first_at);
        for ((kind, caller), tally) in callers {
            out.push(Summary {
                kind,
                actor: Actor {
                    id: caller.id,
                    name: caller.name,
                },
                login: caller.login,
                tally,
            });
        }
        for (kind, tally) in minute.others {
            out.push(Summary {
                kind,
                actor: Actor {
                    id: None,
                    name: OTHERS.to_owned(),
                },
                login: None,
                tally,
            });
        }
    }
    out
}

fn minute_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(60)
}

/// An address as refusals are counted: IPv4 as it is, IPv6 by its /64 network.
pub fn network_of(client: &str) -> String {
    match client.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            format!("{}/64", std::net::Ipv6Addr::from(segments))
        }
        Ok(IpAddr::V6(v6)) => v6.to_ipv4_mapped().expect("mapped").to_string(),
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => client.chars().take(64).collect(),
    }
}

/// The time until the next minute begins (and a little more), when ended minutes are put on
/// record.
pub fn until_next_minute(now: DateTime<Utc>) -> std::time::Duration {
    let into = u64::from(now.second()) * 1000 + u64::from(now.timestamp_subsec_millis() % 1000);
    std::time::Duration::from_millis(60_000 - into.min(59_999) + 200)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32, second: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 10, minute, second)
            .unwrap()
    }

    fn refused<'a>(actor: &'a Actor, client: &'a str, request: &'a str) -> Refusal<'a> {
        Refusal {
            kind: Kind::Refused,
            actor,
            client,
            login: None,
            request,
            reason: "not signed in",
        }
    }

    fn anonymous(client: &str) -> Actor {
        Actor {
            id: None,
            name: format!("anonymous ({client})"),
        }
    }

    #[test]
    fn a_flood_from_one_client_is_one_entry_a_minute() {
        let refusals = Refusals::default();
        let who = anonymous("203.0.113.9");
        for i in 0..2000u32 {
            let request = if i == 0 {
                "record a milestone"
            } else {
                "later"
            };
            refusals.count_at(refused(&who, "203.0.113.9", request), at(0, i % 60));
        }
        refusals.count_at(refused(&who, "203.0.113.9", "next minute"), at(1, 5));
        assert_eq!(refusals.pending(), 2001);
        let ended = refusals.take_ended(at(1, 30));
        assert_eq!(ended.len(), 1, "the ongoing minute waits");
        let entry = ended[0].entry();
        assert_eq!(entry.action, "access.denied");
        assert_eq!(entry.actor.name, "anonymous (203.0.113.9)");
        assert_eq!(entry.details["count"], 2000);
        assert_eq!(entry.details["first"], "record a milestone");
        assert_eq!(entry.details["from"], "2026-12-01T10:00:00Z");
        assert_eq!(entry.details["until"], "2026-12-01T10:00:59Z");
        assert_eq!(entry.details["reasons"]["not signed in"], 2000);
        assert_eq!(refusals.pending(), 1);
        assert_eq!(refusals.take_all().len(), 1);
        assert_eq!(refusals.pending(), 0);
    }

    #[test]
    fn failed_logins_are_counted_per_account_tried() {
        let refusals = Refusals::default();
        let who = anonymous("203.0.113.9");
        for login in ["cdo", "cdo", "schulamt"] {
            refusals.count_at(
                Refusal {
                    kind: Kind::LoginFailed,
                    login: Some(login),
                    reason: "wrong name or password",
                    ..refused(&who, "203.0.113.9", "sign in")
                },
                at(0, 1),
            );
        }
        let entries = refusals.take_all();
        let counts: Vec<_> = entries
            .iter()
            .map(|s| {
                let entry = s.entry();
                (entry.action, entry.details["login"].clone(), s.count())
            })
            .collect();
        assert_eq!(counts.len(), 2);
        assert!(counts.contains(&("login.failed", "cdo".into(), 2)));
        assert!(counts.contains(&("login.failed", "schulamt".into(), 1)));
    }

    #[test]
    fn many_callers_are_bounded_by_one_entry_for_the_others() {
        let refusals = Refusals::default();
        for i in 0..1000u32 {
            let client = format!("198.51.{}.{}", i / 250, i % 250);
            let who = anonymous(&client);
            refusals.count_at(refused(&who, &client, "x"), at(0, 1));
            let login = Refusal {
                kind: Kind::LoginFailed,
                ..refused(&who, &client, "x")
            };
            refusals.count_at(login, at(0, 2));
        }
        let entries = refusals.take_all();
        assert_eq!(
            entries.len(),
            MAX_CALLERS + 2,
            "one for the others of each kind"
        );
        assert_eq!(entries.iter().map(Summary::count).sum::<u64>(), 2000);
        let others: Vec<_> = entries.iter().filter(|s| s.actor.name == OTHERS).collect();
        assert_eq!(others.len(), 2);
    }

    #[test]
    fn an_ipv6_network_counts_as_one_caller_and_minutes_stay_bounded() {
        assert_eq!(network_of("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(network_of("::ffff:192.0.2.1"), "192.0.2.1");
        assert_eq!(network_of("192.0.2.1"), "192.0.2.1");
        let refusals = Refusals::default();
        for host in 0..50u16 {
            let client = format!("2001:db8:1:2::{host:x}");
            let who = anonymous(&client);
            refusals.count_at(refused(&who, &client, "x"), at(0, 1));
        }
        assert_eq!(refusals.take_all().len(), 1);

        // A database that cannot be written for hours: the minutes waiting are merged.
        let who = anonymous("203.0.113.9");
        for minute in 0..(MAX_MINUTES as i64 + 30) {
            let moment = at(0, 0) + chrono::TimeDelta::minutes(minute);
            refusals.count_at(refused(&who, "203.0.113.9", "x"), moment);
        }
        assert!(refusals.minutes().len() <= MAX_MINUTES);
        assert_eq!(refusals.pending(), MAX_MINUTES as u64 + 30);
        let taken = refusals.take_all();
        let counted = taken.iter().map(Summary::count).sum::<u64>();
        refusals.give_back(taken);
        assert_eq!(refusals.pending(), counted, "given back whole");
    }

    #[test]
    fn the_next_minute_is_waited_for() {
        assert_eq!(until_next_minute(at(0, 0)).as_millis(), 60_200);
        assert_eq!(until_next_minute(at(0, 59)).as_millis(), 1_200);
    }
}
