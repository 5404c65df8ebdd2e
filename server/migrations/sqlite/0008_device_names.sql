-- The names an admin gives devices ("Tablet camión 3"), shown instead of
-- their ids on the dashboard and on the device itself.
CREATE TABLE device_names (
    device_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
