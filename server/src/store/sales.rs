//! Sales: one row per `local_id` (accepted or not), the superseded accepted
//! versions, and the per-year gapless number counter.
use super::{Page, Tx};
use crate::db::Storage;
use sqlx::{AnyExecutor, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct SaleRow {
    pub id: i64,
    pub local_id: String,
    pub user_id: i64,
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub number: Option<String>,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub status: Option<String>,
    pub payment_method: Option<String>,
    pub sync_status: String,
    pub content: Option<String>,
    pub content_hash: Option<String>,
    pub lines: Option<String>,
    pub subtotal: Option<String>,
    pub discount_total: Option<String>,
    pub tax_total: Option<String>,
    pub total: Option<String>,
    pub raw_payload: String,
    pub error: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub server_timestamp: String,
    pub updated_at: String,
    pub sync_succeeded_at: Option<String>,
    pub sync_last_attempt: Option<String>,
    pub sync_attempt_count: i64,
    pub next_attempt_at: Option<String>,
    pub conflict_resolution: Option<String>,
}

impl SaleRow {
    /// Was some version of this sale ever accepted (it then has a number)?
    pub fn is_accepted(&self) -> bool {
        self.content.is_some()
    }
}

const COLUMNS: &str = "s.id, s.local_id, s.user_id, s.seller_code, s.device_id, s.number, \
     s.customer_id, c.name AS customer_name, s.status, s.payment_method, s.sync_status, s.content, \
     s.content_hash, s.lines, s.subtotal, s.discount_total, s.tax_total, s.total, s.raw_payload, \
     s.error, s.version, s.created_at, s.server_timestamp, s.updated_at, s.sync_succeeded_at, \
     s.sync_last_attempt, s.sync_attempt_count, s.next_attempt_at, s.conflict_resolution";
const FROM: &str = "FROM sales s LEFT JOIN customers c ON c.id = s.customer_id";

/// Reads and (on PostgreSQL) locks the sale with this `local_id`.
pub async fn lock_by_local_id(
    tx: &mut Tx<'_>,
    local_id: &str,
    for_update: &str,
) -> Result<Option<SaleRow>, sqlx::Error> {
    let lock = if for_update.is_empty() {
        ""
    } else {
        " FOR UPDATE OF s"
    };
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} {FROM} WHERE s.local_id = $1{lock}"
    ))
    .bind(local_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn lock_by_id(
    tx: &mut Tx<'_>,
    id: i64,
    for_update: &str,
) -> Result<Option<SaleRow>, sqlx::Error> {
    let lock = if for_update.is_empty() {
        ""
    } else {
        " FOR UPDATE OF s"
    };
    sqlx::query_as(&format!("SELECT {COLUMNS} {FROM} WHERE s.id = $1{lock}"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn by_id<'e>(db: impl AnyExecutor<'e>, id: i64) -> Result<Option<SaleRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} {FROM} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The next number of `year`: the counter row stays locked until commit,
/// and a rolled-back transaction gives its number back, so numbers are
/// gapless and unique however many writers there are.
pub async fn next_number(tx: &mut Tx<'_>, year: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO sale_counters (year, last_value) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last_value = sale_counters.last_value + 1 \
         RETURNING last_value",
    )
    .bind(year)
    .fetch_one(&mut **tx)
    .await
}

/// The accepted form of a sale, ready to store.
#[derive(Debug, Clone)]
pub struct AcceptedFields {
    pub customer_id: i64,
    pub status: String,
    pub payment_method: String,
    pub content: String,
    pub content_hash: String,
    pub lines: String,
    pub subtotal: String,
    pub discount_total: String,
    pub tax_total: String,
    pub total: String,
}

/// Who sent a sale and when.
#[derive(Debug, Clone)]
pub struct Origin<'a> {
    pub user_id: i64,
    pub seller_code: Option<&'a str>,
    pub device_id: Option<&'a str>,
    pub created_at: &'a str,
    pub now: &'a str,
    pub raw_payload: &'a str,
}

