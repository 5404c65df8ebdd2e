//! The per-year gapless number counter.
use crate::store::Tx;
use ruta_shared::sale_number::SaleNumber;

/// The next number of `year`: the counter row stays locked until commit,
/// and a rolled-back transaction gives its number back, so numbers are
/// gapless and unique however many writers there are.
pub async fn next_number(tx: &mut Tx<'_>, year: i32) -> Result<SaleNumber, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO sale_counters (year, last_value) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last_value = sale_counters.last_value + 1 \
         RETURNING last_value",
    )
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await?;
    Ok(SaleNumber::new(year, n))
}

/// Takes `n` consecutive numbers of `year` at once, in order:
/// the same counter row and lock-until-commit rule as [`next_number`], so
/// a rolled-back batch gives all of them back.
pub async fn next_numbers(
    tx: &mut Tx<'_>,
    year: i32,
    n: i64,
) -> Result<Vec<SaleNumber>, sqlx::Error> {
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO sale_counters (year, last_value) VALUES ($1, $2) \
         ON CONFLICT (year) DO UPDATE SET last_value = sale_counters.last_value + $2 \
         RETURNING last_value",
    )
    .bind(i64::from(year))
    .bind(n)
    .fetch_one(&mut **tx)
    .await?;
    Ok(SaleNumber::run(year, last - n + 1, n))
}
