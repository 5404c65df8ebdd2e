//! Numbers as people type and read them, by the UI's language. In Spanish
//! (Colombia) `4.500` is four thousand five hundred and `4.500,50` has a
//! comma decimal; in English the marks swap. The wire stays dot-decimal:
//! [`NumberStyle::parse`] gives the exact [`Decimal`] the wire text is made
//! from, and [`NumberStyle::format`] shows a wire value as the totals do.
//!
//! Input that could mean two numbers (`4.5` in Spanish: four and a half
//! typed with the English mark, or a mistyped `4.500`?) is refused with
//! [`NumberInputError::Ambiguous`] rather than guessed.
use crate::money::parse_decimal_text;
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberStyle {
    pub decimal: char,
    pub group: char,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NumberInputError {
    #[error("empty")]
    Empty,
    #[error("not a number")]
    NotANumber,
    /// Only group marks, not in groups of three: the other language's
    /// decimal mark, most likely.
    #[error("ambiguous")]
    Ambiguous,
    /// Group marks in the wrong places (`1.23.456`).
    #[error("misplaced group marks")]
    Grouping,
}

impl NumberStyle {
    pub const SPANISH: Self = Self {
        decimal: ',',
        group: '.',
    };
    pub const ENGLISH: Self = Self {
        decimal: '.',
        group: ',',
    };

    /// `value` with grouped thousands and at least `min_decimals`
    /// decimals (trailing zeros past them dropped): money is shown with
    /// `2`, quantities with `0`.
    pub fn format(&self, value: Decimal, min_decimals: usize) -> String {
        let text = value.normalize().to_string();
        let (sign, unsigned) = text.strip_prefix('-').map_or(("", &*text), |t| ("-", t));
        let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let mut out = String::with_capacity(text.len() + text.len() / 3 + min_decimals + 1);
        out.push_str(sign);
        for (i, digit) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(self.group);
            }
            out.push(digit);
        }
        if !frac.is_empty() || min_decimals > 0 {
            out.push(self.decimal);
            out.push_str(frac);
            for _ in frac.len()..min_decimals {
                out.push('0');
            }
        }
        out
    }

    /// What the user typed, as an exact decimal. Accepts a leading `-`
    /// and `$`, grouped or ungrouped thousands, and this style's decimal
    /// mark once; anything else is an error, never a guess.
    pub fn parse(&self, typed: &str) -> Result<Decimal, NumberInputError> {
        let text = typed.trim();
        let (negative, text) = text
            .strip_prefix('-')
            .map_or((false, text), |t| (true, t.trim_start()));
        let text = text.strip_prefix('$').unwrap_or(text).trim_start();
        if text.is_empty() {
            return Err(NumberInputError::Empty);
        }
        let (int, frac) = match text.split_once(self.decimal) {
            Some((int, frac)) => (int, Some(frac)),
            None => (text, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if frac.is_some_and(|f| !digits(f)) || (int.is_empty() && frac.is_none()) {
            return Err(NumberInputError::NotANumber);
        }
        let int = self.ungroup(int, frac.is_some())?;
        let mut canonical = String::with_capacity(text.len() + 2);
        if negative {
            canonical.push('-');
        }
        canonical.push_str(if int.is_empty() { "0" } else { &int });
        if let Some(frac) = frac {
            canonical.push('.');
            canonical.push_str(frac);
        }
        parse_decimal_text(&canonical).map_err(|_| NumberInputError::NotANumber)
    }

    /// The integer part without its group marks, checked: a first group
    /// of 1–3 digits, then groups of exactly 3.
    fn ungroup(&self, int: &str, has_decimal: bool) -> Result<String, NumberInputError> {
        let groups: Vec<&str> = int.split(self.group).collect();
        if groups.len() == 1 {
            return match int.bytes().all(|b| b.is_ascii_digit()) {
                true => Ok(int.to_owned()),
                false => Err(NumberInputError::NotANumber),
            };
        }
        if !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
            return Err(NumberInputError::NotANumber);
        }
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        match (first_ok && rest_ok, has_decimal, groups.len()) {
            (true, _, _) => Ok(groups.concat()),
            // `4.5`, `4.50`, `4.5000` in Spanish: one mark and no decimal
            // mark is the other language's decimal, or a typo.
            (false, false, 2) if !groups[0].is_empty() && !groups[1].is_empty() => {
                Err(NumberInputError::Ambiguous)
            }
            _ => Err(NumberInputError::Grouping),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    const ES: NumberStyle = NumberStyle::SPANISH;
    const EN: NumberStyle = NumberStyle::ENGLISH;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn spanish_reads_dots_as_thousands_and_the_comma_as_decimal() {
        assert_eq!(ES.parse("4.500"), Ok(d("4500")));
        assert_eq!(ES.parse("4.500,50"), Ok(d("4500.5")));
        assert_eq!(ES.parse("4500,5"), Ok(d("4500.5")));
        assert_eq!(ES.parse("2,5"), Ok(d("2.5")));
        assert_eq!(ES.parse(",5"), Ok(d("0.5")));
        assert_eq!(ES.parse(" $13.500,00 "), Ok(d("13500")));
        assert_eq!(ES.parse("1.234.567"), Ok(d("1234567")));
        assert_eq!(ES.parse("-1.000"), Ok(d("-1000")));
        assert_eq!(ES.parse("7"), Ok(d("7")));
    }

    #[test]
    fn english_swaps_the_marks() {
        assert_eq!(EN.parse("4,500"), Ok(d("4500")));
        assert_eq!(EN.parse("4,500.50"), Ok(d("4500.5")));
        assert_eq!(EN.parse("2.5"), Ok(d("2.5")));
        assert_eq!(EN.parse("4,5"), Err(NumberInputError::Ambiguous));
    }

    #[test]
    fn what_could_mean_two_numbers_or_none_is_refused() {
        assert_eq!(ES.parse("4.5"), Err(NumberInputError::Ambiguous));
        assert_eq!(ES.parse("4.50"), Err(NumberInputError::Ambiguous));
        assert_eq!(ES.parse("1.2345"), Err(NumberInputError::Ambiguous));
        assert_eq!(ES.parse("1.23.456"), Err(NumberInputError::Grouping));
        assert_eq!(ES.parse("1.5,5"), Err(NumberInputError::Grouping));
        assert_eq!(ES.parse(".500"), Err(NumberInputError::Grouping));
        assert_eq!(ES.parse("1,2,3"), Err(NumberInputError::NotANumber));
        assert_eq!(ES.parse("4,"), Err(NumberInputError::NotANumber));
        assert_eq!(ES.parse("1e3"), Err(NumberInputError::NotANumber));
        assert_eq!(ES.parse("abc"), Err(NumberInputError::NotANumber));
        assert_eq!(ES.parse("NaN"), Err(NumberInputError::NotANumber));
        assert_eq!(ES.parse("  "), Err(NumberInputError::Empty));
        assert_eq!(ES.parse("$"), Err(NumberInputError::Empty));
        assert_eq!(
            ES.parse("9".repeat(60).as_str()),
            Err(NumberInputError::NotANumber)
        );
    }

    #[test]
    fn values_are_shown_as_the_totals_show_them() {
        assert_eq!(ES.format(d("13500"), 2), "13.500,00");
        assert_eq!(EN.format(d("13500"), 2), "13,500.00");
        assert_eq!(ES.format(d("1500.500"), 0), "1.500,5");
        assert_eq!(ES.format(d("10.000"), 0), "10");
        assert_eq!(ES.format(d("1000000"), 0), "1.000.000");
        assert_eq!(EN.format(d("0.125"), 0), "0.125");
        assert_eq!(ES.format(d("-1234.5"), 2), "-1.234,50");
        assert_eq!(ES.format(d("25.5"), 2), "25,50");
    }

    fn arb_decimal() -> impl Strategy<Value = Decimal> {
        (-1_000_000_000_000i64..1_000_000_000_000, 0u32..=3).prop_map(|(m, s)| Decimal::new(m, s))
    }

    proptest! {
        /// Format then parse is the identity, in both languages, however
        /// many decimals are shown.
        #[test]
        fn format_then_parse_is_the_identity(v in arb_decimal(), min in 0usize..=3) {
            for style in [ES, EN] {
                prop_assert_eq!(style.parse(&style.format(v, min)), Ok(v.normalize()));
            }
        }

        /// Parse then format gives back what was typed, when it was typed
        /// the way the UI shows numbers.
        #[test]
        fn parse_then_format_is_the_identity_on_shown_text(v in arb_decimal()) {
            for style in [ES, EN] {
                let shown = style.format(v, 0);
                let back = style.parse(&shown).map(|p| style.format(p, 0));
                prop_assert_eq!(back, Ok(shown));
            }
        }

        /// Nothing typed panics, and whatever parses is a plain decimal.
        #[test]
        fn any_text_parses_or_is_refused(text in "[-$ 0-9.,a-z]{0,24}") {
            if let Ok(v) = ES.parse(&text) {
                prop_assert!(v.scale() <= 28);
            }
        }
    }
}
