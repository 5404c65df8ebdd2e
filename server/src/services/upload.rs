//! Sales sync upload: each sale validated and stored in its own
//! transaction, idempotent on `local_id`, versioned, conflict-aware, and
//! logged in the same transaction as the change.
//!
//! Concurrency comes from the database: the sale row is read under a row
//! lock (PostgreSQL) or inside SQLite's single writer; a new sale is
//! inserted with `ON CONFLICT (local_id) DO NOTHING`, and if another
//! transaction won the race the work starts over and finds its row; sale
//! numbers come from a counter row locked until commit (gapless).
//!
//! The common case, new sales that pass every check, is stored together
//! (`fresh`; on SQLite merged across concurrent uploads by `fresh_writer`):
//! a bad sale never joins that group, and if the group fails as a whole
//! its sales come back here one by one, so per-sale isolation holds.
use super::audit::{self, Entry};
use super::events::{Events, SyncEvent};
use super::fresh;
use super::fresh_writer::FreshWriter;
use super::resolve;
use super::{Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::Db;
use crate::store::{self, sales::SaleRow, Tx};
use chrono::{Datelike, Utc};
use chrono_tz::Tz;
use ruta_shared::audit::SyncAction;
use ruta_shared::conflict::{differing_fields, ConflictInfo, EntityType, Strategy};
use ruta_shared::sale::{ItemView, SaleContent};
use ruta_shared::sync::{ResultStatus, UploadResult};
use ruta_shared::validation::{self, CatalogView, ProductFacts, SaleDraft, SaleError};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The active catalog rows a batch refers to, read once per batch, and
/// the deactivated products it names: those exist for no check, but a
/// retry of a sale accepted before they were deactivated must still hash to
/// the content that was accepted (API.md: check 4 comes before check 6).
#[derive(Debug, Default)]
pub struct CatalogSnapshot {
    customers: HashSet<i64>,
    products: HashMap<i64, ProductFacts>,
    retired: HashMap<i64, ProductFacts>,
}

/// The snapshot as the duplicate check sees it: deactivated products too.
pub struct WithRetired<'a>(pub &'a CatalogSnapshot);

impl CatalogView for WithRetired<'_> {
    fn customer_exists(&self, id: i64) -> bool {
        self.0.customer_exists(id)
    }
    fn product(&self, id: i64) -> Option<ProductFacts> {
        self.0
            .product(id)
            .or_else(|| self.0.retired.get(&id).cloned())
    }
}

impl CatalogView for CatalogSnapshot {
    fn customer_exists(&self, id: i64) -> bool {
        self.customers.contains(&id)
    }
    fn product(&self, id: i64) -> Option<ProductFacts> {
        self.products.get(&id).cloned()
    }
}

fn ids_in(sales: &[&Value]) -> (Vec<i64>, Vec<i64>) {
    let mut customers = HashSet::new();
    let mut products = HashSet::new();
    for sale in sales {
        if let Some(id) = sale.get("customer_id").and_then(Value::as_i64) {
            customers.insert(id);
        }
        for list in ["items", "returns"] {
            for line in sale
                .get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(id) = line.get("product_id").and_then(Value::as_i64) {
                    products.insert(id);
                }
            }
        }
    }
    (
        customers.into_iter().collect(),
        products.into_iter().collect(),
    )
}

impl CatalogSnapshot {
    pub async fn load(db: &Db, sales: &[&Value]) -> Result<Self, sqlx::Error> {
        let (customer_ids, product_ids) = ids_in(sales);
        let mut snapshot = Self::default();
        // Bounded IN lists: SQLite allows 32,766 parameters, PostgreSQL 65,535.
        for chunk in customer_ids.chunks(1_000) {
            snapshot
                .customers
                .extend(store::catalog::active_customer_ids(db.read(), chunk).await?);
        }
        for chunk in product_ids.chunks(1_000) {
            for p in store::catalog::products_by_id(db.read(), chunk).await? {
                let product = p.to_product();
                let facts = ProductFacts {
                    name: p.name,
                    unit_price: product.unit_price,
                    tax_percentage: product.tax_percentage,
                };
                let shelf = if p.active.0 {
                    &mut snapshot.products
                } else {
                    &mut snapshot.retired
                };
                shelf.insert(p.id, facts);
            }
        }
        Ok(snapshot)
    }

