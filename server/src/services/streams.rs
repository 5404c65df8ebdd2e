//! The event hub behind the WebSockets.
//!
//! An event is stored with the next sequence number of its stream in the
//! same transaction as the change it describes, so a client that reconnects
//! with `?after=<seq>` can be given everything it missed. Delivery to live
//! subscribers: with SQLite (one instance) the hub broadcasts in process
//! after commit; with PostgreSQL every instance LISTENs, and the event's
//! `pg_notify` inside the writing transaction reaches all of them at
//! commit, whichever instance wrote it.
use super::events::{Events, SyncEvent};
use crate::clock;
use crate::db::Db;
use crate::store::{self, Tx};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, Notify};

pub const NOTIFY_CHANNEL: &str = "ruta_events";

pub use crate::store::events::EventRow;

/// The stream's last stored sequence number (0 when it has none).
pub async fn latest_seq(db: &Db, stream: &str) -> Result<i64, sqlx::Error> {
    store::events::latest_seq(db.read(), stream).await
}

/// The stream's stored events `(from, to]`, in order: what a client that
/// reconnects with `?after=` missed.
pub async fn stored_between(
    db: &Db,
    stream: &str,
    from: i64,
    to: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    store::events::range(db.read(), stream, from, to).await
}
/// Per-instance fan-out buffer; a subscriber further behind than this is
/// disconnected and recovers by replay.
pub const HUB_CAPACITY: usize = 4_096;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamEvent {
    pub stream: String,
    pub seq: i64,
    pub payload: Value,
}

#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<Arc<StreamEvent>>,
    db: Db,
}

