//! Conflicts between a client's copy of a sale and the server's, the
//! strategies that may settle them, and the field-level merge.
use crate::sale::{wire_enum, SaleContent};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

wire_enum!(
    /// The authored fields of a sale that can differ between two copies.
    ConflictField {
        CustomerId = "customer_id",
        Status = "status",
        PaymentMethod = "payment_method",
        Items = "items",
        Returns = "returns",
        Notes = "notes",
    }
);

wire_enum!(
    /// How conflicts on an entity type are settled (per type, set by an admin).
    Strategy {
        ServerWins = "server_wins",
        ClientWins = "client_wins",
        LastWriteWins = "last_write_wins",
        Merge = "merge",
        Manual = "manual",
    }
);

wire_enum!(
    /// What a person (or a strategy) chose for one conflict.
    Resolution {
        ServerWins = "server_wins",
        ClientWins = "client_wins",
        Merge = "merge",
        Manual = "manual",
    }
);

wire_enum!(
    /// Entity types with a configurable strategy.
    EntityType { Sale = "sale", Customer = "customer", Product = "product" }
);

/// The `conflict` object of an upload result or a 409.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictInfo {
    pub server_version: i64,
    pub client_version: i64,
    pub fields: Vec<ConflictField>,
    pub server: Value,
    pub client: Value,
}

fn same_field(a: &SaleContent, b: &SaleContent, f: ConflictField) -> bool {
    match f {
        ConflictField::CustomerId => a.customer_id == b.customer_id,
        ConflictField::Status => a.status == b.status,
        ConflictField::PaymentMethod => a.payment_method == b.payment_method,
        ConflictField::Items => a.items == b.items,
        ConflictField::Returns => a.returns == b.returns,
        ConflictField::Notes => a.notes == b.notes,
    }
}

fn take_field(into: &mut SaleContent, from: &SaleContent, f: ConflictField) {
    match f {
        ConflictField::CustomerId => into.customer_id = from.customer_id,
        ConflictField::Status => into.status = from.status,
        ConflictField::PaymentMethod => into.payment_method = from.payment_method,
        ConflictField::Items => into.items = from.items.clone(),
        ConflictField::Returns => into.returns = from.returns.clone(),
        ConflictField::Notes => into.notes = from.notes.clone(),
    }
}

/// The fields on which two copies differ, in a fixed order.
pub fn differing_fields(a: &SaleContent, b: &SaleContent) -> Vec<ConflictField> {
    ConflictField::ALL
        .iter()
        .copied()
        .filter(|f| !same_field(a, b, *f))
        .collect()
}

/// Three-way merge: the client's value for each field the server did not
/// change since `base` (the client's base version), the server's otherwise.
/// Fields both sides changed to different values are returned as the error.
pub fn merge(
    base: &SaleContent,
    server: &SaleContent,
    client: &SaleContent,
) -> Result<SaleContent, Vec<ConflictField>> {
    let mut merged = server.clone();
    let mut clashes = Vec::new();
    for &f in ConflictField::ALL {
        let server_changed = !same_field(base, server, f);
        let client_changed = !same_field(base, client, f);
        match (server_changed, client_changed) {
            (false, true) => take_field(&mut merged, client, f),
            (true, true) if !same_field(server, client, f) => clashes.push(f),
            _ => {}
        }
    }
    if clashes.is_empty() {
        Ok(merged)
    } else {
        Err(clashes)
    }
}

/// `last_write_wins`: whether the device's copy was edited after the
/// server's. The device says when it edited (`updated_at`, else when the
/// sale was made); a time ahead of the server's clock counts as now, so a
/// phone whose clock runs fast cannot win every conflict. Ties keep the
/// server's copy.
pub fn client_wrote_last(
    client_edited: Option<DateTime<Utc>>,
    client_created: Option<DateTime<Utc>>,
    server_edited: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    client_edited
        .or(client_created)
        .is_some_and(|t| t.min(now) > server_edited)
}

