//! Customers and products as the API and the offline copy see them, and
//! the checks on what an admin (or a seller, for a new shop) writes.
use crate::money::{Money, Percentage};
use crate::validation::MAX_NAME_CHARS;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub business_name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub route: Option<String>,
    pub active: bool,
    pub version: i64,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub unit_price: Money,
    pub tax_percentage: Percentage,
    pub active: bool,
    pub version: i64,
    pub updated_at: String,
}

/// A field-level refusal: the contract's 400 `{"error", "field"}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

fn text(field: &'static str, value: &str, required: bool) -> Result<(), FieldError> {
    if required && value.trim().is_empty() {
        return Err(FieldError::new(field, format!("{field} es requerido")));
    }
    if value.chars().count() > MAX_NAME_CHARS {
        return Err(FieldError::new(
            field,
            format!("{field}: máximo {MAX_NAME_CHARS} caracteres"),
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerInput {
    pub name: String,
    #[serde(default)]
    pub business_name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub route: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
    /// The version this edit started from (an edit form's copy). A stale
    /// one is a conflict, settled by the entity type's strategy; absent,
    /// the edit applies as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// When the edit was made (RFC 3339), for `last_write_wins`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<String>,
}

impl CustomerInput {
    pub fn validate(&self) -> Result<(), FieldError> {
        text("name", &self.name, true)?;
        for (field, value) in [
            ("business_name", &self.business_name),
            ("phone", &self.phone),
            ("address", &self.address),
            ("route", &self.route),
        ] {
            text(field, value.as_deref().unwrap_or(""), false)?;
        }
        Ok(())
    }

    /// The fields this edit would change on `current`.
    pub fn changed_fields(&self, current: &Customer) -> Vec<&'static str> {
        let mut out = Vec::new();
        let texts = [
            ("name", Some(&self.name), Some(&current.name)),
            (
                "business_name",
                self.business_name.as_ref(),
                current.business_name.as_ref(),
            ),
            ("phone", self.phone.as_ref(), current.phone.as_ref()),
            ("address", self.address.as_ref(), current.address.as_ref()),
            ("route", self.route.as_ref(), current.route.as_ref()),
        ];
        for (field, edited, stored) in texts {
            if edited != stored {
                out.push(field);
            }
        }
        if self.active.is_some_and(|a| a != current.active) {
            out.push("active");
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInput {
    pub sku: String,
    pub name: String,
    pub unit_price: Money,
    #[serde(default)]
    pub tax_percentage: Percentage,
    #[serde(default)]
    pub active: Option<bool>,
    /// The version this edit started from (an edit form's copy). A stale
    /// one is a conflict, settled by the entity type's strategy; absent,
    /// the edit applies as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// When the edit was made (RFC 3339), for `last_write_wins`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<String>,
}

impl ProductInput {
    pub fn validate(&self) -> Result<(), FieldError> {
        text("sku", &self.sku, true)?;
        text("name", &self.name, true)
    }

    /// The fields this edit would change on `current`.
    pub fn changed_fields(&self, current: &Product) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.sku != current.sku {
            out.push("sku");
        }
        if self.name != current.name {
            out.push("name");
        }
        if self.unit_price != current.unit_price {
            out.push("unit_price");
        }
        if self.tax_percentage != current.tax_percentage {
            out.push("tax_percentage");
        }
        if self.active.is_some_and(|a| a != current.active) {
            out.push("active");
        }
        out
    }
}

/// The `conflict` of a catalog edit's 409: the stored copy and the edit,
/// which fields the edit changes, and both versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditConflict {
    pub server_version: i64,
    pub client_version: i64,
    pub fields: Vec<String>,
    pub server: serde_json::Value,
    pub client: serde_json::Value,
}

/// `GET /api/v1/catalog/changes/?since=`: what changed after `since`, one
/// page at a time; pass `cursor` back as `since` while `has_more`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogChanges {
    pub customers: Vec<Customer>,
    pub products: Vec<Product>,
    pub cursor: String,
    pub has_more: bool,
}

/// The 409 of a stale catalog edit: `{"error": "CONFLICT", "message",
/// "id", "conflict"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogConflict {
    pub error: String,
    pub message: String,
    pub id: i64,
    pub conflict: EditConflict,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_input_reads_decimal_strings_and_numbers() {
        let p: ProductInput = serde_json::from_value(serde_json::json!(
            {"sku": "ARE-10", "name": "Arepa x10", "unit_price": 4.5, "tax_percentage": "19"}
        ))
        .unwrap();
        assert_eq!(p.unit_price.to_string(), "4.50");
        assert!(p.validate().is_ok());
        let bad: Result<ProductInput, _> = serde_json::from_value(serde_json::json!(
            {"sku": "X", "name": "Y", "unit_price": "1e3"}
        ));
        assert!(bad.is_err());
    }

    #[test]
    fn customer_names_are_required_and_limited() {
        let mut c = CustomerInput {
            name: " ".into(),
            business_name: None,
            phone: None,
            address: None,
            route: None,
            version: None,
            edited_at: None,
            active: None,
        };
        assert_eq!(c.validate().unwrap_err().field, "name");
        c.name = "x".repeat(201);
        assert!(c.validate().is_err());
        c.name = "Tienda Doña Rosa".into();
        assert!(c.validate().is_ok());
    }
}
