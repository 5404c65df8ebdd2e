//! Revoked tokens close their open WebSockets at once. A revocation is
//! announced as a hub event on a stream no socket subscribes to; every
//! socket task checks it against its own token id. With PostgreSQL the
//! announcement travels by the same NOTIFY channel as the stream events,
//! so sockets on every instance hear it.
use super::streams::{Hub, StreamEvent, NOTIFY_CHANNEL};
use crate::db::Db;
use serde_json::json;

/// Not a stored stream: it has no sequence and nothing to replay.
pub const REVOKED_STREAM: &str = "auth:revoked";

/// Tells every socket (on every instance) that these tokens are revoked.
/// Call after the revocation committed. A lost announcement leaves the
/// socket open only until its next reconnect, which the revoked token
/// cannot pass, so a failure is logged rather than returned.
pub async fn announce(db: &Db, hub: &Hub, token_ids: &[i64]) {
    if token_ids.is_empty() {
        return;
    }
    let event = StreamEvent {
        stream: REVOKED_STREAM.to_owned(),
        seq: 0,
        payload: json!({ "token_ids": token_ids }),
    };
    if db.is_shared_by_instances() {
        let message = serde_json::to_string(&event).unwrap_or_default();
        let sent = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(NOTIFY_CHANNEL)
            .bind(message)
            .execute(db.write())
            .await;
        if let Err(e) = sent {
            tracing::warn!(error = %e, "cannot announce a token revocation");
        }
    } else {
        hub.deliver_event(event);
    }
}

/// Whether `event` revokes `token_id`.
pub fn revokes(event: &StreamEvent, token_id: i64) -> bool {
    event.stream == REVOKED_STREAM
        && event.payload["token_ids"]
            .as_array()
            .is_some_and(|ids| ids.iter().any(|id| id.as_i64() == Some(token_id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_tokens_are_revoked() {
        let event = StreamEvent {
            stream: REVOKED_STREAM.into(),
            seq: 0,
            payload: json!({"token_ids": [3, 9]}),
        };
        assert!(revokes(&event, 9));
        assert!(!revokes(&event, 4));
        let other = StreamEvent {
            stream: "cargue:ID1".into(),
            ..event
        };
        assert!(!revokes(&other, 9));
    }
}