/// Whether a catalog edit made from a stale version is applied under
/// `strategy`. The server keeps no copy of the version the edit started
/// from, so there is nothing to merge field by field: `merge` and `manual`
/// hand the choice to the person who made the edit (the 409 shows both
/// copies), as `server_wins` does.
pub fn stale_edit_applies(
    strategy: Strategy,
    client_edited: Option<DateTime<Utc>>,
    server_edited: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    match strategy {
        Strategy::ClientWins => true,
        Strategy::LastWriteWins => client_wrote_last(client_edited, None, server_edited, now),
        Strategy::ServerWins | Strategy::Merge | Strategy::Manual => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sale::{PaymentMethod, SaleStatus};

    fn base() -> SaleContent {
        serde_json::from_value(serde_json::json!({
            "customer_id": 5, "status": "draft", "payment_method": "cash",
            "items": [], "returns": [], "notes": "a"
        }))
        .unwrap()
    }

    #[test]
    fn last_write_wins_compares_when_each_copy_was_edited() {
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
        let server = at("2026-02-16T10:02:00Z");
        let now = at("2026-02-16T11:00:00Z");
        let made = Some(at("2026-02-16T09:00:00Z"));
        // Made before the server's edit, edited offline after it: wins.
        assert!(client_wrote_last(
            Some(at("2026-02-16T10:05:00Z")),
            made,
            server,
            now
        ));
        // Edited before the server's edit: loses, whenever it arrives.
        assert!(!client_wrote_last(
            Some(at("2026-02-16T10:01:00Z")),
            made,
            server,
            now
        ));
        // No edit time: the creation time stands in.
        assert!(!client_wrote_last(None, made, server, now));
        assert!(client_wrote_last(
            None,
            Some(at("2026-02-16T10:03:00Z")),
            server,
            now
        ));
        // A clock in the future counts as now; a tie keeps the server's.
        assert!(client_wrote_last(
            Some(at("2030-01-01T00:00:00Z")),
            made,
            server,
            now
        ));
        assert!(!client_wrote_last(
            Some(at("2030-01-01T00:00:00Z")),
            made,
            now,
            now
        ));
        assert!(!client_wrote_last(None, None, server, now));
    }

    #[test]
    fn merge_takes_each_side_where_only_it_changed() {
        let mut server = base();
        server.notes = Some("server note".into());
        let mut client = base();
        client.payment_method = PaymentMethod::Credit;
        let merged = merge(&base(), &server, &client).unwrap();
        assert_eq!(merged.notes.as_deref(), Some("server note"));
        assert_eq!(merged.payment_method, PaymentMethod::Credit);
    }

    #[test]
    fn merge_reports_fields_both_changed() {
        let mut server = base();
        server.notes = Some("s".into());
        let mut client = base();
        client.notes = Some("c".into());
        client.status = SaleStatus::Confirmed;
        assert_eq!(
            merge(&base(), &server, &client),
            Err(vec![ConflictField::Notes])
        );
        assert_eq!(
            differing_fields(&server, &client),
            vec![ConflictField::Status, ConflictField::Notes]
        );
    }

    #[test]
    fn same_change_on_both_sides_is_no_clash() {
        let mut server = base();
        server.notes = Some("same".into());
        let client = server.clone();
        assert_eq!(merge(&base(), &server, &client).unwrap(), server);
    }

    #[test]
    fn a_stale_catalog_edit_applies_only_when_its_strategy_lets_it() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let server = t("2026-02-16T10:00:00Z");
        let now = t("2026-02-16T12:00:00Z");
        let later = Some(t("2026-02-16T11:00:00Z"));
        let earlier = Some(t("2026-02-16T09:00:00Z"));
        assert!(stale_edit_applies(
            Strategy::ClientWins,
            earlier,
            server,
            now
        ));
        assert!(stale_edit_applies(
            Strategy::LastWriteWins,
            later,
            server,
            now
        ));
        assert!(!stale_edit_applies(
            Strategy::LastWriteWins,
            earlier,
            server,
            now
        ));
        assert!(!stale_edit_applies(
            Strategy::LastWriteWins,
            None,
            server,
            now
        ));
        for s in [Strategy::ServerWins, Strategy::Merge, Strategy::Manual] {
            assert!(!stale_edit_applies(s, later, server, now), "{s:?}");
        }
    }
}
