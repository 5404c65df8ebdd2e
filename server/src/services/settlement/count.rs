//! The dispatcher's count: read from the request (checked), stored as
//! JSON, and read back.
use super::day::quantity_text;
use crate::services::{ServiceError, ServiceResult};
use crate::store::settlements::SettlementRow;
use rust_decimal::Decimal;
use ruta_shared::money::{self, Money};
use ruta_shared::settlement::Count;
use ruta_shared::wire::settlement::SettleRequest;
use std::collections::BTreeMap;
use std::str::FromStr;

/// The most units a count may give for one product (a quantity's bound).
const MAX_LEFT: i64 = 1_000_000;

/// Reads the stored count back (`{"<product_id>": "<left>"}`, cash).
pub(super) fn stored_count(row: &SettlementRow) -> Count {
    let left: BTreeMap<String, String> = serde_json::from_str(&row.counted).unwrap_or_default();
    Count {
        left: left
            .into_iter()
            .filter_map(|(id, q)| Some((id.parse().ok()?, Decimal::from_str(&q).ok()?)))
            .collect(),
        cash: Decimal::from_str(&row.cash_counted).unwrap_or_default(),
    }
}

fn invalid_left(product_id: i64) -> ServiceError {
    ServiceError::invalid(
        "lines",
        format!("left del producto {product_id} debe ser un número entre 0 y {MAX_LEFT}, con hasta 3 decimales"),
    )
}

/// The request's count, checked: every `left` a decimal in `[0, 1e6]`
/// with at most 3 decimals, each product once, cash a valid amount.
pub(super) fn read_count(req: &SettleRequest) -> ServiceResult<Count> {
    let mut left = BTreeMap::new();
    for l in &req.lines {
        let d = money::parse_decimal_text(l.left.trim()).map_err(|_| invalid_left(l.product_id))?;
        if d < Decimal::ZERO || d > Decimal::from(MAX_LEFT) || d.scale() > 3 {
            return Err(invalid_left(l.product_id));
        }
        if left.insert(l.product_id, d).is_some() {
            return Err(ServiceError::invalid(
                "lines",
                format!("producto {} repetido", l.product_id),
            ));
        }
    }
    let cash = Money::from_str(&req.cash_counted).map_err(|e| {
        ServiceError::invalid("cash_counted", format!("cash_counted inválido: {e}"))
    })?;
    Ok(Count {
        left,
        cash: cash.value(),
    })
}

pub(super) fn counted_json(count: &Count) -> String {
    let map: BTreeMap<String, String> = count
        .left
        .iter()
        .map(|(id, q)| (id.to_string(), quantity_text(*q)))
        .collect();
    serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
}
