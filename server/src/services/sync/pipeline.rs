//! The per-sale path: one sale validated and stored in a transaction (or,
//! on SQLite, a savepoint of the batch's) of its own, so a bad sale never
//! blocks another, and logged in that same transaction.
//!
//! The sale row is read under a row lock (PostgreSQL) or inside SQLite's
//! single writer; a new sale is inserted with `ON CONFLICT (local_id) DO
//! NOTHING`, and if another transaction won the race the work starts over
//! and finds its row; sale numbers come from a counter row locked until
//! commit (gapless). An upload of an accepted sale goes on to `edits`.
use super::catalog_snapshot::WithRetired;
use super::edits;
use super::sale::{error_outcome, Outcome, SaleContext, SaleOutcome, INTERNAL_ERROR};
use crate::clock;
use crate::services::audit::{self, Entry};
use crate::services::events::SyncEvent;
use crate::services::ServiceResult;
use crate::store::sales::{Acceptance, SaleRow};
use crate::store::{self, Tx};
use chrono::{Datelike, Utc};
use ruta_shared::audit::SyncAction;
use ruta_shared::sale_number::SaleNumber;
use ruta_shared::sync::UploadResult;
use ruta_shared::validation::{self, SaleDraft, SaleError};
use serde_json::Value;

const OTHER_SELLER: &str = "local_id pertenece a otro vendedor";

/// One attempt at storing one sale: what its rows and its log entry carry.
struct Attempt<'a> {
    local_id: &'a str,
    origin: store::sales::Origin<'a>,
}

impl Attempt<'_> {
    fn entry(&self, sale_id: Option<i64>) -> Entry {
        let device_id = self.origin.device_id.map(str::to_owned);
        Entry::sale(sale_id, self.local_id, device_id)
    }
}

impl SaleContext<'_> {
    /// Never fails the batch: a database fault on one sale becomes that
    /// sale's error (nothing of it was committed, so a retry is safe), and
    /// an outage among those faults is handed back for the batch's answer.
    #[tracing::instrument(
        skip_all,
        fields(
            user_id = self.actor.user_id,
            local_id = raw.get("local_id").and_then(serde_json::Value::as_str).unwrap_or(""),
            device_id = raw.get("device_id").and_then(serde_json::Value::as_str).unwrap_or(""),
            sale_id = tracing::field::Empty,
            status = tracing::field::Empty,
        )
    )]
    pub async fn upload_in(&self, raw: &Value, mut outer: Option<&mut Tx<'static>>) -> SaleOutcome {
        let actor = self.actor;
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
                .try_store(raw, &local_id, &draft, outer.as_deref_mut())
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

    async fn try_store(
        &self,
        raw: &Value,
        local_id: &str,
        draft: &Result<SaleDraft, SaleError>,
        outer: Option<&mut Tx<'static>>,
    ) -> ServiceResult<Option<Outcome>> {
        let SaleContext {
            db, actor, catalog, ..
        } = *self;
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
        let attempt = Attempt { local_id, origin };
        let entry = |sale_id| attempt.entry(sale_id);

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
            Err(e) => return self.store_refusal(tx, existing, e, &attempt).await,
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
                    Err(e) => return self.store_refusal(tx, Some(s), &e, &attempt).await,
                };
                return edits::edit_or_conflict(self, tx, s, draft, content, &now)
                    .await
                    .map(Some);
            }
            other => other,
        };

        let content = match customer.and(lines) {
            Ok(c) => c,
            Err(e) => return self.store_refusal(tx, existing, &e, &attempt).await,
        };
        let fields = catalog.accepted_fields(&content);
        let number = self.next_number(&mut tx).await?;
        let sale_id = match existing {
            Some(s) => {
                let first = Acceptance::First {
                    number: &number,
                    device_id: device_id.as_deref(),
                    raw_payload: &raw_text,
                };
                store::sales::store_accepted(&mut tx, s.id, 1, &fields, first, &now).await?;
                s.id
            }
            None => {
                match store::sales::insert_accepted(
                    &mut tx,
                    local_id,
                    &number,
                    &fields,
                    &attempt.origin,
                )
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
            result: UploadResult::success(local_id.into(), sale_id, Some(number.into_string()), 1),
            event: Some(SyncEvent::SaleSynced {
                sale_id,
                local_id: local_id.into(),
                seller_code: actor.seller_code.clone(),
                device_id,
            }),
        }))
    }

    async fn next_number(&self, tx: &mut Tx<'_>) -> Result<SaleNumber, sqlx::Error> {
        let year = Utc::now().with_timezone(&self.timezone).year();
        store::sales::next_number(tx, year).await
    }

    /// A sale refused by a check: kept (raw payload and error) unless an
    /// accepted version exists, which a bad upload never overwrites.
    async fn store_refusal(
        &self,
        mut tx: Tx<'_>,
        existing: Option<SaleRow>,
        error: &SaleError,
        attempt: &Attempt<'_>,
    ) -> ServiceResult<Option<Outcome>> {
        let (actor, local_id, origin) = (self.actor, attempt.local_id, &attempt.origin);
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
            ..attempt.entry(None)
        }
        .failed(&message);
        audit::record(&mut tx, self.db, actor, SyncAction::CreateSale, entry).await?;
        tx.commit().await?;
        Ok(Some(error_outcome(local_id, Some(sale_id), message, actor)))
    }
}