    /// The stored form of accepted content: totals and named lines.
    pub fn accepted_fields(&self, c: &SaleContent) -> store::sales::AcceptedFields {
        let lines: Vec<ItemView> = c
            .items
            .iter()
            .map(|i| {
                let name = self
                    .products
                    .get(&i.product_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                ItemView::of(i, name)
            })
            .collect();
        let totals = c.totals();
        let m = ruta_shared::money::format_money;
        store::sales::AcceptedFields {
            customer_id: c.customer_id,
            status: c.status.as_str().to_owned(),
            payment_method: c.payment_method.as_str().to_owned(),
            content: serde_json::to_string(c).unwrap_or_default(),
            content_hash: c.content_hash(),
            lines: serde_json::to_string(&lines).unwrap_or_default(),
            subtotal: m(totals.subtotal),
            discount_total: m(totals.discount),
            tax_total: m(totals.tax),
            total: m(totals.total),
        }
    }
}

/// What the upload needs from the application.
pub struct Sync<'a> {
    pub db: &'a Db,
    pub events: &'a Events,
    pub timezone: Tz,
    /// SQLite's group writer for new sales (`None`: each upload writes its
    /// own).
    pub writer: Option<&'a FreshWriter>,
}

/// How one sale ended, plus the event to publish once committed.
struct Outcome {
    result: UploadResult,
    event: Option<SyncEvent>,
}

const OTHER_SELLER: &str = "local_id pertenece a otro vendedor";
/// The error of a sale not stored because of a server fault (safe to retry).
pub const INTERNAL_ERROR: &str = "Error interno del servidor; reintentar";

/// One sale's answer, its event once committed, and the database outage
/// (read-only, unreachable, full) that kept it from being stored.
struct SaleOutcome {
    result: UploadResult,
    event: Option<SyncEvent>,
    outage: Option<ServiceError>,
}

impl SaleOutcome {
    fn answer(result: UploadResult) -> Self {
        Self {
            result,
            event: None,
            outage: None,
        }
    }
}

