//! WebSockets: one replayable stream per seller's cargue and three admin
//! channels. Refusals happen at the handshake (401/403). After `hello` the
//! subscription is live; with `?after=<seq>` the missed events come first.
//! A subscriber too slow for the hub's buffer is closed with code 4000 and
//! recovers by reconnecting with `?after=`. A graceful stop closes every
//! socket with code 1012 (service restart), recovered the same way.
use super::error::ApiError;
use crate::services::streams::{self, StreamEvent};
use crate::services::{auth, cargue, revocations, Actor};
use crate::shutdown::CLOSE_RESTART;
use crate::state::AppState;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{header, request::Parts};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use ruta_shared::auth::Role;
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

pub const SESSION_COOKIE: &str = "ruta_session";
/// Sent with close code 1012 when the server stops; the app's live
/// streams reconnect on any close, with `?after=` their last seq.
const RESTART_REASON: &str = "server restarting; reconnect with ?after=<seq>";
const SEND_TIMEOUT: Duration = Duration::from_secs(5);
/// Clients only listen. tungstenite zero-fills its whole read buffer before
/// every read, and every hub event wakes every socket task: with the
/// default 128 KiB that memset dominated the server's CPU and RSS under many
/// subscribers (figures in BENCHMARKS.md, WebSocket fan-out).
const READ_BUFFER: usize = 4 * 1024;
/// Nothing a client sends is meant to be large.
const MAX_INCOMING: usize = 16 * 1024;

/// The streams of [`super::routes::WS_ROUTES`]: a seller's cargue, or an
/// admin channel.
pub fn routes() -> Router<AppState> {
    super::routes::WS_ROUTES
        .iter()
        .fold(Router::new(), |router, path| {
            if path.starts_with("/ws/cargue/") {
                router.route(path, get(cargue_stream))
            } else {
                router.route(path, get(admin_stream))
            }
        })
}

#[derive(Deserialize)]
pub struct WsQuery {
    token: Option<String>,
    after: Option<i64>,
}

fn cookie_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_owned())
}

/// The host name (no port) of a `scheme://host[:port]` origin or a
/// `host[:port]` Host header.
fn host_name(authority: &str) -> &str {
    let authority = authority.split_once("://").map_or(authority, |(_, a)| a);
    match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => authority.split(':').next().unwrap_or(authority),
    }
}

/// The browser sends the session cookie by itself, also on a handshake that
/// another site's page starts (a sibling subdomain is "same site" for
/// `SameSite=Lax`): a handshake authenticated by the cookie must come from
/// a page of this host. Clients that are not browsers send no `Origin`.
/// Ports are not compared: a proxy's `Host $host` drops them.
fn cookie_allowed_from(parts: &Parts) -> bool {
    let Some(origin) = parts.headers.get(header::ORIGIN) else {
        return true;
    };
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(host_name);
    let origin = origin.to_str().ok().map(host_name);
    matches!((origin, host), (Some(o), Some(h)) if !o.is_empty() && o.eq_ignore_ascii_case(h))
}

/// The caller and when its token expires.
async fn caller(st: &AppState, parts: &Parts, q: &WsQuery) -> Result<(Actor, Session), ApiError> {
    let query_token = q.token.clone().filter(|t| !t.is_empty());
    let token = match query_token {
        Some(token) => token,
        None => {
            let token = cookie_token(parts).ok_or(ApiError::NoCredentials)?;
            if !cookie_allowed_from(parts) {
                return Err(ApiError::Forbidden);
            }
            token
        }
    };
    let (actor, expires_at) = auth::authenticate_until(&st.db, &token, st.config.token_ttl)
        .await?
        .ok_or(ApiError::InvalidToken)?;
    let session = Session {
        token_id: actor.token_id,
        expires_at,
    };
    Ok((actor, session))
}

/// What a socket must re-check while open: its token's revocation and
/// expiry close it (code 4001).
#[derive(Clone, Copy)]
struct Session {
    token_id: Option<i64>,
    expires_at: chrono::DateTime<chrono::Utc>,
}

impl Session {
    fn remaining(&self) -> Duration {
        (self.expires_at - chrono::Utc::now())
            .to_std()
            .unwrap_or(Duration::ZERO)
    }
}

/// Close code of a socket whose token stopped being valid (revoked,
/// logged out, expired): the client must log in again, not just reconnect.
pub const CLOSE_TOKEN_INVALID: u16 = 4001;

fn query(parts: &Parts) -> Result<WsQuery, ApiError> {
    serde_urlencoded::from_str(parts.uri.query().unwrap_or(""))
        .map_err(|e| ApiError::bad_request(format!("Parámetros inválidos: {e}"), "query"))
}

async fn cargue_stream(
    State(st): State<AppState>,
    Path(code): Path<String>,
    req: axum::extract::Request,
) -> Response {
    let (mut parts, _) = req.into_parts();
    let result = async {
        let q = query(&parts)?;
        let (actor, session) = caller(&st, &parts, &q).await?;
        if !cargue::may_read(&actor, &code) {
            return Err(ApiError::Forbidden);
        }
        Ok((q.after, session))
    }
    .await;
    upgrade(st, &mut parts, result, cargue::stream_of(&code)).await
}

async fn admin_stream(State(st): State<AppState>, req: axum::extract::Request) -> Response {
    let (mut parts, _) = req.into_parts();
    let stream = match parts.uri.path() {
        "/ws/sync/status/" => streams::STATUS_STREAM,
        "/ws/sync/conflicts/" => streams::CONFLICTS_STREAM,
        _ => streams::QUEUE_STREAM,
    };
    let result = async {
        let q = query(&parts)?;
        let (actor, session) = caller(&st, &parts, &q).await?;
        if actor.role != Role::Admin {
            return Err(ApiError::Forbidden);
        }
        Ok((q.after, session))
    }
    .await;
    upgrade(st, &mut parts, result, stream.to_owned()).await
}

