//! The database handle: one SQL dialect-neutral API over SQLite (embedded
//! default) and PostgreSQL (production, several instances).
//!
//! Queries are written once with `$n` placeholders, which both engines
//! accept, and run through sqlx's `Any` driver; the few real dialect
//! differences (row locks, migrations) are methods on [`Backend`]. Each
//! backend has its own migrations directory.
//!
//! SQLite allows one writer at a time. Writes go through a pool of one
//! connection so a transaction that reads and then writes can never lose
//! its snapshot to another writer (SQLITE_BUSY_SNAPSHOT); reads use their
//! own pool, which WAL lets run beside the writer. On PostgreSQL both
//! pools are the same pool and correctness comes from constraints and row
//! locks (`FOR UPDATE`), so any number of server processes can share it.
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Self::Postgres)
        } else {
            None
        }
    }

    /// Row lock suffix for a `SELECT` inside a write transaction. SQLite
    /// needs none: its single writer already holds the database lock.
    pub fn for_update(&self) -> &'static str {
        match self {
            Self::Sqlite => "",
            Self::Postgres => " FOR UPDATE",
        }
    }
}

/// Bind markers in binding order: `$1, $2, …` on PostgreSQL, bare `?` on
/// SQLite. sqlx resolves every named SQLite marker (`$n`, `?n`) by name,
/// and SQLite finds a name with a linear scan, so a multi-row INSERT with
/// hundreds of named markers costs time quadratic in its size on the
/// single writer thread; bare markers bind by position.
#[derive(Debug, Clone)]
pub struct Markers {
    backend: Backend,
    count: usize,
}

impl Markers {
    pub fn new(backend: Backend) -> Self {
        Self { backend, count: 0 }
    }

    /// The marker of the next value to bind.
    pub fn mark(&mut self) -> String {
        self.count += 1;
        match self.backend {
            Backend::Sqlite => "?".to_owned(),
            Backend::Postgres => format!("${}", self.count),
        }
    }

    /// `(m, m, …)` for a row of `width` values.
    pub fn row(&mut self, width: usize) -> String {
        let marks: Vec<String> = (0..width).map(|_| self.mark()).collect();
        format!("({})", marks.join(", "))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL (use sqlite://… or postgres://…)")]
    UnsupportedUrl,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database directory: {0}")]
    Io(#[from] std::io::Error),
}

#[derive(Clone, Debug)]
pub struct Db {
    pub read: AnyPool,
    pub write: AnyPool,
    pub backend: Backend,
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
     PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;";

impl Db {
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url).ok_or(DbError::UnsupportedUrl)?;
        match backend {
            Backend::Sqlite => {
                let url = sqlite_url(url)?;
                let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
                let pool = |max: u32| {
                    AnyPoolOptions::new()
                        .max_connections(max)
                        .acquire_timeout(Duration::from_secs(30))
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                conn.execute(SQLITE_PRAGMAS).await?;
                                Ok(())
                            })
                        })
                        .connect_with(options.clone())
                };
                let write = pool(1).await?;
                let read = pool(8).await?;
                Ok(Self {
                    read,
                    write,
                    backend,
                })
            }
            Backend::Postgres => {
                let options = AnyConnectOptions::from_str(url)?.disable_statement_logging();
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(options)
                    .await?;
                Ok(Self {
                    read: pool.clone(),
                    write: pool,
                    backend,
                })
            }
        }
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.write)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.write)
                    .await?
            }
        }
        Ok(())
    }

    pub fn for_update(&self) -> &'static str {
        self.backend.for_update()
    }

    /// `SELECT 1`, for the health check.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.read).await.is_ok()
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// Makes sure the file's directory exists and that a missing file is
/// created (`mode=rwc`).
fn sqlite_url(url: &str) -> Result<String, DbError> {
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

/// Was this a unique-constraint violation (either engine)?
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || db
                    .code()
                    .is_some_and(|c| c == "23505" || c == "2067" || c == "1555")
        }
        _ => false,
    }
}
