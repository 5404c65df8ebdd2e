//! Sale lists: the filtered pages, the dashboard's counts.
use super::{SaleRow, COLUMNS, FROM};
use crate::store::Page;
use ruta_shared::sale::SyncStatus;
use sqlx::{AnyExecutor, FromRow};

/// Filters of the sale list; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct SaleFilter {
    pub user_id: Option<i64>,
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub date: Option<String>,
    pub sync_statuses: Option<Vec<SyncStatus>>,
}

pub async fn list<'e, E: AnyExecutor<'e> + Copy>(
    db: E,
    f: &SaleFilter,
    page: Page,
) -> Result<(i64, Vec<SaleRow>), sqlx::Error> {
    // Conditions are fixed text; only values are bound.
    let mut conditions = vec!["1 = 1".to_owned()];
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if f.user_id.is_some() {
        conditions.push(format!("s.user_id = {}", next()));
    }
    if f.seller_code.is_some() {
        conditions.push(format!("s.seller_code = {}", next()));
    }
    if f.device_id.is_some() {
        conditions.push(format!("s.device_id = {}", next()));
    }
    if f.date.is_some() {
        let (from, to) = (next(), next());
        conditions.push(format!("s.created_at >= {from} AND s.created_at < {to}"));
    }
    if let Some(statuses) = &f.sync_statuses {
        let list: Vec<String> = statuses.iter().map(|_| next()).collect();
        conditions.push(format!("s.sync_status IN ({})", list.join(", ")));
    }
    let (limit, offset) = (next(), next());
    let filter = conditions.join(" AND ");
    let count_sql = format!("SELECT COUNT(*) FROM sales s WHERE {filter}");
    let rows_sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE {filter} ORDER BY s.created_at DESC, s.id DESC LIMIT {limit} OFFSET {offset}"
    );
    let day_bounds = f
        .date
        .as_deref()
        .map(|d| (format!("{d}T00:00:00"), format!("{d}T99")));
    macro_rules! bind_filters {
        ($q:expr) => {{
            let mut q = $q;
            if let Some(u) = f.user_id {
                q = q.bind(u);
            }
            if let Some(s) = &f.seller_code {
                q = q.bind(s.clone());
            }
            if let Some(d) = &f.device_id {
                q = q.bind(d.clone());
            }
            if let Some((from, to)) = &day_bounds {
                q = q.bind(from.clone()).bind(to.clone());
            }
            if let Some(statuses) = &f.sync_statuses {
                for s in statuses {
                    q = q.bind(s.as_str());
                }
            }
            q
        }};
    }
    let total: i64 = bind_filters!(sqlx::query_scalar(&count_sql))
        .fetch_one(db)
        .await?;
    let rows = bind_filters!(sqlx::query_as(&rows_sql))
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(db)
        .await?;
    Ok((total, rows))
}

/// An accepted sale as the dashboard counts it.
#[derive(Debug, Clone, FromRow)]
pub struct AcceptedRow {
    pub accepted_at: String,
    pub created_at: String,
    pub total: Option<String>,
}

/// Sales first accepted in `[from, to)` (RFC 3339 UTC bounds), read from
/// the covering `sales_accepted` index only.
pub async fn accepted_between<'e>(
    db: impl AnyExecutor<'e>,
    from: &str,
    to: &str,
) -> Result<Vec<AcceptedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT accepted_at, created_at, total FROM sales \
         WHERE accepted_at >= $1 AND accepted_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

/// How many sales are in each of `statuses`.
pub async fn count_by_sync_status<'e>(
    db: impl AnyExecutor<'e>,
    statuses: &[SyncStatus],
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT sync_status, COUNT(*) FROM sales WHERE sync_status IN ({}) GROUP BY sync_status",
        crate::store::catalog::placeholders(statuses.len())
    );
    let mut q = sqlx::query_as(&sql);
    for s in statuses {
        q = q.bind(s.as_str());
    }
    q.fetch_all(db).await
}
