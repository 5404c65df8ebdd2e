//! Catalog writes and the offline client's change feed. Every write is
//! logged (who, what, which fields; a price change on a row of its own);
//! an edit that started from an older version than the stored one is
//! settled by the entity type's conflict strategy.
use super::audit::{self, Entry};
use super::{Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store::catalog as store;
pub use crate::store::catalog::CatalogTable;
use crate::store::sync_config as store_config;
use crate::store::{Page, Tx};
use chrono::Utc;
use ruta_shared::audit::SyncAction;
use ruta_shared::catalog::{Customer, CustomerInput, EditConflict, Product, ProductInput};
use ruta_shared::conflict::{stale_edit_applies, EntityType, Strategy};
use serde::Serialize;
use serde_json::{json, Value};

/// One page of customers (`query` matches their names) and the count.
pub async fn customers(
    db: &Db,
    query: Option<&str>,
    page: Page,
) -> ServiceResult<(i64, Vec<Customer>)> {
    let (count, rows) = store::list_customers(db.read(), query, page).await?;
    Ok((count, rows.into_iter().map(Into::into).collect()))
}

pub async fn customer(db: &Db, id: i64) -> ServiceResult<Customer> {
    let row = store::customer(db.read(), id).await?;
    row.map(Into::into).ok_or(ServiceError::NotFound)
}

/// One page of products (`query` matches name or SKU) and the count.
pub async fn products(
    db: &Db,
    query: Option<&str>,
    page: Page,
) -> ServiceResult<(i64, Vec<Product>)> {
    let (count, rows) = store::list_products(db.read(), query, page).await?;
    Ok((count, rows.iter().map(|r| r.to_product()).collect()))
}

pub async fn product(db: &Db, id: i64) -> ServiceResult<Product> {
    let row = store::product(db.read(), id).await?;
    row.map(|r| r.to_product()).ok_or(ServiceError::NotFound)
}

fn invalid(e: ruta_shared::catalog::FieldError) -> ServiceError {
    ServiceError::invalid(e.field, e.message)
}

fn sku_taken(e: sqlx::Error) -> ServiceError {
    if crate::db::is_unique_violation(&e) {
        ServiceError::invalid("sku", "sku ya existe")
    } else {
        e.into()
    }
}

/// A catalog edit refused because it started from an older version than
/// the stored one and the entity type's strategy keeps the stored copy.
#[derive(Debug)]
pub struct StaleEdit {
    pub id: i64,
    pub entity: EntityType,
    pub conflict: EditConflict,
}

impl StaleEdit {
    pub fn message(&self) -> String {
        let what = match self.entity {
            EntityType::Product => "El producto",
            _ => "El cliente",
        };
        format!(
            "{what} cambió mientras lo editaba (versión {}, ahora {}); revise los datos actuales",
            self.conflict.client_version, self.conflict.server_version
        )
    }
}

/// A catalog input that edits a stored record: where the edit started
/// and what it would change.
trait CatalogEdit: Serialize {
    type Stored: Serialize;
    const ENTITY: EntityType;
    fn base_version(&self) -> Option<i64>;
    fn edited_at(&self) -> Option<&str>;
    fn changed_fields(&self, stored: &Self::Stored) -> Vec<&'static str>;
    fn stored_version(stored: &Self::Stored) -> i64;
    fn stored_updated_at(stored: &Self::Stored) -> &str;
}

impl CatalogEdit for CustomerInput {
    type Stored = Customer;
    const ENTITY: EntityType = EntityType::Customer;
    fn base_version(&self) -> Option<i64> {
        self.version
    }
    fn edited_at(&self) -> Option<&str> {
        self.edited_at.as_deref()
    }
    fn changed_fields(&self, stored: &Customer) -> Vec<&'static str> {
        CustomerInput::changed_fields(self, stored)
    }
    fn stored_version(stored: &Customer) -> i64 {
        stored.version
    }
    fn stored_updated_at(stored: &Customer) -> &str {
        &stored.updated_at
    }
}

