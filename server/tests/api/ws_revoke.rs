//! A revoked token's open WebSockets close at once (code 4001): revoked by
//! an admin, by logout, or replaced by a new login from the same device;
//! on PostgreSQL also when the socket is on another instance. Handshake
//! refusals per role are in authz.rs.
use crate::authz::user_id;
use crate::both_backends;
use crate::helpers::{spawn_app, Backend, Options, TestApp};
use futures_util::StreamExt;
use reqwest::Method;
use ruta_server::services::demo::DEMO_PASSWORD;
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Bound on waiting for a frame the server must send.
const FRAME_DEADLINE: Duration = Duration::from_secs(5);

async fn open(base: &str, path: &str, token: &str) -> Socket {
    let url = format!("{}{path}?token={token}", base.replacen("http", "ws", 1));
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let hello = next_text(&mut socket).await;
    assert_eq!(hello["type"], "hello");
    socket
}

async fn next_frame(socket: &mut Socket) -> Option<Message> {
    tokio::time::timeout(FRAME_DEADLINE, socket.next())
        .await
        .expect("no frame within the deadline")
        .and_then(Result::ok)
}

async fn next_text(socket: &mut Socket) -> Value {
    match next_frame(socket).await {
        Some(Message::Text(t)) => serde_json::from_str(&t).unwrap(),
        other => panic!("expected a text frame, got {other:?}"),
    }
}

