//! PostgreSQL, for production and for several server processes on one
//! database. Reads and writes share one pool; correctness comes from
//! constraints, transactions and row locks (`FOR UPDATE`), never from
//! process memory, so any number of `ruta serve` can run side by side.
use super::{DbError, MarkerStyle, Markers, RowLock, Storage};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

const CONNECTIONS: u32 = 16;

/// How long a request waits for a connection. While the database is down
/// or restarting, the pool keeps retrying to connect until this runs out:
/// it bounds how long a request hangs before its 503 (`db::Outage`), and is
/// still far above the wait for a connection under load.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug)]
pub struct Postgres {
    pool: AnyPool,
}

impl Postgres {
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let options = AnyConnectOptions::from_str(url)?.disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }
}

impl Storage for Postgres {
    fn kind(&self) -> super::Backend {
        super::Backend::Postgres
    }

    fn read(&self) -> &AnyPool {
        &self.pool
    }

    fn write(&self) -> &AnyPool {
        &self.pool
    }

    fn migrator(&self) -> &'static Migrator {
        &MIGRATOR
    }

    fn markers(&self) -> Markers {
        Markers::new(MarkerStyle::Numbered)
    }

    fn row_lock(&self) -> RowLock {
        RowLock::ForUpdate
    }

    fn has_single_writer(&self) -> bool {
        false
    }

    fn is_shared_by_instances(&self) -> bool {
        true
    }
}
