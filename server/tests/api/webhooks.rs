//! Webhooks: CRUD, validation and roles; real deliveries to a receiver
//! bound inside the test, their signature, retries and who gets what.
use crate::both_backends;
use crate::helpers::*;
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(15);

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: Vec<u8>,
}

/// A webhook receiver on 127.0.0.1:<port 0>: answers 500 to its first
/// `failures` requests and 200 afterwards (each after `delay`), and keeps
/// what it got.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(failures: usize) -> Self {
        Self::start_with(failures, Duration::ZERO).await
    }

    async fn start_with(failures: usize, delay: Duration) -> Self {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let calls = Arc::new(AtomicUsize::new(0));
        let sink = got.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: bytes::Bytes| {
                let sink = sink.clone();
                let calls = calls.clone();
                async move {
                    tokio::time::sleep(delay).await;
                    sink.lock().unwrap().push(Received {
                        headers,
                        body: body.to_vec(),
                    });
                    if calls.fetch_add(1, Ordering::SeqCst) < failures {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::OK
                    }
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
        }
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    async fn wait_for(&self, n: usize) -> Vec<Received> {
        eventually(DEADLINE, || async {
            let got = self.received();
            (got.len() >= n).then_some(got)
        })
        .await
    }
}

fn header<'a>(r: &'a Received, name: &str) -> &'a str {
    r.headers
        .get(name)
        .unwrap_or_else(|| panic!("missing header {name}"))
        .to_str()
        .unwrap()
}

/// The receiver's side of the signature check, written independently of
/// the server's code.
fn signature_ok(secret: &str, r: &Received) -> bool {
    let ts = header(r, "x-ruta-timestamp");
    let given = header(r, "x-ruta-signature");
    let Some(hex_sig) = given.strip_prefix("sha256=") else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(ts.as_bytes());
    mac.update(b".");
    mac.update(&r.body);
    mac.verify_slice(&hex::decode(hex_sig).unwrap()).is_ok()
}

async fn create_hook(app: &TestApp, admin: &str, body: Value) -> Value {
    let r = app.post(admin, "/api/v1/webhooks/", &body).await;
    assert_eq!(r.status(), StatusCode::CREATED, "create {body}");
    r.json().await.unwrap()
}

