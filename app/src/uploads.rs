//! Uploaded files waiting for their preview to be confirmed (a bulk update, a strategy to
//! import), by token. In memory: a restart forgets them (the file is uploaded again), and
//! nothing a stranger sends is kept (only signed-in owners and admins upload). Bounded: at
//! most `MOST` uploads at once and `MOST_PER_ACCOUNT` per account (the oldest goes first),
//! each for `KEPT_FOR`.

use crate::error::AppError;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

/// Uploads are kept this long for their preview and applying.
const KEPT_FOR: Duration = Duration::from_secs(60 * 60);
/// With the file limits, a few tens of MB held at most.
const MOST: usize = 8;
const MOST_PER_ACCOUNT: usize = 3;

/// One uploaded file, read.
#[derive(Clone, Debug)]
pub struct Upload<T> {
    pub account: i64,
    /// The file's name as uploaded (shortened).
    pub file: String,
    /// What was read from it.
    pub content: T,
    made: Instant,
}

#[derive(Debug)]
pub struct Uploads<T> {
    kept: Arc<Mutex<HashMap<String, Upload<T>>>>,
}

impl<T> Default for Uploads<T> {
    fn default() -> Self {
        Uploads {
            kept: Arc::default(),
        }
    }
}

impl<T> Clone for Uploads<T> {
    fn clone(&self) -> Self {
        Uploads {
            kept: self.kept.clone(),
        }
    }
}

impl<T: Clone> Uploads<T> {
    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<String, Upload<T>>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps an upload; its token.
    pub fn keep(&self, account: i64, file: &str, content: T) -> Result<String, AppError> {
        let (token, _) = crate::auth::new_session_token()?;
        let mut kept = self.kept();
        kept.retain(|_, upload| upload.made.elapsed() < KEPT_FOR);
        let oldest = |kept: &HashMap<String, Upload<T>>, mine: bool| {
            kept.iter()
                .filter(|(_, u)| !mine || u.account == account)
                .min_by_key(|(_, u)| u.made)
                .map(|(t, _)| t.clone())
        };
        while kept.values().filter(|u| u.account == account).count() >= MOST_PER_ACCOUNT {
            let Some(token) = oldest(&kept, true) else {
                break;
            };
            kept.remove(&token);
        }
        while kept.len() >= MOST {
            let Some(token) = oldest(&kept, false) else {
                break;
            };
            kept.remove(&token);
        }
        let name: String = file.chars().take(200).collect();
        kept.insert(
            token.clone(),
            Upload {
                account,
                file: name,
                content,
                made: Instant::now(),
            },
        );
        Ok(token)
    }

    /// The caller's upload `token`, if it is theirs and still kept.
    pub fn get(&self, account: i64, token: &str) -> Option<Upload<T>> {
        self.kept()
            .get(token)
            .filter(|u| u.account == account && u.made.elapsed() < KEPT_FOR)
            .cloned()
    }

    /// Removes and returns the caller's upload `token`.
    pub fn take(&self, account: i64, token: &str) -> Option<Upload<T>> {
        let mut kept = self.kept();
        match kept.get(token) {
            Some(upload) if upload.account == account => kept.remove(token),
            _ => None,
        }
    }
}
