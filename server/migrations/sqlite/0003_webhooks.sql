-- Webhooks (admin-registered URLs) and their deliveries. The secret is kept
-- as is: the HMAC signature needs the raw value, so it cannot be hashed.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL,
    -- Comma-separated event names, e.g. 'sale_synced,conflict_detected'.
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One row per (event, webhook). `id` is the delivery's UUID (v7, so it
-- also sorts by creation); `payload` is the exact JSON body sent on every
-- attempt. A pending row is due at `next_attempt_at`; a worker claims it by
-- moving `next_attempt_at` forward (a lease) with a conditional UPDATE.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    response_status BIGINT,
    error TEXT,
    created_at TEXT NOT NULL,
    last_attempt_at TEXT,
    next_attempt_at TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_history ON webhook_deliveries(webhook_id, created_at);
