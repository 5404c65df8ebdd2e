//! Webhooks: admin-registered URLs told about `sale_synced`, `sale_error`
//! and `conflict_detected`.
//!
//! A tour: an admin registers a URL and its events here (the secret is
//! made here and shown once). When a sale's transaction has committed, the
//! services publish a [`SyncEvent`]; the recorder that stores the admin
//! dashboard's events ([`super::streams::record_sync_events`]) also calls
//! [`enqueue`] in the same transaction, which writes one delivery row per
//! matching active webhook — so a rolled-back sale never delivers. The
//! [`worker`] sends due rows, signed ([`signature`]), and retries failures
//! with backoff. Deliveries carry the exact body they send, so every
//! attempt of one delivery sends the same bytes.
pub mod egress;
pub mod signature;
pub mod worker;

use super::audit;
use super::events::SyncEvent;
use super::{Actor, ServiceError, ServiceResult};
use crate::clock;
use crate::db::{Db, Storage};
use crate::store::webhooks::{DeliveryRow, NewDelivery, WebhookRow};
use crate::store::{self, Page, Tx};
use rand::RngCore;
use ruta_shared::audit::SyncAction;
use ruta_shared::webhook::{DeliveryStatus, WebhookEvent};
use serde_json::{json, Map, Value};

pub const MAX_WEBHOOKS: i64 = 50;
pub const MAX_URL_CHARS: usize = 2_000;

pub use ruta_shared::wire::webhooks::{DeliveryView, WebhookView};

impl From<WebhookRow> for WebhookView {
    fn from(row: WebhookRow) -> Self {
        Self {
            id: row.id,
            events: stored_events(&row.events),
            url: row.url,
            active: row.active.0,
            created_at: row.created_at,
            updated_at: row.updated_at,
            last_delivery_status: row
                .last_delivery_status
                .as_deref()
                .and_then(DeliveryStatus::parse),
            secret: None,
        }
    }
}

impl From<DeliveryRow> for DeliveryView {
    fn from(row: DeliveryRow) -> Self {
        let payload = serde_json::from_str(&row.payload).unwrap_or(Value::Null);
        // Rows are written here with a known status; one that is not is
        // no longer pending, whatever else it is.
        let status = DeliveryStatus::parse(&row.status).unwrap_or(DeliveryStatus::Failed);
        let pending = status == DeliveryStatus::Pending;
        Self {
            id: row.id,
            webhook_id: row.webhook_id,
            event: row.event,
            status,
            attempts: row.attempts,
            response_status: row.response_status,
            error: row.error,
            created_at: row.created_at,
            last_attempt_at: row.last_attempt_at,
            // Only a pending delivery has a next attempt.
            next_attempt_at: row.next_attempt_at.filter(|_| pending),
            payload,
        }
    }
}

pub use ruta_shared::wire::webhooks::WebhookInput as NewWebhook;

/// A partial update: only the fields sent change.
pub use ruta_shared::wire::webhooks::WebhookInput as WebhookPatch;

/// An absolute `http`/`https` URL with a host, at most 2,000 characters.
pub fn check_url(url: &str) -> ServiceResult<String> {
    let url = url.trim();
    if url.is_empty() {
        return Err(ServiceError::invalid("url", "url es requerido"));
    }
    if url.chars().count() > MAX_URL_CHARS {
        return Err(ServiceError::invalid(
            "url",
            format!("url: máximo {MAX_URL_CHARS} caracteres"),
        ));
    }
    let bad = || ServiceError::invalid("url", "url debe ser una URL absoluta http o https");
    let parsed = reqwest::Url::parse(url).map_err(|_| bad())?;
    let has_host = parsed.host_str().is_some_and(|h| !h.is_empty());
    if !matches!(parsed.scheme(), "http" | "https") || !has_host {
        return Err(bad());
    }
    Ok(url.to_owned())
}

/// [`check_url`], then the destination policy of [`egress`] (a 400 on
/// `url` when refused).
pub async fn check_destination(url: &str, allow_private: bool) -> ServiceResult<String> {
    let url = check_url(url)?;
    let parsed = reqwest::Url::parse(&url)
        .map_err(|_| ServiceError::invalid("url", "url debe ser una URL absoluta http o https"))?;
    egress::check_registration(&parsed, allow_private)
        .await
        .map_err(|e| ServiceError::invalid("url", e.to_string()))?;
    Ok(url)
}

/// A non-empty subset of the subscribable events, in their canonical
/// order, without repeats.
pub fn check_events(events: &[String]) -> ServiceResult<Vec<WebhookEvent>> {
    if events.is_empty() {
        return Err(ServiceError::invalid(
            "events",
            "events no puede estar vacío",
        ));
    }
    let mut chosen = Vec::new();
    for name in events {
        let event = WebhookEvent::parse_subscribable(name).ok_or_else(|| {
            ServiceError::invalid(
                "events",
                format!(
                    "evento desconocido: {name:?} (válidos: sale_synced, sale_error, conflict_detected)"
                ),
            )
        })?;
        if !chosen.contains(&event) {
            chosen.push(event);
        }
    }
    chosen.sort_by_key(|e| WebhookEvent::SUBSCRIBABLE.iter().position(|s| s == e));
    Ok(chosen)
}

