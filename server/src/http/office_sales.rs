//! `/api/v1/admin/sales/…` (admin): the office's sale list, its CSV, and
//! one sale's history.
use super::error::{ApiError, ApiResult};
use super::extract::{Auth, PathParam, QueryParams};
use super::pagination::{DEFAULT_LIMIT, MAX_LIMIT};
use super::sync_admin::formula_safe;
use crate::services::office_sales::{self, OfficeFilter};
use crate::services::settlement::day_bounds;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use ruta_shared::auth::SellerCode;
use ruta_shared::sale::{PaymentMethod, SaleView, SyncStatus};
use ruta_shared::validation::MAX_DEVICE_ID_CHARS;
use ruta_shared::wire::office::SaleHistory;
use ruta_shared::wire::CursorPage;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct OfficeQuery {
    seller: Option<String>,
    device_id: Option<String>,
    customer: Option<String>,
    from: Option<String>,
    to: Option<String>,
    sync_status: Option<String>,
    payment_method: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn bad(field: &'static str, message: &str) -> ApiError {
    ApiError::bad_request(format!("{field}: {message}"), field)
}

fn integer(field: &'static str, v: &Option<String>) -> ApiResult<Option<i64>> {
    given(v)
        .map(|t| {
            t.parse::<i64>()
                .map_err(|_| bad(field, "debe ser un entero"))
        })
        .transpose()
}

fn day(field: &'static str, v: &Option<String>) -> ApiResult<Option<NaiveDate>> {
    given(v)
        .map(|t| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| bad(field, "debe ser YYYY-MM-DD"))
        })
        .transpose()
}

/// The query as a store filter: every value checked, dates as the
/// business days' UTC bounds.
fn filter(st: &AppState, q: &OfficeQuery) -> ApiResult<OfficeFilter> {
    let tz = st.config.timezone;
    let seller_code = given(&q.seller)
        .map(|s| SellerCode::parse(s).map_err(|e| ApiError::bad_request(e.to_string(), "seller")))
        .transpose()?
        .map(|c| c.as_str().to_owned());
    let device_id = given(&q.device_id).map(str::to_owned);
    if device_id
        .as_deref()
        .is_some_and(|d| d.chars().count() > MAX_DEVICE_ID_CHARS)
    {
        return Err(bad("device_id", "máximo 100 caracteres"));
    }
    let sync_status = given(&q.sync_status)
        .map(|s| SyncStatus::parse(s).ok_or_else(|| bad("sync_status", "valor desconocido")))
        .transpose()?
        .map(|s| s.as_str().to_owned());
    let payment_method = given(&q.payment_method)
        .map(|s| PaymentMethod::parse(s).ok_or_else(|| bad("payment_method", "valor desconocido")))
        .transpose()?
        .map(|p| p.as_str().to_owned());
    let (from, to) = (day("from", &q.from)?, day("to", &q.to)?);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(bad("to", "no puede ser anterior a from"));
        }
    }
    Ok(OfficeFilter {
        seller_code,
        device_id,
        customer_id: integer("customer", &q.customer)?,
        from: from.map(|d| day_bounds(d, tz).0),
        to: to.map(|d| day_bounds(d, tz).1),
        sync_status,
        payment_method,
        before_id: integer("cursor", &q.cursor)?,
    })
}

pub async fn list(
    State(st): State<AppState>,
    Auth(actor): Auth,
    QueryParams(q): QueryParams<OfficeQuery>,
) -> ApiResult<Json<CursorPage<SaleView>>> {
    let limit = match integer("limit", &q.limit)? {
        None => DEFAULT_LIMIT,
        Some(n) if n > 0 => n.min(MAX_LIMIT),
        Some(_) => return Err(bad("limit", "debe ser mayor a 0")),
    };
    let f = filter(&st, &q)?;
    Ok(Json(office_sales::page(&st.db, &actor, &f, limit).await?))
}

const CSV_COLUMNS: [&str; 13] = [
    "id",
    "number",
    "local_id",
    "created_at",
    "seller_code",
    "device_id",
    "customer_id",
    "customer_name",
    "status",
    "payment_method",
    "sync_status",
    "total",
    "version",
];

fn csv_of(sales: &[SaleView]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS)?;
    let text = |v: &Option<String>| formula_safe(v.as_deref().unwrap_or("")).into_owned();
    for s in sales {
        w.write_record([
            s.id.to_string(),
            text(&s.number),
            formula_safe(&s.local_id).into_owned(),
            formula_safe(&s.created_at).into_owned(),
            text(&s.seller_code),
            text(&s.device_id),
            s.customer_id.map(|c| c.to_string()).unwrap_or_default(),
            text(&s.customer_name),
            s.status.map(|x| x.as_str()).unwrap_or("").to_owned(),
            s.payment_method
                .map(|x| x.as_str())
                .unwrap_or("")
                .to_owned(),
            s.sync_status.as_str().to_owned(),
            text(&s.total),
            s.version.to_string(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// The filtered list as CSV (up to 100,000 rows, newest first).
pub async fn export_csv(
    State(st): State<AppState>,
    Auth(actor): Auth,
    QueryParams(q): QueryParams<OfficeQuery>,
) -> ApiResult<Response> {
    let f = filter(&st, &q)?;
    let sales = office_sales::export(&st.db, &actor, &f).await?;
    let body = csv_of(&sales).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"ruta-ventas.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

pub async fn history(
    State(st): State<AppState>,
    Auth(actor): Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<SaleHistory>> {
    Ok(Json(office_sales::history(&st.db, &actor, id).await?))
}
