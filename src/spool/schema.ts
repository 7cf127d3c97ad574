// The spool's tables. Bump SCHEMA_VERSION (and migrate) when this changes.
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
PRAGMA auto_vacuum = INCREMENTAL;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL,
  priority INTEGER NOT NULL,        -- rank: 0 Debug … 7 Emergency
  received_at INTEGER NOT NULL,     -- epoch ms
  bytes INTEGER NOT NULL,
  json TEXT NOT NULL                -- the enriched alert exactly as outputs send it
);
CREATE INDEX IF NOT EXISTS alerts_shed ON alerts (priority, id);
CREATE TABLE IF NOT EXISTS deliveries (
  output TEXT NOT NULL,
  alert_id INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (output, alert_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS deliveries_alert ON deliveries (alert_id);
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY,
  output TEXT NOT NULL,
  uuid TEXT NOT NULL,
  json TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  at INTEGER NOT NULL
);
-- The console's dead-letter pages by output, newest first: an index on output alone ends with the id,
-- so a page walks it backwards and stops at its end. Until round 20 it was (output, at), and each
-- page sorted every dead letter of its output first (90,000: 194 ms of the event loop). An index is
-- no change of format: an older Peregrine opening this file uses it, or makes its own back.
DROP INDEX IF EXISTS dead_letters_output;
CREATE INDEX IF NOT EXISTS dead_letters_by_output ON dead_letters (output);
-- The highest dead-letter id ever given: a new one is above it (NEXT_DEAD_LETTER_ID), so an id an
-- operator read in a listing never names another alert after the newest were purged or replayed.
-- A trigger is no change of format either: an older Peregrine's inserts keep it up to date too.
CREATE TRIGGER IF NOT EXISTS dead_letters_hwm AFTER INSERT ON dead_letters BEGIN
  INSERT INTO meta(key, value) VALUES ('dead_letter_hwm', NEW.id)
  ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER);
END;
`;

/** The id of the next dead letter, as SQL: above every id given before (the meta mark) and every id held. */
export const NEXT_DEAD_LETTER_ID =
  "(SELECT max(coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'dead_letter_hwm'), 0), coalesce((SELECT max(id) FROM dead_letters), 0)) + 1)";
