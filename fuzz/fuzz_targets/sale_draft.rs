//! The upload JSON → a validated sale (what the server and the phone both
//! run): never a panic, deterministic, and blind to formatting and key
//! order (the same JSON value, printed again, gets the same verdict).
#![no_main]
use libfuzzer_sys::fuzz_target;
use ruta_shared::money::{Money, Percentage};
use ruta_shared::sale::SaleContent;
use ruta_shared::validation::{check_offline, CatalogView, ProductFacts};
use serde_json::Value;
use std::str::FromStr;

/// Customer 5; products 10 and 12 (the demo data's shape).
struct Catalog;

impl CatalogView for Catalog {
    fn customer_exists(&self, id: i64) -> bool {
        id == 5
    }
    fn product(&self, id: i64) -> Option<ProductFacts> {
        let price = |p: &str| Money::from_str(p).unwrap_or_default();
        let tax = Percentage::from_str("21").unwrap_or_default();
        match id {
            10 => Some(ProductFacts {
                name: "Arepa x10".into(),
                unit_price: price("25.50"),
                tax_percentage: tax,
            }),
            12 => Some(ProductFacts {
                name: "Queso".into(),
                unit_price: price("0.01"),
                tax_percentage: tax,
            }),
            _ => None,
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(sale) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let first = check_offline(&sale, &Catalog);
    assert_eq!(first, check_offline(&sale, &Catalog), "deterministic");
    if let Ok(text) = serde_json::to_string_pretty(&sale) {
        if let Ok(again) = serde_json::from_str::<Value>(&text) {
            assert_eq!(first, check_offline(&again, &Catalog), "formatting");
        }
    }
    if let Ok(content) = &first {
        // An accepted sale's canonical content survives its own JSON
        // (what the server stores) with the same hash and totals.
        let json = serde_json::to_string(content).unwrap_or_default();
        let back: SaleContent = match serde_json::from_str(&json) {
            Ok(c) => c,
            Err(e) => panic!("content does not read back: {e}: {json}"),
        };
        assert_eq!(&back, content);
        assert_eq!(back.content_hash(), content.content_hash());
        assert_eq!(back.totals(), content.totals());
    }
});
