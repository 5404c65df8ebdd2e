//! Exact decimal money, quantities and percentages, and the line math.
//!
//! The contract's rules: quantities > 0, ≤ 1,000,000, at most 3 decimals;
//! prices ≥ 0, ≤ 1,000,000,000, at most 2 decimals; percentages 0–100, at
//! most 2 decimals; exponent notation is invalid. Every computed amount is
//! rounded half-up to 2 decimals, and sale totals are sums of rounded lines.
//! Inputs arrive as decimal strings or JSON numbers; binary floats are never
//! used for arithmetic.
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::str::FromStr;

/// Why a decimal input was refused; the text is the `<reason>` of the
/// contract's `Item #i: <field> inválido: <reason>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    #[error("no es un número decimal")]
    NotANumber,
    #[error("notación exponencial no permitida")]
    Exponent,
    #[error("máximo {0} decimales")]
    TooManyDecimals(u32),
    #[error("debe estar entre {min} y {max}")]
    OutOfRange {
        min: &'static str,
        max: &'static str,
    },
    #[error("debe ser mayor a 0")]
    NotPositive,
}

/// Longest decimal text accepted before parsing: far above any valid value,
/// far below anything that could be costly.
const MAX_DECIMAL_TEXT: usize = 40;

/// Reads a JSON string or number as an exact decimal, normalised (no
/// trailing zeros), refusing exponents, NaN, infinities and overlong input.
pub fn parse_decimal(value: &Value) -> Result<Decimal, DecimalError> {
    let text = match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => return Err(DecimalError::NotANumber),
    };
    parse_decimal_text(&text)
}

pub fn parse_decimal_text(text: &str) -> Result<Decimal, DecimalError> {
    if text.is_empty() || text.len() > MAX_DECIMAL_TEXT {
        return Err(DecimalError::NotANumber);
    }
    if text.contains(['e', 'E']) {
        return Err(DecimalError::Exponent);
    }
    let well_formed = text
        .strip_prefix('-')
        .or_else(|| text.strip_prefix('+'))
        .unwrap_or(text);
    let mut parts = well_formed.splitn(2, '.');
    let int_part = parts.next().unwrap_or("");
    let frac_part = parts.next();
    let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int_part.is_empty() && frac_part.is_none_or(str::is_empty)
        || !digits_ok(int_part)
        || !frac_part.is_none_or(digits_ok)
    {
        return Err(DecimalError::NotANumber);
    }
    Decimal::from_str_exact(text)
        .map(|d| d.normalize())
        .map_err(|_| DecimalError::NotANumber)
}

fn bounded(
    d: Decimal,
    max_scale: u32,
    min: Decimal,
    max: Decimal,
    labels: (&'static str, &'static str),
) -> Result<Decimal, DecimalError> {
    if d.normalize().scale() > max_scale {
        return Err(DecimalError::TooManyDecimals(max_scale));
    }
    if d < min || d > max {
        return Err(DecimalError::OutOfRange {
            min: labels.0,
            max: labels.1,
        });
    }
    Ok(d.normalize())
}

/// Rounds half-up (away from zero at the midpoint) to 2 decimals.
pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn fixed_scale(d: Decimal, scale: u32) -> String {
    let mut x = d.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero);
    x.rescale(scale);
    x.to_string()
}

macro_rules! decimal_newtype {
    ($name:ident, $display_scale:expr) => {
        impl $name {
            pub fn value(&self) -> Decimal {
                self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match $display_scale {
                    Some(scale) => f.write_str(&fixed_scale(self.0, scale)),
                    None => f.write_str(&self.0.normalize().to_string()),
                }
            }
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.to_string())
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = Value::deserialize(d)?;
                let dec = parse_decimal(&v).map_err(serde::de::Error::custom)?;
                $name::new(dec).map_err(serde::de::Error::custom)
            }
        }
        impl FromStr for $name {
            type Err = DecimalError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::new(parse_decimal_text(s.trim())?)
            }
        }
    };
}

/// An amount of money: ≥ 0, ≤ 1,000,000,000, at most 2 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);
decimal_newtype!(Money, Some(2));

impl Money {
    pub fn new(d: Decimal) -> Result<Self, DecimalError> {
        bounded(
            d,
            2,
            Decimal::ZERO,
            Decimal::from(1_000_000_000u64),
            ("0", "1000000000"),
        )
        .map(Self)
    }
    pub fn parse(v: &Value) -> Result<Self, DecimalError> {
        Self::new(parse_decimal(v)?)
    }
}

/// A quantity of product: > 0, ≤ 1,000,000, at most 3 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(Decimal);
decimal_newtype!(Quantity, Some(3));