async fn deliveries(app: &TestApp, admin: &str, hook_id: i64) -> Value {
    let r = app
        .get(admin, &format!("/api/v1/webhooks/{hook_id}/deliveries/"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// Waits until the webhook's newest delivery has `status`; returns it.
async fn newest_delivery_with(app: &TestApp, admin: &str, hook_id: i64, status: &str) -> Value {
    eventually(DEADLINE, || async {
        let list = deliveries(app, admin, hook_id).await;
        let first = list["results"][0].clone();
        (first["status"] == status).then_some(first)
    })
    .await
}

async fn webhook_crud_validation_and_roles(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let seller = app.login("ana", None).await;
    let dispatcher = app.login("despacho", None).await;

    // Roles: no token → 401, seller and dispatcher → 403, on every route.
    let r = app
        .client
        .get(app.url("/api/v1/webhooks/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let hook = json!({"url": "https://example.com/hook", "events": ["sale_synced"]});
    for token in [&seller, &dispatcher] {
        assert_eq!(
            app.get(token, "/api/v1/webhooks/").await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.post(token, "/api/v1/webhooks/", &hook).await.status(),
            StatusCode::FORBIDDEN
        );
        for (method, path) in [
            (Method::GET, "/api/v1/webhooks/1/"),
            (Method::PUT, "/api/v1/webhooks/1/"),
            (Method::DELETE, "/api/v1/webhooks/1/"),
            (Method::POST, "/api/v1/webhooks/1/secret/"),
            (Method::POST, "/api/v1/webhooks/1/test/"),
            (Method::GET, "/api/v1/webhooks/1/deliveries/"),
        ] {
            let r = app.send(method.clone(), token, path, &json!({})).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{method} {path}");
        }
    }

    // Create: 201 with the secret, shown this once.
    let created = create_hook(
        &app,
        &admin,
        json!({"url": "https://example.com/hook", "events": ["conflict_detected", "sale_synced"]}),
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 64);
    assert!(secret.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(created["url"], "https://example.com/hook");
    assert_eq!(
        created["events"],
        json!(["sale_synced", "conflict_detected"])
    );
    assert_eq!(created["active"], true);
    assert!(created["last_delivery_status"].is_null());
    assert!(created["created_at"].is_string() && created["updated_at"].is_string());

    let one: Value = app
        .get(&admin, &format!("/api/v1/webhooks/{id}/"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["id"], id);
    assert!(one.get("secret").is_none(), "secret shown again: {one}");
    let list: Value = app
        .get(&admin, "/api/v1/webhooks/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["count"], 1);
    assert_eq!(list["limit"], 50);
    assert_eq!(list["offset"], 0);
    assert_eq!(list["results"][0]["id"], id);
    assert!(list["results"][0].get("secret").is_none());

    // Validation: 400 {"error", "field"}.
    let long = format!("https://example.com/{}", "a".repeat(2_000));
    for (body, field) in [
        (json!({"events": ["sale_synced"]}), "url"),
        (json!({"url": "/hook", "events": ["sale_synced"]}), "url"),
        (
            json!({"url": "example.com/hook", "events": ["sale_synced"]}),
            "url",
        ),
        (
            json!({"url": "ftp://example.com/", "events": ["sale_synced"]}),
            "url",
        ),
        (json!({"url": long, "events": ["sale_synced"]}), "url"),
        (json!({"url": "https://example.com/"}), "events"),
        (
            json!({"url": "https://example.com/", "events": []}),
            "events",
        ),
        (
            json!({"url": "https://example.com/", "events": ["sale_deleted"]}),
            "events",
        ),
        (
            json!({"url": "https://example.com/", "events": ["ping"]}),
            "events",
        ),
    ] {
        let r = app.post(&admin, "/api/v1/webhooks/", &body).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{body}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["field"], field, "{body}: {e}");
        assert!(e["error"].is_string());
    }

    // Partial update.
    let path = format!("/api/v1/webhooks/{id}/");
    let r = app
        .send(Method::PUT, &admin, &path, &json!({"active": false}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let updated: Value = r.json().await.unwrap();
    assert_eq!(updated["active"], false);
    assert_eq!(updated["url"], "https://example.com/hook");
    assert_eq!(
        updated["events"],
        json!(["sale_synced", "conflict_detected"])
    );
    let r = app
        .send(
            Method::PUT,
            &admin,
            &path,
            &json!({"url": "http://hooks.example.com/ruta", "events": ["sale_error"]}),
        )
        .await;
    let updated: Value = r.json().await.unwrap();
    assert_eq!(updated["url"], "http://hooks.example.com/ruta");
    assert_eq!(updated["events"], json!(["sale_error"]));
    assert_eq!(updated["active"], false);
    let r = app
        .send(Method::PUT, &admin, &path, &json!({"events": ["nope"]}))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .send(
            Method::PUT,
            &admin,
            "/api/v1/webhooks/999999/",
            &json!({"active": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Secret rotation.
    let r = app
        .post(
            &admin,
            &format!("/api/v1/webhooks/{id}/secret/"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let rotated: Value = r.json().await.unwrap();
    let new_secret = rotated["secret"].as_str().unwrap();
    assert_eq!(new_secret.len(), 64);
    assert_ne!(new_secret, secret);

    // An empty history; unknown webhooks are 404 everywhere.
    let history = deliveries(&app, &admin, id).await;
    assert_eq!(history["count"], 0);
    assert_eq!(history["results"], json!([]));
    for (method, p) in [
        (Method::GET, "/api/v1/webhooks/999999/"),
        (Method::POST, "/api/v1/webhooks/999999/secret/"),
        (Method::POST, "/api/v1/webhooks/999999/test/"),
        (Method::GET, "/api/v1/webhooks/999999/deliveries/"),
    ] {
        let r = app.send(method.clone(), &admin, p, &json!({})).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{method} {p}");
    }

    // Delete → 204, then gone.
    let r = app.send(Method::DELETE, &admin, &path, &json!({})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get(&admin, &path).await.status(), StatusCode::NOT_FOUND);
    let r = app.send(Method::DELETE, &admin, &path, &json!({})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // At most 50 webhooks.
    for i in 0..50 {
        create_hook(
            &app,
            &admin,
            json!({"url": format!("https://example.com/{i}"), "events": ["sale_error"], "active": false}),
        )
        .await;
    }
    let r = app
        .post(
            &admin,
            "/api/v1/webhooks/",
            &json!({"url": "https://example.com/51", "events": ["sale_error"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let list: Value = app
        .get(&admin, "/api/v1/webhooks/?limit=10&offset=45")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["count"], 50);
    assert_eq!(list["results"].as_array().unwrap().len(), 5);
}

async fn a_synced_sale_is_delivered_signed(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let seller = app.login("ana", None).await;
    let receiver = Receiver::start(0).await;
    let hook = create_hook(
        &app,
        &admin,
        json!({"url": receiver.url, "events": ["sale_synced"]}),
    )
    .await;
    let hook_id = hook["id"].as_i64().unwrap();
    let secret = hook["secret"].as_str().unwrap();

    let local_id = new_id();
    let (status, body) = app.upload(&seller, vec![sale(&local_id)]).await;
    assert_eq!(status, StatusCode::OK);
    let sale_id = body["results"][0]["sale_id"].as_i64().unwrap();

    let got = receiver.wait_for(1).await;
    let r = &got[0];
    assert!(signature_ok(secret, r), "bad signature");
    assert_eq!(header(r, "content-type"), "application/json");
    assert_eq!(header(r, "user-agent"), "Ruta-Webhooks/1");
    assert_eq!(header(r, "x-ruta-event"), "sale_synced");
    let ts: i64 = header(r, "x-ruta-timestamp").parse().unwrap();
    assert!((chrono::Utc::now().timestamp() - ts).abs() < 60);
    let sent: Value = serde_json::from_slice(&r.body).unwrap();
    let delivery_id = header(r, "x-ruta-delivery");
    assert!(uuid::Uuid::parse_str(delivery_id).is_ok());
    assert_eq!(sent["id"], delivery_id);
    assert_eq!(sent["event"], "sale_synced");
    assert!(chrono::DateTime::parse_from_rfc3339(sent["ts"].as_str().unwrap()).is_ok());
    assert_eq!(sent["data"]["sale_id"], sale_id);
    assert_eq!(sent["data"]["local_id"], local_id.as_str());
    assert_eq!(sent["data"]["seller_code"], "ID1");
    assert!(sent["data"].get("type").is_none());

    // The history shows it delivered, with the body that was sent.
    let d = newest_delivery_with(&app, &admin, hook_id, "delivered").await;
    assert_eq!(d["id"], delivery_id);
    assert_eq!(d["event"], "sale_synced");
    assert_eq!(d["attempts"], 1);
    assert_eq!(d["response_status"], 200);
    assert!(d["error"].is_null());
    assert!(d["last_attempt_at"].is_string());
    assert!(d["next_attempt_at"].is_null());
    assert_eq!(d["payload"], sent);
    let h: Value = app
        .get(&admin, &format!("/api/v1/webhooks/{hook_id}/"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(h["last_delivery_status"], "delivered");

    // A test ping: 202 with the queued delivery, then sent and signed.
    let r = app
        .post(
            &admin,
            &format!("/api/v1/webhooks/{hook_id}/test/"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let ping: Value = r.json().await.unwrap();
    assert_eq!(ping["event"], "ping");
    assert_eq!(ping["payload"]["event"], "ping");
    assert_eq!(ping["payload"]["id"], ping["id"]);
    let got = receiver.wait_for(2).await;
    assert_eq!(header(&got[1], "x-ruta-event"), "ping");
    assert_eq!(
        header(&got[1], "x-ruta-delivery"),
        ping["id"].as_str().unwrap()
    );
    assert!(signature_ok(secret, &got[1]));
    let list = deliveries(&app, &admin, hook_id).await;
    assert_eq!(list["count"], 2);
    assert_eq!(list["results"][0]["id"], ping["id"], "newest first");
}

async fn a_failed_delivery_is_retried_until_delivered(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let seller = app.login("ana", None).await;
    let receiver = Receiver::start(1).await;
    let hook = create_hook(
        &app,
        &admin,
        json!({"url": receiver.url, "events": ["sale_error"]}),
    )
    .await;
    let hook_id = hook["id"].as_i64().unwrap();

    let mut bad = sale(&new_id());
    bad["customer_id"] = json!(999);
    app.upload(&seller, vec![bad]).await;

    let d = newest_delivery_with(&app, &admin, hook_id, "delivered").await;
    assert_eq!(d["event"], "sale_error");
    assert_eq!(d["attempts"], 2);
    assert_eq!(d["response_status"], 200);
    assert!(d["error"].is_null());
    assert_eq!(
        d["payload"]["data"]["error"],
        "Customer con id=999 no existe"
    );
    let got = receiver.received();
    assert_eq!(got.len(), 2);
    // A retry sends the same delivery, byte for byte.
    assert_eq!(got[0].body, got[1].body);
    assert_eq!(
        header(&got[0], "x-ruta-delivery"),
        header(&got[1], "x-ruta-delivery")
    );
    assert!(signature_ok(hook["secret"].as_str().unwrap(), &got[1]));
}

async fn a_delivery_fails_after_its_last_attempt(backend: Backend) {
    let mut options = Options::default();
    options.webhooks.max_attempts = 2;
    let app = spawn_app_with(backend, options).await;
    let admin = app.login("admin", None).await;
    let receiver = Receiver::start(usize::MAX).await;
    let hook = create_hook(
        &app,
        &admin,
        json!({"url": receiver.url, "events": ["sale_synced"]}),
    )
    .await;
    let hook_id = hook["id"].as_i64().unwrap();
    app.post(
        &admin,
        &format!("/api/v1/webhooks/{hook_id}/test/"),
        &json!({}),
    )
    .await;
    let d = newest_delivery_with(&app, &admin, hook_id, "failed").await;
    assert_eq!(d["attempts"], 2);
    assert_eq!(d["response_status"], 500);
    assert_eq!(d["error"], "HTTP 500");
    assert!(d["next_attempt_at"].is_null());
    assert_eq!(receiver.received().len(), 2);
    let h: Value = app
        .get(&admin, &format!("/api/v1/webhooks/{hook_id}/"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(h["last_delivery_status"], "failed");

    // Nobody listening: a network error, no response status.
    let r = app
        .send(
            Method::PUT,
            &admin,
            &format!("/api/v1/webhooks/{hook_id}/"),
            &json!({"url": "http://127.0.0.1:9/hook"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    app.post(
        &admin,
        &format!("/api/v1/webhooks/{hook_id}/test/"),
        &json!({}),
    )
    .await;
    let d = eventually(DEADLINE, || async {
        let list = deliveries(&app, &admin, hook_id).await;
        let first = list["results"][0].clone();
        (first["event"] == "ping" && first["attempts"] == 2 && first["status"] == "failed")
            .then_some(first)
    })
    .await;
    assert!(d["response_status"].is_null());
    assert!(d["error"].as_str().unwrap().len() > 3);
}

/// A witness webhook subscribed to `sale_synced` proves the sale's event
/// was processed before the others are checked for having nothing.
async fn assert_only_witness_delivers(app: &TestApp, admin: &str, witness: i64, others: &[i64]) {
    newest_delivery_with(app, admin, witness, "delivered").await;
    for id in others {
        let list = deliveries(app, admin, *id).await;
        assert_eq!(list["count"], 0, "webhook {id} got {list}");
    }
}

async fn an_unsubscribed_event_is_not_delivered(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let seller = app.login("ana", None).await;
    let receiver = Receiver::start(0).await;
    let witness = create_hook(
        &app,
        &admin,
        json!({"url": receiver.url, "events": ["sale_synced"]}),
    )
    .await;
    let other = Receiver::start(0).await;
    let unsubscribed = create_hook(
        &app,
        &admin,
        json!({"url": other.url, "events": ["sale_error", "conflict_detected"]}),
    )
    .await;
    app.upload(&seller, vec![sale(&new_id())]).await;
    assert_only_witness_delivers(
        &app,
        &admin,
        witness["id"].as_i64().unwrap(),
        &[unsubscribed["id"].as_i64().unwrap()],
    )
    .await;
    assert!(other.received().is_empty());
}

async fn an_inactive_webhook_gets_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let seller = app.login("ana", None).await;
    let receiver = Receiver::start(0).await;
    let witness = create_hook(
        &app,
        &admin,
        json!({"url": receiver.url, "events": ["sale_synced"]}),
    )
    .await;
    let other = Receiver::start(0).await;
    let inactive = create_hook(
        &app,
        &admin,
        json!({"url": other.url, "events": ["sale_synced"], "active": false}),
    )
    .await;
    assert_eq!(inactive["active"], false);
    app.upload(&seller, vec![sale(&new_id())]).await;
    assert_only_witness_delivers(
        &app,
        &admin,
        witness["id"].as_i64().unwrap(),
        &[inactive["id"].as_i64().unwrap()],
    )
    .await;
    assert!(other.received().is_empty());
}

/// Two instances on one database, both running the delivery worker: every
/// delivery is sent exactly once (each is claimed before it is sent).
async fn two_instances_never_send_a_delivery_twice(backend: Backend) {
    let app = spawn_app(backend).await;
    app.second_instance(Options::default()).await;
    let admin = app.login("admin", None).await;
    // A slow receiver keeps claims in flight while the other worker looks.
    let receiver = Receiver::start_with(0, Duration::from_millis(200)).await;
    let hook = create_hook(
        &app,
        &admin,
        json!({"url": receiver.url, "events": ["sale_synced"]}),
    )
    .await;
    let hook_id = hook["id"].as_i64().unwrap();
    let total = 30;
    for _ in 0..total {
        let r = app
            .post(
                &admin,
                &format!("/api/v1/webhooks/{hook_id}/test/"),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    eventually(Duration::from_secs(30), || async {
        let list: Value = app
            .get(
                &admin,
                &format!("/api/v1/webhooks/{hook_id}/deliveries/?limit=200"),
            )
            .await
            .json()
            .await
            .unwrap();
        let results = list["results"].as_array().unwrap().clone();
        (results.len() == total && results.iter().all(|d| d["status"] == "delivered"))
            .then_some(results)
    })
    .await
    .iter()
    .for_each(|d| assert_eq!(d["attempts"], 1, "{d}"));
    let got = receiver.received();
    let ids: std::collections::HashSet<&str> =
        got.iter().map(|r| header(r, "x-ruta-delivery")).collect();
    assert_eq!(ids.len(), total);
    assert_eq!(got.len(), total, "a delivery was sent twice");
}

both_backends!(
    two_instances_never_send_a_delivery_twice,
    webhook_crud_validation_and_roles,
    a_synced_sale_is_delivered_signed,
    a_failed_delivery_is_retried_until_delivered,
    a_delivery_fails_after_its_last_attempt,
    an_unsubscribed_event_is_not_delivered,
    an_inactive_webhook_gets_nothing,
);
