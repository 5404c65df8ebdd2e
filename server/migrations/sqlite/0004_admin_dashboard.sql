-- Admin dashboard: when a sale was first accepted (numbered), and the
-- indexes behind the overview, the conflict list and the sync-log filters.
ALTER TABLE sales ADD COLUMN accepted_at TEXT;
-- Existing rows: the first store time. Exact for sales accepted at once;
-- for a sale that was in error before its first acceptance it is the time
-- of that first upload (no better record exists).
UPDATE sales SET accepted_at = server_timestamp WHERE number IS NOT NULL;
-- Covers the overview's "today" scan (count, amount, hours, latency).
CREATE INDEX sales_accepted ON sales(accepted_at, created_at, total);
CREATE INDEX sales_device_status ON sales(device_id, sync_status);

CREATE INDEX tokens_last_used ON tokens(last_used_at);

CREATE INDEX sale_conflicts_open_created ON sale_conflicts(open, created_at, id);

-- Combined log filters (newest first); the device one also finds each
-- device's last upload.
CREATE INDEX sync_log_seller_action ON sync_log(seller_code, action, id);
CREATE INDEX sync_log_device_action ON sync_log(device_id, action, id);
-- Failed rows by time (errors per day).
CREATE INDEX sync_log_failed_time ON sync_log(timestamp) WHERE success = 0;
