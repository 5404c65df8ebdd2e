//! A sale's gapless number: `VTA-<year>-<n>`, `n` at least five digits.
//! The server hands them out per business year from one counter; this is
//! the only place that writes the format.
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SaleNumber(String);

impl SaleNumber {
    pub fn new(year: i32, n: i64) -> Self {
        Self(format!("VTA-{year}-{n:05}"))
    }

    /// `count` consecutive numbers from `first`, in order.
    pub fn run(year: i32, first: i64, count: i64) -> Vec<Self> {
        (0..count).map(|k| Self::new(year, first + k)).collect()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for SaleNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_padded_to_five_digits_and_grow_past_them() {
        assert_eq!(SaleNumber::new(2026, 42).as_str(), "VTA-2026-00042");
        assert_eq!(SaleNumber::new(2026, 123_456).as_str(), "VTA-2026-123456");
        let run: Vec<String> = SaleNumber::run(2027, 99_999, 2)
            .into_iter()
            .map(SaleNumber::into_string)
            .collect();
        assert_eq!(run, ["VTA-2027-99999", "VTA-2027-100000"]);
    }
}
