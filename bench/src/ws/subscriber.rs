//! One WebSocket subscriber of a seller's cargue stream: it only reads,
//! timestamps and keeps `(seq, product_id, version)` of each event; all
//! matching happens after the run. A subscriber the server closes (e.g. as
//! too slow) reconnects with `?after=<last seq>`, as the contract says.
use anyhow::{bail, Context, Result};
use futures_util::StreamExt;
use serde::Deserialize;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

const HELLO_DEADLINE: Duration = Duration::from_secs(30);
const RECONNECT_TRIES: u32 = 50;
const READ_BUFFER: usize = 8 * 1024;

/// One event as received.
#[derive(Debug, Clone, Copy)]
pub struct Receipt {
    pub seq: u32,
    pub product_id: u32,
    pub version: u32,
    pub at: Instant,
}

/// Only the fields the tally needs; serde skips the rest.
#[derive(Deserialize)]
struct Event<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    seq: i64,
    #[serde(default)]
    product_id: i64,
    #[serde(default)]
    version: i64,
}

pub struct Spec {
    pub sheet: usize,
    pub instance: usize,
    /// `ws://host:port/ws/cargue/ID1/?token=…`, without `after`.
    pub url: String,
}

pub struct Outcome {
    pub sheet: usize,
    pub instance: usize,
    pub hello_seq: i64,
    pub receipts: Vec<Receipt>,
    /// Close codes the server sent (`None`: the connection just ended).
    pub closes: Vec<Option<u16>>,
    /// Set when reconnecting failed for good.
    pub gave_up: Option<String>,
}

/// Connects and reads `hello`; returns the socket and hello's `seq`.
async fn connect(url: &str) -> Result<(Socket, i64)> {
    // tungstenite zero-fills its whole read buffer (128 KiB by default)
    // before every read; events are ~300 bytes, so a small buffer keeps
    // the client's per-message cost (and RSS) low.
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
    let (mut socket, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), true)
        .await
        .with_context(|| format!("connect {url}"))?;
    let hello = tokio::time::timeout(HELLO_DEADLINE, socket.next())
        .await
        .context("no hello in time")?
        .context("closed before hello")??;
    let Message::Text(text) = hello else {
        bail!("first message is not text: {hello:?}");
    };
    let e: Event = serde_json::from_str(text.as_str())?;
    if e.kind != "hello" {
        bail!("first message is not hello: {text}");
    }
    Ok((socket, e.seq))
}

/// Runs one subscriber until `stop` turns true. `ready` gets the result of
/// the first connection (the load waits for all of them); `progress` holds
/// the highest `seq` received so far.
pub async fn run(
    spec: Spec,
    gate: Arc<Semaphore>,
    ready: mpsc::Sender<Result<()>>,
    progress: Arc<AtomicI64>,
    mut stop: watch::Receiver<bool>,
    capacity: usize,
) -> Outcome {
    let mut out = Outcome {
        sheet: spec.sheet,
        instance: spec.instance,
        hello_seq: 0,
        receipts: Vec::with_capacity(capacity),
        closes: Vec::new(),
        gave_up: None,
    };
    let first = {
        let _permit = gate.acquire().await;
        connect(&spec.url).await
    };
    let mut socket = match first {
        Ok((socket, seq)) => {
            out.hello_seq = seq;
            progress.store(seq, Ordering::Relaxed);
            let _ = ready.send(Ok(())).await;
            socket
        }
        Err(e) => {
            out.gave_up = Some(e.to_string());
            let _ = ready.send(Err(e)).await;
            return out;
        }
    };
    drop(ready);
    let mut last = out.hello_seq;
    loop {
        let ended = tokio::select! {
            _ = stop.changed() => {
                let _ = socket.close(None).await;
                return out;
            }
            msg = socket.next() => match msg {
                Some(Ok(Message::Text(text))) => {
                    let at = Instant::now();
                    if let Ok(e) = serde_json::from_str::<Event>(text.as_str()) {
                        if e.kind == "check_update" {
                            out.receipts.push(Receipt {
                                seq: e.seq as u32,
                                product_id: e.product_id as u32,
                                version: e.version as u32,
                                at,
                            });
                        }
                        if e.kind != "hello" && e.seq > last {
                            last = e.seq;
                            progress.store(last, Ordering::Relaxed);
                        }
                    }
                    None
                }
                Some(Ok(Message::Close(frame))) => Some(frame.map(|f| u16::from(f.code))),
                Some(Ok(_)) => None,
                Some(Err(_)) | None => Some(None),
            }
        };
        if let Some(code) = ended {
            out.closes.push(code);
            match reconnect(&spec.url, last).await {
                Ok(s) => socket = s,
                Err(e) => {
                    out.gave_up = Some(e.to_string());
                    return out;
                }
            }
        }
    }
}

async fn reconnect(url: &str, after: i64) -> Result<Socket> {
    let url = format!("{url}&after={after}");
    let mut tries = 0;
    loop {
        match connect(&url).await {
            Ok((socket, _)) => return Ok(socket),
            Err(e) if tries >= RECONNECT_TRIES => return Err(e),
            Err(_) => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}