impl Sync<'_> {
    pub async fn upload(&self, actor: &Actor, sales: &[Value]) -> ServiceResult<Vec<UploadResult>> {
        let (known, stored) = self.stored_among(sales).await?;
        // A phone re-sending a batch whose answer it lost sends the very same
        // bytes: those need neither the catalog nor a write transaction.
        let exact: Vec<Option<(UploadResult, Entry)>> = sales
            .iter()
            .map(|s| exact_retry(actor, s, &known))
            .collect();
        let needs_catalog = exact.iter().any(Option::is_none);
        let catalog = if needs_catalog {
            let refs: Vec<&Value> = sales.iter().collect();
            CatalogSnapshot::load(self.db, &refs).await?
        } else {
            CatalogSnapshot::default()
        };
        let repeated = fresh::repeated_keys(sales);
        let mut results: Vec<Option<UploadResult>> = sales.iter().map(|_| None).collect();
        let mut duplicate_log = Vec::new();
        let mut new_sales = Vec::new();
        for (i, (sale, exact)) in sales.iter().zip(exact).enumerate() {
            match exact.or_else(|| duplicate_of_accepted(actor, sale, &known, &catalog)) {
                Some((result, entry)) => {
                    results[i] = Some(result);
                    duplicate_log.push(entry);
                }
                None => new_sales.extend(fresh::candidate(i, sale, &catalog, &stored, &repeated)),
            }
        }
        let mut events = Vec::new();
        // In a transaction of their own, before the batch's: on SQLite the
        // group writer needs the one write connection.
        match self.writer {
            Some(writer) if !new_sales.is_empty() || !duplicate_log.is_empty() => {
                let duplicates = duplicate_log.clone();
                if let Some(done) = writer.store(actor, new_sales, duplicates).await {
                    duplicate_log.clear();
                    for (i, result) in done {
                        results[i] = Some(result);
                    }
                }
            }
            None if !new_sales.is_empty() => {
                let group = [fresh::Group {
                    actor,
                    sales: &new_sales,
                    duplicates: &[],
                }];
                match fresh::store(self.db, self.timezone, &group).await {
                    Ok(Some(done)) => {
                        for s in done.into_iter().flatten() {
                            results[s.index] = Some(s.result);
                            events.push(s.event);
                        }
                    }
                    // Rolled back: each of these sales takes the per-sale path.
                    Ok(None) => tracing::debug!("a new sale was stored meanwhile; per-sale path"),
                    Err(e) => {
                        tracing::warn!(error = %e, "new sales not stored together; per-sale path")
                    }
                }
            }
            _ => {}
        }
        // SQLite has one writer anyway: the rest of the batch shares one
        // transaction and each sale gets a savepoint of its own (still
        // all-or-nothing per sale, still never blocked by another sale's
        // failure), which saves a commit per sale. PostgreSQL keeps a
        // transaction per sale, so concurrent batches do not hold the number
        // counter for a whole batch.
        let per_sale = results.iter().any(Option::is_none);
        // Only the per-sale path can meet a conflict and need the strategy.
        let strategy = if per_sale {
            self.sale_strategy().await?
        } else {
            Strategy::Manual
        };
        let mut outer = if self.db.has_single_writer() && (per_sale || !duplicate_log.is_empty()) {
            Some(self.db.write().begin().await?)
        } else {
            None
        };
        let mut outage = None;
        for (sale, slot) in sales.iter().zip(results.iter_mut()) {
            if slot.is_some() {
                continue;
            }
            let sale = self
                .upload_in(actor, sale, &catalog, strategy, outer.as_mut())
                .await;
            *slot = Some(sale.result);
            events.extend(sale.event);
            outage = outage.or(sale.outage);
        }
        // A duplicate changes no sale, so its log rows need no per-sale
        // transaction: one transaction logs them all.
        if !duplicate_log.is_empty() {
            match outer.as_mut() {
                Some(tx) => {
                    audit::record_many(tx, self.db, actor, SyncAction::Duplicate, duplicate_log)
                        .await?;
                }
                None => {
                    let mut tx = self.db.write().begin().await?;
                    audit::record_many(
                        &mut tx,
                        self.db,
                        actor,
                        SyncAction::Duplicate,
                        duplicate_log,
                    )
                    .await?;
                    tx.commit().await?;
                }
            }
        }
        if let Some(tx) = outer {
            // If this fails nothing of the rest of the batch is stored, and
            // the caller gets a 500: the phone sends the batch again (its new
            // sales, committed above, come back as duplicates).
            tx.commit().await?;
        }
        // Nothing stored because the database is read-only, gone or full:
        // a 503/507 for the batch says so better than "every sale failed".
        if let Some(outage) = outage {
            let all_failed = results
                .iter()
                .all(|r| r.as_ref().is_some_and(|r| r.status == ResultStatus::Error));
            if all_failed {
                return Err(outage);
            }
        }
        for e in events {
            self.events.publish(e);
        }
        let results: Vec<UploadResult> = results
            .into_iter()
            .zip(sales)
            .map(|(r, sale)| {
                r.unwrap_or_else(|| {
                    let local_id = sale.get("local_id").and_then(Value::as_str).unwrap_or("");
                    UploadResult::error(local_id.into(), None, INTERNAL_ERROR.into())
                })
            })
            .collect();
        crate::prometheus::count_upload_results(&results);
        Ok(results)
    }

    async fn sale_strategy(&self) -> Result<Strategy, sqlx::Error> {
        Ok(
            store::sync_config::strategy_for(self.db.read(), EntityType::Sale)
                .await?
                .unwrap_or(Strategy::Manual),
        )
    }

    /// The stored sales among the batch's keys, read once (late retries are
    /// common: a phone that lost a response sends the whole batch again):
    /// the accepted ones by `local_id`, and every stored `local_id`.
    async fn stored_among(
        &self,
        sales: &[Value],
    ) -> Result<(HashMap<String, store::sales::AcceptedKey>, HashSet<String>), sqlx::Error> {
        let ids: Vec<&str> = sales
            .iter()
            .filter_map(|s| s.get("local_id").and_then(Value::as_str))
            .collect();
        let mut known = HashMap::new();
        let mut stored = HashSet::new();
        for chunk in ids.chunks(500) {
            for key in store::sales::stored_keys(self.db.read(), chunk).await? {
                stored.insert(key.local_id.clone());
                if let Some(key) = key.accepted() {
                    known.insert(key.local_id.clone(), key);
                }
            }
        }
        Ok((known, stored))
    }

    /// Never fails the batch: a database fault on one sale becomes that
    /// sale's error (nothing of it was committed, so a retry is safe), and
    /// an outage among those faults is handed back for the batch's answer.
    #[tracing::instrument(
        skip_all,
        fields(
            user_id = actor.user_id,
            local_id = raw.get("local_id").and_then(serde_json::Value::as_str).unwrap_or(""),
            device_id = raw.get("device_id").and_then(serde_json::Value::as_str).unwrap_or(""),
            sale_id = tracing::field::Empty,
            status = tracing::field::Empty,
        )
    )]
    async fn upload_in(
        &self,
        actor: &Actor,
        raw: &Value,
        catalog: &CatalogSnapshot,
        strategy: Strategy,
        mut outer: Option<&mut Tx<'static>>,
    ) -> SaleOutcome {
        let key = match validation::read_key(raw) {
            Ok(key) => key,
            Err(rejection) => {
                let message = rejection.error.to_string();
                let entry = Entry::sale(None, rejection.reported_id.clone(), None).failed(&message);
                let logged = match outer.as_deref_mut() {
                    Some(tx) => audit::record(tx, self.db, actor, SyncAction::CreateSale, entry)
                        .await
                        .map(|_| ()),
                    None => audit::record_alone(self.db, actor, SyncAction::CreateSale, entry)
                        .await
                        .map(|_| ()),
                };
                if let Err(e) = logged {
                    tracing::error!(error = %e, "cannot log a refused sale");
                }
                return SaleOutcome::answer(UploadResult::error(
                    rejection.reported_id,
                    None,
                    message,
                ));
            }
        };
        let local_id = key.to_string();
        let draft = validation::parse_draft(raw, key);
        for _ in 0..5 {
            match self
                .try_store(
                    actor,
                    raw,
                    &local_id,
                    &draft,
                    catalog,
                    strategy,
                    outer.as_deref_mut(),
                )
                .await
            {
                Ok(Some(outcome)) => {
                    let span = tracing::Span::current();
                    span.record("status", outcome.result.status.as_str());
                    if let Some(id) = outcome.result.sale_id {
                        span.record("sale_id", id);
                    }
                    tracing::debug!("sale processed");
                    return SaleOutcome {
                        result: outcome.result,
                        event: outcome.event,
                        outage: None,
                    };
                }
                // Lost an insert race: the row exists now, start over.
                Ok(None) => continue,
                Err(e) => {
                    tracing::error!(local_id, error = %e, "sale not stored");
                    let mut answer = SaleOutcome::answer(UploadResult::error(
                        local_id,
                        None,
                        INTERNAL_ERROR.into(),
                    ));
                    answer.outage = e.is_outage().then_some(e);
                    return answer;
                }
            }
        }
        SaleOutcome::answer(UploadResult::error(local_id, None, INTERNAL_ERROR.into()))
    }

    /// One sale in a transaction of its own (the retry worker's path);
    /// its event is published once committed.
    pub async fn upload_one(
        &self,
        actor: &Actor,
        raw: &Value,
        catalog: &CatalogSnapshot,
        strategy: Strategy,
    ) -> UploadResult {
        let sale = self.upload_in(actor, raw, catalog, strategy, None).await;
        if let Some(e) = sale.event {
            self.events.publish(e);
        }
        sale.result
    }

    #[allow(clippy::too_many_arguments)]
    async fn try_store(
        &self,
        actor: &Actor,
        raw: &Value,
        local_id: &str,
        draft: &Result<SaleDraft, SaleError>,
        catalog: &CatalogSnapshot,
        strategy: Strategy,
        outer: Option<&mut Tx<'static>>,
    ) -> ServiceResult<Option<Outcome>> {
        let db = self.db;
        let now = clock::now();
        let raw_text = raw.to_string();
        let device_id = draft.as_ref().ok().and_then(|d| d.device_id.clone());
        let created_at = draft
            .as_ref()
            .ok()
            .and_then(|d| d.created_at)
            .map(clock::format)
            .unwrap_or_else(|| now.clone());
        let origin = store::sales::Origin {
            user_id: actor.user_id,
            seller_code: actor.seller_code.as_deref(),
            device_id: device_id.as_deref(),
            created_at: &created_at,
            now: &now,
            raw_payload: &raw_text,
        };
        let entry = |sale_id| Entry::sale(sale_id, local_id, device_id.clone());

        let mut tx = match outer {
            Some(batch) => sqlx::Connection::begin(&mut **batch).await?,
            None => db.write().begin().await?,
        };
        let existing = store::sales::lock_by_local_id(&mut tx, local_id, db.row_lock()).await?;

        if let Some(s) = &existing {
            // A seller's key is theirs alone; an admin may change any sale
            // on the server (the sale keeps its seller).
            if s.user_id != actor.user_id && actor.role != ruta_shared::auth::Role::Admin {
                audit::record(
                    &mut tx,
                    db,
                    actor,
                    SyncAction::CreateSale,
                    entry(None).failed(OTHER_SELLER),
                )
                .await?;
                tx.commit().await?;
                return Ok(Some(error_outcome(
                    local_id,
                    None,
                    OTHER_SELLER.into(),
                    actor,
                )));
            }
        }

        let draft = match draft {
            Ok(d) => d,
            Err(e) => {
                return self
                    .store_refusal(tx, actor, existing, local_id, e, &origin, entry(None))
                    .await
            }
        };
        let lines = validation::check_lines(draft, catalog);
        let customer = validation::check_customer(draft, catalog);

        let existing = match existing {
            Some(s) if s.is_accepted() => {
                // Idempotency first: a late retry of accepted content is a
                // duplicate even if the catalog changed since (a customer or
                // a product deactivated).
                let with_retired;
                let authored = match &lines {
                    Ok(content) => Some(content),
                    Err(_) => {
                        with_retired = validation::check_lines(draft, &WithRetired(catalog));
                        with_retired.as_ref().ok()
                    }
                };
                if let Some(content) = authored {
                    let hash = content.content_hash();
                    if s.content_hash.as_deref() == Some(hash.as_str())
                        || store::sales::has_version_hash(&mut tx, s.id, &hash).await?
                    {
                        audit::record(&mut tx, db, actor, SyncAction::Duplicate, entry(Some(s.id)))
                            .await?;
                        tx.commit().await?;
                        return Ok(Some(Outcome {
                            result: UploadResult::duplicate(
                                local_id.into(),
                                s.id,
                                s.number,
                                s.version,
                            ),
                            event: None,
                        }));
                    }
                }
                let content = match customer.and(lines) {
                    Ok(c) => c,
                    Err(e) => {
                        return self
                            .store_refusal(tx, actor, Some(s), local_id, &e, &origin, entry(None))
                            .await
                    }
                };
                return self
                    .edit_or_conflict(tx, actor, s, draft, content, catalog, strategy, &now)
                    .await
                    .map(Some);
            }
            other => other,
        };

        let content = match customer.and(lines) {
            Ok(c) => c,
            Err(e) => {
                return self
                    .store_refusal(tx, actor, existing, local_id, &e, &origin, entry(None))
                    .await
            }
        };
        let fields = catalog.accepted_fields(&content);
        let number = self.next_number(&mut tx).await?;
        let sale_id = match existing {
            Some(s) => {
                store::sales::store_accepted(
                    &mut tx,
                    s.id,
                    Some(&number),
                    1,
                    &fields,
                    device_id.as_deref(),
                    Some(&raw_text),
                    None,
                    &now,
                )
                .await?;
                s.id
            }
            None => {
                match store::sales::insert_accepted(&mut tx, local_id, &number, &fields, &origin)
                    .await?
                {
                    Some(id) => id,
                    None => return Ok(None), // dropping tx rolls back the number
                }
            }
        };
        audit::record(
            &mut tx,
            db,
            actor,
            SyncAction::CreateSale,
            entry(Some(sale_id)),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(Outcome {
            result: UploadResult::success(local_id.into(), sale_id, Some(number), 1),
            event: Some(SyncEvent::SaleSynced {
                sale_id,
                local_id: local_id.into(),
                seller_code: actor.seller_code.clone(),
                device_id,
            }),
        }))
    }

    pub async fn next_number(&self, tx: &mut Tx<'_>) -> Result<String, sqlx::Error> {
        let year = Utc::now().with_timezone(&self.timezone).year();
        let n = store::sales::next_number(tx, i64::from(year)).await?;
        Ok(format!("VTA-{year}-{n:05}"))
    }

    /// A sale refused by a check: kept (raw payload and error) unless an
    /// accepted version exists, which a bad upload never overwrites.
    #[allow(clippy::too_many_arguments)]
    async fn store_refusal(
        &self,
        mut tx: Tx<'_>,
        actor: &Actor,
        existing: Option<SaleRow>,
        local_id: &str,
        error: &SaleError,
        origin: &store::sales::Origin<'_>,
        entry: Entry,
    ) -> ServiceResult<Option<Outcome>> {
        let message = error.message.clone();
        let sale_id = match existing {
            Some(s) if s.is_accepted() => s.id,
            Some(s) => {
                store::sales::mark_error(&mut tx, s.id, origin.raw_payload, &message, origin.now)
                    .await?;
                s.id
            }
            None => {
                let customer_id = serde_json::from_str::<Value>(origin.raw_payload)
                    .ok()
                    .and_then(|v| v.get("customer_id").and_then(Value::as_i64));
                match store::sales::insert_error(&mut tx, local_id, customer_id, &message, origin)
                    .await?
                {
                    Some(id) => id,
                    None => return Ok(None),
                }
            }
        };
        let entry = Entry {
            sale_id: Some(sale_id),
            ..entry
        }
        .failed(&message);
        audit::record(&mut tx, self.db, actor, SyncAction::CreateSale, entry).await?;
        tx.commit().await?;
        Ok(Some(error_outcome(local_id, Some(sale_id), message, actor)))
    }

    #[allow(clippy::too_many_arguments)]
    async fn edit_or_conflict(
        &self,
        mut tx: Tx<'_>,
        actor: &Actor,
        s: SaleRow,
        draft: &SaleDraft,
        content: SaleContent,
        catalog: &CatalogSnapshot,
        strategy: Strategy,
        now: &str,
    ) -> ServiceResult<Outcome> {
        let db = self.db;
        let local_id = s.local_id.clone();
        let entry = |sale_id| Entry::sale(sale_id, local_id.clone(), draft.device_id.clone());
        if draft.version > s.version {
            // The contract's text, exactly (API.md, "Versions").
            let message = "Campo version inválido".to_owned();
            audit::record(
                &mut tx,
                db,
                actor,
                SyncAction::UpdateSale,
                entry(Some(s.id)).failed(&message),
            )
            .await?;
            tx.commit().await?;
            return Ok(error_outcome(&local_id, Some(s.id), message, actor));
        }
        let in_conflict = s.sync_status == ruta_shared::sale::SyncStatus::Conflict.as_str();
        if draft.version == s.version && !in_conflict {
            let fields = catalog.accepted_fields(&content);
            resolve::archive_current(&mut tx, &s, now).await?;
            let version = s.version + 1;
            store::sales::store_accepted(
                &mut tx,
                s.id,
                None,
                version,
                &fields,
                draft.device_id.as_deref(),
                None,
                None,
                now,
            )
            .await?;
            audit::record(
                &mut tx,
                db,
                actor,
                SyncAction::UpdateSale,
                entry(Some(s.id)),
            )
            .await?;
            tx.commit().await?;
            return Ok(Outcome {
                result: UploadResult::success(local_id.clone(), s.id, s.number.clone(), version),
                event: Some(SyncEvent::SaleSynced {
                    sale_id: s.id,
                    local_id,
                    seller_code: actor.seller_code.clone(),
                    device_id: draft.device_id.clone(),
                }),
            });
        }

        // The server copy changed since the client's base version.
        let server: SaleContent = serde_json::from_str(s.content.as_deref().unwrap_or("null"))
            .map_err(|e| ServiceError::Internal(format!("stored content of sale {}: {e}", s.id)))?;
        let info = ConflictInfo {
            server_version: s.version,
            client_version: draft.version,
            fields: differing_fields(&server, &content),
            server: serde_json::to_value(&server).unwrap_or_default(),
            client: serde_json::to_value(&content).unwrap_or_default(),
        };
        let conflict_id = store::conflicts::open(
            &mut tx,
            &store::conflicts::NewConflict {
                sale_id: s.id,
                server_version: s.version,
                client_version: draft.version,
                fields: &serde_json::to_string(&info.fields).unwrap_or_default(),
                server_content: s.content.as_deref().unwrap_or("null"),
                client_content: &serde_json::to_string(&content).unwrap_or_default(),
                client_device_id: draft.device_id.as_deref(),
                now,
            },
        )
        .await?;
        store::sales::set_sync_status(&mut tx, s.id, "conflict", now).await?;
        audit::record(&mut tx, db, actor, SyncAction::Conflict, entry(Some(s.id))).await?;

        let settled = resolve::settle_by_strategy(
            &mut tx,
            db,
            actor,
            &s,
            conflict_id,
            &server,
            &content,
            draft,
            strategy,
            catalog,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(match settled {
            Some(version) => {
                let mut result =
                    UploadResult::success(local_id.clone(), s.id, s.number.clone(), version);
                result.resolved_by = Some(strategy);
                Outcome {
                    result,
                    event: Some(SyncEvent::ConflictResolved {
                        sale_id: s.id,
                        resolution: strategy.as_str().into(),
                    }),
                }
            }
            None => Outcome {
                result: UploadResult::conflict(local_id.clone(), s.id, info),
                event: Some(SyncEvent::ConflictDetected {
                    sale_id: s.id,
                    local_id,
                    seller_code: actor.seller_code.clone(),
                }),
            },
        })
    }
}