/// Inserts a new accepted sale; `None` when another transaction stored the
/// same `local_id` first (the caller starts over).
pub async fn insert_accepted(
    tx: &mut Tx<'_>,
    local_id: &str,
    number: &str,
    a: &AcceptedFields,
    o: &Origin<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO sales (local_id, user_id, seller_code, device_id, number, customer_id, status, \
           payment_method, sync_status, content, content_hash, lines, subtotal, discount_total, tax_total, \
           total, raw_payload, error, version, created_at, server_timestamp, updated_at, sync_succeeded_at, \
           sync_last_attempt, sync_attempt_count, accepted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'synced', $9, $10, $11, $12, $13, $14, $15, $16, NULL, 1, \
           $17, $18, $18, $18, $18, 1, $18) \
         ON CONFLICT (local_id) DO NOTHING RETURNING id",
    )
    .bind(local_id)
    .bind(o.user_id)
    .bind(o.seller_code)
    .bind(o.device_id)
    .bind(number)
    .bind(a.customer_id)
    .bind(&a.status)
    .bind(&a.payment_method)
    .bind(&a.content)
    .bind(&a.content_hash)
    .bind(&a.lines)
    .bind(&a.subtotal)
    .bind(&a.discount_total)
    .bind(&a.tax_total)
    .bind(&a.total)
    .bind(o.raw_payload)
    .bind(o.created_at)
    .bind(o.now)
    .fetch_optional(&mut **tx)
    .await
}

/// Keeps a refused upload (raw payload and error) so it can be retried.
pub async fn insert_error(
    tx: &mut Tx<'_>,
    local_id: &str,
    customer_id: Option<i64>,
    error: &str,
    o: &Origin<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO sales (local_id, user_id, seller_code, device_id, customer_id, sync_status, \
           raw_payload, error, version, created_at, server_timestamp, updated_at, sync_last_attempt, \
           sync_attempt_count) \
         VALUES ($1, $2, $3, $4, $5, 'error', $6, $7, 1, $8, $9, $9, $9, 1) \
         ON CONFLICT (local_id) DO NOTHING RETURNING id",
    )
    .bind(local_id)
    .bind(o.user_id)
    .bind(o.seller_code)
    .bind(o.device_id)
    .bind(customer_id)
    .bind(o.raw_payload)
    .bind(error)
    .bind(o.created_at)
    .bind(o.now)
    .fetch_optional(&mut **tx)
    .await
}

/// A never-accepted sale failed again.
pub async fn mark_error(
    tx: &mut Tx<'_>,
    id: i64,
    raw_payload: &str,
    error: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sales SET sync_status = 'error', raw_payload = $1, error = $2, updated_at = $3, \
         sync_last_attempt = $3, sync_attempt_count = sync_attempt_count + 1, next_attempt_at = NULL \
         WHERE id = $4",
    )
    .bind(raw_payload)
    .bind(error)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Stores a new accepted content on an existing row: a first acceptance
