//! Passwords, session tokens and the caller of a request: server only.
//!
//! Passwords are hashed with argon2id (19 MiB, 2 passes, 1 lane) off the async runtime. A
//! session cookie carries 32 random bytes; the database keeps only their SHA-256, so a copy of
//! the database opens no session.

mod attempts;

pub use attempts::{FAILURE_WINDOW_MINUTES, LoginAttempts, MAX_FAILURES};

use crate::{
    domain::{
        access::Account,
        validation::{self, Problem},
    },
    error::AppError,
};
use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

/// The session cookie over https: the `__Host-` prefix pins it to this host and path `/`.
pub const SECURE_COOKIE: &str = "__Host-meilenstein";
/// The session cookie on plain http://127.0.0.1 during development (a `__Host-` cookie needs
/// `Secure`).
pub const PLAIN_COOKIE: &str = "meilenstein_session";

/// zxcvbn looks at this much of a password; beyond it a password is long enough anyway and the
/// estimate only costs time.
const STRENGTH_CHECKED_CHARS: usize = 64;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password on a blocking thread.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        hasher()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        AppError::Internal
    })
}

/// A hash of a password nobody has, verified against when the login name is unknown, so that
/// unknown and known names take the same time.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$bWVpbGVuc3RlaW5kZWNveQ$bqN3Y7Q6bC7S8LwWgPq1u6m6d3Yb8t1vWZbK8s4w4rI";

/// Password checks under way at once: as many as there are cores. Each takes 19 MiB and a core
/// for tens of milliseconds; a crowd of logins (or of guesses from many addresses) waits its
/// turn instead of taking the memory of hundreds at once. One per process, like the cores.
static CHECKING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
});

/// Checks a password against a stored hash (or against the decoy) on a blocking thread.
pub async fn verify_password(password: String, stored: Option<String>) -> bool {
    let known = stored.is_some();
    let hash = stored.unwrap_or_else(|| DECOY_HASH.to_owned());
    let Ok(_turn) = CHECKING.acquire().await else {
        return false;
    };
    let matches = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                hasher()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    known && matches
}

/// The rules for a new password: 12 to 1024 characters, and not common or easily guessed
/// (zxcvbn score 0 or 1, i.e. under a million guesses, also counting the login and name).
pub fn check_new_password(password: &str, personal: &[&str]) -> Result<(), Problem> {
    validation::password(password)?;
    let checked: String = password.chars().take(STRENGTH_CHECKED_CHARS).collect();
    let score = zxcvbn::zxcvbn(&checked, personal).score();
    if (score as u8) <= 1 {
        Err(Problem::CommonPassword)
    } else {
        Ok(())
    }
}

/// A new session token: the cookie value and the hash stored for it.
pub fn new_session_token() -> Result<(String, Vec<u8>), AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| {
        tracing::error!(%error, "no randomness for a session token");
        AppError::Internal
    })?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    Ok((token, hash))
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The session cookie's `Set-Cookie` value; `None` ends it.
pub fn session_cookie(secure: bool, token: Option<&str>, max_age_seconds: i64) -> String {
    let (name, secure_attribute) = if secure {
        (SECURE_COOKIE, "; Secure")
    } else {
        (PLAIN_COOKIE, "")
    };
    match token {
        Some(token) => format!(
            "{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure_attribute}"
        ),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure_attribute}"),
    }
}

/// The session token a request carries in its cookie header, if any.
pub fn token_from_cookies(cookie_header: &str, secure: bool) -> Option<&str> {
    let name = if secure { SECURE_COOKIE } else { PLAIN_COOKIE };
    cookie_header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// Who is calling, as the session middleware found it for this request.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub account: Option<Account>,
    /// The hash of the session token, when there is a session (to end or extend it).
    pub session: Option<Vec<u8>>,
    /// The client's address, for the login rate limit.
    pub client: String,
}

/// The caller of the current server function or page render.
pub fn caller() -> Caller {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Caller>().cloned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hash = hash_password("Rheinufer und Zitadelle".into())
            .await
            .unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("Rheinufer und Zitadelle".into(), Some(hash.clone())).await);
        assert!(!verify_password("rheinufer und zitadelle".into(), Some(hash)).await);
        assert!(!verify_password("anything at all".into(), None).await);
    }

    #[test]
    fn the_decoy_is_a_real_hash_with_the_same_cost() {
        let decoy = PasswordHash::new(DECOY_HASH).unwrap();
        assert_eq!(decoy.algorithm.as_str(), "argon2id");
        let params = Params::try_from(&decoy).unwrap();
        assert_eq!(
            (params.m_cost(), params.t_cost(), params.p_cost()),
            (19 * 1024, 2, 1)
        );
    }

    #[test]
    fn common_and_short_passwords_are_refused() {
        assert_eq!(
            check_new_password("kurz", &[]),
            Err(Problem::TooShort { min: 12 })
        );
        for common in [
            "password1234",
            "123456789012",
            "qwertyuiopas",
            "passwordpassword",
        ] {
            assert_eq!(
                check_new_password(common, &[]),
                Err(Problem::CommonPassword),
                "{common}"
            );
        }
        assert_eq!(
            check_new_password("schulamt2026", &["schulamt"]),
            Err(Problem::CommonPassword),
            "the login name does not make a password"
        );
        assert_eq!(
            check_new_password("Gutenberg druckt Meilensteine", &[]),
            Ok(())
        );
        assert_eq!(
            check_new_password(&"lang und sicher ".repeat(60), &[]),
            Ok(())
        );
    }

    #[test]
    fn tokens_are_random_and_stored_only_as_hashes() {
        let (a, hash_a) = new_session_token().unwrap();
        let (b, _) = new_session_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_a, token_hash(&a));
        assert_ne!(hash_a, a.as_bytes());
    }

    #[test]
    fn the_cookie_is_host_bound_and_secure_over_https() {
        let cookie = session_cookie(true, Some("t0k"), 43200);
        assert_eq!(
            cookie,
            "__Host-meilenstein=t0k; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200; Secure"
        );
        assert!(!session_cookie(false, Some("t0k"), 1).contains("Secure"));
        assert!(session_cookie(true, None, 0).contains("Max-Age=0"));
        assert_eq!(
            token_from_cookies("a=1; __Host-meilenstein=xyz; b=2", true),
            Some("xyz")
        );
        assert_eq!(token_from_cookies("meilenstein_session=xyz", true), None);
        assert_eq!(token_from_cookies("meilenstein_session=", false), None);
    }
}
