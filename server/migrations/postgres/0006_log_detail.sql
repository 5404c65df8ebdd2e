-- What an admin or security action changed (a catalog edit, a cargue
-- check, a setting), as JSON text; part of the row's hash when present.
ALTER TABLE sync_log ADD COLUMN detail TEXT;
