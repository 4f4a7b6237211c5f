//! The login rate limit: failed logins per account name and per client address (IPv6 by its
//! /64 network) within a window, kept in memory. Counting a failure writes nothing to disk, so
//! a stranger's guesses cost the server no fsync each; failures go on record counted per
//! minute (`audit::Refusals`). Memory is bounded: at most [`MAX_TRACKED`] names and as many
//! addresses, each with at most the allowed number of moments.

use crate::audit::network_of;
use chrono::{DateTime, Duration, Utc};
use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, PoisonError},
};

/// Failed logins allowed per name and per address within the window before logins are
/// refused for the rest of it.
pub const MAX_FAILURES: usize = 10;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
/// Names and addresses tracked at most, each.
pub const MAX_TRACKED: usize = 10_000;

#[derive(Clone, Debug, Default)]
pub struct LoginAttempts(Arc<Mutex<Failures>>);

#[derive(Debug, Default)]
struct Failures {
    by_login: Tracked,
    by_client: Tracked,
}

/// The moments of the failures within the window, newest last, by key.
#[derive(Debug, Default)]
struct Tracked(HashMap<String, VecDeque<DateTime<Utc>>>);

impl Tracked {
    fn recent(&mut self, key: &str, since: DateTime<Utc>) -> usize {
        let Some(moments) = self.0.get_mut(key) else {
            return 0;
        };
        while moments.front().is_some_and(|at| *at <= since) {
            moments.pop_front();
        }
        moments.len()
    }

    fn add(&mut self, key: &str, at: DateTime<Utc>, since: DateTime<Utc>) {
        if !self.0.contains_key(key) && self.0.len() >= MAX_TRACKED {
            self.0
                .retain(|_, moments| moments.back().is_some_and(|last| *last > since));
            if self.0.len() >= MAX_TRACKED {
                // Full of recent failures: the one whose last failure is oldest makes room.
                let oldest = self
                    .0
                    .iter()
                    .min_by_key(|(_, moments)| moments.back().copied())
                    .map(|(key, _)| key.clone());
                if let Some(oldest) = oldest {
                    self.0.remove(&oldest);
                }
            }
        }
        let moments = self.0.entry(key.to_owned()).or_default();
        moments.push_back(at);
        while moments.len() > MAX_FAILURES {
            moments.pop_front();
        }
    }
}

impl LoginAttempts {
    fn failures(&self) -> std::sync::MutexGuard<'_, Failures> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether logins for `login` or from `client` are refused at `now`: the limit of failed
    /// ones within the window is reached.
    pub fn blocked(&self, login: &str, client: &str, now: DateTime<Utc>) -> bool {
        let since = now - Duration::minutes(FAILURE_WINDOW_MINUTES);
        let mut failures = self.failures();
        failures.by_login.recent(login, since) >= MAX_FAILURES
            || failures.by_client.recent(&network_of(client), since) >= MAX_FAILURES
    }

    /// Counts a failed login.
    pub fn failed(&self, login: &str, client: &str, now: DateTime<Utc>) {
        let since = now - Duration::minutes(FAILURE_WINDOW_MINUTES);
        let mut failures = self.failures();
        failures.by_login.add(login, now, since);
        failures.by_client.add(&network_of(client), now, since);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_failures_block_the_name_and_the_address_for_the_window() {
        let attempts = LoginAttempts::default();
        let start = Utc::now();
        for i in 0..MAX_FAILURES as i64 {
            assert!(!attempts.blocked("cdo", "203.0.113.9", start));
            attempts.failed("cdo", "203.0.113.9", start + Duration::seconds(i));
        }
        let later = start + Duration::minutes(1);
        assert!(attempts.blocked("cdo", "198.51.100.1", later), "the name");
        assert!(attempts.blocked("vhs", "203.0.113.9", later), "the address");
        assert!(!attempts.blocked("vhs", "198.51.100.1", later));
        let after = start + Duration::minutes(FAILURE_WINDOW_MINUTES) + Duration::seconds(10);
        assert!(
            !attempts.blocked("cdo", "203.0.113.9", after),
            "the window ends"
        );
    }

    #[test]
    fn an_ipv6_network_is_one_address_and_memory_stays_bounded() {
        let attempts = LoginAttempts::default();
        let now = Utc::now();
        for host in 0..MAX_FAILURES {
            attempts.failed(&format!("name{host}"), &format!("2001:db8::{host:x}"), now);
        }
        assert!(attempts.blocked("new", "2001:db8::ffff", now));

        for i in 0..(MAX_TRACKED + 500) {
            attempts.failed(
                &format!("guess{i}"),
                &format!("10.{}.{}.1", i / 250, i % 250),
                now,
            );
        }
        let failures = attempts.failures();
        assert!(failures.by_login.0.len() <= MAX_TRACKED);
        assert!(failures.by_client.0.len() <= MAX_TRACKED);
    }
}