async fn upgrade(
    st: AppState,
    parts: &mut Parts,
    admitted: Result<(Option<i64>, Session), ApiError>,
    stream: String,
) -> Response {
    let (after, session) = match admitted {
        Ok(admitted) => admitted,
        Err(e) => return e.into_response(),
    };
    use axum::extract::FromRequestParts;
    match WebSocketUpgrade::from_request_parts(parts, &st).await {
        Ok(ws) => ws
            .read_buffer_size(READ_BUFFER)
            .max_message_size(MAX_INCOMING)
            .max_frame_size(MAX_INCOMING)
            .on_upgrade(move |socket| serve(socket, st, stream, after, session)),
        Err(rejection) => rejection.into_response(),
    }
}

async fn send_text(socket: &mut WebSocket, text: String) -> bool {
    matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(text.into()))).await,
        Ok(Ok(()))
    )
}

async fn close(mut socket: WebSocket, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.to_owned().into(),
    };
    let _ = tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Close(Some(frame)))).await;
}

/// Sends stored events `(from, to]`; returns the last seq sent.
async fn replay(
    socket: &mut WebSocket,
    st: &AppState,
    stream: &str,
    from: i64,
    to: i64,
) -> Option<i64> {
    let rows = streams::stored_between(&st.db, stream, from, to)
        .await
        .ok()?;
    let mut last = from;
    for row in rows {
        if !send_text(socket, row.payload).await {
            return None;
        }
        last = row.seq;
    }
    Some(last)
}

async fn serve(
    mut socket: WebSocket,
    st: AppState,
    stream: String,
    after: Option<i64>,
    session: Session,
) {
    // The graceful stop waits for this socket's close frame (shutdown.rs).
    let _held = st.shutdown.hold();
    let _counted = crate::prometheus::OpenWebSocket::new();
    if st.shutdown.is_triggered() {
        return close(socket, CLOSE_RESTART, RESTART_REASON).await;
    }
    // Subscribe before reading the latest seq, so nothing falls between.
    let mut rx = st.hub.subscribe();
    if let Some(id) = session.token_id {
        match auth::token_is_live(&st.db, id).await {
            Ok(true) => {}
            Ok(false) => return close(socket, CLOSE_TOKEN_INVALID, "token revoked").await,
            Err(_) => return close(socket, 1011, "database unavailable").await,
        }
    }
    let Ok(latest) = streams::latest_seq(&st.db, &stream).await else {
        return close(socket, 1011, "database unavailable").await;
    };
    if !send_text(
        &mut socket,
        json!({"type": "hello", "seq": latest}).to_string(),
    )
    .await
    {
        return;
    }
    let mut last = latest;
    if let Some(after) = after {
        match replay(&mut socket, &st, &stream, after.clamp(0, latest), latest).await {
            Some(_) => last = latest,
            None => return,
        }
    }
    let expiry = tokio::time::sleep(session.remaining());
    tokio::pin!(expiry);
    loop {
        tokio::select! {
            () = st.shutdown.triggered() => {
                return close(socket, CLOSE_RESTART, RESTART_REASON).await;
            }
            () = &mut expiry => {
                return close(socket, CLOSE_TOKEN_INVALID, "token expired").await;
            }
            received = rx.recv() => match received {
                Ok(event) => {
                    let event: &StreamEvent = &event;
                    if session.token_id.is_some_and(|id| revocations::revokes(event, id)) {
                        return close(socket, CLOSE_TOKEN_INVALID, "token revoked").await;
                    }
                    if event.stream != stream || event.seq <= last {
                        continue;
                    }
                    if event.seq > last + 1 {
                        // Missed on the wire (e.g. a listener reconnect): fill from the store.
                        match replay(&mut socket, &st, &stream, last, event.seq - 1).await {
                            Some(_) => {}
                            None => return,
                        }
                    }
                    if !send_text(&mut socket, event.payload.to_string()).await {
                        return close(socket, 1013, "too slow; reconnect with ?after=<seq>").await;
                    }
                    last = event.seq;
                }
                Err(RecvError::Lagged(_)) => {
                    return close(socket, 4000, "too slow; reconnect with ?after=<seq>").await;
                }
                Err(RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handshake(origin: Option<&str>, host: &str) -> Parts {
        let mut req = axum::http::Request::builder().header(header::HOST, host);
        if let Some(origin) = origin {
            req = req.header(header::ORIGIN, origin);
        }
        req.body(()).map(|r| r.into_parts().0).unwrap()
    }

    #[test]
    fn a_cookie_handshake_must_come_from_this_host() {
        assert!(cookie_allowed_from(&handshake(None, "ruta.example.com")));
        for (origin, host) in [
            ("https://ruta.example.com", "ruta.example.com"),
            ("http://127.0.0.1:3100", "127.0.0.1:3100"),
            ("https://RUTA.example.com", "ruta.example.com:443"),
            ("http://[::1]:3000", "[::1]:3000"),
        ] {
            assert!(
                cookie_allowed_from(&handshake(Some(origin), host)),
                "{origin}"
            );
        }
        for (origin, host) in [
            ("https://evil.example.com", "ruta.example.com"),
            ("null", "ruta.example.com"),
            ("https://ruta.example.com.evil.net", "ruta.example.com"),
            ("http://[::2]:3000", "[::1]:3000"),
        ] {
            assert!(
                !cookie_allowed_from(&handshake(Some(origin), host)),
                "{origin}"
            );
        }
    }
}
