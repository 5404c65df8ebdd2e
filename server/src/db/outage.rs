//! Database faults that are not the request's fault: the database is down,
//! restarting, read-only, or out of space. The HTTP layer answers them
//! with 503/507 (retry later) instead of a 500, so a phone keeps its
//! sales and sends them again.

/// Why the database cannot serve a request right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// Unreachable, restarting, connections cut, read-only, or busy: 503.
    Unavailable,
    /// No space left to write: 507.
    Full,
}

/// PostgreSQL SQLSTATEs of an outage: class 08 (connection exception),
/// 57P01–57P03 (admin/crash shutdown, cannot connect now), 53xxx
/// (insufficient resources: 53100 disk full, 53300 too many connections),
/// 25006 (read-only transaction, e.g. a standby).
fn pg_outage(code: &str) -> Option<Outage> {
    match code {
        "53100" => Some(Outage::Full),
        c if c.starts_with("08") || c.starts_with("57P") || c.starts_with("53") => {
            Some(Outage::Unavailable)
        }
        "25006" => Some(Outage::Unavailable),
        _ => None,
    }
}

/// SQLite result codes (the primary code is the low byte of an extended
/// one): 5 BUSY, 6 LOCKED, 8 READONLY, 10 IOERR, 14 CANTOPEN → 503;
/// 13 FULL → 507. `SQLITE_IOERR` may also mean a full disk (a write in the
/// WAL that fails with ENOSPC), which the message tells apart.
fn sqlite_outage(code: i64, message: &str) -> Option<Outage> {
    match code & 0xff {
        13 => Some(Outage::Full),
        10 if message.contains("full") || message.contains("space") => Some(Outage::Full),
        5 | 6 | 8 | 10 | 14 => Some(Outage::Unavailable),
        _ => None,
    }
}

/// Is `e` an outage of the database (rather than a bug or a bad request)?
pub fn outage_of(e: &sqlx::Error) -> Option<Outage> {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            Some(Outage::Unavailable)
        }
        sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => Some(Outage::Unavailable),
        sqlx::Error::Database(db) => {
            let code = db.code()?;
            match code.parse::<i64>() {
                // SQLite codes are numbers; SQLSTATEs are five characters
                // and may be all digits too, so a PostgreSQL code is tried
                // first by its length.
                Ok(_) if code.len() == 5 => pg_outage(&code),
                Ok(n) => sqlite_outage(n, &db.message().to_lowercase()),
                Err(_) => pg_outage(&code),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_faults_are_unavailable_and_space_is_full() {
        assert_eq!(
            outage_of(&sqlx::Error::PoolTimedOut),
            Some(Outage::Unavailable)
        );
        assert_eq!(pg_outage("57P01"), Some(Outage::Unavailable));
        assert_eq!(pg_outage("08006"), Some(Outage::Unavailable));
        assert_eq!(pg_outage("53100"), Some(Outage::Full));
        assert_eq!(pg_outage("23505"), None);
        assert_eq!(
            sqlite_outage(13, "database or disk is full"),
            Some(Outage::Full)
        );
        assert_eq!(
            sqlite_outage(1032, "attempt to write a readonly database"),
            Some(Outage::Unavailable)
        );
        assert_eq!(sqlite_outage(2067, "UNIQUE constraint failed"), None);
    }
}
