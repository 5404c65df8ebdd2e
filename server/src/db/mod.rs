//! The database handle. The engines Ruta stores in — SQLite (the embedded
//! default) and PostgreSQL (production, several instances) — sit behind
//! the [`Storage`] trait, one implementation each in [`sqlite`] and
//! [`postgres`]: connection set-up, pools, migrations, and the few things
//! the engines really do differently (bind markers, row locks, one writer
//! or many, cross-instance notifications).
//!
//! The per-aggregate SQL in `crate::store` is written once against that
//! trait: it is the same text on both engines, so it is not copied into
//! each implementation. It runs through sqlx's `Any` driver and asks the
//! engine for what differs ([`Storage::markers`], [`Storage::row_lock`]).
use sqlx::migrate::Migrator;
use sqlx::AnyPool;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

pub mod outage;
pub mod postgres;
pub mod sqlite;

pub use outage::{outage_of, Outage};

/// How a `SELECT` inside a write transaction keeps the rows it read from
/// other writers until commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowLock {
    /// One writer at a time holds the whole database: nothing to add.
    Implicit,
    /// `FOR UPDATE`, taken row by row.
    ForUpdate,
}

impl RowLock {
    /// The clause that ends a `SELECT` over one table.
    pub fn clause(self) -> &'static str {
        match self {
            RowLock::Implicit => "",
            RowLock::ForUpdate => " FOR UPDATE",
        }
    }
}

/// Which engine a URL or a [`Storage`] names.
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
}

/// A storage engine: what the services and the SQL modules need to know of
/// the database they run on, and nothing of which one it is.
pub trait Storage: Send + Sync + fmt::Debug + 'static {
    /// Which engine this is (for logs, tests and benchmarks; services ask
    /// for capabilities below instead).
    fn kind(&self) -> Backend;

    /// The pool for reads that need no write lock.
    fn read(&self) -> &AnyPool;

    /// The pool every write transaction begins on.
    fn write(&self) -> &AnyPool;

    /// This engine's migrations (each engine has its own directory).
    fn migrator(&self) -> &'static Migrator;

    /// Bind markers for one statement, in binding order.
    fn markers(&self) -> Markers;

    /// How a `SELECT` inside a write transaction holds the rows it read.
    fn row_lock(&self) -> RowLock;

    /// Does one writer at a time hold the whole database? Then writes are
    /// best grouped: several uploads' new sales in one commit, a batch's
    /// sales in one transaction with a savepoint each.
    fn has_single_writer(&self) -> bool;

    /// Do other server processes share this database, so that events must
    /// travel through it (`NOTIFY`) rather than through process memory?
    fn is_shared_by_instances(&self) -> bool;
}

/// How long the health check waits for the database.
const PING_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// The shared handle to the engine the server was started on.
#[derive(Clone, Debug)]
pub struct Db(Arc<dyn Storage>);

impl Deref for Db {
    type Target = dyn Storage;

    fn deref(&self) -> &Self::Target {
        self.0.as_ref()
    }
}

impl Db {
    /// Opens the engine `url` names (`sqlite://…` or `postgres://…`).
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        match Backend::of_url(url).ok_or(DbError::UnsupportedUrl)? {
            Backend::Sqlite => Ok(Self(Arc::new(sqlite::Sqlite::connect(url).await?))),
            Backend::Postgres => Ok(Self(Arc::new(postgres::Postgres::connect(url).await?))),
        }
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        self.migrator().run(self.write()).await?;
        Ok(())
    }

    /// `SELECT 1`, for the health check: bounded, so a database that is
    /// down makes `/health` answer 503 at once instead of waiting out the
    /// pool's acquire timeout.
    pub async fn ping(&self) -> bool {
        let ping = sqlx::query("SELECT 1").execute(self.read());
        matches!(tokio::time::timeout(PING_TIMEOUT, ping).await, Ok(Ok(_)))
    }

    pub async fn close(&self) {
        self.write().close().await;
        self.read().close().await;
    }
}

/// How an engine writes bind markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerStyle {
    /// `$1, $2, …`
    Numbered,
    /// `?, ?, …`, bound by position.
    Positional,
}

/// Bind markers in binding order, in the engine's [`MarkerStyle`].
#[derive(Debug, Clone)]
pub struct Markers {
    style: MarkerStyle,
    count: usize,
}

impl Markers {
    pub fn new(style: MarkerStyle) -> Self {
        Self { style, count: 0 }
    }

    /// The marker of the next value to bind.
    pub fn mark(&mut self) -> String {
        self.count += 1;
        match self.style {
            MarkerStyle::Positional => "?".to_owned(),
            MarkerStyle::Numbered => format!("${}", self.count),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_number_or_repeat_in_binding_order() {
        let mut numbered = Markers::new(MarkerStyle::Numbered);
        assert_eq!(numbered.mark(), "$1");
        assert_eq!(numbered.row(2), "($2, $3)");
        let mut positional = Markers::new(MarkerStyle::Positional);
        assert_eq!(positional.row(3), "(?, ?, ?)");
    }

    #[test]
    fn urls_name_their_engine() {
        assert_eq!(
            Backend::of_url("sqlite://data/ruta.db"),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::of_url("postgresql://h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of_url("mysql://h/db"), None);
    }
}
