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
    VoidSale = "void_sale",
    Conflict = "conflict",
    Resolve = "resolve",
    Retry = "retry",
    UpdateCargue = "update_cargue",
    CloseShift = "close_shift",
    SettleShift = "settle_shift",
    ReopenShift = "reopen_shift",
    Login = "login",
    Throttled = "throttled",
    LoginFailed = "login_failed",
    Logout = "logout",
    CatalogCreate = "catalog_create",
    CatalogUpdate = "catalog_update",
    CatalogDeactivate = "catalog_deactivate",
    PriceChange = "price_change",
    CatalogImport = "catalog_import",
    UserCreate = "user_create",
    PasswordReset = "password_reset",
    TokenRevoke = "token_revoke",
    ConfigChange = "config_change",
    RateChange = "rate_change",
    WebhookChange = "webhook_change",
    DeviceRename = "device_rename",
    BusinessChange = "business_change",
});

impl SyncAction {
    /// Admin and security actions (beside the contract's sync actions):
    /// who changed the catalog, users, tokens, settings and webhooks.
    pub fn is_admin_action(self) -> bool {
        !matches!(
            self,
            Self::CreateSale
                | Self::Duplicate
                | Self::UpdateSale
                | Self::VoidSale
                | Self::Conflict
                | Self::Resolve
                | Self::Retry
                | Self::UpdateCargue
                | Self::CloseShift
                | Self::SettleShift
                | Self::Login
                | Self::Throttled
        )
    }
}

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
    /// What was changed, for rows that are not about one sale (a catalog
    /// edit, a cargue check, a setting). Left out of the JSON when absent,
    /// so rows written before the field existed hash as they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<serde_json::Value>,
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
            detail: None,
        }
    }

    /// The hash of a row without `detail`, as computed before the field
    /// existed (SHA-256 of "" NUL and the 13-field JSON).
    #[test]
    fn rows_without_detail_hash_as_before_the_field_existed() {
        let json = serde_json::to_string(&row()).unwrap();
        assert!(!json.contains("detail"), "{json}");
        let mut h = Sha256::new();
        h.update(b"\0");
        h.update(
            br#"{"chain":"ID1","action":"create_sale","user_id":3,"username":"ana","seller_code":"ID1","device_id":"D1","ip":"127.0.0.1","user_agent":null,"sale_id":42,"local_id":null,"success":true,"error":null,"timestamp":"2026-02-16T12:00:30.000Z"}"#,
        );
        assert_eq!(row().chain_hash(""), hex::encode(h.finalize()));
    }

    #[test]
    fn the_detail_is_part_of_the_hash() {
        let mut a = row();
        a.detail = Some(serde_json::json!({"product_id": 10, "v": true}));
        let mut b = row();
        b.detail = Some(serde_json::json!({"product_id": 10, "v": false}));
        assert_ne!(a.chain_hash(""), b.chain_hash(""));
        assert_ne!(a.chain_hash(""), row().chain_hash(""));
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
