//! Roles, seller codes and the user as the API shows it.
use crate::sale::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum!(Role { Seller = "seller", Dispatcher = "dispatcher", Admin = "admin" });

/// A route seller's code: 1–16 of `A-Z 0-9 _ -`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SellerCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("seller_code debe tener 1 a 16 caracteres A-Z, 0-9, _ o -")]
pub struct SellerCodeError;

impl SellerCode {
    pub fn parse(text: &str) -> Result<Self, SellerCodeError> {
        let ok = (1..=16).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        ok.then(|| Self(text.to_owned())).ok_or(SellerCodeError)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SellerCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Usernames: 1–64 of letters, digits, `.`, `_`, `-`, `@`.
pub fn valid_username(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub seller_code: Option<SellerCode>,
}

/// `POST /auth/token/`'s body. `device_id` names the phone or tablet the
/// token is for (absent or blank on the web pages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub device_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub token: String,
    pub user: UserView,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_body_reads_with_or_without_a_device() {
        let phone: LoginRequest =
            serde_json::from_str(r#"{"username":"ana","password":"p","device_id":"tab-3"}"#)
                .unwrap();
        assert_eq!(phone.device_id.as_deref(), Some("tab-3"));
        let web: LoginRequest =
            serde_json::from_str(r#"{"username":"ana","password":"p"}"#).unwrap();
        assert_eq!(web.device_id, None);
        assert_eq!(
            serde_json::to_string(&phone).unwrap(),
            r#"{"username":"ana","password":"p","device_id":"tab-3"}"#
        );
    }

    #[test]
    fn seller_codes() {
        assert!(SellerCode::parse("ID1").is_ok());
        assert!(SellerCode::parse("RUTA_NORTE-2").is_ok());
        assert!(SellerCode::parse("").is_err());
        assert!(SellerCode::parse("id1").is_err());
        assert!(SellerCode::parse("ABCDEFGHIJKLMNOPQ").is_err());
        assert!(SellerCode::parse("ID 1").is_err());
    }

    #[test]
    fn usernames() {
        assert!(valid_username("ana.perez"));
        assert!(!valid_username(""));
        assert!(!valid_username("ana perez"));
        assert!(!valid_username("'; DROP TABLE users;--"));
    }
}
