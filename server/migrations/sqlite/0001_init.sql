-- Ruta schema, SQLite flavour. Money and quantities are decimal TEXT (exact);
-- timestamps are RFC 3339 UTC TEXT with milliseconds (sortable as text);
-- flags are 0/1 integers (sqlx's Any driver has no SQLite boolean).
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    seller_code TEXT UNIQUE,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    device_id TEXT,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX tokens_user_device ON tokens(user_id, device_id);

CREATE TABLE catalog_seq (id BIGINT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO catalog_seq (id, value) VALUES (1, 0);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    business_name TEXT,
    phone TEXT,
    address TEXT,
    route TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    change_seq BIGINT NOT NULL
);
CREATE INDEX customers_change_seq ON customers(change_seq);
CREATE INDEX customers_name ON customers(name);

CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    tax_percentage TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    change_seq BIGINT NOT NULL
);
CREATE INDEX products_change_seq ON products(change_seq);
CREATE INDEX products_name ON products(name);

CREATE TABLE sale_counters (year BIGINT PRIMARY KEY, last_value BIGINT NOT NULL);

CREATE TABLE sales (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    local_id TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    seller_code TEXT,
    device_id TEXT,
    number TEXT UNIQUE,
    customer_id BIGINT,
    status TEXT,
    payment_method TEXT,
    sync_status TEXT NOT NULL,
    content TEXT,
    content_hash TEXT,
    lines TEXT,
    subtotal TEXT,
    discount_total TEXT,
    tax_total TEXT,
    total TEXT,
    raw_payload TEXT NOT NULL,
    error TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    server_timestamp TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sync_succeeded_at TEXT,
    sync_last_attempt TEXT,
    sync_attempt_count BIGINT NOT NULL DEFAULT 1,
    next_attempt_at TEXT,
    conflict_resolution TEXT
);
CREATE INDEX sales_user_status ON sales(user_id, sync_status);
CREATE INDEX sales_queue ON sales(sync_status, next_attempt_at);
CREATE INDEX sales_created ON sales(created_at);
CREATE INDEX sales_seller_created ON sales(seller_code, created_at);

-- Superseded accepted versions of a sale (the current one lives in sales).
CREATE TABLE sale_versions (
    sale_id BIGINT NOT NULL REFERENCES sales(id),
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (sale_id, version)
);

CREATE TABLE sale_conflicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sale_id BIGINT NOT NULL REFERENCES sales(id),
    open INTEGER NOT NULL,
    server_version BIGINT NOT NULL,
    client_version BIGINT NOT NULL,
    fields TEXT NOT NULL,
    server_content TEXT NOT NULL,
    client_content TEXT NOT NULL,
    client_device_id TEXT,
    created_at TEXT NOT NULL,
    resolved_at TEXT,
    resolution TEXT,
    resolved_by BIGINT,
    notes TEXT
);
CREATE INDEX sale_conflicts_open ON sale_conflicts(open, sale_id);

CREATE TABLE sync_config (
    entity TEXT PRIMARY KEY,
    strategy TEXT NOT NULL,
    critical INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_config (entity, strategy, critical) VALUES
    ('sale', 'manual', 1),
    ('customer', 'last_write_wins', 0),
    ('product', 'server_wins', 0);

CREATE TABLE log_heads (chain TEXT PRIMARY KEY, last_hash TEXT NOT NULL);

CREATE TABLE sync_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chain TEXT NOT NULL,
    action TEXT NOT NULL,
    user_id BIGINT,
    username TEXT,
    seller_code TEXT,
    device_id TEXT,
    ip TEXT,
    user_agent TEXT,
    sale_id BIGINT,
    local_id TEXT,
    success INTEGER NOT NULL,
    error TEXT,
    timestamp TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX sync_log_chain ON sync_log(chain, id);
CREATE INDEX sync_log_action ON sync_log(action, id);
CREATE INDEX sync_log_device ON sync_log(device_id, id);
CREATE INDEX sync_log_seller ON sync_log(seller_code, id);
CREATE INDEX sync_log_time ON sync_log(timestamp);

-- The log is append-only: the database itself refuses edits and deletes.
CREATE TRIGGER sync_log_no_update BEFORE UPDATE ON sync_log
BEGIN SELECT RAISE(ABORT, 'sync_log is append-only'); END;
CREATE TRIGGER sync_log_no_delete BEFORE DELETE ON sync_log
BEGIN SELECT RAISE(ABORT, 'sync_log is append-only'); END;
