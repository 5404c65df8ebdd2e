//! `GET/PUT /api/v1/business/`: who is selling, as the receipt prints it —
//! the business's name and tax id (NIT, RUC, RFC), and optionally an
//! address, a phone and a line at the foot of every receipt. Every role
//! reads it (the phone keeps a copy to print receipts offline); an admin
//! writes it.
use serde::{Deserialize, Serialize};

pub const MAX_FIELD_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BusinessProfile {
    pub name: String,
    pub tax_id: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub receipt_footer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BusinessError {
    #[error("{0} es requerido")]
    Required(&'static str),
    #[error("{0}: máximo {MAX_FIELD_CHARS} caracteres")]
    TooLong(&'static str),
}

impl BusinessError {
    pub fn field(&self) -> &'static str {
        match self {
            Self::Required(f) | Self::TooLong(f) => f,
        }
    }
}

impl BusinessProfile {
    /// The profile as it is stored: every field trimmed; name and tax id
    /// required; none longer than [`MAX_FIELD_CHARS`].
    pub fn validated(&self) -> Result<Self, BusinessError> {
        let fields: [(&'static str, &str, bool); 5] = [
            ("name", &self.name, true),
            ("tax_id", &self.tax_id, true),
            ("address", &self.address, false),
            ("phone", &self.phone, false),
            ("receipt_footer", &self.receipt_footer, false),
        ];
        for (field, value, required) in fields {
            let value = value.trim();
            if required && value.is_empty() {
                return Err(BusinessError::Required(field));
            }
            if value.chars().count() > MAX_FIELD_CHARS {
                return Err(BusinessError::TooLong(field));
            }
        }
        Ok(Self {
            name: self.name.trim().to_owned(),
            tax_id: self.tax_id.trim().to_owned(),
            address: self.address.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            receipt_footer: self.receipt_footer.trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_wire_shape_is_five_text_fields_and_the_optional_ones_default() {
        let p: BusinessProfile =
            serde_json::from_value(json!({"name": "Panadería La Espiga", "tax_id": "900123456-7"}))
                .unwrap();
        assert_eq!(p.address, "");
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!({"name": "Panadería La Espiga", "tax_id": "900123456-7",
                   "address": "", "phone": "", "receipt_footer": ""})
        );
    }

    #[test]
    fn name_and_tax_id_are_required_and_every_field_is_trimmed_and_bounded() {
        let mut p = BusinessProfile {
            name: "  La Espiga ".into(),
            tax_id: " 900123456-7".into(),
            ..Default::default()
        };
        let v = p.validated().unwrap();
        assert_eq!(
            (v.name.as_str(), v.tax_id.as_str()),
            ("La Espiga", "900123456-7")
        );
        p.tax_id = "   ".into();
        assert_eq!(p.validated(), Err(BusinessError::Required("tax_id")));
        p.tax_id = "1".into();
        p.receipt_footer = "x".repeat(MAX_FIELD_CHARS + 1);
        let err = p.validated().unwrap_err();
        assert_eq!(
            (err.field(), err.to_string().as_str()),
            ("receipt_footer", "receipt_footer: máximo 200 caracteres")
        );
    }
}
