//! `/api/v1/sync/config/`, `/api/v1/sync/log/` and its verification (admin).
use super::error::{ApiError, ApiResult};
use super::extract::{Admins, Allowed, Auth, JsonBody, QueryParams};
use super::pagination::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::clock;
use crate::config::RateLimit;
use crate::services::audit::{self, LogFilter, LogRow, Verification};
use crate::services::sync_config::{self, EntityConfig};
use crate::services::throttle;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::StreamExt;
use ruta_shared::audit::SyncAction;
use ruta_shared::auth::Role;
use ruta_shared::conflict::EntityType;
use ruta_shared::wire::admin::{LogEntry, SyncRate};
use ruta_shared::wire::CursorPage;
use ruta_shared::wire::SyncConfig;
use serde::Deserialize;
use std::collections::BTreeMap;

async fn config_body(st: &AppState) -> ApiResult<Json<SyncConfig>> {
    Ok(Json(sync_config::current(&st.db).await?))
}

/// Every role reads it: the phone uploads critical entity types first.
pub async fn get_config(State(st): State<AppState>, _: Auth) -> ApiResult<Json<SyncConfig>> {
    config_body(&st).await
}

/// Partial: only the entities sent change.
pub async fn put_config(
    State(st): State<AppState>,
    auth: Allowed<Admins>,
    JsonBody(body): JsonBody<BTreeMap<String, EntityConfig>>,
) -> ApiResult<Json<SyncConfig>> {
    let actor = auth.require(&[Role::Admin])?;
    let mut changes = Vec::new();
    for (entity, cfg) in body {
        let e = EntityType::parse(&entity).ok_or_else(|| {
            ApiError::bad_request(
                "entidad desconocida (sale, customer, product)",
                entity.clone(),
            )
        })?;
        changes.push((e, cfg));
    }
    sync_config::set(&st.db, actor, &changes).await?;
    config_body(&st).await
}

#[derive(Deserialize)]
pub struct LogQuery {
    action: Option<String>,
    device_id: Option<String>,
    seller: Option<String>,
    since: Option<String>,
    until: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

fn nonempty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

fn time_bound(v: Option<String>, field: &str) -> ApiResult<Option<String>> {
    nonempty(v)
        .map(|t| {
            clock::parse(&t).map(clock::format).ok_or_else(|| {
                ApiError::bad_request(format!("{field} debe ser RFC 3339 o YYYY-MM-DD"), field)
            })
        })
        .transpose()
}

/// The filters shared by the log page and its CSV export.
fn log_filter(q: LogQuery) -> ApiResult<LogFilter> {
    if let Some(a) = q.action.as_deref().filter(|a| !a.is_empty()) {
        if SyncAction::parse(a).is_none() {
            return Err(ApiError::bad_request("action desconocida", "action"));
        }
    }
    let before_id = match nonempty(q.cursor) {
        Some(c) => Some(
            c.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| ApiError::bad_request("cursor inválido", "cursor"))?,
        ),
        None => None,
    };
    Ok(LogFilter {
        action: nonempty(q.action),
        device_id: nonempty(q.device_id),
        seller_code: nonempty(q.seller),
        since: time_bound(q.since, "since")?,
        until: time_bound(q.until, "until")?,
        before_id,
    })
}

