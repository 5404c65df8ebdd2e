//! The office's sale list: every filter the admin page offers, newest
//! first by id, a page at a time from a cursor; and a sale's versions.
use super::{SaleRow, COLUMNS, FROM};
use sqlx::AnyExecutor;

/// `None` means "any". `from`/`to` are RFC 3339 UTC bounds of
/// `created_at`, `[from, to)`.
#[derive(Debug, Clone, Default)]
pub struct OfficeFilter {
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub customer_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sync_status: Option<String>,
    pub payment_method: Option<String>,
    /// Sales with an id below this (the cursor).
    pub before_id: Option<i64>,
}

pub async fn page<'e>(
    db: impl AnyExecutor<'e>,
    f: &OfficeFilter,
    limit: i64,
) -> Result<Vec<SaleRow>, sqlx::Error> {
    // Conditions are fixed text; only values are bound, in this order.
    let mut conditions = vec!["1 = 1".to_owned()];
    let mut n = 0;
    let mut cond = |present: bool, text: &str| {
        if present {
            n += 1;
            conditions.push(text.replace('?', &format!("${n}")));
        }
    };
    cond(f.seller_code.is_some(), "s.seller_code = ?");
    cond(f.device_id.is_some(), "s.device_id = ?");
    cond(f.customer_id.is_some(), "s.customer_id = ?");
    cond(f.from.is_some(), "s.created_at >= ?");
    cond(f.to.is_some(), "s.created_at < ?");
    cond(f.sync_status.is_some(), "s.sync_status = ?");
    cond(f.payment_method.is_some(), "s.payment_method = ?");
    cond(f.before_id.is_some(), "s.id < ?");
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE {} ORDER BY s.id DESC LIMIT ${}",
        conditions.join(" AND "),
        n + 1
    );
    let mut q = sqlx::query_as(&sql);
    for text in [&f.seller_code, &f.device_id].into_iter().flatten() {
        q = q.bind(text.clone());
    }
    if let Some(c) = f.customer_id {
        q = q.bind(c);
    }
    for text in [&f.from, &f.to, &f.sync_status, &f.payment_method]
        .into_iter()
        .flatten()
    {
        q = q.bind(text.clone());
    }
    if let Some(id) = f.before_id {
        q = q.bind(id);
    }
    q.bind(limit).fetch_all(db).await
}

/// The superseded accepted versions of a sale: (version, content, when it
/// was superseded), oldest first.
pub async fn versions<'e>(
    db: impl AnyExecutor<'e>,
    sale_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT version, content, created_at FROM sale_versions WHERE sale_id = $1 ORDER BY version",
    )
    .bind(sale_id)
    .fetch_all(db)
    .await
}