impl Quantity {
    pub fn new(d: Decimal) -> Result<Self, DecimalError> {
        if d <= Decimal::ZERO {
            return Err(DecimalError::NotPositive);
        }
        bounded(
            d,
            3,
            Decimal::ZERO,
            Decimal::from(1_000_000u64),
            ("0", "1000000"),
        )
        .map(Self)
    }
    pub fn parse(v: &Value) -> Result<Self, DecimalError> {
        Self::new(parse_decimal(v)?)
    }
}

/// A percentage: 0–100, at most 2 decimals (shown without trailing zeros).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percentage(Decimal);
decimal_newtype!(Percentage, None::<u32>);

impl Percentage {
    pub fn new(d: Decimal) -> Result<Self, DecimalError> {
        bounded(d, 2, Decimal::ZERO, Decimal::ONE_HUNDRED, ("0", "100")).map(Self)
    }
    pub fn parse(v: &Value) -> Result<Self, DecimalError> {
        Self::new(parse_decimal(v)?)
    }
}

/// A line's discount, already validated for its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    None,
    Percentage(Percentage),
    /// An amount for the whole line.
    Fixed(Money),
}

/// A line's computed amounts, each rounded half-up to 2 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineAmounts {
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("el descuento fijo no puede superar el subtotal de la línea")]
    FixedDiscountAboveSubtotal,
}

/// `subtotal = q × price`; discount from the rounded subtotal; tax on what is
/// left; `total = subtotal − discount + tax`. The bounds on the inputs keep
/// every intermediate far inside `Decimal`'s 28 digits, so nothing overflows.
pub fn line_amounts(
    quantity: Quantity,
    unit_price: Money,
    discount: Discount,
    tax: Percentage,
) -> Result<LineAmounts, LineError> {
    let subtotal = round2(quantity.0 * unit_price.0);
    let discount = match discount {
        Discount::None => Decimal::ZERO,
        Discount::Percentage(p) => round2(subtotal * p.0 / Decimal::ONE_HUNDRED),
        Discount::Fixed(amount) => {
            if amount.0 > subtotal {
                return Err(LineError::FixedDiscountAboveSubtotal);
            }
            amount.0
        }
    };
    let tax = round2((subtotal - discount) * tax.0 / Decimal::ONE_HUNDRED);
    Ok(LineAmounts {
        subtotal,
        discount,
        tax,
        total: subtotal - discount + tax,
    })
}

/// A sale's totals: sums of the rounded line values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SaleTotals {
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
}

impl SaleTotals {
    pub fn sum<'a>(lines: impl IntoIterator<Item = &'a LineAmounts>) -> Self {
        lines.into_iter().fold(Self::default(), |acc, l| Self {
            subtotal: acc.subtotal + l.subtotal,
            discount: acc.discount + l.discount,
            tax: acc.tax + l.tax,
            total: acc.total + l.total,
        })
    }
}

