//! The graceful stop of a real `ruta serve` (SQLite): SIGTERM in the middle
//! of an upload storm. The process must exit 0 within the grace period,
//! every sale answered `success` must be in the database, every request
//! must end with an answer or a clean close (never hang), and an open
//! WebSocket must be closed with code 1012 (service restart).
use crate::helpers::*;
use crate::serve_child::{load_demo, ServeChild};
use futures_util::StreamExt;
use reqwest::Client;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 6;
const SALES_PER_UPLOAD: usize = 10;
/// Longer than the 5 s grace: a request still waiting then is a hang.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// What one client saw: the sales answered `success`, and how its last
/// request ended.
struct ClientRun {
    stored: Vec<String>,
    answered: usize,
    ended: String,
}

async fn storm(base: String, token: String, answered: Arc<AtomicUsize>) -> ClientRun {
    // A client of its own per storm task, as separate devices are.
    let client = Client::builder().timeout(REQUEST_TIMEOUT).build().unwrap();
    let mut run = ClientRun {
        stored: Vec::new(),
        answered: 0,
        ended: String::new(),
    };
    loop {
        let ids: Vec<String> = (0..SALES_PER_UPLOAD).map(|_| new_id()).collect();
        let sales: Vec<Value> = ids.iter().map(|id| sale(id)).collect();
        let sent = client
            .post(format!("{base}/api/v1/sales/sync/upload/"))
            .header("Authorization", format!("Token {token}"))
            .json(&json!({ "sales": sales }))
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                assert!(!e.is_timeout(), "an upload hung during the stop: {e}");
                run.ended = format!("connection: {e}");
                return run;
            }
        };
        let status = response.status();
        let body: Result<Value, _> = response.json().await;
        match body {
            Ok(body) if status.is_success() => {
                run.answered += 1;
                answered.fetch_add(1, Ordering::Relaxed);
                for r in body["results"].as_array().unwrap() {
                    if r["status"] == "success" {
                        run.stored.push(r["local_id"].as_str().unwrap().to_owned());
                    }
                }
            }
            Ok(body) => {
                run.ended = format!("HTTP {status}: {body}");
                return run;
            }
            Err(e) => {
                assert!(!e.is_timeout(), "an answer hung during the stop: {e}");
                run.ended = format!("body: {e}");
                return run;
            }
        }
    }
}

async fn stored_local_ids(url: &str) -> HashSet<String> {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url)
        .await
        .unwrap();
    sqlx::query_scalar::<_, String>("SELECT local_id FROM sales")
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_mid_storm_stops_cleanly_and_loses_no_answered_sale() {
    let db = TestDb::new(Backend::Sqlite).await;
    load_demo(&db.url).await;
    let grace = Duration::from_secs(5);
    let mut server = ServeChild::start(&db.url, &[("RUTA_SHUTDOWN_GRACE", "5s".into())]).await;
    let base = format!("http://127.0.0.1:{}", server.port);
    let client = Client::new();
    server.wait_ready(&client, &base).await;
    let login = |user: &'static str| {
        let (client, base) = (client.clone(), base.clone());
        async move {
            let body: Value = client
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
    };
    let seller = login("ana").await;
    let admin = login("admin").await;

    let ws_url = format!(
        "ws://127.0.0.1:{}/ws/sync/status/?token={admin}",
        server.port
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(ws_url).await.unwrap();
    let hello = ws.next().await.unwrap().unwrap();
    assert!(hello.to_text().unwrap().contains("hello"), "{hello}");

    let answered = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| tokio::spawn(storm(base.clone(), seller.clone(), answered.clone())))
        .collect();
    // Mid-storm: after some uploads have been answered, while all go on.
    eventually(Duration::from_secs(30), || async {
        (answered.load(Ordering::Relaxed) >= 3 * CLIENTS).then_some(())
    })
    .await;
    server.signal("TERM");
    let signalled = Instant::now();

    let status = tokio::time::timeout(grace + Duration::from_secs(5), server.child.wait())
        .await
        .expect("the server did not exit within the grace period")
        .unwrap();
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0), "exit status {status:?}");

    // The WebSocket's last frame: close 1012, then the end of the stream.
    let close = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(frame) = ws.next().await {
            if let Ok(tokio_tungstenite::tungstenite::Message::Close(close)) = frame {
                return close;
            }
        }
        None
    })
    .await
    .expect("the WebSocket was not closed");
    let close = close.expect("the WebSocket ended without a close frame");
    assert_eq!(u16::from(close.code), 1012, "{close:?}");

    let mut promised = HashSet::new();
    let mut uploads = 0;
    for c in clients {
        let run = c.await.unwrap();
        assert!(!run.ended.is_empty());
        uploads += run.answered;
        promised.extend(run.stored);
    }
    let stored = stored_local_ids(&db.url).await;
    let lost: Vec<_> = promised.difference(&stored).collect();
    assert!(
        lost.is_empty(),
        "{} answered sales not stored: {lost:?}",
        lost.len()
    );
    assert!(uploads >= 3 * CLIENTS);
    eprintln!(
        "stop: exited in {took:?} after SIGTERM; {uploads} uploads answered, {} sales promised, {} stored",
        promised.len(),
        stored.len()
    );
    let logs = server.logs();
    assert!(logs.contains("stopping gracefully"), "{logs}");
    assert!(!logs.contains(&admin), "a token reached the logs");
}
