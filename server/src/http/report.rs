//! `/api/v1/reports/daily/` (admin): the daily report as JSON and as CSV.
use super::error::{ApiError, ApiResult};
use super::extract::{Auth, QueryParams};
use super::sync_admin::formula_safe;
use crate::services::report;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use ruta_shared::auth::{Role, SellerCode};
use ruta_shared::report::{DailyReport, DailyRow};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    seller: Option<String>,
}

fn date(field: &'static str, text: Option<&str>) -> ApiResult<NaiveDate> {
    let text = text.filter(|t| !t.is_empty()).ok_or_else(|| {
        ApiError::bad_request(format!("{field} es requerido (YYYY-MM-DD)"), field)
    })?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| ApiError::bad_request(format!("{field} debe ser YYYY-MM-DD"), field))
}

async fn build(st: &AppState, auth: &Auth, q: &ReportQuery) -> ApiResult<DailyReport> {
    auth.require(&[Role::Admin])?;
    let (from, to) = (
        date("from", q.from.as_deref())?,
        date("to", q.to.as_deref())?,
    );
    let seller = match q.seller.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => Some(
            SellerCode::parse(code).map_err(|e| ApiError::bad_request(e.to_string(), "seller"))?,
        ),
        None => None,
    };
    let tz = st.config.timezone;
    let seller = seller.as_ref().map(SellerCode::as_str);
    Ok(report::daily(&st.db, tz, from, to, seller).await?)
}

pub async fn daily(
    State(st): State<AppState>,
    auth: Auth,
    QueryParams(q): QueryParams<ReportQuery>,
) -> ApiResult<Json<DailyReport>> {
    Ok(Json(build(&st, &auth, &q).await?))
}

const CSV_COLUMNS: [&str; 9] = [
    "date",
    "seller_code",
    "sales",
    "voided",
    "cash",
    "transfer",
    "card",
    "credit",
    "total",
];

fn csv_of(rows: &[DailyRow]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS)?;
    for r in rows {
        w.write_record([
            r.date.as_str(),
            &formula_safe(&r.seller_code),
            &r.sales.to_string(),
            &r.voided.to_string(),
            &r.cash,
            &r.transfer,
            &r.card,
            &r.credit,
            &r.total,
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// The report's rows as CSV (no totals row: a spreadsheet sums them).
pub async fn daily_csv(
    State(st): State<AppState>,
    auth: Auth,
    QueryParams(q): QueryParams<ReportQuery>,
) -> ApiResult<Response> {
    let report = build(&st, &auth, &q).await?;
    let body = csv_of(&report.rows).map_err(|e| ApiError::Internal(e.to_string()))?;
    let name = format!(
        "attachment; filename=\"ruta-ventas-{}-{}.csv\"",
        report.from, report.to
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response())
}
