import type { OutputState } from './types.ts';

/** The state most output rows end in: the partial index trail_outputs_unusual leaves it out. */
export const COMMON_STATES: readonly OutputState[] = ['delivered'];
/** The partial index's condition; a query must state it as it is for SQLite to use the index. */
export const UNUSUAL_STATE_SQL = `state NOT IN (${COMMON_STATES.map((state) => `'${state}'`).join(', ')})`;

// The trail's tables, in their own SQLite file beside the spool's (spool.dir/peregrine-trail.db; see
// create.ts for why not in the spool's file). History, not delivery state: no schema version yet.
export const TRAIL_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS trail_alerts (
  seq INTEGER PRIMARY KEY,          -- cursor order; trail_outputs rows hang off it
  uuid TEXT NOT NULL,               -- a uuid received twice has two rows; the latest is its trail
  uuid_hash INTEGER NOT NULL,       -- uuidHash(uuid): a small random index instead of a unique text one (2.5x cheaper inserts)
  received_at INTEGER NOT NULL,     -- epoch ms
  from_addr TEXT NOT NULL,
  rule TEXT NOT NULL,
  priority INTEGER NOT NULL,        -- rank: 0 Debug … 7 Emergency
  source TEXT NOT NULL,
  hostname TEXT NOT NULL,
  namespace TEXT NOT NULL,
  routes TEXT NOT NULL,             -- JSON: {output: why the router did not take it}
  spool_id INTEGER,
  bytes INTEGER NOT NULL,           -- what this row counts against trail.maxbytes
  json TEXT NOT NULL                -- the enriched alert as outputs send it (text search reads its output)
);
CREATE INDEX IF NOT EXISTS trail_alerts_uuid ON trail_alerts (uuid_hash);
CREATE INDEX IF NOT EXISTS trail_alerts_time ON trail_alerts (received_at);
-- The console's filters: an index on one column ends with the rowid, so a page of the newest alerts
-- of a rule walks it backwards and stops at the page's end. Until round 20 they were
-- (column, received_at): each filtered page sorted every alert of that value by seq first (a
-- priority filter on a full trail: 80 ms of the event loop), and each insert cost more.
DROP INDEX IF EXISTS trail_alerts_rule;
DROP INDEX IF EXISTS trail_alerts_priority;
DROP INDEX IF EXISTS trail_alerts_hostname;
CREATE INDEX IF NOT EXISTS trail_alerts_by_rule ON trail_alerts (rule);
CREATE INDEX IF NOT EXISTS trail_alerts_by_priority ON trail_alerts (priority);
CREATE INDEX IF NOT EXISTS trail_alerts_by_hostname ON trail_alerts (hostname);
CREATE INDEX IF NOT EXISTS trail_alerts_spool ON trail_alerts (spool_id);
CREATE TABLE IF NOT EXISTS trail_outputs (
  seq INTEGER NOT NULL,             -- trail_alerts.seq: appended in order, deleted by range
  output TEXT NOT NULL,
  state TEXT NOT NULL,
  state_at INTEGER NOT NULL,
  reason TEXT,
  attempt_count INTEGER NOT NULL DEFAULT 0,
  attempts TEXT NOT NULL DEFAULT '[]', -- JSON: the first and the latest attempts
  PRIMARY KEY (seq, output)
) WITHOUT ROWID;
-- Gone (round 19): an index on (output, state) cost an insert per output row. A file made before keeps it no longer.
DROP INDEX IF EXISTS trail_outputs_state;
-- The console's state filters (retrying, dead_lettered, suppressed, …), newest first: every state but the one
-- most rows end in (delivered), so a healthy trail's inserts pass it by.
CREATE INDEX IF NOT EXISTS trail_outputs_unusual ON trail_outputs (state, seq) WHERE ${UNUSUAL_STATE_SQL};
`;

/** 32-bit FNV-1a of the uuid: the key of trail_alerts_uuid (a lookup also compares the uuid). */
export function uuidHash(uuid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < uuid.length; i++) h = Math.imul(h ^ uuid.charCodeAt(i), 0x01000193);
  return h | 0;
}
