-- Settings an admin changes at run time (the sync rate limit), overriding
-- the configuration file and environment.
CREATE TABLE server_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
