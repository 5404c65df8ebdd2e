-- A seller's day settled (liquidación): the dispatcher's count, and a
-- snapshot of every version, so a re-opened day keeps what it said before.
CREATE TABLE settlements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seller_code TEXT NOT NULL,
    date TEXT NOT NULL,
    version BIGINT NOT NULL,
    state TEXT NOT NULL,
    counted TEXT NOT NULL,
    cash_counted TEXT NOT NULL,
    settled_by TEXT NOT NULL,
    settled_at TEXT NOT NULL,
    reopened_by TEXT,
    reopened_at TEXT,
    reopen_reason TEXT,
    UNIQUE (seller_code, date)
);

CREATE TABLE settlement_versions (
    seller_code TEXT NOT NULL,
    date TEXT NOT NULL,
    version BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (seller_code, date, version)
);
