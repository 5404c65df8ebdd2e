//! `/api/v1/users/…` and `/api/v1/sellers/`: the admin's users, their
//! device tokens, and the sellers a dispatcher loads trucks for.
//! ([`crate::auth::UserView`] is the user itself, shared with login.)
use crate::auth::Role;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/users/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller_code: Option<String>,
}

/// `POST /api/v1/users/{id}/password/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordReset {
    pub password: String,
}

/// A row of `GET /api/v1/users/{id}/tokens/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceToken {
    pub id: i64,
    pub device_id: Option<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked: bool,
}

/// `GET /api/v1/devices/{device_id}/` and the answer of `PUT …/name/`:
/// the name an admin gave the device, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceName {
    pub device_id: String,
    pub name: Option<String>,
}

/// `PUT /api/v1/devices/{device_id}/name/` (admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenameDevice {
    pub name: String,
}

/// A row of `GET /api/v1/sellers/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    pub seller_code: String,
    pub username: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_new_user_without_a_seller_code_leaves_the_key_out() {
        let new = NewUser {
            username: "luz".into(),
            password: "secreta-larga".into(),
            role: Role::Dispatcher,
            seller_code: None,
        };
        assert_eq!(
            serde_json::to_value(&new).unwrap(),
            json!({"username": "luz", "password": "secreta-larga", "role": "dispatcher"})
        );
        let back: NewUser = serde_json::from_value(json!({
            "username": "luz", "password": "secreta-larga", "role": "dispatcher"
        }))
        .unwrap();
        assert_eq!(back, new);
    }

    #[test]
    fn a_device_token_reads_as_the_server_writes_it() {
        let text = r#"{"id":7,"device_id":"tab-3","created_at":"2026-12-07T08:00:00.000Z","last_used_at":null,"revoked":true}"#;
        let token: DeviceToken = serde_json::from_str(text).unwrap();
        assert!(token.revoked);
        assert_eq!(serde_json::to_string(&token).unwrap(), text);
    }
}