fn join_events(events: &[WebhookEvent]) -> String {
    events
        .iter()
        .map(WebhookEvent::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

fn stored_events(text: &str) -> Vec<WebhookEvent> {
    text.split(',').filter_map(WebhookEvent::parse).collect()
}

/// 256 random bits, hex.
fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub async fn list(db: &Db, page: Page) -> ServiceResult<(i64, Vec<WebhookView>)> {
    let count = store::webhooks::count(db.read()).await?;
    let rows = store::webhooks::list(db.read(), page).await?;
    Ok((count, rows.into_iter().map(WebhookView::from).collect()))
}

pub async fn get(db: &Db, id: i64) -> ServiceResult<WebhookView> {
    store::webhooks::by_id(db.read(), id)
        .await?
        .map(WebhookView::from)
        .ok_or(ServiceError::NotFound)
}

/// Registers a webhook; the answer carries its secret (the only time).
/// A webhook change's log row (never the secret).
async fn log_change(tx: &mut Tx<'_>, db: &Db, actor: &Actor, detail: Value) -> ServiceResult<()> {
    let entry = audit::Entry::about(detail);
    audit::record(tx, db, actor, SyncAction::WebhookChange, entry).await?;
    Ok(())
}

pub async fn create(
    db: &Db,
    actor: &Actor,
    new: NewWebhook,
    allow_private: bool,
) -> ServiceResult<WebhookView> {
    let url = check_destination(new.url.as_deref().unwrap_or(""), allow_private).await?;
    let events = check_events(new.events.as_deref().unwrap_or(&[]))?;
    let secret = new_secret();
    let now = clock::now();
    let mut tx = db.write().begin().await?;
    // Counted in the creating transaction: exact on SQLite (one writer); on
    // PostgreSQL two admins racing at 49 could both get in.
    if store::webhooks::count(&mut *tx).await? >= MAX_WEBHOOKS {
        return Err(ServiceError::invalid(
            "webhooks",
            format!("máximo {MAX_WEBHOOKS} webhooks"),
        ));
    }
    let id = store::webhooks::insert(
        &mut tx,
        &url,
        &join_events(&events),
        &secret,
        new.active.unwrap_or(true),
        &now,
    )
    .await?;
    let detail = json!({"op": "create", "webhook_id": id, "url": url, "events": events});
    log_change(&mut tx, db, actor, detail).await?;
    tx.commit().await?;
    let mut view = get(db, id).await?;
    view.secret = Some(secret);
    Ok(view)
}

pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    patch: WebhookPatch,
    allow_private: bool,
) -> ServiceResult<WebhookView> {
    let url = match patch.url.as_deref() {
        Some(url) => Some(check_destination(url, allow_private).await?),
        None => None,
    };
    let events = patch
        .events
        .as_deref()
        .map(check_events)
        .transpose()?
        .map(|e| join_events(&e));
    let mut tx = db.write().begin().await?;
    let changed = store::webhooks::update(
        &mut *tx,
        id,
        url.as_deref(),
        events.as_deref(),
        patch.active,
        &clock::now(),
    )
    .await?;
    if changed == 0 {
        return Err(ServiceError::NotFound);
    }
    let detail = json!({
        "op": "update", "webhook_id": id, "url": url, "events": events, "active": patch.active,
    });
    log_change(&mut tx, db, actor, detail).await?;
    tx.commit().await?;
    get(db, id).await
}

/// Deletes a webhook with its delivery history; pending deliveries are
/// never sent.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> ServiceResult<()> {
    let mut tx = db.write().begin().await?;
    if store::webhooks::delete(&mut tx, id).await? == 0 {
        return Err(ServiceError::NotFound);
    }
    log_change(
        &mut tx,
        db,
        actor,
        json!({"op": "delete", "webhook_id": id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A new secret, effective for every attempt from now on.
pub async fn rotate_secret(db: &Db, actor: &Actor, id: i64) -> ServiceResult<String> {
    let secret = new_secret();
    let mut tx = db.write().begin().await?;
    if store::webhooks::set_secret(&mut *tx, id, &secret, &clock::now()).await? == 0 {
        return Err(ServiceError::NotFound);
    }
    let detail = json!({"op": "rotate_secret", "webhook_id": id});
    log_change(&mut tx, db, actor, detail).await?;
    tx.commit().await?;
    Ok(secret)
}

/// The JSON body of a delivery.
fn body(delivery_id: &str, event: WebhookEvent, ts: &str, data: Value) -> String {
    json!({ "id": delivery_id, "event": event, "ts": ts, "data": data }).to_string()
}

fn new_delivery(webhook_id: i64, event: WebhookEvent, data: Value, now: &str) -> NewDelivery {
    let id = uuid::Uuid::now_v7().to_string();
    NewDelivery {
        payload: body(&id, event, now, data),
        id,
        webhook_id,
        event: event.as_str().to_owned(),
    }
}

/// Queues a `ping` to the webhook (active or not) and returns it.
pub async fn test(db: &Db, id: i64) -> ServiceResult<DeliveryView> {
    let hook = get(db, id).await?;
    let now = clock::now();
    let data = json!({ "webhook_id": hook.id, "message": "ping" });
    let delivery = new_delivery(hook.id, WebhookEvent::Ping, data, &now);
    let mut tx = db.write().begin().await?;
    store::webhooks::insert_deliveries(&mut tx, &**db, std::slice::from_ref(&delivery), &now)
        .await?;
    tx.commit().await?;
    store::webhooks::delivery(db.read(), &delivery.id)
        .await?
        .map(DeliveryView::from)
        .ok_or(ServiceError::NotFound)
}

pub async fn deliveries(db: &Db, id: i64, page: Page) -> ServiceResult<(i64, Vec<DeliveryView>)> {
    if store::webhooks::by_id(db.read(), id).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    let count = store::webhooks::count_deliveries(db.read(), id).await?;
    let rows = store::webhooks::deliveries(db.read(), id, page).await?;
    Ok((count, rows.into_iter().map(DeliveryView::from).collect()))
}

/// The webhook event a sync event is, with its data (the event's fields
/// without the `type` tag); `None` for events webhooks do not carry.
fn webhook_event(e: &SyncEvent) -> Option<(WebhookEvent, Value)> {
    let kind = match e {
        SyncEvent::SaleSynced { .. } => WebhookEvent::SaleSynced,
        SyncEvent::SaleError { .. } => WebhookEvent::SaleError,
        SyncEvent::ConflictDetected { .. } => WebhookEvent::ConflictDetected,
        SyncEvent::RetryQueued { .. } | SyncEvent::ConflictResolved { .. } => return None,
    };
    let mut data = match serde_json::to_value(e) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    data.remove("type");
    Some((kind, Value::Object(data)))
}

/// Writes, in the caller's transaction, one pending delivery per (event,
/// active webhook subscribed to it); returns how many.
pub async fn enqueue(
    tx: &mut Tx<'_>,
    engine: &dyn Storage,
    events: &[SyncEvent],
) -> Result<usize, sqlx::Error> {
    let carried: Vec<(WebhookEvent, Value)> = events.iter().filter_map(webhook_event).collect();
    if carried.is_empty() {
        return Ok(0);
    }
    let hooks: Vec<(i64, Vec<WebhookEvent>)> = store::webhooks::active_subscriptions(tx)
        .await?
        .into_iter()
        .map(|(id, events)| (id, stored_events(&events)))
        .collect();
    if hooks.is_empty() {
        return Ok(0);
    }
    let now = clock::now();
    let mut rows = Vec::new();
    for (kind, data) in carried {
        for (id, subscribed) in &hooks {
            if subscribed.contains(&kind) {
                rows.push(new_delivery(*id, kind, data.clone(), &now));
            }
        }
    }
    store::webhooks::insert_deliveries(tx, engine, &rows, &now).await?;
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn urls() {
        assert!(check_url("https://example.com/hook").is_ok());
        assert!(check_url("http://127.0.0.1:8080/x?y=1").is_ok());
        assert!(check_url(" https://example.com ").is_ok());
        for bad in [
            "",
            "example.com/hook",
            "/hook",
            "ftp://example.com",
            "mailto:a@b.c",
            "http://",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_CHARS));
        assert!(check_url(&long).is_err());
    }

    #[test]
    fn events() {
        let e = check_events(&strings(&[
            "conflict_detected",
            "sale_synced",
            "sale_synced",
        ]));
        assert_eq!(
            e.ok(),
            Some(vec![
                WebhookEvent::SaleSynced,
                WebhookEvent::ConflictDetected
            ])
        );
        assert!(check_events(&[]).is_err());
        assert!(check_events(&strings(&["ping"])).is_err());
        assert!(check_events(&strings(&["sale_synced", "sale_deleted"])).is_err());
    }

    #[test]
    fn event_data_drops_the_tag() {
        let e = SyncEvent::SaleError {
            sale_id: Some(3),
            local_id: "x".into(),
            seller_code: None,
            error: "boom".into(),
        };
        let (kind, data) = webhook_event(&e).unwrap_or((WebhookEvent::Ping, Value::Null));
        assert_eq!(kind, WebhookEvent::SaleError);
        assert_eq!(
            data,
            json!({"sale_id": 3, "local_id": "x", "seller_code": null, "error": "boom"})
        );
        assert!(webhook_event(&SyncEvent::RetryQueued { sale_id: 1 }).is_none());
    }
}
