//! `GET /metrics`: admin-only on the main address, tokenless on
//! `RUTA_METRICS_ADDR`; requests, sales outcomes, WebSockets, queue depths
//! and pool gauges are there and move with what the server does.
//!
//! The recorder is process-wide and the suite runs servers in parallel, so
//! counters are compared before and after (they only grow) and gauges
//! are checked while this test holds what they count.
use crate::helpers::*;
use reqwest::StatusCode;
use ruta_server::config::{Config, DatabaseUrl};
use ruta_server::services::demo;
use ruta_server::Application;
use std::time::Duration;

/// The sum of the samples of `name` whose labels include every pair.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (series, value) = l.rsplit_once(' ')?;
            let (metric, rest) = match series.split_once('{') {
                Some((m, rest)) => (m, rest),
                None => (series, ""),
            };
            let wanted = metric == name
                && labels
                    .iter()
                    .all(|(k, v)| rest.contains(&format!("{k}=\"{v}\"")));
            wanted.then(|| value.parse::<f64>().ok()).flatten()
        })
        .sum()
}

async fn scrape(app: &TestApp, token: &str) -> String {
    let r = app.get(token, "/metrics").await;
    assert_eq!(r.status(), StatusCode::OK);
    let kind = r.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    r.text().await.unwrap()
}

async fn metrics_follow_uploads_sockets_and_requests(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let ana = app.login("ana", Some("PHONE-M")).await;

    let anonymous = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get(&ana, "/metrics").await.status(),
        StatusCode::FORBIDDEN
    );

    let before = scrape(&app, &admin).await;
    let sale = sale(&new_id());
    let (status, _) = app.upload(&ana, vec![sale.clone()]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.upload(&ana, vec![sale]).await;
    assert_eq!(status, StatusCode::OK);
    let mut bad = crate::helpers::sale(&new_id());
    bad["items"][0]["quantity"] = "-1".into();
    app.upload(&ana, vec![bad]).await;

    let url = format!(
        "{}/ws/cargue/ID1/?token={ana}",
        app.base.replacen("http", "ws", 1)
    );
    let (socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    // The socket is counted once its handler runs, just after the upgrade.
    let after = eventually(Duration::from_secs(10), || async {
        let text = scrape(&app, &admin).await;
        (sample(&text, "ruta_websockets_open", &[]) >= 1.0).then_some(text)
    })
    .await;

    let grew = |name: &str, labels: &[(&str, &str)]| {
        sample(&after, name, labels) - sample(&before, name, labels)
    };
    assert!(
        grew("ruta_sales_total", &[("outcome", "accepted")]) >= 1.0,
        "{after}"
    );
    assert!(grew("ruta_sales_total", &[("outcome", "duplicate")]) >= 1.0);
    assert!(grew("ruta_sales_total", &[("outcome", "error")]) >= 1.0);
    let upload = [
        ("method", "POST"),
        ("route", "/api/v1/sales/sync/upload/"),
        ("status", "200"),
    ];
    assert!(grew("ruta_http_requests_total", &upload) >= 2.0);
    let timed = [("route", "/api/v1/sales/sync/upload/")];
    assert!(grew("ruta_http_request_duration_seconds_count", &timed) >= 3.0);
    assert!(after.contains("ruta_http_request_duration_seconds_bucket{"));
    // Paths are patterns, never the raw path with its values.
    assert!(
        after.contains("route=\"/ws/cargue/{seller_code}/\""),
        "{after}"
    );
    assert!(!after.contains("route=\"/ws/cargue/ID1/"));
    assert!(after.contains("ruta_retry_queue_depth "));
    assert!(after.contains("ruta_webhook_deliveries_pending "));
    assert!(sample(&after, "ruta_db_pool_connections", &[("state", "idle")]) >= 0.0);
    assert!(after.contains("ruta_db_pool_connections{"));
    if backend == Backend::Sqlite {
        assert!(after.contains("ruta_group_writer_batch_uploads_bucket{"));
    }
    drop(socket);
}

async fn failed_logins_are_counted(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let before = sample(
        &scrape(&app, &admin).await,
        "ruta_login_failures_total",
        &[],
    );
    let r = app
        .client
        .post(app.url("/api/v1/auth/token/"))
        .json(&serde_json::json!({"username": "ana", "password": "mala"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let after = sample(
        &scrape(&app, &admin).await,
        "ruta_login_failures_total",
        &[],
    );
    assert!(after - before >= 1.0);
}

crate::both_backends!(
    metrics_follow_uploads_sockets_and_requests,
    failed_logins_are_counted
);

/// With `RUTA_METRICS_ADDR` the scrape needs no token there, and the main
/// address still asks for one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_separate_metrics_address_needs_no_token() {
    let test_db = TestDb::new(Backend::Sqlite).await;
    let config = Config {
        database_url: DatabaseUrl::new(test_db.url.clone()),
        metrics_addr: Some("127.0.0.1:0".parse().unwrap()),
        ..Config::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app = Application::build(config, listener).await.unwrap();
    demo::load(&app.state().db).await.unwrap();
    let (port, metrics_port) = (app.port(), app.metrics_port().unwrap());
    tokio::spawn(async move {
        let _ = app.run_until(std::future::pending()).await;
    });
    let client = reqwest::Client::new();
    let health = client
        .get(format!("http://127.0.0.1:{port}/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let r = client
        .get(format!("http://127.0.0.1:{metrics_port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(text.contains("ruta_http_requests_total{"), "{text}");
    assert!(text.contains("route=\"/health\""));
    let main = client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(main.status(), StatusCode::UNAUTHORIZED);
    // Nothing else is served on the metrics address.
    let other = client
        .get(format!("http://127.0.0.1:{metrics_port}/api/v1/products/"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}
