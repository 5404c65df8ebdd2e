//! The contract's error bodies (`shared/API.md`, "Errors"): `{"detail"}`
//! for auth, limits, missing rows, closed sheets and server faults;
//! `{"error", "field"}` for a request that fails a check. The 409 of a
//! sale conflict adds its own fields beside `error`; they are read where
//! conflicts are handled, and ignored here (but its `message`, the words
//! for people, is read).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The words for people beside a code in `error` (a 409 `CONFLICT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl ErrorBody {
    /// `{"detail": …}`.
    pub fn detail(message: impl Into<String>) -> Self {
        Self {
            detail: Some(message.into()),
            ..Self::default()
        }
    }

    /// `{"error": …, "field": …}`.
    pub fn invalid(message: impl Into<String>, field: Option<String>) -> Self {
        Self {
            error: Some(message.into()),
            field,
            ..Self::default()
        }
    }

    /// What to show the user: a conflict's message, else the check's
    /// error, else the detail.
    pub fn message(&self) -> Option<&str> {
        self.message
            .as_deref()
            .or(self.error.as_deref())
            .or(self.detail.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn wire(body: &ErrorBody) -> Value {
        serde_json::to_value(body).unwrap()
    }

    #[test]
    fn bodies_are_written_as_the_contract_shows_them() {
        assert_eq!(
            wire(&ErrorBody::detail("Not found.")),
            json!({"detail": "Not found."})
        );
        assert_eq!(
            wire(&ErrorBody::invalid(
                "sales no puede estar vacío",
                Some("sales".into())
            )),
            json!({"error": "sales no puede estar vacío", "field": "sales"})
        );
        assert_eq!(wire(&ErrorBody::invalid("x", None)), json!({"error": "x"}));
    }

    #[test]
    fn a_reader_finds_the_message_in_either_shape() {
        let read = |text: &str| serde_json::from_str::<ErrorBody>(text).unwrap();
        assert_eq!(
            read(r#"{"detail": "La hoja de cargue está cerrada"}"#).message(),
            Some("La hoja de cargue está cerrada")
        );
        assert_eq!(
            read(r#"{"error": "limit debe ser mayor a 0", "field": "limit"}"#).message(),
            Some("limit debe ser mayor a 0")
        );
        // A 409 conflict: its words for people, not the code; extra
        // fields are not an error.
        let conflict = read(
            r#"{"error": "CONFLICT", "message": "m", "local_id": "l", "conflict": {"fields": []}}"#,
        );
        assert_eq!(conflict.message(), Some("m"));
        assert_eq!(read("{}").message(), None);
    }
}