impl Hub {
    pub fn new(db: Db) -> Self {
        Self {
            tx: broadcast::channel(HUB_CAPACITY).0,
            db,
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StreamEvent>> {
        self.tx.subscribe()
    }

    /// Stores the event in the caller's transaction; `payload` gets its
    /// `seq` and `ts`.
    pub async fn append(
        &self,
        tx: &mut Tx<'_>,
        stream: &str,
        mut payload: Map<String, Value>,
    ) -> Result<StreamEvent, sqlx::Error> {
        let seq = store::events::next_seq(tx, stream).await?;
        let now = clock::now();
        payload.insert("seq".into(), json!(seq));
        payload.insert("ts".into(), json!(now));
        let event = StreamEvent {
            stream: stream.to_owned(),
            seq,
            payload: Value::Object(payload),
        };
        let text = event.payload.to_string();
        store::events::insert(tx, stream, seq, &text, &now).await?;
        if self.db.is_shared_by_instances() {
            let message = serde_json::to_string(&event).unwrap_or_default();
            store::events::notify(tx, NOTIFY_CHANNEL, &message).await?;
        }
        Ok(event)
    }

    /// Stores several events in the caller's transaction: per stream, one
    /// sequence update and multi-row inserts for all of its events (the
    /// sync recorder's batches would otherwise cost two statements each).
    /// Events of one stream keep their order.
    pub async fn append_many(
        &self,
        tx: &mut Tx<'_>,
        events: Vec<(&str, Map<String, Value>)>,
    ) -> Result<Vec<StreamEvent>, sqlx::Error> {
        let mut streams: Vec<(&str, Vec<Map<String, Value>>)> = Vec::new();
        for (stream, payload) in events {
            match streams.iter_mut().find(|(s, _)| *s == stream) {
                Some((_, list)) => list.push(payload),
                None => streams.push((stream, vec![payload])),
            }
        }
        let now = clock::now();
        let mut out = Vec::new();
        for (stream, payloads) in streams {
            let count = i64::try_from(payloads.len()).unwrap_or(i64::MAX);
            let first = store::events::next_seqs(tx, stream, count).await?;
            let mut rows = Vec::with_capacity(payloads.len());
            for (seq, mut payload) in (first..).zip(payloads) {
                payload.insert("seq".into(), json!(seq));
                payload.insert("ts".into(), json!(now));
                let event = StreamEvent {
                    stream: stream.to_owned(),
                    seq,
                    payload: Value::Object(payload),
                };
                rows.push((seq, event.payload.to_string()));
                out.push(event);
            }
            store::events::insert_many(tx, &*self.db, stream, &rows, &now).await?;
            if self.db.is_shared_by_instances() {
                for event in out.iter().filter(|e| e.stream == stream) {
                    let message = serde_json::to_string(event).unwrap_or_default();
                    store::events::notify(tx, NOTIFY_CHANNEL, &message).await?;
                }
            }
        }
        Ok(out)
    }

    /// Call after the transaction that appended `events` committed.
    pub fn committed(&self, events: Vec<StreamEvent>) {
        if !self.db.is_shared_by_instances() {
            for e in events {
                self.deliver(e);
            }
        }
    }

    fn deliver(&self, e: StreamEvent) {
        let _ = self.tx.send(Arc::new(e));
    }

    /// In-process delivery of an event that is not stored (a revocation).
    pub fn deliver_event(&self, e: StreamEvent) {
        self.deliver(e);
    }

    /// PostgreSQL: relays every instance's events to this one's subscribers.
    pub async fn listen(self, url: String) {
        loop {
            match sqlx::postgres::PgListener::connect(&url).await {
                Ok(mut listener) => {
                    if let Err(e) = listener.listen(NOTIFY_CHANNEL).await {
                        tracing::warn!(error = %e, "cannot LISTEN");
                    } else {
                        loop {
                            match listener.recv().await {
                                Ok(n) => match serde_json::from_str::<StreamEvent>(n.payload()) {
                                    Ok(e) => self.deliver(e),
                                    Err(e) => tracing::warn!(error = %e, "bad event notification"),
                                },
                                Err(e) => {
                                    tracing::warn!(error = %e, "event listener lost its connection");
                                    break;
                                }
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot connect the event listener"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

pub const STATUS_STREAM: &str = "sync:status";
pub const CONFLICTS_STREAM: &str = "sync:conflicts";
pub const QUEUE_STREAM: &str = "sync:queue";

fn routed(e: &SyncEvent) -> Vec<(&'static str, Map<String, Value>)> {
    let mut body = match serde_json::to_value(e) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut out = Vec::new();
    match e {
        SyncEvent::SaleSynced {
            device_id,
            seller_code,
            ..
        } => {
            let mut status = Map::new();
            status.insert("type".into(), json!("device_synced"));
            status.insert("device_id".into(), json!(device_id));
            status.insert("seller_code".into(), json!(seller_code));
            out.push((STATUS_STREAM, status));
            out.push((QUEUE_STREAM, std::mem::take(&mut body)));
        }
        SyncEvent::SaleError { .. } | SyncEvent::RetryQueued { .. } => {
            out.push((QUEUE_STREAM, body))
        }
        SyncEvent::ConflictDetected { .. } | SyncEvent::ConflictResolved { .. } => {
            out.push((CONFLICTS_STREAM, body))
        }
    }
    out
}

/// Records the sync services' events into the admin streams, in small
/// batches (one transaction each), after the changes they describe have
/// committed. The same transaction queues the webhook deliveries the
/// events call for (see [`super::webhooks`]); `webhook_wake` then rouses
/// the delivery worker.
pub async fn record_sync_events(db: Db, hub: Hub, events: Events, webhook_wake: Arc<Notify>) {
    let mut rx = events.subscribe();
    loop {
        let first = match rx.recv().await {
            Ok(e) => e,
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(missed = n, "sync event recorder fell behind");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let mut batch = vec![first];
        while batch.len() < 200 {
            match rx.try_recv() {
                Ok(e) => batch.push(e),
                Err(_) => break,
            }
        }
        match store_batch(&db, &hub, &batch).await {
            Ok(0) => {}
            Ok(_) => webhook_wake.notify_one(),
            Err(e) => tracing::warn!(error = %e, "cannot record sync events"),
        }
    }
}

/// Stores a batch; returns the number of webhook deliveries it queued.
async fn store_batch(db: &Db, hub: &Hub, batch: &[SyncEvent]) -> Result<usize, sqlx::Error> {
    let mut tx = db.write().begin().await?;
    let mut events = Vec::new();
    // One "device synced" per device per batch is all a dashboard needs.
    let mut devices_seen = std::collections::HashSet::new();
    for e in batch {
        for (stream, payload) in routed(e) {
            if stream == STATUS_STREAM {
                let device = payload
                    .get("device_id")
                    .map(Value::to_string)
                    .unwrap_or_default();
                if !devices_seen.insert(device) {
                    continue;
                }
            }
            events.push((stream, payload));
        }
    }
    let stored = hub.append_many(&mut tx, events).await?;
    let deliveries = super::webhooks::enqueue(&mut tx, &**db, batch).await?;
    tx.commit().await?;
    hub.committed(stored);
    Ok(deliveries)
}

/// Drops events older than 48 hours, hourly (the contract keeps ≥ 24 h).
pub async fn prune_old_events(db: Db) {
    loop {
        let cutoff = clock::format(chrono::Utc::now() - chrono::Duration::hours(48));
        if let Err(e) = store::events::prune(db.write(), &cutoff).await {
            tracing::warn!(error = %e, "cannot prune events");
        }
        tokio::time::sleep(Duration::from_secs(3_600)).await;
    }
}
