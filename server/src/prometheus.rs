//! Prometheus metrics: their names, the process-wide recorder, and the
//! gauges read from the database when `/metrics` is scraped.
//!
//! Counters and histograms are kept by the `metrics` facade as things
//! happen; queue depths and pool usage are read at scrape time instead, so
//! they are right on every instance even when another one did the work.
use crate::db::Db;
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use ruta_shared::sync::{ResultStatus, UploadResult};
use std::sync::OnceLock;
use std::time::Duration;

pub const HTTP_REQUESTS: &str = "ruta_http_requests_total";
pub const HTTP_SECONDS: &str = "ruta_http_request_duration_seconds";
pub const SALES: &str = "ruta_sales_total";
pub const RETRY_QUEUE: &str = "ruta_retry_queue_depth";
pub const WEBHOOK_QUEUE: &str = "ruta_webhook_deliveries_pending";
pub const WEBSOCKETS: &str = "ruta_websockets_open";
pub const WRITER_UPLOADS: &str = "ruta_group_writer_batch_uploads";
pub const WRITER_ROWS: &str = "ruta_group_writer_batch_rows";
pub const DB_CONNECTIONS: &str = "ruta_db_pool_connections";
pub const LOGIN_FAILURES: &str = "ruta_login_failures_total";
pub const LOGIN_REFUSED: &str = "ruta_login_refused_total";

const SECONDS_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
const BATCH_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the recorder on first use (once per process: the test suite
/// starts many servers in one process, and they share it).
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(HTTP_SECONDS.into()), SECONDS_BUCKETS)
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Suffix("_batch_uploads".into()),
                        BATCH_BUCKETS,
                    )
                })
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Suffix("_batch_rows".into()), BATCH_BUCKETS)
                })
                .map_err(|e| tracing::warn!(error = %e, "metrics buckets"))
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            match metrics::set_global_recorder(recorder) {
                Ok(()) => {
                    tokio::spawn(upkeep(handle.clone()));
                    Some(handle)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "another metrics recorder is installed");
                    None
                }
            }
        })
        .as_ref()
}

/// Histograms are folded into their buckets here rather than on every
/// scrape, so memory stays bounded when nobody scrapes.
async fn upkeep(handle: PrometheusHandle) {
    loop {
        tokio::time::sleep(Duration::from_secs(5)).await;
        handle.run_upkeep();
    }
}

/// One finished HTTP request. `route` is the matched pattern (never the
/// raw path, whose values would make a series each).
pub fn http_request(method: &str, route: &str, status: u16, elapsed: Duration) {
    let (method, route) = (method.to_owned(), route.to_owned());
    counter!(HTTP_REQUESTS, "method" => method.clone(), "route" => route.clone(),
        "status" => status.to_string())
    .increment(1);
    histogram!(HTTP_SECONDS, "method" => method, "route" => route).record(elapsed.as_secs_f64());
}

/// The outcome of every sale of an upload: accepted, duplicate, error or
/// conflict.
pub fn count_upload_results(results: &[UploadResult]) {
    for r in results {
        let outcome = match r.status {
            ResultStatus::Success if r.is_duplicate() => "duplicate",
            ResultStatus::Success => "accepted",
            ResultStatus::Error => "error",
            ResultStatus::Conflict => "conflict",
        };
        counter!(SALES, "outcome" => outcome).increment(1);
    }
}

/// One commit of the SQLite group writer: how many uploads it merged and
/// how many rows (new sales and duplicates) it carried.
pub fn writer_batch(uploads: usize, rows: usize) {
    histogram!(WRITER_UPLOADS).record(uploads as f64);
    histogram!(WRITER_ROWS).record(rows as f64);
}

/// A failed password, or a login refused by the protection before any
/// password was checked (`reason`: `throttled` or `busy`).
pub fn login_failed() {
    counter!(LOGIN_FAILURES).increment(1);
}

pub fn login_refused(reason: &'static str) {
    counter!(LOGIN_REFUSED, "reason" => reason).increment(1);
}

/// Counts an open WebSocket for as long as it lives.
pub struct OpenWebSocket(());

impl OpenWebSocket {
    pub fn new() -> Self {
        gauge!(WEBSOCKETS).increment(1.0);
        Self(())
    }
}

impl Default for OpenWebSocket {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for OpenWebSocket {
    fn drop(&mut self) {
        gauge!(WEBSOCKETS).decrement(1.0);
    }
}

/// The text exposition, after reading the gauges that live in the
/// database and the pools. A query that fails leaves its gauge as it was
/// (the scrape itself still succeeds: the database's state is in
/// `/health`).
pub async fn render(db: &Db) -> String {
    let Some(handle) = handle() else {
        return String::new();
    };
    let (retries, deliveries) = crate::services::overview::backlogs(db).await;
    if let Some(n) = retries {
        gauge!(RETRY_QUEUE).set(n as f64);
    }
    if let Some(n) = deliveries {
        gauge!(WEBHOOK_QUEUE).set(n as f64);
    }
    // On PostgreSQL reads and writes share one pool.
    let pools: &[(&str, &sqlx::AnyPool)] = if std::ptr::eq(db.read(), db.write()) {
        &[("shared", db.read())]
    } else {
        &[("read", db.read()), ("write", db.write())]
    };
    for (name, pool) in pools {
        let open = pool.size() as f64;
        let idle = pool.num_idle() as f64;
        gauge!(DB_CONNECTIONS, "pool" => *name, "state" => "idle").set(idle);
        gauge!(DB_CONNECTIONS, "pool" => *name, "state" => "in_use").set(open - idle);
    }
    handle.render()
}
