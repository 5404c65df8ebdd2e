//! Live stream messages as the app reads them: never a panic; an event is
//! handed out only past `after` and with the `seq` it carries.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ruta_shared::live::{classify, Incoming};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    // The first 8 bytes choose `after`; the rest is the message text.
    if data.len() < 8 {
        return;
    }
    let (head, rest) = data.split_at(8);
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(head);
    let after = i64::from_le_bytes(bytes);
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match classify(text, after) {
        Incoming::Event(seq, value) => {
            assert!(seq > after);
            assert_eq!(value.get("seq").and_then(Value::as_i64), Some(seq));
            assert_ne!(value.get("type").and_then(Value::as_str), Some("hello"));
        }
        Incoming::Hello(_) => {
            let v: Value = serde_json::from_str(text).unwrap_or_default();
            assert_eq!(v["type"], "hello");
        }
        Incoming::Skip => {}
    }
});