impl CatalogEdit for ProductInput {
    type Stored = Product;
    const ENTITY: EntityType = EntityType::Product;
    fn base_version(&self) -> Option<i64> {
        self.version
    }
    fn edited_at(&self) -> Option<&str> {
        self.edited_at.as_deref()
    }
    fn changed_fields(&self, stored: &Product) -> Vec<&'static str> {
        ProductInput::changed_fields(self, stored)
    }
    fn stored_version(stored: &Product) -> i64 {
        stored.version
    }
    fn stored_updated_at(stored: &Product) -> &str {
        &stored.updated_at
    }
}

/// Settles an edit against the stored copy: the fields it changes when it
/// may be written, a conflict when it started from an older version and the
/// strategy keeps the stored copy.
async fn settle_edit<I: CatalogEdit>(
    tx: &mut Tx<'_>,
    id: i64,
    stored: &I::Stored,
    edit: &I,
) -> ServiceResult<Vec<&'static str>> {
    let fields = edit.changed_fields(stored);
    let server_version = I::stored_version(stored);
    let Some(client_version) = edit.base_version().filter(|v| *v != server_version) else {
        return Ok(fields);
    };
    let strategy = store_config::strategy_for(&mut **tx, I::ENTITY)
        .await?
        .unwrap_or(Strategy::ServerWins);
    let server_edited = clock::parse(I::stored_updated_at(stored)).unwrap_or_else(Utc::now);
    let client_edited = edit.edited_at().and_then(clock::parse);
    if stale_edit_applies(strategy, client_edited, server_edited, Utc::now()) {
        return Ok(fields);
    }
    Err(ServiceError::StaleEdit(Box::new(StaleEdit {
        id,
        entity: I::ENTITY,
        conflict: EditConflict {
            server_version,
            client_version,
            fields: fields.into_iter().map(str::to_owned).collect(),
            server: serde_json::to_value(stored).unwrap_or_default(),
            client: serde_json::to_value(edit).unwrap_or_default(),
        },
    })))
}

async fn log(
    tx: &mut Tx<'_>,
    db: &Db,
    actor: &Actor,
    action: SyncAction,
    detail: Value,
) -> ServiceResult<()> {
    audit::record(tx, db, actor, action, Entry::about(detail)).await?;
    Ok(())
}

