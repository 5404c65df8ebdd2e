//! Many new accepted sales in few statements (the group commit's write).
use super::AcceptedFields;
use super::Origin;
use crate::db::Storage;
use crate::store::Tx;
use ruta_shared::sale::SyncStatus;
use ruta_shared::sale_number::SaleNumber;

/// One new accepted sale of a batch.
#[derive(Debug, Clone)]
pub struct NewSale<'a> {
    pub local_id: &'a str,
    pub number: &'a SaleNumber,
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
                    "({}, {}, {}, {}, {}, {}, {}, {}, '{synced}', {}, {}, {}, {}, {}, {}, {}, {}, NULL, 1, \
                     {}, {}, {}, {}, {}, 1, {})",
                    p(), p(), p(), p(), p(), p(), p(), p(), p(), p(), p(), p(), p(), p(), p(),
                    p(), p(), p(), p(), p(), p(), p(),
                    synced = SyncStatus::Synced.as_str()
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
                .bind(s.number.as_str())
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
