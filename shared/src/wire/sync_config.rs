//! `GET/PUT /api/v1/sync/config/`: each entity type's conflict strategy and
//! whether it is critical, and what "critical" means: critical types are
//! uploaded first by the phone.
use crate::conflict::{EntityType, Strategy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntitySettings {
    pub strategy: Strategy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical: Option<bool>,
}

/// Entity type (`sale`, `customer`, `product`) → its settings.
pub type SyncConfig = BTreeMap<String, EntitySettings>;

pub fn is_critical(config: &SyncConfig, entity: EntityType) -> bool {
    config
        .get(entity.as_str())
        .and_then(|s| s.critical)
        .unwrap_or(false)
}

/// The order the phone sends what it queued offline: critical types first;
/// between equals, customers first (a new sale may name a shop added
/// offline). A sale that names a shop added offline is held until that shop
/// is sent, whatever the order; products are never written by the phone.
pub fn upload_order(config: &SyncConfig) -> [EntityType; 2] {
    order_by(|e| is_critical(config, e))
}

/// [`upload_order`] of the config as JSON, for a reader that holds it as a
/// `Value` (the phone: a typed map reader would only grow its WASM).
pub fn upload_order_of_json(config: &serde_json::Value) -> [EntityType; 2] {
    order_by(|e| config[e.as_str()]["critical"].as_bool().unwrap_or(false))
}

fn order_by(critical: impl Fn(EntityType) -> bool) -> [EntityType; 2] {
    let sale = critical(EntityType::Sale);
    let customer = critical(EntityType::Customer);
    if sale && !customer {
        [EntityType::Sale, EntityType::Customer]
    } else {
        [EntityType::Customer, EntityType::Sale]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(value: serde_json::Value) -> SyncConfig {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn the_order_read_from_json_is_the_order_of_the_typed_config() {
        let critical = |on: bool| EntitySettings {
            strategy: Strategy::ServerWins,
            critical: Some(on).filter(|c| *c),
        };
        for (sale, customer) in [(false, false), (true, false), (false, true), (true, true)] {
            let config: SyncConfig = [("sale", sale), ("customer", customer)]
                .into_iter()
                .map(|(k, c)| (k.to_owned(), critical(c)))
                .collect();
            let json = serde_json::to_value(&config).unwrap();
            assert_eq!(upload_order_of_json(&json), upload_order(&config), "{json}");
        }
        assert_eq!(
            upload_order_of_json(&serde_json::json!("not a config")),
            [EntityType::Customer, EntityType::Sale]
        );
    }

    #[test]
    fn critical_types_go_first() {
        use EntityType::{Customer, Sale};
        // The contract's example and the seeded default: sales critical.
        let default = config(json!({
            "sale": {"strategy": "manual", "critical": true},
            "customer": {"strategy": "last_write_wins"},
            "product": {"strategy": "server_wins"}
        }));
        assert_eq!(upload_order(&default), [Sale, Customer]);
        let customers = config(json!({
            "sale": {"strategy": "manual", "critical": false},
            "customer": {"strategy": "last_write_wins", "critical": true}
        }));
        assert_eq!(upload_order(&customers), [Customer, Sale]);
        let both = config(json!({
            "sale": {"strategy": "manual", "critical": true},
            "customer": {"strategy": "manual", "critical": true}
        }));
        assert_eq!(upload_order(&both), [Customer, Sale]);
        assert_eq!(upload_order(&SyncConfig::new()), [Customer, Sale]);
    }

    #[test]
    fn settings_are_written_as_the_contract_shows_them() {
        let c = config(
            json!({"sale": {"strategy": "manual", "critical": true}, "product": {"strategy": "server_wins"}}),
        );
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            json!({"product": {"strategy": "server_wins"}, "sale": {"strategy": "manual", "critical": true}})
        );
    }
}
