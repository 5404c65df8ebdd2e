//! Where webhooks may send: private, loopback and link-local destinations
//! are refused at registration and again at delivery unless the operator
//! allows them; redirects are not followed; slow and huge answers are
//! bounded.
use crate::both_backends;
use crate::helpers::{eventually, spawn_app_with, Backend, Options, TestApp};
use axum::response::IntoResponse;
use reqwest::{Method, StatusCode};
use ruta_server::config::WebhookConfig;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(15);

fn options(allow_private: bool, timeout: Duration) -> Options {
    Options {
        webhooks: WebhookConfig {
            backoff_base: Duration::from_secs(60),
            backoff_cap: Duration::from_secs(60),
            timeout,
            allow_private,
            ..WebhookConfig::default()
        },
        ..Options::default()
    }
}

/// A receiver on 127.0.0.1 whose `/hook` answers with `answer`; counts hits.
async fn receiver(answer: axum::routing::MethodRouter) -> (u16, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = axum::Router::new()
        .route("/hook", answer)
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| {
                let counter = counter.clone();
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    next.run(req).await
                }
            },
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (port, hits)
}

fn ok_receiver() -> axum::routing::MethodRouter {
    axum::routing::post(|| async { StatusCode::OK })
}

/// Stores a webhook without the registration check: its name resolved to a
/// public address then and points elsewhere now.
async fn stored_hook(app: &TestApp, url: &str) -> i64 {
    let mut tx = app.db.write().begin().await.unwrap();
    let id = ruta_server::store::webhooks::insert(
        &mut tx,
        url,
        "sale_synced",
        "secret",
        true,
        &ruta_server::clock::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Queues a ping and waits for its first attempt to be recorded.
async fn ping_outcome(app: &TestApp, admin: &str, hook: i64) -> Value {
    let r = app
        .post(admin, &format!("/api/v1/webhooks/{hook}/test/"), &json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    eventually(DEADLINE, || async {
        let list: Value = app
            .get(admin, &format!("/api/v1/webhooks/{hook}/deliveries/"))
            .await
            .json()
            .await
            .unwrap();
        let first = list["results"][0].clone();
        (first["attempts"].as_i64().unwrap_or(0) >= 1).then_some(first)
    })
    .await
}

async fn private_destinations_are_refused_at_registration(backend: Backend) {
    let app = spawn_app_with(backend, options(false, Duration::from_secs(5))).await;
    let admin = app.login("admin", None).await;
    for url in [
        "http://127.0.0.1/",
        "http://10.0.0.1/",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://0.0.0.0:8080/",
        "http://2130706433/",
        "http://localhost:9/hook",
        "ftp://example.com/hook",
    ] {
        let r = app
            .post(
                &admin,
                "/api/v1/webhooks/",
                &json!({"url": url, "events": ["sale_synced"]}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{url}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["field"], "url", "{url}: {body}");
        assert!(body["error"].is_string(), "{url}: {body}");
    }
    // The same on update; a public destination is accepted.
    let r = app
        .post(
            &admin,
            "/api/v1/webhooks/",
            &json!({"url": "https://example.com/hook", "events": ["sale_synced"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = app
        .send(
            Method::PUT,
            &admin,
            &format!("/api/v1/webhooks/{id}/"),
            &json!({"url": "http://169.254.169.254/"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

async fn a_destination_turned_private_is_refused_at_delivery(backend: Backend) {
    let app = spawn_app_with(backend, options(false, Duration::from_secs(5))).await;
    let admin = app.login("admin", None).await;
    let (port, hits) = receiver(ok_receiver()).await;
    for url in [
        format!("http://localhost:{port}/hook"),
        format!("http://127.0.0.1:{port}/hook"),
    ] {
        let hook = stored_hook(&app, &url).await;
        let outcome = ping_outcome(&app, &admin, hook).await;
        assert_eq!(outcome["status"], "pending", "{url}: {outcome}");
        let error = outcome["error"].as_str().unwrap_or_default();
        assert!(error.contains("destino no permitido"), "{url}: {error}");
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a refused address was contacted"
    );
}

async fn redirects_are_not_followed(backend: Backend) {
    let app = spawn_app_with(backend, options(true, Duration::from_secs(5))).await;
    let admin = app.login("admin", None).await;
    let (target, target_hits) = receiver(ok_receiver()).await;
    let location = format!("http://127.0.0.1:{target}/hook");
    let (port, _) = receiver(axum::routing::post(move || {
        let location = location.clone();
        async move { axum::response::Redirect::temporary(&location).into_response() }
    }))
    .await;
    let r = app
        .post(
            &admin,
            "/api/v1/webhooks/",
            &json!({"url": format!("http://127.0.0.1:{port}/hook"), "events": ["sale_synced"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let hook = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let outcome = ping_outcome(&app, &admin, hook).await;
    assert_eq!(outcome["response_status"], 307, "{outcome}");
    assert_eq!(target_hits.load(Ordering::SeqCst), 0);
}

/// One attempt lasts at most the configured timeout, whether the receiver
/// never answers or answers with an endless body (which is never read).
async fn slow_and_huge_answers_are_bounded(backend: Backend) {
    let timeout = Duration::from_secs(1);
    let app = spawn_app_with(backend, options(true, timeout)).await;
    let admin = app.login("admin", None).await;
    let (slow, _) = receiver(axum::routing::post(|| async {
        tokio::time::sleep(Duration::from_secs(30)).await;
        StatusCode::OK
    }))
    .await;
    let (huge, _) = receiver(axum::routing::post(|| async {
        let chunk = bytes::Bytes::from(vec![b'x'; 64 * 1024]);
        let endless =
            futures_util::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
        axum::body::Body::from_stream(endless).into_response()
    }))
    .await;
    for (port, want) in [(slow, "timeout"), (huge, "delivered")] {
        let r = app
            .post(
                &admin,
                "/api/v1/webhooks/",
                &json!({"url": format!("http://127.0.0.1:{port}/hook"), "events": ["sale_synced"]}),
            )
            .await;
        let hook = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let started = Instant::now();
        let outcome = ping_outcome(&app, &admin, hook).await;
        let took = started.elapsed();
        if want == "timeout" {
            assert_eq!(outcome["error"], "timeout", "{outcome}");
        } else {
            assert_eq!(outcome["status"], "delivered", "{outcome}");
        }
        // The worker polls every 0.5 s; the attempt itself is bounded by `timeout`.
        assert!(took < timeout + Duration::from_secs(3), "{want}: {took:?}");
        println!("{want}: attempt recorded after {took:?}");
    }
}

both_backends!(
    private_destinations_are_refused_at_registration,
    a_destination_turned_private_is_refused_at_delivery,
    redirects_are_not_followed,
    slow_and_huge_answers_are_bounded,
);