/// Formats an amount for the wire: always 2 decimals (`"25.50"`).
pub fn format_money(d: Decimal) -> String {
    fixed_scale(d, 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn parses_strings_and_numbers_exactly() {
        assert_eq!(parse_decimal(&json!("25.50")).unwrap(), dec("25.5"));
        assert_eq!(parse_decimal(&json!(25.5)).unwrap(), dec("25.5"));
        assert_eq!(parse_decimal(&json!(5)).unwrap(), dec("5"));
        assert_eq!(parse_decimal(&json!("0.1")).unwrap(), dec("0.1"));
    }

    #[test]
    fn refuses_exponents_nan_junk_and_overlong() {
        assert_eq!(parse_decimal(&json!("1e3")), Err(DecimalError::Exponent));
        assert_eq!(parse_decimal(&json!("NaN")), Err(DecimalError::NotANumber));
        assert_eq!(parse_decimal(&json!("inf")), Err(DecimalError::NotANumber));
        assert_eq!(parse_decimal(&json!("")), Err(DecimalError::NotANumber));
        assert_eq!(
            parse_decimal(&json!("1.2.3")),
            Err(DecimalError::NotANumber)
        );
        assert_eq!(parse_decimal(&json!("0x10")), Err(DecimalError::NotANumber));
        assert_eq!(parse_decimal(&json!(" . ")), Err(DecimalError::NotANumber));
        assert_eq!(parse_decimal(&json!(true)), Err(DecimalError::NotANumber));
        let forty = "1234567890123456789012345678901234567890";
        assert_eq!(parse_decimal(&json!(forty)), Err(DecimalError::NotANumber));
    }

    #[test]
    fn quantity_rules() {
        assert_eq!(Quantity::parse(&json!("0")), Err(DecimalError::NotPositive));
        assert_eq!(
            Quantity::parse(&json!("-1")),
            Err(DecimalError::NotPositive)
        );
        assert_eq!(
            Quantity::parse(&json!("1.0001")),
            Err(DecimalError::TooManyDecimals(3))
        );
        assert!(Quantity::parse(&json!("1.0000")).is_ok());
        assert!(Quantity::parse(&json!("1000000")).is_ok());
        assert!(Quantity::parse(&json!("1000000.001")).is_err());
        assert_eq!(Quantity::parse(&json!("5")).unwrap().to_string(), "5.000");
    }

    #[test]
    fn money_and_percentage_rules() {
        assert!(Money::parse(&json!("-0.01")).is_err());
        assert!(Money::parse(&json!("0.001")).is_err());
        assert!(Money::parse(&json!("1000000000")).is_ok());
        assert!(Money::parse(&json!("1000000000.01")).is_err());
        assert_eq!(Money::parse(&json!("25.5")).unwrap().to_string(), "25.50");
        assert!(Percentage::parse(&json!("100.01")).is_err());
        assert_eq!(
            Percentage::parse(&json!("21.00")).unwrap().to_string(),
            "21"
        );
    }

    #[test]
    fn contract_example_line() {
        let l = line_amounts(
            Quantity::parse(&json!("5.000")).unwrap(),
            Money::parse(&json!("25.50")).unwrap(),
            Discount::None,
            Percentage::parse(&json!("21")).unwrap(),
        )
        .unwrap();
        assert_eq!(l.subtotal, dec("127.50"));
        assert_eq!(l.tax, dec("26.78")); // 26.775 rounds half-up
        assert_eq!(format_money(l.total), "154.28");
    }

    #[test]
    fn discounts() {
        let q = Quantity::parse(&json!("3")).unwrap();
        let p = Money::parse(&json!("10")).unwrap();
        let pct = Discount::Percentage(Percentage::parse(&json!("12.5")).unwrap());
        let l = line_amounts(q, p, pct, Percentage::default()).unwrap();
        assert_eq!(l.discount, dec("3.75"));
        assert_eq!(l.total, dec("26.25"));
        let fixed = Discount::Fixed(Money::parse(&json!("30.01")).unwrap());
        assert_eq!(
            line_amounts(q, p, fixed, Percentage::default()),
            Err(LineError::FixedDiscountAboveSubtotal)
        );
    }

    fn arb_quantity() -> impl Strategy<Value = Quantity> {
        (1u64..=1_000_000_000u64).prop_map(|n| Quantity::new(Decimal::new(n as i64, 3)).unwrap())
    }
    fn arb_money() -> impl Strategy<Value = Money> {
        (0u64..=100_000_000_000u64).prop_map(|n| Money::new(Decimal::new(n as i64, 2)).unwrap())
    }
    fn arb_pct() -> impl Strategy<Value = Percentage> {
        (0u64..=10_000u64).prop_map(|n| Percentage::new(Decimal::new(n as i64, 2)).unwrap())
    }

    proptest! {
        #[test]
        fn line_is_consistent_and_rounded(q in arb_quantity(), p in arb_money(), d in arb_pct(), t in arb_pct()) {
            let l = line_amounts(q, p, Discount::Percentage(d), t).unwrap();
            for v in [l.subtotal, l.discount, l.tax, l.total] {
                prop_assert!(v.scale() <= 2);
                prop_assert!(v >= Decimal::ZERO);
            }
            prop_assert!(l.discount <= l.subtotal);
            prop_assert_eq!(l.total, l.subtotal - l.discount + l.tax);
            // rounding never moves a value by more than half a cent
            let exact = q.value() * p.value();
            prop_assert!((exact - l.subtotal).abs() <= Decimal::new(5, 3));
        }

        #[test]
        fn money_roundtrips_through_its_text(p in arb_money()) {
            let text = p.to_string();
            prop_assert_eq!(Money::from_str(&text).unwrap(), p);
        }

        #[test]
        fn totals_are_sums_of_lines(lines in proptest::collection::vec((arb_quantity(), arb_money(), arb_pct()), 0..50)) {
            let amounts: Vec<_> = lines.iter()
                .map(|(q, p, t)| line_amounts(*q, *p, Discount::None, *t).unwrap())
                .collect();
            let totals = SaleTotals::sum(&amounts);
            let total: Decimal = amounts.iter().map(|l| l.total).sum();
            prop_assert_eq!(totals.total, total);
            prop_assert_eq!(totals.total, totals.subtotal - totals.discount + totals.tax);
        }

        #[test]
        fn decimal_parser_never_panics(s in "\\PC{0,50}") {
            let _ = parse_decimal_text(&s);
        }
    }
}
