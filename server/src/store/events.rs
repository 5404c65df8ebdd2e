//! Replayable event streams: each stream has a gapless sequence (its row
//! locked until the event commits) and keeps its events for replay.
use super::Tx;
use crate::db::Storage;
use sqlx::{AnyExecutor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    pub stream: String,
    pub seq: i64,
    pub payload: String,
}

pub async fn next_seq(tx: &mut Tx<'_>, stream: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO event_streams (stream, last_seq) VALUES ($1, 1) \
         ON CONFLICT (stream) DO UPDATE SET last_seq = event_streams.last_seq + 1 RETURNING last_seq",
    )
    .bind(stream)
    .fetch_one(&mut **tx)
    .await
}

pub async fn insert(
    tx: &mut Tx<'_>,
    stream: &str,
    seq: i64,
    payload: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO events (stream, seq, payload, created_at) VALUES ($1, $2, $3, $4)")
        .bind(stream)
        .bind(seq)
        .bind(payload)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Tells every instance listening on PostgreSQL; delivered at commit.
pub async fn notify(tx: &mut Tx<'_>, channel: &str, message: &str) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(message)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

pub async fn latest_seq<'e>(db: impl AnyExecutor<'e>, stream: &str) -> Result<i64, sqlx::Error> {
    let seq: Option<i64> =
        sqlx::query_scalar("SELECT last_seq FROM event_streams WHERE stream = $1")
            .bind(stream)
            .fetch_optional(db)
            .await?;
    Ok(seq.unwrap_or(0))
}

pub async fn range<'e>(
    db: impl AnyExecutor<'e>,
    stream: &str,
    after: i64,
    up_to: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT stream, seq, payload FROM events WHERE stream = $1 AND seq > $2 AND seq <= $3 ORDER BY seq",
    )
    .bind(stream)
    .bind(after)
    .bind(up_to)
    .fetch_all(db)
    .await
}

pub async fn one<'e>(
    db: impl AnyExecutor<'e>,
    stream: &str,
    seq: i64,
) -> Result<Option<EventRow>, sqlx::Error> {
    sqlx::query_as("SELECT stream, seq, payload FROM events WHERE stream = $1 AND seq = $2")
        .bind(stream)
        .bind(seq)
        .fetch_optional(db)
        .await
}

/// Events older than `before` go; the contract keeps at least 24 hours.
pub async fn prune<'e>(db: impl AnyExecutor<'e>, before: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM events WHERE created_at < $1")
        .bind(before)
        .execute(db)
        .await?
        .rows_affected())
}

/// Takes `n` consecutive sequence numbers of `stream` and returns the
/// first (same row lock as [`next_seq`]).
pub async fn next_seqs(tx: &mut Tx<'_>, stream: &str, n: i64) -> Result<i64, sqlx::Error> {
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO event_streams (stream, last_seq) VALUES ($1, $2) \
         ON CONFLICT (stream) DO UPDATE SET last_seq = event_streams.last_seq + $2 RETURNING last_seq",
    )
    .bind(stream)
    .bind(n)
    .fetch_one(&mut **tx)
    .await?;
    Ok(last - n + 1)
}

/// Rows per multi-row INSERT (bounded so the statement texts stay few).
const ROWS_PER_INSERT: usize = 50;

/// Inserts `(seq, payload)` events of one stream with multi-row INSERTs.
pub async fn insert_many(
    tx: &mut Tx<'_>,
    engine: &dyn Storage,
    stream: &str,
    rows: &[(i64, String)],
    now: &str,
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut m = engine.markers();
        let values: Vec<String> = chunk.iter().map(|_| m.row(4)).collect();
        let sql = format!(
            "INSERT INTO events (stream, seq, payload, created_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (seq, payload) in chunk {
            q = q.bind(stream).bind(*seq).bind(payload).bind(now);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}
