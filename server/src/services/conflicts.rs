//! Open conflicts as the admin dashboard lists and shows them. The two
//! copies are the stored ones, shaped as in the upload result's
//! `conflict` object (resolution itself is `resolve`).
use super::{ServiceError, ServiceResult};
use crate::db::Db;
use crate::store::{self, conflicts::OpenConflictRow, Page};
use serde_json::Value;

pub use ruta_shared::admin::{ConflictDetail, ConflictSummary};

fn json_of(text: &str, what: &str, id: i64) -> ServiceResult<Value> {
    serde_json::from_str(text)
        .map_err(|e| ServiceError::Internal(format!("stored {what} of conflict {id}: {e}")))
}

fn summary(r: &OpenConflictRow) -> ServiceResult<ConflictSummary> {
    Ok(ConflictSummary {
        id: r.id,
        sale_id: r.sale_id,
        sale_number: r.sale_number.clone(),
        local_id: r.local_id.clone(),
        seller_code: r.seller_code.clone(),
        device_id: r.device_id.clone(),
        customer_name: r.customer_name.clone(),
        fields: serde_json::from_str(&r.fields).map_err(|e| {
            ServiceError::Internal(format!("stored fields of conflict {}: {e}", r.id))
        })?,
        server_version: r.server_version,
        client_version: r.client_version,
        created_at: r.created_at.clone(),
    })
}

pub async fn list(db: &Db, page: Page) -> ServiceResult<(i64, Vec<ConflictSummary>)> {
    let (count, rows) = store::conflicts::open_page(db.read(), page).await?;
    let rows = rows.iter().map(summary).collect::<ServiceResult<_>>()?;
    Ok((count, rows))
}

pub async fn of_sale(db: &Db, sale_id: i64) -> ServiceResult<ConflictDetail> {
    let r = store::conflicts::open_view_of_sale(db.read(), sale_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(ConflictDetail {
        summary: summary(&r)?,
        server: json_of(&r.server_content, "server copy", r.id)?,
        client: json_of(&r.client_content, "client copy", r.id)?,
    })
}
