//! The new-sale form as data: what the seller typed, its live totals (the
//! shared money math, exactly as the server computes them) and the wire
//! sale it becomes ([`PhoneSale`]). Pure, so it is unit-tested natively.
//!
//! Numbers are held as the seller typed them, in the UI language's style
//! (`4.500,50` in Spanish); the wire gets dot-decimal text. Input that
//! could mean two numbers is refused before saving ([`InputError`]).
use ruta_shared::catalog::Product;
use ruta_shared::locale::{NumberInputError, NumberStyle};
use ruta_shared::money::{self, Discount, LineAmounts, Money, Percentage, Quantity, SaleTotals};
use ruta_shared::sale::{DiscountType, PaymentMethod, SaleStatus};
use ruta_shared::wire::phone_sale::{PhoneLine, PhoneReturn, PhoneSale};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineForm {
    pub product_id: i64,
    pub product_name: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount_type: DiscountType,
    pub discount_value: String,
    pub tax_percentage: String,
}

/// A numeric field of the form, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberField {
    Quantity,
    UnitPrice,
    Discount,
    Tax,
    ReturnQuantity,
}

/// Typed text that the UI's number style cannot read as one number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// 0-based, like the contract's `Item #i`.
    pub index: usize,
    pub field: NumberField,
    pub typed: String,
    pub reason: NumberInputError,
}

/// The wire text of what was typed. Text that is no number at all goes
/// as typed, so the shared validation answers with the contract's own
/// message; text that is a number in the wrong shape is refused here.
fn wire_number(
    style: NumberStyle,
    typed: &str,
    index: usize,
    field: NumberField,
) -> Result<String, InputError> {
    match style.parse(typed) {
        Ok(value) => Ok(value.to_string()),
        Err(NumberInputError::Empty | NumberInputError::NotANumber) => Ok(typed.trim().to_owned()),
        Err(reason) => Err(InputError {
            index,
            field,
            typed: typed.trim().to_owned(),
            reason,
        }),
    }
}

/// A wire decimal as the form shows it; text that is not one, as it is.
fn shown(style: NumberStyle, wire: &str, min_decimals: usize) -> String {
    money::parse_decimal_text(wire.trim())
        .map(|v| style.format(v, min_decimals))
        .unwrap_or_else(|_| wire.to_owned())
}

/// Typed text from one style to another (the language changed while the
/// form was open); text neither style reads stays as it is.
fn restyled(text: &str, from: NumberStyle, to: NumberStyle, min_decimals: usize) -> String {
    from.parse(text)
        .map(|v| to.format(v, min_decimals))
        .unwrap_or_else(|_| text.to_owned())
}

/// Money is shown with 2 decimals, everything else without padding.
const MONEY: usize = 2;
const PLAIN: usize = 0;

impl LineForm {
    pub fn of(product: &Product, style: NumberStyle) -> Self {
        Self {
            product_id: product.id,
            product_name: product.name.clone(),
            quantity: "1".into(),
            unit_price: style.format(product.unit_price.value(), MONEY),
            discount_type: DiscountType::None,
            discount_value: "0".into(),
            tax_percentage: style.format(product.tax_percentage.value(), PLAIN),
        }
    }

    fn discount_decimals(&self) -> usize {
        match self.discount_type {
            DiscountType::Fixed => MONEY,
            _ => PLAIN,
        }
    }

    /// The line's amounts, or `None` while what is typed is not a valid
    /// line (the form shows a dash and validation says why on save).
    pub fn amounts(&self, style: NumberStyle) -> Option<LineAmounts> {
        let value = |s: &str| style.parse(s).ok().map(|d| Value::String(d.to_string()));
        let quantity = Quantity::parse(&value(&self.quantity)?).ok()?;
        let price = Money::parse(&value(&self.unit_price)?).ok()?;
        let tax = Percentage::parse(&value(&self.tax_percentage)?).ok()?;
        let discount = match self.discount_type {
            DiscountType::None => Discount::None,
            DiscountType::Percentage => {
                Discount::Percentage(Percentage::parse(&value(&self.discount_value)?).ok()?)
            }
            DiscountType::Fixed => {
                Discount::Fixed(Money::parse(&value(&self.discount_value)?).ok()?)
            }
        };
        money::line_amounts(quantity, price, discount, tax).ok()
    }

