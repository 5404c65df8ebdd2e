-- Cargue sheets (one per seller and date) and the replayable event streams
-- behind the WebSockets.
CREATE TABLE cargue_sheets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seller_code TEXT NOT NULL,
    date TEXT NOT NULL,
    closed INTEGER NOT NULL DEFAULT 0,
    closed_at TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (seller_code, date)
);

CREATE TABLE cargue_lines (
    sheet_id BIGINT NOT NULL REFERENCES cargue_sheets(id),
    product_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    quantity TEXT NOT NULL,
    v INTEGER NOT NULL DEFAULT 0,
    d INTEGER NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (sheet_id, product_id)
);

-- Per-stream gapless sequence; the row is locked until the event commits.
CREATE TABLE event_streams (stream TEXT PRIMARY KEY, last_seq BIGINT NOT NULL);

CREATE TABLE events (
    stream TEXT NOT NULL,
    seq BIGINT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (stream, seq)
);
CREATE INDEX events_created ON events(created_at);
