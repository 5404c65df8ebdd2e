//! Webhook delivery settings (`RUTA_WEBHOOK_*`).
use std::time::Duration;

/// How webhook deliveries are sent and retried.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookConfig {
    /// Runs the delivery worker in this process (every instance may; each
    /// delivery is claimed in the database before it is sent).
    pub worker: bool,
    /// Wait after the first failed attempt; doubles after each further one.
    pub backoff_base: Duration,
    /// Longest wait between attempts (before jitter).
    pub backoff_cap: Duration,
    /// Attempts before a delivery is marked `failed`.
    pub max_attempts: i64,
    /// Whole-request timeout of one attempt (connect, send, response head).
    pub timeout: Duration,
    /// Due deliveries taken per pass of the worker.
    pub batch: i64,
    /// Attempts of one pass running at the same time.
    pub concurrency: usize,
    /// Lets webhooks reach loopback, private and link-local addresses
    /// (`RUTA_WEBHOOK_ALLOW_PRIVATE`; see `services::webhooks::egress`).
    pub allow_private: bool,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            worker: true,
            backoff_base: Duration::from_secs(10),
            backoff_cap: Duration::from_secs(3_600),
            max_attempts: 8,
            timeout: Duration::from_secs(10),
            batch: 20,
            concurrency: 8,
            allow_private: false,
        }
    }
}
