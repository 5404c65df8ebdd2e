//! The scale-out deployment: two `ruta serve` processes on one PostgreSQL.
//! Idempotency and gapless numbering must hold across them, because they
//! come from the database, not from either process.
use crate::concurrency::assert_gapless;
use crate::helpers::*;
use futures_util::future::join_all;
use reqwest::Client;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server {
    base: String,
    _child: Child,
}

async fn start(db_url: &str) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_ruta"))
        .arg("serve")
        .env("RUTA_DATABASE_URL", db_url)
        .env("RUTA_ADDR", format!("127.0.0.1:{port}"))
        .env("RUTA_SYNC_RATE", "off")
        .env("RUTA_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = Client::new();
    eventually(Duration::from_secs(30), || async {
        let r = client.get(format!("{base}/health")).send().await.ok()?;
        r.status().is_success().then_some(())
    })
    .await;
    Server {
        base,
        _child: child,
    }
}

async fn login(base: &str, user: &str) -> String {
    let body: Value = Client::new()
        .post(format!("{base}/api/v1/auth/token/"))
        .json(&json!({"username": user, "password": "ruta2026"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["token"].as_str().unwrap().to_owned()
}

async fn upload(base: &str, token: &str, sales: Vec<Value>) -> Value {
    Client::new()
        .post(format!("{base}/api/v1/sales/sync/upload/"))
        .header("Authorization", format!("Token {token}"))
        .json(&json!({ "sales": sales }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_server_processes_on_one_postgres_keep_the_guarantees() {
    let db = TestDb::new(Backend::Postgres).await;
    let status = Command::new(env!("CARGO_BIN_EXE_ruta"))
        .arg("demo")
        .env("RUTA_DATABASE_URL", &db.url)
        .stdout(Stdio::null())
        .status()
        .await
        .unwrap();
    assert!(status.success());
    let (a, b) = (start(&db.url).await, start(&db.url).await);
    let servers = [a.base.as_str(), b.base.as_str()];
    let tokens = [
        login(servers[0], "ana").await,
        login(servers[1], "ana").await,
    ];

    // 20 uploads of one sale, alternating between the two processes.
    let id = new_id();
    let same = (0..20).map(|i| upload(servers[i % 2], &tokens[i % 2], vec![sale(&id)]));
    let ids: HashSet<i64> = join_all(same)
        .await
        .iter()
        .map(|b| {
            assert_eq!(b["results"][0]["status"], "success", "{b}");
            b["results"][0]["sale_id"].as_i64().unwrap()
        })
        .collect();
    assert_eq!(ids.len(), 1);

    // 10 devices × 20 sales at once, spread over both processes.
    let devices = (0..10).map(|d| {
        let sales: Vec<Value> = (0..20).map(|_| sale(&new_id())).collect();
        upload(servers[d % 2], &tokens[d % 2], sales)
    });
    let mut numbers = vec![ids_number(servers[0], &tokens[0], &id).await];
    for body in join_all(devices).await {
        assert_eq!(body["summary"]["successful"], 20, "{body}");
        numbers.extend(
            body["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["sale_number"].as_str().unwrap().to_owned()),
        );
    }
    assert_eq!(numbers.len(), 201);
    assert_gapless(&numbers);
}

async fn ids_number(base: &str, token: &str, local_id: &str) -> String {
    let body = upload(base, token, vec![sale(local_id)]).await;
    body["results"][0]["sale_number"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_tick_through_one_instance_reaches_a_subscriber_of_the_other() {
    use crate::cargue::{next_json, DATE};
    let db = TestDb::new(Backend::Postgres).await;
    let status = Command::new(env!("CARGO_BIN_EXE_ruta"))
        .arg("demo")
        .env("RUTA_DATABASE_URL", &db.url)
        .stdout(Stdio::null())
        .status()
        .await
        .unwrap();
    assert!(status.success());
    let (a, b) = (start(&db.url).await, start(&db.url).await);
    let dispatcher_b = login(&b.base, "despacho").await;
    let dispatcher_a = login(&a.base, "despacho").await;
    let seller_a = login(&a.base, "ana").await;
    let client = Client::new();
    let plan = client
        .put(format!("{}/api/v1/cargue/ID1/?date={DATE}", a.base))
        .header("Authorization", format!("Token {dispatcher_a}"))
        .json(&json!({"lines": [{"product_id": 1, "quantity": "40"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(plan.status(), 200);

    let mut on_b =
        crate::cargue::connect(&b.base, &format!("/ws/cargue/ID1/?token={dispatcher_b}"))
            .await
            .unwrap();
    assert_eq!(
        next_json(&mut on_b).await,
        json!({"type": "hello", "seq": 1})
    );
    let tick = client
        .post(format!("{}/api/v1/cargue/ID1/check/", a.base))
        .header("Authorization", format!("Token {seller_a}"))
        .json(&json!({"date": DATE, "product_id": 1, "v": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(tick.status(), 200);
    let event = next_json(&mut on_b).await;
    assert_eq!(event["type"], "check_update");
    assert_eq!(event["seq"], 2);
    assert_eq!(event["v"], true);
}
