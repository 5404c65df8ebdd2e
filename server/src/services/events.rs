//! In-process publication of sync events (sale synced, error, conflict…).
//! The WebSocket channels subscribe here; with PostgreSQL a relay can fan
//! the same events out across instances.
use serde::Serialize;
use tokio::sync::broadcast;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SyncEvent {
    SaleSynced {
        sale_id: i64,
        local_id: String,
        seller_code: Option<String>,
        device_id: Option<String>,
    },
    SaleError {
        sale_id: Option<i64>,
        local_id: String,
        seller_code: Option<String>,
        error: String,
    },
    RetryQueued {
        sale_id: i64,
    },
    ConflictDetected {
        sale_id: i64,
        local_id: String,
        seller_code: Option<String>,
    },
    ConflictResolved {
        sale_id: i64,
        resolution: String,
    },
}

#[derive(Clone)]
pub struct Events {
    tx: broadcast::Sender<SyncEvent>,
}

impl Default for Events {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(1024).0,
        }
    }
}

impl Events {
    pub fn publish(&self, e: SyncEvent) {
        // No subscriber is fine: events are also in the log.
        let _ = self.tx.send(e);
    }
    pub fn subscribe(&self) -> broadcast::Receiver<SyncEvent> {
        self.tx.subscribe()
    }
}