/// The same bytes as the upload that was accepted, by its owner.
fn exact_retry(
    actor: &Actor,
    raw: &Value,
    known: &HashMap<String, store::sales::AcceptedKey>,
) -> Option<(UploadResult, Entry)> {
    let local_id = raw.get("local_id").and_then(Value::as_str)?;
    let stored = known.get(local_id).filter(|k| k.user_id == actor.user_id)?;
    // Compared as serialized text: `String == Value` would compare against a
    // JSON string value, not the document.
    let text = raw.to_string();
    (stored.raw_payload == text).then(|| {
        let device = raw
            .get("device_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        (
            UploadResult::duplicate(
                local_id.to_owned(),
                stored.id,
                stored.number.clone(),
                stored.version,
            ),
            Entry::sale(Some(stored.id), local_id, device),
        )
    })
}

/// A re-upload of exactly the current accepted content, by its owner: a
/// duplicate whatever happens concurrently, because accepted versions are
/// never removed. Anything else (older versions, edits, errors) takes the
/// transactional path.
fn duplicate_of_accepted(
    actor: &Actor,
    raw: &Value,
    known: &HashMap<String, store::sales::AcceptedKey>,
    catalog: &CatalogSnapshot,
) -> Option<(UploadResult, Entry)> {
    let key = validation::read_key(raw).ok()?;
    let local_id = key.to_string();
    let stored = known
        .get(&local_id)
        .filter(|k| k.user_id == actor.user_id)?;
    let draft = validation::parse_draft(raw, key).ok()?;
    let content = validation::check_lines(&draft, &WithRetired(catalog)).ok()?;
    (content.content_hash() == stored.content_hash).then(|| {
        (
            UploadResult::duplicate(
                local_id.clone(),
                stored.id,
                stored.number.clone(),
                stored.version,
            ),
            Entry::sale(Some(stored.id), local_id, draft.device_id),
        )
    })
}

fn error_outcome(local_id: &str, sale_id: Option<i64>, error: String, actor: &Actor) -> Outcome {
    Outcome {
        event: Some(SyncEvent::SaleError {
            sale_id,
            local_id: local_id.into(),
            seller_code: actor.seller_code.clone(),
            error: error.clone(),
        }),
        result: UploadResult::error(local_id.into(), sale_id, error),
    }
}