/// after errors (`number` given) or an accepted edit / resolution.
#[allow(clippy::too_many_arguments)]
pub async fn store_accepted(
    tx: &mut Tx<'_>,
    id: i64,
    number: Option<&str>,
    version: i64,
    a: &AcceptedFields,
    device_id: Option<&str>,
    raw_payload: Option<&str>,
    resolution: Option<&str>,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sales SET number = COALESCE(number, $1), version = $2, customer_id = $3, status = $4, \
           payment_method = $5, sync_status = 'synced', content = $6, content_hash = $7, lines = $8, \
           subtotal = $9, discount_total = $10, tax_total = $11, total = $12, \
           device_id = COALESCE($13, device_id), raw_payload = COALESCE($14, raw_payload), error = NULL, \
           conflict_resolution = COALESCE($15, conflict_resolution), updated_at = $16, \
           sync_succeeded_at = $16, sync_last_attempt = $16, next_attempt_at = NULL, \
           accepted_at = COALESCE(accepted_at, $16), \
           sync_attempt_count = sync_attempt_count + 1 \
         WHERE id = $17",
    )
    .bind(number)
    .bind(version)
    .bind(a.customer_id)
    .bind(&a.status)
    .bind(&a.payment_method)
    .bind(&a.content)
    .bind(&a.content_hash)
    .bind(&a.lines)
    .bind(&a.subtotal)
    .bind(&a.discount_total)
    .bind(&a.tax_total)
    .bind(&a.total)
    .bind(device_id)
    .bind(raw_payload)
    .bind(resolution)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn set_sync_status(
    tx: &mut Tx<'_>,
    id: i64,
    status: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sales SET sync_status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Bumps the version without changing content (a server-wins resolution).
pub async fn settle_unchanged(
    tx: &mut Tx<'_>,
    id: i64,
    version: i64,
    resolution: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sales SET version = $1, sync_status = 'synced', conflict_resolution = $2, \
         updated_at = $3, sync_succeeded_at = $3 WHERE id = $4",
    )
    .bind(version)
    .bind(resolution)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Keeps a superseded accepted version (for late-retry duplicates and as
/// the base of a three-way merge).
pub async fn archive_version(
    tx: &mut Tx<'_>,
    sale_id: i64,
    version: i64,
    content: &str,
    content_hash: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sale_versions (sale_id, version, content, content_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sale_id, version) DO NOTHING",
    )
    .bind(sale_id)
    .bind(version)
    .bind(content)
    .bind(content_hash)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn has_version_hash(
    tx: &mut Tx<'_>,
    sale_id: i64,
    hash: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sale_versions WHERE sale_id = $1 AND content_hash = $2",
    )
    .bind(sale_id)
    .bind(hash)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

pub async fn version_content(
    tx: &mut Tx<'_>,
    sale_id: i64,
    version: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT content FROM sale_versions WHERE sale_id = $1 AND version = $2")
        .bind(sale_id)
        .bind(version)
        .fetch_optional(&mut **tx)
        .await
}

/// Filters of the sale list; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct SaleFilter {
    pub user_id: Option<i64>,
    pub seller_code: Option<String>,
    pub device_id: Option<String>,
    pub date: Option<String>,
    pub sync_statuses: Option<Vec<&'static str>>,
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
                    q = q.bind(*s);
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

/// Puts sales back in the retry queue; returns the new attempt number.
pub async fn queue_retry(tx: &mut Tx<'_>, id: i64, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sales SET sync_status = 'pending', next_attempt_at = $1, updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Sales whose retry is due, oldest first.
pub async fn due_retries<'e>(
    db: impl AnyExecutor<'e>,
    now: &str,
    limit: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, next_attempt_at FROM sales WHERE sync_status = 'pending' \
         AND next_attempt_at IS NOT NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Claims a due retry for this worker by moving its next attempt forward
/// (a lease); only one worker of any instance wins the claim.
pub async fn claim_retry<'e>(
    db: impl AnyExecutor<'e>,
    id: i64,
    seen_next: &str,
    lease_until: &str,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE sales SET next_attempt_at = $1 WHERE id = $2 AND sync_status = 'pending' \
         AND next_attempt_at = $3",
    )
    .bind(lease_until)
    .bind(id)
    .bind(seen_next)
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn reschedule(
    tx: &mut Tx<'_>,
    id: i64,
    next: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sales SET next_attempt_at = $1, sync_last_attempt = $2, \
         sync_attempt_count = sync_attempt_count + 1 WHERE id = $3",
    )
    .bind(next)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// What a duplicate check needs of an accepted sale.
#[derive(Debug, Clone, FromRow)]
pub struct AcceptedKey {
    pub id: i64,
    pub local_id: String,
    pub user_id: i64,
    pub device_id: Option<String>,
    pub content_hash: String,
    pub number: Option<String>,
    pub version: i64,
    pub raw_payload: String,
}

/// A stored sale among an upload's keys, accepted or not.
#[derive(Debug, Clone, FromRow)]
pub struct StoredKey {
    pub id: i64,
    pub local_id: String,
    pub user_id: i64,
    pub device_id: Option<String>,
    pub content_hash: Option<String>,
    pub number: Option<String>,
    pub version: i64,
    pub raw_payload: String,
}

impl StoredKey {
    /// The duplicate-check view, for a sale some version of which was
    /// accepted.
    pub fn accepted(self) -> Option<AcceptedKey> {
        Some(AcceptedKey {
            content_hash: self.content_hash?,
            id: self.id,
            local_id: self.local_id,
            user_id: self.user_id,
            device_id: self.device_id,
            number: self.number,
            version: self.version,
            raw_payload: self.raw_payload,
        })
    }
}

/// The stored sales among `local_ids` (accepted or not), in one query.
pub async fn stored_keys<'e>(
    db: impl AnyExecutor<'e>,
    local_ids: &[&str],
) -> Result<Vec<StoredKey>, sqlx::Error> {
    if local_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, local_id, user_id, device_id, content_hash, number, version, raw_payload FROM sales \
         WHERE local_id IN ({})",
        super::catalog::placeholders(local_ids.len())
    );
    let mut q = sqlx::query_as(&sql);
    for id in local_ids {
        q = q.bind(*id);
    }
    q.fetch_all(db).await
}

