-- The login rate limit is kept in memory (app/src/auth/attempts.rs): counting a stranger's
-- failed guess no longer writes to disk. Failed logins stay on record in the audit trail,
-- counted per account tried and minute.
DROP TABLE login_failures;
