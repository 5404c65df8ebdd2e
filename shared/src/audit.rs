//! The sync log's actions and its hash chain.
//!
//! Each row stores the hash of the previous row of its chain and its own
//! hash over its content plus that previous hash, so editing or deleting a
//! row breaks every later link. There is one chain per seller code and one
//! named `system`, so sellers never queue behind each other to log.
use crate::sale::wire_enum;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

wire_enum!(SyncAction {
    CreateSale = "create_sale",
    Duplicate = "duplicate",
    UpdateSale = "update_sale",
    Conflict = "conflict",
    Resolve = "resolve",
    Retry = "retry",
    UpdateCargue = "update_cargue",
    CloseShift = "close_shift",
    Login = "login",
    Throttled = "throttled",
});

pub const SYSTEM_CHAIN: &str = "system";

/// Everything a log row says, except its id and hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogContent {
    pub chain: String,
    pub action: SyncAction,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub sale_id: Option<i64>,
    pub local_id: Option<String>,
    pub success: bool,
    pub error: Option<String>,
    pub timestamp: String,
}

impl LogContent {
    /// The row's hash: SHA-256 over the previous hash and the canonical
    /// JSON of the content (field order fixed by this struct).
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        h.update([0u8]);
        h.update(serde_json::to_vec(self).unwrap_or_default());
        hex::encode(h.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> LogContent {
        LogContent {
            chain: "ID1".into(),
            action: SyncAction::CreateSale,
            user_id: Some(3),
            username: Some("ana".into()),
            seller_code: Some("ID1".into()),
            device_id: Some("D1".into()),
            ip: Some("127.0.0.1".into()),
            user_agent: None,
            sale_id: Some(42),
            local_id: None,
            success: true,
            error: None,
            timestamp: "2026-02-16T12:00:30.000Z".into(),
        }
    }

    #[test]
    fn any_change_changes_the_hash() {
        let h = row().chain_hash("");
        let mut edited = row();
        edited.success = false;
        assert_ne!(edited.chain_hash(""), h);
        assert_ne!(row().chain_hash("x"), h);
        assert_eq!(row().chain_hash(""), h);
        assert_eq!(h.len(), 64);
    }
}
