//! SQLite, the embedded default: one file, WAL, foreign keys on, a busy
//! timeout.
//!
//! SQLite allows one writer at a time. Writes go through a pool of one
//! connection so a transaction that reads and then writes can never lose
//! its snapshot to another writer (SQLITE_BUSY_SNAPSHOT); reads use their
//! own pool, which WAL lets run beside the writer.
use super::{DbError, MarkerStyle, Markers, RowLock, Storage};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::str::FromStr;
use std::time::Duration;

/// Public for `ruta restore`, which checks a backup's schema version.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// `synchronous = FULL`: every commit's WAL frames are fsynced before the
/// sale is acknowledged. With NORMAL they may sit in the page cache, and a
/// disk error that makes the filesystem read-only (or a power cut) lost
/// every sale acknowledged since the last checkpoint (15 of 15 in
/// `faults::read_only` before this setting).
const PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
     PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;";

const READERS: u32 = 8;

#[derive(Debug)]
pub struct Sqlite {
    read: AnyPool,
    write: AnyPool,
}

impl Sqlite {
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let url = with_create_mode(url)?;
        let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
        let pool = |max: u32| {
            AnyPoolOptions::new()
                .max_connections(max)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute(PRAGMAS).await?;
                        Ok(())
                    })
                })
        };
        let write = pool(1)
            .after_release(|conn, _| Box::pin(in_autocommit(conn)))
            .connect_with(options.clone())
            .await?;
        Ok(Self {
            write,
            read: pool(READERS).connect_with(options).await?,
        })
    }
}

impl Storage for Sqlite {
    fn kind(&self) -> super::Backend {
        super::Backend::Sqlite
    }

    fn read(&self) -> &AnyPool {
        &self.read
    }

    fn write(&self) -> &AnyPool {
        &self.write
    }

    fn migrator(&self) -> &'static Migrator {
        &MIGRATOR
    }

    /// Bare `?`: sqlx resolves every named SQLite marker (`$n`, `?n`) by
    /// name, and SQLite finds a name with a linear scan, so a multi-row
    /// INSERT with hundreds of named markers would cost time quadratic in
    /// its size on the single writer thread.
    fn markers(&self) -> Markers {
        Markers::new(MarkerStyle::Positional)
    }

    /// None needed: the single writer already holds the database lock.
    fn row_lock(&self) -> RowLock {
        RowLock::Implicit
    }

    fn has_single_writer(&self) -> bool {
        true
    }

    fn is_shared_by_instances(&self) -> bool {
        false
    }
}

/// Is the writer back in autocommit mode, as a connection must be when it
/// returns to the pool? When a statement or a COMMIT fails with
/// SQLITE_FULL or SQLITE_IOERR, SQLite may roll the transaction back by
/// itself; sqlx's ROLLBACK then fails and it keeps counting a transaction,
/// so the next `begin()` on that connection issues a SAVEPOINT and its
/// "commit" a RELEASE inside a transaction that never commits: uploads
/// acknowledged and then lost (found by the disk-full fault test). Such a
/// connection is closed instead (`Ok(false)`) and the pool opens a new one.
/// `BEGIN` fails if SQLite still holds a transaction; it runs after any
/// rollback queued on the connection, so the depth read after it is final.
async fn in_autocommit(conn: &mut sqlx::AnyConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    if conn.execute("BEGIN").await.is_err() {
        return Ok(false);
    }
    conn.execute("ROLLBACK").await?;
    Ok(!conn.is_in_transaction())
}

/// Makes sure the file's directory exists and that a missing file is
/// created (`mode=rwc`).
fn with_create_mode(url: &str) -> Result<String, DbError> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or("");
    if !path.is_empty() && path != ":memory:" {
        if let Some(dir) = std::path::Path::new(path).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
    }
    Ok(if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_created() {
        assert_eq!(
            with_create_mode("sqlite::memory:").ok().as_deref(),
            Some("sqlite::memory:?mode=rwc")
        );
        assert_eq!(
            with_create_mode("sqlite::memory:?cache=shared")
                .ok()
                .as_deref(),
            Some("sqlite::memory:?cache=shared&mode=rwc")
        );
        assert_eq!(
            with_create_mode("sqlite::memory:?mode=ro").ok().as_deref(),
            Some("sqlite::memory:?mode=ro")
        );
    }
}
