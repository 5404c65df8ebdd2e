//! The admin's daily report over a date range: per seller and business
//! day (in `RUTA_TIMEZONE`), confirmed sales by payment method and voids.
use super::{ServiceError, ServiceResult};
use crate::db::Db;
use crate::store;
use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use ruta_shared::report::{daily_report, DailyReport, ReportSale};
use ruta_shared::sale::{PaymentMethod, SaleStatus};
use std::str::FromStr;

/// The longest range one report covers.
pub const MAX_DAYS: i64 = 366;

pub async fn daily(
    db: &Db,
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
    seller_code: Option<&str>,
) -> ServiceResult<DailyReport> {
    if to < from {
        return Err(ServiceError::invalid(
            "to",
            "to no puede ser anterior a from",
        ));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(ServiceError::invalid(
            "to",
            format!("el rango máximo es de {MAX_DAYS} días"),
        ));
    }
    let (start, _) = super::settlement::day_bounds(from, tz);
    let (_, end) = super::settlement::day_bounds(to, tz);
    let rows = store::settlements::report_sales(db.read(), &start, &end, seller_code).await?;
    let sales: Vec<ReportSale> = rows
        .into_iter()
        .filter_map(|r| {
            let created = DateTime::parse_from_rfc3339(&r.created_at).ok()?;
            Some(ReportSale {
                date: created.with_timezone(&tz).format("%Y-%m-%d").to_string(),
                seller_code: r.seller_code.unwrap_or_default(),
                status: SaleStatus::parse(r.status.as_deref()?)?,
                payment_method: PaymentMethod::parse(r.payment_method.as_deref()?)?,
                total: Decimal::from_str(r.total.as_deref()?).ok()?,
            })
        })
        .collect();
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    Ok(daily_report(&day(from), &day(to), &sales))
}