    fn wire(&self, style: NumberStyle, index: usize) -> Result<PhoneLine, InputError> {
        let number = |typed: &str, field| wire_number(style, typed, index, field);
        let discount_value = match self.discount_type {
            DiscountType::None => "0".to_owned(),
            _ => number(&self.discount_value, NumberField::Discount)?,
        };
        Ok(PhoneLine {
            discount_type: self.discount_type,
            discount_value,
            product_id: self.product_id,
            quantity: number(&self.quantity, NumberField::Quantity)?,
            tax_percentage: number(&self.tax_percentage, NumberField::Tax)?,
            unit_price: number(&self.unit_price, NumberField::UnitPrice)?,
        })
    }

    fn from_wire(line: &PhoneLine, name: String, style: NumberStyle) -> Self {
        let mut form = Self {
            product_id: line.product_id,
            product_name: name,
            quantity: shown(style, &line.quantity, PLAIN),
            unit_price: shown(style, &line.unit_price, MONEY),
            discount_type: line.discount_type,
            discount_value: String::new(),
            tax_percentage: shown(style, &line.tax_percentage, PLAIN),
        };
        form.discount_value = shown(style, &line.discount_value, form.discount_decimals());
        form
    }

    /// The typed numbers in another style, e.g. `25,50` → `25.50`.
    pub fn restyle(&mut self, from: NumberStyle, to: NumberStyle) {
        self.quantity = restyled(&self.quantity, from, to, PLAIN);
        self.unit_price = restyled(&self.unit_price, from, to, MONEY);
        self.discount_value = restyled(&self.discount_value, from, to, self.discount_decimals());
        self.tax_percentage = restyled(&self.tax_percentage, from, to, PLAIN);
    }
}

/// Expired goods taken back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnForm {
    pub product_id: i64,
    pub product_name: String,
    pub quantity: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaleForm {
    pub customer_id: Option<i64>,
    pub customer_name: String,
    pub lines: Vec<LineForm>,
    pub returns: Vec<ReturnForm>,
    pub payment_method: PaymentMethod,
    pub status: SaleStatus,
    pub notes: String,
}

impl Default for SaleForm {
    fn default() -> Self {
        Self {
            customer_id: None,
            customer_name: String::new(),
            lines: Vec::new(),
            returns: Vec::new(),
            payment_method: PaymentMethod::Cash,
            status: SaleStatus::Confirmed,
            notes: String::new(),
        }
    }
}

/// Who, where and when a wire sale is made: not typed by the seller.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub local_id: String,
    pub device_id: String,
    pub created_at: String,
    /// When this copy was saved on the device: what `last_write_wins`
    /// compares with the server's edit.
    pub updated_at: String,
    pub version: i64,
}

impl ReturnForm {
    pub fn restyle(&mut self, from: NumberStyle, to: NumberStyle) {
        self.quantity = restyled(&self.quantity, from, to, PLAIN);
    }
}

impl SaleForm {
    /// Sums of the lines that are valid so far.
    pub fn totals(&self, style: NumberStyle) -> SaleTotals {
        let lines: Vec<LineAmounts> = self.lines.iter().filter_map(|l| l.amounts(style)).collect();
        SaleTotals::sum(&lines)
    }

