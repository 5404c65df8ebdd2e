//! `kill -9` in the middle of the background workers' passes: a retry pass
//! re-running sales kept in error, and a webhook delivery whose request has
//! reached the receiver but not been answered. After a restart on the same
//! database every sale is accepted exactly once with gapless numbers, and
//! every delivery arrives; a delivery sent again carries the same
//! `X-Ruta-Delivery` id and body (at-least-once, the id is the receiver's
//! idempotency key).
use super::*;
use crate::helpers::{Backend, TestDb};
use std::collections::HashMap;
use tokio::sync::Notify;

const DEADLINE: Duration = Duration::from_secs(40);

async fn api(
    client: &Client,
    method: reqwest::Method,
    base: &str,
    token: &str,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let r = client
        .request(method, format!("{base}{path}"))
        .header("Authorization", format!("Token {token}"))
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn connect(db_url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::pool::PoolOptions::new()
        .max_connections(1)
        .connect(db_url)
        .await
        .unwrap()
}

/// Sales with a number (accepted), among `ids`.
async fn accepted_count(conn: &sqlx::AnyPool, ids: &[i64]) -> usize {
    let rows: Vec<(i64, Option<String>)> = sqlx::query_as("SELECT id, number FROM sales")
        .fetch_all(conn)
        .await
        .unwrap();
    rows.iter()
        .filter(|(id, n)| n.is_some() && ids.contains(id))
        .count()
}

const RETRIED: usize = 300;

async fn kill9_mid_retry_pass(backend: Backend) {
    let db = TestDb::new(backend).await;
    demo(&db.url).await;
    let mut server = Server::start_with(&db.url, &[("RUTA_RETRY_LEASE", "2s")]).await;
    let client = http_client();
    let base = server.base.clone();
    let admin = login(&client, &base, "admin").await;
    let ana = login(&client, &base, "ana").await;
    let (status, _) = api(
        &client,
        reqwest::Method::DELETE,
        &base,
        &admin,
        "/api/v1/customers/5/",
        &json!({}),
    )
    .await;
    assert_eq!(status, 204);
    // Every sale fails check 3 (inactive customer) and is kept in error.
    let sales: Vec<Value> = (0..RETRIED).map(|_| sale(&new_id())).collect();
    let (status, body) = api(
        &client,
        reqwest::Method::POST,
        &base,
        &ana,
        "/api/v1/sales/sync/upload/",
        &json!({ "sales": sales }),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let ids: Vec<i64> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["error"], "Customer con id=5 no existe", "{r}");
            r["sale_id"].as_i64().unwrap()
        })
        .collect();
    let (status, _) = api(
        &client,
        reqwest::Method::PUT,
        &base,
        &admin,
        "/api/v1/customers/5/",
        &json!({"name": "Tienda 5", "active": true}),
    )
    .await;
    assert_eq!(status, 200);

    let conn = connect(&db.url).await;
    let (status, body) = api(
        &client,
        reqwest::Method::POST,
        &base,
        &ana,
        "/api/v1/sales/sync/retry/",
        &json!({ "sale_ids": ids }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["processed"], RETRIED);
    // The pass has begun: kill it. Polled tightly (not `eventually`'s
    // 50 ms) so that the kill lands while the worker is running.
    let start = std::time::Instant::now();
    while accepted_count(&conn, &ids).await == 0 {
        assert!(start.elapsed() < Duration::from_secs(10), "no retry ran");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill9().await;
    let at_kill = accepted_count(&conn, &ids).await;
    let (leased,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sales WHERE sync_status = 'pending' AND next_attempt_at > $1",
    )
    .bind(ruta_server::clock::format(
        chrono::Utc::now() + chrono::Duration::milliseconds(500),
    ))
    .fetch_one(&conn)
    .await
    .unwrap();
    assert!(
        at_kill < RETRIED,
        "the pass finished before the kill ({at_kill} accepted)"
    );

    server.restart().await;
    eventually(DEADLINE, || async {
        (accepted_count(&conn, &ids).await == RETRIED).then_some(())
    })
    .await;
    let stored = stored_sales(&db.url).await;
    assert_eq!(stored.len(), RETRIED, "no sale stored twice");
    let numbers: Vec<String> = stored.into_iter().filter_map(|(_, n)| n).collect();
    assert_eq!(numbers.len(), RETRIED);
    assert_gapless(&numbers);
    // One accepted creation per sale in the log, however many attempts.
    let created: Vec<(i64,)> =
        sqlx::query_as("SELECT sale_id FROM sync_log WHERE action = 'create_sale' AND success = 1")
            .fetch_all(&conn)
            .await
            .unwrap();
    let unique: HashSet<i64> = created.iter().map(|(id,)| *id).collect();
    assert_eq!(unique.len(), created.len(), "a sale was created twice");
    assert_eq!(unique.len(), RETRIED);
    assert_log_verifies(&server.base).await;
    server.assert_no_panic();
    println!(
        "faults: {backend:?}: kill -9 mid retry pass at {at_kill}/{RETRIED} accepted ({leased} claimed, unfinished); after restart {RETRIED} accepted once, numbers gapless"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill9_mid_retry_pass_sqlite() {
    kill9_mid_retry_pass(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill9_mid_retry_pass_postgres() {
    kill9_mid_retry_pass(Backend::Postgres).await
}

/// A webhook receiver that, while `holding`, takes each request and never
/// answers it (the sender dies waiting), and answers 200 otherwise.
struct HoldingReceiver {
    url: String,
    /// Delivery id → bodies received, in order.
    got: Arc<Mutex<HashMap<String, Vec<Vec<u8>>>>>,
    held: Arc<Mutex<HashSet<String>>>,
    holding: Arc<AtomicBool>,
    first_held: Arc<Notify>,
}

impl HoldingReceiver {
    async fn start() -> Self {
        let got: Arc<Mutex<HashMap<String, Vec<Vec<u8>>>>> = Arc::default();
        let held: Arc<Mutex<HashSet<String>>> = Arc::default();
        let holding = Arc::new(AtomicBool::new(true));
        let first_held = Arc::new(Notify::new());
        let (sink, held_sink, hold, notify) = (
            got.clone(),
            held.clone(),
            holding.clone(),
            first_held.clone(),
        );
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: bytes::Bytes| {
                let (sink, held_sink, hold, notify) = (
                    sink.clone(),
                    held_sink.clone(),
                    hold.clone(),
                    notify.clone(),
                );
                async move {
                    let id = headers
                        .get("x-ruta-delivery")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    sink.lock()
                        .unwrap()
                        .entry(id.clone())
                        .or_default()
                        .push(body.to_vec());
                    if hold.load(Ordering::SeqCst) {
                        held_sink.lock().unwrap().insert(id);
                        notify.notify_one();
                        std::future::pending::<()>().await;
                    }
                    axum::http::StatusCode::OK
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url: format!("http://127.0.0.1:{port}/hook"),
            got,
            held,
            holding,
            first_held,
        }
    }
}

const DELIVERED: usize = 6;

async fn kill9_mid_webhook_delivery(backend: Backend) {
    let db = TestDb::new(backend).await;
    demo(&db.url).await;
    let env = [
        ("RUTA_WEBHOOK_ALLOW_PRIVATE", "true"),
        // The lease is 3 × 1 s + 5 s: the held deliveries go again 8 s on.
        ("RUTA_WEBHOOK_TIMEOUT", "1s"),
    ];
    let mut server = Server::start_with(&db.url, &env).await;
    let receiver = HoldingReceiver::start().await;
    let client = http_client();
    let base = server.base.clone();
    let admin = login(&client, &base, "admin").await;
    let ana = login(&client, &base, "ana").await;
    let (status, hook) = api(
        &client,
        reqwest::Method::POST,
        &base,
        &admin,
        "/api/v1/webhooks/",
        &json!({"url": receiver.url, "events": ["sale_synced"]}),
    )
    .await;
    assert_eq!(status, 201, "{hook}");
    let hook_id = hook["id"].as_i64().unwrap();
    let sales: Vec<Value> = (0..DELIVERED).map(|_| sale(&new_id())).collect();
    let (status, _) = api(
        &client,
        reqwest::Method::POST,
        &base,
        &ana,
        "/api/v1/sales/sync/upload/",
        &json!({ "sales": sales }),
    )
    .await;
    assert_eq!(status, 200);

    // A request has reached the receiver, unanswered: kill the sender.
    tokio::time::timeout(Duration::from_secs(10), receiver.first_held.notified())
        .await
        .expect("no delivery reached the receiver");
    server.kill9().await;
    receiver.holding.store(false, Ordering::SeqCst);
    let held = receiver.held.lock().unwrap().clone();
    let sent_before_restart: HashSet<String> =
        receiver.got.lock().unwrap().keys().cloned().collect();
    server.restart().await;

    let path = format!("/api/v1/webhooks/{hook_id}/deliveries/");
    let list = eventually(DEADLINE, || async {
        let (_, list) = api(
            &client,
            reqwest::Method::GET,
            &base,
            &admin,
            &path,
            &json!({}),
        )
        .await;
        let rows = list["results"].as_array()?;
        (rows.len() == DELIVERED && rows.iter().all(|d| d["status"] == "delivered")).then_some(list)
    })
    .await;
    let stored: HashSet<String> = list["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    let got = receiver.got.lock().unwrap().clone();
    let received: HashSet<String> = got.keys().cloned().collect();
    assert_eq!(received, stored, "every delivery arrived, under its own id");
    let mut repeated = HashSet::new();
    for (id, bodies) in &got {
        assert!(bodies.len() <= 2, "{id} sent {} times", bodies.len());
        if bodies.len() == 2 {
            assert!(
                sent_before_restart.contains(id),
                "{id} sent twice by the restarted server"
            );
            assert_eq!(bodies[0], bodies[1], "a repeat carries the same body");
            repeated.insert(id.clone());
        }
    }
    assert!(!held.is_empty());
    assert!(
        held.is_subset(&repeated),
        "each delivery cut off by the kill came again: held {held:?}, repeated {repeated:?}"
    );
    server.assert_no_panic();
    println!(
        "faults: {backend:?}: kill -9 mid webhook delivery: {DELIVERED} deliveries, {} cut off and sent again with the same id, {DELIVERED} delivered",
        held.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill9_mid_webhook_delivery_sqlite() {
    kill9_mid_webhook_delivery(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill9_mid_webhook_delivery_postgres() {
    kill9_mid_webhook_delivery(Backend::Postgres).await
}
