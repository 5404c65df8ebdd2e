//! The dashboard's questions to the log, per device: last upload,
//! uploads counted, failures in a span.
use sqlx::AnyExecutor;

/// `$from, …, $(from + n - 1)` — only ever numbers, never input.
fn marks(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The time of each device's last row among `actions` (its newest row:
/// rows are appended in time order), for the devices listed.
pub async fn last_of_devices<'e>(
    db: impl AnyExecutor<'e>,
    device_ids: &[&str],
    actions: &[&str],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    if device_ids.is_empty() || actions.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT l.device_id, l.timestamp FROM sync_log l JOIN \
           (SELECT MAX(id) AS id FROM sync_log WHERE device_id IN ({}) AND action IN ({}) \
            GROUP BY device_id) m ON m.id = l.id",
        marks(1, device_ids.len()),
        marks(device_ids.len() + 1, actions.len())
    );
    let mut q = sqlx::query_as(&sql);
    for d in device_ids {
        q = q.bind(*d);
    }
    for a in actions {
        q = q.bind(*a);
    }
    q.fetch_all(db).await
}

/// Rows among `actions` in `[from, to)` per device, most first:
/// (device_id, a seller code of those rows, rows).
///
/// `(action || '')` keeps the planner off the action index: without
/// statistics SQLite otherwise walks every upload row of all time through
/// it instead of today's rows by timestamp (an order of magnitude slower on
/// a large log; BENCHMARKS.md, admin overview).
pub async fn count_by_device<'e>(
    db: impl AnyExecutor<'e>,
    from: &str,
    to: &str,
    actions: &[&str],
    limit: i64,
) -> Result<Vec<(String, Option<String>, i64)>, sqlx::Error> {
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT device_id, MAX(seller_code), COUNT(*) FROM sync_log \
         WHERE timestamp >= $1 AND timestamp < $2 AND device_id IS NOT NULL AND (action || '') IN ({}) \
         GROUP BY device_id ORDER BY COUNT(*) DESC, device_id LIMIT ${}",
        marks(3, actions.len()),
        actions.len() + 3
    );
    let mut q = sqlx::query_as(&sql).bind(from).bind(to);
    for a in actions {
        q = q.bind(*a);
    }
    q.bind(limit).fetch_all(db).await
}

/// Failed rows between consecutive `bounds` (ascending RFC 3339 UTC
/// texts): `(i, n)` for the rows in `[bounds[i], bounds[i + 1])`; buckets
/// without rows are left out. One query over the `sync_log_failed_time`
/// partial index.
pub async fn failures_between<'e>(
    db: impl AnyExecutor<'e>,
    bounds: &[String],
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    if bounds.len() < 2 {
        return Ok(Vec::new());
    }
    let last = bounds.len();
    let cases: String = (1..last - 1)
        .map(|i| format!("WHEN timestamp < ${} THEN {} ", i + 1, i - 1))
        .collect();
    let sql = format!(
        "SELECT CAST(CASE {cases}ELSE {} END AS BIGINT) AS bucket, COUNT(*) FROM sync_log \
         WHERE success = 0 AND timestamp >= $1 AND timestamp < ${last} GROUP BY 1",
        last - 2
    );
    let mut q = sqlx::query_as(&sql);
    for b in bounds {
        q = q.bind(b.as_str());
    }
    q.fetch_all(db).await
}
