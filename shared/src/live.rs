//! What a live stream (`/ws/...`) sends, as a client reads it: a `hello`
//! with the stream's latest `seq`, then events carrying their own `seq`.
//! Here, not in the app, so the reader is fuzzed with the other parsers.
use serde_json::Value;

/// What a message means to a subscriber that has seen everything up to
/// `after`.
#[derive(Debug, PartialEq)]
pub enum Incoming {
    /// The stream's latest `seq` when the connection went live.
    Hello(i64),
    Event(i64, Value),
    /// Already delivered (replay overlap) or not understood.
    Skip,
}

pub fn classify(text: &str, after: i64) -> Incoming {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Incoming::Skip;
    };
    if value.get("type").and_then(Value::as_str) == Some("hello") {
        return Incoming::Hello(value.get("seq").and_then(Value::as_i64).unwrap_or(0));
    }
    match value.get("seq").and_then(Value::as_i64) {
        Some(seq) if seq > after => Incoming::Event(seq, value),
        _ => Incoming::Skip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replayed_events_already_seen_are_skipped() {
        assert_eq!(
            classify(r#"{"type":"hello","seq":9}"#, 3),
            Incoming::Hello(9)
        );
        assert_eq!(
            classify(r#"{"type":"check_update","seq":3}"#, 3),
            Incoming::Skip
        );
        assert!(matches!(
            classify(r#"{"type":"check_update","seq":4}"#, 3),
            Incoming::Event(4, _)
        ));
        assert_eq!(classify("not json", 3), Incoming::Skip);
    }
}
