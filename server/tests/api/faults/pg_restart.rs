//! PostgreSQL restarted during load, on a private cluster: its backends
//! terminated, then the whole cluster stopped (`-m immediate`) and started
//! again. While it is down the server must answer quickly and in the
//! contract's shape (503); once it is back, it recovers by itself.
use super::private_pg::PrivatePg;
use super::*;
use std::time::Instant;

/// How long a request may take while the database is down.
const ANSWER_BOUND: Duration = Duration::from_secs(8);

async fn terminate_backends(url: &str) -> i64 {
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url)
        .await
        .unwrap();
    let killed: Vec<(bool,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE pid <> pg_backend_pid() AND datname = current_database()",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    killed.len() as i64
}

/// One GET, timed; (status, body, elapsed).
async fn timed_get(url: &str, token: Option<&str>) -> (u16, Value, Duration) {
    let start = Instant::now();
    let mut req = Client::new().get(url);
    if let Some(t) = token {
        req = req.header("Authorization", format!("Token {t}"));
    }
    let r = tokio::time::timeout(Duration::from_secs(40), req.send())
        .await
        .expect("the request hung")
        .unwrap();
    let status = r.status().as_u16();
    let body = r.json().await.unwrap_or(Value::Null);
    (status, body, start.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_restarted_during_load() {
    sqlx::any::install_default_drivers();
    let pg = PrivatePg::start();
    let url = pg.url();
    demo(&url).await;
    let server = Server::start(&url).await;
    let token = login(&http_client(), &server.base, "admin").await;
    let load = Load::start(std::slice::from_ref(&server.base), 4, 3).await;
    let mut probe = Phone::new(&server.base, "ana", load.ledger.clone()).await;

    // (a) Every backend of ours terminated: uploads go on.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        terminate_backends(&url).await > 0,
        "the server had connections"
    );
    probe.new_batch(1);
    probe.drain(&server.base, Duration::from_secs(10)).await;

    // (b) The cluster stopped.
    tokio::time::sleep(Duration::from_millis(300)).await;
    pg.stop_immediate();
    let (status, body, health_took) = timed_get(&format!("{}/health", server.base), None).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["db"], "error", "{body}");
    assert!(body["status"].is_string(), "{body}");
    assert!(health_took < ANSWER_BOUND, "/health took {health_took:?}");
    let (status, body, api_took) = timed_get(
        &format!("{}/api/v1/sales/?limit=1", server.base),
        Some(&token),
    )
    .await;
    assert_eq!(status, 503, "{body}");
    assert!(body["detail"].is_string(), "{body}");
    assert!(api_took < ANSWER_BOUND, "an API call took {api_took:?}");
    let r = Client::new()
        .post(format!("{}/api/v1/sales/sync/upload/", server.base))
        .header("Authorization", format!("Token {token}"))
        .json(&json!({"sales": [sale(&new_id())]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    let body: Value = r.json().await.unwrap();
    assert!(body["detail"].is_string(), "{body}");

    // (c) Back again: the first new upload that succeeds, timed.
    pg.start_again();
    let back = Instant::now();
    probe.new_batch(1);
    probe.drain(&server.base, Duration::from_secs(30)).await;
    let recovered = back.elapsed();
    let ledger = load.finish().await;
    let (sent, stored) = assert_ledger_matches(&url, &server.base, &ledger).await;
    server.assert_no_panic();
    println!(
        "faults: PostgreSQL restart: while down /health 503 in {health_took:?}, an API call 503 \
         in {api_took:?}; first upload {recovered:?} after the database returned; \
         {sent} sales sent, {stored} stored, {} sends retried",
        ledger.retried_sends
    );
    assert!(
        recovered < Duration::from_secs(10),
        "recovery took {recovered:?}"
    );
}
