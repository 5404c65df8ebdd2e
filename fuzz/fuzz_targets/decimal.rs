//! Decimal text and JSON numbers → `Decimal`, `Money`, `Quantity`,
//! `Percentage`: never a panic; whatever parses prints back to a text that
//! parses to the same value (the canonical form is a fixed point); the
//! JSON form of each newtype round-trips.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ruta_shared::money::{parse_decimal, parse_decimal_text, Money, Percentage, Quantity};
use serde_json::Value;
use std::str::FromStr;

fn newtype_round_trip<T>(text: &str)
where
    T: FromStr + ToString + PartialEq + std::fmt::Debug + serde::Serialize,
    T: serde::de::DeserializeOwned,
{
    if let Ok(v) = T::from_str(text) {
        let printed = v.to_string();
        let again = T::from_str(&printed).ok();
        assert_eq!(again.as_ref(), Some(&v), "{text:?} printed as {printed:?}");
        assert_eq!(again.map(|a| a.to_string()), Some(printed.clone()));
        let json = serde_json::to_string(&v).unwrap_or_default();
        let back: Option<T> = serde_json::from_str(&json).ok();
        assert_eq!(back.as_ref(), Some(&v), "JSON {json}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(d) = parse_decimal_text(text) {
        let printed = d.to_string();
        assert_eq!(
            parse_decimal_text(&printed),
            Ok(d),
            "{text:?} → {printed:?}"
        );
        assert_eq!(d, d.normalize(), "parsed values are normalised");
        // The same value sent as a JSON string parses alike.
        assert_eq!(parse_decimal(&Value::String(text.to_owned())), Ok(d));
    }
    newtype_round_trip::<Money>(text);
    newtype_round_trip::<Quantity>(text);
    newtype_round_trip::<Percentage>(text);
    // As a JSON value (numbers, strings, anything): no panic, and a JSON
    // number that parses has the value of its text.
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        let parsed = parse_decimal(&v);
        if let (Value::Number(n), Ok(d)) = (&v, &parsed) {
            assert_eq!(parse_decimal_text(&n.to_string()).as_ref(), Ok(d));
        }
        let _ = Money::parse(&v);
        let _ = Quantity::parse(&v);
        let _ = Percentage::parse(&v);
    }
});
