//! Voiding (anular) a confirmed sale: a new version of it whose status is
//! `cancelled` and which says why. The sale keeps its number, so numbers
//! stay gapless; the settlement and the report stop counting it; the
//! receipt shows it ANULADA. A voided sale is final.
use crate::sale::{SaleContent, SaleStatus};

pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VoidError {
    #[error("void_reason es requerido para anular una venta confirmada")]
    NoReason,
    #[error("La venta está anulada y no admite cambios")]
    AlreadyVoided,
    #[error("Solo una venta confirmada se anula")]
    NotConfirmed,
}

pub fn is_voided(c: &SaleContent) -> bool {
    c.status == SaleStatus::Cancelled && c.void_reason.is_some()
}

/// Checks an edit from `before` to `after`; answers whether it is a void.
pub fn check_edit(before: &SaleContent, after: &SaleContent) -> Result<bool, VoidError> {
    if is_voided(before) {
        return Err(VoidError::AlreadyVoided);
    }
    let voiding = before.status == SaleStatus::Confirmed && after.status == SaleStatus::Cancelled;
    if voiding
        && after
            .void_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        return Err(VoidError::NoReason);
    }
    Ok(voiding)
}

/// The void of `sale`: the same content, cancelled, with the reason.
pub fn voided(sale: &SaleContent, reason: &str) -> Result<SaleContent, VoidError> {
    if is_voided(sale) {
        return Err(VoidError::AlreadyVoided);
    }
    if sale.status != SaleStatus::Confirmed {
        return Err(VoidError::NotConfirmed);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(VoidError::NoReason);
    }
    let mut out = sale.clone();
    out.status = SaleStatus::Cancelled;
    out.void_reason = Some(reason.chars().take(MAX_REASON_CHARS).collect());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sale(status: &str) -> SaleContent {
        serde_json::from_value(json!({
            "customer_id": 5, "status": status, "payment_method": "cash",
            "items": [{"product_id": 10, "quantity": "1", "unit_price": "10",
                       "discount_type": "none", "discount_value": "0", "tax_percentage": "0"}],
            "returns": [], "notes": null
        }))
        .unwrap()
    }

    #[test]
    fn a_confirmed_sale_is_voided_once_with_a_reason() {
        let confirmed = sale("confirmed");
        let v = voided(&confirmed, "  cliente devolvió todo ").unwrap();
        assert_eq!(v.status, SaleStatus::Cancelled);
        assert_eq!(v.void_reason.as_deref(), Some("cliente devolvió todo"));
        assert_eq!(v.items, confirmed.items, "everything else stays");
        assert_eq!(voided(&v, "otra"), Err(VoidError::AlreadyVoided));
        assert_eq!(voided(&confirmed, " "), Err(VoidError::NoReason));
        assert_eq!(voided(&sale("draft"), "x"), Err(VoidError::NotConfirmed));
    }

    #[test]
    fn an_edit_that_cancels_a_confirmed_sale_needs_a_reason() {
        let confirmed = sale("confirmed");
        let mut cancel = sale("cancelled");
        assert_eq!(check_edit(&confirmed, &cancel), Err(VoidError::NoReason));
        cancel.void_reason = Some("mal digitada".into());
        assert_eq!(check_edit(&confirmed, &cancel), Ok(true));
        assert_eq!(
            check_edit(&cancel, &confirmed),
            Err(VoidError::AlreadyVoided)
        );
        assert_eq!(check_edit(&sale("draft"), &sale("cancelled")), Ok(false));
        assert_eq!(check_edit(&confirmed, &confirmed), Ok(false));
    }

    #[test]
    fn the_reason_leaves_old_contents_and_their_hashes_as_they_were() {
        let c = sale("confirmed");
        assert!(!serde_json::to_string(&c).unwrap().contains("void_reason"));
    }
}