pub async fn log(
    State(st): State<AppState>,
    auth: Auth,
    QueryParams(q): QueryParams<LogQuery>,
) -> ApiResult<Json<CursorPage<LogEntry>>> {
    auth.require(&[Role::Admin])?;
    let limit = super::pagination::page(q.limit.as_deref(), None)?
        .limit
        .min(MAX_LIMIT);
    let limit = if q.limit.is_none() {
        DEFAULT_LIMIT
    } else {
        limit
    };
    let filter = log_filter(q)?;
    let rows: Vec<LogRow> = audit::page(&st.db, &filter, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    let rows: Vec<LogRow> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = has_more
        .then(|| rows.last().map(|r| r.id.to_string()))
        .flatten();
    Ok(Json(CursorPage {
        results: rows.into_iter().map(LogEntry::from).collect(),
        next_cursor,
    }))
}

pub async fn verify(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<Verification>> {
    auth.require(&[Role::Admin])?;
    Ok(Json(audit::verify(&st.db).await?))
}

/// The sync rate limit in force (`RUTA_SYNC_RATE` unless an admin saved one).
pub async fn get_rate(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<SyncRate>> {
    auth.require(&[Role::Admin])?;
    Ok(Json(SyncRate {
        rate: st.throttle.limit().to_string(),
    }))
}

/// Saves a new limit; it applies here at once and on other instances
/// within 30 s.
pub async fn put_rate(
    State(st): State<AppState>,
    auth: Allowed<Admins>,
    JsonBody(body): JsonBody<SyncRate>,
) -> ApiResult<Json<SyncRate>> {
    let actor = auth.require(&[Role::Admin])?;
    let limit = RateLimit::parse(&body.rate)
        .map_err(|reason| ApiError::bad_request(format!("rate inválido: {reason}"), "rate"))?;
    throttle::save(&st.db, &st.throttle, actor, limit).await?;
    Ok(Json(SyncRate {
        rate: limit.to_string(),
    }))
}

/// Rows per CSV export at most, and per database read while streaming.
pub const EXPORT_MAX_ROWS: i64 = 100_000;
const EXPORT_PAGE: i64 = 2_000;
const EXPORT_COLUMNS: [&str; 15] = [
    "id",
    "timestamp",
    "action",
    "username",
    "seller_code",
    "device_id",
    "ip",
    "user_agent",
    "sale_id",
    "local_id",
    "success",
    "error",
    "detail",
    "chain",
    "hash",
];

/// A cell a spreadsheet would run as a formula gets a leading `'`.
pub(super) fn formula_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn csv_rows(rows: &[LogRow], header: bool) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        w.write_record(EXPORT_COLUMNS)?;
    }
    for r in rows {
        fn opt(v: &Option<String>) -> std::borrow::Cow<'_, str> {
            v.as_deref().map(formula_safe).unwrap_or_default()
        }
        w.write_record([
            r.id.to_string().as_str(),
            &formula_safe(&r.timestamp),
            &formula_safe(&r.action),
            &opt(&r.username),
            &opt(&r.seller_code),
            &opt(&r.device_id),
            &opt(&r.ip),
            &opt(&r.user_agent),
            &r.sale_id.map(|i| i.to_string()).unwrap_or_default(),
            &opt(&r.local_id),
            if r.success.0 { "true" } else { "false" },
            &opt(&r.error),
            &opt(&r.detail),
            &formula_safe(&r.chain),
            &formula_safe(&r.hash),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Where a streaming export stands.
struct Export {
    db: crate::db::Db,
    filter: LogFilter,
    left: i64,
}

impl Export {
    /// The next page of rows (empty at the end), moving the cursor past it.
    async fn next_page(&mut self) -> Result<Vec<LogRow>, sqlx::Error> {
        if self.left <= 0 {
            return Ok(Vec::new());
        }
        let rows = audit::page(&self.db, &self.filter, EXPORT_PAGE.min(self.left)).await?;
        self.left -= rows.len() as i64;
        if (rows.len() as i64) < EXPORT_PAGE {
            self.left = 0;
        }
        self.filter.before_id = rows.last().map(|r| r.id);
        Ok(rows)
    }
}

/// `GET /api/v1/sync/log/export.csv`: the log page's filters, newest first,
/// at most [`EXPORT_MAX_ROWS`] rows, streamed page by page. The first page
/// is read before answering, so a database fault is still a clean 500; a
/// fault later cuts the download short (the client sees a broken transfer).
pub async fn export_csv(
    State(st): State<AppState>,
    auth: Auth,
    QueryParams(q): QueryParams<LogQuery>,
) -> ApiResult<Response> {
    auth.require(&[Role::Admin])?;
    let mut filter = log_filter(q)?;
    filter.before_id = None;
    let mut export = Export {
        db: st.db.clone(),
        filter,
        left: EXPORT_MAX_ROWS,
    };
    let first = export.next_page().await?;
    let first = csv_rows(&first, true).map_err(|e| ApiError::Internal(e.to_string()))?;
    let rest = futures_util::stream::unfold(Some(export), |state| async move {
        let mut export = state?;
        let chunk = match export.next_page().await {
            Ok(rows) if rows.is_empty() => return None,
            Ok(rows) => csv_rows(&rows, false).map_err(std::io::Error::other),
            Err(e) => {
                tracing::error!(error = %e, "sync log export cut short");
                Err(std::io::Error::other(e))
            }
        };
        let next = chunk.is_ok().then_some(export);
        Some((chunk.map(Bytes::from), next))
    });
    // Fused: the compression layer polls once more after the end, which an
    // `unfold` must never see.
    let body = futures_util::stream::once(async move { Ok(Bytes::from(first)) })
        .chain(rest)
        .fuse();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"ruta-registro.csv\"",
            ),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(formula_safe("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(formula_safe("+57"), "'+57");
        assert_eq!(formula_safe("-1"), "'-1");
        assert_eq!(formula_safe("@x"), "'@x");
        assert_eq!(formula_safe("ana"), "ana");
    }
}
