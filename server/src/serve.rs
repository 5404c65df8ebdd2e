//! Running a built app until its stop, and the stop itself:
//! 1. stop accepting (plain or TLS listener, and the redirect listener);
//! 2. let in-flight requests finish, at most `RUTA_SHUTDOWN_GRACE`;
//! 3. close every WebSocket with code 1012 and wait for those closes;
//! 4. flush the SQLite group writer (queued uploads committed and answered);
//! 5. close the database pool. The caller then drops the log guard.
use crate::shutdown::Shutdown;
use crate::state::AppState;
use crate::tls::Tls;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::serve::ListenerExt;
use axum::Router;
use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::time::Instant;

/// Serves `$listener` until the stop, then at most `$grace` more.
macro_rules! serve_bounded {
    ($listener:expr, $router:expr, $shutdown:expr, $grace:expr) => {{
        let shutdown: Shutdown = $shutdown;
        let stopping = {
            let s = shutdown.clone();
            async move { s.triggered().await }
        };
        let server = axum::serve(
            $listener.tap_io(|_| {}),
            $router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stopping)
        .into_future();
        tokio::pin!(server);
        tokio::select! {
            served = &mut server => served,
            () = shutdown.triggered() => {
                match tokio::time::timeout($grace, &mut server).await {
                    Ok(served) => served,
                    Err(_) => {
                        tracing::warn!("grace period over; dropping unfinished requests");
                        Ok(())
                    }
                }
            }
        }
    }};
}

pub async fn run(
    listener: TcpListener,
    router: Router,
    state: AppState,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let shutdown = state.shutdown.clone();
    tokio::spawn({
        let shutdown = shutdown.clone();
        async move {
            stop.await;
            shutdown.trigger();
        }
    });
    let runtime = &state.config.runtime;
    let grace = runtime.shutdown_grace;
    let served = match &runtime.tls {
        None => serve_bounded!(listener, router, shutdown.clone(), grace),
        Some(files) => {
            let tls = Tls::new(files).map_err(std::io::Error::other)?;
            tokio::spawn(tls.clone().watch(shutdown.clone()));
            let https_port = listener.local_addr()?.port();
            if let Some(addr) = runtime.http_redirect_addr {
                let plain = TcpListener::bind(addr).await?;
                let redirect = redirect_router(state.clone(), https_port);
                let shutdown = shutdown.clone();
                tokio::spawn(async move {
                    if let Err(e) = serve_bounded!(plain, redirect, shutdown, grace) {
                        tracing::error!(error = %e, "HTTP redirect listener stopped");
                    }
                });
            }
            let tls_listener = tls.listen(listener, shutdown.clone())?;
            serve_bounded!(tls_listener, router, shutdown.clone(), grace)
        }
    };
    finish(&state, grace).await;
    served
}

/// The separate `/metrics` listener: stops with the rest, without waiting
/// for a scrape in flight beyond the same grace.
pub fn metrics(listener: TcpListener, state: &AppState) {
    let router = crate::http::scrape::separate_listener(state.db.clone());
    let shutdown = state.shutdown.clone();
    let grace = state.config.runtime.shutdown_grace;
    tokio::spawn(async move {
        if let Err(e) = serve_bounded!(listener, router, shutdown, grace) {
            tracing::error!(error = %e, "metrics listener stopped");
        }
    });
}

/// Steps 3–5, after the HTTP server has stopped.
async fn finish(state: &AppState, grace: Duration) {
    let started = Instant::now();
    let left = state.shutdown.wait_released(grace).await;
    if left > 0 {
        tracing::warn!(open = left, "WebSockets not closed within the grace period");
    }
    if let Some(writer) = &state.group_commit {
        writer.flush().await;
    }
    state.db.close().await;
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        "stopped: sockets closed, writes flushed"
    );
}

/// The plain-HTTP listener of `RUTA_HTTP_REDIRECT_ADDR`: `/health` answers
/// here too (load balancers often probe plain HTTP); everything else gets
/// 308 to the same path on HTTPS (`RUTA_PUBLIC_URL` if it is https).
fn redirect_router(state: AppState, https_port: u16) -> Router {
    Router::new()
        .route("/health", axum::routing::get(crate::http::health::health))
        .fallback(move |st: State<AppState>, req: Request| redirect(st, req, https_port))
        .with_state(state)
}

async fn redirect(State(st): State<AppState>, req: Request, https_port: u16) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let base = match st.config.runtime.https_public_url() {
        Some(base) => base.to_owned(),
        None => {
            let host = req
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(host_without_port)
                .filter(|h| {
                    !h.is_empty()
                        && h.chars().all(|c| {
                            c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':')
                        })
                });
            let Some(host) = host else {
                return (StatusCode::BAD_REQUEST, "Host header required").into_response();
            };
            match https_port {
                443 => format!("https://{host}"),
                port => format!("https://{host}:{port}"),
            }
        }
    };
    match HeaderValue::from_str(&format!("{base}{path}")) {
        Ok(location) => (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

fn host_without_port(host: &str) -> &str {
    if host.starts_with('[') {
        // [::1]:8080 → [::1]
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::host_without_port;

    #[test]
    fn ports_are_dropped_from_hosts() {
        assert_eq!(host_without_port("ruta.example:8080"), "ruta.example");
        assert_eq!(host_without_port("ruta.example"), "ruta.example");
        assert_eq!(host_without_port("[::1]:8080"), "[::1]");
    }
}
