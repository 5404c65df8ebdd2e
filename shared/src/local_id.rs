//! The client-generated key of a sale: any RFC 4122 UUID.
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LocalId(Uuid);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalIdError {
    #[error("local_id requerido y no puede estar vacío")]
    Missing,
    #[error("local_id debe ser UUID válido (RFC 4122)")]
    Invalid,
}

impl LocalId {
    /// Accepts the hyphenated RFC 4122 text form (any version, any case).
    pub fn parse(text: &str) -> Result<Self, LocalIdError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(LocalIdError::Missing);
        }
        // `Uuid::parse_str` also accepts braces, URNs and simple hex; the
        // contract asks for the RFC 4122 string form only.
        if trimmed.len() != 36 {
            return Err(LocalIdError::Invalid);
        }
        let uuid = Uuid::parse_str(trimmed).map_err(|_| LocalIdError::Invalid)?;
        if uuid.is_nil() {
            return Err(LocalIdError::Invalid);
        }
        Ok(Self(uuid))
    }

    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    pub fn as_uuid(&self) -> &Uuid {
        &self.0
    }
}

impl fmt::Display for LocalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_any_version_and_normalises_case() {
        let id = LocalId::parse("550E8400-E29B-41D4-A716-446655440000").unwrap();
        assert_eq!(id.to_string(), "550e8400-e29b-41d4-a716-446655440000");
        assert!(LocalId::parse("0190f5a3-7b2c-7def-8123-456789abcdef").is_ok());
    }

    #[test]
    fn rejects_empty_and_malformed() {
        assert_eq!(LocalId::parse(""), Err(LocalIdError::Missing));
        assert_eq!(LocalId::parse("   "), Err(LocalIdError::Missing));
        assert_eq!(LocalId::parse("VEN-0001"), Err(LocalIdError::Invalid));
        assert_eq!(
            LocalId::parse("550e8400e29b41d4a716446655440000"),
            Err(LocalIdError::Invalid)
        );
        assert_eq!(
            LocalId::parse("00000000-0000-0000-0000-000000000000"),
            Err(LocalIdError::Invalid)
        );
    }
}