/// The close code the server sends next (text frames before it are skipped).
async fn close_code(socket: &mut Socket) -> u16 {
    loop {
        match next_frame(socket).await {
            Some(Message::Close(Some(frame))) => return u16::from(frame.code),
            Some(Message::Text(_)) | Some(Message::Ping(_)) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

async fn login(base: &str, username: &str, device: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/token/"))
        .json(&json!({"username": username, "password": DEMO_PASSWORD, "device_id": device}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The newest token id of `username` (admin API).
async fn newest_token(app: &TestApp, admin: &str, username: &str) -> i64 {
    let id = user_id(app, username).await;
    let tokens: Value = app
        .get(admin, &format!("/api/v1/users/{id}/tokens/"))
        .await
        .json()
        .await
        .unwrap();
    tokens[0]["id"].as_i64().unwrap()
}

async fn handshake_status(base: &str, path: &str, token: &str) -> u16 {
    let url = format!("{}{path}?token={token}", base.replacen("http", "ws", 1));
    match tokio_tungstenite::connect_async(url).await {
        Ok((_, r)) => r.status().as_u16(),
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => r.status().as_u16(),
        Err(e) => panic!("{e}"),
    }
}

const CLOSE_TOKEN_INVALID: u16 = 4001;

async fn admin_revocation_closes_only_that_tokens_sockets(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let ana = login(&app.base, "ana", "PHONE-ANA").await;
    let beto = login(&app.base, "beto", "PHONE-BETO").await;
    let mut ana_sheet = open(&app.base, "/ws/cargue/ID1/", &ana).await;
    let mut beto_sheet = open(&app.base, "/ws/cargue/ID2/", &beto).await;
    let ana_token = newest_token(&app, &admin, "ana").await;
    let r = app
        .send(
            Method::DELETE,
            &admin,
            &format!("/api/v1/tokens/{ana_token}/"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(close_code(&mut ana_sheet).await, CLOSE_TOKEN_INVALID);
    assert_eq!(
        handshake_status(&app.base, "/ws/cargue/ID1/", &ana).await,
        401
    );
    // The others stay subscribed: beto still gets his sheet's events.
    let lines = json!({"lines": [{"product_id": 10, "quantity": "3"}]});
    let r = app
        .send(Method::PUT, &admin, "/api/v1/cargue/ID2/", &lines)
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(next_text(&mut beto_sheet).await["type"], "sheet_replaced");
}

async fn logout_closes_the_callers_sockets(backend: Backend) {
    let app = spawn_app(backend).await;
    let ana = login(&app.base, "ana", "PHONE-ANA").await;
    let mut sheet = open(&app.base, "/ws/cargue/ID1/", &ana).await;
    let r = app.post(&ana, "/api/v1/auth/logout/", &json!({})).await;
    assert_eq!(r.status(), 204);
    assert_eq!(close_code(&mut sheet).await, CLOSE_TOKEN_INVALID);
}

async fn a_new_login_on_the_device_closes_the_old_tokens_sockets(backend: Backend) {
    let app = spawn_app(backend).await;
    let old = login(&app.base, "ana", "PHONE-ANA").await;
    let mut sheet = open(&app.base, "/ws/cargue/ID1/", &old).await;
    let new = login(&app.base, "ana", "PHONE-ANA").await;
    assert_eq!(close_code(&mut sheet).await, CLOSE_TOKEN_INVALID);
    let mut again = open(&app.base, "/ws/cargue/ID1/", &new).await;
    let _ = again.close(None).await;
}

/// A password reset ends every session of the user (both phones: tokens
/// refused, sockets closed) and nobody else's; an admin resetting their own
/// password keeps the token they did it with.
async fn a_password_reset_ends_the_users_sessions(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.login("admin", None).await;
    let other_admin_session = app.login("admin", Some("ADMIN-LAPTOP")).await;
    let phone = login(&app.base, "ana", "PHONE-ANA").await;
    let tablet = login(&app.base, "ana", "TABLET-ANA").await;
    let beto = login(&app.base, "beto", "PHONE-BETO").await;
    let mut sheet = open(&app.base, "/ws/cargue/ID1/", &tablet).await;
    let ana_id = user_id(&app, "ana").await;
    let reset = json!({"password": "nueva-clave-2026"});
    let r = app
        .post(&admin, &format!("/api/v1/users/{ana_id}/password/"), &reset)
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(close_code(&mut sheet).await, CLOSE_TOKEN_INVALID);
    for token in [&phone, &tablet] {
        assert_eq!(app.get(token, "/api/v1/sales/").await.status(), 401);
    }
    assert_eq!(app.get(&beto, "/api/v1/sales/").await.status(), 200);
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token/"))
        .json(&json!({"username": "ana", "password": "nueva-clave-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let admin_id = user_id(&app, "admin").await;
    let r = app
        .post(
            &admin,
            &format!("/api/v1/users/{admin_id}/password/"),
            &reset,
        )
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(app.get(&admin, "/api/v1/sales/").await.status(), 200);
    assert_eq!(
        app.get(&other_admin_session, "/api/v1/sales/")
            .await
            .status(),
        401
    );
}

/// The handshake's status with the session cookie and an `Origin`.
async fn cookie_handshake_status(base: &str, path: &str, token: &str, origin: &str) -> u16 {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!("{}{path}", base.replacen("http", "ws", 1));
    let mut req = url.into_client_request().unwrap();
    let headers = req.headers_mut();
    headers.insert("cookie", format!("ruta_session={token}").parse().unwrap());
    headers.insert("origin", origin.parse().unwrap());
    match tokio_tungstenite::connect_async(req).await {
        Ok((_, r)) => r.status().as_u16(),
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => r.status().as_u16(),
        Err(e) => panic!("{e}"),
    }
}

/// Cross-site WebSocket hijacking: another site's page cannot open a
/// socket on the seller's cookie; the app's own page can, and a token in
/// the query (not sent by the browser on its own) works from anywhere.
async fn a_cookie_handshake_from_another_site_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let ana = login(&app.base, "ana", "PHONE-ANA").await;
    let path = "/ws/cargue/ID1/";
    assert_eq!(
        cookie_handshake_status(&app.base, path, &ana, "https://evil.example").await,
        403
    );
    assert_eq!(
        cookie_handshake_status(&app.base, path, &ana, &app.base).await,
        101
    );
    let url = format!("{}{path}?token={ana}", app.base.replacen("http", "ws", 1));
    let mut req =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url)
            .unwrap();
    req.headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    let (_, r) = tokio_tungstenite::connect_async(req).await.unwrap();
    assert_eq!(r.status().as_u16(), 101);
}

both_backends!(
    a_cookie_handshake_from_another_site_is_refused,
    a_password_reset_ends_the_users_sessions,
    admin_revocation_closes_only_that_tokens_sockets,
    logout_closes_the_callers_sockets,
    a_new_login_on_the_device_closes_the_old_tokens_sockets,
);

/// PostgreSQL: the revocation made on one instance closes the socket held
/// by another (relayed by NOTIFY like the stream events).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn revocation_closes_sockets_on_another_instance() {
    let app = spawn_app(Backend::Postgres).await;
    let other = app.second_instance(Options::default()).await;
    let admin = app.login("admin", None).await;
    let ana = login(&app.base, "ana", "PHONE-ANA").await;
    let mut sheet = open(&other, "/ws/cargue/ID1/", &ana).await;
    let ana_token = newest_token(&app, &admin, "ana").await;
    let r = app
        .send(
            Method::DELETE,
            &admin,
            &format!("/api/v1/tokens/{ana_token}/"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(close_code(&mut sheet).await, CLOSE_TOKEN_INVALID);
}

#[test]
fn close_code_is_application_range() {
    assert!(matches!(
        CloseCode::from(CLOSE_TOKEN_INVALID),
        CloseCode::Library(_)
    ));
    assert_eq!(
        ruta_server::http::ws::CLOSE_TOKEN_INVALID,
        CLOSE_TOKEN_INVALID
    );
}