    /// The sale as the contract's upload takes it. A missing customer is
    /// sent as 0, so validation reports it with the contract's message.
    pub fn to_wire(&self, stamp: &Stamp, style: NumberStyle) -> Result<PhoneSale, InputError> {
        let notes = self.notes.trim();
        let items = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| l.wire(style, i))
            .collect::<Result<Vec<_>, _>>()?;
        let returns = self
            .returns
            .iter()
            .enumerate()
            .map(|(i, r)| {
                Ok(PhoneReturn {
                    product_id: r.product_id,
                    quantity: wire_number(style, &r.quantity, i, NumberField::ReturnQuantity)?,
                    reason: r.reason.trim().to_owned(),
                })
            })
            .collect::<Result<Vec<_>, InputError>>()?;
        Ok(PhoneSale {
            created_at: stamp.created_at.clone(),
            customer_id: self.customer_id.unwrap_or(0),
            device_id: stamp.device_id.clone(),
            items,
            local_id: stamp.local_id.clone(),
            notes: (!notes.is_empty()).then(|| notes.to_owned()),
            payment_method: self.payment_method,
            returns,
            status: self.status,
            updated_at: stamp.updated_at.clone(),
            version: stamp.version,
            void_reason: None,
        })
    }

    /// Back from a stored wire sale, for editing; names come from the
    /// catalog (`name_of`), as the wire carries only ids. Customer 0 is
    /// the "none picked" that [`SaleForm::to_wire`] sends.
    pub fn from_wire(
        sale: &PhoneSale,
        customer_name: String,
        name_of: impl Fn(i64) -> String,
        style: NumberStyle,
    ) -> Self {
        Self {
            customer_id: (sale.customer_id != 0).then_some(sale.customer_id),
            customer_name,
            lines: sale
                .items
                .iter()
                .map(|l| LineForm::from_wire(l, name_of(l.product_id), style))
                .collect(),
            returns: sale
                .returns
                .iter()
                .map(|r| ReturnForm {
                    product_id: r.product_id,
                    product_name: name_of(r.product_id),
                    quantity: shown(style, &r.quantity, PLAIN),
                    reason: r.reason.clone(),
                })
                .collect(),
            payment_method: sale.payment_method,
            status: sale.status,
            notes: sale.notes.clone().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruta_shared::validation::{check_offline, CatalogView, ProductFacts};
    use std::str::FromStr;

    const ES: NumberStyle = NumberStyle::SPANISH;
    const EN: NumberStyle = NumberStyle::ENGLISH;

    struct Catalog;
    impl CatalogView for Catalog {
        fn customer_exists(&self, id: i64) -> bool {
            id == 5
        }
        fn product(&self, id: i64) -> Option<ProductFacts> {
            (id == 10).then(|| ProductFacts {
                name: "Pan tajado".into(),
                unit_price: Money::from_str("25.50").unwrap(),
                tax_percentage: Percentage::from_str("21").unwrap(),
            })
        }
    }

    fn stamp() -> Stamp {
        Stamp {
            local_id: "550e8400-e29b-41d4-a716-446655440000".into(),
            device_id: "dev".into(),
            created_at: "2026-11-29T10:00:00Z".into(),
            updated_at: "2026-11-29T10:00:00Z".into(),
            version: 1,
        }
    }

    fn line(quantity: &str) -> LineForm {
        LineForm {
            product_id: 10,
            product_name: "Pan tajado".into(),
            quantity: quantity.into(),
            unit_price: "25,50".into(),
            discount_type: DiscountType::Percentage,
            discount_value: "10".into(),
            tax_percentage: "21".into(),
        }
    }

    #[test]
    fn live_totals_equal_what_the_server_computes_from_the_wire() {
        let form = SaleForm {
            customer_id: Some(5),
            lines: vec![line("5"), line("2,5")],
            ..SaleForm::default()
        };
        let content =
            check_offline(&form.to_wire(&stamp(), ES).unwrap().to_value(), &Catalog).unwrap();
        assert_eq!(form.totals(ES), content.totals());
        assert_eq!(money::format_money(form.totals(ES).total), "208.27");
    }

    #[test]
    fn invalid_lines_do_not_count_and_validation_gives_the_contract_message() {
        let form = SaleForm {
            customer_id: Some(5),
            lines: vec![line("0"), line("abc")],
            ..SaleForm::default()
        };
        assert_eq!(form.totals(ES), SaleTotals::default());
        let err =
            check_offline(&form.to_wire(&stamp(), ES).unwrap().to_value(), &Catalog).unwrap_err();
        assert_eq!(err.message, "Item #0: quantity debe ser mayor a 0");
        let empty = SaleForm::default();
        assert_eq!(
            check_offline(&empty.to_wire(&stamp(), ES).unwrap().to_value(), &Catalog)
                .unwrap_err()
                .message,
            "Customer con id=0 no existe"
        );
    }

    #[test]
    fn wire_round_trip_keeps_what_was_typed() {
        let form = SaleForm {
            customer_id: Some(5),
            customer_name: "Tienda La Esquina".into(),
            lines: vec![line("5")],
            returns: vec![ReturnForm {
                product_id: 10,
                product_name: "Pan tajado".into(),
                quantity: "2".into(),
                reason: "vencido".into(),
            }],
            payment_method: PaymentMethod::Credit,
            status: SaleStatus::Draft,
            notes: "Pagará el viernes".into(),
        };
        let wire = form.to_wire(&stamp(), ES).unwrap();
        assert_eq!(wire.items[0].unit_price, "25.5");
        // The JSON the phone wrote with `json!` before the sale was typed.
        assert_eq!(
            serde_json::to_string(&wire).unwrap(),
            concat!(
                r#"{"created_at":"2026-11-29T10:00:00Z","customer_id":5,"device_id":"dev","#,
                r#""items":[{"discount_type":"percentage","discount_value":"10","product_id":10,"#,
                r#""quantity":"5","tax_percentage":"21","unit_price":"25.5"}],"#,
                r#""local_id":"550e8400-e29b-41d4-a716-446655440000","notes":"Pagará el viernes","#,
                r#""payment_method":"credit","returns":[{"product_id":10,"quantity":"2","reason":"vencido"}],"#,
                r#""status":"draft","updated_at":"2026-11-29T10:00:00Z","version":1}"#
            )
        );
        let back = SaleForm::from_wire(
            &wire,
            "Tienda La Esquina".into(),
            |_| "Pan tajado".into(),
            ES,
        );
        assert_eq!(back, form);
    }

    #[test]
    fn spanish_thousands_are_thousands_and_ambiguity_is_refused() {
        // In Spanish "4.500" is four thousand five hundred, not 4.5.
        let mut thousands = line("2");
        thousands.unit_price = "4.500".into();
        thousands.discount_type = DiscountType::None;
        thousands.tax_percentage = "0".into();
        assert_eq!(
            money::format_money(thousands.amounts(ES).unwrap().total),
            "9000.00"
        );
        let form = SaleForm {
            customer_id: Some(5),
            lines: vec![thousands.clone()],
            ..SaleForm::default()
        };
        assert_eq!(
            form.to_wire(&stamp(), ES).unwrap().items[0].unit_price,
            "4500"
        );
        let mut ambiguous = form.clone();
        ambiguous.lines[0].quantity = "4.5".into();
        assert_eq!(ambiguous.lines[0].amounts(ES), None);
        assert_eq!(
            ambiguous.to_wire(&stamp(), ES),
            Err(InputError {
                index: 0,
                field: NumberField::Quantity,
                typed: "4.5".into(),
                reason: NumberInputError::Ambiguous,
            })
        );
        // The same text is plain in English.
        assert!(ambiguous.to_wire(&stamp(), EN).is_ok());
    }

    #[test]
    fn fields_show_prices_as_the_totals_do_and_follow_the_language() {
        let product = Product {
            id: 10,
            sku: "PT".into(),
            name: "Pan tajado".into(),
            unit_price: Money::from_str("4500").unwrap(),
            tax_percentage: Percentage::from_str("19").unwrap(),
            active: true,
            version: 1,
            updated_at: String::new(),
        };
        let mut line = LineForm::of(&product, ES);
        assert_eq!(line.unit_price, "4.500,00");
        line.quantity = "1,5".into();
        line.restyle(ES, EN);
        assert_eq!(
            (line.quantity.as_str(), line.unit_price.as_str()),
            ("1.5", "4,500.00")
        );
        line.quantity = "abc".into();
        line.restyle(EN, ES);
        assert_eq!(
            (line.quantity.as_str(), line.unit_price.as_str()),
            ("abc", "4.500,00")
        );
    }
}
