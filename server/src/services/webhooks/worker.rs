//! The delivery worker: sends due deliveries, retries failures.
//!
//! Same shape as the sales retry worker ([`crate::services::retry`]): it
//! wakes when something is queued or every half second, takes a bounded
//! batch of due rows, and claims each row in the database (a lease on
//! `next_attempt_at`) right before sending it, so several instances never
//! send one delivery at the same time. The lease outlasts the request
//! timeout; the outcome is recorded only while the lease holds. Response
//! bodies are never read or stored.
use super::egress::{self, GuardedResolver};
use super::signature::{self, HEADER_DELIVERY, HEADER_EVENT, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use crate::clock;
use crate::config::WebhookConfig;
use crate::db::Db;
use crate::services::backoff::Backoff;
use crate::services::ServiceResult;
use crate::store;
use crate::store::webhooks::{AttemptOutcome, DeliveryRow};
use chrono::Utc;
use futures_util::StreamExt;
use ruta_shared::webhook::{DeliveryStatus, WebhookEvent};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Longest error text kept per delivery.
const MAX_ERROR_CHARS: usize = 500;
/// Finished deliveries are kept this long.
const KEEP_DAYS: i64 = 30;

pub struct Worker {
    pub db: Db,
    pub config: WebhookConfig,
    pub wake: Arc<Notify>,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("cannot build the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}

impl Worker {
    /// Runs until the process ends; fails only if no HTTP client can be built.
    pub async fn run(self) -> Result<(), WorkerError> {
        let client = reqwest::Client::builder()
            .timeout(self.config.timeout)
            .connect_timeout(self.config.timeout)
            // A redirect could point an admin-approved URL anywhere.
            .redirect(reqwest::redirect::Policy::none())
            // Every name is resolved and checked here, and the client
            // connects only to the addresses checked.
            .dns_resolver(Arc::new(GuardedResolver {
                allow_private: self.config.allow_private,
            }))
            .user_agent(signature::USER_AGENT)
            .build()?;
        let mut last_prune = None::<std::time::Instant>;
        loop {
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            }
            if let Err(e) = self.tick(&client).await {
                tracing::warn!(error = %e, "webhook worker tick failed");
            }
            if last_prune.is_none_or(|t| t.elapsed() > Duration::from_secs(3_600)) {
                last_prune = Some(std::time::Instant::now());
                let cutoff = clock::format(Utc::now() - chrono::Duration::days(KEEP_DAYS));
                if let Err(e) = store::webhooks::prune_finished(self.db.write(), &cutoff).await {
                    tracing::warn!(error = %e, "cannot prune webhook deliveries");
                }
            }
        }
    }

    fn backoff(&self) -> Backoff {
        Backoff {
            base: self.config.backoff_base,
            cap: self.config.backoff_cap,
        }
    }

    /// The lease a claim takes: longer than any attempt can last (one
    /// request, bounded by the timeout, then one row written). A process
    /// killed mid-delivery leaves the row to be sent again once it runs out.
    fn lease(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.config.timeout * 3 + Duration::from_secs(5))
            .unwrap_or(chrono::Duration::seconds(60))
    }

    async fn tick(&self, client: &reqwest::Client) -> ServiceResult<()> {
        let due = store::webhooks::due(self.db.read(), &clock::now(), self.config.batch).await?;
        if due.is_empty() {
            return Ok(());
        }
        let results: Vec<ServiceResult<()>> = futures_util::stream::iter(due)
            .map(|(id, seen_next)| async move {
                let lease = clock::format(Utc::now() + self.lease());
                if store::webhooks::claim(self.db.write(), &id, &seen_next, &lease).await? {
                    self.attempt(client, &id, &lease).await?;
                }
                Ok(())
            })
            .buffer_unordered(self.config.concurrency.max(1))
            .collect()
            .await;
        results.into_iter().collect()
    }

    async fn attempt(&self, client: &reqwest::Client, id: &str, lease: &str) -> ServiceResult<()> {
        let Some(delivery) = store::webhooks::delivery(self.db.read(), id).await? else {
            return Ok(());
        };
        let is_ping = WebhookEvent::parse(&delivery.event) == Some(WebhookEvent::Ping);
        let sent = match store::webhooks::by_id(self.db.read(), delivery.webhook_id).await? {
            // Deleted meanwhile: its rows are gone too; nothing to record.
            None => return Ok(()),
            // Deactivated after this was queued: stop (a ping is always sent).
            Some(h) if !h.active.0 && !is_ping => Sent::Inactive,
            Some(h) => match permitted(&h.url, self.config.allow_private) {
                Ok(()) => send(client, &h.url, &h.secret, &delivery).await,
                Err(refusal) => Sent::Failed(refusal),
            },
        };
        let attempts = match sent {
            Sent::Inactive => delivery.attempts,
            _ => delivery.attempts + 1,
        };
        let retry_or_fail = if attempts >= self.config.max_attempts {
            DeliveryStatus::Failed
        } else {
            DeliveryStatus::Pending
        };
        let (status, response_status, error) = match sent {
            Sent::Status(code) if (200..300).contains(&code) => {
                (DeliveryStatus::Delivered, Some(i64::from(code)), None)
            }
            Sent::Status(code) => (
                retry_or_fail,
                Some(i64::from(code)),
                Some(format!("HTTP {code}")),
            ),
            Sent::Failed(e) => (retry_or_fail, None, Some(e)),
            Sent::Inactive => (
                DeliveryStatus::Failed,
                None,
                Some("webhook inactivo".into()),
            ),
        };
        let next_attempt_at = (status == DeliveryStatus::Pending).then(|| {
            let wait = chrono::Duration::from_std(self.backoff().jittered(attempts))
                .unwrap_or(chrono::Duration::seconds(60));
            clock::format(Utc::now() + wait)
        });
        let error = error.map(|e| e.chars().take(MAX_ERROR_CHARS).collect::<String>());
        let now = clock::now();
        let outcome = AttemptOutcome {
            status,
            attempts,
            response_status,
            error: error.as_deref(),
            attempted_at: &now,
            next_attempt_at: next_attempt_at.as_deref(),
        };
        if !store::webhooks::record_attempt(self.db.write(), id, lease, &outcome).await? {
            tracing::warn!(
                delivery = id,
                "webhook delivery lease lost before recording"
            );
        }
        Ok(())
    }
}

/// What came of sending.
enum Sent {
    /// The receiver answered with this status.
    Status(u16),
    /// No answer (connection refused, timeout…).
    Failed(String),
    /// Not sent: the webhook was deactivated.
    Inactive,
}

/// The delivery-time check of an address literal or scheme (names are
/// checked by the resolver).
fn permitted(url: &str, allow_private: bool) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("url inválida: {e}"))?;
    egress::check_url(&parsed, allow_private).map_err(|e| e.to_string())
}

/// One POST of the stored body; the response's status, or why there was none.
async fn send(client: &reqwest::Client, url: &str, secret: &str, delivery: &DeliveryRow) -> Sent {
    let timestamp = Utc::now().timestamp();
    let body = delivery.payload.as_bytes().to_vec();
    let signature = signature::sign(secret, timestamp, &body);
    let response = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(HEADER_EVENT, &delivery.event)
        .header(HEADER_DELIVERY, &delivery.id)
        .header(HEADER_TIMESTAMP, timestamp.to_string())
        .header(HEADER_SIGNATURE, signature)
        .body(body)
        .send()
        .await;
    match response {
        // The body is dropped unread: nothing of it is stored.
        Ok(r) => Sent::Status(r.status().as_u16()),
        Err(e) => Sent::Failed(describe(e)),
    }
}

fn describe(e: reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".to_owned()
    } else if e.is_connect() {
        // The resolver's refusal is the source of a connect error.
        let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(&e);
        while let Some(c) = cause {
            if let Some(refusal) = c.downcast_ref::<egress::EgressError>() {
                return refusal.to_string();
            }
            cause = c.source();
        }
        format!("connection failed: {e}")
    } else {
        format!("request failed: {e}")
    }
}
