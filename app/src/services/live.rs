//! A live stream over WebSocket (`/ws/...`) that never loses an event: it
//! remembers the last `seq` it handed out and reconnects with `?after=` so
//! the server replays whatever was missed while the connection was down.
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Connecting,
    Live,
    Offline,
}

/// Ends the stream when stopped (or dropped from its owner's cleanup).
#[derive(Clone, Default)]
pub struct Subscription {
    stop: Arc<AtomicBool>,
}

impl Subscription {
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// Events with `seq` above `after` are handed to `on_event` exactly once and
/// in order, across reconnections; `hello` is not an event.
pub fn subscribe(
    path: String,
    token: String,
    after: i64,
    on_event: impl Fn(Value) + 'static,
    on_status: impl Fn(Status) + 'static,
) -> Subscription {
    start(path, token, Some(after), on_event, on_status)
}

/// Like [`subscribe`], but without the history: events from the moment
/// the first connection is live (still none lost across reconnections).
pub fn subscribe_from_now(
    path: String,
    token: String,
    on_event: impl Fn(Value) + 'static,
    on_status: impl Fn(Status) + 'static,
) -> Subscription {
    start(path, token, None, on_event, on_status)
}

fn start(
    path: String,
    token: String,
    after: Option<i64>,
    on_event: impl Fn(Value) + 'static,
    on_status: impl Fn(Status) + 'static,
) -> Subscription {
    let subscription = Subscription::default();
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(connection::run(
        subscription.clone(),
        path,
        token,
        after,
        Box::new(on_event),
        Box::new(on_status),
    ));
    #[cfg(not(feature = "hydrate"))]
    let _ = (path, token, after, on_event, on_status);
    subscription
}

pub use ruta_shared::live::{classify, Incoming};

#[cfg(feature = "hydrate")]
mod connection {
    use super::{classify, Incoming, Status, Subscription};
    use futures::future::{select, Either};
    use futures::StreamExt;
    use gloo_net::websocket::{futures::WebSocket, Message};
    use gloo_timers::future::TimeoutFuture;
    use serde_json::Value;
    use std::pin::pin;

    const MAX_BACKOFF_MS: u32 = 5_000;

    fn url(path: &str, token: &str, after: Option<i64>) -> Option<String> {
        let location = web_sys::window()?.location();
        let scheme = if location.protocol().ok()? == "https:" {
            "wss"
        } else {
            "ws"
        };
        let host = location.host().ok()?;
        let after = after.map(|a| format!("&after={a}")).unwrap_or_default();
        Some(format!("{scheme}://{host}{path}?token={token}{after}"))
    }

    pub async fn run(
        subscription: Subscription,
        path: String,
        token: String,
        mut after: Option<i64>,
        on_event: Box<dyn Fn(Value)>,
        on_status: Box<dyn Fn(Status)>,
    ) {
        let mut backoff = 250;
        while !subscription.stopped() {
            on_status(Status::Connecting);
            let socket = url(&path, &token, after).and_then(|u| WebSocket::open(&u).ok());
            if let Some(socket) = socket {
                let (_sink, mut messages) = socket.split();
                loop {
                    if subscription.stopped() {
                        return;
                    }
                    // Wake every second to notice `stop` on a quiet stream.
                    let message = pin!(messages.next());
                    let wakeup = pin!(TimeoutFuture::new(1_000));
                    let next = select(message, wakeup).await;
                    let text = match next {
                        Either::Left((Some(Ok(Message::Text(text))), _)) => text,
                        Either::Left((Some(Ok(Message::Bytes(_))), _)) | Either::Right(_) => {
                            continue
                        }
                        Either::Left((Some(Err(_)) | None, _)) => break,
                    };
                    match classify(&text, after.unwrap_or(i64::MAX)) {
                        Incoming::Hello(seq) => {
                            backoff = 250;
                            after.get_or_insert(seq);
                            on_status(Status::Live);
                        }
                        Incoming::Event(seq, event) => {
                            after = Some(seq);
                            on_event(event);
                        }
                        Incoming::Skip => {}
                    }
                }
            }
            if subscription.stopped() {
                return;
            }
            on_status(Status::Offline);
            TimeoutFuture::new(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF_MS);
        }
    }
}
