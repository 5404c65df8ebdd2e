-- What each phone last said it still holds unsynced (its outbox), sent
-- with its requests as X-Ruta-Outbox, so the day's settlement can warn of
-- sales the server has not seen yet.
CREATE TABLE device_reports (
    device_id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    unsynced BIGINT NOT NULL,
    reported_at TEXT NOT NULL
);
CREATE INDEX device_reports_by_user ON device_reports (user_id);
