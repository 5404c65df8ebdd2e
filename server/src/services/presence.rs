//! The status stream's own events (`/ws/sync/status/`): devices going
//! online and offline, and the sync queue's depth, beside the
//! `device_synced` events of uploads.
//!
//! A device is online while its token was used within
//! [`overview::ONLINE_WINDOW`], so going offline is the absence of
//! requests: a watcher compares the devices and the queue every few
//! seconds with what it last published. The last published state lives in
//! the database and is replaced with a compare-and-swap in the same
//! transaction as the events, so with several instances each change is
//! published once.
use super::overview::{self, ONLINE_WINDOW};
use super::streams::{Hub, STATUS_STREAM};
use crate::clock;
use crate::db::Db;
use crate::store::{self, settings};
use ruta_shared::admin::SyncCounts;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::time::Duration;

/// What the status stream last said.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Presence {
    /// Online devices by id, with who they are.
    pub online: BTreeMap<String, DeviceFacts>,
    pub queue: QueueDepth,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceFacts {
    pub username: String,
    pub seller_code: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueDepth {
    pub pending: i64,
    pub error: i64,
    pub conflict: i64,
    pub retry_queue: i64,
}

/// The events that take a listener from `before` to `now`.
pub fn changes(before: &Presence, now: &Presence) -> Vec<Map<String, Value>> {
    let device = |kind: &str, id: &str, facts: &DeviceFacts| {
        let mut m = Map::new();
        m.insert("type".into(), json!(kind));
        m.insert("device_id".into(), json!(id));
        m.insert("username".into(), json!(facts.username));
        m.insert("seller_code".into(), json!(facts.seller_code));
        m
    };
    let mut out = Vec::new();
    for (id, facts) in &now.online {
        if !before.online.contains_key(id) {
            out.push(device("device_online", id, facts));
        }
    }
    for (id, facts) in &before.online {
        if !now.online.contains_key(id) {
            out.push(device("device_offline", id, facts));
        }
    }
    if before.queue != now.queue {
        if let Ok(Value::Object(mut m)) = serde_json::to_value(&now.queue) {
            m.insert("type".into(), json!("queue_depth"));
            out.push(m);
        }
    }
    out
}

async fn read_presence(db: &Db) -> Result<Presence, sqlx::Error> {
    let read = db.read();
    let online_since = clock::format(chrono::Utc::now() - ONLINE_WINDOW);
    let online = store::tokens::devices(read, overview::MAX_DEVICES)
        .await?
        .into_iter()
        .filter(|d| {
            d.last_used_at
                .as_deref()
                .is_some_and(|t| t >= online_since.as_str())
        })
        .map(|d| {
            let facts = DeviceFacts {
                username: d.username,
                seller_code: d.seller_code,
            };
            (d.device_id, facts)
        })
        .collect();
    let (
        SyncCounts {
            pending,
            error,
            conflict,
        },
        retry_queue,
    ) = overview::queue(db).await?;
    Ok(Presence {
        online,
        queue: QueueDepth {
            pending,
            error,
            conflict,
            retry_queue,
        },
    })
}

/// One comparison: publishes what changed since the stored state, if this
/// instance is the one that moves it.
pub async fn publish_changes(db: &Db, hub: &Hub) -> Result<usize, sqlx::Error> {
    let now = read_presence(db).await?;
    let stored = settings::get(db.read(), settings::PRESENCE).await?;
    let before: Presence = stored
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    let events = changes(&before, &now);
    if events.is_empty() {
        return Ok(0);
    }
    let text = serde_json::to_string(&now).unwrap_or_default();
    let mut tx = db.write().begin().await?;
    let at = clock::now();
    if !settings::replace(&mut *tx, settings::PRESENCE, stored.as_deref(), &text, &at).await? {
        // Another instance published this change first.
        return Ok(0);
    }
    let count = events.len();
    let stored_events = hub
        .append_many(
            &mut tx,
            events.into_iter().map(|e| (STATUS_STREAM, e)).collect(),
        )
        .await?;
    tx.commit().await?;
    hub.committed(stored_events);
    Ok(count)
}

/// Compares every `every` until the process stops.
pub async fn watch(db: Db, hub: Hub, every: Duration) {
    loop {
        if let Err(e) = publish_changes(&db, &hub).await {
            tracing::warn!(error = %e, "cannot publish device presence");
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(user: &str) -> DeviceFacts {
        DeviceFacts {
            username: user.into(),
            seller_code: Some("ID1".into()),
        }
    }

    #[test]
    fn transitions_and_depth_become_events() {
        let before = Presence {
            online: BTreeMap::from([
                ("tab-1".into(), facts("ana")),
                ("tab-2".into(), facts("ana")),
            ]),
            queue: QueueDepth::default(),
        };
        let now = Presence {
            online: BTreeMap::from([
                ("tab-2".into(), facts("ana")),
                ("tab-3".into(), facts("beto")),
            ]),
            queue: QueueDepth {
                error: 2,
                ..QueueDepth::default()
            },
        };
        let events = changes(&before, &now);
        let kinds: Vec<(&str, Option<&str>)> = events
            .iter()
            .map(|e| {
                (
                    e["type"].as_str().unwrap(),
                    e.get("device_id").and_then(Value::as_str),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("device_online", Some("tab-3")),
                ("device_offline", Some("tab-1")),
                ("queue_depth", None)
            ]
        );
        assert_eq!(events[2]["error"], 2);
        assert_eq!(events[0]["username"], "beto");
        assert!(changes(&now, &now).is_empty());
    }
}