/// Takes `n` consecutive numbers of `year` at once and returns the first:
/// the same counter row and lock-until-commit rule as [`next_number`], so
/// a rolled-back batch gives all of them back.
pub async fn next_numbers(tx: &mut Tx<'_>, year: i64, n: i64) -> Result<i64, sqlx::Error> {
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO sale_counters (year, last_value) VALUES ($1, $2) \
         ON CONFLICT (year) DO UPDATE SET last_value = sale_counters.last_value + $2 \
         RETURNING last_value",
    )
    .bind(year)
    .bind(n)
    .fetch_one(&mut **tx)
    .await?;
    Ok(last - n + 1)
}

/// One new accepted sale of a batch.
#[derive(Debug, Clone)]
pub struct NewSale<'a> {
    pub local_id: &'a str,
    pub number: &'a str,
    pub fields: &'a AcceptedFields,
    pub origin: Origin<'a>,
}

/// Rows per multi-row INSERT: a bound on the distinct statement texts
/// (each row count is one prepared statement) and on bind parameters.
const ROWS_PER_INSERT: usize = 50;

/// Inserts new accepted sales with multi-row INSERTs (one round trip per
/// [`ROWS_PER_INSERT`] sales instead of one each). A `local_id` already
/// stored is skipped, not an error: it is missing from the returned
/// `(id, local_id)` pairs and the caller decides.
pub async fn insert_accepted_many(
    tx: &mut Tx<'_>,
    engine: &dyn Storage,
    rows: &[NewSale<'_>],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let mut out = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut m = engine.markers();
        let values: Vec<String> = chunk
            .iter()
            .map(|_| {
                let mut p = || m.mark();
                format!(
                    "({}, {}, {}, {}, {}, {}, {}, {}, 'synced', {}, {}, {}, {}, {}, {}, {}, {}, NULL, 1, \
                     {}, {}, {}, {}, {}, 1, {})",
                    p(), p(), p(), p(), p(), p(), p(), p(), p(), p(), p(), p(), p(), p(), p(),
                    p(), p(), p(), p(), p(), p(), p()
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO sales (local_id, user_id, seller_code, device_id, number, customer_id, status, \
               payment_method, sync_status, content, content_hash, lines, subtotal, discount_total, tax_total, \
               total, raw_payload, error, version, created_at, server_timestamp, updated_at, sync_succeeded_at, \
               sync_last_attempt, sync_attempt_count, accepted_at) VALUES {} \
             ON CONFLICT (local_id) DO NOTHING RETURNING id, local_id",
            values.join(", ")
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
        for s in chunk {
            let (a, o) = (s.fields, &s.origin);
            q = q
                .bind(s.local_id)
                .bind(o.user_id)
                .bind(o.seller_code)
                .bind(o.device_id)
                .bind(s.number)
                .bind(a.customer_id)
                .bind(&a.status)
                .bind(&a.payment_method)
                .bind(&a.content)
                .bind(&a.content_hash)
                .bind(&a.lines)
                .bind(&a.subtotal)
                .bind(&a.discount_total)
                .bind(&a.tax_total)
                .bind(&a.total)
                .bind(o.raw_payload)
                .bind(o.created_at)
                .bind(o.now)
                .bind(o.now)
                .bind(o.now)
                .bind(o.now)
                .bind(o.now);
        }
        out.extend(q.fetch_all(&mut **tx).await?);
    }
    Ok(out)
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
    statuses: &[&str],
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT sync_status, COUNT(*) FROM sales WHERE sync_status IN ({}) GROUP BY sync_status",
        super::catalog::placeholders(statuses.len())
    );
    let mut q = sqlx::query_as(&sql);
    for s in statuses {
        q = q.bind(*s);
    }
    q.fetch_all(db).await
}

/// Sales waiting for the retry worker (queued, whether due or not).
pub async fn retry_queue_len<'e>(db: impl AnyExecutor<'e>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM sales WHERE sync_status = $1 AND next_attempt_at IS NOT NULL",
    )
    .bind(ruta_shared::sale::SyncStatus::Pending.as_str())
    .fetch_one(db)
    .await
}