pub async fn create_customer(
    db: &Db,
    actor: &Actor,
    input: &CustomerInput,
) -> ServiceResult<Customer> {
    input.validate().map_err(invalid)?;
    let mut tx = db.write().begin().await?;
    let id = store::insert_customer(&mut tx, input, &clock::now()).await?;
    let row: Customer = store::customer(&mut *tx, id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .into();
    let detail = json!({"entity": "customer", "id": id, "name": row.name});
    log(&mut tx, db, actor, SyncAction::CatalogCreate, detail).await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn update_customer(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &CustomerInput,
) -> ServiceResult<Customer> {
    input.validate().map_err(invalid)?;
    let mut tx = db.write().begin().await?;
    let before: Customer = store::customer_for_update(&mut tx, id, db.row_lock())
        .await?
        .ok_or(ServiceError::NotFound)?
        .into();
    let fields = settle_edit(&mut tx, id, &before, input).await?;
    if !store::update_customer(&mut tx, id, input, &clock::now()).await? {
        return Err(ServiceError::NotFound);
    }
    let row: Customer = store::customer(&mut *tx, id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .into();
    let detail = json!({
        "entity": "customer", "id": id, "name": row.name, "fields": fields,
        "version": row.version,
    });
    log(&mut tx, db, actor, SyncAction::CatalogUpdate, detail).await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn create_product(
    db: &Db,
    actor: &Actor,
    input: &ProductInput,
) -> ServiceResult<Product> {
    input.validate().map_err(invalid)?;
    let mut tx = db.write().begin().await?;
    let id = store::insert_product(&mut tx, input, &clock::now())
        .await
        .map_err(sku_taken)?;
    let row = store::product(&mut *tx, id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .to_product();
    let detail = json!({
        "entity": "product", "id": id, "sku": row.sku, "name": row.name,
        "unit_price": row.unit_price.to_string(),
    });
    log(&mut tx, db, actor, SyncAction::CatalogCreate, detail).await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn update_product(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &ProductInput,
) -> ServiceResult<Product> {
    input.validate().map_err(invalid)?;
    let mut tx = db.write().begin().await?;
    let before = store::product_for_update(&mut tx, id, db.row_lock())
        .await?
        .ok_or(ServiceError::NotFound)?
        .to_product();
    let fields = settle_edit(&mut tx, id, &before, input).await?;
    if !store::update_product(&mut tx, id, input, &clock::now())
        .await
        .map_err(sku_taken)?
    {
        return Err(ServiceError::NotFound);
    }
    let row = store::product(&mut *tx, id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .to_product();
    log_product_edit(&mut tx, db, actor, &before, &row, &fields).await?;
    tx.commit().await?;
    Ok(row)
}

/// A product edit's log rows: the edit, and a price change of its own (so
/// the log can be filtered for price changes).
pub async fn log_product_edit(
    tx: &mut Tx<'_>,
    db: &Db,
    actor: &Actor,
    before: &Product,
    after: &Product,
    fields: &[&'static str],
) -> ServiceResult<()> {
    let detail = json!({
        "entity": "product", "id": after.id, "sku": after.sku, "name": after.name,
        "fields": fields, "version": after.version,
    });
    log(tx, db, actor, SyncAction::CatalogUpdate, detail).await?;
    if before.unit_price != after.unit_price {
        let detail = json!({
            "product_id": after.id, "sku": after.sku, "name": after.name,
            "from": before.unit_price.to_string(), "to": after.unit_price.to_string(),
        });
        log(tx, db, actor, SyncAction::PriceChange, detail).await?;
    }
    Ok(())
}

pub async fn deactivate(db: &Db, actor: &Actor, table: CatalogTable, id: i64) -> ServiceResult<()> {
    let mut tx = db.write().begin().await?;
    if !store::deactivate(&mut tx, table, id, &clock::now()).await? {
        return Err(ServiceError::NotFound);
    }
    let entity = match table {
        CatalogTable::Customers => "customer",
        CatalogTable::Products => "product",
    };
    let detail = json!({"entity": entity, "id": id});
    log(&mut tx, db, actor, SyncAction::CatalogDeactivate, detail).await?;
    tx.commit().await?;
    Ok(())
}

pub use ruta_shared::catalog::CatalogChanges as Changes;

pub const CHANGES_PAGE: i64 = 1_000;

/// Everything changed after `since` (a catalog sequence value), at most
/// one page, in sequence order across both tables.
pub async fn changes(db: &Db, since: i64) -> ServiceResult<Changes> {
    let customers = store::customers_changed_since(db.read(), since, CHANGES_PAGE + 1).await?;
    let products = store::products_changed_since(db.read(), since, CHANGES_PAGE + 1).await?;
    let mut seqs: Vec<i64> = customers
        .iter()
        .map(|c| c.change_seq)
        .chain(products.iter().map(|p| p.change_seq))
        .collect();
    seqs.sort_unstable();
    let has_more = seqs.len() as i64 > CHANGES_PAGE;
    let last = if has_more {
        seqs[(CHANGES_PAGE - 1) as usize]
    } else {
        seqs.last().copied().unwrap_or(since)
    };
    Ok(Changes {
        customers: customers
            .into_iter()
            .filter(|c| c.change_seq <= last)
            .map(Into::into)
            .collect(),
        products: products
            .iter()
            .filter(|p| p.change_seq <= last)
            .map(|p| p.to_product())
            .collect(),
        cursor: encode_cursor(last),
        has_more,
    })
}

/// Cursors are opaque to clients: `c` followed by the sequence value.
pub fn encode_cursor(seq: i64) -> String {
    format!("c{seq}")
}

pub fn decode_cursor(cursor: &str) -> Option<i64> {
    cursor
        .strip_prefix('c')?
        .parse()
        .ok()
        .filter(|n: &i64| *n >= 0)
}
